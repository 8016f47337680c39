//! Section 6: what complaints were about. A complaint may raise several issues, so issues
//! outnumber complaints; both totals are stated.

use super::ahead::Wanted;
use super::inputs::{Inputs, Whole};
use super::model::{ChartKind, Section, list, number, text};
use super::quantity::Subject;
use super::registry::{Build, SectionDef};
use super::tables::{Linker, YearTable, biggest_changes, chart_of, top_labels, year_table};
use crate::error::Result;

pub const SECTION: SectionDef = SectionDef {
    id: "nature",
    title: "What complaints were about",
    facts: &[
        number("nature_issues"),
        number("nature_complaints"),
        list("top_natures"),
        text("nature_biggest_rise"),
        number("nature_biggest_rise_by"),
        text("nature_biggest_fall"),
        number("nature_biggest_fall_by"),
    ],
    build: Build::Figures(build),
    ahead: &[Wanted::Counts(1, "nature")],
    quotes: &[],
};

pub fn build(inputs: &Inputs) -> Result<Section> {
    let current = inputs.current();
    let label = &inputs.slots.periods[current].label;
    let (_, q1) = inputs.stage_times(1)?;
    let counts = inputs.stage_counts(1, "nature")?;
    let natures = inputs.breakdown(
        "stage1.received",
        "nature",
        &counts,
        Whole::Mentions(&q1.received),
        Subject::People,
    );
    let mut table = year_table(
        inputs,
        YearTable {
            id: "natures",
            title: "Issues raised in stage 1 complaints, by nature".into(),
            stub: "Nature of the issue",
            total: Some("Total"),
            change: true,
        },
        &natures,
    );
    table.notes.extend(inputs.missing_column_note("nature"));
    table.notes.push(
        "A complaint can raise more than one issue, so there are more issues than complaints; a complaint with no nature recorded counts once as not recorded.".into(),
    );

    let mut facts = Linker::default();
    facts.quantity("nature_issues", Some(natures.total[current]));
    facts.quantity("nature_complaints", Some(q1.received[current]));
    facts.ranking("top_natures", top_labels(inputs, &natures, current), 3);
    facts.changes("nature", biggest_changes(inputs, &natures));
    let chart = chart_of(
        &table,
        ChartKind::HorizontalBar,
        &format!("Issues raised in stage 1 complaints, {label}"),
        format!(
            "Horizontal bar chart of the issues raised in stage 1 complaints in {label}, by nature."
        ),
        &[inputs.current_column()],
        "Issues",
    );
    Ok(facts.section(&SECTION, vec![table], vec![chart]))
}
