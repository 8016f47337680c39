//! For tests that call the library rather than the binary: load a folder, build a document.

use std::path::Path;

use chrono::NaiveDate;
use report::calendar::Calendar;
use report::figures::document::{ALL, ANNUAL};
use report::figures::model::{Audience, Report};
use report::figures::{DocumentSpec, ReportOptions, Settings, build};
use report::load::{Dataset, LoadOptions, Mapping, load};
use report::period::{FinancialYear, Period};

/// A data folder read with the canonical mapping, dates after 1 January 2026 in the future,
/// keeping the words any internal document shows.
pub fn load_folder(dir: &Path) -> Dataset {
    let quoted: Vec<_> = ALL
        .iter()
        .flat_map(|spec| spec.quoted(Audience::Internal))
        .collect();
    load(&LoadOptions {
        data_dir: dir,
        mapping: &Mapping::default(),
        calendar: Calendar::england_and_wales(),
        today: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        quoted: &quoted,
    })
    .unwrap()
}

/// The annual report for `year`.
pub fn annual(dataset: &Dataset, year: FinancialYear, audience: Audience) -> Report {
    document(&ANNUAL, dataset, year.period(), audience)
}

/// The document `spec` describes for `period`, as at 1 January 2026, with the default policy.
pub fn document(
    spec: &DocumentSpec,
    dataset: &Dataset,
    period: Period,
    audience: Audience,
) -> Report {
    let settings = Settings::default();
    let label = period.label.clone();
    build(
        spec,
        dataset,
        &ReportOptions::plain(
            period,
            &settings,
            Calendar::england_and_wales(),
            NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            audience,
            format!("report {}", spec.kind),
        ),
    )
    .unwrap_or_else(|e| panic!("{} {label}: {e}", spec.kind))
}
