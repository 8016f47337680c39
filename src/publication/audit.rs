//! The attacker's audit: every `[c]` an unknown, every published cell and sentence a
//! constraint, every declared relation known to the reader; then, for each hidden count, the
//! smallest and largest value it can take. A hidden count that can be pinned, or a small one
//! narrowed below the protection interval, is a finding, and a public report with a finding is
//! not written. It reads only what was published — never the suppression pattern — so it
//! checks the pass rather than repeating it; given several reports (a council's consecutive
//! years), it audits what they publish together.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;

use super::Policy;
use super::knowledge::{Judge, Knowledge, State, Tie};
use super::solver::Part;
use super::suppress::{KeyedTie, keyed};
use crate::figures::model::{Cell, Fact, FactSource, Report, SectionBody, Symbol};
use crate::figures::quantity::{Formula, Key, Q, Registry};

/// A hidden count a reader can work out too closely, or a published number the audit cannot
/// account for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub quantity: String,
    pub problem: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.quantity, self.problem)
    }
}

/// What one report publishes: shown values (with the rounding they were shown to) and hidden
/// quantities.
#[derive(Default)]
struct Published {
    shown: HashMap<Q, (f64, f64)>,
    hidden: HashSet<Q>,
    unlinked: Vec<String>,
}

fn published(report: &Report) -> Published {
    let mut out = Published::default();
    for section in &report.sections {
        let SectionBody::Figures {
            tables,
            facts,
            links,
            ..
        } = &section.body
        else {
            continue;
        };
        for table in tables.iter().filter(|t| !t.exempt) {
            for row in &table.rows {
                for (cell, source) in row.cells.iter().zip(&row.sources) {
                    match (cell, source) {
                        (Cell::Symbol(Symbol::Suppressed), Some(q)) => {
                            out.hidden.insert(*q);
                        }
                        (Cell::Count(_), None) => out.unlinked.push(format!(
                            "table {}, row {}: a count shown with no quantity behind it",
                            table.id, row.label
                        )),
                        (cell, Some(q)) => {
                            if let Some(shown) = shown_value(cell) {
                                out.shown.insert(*q, shown);
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
        for link in links {
            let FactSource::Quantity(q) = &link.source else {
                continue;
            };
            match facts.get(&link.key) {
                Some(Fact::Number(v)) => {
                    let q_formula = report.quantities.get(*q).formula;
                    let half = match q_formula {
                        None | Some(Formula::Change { .. }) => 0.0,
                        Some(Formula::Percent { .. } | Formula::ChangePercent { .. })
                            if v.fract() == 0.0 =>
                        {
                            0.5
                        }
                        Some(_) => 0.05,
                    };
                    out.shown.entry(*q).or_insert((*v, half));
                }
                Some(Fact::Symbol(Symbol::Suppressed)) => {
                    out.hidden.insert(*q);
                }
                _ => {}
            }
        }
    }
    out
}

/// A cell's value and how far the truth may be from it (half its last shown digit).
fn shown_value(cell: &Cell) -> Option<(f64, f64)> {
    match cell {
        Cell::Count(n) => Some((*n as f64, 0.0)),
        Cell::Percent(p) if p.fract() == 0.0 => Some((*p, 0.5)),
        Cell::Percent(p) => Some((*p, 0.05)),
        Cell::Number { value, decimals } => Some((*value, 0.5 * 10f64.powi(-i32::from(*decimals)))),
        Cell::Money(v) => Some((*v, 0.005)),
        Cell::Text(_) | Cell::Symbol(_) => None,
    }
}

/// `lower ≤ Σ coefficient × count ≤ upper`, by keys.
type Between = (Vec<(Key, f64)>, f64, f64);

/// What a shown derived value tells a reader about the counts it comes from.
fn derived_ties(registry: &Registry, formula: Formula, value: f64, half: f64) -> Vec<Between> {
    let key = |q: Q| registry.get(q).key.clone();
    match formula {
        Formula::Percent { part, whole } => vec![
            (
                vec![(key(part), 1.0), (key(whole), -(value - half) / 100.0)],
                0.0,
                f64::INFINITY,
            ),
            (
                vec![(key(part), 1.0), (key(whole), -(value + half) / 100.0)],
                f64::NEG_INFINITY,
                0.0,
            ),
        ],
        Formula::Change { now, before } => vec![(
            vec![(key(now), 1.0), (key(before), -1.0)],
            value - half,
            value + half,
        )],
        Formula::ChangePercent { now, before } => vec![
            (
                vec![
                    (key(now), 1.0),
                    (key(before), -(1.0 + (value - half) / 100.0)),
                ],
                0.0,
                f64::INFINITY,
            ),
            (
                vec![
                    (key(now), 1.0),
                    (key(before), -(1.0 + (value + half) / 100.0)),
                ],
                f64::NEG_INFINITY,
                0.0,
            ),
        ],
        Formula::Rate {
            count,
            denominator,
            scale,
        } => vec![(
            vec![(key(count), 1.0)],
            (value - half) * denominator / scale,
            (value + half) * denominator / scale,
        )],
        Formula::PerMonth { count, months } => vec![(
            vec![(key(count), 1.0)],
            (value - half) * months,
            (value + half) * months,
        )],
        Formula::Describes { .. } => Vec::new(),
    }
}

/// Audits what `reports` publish together. No findings: no hidden count can be worked out.
pub fn audit(reports: &[&Report], policy: &Policy) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut states: BTreeMap<Key, State> = BTreeMap::new();
    let mut truth: BTreeMap<Key, i64> = BTreeMap::new();
    let mut relations: BTreeSet<KeyedTie> = BTreeSet::new();
    let mut betweens: Vec<Between> = Vec::new();
    for report in reports {
        let registry = &report.quantities;
        let published = published(report);
        findings.extend(published.unlinked.into_iter().map(|problem| Finding {
            quantity: "(no quantity)".into(),
            problem,
        }));
        for (q, quantity) in registry.iter() {
            let key = &quantity.key;
            if let Some(formula) = quantity.formula {
                if let Some((value, half)) = published.shown.get(&q) {
                    betweens.extend(derived_ties(registry, formula, *value, *half));
                }
                continue;
            }
            let Some(value) = quantity.count() else {
                continue;
            };
            truth.insert(key.clone(), value);
            let state = if let Some((shown, _)) = published.shown.get(&q) {
                if published.hidden.contains(&q) {
                    findings.push(Finding {
                        quantity: key.id(),
                        problem: format!("shown as {shown} in one place and hidden in another"),
                    });
                }
                if (*shown - value as f64).abs() > 1e-9 {
                    findings.push(Finding {
                        quantity: key.id(),
                        problem: format!("shown as {shown}, but it is {value}"),
                    });
                }
                State::Known(value)
            } else if published.hidden.contains(&q) {
                State::Hidden
            } else if value == 0 {
                State::Known(0)
            } else {
                State::Unpublished
            };
            let merged = match (states.get(key).copied(), state) {
                (None, s) | (Some(State::Unpublished), s) => s,
                (Some(s), State::Unpublished) => s,
                (Some(State::Hidden), State::Known(v)) | (Some(State::Known(v)), State::Hidden) => {
                    if quantity.publishable && v != 0 {
                        findings.push(Finding {
                            quantity: key.id(),
                            problem: "hidden in one report and shown in another".into(),
                        });
                    }
                    State::Known(v)
                }
                (Some(s), _) => s,
            };
            states.insert(key.clone(), merged);
        }
        relations.extend(registry.relations().iter().map(|r| keyed(registry, r)));
    }
    let keys: Vec<Key> = states.keys().cloned().collect();
    let id: BTreeMap<&Key, usize> = keys.iter().enumerate().map(|(i, k)| (k, i)).collect();
    let mut ties: Vec<Tie> = relations
        .iter()
        .filter_map(|r| match r {
            KeyedTie::Sum { total, parts } => Some(Tie::Sum {
                total: *id.get(total)?,
                parts: parts
                    .iter()
                    .map(|p| id.get(p).copied())
                    .collect::<Option<_>>()?,
            }),
            KeyedTie::AtMost { part, whole } => Some(Tie::AtMost {
                part: *id.get(part)?,
                whole: *id.get(whole)?,
            }),
        })
        .collect();
    ties.extend(betweens.into_iter().filter_map(|(terms, lower, upper)| {
        Some(Tie::Between {
            terms: terms
                .iter()
                .map(|(k, c)| id.get(k).map(|i| (*i, *c)))
                .collect::<Option<_>>()?,
            lower,
            upper,
        })
    }));
    let knowledge = Knowledge {
        states: keys.iter().map(|k| states[k]).collect(),
        ties,
    };
    let unknowns = knowledge.unknowns();
    let parts = unknowns.parts();
    let every_part: Vec<&Part> = parts.iter().collect();
    let judge = Judge {
        truth: &|count| truth[&keys[count]],
        policy,
    };
    for exposures in unknowns.exposures_of(&knowledge, &every_part, &judge) {
        for exposure in exposures {
            let key = &keys[exposure.count];
            if policy.protects(truth[key], exposure.range) {
                continue;
            }
            let problem = match exposure.range {
                None => "hidden, but the audit could not bound it".to_string(),
                Some((low, high)) if low == high => {
                    format!("hidden, but it can be worked out: {low}")
                }
                Some((low, high)) => format!(
                    "hidden, but it can only be {low} to {high}, fewer than the {} values a small count needs",
                    policy.protection
                ),
            };
            findings.push(Finding {
                quantity: key.id(),
                problem,
            });
        }
    }
    findings
}
