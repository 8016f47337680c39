//! Numbers as the report shows them: UK style (1,234), percentages whole by default, pounds, and
//! the official-statistics symbols.

use crate::figures::model::Cell;

/// 1234567 → "1,234,567"; negative numbers keep their sign.
pub fn thousands(value: i64) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if value < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A decimal with `decimals` places and thousands separators: 1234.56 → "1,234.6" (1 place).
pub fn decimal(value: f64, decimals: u8) -> String {
    let factor = 10f64.powi(decimals as i32);
    let rounded = (value * factor).round() / factor;
    let whole = rounded.trunc() as i64;
    let mut text = if rounded < 0.0 && whole == 0 {
        "-0".to_string()
    } else {
        thousands(whole)
    };
    if decimals > 0 {
        let fraction = ((rounded.abs() - rounded.abs().trunc()) * factor).round() as i64;
        text.push('.');
        text.push_str(&format!("{fraction:0width$}", width = decimals as usize));
    }
    text
}

pub fn percent(value: f64) -> String {
    format!("{}%", decimal(value, 0))
}

pub fn money(value: f64) -> String {
    if value.fract().abs() < 0.005 {
        format!("£{}", decimal(value, 0))
    } else {
        format!("£{}", decimal(value, 2))
    }
}

/// Text made safe for a spreadsheet (OWASP's advice on CSV injection): a value starting with
/// `=`, `+`, `-`, `@`, a tab or a carriage return could run as a formula, so it gets a leading
/// `'`. A genuine number, such as a negative change, stays a number.
pub fn spreadsheet_safe(text: &str) -> std::borrow::Cow<'_, str> {
    let risky = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && text.trim().parse::<f64>().is_err() {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// The text of a cell as tables show it.
pub fn cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Count(n) => thousands(*n),
        Cell::Percent(p) => percent(*p),
        Cell::Number { value, decimals } => decimal(*value, *decimals),
        Cell::Money(v) => money(*v),
        Cell::Text(t) => t.clone(),
        Cell::Symbol(s) => s.code().to_string(),
    }
}

/// Whether a cell holds a number (right-aligned in tables).
pub fn is_numeric(cell: &Cell) -> bool {
    !matches!(cell, Cell::Text(_))
}

/// For each cell column of a table, whether it holds numbers: those are right-aligned.
pub fn numeric_columns(table: &crate::figures::model::Table) -> Vec<bool> {
    (0..table.columns.len().saturating_sub(1))
        .map(|c| {
            table
                .rows
                .iter()
                .any(|r| r.cells.get(c).is_some_and(is_numeric))
        })
        .collect()
}

/// A cell's value for machine-readable outputs (JSON, CSV): the precision the report shows,
/// without separators.
pub fn cell_value(cell: &Cell) -> serde_json::Value {
    use serde_json::{Number, Value};
    let rounded = |v: f64, places: i32| {
        let f = 10f64.powi(places);
        Number::from_f64((v * f).round() / f)
            .map(Value::Number)
            .unwrap_or(Value::Null)
    };
    match cell {
        Cell::Count(n) => Value::Number((*n).into()),
        Cell::Percent(p) => rounded(*p, 1),
        Cell::Number { value, decimals } => rounded(*value, *decimals as i32),
        Cell::Money(v) => rounded(*v, 2),
        Cell::Text(t) => Value::String(t.clone()),
        Cell::Symbol(s) => Value::String(s.code().to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::model::Symbol;

    #[test]
    fn uk_thousands() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1234), "1,234");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(thousands(-1234), "-1,234");
    }

    #[test]
    fn decimals_and_percentages() {
        assert_eq!(decimal(13.44, 1), "13.4");
        assert_eq!(decimal(13.45, 1), "13.5");
        assert_eq!(decimal(1234.5, 1), "1,234.5");
        assert_eq!(decimal(7.0, 1), "7.0");
        assert_eq!(decimal(-0.04, 1), "0.0");
        assert_eq!(decimal(-0.4, 0), "0");
        assert_eq!(decimal(-2.25, 1), "-2.3");
        assert_eq!(percent(66.666), "67%");
        assert_eq!(percent(-12.5), "-13%");
        assert_eq!(money(150.0), "£150");
        assert_eq!(money(1250.5), "£1,250.50");
    }

    #[test]
    fn formula_looking_text_is_neutralised_but_numbers_are_not() {
        for risky in [
            "=HYPERLINK(\"http://x\")",
            "+SUM(A1)",
            "-2+3",
            "@cmd",
            "\tx",
            "\rx",
        ] {
            assert_eq!(spreadsheet_safe(risky), format!("'{risky}"), "{risky:?}");
        }
        for safe in ["-7", "-12.5", "+3", "Parent", "", "2024-25"] {
            assert_eq!(spreadsheet_safe(safe), safe, "{safe:?}");
        }
    }

    #[test]
    fn cells() {
        assert_eq!(cell_text(&Cell::Count(12345)), "12,345");
        assert_eq!(cell_text(&Cell::Symbol(Symbol::Suppressed)), "[c]");
        assert_eq!(cell_value(&Cell::Percent(33.333)), serde_json::json!(33.3));
        assert_eq!(
            cell_value(&Cell::Symbol(Symbol::NotAvailable)),
            serde_json::json!("[x]")
        );
    }
}
