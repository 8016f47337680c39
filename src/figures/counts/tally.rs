//! Counting by codes where they lie, one pass over the rows: what polars' filters and
//! groupings gave, without copying the rows counted.

use polars::prelude::*;
use polars_arrow::array::Array;

use super::{Counts, codes_of, count_by, count_list_by, is_coded_type};
use crate::figures::frame::PERIOD;

/// The rows of `frame` where `counted` holds, counted by `key` (a label, or a `;`-list of
/// labels) per period: what `count_by` or `count_list_by` gives of them, read where the codes
/// lie. A filter would copy the rows counted first: stage 1's by each of six columns were a
/// tenth of the sections' time at a million rows.
pub fn count_where(
    frame: &DataFrame,
    counted: impl Fn(usize) -> bool,
    key: &str,
    slots: usize,
) -> PolarsResult<Counts> {
    let periods = frame.column(PERIOD)?.u32()?;
    let column = frame.column(key)?;
    match column.dtype() {
        DataType::List(inner) if matches!(**inner, DataType::Categorical(..)) => {
            tally_lists(column.list()?, periods, counted, slots)
        }
        dtype if is_coded_type(dtype) => {
            tally_codes(column.as_materialized_series(), periods, counted, slots)
        }
        dtype => {
            let mask: BooleanChunked = (0..frame.height()).map(&counted).collect();
            let rows = frame.filter(&mask)?.lazy();
            if matches!(dtype, DataType::List(_)) {
                count_list_by(rows, key, slots)
            } else {
                count_by(rows, key, slots)
            }
        }
    }
}

/// The rows in a period where `counted` holds, counted by the codes of `key`.
pub(super) fn tally_codes(
    key: &Series,
    periods: &UInt32Chunked,
    counted: impl Fn(usize) -> bool,
    slots: usize,
) -> PolarsResult<Counts> {
    let codes = codes_of(key)?;
    let codes = codes.downcast_as_array();
    let periods = periods.rechunk();
    let periods = periods.downcast_as_array();
    let mut tally = Tally::new(codes.values().iter().max().copied(), slots);
    for row in 0..periods.len() {
        if periods.is_valid(row) && counted(row) {
            tally.count(codes.get(row), row, periods.value(row));
        }
    }
    tally.into_counts(key)
}

/// The rows in a period where `counted` holds, counted by each label of their lists: a row
/// whose list is blank or empty counts once as blank, as exploding the lists does.
pub(super) fn tally_lists(
    lists: &ListChunked,
    periods: &UInt32Chunked,
    counted: impl Fn(usize) -> bool,
    slots: usize,
) -> PolarsResult<Counts> {
    let lists = lists.rechunk();
    let inner = lists.get_inner();
    let codes = codes_of(&inner)?;
    let codes = codes.downcast_as_array();
    let mut tally = Tally::new(codes.values().iter().max().copied(), slots);
    let array = lists.downcast_as_array();
    let offsets = array.offsets();
    let periods = periods.rechunk();
    let periods = periods.downcast_as_array();
    for row in 0..periods.len() {
        if !periods.is_valid(row) || !counted(row) {
            continue;
        }
        let period = periods.value(row);
        let (start, end) = offsets.start_end(row);
        if !array.is_valid(row) || start == end {
            tally.count(None, 0, period);
            continue;
        }
        for at in start..end {
            tally.count(codes.get(at), at, period);
        }
    }
    tally.into_counts(&inner)
}

/// The most cells (codes × periods) a `Tally` keeps a table of places for.
const DENSE_CELLS: usize = 1 << 20;

/// Each label's count per period and where its first mention lies, kept by its code: in a
/// table with a place for every code up to the largest, when that is small enough (a hash
/// lookup for every label of a million rows was a tenth of the sections' time), and otherwise
/// by a hash of the codes. Place 0 is the blank.
struct Tally {
    slots: usize,
    /// The place of each code seen, where the codes are too many for a table.
    hashed: Option<PlHashMap<Option<u32>, usize>>,
    /// Each place's code, first mention (`usize::MAX` until seen) and counts.
    code: Vec<Option<u32>>,
    first: Vec<usize>,
    counts: Vec<i64>,
}

impl Tally {
    /// A tally of codes up to `largest`, in a table if it has no more than `DENSE_CELLS`.
    fn new(largest: Option<u32>, slots: usize) -> Tally {
        Tally::within(largest, slots, DENSE_CELLS)
    }

    fn within(largest: Option<u32>, slots: usize, most_cells: usize) -> Tally {
        let places = largest.map_or(1, |c| c as usize + 2);
        if places.saturating_mul(slots) > most_cells {
            return Tally {
                slots,
                hashed: Some(PlHashMap::new()),
                code: Vec::new(),
                first: Vec::new(),
                counts: Vec::new(),
            };
        }
        Tally {
            slots,
            hashed: None,
            code: (0..places)
                .map(|p| p.checked_sub(1).map(|c| c as u32))
                .collect(),
            first: vec![usize::MAX; places],
            counts: vec![0; places * slots],
        }
    }

    fn count(&mut self, code: Option<u32>, at: usize, period: u32) {
        let place = match &mut self.hashed {
            None => code.map_or(0, |c| c as usize + 1),
            Some(places) => *places.entry(code).or_insert_with(|| {
                self.code.push(code);
                self.first.push(usize::MAX);
                self.counts.extend(std::iter::repeat_n(0, self.slots));
                self.code.len() - 1
            }),
        };
        if self.first[place] == usize::MAX {
            self.first[place] = at;
        }
        self.counts[place * self.slots + period as usize] += 1;
    }

    /// The counts by label, sorted: each code's label read from `labelled`, the values its
    /// first mentions point into.
    fn into_counts(self, labelled: &Series) -> PolarsResult<Counts> {
        let mut blank = None;
        let (mut firsts, mut counts) = (Vec::new(), Vec::new());
        for (code, first, counted) in self.seen() {
            match code {
                Some(_) => {
                    firsts.push(first as IdxSize);
                    counts.push(counted);
                }
                None => blank = Some((None, counted)),
            }
        }
        let labels = labelled
            .take(&IdxCa::from_vec("first".into(), firsts))?
            .cast(&DataType::String)?;
        let rows = labels
            .str()?
            .iter()
            .map(|label| label.map(str::to_string))
            .zip(counts)
            .chain(blank)
            .collect();
        let mut counts = Counts { rows };
        counts.sort(self.slots.saturating_sub(1));
        Ok(counts)
    }

    /// Each code seen, with its first mention and its counts per period.
    fn seen(&self) -> impl Iterator<Item = (Option<u32>, usize, Vec<i64>)> + '_ {
        (0..self.code.len())
            .filter(|&place| self.first[place] != usize::MAX)
            .map(|place| {
                let counts = &self.counts[place * self.slots..(place + 1) * self.slots];
                (self.code[place], self.first[place], counts.to_vec())
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Six rows; the second is not counted and the fifth is in no period. By label: `a` once
    /// in each period, `b` and a blank once in period 1. By list: `x` and `y` once each in
    /// period 0, `y` once in period 1, and a blank list and an empty one each once blank.
    #[test]
    fn rows_are_counted_where_they_lie_by_label_and_by_list() {
        let label = crate::load::frames::label_dtype();
        let who = Series::new(
            "who".into(),
            [Some("a"), Some("b"), Some("a"), None, Some("a"), Some("b")],
        )
        .cast(&label)
        .unwrap();
        let nature = crate::figures::testing::label_lists(
            "nature",
            &[
                Some(&["x", "y"][..]),
                Some(&["x"][..]),
                None,
                Some(&["y"][..]),
                Some(&["x"][..]),
                Some(&[][..]),
            ],
        );
        let frame = DataFrame::new(
            6,
            vec![
                who.into(),
                nature.into(),
                Column::new(
                    PERIOD.into(),
                    [Some(0u32), Some(0), Some(1), Some(1), None, Some(1)],
                ),
            ],
        )
        .unwrap();
        let counted = |row: usize| row != 1;
        let by_who = count_where(&frame, counted, "who", 2).unwrap();
        assert_eq!(by_who.get("a"), Some(&[1, 1][..]));
        assert_eq!(by_who.get("b"), Some(&[0, 1][..]));
        assert_eq!(by_who.rows.len(), 3);
        assert!(by_who.rows.contains(&(None, vec![0, 1])));
        let by_nature = count_where(&frame, counted, "nature", 2).unwrap();
        assert_eq!(by_nature.get("x"), Some(&[1, 0][..]));
        assert_eq!(by_nature.get("y"), Some(&[1, 1][..]));
        assert_eq!(by_nature.rows.len(), 3);
        assert!(by_nature.rows.contains(&(None, vec![0, 2])));
    }

    /// Codes 2, blank, 0, 2, 2 in periods 0, 1, 0, 1, 0: code 2 first at 0, twice in period 0
    /// and once in 1; code 0 first at 1, once in period 0; the blank once in period 1. The
    /// same in a table as in a hash.
    #[test]
    fn a_tally_counts_alike_in_a_table_and_in_a_hash() {
        for most_cells in [DENSE_CELLS, 0] {
            let mut tally = Tally::within(Some(2), 2, most_cells);
            for (code, at, period) in [
                (Some(2), 0, 0),
                (None, 0, 1),
                (Some(0), 1, 0),
                (Some(2), 2, 1),
                (Some(2), 3, 0),
            ] {
                tally.count(code, at, period);
            }
            assert_eq!(tally.hashed.is_some(), most_cells == 0);
            let mut seen: Vec<_> = tally.seen().collect();
            seen.sort();
            assert_eq!(
                seen,
                [
                    (None, 0, vec![0, 1]),
                    (Some(0), 1, vec![1, 0]),
                    (Some(2), 0, vec![2, 1])
                ]
            );
        }
    }
}
