//! eventfd(2): a 64-bit counter behind an fd. Writing adds to it, reading
//! takes it (or, in semaphore mode, one from it); it is readable while
//! non-zero, so one thread can wake another's [`poll`](crate::poll::poll)
//! or [`Epoll::wait`](crate::event::epoll::Epoll::wait).

use core::fmt;

use linux_raw_sys::general as c;
use rustix::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};

use crate::error::Errno;
use crate::flags::c_flags;
use crate::sys;

c_flags!(
    /// How an [`EventFd`] behaves: the `flags` of eventfd(2). `EFD_CLOEXEC`
    /// is always added.
    ///
    /// ```
    /// use zerosock::event::eventfd::EventFdFlags;
    /// let flags = EventFdFlags::NONBLOCK | EventFdFlags::SEMAPHORE;
    /// assert_eq!(format!("{flags:?}"), "EFD_NONBLOCK | EFD_SEMAPHORE");
    /// ```
    ///
    /// # References
    /// - [eventfd(2)](https://man7.org/linux/man-pages/man2/eventfd.2.html)
    EventFdFlags(u32) {
        /// Reads and writes fail with `EAGAIN` instead of blocking.
        NONBLOCK = c::EFD_NONBLOCK, "EFD_NONBLOCK";
        /// A read takes 1 from the counter (and returns 1) instead of
        /// taking all of it.
        SEMAPHORE = c::EFD_SEMAPHORE, "EFD_SEMAPHORE";
    }
);

/// An eventfd: a counter for wake-ups between threads. Closed on drop;
/// always `CLOEXEC`. Share it between threads by reference (it is `Sync`:
/// the kernel serialises the counter).
///
/// ```
/// use zerosock::event::epoll::{Epoll, Event, Interest};
/// use zerosock::event::eventfd::{EventFd, EventFdFlags};
///
/// let wake = EventFd::new(0, EventFdFlags::NONBLOCK)?;
/// let epoll = Epoll::new()?;
/// epoll.add(&wake, Interest::IN, 1)?;
///
/// wake.write(1)?;              // from another thread, typically
/// wake.write(2)?;
/// let mut events = [Event::EMPTY; 4];
/// assert_eq!(epoll.wait(&mut events, None)?, 1);
/// assert_eq!(wake.read()?, 3); // takes the whole count
/// assert_eq!(wake.read(), Err(zerosock::Errno::AGAIN));
/// # Ok::<(), zerosock::Errno>(())
/// ```
///
/// # References
/// - [eventfd(2)](https://man7.org/linux/man-pages/man2/eventfd.2.html)
#[doc(alias = "eventfd")]
#[doc(alias = "eventfd2")]
pub struct EventFd {
    fd: OwnedFd,
}

impl EventFd {
    /// A new eventfd with its counter at `initval` (`eventfd2` with
    /// `EFD_CLOEXEC | flags`).
    ///
    /// # References
    /// - [eventfd(2)](https://man7.org/linux/man-pages/man2/eventfd.2.html)
    #[doc(alias = "eventfd2")]
    pub fn new(initval: u32, flags: EventFdFlags) -> Result<Self, Errno> {
        sys::event::eventfd(initval, flags.raw()).map(|fd| Self { fd })
    }

    /// Takes the counter: returns its value and sets it to 0, or in
    /// [semaphore](EventFdFlags::SEMAPHORE) mode returns 1 and takes 1 from
    /// it. While the counter is 0 it blocks, or fails with `EAGAIN` if
    /// [non-blocking](EventFdFlags::NONBLOCK). One read(2).
    ///
    /// ```
    /// use zerosock::event::eventfd::{EventFd, EventFdFlags};
    /// let sem = EventFd::new(2, EventFdFlags::SEMAPHORE | EventFdFlags::NONBLOCK)?;
    /// assert_eq!(sem.read()?, 1);
    /// assert_eq!(sem.read()?, 1);
    /// assert_eq!(sem.read(), Err(zerosock::Errno::AGAIN));
    /// # Ok::<(), zerosock::Errno>(())
    /// ```
    ///
    /// # References
    /// - [eventfd(2)](https://man7.org/linux/man-pages/man2/eventfd.2.html)
    #[doc(alias = "eventfd_read")]
    #[inline]
    pub fn read(&self) -> Result<u64, Errno> {
        sys::event::eventfd_read(self.fd.as_fd())
    }

    /// Adds `value` to the counter, waking readers. If the sum would
    /// exceed `u64::MAX - 1` it blocks, or fails with `EAGAIN` if
    /// non-blocking; `u64::MAX` itself is `EINVAL`. One write(2).
    ///
    /// ```
    /// use zerosock::event::eventfd::{EventFd, EventFdFlags};
    /// let counter = EventFd::new(0, EventFdFlags::NONBLOCK)?;
    /// counter.write(u64::MAX - 1)?;
    /// assert_eq!(counter.write(1), Err(zerosock::Errno::AGAIN));
    /// assert_eq!(counter.write(u64::MAX), Err(zerosock::Errno::INVAL));
    /// # Ok::<(), zerosock::Errno>(())
    /// ```
    ///
    /// # References
    /// - [eventfd(2)](https://man7.org/linux/man-pages/man2/eventfd.2.html)
    #[doc(alias = "eventfd_write")]
    #[inline]
    pub fn write(&self, value: u64) -> Result<(), Errno> {
        sys::event::eventfd_write(self.fd.as_fd(), value)
    }
}

impl fmt::Debug for EventFd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("EventFd").field(&self.fd.as_raw_fd()).finish()
    }
}

impl AsFd for EventFd {
    #[inline]
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

impl AsRawFd for EventFd {
    #[inline]
    fn as_raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }
}

impl From<EventFd> for OwnedFd {
    #[inline]
    fn from(eventfd: EventFd) -> Self {
        eventfd.fd
    }
}
