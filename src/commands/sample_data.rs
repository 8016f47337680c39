//! `report sample-data`: write the synthetic authority's data folder.

use std::fmt::Write;
use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::load::contract::Source;
use crate::sample::{self, SampleOptions};

use super::Outcome;

pub struct SampleDataOptions {
    pub out: PathBuf,
    pub sample: SampleOptions,
    pub force: bool,
}

pub fn run(options: &SampleDataOptions) -> Result<Outcome> {
    if options.sample.scale == 0 {
        return Err(Error::Usage("--scale must be at least 1".into()));
    }
    if !options.force {
        let existing: Vec<String> = Source::ALL
            .iter()
            .map(|s| s.default_file_name())
            .chain([crate::sample::NARRATIVE_FILE])
            .map(|name| options.out.join(name))
            .filter(|p| p.exists())
            .map(|p| p.display().to_string())
            .collect();
        if !existing.is_empty() {
            return Err(Error::Usage(format!(
                "{} already exists; use --force to replace it",
                existing.join(", ")
            )));
        }
    }
    std::fs::create_dir_all(&options.out).map_err(|source| Error::Write {
        path: options.out.clone(),
        source,
    })?;
    let counts = sample::generate(&options.sample, &options.out)?;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Wrote {} (seed {}, scale {}):\n  representations.csv  {} rows\n  compliments.csv      {} rows\n  actions.csv          {} rows\n  context.csv          {} rows\n  training.csv         {} rows",
        options.out.display(),
        options.sample.seed,
        options.sample.scale,
        counts.representations,
        counts.compliments,
        counts.actions,
        counts.context,
        counts.training
    );
    Ok(Outcome {
        stdout: out,
        exit_code: 0,
    })
}
