//! The counts the route cross-tabulation is made of, in one pass over the representations: as
//! polars queries (a filter of the representations that start one, a grouping by three keys,
//! and three more filtered counts) they took 45 ms at a million rows, all on the core the
//! sections are built on, before the first section could register anything.

use polars::prelude::*;
use polars_arrow::array::Array;

use super::Role;
use crate::error::Result;
use crate::figures::ahead::Frames;
use crate::figures::arrays;
use crate::figures::counts::{Counts, cell_label};
use crate::figures::tables::label_text;
use crate::load::derived;

/// Representations counted per period by type, by whether they have a stage, and by role.
#[derive(Debug, Clone)]
pub struct RouteCounts {
    /// Each cell: type (blank as ""), "1" with a stage or "0" without, and the role's name,
    /// labelled as `count_cells` labels them.
    pub cells: Counts,
    /// Each type, blank as `None`.
    pub by_type: Counts,
    /// The types with any Ombudsman case, and those counted as statutory without a stage, in
    /// any period (as `label_text` writes them).
    pub ombudsman_types: Vec<String>,
    pub statutory_types: Vec<String>,
}

/// The representations' route counts (`routes_of`).
pub fn count_routes(frames: &Frames) -> Result<RouteCounts> {
    routes_of(frames.representations, frames.slots.len())
}

/// The rows of `representations` that start a representation, in one of `slots` periods,
/// counted.
fn routes_of(representations: &DataFrame, slots: usize) -> Result<RouteCounts> {
    let (_, mapping) = crate::load::frames::label_dtype_and_mapping();
    let types = arrays::label_codes(representations, "type")?;
    let periods = arrays::periods(representations)?;
    let stages = arrays::ints(representations, "stage")?;
    let starts = arrays::truths(representations, derived::STARTS_REPRESENTATION)?;
    let refused = arrays::truths(representations, derived::REFUSED)?;
    let ombudsman = arrays::truths(representations, derived::OMBUDSMAN)?;
    let statutory = arrays::truths(representations, derived::STATUTORY_TYPE)?;

    // Place 0 is the blank type, place c + 1 the type coded c.
    let places = types.values().iter().max().map_or(1, |c| *c as usize + 2);
    // cells[((place * 2 + staged) * 3 + role) * slots + period]
    let mut cells = vec![0i64; places * 2 * 3 * slots];
    let mut is_ombudsman = vec![false; places];
    let mut is_statutory = vec![false; places];
    for row in 0..starts.len() {
        if !starts[row] || !periods.is_valid(row) {
            continue;
        }
        let period = periods.value(row) as usize;
        let place = if types.is_valid(row) {
            types.value(row) as usize + 1
        } else {
            0
        };
        let staged = usize::from(stages.is_valid(row));
        let role = if refused[row] {
            Role::Refused
        } else if ombudsman[row] {
            Role::Ombudsman
        } else {
            Role::Other
        };
        let role = Role::ALL.iter().position(|r| *r == role).unwrap_or(2);
        cells[((place * 2 + staged) * 3 + role) * slots + period] += 1;
        is_ombudsman[place] |= ombudsman[row];
        is_statutory[place] |= statutory[row];
    }

    let type_of = |place: usize| -> Option<String> {
        place
            .checked_sub(1)
            .and_then(|code| mapping.cat_to_str(code as u32))
            .map(str::to_string)
    };
    let mut by_cell = Vec::new();
    let mut by_type = Vec::new();
    let (mut ombudsman_types, mut statutory_types) = (Vec::new(), Vec::new());
    for place in 0..places {
        let block = &cells[place * 6 * slots..(place + 1) * 6 * slots];
        if block.iter().all(|n| *n == 0) {
            continue;
        }
        let kind = type_of(place);
        let mut of_type = vec![0i64; slots];
        for (cell, counts) in block.chunks(slots).enumerate() {
            for (total, n) in of_type.iter_mut().zip(counts) {
                *total += n;
            }
            if counts.iter().all(|n| *n == 0) {
                continue;
            }
            let (staged, role) = (cell / 3, Role::ALL[cell % 3]);
            let keys = [
                kind.as_deref().unwrap_or(""),
                if staged == 1 { "1" } else { "0" },
                role.name(),
            ];
            by_cell.push((Some(cell_label(&keys)), counts.to_vec()));
        }
        if is_ombudsman[place] {
            ombudsman_types.push(label_text(&kind));
        }
        if is_statutory[place] {
            statutory_types.push(label_text(&kind));
        }
        by_type.push((kind, of_type));
    }
    let sorted = |rows| {
        let mut counts = Counts { rows };
        counts.sort(slots.saturating_sub(1));
        counts
    };
    Ok(RouteCounts {
        cells: sorted(by_cell),
        by_type: sorted(by_type),
        ombudsman_types,
        statutory_types,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::frame::PERIOD;

    /// Ten rows in two periods. Counted: two stage 1 complaints (one a period), an Ombudsman
    /// enquiry in each period (the second with its refused flag blank), a refusal in the
    /// second, a blank type and an advocacy request (statutory without a stage) in the first.
    /// Not counted: a stage 2 row and a row whose start flag is blank (neither starts a
    /// representation), and a concern in no period.
    #[test]
    fn each_start_is_counted_once_by_type_stage_and_role() {
        let (label, _) = crate::load::frames::label_dtype_and_mapping();
        let types = Series::new(
            "type".into(),
            [
                Some("Complaint"),
                Some("Complaint"),
                Some("Complaint"),
                Some("Ombudsman enquiry"),
                Some("Refused"),
                None,
                Some("Concern"),
                Some("Advocacy"),
                Some("Ombudsman enquiry"),
                Some("Complaint"),
            ],
        )
        .cast(&label)
        .unwrap();
        let flag = |name: &str, values: [Option<bool>; 10]| Column::new(name.into(), values);
        let (t, f) = (Some(true), Some(false));
        let frame = DataFrame::new(
            10,
            vec![
                types.into(),
                Column::new(
                    "stage".into(),
                    [
                        Some(1i32),
                        Some(1),
                        Some(2),
                        None,
                        None,
                        None,
                        None,
                        None,
                        None,
                        None,
                    ],
                ),
                Column::new(
                    PERIOD.into(),
                    [
                        Some(0u32),
                        Some(1),
                        Some(1),
                        Some(0),
                        Some(1),
                        Some(0),
                        None,
                        Some(0),
                        Some(1),
                        Some(0),
                    ],
                ),
                flag(
                    derived::STARTS_REPRESENTATION,
                    [t, t, f, t, t, t, t, t, t, None],
                ),
                flag(derived::REFUSED, [f, f, f, f, t, f, f, f, None, f]),
                flag(derived::OMBUDSMAN, [f, f, f, t, f, f, f, f, t, f]),
                flag(derived::STATUTORY_TYPE, [f, f, f, f, f, f, f, t, f, f]),
            ],
        )
        .unwrap();
        let counted = routes_of(&frame, 2).unwrap();
        let cell = |kind: &str, staged: &str, role: &str| {
            counted
                .cells
                .get_cell(&[kind, staged, role])
                .map(<[i64]>::to_vec)
        };
        assert_eq!(cell("Complaint", "1", "other"), Some(vec![1, 1]));
        assert_eq!(
            cell("Ombudsman enquiry", "0", "ombudsman"),
            Some(vec![1, 1])
        );
        assert_eq!(cell("Refused", "0", "refused"), Some(vec![0, 1]));
        assert_eq!(cell("", "0", "other"), Some(vec![1, 0]));
        assert_eq!(cell("Advocacy", "0", "other"), Some(vec![1, 0]));
        assert_eq!(counted.cells.rows.len(), 5);
        // The latest period first, then the larger over both, then A to Z; the blank last.
        let named = |kind: &str| Some(kind.to_string());
        assert_eq!(
            counted.by_type.rows,
            [
                (named("Complaint"), vec![1, 1]),
                (named("Ombudsman enquiry"), vec![1, 1]),
                (named("Refused"), vec![0, 1]),
                (named("Advocacy"), vec![1, 0]),
                (None, vec![1, 0]),
            ]
        );
        assert_eq!(counted.ombudsman_types, ["Ombudsman enquiry"]);
        assert_eq!(counted.statutory_types, ["Advocacy"]);
    }
}
