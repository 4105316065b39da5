//! Unix-domain addresses: pathname, abstract and unnamed, each with the exact
//! `addrlen` that unix(7) prescribes, validated when built so a path is never
//! silently truncated.

use core::fmt;
use core::mem::size_of;

use super::DecodeError;
use crate::abi::{SUN_PATH_LEN, SaFamily, SockAddrUn, SockLen};
use crate::flags::Domain;

/// The longest pathname or abstract name [`UnixAddr`] accepts: 107 bytes.
///
/// A pathname needs its terminating NUL inside `sun_path` (108 bytes); an
/// abstract name needs the leading NUL.
pub const UNIX_NAME_MAX: usize = SUN_PATH_LEN - 1;

const FAMILY_LEN: usize = size_of::<SaFamily>();

pub use crate::abi::addr::UnixAddr;

/// What a [`UnixAddr`] names, borrowed from it.
///
/// ```
/// use zerosock::addr::{UnixAddr, UnixAddrKind};
/// assert_eq!(UnixAddr::UNNAMED.kind(), UnixAddrKind::Unnamed);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnixAddrKind<'a> {
    /// A filesystem path, without its terminating NUL.
    Pathname(&'a [u8]),
    /// An abstract name, without the leading NUL.
    Abstract(&'a [u8]),
    /// No name.
    Unnamed,
}

/// Why a [`UnixAddr`] could not be built.
///
/// ```
/// use zerosock::addr::{UnixAddr, UnixAddrError};
/// assert_eq!(UnixAddr::new("a\0b"), Err(UnixAddrError::InteriorNul { at: 1 }));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum UnixAddrError {
    /// An empty pathname: with `sun_path[0] == 0` it would name the empty
    /// abstract address instead.
    EmptyPath,
    /// The name does not fit `sun_path`.
    TooLong {
        /// The length given, in bytes.
        len: usize,
        /// The most allowed ([`UNIX_NAME_MAX`]).
        max: usize,
    },
    /// A pathname containing a NUL byte, which would end it early.
    InteriorNul {
        /// The offset of the first NUL.
        at: usize,
    },
}

impl fmt::Display for UnixAddrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EmptyPath => f.write_str("empty Unix socket path"),
            Self::TooLong { len, max } => {
                write!(
                    f,
                    "Unix socket name of {len} bytes is longer than the {max} bytes sun_path holds"
                )
            }
            Self::InteriorNul { at } => write!(f, "Unix socket path has a NUL byte at offset {at}"),
        }
    }
}

impl UnixAddrError {
    /// What is wrong, in words that need no values.
    #[must_use]
    pub const fn reason(&self) -> &'static str {
        match self {
            Self::EmptyPath => "empty Unix socket path",
            Self::TooLong { .. } => "Unix socket name longer than the 107 bytes sun_path holds",
            Self::InteriorNul { .. } => "Unix socket path with a NUL byte",
        }
    }
}

impl core::error::Error for UnixAddrError {}

impl UnixAddr {
    /// The unnamed address (`addrlen == sizeof(sa_family_t)`).
    pub const UNNAMED: Self = Self {
        raw: SockAddrUn::EMPTY,
        len: FAMILY_LEN as SockLen,
    };

    /// A pathname address. The path must be 1 to 107 bytes with no NUL.
    ///
    /// # Errors
    /// [`UnixAddrError::EmptyPath`], [`UnixAddrError::TooLong`] or
    /// [`UnixAddrError::InteriorNul`]; nothing is truncated.
    pub const fn new_bytes(path: &[u8]) -> Result<Self, UnixAddrError> {
        if path.is_empty() {
            return Err(UnixAddrError::EmptyPath);
        }
        if path.len() > UNIX_NAME_MAX {
            return Err(UnixAddrError::TooLong {
                len: path.len(),
                max: UNIX_NAME_MAX,
            });
        }
        let mut raw = SockAddrUn::EMPTY;
        let mut i = 0;
        while i < path.len() {
            if path[i] == 0 {
                return Err(UnixAddrError::InteriorNul { at: i });
            }
            raw.sun_path[i] = path[i];
            i += 1;
        }
        Ok(Self {
            raw,
            len: (SockAddrUn::PATH_OFFSET + path.len() + 1) as SockLen,
        })
    }

    /// A pathname address from anything that is bytes (`&str`, `&[u8]`, …).
    ///
    /// # Errors
    /// As [`UnixAddr::new_bytes`].
    pub fn new(path: impl AsRef<[u8]>) -> Result<Self, UnixAddrError> {
        Self::new_bytes(path.as_ref())
    }

    /// A pathname address from a [`std::path::Path`].
    ///
    /// # Errors
    /// As [`UnixAddr::new_bytes`].
    #[cfg(feature = "std")]
    pub fn from_path(path: &std::path::Path) -> Result<Self, UnixAddrError> {
        use std::os::unix::ffi::OsStrExt;
        Self::new_bytes(path.as_os_str().as_bytes())
    }

    /// An abstract address: `name` (up to 107 bytes, any bytes, NUL included)
    /// after a leading NUL. Linux only; never appears in the filesystem.
    ///
    /// # Errors
    /// [`UnixAddrError::TooLong`].
    pub const fn new_abstract(name: &[u8]) -> Result<Self, UnixAddrError> {
        if name.len() > UNIX_NAME_MAX {
            return Err(UnixAddrError::TooLong {
                len: name.len(),
                max: UNIX_NAME_MAX,
            });
        }
        let mut raw = SockAddrUn::EMPTY;
        let mut i = 0;
        while i < name.len() {
            raw.sun_path[i + 1] = name[i];
            i += 1;
        }
        Ok(Self {
            raw,
            len: (FAMILY_LEN + 1 + name.len()) as SockLen,
        })
    }

    /// Decodes an address the kernel wrote: `len` bytes of `raw` are valid.
    ///
    /// A pathname ends at its first NUL or at `len`, as the kernel reads it
    /// (Linux accepts a 108-byte path with no NUL, and reports a length one
    /// past `sockaddr_un` for it; that length is accepted and clamped).
    ///
    /// # Errors
    /// [`DecodeError::TooShort`] if `len` cannot hold the family, or
    /// [`DecodeError::FamilyMismatch`] if it is not `AF_UNIX`.
    pub fn from_raw(raw: &SockAddrUn, len: SockLen) -> Result<Self, DecodeError> {
        let family = raw.sun_family;
        if (len as usize) < FAMILY_LEN {
            return Err(DecodeError::TooShort { family, len });
        }
        if family != Domain::UNIX.raw() {
            return Err(DecodeError::FamilyMismatch { family });
        }
        let path_len = (len as usize - FAMILY_LEN).min(SUN_PATH_LEN);
        let path = &raw.sun_path[..path_len];
        Ok(match path.first() {
            None => Self::UNNAMED,
            Some(0) => {
                let mut addr = Self {
                    raw: SockAddrUn::EMPTY,
                    len: (FAMILY_LEN + path_len) as SockLen,
                };
                addr.raw.sun_path[..path_len].copy_from_slice(path);
                addr
            }
            Some(_) => {
                let end = path.iter().position(|&b| b == 0).unwrap_or(path_len);
                let mut addr = Self {
                    raw: SockAddrUn::EMPTY,
                    len: (SockAddrUn::PATH_OFFSET + (end + 1).min(SUN_PATH_LEN)) as SockLen,
                };
                addr.raw.sun_path[..end].copy_from_slice(&path[..end]);
                addr
            }
        })
    }

    /// What this address names.
    #[must_use]
    pub fn kind(&self) -> UnixAddrKind<'_> {
        let path_len = self.len as usize - FAMILY_LEN;
        let path = &self.raw.sun_path[..path_len];
        match path.first() {
            None => UnixAddrKind::Unnamed,
            Some(0) => UnixAddrKind::Abstract(&path[1..]),
            Some(_) => {
                let end = path.iter().position(|&b| b == 0).unwrap_or(path_len);
                UnixAddrKind::Pathname(&path[..end])
            }
        }
    }

    /// The pathname, if this is a pathname address.
    #[must_use]
    pub fn as_pathname(&self) -> Option<&[u8]> {
        match self.kind() {
            UnixAddrKind::Pathname(path) => Some(path),
            _ => None,
        }
    }

    /// The pathname as a [`std::path::Path`], if this is a pathname address.
    #[cfg(feature = "std")]
    #[must_use]
    pub fn as_path(&self) -> Option<&std::path::Path> {
        use std::os::unix::ffi::OsStrExt;
        self.as_pathname()
            .map(|p| std::path::Path::new(std::ffi::OsStr::from_bytes(p)))
    }

    /// The abstract name, if this is an abstract address.
    #[must_use]
    pub fn as_abstract(&self) -> Option<&[u8]> {
        match self.kind() {
            UnixAddrKind::Abstract(name) => Some(name),
            _ => None,
        }
    }

    /// Whether this is the unnamed address.
    #[must_use]
    pub fn is_unnamed(&self) -> bool {
        self.kind() == UnixAddrKind::Unnamed
    }

    /// The `addrlen` passed to the kernel.
    #[allow(clippy::len_without_is_empty)]
    #[must_use]
    pub const fn len(&self) -> SockLen {
        self.len
    }

    /// The raw `sockaddr_un`.
    #[must_use]
    pub const fn as_raw(&self) -> &SockAddrUn {
        &self.raw
    }
}

impl fmt::Debug for UnixAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind() {
            UnixAddrKind::Pathname(p) => write!(f, "UnixAddr({})", escaped(p)),
            UnixAddrKind::Abstract(n) => write!(f, "UnixAddr(@{})", escaped(n)),
            UnixAddrKind::Unnamed => f.write_str("UnixAddr(unnamed)"),
        }
    }
}

/// Shows bytes as text with non-printable bytes escaped, without allocating.
fn escaped(bytes: &[u8]) -> impl fmt::Display + '_ {
    struct Escaped<'a>(&'a [u8]);
    impl fmt::Display for Escaped<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            for chunk in self.0.utf8_chunks() {
                for c in chunk.valid().chars() {
                    if c.is_control() {
                        write!(f, "{}", c.escape_default())?
                    } else {
                        write!(f, "{c}")?
                    }
                }
                for b in chunk.invalid() {
                    write!(f, "\\x{b:02x}")?;
                }
            }
            Ok(())
        }
    }
    Escaped(bytes)
}
