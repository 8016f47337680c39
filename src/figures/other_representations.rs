//! Section 10: representations refused or declined (with reasons), those resolved informally,
//! and case concerns and other representations outside the statutory procedure.

use polars::prelude::*;

use super::Inputs;
use super::model::Section;
use super::model::number;
use super::registry::{Build, SectionDef};
use super::tables::{Linker, YearTable};
use crate::error::Result;
use crate::load::derived;

pub const SECTION: SectionDef = SectionDef {
    id: "other-representations",
    title: "Refused, informal and other representations",
    facts: &[
        number("refused_total"),
        number("informal_total"),
        number("other_representations_total"),
    ],
    build: Build::Figures(build),
};

pub fn build(inputs: &Inputs) -> Result<Section> {
    let current = inputs.current();
    let flag = |name: &str| col(name).fill_null(lit(false));

    let (refused, _) = inputs.label_table(
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
    let (informal, _) = inputs.label_table(
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
    let (other, _) = inputs.label_table(
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

    let mut facts = Linker::default();
    facts.cell(
        "refused_total",
        &refused,
        "Total refused or declined",
        current,
    );
    facts.cell(
        "informal_total",
        &informal,
        "Total resolved informally",
        current,
    );
    facts.cell("other_representations_total", &other, "Total", current);
    Ok(facts.section(&SECTION, vec![refused, informal, other], Vec::new()))
}
