//! `struct pollfd` as the kernel reads it, and its `events`/`revents` bits.

use core::fmt;
use core::marker::PhantomData;

use linux_raw_sys::general as c;
use rustix::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};

use crate::flags::c_flags;

c_flags!(
    /// The events to wait for: the `events` of a `struct pollfd`.
    ///
    /// `POLLERR`, `POLLHUP` and `POLLNVAL` are not here because the kernel
    /// always reports them; they are in [`Ready`].
    ///
    /// ```
    /// use zerosock::poll::Interest;
    /// let interest = Interest::IN | Interest::RDHUP;
    /// assert_eq!(format!("{interest:?}"), "POLLIN | POLLRDHUP");
    /// ```
    ///
    /// # References
    /// - [poll(2)](https://man7.org/linux/man-pages/man2/poll.2.html)
    Interest(u16) {
        /// Data to read (or a connection to accept).
        IN = c::POLLIN, "POLLIN";
        /// Urgent data: TCP out-of-band data, or an exceptional condition.
        PRI = c::POLLPRI, "POLLPRI";
        /// Writing will not block (there is room in the send buffer).
        OUT = c::POLLOUT, "POLLOUT";
        /// The peer shut down its writing half (stream sockets).
        RDHUP = c::POLLRDHUP, "POLLRDHUP";
        /// Normal data to read (on sockets, the same as `POLLIN`).
        RDNORM = c::POLLRDNORM, "POLLRDNORM";
        /// Priority-band data to read.
        RDBAND = c::POLLRDBAND, "POLLRDBAND";
        /// Normal data can be written (on sockets, the same as `POLLOUT`).
        WRNORM = c::POLLWRNORM, "POLLWRNORM";
        /// Priority-band data can be written.
        WRBAND = c::POLLWRBAND, "POLLWRBAND";
    }
);

c_flags!(
    /// What the kernel reported: the `revents` of a `struct pollfd`. Empty
    /// after a timeout.
    ///
    /// ```
    /// use zerosock::poll::Ready;
    /// let ready = Ready::from_raw(0x11);
    /// assert_eq!(format!("{ready:?}"), "POLLIN | POLLHUP");
    /// assert!(ready.contains(Ready::HUP));
    /// assert!(ready.intersects(Ready::ERR | Ready::HUP));
    /// ```
    ///
    /// # References
    /// - [poll(2)](https://man7.org/linux/man-pages/man2/poll.2.html)
    Ready(u16) {
        /// Data to read, a connection to accept, or end of stream.
        IN = c::POLLIN, "POLLIN";
        /// Urgent data: TCP out-of-band data, or an exceptional condition.
        PRI = c::POLLPRI, "POLLPRI";
        /// Writing will not block.
        OUT = c::POLLOUT, "POLLOUT";
        /// An error is pending (read it with `SO_ERROR`, or from the next
        /// call); reported whether asked for or not.
        ERR = c::POLLERR, "POLLERR";
        /// Hang-up: both directions are shut down or the connection was
        /// reset; reported whether asked for or not.
        HUP = c::POLLHUP, "POLLHUP";
        /// The fd is not open; reported whether asked for or not.
        NVAL = c::POLLNVAL, "POLLNVAL";
        /// The peer shut down its writing half (if asked for).
        RDHUP = c::POLLRDHUP, "POLLRDHUP";
        /// Normal data to read.
        RDNORM = c::POLLRDNORM, "POLLRDNORM";
        /// Priority-band data to read.
        RDBAND = c::POLLRDBAND, "POLLRDBAND";
        /// Normal data can be written.
        WRNORM = c::POLLWRNORM, "POLLWRNORM";
        /// Priority-band data can be written.
        WRBAND = c::POLLWRBAND, "POLLWRBAND";
    }
);

impl Ready {
    /// Whether any bit of `other` is set.
    #[inline]
    #[must_use]
    pub const fn intersects(self, other: Self) -> bool {
        self.0 & other.0 != 0
    }
}

/// One entry of the array [`poll`](crate::poll::poll) waits on: `struct pollfd`, laid out as
/// the kernel reads it, borrowing its fd for `'fd`.
///
/// An entry can be [`PollFd::UNUSED`] (fd `-1`): the kernel skips it and
/// reports nothing, so a fixed table can keep one slot per connection.
///
/// ```
/// use zerosock::poll::{Interest, PollFd, Ready, poll};
/// use zerosock::{Domain, Protocol, Socket, Type};
/// use core::time::Duration;
///
/// let (a, b) = Socket::pair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT)?;
/// a.send(b"x")?;
/// let mut fds = [PollFd::new(&a, Interest::IN), PollFd::new(&b, Interest::IN), PollFd::UNUSED];
/// assert_eq!(poll(&mut fds, Some(Duration::ZERO))?, 1);
/// assert!(fds[0].ready().is_empty());
/// assert!(fds[1].ready().contains(Ready::IN));
/// # Ok::<(), zerosock::Errno>(())
/// ```
///
/// # References
/// - [poll(2)](https://man7.org/linux/man-pages/man2/poll.2.html)
#[doc(alias = "pollfd")]
#[derive(Clone, Copy)]
#[repr(C)]
pub struct PollFd<'fd> {
    fd: RawFd,
    events: u16,
    revents: u16,
    borrow: PhantomData<BorrowedFd<'fd>>,
}

// `struct pollfd { int fd; short events; short revents; }`.
const _: () = {
    assert!(size_of::<PollFd<'_>>() == 8);
    assert!(align_of::<PollFd<'_>>() == 4);
    assert!(core::mem::offset_of!(PollFd<'_>, fd) == 0);
    assert!(core::mem::offset_of!(PollFd<'_>, events) == 4);
    assert!(core::mem::offset_of!(PollFd<'_>, revents) == 6);
};

impl<'fd> PollFd<'fd> {
    /// An entry the kernel skips (fd `-1`, no events); its readiness is
    /// always empty.
    pub const UNUSED: Self = Self {
        fd: -1,
        events: 0,
        revents: 0,
        borrow: PhantomData,
    };

    /// An entry waiting for `interest` on `fd`.
    #[inline]
    pub fn new(fd: &'fd impl AsFd, interest: Interest) -> Self {
        Self::from_borrowed_fd(fd.as_fd(), interest)
    }

    /// An entry waiting for `interest` on a borrowed fd.
    #[inline]
    #[must_use]
    pub fn from_borrowed_fd(fd: BorrowedFd<'fd>, interest: Interest) -> Self {
        Self {
            fd: fd.as_raw_fd(),
            events: interest.raw(),
            revents: 0,
            borrow: PhantomData,
        }
    }

    /// Points the entry at another fd, keeping its interest.
    #[inline]
    pub fn set_fd(&mut self, fd: &'fd impl AsFd) {
        self.fd = fd.as_fd().as_raw_fd();
    }

    /// The fd, or `-1` for an [unused](Self::UNUSED) entry.
    #[inline]
    #[must_use]
    pub fn raw_fd(&self) -> RawFd {
        self.fd
    }

    /// The events asked for (`events`).
    #[inline]
    #[must_use]
    pub fn interest(&self) -> Interest {
        Interest::from_raw(self.events)
    }

    /// Changes the events asked for.
    #[inline]
    pub fn set_interest(&mut self, interest: Interest) {
        self.events = interest.raw();
    }

    /// What the last [`poll`](crate::poll::poll) reported for this entry (`revents`).
    #[inline]
    #[must_use]
    pub fn ready(&self) -> Ready {
        Ready::from_raw(self.revents)
    }
}

impl fmt::Debug for PollFd<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PollFd")
            .field("fd", &self.fd)
            .field("events", &self.interest())
            .field("revents", &self.ready())
            .finish()
    }
}
