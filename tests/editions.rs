//! The editions a committee clerk attaches and a complaints manager edits: the tagged A4 PDF and
//! the Word document. Each is read back — the PDF with poppler's `pdfinfo` and `pdftotext` (CI
//! installs them; elsewhere those checks say they were skipped), the Word document by opening
//! its zip and reading its XML — and compared with the Markdown edition of the same run.

mod common;

use std::io::Read;
use std::path::Path;
use std::process::Command;

use common::{copy_dir, fixture, repo_path, report_in, stderr};

/// Runs `report` in a new folder holding a copy of `data` as `data/`, after `setup` has added
/// any files the run needs (a narrative, templates).
fn run_on(
    data: &Path,
    setup: impl FnOnce(&Path),
    args: &[&str],
) -> (tempfile::TempDir, std::process::Output) {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(data, &dir.path().join("data"));
    setup(dir.path());
    let mut all = args.to_vec();
    all.extend(["--data", "data", "--out", "out"]);
    let output = report_in(dir.path(), &all);
    (dir, output)
}

/// [`run_on`], which must succeed; returns the folder the document is in.
fn make_from(
    data: &Path,
    setup: impl FnOnce(&Path),
    args: &[&str],
) -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, output) = run_on(data, setup, args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let out = dir.path().join("out");
    (dir, out)
}

/// Makes a document from the sample data in `formats`; returns the folder it is in.
fn make(args: &[&str], formats: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let mut all = args.to_vec();
    all.extend(["--format", formats]);
    make_from(&repo_path("sample-data"), |_| {}, &all)
}

/// The captions the Markdown edition gives its tables and figures, in order.
fn captions(markdown: &str) -> Vec<String> {
    markdown
        .lines()
        .filter_map(|line| {
            let inner = line.trim_matches(|c| c == '*' || c == ' ');
            (inner.starts_with("Table ") || inner.starts_with("Figure "))
                .then(|| inner.replace('\\', ""))
                .filter(|caption| caption.contains(": "))
        })
        .collect()
}

fn section_titles(markdown: &str) -> Vec<String> {
    markdown
        .lines()
        .filter_map(|line| line.strip_prefix("## "))
        .filter(|title| *title != "Contents")
        .map(|title| title.replace('\\', ""))
        .collect()
}

/// The pages of `pdftotext`'s output, which ends each with a form feed.
fn pages(text: &str) -> Vec<&str> {
    text.split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect()
}

/// A poppler tool's output, or `None` where it is not installed (and CI is not running).
fn poppler(tool: &str, args: &[&str]) -> Option<String> {
    match Command::new(tool).args(args).output() {
        Ok(output) => {
            assert!(output.status.success(), "{tool} failed on the PDF");
            Some(String::from_utf8_lossy(&output.stdout).into_owned())
        }
        Err(_) if std::env::var_os("CI").is_some() => {
            panic!("{tool} is missing: .ci/run installs poppler-utils")
        }
        Err(_) => {
            eprintln!("skipped: {tool} is not installed (apt-get install poppler-utils)");
            None
        }
    }
}

/// Words joined by single spaces: a caption may wrap over lines in the PDF's text.
fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_pdf_is_tagged_a4_titled_and_has_every_caption_and_section() {
    let (_dir, out) = make(&["annual", "2024-25"], "md,pdf");
    let pdf = std::fs::read(out.join("report.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let has = |needle: &[u8]| pdf.windows(needle.len()).any(|w| w == needle);
    assert!(has(b"/StructTreeRoot"), "a tagged PDF has a structure tree");
    assert!(has(b"/Lang"), "the language is set");

    let markdown = std::fs::read_to_string(out.join("report.md")).unwrap();
    let captions = captions(&markdown);
    assert!(captions.len() >= 40, "{captions:?}");
    let pdf_path = out.join("report.pdf");
    let pdf_path = pdf_path.to_str().unwrap();
    if let Some(info) = poppler("pdfinfo", &[pdf_path]) {
        assert!(info.contains("Tagged:          yes"), "{info}");
        assert!(info.contains("(A4)"), "{info}");
        assert!(
            info.contains(
                "Title:           Complaints, representations and compliments: children's social care: 2024-25"
            ),
            "{info}"
        );
    }
    if let Some(text) = poppler("pdftotext", &[pdf_path, "-"]) {
        let joined = words(&text);
        for caption in &captions {
            assert!(
                joined.contains(&words(caption)),
                "{caption} is not in the PDF"
            );
        }
        for title in section_titles(&markdown) {
            assert!(joined.contains(&title), "section {title} is not in the PDF");
        }
        // The public edition names itself on every page, beside "Page X of Y".
        let pages = pages(&text);
        assert!(pages.len() > 10);
        for (i, page) in pages.iter().enumerate() {
            assert!(page.contains("Public edition"), "page {}", i + 1);
            assert!(
                page.contains(&format!("Page {} of {}", i + 1, pages.len())),
                "page {}",
                i + 1
            );
        }
    }
}

#[test]
fn every_page_of_an_internal_pdf_says_so_and_bookmarks_follow_the_sections() {
    let (_dir, out) = make(
        &["quarterly", "2024-25", "Q4", "--audience", "internal"],
        "md,pdf",
    );
    let markdown = std::fs::read_to_string(out.join("report.md")).unwrap();
    let pdf_path = out.join("report.pdf");
    let pdf_path = pdf_path.to_str().unwrap();
    if let Some(text) = poppler("pdftotext", &[pdf_path, "-"]) {
        let pages = pages(&text);
        assert!(pages.len() > 5);
        for (i, page) in pages.iter().enumerate() {
            assert!(
                page.matches("Internal: not for publication").count() >= 2,
                "page {} must say so at the top and in the footer",
                i + 1
            );
        }
    }
    // pdfinfo -struct lists the headings' bookmarks' targets; the outline itself is checked by
    // its titles, which poppler's pdftotext does not show, so read the PDF's outline entries.
    let pdf = std::fs::read(out.join("report.pdf")).unwrap();
    let has = |needle: &[u8]| pdf.windows(needle.len()).any(|w| w == needle);
    assert!(has(b"/Outlines"), "bookmarks from the headings");
    assert!(section_titles(&markdown).len() > 5);
}

#[test]
fn the_same_data_gives_the_same_pdf_and_word_bytes() {
    let (_a, first) = make(&["bulletin", "2024-25", "Q4"], "pdf,docx");
    let (_b, second) = make(&["bulletin", "2024-25", "Q4"], "pdf,docx");
    for name in ["report.pdf", "report.docx"] {
        assert_eq!(
            std::fs::read(first.join(name)).unwrap(),
            std::fs::read(second.join(name)).unwrap(),
            "{name} differs between two runs"
        );
    }
}

/// The parts of a Word document, by name.
fn docx_parts(path: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes).unwrap();
            (file.name().unwrap().to_string(), bytes)
        })
        .collect()
}

fn part(parts: &std::collections::BTreeMap<String, Vec<u8>>, name: &str) -> String {
    String::from_utf8(parts[name].clone()).unwrap()
}

#[test]
fn the_word_document_has_heading_styles_header_rows_alt_text_and_a_contents_field() {
    let (_dir, out) = make(&["annual", "2024-25"], "md,docx");
    let markdown = std::fs::read_to_string(out.join("report.md")).unwrap();
    let parts = docx_parts(&out.join("report.docx"));
    let document = part(&parts, "word/document.xml");

    let sections = section_titles(&markdown);
    assert_eq!(
        document.matches("<w:pStyle w:val=\"Heading1\"/>").count(),
        sections.len()
    );
    for title in &sections {
        let escaped = title.replace('&', "&amp;").replace('\'', "&#39;");
        assert!(document.contains(&escaped), "section {title}");
    }
    assert!(
        document.contains("TOC \\o \"1-1\" \\h \\z \\u"),
        "a contents field"
    );
    assert!(part(&parts, "word/settings.xml").contains("<w:updateFields w:val=\"true\"/>"));

    // Every table: a caption paragraph, then the table, whose first row repeats as a header.
    let all_captions = captions(&markdown);
    let table_captions: Vec<&String> = all_captions
        .iter()
        .filter(|c| c.starts_with("Table "))
        .collect();
    let tables: Vec<&str> = document.split("<w:tbl>").skip(1).collect();
    assert!(tables.len() >= 30);
    for table in &tables {
        let first_row = table.split("</w:tr>").next().unwrap();
        assert!(first_row.contains("<w:tblHeader/>"), "{first_row}");
        assert_eq!(
            table
                .split("</w:tbl>")
                .next()
                .unwrap()
                .matches("<w:tblHeader/>")
                .count(),
            1
        );
    }
    let caption_style = "<w:pStyle w:val=\"Caption\"/>";
    for caption in table_captions {
        let escaped = caption.replace('&', "&amp;").replace('\'', "&#39;");
        assert!(document.contains(&escaped), "{caption}");
    }

    // Every chart is a picture with the chart's description as its alt text.
    let pictures: Vec<&str> = document.split("<wp:docPr ").skip(1).collect();
    let figures = captions(&markdown)
        .iter()
        .filter(|c| c.starts_with("Figure "))
        .count();
    assert_eq!(pictures.len(), figures);
    for picture in pictures {
        let descr = picture
            .split("descr=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap();
        assert!(descr.len() > 20, "alt text: {descr}");
    }
    let media = parts
        .keys()
        .filter(|k| k.starts_with("word/media/"))
        .count();
    assert_eq!(media, figures);
    assert!(document.matches(caption_style).count() >= figures);

    // A4, and the edition in every page's footer.
    assert!(document.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"));
    assert!(part(&parts, "word/footer1.xml").contains("Public edition"));
    assert!(part(&parts, "word/styles.xml").contains("w:styleId=\"Heading1\""));
}

#[test]
fn an_internal_word_document_says_so_on_every_page() {
    let (_dir, out) = make(
        &["bulletin", "2024-25", "Q4", "--audience", "internal"],
        "docx",
    );
    let parts = docx_parts(&out.join("report.docx"));
    assert!(part(&parts, "word/header1.xml").contains("Internal: not for publication"));
    assert!(part(&parts, "word/footer1.xml").contains("Internal: not for publication"));
    let document = part(&parts, "word/document.xml");
    assert!(document.contains("<w:headerReference w:type=\"default\" r:id=\"rIdHeader\"/>"));
    assert!(document.contains("For internal circulation."));
    // A bulletin is short: no contents field.
    assert!(!document.contains("TOC \\o"));
}

/// An attacker's labels: markup in Typst's, Word's and XML's terms stays text, and both files
/// still open.
#[test]
fn hostile_labels_are_text_in_the_pdf_and_the_word_document() {
    let (_dir, out) = make_from(
        &fixture("hostile"),
        |_| {},
        &[
            "annual",
            "2024-25",
            "--as-at",
            "2025-07-01",
            "--audience",
            "internal",
            "--format",
            "pdf,docx",
        ],
    );
    let parts = docx_parts(&out.join("report.docx"));
    let document = part(&parts, "word/document.xml");
    assert!(document.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!document.contains("<script"));
    // Every part is well-formed enough to have no raw control characters or stray `<` in text.
    for (name, bytes) in &parts {
        if name.ends_with(".xml") || name.ends_with(".rels") {
            let text = String::from_utf8(bytes.clone()).unwrap();
            assert!(
                !text
                    .chars()
                    .any(|c| c < ' ' && !matches!(c, '\t' | '\n' | '\r')),
                "{name} holds a character XML forbids"
            );
        }
    }
    let pdf_path = out.join("report.pdf");
    if let Some(text) = poppler("pdftotext", &[pdf_path.to_str().unwrap(), "-"]) {
        assert!(
            text.contains("<script>alert(1)</script>"),
            "the label is shown as text"
        );
    }
}

#[test]
fn a_template_that_reads_the_clock_or_the_disk_fails_with_its_line() {
    let with_template = |source: &'static str| {
        move |dir: &Path| {
            std::fs::create_dir_all(dir.join("templates")).unwrap();
            std::fs::write(dir.join("templates/report.typ"), source).unwrap();
        }
    };
    let args = [
        "bulletin",
        "2024-25",
        "Q4",
        "--templates",
        "templates",
        "--format",
        "pdf",
    ];
    let (dir, output) = run_on(
        &repo_path("sample-data"),
        with_template(
            "#let doc = json(\"report.json\")\n= #doc.report.title\n#read(\"/etc/passwd\")\n",
        ),
        &args,
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(message.contains("report.typ"), "{message}");
    assert!(message.contains("line 3"), "{message}");
    assert!(!dir.path().join("out").exists(), "nothing half-written");

    let (_dir, output) = run_on(
        &repo_path("sample-data"),
        with_template("#datetime.today()\n"),
        &args,
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("line 1"), "{}", stderr(&output));
}

/// Words of the narrative below that both editions must show.
const NARRATIVE_WORDS: [&str; 6] = [
    "A deep heading",
    "North",
    "in a list",
    "nested",
    "code block",
    "The end.",
];

/// A council's narrative may use any Markdown: deep headings, its own tables, code, links,
/// images, nested lists. Both editions are still made (the PDF still passes PDF/UA-1), and the
/// words are all there.
#[test]
fn a_councils_narrative_with_any_markdown_makes_both_editions() {
    let narrative = "## Introduction\n\n#### A deep heading\n\nText with `code`, a \
         [link](https://example.org), an empty link [](https://example.org/empty), an image ![a picture of the team](http://example.org/x.png) \
         and ~~struck~~ words.\n\n| Team | Note |\n|---|---|\n| North | *fine* |\n\n\
         > A quote\n>\n> - in a list\n\n1. one\n   - nested\n2. two\n3.\n\n\n```\ncode block\n```\n\n\
         ---\n\nThe end.\n";
    let (_dir, out) = make_from(
        &repo_path("sample-data"),
        |dir| std::fs::write(dir.join("narrative.md"), narrative).unwrap(),
        &[
            "annual",
            "2024-25",
            "--narrative",
            "narrative.md",
            "--format",
            "pdf,docx",
        ],
    );
    let document = part(&docx_parts(&out.join("report.docx")), "word/document.xml");
    for words in NARRATIVE_WORDS {
        assert!(
            document.contains(words),
            "{words} is not in the Word document"
        );
    }
    // `####` straight after the section's heading becomes Heading 2: no level is skipped.
    let deep = document.split("A deep heading").next().unwrap();
    assert!(deep.ends_with(">") && deep.rfind("Heading2") > deep.rfind("Heading1"));
    assert!(
        document.contains("<w:numId w:val=\"2\"/>"),
        "the numbered list"
    );
    let pdf_path = out.join("report.pdf");
    if let Some(text) = poppler("pdftotext", &[pdf_path.to_str().unwrap(), "-"]) {
        let text = words(&text);
        for words in NARRATIVE_WORDS {
            assert!(text.contains(words), "{words} is not in the PDF");
        }
    }
}
