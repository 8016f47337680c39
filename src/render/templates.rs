//! The templates: compiled into the binary, and overridable file by file from a user folder, as
//! zola and mdBook do with themes. Two tera instances, because escaping differs: Markdown
//! partials escape data for Markdown, the HTML shell escapes for HTML.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use tera::{Kwargs, State, Tera, Value};

use super::format;
use crate::error::{Error, Result};

/// Every built-in template, by the name a user's override must have.
pub const BUILT_IN: &[(&str, &str)] = &[
    ("report.md", include_str!("../../templates/report.md")),
    ("report.html", include_str!("../../templates/report.html")),
    ("style.css", include_str!("../../templates/style.css")),
    ("report.typ", include_str!("../../templates/report.typ")),
    (
        "sections/default.md",
        include_str!("../../templates/sections/default.md"),
    ),
    (
        "sections/narrative.md",
        include_str!("../../templates/sections/narrative.md"),
    ),
    (
        "sections/glossary.md",
        include_str!("../../templates/sections/glossary.md"),
    ),
    (
        "sections/key-findings.md",
        include_str!("../../templates/sections/key-findings.md"),
    ),
    (
        "sections/received.md",
        include_str!("../../templates/sections/received.md"),
    ),
    (
        "sections/stage1.md",
        include_str!("../../templates/sections/stage1.md"),
    ),
    (
        "sections/later-stages.md",
        include_str!("../../templates/sections/later-stages.md"),
    ),
    (
        "sections/who.md",
        include_str!("../../templates/sections/who.md"),
    ),
    (
        "sections/nature.md",
        include_str!("../../templates/sections/nature.md"),
    ),
    (
        "sections/services.md",
        include_str!("../../templates/sections/services.md"),
    ),
    (
        "sections/outcomes.md",
        include_str!("../../templates/sections/outcomes.md"),
    ),
    (
        "sections/children.md",
        include_str!("../../templates/sections/children.md"),
    ),
    (
        "sections/other-representations.md",
        include_str!("../../templates/sections/other-representations.md"),
    ),
    (
        "sections/ombudsman.md",
        include_str!("../../templates/sections/ombudsman.md"),
    ),
    (
        "sections/compliments.md",
        include_str!("../../templates/sections/compliments.md"),
    ),
    (
        "sections/actions.md",
        include_str!("../../templates/sections/actions.md"),
    ),
    (
        "sections/equality.md",
        include_str!("../../templates/sections/equality.md"),
    ),
    (
        "sections/data-quality.md",
        include_str!("../../templates/sections/data-quality.md"),
    ),
    (
        "sections/about.md",
        include_str!("../../templates/sections/about.md"),
    ),
    (
        "sections/trend.md",
        include_str!("../../templates/sections/trend.md"),
    ),
    (
        "sections/open-cases.md",
        include_str!("../../templates/sections/open-cases.md"),
    ),
    (
        "sections/at-a-glance.md",
        include_str!("../../templates/sections/at-a-glance.md"),
    ),
    (
        "sections/good-practice.md",
        include_str!("../../templates/sections/good-practice.md"),
    ),
    (
        "sections/learning-points.md",
        include_str!("../../templates/sections/learning-points.md"),
    ),
    (
        "sections/actions-completed.md",
        include_str!("../../templates/sections/actions-completed.md"),
    ),
    (
        "sections/training.md",
        include_str!("../../templates/sections/training.md"),
    ),
];

pub struct Templates {
    /// `report.md` and the section partials.
    pub markdown: Tera,
    /// `report.html` and `style.css`.
    pub html: Tera,
    /// `report.typ`, the PDF's layout: Typst, which reads the report as data, so it is not a
    /// Tera template.
    pub typst: String,
}

/// The built-in templates with any overrides from `user_dir` in their place. A file in the
/// folder that overrides nothing is an error: a misspelt name must not be ignored silently.
pub fn load(user_dir: Option<&Path>) -> Result<Templates> {
    let mut sources: BTreeMap<&str, String> =
        BUILT_IN.iter().map(|(n, t)| (*n, t.to_string())).collect();
    if let Some(dir) = user_dir {
        if !dir.is_dir() {
            return Err(Error::Usage(format!(
                "the templates folder {} does not exist",
                dir.display()
            )));
        }
        for path in files_under(dir)? {
            let name = path
                .strip_prefix(dir)
                .expect("listed under dir")
                .to_string_lossy()
                .replace('\\', "/");
            match sources.get_mut(name.as_str()) {
                Some(source) => {
                    *source = std::fs::read_to_string(&path).map_err(|source| Error::Read {
                        path: path.clone(),
                        source,
                    })?;
                }
                None => {
                    let known: Vec<&str> = BUILT_IN.iter().map(|(n, _)| *n).collect();
                    let hint = known
                        .iter()
                        .map(|k| (strsim::jaro_winkler(k, &name), k))
                        .filter(|(score, _)| *score > 0.85)
                        .max_by(|a, b| a.0.total_cmp(&b.0))
                        .map(|(_, k)| format!("; did you mean {k}?"))
                        .unwrap_or_default();
                    return Err(Error::Usage(format!(
                        "{} does not override any built-in template{hint} (run `report init --templates` to see their names)",
                        path.display()
                    )));
                }
            }
        }
    }

    let mut markdown = Tera::new();
    markdown.set_escape_fn(escape_markdown);
    markdown.autoescape_on([".md"]);
    register_filters(&mut markdown);
    let mut html = Tera::new();
    html.autoescape_on([".html"]);
    register_filters(&mut html);
    let typst = sources
        .remove("report.typ")
        .expect("report.typ is built in");
    // Added in one batch per instance, so an include can name a template added after it.
    let (md_sources, html_sources): (Vec<_>, Vec<_>) =
        sources.iter().partition(|(name, _)| name.ends_with(".md"));
    markdown
        .add_raw_templates(md_sources.iter().map(|(n, s)| (**n, s.as_str())))
        .map_err(|e| template_error("Markdown templates", e))?;
    html.add_raw_templates(html_sources.iter().map(|(n, s)| (**n, s.as_str())))
        .map_err(|e| template_error("HTML templates", e))?;
    Ok(Templates {
        markdown,
        html,
        typst,
    })
}

pub fn template_error(name: &str, error: tera::Error) -> Error {
    let mut message = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        message.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    Error::Template {
        name: name.to_string(),
        message,
    }
}

fn files_under(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let entries = std::fs::read_dir(&folder).map_err(|source| Error::Read {
            path: folder.clone(),
            source,
        })?;
        for entry in entries {
            let path = entry
                .map_err(|source| Error::Read {
                    path: folder.clone(),
                    source,
                })?
                .path();
            let hidden = path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            if hidden {
                continue;
            }
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Escapes text from the data so Markdown shows it as typed: no emphasis, links, HTML or table
/// breaks. The same escaped text becomes plain, HTML-escaped text when the Markdown is turned
/// into HTML. Line breaks become spaces so a value cannot start a new block.
pub fn escape_markdown(input: &str, output: &mut dyn Write) -> std::io::Result<()> {
    output.write_all(markdown_escaped(input).as_bytes())
}

pub fn markdown_escaped(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + 8);
    for c in input.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' | '&' | '!' | '{'
            | '}' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

fn register_filters(tera: &mut Tera) {
    tera.register_filter(
        "num",
        |value: Value, kwargs: Kwargs, state: &State| -> tera::TeraResult<Value> {
            let decimals = kwargs.get::<u8>("decimals")?.unwrap_or(0);
            Ok(match number(&value) {
                Some(n) => Value::normal_string(&format::decimal(n, decimals)),
                None => not_a_number(&value, state),
            })
        },
    );
    tera.register_filter("pct", |value: Value, _: Kwargs, state: &State| -> Value {
        match number(&value) {
            Some(n) => Value::normal_string(&format::percent(n)),
            None => not_a_number(&value, state),
        }
    });
    tera.register_filter("money", |value: Value, _: Kwargs, state: &State| -> Value {
        match number(&value) {
            Some(n) => Value::normal_string(&format::money(n)),
            None => not_a_number(&value, state),
        }
    });
    tera.register_filter(
        "count",
        |value: Value, kwargs: Kwargs, state: &State| -> tera::TeraResult<String> {
            let one = kwargs.must_get::<&str>("one")?;
            let many = kwargs.must_get::<&str>("many")?;
            Ok(match number(&value) {
                Some(1.0) => format!("1 {one}"),
                Some(n) => format!("{} {many}", format::decimal(n, 0)),
                None if text(&value) == "[c]" => format!("an undisclosed number of {many}"),
                None => format!("{} {many}", text(&not_a_number(&value, state))),
            })
        },
    );
    // Text inside a CSS string (a running footer): quotes and backslashes escaped, and "<" as a
    // CSS escape so no text can close the style element. Mark the result `safe`.
    tera.register_filter(
        "css_string",
        |value: String, _: Kwargs, _: &State| -> String {
            let mut out = String::with_capacity(value.len() + 2);
            for c in value.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '<' => out.push_str("\\3C "),
                    '>' => out.push_str("\\3E "),
                    c if c.is_control() => out.push(' '),
                    c => out.push(c),
                }
            }
            out
        },
    );
    // The verb that agrees with a count: `{{ n | num }} {{ n | verb(one="was", many="were") }}`.
    tera.register_filter(
        "verb",
        |value: Value, kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let one = kwargs.must_get::<&str>("one")?;
            let many = kwargs.must_get::<&str>("many")?;
            Ok(if number(&value) == Some(1.0) {
                one
            } else {
                many
            }
            .to_string())
        },
    );
    tera.register_filter(
        "change_from",
        |value: Value, kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let previous = kwargs.must_get::<Value>("previous")?;
            Ok(change_phrase(number(&value), number(&previous)))
        },
    );
    // Capitalises the first letter only, for a count that opens a sentence ("Fewer than 5…").
    tera.register_filter(
        "sentence",
        |value: String, _: Kwargs, _: &State| -> String {
            let mut chars = value.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => value,
            }
        },
    );
    tera.register_filter("words", |value: Value, _: Kwargs, _: &State| -> String {
        let items: Vec<String> = value.as_array().unwrap_or(&[]).iter().map(text).collect();
        match items.as_slice() {
            [] => String::new(),
            [only] => only.clone(),
            [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
        }
    });
}

fn number(value: &Value) -> Option<f64> {
    value
        .as_number()
        .map(|n| n.as_float())
        .filter(|n| n.is_finite())
}

/// A fact that is not a number is one of the report's own symbols (`[c]`, `[x]`, `[z]`), which
/// need no escaping; anything else is escaped as usual. In a sentence every hidden number reads
/// "an undisclosed number": one phrase, so a sentence never tells which were small.
fn not_a_number(value: &Value, _state: &State) -> Value {
    let shown = text(value);
    if shown == "[c]" {
        return Value::safe_string("an undisclosed number");
    }
    if ["[x]", "[z]"].contains(&shown.as_str()) {
        Value::safe_string(&shown)
    } else {
        Value::normal_string(&shown)
    }
}

fn text(value: &Value) -> String {
    match value.as_str() {
        Some(s) => s.to_string(),
        None => value.to_string(),
    }
}

/// "an increase of 12 (10%) on", "a fall of 3 (2%) on", "the same as" — followed in the
/// template by the earlier period's label.
fn change_phrase(now: Option<f64>, before: Option<f64>) -> String {
    let (Some(now), Some(before)) = (now, before) else {
        return "compared with".to_string();
    };
    let difference = now - before;
    let size = format::decimal(difference.abs(), 0);
    let share = if before > 0.0 {
        format!(" ({})", format::percent(100.0 * difference.abs() / before))
    } else {
        String::new()
    };
    if difference > 0.0 {
        format!("an increase of {size}{share} on")
    } else if difference < 0.0 {
        format!("a fall of {size}{share} on")
    } else {
        "the same as".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_file_is_built_in() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        for path in files_under(&dir).unwrap() {
            let name = path
                .strip_prefix(&dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            assert!(
                BUILT_IN.iter().any(|(n, _)| *n == name),
                "{name} is not in BUILT_IN"
            );
        }
    }

    #[test]
    fn markdown_escaping_neutralises_markup() {
        assert_eq!(
            markdown_escaped("<script>alert(1)</script>"),
            "\\<script\\>alert(1)\\</script\\>"
        );
        assert_eq!(
            markdown_escaped("a|b *c* _d_ [e](f)"),
            "a\\|b \\*c\\* \\_d\\_ \\[e\\](f)"
        );
        assert_eq!(markdown_escaped("two\nlines"), "two lines");
        assert_eq!(
            markdown_escaped("Children's Homes (MASH)"),
            "Children's Homes (MASH)"
        );
    }

    #[test]
    fn change_phrases() {
        assert_eq!(
            change_phrase(Some(110.0), Some(100.0)),
            "an increase of 10 (10%) on"
        );
        assert_eq!(
            change_phrase(Some(97.0), Some(100.0)),
            "a fall of 3 (3%) on"
        );
        assert_eq!(change_phrase(Some(5.0), Some(0.0)), "an increase of 5 on");
        assert_eq!(change_phrase(Some(5.0), Some(5.0)), "the same as");
    }

    #[test]
    fn filters_format_numbers_and_pass_symbols_through() {
        let t = load(None).unwrap();
        let mut tera = t.markdown;
        tera.add_raw_template(
            "t.md",
            "{{ a | num }} {{ b | num(decimals=1) }} {{ c | pct }} {{ d | num }} {{ a | count(one=\"case\", many=\"cases\") }} {{ e | count(one=\"case\", many=\"cases\") }} {{ l | words }} {{ x }} {{ d | count(one=\"case\", many=\"cases\") }} {{ n | num }}",
        )
        .unwrap();
        let mut context = tera::Context::new();
        context.insert("a", &1234);
        context.insert("b", &13.44);
        context.insert("c", &66.6);
        context.insert("d", &"[c]");
        context.insert("e", &1);
        context.insert("l", &vec!["A", "B", "C"]);
        context.insert("x", &"*bold*");
        context.insert("n", &"[x]");
        // Every hidden number reads the same.
        context.insert("suppress_below", &3);
        assert_eq!(
            tera.render("t.md", &context).unwrap(),
            "1,234 13.4 67% an undisclosed number 1,234 cases 1 case A, B and C \\*bold\\* an undisclosed number of cases [x]"
        );
    }
}
