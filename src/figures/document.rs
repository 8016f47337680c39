//! Documents built from a spec: its kind, what it is called, its default audience, how it
//! chooses the periods it compares, and its sections (registered in `registry`). The annual
//! report is one spec; the quarterly pack and the staff bulletin are others, on the same
//! quantities, publication pass and renderers.

use polars::prelude::*;

use super::ahead::Wanted;
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
    /// The quarter before and the same quarter a year earlier (and the last eight quarters for
    /// trends).
    Quarters,
    /// The same span one year earlier.
    YearEarlier,
}

/// The day learning actions are judged on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionsJudged {
    /// As at the data's date: overdue now.
    AsAt,
    /// At the period's end (or the as-at date, if earlier): overdue when the quarter ended.
    PeriodEnd,
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
    pub actions_judged: ActionsJudged,
    /// Section ids, in order; the narrative's sections go among them.
    pub sections: &'static [&'static str],
    /// The document leaves a marked place for the council's recommendations when the narrative
    /// has none (and the command says so).
    pub asks_for_recommendations: bool,
}

impl DocumentSpec {
    /// The personal free-text columns the document shows to `audience`: all of their words a
    /// run of it keeps. A public document is built beside every section any document could
    /// publish (see `build`), so it keeps what any of them would show in public.
    pub fn quoted(&self, audience: Audience) -> Vec<(Source, &'static str)> {
        let ids: Vec<&str> = match audience {
            Audience::Public => ALL
                .iter()
                .flat_map(|d| d.sections.iter().copied())
                .collect(),
            Audience::Internal => self.sections.to_vec(),
        };
        registry::quoted(&ids, audience)
    }
}

/// The annual report's sections, in order (the narrative's go among them; data quality and
/// provenance close it).
pub const ANNUAL: DocumentSpec = DocumentSpec {
    kind: "annual",
    name: "Annual report",
    title: "Complaints, representations and compliments: children's social care",
    default_audience: Audience::Public,
    compare: Compare::EarlierYears,
    actions_judged: ActionsJudged::AsAt,
    asks_for_recommendations: true,
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
        "glossary",
        "data-quality",
        "about",
    ],
};

pub const QUARTERLY: DocumentSpec = DocumentSpec {
    kind: "quarterly",
    name: "Quarterly monitoring pack",
    title: "Complaints, representations and compliments: children's social care",
    default_audience: Audience::Internal,
    compare: Compare::Quarters,
    actions_judged: ActionsJudged::PeriodEnd,
    asks_for_recommendations: false,
    sections: &[
        "key-findings",
        "received",
        "stage1",
        "later-stages",
        "trend",
        "open-cases",
        "outcomes",
        "nature",
        "services",
        "other-representations",
        "children",
        "ombudsman",
        "compliments",
        "actions",
        "equality",
        "data-quality",
        "about",
    ],
};

pub const BULLETIN: DocumentSpec = DocumentSpec {
    kind: "bulletin",
    name: "Learning from complaints and compliments",
    title: "Learning from complaints and compliments: quarterly bulletin",
    default_audience: Audience::Internal,
    compare: Compare::Quarters,
    actions_judged: ActionsJudged::PeriodEnd,
    asks_for_recommendations: false,
    sections: &[
        "at-a-glance",
        "good-practice",
        "learning-points",
        "actions-completed",
        "training",
    ],
};

pub const PERIOD: DocumentSpec = DocumentSpec {
    kind: "period",
    name: "Report",
    title: "Complaints, representations and compliments: children's social care",
    default_audience: Audience::Public,
    compare: Compare::YearEarlier,
    actions_judged: ActionsJudged::AsAt,
    asks_for_recommendations: true,
    sections: ANNUAL.sections,
};

/// A table with no rows says so, rather than showing an empty grid.
fn say_when_empty(sections: &mut [Section]) {
    for section in sections {
        if let model::SectionBody::Figures { tables, .. } = &mut section.body {
            for table in tables.iter_mut().filter(|t| t.rows.is_empty()) {
                table
                    .notes
                    .insert(0, "None were recorded in this period.".into());
            }
        }
    }
}

/// Every kind of document: a public one is suppressed as if it published what all of them do.
pub const ALL: [&DocumentSpec; 4] = [&ANNUAL, &QUARTERLY, &BULLETIN, &PERIOD];

/// The annual report for `options.period`.
pub fn build_annual(dataset: &Dataset, options: &ReportOptions) -> Result<Report> {
    build(&ANNUAL, dataset, options)
}

/// The document `spec` describes, for `options.period`: its sections' figures, one publication
/// pass over all of them, the narrative placed among them, and — in public — an audit that
/// nothing hidden can be worked out.
pub fn build(spec: &DocumentSpec, dataset: &Dataset, options: &ReportOptions) -> Result<Report> {
    build_working_ahead(spec, dataset, options, true)
}

/// `build`, with the counts the sections share worked out on the other core while the first
/// sections are built (`ahead`), or (`false`) by the sections that ask for them.
fn build_working_ahead(
    spec: &DocumentSpec,
    dataset: &Dataset,
    options: &ReportOptions,
    work_ahead: bool,
) -> Result<Report> {
    let period = &options.period;
    let mut slots = match spec.compare {
        Compare::EarlierYears => Slots::new(period, options.settings.earlier_years),
        Compare::Quarters => Slots::quarters(period),
        Compare::YearEarlier => Slots::new(period, 1),
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

    // Tagging the periods (a polars query) and counting working days (a loop of our own) read
    // different columns, so they run side by side: at a million rows each took about 20 ms, all
    // of it before any section could start.
    let (tagged, working_days) = std::thread::scope(|scope| {
        let counted =
            scope.spawn(|| frame::working_days(&dataset.representations, options.calendar));
        let tagged = frame::tag_periods(dataset.representations.clone().lazy(), "received", &slots)
            .collect();
        let counted = counted
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (tagged, counted)
    });
    let mut prepared = tagged?;
    for column in working_days? {
        prepared.with_column(column)?;
    }
    check_calendar_coverage(&prepared, options.calendar)?;

    let inputs = Inputs {
        dataset,
        settings: options.settings,
        period,
        slots,
        representations: prepared,
        as_at: match spec.actions_judged {
            ActionsJudged::AsAt => options.as_at,
            ActionsJudged::PeriodEnd => options.as_at.min(period.end),
        },
        data_as_at: options.as_at,
        calendar: options.calendar,
        over_time: match spec.compare {
            Compare::EarlierYears => "year on year",
            Compare::Quarters => "by quarter",
            Compare::YearEarlier => "against a year earlier",
        },
        period_noun: match spec.compare {
            Compare::EarlierYears => "year",
            Compare::Quarters => "quarter",
            Compare::YearEarlier => "period",
        },
        audience: options.audience,
        registry: Default::default(),
        group_below: (options.audience == Audience::Public
            && options.policy.group_small
            && options.policy.suppress_below > 1)
            .then_some(options.policy.suppress_below),
        coverage: Default::default(),
        stage_times: Default::default(),
        route_cube: Default::default(),
        worked: Default::default(),
        board: Default::default(),
    };

    let defs: Vec<&registry::SectionDef> = spec
        .sections
        .iter()
        .map(|id| registry::find(id).expect("a document names registered sections"))
        .collect();
    // A public document's suppression pass sees every quantity any document could publish
    // about its periods, built in one order whatever the document: so a quarter is hidden the
    // same way in the bulletin as in the pack, and the two together give nothing away.
    let public = options.audience == Audience::Public && options.policy.suppress_below > 1;
    let in_universe = |def: &&&registry::SectionDef| {
        spec.sections.contains(&def.id)
            || (public && ALL.iter().any(|other| other.sections.contains(&def.id)))
    };
    let mut by_id: Vec<(&'static str, Section)> = Vec::new();
    let universe: Vec<&registry::SectionDef> = registry::SECTIONS
        .iter()
        .filter(in_universe)
        .copied()
        .collect();
    // What the sections will want worked out, in the order they want it: the other core works
    // up the list from its end meanwhile (`ahead`).
    let mut wanted: Vec<Wanted> = Vec::new();
    for want in universe.iter().flat_map(|def| def.ahead) {
        if want.asked_for(period) && !wanted.contains(want) {
            wanted.push(*want);
        }
    }
    let (board, frames) = (&inputs.board, inputs.frames());
    std::thread::scope(|scope| -> Result<()> {
        if work_ahead {
            scope.spawn(move || board.work(&wanted, |want| want.make(&frames)));
        }
        let built = universe.iter().try_for_each(|def| -> Result<()> {
            if let registry::Build::Figures(build) = def.build {
                let mut section = build(&inputs)?;
                section.complete_facts(def.facts);
                by_id.push((def.id, section));
            }
            Ok(())
        });
        // Nothing more is wanted: the other core stops once it has made what it is making.
        board.finish();
        built
    })?;
    let mut built: Vec<Section> = defs
        .iter()
        .filter(|def| matches!(def.build, registry::Build::Figures(_)))
        .map(|def| {
            let at = by_id
                .iter()
                .position(|(id, _)| *id == def.id)
                .expect("built above");
            by_id.swap_remove(at).1
        })
        .collect();
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

    // Public output takes each problem's public text: no cell values, no case dates.
    let public = options.audience == Audience::Public;
    let (narrative_text, narrative_warnings) = match &options.narrative {
        Some((name, text)) => narrative::neutralise(name, text),
        None => (String::new(), Vec::new()),
    };
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
    let provenance = about::provenance(dataset, options);

    // The spec's order; the narrative's sections go among the body, before the closing ones.
    let mut built = built.into_iter();
    let mut body = Vec::new();
    let mut closing = Vec::new();
    for def in &defs {
        let mut section = match def.build {
            registry::Build::Figures(_) => built.next().expect("built above, in order"),
            registry::Build::KeyFindings => key_findings::build(&headline),
            registry::Build::DataQuality => quality::build(&inputs, &reconciliation, &warnings),
            registry::Build::About => about::build(&provenance),
        };
        // The key findings' facts are the figures sections', already complete.
        if !matches!(def.build, registry::Build::KeyFindings) {
            section.complete_facts(def.facts);
        }
        match def.build {
            registry::Build::DataQuality | registry::Build::About => closing.push(section),
            _ => body.push(section),
        }
    }
    let mut sections = narrative::parse(&narrative_text).place(body, spec.asks_for_recommendations);
    sections.extend(closing);
    say_when_empty(&mut sections);

    let info = |p: &Period| PeriodInfo {
        label: p.label.clone(),
        start: p.start,
        end: p.end,
        in_words: p.in_words(),
        in_text: p.in_text(),
        kind: p.kind_name().into(),
    };
    let report = Report {
        kind: spec.kind.into(),
        name: spec.name.into(),
        provisional: options.provisional,
        audience: options.audience,
        suppress_below,
        title: spec.title.into(),
        authority: options.authority.clone(),
        department: options.department.clone(),
        published: options.published,
        contact: options.contact.clone(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Calendar;
    use crate::figures::Settings;
    use crate::load::{LoadOptions, Mapping};
    use crate::period::FinancialYear;
    use chrono::NaiveDate;

    /// Whether the counts the sections share are worked out ahead on the other core or by the
    /// sections that ask for them, every document is the same, figure for figure and in what
    /// it hides (everything a renderer is given): the sample data's annual report, quarterly
    /// pack, bulletin and a period, each in both audiences.
    #[test]
    fn working_ahead_changes_no_document() {
        let folder = tempfile::tempdir().unwrap();
        let year = FinancialYear::starting(2024);
        let sample = crate::sample::SampleOptions {
            last_year: year,
            ..Default::default()
        };
        crate::sample::generate(&sample, folder.path()).unwrap();
        let quoted: Vec<_> = ALL
            .iter()
            .flat_map(|spec| spec.quoted(Audience::Internal))
            .collect();
        let calendar = Calendar::england_and_wales();
        let as_at = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap();
        let dataset = crate::load::load(&LoadOptions {
            data_dir: folder.path(),
            mapping: &Mapping::default(),
            calendar,
            today: as_at,
            quoted: &quoted,
        })
        .unwrap();
        let settings = Settings::default();
        let periods = [
            year.period(),
            year.quarter(4),
            year.quarter(4),
            Period::new(
                "October 2024 to March 2025",
                NaiveDate::from_ymd_opt(2024, 10, 1).unwrap(),
                NaiveDate::from_ymd_opt(2025, 3, 31).unwrap(),
            ),
        ];
        for (spec, period) in ALL.iter().zip(periods) {
            for audience in [Audience::Public, Audience::Internal] {
                let command = format!("report {}", spec.kind);
                let options = ReportOptions::plain(
                    period.clone(),
                    &settings,
                    calendar,
                    as_at,
                    audience,
                    command,
                );
                let made = |work_ahead| {
                    let report = build_working_ahead(spec, &dataset, &options, work_ahead);
                    serde_json::to_string(&report.unwrap()).unwrap()
                };
                assert_eq!(made(true), made(false), "{} {audience:?}", spec.kind);
            }
        }
    }
}
