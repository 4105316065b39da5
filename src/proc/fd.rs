//! From a socket to its inode and back: `fstat` gives an fd's inode, and the
//! links in `/proc/<pid>/fd` (`socket:[inode]`) give the fds that hold a
//! socket, so a line of a table can be traced to the fd that owns it.

use core::ffi::CStr;
use core::fmt;

use rustix::fd::{AsFd, OwnedFd, RawFd};

use super::reader::Process;
use crate::error::Errno;
use crate::sys;

/// The inode of any fd (fstat(2) `st_ino`). For a socket it is the number
/// in the `inode` column of `/proc/net/*` and in `socket:[inode]`; it works
/// on zerosock's sockets, std's, or any other fd.
///
/// ```
/// use zerosock::{Domain, Protocol, Socket, Type};
/// let socket = Socket::new(Domain::INET, Type::DGRAM, Protocol::UDP)?;
/// assert_eq!(zerosock::proc::inode(&socket)?, socket.inode()?);
/// # Ok::<(), zerosock::Errno>(())
/// ```
///
/// # References
/// - [fstat(2)](https://man7.org/linux/man-pages/man2/fstat.2.html)
#[doc(alias = "st_ino")]
pub fn inode(fd: impl AsFd) -> Result<u64, Errno> {
    sys::fs::fstat_ino(fd.as_fd())
}

impl crate::Socket {
    /// The socket's inode (fstat(2) `st_ino`): the `inode` column of
    /// `/proc/net/tcp` and friends, and the number in the `socket:[inode]`
    /// link of `/proc/<pid>/fd/<fd>`. See [`proc`](crate::proc).
    ///
    /// ```
    /// use zerosock::{Domain, Protocol, Socket, Type};
    /// let socket = Socket::new(Domain::INET, Type::STREAM, Protocol::TCP)?;
    /// assert_ne!(socket.inode()?, 0);
    /// # Ok::<(), zerosock::Errno>(())
    /// ```
    ///
    /// # References
    /// - [fstat(2)](https://man7.org/linux/man-pages/man2/fstat.2.html)
    /// - [proc_pid_net(5)](https://man7.org/linux/man-pages/man5/proc_pid_net.5.html)
    #[doc(alias = "st_ino")]
    pub fn inode(&self) -> Result<u64, Errno> {
        inode(self)
    }
}

/// One socket fd of a process: the fd number and the socket's inode, from
/// the link `/proc/<pid>/fd/<fd> -> socket:[inode]`.
///
/// ```
/// use zerosock::proc::SocketFd;
/// let s = SocketFd { fd: 3, inode: 20443 };
/// assert_eq!(s.fd, 3);
/// ```
///
/// # References
/// - [proc_pid_fd(5)](https://man7.org/linux/man-pages/man5/proc_pid_fd.5.html)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SocketFd {
    /// The fd number in the process.
    pub fd: RawFd,
    /// The socket's inode.
    pub inode: u64,
}

/// The socket fds of a process, read from `/proc/<pid>/fd` with
/// getdents64(2) into a borrowed buffer and readlinkat(2) into a small one
/// on the stack; fds that are not sockets are passed over.
///
/// An fd closed while the directory is read is passed over too; another
/// process's fds need the right to read them (same user, or
/// `CAP_SYS_PTRACE`), else opening fails with `EACCES` or the links with
/// `EACCES`/`EPERM`. The buffer must hold one directory record: 32 bytes
/// do for `/proc/<pid>/fd` (a record is 24 or 32 bytes), 1024 read 32 or
/// more fds per getdents64 call; too small is the kernel's `EINVAL`.
///
/// ```
/// use zerosock::proc::{Process, SocketFds};
/// use zerosock::{Domain, Protocol, Socket, Type};
/// use zerosock::fd::AsRawFd;
///
/// let socket = Socket::new(Domain::INET, Type::DGRAM, Protocol::UDP)?;
/// let mut buf = [0u8; 1024];
/// let mut fds = SocketFds::open(zerosock::proc::Process::Current, &mut buf)?;
/// assert!(fds.any(|s| s.map(|s| s.fd) == Ok(socket.as_raw_fd())));
/// # Ok::<(), zerosock::Errno>(())
/// ```
///
/// # References
/// - [proc_pid_fd(5)](https://man7.org/linux/man-pages/man5/proc_pid_fd.5.html)
/// - [getdents64(2)](https://man7.org/linux/man-pages/man2/getdents64.2.html)
/// - [readlinkat(2)](https://man7.org/linux/man-pages/man2/readlinkat.2.html)
pub struct SocketFds<'b> {
    dir: OwnedFd,
    buf: &'b mut [u8],
    /// The next record in `buf`.
    pos: usize,
    /// The end of the records in `buf`.
    len: usize,
    /// The directory is read to its end, or a read failed.
    done: bool,
}

/// `offsetof(struct linux_dirent64, d_name)`.
const D_NAME: usize = 19;
/// `offsetof(struct linux_dirent64, d_reclen)`.
const D_RECLEN: usize = 16;

impl<'b> SocketFds<'b> {
    /// Opens `/proc/<self|pid>/fd` to list its sockets through `buf`.
    ///
    /// # Errors
    /// open(2)'s error: `ENOENT` for no such process, `EACCES` for one
    /// that is not yours.
    pub fn open(process: Process, buf: &'b mut [u8]) -> Result<Self, Errno> {
        Ok(Self {
            dir: process.open_dir("fd")?,
            buf,
            pos: 0,
            len: 0,
            done: false,
        })
    }
}

impl Iterator for SocketFds<'_> {
    type Item = Result<SocketFd, Errno>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.pos >= self.len {
                if self.done {
                    return None;
                }
                match sys::fs::getdents64(self.dir.as_fd(), self.buf) {
                    Ok(0) => {
                        self.done = true;
                        return None;
                    }
                    Ok(n) => {
                        self.len = n.min(self.buf.len());
                        self.pos = 0;
                    }
                    Err(Errno::INTR) => continue,
                    Err(errno) => {
                        self.done = true;
                        return Some(Err(errno));
                    }
                }
            }
            let record = &self.buf[self.pos..self.len];
            let reclen = match record.get(D_RECLEN..D_RECLEN + 2) {
                Some(&[lo, hi]) => usize::from(u16::from_ne_bytes([lo, hi])),
                _ => 0,
            };
            if reclen <= D_NAME || reclen > record.len() {
                // Not a record the kernel writes; stop rather than guess.
                self.done = true;
                self.pos = self.len;
                return Some(Err(Errno::IO));
            }
            self.pos += reclen;
            let Ok(name) = CStr::from_bytes_until_nul(&record[D_NAME..reclen]) else {
                continue;
            };
            let Some(fd) = parse_fd(name.to_bytes()) else {
                continue; // "." and ".."
            };
            // "socket:[18446744073709551615]" is 29 bytes; a longer link is
            // not a socket.
            let mut link = [0u8; 32];
            match sys::fs::readlinkat(self.dir.as_fd(), name, &mut link) {
                Ok(n) if n < link.len() => {
                    if let Some(inode) = socket_inode(&link[..n]) {
                        return Some(Ok(SocketFd { fd, inode }));
                    }
                }
                Ok(_) | Err(Errno::NOENT) => {}
                Err(errno) => return Some(Err(errno)),
            }
        }
    }
}

impl fmt::Debug for SocketFds<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SocketFds")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

/// A directory entry's name as an fd number.
fn parse_fd(name: &[u8]) -> Option<RawFd> {
    if name.is_empty() || name.len() > 10 {
        return None;
    }
    let mut fd: RawFd = 0;
    for &b in name {
        if !b.is_ascii_digit() {
            return None;
        }
        fd = fd.checked_mul(10)?.checked_add(RawFd::from(b - b'0'))?;
    }
    Some(fd)
}

/// The inode in a link target `socket:[inode]`.
fn socket_inode(link: &[u8]) -> Option<u64> {
    let digits = link.strip_prefix(b"socket:[")?.strip_suffix(b"]")?;
    if digits.is_empty() || digits.len() > 20 {
        return None;
    }
    let mut inode = 0u64;
    for &b in digits {
        if !b.is_ascii_digit() {
            return None;
        }
        inode = inode.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
    }
    Some(inode)
}

/// The fd of `process` that holds the socket with this inode, if any (the
/// first found, when several share it after a `dup`).
///
/// ```
/// use zerosock::proc::{find_fd, Process};
/// use zerosock::{Domain, Protocol, Socket, Type};
/// use zerosock::fd::AsRawFd;
///
/// let socket = Socket::new(Domain::INET6, Type::STREAM, Protocol::TCP)?;
/// let mut buf = [0u8; 1024];
/// let fd = find_fd(Process::Current, socket.inode()?, &mut buf)?;
/// assert_eq!(fd, Some(socket.as_raw_fd()));
/// # Ok::<(), zerosock::Errno>(())
/// ```
///
/// # Errors
/// As [`SocketFds`]: opening or reading `/proc/<pid>/fd` failed.
///
/// # References
/// - [proc_pid_fd(5)](https://man7.org/linux/man-pages/man5/proc_pid_fd.5.html)
#[doc(alias = "socket:[inode]")]
pub fn find_fd(process: Process, inode: u64, buf: &mut [u8]) -> Result<Option<RawFd>, Errno> {
    for socket in SocketFds::open(process, buf)? {
        let socket = socket?;
        if socket.inode == inode {
            return Ok(Some(socket.fd));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links() {
        assert_eq!(socket_inode(b"socket:[20443]"), Some(20443));
        assert_eq!(socket_inode(b"socket:[18446744073709551615]"), Some(u64::MAX));
        assert_eq!(socket_inode(b"socket:[18446744073709551616]"), None);
        assert_eq!(socket_inode(b"socket:[]"), None);
        assert_eq!(socket_inode(b"pipe:[20443]"), None);
        assert_eq!(socket_inode(b"socket:[1x]"), None);
        assert_eq!(parse_fd(b"2147483647"), Some(i32::MAX));
        assert_eq!(parse_fd(b"2147483648"), None);
        assert_eq!(parse_fd(b".."), None);
    }
}
