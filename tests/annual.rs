//! `report annual` on the hand-made fixture in tests/fixtures/annual-small. Every expected figure
//! below is worked out by hand from that fixture's rows (see the comments), never copied from
//! the program's output.

mod common;

use std::path::PathBuf;

use common::{copy_dir, figures, fixture, report_in, row, stderr, stdout};
use serde_json::{Value, json};

/// Copies a fixture into a fresh folder as `data/` and runs `report annual` there with relative
/// paths, so the command recorded in the report is the same on every machine.
fn run_annual(fixture_name: &str, extra: &[&str]) -> (tempfile::TempDir, std::process::Output) {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(fixture_name), &dir.path().join("data"));
    let mut args = vec!["annual", "2022-23", "--data", "data", "--out", "out"];
    args.extend_from_slice(extra);
    let output = report_in(dir.path(), &args);
    (dir, output)
}

fn labels(figures: &Value, id: &str) -> Vec<String> {
    common::rows(figures, id)
        .into_iter()
        .map(|(l, _)| l)
        .collect()
}

#[test]
fn every_output_is_written() {
    let (dir, output) = run_annual("annual-small", &[]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}{}",
        stdout(&output),
        stderr(&output)
    );
    let out = dir.path().join("out");
    for file in [
        "report.md",
        "report.html",
        "figures.json",
        "tables/received-by-type.csv",
        "charts/stage1-bands.svg",
    ] {
        assert!(out.join(file).is_file(), "{file} missing");
    }
}

/// `--low-memory` changes how the allocator returns memory, not what is made: every file of the
/// report is the same byte for byte, but for the command line recorded in it.
#[test]
fn low_memory_makes_the_same_report() {
    let formats = ["--format", "md,json,csv"];
    let (plain, output) = run_annual("annual-small", &formats);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let mut args = formats.to_vec();
    args.push("--low-memory");
    let (lean, output) = run_annual("annual-small", &args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let read = |dir: &tempfile::TempDir, file: &str| -> String {
        let text = std::fs::read_to_string(dir.path().join("out").join(file)).unwrap();
        text.replace(" --low-memory", "")
    };
    let mut compared = 0;
    for entry in std::fs::read_dir(plain.path().join("out/tables")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let file = format!("tables/{name}");
        assert_eq!(read(&plain, &file), read(&lean, &file), "{file}");
        compared += 1;
    }
    assert!(compared > 10, "only {compared} tables");
    for file in ["report.md", "figures.json"] {
        assert_eq!(read(&plain, file), read(&lean, file), "{file}");
    }
    assert!(
        std::fs::read_to_string(lean.path().join("out/figures.json"))
            .unwrap()
            .contains("--low-memory"),
        "the command recorded is the one run"
    );
}

/// Section 2. Representations starting in 2022-23: C1–C9 (nine stage 1 complaints; C6's stage 2
/// row is the same complaint), R1 refused, R2 case concern, R3 LGSCO: 12. In 2021-22: P1 and P2
/// complaints, P3 case concern: 3. The data starts in April 2021, so 2019-20 and 2020-21 are [x].
#[test]
fn section_2_representations_by_type() {
    let (dir, _) = run_annual("annual-small", &["--audience", "internal"]);
    let f = figures(dir.path());
    let x = json!("[x]");
    assert_eq!(
        labels(&f, "received-by-type"),
        vec![
            "Complaint",
            "Case concern",
            "LGSCO",
            "Refused",
            "Total representations"
        ]
    );
    assert_eq!(
        row(&f, "received-by-type", "Complaint"),
        vec![
            x.clone(),
            x.clone(),
            json!(2),
            json!(9),
            json!(7),
            json!(350.0)
        ]
    );
    assert_eq!(
        row(&f, "received-by-type", "Case concern"),
        vec![
            x.clone(),
            x.clone(),
            json!(1),
            json!(1),
            json!(0),
            json!(0.0)
        ]
    );
    // None the year before, so the percentage change is not applicable.
    assert_eq!(
        row(&f, "received-by-type", "Refused"),
        vec![
            x.clone(),
            x.clone(),
            json!(0),
            json!(1),
            json!(1),
            json!("[z]")
        ]
    );
    assert_eq!(
        row(&f, "received-by-type", "Total representations"),
        vec![
            x.clone(),
            x.clone(),
            json!(3),
            json!(12),
            json!(9),
            json!(300.0)
        ]
    );
    assert_eq!(
        row(
            &f,
            "received-statutory-other",
            "Total statutory representations"
        )[2..4],
        [json!(2), json!(9)]
    );
    assert_eq!(
        row(
            &f,
            "received-statutory-other",
            "Total other representations"
        )[2..4],
        [json!(1), json!(3)]
    );
    assert_eq!(f["headline"]["representations_total"], json!(12));
    // 12 over 12 months.
    assert_eq!(f["headline"]["representations_per_month"], json!(1));
}

/// Section 3. Working days (day of receipt = day 0) of the 2022-23 stage 1 complaints:
/// C1 27 May → 14 Jun = 10 (2–3 June are holidays); C2 5 → 20 Sep = 10 (19 Sep state funeral);
/// C3 13 → 29 Dec = 10 (26, 27 Dec holidays); C4 Sat 30 Apr → 16 May = 10 (2 May holiday);
/// C5 1 → 21 Jun = 12, extended; C6 12 Sep → 12 Oct = 21, extended; C8 24 Mar → 6 Apr 2023 = 9
/// (answered after the year end); C9 1 → 29 Nov = 20, not extended; C7 still open.
/// Within 10: C1 C2 C3 C4 C8 = 5; 11–20: C5 C9 = 2; over 20: C6 = 1; of 8 responded.
/// Within timescale: the five, plus C5 (12, extended) = 6 = 75%; C9 has no extension.
/// Mean 102 / 8 = 12.75 → 12.8; median of 9,10,10,10,10,12,20,21 = 10. Open at 31 March: C7
/// and C8 = 2. Acknowledged: C1 1 day, C2 3, C3 4 (19 Dec) → 2 of 3 within 3 = 66.7%.
#[test]
fn section_3_stage_1_timescales() {
    let (dir, _) = run_annual("annual-small", &["--audience", "internal"]);
    let f = figures(dir.path());
    assert_eq!(
        row(&f, "stage1-bands", "Within 10 working days"),
        vec![json!(5), json!(62.5)]
    );
    assert_eq!(
        row(&f, "stage1-bands", "11 to 20 working days"),
        vec![json!(2), json!(25.0)]
    );
    assert_eq!(
        row(&f, "stage1-bands", "Over 20 working days"),
        vec![json!(1), json!(12.5)]
    );
    assert_eq!(
        row(&f, "stage1-bands", "Total responded to"),
        vec![json!(8), json!(100.0)]
    );

    let year = |label: &str| row(&f, "stage1-timescales", label);
    // Columns: 2019-20, 2020-21, 2021-22, 2022-23.
    assert_eq!(
        year("Received"),
        vec![json!("[x]"), json!("[x]"), json!(2), json!(9)]
    );
    assert_eq!(year("Responded to")[3], json!(8));
    assert_eq!(year("Within timescale")[3], json!(6));
    assert_eq!(year("Within timescale (%)")[3], json!(75.0));
    assert_eq!(year("Extensions agreed")[3], json!(2));
    assert_eq!(year("Mean working days")[3], json!(12.8));
    assert_eq!(year("Median working days")[3], json!(10.0));
    assert_eq!(year("Still open at end of period")[3], json!(2));
    assert_eq!(
        year("Acknowledged within 3 working days (%)")[3],
        json!(66.7)
    );
    // 2021-22: P1 6 → 16 Apr 2021 = 8; P2 20 Dec 2021 → 10 Jan 2022 = 12 (27, 28 Dec and 3 Jan
    // are substitute days), extended, so within. No acknowledgements recorded: [z].
    assert_eq!(year("Within 10 working days")[2], json!(1));
    assert_eq!(year("11 to 20 working days")[2], json!(1));
    assert_eq!(year("Within timescale (%)")[2], json!(100.0));
    assert_eq!(year("Mean working days")[2], json!(10.0));
    assert_eq!(
        year("Acknowledged within 3 working days (%)")[2],
        json!("[z]")
    );

    // By quarter received: Q1 C4 C1 C5 (10, 10, 12 ext) all within, mean 10.7; Q2 C2 C6 (10,
    // 21) one within, mean 15.5; Q3 C9 C3 (20 not ext, 10) one within, mean 15.0; Q4 C7 open,
    // C8 9.
    assert_eq!(
        row(&f, "stage1-quarters", "Q1 (Apr–Jun)"),
        vec![json!(3), json!(3), json!(3), json!(100.0), json!(10.7)]
    );
    assert_eq!(
        row(&f, "stage1-quarters", "Q2 (Jul–Sep)"),
        vec![json!(2), json!(2), json!(1), json!(50.0), json!(15.5)]
    );
    assert_eq!(
        row(&f, "stage1-quarters", "Q3 (Oct–Dec)"),
        vec![json!(2), json!(2), json!(1), json!(50.0), json!(15.0)]
    );
    assert_eq!(
        row(&f, "stage1-quarters", "Q4 (Jan–Mar)"),
        vec![json!(2), json!(1), json!(1), json!(100.0), json!(9.0)]
    );

    let h = &f["headline"];
    assert_eq!(h["stage1_received"], json!(9));
    assert_eq!(h["stage1_responded"], json!(8));
    assert_eq!(h["stage1_mean_working_days"], json!(12.8));
    assert_eq!(h["stage1_within_timescale_percent"], json!(75));
}

/// Section 8. Concluded at stage 1: C1 C6 upheld; C3 C9 partially; C2 C5 C8 not upheld (C2 and
/// C8 spell it differently); C4 withdrawn; 8 in all, C7 still open. Stage 2: C6, not upheld.
/// Remedies of the 8: Explanation C1 C2 C5 C8 C9 = 5; Apology C1 C3 C6 C9 = 4; Service provided
/// C6 = 1; C4 none.
#[test]
fn section_8_outcomes() {
    let (dir, _) = run_annual("annual-small", &["--audience", "internal"]);
    let f = figures(dir.path());
    assert_eq!(
        row(&f, "outcomes", "Upheld"),
        vec![json!(2), json!(25.0), json!(0), json!(0.0)]
    );
    assert_eq!(
        row(&f, "outcomes", "Partially upheld"),
        vec![json!(2), json!(25.0), json!(0), json!(0.0)]
    );
    assert_eq!(
        row(&f, "outcomes", "Not upheld"),
        vec![json!(3), json!(37.5), json!(1), json!(100.0)]
    );
    assert_eq!(
        row(&f, "outcomes", "Withdrawn"),
        vec![json!(1), json!(12.5), json!(0), json!(0.0)]
    );
    assert_eq!(
        row(&f, "outcomes", "Total concluded"),
        vec![json!(8), json!(100.0), json!(1), json!(100.0)]
    );
    assert_eq!(
        row(&f, "outcomes", "Upheld in full or in part"),
        vec![json!(4), json!(50.0), json!(0), json!(0.0)]
    );
    assert_eq!(
        // C7 has no response in the data, whose latest date is 20 April 2023.
        row(&f, "outcomes", "Still open as at 20 April 2023"),
        vec![json!(1), json!("[z]"), json!(0), json!("[z]")]
    );
    assert_eq!(
        row(&f, "remedies", "Explanation"),
        vec![json!(5), json!(62.5)]
    );
    assert_eq!(row(&f, "remedies", "Apology"), vec![json!(4), json!(50.0)]);
    assert_eq!(
        row(&f, "remedies", "Service provided"),
        vec![json!(1), json!(12.5)]
    );
    assert_eq!(f["headline"]["stage1_upheld_any_percent"], json!(50));
}

/// Section 12. Compliments: K1 in 2021-22; K2 K3 K4 K5 in 2022-23 (4, up 3 or 300%). By
/// service Fostering K2 K4, Children in Care K3 K5. From: Parent K2 K5, Foster carer K4, Young
/// person K3. Themes (K4's "support" is the same label): Support K2 K4, Communication K2 K5,
/// Listening K3. Quotes only where publish is yes: K2 and K4 (K3 said no, K5 has no text).
#[test]
fn section_12_compliments() {
    let (dir, _) = run_annual("annual-small", &["--audience", "internal"]);
    let f = figures(dir.path());
    let x = json!("[x]");
    assert_eq!(
        row(&f, "compliments", "Compliments received"),
        vec![
            x.clone(),
            x.clone(),
            json!(1),
            json!(4),
            json!(3),
            json!(300.0)
        ]
    );
    assert_eq!(
        row(&f, "compliments-by-service", "Fostering")[2..],
        [json!(1), json!(2)]
    );
    assert_eq!(
        row(&f, "compliments-by-service", "Children in Care")[2..],
        [json!(0), json!(2)]
    );
    assert_eq!(
        labels(&f, "compliments-by-source"),
        vec!["Parent", "Foster carer", "Young person", "Total"]
    );
    // One label per compliment, so the rows add up: 2 + 1 + 1 = 4.
    assert_eq!(
        row(&f, "compliments-by-source", "Total"),
        vec![json!(4), json!(100.0)]
    );
    assert_eq!(
        row(&f, "compliments-by-source", "Parent"),
        vec![json!(2), json!(50.0)]
    );
    // Support and Communication tie at 2: ties go A to Z (an order by all years' totals would
    // say something about hidden earlier years).
    assert_eq!(
        labels(&f, "compliments-by-theme"),
        vec!["Communication", "Support", "Listening"]
    );
    assert_eq!(
        row(&f, "compliments-by-theme", "Listening"),
        vec![json!(1), json!(25.0)]
    );
    assert_eq!(f["headline"]["compliments_total"], json!(4));
    assert_eq!(
        f["headline"]["compliment_quotes"],
        json!(["Thank you <b>so much</b>", "Always there"])
    );

    let html = std::fs::read_to_string(dir.path().join("out/report.html")).unwrap();
    assert!(html.contains("Thank you &lt;b&gt;so much&lt;/b&gt;"));
    assert!(
        !html.contains("You listened to me"),
        "a quote without consent was published"
    );
    let md = std::fs::read_to_string(dir.path().join("out/report.md")).unwrap();
    assert!(md.contains(r"Thank you \<b\>so much\</b\>"));
}

#[test]
fn figures_json_has_the_documented_shape() {
    let (dir, _) = run_annual("annual-small", &["--audience", "internal"]);
    let f = figures(dir.path());
    let keys: Vec<&str> = f.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(&keys[..2], ["report", "title"]);
    assert_eq!(f["report"], json!("annual"));
    assert_eq!(
        f["period"],
        json!({"label": "2022-23", "start": "2022-04-01", "end": "2023-03-31"})
    );
    // 17 rows: 13 received in 2022-23 (C1–C9, C6 at stage 2, R1–R3); P1–P3 and D1 outside.
    assert_eq!(
        f["reconciliation"]["representations"]["rows_read"],
        json!(17)
    );
    assert_eq!(
        f["reconciliation"]["representations"]["rows_used"],
        json!(13)
    );
    assert_eq!(
        f["reconciliation"]["representations"]["rows_out_of_period"],
        json!(4)
    );
    assert_eq!(
        f["reconciliation"]["representations"]["excluded"],
        json!([])
    );
    assert_eq!(
        f["reconciliation"]["representations"]["rows_usable"],
        json!(17)
    );
    // Public: no split by period, which with the totals of each stage would let a reader
    // subtract their way to the later stages.
    let (dir, _) = run_annual("annual-small", &[]);
    let public = figures(dir.path());
    let reps = &public["reconciliation"]["representations"];
    assert_eq!(reps["rows_usable"], json!(17));
    assert!(reps.get("rows_used").is_none() && reps.get("rows_out_of_period").is_none());
    let table = &f["tables"][0];
    assert!(table["id"].is_string() && table["title"].is_string() && table["columns"].is_array());
    assert!(table["rows"][0][0].is_string(), "row label first");
}

#[test]
fn the_html_is_self_contained_and_accessible() {
    let (dir, _) = run_annual("annual-small", &[]);
    common::assert_html_structure(&dir.path().join("out"), 5);
}

/// Narrative sections go to their slots: the text before the first heading and "Introduction"
/// before the key findings, "Recommendations" straight after them, unknown headings after the
/// figures.
#[test]
fn the_narrative_is_placed_at_its_slots() {
    let (dir, _) = run_annual("annual-small", &[]);
    let md = std::fs::read_to_string(dir.path().join("out/report.md")).unwrap();
    let at = |heading: &str| {
        md.find(&format!("\n## {heading}\n"))
            .unwrap_or_else(|| panic!("{heading}"))
    };
    assert!(at("Introduction") < at("Key findings"));
    // The recommendations open the report with the key findings: an executive summary.
    assert!(at("Key findings") < at("Recommendations"));
    assert!(at("Recommendations") < at("Representations received"));
    assert!(at("Equality monitoring and context") < at("A note on the data"));
    assert!(at("A note on the data") < at("Data quality and reconciliation"));
    assert!(md.contains("This year the team moved to a new case-management system."));
    assert!(
        md.contains("The complaints team is part of *Children's Services*."),
        "narrative Markdown is kept"
    );
}

/// Both editions are pinned: the public one (the default, with small numbers suppressed) and
/// the internal one (every number, learning with references).
#[test]
fn the_markdown_reports_are_pinned() {
    let (dir, output) = run_annual("annual-small", &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let md = std::fs::read_to_string(dir.path().join("out/report.md")).unwrap();
    insta::assert_snapshot!("annual_small_report_md", md);

    let (dir, output) = run_annual("annual-small", &["--audience", "internal"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let md = std::fs::read_to_string(dir.path().join("out/report.md")).unwrap();
    insta::assert_snapshot!("annual_small_internal_report_md", md);
}

/// Four bad rows stop the report, each named; with --skip-invalid the report is made and the
/// reconciliation lists each one. The good rows (A1, A3 at stages 1 and 2, A5) are received in
/// 2022-23.
#[test]
fn bad_rows_stop_the_report_unless_skipped() {
    let (dir, output) = run_annual("four-bad-rows", &[]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    for line in [3, 5, 7, 8] {
        assert!(
            err.contains(&format!("representations.csv:{line}: ")),
            "line {line}: {err}"
        );
    }
    assert!(!dir.path().join("out/report.md").exists());

    // The latest usable date is 29 December 2022; the export was made after the year ended.
    let (dir, output) = run_annual(
        "four-bad-rows",
        &["--skip-invalid", "--as-at", "2023-04-30"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).contains("4 rows left out because of errors"));
    let f = figures(dir.path());
    let reps = &f["reconciliation"]["representations"];
    assert_eq!(reps["rows_read"], json!(8));
    assert_eq!(reps["rows_usable"], json!(4));
    let lines: Vec<i64> = reps["excluded"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["line"].as_i64().unwrap())
        .collect();
    assert_eq!(lines, vec![3, 5, 7, 8]);
    // Public: the rule broken, with no case date in it.
    assert_eq!(
        reps["excluded"][0]["reason"],
        json!("received: unreadable date: no such day in that month")
    );
    let md = std::fs::read_to_string(dir.path().join("out/report.md")).unwrap();
    assert!(md.contains("Rows excluded because of errors"));
    assert!(
        !md.contains("2022-10-03") && !md.contains("31/02/2022"),
        "{md}"
    );

    let (dir, output) = run_annual(
        "four-bad-rows",
        &[
            "--skip-invalid",
            "--audience",
            "internal",
            "--as-at",
            "2023-04-30",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let f = figures(dir.path());
    assert_eq!(
        f["reconciliation"]["representations"]["excluded"][0]["reason"],
        json!("received: unreadable date '31/02/2022': February 2022 has no day 31")
    );
}

#[test]
fn the_year_is_accepted_in_three_spellings_and_an_empty_year_is_refused() {
    for year in ["2022/23", "2022-2023"] {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&fixture("annual-small"), &dir.path().join("data"));
        let output = report_in(
            dir.path(),
            &["annual", year, "--data", "data", "--format", "json"],
        );
        assert_eq!(output.status.code(), Some(0), "{year}: {}", stderr(&output));
        assert!(
            dir.path().join("out/2022-23/figures.json").is_file(),
            "default --out is out/YEAR"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("annual-small"), &dir.path().join("data"));
    // A year the data does not have is a problem with the data for that year (exit 1), named
    // with the years it does have, as `check 2019-20` names it.
    let output = report_in(dir.path(), &["annual", "2019-20", "--data", "data"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("representations.csv: no representations were received in 2019-20 (1 April 2019 to 31 March 2020); the data covers 2021-22 to 2023-24"),
        "{}",
        stderr(&output)
    );
    let output = report_in(dir.path(), &["annual", "2019-21", "--data", "data"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn only_the_requested_formats_are_written() {
    let (dir, output) = run_annual("annual-small", &["--format", "json,csv"]);
    assert_eq!(output.status.code(), Some(0));
    let out: PathBuf = dir.path().join("out");
    assert!(out.join("figures.json").is_file());
    assert!(out.join("tables/outcomes.csv").is_file());
    assert!(!out.join("report.md").exists());
    assert!(!out.join("charts").exists());
}

#[test]
fn templates_can_be_overridden_file_by_file() {
    let templates = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(templates.path().join("sections")).unwrap();
    std::fs::write(
        templates.path().join("sections/key-findings.md"),
        "Our own words: {{ headline.representations_total | num }} representations.\n",
    )
    .unwrap();
    let path = templates.path().to_str().unwrap();
    let (dir, output) = run_annual("annual-small", &["--templates", path]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let md = std::fs::read_to_string(dir.path().join("out/report.md")).unwrap();
    assert!(md.contains("Our own words: 12 representations."));
    // The other sections still use the built-in partials.
    assert!(md.contains("Stage 1 is local resolution"));

    std::fs::write(templates.path().join("sections/keyfindings.md"), "typo").unwrap();
    let (_, output) = run_annual("annual-small", &["--templates", path]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains(
            "does not override any built-in template; did you mean sections/key-findings.md?"
        ),
        "{}",
        stderr(&output)
    );
}

/// The sample data's public report is pinned too: a realistic council's, where most numbers are
/// large enough to show. It shows changes between two shown numbers (whatever their size),
/// counts of learning actions (about the council, not people), and no table in which every
/// count is hidden without a note saying why.
#[test]
fn the_sample_datas_public_report_is_pinned() {
    let dir = tempfile::tempdir().unwrap();
    let sample = common::repo_path("sample-data");
    let output = report_in(
        dir.path(),
        &[
            "annual",
            "2024-25",
            "--data",
            sample.to_str().unwrap(),
            "--out",
            "out",
            "--format",
            "md,json",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let md = std::fs::read_to_string(dir.path().join("out/report.md")).unwrap();
    let f = figures(dir.path());
    // Other representations 41 → 42: a change of 1 between two shown numbers is shown.
    assert_eq!(
        row(
            &f,
            "received-statutory-other",
            "Total other representations"
        )[2..],
        [json!(41), json!(42), json!(1), json!(2.0)]
    );
    // Learning actions are shown however few.
    let actions = row(&f, "actions", "Total actions due");
    assert!(actions[0].is_i64(), "{actions:?}");
    for table in f["tables"].as_array().unwrap() {
        let counts: Vec<&Value> = table["rows"]
            .as_array()
            .unwrap()
            .iter()
            .enumerate()
            .filter(|(i, _)| !table["total_rows"].as_array().unwrap().contains(&json!(i)))
            .flat_map(|(_, r)| r.as_array().unwrap()[1..].iter())
            .filter(|v| v.is_i64() || *v == "[c]")
            .collect();
        if !counts.is_empty() && counts.iter().all(|v| *v == "[c]") {
            assert!(
                table["notes"].as_array().unwrap().iter().any(|n| n
                    .as_str()
                    .unwrap()
                    .starts_with("Every count in this table is suppressed")),
                "{}: every count hidden with no note",
                table["id"]
            );
        }
    }
    insta::assert_snapshot!("sample_public_report_md", md);
}
