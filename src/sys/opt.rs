//! getsockopt(2) / setsockopt(2) reading and writing a plain-old-data value
//! in place, with no copy through an intermediate buffer.

use core::mem::{MaybeUninit, size_of};
use core::slice;

use rustix::fd::BorrowedFd;

use super::raw::Result;
use crate::abi::{Pod, bytes_of};

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
