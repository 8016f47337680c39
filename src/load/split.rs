//! A large file read in two parts, one on each core, with exactly the result of one reader.
//!
//! The second reader starts near the middle, just after a line break where the next line has
//! a row's worth of fields: a guess that a record starts there, made without reading what is
//! above it. It numbers its lines from 1, and everything it records is moved down by the lines
//! above once the first reader has counted them. The split is used only if the first reader,
//! reading as ever, arrives exactly there, between records. Then everything it read is what one
//! reader would have read, and so is everything the second read, since a reader between records
//! carries nothing forward but its place. Otherwise (the guess fell inside a quoted note, text
//! that is not plain UTF-8 past the split) the second part is dropped and the first reader
//! reads on to the end alone.

use std::io::{self, Read, Seek, SeekFrom};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use super::problems::Problems;
use super::read::{DateOrders, Ended, MultiLine, Reader, Table, Watch, new_columns};
use super::window::{Stream, read_up_to};

/// Files smaller than this are read by one reader: the second would cost more than it saves.
pub const SPLIT_FROM: u64 = 8 << 20;

/// Where to split a file of `size` bytes: a little before the middle. Besides its part, the
/// first reader takes the whole file's SHA-256 fingerprint — its own part's bytes as it reads
/// them, the rest while the second reader finishes — which costs about a tenth of what reading
/// the same bytes does (at a million rows, 75 ms for the second part against 750 ms to read
/// it). With the split in the middle the second core idled for that long at the end of the read;
/// at 45% both finish together, and the report took 0.05–0.07 s less (docs/performance.md,
/// change 58).
pub fn near_for(size: u64) -> u64 {
    size / 20 * 9
}

/// How far past the middle to look for a place to split.
const SEARCH: u64 = 1 << 20;

/// A way to read a file again, from the top.
pub trait Input: io::Read + io::Seek + Send {}
impl<T: io::Read + io::Seek + Send> Input for T {}

/// How to read a file in two: open it again, and near which byte to split it.
#[derive(Clone, Copy)]
pub struct Split<'a> {
    pub open: &'a (dyn Fn() -> io::Result<Box<dyn Input>> + Sync),
    pub near: u64,
    /// Called once one of the two readers is done, and again when the other is: a core is
    /// free from then on for other work.
    pub one_done: &'a (dyn Fn() + Sync),
}

/// Where to start the second part: just after the first line break (`\n`) at or after byte
/// `near`, within `SEARCH` of it, whose next line has at least as many fields as a row of
/// `fields`, less one. Nothing above `near` is read: a pass over the first part, to pair its
/// quotes and count its lines, took 30–60 ms at a million rows before either reader could
/// start (docs/performance.md, change 73). The guess can fall inside a quoted note, which the
/// first reader finds; a line of a note seldom has a row's worth of delimiters.
pub fn find_start(
    input: &mut (impl Read + Seek),
    near: u64,
    delimiter: u8,
    fields: usize,
) -> io::Result<Option<u64>> {
    input.seek(SeekFrom::Start(near))?;
    let mut bytes = Vec::new();
    input.take(SEARCH).read_to_end(&mut bytes)?;
    for at in memchr::memchr_iter(b'\n', &bytes) {
        let next = &bytes[at + 1..];
        // A line cut off by the end of what was read (or of the file) is not judged.
        let Some(end) = memchr::memchr2(b'\n', b'\r', next) else {
            return Ok(None);
        };
        let delimiters = memchr::memchr_iter(delimiter, &next[..end]).count();
        if delimiters + 2 >= fields {
            return Ok(Some(near + at as u64 + 1));
        }
    }
    Ok(None)
}

/// The physical lines above byte `offset`, counted as the tokenizer counts them: `\n`, `\r\n`
/// or a lone `\r`, quoted or not.
fn count_lines(input: &mut impl Read, offset: u64) -> io::Result<u64> {
    let mut buffer = vec![0u8; 1 << 20];
    let mut input = input.take(offset);
    let (mut breaks, mut last) = (0u64, 0u8);
    loop {
        let read = read_up_to(&mut input, &mut buffer)?;
        if read == 0 {
            return Ok(breaks);
        }
        let chunk = &buffer[..read];
        breaks += memchr::memchr_iter(b'\r', chunk).count() as u64;
        for at in memchr::memchr_iter(b'\n', chunk) {
            let before = if at == 0 { last } else { chunk[at - 1] };
            breaks += u64::from(before != b'\r');
        }
        last = chunk[read - 1];
    }
}

/// The lines above where the second part starts, for the two messages that name a line other
/// than their own (a stray quote's last line, a line break's range), counted only if the second
/// part has one of them: everything else it records is moved down at the join, by the first
/// reader's count.
pub(crate) struct LinesAbove<'a> {
    open: &'a (dyn Fn() -> io::Result<Box<dyn Input>> + Sync),
    offset: u64,
    counted: OnceLock<Option<u64>>,
}

impl LinesAbove<'_> {
    pub(crate) fn count(&self) -> u64 {
        let counted = self.counted.get_or_init(|| {
            (self.open)()
                .and_then(|mut input| count_lines(&mut input, self.offset))
                .ok()
        });
        counted.unwrap_or(0)
    }

    /// Whether every line the second part's messages named is where the first reader puts it.
    fn agree_with(&self, lines: u64) -> bool {
        self.counted
            .get()
            .is_none_or(|counted| *counted == Some(lines))
    }
}

/// What the second reader read: rows, their problems, and how their dates were written.
pub(super) struct Later {
    table: Table,
    problems: Problems,
    orders: Vec<DateOrders>,
    /// The check sum of the bytes it read: the first reader checks the file still holds them.
    check_sum: u32,
}

/// What both readers share: how the file is laid out, from its header.
pub(crate) struct Layout<'a> {
    pub(crate) headers: &'a [String],
    pub(crate) positions: &'a [Option<usize>],
    pub(crate) withheld: &'a [&'static str],
    pub(crate) chunk: usize,
}

/// Reads the rows of `stream` into `table` (its header already read by `reader`), the part
/// from the middle on in a second thread; the result is what `reader` alone would give.
#[allow(clippy::too_many_arguments)]
pub(super) fn read_rows_in_two<R: io::Read + io::Seek>(
    split: Split,
    reader: &mut Reader,
    stream: &mut Stream<R>,
    table: &mut Table,
    layout: &Layout,
    orders: &mut [DateOrders],
    problems: &mut Problems,
) -> Result<(), super::window::NotPlainUtf8> {
    let start = (split.open)()
        .and_then(|mut input| {
            find_start(
                &mut input,
                split.near,
                reader.delimiter,
                layout.headers.len(),
            )
        })
        .ok()
        .flatten();
    // Without a hash of the bytes from the split, a file rewritten while it is read could be
    // fingerprinted as one text and read as another: then one reader reads it all.
    let Some(start) = start.filter(|&start| stream.hash_from(start)) else {
        let watch = Watch::default();
        return reader
            .read_rows(stream, table, layout, orders, problems, watch)
            .map(|_| ());
    };
    let cancel = AtomicBool::new(false);
    let lines_above = LinesAbove {
        open: split.open,
        offset: start,
        counted: OnceLock::new(),
    };
    let second = Reader {
        delimiter: reader.delimiter,
        line: 1,
        fields: Vec::new(),
        name: reader.name,
        date_format: reader.date_format,
        lines_above: Some(&lines_above),
    };
    // The first part keeps the room made for the whole file's rows, so that the second is
    // added to it where it stands: room never used costs nothing (the system gives pages only
    // as they are written), while room for its own share alone had every vector of the first
    // part moved to a larger one as the second was added, 60 MB copied into fresh pages at a
    // million rows (docs/performance.md, change 72). The second part gets room for its share.
    debug_assert!(table.lines.is_empty(), "the rows are not read yet");
    let whole = table.lines.capacity();
    let later_bytes = stream.size_hint().saturating_sub(start);
    let rows = (whole as u128 * u128::from(later_bytes) / u128::from(stream.size_hint().max(1)))
        as usize
        + whole / 16;
    let shell = Table {
        source: table.source,
        name: String::new(),
        sha256: String::new(),
        encoding: table.encoding,
        delimiter: table.delimiter,
        lines: Vec::with_capacity(rows),
        row_errors: Default::default(),
        columns: new_columns(table.source, layout.positions, rows, layout.withheld),
        ignored_headers: Vec::new(),
        unusable: false,
        account: Default::default(),
    };
    std::thread::scope(|scope| {
        let later = scope.spawn(|| read_later(split, start, second, shell, layout, &cancel));
        let watch = Watch {
            boundary: Some(start),
            cancel: None,
        };
        let ended = reader.read_rows(stream, table, layout, orders, problems, watch);
        let at_boundary = matches!(ended, Ok(Ended::AtBoundary)) && stream.offset() == start;
        if !at_boundary {
            cancel.store(true, Ordering::Relaxed);
        }
        // While the second reader reads on, this one hashes the rest of the file for its
        // fingerprint, which it would otherwise do once both were done.
        let rest = at_boundary
            .then(|| {
                (split.open)()
                    .and_then(|input| stream.hash_rest(input))
                    .ok()
            })
            .flatten();
        (split.one_done)();
        let later = later
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        // The second part's line 1 is the line the first reader stopped before.
        let above = reader.line - 1;
        match (ended?, later) {
            (Ended::AtBoundary, Some(mut later))
                if at_boundary && lines_above.agree_with(above) =>
            {
                if let Some(rest) = rest {
                    stream.take_rest(rest);
                }
                stream.expect_from(later.check_sum);
                table.append(later.table, above, stream.size_hint() >= SPLIT_FROM);
                later.problems.move_down(above);
                problems.extend(later.problems);
                for (order, later) in orders.iter_mut().zip(later.orders) {
                    order.add(later, above);
                }
                Ok(())
            }
            (Ended::AtEnd, _) => Ok(()),
            _ => reader
                .read_rows(stream, table, layout, orders, problems, Watch::default())
                .map(|_| ()),
        }
    })
}

/// The second reader: reads from byte `start` to the end, numbering lines from there; `None`
/// when it cannot, or is told to stop.
fn read_later(
    split: Split,
    start: u64,
    mut reader: Reader,
    mut table: Table,
    layout: &Layout,
    cancel: &AtomicBool,
) -> Option<Later> {
    let input = (split.open)().ok()?;
    let mut stream = Stream::open_at(input, start, layout.chunk).ok()??;
    let mut orders = DateOrders::per_column(layout.positions.len());
    let mut problems = Problems::default();
    let watch = Watch {
        boundary: None,
        cancel: Some(cancel),
    };
    let ended = reader.read_rows(
        &mut stream,
        &mut table,
        layout,
        &mut orders,
        &mut problems,
        watch,
    );
    (split.one_done)();
    match ended {
        Ok(Ended::AtEnd) => Some(Later {
            table,
            problems,
            orders,
            check_sum: stream.check_sum(),
        }),
        _ => None,
    }
}

impl Table {
    /// Adds the rows `later` read from the rest of the same file after these, its lines
    /// numbered from 1 below the `above` lines read here; handing back each of its columns
    /// as it is added when `large`.
    fn append(&mut self, later: Table, above: u64, large: bool) {
        let rows = self.lines.len();
        self.lines
            .extend(later.lines.iter().map(|line| line + above));
        self.row_errors.extend(
            later
                .row_errors
                .into_iter()
                .map(|(row, why)| (row + rows, why)),
        );
        for ((_, cells), (_, later)) in self.columns.iter_mut().zip(later.columns) {
            if let (Some(cells), Some(later)) = (cells.as_mut(), later) {
                cells.append(later);
                // The second part's column, copied, is freed: handed back at once, it is not
                // held beside the copy while the other columns are joined (at a million rows
                // the second part is about 75 MB, and the peak fell by about 30 MB for no time
                // measured; docs/performance.md, change 76).
                if large {
                    crate::memory::return_freed();
                }
            }
        }
        self.account.total = self.account.total.max(later.account.total + above);
        let blank = later.account.blank.iter().map(|line| line + above);
        self.account.blank.extend(blank);
        let multiline = later.account.multiline.into_iter().map(|note| MultiLine {
            first_line: note.first_line + above,
            last_line: note.last_line + above,
            ..note
        });
        self.account.multiline.extend(multiline);
        self.account.row_lines += later.account.row_lines;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Line 1 the header (ending `\r\n`); lines 2–4 a row whose quoted note runs over two line
    /// breaks (bytes 14 and 16), the row ending at the `\r\n` of bytes 21–22; line 5 `c,d,e`
    /// ending in a lone `\r` (byte 28); line 6 `f,g,h`.
    const TEXT: &[u8] = b"h1,h2,h3\r\na,\"x\ny\nz\",b\r\nc,d,e\rf,g,h\n";

    fn start(near: u64) -> Option<u64> {
        find_start(&mut io::Cursor::new(TEXT), near, b',', 3).unwrap()
    }

    fn lines_above(offset: u64) -> u64 {
        count_lines(&mut io::Cursor::new(TEXT), offset).unwrap()
    }

    /// The first reader, which also fingerprints the whole file, gets the smaller part: 45%
    /// (9 bytes in 20, the size rounded down to twenty), between two fifths and a half.
    #[test]
    fn the_first_part_is_a_little_under_half() {
        assert_eq!(near_for(8 << 20), 3_774_870);
        assert_eq!(near_for(288_000_000), 129_600_000);
        for size in [SPLIT_FROM, 100_000_007, u64::MAX / 2] {
            let near = near_for(size);
            assert!(size / 5 * 2 < near && near < size / 2, "{size}: {near}");
        }
    }

    /// The second part starts after a `\n` whose next line has at least two of a row's three
    /// fields; nothing before `near` is read, so a guess inside a quoted note is possible (the
    /// first reader rejects it).
    #[test]
    fn a_split_starts_after_a_line_break_before_a_row_s_worth_of_fields() {
        assert_eq!(start(0), Some(10));
        // Line 3, `y`, has one field: passed over. Line 4, `z",b`, has two, inside the note.
        assert_eq!(start(10), Some(17));
        // Line 5 ends in a lone `\r`, which ends its fields too.
        assert_eq!(start(17), Some(23));
        // Only the file's end after the last `\n`: nothing to judge.
        assert_eq!(start(23), None);
    }

    #[test]
    fn lines_above_are_counted_as_the_tokenizer_counts_them() {
        assert_eq!(lines_above(0), 0);
        // Between `\r` and `\n`, and after the pair: one line break either way.
        assert_eq!(lines_above(9), 1);
        assert_eq!(lines_above(10), 1);
        // Line breaks inside the quoted note count.
        assert_eq!(lines_above(17), 3);
        assert_eq!(lines_above(23), 4);
        // A lone `\r` is a line break.
        assert_eq!(lines_above(29), 5);
        assert_eq!(lines_above(TEXT.len() as u64), 6);
    }
}
