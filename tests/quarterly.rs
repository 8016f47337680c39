//! `report quarterly`, `report bulletin` and `report period` on the hand-made fixture in
//! tests/fixtures/quarterly-small. Every expected figure is worked out by hand from the rows
//! (see the comments), never copied from the program's output.

mod common;

use common::{copy_dir, figures, fixture, report_in, row, stderr, stdout, table};
use serde_json::json;

fn run(args: &[&str]) -> (tempfile::TempDir, std::process::Output) {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("quarterly-small"), &dir.path().join("data"));
    let mut all = args.to_vec();
    all.extend(["--data", "data", "--out", "out"]);
    let output = report_in(dir.path(), &all);
    (dir, output)
}

/// The columns: the same quarter a year earlier (2024-25 Q1), the quarter before (2024-25 Q4),
/// and the quarter (2025-26 Q1). Starts by quarter received: B1 (Sunday 30 June 2024) and B3
/// (1 April 2024) in 2024-25 Q1, not B2 (1 July 2024); C1 and A1 (31 March 2025) in 2024-25 Q4;
/// A2 (1 April 2025), A6, A5 and A3 (30 June 2025) in 2025-26 Q1, not A4 (1 July 2025). A2's
/// stage 2 row is the same complaint.
#[test]
fn quarters_are_compared_with_the_one_before_and_the_same_one_a_year_earlier() {
    let (dir, output) = run(&["quarterly", "2025-26", "Q1", "--format", "json,md"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let f = figures(dir.path());
    assert_eq!(f["report"], "quarterly");
    assert_eq!(f["audience"], "internal", "internal by default");
    assert_eq!(
        table(&f, "received-by-type")["columns"],
        json!([
            "Type",
            "2024-25 Q1",
            "2024-25 Q4",
            "2025-26 Q1",
            "Change on the previous quarter",
            "Change on the previous quarter (%)"
        ])
    );
    assert_eq!(
        row(&f, "received-by-type", "Complaint"),
        [json!(1), json!(1), json!(4), json!(3), json!(300.0)]
    );
    assert_eq!(
        row(&f, "received-by-type", "Case concern"),
        [json!(1), json!(1), json!(0), json!(-1), json!(-100.0)]
    );
    assert_eq!(
        row(&f, "received-by-type", "Total representations"),
        [json!(2), json!(2), json!(4), json!(2), json!(100.0)]
    );
    // As at the latest date in the data, 10 July 2025: the quarter has ended.
    assert_eq!(f["provenance"]["as_at"], "2025-07-10");
}

/// Stage 1 in 2025-26 Q1: A2 (1 → 15 April: 10 working days, Easter falls after), A6 (1 May →
/// 10 July: 48 working days, extended, so over 20), A5 and A3 unanswered. Received 4, answered 2,
/// within timescale 1 (50%); open at the quarter's end A5, A6 (answered after it) and A3: 3.
/// 2024-25 Q4: A1 (31 March → 10 April: 8), within. 2024-25 Q1: B1 (Sunday 30 June → Friday
/// 5 July 2024: 5), within.
#[test]
fn stage_1_by_quarter() {
    let (dir, output) = run(&["quarterly", "2025-26", "Q1", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let f = figures(dir.path());
    let measure = |label: &str| row(&f, "stage1-timescales", label);
    assert_eq!(measure("Received"), [json!(1), json!(1), json!(4)]);
    assert_eq!(measure("Responded to"), [json!(1), json!(1), json!(2)]);
    assert_eq!(measure("Within timescale"), [json!(1), json!(1), json!(1)]);
    assert_eq!(measure("Within timescale (%)")[2], json!(50.0));
    assert_eq!(
        measure("Still open at end of period"),
        [json!(1), json!(1), json!(3)]
    );
    // Stage 2: A2's request, 25 April → 20 June 2025: 38 working days, not extended.
    assert_eq!(
        row(&f, "stage2-timescales", "26 to 65 working days")[2],
        json!(1)
    );
    assert_eq!(
        row(&f, "stage2-timescales", "Within timescale")[2],
        json!(0)
    );
}

/// Open at 30 June 2025 (stage rows received by then and not answered by then): A6 received
/// 1 May, open 40 working days (2 May; 6–9 May after the 5 May holiday; three full weeks; 27–30
/// May after the 26 May holiday; four weeks of June and the 30th), extended so 20 allowed: 20 past.
/// A5 received 20 May, open 28 (21–23 May; 27–30 May; 2–27 June; 30 June), 10 allowed: 18 past.
/// A3 received that day: 0. Stage 2: A2's was answered on 20 June. A4 arrived on 1 July.
#[test]
fn cases_open_at_quarter_end_with_their_ages_in_working_days() {
    let (dir, output) = run(&["quarterly", "2025-26", "Q1", "--format", "json,md"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let f = figures(dir.path());
    assert_eq!(row(&f, "open-cases", "Stage 1"), [json!(3), json!(2)]);
    assert_eq!(row(&f, "open-cases", "Stage 2"), [json!(0), json!(0)]);
    assert_eq!(row(&f, "open-cases", "Total"), [json!(3), json!(2)]);
    let list = table(&f, "open-cases-list")["rows"]
        .as_array()
        .unwrap()
        .clone();
    let summary: Vec<(String, i64, i64, i64)> = list
        .iter()
        .map(|r| {
            (
                r[0].as_str().unwrap().to_string(),
                r[4].as_i64().unwrap(),
                r[5].as_i64().unwrap(),
                r[6].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            ("A6".into(), 40, 20, 20),
            ("A5".into(), 28, 10, 18),
            ("A3".into(), 0, 10, 0),
        ],
        "oldest first"
    );
    assert_eq!(f["headline"]["open_total"], 3);
    let md = std::fs::read_to_string(dir.path().join("out/report.md")).unwrap();
    assert!(
        md.contains("At 30 June 2025, 3 cases were still open at stage 1, 2 or 3, of which 2 had been open longer than their timescale allows."),
        "{md}"
    );
}

/// Learning actions due in 2025-26 Q1, judged at its end (30 June 2025): B1's due 15 May done
/// 10 May (on time); A2's due 10 June done 20 June (late); A6's due 25 June not done (overdue);
/// B2's due 30 June done 5 July: on 30 June it was due that day, not yet overdue.
#[test]
fn learning_actions_are_judged_at_the_quarters_end() {
    let (dir, output) = run(&["quarterly", "2025-26", "Q1", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let f = figures(dir.path());
    assert_eq!(row(&f, "actions", "Completed on time")[0], json!(1));
    assert_eq!(row(&f, "actions", "Completed late")[0], json!(1));
    assert_eq!(row(&f, "actions", "Overdue")[0], json!(1));
    assert_eq!(row(&f, "actions", "Open, not yet due")[0], json!(1));
    assert_eq!(row(&f, "actions", "Total actions due")[0], json!(4));
    // Compliments, in the columns 2024-25 Q1 (the same quarter a year earlier), 2024-25 Q4 (the
    // quarter before) and 2025-26 Q1: K0 (2 April 2024); K1 (31 March 2025); K2 (1 April) and K3
    // (30 June). K4 (1 July) is after it. Change on the previous quarter: 2 - 1 = 1, 100%.
    assert_eq!(
        row(&f, "compliments", "Compliments received"),
        [json!(1), json!(1), json!(2), json!(1), json!(100.0)]
    );
}

/// The last eight quarters, 2023-24 Q2 to 2025-26 Q1: the data starts on 1 April 2024, so the
/// three quarters before are not available. Representations: 2024-25 Q1 B3 and B1; Q2 B2; Q3
/// none; Q4 C1 and A1; 2025-26 Q1 the four.
#[test]
fn the_trend_covers_eight_quarters() {
    let (dir, output) = run(&["quarterly", "2025-26-Q1", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let f = figures(dir.path());
    let x = json!("[x]");
    assert_eq!(
        row(&f, "trend", "Representations received"),
        [
            x.clone(),
            x.clone(),
            x,
            json!(2),
            json!(1),
            json!(0),
            json!(2),
            json!(4)
        ]
    );
}

/// The bulletin for the same quarter: 2 compliments (K2, K3); 4 complaints; 2 answered (A2 on
/// 15 April, A6 on 10 July); 2 upheld in full or in part (A2 partly, A6 in full); actions
/// completed in the quarter: B1's (10 May) and A2's (20 June). Quoted: K2 only (K3 said no).
/// Learning recorded with a response in the quarter: A2's stage 1 (Delay). A6's was recorded in
/// July. Training from 1 April to 30 September: 8 April and 30 September.
#[test]
fn the_bulletin_is_short_friendly_and_for_internal_circulation() {
    let (dir, output) = run(&["bulletin", "2025-26", "Q1", "--format", "json,md,html"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(dir.path().join("out/report.html").is_file());
    let f = figures(dir.path());
    assert_eq!(f["report"], "bulletin");
    let glance = |label: &str| row(&f, "at-a-glance", label)[0].clone();
    assert_eq!(glance("Compliments received"), 2);
    assert_eq!(glance("Complaints received (stage 1)"), 4);
    assert_eq!(glance("Complaints answered (stage 1)"), 2);
    assert_eq!(glance("Upheld in full or in part"), 2);
    assert_eq!(glance("Learning actions completed"), 2);
    assert_eq!(
        f["headline"]["compliment_quotes"],
        json!(["Always calls back"])
    );
    assert_eq!(row(&f, "learning-points", "Delay")[2], json!(1));
    assert_eq!(
        table(&f, "learning-points-recorded")["rows"],
        json!([["Delay", "Reply to letters within five working days"]])
    );
    let sessions: Vec<&str> = table(&f, "training")["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r[0].as_str().unwrap())
        .collect();
    assert_eq!(
        sessions,
        ["Tuesday 8 April 2025", "Tuesday 30 September 2025"]
    );
    let md = std::fs::read_to_string(dir.path().join("out/report.md")).unwrap();
    assert!(md.contains("**For internal circulation.**"));
    assert!(
        !md.contains("## Contents"),
        "a two-page bulletin has no contents list"
    );
    assert!(
        !md.contains("A2") && !md.contains("A6"),
        "no references in the bulletin"
    );
}

/// Any range, compared with the same range a year earlier: 1 April to 30 June 2025 against
/// 2024 — the quarter's own figures.
#[test]
fn any_period_is_compared_with_a_year_earlier() {
    let (dir, output) = run(&[
        "period",
        "2025-04-01",
        "2025-06-30",
        "--audience",
        "internal",
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let f = figures(dir.path());
    assert_eq!(f["report"], "period");
    assert_eq!(
        table(&f, "received-by-type")["columns"],
        json!([
            "Type",
            "01/04/2024 to 30/06/2024",
            "01/04/2025 to 30/06/2025",
            "Change on a year earlier",
            "Change on a year earlier (%)"
        ])
    );
    assert_eq!(
        row(&f, "received-by-type", "Total representations")[..2],
        [json!(2), json!(4)]
    );
    assert!(dir.path().join("out").exists(), "{}", stdout(&output));
}

/// A quarter that had not ended by the data's date is refused, saying why; `--provisional`
/// makes it, marked provisional.
#[test]
fn a_quarter_not_yet_ended_needs_provisional() {
    let (_, output) = run(&["quarterly", "2025-26", "Q2"]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains(
            "2025-26 Q2 ends on 30 September 2025, after the data's as-at date (10 July 2025, the latest date in the data)"
        ) && err.contains("--provisional"),
        "{err}"
    );
    let (dir, output) = run(&[
        "quarterly",
        "2025-26",
        "Q2",
        "--provisional",
        "--format",
        "md",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).contains("provisional"));
    let md = std::fs::read_to_string(dir.path().join("out/report.md")).unwrap();
    assert!(
        md.contains("**Provisional:** the period had not ended"),
        "{md}"
    );

    for bad in [
        &["quarterly", "2025-26", "Q5"][..],
        &["quarterly", "2024-26", "Q1"],
        &["period", "2025-06-30", "2025-04-01"],
    ] {
        let (_, output) = run(bad);
        assert_eq!(output.status.code(), Some(2), "{bad:?}");
    }
}

/// The public quarterly pack and bulletin pass the disclosure audit (a public report that did
/// not would not be written), and carry no case detail.
#[test]
fn public_packs_pass_the_audit() {
    for command in ["quarterly", "bulletin"] {
        let (dir, output) = run(&[
            command,
            "2025-26",
            "Q1",
            "--audience",
            "public",
            "--format",
            "md,json",
        ]);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{command}: {}",
            stderr(&output)
        );
        let md = std::fs::read_to_string(dir.path().join("out/report.md")).unwrap();
        for secret in [
            "Reply to letters",
            "Introduce a new worker",
            "A6",
            "Calls returned",
        ] {
            assert!(!md.contains(secret), "{command}: {secret}");
        }
    }
}

/// Rates for quarters use their financial year's context figure. Stage 1 received: 2024-25 Q1
/// 1 (B1), 2024-25 Q4 1 (A1), 2025-26 Q1 4. Per 100 cases: 1/250 = 0.4, 1/250 = 0.4, 4/500 =
/// 0.8. Per 10,000 children (50,000 in both years): 0.2, 0.2, 0.8.
#[test]
fn context_rates_work_for_quarters_and_say_which_year_they_use() {
    let (dir, output) = run(&["quarterly", "2025-26", "Q1", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let f = figures(dir.path());
    assert_eq!(
        row(
            &f,
            "complaints-per-100",
            "Stage 1 complaints per 100 children's social care cases"
        ),
        [json!(0.4), json!(0.4), json!(0.8)]
    );
    assert_eq!(
        row(
            &f,
            "complaints-per-100",
            "Stage 1 complaints per 10,000 children aged 0 to 17"
        ),
        [json!(0.2), json!(0.2), json!(0.8)]
    );
    let notes = table(&f, "complaints-per-100")["notes"].to_string();
    assert!(
        notes.contains("2024-25 Q4 uses 2024-25's, 2025-26 Q1 uses 2025-26's"),
        "{notes}"
    );
}

/// Each document's Markdown is pinned, and its HTML passes the annual report's structural
/// checks: the quarterly pack (internal and public), the bulletin and a date range.
#[test]
fn each_documents_markdown_is_pinned_and_its_html_well_formed() {
    let documents: [(&str, &[&str], usize); 4] = [
        ("quarterly_internal", &["quarterly", "2025-26", "Q1"], 3),
        (
            "quarterly_public",
            &["quarterly", "2025-26", "Q1", "--audience", "public"],
            3,
        ),
        ("bulletin", &["bulletin", "2025-26", "Q1"], 0),
        ("period", &["period", "2025-04-01", "2025-06-30"], 3),
    ];
    for (name, args, charts) in documents {
        let mut args = args.to_vec();
        args.extend(["--format", "md,html"]);
        let (dir, output) = run(&args);
        assert_eq!(output.status.code(), Some(0), "{name}: {}", stderr(&output));
        let out = dir.path().join("out");
        common::assert_html_structure(&out, charts);
        let md = std::fs::read_to_string(out.join("report.md")).unwrap();
        insta::assert_snapshot!(format!("{name}_md"), md);
    }
}

/// On the sample data each document writes every output it offers, in both editions (the
/// public ones pass the disclosure audit, or nothing would be written).
#[test]
fn every_document_writes_its_outputs_from_the_sample_data() {
    let sample = common::repo_path("sample-data");
    let documents: [&[&str]; 3] = [
        &["quarterly", "2024-25", "Q3"],
        &["bulletin", "2024-25-Q4"],
        &["period", "2024-10-01", "2025-03-31"],
    ];
    for document in documents {
        for audience in ["internal", "public"] {
            let dir = tempfile::tempdir().unwrap();
            let mut args = document.to_vec();
            args.extend([
                "--data",
                sample.to_str().unwrap(),
                "--out",
                "out",
                "--format",
                "all",
                "--audience",
                audience,
            ]);
            let output = report_in(dir.path(), &args);
            assert_eq!(
                output.status.code(),
                Some(0),
                "{document:?} {audience}: {}",
                stderr(&output)
            );
            let out = dir.path().join("out");
            for file in [
                "report.md",
                "report.html",
                "figures.json",
                "data-appendix.xlsx",
            ] {
                assert!(out.join(file).is_file(), "{document:?} {audience}: {file}");
            }
            let f = figures(dir.path());
            assert_eq!(f["audience"], audience);
            assert_eq!(f["report"], document[0]);
        }
    }
}
