//! The document as a tree of blocks — headings, paragraphs, lists, the report's tables and
//! figures — for the formats that lay a document out themselves (PDF and Word). It is read from
//! the same section partials as Markdown and HTML, so a council's template or narrative shows
//! the same in every format. Text here is plain: each format escapes it for itself.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use super::format::{cell_text, numeric_columns};
use crate::figures::model::{Chart, RowRole, Table};

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Inline {
    Text { text: String },
    Strong { content: Vec<Inline> },
    Emph { content: Vec<Inline> },
    Strike { content: Vec<Inline> },
    Code { text: String },
    Link { url: String, content: Vec<Inline> },
    Break,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    /// Level 1 is a section's own heading; headings inside a section start at 2.
    Heading {
        level: u8,
        content: Vec<Inline>,
    },
    Paragraph {
        content: Vec<Inline>,
    },
    List {
        ordered: bool,
        start: u64,
        items: Vec<Vec<Block>>,
    },
    Quote {
        blocks: Vec<Block>,
    },
    Code {
        text: String,
    },
    Rule,
    /// A table a council wrote in its narrative: a header row and rows of inline text.
    Grid {
        header: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
    },
    Table(TableBlock),
    Figure(FigureBlock),
}

/// A section: its heading, then its blocks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectionBlocks {
    pub id: String,
    pub title: String,
    pub blocks: Vec<Block>,
}

/// One of the report's tables, its cells as the tables show them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TableBlock {
    pub id: String,
    /// "Table 3: Complaints by stage".
    pub caption: String,
    /// The row-label column's header, then each cell column's.
    pub columns: Vec<String>,
    /// For each cell column: whether it holds numbers (set right-aligned).
    pub numeric: Vec<bool>,
    pub rows: Vec<TableRow>,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TableRow {
    pub label: String,
    pub cells: Vec<String>,
    pub total: bool,
}

/// One of the report's charts: the drawing comes from `file`, its alt text from `alt`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FigureBlock {
    pub id: String,
    /// "Figure 2: Complaints by year".
    pub caption: String,
    pub alt: String,
    /// `charts/<id>.svg`, as the Markdown edition writes it.
    pub file: String,
}

impl TableBlock {
    pub fn of(table: &Table, number: usize) -> TableBlock {
        TableBlock {
            id: table.id.clone(),
            caption: format!("Table {number}: {}", table.title),
            columns: table.columns.clone(),
            numeric: numeric_columns(table),
            rows: table
                .rows
                .iter()
                .map(|row| TableRow {
                    label: row.label.clone(),
                    cells: row.cells.iter().map(cell_text).collect(),
                    total: row.role == RowRole::Total,
                })
                .collect(),
            notes: table.notes.clone(),
        }
    }
}

impl FigureBlock {
    pub fn of(chart: &Chart, number: usize) -> FigureBlock {
        FigureBlock {
            id: chart.id.clone(),
            caption: format!("Figure {number}: {}", chart.title),
            alt: chart.description.clone(),
            file: chart_file(&chart.id),
        }
    }
}

/// Where a chart's SVG is: written there by the Markdown and HTML editions, and read from there
/// by the PDF's layout.
pub fn chart_file(id: &str) -> String {
    format!("charts/{id}.svg")
}

/// A section's Markdown as blocks. `placed` holds what each `<!--report-block-N-->` placeholder
/// stands for; any other raw HTML is shown as the text it is, as in the HTML edition.
pub fn from_markdown(markdown: &str, placed: &[Block]) -> Vec<Block> {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_SMART_PUNCTUATION;
    let mut builder = Builder::default();
    for event in Parser::new_ext(markdown, options) {
        builder.event(event, placed);
    }
    let mut blocks = builder.finish();
    // A heading never skips a level (a narrative's `####` straight after the section's own
    // heading becomes level 2): screen readers navigate by level, and PDF/UA forbids the gap.
    let mut last = 1;
    for block in &mut blocks {
        if let Block::Heading { level, .. } = block {
            *level = (*level).min(last + 1);
            last = *level;
        }
    }
    blocks
}

/// An open container: what its finished children become when it closes.
enum Open {
    Root,
    Heading(u8),
    Paragraph,
    List {
        ordered: bool,
        start: u64,
    },
    Item,
    Quote,
    Code,
    Grid,
    GridRow,
    GridCell,
    Strong,
    Emph,
    Strike,
    Link(String),
    /// Alt text of an image in the narrative: kept as text, never fetched.
    Image,
}

impl Open {
    fn is_block(&self) -> bool {
        matches!(
            self,
            Open::Heading(_)
                | Open::Paragraph
                | Open::List { .. }
                | Open::Quote
                | Open::Code
                | Open::Grid
        )
    }
}

struct Frame {
    open: Open,
    blocks: Vec<Block>,
    inlines: Vec<Inline>,
    /// List items, grid rows or grid cells gathered so far.
    items: Vec<Vec<Block>>,
    cells: Vec<Vec<Inline>>,
    rows: Vec<Vec<Vec<Inline>>>,
    text: String,
}

impl Frame {
    fn new(open: Open) -> Frame {
        Frame {
            open,
            blocks: Vec::new(),
            inlines: Vec::new(),
            items: Vec::new(),
            cells: Vec::new(),
            rows: Vec::new(),
            text: String::new(),
        }
    }
}

struct Builder {
    stack: Vec<Frame>,
}

impl Default for Builder {
    fn default() -> Builder {
        Builder {
            stack: vec![Frame::new(Open::Root)],
        }
    }
}

impl Builder {
    fn top(&mut self) -> &mut Frame {
        self.stack
            .last_mut()
            .expect("the root frame is never closed")
    }

    fn event(&mut self, event: Event, placed: &[Block]) {
        match event {
            // An HTML block is no container: its placeholders and text belong where it stands.
            Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => {}
            Event::Start(tag) => {
                let open = match tag {
                    Tag::Heading { level, .. } => Open::Heading(section_level(level)),
                    Tag::Paragraph => Open::Paragraph,
                    Tag::List(start) => Open::List {
                        ordered: start.is_some(),
                        start: start.unwrap_or(1),
                    },
                    Tag::Item => Open::Item,
                    Tag::BlockQuote(_) => Open::Quote,
                    Tag::CodeBlock(_) => Open::Code,
                    Tag::Table(_) => Open::Grid,
                    Tag::TableHead | Tag::TableRow => Open::GridRow,
                    Tag::TableCell => Open::GridCell,
                    Tag::Strong => Open::Strong,
                    Tag::Emphasis => Open::Emph,
                    Tag::Strikethrough => Open::Strike,
                    Tag::Link { dest_url, .. } => Open::Link(dest_url.to_string()),
                    Tag::Image { .. } => Open::Image,
                    // Footnotes, definition lists and the like are not enabled; their text
                    // still arrives, inside a paragraph.
                    _ => Open::Paragraph,
                };
                if open.is_block() {
                    // Text before a nested list in a tight item is a paragraph of its own.
                    self.flush_inlines();
                }
                self.stack.push(Frame::new(open));
            }
            Event::End(_) => self.close(),
            Event::Text(text) => match self.top().open {
                Open::Code => self.top().text.push_str(&text),
                _ => self.inline(Inline::Text {
                    text: text.to_string(),
                }),
            },
            Event::Code(text) => self.inline(Inline::Code {
                text: text.to_string(),
            }),
            Event::Html(html) | Event::InlineHtml(html) => match placeholder_index(&html) {
                Some(n) if n < placed.len() => {
                    self.flush_inlines();
                    self.top().blocks.push(placed[n].clone());
                }
                _ => self.inline(Inline::Text {
                    text: html.to_string(),
                }),
            },
            Event::SoftBreak => self.inline(Inline::Text { text: " ".into() }),
            Event::HardBreak => self.inline(Inline::Break),
            Event::Rule => {
                self.flush_inlines();
                self.top().blocks.push(Block::Rule);
            }
            Event::FootnoteReference(text) => self.inline(Inline::Text {
                text: format!("[{text}]"),
            }),
            Event::TaskListMarker(done) => self.inline(Inline::Text {
                text: if done { "[x] " } else { "[ ] " }.into(),
            }),
            Event::InlineMath(text) | Event::DisplayMath(text) => self.inline(Inline::Text {
                text: text.to_string(),
            }),
        }
    }

    fn inline(&mut self, inline: Inline) {
        let frame = self.top();
        // Adjacent text runs merge, so each format sees words rather than fragments.
        if let (Inline::Text { text }, Some(Inline::Text { text: last })) =
            (&inline, frame.inlines.last_mut())
        {
            last.push_str(text);
            return;
        }
        frame.inlines.push(inline);
    }

    /// Loose text in a container that holds blocks (a tight list item) becomes a paragraph.
    fn flush_inlines(&mut self) {
        let frame = self.top();
        if matches!(frame.open, Open::Root | Open::Item | Open::Quote) && !frame.inlines.is_empty()
        {
            let content = std::mem::take(&mut frame.inlines);
            frame.blocks.push(Block::Paragraph { content });
        }
    }

    fn close(&mut self) {
        self.flush_inlines();
        let frame = self.stack.pop().expect("every end has a start");
        let parent = self.top();
        match frame.open {
            Open::Root => unreachable!("the root is never closed by an event"),
            Open::Heading(level) => parent.blocks.push(Block::Heading {
                level,
                content: frame.inlines,
            }),
            Open::Paragraph => {
                if matches!(parent.open, Open::Root | Open::Item | Open::Quote) {
                    parent.blocks.push(Block::Paragraph {
                        content: frame.inlines,
                    });
                } else {
                    parent.inlines.extend(frame.inlines);
                }
            }
            Open::List { ordered, start } => parent.blocks.push(Block::List {
                ordered,
                start,
                items: frame.items,
            }),
            Open::Item => parent.items.push(frame.blocks),
            Open::Quote => parent.blocks.push(Block::Quote {
                blocks: frame.blocks,
            }),
            Open::Code => parent.blocks.push(Block::Code {
                text: frame.text.trim_end_matches('\n').to_string(),
            }),
            Open::Grid => {
                let mut rows = frame.rows.into_iter();
                let header = rows.next().unwrap_or_default();
                parent.blocks.push(Block::Grid {
                    header,
                    rows: rows.collect(),
                });
            }
            Open::GridRow => parent.rows.push(frame.cells),
            Open::GridCell => parent.cells.push(frame.inlines),
            Open::Strong => parent.inlines.push(Inline::Strong {
                content: frame.inlines,
            }),
            Open::Emph => parent.inlines.push(Inline::Emph {
                content: frame.inlines,
            }),
            Open::Strike => parent.inlines.push(Inline::Strike {
                content: frame.inlines,
            }),
            Open::Link(url) => parent.inlines.push(Inline::Link {
                url,
                content: frame.inlines,
            }),
            Open::Image => parent.inlines.extend(frame.inlines),
        }
    }

    fn finish(mut self) -> Vec<Block> {
        while self.stack.len() > 1 {
            self.close();
        }
        self.flush_inlines();
        self.stack.pop().map(|f| f.blocks).unwrap_or_default()
    }
}

/// A section's heading is level 1; Markdown's `#` and `##` inside a section both become 2, as
/// the HTML edition makes them `<h3>`.
fn section_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 | HeadingLevel::H2 | HeadingLevel::H3 => 2,
        HeadingLevel::H4 => 3,
        HeadingLevel::H5 => 4,
        HeadingLevel::H6 => 5,
    }
}

/// Where the table or figure numbered `index` in a section's list goes in its Markdown.
pub fn placeholder(index: usize) -> String {
    format!("<!--report-block-{index}-->")
}

/// The number in `<!--report-block-N-->`: the one piece of HTML a section's Markdown may hold.
pub fn placeholder_index(html: &str) -> Option<usize> {
    let digits = html
        .trim()
        .strip_prefix("<!--report-block-")?
        .strip_suffix("-->")?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// All the text of some inlines, for alt text, captions and checks.
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    for inline in inlines {
        match inline {
            Inline::Text { text } | Inline::Code { text } => out.push_str(text),
            Inline::Strong { content }
            | Inline::Emph { content }
            | Inline::Strike { content }
            | Inline::Link { content, .. } => out.push_str(&plain_text(content)),
            Inline::Break => out.push(' '),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Inline {
        Inline::Text { text: s.into() }
    }

    #[test]
    fn markdown_becomes_blocks_with_levels_below_the_section() {
        let blocks = from_markdown(
            "# Big\n\nSome **bold** and *soft*\ntext, a [link](https://example.org).\n\n- one\n- two\n\n1. first\n",
            &[],
        );
        assert_eq!(
            blocks,
            vec![
                Block::Heading {
                    level: 2,
                    content: vec![text("Big")]
                },
                Block::Paragraph {
                    content: vec![
                        text("Some "),
                        Inline::Strong {
                            content: vec![text("bold")]
                        },
                        text(" and "),
                        Inline::Emph {
                            content: vec![text("soft")]
                        },
                        text(" text, a "),
                        Inline::Link {
                            url: "https://example.org".into(),
                            content: vec![text("link")]
                        },
                        text("."),
                    ]
                },
                Block::List {
                    ordered: false,
                    start: 1,
                    items: vec![
                        vec![Block::Paragraph {
                            content: vec![text("one")]
                        }],
                        vec![Block::Paragraph {
                            content: vec![text("two")]
                        }],
                    ]
                },
                Block::List {
                    ordered: true,
                    start: 1,
                    items: vec![vec![Block::Paragraph {
                        content: vec![text("first")]
                    }]],
                },
            ]
        );
    }

    #[test]
    fn placeholders_become_the_blocks_they_stand_for_and_other_html_is_text() {
        let placed = vec![Block::Rule];
        let blocks = from_markdown(
            "Before.\n\n<!--report-block-0-->\n\n<iframe src=x>\n\n<!--report-block-7-->\n",
            &placed,
        );
        assert_eq!(
            blocks[0],
            Block::Paragraph {
                content: vec![text("Before.")]
            }
        );
        assert_eq!(blocks[1], Block::Rule);
        let rest = format!("{:?}", &blocks[2..]);
        assert!(rest.contains("<iframe src=x>"), "{rest}");
        assert!(rest.contains("<!--report-block-7-->"), "{rest}");
        assert!(!rest.contains("Rule"), "{rest}");
    }

    #[test]
    fn headings_never_skip_a_level() {
        let levels: Vec<u8> = from_markdown(
            "#### Deep\n\n###### Deeper\n\n## Back\n\n##### Again\n",
            &[],
        )
        .iter()
        .filter_map(|b| match b {
            Block::Heading { level, .. } => Some(*level),
            _ => None,
        })
        .collect();
        assert_eq!(levels, vec![2, 3, 2, 3]);
    }

    #[test]
    fn narrative_tables_keep_their_header_row() {
        let blocks = from_markdown("| A | B |\n|---|---|\n| 1 | *2* |\n", &[]);
        assert_eq!(
            blocks,
            vec![Block::Grid {
                header: vec![vec![text("A")], vec![text("B")]],
                rows: vec![vec![
                    vec![text("1")],
                    vec![Inline::Emph {
                        content: vec![text("2")]
                    }]
                ]],
            }]
        );
    }
}
