//! Finding the contract's columns among an export's headers: by name ignoring case and
//! spacing, through the configured mapping, with duplicates and missing columns named and the
//! likeliest header suggested.

use std::collections::HashMap;

use super::contract::{Presence, Source};
use super::problems::{Kind, Problem, Problems, Severity};

/// Where the export's columns are: for each canonical column, the header to look for.
#[derive(Debug, Clone, Default)]
pub struct HeaderMap {
    pub headers: HashMap<String, String>,
}

impl HeaderMap {
    pub fn header_for<'a>(&'a self, canonical: &'a str) -> (&'a str, bool) {
        match self.headers.get(canonical) {
            Some(mapped) => (mapped.as_str(), true),
            None => (canonical, false),
        }
    }
}

/// Header text normalised so `Outcome sought`, `outcome-sought` and `OUTCOME_SOUGHT` match.
pub fn normalise_header(header: &str) -> String {
    header
        .trim()
        .trim_start_matches('\u{feff}')
        .to_lowercase()
        .chars()
        .map(|c| if c == ' ' || c == '-' { '_' } else { c })
        .collect()
}

/// For each contract column, the index of its header in the file (or `None` if absent); the
/// headers the contract does not use; and whether a required column is missing.
pub fn locate_columns(
    source: Source,
    name: &str,
    headers: &[String],
    header_map: &HeaderMap,
    problems: &mut Problems,
) -> (Vec<Option<usize>>, Vec<String>, bool) {
    let normalised: Vec<String> = headers.iter().map(|h| normalise_header(h)).collect();
    let mut used = vec![false; headers.len()];
    let mut positions = Vec::with_capacity(source.columns().len());
    let mut unusable = false;
    for spec in source.columns() {
        let (wanted, _) = header_map.header_for(spec.name);
        let wanted = normalise_header(wanted);
        let matches: Vec<usize> = (0..headers.len())
            .filter(|&i| normalised[i] == wanted)
            .collect();
        if matches.len() > 1 {
            problems.push(
                Problem::new(
                    Severity::Error,
                    Kind::DuplicateHeader,
                    name,
                    format!(
                        "the header '{}' appears {} times (columns {}); keep one",
                        headers[matches[0]],
                        matches.len(),
                        matches
                            .iter()
                            .map(|i| (i + 1).to_string())
                            .collect::<Vec<_>>()
                            .join(" and ")
                    ),
                )
                .at(1)
                .in_column(spec.name),
            );
            unusable = true;
        }
        if let Some(&i) = matches.first() {
            used[i] = true;
        }
        positions.push(matches.first().copied());
    }

    // Suggestions come only from headers no other column claimed.
    let unclaimed: Vec<String> = headers
        .iter()
        .zip(&used)
        .filter(|(h, used)| !**used && !h.trim().is_empty())
        .map(|(h, _)| h.clone())
        .collect();
    for (spec, position) in source.columns().iter().zip(&positions) {
        let (wanted, mapped) = header_map.header_for(spec.name);
        if position.is_some() || !(spec.presence == Presence::Required || mapped) {
            continue;
        }
        let (kind, what) = if mapped {
            (
                Kind::MappedColumnMissing,
                format!(
                    "the mapped column '{wanted}' (for {}) is not in the file",
                    spec.name
                ),
            )
        } else {
            (
                Kind::MissingColumn,
                format!("missing required column '{}'", spec.name),
            )
        };
        let hint = closest_headers(&normalise_header(wanted), &unclaimed)
            .map(|h| format!("; did you mean {h}?"))
            .unwrap_or_default();
        problems.push(Problem::new(Severity::Error, kind, name, format!("{what}{hint}")).at(1));
        // A mapped column the file lacks would be counted as "not recorded" everywhere.
        unusable = true;
    }
    (positions, unclaimed, unusable)
}

/// Up to three headers of the file that look like `wanted`, quoted, best first.
fn closest_headers(wanted: &str, headers: &[String]) -> Option<String> {
    let mut scored: Vec<(f64, &String)> = headers
        .iter()
        .map(|h| (similarity(wanted, &normalise_header(h)), h))
        .filter(|(score, _)| *score >= 0.8)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let names: Vec<String> = scored
        .iter()
        .take(3)
        .map(|(_, h)| format!("'{h}'"))
        .collect();
    (!names.is_empty()).then(|| names.join(" or "))
}

/// How alike two normalised headers are, 0 to 1: a header that contains the wanted name (such
/// as `date_received` for `received`) counts as close as a one-letter typo, and each word of a
/// header is compared too, so `Date recieved` is close to `received`.
fn similarity(wanted: &str, header: &str) -> f64 {
    if header.contains(wanted) || (header.len() >= 3 && wanted.contains(header)) {
        return 0.9;
    }
    header
        .split('_')
        .filter(|word| word.len() >= 3)
        .map(|word| strsim::jaro_winkler(wanted, word))
        .fold(strsim::jaro_winkler(wanted, header), f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_in_headers_are_suggested() {
        assert!(similarity("received", "recieved") >= 0.8);
        assert!(similarity("received", "date_received") >= 0.8);
        assert!(similarity("received", "date_recieved") >= 0.8);
        assert!(similarity("received", "service") < 0.8);
        assert_eq!(
            closest_headers("received", &["Service".into(), "Recieved".into()]),
            Some("'Recieved'".into())
        );
    }
}
