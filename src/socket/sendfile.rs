//! sendfile(2): a file's bytes to a socket without passing through user
//! space.

use rustix::fd::AsFd;

use crate::error::Errno;
use crate::socket::Socket;
use crate::sys;

impl Socket {
    /// Sends up to `count` bytes of `file` to this socket inside the kernel,
    /// and returns how many were sent (0 at the file's end). With
    /// `offset`, reads from `*offset` and advances it, leaving the file's
    /// own offset alone; without, reads from and advances the file offset.
    ///
    /// One system call, no loop: a non-blocking socket whose send buffer is
    /// full gives `EAGAIN`, and a short count is normal. Sending to a reset
    /// peer gives `EPIPE`; note that sendfile(2) has no `MSG_NOSIGNAL`, so
    /// a process that has not ignored `SIGPIPE` would receive it (Rust's
    /// std runtime ignores it; a `no_std` program must do so itself).
    ///
    /// ```
    /// # #[cfg(feature = "std")] { // std's File is an `AsFd` with the std feature
    /// use zerosock::{Domain, Protocol, Socket, Type};
    /// let (a, b) = Socket::pair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT)?;
    /// let file = std::fs::File::open("Cargo.toml").unwrap();
    /// let mut offset = 0u64;
    /// let n = a.sendfile(&file, Some(&mut offset), 9)?;
    /// assert_eq!((n, offset), (9, 9));
    /// let mut buf = [0u8; 9];
    /// b.recv(&mut buf)?;
    /// assert_eq!(&buf, b"[package]");
    /// # }
    /// # Ok::<(), zerosock::Errno>(())
    /// ```
    ///
    /// # References
    /// - [sendfile(2)](https://man7.org/linux/man-pages/man2/sendfile.2.html)
    #[doc(alias = "sendfile64")]
    #[inline]
    pub fn sendfile(&self, file: &impl AsFd, offset: Option<&mut u64>, count: usize) -> Result<usize, Errno> {
        sys::sendfile::sendfile(self.as_fd(), file.as_fd(), offset, count)
    }
}
