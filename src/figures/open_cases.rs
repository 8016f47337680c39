//! Cases open at the end of the period (or at the as-at date, if earlier): how many at each
//! stage, how many past their timescale; and, for staff, each case with its age in working days
//! and how far past its timescale, oldest first.

use chrono::NaiveDate;
use polars::prelude::*;

use super::ahead::{Frames, Wanted};
use super::frame::{Slots, date_literal};
use super::inputs::Inputs;
use super::model::{Audience, Cell, Row, Section, Symbol, Table, number, text};
use super::quantity::{Key, Q, Subject};
use super::registry::{Build, SectionDef, internal};
use super::tables::Linker;
use crate::error::Result;
use crate::load::contract::Source;
use crate::period::long_date;

pub const SECTION: SectionDef = SectionDef {
    id: "open-cases",
    title: "Cases still open",
    facts: &[
        number("open_total"),
        number("open_past_timescale"),
        text("open_as_at"),
    ],
    build: Build::Figures(build),
    ahead: &[Wanted::OpenCases],
    quotes: &[internal(Source::Representations, "reference")],
};

/// One case open on a day: its stage, age in working days, and the timescale it is judged by.
pub struct OpenCase {
    reference: String,
    stage: i32,
    service: Option<String>,
    received: NaiveDate,
    age: i64,
    timescale: i64,
}

/// The cases open at the end of each period, or on the as-at date if that is earlier.
pub fn count(frames: &Frames) -> Result<Vec<Vec<OpenCase>>> {
    (0..frames.slots.len())
        .map(|s| open_on(frames, open_as_at(frames.slots, frames.as_at, s)))
        .collect()
}

/// The day period `slot`'s open cases are counted on: its end, or the as-at date if earlier.
fn open_as_at(slots: &Slots, as_at: NaiveDate, slot: usize) -> NaiveDate {
    slots.periods[slot].end.min(as_at)
}

/// The cases open at the end of `on`: received by then, not answered by then.
fn open_on(frames: &Frames, on: NaiveDate) -> Result<Vec<OpenCase>> {
    let frame = frames
        .representations
        .clone()
        .lazy()
        .filter(
            col("stage")
                .is_not_null()
                .and(col("received").lt_eq(date_literal(on)))
                .and(
                    col("responded")
                        .is_null()
                        .or(col("responded").gt(date_literal(on))),
                ),
        )
        .select([
            col("reference"),
            col("stage"),
            col("service"),
            col("received"),
            col("extended").fill_null(lit(false)),
        ])
        .collect()?;
    let references = super::frame::strings(&frame, "reference")?;
    let stages = frame.column("stage")?.i32()?;
    let services = super::frame::strings(&frame, "service")?;
    let received: Vec<Option<NaiveDate>> =
        frame.column("received")?.date()?.as_date_iter().collect();
    let extended = frame.column("extended")?.bool()?;
    let settings = frames.settings;
    let mut cases = Vec::with_capacity(frame.height());
    for (i, day) in received.into_iter().enumerate() {
        let (Some(stage), Some(day)) = (stages.get(i), day) else {
            continue;
        };
        let timescale = match stage {
            1 => &settings.stage1,
            2 => &settings.stage2,
            _ => &settings.stage3,
        };
        let allowed = if extended.get(i).unwrap_or(false) {
            timescale.extended_target
        } else {
            timescale.target
        };
        cases.push(OpenCase {
            reference: references.get(i).unwrap_or("").to_string(),
            stage,
            service: services.get(i).map(str::to_string),
            received: day,
            // Dates are inside the calendar: the loader checked them.
            age: frames.calendar.working_days(day, on).unwrap_or(0),
            timescale: i64::from(allowed),
        });
    }
    cases.sort_by(|a, b| b.age.cmp(&a.age).then(a.received.cmp(&b.received)));
    Ok(cases)
}

pub fn build(inputs: &Inputs) -> Result<Section> {
    let slots = &inputs.slots;
    let current = inputs.current();
    let on = |s: usize| open_as_at(slots, inputs.as_at, s);
    // Counts for every period compared, so each period's quantities are the same in every
    // document that shows it.
    let mut by_stage: Vec<[(Q, Q); 3]> = Vec::new();
    let mut totals: Vec<(Q, Q)> = Vec::new();
    let open_cases = inputs.worked_out::<Vec<Vec<OpenCase>>>(Wanted::OpenCases)?;
    for (s, cases) in open_cases.iter().enumerate() {
        let mut registry = inputs.registry();
        let span = inputs.span(s);
        let stage_qs: [(Q, Q); 3] = [1, 2, 3].map(|stage| {
            let of_stage: Vec<&OpenCase> = cases.iter().filter(|c| c.stage == stage).collect();
            let past = of_stage.iter().filter(|c| c.age > c.timescale).count();
            let label = format!("Stage {stage}");
            let open = registry.count(
                Key::new("open", span).by("stage", label.clone()),
                of_stage.len() as i64,
                Subject::People,
            );
            let over = registry.count(
                Key::new("open.past_timescale", span).by("stage", label),
                past as i64,
                Subject::People,
            );
            registry.at_most(over, open);
            (open, over)
        });
        let open = registry.count(Key::new("open", span), cases.len() as i64, Subject::People);
        let past = cases.iter().filter(|c| c.age > c.timescale).count();
        let over = registry.count(
            Key::new("open.past_timescale", span),
            past as i64,
            Subject::People,
        );
        registry.sum(open, &stage_qs.map(|(o, _)| o));
        registry.sum(over, &stage_qs.map(|(_, p)| p));
        // Those received in the period and open at its end are some of those open then.
        if on(s) == slots.periods[s].end {
            for (stage, (open, _)) in stage_qs.iter().enumerate() {
                let key = Key::new(format!("stage{}.open_at_end", stage + 1), span);
                if let Some(received_in_period) = registry.find(&key) {
                    registry.at_most(received_in_period, *open);
                }
            }
        }
        by_stage.push(stage_qs);
        totals.push((open, over));
    }

    let day = long_date(on(current));
    let mut counts = Table::new(
        "open-cases",
        format!("Cases open at {day}, by stage"),
        vec![
            "Stage".into(),
            "Open".into(),
            "Past their timescale".into(),
        ],
    )
    .with_note("Past their timescale: open for more working days than the stage allows (the extended timescale where an extension was agreed). The day of receipt is day 0.");
    for (stage, (open, over)) in by_stage[current].iter().enumerate() {
        counts.rows.push(Row::linked(
            format!("Stage {}", stage + 1),
            vec![
                inputs.count_at(*open, current),
                inputs.count_at(*over, current),
            ],
        ));
    }
    let (open, over) = totals[current];
    counts.rows.push(
        Row::linked(
            "Total",
            vec![
                inputs.count_at(open, current),
                inputs.count_at(over, current),
            ],
        )
        .as_total(),
    );
    let mut tables = vec![counts];
    if inputs.audience == Audience::Internal {
        tables.push(case_list(&open_cases[current], &day));
    }

    let mut facts = Linker::default();
    facts.quantity("open_total", Some(open));
    facts.quantity("open_past_timescale", Some(over));
    facts.plain("open_as_at", day.as_str().into());
    Ok(facts.section(&SECTION, tables, Vec::new()))
}

/// Each open case, oldest first: for staff chasing them, never published.
fn case_list(cases: &[OpenCase], day: &str) -> Table {
    let mut table = Table::new(
        "open-cases-list",
        format!("Each case open at {day}, oldest first"),
        [
            "Reference",
            "Stage",
            "Service or team",
            "Received",
            "Working days open",
            "Timescale (working days)",
            "Working days past it",
        ]
        .map(String::from)
        .to_vec(),
    )
    .with_note("Internal: case references. Not for publication.");
    table.exempt = true;
    for case in cases {
        let past = case.age - case.timescale;
        table.rows.push(Row::new(
            case.reference.clone(),
            vec![
                Cell::Count(case.stage.into()),
                case.service
                    .clone()
                    .map(Cell::Text)
                    .unwrap_or(Cell::Symbol(Symbol::NotApplicable)),
                Cell::Text(case.received.format("%d/%m/%Y").to_string()),
                Cell::Count(case.age),
                Cell::Count(case.timescale),
                if past > 0 {
                    Cell::Count(past)
                } else {
                    Cell::Count(0)
                },
            ],
        ));
    }
    table
}
