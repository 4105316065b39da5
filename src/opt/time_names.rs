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

/// getsockopt(2) of a timeout option (`SO_RCVTIMEO`/`SO_SNDTIMEO`) as a
/// 64-bit [`TimeVal`](super::TimeVal).
#[cfg(target_pointer_width = "64")]
pub(crate) fn get_timeval(socket: &crate::Socket, name: u32) -> Result<super::TimeVal, crate::Errno> {
    socket.get_option(c::SOL_SOCKET, name)
}

/// setsockopt(2) of a timeout option with a 64-bit [`TimeVal`](super::TimeVal).
#[cfg(target_pointer_width = "64")]
pub(crate) fn set_timeval(
    socket: &crate::Socket,
    name: u32,
    tv: &super::TimeVal,
) -> Result<(), crate::Errno> {
    socket.set_option(c::SOL_SOCKET, name, tv)
}

/// The `_OLD` option of a `_NEW` timeout option (`SO_RCVTIMEO_NEW` →
/// `SO_RCVTIMEO_OLD`).
#[cfg(target_pointer_width = "32")]
fn old_timeout(name: u32) -> u32 {
    if name == c::SO_RCVTIMEO_NEW {
        c::SO_RCVTIMEO_OLD
    } else {
        c::SO_SNDTIMEO_OLD
    }
}

/// getsockopt(2) of a timeout option as a 64-bit [`TimeVal`](super::TimeVal).
///
/// Where the kernel does not know the `_NEW` option (`ENOPROTOOPT`: Linux
/// before 5.1), it asks for the `_OLD` one with its 32-bit `timeval` and
/// widens it, as glibc's `getsockopt` does. The same fallback is taken when
/// the answer is not a whole 16-byte `timeval`: qemu-user, which does not
/// know the `_NEW` options, passes the call on as if the option were an
/// `int` and returns only 4 bytes (the seconds).
#[cfg(target_pointer_width = "32")]
pub(crate) fn get_timeval(socket: &crate::Socket, name: u32) -> Result<super::TimeVal, crate::Errno> {
    match socket.get_option_with_len::<super::TimeVal>(c::SOL_SOCKET, name) {
        Ok((tv, len)) if len.reported == core::mem::size_of::<super::TimeVal>() => Ok(tv),
        Ok(_) | Err(crate::Errno::NOPROTOOPT) => {
            let [sec, usec]: [i32; 2] = socket.get_option(c::SOL_SOCKET, old_timeout(name))?;
            Ok(super::TimeVal {
                tv_sec: sec.into(),
                tv_usec: usec.into(),
            })
        }
        Err(other) => Err(other),
    }
}

/// setsockopt(2) of a timeout option with a 64-bit [`TimeVal`](super::TimeVal).
///
/// Where the kernel does not know the `_NEW` option (`ENOPROTOOPT`), it sets
/// the `_OLD` one with a 32-bit `timeval` if the seconds fit one
/// (`EOVERFLOW` if not), as glibc's `setsockopt` does.
#[cfg(target_pointer_width = "32")]
pub(crate) fn set_timeval(
    socket: &crate::Socket,
    name: u32,
    tv: &super::TimeVal,
) -> Result<(), crate::Errno> {
    match socket.set_option(c::SOL_SOCKET, name, tv) {
        Err(crate::Errno::NOPROTOOPT) => {
            let sec = i32::try_from(tv.tv_sec).map_err(|_| crate::Errno::OVERFLOW)?;
            // tv_usec < 1_000_000: from_duration_ceil made it.
            let old: [i32; 2] = [sec, tv.tv_usec as i32];
            socket.set_option(c::SOL_SOCKET, old_timeout(name), &old)
        }
        other => other,
    }
}
