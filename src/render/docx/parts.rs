//! The fixed parts of the Word package — styles, numbering, settings, header and footer — and
//! the zip that holds them.

use super::{edition, entry, xml};
use crate::figures::model::{Audience, Report};

const MAIN_NS: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";
const DRAWING_NS: &str = "xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"";
const DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
const OFFICE_REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

pub(super) fn package(
    report: &Report,
    body: &str,
    media: &[(String, String, Vec<u8>)],
    links: &[(String, String)],
    ordered_lists: &[u64],
) -> Result<Vec<u8>, String> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    entry(&mut zip, "[Content_Types].xml", CONTENT_TYPES.as_bytes())?;
    entry(&mut zip, "_rels/.rels", ROOT_RELS.as_bytes())?;
    entry(&mut zip, "docProps/core.xml", core(report).as_bytes())?;
    entry(&mut zip, "word/document.xml", document(body).as_bytes())?;
    entry(&mut zip, "word/styles.xml", STYLES.as_bytes())?;
    entry(
        &mut zip,
        "word/numbering.xml",
        numbering(ordered_lists).as_bytes(),
    )?;
    entry(&mut zip, "word/settings.xml", SETTINGS.as_bytes())?;
    entry(&mut zip, "word/header1.xml", header(report).as_bytes())?;
    entry(&mut zip, "word/footer1.xml", footer(report).as_bytes())?;
    let mut rels = format!(
        "{DECLARATION}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    );
    for (id, kind, target) in [
        ("rIdStyles", "styles", "styles.xml"),
        ("rIdNumbering", "numbering", "numbering.xml"),
        ("rIdSettings", "settings", "settings.xml"),
        ("rIdHeader", "header", "header1.xml"),
        ("rIdFooter", "footer", "footer1.xml"),
    ] {
        rels.push_str(&format!(
            "<Relationship Id=\"{id}\" Type=\"{OFFICE_REL}/{kind}\" Target=\"{target}\"/>"
        ));
    }
    for (name, id, png) in media {
        rels.push_str(&format!(
            "<Relationship Id=\"{id}\" Type=\"{OFFICE_REL}/image\" Target=\"media/{name}\"/>"
        ));
        entry(&mut zip, &format!("word/media/{name}"), png)?;
    }
    for (url, id) in links {
        rels.push_str(&format!(
            "<Relationship Id=\"{id}\" Type=\"{OFFICE_REL}/hyperlink\" Target=\"{}\" TargetMode=\"External\"/>",
            xml(url)
        ));
    }
    rels.push_str("</Relationships>");
    entry(&mut zip, "word/_rels/document.xml.rels", rels.as_bytes())?;
    zip.finish()
        .map(|cursor| cursor.into_inner())
        .map_err(|e| e.to_string())
}

fn document(body: &str) -> String {
    // A4 with 2 cm margins, in twentieths of a point; the header and footer on every page.
    format!(
        "{DECLARATION}<w:document {MAIN_NS} {DRAWING_NS}><w:body>{body}<w:p/><w:sectPr><w:headerReference w:type=\"default\" r:id=\"rIdHeader\"/><w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1304\" w:right=\"1134\" w:bottom=\"1361\" w:left=\"1134\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>"
    )
}

/// The document's title and author, and no dates: the same report gives the same bytes.
fn core(report: &Report) -> String {
    format!(
        "{DECLARATION}<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>{}: {}</dc:title><dc:creator>{}</dc:creator><dc:language>en-GB</dc:language><dc:subject>{}</dc:subject></cp:coreProperties>",
        xml(&report.title),
        xml(&report.period.label),
        xml(report.authority.as_deref().unwrap_or("")),
        edition(report),
    )
}

/// Every page of an internal edition says so at the top.
fn header(report: &Report) -> String {
    let text = match report.audience {
        Audience::Internal => format!(
            "<w:p><w:pPr><w:pStyle w:val=\"Header\"/><w:jc w:val=\"center\"/></w:pPr><w:r><w:rPr><w:b/><w:color w:val=\"D4351C\"/></w:rPr><w:t>{}</w:t></w:r></w:p>",
            edition(report)
        ),
        Audience::Public => "<w:p><w:pPr><w:pStyle w:val=\"Header\"/></w:pPr></w:p>".to_string(),
    };
    format!("{DECLARATION}<w:hdr {MAIN_NS}>{text}</w:hdr>")
}

/// The title, period and edition, then "Page X of Y" from Word's own fields.
fn footer(report: &Report) -> String {
    let field = |name: &str| {
        format!(
            "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> {name} </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
        )
    };
    let running = format!(
        "{}{} · {} · {}",
        report.title,
        report
            .authority
            .as_ref()
            .map(|a| format!(" – {a}"))
            .unwrap_or_default(),
        report.period.label,
        edition(report)
    );
    format!(
        "{DECLARATION}<w:ftr {MAIN_NS}><w:p><w:pPr><w:pStyle w:val=\"Footer\"/><w:tabs><w:tab w:val=\"right\" w:pos=\"9638\"/></w:tabs></w:pPr><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r><w:r><w:tab/><w:t xml:space=\"preserve\">Page </w:t></w:r>{}<w:r><w:t xml:space=\"preserve\"> of </w:t></w:r>{}</w:p></w:ftr>",
        xml(&running),
        field("PAGE"),
        field("NUMPAGES")
    )
}

/// Bullets are instance 1; each ordered list is an instance of its own, starting where the
/// Markdown said.
fn numbering(ordered_lists: &[u64]) -> String {
    let mut out = format!(
        "{DECLARATION}<w:numbering {MAIN_NS}><w:abstractNum w:abstractNumId=\"0\"><w:multiLevelType w:val=\"singleLevel\"/><w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"bullet\"/><w:lvlText w:val=\"\u{2022}\"/><w:lvlJc w:val=\"left\"/><w:pPr><w:ind w:left=\"567\" w:hanging=\"283\"/></w:pPr></w:lvl></w:abstractNum><w:abstractNum w:abstractNumId=\"1\"><w:multiLevelType w:val=\"singleLevel\"/><w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimal\"/><w:lvlText w:val=\"%1.\"/><w:lvlJc w:val=\"left\"/><w:pPr><w:ind w:left=\"567\" w:hanging=\"340\"/></w:pPr></w:lvl></w:abstractNum><w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num>"
    );
    for (i, start) in ordered_lists.iter().enumerate() {
        out.push_str(&format!(
            "<w:num w:numId=\"{}\"><w:abstractNumId w:val=\"1\"/><w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"{start}\"/></w:lvlOverride></w:num>",
            i + 2
        ));
    }
    out.push_str("</w:numbering>");
    out
}

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Default Extension=\"png\" ContentType=\"image/png\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/><Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/><Override PartName=\"/word/numbering.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml\"/><Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/><Override PartName=\"/word/header1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/><Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/><Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/></Types>";

const ROOT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/></Relationships>";

/// Word offers to update the contents (and so its page numbers) when the document opens.
const SETTINGS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:updateFields w:val=\"true\"/><w:defaultTabStop w:val=\"709\"/><w:characterSpacingControl w:val=\"doNotCompress\"/><w:themeFontLang w:val=\"en-GB\"/></w:settings>";

const STYLES: &str = include_str!("styles.xml");
