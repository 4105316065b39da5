//! embedded-io 0.7 on the stream sockets, and the errno → `ErrorKind` map.

use embedded_io::ErrorKind;

use crate::error::{Errno, Error};
use crate::net::{TcpStream, UnixStream};
use crate::poll::Interest;

/// The [`embedded_io::ErrorKind`] of a kernel error: what
/// [`embedded_io::Error::kind`] gives for an [`Errno`] and for
/// [`Error::Os`].
///
/// | errno | `ErrorKind` |
/// | --- | --- |
/// | `ECONNREFUSED` | `ConnectionRefused` |
/// | `ECONNRESET` | `ConnectionReset` |
/// | `ECONNABORTED` | `ConnectionAborted` |
/// | `ENOTCONN`, `EDESTADDRREQ` | `NotConnected` |
/// | `EADDRINUSE` | `AddrInUse` |
/// | `EADDRNOTAVAIL` | `AddrNotAvailable` |
/// | `EPIPE`, `ESHUTDOWN` | `BrokenPipe` |
/// | `EEXIST`, `EISCONN`, `EALREADY` | `AlreadyExists` |
/// | `EINVAL`, `EBADF`, `ENOTSOCK`, `EFAULT`, `EDOM`, `ENAMETOOLONG`, `EMSGSIZE` | `InvalidInput` |
/// | `EBADMSG`, `EPROTO`, `EILSEQ` | `InvalidData` |
/// | `ETIMEDOUT`, `EAGAIN` | `TimedOut` |
/// | `EINTR` | `Interrupted` |
/// | `ENOMEM`, `ENOBUFS` | `OutOfMemory` |
/// | `EACCES`, `EPERM` | `PermissionDenied` |
/// | `ENOENT`, `ENXIO`, `ENODEV`, `ESRCH` | `NotFound` |
/// | `ENOSYS`, `EOPNOTSUPP`, `EAFNOSUPPORT`, `EPFNOSUPPORT`, `EPROTONOSUPPORT`, `ESOCKTNOSUPPORT`, `ENOPROTOOPT` | `Unsupported` |
/// | anything else (`ENETUNREACH`, `EHOSTUNREACH`, `EIO`, …) | `Other` |
///
/// `EAGAIN` is `TimedOut` because embedded-io's traits block and have no
/// `WouldBlock`: a blocking socket gives `EAGAIN` only when its
/// `SO_RCVTIMEO`/`SO_SNDTIMEO` passes (std's `io::Error` calls it
/// `WouldBlock`; embedded-io has no such kind, and a timeout is what
/// happened). On a socket made non-blocking, `EAGAIN` means "not ready":
/// use [`ReadReady`](embedded_io::ReadReady)/[`WriteReady`](embedded_io::WriteReady)
/// first, or the `nb` and async layers, which turn it into waiting.
///
/// ```
/// use embedded_io::ErrorKind;
/// use zerosock::embedded::error_kind;
/// use zerosock::Errno;
/// assert_eq!(error_kind(Errno::CONNREFUSED), ErrorKind::ConnectionRefused);
/// assert_eq!(error_kind(Errno::NOBUFS), ErrorKind::OutOfMemory);
/// ```
///
/// # References
/// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
#[must_use]
pub fn error_kind(errno: Errno) -> ErrorKind {
    match errno {
        Errno::CONNREFUSED => ErrorKind::ConnectionRefused,
        Errno::CONNRESET => ErrorKind::ConnectionReset,
        Errno::CONNABORTED => ErrorKind::ConnectionAborted,
        Errno::NOTCONN | Errno::DESTADDRREQ => ErrorKind::NotConnected,
        Errno::ADDRINUSE => ErrorKind::AddrInUse,
        Errno::ADDRNOTAVAIL => ErrorKind::AddrNotAvailable,
        Errno::PIPE | Errno::SHUTDOWN => ErrorKind::BrokenPipe,
        Errno::EXIST | Errno::ISCONN | Errno::ALREADY => ErrorKind::AlreadyExists,
        Errno::INVAL
        | Errno::BADF
        | Errno::NOTSOCK
        | Errno::FAULT
        | Errno::DOM
        | Errno::NAMETOOLONG
        | Errno::MSGSIZE => ErrorKind::InvalidInput,
        Errno::BADMSG | Errno::PROTO | Errno::ILSEQ => ErrorKind::InvalidData,
        Errno::TIMEDOUT | Errno::AGAIN => ErrorKind::TimedOut,
        Errno::INTR => ErrorKind::Interrupted,
        Errno::NOMEM | Errno::NOBUFS => ErrorKind::OutOfMemory,
        Errno::ACCESS | Errno::PERM => ErrorKind::PermissionDenied,
        Errno::NOENT | Errno::NXIO | Errno::NODEV | Errno::SRCH => ErrorKind::NotFound,
        Errno::NOSYS
        | Errno::OPNOTSUPP
        | Errno::AFNOSUPPORT
        | Errno::PFNOSUPPORT
        | Errno::PROTONOSUPPORT
        | Errno::SOCKTNOSUPPORT
        | Errno::NOPROTOOPT => ErrorKind::Unsupported,
        _ => ErrorKind::Other,
    }
}

/// The kind of an [`Errno`]: see [`error_kind`].
impl embedded_io::Error for Errno {
    #[inline]
    fn kind(&self) -> ErrorKind {
        error_kind(*self)
    }
}

/// The kind of an [`Error`]: [`error_kind`] for [`Error::Os`];
/// `WriteZero` for [`Error::WriteZero`]; `InvalidInput` for
/// [`Error::InvalidInput`]; `InvalidData` for [`Error::UnexpectedEof`]
/// (embedded-io has no `UnexpectedEof` kind: the stream ended inside a
/// record); and for [`Error::Name`], `NotFound` for a name that does not
/// exist, `TimedOut` for `EAI_AGAIN`, `OutOfMemory` for `EAI_MEMORY`,
/// the errno's kind for `EAI_SYSTEM`, `InvalidInput` otherwise.
impl embedded_io::Error for Error {
    fn kind(&self) -> ErrorKind {
        use crate::resolve::GaiError;
        match *self {
            Self::Os(errno) => error_kind(errno),
            Self::WriteZero => ErrorKind::WriteZero,
            Self::UnexpectedEof => ErrorKind::InvalidData,
            Self::InvalidInput(_) => ErrorKind::InvalidInput,
            Self::Name(GaiError::NoName | GaiError::NoData) => ErrorKind::NotFound,
            Self::Name(GaiError::Again) => ErrorKind::TimedOut,
            Self::Name(GaiError::Memory) => ErrorKind::OutOfMemory,
            Self::Name(GaiError::System(errno)) => error_kind(errno),
            Self::Name(_) => ErrorKind::InvalidInput,
        }
    }
}

/// Whether `socket` is ready for `interest` now: one ppoll(2) with a zero
/// timeout. An error or hang-up counts as ready (the next call reports it
/// without blocking).
pub(crate) fn ready_now(socket: &crate::Socket, interest: Interest) -> Result<bool, Errno> {
    // ERR and HUP are reported whatever the interest: any bit is "ready".
    Ok(!socket
        .wait(interest, Some(core::time::Duration::ZERO))?
        .is_empty())
}

/// embedded-io's `Read`, `Write`, `ReadReady` and `WriteReady` for a stream
/// socket type and for `&` it.
macro_rules! embedded_io_stream {
    ($name:ident) => {
        impl embedded_io::ErrorType for $name {
            type Error = Error;
        }

        impl embedded_io::ErrorType for &$name {
            type Error = Error;
        }

        /// read(2): `Ok(0)` is end of stream (the peer's FIN), as
        /// embedded-io's contract says; an empty `buf` returns `Ok(0)`
        /// without a system call. `EINTR` is returned as
        /// `ErrorKind::Interrupted`, not retried.
        impl embedded_io::Read for &$name {
            #[inline]
            fn read(&mut self, buf: &mut [u8]) -> Result<usize, Error> {
                if buf.is_empty() {
                    return Ok(0);
                }
                Ok($name::read(self, buf)?)
            }
        }

        /// send(2) with `MSG_NOSIGNAL` (a reset peer gives `BrokenPipe`,
        /// never `SIGPIPE`). `write_all` loops over short writes, retries
        /// `EINTR`, and reports a write of zero bytes as
        /// [`Error::WriteZero`] rather than embedded-io's default panic.
        /// `flush` has nothing to do: sockets keep no user-space buffer.
        impl embedded_io::Write for &$name {
            #[inline]
            fn write(&mut self, buf: &[u8]) -> Result<usize, Error> {
                if buf.is_empty() {
                    return Ok(0);
                }
                match $name::write(self, buf)? {
                    0 => Err(Error::WriteZero),
                    n => Ok(n),
                }
            }

            fn write_all(&mut self, mut buf: &[u8]) -> Result<(), Error> {
                while !buf.is_empty() {
                    match $name::write(self, buf) {
                        Ok(0) => return Err(Error::WriteZero),
                        Ok(n) => buf = &buf[n..],
                        Err(Errno::INTR) => {}
                        Err(errno) => return Err(errno.into()),
                    }
                }
                Ok(())
            }

            #[inline]
            fn flush(&mut self) -> Result<(), Error> {
                Ok(())
            }
        }

        /// Readable now (data, end of stream, or an error to report):
        /// ppoll(2) with a zero timeout.
        impl embedded_io::ReadReady for &$name {
            fn read_ready(&mut self) -> Result<bool, Error> {
                Ok(ready_now(self.as_socket(), Interest::IN)?)
            }
        }

        /// Writable now (room in the send buffer, or an error to report):
        /// ppoll(2) with a zero timeout.
        impl embedded_io::WriteReady for &$name {
            fn write_ready(&mut self) -> Result<bool, Error> {
                Ok(ready_now(self.as_socket(), Interest::OUT)?)
            }
        }

        /// As for `&` the socket.
        impl embedded_io::Read for $name {
            #[inline]
            fn read(&mut self, buf: &mut [u8]) -> Result<usize, Error> {
                embedded_io::Read::read(&mut &*self, buf)
            }
        }

        /// As for `&` the socket.
        impl embedded_io::Write for $name {
            #[inline]
            fn write(&mut self, buf: &[u8]) -> Result<usize, Error> {
                embedded_io::Write::write(&mut &*self, buf)
            }

            fn write_all(&mut self, buf: &[u8]) -> Result<(), Error> {
                embedded_io::Write::write_all(&mut &*self, buf)
            }

            #[inline]
            fn flush(&mut self) -> Result<(), Error> {
                Ok(())
            }
        }

        /// As for `&` the socket.
        impl embedded_io::ReadReady for $name {
            fn read_ready(&mut self) -> Result<bool, Error> {
                embedded_io::ReadReady::read_ready(&mut &*self)
            }
        }

        /// As for `&` the socket.
        impl embedded_io::WriteReady for $name {
            fn write_ready(&mut self) -> Result<bool, Error> {
                embedded_io::WriteReady::write_ready(&mut &*self)
            }
        }
    };
}

embedded_io_stream!(TcpStream);
embedded_io_stream!(UnixStream);
