//! What every section reads: the prepared data, the periods compared, and the registry its
//! quantities go into. Counts are registered for every period a document compares, whichever
//! its tables show, so a period's set of quantities — and so what publication hides in it — is
//! the same in every report that includes it.

use std::any::Any;
use std::cell::{RefCell, RefMut};
use std::rc::Rc;

use chrono::NaiveDate;
use polars::prelude::*;

use super::Settings;
use super::ahead::{self, Board, Frames, Wanted};
use super::counts::Counts;
use super::frame::Slots;
use super::model::{Audience, Cell, Symbol};
use super::quantity::{Formula, Key, Q, Registry, Relation, Span, Subject, Value};
use super::tables::label_text;
use super::timescales::{StageQuantities, StageTimes};
use crate::error::Result;
use crate::load::Dataset;
use crate::load::contract::{Source, ValueKind};
use crate::period::Period;

pub struct Inputs<'a> {
    pub dataset: &'a Dataset,
    pub settings: &'a Settings,
    pub period: &'a Period,
    pub slots: Slots,
    /// Representations with periods tagged on `received` and working days added.
    pub(super) representations: DataFrame,
    /// How the periods compared read in a title: "year on year", "by quarter".
    pub over_time: &'static str,
    /// What each compared period is, in a chart's description: "year", "quarter", "period".
    pub period_noun: &'static str,
    /// The day action statuses (and anything "still open") are judged on.
    pub as_at: NaiveDate,
    /// The data's own as-at date: a case with no response in the data is still open on it.
    pub data_as_at: NaiveDate,
    pub calendar: &'a crate::calendar::Calendar,
    pub audience: Audience,
    pub(super) registry: RefCell<Registry>,
    /// Public output groups categories below this (see `grouped`); `None` shows each.
    pub group_below: Option<u32>,
    /// Which periods another file covers, while a section reads that file (compliments).
    pub(super) coverage: RefCell<Option<Vec<bool>>>,
    /// Each stage's timescale quantities, registered once however many sections read them
    /// (the measures themselves are kept with what was worked out, `worked`).
    pub(super) stage_times: RefCell<std::collections::BTreeMap<i32, StageQuantities>>,
    /// The cross-tabulation of representations by type, route and role, once registered
    /// (`received::route_cube`): made once however many sections need it.
    pub(super) route_cube: RefCell<Option<super::received::RouteCube>>,
    /// What the sections have had worked out (`worked_out`), kept for the next section that
    /// reads it: stage 1's outcomes are read by the outcomes and again at a glance, who made
    /// stage 1 complaints by their own table and the children's.
    pub(super) worked: RefCell<std::collections::HashMap<Wanted, Rc<dyn Any>>>,
    /// The counts worked out on the other core, or claimed by the sections (`ahead`).
    pub(super) board: Board,
}

/// What `cache` holds for `key`, made by `make` the first time it is asked for: for what
/// several sections read and should be worked out once.
fn made_once<K: Ord, V: Clone>(
    cache: &RefCell<std::collections::BTreeMap<K, V>>,
    key: K,
    make: impl FnOnce() -> Result<V>,
) -> Result<V> {
    if let Some(found) = cache.borrow().get(&key) {
        return Ok(found.clone());
    }
    let made = make()?;
    cache.borrow_mut().insert(key, made.clone());
    Ok(made)
}

/// The rows of stage `stage`.
pub fn in_stage(stage: i32) -> Expr {
    col("stage").eq(lit(stage))
}

/// The quantities of a breakdown by label, per period.
#[derive(Debug, Clone, Default)]
pub struct Breakdown {
    /// Each label (`None`: not recorded) with its quantity in each period.
    pub rows: Vec<(Option<String>, Vec<Q>)>,
    /// What the rows add up to, or (several labels to a row) the mentions.
    pub total: Vec<Q>,
}

/// How a breakdown's rows relate to a whole.
pub enum Whole<'a> {
    /// The rows are a new whole: their total is registered as the measure itself.
    Own,
    /// The rows divide these quantities (one label to a row).
    Divides(&'a [Q]),
    /// Each row is part of these (several labels to a row); the rows' total counts mentions.
    Mentions(&'a [Q]),
}

impl Inputs<'_> {
    pub fn representations(&self) -> LazyFrame {
        self.representations.clone().lazy()
    }

    /// What the counts are made from, shared with the other core.
    pub(super) fn frames(&self) -> Frames<'_> {
        Frames {
            representations: &self.representations,
            dataset: self.dataset,
            settings: self.settings,
            slots: &self.slots,
            as_at: self.as_at,
            calendar: self.calendar,
        }
    }

    /// `wanted`, as the other core made it or (when it has not) made now (`ahead`), read as
    /// the type it is made into; made once however many sections read it.
    pub fn worked_out<T: Any>(&self, wanted: Wanted) -> Result<Rc<T>> {
        let kept = self.worked.borrow().get(&wanted).cloned();
        let made = match kept {
            Some(made) => made,
            None => {
                let made: Rc<dyn Any> = Rc::from(
                    self.board
                        .take(wanted, || wanted.make(&self.frames()))?
                        .into_any(),
                );
                self.worked.borrow_mut().insert(wanted, made.clone());
                made
            }
        };
        Ok(made
            .downcast()
            .unwrap_or_else(|_| panic!("{wanted:?} is read as the type it is made into")))
    }

    pub fn current(&self) -> usize {
        self.slots.current()
    }

    /// The table column of the report's own period (among the periods shown).
    pub fn current_column(&self) -> usize {
        self.slots.shown.len() - 1
    }

    /// Stage `stage`'s timescale measures and their quantities, per period.
    pub fn stage_times(&self, stage: i32) -> Result<(Rc<StageTimes>, StageQuantities)> {
        let times = self.worked_out::<StageTimes>(Wanted::Times(stage))?;
        let quantities = made_once(&self.stage_times, stage, || {
            let timescale = ahead::timescale_of(self.settings, stage);
            Ok(times.register(
                self,
                &format!("stage{stage}"),
                timescale,
                None,
                &self.spans(),
            ))
        })?;
        Ok((times, quantities))
    }

    /// The outcome counts of stage `stage`'s concluded complaints, per period.
    pub fn stage_outcome_counts(&self, stage: i32) -> Result<Rc<Counts>> {
        self.worked_out(Wanted::Outcomes(stage))
    }

    pub fn span(&self, slot: usize) -> Span {
        (&self.slots.periods[slot]).into()
    }

    /// Whether the data covers period `slot`: the representations, or the file a section has
    /// said it reads (`covered_by`).
    pub fn present(&self, slot: usize) -> bool {
        match &*self.coverage.borrow() {
            Some(present) => present[slot],
            None => self.slots.present[slot],
        }
    }

    /// Until the guard is dropped, cells follow `present` (another file's coverage).
    pub fn covered_by(&self, present: Vec<bool>) -> CoverageGuard<'_> {
        *self.coverage.borrow_mut() = Some(present);
        CoverageGuard(self)
    }

    pub fn spans(&self) -> Vec<Span> {
        (0..self.slots.len()).map(|s| self.span(s)).collect()
    }

    pub fn registry(&self) -> RefMut<'_, Registry> {
        self.registry.borrow_mut()
    }

    pub fn value(&self, q: Q) -> i64 {
        self.registry.borrow().get(q).count().unwrap_or(0)
    }

    /// One count of `measure` per period, about people.
    pub fn series(&self, measure: &str, values: &[i64]) -> Vec<Q> {
        self.series_about(measure, Subject::People, values)
    }

    pub fn series_about(&self, measure: &str, subject: Subject, values: &[i64]) -> Vec<Q> {
        let mut registry = self.registry();
        values
            .iter()
            .enumerate()
            .map(|(s, v)| registry.count(Key::new(measure, self.span(s)), *v, subject))
            .collect()
    }

    /// Counts that tie shown ones together but are never shown themselves.
    pub fn linking_series(&self, measure: &str, values: &[i64]) -> Vec<Q> {
        let mut registry = self.registry();
        values
            .iter()
            .enumerate()
            .map(|(s, v)| {
                registry.linking_count(Key::new(measure, self.span(s)), *v, Subject::People)
            })
            .collect()
    }

    /// Registers `counts` as `measure` broken down by `dimension`, tied to its whole.
    pub fn breakdown(
        &self,
        measure: &str,
        dimension: &'static str,
        counts: &Counts,
        whole: Whole,
        subject: Subject,
    ) -> Breakdown {
        let slots = self.slots.len();
        let mut registry = self.registry();
        let rows: Vec<(Option<String>, Vec<Q>)> = counts
            .rows
            .iter()
            .map(|(label, values)| {
                let qs = (0..slots)
                    .map(|s| {
                        let key = Key::new(measure, self.span(s)).by(dimension, label_text(label));
                        registry.count(key, values[s], subject)
                    })
                    .collect();
                (label.clone(), qs)
            })
            .collect();
        let totals = counts.totals(slots);
        let total: Vec<Q> = match whole {
            Whole::Own => (0..slots)
                .map(|s| registry.count(Key::new(measure, self.span(s)), totals[s], subject))
                .collect(),
            Whole::Divides(base) => base.to_vec(),
            Whole::Mentions(_) => (0..slots)
                .map(|s| {
                    let key =
                        Key::new(format!("{measure}.mentions"), self.span(s)).by("of", dimension);
                    registry.count(key, totals[s], subject)
                })
                .collect(),
        };
        for s in 0..slots {
            let parts: Vec<Q> = rows.iter().map(|(_, qs)| qs[s]).collect();
            registry.sum(total[s], &parts);
            if let Whole::Mentions(base) = whole {
                for part in &parts {
                    registry.at_most(*part, base[s]);
                }
            }
        }
        Breakdown { rows, total }
    }

    /// The breakdown with, in each period, its small categories (1 to N−1, two or more of them)
    /// folded into one "Other" row, as the GSS guidance prefers to a column of `[c]`. The
    /// grouping of a period depends only on that period's counts, so it is the same in every
    /// report that shows it. For tables that show one period and whose categories appear
    /// nowhere else.
    pub fn grouped(
        &self,
        measure: &str,
        dimension: &'static str,
        breakdown: Breakdown,
    ) -> Breakdown {
        let Some(below) = self.group_below else {
            return breakdown;
        };
        let slots = self.slots.len();
        let mut registry = self.registry();
        let small = |q: Q, registry: &Registry| {
            registry
                .get(q)
                .count()
                .is_some_and(|n| n >= 1 && n < i64::from(below))
        };
        let mut group: Vec<Option<Q>> = vec![None; slots];
        for (s, slot_group) in group.iter_mut().enumerate() {
            let members: Vec<Q> = breakdown
                .rows
                .iter()
                .map(|(_, qs)| qs[s])
                .filter(|q| small(*q, &registry))
                .collect();
            if members.len() < 2 {
                continue;
            }
            let n = members
                .iter()
                .map(|q| registry.get(*q).count().unwrap_or(0))
                .sum();
            let subject = registry.get(members[0]).subject;
            let q = registry.count(
                Key::new(measure, self.span(s)).by(dimension, OTHER_GROUP),
                n,
                subject,
            );
            registry.sum(q, &members);
            // Wherever the members were parts of a total, the group stands in for them, so
            // the suppression pass sees the group beside the total: when the group is the
            // whole total, hiding one and showing the other would give the total away.
            let regrouped: Vec<(Q, Vec<Q>)> = registry
                .relations()
                .iter()
                .filter_map(|relation| match relation {
                    Relation::Sum { total, parts }
                        if *total != q && members.iter().all(|m| parts.contains(m)) =>
                    {
                        let mut parts: Vec<Q> = parts
                            .iter()
                            .copied()
                            .filter(|p| !members.contains(p))
                            .collect();
                        parts.push(q);
                        Some((*total, parts))
                    }
                    _ => None,
                })
                .collect();
            for (total, parts) in regrouped {
                registry.sum(total, &parts);
            }
            for member in members {
                registry.set_unpublished(member);
            }
            *slot_group = Some(q);
        }
        let current = self.current();
        let Some(other) = group[current] else {
            return breakdown;
        };
        let mut rows: Vec<(Option<String>, Vec<Q>)> = breakdown
            .rows
            .into_iter()
            .filter(|(_, qs)| !small(qs[current], &registry))
            .collect();
        // The group stands in the current period only; earlier periods are not shown here.
        rows.push((Some(OTHER_GROUP.to_string()), vec![other; slots]));
        Breakdown {
            rows,
            total: breakdown.total,
        }
    }

    /// Marks quantities never shown (a total of mentions no table prints), so the suppression
    /// pass does not take them as known.
    pub fn set_unpublished<'q>(&self, qs: impl IntoIterator<Item = &'q Q>) {
        let mut registry = self.registry();
        for q in qs {
            registry.set_unpublished(*q);
        }
    }

    /// The cell showing count `q` of period `slot`: `[x]` where the data does not cover it.
    pub fn count_at(&self, q: Q, slot: usize) -> (Cell, Option<Q>) {
        if self.present(slot) {
            (Cell::Count(self.value(q)), Some(q))
        } else {
            (Cell::Symbol(Symbol::NotAvailable), None)
        }
    }

    /// `100 × part / whole` for period `slot`: `[x]` outside the data, `[z]` of nothing.
    pub fn percent_at(&self, part: Q, whole: Q, slot: usize) -> (Cell, Option<Q>) {
        if !self.present(slot) {
            return (Cell::Symbol(Symbol::NotAvailable), None);
        }
        let (p, w) = (self.value(part), self.value(whole));
        if w == 0 {
            return (Cell::Symbol(Symbol::NotApplicable), None);
        }
        let value = 100.0 * p as f64 / w as f64;
        let q = self.derive(
            "percent",
            &[part, whole],
            Some(value),
            Formula::Percent { part, whole },
        );
        (Cell::Percent(value), Some(q))
    }

    /// A mean, median or amount describing the cases counted by `count`, for period `slot`.
    pub fn describing(
        &self,
        name: &str,
        value: Option<f64>,
        decimals: u8,
        count: Q,
        slot: usize,
    ) -> (Cell, Option<Q>) {
        if !self.present(slot) {
            return (Cell::Symbol(Symbol::NotAvailable), None);
        }
        match Cell::number(value, decimals) {
            cell @ Cell::Number { .. } => {
                let q = self.derive(name, &[count], value, Formula::Describes { count });
                (cell, Some(q))
            }
            other => (other, None),
        }
    }

    /// Change from the previous period to the report's, in number and per cent.
    pub fn change_cells(&self, qs: &[Q]) -> [(Cell, Option<Q>); 2] {
        let current = self.current();
        let not_available = || (Cell::Symbol(Symbol::NotAvailable), None);
        let Some(previous) = self.slots.previous() else {
            return [not_available(), not_available()];
        };
        if !(self.present(previous) && self.present(current)) {
            return [not_available(), not_available()];
        }
        let (now, before) = (qs[current], qs[previous]);
        let (n, b) = (self.value(now), self.value(before));
        let change = self.derive(
            "change",
            &[now, before],
            Some((n - b) as f64),
            Formula::Change { now, before },
        );
        let percent = if b == 0 {
            (Cell::Symbol(Symbol::NotApplicable), None)
        } else {
            let value = 100.0 * (n - b) as f64 / b as f64;
            let q = self.derive(
                "change_percent",
                &[now, before],
                Some(value),
                Formula::ChangePercent { now, before },
            );
            (Cell::Percent(value), Some(q))
        };
        [(Cell::Count(n - b), Some(change)), percent]
    }

    /// A derived quantity, named by what it is computed from so it is one quantity however
    /// often it is shown.
    pub fn derive(&self, name: &str, inputs: &[Q], value: Option<f64>, formula: Formula) -> Q {
        let mut registry = self.registry();
        let ids: Vec<String> = inputs.iter().map(|q| registry.get(*q).key.id()).collect();
        let span = registry.get(inputs[0]).key.span;
        let key = Key::new(format!("{name}({})", ids.join(";")), span);
        registry.derived(key, value, formula)
    }

    /// Counts of stage `stage`'s rows by `column` per period: by label, or for a `;`-list
    /// column by each label it names.
    pub fn stage_counts(&self, stage: i32, column: &'static str) -> Result<Rc<Counts>> {
        self.worked_out(Wanted::Counts(stage, column))
    }

    /// A note for a table of `column` when the export lacks the column.
    pub fn missing_column_note(&self, column: &str) -> Option<String> {
        (!self.dataset.recorded(Source::Representations, column)).then(|| {
            format!("The export has no {column} column, so every row is counted as not recorded.")
        })
    }

    /// The value of a quantity as a table shows it.
    pub fn cell_of(&self, q: Q) -> Cell {
        match &self.registry.borrow().get(q).value {
            Value::Count(n) => Cell::Count(*n),
            Value::Measure(v) => Cell::number(*v, 1),
        }
    }
}

/// Restores the representations' coverage when dropped.
pub struct CoverageGuard<'a>(&'a Inputs<'a>);

impl Drop for CoverageGuard<'_> {
    fn drop(&mut self) {
        *self.0.coverage.borrow_mut() = None;
    }
}

/// The row that stands for a table's small categories.
pub const OTHER_GROUP: &str = "Other (small categories grouped)";

pub fn is_list(column: &str) -> bool {
    Source::Representations
        .column(column)
        .is_some_and(|c| c.kind == ValueKind::Labels)
}
