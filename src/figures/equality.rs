//! Section 14: equality monitoring (the complainant's ethnicity) and, with context figures,
//! complaints per 100 cases.

use std::collections::BTreeMap;

use polars::prelude::DataFrame;

use super::ahead::Wanted;
use super::inputs::{Inputs, Whole};
use super::model::{Cell, Row, Section, Symbol, Table, number, text};
use super::quantity::{Formula, Key, Q, Subject};
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
    ahead: &[Wanted::Counts(1, "ethnicity")],
    quotes: &[],
};

pub fn build(inputs: &Inputs) -> Result<Section> {
    let current = inputs.current();
    let label = &inputs.slots.periods[current].label;
    let (_, q1) = inputs.stage_times(1)?;
    let counts = inputs.stage_counts(1, "ethnicity")?;
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
    tables.extend(service_rates(inputs)?);
    Ok(facts.section(&SECTION, tables, Vec::new()))
}

/// Stage 1 complaints per 100 (or per `per`) of each context measure, period by period. The
/// context figures are the council's own published yearly totals, not counts from the case data;
/// a quarter or any other part of a year is set against its financial year's figure.
fn rates_table(inputs: &Inputs, received: &[Q]) -> Result<Option<(Table, String)>> {
    let Some(context) = &inputs.dataset.context else {
        return Ok(None);
    };
    let slots = &inputs.slots;
    // Measures in the order the file first gives them: the first is the headline's. A
    // service's own figure is for the table by service.
    let mut by_measure: Vec<ContextMeasure> = Vec::new();
    for row in context_rows(context)?
        .into_iter()
        .filter(|r| r.service.is_none())
    {
        let index = match by_measure.iter().position(|m| m.name == row.measure) {
            Some(i) => i,
            None => {
                by_measure.push(ContextMeasure {
                    name: row.measure.clone(),
                    per: 100.0,
                    by_year: BTreeMap::new(),
                });
                by_measure.len() - 1
            }
        };
        if let Some(per) = row.per {
            by_measure[index].per = per;
        }
        by_measure[index].by_year.insert(row.year, row.value);
    }
    if by_measure.is_empty() {
        return Ok(None);
    }
    let whole_years = slots
        .shown
        .iter()
        .all(|&s| matches!(slots.periods[s].kind, crate::period::Kind::Year(_)));
    let context_year = |s: usize| slots.periods[s].financial_year().to_string();
    let mut table = Table::new(
        "complaints-per-100",
        "Stage 1 complaints in context",
        period_columns("Measure", slots),
    )
    .with_note("Context figures come from context.csv; a year without one shows [x].");
    if !whole_years {
        let years: Vec<String> = slots
            .shown
            .iter()
            .map(|&s| format!("{} uses {}'s", slots.periods[s].label, context_year(s)))
            .collect();
        table.notes.push(format!(
            "Context figures are yearly: each period is set against the figure for the financial year it starts in ({}), so a quarter's rate is about a quarter of a year's.",
            years.join(", ")
        ));
    }
    table
        .rows
        .push(period_row(inputs, "Stage 1 complaints", received, false));
    for measure in &by_measure {
        let value_of = |s: usize| measure.by_year.get(&context_year(s)).copied();
        table.rows.push(Row::new(
            measure.name.clone(),
            slots
                .shown
                .iter()
                .map(|&s| match value_of(s) {
                    Some(v) => Cell::number(Some(v), 0),
                    None => Cell::Symbol(Symbol::NotAvailable),
                })
                .collect(),
        ));
        let per_words = measure.per_words();
        let cells = slots
            .shown
            .iter()
            .map(|&s| match value_of(s) {
                Some(v) if v > 0.0 && inputs.present(s) => {
                    let rate = measure.per * inputs.value(received[s]) as f64 / v;
                    let q = inputs.derive(
                        &format!("rate {per_words}"),
                        &[received[s]],
                        Some(rate),
                        Formula::Rate {
                            count: received[s],
                            denominator: v,
                            scale: measure.per,
                        },
                    );
                    (Cell::number(Some(rate), 1), Some(q))
                }
                Some(_) if inputs.present(s) => (Cell::Symbol(Symbol::NotApplicable), None),
                _ => (Cell::Symbol(Symbol::NotAvailable), None),
            })
            .collect();
        table.rows.push(Row::linked(
            format!("Stage 1 complaints {per_words}"),
            cells,
        ));
    }
    Ok(Some((table, by_measure[0].name.clone())))
}

/// One complete row of context.csv.
struct ContextRow {
    year: String,
    measure: String,
    value: f64,
    /// What rates are per, when the file says (100 otherwise).
    per: Option<f64>,
    /// The service the figure is for; none for the whole council.
    service: Option<String>,
}

/// The rows of context.csv with a year, a measure and a value.
fn context_rows(context: &DataFrame) -> Result<Vec<ContextRow>> {
    let years = super::frame::strings(context, "year")?;
    let measures = super::frame::strings(context, "measure")?;
    let values = context.column("value")?.f64()?;
    let pers = context.column("per")?.f64()?;
    let services = super::frame::strings(context, "service")?;
    Ok((0..context.height())
        .filter_map(|i| {
            Some(ContextRow {
                year: years.get(i)?.to_string(),
                measure: measures.get(i)?.to_string(),
                value: values.get(i)?,
                per: pers.get(i).filter(|p| *p >= 1.0),
                service: services.get(i).map(str::to_string),
            })
        })
        .collect())
}

/// One measure from context.csv: its yearly figures and what its rates are per.
struct ContextMeasure {
    name: String,
    per: f64,
    by_year: BTreeMap<String, f64>,
}

impl ContextMeasure {
    /// "per 100 children's social care cases", "per 10,000 children aged 0 to 17".
    fn per_words(&self) -> String {
        // Words, not a rendered number: the label reads the same in every format.
        let digits = (self.per.round() as i64).to_string();
        let mut per = String::new();
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                per.push(',');
            }
            per.push(digit);
        }
        format!("per {per} {}", self.name.to_lowercase())
    }
}

/// Stage 1 complaints per 100 of each service's own figure (its caseload, say) in the report's
/// period, for the services context.csv gives one for: services that see more families see more
/// complaints, and this is the fairer comparison.
fn service_rates(inputs: &Inputs) -> Result<Option<Table>> {
    let Some(context) = &inputs.dataset.context else {
        return Ok(None);
    };
    let current = inputs.current();
    let year = inputs.slots.periods[current].financial_year().to_string();
    let mut rows: Vec<(String, String, f64, f64)> = context_rows(context)?
        .into_iter()
        .filter(|r| r.year == year)
        .filter_map(|r| Some((r.service?, r.measure, r.value, r.per.unwrap_or(100.0))))
        .collect();
    if rows.is_empty() {
        return Ok(None);
    }
    rows.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    let label = &inputs.slots.periods[current].label;
    let mut table = Table::new(
        "complaints-per-100-by-service",
        format!("Stage 1 complaints in context, by service, {label}"),
        ["Service or team", "Measure", "Stage 1 complaints", "Figure", "Rate"]
            .map(String::from)
            .to_vec(),
    )
    .with_note(format!(
        "Each service's own figure from context.csv, for {year}; the rate is stage 1 complaints per 100 of it (or per the number the file gives)."
    ));
    for (service, measure, value, per) in rows {
        // The services table registers every service with complaints in any period shown; a
        // service with none is a zero, registered for every period like any count.
        let complaints: Vec<Q> = {
            let mut registry = inputs.registry();
            (0..inputs.slots.len())
                .map(|s| {
                    let key =
                        Key::new("stage1.received", inputs.span(s)).by("service", service.clone());
                    registry
                        .find(&key)
                        .unwrap_or_else(|| registry.count(key, 0, Subject::People))
                })
                .collect()
        };
        let q = complaints[current];
        let rate = (value > 0.0).then(|| per * inputs.value(q) as f64 / value);
        let rate_cell = match rate {
            Some(rate) => {
                let derived = inputs.derive(
                    &format!("rate per {per} {}", measure.to_lowercase()),
                    &[q],
                    Some(rate),
                    Formula::Rate {
                        count: q,
                        denominator: value,
                        scale: per,
                    },
                );
                (Cell::number(Some(rate), 1), Some(derived))
            }
            None => (Cell::Symbol(Symbol::NotApplicable), None),
        };
        table.rows.push(Row::linked(
            service,
            vec![
                (Cell::Text(measure), None),
                inputs.count_at(q, current),
                (Cell::number(Some(value), 0), None),
                rate_cell,
            ],
        ));
    }
    table.order = super::model::RowOrder::Fixed;
    Ok(Some(table))
}
