//! The one door to the kernel. Every system call zerosock makes goes through
//! this module, which uses only the layouts of [`crate::abi`] and the small
//! value types (flags, errno) — nothing above it.
//!
//! rustix is used where it costs nothing (socket creation, `bind`/`connect`
//! through [`SocketAddrArg`](rustix::net::addr::SocketAddrArg), `listen`,
//! `shutdown`, `fcntl`, fd ownership); each rustix call's error becomes
//! zerosock's own [`Errno`](crate::Errno) through `raw::rx`. What rustix lacks,
//! or can only do with a copy, is issued here directly with the system call
//! instruction: the hot send/recv path, addresses written by the kernel
//! straight into our own [`SockAddr`](crate::addr::SockAddr), `close` with its
//! error, and raw `getsockopt`/`setsockopt`.
//!
//! x86_64, aarch64, riscv64 and 32-bit ARM Linux are built and tested (the
//! last three under qemu-user, `ci/cross.sh`); any other target stops at
//! compile time rather than shipping untested code. The instruction itself
//! is one small file per architecture in `arch/`.

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

pub(crate) mod clock;
pub(crate) mod filter;
pub(crate) mod fs;
pub(crate) mod mmsg;
pub(crate) mod msg;
mod net;
pub(crate) mod opt;
mod poll;
pub(crate) mod rand;
mod raw;
pub(crate) mod time;
#[cfg(feature = "embedded-async")]
pub(crate) mod waker;

pub(crate) use net::*;
pub(crate) use poll::ppoll;
pub(crate) mod event;
pub(crate) mod sendfile;
