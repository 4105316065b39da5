//! The four socket options whose value holds a time, by the name that takes
//! a 64-bit time on this target.
//!
//! On 64-bit targets the kernel's original numbers (`SO_RCVTIMEO` = 20, …)
//! already take 64-bit times. On 32-bit ones those numbers (`_OLD`) take a
//! 32-bit `time_t`, which ends in 2038; the `_NEW` numbers take
//! `__kernel_sock_timeval` / `__kernel_timespec`, 64-bit on every target, and
//! are what glibc's `SO_RCVTIMEO` means when built with `_TIME_BITS=64`.
//! zerosock's [`TimeVal`](super::TimeVal) and
//! [`TimeSpec`](crate::msg::TimeSpec) are those 64-bit layouts, so these
//! names are always the ones that match them.

use linux_raw_sys::net as c;

/// `SO_RCVTIMEO` (`SO_RCVTIMEO_NEW` on 32-bit targets): the receive timeout,
/// a [`TimeVal`](super::TimeVal).
#[cfg(target_pointer_width = "64")]
pub const SO_RCVTIMEO: u32 = c::SO_RCVTIMEO;
/// `SO_SNDTIMEO` (`SO_SNDTIMEO_NEW` on 32-bit targets): the send timeout, a
/// [`TimeVal`](super::TimeVal).
#[cfg(target_pointer_width = "64")]
pub const SO_SNDTIMEO: u32 = c::SO_SNDTIMEO;
/// `SO_TIMESTAMP` (`SO_TIMESTAMP_NEW` on 32-bit targets): receive times as
/// `SCM_TIMESTAMP` control messages with a 64-bit `timeval`.
#[cfg(target_pointer_width = "64")]
pub const SO_TIMESTAMP: u32 = c::SO_TIMESTAMP;
/// `SO_TIMESTAMPNS` (`SO_TIMESTAMPNS_NEW` on 32-bit targets): receive times
/// as `SCM_TIMESTAMPNS` control messages with a 64-bit `timespec`.
#[cfg(target_pointer_width = "64")]
pub const SO_TIMESTAMPNS: u32 = c::SO_TIMESTAMPNS;

/// `SO_RCVTIMEO` (`SO_RCVTIMEO_NEW` on 32-bit targets): the receive timeout,
/// a [`TimeVal`](super::TimeVal).
#[cfg(target_pointer_width = "32")]
pub const SO_RCVTIMEO: u32 = c::SO_RCVTIMEO_NEW;
/// `SO_SNDTIMEO` (`SO_SNDTIMEO_NEW` on 32-bit targets): the send timeout, a
/// [`TimeVal`](super::TimeVal).
#[cfg(target_pointer_width = "32")]
pub const SO_SNDTIMEO: u32 = c::SO_SNDTIMEO_NEW;
/// `SO_TIMESTAMP` (`SO_TIMESTAMP_NEW` on 32-bit targets): receive times as
/// `SCM_TIMESTAMP` control messages with a 64-bit `timeval`.
#[cfg(target_pointer_width = "32")]
pub const SO_TIMESTAMP: u32 = c::SO_TIMESTAMP_NEW;
/// `SO_TIMESTAMPNS` (`SO_TIMESTAMPNS_NEW` on 32-bit targets): receive times
/// as `SCM_TIMESTAMPNS` control messages with a 64-bit `timespec`.
#[cfg(target_pointer_width = "32")]
pub const SO_TIMESTAMPNS: u32 = c::SO_TIMESTAMPNS_NEW;
