//! Working days in England & Wales: weekdays that are not bank holidays (nor, where a council
//! says so, its own closure days).
//!
//! Every question is answered from one array of cumulative working-day counts, so counting the
//! working days between two dates is two look-ups whatever the distance, and a million rows cost
//! a million look-ups rather than a walk over each row's days.

mod rules;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate, Weekday};

pub use rules::easter_sunday;

/// The published list of bank holidays (GOV.UK and the proclamations), 2000 to the last year
/// published. Weekend dates are left out: they never change a count of working days.
const PUBLISHED: &str = include_str!("../../data/bank-holidays-england-and-wales.csv");

/// The calendar runs to the end of this year, projecting from the rules after the published list.
const LAST_COVERED_YEAR: i32 = 2030;
const FIRST_COVERED_YEAR: i32 = 2000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HolidayKind {
    Regular,
    Substitute,
    /// A regular holiday moved by proclamation (e.g. the 2020 early May holiday to VE day).
    Moved,
    /// A one-off holiday (jubilees, royal weddings, the 2022 state funeral, the 2023 coronation).
    OneOff,
    /// A day the council's offices are closed, from its own configuration.
    Closure,
}

impl fmt::Display for HolidayKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            HolidayKind::Regular => "regular",
            HolidayKind::Substitute => "substitute",
            HolidayKind::Moved => "moved",
            HolidayKind::OneOff => "one-off",
            HolidayKind::Closure => "closure",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    pub date: NaiveDate,
    pub name: String,
    pub kind: HolidayKind,
    /// Derived from the statutory rules for a year not yet published, so it may still change.
    pub projected: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("{date} is outside the working-day calendar, which covers {first} to {last}")]
    OutOfCoverage {
        date: NaiveDate,
        first: NaiveDate,
        last: NaiveDate,
    },
}

#[derive(Debug, Clone)]
pub struct Calendar {
    first: NaiveDate,
    last: NaiveDate,
    holidays: BTreeMap<NaiveDate, Holiday>,
    /// `cumulative[i]` is the number of working days from `first` up to and including
    /// `first + i` days.
    cumulative: Vec<u32>,
}

static ENGLAND_AND_WALES: LazyLock<Calendar> = LazyLock::new(build_england_and_wales);

/// Day 0 of a polars date column.
const EPOCH: NaiveDate = NaiveDate::from_ymd_opt(1970, 1, 1).expect("a valid date");

/// The days from 1 January 1970 to `date`: how a polars date column stores it.
pub fn day_number(date: NaiveDate) -> i64 {
    (date - EPOCH).num_days()
}

/// The date `day` days after 1 January 1970: `day_number`'s inverse, for a polars date's
/// stored value. `None` beyond the dates chrono can hold.
pub fn date_of_day(day: i64) -> Option<NaiveDate> {
    EPOCH.checked_add_signed(chrono::TimeDelta::try_days(day)?)
}

impl Calendar {
    /// The built-in England & Wales calendar: published holidays, then projected ones.
    pub fn england_and_wales() -> &'static Calendar {
        &ENGLAND_AND_WALES
    }

    /// This calendar with the council's own closure days (e.g. between Christmas and New Year)
    /// also counted as non-working days.
    pub fn with_closures(&self, closures: &[NaiveDate]) -> Result<Calendar, CalendarError> {
        let mut holidays = self.holidays.clone();
        for &date in closures {
            self.check_covered(date)?;
            holidays.entry(date).or_insert_with(|| Holiday {
                date,
                name: "Council closure day".to_string(),
                kind: HolidayKind::Closure,
                projected: false,
            });
        }
        Ok(Calendar::new(self.first, self.last, holidays))
    }

    fn new(first: NaiveDate, last: NaiveDate, holidays: BTreeMap<NaiveDate, Holiday>) -> Self {
        let mut cumulative = Vec::with_capacity((last - first).num_days() as usize + 1);
        let mut count = 0u32;
        for day in first.iter_days().take_while(|d| *d <= last) {
            if !is_weekend(day) && !holidays.contains_key(&day) {
                count += 1;
            }
            cumulative.push(count);
        }
        Calendar {
            first,
            last,
            holidays,
            cumulative,
        }
    }

    pub fn first_day(&self) -> NaiveDate {
        self.first
    }

    pub fn last_day(&self) -> NaiveDate {
        self.last
    }

    pub fn covers(&self, date: NaiveDate) -> bool {
        (self.first..=self.last).contains(&date)
    }

    /// The last year whose holidays all come from the published list rather than the rules.
    pub fn last_published_year(&self) -> i32 {
        self.holidays
            .values()
            .filter(|h| !h.projected && h.kind != HolidayKind::Closure)
            .map(|h| h.date.year())
            .max()
            .unwrap_or(FIRST_COVERED_YEAR)
    }

    pub fn holiday(&self, date: NaiveDate) -> Option<&Holiday> {
        self.holidays.get(&date)
    }

    pub fn holidays(&self) -> impl Iterator<Item = &Holiday> {
        self.holidays.values()
    }

    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        self.check_covered(date)?;
        Ok(!is_weekend(date) && !self.holidays.contains_key(&date))
    }

    /// Working days `d` with `from < d <= to`: the day of receipt is day 0, so a response on the
    /// next working day took 1. Negative when `to` is before `from`.
    pub fn working_days(&self, from: NaiveDate, to: NaiveDate) -> Result<i64, CalendarError> {
        Ok(i64::from(self.ordinal(to)?) - i64::from(self.ordinal(from)?))
    }

    /// The number of working days from the start of the calendar up to and including `date`.
    /// Differences of ordinals are working-day counts, each a lookup rather than a loop over
    /// the days between.
    pub fn ordinal(&self, date: NaiveDate) -> Result<u32, CalendarError> {
        self.check_covered(date)?;
        Ok(self.cumulative[(date - self.first).num_days() as usize])
    }

    /// `ordinal` of the date whose `day_number` is `day`, `None` outside the calendar: a
    /// frame's dates are looked up without becoming dates, and where the calendar starts is
    /// worked out once, not for every cell.
    pub fn ordinal_of_day(&self) -> impl Fn(i32) -> Option<u32> + '_ {
        let first = day_number(self.first);
        move |day| {
            usize::try_from(i64::from(day) - first)
                .ok()
                .and_then(|index| self.cumulative.get(index).copied())
        }
    }

    /// The date on which `n` working days have passed since `from` (for n > 0, always a working
    /// day): the deadline of a response due within `n` working days.
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        let target = self.ordinal(from)? + n;
        let index = self.cumulative.partition_point(|&c| c < target);
        if index >= self.cumulative.len() {
            return Err(CalendarError::OutOfCoverage {
                date: self.last + chrono::Days::new(1),
                first: self.first,
                last: self.last,
            });
        }
        Ok(self.first + chrono::Days::new(index as u64))
    }

    fn check_covered(&self, date: NaiveDate) -> Result<(), CalendarError> {
        if self.covers(date) {
            Ok(())
        } else {
            Err(CalendarError::OutOfCoverage {
                date,
                first: self.first,
                last: self.last,
            })
        }
    }
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

fn build_england_and_wales() -> Calendar {
    let mut holidays = BTreeMap::new();
    for holiday in parse_published(PUBLISHED) {
        holidays.insert(holiday.date, holiday);
    }
    let last_published = holidays.keys().map(|d| d.year()).max().unwrap_or(0);
    for year in (last_published + 1)..=LAST_COVERED_YEAR {
        for holiday in rules::holidays_for_year(year) {
            holidays.insert(holiday.date, holiday);
        }
    }
    let first = NaiveDate::from_ymd_opt(FIRST_COVERED_YEAR, 1, 1).expect("valid date");
    let last = NaiveDate::from_ymd_opt(LAST_COVERED_YEAR, 12, 31).expect("valid date");
    Calendar::new(first, last, holidays)
}

/// The embedded list is part of the binary and checked by the tests, so a malformed line is a
/// build defect, not user input: it panics with the line.
fn parse_published(text: &str) -> Vec<Holiday> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    reader
        .records()
        .map(|record| {
            let record = record.expect("embedded holiday list is valid CSV");
            let date = NaiveDate::parse_from_str(&record[0], "%Y-%m-%d")
                .unwrap_or_else(|_| panic!("bad date in embedded holiday list: {record:?}"));
            let kind = match &record[2] {
                "regular" => HolidayKind::Regular,
                "substitute" => HolidayKind::Substitute,
                "moved" => HolidayKind::Moved,
                "one-off" => HolidayKind::OneOff,
                other => panic!("unknown holiday kind {other:?} in embedded list"),
            };
            Holiday {
                date,
                name: record[1].to_string(),
                kind,
                projected: false,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
