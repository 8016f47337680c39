//! Load: a data folder of CSV exports, plus the mapping that says how to read them, becomes typed
//! polars frames and a full account of every row read and every problem found.

pub mod checks;
pub mod columns;
pub mod contract;
pub mod frames;
pub mod headers;
pub mod labels;
pub mod problems;
pub mod read;
pub mod records;
pub mod sniff;
pub mod values;
pub mod window;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use polars::prelude::*;
use serde::Serialize;

use crate::calendar::Calendar;
use crate::error::{Error, Result};
use crate::period::{FinancialYear, Period};
use columns::{BLANK, Cells, Dictionary, LabelColumn};
use contract::Source;
use labels::{LabelCounts, Roles};
use problems::{Kind, Problem, Problems, Severity};
use read::{HeaderMap, LineAccount, ReadOptions, Table};

/// Columns derived while loading representations, beside the contract's own.
pub mod derived {
    /// Stage 1, or no stage: the row that starts a representation.
    pub const STARTS_REPRESENTATION: &str = "starts_representation";
    /// The highest stage the row's reference reached in the data.
    pub const REACHED_STAGE: &str = "reached_stage";
    /// upheld / partially_upheld / not_upheld / withdrawn, from the outcome label.
    pub const OUTCOME_ROLE: &str = "outcome_role";
    /// The complainant label means a child or young person (or their advocate).
    pub const YOUNG_PERSON: &str = "young_person";
    /// The type label means the Ombudsman.
    pub const OMBUDSMAN: &str = "ombudsman";
    /// The type label means a refused or declined representation.
    pub const REFUSED: &str = "refused";
    /// The type is one `[labels] statutory` counts as statutory even without a stage.
    pub const STATUTORY_TYPE: &str = "statutory_type";
}

/// How to read a data folder: file names, header names, date format and label meanings. The
/// defaults read the canonical contract; `report.toml` changes them.
#[derive(Debug, Clone, Default)]
pub struct Mapping {
    pub file_names: BTreeMap<Source, String>,
    pub headers: BTreeMap<Source, HeaderMap>,
    pub date_format: Option<String>,
    pub roles: Roles,
    /// Label spellings to replace, e.g. "CAST N" → "CAST North".
    pub renames: HashMap<String, String>,
}

impl Mapping {
    pub fn file_name(&self, source: Source) -> &str {
        self.file_names
            .get(&source)
            .map(String::as_str)
            .unwrap_or(source.default_file_name())
    }
}

pub struct LoadOptions<'a> {
    pub data_dir: &'a Path,
    pub mapping: &'a Mapping,
    pub calendar: &'a Calendar,
    /// Dates after this are warned about as in the future.
    pub today: NaiveDate,
}

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

impl Serialize for Source {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(self.key())
    }
}

/// The loaded data: one frame per file present, and the account of how it was read.
#[derive(Debug, Clone)]
pub struct Dataset {
    pub representations: DataFrame,
    pub compliments: Option<DataFrame>,
    pub actions: Option<DataFrame>,
    pub context: Option<DataFrame>,
    /// Training sessions on offer, for the staff bulletin.
    pub training: Option<DataFrame>,
    /// The Ombudsman's published annual review figures, as the council enters them.
    pub ombudsman_review: Option<DataFrame>,
    pub files: Vec<FileSummary>,
    pub problems: Problems,
}

impl Dataset {
    pub fn file(&self, source: Source) -> Option<&FileSummary> {
        self.files.iter().find(|f| f.source == source)
    }

    /// The problem with making a report for `period` when no usable representation was received
    /// in it; `check PERIOD` and the report commands say the same.
    pub fn period_problem(&self, period: &Period) -> Option<Problem> {
        let file = self.file(Source::Representations)?;
        let received = self.representations.column("received").ok()?.date().ok()?;
        let in_period = received
            .as_date_iter()
            .flatten()
            .any(|d| period.contains(d));
        if in_period {
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

    /// The latest date anywhere in the usable data — received, acknowledged, responded,
    /// completed: the day the export was taken, near enough, and so the date figures are as at.
    /// Due dates are left out, being in the future by design.
    pub fn latest_date(&self) -> Option<NaiveDate> {
        let frames = [
            Some((
                &self.representations,
                &["received", "acknowledged", "responded"][..],
            )),
            self.compliments.as_ref().map(|f| (f, &["received"][..])),
            self.actions.as_ref().map(|f| (f, &["completed"][..])),
        ];
        frames
            .into_iter()
            .flatten()
            .flat_map(|(frame, columns)| {
                columns.iter().filter_map(move |c| {
                    frame
                        .column(c)
                        .ok()?
                        .date()
                        .ok()?
                        .as_date_iter()
                        .flatten()
                        .max()
                })
            })
            .max()
    }

    /// Whether the export had this column at all (as opposed to having it blank).
    pub fn recorded(&self, source: Source, column: &str) -> bool {
        self.file(source)
            .is_some_and(|f| f.columns_present.contains(&column))
    }
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

/// Reads every file of the data folder. Data problems do not fail the load: they are collected
/// in `Dataset::problems` and the rows at fault left out, so the caller decides whether to stop.
pub fn load(options: &LoadOptions) -> Result<Dataset> {
    if !options.data_dir.is_dir() {
        return Err(Error::NoDataFolder(options.data_dir.to_path_buf()));
    }
    // Both cores: the representations file, by far the largest, on one; the others in turn on
    // the other. Each file's reading is independent of the others', and the results are joined
    // in the contract's order, so they are the same as one core's.
    let (representations, others) = std::thread::scope(|scope| {
        let others = scope.spawn(|| {
            Source::ALL[1..]
                .iter()
                .map(|&source| load_file(source, options))
                .collect::<Vec<_>>()
        });
        let representations = load_file(Source::Representations, options);
        let others = others
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (representations, others)
    });
    let mut problems = Problems::default();
    let mut files = Vec::new();
    let mut frames: BTreeMap<Source, DataFrame> = BTreeMap::new();
    for loaded in std::iter::once(representations).chain(others) {
        let Some((summary, frame, found)) = loaded? else {
            continue;
        };
        problems.extend(found);
        frames.insert(summary.source, frame);
        files.push(summary);
    }

    if let Some(file) = files.iter().find(|f| f.source == Source::Representations) {
        gap_years(file, &mut problems);
    }
    problems.sort();
    let representations = frames
        .remove(&Source::Representations)
        .expect("the representations file was required above");
    Ok(Dataset {
        representations,
        compliments: frames.remove(&Source::Compliments),
        actions: frames.remove(&Source::Actions),
        context: frames.remove(&Source::Context),
        training: frames.remove(&Source::Training),
        ombudsman_review: frames.remove(&Source::OmbudsmanReview),
        files,
        problems,
    })
}

/// Reads, checks and frames one file of the data folder: `None` when an optional file is absent.
fn load_file(
    source: Source,
    options: &LoadOptions,
) -> Result<Option<(FileSummary, DataFrame, Problems)>> {
    let mut problems = Problems::default();
    let name = options.mapping.file_name(source);
    let path = options.data_dir.join(name);
    if !path.is_file() {
        if source.is_required() {
            return Err(Error::MissingRepresentations(path));
        }
        return Ok(None);
    }
    let read_error = |source| Error::Read {
        path: path.clone(),
        source,
    };
    let file = std::fs::File::open(&path).map_err(read_error)?;
    let headers = options
        .mapping
        .headers
        .get(&source)
        .cloned()
        .unwrap_or_default();
    let mut table = read::read_input(
        source,
        name,
        file,
        window::CHUNK,
        &ReadOptions {
            header_map: &headers,
            date_format: options.mapping.date_format.as_deref(),
        },
        &mut problems,
    )
    .map_err(read_error)?;
    let label_counts = labels::canonicalise(&mut table, &options.mapping.renames);
    checks::check_dates(&mut table, options.today, options.calendar, &mut problems);
    let extra = if source == Source::Representations {
        let links = checks::check_representations(&mut table, &mut problems);
        Some((links, role_columns(&table, &options.mapping.roles)))
    } else {
        None
    };

    let keep: Vec<bool> = (0..table.rows_read())
        .map(|row| table.is_valid(row))
        .collect();
    let extra_columns = match extra {
        Some((links, roles)) => {
            let mut columns = vec![
                frames::derived(
                    derived::STARTS_REPRESENTATION,
                    &links.starts_representation,
                    &keep,
                ),
                frames::derived(derived::REACHED_STAGE, &links.reached_stage, &keep),
            ];
            columns.extend(
                roles
                    .into_iter()
                    .map(|(name, cells)| frames::build_cells(name, &cells, &keep)),
            );
            columns
        }
        None => Vec::new(),
    };
    let summary = summarise(&table, &path, &keep, label_counts);
    let frame = frames::build(&mut table, &keep, extra_columns)?;
    Ok(Some((summary, frame, problems)))
}

/// The role columns of representations, from the canonical labels and the configured roles:
/// each distinct label is looked up once, and its rows take the answer by code.
fn role_columns(table: &Table, roles: &Roles) -> Vec<(&'static str, Cells)> {
    let rows = table.rows_read();
    let labels = |name: &str| table.cells(name).and_then(Cells::labels);
    fn per_code<T: Copy>(
        column: Option<&LabelColumn>,
        rows: usize,
        look_up: impl Fn(&str) -> T,
    ) -> Vec<Option<T>> {
        let Some(column) = column else {
            return vec![None; rows];
        };
        let answers: Vec<T> = column
            .dictionary
            .spellings
            .iter()
            .map(|s| look_up(s))
            .collect();
        column
            .codes
            .iter()
            .map(|&c| (c != BLANK).then(|| answers[c as usize]))
            .collect()
    }
    let mut outcome_roles = LabelColumn {
        codes: Vec::with_capacity(rows),
        dictionary: Dictionary::default(),
    };
    for role in per_code(labels("outcome"), rows, |o| roles.outcome_role(o)) {
        outcome_roles.push(role.flatten().map(|r| r.key()));
    }
    vec![
        (derived::OUTCOME_ROLE, Cells::Label(outcome_roles)),
        (
            derived::YOUNG_PERSON,
            Cells::Bool(per_code(labels("complainant"), rows, |c| {
                roles.is_young_person(c)
            })),
        ),
        (
            derived::OMBUDSMAN,
            Cells::Bool(per_code(labels("type"), rows, |k| roles.is_ombudsman(k))),
        ),
        (
            derived::REFUSED,
            Cells::Bool(per_code(labels("type"), rows, |k| roles.is_refused(k))),
        ),
        (
            derived::STATUTORY_TYPE,
            Cells::Bool(per_code(labels("type"), rows, |k| {
                roles.is_statutory_type(k)
            })),
        ),
    ]
}

fn summarise(
    table: &Table,
    path: &Path,
    keep: &[bool],
    labels: Vec<(&'static str, LabelCounts)>,
) -> FileSummary {
    let excluded = (0..table.rows_read())
        .filter(|&row| !keep[row])
        .map(|row| {
            let reasons = &table.row_errors[row];
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
    let main_dates: Vec<NaiveDate> = match table.source {
        Source::Context | Source::OmbudsmanReview => Vec::new(),
        Source::Training => dates_of(table, "date", keep),
        Source::Actions => dates_of(table, "due", keep),
        _ => dates_of(table, "received", keep),
    };
    let years: BTreeSet<String> = match table.cells("year") {
        Some(Cells::Year(years)) => years
            .iter()
            .zip(keep)
            .filter(|(_, k)| **k)
            .filter_map(|(y, _)| y.map(|y| y.to_string()))
            .collect(),
        _ => main_dates
            .iter()
            .map(|d| FinancialYear::containing(*d).to_string())
            .collect(),
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
        first_date: main_dates.iter().min().copied(),
        last_date: main_dates.iter().max().copied(),
        years: years.into_iter().collect(),
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

fn dates_of(table: &Table, column: &str, keep: &[bool]) -> Vec<NaiveDate> {
    table
        .cells(column)
        .and_then(|c| c.dates())
        .map(|dates| {
            dates
                .iter()
                .zip(keep)
                .filter(|(_, k)| **k)
                .filter_map(|(d, _)| *d)
                .collect()
        })
        .unwrap_or_default()
}
