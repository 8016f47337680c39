//! Checks that look beyond one cell: dates in the wrong order, duplicate stages, a stage 2 with no
//! stage 1, dates the calendar cannot count.

use chrono::NaiveDate;

use super::contract::{Source, ValueKind};
use super::problems::{Kind, Problem, Problems, Severity};
use super::read::Table;
use crate::calendar::Calendar;

/// A later stage whose earlier stage is missing is only an error when the earlier stage would
/// have been received after the data starts; within this many days of the first date in the
/// file, it may simply predate the export.
const EARLIER_STAGE_WINDOW_DAYS: i64 = 365;

/// Future dates are warnings for every file. Representation dates must fall inside the
/// working-day calendar: a date it cannot count (a typo such as 2099) is an error, found here
/// rather than halfway through making a report.
pub fn check_dates(
    table: &mut Table,
    today: NaiveDate,
    calendar: &Calendar,
    problems: &mut Problems,
) {
    let mut rejected = Vec::new();
    for (spec, cells) in &table.columns {
        if spec.kind != ValueKind::Date {
            continue;
        }
        let Some(dates) = cells.as_ref().and_then(|c| c.dates()) else {
            continue;
        };
        for (row, date) in dates.iter().enumerate() {
            let Some(date) = *date else { continue };
            let line = table.lines[row];
            if table.source == Source::Representations && !calendar.covers(date) {
                let problem = Problem::new(
                    Severity::Error,
                    Kind::OutsideCalendar,
                    &table.name,
                    format!(
                        "{date} is outside the working-day calendar ({} to {}), so working days cannot be counted; is the year a typo?",
                        calendar.first_day(),
                        calendar.last_day()
                    ),
                )
                .at(line)
                .in_column(spec.name)
                .with_value(
                    &date.to_string(),
                    format!(
                        "a date outside the working-day calendar ({} to {})",
                        calendar.first_day(),
                        calendar.last_day()
                    ),
                );
                rejected.push((row, problem));
            } else if date > today && !(table.source == Source::Actions && spec.name == "due") {
                // An action's due date is meant to be in the future.
                problems.push(
                    Problem::new(
                        Severity::Warning,
                        Kind::FutureDate,
                        &table.name,
                        format!("{date} is in the future"),
                    )
                    .at(line)
                    .in_column(spec.name)
                    .with_value(&date.to_string(), "a date in the future"),
                );
            }
        }
    }
    for (row, problem) in rejected {
        table.reject(problems, row, problem);
    }
}

/// The facts about each representation row that need the other rows: whether it starts a
/// representation (stage 1, or no stage), and the highest stage its reference reached.
#[derive(Debug, Clone, Default)]
pub struct StageLinks {
    pub starts_representation: Vec<bool>,
    pub reached_stage: Vec<Option<i32>>,
}

pub fn check_representations(table: &mut Table, problems: &mut Problems) -> StageLinks {
    check_date_order(table, problems);
    let (links, rejected) = find_stage_links(table, problems);
    for (row, problem) in rejected {
        table.reject(problems, row, problem);
    }
    links
}

fn check_date_order(table: &mut Table, problems: &mut Problems) {
    let column = |name| {
        table
            .cells(name)
            .and_then(|c| c.dates())
            .map(|d| d.to_vec())
    };
    let received = column("received").unwrap_or_default();
    let acknowledged = column("acknowledged");
    let responded = column("responded");
    let sequence = |column: &str, message: String, public: &str| {
        Problem::new(Severity::Error, Kind::Sequence, &table.name, message)
            .in_column(column)
            .in_public(public)
    };
    let mut rejected = Vec::new();
    for row in 0..table.rows_read() {
        let line = table.lines[row];
        let Some(received) = received.get(row).copied().flatten() else {
            continue;
        };
        let responded = responded.as_ref().and_then(|d| d[row]);
        let acknowledged = acknowledged.as_ref().and_then(|d| d[row]);
        if let Some(responded) = responded.filter(|r| *r < received) {
            rejected.push((
                row,
                sequence(
                    "responded",
                    format!("responded {responded} is before received {received}"),
                    "responded is before received",
                )
                .at(line),
            ));
        }
        if let Some(acknowledged) = acknowledged {
            if acknowledged < received {
                rejected.push((
                    row,
                    sequence(
                        "acknowledged",
                        format!("acknowledged {acknowledged} is before received {received}"),
                        "acknowledged is before received",
                    )
                    .at(line),
                ));
            } else if let Some(responded) = responded.filter(|r| acknowledged > *r) {
                let mut warning = sequence(
                    "acknowledged",
                    format!("acknowledged {acknowledged} is after the response on {responded}"),
                    "acknowledged after the response",
                )
                .at(line);
                warning.severity = Severity::Warning;
                problems.push(warning);
            }
        }
    }
    for (row, problem) in rejected {
        table.reject(problems, row, problem);
    }
}

const NO_REFERENCE: u32 = u32::MAX;
const NO_ROW: u32 = u32::MAX;

/// A number for each row's reference, the same for the same reference, counting from 0 in the
/// order first seen (`NO_REFERENCE` for a row without one), and how many there are.
fn number_references<'a>(
    rows: usize,
    reference: impl Fn(usize) -> Option<&'a str>,
) -> (Vec<u32>, usize) {
    // Sized for every row at once: a table grown a doubling at a time is copied twenty times as
    // a national export fills it.
    let mut number_of: foldhash::HashMap<&str, u32> =
        foldhash::HashMap::with_capacity_and_hasher(rows, Default::default());
    let numbers = (0..rows)
        .map(|row| match reference(row) {
            Some(reference) => {
                let next = number_of.len() as u32;
                *number_of.entry(reference).or_insert(next)
            }
            None => NO_REFERENCE,
        })
        .collect();
    (numbers, number_of.len())
}

/// The analysis behind the stage links, borrowing the table's columns rather than copying them
/// (a national export has a million references); the rows to reject are returned, not applied.
/// References are the value of each problem, so public output leaves them out.
fn find_stage_links(table: &Table, problems: &mut Problems) -> (StageLinks, Vec<(usize, Problem)>) {
    let rows = table.rows_read();
    let no_ints: Vec<Option<i32>> = vec![None; rows];
    let no_dates: Vec<Option<NaiveDate>> = vec![None; rows];
    let reference_column = table.cells("reference").and_then(|c| c.text());
    let reference = |row: usize| reference_column.and_then(|c| c.get(row));
    let stages = table
        .cells("stage")
        .and_then(|c| c.ints())
        .unwrap_or(&no_ints);
    let received = table
        .cells("received")
        .and_then(|c| c.dates())
        .unwrap_or(&no_dates);
    let usable = |row: usize| table.reasons(row).is_empty();
    let first_received = (0..rows)
        .filter(|&r| usable(r))
        .filter_map(|r| received[r])
        .min();
    let mut rejected = Vec::new();
    let problem = |kind, message: String, public: &str, value: &str, line: u64| {
        Problem::new(Severity::Error, kind, &table.name, message)
            .at(line)
            .with_value(value, public)
    };

    // Each distinct reference gets a number, so what is known of it sits in plain vectors: one
    // hash lookup per row, and no table of vectors, which for a national export was most of what
    // `check` held.
    let (numbers, distinct) = number_references(rows, reference);
    // The first row of each reference at each stage (slot 0 for no stage). Duplicates first, so
    // a duplicated row does not also count as its reference's stage.
    let slot = |row: usize| stages[row].map_or(0, |s| s as usize);
    let mut first_row: Vec<[u32; 4]> = vec![[NO_ROW; 4]; distinct];
    let mut counted = vec![false; rows];
    for row in 0..rows {
        let (Some(reference), number) = (reference(row), numbers[row]) else {
            continue;
        };
        let first = &mut first_row[number as usize][slot(row)];
        if *first == NO_ROW {
            *first = row as u32;
            counted[row] = true;
            continue;
        }
        let earlier = table.lines[*first as usize];
        let stage = stages[row]
            .map(|s| format!("stage {s}"))
            .unwrap_or_else(|| "no stage".into());
        let message = format!(
            "duplicate of line {earlier}: reference '{reference}' at {stage} appears twice"
        );
        let public = format!("duplicate of line {earlier}: a reference at {stage} appears twice");
        rejected.push((
            row,
            problem(
                Kind::DuplicateReference,
                message,
                &public,
                reference,
                table.lines[row],
            )
            .in_column("reference"),
        ));
    }

    let mut links = StageLinks {
        starts_representation: vec![false; rows],
        reached_stage: vec![None; rows],
    };
    for row in 0..rows {
        let Some(reference) = reference(row) else {
            continue;
        };
        let reached = first_row[numbers[row] as usize];
        let has_stage = |stage: i32| reached[stage as usize] != NO_ROW;
        links.reached_stage[row] = (1..=3).rev().find(|s| has_stage(*s));
        // A reference whose stage 1 predates the data was not received within it.
        links.starts_representation[row] = counted[row] && matches!(stages[row], None | Some(1));

        let Some(stage) = stages[row].filter(|s| *s > 1) else {
            continue;
        };
        if !counted[row] || has_stage(stage - 1) {
            continue;
        }
        let line = table.lines[row];
        let earlier = stage - 1;
        let near_start = match (received[row], first_received) {
            (Some(date), Some(first)) => (date - first).num_days() <= EARLIER_STAGE_WINDOW_DAYS,
            _ => false,
        };
        if near_start {
            let first = first_received.expect("checked above");
            let mut warning = problem(
                Kind::MissingEarlierStage,
                format!(
                    "no stage {earlier} row for '{reference}'; its stage {earlier} probably predates the data, which starts on {first}"
                ),
                &format!(
                    "no stage {earlier} row; it probably predates the data"
                ),
                reference,
                line,
            )
            .in_column("stage");
            warning.severity = Severity::Warning;
            problems.push(warning);
        } else {
            rejected.push((
                row,
                problem(
                    Kind::MissingEarlierStage,
                    format!("stage {stage} for '{reference}' has no stage {earlier} row"),
                    &format!("stage {stage} has no stage {earlier} row"),
                    reference,
                    line,
                )
                .in_column("stage"),
            ));
        }
    }
    (links, rejected)
}
