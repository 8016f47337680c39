//! The bulletin's training: sessions and workshops on offer from the start of the quarter to
//! three months after it, from `training.csv` (the narrative's `## Training` section can add to
//! it). Not about people: shown as it is.

use polars::prelude::*;

use super::frame::date_literal;
use super::inputs::Inputs;
use super::model::{Cell, Row, Section, Symbol, Table, number};
use super::registry::{Build, SectionDef};
use super::tables::Linker;
use crate::error::Result;

pub const SECTION: SectionDef = SectionDef {
    id: "training",
    title: "Training and workshops",
    facts: &[number("training_sessions")],
    build: Build::Figures(build),
    ahead: &[],
    quotes: &[],
};

pub fn build(inputs: &Inputs) -> Result<Section> {
    let mut facts = Linker::default();
    let Some(training) = &inputs.dataset.training else {
        return Ok(facts.section(&SECTION, Vec::new(), Vec::new()));
    };
    let from = inputs.period.start;
    let until = inputs
        .period
        .end
        .checked_add_months(chrono::Months::new(3))
        .unwrap_or(inputs.period.end);
    let rows = training
        .clone()
        .lazy()
        .filter(
            col("date")
                .gt_eq(date_literal(from))
                .and(col("date").lt_eq(date_literal(until))),
        )
        .sort(["date"], SortMultipleOptions::default())
        .select([col("date"), col("time"), col("title"), col("details")])
        .collect()?;
    let mut table = Table::new(
        "training",
        "Sessions on offer",
        ["Date", "Time", "Session", "Details"]
            .map(String::from)
            .to_vec(),
    );
    table.exempt = true;
    let dates: Vec<_> = rows.column("date")?.date()?.as_date_iter().collect();
    let times = super::frame::strings(&rows, "time")?;
    let titles = super::frame::strings(&rows, "title")?;
    let details = super::frame::strings(&rows, "details")?;
    let text = |v: Option<&str>| {
        v.map(|t| Cell::Text(t.to_string()))
            .unwrap_or(Cell::Symbol(Symbol::NotApplicable))
    };
    for (i, date) in dates.into_iter().enumerate() {
        let date = date
            .map(|d| d.format("%A %-d %B %Y").to_string())
            .unwrap_or_default();
        table.rows.push(Row::new(
            date,
            vec![
                text(times.get(i)),
                text(titles.get(i)),
                text(details.get(i)),
            ],
        ));
    }
    facts.plain("training_sessions", (rows.height() as f64).into());
    Ok(facts.section(&SECTION, vec![table], Vec::new()))
}
