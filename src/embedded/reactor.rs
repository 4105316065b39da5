//! The reactor: epoll readiness turned into `Waker` calls, from a table of
//! registrations whose size the caller chooses, and [`block_on`].

use core::cell::RefCell;
use core::future::Future;
use core::pin::pin;
use core::task::{Context, Poll, Waker};
use core::time::Duration;

use rustix::fd::{AsFd, BorrowedFd};

use crate::error::Errno;
use crate::event::epoll::{Epoll, Event, Interest, Ready};

/// The token of [`block_on`]'s own eventfd in the epoll set.
const WAKE_TOKEN: u64 = u64::MAX;

/// Events taken from the kernel per `epoll_wait`.
const EVENTS: usize = 32;

/// Which way a task waits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dir {
    Read,
    Write,
}

#[derive(Debug)]
struct Slot {
    used: bool,
    read: Option<Waker>,
    write: Option<Waker>,
}

impl Slot {
    const FREE: Self = Self {
        used: false,
        read: None,
        write: None,
    };
}

#[derive(Debug)]
struct Table<const N: usize> {
    slots: [Slot; N],
    /// The waker of the `block_on` driving this reactor, if any: a wake
    /// for it is a flag, not a system call.
    local: Option<Waker>,
    local_woken: bool,
}

/// An epoll reactor with room for `N` sockets: it turns readiness into
/// wake-ups of the tasks waiting on them, and allocates nothing (the
/// table of `N` registrations, each holding at most two wakers, is part of
/// the value).
///
/// Each registered socket (an [`Async`](crate::embedded::Async)) is added
/// to the epoll set once, edge-triggered for input and output; a task that
/// gets `EAGAIN` leaves its waker in the socket's slot, and
/// [`turn`](Self::turn) wakes it when the kernel reports the edge. The
/// system call is always tried first, so no wake-up is lost to the edge
/// having passed before the waker was stored.
///
/// **What it supports.** One thread: the reactor is `Send` but not `Sync`
/// (its table is a `RefCell`), and the sockets and futures that borrow it
/// are neither, so everything using one reactor runs on the thread that
/// drives it. Any executor that runs `!Send` futures on that thread works
/// (the wakers stored are the executor's own): the executor's idle hook
/// calls [`turn`](Self::turn), or the program has no executor and uses
/// [`block_on`], which drives the reactor itself. For several threads, use
/// one reactor per thread.
///
/// ```
/// use zerosock::embedded::{Async, Reactor, block_on};
/// use zerosock::UnixStream;
/// use embedded_io_async::{Read, Write};
///
/// let reactor = Reactor::<4>::new()?;
/// let (a, b) = UnixStream::pair()?;
/// let (mut a, mut b) = (Async::new(a, &reactor)?, Async::new(b, &reactor)?);
/// let got = block_on(&reactor, async {
///     a.write_all(b"hi").await?;
///     let mut buf = [0u8; 2];
///     b.read_exact(&mut buf).await.map_err(|_| zerosock::Error::UnexpectedEof)?;
///     Ok::<_, zerosock::Error>(buf)
/// })??;
/// assert_eq!(&got, b"hi");
/// # Ok::<(), zerosock::Error>(())
/// ```
///
/// # References
/// - [epoll(7)](https://man7.org/linux/man-pages/man7/epoll.7.html)
#[derive(Debug)]
pub struct Reactor<const N: usize> {
    epoll: Epoll,
    table: RefCell<Table<N>>,
}

impl<const N: usize> Reactor<N> {
    /// A reactor with an empty table (epoll_create1(2)).
    ///
    /// # References
    /// - [epoll_create1(2)](https://man7.org/linux/man-pages/man2/epoll_create1.2.html)
    pub fn new() -> Result<Self, Errno> {
        Ok(Self {
            epoll: Epoll::new()?,
            table: RefCell::new(Table {
                slots: [const { Slot::FREE }; N],
                local: None,
                local_woken: false,
            }),
        })
    }

    /// How many sockets are registered now.
    #[must_use]
    pub fn registered(&self) -> usize {
        self.table.borrow().slots.iter().filter(|s| s.used).count()
    }

    /// Takes a free slot and adds `fd` to the epoll set with it
    /// (`EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET`). `ENOSPC` when all
    /// `N` slots are taken.
    pub(crate) fn register(&self, fd: BorrowedFd<'_>) -> Result<usize, Errno> {
        let mut table = self.table.borrow_mut();
        let index = table.slots.iter().position(|s| !s.used).ok_or(Errno::NOSPC)?;
        let interest = Interest::IN | Interest::OUT | Interest::RDHUP | Interest::ET;
        self.epoll.add(&fd, interest, index as u64)?;
        table.slots[index] = Slot {
            used: true,
            read: None,
            write: None,
        };
        Ok(index)
    }

    /// Frees `index` and removes `fd` from the epoll set; its wakers are
    /// dropped.
    pub(crate) fn deregister(&self, index: usize, fd: BorrowedFd<'_>) {
        // ENOENT/EBADF cannot happen for a registered, open fd; nothing to
        // report from a drop either way.
        let _ = self.epoll.delete(&fd);
        let old = core::mem::replace(&mut self.table.borrow_mut().slots[index], Slot::FREE);
        drop(old);
    }

    /// Leaves `waker` to be woken when slot `index` becomes ready for `dir`.
    pub(crate) fn set_waker(&self, index: usize, dir: Dir, waker: &Waker) {
        let mut table = self.table.borrow_mut();
        let slot = &mut table.slots[index];
        let place = match dir {
            Dir::Read => &mut slot.read,
            Dir::Write => &mut slot.write,
        };
        match place {
            Some(w) if w.will_wake(waker) => {}
            _ => *place = Some(waker.clone()),
        }
    }

    /// Waits for readiness (epoll_wait(2), up to `timeout`; `None` waits
    /// for ever, `Some(Duration::ZERO)` only looks) and wakes the tasks
    /// waiting on what became ready. Returns how many events the kernel
    /// reported (0 after a timeout). `EINTR` is returned as it is.
    ///
    /// This is the call an executor's idle hook makes; [`block_on`] makes
    /// it for programs without one.
    ///
    /// # References
    /// - [epoll_wait(2)](https://man7.org/linux/man-pages/man2/epoll_wait.2.html)
    pub fn turn(&self, timeout: Option<Duration>) -> Result<usize, Errno> {
        let mut events = [Event::EMPTY; EVENTS];
        let n = self.epoll.wait(&mut events, timeout)?;
        for event in &events[..n] {
            self.dispatch(event);
        }
        Ok(n)
    }

    fn dispatch(&self, event: &Event) {
        let ready = event.ready();
        let token = event.token();
        if token == WAKE_TOKEN {
            return; // block_on drains its eventfd itself
        }
        let (read, write) = {
            let mut table = self.table.borrow_mut();
            let Some(slot) = table.slots.get_mut(token as usize) else {
                return;
            };
            let closed = Ready::ERR | Ready::HUP;
            let read = if ready.intersects(Ready::IN | Ready::RDHUP | Ready::PRI | closed) {
                slot.read.take()
            } else {
                None
            };
            let write = if ready.intersects(Ready::OUT | closed) {
                slot.write.take()
            } else {
                None
            };
            (read, write)
        };
        // Woken with the table released: a waker may poll at once.
        for waker in [read, write].into_iter().flatten() {
            self.wake(waker);
        }
    }

    fn wake(&self, waker: Waker) {
        {
            let mut table = self.table.borrow_mut();
            if table.local.as_ref().is_some_and(|l| l.will_wake(&waker)) {
                table.local_woken = true;
                return;
            }
        }
        waker.wake();
    }
}

impl<const N: usize> AsFd for Reactor<N> {
    /// The epoll fd: readable when a [`turn`](Reactor::turn) would find
    /// events, so an outer loop can wait on it.
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.epoll.as_fd()
    }
}

/// Runs `future` to completion on this thread, driving `reactor`: polls the
/// future, and while it is pending parks in epoll_wait(2) on the reactor's
/// set, which also holds an eventfd the future's waker writes to — so a
/// wake from another thread (a timer thread, a channel) or from any socket
/// of the reactor resumes it. No busy waiting, no allocation.
///
/// The waker handed to the future writes to one of 64 eventfds kept for
/// the life of the process and leased to one `block_on` at a time;
/// `EAGAIN` if all 64 are in use (64 threads each in a `block_on`). A
/// wake-up of a task of this `block_on` that comes from the reactor itself
/// costs no system call.
///
/// # Errors
/// `EAGAIN` (no wake slot), or the error of epoll_ctl(2) or
/// epoll_wait(2) other than `EINTR` (which is retried).
///
/// # References
/// - [epoll_wait(2)](https://man7.org/linux/man-pages/man2/epoll_wait.2.html)
/// - [eventfd(2)](https://man7.org/linux/man-pages/man2/eventfd.2.html)
pub fn block_on<F: Future, const N: usize>(reactor: &Reactor<N>, future: F) -> Result<F::Output, Errno> {
    let lease = crate::sys::waker::WakeLease::new()?;
    let wake_fd = lease.fd();
    reactor.epoll.add(&wake_fd, Interest::IN, WAKE_TOKEN)?;
    let waker = lease.waker();
    let previous = reactor.table.borrow_mut().local.replace(waker.clone());
    let result = run(reactor, future, &waker, wake_fd);
    {
        let mut table = reactor.table.borrow_mut();
        table.local = previous;
        table.local_woken = false;
    }
    let _ = reactor.epoll.delete(&wake_fd);
    // A stale count must not wake the slot's next lessee for nothing.
    let _ = crate::sys::event::eventfd_read(wake_fd);
    result
}

fn run<F: Future, const N: usize>(
    reactor: &Reactor<N>,
    future: F,
    waker: &Waker,
    wake_fd: BorrowedFd<'static>,
) -> Result<F::Output, Errno> {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(waker);
    loop {
        reactor.table.borrow_mut().local_woken = false;
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return Ok(out);
        }
        // Park until something wakes this future.
        loop {
            let mut events = [Event::EMPTY; EVENTS];
            let n = match reactor.epoll.wait(&mut events, None) {
                Ok(n) => n,
                Err(Errno::INTR) => continue,
                Err(e) => return Err(e),
            };
            let mut woken = false;
            for event in &events[..n] {
                if event.token() == WAKE_TOKEN {
                    let _ = crate::sys::event::eventfd_read(wake_fd);
                    woken = true;
                } else {
                    reactor.dispatch(event);
                }
            }
            if woken || reactor.table.borrow().local_woken {
                break;
            }
        }
    }
}
