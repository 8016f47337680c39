//! Building model tables and charts from counts: the shapes most sections share.

use super::frame::{Counts, Slots};
use super::model::{
    Cell, Chart, ChartKind, ChartSeries, ChartSource, Fact, FactLink, FactSource, Facts, Row,
    Symbol, Table,
};

/// What a blank label is called in tables.
pub const NOT_RECORDED: &str = "Not recorded";

/// A count for a period, or `[x]` when the data does not cover the period.
pub fn count_cell(value: i64, slots: &Slots, slot: usize) -> Cell {
    if slots.present[slot] {
        Cell::Count(value)
    } else {
        Cell::Symbol(Symbol::NotAvailable)
    }
}

/// A measure for a period: `[x]` outside the data, `[z]` when there was nothing to measure.
pub fn measure_cell(value: Option<f64>, decimals: u8, slots: &Slots, slot: usize) -> Cell {
    if !slots.present[slot] {
        Cell::Symbol(Symbol::NotAvailable)
    } else {
        Cell::number(value, decimals)
    }
}

/// A percentage for a period: `[x]` outside the data, `[z]` when the whole is zero.
pub fn percent_cell(part: i64, whole: i64, slots: &Slots, slot: usize) -> Cell {
    if !slots.present[slot] {
        Cell::Symbol(Symbol::NotAvailable)
    } else {
        Cell::percent_of(part, whole)
    }
}

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
    /// Adds a derived total row with this label.
    pub total: Option<&'a str>,
    /// Adds change on the previous period, in number and per cent.
    pub change: bool,
}

/// Labels down, periods across, counts in the cells; optionally a total row and the change on
/// the previous period.
pub fn year_table(options: YearTable, counts: &Counts, slots: &Slots) -> Table {
    let mut columns = period_columns(options.stub, slots);
    if options.change {
        columns.push("Change".into());
        columns.push("Change (%)".into());
    }
    let mut table = Table::new(options.id, options.title, columns);
    let cells_for = |values: &[i64]| -> Vec<Cell> {
        let mut cells: Vec<Cell> = (0..slots.len())
            .map(|s| count_cell(values[s], slots, s))
            .collect();
        if options.change {
            cells.extend(change_cells(values, slots));
        }
        cells
    };
    for (label, values) in &counts.rows {
        table
            .rows
            .push(Row::new(label_text(label), cells_for(values)));
    }
    let data_rows: Vec<usize> = (0..table.rows.len()).collect();
    if let Some(total) = options.total {
        table
            .rows
            .push(Row::total(total, cells_for(&counts.totals(slots.len()))));
        table.sum_rows(data_rows.len(), &data_rows, 0..slots.len());
    }
    if options.change {
        derive_changes(&mut table, slots);
    }
    table
}

/// The change columns (after the period columns) follow the two periods they compare.
pub fn derive_changes(table: &mut Table, slots: &Slots) {
    let (current, Some(previous)) = (slots.current(), slots.previous()) else {
        return;
    };
    for r in 0..table.rows.len() {
        for change in [slots.len(), slots.len() + 1] {
            table.derive((r, change), vec![(r, current), (r, previous)], vec![]);
        }
    }
}

/// Change from the previous period to the report's: number and per cent.
pub fn change_cells(values: &[i64], slots: &Slots) -> [Cell; 2] {
    let current = slots.current();
    match slots.previous() {
        Some(previous) if slots.present[previous] && slots.present[current] => {
            let (now, before) = (values[current], values[previous]);
            [
                Cell::Count(now - before),
                Cell::percent_of(now - before, before),
            ]
        }
        _ => [
            Cell::Symbol(Symbol::NotAvailable),
            Cell::Symbol(Symbol::NotAvailable),
        ],
    }
}

/// The report's period only: each label's count and its share of the whole.
pub fn share_table(
    id: &str,
    title: String,
    stub: &str,
    counts: &Counts,
    slot: usize,
    whole: Option<i64>,
) -> Table {
    let whole = whole.unwrap_or_else(|| counts.rows.iter().map(|(_, c)| c[slot]).sum());
    let mut table = Table::new(
        id,
        title,
        vec![stub.to_string(), "Number".into(), "%".into()],
    );
    for (label, values) in counts.rows.iter().filter(|(_, c)| c[slot] > 0) {
        table.rows.push(Row::new(
            label_text(label),
            vec![
                Cell::Count(values[slot]),
                Cell::percent_of(values[slot], whole),
            ],
        ));
        let r = table.rows.len() - 1;
        table.derive((r, 1), vec![(r, 0)], vec![]);
    }
    table
}

/// Adds a total row to a share table whose rows add up to the whole (one label per row of data,
/// not several), so a reader — and suppression — can see they do.
pub fn add_share_total(table: &mut Table, label: &str) {
    let parts: Vec<usize> = (0..table.rows.len()).collect();
    let total: i64 = table
        .rows
        .iter()
        .filter_map(|r| r.cells[0].as_count())
        .sum();
    table.rows.push(Row::total(
        label,
        vec![Cell::Count(total), Cell::percent_of(total, total)],
    ));
    let total_row = table.rows.len() - 1;
    table.sum_rows(total_row, &parts, [0]);
    table.derive((total_row, 1), vec![(total_row, 0)], vec![]);
    for r in &parts {
        if let Some(derived) = table
            .structure
            .derived
            .iter_mut()
            .find(|d| d.cell == (*r, 1))
        {
            derived.from.push((total_row, 0));
        }
    }
}

/// A section's facts, each remembering where it came from so that a number hidden in a table
/// is hidden in the sentences too.
#[derive(Debug, Default)]
pub struct Linker {
    pub facts: Facts,
    pub links: Vec<FactLink>,
}

impl Linker {
    /// The fact is the table's cell.
    pub fn cell(&mut self, key: &str, table: &Table, row: &str, column: usize) {
        let Some(cell) = table.row(row).and_then(|r| r.cells.get(column)) else {
            return;
        };
        self.facts
            .insert(key.to_string(), super::suppress::cell_fact(cell));
        self.links.push(FactLink {
            key: key.to_string(),
            source: FactSource::Cell {
                table: table.id.clone(),
                row: row.to_string(),
                column,
            },
        });
    }

    /// The fact is a cell of a table in another section, filled in when the report's facts are
    /// resolved.
    pub fn cell_elsewhere(&mut self, key: &str, table_id: &str, row: &str, column: usize) {
        self.links.push(FactLink {
            key: key.to_string(),
            source: FactSource::Cell {
                table: table_id.to_string(),
                row: row.to_string(),
                column,
            },
        });
    }

    /// A fact computed from others: hidden when any of them is.
    pub fn derived(&mut self, key: &str, value: Fact, from: &[&str]) {
        self.facts.insert(key.to_string(), value);
        self.links.push(FactLink {
            key: key.to_string(),
            source: FactSource::Facts(from.iter().map(|s| s.to_string()).collect()),
        });
    }

    /// A fact with no count from the data behind it (a label, a setting).
    pub fn plain(&mut self, key: &str, value: Fact) {
        self.facts.insert(key.to_string(), value);
    }

    pub fn section(
        self,
        def: &super::registry::SectionDef,
        tables: Vec<Table>,
        charts: Vec<Chart>,
    ) -> super::model::Section {
        super::model::Section::figures(def.id, def.title, tables, charts, self.facts)
            .with_links(self.links)
    }
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
                values: (0..slots.len()).map(|s| row.cells[s].clone()).collect(),
            })
            .collect(),
        table_id: table.id.clone(),
        value_label: value_label.to_string(),
        percent: false,
        source: ChartSource::ColumnsAsCategories,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::period::FinancialYear;

    fn slots() -> Slots {
        let mut slots = Slots::new(&FinancialYear::starting(2024).period(), 3);
        slots.present = vec![false, true, true, true];
        slots
    }

    #[test]
    fn absent_years_show_x_and_totals_are_derived() {
        let counts = Counts {
            rows: vec![
                (Some("Complaint".into()), vec![0, 10, 8, 12]),
                (None, vec![0, 1, 0, 0]),
            ],
        };
        let table = year_table(
            YearTable {
                id: "t",
                title: "T".into(),
                stub: "Type",
                total: Some("Total"),
                change: true,
            },
            &counts,
            &slots(),
        );
        assert_eq!(
            table.columns,
            vec![
                "Type",
                "2021-22",
                "2022-23",
                "2023-24",
                "2024-25",
                "Change",
                "Change (%)"
            ]
        );
        let complaint = table.row("Complaint").unwrap();
        assert_eq!(complaint.cells[0], Cell::Symbol(Symbol::NotAvailable));
        assert_eq!(complaint.cells[3], Cell::Count(12));
        // 12 against 8: up 4, which is 50%.
        assert_eq!(complaint.cells[4], Cell::Count(4));
        assert_eq!(complaint.cells[5], Cell::Percent(50.0));
        let blank = table.row(NOT_RECORDED).unwrap();
        assert_eq!(blank.cells[5], Cell::Symbol(Symbol::NotApplicable));
        let total = table.row("Total").unwrap();
        assert_eq!(total.cells[1], Cell::Count(11));
        assert_eq!(total.cells[3], Cell::Count(12));
    }
}
