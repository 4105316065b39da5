//! `CLOCK_MONOTONIC` through the clock_gettime(2) system call itself, not
//! the vDSO: for the resolver's deadlines, where a system call per read is
//! nothing beside a network round trip, and where a program must also run
//! under valgrind (rustix's vDSO lookup reads pages valgrind does not map,
//! and the process dies with SIGSEGV there).

use core::time::Duration;

use linux_raw_sys::general as nr;

use super::raw::{check, syscall4};

// 32-bit targets: the time64 call, which writes the 64-bit
// `__kernel_timespec` (the original `clock_gettime` there writes a 32-bit
// one).
#[cfg(target_pointer_width = "64")]
use linux_raw_sys::general::__NR_clock_gettime;
#[cfg(target_pointer_width = "32")]
use linux_raw_sys::general::__NR_clock_gettime64 as __NR_clock_gettime;

/// `CLOCK_MONOTONIC` now, as time since an arbitrary start.
pub(crate) fn monotonic_now_syscall() -> Duration {
    let mut ts = nr::__kernel_timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a writable `struct __kernel_timespec` for the duration
    // of the call, which writes exactly one.
    let r = check(unsafe {
        syscall4(
            __NR_clock_gettime,
            nr::CLOCK_MONOTONIC as usize,
            core::ptr::addr_of_mut!(ts) as usize,
            0,
            0,
        )
    });
    match r {
        Ok(_) => Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32),
        // CLOCK_MONOTONIC always exists; fall back on the vDSO path.
        Err(_) => super::time::monotonic_now(),
    }
}
