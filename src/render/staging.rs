//! Writing a report into its output folder all or nothing, through a hidden staging folder
//! beside it.

use std::path::{Path, PathBuf};

use super::{RenderOptions, output, render};
use crate::error::{Error, Result};
use crate::figures::model::Report;

/// Writes the report into `out` all or nothing: everything is rendered into a hidden folder
/// beside it, which replaces `out` only once every file is written. A failed run leaves the
/// previous report as it was, and no half-written one. `out` must pass `output::check` against
/// `inputs`: the tool replaces only folders it may. Returns the files, as paths under `out`.
pub fn publish(
    report: &Report,
    out: &Path,
    options: &RenderOptions,
    inputs: &[output::Input],
) -> Result<Vec<PathBuf>> {
    output::check(out, inputs)?;
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(|source| Error::Write {
        path: parent.clone(),
        source,
    })?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| Error::Usage(format!("{} is not a folder name", out.display())))?;
    let staging = parent.join(format!(".{name}.partial-{}", std::process::id()));
    let previous = parent.join(format!(".{name}.previous-{}", std::process::id()));
    let discard = |path: &Path| {
        let _ = std::fs::remove_dir_all(path);
    };
    discard(&staging);
    std::fs::create_dir_all(&staging).map_err(|source| Error::Write {
        path: out.to_path_buf(),
        source,
    })?;

    let rendered = render(report, &staging, options).and_then(|written| {
        let relative: Vec<String> = written
            .iter()
            .filter_map(|p| p.strip_prefix(&staging).ok())
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .collect();
        let manifest = output::Manifest::new(relative.clone());
        std::fs::write(staging.join(output::MANIFEST), manifest.to_json()).map_err(|source| {
            Error::Write {
                path: staging.join(output::MANIFEST),
                source,
            }
        })?;
        Ok(relative)
    });
    let written = match rendered {
        Ok(written) => written,
        Err(error) => {
            discard(&staging);
            return Err(relocated(error, &staging, out));
        }
    };
    let swap = || -> std::io::Result<()> {
        if out.exists() {
            std::fs::rename(out, &previous)?;
            if let Err(error) = std::fs::rename(&staging, out) {
                // Put the old report back before giving up.
                let _ = std::fs::rename(&previous, out);
                return Err(error);
            }
            discard(&previous);
            Ok(())
        } else {
            std::fs::rename(&staging, out)
        }
    };
    if let Err(source) = swap() {
        discard(&staging);
        return Err(Error::Write {
            path: out.to_path_buf(),
            source,
        });
    }
    Ok(written.iter().map(|relative| out.join(relative)).collect())
}

/// An error about a file in the hidden staging folder, told about the same file under `out`,
/// the folder the user named.
fn relocated(error: Error, staging: &Path, out: &Path) -> Error {
    let moved = |path: PathBuf| match path.strip_prefix(staging) {
        Ok(relative) => out.join(relative),
        Err(_) => path,
    };
    match error {
        Error::Write { path, source } => Error::Write {
            path: moved(path),
            source,
        },
        Error::Read { path, source } => Error::Read {
            path: moved(path),
            source,
        },
        other => other,
    }
}
