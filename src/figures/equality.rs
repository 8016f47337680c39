//! Section 14: equality monitoring (the complainant's ethnicity) and, with context figures,
//! complaints per 100 cases.

use std::collections::BTreeMap;

use super::Inputs;
use super::model::{Cell, Row, Section, Symbol, Table};
use super::model::{number, text};
use super::registry::{Build, SectionDef};
use super::tables::{Linker, add_share_total, count_cell, share_table};
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
    let slots = &inputs.slots;
    let current = inputs.current();
    let label = &slots.periods[current].label;
    let ethnicity = inputs.counts(inputs.stage(1), "ethnicity")?;
    let received = inputs.stage1_received()?;
    let mut ethnicity_table = share_table(
        "ethnicity",
        format!("Stage 1 complaints by the complainant's ethnicity, {label}"),
        "Ethnicity",
        &ethnicity,
        current,
        Some(received[current]),
    );
    add_share_total(&mut ethnicity_table, "Total");
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
    if let Some((rates, first_measure)) = rates_table(inputs, &received)? {
        // Rows: complaints, then (measure, rate) pairs; the first pair is the headline's.
        let rate_row = rates.rows[2].label.clone();
        facts.cell("complaints_per_100", &rates, &rate_row, current);
        facts.plain(
            "complaints_per_100_measure",
            first_measure.to_lowercase().as_str().into(),
        );
        tables.push(rates);
    }
    Ok(facts.section(&SECTION, tables, Vec::new()))
}

/// Stage 1 complaints per 100 of each context measure, year by year.
fn rates_table(inputs: &Inputs, received: &[i64]) -> Result<Option<(Table, String)>> {
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
        super::tables::period_columns("Measure", slots),
    )
    .with_note("Context figures come from context.csv; a year without one shows [x].");
    table.rows.push(Row::new(
        "Stage 1 complaints",
        (0..slots.len())
            .map(|s| count_cell(received[s], slots, s))
            .collect(),
    ));
    for (measure, by_year) in &by_measure {
        let value_of = |s: usize| by_year.get(&slots.periods[s].label).copied();
        table.rows.push(Row::new(
            measure.clone(),
            (0..slots.len())
                .map(|s| match value_of(s) {
                    Some(v) => Cell::number(Some(v), 0),
                    None => Cell::Symbol(Symbol::NotAvailable),
                })
                .collect(),
        ));
        let measure_lower = measure.to_lowercase();
        table.rows.push(Row::new(
            format!("Stage 1 complaints per 100 {measure_lower}"),
            (0..slots.len())
                .map(|s| match value_of(s) {
                    Some(v) if v > 0.0 && slots.present[s] => {
                        Cell::number(Some(100.0 * received[s] as f64 / v), 1)
                    }
                    Some(_) if slots.present[s] => Cell::Symbol(Symbol::NotApplicable),
                    _ => Cell::Symbol(Symbol::NotAvailable),
                })
                .collect(),
        ));
        // A rate of a hidden count gives the count away.
        let rate = table.rows.len() - 1;
        for s in 0..slots.len() {
            table.derive((rate, s), vec![(0, s)], vec![]);
        }
    }
    Ok(Some((table, by_measure[0].0.clone())))
}
