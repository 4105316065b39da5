//! # zerosock
//!
//! The whole BSD socket API for Linux — `socket` to `shutdown`, `sendmsg`
//! with control messages, batches, every option — on direct system calls,
//! with no libc, `#![no_std]`, and not one heap allocation.
//!
//! ## A TCP echo server
//!
//! The classic loop of the C tutorials — `socket`, `bind`, `listen`,
//! `accept`, then `recv` and `send` until the peer closes — with the typed
//! sockets. It serves one client here so the example ends; a real server
//! loops over `listener.incoming()` for ever (`examples/echo.rs` serves many
//! at once with `poll`).
//!
//! ```
//! use zerosock::{Shutdown, TcpListener, TcpStream};
//!
//! let listener = TcpListener::bind("127.0.0.1:0")?;     // socket, SO_REUSEADDR, bind, listen
//! let addr = listener.local_addr()?;
//!
//! let client = std::thread::spawn(move || -> Result<Vec<u8>, zerosock::Error> {
//!     let stream = TcpStream::connect(addr)?;
//!     stream.send_all(b"hello, echo")?;
//!     stream.shutdown(Shutdown::Write)?;                 // FIN: "that is all"
//!     let mut back = vec![0; 11];
//!     stream.recv_exact(&mut back)?;
//!     Ok(back)
//! });
//!
//! let (conn, _peer) = listener.accept()?;
//! let mut buf = [0u8; 4096];
//! loop {
//!     let n = conn.recv(&mut buf)?;                      // 0: the peer closed
//!     if n == 0 {
//!         break;
//!     }
//!     conn.send_all(&buf[..n])?;                         // loops over short sends
//! }
//! assert_eq!(client.join().unwrap()?, b"hello, echo");
//! # Ok::<(), zerosock::Error>(())
//! ```
//!
//! zerosock is for people who know the C socket API and want all of it from
//! Rust with nothing in between: embedded Linux firmware, fully static
//! binaries, latency-sensitive services. It is not an async runtime and not
//! a portability layer; its [`resolve`] module turns names into addresses
//! the way glibc does, with no libc and no allocation.
//!
//! ## A guided tour
//!
//! The folders are the layers, each using only those below it:
//!
//! - The value types: [`endian`] (`htons` and friends, and
//!   [`Be16`](endian::Be16)/[`Be32`](endian::Be32), network-order types that
//!   make a byte-order mix-up a type error), the flag newtypes [`Domain`],
//!   [`Type`], [`Protocol`], [`MsgFlags`] that print their C names, and
//!   [`Errno`]/[`Error`].
//! - `abi` (private; its public types are re-exported where users look for
//!   them): every C structure the kernel reads or writes —
//!   [`SockAddrIn`](addr::SockAddrIn), [`SockAddrUn`](addr::SockAddrUn),
//!   [`Linger`](opt::Linger), [`TcpInfo`](opt::TcpInfo),
//!   [`PollFd`](poll::PollFd), … — written out by hand and checked at compile
//!   time against the kernel's own definitions for the target being built.
//! - `sys` (private): the one door to the kernel; with `abi`, the only
//!   modules that lift `#![deny(unsafe_code)]`.
//! - [`addr`]: [`UnixAddr`](addr::UnixAddr) with unix(7)'s length rules,
//!   [`SockAddr`](addr::SockAddr) for whatever the kernel returns, and the
//!   `inet_*` text forms.
//! - [`Socket`]: one socket of any domain, type and protocol, with every
//!   call; [`Socket::connect_timeout`] and [`connect_retry`] with exponential
//!   back-off on a fresh socket each try.
//! - [`msg`]: `sendmsg`/`recvmsg` with control messages (fds, credentials,
//!   packet info, timestamps, ECN, GSO/GRO) and `sendmmsg`/`recvmmsg`
//!   batches, all in caller-provided memory.
//! - [`opt`]: every socket option, typed, over one raw get/set path.
//! - [`event`]: readiness — [`poll`] over a caller's fixed array and
//!   [`Socket::wait`]; [`Epoll`](event::epoll::Epoll) and
//!   [`EventFd`](event::eventfd::EventFd), the base of event loops;
//!   [`Socket::sendfile`] for files.
//! - Typed sockets shaped like `std::net`: [`TcpListener`], [`TcpStream`],
//!   [`UdpSocket`], [`UnixListener`], [`UnixStream`], [`UnixDatagram`],
//!   [`UnixSeqpacketListener`], [`UnixSeqpacket`].
//! - [`resolve`]: hosts, services, protocols, `nsswitch.conf`,
//!   `resolv.conf` and DNS — `getaddrinfo` with glibc's answers and order,
//!   blocking or driven from the caller's poll loop; the typed sockets use it
//!   for names (`TcpStream::connect("example.com:443")`).
//! - [`netlink`]: `AF_NETLINK` messages, rtnetlink (links, addresses,
//!   routes, neighbours, notifications) and sock_diag (every socket, with
//!   Unix peers); [`packet`]: `AF_PACKET` and classic BPF filters.
//! - `embedded` (optional features `embedded-io`, `embedded-nal`,
//!   `embedded-async`): the embedded ecosystem's I/O and network traits on
//!   these sockets, so unchanged embedded clients run on zerosock.
//! - [`proc`]: the kernel's socket tables (`/proc/net/tcp`, `unix`, …) and
//!   inode-to-fd lookup, as `ss` shows them (the legacy text interface;
//!   sock_diag is the modern one).
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

#[cfg(any(feature = "std", test))]
extern crate std;

// The order here is the order of the methods on the doc pages: `Socket`'s
// own calls (in `socket`) come before messages, readiness and the options
// that other modules add to it, and the typed sockets' calls before theirs.
mod abi;
pub mod addr;
#[cfg(any(feature = "embedded-io", feature = "embedded-nal", feature = "embedded-async"))]
pub mod embedded;
pub mod endian;
mod errno;
mod error;
pub mod event;
mod flags;
pub mod msg;
mod net;
pub mod netlink;
pub mod opt;
pub mod packet;
pub mod proc;
pub mod resolve;
mod socket;
mod sys;

pub use error::{Errno, Error};
pub use event::poll;
pub use flags::{Domain, MsgFlags, Protocol, Shutdown, Type};
pub use net::{
    Incoming, MAX_SOCKET_ADDRS, SocketAddrs, TcpListener, TcpStream, ToSocketAddrs, ToUnixAddr, UdpSocket,
    UnixDatagram, UnixListener, UnixSeqpacket, UnixSeqpacketListener, UnixStream,
};
pub use socket::Socket;
pub use socket::connect::{Backoff, connect_retry};

/// The fixed-capacity containers zerosock returns where a value must be
/// returned by value — [`inet_ntop`](addr::inet_ntop)'s and
/// [`Socket::tcp_congestion`]'s strings, [`Socket::device`]'s bytes,
/// [`FdVec`](msg::FdVec) — are heapless 0.9's, re-exported here: **heapless's
/// major version is part of zerosock's API**, and a heapless major version
/// will be a zerosock major version. Name them through this re-export
/// (`zerosock::heapless::String`) so the two never disagree.
pub use heapless;

/// rustix's fd types (std's own when the `std` feature is on).
pub use rustix::fd;
/// rustix's `iovec`-compatible buffers (std's own with the `std` feature).
pub use rustix::io::{IoSlice, IoSliceMut};

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
