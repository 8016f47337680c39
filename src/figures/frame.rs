//! Polars plumbing shared by the section modules: periods tagged on rows, working days from the
//! calendar's cumulative counts, and values per period (counts by label are in `counts`).

use chrono::NaiveDate;
use polars::prelude::*;
use polars_arrow::array::Array;

use crate::calendar::{Calendar, day_number};
use crate::period::Period;

/// The index of the period a row falls in (0 = oldest comparison, last = the report's period);
/// null when the row is in none of them.
pub const PERIOD: &str = "period";
/// The last day of the row's period, to tell what was still open when it ended.
pub const PERIOD_END: &str = "period_end";
/// Working days from receipt to response (day of receipt = day 0).
pub const WORKING_DAYS: &str = "working_days";
/// Working days from receipt to acknowledgement.
pub const ACK_WORKING_DAYS: &str = "ack_working_days";

/// The periods a report computes, oldest first; the last is the report's own. Tables show the
/// `shown` ones as columns; the rest feed trends (and are computed alike in every report that
/// includes them, so a period is hidden the same way in each).
#[derive(Debug, Clone)]
pub struct Slots {
    pub periods: Vec<Period>,
    /// Whether the data covers each period; a period it does not cover shows `[x]`, not 0.
    pub present: Vec<bool>,
    /// The periods tables show as columns, oldest first; the last is the report's own.
    pub shown: Vec<usize>,
}

impl Slots {
    /// Each period's last day as a date column stores it (`calendar::day_number`), to compare
    /// a row's stored date with.
    pub fn end_days(&self) -> Vec<i32> {
        self.periods
            .iter()
            .map(|p| day_number(p.end) as i32)
            .collect()
    }

    fn of(periods: Vec<Period>, shown: Vec<usize>) -> Slots {
        Slots {
            present: vec![true; periods.len()],
            periods,
            shown,
        }
    }

    /// The report's period and up to `earlier` years before it.
    pub fn new(current: &Period, earlier: usize) -> Slots {
        let mut periods: Vec<Period> = (1..=earlier as i32)
            .rev()
            .map(|n| current.years_earlier(n))
            .collect();
        periods.push(current.clone());
        let shown = (0..periods.len()).collect();
        Slots::of(periods, shown)
    }

    /// A quarter and the seven before it (for the trend of the last eight quarters), showing
    /// the same quarter a year earlier, the quarter before, and the quarter itself.
    pub fn quarters(current: &Period) -> Slots {
        let periods: Vec<Period> = (0..8)
            .rev()
            .filter_map(|n| current.quarters_earlier(n))
            .collect();
        Slots::of(periods, vec![3, 6, 7])
    }

    pub fn len(&self) -> usize {
        self.periods.len()
    }

    pub fn is_empty(&self) -> bool {
        self.periods.is_empty()
    }

    pub fn current(&self) -> usize {
        self.periods.len() - 1
    }

    /// The column before the report's own: the previous year, or the previous quarter.
    pub fn previous(&self) -> Option<usize> {
        self.shown.len().checked_sub(2).map(|i| self.shown[i])
    }

    /// The headers of the change columns, saying what the change is on when that is not the
    /// year before.
    pub fn change_columns(&self) -> [String; 2] {
        let on = match self.shown.last().map(|&s| self.periods[s].kind) {
            Some(crate::period::Kind::Quarter(..)) => " on the previous quarter",
            Some(crate::period::Kind::Range) => " on a year earlier",
            _ => "",
        };
        [format!("Change{on}"), format!("Change{on} (%)")]
    }

    /// The labels of the periods shown as columns.
    pub fn labels(&self) -> Vec<String> {
        self.shown
            .iter()
            .map(|s| self.periods[*s].label.clone())
            .collect()
    }

    /// Marks as absent every period the data does not fully cover: one that starts before the
    /// first date in the data (allowing a month for a quiet start) or ends after the export.
    pub fn mark_coverage(&mut self, first: Option<NaiveDate>, last: Option<NaiveDate>) {
        for (period, present) in self.periods.iter().zip(self.present.iter_mut()) {
            *present = match (first, last) {
                (Some(first), Some(last)) => {
                    first <= period.start + chrono::Days::new(31) && last >= period.start
                }
                _ => false,
            };
        }
    }
}

/// The period each day falls in, for every day from the first period's start to the last
/// one's end: the first period (oldest) whose days include it. Made once, so a row costs one
/// lookup however many periods there are (a chain of two conditions per period cost the 16
/// quarters of the stage 1 quarter table 60 ms at a million rows).
pub struct PeriodDays {
    /// The day number of the first period's start.
    first: i32,
    slot_of_day: Vec<Option<u32>>,
}

impl PeriodDays {
    /// `None` when there are no periods.
    pub fn new(slots: &Slots) -> Option<PeriodDays> {
        let first = slots.periods.iter().map(|p| p.start).min()?;
        let last = slots.periods.iter().map(|p| p.end).max()?;
        let days = (last - first).num_days().max(-1) + 1;
        let mut slot_of_day = vec![None; days as usize];
        // Newest first, so where periods overlap the oldest is written last and wins.
        for (i, period) in slots.periods.iter().enumerate().rev() {
            let from = (period.start - first).num_days();
            let to = (period.end - first).num_days();
            for day in from..=to {
                slot_of_day[day as usize] = Some(i as u32);
            }
        }
        Some(PeriodDays {
            first: day_number(first) as i32,
            slot_of_day,
        })
    }

    /// The period of the day with the stored day number `day`; `None` before the first
    /// period, after the last, or in a gap between two.
    pub fn slot(&self, day: i32) -> Option<u32> {
        let place = usize::try_from(day.checked_sub(self.first)?).ok()?;
        self.slot_of_day.get(place).copied().flatten()
    }
}

/// Adds `PERIOD` and `PERIOD_END` from `date_column`, as `PeriodDays` places the date. Each
/// row is placed by a lookup of our own over the stored day numbers: as a polars query (an
/// offset, a condition, a cast and two gathers) tagging took 4% of the run's time at a million
/// rows (docs/performance.md, change 85).
pub fn tag_periods(frame: LazyFrame, date_column: &str, slots: &Slots) -> LazyFrame {
    let Some(days) = PeriodDays::new(slots) else {
        return frame;
    };
    let days = Arc::new(days);
    let ends = slots.end_days();
    let slot = {
        let days = days.clone();
        move |dates: Column| Ok(per_slot::<UInt32Type>(&dates, &days, |slot| slot)?.into_column())
    };
    let end = move |dates: Column| {
        let ends = per_slot::<Int32Type>(&dates, &days, |slot| ends[slot as usize])?;
        Ok(ends.into_date().into_column())
    };
    let typed = |dtype: DataType| {
        move |_: &Schema, field: &Field| Ok(field.clone().with_dtype(dtype.clone()))
    };
    frame.with_columns([
        col(date_column)
            .map(slot, typed(DataType::UInt32))
            .alias(PERIOD),
        col(date_column)
            .map(end, typed(DataType::Date))
            .alias(PERIOD_END),
    ])
}

/// For each date in `dates`, `of_slot` of the period `days` places it in; null for a blank
/// date or one in no period.
fn per_slot<T: PolarsNumericType>(
    dates: &Column,
    days: &PeriodDays,
    of_slot: impl Fn(u32) -> T::Native,
) -> PolarsResult<ChunkedArray<T>> {
    let stored = dates.date()?.physical();
    let mut values = Vec::with_capacity(stored.len());
    let mut placed = polars_arrow::bitmap::MutableBitmap::with_capacity(stored.len());
    for array in stored.downcast_iter() {
        for (row, day) in array.values().iter().enumerate() {
            let slot = array.is_valid(row).then(|| days.slot(*day)).flatten();
            values.push(slot.map_or_else(Default::default, &of_slot));
            placed.push(slot.is_some());
        }
    }
    Ok(ChunkedArray::from_vec_validity(
        dates.name().clone(),
        values,
        Some(placed.into()),
    ))
}

/// `WORKING_DAYS` (received → responded) and `ACK_WORKING_DAYS` (received → acknowledged) of
/// `frame`'s rows: each a difference of two working-day ordinals, looked up by the date's day
/// number in the calendar's cumulative count — no loop over days, and no join copying the
/// frame. Null where either date is blank or outside the calendar.
pub fn working_days(frame: &DataFrame, calendar: &Calendar) -> PolarsResult<[Column; 2]> {
    let ordinal_of_day = calendar.ordinal_of_day();
    // Read from the stored day numbers array by array, and the result made as values and
    // validity: cell by cell through options, the three columns took 40 ms at a million rows,
    // all of it on one core before any section could start.
    let ordinals = |frame: &DataFrame, name: &str| -> PolarsResult<Vec<Option<u32>>> {
        let days = frame.column(name)?.date()?.physical();
        let mut ordinals = Vec::with_capacity(days.len());
        for array in days.downcast_iter() {
            let values = array.values().iter();
            match array.validity() {
                None => ordinals.extend(values.map(|day| ordinal_of_day(*day))),
                Some(valid) => ordinals.extend(
                    values
                        .zip(valid.iter())
                        .map(|(day, valid)| valid.then(|| ordinal_of_day(*day)).flatten()),
                ),
            }
        }
        Ok(ordinals)
    };
    let received = ordinals(frame, "received")?;
    let counted = |to: &str, name: &str| -> PolarsResult<Column> {
        let to = ordinals(frame, to)?;
        let mut counted = polars_arrow::bitmap::MutableBitmap::with_capacity(to.len());
        // Four bytes a row, not eight: two ordinals of the calendar's days are tens of
        // thousands apart at most.
        let days: Vec<i32> = to
            .iter()
            .zip(&received)
            .map(|pair| match pair {
                (Some(to), Some(from)) => {
                    counted.push(true);
                    *to as i32 - *from as i32
                }
                _ => {
                    counted.push(false);
                    0
                }
            })
            .collect();
        let days = Int32Chunked::from_vec_validity(name.into(), days, Some(counted.into()));
        Ok(days.into_column())
    };
    Ok([
        counted("responded", WORKING_DAYS)?,
        counted("acknowledged", ACK_WORKING_DAYS)?,
    ])
}

/// A column's values as strings, whether it holds labels (categorical codes) or text.
pub fn strings(frame: &DataFrame, name: &str) -> PolarsResult<StringChunked> {
    Ok(frame.column(name)?.cast(&DataType::String)?.str()?.clone())
}

/// `expr` counted over the rows where it is true (nulls count as false). Summed as booleans:
/// cast to 64-bit numbers first, each condition made a copy of 8 bytes a row (41 MB over the
/// annual report's timescale tables at a million rows).
pub fn count_true(expr: Expr) -> Expr {
    expr.fill_null(lit(false)).sum().cast(DataType::Int64)
}

/// `PERIOD` where `condition` holds, and none where it does not: the rows counted are those a
/// filter on `condition` would keep, without the copy of every column read that filtering
/// makes, for counts that pass over rows in no period as they read them.
pub fn period_where(condition: Expr) -> Expr {
    when(condition)
        .then(col(PERIOD))
        .otherwise(lit(NULL).cast(DataType::UInt32))
        .alias(PERIOD)
}

/// `day` as a polars date, to compare a date column with. polars' own literal of a
/// `NaiveDate` is a datetime (midnight in milliseconds), so comparing a date column with it
/// made a 64-bit copy of the column first: 16 bytes a row at a million rows, for each
/// comparison. Whole days compare the same either way.
pub fn date_literal(day: NaiveDate) -> Expr {
    lit(day).cast(DataType::Date)
}

/// One value per period for each expression (aggregated within the period's rows).
pub fn per_period(
    frame: LazyFrame,
    exprs: Vec<Expr>,
    slots: usize,
) -> PolarsResult<Vec<Vec<Option<f64>>>> {
    let count = exprs.len();
    let aggregated = frame
        .filter(col(PERIOD).is_not_null())
        .group_by([col(PERIOD)])
        .agg(
            exprs
                .into_iter()
                .enumerate()
                .map(|(i, e)| e.cast(DataType::Float64).alias(format!("v{i}")))
                .collect::<Vec<_>>(),
        )
        .collect()?;
    let periods = aggregated.column(PERIOD)?.u32()?;
    let mut values = vec![vec![None; slots]; count];
    for (i, row_values) in values.iter_mut().enumerate() {
        let column = aggregated.column(&format!("v{i}"))?.f64()?;
        for (period, value) in periods.iter().zip(column.iter()) {
            if let Some(period) = period {
                row_values[period as usize] = value;
            }
        }
    }
    Ok(values)
}

/// For each condition, the rows of `frame` in each period where `rows` and the condition hold
/// (a blank counts as false): what `per_period` of `count_true` gives over the rows a filter on
/// `rows` keeps. The conditions are evaluated over every row and counted in one pass, so no
/// column is copied by a filter, and no period's rows gathered for each count by a grouping
/// (the stage 1 acknowledgements took 11 ms at a million rows that way, and 27 MB).
pub fn count_per_period(
    frame: LazyFrame,
    rows: Expr,
    conditions: Vec<Expr>,
    slots: usize,
) -> PolarsResult<Vec<Vec<i64>>> {
    let count = conditions.len();
    let mut columns = vec![col(PERIOD), rows.fill_null(lit(false)).alias("rows")];
    columns.extend(
        conditions
            .into_iter()
            .enumerate()
            .map(|(i, c)| c.fill_null(lit(false)).alias(format!("c{i}"))),
    );
    let evaluated = frame.select(columns).collect()?;
    let periods = super::arrays::periods(&evaluated)?;
    let flags = |name: &str| -> PolarsResult<polars_arrow::bitmap::Bitmap> {
        let column = evaluated.column(name)?.bool()?.rechunk();
        // A blank was filled as false above, so the values alone say it.
        Ok(column.downcast_as_array().values().clone())
    };
    let rows = flags("rows")?;
    let conditions = (0..count)
        .map(|i| flags(&format!("c{i}")))
        .collect::<PolarsResult<Vec<_>>>()?;
    let mut counts = vec![vec![0i64; slots]; count];
    for (row, period) in periods.iter().enumerate() {
        let Some(&period) = period else { continue };
        if !rows.get_bit(row) {
            continue;
        }
        for (counted, condition) in counts.iter_mut().zip(&conditions) {
            counted[period as usize] += i64::from(condition.get_bit(row));
        }
    }
    Ok(counts)
}

/// The rows whose `PERIOD` is `slot`, collected.
pub fn in_slot(frame: LazyFrame, slot: usize) -> LazyFrame {
    frame.filter(col(PERIOD).eq(lit(slot as u32)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Working days after the day of receipt, worked by hand from the calendar: 20 December
    /// 2024 (a Friday) to 3 January 2025 passes 23, 24, 27, 30 and 31 December and 2 and 3
    /// January (25, 26 December and 1 January are bank holidays): 7; Monday 3 to Wednesday 5
    /// June 2024: 2. A blank date, or one outside the calendar, gives no count. The frame is in
    /// two chunks, as a file read in two parts is.
    #[test]
    fn working_days_are_counted_from_the_calendar_with_blanks_left_blank() {
        let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        let part = |received: &[&str], responded: &[&str], acknowledged: &[&str]| {
            let column = |name: &str, dates: &[&str]| {
                let dates: Vec<Option<NaiveDate>> = dates.iter().map(|d| date(d)).collect();
                DateChunked::from_naive_date_options(name.into(), dates).into_column()
            };
            DataFrame::new(
                received.len(),
                vec![
                    column("received", received),
                    column("responded", responded),
                    column("acknowledged", acknowledged),
                ],
            )
            .unwrap()
        };
        let mut frame = part(
            &["2024-12-20", "2024-06-03"],
            &["2025-01-03", ""],
            &["", "2024-06-05"],
        );
        let mut second = part(
            &["", "2024-06-03"],
            &["2024-06-05", "1800-01-01"],
            &["2024-06-04", "2024-06-03"],
        );
        // A blank cell still stores a day number: here one the calendar covers, so only the
        // blank itself keeps it from being counted.
        let stored = day_number(date("2024-06-03").unwrap()) as i32;
        let blank_first: polars_arrow::bitmap::Bitmap = [false, true].into_iter().collect();
        let received =
            Int32Chunked::from_vec_validity("received".into(), vec![stored; 2], Some(blank_first))
                .into_date()
                .into_column();
        second.with_column(received).unwrap();
        frame.vstack_mut(&second).unwrap();
        assert_eq!(frame.first_col_n_chunks(), 2);
        let [working, acknowledging] = working_days(&frame, Calendar::england_and_wales()).unwrap();
        let days = |column: &Column| -> Vec<Option<i32>> { column.i32().unwrap().iter().collect() };
        assert_eq!(working.name().as_str(), WORKING_DAYS);
        assert_eq!(days(&working), [Some(7), None, None, None]);
        assert_eq!(acknowledging.name().as_str(), ACK_WORKING_DAYS);
        assert_eq!(days(&acknowledging), [None, Some(2), None, Some(0)]);
    }

    /// Periods 0 and 1 overlap (the older wins), a gap follows, and dates before, between
    /// and after them, or blank, are in no period.
    #[test]
    fn a_date_is_tagged_with_the_oldest_period_that_holds_it() {
        let day = |m: u32, d: u32| NaiveDate::from_ymd_opt(2024, m, d).unwrap();
        let slots = Slots::of(
            vec![
                Period::new("a", day(1, 1), day(1, 10)),
                Period::new("b", day(1, 5), day(1, 20)),
                Period::new("c", day(2, 1), day(2, 5)),
            ],
            vec![0, 1, 2],
        );
        let dates = [
            Some(NaiveDate::from_ymd_opt(2023, 12, 31).unwrap()),
            Some(day(1, 1)),
            Some(day(1, 7)),
            Some(day(1, 15)),
            Some(day(1, 25)),
            Some(day(2, 5)),
            Some(day(3, 1)),
            None,
        ];
        let frame = DataFrame::new(
            dates.len(),
            vec![DateChunked::from_naive_date_options("on".into(), dates).into_column()],
        )
        .unwrap();
        // In two chunks, as a file read in two parts is framed: each is placed as it stands.
        let (top, bottom) = frame.split_at(3);
        let mut frame = top;
        frame.vstack_mut(&bottom).unwrap();
        assert_eq!(frame.first_col_n_chunks(), 2);
        let tagged = tag_periods(frame.lazy(), "on", &slots).collect().unwrap();
        let periods: Vec<Option<u32>> = tagged
            .column(PERIOD)
            .unwrap()
            .u32()
            .unwrap()
            .iter()
            .collect();
        assert_eq!(
            periods,
            [None, Some(0), Some(0), Some(1), None, Some(2), None, None]
        );
        let ends: Vec<Option<NaiveDate>> = tagged
            .column(PERIOD_END)
            .unwrap()
            .date()
            .unwrap()
            .as_date_iter()
            .collect();
        assert_eq!(
            ends,
            [
                None,
                Some(day(1, 10)),
                Some(day(1, 10)),
                Some(day(1, 20)),
                None,
                Some(day(2, 5)),
                None,
                None
            ]
        );
    }

    /// A date literal is a date, not polars' midnight datetime, and compares with a date column
    /// day for day: of 31 March, 1 April and a blank, only 31 March is on or before 31 March,
    /// only 1 April after it, and the blank is neither.
    #[test]
    fn a_date_literal_is_a_date_and_compares_day_for_day() {
        let march_31 = NaiveDate::from_ymd_opt(2025, 3, 31).unwrap();
        let april_1 = NaiveDate::from_ymd_opt(2025, 4, 1).unwrap();
        let frame = DataFrame::new(
            3,
            vec![
                DateChunked::from_naive_date_options(
                    "on".into(),
                    [Some(march_31), Some(april_1), None],
                )
                .into_column(),
            ],
        )
        .unwrap();
        let compared = frame
            .lazy()
            .select([
                date_literal(march_31).alias("literal"),
                col("on").lt_eq(date_literal(march_31)).alias("by"),
                col("on").gt(date_literal(march_31)).alias("after"),
            ])
            .collect()
            .unwrap();
        assert_eq!(compared.column("literal").unwrap().dtype(), &DataType::Date);
        let flags = |name: &str| -> Vec<Option<bool>> {
            compared
                .column(name)
                .unwrap()
                .bool()
                .unwrap()
                .iter()
                .collect()
        };
        assert_eq!(flags("by"), [Some(true), Some(false), None]);
        assert_eq!(flags("after"), [Some(false), Some(true), None]);
    }

    /// Five rows: periods 0, 0, 1, none, 1; the fifth not among the rows counted. The flag is
    /// true in the first (period 0) and the fourth (no period), blank in the third: once in
    /// period 0. Every row counted: twice in period 0, once in period 1.
    #[test]
    fn counts_per_period_are_of_the_rows_counted_where_each_condition_holds() {
        let frame = df!(
            PERIOD => [Some(0u32), Some(0), Some(1), None, Some(1)],
            "flag" => [Some(true), Some(false), None, Some(true), Some(true)],
            "counted" => [true, true, true, true, false],
        )
        .unwrap();
        let counts = count_per_period(
            frame.lazy(),
            col("counted"),
            vec![col("flag"), lit(true)],
            2,
        )
        .unwrap();
        assert_eq!(counts, [vec![1, 0], vec![2, 1]]);
    }

    /// Trues counted, blanks and falses not: two of five.
    #[test]
    fn count_true_counts_only_trues() {
        let frame = DataFrame::new(
            5,
            vec![Column::new(
                "flag".into(),
                [Some(true), Some(false), None, Some(true), Some(false)],
            )],
        )
        .unwrap();
        let counted = frame
            .lazy()
            .select([count_true(col("flag")).alias("n")])
            .collect()
            .unwrap();
        let n = counted.column("n").unwrap();
        assert_eq!(n.dtype(), &DataType::Int64);
        assert_eq!(n.i64().unwrap().get(0), Some(2));
    }
}
