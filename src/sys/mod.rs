//! The one door to the kernel. Every system call zerosock makes goes through
//! this module.
//!
//! rustix is used where it costs nothing (socket creation, `bind`/`connect`
//! through [`SocketAddrArg`](rustix::net::addr::SocketAddrArg), `listen`,
//! `shutdown`, `fcntl`, `poll`, fd ownership and [`Errno`]). What rustix lacks,
//! or can only do with a copy, is issued here directly with the `syscall`
//! instruction (`raw.rs`, one file per architecture in `arch/`): the hot
//! send/recv path, addresses written by the kernel
//! straight into our own [`SockAddr`](crate::addr::SockAddr), `close` with its
//! error, and raw `getsockopt`/`setsockopt`.
//!
//! x86_64, aarch64, riscv64 and 32-bit ARM Linux are built and tested (the
//! last three under qemu-user, `ci/cross.sh`); any other target stops at
//! compile time rather than shipping untested code.

#![allow(unsafe_code)]

#[cfg(not(all(
    target_os = "linux",
    any(
        target_arch = "x86_64",
        target_arch = "aarch64",
        target_arch = "riscv64",
        target_arch = "arm"
    )
)))]
compile_error!(
    "zerosock is built and tested on x86_64, aarch64, riscv64 and armv7 Linux only; see README \"Targets\""
);

pub(crate) mod fs;
#[allow(dead_code)] // the message and option modules are being built on these
mod net;
pub(crate) mod opt;
mod poll;
mod raw;
pub(crate) mod time;

#[allow(unused_imports, dead_code)]
pub(crate) use net::*;
pub(crate) use poll::ppoll;
