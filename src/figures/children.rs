//! Section 9: children and young people's own complaints (made by them or their advocate):
//! how many, their share, advocacy, and outcomes.

use polars::prelude::*;

use super::ahead::{Frames, Wanted, stage_rows};
use super::arrays;
use super::counts::Counts;
use super::frame::count_per_period;
use super::inputs::in_stage;
use super::inputs::{Inputs, Whole};
use super::model::{ChartKind, Section, Table, number};
use super::outcomes::{outcome_counts, outcomes_from};
use super::quantity::{Key, Q, Subject};
use super::registry::{Build, SectionDef};
use super::tables::{
    Linker, chart_over_periods, percent_row, period_columns, period_row, share_table, source,
};
use crate::error::Result;
use crate::load::derived;

pub const SECTION: SectionDef = SectionDef {
    id: "children",
    title: "Children and young people's complaints",
    facts: &[
        number("children_representations"),
        number("children_complaints"),
        number("children_share_percent"),
        number("children_advocate"),
    ],
    build: Build::Figures(build),
    ahead: &[Wanted::Children],
    quotes: &[],
};

pub fn build(inputs: &Inputs) -> Result<Section> {
    let slots = &inputs.slots;
    let current = inputs.current();
    let label = &slots.periods[current].label;
    let (_, q1) = inputs.stage_times(1)?;
    let counted = inputs.worked_out::<Counted>(Wanted::Children)?;
    let representations = inputs.series("starts.young", &counted.starts);
    let complaints = young_complaints(inputs, &q1.received, &counted)?;
    let advocated = inputs.series("stage1.received.young.advocate", &counted.advocated);
    {
        let mut registry = inputs.registry();
        for s in 0..slots.len() {
            let all_starts = registry
                .find(&Key::new("starts", inputs.span(s)))
                .unwrap_or(representations[s]);
            registry.at_most(representations[s], all_starts);
            registry.at_most(complaints[s], representations[s]);
            registry.at_most(advocated[s], complaints[s]);
        }
    }

    let mut table = Table::new(
        "children",
        "Children and young people's own complaints",
        period_columns("Measure", slots),
    )
    .with_note("A child's own complaint is one made by a child or young person, or by an advocate for them.");
    table.rows = vec![
        period_row(
            inputs,
            "Representations from children and young people",
            &representations,
            false,
        ),
        period_row(
            inputs,
            "Stage 1 complaints from children and young people",
            &complaints,
            false,
        ),
        percent_row(
            inputs,
            "Share of all stage 1 complaints (%)",
            &complaints,
            &q1.received,
        ),
        period_row(inputs, "Supported by an advocate", &advocated, false),
    ];

    let counts = &counted.outcomes;
    let concluded = inputs.series("stage1.responded.young", &counts.totals(slots.len()));
    let outcomes = outcomes_from(inputs, "stage1.responded.young", counts, &concluded)?;
    {
        let mut registry = inputs.registry();
        for s in 0..slots.len() {
            registry.at_most(concluded[s], q1.responded[s]);
            registry.at_most(concluded[s], complaints[s]);
            for (outcome, qs) in &outcomes.outcomes.rows {
                let of_all = Key::new("stage1.responded", inputs.span(s))
                    .by("outcome", super::tables::label_text(outcome));
                if let Some(all) = registry.find(&of_all) {
                    registry.at_most(qs[s], all);
                }
            }
        }
    }
    let mut breakdown = outcomes.outcomes.clone();
    breakdown.total = concluded.clone();
    let outcome_table = share_table(
        inputs,
        "children-outcomes",
        format!("Outcomes of children and young people's stage 1 complaints, {label}"),
        "Outcome",
        &breakdown,
        &concluded,
        Some("Total concluded"),
    )
    .with_note("Percentages are of their stage 1 complaints concluded.");

    let mut facts = Linker::default();
    facts.quantity("children_representations", Some(representations[current]));
    facts.quantity("children_complaints", Some(complaints[current]));
    facts.quantity(
        "children_share_percent",
        source(
            &table,
            "Share of all stage 1 complaints (%)",
            inputs.current_column(),
        ),
    );
    facts.quantity("children_advocate", Some(advocated[current]));

    let chart = chart_over_periods(
        &table,
        ChartKind::Bar,
        &format!(
            "Stage 1 complaints from children and young people by {}",
            inputs.period_noun
        ),
        format!(
            "Bar chart of the stage 1 complaints made by children and young people, or their advocates, in each {}.",
            inputs.period_noun
        ),
        &["Stage 1 complaints from children and young people"],
        slots,
        "Complaints",
    );
    Ok(facts.section(&SECTION, vec![table, outcome_table], vec![chart]))
}

/// Children and young people's representations and complaints counted per period, with the
/// outcomes of their complaints: made from the frames alone (`ahead`).
#[derive(Clone)]
pub struct Counted {
    /// Representations from children and young people.
    starts: Vec<i64>,
    /// Stage 1 complaints from them, and those supported by an advocate.
    complaints: Vec<i64>,
    advocated: Vec<i64>,
    /// The complainant labels that mean a child or an advocate.
    young_labels: Vec<Option<String>>,
    /// The outcomes of their stage 1 complaints concluded.
    outcomes: Counts,
}

pub fn count(frames: &Frames) -> Result<Counted> {
    let periods = frames.slots.len();
    let young = || col(derived::YOUNG_PERSON).fill_null(lit(false));
    let all = || frames.representations.clone().lazy();
    let stage1 = || stage_rows(frames.representations, 1);
    let [starts]: [Vec<i64>; 1] = count_per_period(
        all(),
        col(derived::STARTS_REPRESENTATION),
        vec![young()],
        periods,
    )?
    .try_into()
    .expect("one count asked for");
    let [complaints, advocated]: [Vec<i64>; 2] = count_per_period(
        all(),
        in_stage(1),
        vec![young(), young().and(col("advocate").fill_null(lit(false)))],
        periods,
    )?
    .try_into()
    .expect("two counts asked for");
    let young_labels = stage1()
        .filter(young())
        .select([col("complainant")])
        .unique(None, UniqueKeepStrategy::Any)
        .collect()?;
    let young_labels: Vec<Option<String>> = super::frame::strings(&young_labels, "complainant")?
        .iter()
        .map(|l| l.map(str::to_string))
        .collect();
    Ok(Counted {
        starts,
        complaints,
        advocated,
        young_labels,
        outcomes: {
            let in_stage1 = arrays::at_stage(frames.representations, 1)?;
            let young = arrays::truths(frames.representations, derived::YOUNG_PERSON)?;
            let young_in_stage1 = |row| in_stage1(row) && young[row];
            outcome_counts(frames.representations, young_in_stage1, periods)?
        },
    })
}

/// Stage 1 complaints from children and young people: the sum of the complainant labels that
/// mean a child or an advocate, which a reader of the complainants table could add up.
fn young_complaints(inputs: &Inputs, received: &[Q], counted: &Counted) -> Result<Vec<Q>> {
    let complaints = inputs.series("stage1.received.young", &counted.complaints);
    let counts = inputs.stage_counts(1, "complainant")?;
    let by_complainant = inputs.breakdown(
        "stage1.received",
        "complainant",
        &counts,
        Whole::Divides(received),
        Subject::People,
    );
    let mut registry = inputs.registry();
    for s in 0..inputs.slots.len() {
        let parts: Vec<Q> = by_complainant
            .rows
            .iter()
            .filter(|(label, _)| counted.young_labels.contains(label))
            .map(|(_, qs)| qs[s])
            .collect();
        registry.sum(complaints[s], &parts);
    }
    Ok(complaints)
}
