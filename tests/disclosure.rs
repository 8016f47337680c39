//! The attacker's audit over real reports: no hidden count can be recovered from any public
//! report of the sample data or of generated data sets, alone or with the earlier years'
//! reports; and the auditor is shown to fail when a table leaks.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use common::library::{annual, document, load_folder};
use polars::prelude::{DataFrame, DataType};
use report::calendar::Calendar;
use report::figures::document::{ANNUAL, BULLETIN, PERIOD, QUARTERLY};
use report::figures::model::{Audience, Cell, Report, SectionBody, Symbol};
use report::figures::quantity::{Key, Relation};
use report::load::columns::WITHHELD;
use report::load::contract::Source;
use report::load::{Dataset, LoadOptions, Mapping, load};
use report::period::{FinancialYear, Period};
use report::publication::{Policy, audit};
use report::sample::{SampleOptions, generate};

fn generated(seed: u64, scale: u32) -> (tempfile::TempDir, Dataset) {
    let dir = tempfile::tempdir().unwrap();
    generate(
        &SampleOptions {
            seed,
            scale,
            ..SampleOptions::default()
        },
        dir.path(),
    )
    .unwrap();
    let dataset = load_folder(dir.path());
    (dir, dataset)
}

/// Which quantities each table cell of a report hides, by key.
fn hidden_keys(report: &Report) -> BTreeMap<Key, bool> {
    let mut out = BTreeMap::new();
    for table in report.tables().filter(|t| !t.exempt) {
        for row in &table.rows {
            for (cell, source) in row.cells.iter().zip(&row.sources) {
                if let Some(q) = source {
                    let quantity = report.quantities.get(*q);
                    if quantity.count().is_some() {
                        out.insert(
                            quantity.key.clone(),
                            matches!(cell, Cell::Symbol(Symbol::Suppressed)),
                        );
                    }
                }
            }
        }
    }
    out
}

#[test]
fn the_sample_datas_public_report_gives_nothing_away() {
    let dataset = load_folder(&Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data"));
    let report = annual(&dataset, FinancialYear::starting(2024), Audience::Public);
    let hidden = hidden_keys(&report).values().filter(|h| **h).count();
    assert!(hidden > 20, "the sample has small counts to hide: {hidden}");
    assert_eq!(audit(&[&report], &Policy::default()), vec![]);
}

/// Twenty-three generated councils, of three sizes: every public report passes the audit
/// (`build_annual` refuses one that does not, so building it is half the test).
#[test]
fn generated_councils_public_reports_give_nothing_away() {
    let mut hidden = 0;
    for (seed, scale) in (1..=20).map(|s| (s, 1)).chain([(21, 3), (22, 3), (23, 6)]) {
        let (_dir, dataset) = generated(seed, scale);
        let report = annual(&dataset, FinancialYear::starting(2024), Audience::Public);
        assert_eq!(
            audit(&[&report], &Policy::default()),
            vec![],
            "seed {seed}, scale {scale}"
        );
        hidden += hidden_keys(&report).values().filter(|h| **h).count();
    }
    assert!(hidden > 200, "{hidden} hidden cells in all");
}

/// A council's four consecutive annual reports, made from the same export, audited together:
/// each year is hidden the same way in every report that shows it, so together they give away
/// nothing any one does not.
#[test]
fn four_consecutive_years_audited_together_give_nothing_away() {
    for seed in [2025, 7] {
        let (_dir, dataset) = generated(seed, 1);
        let reports: Vec<Report> = (2021..=2024)
            .map(|y| annual(&dataset, FinancialYear::starting(y), Audience::Public))
            .collect();
        let refs: Vec<&Report> = reports.iter().collect();
        assert_eq!(audit(&refs, &Policy::default()), vec![], "seed {seed}");
        // The 2023-24 column of the 2024-25 report is hidden exactly as in the 2023-24 report.
        let (earlier, later) = (hidden_keys(&reports[2]), hidden_keys(&reports[3]));
        let mut compared = 0;
        for (key, hidden) in &later {
            if let Some(before) = earlier.get(key) {
                assert_eq!(hidden, before, "{}", key.id());
                compared += 1;
            }
        }
        assert!(compared > 50, "{compared} cells compared");
    }
}

/// A year's quarterly packs and bulletins, its annual report and a half-year report, all made from one export and
/// audited together: each quarter is hidden the same way in every pack that shows it (the pack
/// for Q3 shows Q2 and the Q3 a year earlier too), so together they give nothing away.
#[test]
fn a_years_public_quarterly_packs_and_bulletins_give_nothing_away() {
    for seed in [3, 19] {
        let (_dir, dataset) = generated(seed, 1);
        let year = FinancialYear::starting(2024);
        let mut reports = vec![annual(&dataset, year, Audience::Public)];
        for q in 1..=4 {
            for spec in [&QUARTERLY, &BULLETIN] {
                reports.push(document(spec, &dataset, year.quarter(q), Audience::Public));
            }
        }
        // And a half-year, as a council reports when its recording changed.
        reports.push(document(
            &PERIOD,
            &dataset,
            Period::range(
                NaiveDate::from_ymd_opt(2024, 10, 1).unwrap(),
                NaiveDate::from_ymd_opt(2025, 3, 31).unwrap(),
            ),
            Audience::Public,
        ));
        let refs: Vec<&Report> = reports.iter().collect();
        assert_eq!(audit(&refs, &Policy::default()), vec![], "seed {seed}");
        let (q2, q3) = (hidden_keys(&reports[3]), hidden_keys(&reports[5]));
        let compared = q3
            .iter()
            .filter(|(key, _)| q2.contains_key(*key))
            .inspect(|(key, hidden)| assert_eq!(q2[*key], **hidden, "{}", key.id()))
            .count();
        assert!(compared > 10, "{compared} cells of Q2 compared");
    }
}

/// Every kind of document over twenty generated councils and a larger one: a public quarterly
/// pack, bulletin and half-year report from each (building one runs the audit), audited together.
#[test]
fn generated_councils_public_packs_bulletins_and_periods_give_nothing_away() {
    let half_year = Period::range(
        NaiveDate::from_ymd_opt(2024, 10, 1).unwrap(),
        NaiveDate::from_ymd_opt(2025, 3, 31).unwrap(),
    );
    for (seed, scale) in (1..=20).map(|s| (s, 1)).chain([(23, 3)]) {
        let (_dir, dataset) = generated(seed, scale);
        let quarter = FinancialYear::starting(2024).quarter(3);
        let reports = [
            document(&QUARTERLY, &dataset, quarter.clone(), Audience::Public),
            document(&BULLETIN, &dataset, quarter, Audience::Public),
            document(&PERIOD, &dataset, half_year.clone(), Audience::Public),
        ];
        let refs: Vec<&Report> = reports.iter().collect();
        assert_eq!(
            audit(&refs, &Policy::default()),
            vec![],
            "seed {seed}, scale {scale}"
        );
    }
}

/// The auditor can fail: take a public report, find a hidden count in a sum, and show every
/// other hidden count of that sum (as a careless edit or a bug might). The count is then the
/// total less what is shown, and the audit must say so.
#[test]
fn the_auditor_catches_a_leaky_table() {
    let dataset = load_folder(&Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data"));
    let mut report = annual(&dataset, FinancialYear::starting(2024), Audience::Public);
    let registry = report.quantities.clone();
    let hidden: BTreeMap<Key, bool> = hidden_keys(&report);
    let is_hidden = |q| hidden.get(&registry.get(q).key).copied().unwrap_or(false);
    let (victim, revealed) = registry
        .relations()
        .iter()
        .find_map(|relation| match relation {
            Relation::Sum { total, parts } if !is_hidden(*total) => {
                let hidden_parts: Vec<_> =
                    parts.iter().copied().filter(|p| is_hidden(*p)).collect();
                (hidden_parts.len() >= 2).then(|| (hidden_parts[0], hidden_parts[1..].to_vec()))
            }
            _ => None,
        })
        .expect("a sum with two hidden parts and a shown total");
    // Reveal the others, in every cell that shows them.
    let mut shown = 0;
    for section in &mut report.sections {
        if let SectionBody::Figures { tables, .. } = &mut section.body {
            for table in tables {
                for row in &mut table.rows {
                    for (cell, source) in row.cells.iter_mut().zip(&row.sources) {
                        if let Some(q) = source
                            && revealed.contains(q)
                        {
                            *cell = Cell::Count(registry.get(*q).count().unwrap());
                            shown += 1;
                        }
                    }
                }
            }
        }
    }
    assert!(shown > 0);
    let findings = audit(&[&report], &Policy::default());
    let victim_id = registry.get(victim).key.id();
    let value = registry.get(victim).count().unwrap();
    assert!(
        findings.iter().any(|f| f.quantity == victim_id
            && f.problem == format!("hidden, but it can be worked out: {value}")),
        "the leak of {victim_id} was not caught: {findings:?}"
    );
}

/// Showing a hidden count in a sentence is caught too: the audit reads the sentences.
#[test]
fn the_auditor_reads_sentences() {
    let dataset = load_folder(&Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data"));
    let mut report = annual(&dataset, FinancialYear::starting(2024), Audience::Public);
    let mut leaked = None;
    for section in &mut report.sections {
        if let SectionBody::Figures { facts, links, .. } = &mut section.body {
            for link in links.iter() {
                if let report::figures::model::FactSource::Quantity(q) = link.source
                    && facts.get(&link.key)
                        == Some(&report::figures::model::Fact::Symbol(Symbol::Suppressed))
                    && leaked.is_none()
                {
                    let value = report.quantities.get(q).count();
                    if let Some(value) = value {
                        facts.insert(
                            link.key.clone(),
                            report::figures::model::Fact::Number(value as f64),
                        );
                        leaked = Some(q);
                    }
                }
            }
        }
    }
    let q = leaked.expect("a hidden count in a sentence");
    let findings = audit(&[&report], &Policy::default());
    let id = report.quantities.get(q).key.id();
    assert!(
        findings
            .iter()
            .any(|f| f.quantity == id && f.problem.contains("and hidden in another")),
        "{id} stated in a sentence was not caught: {findings:?}"
    );
}

fn load_quoting(dir: &Path, quoted: &[(Source, &'static str)]) -> Dataset {
    load(&LoadOptions {
        data_dir: dir,
        mapping: &Mapping::default(),
        calendar: Calendar::england_and_wales(),
        today: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        quoted,
    })
    .unwrap()
}

/// Every string cell of every frame of `dataset`.
fn strings_held(dataset: &Dataset) -> Vec<String> {
    let frames = [
        Some(&dataset.representations),
        dataset.compliments.as_ref(),
        dataset.actions.as_ref(),
    ];
    let mut held = Vec::new();
    for frame in frames.into_iter().flatten() {
        for column in frame.columns() {
            // Labels too: a withheld column is held as a label of one spelling.
            if let Ok(strings) = column.cast(&DataType::String)
                && let Ok(strings) = strings.str()
            {
                held.extend(strings.iter().flatten().map(str::to_string));
            }
        }
    }
    held
}

/// The fixture's personal words (its learning, references and action text, worked out from its
/// CSV files) are not even held by a public run: only its compliments' words are, which a public
/// report quotes, and only those whose authors consented (K1, K2 and K4 say yes to publish; K0
/// and K3 no). Whether a cell was filled still counts.
#[test]
fn a_public_run_never_holds_the_personal_words_it_does_not_publish() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/quarterly-small");
    let quoted = ANNUAL.quoted(Audience::Public);
    assert_eq!(quoted, vec![(Source::Compliments, "text")]);
    for spec in [&QUARTERLY, &BULLETIN, &PERIOD] {
        assert_eq!(spec.quoted(Audience::Public), quoted, "{}", spec.kind);
    }
    let dataset = load_quoting(&dir, &quoted);
    let held = strings_held(&dataset);
    for secret in [
        "Confirm visits in writing",
        "Reply to letters within five working days",
        "Introduce a new worker in person",
        "Calls returned within a working day.",
        "Update the leaflet",
        "A2",
        "B1",
        "K2",
        "Kind words",
        "You listened",
    ] {
        assert!(!held.iter().any(|s| s.contains(secret)), "{secret} is held");
    }
    let filled = |frame: &DataFrame, column: &str| -> Vec<String> {
        let values = frame
            .column(column)
            .unwrap()
            .cast(&DataType::String)
            .unwrap();
        let values = values.str().unwrap().clone();
        values.iter().flatten().map(str::to_string).collect()
    };
    let compliments = dataset.compliments.as_ref().unwrap();
    assert_eq!(
        filled(compliments, "text"),
        [
            WITHHELD,
            "Thank you for everything",
            "Always calls back",
            WITHHELD,
            "Lovely"
        ]
    );
    let withheld = |n: usize| vec![WITHHELD.to_string(); n];
    // Three representations record learning (B1, A2 at stage 1, A6) and all eleven a reference.
    assert_eq!(filled(&dataset.representations, "learning"), withheld(3));
    assert_eq!(filled(&dataset.representations, "reference"), withheld(11));
    assert_eq!(filled(compliments, "learning"), withheld(1));
    assert_eq!(filled(compliments, "reference"), withheld(5));
    let actions = dataset.actions.as_ref().unwrap();
    assert_eq!(filled(actions, "action"), withheld(4));
}

/// Each internal document, loaded with only the words its own sections declare, shows no
/// withheld cell: a section that showed a column it had not declared would fail here.
#[test]
fn each_internal_document_keeps_the_words_it_shows() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/quarterly-small");
    let quarter = FinancialYear::starting(2025).quarter(1);
    for (spec, period, shows) in [
        (&ANNUAL, FinancialYear::starting(2025).period(), "A6"),
        (&QUARTERLY, quarter.clone(), "A3"),
        (
            &BULLETIN,
            quarter,
            "Reply to letters within five working days",
        ),
    ] {
        let dataset = load_quoting(&dir, &spec.quoted(Audience::Internal));
        let report = document(spec, &dataset, period, Audience::Internal);
        let json = serde_json::to_string(&report).unwrap();
        assert!(!json.contains(WITHHELD), "{}", spec.kind);
        assert!(json.contains(shows), "{} shows {shows}", spec.kind);
    }
}
