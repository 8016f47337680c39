//! Timescales in working days, shared by every stage: bands, within timescale, mean and median,
//! still open when the period ended.

use polars::prelude::*;
use serde::{Deserialize, Serialize};

use super::frame::{PERIOD_END, Slots, WORKING_DAYS, count_true, per_period};
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

    /// One boolean expression per band, over a working-days column.
    fn band_exprs(&self) -> Vec<Expr> {
        let days = || col(WORKING_DAYS);
        let mut exprs = Vec::with_capacity(self.bands.len() + 1);
        let mut low: Option<u32> = None;
        for &edge in &self.bands {
            let upper = days().lt_eq(lit(edge as i32));
            exprs.push(match low {
                None => upper,
                Some(low) => days().gt(lit(low as i32)).and(upper),
            });
            low = Some(edge);
        }
        if let Some(last) = low {
            exprs.push(days().gt(lit(last as i32)));
        }
        exprs
    }

    /// Responded within the target, or within the extended target where an extension was agreed.
    pub fn within_expr(&self) -> Expr {
        let days = || col(WORKING_DAYS);
        days().lt_eq(lit(self.target as i32)).or(col("extended")
            .fill_null(lit(false))
            .and(days().lt_eq(lit(self.extended_target as i32))))
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
    /// Measures `frame` (one stage's rows, periods tagged, working days added).
    pub fn measure(
        frame: LazyFrame,
        timescale: &Timescale,
        slots: &Slots,
    ) -> PolarsResult<StageTimes> {
        let responded = || col("responded").is_not_null();
        let mut exprs = vec![
            len(),
            count_true(responded()),
            count_true(timescale.within_expr()),
            count_true(col("extended")),
            col(WORKING_DAYS).mean(),
            col(WORKING_DAYS).median(),
            count_true(
                col("responded")
                    .is_null()
                    .or(col("responded").gt(col(PERIOD_END))),
            ),
        ];
        let band_count = timescale.bands.len() + 1;
        exprs.extend(timescale.band_exprs().into_iter().map(count_true));
        let values = per_period(frame, exprs, slots.len())?;
        let counts =
            |i: usize| -> Vec<i64> { values[i].iter().map(|v| v.unwrap_or(0.0) as i64).collect() };
        Ok(StageTimes {
            received: counts(0),
            responded: counts(1),
            within: counts(2),
            extended: counts(3),
            mean: values[4].clone(),
            median: values[5].clone(),
            open_at_end: counts(6),
            bands: (0..band_count).map(|b| counts(7 + b)).collect(),
        })
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
