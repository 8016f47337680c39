//! Render: the report model to Markdown, HTML, JSON, CSV and SVG. Renderers see only the model.

pub mod blocks;
pub mod charts;
pub mod csv;
pub mod docx;
pub mod format;
pub mod html;
pub mod json;
pub mod markdown;
pub mod output;
pub mod pdf;
mod staging;
pub mod templates;
pub mod xlsx;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::error::{Error, Result};
use crate::figures::model::{
    Audience, Chart, FileReconciliation, PeriodInfo, Provenance, Report, Section, SectionBody,
    Table,
};
pub use staging::publish;
use templates::{Templates, template_error};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    Markdown,
    Html,
    Json,
    Csv,
    Xlsx,
    Pdf,
    Docx,
}

/// One output format: its name on the command line, what it writes, and whether `all` has it.
pub struct FormatSpec {
    pub format: Format,
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub writes: &'static str,
    pub in_all: bool,
}

/// The one list of formats: parsing, `--help`, `all` and the README's usage line follow it.
pub const FORMATS: &[FormatSpec] = &[
    FormatSpec {
        format: Format::Markdown,
        name: "md",
        aliases: &["markdown"],
        writes: "report.md and charts/*.svg",
        in_all: true,
    },
    FormatSpec {
        format: Format::Html,
        name: "html",
        aliases: &[],
        writes: "report.html, self-contained",
        in_all: true,
    },
    FormatSpec {
        format: Format::Json,
        name: "json",
        aliases: &[],
        writes: "figures.json",
        in_all: true,
    },
    FormatSpec {
        format: Format::Csv,
        name: "csv",
        aliases: &[],
        writes: "tables/*.csv",
        in_all: true,
    },
    FormatSpec {
        format: Format::Xlsx,
        name: "xlsx",
        aliases: &["excel"],
        writes: "data-appendix.xlsx",
        in_all: true,
    },
    FormatSpec {
        format: Format::Pdf,
        name: "pdf",
        aliases: &[],
        writes: "report.pdf, tagged, A4",
        in_all: false,
    },
    FormatSpec {
        format: Format::Docx,
        name: "docx",
        aliases: &["word"],
        writes: "report.docx, to edit in Word",
        in_all: false,
    },
];

impl Format {
    pub fn spec(self) -> &'static FormatSpec {
        FORMATS
            .iter()
            .find(|f| f.format == self)
            .expect("every format is in FORMATS")
    }

    /// The formats `all` stands for.
    pub fn all() -> impl Iterator<Item = Format> {
        FORMATS.iter().filter(|f| f.in_all).map(|f| f.format)
    }

    /// `md,html,json,csv,xlsx,pdf,docx|all`, as the README's usage line writes it.
    pub fn choices() -> String {
        let names: Vec<&str> = FORMATS.iter().map(|f| f.name).collect();
        format!("{}|all", names.join(","))
    }

    /// The `--format` help: every format and what it writes.
    pub fn help() -> String {
        let each: Vec<String> = FORMATS
            .iter()
            .map(|f| format!("{} ({})", f.name, f.writes))
            .collect();
        let (all, laid_out): (Vec<&FormatSpec>, Vec<&FormatSpec>) =
            FORMATS.iter().partition(|f| f.in_all);
        let names = |specs: &[&FormatSpec]| -> Vec<&str> { specs.iter().map(|f| f.name).collect() };
        format!(
            "Which outputs, comma separated: {}; or all ({}). all leaves out {}: typesetting them takes longer than everything else together, so name them (all,{}).",
            each.join(", "),
            names(&all).join(", "),
            names(&laid_out).join(" and "),
            names(&laid_out).join(","),
        )
    }

    fn names_in_words() -> String {
        let names: Vec<&str> = FORMATS.iter().map(|f| f.name).collect();
        format!("{} or all", names.join(", "))
    }

    /// `md,html` or `all`.
    pub fn parse_list(text: &str) -> std::result::Result<BTreeSet<Format>, String> {
        let mut formats = BTreeSet::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            if part.eq_ignore_ascii_case("all") {
                formats.extend(Format::all());
            } else {
                formats.insert(part.parse()?);
            }
        }
        if formats.is_empty() {
            return Err(format!(
                "name at least one format: {}",
                Format::names_in_words()
            ));
        }
        Ok(formats)
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        let wanted = s.to_ascii_lowercase();
        FORMATS
            .iter()
            .find(|f| f.name == wanted || f.aliases.contains(&wanted.as_str()))
            .map(|f| f.format)
            .ok_or_else(|| format!("unknown format '{s}': use {}", Format::names_in_words()))
    }
}

pub struct RenderOptions<'a> {
    pub formats: &'a BTreeSet<Format>,
    pub templates_dir: Option<&'a Path>,
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(text: &str) -> String {
    charts::xml_escape(text)
}

/// What the base templates may use of the report, besides the rendered sections.
#[derive(Serialize)]
struct Meta<'a> {
    kind: &'a str,
    /// What the document is called: "Annual report".
    name: &'a str,
    /// "30 April 2025": the date the figures are as at.
    as_at: String,
    provisional: bool,
    title: &'a str,
    audience: Audience,
    suppress_below: u32,
    authority: &'a Option<String>,
    department: &'a Option<String>,
    /// "15 July 2025", when report.toml gives it.
    published: Option<String>,
    contact: &'a Option<String>,
    period: &'a PeriodInfo,
    comparisons: &'a [PeriodInfo],
    provenance: &'a Provenance,
    reconciliation: &'a BTreeMap<String, FileReconciliation>,
}

impl<'a> Meta<'a> {
    fn of(report: &'a Report) -> Meta<'a> {
        Meta {
            kind: &report.kind,
            name: &report.name,
            as_at: crate::period::long_date(report.provenance.as_at),
            provisional: report.provisional,
            title: &report.title,
            audience: report.audience,
            suppress_below: report.suppress_below,
            authority: &report.authority,
            department: &report.department,
            published: report.published.map(crate::period::long_date),
            contact: &report.contact,
            period: &report.period,
            comparisons: &report.comparisons,
            provenance: &report.provenance,
            reconciliation: &report.reconciliation,
        }
    }
}

#[derive(Serialize)]
struct RenderedSection<'a> {
    id: &'a str,
    title: &'a str,
    /// GitHub's anchor for the heading, for the Markdown contents list.
    anchor: String,
    body: String,
}

/// What identifies a document from one run to the next, whatever its contents: the PDF's
/// identifier is a hash of it, so a corrected report replaces the one it corrects.
fn document_ident(report: &Report) -> String {
    format!(
        "{} {} {} {:?}",
        report.authority.as_deref().unwrap_or(""),
        report.kind,
        report.period.label,
        report.audience
    )
}

/// Numbers tables and figures in reading order.
struct Numbering {
    tables: BTreeMap<String, usize>,
    figures: BTreeMap<String, usize>,
}

impl Numbering {
    fn of(report: &Report) -> Numbering {
        Numbering {
            tables: report
                .tables()
                .enumerate()
                .map(|(i, t)| (t.id.clone(), i + 1))
                .collect(),
            figures: report
                .charts()
                .enumerate()
                .map(|(i, c)| (c.id.clone(), i + 1))
                .collect(),
        }
    }
}

/// One file of output: where it goes in the output folder, and its bytes.
type Output = (String, Vec<u8>);

/// One format's files, made from the report model alone.
type Job<'a> = Box<dyn Fn() -> Result<Vec<Output>> + Sync + 'a>;

/// Writes the requested formats into `dir` (which must exist); returns the files written.
pub fn render(report: &Report, dir: &Path, options: &RenderOptions) -> Result<Vec<PathBuf>> {
    let templates = templates::load(options.templates_dir)?;
    let numbering = Numbering::of(report);
    let wants = |f: Format| options.formats.contains(&f);
    let documents = [Format::Markdown, Format::Html, Format::Pdf, Format::Docx]
        .into_iter()
        .any(wants);
    let mut outputs: Vec<Output> = Vec::new();
    let mut svgs: BTreeMap<String, String> = BTreeMap::new();
    if documents {
        for chart in report.charts() {
            let svg = charts::render(chart)
                .map_err(|e| Error::Render(format!("drawing chart {}: {e}", chart.id)))?;
            if wants(Format::Markdown) || wants(Format::Html) {
                outputs.push((blocks::chart_file(&chart.id), svg.clone().into_bytes()));
            }
            svgs.insert(chart.id.clone(), svg);
        }
    }
    let meta = Meta::of(report);
    // Each section's partial is rendered once, whichever formats use it.
    let partials = if documents {
        report
            .sections
            .iter()
            .map(|section| section_markdown(report, section, &meta, &templates, &numbering))
            .collect::<Result<Vec<_>>>()?
    } else {
        Vec::new()
    };
    let sections = if wants(Format::Pdf) || wants(Format::Docx) {
        section_blocks(report, &partials)
    } else {
        Vec::new()
    };
    let (meta, templates, partials, svgs, sections) =
        (&meta, &templates, &partials, &svgs, &sections);
    let text_document = |mode: Mode, name: &'static str| -> Job {
        Box::new(move || {
            let text = document(report, meta, templates, partials, svgs, mode)?;
            Ok(vec![(name.to_string(), text.into_bytes())])
        })
    };
    let mut jobs: Vec<Job> = Vec::new();
    if wants(Format::Markdown) {
        jobs.push(text_document(Mode::Markdown, "report.md"));
    }
    if wants(Format::Html) {
        jobs.push(text_document(Mode::Html, "report.html"));
    }
    if wants(Format::Json) {
        jobs.push(Box::new(|| {
            let text =
                serde_json::to_string_pretty(&json::figures(report)).expect("the model serialises");
            Ok(vec![(
                "figures.json".to_string(),
                format!("{text}\n").into_bytes(),
            )])
        }));
    }
    if wants(Format::Csv) {
        jobs.push(Box::new(|| {
            report
                .tables()
                .map(|table| {
                    let bytes = csv::table(table)
                        .map_err(|e| Error::Render(format!("writing table {}: {e}", table.id)))?;
                    Ok((format!("tables/{}.csv", table.id), bytes))
                })
                .collect()
        }));
    }
    if wants(Format::Pdf) {
        jobs.push(Box::new(|| {
            let data = pdf::PdfData {
                report: meta,
                sections,
            };
            let bytes = pdf::pdf(&templates.typst, &data, svgs, &document_ident(report)).map_err(
                |message| Error::Template {
                    name: "report.typ".to_string(),
                    message,
                },
            )?;
            Ok(vec![("report.pdf".to_string(), bytes)])
        }));
    }
    if wants(Format::Docx) {
        jobs.push(Box::new(|| {
            let bytes = docx::document(report, sections, svgs)
                .map_err(|e| Error::Render(format!("writing the Word document: {e}")))?;
            Ok(vec![("report.docx".to_string(), bytes)])
        }));
    }
    if wants(Format::Xlsx) {
        jobs.push(Box::new(|| {
            let bytes = xlsx::workbook(report)
                .map_err(|e| Error::Render(format!("writing the Excel appendix: {e}")))?;
            Ok(vec![("data-appendix.xlsx".to_string(), bytes)])
        }));
    }
    // Each format is made from the model alone, so they are made side by side; the files are
    // then written in one order, and the first failure in that order is the one reported.
    let made: Vec<Result<Vec<Output>>> = jobs.par_iter().map(|job| job()).collect();
    for files in made {
        outputs.extend(files?);
    }
    write_outputs(dir, outputs)
}

/// Writes each output under `dir`, making its folder; returns the paths written, in order.
fn write_outputs(dir: &Path, outputs: Vec<Output>) -> Result<Vec<PathBuf>> {
    let mut made: BTreeSet<PathBuf> = BTreeSet::new();
    outputs
        .into_iter()
        .map(|(relative, bytes)| {
            let path = dir.join(relative);
            if let Some(parent) = path.parent()
                && made.insert(parent.to_path_buf())
            {
                std::fs::create_dir_all(parent).map_err(|source| Error::Write {
                    path: parent.to_path_buf(),
                    source,
                })?;
            }
            std::fs::write(&path, bytes).map_err(|source| Error::Write {
                path: path.clone(),
                source,
            })?;
            Ok(path)
        })
        .collect()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Markdown,
    Html,
}

fn document(
    report: &Report,
    meta: &Meta,
    templates: &Templates,
    partials: &[SectionPartial],
    svgs: &BTreeMap<String, String>,
    mode: Mode,
) -> Result<String> {
    let sections: Vec<RenderedSection> = report
        .sections
        .iter()
        .zip(partials)
        .map(|(section, partial)| RenderedSection {
            id: &section.id,
            title: &section.title,
            anchor: github_anchor(&section.title),
            body: section_body(partial, svgs, mode),
        })
        .collect();
    let mut context = Context::new();
    context.insert("report", meta);
    context.insert("sections", &sections);
    context.insert("suppress_below", &report.suppress_below);
    let (tera, name) = match mode {
        Mode::Markdown => (&templates.markdown, "report.md"),
        Mode::Html => (&templates.html, "report.html"),
    };
    tera.render(name, &context)
        .map_err(|e| template_error(name, e))
}

/// What a block placeholder in a section's Markdown stands for.
enum Placed<'a> {
    Table(&'a Table, usize),
    Chart(&'a Chart, usize),
}

/// A section's partial rendered to Markdown, with a placeholder comment where each table and
/// figure goes; each format puts its own table or figure there afterwards, so none is ever
/// reinterpreted as Markdown.
struct SectionPartial<'a> {
    markdown: String,
    placed: Vec<Placed<'a>>,
}

/// One section's partial in the given mode, its tables and figures in their places.
fn section_body(partial: &SectionPartial, svgs: &BTreeMap<String, String>, mode: Mode) -> String {
    let mut text = match mode {
        Mode::Markdown => partial.markdown.trim().to_string(),
        Mode::Html => html::markdown_to_html(&partial.markdown),
    };
    for (i, place) in partial.placed.iter().enumerate() {
        let content = match (mode, place) {
            (Mode::Markdown, Placed::Table(table, n)) => markdown::table(table, *n),
            (Mode::Markdown, Placed::Chart(chart, n)) => markdown::chart(chart, *n),
            (Mode::Html, Placed::Table(table, n)) => html::table(table, *n),
            (Mode::Html, Placed::Chart(chart, n)) => html::figure(chart, &svgs[&chart.id], *n),
        };
        let content = match mode {
            Mode::Markdown => content.trim_end(),
            Mode::Html => &content,
        };
        text = text.replace(&blocks::placeholder(i), content);
    }
    text
}

/// Every section as blocks, for the formats that lay out a document themselves.
fn section_blocks(report: &Report, partials: &[SectionPartial]) -> Vec<blocks::SectionBlocks> {
    report
        .sections
        .iter()
        .zip(partials)
        .map(|(section, partial)| {
            let placed: Vec<blocks::Block> = partial
                .placed
                .iter()
                .map(|place| match place {
                    Placed::Table(table, n) => {
                        blocks::Block::Table(blocks::TableBlock::of(table, *n))
                    }
                    Placed::Chart(chart, n) => {
                        blocks::Block::Figure(blocks::FigureBlock::of(chart, *n))
                    }
                })
                .collect();
            blocks::SectionBlocks {
                id: section.id.clone(),
                title: section.title.clone(),
                blocks: blocks::from_markdown(&partial.markdown, &placed),
            }
        })
        .collect()
}

/// Renders a section's partial: see [`SectionPartial`].
fn section_markdown<'a>(
    report: &'a Report,
    section: &'a Section,
    meta: &Meta,
    templates: &Templates,
    numbering: &Numbering,
) -> Result<SectionPartial<'a>> {
    let mut context = Context::new();
    context.insert("report", meta);
    context.insert("suppress_below", &report.suppress_below);
    context.insert(
        "section",
        &serde_json::json!({"id": section.id, "title": section.title}),
    );
    context.insert("headline", &report.headline);
    let mut placed: Vec<Placed<'a>> = Vec::new();
    let mut block = |place: Placed<'a>| -> String {
        placed.push(place);
        blocks::placeholder(placed.len() - 1)
    };
    let template = match &section.body {
        SectionBody::Narrative { markdown } => {
            context.insert("markdown", markdown);
            "sections/narrative.md".to_string()
        }
        SectionBody::Figures {
            tables,
            charts,
            facts,
            ..
        } => {
            let mut blocks = Vec::new();
            let mut by_table: BTreeMap<String, String> = BTreeMap::new();
            let mut figures: BTreeMap<String, String> = BTreeMap::new();
            for table in tables {
                for chart in charts.iter().filter(|c| c.table_id == table.id) {
                    let rendered = block(Placed::Chart(chart, numbering.figures[&chart.id]));
                    figures
                        .entry(table.id.clone())
                        .or_default()
                        .push_str(&rendered);
                    blocks.push(rendered);
                }
                let rendered = block(Placed::Table(table, numbering.tables[&table.id]));
                by_table.insert(table.id.clone(), rendered.clone());
                blocks.push(rendered);
            }
            context.insert("facts", facts);
            context.insert("blocks", &blocks);
            context.insert("tables", &by_table);
            context.insert("charts", &figures);
            let own = format!("sections/{}.md", section.id);
            if templates.markdown.contains_template(&own) {
                own
            } else {
                "sections/default.md".to_string()
            }
        }
    };
    let markdown = templates
        .markdown
        .render(&template, &context)
        .map_err(|e| template_error(&template, e))?;
    Ok(SectionPartial { markdown, placed })
}

/// The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens.
fn github_anchor(title: &str) -> String {
    title
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every format in the list parses by its name, is in the help and the README's usage line,
    /// and `all` is exactly the formats marked for it.
    #[test]
    fn one_list_of_formats_drives_parsing_help_readme_and_all() {
        let readme = include_str!("../../README.md");
        assert!(
            readme.contains(&format!("[--format {}]", Format::choices())),
            "README.md's usage line must read [--format {}]",
            Format::choices()
        );
        let help = Format::help();
        for spec in FORMATS {
            assert_eq!(spec.name.parse::<Format>(), Ok(spec.format));
            for alias in spec.aliases {
                assert_eq!(alias.parse::<Format>(), Ok(spec.format));
            }
            assert!(help.contains(spec.name) && help.contains(spec.writes));
            assert_eq!(spec.format.spec().name, spec.name);
        }
        let all = Format::parse_list("all").unwrap();
        let marked: BTreeSet<Format> = FORMATS
            .iter()
            .filter(|f| f.in_all)
            .map(|f| f.format)
            .collect();
        assert_eq!(all, marked);
        assert_eq!(
            Format::parse_list("xlsx").unwrap(),
            BTreeSet::from([Format::Xlsx])
        );
    }

    #[test]
    fn format_lists() {
        let two = Format::parse_list("md, HTML").unwrap();
        assert_eq!(two, BTreeSet::from([Format::Markdown, Format::Html]));
        assert!(
            Format::parse_list("pdfx")
                .unwrap_err()
                .contains("unknown format 'pdfx'")
        );
        assert!(Format::parse_list("").is_err());
    }

    #[test]
    fn anchors_match_github() {
        assert_eq!(
            github_anchor("Children and young people's complaints"),
            "children-and-young-peoples-complaints"
        );
        assert_eq!(github_anchor("Stages 2 and 3"), "stages-2-and-3");
        assert_eq!(github_anchor("Stage 1: timescales"), "stage-1-timescales");
    }
}
