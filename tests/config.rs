//! report.toml through the real binary: a vendor-shaped export gives the same report as the
//! canonical one, mistakes in the config are named, and `report init` gets a council started.

mod common;

use std::path::Path;

use common::{fixture, repo_path, report_in, stderr, stdout};
use serde_json::{Value, json};

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

fn figures(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The tables and headline, leaving out what names the input files (their names and hashes
/// differ by design).
fn comparable(figures: &Value) -> (Vec<Value>, Value) {
    let tables = figures["tables"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["id"] != "reconciliation" && t["id"] != "inputs")
        .cloned()
        .collect();
    (tables, figures["headline"].clone())
}

#[test]
fn a_vendor_export_with_its_config_gives_the_canonical_report() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture("annual-small"), &dir.path().join("canonical"));
    copy_tree(&fixture("vendor"), &dir.path().join("vendor"));

    let canonical = report_in(
        dir.path(),
        &[
            "annual",
            "2022-23",
            "--data",
            "canonical",
            "--out",
            "out-canonical",
        ],
    );
    assert_eq!(canonical.status.code(), Some(0), "{}", stderr(&canonical));
    let vendor = report_in(
        dir.path(),
        &[
            "--config",
            "vendor/report.toml",
            "annual",
            "2022-23",
            "--out",
            "out-vendor",
        ],
    );
    assert_eq!(vendor.status.code(), Some(0), "{}", stderr(&vendor));

    let a = figures(&dir.path().join("out-canonical/figures.json"));
    let b = figures(&dir.path().join("out-vendor/figures.json"));
    let (tables_a, headline_a) = comparable(&a);
    let (tables_b, headline_b) = comparable(&b);
    assert_eq!(tables_a.len(), tables_b.len());
    for (ta, tb) in tables_a.iter().zip(&tables_b) {
        assert_eq!(ta, tb, "table {} differs", ta["id"]);
    }
    assert_eq!(headline_a, headline_b);
    for file in ["representations", "compliments"] {
        for count in ["rows_read", "rows_used", "rows_out_of_period"] {
            assert_eq!(
                a["reconciliation"][file][count], b["reconciliation"][file][count],
                "{file} {count}"
            );
        }
    }
    assert_eq!(b["authority"], json!("Vendor-shaped Test Council"));
    let md = std::fs::read_to_string(dir.path().join("out-vendor/report.md")).unwrap();
    assert!(md.contains("**Vendor-shaped Test Council**"));
    assert!(
        md.contains("## Recommendations"),
        "the narrative named in the config is used"
    );
}

#[test]
fn a_typo_in_the_config_is_named_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture("annual-small"), &dir.path().join("data"));
    std::fs::write(
        dir.path().join("report.toml"),
        "authority = \"Test\"\n\n[timescales.stage1]\ntarget = 10\nextnded_target = 20\n",
    )
    .unwrap();
    // Found in the current folder without --config.
    let output = report_in(dir.path(), &["check"]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.contains("report.toml"), "{err}");
    assert!(err.contains("line 5"), "{err}");
    assert!(err.contains("extnded_target"), "{err}");
    assert!(
        err.contains("extended_target"),
        "the valid keys are suggested: {err}"
    );
}

#[test]
fn a_mapped_header_missing_from_the_export_is_named_with_the_closest_headers() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture("vendor"), dir.path());
    let config = std::fs::read_to_string(dir.path().join("report.toml"))
        .unwrap()
        .replace(
            "received = \"Date Received\"",
            "received = \"Received Date\"",
        );
    std::fs::write(dir.path().join("report.toml"), config).unwrap();
    let output = report_in(dir.path(), &["check"]);
    assert_eq!(output.status.code(), Some(1));
    let out = stdout(&output);
    assert!(
        out.contains("cases.csv:1: the mapped column 'Received Date' (for received) is not in the file; did you mean 'Date Received'"),
        "{out}"
    );
}

#[test]
fn a_missing_config_file_given_on_the_command_line_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let output = report_in(dir.path(), &["--config", "nope.toml", "check"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("the config file nope.toml does not exist"));
}

/// What the README shows: init in an empty folder, then check and annual on the sample data.
#[test]
fn init_then_check_then_annual_on_the_sample_data() {
    let dir = tempfile::tempdir().unwrap();
    let sample = repo_path("sample-data");
    let sample = sample.to_str().unwrap();
    let init = report_in(dir.path(), &["init", "my-council"]);
    assert_eq!(init.status.code(), Some(0), "{}", stderr(&init));
    assert!(dir.path().join("my-council/report.toml").is_file());
    assert!(dir.path().join("my-council/narrative.md").is_file());

    let check = report_in(
        dir.path(),
        &[
            "--config",
            "my-council/report.toml",
            "check",
            "--data",
            sample,
        ],
    );
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}{}",
        stdout(&check),
        stderr(&check)
    );
    let annual = report_in(
        dir.path(),
        &[
            "--config",
            "my-council/report.toml",
            "annual",
            "2024-25",
            "--data",
            sample,
            "--out",
            "my-council/out",
        ],
    );
    assert_eq!(annual.status.code(), Some(0), "{}", stderr(&annual));
    assert!(dir.path().join("my-council/out/report.html").is_file());
}

#[test]
fn init_never_overwrites_without_force_and_can_copy_the_templates() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(report_in(dir.path(), &["init"]).status.code(), Some(0));
    std::fs::write(dir.path().join("report.toml"), "authority = \"Mine\"\n").unwrap();
    let again = report_in(dir.path(), &["init", "--templates"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("already exist"),
        "{}",
        stderr(&again)
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("report.toml")).unwrap(),
        "authority = \"Mine\"\n"
    );
    assert!(
        !dir.path().join("templates").exists(),
        "nothing is written when anything would be overwritten"
    );

    let forced = report_in(dir.path(), &["init", "--templates", "--force"]);
    assert_eq!(forced.status.code(), Some(0), "{}", stderr(&forced));
    assert!(
        dir.path()
            .join("templates/sections/key-findings.md")
            .is_file()
    );
    assert!(dir.path().join("templates/report.html").is_file());
    // The copied templates are valid overrides as they stand.
    copy_tree(&fixture("annual-small"), &dir.path().join("data"));
    let annual = report_in(
        dir.path(),
        &[
            "annual",
            "2022-23",
            "--templates",
            "templates",
            "--format",
            "md",
        ],
    );
    assert_eq!(annual.status.code(), Some(0), "{}", stderr(&annual));
}

/// Bands and closure days from the config drive the tables. On annual-small, 2022-23, with
/// bands [10, 20, 25, 30]: within 10 = 5, 11–20 = C5 (12) and C9 (20) = 2, 21–25 = C6 (21) = 1,
/// 26–30 = 0, over 30 = 0. Closing 28 December 2022 makes C3 (13 → 29 Dec) 9 working days, not
/// 10, so the mean falls from 102/8 to 101/8 = 12.625, shown as 12.6.
#[test]
fn council_bands_and_closures_drive_the_figures() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture("annual-small"), &dir.path().join("data"));
    std::fs::write(
        dir.path().join("report.toml"),
        "[timescales.stage1]\nbands = [10, 20, 25, 30]\n\n[calendar]\nclosures = [\"2022-12-28\"]\n",
    )
    .unwrap();
    let output = report_in(
        dir.path(),
        &[
            "annual",
            "2022-23",
            "--format",
            "json",
            "--out",
            "out",
            "--audience",
            "internal",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let f = figures(&dir.path().join("out/figures.json"));
    let bands = f["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "stage1-bands")
        .unwrap();
    let rows: Vec<(String, i64)> = bands["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r[0].as_str().unwrap().to_string(), r[1].as_i64().unwrap()))
        .collect();
    assert_eq!(
        rows,
        vec![
            ("Within 10 working days".to_string(), 5),
            ("11 to 20 working days".to_string(), 2),
            ("21 to 25 working days".to_string(), 1),
            ("26 to 30 working days".to_string(), 0),
            ("Over 30 working days".to_string(), 0),
            ("Total responded to".to_string(), 8),
        ]
    );
    assert_eq!(f["headline"]["stage1_mean_working_days"], json!(12.6));
}
