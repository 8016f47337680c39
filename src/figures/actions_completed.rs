//! The bulletin's actions completed: what changed because of complaints, by service, and — for
//! staff — each action in the service's words.

use polars::prelude::*;

use super::ahead::{Frames, Wanted};
use super::at_a_glance::actions_completed;
use super::counts::{Counts, count_by};
use super::frame::{count_per_period, in_slot, tag_periods};
use super::inputs::{Inputs, Whole};
use super::model::{Audience, Cell, Row, Section, Table, number};
use super::quantity::Subject;
use super::registry::{Build, SectionDef, internal};
use super::tables::{Linker, NOT_RECORDED, share_table};
use crate::error::Result;
use crate::load::contract::Source;

pub const SECTION: SectionDef = SectionDef {
    id: "actions-completed",
    title: "Actions completed",
    facts: &[number("actions_completed")],
    build: Build::Figures(build),
    ahead: &[Wanted::ActionsCompleted],
    quotes: &[internal(Source::Actions, "action")],
};

/// The learning actions completed in each period, and by service.
#[derive(Clone)]
pub struct Completed {
    pub completed: Vec<i64>,
    by_service: Counts,
}

/// The learning actions counted by the period they were completed in, or `None` without the
/// actions file.
pub fn count(frames: &Frames) -> Result<Option<Completed>> {
    let Some(actions) = &frames.dataset.actions else {
        return Ok(None);
    };
    let periods = frames.slots.len();
    let tagged = tag_periods(actions.clone().lazy(), "completed", frames.slots).collect()?;
    let [completed]: [Vec<i64>; 1] =
        count_per_period(tagged.clone().lazy(), lit(true), vec![lit(true)], periods)?
            .try_into()
            .expect("one count asked for");
    Ok(Some(Completed {
        completed,
        by_service: count_by(tagged.lazy(), "service", periods)?,
    }))
}

pub fn build(inputs: &Inputs) -> Result<Section> {
    let mut facts = Linker::default();
    let counted = inputs.worked_out::<Option<Completed>>(Wanted::ActionsCompleted)?;
    let (Some(actions), Some(Completed { by_service, .. }), Some(completed)) = (
        &inputs.dataset.actions,
        Option::as_ref(&counted),
        actions_completed(inputs)?,
    ) else {
        return Ok(facts.section(&SECTION, Vec::new(), Vec::new()));
    };
    let current = inputs.current();
    let frame = || tag_periods(actions.clone().lazy(), "completed", &inputs.slots);
    let by_service = inputs.breakdown(
        "actions.completed",
        "service",
        by_service,
        Whole::Divides(&completed),
        Subject::Actions,
    );
    let mut tables = vec![share_table(
        inputs,
        "actions-completed",
        "Learning actions completed this quarter, by service".into(),
        "Service or team",
        &by_service,
        &completed,
        Some("Total"),
    )];
    if inputs.audience == Audience::Internal {
        let rows = in_slot(frame(), current)
            .sort(["completed"], SortMultipleOptions::default())
            .select([col("service"), col("action")])
            .collect()?;
        let mut list = Table::new(
            "actions-completed-list",
            "What was done",
            vec!["Service or team".into(), "Action".into()],
        )
        .with_note("Internal: the services' own words.");
        list.exempt = true;
        let services = super::frame::strings(&rows, "service")?;
        let texts = super::frame::strings(&rows, "action")?;
        for (service, text) in services.iter().zip(texts.iter()) {
            list.rows.push(Row::new(
                service.unwrap_or(NOT_RECORDED),
                vec![Cell::Text(text.unwrap_or("").to_string())],
            ));
        }
        tables.push(list);
    }
    facts.quantity("actions_completed", Some(completed[current]));
    Ok(facts.section(&SECTION, tables, Vec::new()))
}
