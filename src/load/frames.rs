//! Typed polars frames from the rows that passed validation. Every contract column is present in
//! the frame, all-null where the export did not have it, so figures code never needs to ask
//! whether a column exists — only whether it was recorded.

use polars::prelude::*;
use polars_arrow::array::{Array, ListArray};
use polars_arrow::bitmap::{Bitmap, MutableBitmap};
use polars_arrow::offset::OffsetsBuffer;
use rayon::prelude::*;

use chrono::Datelike;

use super::columns::{BLANK, Cells, LabelListColumn, WITHHELD};
use super::read::Table;

/// The source line of each row, kept so any figure can be traced back to the export.
pub const LINE: &str = "line";

pub fn dtype_of(cells: &Cells) -> DataType {
    match cells {
        Cells::Text(_) | Cells::Year(_) => DataType::String,
        Cells::Label(_) => label_dtype(),
        Cells::Labels(_) => label_list_dtype(),
        Cells::Date(_) => DataType::Date,
        Cells::Bool(_) => DataType::Boolean,
        Cells::Int(_) => DataType::Int32,
        Cells::Float(_) => DataType::Float64,
    }
}

/// One column of the rows where `keep` is true. The cells are taken, and where the types allow
/// (dates and label codes, and label lists when every row is kept) their vectors become the
/// frame's, so that a million rows are not copied nor held twice while they are framed.
pub fn build_cells(name: &str, cells: Cells, keep: &[bool]) -> Column {
    let name = PlSmallStr::from(name);
    let rows = || (0..keep.len()).filter(|r| keep[*r]);
    let series = match cells {
        Cells::Text(column) if column.is_withheld() => {
            // Every filled cell reads the same, so it is framed as a label of one spelling: a
            // 4-byte code a row where text takes a 16-byte view, the same bytes for every row
            // (about 40 MB at a million rows across the three files' withheld columns).
            let codes = rows()
                .map(|r| if column.present()[r] { 0 } else { BLANK })
                .collect();
            label_categories(name, &[WITHHELD.to_string()], codes).into_series()
        }
        Cells::Text(column) => {
            // Sized for the rows kept: collected from a filter, which cannot say how many it
            // yields, the row views (16 bytes each) grew by doubling into fresh pages.
            let mut text = StringChunkedBuilder::new(name, rows().count());
            for row in rows() {
                text.append_option(column.get(row));
            }
            text.finish().into_series()
        }
        Cells::Label(column) => {
            label_categories(name, &column.dictionary.spellings, kept(column.codes, keep))
                .into_series()
        }
        Cells::Labels(column) => label_lists(name, column, keep).into_series(),
        Cells::Date(values) => {
            let (days, filled) = values_and_validity(kept(values, keep), |date| {
                date.num_days_from_ce() - EPOCH_DAYS_FROM_CE
            });
            Int32Chunked::from_vec_validity(name, days, filled)
                .into_date()
                .into_series()
        }
        Cells::Bool(values) => {
            let ca: BooleanChunked = kept(values, keep).into_iter().collect();
            ca.with_name(name).into_series()
        }
        Cells::Int(values) => {
            let (values, filled) = values_and_validity(kept(values, keep), |v| v);
            Int32Chunked::from_vec_validity(name, values, filled).into_series()
        }
        Cells::Float(values) => {
            let (values, filled) = values_and_validity(kept(values, keep), |v| v);
            Float64Chunked::from_vec_validity(name, values, filled).into_series()
        }
        Cells::Year(values) => {
            let ca: StringChunked = kept(values, keep)
                .into_iter()
                .map(|v| v.map(|y| y.to_string()))
                .collect();
            ca.with_name(name).into_series()
        }
    };
    series.into_column()
}

/// Day 0 of polars' dates, 1 January 1970, counted as chrono counts from 1 January of year 1.
const EPOCH_DAYS_FROM_CE: i32 = 719_163;

/// The values of the rows where `keep` holds, in the vector they were read into.
fn kept<T>(mut values: Vec<T>, keep: &[bool]) -> Vec<T> {
    // Usually every row is kept, and looking for a row that is not is cheaper than `retain`.
    if keep.iter().all(|k| *k) {
        return values;
    }
    let mut kept = keep.iter();
    values.retain(|_| *kept.next().expect("a flag for every row"));
    values
}

/// Values as polars holds them, side by side with which are filled (`None` when all are): a
/// blank holds `U::default()`, which the validity hides. A `U` as large as `Option<T>` (a date's
/// day number) is written over the values it came from (`collect` reuses a vector whose items
/// keep their size); a smaller one (a number without its flag) gets a vector of its own, since
/// the larger one, kept, would hold its unused half.
fn values_and_validity<T: Copy, U: Default>(
    values: Vec<Option<T>>,
    to: impl Fn(T) -> U,
) -> (Vec<U>, Option<Bitmap>) {
    let filled = values.iter().any(Option::is_none).then(|| {
        let filled: MutableBitmap = values.iter().map(Option::is_some).collect();
        Bitmap::from(filled)
    });
    let value = |cell: Option<T>| cell.map_or_else(U::default, &to);
    let values = if size_of::<U>() == size_of::<Option<T>>() {
        values.into_iter().map(value).collect()
    } else {
        values.iter().map(|cell| value(*cell)).collect()
    };
    (values, filled)
}

/// The type of a label column: polars' categorical over the process's global categories, so
/// that any two label columns (and a label and a literal) compare by their codes.
pub fn label_dtype() -> DataType {
    DataType::from_categories(Categories::global())
}

/// The type of a column of label lists.
pub fn label_list_dtype() -> DataType {
    DataType::List(Box::new(label_dtype()))
}

/// `label_dtype` with the mapping between its codes and spellings, which the type keeps alive
/// while it is held.
pub fn label_dtype_and_mapping() -> (DataType, Arc<CategoricalMapping>) {
    let dtype = label_dtype();
    let DataType::Categorical(_, mapping) = &dtype else {
        unreachable!("label_dtype is categorical")
    };
    let mapping = mapping.clone();
    (dtype, mapping)
}

/// Labels by the reader's codes, as polars categoricals: a cell is a 4-byte code, the spelling
/// held once, and grouping and comparing read codes, not strings. The reader's codes are
/// mapped once per spelling, not per row.
fn label_categories(
    name: PlSmallStr,
    spellings: &[String],
    codes: Vec<u32>,
) -> Categorical32Chunked {
    let (dtype, mapping) = label_dtype_and_mapping();
    let ids: Vec<CatSize> = spellings
        .iter()
        .map(|s| mapping.insert_cat(s).expect("fewer labels than codes"))
        .collect();
    // A list's labels are never blank, nor are many columns': a scan for a blank is cheaper
    // than a validity for every code, made only to find it has no gap.
    let filled = codes.contains(&BLANK).then(|| {
        let filled: MutableBitmap = codes.iter().map(|&code| code != BLANK).collect();
        filled.into()
    });
    // The reader's codes become the categories' in the same vector.
    let values: Vec<CatSize> = codes
        .into_iter()
        .map(|code| if code == BLANK { 0 } else { ids[code as usize] })
        .collect();
    let ids = UInt32Chunked::from_vec_validity(name, values, filled);
    // SAFETY: every filled value is an id this very mapping gave out above, and a blank is
    // null, which is what the checked constructor would establish by looking each row's id up
    // in the mapping, a shared table: 2% of the run's time at a million rows
    // (docs/performance.md, change 84).
    unsafe { Categorical32Chunked::from_cats_and_dtype_unchecked(ids, dtype) }
}

/// Each row's labels as a list of categoricals, coded as in `label_categories`.
fn label_lists(name: PlSmallStr, column: LabelListColumn, keep: &[bool]) -> ListChunked {
    let (offsets, codes) = if keep.iter().all(|k| *k) {
        let offsets = std::iter::once(0)
            .chain(column.ends.iter().map(|&end| i64::from(end)))
            .collect();
        (offsets, column.codes)
    } else {
        let mut offsets = vec![0i64];
        let mut codes = Vec::new();
        for row in (0..keep.len()).filter(|r| keep[*r]) {
            codes.extend_from_slice(column.row(row));
            offsets.push(codes.len() as i64);
        }
        (offsets, codes)
    };
    let values = label_categories(PlSmallStr::EMPTY, &column.dictionary.spellings, codes);
    let dtype = values.dtype().clone();
    let values = values
        .physical()
        .rechunk()
        .downcast_iter()
        .next()
        .expect("a rechunked column has one chunk")
        .to_boxed();
    let list = ListArray::<i64>::new(
        ListArray::<i64>::default_datatype(values.dtype().clone()),
        OffsetsBuffer::try_from(offsets).expect("offsets only grow"),
        values,
        None,
    );
    // SAFETY: every value is a code the mapping gave out, which is what a categorical list's
    // physical values are.
    unsafe { ListChunked::with_chunk(name, list).from_physical_unchecked(dtype) }
        .expect("a list of codes reads as a list of their categories")
}

/// A row's line as the frame holds it, in four bytes. Four billion lines, the most it can
/// hold, would be a file of well over a hundred gigabytes, which is never read into memory; a
/// line past it stops the run rather than being cut short in silence.
fn frame_line(line: u64) -> u32 {
    u32::try_from(line).expect("fewer than four billion lines in one file")
}

/// The frame of `table`'s usable rows: `line`, then every contract column, then `extra` columns
/// (already filtered to the kept rows). The table's cells are taken, each column dropped as soon
/// as its frame column is built, so a large file's two copies are never whole at once.
pub fn build(table: &mut Table, keep: &[bool], extra: Vec<Column>) -> PolarsResult<DataFrame> {
    let height = keep.iter().filter(|k| **k).count();
    let mut columns = Vec::with_capacity(table.columns.len() + extra.len() + 1);
    // Sized for the rows kept, and with no validity: every row has a line.
    let mut lines = Vec::with_capacity(height);
    lines.extend(
        table
            .lines
            .iter()
            .zip(keep)
            .filter(|(_, k)| **k)
            .map(|(&line, _)| frame_line(line)),
    );
    columns.push(UInt32Chunked::from_vec(LINE.into(), lines).into_column());
    // Columns are independent, so they are built side by side: the largest file is framed
    // last, when the other files are done and the second core would otherwise be idle.
    let built: Vec<Column> = table
        .columns
        .par_iter_mut()
        .map(|(spec, cells)| match cells.take() {
            Some(cells) => build_cells(spec.name, cells, keep),
            None => {
                let dtype = dtype_of(&Cells::for_kind(spec.kind));
                Column::full_null(spec.name.into(), height, &dtype)
            }
        })
        .collect();
    columns.extend(built);
    columns.extend(extra);
    DataFrame::new(height, columns)
}

/// A derived column over the kept rows.
pub fn derived<T: Copy>(name: &str, values: &[T], keep: &[bool]) -> Column
where
    Series: NamedFrom<Vec<T>, [T]>,
{
    let kept: Vec<T> = values
        .iter()
        .zip(keep)
        .filter(|(_, k)| **k)
        .map(|(v, _)| *v)
        .collect();
    Series::new(name.into(), kept).into_column()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::columns::{LabelColumn, LabelListColumn};
    use chrono::NaiveDate;

    fn as_strings(column: &Column) -> Vec<Option<String>> {
        column
            .cast(&DataType::String)
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .map(|v| v.map(str::to_string))
            .collect()
    }

    /// The last line four bytes hold is held as it is; the next one stops the run rather than
    /// wrapping round to line 0.
    #[test]
    fn a_line_is_held_in_four_bytes_or_not_at_all() {
        assert_eq!(frame_line(4_294_967_295), u32::MAX);
        assert!(std::panic::catch_unwind(|| frame_line(4_294_967_296)).is_err());
    }

    /// Four rows, the third not kept: the frame has the other three, blank as null, and the
    /// same spelling read by two columns (so coded differently by each reader) has one code.
    #[test]
    fn labels_are_framed_as_codes_of_one_set_of_categories() {
        let mut service = LabelColumn::default();
        for value in [Some("Fostering"), None, Some("Adoption"), Some("Fostering")] {
            service.push(value);
        }
        let mut team = LabelColumn::default();
        for value in [Some("Adoption"), Some("Adoption"), None, Some("Fostering")] {
            team.push(value);
        }
        let keep = [true, true, false, true];
        let service = build_cells("service", Cells::Label(service), &keep);
        let team = build_cells("team", Cells::Label(team), &keep);

        assert!(matches!(service.dtype(), DataType::Categorical(..)));
        let some = |s: &str| Some(s.to_string());
        assert_eq!(
            as_strings(&service),
            [some("Fostering"), None, some("Fostering")]
        );
        assert_eq!(
            as_strings(&team),
            [some("Adoption"), some("Adoption"), some("Fostering")]
        );
        // Framed without looking each id up again, the blanks are still counted as null.
        assert_eq!((service.null_count(), team.null_count()), (1, 0));
        // "Fostering" is code 0 for the service reader and 1 for the team's.
        let codes = |c: &Column| c.to_physical_repr().u32().unwrap().get(2);
        assert_eq!(codes(&service), codes(&team));
        let same = service
            .as_materialized_series()
            .equal(team.as_materialized_series())
            .unwrap();
        assert_eq!(
            same.iter().collect::<Vec<_>>(),
            [Some(false), None, Some(true)]
        );
    }

    /// A column whose words are withheld frames as it reads: each filled cell the same
    /// placeholder, a blank one null, in the kept rows' order, and the dropped row left out;
    /// held as one label, not as text.
    #[test]
    fn withheld_text_is_framed_as_filled_or_blank() {
        let mut learning = crate::load::columns::TextColumn::default();
        for value in [
            Some("Call back sooner"),
            None,
            Some("dropped"),
            Some("Explain delays"),
        ] {
            learning.push(value);
        }
        learning.withhold();
        let keep = [true, true, false, true];
        let framed = build_cells("learning", Cells::Text(learning), &keep);
        assert_eq!(framed.dtype(), &label_dtype());
        let withheld = Some(WITHHELD.to_string());
        assert_eq!(
            as_strings(&framed),
            [withheld.clone(), None, withheld.clone()]
        );
        assert_eq!(framed.null_count(), 1);
        // Both filled rows hold the one code, and a filled cell equals the placeholder.
        let codes = framed.to_physical_repr();
        let codes = codes.u32().unwrap();
        assert_eq!(codes.get(0), codes.get(2));
        let is_placeholder = framed
            .as_materialized_series()
            .equal(&Series::new("".into(), [WITHHELD]))
            .unwrap();
        assert_eq!(
            is_placeholder.iter().collect::<Vec<_>>(),
            [Some(true), None, Some(true)]
        );
    }

    /// Dates, whole numbers and money framed from the reader's vectors: each kept row's value
    /// in order, a blank as null, the dropped row left out; and a column with no blank has no
    /// nulls at all.
    #[test]
    fn dates_and_numbers_are_framed_with_their_blanks() {
        let day = |d| NaiveDate::from_ymd_opt(2024, 4, d);
        let keep = [true, false, true, true];
        let received = build_cells(
            "received",
            Cells::Date(vec![day(1), day(2), None, day(30)]),
            &keep,
        );
        assert_eq!(received.dtype(), &DataType::Date);
        // Polars counts days from 1 January 1970: 1 April 2024 is day 19,814 (54 years of 365
        // days, 13 leap days, and 91 days of 2024 before April).
        let days = received.to_physical_repr();
        assert_eq!(
            days.i32().unwrap().iter().collect::<Vec<_>>(),
            [Some(19_814), None, Some(19_843)]
        );

        let stage = build_cells(
            "stage",
            Cells::Int(vec![Some(1), Some(9), Some(2), None]),
            &keep,
        );
        assert_eq!(
            stage.i32().unwrap().iter().collect::<Vec<_>>(),
            [Some(1), Some(2), None]
        );
        let paid = build_cells(
            "payment",
            Cells::Float(vec![Some(250.5), None, Some(0.0), Some(40.0)]),
            &keep,
        );
        assert_eq!(
            paid.f64().unwrap().iter().collect::<Vec<_>>(),
            [Some(250.5), Some(0.0), Some(40.0)]
        );
        assert_eq!(paid.null_count(), 0);
        let extended = build_cells(
            "extended",
            Cells::Bool(vec![Some(true), Some(true), None, Some(false)]),
            &keep,
        );
        assert_eq!(
            extended.bool().unwrap().iter().collect::<Vec<_>>(),
            [Some(true), None, Some(false)]
        );
    }

    #[test]
    fn polars_day_zero_is_the_first_of_january_1970() {
        let day_zero = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        assert_eq!(day_zero.num_days_from_ce(), EPOCH_DAYS_FROM_CE);
    }

    /// Rows' lists kept in order, a row with no labels an empty list (not null), and the row
    /// not kept left out.
    #[test]
    fn label_lists_are_framed_from_their_offsets() {
        let mut remedy = LabelListColumn::default();
        remedy.push(["Apology", "Meeting"].into_iter());
        remedy.push(std::iter::empty());
        remedy.push(["Meeting"].into_iter());
        remedy.push(["Explanation", "Apology"].into_iter());
        let every_row = build_cells("remedy", Cells::Labels(remedy.clone()), &[true; 4]);
        let keep = [true, true, false, true];
        let framed = build_cells("remedy", Cells::Labels(remedy), &keep);

        let lists = |framed: &Column| -> Vec<Vec<String>> {
            framed
                .list()
                .unwrap()
                .amortized_iter()
                .map(|row| {
                    let row = row.unwrap().as_ref().clone().into_column();
                    as_strings(&row).into_iter().flatten().collect()
                })
                .collect()
        };
        assert_eq!(
            lists(&framed),
            [
                vec!["Apology", "Meeting"],
                vec![],
                vec!["Explanation", "Apology"]
            ]
        );
        assert_eq!(framed.null_count(), 0);
        assert_eq!(framed.dtype(), &DataType::List(Box::new(label_dtype())));
        // Every row kept: the reader's codes and ends are framed as they are.
        assert_eq!(
            lists(&every_row),
            [
                vec!["Apology", "Meeting"],
                vec![],
                vec!["Meeting"],
                vec!["Explanation", "Apology"]
            ]
        );
    }
}
