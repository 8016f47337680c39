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
    let usable = |row: usize| table.row_errors[row].is_empty();
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

    // Duplicates first, so a duplicated row does not also count as its reference's stage.
    let mut first_line: foldhash::HashMap<(&str, Option<i32>), u64> = Default::default();
    let mut counted = vec![false; rows];
    for row in 0..rows {
        let Some(reference) = reference(row) else {
            continue;
        };
        let key = (reference, stages[row]);
        match first_line.get(&key) {
            Some(&earlier) => {
                let stage = stages[row]
                    .map(|s| format!("stage {s}"))
                    .unwrap_or_else(|| "no stage".into());
                let message = format!(
                    "duplicate of line {earlier}: reference '{reference}' at {stage} appears twice"
                );
                let public =
                    format!("duplicate of line {earlier}: a reference at {stage} appears twice");
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
            None => {
                first_line.insert(key, table.lines[row]);
                counted[row] = true;
            }
        }
    }

    let mut stages_of: foldhash::HashMap<&str, Vec<i32>> = Default::default();
    for row in (0..rows).filter(|&r| counted[r]) {
        if let (Some(reference), Some(stage)) = (reference(row), stages[row]) {
            stages_of.entry(reference).or_default().push(stage);
        }
    }

    let mut links = StageLinks {
        starts_representation: vec![false; rows],
        reached_stage: vec![None; rows],
    };
    for row in 0..rows {
        let Some(reference) = reference(row) else {
            continue;
        };
        let known = stages_of.get(reference);
        links.reached_stage[row] = known.and_then(|s| s.iter().max().copied());
        // A reference whose stage 1 predates the data was not received within it.
        links.starts_representation[row] = counted[row] && matches!(stages[row], None | Some(1));

        let Some(stage) = stages[row].filter(|s| *s > 1) else {
            continue;
        };
        if !counted[row] || known.is_some_and(|s| s.contains(&(stage - 1))) {
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
