//! `/etc/protocols`: `name number aliases…` per line (protocols(5)), read
//! through a caller's buffer; malformed lines are reported and skipped.

use super::lines::{BadLine, entry_file, words};

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
        words(self.rest)
    }

    /// Whether `name` is the official name or an alias (exact case).
    pub fn matches(&self, name: &str) -> bool {
        self.name == name || self.aliases().any(|a| a == name)
    }
}

entry_file! {
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
    ProtocolsFile
}

impl ProtocolsFile<'_> {
    /// The next entry or malformed line; `None` at the end.
    pub fn next_entry(&mut self) -> Option<Result<ProtocolEntry<'_>, BadLine>> {
        self.lines.next_entry(|line| {
            let number = line.second.ok_or("no protocol number")?;
            Ok(ProtocolEntry {
                name: line.first,
                number: number.parse().map_err(|_| "bad protocol number")?,
                rest: line.rest,
            })
        })
    }
}
