//! embedded-nal 0.9 on zerosock: [`Stack`], its [`TcpSocket`] and
//! [`UdpSocket`], and `Dns` on [`crate::resolve`].

use core::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use core::time::Duration;

use embedded_nal::{AddrType, TcpErrorKind};

use crate::error::{Errno, Error};
use crate::flags::{Domain, Protocol, Type};
use crate::poll::Interest;
use crate::resolve::{GaiError, Resolver};
use crate::socket::Socket;

/// An embedded-nal 0.9 network stack on the kernel's: TCP and UDP over
/// non-blocking sockets, and names through [`crate::resolve`].
///
/// The `nb` contract is kept with non-blocking sockets and no waiting
/// inside the crate: every call is one attempt, and `nb::Error::WouldBlock`
/// means the kernel said `EAGAIN` (or a connect is still in progress), so
/// the caller retries when it likes — typically after its own
/// [`poll`](crate::poll::poll) on the socket, which [`TcpSocket`] and
/// [`UdpSocket`] expose through [`as_socket`](TcpSocket::as_socket).
/// `nb::block!` turns a call into a busy retry loop; that loop is the
/// caller's choice, never the crate's.
///
/// - `connect` (TCP) starts a non-blocking connect(2) on a fresh socket of
///   the address's family and returns `WouldBlock` while the handshake is
///   under way (`EINPROGRESS`); each later call looks at the socket with a
///   zero-timeout ppoll(2) and, once it is writable, takes the outcome from
///   `SO_ERROR` (`ECONNREFUSED`, `ETIMEDOUT`, …). A failed connect leaves
///   the socket fresh, so the next `connect` starts again.
/// - `bind` + `listen` (TCP) and `bind` (UDP) open a dual-stack IPv6 socket
///   on `[::]:port` (`IPV6_V6ONLY` off, so IPv4 peers arrive too, their
///   addresses reported as IPv4), or `0.0.0.0:port` if the kernel has no
///   IPv6. TCP listeners set `SO_REUSEADDR`, as std does.
/// - `receive` (TCP) returns `Ok(0)` at end of stream; `send` uses
///   `MSG_NOSIGNAL` (a reset peer gives `EPIPE`, whose
///   [`TcpErrorKind`] is `PipeClosed`).
/// - `Dns` is blocking (the resolver's `getaddrinfo`, `gethostbyname2`,
///   `gethostbyaddr`): it never returns `WouldBlock`.
///
/// Errors are [`Error`]: the kernel's errno unchanged in [`Error::Os`], or
/// [`Error::Name`] from the resolver.
///
/// ```
/// use embedded_nal::{TcpClientStack, TcpFullStack};
/// use zerosock::embedded::Stack;
///
/// let mut stack = Stack::new();
/// let mut server = stack.socket()?;
/// stack.bind(&mut server, 0)?;
/// stack.listen(&mut server)?;
/// let port = server.local_addr()?.port();
///
/// let mut client = stack.socket()?;
/// let remote = ([127, 0, 0, 1], port).into();
/// let mut tries = 0;
/// loop {
///     match stack.connect(&mut client, remote) {
///         Ok(()) => break,
///         Err(nb::Error::WouldBlock) => {
///             // A real program does other work, or polls, here.
///             client.as_socket().unwrap().wait(zerosock::poll::Interest::OUT, None)?;
///         }
///         Err(nb::Error::Other(e)) => return Err(e),
///     }
///     tries += 1;
///     assert!(tries < 100);
/// }
/// stack.close(client)?;
/// # Ok::<(), zerosock::Error>(())
/// ```
///
/// # References
/// - [socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html)
/// - [connect(2)](https://man7.org/linux/man-pages/man2/connect.2.html)
#[derive(Clone, Debug)]
pub struct Stack<'r> {
    resolver: Option<Resolver<'r>>,
}

impl Stack<'static> {
    /// A stack whose `Dns` reads the system's configuration
    /// ([`Resolver::system`]) at each lookup.
    #[must_use]
    pub const fn new() -> Self {
        Self { resolver: None }
    }
}

impl Default for Stack<'static> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'r> Stack<'r> {
    /// A stack whose `Dns` asks `resolver` (its own `resolv.conf`,
    /// `nsswitch.conf` sources and files).
    #[must_use]
    pub const fn with_resolver(resolver: Resolver<'r>) -> Self {
        Self {
            resolver: Some(resolver),
        }
    }

    fn with_resolver_do<T>(&self, f: impl FnOnce(&Resolver<'_>) -> Result<T, GaiError>) -> Result<T, Error> {
        match &self.resolver {
            Some(r) => f(r),
            None => Resolver::system().and_then(|r| f(&r)),
        }
        .map_err(Error::Name)
    }
}

/// `PipeClosed` for `EPIPE`, `ECONNRESET` and `ESHUTDOWN` (the peer or
/// this side closed the connection), `Other` for everything else.
impl embedded_nal::TcpError for Error {
    fn kind(&self) -> TcpErrorKind {
        match self {
            Self::Os(Errno::PIPE | Errno::CONNRESET | Errno::SHUTDOWN) => TcpErrorKind::PipeClosed,
            _ => TcpErrorKind::Other,
        }
    }
}

/// `EAGAIN` (and `EINPROGRESS`) as `WouldBlock`; any other errno as the
/// error.
#[inline]
fn nb_err(errno: Errno) -> nb::Error<Error> {
    match errno {
        Errno::AGAIN | Errno::INPROGRESS => nb::Error::WouldBlock,
        e => nb::Error::Other(Error::Os(e)),
    }
}

/// IPv4 peers of a dual-stack socket arrive as `::ffff:a.b.c.d`: report
/// them as the IPv4 addresses they are.
#[inline]
fn canonical(addr: SocketAddr) -> SocketAddr {
    SocketAddr::new(addr.ip().to_canonical(), addr.port())
}

/// The address `socket` is bound to, [`canonical`]; `ENOTCONN` for no
/// kernel socket yet.
fn bound_addr(socket: Option<&Socket>) -> Result<SocketAddr, Errno> {
    let socket = socket.ok_or(Errno::NOTCONN)?;
    socket
        .local_addr()?
        .socket_addr()
        .map(canonical)
        .ok_or(Errno::AFNOSUPPORT)
}

/// An IPv4 destination for a dual-stack IPv6 socket: `::ffff:a.b.c.d`.
#[inline]
fn for_family(remote: SocketAddr, v6: bool) -> SocketAddr {
    match remote {
        SocketAddr::V4(v4) if v6 => SocketAddr::new(IpAddr::V6(v4.ip().to_ipv6_mapped()), v4.port()),
        other => other,
    }
}

/// A non-blocking socket bound to the wildcard address and `port`: IPv6
/// dual-stack, or IPv4 without IPv6. Returns it and whether it is IPv6.
fn bind_any(ty: Type, protocol: Protocol, port: u16, reuse: bool) -> Result<(Socket, bool), Error> {
    match Socket::new_nonblocking(Domain::INET6, ty, protocol) {
        Ok(socket) => {
            socket.set_only_v6(false)?;
            if reuse {
                socket.set_reuse_address(true)?;
            }
            socket.bind(&SocketAddr::new(IpAddr::V6(Ipv6Addr::UNSPECIFIED), port))?;
            Ok((socket, true))
        }
        Err(Errno::AFNOSUPPORT) => {
            let socket = Socket::new_nonblocking(Domain::INET, ty, protocol)?;
            if reuse {
                socket.set_reuse_address(true)?;
            }
            socket.bind(&SocketAddr::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), port))?;
            Ok((socket, false))
        }
        Err(e) => Err(e.into()),
    }
}

/// A TCP socket of [`Stack`]: fresh, bound to a port (not yet listening),
/// connecting, connected, or listening.
#[derive(Debug)]
pub struct TcpSocket {
    state: TcpState,
}

#[derive(Debug)]
enum TcpState {
    Fresh,
    Bound(u16),
    Connecting(Socket, SocketAddr),
    Connected(Socket),
    Listening(Socket),
}

impl TcpSocket {
    /// The kernel socket, once there is one (connecting, connected or
    /// listening): to poll it, set options, or read its addresses.
    #[must_use]
    pub fn as_socket(&self) -> Option<&Socket> {
        match &self.state {
            TcpState::Connecting(s, _) | TcpState::Connected(s) | TcpState::Listening(s) => Some(s),
            TcpState::Fresh | TcpState::Bound(_) => None,
        }
    }

    /// The address the socket is bound to (getsockname(2)); IPv4 peers'
    /// form for a dual-stack listener is `[::]:port`. [`Errno::NOTCONN`]
    /// before there is a kernel socket.
    ///
    /// # References
    /// - [getsockname(2)](https://man7.org/linux/man-pages/man2/getsockname.2.html)
    #[doc(alias = "getsockname")]
    pub fn local_addr(&self) -> Result<SocketAddr, Errno> {
        bound_addr(self.as_socket())
    }

    /// Whether the socket is connected (the handshake completed).
    #[must_use]
    pub const fn is_connected(&self) -> bool {
        matches!(self.state, TcpState::Connected(_))
    }

    fn connected(&self) -> Result<&Socket, nb::Error<Error>> {
        match &self.state {
            TcpState::Connected(s) => Ok(s),
            // The handshake is not done: not an error, not yet.
            TcpState::Connecting(..) => Err(nb::Error::WouldBlock),
            _ => Err(nb::Error::Other(Error::Os(Errno::NOTCONN))),
        }
    }
}

impl embedded_nal::TcpClientStack for Stack<'_> {
    type TcpSocket = TcpSocket;
    type Error = Error;

    /// A fresh socket; the kernel socket is made by `connect` or `listen`,
    /// when the address family is known.
    fn socket(&mut self) -> Result<TcpSocket, Error> {
        Ok(TcpSocket {
            state: TcpState::Fresh,
        })
    }

    fn connect(&mut self, socket: &mut TcpSocket, remote: SocketAddr) -> nb::Result<(), Error> {
        match core::mem::replace(&mut socket.state, TcpState::Fresh) {
            TcpState::Fresh => start_connect(socket, remote, None),
            TcpState::Bound(port) => start_connect(socket, remote, Some(port)),
            TcpState::Connecting(s, to) => {
                if to != remote {
                    socket.state = TcpState::Connecting(s, to);
                    return Err(nb::Error::Other(Error::Os(Errno::ALREADY)));
                }
                // One look, no waiting: writable means the handshake ended.
                let ready = s.wait(Interest::OUT, Some(Duration::ZERO)).map_err(Error::Os)?;
                if ready.is_empty() {
                    socket.state = TcpState::Connecting(s, to);
                    return Err(nb::Error::WouldBlock);
                }
                match s.take_error().map_err(Error::Os)? {
                    Some(err) => Err(nb::Error::Other(Error::Os(err))), // fresh again
                    None => {
                        socket.state = TcpState::Connected(s);
                        Ok(())
                    }
                }
            }
            TcpState::Connected(s) => {
                let same = s.peer_addr().ok().and_then(|a| a.socket_addr()).map(canonical) == Some(remote);
                socket.state = TcpState::Connected(s);
                if same {
                    Ok(())
                } else {
                    Err(nb::Error::Other(Error::Os(Errno::ISCONN)))
                }
            }
            TcpState::Listening(s) => {
                socket.state = TcpState::Listening(s);
                Err(nb::Error::Other(Error::Os(Errno::ISCONN)))
            }
        }
    }

    /// One send(2) with `MSG_NOSIGNAL`: the bytes the kernel took, or
    /// `WouldBlock` while its buffer is full (or the handshake is not
    /// done).
    fn send(&mut self, socket: &mut TcpSocket, buffer: &[u8]) -> nb::Result<usize, Error> {
        socket.connected()?.send(buffer).map_err(nb_err)
    }

    /// One recv(2): the bytes read, `Ok(0)` at end of stream, or
    /// `WouldBlock` when nothing has arrived.
    fn receive(&mut self, socket: &mut TcpSocket, buffer: &mut [u8]) -> nb::Result<usize, Error> {
        socket.connected()?.recv(buffer).map_err(nb_err)
    }

    /// close(2), reporting its error.
    fn close(&mut self, socket: TcpSocket) -> Result<(), Error> {
        match socket.state {
            TcpState::Connecting(s, _) | TcpState::Connected(s) | TcpState::Listening(s) => Ok(s.close()?),
            TcpState::Fresh | TcpState::Bound(_) => Ok(()),
        }
    }
}

/// A non-blocking socket of `remote`'s family (bound to `port` if given),
/// connect(2) started: connected, in progress (`WouldBlock`), or failed
/// (the socket stays fresh).
fn start_connect(socket: &mut TcpSocket, remote: SocketAddr, port: Option<u16>) -> nb::Result<(), Error> {
    let s =
        Socket::new_nonblocking(Domain::for_addr(&remote), Type::STREAM, Protocol::TCP).map_err(Error::Os)?;
    if let Some(port) = port {
        let any = match remote {
            SocketAddr::V4(_) => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            SocketAddr::V6(_) => IpAddr::V6(Ipv6Addr::UNSPECIFIED),
        };
        if let Err(e) = s.bind(&SocketAddr::new(any, port)) {
            socket.state = TcpState::Bound(port);
            return Err(nb::Error::Other(Error::Os(e)));
        }
    }
    match s.connect(&remote) {
        Ok(()) => {
            socket.state = TcpState::Connected(s);
            Ok(())
        }
        Err(Errno::INPROGRESS | Errno::INTR) => {
            // EINTR: the connect goes on in the kernel, as EINPROGRESS.
            socket.state = TcpState::Connecting(s, remote);
            Err(nb::Error::WouldBlock)
        }
        Err(e) => {
            if let Some(port) = port {
                socket.state = TcpState::Bound(port);
            }
            Err(nb::Error::Other(Error::Os(e)))
        }
    }
}

impl embedded_nal::TcpFullStack for Stack<'_> {
    /// Notes the port; the socket is bound by `listen` (or by `connect`,
    /// as the connection's source port).
    fn bind(&mut self, socket: &mut TcpSocket, local_port: u16) -> Result<(), Error> {
        match socket.state {
            TcpState::Fresh | TcpState::Bound(_) => {
                socket.state = TcpState::Bound(local_port);
                Ok(())
            }
            _ => Err(Error::Os(Errno::INVAL)),
        }
    }

    /// socket(2), `SO_REUSEADDR`, bind(2) to `[::]:port` (dual-stack) or
    /// `0.0.0.0:port`, listen(2) with std's backlog of 128; non-blocking.
    /// A socket never bound listens on a port the kernel chooses.
    fn listen(&mut self, socket: &mut TcpSocket) -> Result<(), Error> {
        let port = match socket.state {
            TcpState::Fresh => 0,
            TcpState::Bound(port) => port,
            _ => return Err(Error::Os(Errno::INVAL)),
        };
        let (s, _) = bind_any(Type::STREAM, Protocol::TCP, port, true)?;
        s.listen(128)?;
        socket.state = TcpState::Listening(s);
        Ok(())
    }

    /// One accept4(2): a connected, non-blocking socket and its peer, or
    /// `WouldBlock` when no connection is waiting.
    fn accept(&mut self, socket: &mut TcpSocket) -> nb::Result<(TcpSocket, SocketAddr), Error> {
        let TcpState::Listening(listener) = &socket.state else {
            return Err(nb::Error::Other(Error::Os(Errno::INVAL)));
        };
        let (fd, peer) = crate::sys::accept4_ip(listener.sys_fd(), true).map_err(nb_err)?;
        let peer = peer.ok_or(nb::Error::Other(Error::Os(Errno::AFNOSUPPORT)))?;
        Ok((
            TcpSocket {
                state: TcpState::Connected(Socket::from(fd)),
            },
            canonical(peer),
        ))
    }
}

/// A UDP socket of [`Stack`]: fresh until `connect`, `bind` or `send_to`
/// opens a kernel socket.
#[derive(Debug)]
pub struct UdpSocket {
    state: Option<(Socket, bool)>,
}

impl UdpSocket {
    /// The kernel socket, once there is one.
    #[must_use]
    pub fn as_socket(&self) -> Option<&Socket> {
        self.state.as_ref().map(|(s, _)| s)
    }

    /// The address the socket is bound to (getsockname(2));
    /// [`Errno::NOTCONN`] before there is a kernel socket.
    ///
    /// # References
    /// - [getsockname(2)](https://man7.org/linux/man-pages/man2/getsockname.2.html)
    #[doc(alias = "getsockname")]
    pub fn local_addr(&self) -> Result<SocketAddr, Errno> {
        bound_addr(self.as_socket())
    }

    /// The kernel socket, opened for `remote`'s family if there is none.
    fn open_for(&mut self, remote: SocketAddr) -> Result<(&Socket, bool), Error> {
        if self.state.is_none() {
            let s = Socket::new_nonblocking(Domain::for_addr(&remote), Type::DGRAM, Protocol::UDP)?;
            self.state = Some((s, remote.is_ipv6()));
        }
        let (s, v6) = self.state.as_ref().ok_or(Error::Os(Errno::BADF))?;
        Ok((s, *v6))
    }
}

impl embedded_nal::UdpClientStack for Stack<'_> {
    type UdpSocket = UdpSocket;
    type Error = Error;

    /// A fresh socket; the kernel socket is made when the family is known.
    fn socket(&mut self) -> Result<UdpSocket, Error> {
        Ok(UdpSocket { state: None })
    }

    /// connect(2) on the datagram socket: sets the default destination and
    /// filters what arrives; nothing is sent.
    fn connect(&mut self, socket: &mut UdpSocket, remote: SocketAddr) -> Result<(), Error> {
        let (s, v6) = socket.open_for(remote)?;
        Ok(s.connect(&for_family(remote, v6))?)
    }

    /// One send(2) of the whole datagram, or `WouldBlock`.
    fn send(&mut self, socket: &mut UdpSocket, buffer: &[u8]) -> nb::Result<(), Error> {
        let s = socket
            .as_socket()
            .ok_or(nb::Error::Other(Error::Os(Errno::DESTADDRREQ)))?;
        s.send(buffer).map(drop).map_err(nb_err)
    }

    /// One recvfrom(2): the datagram's length (cut to `buffer`) and sender,
    /// or `WouldBlock`.
    fn receive(
        &mut self,
        socket: &mut UdpSocket,
        buffer: &mut [u8],
    ) -> nb::Result<(usize, SocketAddr), Error> {
        let s = socket
            .as_socket()
            .ok_or(nb::Error::Other(Error::Os(Errno::NOTCONN)))?;
        let (n, from) = crate::sys::recvfrom_ip(s.sys_fd(), buffer, crate::MsgFlags::NONE).map_err(nb_err)?;
        let from = from.ok_or(nb::Error::Other(Error::Os(Errno::AFNOSUPPORT)))?;
        Ok((n, canonical(from)))
    }

    /// close(2), reporting its error.
    fn close(&mut self, socket: UdpSocket) -> Result<(), Error> {
        match socket.state {
            Some((s, _)) => Ok(s.close()?),
            None => Ok(()),
        }
    }
}

impl embedded_nal::UdpFullStack for Stack<'_> {
    /// socket(2) and bind(2) to `[::]:port` (dual-stack) or
    /// `0.0.0.0:port`; non-blocking.
    fn bind(&mut self, socket: &mut UdpSocket, local_port: u16) -> Result<(), Error> {
        if socket.state.is_some() {
            return Err(Error::Os(Errno::INVAL));
        }
        socket.state = Some(bind_any(Type::DGRAM, Protocol::UDP, local_port, false)?);
        Ok(())
    }

    /// One sendto(2) of the whole datagram to `remote`, or `WouldBlock`.
    fn send_to(
        &mut self,
        socket: &mut UdpSocket,
        remote: SocketAddr,
        buffer: &[u8],
    ) -> nb::Result<(), Error> {
        let (s, v6) = socket.open_for(remote)?;
        s.send_to(buffer, &for_family(remote, v6))
            .map(drop)
            .map_err(nb_err)
    }
}

impl embedded_nal::Dns for Stack<'_> {
    type Error = Error;

    /// The first address of `hostname`: `gethostbyname2` with `AF_INET`
    /// or `AF_INET6`, or for `Either` the first of `getaddrinfo`'s answers
    /// in glibc's order. Blocking; never `WouldBlock`.
    fn get_host_by_name(&mut self, hostname: &str, addr_type: AddrType) -> nb::Result<IpAddr, Error> {
        Ok(self.with_resolver_do(|r| host_by_name(r, hostname, &addr_type))?)
    }

    /// `gethostbyaddr`: the name written to the front of `result`, its
    /// length returned. `EAI_OVERFLOW` ([`GaiError::Overflow`]) if it does
    /// not fit. Blocking; never `WouldBlock`.
    fn get_host_by_address(&mut self, addr: IpAddr, result: &mut [u8]) -> nb::Result<usize, Error> {
        let name = self.with_resolver_do(|r| r.host_by_addr(addr))?;
        Ok(copy_name(name.as_str(), result)?)
    }
}

/// The first address of `hostname` for `addr_type` (see `Dns` on
/// [`Stack`]).
pub(crate) fn host_by_name(
    r: &Resolver<'_>,
    hostname: &str,
    addr_type: &AddrType,
) -> Result<IpAddr, GaiError> {
    let ip = match addr_type {
        AddrType::IPv4 => r
            .host_by_name::<16>(hostname, Domain::INET)?
            .addrs()
            .first()
            .copied(),
        AddrType::IPv6 => r
            .host_by_name::<16>(hostname, Domain::INET6)?
            .addrs()
            .first()
            .copied(),
        AddrType::Either => r
            .resolve_host_port::<16>(hostname, 0)?
            .iter()
            .next()
            .map(|a| a.ip()),
    };
    ip.ok_or(GaiError::NoName)
}

/// `name` written to the front of `result`: its length, or `EAI_OVERFLOW`.
pub(crate) fn copy_name(name: &str, result: &mut [u8]) -> Result<usize, Error> {
    let bytes = name.as_bytes();
    let out = result
        .get_mut(..bytes.len())
        .ok_or(Error::Name(GaiError::Overflow))?;
    out.copy_from_slice(bytes);
    Ok(bytes.len())
}
