//! Section 2: representations received, by type and statutory or other, year on year.

use polars::prelude::*;

use super::Inputs;
use super::frame::count_by;
use super::model::{ChartKind, Fact, Section};
use super::model::{number, text};
use super::registry::{Build, SectionDef};
use super::tables::{Linker, YearTable, chart_over_periods, year_table};
use crate::error::Result;

pub const SECTION: SectionDef = SectionDef {
    id: "received",
    title: "Representations received",
    facts: &[
        number("representations_total"),
        number("representations_per_month"),
        number("representations_previous"),
        text("previous_label"),
        number("statutory_total"),
        number("other_total"),
    ],
    build: Build::Figures(build),
};

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

    let mut facts = Linker::default();
    let total_row = "Total representations";
    facts.cell("representations_total", &types, total_row, current);
    let total = by_type.totals(slots.len())[current];
    facts.derived(
        "representations_per_month",
        Fact::Number((10.0 * total as f64 / inputs.period.months() as f64).round() / 10.0),
        &["representations_total"],
    );
    // The previous period's name, whether or not this file covers it: other sections (such as
    // compliments) compare with it too.
    if let Some(previous) = slots.previous() {
        facts.plain(
            "previous_label",
            slots.periods[previous].label.as_str().into(),
        );
        if slots.present[previous] {
            facts.cell("representations_previous", &types, total_row, previous);
        }
    }
    facts.cell("statutory_total", &routes, STATUTORY, current);
    facts.cell("other_total", &routes, OTHER, current);

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
    Ok(facts.section(&SECTION, vec![types, routes], vec![chart]))
}
