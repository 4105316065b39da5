//! TCP sockets shaped like `std::net`'s: [`TcpListener`] and [`TcpStream`],
//! each a thin newtype over [`Socket`](crate::Socket).
//!
//! This file also holds the macro that gives every typed socket (TCP, UDP,
//! Unix) its shared surface: fd conversions, `as_socket`, `try_clone`,
//! `close`, `set_nonblocking`, and the `std` conversions.

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

typed_socket!(
    /// A TCP socket listening for connections, like `std::net::TcpListener`.
    ///
    /// ```
    /// use zerosock::TcpListener;
    /// use core::net::{Ipv4Addr, SocketAddr};
    /// let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    /// assert_ne!(listener.local_addr()?.port(), 0);
    /// # Ok::<(), zerosock::Errno>(())
    /// ```
    ///
    /// # References
    /// - [tcp(7)](https://man7.org/linux/man-pages/man7/tcp.7.html)
    /// - [listen(2)](https://man7.org/linux/man-pages/man2/listen.2.html)
    TcpListener, std: std::net::TcpListener
);

typed_socket!(
    /// A connected TCP socket, like `std::net::TcpStream`.
    ///
    /// # References
    /// - [tcp(7)](https://man7.org/linux/man-pages/man7/tcp.7.html)
    TcpStream, std: std::net::TcpStream
);

impl TcpListener {
    /// (being written)
    pub fn bind(addr: impl Into<core::net::SocketAddr>) -> Result<Self, crate::Errno> {
        let addr = addr.into();
        let socket = crate::Socket::new(
            crate::Domain::for_addr(&addr),
            crate::Type::STREAM,
            crate::Protocol::TCP,
        )?;
        socket.bind(&addr)?;
        socket.listen(128)?;
        Ok(Self(socket))
    }

    /// (being written)
    pub fn local_addr(&self) -> Result<core::net::SocketAddr, crate::Errno> {
        self.0
            .local_addr()?
            .socket_addr()
            .ok_or(crate::Errno::AFNOSUPPORT)
    }
}
