//! The Unix-domain socket table, `/proc/net/unix`: one line per socket with
//! its flags, type, state, inode and name, decoded into [`UnixEntry`].

use core::fmt;

use rustix::fd::OwnedFd;

use super::reader::{Fields, Lines, Malformed, Process, dec, hex, hex32, table_entries};
use crate::addr::{SUN_PATH_LEN, UnixAddrKind};
use crate::error::Errno;
use crate::flags::Type;
use crate::opt::TcpState;

/// The state of a `struct socket` (`socket_state`, `SS_*` in
/// `include/uapi/linux/net.h`): the `St` column of `/proc/net/unix`.
///
/// ```
/// use zerosock::proc::SocketState;
/// assert_eq!(SocketState::CONNECTED.raw(), 3);
/// assert_eq!(format!("{:?}", SocketState::CONNECTED), "SS_CONNECTED");
/// ```
///
/// # References
/// - [proc_pid_net(5)](https://man7.org/linux/man-pages/man5/proc_pid_net.5.html)
#[doc(alias = "socket_state")]
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
#[repr(transparent)]
pub struct SocketState(u8);

impl SocketState {
    /// `SS_FREE` (0): not allocated.
    #[doc(alias = "SS_FREE")]
    pub const FREE: Self = Self(0);
    /// `SS_UNCONNECTED` (1): unconnected (also a listener).
    #[doc(alias = "SS_UNCONNECTED")]
    pub const UNCONNECTED: Self = Self(1);
    /// `SS_CONNECTING` (2): connected but not yet accepted (a connection
    /// waiting in a listener's queue shows as this).
    #[doc(alias = "SS_CONNECTING")]
    pub const CONNECTING: Self = Self(2);
    /// `SS_CONNECTED` (3): connected.
    #[doc(alias = "SS_CONNECTED")]
    pub const CONNECTED: Self = Self(3);
    /// `SS_DISCONNECTING` (4): being torn down, no longer in a file.
    #[doc(alias = "SS_DISCONNECTING")]
    pub const DISCONNECTING: Self = Self(4);

    /// Wraps a raw state number.
    #[inline]
    #[must_use]
    pub const fn from_raw(raw: u8) -> Self {
        Self(raw)
    }

    /// The number in the `St` column.
    #[inline]
    #[must_use]
    pub const fn raw(self) -> u8 {
        self.0
    }

    /// The C name (`SS_CONNECTED`, …), if the state has one.
    #[must_use]
    pub const fn name(self) -> Option<&'static str> {
        match self.0 {
            0 => Some("SS_FREE"),
            1 => Some("SS_UNCONNECTED"),
            2 => Some("SS_CONNECTING"),
            3 => Some("SS_CONNECTED"),
            4 => Some("SS_DISCONNECTING"),
            _ => None,
        }
    }
}

impl fmt::Debug for SocketState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => f.write_str(name),
            None => write!(f, "SocketState({})", self.0),
        }
    }
}

/// One line of `/proc/net/unix`, decoded.
///
/// The name is kept as the kernel printed it: a pathname as is, an abstract
/// name with a leading `@` (and every NUL byte inside it also shown as `@`),
/// nothing for an unnamed socket. [`path`](Self::path) gives it as a
/// [`UnixAddrKind`]. The file cannot tell a pathname that starts with `@`
/// from an abstract name; such a pathname reads as abstract. And the kernel
/// prints a name's bytes raw, so a name containing a newline splits its line
/// in two: the entry shows the name up to the newline, and the rest comes as
/// a [`Malformed`](super::ProcError::Malformed) line. `ss -x` (netlink) has
/// none of these ambiguities.
///
/// The file says nothing of the peer; `ss -x` gets that over netlink.
///
/// ```
/// use zerosock::addr::UnixAddrKind;
/// use zerosock::proc::{SocketState, UnixEntry};
/// use zerosock::Type;
///
/// let line = b"0000000000000000: 00000002 00000000 00010000 0001 01 20931 /run/app.sock";
/// let entry = UnixEntry::parse(line)?;
/// assert_eq!(entry.socket_type, Type::STREAM);
/// assert!(entry.is_listening());
/// assert_eq!(entry.state, SocketState::UNCONNECTED);
/// assert_eq!(entry.inode, 20931);
/// assert_eq!(entry.path(), UnixAddrKind::Pathname(b"/run/app.sock"));
///
/// let entry = UnixEntry::parse(b"0000000000000000: 00000003 00000000 00000000 0002 03 20932 @hidden")?;
/// assert_eq!(entry.path(), UnixAddrKind::Abstract(b"hidden"));
/// # Ok::<(), zerosock::proc::Malformed>(())
/// ```
///
/// # References
/// - [proc_pid_net(5)](https://man7.org/linux/man-pages/man5/proc_pid_net.5.html)
/// - [unix(7)](https://man7.org/linux/man-pages/man7/unix.7.html)
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct UnixEntry {
    /// `RefCount`: the kernel's reference count on the socket.
    pub refcount: u32,
    /// `Protocol`: always 0.
    pub protocol: u32,
    /// `Flags`: [`UnixEntry::ACCEPTCON`] for a listening socket.
    pub flags: u32,
    /// `Type`: `SOCK_STREAM`, `SOCK_DGRAM` or `SOCK_SEQPACKET`.
    pub socket_type: Type,
    /// `St`: the `socket_state`.
    pub state: SocketState,
    /// `Inode`: the socket's inode, as [`Socket::inode`](crate::Socket::inode)
    /// returns.
    pub inode: u64,
    name: [u8; SUN_PATH_LEN],
    name_len: u8,
}

impl UnixEntry {
    /// `__SO_ACCEPTCON`, the flag of a listening socket.
    #[doc(alias = "__SO_ACCEPTCON")]
    pub const ACCEPTCON: u32 = 1 << 16;

    /// Decodes one line of `/proc/net/unix` (without its newline).
    ///
    /// # Errors
    /// [`Malformed`] naming the first column that is missing or wrong;
    /// never a panic, whatever the bytes.
    pub fn parse(line: &[u8]) -> Result<Self, Malformed> {
        let mut fields = Fields::new(line);
        match fields.next("Num")?.split_last() {
            Some((b':', digits)) => hex(digits, "Num")?,
            _ => return Err(Malformed { field: "Num" }),
        };
        let refcount = hex32(fields.next("RefCount")?, "RefCount")?;
        let protocol = hex32(fields.next("Protocol")?, "Protocol")?;
        let flags = hex32(fields.next("Flags")?, "Flags")?;
        let socket_type = Type::from_raw(hex32(fields.next("Type")?, "Type")?);
        let st = hex32(fields.next("St")?, "St")?;
        let state = SocketState(u8::try_from(st).map_err(|_| Malformed { field: "St" })?);
        let inode = dec(fields.next("Inode")?, "Inode")?;
        // The name is the rest of the line after one space, spaces and all.
        let name = match fields.rest() {
            [] => &[][..],
            [b' ', name @ ..] if !name.is_empty() => name,
            _ => return Err(Malformed { field: "Path" }),
        };
        let mut entry = Self {
            refcount,
            protocol,
            flags,
            socket_type,
            state,
            inode,
            name: [0; SUN_PATH_LEN],
            name_len: 0,
        };
        entry
            .name
            .get_mut(..name.len())
            .ok_or(Malformed { field: "Path" })?
            .copy_from_slice(name);
        entry.name_len = name.len() as u8;
        Ok(entry)
    }

    /// The socket's name: a pathname, an abstract name (without the `@`),
    /// or unnamed.
    #[must_use]
    pub fn path(&self) -> UnixAddrKind<'_> {
        match self.path_bytes() {
            [] => UnixAddrKind::Unnamed,
            [b'@', name @ ..] => UnixAddrKind::Abstract(name),
            path => UnixAddrKind::Pathname(path),
        }
    }

    /// The `Path` column as printed: empty, a pathname, or `@` and an
    /// abstract name.
    #[must_use]
    pub fn path_bytes(&self) -> &[u8] {
        &self.name[..usize::from(self.name_len)]
    }

    /// Whether the socket is listening (`Flags` has `__SO_ACCEPTCON`).
    #[must_use]
    pub const fn is_listening(&self) -> bool {
        self.flags & Self::ACCEPTCON != 0
    }

    /// The socket's state in TCP terms, as `ss -x` shows it (from the
    /// kernel's `sk_state` over netlink): [`TcpState::Listen`] for a
    /// listener, [`TcpState::Established`] for a connected socket (accepted
    /// or not), [`TcpState::Close`] (`UNCONN`) otherwise.
    #[must_use]
    pub const fn tcp_state(&self) -> TcpState {
        if self.is_listening() {
            TcpState::Listen
        } else if self.state.0 == SocketState::CONNECTED.0 || self.state.0 == SocketState::CONNECTING.0 {
            TcpState::Established
        } else {
            TcpState::Close
        }
    }
}

impl fmt::Debug for UnixEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnixEntry")
            .field("refcount", &self.refcount)
            .field("protocol", &self.protocol)
            .field("flags", &format_args!("{:#010x}", self.flags))
            .field("socket_type", &self.socket_type)
            .field("state", &self.state)
            .field("inode", &self.inode)
            .field("path", &format_args!("\"{}\"", self.path_bytes().escape_ascii()))
            .finish()
    }
}

/// The entries of `/proc/<pid>/net/unix`, read through a borrowed buffer.
///
/// As [`InetEntries`](super::InetEntries): one item per socket or per bad
/// line, the header skipped, a failed read ends it. A line is about 60
/// bytes plus a name of up to 108; a buffer of 256 bytes holds any of them.
///
/// # Names are untrusted
/// The kernel prints each socket's name raw, newlines included, and the
/// format has no escaping. Any local user can therefore bind a name that
/// reads as a second line: a forged entry with an inode and a name of their
/// choosing, which this reader cannot tell from a real one. Treat the table
/// as a view for people (like `ss -x`), not as evidence for a security
/// decision; that needs the kernel's `sock_diag` netlink interface.
///
/// ```
/// use zerosock::proc::{Process, UnixEntries};
/// use zerosock::{Domain, Protocol, Socket, Type};
///
/// let (a, _b) = Socket::pair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT)?;
/// let inode = a.inode()?;
/// let mut buf = [0u8; 4096];
/// let entry = UnixEntries::open(Process::Current, &mut buf)?
///     .filter_map(Result::ok)
///     .find(|e| e.inode == inode)
///     .expect("our socketpair is listed");
/// assert_eq!(entry.socket_type, Type::STREAM);
/// # Ok::<(), zerosock::Errno>(())
/// ```
///
/// # References
/// - [proc_pid_net(5)](https://man7.org/linux/man-pages/man5/proc_pid_net.5.html)
pub struct UnixEntries<'b> {
    lines: Lines<'b>,
}

impl<'b> UnixEntries<'b> {
    /// Opens `/proc/<self|pid>/net/unix` to read through `buf`.
    ///
    /// # Errors
    /// open(2)'s error; `EINVAL` for an empty `buf`, before anything is
    /// opened.
    pub fn open(process: Process, buf: &'b mut [u8]) -> Result<Self, Errno> {
        Ok(Self {
            lines: Lines::open(process, "net/unix", buf)?,
        })
    }

    /// Reads a Unix socket table from an open file. An empty `buf` makes
    /// the first item [`ProcError::EmptyBuffer`](super::ProcError::EmptyBuffer),
    /// and the last.
    #[must_use]
    pub fn from_fd(fd: OwnedFd, buf: &'b mut [u8]) -> Self {
        Self {
            lines: Lines::new(fd, buf),
        }
    }
}

table_entries!(UnixEntries, UnixEntry);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unnamed_and_spaces() {
        let e = UnixEntry::parse(b"00000000cc05b470: 00000003 00000000 00000000 0001 03  1458").unwrap();
        assert_eq!(e.path(), UnixAddrKind::Unnamed);
        assert_eq!(e.state, SocketState::CONNECTED);
        assert_eq!(e.tcp_state(), TcpState::Established);
        let e =
            UnixEntry::parse(b"0000000000000000: 00000002 00000000 00000000 0005 01 99 /tmp/a b ").unwrap();
        assert_eq!(e.path(), UnixAddrKind::Pathname(b"/tmp/a b "));
        assert_eq!(e.socket_type, Type::SEQPACKET);
        assert_eq!(e.tcp_state(), TcpState::Close);
    }

    #[test]
    fn name_limits() {
        let mut line = [b'x'; 64 + SUN_PATH_LEN + 1];
        let head = b"0000000000000000: 00000002 00000000 00000000 0001 01 7 ";
        line[..head.len()].copy_from_slice(head);
        let longest = &line[..head.len() + SUN_PATH_LEN];
        assert_eq!(
            UnixEntry::parse(longest).unwrap().path_bytes().len(),
            SUN_PATH_LEN
        );
        let too_long = &line[..head.len() + SUN_PATH_LEN + 1];
        assert_eq!(UnixEntry::parse(too_long), Err(Malformed { field: "Path" }));
        assert_eq!(
            UnixEntry::parse(&head[..head.len()]),
            Err(Malformed { field: "Path" })
        );
    }
}
