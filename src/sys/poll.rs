//! poll(2), issued as `ppoll` so the timeout keeps its nanoseconds.

use core::time::Duration;

// 32-bit targets: the time64 call, whose timespec is the 64-bit
// `__kernel_timespec` (the original `ppoll` there takes a 32-bit one).
#[cfg(target_pointer_width = "64")]
use linux_raw_sys::general::__NR_ppoll;
#[cfg(target_pointer_width = "32")]
use linux_raw_sys::general::__NR_ppoll_time64 as __NR_ppoll;
use linux_raw_sys::general::__kernel_timespec;

use super::raw::{Result, check, syscall4};
use crate::abi::PollFd;

/// ppoll(2) over `fds` with no signal mask: `None` waits forever, `Some`
/// waits at most that long (seconds beyond `i64::MAX` saturate).
#[inline]
pub(crate) fn ppoll(fds: &mut [PollFd<'_>], timeout: Option<Duration>) -> Result<usize> {
    // The kernel writes the time left back into the timespec, so it must be
    // ours and writable.
    let mut ts = __kernel_timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    let ts_ptr = match timeout {
        None => 0,
        Some(timeout) => {
            ts.tv_sec = i64::try_from(timeout.as_secs()).unwrap_or(i64::MAX);
            ts.tv_nsec = i64::from(timeout.subsec_nanos());
            &raw mut ts as usize
        }
    };
    // SAFETY: `PollFd` is `#[repr(C)]` with `struct pollfd`'s layout (checked
    // at compile time in src/abi); the slice is readable and writable for
    // its length and the timespec is live and writable for the call. A null
    // signal mask makes the kernel ignore the mask size, so it is left out.
    check(unsafe { syscall4(__NR_ppoll, fds.as_mut_ptr() as usize, fds.len(), ts_ptr, 0) })
}
