//! `/etc/services`: `name port/protocol aliases…` per line (services(5)),
//! read through a caller's buffer like every file here; malformed lines are
//! reported and skipped.

use core::ffi::CStr;

use super::hosts::BadLine;
use super::lines::{Line, Lines, fields, has_fields, strip_comment};
use crate::error::Errno;

/// One line of `/etc/services`.
///
/// # References
/// - [services(5)](https://man7.org/linux/man-pages/man5/services.5.html)
#[derive(Clone, Copy, Debug)]
#[doc(alias = "servent")]
pub struct ServiceEntry<'a> {
    /// The official name.
    pub name: &'a str,
    /// The port, in host order.
    pub port: u16,
    /// The protocol (`tcp`, `udp`, …).
    pub protocol: &'a str,
    rest: &'a str,
}

impl<'a> ServiceEntry<'a> {
    /// The aliases.
    pub fn aliases(&self) -> impl Iterator<Item = &'a str> {
        self.rest
            .split([' ', '\t', '\r', '\x0b', '\x0c'])
            .filter(|s| !s.is_empty())
    }

    /// Whether `name` is the official name or an alias (exact case, as
    /// glibc compares service names).
    pub fn matches(&self, name: &str) -> bool {
        self.name == name || self.aliases().any(|a| a == name)
    }
}

/// A reader of `/etc/services`.
///
/// ```
/// use zerosock::resolve::ServicesFile;
/// let mut f = ServicesFile::from_bytes(b"http 80/tcp www # WorldWideWeb\nhttp 80/udp\n");
/// let e = f.next_entry().unwrap().unwrap();
/// assert_eq!((e.name, e.port, e.protocol), ("http", 80, "tcp"));
/// assert!(e.matches("www"));
/// ```
///
/// # References
/// - [services(5)](https://man7.org/linux/man-pages/man5/services.5.html)
#[doc(alias = "getservent")]
pub struct ServicesFile<'a> {
    lines: Lines<'a>,
}

impl<'a> ServicesFile<'a> {
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
    pub fn next_entry(&mut self) -> Option<Result<ServiceEntry<'_>, BadLine>> {
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
            let Some(pp) = f.next() else {
                return bad("no port/protocol");
            };
            let pp = &text[offset(text, pp)..offset(text, pp) + pp.len()];
            let Some((port, protocol)) = pp.split_once('/') else {
                return bad("no '/' between port and protocol");
            };
            let Some(port) = parse_u16(port) else {
                return bad("bad port");
            };
            if protocol.is_empty() {
                return bad("no protocol");
            }
            let name = &text[offset(text, name)..offset(text, name) + name.len()];
            let end = offset(text, pp.as_bytes()) + pp.len();
            Some(Ok(ServiceEntry {
                name,
                port,
                protocol,
                rest: &text[end..],
            }))
        }
    }
}

fn offset(whole: &str, part: &[u8]) -> usize {
    part.as_ptr() as usize - whole.as_ptr() as usize
}

/// A decimal number of 1 to 5 digits that fits in 16 bits.
pub(crate) fn parse_u16(s: &str) -> Option<u16> {
    if s.is_empty() || s.len() > 5 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}
