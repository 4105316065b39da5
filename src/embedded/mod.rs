//! The embedded ecosystem's traits on zerosock's sockets, so that a client
//! written against them — an MQTT, HTTP or CoAP client from crates.io —
//! runs unchanged on Linux with no libc and no heap. Each part is behind
//! its own cargo feature and costs nothing when off:
//!
//! - `embedded-io` (0.7): [`embedded_io::Read`], [`Write`](embedded_io::Write),
//!   [`ReadReady`](embedded_io::ReadReady) and
//!   [`WriteReady`](embedded_io::WriteReady) on [`TcpStream`](crate::TcpStream)
//!   and [`UnixStream`](crate::UnixStream) (and on `&` them), with
//!   [`Error`](crate::Error) as the error: see [`error_kind`] for how every
//!   errno maps to an [`embedded_io::ErrorKind`].
//! - `embedded-nal` (0.9): [`Stack`], whose TCP and UDP sockets follow
//!   the `nb` contract with non-blocking sockets (`WouldBlock` for
//!   `EAGAIN` and a connect in progress; the crate never spins), and whose
//!   `Dns` is [`crate::resolve`].
//! - `embedded-async`: embedded-io-async 0.7 and embedded-nal-async 0.9 on
//!   [`Async`] sockets and [`AsyncStack`], woken by an epoll [`Reactor`]
//!   with a fixed table of registrations (one thread per reactor: see
//!   [`Reactor`] for what it supports), and [`block_on`] for programs
//!   without an executor.
//!
//! Shown in `tests/embedded`: minimq 0.13 (MQTT 5 on embedded-io-async,
//! connections from [`AsyncStack`]'s `TcpConnect`) and minimq 0.10 (MQTT 5
//! on the blocking embedded-nal [`Stack`]), both unchanged from crates.io,
//! publish and receive through a mosquitto broker on loopback with zero
//! heap operations while the messages flow.
//!
//! Not done: `Dns` blocks inside the async stack (the resolver's
//! non-blocking [`Query`](crate::resolve::Query) is not wired to the
//! reactor); `UdpStack::bind_multiple` does not report each datagram's
//! destination address (no `IP_PKTINFO`); embedded-io-async's `BufRead` is
//! not implemented.

#[cfg(feature = "embedded-io")]
mod io;
#[cfg(feature = "embedded-nal")]
mod nal;

#[cfg(feature = "embedded-async")]
mod asynch;
#[cfg(feature = "embedded-async")]
mod reactor;

#[cfg(feature = "embedded-async")]
pub use asynch::{Async, AsyncStack};
#[cfg(feature = "embedded-io")]
pub use io::error_kind;
#[cfg(feature = "embedded-nal")]
pub use nal::{Stack, TcpSocket, UdpSocket};
#[cfg(feature = "embedded-async")]
pub use reactor::{Reactor, block_on};
