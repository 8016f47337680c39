//! Section 1: key findings. The facts are the headline; the template partial phrases them, so a
//! council can reword its findings without touching the figures.

use super::model::{Facts, Section};
use super::registry::{Build, SectionDef};

/// Its facts are the headline: every fact of the document's figures sections.
pub const SECTION: SectionDef = SectionDef {
    id: "key-findings",
    title: "Key findings",
    facts: &[],
    build: Build::KeyFindings,
    ahead: &[],
    quotes: &[],
};

pub fn build(headline: &Facts) -> Section {
    Section::figures(
        SECTION.id,
        SECTION.title,
        Vec::new(),
        Vec::new(),
        headline.clone(),
    )
}
