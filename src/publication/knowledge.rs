//! What a reader knows about counts: which are shown and their values, which are hidden, which
//! are never published, and the arithmetic that ties them — built the same way for the
//! suppression pass (over everything a period's documents may show) and for the audit (over
//! what was actually published, in one report or several). Counts are dense ids here; callers
//! map their own identities (registry indices, or keys across reports) onto them.

use std::collections::BTreeSet;

use rayon::prelude::*;

use super::Policy;
use super::solver::{Bounds, Linear, NO_LIMIT, Op, Part, System};

/// What the reader knows of one count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Published with this value — or never published but zero, which a careful reader is
    /// assumed to know (a refused complaint with a stage, say): the cautious assumption.
    Known(i64),
    /// Published as `[c]`: at least 1, since zeros are always shown.
    Hidden,
    /// Never published, and not zero: at least 0.
    Unpublished,
}

/// A relation between counts, by id.
#[derive(Debug, Clone, PartialEq)]
pub enum Tie {
    Sum {
        total: usize,
        parts: Vec<usize>,
    },
    AtMost {
        part: usize,
        whole: usize,
    },
    /// `lower ≤ Σ coefficient × count ≤ upper`: a shown percentage, change or rate, with the
    /// rounding it was shown to.
    Between {
        terms: Vec<(usize, f64)>,
        lower: f64,
        upper: f64,
    },
}

/// Counts as a reader sees them.
#[derive(Debug, Clone, Default)]
pub struct Knowledge {
    pub states: Vec<State>,
    pub ties: Vec<Tie>,
}

/// The system of unknowns: which count each unknown is.
pub struct Unknowns {
    pub system: System,
    /// The count of each unknown.
    pub counts: Vec<usize>,
}

/// How narrowly a hidden count can be worked out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exposure {
    pub count: usize,
    /// The smallest and largest value it can take, or `None` when the solver could not say.
    /// For a count found protected, possibly a narrower range it is known to span.
    pub range: Option<(i64, i64)>,
}

impl Knowledge {
    /// The hidden and unpublished counts as unknowns, and every tie as a constraint on them.
    pub fn unknowns(&self) -> Unknowns {
        let mut system = System::default();
        let mut counts = Vec::new();
        let mut unknown_of = vec![usize::MAX; self.states.len()];
        for (count, state) in self.states.iter().enumerate() {
            let bounds = match state {
                State::Known(_) => continue,
                State::Hidden => Bounds {
                    min: 1,
                    max: NO_LIMIT,
                },
                State::Unpublished => Bounds {
                    min: 0,
                    max: NO_LIMIT,
                },
            };
            unknown_of[count] = system.unknown(bounds);
            counts.push(count);
        }
        let mut terms_buffer: Vec<(usize, f64)> = Vec::new();
        for tie in &self.ties {
            terms_buffer.clear();
            let bounds: [(Op, f64); 2] = match tie {
                Tie::Sum { total, parts } => {
                    terms_buffer.push((*total, 1.0));
                    terms_buffer.extend(parts.iter().map(|p| (*p, -1.0)));
                    [(Op::Eq, 0.0), (Op::Eq, f64::NAN)]
                }
                Tie::AtMost { part, whole } => {
                    terms_buffer.extend([(*part, 1.0), (*whole, -1.0)]);
                    [(Op::Le, 0.0), (Op::Le, f64::NAN)]
                }
                Tie::Between {
                    terms,
                    lower,
                    upper,
                } => {
                    terms_buffer.extend(terms.iter().copied());
                    [(Op::Ge, *lower), (Op::Le, *upper)]
                }
            };
            let mut constant = 0.0;
            let mut unknown_terms: Vec<(usize, f64)> = Vec::new();
            for &(count, coefficient) in &terms_buffer {
                match self.states[count] {
                    State::Known(value) => constant += coefficient * value as f64,
                    _ => {
                        let var = unknown_of[count];
                        match unknown_terms.iter_mut().find(|(v, _)| *v == var) {
                            Some((_, c)) => *c += coefficient,
                            None => unknown_terms.push((var, coefficient)),
                        }
                    }
                }
            }
            unknown_terms.retain(|(_, c)| *c != 0.0);
            if unknown_terms.is_empty() {
                continue;
            }
            for (op, rhs) in bounds {
                if !rhs.is_finite() {
                    continue;
                }
                system.constraints.push(Linear {
                    terms: unknown_terms.clone(),
                    op,
                    rhs: rhs - constant,
                });
            }
        }
        Unknowns { system, counts }
    }
}

/// What the solver is told of the counts: each one's true value, by count, and the policy
/// that says whether a range it can take protects it.
pub struct Judge<'a> {
    pub truth: &'a (dyn Fn(usize) -> i64 + Sync),
    pub policy: &'a Policy,
}

impl Judge<'_> {
    /// Whether count `count` is protected if a reader can narrow it to `range`: holding for any
    /// wider range when it holds for a narrower, as the solver's early stop needs.
    fn protected(&self, count: usize, range: (i64, i64)) -> bool {
        self.policy.protects((self.truth)(count), Some(range))
    }
}

impl Unknowns {
    /// The unknowns tied together, each with the constraints on them: solved one by one.
    pub fn parts(&self) -> Vec<Part> {
        self.system.parts()
    }

    /// How narrowly each hidden count in `part` can be worked out, in the part's order. A
    /// count shown to be `protected` (given the count and a range it can take; holding for any
    /// wider range when it holds for a narrower one) may get a range narrower than the exact
    /// one; any other gets its exact range. `truth` gives each count's true value: a set of
    /// values the reader cannot rule out, so a first witness for free.
    pub fn exposures(&self, knowledge: &Knowledge, part: &Part, judge: &Judge) -> Vec<Exposure> {
        let hidden: Vec<usize> = (0..part.unknowns.len())
            .filter(|local| knowledge.states[self.counts[part.unknowns[*local]]] == State::Hidden)
            .collect();
        let count = |local: usize| self.counts[part.unknowns[local]];
        let truth: Vec<i64> = (0..part.unknowns.len())
            .map(|local| (judge.truth)(count(local)))
            .collect();
        let ranges = part.system.ranges(&hidden, Some(&truth), |local, range| {
            judge.protected(count(local), range)
        });
        hidden
            .into_iter()
            .zip(ranges)
            .map(|(local, range)| Exposure {
                count: count(local),
                range,
            })
            .collect()
    }

    /// The exposures of each of `parts`, in their order, the parts solved side by side.
    pub fn exposures_of(
        &self,
        knowledge: &Knowledge,
        parts: &[&Part],
        judge: &Judge,
    ) -> Vec<Vec<Exposure>> {
        parts
            .par_iter()
            .map(|part| self.exposures(knowledge, part, judge))
            .collect()
    }

    /// The counts of a part, sorted: its identity while the knowledge does not change
    /// elsewhere.
    pub fn signature(&self, part: &Part) -> Vec<usize> {
        let mut counts: Vec<usize> = part.unknowns.iter().map(|v| self.counts[*v]).collect();
        counts.sort_unstable();
        counts
    }

    /// Whether any of `counts` is in the part.
    pub fn touches(&self, part: &Part, counts: &BTreeSet<usize>) -> bool {
        part.unknowns
            .iter()
            .any(|v| counts.contains(&self.counts[*v]))
    }
}
