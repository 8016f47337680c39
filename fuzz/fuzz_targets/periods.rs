//! Period parsing on any text: never a panic, and a parsed period prints back to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use report::period::FinancialYear;

fuzz_target!(|text: &str| {
    if let Ok(year) = text.parse::<FinancialYear>() {
        let shown = year.to_string();
        assert_eq!(shown.parse::<FinancialYear>(), Ok(year), "{text:?}");
        let period = year.period();
        assert!(period.start < period.end);
        let _ = period.years_earlier(3);
    }
});
