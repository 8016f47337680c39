//! The narrative on any text: never a panic, and no raw HTML survives into the report.
#![no_main]

use libfuzzer_sys::fuzz_target;
use report::figures::narrative;

fuzz_target!(|text: &str| {
    let (safe, _) = narrative::neutralise("narrative.md", text);
    let html = report::render::html::markdown_to_html(&safe);
    for tag in ["<script", "<div", "<style", "<!--", "<iframe"] {
        assert!(!html.to_ascii_lowercase().contains(tag), "{tag} in {html:?} from {text:?}");
    }
    let _ = narrative::parse(&safe);
});
