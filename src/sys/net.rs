//! Socket system calls. Each function is one system call (or one rustix call
//! that is one system call) with the kernel's arguments and its `Errno`.

use core::net::SocketAddr;
use core::ptr;

use rustix::fd::{AsRawFd, BorrowedFd, FromRawFd, IntoRawFd, OwnedFd};
use rustix::io::IoSliceMut;
use rustix::net::addr::SocketAddrArg;
use rustix::net::{AddressFamily, SocketFlags, SocketType};

use linux_raw_sys::general as nr;

use super::raw::{Result, check, rx, syscall3, syscall4, syscall5, syscall6};
use crate::abi::addr::{SockAddr, with_received_ip};
use crate::abi::msg::{MMsgHdr, MsgHdr};
use crate::abi::{SockAddrStorage, SockLen};
use crate::flags::{Domain, MsgFlags, Protocol, Shutdown, Type};

/// An fd as a system call takes it, borrowed for the call: a [`BorrowedFd`],
/// or an `&OwnedFd` read directly. The second is the hot path's: rustix's
/// no-std `OwnedFd::as_fd` checks for fd `-1` on every borrow (a compare
/// and a branch to a panic), which reading the owned fd's number skips.
pub(crate) trait SysFd: Copy {
    /// The fd number, as the kernel's first argument.
    fn raw(self) -> usize;
}

impl SysFd for BorrowedFd<'_> {
    #[inline(always)]
    fn raw(self) -> usize {
        self.as_raw_fd() as usize
    }
}

impl SysFd for &OwnedFd {
    #[inline(always)]
    fn raw(self) -> usize {
        self.as_raw_fd() as usize
    }
}

fn socket_flags(nonblocking: bool) -> SocketFlags {
    if nonblocking {
        SocketFlags::CLOEXEC | SocketFlags::NONBLOCK
    } else {
        SocketFlags::CLOEXEC
    }
}

fn rustix_protocol(protocol: Protocol) -> Option<rustix::net::Protocol> {
    rustix::net::RawProtocol::new(protocol.raw()).map(rustix::net::Protocol::from_raw)
}

/// socket(2), always with `SOCK_CLOEXEC`.
pub(crate) fn socket(domain: Domain, ty: Type, protocol: Protocol, nonblocking: bool) -> Result<OwnedFd> {
    rx(rustix::net::socket_with(
        AddressFamily::from_raw(domain.raw()),
        SocketType::from_raw(ty.raw()),
        socket_flags(nonblocking),
        rustix_protocol(protocol),
    ))
}

/// socketpair(2), always with `SOCK_CLOEXEC`.
pub(crate) fn socketpair(
    domain: Domain,
    ty: Type,
    protocol: Protocol,
    nonblocking: bool,
) -> Result<(OwnedFd, OwnedFd)> {
    rx(rustix::net::socketpair(
        AddressFamily::from_raw(domain.raw()),
        SocketType::from_raw(ty.raw()),
        socket_flags(nonblocking),
        rustix_protocol(protocol),
    ))
}

/// bind(2): the address is passed by pointer, as it is.
pub(crate) fn bind(fd: BorrowedFd<'_>, addr: &impl SocketAddrArg) -> Result<()> {
    rx(rustix::net::bind(fd, addr))
}

/// connect(2).
pub(crate) fn connect(fd: BorrowedFd<'_>, addr: &impl SocketAddrArg) -> Result<()> {
    rx(rustix::net::connect(fd, addr))
}

/// connect(2) with `AF_UNSPEC`: dissolves a datagram socket's association.
pub(crate) fn connect_unspec(fd: BorrowedFd<'_>) -> Result<()> {
    rx(rustix::net::connect_unspec(fd))
}

/// listen(2).
pub(crate) fn listen(fd: BorrowedFd<'_>, backlog: i32) -> Result<()> {
    rx(rustix::net::listen(fd, backlog))
}

/// shutdown(2).
pub(crate) fn shutdown(fd: BorrowedFd<'_>, how: Shutdown) -> Result<()> {
    let how = match how {
        Shutdown::Read => rustix::net::Shutdown::Read,
        Shutdown::Write => rustix::net::Shutdown::Write,
        Shutdown::Both => rustix::net::Shutdown::Both,
    };
    rx(rustix::net::shutdown(fd, how))
}

/// accept4(2) with `SOCK_CLOEXEC`, the peer's address written to `addr`
/// and `len` (both null for none).
///
/// # Safety
/// `addr` and `len` are null, or valid for the kernel to write an address of
/// `*len` bytes and its length, for the call.
#[inline(always)]
unsafe fn accept4_raw(
    fd: impl SysFd,
    addr: *mut SockAddrStorage,
    len: *mut SockLen,
    nonblocking: bool,
) -> Result<OwnedFd> {
    let flags = socket_flags(nonblocking).bits() as usize;
    // SAFETY: the caller guarantees `addr` and `len`.
    let ret = unsafe { syscall4(nr::__NR_accept4, fd.raw(), addr as usize, len as usize, flags) };
    // SAFETY: on success the kernel returned a new fd that nothing else owns.
    check(ret).map(|new| unsafe { OwnedFd::from_raw_fd(new as i32) })
}

/// accept4(2) with `SOCK_CLOEXEC`; the peer's address, if asked for, is
/// written by the kernel straight into `peer`.
#[inline]
pub(crate) fn accept4(fd: impl SysFd, peer: Option<&mut SockAddr>, nonblocking: bool) -> Result<OwnedFd> {
    match peer {
        // SAFETY: our storage and its length, live for the call.
        Some(peer) => peer.fill(|addr, len| unsafe { accept4_raw(fd, addr, len, nonblocking) }),
        // SAFETY: no address.
        None => unsafe { accept4_raw(fd, ptr::null_mut(), ptr::null_mut(), nonblocking) },
    }
}

/// accept4(2) with `SOCK_CLOEXEC`, the peer's IP address decoded straight
/// from the bytes the kernel wrote into uninitialised storage.
#[inline]
pub(crate) fn accept4_ip(fd: impl SysFd, nonblocking: bool) -> Result<(OwnedFd, Option<SocketAddr>)> {
    // SAFETY: the storage pointers are live for the call, and on success
    // accept4 wrote the address.
    unsafe { with_received_ip(|addr, len| accept4_raw(fd, addr, len, nonblocking)) }
}

/// getsockname(2) into `addr`.
pub(crate) fn getsockname(fd: impl SysFd, addr: &mut SockAddr) -> Result<()> {
    name_call(nr::__NR_getsockname, fd, addr)
}

/// getpeername(2) into `addr`.
pub(crate) fn getpeername(fd: impl SysFd, addr: &mut SockAddr) -> Result<()> {
    name_call(nr::__NR_getpeername, fd, addr)
}

fn name_call(call: u32, fd: impl SysFd, addr: &mut SockAddr) -> Result<()> {
    // SAFETY: `ptr`/`len` are our storage and its length, live for the call.
    addr.fill(|ptr, len| check(unsafe { syscall3(call, fd.raw(), ptr as usize, len as usize) }))
        .map(drop)
}

/// send(2) (as `sendto` with no address, which is what send(2) is on x86_64).
#[inline(always)]
pub(crate) fn send(fd: impl SysFd, buf: &[u8], flags: MsgFlags) -> Result<usize> {
    // SAFETY: `buf` is readable for its length for the call; no address.
    // With a null address the kernel never reads the sixth argument (the
    // address length), but qemu-user's sendto checks it first and fails with
    // EINVAL when whatever its register holds is negative as an `int`: so it
    // is passed as 0.
    check(unsafe {
        syscall6(
            nr::__NR_sendto,
            fd.raw(),
            buf.as_ptr() as usize,
            buf.len(),
            flags.raw() as usize,
            0,
            0,
        )
    })
}

/// recvfrom(2), the sender's address written to `addr` and `len` (both null
/// for none).
///
/// # Safety
/// As [`accept4_raw`] for `addr` and `len`.
#[inline(always)]
unsafe fn recvfrom_raw(
    fd: impl SysFd,
    buf: &mut [u8],
    flags: MsgFlags,
    addr: *mut SockAddrStorage,
    len: *mut SockLen,
) -> Result<usize> {
    let (ptr, size) = (buf.as_mut_ptr() as usize, buf.len());
    // SAFETY: `buf` is writable for its length for the call; the caller
    // guarantees `addr` and `len`.
    check(unsafe {
        syscall6(
            nr::__NR_recvfrom,
            fd.raw(),
            ptr,
            size,
            flags.raw() as usize,
            addr as usize,
            len as usize,
        )
    })
}

/// recv(2) (as `recvfrom` with no address, which is what recv(2) is on x86_64).
#[inline(always)]
pub(crate) fn recv(fd: impl SysFd, buf: &mut [u8], flags: MsgFlags) -> Result<usize> {
    // SAFETY: `buf` is writable for its length for the call. With a null
    // address the kernel never reads the sixth argument (the length's
    // pointer), so five are passed.
    check(unsafe {
        syscall5(
            nr::__NR_recvfrom,
            fd.raw(),
            buf.as_mut_ptr() as usize,
            buf.len(),
            flags.raw() as usize,
            0,
        )
    })
}

/// recvfrom(2): the sender's address is written by the kernel straight into
/// `from`.
#[inline(always)]
pub(crate) fn recvfrom(
    fd: impl SysFd,
    buf: &mut [u8],
    flags: MsgFlags,
    from: &mut SockAddr,
) -> Result<usize> {
    // SAFETY: our storage and its length, live for the call.
    from.fill(|addr, len| unsafe { recvfrom_raw(fd, buf, flags, addr, len) })
}

/// recvfrom(2) with the sender's address decoded straight from the bytes the
/// kernel wrote into uninitialised storage: `None` if it is not an IP
/// address.
#[inline(always)]
pub(crate) fn recvfrom_ip(
    fd: impl SysFd,
    buf: &mut [u8],
    flags: MsgFlags,
) -> Result<(usize, Option<SocketAddr>)> {
    // SAFETY: the storage pointers are live for the call, and on success
    // recvfrom wrote the address.
    unsafe { with_received_ip(|addr, len| recvfrom_raw(fd, buf, flags, addr, len)) }
}

/// sendto(2): the address is passed by pointer, as it is.
#[inline(always)]
pub(crate) fn sendto(
    fd: impl SysFd,
    buf: &[u8],
    flags: MsgFlags,
    addr: &impl SocketAddrArg,
) -> Result<usize> {
    // SAFETY: `with_sockaddr` gives a pointer and length valid for the
    // closure's duration; `buf` is readable for its length.
    check(unsafe {
        addr.with_sockaddr(|ptr, len| {
            syscall6(
                nr::__NR_sendto,
                fd.raw(),
                buf.as_ptr() as usize,
                buf.len(),
                flags.raw() as usize,
                ptr as usize,
                len as usize,
            )
        })
    })
}

/// read(2).
#[inline(always)]
pub(crate) fn read(fd: impl SysFd, buf: &mut [u8]) -> Result<usize> {
    // SAFETY: `buf` is writable for its length for the call.
    check(unsafe { syscall3(nr::__NR_read, fd.raw(), buf.as_mut_ptr() as usize, buf.len()) })
}

/// readv(2).
pub(crate) fn readv(fd: BorrowedFd<'_>, bufs: &mut [IoSliceMut<'_>]) -> Result<usize> {
    rx(rustix::io::readv(fd, bufs))
}

/// close(2), reporting its error. The fd is gone afterwards whatever the
/// result (Linux never leaves it open, even on `EINTR`).
pub(crate) fn close(fd: OwnedFd) -> Result<()> {
    let fd = fd.into_raw_fd();
    // SAFETY: we owned `fd` and give it up here; nothing else closes it.
    check(unsafe { syscall3(nr::__NR_close, fd as usize, 0, 0) }).map(drop)
}

/// getsockopt(2) with a raw value buffer; returns the length the kernel wrote.
pub(crate) fn getsockopt(fd: impl SysFd, level: u32, name: u32, value: &mut [u8]) -> Result<usize> {
    let mut len = value.len() as SockLen;
    // SAFETY: `value` is writable for `len` bytes and `len` is live for the call.
    check(unsafe {
        syscall5(
            nr::__NR_getsockopt,
            fd.raw(),
            level as usize,
            name as usize,
            value.as_mut_ptr() as usize,
            &raw mut len as usize,
        )
    })?;
    Ok(len as usize)
}

/// setsockopt(2) with a raw value buffer.
pub(crate) fn setsockopt(fd: impl SysFd, level: u32, name: u32, value: &[u8]) -> Result<()> {
    // SAFETY: `value` is readable for its length for the call.
    check(unsafe {
        syscall5(
            nr::__NR_setsockopt,
            fd.raw(),
            level as usize,
            name as usize,
            value.as_ptr() as usize,
            value.len(),
        )
    })
    .map(drop)
}

/// Sets or clears `O_NONBLOCK` (fcntl(2) `F_GETFL`/`F_SETFL`).
pub(crate) fn set_nonblocking(fd: BorrowedFd<'_>, nonblocking: bool) -> Result<()> {
    let flags = rx(rustix::fs::fcntl_getfl(fd))?;
    let new = if nonblocking {
        flags | rustix::fs::OFlags::NONBLOCK
    } else {
        flags - rustix::fs::OFlags::NONBLOCK
    };
    if new == flags {
        Ok(())
    } else {
        rx(rustix::fs::fcntl_setfl(fd, new))
    }
}

/// Whether `O_NONBLOCK` is set.
pub(crate) fn is_nonblocking(fd: BorrowedFd<'_>) -> Result<bool> {
    Ok(rx(rustix::fs::fcntl_getfl(fd))?.contains(rustix::fs::OFlags::NONBLOCK))
}

/// fcntl(2) `F_DUPFD_CLOEXEC`.
pub(crate) fn dup_cloexec(fd: BorrowedFd<'_>) -> Result<OwnedFd> {
    rx(rustix::io::fcntl_dupfd_cloexec(fd, 0))
}

/// sendmsg(2).
///
/// # Safety
/// Every pointer in `msg` must be valid for the kernel to read for the sizes
/// it gives, for the duration of the call.
#[inline(always)]
pub(crate) unsafe fn sendmsg(fd: impl SysFd, msg: &MsgHdr, flags: MsgFlags) -> Result<usize> {
    // SAFETY: the caller guarantees `msg`'s pointers.
    check(unsafe {
        syscall3(
            nr::__NR_sendmsg,
            fd.raw(),
            msg as *const _ as usize,
            flags.raw() as usize,
        )
    })
}

/// recvmsg(2).
///
/// # Safety
/// Every pointer in `msg` must be valid for the kernel to write for the sizes
/// it gives, for the duration of the call.
#[inline(always)]
pub(crate) unsafe fn recvmsg(fd: impl SysFd, msg: &mut MsgHdr, flags: MsgFlags) -> Result<usize> {
    // SAFETY: the caller guarantees `msg`'s pointers.
    check(unsafe {
        syscall3(
            nr::__NR_recvmsg,
            fd.raw(),
            msg as *mut _ as usize,
            flags.raw() as usize,
        )
    })
}

/// sendmmsg(2): returns how many messages were sent.
///
/// # Safety
/// As [`sendmsg`], for every header in `msgs`.
#[inline(always)]
pub(crate) unsafe fn sendmmsg(fd: impl SysFd, msgs: &mut [MMsgHdr], flags: MsgFlags) -> Result<usize> {
    // SAFETY: the caller guarantees the headers' pointers; `msgs` is writable
    // for its length (the kernel writes `msg_len`).
    check(unsafe {
        syscall4(
            nr::__NR_sendmmsg,
            fd.raw(),
            msgs.as_mut_ptr() as usize,
            msgs.len(),
            flags.raw() as usize,
        )
    })
}

/// recvmmsg(2) with no timeout (a null fifth argument; there is no sixth):
/// returns how many messages were received.
///
/// # Safety
/// As [`recvmsg`], for every header in `msgs`.
#[inline(always)]
pub(crate) unsafe fn recvmmsg(fd: impl SysFd, msgs: &mut [MMsgHdr], flags: MsgFlags) -> Result<usize> {
    let (fd, ptr, len, flags) = (
        fd.raw(),
        msgs.as_mut_ptr() as usize,
        msgs.len(),
        flags.raw() as usize,
    );
    // SAFETY: the caller guarantees the headers' pointers; no timeout.
    let call = |nr: u32| check(unsafe { syscall5(nr, fd, ptr, len, flags, 0) });
    #[cfg(target_pointer_width = "32")]
    {
        // 32-bit targets: the time64 call first (its timeout would be the
        // 64-bit `__kernel_timespec`; the old call may be left out of a
        // kernel built without 32-bit time). A kernel (or qemu-user) without
        // it: with no timeout the original call is the same call, as glibc
        // falls back to it.
        match call(nr::__NR_recvmmsg_time64) {
            Err(super::raw::Errno::NOSYS) => call(nr::__NR_recvmmsg),
            other => other,
        }
    }
    #[cfg(target_pointer_width = "64")]
    call(nr::__NR_recvmmsg)
}
