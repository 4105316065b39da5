//! The system call instruction, one small file per architecture in `arch/`,
//! and the kernel's convention for errors (a return value in `-4095..=-1` is
//! `-errno`), shared by all of them.
//!
//! Each `arch/<arch>.rs` gives `syscall4` and `syscall6` and nothing else: the
//! instruction, the registers of its calling convention, and what the kernel
//! clobbers. The system call numbers come from linux-raw-sys, which selects
//! the target's own by `cfg`.

pub(crate) use rustix::io::Errno;

#[cfg_attr(target_arch = "x86_64", path = "arch/x86_64.rs")]
#[cfg_attr(target_arch = "aarch64", path = "arch/aarch64.rs")]
#[cfg_attr(target_arch = "riscv64", path = "arch/riscv64.rs")]
#[cfg_attr(target_arch = "arm", path = "arch/arm.rs")]
mod arch;

pub(crate) use arch::{syscall4, syscall6};

/// Turns a raw return value into `Ok(value)` or the kernel's `Errno`.
#[inline(always)]
pub(crate) fn check(ret: usize) -> Result<usize, Errno> {
    if ret > (-4096isize) as usize {
        Err(Errno::from_raw_os_error(ret.wrapping_neg() as i32))
    } else {
        Ok(ret)
    }
}
