//! Splitting CSV text into records, byte by byte, with the physical line each starts and ends
//! on, so every line of a file is accounted for.
//!
//! Fields are ranges into the text: reading a million rows allocates nothing per cell. A quoted
//! field may run across lines (RFC 4180); the caller decides whether it may, and, when a quote
//! has swallowed what look like whole rows, re-reads the record with the quote taken literally
//! (a tokenizer `at` the record's start, then `next_record_literal`), so one stray `"` costs
//! one row, not the rest of the file.

use std::borrow::Cow;

/// One field of a record, as a range of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Field {
    /// The content: inside the quotes for a quoted field.
    pub start: usize,
    pub end: usize,
    pub quoted: bool,
    /// The content holds `""`, to be read as `"`.
    pub escaped: bool,
    /// Line breaks inside the field (only a quoted field has any).
    pub line_breaks: u32,
    /// Text after a closing quote and before the delimiter (`"abc"def`), kept as written.
    pub trailing: Option<(usize, usize)>,
    /// The quote never closed: the field runs to the end of the file.
    pub unclosed: bool,
}

/// Where a record lies in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// The byte where the record starts, to re-read it.
    pub offset: usize,
    /// 1-based physical lines, both included.
    pub first_line: u64,
    pub last_line: u64,
}

impl Span {
    pub fn lines(&self) -> u64 {
        self.last_line - self.first_line + 1
    }
}

pub struct Tokenizer<'a> {
    text: &'a str,
    pos: usize,
    line: u64,
    delimiter: u8,
}

impl<'a> Tokenizer<'a> {
    pub fn new(text: &'a str, delimiter: u8) -> Self {
        Tokenizer {
            text,
            pos: 0,
            line: 1,
            delimiter,
        }
    }

    /// A tokenizer starting at `offset`, which is the start of physical line `line`.
    pub fn at(text: &'a str, delimiter: u8, offset: usize, line: u64) -> Self {
        Tokenizer {
            text,
            pos: offset,
            line,
            delimiter,
        }
    }

    /// The field's value: borrowed unless it holds `""` or text after its closing quote.
    pub fn value(&self, field: &Field) -> Cow<'a, str> {
        field_value(self.text, field)
    }

    /// Where the next record starts, and its physical line.
    pub fn position(&self) -> (usize, u64) {
        (self.pos, self.line)
    }

    pub fn at_end(&self) -> bool {
        self.pos >= self.text.len()
    }

    /// The next record's fields into `fields`; `None` at the end of the text.
    pub fn next_record(&mut self, fields: &mut Vec<Field>) -> Option<Span> {
        self.record(fields, false)
    }

    /// The next record read to the end of its first line, every quote taken as a plain character.
    pub fn next_record_literal(&mut self, fields: &mut Vec<Field>) -> Option<Span> {
        self.record(fields, true)
    }

    fn record(&mut self, fields: &mut Vec<Field>, literal: bool) -> Option<Span> {
        fields.clear();
        if self.at_end() {
            return None;
        }
        let bytes = self.text.as_bytes();
        let offset = self.pos;
        let first_line = self.line;
        loop {
            let field = if !literal && bytes.get(self.pos) == Some(&b'"') {
                self.quoted_field()
            } else {
                self.plain_field()
            };
            fields.push(field);
            match bytes.get(self.pos) {
                Some(&b) if b == self.delimiter => self.pos += 1,
                Some(b'\r') | Some(b'\n') => {
                    let last_line = self.line;
                    self.end_line();
                    return Some(Span {
                        offset,
                        first_line,
                        last_line,
                    });
                }
                _ => {
                    // At the end of the text. If it ends with a line break, a quote consumed it,
                    // and no line follows it.
                    let phantom = self.text.ends_with(['\n', '\r']) && self.line > first_line;
                    return Some(Span {
                        offset,
                        first_line,
                        last_line: self.line - u64::from(phantom),
                    });
                }
            }
        }
    }

    /// Steps over `\n`, `\r\n` or a lone `\r` (old Mac exports) at `pos`.
    fn end_line(&mut self) {
        let bytes = self.text.as_bytes();
        if bytes.get(self.pos) == Some(&b'\r') && bytes.get(self.pos + 1) == Some(&b'\n') {
            self.pos += 2;
        } else {
            self.pos += 1;
        }
        self.line += 1;
    }

    fn plain_field(&mut self) -> Field {
        let bytes = self.text.as_bytes();
        let start = self.pos;
        let end = memchr::memchr3(self.delimiter, b'\n', b'\r', &bytes[start..])
            .map_or(bytes.len(), |i| start + i);
        self.pos = end;
        Field {
            start,
            end,
            ..Field::default()
        }
    }

    fn quoted_field(&mut self) -> Field {
        let bytes = self.text.as_bytes();
        self.pos += 1;
        let mut field = Field {
            start: self.pos,
            quoted: true,
            ..Field::default()
        };
        loop {
            match memchr::memchr3(b'"', b'\n', b'\r', &bytes[self.pos..]) {
                None => {
                    field.end = bytes.len();
                    field.unclosed = true;
                    self.pos = bytes.len();
                    return field;
                }
                Some(i) => {
                    self.pos += i;
                    match bytes[self.pos] {
                        b'"' if bytes.get(self.pos + 1) == Some(&b'"') => {
                            field.escaped = true;
                            self.pos += 2;
                        }
                        b'"' => {
                            field.end = self.pos;
                            self.pos += 1;
                            break;
                        }
                        _ => {
                            self.end_line();
                            field.line_breaks += 1;
                        }
                    }
                }
            }
        }
        // Text between the closing quote and the delimiter is kept, as spreadsheets do.
        let rest = &bytes[self.pos..];
        let stop = memchr::memchr3(self.delimiter, b'\n', b'\r', rest).unwrap_or(rest.len());
        if stop > 0 {
            field.trailing = Some((self.pos, self.pos + stop));
            self.pos += stop;
        }
        field
    }
}

/// A field's value in `text`: borrowed unless it holds `""` or text after its closing quote.
/// Inlined, since it is asked for every cell and nearly every cell is borrowed: as a call of its
/// own, with the rare owned case's frame, it was 4% of a million-row report's CPU time
/// (docs/performance.md, change 78).
#[inline]
pub fn field_value<'a>(text: &'a str, field: &Field) -> Cow<'a, str> {
    let content = &text[field.start..field.end];
    if !field.escaped && field.trailing.is_none() {
        return Cow::Borrowed(content);
    }
    Cow::Owned(owned_field_value(text, field))
}

/// A field's value that is not as written: `""` unescaped, or text after its closing quote
/// joined on.
#[cold]
#[inline(never)]
fn owned_field_value(text: &str, field: &Field) -> String {
    let content = &text[field.start..field.end];
    let mut owned = if field.escaped {
        content.replace("\"\"", "\"")
    } else {
        content.to_string()
    };
    if let Some((from, to)) = field.trailing {
        owned.push_str(&text[from..to]);
    }
    owned
}

/// Whether `line`, read on its own, looks like a whole row of the file: at least as many fields
/// as the header has, less one, and a date among them. Used to tell a genuine multi-line note
/// from a quote that has run on past the end of its row.
pub fn looks_like_a_row(line: &str, delimiter: u8, header_fields: usize) -> bool {
    let fields = line.bytes().filter(|b| *b == delimiter).count() + 1;
    fields + 1 >= header_fields && header_fields > 2 && has_date(line)
}

fn has_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    let digit = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    (0..bytes.len()).any(|i| {
        // 2024-05-01
        (digit(i) && digit(i + 1) && digit(i + 2) && digit(i + 3)
            && bytes.get(i + 4) == Some(&b'-')
            && digit(i + 5) && digit(i + 6)
            && bytes.get(i + 7) == Some(&b'-'))
            // 01/05/2024
            || (digit(i) && digit(i + 1)
                && bytes.get(i + 2) == Some(&b'/')
                && digit(i + 3) && digit(i + 4)
                && bytes.get(i + 5) == Some(&b'/')
                && digit(i + 6) && digit(i + 7))
    })
}

/// The byte offset where each physical line starts (a line ends at `\n`, `\r\n` or `\r`),
/// ignoring quotes: for finding the header among the first few lines.
pub fn line_starts(text: &str, limit: usize) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    let mut pos = 0;
    while starts.len() < limit {
        match memchr::memchr2(b'\n', b'\r', &bytes[pos..]) {
            None => break,
            Some(i) => {
                pos += i;
                pos += if bytes[pos] == b'\r' && bytes.get(pos + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
                if pos >= bytes.len() {
                    break;
                }
                starts.push(pos);
            }
        }
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(text: &str) -> Vec<(Vec<String>, u64, u64)> {
        let mut tokenizer = Tokenizer::new(text, b',');
        let mut fields = Vec::new();
        let mut out = Vec::new();
        while let Some(span) = tokenizer.next_record(&mut fields) {
            let values = fields
                .iter()
                .map(|f| tokenizer.value(f).into_owned())
                .collect();
            out.push((values, span.first_line, span.last_line));
        }
        out
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn plain_quoted_and_escaped_fields() {
        assert_eq!(
            records("a,b,c\n1,\"x, y\",\"say \"\"hi\"\"\"\n"),
            vec![
                (strings(&["a", "b", "c"]), 1, 1),
                (strings(&["1", "x, y", "say \"hi\""]), 2, 2),
            ]
        );
    }

    #[test]
    fn every_line_ending_counts_one_line() {
        for text in ["a\nb\nc", "a\r\nb\r\nc\r\n", "a\rb\rc\r"] {
            let lines: Vec<u64> = records(text).iter().map(|r| r.1).collect();
            assert_eq!(lines, vec![1, 2, 3], "{text:?}");
        }
    }

    #[test]
    fn a_quoted_line_break_spans_lines_and_later_lines_stay_true() {
        let got = records("a,b\n1,\"two\r\nlines\"\n2,x\n");
        assert_eq!(got[1], (strings(&["1", "two\r\nlines"]), 2, 3));
        assert_eq!(got[2], (strings(&["2", "x"]), 4, 4));
    }

    #[test]
    fn blank_lines_are_records_of_one_empty_field() {
        let got = records("a\n\nb\n");
        assert_eq!(got[1], (strings(&[""]), 2, 2));
        assert_eq!(got.len(), 3);
    }

    #[test]
    fn an_unclosed_quote_runs_to_the_end_and_can_be_re_read_literally() {
        let text = "a,b\n1,\"Mum said no\n2,2024-05-01\n";
        let mut tokenizer = Tokenizer::new(text, b',');
        let mut fields = Vec::new();
        tokenizer.next_record(&mut fields);
        let span = tokenizer.next_record(&mut fields).unwrap();
        assert!(fields[1].unclosed);
        assert_eq!((span.first_line, span.last_line), (2, 3));
        let mut tokenizer = Tokenizer::at(text, b',', span.offset, span.first_line);
        let span = tokenizer.next_record_literal(&mut fields).unwrap();
        assert_eq!(tokenizer.value(&fields[1]), "\"Mum said no");
        assert_eq!((span.first_line, span.last_line), (2, 2));
        let span = tokenizer.next_record(&mut fields).unwrap();
        assert_eq!(span.first_line, 3);
        assert_eq!(tokenizer.value(&fields[1]), "2024-05-01");
    }

    #[test]
    fn text_after_a_closing_quote_is_kept() {
        assert_eq!(records("\"ab\"cd,e")[0].0, strings(&["abcd", "e"]));
    }

    #[test]
    fn other_delimiters() {
        let mut tokenizer = Tokenizer::new("a;b\t;c", b';');
        let mut fields = Vec::new();
        tokenizer.next_record(&mut fields);
        assert_eq!(fields.len(), 3);
        assert_eq!(tokenizer.value(&fields[1]), "b\t");
    }

    #[test]
    fn rows_are_recognised_by_their_fields_and_a_date() {
        assert!(looks_like_a_row("C7,Complaint,1,2023-03-20,,no", b',', 6));
        assert!(looks_like_a_row("C7,Complaint,1,20/03/2023,,", b',', 7));
        assert!(!looks_like_a_row("and then she said, no", b',', 6));
        assert!(!looks_like_a_row("C7,Complaint,1,x,,no", b',', 6));
    }

    #[test]
    fn line_starts_handle_every_ending() {
        assert_eq!(line_starts("ab\ncd\r\ne\rf", 10), vec![0, 3, 7, 9]);
        assert_eq!(line_starts("ab\n", 10), vec![0]);
    }
}
