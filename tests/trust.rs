//! Trust: the tool never destroys a folder it did not write, never loses a row silently, and
//! `check` finds everything `annual` would stop on. Each test here is one of the defects a new
//! user met, tried the way they met it.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{copy_dir, repo_path, report_in, stderr, stdout};

/// A fresh folder holding a copy of the sample data as `data/`.
fn sample() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo_path("sample-data"), &dir.path().join("data"));
    dir
}

fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.insert(path.clone(), std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// Replaces line `line` (1-based) of `file` by what `edit` makes of it.
fn edit_line(file: &Path, line: usize, edit: impl Fn(&str) -> String) {
    let text = std::fs::read_to_string(file).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines[line - 1] = edit(&lines[line - 1]);
    std::fs::write(file, lines.join("\n") + "\n").unwrap();
}

/// Sets field `column` (0-based) of a CSV line with no quoted fields.
fn set_field(line: &str, column: usize, value: &str) -> String {
    let mut fields: Vec<&str> = line.split(',').collect();
    fields[column] = value;
    fields.join(",")
}

const RESPONDED: usize = 6;
const LEARNING: usize = 19;

// Defect 1: `--out` pointing at the data, a parent of it, or someone else's folder.
#[test]
fn out_never_replaces_a_folder_the_tool_did_not_write() {
    let dir = sample();
    let before = snapshot(dir.path());
    for out in ["data", ".", "data/reports/2024-25"] {
        let output = report_in(
            dir.path(),
            &["annual", "2024-25", "--data", "data", "--out", out],
        );
        assert_eq!(
            output.status.code(),
            Some(2),
            "--out {out}: {}",
            stdout(&output)
        );
        assert!(
            stderr(&output).contains("the data folder"),
            "--out {out}: {}",
            stderr(&output)
        );
        assert_eq!(snapshot(dir.path()), before, "--out {out} changed a file");
    }

    // Someone's own folder of other files.
    let documents = dir.path().join("Documents");
    std::fs::create_dir_all(documents.join("minutes")).unwrap();
    std::fs::write(documents.join("agenda.docx"), "agenda").unwrap();
    std::fs::write(documents.join("minutes/2024-10.docx"), "minutes").unwrap();
    let before = snapshot(dir.path());
    let output = report_in(
        dir.path(),
        &["annual", "2024-25", "--data", "data", "--out", "Documents"],
    );
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output).trim(),
        "error: --out Documents already holds 2 files (agenda.docx, minutes/2024-10.docx) and it is not a report this tool wrote; the report replaces its output folder whole, so give a new or empty folder"
    );
    assert_eq!(snapshot(dir.path()), before);

    // The config and the narrative are inputs too.
    std::fs::write(dir.path().join("report.toml"), "authority = \"Test\"\n").unwrap();
    let output = report_in(
        dir.path(),
        &["annual", "2024-25", "--data", "data", "--out", "."],
    );
    assert_eq!(output.status.code(), Some(2));

    // Its own report it replaces, again and again; and an empty folder.
    std::fs::create_dir_all(dir.path().join("empty")).unwrap();
    for out in ["out", "out", "empty"] {
        let output = report_in(
            dir.path(),
            &[
                "annual", "2024-25", "--data", "data", "--out", out, "--format", "json",
            ],
        );
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    }
    // A file added to the report folder makes it someone's again.
    std::fs::write(dir.path().join("out/notes.txt"), "mine").unwrap();
    let output = report_in(
        dir.path(),
        &[
            "annual", "2024-25", "--data", "data", "--out", "out", "--format", "json",
        ],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("notes.txt"), "{}", stderr(&output));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("out/notes.txt")).unwrap(),
        "mine"
    );
}

// Defect 2: a stray quote at the start of the last field of line 520.
#[test]
fn a_stray_quote_is_named_at_its_line_and_loses_no_other_row() {
    let dir = sample();
    let file = dir.path().join("data/representations.csv");
    let rows_before = std::fs::read_to_string(&file).unwrap().lines().count() - 1;
    edit_line(&file, 520, |line| {
        set_field(line, LEARNING, "\"Mum said no")
    });

    let check = report_in(dir.path(), &["check", "--data", "data"]);
    assert_eq!(check.status.code(), Some(1));
    let text = stdout(&check);
    let errors: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("representations.csv:"))
        .collect();
    assert_eq!(
        errors,
        vec![format!(
            "representations.csv:520: learning: a quote opened here runs to line {}; is a closing quote missing? The lines after it were read as rows of their own",
            rows_before + 1
        )]
    );
    assert!(
        text.contains(&format!(
            "{rows_before} rows ({} usable, 1 with errors)",
            rows_before - 1
        )),
        "{text}"
    );

    let annual = report_in(dir.path(), &["annual", "2024-25", "--data", "data"]);
    assert_eq!(annual.status.code(), Some(1));
    assert!(stderr(&annual).contains("representations.csv:520: learning:"));

    // Skipped, exactly one row is left out, and it is listed.
    let skipped = report_in(
        dir.path(),
        &[
            "annual",
            "2024-25",
            "--data",
            "data",
            "--skip-invalid",
            "--format",
            "json",
        ],
    );
    assert_eq!(skipped.status.code(), Some(0), "{}", stderr(&skipped));
    let figures: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("out/2024-25/figures.json")).unwrap(),
    )
    .unwrap();
    let reps = &figures["reconciliation"]["representations"];
    assert_eq!(reps["rows_read"], rows_before);
    assert_eq!(reps["excluded"].as_array().unwrap().len(), 1);
    assert_eq!(reps["excluded"][0]["line"], 520);
    assert_eq!(
        reps["rows_usable"].as_u64().unwrap() + 1,
        rows_before as u64
    );
}

/// One thing a council's data might hold, and whether it stops the report.
struct Case {
    name: &'static str,
    edit: fn(&Path),
    year: &'static str,
    /// The line `check` and `annual` both name, when it is an error.
    names: Option<&'static str>,
}

// Defect 3: check passed, then annual stopped with no file or line.
#[test]
fn check_finds_everything_annual_stops_on() {
    let cases = [
        Case {
            name: "a response in 2099, in a comparison year",
            edit: |data| {
                edit_line(&data.join("representations.csv"), 150, |l| {
                    set_field(l, RESPONDED, "2099-01-02")
                })
            },
            year: "2024-25",
            names: Some(
                "representations.csv:150: responded: 2099-01-02 is outside the working-day calendar",
            ),
        },
        Case {
            name: "a response in 2204",
            edit: |data| {
                edit_line(&data.join("representations.csv"), 600, |l| {
                    set_field(l, RESPONDED, "2204-03-02")
                })
            },
            year: "2024-25",
            names: Some("representations.csv:600: responded: 2204-03-02 is outside"),
        },
        Case {
            name: "a year with no rows",
            edit: |_| {},
            year: "2019-20",
            names: Some("representations.csv: no representations were received in 2019-20"),
        },
        Case {
            name: "a note of 100,000 characters",
            edit: |data| {
                edit_line(&data.join("representations.csv"), 600, |l| {
                    set_field(l, LEARNING, &"x".repeat(100_000))
                })
            },
            year: "2024-25",
            names: None,
        },
    ];
    for case in cases {
        let dir = sample();
        (case.edit)(&dir.path().join("data"));
        let check = report_in(dir.path(), &["check", case.year, "--data", "data"]);
        let annual = report_in(
            dir.path(),
            &[
                "annual",
                case.year,
                "--data",
                "data",
                "--audience",
                "internal",
            ],
        );
        assert_eq!(
            check.status.code(),
            annual.status.code(),
            "{}: check and annual disagree\n{}\n{}",
            case.name,
            stdout(&check),
            stderr(&annual)
        );
        match case.names {
            Some(named) => {
                assert_eq!(annual.status.code(), Some(1), "{}", case.name);
                assert!(
                    stdout(&check).contains(named),
                    "{}: {}",
                    case.name,
                    stdout(&check)
                );
                assert!(
                    stderr(&annual).contains(named),
                    "{}: {}",
                    case.name,
                    stderr(&annual)
                );
            }
            None => {
                assert_eq!(
                    annual.status.code(),
                    Some(0),
                    "{}: {}",
                    case.name,
                    stderr(&annual)
                );
                assert!(
                    stdout(&check).contains("representations.csv:600: learning: warning: the value is 100,000 characters long"),
                    "{}",
                    stdout(&check)
                );
            }
        }
    }
}

/// The long note is cut in the workbook with a visible marker, not a failed run.
#[test]
fn a_value_over_excels_limit_is_cut_with_a_marker() {
    let dir = sample();
    edit_line(&dir.path().join("data/representations.csv"), 600, |l| {
        set_field(l, LEARNING, &"y".repeat(100_000))
    });
    let output = report_in(
        dir.path(),
        &[
            "annual",
            "2024-25",
            "--data",
            "data",
            "--audience",
            "internal",
            "--format",
            "xlsx",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let mut workbook: Xlsx<_> =
        open_workbook(dir.path().join("out/2024-25/data-appendix.xlsx")).unwrap();
    let mut found = false;
    for name in workbook.sheet_names() {
        for cell in workbook.worksheet_range(&name).unwrap().used_cells() {
            if let Data::String(s) = cell.2
                && s.starts_with("yyy")
            {
                assert!(
                    s.ends_with(" [cut: 100,000 characters in full]"),
                    "{}",
                    &s[s.len() - 50..]
                );
                assert!(s.chars().count() <= 32_767);
                found = true;
            }
        }
    }
    assert!(found, "the long note is in the internal workbook");
}

// Defect 4: --skip-invalid published "0% upheld" past a missing mapped column or a duplicate
// header.
#[test]
fn skip_invalid_never_skips_a_problem_with_a_whole_file() {
    let dir = sample();
    std::fs::write(
        dir.path().join("report.toml"),
        "[columns.representations]\noutcome = \"Decision\"\n",
    )
    .unwrap();
    let output = report_in(
        dir.path(),
        &["annual", "2024-25", "--data", "data", "--skip-invalid"],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains(
            "representations.csv:1: the mapped column 'Decision' (for outcome) is not in the file"
        ),
        "{}",
        stderr(&output)
    );
    assert!(stderr(&output).contains("cannot be skipped with --skip-invalid"));
    assert!(!dir.path().join("out").exists());

    let dir = sample();
    let file = dir.path().join("data/representations.csv");
    edit_line(&file, 1, |header| {
        header.replace(",ethnicity,", ",outcome,")
    });
    let output = report_in(
        dir.path(),
        &["annual", "2024-25", "--data", "data", "--skip-invalid"],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output)
            .contains("representations.csv:1: outcome: the header 'outcome' appears 2 times"),
        "{}",
        stderr(&output)
    );
}

// Defect 5: a value with an apostrophe leaked half a name when public messages were cut at
// quote marks.
#[test]
fn a_name_with_an_apostrophe_never_reaches_public_output() {
    let dir = sample();
    edit_line(&dir.path().join("data/representations.csv"), 600, |l| {
        set_field(l, 2, "Mrs O'Neill")
    });
    let output = report_in(
        dir.path(),
        &["annual", "2024-25", "--data", "data", "--skip-invalid"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    for (path, bytes) in snapshot(&dir.path().join("out")) {
        if path.extension().is_some_and(|e| e == "xlsx") {
            continue;
        }
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("Neill") && !text.contains("Mrs O"),
            "{}",
            path.display()
        );
    }
    let figures = std::fs::read_to_string(dir.path().join("out/2024-25/figures.json")).unwrap();
    assert!(
        figures.contains("stage: stage must be 1, 2 or 3 or blank"),
        "the row is still listed"
    );
}

// Defect 6: --format xlsx was refused.
#[test]
fn every_listed_format_is_accepted() {
    let dir = sample();
    for format in ["md", "html", "json", "csv", "xlsx", "all"] {
        let output = report_in(
            dir.path(),
            &[
                "annual", "2024-25", "--data", "data", "--out", format, "--format", format,
            ],
        );
        assert_eq!(
            output.status.code(),
            Some(0),
            "{format}: {}",
            stderr(&output)
        );
    }
    assert!(dir.path().join("xlsx/data-appendix.xlsx").is_file());
}

// Defect 8: an unclosed comment in the narrative hid half the HTML.
#[test]
fn an_unclosed_comment_in_the_narrative_hides_nothing() {
    let dir = sample();
    std::fs::write(
        dir.path().join("data/narrative.md"),
        "## Introduction\n\nOur year.\n\n<!-- a note to self\n\n## Recommendations\n\nAnswer faster.\n",
    )
    .unwrap();
    let output = report_in(
        dir.path(),
        &["annual", "2024-25", "--data", "data", "--format", "html"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).contains("1 warning"), "{}", stdout(&output));
    let html = std::fs::read_to_string(dir.path().join("out/2024-25/report.html")).unwrap();
    let text: String = scraper::Html::parse_document(&html)
        .root_element()
        .text()
        .collect();
    for shown in [
        "Answer faster.",
        "Data quality and reconciliation",
        "Appendix: how this report was made",
    ] {
        assert!(text.contains(shown), "{shown} is hidden");
    }
    let check = report_in(dir.path(), &["check", "--data", "data"]);
    assert!(
        stdout(&check)
            .contains("narrative.md:5: warning: a comment opened here (<!--) is never closed"),
        "{}",
        stdout(&check)
    );
}

/// A national export is read in two parts side by side (a file of 8 MiB or more, for a report);
/// `check` reads it with one reader. Around the middle, where the file is split, are a note
/// over two lines, a stray quote that never closes, a blank line and a bad date. The two reads
/// must agree on every problem, in order, and on every line's account; and the rows used are
/// the rows written less the two rejected.
#[test]
fn a_large_export_read_in_two_parts_loses_and_adds_nothing() {
    use report::calendar::Calendar;
    use report::load::{LoadOptions, Mapping, check, load};

    let dir = tempfile::tempdir().unwrap();
    let rows = 60_000;
    let middle = rows / 2;
    let mut text = String::from(
        "reference,type,stage,received,acknowledged,extended,responded,outcome,service,nature,\
         complainant,method,advocate,outcome_sought,remedy,payment,refusal_reason,\
         informal_resolution,ethnicity,learning\n",
    );
    for n in 0..rows {
        let day = 1 + n % 28;
        let (kind, received) = match n {
            // Opens a quote that nothing closes: the row is read again with the quote as a
            // character, and every line after it as a row of its own.
            _ if n == middle + 200 => ("\"Complaint".to_string(), format!("2024-05-{day:02}")),
            _ if n == middle + 400 => ("Complaint".to_string(), "2024-13-40".to_string()),
            _ => ("Complaint".to_string(), format!("2024-05-{day:02}")),
        };
        let learning = if n == middle - 3 {
            "\"Reply to every message\nwithin two days.\""
        } else {
            "Reply to every message within two days."
        };
        text.push_str(&format!(
            "CSC-{n:06},{kind},1,{received},2024-05-{day:02},no,2024-06-03,Not upheld,Fostering,\
             Delay; Communication,Parent,Email,no,Apology,Explanation,,,no,White British,{learning}\n"
        ));
        if n == middle + 300 {
            text.push('\n');
        }
    }
    assert!(text.len() > 8 << 20, "large enough to be read in two parts");
    std::fs::write(dir.path().join("representations.csv"), &text).unwrap();

    let options = LoadOptions {
        data_dir: dir.path(),
        mapping: &Mapping::default(),
        calendar: Calendar::england_and_wales(),
        today: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        quoted: &[],
    };
    let one = check(&options).unwrap();
    let two = load(&options).unwrap();
    let listed = |problems: &report::load::problems::Problems| -> Vec<String> {
        problems.iter().map(ToString::to_string).collect()
    };
    assert_eq!(listed(&one.problems), listed(&two.problems));
    assert_eq!(format!("{:?}", one.files), format!("{:?}", two.files));
    assert_eq!(two.representations.height(), rows - 2);

    // Row n is on line n + 2, and one line later after the note over two lines (row
    // middle - 3), and another after the blank line (after row middle + 300).
    let problems = listed(&two.problems);
    let at = |line: usize, text: &str| {
        problems
            .iter()
            .any(|p| p.starts_with(&format!("representations.csv:{line}: ")) && p.contains(text))
    };
    let last_line = rows + 3;
    assert!(
        at(middle + 203, &format!("runs to line {last_line}")),
        "{problems:#?}"
    );
    assert!(at(middle + 404, "received"), "{problems:#?}");
    assert!(
        problems
            .iter()
            .any(|p| p.contains(&format!("blank line {} was skipped", middle + 304))),
        "{problems:#?}"
    );
}
