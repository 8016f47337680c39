//! What a file is before it is read as CSV: its encoding, whether it is text at all, its
//! delimiter and which line holds the header. Exports arrive as UTF-8, Windows-1252, UTF-16 with
//! or without a byte-order mark, comma-, semicolon- or tab-separated, sometimes with a title
//! line or two above the header — and sometimes as a workbook saved with a `.csv` name.

use std::borrow::Cow;

use super::read::normalise_header;
use super::records::{Field, Tokenizer, line_starts};

/// How the bytes were decoded.
#[derive(Debug, Clone)]
pub struct Decoded<'a> {
    pub text: Cow<'a, str>,
    pub encoding: &'static str,
    /// Why the encoding is worth a warning (anything but plain UTF-8).
    pub note: Option<String>,
}

/// A file that is not text: what it is, and what to do about it.
pub fn not_text(bytes: &[u8]) -> Option<&'static str> {
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    if starts(b"PK\x03\x04") {
        let head = &bytes[..bytes.len().min(4096)];
        let has = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
        return Some(
            if has(b"xl/") || has(b"[Content_Types].xml") && !has(b"word/") {
                "this is an Excel workbook, not a CSV file: open it in Excel and save it as \"CSV UTF-8 (Comma delimited)\""
            } else if has(b"opendocument.spreadsheet") {
                "this is an OpenDocument spreadsheet, not a CSV file: save it as CSV"
            } else if has(b"word/") {
                "this is a Word document, not a CSV file"
            } else {
                "this is a zip archive, not a CSV file: unzip it and use the CSV inside"
            },
        );
    }
    if starts(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        return Some(
            "this is an old-style Excel workbook (.xls), not a CSV file: open it in Excel and save it as \"CSV UTF-8 (Comma delimited)\"",
        );
    }
    if starts(b"\x89PNG") {
        return Some("this is a PNG image, not a CSV file");
    }
    if starts(b"\xFF\xD8\xFF") {
        return Some("this is a JPEG image, not a CSV file");
    }
    if starts(b"GIF8") {
        return Some("this is a GIF image, not a CSV file");
    }
    if starts(b"%PDF") {
        return Some("this is a PDF document, not a CSV file");
    }
    None
}

/// UTF-16 without a byte-order mark: most bytes at odd (little-endian) or even (big-endian)
/// positions are zero, as they are for text in Latin letters.
pub fn utf16_without_bom(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    if sample.len() < 4 {
        return None;
    }
    let pairs = sample.len() / 2;
    let zeros_at = |parity: usize| {
        sample
            .iter()
            .skip(parity)
            .step_by(2)
            .filter(|b| **b == 0)
            .count()
    };
    let (even, odd) = (zeros_at(0), zeros_at(1));
    if odd * 10 >= pairs * 7 && even * 10 <= pairs {
        Some(encoding_rs::UTF_16LE)
    } else if even * 10 >= pairs * 7 && odd * 10 <= pairs {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// Decodes an export, or says why it cannot be read as text. UTF-8 is borrowed as it is: a
/// national export is hundreds of megabytes, not to be copied.
pub fn decode(bytes: &[u8]) -> Result<Decoded<'_>, &'static str> {
    if let Some(what) = not_text(bytes) {
        return Err(what);
    }
    if let Some((encoding, bom_length)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_length..]);
        let note = if had_errors {
            Some(format!(
                "some bytes are not valid {}: replaced with �",
                encoding.name()
            ))
        } else if encoding != encoding_rs::UTF_8 {
            Some(format!(
                "the file is {}; it was read as such (\"CSV UTF-8\" is the safest way to save it)",
                encoding.name()
            ))
        } else {
            None
        };
        return Ok(Decoded {
            text,
            encoding: encoding.name(),
            note,
        });
    }
    if let Some(encoding) = utf16_without_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(bytes);
        return Ok(Decoded {
            text,
            encoding: encoding.name(),
            note: Some(format!(
                "the file is {} without a byte-order mark; it was read as {} (save it as \"CSV UTF-8\" to be sure)",
                encoding.name(),
                encoding.name()
            )),
        });
    }
    match std::str::from_utf8(bytes) {
        Ok(text) if text.contains('\0') => Err("this file holds binary data, not text"),
        Ok(text) => Ok(Decoded {
            text: Cow::Borrowed(text),
            encoding: "UTF-8",
            note: None,
        }),
        Err(_) if bytes[..bytes.len().min(8192)].contains(&0) => {
            Err("this file holds binary data, not text")
        }
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            Ok(Decoded {
                text,
                encoding: "Windows-1252",
                note: Some(
                    "the file is not UTF-8; it was read as Windows-1252 (save it as \"CSV UTF-8\" to be sure accented letters and £ signs are right)"
                        .into(),
                ),
            })
        }
    }
}

/// Where the header is and how fields are separated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    pub delimiter: u8,
    /// 1-based line of the header row.
    pub header_line: u64,
    /// The byte it starts at.
    pub header_offset: usize,
}

/// Lines searched for the header: exports put a title and a date or two above it at most.
const HEADER_SEARCH_LINES: usize = 20;
const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// Finds the header: the line, among the first few, whose fields match the most of `expected`
/// (normalised header names), read with the delimiter that matches most. With no match at all,
/// the first line, split on whichever delimiter gives it most fields.
pub fn layout(text: &str, expected: &[String]) -> Layout {
    let starts = line_starts(text, HEADER_SEARCH_LINES);
    let mut fields: Vec<Field> = Vec::new();
    let mut best: Option<(usize, Layout)> = None;
    let mut widest = (0, b',');
    for (index, &offset) in starts.iter().enumerate() {
        for delimiter in DELIMITERS {
            let mut tokenizer = Tokenizer::at(text, delimiter, offset, index as u64 + 1);
            if tokenizer.next_record(&mut fields).is_none() {
                continue;
            }
            if index == 0 && fields.len() > widest.0 {
                widest = (fields.len(), delimiter);
            }
            let matches = fields
                .iter()
                .filter(|f| expected.contains(&normalise_header(&tokenizer.value(f))))
                .count();
            if matches > 0 && best.as_ref().is_none_or(|(m, _)| matches > *m) {
                best = Some((
                    matches,
                    Layout {
                        delimiter,
                        header_line: index as u64 + 1,
                        header_offset: offset,
                    },
                ));
            }
        }
    }
    best.map(|(_, layout)| layout).unwrap_or(Layout {
        delimiter: widest.1,
        header_line: 1,
        header_offset: 0,
    })
}

pub fn delimiter_name(delimiter: u8) -> &'static str {
    match delimiter {
        b',' => "comma",
        b';' => "semicolon",
        b'\t' => "tab",
        b'|' => "vertical bar",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expected() -> Vec<String> {
        ["reference", "type", "received"].map(String::from).to_vec()
    }

    #[test]
    fn workbooks_and_images_are_named() {
        let mut xlsx = b"PK\x03\x04".to_vec();
        xlsx.extend_from_slice(b"....[Content_Types].xml....xl/workbook.xml");
        assert!(decode(&xlsx).unwrap_err().contains("Excel workbook"));
        assert!(
            decode(b"\x89PNG\r\n\x1a\n....")
                .unwrap_err()
                .contains("PNG image")
        );
        assert!(decode(b"abc\0def").unwrap_err().contains("binary"));
    }

    #[test]
    fn utf16_with_and_without_a_byte_order_mark() {
        let text = "reference,type\nA1,Complaint\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let with_bom: Vec<u8> = [0xFF, 0xFE].into_iter().chain(le.clone()).collect();
        for (bytes, encoding) in [
            (&with_bom, "UTF-16LE"),
            (&le, "UTF-16LE"),
            (&be, "UTF-16BE"),
        ] {
            let decoded = decode(bytes).unwrap();
            assert_eq!(decoded.text, text);
            assert_eq!(decoded.encoding, encoding);
            assert!(decoded.note.is_some());
        }
    }

    #[test]
    fn plain_utf8_is_borrowed_with_no_note() {
        let decoded = decode(b"a,b\n").unwrap();
        assert!(matches!(decoded.text, Cow::Borrowed(_)));
        assert!(decoded.note.is_none());
    }

    #[test]
    fn the_header_is_found_below_title_lines_with_its_delimiter() {
        let text = "Complaints export; run 01/04/2025\n\nReference;Type;Received\nA;B;C\n";
        assert_eq!(
            layout(text, &expected()),
            Layout {
                delimiter: b';',
                header_line: 3,
                header_offset: 35,
            }
        );
        let tabs = "reference\ttype\treceived\n";
        assert_eq!(layout(tabs, &expected()).delimiter, b'\t');
        // Nothing recognised: line 1, split the widest way.
        assert_eq!(
            layout("x;y;z\n1;2;3\n", &expected()),
            Layout {
                delimiter: b';',
                header_line: 1,
                header_offset: 0
            }
        );
    }
}
