//! Columns of the frame read where their values lie, each in one chunk: for the counts that
//! pass over a million rows once instead of filtering and grouping them in polars.

use polars::prelude::*;
use polars_arrow::array::{Array, PrimitiveArray};

use super::frame::PERIOD;

/// A column of whole numbers: a stage, working days.
pub fn ints(frame: &DataFrame, name: &str) -> PolarsResult<PrimitiveArray<i32>> {
    Ok(frame
        .column(name)?
        .i32()?
        .rechunk()
        .downcast_as_array()
        .clone())
}

/// Whether each row is at `stage`; a row with no stage is at none.
pub fn at_stage(frame: &DataFrame, stage: i32) -> PolarsResult<impl Fn(usize) -> bool + use<>> {
    let stages = ints(frame, "stage")?;
    Ok(move |row| stages.get(row) == Some(stage))
}

/// A date column's stored day numbers (`calendar::day_number`).
pub fn days(frame: &DataFrame, name: &str) -> PolarsResult<PrimitiveArray<i32>> {
    let dates = frame.column(name)?.date()?.physical().rechunk();
    Ok(dates.downcast_as_array().clone())
}

/// Each row's period (`PERIOD`).
pub fn periods(frame: &DataFrame) -> PolarsResult<PrimitiveArray<u32>> {
    Ok(frame
        .column(PERIOD)?
        .u32()?
        .rechunk()
        .downcast_as_array()
        .clone())
}

/// Whether each row's flag is true; a blank is not.
pub fn truths(frame: &DataFrame, name: &str) -> PolarsResult<Vec<bool>> {
    let column = frame.column(name)?.bool()?.rechunk();
    let array = column.downcast_as_array();
    Ok((0..array.len())
        .map(|row| array.is_valid(row) && array.value(row))
        .collect())
}

/// A label column's codes, as the labels' shared categories number them (blank where the
/// cell is).
pub fn label_codes(frame: &DataFrame, name: &str) -> PolarsResult<PrimitiveArray<u32>> {
    let codes = frame
        .column(name)?
        .cast(&crate::load::frames::label_dtype())?
        .to_physical_repr()
        .cast(&DataType::UInt32)?;
    Ok(codes.u32()?.rechunk().downcast_as_array().clone())
}
