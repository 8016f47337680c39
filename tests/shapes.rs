//! Every document renders for every shape of data a council might have: no earlier years, an
//! earlier year with only compliments, no optional files, no later stages, no Ombudsman, one
//! row, nothing but zeros, every count small — in every format and both audiences.

mod common;

use std::path::Path;

use common::{report_in, stderr, stdout};

const HEADER: &str = "reference,type,stage,received,acknowledged,extended,responded,outcome,service,nature,complainant,method,advocate,outcome_sought,remedy,payment,refusal_reason,informal_resolution,ethnicity,learning";

/// A representation row: reference, type, stage, received, responded, outcome, service.
fn row(
    reference: &str,
    kind: &str,
    stage: &str,
    received: &str,
    responded: &str,
    outcome: &str,
) -> String {
    format!(
        "{reference},{kind},{stage},{received},,no,{responded},{outcome},Fostering,Delay,Parent,Email,no,Apology,Apology,,,no,White British,"
    )
}

fn complaints(year: i32, count: usize) -> Vec<String> {
    (0..count)
        .map(|i| {
            row(
                &format!("C{year}-{i}"),
                "Complaint",
                "1",
                &format!("{year}-05-{:02}", 1 + i % 28),
                &format!("{year}-06-{:02}", 1 + i % 28),
                if i % 2 == 0 { "Upheld" } else { "Not upheld" },
            )
        })
        .collect()
}

struct Shape {
    name: &'static str,
    representations: Vec<String>,
    compliments: Option<Vec<String>>,
    actions: Option<Vec<String>>,
    context: Option<Vec<String>>,
}

fn compliment(reference: &str, received: &str) -> String {
    format!("{reference},{received},Fostering,Parent,Support,Thank you,yes")
}

fn shapes() -> Vec<Shape> {
    let full_optional = |shape: Shape| Shape {
        compliments: Some(vec![compliment("K1", "2024-06-01")]),
        actions: Some(vec!["C2024-0,Train the team,Fostering,2024-09-01,".into()]),
        context: Some(vec!["2024-25,Children's social care cases,5000".into()]),
        ..shape
    };
    let mut escalated = complaints(2024, 12);
    escalated.push(row(
        "C2024-1",
        "Complaint",
        "2",
        "2024-07-01",
        "2024-07-20",
        "Not upheld",
    ));
    escalated.push(row("C2024-1", "Complaint", "3", "2024-08-01", "", ""));
    vec![
        full_optional(Shape {
            name: "no earlier years",
            representations: complaints(2024, 12),
            compliments: None,
            actions: None,
            context: None,
        }),
        Shape {
            name: "an earlier year with only compliments",
            representations: complaints(2024, 12),
            compliments: Some(vec![
                compliment("K1", "2023-04-02"),
                compliment("K2", "2023-09-01"),
                compliment("K3", "2024-06-01"),
            ]),
            actions: None,
            context: None,
        },
        Shape {
            name: "no compliments, actions or context",
            representations: [complaints(2023, 20), complaints(2024, 20)].concat(),
            compliments: None,
            actions: None,
            context: None,
        },
        full_optional(Shape {
            name: "no stage 2 or 3 and no Ombudsman",
            representations: [complaints(2023, 9), complaints(2024, 9)].concat(),
            compliments: None,
            actions: None,
            context: None,
        }),
        full_optional(Shape {
            name: "stages 2 and 3",
            representations: escalated,
            compliments: None,
            actions: None,
            context: None,
        }),
        Shape {
            name: "one row",
            representations: complaints(2024, 1),
            compliments: None,
            actions: None,
            context: None,
        },
        full_optional(Shape {
            name: "all counts zero: nothing but a case concern",
            representations: vec![row(
                "Q1",
                "Case concern",
                "",
                "2024-05-01",
                "2024-05-02",
                "",
            )],
            compliments: None,
            actions: None,
            context: None,
        }),
        full_optional(Shape {
            name: "every count small",
            representations: vec![
                row("S1", "Complaint", "1", "2024-05-01", "2024-05-10", "Upheld"),
                row("S2", "LGSCO", "", "2024-06-01", "", ""),
                row("S3", "Refused", "", "2024-07-01", "2024-07-02", ""),
                row(
                    "S4",
                    "Complaint",
                    "1",
                    "2023-05-01",
                    "2023-05-10",
                    "Withdrawn",
                ),
            ],
            compliments: None,
            actions: None,
            context: None,
        }),
    ]
}

fn write(path: &Path, header: &str, rows: &[String]) {
    let mut text = format!("{header}\n");
    for row in rows {
        text.push_str(row);
        text.push('\n');
    }
    std::fs::write(path, text).unwrap();
}

#[test]
fn every_shape_renders_in_every_format_and_audience() {
    for shape in shapes() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        std::fs::create_dir_all(&data).unwrap();
        write(
            &data.join("representations.csv"),
            HEADER,
            &shape.representations,
        );
        if let Some(rows) = &shape.compliments {
            write(
                &data.join("compliments.csv"),
                "reference,received,service,from,theme,text,publish",
                rows,
            );
        }
        if let Some(rows) = &shape.actions {
            write(
                &data.join("actions.csv"),
                "reference,action,service,due,completed",
                rows,
            );
        }
        if let Some(rows) = &shape.context {
            write(&data.join("context.csv"), "year,measure,value", rows);
        }
        let check = report_in(dir.path(), &["check", "2024-25", "--data", "data"]);
        assert_eq!(
            check.status.code(),
            Some(0),
            "{}: check\n{}{}",
            shape.name,
            stdout(&check),
            stderr(&check)
        );
        for audience in ["public", "internal"] {
            let output = report_in(
                dir.path(),
                &[
                    "annual",
                    "2024-25",
                    "--data",
                    "data",
                    "--out",
                    audience,
                    "--format",
                    "all",
                    "--audience",
                    audience,
                    // Generated shapes stop when their rows do; the export is made later.
                    "--as-at",
                    "2025-07-01",
                ],
            );
            assert_eq!(
                output.status.code(),
                Some(0),
                "{} ({audience}): {}",
                shape.name,
                stderr(&output)
            );
            for file in [
                "report.md",
                "report.html",
                "figures.json",
                "data-appendix.xlsx",
            ] {
                assert!(
                    dir.path().join(audience).join(file).is_file(),
                    "{}: {file}",
                    shape.name
                );
            }
        }
    }
}
