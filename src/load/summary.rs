//! What reading a data folder found, file by file: enough to account for every row and to prove
//! which file it was, without the rows themselves. `check` needs no more than this.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::columns::Cells;
use super::contract::Source;
use super::labels::LabelCounts;
use super::problems::{Kind, Problem, Problems, Severity};
use super::read::{LineAccount, Table};
use crate::period::{FinancialYear, Period};

/// A row left out of the frames, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Excluded {
    pub line: u64,
    pub reason: String,
    /// The reason with no value or case date in it, for public output.
    #[serde(skip)]
    pub public_reason: String,
}

/// What was read from one file: enough to account for every row and to prove which file it was.
#[derive(Debug, Clone, Serialize)]
pub struct FileSummary {
    pub source: Source,
    pub name: String,
    #[serde(skip)]
    pub path: PathBuf,
    pub sha256: String,
    pub encoding: &'static str,
    /// The field separator: `,`, `;`, tab or `|`.
    #[serde(skip)]
    pub delimiter: u8,
    pub rows_read: usize,
    pub excluded: Vec<Excluded>,
    pub first_date: Option<NaiveDate>,
    pub last_date: Option<NaiveDate>,
    /// Each day on which a usable row was received (for actions, due; for training, held),
    /// once, in order.
    #[serde(skip)]
    pub days: Vec<NaiveDate>,
    pub years: Vec<String>,
    pub columns_present: Vec<&'static str>,
    pub columns_absent: Vec<&'static str>,
    pub ignored_headers: Vec<String>,
    #[serde(skip)]
    pub labels: Vec<(&'static str, LabelCounts)>,
    /// How every physical line of the file was read.
    #[serde(skip)]
    pub account: LineAccount,
}

impl FileSummary {
    pub fn rows_used(&self) -> usize {
        self.rows_read - self.excluded.len()
    }
}

/// What `check` needs of a data folder: every problem and the account of every file. No frame
/// is made and no personal words are kept, so a check of a national export costs little more
/// than reading it.
#[derive(Debug, Clone)]
pub struct Checked {
    pub files: Vec<FileSummary>,
    pub problems: Problems,
}

impl Checked {
    pub fn file(&self, source: Source) -> Option<&FileSummary> {
        self.files.iter().find(|f| f.source == source)
    }

    pub fn period_problem(&self, period: &Period) -> Option<Problem> {
        period_problem(&self.files, period)
    }
}

/// The account of every file and every problem, the same way round for a check as for a load.
pub(super) fn account(
    files: Vec<FileSummary>,
    found: Vec<Problems>,
) -> (Vec<FileSummary>, Problems) {
    let mut problems = Problems::default();
    for found in found {
        problems.extend(found);
    }
    if let Some(file) = files.iter().find(|f| f.source == Source::Representations) {
        gap_years(file, &mut problems);
    }
    problems.sort();
    (files, problems)
}

/// The problem with making a report for `period` when no usable representation was received in it.
pub(super) fn period_problem(files: &[FileSummary], period: &Period) -> Option<Problem> {
    let file = files.iter().find(|f| f.source == Source::Representations)?;
    let first_on_or_after = file.days.partition_point(|d| *d < period.start);
    if file
        .days
        .get(first_on_or_after)
        .is_some_and(|d| period.contains(*d))
    {
        return None;
    }
    let covers = match file.years.as_slice() {
        [] => "the file has no usable rows".to_string(),
        [only] => format!("the data covers {only}"),
        [first, .., last] => format!("the data covers {first} to {last}"),
    };
    Some(Problem::new(
        Severity::Error,
        Kind::EmptyPeriod,
        &file.name,
        format!(
            "no representations were received in {} ({}); {covers}",
            period.label,
            period.in_words()
        ),
    ))
}

/// A year with no representations between years that have them: part of the export may be
/// missing.
fn gap_years(file: &FileSummary, problems: &mut Problems) {
    let years: Vec<FinancialYear> = file.years.iter().filter_map(|y| y.parse().ok()).collect();
    let (Some(first), Some(last)) = (years.first(), years.last()) else {
        return;
    };
    for start in first.start_year() + 1..last.start_year() {
        let year = FinancialYear::starting(start);
        if !years.contains(&year) {
            problems.warning(
                Kind::EmptyPeriod,
                &file.name,
                format!(
                    "no representations were received in {year}, though the data runs from {first} to {last}: is part of the export missing?"
                ),
            );
        }
    }
}

pub(super) fn summarise(
    table: &Table,
    path: &Path,
    keep: &[bool],
    labels: Vec<(&'static str, LabelCounts)>,
) -> FileSummary {
    let excluded = (0..table.rows_read())
        .filter(|&row| !keep[row])
        .map(|row| {
            let reasons = table.reasons(row);
            let join = |public: bool| {
                if table.unusable {
                    return "the file cannot be used: see the problems with its header".to_string();
                }
                reasons
                    .iter()
                    .map(|r| {
                        if public {
                            r.public.as_str()
                        } else {
                            r.message.as_str()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            Excluded {
                line: table.lines[row],
                reason: join(false),
                public_reason: join(true),
            }
        })
        .collect();
    let days: Vec<NaiveDate> = match table.source {
        Source::Context | Source::OmbudsmanReview => Vec::new(),
        Source::Training => days_of(table, "date", keep),
        Source::Actions => days_of(table, "due", keep),
        _ => days_of(table, "received", keep),
    };
    let years: BTreeSet<FinancialYear> = match table.cells("year") {
        Some(Cells::Year(years)) => years
            .iter()
            .zip(keep)
            .filter(|(_, k)| **k)
            .filter_map(|(y, _)| *y)
            .collect(),
        _ => days.iter().map(|d| FinancialYear::containing(*d)).collect(),
    };
    FileSummary {
        source: table.source,
        name: table.name.clone(),
        path: path.to_path_buf(),
        sha256: table.sha256.clone(),
        encoding: table.encoding,
        delimiter: table.delimiter,
        rows_read: table.rows_read(),
        excluded,
        first_date: days.first().copied(),
        last_date: days.last().copied(),
        days,
        years: years.iter().map(ToString::to_string).collect(),
        columns_present: table
            .columns
            .iter()
            .filter(|(_, c)| c.is_some())
            .map(|(s, _)| s.name)
            .collect(),
        columns_absent: table
            .columns
            .iter()
            .filter(|(_, c)| c.is_none())
            .map(|(s, _)| s.name)
            .collect(),
        ignored_headers: table.ignored_headers.clone(),
        labels,
        account: table.account.clone(),
    }
}

/// The distinct days of `column` in the kept rows, in order.
fn days_of(table: &Table, column: &str, keep: &[bool]) -> Vec<NaiveDate> {
    let Some(dates) = table.cells(column).and_then(|c| c.dates()) else {
        return Vec::new();
    };
    distinct_days(
        dates
            .iter()
            .zip(keep)
            .filter(|(_, k)| **k)
            .filter_map(|(d, _)| *d),
    )
}

/// The widest span of days marked in a table rather than sorted: about 180 years.
const MARKED_SPAN: i32 = 1 << 16;

/// The distinct days among `dates`, in order. An export's days lie within a few years, so each
/// is marked in a table by its distance from the first: a pass over a million rows rather than
/// a sort of them (summarising them took 7 ms instead of 9–13 ms). A wider span, which only a
/// mistyped year makes, is sorted.
fn distinct_days(dates: impl Iterator<Item = NaiveDate> + Clone) -> Vec<NaiveDate> {
    let numbers = dates.clone().map(|d| d.num_days_from_ce());
    let span = numbers.clone().fold(None, |span, n| match span {
        None => Some((n, n)),
        Some((first, last)) => Some((n.min(first), n.max(last))),
    });
    let Some((first, last)) = span else {
        return Vec::new();
    };
    if last - first >= MARKED_SPAN {
        let mut days: Vec<NaiveDate> = dates.collect();
        days.sort_unstable();
        days.dedup();
        return days;
    }
    let mut seen = vec![false; (last - first + 1) as usize];
    for number in numbers {
        seen[(number - first) as usize] = true;
    }
    (first..=last)
        .zip(seen)
        .filter(|(_, seen)| *seen)
        .filter_map(|(number, _)| NaiveDate::from_num_days_from_ce_opt(number))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// Representations received on 1 June 2021 and 1 May 2023 only.
    fn two_days() -> Vec<FileSummary> {
        vec![FileSummary {
            source: Source::Representations,
            name: "representations.csv".into(),
            path: PathBuf::new(),
            sha256: String::new(),
            encoding: "UTF-8",
            delimiter: b',',
            rows_read: 2,
            excluded: Vec::new(),
            first_date: Some(day(2021, 6, 1)),
            last_date: Some(day(2023, 5, 1)),
            days: vec![day(2021, 6, 1), day(2023, 5, 1)],
            years: vec!["2021-22".into(), "2023-24".into()],
            columns_present: Vec::new(),
            columns_absent: Vec::new(),
            ignored_headers: Vec::new(),
            labels: Vec::new(),
            account: LineAccount::default(),
        }]
    }

    /// The days a file's rows were received on, each once and in order, as sorting them would
    /// give: within a few years (marked in a table), and across a mistyped century (sorted).
    #[test]
    fn distinct_days_are_each_day_once_in_order() {
        let days = [
            day(2024, 3, 31),
            day(2023, 4, 1),
            day(2024, 3, 31),
            day(2023, 4, 2),
            day(2023, 4, 1),
        ];
        assert_eq!(
            distinct_days(days.into_iter()),
            [day(2023, 4, 1), day(2023, 4, 2), day(2024, 3, 31)]
        );
        let mistyped = [day(2023, 4, 1), day(2302, 4, 1), day(2023, 4, 1)];
        assert_eq!(
            distinct_days(mistyped.into_iter()),
            [day(2023, 4, 1), day(2302, 4, 1)]
        );
        assert_eq!(distinct_days(std::iter::empty()), []);
        assert_eq!(
            distinct_days([day(2024, 2, 29)].into_iter()),
            [day(2024, 2, 29)]
        );
    }

    proptest::proptest! {
        /// Marking days gives what sorting them gives, for spans either side of the table's
        /// width.
        #[test]
        fn marking_days_is_sorting_them(
            numbers in proptest::collection::vec(0i32..(MARKED_SPAN + 400), 0..300),
            narrow in proptest::bool::ANY,
        ) {
            let base = day(1950, 1, 1).num_days_from_ce();
            let dates: Vec<NaiveDate> = numbers
                .iter()
                .map(|n| if narrow { n % 400 } else { *n })
                .map(|n| NaiveDate::from_num_days_from_ce_opt(base + n).unwrap())
                .collect();
            let mut sorted = dates.clone();
            sorted.sort_unstable();
            sorted.dedup();
            proptest::prop_assert_eq!(distinct_days(dates.into_iter()), sorted);
        }
    }

    #[test]
    fn a_period_is_empty_only_when_no_day_of_it_had_a_representation() {
        let files = two_days();
        let empty = |period: Period| period_problem(&files, &period).is_some();
        let year = |start| FinancialYear::starting(start).period();
        assert!(!empty(year(2021)));
        assert!(!empty(year(2023)));
        // Before, between and after the two days.
        assert!(empty(year(2020)));
        assert!(empty(year(2022)));
        assert!(empty(year(2024)));
        // A period's last day counts, and the day after it does not.
        assert!(!empty(Period::range(day(2023, 4, 1), day(2023, 5, 1))));
        assert!(empty(Period::range(day(2023, 5, 2), day(2023, 6, 1))));
        let problem = period_problem(&files, &year(2022)).unwrap();
        assert_eq!(
            problem.message,
            "no representations were received in 2022-23 (1 April 2022 to 31 March 2023); the data covers 2021-22 to 2023-24"
        );
    }
}
