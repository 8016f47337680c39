//! The counts several sections share, worked out on the second core ahead of the sections that
//! ask for them. polars runs each section's queries on one core in effect (docs/performance.md,
//! tenth round), so while the first sections are built the other core is idle. What is worked
//! out ahead is what the section would have made itself, by the same functions on the same
//! frame; a section that asks before it has arrived makes it itself. Nothing a report shows
//! depends on which: the registry is still written by the sections alone, in their order.

use std::sync::mpsc::Sender;

use polars::prelude::*;

use super::Settings;
use super::counts::{self, Counts};
use super::frame::Slots;
use super::inputs::{in_stage, is_list};
use super::timescales::{StageTimes, Timescale};
use crate::error::Result;

/// One count worked out ahead.
pub enum Ahead {
    Times(i32, StageTimes),
    Outcomes(i32, Counts),
    Counts(i32, &'static str, Counts),
}

enum Wanted {
    Times(i32),
    Outcomes(i32),
    Counts(i32, &'static str),
}

/// In the order the sections first ask for them: stage 1's timescales (the stage 1 section),
/// the later stages' (later stages), who complained and how (who), the nature and the services
/// of complaints (their own sections), the outcomes of stages 1 and 2 and what was sought
/// (outcomes), and ethnicity (equality).
const WANTED: &[Wanted] = &[
    Wanted::Times(1),
    Wanted::Times(2),
    Wanted::Times(3),
    Wanted::Counts(1, "complainant"),
    Wanted::Counts(1, "method"),
    Wanted::Counts(1, "nature"),
    Wanted::Counts(1, "service"),
    Wanted::Outcomes(1),
    Wanted::Outcomes(2),
    Wanted::Counts(1, "outcome_sought"),
    Wanted::Counts(1, "ethnicity"),
];

/// Works out what the sections will want, sending each as it is made, until all is sent or the
/// sections are done (nobody receives). A failure is not sent: the section that asks meets it
/// again, and reports it.
pub fn work_ahead(
    representations: &DataFrame,
    settings: &Settings,
    slots: &Slots,
    send: Sender<Ahead>,
) {
    for wanted in WANTED {
        let made = match *wanted {
            Wanted::Times(stage) => measure_stage(representations, settings, slots, stage)
                .map(|t| Ahead::Times(stage, t)),
            Wanted::Outcomes(stage) => stage_outcomes(representations, slots, stage)
                .map(|counts| Ahead::Outcomes(stage, counts)),
            Wanted::Counts(stage, column) => count_stage(representations, slots, stage, column)
                .map(|counts| Ahead::Counts(stage, column, counts)),
        };
        let Ok(made) = made else { continue };
        if send.send(made).is_err() {
            return;
        }
    }
}

/// The rows of one stage.
pub fn stage_rows(representations: &DataFrame, stage: i32) -> LazyFrame {
    representations.clone().lazy().filter(in_stage(stage))
}

/// Stage `stage`'s timescale measures, per period.
pub fn measure_stage(
    representations: &DataFrame,
    settings: &Settings,
    slots: &Slots,
    stage: i32,
) -> Result<StageTimes> {
    Ok(StageTimes::measure(
        representations,
        stage,
        timescale_of(settings, stage),
        slots,
    )?)
}

/// The timescale stage `stage` is measured against.
pub fn timescale_of(settings: &Settings, stage: i32) -> &Timescale {
    match stage {
        1 => &settings.stage1,
        2 => &settings.stage2,
        _ => &settings.stage3,
    }
}

/// Every row, those where `condition` does not hold in no period: what a count of them by
/// period gives is what it gives of the rows a filter on `condition` keeps, without copying a
/// million rows' label lists to filter them.
pub fn rows_where(representations: &DataFrame, condition: Expr) -> LazyFrame {
    representations
        .clone()
        .lazy()
        .with_column(super::frame::period_where(condition))
}

/// The outcome counts of stage `stage`'s concluded complaints, per period.
pub fn stage_outcomes(representations: &DataFrame, slots: &Slots, stage: i32) -> Result<Counts> {
    super::outcomes::outcome_counts(slots.len(), stage_rows(representations, stage))
}

/// Counts of stage `stage`'s rows by `column` per period. A list column counts every row with
/// the other stages' in no period, since filtering would copy a million rows' lists; for a
/// label column a filter copies about as much as that would.
pub fn count_stage(
    representations: &DataFrame,
    slots: &Slots,
    stage: i32,
    column: &str,
) -> Result<Counts> {
    let rows = if is_list(column) {
        rows_where(representations, in_stage(stage))
    } else {
        stage_rows(representations, stage)
    };
    count_column(rows, column, slots.len())
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
