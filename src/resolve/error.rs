//! The errors of name lookups: one variant per `EAI_*` code, with glibc's
//! numbers and messages.

use core::fmt;

use crate::error::Errno;

/// Why a name lookup failed: `getaddrinfo`'s `EAI_*` codes, one to one
/// ([`code`](GaiError::code) gives glibc's number, `Display` its
/// `gai_strerror` text).
///
/// ```
/// use zerosock::resolve::GaiError;
/// assert_eq!(GaiError::NoName.code(), -2);
/// assert_eq!(GaiError::NoName.to_string(), "Name or service not known");
/// ```
///
/// # References
/// - [getaddrinfo(3)](https://man7.org/linux/man-pages/man3/getaddrinfo.3.html)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
#[doc(alias = "gai_strerror")]
pub enum GaiError {
    /// `EAI_BADFLAGS`: invalid flags (e.g. `AI_CANONNAME` without a name).
    BadFlags,
    /// `EAI_NONAME`: the name or service is not known (or neither was
    /// given).
    NoName,
    /// `EAI_AGAIN`: no answer now (timeouts, `SERVFAIL`); try later.
    Again,
    /// `EAI_FAIL`: a permanent failure (a name that cannot be asked).
    Fail,
    /// `EAI_NODATA`: the name exists but has no address of the family
    /// asked for.
    NoData,
    /// `EAI_FAMILY`: the address family is not supported.
    Family,
    /// `EAI_SOCKTYPE`: the socket type is not supported.
    SockType,
    /// `EAI_SERVICE`: the service is not available for the socket type.
    Service,
    /// `EAI_ADDRFAMILY`: a numeric host of another family than the one
    /// asked for.
    AddrFamily,
    /// `EAI_MEMORY`: more results than the fixed capacity holds.
    Memory,
    /// `EAI_SYSTEM`: a system call failed; the `Errno` says how.
    System(Errno),
    /// `EAI_OVERFLOW`: a caller's buffer is too small.
    Overflow,
}

impl GaiError {
    /// glibc's number for this error (`EAI_NONAME` is -2, …).
    pub const fn code(self) -> i32 {
        match self {
            Self::BadFlags => -1,
            Self::NoName => -2,
            Self::Again => -3,
            Self::Fail => -4,
            Self::NoData => -5,
            Self::Family => -6,
            Self::SockType => -7,
            Self::Service => -8,
            Self::AddrFamily => -9,
            Self::Memory => -10,
            Self::System(_) => -11,
            Self::Overflow => -12,
        }
    }
}

impl From<Errno> for GaiError {
    fn from(e: Errno) -> Self {
        Self::System(e)
    }
}

impl fmt::Display for GaiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::BadFlags => "Bad value for ai_flags",
            Self::NoName => "Name or service not known",
            Self::Again => "Temporary failure in name resolution",
            Self::Fail => "Non-recoverable failure in name resolution",
            Self::NoData => "No address associated with hostname",
            Self::Family => "ai_family not supported",
            Self::SockType => "ai_socktype not supported",
            Self::Service => "Servname not supported for ai_socktype",
            Self::AddrFamily => "Address family for hostname not supported",
            Self::Memory => "Memory allocation failure",
            Self::System(_) => "System error",
            Self::Overflow => "Result too large for supplied buffer",
        })
    }
}

impl GaiError {
    /// The errno a C program would report for this error, for `?` into a
    /// function returning [`Errno`]: `EAI_SYSTEM`'s own, `EAGAIN` for
    /// `EAI_AGAIN`, `ENOMEM` for `EAI_MEMORY`, `ENOENT` for `EAI_NONAME`
    /// and `EAI_NODATA` (no such name), `EINVAL` for the rest.
    #[must_use]
    pub const fn errno(self) -> Errno {
        match self {
            Self::System(errno) => errno,
            Self::Again => Errno::AGAIN,
            Self::Memory => Errno::NOMEM,
            Self::NoName | Self::NoData => Errno::NOENT,
            _ => Errno::INVAL,
        }
    }
}

impl core::error::Error for GaiError {}
