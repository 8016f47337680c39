//! Section 10: representations refused or declined (with reasons), those resolved informally,
//! and case concerns and other representations outside the statutory procedure.

use polars::prelude::*;

use super::ahead::{Frames, Wanted, count_column};
use super::counts::{Counts, count_by};
use super::inputs::{Breakdown, Inputs, Whole};
use super::model::{Section, number};
use super::quantity::{Key, Q, Subject};
use super::received::{Role, role_total, route_cube, route_key};
use super::registry::{Build, SectionDef};
use super::tables::{Linker, YearTable, label_text, year_table};
use crate::error::Result;
use crate::load::derived;

pub const SECTION: SectionDef = SectionDef {
    id: "other-representations",
    title: "Refused, informal and other representations",
    facts: &[
        number("refused_total"),
        number("refused_previous"),
        number("informal_total"),
        number("other_representations_total"),
    ],
    build: Build::Figures(build),
    ahead: &[Wanted::OtherRepresentations],
    quotes: &[],
};

/// Representations counted per period: refused by reason, resolved informally by type, and
/// outside the statutory procedure by type.
#[derive(Clone)]
pub struct Counted {
    reasons: Counts,
    informal: Counts,
    outside: Counts,
}

pub fn count(frames: &Frames) -> Result<Counted> {
    let periods = frames.slots.len();
    let flag = |name: &str| col(name).fill_null(lit(false));
    let starts = || frames.starts();
    let outside = starts().filter(
        col("stage")
            .is_null()
            .and(flag(derived::REFUSED).not())
            .and(flag(derived::OMBUDSMAN).not()),
    );
    Ok(Counted {
        reasons: count_column(
            starts().filter(flag(derived::REFUSED)),
            "refusal_reason",
            periods,
        )?,
        informal: count_by(
            starts().filter(flag("informal_resolution")),
            "type",
            periods,
        )?,
        outside: count_by(outside, "type", periods)?,
    })
}

pub fn build(inputs: &Inputs) -> Result<Section> {
    route_cube(inputs)?;
    let current = inputs.current();
    let slots = inputs.slots.len();

    let refused_total = role_total(inputs, Role::Refused);
    let counted = inputs.worked_out::<Counted>(Wanted::OtherRepresentations)?;
    let reasons = inputs.breakdown(
        "starts.refused",
        "reason",
        &counted.reasons,
        Whole::Divides(&refused_total),
        Subject::People,
    );
    let mut refused = year_table(
        inputs,
        YearTable {
            id: "refused",
            title: "Representations refused or declined, by reason".into(),
            stub: "Reason",
            total: Some("Total refused or declined"),
            change: false,
        },
        &reasons,
    );
    refused
        .notes
        .extend(inputs.missing_column_note("refusal_reason"));

    let informal = inputs.breakdown(
        "starts.informal",
        "type",
        &counted.informal,
        Whole::Own,
        Subject::People,
    );
    {
        let mut registry = inputs.registry();
        for (label, qs) in &informal.rows {
            for (s, q) in qs.iter().enumerate() {
                let key = Key::new("starts", inputs.span(s)).by("type", label_text(label));
                if let Some(all) = registry.find(&key) {
                    registry.at_most(*q, all);
                }
            }
        }
        for s in 0..slots {
            if let Some(all) = registry.find(&Key::new("starts", inputs.span(s))) {
                registry.at_most(informal.total[s], all);
            }
        }
    }
    let mut informal_table = year_table(
        inputs,
        YearTable {
            id: "informal-resolution",
            title: "Representations resolved informally, by type".into(),
            stub: "Type",
            total: Some("Total resolved informally"),
            change: false,
        },
        &informal,
    );
    informal_table
        .notes
        .extend(inputs.missing_column_note("informal_resolution"));

    let other = outside_breakdown(inputs, &counted.outside);
    let other_table = year_table(
        inputs,
        YearTable {
            id: "other-representations",
            title: "Case concerns and other representations outside the statutory procedure".into(),
            stub: "Type",
            total: Some("Total"),
            change: true,
        },
        &other,
    );

    let mut facts = Linker::default();
    facts.quantity("refused_total", Some(refused_total[current]));
    if let Some(previous) = inputs.slots.previous().filter(|p| inputs.slots.present[*p]) {
        facts.quantity("refused_previous", Some(refused_total[previous]));
    }
    facts.quantity("informal_total", Some(informal.total[current]));
    facts.quantity("other_representations_total", Some(other.total[current]));
    Ok(facts.section(
        &SECTION,
        vec![refused, informal_table, other_table],
        Vec::new(),
    ))
}

/// Other representations by type are cells of the route cross-tabulation (no stage, neither
/// refused nor the Ombudsman's), shown: registered under the same keys, they are the same
/// quantities, tied to representations by type.
fn outside_breakdown(inputs: &Inputs, counts: &super::counts::Counts) -> Breakdown {
    let mut registry = inputs.registry();
    let rows: Vec<(Option<String>, Vec<Q>)> = counts
        .rows
        .iter()
        .map(|(label, values)| {
            let qs = (0..inputs.slots.len())
                .map(|s| {
                    let key = route_key(inputs, s, &label_text(label), false, Role::Other);
                    registry.count(key, values[s], Subject::People)
                })
                .collect();
            (label.clone(), qs)
        })
        .collect();
    let totals = counts.totals(inputs.slots.len());
    let total = (0..inputs.slots.len())
        .map(|s| {
            let q = registry.count(
                Key::new("starts.outside", inputs.span(s)),
                totals[s],
                Subject::People,
            );
            let parts: Vec<Q> = rows.iter().map(|(_, qs)| qs[s]).collect();
            registry.sum(q, &parts);
            q
        })
        .collect();
    Breakdown { rows, total }
}
