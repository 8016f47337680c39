//! Section 7: the services and teams complained about.

use super::Inputs;
use super::model::{ChartKind, Fact, Facts, Section};
use super::tables::{YearTable, chart_of};
use crate::error::Result;

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
    let mut facts = Facts::new();
    let top = super::top_labels(&counts, current, 3);
    facts.insert(
        "top_services".into(),
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
    Ok(Section::figures(
        "services",
        "Services and teams",
        vec![table],
        vec![chart],
        facts,
    ))
}
