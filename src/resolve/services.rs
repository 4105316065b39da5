//! `/etc/services`: `name port/protocol aliases…` per line (services(5)),
//! read through a caller's buffer like every file here; malformed lines are
//! reported and skipped.

use super::lines::{BadLine, entry_file, words};

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
        words(self.rest)
    }

    /// Whether `name` is the official name or an alias (exact case, as
    /// glibc compares service names).
    pub fn matches(&self, name: &str) -> bool {
        self.name == name || self.aliases().any(|a| a == name)
    }
}

entry_file! {
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
    ServicesFile
}

impl ServicesFile<'_> {
    /// The next entry or malformed line; `None` at the end.
    pub fn next_entry(&mut self) -> Option<Result<ServiceEntry<'_>, BadLine>> {
        self.lines.next_entry(|line| {
            let pp = line.second.ok_or("no port/protocol")?;
            let (port, protocol) = pp.split_once('/').ok_or("no '/' between port and protocol")?;
            let port = parse_u16(port).ok_or("bad port")?;
            if protocol.is_empty() {
                return Err("no protocol");
            }
            Ok(ServiceEntry {
                name: line.first,
                port,
                protocol,
                rest: line.rest,
            })
        })
    }
}

/// A decimal number of 1 to 5 digits that fits in 16 bits.
pub(crate) fn parse_u16(s: &str) -> Option<u16> {
    if s.is_empty() || s.len() > 5 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}
