//! epoll(7) and eventfd(2): `epoll_create1` (always `EPOLL_CLOEXEC`),
//! `epoll_ctl`, and the waits every architecture has — `epoll_pwait2` with
//! a nanosecond timeout where the kernel has it (Linux 5.11), `epoll_pwait`
//! with milliseconds otherwise. `eventfd2` through rustix.
//!
//! `epoll_wait` itself is never used: aarch64 and riscv64 do not have it.

use core::sync::atomic::{AtomicBool, Ordering};
use core::time::Duration;

use super::raw::{Errno, Result, rx};
use linux_raw_sys::general::{
    __NR_epoll_create1, __NR_epoll_ctl, __NR_epoll_pwait, __NR_epoll_pwait2, __kernel_timespec,
    EPOLL_CLOEXEC, EPOLL_CTL_ADD, EPOLL_CTL_DEL, EPOLL_CTL_MOD,
};
use rustix::event::EventfdFlags;
use rustix::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd};

use super::raw::{check, syscall4, syscall6};
use crate::abi::event::Event;

/// Set once `epoll_pwait2` has answered `ENOSYS`: every later wait goes
/// straight to `epoll_pwait`.
static NO_PWAIT2: AtomicBool = AtomicBool::new(false);

/// epoll_create1(2) with `EPOLL_CLOEXEC`.
pub(crate) fn epoll_create1() -> Result<OwnedFd> {
    // SAFETY: epoll_create1 reads and writes no user memory.
    let fd = check(unsafe { syscall4(__NR_epoll_create1, EPOLL_CLOEXEC as usize, 0, 0, 0) })?;
    // SAFETY: on success the kernel returned a new fd that nothing else owns.
    Ok(unsafe { OwnedFd::from_raw_fd(fd as i32) })
}

/// The `op` of epoll_ctl(2).
#[derive(Clone, Copy)]
pub(crate) enum CtlOp {
    Add = EPOLL_CTL_ADD as isize,
    Mod = EPOLL_CTL_MOD as isize,
    Del = EPOLL_CTL_DEL as isize,
}

/// epoll_ctl(2). `event` is `None` only for [`CtlOp::Del`] (a null pointer,
/// which every kernel since 2.6.9 accepts).
#[inline]
pub(crate) fn epoll_ctl(
    epfd: BorrowedFd<'_>,
    op: CtlOp,
    fd: BorrowedFd<'_>,
    event: Option<&Event>,
) -> Result<()> {
    let ptr = event.map_or(0, |e| core::ptr::from_ref(e) as usize);
    // SAFETY: `Event` is `struct epoll_event`'s layout (checked at compile
    // time in src/abi/event.rs); the kernel only reads it, and it lives
    // for the call. A null pointer is only passed with EPOLL_CTL_DEL.
    check(unsafe {
        syscall4(
            __NR_epoll_ctl,
            epfd.as_raw_fd() as usize,
            op as usize,
            fd.as_raw_fd() as usize,
            ptr,
        )
    })
    .map(drop)
}

/// epoll_pwait(2) with no signal mask and a timeout in milliseconds (`-1`
/// waits forever, 0 only checks).
#[inline]
pub(crate) fn epoll_pwait(epfd: BorrowedFd<'_>, events: &mut [Event], timeout_ms: i32) -> Result<usize> {
    // The kernel refuses more than INT_MAX / sizeof(struct epoll_event).
    let max = events.len().min(i32::MAX as usize / size_of::<Event>());
    // SAFETY: `events` is writable for `max` entries of `struct epoll_event`
    // for the call; the kernel writes at most `max`. A null signal mask makes
    // the kernel ignore the mask size.
    check(unsafe {
        syscall6(
            __NR_epoll_pwait,
            epfd.as_raw_fd() as usize,
            events.as_mut_ptr() as usize,
            max,
            timeout_ms as isize as usize,
            0,
            0,
        )
    })
}

/// Waits with `epoll_pwait2` (nanoseconds) unless the kernel lacks it, in
/// which case `epoll_pwait` is used with the timeout rounded *up* to whole
/// milliseconds (so a non-zero timeout never becomes a mere check),
/// saturating at `i32::MAX` ms. The kernel's `ENOSYS` is remembered.
pub(crate) fn epoll_wait_timeout(
    epfd: BorrowedFd<'_>,
    events: &mut [Event],
    timeout: Option<Duration>,
) -> Result<usize> {
    if !NO_PWAIT2.load(Ordering::Relaxed) {
        let ts = timeout.map(|t| __kernel_timespec {
            tv_sec: i64::try_from(t.as_secs()).unwrap_or(i64::MAX),
            tv_nsec: i64::from(t.subsec_nanos()),
        });
        let ts_ptr = ts.as_ref().map_or(0, |t| core::ptr::from_ref(t) as usize);
        let max = events.len().min(i32::MAX as usize / size_of::<Event>());
        // SAFETY: as in `epoll_pwait`; the timespec, if any, lives for the
        // call and is only read by the kernel.
        let ret = check(unsafe {
            syscall6(
                __NR_epoll_pwait2,
                epfd.as_raw_fd() as usize,
                events.as_mut_ptr() as usize,
                max,
                ts_ptr,
                0,
                0,
            )
        });
        match ret {
            Err(Errno::NOSYS) => NO_PWAIT2.store(true, Ordering::Relaxed),
            other => return other,
        }
    }
    epoll_pwait(epfd, events, timeout.map_or(-1, millis_rounded_up))
}

/// A timeout in whole milliseconds, rounded up, at most `i32::MAX`.
fn millis_rounded_up(t: Duration) -> i32 {
    let ms = t.as_millis() + u128::from(!t.subsec_nanos().is_multiple_of(1_000_000));
    i32::try_from(ms).unwrap_or(i32::MAX)
}

/// Whether the kernel answered `ENOSYS` to `epoll_pwait2` (so waits use
/// `epoll_pwait`). Only known after the first wait with a timeout.
pub(crate) fn pwait2_missing() -> bool {
    NO_PWAIT2.load(Ordering::Relaxed)
}

/// eventfd2(2) with `EFD_CLOEXEC` added to `flags` (`EFD_NONBLOCK`,
/// `EFD_SEMAPHORE`).
pub(crate) fn eventfd(initval: u32, flags: u32) -> Result<OwnedFd> {
    rx(rustix::event::eventfd(
        initval,
        EventfdFlags::from_bits_retain(flags) | EventfdFlags::CLOEXEC,
    ))
}

/// read(2) of an eventfd's 8-byte counter.
#[inline]
pub(crate) fn eventfd_read(fd: BorrowedFd<'_>) -> Result<u64> {
    let mut buf = [0u8; 8];
    let n = rx(rustix::io::read(fd, &mut buf))?;
    // An eventfd always transfers exactly 8 bytes or fails.
    debug_assert_eq!(n, 8);
    Ok(u64::from_ne_bytes(buf))
}

/// write(2) of a value to add to an eventfd's counter.
#[inline]
pub(crate) fn eventfd_write(fd: BorrowedFd<'_>, value: u64) -> Result<()> {
    rx(rustix::io::write(fd, &value.to_ne_bytes())).map(drop)
}

#[cfg(test)]
mod tests {
    use super::millis_rounded_up;
    use core::time::Duration;

    #[test]
    fn rounding() {
        assert_eq!(millis_rounded_up(Duration::ZERO), 0);
        assert_eq!(millis_rounded_up(Duration::from_nanos(1)), 1);
        assert_eq!(millis_rounded_up(Duration::from_millis(5)), 5);
        assert_eq!(millis_rounded_up(Duration::from_micros(5001)), 6);
        assert_eq!(millis_rounded_up(Duration::from_secs(u64::MAX)), i32::MAX);
    }
}
