//! The outcomes of concluded complaints counted as the report shows them — a role's title
//! where the outcome's label has a role, otherwise the label as the data spells it — in one
//! pass over the codes. As a polars query (`outcome_label`, then a grouping) a chain of
//! conditions made a label for each of a million rows before they were counted.

use polars::prelude::*;
use polars_arrow::array::Array;

use crate::error::Result;
use crate::figures::arrays;
use crate::figures::counts::Counts;
use crate::load::derived;
use crate::load::labels::OutcomeRole;

/// The concluded (responded to) rows of `frame` in a period where `counted` holds, counted by
/// the outcome shown, per period: labels that add up, as `count_by` would give them.
pub fn shown_outcome_counts(
    frame: &DataFrame,
    counted: impl Fn(usize) -> bool,
    slots: usize,
) -> Result<Counts> {
    let (_, mapping) = crate::load::frames::label_dtype_and_mapping();
    let periods = arrays::periods(frame)?;
    let responded = arrays::days(frame, "responded")?;
    let outcomes = arrays::label_codes(frame, "outcome")?;
    let roles = arrays::label_codes(frame, derived::OUTCOME_ROLE)?;
    // Each role code's place among the roles, looked up once.
    let role_of_code: Vec<Option<usize>> = (0..=roles.values().iter().max().copied().unwrap_or(0))
        .map(|code| {
            let key = mapping.cat_to_str(code)?;
            OutcomeRole::ALL.iter().position(|role| role.key() == key)
        })
        .collect();
    // Places: each role, then the blank, then each outcome code.
    let first_code = OutcomeRole::ALL.len() + 1;
    let places = first_code
        + outcomes
            .values()
            .iter()
            .max()
            .map_or(0, |c| *c as usize + 1);
    let mut counts = vec![0i64; places * slots];
    for row in 0..periods.len() {
        if !periods.is_valid(row) || !responded.is_valid(row) || !counted(row) {
            continue;
        }
        let role = roles.get(row).and_then(|code| role_of_code[code as usize]);
        let place = match (role, outcomes.get(row)) {
            (Some(role), _) => role,
            (None, Some(code)) => first_code + code as usize,
            (None, None) => OutcomeRole::ALL.len(),
        };
        counts[place * slots + periods.value(row) as usize] += 1;
    }
    let label = |place: usize| -> Option<String> {
        match place.checked_sub(first_code) {
            Some(code) => mapping.cat_to_str(code as u32).map(str::to_string),
            None => OutcomeRole::ALL
                .get(place)
                .map(|role| role.title().to_string()),
        }
    };
    // A label spelt as a role's title counts with the role, as one label does when grouped.
    let mut rows: Vec<(Option<String>, Vec<i64>)> = Vec::new();
    for (place, values) in counts.chunks(slots).enumerate() {
        if values.iter().all(|n| *n == 0) {
            continue;
        }
        let label = label(place);
        match rows.iter_mut().find(|(l, _)| *l == label) {
            Some((_, total)) => total.iter_mut().zip(values).for_each(|(t, n)| *t += n),
            None => rows.push((label, values.to_vec())),
        }
    }
    let mut counts = Counts { rows };
    counts.sort(slots.saturating_sub(1));
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::frame::PERIOD;

    /// Seven rows in two periods. Concluded: an upheld (by its role) in each period, one spelt
    /// "Fully upheld" whose role is upheld too, one "Resolved" with no role, and one with no
    /// outcome. Not counted: one not answered, one in no period; then, again, one left out.
    #[test]
    fn outcomes_count_under_their_roles_titles_or_their_own_labels() {
        let label = crate::load::frames::label_dtype();
        let labels = |name: &str, values: [Option<&str>; 7]| {
            Series::new(name.into(), values)
                .cast(&label)
                .unwrap()
                .into_column()
        };
        let day = chrono::NaiveDate::from_ymd_opt(2024, 6, 1);
        let frame = DataFrame::new(
            7,
            vec![
                labels(
                    "outcome",
                    [
                        Some("Upheld"),
                        Some("Upheld"),
                        Some("Fully upheld"),
                        Some("Resolved"),
                        None,
                        Some("Upheld"),
                        Some("Upheld"),
                    ],
                ),
                labels(
                    derived::OUTCOME_ROLE,
                    [
                        Some("upheld"),
                        Some("upheld"),
                        Some("upheld"),
                        None,
                        None,
                        Some("upheld"),
                        Some("upheld"),
                    ],
                ),
                DateChunked::from_naive_date_options(
                    "responded".into(),
                    [day, day, day, day, day, None, day],
                )
                .into_column(),
                Column::new(
                    PERIOD.into(),
                    [
                        Some(0u32),
                        Some(1),
                        Some(1),
                        Some(1),
                        Some(0),
                        Some(0),
                        None,
                    ],
                ),
            ],
        )
        .unwrap();
        let counts = shown_outcome_counts(&frame, |_| true, 2).unwrap();
        assert_eq!(counts.get("Upheld"), Some(&[1, 2][..]));
        assert_eq!(counts.get("Resolved"), Some(&[0, 1][..]));
        assert!(counts.rows.contains(&(None, vec![1, 0])));
        assert_eq!(counts.rows.len(), 3);
        let counts = shown_outcome_counts(&frame, |row| row != 2, 2).unwrap();
        assert_eq!(counts.get("Upheld"), Some(&[1, 1][..]));
    }
}
