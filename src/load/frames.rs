//! Typed polars frames from the rows that passed validation. Every contract column is present in
//! the frame, all-null where the export did not have it, so figures code never needs to ask
//! whether a column exists — only whether it was recorded.

use polars::prelude::*;
use rayon::prelude::*;

use super::columns::Cells;
use super::read::Table;

/// The source line of each row, kept so any figure can be traced back to the export.
pub const LINE: &str = "line";

pub fn dtype_of(cells: &Cells) -> DataType {
    match cells {
        Cells::Text(_) | Cells::Label(_) | Cells::Year(_) => DataType::String,
        Cells::Labels(_) => DataType::List(Box::new(DataType::String)),
        Cells::Date(_) => DataType::Date,
        Cells::Bool(_) => DataType::Boolean,
        Cells::Int(_) => DataType::Int32,
        Cells::Float(_) => DataType::Float64,
    }
}

/// One column of the rows where `keep` is true.
pub fn build_cells(name: &str, cells: &Cells, keep: &[bool]) -> Column {
    let name = PlSmallStr::from(name);
    fn kept<'a, T>(values: &'a [T], keep: &'a [bool]) -> impl Iterator<Item = &'a T> + 'a {
        values.iter().zip(keep).filter(|(_, k)| **k).map(|(v, _)| v)
    }
    let rows = || (0..keep.len()).filter(|r| keep[*r]);
    let series = match cells {
        Cells::Text(column) => {
            let ca: StringChunked = rows().map(|r| column.get(r)).collect();
            ca.with_name(name).into_series()
        }
        Cells::Label(column) => {
            let ca: StringChunked = rows().map(|r| column.get(r)).collect();
            ca.with_name(name).into_series()
        }
        Cells::Labels(column) => {
            let count = keep.iter().filter(|k| **k).count();
            let mut builder = ListStringChunkedBuilder::new(name, count, count * 2);
            for row in rows() {
                builder.append_values_iter(
                    column
                        .row(row)
                        .iter()
                        .map(|c| column.dictionary.spellings[*c as usize].as_str()),
                );
            }
            builder.finish().into_series()
        }
        Cells::Date(values) => {
            DateChunked::from_naive_date_options(name, kept(values, keep).copied()).into_series()
        }
        Cells::Bool(values) => {
            let ca: BooleanChunked = kept(values, keep).copied().collect();
            ca.with_name(name).into_series()
        }
        Cells::Int(values) => {
            let ca: Int32Chunked = kept(values, keep).copied().collect();
            ca.with_name(name).into_series()
        }
        Cells::Float(values) => {
            let ca: Float64Chunked = kept(values, keep).copied().collect();
            ca.with_name(name).into_series()
        }
        Cells::Year(values) => {
            let ca: StringChunked = kept(values, keep)
                .map(|v| v.map(|y| y.to_string()))
                .collect();
            ca.with_name(name).into_series()
        }
    };
    series.into_column()
}

/// The frame of `table`'s usable rows: `line`, then every contract column, then `extra` columns
/// (already filtered to the kept rows). The table's cells are taken, each column dropped as soon
/// as its frame column is built, so a large file's two copies are never whole at once.
pub fn build(table: &mut Table, keep: &[bool], extra: Vec<Column>) -> PolarsResult<DataFrame> {
    let height = keep.iter().filter(|k| **k).count();
    let mut columns = Vec::with_capacity(table.columns.len() + extra.len() + 1);
    let lines: UInt32Chunked = table
        .lines
        .iter()
        .zip(keep)
        .filter(|(_, k)| **k)
        .map(|(l, _)| Some(*l as u32))
        .collect();
    columns.push(lines.with_name(LINE.into()).into_series().into_column());
    // Columns are independent, so they are built side by side: the largest file is framed
    // last, when the other files are done and the second core would otherwise be idle.
    let built: Vec<Column> = table
        .columns
        .par_iter_mut()
        .map(|(spec, cells)| match cells.take() {
            Some(cells) => build_cells(spec.name, &cells, keep),
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
