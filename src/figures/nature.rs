//! Section 6: what complaints were about. A complaint may raise several issues, so issues
//! outnumber complaints; both totals are stated.

use super::Inputs;
use super::model::{ChartKind, Fact, Facts, Section};
use super::tables::{YearTable, chart_of};
use crate::error::Result;

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
    let complaints =
        super::frame::per_period(inputs.stage(1), vec![polars::prelude::len()], slots.len())?;
    let complaints_now = complaints[0][current].unwrap_or(0.0) as i64;
    let issues_now: i64 = counts
        .rows
        .iter()
        .filter(|(label, _)| label.is_some())
        .map(|(_, values)| values[current])
        .sum();
    table.notes.push(format!(
        "A complaint can raise more than one issue: in {label}, {complaints_now} stage 1 complaints raised {issues_now} issues."
    ));

    let mut facts = Facts::new();
    facts.insert("nature_complaints".into(), complaints_now.into());
    facts.insert("nature_issues".into(), issues_now.into());
    let top = super::top_labels(&counts, current, 3);
    facts.insert(
        "top_natures".into(),
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
    Ok(Section::figures(
        "nature",
        "What complaints were about",
        vec![table],
        vec![chart],
        facts,
    ))
}
