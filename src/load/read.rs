//! Reading one CSV export into typed columns, cell by cell, so that every problem can be named by
//! line and column. Polars frames are built afterwards from the rows that passed.

use std::collections::HashMap;

use chrono::NaiveDate;
use sha2::{Digest, Sha256};

use super::contract::{ColumnSpec, Presence, Source, ValueKind};
use super::problems::Problems;
use super::values;
use crate::period::FinancialYear;

/// One column's parsed values, one entry per data row (valid or not).
#[derive(Debug, Clone)]
pub enum Cells {
    Text(Vec<Option<String>>),
    Labels(Vec<Vec<String>>),
    Date(Vec<Option<NaiveDate>>),
    Bool(Vec<Option<bool>>),
    Int(Vec<Option<i32>>),
    Float(Vec<Option<f64>>),
    Year(Vec<Option<FinancialYear>>),
}

impl Cells {
    pub fn for_kind(kind: ValueKind, capacity: usize) -> Cells {
        match kind {
            ValueKind::Text | ValueKind::Label => Cells::Text(Vec::with_capacity(capacity)),
            ValueKind::Labels => Cells::Labels(Vec::with_capacity(capacity)),
            ValueKind::Date => Cells::Date(Vec::with_capacity(capacity)),
            ValueKind::YesNo => Cells::Bool(Vec::with_capacity(capacity)),
            ValueKind::Stage => Cells::Int(Vec::with_capacity(capacity)),
            ValueKind::Money | ValueKind::Number => Cells::Float(Vec::with_capacity(capacity)),
            ValueKind::FinancialYear => Cells::Year(Vec::with_capacity(capacity)),
        }
    }

    fn push_blank(&mut self) {
        match self {
            Cells::Text(v) => v.push(None),
            Cells::Labels(v) => v.push(Vec::new()),
            Cells::Date(v) => v.push(None),
            Cells::Bool(v) => v.push(None),
            Cells::Int(v) => v.push(None),
            Cells::Float(v) => v.push(None),
            Cells::Year(v) => v.push(None),
        }
    }

    /// Parses `raw` onto the end of the column; on a bad value pushes a blank and returns why.
    fn push(
        &mut self,
        kind: ValueKind,
        raw: &str,
        date_format: Option<&str>,
    ) -> Result<bool, String> {
        fn keep<T>(
            cells: &mut Vec<Option<T>>,
            parsed: values::CellResult<T>,
        ) -> Result<bool, String> {
            match parsed {
                Ok(value) => {
                    let present = value.is_some();
                    cells.push(value);
                    Ok(present)
                }
                Err(why) => {
                    cells.push(None);
                    Err(why)
                }
            }
        }
        match self {
            Cells::Text(cells) => {
                let text = raw.trim();
                cells.push((!text.is_empty()).then(|| text.to_string()));
                Ok(!text.is_empty())
            }
            Cells::Labels(cells) => {
                let labels = values::split_labels(raw);
                let present = !labels.is_empty();
                cells.push(labels);
                Ok(present)
            }
            Cells::Date(cells) => keep(cells, values::parse_date(raw, date_format)),
            Cells::Bool(cells) => keep(cells, values::parse_yes_no(raw)),
            Cells::Int(cells) => keep(cells, values::parse_stage(raw)),
            Cells::Float(cells) => match kind {
                ValueKind::Money => keep(cells, values::parse_money(raw)),
                _ => keep(cells, values::parse_number(raw)),
            },
            Cells::Year(cells) => keep(cells, values::parse_financial_year(raw)),
        }
    }

    pub fn dates(&self) -> Option<&[Option<NaiveDate>]> {
        match self {
            Cells::Date(v) => Some(v),
            _ => None,
        }
    }

    pub fn texts(&self) -> Option<&[Option<String>]> {
        match self {
            Cells::Text(v) => Some(v),
            _ => None,
        }
    }

    pub fn ints(&self) -> Option<&[Option<i32>]> {
        match self {
            Cells::Int(v) => Some(v),
            _ => None,
        }
    }
}

/// Where the export's columns are: for each canonical column, the header to look for.
#[derive(Debug, Clone, Default)]
pub struct HeaderMap {
    pub headers: HashMap<String, String>,
}

impl HeaderMap {
    fn header_for<'a>(&'a self, canonical: &'a str) -> (&'a str, bool) {
        match self.headers.get(canonical) {
            Some(mapped) => (mapped.as_str(), true),
            None => (canonical, false),
        }
    }
}

/// A file as read: every row's line, whether it passed, and its typed cells.
#[derive(Debug, Clone)]
pub struct Table {
    pub source: Source,
    pub name: String,
    pub sha256: String,
    /// The text encoding the file was decoded from.
    pub encoding: &'static str,
    pub lines: Vec<u64>,
    /// Why each row is unusable; empty for a good row.
    pub row_errors: Vec<Vec<String>>,
    pub columns: Vec<(&'static ColumnSpec, Option<Cells>)>,
    /// Headers in the file that the contract does not use.
    pub ignored_headers: Vec<String>,
    /// A required column is missing, so no row of the file can be used.
    pub unusable: bool,
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

    pub fn reject(&mut self, row: usize, reason: String) {
        self.row_errors[row].push(reason);
    }

    pub fn is_valid(&self, row: usize) -> bool {
        !self.unusable && self.row_errors[row].is_empty()
    }
}

/// Header text normalised so `Outcome sought`, `outcome-sought` and `OUTCOME_SOUGHT` match.
pub fn normalise_header(header: &str) -> String {
    header
        .trim()
        .trim_start_matches('\u{feff}')
        .to_lowercase()
        .chars()
        .map(|c| if c == ' ' || c == '-' { '_' } else { c })
        .collect()
}

/// Decodes an export: UTF-8 (with or without a byte-order mark), UTF-16 with a mark, and
/// otherwise Windows-1252 — what Excel on Windows writes when asked for "CSV" — with a warning.
/// UTF-8 is borrowed as it is: a national export is hundreds of megabytes, not to be copied.
pub fn decode<'a>(
    bytes: &'a [u8],
    name: &str,
    problems: &mut Problems,
) -> (std::borrow::Cow<'a, str>, &'static str) {
    if let Some((encoding, bom_length)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _, had_errors) = encoding.decode(&bytes[bom_length..]);
        if had_errors {
            problems.warning(
                name,
                None,
                None,
                format!(
                    "some bytes are not valid {}: replaced with �",
                    encoding.name()
                ),
            );
        }
        return (text, encoding.name());
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (std::borrow::Cow::Borrowed(text), "UTF-8"),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            problems.warning(
                name,
                None,
                None,
                "the file is not UTF-8; it was read as Windows-1252 (save it as \"CSV UTF-8\" to be sure accented letters and £ signs are right)",
            );
            (text, "Windows-1252")
        }
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads and types every row of one file, recording each bad cell in `problems`.
pub fn read_table(
    source: Source,
    name: &str,
    bytes: &[u8],
    header_map: &HeaderMap,
    date_format: Option<&str>,
    problems: &mut Problems,
) -> Table {
    let sha256 = sha256_hex(bytes);
    let (text, encoding) = decode(bytes, name, problems);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());

    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_string).collect(),
        Err(e) => {
            problems.error(
                name,
                Some(1),
                None,
                format!("cannot read the header row: {e}"),
            );
            Vec::new()
        }
    };
    let (positions, ignored_headers, unusable) =
        locate_columns(source, name, &headers, header_map, problems);

    let mut table = Table {
        source,
        name: name.to_string(),
        sha256,
        encoding,
        lines: Vec::new(),
        row_errors: Vec::new(),
        columns: source
            .columns()
            .iter()
            .zip(&positions)
            .map(|(spec, position)| (spec, position.map(|_| Cells::for_kind(spec.kind, 1024))))
            .collect(),
        ignored_headers,
        unusable,
    };
    if headers.is_empty() {
        table.unusable = true;
        return table;
    }

    let mut record = csv::StringRecord::new();
    loop {
        let line_hint = reader.position().line() + 1;
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(line_hint);
                problems.error(name, Some(line), None, format!("unreadable row: {e}"));
                // The row is still accounted for: counted as read and excluded.
                table.lines.push(line);
                table.row_errors.push(vec![format!("unreadable row: {e}")]);
                table
                    .columns
                    .iter_mut()
                    .filter_map(|(_, c)| c.as_mut())
                    .for_each(Cells::push_blank);
                continue;
            }
        }
        let line = record.position().map(|p| p.line()).unwrap_or(line_hint);
        let mut errors = Vec::new();
        if record.len() != headers.len() {
            let message = format!(
                "the row has {} fields but the header has {}",
                record.len(),
                headers.len()
            );
            problems.error(name, Some(line), None, &message);
            errors.push(message);
        }
        for ((spec, cells), position) in table.columns.iter_mut().zip(&positions) {
            let (Some(cells), Some(position)) = (cells.as_mut(), position) else {
                continue;
            };
            let raw = record.get(*position).unwrap_or("");
            match cells.push(spec.kind, raw, date_format) {
                Ok(true) => {}
                Ok(false) if spec.presence == Presence::Required => {
                    problems.error(
                        name,
                        Some(line),
                        Some(spec.name),
                        "missing value (this column is required)",
                    );
                    errors.push(format!("{}: missing value", spec.name));
                }
                Ok(false) => {}
                Err(why) => {
                    problems.error(name, Some(line), Some(spec.name), &why);
                    errors.push(format!("{}: {why}", spec.name));
                }
            }
        }
        table.lines.push(line);
        table.row_errors.push(errors);
    }
    table
}

/// For each contract column, the index of its header in the file (or `None` if absent).
fn locate_columns(
    source: Source,
    name: &str,
    headers: &[String],
    header_map: &HeaderMap,
    problems: &mut Problems,
) -> (Vec<Option<usize>>, Vec<String>, bool) {
    let normalised: Vec<String> = headers.iter().map(|h| normalise_header(h)).collect();
    let mut used = vec![false; headers.len()];
    let mut positions = Vec::with_capacity(source.columns().len());
    for spec in source.columns() {
        let (wanted, _) = header_map.header_for(spec.name);
        let wanted = normalise_header(wanted);
        let matches: Vec<usize> = (0..headers.len())
            .filter(|&i| normalised[i] == wanted)
            .collect();
        if matches.len() > 1 {
            problems.error(
                name,
                Some(1),
                Some(spec.name),
                format!(
                    "the header '{}' appears {} times; keep one",
                    headers[matches[0]],
                    matches.len()
                ),
            );
        }
        if let Some(&i) = matches.first() {
            used[i] = true;
        }
        positions.push(matches.first().copied());
    }

    // Suggestions come only from headers no other column claimed.
    let unclaimed: Vec<String> = headers
        .iter()
        .zip(&used)
        .filter(|(h, used)| !**used && !h.trim().is_empty())
        .map(|(h, _)| h.clone())
        .collect();
    let mut unusable = false;
    for (spec, position) in source.columns().iter().zip(&positions) {
        let (wanted, mapped) = header_map.header_for(spec.name);
        if position.is_some() || !(spec.presence == Presence::Required || mapped) {
            continue;
        }
        let what = if mapped {
            format!(
                "the mapped column '{wanted}' (for {}) is not in the file",
                spec.name
            )
        } else {
            format!("missing required column '{}'", spec.name)
        };
        let hint = closest_headers(&normalise_header(wanted), &unclaimed)
            .map(|h| format!("; did you mean {h}?"))
            .unwrap_or_default();
        problems.error(name, Some(1), None, format!("{what}{hint}"));
        unusable |= spec.presence == Presence::Required;
    }
    (positions, unclaimed, unusable)
}

/// Up to three headers of the file that look like `wanted`, quoted, best first.
fn closest_headers(wanted: &str, headers: &[String]) -> Option<String> {
    let mut scored: Vec<(f64, &String)> = headers
        .iter()
        .map(|h| (similarity(wanted, &normalise_header(h)), h))
        .filter(|(score, _)| *score >= 0.8)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let names: Vec<String> = scored
        .iter()
        .take(3)
        .map(|(_, h)| format!("'{h}'"))
        .collect();
    (!names.is_empty()).then(|| names.join(" or "))
}

/// How alike two normalised headers are, 0 to 1: a header that contains the wanted name (such
/// as `date_received` for `received`) counts as close as a one-letter typo, and each word of a
/// header is compared too, so `Date recieved` is close to `received`.
fn similarity(wanted: &str, header: &str) -> f64 {
    if header.contains(wanted) || (header.len() >= 3 && wanted.contains(header)) {
        return 0.9;
    }
    header
        .split('_')
        .filter(|word| word.len() >= 3)
        .map(|word| strsim::jaro_winkler(wanted, word))
        .fold(strsim::jaro_winkler(wanted, header), f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (Table, Problems) {
        let mut problems = Problems::default();
        let table = read_table(
            Source::Context,
            "context.csv",
            text.as_bytes(),
            &HeaderMap::default(),
            None,
            &mut problems,
        );
        (table, problems)
    }

    #[test]
    fn headers_match_ignoring_case_space_and_order() {
        let (table, problems) = read("Value, Measure ,YEAR\n5715,Cases,2024-25\n");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(table.rows_read(), 1);
        assert!(table.is_valid(0));
        assert_eq!(
            table.cells("measure").unwrap().texts().unwrap(),
            &[Some("Cases".to_string())]
        );
    }

    #[test]
    fn a_missing_required_column_is_named_with_a_suggestion() {
        let (table, problems) = read("Financial year,measure,value\n2024-25,Cases,1\n");
        assert!(table.unusable);
        let messages: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(
            messages[0].contains("missing required column 'year'"),
            "{}",
            messages[0]
        );
        assert!(
            messages[0].contains("did you mean 'Financial year'"),
            "{}",
            messages[0]
        );
    }

    #[test]
    fn typos_in_headers_are_suggested() {
        assert!(similarity("received", "recieved") >= 0.8);
        assert!(similarity("received", "date_received") >= 0.8);
        assert!(similarity("received", "date_recieved") >= 0.8);
        assert!(similarity("received", "service") < 0.8);
        assert_eq!(
            closest_headers("received", &["Service".into(), "Recieved".into()]),
            Some("'Recieved'".into())
        );
    }

    #[test]
    fn bad_cells_are_named_by_line_and_column_and_rows_still_counted() {
        let text = "year,measure,value\n2024-25,Cases,12\n2024,Cases,x\n2023-24,,3\n";
        let (table, problems) = read(text);
        assert_eq!(table.rows_read(), 3);
        assert!(table.is_valid(0));
        assert!(!table.is_valid(1));
        assert!(!table.is_valid(2));
        let messages: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(messages[0].starts_with("context.csv:3: year: '2024' is not a financial year"));
        assert!(messages[1].starts_with("context.csv:3: value: 'x' is not a number"));
        assert!(messages[2].starts_with("context.csv:4: measure: missing value"));
    }

    #[test]
    fn quoted_line_breaks_keep_later_line_numbers_true() {
        let text = "year,measure,value\n2024-25,\"Cases\nover two lines\",1\n2024-25,Cases,oops\n";
        let (table, problems) = read(text);
        assert_eq!(table.lines, vec![2, 4]);
        assert_eq!(problems.errors().next().unwrap().line, Some(4));
    }

    #[test]
    fn windows_1252_is_read_with_a_warning() {
        // "Children’s" with a curly apostrophe (0x92) and a pound sign (0xA3).
        let bytes = b"year,measure,value\n2024-25,Children\x92s cases \xa3,3\n";
        let mut problems = Problems::default();
        let table = read_table(
            Source::Context,
            "context.csv",
            bytes,
            &HeaderMap::default(),
            None,
            &mut problems,
        );
        assert_eq!(table.encoding, "Windows-1252");
        assert_eq!(problems.warning_count(), 1);
        assert_eq!(problems.error_count(), 0);
        assert_eq!(
            table.cells("measure").unwrap().texts().unwrap()[0].as_deref(),
            Some("Children\u{2019}s cases £")
        );
    }

    #[test]
    fn a_utf8_byte_order_mark_is_not_part_of_the_first_header() {
        let (table, problems) = read("\u{feff}year,measure,value\n2024-25,Cases,1\n");
        assert!(problems.is_empty(), "{problems:?}");
        assert!(table.has_column("year"));
    }

    #[test]
    fn ragged_rows_are_errors() {
        let (table, problems) = read("year,measure,value\n2024-25,Cases\n");
        assert!(!table.is_valid(0));
        assert!(
            problems
                .iter()
                .any(|p| p.message.contains("2 fields but the header has 3"))
        );
    }
}
