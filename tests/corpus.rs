//! A corpus of bad exports, each with the exact verdict `report check` must give: the exit code,
//! every problem line, and for files that read cleanly the summary lines that prove they were
//! read right. Each case is a folder of tests/corpus/ with an `expected.txt`:
//!
//! ```text
//! exit 1
//! representations.csv:2: payment: '1.250,00' uses a comma as the decimal point: …
//! summary: representations.csv  3 rows, …
//! ```
//!
//! Files that are not text (a workbook, an image) and one very long field are made here rather
//! than committed.

mod common;

use std::path::Path;

use common::{fixture, report, stderr, stdout};

fn corpus() -> std::path::PathBuf {
    fixture("../corpus")
}

/// The problem lines of `check`'s output (or its error), as a list.
fn verdict(data: &Path) -> (i32, Vec<String>, String) {
    let output = report(&["check", "2024-25", "--data", data.to_str().unwrap()]);
    let text = stdout(&output);
    let mut lines: Vec<String> = text
        .lines()
        .take_while(|l| !l.is_empty())
        .filter(|l| !l.starts_with("Labels in") && !l.starts_with("Read "))
        .map(str::to_string)
        .collect();
    if lines.first().is_some_and(|l| l.starts_with("  ")) {
        lines.clear();
    }
    lines.extend(stderr(&output).lines().map(str::to_string));
    (output.status.code().unwrap_or(-1), lines, text)
}

#[test]
fn every_bad_export_gets_its_exact_verdict() {
    let mut cases = 0;
    for entry in std::fs::read_dir(corpus()).unwrap() {
        let dir = entry.unwrap().path();
        let expected = std::fs::read_to_string(dir.join("expected.txt")).unwrap();
        let data = dir.to_str().unwrap().to_string();
        let mut lines = expected.lines();
        let exit: i32 = lines
            .next()
            .and_then(|l| l.strip_prefix("exit "))
            .and_then(|n| n.parse().ok())
            .expect("expected.txt starts with `exit N`");
        let (problems, summaries): (Vec<&str>, Vec<&str>) =
            lines.partition(|l| !l.starts_with("summary: "));
        let problems: Vec<String> = problems
            .iter()
            .map(|l| l.replace("{data}", &data))
            .collect();
        let (code, got, text) = verdict(&dir);
        let name = dir.file_name().unwrap().to_string_lossy();
        assert_eq!(got, problems, "{name}\n{text}");
        assert_eq!(code, exit, "{name}\n{text}");
        for summary in summaries {
            let summary = summary.strip_prefix("summary: ").unwrap();
            assert!(text.contains(summary), "{name}: no `{summary}` in\n{text}");
        }
        cases += 1;
    }
    assert!(cases >= 22, "{cases} cases");
}

/// A workbook, an image or a PDF saved with a `.csv` name is named for what it is; a field of
/// 100,000 characters is read, and warned about.
#[test]
fn files_that_are_not_csv_say_what_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let mut workbook = rust_xlsxwriter::Workbook::new();
    workbook
        .add_worksheet()
        .write_string(0, 0, "reference")
        .unwrap();
    let cases: [(&str, Vec<u8>, &str); 3] = [
        (
            "xlsx",
            workbook.save_to_buffer().unwrap(),
            "representations.csv: this is an Excel workbook, not a CSV file: open it in Excel and save it as \"CSV UTF-8 (Comma delimited)\"",
        ),
        (
            "png",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89"
                .to_vec(),
            "representations.csv: this is a PNG image, not a CSV file",
        ),
        (
            "pdf",
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n".to_vec(),
            "representations.csv: this is a PDF document, not a CSV file",
        ),
    ];
    for (name, bytes, message) in cases {
        let data = dir.path().join(name);
        std::fs::create_dir_all(&data).unwrap();
        std::fs::write(data.join("representations.csv"), bytes).unwrap();
        let (code, got, text) = verdict(&data);
        assert_eq!(code, 1, "{name}: {text}");
        assert_eq!(got, vec![message.to_string()], "{name}");
    }

    let data = dir.path().join("long");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(
        data.join("representations.csv"),
        format!(
            "reference,type,stage,received,learning\nA1,Complaint,1,2024-05-01,\"{}\"\n",
            "z".repeat(100_000)
        ),
    )
    .unwrap();
    let (code, got, _) = verdict(&data);
    assert_eq!(code, 0);
    assert_eq!(
        got,
        vec![
            "representations.csv:2: learning: warning: the value is 100,000 characters long; the Excel appendix cuts a cell at 32,767 characters and marks the cut"
        ]
    );
}
