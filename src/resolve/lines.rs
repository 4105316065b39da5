//! Lines of a configuration file, streamed through a caller's buffer (or
//! read from bytes already in memory), never allocating: the common reader
//! of `/etc/hosts`, `/etc/services`, `/etc/protocols`, `/etc/nsswitch.conf`
//! and `/etc/resolv.conf`. A line longer than the buffer is reported as
//! [`Line::TooLong`] and skipped whole; the lines after it are read.
//!
//! The entry files (`hosts`, `services`, `protocols`) share one shape,
//! `first second aliases… # comment`: [`Lines::next_entry`] splits a line
//! so and hands it to the file's own parser, reporting what it refuses as
//! a [`BadLine`].

use core::ffi::CStr;

use rustix::fd::OwnedFd;

use crate::error::Errno;
use crate::sys;

/// Why a line of a configuration file was skipped.
///
/// # References
/// - [hosts(5)](https://man7.org/linux/man-pages/man5/hosts.5.html)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BadLine {
    /// The line's number, from 1.
    pub line: usize,
    /// What was wrong.
    pub why: &'static str,
}

/// An entry line without its comment: its first two fields and the text
/// after them (the aliases).
pub(crate) struct EntryLine<'a> {
    pub(crate) first: &'a str,
    pub(crate) second: Option<&'a str>,
    pub(crate) rest: &'a str,
}

/// One line, without its newline.
pub(crate) enum Line<'a> {
    /// The line's bytes.
    Text(&'a [u8]),
    /// A line longer than the buffer: skipped.
    TooLong,
}

enum Source<'a> {
    File {
        fd: OwnedFd,
        buf: &'a mut [u8],
        start: usize,
        end: usize,
        eof: bool,
    },
    Bytes {
        bytes: &'a [u8],
        pos: usize,
    },
}

/// A line reader.
pub(crate) struct Lines<'a> {
    source: Source<'a>,
    number: usize,
}

impl<'a> Lines<'a> {
    /// Opens `path` (`O_RDONLY | O_CLOEXEC`) to stream it through `buf`.
    pub(crate) fn open(path: &CStr, buf: &'a mut [u8]) -> Result<Self, Errno> {
        let fd = sys::fs::open_read(path)?;
        Ok(Self {
            source: Source::File {
                fd,
                buf,
                start: 0,
                end: 0,
                eof: false,
            },
            number: 0,
        })
    }

    /// Reads lines from `bytes`.
    pub(crate) fn from_bytes(bytes: &'a [u8]) -> Self {
        Self {
            source: Source::Bytes { bytes, pos: 0 },
            number: 0,
        }
    }

    /// The next line, `None` at the end. A read error ends the file as
    /// glibc does (what was read counts).
    pub(crate) fn next_line(&mut self) -> Option<Line<'_>> {
        self.next_kept(|_| true).map(|(_, l)| l)
    }

    /// The next line `keep` accepts (too long lines are always returned),
    /// with its number from 1.
    pub(crate) fn next_kept(&mut self, keep: impl Fn(&[u8]) -> bool) -> Option<(usize, Line<'_>)> {
        loop {
            let r = self.next_range()?;
            self.number += 1;
            let n = self.number;
            match r {
                None => return Some((n, Line::TooLong)),
                Some(range) => {
                    let text = match &self.source {
                        Source::Bytes { bytes, .. } => &bytes[range.clone()],
                        Source::File { buf, .. } => &buf[range.clone()],
                    };
                    if keep(text) {
                        let text = match &self.source {
                            Source::Bytes { bytes, .. } => &bytes[range],
                            Source::File { buf, .. } => &buf[range],
                        };
                        return Some((n, Line::Text(text)));
                    }
                }
            }
        }
    }

    /// The next line with fields, split as an [`EntryLine`] and parsed by
    /// `parse`; `None` at the end. Blank and comment-only lines are skipped
    /// silently; a line too long, not UTF-8 or refused by `parse` is
    /// reported with its number.
    pub(crate) fn next_entry<'b, T: 'b>(
        &'b mut self,
        parse: impl FnOnce(EntryLine<'b>) -> Result<T, &'static str>,
    ) -> Option<Result<T, BadLine>> {
        let (line, text) = self.next_kept(has_fields)?;
        let parsed = match text {
            Line::TooLong => Err("line longer than the buffer"),
            Line::Text(t) => match core::str::from_utf8(strip_comment(t)) {
                Ok(text) => parse(split_entry(text)),
                Err(_) => Err("not UTF-8"),
            },
        };
        Some(parsed.map_err(|why| BadLine { line, why }))
    }

    /// Where the next line is (`Some(None)`: a line too long, skipped).
    fn next_range(&mut self) -> Option<Option<core::ops::Range<usize>>> {
        match &mut self.source {
            Source::Bytes { bytes, pos } => {
                if *pos >= bytes.len() {
                    return None;
                }
                let rest = &bytes[*pos..];
                let n = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
                let range = *pos..*pos + n;
                *pos += n + 1;
                Some(Some(range))
            }
            Source::File {
                fd,
                buf,
                start,
                end,
                eof,
            } => {
                let mut too_long = false;
                loop {
                    if let Some(n) = buf[*start..*end].iter().position(|&b| b == b'\n') {
                        let line = *start..*start + n;
                        *start += n + 1;
                        return Some(if too_long { None } else { Some(line) });
                    }
                    if *eof {
                        if *start == *end {
                            return if too_long { Some(None) } else { None };
                        }
                        let line = *start..*end;
                        *start = *end;
                        return Some(if too_long { None } else { Some(line) });
                    }
                    if *start > 0 {
                        buf.copy_within(*start..*end, 0);
                        *end -= *start;
                        *start = 0;
                    }
                    if *end == buf.len() {
                        // No newline in a full buffer: drop what is there and
                        // keep dropping until the line ends.
                        too_long = true;
                        *end = 0;
                    }
                    loop {
                        match crate::sys::read(rustix::fd::AsFd::as_fd(&*fd), &mut buf[*end..]) {
                            Ok(0) => *eof = true,
                            Ok(n) => *end += n,
                            Err(Errno::INTR) => continue,
                            Err(_) => *eof = true,
                        }
                        break;
                    }
                }
            }
        }
    }
}

/// An entry file's reader: the struct (with the attributes and docs given)
/// and its two constructors; the file's module adds `next_entry`.
macro_rules! entry_file {
    ($(#[$attr:meta])* $name:ident) => {
        $(#[$attr])*
        pub struct $name<'a> {
            lines: $crate::resolve::lines::Lines<'a>,
        }

        impl<'a> $name<'a> {
            /// Opens `path`, to be read through `buf` (a line longer than
            /// `buf` is reported as malformed).
            ///
            /// # References
            /// - [open(2)](https://man7.org/linux/man-pages/man2/open.2.html)
            pub fn open(path: &core::ffi::CStr, buf: &'a mut [u8]) -> Result<Self, $crate::error::Errno> {
                Ok(Self {
                    lines: $crate::resolve::lines::Lines::open(path, buf)?,
                })
            }

            /// Reads entries from `bytes`.
            pub fn from_bytes(bytes: &'a [u8]) -> Self {
                Self {
                    lines: $crate::resolve::lines::Lines::from_bytes(bytes),
                }
            }
        }
    };
}
pub(crate) use entry_file;

/// `text`'s first two fields and what follows them.
fn split_entry(text: &str) -> EntryLine<'_> {
    let mut words = words(text);
    let first = words.next().unwrap_or("");
    let second = words.next();
    let end = match second {
        Some(w) => w.as_ptr() as usize - text.as_ptr() as usize + w.len(),
        None => text.len(),
    };
    EntryLine {
        first,
        second,
        rest: &text[end..],
    }
}

/// The whitespace-separated words of `text` (an entry's aliases).
pub(crate) fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| c.is_ascii() && is_space(c as u8))
        .filter(|w| !w.is_empty())
}

/// Whether a line has any field before its comment.
pub(crate) fn has_fields(line: &[u8]) -> bool {
    fields(strip_comment(line)).next().is_some()
}

/// Whitespace as the C library's files parsers split on it.
pub(crate) fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\x0b' | b'\x0c')
}

/// The whitespace-separated fields of `line`.
pub(crate) fn fields(line: &[u8]) -> impl Iterator<Item = &[u8]> {
    line.split(|&b| is_space(b)).filter(|f| !f.is_empty())
}

/// `line` up to its first `#`.
pub(crate) fn strip_comment(line: &[u8]) -> &[u8] {
    match line.iter().position(|&b| b == b'#') {
        Some(i) => &line[..i],
        None => line,
    }
}
