//! Date, yes/no, stage, money and number parsing on any text: never a panic, and what parses
//! is what the contract promises (money is never negative; dates round-trip).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../oracle/public_texts.rs"]
mod public_texts;
use report::load::values;

fuzz_target!(|text: &str| {
    if let Ok(Some(date)) = values::parse_date(text, None) {
        assert_eq!(
            values::parse_date(&date.to_string(), None),
            Ok(Some(date)),
            "{text:?}"
        );
    }
    let _ = values::parse_date(text, Some("%d/%m/%Y"));
    let _ = values::parse_date(text, Some("%m/%d/%Y %H:%M"));
    let _ = values::parse_yes_no(text);
    let _ = values::parse_stage(text);
    if let Ok(Some(money)) = values::parse_money(text) {
        assert!(money >= 0.0 && money.is_finite(), "{text:?} gave {money}");
    }
    if let Ok(Some(number)) = values::parse_number(text) {
        assert!(number.is_finite(), "{text:?}");
    }
    for error in [
        values::parse_date(text, None).err(),
        values::parse_date(text, Some("%d/%m/%Y")).err(),
        values::parse_yes_no(text).err(),
        values::parse_stage(text).err(),
        values::parse_money(text).err(),
        values::parse_number(text).err(),
        values::parse_financial_year(text).err(),
    ]
    .into_iter()
    .flatten()
    {
        assert!(
            public_texts::is_known_public_text(&error.public),
            "a public text built from the value: {error:?}"
        );
    }
    let _ = values::split_labels(text).count();
});
