//! x86_64: `syscall`, the number in `rax`, arguments in `rdi`, `rsi`, `rdx`,
//! `r10`, `r8`, `r9`, the result in `rax`; the kernel clobbers `rcx` and
//! `r11`.

use core::arch::asm;

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
    // SAFETY: the x86_64 Linux syscall ABI: number in rax, arguments in rdi,
    // rsi, rdx, r10, r8, r9; the kernel clobbers rcx and r11 and returns in
    // rax. The caller guarantees the arguments' validity.
    unsafe {
        asm!(
            "syscall",
            inlateout("rax") nr as usize => ret,
            in("rdi") a1,
            in("rsi") a2,
            in("rdx") a3,
            in("r10") a4,
            in("r8") a5,
            in("r9") a6,
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack, preserves_flags),
        );
    }
    ret
}

/// `syscall` with five arguments: for calls whose sixth the kernel ignores
/// (`sendto`/`recvfrom` with a null address never read the length).
///
/// # Safety
/// As [`syscall6`].
#[inline(always)]
pub(crate) unsafe fn syscall5(nr: u32, a1: usize, a2: usize, a3: usize, a4: usize, a5: usize) -> usize {
    let ret: usize;
    // SAFETY: as in `syscall6`.
    unsafe {
        asm!(
            "syscall",
            inlateout("rax") nr as usize => ret,
            in("rdi") a1,
            in("rsi") a2,
            in("rdx") a3,
            in("r10") a4,
            in("r8") a5,
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack, preserves_flags),
        );
    }
    ret
}

/// `syscall` with three arguments (`read`, `sendmsg`, `recvmsg`).
///
/// # Safety
/// As [`syscall6`].
#[inline(always)]
pub(crate) unsafe fn syscall3(nr: u32, a1: usize, a2: usize, a3: usize) -> usize {
    let ret: usize;
    // SAFETY: as in `syscall6`.
    unsafe {
        asm!(
            "syscall",
            inlateout("rax") nr as usize => ret,
            in("rdi") a1,
            in("rsi") a2,
            in("rdx") a3,
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack, preserves_flags),
        );
    }
    ret
}

/// `syscall` with up to four arguments (fewer registers to set up).
///
/// # Safety
/// As [`syscall6`].
#[inline(always)]
pub(crate) unsafe fn syscall4(nr: u32, a1: usize, a2: usize, a3: usize, a4: usize) -> usize {
    let ret: usize;
    // SAFETY: as in `syscall6`.
    unsafe {
        asm!(
            "syscall",
            inlateout("rax") nr as usize => ret,
            in("rdi") a1,
            in("rsi") a2,
            in("rdx") a3,
            in("r10") a4,
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack, preserves_flags),
        );
    }
    ret
}
