//! embedded-io-async 0.7 and embedded-nal-async 0.9 on zerosock sockets,
//! woken by a [`Reactor`].

use core::future::poll_fn;
use core::net::{IpAddr, SocketAddr};
use core::task::{Context, Poll};
use core::time::Duration;

use embedded_nal::AddrType;
use rustix::fd::AsFd;

use super::reactor::{Dir, Reactor};
use crate::error::{Errno, Error};
use crate::flags::{Domain, Protocol, Type};
use crate::net::{TcpStream, UdpSocket, UnixStream};
use crate::poll::Interest;
use crate::resolve::{GaiError, Resolver};
use crate::socket::Socket;

/// A socket registered with a [`Reactor`]: non-blocking, its calls
/// `async`, each tried at once and, on `EAGAIN`, awaited until the reactor
/// reports readiness. Deregistered on drop (the socket is then closed).
///
/// `Async<TcpStream>` and `Async<UnixStream>` implement embedded-io-async's
/// `Read` and `Write` (and embedded-io's `ReadReady`/`WriteReady`);
/// `Async<UdpSocket>` implements embedded-nal-async's `ConnectedUdp` and
/// `UnconnectedUdp`. [`AsyncStack`] makes them from addresses.
#[derive(Debug)]
pub struct Async<'r, T: AsFd, const N: usize> {
    io: T,
    reactor: &'r Reactor<N>,
    slot: usize,
}

impl<'r, T: AsFd, const N: usize> Async<'r, T, N> {
    /// Makes `io` non-blocking and registers it with `reactor`.
    ///
    /// # Errors
    /// `ENOSPC` if the reactor's `N` slots are all taken; the kernel's
    /// error from fcntl(2) or epoll_ctl(2).
    ///
    /// # References
    /// - [epoll_ctl(2)](https://man7.org/linux/man-pages/man2/epoll_ctl.2.html)
    pub fn new(io: T, reactor: &'r Reactor<N>) -> Result<Self, Errno> {
        crate::sys::set_nonblocking(io.as_fd(), true)?;
        let slot = reactor.register(io.as_fd())?;
        Ok(Self { io, reactor, slot })
    }

    /// The socket inside.
    #[must_use]
    pub fn get_ref(&self) -> &T {
        &self.io
    }

    /// Tries `op`; on `EAGAIN` leaves the task's waker for `dir` and is
    /// pending.
    fn poll_io<R>(
        &self,
        cx: &mut Context<'_>,
        dir: Dir,
        op: impl FnOnce(&T) -> Result<R, Errno>,
    ) -> Poll<Result<R, Errno>> {
        match op(&self.io) {
            Err(Errno::AGAIN) => {
                self.reactor.set_waker(self.slot, dir, cx.waker());
                Poll::Pending
            }
            other => Poll::Ready(other),
        }
    }

    /// Awaits `op` until it gives something other than `EAGAIN`; `EINTR`
    /// is retried.
    async fn io<R>(&self, dir: Dir, mut op: impl FnMut(&T) -> Result<R, Errno>) -> Result<R, Errno> {
        poll_fn(|cx| {
            loop {
                match self.poll_io(cx, dir, &mut op) {
                    Poll::Ready(Err(Errno::INTR)) => continue,
                    other => return other,
                }
            }
        })
        .await
    }

    /// Awaits readiness for `interest` (a zero-timeout ppoll(2) each time
    /// the task is woken).
    async fn ready(&self, dir: Dir, interest: Interest) -> Result<(), Errno> {
        self.io(dir, |io| {
            let mut fds = [crate::poll::PollFd::new(io, interest)];
            if crate::poll::poll(&mut fds, Some(Duration::ZERO))? == 0 {
                Err(Errno::AGAIN)
            } else {
                Ok(())
            }
        })
        .await
    }
}

impl<T: AsFd, const N: usize> Drop for Async<'_, T, N> {
    fn drop(&mut self) {
        self.reactor.deregister(self.slot, self.io.as_fd());
    }
}

macro_rules! async_stream {
    ($name:ident) => {
        // embedded-io-async re-exports embedded-io's `ErrorType`: one impl.
        impl<const N: usize> embedded_io_async::ErrorType for Async<'_, $name, N> {
            type Error = Error;
        }

        /// read(2), awaited: `Ok(0)` at end of stream.
        impl<const N: usize> embedded_io_async::Read for Async<'_, $name, N> {
            async fn read(&mut self, buf: &mut [u8]) -> Result<usize, Error> {
                if buf.is_empty() {
                    return Ok(0);
                }
                Ok(self.io(Dir::Read, |s| s.read(buf)).await?)
            }
        }

        /// send(2) with `MSG_NOSIGNAL`, awaited. `flush` has nothing to
        /// do.
        impl<const N: usize> embedded_io_async::Write for Async<'_, $name, N> {
            async fn write(&mut self, buf: &[u8]) -> Result<usize, Error> {
                if buf.is_empty() {
                    return Ok(0);
                }
                match self.io(Dir::Write, |s| s.write(buf)).await? {
                    0 => Err(Error::WriteZero),
                    n => Ok(n),
                }
            }

            async fn flush(&mut self) -> Result<(), Error> {
                Ok(())
            }
        }

        /// Readable now: ppoll(2) with a zero timeout.
        impl<const N: usize> embedded_io::ReadReady for Async<'_, $name, N> {
            fn read_ready(&mut self) -> Result<bool, Error> {
                Ok(super::io::ready_now(self.io.as_socket(), Interest::IN)?)
            }
        }

        /// Writable now: ppoll(2) with a zero timeout.
        impl<const N: usize> embedded_io::WriteReady for Async<'_, $name, N> {
            fn write_ready(&mut self) -> Result<bool, Error> {
                Ok(super::io::ready_now(self.io.as_socket(), Interest::OUT)?)
            }
        }
    };
}

async_stream!(TcpStream);
async_stream!(UnixStream);

impl<const N: usize> Async<'_, TcpStream, N> {
    /// Awaits the end of a non-blocking connect(2): writable, then the
    /// outcome from `SO_ERROR`.
    async fn finish_connect(&self) -> Result<(), Error> {
        self.ready(Dir::Write, Interest::OUT).await?;
        match self.io.as_socket().take_error()? {
            Some(e) => Err(e.into()),
            None => Ok(()),
        }
    }
}

/// embedded-nal-async 0.9 on a [`Reactor`]: `TcpConnect`, `UdpStack` and
/// `Dns`. Each socket it makes takes one slot of the reactor until dropped.
///
/// `Dns` is the blocking resolver ([`crate::resolve`]) called from the
/// future: it answers from `/etc/hosts` at once, but a DNS query blocks the
/// thread (up to the resolver's timeouts), as the resolver's driven
/// [`Query`](crate::resolve::Query) is not yet wired to the reactor.
///
/// ```
/// use embedded_nal_async::TcpConnect;
/// use embedded_io_async::{Read, Write};
/// use zerosock::embedded::{AsyncStack, Reactor, block_on};
/// use zerosock::TcpListener;
///
/// let listener = TcpListener::bind("127.0.0.1:0")?;
/// let addr = listener.local_addr()?;
/// let reactor = Reactor::<8>::new()?;
/// let stack = AsyncStack::new(&reactor);
/// let mut conn = block_on(&reactor, stack.connect(addr))??;
/// let (server, _) = listener.accept()?;
/// block_on(&reactor, conn.write_all(b"ping"))??;
/// let mut buf = [0u8; 4];
/// server.recv_exact(&mut buf)?;
/// assert_eq!(&buf, b"ping");
/// # Ok::<(), zerosock::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct AsyncStack<'r, const N: usize> {
    reactor: &'r Reactor<N>,
    resolver: Option<Resolver<'r>>,
}

impl<'r, const N: usize> AsyncStack<'r, N> {
    /// A stack on `reactor`, resolving names with the system's
    /// configuration.
    #[must_use]
    pub const fn new(reactor: &'r Reactor<N>) -> Self {
        Self {
            reactor,
            resolver: None,
        }
    }

    /// A stack on `reactor` whose `Dns` asks `resolver`.
    #[must_use]
    pub const fn with_resolver(reactor: &'r Reactor<N>, resolver: Resolver<'r>) -> Self {
        Self {
            reactor,
            resolver: Some(resolver),
        }
    }

    fn resolve<T>(&self, f: impl FnOnce(&Resolver<'_>) -> Result<T, GaiError>) -> Result<T, Error> {
        match &self.resolver {
            Some(r) => f(r),
            None => Resolver::system().and_then(|r| f(&r)),
        }
        .map_err(Error::Name)
    }

    fn udp(&self, local: SocketAddr) -> Result<Async<'r, UdpSocket, N>, Error> {
        let socket = Socket::new_nonblocking(Domain::for_addr(&local), Type::DGRAM, Protocol::UDP)?;
        socket.bind(&local)?;
        Ok(Async::new(UdpSocket::from(socket), self.reactor)?)
    }
}

impl<const N: usize> embedded_nal_async::TcpConnect for AsyncStack<'_, N> {
    type Error = Error;
    type Connection<'a>
        = Async<'a, TcpStream, N>
    where
        Self: 'a;

    /// A non-blocking connect(2) on a fresh socket, awaited: the outcome
    /// comes from `SO_ERROR` once the socket is writable (`ECONNREFUSED`,
    /// `ETIMEDOUT`, …).
    async fn connect<'a>(&'a self, remote: SocketAddr) -> Result<Async<'a, TcpStream, N>, Error> {
        let socket = Socket::new_nonblocking(Domain::for_addr(&remote), Type::STREAM, Protocol::TCP)?;
        let in_progress = match socket.connect(&remote) {
            Ok(()) => false,
            Err(Errno::INPROGRESS | Errno::INTR) => true,
            Err(e) => return Err(e.into()),
        };
        let conn = Async::new(TcpStream::from(socket), self.reactor)?;
        if in_progress {
            conn.finish_connect().await?;
        }
        Ok(conn)
    }
}

/// The local address as a UDP socket reports it.
fn local_of(socket: &UdpSocket) -> Result<SocketAddr, Error> {
    Ok(socket.local_addr()?)
}

/// A connected UDP socket: send(2) and recv(2), awaited.
impl<const N: usize> embedded_nal_async::ConnectedUdp for Async<'_, UdpSocket, N> {
    type Error = Error;

    async fn send(&mut self, data: &[u8]) -> Result<(), Error> {
        Ok(self.io(Dir::Write, |s| s.send(data)).await.map(drop)?)
    }

    async fn receive_into(&mut self, buffer: &mut [u8]) -> Result<usize, Error> {
        Ok(self.io(Dir::Read, |s| s.recv(buffer)).await?)
    }
}

/// A UDP socket bound to one address: sendto(2) and recvfrom(2), awaited.
/// `send`'s `local` must be the bound address (or unspecified with its
/// port); `receive_into` reports the bound address as the local one.
impl<const N: usize> embedded_nal_async::UnconnectedUdp for Async<'_, UdpSocket, N> {
    type Error = Error;

    async fn send(&mut self, local: SocketAddr, remote: SocketAddr, data: &[u8]) -> Result<(), Error> {
        let bound = local_of(&self.io)?;
        if local != bound && !(local.ip().is_unspecified() && local.port() == bound.port()) {
            return Err(Error::InvalidInput(
                "UDP send: local address is not the bound one",
            ));
        }
        let to = match (remote, bound) {
            (SocketAddr::V4(v4), SocketAddr::V6(_)) => {
                SocketAddr::new(IpAddr::V6(v4.ip().to_ipv6_mapped()), v4.port())
            }
            _ => remote,
        };
        Ok(self
            .io(Dir::Write, |s| s.as_socket().send_to(data, &to))
            .await
            .map(drop)?)
    }

    async fn receive_into(&mut self, buffer: &mut [u8]) -> Result<(usize, SocketAddr, SocketAddr), Error> {
        let (n, from) = self.io(Dir::Read, |s| s.recv_from(buffer)).await?;
        let from = SocketAddr::new(from.ip().to_canonical(), from.port());
        Ok((n, local_of(&self.io)?, from))
    }
}

impl<'r, const N: usize> embedded_nal_async::UdpStack for AsyncStack<'r, N> {
    type Error = Error;
    type Connected = Async<'r, UdpSocket, N>;
    type UniquelyBound = Async<'r, UdpSocket, N>;
    type MultiplyBound = Async<'r, UdpSocket, N>;

    /// socket(2), bind(2) to `local`, connect(2) to `remote`: the bound
    /// address (with the port the kernel chose for port 0) and the socket.
    async fn connect_from(
        &self,
        local: SocketAddr,
        remote: SocketAddr,
    ) -> Result<(SocketAddr, Self::Connected), Error> {
        let socket = self.udp(local)?;
        socket.io.as_socket().connect(&remote)?;
        Ok((local_of(&socket.io)?, socket))
    }

    /// socket(2) and bind(2) to `local` (a specific address, or the
    /// unspecified one with a port).
    async fn bind_single(&self, local: SocketAddr) -> Result<(SocketAddr, Self::UniquelyBound), Error> {
        let socket = self.udp(local)?;
        Ok((local_of(&socket.io)?, socket))
    }

    /// As `bind_single`, with one limit: replies leave from the address
    /// the kernel's routing picks, and `receive_into` reports the bound
    /// (possibly unspecified) address as the local one, not the datagram's
    /// destination (that needs `IP_PKTINFO`, not done here).
    async fn bind_multiple(&self, local: SocketAddr) -> Result<Self::MultiplyBound, Error> {
        self.udp(local)
    }
}

impl<const N: usize> embedded_nal_async::Dns for AsyncStack<'_, N> {
    type Error = Error;

    /// As [`Stack`](super::Stack)'s `get_host_by_name`, blocking inside
    /// the future (see [`AsyncStack`]).
    async fn get_host_by_name(&self, host: &str, addr_type: AddrType) -> Result<IpAddr, Error> {
        self.resolve(|r| super::nal::host_by_name(r, host, &addr_type))
    }

    /// As [`Stack`](super::Stack)'s `get_host_by_address`.
    async fn get_host_by_address(&self, addr: IpAddr, result: &mut [u8]) -> Result<usize, Error> {
        let name = self.resolve(|r| r.host_by_addr(addr))?;
        super::nal::copy_name(name.as_str(), result)
    }
}
