//! A file's text a window at a time, so a national export is never held whole in memory: the
//! window holds whole lines only (it is cut after a line end), and grows while a record runs on
//! past its end, which only a quoted field over several lines does. The bytes are hashed as they
//! are read, so the file's fingerprint costs no second pass.
//!
//! Streaming is for plain UTF-8 (with or without a byte-order mark), which is what nearly every
//! export is. Anything else — another encoding, a byte that is not UTF-8 half-way down, a NUL —
//! is read whole and decoded as before: the caller starts again from the top (`Stream::restart`),
//! so the result is the same as if the file had been read whole from the start.

use std::io::{self, Read, Seek, SeekFrom};

use sha2::{Digest, Sha256};

use super::sniff;

/// How much is read at a time: large enough that the per-read costs vanish, small enough that a
/// million rows never sit in memory at once.
pub const CHUNK: usize = 4 << 20;

/// What is read before deciding how to read the file: more than the sniffing looks at.
const HEAD: usize = 8192;

/// The file turned out not to be plain UTF-8 after all: read it whole instead.
#[derive(Debug)]
pub struct NotPlainUtf8;

/// A file being read: its text from the current window on, and the hash of every byte so far.
pub struct Stream<R> {
    input: R,
    /// The length in bytes of what this stream reads: the file, or the file from the offset it
    /// was opened at.
    size: u64,
    /// The file's length when it was opened, as an offset: what is left to read is sized by it.
    end: u64,
    chunk: usize,
    /// The window: whole lines of text, the part before `consumed` already read by the caller.
    text: String,
    consumed: usize,
    /// Bytes read past the window's last line end, waiting for the rest of their line.
    pending: Vec<u8>,
    at_eof: bool,
    streamable: bool,
    hasher: Hash,
    /// Where in the file the first window began, and how much of the text has been dropped
    /// since: with `consumed`, the file offset the caller has read to.
    start: u64,
    dropped: u64,
    /// The file offset just past the last byte read from the input.
    read: u64,
    /// For a file read in two: the hash of the bytes from where the second part starts, and
    /// the hash the second reader took of the bytes it read from there.
    tail: Option<Tail>,
}

struct Tail {
    from: u64,
    hasher: crc32fast::Hasher,
    expected: Option<u32>,
}

/// What a stream hashes the bytes it reads into. The whole file gets its SHA-256 fingerprint.
/// The second part of a file read in two is only checked against the first reader's sum of the
/// same bytes, to catch a file rewritten while it is read: a CRC-32 does that at memory speed,
/// where a second SHA-256 of half the file cost the run a tenth of a second.
#[derive(Clone)]
enum Hash {
    Fingerprint(Sha256),
    Check(crc32fast::Hasher),
}

impl Hash {
    fn update(&mut self, bytes: &[u8]) {
        match self {
            Hash::Fingerprint(hasher) => hasher.update(bytes),
            Hash::Check(hasher) => hasher.update(bytes),
        }
    }
}

impl Stream<io::Empty> {
    /// A text already decoded whole, as one window.
    pub fn whole(text: String) -> Self {
        Stream {
            input: io::empty(),
            size: text.len() as u64,
            end: 0,
            chunk: 1,
            text,
            consumed: 0,
            pending: Vec::new(),
            at_eof: true,
            streamable: true,
            hasher: Hash::Fingerprint(Sha256::new()),
            start: 0,
            dropped: 0,
            read: 0,
            tail: None,
        }
    }
}

impl<R: Read + Seek> Stream<R> {
    /// Reads the first chunk.
    pub fn open(mut input: R, chunk: usize) -> io::Result<Stream<R>> {
        let size = input.seek(SeekFrom::End(0))?;
        input.seek(SeekFrom::Start(0))?;
        let mut stream = Stream {
            input,
            size,
            end: size,
            chunk: chunk.max(1),
            text: String::new(),
            consumed: 0,
            pending: Vec::new(),
            at_eof: false,
            streamable: false,
            hasher: Hash::Fingerprint(Sha256::new()),
            start: 0,
            dropped: 0,
            read: 0,
            tail: None,
        };
        // The sniffing looks at the first few kilobytes (magic numbers, byte-order marks,
        // UTF-16's zeros): they are all read before it, whatever the chunk.
        while stream.pending.len() < HEAD && !stream.at_eof {
            stream.read_more()?;
        }
        let head = &stream.pending[..];
        let other_bom = encoding_rs::Encoding::for_bom(head)
            .is_some_and(|(encoding, _)| encoding != encoding_rs::UTF_8);
        if other_bom || sniff::not_text(head).is_some() || sniff::utf16_without_bom(head).is_some()
        {
            return Ok(stream);
        }
        if head.starts_with(b"\xEF\xBB\xBF") {
            stream.pending.drain(..3);
            stream.start = 3;
        }
        stream.streamable = stream.fill().is_ok() && !stream.text.trim().is_empty();
        Ok(stream)
    }

    /// The file from byte `offset` on, which starts a line of plain UTF-8 text: the second part
    /// of a file read in two, check-summed from there (`check_sum`); `None` when the text from
    /// there is not plain UTF-8.
    pub fn open_at(mut input: R, offset: u64, chunk: usize) -> io::Result<Option<Stream<R>>> {
        let size = input.seek(SeekFrom::End(0))?;
        input.seek(SeekFrom::Start(offset))?;
        let mut stream = Stream {
            input,
            size: size.saturating_sub(offset),
            end: size,
            chunk: chunk.max(1),
            text: String::new(),
            consumed: 0,
            pending: Vec::new(),
            at_eof: false,
            streamable: true,
            hasher: Hash::Check(crc32fast::Hasher::new()),
            start: offset,
            dropped: 0,
            read: offset,
            tail: None,
        };
        Ok(stream.fill().is_ok().then_some(stream))
    }

    /// The file offset the caller has read to.
    pub fn offset(&self) -> u64 {
        self.start + self.dropped + self.consumed as u64
    }

    /// Whether the file can be read a window at a time: it starts as plain UTF-8 text, not
    /// blank. If not, `restart` and read it whole.
    pub fn streamable(&self) -> bool {
        self.streamable
    }

    /// The file's length in bytes, for sizing what is read from it.
    pub fn size_hint(&self) -> u64 {
        self.size
    }

    /// The window's text; the caller has read it up to `consumed()`.
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn consumed(&self) -> usize {
        self.consumed
    }

    /// The caller has read the window up to `offset`.
    pub fn consume_to(&mut self, offset: usize) {
        self.consumed = offset;
    }

    /// Whether the window reaches the end of the file.
    pub fn at_eof(&self) -> bool {
        self.at_eof && self.pending.is_empty()
    }

    /// Drops what has been read and brings in at least one more line (or the rest of the file):
    /// `false` when there was nothing more to bring.
    pub fn advance(&mut self) -> Result<bool, NotPlainUtf8> {
        if self.at_eof() {
            return Ok(false);
        }
        self.text.drain(..self.consumed);
        self.dropped += self.consumed as u64;
        self.consumed = 0;
        self.fill()?;
        Ok(true)
    }

    /// The SHA-256 of the whole file, reading whatever the caller did not. An error if the
    /// bytes from where a second reader started are not the ones it read (`expect_from`): the
    /// file changed while it was read.
    pub fn finish(mut self) -> io::Result<String> {
        while !self.at_eof {
            self.pending.clear();
            self.read_more()?;
        }
        if let Some(Tail {
            hasher,
            expected: Some(expected),
            ..
        }) = self.tail
            && hasher.finalize() != expected
        {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "the file changed while it was being read; run again once the export is complete",
            ));
        }
        let Hash::Fingerprint(hasher) = self.hasher else {
            unreachable!("a stream over the whole file takes its fingerprint")
        };
        Ok(hex(&hasher.finalize()))
    }

    /// The hashes this stream would have once it had read the rest of the file, read through
    /// `input` (the same file opened again) from where this stream has read to; this stream is
    /// left as it is, to read on if the rest is wanted after all. For the first part of a file
    /// read in two, so that hashing the second part's bytes overlaps the second reader's work
    /// instead of following it (at a million rows, 90 ms).
    pub fn hash_rest(&self, mut input: impl Read + Seek) -> io::Result<Rest> {
        input.seek(SeekFrom::Start(self.read))?;
        let mut rest = Rest {
            hasher: self.hasher.clone(),
            tail: self.tail.as_ref().map(|tail| tail.hasher.clone()),
            read: self.read,
        };
        let mut buffer = vec![0u8; 1 << 20];
        loop {
            let filled = read_up_to(&mut input, &mut buffer)?;
            let tail = rest.tail.as_mut().zip(self.tail.as_ref());
            let tail = tail.map(|(hasher, tail)| (tail.from, hasher));
            take_in(&mut rest.hasher, tail, rest.read, &buffer[..filled]);
            rest.read += filled as u64;
            if filled < buffer.len() {
                return Ok(rest);
            }
        }
    }

    /// Takes `rest` (from `hash_rest`) as the rest of the file read: nothing is left to read.
    pub fn take_rest(&mut self, rest: Rest) {
        self.hasher = rest.hasher;
        if let (Some(tail), Some(hasher)) = (&mut self.tail, rest.tail) {
            tail.hasher = hasher;
        }
        self.read = rest.read;
        self.pending.clear();
        self.at_eof = true;
    }

    /// Hashes the bytes from `offset` on apart as well, to compare with what a second reader
    /// read from there; `false` if some of them have already left the window.
    pub fn hash_from(&mut self, offset: u64) -> bool {
        let window = self.start + self.dropped;
        if offset < window {
            return false;
        }
        let mut hasher = crc32fast::Hasher::new();
        // The bytes from `offset` already read are still in the window, or waiting after it.
        let skip = (offset - window) as usize;
        let text = self.text.as_bytes();
        if skip <= text.len() {
            hasher.update(&text[skip..]);
            hasher.update(&self.pending);
        } else if let Some(pending) = self.pending.get(skip - text.len()..) {
            hasher.update(pending);
        }
        self.tail = Some(Tail {
            from: offset,
            hasher,
            expected: None,
        });
        true
    }

    /// The check sum a second reader took of the bytes from `hash_from`'s offset, for
    /// `finish`.
    pub fn expect_from(&mut self, check_sum: u32) {
        if let Some(tail) = &mut self.tail {
            tail.expected = Some(check_sum);
        }
    }

    /// The check sum of every byte a stream opened with `open_at` read, from where it started.
    pub fn check_sum(self) -> u32 {
        match self.hasher {
            Hash::Check(hasher) => hasher.finalize(),
            Hash::Fingerprint(_) => unreachable!("only a second part is check-summed"),
        }
    }

    /// The bytes of the whole file, from the top, and their hash: for reading it whole.
    pub fn restart(mut self) -> io::Result<(Vec<u8>, String)> {
        self.input.seek(SeekFrom::Start(0))?;
        let mut bytes = Vec::new();
        self.input.read_to_end(&mut bytes)?;
        let sha256 = sha256_hex(&bytes);
        Ok((bytes, sha256))
    }

    /// Moves whole lines from `pending` onto the window, reading until there is at least one
    /// line end or the file ends.
    fn fill(&mut self) -> Result<(), NotPlainUtf8> {
        let cut = loop {
            if let Some(last) = memchr::memrchr(b'\n', &self.pending) {
                break last + 1;
            }
            if self.at_eof {
                break self.pending.len();
            }
            self.read_more().map_err(|_| NotPlainUtf8)?;
        };
        if memchr::memchr(0, &self.pending[..cut]).is_some() {
            return Err(NotPlainUtf8);
        }
        if self.text.is_empty() {
            // The window was read to its end, as it nearly always is: the lines read become
            // the window where they lie, and only the part line after them moves, into the
            // old window's buffer. Copied onto the window, every byte of a national export
            // was moved once more (docs/performance.md, change 83).
            let mut after = std::mem::take(&mut self.text).into_bytes();
            after.clear();
            after.extend_from_slice(&self.pending[cut..]);
            let mut lines = std::mem::replace(&mut self.pending, after);
            lines.truncate(cut);
            self.text = String::from_utf8(lines).map_err(|_| NotPlainUtf8)?;
        } else {
            let lines = std::str::from_utf8(&self.pending[..cut]).map_err(|_| NotPlainUtf8)?;
            self.text.push_str(lines);
            self.pending.drain(..cut);
        }
        Ok(())
    }

    fn read_more(&mut self) -> io::Result<()> {
        // No more than is left, and a byte over to see the end: zeroing a whole chunk for each
        // small file was most of the time one council's files took to read (10 ms of 13). A
        // file that grew since it was opened is still read to its end, a small window at a time.
        let left = self.end.saturating_sub(self.read).saturating_add(1);
        let want = usize::try_from(left).map_or(self.chunk, |left| left.max(HEAD).min(self.chunk));
        let start = self.pending.len();
        // Read into the room past the end, which is not zeroed first as a slice to read into
        // would be: at a million rows that was another pass over every byte of the file.
        self.pending.reserve(want);
        let got = self
            .input
            .by_ref()
            .take(want as u64)
            .read_to_end(&mut self.pending)?;
        self.at_eof = got < want;
        let bytes = &self.pending[start..];
        let tail = self.tail.as_mut().map(|tail| (tail.from, &mut tail.hasher));
        take_in(&mut self.hasher, tail, self.read, bytes);
        self.read += bytes.len() as u64;
        Ok(())
    }
}

/// Takes in `bytes`, read from file offset `at`: all of them into `file`, and into `tail`'s
/// check sum those from its offset on.
fn take_in(file: &mut Hash, tail: Option<(u64, &mut crc32fast::Hasher)>, at: u64, bytes: &[u8]) {
    file.update(bytes);
    if let Some((from, hasher)) = tail {
        let skip = from.saturating_sub(at).min(bytes.len() as u64) as usize;
        hasher.update(&bytes[skip..]);
    }
}

/// A file's hashes from where a stream had read to the end (`Stream::hash_rest`).
pub struct Rest {
    hasher: Hash,
    tail: Option<crc32fast::Hasher>,
    read: u64,
}

/// Reads until `buffer` is full or the input ends; how much was read.
pub fn read_up_to(input: &mut impl Read, buffer: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match input.read(&mut buffer[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

/// A file's fingerprint, as the report's provenance shows it.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(digest: &[u8]) -> String {
    use std::fmt::Write;
    digest.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}
