//! `report check`: read a data folder, list every problem, and say what was read.

use std::fmt::Write;
use std::path::PathBuf;

use crate::config::Config;
use crate::error::Result;
use crate::load::contract::Source;
use crate::load::labels::{OutcomeRole, Roles};
use crate::load::{self, Dataset, LoadOptions};
use crate::period::long_date;

use super::Outcome;

pub struct CheckOptions {
    /// From `--data`; otherwise the config's `[data] dir`, otherwise `data`.
    pub data_dir: Option<PathBuf>,
    pub config: Config,
}

pub fn run(options: &CheckOptions) -> Result<Outcome> {
    let data_dir = super::data_dir(options.data_dir.as_ref(), &options.config);
    let dataset = load::load(&LoadOptions {
        data_dir: &data_dir,
        mapping: &options.config.mapping,
        calendar: &options.config.calendar,
        today: super::today(),
    })?;
    let mut out = String::new();
    for problem in dataset.problems.iter() {
        writeln!(out, "{problem}").expect("writing to a String");
    }
    if !dataset.problems.is_empty() {
        out.push('\n');
    }
    out.push_str(&labels(&dataset, &options.config.mapping.roles));
    out.push_str(&summary(&dataset, &data_dir));
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

/// The labels in each file, with counts and any meaning the tool gives them, so a user can see
/// what to map in `report.toml`.
fn labels(dataset: &Dataset, roles: &Roles) -> String {
    let mut out = String::new();
    for file in dataset
        .files
        .iter()
        .filter(|f| f.labels.iter().any(|(_, l)| !l.is_empty()))
    {
        let _ = writeln!(
            out,
            "Labels in {} (count, and meaning where the tool gives one):",
            file.name
        );
        for (column, labels) in file.labels.iter().filter(|(_, l)| !l.is_empty()) {
            let shown: Vec<String> = labels
                .iter()
                .map(
                    |(label, n)| match role_of(file.source, column, label, roles) {
                        Some(role) => format!("{label} {n} [{role}]"),
                        None => format!("{label} {n}"),
                    },
                )
                .collect();
            // Labels never contain ";" (it separates several), so it separates them here too.
            let _ = writeln!(out, "  {column}: {}", shown.join("; "));
        }
        out.push('\n');
    }
    out
}

fn role_of(source: Source, column: &str, label: &str, roles: &Roles) -> Option<&'static str> {
    if source != Source::Representations {
        return None;
    }
    match column {
        "outcome" => roles.outcome_role(label).map(OutcomeRole::title),
        "complainant" if roles.is_young_person(label) => Some("child or young person"),
        "type" if roles.is_ombudsman(label) => Some("Ombudsman"),
        "type" if roles.is_refused(label) => Some("refused"),
        _ => None,
    }
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
