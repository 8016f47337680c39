//! The bulletin's learning: the learning points recorded in the quarter (from complaints
//! answered in it), counted by the nature of the complaint and — for staff — in the service's
//! own words, without references.

use polars::prelude::*;

use super::ahead::{Frames, Wanted};
use super::arrays;
use super::counts::Counts;
use super::frame::{PeriodDays, Slots, in_slot, tag_periods};
use super::inputs::{Inputs, Whole};
use super::model::{Audience, Cell, Row, Section, Table, number};
use super::quantity::Subject;
use super::registry::{Build, SectionDef, internal};
use super::tables::{Linker, NOT_RECORDED, YearTable, year_table};
use crate::error::Result;
use crate::load::contract::Source;

pub const SECTION: SectionDef = SectionDef {
    id: "learning-points",
    title: "What we learned",
    facts: &[number("learning_points")],
    build: Build::Figures(build),
    ahead: &[Wanted::Learning],
    quotes: &[internal(Source::Representations, "learning")],
};

/// The representations with learning recorded, each in the period it was answered in (when
/// learning is recorded), with the first nature of the complaint.
fn with_learning(representations: &DataFrame, slots: &Slots) -> LazyFrame {
    tag_periods(
        representations
            .clone()
            .lazy()
            .filter(col("learning").is_not_null())
            .with_column(col("nature").list().first().alias("first_nature")),
        "responded",
        slots,
    )
}

/// The learning points recorded in each period, by the first nature of the complaint.
pub fn count(frames: &Frames) -> Result<Counts> {
    count_learning(frames.representations, frames.slots)
}

/// `count`, in one pass over the rows where their values lie: as a polars query (a filter,
/// the first of each list, the periods tagged, then a grouping) it took 27 ms at a million
/// rows and 32 MB. What `count_by` of `with_learning`'s first natures gives.
fn count_learning(representations: &DataFrame, slots: &Slots) -> Result<Counts> {
    use polars_arrow::array::Array;
    let periods = slots.len();
    let Some(days) = PeriodDays::new(slots) else {
        return Ok(Counts::default());
    };
    let learning = representations
        .column("learning")?
        .is_not_null()
        .rechunk()
        .into_owned();
    let learning = learning.downcast_as_array();
    let responded = arrays::days(representations, "responded")?;
    let natures = representations.column("nature")?.list()?.rechunk();
    let inner = natures.get_inner();
    let codes = inner.to_physical_repr().cast(&DataType::UInt32)?;
    let codes = codes.u32()?.rechunk();
    let codes = codes.downcast_as_array();
    let natures = natures.downcast_as_array();
    // Place 0 is the blank nature (no list, or an empty one), place c + 1 the nature coded c.
    let places = codes.values().iter().max().map_or(1, |c| *c as usize + 2);
    let mut counts = vec![0i64; places * periods];
    for row in 0..learning.len() {
        if !learning.value(row) {
            continue;
        }
        let Some(slot) = responded.get(row).and_then(|day| days.slot(day)) else {
            continue;
        };
        let (start, end) = natures.offsets().start_end(row);
        let place = if natures.is_valid(row) && start < end {
            codes.get(start).map_or(0, |code| code as usize + 1)
        } else {
            0
        };
        counts[place * periods + slot as usize] += 1;
    }
    let (_, mapping) = crate::load::frames::label_dtype_and_mapping();
    let rows = counts
        .chunks(periods)
        .enumerate()
        .filter(|(_, values)| values.iter().any(|n| *n != 0))
        .map(|(place, values)| {
            let label = place
                .checked_sub(1)
                .and_then(|code| mapping.cat_to_str(code as u32))
                .map(str::to_string);
            (label, values.to_vec())
        })
        .collect();
    let mut counts = Counts { rows };
    counts.sort(periods.saturating_sub(1));
    Ok(counts)
}

pub fn build(inputs: &Inputs) -> Result<Section> {
    let current = inputs.current();
    let counts = inputs.worked_out::<Counts>(Wanted::Learning)?;
    let by_nature = inputs.breakdown(
        "learning.recorded",
        "nature",
        &counts,
        Whole::Own,
        Subject::People,
    );
    let mut counts = year_table(
        inputs,
        YearTable {
            id: "learning-points",
            title: "Learning points recorded, by what the complaint was about".into(),
            stub: "Nature of the complaint",
            total: Some("Total"),
            change: false,
        },
        &by_nature,
    );
    counts.notes.push(
        "Learning recorded when a complaint was answered, counted by the first issue it raised."
            .into(),
    );
    let mut tables = vec![counts];
    if inputs.audience == Audience::Internal {
        let frame = with_learning(&inputs.representations, &inputs.slots);
        tables.push(words(in_slot(frame, current))?);
    }
    let mut facts = Linker::default();
    facts.quantity("learning_points", Some(by_nature.total[current]));
    Ok(facts.section(&SECTION, tables, Vec::new()))
}

/// Each learning point once, grouped by nature: the service's own words, no references.
fn words(frame: LazyFrame) -> Result<Table> {
    let rows = frame
        .select([col("first_nature"), col("learning")])
        .unique(None, UniqueKeepStrategy::First)
        .sort(["first_nature", "learning"], SortMultipleOptions::default())
        .collect()?;
    let mut table = Table::new(
        "learning-points-recorded",
        "The learning points, in the services' words",
        vec!["Nature of the complaint".into(), "What we learned".into()],
    )
    .with_note("Internal: for staff. Case references are left out.");
    table.exempt = true;
    let natures = super::frame::strings(&rows, "first_nature")?;
    let learning = super::frame::strings(&rows, "learning")?;
    for (nature, text) in natures.iter().zip(learning.iter()) {
        if let Some(text) = text {
            table.rows.push(Row::new(
                nature.unwrap_or(NOT_RECORDED),
                vec![Cell::Text(text.to_string())],
            ));
        }
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Seven rows over two quarters. Counted: learning answered in the first quarter on a
    /// complaint about x then y (x), in the second about y, in the second with no nature (an
    /// empty list) and in the first with none recorded (blank). Not counted: a row without
    /// learning, one not answered, and one answered before the first quarter.
    #[test]
    fn learning_counts_by_first_nature_in_the_quarter_it_was_answered() {
        let day = |m: u32, d: u32| chrono::NaiveDate::from_ymd_opt(2024, m, d);
        let natures = crate::figures::testing::label_lists(
            "nature",
            &[
                Some(&["x", "y"][..]),
                Some(&["x"][..]),
                Some(&["y"][..]),
                Some(&["x"][..]),
                Some(&[][..]),
                None,
                Some(&["x"][..]),
            ],
        );
        let frame = DataFrame::new(
            7,
            vec![
                Column::new(
                    "learning".into(),
                    [
                        Some("a"),
                        None,
                        Some("b"),
                        Some("c"),
                        Some("d"),
                        Some("e"),
                        Some("f"),
                    ],
                ),
                DateChunked::from_naive_date_options(
                    "responded".into(),
                    [
                        day(5, 1),
                        day(5, 2),
                        day(8, 1),
                        None,
                        day(9, 1),
                        day(6, 30),
                        day(3, 1),
                    ],
                )
                .into_column(),
                natures.into(),
            ],
        )
        .unwrap();
        let slots = crate::figures::testing::quarters_of_2024(2);
        let counts = count_learning(&frame, &slots).unwrap();
        assert_eq!(counts.get("x"), Some(&[1, 0][..]));
        assert_eq!(counts.get("y"), Some(&[0, 1][..]));
        assert!(counts.rows.contains(&(None, vec![1, 1])));
        assert_eq!(counts.rows.len(), 3);
    }
}
