//! A socket address of any family, as the kernel returns it: the storage and
//! the length it wrote, decoded with every length checked.

use core::fmt;
use core::mem::size_of;
use core::net::{SocketAddr, SocketAddrV4, SocketAddrV6};

use super::unix::{UnixAddr, UnixAddrKind};
use crate::abi::addr::STORAGE_LEN;
pub use crate::abi::addr::SockAddr;
use crate::abi::{SaFamily, SockAddrIn, SockAddrIn6, SockAddrUn, SockLen};
use crate::flags::Domain;

/// A decoded [`SockAddr`].
///
/// ```
/// use zerosock::addr::{Addr, SockAddr, UnixAddr, UnixAddrKind};
/// let addr = SockAddr::from(UnixAddr::new_abstract(b"svc")?);
/// assert_eq!(addr.decode(), Ok(Addr::Unix(UnixAddrKind::Abstract(b"svc"))));
/// # Ok::<(), zerosock::addr::UnixAddrError>(())
/// ```
///
/// # References
/// - [sockaddr(3type)](https://man7.org/linux/man-pages/man3/sockaddr.3type.html)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Addr<'a> {
    /// No address: length 0, or family `AF_UNSPEC` (a connected stream's
    /// `recvfrom`, or a Unix datagram from an unbound sender).
    Unspecified,
    /// An IPv4 or IPv6 address.
    Inet(SocketAddr),
    /// A Unix-domain address.
    Unix(UnixAddrKind<'a>),
    /// A family this crate does not decode (netlink, packet, …): its number
    /// and the bytes after the family field, within the length.
    Other {
        /// `sa_family`.
        family: SaFamily,
        /// The address bytes after `sa_family`.
        data: &'a [u8],
    },
}

/// Why an address from the kernel could not be decoded.
///
/// ```
/// use zerosock::addr::{DecodeError, SockAddr, SockAddrStorage};
/// let mut storage = SockAddrStorage::ZEROED;
/// storage.ss_family = 2; // AF_INET, but only 4 bytes of it
/// let short = SockAddr::from_raw(storage, 4);
/// assert_eq!(short.decode(), Err(DecodeError::TooShort { family: 2, len: 4 }));
/// ```
///
/// # References
/// - [sockaddr(3type)](https://man7.org/linux/man-pages/man3/sockaddr.3type.html)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeError {
    /// The length is too short for the family's structure.
    TooShort {
        /// `sa_family`.
        family: SaFamily,
        /// The length given.
        len: SockLen,
    },
    /// The length is larger than the storage: the kernel's address was
    /// truncated.
    Truncated {
        /// The length given.
        len: SockLen,
    },
    /// The address is not of the family asked for.
    FamilyMismatch {
        /// `sa_family`.
        family: SaFamily,
    },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooShort { family, len } => {
                write!(f, "socket address of family {family} is too short ({len} bytes)")
            }
            Self::Truncated { len } => write!(f, "socket address of {len} bytes was truncated"),
            Self::FamilyMismatch { family } => write!(f, "unexpected socket address family {family}"),
        }
    }
}

impl core::error::Error for DecodeError {}

impl SockAddr {
    /// Decodes the address, checking the length against the family.
    ///
    /// # Errors
    /// [`DecodeError::Truncated`] when the length exceeds the storage,
    /// [`DecodeError::TooShort`] when it cannot hold the family's structure.
    pub fn decode(&self) -> Result<Addr<'_>, DecodeError> {
        let len = self.len;
        if len > STORAGE_LEN {
            return Err(DecodeError::Truncated { len });
        }
        let family = self.family();
        if family == Domain::UNSPEC {
            return Ok(Addr::Unspecified);
        }
        let unix;
        Ok(match family {
            Domain::INET => Addr::Inet(SocketAddr::V4(self.decode_v4()?)),
            Domain::INET6 => Addr::Inet(SocketAddr::V6(self.decode_v6()?)),
            Domain::UNIX => {
                unix = self.storage.as_un();
                Addr::Unix(unix_kind(unix, len))
            }
            other => Addr::Other {
                family: other.raw(),
                data: &self.storage.as_bytes()[size_of::<SaFamily>()..len as usize],
            },
        })
    }

    fn decode_v4(&self) -> Result<SocketAddrV4, DecodeError> {
        if (self.len as usize) < size_of::<SockAddrIn>() {
            return Err(DecodeError::TooShort {
                family: self.storage.ss_family,
                len: self.len,
            });
        }
        Ok(self.storage.as_in().socket_addr())
    }

    fn decode_v6(&self) -> Result<SocketAddrV6, DecodeError> {
        if (self.len as usize) < size_of::<SockAddrIn6>() {
            return Err(DecodeError::TooShort {
                family: self.storage.ss_family,
                len: self.len,
            });
        }
        Ok(self.storage.as_in6().socket_addr())
    }

    /// The address as an IP socket address, if it is a valid `AF_INET` or
    /// `AF_INET6` one.
    #[inline]
    #[must_use]
    pub fn socket_addr(&self) -> Option<SocketAddr> {
        if self.len > STORAGE_LEN {
            return None; // truncated, as `decode` says
        }
        crate::abi::addr::decode_ip_init(&self.storage, self.len)
    }

    /// The address as a [`UnixAddr`], if it is a valid `AF_UNIX` one.
    ///
    /// # Errors
    /// As [`UnixAddr::from_raw`], and [`DecodeError::Truncated`].
    pub fn unix_addr(&self) -> Result<UnixAddr, DecodeError> {
        if self.len > STORAGE_LEN {
            return Err(DecodeError::Truncated { len: self.len });
        }
        UnixAddr::from_raw(self.storage.as_un(), self.len)
    }
}

/// The kind of a Unix address inside storage, bounded by `len`.
fn unix_kind(raw: &SockAddrUn, len: SockLen) -> UnixAddrKind<'_> {
    // Past `sun_path` the kernel may report one byte more (a 108-byte path);
    // never read beyond `sun_path`.
    let path_len = (len as usize)
        .saturating_sub(size_of::<SaFamily>())
        .min(raw.sun_path.len());
    let path = &raw.sun_path[..path_len];
    match path.first() {
        None => UnixAddrKind::Unnamed,
        Some(0) => UnixAddrKind::Abstract(&path[1..]),
        Some(_) => UnixAddrKind::Pathname(&path[..path.iter().position(|&b| b == 0).unwrap_or(path_len)]),
    }
}

impl PartialEq for SockAddr {
    fn eq(&self, other: &Self) -> bool {
        let n = (self.len.min(STORAGE_LEN)) as usize;
        self.len == other.len && self.storage.as_bytes()[..n] == other.storage.as_bytes()[..n]
    }
}

impl Eq for SockAddr {}

impl fmt::Debug for SockAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.decode() {
            Ok(addr) => write!(f, "SockAddr({addr:?})"),
            Err(err) => write!(f, "SockAddr(<{err}>)"),
        }
    }
}
