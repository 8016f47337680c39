use super::*;

/// `bytes` read as the file `name`, `chunk` bytes at a time, with the canonical mapping.
fn read_bytes(source: Source, name: &str, bytes: &[u8], chunk: usize) -> (Table, Problems) {
    read_bytes_split(source, name, bytes, chunk, None)
}

/// As `read_bytes`, in two parts split near byte `near` when it is given.
fn read_bytes_split(
    source: Source,
    name: &str,
    bytes: &[u8],
    chunk: usize,
    near: Option<u64>,
) -> (Table, Problems) {
    let open_again =
        || -> io::Result<Box<dyn split::Input>> { Ok(Box::new(io::Cursor::new(bytes.to_vec()))) };
    let mut problems = Problems::default();
    let split = near.map(|near| Split {
        open: &open_again,
        near,
        one_done: &|| {},
    });
    let table = read_reopened(source, name, bytes, chunk, split, &mut problems)
        .expect("reading from memory cannot fail");
    (table, problems)
}

/// `bytes` read as the file `name`, `chunk` bytes at a time with the canonical mapping, in two
/// parts as `split` says: its `open` gives what opening the file again finds.
fn read_reopened(
    source: Source,
    name: &str,
    bytes: &[u8],
    chunk: usize,
    split: Option<Split>,
    problems: &mut Problems,
) -> io::Result<Table> {
    read_input(
        source,
        name,
        io::Cursor::new(bytes),
        chunk,
        &ReadOptions {
            header_map: &HeaderMap::default(),
            date_format: None,
            withheld: &[],
            split,
        },
        problems,
    )
}

/// `text`, a compliments file, read in two parts split half way, `chunk` bytes at a time,
/// where opening the file again gives what `open_again` gives: the read must find the file
/// changed while it was read.
fn assert_changed_while_read_in_two(
    text: &str,
    chunk: usize,
    open_again: &(dyn Fn() -> io::Result<Box<dyn split::Input>> + Sync),
) {
    let split = Split {
        open: open_again,
        near: text.len() as u64 / 2,
        one_done: &|| {},
    };
    let mut problems = Problems::default();
    let read = read_reopened(
        Source::Compliments,
        "compliments.csv",
        text.as_bytes(),
        chunk,
        Some(split),
        &mut problems,
    );
    let error = read.expect_err("the bytes read are not the ones fingerprinted");
    assert!(
        error
            .to_string()
            .contains("changed while it was being read"),
        "{error}"
    );
}

fn read_as(source: Source, text: &str) -> (Table, Problems) {
    read_bytes(
        source,
        source.default_file_name(),
        text.as_bytes(),
        window::CHUNK,
    )
}

fn read(text: &str) -> (Table, Problems) {
    read_as(Source::Context, text)
}

fn messages(problems: &Problems) -> Vec<String> {
    problems.iter().map(ToString::to_string).collect()
}

#[test]
fn headers_match_ignoring_case_space_and_order() {
    let (table, problems) = read("Value, Measure ,YEAR\n5715,Cases,2024-25\n");
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(table.rows_read(), 1);
    assert!(table.is_valid(0));
    assert_eq!(table.cells("measure").unwrap().string(0), Some("Cases"));
}

#[test]
fn a_missing_required_column_is_named_with_a_suggestion() {
    let (table, problems) = read("Financial year,measure,value\n2024-25,Cases,1\n");
    assert!(table.unusable);
    let messages = messages(&problems);
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(
        messages[0].contains("missing required column 'year'"),
        "{}",
        messages[0]
    );
    assert!(
        messages[0].contains("did you mean 'Financial year'"),
        "{}",
        messages[0]
    );
    assert!(problems.iter().all(|p| p.kind.is_about_the_file()));
}

#[test]
fn bad_cells_are_named_by_line_and_column_and_rows_still_counted() {
    let text = "year,measure,value\n2024-25,Cases,12\n2024,Cases,x\n2023-24,,3\n";
    let (table, mut problems) = read(text);
    problems.sort();
    assert_eq!(table.rows_read(), 3);
    assert!(table.is_valid(0));
    assert!(!table.is_valid(1));
    assert!(!table.is_valid(2));
    let messages = messages(&problems);
    assert_eq!(messages.len(), 3, "{messages:?}");
    assert!(messages[0].starts_with("context.csv:3: year: '2024' is not a financial year"));
    assert!(messages[1].starts_with("context.csv:3: value: 'x' is not a number"));
    assert!(messages[2].starts_with("context.csv:4: measure: missing value"));
}

#[test]
fn quoted_line_breaks_in_free_text_are_accounted_and_later_lines_stay_true() {
    let text =
        "reference,received,text\nK1,2024-05-01,\"Thank you\nfor everything\"\nK2,2024-05-x,Hi\n";
    let (table, problems) = read_as(Source::Compliments, text);
    assert_eq!(table.lines, vec![2, 4]);
    assert_eq!(problems.errors().next().unwrap().line, Some(4));
    assert_eq!(
        table.account.multiline,
        vec![MultiLine {
            first_line: 2,
            last_line: 3,
            column: "text".into()
        }]
    );
    assert!(table.account.balances(), "{:?}", table.account);
}

#[test]
fn a_line_break_in_a_label_is_an_error() {
    let text = "year,measure,value\n2024-25,\"Cases\nover two lines\",1\n";
    let (table, problems) = read(text);
    assert!(!table.is_valid(0));
    assert_eq!(
        messages(&problems),
        vec![
            "context.csv:2: measure: a line break inside the value (lines 2 to 3); only free-text columns may run over several lines"
        ]
    );
}

fn representations(rows: usize, stray_at: Option<usize>) -> String {
    let mut text = String::from("reference,type,stage,received,responded,outcome,learning\n");
    for i in 0..rows {
        let learning = if Some(i) == stray_at {
            "\"Mum said no"
        } else {
            "Listen first"
        };
        text.push_str(&format!(
            "R{i},Complaint,1,2024-05-{:02},2024-06-{:02},Upheld,{learning}\n",
            1 + i % 28,
            1 + i % 28
        ));
    }
    text
}

/// The attacker's test: one stray quote must cost one row, named at the line where the quote
/// opened, and every later row must still be read.
#[test]
fn a_stray_quote_costs_one_row_named_where_it_opened() {
    let text = representations(200, Some(99));
    let (table, problems) = read_as(Source::Representations, &text);
    assert_eq!(table.rows_read(), 200, "no row is swallowed");
    let errors: Vec<String> = problems.errors().map(ToString::to_string).collect();
    assert_eq!(
        errors,
        vec![
            "representations.csv:101: learning: a quote opened here runs to line 201; is a closing quote missing? The lines after it were read as rows of their own"
        ]
    );
    assert_eq!(
        (0..200).filter(|r| !table.is_valid(*r)).collect::<Vec<_>>(),
        vec![99]
    );
    assert_eq!(
        table.cells("learning").unwrap().string(99),
        Some("\"Mum said no")
    );
    assert_eq!(table.cells("reference").unwrap().string(199), Some("R199"));
    assert!(table.account.balances(), "{:?}", table.account);
    assert_eq!(table.account.total, 201);
}

/// Read in two, a file whose second part has a line break in a label and a stray quote names
/// the same lines as one reader: the second reader numbers its lines from its own top, and
/// counts the lines above only for these two messages, which name a second line.
#[test]
fn a_second_part_names_lines_as_the_whole_file_does() {
    // Row 120 is on line 122, its outcome over lines 122–123; row 150, a line lower than it
    // would be, on line 153, its quote running to the last line, 202 (200 rows, the header
    // and one more line).
    let text = representations(200, Some(150)).replace(
        "R120,Complaint,1,2024-05-09,2024-06-09,Upheld,",
        "R120,Complaint,1,2024-05-09,2024-06-09,\"Up\nheld\",",
    );
    let opened = std::sync::atomic::AtomicUsize::new(0);
    let open_again = || -> io::Result<Box<dyn split::Input>> {
        opened.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Ok(Box::new(io::Cursor::new(text.clone().into_bytes())))
    };
    let split = Split {
        open: &open_again,
        near: text.len() as u64 / 2,
        one_done: &|| {},
    };
    let name = "representations.csv";
    let mut problems = Problems::default();
    let source = Source::Representations;
    let two = read_reopened(
        source,
        name,
        text.as_bytes(),
        64,
        Some(split),
        &mut problems,
    )
    .expect("reading from memory cannot fail");
    let opened = opened.load(std::sync::atomic::Ordering::SeqCst);
    assert_eq!(
        opened, 4,
        "the start, the second part, the rest, the lines above"
    );
    let (one, alone) = read_bytes(source, name, text.as_bytes(), 64);
    assert_eq!(
        messages(&problems),
        vec![
            "representations.csv:122: outcome: a line break inside the value (lines 122 to 123); only free-text columns may run over several lines",
            "representations.csv:153: learning: a quote opened here runs to line 202; is a closing quote missing? The lines after it were read as rows of their own",
        ]
    );
    assert_eq!(messages(&problems), messages(&alone));
    assert_eq!(two.lines, one.lines);
    assert_eq!(two.row_errors, one.row_errors);
    assert_eq!(two.account, one.account);
}

/// A compliment's words are held only where its author consented to be quoted: every other
/// filled cell reads as the placeholder from the moment its row is read, whatever the order of
/// the columns; a blank stays blank.
#[test]
fn words_without_consent_are_withheld_as_they_are_read() {
    let text = "publish,reference,received,text\n\
                yes,K1,2024-05-01,Kind words\n\
                no,K2,2024-05-01,Private thanks\n\
                ,K3,2024-05-01,Unasked\n\
                maybe,K4,2024-05-01,Unclear\n\
                no,K5,2024-05-01,\n\
                yes,K6,2024-05-01,Always calls back\n";
    let (table, _) = read_as(Source::Compliments, text);
    let words = table.cells("text").unwrap();
    let read: Vec<Option<&str>> = (0..6).map(|row| words.string(row)).collect();
    let withheld = Some(crate::load::columns::WITHHELD);
    assert_eq!(
        read,
        vec![
            Some("Kind words"),
            withheld,
            withheld,
            withheld,
            None,
            Some("Always calls back")
        ]
    );
    let Some(crate::load::columns::Cells::Text(words)) = table.cells("text") else {
        panic!("free text")
    };
    let held: String = (0..6).filter_map(|row| words.get(row)).collect();
    assert!(!held.contains("Private") && !held.contains("Unasked") && !held.contains("Unclear"));
}

/// A quote that closes on a later line, after swallowing rows, is caught the same way.
#[test]
fn a_quote_closed_rows_later_is_caught_too() {
    let mut text = representations(10, Some(3));
    text = text.replace(
        "R7,Complaint,1,2024-05-08,2024-06-08,Upheld,Listen first",
        "R7,Complaint,1,2024-05-08,2024-06-08,Upheld,\"Listen\" first",
    );
    let (table, problems) = read_as(Source::Representations, &text);
    assert_eq!(table.rows_read(), 10);
    let stray: Vec<_> = problems
        .iter()
        .filter(|p| p.kind == Kind::StrayQuote)
        .collect();
    assert_eq!(stray.len(), 1);
    assert_eq!(stray[0].line, Some(5));
}

#[test]
fn blank_lines_and_lines_above_the_header_are_accounted_and_listed() {
    let text = "Complaints export\nrun on 1 April\nreference,received\nK1,2024-05-01\n\n,\nK2,2024-05-02\n\n";
    let (table, problems) = read_as(Source::Compliments, text);
    assert_eq!(table.lines, vec![4, 7]);
    assert_eq!(table.account.header_line, 3);
    assert_eq!(table.account.blank, vec![5, 6, 8]);
    assert!(table.account.balances(), "{:?}", table.account);
    assert_eq!(
        messages(&problems),
        vec![
            "compliments.csv: warning: lines 1 to 2 before the header row (line 3) were not read",
            "compliments.csv: warning: blank lines 5 to 6 and 8 were skipped",
        ]
    );
}

#[test]
fn windows_1252_is_read_with_a_warning() {
    // "Children’s" with a curly apostrophe (0x92) and a pound sign (0xA3).
    let bytes = b"year,measure,value\n2024-25,Children\x92s cases \xa3,3\n";
    let (table, problems) = read_bytes(Source::Context, "context.csv", bytes, window::CHUNK);
    assert_eq!(table.encoding, "Windows-1252");
    assert_eq!(problems.warning_count(), 1);
    assert_eq!(problems.error_count(), 0);
    assert_eq!(
        table.cells("measure").unwrap().string(0),
        Some("Children\u{2019}s cases £")
    );
}

#[test]
fn a_utf8_byte_order_mark_is_not_part_of_the_first_header() {
    let (table, problems) = read("\u{feff}year,measure,value\n2024-25,Cases,1\n");
    assert!(problems.is_empty(), "{problems:?}");
    assert!(table.has_column("year"));
}

#[test]
fn ragged_rows_are_errors() {
    let (table, problems) = read("year,measure,value\n2024-25,Cases\n");
    assert!(!table.is_valid(0));
    assert!(
        problems
            .iter()
            .any(|p| p.message.contains("2 fields but the header has 3"))
    );
}

#[test]
fn duplicate_headers_make_the_file_unusable() {
    let (table, problems) = read("year,measure,value,Value\n2024-25,Cases,1,2\n");
    assert!(table.unusable);
    assert_eq!(
        messages(&problems),
        vec![
            "context.csv:1: value: the header 'value' appears 2 times (columns 3 and 4); keep one"
        ]
    );
}

#[test]
fn an_all_ambiguous_date_column_says_which_order_it_assumed() {
    let text = "reference,received\nK1,03/04/2024\nK2,05/06/2024\n";
    let (_, problems) = read_as(Source::Compliments, text);
    let warning = problems.warnings().next().unwrap();
    assert_eq!(warning.kind, Kind::DateOrder);
    assert!(
        warning
            .message
            .starts_with("every date in received could be day/month"),
        "{}",
        warning.message
    );
    assert!(
        warning.message.contains("'03/04/2024' is 3 April 2024"),
        "{}",
        warning.message
    );
    assert!(!warning.public().contains("03/04"));
    // One date with a day over 12 settles it.
    let (_, problems) = read_as(
        Source::Compliments,
        "reference,received\nK1,03/04/2024\nK2,25/06/2024\n",
    );
    assert!(problems.is_empty(), "{problems:?}");
}

#[test]
fn line_lists_join_ranges() {
    assert_eq!(line_list("line", &[3]), "line 3");
    assert_eq!(
        line_list("line", &[3, 4, 5, 9, 12]),
        "lines 3 to 5, 9 and 12"
    );
}

#[test]
fn a_file_that_stops_being_utf8_half_way_down_is_read_again_whole() {
    let mut bytes = b"reference,received,text\n".to_vec();
    for i in 0..50 {
        bytes.extend_from_slice(format!("K{i},2024-05-01,Thanks\n").as_bytes());
    }
    // Windows-1252's é, far below the first window.
    bytes.extend_from_slice(b"K99,2024-05-02,Merci \xe9quipe\n");
    let (table, problems) = read_bytes(Source::Compliments, "compliments.csv", &bytes, 16);
    assert_eq!(table.encoding, "Windows-1252");
    assert_eq!(table.rows_read(), 51);
    assert_eq!(
        table.cells("text").unwrap().string(50),
        Some("Merci équipe")
    );
    assert_eq!(table.sha256, sha256_hex(&bytes));
    // One warning about the encoding; nothing from the abandoned first reading.
    let messages: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(messages[0].contains("Windows-1252"), "{messages:?}");
}

/// A file larger than the first look at it, read in two: the first reader hashes the rest of
/// the file through a handle of its own while the second reads on. The fingerprint is still
/// the file's SHA-256 and the rows those one reader gives; and if the bytes the first reader
/// hashes from the split are not the ones the second read (the file rewritten between the
/// two), the read fails.
#[test]
fn the_rest_of_a_file_read_in_two_is_hashed_beside_the_second_part() {
    let mut text = String::from("reference,received,text\n");
    for n in 0..2000 {
        text.push_str(&format!("K{n:04},2024-05-01,Thank you for your help\n"));
    }
    assert!(text.len() > 40_000, "well past the first look (8 KB)");
    let near = Some(text.len() as u64 / 2);
    let (two, _) = read_bytes_split(Source::Compliments, "c.csv", text.as_bytes(), 64, near);
    let (one, _) = read_bytes(Source::Compliments, "c.csv", text.as_bytes(), 64);
    assert_eq!(two.sha256, sha256_hex(text.as_bytes()));
    assert_eq!(two.rows_read(), 2000);
    assert_eq!(format!("{:?}", two.columns), format!("{:?}", one.columns));
    assert_eq!(two.lines, one.lines);

    // The last row rewritten after the second reader has read it: the third opening (the
    // first reader's, for the rest) sees the new text.
    let rewritten = text.replace("K1999,2024-05-01,Thank you", "K1999,2024-05-01,Thank yov");
    let opened = std::sync::atomic::AtomicUsize::new(0);
    let open_again = || -> io::Result<Box<dyn split::Input>> {
        let nth = opened.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
        let bytes = if nth >= 3 { &rewritten } else { &text };
        Ok(Box::new(io::Cursor::new(bytes.clone().into_bytes())))
    };
    assert_changed_while_read_in_two(&text, 64, &open_again);
    let opened = opened.load(std::sync::atomic::Ordering::SeqCst);
    assert_eq!(opened, 3, "the boundary, the second part, the rest");
}

/// The second part of a file read in two is read by opening the file again. If the file is
/// rewritten in between, the bytes from the split are not the ones fingerprinted: the read
/// fails, rather than fingerprint one text and report another.
#[test]
fn a_file_that_changes_while_read_in_two_parts_is_an_error() {
    let mut text = String::from("reference,received,text\n");
    for n in 0..40 {
        text.push_str(&format!("K{n:02},2024-05-01,Thank you\n"));
    }
    let rewritten = text.replace("K39,2024-05-01,Thank you", "K39,2024-05-01,Thank yov");
    let open_again = || -> io::Result<Box<dyn split::Input>> {
        Ok(Box::new(io::Cursor::new(rewritten.clone().into_bytes())))
    };
    assert_changed_while_read_in_two(&text, 16, &open_again);
    // Unchanged, the same read succeeds, in two parts.
    let (table, _) = read_bytes_split(
        Source::Compliments,
        "compliments.csv",
        text.as_bytes(),
        16,
        Some(text.len() as u64 / 2),
    );
    assert_eq!(table.rows_read(), 40);
}

mod properties {
    use super::*;
    use crate::load::columns::Cells;
    use proptest::prelude::*;

    /// Everything a read gives, as text to compare: each row's line, reasons and cells, the
    /// line account, the hash and every problem.
    fn read_in_chunks(source: Source, text: &str, chunk: usize) -> Vec<String> {
        read_in_parts(source, text.as_bytes(), chunk, None)
    }

    /// As `read_in_chunks`, in two parts split near byte `near` when it is given; with each
    /// label column's spellings in the order of their codes.
    fn read_in_parts(source: Source, bytes: &[u8], chunk: usize, near: Option<u64>) -> Vec<String> {
        let name = source.default_file_name();
        let (table, problems) = read_bytes_split(source, name, bytes, chunk, near);
        let mut out = vec![
            format!("{:?} {} {}", table.account, table.sha256, table.encoding),
            format!("{:?} {:?}", table.lines, table.row_errors),
        ];
        out.extend(problems.iter().map(ToString::to_string));
        for (spec, cells) in &table.columns {
            let Some(cells) = cells else { continue };
            match cells {
                Cells::Label(c) => out.push(format!("{} {:?}", spec.name, c.dictionary.spellings)),
                Cells::Labels(c) => out.push(format!("{} {:?}", spec.name, c.dictionary.spellings)),
                _ => {}
            }
            for row in 0..table.rows_read() {
                let value = match cells {
                    Cells::Labels(c) => format!(
                        "{:?}",
                        c.row(row)
                            .iter()
                            .map(|&code| c.dictionary.get(code))
                            .collect::<Vec<_>>()
                    ),
                    Cells::Date(v) => format!("{:?}", v[row]),
                    Cells::Bool(v) => format!("{:?}", v[row]),
                    Cells::Int(v) => format!("{:?}", v[row]),
                    Cells::Float(v) => format!("{:?}", v[row]),
                    Cells::Year(v) => format!("{:?}", v[row]),
                    other => format!("{:?}", other.string(row)),
                };
                out.push(format!("{} {row}: {value}", spec.name));
            }
        }
        out
    }

    fn cell() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-zA-Z ]{0,8}",
            "\"[a-z,\n ]{0,8}\"",
            "\"[a-z\"]{0,4}",
            Just(String::new()),
            Just("2024-05-01".to_string()),
            Just("yes".to_string()),
        ]
    }

    proptest! {
        /// Whatever the text — stray quotes, line breaks, blank lines, ragged rows — every line
        /// of the file is the header, above it, blank, or part of exactly one row, and every row
        /// read is either usable or has a reason.
        #[test]
        fn every_line_is_accounted_for(
            rows in proptest::collection::vec(proptest::collection::vec(cell(), 1..6), 0..30),
            ending in prop_oneof![Just("\n"), Just("\r\n"), Just("\r")],
        ) {
            let mut text = format!("title line{ending}reference,received,text,from{ending}");
            for row in &rows {
                text.push_str(&row.join(","));
                text.push_str(ending);
            }
            let (table, _) = read_as(Source::Compliments, &text);
            prop_assert!(table.account.balances(), "{:?}\n{text:?}", table.account);
            for row in 0..table.rows_read() {
                prop_assert!(table.is_valid(row) || !table.reasons(row).is_empty() || table.unusable);
            }
        }

        /// Read a window at a time, however small, a file gives exactly what it gives read
        /// whole: the same rows, lines, cells and problems. A window edge inside a quoted field,
        /// between `\r` and `\n`, or inside a character must lose nothing.
        #[test]
        fn reading_in_windows_changes_nothing(
            rows in proptest::collection::vec(proptest::collection::vec(cell(), 1..6), 0..30),
            ending in prop_oneof![Just("\n"), Just("\r\n"), Just("\r")],
            bom in any::<bool>(),
            chunk in 1usize..40,
        ) {
            let mut text = if bom { "\u{feff}".to_string() } else { String::new() };
            text.push_str(&format!("reference,received,text,from{ending}"));
            for row in &rows {
                text.push_str(&row.join(",").replace('a', "é"));
                text.push_str(ending);
            }
            let whole = read_in_chunks(Source::Compliments, &text, window::CHUNK);
            let windows = read_in_chunks(Source::Compliments, &text, chunk);
            prop_assert_eq!(whole, windows, "{:?}", text);
        }

        /// Read in two parts side by side, split anywhere, a file gives exactly what one reader
        /// gives: a split inside a quoted note, beside a stray quote, between `\r` and `\n`, or
        /// in a file that stops being UTF-8 must lose, move or duplicate nothing. The labels
        /// are coded in the order one reader meets them.
        #[test]
        fn reading_in_two_parts_changes_nothing(
            rows in proptest::collection::vec(proptest::collection::vec(cell(), 1..8), 0..40),
            ending in prop_oneof![Just("\n"), Just("\r\n"), Just("\r")],
            bom in any::<bool>(),
            broken in any::<bool>(),
            chunk in 1usize..40,
            near in 0.0f64..1.2,
        ) {
            let mut text = if bom { "\u{feff}".to_string() } else { String::new() };
            text.push_str(&format!("reference,received,service,theme,text,publish,from{ending}"));
            for row in &rows {
                text.push_str(&row.join(",").replace('a', "é"));
                text.push_str(ending);
            }
            let mut bytes = text.into_bytes();
            if broken && !bytes.is_empty() {
                // A byte that is not UTF-8, three quarters down.
                let at = bytes.len() * 3 / 4;
                bytes.insert(at, 0xE9);
            }
            let near = (bytes.len() as f64 * near) as u64;
            let one = read_in_parts(Source::Compliments, &bytes, window::CHUNK, None);
            let two = read_in_parts(Source::Compliments, &bytes, chunk, Some(near));
            prop_assert_eq!(one, two, "{:?}", String::from_utf8_lossy(&bytes));
        }
    }
}
