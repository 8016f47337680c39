//! The last eight quarters: representations and complaints quarter by quarter, for the
//! quarterly pack. The same quantities the other sections register for each quarter, so a
//! quarter is hidden alike in every pack that shows it.

use polars::prelude::*;

use super::frame::count_per_period;
use super::inputs::Inputs;
use super::model::{Chart, ChartKind, ChartSeries, ChartSource, Row, Section, Table};
use super::quantity::Q;
use super::registry::{Build, SectionDef};
use super::tables::Linker;
use crate::error::Result;
use crate::load::derived;

pub const SECTION: SectionDef = SectionDef {
    id: "trend",
    title: "The last eight quarters",
    facts: &[],
    build: Build::Figures(build),
    ahead: &[],
    quotes: &[],
};

pub fn build(inputs: &Inputs) -> Result<Section> {
    let slots = &inputs.slots;
    let [starts]: [Vec<i64>; 1] = count_per_period(
        inputs.representations(),
        col(derived::STARTS_REPRESENTATION),
        vec![lit(true)],
        slots.len(),
    )?
    .try_into()
    .expect("one count asked for");
    let representations = inputs.series("starts", &starts);
    let (_, stage1) = inputs.stage_times(1)?;
    let (_, stage2) = inputs.stage_times(2)?;
    let all: Vec<usize> = (0..slots.len()).collect();
    let row = |label: &str, qs: &[Q]| {
        Row::linked(
            label,
            all.iter().map(|&s| inputs.count_at(qs[s], s)).collect(),
        )
    };
    let percent = |label: &str, parts: &[Q], wholes: &[Q]| {
        Row::linked(
            label,
            all.iter()
                .map(|&s| inputs.percent_at(parts[s], wholes[s], s))
                .collect(),
        )
    };
    let mut table = Table::new(
        "trend",
        "Representations and complaints in each of the last eight quarters",
        std::iter::once("Measure".to_string())
            .chain(slots.periods.iter().map(|p| p.label.clone()))
            .collect(),
    );
    table.rows = vec![
        row("Representations received", &representations),
        row("Stage 1 complaints received", &stage1.received),
        percent(
            "Stage 1 answered within timescale (%)",
            &stage1.within,
            &stage1.responded,
        ),
        row("Stage 2 requests received", &stage2.received),
    ];
    let series = |label: &str| ChartSeries {
        name: label.to_string(),
        values: table
            .row(label)
            .map(|r| r.cells.clone())
            .unwrap_or_default(),
    };
    let chart = Chart {
        id: "trend".into(),
        title: "Representations and stage 1 complaints by quarter".into(),
        description: format!(
            "Line chart of representations and stage 1 complaints received in each quarter from {} to {}.",
            slots.periods[0].label,
            slots.periods[slots.len() - 1].label
        ),
        kind: ChartKind::Line,
        categories: slots.periods.iter().map(|p| p.label.clone()).collect(),
        series: vec![
            series("Representations received"),
            series("Stage 1 complaints received"),
        ],
        table_id: "trend".into(),
        value_label: "Received".into(),
        percent: false,
        source: ChartSource::ColumnsAsCategories,
    };
    Ok(Linker::default().section(&SECTION, vec![table], vec![chart]))
}
