//! Where a report may be written. A run replaces its output folder whole, so the folder must be
//! one the tool may replace: new, empty, or holding a report this tool wrote (its manifest says
//! so and names every file). It must never be, hold, or sit inside what the user owns and the
//! run reads: the data, the config, the templates, the narrative.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The file that marks a folder as written by this tool.
pub const MANIFEST: &str = ".report-manifest.json";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub tool: String,
    pub version: String,
    /// Every file written, relative to the folder, `/`-separated, sorted.
    pub files: Vec<String>,
}

impl Manifest {
    pub fn new(files: Vec<String>) -> Manifest {
        let mut files = files;
        files.sort();
        Manifest {
            tool: "report".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            files,
        }
    }

    pub fn to_json(&self) -> String {
        format!(
            "{}\n",
            serde_json::to_string_pretty(self).expect("a manifest serialises")
        )
    }
}

/// Something the run reads, which the output must stay clear of.
pub struct Input<'a> {
    /// "the data folder", "the config file"…
    pub what: &'static str,
    pub path: &'a Path,
}

/// The folder `out` refers to, made absolute, `..` resolved through the nearest part that
/// exists (so symbolic links there are followed) and lexically after it.
pub fn resolved(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .unwrap_or_else(|_| PathBuf::from("/"))
            .join(path)
    };
    let mut existing = absolute.clone();
    let mut rest: Vec<std::ffi::OsString> = Vec::new();
    loop {
        if let Ok(canonical) = existing.canonicalize() {
            let mut out = canonical;
            for part in rest.iter().rev() {
                match Path::new(part).components().next() {
                    Some(Component::ParentDir) => {
                        out.pop();
                    }
                    Some(Component::CurDir) => {}
                    _ => out.push(part),
                }
            }
            return out;
        }
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => {
                // `..` as the last part has no file name: step up through it.
                if existing.ends_with("..") {
                    rest.push("..".into());
                    existing.pop();
                    continue;
                }
                return absolute;
            }
        }
    }
}

/// Refuses an `--out` that is, holds or sits inside an input, or that already holds files
/// this tool did not write.
pub fn check(out: &Path, inputs: &[Input]) -> Result<()> {
    let target = resolved(out);
    for input in inputs {
        let input_path = resolved(input.path);
        let relation = if target == input_path {
            Some("is")
        } else if target.starts_with(&input_path) {
            Some("is inside")
        } else if input_path.starts_with(&target) {
            Some("contains")
        } else {
            None
        };
        if let Some(relation) = relation {
            return Err(Error::Usage(format!(
                "--out {} {relation} {} ({}); the report replaces its output folder whole, so it must be a folder of its own, such as out/",
                out.display(),
                input.what,
                input.path.display()
            )));
        }
    }
    if !out.exists() {
        return Ok(());
    }
    if !out.is_dir() {
        return Err(Error::Usage(format!(
            "--out {} exists and is not a folder",
            out.display()
        )));
    }
    let present = files_in(out).map_err(|source| Error::Read {
        path: out.to_path_buf(),
        source,
    })?;
    if present.is_empty() {
        return Ok(());
    }
    let written: BTreeSet<String> = match std::fs::read_to_string(out.join(MANIFEST)) {
        Ok(text) => match serde_json::from_str::<Manifest>(&text) {
            Ok(manifest) if manifest.tool == "report" => manifest.files.into_iter().collect(),
            _ => BTreeSet::new(),
        },
        Err(_) => BTreeSet::new(),
    };
    let foreign: Vec<&String> = present
        .iter()
        .filter(|f| f.as_str() != MANIFEST && !written.contains(*f))
        .collect();
    if foreign.is_empty() {
        return Ok(());
    }
    let shown: Vec<String> = foreign.iter().take(5).map(|f| f.to_string()).collect();
    let more = if foreign.len() > 5 {
        format!(" and {} more", foreign.len() - 5)
    } else {
        String::new()
    };
    let why = if written.is_empty() {
        "it is not a report this tool wrote"
    } else {
        "it holds files the last report did not write"
    };
    Err(Error::Usage(format!(
        "--out {} already holds {} ({}{more}) and {why}; the report replaces its output folder whole, so give a new or empty folder",
        out.display(),
        crate::commands::check::plural(foreign.len(), "file"),
        shown.join(", ")
    )))
}

/// Every file under `dir`, relative and `/`-separated, sorted; folders are not listed.
pub fn files_in(dir: &Path) -> std::io::Result<Vec<String>> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder)? {
            let path = entry?.path();
            if path.is_dir() && !path.is_symlink() {
                pending.push(path);
            } else {
                let relative = path.strip_prefix(dir).expect("listed under dir");
                files.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parents_and_dots_are_resolved() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        std::fs::create_dir_all(&data).unwrap();
        let root = dir.path().canonicalize().unwrap();
        assert_eq!(resolved(&data.join("..")), root);
        assert_eq!(
            resolved(&data.join("../new/report")),
            root.join("new/report")
        );
        assert_eq!(resolved(&data.join("./x/../y")), root.join("data/y"));
    }

    #[test]
    fn an_output_overlapping_an_input_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        std::fs::create_dir_all(&data).unwrap();
        let inputs = [Input {
            what: "the data folder",
            path: &data,
        }];
        for out in [
            data.clone(),
            data.join("out"),
            dir.path().to_path_buf(),
            data.join(".."),
        ] {
            let err = check(&out, &inputs).unwrap_err().to_string();
            assert!(err.contains("the data folder"), "{}: {err}", out.display());
        }
        assert!(check(&dir.path().join("out"), &inputs).is_ok());
    }

    #[test]
    fn only_new_empty_or_own_folders_are_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        assert!(check(&out, &[]).is_ok(), "new");
        std::fs::create_dir_all(&out).unwrap();
        assert!(check(&out, &[]).is_ok(), "empty");
        std::fs::write(out.join("report.md"), "x").unwrap();
        let err = check(&out, &[]).unwrap_err().to_string();
        assert!(err.contains("already holds 1 file (report.md)"), "{err}");
        std::fs::write(
            out.join(MANIFEST),
            Manifest::new(vec!["report.md".into()]).to_json(),
        )
        .unwrap();
        assert!(check(&out, &[]).is_ok(), "our own report");
        std::fs::write(out.join("minutes.docx"), "x").unwrap();
        let err = check(&out, &[]).unwrap_err().to_string();
        assert!(err.contains("minutes.docx"), "{err}");
        assert!(
            err.contains("holds files the last report did not write"),
            "{err}"
        );
    }
}
