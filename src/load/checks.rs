//! Checks that look beyond one cell: dates in the wrong order, duplicate stages, a stage 2 with no
//! stage 1, dates the calendar cannot count.

use chrono::NaiveDate;

use super::contract::{Source, ValueKind};
use super::problems::Problems;
use super::read::Table;
use crate::calendar::Calendar;

/// A later stage whose earlier stage is missing is only an error when the earlier stage would
/// have been received after the data starts; within this many days of the first date in the
/// file, it may simply predate the export.
const EARLIER_STAGE_WINDOW_DAYS: i64 = 365;

/// Future dates are warnings for every file; representation dates must also fall inside the
/// working-day calendar.
pub fn check_dates(table: &Table, today: NaiveDate, calendar: &Calendar, problems: &mut Problems) {
    for (spec, cells) in &table.columns {
        if spec.kind != ValueKind::Date {
            continue;
        }
        let Some(dates) = cells.as_ref().and_then(|c| c.dates()) else {
            continue;
        };
        for (row, date) in dates.iter().enumerate() {
            let Some(date) = *date else { continue };
            let line = Some(table.lines[row]);
            // An action's due date is meant to be in the future.
            if date > today && !(table.source == Source::Actions && spec.name == "due") {
                problems.warning(
                    &table.name,
                    line,
                    Some(spec.name),
                    format!("{date} is in the future"),
                );
            }
            if table.source == Source::Representations && !calendar.covers(date) {
                problems.warning(
                    &table.name,
                    line,
                    Some(spec.name),
                    format!(
                        "{date} is outside the working-day calendar ({} to {}); working days cannot be counted for this row",
                        calendar.first_day(),
                        calendar.last_day()
                    ),
                );
            }
        }
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
    link_stages(table, problems)
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
    for row in 0..table.rows_read() {
        let line = Some(table.lines[row]);
        let Some(received) = received.get(row).copied().flatten() else {
            continue;
        };
        let responded = responded.as_ref().and_then(|d| d[row]);
        let acknowledged = acknowledged.as_ref().and_then(|d| d[row]);
        if let Some(responded) = responded.filter(|r| *r < received) {
            let message = format!("responded {responded} is before received {received}");
            problems.error(&table.name, line, Some("responded"), &message);
            table.reject(row, format!("responded: {message}"));
        }
        if let Some(acknowledged) = acknowledged {
            if acknowledged < received {
                let message = format!("acknowledged {acknowledged} is before received {received}");
                problems.error(&table.name, line, Some("acknowledged"), &message);
                table.reject(row, format!("acknowledged: {message}"));
            } else if let Some(responded) = responded.filter(|r| acknowledged > *r) {
                problems.warning(
                    &table.name,
                    line,
                    Some("acknowledged"),
                    format!("acknowledged {acknowledged} is after the response on {responded}"),
                );
            }
        }
    }
}

fn link_stages(table: &mut Table, problems: &mut Problems) -> StageLinks {
    let (links, rejected) = find_stage_links(table, problems);
    for (row, reason) in rejected {
        table.reject(row, reason);
    }
    links
}

/// The analysis behind `link_stages`, borrowing the table's columns rather than copying them (a
/// national export has a million references); the rows to reject are returned, not applied.
/// References in messages are quoted, so public output can leave them out.
fn find_stage_links(table: &Table, problems: &mut Problems) -> (StageLinks, Vec<(usize, String)>) {
    let rows = table.rows_read();
    let no_text: Vec<Option<String>> = vec![None; rows];
    let no_ints: Vec<Option<i32>> = vec![None; rows];
    let no_dates: Vec<Option<NaiveDate>> = vec![None; rows];
    let references = table
        .cells("reference")
        .and_then(|c| c.texts())
        .unwrap_or(&no_text);
    let stages = table
        .cells("stage")
        .and_then(|c| c.ints())
        .unwrap_or(&no_ints);
    let received = table
        .cells("received")
        .and_then(|c| c.dates())
        .unwrap_or(&no_dates);
    let first_received = received.iter().flatten().min().copied();
    let mut rejected = Vec::new();

    // Duplicates first, so a duplicated row does not also count as its reference's stage.
    let mut first_line: foldhash::HashMap<(&str, Option<i32>), u64> = Default::default();
    let mut counted = vec![false; rows];
    for row in 0..rows {
        let Some(reference) = references[row].as_deref() else {
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
                problems.error(
                    &table.name,
                    Some(table.lines[row]),
                    Some("reference"),
                    &message,
                );
                rejected.push((row, format!("reference: {message}")));
            }
            None => {
                first_line.insert(key, table.lines[row]);
                counted[row] = true;
            }
        }
    }

    let mut stages_of: foldhash::HashMap<&str, Vec<i32>> = Default::default();
    for row in (0..rows).filter(|&r| counted[r]) {
        if let (Some(reference), Some(stage)) = (references[row].as_deref(), stages[row]) {
            stages_of.entry(reference).or_default().push(stage);
        }
    }

    let mut links = StageLinks {
        starts_representation: vec![false; rows],
        reached_stage: vec![None; rows],
    };
    for row in 0..rows {
        let Some(reference) = references[row].as_deref() else {
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
        let line = Some(table.lines[row]);
        let earlier = stage - 1;
        let near_start = match (received[row], first_received) {
            (Some(date), Some(first)) => (date - first).num_days() <= EARLIER_STAGE_WINDOW_DAYS,
            _ => false,
        };
        if near_start {
            problems.warning(
                &table.name,
                line,
                Some("stage"),
                format!(
                    "no stage {earlier} row for '{reference}'; its stage {earlier} probably predates the data, which starts on {}",
                    first_received.expect("checked above")
                ),
            );
        } else {
            let message = format!("stage {stage} for '{reference}' has no stage {earlier} row");
            problems.error(&table.name, line, Some("stage"), &message);
            rejected.push((row, format!("stage: {message}")));
        }
    }
    (links, rejected)
}
