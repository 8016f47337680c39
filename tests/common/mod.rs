//! Helpers for tests that run the real `report` binary.

#![allow(dead_code)]

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
