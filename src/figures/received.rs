//! Section 2: representations received, by type and statutory or other, year on year.

use polars::prelude::*;

use super::Inputs;
use super::frame::count_by;
use super::model::{ChartKind, Fact, Facts, Section};
use super::tables::{YearTable, chart_over_periods, year_table};
use crate::error::Result;

pub const STATUTORY: &str = "Statutory (in the complaints procedure)";
pub const OTHER: &str = "Other representations";

pub fn build(inputs: &Inputs) -> Result<Section> {
    let slots = &inputs.slots;
    let current = inputs.current();
    let by_type = count_by(inputs.starts(), "type", slots.len())?;
    let types = year_table(
        YearTable {
            id: "received-by-type",
            title: "Representations received by type".into(),
            stub: "Type",
            total: Some("Total representations"),
            change: true,
        },
        &by_type,
        slots,
    )
    .with_note("A complaint escalated to a later stage is counted once, at the stage it started.");

    let split_frame = inputs.starts().with_column(
        when(col("stage").is_not_null())
            .then(lit(STATUTORY))
            .otherwise(lit(OTHER))
            .alias("route"),
    );
    let mut by_route = count_by(split_frame, "route", slots.len())?;
    // Statutory first, whatever the counts.
    by_route
        .rows
        .sort_by_key(|(label, _)| label.as_deref() != Some(STATUTORY));
    let routes = year_table(
        YearTable {
            id: "received-statutory-other",
            title: "Statutory and other representations".into(),
            stub: "Route",
            total: Some("Total representations"),
            change: true,
        },
        &by_route,
        slots,
    )
    .with_note("Statutory representations are those with a stage under the 2006 Regulations.");

    let totals = by_type.totals(slots.len());
    let total = totals[current];
    let mut facts = Facts::new();
    facts.insert("representations_total".into(), total.into());
    facts.insert(
        "representations_per_month".into(),
        Fact::Number((10.0 * total as f64 / inputs.period.months() as f64).round() / 10.0),
    );
    if let Some(previous) = slots.previous().filter(|p| slots.present[*p]) {
        facts.insert("representations_previous".into(), totals[previous].into());
        facts.insert(
            "previous_label".into(),
            slots.periods[previous].label.as_str().into(),
        );
    }
    let route_count = |label: &str| by_route.get(label).map(|c| c[current]).unwrap_or(0);
    facts.insert("statutory_total".into(), route_count(STATUTORY).into());
    facts.insert("other_total".into(), route_count(OTHER).into());

    let chart = chart_over_periods(
        &routes,
        ChartKind::Bar,
        "Representations received by year",
        format!(
            "Bar chart of statutory and other representations received in each year from {} to {}.",
            slots.periods[0].label, slots.periods[current].label
        ),
        &[STATUTORY, OTHER],
        slots,
        "Representations",
    );
    Ok(Section::figures(
        "received",
        "Representations received",
        vec![types, routes],
        vec![chart],
        facts,
    ))
}
