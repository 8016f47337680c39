//! Section 4: stages 2 and 3 — received, responded, timescales against 25/65 working days and the
//! stage 3 panel's 30, and how many stage 1 complaints were escalated.

use polars::prelude::*;

use super::ahead::Wanted;
use super::frame::count_per_period;
use super::inputs::Inputs;
use super::inputs::in_stage;
use super::model::{ChartKind, Section, Table, number};
use super::registry::{Build, SectionDef};
use super::tables::{Linker, chart_over_periods, percent_row, period_columns, period_row, source};
use crate::error::Result;
use crate::load::derived;

pub const SECTION: SectionDef = SectionDef {
    id: "later-stages",
    title: "Stages 2 and 3",
    facts: &[
        number("stage2_received"),
        number("stage2_responded"),
        number("stage2_within_timescale_percent"),
        number("stage2_within_target"),
        number("stage2_within_target_percent"),
        number("stage2_target_days"),
        number("stage3_received"),
        number("escalated_to_stage2"),
        number("escalation_rate_percent"),
    ],
    build: Build::Figures(build),
    ahead: &[Wanted::Times(2), Wanted::Times(3)],
    quotes: &[],
};

pub fn build(inputs: &Inputs) -> Result<Section> {
    let slots = &inputs.slots;
    let current = inputs.current();
    let settings = inputs.settings;

    let (stage2, q2) = inputs.stage_times(2)?;
    let mut stage2_table = Table::new(
        "stage2-timescales",
        format!("Stage 2 investigations: timescales {}", inputs.over_time),
        period_columns("Measure", slots),
    )
    .with_note(format!(
        "Within timescale: within {} working days, or up to {} where an extension was agreed.",
        settings.stage2.target, settings.stage2.extended_target
    ));
    stage2.fill(&mut stage2_table, inputs, &q2, &settings.stage2, true);

    let (stage3, q3) = inputs.stage_times(3)?;
    let mut stage3_table = Table::new(
        "stage3-panels",
        format!("Stage 3 review panels: timescales {}", inputs.over_time),
        period_columns("Measure", slots),
    )
    .with_note(format!(
        "A review panel should meet within {} working days of the request; the response date is the panel's.",
        settings.stage3.target
    ));
    stage3.fill(&mut stage3_table, inputs, &q3, &settings.stage3, false);
    if let Some(row) = stage3_table
        .rows
        .iter_mut()
        .find(|r| r.label == "Responded to")
    {
        row.label = "Panels held".into();
    }

    let (_, q1) = inputs.stage_times(1)?;
    let escalation = count_per_period(
        inputs.representations(),
        in_stage(1),
        vec![
            col(derived::REACHED_STAGE).gt_eq(lit(2)),
            col(derived::REACHED_STAGE).gt_eq(lit(3)),
        ],
        slots.len(),
    )?;
    let escalated = inputs.series("stage1.escalated", &escalation[0]);
    let reached3 = inputs.series("stage1.reached_stage3", &escalation[1]);
    {
        let mut registry = inputs.registry();
        for s in 0..slots.len() {
            registry.at_most(escalated[s], q1.received[s]);
            registry.at_most(reached3[s], escalated[s]);
        }
    }
    let mut stages = Table::new(
        "complaints-by-stage",
        "Complaints at each stage, and escalation",
        period_columns("Measure", slots),
    )
    .with_note(
        "Escalation: stage 1 complaints received in the year that went on to stage 2 at any time.",
    );
    stages.rows = vec![
        period_row(inputs, "Stage 1 complaints received", &q1.received, false),
        period_row(inputs, "Stage 2 requests received", &q2.received, false),
        period_row(inputs, "Stage 3 requests received", &q3.received, false),
        period_row(
            inputs,
            "Stage 1 complaints escalated to stage 2",
            &escalated,
            false,
        ),
        percent_row(inputs, "Escalation rate (%)", &escalated, &q1.received),
        period_row(
            inputs,
            "Stage 1 complaints that reached stage 3",
            &reached3,
            false,
        ),
    ];

    let mut facts = Linker::default();
    facts.quantity("stage2_received", Some(q2.received[current]));
    // Within the 25 working days the regulations set, extensions aside: the first band.
    if let Some(within) = q2.bands.first() {
        facts.count_and_share(inputs, "stage2_within_target", within, &q2.responded);
    }
    facts.plain(
        "stage2_target_days",
        super::model::Fact::Number(settings.stage2.target.into()),
    );
    facts.quantity("stage2_responded", Some(q2.responded[current]));
    facts.quantity(
        "stage2_within_timescale_percent",
        source(
            &stage2_table,
            "Within timescale (%)",
            inputs.current_column(),
        ),
    );
    facts.quantity("stage3_received", Some(q3.received[current]));
    facts.quantity("escalated_to_stage2", Some(escalated[current]));
    facts.quantity(
        "escalation_rate_percent",
        source(&stages, "Escalation rate (%)", inputs.current_column()),
    );

    let chart = chart_over_periods(
        &stages,
        ChartKind::Bar,
        &format!("Complaints at stages 2 and 3 by {}", inputs.period_noun),
        format!(
            "Bar chart of stage 2 and stage 3 requests received in each {}.",
            inputs.period_noun
        ),
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
