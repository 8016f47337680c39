//! Safe to publish: small numbers suppressed so none can be worked out again, hostile labels
//! inert in every format, no case detail in public output, atomic output, an Excel appendix.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{copy_dir, figures, fixture, report_in, stderr};
use serde_json::Value;

const EXEMPT: [&str; 4] = [
    "reconciliation",
    "inputs",
    "excluded-rows",
    "learning-recorded",
];

fn run(fixture_name: &str, extra: &[&str]) -> (tempfile::TempDir, std::process::Output) {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(fixture_name), &dir.path().join("data"));
    let mut args = vec!["annual", "2022-23", "--data", "data", "--out", "out"];
    if fixture_name == "hostile" {
        // Its rows stop in October 2024; the export is made after the year ends.
        args[1] = "2024-25";
        args.extend(["--as-at", "2025-07-01"]);
    }
    args.extend_from_slice(extra);
    let output = report_in(dir.path(), &args);
    (dir, output)
}

fn tables(figures: &Value) -> BTreeMap<String, Value> {
    figures["tables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["id"].as_str().unwrap().to_string(), t.clone()))
        .collect()
}

fn cells(table: &Value) -> Vec<Vec<Value>> {
    table["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_array().unwrap()[1..].to_vec())
        .collect()
}

fn is_c(v: &Value) -> bool {
    v == "[c]"
}

/// Public and internal editions of annual-small, side by side.
fn editions() -> (Value, Value, tempfile::TempDir) {
    let (public_dir, public) = run("annual-small", &[]);
    assert_eq!(public.status.code(), Some(0), "{}", stderr(&public));
    let (internal_dir, internal) = run("annual-small", &["--audience", "internal"]);
    assert_eq!(internal.status.code(), Some(0), "{}", stderr(&internal));
    (
        figures(public_dir.path()),
        figures(internal_dir.path()),
        public_dir,
    )
}

/// Rows by label: public tables order rows by what they show, so rows are matched by label.
fn rows_by_label(table: &Value) -> BTreeMap<String, Vec<Value>> {
    common::table_rows(table).into_iter().collect()
}

/// Tables of learning actions: counts of what the council does, not of people, so shown.
const ACTIONS: [&str; 2] = ["actions", "actions-by-service"];
const GROUPED: &str = "Other (small categories grouped)";

#[test]
fn every_small_count_is_suppressed_in_public_and_shown_internally() {
    let (public, internal, _) = editions();
    let (public, internal) = (tables(&public), tables(&internal));
    let mut suppressed = 0;
    let mut grouped = 0;
    for (id, table) in &internal {
        let internal_rows = rows_by_label(table);
        assert!(
            !internal_rows.values().flatten().any(is_c),
            "the internal edition hides a number in {id}"
        );
        if EXEMPT.contains(&id.as_str()) || ACTIONS.contains(&id.as_str()) {
            continue;
        }
        let public_rows = rows_by_label(&public[id]);
        for (label, row) in &internal_rows {
            let Some(public_row) = public_rows.get(label) else {
                // A small category folded into "Other".
                assert!(
                    public_rows.contains_key(GROUPED),
                    "{id}: {label} is missing"
                );
                grouped += 1;
                continue;
            };
            for (c, value) in row.iter().enumerate() {
                let small = value.is_i64() && (1..5).contains(&value.as_i64().unwrap());
                let is_count = !table["columns"][c + 1].as_str().unwrap().contains('%')
                    && !table["columns"][c + 1]
                        .as_str()
                        .unwrap()
                        .starts_with("Change");
                if small && is_count {
                    assert!(
                        is_c(&public_row[c]),
                        "{id} row {label} cell {c}: {value} is shown in public"
                    );
                    suppressed += 1;
                }
            }
        }
    }
    assert!(
        suppressed > 50,
        "the fixture is full of small counts: {suppressed}"
    );
    assert!(grouped > 0, "some small categories are grouped");
}

/// By arithmetic over every column with a total row: where the internal figures show the rows
/// above a total add up to it, the public edition must not hide exactly one of them (or the
/// total alone), which would let a reader subtract to find it. Along rows, a change may not be
/// shown when either year it compares is hidden, nor a percentage beside a hidden count. (The
/// library's audit checks much more; this check is independent of it.)
#[test]
fn no_suppressed_value_can_be_worked_out_from_what_is_shown() {
    let (public, internal, _) = editions();
    let (public, internal) = (tables(&public), tables(&internal));
    let mut sums_checked = 0;
    for (id, table) in &internal {
        if EXEMPT.contains(&id.as_str()) || ACTIONS.contains(&id.as_str()) {
            continue;
        }
        let columns: Vec<String> = table["columns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_string())
            .collect();
        let internal_rows = cells(table);
        let labels: Vec<String> = table["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r[0].as_str().unwrap().to_string())
            .collect();
        let public_rows = rows_by_label(&public[id]);
        if public_rows.contains_key(GROUPED) {
            continue;
        }
        for total in table["total_rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap() as usize)
        {
            let parts: Vec<usize> = (0..total).collect();
            for c in 0..internal_rows[total].len() {
                let (Some(sum), Some(parts_sum)) = (
                    internal_rows[total][c].as_i64(),
                    parts
                        .iter()
                        .map(|r| internal_rows[*r][c].as_i64())
                        .sum::<Option<i64>>(),
                ) else {
                    continue;
                };
                if sum != parts_sum
                    || parts.is_empty()
                    || !columns[c + 1].starts_with(char::is_numeric) && columns[c + 1] != "Number"
                {
                    continue;
                }
                let hidden = parts
                    .iter()
                    .chain([&total])
                    .filter(|r| is_c(&public_rows[&labels[**r]][c]))
                    .count();
                assert_ne!(
                    hidden,
                    1,
                    "{id}, column {}: exactly one hidden cell in a sum",
                    columns[c + 1]
                );
                sums_checked += 1;
            }
        }
        for (label, row) in &public_rows {
            for (c, value) in row.iter().enumerate() {
                let name = &columns[c + 1];
                if name.starts_with("Change") {
                    let periods = columns
                        .iter()
                        .filter(|n| n.chars().next().is_some_and(|ch| ch.is_ascii_digit()))
                        .count();
                    let (current, previous) = (periods - 1, periods - 2);
                    // Hidden, or [z] (a change in per cent from none): never a number.
                    if is_c(&row[current]) || is_c(&row[previous]) {
                        assert!(
                            !value.is_number(),
                            "{id} row {label}: a change shown beside a hidden year"
                        );
                    }
                }
                if (name == "%" || name.ends_with("(%)"))
                    && c > 0
                    && !name.starts_with("Change")
                    && is_c(&row[c - 1])
                {
                    assert!(
                        !value.is_number(),
                        "{id} row {label}: a percentage shown beside a hidden count"
                    );
                }
            }
        }
    }
    // Guards against a vacuous pass: the fixture's count columns with totals (tables with a
    // grouped row are left to the audit).
    assert!(sums_checked >= 20, "sums checked: {sums_checked}");
}

#[test]
fn sentences_and_charts_never_state_a_suppressed_number() {
    let (public, internal, dir) = editions();
    // Compliments: 4 in 2022-23 (K2–K5), so hidden.
    assert_eq!(internal["headline"]["compliments_total"], 4);
    assert_eq!(public["headline"]["compliments_total"], "[c]");
    assert_eq!(public["headline"]["children_complaints"], "[c]");
    let md = std::fs::read_to_string(dir.path().join("out/report.md")).unwrap();
    // One phrase for every hidden number, small or hidden to protect another: "fewer than 5"
    // would tell a reader which was which.
    assert!(
        md.contains("**An undisclosed number of compliments** were received."),
        "{md}"
    );
    assert!(!md.contains("ewer than"), "{md}");
    // Statutory 9 is hidden to protect other representations (3).
    assert_eq!(internal["headline"]["statutory_total"], 9);
    assert!(md.contains("An undisclosed number were in the statutory complaints procedure"));
    // 4 of 8 upheld in full or in part would give 50%; the sentence is left out.
    assert!(!md.contains("upheld in full or in part."), "{md}");
    assert!(md.contains("Public edition"));
    assert!(md.contains("`[c]`: suppressed to protect confidentiality — a count from 1 to 4"));
    // The compliments chart draws no bar for a hidden year, and labels it.
    let svg = std::fs::read_to_string(dir.path().join("out/charts/compliments.svg")).unwrap();
    // plotters writes each label on its own line between the tags.
    assert!(svg.contains("\n[c]\n"), "{svg}");
    // Both years shown are hidden, so no bar is drawn at all (bars are filled with the palette).
    assert!(
        !svg.contains("fill=\"#12436D\""),
        "a hidden value is drawn as a bar: {svg}"
    );
}

#[test]
fn a_threshold_of_zero_turns_suppression_off() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("report.toml"),
        "[publication]\nsuppress_below = 0\n",
    )
    .unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    for file in ["representations.csv", "compliments.csv"] {
        std::fs::copy(fixture("annual-small").join(file), data.join(file)).unwrap();
    }
    let output = report_in(
        dir.path(),
        &[
            "annual", "2022-23", "--data", "data", "--out", "out", "--format", "json",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let f = figures(dir.path());
    assert_eq!(f["headline"]["compliments_total"], 4);
    assert_eq!(f["audience"], "public");
    assert_eq!(f["suppress_below"], 0);
}

fn all_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(all_files(&path));
        } else {
            files.push(path);
        }
    }
    files
}

fn xlsx_strings(path: &Path) -> Vec<String> {
    let mut workbook: Xlsx<_> = open_workbook(path).unwrap();
    let mut strings = Vec::new();
    for name in workbook.sheet_names() {
        let range = workbook.worksheet_range(&name).unwrap();
        for cell in range.used_cells() {
            if let Data::String(s) = cell.2 {
                strings.push(s.clone());
            }
        }
    }
    strings
}

fn formula_looking(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r']) && text.trim().parse::<f64>().is_err()
}

#[test]
fn hostile_labels_are_inert_in_every_format() {
    let (dir, output) = run("hostile", &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let out = dir.path().join("out");

    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let document = scraper::Html::parse_document(&html);
    let every = scraper::Selector::parse("*").unwrap();
    for element in document.select(&every) {
        let tag = element.value().name();
        assert_ne!(tag, "script", "a live script element");
        for (name, value) in element.value().attrs() {
            assert!(
                !name.to_ascii_lowercase().starts_with("on"),
                "an event handler on <{tag}>: {name}"
            );
            assert!(
                !value
                    .trim_start()
                    .to_ascii_lowercase()
                    .starts_with("javascript:"),
                "a javascript: link"
            );
        }
    }
    let text: String = document.root_element().text().collect();
    assert!(
        text.contains("<script>alert(1)</script>"),
        "the label is shown as text"
    );
    assert!(text.contains("<img src=x onerror=alert(1)>"));

    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains(r"\<script\>alert(1)\</script\>"));
    assert!(
        md.contains(r"\[link\](javascript:alert(1))"),
        "no live Markdown link"
    );
    for (i, _) in md.match_indices("<script") {
        assert!(
            i > 0 && &md[i - 1..i] == "\\",
            "unescaped <script in Markdown"
        );
    }

    for svg in all_files(&out.join("charts")) {
        let text = std::fs::read_to_string(&svg).unwrap();
        assert!(
            !text.contains("<script") && !text.contains("<img"),
            "{}",
            svg.display()
        );
    }

    for csv_path in all_files(&out.join("tables")) {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_path(&csv_path)
            .unwrap();
        for record in reader.records() {
            for field in record.unwrap().iter() {
                assert!(!formula_looking(field), "{}: {field:?}", csv_path.display());
            }
        }
    }
    let strings = xlsx_strings(&out.join("data-appendix.xlsx"));
    assert!(
        strings
            .iter()
            .any(|s| s == "'=HYPERLINK(\"http://evil.example\",\"click\")"),
        "neutralised, not dropped"
    );
    for s in &strings {
        assert!(!formula_looking(s), "xlsx: {s:?}");
    }
}

/// A genuine negative number — a fall on last year — stays a number in CSV, not neutralised
/// text. The sample data has falls between 2023-24 and 2024-25.
#[test]
fn negative_changes_stay_numbers_in_csv() {
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
            "csv",
            "--audience",
            "internal",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let mut negatives = 0;
    for path in all_files(&dir.path().join("out/tables")) {
        let mut reader = csv::Reader::from_path(&path).unwrap();
        for record in reader.records() {
            for field in record.unwrap().iter().skip(1) {
                if field.starts_with('-') {
                    assert!(field.parse::<f64>().is_ok(), "{}: {field}", path.display());
                    negatives += 1;
                }
                assert!(
                    !field.starts_with("'-"),
                    "a number was neutralised: {field}"
                );
            }
        }
    }
    assert!(negatives > 0, "the sample data has no falls to check");
}

#[test]
fn public_output_has_no_references_learning_or_unconsented_text() {
    let (dir, output) = run("hostile", &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    for path in all_files(&dir.path().join("out")) {
        let bytes = std::fs::read(&path).unwrap();
        let text = if path.extension().is_some_and(|e| e == "xlsx") {
            xlsx_strings(&path).join("\n")
        } else {
            String::from_utf8_lossy(&bytes).into_owned()
        };
        for secret in [
            "REF-SECRET",
            "SECRET-LEARNING-TEXT",
            "UNCONSENTED-COMPLIMENT-TEXT",
            "CMP-SECRET",
            "CMP-NOCONSENT",
        ] {
            assert!(!text.contains(secret), "{secret} in {}", path.display());
        }
    }
    // The consented compliment is quoted, as text.
    let html = std::fs::read_to_string(dir.path().join("out/report.html")).unwrap();
    let text: String = scraper::Html::parse_document(&html)
        .root_element()
        .text()
        .collect();
    // Smart punctuation curls the quotes; the tag stays text.
    assert!(
        text.contains("<script>alert(“quote”)</script> thank you"),
        "{text}"
    );

    // The internal edition may carry learning with its reference; never unconsented text.
    let (dir, output) = run("hostile", &["--audience", "internal"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let md = std::fs::read_to_string(dir.path().join("out/report.md")).unwrap();
    assert!(md.contains("SECRET-LEARNING-TEXT 1") && md.contains("REF-SECRET-001"));
    assert!(md.contains("Internal: not for publication"));
    assert!(!md.contains("UNCONSENTED-COMPLIMENT-TEXT"));
}

fn snapshot_of(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    all_files(dir)
        .into_iter()
        .map(|p| (p.clone(), std::fs::read(&p).unwrap()))
        .collect()
}

#[test]
fn a_failed_run_leaves_the_previous_report_untouched() {
    let (dir, output) = run("annual-small", &[]);
    assert_eq!(output.status.code(), Some(0));
    let out = dir.path().join("out");
    let before = snapshot_of(&out);

    // A broken template fails half-way: after the figures, while writing.
    let templates = dir.path().join("broken");
    std::fs::create_dir_all(templates.join("sections")).unwrap();
    std::fs::write(templates.join("sections/compliments.md"), "{% if %}").unwrap();
    let failed = report_in(
        dir.path(),
        &[
            "annual",
            "2022-23",
            "--data",
            "data",
            "--out",
            "out",
            "--templates",
            "broken",
        ],
    );
    assert_eq!(failed.status.code(), Some(2), "{}", stderr(&failed));
    assert_eq!(snapshot_of(&out), before, "the previous report changed");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".out"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // An --out that is a file is refused without touching it.
    std::fs::write(dir.path().join("a-file"), "keep me").unwrap();
    let refused = report_in(
        dir.path(),
        &["annual", "2022-23", "--data", "data", "--out", "a-file"],
    );
    assert_eq!(refused.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a-file")).unwrap(),
        "keep me"
    );

    // A successful run replaces the whole folder: nothing stale from the run before stays.
    let json_only = report_in(
        dir.path(),
        &[
            "annual", "2022-23", "--data", "data", "--out", "out", "--format", "json",
        ],
    );
    assert_eq!(json_only.status.code(), Some(0));
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, vec![".report-manifest.json", "figures.json"]);
}

#[test]
fn the_excel_appendix_reads_back_with_numbers_as_numbers() {
    let (dir, output) = run("annual-small", &["--audience", "internal"]);
    assert_eq!(output.status.code(), Some(0));
    let f = figures(dir.path());
    let mut workbook: Xlsx<_> = open_workbook(dir.path().join("out/data-appendix.xlsx")).unwrap();
    let names = workbook.sheet_names();
    let table_count = f["tables"].as_array().unwrap().len();
    assert_eq!(names.len(), table_count + 2);
    assert_eq!(&names[..3], ["Contents", "Notes", "Table_1"]);

    let contents = workbook.worksheet_range("Contents").unwrap();
    assert_eq!(
        contents.get_value((5, 0)),
        Some(&Data::String("Table_1".into()))
    );
    assert_eq!(
        contents.get_value((5, 1)),
        Some(&Data::String("Representations received by type".into()))
    );
    let notes = workbook.worksheet_range("Notes").unwrap();
    let notes_text: Vec<String> = notes
        .used_cells()
        .filter_map(|c| match c.2 {
            Data::String(s) => Some(s.clone()),
            _ => None,
        })
        .collect();
    assert!(
        notes_text
            .iter()
            .any(|s| s.contains("Internal: not for publication"))
    );
    assert!(notes_text.iter().any(|s| s.contains("SHA-256")));

    // Table 1, as worked by hand in tests/annual.rs: Complaint 2021-22 = 2, 2022-23 = 9,
    // change 350%; earlier years [x] as text.
    let sheet = workbook.worksheet_range("Table_1").unwrap();
    assert_eq!(
        sheet.get_value((0, 0)),
        Some(&Data::String(
            "Table 1: Representations received by type".into()
        ))
    );
    assert_eq!(sheet.get_value((2, 0)), Some(&Data::String("Type".into())));
    assert_eq!(
        sheet.get_value((3, 0)),
        Some(&Data::String("Complaint".into()))
    );
    assert_eq!(sheet.get_value((3, 1)), Some(&Data::String("[x]".into())));
    assert_eq!(sheet.get_value((3, 3)), Some(&Data::Float(2.0)));
    assert_eq!(sheet.get_value((3, 4)), Some(&Data::Float(9.0)));
    assert_eq!(
        sheet.get_value((3, 6)),
        Some(&Data::Float(3.5)),
        "350% stored as a fraction, shown as a percentage"
    );

    // Public: suppressed cells are the text [c].
    let (dir, _) = run("annual-small", &[]);
    let mut workbook: Xlsx<_> = open_workbook(dir.path().join("out/data-appendix.xlsx")).unwrap();
    let sheet = workbook.worksheet_range("Table_1").unwrap();
    assert_eq!(sheet.get_value((3, 3)), Some(&Data::String("[c]".into())));
}

#[test]
fn provenance_names_every_input_and_the_config_with_their_fingerprints() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::copy(
        fixture("annual-small").join("representations.csv"),
        data.join("representations.csv"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("report.toml"),
        "authority = \"Test Council\"\n",
    )
    .unwrap();
    let output = report_in(
        dir.path(),
        &[
            "annual", "2022-23", "--data", "data", "--out", "out", "--format", "json,md",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let f = figures(dir.path());
    let provenance = &f["provenance"];
    assert_eq!(
        provenance["command"],
        "report annual 2022-23 --data data --out out --format json,md"
    );
    // No --as-at: the figures are as at the latest date in the file, A-line's 20 April 2023.
    assert_eq!(provenance["as_at"], "2023-04-20");
    assert_eq!(provenance["as_at_is_latest_in_data"], true);
    assert_eq!(provenance["version"], env!("CARGO_PKG_VERSION"));
    // The SHA-256 of the bytes as committed, computed independently here.
    use sha2::Digest;
    let expected = |bytes: &[u8]| {
        sha2::Sha256::digest(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    let csv = std::fs::read(data.join("representations.csv")).unwrap();
    assert_eq!(provenance["inputs"][0]["sha256"], expected(&csv));
    assert_eq!(provenance["inputs"][0]["rows"], 17);
    assert_eq!(provenance["config"]["name"], "report.toml");
    assert_eq!(
        provenance["config"]["sha256"],
        expected(b"authority = \"Test Council\"\n")
    );
    let md = std::fs::read_to_string(dir.path().join("out/report.md")).unwrap();
    assert!(
        md.contains(&expected(&csv)) && md.contains(&expected(b"authority = \"Test Council\"\n"))
    );
}

/// Validation messages name the reference of a duplicated or orphaned row. Excluded with
/// --skip-invalid, such rows are listed in the report — in public, without the reference.
#[test]
fn excluded_rows_do_not_reveal_references_in_public() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let mut csv = std::fs::read_to_string(fixture("hostile").join("representations.csv")).unwrap();
    let first_row = csv.lines().nth(1).unwrap().to_string();
    csv.push_str(&first_row);
    csv.push('\n');
    // A stage 2 with no stage 1, received a year and more after the data starts: an error.
    csv.push_str("REF-SECRET-ORPHAN,Complaint,2,2025-09-01,,no,2025-09-30,Not upheld,Fostering,,Parent,Email,no,,,,,no,,\n");
    std::fs::write(data.join("representations.csv"), csv).unwrap();

    let public = report_in(
        dir.path(),
        &[
            "annual",
            "2024-25",
            "--data",
            "data",
            "--out",
            "out",
            "--skip-invalid",
            "--as-at",
            "2025-07-01",
        ],
    );
    assert_eq!(public.status.code(), Some(0), "{}", stderr(&public));
    let f = figures(dir.path());
    let excluded = f["reconciliation"]["representations"]["excluded"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(excluded.len(), 2, "{excluded:?}");
    assert!(
        excluded[0]["reason"]
            .as_str()
            .unwrap()
            .contains("appears twice")
    );
    for path in all_files(&dir.path().join("out")) {
        if path.extension().is_some_and(|e| e == "xlsx") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            !text.contains("REF-SECRET"),
            "a reference in {}",
            path.display()
        );
    }
    assert!(
        !xlsx_strings(&dir.path().join("out/data-appendix.xlsx"))
            .iter()
            .any(|s| s.contains("REF-SECRET"))
    );

    // The internal edition names them, for staff to fix.
    let internal = report_in(
        dir.path(),
        &[
            "annual",
            "2024-25",
            "--data",
            "data",
            "--out",
            "internal",
            "--skip-invalid",
            "--audience",
            "internal",
            "--as-at",
            "2025-07-01",
        ],
    );
    assert_eq!(internal.status.code(), Some(0), "{}", stderr(&internal));
    let md = std::fs::read_to_string(dir.path().join("internal/report.md")).unwrap();
    assert!(md.contains("REF-SECRET-ORPHAN"));
}

/// Runs the public annual report of the sample data with `config` as report.toml.
fn sample_with(config: &str) -> (tempfile::TempDir, std::process::Output) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("report.toml"), config).unwrap();
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
            "json",
        ],
    );
    (dir, output)
}

fn hidden_cells(figures: &Value) -> usize {
    figures["tables"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| cells(t).into_iter().flatten())
        .filter(is_c)
        .count()
}

/// The Ombudsman publishes its own decisions on each council: with `ombudsman = "public"` its
/// counts are shown even when small, and the rest is still protected (the audit passes, or the
/// report would not be written).
#[test]
fn ombudsman_counts_can_be_public() {
    let (dir, output) = sample_with("[publication]\nombudsman = \"public\"\n");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let f = figures(dir.path());
    // 2024-25 in the sample data: one Ombudsman case (LGSCO), decided.
    assert_eq!(f["headline"]["ombudsman_cases"], 1);
    let by_type = &tables(&f)["received-by-type"];
    let lgsco = by_type["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r[0] == "LGSCO")
        .unwrap();
    assert_eq!(lgsco[4], 1, "the LGSCO type is the Ombudsman's too");

    let (dir, output) = sample_with("");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(figures(dir.path())["headline"]["ombudsman_cases"], "[c]");
}

/// The protection interval is the council's to set: a narrower one hides fewer cells.
#[test]
fn the_protection_interval_decides_how_much_more_is_hidden() {
    let (wide, output) = sample_with("[publication]\nprotection = 6\n");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let (narrow, output) = sample_with("[publication]\nprotection = 2\n");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let (wide, narrow) = (
        hidden_cells(&figures(wide.path())),
        hidden_cells(&figures(narrow.path())),
    );
    assert!(
        wide > narrow,
        "protection 6 hid {wide} cells, 2 hid {narrow}"
    );

    let (_, output) = sample_with("[publication]\nprotection = 1\n");
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("protection must be at least 2"));
    let (_, output) = sample_with("[publication]\nombudsman = \"sometimes\"\n");
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("ombudsman"), "{}", stderr(&output));
}

/// The public workbook holds percentages as shown: whole numbers, not the fractions behind them.
#[test]
fn public_percentages_are_stored_as_shown() {
    let (dir, output) = run("annual-small", &["--audience", "internal"]);
    assert_eq!(output.status.code(), Some(0));
    let internal = figures(dir.path());
    let (dir, _) = sample_with("");
    let public = figures(dir.path());
    // Percentages only: means and rates keep their one decimal.
    let fractional = |f: &Value| {
        let mut n = 0;
        for t in f["tables"].as_array().unwrap() {
            let columns = t["columns"].as_array().unwrap();
            for row in cells(t) {
                for (c, v) in row.iter().enumerate() {
                    let percent = columns[c + 1].as_str().unwrap().contains('%');
                    if percent && v.as_f64().is_some_and(|x| x.fract() != 0.0) {
                        n += 1;
                    }
                }
            }
        }
        n
    };
    assert!(fractional(&internal) > 0);
    assert_eq!(fractional(&public), 0);
}
