//! Reading one CSV export into typed columns, record by record, so that every problem can be
//! named by line and column and every physical line of the file is accounted for: the header,
//! lines before it, blank lines, and rows (some running over several lines in a free-text note).

use std::collections::BTreeMap;
use std::io::{self, Read, Seek};

use super::columns::Cells;
use super::contract::{ColumnSpec, Source};
use super::headers::locate_columns;
pub use super::headers::{HeaderMap, normalise_header};
use super::problems::{Kind, Problem, Problems, Severity};
use super::records::field_value;
use super::sniff;
use super::split::{self, Layout, Split};
use super::window::{self, NotPlainUtf8, Stream};

/// Excel's limit on the characters in one cell.
pub const EXCEL_CELL_LIMIT: usize = 32_767;

/// Why a row cannot be used: for the people fixing the export, and for public output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowReason {
    pub message: String,
    pub public: String,
}

/// A quoted value that runs over several lines, as free text may.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultiLine {
    pub first_line: u64,
    pub last_line: u64,
    pub column: String,
}

/// How every physical line of a file was read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineAccount {
    pub total: u64,
    /// Lines above the header row (titles, export dates), not read.
    pub before_header: u64,
    pub header_line: u64,
    /// Lines the header row takes (one, unless a header is quoted over two lines).
    pub header_lines: u64,
    /// Blank lines, and rows of nothing but delimiters.
    pub blank: Vec<u64>,
    /// Rows whose free text runs over more than one line.
    pub multiline: Vec<MultiLine>,
    /// Lines taken by rows, however read.
    pub row_lines: u64,
}

impl LineAccount {
    /// Whether the parts add up to the whole: no line unaccounted for.
    pub fn balances(&self) -> bool {
        self.before_header + self.header_lines + self.blank.len() as u64 + self.row_lines
            == self.total
    }
}

/// A file as read: every row's lines, whether it passed, and its typed cells.
#[derive(Debug, Clone)]
pub struct Table {
    pub source: Source,
    pub name: String,
    pub sha256: String,
    /// The text encoding the file was decoded from.
    pub encoding: &'static str,
    pub delimiter: u8,
    /// The line each row starts on.
    pub lines: Vec<u64>,
    /// Why each unusable row is unusable, by row; a good row has no entry (most rows are good,
    /// and a million empty lists would cost more than the rows' dates).
    pub row_errors: BTreeMap<usize, Vec<RowReason>>,
    pub columns: Vec<(&'static ColumnSpec, Option<Cells>)>,
    /// Headers in the file that the contract does not use.
    pub ignored_headers: Vec<String>,
    /// No row of the file can be used: it is not text, has no header, or lacks a required column.
    pub unusable: bool,
    pub account: LineAccount,
}

impl Table {
    pub fn rows_read(&self) -> usize {
        self.lines.len()
    }

    pub fn cells(&self, name: &str) -> Option<&Cells> {
        self.columns
            .iter()
            .find(|(spec, _)| spec.name == name)
            .and_then(|(_, cells)| cells.as_ref())
    }

    pub fn cells_mut(&mut self, name: &str) -> Option<&mut Cells> {
        self.columns
            .iter_mut()
            .find(|(spec, _)| spec.name == name)
            .and_then(|(_, cells)| cells.as_mut())
    }

    pub fn has_column(&self, name: &str) -> bool {
        self.cells(name).is_some()
    }

    /// Records an error in row `row`: in `problems`, and as the reason the row is left out.
    pub fn reject(&mut self, problems: &mut Problems, row: usize, problem: Problem) {
        let column = problem.column.as_deref().map(|c| format!("{c}: "));
        let column = column.unwrap_or_default();
        self.row_errors.entry(row).or_default().push(RowReason {
            message: format!("{column}{}", problem.message),
            public: format!("{column}{}", problem.public_message),
        });
        problems.push(problem);
    }

    pub fn is_valid(&self, row: usize) -> bool {
        !self.unusable && !self.row_errors.contains_key(&row)
    }

    /// Why row `row` is left out; empty for a good row.
    pub fn reasons(&self, row: usize) -> &[RowReason] {
        self.row_errors.get(&row).map_or(&[], Vec::as_slice)
    }

    fn empty(source: Source, name: &str, sha256: String, encoding: &'static str) -> Table {
        Table {
            source,
            name: name.to_string(),
            sha256,
            encoding,
            delimiter: b',',
            lines: Vec::new(),
            row_errors: BTreeMap::new(),
            columns: source.columns().iter().map(|spec| (spec, None)).collect(),
            ignored_headers: Vec::new(),
            unusable: true,
            account: LineAccount::default(),
        }
    }
}

pub use super::window::sha256_hex;

/// Options that say how to read a file's values.
pub struct ReadOptions<'a> {
    pub header_map: &'a HeaderMap,
    pub date_format: Option<&'a str>,
    /// Free-text columns whose words are not kept: they are read and checked as ever, and
    /// whether each cell was filled is kept, but nothing in the run needs what they say.
    pub withheld: &'a [&'static str],
    /// A large file read in two parts side by side (`split`), with the same result.
    pub split: Option<Split<'a>>,
}

/// Reads and types every row of one file held in memory, recording each problem in `problems`.
pub fn read_table(
    source: Source,
    name: &str,
    bytes: &[u8],
    options: &ReadOptions,
    problems: &mut Problems,
) -> Table {
    read_input(
        source,
        name,
        io::Cursor::new(bytes),
        window::CHUNK,
        options,
        problems,
    )
    .expect("reading from memory cannot fail")
}

/// Reads and types every row of `input`, `chunk` bytes at a time where the file is plain UTF-8
/// (and whole where it is not), recording each problem in `problems`. The result is the same
/// whatever `chunk` is.
pub fn read_input<R: Read + Seek>(
    source: Source,
    name: &str,
    input: R,
    chunk: usize,
    options: &ReadOptions,
    problems: &mut Problems,
) -> io::Result<Table> {
    let mut stream = Stream::open(input, chunk)?;
    if stream.streamable() {
        // The problems wait until the whole file has proved to be UTF-8.
        let mut found = Problems::default();
        let read = read_text(
            source,
            name,
            "UTF-8",
            &mut stream,
            options,
            chunk,
            &mut found,
        );
        if let Ok(mut table) = read {
            table.sha256 = stream.finish()?;
            problems.extend(found);
            return Ok(table);
        }
    }
    let (bytes, sha256) = stream.restart()?;
    let severity = unusable_file_severity(source);
    let decoded = match sniff::decode(&bytes) {
        Ok(decoded) => decoded,
        Err(what) => {
            problems.push(Problem::new(Severity::Error, Kind::NotText, name, what));
            return Ok(Table::empty(source, name, sha256, "binary"));
        }
    };
    if let Some(note) = &decoded.note {
        problems.warning(Kind::Encoding, name, note.clone());
    }
    if decoded.text.trim().is_empty() {
        problems.push(Problem::new(
            severity,
            Kind::Empty,
            name,
            "the file is empty: it has no header row",
        ));
        return Ok(Table::empty(source, name, sha256, decoded.encoding));
    }
    let mut whole = Stream::whole(decoded.text.into_owned());
    let mut table = read_text(
        source,
        name,
        decoded.encoding,
        &mut whole,
        // A text decoded whole is not the file's bytes, so it cannot be split by offset.
        &ReadOptions {
            split: None,
            ..*options
        },
        chunk,
        problems,
    )
    .expect("a text read whole is already decoded");
    table.sha256 = sha256;
    Ok(table)
}

/// An optional file that cannot be used is a warning: the report goes on without it.
fn unusable_file_severity(source: Source) -> Severity {
    if source.is_required() {
        Severity::Error
    } else {
        Severity::Warning
    }
}

/// Reads the header and rows of a text that is not blank; in two parts side by side when
/// `options.split` says how.
fn read_text<R: Read + Seek>(
    source: Source,
    name: &str,
    encoding: &'static str,
    stream: &mut Stream<R>,
    options: &ReadOptions,
    chunk: usize,
    problems: &mut Problems,
) -> Result<Table, NotPlainUtf8> {
    let severity = unusable_file_severity(source);
    let expected: Vec<String> = source
        .columns()
        .iter()
        .map(|spec| normalise_header(options.header_map.header_for(spec.name).0))
        .collect();
    let layout = sniff::layout(stream.text(), &expected);
    stream.consume_to(layout.header_offset);
    let mut reader = Reader {
        delimiter: layout.delimiter,
        line: layout.header_line,
        fields: Vec::new(),
        name,
        date_format: options.date_format,
        lines_above: None,
    };
    let header_span = reader.next_record(stream)?.expect("the text is not blank");
    let headers: Vec<String> = reader
        .fields
        .iter()
        .map(|f| field_value(stream.text(), f).trim().to_string())
        .collect();
    if layout.header_line > 1 {
        problems.warning(
            Kind::SkippedLines,
            name,
            format!(
                "{} before the header row (line {}) {} not read",
                line_list("line", &(1..layout.header_line).collect::<Vec<_>>()),
                layout.header_line,
                if layout.header_line == 2 {
                    "was"
                } else {
                    "were"
                }
            ),
        );
    }
    let (positions, ignored_headers, missing) =
        locate_columns(source, name, &headers, options.header_map, problems);
    let rows = estimated_rows(stream);
    let mut table = Table {
        source,
        name: name.to_string(),
        sha256: String::new(),
        encoding,
        delimiter: layout.delimiter,
        lines: Vec::with_capacity(rows),
        row_errors: BTreeMap::new(),
        columns: new_columns(source, &positions, rows, options.withheld),
        ignored_headers,
        unusable: missing,
        account: LineAccount {
            before_header: layout.header_line - 1,
            header_line: layout.header_line,
            header_lines: header_span.lines(),
            total: header_span.last_line,
            ..LineAccount::default()
        },
    };
    let layout = Layout {
        headers: &headers,
        positions: &positions,
        withheld: options.withheld,
        chunk,
    };
    let mut orders = DateOrders::per_column(positions.len());
    match options.split {
        Some(split) => split::read_rows_in_two(
            split,
            &mut reader,
            stream,
            &mut table,
            &layout,
            &mut orders,
            problems,
        )?,
        None => {
            reader.read_rows(
                stream,
                &mut table,
                &layout,
                &mut orders,
                problems,
                Watch::default(),
            )?;
        }
    }
    reader.report_date_orders(&table, &orders, problems);
    reader.report_blank_lines(&table, problems);
    if table.rows_read() == 0 {
        problems.push(Problem::new(
            severity,
            Kind::NoRows,
            name,
            "the file has a header row but no rows of data",
        ));
        table.unusable = true;
    }
    Ok(table)
}

/// Rows to make room for, from the lines in the first window and the file's size: a guess
/// that spares a national export the copying of columns doubling as they grow. Room not used
/// is never touched, so it costs no memory.
fn estimated_rows<R: Read + Seek>(stream: &Stream<R>) -> usize {
    let window = &stream.text().as_bytes()[stream.consumed()..];
    let lines = memchr::memchr_iter(b'\n', window).count().max(1);
    let bytes_per_line = (window.len() / lines).max(1) as u64;
    let rows = stream.size_hint() / bytes_per_line;
    (rows + rows / 8 + 16).min(1 << 28) as usize
}

/// An empty column for each contract column the file has, with room for `rows` values.
pub(super) fn new_columns(
    source: Source,
    positions: &[Option<usize>],
    rows: usize,
    withheld: &[&'static str],
) -> Vec<(&'static ColumnSpec, Option<Cells>)> {
    source
        .columns()
        .iter()
        .zip(positions)
        .map(|(spec, position)| {
            let withheld = withheld.contains(&spec.name);
            (
                spec,
                position.map(|_| Cells::with_capacity(spec.kind, rows, withheld)),
            )
        })
        .collect()
}

/// "lines 3 to 5, 9 and 12", ranges joined.
pub fn line_list(noun: &str, lines: &[u64]) -> String {
    let mut ranges: Vec<(u64, u64)> = Vec::new();
    for &line in lines {
        match ranges.last_mut() {
            Some((_, end)) if *end + 1 == line => *end = line,
            _ => ranges.push((line, line)),
        }
    }
    let parts: Vec<String> = ranges
        .iter()
        .map(|(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a} to {b}")
            }
        })
        .collect();
    let plural = if lines.len() == 1 { "" } else { "s" };
    let joined = match parts.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    };
    format!("{noun}{plural} {joined}")
}

mod rows;
pub(crate) use rows::{DateOrders, Ended, Reader, Watch};

#[cfg(test)]
mod tests;
