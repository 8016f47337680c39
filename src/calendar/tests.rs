use super::*;

fn ymd(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn cal() -> &'static Calendar {
    Calendar::england_and_wales()
}

/// GOV.UK's published England & Wales bank holidays, typed in by hand year by year.
const PUBLISHED_2019_TO_2026: [(i32, &str); 8] = [
    (2019, "01-01 04-19 04-22 05-06 05-27 08-26 12-25 12-26"),
    (2020, "01-01 04-10 04-13 05-08 05-25 08-31 12-25 12-28"),
    (2021, "01-01 04-02 04-05 05-03 05-31 08-30 12-27 12-28"),
    (
        2022,
        "01-03 04-15 04-18 05-02 06-02 06-03 08-29 09-19 12-26 12-27",
    ),
    (
        2023,
        "01-02 04-07 04-10 05-01 05-08 05-29 08-28 12-25 12-26",
    ),
    (2024, "01-01 03-29 04-01 05-06 05-27 08-26 12-25 12-26"),
    (2025, "01-01 04-18 04-21 05-05 05-26 08-25 12-25 12-26"),
    (2026, "01-01 04-03 04-06 05-04 05-25 08-31 12-25 12-28"),
];

#[test]
fn every_holiday_2019_to_2026_matches_the_published_list() {
    for (year, days) in PUBLISHED_2019_TO_2026 {
        let expected: Vec<NaiveDate> = days
            .split(' ')
            .map(|md| ymd(&format!("{year}-{md}")))
            .collect();
        let actual: Vec<NaiveDate> = cal()
            .holidays()
            .filter(|h| h.date.year() == year)
            .map(|h| h.date)
            .collect();
        assert_eq!(actual, expected, "bank holidays of {year}");
        for date in expected {
            assert!(!cal().is_working_day(date).unwrap(), "{date} is a holiday");
        }
    }
}

#[test]
fn one_off_and_moved_days_are_included() {
    for (date, kind) in [
        ("2002-06-03", HolidayKind::OneOff),
        ("2002-06-04", HolidayKind::Moved),
        ("2011-04-29", HolidayKind::OneOff),
        ("2012-06-04", HolidayKind::Moved),
        ("2012-06-05", HolidayKind::OneOff),
        ("2020-05-08", HolidayKind::Moved),
        ("2022-06-02", HolidayKind::Moved),
        ("2022-06-03", HolidayKind::OneOff),
        ("2022-09-19", HolidayKind::OneOff),
        ("2023-05-08", HolidayKind::OneOff),
    ] {
        let holiday = cal().holiday(ymd(date)).unwrap_or_else(|| panic!("{date}"));
        assert_eq!(holiday.kind, kind, "{date}");
        assert!(!holiday.projected);
    }
    // The early May holiday of 2020 moved away from Monday 4 May, which was a working day.
    assert!(cal().is_working_day(ymd("2020-05-04")).unwrap());
    // The spring holiday of 2022 moved away from Monday 30 May.
    assert!(cal().is_working_day(ymd("2022-05-30")).unwrap());
}

#[test]
fn years_after_the_published_list_are_projected() {
    assert_eq!(cal().last_published_year(), 2026);
    let h = cal().holiday(ymd("2027-03-26")).unwrap();
    assert!(h.projected);
    assert_eq!(h.name, "Good Friday");
    assert!(!cal().holiday(ymd("2026-12-28")).unwrap().projected);
}

#[test]
fn working_days_across_the_2022_one_off_holidays() {
    // Worked by hand: after Fri 27 May, Mon 30, Tue 31, Wed 1 Jun are 1-3; Thu 2 and Fri 3 are
    // holidays; 6-10 Jun are 4-8; Mon 13 is 9; Tue 14 is 10.
    assert_eq!(
        cal().working_days(ymd("2022-05-27"), ymd("2022-06-14")),
        Ok(10)
    );
    // 6-9 Sep are 1-4, 12-16 are 5-9, Mon 19 (state funeral) is not, Tue 20 is 10.
    assert_eq!(
        cal().working_days(ymd("2022-09-05"), ymd("2022-09-20")),
        Ok(10)
    );
    // 14-16 Dec are 1-3, 19-23 are 4-8, 26 and 27 are holidays, 28 is 9, 29 is 10.
    assert_eq!(
        cal().working_days(ymd("2022-12-13"), ymd("2022-12-29")),
        Ok(10)
    );
    // Received on a Saturday: Mon 2 May is a holiday, 3-6 May are 1-4, 9-13 are 5-9, 16 is 10.
    assert_eq!(
        cal().working_days(ymd("2022-04-30"), ymd("2022-05-16")),
        Ok(10)
    );
}

#[test]
fn the_day_of_receipt_is_day_zero() {
    let monday = ymd("2024-06-03");
    assert_eq!(cal().working_days(monday, monday), Ok(0));
    assert_eq!(cal().working_days(monday, ymd("2024-06-04")), Ok(1));
    // A response on the Saturday after a Friday receipt took no working days.
    assert_eq!(
        cal().working_days(ymd("2024-06-07"), ymd("2024-06-08")),
        Ok(0)
    );
    // A response before receipt counts backwards rather than being hidden.
    assert_eq!(cal().working_days(ymd("2024-06-04"), monday), Ok(-1));
}

#[test]
fn deadlines_land_on_the_tenth_working_day() {
    assert_eq!(
        cal().add_working_days(ymd("2022-05-27"), 10),
        Ok(ymd("2022-06-14"))
    );
    assert_eq!(
        cal().add_working_days(ymd("2022-04-30"), 10),
        Ok(ymd("2022-05-16"))
    );
    // Received Christmas Eve 2024 (Tue): 27, 30, 31 Dec, then 2 Jan 2025 ... 20 working days on.
    // 27=1, 30=2, 31=3, 2 Jan=4, 3=5, 6-10=6-10, 13-17=11-15, 20-24=16-20.
    assert_eq!(
        cal().add_working_days(ymd("2024-12-24"), 20),
        Ok(ymd("2025-01-24"))
    );
}

#[test]
fn dates_outside_coverage_are_errors() {
    let err = cal().working_days(ymd("1999-12-31"), ymd("2000-01-10"));
    assert!(matches!(err, Err(CalendarError::OutOfCoverage { .. })));
    assert!(cal().is_working_day(ymd("2031-01-02")).is_err());
    assert!(cal().covers(ymd("2030-12-31")));
    assert!(cal().add_working_days(ymd("2030-12-30"), 5).is_err());
}

#[test]
fn closures_are_extra_non_working_days() {
    // Fri 27 Dec 2024 closed: received Mon 23 Dec, 24=1, (25, 26 holidays, 27 closed), 30=2.
    let council = cal().with_closures(&[ymd("2024-12-27")]).unwrap();
    assert_eq!(
        council.working_days(ymd("2024-12-23"), ymd("2024-12-30")),
        Ok(2)
    );
    assert_eq!(
        cal().working_days(ymd("2024-12-23"), ymd("2024-12-30")),
        Ok(3)
    );
    assert_eq!(
        council.holiday(ymd("2024-12-27")).map(|h| h.kind),
        Some(HolidayKind::Closure)
    );
    assert!(cal().with_closures(&[ymd("1990-01-02")]).is_err());
}

/// 1 January 2024 is 54 years of 365 days after 1970 began, plus a leap day in each of the 13
/// leap years 1972, 1976, …, 2020.
#[test]
fn a_day_number_counts_from_the_first_of_january_1970() {
    assert_eq!(date_of_day(0), Some(ymd("1970-01-01")));
    assert_eq!(date_of_day(54 * 365 + 13), Some(ymd("2024-01-01")));
    assert_eq!(date_of_day(-1), Some(ymd("1969-12-31")));
    assert_eq!(date_of_day(i64::MAX), None);
}

mod properties {
    use super::*;
    use chrono::Datelike;
    use proptest::prelude::*;

    /// A date the calendar covers, as days after 1 January 2000.
    fn date() -> impl Strategy<Value = NaiveDate> {
        (0i64..11_300).prop_map(|d| ymd("2000-01-01") + chrono::Duration::days(d))
    }

    /// Counted the slow way, day by day: the independent check on the cumulative table.
    fn by_hand(from: NaiveDate, to: NaiveDate) -> i64 {
        from.iter_days()
            .skip(1)
            .take_while(|d| *d <= to)
            .filter(|d| d.weekday().number_from_monday() <= 5 && cal().holiday(*d).is_none())
            .count() as i64
    }

    proptest! {
        #[test]
        fn working_days_add_up_and_are_never_negative(a in date(), b in date(), c in date()) {
            let mut dates = [a, b, c];
            dates.sort();
            let [a, b, c] = dates;
            let ab = cal().working_days(a, b).unwrap();
            let bc = cal().working_days(b, c).unwrap();
            prop_assert!(ab >= 0 && bc >= 0);
            prop_assert_eq!(ab + bc, cal().working_days(a, c).unwrap());
            prop_assert_eq!(cal().working_days(b, a).unwrap(), -ab);
        }

        #[test]
        fn a_day_number_reads_the_same_ordinal_as_its_date(d in -40_000i32..40_000) {
            let date = ymd("1970-01-01") + chrono::Duration::days(i64::from(d));
            prop_assert_eq!(cal().ordinal_of_day()(d), cal().ordinal(date).ok());
        }

        #[test]
        fn a_day_number_turns_back_into_its_date(d in -40_000i64..40_000) {
            let date = ymd("1970-01-01") + chrono::Duration::days(d);
            prop_assert_eq!(day_number(date), d);
            prop_assert_eq!(date_of_day(d), Some(date));
        }

        #[test]
        fn working_days_match_a_count_day_by_day(a in date(), span in 0i64..120) {
            let b = a + chrono::Duration::days(span);
            prop_assume!(cal().covers(b));
            prop_assert_eq!(cal().working_days(a, b).unwrap(), by_hand(a, b));
        }

        #[test]
        fn a_deadline_is_that_many_working_days_away(a in date(), n in 1u32..70) {
            if let Ok(deadline) = cal().add_working_days(a, n) {
                prop_assert_eq!(cal().working_days(a, deadline).unwrap(), i64::from(n));
                prop_assert!(cal().is_working_day(deadline).unwrap());
            }
        }
    }
}
