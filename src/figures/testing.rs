//! Frames and periods the figures' unit tests build their cases from.

use polars::prelude::*;

use super::frame::Slots;
use crate::period::Period;

/// A column of label lists named `name`, one list a row (`None` blank), framed as the loader
/// frames them.
pub fn label_lists(name: &str, rows: &[Option<&[&str]>]) -> Series {
    let mut lists = ListStringChunkedBuilder::new(name.into(), rows.len(), 8);
    for row in rows {
        match row {
            Some(labels) => lists.append_values_iter(labels.iter().copied()),
            None => lists.append_null(),
        }
    }
    lists
        .finish()
        .into_series()
        .cast(&crate::load::frames::label_list_dtype())
        .expect("strings cast to labels")
}

/// The first `count` quarters of the financial year 2024-25, Q1 (April to June) first, all
/// shown.
pub fn quarters_of_2024(count: usize) -> Slots {
    let day = |m: u32, d: u32| chrono::NaiveDate::from_ymd_opt(2024, m, d).expect("a real day");
    let quarters = [
        Period::new("Q1", day(4, 1), day(6, 30)),
        Period::new("Q2", day(7, 1), day(9, 30)),
        Period::new("Q3", day(10, 1), day(12, 31)),
    ];
    Slots {
        periods: quarters[..count].to_vec(),
        present: vec![true; count],
        shown: (0..count).collect(),
    }
}
