//! Section 15: the council's own words. A Markdown file whose `## ` sections are placed at named
//! slots among the figures; sections with other names go at the end.

use super::model::{Section, SectionBody};
use crate::load::labels::label_key;

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

/// Splits the file at its `## ` headings. Text before the first heading belongs to the
/// introduction.
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
    if !without_comments(&preamble).trim().is_empty() {
        match sections
            .iter_mut()
            .find(|(t, _)| slot_of(t) == Slot::Introduction)
        {
            Some((_, body)) => *body = format!("{}\n\n{}", preamble.trim(), body.trim()),
            None => sections.insert(0, ("Introduction".to_string(), preamble)),
        }
    }
    sections.retain(|(_, body)| !without_comments(body).trim().is_empty());
    Narrative { sections }
}

/// The text with `<!-- … -->` comments removed: a section of guidance comments is empty.
fn without_comments(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        rest = match rest[start..].find("-->") {
            Some(end) => &rest[start + end + 3..],
            None => "",
        };
    }
    out.push_str(rest);
    out
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

    /// The report's sections with the narrative's placed among them.
    pub fn place(&self, figures: Vec<Section>) -> Vec<Section> {
        let mut placed = self.taken(Slot::Introduction);
        placed.extend(figures);
        for slot in [
            Slot::Observations,
            Slot::Progress,
            Slot::Recommendations,
            Slot::Other,
        ] {
            placed.extend(self.taken(slot));
        }
        placed
    }
}

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
        let placed = narrative.place(figures);
        assert_eq!(
            ids(&placed),
            vec![
                "narrative-introduction",
                "key-findings",
                "narrative-observations",
                "narrative-progress-on-last-year-s-recommendations",
                "narrative-recommendations",
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
        let narrative = parse(
            "<!-- guidance -->\n## Introduction\n<!-- say hello -->\n\n## Observations\nReal words.\n",
        );
        assert_eq!(narrative.sections.len(), 1);
        assert_eq!(narrative.sections[0].0, "Observations");
    }

    #[test]
    fn an_empty_file_places_nothing() {
        assert!(parse("").place(vec![]).is_empty());
        assert!(parse("## Observations\n\n").place(vec![]).is_empty());
    }
}
