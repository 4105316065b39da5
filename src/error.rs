//! Errors. System calls return the kernel's [`Errno`] unchanged; the few
//! functions that also check input or loop over calls return [`Error`], which
//! carries an `Errno` as it came or says what was wrong before any call.

use core::fmt;

pub use crate::errno::Errno;

/// The error of conveniences that loop (`send_all`, `recv_exact`) or check
/// input before the kernel sees it (options, timeouts).
///
/// ```
/// use zerosock::{Errno, Error};
/// let err = Error::from(Errno::PIPE);
/// assert_eq!(err.errno(), Some(Errno::PIPE));
/// ```
///
/// # References
/// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The kernel's error, unchanged.
    Os(Errno),
    /// The peer closed (end of file) before the whole buffer was read.
    UnexpectedEof,
    /// The kernel accepted zero bytes of a non-empty write.
    WriteZero,
    /// The input was rejected before any system call; the text says why.
    InvalidInput(&'static str),
    /// A host name in an address (`"example.com:443"`) could not be
    /// resolved: `getaddrinfo`'s `EAI_*` error.
    Name(crate::resolve::GaiError),
}

impl Error {
    /// The kernel's `Errno`, if this error came from the kernel.
    #[must_use]
    pub const fn errno(self) -> Option<Errno> {
        match self {
            Self::Os(errno) => Some(errno),
            _ => None,
        }
    }
}

impl From<Errno> for Error {
    #[inline]
    fn from(errno: Errno) -> Self {
        Self::Os(errno)
    }
}

/// `?` from an [`Error`] into a function that returns `Errno`: the kernel's
/// number unchanged, and for the errors made before or between system calls
/// the number a C program would use:
///
/// | `Error` | `Errno` |
/// | --- | --- |
/// | `Os(errno)` | `errno`, unchanged |
/// | `UnexpectedEof` | `ENODATA` ("No data available"): the bytes never came. No socket call returns it, so it stays recognisable. |
/// | `WriteZero` | `EIO`: the write made no progress |
/// | `InvalidInput(_)` | `EINVAL` (the text is dropped) |
/// | `Name(gai)` | [`GaiError::errno`](crate::resolve::GaiError::errno): `EAI_SYSTEM`'s errno, `EAGAIN` for `EAI_AGAIN`, `ENOMEM` for `EAI_MEMORY`, `ENOENT` for a name that does not exist, `EINVAL` otherwise |
///
/// ```
/// use zerosock::{Errno, UnixStream};
///
/// fn greet(stream: &UnixStream) -> Result<(), Errno> {
///     stream.send_all(b"hello")?; // Error -> Errno
///     Ok(())
/// }
/// let (a, b) = UnixStream::pair()?;
/// greet(&a)?;
/// drop(a);
/// let mut buf = [0u8; 8];
/// let short = b.recv_exact(&mut buf).unwrap_err(); // 5 bytes, then EOF
/// assert_eq!(Errno::from(short), Errno::NODATA);
/// # Ok::<(), Errno>(())
/// ```
///
/// # References
/// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
impl From<Error> for Errno {
    fn from(err: Error) -> Self {
        match err {
            Error::Os(errno) => errno,
            Error::UnexpectedEof => Errno::NODATA,
            Error::WriteZero => Errno::IO,
            Error::InvalidInput(_) => Errno::INVAL,
            Error::Name(gai) => gai.errno(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Os(errno) => write!(f, "{errno}"),
            Self::UnexpectedEof => f.write_str("peer closed before the whole buffer was read"),
            Self::WriteZero => f.write_str("the kernel accepted zero bytes"),
            Self::InvalidInput(why) => write!(f, "invalid input: {why}"),
            Self::Name(gai) => write!(f, "{gai}"),
        }
    }
}

impl core::error::Error for Error {}

/// The conversion to `std::io::Error` allocates only for
/// [`Error::InvalidInput`], whose message `io::Error::new` boxes; every other
/// variant converts without allocating.
#[cfg(feature = "std")]
impl From<Error> for std::io::Error {
    fn from(err: Error) -> Self {
        use std::io::ErrorKind;
        match err {
            Error::Os(errno) => errno.into(),
            Error::UnexpectedEof => ErrorKind::UnexpectedEof.into(),
            Error::WriteZero => ErrorKind::WriteZero.into(),
            Error::InvalidInput(why) => std::io::Error::new(ErrorKind::InvalidInput, why),
            Error::Name(crate::resolve::GaiError::System(errno)) => errno.into(),
            Error::Name(gai) => std::io::Error::other(gai),
        }
    }
}
