//! Section 15: the council's own words. A Markdown file whose `## ` sections are placed at named
//! slots among the figures; sections with other names go at the end.

use pulldown_cmark::{Event, Parser};

use super::model::{Section, SectionBody};
use crate::load::labels::label_key;
use crate::load::problems::{Kind, Problem, Severity};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    /// Before the key findings.
    Introduction,
    /// After the figures, in this order.
    Observations,
    Progress,
    Recommendations,
    /// Any other heading: after the named slots.
    Other,
}

fn slot_of(title: &str) -> Slot {
    let key = label_key(title);
    match key.as_str() {
        "introduction" | "foreword" | "summary" => Slot::Introduction,
        "observations" | "analysis" | "commentary" => Slot::Observations,
        "recommendations" | "recommendations for next year" => Slot::Recommendations,
        _ if key.starts_with("progress") => Slot::Progress,
        _ => Slot::Other,
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Narrative {
    sections: Vec<(String, String)>,
}

/// Splits the file (already `neutralise`d) at its `## ` headings. Text before the first heading
/// belongs to the introduction.
pub fn parse(text: &str) -> Narrative {
    let mut sections: Vec<(String, String)> = Vec::new();
    let mut preamble = String::new();
    let mut in_fence = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        }
        if !in_fence && let Some(title) = line.strip_prefix("## ") {
            sections.push((
                title.trim().trim_end_matches('#').trim().to_string(),
                String::new(),
            ));
            continue;
        }
        let body = match sections.last_mut() {
            Some((_, body)) => body,
            None => &mut preamble,
        };
        body.push_str(line);
        body.push('\n');
    }
    if !preamble.trim().is_empty() {
        match sections
            .iter_mut()
            .find(|(t, _)| slot_of(t) == Slot::Introduction)
        {
            Some((_, body)) => *body = format!("{}\n\n{}", preamble.trim(), body.trim()),
            None => sections.insert(0, ("Introduction".to_string(), preamble)),
        }
    }
    sections.retain(|(_, body)| !body.trim().is_empty());
    Narrative { sections }
}

/// The narrative made safe to place in a report: `<!-- … -->` comments (guidance left in the
/// file) removed, a comment that never closes shown as text, and any other raw HTML shown as
/// text, each with a warning naming its line. Nothing in the narrative can hide or restyle the
/// report, while its Markdown stays Markdown.
pub fn neutralise(file: &str, text: &str) -> (String, Vec<Problem>) {
    let mut problems = Vec::new();
    let warn = |line: usize, message: String| {
        Problem::new(Severity::Warning, Kind::NarrativeHtml, file, message).at(line as u64)
    };
    // Comments first, keeping their line breaks so later line numbers stay true.
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut consumed = 0;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        match rest[start + 4..].find("-->") {
            Some(end) => {
                let comment = &rest[start..start + 4 + end + 3];
                out.extend(comment.chars().filter(|c| *c == '\n'));
                rest = &rest[start + comment.len()..];
                consumed += start + comment.len();
            }
            None => {
                let line = line_of(text, consumed + start);
                problems.push(warn(
                    line,
                    "a comment opened here (<!--) is never closed with -->; it is shown as text, so the rest of the narrative is not hidden".into(),
                ));
                out.push_str("&lt;!--");
                rest = &rest[start + 4..];
                consumed += start + 4;
            }
        }
    }
    out.push_str(rest);

    // Then raw HTML: its "<" written as an entity, so Markdown and HTML show it as typed.
    let mut ranges = Vec::new();
    for (event, range) in Parser::new(&out).into_offset_iter() {
        if let Event::Html(html) | Event::InlineHtml(html) = event {
            if html.trim().is_empty() {
                continue;
            }
            let shown: String = html.trim().chars().take(40).collect();
            problems.push(warn(
                line_of(&out, range.start),
                format!("raw HTML ({shown}) is shown as text: the narrative is Markdown"),
            ));
            ranges.push(range);
        }
    }
    for range in ranges.into_iter().rev() {
        let escaped = out[range.clone()].replace('<', "&lt;");
        out.replace_range(range, &escaped);
    }
    (out, problems)
}

/// The 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

impl Narrative {
    fn taken(&self, slot: Slot) -> Vec<Section> {
        self.sections
            .iter()
            .filter(|(title, _)| slot_of(title) == slot)
            .map(|(title, body)| Section {
                id: format!("narrative-{}", slug(title)),
                title: title.clone(),
                body: SectionBody::Narrative {
                    markdown: body.trim().to_string(),
                },
            })
            .collect()
    }

    /// The report's sections with the narrative's placed among them: the introduction first;
    /// the recommendations and last year's progress straight after the key findings, where a
    /// committee looks first (an executive summary, as councils write it); observations and
    /// anything else after the figures. With `ask_for_recommendations`, a narrative without
    /// recommendations leaves a marked place for them.
    pub fn place(&self, figures: Vec<Section>, ask_for_recommendations: bool) -> Vec<Section> {
        let mut placed = self.taken(Slot::Introduction);
        let mut figures = figures.into_iter().peekable();
        if let Some(first) = figures.next_if(|s| s.id == "key-findings") {
            placed.push(first);
        }
        let recommendations = self.taken(Slot::Recommendations);
        if recommendations.is_empty() && ask_for_recommendations {
            placed.push(Section {
                id: "narrative-recommendations".into(),
                title: "Recommendations".into(),
                body: SectionBody::Narrative {
                    markdown: MISSING_RECOMMENDATIONS.into(),
                },
            });
        }
        placed.extend(recommendations);
        placed.extend(self.taken(Slot::Progress));
        placed.extend(figures);
        placed.extend(self.taken(Slot::Observations));
        placed.extend(self.taken(Slot::Other));
        placed
    }
}

/// Where the council's recommendations go when the narrative has none: a gap, not invented
/// words.
pub const MISSING_RECOMMENDATIONS: &str = "**[The council's recommendations for the coming year, and its progress on last year's, go here: add `## Recommendations` and `## Progress on last year's recommendations` to narrative.md.]**";

/// A lower-case, hyphenated id from a heading.
fn slug(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(sections: &[Section]) -> Vec<&str> {
        sections.iter().map(|s| s.id.as_str()).collect()
    }

    #[test]
    fn named_sections_go_to_their_slots_and_others_to_the_end() {
        let text = "Opening words.\n\n## Recommendations\n1. Do better.\n\n## A note on data\nFine.\n\n## Observations\nSeen.\n\n## Progress on last year's recommendations\nDone.\n";
        let narrative = parse(text);
        let figures = vec![Section::figures(
            "key-findings",
            "Key findings",
            vec![],
            vec![],
            Default::default(),
        )];
        let placed = narrative.place(figures, true);
        assert_eq!(
            ids(&placed),
            vec![
                "narrative-introduction",
                "key-findings",
                "narrative-recommendations",
                "narrative-progress-on-last-year-s-recommendations",
                "narrative-observations",
                "narrative-a-note-on-data",
            ]
        );
        match &placed[0].body {
            SectionBody::Narrative { markdown } => assert_eq!(markdown, "Opening words."),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn headings_inside_code_fences_do_not_split() {
        let narrative = parse("## Introduction\n```\n## not a heading\n```\n");
        assert_eq!(narrative.sections.len(), 1);
    }

    #[test]
    fn sections_of_only_comments_are_left_out() {
        let (text, problems) = neutralise(
            "narrative.md",
            "<!-- guidance\nover lines -->\n## Introduction\n<!-- say hello -->\n\n## Observations\nReal words.\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        let narrative = parse(&text);
        assert_eq!(narrative.sections.len(), 1);
        assert_eq!(narrative.sections[0].0, "Observations");
    }

    /// An unclosed comment once hid everything after it; raw HTML could restyle the report.
    #[test]
    fn raw_html_and_unclosed_comments_are_shown_as_text_with_their_lines() {
        let text = "## Observations\n\nFine.\n\n<div style=\"display:none\">hidden</div>\n\nA <b>bold</b> claim.\n\n<!-- never closed\n\n## Recommendations\n\nStill here.\n";
        let (out, problems) = neutralise("narrative.md", text);
        let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(lines.len(), 4, "{lines:#?}");
        assert!(lines[0].starts_with("narrative.md:9: warning: a comment opened here"));
        assert!(lines[1].starts_with("narrative.md:5: warning: raw HTML (<div"));
        assert!(lines[2].starts_with("narrative.md:7: warning: raw HTML (<b>)"));
        assert!(!out.contains("<div") && !out.contains("<b>") && !out.contains("<!--"));
        let narrative = parse(&out);
        assert_eq!(
            narrative.sections.len(),
            2,
            "the heading after the comment survives"
        );
        let html = crate::render::html::markdown_to_html(&narrative.sections[1].1);
        assert!(html.contains("Still here."), "{html}");
        let html = crate::render::html::markdown_to_html(&narrative.sections[0].1);
        assert!(
            html.contains("&lt;div style=") && html.contains("&lt;b&gt;bold"),
            "{html}"
        );
    }

    #[test]
    fn an_empty_file_places_nothing() {
        assert!(parse("").place(vec![], false).is_empty());
        assert!(parse("## Observations\n\n").place(vec![], false).is_empty());
        let asked = parse("").place(vec![], true);
        assert_eq!(ids(&asked), vec!["narrative-recommendations"]);
    }
}
