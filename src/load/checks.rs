//! Checks that look beyond one cell: dates in the wrong order, duplicate stages, a stage 2 with no
//! stage 1, dates the calendar cannot count.

use std::hash::BuildHasher;

use chrono::NaiveDate;
use rayon::prelude::*;

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
    let rejected = dates_out_of_order(table, problems);
    for (row, problem) in rejected {
        table.reject(problems, row, problem);
    }
}

/// The rows whose dates are out of order, to reject, read where the dates lie (a copy of each
/// date column was 12 MB at a million rows); a warning for an acknowledgement after the
/// response, which rejects nothing.
fn dates_out_of_order(table: &Table, problems: &mut Problems) -> Vec<(usize, Problem)> {
    let column = |name| table.cells(name).and_then(|c| c.dates());
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
    rejected
}

const NO_REFERENCE: u32 = u32::MAX;
const NO_ROW: u32 = u32::MAX;

/// A number for each row's reference, the same for the same reference (`NO_REFERENCE` for a
/// row without one), and how many there are. The numbers only tell references apart: nothing
/// reads their order.
fn number_references<'a>(
    rows: usize,
    reference: impl Fn(usize) -> Option<&'a str> + Sync,
) -> (Vec<u32>, usize) {
    // Groups of a few thousand rows each fit in the cache; one council's rows are one group.
    let group_bits = (rows / 4096)
        .checked_ilog2()
        .map_or(0, |bits| bits + 1)
        .min(8);
    let standing = foldhash::fast::FixedState::with_seed(0xfeed);
    number_references_by(rows, reference, group_bits, |r| standing.hash_one(r))
}

/// `number_references`, with the rows dealt into `1 << group_bits` groups and each reference
/// standing for itself within its group by `stand`: a hash, which may take the same value for
/// two references, as a test's does on purpose.
fn number_references_by<'a>(
    rows: usize,
    reference: impl Fn(usize) -> Option<&'a str> + Sync,
    group_bits: u32,
    stand: impl Fn(&str) -> u64 + Sync,
) -> (Vec<u32>, usize) {
    // A national export's million references do not fit in the cache, and one table of them
    // all made each row a wait on memory (0.14 s at a million rows). So each reference is
    // hashed twice as the rows are read in order: one hash deals the row into one of many
    // groups, the other stands for the reference within its group. Each group is numbered by
    // its hashes, with a table small enough to stay in the cache, the groups on both cores.
    // The text is read again only to confirm that a row whose hash was seen before has the
    // same reference as the row that brought it; one that differs is numbered by its text.
    const NO_GROUP: u16 = u16::MAX;
    let groups = 1usize << group_bits;
    let dealing = foldhash::fast::FixedState::with_seed(0x5eed);
    let deal = |reference: &str| {
        dealing
            .hash_one(reference)
            .checked_shr(64 - group_bits)
            .unwrap_or(0) as usize
    };
    let mut group_of = vec![NO_GROUP; rows];
    let mut hash_of = vec![0u64; rows];
    // Group g's rows are `dealt[starts[g]..starts[g + 1]]`, in row order.
    let mut starts = vec![0usize; groups + 1];
    for row in 0..rows {
        if let Some(reference) = reference(row) {
            let group = deal(reference);
            group_of[row] = group as u16;
            hash_of[row] = stand(reference);
            starts[group + 1] += 1;
        }
    }
    for g in 0..groups {
        starts[g + 1] += starts[g];
    }
    let mut dealt: Vec<(u64, u32)> = vec![(0, 0); starts[groups]];
    let mut next = starts.clone();
    for (row, (&group, &hash)) in group_of.iter().zip(&hash_of).enumerate() {
        if group != NO_GROUP {
            dealt[next[group as usize]] = (hash, row as u32);
            next[group as usize] += 1;
        }
    }
    drop((group_of, hash_of));
    let numbered: Vec<(Vec<u32>, usize)> = (0..groups)
        .into_par_iter()
        .map(|g| {
            let rows = &dealt[starts[g]..starts[g + 1]];
            // Each hash seen: its number, and the row that brought it.
            let mut by_hash: foldhash::HashMap<u64, (u32, u32)> =
                foldhash::HashMap::with_capacity_and_hasher(rows.len(), Default::default());
            // References whose hash another reference brought first: by their text.
            let mut by_text: foldhash::HashMap<&str, u32> = foldhash::HashMap::default();
            let mut count = 0u32;
            let mut new_number = || {
                count += 1;
                count - 1
            };
            let numbers = rows
                .iter()
                .map(|&(hash, row)| {
                    let (number, first) =
                        *by_hash.entry(hash).or_insert_with(|| (new_number(), row));
                    if first == row || reference(first as usize) == reference(row as usize) {
                        return number;
                    }
                    let text = reference(row as usize).expect("dealt for its reference");
                    *by_text.entry(text).or_insert_with(&mut new_number)
                })
                .collect();
            (numbers, count as usize)
        })
        .collect();
    let mut numbers = vec![NO_REFERENCE; rows];
    let mut distinct = 0;
    for (g, (local, count)) in numbered.into_iter().enumerate() {
        for (&(_, row), number) in dealt[starts[g]..starts[g + 1]].iter().zip(local) {
            numbers[row as usize] = distinct as u32 + number;
        }
        distinct += count;
    }
    (numbers, distinct)
}

/// The analysis behind the stage links, borrowing the table's columns rather than copying them
/// (a national export has a million references); the rows to reject are returned, not applied.
/// References are the value of each problem, so public output leaves them out.
fn find_stage_links(table: &Table, problems: &mut Problems) -> (StageLinks, Vec<(usize, Problem)>) {
    let rows = table.rows_read();
    // A column the file lacks reads as blanks, made only then: made every time, they were
    // 12 MB of fresh pages at a million rows.
    let (no_ints, no_dates): (Vec<Option<i32>>, Vec<Option<NaiveDate>>);
    let reference_column = table.cells("reference").and_then(|c| c.text());
    let reference = |row: usize| reference_column.and_then(|c| c.get(row));
    let stages = match table.cells("stage").and_then(|c| c.ints()) {
        Some(stages) => stages,
        None => {
            no_ints = vec![None; rows];
            &no_ints
        }
    };
    let received = match table.cells("received").and_then(|c| c.dates()) {
        Some(received) => received,
        None => {
            no_dates = vec![None; rows];
            &no_dates
        }
    };
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
    // A row's number says whether it has a reference: the text is read only for a message.
    let reference = |row: usize| reference(row).expect("a numbered row has a reference");
    for row in 0..rows {
        let number = numbers[row];
        if number == NO_REFERENCE {
            continue;
        }
        let first = &mut first_row[number as usize][slot(row)];
        if *first == NO_ROW {
            *first = row as u32;
            counted[row] = true;
            continue;
        }
        let reference = reference(row);
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
        if numbers[row] == NO_REFERENCE {
            continue;
        }
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
        let reference = reference(row);
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

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Rows 0 and 3 share a reference, as do 2 and 5; row 1 has none; 4 is alone. Three
    /// references, and rows share a number exactly when they share a reference.
    #[test]
    fn rows_share_a_number_exactly_when_they_share_a_reference() {
        let references = [
            Some("A-1"),
            None,
            Some("B-2"),
            Some("A-1"),
            Some("C-3"),
            Some("B-2"),
        ];
        let (numbers, distinct) = number_references(references.len(), |row| references[row]);
        assert_eq!(distinct, 3);
        assert_eq!(numbers[1], NO_REFERENCE);
        assert_eq!(numbers[0], numbers[3]);
        assert_eq!(numbers[2], numbers[5]);
        let mut seen = vec![numbers[0], numbers[2], numbers[4]];
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(
            seen.len(),
            3,
            "three references, three numbers: {numbers:?}"
        );
        assert!(seen.iter().all(|n| (*n as usize) < distinct));
    }

    /// A hash that most references share: its length. Two references of one length must
    /// still get two numbers.
    fn by_length(reference: &str) -> u64 {
        reference.len() as u64
    }

    #[test]
    fn references_with_the_same_hash_are_still_told_apart() {
        let references = [
            Some("A1"),
            Some("B2"),
            Some("A1"),
            Some("C3"),
            Some("B2"),
            Some("D"),
        ];
        let (numbers, distinct) =
            number_references_by(references.len(), |row| references[row], 0, by_length);
        assert_eq!(distinct, 4);
        assert_eq!(numbers[0], numbers[2]);
        assert_eq!(numbers[1], numbers[4]);
        let mut seen = vec![numbers[0], numbers[1], numbers[3], numbers[5]];
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), 4, "{numbers:?}");
    }

    proptest! {
        /// Against the plainest numbering there is, with the rows in one group or several, by
        /// a real hash or one that most references share. Few spellings, so many rows share one.
        #[test]
        fn numbers_tell_references_apart_as_the_text_does(
            references in proptest::collection::vec(proptest::option::of("[A-C][0-9]{0,2}"), 0..400),
            group_bits in 0u32..4,
            colliding in any::<bool>(),
        ) {
            let reference = |row: usize| references[row].as_deref();
            let (numbers, distinct) = if colliding {
                number_references_by(references.len(), reference, group_bits, by_length)
            } else {
                let real = foldhash::fast::FixedState::with_seed(1);
                number_references_by(references.len(), reference, group_bits, |r| real.hash_one(r))
            };
            let mut plain: Vec<&str> = Vec::new();
            for reference in references.iter().flatten() {
                if !plain.contains(&reference.as_str()) {
                    plain.push(reference);
                }
            }
            prop_assert_eq!(distinct, plain.len());
            for (a, ref_a) in references.iter().enumerate() {
                prop_assert_eq!(numbers[a] == NO_REFERENCE, ref_a.is_none());
                prop_assert!(ref_a.is_none() || (numbers[a] as usize) < distinct);
                for (b, ref_b) in references.iter().enumerate() {
                    if ref_a.is_some() && ref_b.is_some() {
                        prop_assert_eq!(numbers[a] == numbers[b], ref_a == ref_b);
                    }
                }
            }
        }
    }
}
