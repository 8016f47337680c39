//! Section 10: representations refused or declined (with reasons), those resolved informally,
//! and case concerns and other representations outside the statutory procedure.

use polars::prelude::*;

use super::Inputs;
use super::model::{Facts, Section};
use super::tables::YearTable;
use crate::error::Result;
use crate::load::derived;

pub fn build(inputs: &Inputs) -> Result<Section> {
    let slots = &inputs.slots;
    let current = inputs.current();
    let flag = |name: &str| col(name).fill_null(lit(false));

    let (refused, refused_counts) = inputs.label_table(
        inputs.starts().filter(flag(derived::REFUSED)),
        "refusal_reason",
        YearTable {
            id: "refused",
            title: "Representations refused or declined, by reason".into(),
            stub: "Reason",
            total: Some("Total refused or declined"),
            change: false,
        },
    )?;
    let (informal, informal_counts) = inputs.label_table(
        inputs.starts().filter(flag("informal_resolution")),
        "type",
        YearTable {
            id: "informal-resolution",
            title: "Representations resolved informally, by type".into(),
            stub: "Type",
            total: Some("Total resolved informally"),
            change: false,
        },
    )?;
    let outside = inputs.starts().filter(
        col("stage")
            .is_null()
            .and(flag(derived::REFUSED).not())
            .and(flag(derived::OMBUDSMAN).not()),
    );
    let (other, other_counts) = inputs.label_table(
        outside,
        "type",
        YearTable {
            id: "other-representations",
            title: "Case concerns and other representations outside the statutory procedure".into(),
            stub: "Type",
            total: Some("Total"),
            change: true,
        },
    )?;

    let total = |counts: &super::frame::Counts| counts.totals(slots.len())[current];
    let mut facts = Facts::new();
    facts.insert("refused_total".into(), total(&refused_counts).into());
    facts.insert("informal_total".into(), total(&informal_counts).into());
    facts.insert(
        "other_representations_total".into(),
        total(&other_counts).into(),
    );
    Ok(Section::figures(
        "other-representations",
        "Refused, informal and other representations",
        vec![refused, informal, other],
        Vec::new(),
        facts,
    ))
}
