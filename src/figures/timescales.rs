//! Timescales in working days, shared by every stage: bands, within timescale, mean and median,
//! still open when the period ended.

use polars::prelude::*;
use polars_arrow::array::Array;
use serde::{Deserialize, Serialize};

use super::arrays;
use super::frame::{PeriodDays, Slots, WORKING_DAYS};
use super::inputs::Inputs;
use super::model::{Row, Table};
use super::quantity::{Key, Q, Span, Subject};
use super::tables::{percent_row, period_row};

/// A stage's statutory timescale and the bands its response times are reported in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Timescale {
    /// Working days allowed.
    pub target: u32,
    /// Working days allowed where an extension was agreed.
    pub extended_target: u32,
    /// Upper edges of the bands, ascending; the last band is "over" the last edge.
    pub bands: Vec<u32>,
}

impl Timescale {
    pub fn stage1() -> Self {
        Timescale {
            target: 10,
            extended_target: 20,
            bands: vec![10, 20],
        }
    }

    pub fn stage2() -> Self {
        Timescale {
            target: 25,
            extended_target: 65,
            bands: vec![25, 65],
        }
    }

    /// A stage 3 review panel must meet within 30 working days of the request.
    pub fn stage3() -> Self {
        Timescale {
            target: 30,
            extended_target: 30,
            bands: vec![30],
        }
    }

    /// "Within 10 working days", "11 to 20 working days", "Over 20 working days".
    pub fn band_labels(&self) -> Vec<String> {
        let mut labels = Vec::with_capacity(self.bands.len() + 1);
        let mut low: Option<u32> = None;
        for &edge in &self.bands {
            labels.push(match low {
                None => format!("Within {edge} working days"),
                Some(low) if low + 1 == edge => format!("{edge} working days"),
                Some(low) => format!("{} to {edge} working days", low + 1),
            });
            low = Some(edge);
        }
        if let Some(last) = low {
            labels.push(format!("Over {last} working days"));
        }
        labels
    }

    pub fn validate(&self, stage: &str) -> Result<(), String> {
        if self.bands.is_empty() {
            return Err(format!("{stage}: bands needs at least one edge"));
        }
        if self.bands.windows(2).any(|w| w[0] >= w[1]) {
            return Err(format!("{stage}: bands must rise, e.g. [10, 20]"));
        }
        if self.extended_target < self.target {
            return Err(format!("{stage}: extended_target cannot be below target"));
        }
        Ok(())
    }
}

/// The timescale measures of one stage, per period.
#[derive(Debug, Clone)]
pub struct StageTimes {
    pub received: Vec<i64>,
    pub responded: Vec<i64>,
    pub bands: Vec<Vec<i64>>,
    pub within: Vec<i64>,
    pub extended: Vec<i64>,
    pub mean: Vec<Option<f64>>,
    pub median: Vec<Option<f64>>,
    pub open_at_end: Vec<i64>,
}

impl StageTimes {
    /// Measures stage `stage`'s rows of `representations` (working days added), each in the
    /// period of `slots` it was received in. One pass over the stored values: as polars
    /// queries (a filter on the stage, then ten aggregations per period), the three stages
    /// and stage 1's sixteen quarters took 70 ms at a million rows and churned 260 MB.
    pub fn measure(
        representations: &DataFrame,
        stage: i32,
        timescale: &Timescale,
        slots: &Slots,
    ) -> PolarsResult<StageTimes> {
        let periods = slots.len();
        let bands = timescale.bands.len() + 1;
        let mut times = StageTimes {
            received: vec![0; periods],
            responded: vec![0; periods],
            bands: vec![vec![0; periods]; bands],
            within: vec![0; periods],
            extended: vec![0; periods],
            mean: vec![None; periods],
            median: vec![None; periods],
            open_at_end: vec![0; periods],
        };
        let Some(days) = PeriodDays::new(slots) else {
            return Ok(times);
        };
        let period_ends = slots.end_days();
        let stages = arrays::ints(representations, "stage")?;
        let received = arrays::days(representations, "received")?;
        let responded = arrays::days(representations, "responded")?;
        let extended = arrays::truths(representations, "extended")?;
        let working = arrays::ints(representations, WORKING_DAYS)?;
        let (target, extended_target) = (timescale.target as i32, timescale.extended_target as i32);
        // The working days of the responses, per period, for the mean and median.
        let mut taken: Vec<Vec<i32>> = vec![Vec::new(); periods];
        for (row, _) in stages
            .values()
            .iter()
            .enumerate()
            .filter(|(row, at)| **at == stage && stages.is_valid(*row))
        {
            let Some(slot) = received.get(row).and_then(|day| days.slot(day)) else {
                continue;
            };
            let slot = slot as usize;
            times.received[slot] += 1;
            let responded = responded.get(row);
            times.responded[slot] += i64::from(responded.is_some());
            let extension = extended[row];
            times.extended[slot] += i64::from(extension);
            if responded.is_none_or(|day| day > period_ends[slot]) {
                times.open_at_end[slot] += 1;
            }
            if let Some(working) = working.get(row) {
                let within = working <= target || (extension && working <= extended_target);
                times.within[slot] += i64::from(within);
                let band = timescale
                    .bands
                    .iter()
                    .position(|&edge| working <= edge as i32)
                    .unwrap_or(bands - 1);
                times.bands[band][slot] += 1;
                taken[slot].push(working);
            }
        }
        for (slot, working) in taken.iter_mut().enumerate() {
            times.mean[slot] = mean(working);
            times.median[slot] = median(working);
        }
        Ok(times)
    }

    /// Registers the measures as `prefix.received`, `prefix.responded`… (`prefix` such as
    /// `stage1`, or `stage1` broken down by quarter) with their relations, per period.
    pub fn register(
        &self,
        inputs: &Inputs,
        prefix: &str,
        timescale: &Timescale,
        breakdown: Option<(&'static str, &str)>,
        spans: &[Span],
    ) -> StageQuantities {
        let mut registry = inputs.registry();
        let key = |measure: &str, s: usize| {
            let key = Key::new(format!("{prefix}.{measure}"), spans[s]);
            match breakdown {
                Some((dimension, value)) => key.by(dimension, value),
                None => key,
            }
        };
        let mut series = |measure: &str, values: &[i64]| -> Vec<Q> {
            (0..spans.len())
                .map(|s| registry.count(key(measure, s), values[s], Subject::People))
                .collect()
        };
        let received = series("received", &self.received);
        let responded = series("responded", &self.responded);
        let within = series("within", &self.within);
        let extended = series("extended", &self.extended);
        let open_at_end = series("open_at_end", &self.open_at_end);
        let unanswered: Vec<i64> = (0..spans.len())
            .map(|s| self.received[s] - self.responded[s])
            .collect();
        let unanswered = series("unanswered", &unanswered);
        let bands: Vec<Vec<Q>> = timescale
            .band_labels()
            .iter()
            .zip(&self.bands)
            .map(|(label, values)| {
                (0..spans.len())
                    .map(|s| {
                        let key = Key::new(format!("{prefix}.band"), spans[s]).by(
                            "band",
                            breakdown.map_or(label.clone(), |(_, v)| format!("{v} · {label}")),
                        );
                        registry.count(key, values[s], Subject::People)
                    })
                    .collect()
            })
            .collect();
        for s in 0..spans.len() {
            let band_parts: Vec<Q> = bands.iter().map(|b| b[s]).collect();
            registry.sum(responded[s], &band_parts);
            registry.sum(received[s], &[responded[s], unanswered[s]]);
            registry.at_most(within[s], responded[s]);
            registry.at_most(extended[s], received[s]);
            registry.at_most(open_at_end[s], received[s]);
            registry.at_most(unanswered[s], open_at_end[s]);
        }
        StageQuantities {
            received,
            responded,
            bands,
            within,
            extended,
            open_at_end,
            unanswered,
        }
    }

    /// The year-on-year rows every stage shares. Band and timescale percentages are of the
    /// complaints responded to; still-open counts carry no percentage.
    pub fn fill(
        &self,
        table: &mut Table,
        inputs: &Inputs,
        quantities: &StageQuantities,
        timescale: &Timescale,
        with_extensions: bool,
    ) {
        let q = quantities;
        table
            .rows
            .push(period_row(inputs, "Received", &q.received, false));
        table
            .rows
            .push(period_row(inputs, "Responded to", &q.responded, false));
        for (label, band) in timescale.band_labels().into_iter().zip(&q.bands) {
            table.rows.push(period_row(inputs, &label, band, false));
        }
        table
            .rows
            .push(period_row(inputs, "Within timescale", &q.within, false));
        table.rows.push(percent_row(
            inputs,
            "Within timescale (%)",
            &q.within,
            &q.responded,
        ));
        if with_extensions {
            table
                .rows
                .push(period_row(inputs, "Extensions agreed", &q.extended, false));
        }
        for (label, values, name) in [
            ("Mean working days", &self.mean, "mean_working_days"),
            ("Median working days", &self.median, "median_working_days"),
        ] {
            table.rows.push(Row::linked(
                label,
                inputs
                    .slots
                    .shown
                    .iter()
                    .map(|&s| inputs.describing(name, values[s], 1, q.responded[s], s))
                    .collect(),
            ));
        }
        table.rows.push(period_row(
            inputs,
            "Still open at end of period",
            &q.open_at_end,
            false,
        ));
    }
}

/// The quantities of one stage's timescales, per period.
#[derive(Debug, Clone)]
pub struct StageQuantities {
    pub received: Vec<Q>,
    pub responded: Vec<Q>,
    pub bands: Vec<Vec<Q>>,
    pub within: Vec<Q>,
    pub extended: Vec<Q>,
    pub open_at_end: Vec<Q>,
    /// Received and not responded to at all (still open as at the data's date).
    pub unanswered: Vec<Q>,
}

/// The mean of whole numbers: their sum, exact in a float at any size a report meets, divided
/// once, as polars gives it.
fn mean(values: &[i32]) -> Option<f64> {
    let sum: i64 = values.iter().map(|&v| i64::from(v)).sum();
    (!values.is_empty()).then(|| sum as f64 / values.len() as f64)
}

/// The median, halfway between the middle two of an even count, as polars interpolates it.
fn median(values: &mut [i32]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let upper = values.len() / 2;
    let (_, &mut high, _) = values.select_nth_unstable(upper);
    if values.len() % 2 == 1 {
        return Some(f64::from(high));
    }
    let low = values[..upper].iter().max().copied().unwrap_or(high);
    Some(f64::from(low) + f64::from(high - low) * 0.5)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn band_labels_follow_the_edges() {
        assert_eq!(
            Timescale::stage1().band_labels(),
            vec![
                "Within 10 working days",
                "11 to 20 working days",
                "Over 20 working days"
            ]
        );
        let council = Timescale {
            target: 10,
            extended_target: 20,
            bands: vec![10, 20, 25, 30],
        };
        assert_eq!(
            council.band_labels(),
            vec![
                "Within 10 working days",
                "11 to 20 working days",
                "21 to 25 working days",
                "26 to 30 working days",
                "Over 30 working days"
            ]
        );
        assert_eq!(
            Timescale::stage3().band_labels(),
            vec!["Within 30 working days", "Over 30 working days"]
        );
    }

    /// Stage 1's rows in three quarters (the last with none), worked by hand. The working days
    /// are given, not counted, so each row shows what it tests: Q1 has 6, 13 (extended), 17
    /// (answered after the quarter ended), 3 and one unanswered; Q2 has 44 (extended, still
    /// late), 10 (on the edge) and 1 (answered the day after the quarter ended). A stage 2
    /// row, a row without a stage, one received before the first quarter and one without a
    /// received date are in no count. The frame is in two chunks, as a file read in two is.
    #[test]
    fn a_stage_is_measured_in_the_period_each_row_was_received() {
        /// Stage, received and responded (month, day of 2024), extended, working days.
        type Given = (
            Option<i32>,
            Option<(u32, u32)>,
            Option<(u32, u32)>,
            Option<bool>,
            Option<i32>,
        );
        let day = |m: u32, d: u32| chrono::NaiveDate::from_ymd_opt(2024, m, d);
        let part = |rows: &[Given]| {
            let date = |name: &str, pick: &dyn Fn(usize) -> Option<(u32, u32)>| {
                let dates: Vec<_> = (0..rows.len())
                    .map(|r| pick(r).and_then(|(m, d)| day(m, d)))
                    .collect();
                DateChunked::from_naive_date_options(name.into(), dates).into_column()
            };
            DataFrame::new(
                rows.len(),
                vec![
                    Column::new("stage".into(), rows.iter().map(|r| r.0).collect::<Vec<_>>()),
                    date("received", &|r| rows[r].1),
                    date("responded", &|r| rows[r].2),
                    Column::new(
                        "extended".into(),
                        rows.iter().map(|r| r.3).collect::<Vec<_>>(),
                    ),
                    Column::new(
                        WORKING_DAYS.into(),
                        rows.iter().map(|r| r.4).collect::<Vec<_>>(),
                    ),
                ],
            )
            .unwrap()
        };
        let mut frame = part(&[
            (Some(1), Some((4, 2)), Some((4, 10)), Some(false), Some(6)),
            (Some(1), Some((5, 1)), Some((5, 20)), Some(true), Some(13)),
            (Some(1), Some((6, 20)), Some((7, 15)), Some(false), Some(17)),
            (Some(1), Some((6, 25)), None, None, None),
            (Some(2), Some((4, 5)), Some((4, 8)), Some(false), Some(1)),
            (None, Some((4, 5)), Some((4, 8)), Some(false), Some(1)),
        ]);
        let second = part(&[
            (Some(1), Some((3, 31)), Some((4, 2)), Some(false), Some(2)),
            (Some(1), None, Some((4, 2)), Some(false), Some(2)),
            (Some(1), Some((4, 10)), Some((4, 15)), Some(false), Some(3)),
            (Some(1), Some((7, 1)), Some((8, 30)), Some(true), Some(44)),
            (Some(1), Some((8, 1)), Some((8, 15)), Some(false), Some(10)),
            (Some(1), Some((9, 30)), Some((10, 1)), Some(false), Some(1)),
        ]);
        frame.vstack_mut(&second).unwrap();
        assert_eq!(frame.first_col_n_chunks(), 2);
        let slots = crate::figures::testing::quarters_of_2024(3);
        let times = StageTimes::measure(&frame, 1, &Timescale::stage1(), &slots).unwrap();
        assert_eq!(times.received, [5, 3, 0]);
        assert_eq!(times.responded, [4, 3, 0]);
        assert_eq!(times.within, [3, 2, 0]);
        assert_eq!(times.extended, [1, 1, 0]);
        assert_eq!(times.open_at_end, [2, 1, 0]);
        assert_eq!(times.bands, [vec![2, 2, 0], vec![2, 0, 0], vec![0, 1, 0]]);
        // Q1: (3 + 6 + 13 + 17) / 4, and halfway between 6 and 13; Q2: 55 / 3, and 10.
        assert_eq!(times.mean, [Some(9.75), Some(55.0 / 3.0), None]);
        assert_eq!(times.median, [Some(9.5), Some(10.0), None]);
    }

    #[test]
    fn bad_bands_are_refused() {
        let mut t = Timescale::stage1();
        t.bands = vec![20, 10];
        assert!(t.validate("stage1").is_err());
        t.bands = vec![];
        assert!(t.validate("stage1").is_err());
        assert!(Timescale::stage2().validate("stage2").is_ok());
    }
}
