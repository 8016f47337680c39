//! `report check`: read a data folder, list every problem, and say what was read.

use std::fmt::Write;
use std::path::PathBuf;

use crate::calendar::Calendar;
use crate::error::Result;
use crate::load::{self, Dataset, LoadOptions, Mapping};
use crate::period::long_date;

use super::Outcome;

pub struct CheckOptions {
    pub data_dir: PathBuf,
    pub mapping: Mapping,
    pub calendar: Calendar,
}

pub fn run(options: &CheckOptions) -> Result<Outcome> {
    let dataset = load::load(&LoadOptions {
        data_dir: &options.data_dir,
        mapping: &options.mapping,
        calendar: &options.calendar,
        today: super::today(),
    })?;
    let mut out = String::new();
    for problem in dataset.problems.iter() {
        writeln!(out, "{problem}").expect("writing to a String");
    }
    if !dataset.problems.is_empty() {
        out.push('\n');
    }
    out.push_str(&summary(&dataset, &options.data_dir));
    let exit_code = if dataset.problems.error_count() > 0 {
        1
    } else {
        0
    };
    Ok(Outcome {
        stdout: out,
        exit_code,
    })
}

/// What was read, file by file, and the verdict.
pub fn summary(dataset: &Dataset, data_dir: &std::path::Path) -> String {
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(w, "Read {}:", data_dir.display());
    let width = dataset
        .files
        .iter()
        .map(|f| f.name.len())
        .max()
        .unwrap_or(0);
    for file in &dataset.files {
        let mut line = format!("  {:width$}  {}", file.name, rows(file.rows_read));
        if !file.excluded.is_empty() {
            let _ = write!(
                line,
                " ({} usable, {} with errors)",
                file.rows_used(),
                file.excluded.len()
            );
        }
        if let (Some(first), Some(last)) = (file.first_date, file.last_date) {
            let what = if file.source == crate::load::contract::Source::Actions {
                "due"
            } else {
                "received"
            };
            let _ = write!(line, ", {what} {} to {}", long_date(first), long_date(last));
        }
        match file.years.as_slice() {
            [] => {}
            [only] => {
                let _ = write!(line, ", year {only}");
            }
            [first, .., last] => {
                let _ = write!(line, ", years {first} to {last}");
            }
        }
        if file.encoding != "UTF-8" {
            let _ = write!(line, " [{}]", file.encoding);
        }
        let _ = writeln!(w, "{line}");
        if !file.ignored_headers.is_empty() {
            let _ = writeln!(
                w,
                "  {:width$}  ignored columns: {}",
                "",
                file.ignored_headers.join(", ")
            );
        }
    }
    for source in crate::load::contract::Source::ALL {
        if dataset.file(source).is_none() {
            let _ = writeln!(
                w,
                "  {:width$}  not present (optional)",
                source.default_file_name()
            );
        }
    }
    let errors = dataset.problems.error_count();
    let warnings = dataset.problems.warning_count();
    let excluded: usize = dataset.files.iter().map(|f| f.excluded.len()).sum();
    let _ = writeln!(
        w,
        "{}, {}{}",
        plural(errors, "error"),
        plural(warnings, "warning"),
        if errors > 0 {
            format!(": {} cannot be used until fixed", rows(excluded))
        } else {
            String::new()
        }
    );
    out
}

fn rows(n: usize) -> String {
    plural(n, "row")
}

pub fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
