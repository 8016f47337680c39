//! The report a committee expects: statutory groups with subtotals, a cover, the council's
//! recommendations up front, a glossary, and the same bytes on any day.

mod common;

use std::path::Path;
use std::process::Command;

use common::{copy_dir, fixture, report_in, stderr, stdout};

fn setup(config: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("annual-small"), &dir.path().join("data"));
    if let Some(config) = config {
        std::fs::write(dir.path().join("report.toml"), config).unwrap();
    }
    dir
}

const ARGS: [&str; 8] = [
    "annual", "2022-23", "--data", "data", "--out", "out", "--format", "md,html",
];

#[test]
fn the_cover_names_the_council_the_period_the_dates_and_a_contact() {
    let dir = setup(Some(
        "authority = \"Test Council\"\ndepartment = \"Children's Services\"\npublished = \"2023-07-14\"\ncontact = \"Complaints Team, 01234 567890\"\n",
    ));
    let output = report_in(dir.path(), &ARGS);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(!stdout(&output).contains("Cover:"), "{}", stdout(&output));
    let md = std::fs::read_to_string(dir.path().join("out/report.md")).unwrap();
    for line in [
        "**Test Council**, Children's Services",
        "Annual report for 2022-23 (1 April 2022 to 31 March 2023). Public edition",
        // The latest date in annual-small is 20 April 2023 (A-line's response).
        "- Figures as at: 20 April 2023",
        "- Published: 14 July 2023",
        "- Contact: Complaints Team, 01234 567890",
    ] {
        assert!(md.contains(line), "{line}\n{md}");
    }
    let html = std::fs::read_to_string(dir.path().join("out/report.html")).unwrap();
    assert!(
        html.contains("<dt>Published</dt><dd>14 July 2023</dd>"),
        "{html}"
    );
}

/// Nothing invented: what report.toml does not say is a marked gap, and the command says so.
#[test]
fn a_missing_cover_detail_is_a_visible_gap_and_a_warning() {
    let dir = setup(None);
    let output = report_in(dir.path(), &ARGS);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let said = stdout(&output);
    for key in ["authority", "published", "contact"] {
        assert!(
            said.contains(&format!("report.toml sets no `{key}`")),
            "{key}: {said}"
        );
    }
    let md = std::fs::read_to_string(dir.path().join("out/report.md")).unwrap();
    assert!(md.contains("- Published: [not set — `published` in report.toml]"));
    let html = std::fs::read_to_string(dir.path().join("out/report.html")).unwrap();
    assert!(
        html.contains("<span class=\"gap\">[not set — <code>contact</code> in report.toml]</span>")
    );

    let dir = setup(Some("published = \"14/07/2023\"\n"));
    let output = report_in(dir.path(), &ARGS);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("published: '14/07/2023' is not a date"));
}

/// The annual report places the council's recommendations with the key findings; without them
/// it marks the place and says so.
#[test]
fn recommendations_open_the_report_or_their_place_is_marked() {
    let dir = setup(None);
    std::fs::remove_file(dir.path().join("data/narrative.md")).ok();
    let output = report_in(dir.path(), &ARGS);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).contains("Narrative: no `## Recommendations` section"));
    let md = std::fs::read_to_string(dir.path().join("out/report.md")).unwrap();
    let key_findings = md.find("\n## Key findings\n").unwrap();
    let recommendations = md.find("\n## Recommendations\n").unwrap();
    let received = md.find("\n## Representations received\n").unwrap();
    assert!(key_findings < recommendations && recommendations < received);
    assert!(md.contains("go here: add `## Recommendations`"));
    assert!(md.contains("\n## Glossary\n") && md.contains("**Working day**"));
}

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let name = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.push((name, std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// The same data and command on two different days (the clock fixed to each) make the same
/// bytes in every file: nothing in a report comes from the clock.
#[test]
fn the_same_command_on_two_days_writes_the_same_bytes() {
    let mut runs = Vec::new();
    for epoch in ["1688169600", "1767225600"] {
        // 1 July 2023 and 1 January 2026.
        let dir = setup(Some("authority = \"Test Council\"\n"));
        let output = Command::new(env!("CARGO_BIN_EXE_report"))
            .args([
                "annual", "2022-23", "--data", "data", "--out", "out", "--format", "all",
            ])
            .current_dir(dir.path())
            .env("SOURCE_DATE_EPOCH", epoch)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        runs.push(files(&dir.path().join("out")));
    }
    assert!(runs[0].len() > 10, "{} files", runs[0].len());
    assert_eq!(
        runs[0].iter().map(|(n, _)| n).collect::<Vec<_>>(),
        runs[1].iter().map(|(n, _)| n).collect::<Vec<_>>()
    );
    for ((name, a), (_, b)) in runs[0].iter().zip(&runs[1]) {
        assert!(a == b, "{name} differs between the two days");
    }
}

fn rows(dir: &Path, id: &str) -> Vec<(String, Vec<serde_json::Value>)> {
    common::rows(&common::figures(dir), id)
}

/// annual-small's first contacts: 2021-22 P1, P2 (complaints) and P3 (case concern); 2022-23
/// nine complaints C1–C9 (C6's stage 2 counted once, at stage 1), R1 refused, R2 case concern,
/// R3 LGSCO. Columns: 2019-20 and 2020-21 (not covered: [x]), 2021-22, 2022-23, change, %.
#[test]
fn statutory_groups_have_subtotals_from_their_rows() {
    use serde_json::json;
    let x = json!("[x]");
    // By default a stage makes a representation statutory: 9 statutory, 3 other, 12 in all.
    let dir = setup(None);
    let mut args = ARGS[..6].to_vec();
    args.extend(["--audience", "internal", "--format", "json"]);
    let output = report_in(dir.path(), &args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let by_default = rows(dir.path(), "received-statutory-other");
    let labels: Vec<&str> = by_default.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Complaint",
            "Total statutory representations",
            "Case concern",
            "LGSCO",
            "Refused",
            "Total other representations",
            "Total representations"
        ]
    );
    assert_eq!(
        by_default[1].1,
        [
            x.clone(),
            x.clone(),
            json!(2),
            json!(9),
            json!(7),
            json!(350.0)
        ]
    );
    assert_eq!(
        by_default[5].1,
        [
            x.clone(),
            x.clone(),
            json!(1),
            json!(3),
            json!(2),
            json!(200.0)
        ]
    );
    assert_eq!(by_default[6].1[3], json!(12));

    // Counting refused complaints as statutory: 9 + 1 = 10 statutory, 2 other.
    let dir = setup(Some("[labels]\nstatutory = [\"Refused\"]\n"));
    let output = report_in(dir.path(), &args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let grouped = rows(dir.path(), "received-statutory-other");
    let labels: Vec<&str> = grouped.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Complaint",
            "Refused",
            "Total statutory representations",
            "Case concern",
            "LGSCO",
            "Total other representations",
            "Total representations"
        ]
    );
    assert_eq!(grouped[1].1[3], json!(1));
    assert_eq!(grouped[2].1[2..4], [json!(2), json!(10)]);
    assert_eq!(grouped[5].1[2..4], [json!(1), json!(2)]);
    assert_eq!(grouped[6].1[2..4], [json!(3), json!(12)]);
    let md = std::fs::read_to_string(dir.path().join("out/figures.json")).unwrap();
    assert!(md.contains("and every Refused (report.toml, [labels] statutory)"));
}

/// Key findings that say what matters, from annual-small's 2022-23 (internal edition):
/// - stage 1 answered over 20 working days: C6 (21) of the 8 answered: 1, 12.5%, shown as 13%;
/// - stage 2: C6's, 20 October → 1 December 2022 = 30 working days: none within 25;
/// - refused: R1 in 2022-23, none in 2021-22: "an increase of 1";
/// - upheld in full or in part: C1, C3, C6, C9 of the 8 concluded (C4, withdrawn, included): 50%;
/// - services: Fostering 1 → 5 (C1, C3, C5, C7, C9), Children in Care 1 → 4: Fostering rose
///   most, by 4; nothing fell;
/// - natures: Communication and Delay 1 → 3, Quality of service and Staff conduct 0 → 2: every
///   rise is 2, a tie, so none is named as the biggest; the four are named as the most frequent,
///   since the third place is a tie.
#[test]
fn key_findings_say_what_matters() {
    let dir = setup(None);
    let mut args = ARGS[..6].to_vec();
    args.extend(["--audience", "internal", "--format", "md,json"]);
    let output = report_in(dir.path(), &args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let f: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("out/figures.json")).unwrap(),
    )
    .unwrap();
    let h = &f["headline"];
    use serde_json::json;
    assert_eq!(h["stage1_over_max"], json!(1));
    assert_eq!(h["stage1_over_max_percent"], json!(12.5));
    assert_eq!(h["stage2_within_target"], json!(0));
    assert_eq!(h["refused_total"], json!(1));
    assert_eq!(h["refused_previous"], json!(0));
    assert_eq!(h["stage1_concluded"], json!(8));
    assert_eq!(h["stage1_upheld_any_percent"], json!(50));
    assert_eq!(h["service_biggest_rise"], json!("Fostering"));
    assert_eq!(h["service_biggest_rise_by"], json!(4));
    assert!(!h["nature_biggest_rise"].is_string() || h["nature_biggest_rise"] == "[x]");
    let md = std::fs::read_to_string(dir.path().join("out/report.md")).unwrap();
    for sentence in [
        "13% took longer than the 20 working days the regulations allow at most.",
        "Of the stage 2 investigations completed, 0% finished within 25 working days.",
        "1 representation was refused or declined, an increase of 1 on 2021-22.",
        "50% of the 8 stage 1 complaints concluded (withdrawn complaints included) were upheld in full or in part.",
        "Among services, complaints about Fostering rose most (4 more than in 2021-22).",
        "The issues raised most often were Communication, Delay, Quality of service and Staff conduct.",
    ] {
        assert!(md.contains(sentence), "{sentence}\n{md}");
    }
    assert!(
        !md.contains("rose most (2 more"),
        "a tie named as the biggest rise"
    );

    // In public, where the counts behind it are hidden (Fostering's and Children in Care's 1s
    // of 2021-22 are below 5), being the biggest rise would bound the hidden counts: not said.
    let dir = setup(None);
    let mut args = ARGS[..6].to_vec();
    args.extend(["--format", "md,json"]);
    let output = report_in(dir.path(), &args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let f: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("out/figures.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(f["headline"]["service_biggest_rise"], json!("[c]"));
    assert_eq!(f["headline"]["service_biggest_rise_by"], json!("[c]"));
    let md = std::fs::read_to_string(dir.path().join("out/report.md")).unwrap();
    assert!(!md.contains("rose most"), "{md}");
}

/// Remedies by outcome, 2022-23's concluded stage 1 complaints in annual-small: Apology after
/// C1 and C6 (upheld) and C3 and C9 (partially upheld); Explanation after C1 (upheld), C9
/// (partially), C2, C5 and C8 (not upheld); Service provided after C6 (upheld). C4, withdrawn,
/// had no remedy.
#[test]
fn remedies_by_outcome_are_worked_from_each_complaint() {
    use serde_json::json;
    let dir = setup(None);
    let mut args = ARGS[..6].to_vec();
    args.extend(["--audience", "internal", "--format", "json"]);
    let output = report_in(dir.path(), &args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let table = rows(dir.path(), "remedies-by-outcome");
    assert_eq!(
        table,
        vec![
            (
                "Apology".to_string(),
                vec![json!(2), json!(2), json!(0), json!(0)]
            ),
            (
                "Explanation".to_string(),
                vec![json!(1), json!(1), json!(3), json!(0)]
            ),
            (
                "Service provided".to_string(),
                vec![json!(1), json!(0), json!(0), json!(0)]
            ),
        ]
    );
    // Asked for, got, share: Apology by C1, C3 and C6, all of whom got one; a change of worker
    // by C2, who got an explanation; an explanation by C5, who got one.
    assert_eq!(
        rows(dir.path(), "outcomes-sought-received"),
        vec![
            (
                "Apology".to_string(),
                vec![json!(3), json!(3), json!(100.0)]
            ),
            (
                "Change of worker".to_string(),
                vec![json!(1), json!(0), json!(0.0)]
            ),
            (
                "Explanation".to_string(),
                vec![json!(1), json!(1), json!(100.0)]
            ),
        ]
    );
}

/// The Ombudsman's annual review letters, as the council enters them, year by year beside the
/// average for similar authorities; a year without a letter (or a blank) is [x]. They are the
/// Ombudsman's own published figures, so the public edition shows them too.
#[test]
fn the_ombudsmans_annual_review_is_set_out_year_by_year() {
    use serde_json::json;
    for audience in ["internal", "public"] {
        let dir = setup(None);
        std::fs::write(
            dir.path().join("data/ombudsman-review.csv"),
            "year,upheld_rate,average_upheld_rate,compliance_rate,average_compliance_rate\n2021-22,50,72,100,99\n2022-23,100,80,,99.5\n",
        )
        .unwrap();
        let mut args = ARGS[..6].to_vec();
        args.extend(["--audience", audience, "--format", "json"]);
        let output = report_in(dir.path(), &args);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let x = json!("[x]");
        let expected = |a: f64, b: serde_json::Value| vec![x.clone(), x.clone(), json!(a), b];
        assert_eq!(
            rows(dir.path(), "ombudsman-annual-review"),
            vec![
                ("Upheld rate (%)".to_string(), expected(50.0, json!(100.0))),
                (
                    "Average upheld rate for similar authorities (%)".to_string(),
                    expected(72.0, json!(80.0))
                ),
                (
                    "Compliance with recommendations (%)".to_string(),
                    expected(100.0, x.clone())
                ),
                (
                    "Average compliance for similar authorities (%)".to_string(),
                    expected(99.0, json!(99.5))
                ),
            ],
            "{audience}"
        );
    }
}

/// Rates by service from each service's caseload in context.csv, 2022-23: Fostering's 5 stage 1
/// complaints (C1, C3, C5, C7, C9) per 100 of 250 cases = 2.0; Children in Care's 4 (C2, C4, C6,
/// C8) per 100 of 160 = 2.5; Adoption's none of 50 = 0.0. The council-wide rows are unchanged.
#[test]
fn rates_by_service_come_from_each_services_caseload() {
    use serde_json::json;
    let dir = setup(None);
    std::fs::write(
        dir.path().join("data/context.csv"),
        "year,measure,value,per,service\n2022-23,Children's social care cases,900,,\n2022-23,Children's social care cases,250,,Fostering\n2022-23,Children's social care cases,160,,Children in Care\n2022-23,Children's social care cases,50,,Adoption\n",
    )
    .unwrap();
    let mut args = ARGS[..6].to_vec();
    args.extend(["--audience", "internal", "--format", "json"]);
    let output = report_in(dir.path(), &args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let cases = json!("Children's social care cases");
    let rates = rows(dir.path(), "complaints-per-100-by-service");
    let numbers: Vec<(String, Vec<f64>)> = rates
        .iter()
        .map(|(label, cells)| {
            assert_eq!(cells[0], cases);
            (
                label.clone(),
                cells[1..].iter().map(|v| v.as_f64().unwrap()).collect(),
            )
        })
        .collect();
    assert_eq!(
        numbers,
        vec![
            ("Adoption".to_string(), vec![0.0, 50.0, 0.0]),
            ("Children in Care".to_string(), vec![4.0, 160.0, 2.5]),
            ("Fostering".to_string(), vec![5.0, 250.0, 2.0]),
        ]
    );
    // 9 stage 1 complaints per 100 of the council's 900 cases: 1.0.
    let council = rows(dir.path(), "complaints-per-100");
    let rate = council
        .iter()
        .find(|(l, _)| l == "Stage 1 complaints per 100 children's social care cases")
        .unwrap();
    assert_eq!(rate.1[3], json!(1.0));
}
