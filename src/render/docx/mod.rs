//! The Word edition: a draft for a complaints manager to edit before it goes to committee.
//!
//! Written as Office Open XML by hand — the format is a zip of a few XML parts, and a crate would
//! bring more than the little we use. What matters survives editing: headings are Word's own
//! Heading styles (so the navigation pane and the contents field follow them), tables are real
//! tables whose header row repeats on each page, charts are pictures with alt text, and every
//! page's header or footer names the edition.

mod parts;

use std::collections::BTreeMap;
use std::io::Write;

use super::blocks::{Block, FigureBlock, Inline, SectionBlocks, TableBlock};
use super::charts;
use super::escape_html as xml;
use crate::figures::model::{Audience, Report};

/// The text width of an A4 page with 2 cm margins, in EMU (1 cm = 360,000 EMU).
const TEXT_WIDTH_EMU: u64 = 17 * 360_000;
/// Charts are drawn at twice their size, so they stay sharp when printed.
const CHART_SCALE: f32 = 2.0;

/// The document's parts, gathered while its body is written.
struct Writer {
    body: String,
    /// Pictures, as `word/media/<name>`, with their relationship ids.
    media: Vec<(String, String, Vec<u8>)>,
    /// Hyperlink targets, with their relationship ids.
    links: Vec<(String, String)>,
    /// Ordered lists each restart at their own start: one numbering instance per list.
    ordered_lists: Vec<u64>,
    /// Bookmark ids for headings, so the contents can link to them.
    bookmarks: usize,
}

pub fn document(
    report: &Report,
    sections: &[SectionBlocks],
    svgs: &BTreeMap<String, String>,
) -> Result<Vec<u8>, String> {
    let mut writer = Writer {
        body: String::new(),
        media: Vec::new(),
        links: Vec::new(),
        ordered_lists: Vec::new(),
        bookmarks: 0,
    };
    writer.cover(report);
    if report.kind != "bulletin" {
        writer.contents(sections);
    }
    for section in sections {
        writer.heading(1, &[text(&section.title)]);
        for block in &section.blocks {
            writer.block(block, svgs)?;
        }
    }
    parts::package(
        report,
        &writer.body,
        &writer.media,
        &writer.links,
        &writer.ordered_lists,
    )
}

fn text(s: &str) -> Inline {
    Inline::Text {
        text: s.to_string(),
    }
}

/// The edition, as every page's header (internal) or footer (public) says it.
pub fn edition(report: &Report) -> &'static str {
    match report.audience {
        Audience::Internal => "Internal: not for publication",
        Audience::Public => "Public edition",
    }
}

impl Writer {
    fn paragraph(&mut self, style: Option<&str>, inlines: &[Inline]) {
        self.body.push_str("<w:p>");
        if let Some(style) = style {
            self.body
                .push_str(&format!("<w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr>"));
        }
        self.runs(inlines, &RunStyle::default());
        self.body.push_str("</w:p>");
    }

    fn cover(&mut self, report: &Report) {
        match &report.authority {
            Some(authority) => self.paragraph(Some("Authority"), &[text(authority)]),
            None => self.paragraph(
                Some("Gap"),
                &[text("[Council: not set — authority in report.toml]")],
            ),
        }
        if let Some(department) = &report.department {
            self.paragraph(Some("Subtitle"), &[text(department)]);
        }
        self.paragraph(Some("Title"), &[text(&report.title)]);
        let period = if report.period.kind != "range" {
            format!("{} ({})", report.period.label, report.period.in_words)
        } else {
            report.period.in_words.clone()
        };
        self.paragraph(
            Some("Subtitle"),
            &[text(&format!("{} for {period}", report.name))],
        );
        let audience = match (report.audience, report.kind.as_str()) {
            (Audience::Internal, "bulletin") => "For internal circulation.".to_string(),
            (Audience::Internal, _) => {
                "Internal: not for publication. This edition shows every number and some case detail."
                    .to_string()
            }
            (Audience::Public, _) => {
                "Public edition: small numbers are suppressed ([c]) to protect children and families."
                    .to_string()
            }
        };
        let style = match report.audience {
            Audience::Internal => "Warning",
            Audience::Public => "Edition",
        };
        self.paragraph(Some(style), &[text(&audience)]);
        let as_at = crate::period::long_date(report.provenance.as_at);
        self.fact("Figures as at", Some(&as_at), "");
        if report.audience == Audience::Public {
            let published = report.published.map(crate::period::long_date);
            self.fact(
                "Published",
                published.as_deref(),
                "[not set — published in report.toml]",
            );
            self.fact(
                "Contact",
                report.contact.as_deref(),
                "[not set — contact in report.toml]",
            );
        } else if let Some(contact) = &report.contact {
            self.fact("Contact", Some(contact), "");
        }
        if report.provisional {
            self.paragraph(
                None,
                &[
                    Inline::Strong {
                        content: vec![text("Provisional:")],
                    },
                    text(&format!(
                        " the period had not ended when the data was exported ({as_at}), so these figures are incomplete."
                    )),
                ],
            );
        }
    }

    /// "Figures as at: 30 April 2025", or the gap a council has to fill, marked as one.
    fn fact(&mut self, name: &str, value: Option<&str>, gap: &str) {
        let label = Inline::Strong {
            content: vec![text(&format!("{name}: "))],
        };
        match value {
            Some(value) => self.paragraph(None, &[label, text(value)]),
            None => {
                self.body.push_str("<w:p>");
                self.runs(&[label], &RunStyle::default());
                self.body.push_str(&format!(
                    "<w:r><w:rPr><w:rStyle w:val=\"GapChar\"/></w:rPr>{}</w:r></w:p>",
                    run_text(gap)
                ));
            }
        }
    }

    /// Word's contents field, filled with the sections as they stand, so the list reads right
    /// before anyone updates it; Word offers to update it (with page numbers) on opening.
    fn contents(&mut self, sections: &[SectionBlocks]) {
        self.body.push_str("<w:p><w:pPr><w:pStyle w:val=\"TOCHeading\"/></w:pPr><w:r><w:t>Contents</w:t></w:r></w:p>");
        for (i, section) in sections.iter().enumerate() {
            self.body
                .push_str("<w:p><w:pPr><w:pStyle w:val=\"TOC1\"/></w:pPr>");
            if i == 0 {
                self.body.push_str(
                    "<w:r><w:fldChar w:fldCharType=\"begin\" w:dirty=\"true\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> TOC \\o \"1-1\" \\h \\z \\u </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>",
                );
            }
            self.body.push_str(&format!(
                "<w:hyperlink w:anchor=\"section-{}\" w:history=\"1\">",
                i + 1
            ));
            self.runs(&[text(&section.title)], &RunStyle::default());
            self.body.push_str("</w:hyperlink>");
            if i + 1 == sections.len() {
                self.body
                    .push_str("<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>");
            }
            self.body.push_str("</w:p>");
        }
        self.body
            .push_str("<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>");
    }

    fn heading(&mut self, level: u8, content: &[Inline]) {
        self.body.push_str(&format!(
            "<w:p><w:pPr><w:pStyle w:val=\"Heading{level}\"/></w:pPr>"
        ));
        if level == 1 {
            // The contents field's links land here.
            self.bookmarks += 1;
            self.body.push_str(&format!(
                "<w:bookmarkStart w:id=\"{n}\" w:name=\"section-{n}\"/>",
                n = self.bookmarks
            ));
        }
        self.runs(content, &RunStyle::default());
        if level == 1 {
            self.body
                .push_str(&format!("<w:bookmarkEnd w:id=\"{}\"/>", self.bookmarks));
        }
        self.body.push_str("</w:p>");
    }

    fn block(&mut self, block: &Block, svgs: &BTreeMap<String, String>) -> Result<(), String> {
        match block {
            Block::Heading { level, content } => self.heading((*level).min(4), content),
            Block::Paragraph { content } => self.paragraph(None, content),
            Block::List {
                ordered,
                start,
                items,
            } => {
                let num = if *ordered {
                    self.ordered_lists.push(*start);
                    // Numbering instance 1 is bullets; each ordered list has its own after it.
                    self.ordered_lists.len() + 1
                } else {
                    1
                };
                for item in items {
                    self.list_item(item, num, svgs)?;
                }
            }
            Block::Quote { blocks } => {
                for inner in blocks {
                    match inner {
                        Block::Paragraph { content } => self.paragraph(Some("Quote"), content),
                        other => self.block(other, svgs)?,
                    }
                }
            }
            Block::Code { text: code } => {
                for line in code.lines() {
                    self.paragraph(Some("Code"), &[text(line)]);
                }
            }
            Block::Rule => self
                .body
                .push_str("<w:p><w:pPr><w:pStyle w:val=\"Rule\"/></w:pPr></w:p>"),
            Block::Grid { header, rows } => self.table_xml(None, header, rows, &[], &[]),
            Block::Table(table) => self.report_table(table),
            Block::Figure(figure) => self.figure(figure, svgs)?,
        }
        Ok(())
    }

    fn list_item(
        &mut self,
        item: &[Block],
        num: usize,
        svgs: &BTreeMap<String, String>,
    ) -> Result<(), String> {
        let mut first = true;
        for block in item {
            match block {
                Block::Paragraph { content } => {
                    // Only an item's first paragraph carries its bullet or number.
                    let numbering = if first {
                        format!(
                            "<w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"{num}\"/></w:numPr>"
                        )
                    } else {
                        String::new()
                    };
                    self.body.push_str(&format!(
                        "<w:p><w:pPr><w:pStyle w:val=\"ListParagraph\"/>{numbering}</w:pPr>"
                    ));
                    self.runs(content, &RunStyle::default());
                    self.body.push_str("</w:p>");
                }
                other => self.block(other, svgs)?,
            }
            first = false;
        }
        Ok(())
    }

    fn report_table(&mut self, table: &TableBlock) {
        if table.rows.is_empty() {
            self.paragraph(Some("Caption"), &[text(&table.caption)]);
            for note in &table.notes {
                self.paragraph(Some("TableNote"), &[text(note)]);
            }
            return;
        }
        let header: Vec<Vec<Inline>> = table.columns.iter().map(|c| vec![text(c)]).collect();
        let rows: Vec<Vec<Vec<Inline>>> = table
            .rows
            .iter()
            .map(|row| {
                std::iter::once(&row.label)
                    .chain(&row.cells)
                    .map(|cell| {
                        let cell = text(cell);
                        if row.total {
                            vec![Inline::Strong {
                                content: vec![cell],
                            }]
                        } else {
                            vec![cell]
                        }
                    })
                    .collect()
            })
            .collect();
        let mut right = vec![false];
        right.extend(&table.numeric);
        self.table_xml(Some(&table.caption), &header, &rows, &right, &table.notes);
    }

    /// A Word table: the caption above it, the header row marked to repeat on every page, rows
    /// kept whole, numbers right-aligned, the notes after it.
    fn table_xml(
        &mut self,
        caption: Option<&str>,
        header: &[Vec<Inline>],
        rows: &[Vec<Vec<Inline>>],
        right: &[bool],
        notes: &[String],
    ) {
        if let Some(caption) = caption {
            self.paragraph(Some("Caption"), &[text(caption)]);
        }
        let widths = column_widths(header, rows);
        self.body.push_str(&format!(
            "<w:tbl><w:tblPr><w:tblStyle w:val=\"ReportTable\"/><w:tblW w:w=\"{}\" w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/><w:tblLook w:val=\"04A0\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"1\" w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>",
            widths.iter().sum::<u32>()
        ));
        for width in &widths {
            self.body.push_str(&format!("<w:gridCol w:w=\"{width}\"/>"));
        }
        self.body.push_str("</w:tblGrid>");
        let all = std::iter::once((true, header)).chain(rows.iter().map(|r| (false, r.as_slice())));
        for (is_header, cells) in all {
            self.body.push_str("<w:tr><w:trPr><w:cantSplit/>");
            if is_header {
                self.body.push_str("<w:tblHeader/>");
            }
            self.body.push_str("</w:trPr>");
            for (i, cell) in cells.iter().enumerate() {
                let align = if right.get(i).copied().unwrap_or(false) {
                    "<w:jc w:val=\"right\"/>"
                } else {
                    ""
                };
                let width = widths.get(i).copied().unwrap_or(0);
                self.body.push_str(&format!(
                    "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/></w:tcPr><w:p><w:pPr><w:pStyle w:val=\"TableText\"/>{align}</w:pPr>"
                ));
                let style = RunStyle {
                    bold: is_header,
                    ..RunStyle::default()
                };
                self.runs(cell, &style);
                self.body.push_str("</w:p></w:tc>");
            }
            self.body.push_str("</w:tr>");
        }
        self.body.push_str("</w:tbl>");
        for note in notes {
            self.paragraph(Some("TableNote"), &[text(note)]);
        }
    }

    fn figure(
        &mut self,
        figure: &FigureBlock,
        svgs: &BTreeMap<String, String>,
    ) -> Result<(), String> {
        let svg = svgs
            .get(&figure.id)
            .ok_or_else(|| format!("no drawing for chart {}", figure.id))?;
        let (png, width, height) = raster(svg)?;
        let n = self.media.len() + 1;
        let rel = format!("rIdImage{n}");
        self.media
            .push((format!("chart-{n}.png"), rel.clone(), png));
        let cx = TEXT_WIDTH_EMU.min(u64::from(width) * 9525 / CHART_SCALE as u64);
        let cy = cx * u64::from(height) / u64::from(width.max(1));
        self.body.push_str(&format!(
            "<w:p><w:pPr><w:pStyle w:val=\"Figure\"/></w:pPr><w:r><w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\"><wp:extent cx=\"{cx}\" cy=\"{cy}\"/><wp:docPr id=\"{n}\" name=\"{name}\" descr=\"{alt}\" title=\"{title}\"/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect=\"1\"/></wp:cNvGraphicFramePr><a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><pic:pic><pic:nvPicPr><pic:cNvPr id=\"{n}\" name=\"{name}\" descr=\"{alt}\"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed=\"{rel}\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"{cx}\" cy=\"{cy}\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>",
            name = xml(&format!("chart-{n}.png")),
            alt = xml(&figure.alt),
            title = xml(&figure.caption),
        ));
        self.paragraph(Some("Caption"), &[text(&figure.caption)]);
        Ok(())
    }

    fn runs(&mut self, inlines: &[Inline], style: &RunStyle) {
        for inline in inlines {
            match inline {
                Inline::Text { text } => self.body.push_str(&run(text, style)),
                Inline::Code { text } => self.body.push_str(&run(
                    text,
                    &RunStyle {
                        code: true,
                        ..*style
                    },
                )),
                Inline::Strong { content } => self.runs(
                    content,
                    &RunStyle {
                        bold: true,
                        ..*style
                    },
                ),
                Inline::Emph { content } => self.runs(
                    content,
                    &RunStyle {
                        italic: true,
                        ..*style
                    },
                ),
                Inline::Strike { content } => self.runs(
                    content,
                    &RunStyle {
                        strike: true,
                        ..*style
                    },
                ),
                Inline::Link { url, content } => {
                    let id = match self.links.iter().find(|(u, _)| u == url) {
                        Some((_, id)) => id.clone(),
                        None => {
                            let id = format!("rIdLink{}", self.links.len() + 1);
                            self.links.push((url.clone(), id.clone()));
                            id
                        }
                    };
                    self.body
                        .push_str(&format!("<w:hyperlink r:id=\"{id}\" w:history=\"1\">"));
                    self.runs(
                        content,
                        &RunStyle {
                            link: true,
                            ..*style
                        },
                    );
                    self.body.push_str("</w:hyperlink>");
                }
                Inline::Break => self.body.push_str("<w:r><w:br/></w:r>"),
            }
        }
    }
}

/// The page's text width in twentieths of a point.
const TEXT_WIDTH_TWIPS: u32 = 9638;

/// Column widths (twips) in proportion to what each column holds, so a long label is not
/// squeezed into the same width as a count; a narrow table is not stretched to the margins.
fn column_widths(header: &[Vec<Inline>], rows: &[Vec<Vec<Inline>>]) -> Vec<u32> {
    // 10 pt text, bold in the header: a character is up to some 130 twips wide, plus the
    // cell's margins.
    const PER_CHAR: u32 = 130;
    const MARGINS: u32 = 320;
    let longest_word = |inlines: &[Inline]| {
        super::blocks::plain_text(inlines)
            .split_whitespace()
            .map(|w| w.chars().count())
            .max()
            .unwrap_or(0)
    };
    let length = |inlines: &[Inline]| super::blocks::plain_text(inlines).chars().count();
    let wanted: Vec<u32> = (0..header.len())
        .map(|i| {
            let cells = rows.iter().filter_map(|row| row.get(i));
            // A column may wrap between words, but its longest word must fit.
            let text = cells.map(|c| length(c).min(36)).max().unwrap_or(0);
            let heading = longest_word(&header[i]).max(length(&header[i]).min(14));
            text.max(heading) as u32 * PER_CHAR + MARGINS
        })
        .collect();
    let total: u32 = wanted.iter().sum();
    if total <= TEXT_WIDTH_TWIPS {
        return wanted;
    }
    wanted
        .iter()
        .map(|w| (u64::from(*w) * u64::from(TEXT_WIDTH_TWIPS) / u64::from(total)) as u32)
        .collect()
}

#[derive(Clone, Copy, Default)]
struct RunStyle {
    bold: bool,
    italic: bool,
    strike: bool,
    code: bool,
    link: bool,
}

fn run(text: &str, style: &RunStyle) -> String {
    let mut properties = String::new();
    if style.link {
        properties.push_str("<w:rStyle w:val=\"Hyperlink\"/>");
    }
    if style.code {
        properties.push_str("<w:rStyle w:val=\"CodeChar\"/>");
    }
    if style.bold {
        properties.push_str("<w:b/>");
    }
    if style.italic {
        properties.push_str("<w:i/>");
    }
    if style.strike {
        properties.push_str("<w:strike/>");
    }
    let properties = if properties.is_empty() {
        properties
    } else {
        format!("<w:rPr>{properties}</w:rPr>")
    };
    format!("<w:r>{properties}{}</w:r>", run_text(text))
}

/// `<w:t>` keeping spaces at its ends, which Word would otherwise drop.
fn run_text(text: &str) -> String {
    format!("<w:t xml:space=\"preserve\">{}</w:t>", xml(text))
}

/// A chart's SVG as a PNG, drawn at twice its size with the bundled font.
fn raster(svg: &str) -> Result<(Vec<u8>, u32, u32), String> {
    use resvg::{tiny_skia, usvg};
    let mut options = usvg::Options {
        font_family: charts::FONT.to_string(),
        ..usvg::Options::default()
    };
    options
        .fontdb_mut()
        .load_font_data(charts::FONT_BYTES.to_vec());
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| e.to_string())?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(CHART_SCALE)
        .ok_or("a chart has no size")?;
    let mut pixmap =
        tiny_skia::Pixmap::new(size.width(), size.height()).ok_or("a chart has no size")?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(CHART_SCALE, CHART_SCALE),
        &mut pixmap.as_mut(),
    );
    let png = pixmap.encode_png().map_err(|e| e.to_string())?;
    Ok((png, size.width(), size.height()))
}

/// Writes one zip entry with a fixed date, so the same report gives the same bytes.
fn entry(
    zip: &mut zip::ZipWriter<std::io::Cursor<Vec<u8>>>,
    name: &str,
    bytes: &[u8],
) -> Result<(), String> {
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    zip.start_file(name, options).map_err(|e| e.to_string())?;
    zip.write_all(bytes).map_err(|e| e.to_string())
}
