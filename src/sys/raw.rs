//! The system call instruction, one small file per architecture in `arch/`,
//! and the kernel's convention for errors (a return value in `-4095..=-1` is
//! `-errno`), shared by all of them.
//!
//! Each `arch/<arch>.rs` gives `syscall3` to `syscall6` and nothing else: the
//! instruction, the registers of its calling convention, and what the kernel
//! clobbers. The system call numbers come from linux-raw-sys, which selects
//! the target's own by `cfg`.

#[cfg_attr(target_arch = "x86_64", path = "arch/x86_64.rs")]
#[cfg_attr(target_arch = "aarch64", path = "arch/aarch64.rs")]
#[cfg_attr(target_arch = "riscv64", path = "arch/riscv64.rs")]
#[cfg_attr(target_arch = "arm", path = "arch/arm.rs")]
mod arch;

pub(crate) use arch::{syscall3, syscall4, syscall5, syscall6};

pub(crate) use crate::errno::Errno;

/// A system call's result: the value, or the kernel's `Errno` (zerosock's).
pub(crate) type Result<T> = core::result::Result<T, Errno>;

/// A rustix call's result with zerosock's `Errno`: every rustix call in
/// `src/sys` goes through this.
#[inline(always)]
pub(crate) fn rx<T>(result: rustix::io::Result<T>) -> Result<T> {
    result.map_err(Errno::from_rustix)
}

/// Turns a raw return value into `Ok(value)` or the kernel's `Errno`.
#[inline(always)]
pub(crate) fn check(ret: usize) -> Result<usize> {
    if ret > (-4096isize) as usize {
        Err(Errno::from_negated_return(ret))
    } else {
        Ok(ret)
    }
}
