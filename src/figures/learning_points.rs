//! The bulletin's learning: the learning points recorded in the quarter (from complaints
//! answered in it), counted by the nature of the complaint and — for staff — in the service's
//! own words, without references.

use polars::prelude::*;

use super::ahead::{Frames, Wanted};
use super::counts::{Counts, count_by};
use super::frame::{Slots, in_slot, tag_periods};
use super::inputs::{Inputs, Whole};
use super::model::{Audience, Cell, Row, Section, Table, number};
use super::quantity::Subject;
use super::registry::{Build, SectionDef, internal};
use super::tables::{Linker, NOT_RECORDED, YearTable, year_table};
use crate::error::Result;
use crate::load::contract::Source;

pub const SECTION: SectionDef = SectionDef {
    id: "learning-points",
    title: "What we learned",
    facts: &[number("learning_points")],
    build: Build::Figures(build),
    ahead: &[Wanted::Learning],
    quotes: &[internal(Source::Representations, "learning")],
};

/// The representations with learning recorded, each in the period it was answered in (when
/// learning is recorded), with the first nature of the complaint.
fn with_learning(representations: &DataFrame, slots: &Slots) -> LazyFrame {
    tag_periods(
        representations
            .clone()
            .lazy()
            .filter(col("learning").is_not_null())
            .with_column(col("nature").list().first().alias("first_nature")),
        "responded",
        slots,
    )
}

/// The learning points recorded in each period, by the first nature of the complaint.
pub fn count(frames: &Frames) -> Result<Counts> {
    Ok(count_by(
        with_learning(frames.representations, frames.slots),
        "first_nature",
        frames.slots.len(),
    )?)
}

pub fn build(inputs: &Inputs) -> Result<Section> {
    let current = inputs.current();
    let counts = inputs.worked_out::<Counts>(Wanted::Learning)?;
    let by_nature = inputs.breakdown(
        "learning.recorded",
        "nature",
        &counts,
        Whole::Own,
        Subject::People,
    );
    let mut counts = year_table(
        inputs,
        YearTable {
            id: "learning-points",
            title: "Learning points recorded, by what the complaint was about".into(),
            stub: "Nature of the complaint",
            total: Some("Total"),
            change: false,
        },
        &by_nature,
    );
    counts.notes.push(
        "Learning recorded when a complaint was answered, counted by the first issue it raised."
            .into(),
    );
    let mut tables = vec![counts];
    if inputs.audience == Audience::Internal {
        let frame = with_learning(&inputs.representations, &inputs.slots);
        tables.push(words(in_slot(frame, current))?);
    }
    let mut facts = Linker::default();
    facts.quantity("learning_points", Some(by_nature.total[current]));
    Ok(facts.section(&SECTION, tables, Vec::new()))
}

/// Each learning point once, grouped by nature: the service's own words, no references.
fn words(frame: LazyFrame) -> Result<Table> {
    let rows = frame
        .select([col("first_nature"), col("learning")])
        .unique(None, UniqueKeepStrategy::First)
        .sort(["first_nature", "learning"], SortMultipleOptions::default())
        .collect()?;
    let mut table = Table::new(
        "learning-points-recorded",
        "The learning points, in the services' words",
        vec!["Nature of the complaint".into(), "What we learned".into()],
    )
    .with_note("Internal: for staff. Case references are left out.");
    table.exempt = true;
    let natures = super::frame::strings(&rows, "first_nature")?;
    let learning = super::frame::strings(&rows, "learning")?;
    for (nature, text) in natures.iter().zip(learning.iter()) {
        if let Some(text) = text {
            table.rows.push(Row::new(
                nature.unwrap_or(NOT_RECORDED),
                vec![Cell::Text(text.to_string())],
            ));
        }
    }
    Ok(table)
}
