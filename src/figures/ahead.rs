//! The counts sections make from the frames alone, worked out on the second core ahead of the
//! sections that ask for them. polars runs each section's queries on one core in effect
//! (docs/performance.md, tenth round), so while the sections are built the other core would be
//! idle. Each section says what it will want (`SectionDef::ahead`); the other core works up the
//! document's list from its end while this one builds the sections in their order.
//!
//! Each count is made once, by whichever core claims it first (`Board`): a section that asks
//! for one the other core is making waits for it rather than making it again, and one the
//! other core has not reached it makes itself. Either way it is the same function on the same
//! frame, and the registry is still written by the sections alone, in their order, so nothing
//! a report shows depends on which core made a count.

use std::any::Any;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

use chrono::NaiveDate;
use polars::prelude::*;
use polars_arrow::array::Array;

use super::Settings;
use super::arrays;
use super::counts::{self, Counts};
use super::frame::Slots;
use super::inputs::{in_stage, is_list};
use super::timescales::{StageTimes, Timescale};
use crate::calendar::Calendar;
use crate::error::Result;
use crate::load::Dataset;
use crate::period::Period;

/// A count a section can have worked out ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Wanted {
    /// Representations by type, stage and role (`received::count_routes`).
    Routes,
    /// A stage's timescale measures.
    Times(i32),
    /// The outcomes of a stage's concluded complaints.
    Outcomes(i32),
    /// A stage's rows by a label or list column.
    Counts(i32, &'static str),
    /// A stage's concluded complaints by a label or list column.
    Concluded(i32, &'static str),
    /// Stage 1's remedies by outcome (`outcomes::remedies_by_outcome`).
    RemediesByOutcome,
    /// Stage 1's outcomes sought that were got (`outcomes::sought_and_received`).
    SoughtAndGot,
    /// The compliments' counts and quotes (`compliments::count`).
    Compliments,
    /// Children and young people's complaints (`children::count`).
    Children,
    /// The learning points recorded, by nature (`learning_points::count`).
    Learning,
    /// The cases open at the end of each period (`open_cases::count`).
    OpenCases,
    /// The learning actions completed in each period (`actions_completed::count`).
    ActionsCompleted,
    /// The Ombudsman's cases (`ombudsman::count`).
    Ombudsman,
    /// Representations refused, and those resolved informally (`other_representations::count`).
    OtherRepresentations,
}

/// What a `Wanted` is made into: each kind of count its own type.
pub struct Made(Box<dyn Any + Send>);

impl Made {
    fn new(made: impl Any + Send) -> Made {
        Made(Box::new(made))
    }

    /// What it was made into: `StageTimes` for `Wanted::Times`, `Counts` for the other shared
    /// counts, and a section's own type for its counts.
    pub fn into_any(self) -> Box<dyn Any> {
        self.0
    }
}

/// What the counts are made from: shared by both cores, so nothing here may be written.
#[derive(Clone, Copy)]
pub struct Frames<'a> {
    /// Representations with periods tagged on `received` and working days added.
    pub representations: &'a DataFrame,
    /// The other files, as loaded.
    pub dataset: &'a Dataset,
    pub settings: &'a Settings,
    pub slots: &'a Slots,
    /// The day action statuses and cases still open are judged on (`Inputs::as_at`).
    pub as_at: NaiveDate,
    pub calendar: &'a Calendar,
}

impl Wanted {
    /// Whether a document about `period` asks for it at all.
    pub fn asked_for(self, period: &Period) -> bool {
        match self {
            Wanted::RemediesByOutcome | Wanted::SoughtAndGot => {
                super::outcomes::has_cross_tables(period)
            }
            _ => true,
        }
    }

    /// Makes it from `frames`, on either core.
    pub fn make(self, frames: &Frames) -> Result<Made> {
        let Frames {
            representations,
            settings,
            slots,
            ..
        } = *frames;
        Ok(match self {
            Wanted::Times(stage) => Made::new(StageTimes::measure(
                representations,
                stage,
                timescale_of(settings, stage),
                slots,
            )?),
            Wanted::Outcomes(stage) => {
                let in_stage = arrays::at_stage(representations, stage)?;
                Made::new(super::outcomes::outcome_counts(
                    representations,
                    in_stage,
                    slots.len(),
                )?)
            }
            Wanted::Counts(stage, column) => {
                let in_stage = arrays::at_stage(representations, stage)?;
                Made::new(counts::count_where(
                    representations,
                    in_stage,
                    column,
                    slots.len(),
                )?)
            }
            Wanted::Concluded(stage, column) => {
                let in_stage = arrays::at_stage(representations, stage)?;
                let responded = arrays::days(representations, "responded")?;
                let concluded = |row| in_stage(row) && responded.is_valid(row);
                Made::new(counts::count_where(
                    representations,
                    concluded,
                    column,
                    slots.len(),
                )?)
            }
            Wanted::RemediesByOutcome => Made::new(super::outcomes::remedies_by_outcome_counts(
                representations,
                slots,
            )?),
            Wanted::Routes => Made::new(super::received::count_routes(frames)?),
            Wanted::Compliments => Made::new(super::compliments::count(frames)?),
            Wanted::Children => Made::new(super::children::count(frames)?),
            Wanted::Learning => Made::new(super::learning_points::count(frames)?),
            Wanted::OpenCases => Made::new(super::open_cases::count(frames)?),
            Wanted::ActionsCompleted => Made::new(super::actions_completed::count(frames)?),
            Wanted::Ombudsman => Made::new(super::ombudsman::count(frames)?),
            Wanted::OtherRepresentations => Made::new(super::other_representations::count(frames)?),
            Wanted::SoughtAndGot => Made::new(super::outcomes::sought_and_got_counts(
                representations,
                slots,
            )?),
        })
    }
}

/// Where each wanted count stands.
enum State {
    /// The other core is making it.
    Making,
    Made(Made),
    /// The other core could not make it: the section makes it, and meets the failure itself.
    Failed,
    /// A section has taken it, or is making it.
    Taken,
}

/// Which counts are being made or have been made, shared by the two cores.
#[derive(Default)]
pub struct Board {
    states: Mutex<HashMap<Wanted, State>>,
    changed: Condvar,
    /// The sections are built: nothing more is wanted.
    finished: AtomicBool,
}

impl Board {
    fn states(&self) -> MutexGuard<'_, HashMap<Wanted, State>> {
        // A panic elsewhere leaves the table as it was between two changes, each whole.
        self.states.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// `wanted`, taken from the board when the other core has made it (waiting while it makes
    /// it), and otherwise made here: then the other core never makes it.
    pub fn take(&self, wanted: Wanted, make: impl FnOnce() -> Result<Made>) -> Result<Made> {
        let mut states = self.states();
        loop {
            match states.insert(wanted, State::Taken) {
                Some(State::Making) => {
                    states.insert(wanted, State::Making);
                    states = self
                        .changed
                        .wait(states)
                        .unwrap_or_else(PoisonError::into_inner);
                }
                Some(State::Made(made)) => return Ok(made),
                Some(State::Taken | State::Failed) | None => {
                    drop(states);
                    return make();
                }
            }
        }
    }

    /// Works up `list` on the other core from its end, making each count no section has
    /// claimed, until the list is done or the sections are (`finish`). The sections take the
    /// list from its start, so the two cores meet in it, and a section waits at most for the
    /// count the other core is making when they meet.
    pub fn work(&self, list: &[Wanted], make: impl Fn(Wanted) -> Result<Made>) {
        for &wanted in list.iter().rev() {
            if self.finished.load(Ordering::Relaxed) {
                return;
            }
            {
                let mut states = self.states();
                if states.contains_key(&wanted) {
                    continue;
                }
                states.insert(wanted, State::Making);
            }
            // Marks the count failed if making it fails or panics, so no section waits forever.
            let mut claim = Claim {
                board: self,
                wanted,
                made: None,
            };
            claim.made = make(wanted).ok();
        }
    }

    /// The sections are built: the other core stops once it has made what it is making.
    pub fn finish(&self) {
        self.finished.store(true, Ordering::Relaxed);
    }
}

/// A count the other core has claimed: put on the board when dropped, made or failed.
struct Claim<'a> {
    board: &'a Board,
    wanted: Wanted,
    made: Option<Made>,
}

impl Drop for Claim<'_> {
    fn drop(&mut self) {
        let state = self.made.take().map_or(State::Failed, State::Made);
        self.board.states().insert(self.wanted, state);
        self.board.changed.notify_all();
    }
}

impl Frames<'_> {
    /// One row per representation: stage 1 or unstaged rows.
    pub fn starts(&self) -> LazyFrame {
        self.representations
            .clone()
            .lazy()
            .filter(col(crate::load::derived::STARTS_REPRESENTATION))
    }
}

/// The rows of one stage.
pub fn stage_rows(representations: &DataFrame, stage: i32) -> LazyFrame {
    representations.clone().lazy().filter(in_stage(stage))
}

/// The timescale stage `stage` is measured against.
pub fn timescale_of(settings: &Settings, stage: i32) -> &Timescale {
    match stage {
        1 => &settings.stage1,
        2 => &settings.stage2,
        _ => &settings.stage3,
    }
}

/// Counts of `frame`'s rows by `column` per period: by label, or for a list column by each
/// label it names.
pub fn count_column(frame: LazyFrame, column: &str, periods: usize) -> Result<Counts> {
    Ok(if is_list(column) {
        counts::count_list_by(frame, column, periods)?
    } else {
        counts::count_by(frame, column, periods)?
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    /// What a test's `Wanted` is made into: its own name, so a mix-up shows.
    fn made_of(wanted: Wanted) -> Made {
        Made::new(Counts {
            rows: vec![(Some(format!("{wanted:?}")), vec![1])],
        })
    }

    fn name(made: Made) -> String {
        made.into_any().downcast::<Counts>().unwrap().rows[0]
            .0
            .clone()
            .unwrap()
    }

    const LIST: [Wanted; 6] = [
        Wanted::Times(1),
        Wanted::Times(2),
        Wanted::Counts(1, "nature"),
        Wanted::Outcomes(1),
        Wanted::Concluded(1, "remedy"),
        Wanted::SoughtAndGot,
    ];

    /// With the other core working up the list while this one takes it from the start, each
    /// count is made exactly once, by one core or the other, and each taker gets its own.
    /// Repeated, so the two cores meet at different places.
    #[test]
    fn each_count_is_made_once_by_one_core_or_the_other() {
        for _ in 0..200 {
            let board = Board::default();
            let made: Vec<AtomicUsize> = LIST.iter().map(|_| AtomicUsize::new(0)).collect();
            let make = |wanted: Wanted| {
                let at = LIST.iter().position(|w| *w == wanted).unwrap();
                made[at].fetch_add(1, Ordering::Relaxed);
                Ok(made_of(wanted))
            };
            std::thread::scope(|scope| {
                scope.spawn(|| board.work(&LIST, make));
                for wanted in LIST {
                    let taken = board.take(wanted, || make(wanted)).unwrap();
                    assert_eq!(name(taken), format!("{wanted:?}"));
                }
                board.finish();
            });
            let counts: Vec<usize> = made.iter().map(|m| m.load(Ordering::Relaxed)).collect();
            assert_eq!(counts, [1; 6]);
        }
    }

    /// A count the other core fails to make (or panics making) is made by the section that
    /// asks, which meets the failure itself; one asked for twice is made again, not waited
    /// for; and once the sections are done the other core makes nothing more.
    #[test]
    fn what_the_other_core_cannot_make_the_section_makes() {
        let board = Board::default();
        // Worked from the end: stage 2's fails, then making stage 1's panics, which a scope
        // would pass on once the sections are done.
        let worked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            board.work(&LIST[..2], |wanted| match wanted {
                Wanted::Times(1) => panic!("no first stage"),
                _ => Err(crate::error::Error::Usage("no second stage".into())),
            })
        }));
        assert!(worked.is_err());
        let mut makes = 0;
        for wanted in [Wanted::Times(2), Wanted::Times(1), Wanted::Times(1)] {
            let taken = board.take(wanted, || {
                makes += 1;
                Ok(made_of(wanted))
            });
            assert_eq!(name(taken.unwrap()), format!("{wanted:?}"));
        }
        assert_eq!(makes, 3);
        board.finish();
        board.work(&LIST, |_| {
            panic!("nothing is made once the sections are done")
        });
    }
}
