//! sendmsg(2) and recvmsg(2), with each `msghdr` built here, for the one
//! call, so none of its pointers can outlive what they point at; and the
//! fds a received message carries, owned the moment the call returns.

use core::ffi::c_void;
use core::ptr;

use rustix::fd::{BorrowedFd, FromRawFd, OwnedFd, RawFd};
use rustix::io::{IoSlice, IoSliceMut};
use rustix::net::addr::SocketAddrArg;

use super::raw::Result;
use crate::abi::addr::{STORAGE_LEN, SockAddr};
use crate::abi::msg::cmsg_consts::{SCM_PIDFD, SCM_RIGHTS, SOL_SOCKET};
use crate::abi::msg::{MsgHdr, RawCmsgs};
use crate::flags::MsgFlags;

/// What recvmsg(2) reported besides the data it wrote.
pub(crate) struct Received {
    /// The return value: bytes received.
    pub(crate) bytes: usize,
    /// `msg_flags`, as the kernel wrote them.
    pub(crate) flags: u32,
    /// `msg_controllen`, bounded by the control buffer.
    pub(crate) control_len: usize,
    /// Received fds that `keep` refused, closed.
    pub(crate) fds_closed: usize,
}

/// sendmsg(2) of `bufs` with `control`, no address.
#[inline]
pub(crate) fn sendmsg(
    fd: BorrowedFd<'_>,
    bufs: &[IoSlice<'_>],
    control: &[u8],
    flags: MsgFlags,
) -> Result<usize> {
    let msg = send_hdr(bufs, control);
    // SAFETY: `msg` points at `bufs` (laid out as `struct iovec`) and at the
    // control bytes, both borrowed for the call; no name.
    unsafe { super::net::sendmsg(fd, &msg, flags) }
}

/// sendmsg(2) of `bufs` with `control` to `addr`, passed by pointer as it is.
#[inline]
pub(crate) fn sendmsg_to(
    fd: BorrowedFd<'_>,
    bufs: &[IoSlice<'_>],
    control: &[u8],
    addr: &impl SocketAddrArg,
    flags: MsgFlags,
) -> Result<usize> {
    let mut msg = send_hdr(bufs, control);
    // SAFETY: `with_sockaddr` gives a pointer and length valid for the
    // closure; `msg`'s other pointers are borrowed for the call.
    unsafe {
        addr.with_sockaddr(|name, len| {
            msg.msg_name = name as *mut c_void;
            msg.msg_namelen = len;
            super::net::sendmsg(fd, &msg, flags)
        })
    }
}

/// recvmsg(2) into `bufs` and `control`, the sender's address (if `from` is
/// given) written by the kernel straight into it — emptied if the call fails.
/// Every fd the message carries is offered to `keep` at once; those it hands
/// back are closed and counted.
#[inline]
pub(crate) fn recvmsg(
    fd: BorrowedFd<'_>,
    bufs: &mut [IoSliceMut<'_>],
    control: &mut [u8],
    mut from: Option<&mut SockAddr>,
    flags: MsgFlags,
    keep: impl FnMut(OwnedFd) -> Option<OwnedFd>,
) -> Result<Received> {
    let mut msg = recv_hdr(bufs, control);
    if let Some(from) = from.as_deref_mut() {
        msg.msg_name = (&raw mut from.storage).cast();
        msg.msg_namelen = STORAGE_LEN;
    }
    // SAFETY: every pointer in `msg` is to memory borrowed mutably for the
    // call, with the sizes given: the iovecs, the control buffer and the
    // address storage.
    let ret = unsafe { super::net::recvmsg(fd, &mut msg, flags) };
    if let Some(from) = from {
        from.len = if ret.is_ok() { msg.msg_namelen } else { 0 };
    }
    let bytes = ret?;
    let control_len = msg.msg_controllen.min(control.len());
    // SAFETY: the kernel has just written these control bytes.
    let fds_closed = unsafe { own_received_fds(&control[..control_len], keep) };
    Ok(Received {
        bytes,
        flags: msg.msg_flags,
        control_len,
        fds_closed,
    })
}

/// A `msghdr` for sending `bufs` with `control`, no name.
#[inline(always)]
fn send_hdr(bufs: &[IoSlice<'_>], control: &[u8]) -> MsgHdr {
    MsgHdr {
        msg_iov: bufs.as_ptr() as *mut c_void,
        msg_iovlen: bufs.len(),
        msg_control: if control.is_empty() {
            ptr::null_mut()
        } else {
            control.as_ptr() as *mut c_void
        },
        msg_controllen: control.len(),
        ..MsgHdr::EMPTY
    }
}

/// A `msghdr` for receiving into `bufs` and `control`, no name: every in/out
/// field set afresh.
#[inline(always)]
fn recv_hdr(bufs: &mut [IoSliceMut<'_>], control: &mut [u8]) -> MsgHdr {
    MsgHdr {
        msg_iov: bufs.as_mut_ptr().cast(),
        msg_iovlen: bufs.len(),
        msg_control: if control.is_empty() {
            ptr::null_mut()
        } else {
            control.as_mut_ptr().cast()
        },
        msg_controllen: control.len(),
        ..MsgHdr::EMPTY
    }
}

/// Takes ownership of every fd named in the `SCM_RIGHTS` and `SCM_PIDFD`
/// messages of `control`, offering each to `keep`, and closes those it hands
/// back; returns how many were closed.
///
/// # Safety
/// `control` must be control bytes the kernel wrote in a recvmsg(2) or
/// recvmmsg(2) call of this process that has just returned, not yet handed
/// to anything else: the fd numbers in them are then newly installed fds
/// that nothing owns.
pub(crate) unsafe fn own_received_fds(
    control: &[u8],
    mut keep: impl FnMut(OwnedFd) -> Option<OwnedFd>,
) -> usize {
    let mut closed = 0;
    // The kernel writes only well-formed messages; a malformed one could not
    // have come from it and ends the walk.
    for (level, ty, data) in RawCmsgs::new(control).map_while(core::result::Result::ok) {
        if level != SOL_SOCKET || (ty != SCM_RIGHTS && ty != SCM_PIDFD) {
            continue;
        }
        for number in data.chunks_exact(size_of::<RawFd>()) {
            let raw = RawFd::from_ne_bytes([number[0], number[1], number[2], number[3]]);
            if raw < 0 {
                continue;
            }
            // SAFETY: per the caller, `raw` is an fd the kernel installed for
            // this message and nothing else owns.
            let fd = unsafe { OwnedFd::from_raw_fd(raw) };
            if let Some(refused) = keep(fd) {
                drop(refused);
                closed += 1;
            }
        }
    }
    closed
}
