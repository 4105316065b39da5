//! # zerosock
//!
//! The whole BSD socket API for Linux — `socket` to `shutdown`, `sendmsg`
//! with control messages, batches, every option — on direct system calls,
//! with no libc, `#![no_std]`, and not one heap allocation.
//!
//! zerosock is for people who know the C socket API and want all of it from
//! Rust with nothing in between: embedded Linux firmware, fully static
//! binaries, latency-sensitive services. It is not an async runtime, not a
//! portability layer, and not a DNS resolver.
//!
//! ## A guided tour
//!
//! - [`endian`]: `htons` and friends, and [`Be16`](endian::Be16)/[`Be32`](endian::Be32),
//!   network-order types that make a byte-order mix-up a type error.
//! - [`addr`]: the kernel's address layouts written out by hand
//!   ([`SockAddrIn`](addr::SockAddrIn), [`SockAddrUn`](addr::SockAddrUn), …),
//!   [`UnixAddr`](addr::UnixAddr) with unix(7)'s length rules,
//!   [`SockAddr`](addr::SockAddr) for whatever the kernel returns, and the
//!   `inet_*` text forms.
//! - [`Socket`]: one socket of any domain, type and protocol, with every call.
//! - Typed sockets shaped like `std::net`: [`TcpListener`], [`TcpStream`],
//!   [`UdpSocket`], [`UnixListener`], [`UnixStream`], [`UnixDatagram`],
//!   [`UnixSeqpacketListener`], [`UnixSeqpacket`].
//! - [`msg`]: `sendmsg`/`recvmsg` with control messages (fds, credentials,
//!   packet info, timestamps, ECN, GSO/GRO) and `sendmmsg`/`recvmmsg` batches,
//!   all in caller-provided memory.
//! - [`opt`]: every socket option, typed, over one raw get/set path.
//! - [`poll`]: readiness over a caller's fixed array, and [`Socket::wait`].
//! - Connecting well: [`Socket::connect_timeout`] and [`connect_retry`] with
//!   exponential back-off on a fresh socket each try.
//! - [`proc`]: the kernel's socket tables (`/proc/net/tcp`, `unix`, …) and
//!   inode-to-fd lookup, as `ss` shows them.
//! - The flag newtypes [`Domain`], [`Type`], [`Protocol`], [`MsgFlags`] print
//!   their C names.
//!
//! System calls return the kernel's [`Errno`] unchanged; see [`Error`] for
//! the few functions that check input or loop.
//!
//! ```
//! use zerosock::{Domain, Protocol, Socket, Type};
//! use core::net::{Ipv4Addr, SocketAddrV4};
//!
//! let server = Socket::new(Domain::INET, Type::DGRAM, Protocol::UDP)?;
//! server.bind(&SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0))?;
//! let to = server.local_addr()?;
//!
//! let client = Socket::new(Domain::INET, Type::DGRAM, Protocol::UDP)?;
//! client.send_to(b"hello", &to)?;
//!
//! let mut buf = [0u8; 16];
//! let (n, from) = server.recv_from(&mut buf)?;
//! assert_eq!(&buf[..n], b"hello");
//! // The client was bound to an ephemeral port by its first send.
//! assert_eq!(from.socket_addr().unwrap().port(), client.local_addr()?.socket_addr().unwrap().port());
//! # Ok::<(), zerosock::Errno>(())
//! ```

#![no_std]
#![deny(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "std")]
extern crate std;

pub mod addr;
mod connect;
pub mod endian;
mod error;
mod flags;
pub mod msg;
pub mod opt;
pub mod poll;
pub mod proc;
pub mod resolve;
mod socket;
mod sys;
mod tcp;
mod udp;
mod unix;

pub use connect::*;
pub use error::{Errno, Error};
pub use flags::{Domain, MsgFlags, Protocol, Shutdown, Type};
pub use socket::Socket;
pub use tcp::*;
pub use udp::*;
pub use unix::*;

/// rustix's fd types (std's own when the `std` feature is on).
pub use rustix::fd;
/// rustix's `iovec`-compatible buffers (std's own with the `std` feature).
pub use rustix::io::{IoSlice, IoSliceMut};

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
