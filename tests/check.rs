//! `report check` on fixture folders, through the real binary.

mod common;

use common::{fixture, repo_path, report, stderr, stdout};

#[test]
fn the_sample_data_is_clean_and_the_summary_says_what_was_read() {
    let data = repo_path("sample-data");
    let output = report(&["check", "--data", data.to_str().unwrap()]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{text}{}", stderr(&output));
    assert!(text.contains("representations.csv"), "{text}");
    assert!(text.contains("years 2020-21 to 2024-25"), "{text}");
    for file in ["compliments.csv", "actions.csv", "context.csv"] {
        assert!(text.contains(file), "{file} missing from:\n{text}");
    }
    assert!(text.ends_with("0 errors, 0 warnings\n"), "{text}");
}

#[test]
fn four_bad_rows_are_named_and_no_good_one() {
    let data = fixture("four-bad-rows");
    let output = report(&["check", "--data", data.to_str().unwrap()]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    // The bad rows, by hand: line 3 has 31 February, line 5 stage 4, line 7 a response a week
    // before receipt, line 8 "maybe" for advocate.
    let problem_lines: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("representations.csv:"))
        .collect();
    assert_eq!(
        problem_lines,
        vec![
            "representations.csv:3: received: unreadable date '31/02/2022': February 2022 has no day 31",
            "representations.csv:5: stage: stage must be 1, 2 or 3 or blank, not '4'",
            "representations.csv:7: responded: responded 2022-10-03 is before received 2022-10-10",
            "representations.csv:8: advocate: 'maybe' is not yes or no",
        ]
    );
    assert!(text.contains("8 rows (4 usable, 4 with errors)"), "{text}");
    assert!(text.contains("4 errors, 0 warnings"), "{text}");
}

#[test]
fn a_missing_received_column_is_named_with_the_likely_header() {
    let data = fixture("missing-received");
    let output = report(&["check", "--data", data.to_str().unwrap()]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.contains("representations.csv:1: missing required column 'received'; did you mean 'Date recieved'?"),
        "{text}"
    );
}

#[test]
fn a_missing_folder_or_file_is_a_usage_error() {
    let output = report(&["check", "--data", "/nonexistent/folder"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("the data folder /nonexistent/folder does not exist"));

    let empty = tempfile::tempdir().unwrap();
    let output = report(&["check", "--data", empty.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("representations.csv not found"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn unknown_arguments_exit_with_2() {
    let output = report(&["check", "--bogus"]);
    assert_eq!(output.status.code(), Some(2));
}
