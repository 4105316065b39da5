//! `/etc/nsswitch.conf`'s `hosts:` line: which sources answer host lookups,
//! in which order. Only `files` and `dns` are known; other sources
//! (`mymachines`, `resolve`, `myhostname`, `mdns4_minimal`, …) need
//! glibc's loadable modules and are skipped, and `[STATUS=action]` items
//! are ignored: the next source is asked whenever one finds nothing.

use core::ffi::CStr;

use super::lines::{Line, Lines, fields, is_space, strip_comment};
use crate::error::Errno;

/// A host lookup source.
///
/// # References
/// - [nsswitch.conf(5)](https://man7.org/linux/man-pages/man5/nsswitch.conf.5.html)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The hosts file.
    Files,
    /// DNS, as configured by `resolv.conf`.
    Dns,
}

/// The sources of host lookups, in order (at most one of each).
///
/// ```
/// use zerosock::resolve::{HostSources, Source};
/// let s = HostSources::parse(b"passwd: files\nhosts: files mdns4_minimal [NOTFOUND=return] dns\n");
/// assert_eq!(s.sources(), &[Source::Files, Source::Dns]);
/// ```
///
/// # References
/// - [nsswitch.conf(5)](https://man7.org/linux/man-pages/man5/nsswitch.conf.5.html)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[doc(alias = "nsswitch.conf")]
pub struct HostSources {
    order: [Source; 2],
    len: usize,
}

impl HostSources {
    /// `hosts: files dns`, the usual line.
    pub const FILES_DNS: Self = Self {
        order: [Source::Files, Source::Dns],
        len: 2,
    };
    /// glibc's default when the file or the line is missing: `dns` then
    /// `files` (`dns [!UNAVAIL=return] files`, the action ignored).
    pub const DEFAULT: Self = Self {
        order: [Source::Dns, Source::Files],
        len: 2,
    };

    /// The sources in order.
    pub fn sources(&self) -> &[Source] {
        &self.order[..self.len]
    }

    /// Reads the `hosts:` line from a whole file's bytes ([`DEFAULT`] when
    /// there is none).
    ///
    /// [`DEFAULT`]: HostSources::DEFAULT
    pub fn parse(bytes: &[u8]) -> Self {
        Self::from_lines(Lines::from_bytes(bytes))
    }

    /// Reads the `hosts:` line of `path` through `buf`; a missing file
    /// gives [`DEFAULT`](HostSources::DEFAULT), as in glibc.
    ///
    /// # References
    /// - [open(2)](https://man7.org/linux/man-pages/man2/open.2.html)
    pub fn read(path: &CStr, buf: &mut [u8]) -> Result<Self, Errno> {
        match Lines::open(path, buf) {
            Ok(lines) => Ok(Self::from_lines(lines)),
            Err(Errno::NOENT) => Ok(Self::DEFAULT),
            Err(e) => Err(e),
        }
    }

    fn from_lines(mut lines: Lines<'_>) -> Self {
        while let Some(line) = lines.next_line() {
            let Line::Text(text) = line else { continue };
            let text = strip_comment(text);
            let Some(after) = trim(text).strip_prefix(b"hosts") else {
                continue;
            };
            let Some(after) = trim(after).strip_prefix(b":") else {
                continue;
            };
            let mut out = Self {
                order: [Source::Files; 2],
                len: 0,
            };
            let mut in_action = false;
            for word in fields(after) {
                if in_action || word.starts_with(b"[") {
                    in_action = !word.ends_with(b"]");
                    continue;
                }
                let s = match word {
                    b"files" => Source::Files,
                    b"dns" => Source::Dns,
                    _ => continue,
                };
                if !out.sources().contains(&s) {
                    out.order[out.len] = s;
                    out.len += 1;
                }
            }
            return out;
        }
        Self::DEFAULT
    }
}

fn trim(t: &[u8]) -> &[u8] {
    let n = t.iter().take_while(|&&b| is_space(b)).count();
    &t[n..]
}
