//! Documents built from a spec: its kind, what it is called, its default audience, how it
//! chooses the periods it compares, and its sections (registered in `registry`). The annual
//! report is one spec; the quarterly pack and the staff bulletin are others, on the same
//! quantities, publication pass and renderers.

use polars::prelude::*;

use super::frame::{self, Slots};
use super::inputs::Inputs;
use super::model::{self, Audience, Facts, PeriodInfo, Report, Section};
use super::{
    ReportOptions, about, check_calendar_coverage, key_findings, narrative, quality, registry,
};
use crate::error::{Error, Result};
use crate::load::Dataset;
use crate::load::contract::Source;
use crate::period::Period;
use crate::publication;

/// How a document chooses the periods it sets beside its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compare {
    /// The same span in up to `earlier_years` years before.
    EarlierYears,
}

/// A kind of document.
#[derive(Debug, Clone, Copy)]
pub struct DocumentSpec {
    /// `annual`: figures.json's `report`.
    pub kind: &'static str,
    /// What the cover calls it: "Annual report".
    pub name: &'static str,
    pub title: &'static str,
    pub default_audience: Audience,
    pub compare: Compare,
    /// Section ids, in order; the narrative's sections go among them.
    pub sections: &'static [&'static str],
}

/// The annual report's sections, in order (the narrative's go among them; data quality and
/// provenance close it).
pub const ANNUAL: DocumentSpec = DocumentSpec {
    kind: "annual",
    name: "Annual report",
    title: "Complaints, representations and compliments: children's social care",
    default_audience: Audience::Public,
    compare: Compare::EarlierYears,
    sections: &[
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
    ],
};

/// The annual report for `options.period`.
pub fn build_annual(dataset: &Dataset, options: &ReportOptions) -> Result<Report> {
    build(&ANNUAL, dataset, options)
}

/// The document `spec` describes, for `options.period`: its sections' figures, one publication
/// pass over all of them, the narrative placed among them, and — in public — an audit that
/// nothing hidden can be worked out.
pub fn build(spec: &DocumentSpec, dataset: &Dataset, options: &ReportOptions) -> Result<Report> {
    let period = &options.period;
    let mut slots = match spec.compare {
        Compare::EarlierYears => Slots::new(period, options.settings.earlier_years),
    };
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
        group_below: (options.audience == Audience::Public
            && options.policy.group_small
            && options.policy.suppress_below > 1)
            .then_some(options.policy.suppress_below),
        coverage: Default::default(),
        stage_times: Default::default(),
    };

    let mut built: Vec<Section> = Vec::new();
    for def in spec.sections.iter().filter_map(|id| registry::find(id)) {
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
        kind: spec.kind.into(),
        name: spec.name.into(),
        audience: options.audience,
        suppress_below,
        title: spec.title.into(),
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
