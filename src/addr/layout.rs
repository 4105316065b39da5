//! The kernel's socket address structures, written out by hand as `#[repr(C)]`
//! structs whose bytes are exactly what the kernel reads and writes.
//!
//! Each layout is checked field by field against the C definitions in
//! `tests/layout.rs`. The structs implement rustix's [`SocketAddrArg`], so a
//! caller that keeps one can pass it to `bind`, `connect` or `sendto` again and
//! again without it being rebuilt on each call.

// The only unsafe here implements `SocketAddrArg`: handing the kernel a
// pointer to a struct we own, with its exact size.
#![allow(unsafe_code)]

use core::mem::size_of;
use core::net::{Ipv4Addr, Ipv6Addr, SocketAddrV4, SocketAddrV6};

use rustix::net::addr::{SocketAddrArg, SocketAddrLen, SocketAddrOpaque};

use crate::endian::{Be16, Be32};
use crate::flags::Domain;

/// `sa_family_t`: the address family stored in the first two bytes of every
/// socket address, in host byte order.
#[doc(alias = "sa_family_t")]
pub type SaFamily = u16;

/// `socklen_t`: the length of a socket address, in bytes.
#[doc(alias = "socklen_t")]
pub type SockLen = u32;

/// `struct sockaddr`: the generic header every socket address starts with.
///
/// Only the family is meaningful on its own; the kernel reads the rest
/// according to it.
///
/// ```
/// let header = zerosock::addr::SockAddrHeader { sa_family: 2, sa_data: [0; 14] };
/// assert_eq!(core::mem::size_of_val(&header), 16);
/// ```
///
/// # References
/// - [socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html)
/// - [sockaddr(3type)](https://man7.org/linux/man-pages/man3/sockaddr.3type.html)
#[doc(alias = "sockaddr")]
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SockAddrHeader {
    /// `sa_family`: `AF_*`.
    pub sa_family: SaFamily,
    /// `sa_data`: family-specific bytes.
    pub sa_data: [u8; 14],
}

/// `struct in_addr`: an IPv4 address in network byte order.
///
/// ```
/// use zerosock::addr::InAddr;
/// use core::net::Ipv4Addr;
/// const LOCAL: InAddr = InAddr::new(Ipv4Addr::LOCALHOST);
/// assert_eq!(LOCAL.s_addr.to_bytes(), [127, 0, 0, 1]);
/// assert_eq!(LOCAL.ip(), Ipv4Addr::LOCALHOST);
/// ```
///
/// # References
/// - [ip(7)](https://man7.org/linux/man-pages/man7/ip.7.html)
#[doc(alias = "in_addr")]
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct InAddr {
    /// `s_addr`: the address, network byte order.
    pub s_addr: Be32,
}

impl InAddr {
    /// `INADDR_ANY` (0.0.0.0).
    #[doc(alias = "INADDR_ANY")]
    pub const ANY: Self = Self::new(Ipv4Addr::UNSPECIFIED);
    /// `INADDR_LOOPBACK` (127.0.0.1).
    #[doc(alias = "INADDR_LOOPBACK")]
    pub const LOOPBACK: Self = Self::new(Ipv4Addr::LOCALHOST);
    /// `INADDR_BROADCAST` (255.255.255.255).
    #[doc(alias = "INADDR_BROADCAST")]
    pub const BROADCAST: Self = Self::new(Ipv4Addr::BROADCAST);

    /// The layout of `ip`.
    #[inline]
    #[must_use]
    pub const fn new(ip: Ipv4Addr) -> Self {
        Self {
            s_addr: Be32::from_bytes(ip.octets()),
        }
    }

    /// The address as a [`core::net::Ipv4Addr`].
    #[inline]
    #[must_use]
    pub const fn ip(self) -> Ipv4Addr {
        let [a, b, c, d] = self.s_addr.to_bytes();
        Ipv4Addr::new(a, b, c, d)
    }
}

impl From<Ipv4Addr> for InAddr {
    fn from(ip: Ipv4Addr) -> Self {
        Self::new(ip)
    }
}

impl From<InAddr> for Ipv4Addr {
    fn from(addr: InAddr) -> Self {
        addr.ip()
    }
}

/// `struct sockaddr_in`: an IPv4 socket address, port and address in network
/// byte order.
///
/// ```
/// use zerosock::addr::SockAddrIn;
/// use core::net::{Ipv4Addr, SocketAddrV4};
/// const ADDR: SockAddrIn = SockAddrIn::new(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 7878));
/// assert_eq!(ADDR.sin_port.to_bytes(), 7878u16.to_be_bytes());
/// assert_eq!(ADDR.socket_addr(), SocketAddrV4::new(Ipv4Addr::LOCALHOST, 7878));
/// ```
///
/// # References
/// - [ip(7)](https://man7.org/linux/man-pages/man7/ip.7.html)
/// - [sockaddr(3type)](https://man7.org/linux/man-pages/man3/sockaddr.3type.html)
#[doc(alias = "sockaddr_in")]
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SockAddrIn {
    /// `sin_family`: always `AF_INET`.
    pub sin_family: SaFamily,
    /// `sin_port`: the port, network byte order.
    pub sin_port: Be16,
    /// `sin_addr`: the address, network byte order.
    pub sin_addr: InAddr,
    /// `sin_zero`: padding to the size of `struct sockaddr`; zero.
    pub sin_zero: [u8; 8],
}

impl SockAddrIn {
    /// The layout of `addr`.
    #[inline]
    #[must_use]
    pub const fn new(addr: SocketAddrV4) -> Self {
        Self {
            sin_family: Domain::INET.raw(),
            sin_port: Be16::from_host(addr.port()),
            sin_addr: InAddr::new(*addr.ip()),
            sin_zero: [0; 8],
        }
    }

    /// The address as a [`core::net::SocketAddrV4`].
    #[inline]
    #[must_use]
    pub const fn socket_addr(&self) -> SocketAddrV4 {
        SocketAddrV4::new(self.sin_addr.ip(), self.sin_port.to_host())
    }
}

impl From<SocketAddrV4> for SockAddrIn {
    fn from(addr: SocketAddrV4) -> Self {
        Self::new(addr)
    }
}

impl From<SockAddrIn> for SocketAddrV4 {
    fn from(addr: SockAddrIn) -> Self {
        addr.socket_addr()
    }
}

/// `struct in6_addr`: an IPv6 address, 16 bytes in network order.
///
/// ```
/// use zerosock::addr::In6Addr;
/// use core::net::Ipv6Addr;
/// assert_eq!(In6Addr::new(Ipv6Addr::LOCALHOST).s6_addr[15], 1);
/// ```
///
/// # References
/// - [ipv6(7)](https://man7.org/linux/man-pages/man7/ipv6.7.html)
#[doc(alias = "in6_addr")]
#[repr(C, align(4))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct In6Addr {
    /// `s6_addr`: the address bytes, network order.
    pub s6_addr: [u8; 16],
}

impl In6Addr {
    /// `in6addr_any` (`::`).
    #[doc(alias = "in6addr_any")]
    pub const ANY: Self = Self::new(Ipv6Addr::UNSPECIFIED);
    /// `in6addr_loopback` (`::1`).
    #[doc(alias = "in6addr_loopback")]
    pub const LOOPBACK: Self = Self::new(Ipv6Addr::LOCALHOST);

    /// The layout of `ip`.
    #[inline]
    #[must_use]
    pub const fn new(ip: Ipv6Addr) -> Self {
        Self { s6_addr: ip.octets() }
    }

    /// The address as a [`core::net::Ipv6Addr`].
    #[inline]
    #[must_use]
    pub const fn ip(self) -> Ipv6Addr {
        const fn seg(b: &[u8; 16], i: usize) -> u16 {
            u16::from_be_bytes([b[2 * i], b[2 * i + 1]])
        }
        let b = &self.s6_addr;
        Ipv6Addr::new(
            seg(b, 0),
            seg(b, 1),
            seg(b, 2),
            seg(b, 3),
            seg(b, 4),
            seg(b, 5),
            seg(b, 6),
            seg(b, 7),
        )
    }
}

impl From<Ipv6Addr> for In6Addr {
    fn from(ip: Ipv6Addr) -> Self {
        Self::new(ip)
    }
}

impl From<In6Addr> for Ipv6Addr {
    fn from(addr: In6Addr) -> Self {
        addr.ip()
    }
}

/// `struct sockaddr_in6`: an IPv6 socket address.
///
/// `sin6_flowinfo` is `__be32` in the kernel: the host-order value that
/// [`SocketAddrV6::flowinfo`] holds is converted on the way in and out (as
/// rustix does).
///
/// ```
/// use zerosock::addr::SockAddrIn6;
/// use core::net::{Ipv6Addr, SocketAddrV6};
/// let addr = SocketAddrV6::new(Ipv6Addr::LOCALHOST, 443, 7, 2);
/// let raw = SockAddrIn6::new(addr);
/// assert_eq!(raw.sin6_port.to_host(), 443);
/// assert_eq!(raw.socket_addr(), addr);
/// ```
///
/// # References
/// - [ipv6(7)](https://man7.org/linux/man-pages/man7/ipv6.7.html)
#[doc(alias = "sockaddr_in6")]
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SockAddrIn6 {
    /// `sin6_family`: always `AF_INET6`.
    pub sin6_family: SaFamily,
    /// `sin6_port`: the port, network byte order.
    pub sin6_port: Be16,
    /// `sin6_flowinfo`: traffic class and flow label, network byte order.
    pub sin6_flowinfo: Be32,
    /// `sin6_addr`: the address.
    pub sin6_addr: In6Addr,
    /// `sin6_scope_id`: the interface index for link-local addresses, host order.
    pub sin6_scope_id: u32,
}

impl SockAddrIn6 {
    /// The layout of `addr`.
    #[inline]
    #[must_use]
    pub const fn new(addr: SocketAddrV6) -> Self {
        Self {
            sin6_family: Domain::INET6.raw(),
            sin6_port: Be16::from_host(addr.port()),
            sin6_flowinfo: Be32::from_host(addr.flowinfo()),
            sin6_addr: In6Addr::new(*addr.ip()),
            sin6_scope_id: addr.scope_id(),
        }
    }

    /// The address as a [`core::net::SocketAddrV6`].
    #[inline]
    #[must_use]
    pub const fn socket_addr(&self) -> SocketAddrV6 {
        SocketAddrV6::new(
            self.sin6_addr.ip(),
            self.sin6_port.to_host(),
            self.sin6_flowinfo.to_host(),
            self.sin6_scope_id,
        )
    }
}

impl From<SocketAddrV6> for SockAddrIn6 {
    fn from(addr: SocketAddrV6) -> Self {
        Self::new(addr)
    }
}

impl From<SockAddrIn6> for SocketAddrV6 {
    fn from(addr: SockAddrIn6) -> Self {
        addr.socket_addr()
    }
}

/// The size of `sun_path`: 108 bytes on Linux.
#[doc(alias = "UNIX_PATH_MAX")]
pub const SUN_PATH_LEN: usize = 108;

/// `struct sockaddr_un`: a Unix-domain socket address.
///
/// The raw layout carries no length; [`UnixAddr`](crate::addr::UnixAddr)
/// pairs it with the `addrlen` that unix(7) prescribes and validates its
/// contents, and is what the socket calls take.
///
/// ```
/// use zerosock::addr::SockAddrUn;
/// assert_eq!(core::mem::size_of::<SockAddrUn>(), 110);
/// ```
///
/// # References
/// - [unix(7)](https://man7.org/linux/man-pages/man7/unix.7.html)
#[doc(alias = "sockaddr_un")]
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SockAddrUn {
    /// `sun_family`: always `AF_UNIX`.
    pub sun_family: SaFamily,
    /// `sun_path`: a pathname (NUL-terminated), an abstract name (leading NUL),
    /// or nothing.
    pub sun_path: [u8; SUN_PATH_LEN],
}

impl SockAddrUn {
    /// An `AF_UNIX` address with an all-zero path.
    pub const EMPTY: Self = Self {
        sun_family: Domain::UNIX.raw(),
        sun_path: [0; SUN_PATH_LEN],
    };

    /// The offset of `sun_path`, which unix(7)'s `addrlen` rules count from.
    pub const PATH_OFFSET: usize = core::mem::offset_of!(SockAddrUn, sun_path);
}

/// `struct sockaddr_storage`: room for any socket address (128 bytes, aligned
/// for every address type).
///
/// ```
/// use zerosock::addr::SockAddrStorage;
/// assert_eq!(core::mem::size_of::<SockAddrStorage>(), 128);
/// // a pointer's alignment, as the kernel's `__kernel_sockaddr_storage`
/// assert_eq!(core::mem::align_of::<SockAddrStorage>(), core::mem::size_of::<usize>());
/// ```
///
/// # References
/// - [socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html)
/// - [sockaddr(3type)](https://man7.org/linux/man-pages/man3/sockaddr.3type.html)
#[doc(alias = "sockaddr_storage")]
#[cfg_attr(target_pointer_width = "64", repr(C, align(8)))]
#[cfg_attr(target_pointer_width = "32", repr(C, align(4)))]
#[derive(Clone, Copy)]
pub struct SockAddrStorage {
    /// `ss_family`: `AF_*`.
    pub ss_family: SaFamily,
    /// The rest of the storage.
    pub ss_data: [u8; 126],
}

impl SockAddrStorage {
    /// All-zero storage (family `AF_UNSPEC`).
    pub const ZEROED: Self = Self {
        ss_family: 0,
        ss_data: [0; 126],
    };

    /// The whole storage as bytes, family included.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8; 128] {
        // SAFETY: `SockAddrStorage` is `repr(C)`, 128 bytes, with no padding
        // (2 + 126), so every byte is initialised; `u8` has alignment 1.
        unsafe { &*(self as *const Self).cast::<[u8; 128]>() }
    }

    /// The whole storage as mutable bytes, for filling in by hand.
    #[must_use]
    pub fn as_bytes_mut(&mut self) -> &mut [u8; 128] {
        // SAFETY: as in `as_bytes`; any byte pattern is a valid `SockAddrStorage`.
        unsafe { &mut *(self as *mut Self).cast::<[u8; 128]>() }
    }
}

impl Default for SockAddrStorage {
    fn default() -> Self {
        Self::ZEROED
    }
}

impl core::fmt::Debug for SockAddrStorage {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SockAddrStorage")
            .field("ss_family", &self.ss_family)
            .finish_non_exhaustive()
    }
}

/// Hands the kernel a pointer to `addr` itself, with its full size.
///
/// # Safety
/// `T` must be a socket address layout the kernel accepts at its full size.
#[inline(always)]
unsafe fn with_whole<T, R>(addr: &T, f: impl FnOnce(*const SocketAddrOpaque, SocketAddrLen) -> R) -> R {
    f((addr as *const T).cast(), size_of::<T>() as SocketAddrLen)
}

// SAFETY: `SockAddrIn` is the kernel's `sockaddr_in`; the pointer and size are
// those of `self`, valid for the duration of the call.
unsafe impl SocketAddrArg for SockAddrIn {
    #[inline(always)]
    unsafe fn with_sockaddr<R>(&self, f: impl FnOnce(*const SocketAddrOpaque, SocketAddrLen) -> R) -> R {
        // SAFETY: see the impl.
        unsafe { with_whole(self, f) }
    }
}

// SAFETY: `SockAddrIn6` is the kernel's `sockaddr_in6`; as above.
unsafe impl SocketAddrArg for SockAddrIn6 {
    #[inline(always)]
    unsafe fn with_sockaddr<R>(&self, f: impl FnOnce(*const SocketAddrOpaque, SocketAddrLen) -> R) -> R {
        // SAFETY: see the impl.
        unsafe { with_whole(self, f) }
    }
}
