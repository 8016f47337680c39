//! GitHub-flavoured Markdown blocks: tables and chart references.

use super::format::{cell_text, numeric_columns};
use super::templates::markdown_escaped;
use crate::figures::model::{Cell, Chart, RowRole, Table};

pub fn table(table: &Table, number: usize) -> String {
    let mut out = format!("**Table {number}: {}**\n\n", markdown_escaped(&table.title));
    if table.rows.is_empty() {
        // The model's note says why; a grid of headers alone reads as a rendering fault.
        for note in &table.notes {
            out.push_str(&format!("{}\n\n", markdown_escaped(note)));
        }
        return out.trim_end().to_string() + "\n";
    }
    let header: Vec<String> = table.columns.iter().map(|c| markdown_escaped(c)).collect();
    out.push_str(&format!("| {} |\n", header.join(" | ")));
    let numeric = numeric_columns(table);
    let mut rule = vec![":--".to_string()];
    rule.extend(
        numeric
            .iter()
            .map(|n| if *n { "--:" } else { ":--" }.to_string()),
    );
    out.push_str(&format!("| {} |\n", rule.join(" | ")));
    for row in &table.rows {
        let strong = |text: String| {
            if row.role == RowRole::Total {
                format!("**{text}**")
            } else {
                text
            }
        };
        let mut cells = vec![strong(markdown_escaped(&row.label))];
        cells.extend(row.cells.iter().map(|cell| {
            strong(match cell {
                // The report's own symbols need no escaping.
                Cell::Symbol(symbol) => symbol.code().to_string(),
                other => markdown_escaped(&cell_text(other)),
            })
        }));
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    for note in &table.notes {
        out.push_str(&format!("\n{}\n", markdown_escaped(note)));
    }
    out
}

/// The chart's SVG file, with its description as the image's alternative text.
pub fn chart(chart: &Chart, number: usize) -> String {
    format!(
        "![{}](charts/{}.svg)\n\n*Figure {number}: {}*\n",
        markdown_escaped(&chart.description),
        chart.id,
        markdown_escaped(&chart.title)
    )
}
