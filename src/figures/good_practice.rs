//! The bulletin's good practice: what families and professionals said, quoted where they agreed
//! to it, what the compliments were about, and — for staff — the good practice each shows.

use polars::prelude::*;

use super::ahead::Wanted;
use super::compliments::{CONSENTED_WORDS, Counted};
use super::frame::{in_slot, tag_periods};
use super::inputs::{Inputs, Whole};
use super::model::{Audience, Cell, Fact, Row, Section, Table, list};
use super::quantity::Subject;
use super::registry::{Build, SectionDef, internal};
use super::tables::{Linker, share_table};
use crate::error::Result;
use crate::load::contract::Source;

pub const SECTION: SectionDef = SectionDef {
    id: "good-practice",
    title: "Good practice",
    facts: &[list("compliment_quotes"), list("compliment_quote_sources")],
    build: Build::Figures(build),
    ahead: &[Wanted::Compliments],
    quotes: &[CONSENTED_WORDS, internal(Source::Compliments, "learning")],
};

pub fn build(inputs: &Inputs) -> Result<Section> {
    let mut facts = Linker::default();
    let counted = inputs.worked_out::<Option<Counted>>(Wanted::Compliments)?;
    let Some(counted) = counted.as_ref() else {
        return Ok(facts.section(&SECTION, Vec::new(), Vec::new()));
    };
    facts.plain("compliment_quotes", Fact::List(counted.quotes.clone()));
    facts.plain(
        "compliment_quote_sources",
        Fact::List(counted.attributions.clone()),
    );

    let received = inputs.series("compliments", &counted.received);
    let themes = inputs.breakdown(
        "compliments",
        "theme",
        &counted.themes,
        Whole::Mentions(&received),
        Subject::People,
    );
    let themes = inputs.grouped("compliments", "theme", themes);
    let mut tables = vec![share_table(
        inputs,
        "good-practice-themes",
        "What the compliments praised".into(),
        "Theme",
        &themes,
        &received,
        None,
    )];
    if inputs.audience == Audience::Internal
        && let Some(compliments) = &inputs.dataset.compliments
    {
        let tagged = tag_periods(compliments.clone().lazy(), "received", &inputs.slots);
        tables.push(recorded(in_slot(tagged, inputs.current()))?);
    }
    Ok(facts.section(&SECTION, tables, Vec::new()))
}

/// The good practice the service recorded from each compliment: staff's words, internal only.
fn recorded(frame: LazyFrame) -> Result<Table> {
    let rows = frame
        .filter(col("learning").is_not_null())
        .sort(["received"], SortMultipleOptions::default())
        .select([col("service"), col("learning")])
        .collect()?;
    let mut table = Table::new(
        "good-practice-recorded",
        "Good practice the compliments show",
        vec!["Service or team".into(), "Good practice".into()],
    )
    .with_note("Internal: the service's own words.");
    table.exempt = true;
    let services = super::frame::strings(&rows, "service")?;
    let learning = super::frame::strings(&rows, "learning")?;
    for (service, text) in services.iter().zip(learning.iter()) {
        if let Some(text) = text {
            table.rows.push(Row::new(
                service.unwrap_or(super::tables::NOT_RECORDED),
                vec![Cell::Text(text.to_string())],
            ));
        }
    }
    Ok(table)
}
