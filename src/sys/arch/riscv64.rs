//! riscv64: `ecall`, the number in `a7`, arguments in `a0`..`a5`, the result
//! in `a0`. The kernel may discard the vector registers' contents across a
//! system call (the V extension's ABI), so they are clobbered.

use core::arch::asm;

/// `ecall` with the vector registers clobbered; the operands follow.
macro_rules! ecall {
    ($($operands:tt)*) => {
        asm!(
            "ecall",
            $($operands)*
            lateout("v0") _, lateout("v1") _, lateout("v2") _, lateout("v3") _,
            lateout("v4") _, lateout("v5") _, lateout("v6") _, lateout("v7") _,
            lateout("v8") _, lateout("v9") _, lateout("v10") _, lateout("v11") _,
            lateout("v12") _, lateout("v13") _, lateout("v14") _, lateout("v15") _,
            lateout("v16") _, lateout("v17") _, lateout("v18") _, lateout("v19") _,
            lateout("v20") _, lateout("v21") _, lateout("v22") _, lateout("v23") _,
            lateout("v24") _, lateout("v25") _, lateout("v26") _, lateout("v27") _,
            lateout("v28") _, lateout("v29") _, lateout("v30") _, lateout("v31") _,
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
    // SAFETY: the riscv64 Linux syscall ABI above; the caller guarantees the
    // arguments' validity.
    unsafe {
        ecall!(
            in("a7") nr as usize,
            inlateout("a0") a1 => ret,
            in("a1") a2,
            in("a2") a3,
            in("a3") a4,
            in("a4") a5,
            in("a5") a6,
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
        ecall!(
            in("a7") nr as usize,
            inlateout("a0") a1 => ret,
            in("a1") a2,
            in("a2") a3,
            in("a3") a4,
            in("a4") a5,
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
        ecall!(
            in("a7") nr as usize,
            inlateout("a0") a1 => ret,
            in("a1") a2,
            in("a2") a3,
            in("a3") a4,
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
        ecall!(
            in("a7") nr as usize,
            inlateout("a0") a1 => ret,
            in("a1") a2,
            in("a2") a3,
        );
    }
    ret
}
