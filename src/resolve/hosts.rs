//! `/etc/hosts`: one address, a canonical name and aliases per line, `#`
//! to the end of a line a comment (hosts(5)). The reader streams the file
//! through a caller's buffer; a malformed line (an address that does not
//! parse, no name, bytes that are not UTF-8, a line longer than the buffer)
//! is reported and skipped, and the lines after it are read. A line with
//! an address and no name is glibc's: an entry whose name is empty.
//!
//! Addresses are parsed as glibc parses them, with `inet_pton`: dotted
//! decimal IPv4 (a line with `127.1` is skipped) or IPv6.

use core::net::IpAddr;

use super::lines::{BadLine, entry_file, words};
use crate::addr::{inet_pton_v4, inet_pton_v6};

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
        words(self.rest)
    }

    /// Whether `name` is this line's name or one of its aliases, ignoring
    /// ASCII case (as glibc's `strcasecmp`).
    pub fn matches(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name) || self.aliases().any(|a| a.eq_ignore_ascii_case(name))
    }
}

entry_file! {
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
    HostsFile
}

impl HostsFile<'_> {
    /// The next entry, or the next malformed line; `None` at the end.
    /// Blank and comment-only lines are skipped silently.
    pub fn next_entry(&mut self) -> Option<Result<HostsEntry<'_>, BadLine>> {
        self.lines.next_entry(|line| {
            let addr = parse_addr(line.first.as_bytes()).ok_or("not an address")?;
            // glibc accepts a line with an address and no name: its name is
            // empty (and an empty name finds it).
            Ok(HostsEntry {
                addr,
                name: line.second.unwrap_or(""),
                rest: line.rest,
            })
        })
    }
}

fn parse_addr(field: &[u8]) -> Option<IpAddr> {
    if let Ok(v4) = inet_pton_v4(field) {
        return Some(IpAddr::V4(v4));
    }
    inet_pton_v6(field).ok().map(IpAddr::V6)
}
