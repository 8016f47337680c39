//! The bulletin's learning: the learning points recorded in the quarter (from complaints
//! answered in it), counted by the nature of the complaint and — for staff — in the service's
//! own words, without references.

use polars::prelude::*;

use super::counts::count_by;
use super::frame::{in_slot, tag_periods};
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
    ahead: &[],
    quotes: &[internal(Source::Representations, "learning")],
};

pub fn build(inputs: &Inputs) -> Result<Section> {
    let current = inputs.current();
    // Learning is recorded when a complaint is answered: the quarter it was answered in.
    let frame = || {
        tag_periods(
            inputs
                .representations()
                .filter(col("learning").is_not_null())
                .with_column(col("nature").list().first().alias("first_nature")),
            "responded",
            &inputs.slots,
        )
    };
    let by_nature = inputs.breakdown(
        "learning.recorded",
        "nature",
        &count_by(frame(), "first_nature", inputs.slots.len())?,
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
        tables.push(words(in_slot(frame(), current))?);
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
