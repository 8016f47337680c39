//! Everything wrong with the data, collected rather than stopping at the first: a user fixing an
//! export wants the whole list in one go.
//!
//! A problem is typed — file, line, column, kind and the offending value — and carries two
//! texts: the full one for the people who fix the export, and a public one that never contains
//! the value or a date from a case. Public output picks the public text by field; it never tries
//! to strip values out of a message.

use std::fmt;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// What is wrong, for code and tests to match on (the message says it for people).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    // About the whole file: `--skip-invalid` cannot skip these.
    /// Not a text file at all: a workbook, an image, a PDF.
    NotText,
    /// No header row.
    Empty,
    /// A header but no rows.
    NoRows,
    MissingColumn,
    MappedColumnMissing,
    DuplicateHeader,
    /// Decoded from another encoding than UTF-8.
    Encoding,
    /// Lines before the header row, or blank lines: read past, and listed.
    SkippedLines,
    /// Dates in a column that are all ambiguous between day/month and month/day.
    DateOrder,
    /// The requested period has no rows, or a year inside the data has none.
    EmptyPeriod,

    // About one row.
    /// A quote that swallows what look like whole rows: a closing quote is missing.
    StrayQuote,
    /// A quote that never closes before the end of the file.
    UnclosedQuote,
    /// A line break inside a column that is not free text.
    LineBreak,
    FieldCount,
    BadValue,
    MissingValue,
    /// Dates in the wrong order within a row.
    Sequence,
    DuplicateReference,
    MissingEarlierStage,
    OutsideCalendar,
    FutureDate,
    /// A value longer than an output format can hold.
    LongValue,
    /// Raw HTML in the narrative, shown as text.
    NarrativeHtml,
}

impl Kind {
    /// Problems with the file as a whole: no row can be trusted until they are fixed, so
    /// `--skip-invalid` never skips them.
    pub fn is_about_the_file(self) -> bool {
        matches!(
            self,
            Kind::NotText
                | Kind::Empty
                | Kind::NoRows
                | Kind::MissingColumn
                | Kind::MappedColumnMissing
                | Kind::DuplicateHeader
                | Kind::EmptyPeriod
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub severity: Severity,
    pub kind: Kind,
    /// The file's name as the user knows it, e.g. `representations.csv`.
    pub file: String,
    /// 1-based, counting the header as line 1, as a text editor shows it.
    pub line: Option<u64>,
    pub column: Option<String>,
    /// The cell as written, when the problem is about one value. Never published.
    #[serde(skip)]
    pub value: Option<String>,
    /// What is wrong, quoting the value where that helps.
    pub message: String,
    /// What is wrong with no value and no case date in it, for public output.
    #[serde(skip)]
    pub public_message: String,
}

impl Problem {
    pub fn new(severity: Severity, kind: Kind, file: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        Problem {
            severity,
            kind,
            file: file.to_string(),
            line: None,
            column: None,
            value: None,
            public_message: message.clone(),
            message,
        }
    }

    pub fn at(mut self, line: u64) -> Self {
        self.line = Some(line);
        self
    }

    pub fn in_column(mut self, column: &str) -> Self {
        self.column = Some(column.to_string());
        self
    }

    /// The offending value, and the message to publish instead of the full one.
    pub fn with_value(mut self, value: &str, public_message: impl Into<String>) -> Self {
        self.value = Some(value.to_string());
        self.public_message = public_message.into();
        self
    }

    /// A public text for a message that holds case dates or other case detail but no single
    /// offending value.
    pub fn in_public(mut self, public_message: impl Into<String>) -> Self {
        self.public_message = public_message.into();
        self
    }

    /// `file:line: column: [warning: ]message`, with the public text.
    pub fn public(&self) -> String {
        self.render(&self.public_message)
    }

    fn render(&self, message: &str) -> String {
        let mut out = self.file.clone();
        if let Some(line) = self.line {
            out.push_str(&format!(":{line}"));
        }
        out.push_str(": ");
        if let Some(column) = &self.column {
            out.push_str(column);
            out.push_str(": ");
        }
        if self.severity == Severity::Warning {
            out.push_str("warning: ");
        }
        out.push_str(message);
        out
    }
}

impl fmt::Display for Problem {
    /// `representations.csv:5: received: unreadable date '31/02/2022' …`, the form editors and
    /// CI logs turn into links.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(&self.message))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Problems {
    items: Vec<Problem>,
}

impl Problems {
    pub fn push(&mut self, problem: Problem) {
        self.items.push(problem);
    }

    pub fn error(&mut self, kind: Kind, file: &str, message: impl Into<String>) -> &mut Problem {
        self.items
            .push(Problem::new(Severity::Error, kind, file, message));
        self.items.last_mut().expect("just pushed")
    }

    pub fn warning(&mut self, kind: Kind, file: &str, message: impl Into<String>) -> &mut Problem {
        self.items
            .push(Problem::new(Severity::Warning, kind, file, message));
        self.items.last_mut().expect("just pushed")
    }

    pub fn extend(&mut self, other: Problems) {
        self.items.extend(other.items);
    }

    /// Moves every problem's line down by `lines`: the problems of a part of a file read from
    /// further down, which numbered its lines from its own top.
    pub(crate) fn move_down(&mut self, lines: u64) {
        for line in self.items.iter_mut().filter_map(|p| p.line.as_mut()) {
            *line += lines;
        }
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

    /// Errors about whole files, which no row-skipping can get round.
    pub fn file_errors(&self) -> impl Iterator<Item = &Problem> {
        self.errors().filter(|p| p.kind.is_about_the_file())
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// Why one cell could not be read: the full text, and the text to publish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellError {
    pub message: String,
    pub public: String,
}

impl CellError {
    /// A message that names the value; `public` says the same without it.
    pub fn new(message: impl Into<String>, public: impl Into<String>) -> Self {
        CellError {
            message: message.into(),
            public: public.into(),
        }
    }
}

impl fmt::Display for CellError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_print_as_file_line_column_message() {
        let mut problems = Problems::default();
        problems
            .error(
                Kind::BadValue,
                "representations.csv",
                "unreadable date '31/02/2022'",
            )
            .line = Some(5);
        problems.push(
            Problem::new(
                Severity::Warning,
                Kind::Sequence,
                "representations.csv",
                "after the response",
            )
            .at(7)
            .in_column("acknowledged"),
        );
        problems.error(
            Kind::MissingColumn,
            "representations.csv",
            "missing required column 'received'",
        );
        problems.sort();
        let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            vec![
                "representations.csv: missing required column 'received'",
                "representations.csv:5: unreadable date '31/02/2022'",
                "representations.csv:7: acknowledged: warning: after the response",
            ]
        );
        assert_eq!(problems.error_count(), 2);
        assert_eq!(problems.warning_count(), 1);
        assert_eq!(problems.file_errors().count(), 1);
    }

    /// A value with an apostrophe, such as a name, is left out whole: the public text is chosen
    /// by field, not cut out of the message at quote marks.
    #[test]
    fn the_public_text_never_holds_the_value() {
        let problem = Problem::new(
            Severity::Error,
            Kind::BadValue,
            "representations.csv",
            "stage must be 1, 2 or 3 or blank, not 'Mrs O'Neill'",
        )
        .at(4)
        .in_column("stage")
        .with_value("Mrs O'Neill", "stage must be 1, 2 or 3 or blank");
        assert_eq!(
            problem.public(),
            "representations.csv:4: stage: stage must be 1, 2 or 3 or blank"
        );
        assert!(!problem.public().contains("Neill"));
        assert!(problem.to_string().contains("Mrs O'Neill"));
    }
}
