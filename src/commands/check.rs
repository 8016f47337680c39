//! `report check`: read a data folder, list every problem, and say what was read.

use std::fmt::Write;
use std::path::PathBuf;

use crate::config::Config;
use crate::error::Result;
use crate::figures::narrative;
use crate::load::contract::Source;
use crate::load::labels::{OutcomeRole, Roles};
use crate::load::read::line_list;
use crate::load::{self, Checked, FileSummary, LoadOptions};
use crate::period::{Period, long_date};

use super::Outcome;

pub struct CheckOptions {
    /// From `--data`; otherwise the config's `[data] dir`, otherwise `data`.
    pub data_dir: Option<PathBuf>,
    /// A period to be reported on: `check` then also says whether the data has it.
    pub period: Option<Period>,
    /// The narrative file; by default the config's, else `narrative.md` beside the data.
    pub narrative: Option<PathBuf>,
    pub config: Config,
}

/// Everything that would stop a report is found here first: every data error, a period with no
/// data, and (as warnings) what the narrative would show as text.
pub fn run(options: &CheckOptions) -> Result<Outcome> {
    let data_dir = super::data_dir(options.data_dir.as_ref(), &options.config);
    let mut checked = load::check(&LoadOptions {
        data_dir: &data_dir,
        mapping: &options.config.mapping,
        calendar: &options.config.calendar,
        today: super::today(),
        quoted: &[],
    })?;
    // A file that cannot be read at all has said so; an empty period would only repeat it.
    if let Some(problem) = options
        .period
        .as_ref()
        .filter(|_| checked.problems.file_errors().next().is_none())
        .and_then(|p| checked.period_problem(p))
    {
        checked.problems.push(problem);
    }
    let narrative_file = options
        .narrative
        .clone()
        .or_else(|| options.config.narrative.clone());
    if let Some((name, text)) = super::document::read_narrative(narrative_file, &data_dir)? {
        for problem in narrative::neutralise(&name, &text).1 {
            checked.problems.push(problem);
        }
    }
    checked.problems.sort();
    let mut out = String::new();
    for problem in checked.problems.iter() {
        writeln!(out, "{problem}").expect("writing to a String");
    }
    if !checked.problems.is_empty() {
        out.push('\n');
    }
    out.push_str(&labels(&checked, &options.config.mapping.roles));
    out.push_str(&summary(&checked, &data_dir));
    let exit_code = if checked.problems.error_count() > 0 {
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
fn labels(checked: &Checked, roles: &Roles) -> String {
    let mut out = String::new();
    for file in checked
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
pub fn summary(checked: &Checked, data_dir: &std::path::Path) -> String {
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(w, "Read {}:", data_dir.display());
    let width = checked
        .files
        .iter()
        .map(|f| f.name.len())
        .max()
        .unwrap_or(0);
    for file in &checked.files {
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
        if file.delimiter != b',' {
            let _ = write!(
                line,
                " [{}-separated]",
                crate::load::sniff::delimiter_name(file.delimiter)
            );
        }
        let _ = writeln!(w, "{line}");
        if let Some(account) = line_account(file) {
            let _ = writeln!(w, "  {:width$}  {account}", "");
        }
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
        if checked.file(source).is_none() {
            let _ = writeln!(
                w,
                "  {:width$}  not present (optional)",
                source.default_file_name()
            );
        }
    }
    let errors = checked.problems.error_count();
    let warnings = checked.problems.warning_count();
    let excluded: usize = checked.files.iter().map(|f| f.excluded.len()).sum();
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

/// How the file's lines were read, when that is more than a header and a row a line.
fn line_account(file: &FileSummary) -> Option<String> {
    let account = &file.account;
    if account.before_header == 0 && account.blank.is_empty() && account.multiline.is_empty() {
        return None;
    }
    let mut parts = Vec::new();
    if account.before_header > 0 {
        parts.push(format!(
            "{} above the header",
            plural(account.before_header as usize, "line")
        ));
    }
    parts.push(format!("the header on line {}", account.header_line));
    if !account.blank.is_empty() {
        parts.push(format!(
            "{} (skipped)",
            line_list("blank line", &account.blank)
        ));
    }
    parts.push(rows(file.rows_read));
    for multi in &account.multiline {
        parts.push(format!(
            "lines {} to {} one row, its {} running over several lines",
            multi.first_line, multi.last_line, multi.column
        ));
    }
    Some(format!(
        "{}: {}",
        plural(account.total as usize, "line"),
        parts.join("; ")
    ))
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
