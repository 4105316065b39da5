//! Readiness: [`poll`] over a caller's fixed array of [`PollFd`]s, and
//! [`Socket::wait`] for one socket. Both are one system call (`ppoll`, so a
//! timeout keeps its nanoseconds) and return the kernel's [`Errno`]
//! unchanged, `EINTR` included: nothing here loops.

use core::time::Duration;

pub use crate::abi::{Interest, PollFd, Ready};
use crate::error::Errno;
use crate::socket::Socket;
use crate::sys;

/// Waits until one of `fds` is ready or `timeout` passes, and returns how
/// many entries have a non-empty [`ready`](PollFd::ready) (0 after a
/// timeout). The kernel sets every entry's readiness, clearing old ones.
///
/// `None` waits forever; `Some(Duration::ZERO)` only checks. Any other
/// timeout is passed with its nanoseconds (as ppoll(2)), so it never becomes
/// zero; the kernel may wait a little longer. Seconds beyond `i64::MAX`
/// saturate, which is forever in practice.
///
/// One system call, no loop: a signal handler that runs during the wait
/// makes it return [`Errno::INTR`], which the caller retries (with the time
/// left) if it wants to.
///
/// ```
/// use zerosock::poll::{Interest, PollFd, poll};
/// use zerosock::{Domain, Protocol, Socket, Type};
/// use core::time::Duration;
///
/// let (a, _b) = Socket::pair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT)?;
/// let mut fds = [PollFd::new(&a, Interest::IN)];
/// assert_eq!(poll(&mut fds, Some(Duration::from_millis(1)))?, 0);
/// # Ok::<(), zerosock::Errno>(())
/// ```
///
/// # References
/// - [poll(2)](https://man7.org/linux/man-pages/man2/poll.2.html)
#[doc(alias = "ppoll")]
#[inline]
pub fn poll(fds: &mut [PollFd<'_>], timeout: Option<Duration>) -> Result<usize, Errno> {
    sys::ppoll(fds, timeout)
}

impl Socket {
    /// Waits until this socket is ready for `interest` or `timeout` passes
    /// ([`poll`] with one entry), returning what the kernel reported: empty
    /// after a timeout. `ERR`, `HUP` and `NVAL` are reported whatever the
    /// interest.
    ///
    /// One system call, no loop: `EINTR` is returned unchanged, as from
    /// [`poll`], whose timeout rules apply.
    ///
    /// ```
    /// use zerosock::poll::{Interest, Ready};
    /// use zerosock::{Domain, Protocol, Socket, Type};
    /// use core::time::Duration;
    ///
    /// let (a, b) = Socket::pair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT)?;
    /// assert!(a.wait(Interest::IN, Some(Duration::ZERO))?.is_empty());
    /// b.send(b"x")?;
    /// assert!(a.wait(Interest::IN, None)?.contains(Ready::IN));
    /// # Ok::<(), zerosock::Errno>(())
    /// ```
    ///
    /// # References
    /// - [poll(2)](https://man7.org/linux/man-pages/man2/poll.2.html)
    #[doc(alias = "poll")]
    pub fn wait(&self, interest: Interest, timeout: Option<Duration>) -> Result<Ready, Errno> {
        let mut fds = [PollFd::new(self, interest)];
        poll(&mut fds, timeout)?;
        Ok(fds[0].ready())
    }
}
