//! The report model: everything a renderer may see. Tables, charts, headline facts and trusted
//! narrative text — never a data frame, and nothing formatted for one output format.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::quantity::{Q, Registry};
use crate::load::Excluded;

/// Official-statistics symbols for cells that hold no number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Symbol {
    /// `[x]`: not available — the data does not cover it.
    NotAvailable,
    /// `[z]`: not applicable — there is nothing to measure.
    NotApplicable,
    /// `[c]`: suppressed to protect confidentiality.
    Suppressed,
}

impl Serialize for Symbol {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl Symbol {
    pub fn code(self) -> &'static str {
        match self {
            Symbol::NotAvailable => "[x]",
            Symbol::NotApplicable => "[z]",
            Symbol::Suppressed => "[c]",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Cell {
    Count(i64),
    /// A percentage, 0–100 (negative for a fall). Shown whole unless a table asks for more.
    Percent(f64),
    /// A measured quantity such as mean working days, with the decimals to show.
    Number {
        value: f64,
        decimals: u8,
    },
    /// Pounds.
    Money(f64),
    Text(String),
    Symbol(Symbol),
}

impl Cell {
    pub fn count(n: impl TryInto<i64>) -> Cell {
        Cell::Count(n.try_into().unwrap_or(i64::MAX))
    }

    /// `part` as a percentage of `whole`, or `[z]` when there is no whole to divide.
    pub fn percent_of(part: i64, whole: i64) -> Cell {
        if whole == 0 {
            Cell::Symbol(Symbol::NotApplicable)
        } else {
            Cell::Percent(100.0 * part as f64 / whole as f64)
        }
    }

    pub fn number(value: Option<f64>, decimals: u8) -> Cell {
        match value {
            Some(value) if value.is_finite() => Cell::Number { value, decimals },
            _ => Cell::Symbol(Symbol::NotApplicable),
        }
    }

    pub fn as_count(&self) -> Option<i64> {
        match self {
            Cell::Count(n) => Some(*n),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Cell::Count(n) => Some(*n as f64),
            Cell::Percent(v) | Cell::Money(v) => Some(*v),
            Cell::Number { value, .. } => Some(*value),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum RowRole {
    #[default]
    Data,
    /// A total or subtotal derived from the rows above it.
    Total,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub label: String,
    pub cells: Vec<Cell>,
    pub role: RowRole,
    /// The quantity each cell shows, if it shows one: publication hides a quantity in every
    /// cell that shows it, and the audit reads what is published from here.
    #[serde(skip)]
    pub sources: Vec<Option<Q>>,
}

impl Row {
    pub fn new(label: impl Into<String>, cells: Vec<Cell>) -> Row {
        Row {
            label: label.into(),
            sources: vec![None; cells.len()],
            cells,
            role: RowRole::Data,
        }
    }

    pub fn total(label: impl Into<String>, cells: Vec<Cell>) -> Row {
        Row {
            role: RowRole::Total,
            ..Row::new(label, cells)
        }
    }

    /// A row of cells each showing a quantity (or, with `None`, a symbol such as `[x]`).
    pub fn linked(label: impl Into<String>, cells: Vec<(Cell, Option<Q>)>) -> Row {
        let (cells, sources) = cells.into_iter().unzip();
        Row {
            label: label.into(),
            cells,
            sources,
            role: RowRole::Data,
        }
    }

    pub fn as_total(mut self) -> Row {
        self.role = RowRole::Total;
        self
    }
}

/// How a table's data rows may be ordered once publication knows what is hidden.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RowOrder {
    /// As built: bands, outcomes in their fixed order, measures.
    #[default]
    Fixed,
    /// Labels, largest first by this cell column. In public output the order uses only values
    /// that are shown: hidden rows follow, A to Z, so the order says nothing about them.
    Largest(usize),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    /// Stable, unique in the report; also the file name of the table's CSV and chart.
    pub id: String,
    pub title: String,
    /// The header of the row-label column, then of each cell column.
    pub columns: Vec<String>,
    pub rows: Vec<Row>,
    /// Footnotes: definitions, what the percentages are of. Never numbers from the data: a note
    /// is not suppressed.
    pub notes: Vec<String>,
    /// About files, not people (row accounting, fingerprints) or case detail for staff: shown as
    /// it is, never suppressed.
    #[serde(skip)]
    pub exempt: bool,
    #[serde(skip)]
    pub order: RowOrder,
}

impl Table {
    pub fn new(id: &str, title: impl Into<String>, columns: Vec<String>) -> Table {
        Table {
            id: id.to_string(),
            title: title.into(),
            columns,
            rows: Vec::new(),
            notes: Vec::new(),
            exempt: false,
            order: RowOrder::Fixed,
        }
    }

    pub fn row(&self, label: &str) -> Option<&Row> {
        self.rows.iter().find(|r| r.label == label)
    }

    pub fn row_index(&self, label: &str) -> Option<usize> {
        self.rows.iter().position(|r| r.label == label)
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Table {
        self.notes.push(note.into());
        self
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChartKind {
    /// Vertical bars, one group per category, one bar per series.
    Bar,
    /// Horizontal bars, for long category labels.
    HorizontalBar,
    /// Lines across categories (usually years).
    Line,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChartSeries {
    pub name: String,
    /// One per category, the table's own cells: a symbol is drawn as a labelled gap, never as
    /// zero.
    pub values: Vec<Cell>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chart {
    pub id: String,
    pub title: String,
    /// A sentence for screen readers saying what the chart shows.
    pub description: String,
    pub kind: ChartKind,
    pub categories: Vec<String>,
    pub series: Vec<ChartSeries>,
    /// The table that holds the same numbers.
    pub table_id: String,
    pub value_label: String,
    pub percent: bool,
    /// Where the values come from in the table, so the chart can be redrawn from it after
    /// suppression.
    #[serde(skip)]
    pub source: ChartSource,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ChartSource {
    /// Categories are the table's data rows; each series is one cell column.
    #[default]
    RowsAsCategories,
    /// Categories are the first cell columns (periods); each series is one row, by label.
    ColumnsAsCategories,
}

/// A headline fact for sentences and for `figures.json`.
#[derive(Debug, Clone, PartialEq)]
pub enum Fact {
    Number(f64),
    Text(String),
    List(Vec<String>),
    /// `[x]`, `[z]`, or `[c]` for a hidden number: every hidden number reads the same, in
    /// tables and in sentences, so none says whether it was small or hidden to protect another.
    Symbol(Symbol),
}

impl Serialize for Fact {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Fact::Number(n) => serializer.serialize_f64(*n),
            Fact::Text(t) => serializer.serialize_str(t),
            Fact::List(items) => items.serialize(serializer),
            Fact::Symbol(s) => serializer.serialize_str(s.code()),
        }
    }
}

impl From<i64> for Fact {
    fn from(n: i64) -> Fact {
        Fact::Number(n as f64)
    }
}

impl From<usize> for Fact {
    fn from(n: usize) -> Fact {
        Fact::Number(n as f64)
    }
}

impl From<Option<f64>> for Fact {
    fn from(v: Option<f64>) -> Fact {
        match v {
            Some(v) if v.is_finite() => Fact::Number(v),
            _ => Fact::Symbol(Symbol::NotApplicable),
        }
    }
}

impl From<f64> for Fact {
    fn from(n: f64) -> Fact {
        Fact::Number(n)
    }
}

impl From<&str> for Fact {
    fn from(s: &str) -> Fact {
        Fact::Text(s.to_string())
    }
}

pub type Facts = BTreeMap<String, Fact>;

/// What shape a fact has, so a missing one can be given a value its template can test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactKind {
    /// A number, or a symbol in its place.
    Number,
    /// A label or a date in words.
    Text,
    /// A list of labels or quotes.
    List,
}

/// A fact a section declares: its templates may use it, and it is always there — `[x]`, or an
/// empty list, when the data cannot give it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FactKey {
    pub name: &'static str,
    pub kind: FactKind,
}

pub const fn number(name: &'static str) -> FactKey {
    FactKey {
        name,
        kind: FactKind::Number,
    }
}

pub const fn text(name: &'static str) -> FactKey {
    FactKey {
        name,
        kind: FactKind::Text,
    }
}

pub const fn list(name: &'static str) -> FactKey {
    FactKey {
        name,
        kind: FactKind::List,
    }
}

impl FactKey {
    /// The value of a fact the data could not give.
    pub fn missing(self) -> Fact {
        match self.kind {
            FactKind::List => Fact::List(Vec::new()),
            FactKind::Number | FactKind::Text => Fact::Symbol(Symbol::NotAvailable),
        }
    }
}

/// Where a fact comes from, so that a number hidden in its tables is hidden in sentences too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FactSource {
    /// A quantity: the fact is its value, or `[c]` when it is hidden.
    Quantity(Q),
    /// A label named for its quantity ("the largest group was parents"): `[c]` when the
    /// quantity is hidden, so a sentence never points at a hidden count.
    Label { text: String, q: Q },
    /// Labels ranked by their quantities, largest first: publication keeps the first
    /// `how_many` whose quantities are shown, and states ties as ties.
    Ranking {
        labels: Vec<(String, Q)>,
        how_many: usize,
    },
    /// The largest of several quantities ("the biggest rise"): its label (or, without one, the
    /// value of `q`), shown only while every quantity it was chosen from is — being the
    /// largest says something about each of the others.
    Extreme {
        label: Option<String>,
        q: Q,
        among: Vec<Q>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactLink {
    pub key: String,
    pub source: FactSource,
}

/// Who the report is for: decides suppression and whether case detail may appear.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    /// Published: small numbers suppressed, no references, learning or unconsented text.
    #[default]
    Public,
    /// Inside the council: every number, and case detail where it helps.
    Internal,
}

impl std::str::FromStr for Audience {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "public" => Ok(Audience::Public),
            "internal" => Ok(Audience::Internal),
            other => Err(format!(
                "unknown audience '{other}': use public or internal"
            )),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SectionBody {
    /// Figures: rendered by the section's template partial.
    Figures {
        tables: Vec<Table>,
        charts: Vec<Chart>,
        facts: Facts,
        #[serde(skip)]
        links: Vec<FactLink>,
    },
    /// The council's own words from the narrative file: trusted Markdown.
    Narrative { markdown: String },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    /// Stable id: the HTML anchor and the name of the template partial.
    pub id: String,
    pub title: String,
    pub body: SectionBody,
}

impl Section {
    pub fn figures(
        id: &str,
        title: &str,
        tables: Vec<Table>,
        charts: Vec<Chart>,
        facts: Facts,
    ) -> Section {
        Section {
            id: id.to_string(),
            title: title.to_string(),
            body: SectionBody::Figures {
                tables,
                charts,
                facts,
                links: Vec::new(),
            },
        }
    }

    /// Every declared fact present, the missing ones as `[x]` or an empty list. A fact the
    /// section sets without declaring it is a mistake in the code: its templates could not be
    /// checked against it.
    pub fn complete_facts(&mut self, keys: &[FactKey]) {
        if let SectionBody::Figures { facts, .. } = &mut self.body {
            for name in facts.keys() {
                assert!(
                    keys.iter().any(|k| k.name == name),
                    "section {} sets the undeclared fact {name}",
                    self.id
                );
            }
            for key in keys {
                facts
                    .entry(key.name.to_string())
                    .or_insert_with(|| key.missing());
            }
        }
    }

    /// The same section with facts that follow table cells or other facts.
    pub fn with_links(mut self, new_links: Vec<FactLink>) -> Section {
        if let SectionBody::Figures { links, .. } = &mut self.body {
            links.extend(new_links);
        }
        self
    }

    pub fn tables(&self) -> &[Table] {
        match &self.body {
            SectionBody::Figures { tables, .. } => tables,
            SectionBody::Narrative { .. } => &[],
        }
    }

    pub fn charts(&self) -> &[Chart] {
        match &self.body {
            SectionBody::Figures { charts, .. } => charts,
            SectionBody::Narrative { .. } => &[],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeriodInfo {
    pub label: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// "1 April 2024 to 31 March 2025".
    pub in_words: String,
    /// How running text names it: the label, or "the period" for a range of dates.
    pub in_text: String,
    /// `year`, `quarter` or `range`.
    pub kind: String,
}

/// How each input file's rows were used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileReconciliation {
    pub file: String,
    pub rows_read: usize,
    /// Rows without errors.
    pub rows_usable: usize,
    /// Rows counted in the report's period. Internal only: in public, with the totals of each
    /// stage, it would let a reader subtract their way to a hidden count.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rows_used: Option<usize>,
    /// Valid rows outside the period (some still feed the comparisons with earlier years).
    /// Internal only, as `rows_used`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rows_out_of_period: Option<usize>,
    pub excluded: Vec<Excluded>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InputFile {
    pub name: String,
    pub sha256: String,
    pub rows: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Provenance {
    pub tool: String,
    pub version: String,
    pub command: String,
    /// The date the figures are as at: the data's latest date, or the one given.
    pub as_at: NaiveDate,
    /// The as-at date is the latest date in the data (rather than one the command gave).
    pub as_at_is_latest_in_data: bool,
    pub inputs: Vec<InputFile>,
    /// The configuration file and its fingerprint, when one was used.
    pub config: Option<InputFile>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// `annual`.
    pub kind: String,
    /// What the document is called on its cover: "Annual report".
    pub name: String,
    /// The period had not ended by the as-at date: the figures are incomplete.
    pub provisional: bool,
    pub audience: Audience,
    /// The small-number threshold applied (public output), or 0 for none.
    pub suppress_below: u32,
    pub title: String,
    pub authority: Option<String>,
    pub department: Option<String>,
    pub published: Option<NaiveDate>,
    pub contact: Option<String>,
    pub period: PeriodInfo,
    /// The earlier periods compared with, oldest first.
    pub comparisons: Vec<PeriodInfo>,
    pub headline: Facts,
    pub sections: Vec<Section>,
    pub reconciliation: BTreeMap<String, FileReconciliation>,
    /// Validation warnings, as `file:line: column: warning: …`.
    pub warnings: Vec<String>,
    pub provenance: Provenance,
    /// Every quantity and relation behind the tables and sentences, for publication and its
    /// audit. Renderers never look at it.
    #[serde(skip)]
    pub quantities: Registry,
}

impl Report {
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.sections.iter().flat_map(|s| s.tables())
    }

    pub fn charts(&self) -> impl Iterator<Item = &Chart> {
        self.sections.iter().flat_map(|s| s.charts())
    }
}
