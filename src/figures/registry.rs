//! The sections a document can hold, each registered once: its id (also the name of its
//! template partial), its title, the facts its template may use, and how it is built. A new
//! section is a figures module with a `SECTION`, a line here, and a partial.

use super::Inputs;
use super::model::{Audience, FactKey, Section};
use super::{
    about, actions, actions_completed, at_a_glance, children, compliments, equality, glossary,
    good_practice, key_findings, later_stages, learning_points, nature, ombudsman, open_cases,
    other_representations, outcomes, quality, received, service, stage1, training, trend, who,
};
use crate::error::Result;
use crate::load::contract::Source;

/// How a section is made.
#[derive(Clone, Copy)]
pub enum Build {
    /// From the data, by the section's own module.
    Figures(fn(&Inputs) -> Result<Section>),
    /// From the facts of the document's figures sections.
    KeyFindings,
    /// From the account of how every row was read.
    DataQuality,
    /// From the provenance.
    About,
}

pub struct SectionDef {
    pub id: &'static str,
    pub title: &'static str,
    /// Every fact the section's template may use.
    pub facts: &'static [FactKey],
    pub build: Build,
    /// The counts the section will ask for that the other core can work out from the frames
    /// while the sections before it are built (`ahead`), in the order it asks for them.
    pub ahead: &'static [super::ahead::Wanted],
    /// The personal free-text columns the section shows. The loader keeps no other personal
    /// words, so a section that showed one it did not declare would show `[withheld]`.
    pub quotes: &'static [Quote],
}

/// A personal free-text column a section shows, and whether it shows it in public.
pub struct Quote {
    pub source: Source,
    pub column: &'static str,
    pub in_public: bool,
}

/// Shown to staff only.
pub const fn internal(source: Source, column: &'static str) -> Quote {
    Quote {
        source,
        column,
        in_public: false,
    }
}

/// The personal free-text columns that the sections `ids` show to `audience`: all the words a
/// run of them needs kept.
pub fn quoted(ids: &[&str], audience: Audience) -> Vec<(Source, &'static str)> {
    let mut quoted: Vec<(Source, &'static str)> = ids
        .iter()
        .filter_map(|id| find(id))
        .flat_map(|s| s.quotes.iter())
        .filter(|q| q.in_public || audience == Audience::Internal)
        .map(|q| (q.source, q.column))
        .collect();
    quoted.sort();
    quoted.dedup();
    quoted
}

/// Every section, registered.
pub const SECTIONS: &[&SectionDef] = &[
    &key_findings::SECTION,
    &received::SECTION,
    &stage1::SECTION,
    &later_stages::SECTION,
    &who::SECTION,
    &nature::SECTION,
    &service::SECTION,
    &outcomes::SECTION,
    &children::SECTION,
    &other_representations::SECTION,
    &ombudsman::SECTION,
    &compliments::SECTION,
    &actions::SECTION,
    &equality::SECTION,
    &trend::SECTION,
    &open_cases::SECTION,
    &at_a_glance::SECTION,
    &good_practice::SECTION,
    &learning_points::SECTION,
    &actions_completed::SECTION,
    &training::SECTION,
    &glossary::SECTION,
    &quality::SECTION,
    &about::SECTION,
];

pub fn find(id: &str) -> Option<&'static SectionDef> {
    SECTIONS.iter().copied().find(|s| s.id == id)
}

/// The facts of the figures sections among `ids`: what the key findings can use.
pub fn headline_keys<'a>(ids: &'a [&'a str]) -> impl Iterator<Item = &'static FactKey> + 'a {
    ids.iter()
        .filter_map(|id| find(id))
        .filter(|s| matches!(s.build, Build::Figures(_)))
        .flat_map(|s| s.facts.iter())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::templates::BUILT_IN;

    /// Identifiers after `prefix` in a template: `facts.stage1_received` gives `stage1_received`.
    fn uses(template: &str, prefix: &str) -> Vec<String> {
        let bytes = template.as_bytes();
        template
            .match_indices(prefix)
            .filter(|(i, _)| {
                *i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_')
            })
            .map(|(i, _)| {
                template[i + prefix.len()..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect()
            })
            .collect()
    }

    /// A template that names a fact no section declares would fail at a council, with that
    /// council's data; here it fails in the tests.
    #[test]
    fn every_fact_a_template_uses_is_declared() {
        let all_ids: Vec<&str> = SECTIONS.iter().map(|s| s.id).collect();
        let headline: Vec<&str> = headline_keys(&all_ids).map(|k| k.name).collect();
        let mut checked = 0;
        for (name, source) in BUILT_IN {
            let Some(id) = name
                .strip_prefix("sections/")
                .and_then(|n| n.strip_suffix(".md"))
            else {
                continue;
            };
            let own: Vec<&str> = find(id)
                .map(|s| s.facts.iter().map(|k| k.name).collect())
                .unwrap_or_default();
            for key in uses(source, "facts.") {
                assert!(
                    own.contains(&key.as_str()),
                    "{name} uses facts.{key}, which section {id} does not declare"
                );
                checked += 1;
            }
            for prefix in ["headline.", "h."] {
                for key in uses(source, prefix) {
                    assert!(
                        headline.contains(&key.as_str()),
                        "{name} uses {prefix}{key}, which no section declares"
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 80, "{checked} uses checked");
    }

    #[test]
    fn ids_are_unique_and_have_partials() {
        for (i, section) in SECTIONS.iter().enumerate() {
            assert!(
                SECTIONS[i + 1..].iter().all(|s| s.id != section.id),
                "{}",
                section.id
            );
            let partial = format!("sections/{}.md", section.id);
            assert!(BUILT_IN.iter().any(|(n, _)| *n == partial), "{partial}");
        }
    }
}
