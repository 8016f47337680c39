//! Polars plumbing shared by the section modules: periods tagged on rows, working days from the
//! calendar's cumulative counts, and counts by label per period.

use std::collections::HashMap;

use chrono::NaiveDate;
use polars::prelude::*;

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

/// Adds `PERIOD` and `PERIOD_END` from `date_column`: the first period (oldest) whose days
/// include the row's date. Each day from the first period's start to the last one's end is
/// looked up in a table made once, so a row costs one lookup however many periods there are
/// (a chain of two conditions per period cost the 16 quarters of the stage 1 quarter table
/// 60 ms at a million rows).
pub fn tag_periods(frame: LazyFrame, date_column: &str, slots: &Slots) -> LazyFrame {
    let (Some(first), Some(last)) = (
        slots.periods.iter().map(|p| p.start).min(),
        slots.periods.iter().map(|p| p.end).max(),
    ) else {
        return frame;
    };
    let days = (last - first).num_days().max(-1) + 1;
    let mut index: Vec<Option<u32>> = vec![None; days as usize];
    let mut end: Vec<Option<NaiveDate>> = vec![None; days as usize];
    // Newest first, so where periods overlap the oldest is written last and wins.
    for (i, period) in slots.periods.iter().enumerate().rev() {
        let from = (period.start - first).num_days();
        let to = (period.end - first).num_days();
        for day in from..=to {
            index[day as usize] = Some(i as u32);
            end[day as usize] = Some(period.end);
        }
    }
    let offset = col(date_column).to_physical().cast(DataType::Int64) - lit(day_number(first));
    // Days before the first period have no place in the table (a negative place would count
    // from its end); days after the last fall off it and read null.
    let place = when(offset.clone().gt_eq(lit(0i64)))
        .then(offset)
        .otherwise(lit(NULL).cast(DataType::Int64))
        .cast(IDX_DTYPE);
    let index = Series::new(PERIOD.into(), index);
    let end = Series::new(PERIOD_END.into(), end);
    frame.with_columns([
        lit(index).gather(place.clone(), true).alias(PERIOD),
        lit(end).gather(place, true).alias(PERIOD_END),
    ])
}

/// Adds `WORKING_DAYS` (received → responded) and `ACK_WORKING_DAYS` (received → acknowledged):
/// each a difference of two working-day ordinals, looked up by the date's day number in the
/// calendar's cumulative count — no loop over days, and no join copying the frame. Null where
/// either date is blank or outside the calendar.
pub fn with_working_days(mut frame: DataFrame, calendar: &Calendar) -> PolarsResult<DataFrame> {
    let ordinal_of_day = calendar.ordinal_of_day();
    let ordinals = |frame: &DataFrame, name: &str| -> PolarsResult<Vec<Option<i64>>> {
        Ok(frame
            .column(name)?
            .date()?
            .physical()
            .iter()
            .map(|day| day.and_then(&ordinal_of_day).map(i64::from))
            .collect())
    };
    let received = ordinals(&frame, "received")?;
    for (to, name) in [
        ("responded", WORKING_DAYS),
        ("acknowledged", ACK_WORKING_DAYS),
    ] {
        let days: Int64Chunked = ordinals(&frame, to)?
            .into_iter()
            .zip(&received)
            .map(|(to, from)| Some(to? - (*from)?))
            .collect();
        frame.with_column(days.with_name(name.into()).into_column())?;
    }
    Ok(frame)
}

/// A column's values as strings, whether it holds labels (categorical codes) or text.
pub fn strings(frame: &DataFrame, name: &str) -> PolarsResult<StringChunked> {
    Ok(frame.column(name)?.cast(&DataType::String)?.str()?.clone())
}

/// `expr` counted over the rows where it is true (nulls count as false).
pub fn count_true(expr: Expr) -> Expr {
    expr.fill_null(lit(false)).cast(DataType::Int64).sum()
}

/// Counts by a label column and period: label (None for blank) → count per period slot.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counts {
    pub rows: Vec<(Option<String>, Vec<i64>)>,
}

impl Counts {
    /// The counts of the cell whose keys are `keys`, as `count_cells` labels it.
    pub fn get_cell(&self, keys: &[&str]) -> Option<&[i64]> {
        self.get(&keys.join(KEY_SEPARATOR))
    }

    pub fn get(&self, label: &str) -> Option<&[i64]> {
        self.rows
            .iter()
            .find(|(l, _)| l.as_deref() == Some(label))
            .map(|(_, c)| c.as_slice())
    }

    pub fn totals(&self, slots: usize) -> Vec<i64> {
        (0..slots)
            .map(|s| self.rows.iter().map(|(_, c)| c[s]).sum())
            .collect()
    }

    /// Largest in the report's period first, then the larger over all periods, then A–Z;
    /// blanks ("not recorded") last.
    pub fn sort(&mut self, current: usize) {
        self.rows.sort_by(|(la, a), (lb, b)| {
            la.is_none()
                .cmp(&lb.is_none())
                .then(b[current].cmp(&a[current]))
                .then(b.iter().sum::<i64>().cmp(&a.iter().sum::<i64>()))
                .then(la.cmp(lb))
        });
    }
}

/// What joins the keys of a cell counted by `count_cells` in its label.
const KEY_SEPARATOR: &str = "\u{1f}";

/// Rows grouped by `key` (a string column) and `PERIOD`, counted. Rows outside every period
/// are ignored.
pub fn count_by(frame: LazyFrame, key: &str, slots: usize) -> PolarsResult<Counts> {
    count_cells(frame, vec![col(key)], slots)
}

/// Rows grouped by the values of `keys` and `PERIOD`, counted: each label is the keys' values
/// joined by `KEY_SEPARATOR`, or `None` when any is blank. The keys are joined once per group
/// of the result, not once per row. Rows outside every period are ignored.
pub fn count_cells(frame: LazyFrame, keys: Vec<Expr>, slots: usize) -> PolarsResult<Counts> {
    let names: Vec<String> = (0..keys.len()).map(|k| format!("key{k}")).collect();
    // Grouped by the keys as they are (a label by its code), and only the groups' keys read
    // as strings.
    let mut by: Vec<Expr> = keys
        .into_iter()
        .zip(&names)
        .map(|(key, name)| key.alias(name.as_str()))
        .collect();
    by.push(col(PERIOD));
    let grouped = frame
        .filter(col(PERIOD).is_not_null())
        .group_by(by)
        .agg([len().cast(DataType::Int64).alias("n")])
        .collect()?;
    let keys = names
        .iter()
        .map(|name| strings(&grouped, name))
        .collect::<PolarsResult<Vec<StringChunked>>>()?;
    let periods = grouped.column(PERIOD)?.u32()?;
    let counts = grouped.column("n")?.i64()?;
    let mut by_label: HashMap<Option<String>, Vec<i64>> = HashMap::new();
    for (group, (period, n)) in periods.iter().zip(counts.iter()).enumerate() {
        let (Some(period), Some(n)) = (period, n) else {
            continue;
        };
        let values: Option<Vec<&str>> = keys.iter().map(|key| key.get(group)).collect();
        by_label
            .entry(values.map(|values| values.join(KEY_SEPARATOR)))
            .or_insert_with(|| vec![0; slots])[period as usize] += n;
    }
    let mut result = Counts {
        rows: by_label.into_iter().collect(),
    };
    result.sort(slots.saturating_sub(1));
    Ok(result)
}

/// Like `count_by` for a `;`-list column: each label counts once per row that has it.
pub fn count_list_by(frame: LazyFrame, key: &str, slots: usize) -> PolarsResult<Counts> {
    let exploded = frame.select([col(key), col(PERIOD)]).explode(
        cols([key]),
        ExplodeOptions {
            empty_as_null: true,
            keep_nulls: true,
        },
    );
    count_by(exploded, key, slots)
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

/// The rows whose `PERIOD` is `slot`, collected.
pub fn in_slot(frame: LazyFrame, slot: usize) -> LazyFrame {
    frame.filter(col(PERIOD).eq(lit(slot as u32)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Five rows: (a, x) twice in period 0 and once in period 1, (a, y) once in period 1, and a
    /// row with no second key in period 0; a row in no period is not counted.
    #[test]
    fn cells_are_counted_by_every_key_and_blank_when_any_key_is() {
        let frame = df!(
            "first" => [Some("a"), Some("a"), Some("a"), Some("a"), Some("b"), Some("a")],
            "second" => [Some("x"), Some("x"), Some("x"), Some("y"), None, Some("x")],
            PERIOD => [Some(0u32), Some(0), Some(1), Some(1), Some(0), None],
        )
        .unwrap();
        let counts = count_cells(frame.lazy(), vec![col("first"), col("second")], 2).unwrap();
        let joined = |a: &str, b: &str| [a, b].join(KEY_SEPARATOR);
        assert_eq!(counts.get(&joined("a", "x")), Some(&[2, 1][..]));
        assert_eq!(counts.get(&joined("a", "y")), Some(&[0, 1][..]));
        assert_eq!(counts.rows.len(), 3);
        assert_eq!(counts.rows[2], (None, vec![1, 0]));
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
}
