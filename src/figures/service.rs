//! Section 7: the services and teams complained about.

use super::ahead::Wanted;
use super::inputs::{Inputs, Whole};
use super::model::{ChartKind, Section, list, number, text};
use super::quantity::Subject;
use super::registry::{Build, SectionDef};
use super::tables::{Linker, YearTable, biggest_changes, chart_of, top_labels, year_table};
use crate::error::Result;

pub const SECTION: SectionDef = SectionDef {
    id: "services",
    title: "Services and teams",
    facts: &[
        list("top_services"),
        text("service_biggest_rise"),
        number("service_biggest_rise_by"),
        text("service_biggest_fall"),
        number("service_biggest_fall_by"),
    ],
    build: Build::Figures(build),
    ahead: &[Wanted::Counts(1, "service")],
    quotes: &[],
};

pub fn build(inputs: &Inputs) -> Result<Section> {
    let current = inputs.current();
    let label = &inputs.slots.periods[current].label;
    let (_, q1) = inputs.stage_times(1)?;
    let counts = inputs.stage_counts(1, "service")?;
    let services = inputs.breakdown(
        "stage1.received",
        "service",
        &counts,
        Whole::Divides(&q1.received),
        Subject::People,
    );
    let mut table = year_table(
        inputs,
        YearTable {
            id: "services",
            title: "Stage 1 complaints by service".into(),
            stub: "Service or team",
            total: Some("Total"),
            change: true,
        },
        &services,
    );
    table.notes.extend(inputs.missing_column_note("service"));
    let mut facts = Linker::default();
    facts.ranking("top_services", top_labels(inputs, &services, current), 3);
    facts.changes("service", biggest_changes(inputs, &services));
    let chart = chart_of(
        &table,
        ChartKind::HorizontalBar,
        &format!("Stage 1 complaints by service, {label}"),
        format!(
            "Horizontal bar chart of stage 1 complaints in {label} by the service or team complained about."
        ),
        &[inputs.current_column()],
        "Complaints",
    );
    Ok(facts.section(&SECTION, vec![table], vec![chart]))
}
