//! A `Waker` that needs no heap: waking writes 1 to one of a fixed set of
//! eventfds that live as long as the process, so a waker that outlives
//! whatever used it can never touch freed memory or a reused fd. Each
//! eventfd is leased to one blocking loop ([`block_on`]) at a time.
//!
//! [`block_on`]: crate::embedded::block_on

use core::ptr;
use core::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use core::task::{RawWaker, RawWakerVTable, Waker};

use linux_raw_sys::general::EFD_NONBLOCK;
use rustix::fd::{BorrowedFd, IntoRawFd};

use super::raw::Result;
use crate::error::Errno;

/// How many loops can wait at once (threads each in a `block_on`).
pub(crate) const WAKE_SLOTS: usize = 64;

/// Each slot's eventfd, created on its first lease and never closed (-1
/// before that).
static FDS: [AtomicI32; WAKE_SLOTS] = [const { AtomicI32::new(-1) }; WAKE_SLOTS];
/// Whether a slot is leased.
static LEASED: [AtomicBool; WAKE_SLOTS] = [const { AtomicBool::new(false) }; WAKE_SLOTS];

/// One leased wake slot: its eventfd, and wakers that write to it. The
/// slot is free again on drop; the eventfd stays open for the process.
#[derive(Debug)]
pub(crate) struct WakeLease {
    index: usize,
}

impl WakeLease {
    /// Leases a free slot, creating its eventfd (non-blocking, `CLOEXEC`)
    /// the first time. `EAGAIN` if all [`WAKE_SLOTS`] are leased.
    pub(crate) fn new() -> Result<Self> {
        for (index, leased) in LEASED.iter().enumerate() {
            if leased
                .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
                .is_ok()
            {
                let lease = Self { index };
                if FDS[index].load(Ordering::Acquire) < 0 {
                    // Only the lessee creates the slot's fd: no race.
                    let fd = super::event::eventfd(0, EFD_NONBLOCK)?;
                    FDS[index].store(fd.into_raw_fd(), Ordering::Release);
                }
                return Ok(lease);
            }
        }
        Err(Errno::AGAIN)
    }

    /// The slot's eventfd, open for the rest of the process.
    pub(crate) fn fd(&self) -> BorrowedFd<'static> {
        fd_of(self.index).unwrap_or_else(|| unreachable!("a leased slot has its fd"))
    }

    /// A waker that writes 1 to this slot's eventfd.
    pub(crate) fn waker(&self) -> Waker {
        // SAFETY: the vtable's functions only read the slot index from the
        // data "pointer" (never dereferenced) and write to a static fd;
        // all are thread-safe, as `Waker` requires.
        unsafe { Waker::from_raw(raw(self.index)) }
    }
}

impl Drop for WakeLease {
    fn drop(&mut self) {
        LEASED[self.index].store(false, Ordering::Release);
    }
}

fn fd_of(index: usize) -> Option<BorrowedFd<'static>> {
    let raw = FDS.get(index)?.load(Ordering::Acquire);
    // SAFETY: a slot's fd, once stored, is never closed (it was leaked with
    // `into_raw_fd`), so it is valid for `'static`.
    (raw >= 0).then(|| unsafe { BorrowedFd::borrow_raw(raw) })
}

fn raw(index: usize) -> RawWaker {
    RawWaker::new(ptr::without_provenance(index), &VTABLE)
}

static VTABLE: RawWakerVTable = RawWakerVTable::new(clone, wake, wake, drop_waker);

fn clone(data: *const ()) -> RawWaker {
    raw(data.addr())
}

fn wake(data: *const ()) {
    if let Some(fd) = fd_of(data.addr()) {
        // EAGAIN (counter at its maximum) still leaves it readable: the
        // wake-up is not lost. Nothing else can fail on an eventfd.
        let _ = super::event::eventfd_write(fd, 1);
    }
}

fn drop_waker(_: *const ()) {}
