//! Unix-domain sockets shaped like `std::os::unix::net`'s — [`UnixListener`],
//! [`UnixStream`], [`UnixDatagram`] — plus `SOCK_SEQPACKET`
//! ([`UnixSeqpacketListener`], [`UnixSeqpacket`]), which std lacks.
//!
//! Addresses are [`UnixAddr`]: pathname, abstract or unnamed, validated when
//! built, so a path too long for `sun_path` is a typed
//! [`UnixAddrError`](crate::addr::UnixAddrError) before any system call,
//! never a truncation. Binding a pathname creates the socket file; removing
//! it is the caller's business, as in C.
//!
//! An address the kernel reports with length 0 (`recvfrom` of a datagram
//! whose sender never bound a name) is [`UnixAddr::UNNAMED`], the same as the
//! `sizeof(sa_family_t)`-long unnamed address `accept` and `getpeername`
//! report for such a peer.

use super::addrs::ToUnixAddr;
use super::macros::{connected_methods, datagram_methods, stream_methods, typed_socket};
use crate::addr::{SockAddr, UnixAddr};
use crate::error::{Errno, Error};
use crate::flags::{Domain, MsgFlags, Protocol, Type};
use crate::socket::Socket;

/// The backlog of `bind`, as `std::os::unix::net::UnixListener::bind` uses.
const DEFAULT_BACKLOG: i32 = 128;

/// The Unix address the kernel wrote. Length 0 is the unnamed address; any
/// non-`AF_UNIX` family (impossible on a Unix socket) is `EAFNOSUPPORT`,
/// never a panic.
fn unix_addr(addr: &SockAddr) -> Result<UnixAddr, Errno> {
    if addr.len() == 0 {
        return Ok(UnixAddr::UNNAMED);
    }
    addr.unix_addr().map_err(|_| Errno::AFNOSUPPORT)
}

fn unix_socket(ty: Type) -> Result<Socket, Errno> {
    Socket::new(Domain::UNIX, ty, Protocol::DEFAULT)
}

fn unix_pair(ty: Type) -> Result<(Socket, Socket), Errno> {
    Socket::pair(Domain::UNIX, ty, Protocol::DEFAULT)
}

fn unix_listener(ty: Type, addr: &UnixAddr, backlog: i32) -> Result<Socket, Errno> {
    let socket = unix_socket(ty)?;
    socket.bind(addr)?;
    socket.listen(backlog)?;
    Ok(socket)
}

fn unix_connect(ty: Type, addr: &UnixAddr) -> Result<Socket, Errno> {
    let socket = unix_socket(ty)?;
    socket.connect(addr)?;
    Ok(socket)
}

fn unix_accept(listener: &Socket) -> Result<(Socket, UnixAddr), Errno> {
    let mut peer = SockAddr::EMPTY;
    let socket = listener.accept_into(Some(&mut peer), false)?;
    Ok((socket, unix_addr(&peer)?))
}

/// `local_addr` and `peer_addr`, decoded as [`UnixAddr`].
macro_rules! unix_names {
    ($name:ident) => {
        impl $name {
            /// This socket's own address (getsockname(2)):
            /// [`UnixAddr::UNNAMED`] if it never bound a name.
            ///
            /// # References
            /// - [getsockname(2)](https://man7.org/linux/man-pages/man2/getsockname.2.html)
            #[doc(alias = "getsockname")]
            pub fn local_addr(&self) -> Result<UnixAddr, Errno> {
                unix_addr(&self.0.local_addr()?)
            }

            /// The connected peer's address (getpeername(2)):
            /// [`UnixAddr::UNNAMED`] if the peer never bound a name;
            /// [`Errno::NOTCONN`] if not connected.
            ///
            /// # References
            /// - [getpeername(2)](https://man7.org/linux/man-pages/man2/getpeername.2.html)
            #[doc(alias = "getpeername")]
            pub fn peer_addr(&self) -> Result<UnixAddr, Errno> {
                unix_addr(&self.0.peer_addr()?)
            }
        }
    };
}

/// `bind`, `bind_with_backlog`, `accept` and `local_addr` of a listener
/// whose connections are `$conn`, of socket type `$ty`.
macro_rules! unix_listener {
    ($name:ident, $conn:ident, $ty:expr) => {
        impl $name {
            /// Creates a socket, binds it to `addr` and listens with a
            /// backlog of 128, as std does. A pathname `addr` creates the
            /// socket file ([`Errno::ADDRINUSE`] if it exists; remove it when
            /// done).
            ///
            /// # References
            /// - [bind(2)](https://man7.org/linux/man-pages/man2/bind.2.html)
            /// - [listen(2)](https://man7.org/linux/man-pages/man2/listen.2.html)
            /// - [unix(7)](https://man7.org/linux/man-pages/man7/unix.7.html)
            #[doc(alias = "listen")]
            pub fn bind(addr: impl ToUnixAddr) -> Result<Self, Error> {
                Self::bind_with_backlog(addr, DEFAULT_BACKLOG)
            }

            /// [`bind`](Self::bind) with the listen(2) `backlog` given.
            ///
            /// # References
            /// - [listen(2)](https://man7.org/linux/man-pages/man2/listen.2.html)
            pub fn bind_with_backlog(addr: impl ToUnixAddr, backlog: i32) -> Result<Self, Error> {
                Ok(addr.with_unix_addr(|addr| unix_listener($ty, addr, backlog).map(Self))??)
            }

            /// Accepts a connection (accept4(2) with `SOCK_CLOEXEC`): the
            /// new socket (blocking whatever the listener's mode) and the
            /// peer's address, [`UnixAddr::UNNAMED`] for a peer that did not
            /// bind (the usual case).
            ///
            /// # Errors
            /// The kernel's error ([`Errno::AGAIN`] on a non-blocking
            /// listener with nothing waiting).
            ///
            /// # References
            /// - [accept4(2)](https://man7.org/linux/man-pages/man2/accept4.2.html)
            #[doc(alias = "accept4")]
            pub fn accept(&self) -> Result<($conn, UnixAddr), Errno> {
                let (socket, peer) = unix_accept(&self.0)?;
                Ok(($conn(socket), peer))
            }

            /// The address the listener is bound to (getsockname(2)).
            ///
            /// # References
            /// - [getsockname(2)](https://man7.org/linux/man-pages/man2/getsockname.2.html)
            #[doc(alias = "getsockname")]
            pub fn local_addr(&self) -> Result<UnixAddr, Errno> {
                unix_addr(&self.0.local_addr()?)
            }
        }
    };
}

/// `connect` and `pair` of a connection socket of type `$ty`.
macro_rules! unix_connection {
    ($name:ident, $ty:expr) => {
        impl $name {
            /// Creates a socket and connects it to the listener at `addr`.
            ///
            /// # References
            /// - [connect(2)](https://man7.org/linux/man-pages/man2/connect.2.html)
            /// - [unix(7)](https://man7.org/linux/man-pages/man7/unix.7.html)
            pub fn connect(addr: impl ToUnixAddr) -> Result<Self, Error> {
                Ok(addr.with_unix_addr(|addr| unix_connect($ty, addr).map(Self))??)
            }

            /// A pair of connected, unnamed sockets (socketpair(2) with
            /// `SOCK_CLOEXEC`).
            ///
            /// # References
            /// - [socketpair(2)](https://man7.org/linux/man-pages/man2/socketpair.2.html)
            #[doc(alias = "socketpair")]
            pub fn pair() -> Result<(Self, Self), Errno> {
                let (a, b) = unix_pair($ty)?;
                Ok((Self(a), Self(b)))
            }
        }
    };
}

typed_socket!(
    /// A Unix-domain stream socket listening for connections, like
    /// `std::os::unix::net::UnixListener`.
    ///
    /// ```
    /// use zerosock::addr::UnixAddr;
    /// use zerosock::{UnixListener, UnixStream};
    ///
    /// let dir = std::env::temp_dir().join(format!("zerosock-doc-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir).unwrap();
    /// let path = dir.join("listener.sock");
    /// let addr = UnixAddr::new(path.to_str().unwrap()).unwrap();
    ///
    /// let listener = UnixListener::bind(&addr)?;
    /// let client = UnixStream::connect(&addr)?;
    /// let (server, peer) = listener.accept()?;
    /// assert!(peer.is_unnamed()); // the client never bound a name
    /// client.send_all(b"hi").unwrap();
    /// let mut buf = [0; 2];
    /// server.recv_exact(&mut buf).unwrap();
    /// assert_eq!(&buf, b"hi");
    ///
    /// std::fs::remove_file(&path).unwrap();
    /// std::fs::remove_dir(&dir).unwrap();
    /// # Ok::<(), zerosock::Errno>(())
    /// ```
    ///
    /// # References
    /// - [unix(7)](https://man7.org/linux/man-pages/man7/unix.7.html)
    UnixListener, std: std::os::unix::net::UnixListener
);

unix_listener!(UnixListener, UnixStream, Type::STREAM);

typed_socket!(
    /// A connected Unix-domain stream socket, like
    /// `std::os::unix::net::UnixStream`.
    ///
    /// ```
    /// use zerosock::{Shutdown, UnixStream};
    ///
    /// let (a, b) = UnixStream::pair()?;
    /// a.write(b"one")?;
    /// a.shutdown(Shutdown::Write)?;
    /// let mut buf = [0; 8];
    /// assert_eq!(b.read(&mut buf)?, 3);
    /// assert_eq!(b.read(&mut buf)?, 0); // end of stream
    /// assert!(a.peer_addr()?.is_unnamed());
    /// # Ok::<(), zerosock::Errno>(())
    /// ```
    ///
    /// # References
    /// - [unix(7)](https://man7.org/linux/man-pages/man7/unix.7.html)
    UnixStream, std: std::os::unix::net::UnixStream
);

unix_connection!(UnixStream, Type::STREAM);
unix_names!(UnixStream);
connected_methods!(UnixStream);
stream_methods!(UnixStream);

typed_socket!(
    /// A Unix-domain datagram socket, like
    /// `std::os::unix::net::UnixDatagram`: reliable, with boundaries.
    ///
    /// ```
    /// use zerosock::UnixDatagram;
    /// use zerosock::addr::UnixAddr;
    ///
    /// let name = format!("zerosock-doc-dgram-{}", std::process::id());
    /// let addr = UnixAddr::new_abstract(name.as_bytes()).unwrap();
    /// let server = UnixDatagram::bind(&addr)?;
    ///
    /// let client = UnixDatagram::unbound()?;
    /// client.send_to(b"ping", &addr)?;
    /// let mut buf = [0; 8];
    /// let (n, from) = server.recv_from(&mut buf)?;
    /// assert_eq!(&buf[..n], b"ping");
    /// assert!(from.is_unnamed()); // the client has no name to answer to
    /// # Ok::<(), zerosock::Errno>(())
    /// ```
    ///
    /// # References
    /// - [unix(7)](https://man7.org/linux/man-pages/man7/unix.7.html)
    UnixDatagram, std: std::os::unix::net::UnixDatagram
);

unix_names!(UnixDatagram);
datagram_methods!(UnixDatagram);

impl UnixDatagram {
    /// Creates a datagram socket bound to `addr`. A pathname `addr` creates
    /// the socket file ([`Errno::ADDRINUSE`] if it exists).
    ///
    /// # References
    /// - [bind(2)](https://man7.org/linux/man-pages/man2/bind.2.html)
    /// - [unix(7)](https://man7.org/linux/man-pages/man7/unix.7.html)
    pub fn bind(addr: impl ToUnixAddr) -> Result<Self, Error> {
        let socket = unix_socket(Type::DGRAM)?;
        addr.with_unix_addr(|addr| socket.bind(addr))??;
        Ok(Self(socket))
    }

    /// Creates a datagram socket with no name: it can send, but receivers
    /// see it as [`UnixAddr::UNNAMED`] and cannot answer.
    ///
    /// # References
    /// - [socket(2)](https://man7.org/linux/man-pages/man2/socket.2.html)
    pub fn unbound() -> Result<Self, Errno> {
        unix_socket(Type::DGRAM).map(Self)
    }

    /// A pair of connected, unnamed datagram sockets (socketpair(2)).
    ///
    /// # References
    /// - [socketpair(2)](https://man7.org/linux/man-pages/man2/socketpair.2.html)
    #[doc(alias = "socketpair")]
    pub fn pair() -> Result<(Self, Self), Errno> {
        let (a, b) = unix_pair(Type::DGRAM)?;
        Ok((Self(a), Self(b)))
    }

    /// Sets the default destination to `addr` and accepts datagrams from it
    /// only (connect(2)).
    ///
    /// # References
    /// - [connect(2)](https://man7.org/linux/man-pages/man2/connect.2.html)
    pub fn connect(&self, addr: impl ToUnixAddr) -> Result<(), Error> {
        Ok(addr.with_unix_addr(|addr| self.0.connect(addr))??)
    }

    /// Sends one datagram to `addr` (sendto(2)).
    ///
    /// # References
    /// - [sendto(2)](https://man7.org/linux/man-pages/man2/sendto.2.html)
    #[doc(alias = "sendto")]
    #[inline]
    pub fn send_to(&self, buf: &[u8], addr: impl ToUnixAddr) -> Result<usize, Error> {
        Ok(addr.with_unix_addr(|addr| self.0.send_to(buf, addr))??)
    }

    /// Receives one datagram and its sender's address (recvfrom(2)). A
    /// sender that never bound a name is [`UnixAddr::UNNAMED`] (the kernel
    /// reports it with length 0).
    ///
    /// # References
    /// - [recvfrom(2)](https://man7.org/linux/man-pages/man2/recvfrom.2.html)
    #[doc(alias = "recvfrom")]
    pub fn recv_from(&self, buf: &mut [u8]) -> Result<(usize, UnixAddr), Errno> {
        self.recv_from_with_flags(buf, MsgFlags::NONE)
    }

    /// [`recv_from`](Self::recv_from) without taking the datagram off the
    /// queue (recvfrom(2) with `MSG_PEEK`).
    ///
    /// # References
    /// - [recvfrom(2)](https://man7.org/linux/man-pages/man2/recvfrom.2.html)
    #[doc(alias = "MSG_PEEK")]
    pub fn peek_from(&self, buf: &mut [u8]) -> Result<(usize, UnixAddr), Errno> {
        self.recv_from_with_flags(buf, MsgFlags::PEEK)
    }

    fn recv_from_with_flags(&self, buf: &mut [u8], flags: MsgFlags) -> Result<(usize, UnixAddr), Errno> {
        let mut from = SockAddr::EMPTY;
        let n = self.0.recv_from_into(buf, flags, &mut from)?;
        Ok((n, unix_addr(&from)?))
    }

    /// Shuts down one or both directions (shutdown(2)): after
    /// [`Shutdown::Read`](crate::Shutdown::Read) a receive returns 0 at
    /// once; after [`Shutdown::Write`](crate::Shutdown::Write) a send gives
    /// [`Errno::PIPE`].
    ///
    /// # References
    /// - [shutdown(2)](https://man7.org/linux/man-pages/man2/shutdown.2.html)
    pub fn shutdown(&self, how: crate::Shutdown) -> Result<(), Errno> {
        self.0.shutdown(how)
    }
}

typed_socket!(
    /// A Unix-domain `SOCK_SEQPACKET` socket listening for connections.
    ///
    /// ```
    /// use zerosock::addr::UnixAddr;
    /// use zerosock::{UnixSeqpacket, UnixSeqpacketListener};
    ///
    /// let name = format!("zerosock-doc-seqpacket-{}", std::process::id());
    /// let addr = UnixAddr::new_abstract(name.as_bytes()).unwrap();
    /// let listener = UnixSeqpacketListener::bind(&addr)?;
    /// let client = UnixSeqpacket::connect(&addr)?;
    /// let (server, _) = listener.accept()?;
    ///
    /// client.send(b"one")?;
    /// client.send(b"two")?;
    /// let mut buf = [0; 16];
    /// assert_eq!(server.recv(&mut buf)?, 3); // one message per receive
    /// assert_eq!(server.recv(&mut buf)?, 3);
    /// # Ok::<(), zerosock::Errno>(())
    /// ```
    ///
    /// # References
    /// - [unix(7)](https://man7.org/linux/man-pages/man7/unix.7.html)
    /// - [seqpacket in socket(2)](https://man7.org/linux/man-pages/man2/socket.2.html)
    UnixSeqpacketListener
);

unix_listener!(UnixSeqpacketListener, UnixSeqpacket, Type::SEQPACKET);

typed_socket!(
    /// A connected Unix-domain `SOCK_SEQPACKET` socket: reliable and
    /// ordered like a stream, with message boundaries like datagrams. Each
    /// receive returns one message (cut to the buffer if longer).
    ///
    /// ```
    /// use zerosock::UnixSeqpacket;
    ///
    /// let (a, b) = UnixSeqpacket::pair()?;
    /// a.send(b"hello")?;
    /// a.send(b"world")?;
    /// let mut buf = [0; 64];
    /// assert_eq!(b.recv(&mut buf)?, 5);
    /// assert_eq!(&buf[..5], b"hello");
    /// # Ok::<(), zerosock::Errno>(())
    /// ```
    ///
    /// # References
    /// - [unix(7)](https://man7.org/linux/man-pages/man7/unix.7.html)
    /// - [socket(2)](https://man7.org/linux/man-pages/man2/socket.2.html)
    UnixSeqpacket
);

unix_connection!(UnixSeqpacket, Type::SEQPACKET);
unix_names!(UnixSeqpacket);
connected_methods!(UnixSeqpacket);
