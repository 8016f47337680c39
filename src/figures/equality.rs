//! Section 14: equality monitoring (the complainant's ethnicity) and, with context figures,
//! complaints per 100 cases.

use std::collections::BTreeMap;

use super::inputs::{Inputs, Whole};
use super::model::{Cell, Row, Section, Symbol, Table, number, text};
use super::quantity::{Formula, Q, Subject};
use super::registry::{Build, SectionDef};
use super::tables::{Linker, period_columns, period_row, share_table, source};
use crate::error::Result;

pub const SECTION: SectionDef = SectionDef {
    id: "equality",
    title: "Equality monitoring and context",
    facts: &[
        number("complaints_per_100"),
        text("complaints_per_100_measure"),
    ],
    build: Build::Figures(build),
};

pub fn build(inputs: &Inputs) -> Result<Section> {
    let current = inputs.current();
    let label = &inputs.slots.periods[current].label;
    let (_, q1) = inputs.stage_times(1)?;
    let counts = inputs.counts(inputs.stage(1), "ethnicity")?;
    let ethnicity = inputs.breakdown(
        "stage1.received",
        "ethnicity",
        &counts,
        Whole::Divides(&q1.received),
        Subject::People,
    );
    let ethnicity = inputs.grouped("stage1.received", "ethnicity", ethnicity);
    let mut ethnicity_table = share_table(
        inputs,
        "ethnicity",
        format!("Stage 1 complaints by the complainant's ethnicity, {label}"),
        "Ethnicity",
        &ethnicity,
        &q1.received,
        Some("Total"),
    );
    if !inputs
        .dataset
        .recorded(crate::load::contract::Source::Representations, "ethnicity")
    {
        ethnicity_table
            .notes
            .push("The export has no ethnicity column.".into());
    }

    let mut tables = vec![ethnicity_table];
    let mut facts = Linker::default();
    if let Some((rates, first_measure)) = rates_table(inputs, &q1.received)? {
        // Rows: complaints, then (measure, rate) pairs; the first pair is the headline's.
        let rate_row = rates.rows[2].label.clone();
        facts.quantity(
            "complaints_per_100",
            source(&rates, &rate_row, inputs.current_column()),
        );
        facts.plain(
            "complaints_per_100_measure",
            first_measure.to_lowercase().as_str().into(),
        );
        tables.push(rates);
    }
    Ok(facts.section(&SECTION, tables, Vec::new()))
}

/// Stage 1 complaints per 100 of each context measure, year by year. The context figures are
/// the council's own published totals, not counts from the case data.
fn rates_table(inputs: &Inputs, received: &[Q]) -> Result<Option<(Table, String)>> {
    let Some(context) = &inputs.dataset.context else {
        return Ok(None);
    };
    let slots = &inputs.slots;
    let years = context.column("year")?.str()?;
    let measures = context.column("measure")?.str()?;
    let values = context.column("value")?.f64()?;
    // Measures in the order the file first gives them: the first is the headline's.
    let mut by_measure: Vec<(String, BTreeMap<String, f64>)> = Vec::new();
    for ((year, measure), value) in years.iter().zip(measures.iter()).zip(values.iter()) {
        if let (Some(year), Some(measure), Some(value)) = (year, measure, value) {
            let index = match by_measure.iter().position(|(m, _)| m == measure) {
                Some(i) => i,
                None => {
                    by_measure.push((measure.to_string(), BTreeMap::new()));
                    by_measure.len() - 1
                }
            };
            by_measure[index].1.insert(year.to_string(), value);
        }
    }
    if by_measure.is_empty() {
        return Ok(None);
    }
    let mut table = Table::new(
        "complaints-per-100",
        "Stage 1 complaints in context",
        period_columns("Measure", slots),
    )
    .with_note("Context figures come from context.csv; a year without one shows [x].");
    table
        .rows
        .push(period_row(inputs, "Stage 1 complaints", received, false));
    for (measure, by_year) in &by_measure {
        let value_of = |s: usize| by_year.get(&slots.periods[s].label).copied();
        table.rows.push(Row::new(
            measure.clone(),
            slots
                .shown
                .iter()
                .map(|&s| match value_of(s) {
                    Some(v) => Cell::number(Some(v), 0),
                    None => Cell::Symbol(Symbol::NotAvailable),
                })
                .collect(),
        ));
        let measure_lower = measure.to_lowercase();
        let cells = slots
            .shown
            .iter()
            .map(|&s| match value_of(s) {
                Some(v) if v > 0.0 && inputs.present(s) => {
                    let rate = 100.0 * inputs.value(received[s]) as f64 / v;
                    let q = inputs.derive(
                        &format!("rate per 100 {measure_lower}"),
                        &[received[s]],
                        Some(rate),
                        Formula::Rate {
                            count: received[s],
                            denominator: v,
                            scale: 100.0,
                        },
                    );
                    (Cell::number(Some(rate), 1), Some(q))
                }
                Some(_) if inputs.present(s) => (Cell::Symbol(Symbol::NotApplicable), None),
                _ => (Cell::Symbol(Symbol::NotAvailable), None),
            })
            .collect();
        table.rows.push(Row::linked(
            format!("Stage 1 complaints per 100 {measure_lower}"),
            cells,
        ));
    }
    Ok(Some((table, by_measure[0].0.clone())))
}
