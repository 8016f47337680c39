//! Helpers for tests that run the real `report` binary.

#![allow(dead_code)]

pub mod library;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn repo_path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// Runs `report` with a fixed clock, so dates "in the future" and "generated at" are stable.
pub fn report(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_report"))
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1751328000") // 2025-07-01T00:00:00Z
        .output()
        .expect("the report binary runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

/// Runs `report` in `dir`, so relative paths (and the command the report records) are stable.
pub fn report_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_report"))
        .args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", "1751328000") // 2025-07-01T00:00:00Z
        .output()
        .expect("the report binary runs")
}

/// The checks every document's HTML passes: self-contained (nothing fetched), every chart
/// inline with a caption and a screen-reader title, every table captioned with scoped headers,
/// and headings that never skip a level. `out` holds `report.html` and `charts/`.
pub fn assert_html_structure(out: &Path, at_least_charts: usize) {
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<html lang=\"en-GB\">"));
    assert!(html.contains("<main id=\"main\">"));
    assert!(html.contains("@media print"));
    for pattern in [
        "src=\"http",
        "href=\"http",
        "<script",
        "<link",
        "url(http",
        "@import",
    ] {
        assert!(!html.contains(pattern), "{pattern}");
    }
    let charts = std::fs::read_dir(out.join("charts"))
        .map(|entries| entries.count())
        .unwrap_or(0);
    assert!(charts >= at_least_charts, "{charts} charts");
    assert_eq!(html.matches("<svg").count(), charts);
    assert_eq!(html.matches("<figcaption").count(), charts);
    assert_eq!(html.matches("role=\"img\"").count(), charts);
    assert_eq!(
        html.matches("<table").count(),
        html.matches("<caption").count()
    );
    assert!(!html.contains("<th>"), "a header cell without scope");
    // Every table scrolls in a region a keyboard reaches and its caption names; every chart in
    // a figure its caption names.
    assert_eq!(
        html.matches(
            "class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-labelledby=\"table-"
        )
        .count(),
        html.matches("<table").count()
    );
    assert_eq!(
        html.matches("tabindex=\"0\" aria-labelledby=\"figure-")
            .count(),
        charts
    );
    assert_eq!(html.matches("<h1").count(), 1, "one h1");
    let mut previous = 1;
    for (i, _) in html.match_indices("<h") {
        let level = html[i + 2..].chars().next().and_then(|c| c.to_digit(10));
        if let Some(level) = level {
            assert!(level <= previous + 1, "h{level} after h{previous}");
            previous = level;
        }
    }
}

/// Copies the files of folder `from` into `to` (created).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
        }
    }
}

/// `out/figures.json` under `dir`.
pub fn figures(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("out/figures.json")).unwrap()).unwrap()
}

/// Table `id` of a figures.json.
pub fn table<'a>(figures: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    figures["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == id)
        .unwrap_or_else(|| panic!("no table {id}"))
}

/// The rows of table `id` as (label, cells).
pub fn rows(figures: &serde_json::Value, id: &str) -> Vec<(String, Vec<serde_json::Value>)> {
    table_rows(table(figures, id))
}

/// A table's rows as (label, cells).
pub fn table_rows(table: &serde_json::Value) -> Vec<(String, Vec<serde_json::Value>)> {
    table["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let r = r.as_array().unwrap();
            (r[0].as_str().unwrap().to_string(), r[1..].to_vec())
        })
        .collect()
}

/// The cells of the row labelled `label` in table `id`.
pub fn row(figures: &serde_json::Value, id: &str, label: &str) -> Vec<serde_json::Value> {
    rows(figures, id)
        .into_iter()
        .find(|(l, _)| l == label)
        .unwrap_or_else(|| panic!("no row {label} in {id}: {}", table(figures, id)["rows"]))
        .1
}
