//! Socket addresses: the kernel's C layouts written out by hand, conversions
//! to and from `core::net`, Unix-domain addresses with unix(7)'s length rules,
//! a family-agnostic address decoded from what the kernel returns, and the
//! `inet_*` text forms.
//!
//! Every layout implements rustix's [`SocketAddrArg`], and so do the
//! `core::net` socket address types, so `bind`, `connect` and `send_to`
//! take any of them.

mod any;
mod convert;
mod text;
mod unix;

pub use crate::abi::{
    In6Addr, InAddr, SUN_PATH_LEN, SaFamily, SockAddrHeader, SockAddrIn, SockAddrIn6, SockAddrStorage,
    SockAddrUn, SockLen,
};
pub use any::{Addr, DecodeError, SockAddr};
pub use text::{
    AddrParseError, INET_ADDRSTRLEN, INET6_ADDRSTRLEN, inet_addr, inet_aton, inet_ntoa, inet_ntop,
    inet_ntop_v4, inet_ntop_v6, inet_pton, inet_pton_v4, inet_pton_v6, write_inet_ntop,
};
pub use unix::{UNIX_NAME_MAX, UnixAddr, UnixAddrError, UnixAddrKind};

/// rustix's trait for anything that can be passed to the kernel as a
/// `sockaddr`: our layouts, [`SockAddr`], [`UnixAddr`], and `core::net`'s
/// socket addresses.
pub use rustix::net::addr::SocketAddrArg;
