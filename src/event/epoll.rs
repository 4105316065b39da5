//! epoll(7): an interest list kept in the kernel, and a wait that returns
//! only the fds that are ready, each with the 64-bit token it was added
//! with. Events land in a caller-provided array; nothing is allocated.
//!
//! Every call is one system call returning the kernel's [`Errno`]
//! unchanged, `EINTR` included: nothing here loops.

use core::fmt;
use core::time::Duration;

use linux_raw_sys::general as c;
use rustix::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};

use crate::error::Errno;
use crate::flags::c_flags;
use crate::sys;
use crate::sys::event::CtlOp;

c_flags!(
    /// What to wait for on one fd, and how: the `events` given to
    /// `epoll_ctl`.
    ///
    /// `EPOLLERR` and `EPOLLHUP` are not here because the kernel always
    /// reports them; they are in [`Ready`].
    ///
    /// ```
    /// use zerosock::event::epoll::Interest;
    /// let interest = Interest::IN | Interest::RDHUP | Interest::ET;
    /// assert_eq!(format!("{interest:?}"), "EPOLLIN | EPOLLRDHUP | EPOLLET");
    /// ```
    ///
    /// # References
    /// - [epoll_ctl(2)](https://man7.org/linux/man-pages/man2/epoll_ctl.2.html)
    Interest(u32) {
        /// Readable: data to read, a connection to accept, or end of stream.
        IN = c::EPOLLIN, "EPOLLIN";
        /// Writable: writing will not block.
        OUT = c::EPOLLOUT, "EPOLLOUT";
        /// The peer shut down its writing half (stream sockets).
        RDHUP = c::EPOLLRDHUP, "EPOLLRDHUP";
        /// Urgent data: TCP out-of-band data, or an exceptional condition.
        PRI = c::EPOLLPRI, "EPOLLPRI";
        /// Edge-triggered: report a change of readiness once, rather than
        /// for as long as the fd stays ready. The caller then reads or
        /// writes until `EAGAIN` before waiting again.
        ET = c::EPOLLET, "EPOLLET";
        /// Report one event, then disable the fd until it is
        /// [modified](Epoll::modify) again.
        ONESHOT = c::EPOLLONESHOT, "EPOLLONESHOT";
        /// When several epoll instances wait on the same fd, wake only one
        /// (or a few) of them. Only with [`Epoll::add`].
        EXCLUSIVE = c::EPOLLEXCLUSIVE, "EPOLLEXCLUSIVE";
        /// Keep the system from suspending while the event is pending
        /// (needs `CAP_BLOCK_SUSPEND`; silently ignored without it).
        WAKEUP = c::EPOLLWAKEUP, "EPOLLWAKEUP";
    }
);

c_flags!(
    /// What the kernel reported for one fd: the `events` of a returned
    /// `struct epoll_event`.
    ///
    /// ```
    /// use zerosock::event::epoll::Ready;
    /// let ready = Ready::from_raw(0x2011);
    /// assert_eq!(format!("{ready:?}"), "EPOLLIN | EPOLLHUP | EPOLLRDHUP");
    /// assert!(ready.intersects(Ready::ERR | Ready::HUP));
    /// ```
    ///
    /// # References
    /// - [epoll_wait(2)](https://man7.org/linux/man-pages/man2/epoll_wait.2.html)
    Ready(u32) {
        /// Data to read, a connection to accept, or end of stream.
        IN = c::EPOLLIN, "EPOLLIN";
        /// Urgent data.
        PRI = c::EPOLLPRI, "EPOLLPRI";
        /// Writing will not block.
        OUT = c::EPOLLOUT, "EPOLLOUT";
        /// An error is pending; reported whether asked for or not.
        ERR = c::EPOLLERR, "EPOLLERR";
        /// Hang-up (both directions shut down, or a reset); reported whether
        /// asked for or not.
        HUP = c::EPOLLHUP, "EPOLLHUP";
        /// The peer shut down its writing half (if asked for).
        RDHUP = c::EPOLLRDHUP, "EPOLLRDHUP";
        /// Normal data to read.
        RDNORM = c::EPOLLRDNORM, "EPOLLRDNORM";
        /// Priority-band data to read.
        RDBAND = c::EPOLLRDBAND, "EPOLLRDBAND";
        /// Normal data can be written.
        WRNORM = c::EPOLLWRNORM, "EPOLLWRNORM";
        /// Priority-band data can be written.
        WRBAND = c::EPOLLWRBAND, "EPOLLWRBAND";
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

pub use crate::abi::event::Event;

impl Event {
    /// An entry with nothing ready and token 0, to fill an array with.
    pub const EMPTY: Self = Self { events: 0, data: 0 };

    /// An entry as the kernel would write it (for tests and for code that
    /// routes events itself).
    #[inline]
    #[must_use]
    pub const fn new(ready: Ready, token: u64) -> Self {
        Self {
            events: ready.raw(),
            data: token,
        }
    }

    /// What the kernel reported.
    #[inline]
    #[must_use]
    pub const fn ready(&self) -> Ready {
        Ready::from_raw(self.events)
    }

    /// The token the fd was added (or last modified) with.
    #[inline]
    #[must_use]
    pub const fn token(&self) -> u64 {
        self.data
    }
}

impl fmt::Debug for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Event")
            .field("ready", &self.ready())
            .field("token", &self.token())
            .finish()
    }
}

/// An epoll instance: a kernel interest list of fds, each with an
/// [`Interest`] and a 64-bit token, and a [wait](Self::wait) that reports
/// the ready ones. Closed on drop; always `CLOEXEC`.
///
/// The instance does not own the fds it watches. Closing an fd removes it
/// from the list only once every duplicate of it is closed, so delete an fd
/// before closing it if it may have been duplicated (or passed to a child).
///
/// ```
/// use zerosock::event::epoll::{Epoll, Event, Interest, Ready};
/// use zerosock::{Domain, Protocol, Socket, Type};
/// use core::time::Duration;
///
/// let (a, b) = Socket::pair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT)?;
/// let epoll = Epoll::new()?;
/// epoll.add(&a, Interest::IN, 7)?;
///
/// let mut events = [Event::EMPTY; 8];
/// assert_eq!(epoll.wait(&mut events, Some(Duration::ZERO))?, 0);
/// b.send(b"x")?;
/// let n = epoll.wait(&mut events, Some(Duration::from_secs(5)))?;
/// assert_eq!(n, 1);
/// assert_eq!(events[0].token(), 7);
/// assert!(events[0].ready().contains(Ready::IN));
/// # Ok::<(), zerosock::Errno>(())
/// ```
///
/// # References
/// - [epoll(7)](https://man7.org/linux/man-pages/man7/epoll.7.html)
#[doc(alias = "epoll")]
pub struct Epoll {
    fd: OwnedFd,
}

impl Epoll {
    /// A new, empty epoll instance (`epoll_create1(EPOLL_CLOEXEC)`).
    ///
    /// # References
    /// - [epoll_create1(2)](https://man7.org/linux/man-pages/man2/epoll_create1.2.html)
    #[doc(alias = "epoll_create1")]
    #[doc(alias = "epoll_create")]
    pub fn new() -> Result<Self, Errno> {
        sys::event::epoll_create1().map(|fd| Self { fd })
    }

    /// Adds `fd` to the interest list with `interest` and `token`
    /// (`EPOLL_CTL_ADD`). `EEXIST` if it is already there.
    ///
    /// ```
    /// use zerosock::event::epoll::{Epoll, Interest};
    /// use zerosock::{Errno, TcpListener};
    /// use core::net::Ipv4Addr;
    ///
    /// let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    /// let epoll = Epoll::new()?;
    /// epoll.add(&listener, Interest::IN | Interest::EXCLUSIVE, 0)?;
    /// assert_eq!(epoll.add(&listener, Interest::IN, 0), Err(Errno::EXIST));
    /// # Ok::<(), zerosock::Errno>(())
    /// ```
    ///
    /// # References
    /// - [epoll_ctl(2)](https://man7.org/linux/man-pages/man2/epoll_ctl.2.html)
    #[doc(alias = "epoll_ctl")]
    #[doc(alias = "EPOLL_CTL_ADD")]
    #[inline]
    pub fn add(&self, fd: &impl AsFd, interest: Interest, token: u64) -> Result<(), Errno> {
        self.ctl(CtlOp::Add, fd.as_fd(), interest, token)
    }

    /// Changes the interest and token of an `fd` already in the list
    /// (`EPOLL_CTL_MOD`); this also re-arms a [`Interest::ONESHOT`] fd.
    /// `ENOENT` if it is not there.
    ///
    /// # References
    /// - [epoll_ctl(2)](https://man7.org/linux/man-pages/man2/epoll_ctl.2.html)
    #[doc(alias = "EPOLL_CTL_MOD")]
    #[inline]
    pub fn modify(&self, fd: &impl AsFd, interest: Interest, token: u64) -> Result<(), Errno> {
        self.ctl(CtlOp::Mod, fd.as_fd(), interest, token)
    }

    /// Removes `fd` from the interest list (`EPOLL_CTL_DEL`). `ENOENT` if
    /// it is not there.
    ///
    /// # References
    /// - [epoll_ctl(2)](https://man7.org/linux/man-pages/man2/epoll_ctl.2.html)
    #[doc(alias = "EPOLL_CTL_DEL")]
    #[inline]
    pub fn delete(&self, fd: &impl AsFd) -> Result<(), Errno> {
        sys::event::epoll_ctl(self.fd.as_fd(), CtlOp::Del, fd.as_fd(), None)
    }

    #[inline]
    fn ctl(&self, op: CtlOp, fd: BorrowedFd<'_>, interest: Interest, token: u64) -> Result<(), Errno> {
        let event = Event {
            events: interest.raw(),
            data: token,
        };
        sys::event::epoll_ctl(self.fd.as_fd(), op, fd, Some(&event))
    }

    /// Waits until at least one fd in the list is ready or `timeout`
    /// passes, writes up to `events.len()` ready fds to the front of
    /// `events`, and returns how many (0 after a timeout).
    ///
    /// `None` waits forever; `Some(Duration::ZERO)` only checks. The wait
    /// is `epoll_pwait2`, whose timeout keeps its nanoseconds; on kernels
    /// older than 5.11 (`ENOSYS`, remembered after the first time) it is
    /// `epoll_pwait` with the timeout rounded up to whole milliseconds, at
    /// most `i32::MAX` of them. An empty `events` gives `EINVAL`.
    ///
    /// One system call, no loop: a signal handler that runs during the
    /// wait makes it return [`Errno::INTR`] (whatever `SA_RESTART` says),
    /// which the caller retries with the time left if it wants to.
    ///
    /// # References
    /// - [epoll_wait(2)](https://man7.org/linux/man-pages/man2/epoll_wait.2.html)
    #[doc(alias = "epoll_pwait2")]
    #[doc(alias = "epoll_wait")]
    #[inline]
    pub fn wait(&self, events: &mut [Event], timeout: Option<Duration>) -> Result<usize, Errno> {
        sys::event::epoll_wait_timeout(self.fd.as_fd(), events, timeout)
    }

    /// [`wait`](Self::wait) with C's millisecond timeout: `-1` waits
    /// forever, 0 only checks. Always `epoll_pwait` (with no signal mask),
    /// the call every architecture and kernel has.
    ///
    /// ```
    /// use zerosock::event::epoll::{Epoll, Event};
    /// let epoll = Epoll::new()?;
    /// let mut events = [Event::EMPTY; 4];
    /// assert_eq!(epoll.wait_ms(&mut events, 1)?, 0);
    /// # Ok::<(), zerosock::Errno>(())
    /// ```
    ///
    /// # References
    /// - [epoll_pwait(2)](https://man7.org/linux/man-pages/man2/epoll_pwait.2.html)
    #[doc(alias = "epoll_pwait")]
    #[inline]
    pub fn wait_ms(&self, events: &mut [Event], timeout_ms: i32) -> Result<usize, Errno> {
        sys::event::epoll_pwait(self.fd.as_fd(), events, timeout_ms)
    }

    /// Whether [`wait`](Self::wait) has found the kernel without
    /// `epoll_pwait2` and now uses `epoll_pwait` (known only after a wait).
    #[must_use]
    pub fn uses_pwait_fallback() -> bool {
        sys::event::pwait2_missing()
    }
}

impl fmt::Debug for Epoll {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Epoll").field(&self.fd.as_raw_fd()).finish()
    }
}

impl AsFd for Epoll {
    #[inline]
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

impl AsRawFd for Epoll {
    #[inline]
    fn as_raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }
}

impl From<Epoll> for OwnedFd {
    #[inline]
    fn from(epoll: Epoll) -> Self {
        epoll.fd
    }
}
