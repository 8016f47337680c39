//! One suppression pass over every quantity a report may publish: a count is hidden everywhere
//! it appears or nowhere.
//!
//! Primary: counts of people or cases from 1 to N−1. Secondary, as the statistics offices do for
//! linked tables: while any hidden count can be worked out more narrowly than the protection
//! interval allows (`Policy::protection`: at least N−1 possible values for a small count; more
//! than one for any hidden count), hide one more — the smallest count tied to it by a sum or a
//! subset, a part before a total. Each period is solved on its own, from its own counts, so a
//! year is hidden the same way in every report that shows it.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;

use super::Policy;
use super::knowledge::{Exposure, Judge, Knowledge, State, Tie};
use super::solver::Part;
use crate::error::{Error, Result};
use crate::figures::quantity::{Key, Q, Registry, Relation, Span};

/// The counts hidden, and what follows for derived values.
#[derive(Debug, Clone, Default)]
pub struct Pattern {
    hidden: BTreeSet<Q>,
    /// Counts never shown whose smallness must still not show through a percentage of them.
    small_unshown: BTreeSet<Q>,
}

impl Pattern {
    /// Hide nothing: the internal edition.
    pub fn none() -> Pattern {
        Pattern::default()
    }

    /// Whether quantity `q` is hidden: a count in the pattern, or a value computed from one.
    pub fn hides(&self, registry: &Registry, q: Q) -> bool {
        match registry.get(q).formula {
            Some(formula) => formula
                .inputs()
                .iter()
                .any(|input| self.hides(registry, *input) || self.small_unshown.contains(input)),
            None => self.hidden.contains(&q),
        }
    }

    pub fn hidden_count(&self) -> usize {
        self.hidden.len()
    }
}

/// Works out which counts to hide.
pub fn pattern(registry: &Registry, policy: &Policy) -> Result<Pattern> {
    let mut pattern = Pattern::default();
    if policy.suppress_below <= 1 {
        return Ok(pattern);
    }
    let totals: BTreeSet<Q> = registry
        .relations()
        .iter()
        .filter_map(|r| match r {
            Relation::Sum { total, .. } => Some(*total),
            Relation::AtMost { .. } => None,
        })
        .collect();
    let mut by_span: BTreeMap<Span, Vec<Q>> = BTreeMap::new();
    for (q, quantity) in registry.iter() {
        if quantity.count().is_some() {
            by_span.entry(quantity.key.span).or_default().push(q);
        }
    }
    for (q, quantity) in registry.iter() {
        if !quantity.publishable
            && policy.suppressible(quantity.subject)
            && quantity.count().is_some_and(|n| policy.is_small(n))
        {
            pattern.small_unshown.insert(q);
        }
    }
    // Periods are solved apart (see the module's note), so side by side; the first failure in
    // period order is the one reported, as solving them in turn would.
    let by_span: Vec<(Span, Vec<Q>)> = by_span.into_iter().collect();
    let solved: Vec<_> = by_span
        .par_iter()
        .map(|(_, members)| solve_period(registry, policy, members, &totals))
        .collect();
    for ((span, _), hidden) in by_span.iter().zip(solved) {
        let hidden = hidden.map_err(|key| Error::Disclosure(format!(
                "no pattern of hidden cells protects {} in the period {} to {}: every count it could hide behind is shown or zero",
                key.id(),
                span.start,
                span.end
            )))?;
        pattern.hidden.extend(hidden);
    }
    Ok(pattern)
}

/// One period's counts as the suppression pass sees them, by their place in `members`:
/// everything that may be published is taken as published, so the pattern holds whichever
/// document shows the period.
struct Period<'a> {
    registry: &'a Registry,
    policy: &'a Policy,
    members: Vec<Q>,
    values: Vec<i64>,
    publishable: Vec<bool>,
    ties: Vec<Tie>,
    /// Exposures of components already solved, by their counts (and which of them are hidden).
    verified: HashMap<Vec<usize>, Vec<Exposure>>,
}

impl Period<'_> {
    fn knowledge(&self, hidden: &[bool]) -> Knowledge {
        Knowledge {
            states: (0..self.members.len())
                .map(|i| {
                    if hidden[i] {
                        State::Hidden
                    } else if self.publishable[i] || self.values[i] == 0 {
                        State::Known(self.values[i])
                    } else {
                        State::Unpublished
                    }
                })
                .collect(),
            ties: self.ties.clone(),
        }
    }

    /// The hidden counts a reader can narrow too far, in key order; only in the components
    /// that hold `only`, when given.
    fn failing(&mut self, hidden: &[bool], only: Option<&BTreeSet<usize>>) -> Vec<usize> {
        let knowledge = self.knowledge(hidden);
        let unknowns = knowledge.unknowns();
        let parts = unknowns.parts();
        let mut signed: Vec<(Vec<usize>, &Part)> = Vec::new();
        for part in &parts {
            if only.is_some_and(|only| !unknowns.touches(part, only)) {
                continue;
            }
            let mut signature = unknowns.signature(part);
            // Which counts are hidden matters too, not only which are unknown.
            signature.extend(
                signature
                    .clone()
                    .iter()
                    .filter(|c| hidden[**c])
                    .map(|c| c + self.members.len()),
            );
            signed.push((signature, part));
        }
        let unsolved: Vec<&(Vec<usize>, &Part)> = signed
            .iter()
            .filter(|(signature, _)| !self.verified.contains_key(signature))
            .collect();
        let parts_to_solve: Vec<&Part> = unsolved.iter().map(|(_, part)| *part).collect();
        let values = &self.values;
        let judge = Judge {
            truth: &|count| values[count],
            policy: self.policy,
        };
        let solved = unknowns.exposures_of(&knowledge, &parts_to_solve, &judge);
        for ((signature, _), exposures) in unsolved.into_iter().zip(solved) {
            self.verified.insert(signature.clone(), exposures);
        }
        let mut failing = Vec::new();
        for (signature, _) in &signed {
            for exposure in &self.verified[signature] {
                if !self
                    .policy
                    .protects(self.values[exposure.count], exposure.range)
                {
                    failing.push(exposure.count);
                }
            }
        }
        let registry = self.registry;
        failing.sort_by(|a, b| {
            registry
                .get(self.members[*a])
                .key
                .cmp(&registry.get(self.members[*b]).key)
        });
        failing
    }
}

/// Counts that are provably the same number: a sum whose parts are all zero but one makes its
/// total that part (the refused total and the "Refused" type; the Ombudsman's cases and the
/// "LGSCO" type). Hiding one copy of a number shown elsewhere protects nothing, so copies are
/// hidden together. By place in `members`.
fn copies(values: &[i64], ties: &[Tie]) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..values.len()).collect();
    fn root(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for tie in ties {
        if let Tie::Sum { total, parts } = tie {
            let nonzero: Vec<&usize> = parts.iter().filter(|p| values[**p] != 0).collect();
            if let [only] = nonzero.as_slice() {
                let (a, b) = (root(&mut parent, *total), root(&mut parent, **only));
                if a != b {
                    parent[a] = b;
                }
            }
        }
    }
    let mut classes: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..values.len() {
        let r = root(&mut parent, i);
        classes.entry(r).or_default().push(i);
    }
    let mut out = vec![Vec::new(); values.len()];
    for class in classes.into_values() {
        for &i in &class {
            out[i] = class.clone();
        }
    }
    out
}

/// The hidden counts of one period; `Err` with the count that cannot be protected.
fn solve_period(
    registry: &Registry,
    policy: &Policy,
    members: &[Q],
    totals: &BTreeSet<Q>,
) -> std::result::Result<BTreeSet<Q>, Key> {
    let place: HashMap<Q, usize> = members.iter().enumerate().map(|(i, q)| (*q, i)).collect();
    let relations: Vec<&Relation> = registry
        .relations()
        .iter()
        .filter(|r| r.members().iter().all(|m| place.contains_key(m)))
        .collect();
    let ties: Vec<Tie> = relations
        .iter()
        .map(|r| match r {
            Relation::Sum { total, parts } => Tie::Sum {
                total: place[total],
                parts: parts.iter().map(|p| place[p]).collect(),
            },
            Relation::AtMost { part, whole } => Tie::AtMost {
                part: place[part],
                whole: place[whole],
            },
        })
        .collect();
    let mut related: Vec<Vec<usize>> = vec![Vec::new(); members.len()];
    for (i, relation) in relations.iter().enumerate() {
        for member in relation.members() {
            related[place[&member]].push(i);
        }
    }
    let values: Vec<i64> = members
        .iter()
        .map(|q| registry.get(*q).count().unwrap_or(0))
        .collect();
    let publishable: Vec<bool> = members
        .iter()
        .map(|q| registry.get(*q).publishable)
        .collect();
    let is_total: Vec<bool> = members.iter().map(|q| totals.contains(q)).collect();
    let copies = copies(&values, &ties);
    let eligible = |i: usize| {
        publishable[i] && policy.suppressible(registry.get(members[i]).subject) && values[i] > 0
    };
    let class_of =
        |i: usize| -> Vec<usize> { copies[i].iter().copied().filter(|m| eligible(*m)).collect() };
    let key = |i: usize| &registry.get(members[i]).key;

    let mut hidden = vec![false; members.len()];
    for (i, value) in values.iter().enumerate() {
        if eligible(i) && policy.is_small(*value) {
            for m in class_of(i) {
                hidden[m] = true;
            }
        }
    }
    let collect = |hidden: &[bool]| -> BTreeSet<Q> {
        (0..members.len())
            .filter(|i| hidden[*i])
            .map(|i| members[i])
            .collect()
    };
    if !hidden.iter().any(|h| *h) {
        return Ok(BTreeSet::new());
    }
    let mut period = Period {
        registry,
        policy,
        members: members.to_vec(),
        values: values.clone(),
        publishable: publishable.clone(),
        ties,
        verified: HashMap::new(),
    };
    loop {
        let failing = period.failing(&hidden, None);
        let Some(&worst) = failing.first() else {
            return Ok(collect(&hidden));
        };
        let neighbours =
            |of: &mut dyn Iterator<Item = usize>, hidden: &[bool]| -> BTreeSet<usize> {
                of.flat_map(|m| related[m].iter())
                    .flat_map(|r| relations[*r].members())
                    .map(|q| place[&q])
                    .filter(|c| !hidden[*c] && eligible(*c))
                    .collect()
            };
        let mut pool = neighbours(&mut std::iter::once(worst), &hidden);
        if pool.is_empty() {
            // Nothing beside it: widen to what the hidden and unpublished counts it is tied to,
            // step by step, are tied to — never to counts that cannot reach it.
            let mut reach: BTreeSet<usize> = BTreeSet::from([worst]);
            let mut frontier = vec![worst];
            while let Some(m) = frontier.pop() {
                for r in &related[m] {
                    for q in relations[*r].members() {
                        let c = place[&q];
                        let unknown = hidden[c] || (!publishable[c] && values[c] != 0);
                        if unknown && reach.insert(c) {
                            frontier.push(c);
                        }
                    }
                }
            }
            pool = neighbours(&mut reach.into_iter(), &hidden);
        }
        // Look one step ahead: of the cheapest candidates, the one that protects this count
        // and leaves fewest others exposed. Cheapest: a part before a total, the smaller, A to Z.
        let mut candidates: Vec<usize> = pool.into_iter().collect();
        candidates.sort_by(|a, b| {
            (is_total[*a], values[*a], key(*a)).cmp(&(is_total[*b], values[*b], key(*b)))
        });
        let mut seen_classes: BTreeSet<Vec<usize>> = BTreeSet::new();
        candidates.retain(|c| seen_classes.insert(copies[*c].clone()));
        let mut best: Option<((bool, usize), usize)> = None;
        for candidate in candidates.into_iter().take(8) {
            let class = class_of(candidate);
            let mut trial = hidden.clone();
            for m in &class {
                trial[*m] = true;
            }
            let touched: BTreeSet<usize> = class.iter().copied().chain([worst]).collect();
            let still = period.failing(&trial, Some(&touched));
            let score = (still.contains(&worst), still.len());
            if best.as_ref().is_none_or(|(b, _)| score < *b) {
                best = Some((score, candidate));
            }
            if score == (false, 0) {
                break;
            }
        }
        match best {
            Some((_, choice)) => {
                for m in class_of(choice) {
                    hidden[m] = true;
                }
            }
            None => return Err(key(worst).clone()),
        }
    }
}

/// A registered relation, by keys (for the audit across reports).
pub fn keyed(registry: &Registry, relation: &Relation) -> KeyedTie {
    let key = |q: &Q| registry.get(*q).key.clone();
    match relation {
        Relation::Sum { total, parts } => KeyedTie::Sum {
            total: key(total),
            parts: parts.iter().map(key).collect(),
        },
        Relation::AtMost { part, whole } => KeyedTie::AtMost {
            part: key(part),
            whole: key(whole),
        },
    }
}

/// A relation by keys: what two reports' registries agree on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum KeyedTie {
    Sum { total: Key, parts: Vec<Key> },
    AtMost { part: Key, whole: Key },
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::quantity::{Key, Subject};

    /// 2024-25, as a quantity's span.
    fn span() -> Span {
        Span::from(&crate::period::FinancialYear::starting(2024).period())
    }

    fn policy() -> Policy {
        Policy::default()
    }

    /// A table of three services and a total: 2, 9 and 30 of 41. The 2 is hidden; alone in its
    /// sum it would be 41 − 9 − 30, so the 9 is hidden too (the smallest other part).
    #[test]
    fn a_small_count_takes_the_next_smallest_part_with_it() {
        let mut registry = Registry::default();
        let total = registry.count(Key::new("s1", span()), 41, Subject::People);
        let parts: Vec<Q> = [("A", 2), ("B", 9), ("C", 30)]
            .iter()
            .map(|(l, n)| {
                registry.count(
                    Key::new("s1", span()).by("service", *l),
                    *n,
                    Subject::People,
                )
            })
            .collect();
        registry.sum(total, &parts);
        let pattern = pattern(&registry, &policy()).unwrap();
        assert!(pattern.hides(&registry, parts[0]));
        assert!(pattern.hides(&registry, parts[1]));
        assert!(!pattern.hides(&registry, parts[2]));
        assert!(!pattern.hides(&registry, total));
    }

    /// Two small parts that protect each other too narrowly (1 + 2 = 3: each is 1 or 2) need a
    /// third; a larger one widens the interval.
    #[test]
    fn two_small_counts_alone_are_not_enough() {
        let mut registry = Registry::default();
        let total = registry.count(Key::new("t", span()), 23, Subject::People);
        let parts: Vec<Q> = [("A", 1), ("B", 2), ("C", 20)]
            .iter()
            .map(|(l, n)| registry.count(Key::new("t", span()).by("x", *l), *n, Subject::People))
            .collect();
        registry.sum(total, &parts);
        let pattern = pattern(&registry, &policy()).unwrap();
        assert!(parts.iter().all(|p| pattern.hides(&registry, *p)));
    }

    /// Counts of actions are not about people: a small one is shown.
    #[test]
    fn counts_of_actions_are_shown() {
        let mut registry = Registry::default();
        let q = registry.count(Key::new("actions.due", span()), 2, Subject::Actions);
        let pattern = pattern(&registry, &policy()).unwrap();
        assert!(!pattern.hides(&registry, q));
    }
}
