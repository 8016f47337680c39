//! The statutory pattern of England & Wales bank holidays (Banking and Financial Dealings Act 1971,
//! Schedule 1, plus the proclamations that have made New Year's Day and the early May holiday
//! annual). Used for years after the last published list; one-off days cannot be derived and are
//! only ever known from the published data.

use chrono::{Datelike, NaiveDate, Weekday};

use super::{Holiday, HolidayKind};

/// The bank holidays that the rules give for `year`, weekend dates already replaced by their
/// substitute days, in date order.
pub fn holidays_for_year(year: i32) -> Vec<Holiday> {
    let date = |month, day| NaiveDate::from_ymd_opt(year, month, day).expect("valid date");
    let easter = easter_sunday(year);
    let mut days = Vec::with_capacity(8);

    let new_year = date(1, 1);
    match new_year.weekday() {
        Weekday::Sat | Weekday::Sun => days.push(holiday(
            next_monday(new_year),
            "New Year's Day (substitute day)",
            HolidayKind::Substitute,
        )),
        _ => days.push(holiday(new_year, "New Year's Day", HolidayKind::Regular)),
    }
    days.push(holiday(
        easter - chrono::Days::new(2),
        "Good Friday",
        HolidayKind::Regular,
    ));
    days.push(holiday(
        easter + chrono::Days::new(1),
        "Easter Monday",
        HolidayKind::Regular,
    ));
    days.push(holiday(
        first_monday(year, 5),
        "Early May bank holiday",
        HolidayKind::Regular,
    ));
    days.push(holiday(
        last_monday(year, 5),
        "Spring bank holiday",
        HolidayKind::Regular,
    ));
    days.push(holiday(
        last_monday(year, 8),
        "Summer bank holiday",
        HolidayKind::Regular,
    ));
    days.extend(christmas_and_boxing_day(year));
    days
}

/// Christmas Day and Boxing Day with the substitute rules: a holiday on a weekend moves to the
/// next weekday that is not already a holiday.
fn christmas_and_boxing_day(year: i32) -> Vec<Holiday> {
    let christmas = NaiveDate::from_ymd_opt(year, 12, 25).expect("valid date");
    let plus = |n| christmas + chrono::Days::new(n);
    match christmas.weekday() {
        // Christmas Saturday, Boxing Day Sunday: both move to Monday 27 and Tuesday 28.
        Weekday::Sat => vec![
            holiday(
                plus(2),
                "Christmas Day (substitute day)",
                HolidayKind::Substitute,
            ),
            holiday(
                plus(3),
                "Boxing Day (substitute day)",
                HolidayKind::Substitute,
            ),
        ],
        // Christmas Sunday: Boxing Day is Monday 26, Christmas is observed on Tuesday 27.
        Weekday::Sun => vec![
            holiday(plus(1), "Boxing Day", HolidayKind::Regular),
            holiday(
                plus(2),
                "Christmas Day (substitute day)",
                HolidayKind::Substitute,
            ),
        ],
        // Christmas Friday, Boxing Day Saturday: Boxing Day moves to Monday 28.
        Weekday::Fri => vec![
            holiday(christmas, "Christmas Day", HolidayKind::Regular),
            holiday(
                plus(3),
                "Boxing Day (substitute day)",
                HolidayKind::Substitute,
            ),
        ],
        _ => vec![
            holiday(christmas, "Christmas Day", HolidayKind::Regular),
            holiday(plus(1), "Boxing Day", HolidayKind::Regular),
        ],
    }
}

fn holiday(date: NaiveDate, name: &str, kind: HolidayKind) -> Holiday {
    Holiday {
        date,
        name: name.to_string(),
        kind,
        projected: true,
    }
}

fn next_monday(date: NaiveDate) -> NaiveDate {
    let ahead = (7 - date.weekday().num_days_from_monday()) % 7;
    date + chrono::Days::new(u64::from(ahead))
}

fn first_monday(year: i32, month: u32) -> NaiveDate {
    next_monday(NaiveDate::from_ymd_opt(year, month, 1).expect("valid date"))
}

fn last_monday(year: i32, month: u32) -> NaiveDate {
    let last =
        NaiveDate::from_ymd_opt(year, month + 1, 1).expect("valid date") - chrono::Days::new(1);
    last - chrono::Days::new(u64::from(last.weekday().num_days_from_monday()))
}

/// Easter Sunday in the Gregorian calendar (the anonymous "Meeus/Jones/Butcher" algorithm).
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).expect("valid Easter date")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn easter_dates_known_from_almanacs() {
        assert_eq!(easter_sunday(2000), ymd("2000-04-23"));
        assert_eq!(easter_sunday(2019), ymd("2019-04-21"));
        assert_eq!(easter_sunday(2024), ymd("2024-03-31"));
        assert_eq!(easter_sunday(2025), ymd("2025-04-20"));
        assert_eq!(easter_sunday(2038), ymd("2038-04-25"));
    }

    /// The projected years of the checked list in ../shared/data, copied here by hand: the rules
    /// must reproduce them exactly.
    #[test]
    fn rules_reproduce_the_checked_projection_for_2027_to_2030() {
        let expected = [
            "2027-01-01 2027-03-26 2027-03-29 2027-05-03 2027-05-31 2027-08-30 2027-12-27 2027-12-28",
            "2028-01-03 2028-04-14 2028-04-17 2028-05-01 2028-05-29 2028-08-28 2028-12-25 2028-12-26",
            "2029-01-01 2029-03-30 2029-04-02 2029-05-07 2029-05-28 2029-08-27 2029-12-25 2029-12-26",
            "2030-01-01 2030-04-19 2030-04-22 2030-05-06 2030-05-27 2030-08-26 2030-12-25 2030-12-26",
        ];
        for (year, want) in (2027..=2030).zip(expected) {
            let got: Vec<String> = holidays_for_year(year)
                .iter()
                .map(|h| h.date.to_string())
                .collect();
            assert_eq!(got.join(" "), want, "year {year}");
        }
    }

    #[test]
    fn christmas_substitutes_follow_the_weekday_of_christmas() {
        // 2021: Christmas Saturday -> Mon 27, Tue 28.
        let dates =
            |y| -> Vec<NaiveDate> { christmas_and_boxing_day(y).iter().map(|h| h.date).collect() };
        assert_eq!(dates(2021), vec![ymd("2021-12-27"), ymd("2021-12-28")]);
        // 2022: Christmas Sunday -> Mon 26 Boxing Day, Tue 27 Christmas substitute.
        assert_eq!(dates(2022), vec![ymd("2022-12-26"), ymd("2022-12-27")]);
        // 2026: Christmas Friday -> Boxing Day moves to Mon 28.
        assert_eq!(dates(2026), vec![ymd("2026-12-25"), ymd("2026-12-28")]);
    }
}
