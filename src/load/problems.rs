//! Everything wrong with the data, collected rather than stopping at the first: a user fixing an
//! export wants the whole list in one go.

use std::fmt;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub severity: Severity,
    /// The file's name as the user knows it, e.g. `representations.csv`.
    pub file: String,
    /// 1-based, counting the header as line 1, as a text editor shows it.
    pub line: Option<u64>,
    pub column: Option<String>,
    pub message: String,
}

impl fmt::Display for Problem {
    /// `representations.csv:5: received: unreadable date '31/02/2022' …`, the form editors and
    /// CI logs turn into links.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": ")?;
        if let Some(column) = &self.column {
            write!(f, "{column}: ")?;
        }
        if self.severity == Severity::Warning {
            write!(f, "warning: ")?;
        }
        write!(f, "{}", self.message)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Problems {
    items: Vec<Problem>,
}

impl Problems {
    pub fn error(
        &mut self,
        file: &str,
        line: Option<u64>,
        column: Option<&str>,
        message: impl Into<String>,
    ) {
        self.add(Severity::Error, file, line, column, message);
    }

    pub fn warning(
        &mut self,
        file: &str,
        line: Option<u64>,
        column: Option<&str>,
        message: impl Into<String>,
    ) {
        self.add(Severity::Warning, file, line, column, message);
    }

    fn add(
        &mut self,
        severity: Severity,
        file: &str,
        line: Option<u64>,
        column: Option<&str>,
        message: impl Into<String>,
    ) {
        self.items.push(Problem {
            severity,
            file: file.to_string(),
            line,
            column: column.map(str::to_string),
            message: message.into(),
        });
    }

    pub fn extend(&mut self, other: Problems) {
        self.items.extend(other.items);
    }

    /// Errors first, then by file and line, so the list reads like the files.
    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| {
            (a.severity, &a.file, a.line.unwrap_or(0)).cmp(&(
                b.severity,
                &b.file,
                b.line.unwrap_or(0),
            ))
        });
    }

    pub fn iter(&self) -> impl Iterator<Item = &Problem> {
        self.items.iter()
    }

    pub fn errors(&self) -> impl Iterator<Item = &Problem> {
        self.items.iter().filter(|p| p.severity == Severity::Error)
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Problem> {
        self.items
            .iter()
            .filter(|p| p.severity == Severity::Warning)
    }

    pub fn error_count(&self) -> usize {
        self.errors().count()
    }

    pub fn warning_count(&self) -> usize {
        self.warnings().count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_print_as_file_line_column_message() {
        let mut problems = Problems::default();
        problems.error(
            "representations.csv",
            Some(5),
            Some("received"),
            "unreadable date '31/02/2022'",
        );
        problems.warning(
            "representations.csv",
            Some(7),
            Some("acknowledged"),
            "after the response",
        );
        problems.error(
            "representations.csv",
            None,
            None,
            "missing required column 'received'",
        );
        problems.sort();
        let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            vec![
                "representations.csv: missing required column 'received'",
                "representations.csv:5: received: unreadable date '31/02/2022'",
                "representations.csv:7: acknowledged: warning: after the response",
            ]
        );
        assert_eq!(problems.error_count(), 2);
        assert_eq!(problems.warning_count(), 1);
    }
}
