//! The canonical data contract: which files a data folder holds, their columns, and what each
//! column's values must look like. Parsing, validation, the generated sample data and
//! `docs/data.md` all follow this one table.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Source {
    Representations,
    Compliments,
    Actions,
    Context,
    Training,
    OmbudsmanReview,
}

impl Source {
    pub const ALL: [Source; 6] = [
        Source::Representations,
        Source::Compliments,
        Source::Actions,
        Source::Context,
        Source::Training,
        Source::OmbudsmanReview,
    ];

    /// The name the file has in a data folder unless the configuration says otherwise.
    pub fn default_file_name(self) -> &'static str {
        match self {
            Source::Representations => "representations.csv",
            Source::Compliments => "compliments.csv",
            Source::Actions => "actions.csv",
            Source::Context => "context.csv",
            Source::Training => "training.csv",
            Source::OmbudsmanReview => "ombudsman-review.csv",
        }
    }

    /// The key used for this file in `report.toml` and in `figures.json`.
    pub fn key(self) -> &'static str {
        match self {
            Source::Representations => "representations",
            Source::Compliments => "compliments",
            Source::Actions => "actions",
            Source::Context => "context",
            Source::Training => "training",
            Source::OmbudsmanReview => "ombudsman_review",
        }
    }

    pub fn is_required(self) -> bool {
        self == Source::Representations
    }

    pub fn columns(self) -> &'static [ColumnSpec] {
        match self {
            Source::Representations => REPRESENTATIONS,
            Source::Compliments => COMPLIMENTS,
            Source::Actions => ACTIONS,
            Source::Context => CONTEXT,
            Source::Training => TRAINING,
            Source::OmbudsmanReview => OMBUDSMAN_REVIEW,
        }
    }

    pub fn column(self, name: &str) -> Option<&'static ColumnSpec> {
        self.columns().iter().find(|c| c.name == name)
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// Free text, kept as written. Never shown in public output.
    Text,
    /// One label, compared ignoring case and surrounding space.
    Label,
    /// Several labels separated by `;`.
    Labels,
    /// ISO (2024-05-01) or UK (01/05/2024) dates, or the configured format.
    Date,
    /// yes/no, y/n, true/false, 1/0; blank means not recorded.
    YesNo,
    /// 1, 2 or 3; blank for a representation outside the statutory procedure.
    Stage,
    /// Pounds, not negative; `£` and thousands separators allowed.
    Money,
    /// Any number.
    Number,
    /// A financial year such as 2024-25.
    FinancialYear,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// The header must be present and every row must have a value.
    Required,
    /// The column may be absent; blank cells mean "not recorded".
    Optional,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnSpec {
    pub name: &'static str,
    pub kind: ValueKind,
    pub presence: Presence,
    /// A value that may identify a person, so it never appears in public output.
    pub personal: bool,
    /// The yes/no column whose yes allows this free text to be quoted. The words of a row
    /// without that yes are never kept, whatever the output.
    pub consent: Option<&'static str>,
    pub meaning: &'static str,
    pub example: &'static str,
}

const fn col(
    name: &'static str,
    kind: ValueKind,
    meaning: &'static str,
    example: &'static str,
) -> ColumnSpec {
    ColumnSpec {
        name,
        kind,
        presence: Presence::Optional,
        personal: false,
        consent: None,
        meaning,
        example,
    }
}

const fn required(spec: ColumnSpec) -> ColumnSpec {
    ColumnSpec {
        presence: Presence::Required,
        ..spec
    }
}

const fn personal(spec: ColumnSpec) -> ColumnSpec {
    ColumnSpec {
        personal: true,
        ..spec
    }
}

const fn quoted_with_consent_in(consent: &'static str, spec: ColumnSpec) -> ColumnSpec {
    ColumnSpec {
        consent: Some(consent),
        ..spec
    }
}

use ValueKind::*;

const REPRESENTATIONS: &[ColumnSpec] = &[
    required(personal(col(
        "reference",
        Text,
        "the case reference; the same reference at stage 1 and stage 2 is one complaint escalated",
        "CSC-2024-0117",
    ))),
    required(col(
        "type",
        Label,
        "the council's own label: Complaint, Case concern, Pre-complaint, Refused, LGSCO, Ad hoc…",
        "Complaint",
    )),
    col(
        "stage",
        Stage,
        "1, 2 or 3; blank for representations outside the statutory procedure",
        "1",
    ),
    required(col(
        "received",
        Date,
        "the day the representation (or the request for this stage) was received: day 0",
        "2024-05-01",
    )),
    col(
        "acknowledged",
        Date,
        "the day it was acknowledged",
        "2024-05-02",
    ),
    col(
        "extended",
        YesNo,
        "an extension of the timescale was agreed",
        "no",
    ),
    col(
        "responded",
        Date,
        "the day of the response at this stage; blank while still open",
        "2024-05-14",
    ),
    col(
        "outcome",
        Label,
        "Upheld, Partially upheld, Not upheld, Withdrawn, or the Ombudsman's decision",
        "Partially upheld",
    ),
    col(
        "service",
        Label,
        "the service or team complained about",
        "Children in Care",
    ),
    col(
        "nature",
        Labels,
        "what the complaint is about; several labels separated by ;",
        "Communication; Delay",
    ),
    col(
        "complainant",
        Label,
        "who made it: Parent, Young person, Grandparent, Advocate, Professional…",
        "Parent",
    ),
    col("method", Label, "how it was received", "Email"),
    col(
        "advocate",
        YesNo,
        "a child or young person was supported by an advocate",
        "no",
    ),
    col(
        "outcome_sought",
        Labels,
        "what the complainant asked for; ; separated",
        "Apology; Explanation",
    ),
    col(
        "remedy",
        Labels,
        "what actually happened as a result; ; separated",
        "Apology; Explanation",
    ),
    col(
        "payment",
        Money,
        "a payment made as a remedy, in pounds",
        "150",
    ),
    col(
        "refusal_reason",
        Label,
        "why a representation was refused or declined",
        "Court proceedings",
    ),
    col(
        "informal_resolution",
        YesNo,
        "resolved informally before or instead of a formal response",
        "no",
    ),
    col(
        "ethnicity",
        Label,
        "the complainant's ethnicity as recorded",
        "White British",
    ),
    personal(col(
        "learning",
        Text,
        "what the service learned; never shown in public output",
        "Share minutes within 5 days",
    )),
];

const COMPLIMENTS: &[ColumnSpec] = &[
    required(personal(col(
        "reference",
        Text,
        "the compliment's reference",
        "CMP-2024-0042",
    ))),
    required(col(
        "received",
        Date,
        "the day it was received",
        "2024-06-12",
    )),
    col(
        "service",
        Label,
        "the service or team complimented",
        "Fostering",
    ),
    col(
        "from",
        Label,
        "who gave it: Parent, Young person, Carer, Professional…",
        "Foster carer",
    ),
    col(
        "theme",
        Labels,
        "what it praised; ; separated",
        "Communication; Support",
    ),
    quoted_with_consent_in(
        "publish",
        personal(col(
            "text",
            Text,
            "the compliment's words; quoted only where publish is yes",
            "Thank you for listening.",
        )),
    ),
    col(
        "publish",
        YesNo,
        "consent was given to quote the text",
        "yes",
    ),
    personal(col(
        "learning",
        Text,
        "the good practice it shows, in the service's words; internal only",
        "Visits confirmed in writing the same day",
    )),
];

const ACTIONS: &[ColumnSpec] = &[
    required(personal(col(
        "reference",
        Text,
        "the reference of the complaint the action came from",
        "CSC-2024-0117",
    ))),
    required(personal(col(
        "action",
        Text,
        "what will be done",
        "Refresher training on recording contact",
    ))),
    col(
        "service",
        Label,
        "the service responsible",
        "Children in Care",
    ),
    col("due", Date, "when it should be done", "2024-09-30"),
    col(
        "completed",
        Date,
        "when it was done; blank while open",
        "2024-09-12",
    ),
];

const TRAINING: &[ColumnSpec] = &[
    required(col("date", Date, "the day of the session", "2025-07-15")),
    required(col(
        "title",
        Text,
        "what the session is",
        "Safety and SMART planning",
    )),
    col(
        "time",
        Text,
        "when in the day, as it should be shown",
        "10:00 to 12:00",
    ),
    col(
        "details",
        Text,
        "what it covers, and how to book",
        "Book through the QA team",
    ),
];

const OMBUDSMAN_REVIEW: &[ColumnSpec] = &[
    required(col("year", FinancialYear, "the financial year", "2024-25")),
    required(col(
        "upheld_rate",
        Number,
        "the percentage of the Ombudsman's detailed investigations of the council's children's services that it upheld, from its annual review letter",
        "75",
    )),
    col(
        "average_upheld_rate",
        Number,
        "the average upheld rate for similar authorities, as the council enters it",
        "81",
    ),
    col(
        "compliance_rate",
        Number,
        "the percentage of the Ombudsman's recommendations the council complied with",
        "100",
    ),
    col(
        "average_compliance_rate",
        Number,
        "the average compliance rate for similar authorities",
        "99",
    ),
];

const CONTEXT: &[ColumnSpec] = &[
    required(col("year", FinancialYear, "the financial year", "2024-25")),
    required(col(
        "measure",
        Label,
        "what is counted, e.g. Children's social care cases",
        "Children's social care cases",
    )),
    required(col("value", Number, "the count for that year", "5715")),
    col(
        "per",
        Number,
        "rates are per this many of the measure: 100 (the default) for cases, 10000 for a population of children",
        "100",
    ),
    col(
        "service",
        Label,
        "the service or team the figure is for, such as its caseload; blank for the whole council",
        "Fostering",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names_are_unique_within_each_file() {
        for source in Source::ALL {
            let mut names: Vec<_> = source.columns().iter().map(|c| c.name).collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), source.columns().len(), "{source}");
        }
    }

    #[test]
    fn the_documented_contract_names_every_column() {
        let doc = include_str!("../../docs/data.md");
        for source in Source::ALL {
            assert!(doc.contains(source.default_file_name()), "{source} file");
            for column in source.columns() {
                assert!(
                    doc.contains(&format!("`{}`", column.name)),
                    "docs/data.md does not describe {}.{}",
                    source,
                    column.name
                );
            }
        }
    }
}
