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
            kind: Kind::Year(self),
        }
    }

    /// Quarter `q` (1 to 4) of the year: Q1 is April to June, Q4 January to March.
    pub fn quarter(self, q: u8) -> Period {
        let (start_month, year) = match q {
            1 => (4, self.start_year),
            2 => (7, self.start_year),
            3 => (10, self.start_year),
            _ => (1, self.start_year + 1),
        };
        let start = NaiveDate::from_ymd_opt(year, start_month, 1).expect("valid date");
        let end = start
            .checked_add_months(chrono::Months::new(3))
            .and_then(|d| d.pred_opt())
            .expect("valid date");
        Period {
            label: format!("{self} Q{q}"),
            start,
            end,
            kind: Kind::Quarter(self, q),
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

/// What a period is: the shapes reports are made for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// 1 April to 31 March.
    Year(FinancialYear),
    /// A quarter of a financial year: Q1 April–June … Q4 January–March.
    Quarter(FinancialYear, u8),
    /// Any span of days.
    Range,
}

/// A span of days, both ends included, with the label tables use for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub label: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub kind: Kind,
}

impl Period {
    pub fn new(label: impl Into<String>, start: NaiveDate, end: NaiveDate) -> Self {
        Period {
            label: label.into(),
            start,
            end,
            kind: Kind::Range,
        }
    }

    /// Any span of days, labelled by its dates.
    pub fn range(start: NaiveDate, end: NaiveDate) -> Self {
        Period::new(
            format!("{} to {}", start.format("%d/%m/%Y"), end.format("%d/%m/%Y")),
            start,
            end,
        )
    }

    /// The quarter `n` quarters before this one (a quarter's own kind only).
    pub fn quarters_earlier(&self, n: u32) -> Option<Period> {
        let Kind::Quarter(year, q) = self.kind else {
            return None;
        };
        let index = i64::from(year.start_year()) * 4 + i64::from(q) - 1 - i64::from(n);
        let (y, q) = (index.div_euclid(4), index.rem_euclid(4) + 1);
        Some(FinancialYear::starting(y as i32).quarter(q as u8))
    }

    /// The financial year the period starts in: the context figures a quarter or range uses.
    pub fn financial_year(&self) -> FinancialYear {
        FinancialYear::containing(self.start)
    }

    /// Parses a period as the command line gives it: a financial year (`2024-25`), a quarter
    /// (`2025-26 Q1`, `2025-26-Q1`) or two dates (`2019-10-01 2020-03-31`).
    pub fn parse(words: &[String]) -> Result<Period, String> {
        let text = words.join(" ");
        let text = text.trim();
        if words.len() == 2
            && let (Ok(start), Ok(end)) = (
                NaiveDate::parse_from_str(words[0].trim(), "%Y-%m-%d"),
                NaiveDate::parse_from_str(words[1].trim(), "%Y-%m-%d"),
            )
        {
            if end < start {
                return Err(format!(
                    "the range {text} ends before it starts: give the start date first"
                ));
            }
            return Ok(Period::range(start, end));
        }
        let upper = text.to_ascii_uppercase();
        if let Some(at) = upper.rfind('Q') {
            let (year, quarter) = (&text[..at], &text[at + 1..]);
            let year = year.trim().trim_end_matches(['-', '_', ' ']);
            let year: FinancialYear = year.parse()?;
            return match quarter.trim() {
                q @ ("1" | "2" | "3" | "4") => Ok(year.quarter(q.parse().expect("a digit"))),
                other => Err(format!(
                    "there is no quarter '{other}': Q1 is April to June, Q2 July to September, Q3 October to December and Q4 January to March"
                )),
            };
        }
        Ok(text.parse::<FinancialYear>()?.period())
    }

    pub fn contains(&self, date: NaiveDate) -> bool {
        (self.start..=self.end).contains(&date)
    }

    /// "1 April 2024 to 31 March 2025".
    pub fn in_words(&self) -> String {
        format!("{} to {}", long_date(self.start), long_date(self.end))
    }

    /// How running text names the period: "2024-25", "2025-26 Q1", or for a range, whose
    /// label is two dates, "the period".
    pub fn in_text(&self) -> String {
        match self.kind {
            Kind::Range => "the period".into(),
            _ => self.label.clone(),
        }
    }

    /// `year`, `quarter` or `range`: what templates test to choose their words.
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            Kind::Year(_) => "year",
            Kind::Quarter(..) => "quarter",
            Kind::Range => "range",
        }
    }

    /// The same span of the calendar `years` years earlier (29 February becomes 28 February).
    pub fn years_earlier(&self, years: i32) -> Period {
        let shift = |d: NaiveDate| {
            NaiveDate::from_ymd_opt(d.year() - years, d.month(), d.day())
                .or_else(|| NaiveDate::from_ymd_opt(d.year() - years, d.month(), d.day() - 1))
                .expect("valid date")
        };
        match self.kind {
            Kind::Year(year) => FinancialYear::starting(year.start_year() - years).period(),
            Kind::Quarter(year, q) => FinancialYear::starting(year.start_year() - years).quarter(q),
            Kind::Range => Period::range(shift(self.start), shift(self.end)),
        }
    }

    /// The quarters of a financial year, for quarter-by-quarter tables.
    pub fn quarters(year: FinancialYear) -> [Period; 4] {
        [
            Period {
                label: "Q1 (Apr–Jun)".into(),
                ..year.quarter(1)
            },
            Period {
                label: "Q2 (Jul–Sep)".into(),
                ..year.quarter(2)
            },
            Period {
                label: "Q3 (Oct–Dec)".into(),
                ..year.quarter(3)
            },
            Period {
                label: "Q4 (Jan–Mar)".into(),
                ..year.quarter(4)
            },
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

    fn words(text: &str) -> Vec<String> {
        text.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn periods_of_every_kind_parse() {
        let q1 = Period::parse(&words("2025-26 Q1")).unwrap();
        assert_eq!((q1.start, q1.end), (ymd(2025, 4, 1), ymd(2025, 6, 30)));
        assert_eq!(q1.label, "2025-26 Q1");
        assert_eq!(Period::parse(&words("2025-26-Q1")).unwrap(), q1);
        assert_eq!(Period::parse(&words("2025/26 q1")).unwrap(), q1);
        let q4 = Period::parse(&words("2024-25 Q4")).unwrap();
        assert_eq!((q4.start, q4.end), (ymd(2025, 1, 1), ymd(2025, 3, 31)));
        let range = Period::parse(&words("2019-10-01 2020-03-31")).unwrap();
        assert_eq!(
            (range.start, range.end),
            (ymd(2019, 10, 1), ymd(2020, 3, 31))
        );
        assert_eq!(range.kind, Kind::Range);
        assert_eq!(
            Period::parse(&words("2024-25")).unwrap(),
            FinancialYear::starting(2024).period()
        );
    }

    #[test]
    fn impossible_periods_say_why() {
        assert!(
            Period::parse(&words("2024-26"))
                .unwrap_err()
                .contains("ends in March 2025")
        );
        assert!(
            Period::parse(&words("2025-26 Q5"))
                .unwrap_err()
                .contains("no quarter '5'")
        );
        assert!(
            Period::parse(&words("2020-03-31 2019-10-01"))
                .unwrap_err()
                .contains("ends before it starts")
        );
        assert!(Period::parse(&words("2024-25 Qx")).is_err());
    }

    #[test]
    fn quarters_step_back_across_years() {
        let q1 = FinancialYear::starting(2025).quarter(1);
        assert_eq!(q1.quarters_earlier(1).unwrap().label, "2024-25 Q4");
        assert_eq!(q1.quarters_earlier(4).unwrap().label, "2024-25 Q1");
        assert_eq!(q1.quarters_earlier(7).unwrap().label, "2023-24 Q2");
        assert_eq!(q1.years_earlier(1).label, "2024-25 Q1");
        let range = Period::range(ymd(2019, 10, 1), ymd(2020, 3, 31));
        assert_eq!(range.years_earlier(1).label, "01/10/2018 to 31/03/2019");
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
