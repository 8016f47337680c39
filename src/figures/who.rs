//! Section 5: who complained and how.

use super::model::{ChartKind, Fact, Facts, Section};
use super::tables::{YearTable, chart_of};
use super::{Inputs, top_labels};
use crate::error::Result;

pub fn build(inputs: &Inputs) -> Result<Section> {
    let current = inputs.current();
    let label = &inputs.slots.periods[current].label;
    let (complainants, by_complainant) = inputs.label_table(
        inputs.stage(1),
        "complainant",
        YearTable {
            id: "complainants",
            title: "Stage 1 complaints by who made them".into(),
            stub: "Complainant",
            total: Some("Total"),
            change: false,
        },
    )?;
    let (methods, _) = inputs.label_table(
        inputs.stage(1),
        "method",
        YearTable {
            id: "methods",
            title: "Stage 1 complaints by how they were made".into(),
            stub: "Method",
            total: Some("Total"),
            change: false,
        },
    )?;

    let mut facts = Facts::new();
    let total: i64 = by_complainant.totals(inputs.slots.len())[current];
    if let Some((top, n)) = top_labels(&by_complainant, current, 1).into_iter().next() {
        facts.insert("top_complainant".into(), Fact::Text(top));
        facts.insert("top_complainant_count".into(), n.into());
        facts.insert(
            "top_complainant_percent".into(),
            Fact::Number((100.0 * n as f64 / total as f64).round()),
        );
    }
    let chart = chart_of(
        &complainants,
        ChartKind::HorizontalBar,
        &format!("Stage 1 complaints by who made them, {label}"),
        format!("Horizontal bar chart of stage 1 complaints in {label} by who made them."),
        &[current],
        "Complaints",
    );
    Ok(Section::figures(
        "who",
        "Who complained and how",
        vec![complainants, methods],
        vec![chart],
        facts,
    ))
}
