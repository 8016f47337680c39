//! Labels: the council's own words for types, outcomes, services and the rest.
//!
//! Exports spell the same label several ways ("Not Upheld", "not upheld "), so labels are compared
//! by a key that ignores case and spacing and shown in the spelling the data uses most. Only a few
//! labels mean something to the tool (outcome roles, who counts as a child, which types are the
//! Ombudsman or a refusal); everything else is counted as it is.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::contract::ValueKind;
use super::read::{Cells, Table};

/// The comparison key of a label: trimmed, lower case, inner runs of space collapsed.
pub fn label_key(label: &str) -> String {
    label
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeRole {
    Upheld,
    PartiallyUpheld,
    NotUpheld,
    Withdrawn,
}

impl OutcomeRole {
    pub const ALL: [OutcomeRole; 4] = [
        OutcomeRole::Upheld,
        OutcomeRole::PartiallyUpheld,
        OutcomeRole::NotUpheld,
        OutcomeRole::Withdrawn,
    ];

    pub fn key(self) -> &'static str {
        match self {
            OutcomeRole::Upheld => "upheld",
            OutcomeRole::PartiallyUpheld => "partially_upheld",
            OutcomeRole::NotUpheld => "not_upheld",
            OutcomeRole::Withdrawn => "withdrawn",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            OutcomeRole::Upheld => "Upheld",
            OutcomeRole::PartiallyUpheld => "Partially upheld",
            OutcomeRole::NotUpheld => "Not upheld",
            OutcomeRole::Withdrawn => "Withdrawn",
        }
    }

    pub fn from_key(key: &str) -> Option<OutcomeRole> {
        OutcomeRole::ALL.into_iter().find(|r| r.key() == key)
    }
}

/// Which labels carry meaning to the tool. The defaults suit most exports; `report.toml` can
/// replace any list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roles {
    pub outcomes: BTreeMap<OutcomeRole, Vec<String>>,
    pub young_person: Vec<String>,
    pub ombudsman: Vec<String>,
    pub refused: Vec<String>,
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

impl Default for Roles {
    fn default() -> Self {
        Roles {
            outcomes: BTreeMap::from([
                (OutcomeRole::Upheld, strings(&["Upheld", "Fully upheld"])),
                (
                    OutcomeRole::PartiallyUpheld,
                    strings(&["Partially upheld", "Partly upheld", "Upheld in part"]),
                ),
                (OutcomeRole::NotUpheld, strings(&["Not upheld"])),
                (OutcomeRole::Withdrawn, strings(&["Withdrawn"])),
            ]),
            // An advocate complains on a child's behalf, so their complaints are the child's own.
            young_person: strings(&[
                "Young person",
                "Child",
                "Child or young person",
                "Care leaver",
                "Advocate",
            ]),
            ombudsman: strings(&[
                "LGSCO",
                "Ombudsman",
                "Local Government and Social Care Ombudsman",
            ]),
            refused: strings(&["Refused", "Declined", "Rejected"]),
        }
    }
}

impl Roles {
    pub fn outcome_role(&self, label: &str) -> Option<OutcomeRole> {
        let key = label_key(label);
        self.outcomes
            .iter()
            .find(|(_, labels)| labels.iter().any(|l| label_key(l) == key))
            .map(|(role, _)| *role)
    }

    pub fn is_young_person(&self, complainant: &str) -> bool {
        contains_key(&self.young_person, complainant)
    }

    pub fn is_ombudsman(&self, kind: &str) -> bool {
        contains_key(&self.ombudsman, kind)
    }

    pub fn is_refused(&self, kind: &str) -> bool {
        contains_key(&self.refused, kind)
    }
}

fn contains_key(labels: &[String], label: &str) -> bool {
    let key = label_key(label);
    labels.iter().any(|l| label_key(l) == key)
}

/// How many times each label occurs in one column, in its display spelling, most frequent first.
pub type LabelCounts = Vec<(String, usize)>;

/// Rewrites every label column of `table` to one spelling per key: the renamed spelling where
/// the configuration gives one, else the spelling used most (the first seen on a tie). Returns
/// the distinct labels per column with their counts, for `report check` to show what to map.
pub fn canonicalise(
    table: &mut Table,
    renames: &HashMap<String, String>,
) -> Vec<(&'static str, LabelCounts)> {
    let rename_by_key: HashMap<String, &String> = renames
        .iter()
        .map(|(from, to)| (label_key(from), to))
        .collect();
    let mut summary = Vec::new();
    for (spec, cells) in table.columns.iter_mut() {
        if !matches!(spec.kind, ValueKind::Label | ValueKind::Labels) {
            continue;
        }
        let Some(cells) = cells else { continue };
        let mut spellings = Spellings::default();
        match cells {
            Cells::Text(values) => values.iter().flatten().for_each(|v| spellings.see(v)),
            Cells::Labels(values) => values.iter().flatten().for_each(|v| spellings.see(v)),
            _ => continue,
        }
        let (canonical, counts) = spellings.choose(&rename_by_key);
        // Looked up by exact spelling: no key is computed per cell, only per distinct spelling.
        let display = |label: &mut String| {
            if let Some(chosen) = canonical.get(label.as_str())
                && chosen != label
            {
                *label = chosen.clone();
            }
        };
        match cells {
            Cells::Text(values) => values.iter_mut().flatten().for_each(display),
            Cells::Labels(values) => values.iter_mut().flatten().for_each(display),
            _ => {}
        }
        summary.push((spec.name, counts));
    }
    summary
}

/// How often a spelling occurs, and the position it was first seen at.
type Seen = (usize, usize);

/// Every distinct spelling in a column, with how often and how early it occurs.
#[derive(Default)]
struct Spellings {
    /// Looked up once per cell, so a fast hash.
    by_spelling: foldhash::HashMap<String, Seen>,
    seen: usize,
}

impl Spellings {
    fn see(&mut self, label: &str) {
        match self.by_spelling.get_mut(label) {
            Some(entry) => entry.0 += 1,
            None => {
                self.by_spelling.insert(label.to_string(), (1, self.seen));
            }
        }
        self.seen += 1;
    }

    /// Each spelling's display spelling — the renamed one, else its key's most used spelling
    /// (the first seen on a tie) — and the counts per display spelling, most frequent first.
    fn choose(
        self,
        renames: &HashMap<String, &String>,
    ) -> (foldhash::HashMap<String, String>, LabelCounts) {
        let mut by_key: HashMap<String, Vec<(String, Seen)>> = HashMap::new();
        for (spelling, seen) in self.by_spelling {
            by_key
                .entry(label_key(&spelling))
                .or_default()
                .push((spelling, seen));
        }
        let mut canonical = foldhash::HashMap::default();
        let mut totals: BTreeMap<String, usize> = BTreeMap::new();
        for (key, spellings) in by_key {
            let chosen = match renames.get(&key) {
                Some(renamed) => (*renamed).clone(),
                None => spellings
                    .iter()
                    .max_by(|a, b| a.1.0.cmp(&b.1.0).then(b.1.1.cmp(&a.1.1)))
                    .map(|(s, _)| s.clone())
                    .unwrap_or_default(),
            };
            *totals.entry(chosen.clone()).or_default() +=
                spellings.iter().map(|(_, (n, _))| n).sum::<usize>();
            for (spelling, _) in spellings {
                canonical.insert(spelling, chosen.clone());
            }
        }
        let mut counts: LabelCounts = totals.into_iter().collect();
        counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        (canonical, counts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::contract::Source;
    use crate::load::problems::Problems;
    use crate::load::read::{HeaderMap, read_table};

    #[test]
    fn keys_ignore_case_and_spacing() {
        assert_eq!(label_key("  Not   Upheld "), "not upheld");
        assert_eq!(label_key("LGSCO"), label_key("lgsco"));
    }

    #[test]
    fn default_roles() {
        let roles = Roles::default();
        assert_eq!(
            roles.outcome_role("partly UPHELD"),
            Some(OutcomeRole::PartiallyUpheld)
        );
        assert_eq!(roles.outcome_role("Fault found"), None);
        assert!(roles.is_young_person("young person"));
        assert!(!roles.is_young_person("Parent"));
        assert!(roles.is_ombudsman("lgsco"));
        assert!(roles.is_refused("Declined"));
    }

    fn compliments(text: &str) -> Table {
        let mut problems = Problems::default();
        read_table(
            Source::Compliments,
            "compliments.csv",
            text.as_bytes(),
            &HeaderMap::default(),
            None,
            &mut problems,
        )
    }

    #[test]
    fn the_most_frequent_spelling_wins_and_counts_merge() {
        let mut table = compliments(
            "reference,received,service,theme\n\
             a,2024-05-01,fostering,Support\n\
             b,2024-05-02,Fostering,support; Listening\n\
             c,2024-05-03,Fostering ,SUPPORT\n",
        );
        let summary = canonicalise(&mut table, &HashMap::new());
        let services = table.cells("service").unwrap().texts().unwrap().to_vec();
        assert_eq!(services, vec![Some("Fostering".into()); 3]);
        let (column, counts) = &summary[0];
        assert_eq!(*column, "service");
        assert_eq!(counts, &vec![("Fostering".to_string(), 3)]);
        // A three-way tie between spellings of "support": the first seen wins.
        let (_, themes) = summary.iter().find(|(c, _)| *c == "theme").unwrap();
        assert_eq!(
            themes,
            &vec![("Support".to_string(), 3), ("Listening".to_string(), 1)]
        );
    }

    #[test]
    fn renames_beat_frequency() {
        let mut table =
            compliments("reference,received,service\na,2024-05-01,CAST N\nb,2024-05-01,cast n\n");
        let renames = HashMap::from([("Cast N".to_string(), "CAST North".to_string())]);
        canonicalise(&mut table, &renames);
        let services = table.cells("service").unwrap().texts().unwrap().to_vec();
        assert_eq!(services, vec![Some("CAST North".into()); 2]);
    }
}
