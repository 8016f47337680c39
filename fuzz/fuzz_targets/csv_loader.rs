//! The CSV loader with a mapping, on any bytes: it must never panic, never lose a line (the
//! account of lines balances), and never lose a row (every row read is usable or has a reason).
#![no_main]

use std::collections::HashMap;

use libfuzzer_sys::fuzz_target;

#[path = "../oracle/public_texts.rs"]
mod public_texts;
use report::load::contract::Source;
use report::load::problems::{Kind, Problems};
use report::load::read::{HeaderMap, ReadOptions, read_table};

fuzz_target!(|data: &[u8]| {
    let mapped = HeaderMap {
        headers: HashMap::from([
            ("reference".to_string(), "Case Ref".to_string()),
            ("received".to_string(), "Date Received".to_string()),
        ]),
    };
    for (header_map, date_format) in [
        (HeaderMap::default(), None),
        (mapped, Some("%d/%m/%Y")),
    ] {
        for source in [Source::Representations, Source::Compliments] {
            let mut problems = Problems::default();
            let table = read_table(
                source,
                source.default_file_name(),
                data,
                &ReadOptions {
                    header_map: &header_map,
                    date_format,
                },
                &mut problems,
            );
            if table.encoding != "binary" && table.account.total > 0 {
                assert!(table.account.balances(), "{:?}", table.account);
            }
            for row in 0..table.rows_read() {
                assert!(table.is_valid(row) || table.unusable || !table.row_errors[row].is_empty());
            }
            for problem in problems.iter() {
                if problem.kind == Kind::BadValue {
                    assert!(
                        public_texts::is_known_public_text(&problem.public_message),
                        "a public text built from the value: {problem:?}"
                    );
                }
            }
        }
    }
});
