//! Section 8: outcomes at stages 1 and 2, remedies and what complainants asked for.
//!
//! Percentages of outcomes are of the complaints concluded (responded to) at that stage; complaints
//! still open are a number without a percentage.

use polars::prelude::*;

use super::Inputs;
use super::frame::Counts;
use super::model::{Cell, ChartKind, Fact, Row, Section, Symbol, Table};
use super::model::{list, number};
use super::registry::{Build, SectionDef};
use super::tables::{Linker, YearTable, chart_of, label_text, share_table, year_table};
use crate::error::Result;
use crate::load::derived;
use crate::load::labels::OutcomeRole;

pub const SECTION: SectionDef = SectionDef {
    id: "outcomes",
    title: "Outcomes and remedies",
    facts: &[
        number("stage1_concluded"),
        number("stage1_upheld"),
        number("stage1_partially_upheld"),
        number("stage1_not_upheld"),
        number("stage1_withdrawn"),
        number("stage1_upheld_any"),
        number("stage1_upheld_any_percent"),
        list("top_remedies"),
    ],
    build: Build::Figures(build),
};

pub const UPHELD_ANY: &str = "Upheld in full or in part";

/// The outcome as the report shows it: the role's name where the label has a role, otherwise
/// the label as the data spells it.
pub fn outcome_label() -> Expr {
    OutcomeRole::ALL
        .iter()
        .rev()
        .fold(col("outcome"), |rest, role| {
            when(col(derived::OUTCOME_ROLE).eq(lit(role.key())))
                .then(lit(role.title()))
                .otherwise(rest)
        })
}

/// Outcome counts of the concluded rows of `frame`, roles first in their fixed order.
pub fn outcome_counts(inputs: &Inputs, frame: LazyFrame) -> Result<Counts> {
    let concluded = frame
        .filter(col("responded").is_not_null())
        .with_column(outcome_label().alias("outcome_shown"));
    let mut counts = super::frame::count_by(concluded, "outcome_shown", inputs.slots.len())?;
    for role in OutcomeRole::ALL {
        if counts.get(role.title()).is_none() {
            counts
                .rows
                .push((Some(role.title().to_string()), vec![0; inputs.slots.len()]));
        }
    }
    let rank = |label: &Option<String>| match label {
        Some(l) => OutcomeRole::ALL
            .iter()
            .position(|r| r.title() == l)
            .unwrap_or(OutcomeRole::ALL.len()),
        None => OutcomeRole::ALL.len() + 1,
    };
    counts.rows.sort_by_key(|(label, _)| rank(label));
    Ok(counts)
}

fn upheld_any(counts: &Counts, slot: usize) -> i64 {
    [OutcomeRole::Upheld, OutcomeRole::PartiallyUpheld]
        .iter()
        .filter_map(|r| counts.get(r.title()))
        .map(|c| c[slot])
        .sum()
}

pub fn build(inputs: &Inputs) -> Result<Section> {
    let slots = &inputs.slots;
    let current = inputs.current();
    let label = &slots.periods[current].label;
    let stage1 = outcome_counts(inputs, inputs.stage(1))?;
    let stage2 = outcome_counts(inputs, inputs.stage(2))?;
    let open = |stage: i32| -> Result<i64> {
        let values = super::frame::per_period(
            inputs.stage(stage),
            vec![super::frame::count_true(col("responded").is_null())],
            slots.len(),
        )?;
        Ok(values[0][current].unwrap_or(0.0) as i64)
    };
    let (open1, open2) = (open(1)?, open(2)?);

    let concluded1 = stage1.totals(slots.len())[current];
    let concluded2 = stage2.totals(slots.len())[current];
    let mut table = Table::new(
        "outcomes",
        format!("Outcomes of complaints at stages 1 and 2, {label}"),
        ["Outcome", "Stage 1", "Stage 1 (%)", "Stage 2", "Stage 2 (%)"]
            .map(String::from)
            .to_vec(),
    )
    .with_note("Percentages are of the complaints concluded at that stage; complaints still open have no percentage.");
    let mut labels: Vec<Option<String>> = stage1.rows.iter().map(|(l, _)| l.clone()).collect();
    for (l, _) in &stage2.rows {
        if !labels.contains(l) {
            labels.push(l.clone());
        }
    }
    let pair = |counts: &Counts, label: &Option<String>, whole: i64| -> [Cell; 2] {
        let n = counts
            .rows
            .iter()
            .find(|(l, _)| l == label)
            .map(|(_, c)| c[current])
            .unwrap_or(0);
        [Cell::Count(n), Cell::percent_of(n, whole)]
    };
    for label in &labels {
        let mut cells = pair(&stage1, label, concluded1).to_vec();
        cells.extend(pair(&stage2, label, concluded2));
        table.rows.push(Row::new(label_text(label), cells));
    }
    let outcome_rows: Vec<usize> = (0..table.rows.len()).collect();
    let both = |a: i64, b: i64| {
        vec![
            Cell::Count(a),
            Cell::percent_of(a, concluded1),
            Cell::Count(b),
            Cell::percent_of(b, concluded2),
        ]
    };
    table
        .rows
        .push(Row::total("Total concluded", both(concluded1, concluded2)));
    let total = table.rows.len() - 1;
    let (any1, any2) = (upheld_any(&stage1, current), upheld_any(&stage2, current));
    // A group of complaints like any other, so not exempt from suppression as a total is.
    table.rows.push(Row::new(UPHELD_ANY, both(any1, any2)));
    let any = table.rows.len() - 1;
    table.rows.push(Row::new(
        "Still open",
        vec![
            Cell::Count(open1),
            Cell::Symbol(Symbol::NotApplicable),
            Cell::Count(open2),
            Cell::Symbol(Symbol::NotApplicable),
        ],
    ));
    let upheld_rows: Vec<usize> = [OutcomeRole::Upheld, OutcomeRole::PartiallyUpheld]
        .iter()
        .filter_map(|r| table.row_index(r.title()))
        .collect();
    for count in [0, 2] {
        table.sum_rows(total, &outcome_rows, [count]);
        table.sum_rows(any, &upheld_rows, [count]);
        for r in outcome_rows.iter().copied().chain([total, any]) {
            table.derive((r, count + 1), vec![(r, count), (total, count)], vec![]);
        }
    }

    let yearly = year_table(
        YearTable {
            id: "stage1-outcomes-by-year",
            title: "Outcomes of stage 1 complaints, year on year".into(),
            stub: "Outcome",
            total: Some("Total concluded"),
            change: false,
        },
        &stage1,
        slots,
    );

    let remedies = inputs.counts(
        inputs.stage(1).filter(col("responded").is_not_null()),
        "remedy",
    )?;
    let remedies_table = share_table(
        "remedies",
        format!("Remedies: what happened as a result of stage 1 complaints, {label}"),
        "Remedy",
        &remedies,
        current,
        Some(concluded1),
    )
    .with_note("Percentages are of the stage 1 complaints concluded; a complaint can have more than one remedy, so they do not sum to 100.");
    let sought = inputs.counts(inputs.stage(1), "outcome_sought")?;
    let received1 = inputs.stage1_received()?[current];
    let sought_table = share_table(
        "outcomes-sought",
        format!("What complainants asked for in stage 1 complaints, {label}"),
        "Outcome sought",
        &sought,
        current,
        Some(received1),
    )
    .with_note("Percentages are of the stage 1 complaints received; a complainant can ask for more than one thing.");

    let mut facts = Linker::default();
    facts.cell("stage1_concluded", &table, "Total concluded", 0);
    for role in OutcomeRole::ALL {
        facts.cell(&format!("stage1_{}", role.key()), &table, role.title(), 0);
    }
    facts.cell("stage1_upheld_any", &table, UPHELD_ANY, 0);
    facts.cell("stage1_upheld_any_percent", &table, UPHELD_ANY, 1);
    facts.plain(
        "top_remedies",
        Fact::List(
            super::top_labels(&remedies, current, 3)
                .into_iter()
                .map(|(l, _)| l)
                .collect(),
        ),
    );

    let chart = chart_of(
        &yearly,
        ChartKind::Bar,
        &format!("Outcomes of stage 1 complaints, {label}"),
        format!("Bar chart of the outcomes of stage 1 complaints concluded in {label}."),
        &[current],
        "Complaints",
    );
    Ok(facts.section(
        &SECTION,
        vec![table, yearly, remedies_table, sought_table],
        vec![chart],
    ))
}
