//! Typed columns as they are read: free text in one buffer per column, labels as a code per row
//! into a dictionary of distinct spellings, dates, numbers and flags as plain vectors. A million
//! rows cost a handful of allocations per column, not one per cell.

use chrono::NaiveDate;

use super::contract::ValueKind;
use super::problems::CellError;
use super::values::{self, DateShape};
use crate::period::FinancialYear;

/// The code of a blank label.
pub const BLANK: u32 = u32::MAX;

/// What a filled cell of a column whose words were withheld reads as: whether it was filled
/// still counts, and anything that showed it by mistake would show this, not a blank.
pub const WITHHELD: &str = "[withheld]";

/// Free text (references, notes): every value end to end in one buffer.
#[derive(Debug, Clone, Default)]
pub struct TextColumn {
    buffer: String,
    /// `ends[row]`: where the row's value ends in `buffer`; it starts where the previous ends.
    ends: Vec<usize>,
    /// Rows whose cell was blank (an empty value is blank).
    present: Vec<bool>,
    /// The words are not kept, only whether each cell was filled.
    withheld: bool,
}

impl TextColumn {
    /// Keeps only whether each cell was filled, from now on and for the cells already read:
    /// personal words that no output of the run quotes are not held.
    pub fn withhold(&mut self) {
        *self = TextColumn {
            present: std::mem::take(&mut self.present),
            withheld: true,
            ..TextColumn::default()
        };
    }

    /// Keeps the last cell's words out: it reads as the placeholder, as in a withheld column,
    /// if it was filled. For a row whose author did not consent to be quoted, as it is read.
    pub fn withhold_last(&mut self) {
        if self.withheld || self.present.last() != Some(&true) {
            return;
        }
        let start = self
            .ends
            .len()
            .checked_sub(2)
            .map_or(0, |row| self.ends[row]);
        self.buffer.truncate(start);
        self.buffer.push_str(WITHHELD);
        if let Some(end) = self.ends.last_mut() {
            *end = self.buffer.len();
        }
    }

    pub fn push(&mut self, value: Option<&str>) {
        if let Some(value) = value.filter(|_| !self.withheld) {
            if self.buffer.capacity() - self.buffer.len() < value.len() {
                let room = projected_room(self.buffer.len(), self.len(), self.present.capacity());
                self.buffer.reserve(room.max(value.len()));
            }
            self.buffer.push_str(value);
        }
        if !self.withheld {
            self.ends.push(self.buffer.len());
        }
        self.present.push(value.is_some());
    }

    pub fn get(&self, row: usize) -> Option<&str> {
        if !self.present[row] {
            return None;
        }
        if self.withheld {
            return Some(WITHHELD);
        }
        let start = if row == 0 { 0 } else { self.ends[row - 1] };
        Some(&self.buffer[start..self.ends[row]])
    }

    pub fn len(&self) -> usize {
        self.present.len()
    }

    pub fn is_empty(&self) -> bool {
        self.present.is_empty()
    }

    pub fn is_withheld(&self) -> bool {
        self.withheld
    }

    /// Whether each row's cell was filled.
    pub fn present(&self) -> &[bool] {
        &self.present
    }

    pub fn iter(&self) -> impl Iterator<Item = Option<&str>> {
        (0..self.len()).map(|row| self.get(row))
    }
}

/// Distinct label spellings, each stored once, with the code each was given.
#[derive(Debug, Clone, Default)]
pub struct Dictionary {
    pub spellings: Vec<String>,
    lookup: foldhash::HashMap<String, u32>,
}

impl Dictionary {
    pub fn code(&mut self, spelling: &str) -> u32 {
        if let Some(&code) = self.lookup.get(spelling) {
            return code;
        }
        let code = self.spellings.len() as u32;
        self.spellings.push(spelling.to_string());
        self.lookup.insert(spelling.to_string(), code);
        code
    }

    pub fn get(&self, code: u32) -> Option<&str> {
        (code != BLANK).then(|| self.spellings[code as usize].as_str())
    }

    /// A dictionary of the given spellings, in order (already distinct).
    pub fn of(spellings: Vec<String>) -> Dictionary {
        let lookup = spellings
            .iter()
            .enumerate()
            .map(|(i, s)| (s.clone(), i as u32))
            .collect();
        Dictionary { spellings, lookup }
    }
}

/// One label per row.
#[derive(Debug, Clone, Default)]
pub struct LabelColumn {
    pub codes: Vec<u32>,
    pub dictionary: Dictionary,
}

impl LabelColumn {
    pub fn push(&mut self, value: Option<&str>) {
        let code = match value {
            Some(v) => self.dictionary.code(v),
            None => BLANK,
        };
        self.codes.push(code);
    }

    pub fn get(&self, row: usize) -> Option<&str> {
        self.dictionary.get(self.codes[row])
    }
}

/// Several labels per row (`;`-separated in the export), each at most once per row.
#[derive(Debug, Clone, Default)]
pub struct LabelListColumn {
    /// `ends[row]`: where the row's codes end in `codes`. Four bytes, not eight: at a million
    /// rows a list column's ends are 4 MB, not 8, while the file is read and framed
    /// (docs/performance.md, change 81).
    pub ends: Vec<u32>,
    pub codes: Vec<u32>,
    pub dictionary: Dictionary,
}

impl LabelListColumn {
    pub fn push<'a>(&mut self, labels: impl Iterator<Item = &'a str>) {
        let start = self.codes.len();
        if self.codes.capacity() - start < LIST_ROOM {
            let room = projected_room(start, self.len(), self.ends.capacity());
            self.codes.reserve(room.max(LIST_ROOM));
        }
        for label in labels {
            let code = self.dictionary.code(label);
            if !self.codes[start..].contains(&code) {
                self.codes.push(code);
            }
        }
        self.ends.push(code_count(self.codes.len()));
    }

    pub fn row(&self, row: usize) -> &[u32] {
        let start = if row == 0 { 0 } else { self.ends[row - 1] };
        &self.codes[start as usize..self.ends[row] as usize]
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

/// Room a list column keeps ahead of its codes, so that one row's labels never make it grow
/// mid-row (more than this, and it simply grows as any vector does).
const LIST_ROOM: usize = 16;

/// Rows read before a column's growth is projected from them: fewer, and one long value among
/// the first few rows would swell the guess.
const ROWS_TO_PROJECT_FROM: usize = 1024;

/// How much more room a column whose values vary in size (free text, label lists) should take
/// when it is full: enough for the rows still expected at the rate of those read so far, with
/// an eighth to spare, once enough rows are read to judge; `0` (grow as usual) before then.
/// A column grown by doubling copies itself into fresh pages at each step: at a million rows
/// the free-text and list columns were about a fifth of the run's page faults
/// (docs/performance.md, change 82). Room reserved and never written costs no memory, as the
/// system gives pages only as they are written.
fn projected_room(len: usize, rows_read: usize, rows_expected: usize) -> usize {
    if rows_read < ROWS_TO_PROJECT_FROM || rows_expected <= rows_read {
        return 0;
    }
    let per_row = len.div_ceil(rows_read);
    let rows_left = rows_expected - rows_read;
    (per_row * rows_left).saturating_add(per_row * rows_expected / 8)
}

/// A count of a list column's codes, as its ends hold it. Four billion labels in one column
/// would be 16 GB of codes alone: no export read into memory comes near.
pub fn code_count(codes: usize) -> u32 {
    u32::try_from(codes).expect("fewer than four billion labels in one column")
}

/// Adds `later` to the end of `values`, growing it to exactly the room they take.
fn extend_exactly<T>(values: &mut Vec<T>, later: impl ExactSizeIterator<Item = T>) {
    values.reserve_exact(later.len());
    values.extend(later);
}

/// One column's parsed values, one entry per data row (valid or not).
#[derive(Debug, Clone)]
pub enum Cells {
    Text(TextColumn),
    Label(LabelColumn),
    Labels(LabelListColumn),
    Date(Vec<Option<NaiveDate>>),
    Bool(Vec<Option<bool>>),
    Int(Vec<Option<i32>>),
    Float(Vec<Option<f64>>),
    Year(Vec<Option<FinancialYear>>),
}

impl Cells {
    pub fn for_kind(kind: ValueKind) -> Cells {
        match kind {
            ValueKind::Text => Cells::Text(TextColumn::default()),
            ValueKind::Label => Cells::Label(LabelColumn::default()),
            ValueKind::Labels => Cells::Labels(LabelListColumn::default()),
            ValueKind::Date => Cells::Date(Vec::new()),
            ValueKind::YesNo => Cells::Bool(Vec::new()),
            ValueKind::Stage => Cells::Int(Vec::new()),
            ValueKind::Money | ValueKind::Number => Cells::Float(Vec::new()),
            ValueKind::FinancialYear => Cells::Year(Vec::new()),
        }
    }

    /// An empty column with room for `rows` values (free text and labels grow as they go); a
    /// free-text column whose words are `withheld` keeps only whether each cell was filled.
    pub fn with_capacity(kind: ValueKind, rows: usize, withheld: bool) -> Cells {
        let mut cells = Cells::for_kind(kind);
        if withheld {
            cells.withhold_words();
        }
        match &mut cells {
            Cells::Text(c) => {
                if !c.withheld {
                    c.ends.reserve(rows);
                }
                c.present.reserve(rows);
            }
            Cells::Label(c) => c.codes.reserve(rows),
            Cells::Labels(c) => c.ends.reserve(rows),
            Cells::Date(v) => v.reserve(rows),
            Cells::Bool(v) => v.reserve(rows),
            Cells::Int(v) => v.reserve(rows),
            Cells::Float(v) => v.reserve(rows),
            Cells::Year(v) => v.reserve(rows),
        }
        cells
    }

    /// Keeps only whether each free-text cell is filled, for the cells read and those to come
    /// (other kinds are unchanged).
    pub fn withhold_words(&mut self) {
        if let Cells::Text(column) = self {
            column.withhold();
        }
    }

    /// Adds the rows of `later`, read from the rest of the same file, after these: the same
    /// values, and each label spelling coded as it would have been had one reader read both
    /// (a spelling first seen in `later` gets the next code, in the order `later` met them).
    /// Each vector grows to just what it holds, not by doubling: the frame takes these vectors
    /// as they are, and room left over in them, often memory used before, would stay resident
    /// for the whole run (about 25 MB at a million rows).
    pub fn append(&mut self, later: Cells) {
        let recode = |dictionary: &mut Dictionary, later: &Dictionary| -> Vec<u32> {
            later.spellings.iter().map(|s| dictionary.code(s)).collect()
        };
        match (self, later) {
            (Cells::Text(column), Cells::Text(later)) => {
                if !column.withheld {
                    let shift = column.buffer.len();
                    column.buffer.reserve_exact(later.buffer.len());
                    column.buffer.push_str(&later.buffer);
                    extend_exactly(&mut column.ends, later.ends.iter().map(|end| end + shift));
                }
                extend_exactly(&mut column.present, later.present.into_iter());
            }
            (Cells::Label(column), Cells::Label(later)) => {
                let codes = recode(&mut column.dictionary, &later.dictionary);
                extend_exactly(
                    &mut column.codes,
                    later
                        .codes
                        .iter()
                        .map(|&c| if c == BLANK { BLANK } else { codes[c as usize] }),
                );
            }
            (Cells::Labels(column), Cells::Labels(later)) => {
                let codes = recode(&mut column.dictionary, &later.dictionary);
                let shift = code_count(column.codes.len());
                extend_exactly(
                    &mut column.codes,
                    later.codes.iter().map(|&c| codes[c as usize]),
                );
                extend_exactly(&mut column.ends, later.ends.iter().map(|end| end + shift));
            }
            (Cells::Date(values), Cells::Date(later)) => extend_exactly(values, later.into_iter()),
            (Cells::Bool(values), Cells::Bool(later)) => extend_exactly(values, later.into_iter()),
            (Cells::Int(values), Cells::Int(later)) => extend_exactly(values, later.into_iter()),
            (Cells::Float(values), Cells::Float(later)) => {
                extend_exactly(values, later.into_iter())
            }
            (Cells::Year(values), Cells::Year(later)) => extend_exactly(values, later.into_iter()),
            _ => unreachable!("both parts of a file are read into the same kinds of column"),
        }
    }

    pub fn push_blank(&mut self) {
        match self {
            Cells::Text(c) => c.push(None),
            Cells::Label(c) => c.push(None),
            Cells::Labels(c) => c.push(std::iter::empty()),
            Cells::Date(v) => v.push(None),
            Cells::Bool(v) => v.push(None),
            Cells::Int(v) => v.push(None),
            Cells::Float(v) => v.push(None),
            Cells::Year(v) => v.push(None),
        }
    }

    /// Parses `raw` onto the end of the column: whether it held a value, and how a date was written.
    pub fn push_value(
        &mut self,
        kind: ValueKind,
        raw: &str,
        date_format: Option<&str>,
    ) -> Result<(bool, Option<DateShape>), CellError> {
        fn keep<T>(
            cells: &mut Vec<Option<T>>,
            parsed: values::CellResult<T>,
        ) -> Result<bool, CellError> {
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
        let text = values::trim(raw);
        let value = (!text.is_empty()).then_some(text);
        match self {
            Cells::Text(column) => {
                column.push(value);
                Ok((value.is_some(), None))
            }
            Cells::Label(column) => {
                column.push(value);
                Ok((value.is_some(), None))
            }
            Cells::Labels(column) => {
                column.push(values::split_labels(raw));
                let present = !column.row(column.len() - 1).is_empty();
                Ok((present, None))
            }
            Cells::Date(dates) => match values::parse_date_shape(raw, date_format) {
                Ok(Some((date, shape))) => {
                    dates.push(Some(date));
                    Ok((true, Some(shape)))
                }
                Ok(None) => {
                    dates.push(None);
                    Ok((false, None))
                }
                Err(why) => {
                    dates.push(None);
                    Err(why)
                }
            },
            Cells::Bool(cells) => keep(cells, values::parse_yes_no(raw)).map(|p| (p, None)),
            Cells::Int(cells) => keep(cells, values::parse_stage(raw)).map(|p| (p, None)),
            Cells::Float(cells) => match kind {
                ValueKind::Money => keep(cells, values::parse_money(raw)),
                _ => keep(cells, values::parse_number(raw)),
            }
            .map(|p| (p, None)),
            Cells::Year(cells) => keep(cells, values::parse_financial_year(raw)).map(|p| (p, None)),
        }
    }

    pub fn dates(&self) -> Option<&[Option<NaiveDate>]> {
        match self {
            Cells::Date(v) => Some(v),
            _ => None,
        }
    }

    pub fn text(&self) -> Option<&TextColumn> {
        match self {
            Cells::Text(c) => Some(c),
            _ => None,
        }
    }

    pub fn labels(&self) -> Option<&LabelColumn> {
        match self {
            Cells::Label(c) => Some(c),
            _ => None,
        }
    }

    pub fn bools(&self) -> Option<&[Option<bool>]> {
        match self {
            Cells::Bool(v) => Some(v),
            _ => None,
        }
    }

    pub fn ints(&self) -> Option<&[Option<i32>]> {
        match self {
            Cells::Int(v) => Some(v),
            _ => None,
        }
    }

    /// The value of a label or text cell, for messages and tests.
    pub fn string(&self, row: usize) -> Option<&str> {
        match self {
            Cells::Text(c) => c.get(row),
            Cells::Label(c) => c.get(row),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests;
