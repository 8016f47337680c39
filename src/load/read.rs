//! Reading one CSV export into typed columns, record by record, so that every problem can be
//! named by line and column and every physical line of the file is accounted for: the header,
//! lines before it, blank lines, and rows (some running over several lines in a free-text note).

use std::collections::BTreeMap;
use std::io::{self, Read, Seek};

use super::columns::Cells;
use super::contract::{ColumnSpec, Presence, Source, ValueKind};
use super::headers::locate_columns;
pub use super::headers::{HeaderMap, normalise_header};
use super::problems::{Kind, Problem, Problems, Severity};
use super::records::{Field, Span, Tokenizer, field_value, looks_like_a_row};
use super::sniff;
use super::values::{self, DateShape};
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
        if let Ok(mut table) = read_text(source, name, "UTF-8", &mut stream, options, &mut found) {
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
        options,
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

/// Reads the header and rows of a text that is not blank.
fn read_text<R: Read + Seek>(
    source: Source,
    name: &str,
    encoding: &'static str,
    stream: &mut Stream<R>,
    options: &ReadOptions,
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
        columns: source
            .columns()
            .iter()
            .zip(&positions)
            .map(|(spec, position)| {
                (
                    spec,
                    position.map(|_| {
                        let withheld = options.withheld.contains(&spec.name);
                        Cells::with_capacity(spec.kind, rows, withheld)
                    }),
                )
            })
            .collect(),
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
    reader.read_rows(stream, &mut table, &headers, &positions, problems)?;
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

struct Reader<'a> {
    delimiter: u8,
    /// The physical line the next record starts on.
    line: u64,
    fields: Vec<Field>,
    name: &'a str,
    date_format: Option<&'a str>,
}

/// How the dates of one column were written, to say which order was assumed.
#[derive(Default)]
struct DateOrders {
    ambiguous: usize,
    day_first: usize,
    month_first: usize,
    example: Option<(u64, String)>,
}

impl<'a> Reader<'a> {
    /// The next whole record's fields into `fields`, bringing more of the file into the window
    /// while a quoted field runs on past its end; `None` at the end of the file.
    fn next_record<R: Read + Seek>(
        &mut self,
        stream: &mut Stream<R>,
    ) -> Result<Option<Span>, NotPlainUtf8> {
        loop {
            let mut tokenizer =
                Tokenizer::at(stream.text(), self.delimiter, stream.consumed(), self.line);
            let span = tokenizer.next_record(&mut self.fields);
            let whole = span.is_some() && !self.fields.iter().any(|f| f.unclosed);
            if whole || stream.at_eof() {
                let (offset, line) = tokenizer.position();
                stream.consume_to(offset);
                self.line = line;
                return Ok(span);
            }
            stream.advance()?;
        }
    }

    /// Reads the record at `span` again, to the end of its first line, every quote a plain
    /// character.
    fn reread_literally<R: Read + Seek>(&mut self, stream: &mut Stream<R>, span: &Span) -> Span {
        let mut tokenizer =
            Tokenizer::at(stream.text(), self.delimiter, span.offset, span.first_line);
        let span = tokenizer
            .next_record_literal(&mut self.fields)
            .expect("the record is in the window");
        let (offset, line) = tokenizer.position();
        stream.consume_to(offset);
        self.line = line;
        span
    }

    fn read_rows<R: Read + Seek>(
        &mut self,
        stream: &mut Stream<R>,
        table: &mut Table,
        headers: &[String],
        positions: &[Option<usize>],
        problems: &mut Problems,
    ) -> Result<(), NotPlainUtf8> {
        let column_of: Vec<Option<usize>> = (0..headers.len())
            .map(|field| positions.iter().position(|p| *p == Some(field)))
            .collect();
        let mut orders: Vec<DateOrders> =
            (0..positions.len()).map(|_| Default::default()).collect();
        while let Some(mut span) = self.next_record(stream)? {
            table.account.total = span.last_line;
            if self.is_blank(stream.text()) {
                table.account.blank.extend(span.first_line..=span.last_line);
                continue;
            }
            let row = table.lines.len();
            table.lines.push(span.first_line);
            if let Some(runaway) = self.runaway_quote(stream.text(), &span, headers.len()) {
                // Read the row again with the quote as a plain character, and the lines it
                // swallowed as rows of their own.
                span = self.reread_literally(stream, &span);
                let column = headers.get(runaway.0).cloned().unwrap_or_default();
                let problem = Problem::new(
                    Severity::Error,
                    Kind::StrayQuote,
                    self.name,
                    format!(
                        "a quote opened here runs to line {}; is a closing quote missing? The lines after it were read as rows of their own",
                        runaway.1
                    ),
                )
                .at(span.first_line)
                .in_column(&column);
                table.reject(problems, row, problem);
            }
            table.account.row_lines += span.lines();
            self.check_line_breaks(table, row, &span, headers, &column_of, problems);
            if self.fields.len() != headers.len() {
                let message = format!(
                    "the row has {} fields but the header has {}",
                    self.fields.len(),
                    headers.len()
                );
                let problem = Problem::new(Severity::Error, Kind::FieldCount, self.name, message)
                    .at(span.first_line);
                table.reject(problems, row, problem);
            }
            self.read_cells(stream.text(), table, row, positions, &mut orders, problems);
        }
        self.report_date_orders(table, &orders, problems);
        Ok(())
    }

    /// A row of nothing, or of nothing but delimiters.
    fn is_blank(&self, text: &str) -> bool {
        self.fields
            .iter()
            .all(|f| !f.quoted && text[f.start..f.end].trim().is_empty())
    }

    /// A quote that never closes, or that swallows what look like whole rows: the field's index
    /// and the line the record ran to.
    fn runaway_quote(&self, text: &str, span: &Span, header_fields: usize) -> Option<(usize, u64)> {
        self.fields
            .iter()
            .position(|field| {
                field.unclosed
                    || (field.line_breaks > 0
                        && text[field.start..field.end]
                            .split(['\n', '\r'])
                            .skip(1)
                            .any(|line| looks_like_a_row(line, self.delimiter, header_fields)))
            })
            .map(|index| (index, span.last_line))
    }

    /// A value over several lines is allowed in free text (and in columns the report does not
    /// use); anywhere else it is an error.
    fn check_line_breaks(
        &self,
        table: &mut Table,
        row: usize,
        span: &Span,
        headers: &[String],
        column_of: &[Option<usize>],
        problems: &mut Problems,
    ) {
        for (index, field) in self.fields.iter().enumerate() {
            if field.line_breaks == 0 {
                continue;
            }
            let spec = column_of
                .get(index)
                .copied()
                .flatten()
                .map(|c| table.source.columns()[c]);
            let column = headers.get(index).cloned().unwrap_or_default();
            match spec {
                Some(spec) if spec.kind != ValueKind::Text => {
                    let problem = Problem::new(
                        Severity::Error,
                        Kind::LineBreak,
                        self.name,
                        format!(
                            "a line break inside the value (lines {} to {}); only free-text columns may run over several lines",
                            span.first_line, span.last_line
                        ),
                    )
                    .at(span.first_line)
                    .in_column(spec.name);
                    table.reject(problems, row, problem);
                }
                _ => table.account.multiline.push(MultiLine {
                    first_line: span.first_line,
                    last_line: span.last_line,
                    column,
                }),
            }
        }
    }

    fn read_cells(
        &self,
        text: &str,
        table: &mut Table,
        row: usize,
        positions: &[Option<usize>],
        orders: &mut [DateOrders],
        problems: &mut Problems,
    ) {
        let line = table.lines[row];
        let mut rejected = Vec::new();
        for (index, ((spec, cells), position)) in
            table.columns.iter_mut().zip(positions).enumerate()
        {
            let (Some(cells), Some(position)) = (cells.as_mut(), position) else {
                continue;
            };
            let value = self
                .fields
                .get(*position)
                .map(|f| field_value(text, f))
                .unwrap_or_default();
            // A cell has at least as many bytes as characters: count only the long ones.
            if value.len() > EXCEL_CELL_LIMIT && value.chars().count() > EXCEL_CELL_LIMIT {
                problems.push(
                    Problem::new(
                        Severity::Warning,
                        Kind::LongValue,
                        self.name,
                        format!(
                            "the value is {} characters long; the Excel appendix cuts a cell at {} characters and marks the cut",
                            crate::render::format::thousands(value.chars().count() as i64),
                            crate::render::format::thousands(EXCEL_CELL_LIMIT as i64)
                        ),
                    )
                    .at(line)
                    .in_column(spec.name),
                );
            }
            match cells.push_value(spec.kind, &value, self.date_format) {
                Ok((present, shape)) => {
                    if let Some(shape) = shape {
                        let order = &mut orders[index];
                        match shape {
                            DateShape::Ambiguous => {
                                order.ambiguous += 1;
                                if order.example.is_none() {
                                    order.example = Some((line, value.trim().to_string()));
                                }
                            }
                            DateShape::DayFirst => order.day_first += 1,
                            DateShape::Clear => {}
                        }
                    }
                    if !present && spec.presence == Presence::Required {
                        rejected.push(
                            Problem::new(
                                Severity::Error,
                                Kind::MissingValue,
                                self.name,
                                "missing value (this column is required)",
                            )
                            .at(line)
                            .in_column(spec.name),
                        );
                    }
                }
                Err(error) => {
                    if spec.kind == ValueKind::Date && values::looks_month_first(&value) {
                        orders[index].month_first += 1;
                    }
                    rejected.push(
                        Problem::new(Severity::Error, Kind::BadValue, self.name, error.message)
                            .at(line)
                            .in_column(spec.name)
                            .with_value(value.trim(), error.public),
                    );
                }
            }
        }
        for problem in rejected {
            table.reject(problems, row, problem);
        }
    }

    /// A file whose every slashed date could be read either way says which way it was read. One
    /// date with a day over 12 settles it for the whole file (an export writes all its dates
    /// alike); one that can only be month first is an error that says so already.
    fn report_date_orders(&self, table: &Table, orders: &[DateOrders], problems: &mut Problems) {
        let settled = orders.iter().any(|o| o.day_first > 0 || o.month_first > 0);
        let ambiguous: Vec<(&str, &(u64, String))> = table
            .columns
            .iter()
            .zip(orders)
            .filter(|(_, o)| o.ambiguous > 0)
            .filter_map(|((spec, _), o)| o.example.as_ref().map(|e| (spec.name, e)))
            .collect();
        let Some((_, (line, example))) = ambiguous.first() else {
            return;
        };
        if settled {
            return;
        }
        let reading = values::parse_date(example, None)
            .ok()
            .flatten()
            .map(crate::period::long_date)
            .unwrap_or_default();
        let columns: Vec<&str> = ambiguous.iter().map(|(c, _)| *c).collect();
        let columns = match columns.as_slice() {
            [only] => format!("every date in {only}"),
            [rest @ .., last] => format!("every date in {} and {last}", rest.join(", ")),
            [] => unreachable!("at least one column"),
        };
        problems.push(
            Problem::new(
                Severity::Warning,
                Kind::DateOrder,
                self.name,
                format!(
                    "{columns} could be day/month or month/day (such as '{example}' on line {line}); they were read as day/month, the UK order ('{example}' is {reading}); if the export writes the month first, set [data] date_format = \"%m/%d/%Y\" in report.toml"
                ),
            )
            .with_value(
                example,
                format!("{columns} could be day/month or month/day; they were read as day/month, the UK order"),
            ),
        );
    }

    fn report_blank_lines(&self, table: &Table, problems: &mut Problems) {
        let blank = &table.account.blank;
        if blank.is_empty() {
            return;
        }
        problems.warning(
            Kind::SkippedLines,
            self.name,
            format!(
                "{} {} skipped",
                line_list("blank line", blank),
                if blank.len() == 1 { "was" } else { "were" }
            ),
        );
    }
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

#[cfg(test)]
mod tests;
