//! `report.toml` parsing on any text: never a panic; bad input is an error naming the file.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use report::config::Config;

fuzz_target!(|text: &str| {
    if let Err(error) = Config::parse(text, Path::new("report.toml")) {
        assert!(error.to_string().starts_with("report.toml"), "{error}");
    }
});
