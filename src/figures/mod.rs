//! Figures: one module per report section, each turning the loaded frames into tables, charts
//! and headline facts. Nothing here formats for an output format; the renderers do that.

pub mod counts;
pub mod frame;
pub mod inputs;
pub mod model;
pub mod quantity;
pub mod tables;
pub mod timescales;

mod about;
mod actions;
mod actions_completed;
mod ahead;
mod arrays;
mod at_a_glance;
mod children;
mod compliments;
pub mod document;
mod equality;
mod glossary;
mod good_practice;
mod key_findings;
mod later_stages;
mod learning_points;
pub mod narrative;
mod nature;
mod ombudsman;
mod open_cases;
mod other_representations;
mod outcomes;
mod quality;
mod received;
pub mod registry;
mod service;
mod stage1;
#[cfg(test)]
mod testing;
mod training;
mod trend;
mod who;

use chrono::NaiveDate;
use polars::prelude::*;
use serde::{Deserialize, Serialize};

use crate::calendar::{Calendar, CalendarError};
use crate::error::{Error, Result};
use crate::period::Period;
use crate::publication::Policy;
pub use document::{DocumentSpec, build, build_annual};
use frame::{PERIOD, WORKING_DAYS};
pub use inputs::Inputs;
use model::Audience;
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
    /// The cover's date of publication and contact, from `report.toml`.
    pub published: Option<NaiveDate>,
    pub contact: Option<String>,
    pub command: String,
    /// The date figures are as at: open cases, overdue actions.
    pub as_at: NaiveDate,
    /// The period had not ended by the as-at date.
    pub provisional: bool,
    pub audience: Audience,
    /// What public output may show.
    pub policy: Policy,
    /// The configuration file and its fingerprint, for the provenance.
    pub config: Option<model::InputFile>,
}

impl<'a> ReportOptions<'a> {
    /// Options for `period` as at `as_at` with nothing from a configuration or a narrative: no
    /// cover details, the default publication policy, a final (not provisional) report.
    pub fn plain(
        period: Period,
        settings: &'a Settings,
        calendar: &'a Calendar,
        as_at: NaiveDate,
        audience: Audience,
        command: String,
    ) -> ReportOptions<'a> {
        ReportOptions {
            period,
            settings,
            calendar,
            narrative: None,
            authority: None,
            department: None,
            published: None,
            contact: None,
            command,
            as_at,
            provisional: false,
            audience,
            policy: Policy::default(),
            config: None,
        }
    }
}

/// A response whose working days cannot be counted (a date outside the calendar) must stop the
/// report rather than vanish from the averages.
pub(crate) fn check_calendar_coverage(prepared: &DataFrame, calendar: &Calendar) -> Result<()> {
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
