//! Section 16: data quality and reconciliation — every row read is accounted for: used for the
//! period, outside it, or excluded with its reason.

use std::collections::BTreeMap;

use polars::prelude::*;

use super::inputs::Inputs;
use super::model::{
    Audience, Cell, Fact, Facts, FileReconciliation, Row, Section, Table, list, text,
};
use super::registry::{Build, SectionDef};

pub const SECTION: SectionDef = SectionDef {
    id: "data-quality",
    title: "Data quality and reconciliation",
    facts: &[list("warnings"), text("data_starts")],
    build: Build::DataQuality,
    ahead: &[],
    quotes: &[],
};
use crate::calendar::day_number;
use crate::error::Result;
use crate::load::contract::Source;

pub fn reconcile(inputs: &Inputs) -> Result<BTreeMap<String, FileReconciliation>> {
    let period = inputs.period;
    let dataset = inputs.dataset;
    // Counted from the stored day numbers: filtering the frame to take its height copied
    // every one of its columns, a whole export's worth at a million rows.
    let days = day_number(period.start) as i32..=day_number(period.end) as i32;
    let in_period = |frame: &DataFrame, column: &str| -> Result<usize> {
        let dates = frame.column(column)?.date()?.physical();
        Ok(dates
            .iter()
            .filter(|day| day.is_some_and(|day| days.contains(&day)))
            .count())
    };
    let year = period.financial_year().to_string();
    let of_year = |frame: Option<&DataFrame>| -> Result<usize> {
        Ok(match frame {
            Some(f) => f
                .column("year")?
                .str()?
                .iter()
                .filter(|y| *y == Some(year.as_str()))
                .count(),
            None => 0,
        })
    };
    let mut result = BTreeMap::new();
    for file in &dataset.files {
        let used = match file.source {
            Source::Representations => in_period(&dataset.representations, "received")?,
            Source::Compliments => dataset
                .compliments
                .as_ref()
                .map(|f| in_period(f, "received"))
                .transpose()?
                .unwrap_or(0),
            Source::Actions => dataset
                .actions
                .as_ref()
                .map(|f| in_period(f, "due"))
                .transpose()?
                .unwrap_or(0),
            // A yearly file: its rows for the financial year the period is in.
            Source::Context => of_year(dataset.context.as_ref())?,
            Source::OmbudsmanReview => of_year(dataset.ombudsman_review.as_ref())?,
            Source::Training => dataset
                .training
                .as_ref()
                .map(|f| in_period(f, "date"))
                .transpose()?
                .unwrap_or(0),
        };
        let internal = inputs.audience == Audience::Internal;
        result.insert(
            file.source.key().to_string(),
            FileReconciliation {
                file: file.name.clone(),
                rows_read: file.rows_read,
                rows_usable: file.rows_used(),
                rows_used: internal.then_some(used),
                rows_out_of_period: internal.then(|| file.rows_used() - used),
                excluded: file.excluded.clone(),
            },
        );
    }
    Ok(result)
}

pub fn build(
    inputs: &Inputs,
    reconciliation: &BTreeMap<String, FileReconciliation>,
    warnings: &[String],
) -> Section {
    let internal = inputs.audience == Audience::Internal;
    let columns: &[&str] = if internal {
        &[
            "File",
            "Rows read",
            "Used for this period",
            "Outside this period",
            "Excluded",
        ]
    } else {
        &["File", "Rows read", "Usable", "Excluded"]
    };
    let mut summary = Table::new(
        "reconciliation",
        "How every row read was used",
        columns.iter().map(|c| c.to_string()).collect(),
    )
    .with_note(if internal {
        "Rows outside this period still feed the comparisons with the other periods shown where they fall in them."
    } else {
        "Usable rows are those without errors; each table says which of them it counts."
    });
    summary.exempt = true;
    let mut excluded = Table::new(
        "excluded-rows",
        "Rows excluded because of errors",
        ["File", "Line", "Reason"].map(String::from).to_vec(),
    );
    excluded.exempt = true;
    for source in Source::ALL {
        let Some(file) = reconciliation.get(source.key()) else {
            continue;
        };
        let mut cells = vec![Cell::count(file.rows_read)];
        match (file.rows_used, file.rows_out_of_period) {
            (Some(used), Some(outside)) => cells.extend([Cell::count(used), Cell::count(outside)]),
            _ => cells.push(Cell::count(file.rows_usable)),
        }
        cells.push(Cell::count(file.excluded.len()));
        summary.rows.push(Row::new(file.file.clone(), cells));
        for row in &file.excluded {
            excluded.rows.push(Row::new(
                file.file.clone(),
                vec![Cell::count(row.line), Cell::Text(row.reason.clone())],
            ));
        }
    }
    let mut tables = vec![summary];
    if !excluded.rows.is_empty() {
        tables.push(excluded);
    }
    let mut facts = Facts::new();
    facts.insert("warnings".into(), Fact::List(warnings.to_vec()));
    let file = inputs.dataset.file(Source::Representations);
    if let Some(first) = file.and_then(|f| f.first_date)
        && first > inputs.period.start + chrono::Days::new(31)
    {
        facts.insert(
            "data_starts".into(),
            Fact::Text(crate::period::long_date(first)),
        );
    }
    Section::figures(SECTION.id, SECTION.title, tables, Vec::new(), facts)
}
