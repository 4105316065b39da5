//! 32-bit ARM (EABI): `svc 0`, the number in `r7`, arguments in `r0`..`r5`,
//! the result in `r0`.
//!
//! In Thumb-2 code `r7` is the frame pointer and cannot be named as an
//! operand, and stable Rust has no `cfg` that tells the two instruction sets
//! apart. So the number travels in any free register and is moved into `r7`
//! around the `svc`, which restores `r7` after it: two `mov`s, correct in
//! both ARM and Thumb-2 code (rustix does the same).

use core::arch::asm;

/// `svc 0` with the number moved into `r7` and `r7` restored after; the
/// operands follow.
macro_rules! svc {
    ($($operands:tt)*) => {
        asm!(
            "mov {tmp}, r7",
            "mov r7, {nr}",
            "svc 0",
            "mov r7, {tmp}",
            tmp = out(reg) _,
            $($operands)*
            options(nostack, preserves_flags),
        )
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
    // SAFETY: the ARM EABI Linux syscall ABI above; `r7` is saved in `tmp`
    // and restored before the block ends, so the compiler's frame pointer is
    // intact. The caller guarantees the arguments' validity.
    unsafe {
        svc!(
            nr = in(reg) nr,
            inlateout("r0") a1 => ret,
            in("r1") a2,
            in("r2") a3,
            in("r3") a4,
            in("r4") a5,
            in("r5") a6,
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
            nr = in(reg) nr,
            inlateout("r0") a1 => ret,
            in("r1") a2,
            in("r2") a3,
            in("r3") a4,
            in("r4") a5,
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
            nr = in(reg) nr,
            inlateout("r0") a1 => ret,
            in("r1") a2,
            in("r2") a3,
            in("r3") a4,
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
            nr = in(reg) nr,
            inlateout("r0") a1 => ret,
            in("r1") a2,
            in("r2") a3,
        );
    }
    ret
}
