//! The kernel's socket address structures, written out by hand as `#[repr(C)]`
//! structs whose bytes are exactly what the kernel reads and writes.
//!
//! Each layout is checked field by field against the C definitions in
//! `tests/layout.rs`. The structs implement rustix's [`SocketAddrArg`], so a
//! caller that keeps one can pass it to `bind`, `connect` or `sendto` again and
//! again without it being rebuilt on each call.

use core::mem::size_of;
use core::net::{Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

use core::mem::MaybeUninit;

use rustix::net::SocketAddrAny;
use rustix::net::addr::{SocketAddrArg, SocketAddrLen, SocketAddrOpaque, SocketAddrStorage as RustixStorage};

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
/// The raw layout carries no length; [`UnixAddr`]
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

    /// As rustix's, but never panics: an address rustix could not hold
    /// (an empty one, a length short of its family's structure, a Unix path
    /// with no NUL inside the length) is given as `AF_UNSPEC`.
    fn as_any(&self) -> SocketAddrAny {
        any_rustix_accepts(self)
    }
}

// SAFETY: `SockAddrIn6` is the kernel's `sockaddr_in6`; as above.
unsafe impl SocketAddrArg for SockAddrIn6 {
    #[inline(always)]
    unsafe fn with_sockaddr<R>(&self, f: impl FnOnce(*const SocketAddrOpaque, SocketAddrLen) -> R) -> R {
        // SAFETY: see the impl.
        unsafe { with_whole(self, f) }
    }

    /// As rustix's, but never panics: an address rustix could not hold
    /// (an empty one, a length short of its family's structure, a Unix path
    /// with no NUL inside the length) is given as `AF_UNSPEC`.
    fn as_any(&self) -> SocketAddrAny {
        any_rustix_accepts(self)
    }
}

/// The address as rustix's `SocketAddrAny`, if rustix can hold it without
/// panicking later (in its `Debug`, or converting to `SocketAddrV4` & co):
/// a length of at least the family field and at most the storage, an IPv4
/// or IPv6 address of its whole size, a Unix pathname with its NUL inside
/// the length. Anything else — a layout whose family field contradicts its
/// size, an empty [`SockAddr`], a 108-byte pathname the kernel allows but
/// rustix cannot decode — is given as `AF_UNSPEC` (what the kernel calls "no
/// address"). The kernel itself is always handed the bytes as they are.
fn any_rustix_accepts(addr: &impl SocketAddrArg) -> SocketAddrAny {
    let mut storage = MaybeUninit::<RustixStorage>::zeroed();
    // SAFETY: the storage is writable for its whole size, which every
    // `with_sockaddr` of ours bounds its length by (128 bytes).
    let len = unsafe { addr.write_sockaddr(storage.as_mut_ptr()) } as usize;
    // SAFETY: zeroed, then partly overwritten: every byte is initialised.
    let bytes: &[u8; 128] = unsafe { &*storage.as_ptr().cast::<[u8; 128]>() };
    let family = u16::from_ne_bytes([bytes[0], bytes[1]]);
    let fits = match Domain::from_raw(family) {
        _ if !(size_of::<SaFamily>()..=128).contains(&len) => false,
        Domain::INET => len >= size_of::<SockAddrIn>(),
        Domain::INET6 => len >= size_of::<SockAddrIn6>(),
        Domain::NETLINK => len >= 12,
        // `AF_XDP`: rustix decodes a whole `sockaddr_xdp`.
        d if d.raw() == linux_raw_sys::net::AF_XDP as u16 => len >= 16,
        Domain::UNIX => {
            let path = &bytes[size_of::<SaFamily>()..len.min(size_of::<SockAddrUn>())];
            len <= size_of::<SockAddrUn>() && (path.is_empty() || path[0] == 0 || path.last() == Some(&0))
        }
        _ => true,
    };
    let len = if fits {
        len
    } else {
        // SAFETY: as above; `AF_UNSPEC` (0) in the family field.
        unsafe { storage.as_mut_ptr().cast::<[u8; 2]>().write([0, 0]) };
        size_of::<SaFamily>()
    };
    // SAFETY: `len` is within 2..=128 and the bytes are initialised; the
    // checks above are exactly what rustix's readers assert.
    unsafe { SocketAddrAny::new(storage, len as SocketAddrLen) }
}

// ---------------------------------------------------------------------------
// Addresses as the kernel returns them

pub(crate) const STORAGE_LEN: SockLen = size_of::<SockAddrStorage>() as SockLen;

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
    pub(crate) storage: SockAddrStorage,
    pub(crate) len: SockLen,
}

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
            storage: storage_of(&addr.raw),
            len: addr.len,
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

    /// As rustix's, but never panics: an address rustix could not hold
    /// (an empty one, a length short of its family's structure, a Unix path
    /// with no NUL inside the length) is given as `AF_UNSPEC`.
    fn as_any(&self) -> SocketAddrAny {
        any_rustix_accepts(self)
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
        unlikely();
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
            _ => {
                unlikely();
                None
            }
        }
    }
}

/// Called on a path the compiler should lay out as the rare one: a
/// received name that is no IP address never comes from an IP socket, and
/// keeping it out of the way saves the common decode a jump and a register
/// set-up (1 Ir per datagram in `batch-recv`'s typed row).
#[cold]
#[inline(always)]
fn unlikely() {}

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

/// [`decode_ip`] on storage that is wholly initialised.
#[inline(always)]
pub(crate) fn decode_ip_init(storage: &SockAddrStorage, len: SockLen) -> Option<SocketAddr> {
    // SAFETY: all 128 bytes of `storage` are initialised.
    unsafe { decode_ip(storage, len) }
}

/// A Unix-domain socket address: the `sockaddr_un` layout with its length.
///
/// - *pathname*: a filesystem path, NUL-terminated;
///   `addrlen = offsetof(sun_path) + strlen(path) + 1`.
/// - *abstract*: a name in the abstract namespace (`sun_path[0] == 0`), whose
///   bytes may be anything; `addrlen = sizeof(sa_family_t) + 1 + len(name)`.
/// - *unnamed*: no name (an unbound or socketpair socket);
///   `addrlen = sizeof(sa_family_t)`.
///
/// ```
/// use zerosock::addr::{UnixAddr, UnixAddrKind};
/// let addr = UnixAddr::new("/tmp/echo.sock")?;
/// assert_eq!(addr.kind(), UnixAddrKind::Pathname(b"/tmp/echo.sock"));
/// assert_eq!(addr.len() as usize, 2 + 14 + 1);
///
/// let hidden = UnixAddr::new_abstract(b"zerosock")?;
/// assert_eq!(hidden.kind(), UnixAddrKind::Abstract(b"zerosock"));
///
/// // Too long is an error, never a truncation.
/// assert!(UnixAddr::new([b'x'; 108]).is_err());
/// # Ok::<(), zerosock::addr::UnixAddrError>(())
/// ```
///
/// # References
/// - [unix(7)](https://man7.org/linux/man-pages/man7/unix.7.html)
#[doc(alias = "sockaddr_un")]
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct UnixAddr {
    pub(crate) raw: SockAddrUn,
    pub(crate) len: SockLen,
}

// SAFETY: the pointer is to `self.raw`, a `sockaddr_un`, and the length is
// bounded by its size whatever the fields hold.
unsafe impl SocketAddrArg for UnixAddr {
    #[inline(always)]
    unsafe fn with_sockaddr<R>(&self, f: impl FnOnce(*const SocketAddrOpaque, SocketAddrLen) -> R) -> R {
        f(
            (&self.raw as *const SockAddrUn).cast(),
            self.len.min(size_of::<SockAddrUn>() as SockLen),
        )
    }

    /// As rustix's, but never panics: an address rustix could not hold
    /// (an empty one, a length short of its family's structure, a Unix path
    /// with no NUL inside the length) is given as `AF_UNSPEC`.
    fn as_any(&self) -> SocketAddrAny {
        any_rustix_accepts(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::net::{Ipv4Addr, SocketAddrV4};

    /// Each of these made rustix panic through safe code before
    /// `any_rustix_accepts`.
    #[test]
    fn rustix_never_sees_an_address_it_cannot_hold() {
        use rustix::net::{AddressFamily, SocketAddrUnix};
        assert_eq!(SockAddr::EMPTY.as_any().address_family(), AddressFamily::UNSPEC);

        let mut storage = SockAddrStorage::ZEROED;
        storage.ss_family = Domain::INET.raw();
        let short = SockAddr::from_raw(storage, 4);
        assert!(SocketAddrV4::try_from(short.as_any()).is_err());

        let mut lying = SockAddrIn::new(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 1));
        lying.sin_family = Domain::INET6.raw();
        assert_eq!(lying.as_any().address_family(), AddressFamily::UNSPEC);

        let mut raw = SockAddrUn::EMPTY;
        raw.sun_path = [b'p'; SUN_PATH_LEN];
        let full = UnixAddr {
            raw,
            len: size_of::<SockAddrUn>() as SockLen,
        };
        let any = full.as_any();
        let _ = std::format!("{any:?}");
        assert!(SocketAddrUnix::try_from(any).is_err());

        // Valid addresses pass through unchanged.
        let v4 = SockAddr::from(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 80));
        assert_eq!(
            SocketAddrV4::try_from(v4.as_any()),
            Ok(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 80))
        );
        let mut raw = SockAddrUn::EMPTY;
        raw.sun_path[..3].copy_from_slice(b"abc");
        let path = UnixAddr { raw, len: 2 + 4 };
        assert_eq!(
            SocketAddrUnix::try_from(path.as_any()).unwrap().path_bytes(),
            Some(&b"abc"[..])
        );
    }
}
