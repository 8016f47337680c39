//! Section 7: the services and teams complained about.

use super::Inputs;
use super::model::list;
use super::model::{ChartKind, Fact, Section};
use super::registry::{Build, SectionDef};
use super::tables::{Linker, YearTable, chart_of};
use crate::error::Result;

pub const SECTION: SectionDef = SectionDef {
    id: "services",
    title: "Services and teams",
    facts: &[list("top_services")],
    build: Build::Figures(build),
};

pub fn build(inputs: &Inputs) -> Result<Section> {
    let current = inputs.current();
    let label = &inputs.slots.periods[current].label;
    let (table, counts) = inputs.label_table(
        inputs.stage(1),
        "service",
        YearTable {
            id: "services",
            title: "Stage 1 complaints by service".into(),
            stub: "Service or team",
            total: Some("Total"),
            change: true,
        },
    )?;
    let mut facts = Linker::default();
    let top = super::top_labels(&counts, current, 3);
    facts.plain(
        "top_services",
        Fact::List(top.into_iter().map(|(l, _)| l).collect()),
    );
    let chart = chart_of(
        &table,
        ChartKind::HorizontalBar,
        &format!("Stage 1 complaints by service, {label}"),
        format!(
            "Horizontal bar chart of stage 1 complaints in {label} by the service or team complained about."
        ),
        &[current],
        "Complaints",
    );
    Ok(facts.section(&SECTION, vec![table], vec![chart]))
}
