//! setsockopt(2) with a `sock_fprog`: the one option value that carries a
//! pointer (to a classic BPF program), so it is built here, inside the call,
//! and cannot outlive the program it points at.

use core::mem::size_of;
use core::slice;

use super::raw::Result;
use rustix::fd::BorrowedFd;

use crate::abi::packet::{FPROG_PAD, SockFilter, SockFprog};

/// setsockopt(2) of `level`/`name` (`SO_ATTACH_FILTER`,
/// `SO_ATTACH_REUSEPORT_CBPF`) with a `sock_fprog` pointing at `program`.
/// The caller has checked that `program.len()` fits in a `u16`.
pub(crate) fn set_program(fd: BorrowedFd<'_>, level: u32, name: u32, program: &[SockFilter]) -> Result<()> {
    let fprog = SockFprog {
        len: program.len() as u16,
        pad: [0; FPROG_PAD],
        filter: program.as_ptr(),
    };
    // SAFETY: `fprog` is a live repr(C) value of `size_of::<SockFprog>()`
    // bytes with no implicit padding (u16, explicit pad bytes, pointer); it
    // and the program it points at outlive the call, which only reads them.
    let bytes =
        unsafe { slice::from_raw_parts((&fprog as *const SockFprog).cast::<u8>(), size_of::<SockFprog>()) };
    super::net::setsockopt(fd, level, name, bytes)
}
