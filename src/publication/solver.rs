//! What a reader can work out: given the counts a report shows, the counts it hides and the
//! arithmetic everyone knows (sums, subsets, shown percentages and changes), the smallest and
//! largest value each hidden count can take. Each is an integer program, solved by branch and
//! bound (microlp) over the few unknowns that constraints tie together.
//!
//! Fails safe: a solver error, panic, or an answer that does not satisfy the constraints is
//! reported as "cannot tell", which publication treats as not protected.

use std::collections::{BTreeMap, BTreeSet};

use microlp::{ComparisonOp, OptimizationDirection, Problem, SolutionStatus, SolveOutcome};

/// An unknown's bounds before any constraint: hidden counts are never zero (zeros are shown),
/// unpublished ones may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds {
    pub min: i64,
    pub max: i64,
}

/// Large enough for any count of cases a council holds, small enough for the solver's integers.
pub const NO_LIMIT: i64 = 10_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Le,
    Ge,
}

/// `Σ coefficient × unknown  op  rhs`, over unknowns by index.
#[derive(Debug, Clone, PartialEq)]
pub struct Linear {
    pub terms: Vec<(usize, f64)>,
    pub op: Op,
    pub rhs: f64,
}

impl Linear {
    fn holds(&self, values: &[f64]) -> bool {
        let lhs: f64 = self.terms.iter().map(|(v, c)| c * values[*v]).sum();
        let slack = 1e-6 * (1.0 + self.rhs.abs());
        match self.op {
            Op::Eq => (lhs - self.rhs).abs() <= slack,
            Op::Le => lhs <= self.rhs + slack,
            Op::Ge => lhs >= self.rhs - slack,
        }
    }
}

/// Unknowns and the constraints on them.
#[derive(Debug, Clone, Default)]
pub struct System {
    pub bounds: Vec<Bounds>,
    pub constraints: Vec<Linear>,
}

impl System {
    pub fn unknown(&mut self, bounds: Bounds) -> usize {
        self.bounds.push(bounds);
        self.bounds.len() - 1
    }

    /// The unknowns tied together by constraints: each component can be solved on its own.
    pub fn components(&self) -> Vec<Vec<usize>> {
        let mut parent: Vec<usize> = (0..self.bounds.len()).collect();
        fn root(parent: &mut [usize], mut x: usize) -> usize {
            while parent[x] != x {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }
            x
        }
        for constraint in &self.constraints {
            let mut terms = constraint.terms.iter().map(|(v, _)| *v);
            if let Some(first) = terms.next() {
                for other in terms {
                    let (a, b) = (root(&mut parent, first), root(&mut parent, other));
                    if a != b {
                        parent[a] = b;
                    }
                }
            }
        }
        let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for v in 0..self.bounds.len() {
            let r = root(&mut parent, v);
            groups.entry(r).or_default().push(v);
        }
        groups.into_values().collect()
    }

    /// The smallest and largest integer value unknown `target` can take; `None` when the solver
    /// cannot say for certain.
    pub fn range(&self, target: usize, component: &[usize]) -> Option<(i64, i64)> {
        let members: BTreeSet<usize> = component.iter().copied().collect();
        let constrained = self
            .constraints
            .iter()
            .any(|c| c.terms.iter().any(|(v, _)| *v == target));
        if !constrained {
            let b = self.bounds[target];
            return Some((b.min, b.max));
        }
        let low = self.optimum(target, &members, OptimizationDirection::Minimize)?;
        let high = self.optimum(target, &members, OptimizationDirection::Maximize)?;
        (low <= high).then_some((low, high))
    }

    fn optimum(
        &self,
        target: usize,
        members: &BTreeSet<usize>,
        direction: OptimizationDirection,
    ) -> Option<i64> {
        let solve = || -> Option<i64> {
            let mut problem = Problem::new(direction);
            let index: BTreeMap<usize, usize> =
                members.iter().enumerate().map(|(i, v)| (*v, i)).collect();
            let vars: Vec<microlp::Variable> = members
                .iter()
                .map(|v| {
                    let b = self.bounds[*v];
                    let objective = if *v == target { 1.0 } else { 0.0 };
                    problem.add_integer_var(objective, (b.min as i32, b.max as i32))
                })
                .collect();
            let used: Vec<&Linear> = self
                .constraints
                .iter()
                .filter(|c| c.terms.iter().any(|(v, _)| members.contains(v)))
                .collect();
            for constraint in &used {
                let terms: Vec<(microlp::Variable, f64)> = constraint
                    .terms
                    .iter()
                    .map(|(v, c)| (vars[index[v]], *c))
                    .collect();
                let op = match constraint.op {
                    Op::Eq => ComparisonOp::Eq,
                    Op::Le => ComparisonOp::Le,
                    Op::Ge => ComparisonOp::Ge,
                };
                problem.add_constraint(terms.as_slice(), op, constraint.rhs);
            }
            let SolveOutcome::Solution(solution) = problem.solve().ok()? else {
                return None;
            };
            if solution.status() != SolutionStatus::Optimal {
                return None;
            }
            // Check the answer rather than trust it.
            let mut values = vec![0.0; self.bounds.len()];
            for (v, i) in &index {
                let value = solution.var_value_raw(vars[*i]);
                if (value - value.round()).abs() > 1e-6 {
                    return None;
                }
                values[*v] = value.round();
            }
            if !used.iter().all(|c| c.holds(&values)) {
                return None;
            }
            Some(values[target] as i64)
        };
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(solve))
            .ok()
            .flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hidden() -> Bounds {
        Bounds {
            min: 1,
            max: NO_LIMIT,
        }
    }

    /// x + y = 5, both hidden (≥ 1): each is 1 to 4.
    #[test]
    fn a_pair_in_a_sum() {
        let mut system = System::default();
        let x = system.unknown(hidden());
        let y = system.unknown(hidden());
        system.constraints.push(Linear {
            terms: vec![(x, 1.0), (y, 1.0)],
            op: Op::Eq,
            rhs: 5.0,
        });
        let components = system.components();
        assert_eq!(components, vec![vec![0, 1]]);
        assert_eq!(system.range(x, &components[0]), Some((1, 4)));
    }

    /// Overlapping sums pin a cell: x + y = 3, x + z = 2, y + z = 3 gives x = 1.
    #[test]
    fn overlapping_sums_can_pin_a_value() {
        let mut system = System::default();
        let vars: Vec<usize> = (0..3).map(|_| system.unknown(hidden())).collect();
        for (a, b, rhs) in [(0, 1, 3.0), (0, 2, 2.0), (1, 2, 3.0)] {
            system.constraints.push(Linear {
                terms: vec![(vars[a], 1.0), (vars[b], 1.0)],
                op: Op::Eq,
                rhs,
            });
        }
        let component = system.components().remove(0);
        assert_eq!(system.range(vars[0], &component), Some((1, 1)));
    }

    /// A shown percentage of a shown whole narrows its hidden part: 40% of 10, rounded, is 4.
    #[test]
    fn a_shown_percentage_is_a_constraint() {
        let mut system = System::default();
        let part = system.unknown(hidden());
        system.constraints.push(Linear {
            terms: vec![(part, 1.0)],
            op: Op::Ge,
            rhs: 0.395 * 10.0,
        });
        system.constraints.push(Linear {
            terms: vec![(part, 1.0)],
            op: Op::Le,
            rhs: 0.405 * 10.0,
        });
        let component = system.components().remove(0);
        assert_eq!(system.range(part, &component), Some((4, 4)));
    }

    #[test]
    fn an_unconstrained_unknown_keeps_its_bounds() {
        let mut system = System::default();
        let x = system.unknown(hidden());
        assert_eq!(system.range(x, &[x]), Some((1, NO_LIMIT)));
    }
}
