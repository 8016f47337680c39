//! The glossary: the terms a committee member meets in the report, in plain words. The words
//! are the template partial's, so a council overrides them file by file like any template.

use super::Inputs;
use super::model::{Facts, Section};
use super::registry::{Build, SectionDef};
use crate::error::Result;

pub const SECTION: SectionDef = SectionDef {
    id: "glossary",
    title: "Glossary",
    facts: &[],
    build: Build::Figures(build),
    ahead: &[],
    quotes: &[],
};

pub fn build(_: &Inputs) -> Result<Section> {
    Ok(Section::figures(
        SECTION.id,
        SECTION.title,
        Vec::new(),
        Vec::new(),
        Facts::new(),
    ))
}
