//! Streaming a `/proc` file line by line through a buffer the caller lends,
//! the errors of that stream, which process's files to read, and the small
//! number parsers the line formats share.

use core::ffi::CStr;
use core::fmt;

use rustix::fd::{AsFd, OwnedFd};

use crate::error::Errno;
use crate::sys;

/// Whose `/proc` files to read: this process's (`/proc/self/…`) or another
/// one's (`/proc/<pid>/…`).
///
/// The `net/` tables of a process are those of its network namespace, so
/// [`Process::Current`] reads what `/proc/net/…` shows.
///
/// ```
/// use zerosock::proc::Process;
/// assert_ne!(Process::Current, Process::Pid(1));
/// ```
///
/// # References
/// - [proc_pid_net(5)](https://man7.org/linux/man-pages/man5/proc_pid_net.5.html)
/// - [proc_pid_fd(5)](https://man7.org/linux/man-pages/man5/proc_pid_fd.5.html)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Process {
    /// The calling process: `/proc/self`.
    Current,
    /// The process with this id: `/proc/<pid>`.
    Pid(u32),
}

/// The process's directory name under `/proc`: `self` or the pid, so
/// `format!("/proc/{process}/fd")` is the path zerosock reads.
///
/// ```
/// use zerosock::proc::Process;
/// assert_eq!(format!("/proc/{}/fd", Process::Pid(42)), "/proc/42/fd");
/// assert_eq!(Process::Current.to_string(), "self");
/// ```
impl fmt::Display for Process {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Current => f.write_str("self"),
            Self::Pid(pid) => write!(f, "{pid}"),
        }
    }
}

/// Room for `/proc/<u32>/` plus the longest tail zerosock appends
/// (`net/udplite6`), and the NUL.
const PATH_CAP: usize = 48;

impl Process {
    /// Writes `/proc/<self|pid>/<tail>\0` into `out` and returns it as a C
    /// string. `tail` is one of this module's constants, short and NUL-free.
    pub(crate) fn path<'a>(self, tail: &str, out: &'a mut [u8; PATH_CAP]) -> Result<&'a CStr, Errno> {
        let mut len = 0;
        let mut push = |bytes: &[u8]| -> Result<(), Errno> {
            let end = len + bytes.len();
            out.get_mut(len..end)
                .ok_or(Errno::NAMETOOLONG)?
                .copy_from_slice(bytes);
            len = end;
            Ok(())
        };
        push(b"/proc/")?;
        match self {
            Self::Current => push(b"self")?,
            Self::Pid(pid) => {
                let mut digits = [0u8; 10];
                let mut n = pid;
                let mut i = digits.len();
                loop {
                    i -= 1;
                    digits[i] = b'0' + (n % 10) as u8;
                    n /= 10;
                    if n == 0 {
                        break;
                    }
                }
                push(&digits[i..])?;
            }
        }
        push(b"/")?;
        push(tail.as_bytes())?;
        push(b"\0")?;
        CStr::from_bytes_with_nul(&out[..len]).map_err(|_| Errno::INVAL)
    }

    /// Opens `/proc/<self|pid>/<tail>` for reading.
    pub(crate) fn open(self, tail: &str) -> Result<OwnedFd, Errno> {
        let mut buf = [0u8; PATH_CAP];
        sys::fs::open_read(self.path(tail, &mut buf)?)
    }

    /// Opens the directory `/proc/<self|pid>/<tail>`.
    pub(crate) fn open_dir(self, tail: &str) -> Result<OwnedFd, Errno> {
        let mut buf = [0u8; PATH_CAP];
        sys::fs::open_dir(self.path(tail, &mut buf)?)
    }
}

/// An error reading a `/proc` table: the read failed (which ends the
/// iteration), or one line could not be used (the iteration goes on with the
/// next line).
///
/// ```
/// use zerosock::proc::ProcError;
/// let err = ProcError::LineTooLong { line: 3, capacity: 64 };
/// assert_eq!(err.to_string(), "line 3 is longer than the 64-byte buffer");
/// ```
///
/// # References
/// - [proc_pid_net(5)](https://man7.org/linux/man-pages/man5/proc_pid_net.5.html)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProcError {
    /// read(2) failed; the iteration ends here.
    Os(Errno),
    /// The line did not fit the buffer. Its bytes were skipped; the next
    /// item is the next line.
    LineTooLong {
        /// The line's number in the file, counting from 1 (the header).
        line: usize,
        /// The buffer's size in bytes (the line needs at least one more,
        /// for its newline).
        capacity: usize,
    },
    /// The line does not have the table's format.
    Malformed {
        /// The line's number in the file, counting from 1 (the header).
        line: usize,
        /// The first column that could not be read.
        field: &'static str,
    },
    /// The buffer cannot hold a single byte, so nothing can be read; the
    /// iteration ends here.
    EmptyBuffer,
}

impl ProcError {
    /// The kernel's `Errno`, if a read failed.
    #[must_use]
    pub const fn errno(self) -> Option<Errno> {
        match self {
            Self::Os(errno) => Some(errno),
            _ => None,
        }
    }
}

impl From<Errno> for ProcError {
    #[inline]
    fn from(errno: Errno) -> Self {
        Self::Os(errno)
    }
}

impl fmt::Display for ProcError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Os(errno) => write!(f, "{errno}"),
            Self::LineTooLong { line, capacity } => {
                write!(f, "line {line} is longer than the {capacity}-byte buffer")
            }
            Self::Malformed { line, field } => write!(f, "line {line}: malformed {field}"),
            Self::EmptyBuffer => f.write_str("the buffer cannot hold a byte"),
        }
    }
}

impl core::error::Error for ProcError {}

/// Why one line could not be parsed: the first column that was wrong.
///
/// ```
/// use zerosock::proc::{InetEntry, Malformed};
/// assert_eq!(InetEntry::parse(b"garbage"), Err(Malformed { field: "sl" }));
/// ```
///
/// # References
/// - [proc_pid_net(5)](https://man7.org/linux/man-pages/man5/proc_pid_net.5.html)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Malformed {
    /// The column's name, as in the file's header where it has one.
    pub field: &'static str,
}

impl fmt::Display for Malformed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "malformed {}", self.field)
    }
}

impl core::error::Error for Malformed {}

/// The lines of a file, read through a borrowed buffer: each line is handed
/// out as a slice of the buffer (without its newline) until the next call.
///
/// A line longer than the buffer is reported once as
/// [`ProcError::LineTooLong`] and its bytes are skipped up to its newline;
/// a failed read is reported once and ends the stream. `EINTR` is retried.
/// An empty buffer is reported once as [`ProcError::EmptyBuffer`] (read(2)
/// into it would return 0, which reads as the end of the file).
pub(crate) struct Lines<'b> {
    fd: OwnedFd,
    buf: &'b mut [u8],
    /// The first byte not yet handed out.
    start: usize,
    /// The end of the bytes read.
    end: usize,
    /// The number of the last line handed out or reported.
    line: usize,
    /// Inside a too-long line, discarding up to its newline.
    skipping: bool,
    /// read(2) returned 0 or failed: no more reads.
    done: bool,
}

impl<'b> Lines<'b> {
    pub(crate) fn new(fd: OwnedFd, buf: &'b mut [u8]) -> Self {
        Self {
            fd,
            buf,
            start: 0,
            end: 0,
            line: 0,
            skipping: false,
            done: false,
        }
    }

    /// Opens `/proc/<self|pid>/<tail>` to read through `buf`; `EINVAL` for
    /// an empty `buf`, before anything is opened.
    pub(crate) fn open(process: Process, tail: &str, buf: &'b mut [u8]) -> Result<Self, Errno> {
        if buf.is_empty() {
            return Err(Errno::INVAL);
        }
        Ok(Self::new(process.open(tail)?, buf))
    }

    /// The next line and its number (from 1), or the error for it.
    pub(crate) fn next_line(&mut self) -> Option<Result<(usize, &[u8]), ProcError>> {
        if self.buf.is_empty() {
            if self.done {
                return None;
            }
            self.done = true;
            return Some(Err(ProcError::EmptyBuffer));
        }
        loop {
            let pending = &self.buf[self.start..self.end];
            if let Some(pos) = pending.iter().position(|&b| b == b'\n') {
                let from = self.start;
                self.start += pos + 1;
                if self.skipping {
                    self.skipping = false;
                    continue;
                }
                self.line += 1;
                return Some(Ok((self.line, &self.buf[from..from + pos])));
            }
            if self.done {
                // The last line has no newline (or there is nothing left).
                let from = self.start;
                self.start = self.end;
                if from == self.end || self.skipping {
                    self.skipping = false;
                    return None;
                }
                self.line += 1;
                return Some(Ok((self.line, &self.buf[from..self.end])));
            }
            if self.skipping {
                self.start = 0;
                self.end = 0;
            } else if self.start > 0 {
                self.buf.copy_within(self.start..self.end, 0);
                self.end -= self.start;
                self.start = 0;
            }
            if self.end == self.buf.len() && !self.skipping {
                self.line += 1;
                self.skipping = true;
                self.start = 0;
                self.end = 0;
                return Some(Err(ProcError::LineTooLong {
                    line: self.line,
                    capacity: self.buf.len(),
                }));
            }
            match sys::read(self.fd.as_fd(), &mut self.buf[self.end..]) {
                Ok(0) => self.done = true,
                Ok(n) => self.end += n.min(self.buf.len() - self.end),
                Err(Errno::INTR) => {}
                Err(errno) => {
                    self.done = true;
                    self.skipping = false;
                    self.start = 0;
                    self.end = 0;
                    return Some(Err(ProcError::Os(errno)));
                }
            }
        }
    }
}

/// The next entry of a table whose first line is a header: each later line
/// parsed with `parse`, its error numbered with the line. The header is
/// skipped whatever it holds (even if too long for the buffer).
pub(crate) fn next_entry<T>(
    lines: &mut Lines<'_>,
    parse: fn(&[u8]) -> Result<T, Malformed>,
) -> Option<Result<T, ProcError>> {
    loop {
        return match lines.next_line()? {
            Ok((1, _)) | Err(ProcError::LineTooLong { line: 1, .. }) => continue,
            Ok((line, text)) => Some(parse(text).map_err(|m| ProcError::Malformed { line, field: m.field })),
            Err(err) => Some(Err(err)),
        };
    }
}

/// The `Iterator` and `Debug` of a table reader, a struct whose one field
/// is `lines`: each item is [`next_entry`] with `$entry::parse`.
macro_rules! table_entries {
    ($name:ident, $entry:ident) => {
        impl Iterator for $name<'_> {
            type Item = Result<$entry, $crate::proc::ProcError>;

            fn next(&mut self) -> Option<Self::Item> {
                $crate::proc::reader::next_entry(&mut self.lines, $entry::parse)
            }
        }

        impl core::fmt::Debug for $name<'_> {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.debug_struct(stringify!($name)).finish_non_exhaustive()
            }
        }
    };
}
pub(crate) use table_entries;

/// Splits a line into columns separated by runs of spaces.
pub(crate) struct Fields<'a> {
    rest: &'a [u8],
}

impl<'a> Fields<'a> {
    pub(crate) fn new(line: &'a [u8]) -> Self {
        Self { rest: line }
    }

    /// The next column, or `Malformed { field }` if the line has ended.
    pub(crate) fn next(&mut self, field: &'static str) -> Result<&'a [u8], Malformed> {
        let start = self
            .rest
            .iter()
            .position(|&b| b != b' ')
            .unwrap_or(self.rest.len());
        let rest = &self.rest[start..];
        let len = rest.iter().position(|&b| b == b' ').unwrap_or(rest.len());
        let (token, rest) = rest.split_at(len);
        self.rest = rest;
        if token.is_empty() {
            Err(Malformed { field })
        } else {
            Ok(token)
        }
    }

    /// What is left of the line, unsplit (with its leading separator).
    pub(crate) fn rest(&self) -> &'a [u8] {
        self.rest
    }
}

/// Splits `token` at its only `sep`.
pub(crate) fn split2<'a>(
    token: &'a [u8],
    sep: u8,
    field: &'static str,
) -> Result<(&'a [u8], &'a [u8]), Malformed> {
    let at = token.iter().position(|&b| b == sep).ok_or(Malformed { field })?;
    let (a, b) = (&token[..at], &token[at + 1..]);
    if b.contains(&sep) {
        return Err(Malformed { field });
    }
    Ok((a, b))
}

/// Parses 1 to 16 hex digits (either case) as a `u64`.
pub(crate) fn hex(token: &[u8], field: &'static str) -> Result<u64, Malformed> {
    if token.is_empty() || token.len() > 16 {
        return Err(Malformed { field });
    }
    let mut value = 0u64;
    for &b in token {
        let digit = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            b'A'..=b'F' => b - b'A' + 10,
            _ => return Err(Malformed { field }),
        };
        value = (value << 4) | u64::from(digit);
    }
    Ok(value)
}

/// Parses 1 to 8 hex digits as a `u32`.
pub(crate) fn hex32(token: &[u8], field: &'static str) -> Result<u32, Malformed> {
    if token.len() > 8 {
        return Err(Malformed { field });
    }
    hex(token, field).map(|v| v as u32)
}

/// Parses an unsigned decimal number that fits a `u64`.
pub(crate) fn dec(token: &[u8], field: &'static str) -> Result<u64, Malformed> {
    if token.is_empty() {
        return Err(Malformed { field });
    }
    let mut value = 0u64;
    for &b in token {
        if !b.is_ascii_digit() {
            return Err(Malformed { field });
        }
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(u64::from(b - b'0')))
            .ok_or(Malformed { field })?;
    }
    Ok(value)
}

/// Parses an unsigned decimal number that fits a `u32`.
pub(crate) fn dec32(token: &[u8], field: &'static str) -> Result<u32, Malformed> {
    u32::try_from(dec(token, field)?).map_err(|_| Malformed { field })
}

/// Parses a decimal number with an optional `-` that fits an `i32`.
pub(crate) fn dec_i32(token: &[u8], field: &'static str) -> Result<i32, Malformed> {
    match token.split_first() {
        Some((b'-', digits)) => {
            let magnitude = dec(digits, field)?;
            i64::try_from(magnitude)
                .ok()
                .and_then(|m| i32::try_from(-m).ok())
                .ok_or(Malformed { field })
        }
        _ => i32::try_from(dec(token, field)?).map_err(|_| Malformed { field }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(hex(b"0100007F", "x"), Ok(0x0100_007F));
        assert_eq!(hex(b"ffffffffffffffff", "x"), Ok(u64::MAX));
        assert!(hex(b"1ffffffffffffffff", "x").is_err());
        assert!(hex(b"", "x").is_err());
        assert!(hex(b"0x1", "x").is_err());
        assert!(hex32(b"100000000", "x").is_err());
        assert_eq!(dec(b"18446744073709551615", "x"), Ok(u64::MAX));
        assert!(dec(b"18446744073709551616", "x").is_err());
        assert_eq!(dec_i32(b"-1", "x"), Ok(-1));
        assert_eq!(dec_i32(b"-2147483648", "x"), Ok(i32::MIN));
        assert!(dec_i32(b"-2147483649", "x").is_err());
        assert!(dec_i32(b"2147483648", "x").is_err());
        assert!(dec_i32(b"-", "x").is_err());
        assert!(dec32(b"4294967296", "x").is_err());
    }

    #[test]
    fn fields() {
        let mut f = Fields::new(b"   0: a  b ");
        assert_eq!(f.next("sl"), Ok(&b"0:"[..]));
        assert_eq!(f.next("a"), Ok(&b"a"[..]));
        assert_eq!(f.next("b"), Ok(&b"b"[..]));
        assert_eq!(f.next("c"), Err(Malformed { field: "c" }));
    }

    #[test]
    fn paths() {
        let mut buf = [0u8; PATH_CAP];
        assert_eq!(
            Process::Current.path("net/tcp", &mut buf).unwrap().to_bytes(),
            b"/proc/self/net/tcp"
        );
        assert_eq!(
            Process::Pid(u32::MAX)
                .path("net/udplite6", &mut buf)
                .unwrap()
                .to_bytes(),
            b"/proc/4294967295/net/udplite6"
        );
        assert_eq!(
            Process::Pid(0).path("fd", &mut buf).unwrap().to_bytes(),
            b"/proc/0/fd"
        );
    }
}
