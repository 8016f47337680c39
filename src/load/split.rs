//! A large file read in two parts, one on each core, with exactly the result of one reader.
//!
//! First a quick pass finds a place near the middle where a record should start — just after a
//! line break with an even number of quotes before it — and counts the physical lines above
//! it. Then one reader starts from the top, and the other from there. The split is used only if the
//! first reader, reading as ever, arrives exactly there: at that byte, on that line, between
//! records. Then everything it read is what one reader would have read, and so is everything
//! the second read, since a reader between records carries nothing forward but its place.
//! Otherwise (a quote that does not pair up as expected, text that is not plain UTF-8 past the
//! split) the second part is dropped and the first reader reads on to the end alone.

use std::io::{self, Read};
use std::sync::atomic::{AtomicBool, Ordering};

use super::problems::Problems;
use super::read::{DateOrders, Ended, Reader, Table, Watch, new_columns};
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

/// Where the second part starts: the byte just after a line break, and its physical line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Boundary {
    pub offset: u64,
    pub line: u64,
}

/// The first line break at or after byte `near` (and within `SEARCH` of it) with an even number
/// of quotes before it, and the line after it. Line breaks are counted as the tokenizer counts
/// them: `\n`, `\r\n` or a lone `\r`, quoted or not.
pub fn find_boundary(input: &mut impl Read, near: u64) -> io::Result<Option<Boundary>> {
    let mut buffer = vec![0u8; 1 << 20];
    let (mut quotes, mut breaks, mut offset, mut last) = (0u64, 0u64, 0u64, 0u8);
    loop {
        let read = read_up_to(input, &mut buffer)?;
        if read == 0 || offset > near + SEARCH {
            return Ok(None);
        }
        let chunk = &buffer[..read];
        let bulk = (near.saturating_sub(offset) as usize).min(read);
        quotes += memchr::memchr_iter(b'"', &chunk[..bulk]).count() as u64;
        breaks += memchr::memchr_iter(b'\r', &chunk[..bulk]).count() as u64;
        for at in memchr::memchr_iter(b'\n', &chunk[..bulk]) {
            let before = if at == 0 { last } else { chunk[at - 1] };
            breaks += u64::from(before != b'\r');
        }
        if bulk > 0 {
            last = chunk[bulk - 1];
        }
        for (at, &byte) in chunk.iter().enumerate().skip(bulk) {
            match byte {
                b'"' => quotes += 1,
                b'\r' => breaks += 1,
                b'\n' => {
                    breaks += u64::from(last != b'\r');
                    if quotes % 2 == 0 {
                        return Ok(Some(Boundary {
                            offset: offset + at as u64 + 1,
                            line: breaks + 1,
                        }));
                    }
                }
                _ => {}
            }
            last = byte;
        }
        offset += read as u64;
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
    let boundary = (split.open)()
        .and_then(|mut input| find_boundary(&mut input, split.near))
        .ok()
        .flatten();
    // Without a hash of the bytes from the split, a file rewritten while it is read could be
    // fingerprinted as one text and read as another: then one reader reads it all.
    let Some(boundary) = boundary.filter(|b| stream.hash_from(b.offset)) else {
        let watch = Watch::default();
        return reader
            .read_rows(stream, table, layout, orders, problems, watch)
            .map(|_| ());
    };
    let cancel = AtomicBool::new(false);
    let second = Reader {
        delimiter: reader.delimiter,
        line: 0,
        fields: Vec::new(),
        name: reader.name,
        date_format: reader.date_format,
    };
    // Each part gets room for the rows its share of the file is guessed to hold. Room never
    // used costs nothing, but room for the whole file in both parts would be filled twice over
    // while the second is added to the first.
    let whole = table.lines.capacity();
    let share = |bytes: u64| {
        (whole as u128 * u128::from(bytes) / u128::from(stream.size_hint().max(1))) as usize
    };
    let first_rows = share(boundary.offset) + whole / 16;
    let rows = share(stream.size_hint().saturating_sub(boundary.offset)) + whole / 16;
    debug_assert!(table.lines.is_empty(), "the rows are not read yet");
    table.lines = Vec::with_capacity(first_rows);
    table.columns = new_columns(table.source, layout.positions, first_rows, layout.withheld);
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
        let later = scope.spawn(|| read_later(split, boundary, second, shell, layout, &cancel));
        let watch = Watch {
            boundary: Some(boundary),
            cancel: None,
        };
        let ended = reader.read_rows(stream, table, layout, orders, problems, watch);
        let at_boundary = matches!(ended, Ok(Ended::AtBoundary))
            && boundary
                == Boundary {
                    offset: stream.offset(),
                    line: reader.line,
                };
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
        match (ended?, later) {
            (Ended::AtBoundary, Some(later)) if at_boundary => {
                if let Some(rest) = rest {
                    stream.take_rest(rest);
                }
                stream.expect_from(later.check_sum);
                table.append(later.table);
                problems.extend(later.problems);
                for (order, later) in orders.iter_mut().zip(later.orders) {
                    order.add(later);
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

/// The second reader: reads from `boundary` to the end; `None` when it cannot, or is told to
/// stop.
fn read_later(
    split: Split,
    boundary: Boundary,
    mut reader: Reader,
    mut table: Table,
    layout: &Layout,
    cancel: &AtomicBool,
) -> Option<Later> {
    let input = (split.open)().ok()?;
    let mut stream = Stream::open_at(input, boundary.offset, layout.chunk).ok()??;
    reader.line = boundary.line;
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
    /// Adds the rows `later` read from the rest of the same file after these.
    fn append(&mut self, later: Table) {
        let rows = self.lines.len();
        self.lines.extend(later.lines);
        self.row_errors.extend(
            later
                .row_errors
                .into_iter()
                .map(|(row, why)| (row + rows, why)),
        );
        for ((_, cells), (_, later)) in self.columns.iter_mut().zip(later.columns) {
            if let (Some(cells), Some(later)) = (cells.as_mut(), later) {
                cells.append(later);
            }
        }
        self.account.total = self.account.total.max(later.account.total);
        self.account.blank.extend(later.account.blank);
        self.account.multiline.extend(later.account.multiline);
        self.account.row_lines += later.account.row_lines;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Line 1 the header (ending `\r\n`), lines 2–3 a row whose quoted note runs over a line
    /// break, line 4 `b,c` (ending `\r\n`), line 5 `d,e`. Byte 11 is the break inside the quote,
    /// 14 the row's end, 18–19 the `\r\n` after `b,c`.
    const TEXT: &[u8] = b"h1,h2\r\na,\"x\ny\"\nb,c\r\nd,e\n";

    fn boundary(near: u64) -> Option<Boundary> {
        find_boundary(&mut io::Cursor::new(TEXT), near).unwrap()
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

    #[test]
    fn a_split_starts_after_a_line_break_outside_quotes() {
        let at = |offset, line| Some(Boundary { offset, line });
        assert_eq!(boundary(0), at(7, 2));
        // Byte 11 is inside the quoted note: the next break outside quotes ends line 3.
        assert_eq!(boundary(10), at(15, 4));
        assert_eq!(boundary(15), at(20, 5));
        // From between `\r` and `\n`: the pair is one line break.
        assert_eq!(boundary(19), at(20, 5));
        assert_eq!(boundary(24), None);
    }
}
