//! Addresses the way std takes them: [`ToSocketAddrs`] for the IP sockets
//! (a `SocketAddr`, an `(ip, port)` pair, or text such as `"127.0.0.1:80"`
//! and `("::1", 80)`), and [`ToUnixAddr`] for the Unix sockets (a
//! [`UnixAddr`], or a path as `&str`, `&[u8]` or, with `std`, `&Path`).
//!
//! Text is parsed in place, allocating nothing. A host name (text that is
//! not an address literal) is looked up with [`crate::resolve`], as glibc's
//! `getaddrinfo` would with the system's configuration (`/etc/hosts`,
//! `/etc/resolv.conf`, `/etc/nsswitch.conf`): stream sockets, any family,
//! `AI_ADDRCONFIG`, in glibc's order. A program that wants its own
//! configuration resolves with a [`Resolver`](crate::resolve::Resolver) and
//! passes the addresses.
//!
//! The convention across the crate: the typed sockets take addresses by
//! value, as std does (`UdpSocket::send_to(buf, addr)`), and every impl is
//! also there for a reference (`&addr`); [`Socket`](crate::Socket) takes
//! `&impl SocketAddrArg`, because the kernel reads that very memory.

use core::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

use crate::addr::{UnixAddr, UnixAddrError};
use crate::error::Error;

/// The most addresses one [`ToSocketAddrs`] conversion yields.
pub const MAX_SOCKET_ADDRS: usize = 16;

/// Anything that names one or more IP socket addresses, as std's
/// `ToSocketAddrs`: [`TcpStream::connect`](crate::TcpStream::connect) and
/// [`TcpListener::bind`](crate::TcpListener::bind) try each address in turn
/// until one succeeds; [`UdpSocket::send_to`](crate::UdpSocket::send_to)
/// uses the first.
///
/// Implemented for `SocketAddr`, `SocketAddrV4`, `SocketAddrV6`,
/// `(IpAddr, u16)`, `(Ipv4Addr, u16)`, `(Ipv6Addr, u16)`, `([u8; 4], u16)`,
/// `([u16; 8], u16)`, `&str` (`"ip:port"`, `"[ipv6]:port"`), `(&str, u16)`,
/// with `std` `String` and `(String, u16)`, and a reference to any of them.
///
/// ```
/// use zerosock::ToSocketAddrs;
/// use core::net::{Ipv4Addr, SocketAddr};
///
/// let want: SocketAddr = "127.0.0.1:80".parse().unwrap();
/// assert_eq!("127.0.0.1:80".to_socket_addrs()?.next(), Some(want));
/// assert_eq!(("127.0.0.1", 80).to_socket_addrs()?.next(), Some(want));
/// assert_eq!((Ipv4Addr::LOCALHOST, 80).to_socket_addrs()?.next(), Some(want));
/// assert_eq!(want.to_socket_addrs()?.next(), Some(want));
/// // Not an address, and not a name either: refused before any lookup.
/// assert!("127.0.0.1:http".to_socket_addrs().is_err());
/// # Ok::<(), zerosock::Error>(())
/// ```
///
/// # References
/// - [getaddrinfo(3)](https://man7.org/linux/man-pages/man3/getaddrinfo.3.html)
#[doc(alias = "getaddrinfo")]
pub trait ToSocketAddrs {
    /// The addresses, in the order they are to be tried.
    type Iter: Iterator<Item = SocketAddr>;

    /// Converts (parses) the addresses.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for text that is not an address (or a name,
    /// which needs a resolver).
    fn to_socket_addrs(&self) -> Result<Self::Iter, Error>;
}

/// The addresses a [`ToSocketAddrs`] conversion of text yields: the
/// resolver's fixed list, at most [`MAX_SOCKET_ADDRS`].
pub type SocketAddrs = crate::resolve::SocketAddrs<MAX_SOCKET_ADDRS>;

const NOT_AN_ADDRESS: Error =
    Error::InvalidInput("not an IP socket address (\"ip:port\" or \"[ipv6]:port\")");

/// Whether `host` could be a host name (not an address that failed to parse).
fn is_host_name(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 253
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'_')
        && host.bytes().any(|b| b.is_ascii_alphabetic())
}

/// `host` and `port`: a literal address, or a name looked up as glibc's
/// `getaddrinfo` would (see the module docs), or the refusal of text that
/// is neither.
fn host_port(host: &str, port: u16) -> Result<SocketAddrs, Error> {
    if let Ok(ip) = host.parse::<IpAddr>() {
        return Ok(SocketAddrs::one(SocketAddr::new(ip, port)));
    }
    if !is_host_name(host) {
        return Err(NOT_AN_ADDRESS);
    }
    crate::resolve::resolve_host_port::<MAX_SOCKET_ADDRS>(host, port, None).map_err(Error::Name)
}

impl ToSocketAddrs for str {
    type Iter = SocketAddrs;

    fn to_socket_addrs(&self) -> Result<SocketAddrs, Error> {
        if let Ok(addr) = self.parse::<SocketAddr>() {
            return Ok(SocketAddrs::one(addr));
        }
        // "host:port": a name, or something that is not an address at all.
        let (host, port) = self.rsplit_once(':').ok_or(NOT_AN_ADDRESS)?;
        let port = port.parse::<u16>().map_err(|_| NOT_AN_ADDRESS)?;
        host_port(host, port)
    }
}

impl ToSocketAddrs for (&str, u16) {
    type Iter = SocketAddrs;

    fn to_socket_addrs(&self) -> Result<SocketAddrs, Error> {
        host_port(self.0, self.1)
    }
}

/// Impls whose conversion cannot fail and yields one address.
macro_rules! one_addr {
    ($($ty:ty => |$v:ident| $conv:expr;)*) => {$(
        impl ToSocketAddrs for $ty {
            type Iter = core::option::IntoIter<SocketAddr>;

            #[inline]
            fn to_socket_addrs(&self) -> Result<Self::Iter, Error> {
                let $v = self;
                Ok(Some($conv).into_iter())
            }
        }
    )*};
}

one_addr! {
    SocketAddr => |a| *a;
    SocketAddrV4 => |a| SocketAddr::V4(*a);
    SocketAddrV6 => |a| SocketAddr::V6(*a);
    (IpAddr, u16) => |a| SocketAddr::new(a.0, a.1);
    (Ipv4Addr, u16) => |a| SocketAddr::new(IpAddr::V4(a.0), a.1);
    (Ipv6Addr, u16) => |a| SocketAddr::new(IpAddr::V6(a.0), a.1);
    ([u8; 4], u16) => |a| SocketAddr::new(IpAddr::from(a.0), a.1);
    ([u16; 8], u16) => |a| SocketAddr::new(IpAddr::from(a.0), a.1);
}

impl<T: ToSocketAddrs + ?Sized> ToSocketAddrs for &T {
    type Iter = T::Iter;

    #[inline]
    fn to_socket_addrs(&self) -> Result<T::Iter, Error> {
        (**self).to_socket_addrs()
    }
}

#[cfg(feature = "std")]
impl ToSocketAddrs for std::string::String {
    type Iter = SocketAddrs;

    fn to_socket_addrs(&self) -> Result<SocketAddrs, Error> {
        self.as_str().to_socket_addrs()
    }
}

#[cfg(feature = "std")]
impl ToSocketAddrs for (std::string::String, u16) {
    type Iter = SocketAddrs;

    fn to_socket_addrs(&self) -> Result<SocketAddrs, Error> {
        host_port(&self.0, self.1)
    }
}

/// The first address of `addr`, for calls that use one (as std's
/// `send_to` and `connect` on a UDP socket do).
#[inline]
pub(crate) fn first_addr(addr: impl ToSocketAddrs) -> Result<SocketAddr, Error> {
    addr.to_socket_addrs()?.next().ok_or(NO_ADDRESS)
}

/// Runs `each` on every address of `addr` in turn until one succeeds;
/// returns the last error if none does.
pub(crate) fn try_each<T>(
    addr: impl ToSocketAddrs,
    mut each: impl FnMut(&SocketAddr) -> Result<T, Error>,
) -> Result<T, Error> {
    let mut last = NO_ADDRESS;
    for addr in addr.to_socket_addrs()? {
        match each(&addr) {
            Ok(value) => return Ok(value),
            Err(err) => last = err,
        }
    }
    Err(last)
}

const NO_ADDRESS: Error = Error::InvalidInput("no socket address to use");

/// Anything that names a Unix-domain socket address: a [`UnixAddr`], or a
/// filesystem path as `&str`, `&[u8]` or (with `std`) `&Path`/`PathBuf`/
/// `String`. Paths that do not fit `sun_path` are refused, never cut.
/// Abstract names are made with [`UnixAddr::new_abstract`].
///
/// ```
/// use zerosock::ToUnixAddr;
/// use zerosock::addr::UnixAddr;
/// assert_eq!("/run/app.sock".to_unix_addr()?, UnixAddr::new("/run/app.sock")?);
/// assert!("".to_unix_addr().is_err());
/// # Ok::<(), zerosock::Error>(())
/// ```
///
/// # References
/// - [unix(7)](https://man7.org/linux/man-pages/man7/unix.7.html)
#[doc(alias = "sockaddr_un")]
pub trait ToUnixAddr {
    /// Runs `f` on the address, converted if need be (a [`UnixAddr`] is
    /// lent as it is, not copied).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a path that is empty, too long for
    /// `sun_path`, or holds a NUL byte.
    fn with_unix_addr<R>(&self, f: impl FnOnce(&UnixAddr) -> R) -> Result<R, Error>;

    /// The address, converted.
    ///
    /// # Errors
    /// As [`with_unix_addr`](Self::with_unix_addr).
    fn to_unix_addr(&self) -> Result<UnixAddr, Error> {
        self.with_unix_addr(|addr| *addr)
    }
}

impl ToUnixAddr for UnixAddr {
    #[inline]
    fn with_unix_addr<R>(&self, f: impl FnOnce(&UnixAddr) -> R) -> Result<R, Error> {
        Ok(f(self))
    }
}

impl ToUnixAddr for [u8] {
    fn with_unix_addr<R>(&self, f: impl FnOnce(&UnixAddr) -> R) -> Result<R, Error> {
        Ok(f(&UnixAddr::new(self)?))
    }
}

impl<const N: usize> ToUnixAddr for [u8; N] {
    fn with_unix_addr<R>(&self, f: impl FnOnce(&UnixAddr) -> R) -> Result<R, Error> {
        self[..].with_unix_addr(f)
    }
}

impl ToUnixAddr for str {
    fn with_unix_addr<R>(&self, f: impl FnOnce(&UnixAddr) -> R) -> Result<R, Error> {
        self.as_bytes().with_unix_addr(f)
    }
}

impl<T: ToUnixAddr + ?Sized> ToUnixAddr for &T {
    #[inline]
    fn with_unix_addr<R>(&self, f: impl FnOnce(&UnixAddr) -> R) -> Result<R, Error> {
        (**self).with_unix_addr(f)
    }
}

#[cfg(feature = "std")]
impl ToUnixAddr for std::path::Path {
    fn with_unix_addr<R>(&self, f: impl FnOnce(&UnixAddr) -> R) -> Result<R, Error> {
        use std::os::unix::ffi::OsStrExt;
        self.as_os_str().as_bytes().with_unix_addr(f)
    }
}

#[cfg(feature = "std")]
impl ToUnixAddr for std::path::PathBuf {
    fn with_unix_addr<R>(&self, f: impl FnOnce(&UnixAddr) -> R) -> Result<R, Error> {
        self.as_path().with_unix_addr(f)
    }
}

#[cfg(feature = "std")]
impl ToUnixAddr for std::string::String {
    fn with_unix_addr<R>(&self, f: impl FnOnce(&UnixAddr) -> R) -> Result<R, Error> {
        self.as_str().with_unix_addr(f)
    }
}

impl From<UnixAddrError> for Error {
    /// A Unix address refused before any system call.
    fn from(err: UnixAddrError) -> Self {
        Error::InvalidInput(err.reason())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v4(text: &str) -> SocketAddr {
        text.parse().unwrap()
    }

    #[test]
    fn literals_parse_without_a_resolver() {
        assert_eq!(
            "127.0.0.1:80".to_socket_addrs().unwrap().as_slice(),
            [v4("127.0.0.1:80")]
        );
        assert_eq!(
            "[::1]:443".to_socket_addrs().unwrap().as_slice(),
            [v4("[::1]:443")]
        );
        assert_eq!(
            ("::1", 443).to_socket_addrs().unwrap().as_slice(),
            [v4("[::1]:443")]
        );
        assert_eq!(
            ("10.1.2.3", 0).to_socket_addrs().unwrap().as_slice(),
            [v4("10.1.2.3:0")]
        );
        assert_eq!(
            ([127, 0, 0, 1], 9).to_socket_addrs().unwrap().next(),
            Some(v4("127.0.0.1:9"))
        );
        let addr = v4("127.0.0.1:7");
        assert_eq!(ToSocketAddrs::to_socket_addrs(&&addr).unwrap().next(), Some(addr));
        assert_eq!((&&"127.0.0.1:7").to_socket_addrs().unwrap().next(), Some(addr));
    }

    // Names go to the resolver with the system's configuration, so no unit
    // test here gives one: tests/resolve_netns.rs resolves through
    // `ToSocketAddrs` against its own DNS server in a namespace.
    #[test]
    fn text_that_is_neither_address_nor_name_is_refused() {
        assert!(!is_host_name("1.2.3.4.5") && is_host_name("example.com") && !is_host_name("a b"));
        for bad in [
            "",
            "127.0.0.1",
            "127.0.0.1:",
            "127.0.0.1:65536",
            ":80",
            "1.2.3.4.5:80",
            "[::1:80",
            "a b:80",
        ] {
            assert_eq!(bad.to_socket_addrs().unwrap_err(), NOT_AN_ADDRESS, "{bad:?}");
        }
        assert_eq!(("1.2.3.4.5", 1).to_socket_addrs().unwrap_err(), NOT_AN_ADDRESS);
        // As std (whose host part then goes to getaddrinfo): the last colon
        // splits off the port.
        assert_eq!("::1:80".to_socket_addrs().unwrap().as_slice(), [v4("[::1]:80")]);
    }

    #[test]
    fn the_iterator_yields_each_address_once() {
        let mut addrs = "127.0.0.1:1".to_socket_addrs().unwrap();
        assert_eq!(addrs.len(), 1);
        assert_eq!(addrs.next(), Some(v4("127.0.0.1:1")));
        assert_eq!((addrs.next(), addrs.next()), (None, None));
        assert!(addrs.as_slice().is_empty());
    }

    #[test]
    fn try_each_returns_the_first_success_or_the_last_error() {
        let ok = try_each("127.0.0.1:5", |a| Ok(a.port()));
        assert_eq!(ok, Ok(5));
        let err: Result<(), Error> = try_each("127.0.0.1:5", |_| Err(Error::Os(crate::Errno::CONNREFUSED)));
        assert_eq!(err, Err(Error::Os(crate::Errno::CONNREFUSED)));
    }

    #[test]
    fn unix_paths_convert_or_are_refused() {
        let addr = UnixAddr::new("/tmp/x.sock").unwrap();
        assert_eq!("/tmp/x.sock".to_unix_addr(), Ok(addr));
        assert_eq!(b"/tmp/x.sock".to_unix_addr(), Ok(addr));
        assert_eq!(ToUnixAddr::to_unix_addr(&&addr), Ok(addr));
        assert_eq!(
            "".to_unix_addr(),
            Err(Error::InvalidInput(UnixAddrError::EmptyPath.reason()))
        );
        let long = [b'a'; 108];
        assert!(matches!(long.to_unix_addr(), Err(Error::InvalidInput(_))));
        assert!(matches!("a\0b".to_unix_addr(), Err(Error::InvalidInput(_))));
    }
}
