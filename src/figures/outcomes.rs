//! Section 8: outcomes at stages 1 and 2, remedies and what complainants asked for.
//!
//! Percentages of outcomes are of the complaints concluded (responded to) at that stage; complaints
//! still open are a number without a percentage.

use polars::prelude::*;

use super::ahead::Wanted;
use super::counts::Counts;
use super::frame::Slots;
use super::inputs::{Breakdown, Inputs, Whole, in_stage};
use super::model::{Cell, ChartKind, Row, RowOrder, Section, Symbol, Table, list, number};
use super::quantity::{Key, Q, Subject};
use super::registry::{Build, SectionDef};
use super::tables::{
    Linker, YearTable, chart_of, label_text, share_table, source, top_labels, year_table,
};
use crate::error::Result;
use crate::load::derived;
use crate::load::labels::OutcomeRole;

mod shown;
mod sought;
use sought::sought_and_received;

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
    ahead: &[
        Wanted::Outcomes(1),
        Wanted::Outcomes(2),
        Wanted::Concluded(1, "remedy"),
        Wanted::RemediesByOutcome,
        Wanted::Counts(1, "outcome_sought"),
        Wanted::Concluded(1, "outcome_sought"),
        Wanted::SoughtAndGot,
    ],
    quotes: &[],
};

pub const UPHELD_ANY: &str = "Upheld in full or in part";

/// The outcome as the report shows it: the role's name where the label has a role, otherwise
/// the label as the data spells it.
pub fn outcome_label() -> Expr {
    // A label like the outcome itself, so a million rows choose between codes rather than
    // each becoming a string to be hashed again when grouped.
    let label = crate::load::frames::label_dtype();
    OutcomeRole::ALL
        .iter()
        .rev()
        .fold(col("outcome").cast(label.clone()), |rest, role| {
            when(col(derived::OUTCOME_ROLE).eq(lit(role.key())))
                .then(lit(role.title()).cast(label.clone()))
                .otherwise(rest)
        })
}

/// The rows of stage `stage` concluded: responded to.
pub(super) fn concluded_at_stage(stage: i32) -> Expr {
    in_stage(stage).and(col("responded").is_not_null())
}

/// Outcome counts of the concluded rows of `frame` where `counted` holds, roles first in their
/// fixed order.
pub fn outcome_counts(
    frame: &DataFrame,
    counted: impl Fn(usize) -> bool,
    periods: usize,
) -> Result<Counts> {
    let mut counts = shown::shown_outcome_counts(frame, counted, periods)?;
    for role in OutcomeRole::ALL {
        if counts.get(role.title()).is_none() {
            counts
                .rows
                .push((Some(role.title().to_string()), vec![0; periods]));
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

pub fn build(inputs: &Inputs) -> Result<Section> {
    let slots = &inputs.slots;
    let current = inputs.current();
    let label = &slots.periods[current].label;
    let (_, q1) = inputs.stage_times(1)?;
    let (_, q2) = inputs.stage_times(2)?;
    let stage1 = outcomes_of(inputs, 1, &q1.responded)?;
    let stage2 = outcomes_of(inputs, 2, &q2.responded)?;

    let mut table = Table::new(
        "outcomes",
        format!("Outcomes of complaints at stages 1 and 2, {label}"),
        ["Outcome", "Stage 1", "Stage 1 (%)", "Stage 2", "Stage 2 (%)"]
            .map(String::from)
            .to_vec(),
    )
    .with_note("Percentages are of the complaints concluded at that stage; complaints still open have no percentage.");
    let mut labels: Vec<Option<String>> = stage1
        .outcomes
        .rows
        .iter()
        .map(|(l, _)| l.clone())
        .collect();
    for (l, _) in &stage2.outcomes.rows {
        if !labels.contains(l) {
            labels.push(l.clone());
        }
    }
    let pair = |outcomes: &StageOutcomes, label: &Option<String>, whole: Q| match outcomes
        .outcomes
        .rows
        .iter()
        .find(|(l, _)| l == label)
    {
        Some((_, qs)) => vec![
            inputs.count_at(qs[current], current),
            inputs.percent_at(qs[current], whole, current),
        ],
        None => vec![
            (Cell::Count(0), None),
            (Cell::Symbol(Symbol::NotApplicable), None),
        ],
    };
    for label in &labels {
        let mut cells = pair(&stage1, label, q1.responded[current]);
        cells.extend(pair(&stage2, label, q2.responded[current]));
        table.rows.push(Row::linked(label_text(label), cells));
    }
    let both = |a: Q, b: Q| {
        vec![
            inputs.count_at(a, current),
            inputs.percent_at(a, q1.responded[current], current),
            inputs.count_at(b, current),
            inputs.percent_at(b, q2.responded[current], current),
        ]
    };
    table.rows.push(
        Row::linked(
            "Total concluded",
            both(q1.responded[current], q2.responded[current]),
        )
        .as_total(),
    );
    // A group of complaints like any other, so not a total.
    table.rows.push(Row::linked(
        UPHELD_ANY,
        both(stage1.upheld_any[current], stage2.upheld_any[current]),
    ));
    // As at the data's date, unlike "still open at the end of the period" in the timescale
    // tables: the two never share a name, so text and tables cannot seem to disagree.
    table.rows.push(Row::linked(
        format!(
            "Still open as at {}",
            crate::period::long_date(inputs.data_as_at)
        ),
        vec![
            inputs.count_at(q1.unanswered[current], current),
            (Cell::Symbol(Symbol::NotApplicable), None),
            inputs.count_at(q2.unanswered[current], current),
            (Cell::Symbol(Symbol::NotApplicable), None),
        ],
    ));

    let mut yearly = year_table(
        inputs,
        YearTable {
            id: "stage1-outcomes-by-year",
            title: format!("Outcomes of stage 1 complaints, {}", inputs.over_time),
            stub: "Outcome",
            total: Some("Total concluded"),
            change: false,
        },
        &stage1.outcomes,
    );
    yearly.order = RowOrder::Fixed;

    let remedy_counts = inputs.worked_out::<Counts>(Wanted::Concluded(1, "remedy"))?;
    let remedies = inputs.breakdown(
        "stage1.responded",
        "remedy",
        &remedy_counts,
        Whole::Mentions(&q1.responded),
        Subject::People,
    );
    // The cross-tables are for the annual report and other spans a committee reads, not the
    // quarterly pack: over eight quarters their cells, mostly small, would make suppression
    // slow and hide most of them. Whether they are built depends only on the kind of period, so
    // every document registers the same quantities for a period.
    let cross_tables = has_cross_tables(inputs.period);
    let by_outcome = cross_tables
        .then(|| remedies_by_outcome(inputs, &remedies, &stage1.outcomes))
        .transpose()?;
    let remedies = inputs.grouped("stage1.responded", "remedy", remedies);
    let remedies_table = share_table(
        inputs,
        "remedies",
        format!("Remedies: what happened as a result of stage 1 complaints, {label}"),
        "Remedy",
        &remedies,
        &q1.responded,
        None,
    )
    .with_note("Percentages are of the stage 1 complaints concluded; a complaint can have more than one remedy, so they do not sum to 100.");
    let sought_counts = inputs.stage_counts(1, "outcome_sought")?;
    let sought = inputs.breakdown(
        "stage1.received",
        "outcome_sought",
        &sought_counts,
        Whole::Mentions(&q1.received),
        Subject::People,
    );
    // Neither table shows its total of mentions: unpublished, so the suppression pass does not
    // take them as known and hide every row to protect one.
    inputs.set_unpublished(remedies.total.iter().chain(&sought.total));
    let sought = inputs.grouped("stage1.received", "outcome_sought", sought);
    let sought_table = share_table(
        inputs,
        "outcomes-sought",
        format!("What complainants asked for in stage 1 complaints, {label}"),
        "Outcome sought",
        &sought,
        &q1.received,
        None,
    )
    .with_note("Percentages are of the stage 1 complaints received; a complainant can ask for more than one thing.");

    let sought_received = cross_tables
        .then(|| sought_and_received(inputs, &q1.responded))
        .transpose()?;

    let mut facts = Linker::default();
    facts.quantity("stage1_concluded", Some(q1.responded[current]));
    for role in OutcomeRole::ALL {
        facts.quantity(
            &format!("stage1_{}", role.key()),
            source(&table, role.title(), 0),
        );
    }
    facts.quantity("stage1_upheld_any", Some(stage1.upheld_any[current]));
    facts.quantity("stage1_upheld_any_percent", source(&table, UPHELD_ANY, 1));
    facts.ranking("top_remedies", top_labels(inputs, &remedies, current), 3);

    let chart = chart_of(
        &yearly,
        ChartKind::Bar,
        &format!("Outcomes of stage 1 complaints, {label}"),
        format!("Bar chart of the outcomes of stage 1 complaints concluded in {label}."),
        &[inputs.current_column()],
        "Complaints",
    );
    let mut tables = vec![table, yearly, remedies_table];
    tables.extend(by_outcome);
    tables.push(sought_table);
    tables.extend(sought_received);
    Ok(facts.section(&SECTION, tables, vec![chart]))
}

/// A stage's outcomes as quantities: each outcome divides the complaints concluded, and
/// "upheld in full or in part" is the sum of its two.
pub struct StageOutcomes {
    pub outcomes: Breakdown,
    pub upheld_any: Vec<Q>,
}

/// The outcomes of stage `stage`'s concluded complaints, registered against `concluded`.
pub fn outcomes_of(inputs: &Inputs, stage: i32, concluded: &[Q]) -> Result<StageOutcomes> {
    let counts = inputs.stage_outcome_counts(stage)?;
    outcomes_from(
        inputs,
        &format!("stage{stage}.responded"),
        &counts,
        concluded,
    )
}

/// Registers outcome `counts` as `measure` by outcome, dividing `concluded`.
pub fn outcomes_from(
    inputs: &Inputs,
    measure: &str,
    counts: &Counts,
    concluded: &[Q],
) -> Result<StageOutcomes> {
    let outcomes = inputs.breakdown(
        measure,
        "outcome",
        counts,
        Whole::Divides(concluded),
        Subject::People,
    );
    let upheld: Vec<&Vec<Q>> = outcomes
        .rows
        .iter()
        .filter(|(l, _)| {
            [OutcomeRole::Upheld, OutcomeRole::PartiallyUpheld]
                .iter()
                .any(|r| l.as_deref() == Some(r.title()))
        })
        .map(|(_, qs)| qs)
        .collect();
    let mut registry = inputs.registry();
    let upheld_any = (0..inputs.slots.len())
        .map(|s| {
            let parts: Vec<Q> = upheld.iter().map(|qs| qs[s]).collect();
            let n = parts
                .iter()
                .map(|q| registry.get(*q).count().unwrap_or(0))
                .sum();
            let q = registry.count(
                Key::new(measure, inputs.span(s)).by("outcome group", UPHELD_ANY),
                n,
                Subject::People,
            );
            registry.sum(q, &parts);
            q
        })
        .collect();
    Ok(StageOutcomes {
        outcomes,
        upheld_any,
    })
}

/// Whether a document about `period` has the cross-tables of remedies by outcome and of what
/// was sought against what was got: the annual report and other spans a committee reads, not
/// the quarterly pack.
pub fn has_cross_tables(period: &crate::period::Period) -> bool {
    !matches!(period.kind, crate::period::Kind::Quarter(..))
}

/// Counts of stage 1's concluded complaints by remedy and outcome (`remedies_by_outcome`).
pub(super) fn remedies_by_outcome_counts(
    representations: &DataFrame,
    slots: &Slots,
) -> Result<Counts> {
    sought::remedies_by_outcome_counts(
        representations.clone().lazy(),
        concluded_at_stage(1),
        outcome_label(),
        slots.len(),
    )
}

/// Counts of stage 1's concluded complaints by each outcome sought that was got
/// (`sought::sought_and_received`).
pub(super) fn sought_and_got_counts(representations: &DataFrame, slots: &Slots) -> Result<Counts> {
    sought::sought_and_got(
        representations.clone().lazy(),
        concluded_at_stage(1),
        slots.len(),
    )
}

/// Remedies by outcome: what followed each outcome of the stage 1 complaints concluded in the
/// period. Each row's cells add up to the complaints with that remedy (a complaint with no
/// remedy recorded is in none), and no cell is more than the complaints with that outcome.
fn remedies_by_outcome(
    inputs: &Inputs,
    remedies: &Breakdown,
    outcomes: &Breakdown,
) -> Result<Table> {
    let current = inputs.current();
    let label = &inputs.slots.periods[current].label;
    let counts = inputs.worked_out::<Counts>(Wanted::RemediesByOutcome)?;
    let named = |rows: &[(Option<String>, Vec<Q>)]| -> Vec<(String, Vec<Q>)> {
        rows.iter()
            .filter_map(|(l, qs)| l.clone().map(|l| (l, qs.clone())))
            .collect()
    };
    let outcome_rows = named(&outcomes.rows);
    let mut remedy_rows = named(&remedies.rows);
    remedy_rows.sort_by(|a, b| a.0.cmp(&b.0));
    // Every cell of every period, as every document registers the same quantities for a
    // period whichever period it reports on.
    let cells: Vec<Vec<Vec<Q>>> = {
        let mut registry = inputs.registry();
        remedy_rows
            .iter()
            .map(|(remedy, remedy_qs)| {
                let by_outcome: Vec<Vec<Q>> = outcome_rows
                    .iter()
                    .map(|(outcome, outcome_qs)| {
                        (0..inputs.slots.len())
                            .map(|slot| {
                                let n = counts.get_cell(&[remedy, outcome]).map_or(0, |v| v[slot]);
                                let q = registry.count(
                                    Key::new(
                                        "stage1.responded.remedy_by_outcome",
                                        inputs.span(slot),
                                    )
                                    .by("remedy · outcome", format!("{remedy} · {outcome}")),
                                    n,
                                    Subject::People,
                                );
                                registry.at_most(q, outcome_qs[slot]);
                                q
                            })
                            .collect()
                    })
                    .collect();
                for (slot, remedy_q) in remedy_qs.iter().enumerate() {
                    let parts: Vec<Q> = by_outcome.iter().map(|qs| qs[slot]).collect();
                    // The cells are the remedy's parts when every complaint with it has an
                    // outcome recorded.
                    let added: i64 = parts
                        .iter()
                        .map(|q| registry.get(*q).count().unwrap_or(0))
                        .sum();
                    if Some(added) == registry.get(*remedy_q).count() {
                        registry.sum(*remedy_q, &parts);
                    } else {
                        for q in &parts {
                            registry.at_most(*q, *remedy_q);
                        }
                    }
                }
                by_outcome
            })
            .collect()
    };
    let columns: Vec<usize> = (0..outcome_rows.len())
        .filter(|o| inputs.value(outcome_rows[*o].1[current]) > 0)
        .collect();
    let mut header = vec!["Remedy".to_string()];
    header.extend(columns.iter().map(|o| outcome_rows[*o].0.clone()));
    let mut table = Table::new(
        "remedies-by-outcome",
        format!("Remedies by outcome: stage 1 complaints concluded in {label}"),
        header,
    );
    for (r, (remedy, remedy_qs)) in remedy_rows.iter().enumerate() {
        if inputs.value(remedy_qs[current]) == 0 {
            continue;
        }
        table.rows.push(Row::linked(
            remedy.clone(),
            columns
                .iter()
                .map(|o| inputs.count_at(cells[r][*o][current], current))
                .collect(),
        ));
    }
    table.order = RowOrder::Fixed;
    Ok(table.with_note(
        "Complaints concluded in the period, by the remedy that followed and the outcome; a complaint can have more than one remedy.",
    ))
}
