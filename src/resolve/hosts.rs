//! `/etc/hosts`: one address, a canonical name and aliases per line, `#`
//! to the end of a line a comment (hosts(5)). The reader streams the file
//! through a caller's buffer; a malformed line (an address that does not
//! parse, no name, bytes that are not UTF-8, a line longer than the buffer)
//! is reported and skipped, and the lines after it are read. A line with
//! an address and no name is glibc's: an entry whose name is empty.
//!
//! Addresses are parsed as glibc parses them, with `inet_pton`: dotted
//! decimal IPv4 (a line with `127.1` is skipped) or IPv6.

use core::ffi::CStr;
use core::net::IpAddr;

use super::lines::{Line, Lines, fields, has_fields, strip_comment};
use crate::addr::{inet_pton_v4, inet_pton_v6};
use crate::error::Errno;

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

/// One line of `/etc/hosts`.
///
/// # References
/// - [hosts(5)](https://man7.org/linux/man-pages/man5/hosts.5.html)
#[derive(Clone, Copy, Debug)]
pub struct HostsEntry<'a> {
    /// The address.
    pub addr: IpAddr,
    /// The canonical name (the first name on the line).
    pub name: &'a str,
    rest: &'a str,
}

impl<'a> HostsEntry<'a> {
    /// The aliases (the names after the first).
    pub fn aliases(&self) -> impl Iterator<Item = &'a str> {
        self.rest
            .split([' ', '\t', '\r', '\x0b', '\x0c'])
            .filter(|s| !s.is_empty())
    }

    /// Whether `name` is this line's name or one of its aliases, ignoring
    /// ASCII case (as glibc's `strcasecmp`).
    pub fn matches(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name) || self.aliases().any(|a| a.eq_ignore_ascii_case(name))
    }
}

/// A reader of `/etc/hosts` (or any file in its format).
///
/// ```
/// use zerosock::resolve::HostsFile;
/// let mut hosts = HostsFile::from_bytes(b"127.0.0.1 localhost lh # me\nbad line\n::1 ip6-localhost\n");
/// let e = hosts.next_entry().unwrap().unwrap();
/// assert_eq!((e.name, e.aliases().next()), ("localhost", Some("lh")));
/// assert!(hosts.next_entry().unwrap().is_err()); // reported, skipped
/// assert_eq!(hosts.next_entry().unwrap().unwrap().name, "ip6-localhost");
/// assert!(hosts.next_entry().is_none());
/// ```
///
/// # References
/// - [hosts(5)](https://man7.org/linux/man-pages/man5/hosts.5.html)
#[doc(alias = "gethostent")]
pub struct HostsFile<'a> {
    lines: Lines<'a>,
}

impl<'a> HostsFile<'a> {
    /// Opens `path`, to be read through `buf` (a line longer than `buf` is
    /// reported as malformed).
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

    /// The next entry, or the next malformed line; `None` at the end.
    /// Blank and comment-only lines are skipped silently.
    pub fn next_entry(&mut self) -> Option<Result<HostsEntry<'_>, BadLine>> {
        {
            let (line, text) = self.lines.next_kept(has_fields)?;
            let bad = |why| Some(Err(BadLine { line, why }));
            let text = match text {
                Line::TooLong => return bad("line longer than the buffer"),
                Line::Text(t) => strip_comment(t),
            };
            let mut f = fields(text);
            let Some(addr) = f.next() else { return bad("empty") };
            // glibc accepts a line with an address and no name: its name is
            // empty (and an empty name finds it).
            let name = f.next().unwrap_or(&[]);
            let Some(addr) = parse_addr(addr) else {
                return bad("not an address");
            };
            let (Ok(name), Ok(whole)) = (core::str::from_utf8(name), core::str::from_utf8(text)) else {
                return bad("not UTF-8");
            };
            // The aliases are whatever follows the name in the line.
            let after = if name.is_empty() {
                whole.len()
            } else {
                name.as_ptr() as usize - whole.as_ptr() as usize + name.len()
            };
            Some(Ok(HostsEntry {
                addr,
                name,
                rest: &whole[after..],
            }))
        }
    }
}

fn parse_addr(field: &[u8]) -> Option<IpAddr> {
    if let Ok(v4) = inet_pton_v4(field) {
        return Some(IpAddr::V4(v4));
    }
    inet_pton_v6(field).ok().map(IpAddr::V6)
}
