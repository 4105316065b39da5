//! The surface every typed socket (TCP, UDP, Unix) shares, written once:
//! fd conversions, `as_socket`, `try_clone`, `close`, `set_nonblocking`,
//! `inode`, the calls of a connected socket, and the `std` conversions and
//! `std::io` traits; plus the two helpers of the IP sockets.

use core::net::SocketAddr;

use crate::addr::SockAddr;
use crate::error::Errno;
use crate::flags::{Domain, Protocol, Type};
use crate::socket::Socket;

/// Defines a typed socket: a `#[repr(transparent)]` newtype over `Socket`
/// with the conversions and methods every typed socket shares. `std: PATH`
/// adds `From` both ways with that std type (via `OwnedFd`) under the `std`
/// feature.
macro_rules! typed_socket {
    ($(#[$doc:meta])* $name:ident $(, std: $std:path)?) => {
        $(#[$doc])*
        #[derive(Debug)]
        #[repr(transparent)]
        pub struct $name(crate::Socket);

        impl $name {
            /// The underlying [`Socket`](crate::Socket), for every call it
            /// offers beyond this type's (flags, `sendmsg`, options, …).
            #[inline]
            #[must_use]
            pub const fn as_socket(&self) -> &crate::Socket {
                &self.0
            }

            /// Unwraps the underlying [`Socket`](crate::Socket).
            #[inline]
            #[must_use]
            pub fn into_socket(self) -> crate::Socket {
                self.0
            }

            /// A second handle to the same socket (fcntl(2)
            /// `F_DUPFD_CLOEXEC`); both share options, queue and state.
            ///
            /// # References
            /// - [fcntl(2)](https://man7.org/linux/man-pages/man2/fcntl.2.html)
            #[doc(alias = "dup")]
            pub fn try_clone(&self) -> Result<Self, crate::Errno> {
                self.0.try_clone().map(Self)
            }

            /// Closes the socket, reporting close(2)'s error (which dropping
            /// it discards). The fd is released whatever the result.
            ///
            /// # References
            /// - [close(2)](https://man7.org/linux/man-pages/man2/close.2.html)
            pub fn close(self) -> Result<(), crate::Errno> {
                self.0.close()
            }

            /// The socket's inode, as [`Socket::inode`](crate::Socket::inode).
            ///
            /// # References
            /// - [fstat(2)](https://man7.org/linux/man-pages/man2/fstat.2.html)
            #[doc(alias = "st_ino")]
            pub fn inode(&self) -> Result<u64, crate::Errno> {
                self.0.inode()
            }

            /// Sets or clears `O_NONBLOCK` (fcntl(2)): once set, calls that
            /// would wait return [`Errno::AGAIN`](crate::Errno::AGAIN) instead.
            ///
            /// # References
            /// - [fcntl(2)](https://man7.org/linux/man-pages/man2/fcntl.2.html)
            #[doc(alias = "O_NONBLOCK")]
            pub fn set_nonblocking(&self, nonblocking: bool) -> Result<(), crate::Errno> {
                self.0.set_nonblocking(nonblocking)
            }
        }

        /// Wraps a socket as it is; the caller vouches for its domain and type
        /// (as with std's `From<OwnedFd>`).
        impl From<crate::Socket> for $name {
            #[inline]
            fn from(socket: crate::Socket) -> Self {
                Self(socket)
            }
        }

        impl From<$name> for crate::Socket {
            #[inline]
            fn from(socket: $name) -> Self {
                socket.0
            }
        }

        /// Wraps an fd as it is; the caller vouches for its domain and type.
        impl From<rustix::fd::OwnedFd> for $name {
            #[inline]
            fn from(fd: rustix::fd::OwnedFd) -> Self {
                Self(crate::Socket::from(fd))
            }
        }

        impl From<$name> for rustix::fd::OwnedFd {
            #[inline]
            fn from(socket: $name) -> Self {
                socket.0.into()
            }
        }

        impl rustix::fd::AsFd for $name {
            #[inline]
            fn as_fd(&self) -> rustix::fd::BorrowedFd<'_> {
                self.0.as_fd()
            }
        }

        impl rustix::fd::AsRawFd for $name {
            #[inline]
            fn as_raw_fd(&self) -> rustix::fd::RawFd {
                self.0.as_raw_fd()
            }
        }

        impl rustix::fd::IntoRawFd for $name {
            #[inline]
            fn into_raw_fd(self) -> rustix::fd::RawFd {
                self.0.into_raw_fd()
            }
        }

        $(
            #[cfg(feature = "std")]
            impl From<$std> for $name {
                #[inline]
                fn from(socket: $std) -> Self {
                    Self::from(rustix::fd::OwnedFd::from(socket))
                }
            }

            #[cfg(feature = "std")]
            impl From<$name> for $std {
                #[inline]
                fn from(socket: $name) -> Self {
                    Self::from(rustix::fd::OwnedFd::from(socket))
                }
            }
        )?
    };
}

pub(crate) use typed_socket;

/// The calls of a connected socket (stream or seqpacket): `read`/`write`,
/// `recv`/`send`, `peek`, vectored I/O and `shutdown`.
macro_rules! connected_methods {
    ($name:ident) => {
        impl $name {
            /// Reads into `buf` (read(2)); 0 means the peer closed its
            /// sending side (end of stream).
            ///
            /// # References
            /// - [read(2)](https://man7.org/linux/man-pages/man2/read.2.html)
            #[inline]
            pub fn read(&self, buf: &mut [u8]) -> Result<usize, crate::Errno> {
                self.0.read(buf)
            }

            /// Writes `buf` (send(2) with `MSG_NOSIGNAL`): a broken
            /// connection gives [`Errno::PIPE`](crate::Errno::PIPE), never
            /// `SIGPIPE`. May write less than `buf`.
            ///
            /// # References
            /// - [send(2)](https://man7.org/linux/man-pages/man2/send.2.html)
            #[inline]
            pub fn write(&self, buf: &[u8]) -> Result<usize, crate::Errno> {
                self.0.write(buf)
            }

            /// Receives into `buf` (recv(2)); 0 means end of stream.
            ///
            /// # References
            /// - [recv(2)](https://man7.org/linux/man-pages/man2/recv.2.html)
            #[inline]
            pub fn recv(&self, buf: &mut [u8]) -> Result<usize, crate::Errno> {
                self.0.recv(buf)
            }

            /// Sends `buf` (send(2) with `MSG_NOSIGNAL`).
            ///
            /// # References
            /// - [send(2)](https://man7.org/linux/man-pages/man2/send.2.html)
            #[inline]
            pub fn send(&self, buf: &[u8]) -> Result<usize, crate::Errno> {
                self.0.send(buf)
            }

            /// Receives into `buf` without taking the data off the queue
            /// (recv(2) with `MSG_PEEK`).
            ///
            /// # References
            /// - [recv(2)](https://man7.org/linux/man-pages/man2/recv.2.html)
            #[doc(alias = "MSG_PEEK")]
            #[inline]
            pub fn peek(&self, buf: &mut [u8]) -> Result<usize, crate::Errno> {
                self.0.recv_with_flags(buf, crate::MsgFlags::PEEK)
            }

            /// Scatter read (readv(2)): fills `bufs` in order.
            ///
            /// # References
            /// - [readv(2)](https://man7.org/linux/man-pages/man2/readv.2.html)
            #[doc(alias = "readv")]
            pub fn read_vectored(&self, bufs: &mut [crate::IoSliceMut<'_>]) -> Result<usize, crate::Errno> {
                self.0.read_vectored(bufs)
            }

            /// Gather write: `bufs` in order as one send (sendmsg(2) with
            /// `MSG_NOSIGNAL`, the same bytes as writev(2) without its
            /// `SIGPIPE`).
            ///
            /// # References
            /// - [writev(2)](https://man7.org/linux/man-pages/man2/writev.2.html)
            /// - [sendmsg(2)](https://man7.org/linux/man-pages/man2/sendmsg.2.html)
            #[doc(alias = "writev")]
            pub fn write_vectored(&self, bufs: &[crate::IoSlice<'_>]) -> Result<usize, crate::Errno> {
                self.0.write_vectored(bufs)
            }

            /// Shuts down one or both directions (shutdown(2)). After
            /// [`Shutdown::Write`](crate::Shutdown::Write) the peer reads end
            /// of stream while this side can still receive.
            ///
            /// # References
            /// - [shutdown(2)](https://man7.org/linux/man-pages/man2/shutdown.2.html)
            pub fn shutdown(&self, how: crate::Shutdown) -> Result<(), crate::Errno> {
                self.0.shutdown(how)
            }
        }
    };
}

pub(crate) use connected_methods;

/// The calls of a datagram socket on its connected peer or its queue:
/// `send`, `recv` and `peek` (the ones with addresses differ in the
/// address type).
macro_rules! datagram_methods {
    ($name:ident) => {
        impl $name {
            /// Sends one datagram to the connected peer (send(2)).
            ///
            /// # References
            /// - [send(2)](https://man7.org/linux/man-pages/man2/send.2.html)
            #[inline]
            pub fn send(&self, buf: &[u8]) -> Result<usize, crate::Errno> {
                self.0.send(buf)
            }

            /// Receives one datagram (recv(2)); a datagram longer than `buf`
            /// is cut to it and the rest discarded (see
            /// [`Socket::recv_with_flags`](crate::Socket::recv_with_flags)
            /// with `MSG_TRUNC` to learn the real length).
            ///
            /// # References
            /// - [recv(2)](https://man7.org/linux/man-pages/man2/recv.2.html)
            #[inline]
            pub fn recv(&self, buf: &mut [u8]) -> Result<usize, crate::Errno> {
                self.0.recv(buf)
            }

            /// Receives one datagram without taking it off the queue
            /// (recv(2) with `MSG_PEEK`): the next receive gets it again.
            ///
            /// # References
            /// - [recv(2)](https://man7.org/linux/man-pages/man2/recv.2.html)
            #[doc(alias = "MSG_PEEK")]
            #[inline]
            pub fn peek(&self, buf: &mut [u8]) -> Result<usize, crate::Errno> {
                self.0.recv_with_flags(buf, crate::MsgFlags::PEEK)
            }
        }
    };
}

pub(crate) use datagram_methods;

/// The loops of a byte stream, `send_all` and `recv_exact` (named as
/// [`Socket`]'s, not `write_all`/`read_exact`, so they never
/// hide the `std::io` traits' methods), and with the `std` feature
/// `std::io::Read`/`Write` for the type and for `&` it.
macro_rules! stream_methods {
    ($name:ident) => {
        impl $name {
            /// Sends all of `buf`: **loops** over partial sends and retries
            /// `EINTR` ([`Socket::send_all`](crate::Socket::send_all)). Any
            /// other error ends the loop; bytes already sent stay sent.
            ///
            /// # Errors
            /// The kernel's error, or [`Error::WriteZero`](crate::Error::WriteZero).
            ///
            /// # References
            /// - [send(2)](https://man7.org/linux/man-pages/man2/send.2.html)
            #[doc(alias = "write_all")]
            pub fn send_all(&self, buf: &[u8]) -> Result<(), crate::Error> {
                self.0.send_all(buf)
            }

            /// Fills all of `buf`: **loops** over short reads and retries
            /// `EINTR` ([`Socket::recv_exact`](crate::Socket::recv_exact)).
            ///
            /// # Errors
            /// The kernel's error, or
            /// [`Error::UnexpectedEof`](crate::Error::UnexpectedEof) if the
            /// stream ends first.
            ///
            /// # References
            /// - [recv(2)](https://man7.org/linux/man-pages/man2/recv.2.html)
            #[doc(alias = "read_exact")]
            pub fn recv_exact(&self, buf: &mut [u8]) -> Result<(), crate::Error> {
                self.0.recv_exact(buf)
            }
        }

        // The owned impls forward to the `&T` ones: one body each.
        #[cfg(feature = "std")]
        impl std::io::Read for $name {
            #[inline]
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                std::io::Read::read(&mut &*self, buf)
            }

            fn read_vectored(&mut self, bufs: &mut [std::io::IoSliceMut<'_>]) -> std::io::Result<usize> {
                std::io::Read::read_vectored(&mut &*self, bufs)
            }
        }

        #[cfg(feature = "std")]
        impl std::io::Read for &$name {
            #[inline]
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                Ok($name::read(self, buf)?)
            }

            fn read_vectored(&mut self, bufs: &mut [std::io::IoSliceMut<'_>]) -> std::io::Result<usize> {
                Ok($name::read_vectored(self, bufs)?)
            }
        }

        #[cfg(feature = "std")]
        impl std::io::Write for $name {
            #[inline]
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                std::io::Write::write(&mut &*self, buf)
            }

            fn write_vectored(&mut self, bufs: &[std::io::IoSlice<'_>]) -> std::io::Result<usize> {
                std::io::Write::write_vectored(&mut &*self, bufs)
            }

            fn flush(&mut self) -> std::io::Result<()> {
                std::io::Write::flush(&mut &*self)
            }
        }

        #[cfg(feature = "std")]
        impl std::io::Write for &$name {
            #[inline]
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                Ok($name::write(self, buf)?)
            }

            fn write_vectored(&mut self, bufs: &[std::io::IoSlice<'_>]) -> std::io::Result<usize> {
                Ok($name::write_vectored(self, bufs)?)
            }

            /// Sockets have no user-space buffer: nothing to flush.
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
    };
}

pub(crate) use stream_methods;

/// The IP address the kernel wrote, or `EAFNOSUPPORT` if it is not one
/// (impossible on a TCP or UDP socket, but never a panic).
#[inline]
pub(crate) fn inet_addr(addr: &SockAddr) -> Result<SocketAddr, Errno> {
    addr.socket_addr().ok_or(Errno::AFNOSUPPORT)
}

/// A new socket of the address's family.
pub(crate) fn inet_socket(addr: &SocketAddr, ty: Type, protocol: Protocol) -> Result<Socket, Errno> {
    Socket::new(Domain::for_addr(addr), ty, protocol)
}
