//! Labels: the council's own words for types, outcomes, services and the rest.
//!
//! Exports spell the same label several ways ("Not Upheld", "not upheld "), so labels are compared
//! by a key that ignores case and spacing and shown in the spelling the data uses most. Only a few
//! labels mean something to the tool (outcome roles, who counts as a child, which types are the
//! Ombudsman or a refusal); everything else is counted as it is.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::columns::{BLANK, Cells, Dictionary, LabelListColumn, code_count};
use super::read::Table;

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
    /// Types counted as statutory representations even without a stage (a council may count
    /// refused complaints there); `None`: a stage alone makes a representation statutory.
    pub statutory: Option<Vec<String>>,
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
            statutory: None,
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

    pub fn is_statutory_type(&self, kind: &str) -> bool {
        self.statutory
            .as_deref()
            .is_some_and(|types| contains_key(types, kind))
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
/// The work is per distinct spelling: cells only have their codes renumbered.
pub fn canonicalise(
    table: &mut Table,
    renames: &HashMap<String, String>,
) -> Vec<(&'static str, LabelCounts)> {
    let rename_by_key: HashMap<String, &String> = renames
        .iter()
        .map(|(from, to)| (label_key(from), to))
        .collect();
    // Each column on its own, so side by side; the summary keeps the columns' order.
    table
        .columns
        .par_iter_mut()
        .filter_map(|(spec, cells)| {
            let (codes, dictionary) = match cells {
                Some(Cells::Label(column)) => (&mut column.codes, &mut column.dictionary),
                Some(Cells::Labels(column)) => (&mut column.codes, &mut column.dictionary),
                _ => return None,
            };
            let mut uses = vec![0usize; dictionary.spellings.len()];
            for &code in codes.iter().filter(|c| **c != BLANK) {
                uses[code as usize] += 1;
            }
            let (remap, merged, counts) =
                merge_spellings(&dictionary.spellings, &uses, &rename_by_key);
            // Where no spelling merged with another, every code stays as it is, and no row
            // can name one label twice (the reader names each once).
            let unchanged = remap
                .iter()
                .enumerate()
                .all(|(code, to)| *to as usize == code);
            if !unchanged {
                for code in codes.iter_mut().filter(|c| **c != BLANK) {
                    *code = remap[*code as usize];
                }
            }
            *dictionary = Dictionary::of(merged);
            if let (Some(Cells::Labels(column)), false) = (cells, unchanged) {
                dedupe_rows(column);
            }
            Some((spec.name, counts))
        })
        .collect()
}

/// Two spellings of one label in a row ("Support; support") count once.
fn dedupe_rows(column: &mut LabelListColumn) {
    let mut codes = Vec::with_capacity(column.codes.len());
    let mut start = 0;
    for end in column.ends.iter_mut() {
        let kept = codes.len();
        for &code in &column.codes[start..*end as usize] {
            if !codes[kept..].contains(&code) {
                codes.push(code);
            }
        }
        start = *end as usize;
        *end = code_count(codes.len());
    }
    column.codes = codes;
}

/// For spellings in order of first appearance, with how often each is used: the new code of each
/// spelling, the display spellings (in order of first appearance), and the counts per display
/// spelling, most frequent first.
fn merge_spellings(
    spellings: &[String],
    uses: &[usize],
    renames: &HashMap<String, &String>,
) -> (Vec<u32>, Vec<String>, LabelCounts) {
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    let mut group_of_key: HashMap<String, usize> = HashMap::new();
    for (code, spelling) in spellings.iter().enumerate() {
        let key = label_key(spelling);
        let group = *group_of_key.entry(key.clone()).or_insert_with(|| {
            groups.push((key, Vec::new()));
            groups.len() - 1
        });
        groups[group].1.push(code);
    }
    let mut remap = vec![0u32; spellings.len()];
    let mut merged: Vec<String> = Vec::new();
    let mut totals: BTreeMap<String, usize> = BTreeMap::new();
    for (key, members) in &groups {
        let chosen = match renames.get(key) {
            Some(renamed) => (*renamed).clone(),
            // Codes are in order of first appearance, so the lowest wins a tie.
            None => members
                .iter()
                .max_by(|a, b| uses[**a].cmp(&uses[**b]).then(b.cmp(a)))
                .map(|c| spellings[*c].clone())
                .unwrap_or_default(),
        };
        // Two keys may be renamed to the same spelling: they share a code.
        let code = match merged.iter().position(|m| *m == chosen) {
            Some(i) => i,
            None => {
                merged.push(chosen.clone());
                merged.len() - 1
            }
        };
        for &member in members {
            remap[member] = code as u32;
        }
        *totals.entry(chosen).or_default() += members.iter().map(|m| uses[*m]).sum::<usize>();
    }
    let mut counts: LabelCounts = totals.into_iter().filter(|(_, n)| *n > 0).collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    (remap, merged, counts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::contract::Source;
    use crate::load::problems::Problems;
    use crate::load::read::{HeaderMap, ReadOptions, read_table};

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
            &ReadOptions {
                header_map: &HeaderMap::default(),
                date_format: None,
                withheld: &[],
                split: None,
            },
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
        let services: Vec<_> = (0..3)
            .map(|r| table.cells("service").unwrap().string(r))
            .collect();
        assert_eq!(services, vec![Some("Fostering"); 3]);
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
        let services: Vec<_> = (0..2)
            .map(|r| table.cells("service").unwrap().string(r))
            .collect();
        assert_eq!(services, vec![Some("CAST North"); 2]);
    }
}
