//! A deterministic synthetic data set: a mid-sized authority over five financial years. The same
//! code makes the bundled `sample-data/` and, with `--scale`, national-scale sets for benchmarks.

mod rng;
mod vocabulary;

use std::path::Path;

use chrono::{Datelike, NaiveDate};

use crate::calendar::Calendar;
use crate::error::{Error, Result};
use crate::load::contract::Source;
use crate::period::FinancialYear;
pub use rng::Rng;
use vocabulary as v;

#[derive(Debug, Clone)]
pub struct SampleOptions {
    pub seed: u64,
    /// Multiplies every yearly volume; 1 is a mid-sized authority (80–140 a year).
    pub scale: u32,
    /// The last of the five financial years.
    pub last_year: FinancialYear,
}

impl Default for SampleOptions {
    fn default() -> Self {
        SampleOptions {
            seed: 2025,
            scale: 1,
            last_year: FinancialYear::starting(2024),
        }
    }
}

/// How many rows of each file were written.
/// The sample council's narrative: an introduction, recommendations and last year's progress.
pub const NARRATIVE: &str = include_str!("narrative.md");
pub const NARRATIVE_FILE: &str = "narrative.md";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SampleCounts {
    pub representations: usize,
    pub compliments: usize,
    pub actions: usize,
    pub context: usize,
    pub training: usize,
}

/// The columns of representations.csv, in contract order.
fn representation_header() -> Vec<&'static str> {
    Source::Representations
        .columns()
        .iter()
        .map(|c| c.name)
        .collect()
}

#[derive(Default, Clone)]
struct RepresentationRow {
    reference: String,
    kind: &'static str,
    stage: Option<u8>,
    received: Option<NaiveDate>,
    acknowledged: Option<NaiveDate>,
    extended: Option<bool>,
    responded: Option<NaiveDate>,
    outcome: String,
    service: &'static str,
    nature: Vec<&'static str>,
    complainant: &'static str,
    method: &'static str,
    advocate: Option<bool>,
    outcome_sought: Vec<&'static str>,
    remedy: Vec<&'static str>,
    payment: Option<u32>,
    refusal_reason: &'static str,
    informal_resolution: Option<bool>,
    ethnicity: &'static str,
    learning: &'static str,
}

impl RepresentationRow {
    fn record(&self) -> Vec<String> {
        let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        let yes_no = |b: Option<bool>| match b {
            Some(true) => "yes".to_string(),
            Some(false) => "no".to_string(),
            None => String::new(),
        };
        vec![
            self.reference.clone(),
            self.kind.to_string(),
            self.stage.map(|s| s.to_string()).unwrap_or_default(),
            date(self.received),
            date(self.acknowledged),
            yes_no(self.extended),
            date(self.responded),
            self.outcome.clone(),
            self.service.to_string(),
            self.nature.join("; "),
            self.complainant.to_string(),
            self.method.to_string(),
            yes_no(self.advocate),
            self.outcome_sought.join("; "),
            self.remedy.join("; "),
            self.payment.map(|p| p.to_string()).unwrap_or_default(),
            self.refusal_reason.to_string(),
            yes_no(self.informal_resolution),
            self.ethnicity.to_string(),
            self.learning.to_string(),
        ]
    }
}

struct Generator<'a> {
    rng: Rng,
    seed: u64,
    calendar: &'a Calendar,
    /// The day the export was taken: later events have not happened yet.
    extracted: NaiveDate,
    representations: Vec<RepresentationRow>,
    compliments: Vec<Vec<String>>,
    actions: Vec<Vec<String>>,
}

/// Writes the four files of a data folder into `out` (which must exist).
pub fn generate(options: &SampleOptions, out: &Path) -> Result<SampleCounts> {
    let calendar = Calendar::england_and_wales();
    let years: Vec<FinancialYear> = (0..5)
        .rev()
        .map(|back| FinancialYear::starting(options.last_year.start_year() - back))
        .collect();
    let extracted = options.last_year.last_day() + chrono::Days::new(30);
    if !calendar.covers(years[0].first_day())
        || !calendar.covers(extracted + chrono::Days::new(400))
    {
        return Err(Error::Usage(format!(
            "sample data can only be made for years the working-day calendar covers ({} to {})",
            calendar.first_day().year(),
            calendar.last_day().year() - 1
        )));
    }
    let mut generator = Generator {
        rng: Rng::new(options.seed),
        seed: options.seed,
        calendar,
        extracted,
        representations: Vec::new(),
        compliments: Vec::new(),
        actions: Vec::new(),
    };
    let mut context = Vec::new();
    for (index, year) in years.iter().enumerate() {
        // Timeliness improves over the five years, as the seeds' councils report.
        let on_time_share = 0.48 + 0.05 * index as f64;
        let representations = generator.rng.range(85, 135) * options.scale;
        for sequence in 1..=representations {
            generator.representation(*year, sequence, on_time_share);
        }
        let compliments = generator.rng.range(42, 88) * options.scale;
        for sequence in 1..=compliments {
            generator.compliment(*year, sequence);
        }
        let cases = generator.rng.range(5200, 5800) * options.scale;
        context.push(vec![
            year.to_string(),
            "Children's social care cases".into(),
            cases.to_string(),
            String::new(),
            String::new(),
        ]);
        let referrals = generator.rng.range(2900, 3400) * options.scale;
        context.push(vec![
            year.to_string(),
            "Referrals".into(),
            referrals.to_string(),
            String::new(),
            String::new(),
        ]);
    }
    // The child population, from its own stream so the case data stays as it was.
    let mut population = Rng::new(options.seed ^ 0x0C41_1D12);
    for year in &years {
        context.push(vec![
            year.to_string(),
            "Children aged 0 to 17".into(),
            (population.range(47_000, 49_000) * options.scale).to_string(),
            "10000".into(),
            String::new(),
        ]);
        // The largest services' caseloads, in proportion to the complaints they see.
        for (service, weight) in v::SERVICES.iter().take(5) {
            let caseload = population.range(40, 60) * weight * options.scale;
            context.push(vec![
                year.to_string(),
                "Children's social care cases".into(),
                caseload.to_string(),
                String::new(),
                (*service).to_string(),
            ]);
        }
    }

    let write = |source: Source,
                 header: Vec<&str>,
                 rows: &mut dyn Iterator<Item = Vec<String>>|
     -> Result<usize> {
        let path = out.join(source.default_file_name());
        let to_error = |e: csv::Error| Error::Write {
            path: path.clone(),
            source: std::io::Error::other(e),
        };
        let mut writer = csv::Writer::from_path(&path).map_err(to_error)?;
        writer.write_record(&header).map_err(to_error)?;
        let mut count = 0;
        for row in rows {
            writer.write_record(&row).map_err(to_error)?;
            count += 1;
        }
        writer.flush().map_err(|source| Error::Write {
            path: path.clone(),
            source,
        })?;
        Ok(count)
    };
    let column_names = |source: Source| source.columns().iter().map(|c| c.name).collect::<Vec<_>>();
    // The council's own words, so the sample report shows where they go.
    let narrative = out.join(NARRATIVE_FILE);
    std::fs::write(&narrative, NARRATIVE).map_err(|source| Error::Write {
        path: narrative.clone(),
        source,
    })?;
    Ok(SampleCounts {
        representations: write(
            Source::Representations,
            representation_header(),
            &mut generator
                .representations
                .iter()
                .map(RepresentationRow::record),
        )?,
        compliments: write(
            Source::Compliments,
            column_names(Source::Compliments),
            &mut generator.compliments.into_iter(),
        )?,
        actions: write(
            Source::Actions,
            column_names(Source::Actions),
            &mut generator.actions.into_iter(),
        )?,
        context: write(
            Source::Context,
            column_names(Source::Context),
            &mut context.into_iter(),
        )?,
        training: write(
            Source::Training,
            column_names(Source::Training),
            &mut training(&years, options.seed).into_iter(),
        )?,
    })
}

/// A workshop a month through the last year and the three months after it, mornings, on the
/// second Tuesday: what a QA team offers.
fn training(years: &[FinancialYear], seed: u64) -> Vec<Vec<String>> {
    let offset = Rng::new(seed ^ 0x7EA1_1111).range(0, v::TRAINING.len() as u32 - 1) as usize;
    let last = years[years.len() - 1];
    let mut rows = Vec::new();
    for month in 0..15 {
        let first = last
            .first_day()
            .checked_add_months(chrono::Months::new(month))
            .expect("a month in range");
        let first_tuesday = (0..7)
            .map(|d| first + chrono::Days::new(d))
            .find(|d| d.weekday() == chrono::Weekday::Tue)
            .expect("a Tuesday in a week");
        let (title, details) = v::TRAINING[(offset + month as usize) % v::TRAINING.len()];
        rows.push(vec![
            (first_tuesday + chrono::Days::new(7)).to_string(),
            title.to_string(),
            "10:00 to 12:00".to_string(),
            format!("{details} Book through the QA team."),
        ]);
    }
    rows
}

impl Generator<'_> {
    fn pick(&mut self, items: v::Weighted) -> &'static str {
        self.rng.weighted::<&'static str>(items)
    }

    /// A day in the year on which post arrives: mostly working days, a few weekend online forms.
    fn received_in(&mut self, year: FinancialYear) -> NaiveDate {
        let days = (year.last_day() - year.first_day()).num_days() as u32;
        let mut date = year.first_day() + chrono::Days::new(u64::from(self.rng.range(0, days)));
        if !self.rng.chance(0.08) {
            while !self.calendar.is_working_day(date).unwrap_or(true) {
                date = date.succ_opt().expect("in range");
            }
        }
        date.min(year.last_day())
    }

    fn after(&self, date: NaiveDate, working_days: u32) -> NaiveDate {
        self.calendar
            .add_working_days(date, working_days)
            .expect("the calendar covers the sample years")
    }

    /// The response, or none if it had not happened by the time the data was extracted.
    fn respond(&self, received: NaiveDate, working_days: u32) -> Option<NaiveDate> {
        Some(self.after(received, working_days)).filter(|d| *d <= self.extracted)
    }

    fn representation(&mut self, year: FinancialYear, sequence: u32, on_time_share: f64) {
        let received = self.received_in(year);
        let reference = format!("CSC-{}-{sequence:05}", year.start_year());
        let complainant = self.pick(v::COMPLAINANTS);
        let is_child = matches!(complainant, "Young person" | "Advocate");
        let mut row = RepresentationRow {
            reference,
            received: Some(received),
            service: self.pick(v::SERVICES),
            complainant,
            method: if complainant == "Advocate" {
                "Via advocate"
            } else {
                self.pick(v::METHODS)
            },
            advocate: Some(complainant == "Advocate" || (is_child && self.rng.chance(0.5))),
            ethnicity: self.pick(v::ETHNICITIES),
            ..RepresentationRow::default()
        };
        if self.rng.range(1, 100) <= v::COMPLAINT_SHARE {
            self.complaint(row, on_time_share);
            return;
        }
        row.kind = self.pick(v::OTHER_TYPES);
        match row.kind {
            "Refused" => {
                row.refusal_reason = self.pick(v::REFUSAL_REASONS);
                let days = self.rng.range(2, 8);
                row.responded = self.respond(received, days);
            }
            "LGSCO" => {
                let decision = self.pick(v::OMBUDSMAN_DECISIONS);
                let days = self.rng.range(20, 90);
                row.responded = self.respond(received, days);
                if row.responded.is_some() {
                    row.outcome = decision.to_string();
                    if decision == "Fault and injustice" {
                        row.remedy = vec!["Apology", "Payment"];
                        row.payment = Some(self.rng.range(3, 20) * 50);
                    }
                }
            }
            _ => {
                row.nature = self
                    .rng
                    .several(v::NATURES, 1)
                    .into_iter()
                    .copied()
                    .collect();
                row.informal_resolution = Some(self.rng.chance(0.45));
                let days = self.rng.range(1, 6);
                row.responded = self.respond(received, days);
            }
        }
        self.representations.push(row);
    }

    fn complaint(&mut self, mut row: RepresentationRow, on_time_share: f64) {
        let received = row.received.expect("set by the caller");
        row.kind = "Complaint";
        row.stage = Some(1);
        let natures = self.rng.range(1, 3) as usize;
        row.nature = self
            .rng
            .several(v::NATURES, natures)
            .into_iter()
            .copied()
            .collect();
        let sought = self.rng.range(1, 2) as usize;
        row.outcome_sought = self
            .rng
            .several(v::OUTCOMES_SOUGHT, sought)
            .into_iter()
            .copied()
            .collect();
        row.informal_resolution = Some(self.rng.chance(0.08));
        let acknowledge_days = *self.rng.weighted(&[(1, 50), (2, 25), (3, 15), (5, 10)]);

        let roll = self.rng.unit();
        let (days, extended) = if roll < on_time_share {
            (self.rng.range(4, 10), self.rng.chance(0.05))
        } else if roll < on_time_share + (1.0 - on_time_share) * 0.72 {
            (self.rng.range(11, 20), self.rng.chance(0.7))
        } else {
            (self.rng.range(21, 38), self.rng.chance(0.6))
        };
        // Nobody acknowledges a complaint after answering it.
        row.acknowledged = Some(self.after(received, acknowledge_days.min(days)));
        row.extended = Some(extended);
        row.responded = self.respond(received, days);
        if row.responded.is_some() {
            self.conclude(&mut row);
        }
        let escalates = row.responded.is_some()
            && matches!(row.outcome.as_str(), "Not upheld" | "Partially upheld")
            && self.rng.chance(0.12);
        let stage1 = row.clone();
        self.representations.push(row);
        if escalates {
            self.escalate(&stage1, 2);
        }
    }

    /// Outcome, remedies, payment, learning and perhaps an action, for a response just given.
    fn conclude(&mut self, row: &mut RepresentationRow) {
        let outcome = self.pick(v::OUTCOMES);
        row.outcome = outcome.to_string();
        match outcome {
            "Upheld" | "Partially upheld" => {
                let remedies = self.rng.range(1, 3) as usize;
                row.remedy = self
                    .rng
                    .several(v::REMEDIES_WHEN_UPHELD, remedies)
                    .into_iter()
                    .copied()
                    .collect();
                if row.remedy.contains(&"Payment") {
                    row.payment = Some(self.rng.range(1, 10) * 25);
                }
                row.learning =
                    v::LEARNING[self.rng.range(0, v::LEARNING.len() as u32 - 1) as usize];
                if self.rng.chance(0.5) {
                    self.action_for(row);
                }
            }
            "Not upheld" => {
                row.remedy = vec![self.pick(v::REMEDIES_WHEN_NOT_UPHELD)];
            }
            _ => {}
        }
    }

    fn escalate(&mut self, earlier: &RepresentationRow, stage: u8) {
        let Some(previous_response) = earlier.responded else {
            return;
        };
        let days = self.rng.range(3, 20);
        let received = self.after(previous_response, days);
        if received > self.extracted {
            return;
        }
        let days = self.rng.range(1, 3);
        let mut row = RepresentationRow {
            stage: Some(stage),
            received: Some(received),
            acknowledged: Some(self.after(received, days)),
            outcome: String::new(),
            remedy: Vec::new(),
            payment: None,
            learning: "",
            ..earlier.clone()
        };
        // Stage 2 may run to 65 working days with agreement; a stage 3 panel should meet within 30.
        let (days, extended) = if stage == 2 {
            let (low, high) = *self
                .rng
                .weighted(&[((15, 25), 45), ((26, 65), 45), ((66, 80), 10)]);
            let days = self.rng.range(low, high);
            (days, days > 25)
        } else {
            let (low, high) = *self.rng.weighted(&[((12, 30), 80), ((31, 40), 20)]);
            (self.rng.range(low, high), false)
        };
        row.extended = Some(extended);
        row.responded = self.respond(received, days);
        if row.responded.is_some() {
            self.conclude(&mut row);
        }
        let escalates = stage == 2
            && row.responded.is_some()
            && row.outcome != "Upheld"
            && self.rng.chance(0.3);
        let this = row.clone();
        self.representations.push(row);
        if escalates {
            self.escalate(&this, 3);
        }
    }

    fn action_for(&mut self, row: &RepresentationRow) {
        let Some(responded) = row.responded else {
            return;
        };
        let due = responded + chrono::Days::new(u64::from(self.rng.range(20, 90)));
        let completed = match self.rng.range(1, 10) {
            1..=6 => Some(due - chrono::Days::new(u64::from(self.rng.range(0, 15)))),
            7..=8 => Some(due + chrono::Days::new(u64::from(self.rng.range(3, 40)))),
            _ => None,
        }
        .filter(|d| *d <= self.extracted && *d >= responded);
        self.actions.push(vec![
            row.reference.clone(),
            v::ACTIONS[self.rng.range(0, v::ACTIONS.len() as u32 - 1) as usize].to_string(),
            row.service.to_string(),
            due.to_string(),
            completed.map(|d| d.to_string()).unwrap_or_default(),
        ]);
    }

    fn compliment(&mut self, year: FinancialYear, sequence: u32) {
        // Columns added after the first release come from a stream of their own, so the
        // established columns (and every figure made from them) stay as they were.
        let mut extra = Rng::new(
            self.seed
                ^ 0xC0FF_EE00
                ^ (u64::from(year.start_year() as u32) << 32)
                ^ u64::from(sequence),
        );
        let learning = if extra.chance(0.3) {
            v::GOOD_PRACTICE[extra.range(0, v::GOOD_PRACTICE.len() as u32 - 1) as usize]
        } else {
            ""
        };
        let received = self.received_in(year);
        let themes = self.rng.range(1, 2) as usize;
        let row = vec![
            format!("CMP-{}-{sequence:05}", year.start_year()),
            received.to_string(),
            self.pick(v::SERVICES).to_string(),
            self.pick(v::COMPLIMENT_SOURCES).to_string(),
            self.rng
                .several(v::COMPLIMENT_THEMES, themes)
                .into_iter()
                .copied()
                .collect::<Vec<_>>()
                .join("; "),
            v::COMPLIMENT_TEXTS[self.rng.range(0, v::COMPLIMENT_TEXTS.len() as u32 - 1) as usize]
                .to_string(),
            if self.rng.chance(0.55) { "yes" } else { "no" }.to_string(),
            learning.to_string(),
        ];
        self.compliments.push(row);
    }
}
