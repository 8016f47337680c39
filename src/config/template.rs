//! The commented `report.toml` that `report init` writes: every key, its default, one line on
//! what it does. Built from the real defaults, so it cannot drift from them.

use std::fmt::Write;

use crate::figures::{Settings, Timescale};
use crate::load::contract::Source;
use crate::load::labels::{OutcomeRole, Roles};
use crate::publication::Policy;

/// A default line is `# key = value`; uncommenting it changes nothing. An example line is
/// `# e.g. key = value`: a key with no default, shown with a typical value.
pub fn init_text() -> String {
    let settings = Settings::default();
    let roles = Roles::default();
    let list = |items: &[String]| {
        let quoted: Vec<String> = items.iter().map(|i| format!("{i:?}")).collect();
        format!("[{}]", quoted.join(", "))
    };
    let mut t = String::new();
    let w = &mut t;
    let _ = writeln!(
        w,
        "# report.toml: how `report` reads your case-management system's export, and your"
    );
    let _ = writeln!(
        w,
        "# council's own rules. Every key is optional. A line `# key = value` shows the default:"
    );
    let _ = writeln!(
        w,
        "# uncomment it and change what differs. A line `# e.g. key = value` is an example of a"
    );
    let _ = writeln!(
        w,
        "# key with no default. Unknown keys are errors, so a typo is caught, not ignored."
    );
    let _ = writeln!(w, "# Relative paths are relative to this file's folder.");
    let _ = writeln!(w);
    let _ = writeln!(w, "# The council's name, on the report's cover and footer.");
    let _ = writeln!(w, "# e.g. authority = \"Example Council\"");
    let _ = writeln!(w, "# The department, under the council's name.");
    let _ = writeln!(w, "# e.g. department = \"Children's Services\"");
    let _ = writeln!(
        w,
        "# The date of publication and a contact, on the public edition's cover (a gap shows"
    );
    let _ = writeln!(w, "# until they are set).");
    let _ = writeln!(w, "# e.g. published = \"2025-07-15\"");
    let _ = writeln!(
        w,
        "# e.g. contact = \"Children's Complaints Team, complaints@example.gov.uk, 01234 567890\""
    );
    let _ = writeln!(w);
    let _ = writeln!(w, "[data]");
    let _ = writeln!(
        w,
        "# The data folder; --data on the command line replaces it."
    );
    let _ = writeln!(w, "# dir = \"data\"");
    let _ = writeln!(w, "# The files' names inside the data folder.");
    for source in Source::ALL {
        let _ = writeln!(w, "# {} = {:?}", source.key(), source.default_file_name());
    }
    let _ = writeln!(
        w,
        "# The date format, when detection (2024-05-01 or 01/05/2024) is not enough, in"
    );
    let _ = writeln!(
        w,
        "# strftime form: \"%m/%d/%Y\" for US dates, \"%d-%b-%Y\" for 01-May-2024."
    );
    let _ = writeln!(w, "# e.g. date_format = \"%d/%m/%Y\"");
    for source in Source::ALL {
        let _ = writeln!(w);
        let _ = writeln!(w, "[columns.{}]", source.key());
        let _ = writeln!(
            w,
            "# Your export's header for each column (canonical name = header); see docs/data.md."
        );
        for column in source.columns() {
            let _ = writeln!(w, "# {} = {:?}", column.name, column.name);
        }
    }
    let _ = writeln!(w);
    let _ = writeln!(w, "[labels]");
    let _ = writeln!(
        w,
        "# Complainant labels that mean a child or young person, or an advocate acting for one."
    );
    let _ = writeln!(w, "# young_person = {}", list(&roles.young_person));
    let _ = writeln!(
        w,
        "# Type labels that mean the Local Government and Social Care Ombudsman."
    );
    let _ = writeln!(w, "# ombudsman = {}", list(&roles.ombudsman));
    let _ = writeln!(
        w,
        "# Type labels that mean a representation was refused or declined."
    );
    let _ = writeln!(w, "# refused = {}", list(&roles.refused));
    let _ = writeln!(
        w,
        "# Types counted as statutory representations even without a stage (by default a stage"
    );
    let _ = writeln!(
        w,
        "# alone makes a representation statutory); the report groups types under each subtotal."
    );
    let _ = writeln!(
        w,
        "# e.g. statutory = [\"Refused\", \"Pre-complaint to stage 1\"]"
    );
    let _ = writeln!(w);
    let _ = writeln!(w, "[labels.outcome]");
    let _ = writeln!(
        w,
        "# Outcome labels that mean each outcome; any other outcome is counted as written."
    );
    for role in OutcomeRole::ALL {
        let _ = writeln!(w, "# {} = {}", role.key(), list(&roles.outcomes[&role]));
    }
    let _ = writeln!(w);
    let _ = writeln!(w, "[labels.rename]");
    let _ = writeln!(
        w,
        "# Tidy the export's spelling for the report: \"export spelling\" = \"report spelling\"."
    );
    let _ = writeln!(w, "# e.g. \"CAST N\" = \"CAST North\"");
    let _ = writeln!(w);
    let _ = writeln!(w, "[timescales]");
    let _ = writeln!(
        w,
        "# Acknowledgements are measured against this many working days."
    );
    let _ = writeln!(
        w,
        "# acknowledgement_days = {}",
        settings.acknowledgement_days
    );
    for (name, what, timescale) in [
        ("stage1", "Stage 1 (local resolution)", &settings.stage1),
        ("stage2", "Stage 2 (investigation)", &settings.stage2),
        ("stage3", "Stage 3 (review panel)", &settings.stage3),
    ] {
        timescale_lines(w, name, what, timescale);
    }
    let _ = writeln!(w);
    let _ = writeln!(w, "[calendar]");
    let _ = writeln!(
        w,
        "# Days the council's offices close that are not bank holidays: not working days."
    );
    let _ = writeln!(w, "# e.g. closures = [\"2024-12-27\"]");
    let _ = writeln!(w);
    let _ = writeln!(w, "[report]");
    let _ = writeln!(
        w,
        "# Your own words for the report; --narrative replaces it. By default narrative.md beside the data."
    );
    let _ = writeln!(w, "# e.g. narrative = \"narrative.md\"");
    let _ = writeln!(
        w,
        "# A folder of templates replacing the built-in ones file by file (report init --templates)."
    );
    let _ = writeln!(w, "# e.g. templates = \"templates\"");
    let _ = writeln!(w, "# How many earlier years to compare with.");
    let _ = writeln!(w, "# earlier_years = {}", settings.earlier_years);
    let _ = writeln!(w);
    let policy = Policy::default();
    let _ = writeln!(w, "[publication]");
    let _ = writeln!(
        w,
        "# In public output, counts of people or cases from 1 up to one less than this are shown"
    );
    let _ = writeln!(
        w,
        "# as [c], with more hidden where needed so none can be worked out; 0 turns it off."
    );
    let _ = writeln!(w, "# suppress_below = {}", policy.suppress_below);
    let _ = writeln!(
        w,
        "# How many values a hidden small count must still be able to take, given everything"
    );
    let _ = writeln!(
        w,
        "# published (the protection interval); by default one less than suppress_below."
    );
    let _ = writeln!(w, "# protection = {}", policy.protection);
    let _ = writeln!(
        w,
        "# \"public\" shows the Ombudsman's counts as the Ombudsman publishes them; \"suppress\""
    );
    let _ = writeln!(w, "# protects them like any count of people.");
    let _ = writeln!(w, "# ombudsman = \"suppress\"");
    let _ = writeln!(
        w,
        "# Group a table's small categories as \"Other\" rather than hide each one."
    );
    let _ = writeln!(w, "# group_small = {}", policy.group_small);
    t
}

fn timescale_lines(w: &mut String, name: &str, what: &str, timescale: &Timescale) {
    let bands: Vec<String> = timescale.bands.iter().map(u32::to_string).collect();
    let _ = writeln!(w);
    let _ = writeln!(w, "[timescales.{name}]");
    let _ = writeln!(
        w,
        "# {what}: working days allowed, allowed with an agreed extension, and the bands'"
    );
    let _ = writeln!(
        w,
        "# upper edges (the last band is \"over\" the last edge)."
    );
    let _ = writeln!(w, "# target = {}", timescale.target);
    let _ = writeln!(w, "# extended_target = {}", timescale.extended_target);
    let _ = writeln!(w, "# bands = [{}]", bands.join(", "));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use std::path::Path;

    /// Uncomments lines that are `prefix` then `key = value`, with a bare or quoted key.
    fn uncomment(text: &str, prefix: &str) -> String {
        let is_key = |key: &str| {
            key.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                || (key.starts_with('"') && key.ends_with('"') && key.len() > 1)
        };
        text.lines()
            .map(|line| {
                match line
                    .strip_prefix(prefix)
                    .and_then(|rest| rest.split_once(" = ").map(|(k, _)| (k, rest)))
                {
                    Some((key, rest)) if is_key(key) => rest.to_string(),
                    _ => line.to_string(),
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn the_template_is_valid_as_written() {
        let config = Config::parse(&init_text(), Path::new("report.toml")).unwrap();
        assert_eq!(config.settings, Settings::default());
    }

    /// Every `# key = value` line, uncommented, must be a real key with the real default.
    #[test]
    fn uncommenting_every_default_changes_nothing() {
        let text = uncomment(&init_text(), "# ");
        let config = Config::parse(&text, Path::new("/x/report.toml")).unwrap();
        assert_eq!(config.settings, Settings::default());
        assert_eq!(config.mapping.roles, Roles::default());
        assert_eq!(config.policy, Policy::default());
        assert_eq!(config.data_dir.as_deref(), Some(Path::new("/x/data")));
        for source in Source::ALL {
            assert_eq!(config.mapping.file_name(source), source.default_file_name());
            assert_eq!(
                config.mapping.headers[&source].headers.len(),
                source.columns().len()
            );
        }
    }

    /// Every example line, uncommented, must be a real key with a valid value.
    #[test]
    fn the_examples_are_valid() {
        let text = uncomment(&uncomment(&init_text(), "# e.g. "), "# ");
        let config = Config::parse(&text, Path::new("/x/report.toml")).unwrap();
        assert_eq!(config.authority.as_deref(), Some("Example Council"));
        assert_eq!(
            config.published,
            chrono::NaiveDate::from_ymd_opt(2025, 7, 15)
        );
        assert!(
            config
                .contact
                .as_deref()
                .unwrap()
                .starts_with("Children's Complaints Team")
        );
        assert_eq!(config.mapping.renames["CAST N"], "CAST North");
    }
}
