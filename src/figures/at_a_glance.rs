//! The bulletin's opening: the quarter's compliments, complaints, outcomes and actions
//! completed, in a sentence and a small table.

use polars::prelude::*;

use super::frame::{per_period, tag_periods};
use super::inputs::Inputs;
use super::model::{Row, Section, Table, number};
use super::outcomes::outcomes_of;
use super::quantity::{Key, Q, Subject};
use super::registry::{Build, SectionDef};
use super::tables::Linker;
use crate::error::Result;

pub const SECTION: SectionDef = SectionDef {
    id: "at-a-glance",
    title: "This quarter at a glance",
    facts: &[
        number("glance_compliments"),
        number("glance_complaints"),
        number("glance_concluded"),
        number("glance_upheld_any"),
        number("glance_actions_completed"),
    ],
    build: Build::Figures(build),
    ahead: &[],
    quotes: &[],
};

/// Counts of `frame`'s rows whose `date` falls in each period.
fn per_slot(inputs: &Inputs, frame: LazyFrame, date: &str) -> Result<Vec<i64>> {
    let tagged = tag_periods(frame, date, &inputs.slots);
    Ok(per_period(tagged, vec![len()], inputs.slots.len())?[0]
        .iter()
        .map(|v| v.unwrap_or(0.0) as i64)
        .collect())
}

/// Learning actions completed in each period: counts of what the council did.
pub fn actions_completed(inputs: &Inputs) -> Result<Option<Vec<Q>>> {
    let Some(actions) = &inputs.dataset.actions else {
        return Ok(None);
    };
    let completed = per_slot(inputs, actions.clone().lazy(), "completed")?;
    let mut registry = inputs.registry();
    Ok(Some(
        (0..inputs.slots.len())
            .map(|s| {
                registry.count(
                    Key::new("actions.completed", inputs.span(s)),
                    completed[s],
                    Subject::Actions,
                )
            })
            .collect(),
    ))
}

pub fn build(inputs: &Inputs) -> Result<Section> {
    let current = inputs.current();
    let (_, stage1) = inputs.stage_times(1)?;
    let outcomes = outcomes_of(inputs, 1, &stage1.responded)?;
    let compliments = match &inputs.dataset.compliments {
        Some(frame) => Some(inputs.series(
            "compliments",
            &per_slot(inputs, frame.clone().lazy(), "received")?,
        )),
        None => None,
    };
    let actions = actions_completed(inputs)?;

    let mut table = Table::new(
        "at-a-glance",
        format!("{} at a glance", inputs.period.label),
        vec!["".into(), "This quarter".into()],
    );
    let mut facts = Linker::default();
    let mut add = |label: &str, key: &str, q: Option<Q>| {
        if let Some(q) = q {
            table
                .rows
                .push(Row::linked(label, vec![inputs.count_at(q, current)]));
            facts.quantity(key, Some(q));
        }
    };
    add(
        "Compliments received",
        "glance_compliments",
        compliments.map(|c| c[current]),
    );
    add(
        "Complaints received (stage 1)",
        "glance_complaints",
        Some(stage1.received[current]),
    );
    add(
        "Complaints answered (stage 1)",
        "glance_concluded",
        Some(stage1.responded[current]),
    );
    add(
        "Upheld in full or in part",
        "glance_upheld_any",
        Some(outcomes.upheld_any[current]),
    );
    add(
        "Learning actions completed",
        "glance_actions_completed",
        actions.map(|a| a[current]),
    );
    Ok(facts.section(&SECTION, vec![table], Vec::new()))
}
