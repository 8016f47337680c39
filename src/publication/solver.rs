//! What a reader can work out: given the counts a report shows, the counts it hides and the
//! arithmetic everyone knows (sums, subsets, shown percentages and changes), the smallest and
//! largest value each hidden count can take. Each is an integer program, solved by branch and
//! bound (microlp) over the few unknowns that constraints tie together.
//!
//! Fails safe: a solver error, panic, or an answer that does not satisfy the constraints is
//! reported as "cannot tell", which publication treats as not protected.

use std::collections::BTreeMap;

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

/// A component of a system: its unknowns (by their number in the whole system) and the part
/// of the system over them, numbered in the same order.
#[derive(Debug, Clone)]
pub struct Part {
    pub unknowns: Vec<usize>,
    pub system: System,
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
    fn components(&self) -> Vec<Vec<usize>> {
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

    /// Each component with the constraints on it, renumbered from 0, so that each is solved
    /// on its own without sifting every constraint of the whole system for every unknown.
    pub fn parts(&self) -> Vec<Part> {
        let components = self.components();
        // Each unknown's component and its place in it.
        let mut place = vec![(0, 0); self.bounds.len()];
        let mut parts: Vec<Part> = components
            .into_iter()
            .enumerate()
            .map(|(part, unknowns)| {
                for (local, unknown) in unknowns.iter().enumerate() {
                    place[*unknown] = (part, local);
                }
                Part {
                    system: System {
                        bounds: unknowns.iter().map(|v| self.bounds[*v]).collect(),
                        constraints: Vec::new(),
                    },
                    unknowns,
                }
            })
            .collect();
        for constraint in &self.constraints {
            // A constraint ties its unknowns into one component: its first says which.
            let Some((first, _)) = constraint.terms.first() else {
                continue;
            };
            parts[place[*first].0].system.constraints.push(Linear {
                terms: constraint
                    .terms
                    .iter()
                    .map(|(v, coefficient)| (place[*v].1, *coefficient))
                    .collect(),
                op: constraint.op,
                rhs: constraint.rhs,
            });
        }
        parts
    }

    /// The smallest and largest integer value unknown `target` can take, given every
    /// constraint; `None` when the solver cannot say for certain. Meant for one part.
    #[cfg(test)]
    pub fn range(&self, target: usize) -> Option<(i64, i64)> {
        self.ranges(&[target], None, |_, _| false).remove(0)
    }

    /// For each of `targets`, the values it can take — exactly, or, once the solutions already
    /// found show it taking a spread of values that is `enough` (given the target and that
    /// spread), that spread. Each solution is a whole point that satisfies every constraint,
    /// so it shows a value every unknown can take: most targets are shown protected by the
    /// solutions found for the others, without their own pair of integer programs. `enough`
    /// must hold for any wider range when it holds for a narrower one; then it holds of the
    /// answer exactly when it holds of the exact range. `None` when the solver cannot say.
    ///
    /// `known` is a point already known, such as the true values: the first solution, when it
    /// satisfies every constraint (it is checked, not trusted).
    pub fn ranges(
        &self,
        targets: &[usize],
        known: Option<&[i64]>,
        enough: impl Fn(usize, (i64, i64)) -> bool,
    ) -> Vec<Option<(i64, i64)>> {
        let mut seen: Vec<Option<(i64, i64)>> = vec![None; self.bounds.len()];
        let witness = |point: &[i64], seen: &mut Vec<Option<(i64, i64)>>| {
            for (spread, value) in seen.iter_mut().zip(point) {
                *spread = Some(spread.map_or((*value, *value), |(low, high)| {
                    (low.min(*value), high.max(*value))
                }));
            }
        };
        if let Some(point) = known.filter(|point| self.satisfies(point)) {
            witness(point, &mut seen);
        }
        targets
            .iter()
            .map(|&target| {
                let constrained = self
                    .constraints
                    .iter()
                    .any(|c| c.terms.iter().any(|(v, _)| *v == target));
                if !constrained {
                    let b = self.bounds[target];
                    return Some((b.min, b.max));
                }
                let shown_enough = |seen: &[Option<(i64, i64)>]| {
                    seen[target].filter(|spread| enough(target, *spread))
                };
                if let Some(spread) = shown_enough(&seen) {
                    return Some(spread);
                }
                let highest = self.optimum(target, OptimizationDirection::Maximize)?;
                witness(&highest, &mut seen);
                if let Some(spread) = shown_enough(&seen) {
                    return Some(spread);
                }
                let lowest = self.optimum(target, OptimizationDirection::Minimize)?;
                witness(&lowest, &mut seen);
                let (low, high) = (lowest[target], highest[target]);
                (low <= high).then_some((low, high))
            })
            .collect()
    }

    /// A solution that makes `target` as small or as large as it can be, checked.
    fn optimum(&self, target: usize, direction: OptimizationDirection) -> Option<Vec<i64>> {
        let solve = || -> Option<Vec<i64>> {
            let mut problem = Problem::new(direction);
            let vars: Vec<microlp::Variable> = self
                .bounds
                .iter()
                .enumerate()
                .map(|(v, b)| {
                    let objective = if v == target { 1.0 } else { 0.0 };
                    problem.add_integer_var(objective, (b.min as i32, b.max as i32))
                })
                .collect();
            for constraint in &self.constraints {
                let terms: Vec<(microlp::Variable, f64)> = constraint
                    .terms
                    .iter()
                    .map(|(v, c)| (vars[*v], *c))
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
            let mut point = Vec::with_capacity(vars.len());
            for var in &vars {
                let value = solution.var_value_raw(*var);
                if (value - value.round()).abs() > 1e-6 {
                    return None;
                }
                point.push(value.round() as i64);
            }
            self.satisfies(&point).then_some(point)
        };
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(solve))
            .ok()
            .flatten()
    }

    /// Whether `point` gives every unknown a value within its bounds that meets every
    /// constraint: a set of values a reader cannot rule out.
    fn satisfies(&self, point: &[i64]) -> bool {
        let values: Vec<f64> = point.iter().map(|value| *value as f64).collect();
        point.len() == self.bounds.len()
            && point
                .iter()
                .zip(&self.bounds)
                .all(|(value, b)| (b.min..=b.max).contains(value))
            && self.constraints.iter().all(|c| c.holds(&values))
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

    /// The constraint that `vars` add up to `total`.
    fn sum_is(vars: &[usize], total: f64) -> Linear {
        Linear {
            terms: vars.iter().map(|v| (*v, 1.0)).collect(),
            op: Op::Eq,
            rhs: total,
        }
    }

    /// x + y = 5, both hidden (≥ 1): each is 1 to 4.
    #[test]
    fn a_pair_in_a_sum() {
        let mut system = System::default();
        let x = system.unknown(hidden());
        let y = system.unknown(hidden());
        system.constraints.push(sum_is(&[x, y], 5.0));
        let parts = system.parts();
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].unknowns, vec![x, y]);
        assert_eq!(parts[0].system.range(0), Some((1, 4)));
    }

    /// Overlapping sums pin a cell: x + y = 3, x + z = 2, y + z = 3 gives x = 1.
    #[test]
    fn overlapping_sums_can_pin_a_value() {
        let mut system = System::default();
        let vars: Vec<usize> = (0..3).map(|_| system.unknown(hidden())).collect();
        for (a, b, rhs) in [(0, 1, 3.0), (0, 2, 2.0), (1, 2, 3.0)] {
            system.constraints.push(sum_is(&[vars[a], vars[b]], rhs));
        }
        let part = system.parts().remove(0);
        assert_eq!(part.unknowns, vars);
        assert_eq!(part.system.range(0), Some((1, 1)));
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
        assert_eq!(system.parts()[0].system.range(part), Some((4, 4)));
    }

    #[test]
    fn an_unconstrained_unknown_keeps_its_bounds() {
        let mut system = System::default();
        let x = system.unknown(hidden());
        assert_eq!(system.range(x), Some((1, NO_LIMIT)));
    }

    /// Unknowns tied by no constraint are solved apart, each part renumbered from 0 with only
    /// its own constraints: a, then x + y = 5, then 2 ≤ z ≤ 3.
    #[test]
    fn parts_hold_only_their_own_constraints() {
        let mut system = System::default();
        let a = system.unknown(hidden());
        let x = system.unknown(hidden());
        let z = system.unknown(hidden());
        let y = system.unknown(hidden());
        system.constraints.push(sum_is(&[x, y], 5.0));
        for (op, rhs) in [(Op::Ge, 2.0), (Op::Le, 3.0)] {
            system.constraints.push(Linear {
                terms: vec![(z, 1.0)],
                op,
                rhs,
            });
        }
        let mut parts = system.parts();
        parts.sort_by_key(|part| part.unknowns.clone());
        let unknowns: Vec<&[usize]> = parts.iter().map(|p| p.unknowns.as_slice()).collect();
        assert_eq!(unknowns, vec![&[a][..], &[x, y], &[z]]);
        let constraints: Vec<usize> = parts.iter().map(|p| p.system.constraints.len()).collect();
        assert_eq!(constraints, vec![0, 1, 2]);
        assert_eq!(parts[0].system.range(0), Some((1, NO_LIMIT)));
        assert_eq!(parts[1].system.range(1), Some((1, 4)));
        assert_eq!(parts[2].system.range(0), Some((2, 3)));
    }

    /// x + y + z = 10, each hidden (≥ 1): each is exactly 1 to 8. Asked only whether each
    /// spans 3 values, the answer may stop short of the exact range, but it is always inside
    /// it and wide enough; a count that is not protected gets its exact range.
    #[test]
    fn ranges_stop_once_the_solutions_found_show_enough() {
        let mut system = System::default();
        let vars: Vec<usize> = (0..3).map(|_| system.unknown(hidden())).collect();
        system.constraints.push(sum_is(&vars, 10.0));
        let exact = system.ranges(&vars, None, |_, _| false);
        assert_eq!(exact, vec![Some((1, 8)); 3]);
        let spans_three = |_: usize, (low, high): (i64, i64)| high - low + 1 >= 3;
        for range in system.ranges(&vars, None, spans_three) {
            let (low, high) = range.expect("solvable");
            assert!((1..=8).contains(&low) && (1..=8).contains(&high));
            assert!(spans_three(0, (low, high)));
        }
        let never_enough_for_z =
            |v: usize, spread: (i64, i64)| v != vars[2] && spans_three(v, spread);
        assert_eq!(
            system.ranges(&vars, None, never_enough_for_z)[2],
            Some((1, 8))
        );
    }

    /// x + y = 5, each hidden: a known point counts as a solution only when it is one. The
    /// truth (2, 3) and x's largest value, 4, show x spanning 2 to 4 — three values — without
    /// x's smallest being sought. A point off the constraint, (7, 1), is not taken: with it, x
    /// would seem to span 4 to 7, values it cannot take; without it, x gets its exact range.
    #[test]
    fn a_known_point_is_a_solution_only_when_it_satisfies_every_constraint() {
        let mut system = System::default();
        let x = system.unknown(hidden());
        let y = system.unknown(hidden());
        system.constraints.push(sum_is(&[x, y], 5.0));
        let spans_three = |_: usize, (low, high): (i64, i64)| high - low + 1 >= 3;
        assert_eq!(
            system.ranges(&[x], Some(&[2, 3]), spans_three),
            vec![Some((2, 4))]
        );
        assert_eq!(
            system.ranges(&[x], Some(&[7, 1]), spans_three),
            vec![Some((1, 4))]
        );
        let too_short: &[i64] = &[2];
        assert_eq!(
            system.ranges(&[x], Some(too_short), spans_three),
            vec![Some((1, 4))]
        );
    }
}
