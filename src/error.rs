//! The library's errors. Data problems carry their `file:line: column:` list; everything else
//! says which file or setting is at fault. `main` prints the whole chain.

use std::fmt;
use std::path::PathBuf;

use crate::calendar::CalendarError;
use crate::load::problems::Problems;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the data folder {} does not exist", .0.display())]
    NoDataFolder(PathBuf),

    #[error("{} not found: a data folder must hold the representations file", .0.display())]
    MissingRepresentations(PathBuf),

    #[error("cannot read {}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("cannot write {}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{}", InvalidDataMessage(.0))]
    InvalidData(Problems),

    #[error("{0}")]
    Usage(String),

    #[error("{}: {message}", path.display())]
    Config { path: PathBuf, message: String },

    #[error("{0}")]
    Render(String),

    /// The public edition would let a hidden count be worked out: nothing public is written.
    #[error("the public edition is not safe to publish: {0}")]
    Disclosure(String),

    #[error("template {name}: {message}")]
    Template { name: String, message: String },

    #[error(transparent)]
    Calendar(#[from] CalendarError),

    #[error("computing the figures failed")]
    Polars(#[from] polars::error::PolarsError),
}

impl Error {
    /// 1 for problems in the data, 2 for anything the user must fix elsewhere (arguments,
    /// configuration, missing or unwritable files).
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::InvalidData(_) => 1,
            _ => 2,
        }
    }
}

struct InvalidDataMessage<'a>(&'a Problems);

impl fmt::Display for InvalidDataMessage<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.0.error_count();
        writeln!(
            f,
            "the data has {count} error{}:",
            if count == 1 { "" } else { "s" }
        )?;
        for problem in self.0.errors() {
            writeln!(f, "  {problem}")?;
        }
        let periods_only = self
            .0
            .errors()
            .all(|p| p.kind == crate::load::problems::Kind::EmptyPeriod);
        if periods_only {
            write!(
                f,
                "choose a period the data covers, or check that the export is complete"
            )
        } else if self.0.file_errors().next().is_some() {
            write!(
                f,
                "fix them: problems with a whole file cannot be skipped with --skip-invalid"
            )
        } else {
            write!(
                f,
                "fix them, or run with --skip-invalid to leave those rows out"
            )
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
