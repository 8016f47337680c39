//! Section 5: who complained and how.

use super::ahead::Wanted;
use super::inputs::{Inputs, Whole};
use super::model::{ChartKind, Section, number, text};
use super::quantity::{Formula, Subject};
use super::registry::{Build, SectionDef};
use super::tables::{Linker, YearTable, chart_of, top_labels, year_table};
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
    ahead: &[
        Wanted::Counts(1, "complainant"),
        Wanted::Counts(1, "method"),
    ],
    quotes: &[],
};

pub fn build(inputs: &Inputs) -> Result<Section> {
    let current = inputs.current();
    let label = &inputs.slots.periods[current].label;
    let (_, q1) = inputs.stage_times(1)?;
    let mut tables = Vec::new();
    let mut complainants = None;
    for (column, id, title, stub) in [
        (
            "complainant",
            "complainants",
            "Stage 1 complaints by who made them",
            "Complainant",
        ),
        (
            "method",
            "methods",
            "Stage 1 complaints by how they were made",
            "Method",
        ),
    ] {
        let counts = inputs.stage_counts(1, column)?;
        let breakdown = inputs.breakdown(
            "stage1.received",
            column,
            &counts,
            Whole::Divides(&q1.received),
            Subject::People,
        );
        let mut table = year_table(
            inputs,
            YearTable {
                id,
                title: title.into(),
                stub,
                total: Some("Total"),
                change: false,
            },
            &breakdown,
        );
        table.notes.extend(inputs.missing_column_note(column));
        tables.push(table);
        if column == "complainant" {
            complainants = Some(breakdown);
        }
    }

    let mut facts = Linker::default();
    let complainants = complainants.expect("built above");
    if let Some((top, q)) = top_labels(inputs, &complainants, current)
        .into_iter()
        .next()
    {
        facts.label("top_complainant", &top, q);
        facts.quantity("top_complainant_count", Some(q));
        let whole = q1.received[current];
        let share = inputs.derive(
            "percent",
            &[q, whole],
            Some(100.0 * inputs.value(q) as f64 / inputs.value(whole).max(1) as f64),
            Formula::Percent { part: q, whole },
        );
        facts.quantity("top_complainant_percent", Some(share));
    }
    let chart = chart_of(
        &tables[0],
        ChartKind::HorizontalBar,
        &format!("Stage 1 complaints by who made them, {label}"),
        format!("Horizontal bar chart of stage 1 complaints in {label} by who made them."),
        &[inputs.current_column()],
        "Complaints",
    );
    Ok(facts.section(&SECTION, tables, vec![chart]))
}
