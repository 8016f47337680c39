//! Section 9: children and young people's own complaints (made by them or their advocate):
//! how many, their share, advocacy, and outcomes.

use polars::prelude::*;

use super::Inputs;
use super::frame::{count_true, per_period};
use super::model::number;
use super::model::{ChartKind, Row, Section, Table};
use super::outcomes::outcome_counts;
use super::registry::{Build, SectionDef};
use super::tables::{
    Linker, add_share_total, chart_over_periods, count_cell, percent_cell, period_columns,
    share_table,
};
use crate::error::Result;
use crate::load::derived;

pub const SECTION: SectionDef = SectionDef {
    id: "children",
    title: "Children and young people's complaints",
    facts: &[
        number("children_representations"),
        number("children_complaints"),
        number("children_share_percent"),
        number("children_advocate"),
    ],
    build: Build::Figures(build),
};

pub fn build(inputs: &Inputs) -> Result<Section> {
    let slots = &inputs.slots;
    let current = inputs.current();
    let label = &slots.periods[current].label;
    let young = || col(derived::YOUNG_PERSON).fill_null(lit(false));

    let representations = per_period(inputs.starts(), vec![count_true(young())], slots.len())?;
    let stage1 = per_period(
        inputs.stage(1),
        vec![
            len(),
            count_true(young()),
            count_true(young().and(col("advocate").fill_null(lit(false)))),
        ],
        slots.len(),
    )?;
    let at =
        |values: &Vec<Vec<Option<f64>>>, i: usize, s: usize| values[i][s].unwrap_or(0.0) as i64;
    let counts = |values: &Vec<Vec<Option<f64>>>, i: usize| -> Vec<_> {
        (0..slots.len())
            .map(|s| count_cell(at(values, i, s), slots, s))
            .collect()
    };

    let mut table = Table::new(
        "children",
        "Children and young people's own complaints",
        period_columns("Measure", slots),
    )
    .with_note("A child's own complaint is one made by a child or young person, or by an advocate for them.");
    table.rows = vec![
        Row::new(
            "Representations from children and young people",
            counts(&representations, 0),
        ),
        Row::new(
            "Stage 1 complaints from children and young people",
            counts(&stage1, 1),
        ),
        Row::new(
            "Share of all stage 1 complaints (%)",
            (0..slots.len())
                .map(|s| percent_cell(at(&stage1, 1, s), at(&stage1, 0, s), slots, s))
                .collect(),
        ),
        Row::new("Supported by an advocate", counts(&stage1, 2)),
    ];
    for s in 0..slots.len() {
        // The share gives away the children's count: hidden with it.
        table.derive((2, s), vec![(1, s)], vec![]);
    }

    let outcomes = outcome_counts(inputs, inputs.stage(1).filter(young()))?;
    let concluded = outcomes.totals(slots.len())[current];
    let mut outcome_table = share_table(
        "children-outcomes",
        format!("Outcomes of children and young people's stage 1 complaints, {label}"),
        "Outcome",
        &outcomes,
        current,
        Some(concluded),
    )
    .with_note("Percentages are of their stage 1 complaints concluded.");
    add_share_total(&mut outcome_table, "Total concluded");

    let mut facts = Linker::default();
    for (key, row) in [
        (
            "children_representations",
            "Representations from children and young people",
        ),
        (
            "children_complaints",
            "Stage 1 complaints from children and young people",
        ),
        (
            "children_share_percent",
            "Share of all stage 1 complaints (%)",
        ),
        ("children_advocate", "Supported by an advocate"),
    ] {
        facts.cell(key, &table, row, current);
    }

    let chart = chart_over_periods(
        &table,
        ChartKind::Bar,
        "Stage 1 complaints from children and young people by year",
        "Bar chart of the stage 1 complaints made by children and young people, or their advocates, in each year.".into(),
        &["Stage 1 complaints from children and young people"],
        slots,
        "Complaints",
    );
    Ok(facts.section(&SECTION, vec![table, outcome_table], vec![chart]))
}
