use super::*;

/// The example from the issue that introduced report.toml.
const EXAMPLE: &str = r#"
authority = "Example Council"          # shown on the report's cover and footer
department = "Children's Services"
[data]
dir = "exports"                         # replaces --data
representations = "cases.csv"           # file names inside dir
compliments = "compliments.csv"
date_format = "%d/%m/%Y"                # when auto-detection (ISO, dd/mm/yyyy) is not enough
[columns.representations]               # canonical name = the export's header
reference = "Case Ref"
received = "Date Received"
[columns.compliments]
received = "Date Logged"
[labels.outcome]                        # role = the export's labels
upheld = ["Upheld", "Fully upheld"]
partially_upheld = ["Partly upheld", "Partially Upheld"]
not_upheld = ["Not upheld", "No finding"]
withdrawn = ["Withdrawn", "Closed - withdrawn"]
[labels]
young_person = ["Young person", "Child", "Care leaver"]
ombudsman = ["LGSCO", "Ombudsman"]
refused = ["Refused", "Declined"]
[labels.rename]                         # tidy the export's spelling for the report
"CAST N" = "CAST North"
[timescales.stage1]
target = 10
extended_target = 20
bands = [10, 20]                        # upper edges in working days; last band is "over 20"
[timescales.stage2]
target = 25
extended_target = 65
bands = [25, 65]
[calendar]
closures = ["2024-12-27"]               # council closure days that are not working days
[report]
narrative = "narrative.md"
templates = "templates"
"#;

fn parse(text: &str) -> Result<Config> {
    Config::parse(text, Path::new("/councils/example/report.toml"))
}

#[test]
fn the_documented_example_parses() {
    let config = parse(EXAMPLE).unwrap();
    assert_eq!(config.authority.as_deref(), Some("Example Council"));
    assert_eq!(
        config.data_dir,
        Some(PathBuf::from("/councils/example/exports"))
    );
    assert_eq!(
        config.narrative,
        Some(PathBuf::from("/councils/example/narrative.md"))
    );
    assert_eq!(
        config.mapping.file_name(Source::Representations),
        "cases.csv"
    );
    assert_eq!(config.mapping.file_name(Source::Actions), "actions.csv");
    assert_eq!(config.mapping.date_format.as_deref(), Some("%d/%m/%Y"));
    let headers = &config.mapping.headers[&Source::Representations].headers;
    assert_eq!(headers["reference"], "Case Ref");
    assert_eq!(
        config.mapping.roles.outcome_role("No finding"),
        Some(OutcomeRole::NotUpheld)
    );
    assert_eq!(
        config.mapping.roles.outcome_role("closed - WITHDRAWN"),
        Some(OutcomeRole::Withdrawn)
    );
    assert!(config.mapping.roles.is_young_person("Care leaver"));
    // The list replaces the default: "Advocate" is no longer a child's complaint here.
    assert!(!config.mapping.roles.is_young_person("Advocate"));
    assert!(config.mapping.roles.is_refused("Declined"));
    assert_eq!(config.mapping.renames["CAST N"], "CAST North");
    let closure = NaiveDate::from_ymd_opt(2024, 12, 27).unwrap();
    assert!(!config.calendar.is_working_day(closure).unwrap());
    assert_eq!(config.policy, crate::publication::Policy::default());
}

#[test]
fn an_empty_file_is_the_defaults() {
    let config = parse("").unwrap();
    assert_eq!(config.settings, Settings::default());
    assert_eq!(config.mapping.roles, Roles::default());
    assert!(config.data_dir.is_none());
}

#[test]
fn a_misspelt_key_is_named_with_its_line() {
    let err = parse("authority = \"X\"\n[timescales.stage1]\ntarget = 10\nextended_targte = 20\n")
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("/councils/example/report.toml: "), "{err}");
    assert!(err.contains("line 4"), "{err}");
    assert!(err.contains("extended_targte"), "{err}");
    let err = parse("[dta]\ndir = \"x\"\n").unwrap_err().to_string();
    assert!(err.contains("line 1") && err.contains("dta"), "{err}");
}

#[test]
fn an_unknown_canonical_column_is_refused() {
    let err = parse("[columns.representations]\nrecieved = \"Date Received\"\n")
        .unwrap_err()
        .to_string();
    assert!(err.contains("no column 'recieved'"), "{err}");
}

#[test]
fn council_bands_replace_the_defaults_and_bad_ones_are_refused() {
    let config = parse("[timescales.stage1]\nbands = [10, 20, 25, 30]\n").unwrap();
    assert_eq!(config.settings.stage1.bands, vec![10, 20, 25, 30]);
    assert_eq!(
        config.settings.stage1.target, 10,
        "unset keys keep their defaults"
    );
    assert_eq!(config.settings.stage1.band_labels().len(), 5);
    let err = parse("[timescales.stage2]\nbands = [65, 25]\n")
        .unwrap_err()
        .to_string();
    assert!(err.contains("bands must rise"), "{err}");
}

#[test]
fn renamed_labels_keep_their_roles() {
    let config = parse(
        "[labels]\nyoung_person = [\"Child\"]\n[labels.rename]\n\"Child\" = \"Young person\"\n",
    )
    .unwrap();
    assert!(config.mapping.roles.is_young_person("Young person"));
    assert!(config.mapping.roles.is_young_person("Child"));
}

#[test]
fn bad_values_are_explained() {
    assert!(parse("[calendar]\nclosures = [\"2024-13-01\"]\n").is_err());
    assert!(
        parse("[calendar]\nclosures = [\"1990-01-02\"]\n")
            .unwrap_err()
            .to_string()
            .contains("outside the working-day calendar")
    );
    assert!(parse("[data]\ndate_format = \"%Q\"\n").is_err());
}
