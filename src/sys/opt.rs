//! Socket option values as bytes: the [`Pod`] marker, and getsockopt(2) /
//! setsockopt(2) reading and writing a plain-old-data value in place, with no
//! copy through an intermediate buffer.

use core::mem::{MaybeUninit, size_of};
use core::slice;

use rustix::fd::BorrowedFd;

use super::raw::Result;
use crate::addr::{In6Addr, InAddr};
use crate::opt::{IpMreq, IpMreqn, Ipv6Mreq, Linger, TcpInfo, TimeVal, UCred};

/// Plain old data: a type whose bytes the kernel may read and write directly,
/// the value type of [`Socket::get_option`](crate::Socket::get_option) and
/// [`Socket::set_option`](crate::Socket::set_option).
///
/// Implemented for the integers, arrays of `Pod`, and zerosock's option
/// layouts ([`Linger`], [`TimeVal`], [`IpMreqn`], [`TcpInfo`], [`UCred`], …).
/// Implement it for your own `#[repr(C)]` layout to get or set an option
/// zerosock has no typed method for.
///
/// ```
/// use zerosock::opt::{Pod, SOL_TCP, TCP_REPAIR_WINDOW};
///
/// /// `struct tcp_repair_window` from linux/tcp.h.
/// #[repr(C)]
/// #[derive(Clone, Copy, Default)]
/// struct TcpRepairWindow { snd_wl1: u32, snd_wnd: u32, max_window: u32, rcv_wnd: u32, rcv_wup: u32 }
///
/// // SAFETY: repr(C), five u32s: no padding, every bit pattern valid.
/// unsafe impl Pod for TcpRepairWindow {}
/// ```
///
/// # Safety
/// An implementor must be `#[repr(C)]` or `#[repr(transparent)]` (or a
/// primitive) with **no padding bytes**, and **every bit pattern** of its
/// size must be a valid value (no `bool`, `char`, enums, references or
/// pointers that are dereferenced): the kernel writes whatever bytes it
/// likes, and setting an option reads every byte of the value.
pub unsafe trait Pod: Copy + 'static {}

// SAFETY: integers have no padding and every bit pattern is valid.
unsafe impl Pod for u8 {}
// SAFETY: as above.
unsafe impl Pod for i8 {}
// SAFETY: as above.
unsafe impl Pod for u16 {}
// SAFETY: as above.
unsafe impl Pod for i16 {}
// SAFETY: as above.
unsafe impl Pod for u32 {}
// SAFETY: as above.
unsafe impl Pod for i32 {}
// SAFETY: as above.
unsafe impl Pod for u64 {}
// SAFETY: as above.
unsafe impl Pod for i64 {}
// SAFETY: an array of `Pod` has no padding between elements (size is a
// multiple of alignment) and every element accepts every bit pattern.
unsafe impl<T: Pod, const N: usize> Pod for [T; N] {}
// SAFETY: repr(C) { Be32 } (a transparent u32): no padding, all bit patterns valid.
unsafe impl Pod for InAddr {}
// SAFETY: repr(C, align(4)) { [u8; 16] }: no padding, all bit patterns valid.
unsafe impl Pod for In6Addr {}
// SAFETY: repr(C) { i32, i32 }: no padding, all bit patterns valid.
unsafe impl Pod for Linger {}
// SAFETY: repr(C) { i64, i64 }: no padding, all bit patterns valid.
unsafe impl Pod for TimeVal {}
// SAFETY: repr(C) { InAddr, InAddr, i32 } (InAddr is a transparent u32):
// 12 bytes, no padding, all bit patterns valid.
unsafe impl Pod for IpMreqn {}
// SAFETY: repr(C) { InAddr, InAddr }: no padding, all bit patterns valid.
unsafe impl Pod for IpMreq {}
// SAFETY: repr(C) { In6Addr ([u8; 16], align 4), u32 }: 20 bytes, no
// padding, all bit patterns valid.
unsafe impl Pod for Ipv6Mreq {}
// SAFETY: repr(C) { i32, u32, u32 }: no padding, all bit patterns valid.
unsafe impl Pod for UCred {}
// SAFETY: repr(C), integers only, laid out so that no padding arises (each
// field's offset is a multiple of its alignment and the size is a multiple
// of 8 with no tail gap; checked field by field in tests/opt_layout.rs and
// by the const assertion in opt/tcp_info.rs); all bit patterns valid.
unsafe impl Pod for TcpInfo {}

/// The bytes of `value`, for the kernel to read.
#[inline(always)]
pub(crate) fn bytes_of<T: Pod>(value: &T) -> &[u8] {
    // SAFETY: `T: Pod` has no padding, so all `size_of::<T>()` bytes are
    // initialized; the slice borrows `value` and so cannot outlive it.
    unsafe { slice::from_raw_parts((value as *const T).cast::<u8>(), size_of::<T>()) }
}

/// getsockopt(2) straight into a `T`: returns the value and how many bytes
/// the kernel wrote. Bytes it did not write stay zero.
#[inline]
pub(crate) fn get<T: Pod>(fd: BorrowedFd<'_>, level: u32, name: u32) -> Result<(T, usize)> {
    let mut value = MaybeUninit::<T>::zeroed();
    // SAFETY: every byte of `value` is initialized (zeroed); the slice covers
    // exactly its `size_of::<T>()` bytes and lives only for the call.
    let bytes = unsafe { slice::from_raw_parts_mut(value.as_mut_ptr().cast::<u8>(), size_of::<T>()) };
    let len = super::net::getsockopt(fd, level, name, bytes)?;
    // SAFETY: `T: Pod` accepts every bit pattern, and every byte is
    // initialized (zero or written by the kernel).
    Ok((unsafe { value.assume_init() }, len))
}

/// setsockopt(2) with the bytes of `value`.
#[inline]
pub(crate) fn set<T: Pod>(fd: BorrowedFd<'_>, level: u32, name: u32, value: &T) -> Result<()> {
    super::net::setsockopt(fd, level, name, bytes_of(value))
}
