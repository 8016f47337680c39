//! One module per subcommand. Each takes plain options (the binary maps its arguments onto them)
//! and returns what to print and the exit code, so the binary stays a thin shell.

pub mod check;
pub mod document;
pub mod init;
pub mod sample_data;

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};

use crate::config::Config;
use crate::error::{Error, Result};
use crate::load::problems::Problems;

/// The data folder: `--data` if given, else the config's `[data] dir`, else `data`.
pub fn data_dir(flag: Option<&PathBuf>, config: &Config) -> PathBuf {
    flag.cloned()
        .or_else(|| config.data_dir.clone())
        .unwrap_or_else(|| Path::new("data").to_path_buf())
}

/// What a command wants printed, and how the process should exit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub stdout: String,
    pub exit_code: i32,
}

/// Today, for `check`'s warnings about dates in the future — the only use of the clock: a
/// report's figures are as at a date from the data (or `--as-at`), never the day it was run.
/// `SOURCE_DATE_EPOCH` (seconds since 1970, as reproducible builds use) fixes it for tests.
pub fn today() -> NaiveDate {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| DateTime::from_timestamp(secs, 0))
        .unwrap_or_else(Utc::now)
        .date_naive()
}

/// Data errors stop a report. `--skip-invalid` leaves out rows with errors, but never gets past
/// a problem with a whole file (a missing or repeated header, a file that is not CSV): no row
/// of such a file can be trusted.
pub fn stop_on_errors(problems: &Problems, skip_invalid: bool) -> Result<()> {
    let file_level = problems.file_errors().count() > 0;
    if problems.error_count() > 0 && (file_level || !skip_invalid) {
        return Err(Error::InvalidData(problems.clone()));
    }
    Ok(())
}
