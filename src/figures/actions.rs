//! Section 13: learning from complaints. Learning actions — of those due in the period, how many
//! were completed on time, completed late, are overdue, or are not yet due — and, in internal
//! reports only, what was learned from each complaint.

use polars::prelude::*;

use super::counts::count_by;
use super::frame::{count_per_period, date_literal, tag_periods};
use super::inputs::{Inputs, Whole};
use super::model::{Audience, Cell, Row, Section, Symbol, Table};
use super::model::{number, text};
use super::quantity::{Key, Q, Subject};
use super::registry::{Build, SectionDef, internal};
use super::tables::{Linker, YearTable, year_table};
use crate::error::Result;
use crate::load::contract::Source;
use crate::period::long_date;

pub const SECTION: SectionDef = SectionDef {
    id: "actions",
    title: "Learning from complaints",
    facts: &[
        number("actions_due"),
        number("actions_on_time"),
        number("actions_late"),
        number("actions_overdue"),
        number("actions_open"),
        text("actions_as_at"),
    ],
    build: Build::Figures(build),
    ahead: &[],
    quotes: &[
        internal(Source::Representations, "reference"),
        internal(Source::Representations, "learning"),
    ],
};

pub fn build(inputs: &Inputs) -> Result<Section> {
    let slots = &inputs.slots;
    let current = inputs.current();
    let label = &slots.periods[current].label;
    let as_at = inputs.as_at;
    let mut status = Table::new(
        "actions",
        format!(
            "Learning actions due in {label}, as at {}",
            long_date(as_at)
        ),
        vec!["Status".into(), "Number".into(), "%".into()],
    );
    let mut facts = Linker::default();
    let mut tables = Vec::new();
    match &inputs.dataset.actions {
        None => {
            status.rows.push(Row::new(
                "Actions due",
                vec![Cell::Symbol(Symbol::NotAvailable); 2],
            ));
            status.notes.push(
                "No actions file was provided, so learning actions are not available.".into(),
            );
            tables.push(status);
        }
        Some(actions) => {
            let frame = || tag_periods(actions.clone().lazy(), "due", slots);
            let done = || {
                col("completed")
                    .is_not_null()
                    .and(col("completed").lt_eq(date_literal(as_at)))
            };
            let open = || done().not();
            let values = count_per_period(
                frame(),
                lit(true),
                vec![
                    lit(true),
                    done().and(col("completed").lt_eq(col("due"))),
                    done().and(col("completed").gt(col("due"))),
                    open().and(col("due").lt(date_literal(as_at))),
                    open().and(col("due").gt_eq(date_literal(as_at))),
                ],
                slots.len(),
            )?;
            // Counts of what the council does, not of people: shown as they are.
            let due = inputs.series_about("actions.due", Subject::Actions, &values[0]);
            let statuses = [
                (1, "Completed on time"),
                (2, "Completed late"),
                (3, "Overdue"),
                (4, "Open, not yet due"),
            ];
            let status_qs: Vec<Vec<Q>> = statuses
                .iter()
                .map(|(i, name)| {
                    let mut registry = inputs.registry();
                    (0..slots.len())
                        .map(|s| {
                            registry.count(
                                Key::new("actions.due", inputs.span(s)).by("status", *name),
                                values[*i][s],
                                Subject::Actions,
                            )
                        })
                        .collect()
                })
                .collect();
            {
                let mut registry = inputs.registry();
                for s in 0..slots.len() {
                    let parts: Vec<Q> = status_qs.iter().map(|qs| qs[s]).collect();
                    registry.sum(due[s], &parts);
                }
            }
            for ((_, name), qs) in statuses.iter().zip(&status_qs) {
                status.rows.push(Row::linked(
                    *name,
                    vec![
                        inputs.count_at(qs[current], current),
                        inputs.percent_at(qs[current], due[current], current),
                    ],
                ));
            }
            status.rows.push(
                Row::linked(
                    "Total actions due",
                    vec![
                        inputs.count_at(due[current], current),
                        inputs.percent_at(due[current], due[current], current),
                    ],
                )
                .as_total(),
            );
            status.notes.push(format!(
                "Actions whose due date falls in {label}. Completed on time: completed on or before the due date. Overdue: not completed by {}.",
                long_date(as_at)
            ));
            let no_due_date = actions
                .clone()
                .lazy()
                .filter(col("due").is_null().and(open()))
                .collect()?
                .height();
            if no_due_date > 0 {
                status
                    .notes
                    .push("Some open actions have no due date; they are not counted here.".into());
            }
            facts.quantity("actions_due", Some(due[current]));
            facts.plain("actions_as_at", long_date(as_at).as_str().into());
            for (key, qs) in [
                "actions_on_time",
                "actions_late",
                "actions_overdue",
                "actions_open",
            ]
            .iter()
            .zip(&status_qs)
            {
                facts.quantity(key, Some(qs[current]));
            }
            let by_service = inputs.breakdown(
                "actions.due",
                "service",
                &count_by(frame(), "service", slots.len())?,
                Whole::Divides(&due),
                Subject::Actions,
            );
            let by_service = year_table(
                inputs,
                YearTable {
                    id: "actions-by-service",
                    title: "Learning actions due, by service".into(),
                    stub: "Service or team",
                    total: Some("Total"),
                    change: false,
                },
                &by_service,
            );
            tables.push(status);
            tables.push(by_service);
        }
    }
    if inputs.audience == Audience::Internal {
        tables.push(learning_recorded(inputs)?);
    }
    Ok(facts.section(&SECTION, tables, Vec::new()))
}

/// What was learned from each complaint received in the period, with its reference and service:
/// case detail for staff, never published.
fn learning_recorded(inputs: &Inputs) -> Result<Table> {
    let rows = super::frame::in_slot(inputs.representations(), inputs.current())
        .filter(col("learning").is_not_null())
        .sort(["received"], SortMultipleOptions::default())
        .select([
            col("reference"),
            col("stage"),
            col("service"),
            col("learning"),
        ])
        .collect()?;
    let mut table = Table::new(
        "learning-recorded",
        format!(
            "Learning recorded from complaints received in {}",
            inputs.period.label
        ),
        ["Reference", "Stage", "Service or team", "Learning"]
            .map(String::from)
            .to_vec(),
    )
    .with_note("Internal: case references and the service's own words. Not for publication.");
    table.exempt = true;
    let references = super::frame::strings(&rows, "reference")?;
    let stages = rows.column("stage")?.i32()?;
    let services = super::frame::strings(&rows, "service")?;
    let learning = super::frame::strings(&rows, "learning")?;
    for i in 0..rows.height() {
        let text = |v: Option<&str>| Cell::Text(v.unwrap_or("").to_string());
        table.rows.push(Row::new(
            references.get(i).unwrap_or(""),
            vec![
                stages
                    .get(i)
                    .map(|s| Cell::Count(s.into()))
                    .unwrap_or(Cell::Symbol(Symbol::NotApplicable)),
                text(services.get(i)),
                text(learning.get(i)),
            ],
        ));
    }
    Ok(table)
}
