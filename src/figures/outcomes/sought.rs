//! What complainants asked for in the stage 1 complaints concluded, and whether they got it:
//! each outcome sought, matched against the complaint's remedies. Both this and the table of
//! remedies by outcome are counted from the label lists' codes where they lie.

use polars::prelude::*;
use polars_arrow::array::{Array, ListArray, PrimitiveArray};

use crate::error::Result;
use crate::figures::ahead::Wanted;
use crate::figures::counts::{Counts, cell_label};
use crate::figures::frame::{PERIOD, period_where};
use crate::figures::inputs::{Inputs, Whole};
use crate::figures::model::{Row, RowOrder, Table};
use crate::figures::quantity::{Q, Subject};
use crate::figures::tables::label_text;

/// For each outcome sought, per period, the complaints of `frame` where `counted` holds that
/// asked for it and had it among their remedies: each complaint once for an outcome, however
/// often either list names it. Walked row by row, as the lists are short: pairing every sought
/// outcome with every remedy in polars, and then dropping duplicates, cost a national export a
/// quarter of a second.
pub(super) fn sought_and_got(frame: LazyFrame, counted: Expr, slots: usize) -> Result<Counts> {
    // Both lists as codes of the same categories, so a label is matched by its code.
    let (_, mapping) = crate::load::frames::label_dtype_and_mapping();
    let list = crate::load::frames::label_list_dtype;
    let rows = frame
        .select([
            period_where(counted),
            col("outcome_sought").cast(list()),
            col("remedy").cast(list()),
        ])
        .collect()?;
    let periods = rows.column(PERIOD)?.u32()?.rechunk();
    let (sought, remedies) = (
        list_codes(&rows, "outcome_sought")?,
        list_codes(&rows, "remedy")?,
    );
    let mut got: PlHashMap<CatSize, Vec<i64>> = PlHashMap::new();
    let arrays = periods
        .downcast_iter()
        .zip(sought.downcast_iter())
        .zip(remedies.downcast_iter());
    for ((periods, sought), remedies) in arrays {
        let (sought_codes, remedy_codes) = (codes_of(sought), codes_of(remedies));
        for (row, period) in periods.iter().enumerate() {
            let Some(&period) = period else { continue };
            if !sought.is_valid(row) || !remedies.is_valid(row) {
                continue;
            }
            let mut named: Vec<CatSize> = Vec::new();
            for label in row_codes(sought, sought_codes, row) {
                if named.contains(&label)
                    || !row_codes(remedies, remedy_codes, row).any(|r| r == label)
                {
                    continue;
                }
                named.push(label);
                got.entry(label).or_insert_with(|| vec![0; slots])[period as usize] += 1;
            }
        }
    }
    Ok(Counts {
        rows: got
            .into_iter()
            .map(|(code, n)| (mapping.cat_to_str(code).map(str::to_string), n))
            .collect(),
    })
}

/// Column `name` of label lists as lists of their codes, in one chunk.
fn list_codes(rows: &DataFrame, name: &str) -> PolarsResult<ListChunked> {
    Ok(rows
        .column(name)?
        .to_physical_repr()
        .list()?
        .rechunk()
        .into_owned())
}

/// A row's codes, from its list's offsets into the column's codes.
fn row_codes<'a>(
    lists: &'a ListArray<i64>,
    codes: &'a PrimitiveArray<CatSize>,
    row: usize,
) -> impl Iterator<Item = CatSize> + 'a {
    let (start, end) = lists.offsets().start_end(row);
    (start..end).filter_map(move |i| codes.get(i))
}

/// A column's codes, looked up once for all its rows.
fn codes_of(lists: &ListArray<i64>) -> &PrimitiveArray<CatSize> {
    lists
        .values()
        .as_any()
        .downcast_ref::<PrimitiveArray<CatSize>>()
        .expect("a list of codes")
}

/// For each remedy and outcome, per period, the mentions of that remedy among the rows of
/// `frame` where `counted` holds with that outcome: what exploding the remedies and counting
/// them by remedy and outcome gives for every named pair, as `count_cells` labels its cells.
/// Read from the lists' codes where they lie: exploding and filtering copied a million rows'
/// lists and labels for a table of a few dozen cells (60 MB, a quarter of the section's time).
pub(super) fn remedies_by_outcome_counts(
    frame: LazyFrame,
    counted: Expr,
    outcome: Expr,
    slots: usize,
) -> Result<Counts> {
    let (label, mapping) = crate::load::frames::label_dtype_and_mapping();
    let rows = frame
        .select([
            period_where(counted),
            col("remedy").cast(crate::load::frames::label_list_dtype()),
            outcome.cast(label).alias("outcome"),
        ])
        .collect()?;
    let periods = rows.column(PERIOD)?.u32()?.rechunk();
    let periods = periods.downcast_as_array();
    let remedies = list_codes(&rows, "remedy")?;
    let remedies = remedies.downcast_as_array();
    let outcomes = rows
        .column("outcome")?
        .to_physical_repr()
        .cast(&DataType::UInt32)?
        .u32()?
        .rechunk()
        .into_owned();
    let outcomes = outcomes.downcast_as_array();
    let remedy_codes = codes_of(remedies);
    let mut cells: PlHashMap<(CatSize, CatSize), Vec<i64>> = PlHashMap::new();
    for (row, period) in periods.iter().enumerate() {
        let (Some(&period), Some(&outcome)) = (period, outcomes.get(row).as_ref()) else {
            continue;
        };
        if !remedies.is_valid(row) {
            continue;
        }
        for remedy in row_codes(remedies, remedy_codes, row) {
            cells
                .entry((remedy, outcome))
                .or_insert_with(|| vec![0; slots])[period as usize] += 1;
        }
    }
    let named = |code: CatSize| mapping.cat_to_str(code);
    Ok(Counts {
        rows: cells
            .into_iter()
            .filter_map(|((remedy, outcome), n)| {
                Some((Some(cell_label(&[named(remedy)?, named(outcome)?])), n))
            })
            .collect(),
    })
}

/// What complainants asked for against what they got: of the stage 1 complaints concluded in
/// the period that asked for each outcome, how many had it among their remedies. A count of
/// those who got it is at most the count of those who asked.
pub(super) fn sought_and_received(inputs: &Inputs, concluded: &[Q]) -> Result<Table> {
    let label = &inputs.slots.periods[inputs.current()].label;
    let asked = inputs.worked_out::<Counts>(Wanted::Concluded(1, "outcome_sought"))?;
    let matched = inputs.worked_out::<Counts>(Wanted::SoughtAndGot)?;
    // Row for row with those who asked, a label nobody got being zeros: every label is
    // registered for every period, so each period's quantities are the same in every document.
    let got = Counts {
        rows: asked
            .rows
            .iter()
            .map(|(label, values)| {
                let found = label.as_deref().and_then(|l| matched.get(l));
                let values = found.map_or_else(|| vec![0; values.len()], <[i64]>::to_vec);
                (label.clone(), values)
            })
            .collect(),
    };
    let asked = inputs.breakdown(
        "stage1.responded",
        "outcome_sought",
        &asked,
        Whole::Mentions(concluded),
        Subject::People,
    );
    let got = inputs.breakdown(
        "stage1.responded.received_what_was_sought",
        "outcome_sought",
        &got,
        Whole::Mentions(concluded),
        Subject::People,
    );
    // Their totals of mentions are never shown either.
    inputs.set_unpublished(asked.total.iter().chain(&got.total));
    let mut table = Table::new(
        "outcomes-sought-received",
        format!(
            "What complainants asked for, and whether they got it: stage 1 complaints concluded in {label}"
        ),
        ["Outcome sought", "Asked for", "Received", "Received (%)"]
            .map(String::from)
            .to_vec(),
    );
    let current = inputs.current();
    {
        let mut registry = inputs.registry();
        for ((_, asked_qs), (_, got_qs)) in asked.rows.iter().zip(&got.rows) {
            for (got_q, asked_q) in got_qs.iter().zip(asked_qs) {
                registry.at_most(*got_q, *asked_q);
            }
        }
    }
    // Labels A to Z with, for each, the counts who asked and who got it.
    let mut rows: Vec<(&Option<String>, &[Q], &[Q])> = asked
        .rows
        .iter()
        .zip(&got.rows)
        .map(|((sought, asked_qs), (_, got_qs))| (sought, asked_qs.as_slice(), got_qs.as_slice()))
        .filter(|(sought, asked_qs, _)| sought.is_some() && inputs.value(asked_qs[current]) > 0)
        .collect();
    rows.sort_by(|a, b| a.0.cmp(b.0));
    for (sought, asked_qs, got_qs) in rows {
        let got_q = got_qs[current];
        table.rows.push(Row::linked(
            label_text(sought),
            vec![
                inputs.count_at(asked_qs[current], current),
                inputs.count_at(got_q, current),
                inputs.percent_at(got_q, asked_qs[current], current),
            ],
        ));
    }
    table.order = RowOrder::Fixed;
    let mut table = table.with_note("Of the stage 1 complaints concluded in the period that asked for each outcome, how many had it among their remedies. A complaint can ask for more than one thing.");
    for column in ["outcome_sought", "remedy"] {
        if let Some(note) = inputs.missing_column_note(column) {
            table.notes.push(note);
        }
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lists(rows: &[Option<&[&str]>]) -> Series {
        let mut builder = ListStringChunkedBuilder::new("".into(), rows.len(), 8);
        for row in rows {
            match row {
                Some(labels) => builder.append_values_iter(labels.iter().copied()),
                None => builder.append_null(),
            }
        }
        builder.finish().into_series()
    }

    /// Each mention of a remedy counts under the row's outcome, in the row's period, as
    /// exploding the lists would count it: the first row names Apology twice. A row with no
    /// outcome, no remedies or no period, or not counted, counts for nothing.
    #[test]
    fn remedies_count_by_outcome_mention_by_mention() {
        let remedy = lists(&[
            Some(&["Apology", "Apology"]),
            Some(&["Change"]),
            Some(&["Apology", "Change"]),
            Some(&["Apology"]),
            None,
            Some(&["Apology"]),
        ]);
        let outcome = Series::new(
            "outcome".into(),
            [
                Some("Upheld"),
                Some("Not upheld"),
                Some("Upheld"),
                None,
                Some("Upheld"),
                Some("Upheld"),
            ],
        );
        let period = Series::new(
            PERIOD.into(),
            [Some(0u32), Some(0), Some(1), Some(1), Some(1), None],
        );
        let first = Series::new("first".into(), [true, false, false, false, false, false]);
        let frame = DataFrame::new(
            6,
            vec![
                period.into(),
                remedy.with_name("remedy".into()).into(),
                outcome.into(),
                first.into(),
            ],
        )
        .unwrap();
        let counts =
            remedies_by_outcome_counts(frame.clone().lazy(), lit(true), col("outcome"), 2).unwrap();
        assert_eq!(counts.get_cell(&["Apology", "Upheld"]), Some(&[2, 1][..]));
        assert_eq!(
            counts.get_cell(&["Change", "Not upheld"]),
            Some(&[1, 0][..])
        );
        assert_eq!(counts.get_cell(&["Change", "Upheld"]), Some(&[0, 1][..]));
        assert_eq!(counts.rows.len(), 3);
        let counts =
            remedies_by_outcome_counts(frame.lazy(), col("first").not(), col("outcome"), 2)
                .unwrap();
        assert_eq!(counts.get_cell(&["Apology", "Upheld"]), Some(&[0, 1][..]));
        assert_eq!(counts.rows.len(), 3);
    }

    /// A complaint counts once for an outcome it asked for and got, however often either list
    /// names it; a complaint in no period, or with nothing sought, counts for nothing.
    #[test]
    fn an_outcome_sought_and_got_counts_each_complaint_once() {
        let sought = lists(&[
            Some(&["Apology", "Apology", "Review"]),
            Some(&["Review"]),
            Some(&["Apology", "Change"]),
            Some(&["Apology"]),
            None,
        ]);
        let remedy = lists(&[
            Some(&["Apology", "Apology"]),
            Some(&["Change"]),
            Some(&["Change", "Apology"]),
            Some(&["Apology"]),
            Some(&["Apology"]),
        ]);
        let frame = DataFrame::new(
            5,
            vec![
                Series::new(PERIOD.into(), [Some(0u32), Some(0), Some(1), None, Some(1)]).into(),
                sought.with_name("outcome_sought".into()).into(),
                remedy.with_name("remedy".into()).into(),
            ],
        )
        .unwrap();
        let got = sought_and_got(frame.clone().lazy(), lit(true), 2).unwrap();
        assert_eq!(got.get("Apology"), Some(&[1, 1][..]));
        assert_eq!(got.get("Change"), Some(&[0, 1][..]));
        assert_eq!(got.rows.len(), 2);
        // Rows not counted count for nothing: here all but the third, which got both.
        let third = Series::new("third".into(), [false, false, true, false, false]);
        let frame = frame.hstack(&[third.into()]).unwrap();
        let got = sought_and_got(frame.lazy(), col("third"), 2).unwrap();
        assert_eq!(got.get("Apology"), Some(&[0, 1][..]));
        assert_eq!(got.get("Change"), Some(&[0, 1][..]));
        assert_eq!(got.rows.len(), 2);
    }
}
