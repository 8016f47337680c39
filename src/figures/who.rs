//! Section 5: who complained and how.

use super::model::{ChartKind, Fact, Section};
use super::model::{number, text};
use super::registry::{Build, SectionDef};
use super::tables::{Linker, YearTable, chart_of};
use super::{Inputs, top_labels};
use crate::error::Result;

pub const SECTION: SectionDef = SectionDef {
    id: "who",
    title: "Who complained and how",
    facts: &[
        number("top_complainant_count"),
        number("top_complainant_percent"),
        text("top_complainant"),
    ],
    build: Build::Figures(build),
};

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

    let mut facts = Linker::default();
    let total: i64 = by_complainant.totals(inputs.slots.len())[current];
    if let Some((top, n)) = top_labels(&by_complainant, current, 1).into_iter().next() {
        facts.cell("top_complainant_count", &complainants, &top, current);
        facts.derived(
            "top_complainant_percent",
            Fact::Number((100.0 * n as f64 / total as f64).round()),
            &["top_complainant_count"],
        );
        facts.plain("top_complainant", Fact::Text(top));
    }
    let chart = chart_of(
        &complainants,
        ChartKind::HorizontalBar,
        &format!("Stage 1 complaints by who made them, {label}"),
        format!("Horizontal bar chart of stage 1 complaints in {label} by who made them."),
        &[current],
        "Complaints",
    );
    Ok(facts.section(&SECTION, vec![complainants, methods], vec![chart]))
}
