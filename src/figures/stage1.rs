//! Section 3: stage 1 timescales in working days — bands, within timescale, mean and median,
//! extensions, still open; by quarter and year on year; acknowledgements.

use polars::prelude::*;

use super::ahead::Wanted;
use super::frame::{ACK_WORKING_DAYS, Slots, count_per_period};
use super::inputs::Inputs;
use super::inputs::in_stage;
use super::model::{ChartKind, Fact, Row, Section, Table, number};
use super::quantity::{Key, Q, Span};
use super::registry::{Build, SectionDef};
use super::tables::{Linker, chart_of, chart_over_periods, period_columns, source};
use super::timescales::{StageQuantities, StageTimes};
use crate::error::Result;
use crate::load::contract::Source;
use crate::period::{FinancialYear, Period};

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
        number("stage1_over_max"),
        number("stage1_over_max_percent"),
    ],
    build: Build::Figures(build),
    ahead: &[Wanted::Times(1)],
    quotes: &[],
};

pub fn build(inputs: &Inputs) -> Result<Section> {
    let slots = &inputs.slots;
    let current = inputs.current();
    let timescale = &inputs.settings.stage1;
    let (times, q) = inputs.stage_times(1)?;

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
    let responded = q.responded[current];
    for (label, band) in timescale.band_labels().into_iter().zip(&q.bands) {
        bands.rows.push(Row::linked(
            label,
            vec![
                inputs.count_at(band[current], current),
                inputs.percent_at(band[current], responded, current),
            ],
        ));
    }
    bands.rows.push(
        Row::linked(
            "Total responded to",
            vec![
                inputs.count_at(responded, current),
                inputs.percent_at(responded, responded, current),
            ],
        )
        .as_total(),
    );

    let mut yearly = Table::new(
        "stage1-timescales",
        format!("Stage 1 complaints: timescales {}", inputs.over_time),
        period_columns("Measure", slots),
    )
    .with_note(format!(
        "Within timescale: within {} working days, or {} where an extension was agreed. Percentages are of the complaints responded to.",
        timescale.target, timescale.extended_target
    ));
    times.fill(&mut yearly, inputs, &q, timescale, true);
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
        facts.quantity(key, source(year, row, inputs.current_column()));
    }
    // Answered after the longest the regulations allow (the last band: over 20 working days).
    if let Some(over) = q.bands.last() {
        facts.count_and_share(inputs, "stage1_over_max", over, &q.responded);
    }
    facts.plain("stage1_target_days", Fact::Number(timescale.target.into()));
    facts.plain(
        "stage1_extended_days",
        Fact::Number(timescale.extended_target.into()),
    );
    if slots.previous().is_some_and(|p| slots.present[p]) {
        facts.quantity(
            "stage1_within_timescale_percent_previous",
            source(year, "Within timescale (%)", slots.shown.len() - 2),
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
        format!(
            "Line chart of the percentage of stage 1 complaints responded to within timescale in each {}.",
            inputs.period_noun
        ),
        &["Within timescale (%)"],
        slots,
        "Per cent",
    );
    trend.id = "stage1-within-timescale".into();
    trend.percent = true;
    Ok(facts.section(&SECTION, tables, vec![band_chart, trend]))
}

/// Acknowledged within the set working days, as a percentage of those with an acknowledgement
/// date — only when the export records acknowledgements at all. The counts behind it are never
/// shown; they are registered, so a percentage of a few is hidden as its counts would be.
fn add_acknowledgements(inputs: &Inputs, table: &mut Table) -> Result<()> {
    if !inputs
        .dataset
        .recorded(Source::Representations, "acknowledged")
    {
        return Ok(());
    }
    let days = inputs.settings.acknowledgement_days;
    let values = count_per_period(
        inputs.representations(),
        in_stage(1),
        vec![
            col(ACK_WORKING_DAYS).lt_eq(lit(days as i32)),
            col("acknowledged").is_not_null(),
        ],
        inputs.slots.len(),
    )?;
    let in_time = inputs.linking_series("stage1.acknowledged_in_time", &values[0]);
    let acknowledged = inputs.linking_series("stage1.acknowledged", &values[1]);
    let late: Vec<i64> = values[1]
        .iter()
        .zip(&values[0])
        .map(|(a, b)| a - b)
        .collect();
    let late = inputs.linking_series("stage1.acknowledged_late", &late);
    {
        let mut registry = inputs.registry();
        for s in 0..inputs.slots.len() {
            registry.sum(acknowledged[s], &[in_time[s], late[s]]);
            let received = registry
                .find(&Key::new("stage1.received", inputs.span(s)))
                .expect("stage 1 quantities come first");
            registry.at_most(acknowledged[s], received);
        }
    }
    table.rows.push(super::tables::percent_row(
        inputs,
        &format!("Acknowledged within {days} working days (%)"),
        &in_time,
        &acknowledged,
    ));
    Ok(())
}

/// The quarters of each year compared, as a breakdown of the year: registered for every year
/// (so a year's quantities are the same whichever report shows it), shown for the report's own
/// year when it is a financial year.
fn quarter_table(inputs: &Inputs) -> Result<Option<Table>> {
    let period = inputs.period;
    let year = FinancialYear::containing(period.start);
    let is_year = period.start == year.first_day() && period.end == year.last_day();
    if !is_year {
        return Ok(None);
    }
    let years: Vec<FinancialYear> = inputs
        .slots
        .periods
        .iter()
        .map(|p| FinancialYear::containing(p.start))
        .collect();
    let quarters = Slots {
        periods: years.iter().flat_map(|y| Period::quarters(*y)).collect(),
        present: vec![true; years.len() * 4],
        shown: (0..years.len() * 4).collect(),
    };
    let times = StageTimes::measure(
        &inputs.representations,
        1,
        &inputs.settings.stage1,
        &quarters,
    )?;
    let labels: Vec<String> = Period::quarters(year)
        .iter()
        .map(|q| q.label.clone())
        .collect();
    let spans: Vec<Span> = inputs.spans();
    // The quarters of year y are periods 4y..4y+4 of `times`.
    let mut by_quarter: Vec<StageQuantities> = Vec::new();
    for (quarter, label) in labels.iter().enumerate() {
        let pick = |values: &[i64]| -> Vec<i64> {
            (0..years.len()).map(|y| values[4 * y + quarter]).collect()
        };
        let of_quarter = StageTimes {
            received: pick(&times.received),
            responded: pick(&times.responded),
            bands: times.bands.iter().map(|b| pick(b)).collect(),
            within: pick(&times.within),
            extended: pick(&times.extended),
            mean: (0..years.len())
                .map(|y| times.mean[4 * y + quarter])
                .collect(),
            median: (0..years.len())
                .map(|y| times.median[4 * y + quarter])
                .collect(),
            open_at_end: pick(&times.open_at_end),
        };
        by_quarter.push(of_quarter.register(
            inputs,
            "stage1",
            &inputs.settings.stage1,
            Some(("quarter", label)),
            &spans,
        ));
    }
    let year_quantities = {
        let registry = inputs.registry.borrow();
        let find = |measure: &str, s: usize| {
            registry
                .find(&Key::new(format!("stage1.{measure}"), spans[s]))
                .expect("stage 1 quantities come first")
        };
        (0..years.len())
            .map(|s| [find("received", s), find("responded", s), find("within", s)])
            .collect::<Vec<[Q; 3]>>()
    };
    {
        let mut registry = inputs.registry();
        for (s, year_qs) in year_quantities.iter().enumerate() {
            for (m, whole) in year_qs.iter().enumerate() {
                let parts: Vec<Q> = by_quarter
                    .iter()
                    .map(|q| [q.received[s], q.responded[s], q.within[s]][m])
                    .collect();
                registry.sum(*whole, &parts);
            }
        }
    }

    let current = inputs.current();
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
    let row = |label: &str, received: Q, responded: Q, within: Q, mean: Option<f64>| {
        Row::linked(
            label,
            vec![
                inputs.count_at(received, current),
                inputs.count_at(responded, current),
                inputs.count_at(within, current),
                inputs.percent_at(within, responded, current),
                inputs.describing("mean_working_days", mean, 1, responded, current),
            ],
        )
    };
    for (quarter, q) in by_quarter.iter().enumerate() {
        let mean = times.mean[4 * current + quarter];
        table.rows.push(row(
            &labels[quarter],
            q.received[current],
            q.responded[current],
            q.within[current],
            mean,
        ));
    }
    // The year's total makes the quarters' arithmetic visible to readers.
    let [received, responded, within] = year_quantities[current];
    let year_mean = year_mean(&times, current);
    table
        .rows
        .push(row("Total", received, responded, within, year_mean).as_total());
    Ok(Some(table))
}

/// The year's mean from its quarters' means, weighted by responses.
fn year_mean(times: &StageTimes, year: usize) -> Option<f64> {
    let range = 4 * year..4 * year + 4;
    let responded: i64 = times.responded[range.clone()].iter().sum();
    let weighted: f64 = times.mean[range.clone()]
        .iter()
        .zip(&times.responded[range])
        .filter_map(|(m, n)| m.map(|m| m * *n as f64))
        .sum();
    (responded > 0).then(|| weighted / responded as f64)
}
