//! TCP sockets shaped like `std::net`'s: [`TcpListener`] and [`TcpStream`],
//! each a thin newtype over [`Socket`].
//!
//! Addresses are `core::net` types; nothing resolves names (no DNS) and
//! nothing allocates. Every call is the [`Socket`] call of the same name, so
//! it returns the kernel's [`Errno`] unchanged.

use core::net::SocketAddr;

use rustix::fd::AsFd;

use super::addrs::{ToSocketAddrs, first_addr, try_each};
use super::macros::{connected_methods, inet_addr, inet_socket, stream_methods, typed_socket};
use crate::error::Errno;
use crate::error::Error;
use crate::flags::{Domain, Protocol, Type};
use crate::socket::Socket;
use crate::socket::connect::{Backoff, ZERO_TIMEOUT, connect_retry, connect_within};
use core::time::Duration;

/// The backlog `std::net::TcpListener::bind` uses, and so ours.
const DEFAULT_BACKLOG: i32 = 128;

typed_socket!(
    /// A TCP socket listening for connections, like `std::net::TcpListener`.
    ///
    /// ```
    /// use zerosock::{TcpListener, TcpStream};
    /// use core::net::Ipv4Addr;
    ///
    /// let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    /// let client = TcpStream::connect(listener.local_addr()?)?;
    /// let (server, peer) = listener.accept()?;
    /// assert_eq!(peer, client.local_addr()?);
    ///
    /// client.send_all(b"hello")?;
    /// let mut buf = [0; 5];
    /// server.recv_exact(&mut buf)?;
    /// assert_eq!(&buf, b"hello");
    /// # Ok::<(), zerosock::Error>(())
    /// ```
    ///
    /// # References
    /// - [tcp(7)](https://man7.org/linux/man-pages/man7/tcp.7.html)
    /// - [listen(2)](https://man7.org/linux/man-pages/man2/listen.2.html)
    TcpListener, std: std::net::TcpListener
);

impl TcpListener {
    /// Creates a TCP socket of `addr`'s family, sets `SO_REUSEADDR` (as std
    /// does on Unix, so a restarted server can bind over `TIME_WAIT`), binds
    /// it to `addr` and listens with a backlog of 128, as std does. Port 0
    /// asks the kernel for a free port; see [`local_addr`](Self::local_addr).
    ///
    /// # References
    /// - [socket(2)](https://man7.org/linux/man-pages/man2/socket.2.html)
    /// - [bind(2)](https://man7.org/linux/man-pages/man2/bind.2.html)
    /// - [listen(2)](https://man7.org/linux/man-pages/man2/listen.2.html)
    /// - [socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html) (`SO_REUSEADDR`)
    #[doc(alias = "listen")]
    pub fn bind(addr: impl ToSocketAddrs) -> Result<Self, Error> {
        Self::bind_with_backlog(addr, DEFAULT_BACKLOG)
    }

    /// [`bind`](Self::bind) with the listen(2) `backlog` given (the kernel
    /// caps it at `net.core.somaxconn`).
    ///
    /// # References
    /// - [listen(2)](https://man7.org/linux/man-pages/man2/listen.2.html)
    pub fn bind_with_backlog(addr: impl ToSocketAddrs, backlog: i32) -> Result<Self, Error> {
        try_each(addr, |addr| {
            let socket = inet_socket(addr, Type::STREAM, Protocol::TCP)?;
            socket.set_reuse_address(true)?;
            socket.bind(addr)?;
            socket.listen(backlog)?;
            Ok(Self(socket))
        })
    }

    /// Accepts a connection (accept4(2) with `SOCK_CLOEXEC`): the new
    /// stream, blocking whatever the listener's mode, and the peer's address
    /// decoded straight from the kernel's bytes.
    ///
    /// # Errors
    /// The kernel's error ([`Errno::AGAIN`] on a non-blocking listener with
    /// no connection waiting), or [`Errno::AFNOSUPPORT`] if the peer address
    /// is not IP (impossible for a TCP socket).
    ///
    /// # References
    /// - [accept4(2)](https://man7.org/linux/man-pages/man2/accept4.2.html)
    #[doc(alias = "accept4")]
    pub fn accept(&self) -> Result<(TcpStream, SocketAddr), Errno> {
        let (fd, peer) = crate::sys::accept4_ip(self.0.as_fd(), false)?;
        Ok((TcpStream(Socket::from(fd)), peer.ok_or(Errno::AFNOSUPPORT)?))
    }

    /// The address the listener is bound to (getsockname(2)), with the port
    /// the kernel chose for port 0.
    ///
    /// # References
    /// - [getsockname(2)](https://man7.org/linux/man-pages/man2/getsockname.2.html)
    #[doc(alias = "getsockname")]
    pub fn local_addr(&self) -> Result<SocketAddr, Errno> {
        inet_addr(&self.0.local_addr()?)
    }

    /// An endless iterator of accepted streams, like std's: each item is
    /// one accept4(2) with a null address, for servers that do not need
    /// the peer's address (no address is asked for, written or decoded).
    ///
    /// ```
    /// use zerosock::{TcpListener, TcpStream};
    /// use core::net::Ipv4Addr;
    /// let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    /// let _client = TcpStream::connect(listener.local_addr()?)?;
    /// let server = listener.incoming().next().unwrap()?;
    /// # Ok::<(), zerosock::Errno>(())
    /// ```
    ///
    /// # References
    /// - [accept4(2)](https://man7.org/linux/man-pages/man2/accept4.2.html)
    pub fn incoming(&self) -> Incoming<'_> {
        Incoming { listener: self }
    }
}

/// The iterator of [`TcpListener::incoming`]: it never ends; each item is
/// the result of one accept.
///
/// ```
/// use zerosock::TcpListener;
/// use core::net::Ipv4Addr;
/// let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
/// listener.set_nonblocking(true)?;
/// assert_eq!(listener.incoming().next().unwrap().unwrap_err(), zerosock::Errno::AGAIN);
/// # Ok::<(), zerosock::Errno>(())
/// ```
///
/// # References
/// - [accept4(2)](https://man7.org/linux/man-pages/man2/accept4.2.html)
#[derive(Debug)]
pub struct Incoming<'a> {
    listener: &'a TcpListener,
}

impl Iterator for Incoming<'_> {
    type Item = Result<TcpStream, Errno>;

    fn next(&mut self) -> Option<Self::Item> {
        Some(self.listener.0.accept_into(None, false).map(TcpStream))
    }
}

typed_socket!(
    /// A connected TCP socket, like `std::net::TcpStream`: a byte stream
    /// with `read`/`write`, `shutdown` for half-close, and end of stream
    /// reported as a read of 0.
    ///
    /// ```
    /// use zerosock::{Shutdown, TcpListener, TcpStream};
    /// use core::net::Ipv6Addr;
    ///
    /// # let Ok(listener) = TcpListener::bind((Ipv6Addr::LOCALHOST, 0)) else { return Ok(()) };
    /// let client = TcpStream::connect(listener.local_addr()?)?;
    /// let (server, _) = listener.accept()?;
    ///
    /// client.write(b"bye")?;
    /// client.shutdown(Shutdown::Write)?; // FIN: the server reads EOF…
    /// let mut buf = [0; 8];
    /// assert_eq!(server.read(&mut buf)?, 3);
    /// assert_eq!(server.read(&mut buf)?, 0);
    /// server.write(b"ok")?; // …and can still answer.
    /// assert_eq!(client.read(&mut buf)?, 2);
    /// # Ok::<(), zerosock::Errno>(())
    /// ```
    ///
    /// # References
    /// - [tcp(7)](https://man7.org/linux/man-pages/man7/tcp.7.html)
    TcpStream, std: std::net::TcpStream
);

connected_methods!(TcpStream);
stream_methods!(TcpStream);

impl TcpStream {
    /// Creates a TCP socket of `addr`'s family and connects it to `addr`,
    /// blocking until the handshake completes or fails (no timeout beyond
    /// the kernel's). Each address of `addr` is tried in turn until one
    /// connects, as std does; the last error is returned if none does.
    ///
    /// # References
    /// - [connect(2)](https://man7.org/linux/man-pages/man2/connect.2.html)
    pub fn connect(addr: impl ToSocketAddrs) -> Result<Self, Error> {
        try_each(addr, |addr| {
            let socket = inet_socket(addr, Type::STREAM, Protocol::TCP)?;
            socket.connect(addr)?;
            Ok(Self(socket))
        })
    }

    /// The connected peer's address (getpeername(2)).
    ///
    /// # References
    /// - [getpeername(2)](https://man7.org/linux/man-pages/man2/getpeername.2.html)
    #[doc(alias = "getpeername")]
    pub fn peer_addr(&self) -> Result<SocketAddr, Errno> {
        inet_addr(&self.0.peer_addr()?)
    }

    /// This end's address (getsockname(2)).
    ///
    /// # References
    /// - [getsockname(2)](https://man7.org/linux/man-pages/man2/getsockname.2.html)
    #[doc(alias = "getsockname")]
    pub fn local_addr(&self) -> Result<SocketAddr, Errno> {
        inet_addr(&self.0.local_addr()?)
    }
}

impl TcpStream {
    /// Opens a TCP connection to `addr`, giving up after `timeout` with
    /// [`Errno::TIMEDOUT`], like std's `TcpStream::connect_timeout`: see
    /// [`Socket::connect_timeout`]. The stream is returned in blocking mode.
    /// Each address of `addr` is tried in turn, each with the whole
    /// `timeout`, until one connects.
    ///
    /// ```
    /// use zerosock::{TcpListener, TcpStream};
    /// use core::time::Duration;
    /// let listener = TcpListener::bind((core::net::Ipv4Addr::LOCALHOST, 0))?;
    /// let stream = TcpStream::connect_timeout(&listener.local_addr()?, Duration::from_secs(5))?;
    /// assert_eq!(stream.peer_addr()?, listener.local_addr()?);
    /// # Ok::<(), zerosock::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a zero `timeout` (before any system
    /// call); [`Errno::TIMEDOUT`]; or the kernel's error.
    ///
    /// # References
    /// - [connect(2)](https://man7.org/linux/man-pages/man2/connect.2.html)
    pub fn connect_timeout(addr: impl ToSocketAddrs, timeout: Duration) -> Result<Self, Error> {
        if timeout.is_zero() {
            return Err(ZERO_TIMEOUT);
        }
        try_each(addr, |addr| {
            let socket = Socket::new_nonblocking(Domain::for_addr(addr), Type::STREAM, Protocol::TCP)?;
            connect_within(&socket, addr, timeout)?;
            socket.set_nonblocking(false)?;
            Ok(Self::from(socket))
        })
    }

    /// Opens a TCP connection to `addr`, retrying with exponential back-off
    /// on a fresh socket each time: see [`connect_retry`]. Only the first
    /// address of `addr` is tried.
    ///
    /// ```no_run
    /// use zerosock::{Backoff, TcpStream};
    /// let stream = TcpStream::connect_retry(([127, 0, 0, 1], 8080), &Backoff::APUE)?;
    /// # Ok::<(), zerosock::Error>(())
    /// ```
    ///
    /// # References
    /// - [connect(2)](https://man7.org/linux/man-pages/man2/connect.2.html)
    pub fn connect_retry(addr: impl ToSocketAddrs, backoff: &Backoff) -> Result<Self, Error> {
        let addr = first_addr(addr)?;
        let domain = Domain::for_addr(&addr);
        connect_retry(&addr, backoff, |_| {
            Socket::new(domain, Type::STREAM, Protocol::TCP)
        })
        .map(Self::from)
    }
}
