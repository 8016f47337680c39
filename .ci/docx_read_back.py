"""Reads the Word editions back with python-docx, a reader that is not ours.

For each document: the cover's Title, Heading 1 for every section (in the contents field too,
unless it is a bulletin), tables whose first row repeats as a header and whose caption comes
first, every picture with alt text, and the edition in the header or footer of every page.
Exits 1 naming every file and problem.
"""

import sys

import docx
from docx.oxml.ns import qn

problems = []


def check(path):
    document = docx.Document(path)
    said = lambda problem: problems.append(f"{path}: {problem}")
    styles = [p.style.name for p in document.paragraphs]
    if "Title" not in styles:
        said("no paragraph in the Title style")
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    if len(headings) < 3:
        said(f"only {len(headings)} Heading 1 paragraphs")
    body = document.element.body
    if "bulletin" not in path:
        instructions = "".join(t.text or "" for t in body.iter(qn("w:instrText")))
        if "TOC" not in instructions:
            said("no contents field")
        contents = [p.text for p in document.paragraphs if p.style.name == "toc 1"]
        if contents != headings:
            said(f"the contents list {contents} is not the sections {headings}")
    if not document.tables:
        said("no tables")
    for i, table in enumerate(document.tables, 1):
        first = table.rows[0]._tr
        if first.find(qn("w:trPr")) is None or first.find(qn("w:trPr")).find(qn("w:tblHeader")) is None:
            said(f"table {i}'s first row is not marked to repeat as a header")
        before = table._tbl.getprevious()
        style = before.find(qn("w:pPr")).find(qn("w:pStyle")).get(qn("w:val")) if before is not None and before.find(qn("w:pPr")) is not None else None
        if style != "Caption":
            said(f"table {i} has no caption before it")
    pictures = list(body.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"))
    if "bulletin" not in path and not pictures:
        said("no charts")
    for picture in pictures:
        if len(picture.get("descr", "")) < 20:
            said(f"picture {picture.get('name')} has no alt text")
    internal = "internal" in path
    edition = "Internal: not for publication" if internal else "Public edition"
    section = document.sections[0]
    where = section.header if internal else section.footer
    if edition not in "".join(p.text for p in where.paragraphs):
        said(f"the {'header' if internal else 'footer'} does not say {edition!r}")
    if abs(section.page_width.cm - 21.0) > 0.1 or abs(section.page_height.cm - 29.7) > 0.1:
        said("the page is not A4")
    print(f"{path}: {len(headings)} sections, {len(document.tables)} tables, {len(pictures)} charts with alt text")


for path in sys.argv[1:]:
    check(path)
if problems:
    print("\n".join(problems), file=sys.stderr)
    sys.exit(1)
