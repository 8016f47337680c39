//! Section 11: the Local Government and Social Care Ombudsman — cases, decisions, remedies and
//! payments. These are the Ombudsman's counts (`Subject::Ombudsman`): the publication policy
//! says whether they are shown as the Ombudsman shows them, or protected like any other.

use polars::prelude::*;

use super::ahead::{Frames, Wanted, count_column};
use super::counts::Counts;
use super::frame::{count_true, per_period};
use super::inputs::{Inputs, Whole};
use super::model::{Cell, Row, Section, Symbol, Table, number};
use super::quantity::Subject;
use super::received::{Role, role_total, route_cube};
use super::registry::{Build, SectionDef};
use super::tables::{Linker, period_columns, period_row, share_table, source};
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
    ahead: &[Wanted::Ombudsman],
    quotes: &[],
};

/// The Ombudsman's cases counted per period: decided, with a payment, and the total paid
/// (`values`, in that order), by decision and by remedy.
#[derive(Clone)]
pub struct Counted {
    values: Vec<Vec<Option<f64>>>,
    decisions: Counts,
    remedies: Counts,
}

pub fn count(frames: &Frames) -> Result<Counted> {
    let periods = frames.slots.len();
    let cases = || {
        frames
            .starts()
            .filter(col(derived::OMBUDSMAN).fill_null(lit(false)))
    };
    let values = per_period(
        cases(),
        vec![
            count_true(col("responded").is_not_null()),
            count_true(col("payment").gt(lit(0.0))),
            col("payment").sum(),
        ],
        periods,
    )?;
    Ok(Counted {
        values,
        decisions: count_column(
            cases().filter(col("responded").is_not_null()),
            "outcome",
            periods,
        )?,
        remedies: count_column(cases(), "remedy", periods)?,
    })
}

pub fn build(inputs: &Inputs) -> Result<Section> {
    route_cube(inputs)?;
    let slots = &inputs.slots;
    let current = inputs.current();
    let label = &slots.periods[current].label;
    let counted = inputs.worked_out::<Counted>(Wanted::Ombudsman)?;
    let values = &counted.values;
    let series =
        |i: usize| -> Vec<i64> { values[i].iter().map(|v| v.unwrap_or(0.0) as i64).collect() };
    let received = role_total(inputs, Role::Ombudsman);
    let decided = inputs.series_about("ombudsman.decided", Subject::Ombudsman, &series(0));
    let paid = inputs.series_about("ombudsman.payments", Subject::Ombudsman, &series(1));
    {
        let mut registry = inputs.registry();
        for s in 0..slots.len() {
            registry.at_most(decided[s], received[s]);
            registry.at_most(paid[s], received[s]);
        }
    }
    let mut yearly = Table::new(
        "ombudsman",
        format!("Ombudsman cases {}", inputs.over_time),
        period_columns("Measure", slots),
    );
    let amounts: Vec<_> = slots
        .shown
        .iter()
        .map(|&s| {
            let (cell, q) =
                inputs.describing("total_paid", values[2][s].or(Some(0.0)), 2, paid[s], s);
            match cell {
                super::model::Cell::Number { value, .. } => (super::model::Cell::Money(value), q),
                other => (other, q),
            }
        })
        .collect();
    yearly.rows = vec![
        period_row(inputs, "Cases received", &received, false),
        period_row(inputs, "Decided", &decided, false),
        period_row(inputs, "Payments made", &paid, false),
        super::model::Row::linked("Total paid", amounts),
    ];

    let decisions = inputs.breakdown(
        "ombudsman.decided",
        "decision",
        &counted.decisions,
        Whole::Divides(&decided),
        Subject::Ombudsman,
    );
    let decisions_table = share_table(
        inputs,
        "ombudsman-decisions",
        format!("Ombudsman decisions on cases received in {label}"),
        "Decision",
        &decisions,
        &decided,
        Some("Total decided"),
    )
    .with_note("Percentages are of the cases decided; cases awaiting a decision are not included.");
    let remedies = inputs.breakdown(
        "ombudsman.received",
        "remedy",
        &counted.remedies,
        Whole::Mentions(&received),
        Subject::Ombudsman,
    );
    let remedies = inputs.grouped("ombudsman.received", "remedy", remedies);
    let remedies_table = share_table(
        inputs,
        "ombudsman-remedies",
        format!("Remedies from Ombudsman cases received in {label}"),
        "Remedy",
        &remedies,
        &decided,
        None,
    )
    .with_note("Percentages are of the cases decided; a case can have more than one remedy.");

    let mut facts = Linker::default();
    facts.quantity("ombudsman_cases", Some(received[current]));
    facts.quantity("ombudsman_decided", Some(decided[current]));
    facts.quantity("ombudsman_payments", Some(paid[current]));
    facts.quantity(
        "ombudsman_paid_total",
        source(&yearly, "Total paid", inputs.current_column()),
    );
    let mut tables = vec![yearly, decisions_table, remedies_table];
    tables.extend(annual_review(inputs)?);
    Ok(facts.section(&SECTION, tables, Vec::new()))
}

/// The Ombudsman's annual review figures, year by year, beside the average for similar
/// authorities: the Ombudsman's own published percentages, as the council enters them. For a
/// quarter or other part of a year, its financial year's letter.
fn annual_review(inputs: &Inputs) -> Result<Option<Table>> {
    let Some(review) = &inputs.dataset.ombudsman_review else {
        return Ok(None);
    };
    let slots = &inputs.slots;
    let years = super::frame::strings(review, "year")?;
    let mut table = Table::new(
        "ombudsman-annual-review",
        "The Ombudsman's annual review",
        period_columns("Measure", slots),
    )
    .with_note("From the Ombudsman's annual review letters (ombudsman-review.csv): the Ombudsman's own published figures. A year without a letter shows [x].");
    for (column, label) in [
        ("upheld_rate", "Upheld rate (%)"),
        (
            "average_upheld_rate",
            "Average upheld rate for similar authorities (%)",
        ),
        ("compliance_rate", "Compliance with recommendations (%)"),
        (
            "average_compliance_rate",
            "Average compliance for similar authorities (%)",
        ),
    ] {
        let values = review.column(column)?.f64()?;
        let of_year = |year: &str| {
            years
                .iter()
                .zip(values.iter())
                .find(|(y, _)| *y == Some(year))
                .and_then(|(_, v)| v)
        };
        let cells: Vec<Cell> = slots
            .shown
            .iter()
            .map(
                |&s| match of_year(&slots.periods[s].financial_year().to_string()) {
                    Some(v) => Cell::Percent(v),
                    None => Cell::Symbol(Symbol::NotAvailable),
                },
            )
            .collect();
        if cells.iter().any(|c| matches!(c, Cell::Percent(_))) {
            table.rows.push(Row::new(label, cells));
        }
    }
    table.exempt = true;
    Ok(Some(table))
}
