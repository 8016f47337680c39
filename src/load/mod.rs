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
mod signal;
pub mod sniff;
pub mod split;
pub mod summary;
pub mod values;
pub mod window;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use chrono::NaiveDate;
use polars::prelude::*;
use rayon::prelude::*;
use serde::Serialize;

use crate::calendar::Calendar;
use crate::error::{Error, Result};
use crate::period::Period;
use columns::{BLANK, Cells, Dictionary, LabelColumn};
use contract::Source;
use labels::Roles;
use problems::{Problem, Problems};
use read::{HeaderMap, ReadOptions, Table};
use signal::Signal;
pub use summary::{Checked, Excluded, FileSummary};
use summary::{account, period_problem, summarise};

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
    /// The personal free-text columns whose words an output of the run quotes. Every other
    /// personal free-text column is read and checked as ever, and whether each cell was filled
    /// is kept, but its words are not: a run that does not show them never holds them.
    pub quoted: &'a [(Source, &'static str)],
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
        period_problem(&self.files, period)
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
                // The latest stored day number, made a date once: a date made of every cell
                // cost 60 ms at a million rows.
                columns
                    .iter()
                    .filter_map(move |c| frame.column(c).ok()?.date().ok()?.physical().max())
            })
            .max()
            .and_then(|day| crate::calendar::date_of_day(day.into()))
    }

    /// Whether the export had this column at all (as opposed to having it blank).
    pub fn recorded(&self, source: Source, column: &str) -> bool {
        self.file(source)
            .is_some_and(|f| f.columns_present.contains(&column))
    }
}

/// What reading one file found, before any frame is made of it.
struct ReadFile {
    summary: FileSummary,
    table: Table,
    keep: Vec<bool>,
    /// How representations' stages link up, one entry per row read.
    links: Option<checks::StageLinks>,
    problems: Problems,
    /// The file is large enough for the memory its read freed to be worth handing back.
    large: bool,
}

/// A file this large is read in two parts, and the memory its read frees is worth handing back
/// at once. Below it there is little to hand back, and one council's report peaked 8 MB higher
/// when every file's was.
const RETURN_FREED_FROM: u64 = split::SPLIT_FROM;

/// Reads every file of the data folder, both cores at once: the representations file, by far
/// the largest, on one; the others in turn on the other. Each file's reading is independent of
/// the others', and the results are joined in the contract's order, so they are the same as one
/// core's. With `in_two`, a large file is itself read in two parts side by side (`split`), with
/// the same result. `finish` turns each file read into what the caller keeps of it.
fn read_all<T: Send>(
    options: &LoadOptions,
    in_two: bool,
    finish: impl Fn(ReadFile) -> Result<T> + Sync,
) -> Result<Vec<T>> {
    if !options.data_dir.is_dir() {
        return Err(Error::NoDataFolder(options.data_dir.to_path_buf()));
    }
    // With `in_two`, the largest of the other files waits until a core is free of the
    // representations' read: its two readers beside the representations' two would share the
    // cores four ways, and the representations, whose checks and frame come after the read on
    // one core, would finish last. The other core reads the rest first, beside the
    // representations' two readers, and the largest while the representations are checked and
    // framed.
    let core_free = Signal::default();
    let read = |source, core_free: Option<&Signal>| -> Result<Option<T>> {
        read_file(source, options, in_two, core_free)?
            .map(&finish)
            .transpose()
    };
    let (representations, others) = std::thread::scope(|scope| {
        let others = scope.spawn(|| {
            let others = &Source::ALL[1..];
            let size = |source: Source| {
                std::fs::metadata(options.data_dir.join(options.mapping.file_name(source)))
                    .map_or(0, |m| m.len())
            };
            let largest = others
                .iter()
                .map(|&s| (size(s), s))
                .filter(|(size, _)| in_two && *size >= split::SPLIT_FROM)
                .max()
                .and_then(|(_, largest)| others.iter().position(|s| *s == largest));
            let mut done: Vec<Option<Result<Option<T>>>> = others
                .iter()
                .enumerate()
                .map(|(at, &s)| (Some(at) != largest).then(|| read(s, None)))
                .collect();
            if let Some(at) = largest {
                core_free.wait();
                done[at] = Some(read(others[at], None));
            }
            done.into_iter().flatten().collect::<Vec<_>>()
        });
        let representations = {
            // Given however the read ends, so the other core never waits for good.
            let _given = core_free.on_drop();
            read(Source::Representations, Some(&core_free))
        };
        let others = others
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (representations, others)
    });
    let mut all = Vec::new();
    for finished in std::iter::once(representations).chain(others) {
        all.extend(finished?);
    }
    Ok(all)
}

/// Reads every file of the data folder. Data problems do not fail the load: they are collected
/// in `Dataset::problems` and the rows at fault left out, so the caller decides whether to stop.
pub fn load(options: &LoadOptions) -> Result<Dataset> {
    let framed = read_all(options, true, |mut read| {
        let derived = derived_columns(&read, &options.mapping.roles);
        let frame = frames::build(&mut read.table, &read.keep, derived)?;
        Ok((read.summary, frame, read.problems, read.large))
    })?;
    let mut files = Vec::new();
    let mut found = Vec::new();
    let mut frames: BTreeMap<Source, DataFrame> = BTreeMap::new();
    let large = framed.iter().any(|(.., large)| *large);
    for (summary, frame, problems, _) in framed {
        frames.insert(summary.source, frame);
        files.push(summary);
        found.push(problems);
    }
    let (files, problems) = account(files, found);
    // Every read table is framed and dropped by now.
    if large {
        crate::memory::return_freed();
    }
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

/// Reads and checks every file of the data folder as `load` does, finding the same problems,
/// without making frames.
pub fn check(options: &LoadOptions) -> Result<Checked> {
    // One reader a file: joining two parts frees half a table, which the allocator keeps for a
    // while, and `check` is the command that must stay under the size of what it reads (at 1M
    // rows, 235 MB against 280 MB read in two, for 0.3 s saved).
    let read = read_all(options, false, |read| Ok((read.summary, read.problems)))?;
    let (files, found) = read.into_iter().unzip();
    let (files, problems) = account(files, found);
    Ok(Checked { files, problems })
}

/// The personal free-text columns of `source` whose words are not kept: those no output quotes.
fn withheld_words(source: Source, quoted: &[(Source, &'static str)]) -> Vec<&'static str> {
    source
        .columns()
        .iter()
        .filter(|spec| spec.kind == contract::ValueKind::Text && spec.personal)
        .map(|spec| spec.name)
        .filter(|name| !quoted.contains(&(source, *name)))
        .collect()
}

/// Withholds every word of a column quoted only with consent (`ColumnSpec::consent`) when the
/// file has no consent column: it consents to nothing. Where it has one, the words of each row
/// that does not say yes were withheld as the row was read.
fn keep_only_consented_words(source: Source, table: &mut Table) {
    for spec in source.columns() {
        let Some(consent) = spec.consent else {
            continue;
        };
        if table.cells(consent).is_some() {
            continue;
        }
        if let Some(Cells::Text(words)) = table.cells_mut(spec.name) {
            words.withhold();
        }
    }
}

/// A representation's stages are linked by its reference, so its words are read whatever the
/// output, and withheld once the links are made.
const LINKED_BY: (Source, &str) = (Source::Representations, "reference");

/// Reads and checks one file of the data folder: `None` when an optional file is absent.
/// `core_free` is given as soon as a file read in two parts needs only one core.
fn read_file(
    source: Source,
    options: &LoadOptions,
    in_two: bool,
    core_free: Option<&Signal>,
) -> Result<Option<ReadFile>> {
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
    let size = file.metadata().map_err(read_error)?.len();
    let open_again =
        || -> std::io::Result<Box<dyn split::Input>> { Ok(Box::new(std::fs::File::open(&path)?)) };
    let headers = options
        .mapping
        .headers
        .get(&source)
        .cloned()
        .unwrap_or_default();
    let withheld = withheld_words(source, options.quoted);
    let withheld_while_reading: Vec<&'static str> = withheld
        .iter()
        .copied()
        .filter(|name| (source, *name) != LINKED_BY)
        .collect();
    let mut table = read::read_input(
        source,
        name,
        file,
        window::CHUNK,
        &ReadOptions {
            header_map: &headers,
            date_format: options.mapping.date_format.as_deref(),
            withheld: &withheld_while_reading,
            split: (in_two && size >= split::SPLIT_FROM).then_some(split::Split {
                open: &open_again,
                near: split::near_for(size),
                one_done: &|| {
                    if let Some(signal) = core_free {
                        signal.give();
                    }
                },
            }),
        },
        &mut problems,
    )
    .map_err(read_error)?;
    if let Some(signal) = core_free {
        signal.give();
    }
    // The read's working copies (a file read in two parts, its windows) are freed by now; a
    // small file's are not worth handing back.
    let large = size >= RETURN_FREED_FROM;
    if large {
        crate::memory::return_freed();
    }
    let label_counts = labels::canonicalise(&mut table, &options.mapping.renames);
    checks::check_dates(&mut table, options.today, options.calendar, &mut problems);
    let links = (source == Source::Representations)
        .then(|| checks::check_representations(&mut table, &mut problems));
    // Linking the stages of a million rows numbers their references in working copies (about
    // 50 MB), freed by now. Kept for reuse, they stood beside the frame built next and the
    // other large file read meanwhile, at the run's peak; handed back, the peak is about 30 MB
    // lower for no time measured (docs/performance.md, change 74).
    if large {
        crate::memory::return_freed();
    }
    for name in withheld {
        if let Some(cells) = table.cells_mut(name) {
            cells.withhold_words();
        }
    }
    keep_only_consented_words(source, &mut table);
    let keep: Vec<bool> = (0..table.rows_read())
        .map(|row| table.is_valid(row))
        .collect();
    let summary = summarise(&table, &path, &keep, label_counts);
    Ok(Some(ReadFile {
        summary,
        table,
        keep,
        links,
        problems,
        large,
    }))
}

/// The columns of representations worked out from the whole file, over the kept rows: the
/// stage links, and each row's label roles.
fn derived_columns(read: &ReadFile, roles: &Roles) -> Vec<Column> {
    let Some(links) = &read.links else {
        return Vec::new();
    };
    let keep = &read.keep;
    let mut columns = vec![
        frames::derived(
            derived::STARTS_REPRESENTATION,
            &links.starts_representation,
            keep,
        ),
        frames::derived(derived::REACHED_STAGE, &links.reached_stage, keep),
    ];
    let roles: Vec<Column> = role_columns(&read.table, roles)
        .into_par_iter()
        .map(|(name, cells)| frames::build_cells(name, cells, keep))
        .collect();
    columns.extend(roles);
    columns
}

/// The role columns of representations, from the canonical labels and the configured roles:
/// each distinct label is looked up once, and its rows take the answer by code.
fn role_columns(table: &Table, roles: &Roles) -> Vec<(&'static str, Cells)> {
    let rows = table.rows_read();
    let labels = |name: &str| table.cells(name).and_then(Cells::labels);
    fn per_code<T: Copy>(
        column: Option<&LabelColumn>,
        rows: usize,
        mut look_up: impl FnMut(&str) -> T,
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
    // The role's own dictionary, coded once per outcome spelling rather than once per row.
    let mut dictionary = Dictionary::default();
    let codes = per_code(labels("outcome"), rows, |outcome| {
        roles
            .outcome_role(outcome)
            .map_or(BLANK, |role| dictionary.code(role.key()))
    });
    let outcome_roles = LabelColumn {
        codes: codes
            .into_iter()
            .map(|code| code.unwrap_or(BLANK))
            .collect(),
        dictionary,
    };
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
