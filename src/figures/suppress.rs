//! Small-number suppression for public output, as official statistics about children do.
//!
//! Primary: a count from 1 to N−1 becomes `[c]` (zero stays 0; totals are shown). Secondary: a
//! hidden cell must not be recoverable from a total and the other cells adding up to it, so while
//! any sum has exactly one hidden cell, the next smallest non-zero cell of that sum is hidden too
//! (its total only when nothing else is left). Finally every cell computed from a hidden one — a
//! percentage, a change, a mean — is hidden. Charts are redrawn from the hidden tables, and facts
//! follow their cells, so no sentence states a hidden number.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::model::{
    Cell, Chart, ChartSource, Fact, FactLink, FactSource, Facts, RowRole, Section, SectionBody,
    Symbol, Table,
};

type Hidden = BTreeSet<(usize, usize)>;

/// Whether `value` is a small count: 1 to `below` − 1.
pub fn is_small(value: i64, below: u32) -> bool {
    value >= 1 && value < i64::from(below)
}

/// The cells of `table` to hide.
pub fn hidden_cells(table: &Table, below: u32) -> Hidden {
    let mut hidden = Hidden::new();
    if table.structure.exempt || below <= 1 {
        return hidden;
    }
    let value = |(r, c): (usize, usize)| {
        table
            .rows
            .get(r)
            .and_then(|row| row.cells.get(c))
            .and_then(Cell::as_count)
    };

    // Totals are shown: only rows the table presents as totals. A count that merely adds up
    // others (complaints responded to, the sum of the bands) is a group of people like any other.
    for (r, row) in table.rows.iter().enumerate() {
        for (c, cell) in row.cells.iter().enumerate() {
            if let Cell::Count(n) = cell
                && is_small(*n, below)
                && row.role != RowRole::Total
            {
                hidden.insert((r, c));
            }
        }
    }

    // Secondary: no sum may have exactly one unknown.
    loop {
        let mut changed = false;
        for sum in &table.structure.sums {
            let members: Vec<(usize, usize)> =
                sum.parts.iter().copied().chain([sum.total]).collect();
            if members.iter().filter(|m| hidden.contains(m)).count() != 1 {
                continue;
            }
            let next = sum
                .parts
                .iter()
                .copied()
                .filter(|p| !hidden.contains(p))
                .filter_map(|p| value(p).filter(|v| *v != 0).map(|v| (v, p)))
                .min()
                .map(|(_, p)| p)
                .or_else(|| {
                    Some(sum.total)
                        .filter(|t| !hidden.contains(t) && value(*t).is_some_and(|v| v != 0))
                });
            if let Some(cell) = next {
                hidden.insert(cell);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }

    // Derived cells, until nothing more follows (a derived cell can feed another).
    loop {
        let mut changed = false;
        for derived in &table.structure.derived {
            if hidden.contains(&derived.cell) {
                continue;
            }
            let from_hidden = derived.from.iter().any(|f| hidden.contains(f));
            let small_behind = derived.hidden.iter().any(|n| is_small(*n, below));
            if from_hidden || small_behind {
                hidden.insert(derived.cell);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    hidden
}

/// Hides the cells of `table` that must be hidden, and returns those whose value was small (the
/// rest were hidden to protect them, or computed from them).
pub fn suppress_table(table: &mut Table, below: u32) -> Hidden {
    let mut small = Hidden::new();
    for (r, c) in hidden_cells(table, below) {
        if let Some(cell) = table.rows.get_mut(r).and_then(|row| row.cells.get_mut(c)) {
            if cell.as_count().is_some_and(|n| is_small(n, below)) {
                small.insert((r, c));
            }
            *cell = Cell::Symbol(Symbol::Suppressed);
        }
    }
    small
}

/// Redraws a chart's values from its (suppressed) table.
pub fn refresh_chart(chart: &mut Chart, table: &Table) {
    match chart.source {
        ChartSource::RowsAsCategories => {
            let rows: Vec<_> = table
                .rows
                .iter()
                .filter(|r| r.role == RowRole::Data)
                .collect();
            for series in &mut chart.series {
                let Some(column) = table.columns.iter().skip(1).position(|c| *c == series.name)
                else {
                    continue;
                };
                series.values = rows.iter().map(|r| r.cells[column].clone()).collect();
            }
        }
        ChartSource::ColumnsAsCategories => {
            for series in &mut chart.series {
                if let Some(row) = table.row(&series.name) {
                    series.values = row
                        .cells
                        .iter()
                        .take(chart.categories.len())
                        .cloned()
                        .collect();
                }
            }
        }
    }
}

/// A cell as a fact: counts and measures as numbers (one decimal), symbols as symbols.
pub fn cell_fact(cell: &Cell) -> Fact {
    match cell {
        Cell::Count(n) => Fact::Number(*n as f64),
        Cell::Percent(v) | Cell::Number { value: v, .. } => Fact::Number((v * 10.0).round() / 10.0),
        Cell::Money(v) => Fact::Number(*v),
        Cell::Text(t) => Fact::Text(t.clone()),
        Cell::Symbol(s) => Fact::Symbol(*s),
    }
}

/// Suppresses every table of the report's sections, redraws their charts, and refreshes each
/// linked fact from its (now suppressed) source.
pub fn suppress_sections(sections: &mut [Section], below: u32) {
    let mut small = SmallCells::new();
    for section in sections.iter_mut() {
        if let SectionBody::Figures { tables, charts, .. } = &mut section.body {
            for table in tables.iter_mut() {
                for (r, c) in suppress_table(table, below) {
                    small.insert((table.id.clone(), table.rows[r].label.clone(), c));
                }
            }
            for chart in charts.iter_mut() {
                if let Some(table) = tables.iter().find(|t| t.id == chart.table_id) {
                    refresh_chart(chart, table);
                }
            }
        }
    }
    resolve_links(sections, &small);
}

/// Hidden cells whose value was small, by table id, row label and cell index.
pub type SmallCells = HashSet<(String, String, usize)>;

/// Sets every linked fact from its table cell — a hidden small count as `[c]`, any other hidden
/// cell as withheld — then facts computed from hidden facts as withheld.
pub fn resolve_links(sections: &mut [Section], small: &SmallCells) {
    let cells: HashMap<(String, String, usize), Cell> = sections
        .iter()
        .flat_map(|s| s.tables())
        .flat_map(|t| {
            t.rows.iter().flat_map(move |r| {
                r.cells
                    .iter()
                    .enumerate()
                    .map(move |(c, cell)| ((t.id.clone(), r.label.clone(), c), cell.clone()))
            })
        })
        .collect();
    for section in sections.iter_mut() {
        if let SectionBody::Figures { facts, links, .. } = &mut section.body {
            apply_links(facts, links, &cells, small);
        }
    }
}

fn apply_links(
    facts: &mut Facts,
    links: &[FactLink],
    cells: &HashMap<(String, String, usize), Cell>,
    small: &SmallCells,
) {
    for link in links {
        if let FactSource::Cell { table, row, column } = &link.source {
            let key = (table.clone(), row.clone(), *column);
            let Some(cell) = cells.get(&key) else {
                continue;
            };
            let fact = match cell {
                Cell::Symbol(Symbol::Suppressed) if !small.contains(&key) => Fact::Withheld,
                other => cell_fact(other),
            };
            facts.insert(link.key.clone(), fact);
        }
    }
    let hidden = |fact: Option<&Fact>| {
        matches!(
            fact,
            Some(Fact::Symbol(Symbol::Suppressed) | Fact::Withheld)
        )
    };
    for link in links {
        if let FactSource::Facts(from) = &link.source
            && from.iter().any(|k| hidden(facts.get(k)))
        {
            facts.insert(link.key.clone(), Fact::Withheld);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::model::Row;

    /// The sums of `table` that still give away a hidden cell: those with exactly one.
    fn recoverable_sums(table: &Table) -> Vec<(usize, usize)> {
        let is_hidden = |(r, c): (usize, usize)| {
            matches!(table.rows[r].cells[c], Cell::Symbol(Symbol::Suppressed))
        };
        table
            .structure
            .sums
            .iter()
            .filter(|s| {
                s.parts
                    .iter()
                    .copied()
                    .chain([s.total])
                    .filter(|m| is_hidden(*m))
                    .count()
                    == 1
            })
            .map(|s| s.total)
            .collect()
    }

    /// A grid with totals down and across: rows A, B, C and Total; columns X, Y and Total.
    fn grid(values: [[i64; 2]; 3]) -> Table {
        let mut table = Table::new(
            "t",
            "T",
            vec!["".into(), "X".into(), "Y".into(), "Total".into()],
        );
        for (i, row) in values.iter().enumerate() {
            let cells = vec![
                Cell::Count(row[0]),
                Cell::Count(row[1]),
                Cell::Count(row[0] + row[1]),
            ];
            table.rows.push(Row::new(["A", "B", "C"][i], cells));
        }
        let column_totals: Vec<Cell> = (0..2)
            .map(|c| Cell::Count(values.iter().map(|r| r[c]).sum()))
            .chain([Cell::Count(values.iter().map(|r| r[0] + r[1]).sum())])
            .collect();
        table.rows.push(Row::total("Total", column_totals));
        table.sum_rows(3, &[0, 1, 2], 0..3);
        for r in 0..4 {
            table.structure.sums.push(crate::figures::model::Sum {
                total: (r, 2),
                parts: vec![(r, 0), (r, 1)],
            });
        }
        table
    }

    fn shown(table: &Table) -> Vec<Vec<String>> {
        table
            .rows
            .iter()
            .map(|r| {
                r.cells
                    .iter()
                    .map(crate::render::format::cell_text)
                    .collect()
            })
            .collect()
    }

    /// Checks by arithmetic that no sum has exactly one hidden cell: that is, that no hidden
    /// value equals its total minus shown cells.
    fn assert_nothing_recoverable(table: &Table) {
        assert!(
            recoverable_sums(table).is_empty(),
            "recoverable: {:?}\n{:?}",
            recoverable_sums(table),
            shown(table)
        );
    }

    #[test]
    fn a_small_cell_hides_the_next_smallest_in_its_row_and_column() {
        // A: 2 and 9; B: 7 and 8; C: 12 and 15.
        let mut table = grid([[2, 9], [7, 8], [12, 15]]);
        suppress_table(&mut table, 5);
        let s = shown(&table);
        assert_eq!(s[0][0], "[c]", "primary");
        // Column X: 7 is the next smallest; row A: 9.
        assert_eq!(s[1][0], "[c]");
        assert_eq!(s[0][1], "[c]");
        // Row B then has one hidden cell (7): 8 is hidden to protect it; column Y then has
        // 9 and 8 hidden, which is two — enough.
        assert_eq!(s[1][1], "[c]");
        // Totals are shown, zero-free grid stays consistent.
        assert_eq!(s[3], vec!["21", "32", "53"]);
        assert_nothing_recoverable(&table);
    }

    #[test]
    fn zeros_stay_zero_and_are_never_the_second_cell() {
        // Column X: 3, 0, 20 — the zero cannot protect the 3, so 20 is hidden.
        let mut table = grid([[3, 10], [0, 11], [20, 12]]);
        suppress_table(&mut table, 5);
        let s = shown(&table);
        assert_eq!(s[1][0], "0");
        assert_eq!(s[0][0], "[c]");
        assert_eq!(s[2][0], "[c]");
        assert_nothing_recoverable(&table);
    }

    #[test]
    fn when_nothing_else_can_protect_it_the_total_is_hidden() {
        let mut table = Table::new("t", "T", vec!["".into(), "N".into()]);
        table.rows.push(Row::new("Only", vec![Cell::Count(3)]));
        table.rows.push(Row::new("None", vec![Cell::Count(0)]));
        table.rows.push(Row::total("Total", vec![Cell::Count(3)]));
        table.sum_rows(2, &[0, 1], [0]);
        suppress_table(&mut table, 5);
        assert_eq!(shown(&table), vec![vec!["[c]"], vec!["0"], vec!["[c]"]]);
        assert_nothing_recoverable(&table);
    }

    #[test]
    fn derived_cells_follow_their_sources_and_small_hidden_bases() {
        let mut table = Table::new("t", "T", vec!["".into(), "N".into(), "%".into()]);
        table.rows.push(Row::new(
            "Within",
            vec![Cell::Count(3), Cell::Percent(30.0)],
        ));
        table.rows.push(Row::new(
            "Mean days",
            vec![
                Cell::number(Some(12.0), 1),
                Cell::Symbol(Symbol::NotApplicable),
            ],
        ));
        table.derive((0, 1), vec![(0, 0)], vec![]);
        table.derive((1, 0), vec![], vec![2]);
        suppress_table(&mut table, 5);
        assert_eq!(shown(&table), vec![vec!["[c]", "[c]"], vec!["[c]", "[z]"]]);
    }

    #[test]
    fn a_threshold_of_zero_or_one_turns_suppression_off_and_exempt_tables_are_left() {
        let mut table = grid([[2, 9], [7, 8], [12, 15]]);
        let before = shown(&table);
        suppress_table(&mut table, 0);
        assert_eq!(shown(&table), before);
        table.structure.exempt = true;
        suppress_table(&mut table, 5);
        assert_eq!(shown(&table), before);
    }
}
