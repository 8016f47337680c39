//! Section 3: stage 1 timescales in working days — bands, within timescale, mean and median,
//! extensions, still open; by quarter and year on year; acknowledgements.

use polars::prelude::*;

use super::Inputs;
use super::frame::{ACK_WORKING_DAYS, Slots, count_true, per_period, tag_periods};
use super::model::{Cell, ChartKind, Fact, Facts, Row, Section, Table};
use super::tables::{chart_of, chart_over_periods, percent_cell, period_columns};
use super::timescales::StageTimes;
use crate::error::Result;
use crate::load::contract::Source;
use crate::period::FinancialYear;

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

    let mut yearly = Table::new("stage1-timescales", "Stage 1 complaints: timescales year on year", period_columns("Measure", slots))
        .with_note(format!(
            "Within timescale: within {} working days, or {} where an extension was agreed. Percentages are of the complaints responded to.",
            timescale.target, timescale.extended_target
        ));
    yearly.rows = times.rows(timescale, slots, true);
    if let Some(row) = acknowledgement_row(inputs)? {
        yearly.rows.push(row);
    }

    let mut tables = vec![bands, yearly];
    if let Some(quarters) = quarter_table(inputs)? {
        tables.push(quarters);
    }

    let mut facts = Facts::new();
    facts.insert("stage1_received".into(), times.received[current].into());
    facts.insert("stage1_responded".into(), responded.into());
    facts.insert(
        "stage1_mean_working_days".into(),
        times.mean[current].map(one_decimal).into(),
    );
    facts.insert(
        "stage1_median_working_days".into(),
        times.median[current].into(),
    );
    facts.insert(
        "stage1_within_timescale_percent".into(),
        times.within_percent(current).map(one_decimal).into(),
    );
    facts.insert(
        "stage1_open_at_end".into(),
        times.open_at_end[current].into(),
    );
    facts.insert("stage1_extensions".into(), times.extended[current].into());
    facts.insert(
        "stage1_target_days".into(),
        Fact::Number(timescale.target.into()),
    );
    facts.insert(
        "stage1_extended_days".into(),
        Fact::Number(timescale.extended_target.into()),
    );
    if let Some(previous) = slots.previous().filter(|p| slots.present[*p]) {
        facts.insert(
            "stage1_within_timescale_percent_previous".into(),
            times.within_percent(previous).map(one_decimal).into(),
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
    Ok(Section::figures(
        "stage1",
        "Stage 1: timescales",
        tables,
        vec![band_chart, trend],
        facts,
    ))
}

pub fn one_decimal(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

/// Acknowledged within the set working days, as a percentage of those with an acknowledgement
/// date — only when the export records acknowledgements at all.
fn acknowledgement_row(inputs: &Inputs) -> Result<Option<Row>> {
    if !inputs
        .dataset
        .recorded(Source::Representations, "acknowledged")
    {
        return Ok(None);
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
    Ok(Some(Row::new(
        format!("Acknowledged within {days} working days (%)"),
        (0..slots.len())
            .map(|s| percent_cell(value(0, s), value(1, s), slots, s))
            .collect(),
    )))
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
    for (q, quarter) in quarters.periods.iter().enumerate() {
        table.rows.push(Row::new(
            quarter.label.clone(),
            vec![
                Cell::Count(times.received[q]),
                Cell::Count(times.responded[q]),
                Cell::Count(times.within[q]),
                Cell::percent_of(times.within[q], times.responded[q]),
                Cell::number(times.mean[q], 1),
            ],
        ));
    }
    Ok(Some(table))
}
