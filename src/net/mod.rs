//! Typed sockets shaped like `std::net` and `std::os::unix::net`: each a
//! thin `#[repr(transparent)]` newtype over [`Socket`](crate::Socket), with
//! std's names and shapes and every call the `Socket` call of the same name,
//! so it returns the kernel's [`Errno`](crate::Errno) unchanged.
//!
//! - `tcp`: [`TcpListener`], [`TcpStream`].
//! - `udp`: [`UdpSocket`].
//! - `unix`: [`UnixListener`], [`UnixStream`], [`UnixDatagram`],
//!   [`UnixSeqpacketListener`], [`UnixSeqpacket`].
//! - `addrs`: addresses the way std takes them ([`ToSocketAddrs`],
//!   [`ToUnixAddr`]).
//! - `macros`: the surface all of them share, written once.
//! - `options`: the options std offers on them, with std's names.
//! - `msg`: fd passing on Unix sockets; GSO and GRO on UDP.
//! - `batch`: UDP batches with `core::net` addresses.

mod addrs;
mod batch;
mod macros;
// Constructors and I/O first on the doc pages, then messages and options.
mod msg;
mod options;
mod tcp;
mod udp;
mod unix;

pub use addrs::{MAX_SOCKET_ADDRS, SocketAddrs, ToSocketAddrs, ToUnixAddr};
pub use batch::{UdpDatagram, UdpRecvBatch, UdpSendBatch};
pub use msg::GroRecv;
pub use tcp::{Incoming, TcpListener, TcpStream};
pub use udp::UdpSocket;
pub use unix::{UnixDatagram, UnixListener, UnixSeqpacket, UnixSeqpacketListener, UnixStream};
