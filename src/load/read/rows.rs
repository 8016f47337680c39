//! Reading a file's rows, record by record: each row's lines, its cells typed and checked, and
//! every problem named by line and column.

use std::io::{Read, Seek};
use std::sync::atomic::{AtomicBool, Ordering};

use super::super::columns::Cells;
use super::super::contract::{Presence, ValueKind};
use super::super::problems::{Kind, Problem, Problems, Severity};
use super::super::records::{Field, Span, Tokenizer, field_value, looks_like_a_row};
use super::super::split::{Layout, LinesAbove};
use super::super::values::{self, DateShape};
use super::super::window::{NotPlainUtf8, Stream};
use super::{EXCEL_CELL_LIMIT, MultiLine, Table, line_list};

pub(crate) struct Reader<'a> {
    pub(crate) delimiter: u8,
    /// The physical line the next record starts on.
    pub(crate) line: u64,
    pub(crate) fields: Vec<Field>,
    pub(crate) name: &'a str,
    pub(crate) date_format: Option<&'a str>,
    /// For the second part of a file read in two, which numbers its lines from 1: the lines
    /// above it, for a message that names a line.
    pub(crate) lines_above: Option<&'a LinesAbove<'a>>,
}

/// How the dates of one column were written, to say which order was assumed.
#[derive(Default)]
pub(crate) struct DateOrders {
    ambiguous: usize,
    day_first: usize,
    month_first: usize,
    example: Option<(u64, String)>,
}

impl DateOrders {
    /// One for each of `columns` columns, nothing seen yet.
    pub(crate) fn per_column(columns: usize) -> Vec<DateOrders> {
        (0..columns).map(|_| DateOrders::default()).collect()
    }

    /// Adds what a reader of the rest of the file found, its lines numbered from 1 below the
    /// `above` lines read here.
    pub(crate) fn add(&mut self, later: DateOrders, above: u64) {
        self.ambiguous += later.ambiguous;
        self.day_first += later.day_first;
        self.month_first += later.month_first;
        if self.example.is_none() {
            self.example = later.example.map(|(line, value)| (line + above, value));
        }
    }
}

/// Why a reader stopped reading rows.
pub(crate) enum Ended {
    AtEnd,
    /// Between records, at or past the place the second reader starts.
    AtBoundary,
    /// Told to stop: its rows are not wanted.
    Cancelled,
}

/// What a reader watches for between records.
#[derive(Default, Clone, Copy)]
pub(crate) struct Watch<'s> {
    /// The byte where the second reader starts: stop on reaching it.
    pub(crate) boundary: Option<u64>,
    pub(crate) cancel: Option<&'s AtomicBool>,
}

impl<'a> Reader<'a> {
    /// The next whole record's fields into `fields`, bringing more of the file into the window
    /// while a quoted field runs on past its end; `None` at the end of the file.
    pub(crate) fn next_record<R: Read + Seek>(
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

    /// Reads records until the end of the file, or until `watch` says to stop.
    pub(crate) fn read_rows<R: Read + Seek>(
        &mut self,
        stream: &mut Stream<R>,
        table: &mut Table,
        layout: &Layout,
        orders: &mut [DateOrders],
        problems: &mut Problems,
        watch: Watch,
    ) -> Result<Ended, NotPlainUtf8> {
        let (headers, positions) = (layout.headers, layout.positions);
        let column_of: Vec<Option<usize>> = (0..headers.len())
            .map(|field| positions.iter().position(|p| *p == Some(field)))
            .collect();
        let consents = consents(table);
        loop {
            if watch
                .boundary
                .is_some_and(|boundary| stream.offset() >= boundary)
            {
                return Ok(Ended::AtBoundary);
            }
            if watch.cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
                return Ok(Ended::Cancelled);
            }
            let Some(mut span) = self.next_record(stream)? else {
                break;
            };
            table.account.total = span.last_line;
            if self.is_blank(stream.text()) {
                table.account.blank.extend(span.first_line..=span.last_line);
                continue;
            }
            let row = table.lines.len();
            table.lines.push(span.first_line);
            // A record on one line whose last field closed has no quote to run away: most
            // records, and looking through each one's fields was 2% of a million-row report's
            // CPU time (docs/performance.md, change 79).
            let one_line = span.lines() == 1 && !self.fields.last().is_some_and(|f| f.unclosed);
            let runaway = (!one_line)
                .then(|| self.runaway_quote(stream.text(), &span, headers.len()))
                .flatten();
            if let Some(runaway) = runaway {
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
                        self.in_file(runaway.1)
                    ),
                )
                .at(span.first_line)
                .in_column(&column);
                table.reject(problems, row, problem);
            }
            table.account.row_lines += span.lines();
            if span.lines() > 1 {
                self.check_line_breaks(table, row, &span, headers, &column_of, problems);
            }
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
            self.read_cells(stream.text(), table, row, positions, orders, problems);
            withhold_unconsented_words(table, &consents);
        }
        Ok(Ended::AtEnd)
    }

    /// `line` as the file numbers it, for a message.
    fn in_file(&self, line: u64) -> u64 {
        line + self.lines_above.map_or(0, LinesAbove::count)
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
                            self.in_file(span.first_line),
                            self.in_file(span.last_line)
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
    pub(crate) fn report_date_orders(
        &self,
        table: &Table,
        orders: &[DateOrders],
        problems: &mut Problems,
    ) {
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

    pub(crate) fn report_blank_lines(&self, table: &Table, problems: &mut Problems) {
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

/// The free-text columns quoted only with their author's consent, each with the column that
/// says whether it was given, where the file has both: by their places in `table.columns`. (A
/// file without the consent column consents to nothing: its words are withheld whole once
/// read.)
fn consents(table: &Table) -> Vec<(usize, usize)> {
    let place = |name: &str| {
        let found = table
            .columns
            .iter()
            .position(|(spec, _)| spec.name == name)?;
        table.columns[found].1.is_some().then_some(found)
    };
    table
        .columns
        .iter()
        .enumerate()
        .filter_map(|(words, (spec, _))| Some((words, place(spec.consent?)?)))
        .collect()
}

/// Withholds the words just read of a row whose consent column does not say yes: they could
/// never be quoted, so they are not held. Done row by row as the file is read, a million rows'
/// compliments are never held whole (about 16 MB at the run's peak) nor copied to drop them
/// afterwards (20–50 ms; docs/performance.md, change 75).
fn withhold_unconsented_words(table: &mut Table, consents: &[(usize, usize)]) {
    for &(words, consent) in consents {
        let answer = table.columns[consent].1.as_ref().and_then(Cells::bools);
        if answer.and_then(|answers| answers.last()) == Some(&Some(true)) {
            continue;
        }
        if let Some(Cells::Text(words)) = table.columns[words].1.as_mut() {
            words.withhold_last();
        }
    }
}
