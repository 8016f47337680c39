//! What every document command shares: reading the data, choosing the as-at date, building the
//! document from its spec, and writing it where it is safe to.

use std::collections::BTreeSet;
use std::fmt::Write;
use std::path::PathBuf;

use chrono::NaiveDate;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::figures::model::{Audience, InputFile, SectionBody};
use crate::figures::{self, DocumentSpec, ReportOptions};
use crate::load::{self, LoadOptions};
use crate::period::{Kind, Period, long_date};
use crate::render::{self, Format, RenderOptions, output};

use super::Outcome;
use super::check::plural;

/// The command line's choices; each `None` falls back to the config, then the default.
pub struct DocumentOptions {
    pub spec: &'static DocumentSpec,
    pub period: Period,
    pub data_dir: Option<PathBuf>,
    pub out_dir: Option<PathBuf>,
    pub formats: BTreeSet<Format>,
    /// The narrative file; by default the config's, else `narrative.md` beside the data.
    pub narrative: Option<PathBuf>,
    pub templates_dir: Option<PathBuf>,
    pub skip_invalid: bool,
    /// By default the document's own: public for the annual report, internal for the packs.
    pub audience: Option<Audience>,
    /// The date figures are as at; by default the latest date in the data.
    pub as_at: Option<NaiveDate>,
    /// Allow a period that had not ended by the as-at date, marking the document provisional.
    pub provisional: bool,
    pub config: Config,
    /// The command as typed, for the report's provenance.
    pub command: String,
}

impl DocumentOptions {
    /// `out/2024-25`, `out/2025-26-Q1`, `out/bulletin-2025-26-Q1`, `out/2019-10-01-to-2020-03-31`.
    pub fn out_dir(&self) -> PathBuf {
        self.out_dir.clone().unwrap_or_else(|| {
            let period = match self.period.kind {
                Kind::Range => format!("{}-to-{}", self.period.start, self.period.end),
                _ => self.period.label.replace(' ', "-"),
            };
            let name = match self.spec.kind {
                "annual" | "quarterly" | "period" => period,
                kind => format!("{kind}-{period}"),
            };
            PathBuf::from("out").join(name)
        })
    }

    fn audience(&self) -> Audience {
        self.audience.unwrap_or(self.spec.default_audience)
    }
}

pub fn run(options: &DocumentOptions) -> Result<Outcome> {
    let config = &options.config;
    let audience = options.audience();
    let data_dir = super::data_dir(options.data_dir.as_ref(), config);
    let out_dir = options.out_dir();
    let narrative_file = options
        .narrative
        .clone()
        .or_else(|| config.narrative.clone());
    let templates_dir = options
        .templates_dir
        .as_deref()
        .or(config.templates.as_deref());
    let default_narrative = data_dir.join("narrative.md");
    let mut inputs = vec![output::Input {
        what: "the data folder",
        path: &data_dir,
    }];
    if let Some(path) = &config.path {
        inputs.push(output::Input {
            what: "the config file",
            path,
        });
    }
    if let Some(path) = templates_dir {
        inputs.push(output::Input {
            what: "the templates folder",
            path,
        });
    }
    inputs.push(output::Input {
        what: "the narrative file",
        path: narrative_file.as_deref().unwrap_or(&default_narrative),
    });
    // Before any work: a refused --out should not wait for a million rows to load.
    output::check(&out_dir, &inputs)?;
    if !data_dir.is_dir() {
        return Err(Error::NoDataFolder(data_dir));
    }
    // Dates after a stated as-at date are warned about; with none, the data's latest date is
    // the as-at date, and nothing is after it.
    let dataset = load::load(&LoadOptions {
        data_dir: &data_dir,
        mapping: &config.mapping,
        calendar: &config.calendar,
        today: options.as_at.unwrap_or(NaiveDate::MAX),
        quoted: &options.spec.quoted(audience),
    })?;
    super::stop_on_errors(&dataset.problems, options.skip_invalid)?;
    let as_at = options
        .as_at
        .or_else(|| dataset.latest_date())
        .unwrap_or(options.period.end);
    let provisional = options.period.end > as_at;
    if provisional && !options.provisional {
        return Err(Error::Usage(format!(
            "{} ends on {}, after the data's as-at date ({}{}): its figures would be incomplete. If the export was made after the period ended, give its date with --as-at YYYY-MM-DD; to make a provisional {}, marked as such, run with --provisional; or choose a period that has ended",
            options.period.label,
            long_date(options.period.end),
            long_date(as_at),
            if options.as_at.is_some() {
                ""
            } else {
                ", the latest date in the data"
            },
            options.spec.name.to_lowercase()
        )));
    }
    if let Some(problem) = dataset.period_problem(&options.period) {
        let mut problems = crate::load::problems::Problems::default();
        problems.push(problem);
        return Err(Error::InvalidData(problems));
    }
    let narrative = read_narrative(narrative_file.clone(), &data_dir)?;
    let report = figures::build(
        options.spec,
        &dataset,
        &ReportOptions {
            period: options.period.clone(),
            settings: &config.settings,
            calendar: &config.calendar,
            narrative,
            authority: config.authority.clone(),
            department: config.department.clone(),
            published: config.published,
            contact: config.contact.clone(),
            command: options.command.clone(),
            as_at,
            provisional,
            audience,
            policy: config.policy.clone(),
            config: config_fingerprint(config)?,
        },
    )?;

    let written = render::publish(
        &report,
        &out_dir,
        &RenderOptions {
            formats: &options.formats,
            templates_dir,
        },
        &inputs,
    )?;

    let edition = match audience {
        Audience::Public => "public edition",
        Audience::Internal => "internal edition, not for publication",
    };
    let provisional = if provisional { ", provisional" } else { "" };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Wrote the {} {} ({edition}{provisional}) to {}:",
        options.period.label,
        options.spec.name.to_lowercase(),
        out_dir.display()
    );
    let count = |prefix: &str| {
        written
            .iter()
            .filter(|p| {
                p.strip_prefix(&out_dir)
                    .is_ok_and(|r| r.starts_with(prefix))
            })
            .count()
    };
    for name in [
        "report.md",
        "report.html",
        "figures.json",
        "data-appendix.xlsx",
    ] {
        if written.iter().any(|p| p.ends_with(name)) {
            let _ = writeln!(out, "  {name}");
        }
    }
    for (folder, noun) in [("tables", "table"), ("charts", "chart")] {
        let n = count(folder);
        if n > 0 {
            let _ = writeln!(out, "  {folder}/  {}", plural(n, noun));
        }
    }
    let excluded: usize = dataset.files.iter().map(|f| f.excluded.len()).sum();
    if excluded > 0 {
        let _ = writeln!(
            out,
            "{} left out because of errors; the report's data quality section lists them.",
            plural(excluded, "row")
        );
    }
    // The report marks where missing recommendations go; the command says so too.
    let recommendations_missing = report.sections.iter().any(|section| {
        matches!(&section.body, SectionBody::Narrative { markdown }
            if markdown == crate::figures::narrative::MISSING_RECOMMENDATIONS)
    });
    if recommendations_missing {
        let _ = writeln!(
            out,
            "Narrative: no `## Recommendations` section, so the report marks where the council's recommendations go."
        );
    }
    if audience == Audience::Public {
        for (missing, key) in [
            (config.authority.is_none(), "authority"),
            (config.published.is_none(), "published"),
            (config.contact.is_none(), "contact"),
        ] {
            if missing {
                let _ = writeln!(
                    out,
                    "Cover: report.toml sets no `{key}`, so the cover shows a gap to fill."
                );
            }
        }
    }
    let warnings = report.warnings.len();
    if warnings > 0 {
        let _ = writeln!(
            out,
            "{}: run `report check` to see them.",
            plural(warnings, "warning")
        );
    }
    Ok(Outcome {
        stdout: out,
        exit_code: 0,
    })
}

/// The config file's name and SHA-256, so a report shows which rules made it.
fn config_fingerprint(config: &Config) -> Result<Option<InputFile>> {
    let Some(path) = &config.path else {
        return Ok(None);
    };
    let bytes = std::fs::read(path).map_err(|source| Error::Read {
        path: path.clone(),
        source,
    })?;
    Ok(Some(InputFile {
        name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        sha256: crate::load::read::sha256_hex(&bytes),
        rows: 0,
    }))
}

/// A narrative file that was asked for must exist; the default beside the data is optional.
/// Returns its name (as messages name it) and its text.
pub fn read_narrative(
    asked: Option<PathBuf>,
    data_dir: &std::path::Path,
) -> Result<Option<(String, String)>> {
    let (path, required) = match asked {
        Some(path) => (path, true),
        None => (data_dir.join("narrative.md"), false),
    };
    if !path.is_file() {
        return if required {
            Err(Error::Usage(format!(
                "the narrative file {} does not exist",
                path.display()
            )))
        } else {
            Ok(None)
        };
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    std::fs::read_to_string(&path)
        .map(|text| Some((name, text)))
        .map_err(|source| Error::Read { path, source })
}
