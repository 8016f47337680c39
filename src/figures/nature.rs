//! Section 6: what complaints were about. A complaint may raise several issues, so issues
//! outnumber complaints; both totals are stated.

use super::Inputs;
use super::model::{ChartKind, Fact, Section};
use super::model::{list, number};
use super::registry::{Build, SectionDef};
use super::tables::{Linker, YearTable, chart_of};
use crate::error::Result;

pub const SECTION: SectionDef = SectionDef {
    id: "nature",
    title: "What complaints were about",
    facts: &[
        number("nature_issues"),
        number("nature_complaints"),
        list("top_natures"),
    ],
    build: Build::Figures(build),
};

pub fn build(inputs: &Inputs) -> Result<Section> {
    let current = inputs.current();
    let slots = &inputs.slots;
    let label = &slots.periods[current].label;
    let (mut table, counts) = inputs.label_table(
        inputs.stage(1),
        "nature",
        YearTable {
            id: "natures",
            title: "Issues raised in stage 1 complaints, by nature".into(),
            stub: "Nature of the issue",
            total: Some("Total"),
            change: true,
        },
    )?;
    table.notes.push(
        "A complaint can raise more than one issue, so there are more issues than complaints; a complaint with no nature recorded counts once as not recorded.".into(),
    );

    let mut facts = Linker::default();
    // The number of complaints is the stage 1 total of the timescales table; the issues, this
    // table's total.
    facts.cell("nature_issues", &table, "Total", current);
    facts.cell_elsewhere(
        "nature_complaints",
        "stage1-timescales",
        "Received",
        current,
    );
    let top = super::top_labels(&counts, current, 3);
    facts.plain(
        "top_natures",
        Fact::List(top.into_iter().map(|(l, _)| l).collect()),
    );
    let chart = chart_of(
        &table,
        ChartKind::HorizontalBar,
        &format!("Issues raised in stage 1 complaints, {label}"),
        format!(
            "Horizontal bar chart of the issues raised in stage 1 complaints in {label}, by nature."
        ),
        &[current],
        "Issues",
    );
    Ok(facts.section(&SECTION, vec![table], vec![chart]))
}
