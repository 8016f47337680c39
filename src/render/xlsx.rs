//! `data-appendix.xlsx`: every table on its own sheet, with a contents sheet and a notes sheet,
//! laid out as the GSS guidance on releasing statistics in spreadsheets suggests: one table per
//! sheet starting in A1, a title, no merged cells, numbers stored as numbers, symbols as text.

use chrono::Datelike;
use rust_xlsxwriter::{Color, Format, FormatBorder, Url, Workbook, Worksheet, XlsxError};

use super::format::{numeric_columns, spreadsheet_safe};
use crate::figures::model::{Audience, Cell, Report, RowRole, Table};

const HEADER_FILL: u32 = 0xDEE6EF;

struct Formats {
    title: Format,
    header: Format,
    header_number: Format,
    bold: Format,
    count: Format,
    percent: Format,
    money: Format,
    text_right: Format,
    wrap: Format,
}

impl Formats {
    fn new() -> Formats {
        let header = Format::new()
            .set_bold()
            .set_background_color(Color::RGB(HEADER_FILL))
            .set_border_bottom(FormatBorder::Medium);
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            header_number: header
                .clone()
                .set_align(rust_xlsxwriter::FormatAlign::Right),
            header,
            bold: Format::new().set_bold(),
            count: Format::new().set_num_format("#,##0"),
            percent: Format::new().set_num_format("0%"),
            money: Format::new().set_num_format("£#,##0.00"),
            text_right: Format::new().set_align(rust_xlsxwriter::FormatAlign::Right),
            wrap: Format::new().set_text_wrap(),
        }
    }
}

/// Text as a workbook cell can hold it: safe from formula injection, and cut at Excel's limit
/// with a visible marker (`report check` warns about such values first).
fn excel_text(text: &str) -> std::borrow::Cow<'_, str> {
    let limit = crate::load::read::EXCEL_CELL_LIMIT;
    let length = text.chars().count();
    if length <= limit {
        return spreadsheet_safe(text);
    }
    let marker = format!(
        " [cut: {} characters in full]",
        super::format::thousands(length as i64)
    );
    let kept: String = text
        .chars()
        .take(limit - marker.chars().count() - 1)
        .collect();
    std::borrow::Cow::Owned(format!("{}{marker}", spreadsheet_safe(&kept)))
}

/// GSS-style sheet names: `Table_1`, `Table_2`… (Excel allows 31 characters and no brackets).
fn sheet_name(number: usize) -> String {
    format!("Table_{number}")
}

pub fn workbook(report: &Report) -> Result<Vec<u8>, XlsxError> {
    let formats = Formats::new();
    let mut workbook = Workbook::new();
    // Excel stamps a workbook with the time it was made; the as-at date instead, so the same
    // data and command give the same bytes on any day.
    let as_at = report.provenance.as_at;
    let created = rust_xlsxwriter::ExcelDateTime::from_ymd(
        u16::try_from(as_at.year()).unwrap_or(1900),
        as_at.month() as u8,
        as_at.day() as u8,
    )?;
    workbook.set_properties(
        &rust_xlsxwriter::DocProperties::new()
            .set_title(&report.title)
            .set_creation_datetime(&created),
    );
    let tables: Vec<&Table> = report.tables().collect();

    let contents = workbook.add_worksheet();
    contents.set_name("Contents")?;
    contents.write_string_with_format(0, 0, excel_text(&report.title), &formats.title)?;
    contents.write_string(
        1,
        0,
        format!("Data appendix for {}", report.period.in_words),
    )?;
    contents.write_string(
        2,
        0,
        "The Notes sheet explains the symbols and sources. Each table is on its own sheet.",
    )?;
    contents.write_string_with_format(4, 0, "Sheet", &formats.header)?;
    contents.write_string_with_format(4, 1, "Table", &formats.header)?;
    for (i, table) in tables.iter().enumerate() {
        let row = 5 + i as u32;
        let name = sheet_name(i + 1);
        contents.write_url_with_text(
            row,
            0,
            Url::new(format!("internal:'{name}'!A1")),
            name.as_str(),
        )?;
        contents.write_string(row, 1, excel_text(&table.title))?;
    }
    contents.set_column_width(0, 12)?;
    contents.set_column_width(1, 90)?;

    let notes = workbook.add_worksheet();
    notes.set_name("Notes")?;
    write_notes(notes, report, &formats)?;

    for (i, table) in tables.iter().enumerate() {
        let sheet = workbook.add_worksheet();
        sheet.set_name(sheet_name(i + 1))?;
        write_table(sheet, table, i + 1, &formats)?;
    }
    workbook.save_to_buffer()
}

fn write_notes(sheet: &mut Worksheet, report: &Report, formats: &Formats) -> Result<(), XlsxError> {
    let audience = match report.audience {
        Audience::Public => "Public: small numbers suppressed",
        Audience::Internal => "Internal: not for publication",
    };
    let mut lines: Vec<(String, String)> = vec![
        ("Report".into(), report.title.clone()),
        ("Period".into(), report.period.in_words.clone()),
        ("Audience".into(), audience.into()),
        (
            "[x]".into(),
            "Not available: the data does not cover this period.".into(),
        ),
        (
            "[z]".into(),
            "Not applicable: there is nothing to measure.".into(),
        ),
    ];
    if report.suppress_below > 1 {
        lines.push((
            "[c]".into(),
            format!(
                "Suppressed to protect confidentiality: a count of people from 1 to {}, or a number from which one could be worked out.",
                report.suppress_below - 1
            ),
        ));
    }
    lines.push((
        "Rounding".into(),
        match report.audience {
            Audience::Public => "Percentages are stored as shown, rounded to whole numbers; they may not sum to 100%.",
            Audience::Internal => "Percentages are stored unrounded and shown as whole numbers; they may not sum to 100%.",
        }
        .into(),
    ));
    lines.push(("Working days".into(), "Saturdays, Sundays and England and Wales bank holidays are not working days; the day of receipt is day 0.".into()));
    if let Some(authority) = &report.authority {
        lines.push((
            "Source".into(),
            format!("{authority} complaints case-management system"),
        ));
    }
    for input in &report.provenance.inputs {
        lines.push((
            format!("Input {}", input.name),
            format!("{} rows, SHA-256 {}", input.rows, input.sha256),
        ));
    }
    if let Some(config) = &report.provenance.config {
        lines.push((
            format!("Configuration {}", config.name),
            format!("SHA-256 {}", config.sha256),
        ));
    }
    lines.push((
        "Made by".into(),
        format!(
            "report {}; figures as at {}",
            report.provenance.version,
            crate::period::long_date(report.provenance.as_at)
        ),
    ));
    lines.push(("Command".into(), report.provenance.command.clone()));

    sheet.write_string_with_format(0, 0, "Notes", &formats.title)?;
    sheet.write_string_with_format(2, 0, "Item", &formats.header)?;
    sheet.write_string_with_format(2, 1, "Note", &formats.header)?;
    for (i, (item, note)) in lines.iter().enumerate() {
        let row = 3 + i as u32;
        sheet.write_string(row, 0, excel_text(item))?;
        sheet.write_string_with_format(row, 1, excel_text(note), &formats.wrap)?;
    }
    sheet.set_column_width(0, 28)?;
    sheet.set_column_width(1, 100)?;
    Ok(())
}

fn write_table(
    sheet: &mut Worksheet,
    table: &Table,
    number: usize,
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.write_string_with_format(
        0,
        0,
        excel_text(&format!("Table {number}: {}", table.title)),
        &formats.title,
    )?;
    let numeric = numeric_columns(table);
    let header_row = 2;
    for (c, column) in table.columns.iter().enumerate() {
        let format = if c > 0 && numeric[c - 1] {
            &formats.header_number
        } else {
            &formats.header
        };
        sheet.write_string_with_format(header_row, c as u16, excel_text(column), format)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        let at = header_row + 1 + r as u32;
        if row.role == RowRole::Total {
            sheet.write_string_with_format(at, 0, excel_text(&row.label), &formats.bold)?;
        } else {
            sheet.write_string(at, 0, excel_text(&row.label))?;
        }
        for (c, cell) in row.cells.iter().enumerate() {
            let col = 1 + c as u16;
            match cell {
                Cell::Count(n) => {
                    sheet.write_number_with_format(at, col, *n as f64, &formats.count)?
                }
                Cell::Percent(p) => {
                    sheet.write_number_with_format(at, col, p / 100.0, &formats.percent)?
                }
                Cell::Number { value, decimals } => {
                    let pattern = if *decimals == 0 {
                        "#,##0".to_string()
                    } else {
                        format!("#,##0.{}", "0".repeat(*decimals as usize))
                    };
                    sheet.write_number_with_format(
                        at,
                        col,
                        *value,
                        &Format::new().set_num_format(pattern),
                    )?
                }
                Cell::Money(v) => sheet.write_number_with_format(at, col, *v, &formats.money)?,
                Cell::Text(t) => sheet.write_string(at, col, excel_text(t))?,
                Cell::Symbol(s) => {
                    sheet.write_string_with_format(at, col, s.code(), &formats.text_right)?
                }
            };
        }
    }
    let first_note = header_row + 2 + table.rows.len() as u32;
    for (row, note) in (first_note..).zip(&table.notes) {
        sheet.write_string(row, 0, excel_text(note))?;
    }
    sheet.set_freeze_panes(header_row + 1, 0)?;
    sheet.autofit();
    // Autofit sizes the title too; keep the label column readable but not page-wide.
    let widest = table
        .rows
        .iter()
        .map(|r| r.label.chars().count())
        .chain([table.columns[0].chars().count()])
        .max()
        .unwrap_or(10);
    sheet.set_column_width(0, (widest as f64 + 2.0).clamp(12.0, 60.0))?;
    Ok(())
}
