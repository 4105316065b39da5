//! aarch64: `svc 0`, the number in `x8`, arguments in `x0`..`x5`, the result
//! in `x0`; the kernel preserves every other register and the flags.

use core::arch::asm;

/// `svc 0`; the operands follow.
macro_rules! svc {
    ($($operands:tt)*) => {
        asm!("svc 0", $($operands)* options(nostack, preserves_flags))
    };
}

/// A system call with up to six arguments.
///
/// # Safety
/// The arguments must be valid for system call `nr`: pointers point to memory
/// of the sizes the kernel will read or write, for the duration of the call.
#[inline(always)]
pub(crate) unsafe fn syscall6(
    nr: u32,
    a1: usize,
    a2: usize,
    a3: usize,
    a4: usize,
    a5: usize,
    a6: usize,
) -> usize {
    let ret: usize;
    // SAFETY: the aarch64 Linux syscall ABI above; the caller guarantees the
    // arguments' validity.
    unsafe {
        svc!(
            in("x8") nr as usize,
            inlateout("x0") a1 => ret,
            in("x1") a2,
            in("x2") a3,
            in("x3") a4,
            in("x4") a5,
            in("x5") a6,
        );
    }
    ret
}

/// A system call with five arguments: for calls whose sixth the kernel
/// ignores (`sendto`/`recvfrom` with a null address never read the length).
///
/// # Safety
/// As [`syscall6`].
#[inline(always)]
pub(crate) unsafe fn syscall5(nr: u32, a1: usize, a2: usize, a3: usize, a4: usize, a5: usize) -> usize {
    let ret: usize;
    // SAFETY: as in `syscall6`.
    unsafe {
        svc!(
            in("x8") nr as usize,
            inlateout("x0") a1 => ret,
            in("x1") a2,
            in("x2") a3,
            in("x3") a4,
            in("x4") a5,
        );
    }
    ret
}

/// A system call with up to four arguments (fewer registers to set up).
///
/// # Safety
/// As [`syscall6`].
#[inline(always)]
pub(crate) unsafe fn syscall4(nr: u32, a1: usize, a2: usize, a3: usize, a4: usize) -> usize {
    let ret: usize;
    // SAFETY: as in `syscall6`.
    unsafe {
        svc!(
            in("x8") nr as usize,
            inlateout("x0") a1 => ret,
            in("x1") a2,
            in("x2") a3,
            in("x3") a4,
        );
    }
    ret
}

/// A system call with three arguments (`read`, `sendmsg`, `recvmsg`).
///
/// # Safety
/// As [`syscall6`].
#[inline(always)]
pub(crate) unsafe fn syscall3(nr: u32, a1: usize, a2: usize, a3: usize) -> usize {
    let ret: usize;
    // SAFETY: as in `syscall6`.
    unsafe {
        svc!(
            in("x8") nr as usize,
            inlateout("x0") a1 => ret,
            in("x1") a2,
            in("x2") a3,
        );
    }
    ret
}
