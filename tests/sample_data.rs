//! The sample data generator: deterministic, and the bundled folder is its output.

mod common;

use common::{repo_path, report, stdout};

#[test]
fn the_bundled_sample_data_is_what_the_generator_makes() {
    let out = tempfile::tempdir().unwrap();
    let output = report(&["sample-data", "--out", out.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    for file in [
        "representations.csv",
        "compliments.csv",
        "actions.csv",
        "context.csv",
        "training.csv",
        "narrative.md",
    ] {
        let made = std::fs::read_to_string(out.path().join(file)).unwrap();
        let bundled = std::fs::read_to_string(repo_path("sample-data").join(file)).unwrap();
        assert!(
            made == bundled,
            "{file} differs from the generator's output: run `report sample-data --force`"
        );
    }
}

#[test]
fn existing_files_are_not_replaced_without_force() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().to_str().unwrap();
    assert_eq!(
        report(&["sample-data", "--out", dir]).status.code(),
        Some(0)
    );
    let again = report(&["sample-data", "--out", dir, "--seed", "9"]);
    assert_eq!(again.status.code(), Some(2));
    assert_eq!(
        report(&["sample-data", "--out", dir, "--seed", "9", "--force"])
            .status
            .code(),
        Some(0)
    );
}

/// Shape of the synthetic authority, as the issue asks: 80–140 representations a year, most
/// from parents, 5–10% from young people, 40–90 compliments a year.
#[test]
fn the_sample_looks_like_a_mid_sized_authority() {
    let text = std::fs::read_to_string(repo_path("sample-data/representations.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let at = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (stage, received, complainant, kind) =
        (at("stage"), at("received"), at("complainant"), at("type"));
    let mut per_year = std::collections::BTreeMap::<String, usize>::new();
    let (mut parents, mut young, mut total) = (0, 0, 0);
    let mut types = std::collections::BTreeSet::new();
    let mut stages = std::collections::BTreeSet::new();
    for row in reader.records() {
        let row = row.unwrap();
        types.insert(row[kind].to_string());
        stages.insert(row[stage].to_string());
        if !matches!(&row[stage], "" | "1") {
            continue;
        }
        let date = &row[received];
        let (y, m): (i32, u32) = (date[..4].parse().unwrap(), date[5..7].parse().unwrap());
        let start = if m >= 4 { y } else { y - 1 };
        *per_year.entry(start.to_string()).or_default() += 1;
        total += 1;
        match &row[complainant] {
            "Parent" => parents += 1,
            "Young person" | "Advocate" => young += 1,
            _ => {}
        }
    }
    assert_eq!(per_year.len(), 5, "{per_year:?}");
    assert!(
        per_year.values().all(|n| (80..=140).contains(n)),
        "{per_year:?}"
    );
    assert!(parents * 2 > total, "parents {parents} of {total}");
    let young_share = young as f64 / total as f64;
    assert!(
        (0.05..=0.10).contains(&young_share),
        "young people {young_share}"
    );
    for t in [
        "Complaint",
        "Case concern",
        "Pre-complaint",
        "Refused",
        "LGSCO",
        "Ad hoc",
    ] {
        assert!(types.contains(t), "{t}");
    }
    assert!(stages.contains("2") && stages.contains("3"), "{stages:?}");

    let compliments = std::fs::read_to_string(repo_path("sample-data/compliments.csv")).unwrap();
    let rows = compliments.lines().count() - 1;
    assert!(
        (200..=450).contains(&rows),
        "{rows} compliments over five years"
    );
}

#[test]
fn scale_multiplies_the_volume() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().to_str().unwrap();
    let output = report(&["sample-data", "--out", dir, "--scale", "3"]);
    assert_eq!(output.status.code(), Some(0));
    let rows = std::fs::read_to_string(out.path().join("representations.csv"))
        .unwrap()
        .lines()
        .count()
        - 1;
    assert!(rows > 3 * 500, "{rows}");
    assert_eq!(report(&["check", "--data", dir]).status.code(), Some(0));
}
