//! `report init [DIR]`: a commented `report.toml`, a narrative skeleton and, with `--templates`,
//! the built-in templates to edit — never overwriting a file without `--force`.

use std::fmt::Write;
use std::path::PathBuf;

use crate::config;
use crate::error::{Error, Result};
use crate::render::templates::BUILT_IN;

use super::Outcome;

pub struct InitOptions {
    pub dir: PathBuf,
    pub templates: bool,
    pub force: bool,
}

/// The narrative file's named sections, each with a comment saying what goes there. Comments
/// are not text: a section left as it is stays out of the report.
pub const NARRATIVE_SKELETON: &str = "\
<!--
  Your own words for the annual report. Each \"## \" section is placed at its named spot:
  Introduction before the key findings; Observations, Progress on last year's recommendations
  and Recommendations after the figures; any other heading after those. A section holding only
  these comments is left out. This is published: write no names and nothing that could
  identify a child or family.
-->

## Introduction

<!-- What the report covers, who it is for, and anything that changed in the year. -->

## Observations

<!-- What the figures show: trends, themes, anything the committee should notice. -->

## Progress on last year's recommendations

<!-- Each of last year's recommendations and what has happened since. -->

## Recommendations

<!-- What the service will do in the coming year, with dates. -->
";

pub fn run(options: &InitOptions) -> Result<Outcome> {
    let mut files: Vec<(PathBuf, String)> = vec![
        (options.dir.join(config::FILE_NAME), config::init_text()),
        (
            options.dir.join("narrative.md"),
            NARRATIVE_SKELETON.to_string(),
        ),
    ];
    if options.templates {
        files.extend(
            BUILT_IN
                .iter()
                .map(|(name, text)| (options.dir.join("templates").join(name), text.to_string())),
        );
    }
    if !options.force {
        let existing: Vec<String> = files
            .iter()
            .filter(|(path, _)| path.exists())
            .map(|(path, _)| path.display().to_string())
            .collect();
        if !existing.is_empty() {
            return Err(Error::Usage(format!(
                "{} already exist{}; nothing was written (use --force to replace)",
                existing.join(", "),
                if existing.len() == 1 { "s" } else { "" }
            )));
        }
    }
    for (path, text) in &files {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| Error::Write {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        std::fs::write(path, text).map_err(|source| Error::Write {
            path: path.clone(),
            source,
        })?;
    }
    let mut out = String::new();
    let _ = writeln!(out, "Wrote {}:", options.dir.display());
    let _ = writeln!(
        out,
        "  report.toml   how to read your export; every key commented with its default"
    );
    let _ = writeln!(out, "  narrative.md  your own words, in named sections");
    if options.templates {
        let _ = writeln!(
            out,
            "  templates/    the built-in templates ({}), to edit; set [report] templates = \"templates\"",
            BUILT_IN.len()
        );
    }
    let _ = writeln!(
        out,
        "Next: point [data] dir at your export, run `report check` and map what it lists."
    );
    Ok(Outcome {
        stdout: out,
        exit_code: 0,
    })
}
