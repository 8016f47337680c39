//! Quantities with identity: every number a report can publish is one quantity, named by what
//! it counts, its period and its breakdown (stage 1 received · 2024-25 · service = Care Leavers),
//! registered once however many tables, sentences and charts show it. The relations between
//! quantities — sums and subtotals, subsets, derived values — are declared once, here, where the
//! numbers are made; publication reads them to hide what must be hidden everywhere, and to prove
//! that nothing hidden can be worked out.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::period::Period;

/// A quantity, by its place in the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Q(pub u32);

/// The span of days a quantity is about. Two documents agree on a quantity when they agree on
/// its dates, whatever they call the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl From<&Period> for Span {
    fn from(period: &Period) -> Span {
        Span {
            start: period.start,
            end: period.end,
        }
    }
}

/// What a quantity is: what it counts or measures, over which days, broken down how.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    /// `stage1.received`, `starts`, `stage1.band`…
    pub measure: String,
    pub span: Span,
    /// The breakdown, if any: (`service`, `Care Leavers`).
    pub breakdown: Option<(&'static str, String)>,
}

impl Key {
    pub fn new(measure: impl Into<String>, span: Span) -> Key {
        Key {
            measure: measure.into(),
            span,
            breakdown: None,
        }
    }

    pub fn by(mut self, dimension: &'static str, value: impl Into<String>) -> Key {
        self.breakdown = Some((dimension, value.into()));
        self
    }

    /// A stable identity, for audits across reports: `stage1.received|2024-04-01..2025-03-31|service=Care Leavers`.
    pub fn id(&self) -> String {
        let mut id = format!("{}|{}..{}", self.measure, self.span.start, self.span.end);
        if let Some((dimension, value)) = &self.breakdown {
            id.push_str(&format!("|{dimension}={value}"));
        }
        id
    }
}

/// Whose count it is: decides whether a small value must be hidden.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// People or cases: a small count could identify a child or family.
    People,
    /// Learning actions: about what the council does, not about people.
    Actions,
    /// Ombudsman cases: the Ombudsman publishes its own decisions on each council, so a policy may
    /// show them.
    Ombudsman,
}

/// How a derived value is computed from counts. A derived value is shown only when nothing it
/// is computed from is hidden: it could give a hidden count away.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Formula {
    /// `100 × part / whole`.
    Percent { part: Q, whole: Q },
    /// `now − before`.
    Change { now: Q, before: Q },
    /// `100 × (now − before) / before`.
    ChangePercent { now: Q, before: Q },
    /// A mean, median or total over the cases counted by `count`: it describes those few cases.
    Describes { count: Q },
    /// `scale × count / denominator`, the denominator from outside the data (context figures).
    Rate {
        count: Q,
        denominator: f64,
        scale: f64,
    },
    /// `count / months`.
    PerMonth { count: Q, months: f64 },
}

impl Formula {
    pub fn inputs(&self) -> Vec<Q> {
        match *self {
            Formula::Percent { part, whole } => vec![part, whole],
            Formula::Change { now, before } | Formula::ChangePercent { now, before } => {
                vec![now, before]
            }
            Formula::Describes { count }
            | Formula::Rate { count, .. }
            | Formula::PerMonth { count, .. } => vec![count],
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Count(i64),
    /// A measure; `None` when there is nothing to measure.
    Measure(Option<f64>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    pub key: Key,
    pub value: Value,
    pub subject: Subject,
    /// Some view may show it. A quantity that is never shown (a cell of a cross-tabulation that
    /// links two tables) still constrains what can be worked out.
    pub publishable: bool,
    pub formula: Option<Formula>,
}

impl Quantity {
    pub fn count(&self) -> Option<i64> {
        match self.value {
            Value::Count(n) if self.formula.is_none() => Some(n),
            _ => None,
        }
    }
}

/// How quantities are tied together, as a reader who knows the subject can tell.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Relation {
    /// `total = Σ parts`.
    Sum { total: Q, parts: Vec<Q> },
    /// `part ≤ whole`: responded to ≤ received.
    AtMost { part: Q, whole: Q },
}

impl Relation {
    pub fn members(&self) -> Vec<Q> {
        match self {
            Relation::Sum { total, parts } => std::iter::once(*total)
                .chain(parts.iter().copied())
                .collect(),
            Relation::AtMost { part, whole } => vec![*part, *whole],
        }
    }
}

/// Every quantity of a report and the relations between them.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    quantities: Vec<Quantity>,
    index: HashMap<Key, Q>,
    relations: Vec<Relation>,
    seen_relations: std::collections::HashSet<Relation>,
}

impl Registry {
    pub fn get(&self, q: Q) -> &Quantity {
        &self.quantities[q.0 as usize]
    }

    pub fn find(&self, key: &Key) -> Option<Q> {
        self.index.get(key).copied()
    }

    pub fn len(&self) -> usize {
        self.quantities.len()
    }

    pub fn is_empty(&self) -> bool {
        self.quantities.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (Q, &Quantity)> {
        self.quantities
            .iter()
            .enumerate()
            .map(|(i, q)| (Q(i as u32), q))
    }

    pub fn relations(&self) -> &[Relation] {
        &self.relations
    }

    fn register(&mut self, quantity: Quantity) -> Q {
        if let Some(&q) = self.index.get(&quantity.key) {
            let existing = &mut self.quantities[q.0 as usize];
            assert_eq!(
                existing.value,
                quantity.value,
                "the quantity {} has two values",
                quantity.key.id()
            );
            existing.publishable |= quantity.publishable;
            return q;
        }
        let q = Q(self.quantities.len() as u32);
        self.index.insert(quantity.key.clone(), q);
        self.quantities.push(quantity);
        q
    }

    /// A count some view may show.
    pub fn count(&mut self, key: Key, value: i64, subject: Subject) -> Q {
        self.register(Quantity {
            key,
            value: Value::Count(value),
            subject,
            publishable: true,
            formula: None,
        })
    }

    /// A count no view shows, which ties shown counts together (a cell of a cross-tabulation).
    pub fn linking_count(&mut self, key: Key, value: i64, subject: Subject) -> Q {
        self.register(Quantity {
            key,
            value: Value::Count(value),
            subject,
            publishable: false,
            formula: None,
        })
    }

    /// Says whose count `q` is, where that is known only from its label (a type that means the
    /// Ombudsman).
    pub fn set_subject(&mut self, q: Q, subject: Subject) {
        self.quantities[q.0 as usize].subject = subject;
    }

    /// Says that no view shows `q` (it is folded into a group instead).
    pub fn set_unpublished(&mut self, q: Q) {
        self.quantities[q.0 as usize].publishable = false;
    }

    /// A value computed from counts.
    pub fn derived(&mut self, key: Key, value: Option<f64>, formula: Formula) -> Q {
        let subject = formula
            .inputs()
            .first()
            .map(|q| self.get(*q).subject)
            .unwrap_or(Subject::People);
        self.register(Quantity {
            key,
            value: Value::Measure(value.filter(|v| v.is_finite())),
            subject,
            publishable: true,
            formula: Some(formula),
        })
    }

    /// Declares `total = Σ parts` (once, however often it is declared).
    pub fn sum(&mut self, total: Q, parts: &[Q]) {
        if parts.is_empty() {
            return;
        }
        debug_assert_eq!(
            self.get(total).count(),
            parts
                .iter()
                .map(|p| self.get(*p).count())
                .sum::<Option<i64>>(),
            "a declared sum does not add up: {}",
            self.get(total).key.id()
        );
        self.relate(Relation::Sum {
            total,
            parts: parts.to_vec(),
        });
    }

    /// Declares `part ≤ whole`.
    pub fn at_most(&mut self, part: Q, whole: Q) {
        if part != whole {
            self.relate(Relation::AtMost { part, whole });
        }
    }

    fn relate(&mut self, relation: Relation) {
        debug_assert!(
            relation
                .members()
                .windows(2)
                .all(|w| self.get(w[0]).key.span == self.get(w[1]).key.span),
            "a relation across periods: {relation:?}"
        );
        if self.seen_relations.insert(relation.clone()) {
            self.relations.push(relation);
        }
    }

    /// The periods quantities are about, in date order.
    pub fn spans(&self) -> Vec<Span> {
        let mut spans: Vec<Span> = self.quantities.iter().map(|q| q.key.span).collect();
        spans.sort();
        spans.dedup();
        spans
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2024-25, as a quantity's span.
    fn span() -> Span {
        Span::from(&crate::period::FinancialYear::starting(2024).period())
    }

    #[test]
    fn the_same_quantity_in_two_tables_is_one_quantity() {
        let mut registry = Registry::default();
        let a = registry.count(Key::new("stage1.received", span()), 9, Subject::People);
        let b = registry.count(Key::new("stage1.received", span()), 9, Subject::People);
        assert_eq!(a, b);
        assert_eq!(registry.len(), 1);
        let c = registry.count(
            Key::new("stage1.received", span()).by("service", "Fostering"),
            4,
            Subject::People,
        );
        assert_ne!(a, c);
        assert_eq!(
            registry.get(c).key.id(),
            "stage1.received|2024-04-01..2025-03-31|service=Fostering"
        );
    }

    #[test]
    #[should_panic(expected = "has two values")]
    fn one_quantity_cannot_have_two_values() {
        let mut registry = Registry::default();
        registry.count(Key::new("stage1.received", span()), 9, Subject::People);
        registry.count(Key::new("stage1.received", span()), 8, Subject::People);
    }

    #[test]
    fn relations_are_declared_once() {
        let mut registry = Registry::default();
        let total = registry.count(Key::new("t", span()), 3, Subject::People);
        let a = registry.count(Key::new("t", span()).by("x", "a"), 1, Subject::People);
        let b = registry.count(Key::new("t", span()).by("x", "b"), 2, Subject::People);
        registry.sum(total, &[a, b]);
        registry.sum(total, &[a, b]);
        registry.at_most(a, total);
        assert_eq!(registry.relations().len(), 2);
    }
}
