//! HTML blocks: accessible tables (caption, scoped headers) and figures (inline SVG with a
//! caption), and Markdown turned into HTML with pulldown-cmark.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::escape_html;
use super::format::{cell_text, is_numeric, numeric_columns};
use crate::figures::model::{Cell, Chart, RowRole, Symbol, Table};

pub fn table(table: &Table, number: usize) -> String {
    if table.rows.is_empty() {
        // The model's note says why; an empty grid reads as a rendering fault.
        let mut out = format!(
            "<p class=\"table-empty\" id=\"table-{}\"><strong>Table {number}: {}</strong></p>\n",
            escape_html(&table.id),
            escape_html(&table.title)
        );
        for note in &table.notes {
            out.push_str(&format!(
                "<p class=\"table-note\">{}</p>\n",
                escape_html(note)
            ));
        }
        return out;
    }
    let mut out = format!(
        // A wide table scrolls inside its own region, which a keyboard can reach and a screen
        // reader names by the caption, so the page itself never scrolls sideways.
        "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-labelledby=\"table-{id}-caption\"><table id=\"table-{id}\">\n<caption id=\"table-{id}-caption\">Table {number}: {}</caption>\n<thead><tr>",
        escape_html(&table.title),
        id = escape_html(&table.id),
    );
    let numeric = numeric_columns(table);
    for (i, column) in table.columns.iter().enumerate() {
        let class = if i > 0 && numeric[i - 1] {
            " class=\"num\""
        } else {
            ""
        };
        out.push_str(&format!(
            "<th scope=\"col\"{class}>{}</th>",
            escape_html(column)
        ));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &table.rows {
        let class = if row.role == RowRole::Total {
            " class=\"total\""
        } else {
            ""
        };
        out.push_str(&format!(
            "<tr{class}><th scope=\"row\">{}</th>",
            escape_html(&row.label)
        ));
        for cell in &row.cells {
            let class = if is_numeric(cell) {
                " class=\"num\""
            } else {
                ""
            };
            out.push_str(&format!("<td{class}>{}</td>", cell_html(cell)));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table></div>\n");
    for note in &table.notes {
        out.push_str(&format!(
            "<p class=\"table-note\">{}</p>\n",
            escape_html(note)
        ));
    }
    out
}

fn cell_html(cell: &Cell) -> String {
    match cell {
        Cell::Symbol(symbol) => {
            let meaning = match symbol {
                Symbol::NotAvailable => "not available",
                Symbol::NotApplicable => "not applicable",
                Symbol::Suppressed => "suppressed to protect confidentiality",
            };
            format!("<abbr title=\"{meaning}\">{}</abbr>", symbol.code())
        }
        other => escape_html(&cell_text(other)),
    }
}

pub fn figure(chart: &Chart, svg: &str, number: usize) -> String {
    format!(
        // Chart text stays legible on a phone: the chart keeps its size and scrolls inside the
        // figure, a region a keyboard can reach.
        "<figure id=\"figure-{id}\" tabindex=\"0\" aria-labelledby=\"figure-{id}-caption\">\n{}\n<figcaption id=\"figure-{id}-caption\">Figure {number}: {}</figcaption>\n</figure>\n",
        svg.trim(),
        escape_html(&chart.title),
        id = escape_html(&chart.id),
    )
}

/// Markdown to HTML. Headings inside a section start at level 3, so the document's outline
/// (h1 title, h2 sections) stays in order whatever a template or narrative uses.
pub fn markdown_to_html(markdown: &str) -> String {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_SMART_PUNCTUATION;
    let clamp = |level: HeadingLevel| match level {
        HeadingLevel::H1 | HeadingLevel::H2 => HeadingLevel::H3,
        other => other,
    };
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: clamp(level),
            id,
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(clamp(level))),
        // The narrative is neutralised before it gets here; this is the second lock, so no
        // Markdown in a report can ever place raw HTML on the page.
        Event::Html(html) | Event::InlineHtml(html)
            if super::blocks::placeholder_index(&html).is_none() =>
        {
            Event::Text(html)
        }
        other => other,
    });
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::model::Row;

    #[test]
    fn tables_have_captions_scoped_headers_and_escaped_labels() {
        let mut t = Table::new(
            "t",
            "Complaints & more",
            vec!["Type".into(), "2024-25".into()],
        );
        t.rows.push(Row::new(
            "<img src=x onerror=alert(1)>",
            vec![Cell::Count(1234)],
        ));
        t.rows
            .push(Row::total("Total", vec![Cell::Symbol(Symbol::Suppressed)]));
        let html = table(&t, 3);
        assert!(
            html.contains(
                "<caption id=\"table-t-caption\">Table 3: Complaints &amp; more</caption>"
            )
        );
        assert!(
            html.contains("role=\"region\" tabindex=\"0\" aria-labelledby=\"table-t-caption\"")
        );
        assert!(html.contains("<th scope=\"col\" class=\"num\">2024-25</th>"));
        assert!(html.contains("<th scope=\"row\">&lt;img src=x onerror=alert(1)&gt;</th>"));
        assert!(html.contains("<td class=\"num\">1,234</td>"));
        assert!(html.contains("<tr class=\"total\">"));
        assert!(html.contains("<abbr title=\"suppressed to protect confidentiality\">[c]</abbr>"));
    }

    #[test]
    fn escaped_markdown_becomes_inert_html_and_headings_start_at_h3() {
        let md = format!(
            "# Big\n\n{}\n",
            crate::render::templates::markdown_escaped("<script>alert(1)</script>")
        );
        let html = markdown_to_html(&md);
        assert!(html.contains("<h3>Big</h3>"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(!html.contains("<script"), "{html}");
    }

    /// Found by fuzzing: escaping one piece of raw HTML can make the rest parse as another.
    /// Whatever the Markdown holds, no tag reaches the page except a block placeholder.
    #[test]
    fn raw_html_in_markdown_is_shown_as_text() {
        let html = markdown_to_html(
            "a <?x <iframe src=y> ?> b\n\n<div onclick=z>\n\n<!--report-block-0-->\n",
        );
        assert!(!html.contains("<iframe"), "{html}");
        assert!(!html.contains("<div"), "{html}");
        assert!(html.contains("&lt;iframe src=y&gt;"), "{html}");
        assert!(html.contains("<!--report-block-0-->"), "{html}");
    }
}
