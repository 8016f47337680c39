//! The bulletin's opening: the quarter's compliments, complaints, outcomes and actions
//! completed, in a sentence and a small table.

use super::actions_completed::Completed;
use super::ahead::Wanted;
use super::compliments;
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
    ahead: &[
        Wanted::Compliments,
        Wanted::Times(1),
        Wanted::Outcomes(1),
        Wanted::ActionsCompleted,
    ],
    quotes: &[],
};

/// Learning actions completed in each period: counts of what the council did.
pub fn actions_completed(inputs: &Inputs) -> Result<Option<Vec<Q>>> {
    let counted = inputs.worked_out::<Option<Completed>>(Wanted::ActionsCompleted)?;
    let Some(Completed { completed, .. }) = counted.as_ref() else {
        return Ok(None);
    };
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
    let compliments = inputs.worked_out::<Option<compliments::Counted>>(Wanted::Compliments)?;
    let compliments =
        Option::as_ref(&compliments).map(|counted| inputs.series("compliments", &counted.received));
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
