//! Counts by label per period: the quantities most sections register. Labels, flags and
//! small numbers are counted from their codes in one pass; text goes through polars' grouping.

use std::collections::HashMap;

use polars::prelude::*;

use super::frame::{PERIOD, strings};

mod tally;
pub use tally::count_where;
use tally::{tally_codes, tally_lists};

/// Counts by a label column and period: label (None for blank) → count per period slot.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counts {
    pub rows: Vec<(Option<String>, Vec<i64>)>,
}

impl Counts {
    /// The counts of the cell whose keys are `keys`, as `count_cells` labels it.
    pub fn get_cell(&self, keys: &[&str]) -> Option<&[i64]> {
        self.get(&cell_label(keys))
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

/// The label `count_cells` gives the cell whose keys are `keys`.
pub fn cell_label(keys: &[&str]) -> String {
    keys.join(KEY_SEPARATOR)
}

/// Rows grouped by `key` (a label, flag or text column) and `PERIOD`, counted. Rows outside
/// every period are ignored.
pub fn count_by(frame: LazyFrame, key: &str, slots: usize) -> PolarsResult<Counts> {
    count_cells(frame, vec![col(key)], slots)
}

/// Rows grouped by the values of `keys` and `PERIOD`, counted: each label is the keys' values
/// joined by `KEY_SEPARATOR`, or `None` when any is blank. The keys are joined once per group
/// of the result, not once per row. Rows outside every period are ignored.
pub fn count_cells(frame: LazyFrame, keys: Vec<Expr>, slots: usize) -> PolarsResult<Counts> {
    let names: Vec<String> = (0..keys.len()).map(|k| format!("key{k}")).collect();
    let mut columns: Vec<Expr> = keys
        .into_iter()
        .zip(&names)
        .map(|(key, name)| key.alias(name.as_str()))
        .collect();
    columns.push(col(PERIOD));
    let keyed = frame.filter(col(PERIOD).is_not_null()).select(columns);
    // Grouped by the keys as they are (a label by its code), and only the groups' keys read
    // as strings.
    let schema = keyed.clone().collect_schema()?;
    let coded = names.iter().all(|n| is_coded(&schema, n));
    if let ([name], true) = (names.as_slice(), coded) {
        return count_by_code(&keyed.collect()?, name, slots);
    }
    let grouped = if coded && names.len() <= MAX_CODED_KEYS {
        group_by_code(&keyed.collect()?, &names)?
    } else {
        let by: Vec<Expr> = names
            .iter()
            .map(|n| col(n.as_str()))
            .chain([col(PERIOD)])
            .collect();
        keyed
            .group_by(by)
            .agg([len().cast(DataType::Int64).alias("n")])
            .collect()?
    };
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

/// `rows` (the key `name` and `PERIOD`) counted by the key's codes in one pass (`Tally`).
/// Polars grouped every row of a million into index lists only for their lengths, and grouped
/// by two columns it first encoded every row as bytes.
fn count_by_code(rows: &DataFrame, name: &str, slots: usize) -> PolarsResult<Counts> {
    let key = rows.column(name)?.as_materialized_series();
    tally_codes(key, rows.column(PERIOD)?.u32()?, |_| true, slots)
}

/// The codes of a label, flag or small number column, in one chunk.
fn codes_of(values: &Series) -> PolarsResult<UInt32Chunked> {
    let codes = values.to_physical_repr().cast(&DataType::UInt32)?;
    Ok(codes.u32()?.rechunk().into_owned())
}

/// The most keys whose codes `group_by_code` packs into one number: 33 bits each (a code of
/// 32 bits, or blank).
const MAX_CODED_KEYS: usize = 3;

/// `rows` (the keys `names` and `PERIOD`) counted by a hash of their keys' codes packed into
/// one number, one pass in the rows' order: a group's first row, its period and its count, as
/// polars' `group_by` would give them.
fn group_by_code(rows: &DataFrame, names: &[String]) -> PolarsResult<DataFrame> {
    // Each key's code plus one, 0 for blank, so a blank is a code of its own.
    let codes = names
        .iter()
        .map(|name| {
            Ok(codes_of(rows.column(name)?.as_materialized_series())?
                .iter()
                .map(|code| code.map_or(0, |c| u64::from(c) + 1))
                .collect::<Vec<u64>>())
        })
        .collect::<PolarsResult<Vec<_>>>()?;
    let periods = rows.column(PERIOD)?.u32()?;
    let mut groups = Groups::default();
    let mut cells: PlHashMap<(u128, u32), usize> = PlHashMap::new();
    for (row, period) in periods.iter().enumerate() {
        let Some(period) = period else {
            continue;
        };
        let key = codes.iter().enumerate().fold(0u128, |key, (k, codes)| {
            key | u128::from(codes[row]) << (33 * k)
        });
        let group = *cells
            .entry((key, period))
            .or_insert_with(|| groups.open(row, period));
        groups.n[group] += 1;
    }
    groups.frame(rows, names)
}

/// Groups in the order their first rows come: each one's first row, period and count.
#[derive(Default)]
struct Groups {
    first: Vec<IdxSize>,
    period: Vec<u32>,
    n: Vec<i64>,
}

impl Groups {
    /// A new group, first seen at `row`: its number.
    fn open(&mut self, row: usize, period: u32) -> usize {
        self.first.push(row as IdxSize);
        self.period.push(period);
        self.n.push(0);
        self.n.len() - 1
    }

    /// The groups as polars' `group_by` gives them: the keys `names` of each one's first row
    /// of `rows`, its `PERIOD` and its count `n`.
    fn frame(self, rows: &DataFrame, names: &[String]) -> PolarsResult<DataFrame> {
        let mut grouped = rows
            .select(names.iter().map(String::as_str))?
            .take(&IdxCa::from_vec("first".into(), self.first))?;
        grouped.with_column(Column::new(PERIOD.into(), self.period))?;
        grouped.with_column(Column::new("n".into(), self.n))?;
        Ok(grouped)
    }
}

/// Whether `name` holds codes that are whole numbers from 0 and tell its values apart: a
/// label, a flag, or an unsigned number of up to 32 bits. Text (compared by its bytes) is not.
fn is_coded(schema: &Schema, name: &str) -> bool {
    schema.get(name).is_some_and(is_coded_type)
}

fn is_coded_type(dtype: &DataType) -> bool {
    matches!(
        dtype,
        DataType::Categorical(..)
            | DataType::Boolean
            | DataType::UInt8
            | DataType::UInt16
            | DataType::UInt32
    )
}

/// Like `count_by` for a `;`-list column: each label counts once per row that has it.
pub fn count_list_by(frame: LazyFrame, key: &str, slots: usize) -> PolarsResult<Counts> {
    let rows = frame.select([col(key), col(PERIOD)]);
    let schema = rows.clone().collect_schema()?;
    if let Some(DataType::List(inner)) = schema.get(key)
        && matches!(**inner, DataType::Categorical(..))
    {
        // Not filtered: rows in no period are passed over as they are read, and filtering
        // would copy a million rows' lists.
        return count_label_lists(&rows.collect()?, key, slots);
    }
    let exploded = rows.explode(
        cols([key]),
        ExplodeOptions {
            empty_as_null: true,
            keep_nulls: true,
        },
    );
    count_by(exploded, key, slots)
}

/// `count_list_by` of a column of label lists, read from the lists' codes where they lie:
/// exploding a million rows' lists copied every list and row. As exploding does, a row whose
/// list is blank or empty counts once as blank, and so does a blank label in a list.
fn count_label_lists(rows: &DataFrame, key: &str, slots: usize) -> PolarsResult<Counts> {
    tally_lists(
        rows.column(key)?.list()?,
        rows.column(PERIOD)?.u32()?,
        |_| true,
        slots,
    )
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

    /// The same five rows as labels, so counted by their codes: by one key (through the table
    /// of places) and by two (through the hash of codes).
    #[test]
    fn labels_are_counted_by_their_codes_as_text_is() {
        let label = crate::load::frames::label_dtype();
        let frame = df!(
            "first" => [Some("a"), Some("a"), Some("a"), Some("a"), Some("b"), Some("a")],
            "second" => [Some("x"), Some("x"), Some("x"), Some("y"), None, Some("x")],
            PERIOD => [Some(0u32), Some(0), Some(1), Some(1), Some(0), None],
        )
        .unwrap()
        .lazy()
        .with_columns([col("first").cast(label.clone()), col("second").cast(label)]);
        let by_second = count_by(frame.clone(), "second", 2).unwrap();
        assert_eq!(by_second.get("x"), Some(&[2, 1][..]));
        assert_eq!(by_second.get("y"), Some(&[0, 1][..]));
        assert_eq!(by_second.rows.last(), Some(&(None, vec![1, 0])));
        assert_eq!(by_second.rows.len(), 3);
        let counts = count_cells(frame, vec![col("first"), col("second")], 2).unwrap();
        let joined = |a: &str, b: &str| [a, b].join(KEY_SEPARATOR);
        assert_eq!(counts.get(&joined("a", "x")), Some(&[2, 1][..]));
        assert_eq!(counts.get(&joined("a", "y")), Some(&[0, 1][..]));
        assert_eq!(counts.rows.len(), 3);
        assert_eq!(counts.rows[2], (None, vec![1, 0]));
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        /// A row's label (of six), label (of three), flag and period (of four, or none).
        type Row = (Option<u8>, Option<u8>, bool, Option<u32>);

        fn rows() -> impl Strategy<Value = Vec<Row>> {
            proptest::collection::vec(
                (
                    proptest::option::of(0u8..6),
                    proptest::option::of(0u8..3),
                    any::<bool>(),
                    proptest::option::of(0u32..4),
                ),
                0..200,
            )
        }

        /// A row's list (blank, empty, or labels of four, some blank) and period.
        type ListRow = (Option<Vec<Option<u8>>>, Option<u32>);

        fn list_rows() -> impl Strategy<Value = Vec<ListRow>> {
            let list = proptest::collection::vec(proptest::option::of(0u8..4), 0..4);
            proptest::collection::vec(
                (proptest::option::of(list), proptest::option::of(0u32..3)),
                0..100,
            )
        }

        /// `rows` as a frame of a `list` column of text lists and `PERIOD`.
        fn list_frame(rows: &[ListRow]) -> LazyFrame {
            let lists: Vec<Option<Series>> = rows
                .iter()
                .map(|(list, _)| {
                    list.as_ref().map(|labels| {
                        let labels: Vec<Option<String>> =
                            labels.iter().map(|l| l.map(|l| format!("v{l}"))).collect();
                        Series::new("".into(), labels)
                    })
                })
                .collect();
            let mut list_column = Series::new("list".into(), lists);
            if list_column.dtype() != &DataType::List(Box::new(DataType::String)) {
                list_column = list_column
                    .cast(&DataType::List(Box::new(DataType::String)))
                    .unwrap();
            }
            let periods: Vec<Option<u32>> = rows.iter().map(|r| r.1).collect();
            DataFrame::new(
                rows.len(),
                vec![
                    list_column.into_column(),
                    Column::new(PERIOD.into(), periods),
                ],
            )
            .unwrap()
            .lazy()
        }

        proptest! {
            /// Lists of labels counted from their codes give what exploding lists of text and
            /// grouping the rows gives, blanks and empty lists included.
            #[test]
            fn label_lists_count_as_text_lists_do(rows in list_rows()) {
                let frame = list_frame(&rows);
                let as_codes = frame
                    .clone()
                    .with_columns([col("list").cast(crate::load::frames::label_list_dtype())]);
                let by_text = count_list_by(frame, "list", 3).unwrap();
                let by_code = count_list_by(as_codes, "list", 3).unwrap();
                prop_assert_eq!(by_code, by_text);
            }

            /// Counting only the rows where a condition holds by taking the other rows' period
            /// away (`period_where`) gives what filtering them out gives.
            #[test]
            fn rows_left_in_no_period_count_as_filtered_out(
                rows in list_rows(),
                flags in proptest::collection::vec(any::<bool>(), 100),
            ) {
                let flags = Column::new("flag".into(), &flags[..rows.len()]);
                let frame = list_frame(&rows)
                    .with_columns([col("list").cast(crate::load::frames::label_list_dtype())])
                    .collect()
                    .unwrap()
                    .hstack(&[flags])
                    .unwrap()
                    .lazy();
                let filtered = count_list_by(frame.clone().filter(col("flag")), "list", 3).unwrap();
                let in_no_period = count_list_by(
                    frame.with_column(crate::figures::frame::period_where(col("flag"))),
                    "list",
                    3,
                )
                .unwrap();
                prop_assert_eq!(in_no_period, filtered);
            }

            /// Counting by codes (labels, flags) gives what polars' grouping of the same
            /// values as text gives, for one key, two, and three.
            #[test]
            fn codes_count_as_text_does(rows in rows()) {
                let text = |v: Option<u8>| v.map(|v| format!("v{v}"));
                let frame = df!(
                    "a" => rows.iter().map(|r| text(r.0)).collect::<Vec<_>>(),
                    "b" => rows.iter().map(|r| text(r.1)).collect::<Vec<_>>(),
                    "c" => rows.iter().map(|r| r.2).collect::<Vec<_>>(),
                    PERIOD => rows.iter().map(|r| r.3).collect::<Vec<_>>(),
                )
                .unwrap()
                .lazy();
                let label = crate::load::frames::label_dtype();
                let as_text = frame
                    .clone()
                    .with_columns([col("c").cast(DataType::String)]);
                let as_codes = frame
                    .with_columns([col("a").cast(label.clone()), col("b").cast(label)]);
                for keys in [vec!["a"], vec!["c"], vec!["a", "b"], vec!["b", "c", "a"]] {
                    let exprs = || keys.iter().map(|k| col(*k)).collect::<Vec<_>>();
                    let by_text = count_cells(as_text.clone(), exprs(), 4).unwrap();
                    let by_code = count_cells(as_codes.clone(), exprs(), 4).unwrap();
                    prop_assert_eq!(by_code, by_text, "keys {:?}", keys);
                }
            }
        }
    }
}
