//! The one door to the kernel. Every system call zerosock makes goes through
//! this module, which uses only the layouts of [`crate::abi`] and the small
//! value types (flags, errno) — nothing above it.
//!
//! rustix is used where it costs nothing (socket creation, `bind`/`connect`
//! through [`SocketAddrArg`](rustix::net::addr::SocketAddrArg), `listen`,
//! `shutdown`, `fcntl`, fd ownership); each rustix call's error becomes
//! zerosock's own [`Errno`](crate::Errno) through `raw::rx`. What rustix lacks,
//! or can only do with a copy, is issued here directly with the `syscall`
//! instruction: the hot send/recv path, addresses written by the kernel
//! straight into our own [`SockAddr`](crate::addr::SockAddr), `close` with its
//! error, and raw `getsockopt`/`setsockopt`.
//!
//! Only x86_64 Linux is built and tested, so only x86_64 is supported: any
//! other target stops at compile time rather than shipping untested code.

#![allow(unsafe_code)]

#[cfg(not(all(target_os = "linux", target_arch = "x86_64")))]
compile_error!("zerosock is built and tested on x86_64 Linux only; see README \"Targets\"");

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
