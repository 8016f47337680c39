//! Section 1: key findings. The facts are the headline; the template partial phrases them, so a
//! council can reword its findings without touching the figures.

use super::model::{Facts, Section};

pub fn build(headline: &Facts) -> Section {
    Section::figures(
        "key-findings",
        "Key findings",
        Vec::new(),
        Vec::new(),
        headline.clone(),
    )
}
