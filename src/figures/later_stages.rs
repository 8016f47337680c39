//! Section 4: stages 2 and 3 — received, responded, timescales against 25/65 working days and the
//! stage 3 panel's 30, and how many stage 1 complaints were escalated.

use polars::prelude::*;

use super::Inputs;
use super::frame::{count_true, per_period};
use super::model::number;
use super::model::{ChartKind, Row, Section, Table};
use super::registry::{Build, SectionDef};
use super::tables::{Linker, chart_over_periods, count_cell, percent_cell, period_columns};
use super::timescales::StageTimes;
use crate::error::Result;
use crate::load::derived;

pub const SECTION: SectionDef = SectionDef {
    id: "later-stages",
    title: "Stages 2 and 3",
    facts: &[
        number("stage2_received"),
        number("stage2_responded"),
        number("stage2_within_timescale_percent"),
        number("stage3_received"),
        number("escalated_to_stage2"),
        number("escalation_rate_percent"),
    ],
    build: Build::Figures(build),
};

pub fn build(inputs: &Inputs) -> Result<Section> {
    let slots = &inputs.slots;
    let current = inputs.current();
    let settings = inputs.settings;

    let stage2 = StageTimes::measure(inputs.stage(2), &settings.stage2, slots)?;
    let mut stage2_table = Table::new(
        "stage2-timescales",
        "Stage 2 investigations: timescales year on year",
        period_columns("Measure", slots),
    )
    .with_note(format!(
        "Within timescale: within {} working days, or up to {} where an extension was agreed.",
        settings.stage2.target, settings.stage2.extended_target
    ));
    stage2.fill(&mut stage2_table, &settings.stage2, slots, true);

    let stage3 = StageTimes::measure(inputs.stage(3), &settings.stage3, slots)?;
    let mut stage3_table = Table::new(
        "stage3-panels",
        "Stage 3 review panels: timescales year on year",
        period_columns("Measure", slots),
    )
    .with_note(format!(
        "A review panel should meet within {} working days of the request; the response date is the panel's.",
        settings.stage3.target
    ));
    stage3.fill(&mut stage3_table, &settings.stage3, slots, false);
    if let Some(row) = stage3_table
        .rows
        .iter_mut()
        .find(|r| r.label == "Responded to")
    {
        row.label = "Panels held".into();
    }

    let escalation = per_period(
        inputs.stage(1),
        vec![
            len(),
            count_true(col(derived::REACHED_STAGE).gt_eq(lit(2))),
            count_true(col(derived::REACHED_STAGE).gt_eq(lit(3))),
        ],
        slots.len(),
    )?;
    let value = |i: usize, s: usize| escalation[i][s].unwrap_or(0.0) as i64;
    let counts = |values: Vec<i64>| {
        (0..slots.len())
            .map(|s| count_cell(values[s], slots, s))
            .collect()
    };
    let series = |i: usize| (0..slots.len()).map(|s| value(i, s)).collect::<Vec<_>>();
    let mut stages = Table::new(
        "complaints-by-stage",
        "Complaints at each stage, and escalation",
        period_columns("Measure", slots),
    )
    .with_note(
        "Escalation: stage 1 complaints received in the year that went on to stage 2 at any time.",
    );
    stages.rows = vec![
        Row::new("Stage 1 complaints received", counts(series(0))),
        Row::new("Stage 2 requests received", counts(stage2.received.clone())),
        Row::new("Stage 3 requests received", counts(stage3.received.clone())),
        Row::new("Stage 1 complaints escalated to stage 2", counts(series(1))),
        Row::new(
            "Escalation rate (%)",
            (0..slots.len())
                .map(|s| percent_cell(value(1, s), value(0, s), slots, s))
                .collect(),
        ),
        Row::new("Stage 1 complaints that reached stage 3", counts(series(2))),
    ];
    for s in 0..slots.len() {
        stages.derive((4, s), vec![(3, s), (0, s)], vec![]);
    }

    let mut facts = Linker::default();
    facts.cell("stage2_received", &stage2_table, "Received", current);
    facts.cell("stage2_responded", &stage2_table, "Responded to", current);
    facts.cell(
        "stage2_within_timescale_percent",
        &stage2_table,
        "Within timescale (%)",
        current,
    );
    facts.cell("stage3_received", &stage3_table, "Received", current);
    facts.cell(
        "escalated_to_stage2",
        &stages,
        "Stage 1 complaints escalated to stage 2",
        current,
    );
    facts.cell(
        "escalation_rate_percent",
        &stages,
        "Escalation rate (%)",
        current,
    );

    let chart = chart_over_periods(
        &stages,
        ChartKind::Bar,
        "Complaints at stages 2 and 3 by year",
        "Bar chart of stage 2 and stage 3 requests received in each year.".into(),
        &["Stage 2 requests received", "Stage 3 requests received"],
        slots,
        "Requests",
    );
    Ok(facts.section(
        &SECTION,
        vec![stages, stage2_table, stage3_table],
        vec![chart],
    ))
}
