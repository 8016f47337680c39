//! Reading one cell. Each parser returns `Ok(None)` for a blank cell and an `Err` whose text
//! completes the sentence "`file:line: column: …`".

use chrono::NaiveDate;

use crate::period::FinancialYear;

pub type CellResult<T> = Result<Option<T>, String>;

fn blank(raw: &str) -> bool {
    raw.trim().is_empty()
}

/// ISO `2024-05-01`, UK `01/05/2024` (also `1/5/2024`, `01-05-2024`, `01.05.2024`), or `format`
/// when the configuration gives one. A time after the date, as many exports add, is ignored.
pub fn parse_date(raw: &str, format: Option<&str>) -> CellResult<NaiveDate> {
    if blank(raw) {
        return Ok(None);
    }
    let text = raw.trim();
    if let Some(format) = format {
        return NaiveDate::parse_from_str(text, format)
            .or_else(|_| NaiveDate::parse_from_str(date_part(text), format))
            .map(Some)
            .map_err(|_| unreadable_date(text, Some(format)));
    }
    if let Some(date) = fixed_width_date(text.as_bytes()) {
        return Ok(Some(date));
    }
    let date_text = date_part(text);
    let parts: Vec<&str> = date_text.split(['-', '/', '.']).collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(unreadable_date(text, None));
    }
    let numbers: Vec<u32> = parts.iter().map(|p| p.parse().unwrap_or(0)).collect();
    let (year, month, day) = if parts[0].len() == 4 {
        (numbers[0], numbers[1], numbers[2])
    } else if parts[2].len() == 4 {
        (numbers[2], numbers[1], numbers[0])
    } else {
        // Two-digit years are ambiguous between centuries and day/month orders: refuse them.
        return Err(unreadable_date(text, None));
    };
    if !(1..=12).contains(&month) {
        return Err(format!(
            "unreadable date '{text}': there is no month {month}"
        ));
    }
    NaiveDate::from_ymd_opt(year as i32, month, day)
        .map(Some)
        .ok_or_else(|| {
            format!(
                "unreadable date '{text}': {} has no day {day}",
                month_year(year, month)
            )
        })
}

/// `YYYY-MM-DD` or `DD/MM/YYYY` read digit by digit: the shapes nearly every export uses, so a
/// million dates cost no allocation. Anything else takes the general path (and its messages).
fn fixed_width_date(bytes: &[u8]) -> Option<NaiveDate> {
    if bytes.len() != 10 {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        bytes[range].iter().try_fold(0u32, |n, b| {
            b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
        })
    };
    let (year, month, day) = match (bytes[4], bytes[7], bytes[2], bytes[5]) {
        (b'-', b'-', _, _) => (number(0..4)?, number(5..7)?, number(8..10)?),
        (_, _, b'/', b'/') => (number(6..10)?, number(3..5)?, number(0..2)?),
        _ => return None,
    };
    NaiveDate::from_ymd_opt(year as i32, month, day)
}

fn date_part(text: &str) -> &str {
    text.split(['T', ' ']).next().unwrap_or(text)
}

fn month_year(year: u32, month: u32) -> String {
    NaiveDate::from_ymd_opt(year as i32, month, 1)
        .map(|d| d.format("%B %Y").to_string())
        .unwrap_or_else(|| format!("month {month} of {year}"))
}

fn unreadable_date(text: &str, format: Option<&str>) -> String {
    match format {
        Some(format) => format!("unreadable date '{text}' (expected the format {format})"),
        None => format!("unreadable date '{text}' (expected YYYY-MM-DD or DD/MM/YYYY)"),
    }
}

pub fn parse_yes_no(raw: &str) -> CellResult<bool> {
    if blank(raw) {
        return Ok(None);
    }
    match raw.trim().to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" | "1" => Ok(Some(true)),
        "no" | "n" | "false" | "0" => Ok(Some(false)),
        _ => Err(format!("'{}' is not yes or no", raw.trim())),
    }
}

pub fn parse_stage(raw: &str) -> CellResult<i32> {
    if blank(raw) {
        return Ok(None);
    }
    let text = raw.trim();
    let digits = text
        .to_ascii_lowercase()
        .strip_prefix("stage")
        .map(|rest| rest.trim().to_string())
        .unwrap_or_else(|| text.to_string());
    match digits.as_str() {
        "1" => Ok(Some(1)),
        "2" => Ok(Some(2)),
        "3" => Ok(Some(3)),
        _ => Err(format!("stage must be 1, 2 or 3 or blank, not '{text}'")),
    }
}

/// Pounds: `150`, `£1,250.00`. Negative amounts are refused: a payment is made, not taken.
pub fn parse_money(raw: &str) -> CellResult<f64> {
    let value = parse_number(raw.trim().replacen('£', "", 1).as_str())
        .map_err(|_| format!("'{}' is not an amount of money", raw.trim()))?;
    match value {
        Some(v) if v < 0.0 => Err(format!("payment cannot be negative ('{}')", raw.trim())),
        other => Ok(other),
    }
}

pub fn parse_number(raw: &str) -> CellResult<f64> {
    if blank(raw) {
        return Ok(None);
    }
    let cleaned: String = raw.trim().chars().filter(|c| *c != ',').collect();
    match cleaned.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        _ => Err(format!("'{}' is not a number", raw.trim())),
    }
}

pub fn parse_financial_year(raw: &str) -> CellResult<FinancialYear> {
    if blank(raw) {
        return Ok(None);
    }
    raw.trim().parse::<FinancialYear>().map(Some)
}

/// `;`-separated labels, each trimmed; empty pieces dropped.
pub fn split_labels(raw: &str) -> Vec<String> {
    raw.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn dates_in_iso_and_uk_forms() {
        assert_eq!(parse_date("2024-05-01", None), Ok(Some(ymd(2024, 5, 1))));
        assert_eq!(parse_date(" 01/05/2024 ", None), Ok(Some(ymd(2024, 5, 1))));
        assert_eq!(parse_date("1/5/2024", None), Ok(Some(ymd(2024, 5, 1))));
        assert_eq!(parse_date("01-05-2024", None), Ok(Some(ymd(2024, 5, 1))));
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
    fn impossible_and_ambiguous_dates_are_refused_with_the_reason() {
        let err = parse_date("31/02/2022", None).unwrap_err();
        assert!(err.contains("February 2022 has no day 31"), "{err}");
        let err = parse_date("2022-13-01", None).unwrap_err();
        assert!(err.contains("no month 13"), "{err}");
        assert!(parse_date("01/05/24", None).is_err());
        assert!(parse_date("next Tuesday", None).is_err());
        assert!(parse_date("2024-5", None).is_err());
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
        assert_eq!(parse_stage(""), Ok(None));
        assert!(parse_stage("4").unwrap_err().contains("'4'"));
        assert!(parse_stage("0").is_err());
        assert!(parse_stage("one").is_err());
    }

    #[test]
    fn money() {
        assert_eq!(parse_money("150"), Ok(Some(150.0)));
        assert_eq!(parse_money("£1,250.50"), Ok(Some(1250.5)));
        assert_eq!(parse_money(""), Ok(None));
        assert!(parse_money("-20").unwrap_err().contains("negative"));
        assert!(parse_money("lots").unwrap_err().contains("not an amount"));
        assert!(parse_money("NaN").is_err());
    }

    #[test]
    fn labels_split_on_semicolons() {
        assert_eq!(
            split_labels(" Delay ; Communication;;"),
            vec!["Delay", "Communication"]
        );
        assert!(split_labels("  ").is_empty());
    }
}
