//! The PDF edition, typeset in-process by Typst: no browser and no LaTeX at run time.
//!
//! The layout is `report.typ`, a template like the others (built in, overridable file by file).
//! It reads the report as data — `report.json`, the document as blocks — so nothing from the
//! data is ever read as Typst markup: a label such as `#exit()` is only ever text. The PDF is
//! tagged and checked against PDF/UA-1 as Typst writes it, so an image without alt text or a
//! missing title fails the run rather than reaching a committee's agenda.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use serde::Serialize;
use typst::diag::{FileError, FileResult, SourceDiagnostic, Warned};
use typst::foundations::{Bytes, Datetime, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Feature, Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards};

use super::blocks::{SectionBlocks, chart_file};

/// The faces the PDF is set in: the charts' Liberation Sans, with its bold and italics for
/// headings, totals and the narrative's emphasis. Bundled, so every machine makes the same PDF.
const FONTS: &[&[u8]] = &[
    super::charts::FONT_BYTES,
    include_bytes!("../../assets/fonts/LiberationSans-Bold.ttf"),
    include_bytes!("../../assets/fonts/LiberationSans-Italic.ttf"),
    include_bytes!("../../assets/fonts/LiberationSans-BoldItalic.ttf"),
];

/// What `report.typ` reads from `report.json`.
#[derive(Serialize)]
pub struct PdfData<'a, M: Serialize> {
    /// The same fields the HTML template has as `report`.
    pub report: &'a M,
    pub sections: &'a [SectionBlocks],
}

/// Typesets `template` (the text of `report.typ`) with `data` and the charts' SVGs (by chart
/// id; the layout finds each at `charts/<id>.svg`) into a tagged PDF/UA-1 document.
pub fn pdf<M: Serialize>(
    template: &str,
    data: &PdfData<M>,
    charts: &BTreeMap<String, String>,
    ident: &str,
) -> Result<Vec<u8>, String> {
    let json = serde_json::to_vec(data).map_err(|e| e.to_string())?;
    let mut files = HashMap::new();
    files.insert(file_id("/report.json"), Bytes::new(json));
    for (id, svg) in charts {
        files.insert(
            file_id(&format!("/{}", chart_file(id))),
            Bytes::new(svg.clone().into_bytes()),
        );
    }
    let world = ReportWorld {
        library: LazyHash::new(
            Library::builder()
                // `pdf.header-cell`: each table's first column heads its row for a screen reader.
                .with_features([Feature::A11yExtras].into_iter().collect())
                .build(),
        ),
        book: LazyHash::new(FontBook::from_fonts(fonts())),
        main: Source::new(file_id("/report.typ"), template.to_string()),
        files,
    };
    let Warned { output, .. } = typst::compile::<PagedDocument>(&world);
    let document = output.map_err(|errors| diagnostics(&world, &errors[..]))?;
    let options = PdfOptions {
        // A stable identifier and no timestamp: the same report gives the same bytes on any day.
        ident: Smart::Custom(ident.to_string()),
        creator: Smart::Custom(Some(format!("report {}", env!("CARGO_PKG_VERSION")))),
        timestamp: None,
        standards: PdfStandards::new(&[PdfStandard::Ua_1]).map_err(|e| e.message().to_string())?,
        tagged: true,
        ..PdfOptions::default()
    };
    typst_pdf::pdf(&document, &options).map_err(|errors| diagnostics(&world, &errors[..]))
}

fn fonts() -> &'static [Font] {
    static FONTS_LOADED: OnceLock<Vec<Font>> = OnceLock::new();
    FONTS_LOADED.get_or_init(|| {
        FONTS
            .iter()
            .flat_map(|bytes| Font::iter(Bytes::new(*bytes)))
            .collect()
    })
}

fn file_id(path: &str) -> FileId {
    RootedPath::new(
        VirtualRoot::Project,
        VirtualPath::new(path).expect("the renderer's own paths are valid"),
    )
    .intern()
}

/// Each error with its line in `report.typ`, where there is one.
fn diagnostics(world: &ReportWorld, errors: &[SourceDiagnostic]) -> String {
    errors
        .iter()
        .map(|error| {
            let line = world
                .range(error.span)
                .and_then(|range| world.main.lines().byte_to_line(range.start))
                .map(|line| format!("line {}: ", line + 1))
                .unwrap_or_default();
            let hints: String = error.hints.iter().map(|h| format!(" ({})", h.v)).collect();
            format!("{line}{}{hints}", error.message)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

struct ReportWorld {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    main: Source,
    files: HashMap<FileId, Bytes>,
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::NotSource)
        }
    }

    /// Only the report's own data and charts: a template cannot read the machine's files.
    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            return Ok(Bytes::from_string(self.main.clone()));
        }
        self.files
            .get(&id)
            .cloned()
            .ok_or_else(|| FileError::NotFound(id.get().vpath().get_without_slash().into()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        fonts().get(index).cloned()
    }

    /// No clock: a template that asks for today's date gets an error, not a report that
    /// differs from day to day.
    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        None
    }
}
