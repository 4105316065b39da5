//! The floor: each group's system calls issued by bare `syscall`
//! instructions with only the arguments the kernel reads, and the same
//! checks as every other row. No library can do less in user space for the
//! same kernel work, so `row - floor` is what a library adds.
//!
//! The calls are zerosock's (`sendto` with `MSG_NOSIGNAL`, `recvfrom`,
//! `read`, `sendmmsg`, `recvmmsg` with `MSG_CMSG_CLOEXEC`), so the floor is
//! zerosock's own: what its hot path would cost if it were written in
//! assembly by hand.

use std::arch::asm;

/// `syscall` with three arguments.
///
/// # Safety
/// The arguments must be valid for system call `nr`.
#[inline(always)]
pub unsafe fn syscall3(nr: usize, a1: usize, a2: usize, a3: usize) -> usize {
    let ret;
    // SAFETY: the x86_64 Linux syscall ABI; the caller vouches for the
    // arguments.
    unsafe {
        asm!("syscall", inlateout("rax") nr => ret, in("rdi") a1, in("rsi") a2, in("rdx") a3,
             lateout("rcx") _, lateout("r11") _, options(nostack, preserves_flags));
    }
    ret
}

/// `syscall` with four arguments.
///
/// # Safety
/// As [`syscall3`].
#[inline(always)]
pub unsafe fn syscall4(nr: usize, a1: usize, a2: usize, a3: usize, a4: usize) -> usize {
    let ret;
    // SAFETY: as in `syscall3`.
    unsafe {
        asm!("syscall", inlateout("rax") nr => ret, in("rdi") a1, in("rsi") a2, in("rdx") a3,
             in("r10") a4, lateout("rcx") _, lateout("r11") _, options(nostack, preserves_flags));
    }
    ret
}

/// `syscall` with five arguments.
///
/// # Safety
/// As [`syscall3`].
#[inline(always)]
pub unsafe fn syscall5(nr: usize, a1: usize, a2: usize, a3: usize, a4: usize, a5: usize) -> usize {
    let ret;
    // SAFETY: as in `syscall3`.
    unsafe {
        asm!("syscall", inlateout("rax") nr => ret, in("rdi") a1, in("rsi") a2, in("rdx") a3,
             in("r10") a4, in("r8") a5, lateout("rcx") _, lateout("r11") _,
             options(nostack, preserves_flags));
    }
    ret
}

/// `syscall` with six arguments.
///
/// # Safety
/// As [`syscall3`].
#[inline(always)]
pub unsafe fn syscall6(nr: usize, a1: usize, a2: usize, a3: usize, a4: usize, a5: usize, a6: usize) -> usize {
    let ret;
    // SAFETY: as in `syscall3`.
    unsafe {
        asm!("syscall", inlateout("rax") nr => ret, in("rdi") a1, in("rsi") a2, in("rdx") a3,
             in("r10") a4, in("r8") a5, in("r9") a6, lateout("rcx") _, lateout("r11") _,
             options(nostack, preserves_flags));
    }
    ret
}

pub const SENDTO: usize = libc::SYS_sendto as usize;
pub const RECVFROM: usize = libc::SYS_recvfrom as usize;
pub const READ: usize = libc::SYS_read as usize;
pub const SENDMMSG: usize = libc::SYS_sendmmsg as usize;
pub const RECVMMSG: usize = libc::SYS_recvmmsg as usize;
pub const NOSIGNAL: usize = libc::MSG_NOSIGNAL as usize;
pub const CMSG_CLOEXEC: usize = libc::MSG_CMSG_CLOEXEC as usize;

/// send(2) as zerosock issues it: `sendto` with `MSG_NOSIGNAL` and a null
/// address (whose length the kernel then never reads).
#[inline(always)]
pub fn send(fd: i32, buf: &[u8]) -> usize {
    // SAFETY: `buf` is readable for its length; no address.
    unsafe { syscall5(SENDTO, fd as usize, buf.as_ptr() as usize, buf.len(), NOSIGNAL, 0) }
}

/// recv(2): `recvfrom` with a null address.
#[inline(always)]
pub fn recv(fd: i32, buf: &mut [u8]) -> usize {
    // SAFETY: `buf` is writable for its length; no address.
    unsafe { syscall5(RECVFROM, fd as usize, buf.as_mut_ptr() as usize, buf.len(), 0, 0) }
}

/// read(2).
#[inline(always)]
pub fn read(fd: i32, buf: &mut [u8]) -> usize {
    // SAFETY: `buf` is writable for its length.
    unsafe { syscall3(READ, fd as usize, buf.as_mut_ptr() as usize, buf.len()) }
}

/// The error check any library makes: `None` for a value in `-4095..=-1`.
#[inline(always)]
pub fn checked(ret: usize) -> Option<usize> {
    (ret <= (-4096isize) as usize).then_some(ret)
}

/// The checks every row makes, on a raw return value: the error check that
/// any library makes (glibc to set `errno`, a Rust library to return an
/// `Err`: a value in `-4095..=-1` is `-errno`), then the harness's own
/// check of the value.
#[inline(always)]
pub fn expect_raw(ret: usize, want: usize) {
    if ret > (-4096isize) as usize {
        super::fail(&std::io::Error::from_raw_os_error(ret.wrapping_neg() as i32))
    }
    if ret != want {
        super::fail_len(ret)
    }
}
