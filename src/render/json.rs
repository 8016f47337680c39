//! `figures.json`: the report's numbers for scripts. A public interface: its shape changes only
//! on purpose.

use serde_json::{Map, Value, json};

use super::format::cell_value;
use crate::figures::model::{Fact, Report, RowRole, Table};

/// Whole numbers as JSON integers, so counts read as counts.
fn fact_value(fact: &Fact) -> Value {
    match fact {
        Fact::Number(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => json!(*n as i64),
        Fact::Number(n) => json!(n),
        Fact::Text(t) => json!(t),
        Fact::List(items) => json!(items),
        Fact::Symbol(s) => json!(s.code()),
    }
}

pub fn table_value(table: &Table) -> Value {
    let rows: Vec<Value> = table
        .rows
        .iter()
        .map(|row| {
            let mut cells = vec![json!(row.label)];
            cells.extend(row.cells.iter().map(cell_value));
            Value::Array(cells)
        })
        .collect();
    json!({
        "id": table.id,
        "title": table.title,
        "columns": table.columns,
        "rows": rows,
        "total_rows": table.rows.iter().enumerate().filter(|(_, r)| r.role == RowRole::Total).map(|(i, _)| i).collect::<Vec<_>>(),
        "notes": table.notes,
    })
}

pub fn figures(report: &Report) -> Value {
    let headline: Map<String, Value> = report
        .headline
        .iter()
        .map(|(k, v)| (k.clone(), fact_value(v)))
        .collect();
    let period = |p: &crate::figures::model::PeriodInfo| json!({"label": p.label, "start": p.start, "end": p.end});
    json!({
        "report": report.kind,
        "title": report.title,
        "audience": report.audience,
        "suppress_below": report.suppress_below,
        "authority": report.authority,
        "period": period(&report.period),
        "comparisons": report.comparisons.iter().map(period).collect::<Vec<_>>(),
        "headline": headline,
        "tables": report.tables().map(table_value).collect::<Vec<_>>(),
        "reconciliation": report.reconciliation,
        "warnings": report.warnings,
        "provenance": report.provenance,
    })
}
