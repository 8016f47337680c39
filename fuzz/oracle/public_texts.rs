/// Every public text a cell error may have: fixed wording, never built from the value. A public
/// text outside this list may carry case data.
pub fn is_known_public_text(text: &str) -> bool {
    const FIXED: &[&str] = &[
        "unreadable date (expected YYYY-MM-DD or DD/MM/YYYY)",
        "unreadable date: no such month",
        "unreadable date: no such month; it looks like month/day order (American): if the export writes dates that way, set [data] date_format = \"%m/%d/%Y\" in report.toml",
        "unreadable date: no such day in that month",
        "a date with a two-digit year: write the year in full",
        "an Excel date number, not a date: format the column as a date before saving",
        "not yes or no",
        "stage must be 1, 2 or 3 or blank",
        "not an amount of money",
        "payment cannot be negative",
        "a comma used as the decimal point",
        "not a number",
        "not a financial year such as 2024-25",
    ];
    FIXED.contains(&text)
        || text
            .strip_prefix("unreadable date (expected the format ")
            .is_some_and(|rest| rest.ends_with(')'))
}
