//! A socket address of any family, as the kernel returns it: the storage and
//! the length it wrote, decoded with every length checked.

#![allow(unsafe_code)]

use core::fmt;
use core::mem::size_of;
use core::net::{SocketAddr, SocketAddrV4, SocketAddrV6};

use rustix::net::addr::{SocketAddrArg, SocketAddrLen, SocketAddrOpaque};

use super::layout::{SaFamily, SockAddrIn, SockAddrIn6, SockAddrStorage, SockAddrUn, SockLen};
use super::unix::{UnixAddr, UnixAddrKind};
use crate::flags::Domain;

/// A socket address of any family: `sockaddr_storage` plus the length in use.
///
/// This is what `accept`, `recvfrom`, `getsockname` and `getpeername` fill in
/// place; nothing is copied to produce it. It can also be passed back to the
/// kernel as it is (it implements [`SocketAddrArg`]).
///
/// ```
/// use zerosock::addr::{Addr, SockAddr};
/// use core::net::SocketAddr;
/// let any = SockAddr::from("127.0.0.1:80".parse::<SocketAddr>().unwrap());
/// assert_eq!(any.decode(), Ok(Addr::Inet("127.0.0.1:80".parse().unwrap())));
/// assert_eq!(SockAddr::EMPTY.decode(), Ok(Addr::Unspecified));
/// ```
///
/// # References
/// - [socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html)
#[doc(alias = "sockaddr_storage")]
#[derive(Clone, Copy)]
pub struct SockAddr {
    storage: SockAddrStorage,
    len: SockLen,
}

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

const STORAGE_LEN: SockLen = size_of::<SockAddrStorage>() as SockLen;

impl SockAddr {
    /// No address (length 0).
    pub const EMPTY: Self = Self {
        storage: SockAddrStorage::ZEROED,
        len: 0,
    };

    /// Wraps storage and a length that the kernel (or the caller) wrote.
    /// Nothing is checked here; [`decode`](Self::decode) checks everything.
    #[must_use]
    pub const fn from_raw(storage: SockAddrStorage, len: SockLen) -> Self {
        Self { storage, len }
    }

    /// The family, or `AF_UNSPEC` if the length cannot hold one.
    #[must_use]
    pub const fn family(&self) -> Domain {
        if (self.len as usize) < size_of::<SaFamily>() {
            Domain::UNSPEC
        } else {
            Domain::from_raw(self.storage.ss_family)
        }
    }

    /// The length in use.
    #[allow(clippy::len_without_is_empty)]
    #[must_use]
    pub const fn len(&self) -> SockLen {
        self.len
    }

    /// The storage.
    #[must_use]
    pub const fn storage(&self) -> &SockAddrStorage {
        &self.storage
    }

    /// Storage and length for the kernel to fill in: the length is set to
    /// the whole storage first, as `accept`/`recvfrom` expect.
    #[inline(always)]
    pub(crate) fn kernel_out(&mut self) -> (*mut SockAddrStorage, *mut SockLen) {
        self.len = STORAGE_LEN;
        (&mut self.storage, &mut self.len)
    }

    /// Runs a system call that writes an address here (given the storage
    /// and its in/out length). If the call fails the address is emptied, so
    /// an earlier one never survives as if the failed call had returned it.
    #[inline(always)]
    pub(crate) fn fill<R, E>(
        &mut self,
        call: impl FnOnce(*mut SockAddrStorage, *mut SockLen) -> Result<R, E>,
    ) -> Result<R, E> {
        let (storage, len) = self.kernel_out();
        let result = call(storage, len);
        if result.is_err() {
            self.len = 0;
        }
        result
    }

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
        // SAFETY: all 128 bytes of our storage are initialised.
        unsafe { decode_ip(&self.storage, self.len) }
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

/// Decodes an IP address from storage the kernel filled in, reading only
/// the bytes the family's structure needs and the length covers.
///
/// # Safety
/// The first `min(len, 128)` bytes at `storage` must be initialised (the
/// kernel writes exactly those after a successful call).
#[inline(always)]
pub(crate) unsafe fn decode_ip(storage: *const SockAddrStorage, len: SockLen) -> Option<SocketAddr> {
    let len = len as usize;
    if len < size_of::<SockAddrIn>() {
        // Shorter than the smallest IP address (this includes length 0,
        // where not even the family was written).
        return None;
    }
    // SAFETY: `len` >= 16, so the family and the whole `sockaddr_in` were
    // written (and the whole `sockaddr_in6` once `len` >= 28); the storage
    // is aligned for both layouts, and they accept any bytes.
    unsafe {
        match (*storage).ss_family {
            f if f == Domain::INET.raw() => {
                Some(SocketAddr::V4((*storage.cast::<SockAddrIn>()).socket_addr()))
            }
            f if f == Domain::INET6.raw() && len >= size_of::<SockAddrIn6>() => {
                Some(SocketAddr::V6((*storage.cast::<SockAddrIn6>()).socket_addr()))
            }
            _ => None,
        }
    }
}

/// Runs a system call that writes an address into uninitialised storage
/// (no zeroing of 128 bytes first) and decodes the IP address it wrote.
/// `call` gets the storage and its in/out length.
///
/// # Safety
/// On `Ok`, `call` must have let the kernel complete the call, so that it
/// wrote `min(len, 128)` bytes of address (recvfrom(2), accept4(2),
/// getsockname(2) and getpeername(2) do).
#[inline(always)]
pub(crate) unsafe fn with_received_ip<R, E>(
    call: impl FnOnce(*mut SockAddrStorage, *mut SockLen) -> Result<R, E>,
) -> Result<(R, Option<SocketAddr>), E> {
    let mut storage = core::mem::MaybeUninit::<SockAddrStorage>::uninit();
    let mut len = STORAGE_LEN;
    let ret = call(storage.as_mut_ptr(), &mut len)?;
    // SAFETY: the call succeeded, so the kernel wrote `min(len, 128)` bytes.
    Ok((ret, unsafe { decode_ip(storage.as_ptr(), len) }))
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

impl SockAddrStorage {
    /// Views the storage as `sockaddr_in`.
    #[inline(always)]
    pub(crate) fn as_in(&self) -> &SockAddrIn {
        // SAFETY: the storage is 128 bytes aligned to 8, larger and more
        // aligned than `SockAddrIn`, and every bit pattern is a valid
        // `SockAddrIn` (plain integers).
        unsafe { &*(self as *const Self).cast::<SockAddrIn>() }
    }

    /// Views the storage as `sockaddr_in6`.
    #[inline(always)]
    pub(crate) fn as_in6(&self) -> &SockAddrIn6 {
        // SAFETY: as in `as_in`.
        unsafe { &*(self as *const Self).cast::<SockAddrIn6>() }
    }

    /// Views the storage as `sockaddr_un`.
    #[inline(always)]
    pub(crate) fn as_un(&self) -> &SockAddrUn {
        // SAFETY: as in `as_in`.
        unsafe { &*(self as *const Self).cast::<SockAddrUn>() }
    }
}

/// Copies a layout's bytes into zeroed storage.
fn storage_of<T: Copy>(addr: &T) -> SockAddrStorage {
    const { assert!(size_of::<T>() <= size_of::<SockAddrStorage>()) };
    let mut storage = SockAddrStorage::ZEROED;
    // SAFETY: `T` fits in the storage (checked at compile time), the storage
    // is aligned for every address layout, and `T` is a plain address struct.
    unsafe { (&mut storage as *mut SockAddrStorage).cast::<T>().write(*addr) };
    storage
}

impl From<SocketAddrV4> for SockAddr {
    fn from(addr: SocketAddrV4) -> Self {
        Self {
            storage: storage_of(&SockAddrIn::new(addr)),
            len: size_of::<SockAddrIn>() as SockLen,
        }
    }
}

impl From<SocketAddrV6> for SockAddr {
    fn from(addr: SocketAddrV6) -> Self {
        Self {
            storage: storage_of(&SockAddrIn6::new(addr)),
            len: size_of::<SockAddrIn6>() as SockLen,
        }
    }
}

impl From<SocketAddr> for SockAddr {
    fn from(addr: SocketAddr) -> Self {
        match addr {
            SocketAddr::V4(v4) => v4.into(),
            SocketAddr::V6(v6) => v6.into(),
        }
    }
}

impl From<UnixAddr> for SockAddr {
    fn from(addr: UnixAddr) -> Self {
        Self {
            storage: storage_of(addr.as_raw()),
            len: addr.len(),
        }
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

// SAFETY: the pointer is to our own storage and the length never exceeds it.
unsafe impl SocketAddrArg for SockAddr {
    #[inline(always)]
    unsafe fn with_sockaddr<R>(&self, f: impl FnOnce(*const SocketAddrOpaque, SocketAddrLen) -> R) -> R {
        f(
            (&self.storage as *const SockAddrStorage).cast(),
            self.len.min(STORAGE_LEN),
        )
    }
}
