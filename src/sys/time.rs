//! The monotonic clock and sleeping on it, for the conveniences that wait
//! (`connect_timeout`'s deadline, connect retry's back-off).

use core::time::Duration;

use rustix::thread::{ClockId, NanosleepRelativeResult, Timespec, clock_nanosleep_relative};

/// `CLOCK_MONOTONIC` now, as time since an arbitrary start (clock_gettime(2),
/// through the vDSO).
#[inline]
pub(crate) fn monotonic_now() -> Duration {
    let now = rustix::time::clock_gettime(ClockId::Monotonic);
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

/// Sleeps for `duration` on `CLOCK_MONOTONIC` (clock_nanosleep(2)), sleeping
/// again for the time left when a signal interrupts it, so the whole time
/// passes.
pub(crate) fn sleep(duration: Duration) {
    let mut left = timespec(duration);
    loop {
        match clock_nanosleep_relative(ClockId::Monotonic, &left) {
            NanosleepRelativeResult::Interrupted(rest) => left = rest,
            // `Ok`, or `EINVAL`, which a valid timespec cannot cause.
            NanosleepRelativeResult::Ok | NanosleepRelativeResult::Err(_) => return,
        }
    }
}

/// A `Duration` as a `timespec`, seconds saturating at `i64::MAX`.
fn timespec(duration: Duration) -> Timespec {
    Timespec {
        tv_sec: i64::try_from(duration.as_secs()).unwrap_or(i64::MAX),
        tv_nsec: i64::from(duration.subsec_nanos()),
    }
}
