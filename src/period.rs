//! Reporting periods. Figures take a `Period`, never a hard-coded year, so the same code serves
//! the annual report, quarterly packs and any date range.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};

/// A financial year, 1 April to 31 March, written `2024-25`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FinancialYear {
    start_year: i32,
}

impl FinancialYear {
    pub fn starting(start_year: i32) -> Self {
        FinancialYear { start_year }
    }

    pub fn containing(date: NaiveDate) -> Self {
        let start_year = if date.month() >= 4 {
            date.year()
        } else {
            date.year() - 1
        };
        FinancialYear { start_year }
    }

    pub fn start_year(self) -> i32 {
        self.start_year
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.start_year, 4, 1).expect("valid date")
    }

    pub fn last_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.start_year + 1, 3, 31).expect("valid date")
    }

    pub fn previous(self) -> Self {
        FinancialYear::starting(self.start_year - 1)
    }

    pub fn period(self) -> Period {
        Period {
            label: self.to_string(),
            start: self.first_day(),
            end: self.last_day(),
        }
    }
}

impl fmt::Display for FinancialYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}-{:02}",
            self.start_year,
            (self.start_year + 1).rem_euclid(100)
        )
    }
}

impl FromStr for FinancialYear {
    type Err = String;

    /// `2024-25`, `2024/25`, `2024-2025`, `2024/2025` (an en dash is accepted too).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let text = s.trim();
        let explain = || {
            format!("'{text}' is not a financial year (write it as 2024-25, 2024/25 or 2024-2025)")
        };
        let (first, second) = text.split_once(['-', '/', '–']).ok_or_else(explain)?;
        if first.len() != 4 || !first.bytes().all(|b| b.is_ascii_digit()) {
            return Err(explain());
        }
        if !second.bytes().all(|b| b.is_ascii_digit()) || !(second.len() == 2 || second.len() == 4)
        {
            return Err(explain());
        }
        let start: i32 = first.parse().map_err(|_| explain())?;
        if !(1900..=2098).contains(&start) {
            return Err(format!(
                "'{text}' is not a financial year this tool can report on: the first year must be between 1900 and 2098"
            ));
        }
        let end: i32 = second.parse().map_err(|_| explain())?;
        let expected_end = if second.len() == 2 {
            (start + 1) % 100
        } else {
            start + 1
        };
        if end != expected_end {
            return Err(format!(
                "'{text}' is not a financial year: a year starting in April {start} ends in March {}",
                start + 1
            ));
        }
        Ok(FinancialYear::starting(start))
    }
}

/// A span of days, both ends included, with the label tables use for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub label: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Period {
    pub fn new(label: impl Into<String>, start: NaiveDate, end: NaiveDate) -> Self {
        Period {
            label: label.into(),
            start,
            end,
        }
    }

    pub fn contains(&self, date: NaiveDate) -> bool {
        (self.start..=self.end).contains(&date)
    }

    /// "1 April 2024 to 31 March 2025".
    pub fn in_words(&self) -> String {
        format!("{} to {}", long_date(self.start), long_date(self.end))
    }

    /// The same span of the calendar `years` years earlier (29 February becomes 28 February).
    pub fn years_earlier(&self, years: i32) -> Period {
        let shift = |d: NaiveDate| {
            NaiveDate::from_ymd_opt(d.year() - years, d.month(), d.day())
                .or_else(|| NaiveDate::from_ymd_opt(d.year() - years, d.month(), d.day() - 1))
                .expect("valid date")
        };
        let start = shift(self.start);
        let end = shift(self.end);
        let label = if start.month() == 4
            && start.day() == 1
            && end == FinancialYear::containing(start).last_day()
        {
            FinancialYear::containing(start).to_string()
        } else {
            format!("{} to {}", start.format("%d/%m/%Y"), end.format("%d/%m/%Y"))
        };
        Period { label, start, end }
    }

    /// The quarters of a financial year, for quarter-by-quarter tables.
    pub fn quarters(year: FinancialYear) -> [Period; 4] {
        let y = year.start_year();
        let d = |yy, m, dd| NaiveDate::from_ymd_opt(yy, m, dd).expect("valid date");
        [
            Period::new("Q1 (Apr–Jun)", d(y, 4, 1), d(y, 6, 30)),
            Period::new("Q2 (Jul–Sep)", d(y, 7, 1), d(y, 9, 30)),
            Period::new("Q3 (Oct–Dec)", d(y, 10, 1), d(y, 12, 31)),
            Period::new("Q4 (Jan–Mar)", d(y + 1, 1, 1), d(y + 1, 3, 31)),
        ]
    }

    /// Whole calendar months the period spans, for "per month" averages.
    pub fn months(&self) -> u32 {
        let months = (self.end.year() - self.start.year()) * 12 + self.end.month() as i32
            - self.start.month() as i32
            + 1;
        months.max(1) as u32
    }
}

/// "1 April 2024".
pub fn long_date(date: NaiveDate) -> String {
    format!("{} {}", date.day(), date.format("%B %Y"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn financial_year_spellings() {
        for text in ["2024-25", "2024/25", "2024-2025", "2024/2025", " 2024–25 "] {
            let year: FinancialYear = text.parse().unwrap();
            assert_eq!(year.to_string(), "2024-25", "{text}");
            assert_eq!(year.first_day(), ymd(2024, 4, 1));
            assert_eq!(year.last_day(), ymd(2025, 3, 31));
        }
        assert_eq!(
            "1999-00".parse::<FinancialYear>().unwrap().to_string(),
            "1999-00"
        );
    }

    #[test]
    fn bad_financial_years_say_why() {
        assert!(
            "2024-26"
                .parse::<FinancialYear>()
                .unwrap_err()
                .contains("ends in March 2025")
        );
        assert!("2024".parse::<FinancialYear>().is_err());
        assert!("24-25".parse::<FinancialYear>().is_err());
        assert!("2024-2026".parse::<FinancialYear>().is_err());
        assert!("abcd-ef".parse::<FinancialYear>().is_err());
        // Found by fuzzing: 0999-00 parsed, then printed as 999-00, which does not.
        assert!(
            "0999-00"
                .parse::<FinancialYear>()
                .unwrap_err()
                .contains("between 1900 and 2098")
        );
    }

    #[test]
    fn a_year_in_words() {
        let period = FinancialYear::starting(2024).period();
        assert_eq!(period.in_words(), "1 April 2024 to 31 March 2025");
        assert_eq!(period.months(), 12);
        assert_eq!(period.years_earlier(1).label, "2023-24");
        assert_eq!(period.years_earlier(3).start, ymd(2021, 4, 1));
    }

    #[test]
    fn years_containing_dates() {
        assert_eq!(
            FinancialYear::containing(ymd(2025, 3, 31)).to_string(),
            "2024-25"
        );
        assert_eq!(
            FinancialYear::containing(ymd(2025, 4, 1)).to_string(),
            "2025-26"
        );
    }

    #[test]
    fn quarters_cover_the_year_without_gaps() {
        let quarters = Period::quarters(FinancialYear::starting(2024));
        assert_eq!(quarters[0].start, ymd(2024, 4, 1));
        assert_eq!(quarters[3].end, ymd(2025, 3, 31));
        for pair in quarters.windows(2) {
            assert_eq!(pair[0].end.succ_opt().unwrap(), pair[1].start);
        }
    }
}
