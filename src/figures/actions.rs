//! Section 13: learning actions agreed in response to complaints — of those due in the period,
//! how many were completed on time, completed late, are overdue, or are not yet due.

use polars::prelude::*;

use super::Inputs;
use super::frame::{count_by, count_true, per_period, tag_periods};
use super::model::{Cell, Fact, Facts, Row, Section, Symbol, Table};
use super::tables::{YearTable, year_table};
use crate::error::Result;
use crate::period::long_date;

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
    let mut facts = Facts::new();
    let Some(actions) = &inputs.dataset.actions else {
        status.rows.push(Row::new(
            "Actions due",
            vec![Cell::Symbol(Symbol::NotAvailable); 2],
        ));
        status
            .notes
            .push("No actions file was provided, so learning actions are not available.".into());
        facts.insert("actions_due".into(), Fact::Symbol(Symbol::NotAvailable));
        return Ok(Section::figures(
            "actions",
            "Learning from complaints",
            vec![status],
            Vec::new(),
            facts,
        ));
    };

    let frame = || tag_periods(actions.clone().lazy(), "due", slots);
    let done = || {
        col("completed")
            .is_not_null()
            .and(col("completed").lt_eq(lit(as_at)))
    };
    let open = || done().not();
    let values = per_period(
        frame(),
        vec![
            len(),
            count_true(done().and(col("completed").lt_eq(col("due")))),
            count_true(done().and(col("completed").gt(col("due")))),
            count_true(open().and(col("due").lt(lit(as_at)))),
            count_true(open().and(col("due").gt_eq(lit(as_at)))),
        ],
        slots.len(),
    )?;
    let at = |i: usize| values[i][current].unwrap_or(0.0) as i64;
    let total = at(0);
    for (i, name) in [
        (1, "Completed on time"),
        (2, "Completed late"),
        (3, "Overdue"),
        (4, "Open, not yet due"),
    ] {
        status.rows.push(Row::new(
            name,
            vec![Cell::Count(at(i)), Cell::percent_of(at(i), total)],
        ));
    }
    status.rows.push(Row::total(
        "Total actions due",
        vec![Cell::Count(total), Cell::percent_of(total, total)],
    ));
    status.notes.push(format!(
        "Actions whose due date falls in {label}. Completed on time: completed on or before the due date. Overdue: not completed by {}.",
        long_date(as_at)
    ));
    let no_due_date = actions
        .clone()
        .lazy()
        .filter(col("due").is_null().and(open()))
        .select([len().cast(DataType::Int64)])
        .collect()?
        .column("len")?
        .i64()?
        .get(0)
        .unwrap_or(0);
    if no_due_date > 0 {
        status.notes.push(format!(
            "A further {no_due_date} open actions have no due date."
        ));
    }

    let by_service = year_table(
        YearTable {
            id: "actions-by-service",
            title: "Learning actions due, by service".into(),
            stub: "Service or team",
            total: Some("Total"),
            change: false,
        },
        &count_by(frame(), "service", slots.len())?,
        slots,
    );

    facts.insert("actions_due".into(), total.into());
    facts.insert("actions_on_time".into(), at(1).into());
    facts.insert("actions_late".into(), at(2).into());
    facts.insert("actions_overdue".into(), at(3).into());
    facts.insert("actions_open".into(), at(4).into());
    Ok(Section::figures(
        "actions",
        "Learning from complaints",
        vec![status, by_service],
        Vec::new(),
        facts,
    ))
}
