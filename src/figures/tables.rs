//! The shapes of table most sections share, built from registered quantities: every cell that
//! shows a number is linked to the quantity it shows.

use super::frame::Slots;
use super::inputs::{Breakdown, Inputs};
use super::model::{
    Cell, Chart, ChartKind, ChartSeries, ChartSource, Fact, FactLink, FactSource, Facts, Row,
    RowOrder, Table,
};
use super::quantity::{Formula, Q};
use super::registry::SectionDef;

/// What a blank label is called in tables.
pub const NOT_RECORDED: &str = "Not recorded";

pub fn label_text(label: &Option<String>) -> String {
    label.clone().unwrap_or_else(|| NOT_RECORDED.to_string())
}

/// Header: the stub, then one column per period.
pub fn period_columns(stub: &str, slots: &Slots) -> Vec<String> {
    std::iter::once(stub.to_string())
        .chain(slots.labels())
        .collect()
}

/// Options for a label × period table of counts.
pub struct YearTable<'a> {
    pub id: &'a str,
    pub title: String,
    pub stub: &'a str,
    /// Adds a total row with this label.
    pub total: Option<&'a str>,
    /// Adds change on the previous period, in number and per cent.
    pub change: bool,
}

/// One row per period of quantities `qs`, with the change columns when asked.
pub fn period_row(inputs: &Inputs, label: &str, qs: &[Q], change: bool) -> Row {
    let mut cells: Vec<(Cell, Option<Q>)> = inputs
        .slots
        .shown
        .iter()
        .map(|&s| inputs.count_at(qs[s], s))
        .collect();
    if change {
        cells.extend(inputs.change_cells(qs));
    }
    Row::linked(label, cells)
}

/// A row of percentages, period by period.
pub fn percent_row(inputs: &Inputs, label: &str, parts: &[Q], wholes: &[Q]) -> Row {
    Row::linked(
        label,
        inputs
            .slots
            .shown
            .iter()
            .map(|&s| inputs.percent_at(parts[s], wholes[s], s))
            .collect(),
    )
}

/// Labels down, periods across, counts in the cells; optionally a total row and the change on
/// the previous period. Rows are ordered largest first in the report's period.
pub fn year_table(inputs: &Inputs, options: YearTable, breakdown: &Breakdown) -> Table {
    let slots = &inputs.slots;
    let mut columns = period_columns(options.stub, slots);
    if options.change {
        columns.extend(slots.change_columns());
    }
    let mut table = Table::new(options.id, options.title, columns);
    // A label counted only in periods this table does not show would be a row of zeros.
    let shown = |qs: &[Q]| slots.shown.iter().any(|&s| inputs.value(qs[s]) != 0);
    for (label, qs) in breakdown.rows.iter().filter(|(_, qs)| shown(qs)) {
        table
            .rows
            .push(period_row(inputs, &label_text(label), qs, options.change));
    }
    if let Some(total) = options.total {
        table
            .rows
            .push(period_row(inputs, total, &breakdown.total, options.change).as_total());
    }
    table.order = RowOrder::Largest(slots.shown.len() - 1);
    table
}

/// The report's period only: each label's count and its share of `wholes` (one per period),
/// labels with none left out; with `total`, a total row of the breakdown's total.
pub fn share_table(
    inputs: &Inputs,
    id: &str,
    title: String,
    stub: &str,
    breakdown: &Breakdown,
    wholes: &[Q],
    total: Option<&str>,
) -> Table {
    let slot = inputs.current();
    let mut table = Table::new(
        id,
        title,
        vec![stub.to_string(), "Number".into(), "%".into()],
    );
    for (label, qs) in &breakdown.rows {
        if inputs.value(qs[slot]) == 0 {
            continue;
        }
        table.rows.push(Row::linked(
            label_text(label),
            vec![
                inputs.count_at(qs[slot], slot),
                inputs.percent_at(qs[slot], wholes[slot], slot),
            ],
        ));
    }
    if let Some(total) = total {
        let q = breakdown.total[slot];
        table.rows.push(
            Row::linked(
                total,
                vec![
                    inputs.count_at(q, slot),
                    inputs.percent_at(q, wholes[slot], slot),
                ],
            )
            .as_total(),
        );
    }
    table.order = RowOrder::Largest(0);
    table
}

/// The labels with the most in `slot`, largest first (ties A to Z), ignoring blanks: for
/// sentences such as "the issues raised most often". Publication keeps only labels whose count
/// is shown.
pub fn top_labels(inputs: &Inputs, breakdown: &Breakdown, slot: usize) -> Vec<(String, Q)> {
    let mut labelled: Vec<(String, Q, i64)> = breakdown
        .rows
        .iter()
        // The grouped small categories are not a category a sentence can name.
        .filter(|(label, _)| label.as_deref() != Some(super::inputs::OTHER_GROUP))
        .filter_map(|(label, qs)| {
            label
                .as_ref()
                .map(|l| (l.clone(), qs[slot], inputs.value(qs[slot])))
        })
        .filter(|(_, _, n)| *n > 0)
        .collect();
    labelled.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    labelled.into_iter().map(|(l, q, _)| (l, q)).collect()
}

/// The category that rose most since the previous period and the one that fell most, each with
/// the size of its change as a quantity (so it is hidden wherever a count behind it is). A tie
/// for the biggest is not named: naming one would say the other's change too.
pub fn biggest_changes(inputs: &Inputs, breakdown: &Breakdown) -> BiggestChanges {
    let current = inputs.current();
    let none = BiggestChanges {
        changes: [None, None],
        among: Vec::new(),
    };
    let Some(previous) = inputs.slots.previous() else {
        return none;
    };
    if !(inputs.present(previous) && inputs.present(current)) {
        return none;
    }
    let changes: Vec<(String, Q, Q, i64)> = breakdown
        .rows
        .iter()
        .filter_map(|(label, qs)| {
            let label = label
                .as_deref()
                .filter(|l| *l != super::inputs::OTHER_GROUP)?;
            let (now, before) = (qs[current], qs[previous]);
            Some((
                label.to_string(),
                now,
                before,
                inputs.value(now) - inputs.value(before),
            ))
        })
        .collect();
    let unique = |extreme: i64| {
        let mut at: Vec<&(String, Q, Q, i64)> = changes.iter().filter(|c| c.3 == extreme).collect();
        (at.len() == 1).then(|| at.remove(0))
    };
    let rise = changes
        .iter()
        .map(|c| c.3)
        .max()
        .filter(|d| *d > 0)
        .and_then(unique);
    let fall = changes
        .iter()
        .map(|c| c.3)
        .min()
        .filter(|d| *d < 0)
        .and_then(unique);
    // Each as a size: the rise now − before, the fall before − now.
    let size = |(label, now, before, _): &(String, Q, Q, i64), rising: bool| {
        let (a, b) = if rising {
            (*now, *before)
        } else {
            (*before, *now)
        };
        let value = (inputs.value(a) - inputs.value(b)) as f64;
        let q = inputs.derive(
            "change",
            &[a, b],
            Some(value),
            Formula::Change { now: a, before: b },
        );
        (label.clone(), q)
    };
    BiggestChanges {
        changes: [rise.map(|c| size(c, true)), fall.map(|c| size(c, false))],
        among: changes.iter().flat_map(|c| [c.1, c.2]).collect(),
    }
}

/// A breakdown's biggest rise and fall, and every count they were chosen from.
pub struct BiggestChanges {
    pub changes: [Option<(String, Q)>; 2],
    pub among: Vec<Q>,
}

/// A section's facts: each number is a quantity (so a number hidden in a table is hidden in the
/// sentences too); labels and settings are plain.
#[derive(Debug, Default)]
pub struct Linker {
    pub facts: Facts,
    pub links: Vec<FactLink>,
}

impl Linker {
    /// The fact is quantity `q`: its value, or `[c]` where publication hides it.
    pub fn quantity(&mut self, key: &str, q: Option<Q>) {
        if let Some(q) = q {
            self.links.push(FactLink {
                key: key.to_string(),
                source: FactSource::Quantity(q),
            });
        }
    }

    /// A label that stands for quantity `q`, shown only while `q` is.
    pub fn label(&mut self, key: &str, text: &str, q: Q) {
        self.facts
            .insert(key.to_string(), Fact::Text(text.to_string()));
        self.links.push(FactLink {
            key: key.to_string(),
            source: FactSource::Label {
                text: text.to_string(),
                q,
            },
        });
    }

    /// The biggest rise and fall of a breakdown as `{prefix}_biggest_rise` (a label) and
    /// `{prefix}_biggest_rise_by` (its size), and the same for `fall`.
    pub fn changes(&mut self, prefix: &str, biggest: BiggestChanges) {
        for (which, change) in ["rise", "fall"].into_iter().zip(biggest.changes) {
            if let Some((label, q)) = change {
                for (key, label) in [("", Some(label)), ("_by", None)] {
                    let key = format!("{prefix}_biggest_{which}{key}");
                    if let Some(text) = &label {
                        self.facts.insert(key.clone(), Fact::Text(text.clone()));
                    }
                    self.links.push(FactLink {
                        key,
                        source: FactSource::Extreme {
                            label,
                            q,
                            among: biggest.among.clone(),
                        },
                    });
                }
            }
        }
    }

    /// `key` is count `part` in the report's period and `{key}_percent` its share of `whole`.
    pub fn count_and_share(&mut self, inputs: &Inputs, key: &str, part: &[Q], whole: &[Q]) {
        let current = inputs.current();
        self.quantity(key, Some(part[current]));
        self.quantity(
            &format!("{key}_percent"),
            inputs.percent_at(part[current], whole[current], current).1,
        );
    }

    /// A fact with no count from the data behind it (a label, a setting).
    pub fn plain(&mut self, key: &str, value: Fact) {
        self.facts.insert(key.to_string(), value);
    }

    /// Labels ranked by quantities, for sentences: publication drops any whose count it hides.
    pub fn ranking(&mut self, key: &str, ranked: Vec<(String, Q)>, how_many: usize) {
        self.facts.insert(
            key.to_string(),
            Fact::List(ranked.iter().map(|(l, _)| l.clone()).collect()),
        );
        self.links.push(FactLink {
            key: key.to_string(),
            source: FactSource::Ranking {
                labels: ranked,
                how_many,
            },
        });
    }

    pub fn section(
        self,
        def: &SectionDef,
        tables: Vec<Table>,
        charts: Vec<Chart>,
    ) -> super::model::Section {
        super::model::Section::figures(def.id, def.title, tables, charts, self.facts)
            .with_links(self.links)
    }
}

/// The cell of `table` at the row labelled `row` and cell `column`, as a quantity.
pub fn source(table: &Table, row: &str, column: usize) -> Option<Q> {
    table
        .rows
        .iter()
        .find(|r| r.label == row)
        .and_then(|r| r.sources.get(column).copied().flatten())
}

/// A chart of one table column per series, over the table's data rows.
pub fn chart_of(
    table: &Table,
    kind: ChartKind,
    title: &str,
    description: String,
    value_columns: &[usize],
    value_label: &str,
) -> Chart {
    let rows: Vec<&Row> = table
        .rows
        .iter()
        .filter(|r| r.role == super::model::RowRole::Data)
        .collect();
    Chart {
        id: table.id.clone(),
        title: title.to_string(),
        description,
        kind,
        categories: rows.iter().map(|r| r.label.clone()).collect(),
        series: value_columns
            .iter()
            .map(|&c| ChartSeries {
                name: table.columns[c + 1].clone(),
                values: rows.iter().map(|r| r.cells[c].clone()).collect(),
            })
            .collect(),
        table_id: table.id.clone(),
        value_label: value_label.to_string(),
        percent: false,
        source: ChartSource::RowsAsCategories,
    }
}

/// A chart with periods along the bottom: one line or bar group per table row.
pub fn chart_over_periods(
    table: &Table,
    kind: ChartKind,
    title: &str,
    description: String,
    row_labels: &[&str],
    slots: &Slots,
    value_label: &str,
) -> Chart {
    Chart {
        id: table.id.clone(),
        title: title.to_string(),
        description,
        kind,
        categories: slots.labels(),
        series: row_labels
            .iter()
            .filter_map(|label| table.row(label))
            .map(|row| ChartSeries {
                name: row.label.clone(),
                values: row.cells.iter().take(slots.shown.len()).cloned().collect(),
            })
            .collect(),
        table_id: table.id.clone(),
        value_label: value_label.to_string(),
        percent: false,
        source: ChartSource::ColumnsAsCategories,
    }
}
