//! The pattern written into the views: a hidden quantity becomes `[c]` in every cell and
//! sentence that shows it; rows ordered by what is shown; charts redrawn from their tables.

use std::collections::HashMap;

use crate::figures::inputs::OTHER_GROUP;
use crate::figures::model::{
    Cell, Chart, ChartSource, Fact, FactSource, RowOrder, RowRole, Section, SectionBody, Symbol,
    Table,
};
use crate::figures::quantity::{Formula, Registry, Value};
use crate::figures::tables::NOT_RECORDED;

use super::Pattern;

pub fn resolve(sections: &mut [Section], registry: &Registry, pattern: &Pattern, public: bool) {
    for section in sections.iter_mut() {
        let SectionBody::Figures {
            tables,
            charts,
            facts,
            links,
        } = &mut section.body
        else {
            continue;
        };
        for table in tables.iter_mut().filter(|t| !t.exempt) {
            resolve_table(table, registry, pattern, public);
        }
        for chart in charts.iter_mut() {
            if let Some(table) = tables.iter().find(|t| t.id == chart.table_id) {
                refresh_chart(chart, table);
            }
        }
        for link in links.iter() {
            let fact = match &link.source {
                FactSource::Quantity(q) => {
                    if pattern.hides(registry, *q) {
                        Fact::Symbol(Symbol::Suppressed)
                    } else {
                        fact_value(registry, *q, public)
                    }
                }
                FactSource::Label { text, q } => {
                    if pattern.hides(registry, *q) {
                        Fact::Symbol(Symbol::Suppressed)
                    } else {
                        Fact::Text(text.clone())
                    }
                }
                FactSource::Extreme { label, q, among } => {
                    if among.iter().chain([q]).any(|q| pattern.hides(registry, *q)) {
                        Fact::Symbol(Symbol::Suppressed)
                    } else if let Some(label) = label {
                        Fact::Text(label.clone())
                    } else {
                        fact_value(registry, *q, public)
                    }
                }
                FactSource::Ranking { labels, how_many } => {
                    let shown: Vec<&(String, crate::figures::quantity::Q)> = labels
                        .iter()
                        .filter(|(_, q)| !pattern.hides(registry, *q))
                        .collect();
                    // Ties for the last place are named too: "the three most frequent" is
                    // not true of one of two equal thirds chosen A to Z.
                    let count = |q: crate::figures::quantity::Q| registry.get(q).count();
                    let mut taken = shown.len().min(*how_many);
                    if let Some(last) = taken.checked_sub(1).map(|i| count(shown[i].1)) {
                        while taken < shown.len() && count(shown[taken].1) == last {
                            taken += 1;
                        }
                    }
                    Fact::List(shown[..taken].iter().map(|(l, _)| l.clone()).collect())
                }
            };
            facts.insert(link.key.clone(), fact);
        }
    }
}

/// A quantity's value as a sentence states it: counts whole; percentages whole in public (as
/// every table shows them), measures to one decimal.
fn fact_value(registry: &Registry, q: crate::figures::quantity::Q, public: bool) -> Fact {
    let quantity = registry.get(q);
    match &quantity.value {
        Value::Count(n) => Fact::Number(*n as f64),
        Value::Measure(None) => Fact::Symbol(Symbol::NotApplicable),
        Value::Measure(Some(v)) => {
            let whole = public
                && matches!(
                    quantity.formula,
                    Some(Formula::Percent { .. } | Formula::ChangePercent { .. })
                );
            if whole {
                Fact::Number(v.round())
            } else {
                Fact::Number((v * 10.0).round() / 10.0)
            }
        }
    }
}

fn resolve_table(table: &mut Table, registry: &Registry, pattern: &Pattern, public: bool) {
    for row in &mut table.rows {
        for (cell, source) in row.cells.iter_mut().zip(&row.sources) {
            if let Some(q) = source
                && pattern.hides(registry, *q)
            {
                *cell = Cell::Symbol(Symbol::Suppressed);
            } else if public && let Cell::Percent(p) = cell {
                // Published as shown: a whole percentage, in every format.
                *p = p.round();
            }
        }
    }
    if let RowOrder::Largest(column) = table.order {
        order_rows(table, column);
    }
    let counts: Vec<&Cell> = table
        .rows
        .iter()
        .filter(|r| r.role == RowRole::Data)
        .flat_map(|r| r.cells.iter())
        .filter(|c| matches!(c, Cell::Count(_) | Cell::Symbol(Symbol::Suppressed)))
        .collect();
    if public
        && !counts.is_empty()
        && counts
            .iter()
            .all(|c| matches!(c, Cell::Symbol(Symbol::Suppressed)))
    {
        table.notes.push(
            "Every count in this table is suppressed ([c]): each is small, or would let a small one be worked out from the others or from the totals.".into(),
        );
    }
}

/// Data rows largest first by what is shown in `column`, ties A to Z; rows whose value is
/// hidden follow A to Z, so their place says nothing of their size; the grouped small
/// categories, "not recorded" and totals stay last.
fn order_rows(table: &mut Table, column: usize) {
    let rank = |cell: &Cell| match cell {
        Cell::Count(n) => Some(*n as f64),
        Cell::Percent(v) | Cell::Money(v) => Some(*v),
        Cell::Number { value, .. } => Some(*value),
        _ => None,
    };
    let (mut data, rest): (Vec<_>, Vec<_>) =
        std::mem::take(&mut table.rows).into_iter().partition(|r| {
            r.role == RowRole::Data && r.label != NOT_RECORDED && r.label != OTHER_GROUP
        });
    data.sort_by(|a, b| {
        let (x, y) = (
            a.cells.get(column).and_then(rank),
            b.cells.get(column).and_then(rank),
        );
        match (x, y) {
            (Some(x), Some(y)) => y.total_cmp(&x).then_with(|| a.label.cmp(&b.label)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => a.label.cmp(&b.label),
        }
    });
    let (mut residual, totals): (Vec<_>, Vec<_>) =
        rest.into_iter().partition(|r| r.role == RowRole::Data);
    residual.sort_by_key(|r| r.label == NOT_RECORDED);
    table.rows = data;
    table.rows.extend(residual);
    table.rows.extend(totals);
}

/// Redraws a chart's values (and categories, in the table's order) from its table.
pub fn refresh_chart(chart: &mut Chart, table: &Table) {
    match chart.source {
        ChartSource::RowsAsCategories => {
            let rows: Vec<_> = table
                .rows
                .iter()
                .filter(|r| r.role == RowRole::Data)
                .collect();
            let columns: HashMap<&str, usize> = table
                .columns
                .iter()
                .skip(1)
                .enumerate()
                .map(|(i, c)| (c.as_str(), i))
                .collect();
            chart.categories = rows.iter().map(|r| r.label.clone()).collect();
            for series in &mut chart.series {
                let Some(&column) = columns.get(series.name.as_str()) else {
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
