//! Figures: one module per report section, each turning the loaded frames into tables, charts
//! and headline facts. Nothing here formats for an output format; the renderers do that.

pub mod frame;
pub mod model;
pub mod tables;
pub mod timescales;

mod about;
mod actions;
mod children;
mod compliments;
mod equality;
mod key_findings;
mod later_stages;
pub mod narrative;
mod nature;
mod ombudsman;
mod other_representations;
mod outcomes;
mod quality;
mod received;
pub mod registry;
mod service;
mod stage1;
pub mod suppress;
mod who;

use chrono::{DateTime, NaiveDate, Utc};
use polars::prelude::*;
use serde::{Deserialize, Serialize};

use crate::calendar::{Calendar, CalendarError};
use crate::error::{Error, Result};
use crate::load::Dataset;
use crate::load::contract::Source;
use crate::load::contract::ValueKind;
use crate::load::derived;
use crate::period::Period;
use frame::{Counts, PERIOD, Slots, WORKING_DAYS};
use model::{Audience, Facts, PeriodInfo, Report, Section, Table};
use tables::YearTable;
pub use timescales::Timescale;

/// The council's reporting rules: timescales and bands, and how many earlier years to compare.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    pub stage1: Timescale,
    pub stage2: Timescale,
    pub stage3: Timescale,
    /// Acknowledgements are measured against this many working days.
    pub acknowledgement_days: u32,
    pub earlier_years: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            stage1: Timescale::stage1(),
            stage2: Timescale::stage2(),
            stage3: Timescale::stage3(),
            acknowledgement_days: 3,
            earlier_years: 3,
        }
    }
}

/// Everything a report needs besides the data.
pub struct ReportOptions<'a> {
    pub period: Period,
    pub settings: &'a Settings,
    pub calendar: &'a Calendar,
    /// The narrative file's name and Markdown: the council's own words.
    pub narrative: Option<(String, String)>,
    pub authority: Option<String>,
    pub department: Option<String>,
    pub command: String,
    pub generated_at: DateTime<Utc>,
    pub audience: Audience,
    /// Public output hides counts from 1 to this minus one; 0 turns it off.
    pub suppress_below: u32,
    /// The configuration file and its fingerprint, for the provenance.
    pub config: Option<model::InputFile>,
}

/// The prepared data every section reads.
pub struct Inputs<'a> {
    pub dataset: &'a Dataset,
    pub settings: &'a Settings,
    pub period: &'a Period,
    pub slots: Slots,
    /// Representations with periods tagged on `received` and working days added.
    representations: DataFrame,
    /// The day action statuses are judged on.
    pub as_at: NaiveDate,
    pub audience: Audience,
}

impl Inputs<'_> {
    pub fn representations(&self) -> LazyFrame {
        self.representations.clone().lazy()
    }

    /// The rows of one stage.
    pub fn stage(&self, stage: i32) -> LazyFrame {
        self.representations().filter(col("stage").eq(lit(stage)))
    }

    /// Stage 1 complaints received in each period: the base of several sections' shares.
    pub fn stage1_received(&self) -> Result<Vec<i64>> {
        Ok(
            frame::per_period(self.stage(1), vec![len()], self.slots.len())?[0]
                .iter()
                .map(|v| v.unwrap_or(0.0) as i64)
                .collect(),
        )
    }

    /// One row per representation: stage 1 or unstaged rows.
    pub fn starts(&self) -> LazyFrame {
        self.representations()
            .filter(col(derived::STARTS_REPRESENTATION))
    }

    pub fn current(&self) -> usize {
        self.slots.current()
    }

    /// Counts of a representations label column per period; a `;`-list column counts each
    /// label once per row that has it.
    pub fn counts(&self, frame: LazyFrame, column: &str) -> Result<Counts> {
        let is_list = Source::Representations
            .column(column)
            .is_some_and(|c| c.kind == ValueKind::Labels);
        Ok(if is_list {
            frame::count_list_by(frame, column, self.slots.len())?
        } else {
            frame::count_by(frame, column, self.slots.len())?
        })
    }

    /// A year-on-year table of `frame` by `column`, noting when the export lacks the column.
    pub fn label_table(
        &self,
        frame: LazyFrame,
        column: &str,
        layout: YearTable,
    ) -> Result<(Table, Counts)> {
        let counts = self.counts(frame, column)?;
        let mut table = tables::year_table(layout, &counts, &self.slots);
        if !self.dataset.recorded(Source::Representations, column) {
            table.notes.push(format!(
                "The export has no {column} column, so every row is counted as not recorded."
            ));
        }
        Ok((table, counts))
    }
}

/// The label with the most rows in `slot`, ignoring blanks, and its share of all rows.
pub fn top_labels(counts: &Counts, slot: usize, how_many: usize) -> Vec<(String, i64)> {
    counts
        .rows
        .iter()
        .filter_map(|(label, values)| label.as_ref().map(|l| (l.clone(), values[slot])))
        .filter(|(_, n)| *n > 0)
        .take(how_many)
        .collect()
}

/// The annual report's sections, in order (the narrative's go among them; data quality and
/// provenance close it).
const ANNUAL_SECTIONS: &[&str] = &[
    "key-findings",
    "received",
    "stage1",
    "later-stages",
    "who",
    "nature",
    "services",
    "outcomes",
    "children",
    "other-representations",
    "ombudsman",
    "compliments",
    "actions",
    "equality",
    "data-quality",
    "about",
];

/// The annual report's figures for `options.period`.
pub fn build_annual(dataset: &Dataset, options: &ReportOptions) -> Result<Report> {
    let period = &options.period;
    let mut slots = Slots::new(period, options.settings.earlier_years);
    let file = dataset.file(Source::Representations);
    slots.mark_coverage(
        file.and_then(|f| f.first_date),
        file.and_then(|f| f.last_date),
    );
    let current = slots.current();
    // The report's own period is always shown; if the data starts late in it, the quality
    // section says so rather than the figures turning into [x].
    slots.present[current] = true;

    let calendar = frame::calendar_frame(options.calendar)?;
    let prepared = frame::with_working_days(
        frame::tag_periods(dataset.representations.clone().lazy(), "received", &slots),
        &calendar,
    )
    .collect()?;
    check_calendar_coverage(&prepared, options.calendar)?;

    let inputs = Inputs {
        dataset,
        settings: options.settings,
        period,
        slots,
        representations: prepared,
        as_at: options.generated_at.date_naive(),
        audience: options.audience,
    };

    let mut built: Vec<Section> = Vec::new();
    for def in ANNUAL_SECTIONS.iter().filter_map(|id| registry::find(id)) {
        if let registry::Build::Figures(build) = def.build {
            let mut section = build(&inputs)?;
            section.complete_facts(def.facts);
            built.push(section);
        }
    }
    // Public output hides small numbers; either way, facts are refreshed from their cells, so a
    // sentence always says what its table says.
    let suppress_below = match options.audience {
        Audience::Public => options.suppress_below,
        Audience::Internal => 0,
    };
    suppress::suppress_sections(&mut built, suppress_below);
    let mut headline = Facts::new();
    for section in &built {
        if let model::SectionBody::Figures { facts, .. } = &section.body {
            headline.extend(facts.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
    }
    let mut sections = vec![key_findings::build(&headline)];
    sections.extend(built);
    let (narrative_text, narrative_warnings) = match &options.narrative {
        Some((name, text)) => narrative::neutralise(name, text),
        None => (String::new(), Vec::new()),
    };
    let sections = narrative::parse(&narrative_text).place(sections);

    // Public output takes each problem's public text: no cell values, no case dates.
    let public = options.audience == Audience::Public;
    let shown = |problem: &crate::load::problems::Problem| {
        if public {
            problem.public()
        } else {
            problem.to_string()
        }
    };
    let warnings: Vec<String> = dataset
        .problems
        .warnings()
        .chain(&narrative_warnings)
        .map(shown)
        .collect();
    let mut reconciliation = quality::reconcile(&inputs)?;
    if public {
        for file in reconciliation.values_mut() {
            for row in &mut file.excluded {
                row.reason = row.public_reason.clone();
            }
        }
    }
    let mut sections = sections;
    let provenance = about::provenance(dataset, options);
    for (mut section, def) in [
        (
            quality::build(&inputs, &reconciliation, &warnings),
            &quality::SECTION,
        ),
        (about::build(&provenance), &about::SECTION),
    ] {
        section.complete_facts(def.facts);
        sections.push(section);
    }

    let info = |p: &Period| PeriodInfo {
        label: p.label.clone(),
        start: p.start,
        end: p.end,
        in_words: p.in_words(),
    };
    Ok(Report {
        kind: "annual".into(),
        audience: options.audience,
        suppress_below,
        title: "Complaints, representations and compliments: children's social care".into(),
        authority: options.authority.clone(),
        department: options.department.clone(),
        period: info(period),
        comparisons: inputs.slots.periods[..current].iter().map(info).collect(),
        headline,
        sections,
        reconciliation,
        warnings,
        provenance,
    })
}

/// A response whose working days cannot be counted (a date outside the calendar) must stop the
/// report rather than vanish from the averages.
fn check_calendar_coverage(prepared: &DataFrame, calendar: &Calendar) -> Result<()> {
    let uncounted = prepared
        .clone()
        .lazy()
        .filter(
            col(PERIOD)
                .is_not_null()
                .and(col("responded").is_not_null())
                .and(col(WORKING_DAYS).is_null()),
        )
        .select([col("received"), col("responded")])
        .collect()?;
    if uncounted.height() == 0 {
        return Ok(());
    }
    let dates = uncounted
        .column("received")?
        .date()?
        .as_date_iter()
        .chain(uncounted.column("responded")?.date()?.as_date_iter());
    let outside = dates
        .flatten()
        .find(|d| !calendar.covers(*d))
        .unwrap_or(calendar.last_day());
    Err(Error::Calendar(CalendarError::OutOfCoverage {
        date: outside,
        first: calendar.first_day(),
        last: calendar.last_day(),
    }))
}
