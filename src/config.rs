//! `report.toml`: how to read a council's own export and the council's own rules. Every key is
//! optional; an unknown key is an error naming it and its line, so a typo cannot pass silently.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Deserialize;

use crate::calendar::Calendar;
use crate::error::{Error, Result};
use crate::figures::{Settings, Timescale};
use crate::load::Mapping;
use crate::load::contract::Source;
use crate::load::labels::{OutcomeRole, Roles};
use crate::load::read::HeaderMap;
use crate::publication::Policy;

mod template;

pub use template::init_text;

pub const FILE_NAME: &str = "report.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    authority: Option<String>,
    department: Option<String>,
    /// The date of publication printed on the cover, `YYYY-MM-DD`.
    published: Option<String>,
    /// Who to contact about the report, printed on the cover.
    contact: Option<String>,
    #[serde(default)]
    data: DataSection,
    #[serde(default)]
    columns: ColumnsSection,
    #[serde(default)]
    labels: LabelsSection,
    #[serde(default)]
    timescales: TimescalesSection,
    #[serde(default)]
    calendar: CalendarSection,
    #[serde(default)]
    report: ReportSection,
    #[serde(default)]
    publication: PublicationSection,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct DataSection {
    dir: Option<PathBuf>,
    representations: Option<String>,
    compliments: Option<String>,
    actions: Option<String>,
    context: Option<String>,
    training: Option<String>,
    ombudsman_review: Option<String>,
    date_format: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ColumnsSection {
    representations: Option<BTreeMap<String, String>>,
    compliments: Option<BTreeMap<String, String>>,
    actions: Option<BTreeMap<String, String>>,
    context: Option<BTreeMap<String, String>>,
    training: Option<BTreeMap<String, String>>,
    ombudsman_review: Option<BTreeMap<String, String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct OutcomeLabels {
    upheld: Option<Vec<String>>,
    partially_upheld: Option<Vec<String>>,
    not_upheld: Option<Vec<String>>,
    withdrawn: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct LabelsSection {
    outcome: Option<OutcomeLabels>,
    young_person: Option<Vec<String>>,
    ombudsman: Option<Vec<String>>,
    refused: Option<Vec<String>>,
    statutory: Option<Vec<String>>,
    rename: Option<BTreeMap<String, String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct TimescaleOverride {
    target: Option<u32>,
    extended_target: Option<u32>,
    bands: Option<Vec<u32>>,
}

impl TimescaleOverride {
    fn apply(&self, mut timescale: Timescale) -> Timescale {
        if let Some(target) = self.target {
            timescale.target = target;
        }
        if let Some(extended) = self.extended_target {
            timescale.extended_target = extended;
        }
        if let Some(bands) = &self.bands {
            timescale.bands = bands.clone();
        }
        timescale
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct TimescalesSection {
    stage1: Option<TimescaleOverride>,
    stage2: Option<TimescaleOverride>,
    stage3: Option<TimescaleOverride>,
    acknowledgement_days: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CalendarSection {
    closures: Option<Vec<NaiveDate>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReportSection {
    narrative: Option<PathBuf>,
    templates: Option<PathBuf>,
    earlier_years: Option<usize>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PublicationSection {
    suppress_below: Option<u32>,
    protection: Option<u32>,
    ombudsman: Option<OmbudsmanPolicy>,
    group_small: Option<bool>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum OmbudsmanPolicy {
    /// Protected like any other count of people.
    Suppress,
    /// Shown as the Ombudsman shows them in its own annual review.
    Public,
}

/// The configuration, resolved: paths relative to the config file's folder, defaults filled in.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it came from, if any.
    pub path: Option<PathBuf>,
    pub authority: Option<String>,
    pub department: Option<String>,
    /// The cover's date of publication.
    pub published: Option<NaiveDate>,
    /// The cover's contact: a team, an address, a telephone number.
    pub contact: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub mapping: Mapping,
    pub settings: Settings,
    pub calendar: Calendar,
    pub narrative: Option<PathBuf>,
    pub templates: Option<PathBuf>,
    /// What public output may show.
    pub policy: Policy,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            path: None,
            authority: None,
            department: None,
            published: None,
            contact: None,
            data_dir: None,
            mapping: Mapping::default(),
            settings: Settings::default(),
            calendar: Calendar::england_and_wales().clone(),
            narrative: None,
            templates: None,
            policy: Policy::default(),
        }
    }
}

impl Config {
    /// `explicit` (from `--config`) must exist; otherwise `report.toml` in the current folder is
    /// read if present, and the defaults used if not.
    pub fn discover(explicit: Option<&Path>) -> Result<Config> {
        match explicit {
            Some(path) if !path.is_file() => Err(Error::Usage(format!(
                "the config file {} does not exist",
                path.display()
            ))),
            Some(path) => Config::from_file(path),
            None if Path::new(FILE_NAME).is_file() => Config::from_file(Path::new(FILE_NAME)),
            None => Ok(Config::default()),
        }
    }

    pub fn from_file(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Config::parse(&text, path)
    }

    /// Parses `text` as if read from `path`; relative paths in it are relative to its folder.
    pub fn parse(text: &str, path: &Path) -> Result<Config> {
        let file: ConfigFile = toml::from_str(text).map_err(|e| Error::Config {
            path: path.to_path_buf(),
            message: e.to_string().trim_end().to_string(),
        })?;
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let resolve = |p: &Option<PathBuf>| p.as_ref().map(|p| base.join(p));
        let invalid = |message: String| Error::Config {
            path: path.to_path_buf(),
            message,
        };

        let mut mapping = Mapping::default();
        for (source, name) in [
            (Source::Representations, &file.data.representations),
            (Source::Compliments, &file.data.compliments),
            (Source::Actions, &file.data.actions),
            (Source::Context, &file.data.context),
            (Source::Training, &file.data.training),
            (Source::OmbudsmanReview, &file.data.ombudsman_review),
        ] {
            if let Some(name) = name {
                mapping.file_names.insert(source, name.clone());
            }
        }
        for (source, columns) in [
            (Source::Representations, &file.columns.representations),
            (Source::Compliments, &file.columns.compliments),
            (Source::Actions, &file.columns.actions),
            (Source::Context, &file.columns.context),
            (Source::Training, &file.columns.training),
            (Source::OmbudsmanReview, &file.columns.ombudsman_review),
        ] {
            let Some(columns) = columns else { continue };
            for canonical in columns.keys() {
                if source.column(canonical).is_none() {
                    let known: Vec<&str> = source.columns().iter().map(|c| c.name).collect();
                    return Err(invalid(format!(
                        "[columns.{}] has no column '{canonical}'; the columns are {}",
                        source.key(),
                        known.join(", ")
                    )));
                }
            }
            mapping.headers.insert(
                source,
                HeaderMap {
                    headers: columns
                        .iter()
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect(),
                },
            );
        }
        if let Some(format) = &file.data.date_format {
            // chrono reports a bad format as a formatting error, which `to_string` would panic on.
            let sample = NaiveDate::from_ymd_opt(2024, 5, 1).expect("valid date");
            let mut shown = String::new();
            if std::fmt::Write::write_fmt(&mut shown, format_args!("{}", sample.format(format)))
                .is_err()
                || shown == *format
            {
                return Err(invalid(format!(
                    "[data] date_format '{format}' is not a date format such as \"%d/%m/%Y\""
                )));
            }
            mapping.date_format = Some(format.clone());
        }
        let renames: HashMap<String, String> = file
            .labels
            .rename
            .clone()
            .unwrap_or_default()
            .into_iter()
            .collect();
        mapping.roles = roles(&file.labels, &renames);
        mapping.renames = renames;

        let mut settings = Settings::default();
        let timescales = &file.timescales;
        for (stage, override_, slot) in [
            ("stage1", &timescales.stage1, &mut settings.stage1),
            ("stage2", &timescales.stage2, &mut settings.stage2),
            ("stage3", &timescales.stage3, &mut settings.stage3),
        ] {
            if let Some(o) = override_ {
                *slot = o.apply(slot.clone());
                slot.validate(stage)
                    .map_err(|e| invalid(format!("[timescales] {e}")))?;
            }
        }
        if let Some(days) = timescales.acknowledgement_days {
            settings.acknowledgement_days = days;
        }
        if let Some(years) = file.report.earlier_years {
            settings.earlier_years = years.min(10);
        }

        let calendar = Calendar::england_and_wales()
            .with_closures(file.calendar.closures.as_deref().unwrap_or(&[]))
            .map_err(|e| invalid(format!("[calendar] closures: {e}")))?;

        let published = file
            .published
            .as_deref()
            .map(|text| {
                NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
                    invalid(format!(
                        "published: '{text}' is not a date; write it as YYYY-MM-DD, e.g. 2025-07-15"
                    ))
                })
            })
            .transpose()?;
        Ok(Config {
            path: Some(path.to_path_buf()),
            authority: file.authority,
            department: file.department,
            published,
            contact: file.contact.filter(|c| !c.trim().is_empty()),
            data_dir: resolve(&file.data.dir),
            mapping,
            settings,
            calendar,
            narrative: resolve(&file.report.narrative),
            templates: resolve(&file.report.templates),
            policy: policy(&file.publication).map_err(invalid)?,
        })
    }
}

/// The publication policy: defaults, with what `[publication]` changes.
fn policy(section: &PublicationSection) -> std::result::Result<Policy, String> {
    let defaults = Policy::default();
    let suppress_below = section.suppress_below.unwrap_or(defaults.suppress_below);
    let protection = section
        .protection
        .unwrap_or(suppress_below.saturating_sub(1).max(2));
    if suppress_below > 1 && protection < 2 {
        return Err("[publication] protection must be at least 2: a hidden count that can take one value is not hidden".into());
    }
    Ok(Policy {
        suppress_below,
        protection,
        ombudsman_public: matches!(section.ombudsman, Some(OmbudsmanPolicy::Public)),
        group_small: section.group_small.unwrap_or(defaults.group_small),
    })
}

/// The configured role lists, or the defaults where a list is not given. A label renamed for
/// the report keeps its role: the lists are matched after renaming, so they are renamed too.
fn roles(labels: &LabelsSection, renames: &HashMap<String, String>) -> Roles {
    let defaults = Roles::default();
    let renamed = |list: Vec<String>| -> Vec<String> {
        let mut out = list.clone();
        for label in &list {
            let key = crate::load::labels::label_key(label);
            out.extend(
                renames
                    .iter()
                    .filter(|(from, _)| crate::load::labels::label_key(from) == key)
                    .map(|(_, to)| to.clone()),
            );
        }
        out
    };
    let pick = |given: &Option<Vec<String>>, default: &Vec<String>| {
        renamed(given.clone().unwrap_or_else(|| default.clone()))
    };
    let outcome = labels.outcome.as_ref();
    let mut outcomes = BTreeMap::new();
    for role in OutcomeRole::ALL {
        let given = outcome.and_then(|o| match role {
            OutcomeRole::Upheld => o.upheld.clone(),
            OutcomeRole::PartiallyUpheld => o.partially_upheld.clone(),
            OutcomeRole::NotUpheld => o.not_upheld.clone(),
            OutcomeRole::Withdrawn => o.withdrawn.clone(),
        });
        outcomes.insert(role, pick(&given, &defaults.outcomes[&role]));
    }
    Roles {
        outcomes,
        young_person: pick(&labels.young_person, &defaults.young_person),
        ombudsman: pick(&labels.ombudsman, &defaults.ombudsman),
        refused: pick(&labels.refused, &defaults.refused),
        statutory: labels.statutory.clone(),
    }
}

#[cfg(test)]
mod tests;
