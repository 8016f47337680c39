//! Section 17: about this report — what made it, from which files, when.

use super::ReportOptions;
use super::model::{Cell, Facts, InputFile, Provenance, Row, Section, Table, text};
use super::registry::{Build, SectionDef};

pub const SECTION: SectionDef = SectionDef {
    id: "about",
    title: "Appendix: how this report was made",
    facts: &[
        text("tool_version"),
        text("command"),
        text("as_at"),
        text("as_at_basis"),
    ],
    build: Build::About,
    ahead: &[],
    quotes: &[],
};
use crate::load::Dataset;

pub fn provenance(dataset: &Dataset, options: &ReportOptions) -> Provenance {
    Provenance {
        tool: "report".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        command: options.command.clone(),
        as_at: options.as_at,
        as_at_is_latest_in_data: dataset.latest_date() == Some(options.as_at),
        inputs: dataset
            .files
            .iter()
            .map(|f| InputFile {
                name: f.name.clone(),
                sha256: f.sha256.clone(),
                rows: f.rows_read,
            })
            .collect(),
        config: options.config.clone(),
    }
}

pub fn build(provenance: &Provenance) -> Section {
    let mut inputs = Table::new(
        "inputs",
        "Input files",
        ["File", "Rows", "SHA-256"].map(String::from).to_vec(),
    );
    inputs.exempt = true;
    for input in &provenance.inputs {
        inputs.rows.push(Row::new(
            input.name.clone(),
            vec![Cell::count(input.rows), Cell::Text(input.sha256.clone())],
        ));
    }
    if let Some(config) = &provenance.config {
        inputs.rows.push(Row::new(
            config.name.clone(),
            vec![
                Cell::Symbol(crate::figures::model::Symbol::NotApplicable),
                Cell::Text(config.sha256.clone()),
            ],
        ));
    }
    let mut facts = Facts::new();
    facts.insert("tool_version".into(), provenance.version.as_str().into());
    facts.insert("command".into(), provenance.command.as_str().into());
    facts.insert(
        "as_at".into(),
        crate::period::long_date(provenance.as_at).as_str().into(),
    );
    let basis = if provenance.as_at_is_latest_in_data {
        "the latest date in the data"
    } else {
        "the date given with the command"
    };
    facts.insert("as_at_basis".into(), basis.into());
    Section::figures(SECTION.id, SECTION.title, vec![inputs], Vec::new(), facts)
}
