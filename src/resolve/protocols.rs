//! `/etc/protocols`: `name number aliases…` per line (protocols(5)), read
//! through a caller's buffer; malformed lines are reported and skipped.

use core::ffi::CStr;

use super::hosts::BadLine;
use super::lines::{Line, Lines, fields, has_fields, strip_comment};
use crate::error::Errno;

/// One line of `/etc/protocols`.
///
/// # References
/// - [protocols(5)](https://man7.org/linux/man-pages/man5/protocols.5.html)
#[derive(Clone, Copy, Debug)]
#[doc(alias = "protoent")]
pub struct ProtocolEntry<'a> {
    /// The official name.
    pub name: &'a str,
    /// The protocol number.
    pub number: u8,
    rest: &'a str,
}

impl<'a> ProtocolEntry<'a> {
    /// The aliases.
    pub fn aliases(&self) -> impl Iterator<Item = &'a str> {
        self.rest
            .split([' ', '\t', '\r', '\x0b', '\x0c'])
            .filter(|s| !s.is_empty())
    }

    /// Whether `name` is the official name or an alias (exact case).
    pub fn matches(&self, name: &str) -> bool {
        self.name == name || self.aliases().any(|a| a == name)
    }
}

/// A reader of `/etc/protocols`.
///
/// ```
/// use zerosock::resolve::ProtocolsFile;
/// let mut f = ProtocolsFile::from_bytes(b"tcp 6 TCP # transmission control\n");
/// let e = f.next_entry().unwrap().unwrap();
/// assert_eq!((e.name, e.number), ("tcp", 6));
/// assert!(e.matches("TCP"));
/// ```
///
/// # References
/// - [protocols(5)](https://man7.org/linux/man-pages/man5/protocols.5.html)
#[doc(alias = "getprotoent")]
pub struct ProtocolsFile<'a> {
    lines: Lines<'a>,
}

impl<'a> ProtocolsFile<'a> {
    /// Opens `path`, to be read through `buf`.
    ///
    /// # References
    /// - [open(2)](https://man7.org/linux/man-pages/man2/open.2.html)
    pub fn open(path: &CStr, buf: &'a mut [u8]) -> Result<Self, Errno> {
        Ok(Self {
            lines: Lines::open(path, buf)?,
        })
    }

    /// Reads entries from `bytes`.
    pub fn from_bytes(bytes: &'a [u8]) -> Self {
        Self {
            lines: Lines::from_bytes(bytes),
        }
    }

    /// The next entry or malformed line; `None` at the end.
    pub fn next_entry(&mut self) -> Option<Result<ProtocolEntry<'_>, BadLine>> {
        {
            let (line, text) = self.lines.next_kept(has_fields)?;
            let bad = |why| Some(Err(BadLine { line, why }));
            let text = match text {
                Line::TooLong => return bad("line longer than the buffer"),
                Line::Text(t) => strip_comment(t),
            };
            let Ok(text) = core::str::from_utf8(text) else {
                return bad("not UTF-8");
            };
            let mut f = fields(text.as_bytes());
            let Some(name) = f.next() else { return bad("empty") };
            let Some(num) = f.next() else {
                return bad("no protocol number");
            };
            let at = num.as_ptr() as usize - text.as_ptr() as usize;
            let Some(number) = core::str::from_utf8(num).ok().and_then(|n| n.parse::<u8>().ok()) else {
                return bad("bad protocol number");
            };
            let nat = name.as_ptr() as usize - text.as_ptr() as usize;
            let name = &text[nat..nat + name.len()];
            Some(Ok(ProtocolEntry {
                name,
                number,
                rest: &text[at + num.len()..],
            }))
        }
    }
}
