//! Section 11: the Local Government and Social Care Ombudsman — cases, decisions, remedies and
//! payments.

use polars::prelude::*;

use super::Inputs;
use super::frame::{count_true, per_period};
use super::model::number;
use super::model::{Cell, Row, Section, Table};
use super::registry::{Build, SectionDef};
use super::tables::{
    Linker, add_share_total, count_cell, measure_cell, period_columns, share_table,
};
use crate::error::Result;
use crate::load::derived;

pub const SECTION: SectionDef = SectionDef {
    id: "ombudsman",
    title: "The Ombudsman",
    facts: &[
        number("ombudsman_cases"),
        number("ombudsman_decided"),
        number("ombudsman_payments"),
        number("ombudsman_paid_total"),
    ],
    build: Build::Figures(build),
};

pub fn build(inputs: &Inputs) -> Result<Section> {
    let slots = &inputs.slots;
    let current = inputs.current();
    let label = &slots.periods[current].label;
    let cases = || {
        inputs
            .starts()
            .filter(col(derived::OMBUDSMAN).fill_null(lit(false)))
    };

    let values = per_period(
        cases(),
        vec![
            len(),
            count_true(col("responded").is_not_null()),
            count_true(col("payment").gt(lit(0.0))),
            col("payment").sum(),
        ],
        slots.len(),
    )?;
    let at = |i: usize, s: usize| values[i][s].unwrap_or(0.0) as i64;
    let counts = |i: usize| {
        (0..slots.len())
            .map(|s| count_cell(at(i, s), slots, s))
            .collect()
    };
    let mut yearly = Table::new(
        "ombudsman",
        "Ombudsman cases year on year",
        period_columns("Measure", slots),
    );
    yearly.rows = vec![
        Row::new("Cases received", counts(0)),
        Row::new("Decided", counts(1)),
        Row::new("Payments made", counts(2)),
        Row::new(
            "Total paid",
            (0..slots.len())
                .map(
                    |s| match measure_cell(Some(values[3][s].unwrap_or(0.0)), 2, slots, s) {
                        Cell::Number { value, .. } => Cell::Money(value),
                        other => other,
                    },
                )
                .collect(),
        ),
    ];
    for s in 0..slots.len() {
        // One or two payments' total is those payments.
        yearly.derive((3, s), vec![(2, s)], vec![]);
    }

    let decisions = inputs.counts(cases().filter(col("responded").is_not_null()), "outcome")?;
    let decided = at(1, current);
    let mut decisions_table = share_table(
        "ombudsman-decisions",
        format!("Ombudsman decisions on cases received in {label}"),
        "Decision",
        &decisions,
        current,
        Some(decided),
    )
    .with_note("Percentages are of the cases decided; cases awaiting a decision are not included.");
    add_share_total(&mut decisions_table, "Total decided");
    let remedies = inputs.counts(cases(), "remedy")?;
    let remedies_table = share_table(
        "ombudsman-remedies",
        format!("Remedies from Ombudsman cases received in {label}"),
        "Remedy",
        &remedies,
        current,
        Some(decided),
    )
    .with_note("Percentages are of the cases decided; a case can have more than one remedy.");

    let mut facts = Linker::default();
    facts.cell("ombudsman_cases", &yearly, "Cases received", current);
    facts.cell("ombudsman_decided", &yearly, "Decided", current);
    facts.cell("ombudsman_payments", &yearly, "Payments made", current);
    facts.cell("ombudsman_paid_total", &yearly, "Total paid", current);
    Ok(facts.section(
        &SECTION,
        vec![yearly, decisions_table, remedies_table],
        Vec::new(),
    ))
}
