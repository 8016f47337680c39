use super::*;

/// Worked by hand: 10,240 bytes over the first 1,024 of 4,096 rows is 10 a row, so the
/// 3,072 rows to come need 30,720 more, and an eighth of 40,960 is kept to spare.
#[test]
fn a_column_s_growth_is_projected_from_the_rows_read() {
    assert_eq!(projected_room(10_240, 1_024, 4_096), 30_720 + 5_120);
    // A part row rounds up: 10,241 bytes is 11 a row.
    assert_eq!(projected_room(10_241, 1_024, 4_096), 33_792 + 5_632);
    // Too few rows to judge, or more read than expected: grow as usual.
    assert_eq!(projected_room(10_230, 1_023, 4_096), 0);
    assert_eq!(projected_room(40_960, 4_096, 4_096), 0);
    assert_eq!(projected_room(50_000, 5_000, 4_096), 0);
}

/// How often a column's room grows from row 1,024 on, over 4,096 rows: `push_row` adds a row
/// and says how much room the column has.
fn growths_once_projected(mut push_row: impl FnMut() -> usize) -> usize {
    let mut room = 0;
    (0..4_096)
        .filter(|&row| {
            let before = std::mem::replace(&mut room, push_row());
            row >= 1_024 && room != before
        })
        .count()
}

/// Rows of 10 bytes with room for 4,096 rows: once 1,024 rows are read the buffer takes
/// room for all 4,096 at its next growth, and never grows again (doubling, it would have
/// grown twice: at 16 KiB and 32 KiB).
#[test]
fn free_text_grows_once_to_the_rows_expected() {
    let Cells::Text(mut column) = Cells::with_capacity(ValueKind::Text, 4_096, false) else {
        unreachable!("a text column")
    };
    let growths = growths_once_projected(|| {
        column.push(Some("abcdefghij"));
        column.buffer.capacity()
    });
    assert_eq!(growths, 1);
    assert!(column.buffer.capacity() >= 40_960);
    assert_eq!(column.get(4_095), Some("abcdefghij"));
}

/// The same for a list column's codes: two labels a row, 8,192 codes in all.
#[test]
fn list_codes_grow_once_to_the_rows_expected() {
    let Cells::Labels(mut column) = Cells::with_capacity(ValueKind::Labels, 4_096, false) else {
        unreachable!("a list column")
    };
    let growths = growths_once_projected(|| {
        column.push(["Delay", "Communication"].into_iter());
        column.codes.capacity()
    });
    assert_eq!(growths, 1);
    assert!(column.codes.capacity() >= 8_192);
    assert_eq!(column.row(4_095), &[0, 1]);
}

/// Joining a part read to one with no room left grows it to the rows the two hold, where
/// `extend` would double it (to 6 here), leaving room the frame would keep.
#[test]
fn joined_parts_leave_no_room_over() {
    let day = |d| NaiveDate::from_ymd_opt(2024, 4, d);
    let first: Vec<Option<NaiveDate>> = vec![day(1), None, day(3)];
    assert_eq!(first.capacity(), 3);
    let mut joined = Cells::Date(first);
    joined.append(Cells::Date(vec![day(4), day(5)]));
    let Cells::Date(values) = &joined else {
        unreachable!("dates stay dates")
    };
    assert_eq!(values, &[day(1), None, day(3), day(4), day(5)]);
    assert_eq!(values.capacity(), 5);

    let mut codes = LabelColumn::default();
    codes.push(Some("Email"));
    codes.codes.shrink_to_fit();
    let mut later = LabelColumn::default();
    later.push(Some("Letter"));
    later.push(Some("Email"));
    let mut joined = Cells::Label(codes);
    joined.append(Cells::Label(later));
    let labels = joined.labels().unwrap();
    assert_eq!(labels.codes, [0, 1, 0]);
    assert_eq!(labels.codes.capacity(), 3);
}

#[test]
fn text_is_stored_end_to_end() {
    let mut column = TextColumn::default();
    column.push(Some("first"));
    column.push(None);
    column.push(Some(""));
    column.push(Some("last"));
    assert_eq!(
        column.iter().collect::<Vec<_>>(),
        vec![Some("first"), None, Some(""), Some("last")]
    );
}

#[test]
fn words_are_kept_only_where_consented() {
    let mut column = TextColumn::default();
    let words = [
        Some("Kind words"),
        Some("Always calls back"),
        None,
        Some("Lovely"),
    ];
    let consented = [false, true, false, false];
    for (row, words) in words.into_iter().enumerate() {
        column.push(words);
        if !consented[row] {
            column.withhold_last();
        }
    }
    assert_eq!(
        column.iter().collect::<Vec<_>>(),
        vec![
            Some(WITHHELD),
            Some("Always calls back"),
            None,
            Some(WITHHELD)
        ]
    );
    assert!(!column.buffer.contains("Kind") && !column.buffer.contains("Lovely"));
}

#[test]
fn a_withheld_column_keeps_whether_each_cell_was_filled_and_no_words() {
    let mut column = TextColumn::default();
    column.push(Some("Share minutes with the family"));
    column.withhold();
    column.push(None);
    column.push(Some("Confirm visits in writing"));
    assert_eq!(
        column.iter().collect::<Vec<_>>(),
        vec![Some(WITHHELD), None, Some(WITHHELD)]
    );
    assert!(column.buffer.is_empty() && column.ends.is_empty());
}

#[test]
fn labels_are_coded_once_per_spelling() {
    let mut column = LabelColumn::default();
    for v in [Some("Parent"), None, Some("Carer"), Some("Parent")] {
        column.push(v);
    }
    assert_eq!(column.codes, vec![0, BLANK, 1, 0]);
    assert_eq!(column.dictionary.spellings, vec!["Parent", "Carer"]);
    assert_eq!(column.get(3), Some("Parent"));
}

#[test]
fn a_label_counts_once_per_row() {
    let mut column = LabelListColumn::default();
    column.push(["Delay", "Delay", "Contact"].into_iter());
    column.push(std::iter::empty());
    column.push(["Contact"].into_iter());
    assert_eq!(column.row(0), &[0, 1]);
    assert_eq!(column.row(1), &[] as &[u32]);
    assert_eq!(column.row(2), &[1]);
}
