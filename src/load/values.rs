//! Reading one cell. Each parser returns `Ok(None)` for a blank cell and an error whose text
//! completes the sentence "`file:line: column: …`" — once with the value quoted, for the people
//! fixing the export, and once without it, for public output.

use chrono::{Datelike, NaiveDate};

use super::problems::CellError;
use crate::period::FinancialYear;

pub type CellResult<T> = Result<Option<T>, CellError>;

fn blank(raw: &str) -> bool {
    trim(raw).is_empty()
}

/// `str::trim`, without its character-by-character walk when, as in nearly every cell, the
/// value starts and ends with a printable ASCII byte: checked for every cell of a national
/// export, the walk was a few per cent of the read.
pub fn trim(raw: &str) -> &str {
    let plain = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_graphic());
    let bytes = raw.as_bytes();
    if plain(bytes.first()) && plain(bytes.last()) {
        raw
    } else {
        raw.trim()
    }
}

/// How a date was written, so a column can say which order it assumed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateShape {
    /// Year first (ISO) or with a configured format: unambiguous.
    Clear,
    /// Day and month both 12 or under, so either order reads as a date: read day first.
    Ambiguous,
    /// Day first for certain: the first number is over 12.
    DayFirst,
}

/// ISO `2024-05-01`, UK `01/05/2024` (also `1/5/2024`, `01-05-2024`, `01.05.2024`), or `format`
/// when the configuration gives one. A time after the date, as many exports add, is ignored.
pub fn parse_date(raw: &str, format: Option<&str>) -> CellResult<NaiveDate> {
    parse_date_shape(raw, format).map(|parsed| parsed.map(|(date, _)| date))
}

/// `parse_date`, also saying how the date was written.
pub fn parse_date_shape(raw: &str, format: Option<&str>) -> CellResult<(NaiveDate, DateShape)> {
    if blank(raw) {
        return Ok(None);
    }
    let text = trim(raw);
    if let Some(format) = format {
        return NaiveDate::parse_from_str(text, format)
            .or_else(|_| NaiveDate::parse_from_str(date_part(text), format))
            .map(|d| Some((d, DateShape::Clear)))
            .map_err(|_| unreadable_date(text, Some(format)));
    }
    if let Some(parsed) = fixed_width_date(text.as_bytes()) {
        return Ok(Some(parsed));
    }
    if let Some(error) = excel_serial(text) {
        return Err(error);
    }
    let date_text = date_part(text);
    let parts: Vec<&str> = date_text.split(['-', '/', '.']).collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(unreadable_date(text, None));
    }
    let numbers: Vec<u32> = parts.iter().map(|p| p.parse().unwrap_or(0)).collect();
    let (year, month, day, shape) = if parts[0].len() == 4 {
        (numbers[0], numbers[1], numbers[2], DateShape::Clear)
    } else if parts[2].len() == 4 {
        let shape = if numbers[0] > 12 {
            DateShape::DayFirst
        } else {
            DateShape::Ambiguous
        };
        (numbers[2], numbers[1], numbers[0], shape)
    } else {
        return Err(CellError::new(
            format!(
                "'{text}' has a two-digit year, which could be in either century: write the year in full (such as 2024)"
            ),
            "a date with a two-digit year: write the year in full",
        ));
    };
    if !(1..=12).contains(&month) {
        let us_hint = if day <= 12 && parts[0].len() != 4 {
            "; it looks like month/day order (American): if the export writes dates that way, set [data] date_format = \"%m/%d/%Y\" in report.toml"
        } else {
            ""
        };
        return Err(CellError::new(
            format!("unreadable date '{text}': there is no month {month}{us_hint}"),
            format!("unreadable date: no such month{us_hint}"),
        ));
    }
    NaiveDate::from_ymd_opt(year as i32, month, day)
        .map(|d| Some((d, shape)))
        .ok_or_else(|| {
            CellError::new(
                format!(
                    "unreadable date '{text}': {} has no day {day}",
                    month_year(year, month)
                ),
                "unreadable date: no such day in that month",
            )
        })
}

/// `YYYY-MM-DD` or `DD/MM/YYYY` read digit by digit: the shapes nearly every export uses, so a
/// million dates cost no allocation. Anything else takes the general path (and its messages).
fn fixed_width_date(bytes: &[u8]) -> Option<(NaiveDate, DateShape)> {
    if bytes.len() != 10 {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        bytes[range].iter().try_fold(0u32, |n, b| {
            b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
        })
    };
    let (year, month, day, shape) = match (bytes[4], bytes[7], bytes[2], bytes[5]) {
        (b'-', b'-', _, _) => (
            number(0..4)?,
            number(5..7)?,
            number(8..10)?,
            DateShape::Clear,
        ),
        (_, _, b'/', b'/') => {
            let day = number(0..2)?;
            let shape = if day > 12 {
                DateShape::DayFirst
            } else {
                DateShape::Ambiguous
            };
            (number(6..10)?, number(3..5)?, day, shape)
        }
        _ => return None,
    };
    NaiveDate::from_ymd_opt(year as i32, month, day).map(|d| (d, shape))
}

/// Excel stores dates as days since 30 December 1899; a column not formatted as a date is
/// exported as that number. Five digits in the range of recent years are almost certainly one.
fn excel_serial(text: &str) -> Option<CellError> {
    if text.len() != 5 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let days: i64 = text.parse().ok()?;
    if !(25_000..=75_000).contains(&days) {
        return None;
    }
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    let date = base.checked_add_signed(chrono::Duration::days(days))?;
    Some(CellError::new(
        format!(
            "'{text}' is an Excel date number ({} {}), not a date: format the column as a date in Excel before saving the CSV",
            date.day(),
            date.format("%B %Y")
        ),
        "an Excel date number, not a date: format the column as a date before saving",
    ))
}

/// A slashed date whose second number cannot be a month but whose first can: written month
/// first, as American exports do.
pub fn looks_month_first(raw: &str) -> bool {
    let parts: Vec<u32> = date_part(raw.trim())
        .split('/')
        .map(|p| p.parse().unwrap_or(0))
        .collect();
    matches!(parts.as_slice(), [first, second, _] if (1..=12).contains(first) && (13..=31).contains(second))
}

fn date_part(text: &str) -> &str {
    text.split(['T', ' ']).next().unwrap_or(text)
}

fn month_year(year: u32, month: u32) -> String {
    NaiveDate::from_ymd_opt(year as i32, month, 1)
        .map(|d| d.format("%B %Y").to_string())
        .unwrap_or_else(|| format!("month {month} of {year}"))
}

fn unreadable_date(text: &str, format: Option<&str>) -> CellError {
    let expected = match format {
        Some(format) => format!("expected the format {format}"),
        None => "expected YYYY-MM-DD or DD/MM/YYYY".to_string(),
    };
    CellError::new(
        format!("unreadable date '{text}' ({expected})"),
        format!("unreadable date ({expected})"),
    )
}

pub fn parse_yes_no(raw: &str) -> CellResult<bool> {
    if blank(raw) {
        return Ok(None);
    }
    let text = trim(raw);
    let any = |words: &[&str]| words.iter().any(|w| w.eq_ignore_ascii_case(text));
    if any(&["yes", "y", "true", "1"]) {
        Ok(Some(true))
    } else if any(&["no", "n", "false", "0"]) {
        Ok(Some(false))
    } else {
        Err(CellError::new(
            format!("'{text}' is not yes or no"),
            "not yes or no",
        ))
    }
}

pub fn parse_stage(raw: &str) -> CellResult<i32> {
    if blank(raw) {
        return Ok(None);
    }
    let text = trim(raw);
    let lower;
    let digits = match text {
        "1" | "2" | "3" => text,
        _ => {
            lower = text.to_ascii_lowercase();
            lower.strip_prefix("stage").map(str::trim).unwrap_or(&lower)
        }
    };
    match digits {
        "1" => Ok(Some(1)),
        "2" => Ok(Some(2)),
        "3" => Ok(Some(3)),
        _ => Err(CellError::new(
            format!("stage must be 1, 2 or 3 or blank, not '{text}'"),
            "stage must be 1, 2 or 3 or blank",
        )),
    }
}

/// Pounds: `150`, `£1,250.00`. Negative amounts are refused: a payment is made, not taken.
pub fn parse_money(raw: &str) -> CellResult<f64> {
    let text = raw.trim();
    let value = parse_number(text.strip_prefix('£').unwrap_or(text)).map_err(|e| {
        if e.public.contains("decimal point") {
            e
        } else {
            CellError::new(
                format!("'{text}' is not an amount of money"),
                "not an amount of money",
            )
        }
    })?;
    match value {
        Some(v) if v < 0.0 => Err(CellError::new(
            format!("payment cannot be negative ('{text}')"),
            "payment cannot be negative",
        )),
        other => Ok(other),
    }
}

/// A number with optional thousands separators (`1,250.5`). A comma used as the decimal point
/// (`1.250,00`, `12,5`) is refused rather than read as something a thousand times too large or
/// small.
pub fn parse_number(raw: &str) -> CellResult<f64> {
    if blank(raw) {
        return Ok(None);
    }
    let text = trim(raw);
    let not_a_number = || CellError::new(format!("'{text}' is not a number"), "not a number");
    let decimal_comma = || {
        CellError::new(
            format!(
                "'{text}' uses a comma as the decimal point: write it with a full stop and no thousands separator dots (such as 1250.00)"
            ),
            "a comma used as the decimal point",
        )
    };
    let (sign, unsigned) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let (whole, fraction) = match unsigned.rsplit_once('.') {
        Some((whole, fraction)) if !fraction.contains(',') => (whole, Some(fraction)),
        Some(_) => return Err(decimal_comma()),
        None => (unsigned, None),
    };
    if whole.contains('.') {
        return Err(decimal_comma());
    }
    let groups: Vec<&str> = whole.split(',').collect();
    if groups.len() > 1
        && (groups[0].is_empty() || groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3))
    {
        return Err(
            if fraction.is_none() && groups.last().is_some_and(|g| g.len() != 3) {
                decimal_comma()
            } else {
                not_a_number()
            },
        );
    }
    let digits: String = groups.concat();
    if digits.is_empty() && fraction.is_none_or(str::is_empty) {
        return Err(not_a_number());
    }
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(&digits) || !fraction.is_none_or(all_digits) {
        return Err(not_a_number());
    }
    let normalised = match fraction {
        Some(fraction) => format!("{sign}{digits}.{fraction}"),
        None => format!("{sign}{digits}"),
    };
    match normalised.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        _ => Err(not_a_number()),
    }
}

pub fn parse_financial_year(raw: &str) -> CellResult<FinancialYear> {
    if blank(raw) {
        return Ok(None);
    }
    raw.trim()
        .parse::<FinancialYear>()
        .map(Some)
        .map_err(|message| CellError::new(message, "not a financial year such as 2024-25"))
}

/// `;`-separated labels, each trimmed; empty pieces dropped. Each `;` is found by the
/// `memchr` crate's search: through `str::split`, `check` took 3–5% more CPU time at a million rows
/// (docs/performance.md, change 86).
pub fn split_labels(raw: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(raw);
    std::iter::from_fn(move || {
        loop {
            let text = rest?;
            let piece = match memchr::memchr(b';', text.as_bytes()) {
                Some(at) => {
                    rest = Some(&text[at + 1..]);
                    &text[..at]
                }
                None => {
                    rest = None;
                    text
                }
            };
            let piece = trim(piece);
            if !piece.is_empty() {
                return Some(piece);
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn message<T: std::fmt::Debug>(result: CellResult<T>) -> String {
        result.unwrap_err().message
    }

    #[test]
    fn dates_in_iso_and_uk_forms() {
        assert_eq!(parse_date("2024-05-01", None), Ok(Some(ymd(2024, 5, 1))));
        assert_eq!(parse_date(" 01/05/2024 ", None), Ok(Some(ymd(2024, 5, 1))));
        assert_eq!(parse_date("1/5/2024", None), Ok(Some(ymd(2024, 5, 1))));
        assert_eq!(parse_date("01-05-2024", None), Ok(Some(ymd(2024, 5, 1))));
        assert_eq!(parse_date("01.05.2024", None), Ok(Some(ymd(2024, 5, 1))));
        assert_eq!(
            parse_date("2024-05-01T09:30:00", None),
            Ok(Some(ymd(2024, 5, 1)))
        );
        assert_eq!(
            parse_date("01/05/2024 09:30", None),
            Ok(Some(ymd(2024, 5, 1)))
        );
        assert_eq!(parse_date("", None), Ok(None));
        assert_eq!(parse_date("   ", None), Ok(None));
    }

    #[test]
    fn the_order_of_day_and_month_is_reported() {
        let shape = |s| parse_date_shape(s, None).unwrap().unwrap().1;
        assert_eq!(shape("2024-05-01"), DateShape::Clear);
        assert_eq!(shape("03/04/2024"), DateShape::Ambiguous);
        assert_eq!(shape("13/04/2024"), DateShape::DayFirst);
        assert_eq!(shape("3/4/2024"), DateShape::Ambiguous);
    }

    #[test]
    fn impossible_and_ambiguous_dates_are_refused_with_the_reason() {
        let err = message(parse_date("31/02/2022", None));
        assert!(err.contains("February 2022 has no day 31"), "{err}");
        let err = message(parse_date("2022-13-01", None));
        assert!(err.contains("no month 13"), "{err}");
        assert!(!err.contains("American"), "{err}");
        let err = message(parse_date("01/05/24", None));
        assert!(err.contains("two-digit year"), "{err}");
        assert!(parse_date("next Tuesday", None).is_err());
        assert!(parse_date("2024-5", None).is_err());
    }

    #[test]
    fn us_dates_and_excel_numbers_say_what_they_are() {
        let err = parse_date("05/13/2024", None).unwrap_err();
        assert!(err.message.contains("no month 13"), "{}", err.message);
        assert!(err.message.contains("%m/%d/%Y"), "{}", err.message);
        assert!(!err.public.contains("05/13"), "{}", err.public);
        let err = parse_date("45383", None).unwrap_err();
        assert_eq!(
            err.message,
            "'45383' is an Excel date number (1 April 2024), not a date: format the column as a date in Excel before saving the CSV"
        );
        assert!(!err.public.contains("2024"));
    }

    #[test]
    fn public_texts_carry_no_value() {
        for (raw, err) in [
            ("31/02/2022", parse_date("31/02/2022", None).unwrap_err()),
            ("maybe", parse_yes_no("maybe").unwrap_err()),
            ("Mrs O'Neill", parse_stage("Mrs O'Neill").unwrap_err()),
            ("lots", parse_money("lots").unwrap_err()),
        ] {
            assert!(err.message.contains(raw), "{}", err.message);
            assert!(!err.public.contains(raw), "{}", err.public);
        }
    }

    #[test]
    fn a_configured_format_replaces_detection() {
        assert_eq!(
            parse_date("05/01/2024", Some("%m/%d/%Y")),
            Ok(Some(ymd(2024, 5, 1)))
        );
        assert_eq!(
            parse_date("1 May 2024", Some("%d %B %Y")),
            Ok(Some(ymd(2024, 5, 1)))
        );
        assert!(parse_date("2024-05-01", Some("%d/%m/%Y")).is_err());
    }

    #[test]
    fn yes_no_spellings() {
        for yes in ["yes", "Y", "TRUE", "1", " Yes "] {
            assert_eq!(parse_yes_no(yes), Ok(Some(true)), "{yes}");
        }
        for no in ["no", "n", "False", "0"] {
            assert_eq!(parse_yes_no(no), Ok(Some(false)), "{no}");
        }
        assert_eq!(parse_yes_no(""), Ok(None));
        assert!(parse_yes_no("maybe").is_err());
    }

    #[test]
    fn stages() {
        assert_eq!(parse_stage("1"), Ok(Some(1)));
        assert_eq!(parse_stage("Stage 2"), Ok(Some(2)));
        assert_eq!(parse_stage(" STAGE 3 "), Ok(Some(3)));
        assert_eq!(parse_stage(""), Ok(None));
        assert!(message(parse_stage("4")).contains("'4'"));
        assert!(parse_stage("0").is_err());
        assert!(parse_stage("one").is_err());
    }

    #[test]
    fn money() {
        assert_eq!(parse_money("150"), Ok(Some(150.0)));
        assert_eq!(parse_money("£1,250.50"), Ok(Some(1250.5)));
        assert_eq!(parse_money("1,250,000"), Ok(Some(1_250_000.0)));
        assert_eq!(parse_money(".5"), Ok(Some(0.5)));
        assert_eq!(parse_money(""), Ok(None));
        assert!(message(parse_money("-20")).contains("negative"));
        assert!(message(parse_money("lots")).contains("not an amount"));
        assert!(parse_money("NaN").is_err());
        assert!(parse_money("inf").is_err());
    }

    /// `1.250,00` must never become 1.25 (thousands separators stripped) nor 1250 silently.
    #[test]
    fn decimal_commas_are_refused_not_misread() {
        for raw in ["1.250,00", "12,5", "£1.250,00", "0,50"] {
            let err = parse_money(raw).unwrap_err();
            assert!(
                err.message.contains("comma as the decimal point"),
                "{raw}: {}",
                err.message
            );
        }
        assert!(parse_number("1,2,3").is_err());
        assert!(parse_number("1.2.3").is_err());
        assert_eq!(parse_number("-7"), Ok(Some(-7.0)));
    }

    #[test]
    fn labels_split_on_semicolons() {
        assert_eq!(
            split_labels(" Delay ; Communication;;").collect::<Vec<_>>(),
            vec!["Delay", "Communication"]
        );
        assert_eq!(split_labels("  ").count(), 0);
        assert_eq!(split_labels(";").count(), 0);
        assert_eq!(split_labels("").count(), 0);
        // Empty pieces anywhere, a label alone, and letters of more than one byte.
        assert_eq!(
            split_labels(";; Apology ;\t; Café;Ça va;").collect::<Vec<_>>(),
            vec!["Apology", "Café", "Ça va"]
        );
        assert_eq!(split_labels("Meeting").collect::<Vec<_>>(), vec!["Meeting"]);
    }

    #[test]
    fn the_quick_trim_trims_as_str_trim_does() {
        for raw in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\ta\r",
            "\u{a0}Fostering",
            "Fostering\u{2003}",
            "é",
            "a b",
        ] {
            assert_eq!(trim(raw), raw.trim(), "{raw:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_trimmed_as_str_trim_trims_it(raw in "[ \t\u{a0}\u{2003}a-zé;]{0,8}") {
            proptest::prop_assert_eq!(trim(&raw), raw.trim());
        }
    }
}
