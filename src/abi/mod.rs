//! The bottom layer: every `#[repr(C)]` structure the kernel reads or
//! writes, written out by hand, with compile-time checks of its size,
//! alignment and field offsets, and the [`Pod`] marker for values the kernel
//! may fill byte by byte.
//!
//! Nothing here makes a system call, and nothing here imports from a layer
//! above: only the small value types ([`crate::endian`], [`crate::flags`])
//! are used. The `unsafe` that reinterprets bytes as these structures lives
//! here and in [`crate::sys`], nowhere else. Users reach the public layouts
//! through [`crate::addr`], [`crate::msg`], [`crate::opt`] and
//! [`crate::poll`].

#![allow(unsafe_code)]

pub(crate) mod addr;
pub(crate) mod msg;
pub(crate) mod opt;
pub(crate) mod pod;
pub(crate) mod poll;
pub(crate) mod tcp_info;

pub use addr::{
    In6Addr, InAddr, SUN_PATH_LEN, SaFamily, SockAddrHeader, SockAddrIn, SockAddrIn6, SockAddrStorage,
    SockAddrUn, SockLen,
};
pub use pod::Pod;
pub(crate) use pod::bytes_of;
pub use poll::{Interest, PollFd, Ready};
