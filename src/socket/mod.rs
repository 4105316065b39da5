//! [`Socket`]: one socket of any domain, type and protocol, with the whole
//! call family of the C API as methods. The typed sockets (`TcpStream`,
//! `UdpSocket`, `UnixStream`, …) are thin wrappers around it.

use rustix::fd::{AsFd, AsRawFd, BorrowedFd, IntoRawFd, OwnedFd, RawFd};
use rustix::io::{IoSlice, IoSliceMut};

use crate::addr::{SockAddr, SocketAddrArg};
use crate::error::{Errno, Error};
use crate::flags::{Domain, MsgFlags, Protocol, Shutdown, Type};
use crate::sys;

/// A socket of any domain, type and protocol.
///
/// Every method is one system call with the kernel's semantics, returning its
/// [`Errno`] unchanged (`EINTR` and `EAGAIN` included), except those whose
/// docs say they loop. Every fd it creates has `FD_CLOEXEC`. Dropping it
/// closes the fd silently; [`Socket::close`] reports close(2)'s error.
///
/// Sends never raise `SIGPIPE`: every send path passes `MSG_NOSIGNAL`, so a
/// write to a broken stream returns [`Errno::PIPE`] instead of killing the
/// process.
///
/// ```
/// use zerosock::{Domain, Protocol, Socket, Type};
/// let (a, b) = Socket::pair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT)?;
/// a.send(b"ping")?;
/// let mut buf = [0; 4];
/// assert_eq!(b.recv(&mut buf)?, 4);
/// assert_eq!(&buf, b"ping");
/// # Ok::<(), zerosock::Errno>(())
/// ```
///
/// # References
/// - [socket(2)](https://man7.org/linux/man-pages/man2/socket.2.html)
/// - [socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html)
#[derive(Debug)]
pub struct Socket {
    fd: OwnedFd,
}

/// The flags every send path carries.
const SEND: MsgFlags = MsgFlags::NOSIGNAL;

impl Socket {
    /// Creates a socket (socket(2) with `SOCK_CLOEXEC`).
    ///
    /// ```
    /// use zerosock::{Domain, Protocol, Socket, Type};
    /// let udp = Socket::new(Domain::INET, Type::DGRAM, Protocol::UDP)?;
    /// # Ok::<(), zerosock::Errno>(())
    /// ```
    ///
    /// # References
    /// - [socket(2)](https://man7.org/linux/man-pages/man2/socket.2.html)
    #[doc(alias = "socket")]
    pub fn new(domain: Domain, ty: Type, protocol: Protocol) -> Result<Self, Errno> {
        sys::socket(domain, ty, protocol, false).map(Self::from)
    }

    /// Creates a socket in non-blocking mode (`SOCK_NONBLOCK | SOCK_CLOEXEC`).
    ///
    /// # References
    /// - [socket(2)](https://man7.org/linux/man-pages/man2/socket.2.html)
    #[doc(alias = "SOCK_NONBLOCK")]
    pub fn new_nonblocking(domain: Domain, ty: Type, protocol: Protocol) -> Result<Self, Errno> {
        sys::socket(domain, ty, protocol, true).map(Self::from)
    }

    /// Creates a pair of connected sockets (socketpair(2) with `SOCK_CLOEXEC`).
    ///
    /// # References
    /// - [socketpair(2)](https://man7.org/linux/man-pages/man2/socketpair.2.html)
    #[doc(alias = "socketpair")]
    pub fn pair(domain: Domain, ty: Type, protocol: Protocol) -> Result<(Self, Self), Errno> {
        let (a, b) = sys::socketpair(domain, ty, protocol, false)?;
        Ok((a.into(), b.into()))
    }

    /// Binds the socket to `addr`: any of zerosock's address types or
    /// `core::net`'s, passed to the kernel by pointer.
    ///
    /// # References
    /// - [bind(2)](https://man7.org/linux/man-pages/man2/bind.2.html)
    pub fn bind(&self, addr: &impl SocketAddrArg) -> Result<(), Errno> {
        sys::bind(self.as_fd(), addr)
    }

    /// Marks a stream or seqpacket socket as accepting connections, with at
    /// most `backlog` completed connections waiting (the kernel caps it at
    /// `net.core.somaxconn`).
    ///
    /// # References
    /// - [listen(2)](https://man7.org/linux/man-pages/man2/listen.2.html)
    pub fn listen(&self, backlog: i32) -> Result<(), Errno> {
        sys::listen(self.as_fd(), backlog)
    }

    /// Accepts a connection (accept4(2) with `SOCK_CLOEXEC`), returning the
    /// new socket and the peer's address as the kernel wrote it.
    ///
    /// # References
    /// - [accept4(2)](https://man7.org/linux/man-pages/man2/accept4.2.html)
    #[doc(alias = "accept4")]
    pub fn accept(&self) -> Result<(Self, SockAddr), Errno> {
        let mut peer = SockAddr::EMPTY;
        let socket = self.accept_into(Some(&mut peer), false)?;
        Ok((socket, peer))
    }

    /// accept4(2) in full: the kernel writes the peer's address into `peer`
    /// (if given; `None` passes a null address), and `nonblocking` sets
    /// `SOCK_NONBLOCK` on the new socket. `SOCK_CLOEXEC` is always set.
    ///
    /// # References
    /// - [accept4(2)](https://man7.org/linux/man-pages/man2/accept4.2.html)
    #[doc(alias = "accept4")]
    pub fn accept_into(&self, peer: Option<&mut SockAddr>, nonblocking: bool) -> Result<Self, Errno> {
        sys::accept4(self.as_fd(), peer, nonblocking).map(Self::from)
    }

    /// Connects to `addr`. On a datagram socket this sets the default
    /// destination and filters incoming datagrams; on a non-blocking stream
    /// socket it returns [`Errno::INPROGRESS`] and the result arrives later
    /// in `SO_ERROR`.
    ///
    /// # References
    /// - [connect(2)](https://man7.org/linux/man-pages/man2/connect.2.html)
    pub fn connect(&self, addr: &impl SocketAddrArg) -> Result<(), Errno> {
        sys::connect(self.as_fd(), addr)
    }

    /// Dissolves a datagram socket's association (connect(2) with
    /// `AF_UNSPEC`).
    ///
    /// # References
    /// - [connect(2)](https://man7.org/linux/man-pages/man2/connect.2.html)
    #[doc(alias = "AF_UNSPEC")]
    pub fn disconnect(&self) -> Result<(), Errno> {
        sys::connect_unspec(self.as_fd())
    }

    /// Reads into `buf` (read(2)): 0 means end of stream.
    ///
    /// # References
    /// - [read(2)](https://man7.org/linux/man-pages/man2/read.2.html)
    #[inline]
    pub fn read(&self, buf: &mut [u8]) -> Result<usize, Errno> {
        sys::read(&self.fd, buf)
    }

    /// Writes `buf`. On a socket write(2) is send(2) without flags; zerosock
    /// issues it as send with `MSG_NOSIGNAL`, so a broken stream gives
    /// [`Errno::PIPE`], never `SIGPIPE`.
    ///
    /// # References
    /// - [write(2)](https://man7.org/linux/man-pages/man2/write.2.html)
    /// - [send(2)](https://man7.org/linux/man-pages/man2/send.2.html)
    #[inline]
    pub fn write(&self, buf: &[u8]) -> Result<usize, Errno> {
        sys::send(&self.fd, buf, SEND)
    }

    /// Scatter read (readv(2)): fills `bufs` in order.
    ///
    /// # References
    /// - [readv(2)](https://man7.org/linux/man-pages/man2/readv.2.html)
    #[doc(alias = "readv")]
    pub fn read_vectored(&self, bufs: &mut [IoSliceMut<'_>]) -> Result<usize, Errno> {
        sys::readv(self.as_fd(), bufs)
    }

    /// Gather write: writes `bufs` in order as one send. Issued as sendmsg(2)
    /// with `MSG_NOSIGNAL` rather than writev(2), which could raise
    /// `SIGPIPE`; the bytes on the wire are the same.
    ///
    /// # References
    /// - [writev(2)](https://man7.org/linux/man-pages/man2/writev.2.html)
    /// - [sendmsg(2)](https://man7.org/linux/man-pages/man2/sendmsg.2.html)
    #[doc(alias = "writev")]
    pub fn write_vectored(&self, bufs: &[IoSlice<'_>]) -> Result<usize, Errno> {
        self.send_msg(bufs, crate::msg::Control::NONE, MsgFlags::NONE)
    }

    /// Sends `buf` on a connected socket (send(2) with `MSG_NOSIGNAL`).
    ///
    /// # References
    /// - [send(2)](https://man7.org/linux/man-pages/man2/send.2.html)
    #[inline]
    pub fn send(&self, buf: &[u8]) -> Result<usize, Errno> {
        sys::send(&self.fd, buf, SEND)
    }

    /// send(2) with `flags` (`MSG_DONTWAIT`, `MSG_MORE`, `MSG_OOB`, …);
    /// `MSG_NOSIGNAL` is always added.
    ///
    /// # References
    /// - [send(2)](https://man7.org/linux/man-pages/man2/send.2.html)
    #[doc(alias = "send")]
    #[inline]
    pub fn send_with_flags(&self, buf: &[u8], flags: MsgFlags) -> Result<usize, Errno> {
        sys::send(&self.fd, buf, flags | SEND)
    }

    /// Receives into `buf` (recv(2)): 0 on a stream means end of stream.
    ///
    /// # References
    /// - [recv(2)](https://man7.org/linux/man-pages/man2/recv.2.html)
    #[inline]
    pub fn recv(&self, buf: &mut [u8]) -> Result<usize, Errno> {
        sys::recv(&self.fd, buf, MsgFlags::NONE)
    }

    /// recv(2) with `flags` (`MSG_PEEK`, `MSG_DONTWAIT`, `MSG_WAITALL`,
    /// `MSG_TRUNC`, `MSG_OOB`). With `MSG_TRUNC` on a datagram socket the
    /// result is the datagram's real length, which may exceed `buf`.
    ///
    /// # References
    /// - [recv(2)](https://man7.org/linux/man-pages/man2/recv.2.html)
    #[doc(alias = "recv")]
    #[inline]
    pub fn recv_with_flags(&self, buf: &mut [u8], flags: MsgFlags) -> Result<usize, Errno> {
        sys::recv(&self.fd, buf, flags)
    }

    /// Sends `buf` to `addr` (sendto(2) with `MSG_NOSIGNAL`); the address is
    /// passed by pointer as it is.
    ///
    /// # References
    /// - [sendto(2)](https://man7.org/linux/man-pages/man2/sendto.2.html)
    #[doc(alias = "sendto")]
    #[inline]
    pub fn send_to(&self, buf: &[u8], addr: &impl SocketAddrArg) -> Result<usize, Errno> {
        sys::sendto(&self.fd, buf, SEND, addr)
    }

    /// sendto(2) with `flags`; `MSG_NOSIGNAL` is always added.
    ///
    /// # References
    /// - [sendto(2)](https://man7.org/linux/man-pages/man2/sendto.2.html)
    #[doc(alias = "sendto")]
    #[inline]
    pub fn send_to_with_flags(
        &self,
        buf: &[u8],
        flags: MsgFlags,
        addr: &impl SocketAddrArg,
    ) -> Result<usize, Errno> {
        sys::sendto(&self.fd, buf, flags | SEND, addr)
    }

    /// Receives a datagram and its sender's address (recvfrom(2)).
    ///
    /// In a hot loop prefer [`recv_from_into`](Self::recv_from_into) with one
    /// `SockAddr` kept across calls, as C code keeps its `sockaddr_storage`:
    /// this form zeroes a fresh `SockAddr` on each call and returns it by
    /// value (76 user-space instructions per unconnected UDP send and receive
    /// against 27, measured with `ci/instructions.sh`).
    ///
    /// # References
    /// - [recvfrom(2)](https://man7.org/linux/man-pages/man2/recvfrom.2.html)
    #[doc(alias = "recvfrom")]
    #[inline]
    pub fn recv_from(&self, buf: &mut [u8]) -> Result<(usize, SockAddr), Errno> {
        // The kernel writes the address into the value to be returned. The
        // caller still receives it by value: moving the 152-byte result is
        // a copy the compiler rarely elides across the system call, which
        // `recv_from_into` avoids (see `ci/instructions.sh`'s
        // `udp-unconnected-raw` group).
        let mut out = Ok((0, SockAddr::EMPTY));
        if let Ok((n, from)) = &mut out {
            match sys::recvfrom(&self.fd, buf, MsgFlags::NONE, from) {
                Ok(got) => *n = got,
                Err(e) => out = Err(e),
            }
        }
        out
    }

    /// recvfrom(2) in full: the kernel writes the sender's address straight
    /// into `from`, with `flags` as in [`recv_with_flags`](Self::recv_with_flags).
    ///
    /// # References
    /// - [recvfrom(2)](https://man7.org/linux/man-pages/man2/recvfrom.2.html)
    #[doc(alias = "recvfrom")]
    #[inline]
    pub fn recv_from_into(
        &self,
        buf: &mut [u8],
        flags: MsgFlags,
        from: &mut SockAddr,
    ) -> Result<usize, Errno> {
        sys::recvfrom(&self.fd, buf, flags, from)
    }

    /// Shuts down one or both directions (shutdown(2)). After
    /// [`Shutdown::Write`] the peer reads end of stream while this side can
    /// still receive.
    ///
    /// # References
    /// - [shutdown(2)](https://man7.org/linux/man-pages/man2/shutdown.2.html)
    pub fn shutdown(&self, how: Shutdown) -> Result<(), Errno> {
        sys::shutdown(self.as_fd(), how)
    }

    /// The socket's own address (getsockname(2)).
    ///
    /// # References
    /// - [getsockname(2)](https://man7.org/linux/man-pages/man2/getsockname.2.html)
    #[doc(alias = "getsockname")]
    pub fn local_addr(&self) -> Result<SockAddr, Errno> {
        let mut addr = SockAddr::EMPTY;
        sys::getsockname(self.as_fd(), &mut addr)?;
        Ok(addr)
    }

    /// The connected peer's address (getpeername(2)).
    ///
    /// # References
    /// - [getpeername(2)](https://man7.org/linux/man-pages/man2/getpeername.2.html)
    #[doc(alias = "getpeername")]
    pub fn peer_addr(&self) -> Result<SockAddr, Errno> {
        let mut addr = SockAddr::EMPTY;
        sys::getpeername(self.as_fd(), &mut addr)?;
        Ok(addr)
    }

    /// Sets or clears `O_NONBLOCK` (fcntl(2)).
    ///
    /// # References
    /// - [fcntl(2)](https://man7.org/linux/man-pages/man2/fcntl.2.html)
    #[doc(alias = "O_NONBLOCK")]
    pub fn set_nonblocking(&self, nonblocking: bool) -> Result<(), Errno> {
        sys::set_nonblocking(self.as_fd(), nonblocking)
    }

    /// Whether `O_NONBLOCK` is set (fcntl(2)).
    ///
    /// # References
    /// - [fcntl(2)](https://man7.org/linux/man-pages/man2/fcntl.2.html)
    pub fn is_nonblocking(&self) -> Result<bool, Errno> {
        sys::is_nonblocking(self.as_fd())
    }

    /// A second socket for the same open file (fcntl(2) `F_DUPFD_CLOEXEC`).
    ///
    /// # References
    /// - [fcntl(2)](https://man7.org/linux/man-pages/man2/fcntl.2.html)
    #[doc(alias = "dup")]
    pub fn try_clone(&self) -> Result<Self, Errno> {
        sys::dup_cloexec(self.as_fd()).map(Self::from)
    }

    /// Closes the socket, reporting close(2)'s error (which dropping it
    /// discards). The fd is released whatever the result.
    ///
    /// # References
    /// - [close(2)](https://man7.org/linux/man-pages/man2/close.2.html)
    pub fn close(self) -> Result<(), Errno> {
        sys::close(self.fd)
    }

    /// Sends all of `buf`, looping over partial sends and retrying `EINTR`.
    /// Any other error ends the loop; bytes already sent stay sent.
    ///
    /// # Errors
    /// The kernel's error, or [`Error::WriteZero`] if a send accepts nothing.
    ///
    /// # References
    /// - [send(2)](https://man7.org/linux/man-pages/man2/send.2.html)
    #[doc(alias = "write_all")]
    pub fn send_all(&self, mut buf: &[u8]) -> Result<(), Error> {
        while !buf.is_empty() {
            match self.send(buf) {
                Ok(0) => return Err(Error::WriteZero),
                Ok(n) => buf = &buf[n..],
                Err(Errno::INTR) => {}
                Err(errno) => return Err(errno.into()),
            }
        }
        Ok(())
    }

    /// Receives exactly `buf.len()` bytes, looping over short reads and
    /// retrying `EINTR`.
    ///
    /// # Errors
    /// The kernel's error, or [`Error::UnexpectedEof`] if the stream ends
    /// first (what was read is in `buf`).
    ///
    /// # References
    /// - [recv(2)](https://man7.org/linux/man-pages/man2/recv.2.html)
    #[doc(alias = "read_exact")]
    pub fn recv_exact(&self, mut buf: &mut [u8]) -> Result<(), Error> {
        while !buf.is_empty() {
            match self.recv(buf) {
                Ok(0) => return Err(Error::UnexpectedEof),
                Ok(n) => buf = &mut buf[n..],
                Err(Errno::INTR) => {}
                Err(errno) => return Err(errno.into()),
            }
        }
        Ok(())
    }
}

impl Socket {
    /// The owned fd, for system calls: `sys` reads its number directly,
    /// without the `-1` check of borrowing it as a `BorrowedFd`.
    #[inline(always)]
    pub(crate) fn sys_fd(&self) -> &OwnedFd {
        &self.fd
    }
}

impl From<OwnedFd> for Socket {
    #[inline]
    fn from(fd: OwnedFd) -> Self {
        Self { fd }
    }
}

impl From<Socket> for OwnedFd {
    #[inline]
    fn from(socket: Socket) -> Self {
        socket.fd
    }
}

impl AsFd for Socket {
    #[inline]
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

impl AsRawFd for Socket {
    #[inline]
    fn as_raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }
}

impl IntoRawFd for Socket {
    #[inline]
    fn into_raw_fd(self) -> RawFd {
        self.fd.into_raw_fd()
    }
}

// After the impl above, so the doc page lists the plain calls first.
pub(crate) mod connect;
mod sendfile;
