//! Section 3: stage 1 timescales in working days — bands, within timescale, mean and median,
//! extensions, still open; by quarter and year on year; acknowledgements.

use polars::prelude::*;

use super::Inputs;
use super::frame::{ACK_WORKING_DAYS, Slots, count_true, per_period, tag_periods};
use super::model::number;
use super::model::{Cell, ChartKind, Fact, Row, Section, Table};
use super::registry::{Build, SectionDef};
use super::tables::{Linker, chart_of, chart_over_periods, percent_cell, period_columns};
use super::timescales::StageTimes;
use crate::error::Result;
use crate::load::contract::Source;
use crate::period::FinancialYear;

pub const SECTION: SectionDef = SectionDef {
    id: "stage1",
    title: "Stage 1: timescales",
    facts: &[
        number("stage1_received"),
        number("stage1_responded"),
        number("stage1_mean_working_days"),
        number("stage1_median_working_days"),
        number("stage1_within_timescale_percent"),
        number("stage1_open_at_end"),
        number("stage1_extensions"),
        number("stage1_target_days"),
        number("stage1_extended_days"),
        number("stage1_within_timescale_percent_previous"),
    ],
    build: Build::Figures(build),
};

pub fn build(inputs: &Inputs) -> Result<Section> {
    let slots = &inputs.slots;
    let current = inputs.current();
    let timescale = &inputs.settings.stage1;
    let times = StageTimes::measure(inputs.stage(1), timescale, slots)?;

    let mut bands = Table::new(
        "stage1-bands",
        format!("Stage 1 response times, {}", slots.periods[current].label),
        vec![
            "Working days to respond".into(),
            "Number".into(),
            "%".into(),
        ],
    )
    .with_note(
        "Percentages are of the stage 1 complaints responded to. The day of receipt is day 0.",
    );
    let responded = times.responded[current];
    for (label, values) in timescale.band_labels().into_iter().zip(&times.bands) {
        bands.rows.push(Row::new(
            label,
            vec![
                Cell::Count(values[current]),
                Cell::percent_of(values[current], responded),
            ],
        ));
    }
    bands.rows.push(Row::total(
        "Total responded to",
        vec![
            Cell::Count(responded),
            Cell::percent_of(responded, responded),
        ],
    ));
    let total_row = bands.rows.len() - 1;
    let band_rows: Vec<usize> = (0..total_row).collect();
    bands.sum_rows(total_row, &band_rows, [0]);
    for r in band_rows {
        bands.derive((r, 1), vec![(r, 0), (total_row, 0)], vec![]);
    }

    let mut yearly = Table::new("stage1-timescales", "Stage 1 complaints: timescales year on year", period_columns("Measure", slots))
        .with_note(format!(
            "Within timescale: within {} working days, or {} where an extension was agreed. Percentages are of the complaints responded to.",
            timescale.target, timescale.extended_target
        ));
    times.fill(&mut yearly, timescale, slots, true);
    add_acknowledgements(inputs, &mut yearly)?;

    let mut tables = vec![bands, yearly];
    if let Some(quarters) = quarter_table(inputs)? {
        tables.push(quarters);
    }

    let mut facts = Linker::default();
    let year = &tables[1];
    for (key, row) in [
        ("stage1_received", "Received"),
        ("stage1_responded", "Responded to"),
        ("stage1_mean_working_days", "Mean working days"),
        ("stage1_median_working_days", "Median working days"),
        ("stage1_within_timescale_percent", "Within timescale (%)"),
        ("stage1_open_at_end", "Still open at end of period"),
        ("stage1_extensions", "Extensions agreed"),
    ] {
        facts.cell(key, year, row, current);
    }
    facts.plain("stage1_target_days", Fact::Number(timescale.target.into()));
    facts.plain(
        "stage1_extended_days",
        Fact::Number(timescale.extended_target.into()),
    );
    if let Some(previous) = slots.previous().filter(|p| slots.present[*p]) {
        facts.cell(
            "stage1_within_timescale_percent_previous",
            year,
            "Within timescale (%)",
            previous,
        );
    }

    let band_chart = chart_of(
        &tables[0],
        ChartKind::Bar,
        &format!("Stage 1 response times, {}", slots.periods[current].label),
        format!(
            "Bar chart of the number of stage 1 complaints responded to in each band of working days in {}.",
            slots.periods[current].label
        ),
        &[0],
        "Complaints",
    );
    let mut trend = chart_over_periods(
        &tables[1],
        ChartKind::Line,
        "Stage 1 complaints responded to within timescale",
        "Line chart of the percentage of stage 1 complaints responded to within timescale in each year.".into(),
        &["Within timescale (%)"],
        slots,
        "Per cent",
    );
    trend.id = "stage1-within-timescale".into();
    trend.percent = true;
    Ok(facts.section(&SECTION, tables, vec![band_chart, trend]))
}

/// The mean over the whole year from the quarters' means, weighted by responses.
fn year_mean_of(times: &StageTimes) -> Option<f64> {
    let responded: i64 = times.responded.iter().sum();
    let weighted: f64 = times
        .mean
        .iter()
        .zip(&times.responded)
        .filter_map(|(m, n)| m.map(|m| m * *n as f64))
        .sum();
    (responded > 0).then(|| weighted / responded as f64)
}

/// Acknowledged within the set working days, as a percentage of those with an acknowledgement
/// date — only when the export records acknowledgements at all. The counts behind it are not
/// shown, so suppression is told them.
fn add_acknowledgements(inputs: &Inputs, table: &mut Table) -> Result<()> {
    if !inputs
        .dataset
        .recorded(Source::Representations, "acknowledged")
    {
        return Ok(());
    }
    let days = inputs.settings.acknowledgement_days;
    let values = per_period(
        inputs.stage(1),
        vec![
            count_true(col(ACK_WORKING_DAYS).lt_eq(lit(days as i64))),
            count_true(col("acknowledged").is_not_null()),
        ],
        inputs.slots.len(),
    )?;
    let slots = &inputs.slots;
    let value = |i: usize, s: usize| values[i][s].unwrap_or(0.0) as i64;
    table.rows.push(Row::new(
        format!("Acknowledged within {days} working days (%)"),
        (0..slots.len())
            .map(|s| percent_cell(value(0, s), value(1, s), slots, s))
            .collect(),
    ));
    let r = table.rows.len() - 1;
    for s in 0..slots.len() {
        // Those acknowledged in time, and those not: either being small would give someone away.
        table.derive((r, s), vec![], vec![value(0, s), value(1, s) - value(0, s)]);
    }
    Ok(())
}

/// The report's year quarter by quarter, when the period is a financial year.
fn quarter_table(inputs: &Inputs) -> Result<Option<Table>> {
    let period = inputs.period;
    let year = FinancialYear::containing(period.start);
    if period.start != year.first_day() || period.end != year.last_day() {
        return Ok(None);
    }
    let quarters = Slots {
        periods: crate::period::Period::quarters(year).to_vec(),
        present: vec![true; 4],
    };
    let frame = tag_periods(inputs.stage(1), "received", &quarters);
    let times = StageTimes::measure(frame, &inputs.settings.stage1, &quarters)?;
    let mut table = Table::new(
        "stage1-quarters",
        format!("Stage 1 complaints by quarter received, {}", period.label),
        [
            "Quarter",
            "Received",
            "Responded to",
            "Within timescale",
            "Within timescale (%)",
            "Mean working days",
        ]
        .map(String::from)
        .to_vec(),
    );
    let row = |label: String, received: i64, responded: i64, within: i64, mean: Option<f64>| {
        Row::new(
            label,
            vec![
                Cell::Count(received),
                Cell::Count(responded),
                Cell::Count(within),
                Cell::percent_of(within, responded),
                Cell::number(mean, 1),
            ],
        )
    };
    for (q, quarter) in quarters.periods.iter().enumerate() {
        table.rows.push(row(
            quarter.label.clone(),
            times.received[q],
            times.responded[q],
            times.within[q],
            times.mean[q],
        ));
    }
    // The year's total makes the quarters' arithmetic visible, to readers and to suppression.
    let sum = |v: &[i64]| v.iter().sum::<i64>();
    let year_mean = year_mean_of(&times);
    let mut total = row(
        "Total".into(),
        sum(&times.received),
        sum(&times.responded),
        sum(&times.within),
        year_mean,
    );
    total.role = crate::figures::model::RowRole::Total;
    table.rows.push(total);
    table.sum_rows(4, &[0, 1, 2, 3], [0, 1, 2]);
    for r in 0..5 {
        table.derive((r, 3), vec![(r, 2), (r, 1)], vec![]);
        table.derive((r, 4), vec![(r, 1)], vec![]);
    }
    Ok(Some(table))
}
