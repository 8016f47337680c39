//! Figures: one module per report section, each turning the loaded frames into tables, charts
//! and headline facts. Nothing here formats for an output format; the renderers do that.

pub mod frame;
pub mod inputs;
pub mod model;
pub mod quantity;
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
mod who;

use chrono::{DateTime, Utc};
use polars::prelude::*;
use serde::{Deserialize, Serialize};

use crate::calendar::{Calendar, CalendarError};
use crate::error::{Error, Result};
use crate::load::Dataset;
use crate::load::contract::Source;
use crate::period::Period;
use crate::publication::{self, Policy};
use frame::{PERIOD, Slots, WORKING_DAYS};
pub use inputs::Inputs;
use model::{Audience, Facts, PeriodInfo, Report, Section};
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
    /// What public output may show.
    pub policy: Policy,
    /// The configuration file and its fingerprint, for the provenance.
    pub config: Option<model::InputFile>,
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
        registry: Default::default(),
        coverage: Default::default(),
        stage_times: Default::default(),
    };

    let mut built: Vec<Section> = Vec::new();
    for def in ANNUAL_SECTIONS.iter().filter_map(|id| registry::find(id)) {
        if let registry::Build::Figures(build) = def.build {
            let mut section = build(&inputs)?;
            section.complete_facts(def.facts);
            built.push(section);
        }
    }
    // One pass decides what is shown, in every table and sentence at once.
    let registry = inputs.registry.take();
    publication::publish(&mut built, &registry, &options.policy, options.audience)?;
    let suppress_below = if options.audience == Audience::Public {
        options.policy.suppress_below
    } else {
        0
    };
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
    let report = Report {
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
        quantities: registry,
    };
    if report.suppress_below > 1 {
        let findings = publication::audit(&[&report], &options.policy);
        if !findings.is_empty() {
            let list: Vec<String> = findings.iter().map(ToString::to_string).collect();
            return Err(Error::Disclosure(list.join("; ")));
        }
    }
    Ok(report)
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
