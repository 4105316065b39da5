//! `?`-friendly conversions from a [`SockAddr`] (whatever the kernel wrote)
//! to `core::net`'s IP socket addresses, with [`DecodeError`] saying why an
//! address is not one.

use core::net::SocketAddr;

use super::{Addr, DecodeError, SockAddr};

/// An IP socket address from a [`SockAddr`]: `AF_INET` or `AF_INET6` with a
/// length that holds the whole structure.
///
/// ```
/// use zerosock::{Domain, Protocol, Socket, Type};
/// use zerosock::addr::DecodeError;
/// use core::net::{Ipv4Addr, SocketAddr};
///
/// let socket = Socket::new(Domain::INET, Type::DGRAM, Protocol::UDP)?;
/// socket.bind(&SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))?;
/// let local: SocketAddr = socket.local_addr()?.try_into()?;
/// assert_eq!(local.ip(), Ipv4Addr::LOCALHOST);
///
/// let unbound = Socket::new(Domain::UNIX, Type::DGRAM, Protocol::DEFAULT)?;
/// let err = SocketAddr::try_from(unbound.local_addr()?).unwrap_err();
/// assert_eq!(err, DecodeError::FamilyMismatch { family: 1 }); // AF_UNIX
/// # Ok::<(), Box<dyn core::error::Error>>(())
/// ```
///
/// # Errors
/// [`DecodeError::FamilyMismatch`] for any other family (`AF_UNIX`,
/// netlink, …, and `family: 0` for an empty or `AF_UNSPEC` address);
/// [`DecodeError::TooShort`] when the length cannot hold a `sockaddr_in` or
/// `sockaddr_in6`; [`DecodeError::Truncated`] when it exceeds the storage.
///
/// # References
/// - [ip(7)](https://man7.org/linux/man-pages/man7/ip.7.html)
/// - [ipv6(7)](https://man7.org/linux/man-pages/man7/ipv6.7.html)
impl TryFrom<&SockAddr> for SocketAddr {
    type Error = DecodeError;

    fn try_from(addr: &SockAddr) -> Result<Self, DecodeError> {
        match addr.decode()? {
            Addr::Inet(ip) => Ok(ip),
            _ => Err(DecodeError::FamilyMismatch {
                family: addr.family().raw(),
            }),
        }
    }
}

/// As the conversion from `&SockAddr`, taking the address by value.
///
/// ```
/// use zerosock::addr::SockAddr;
/// use core::net::SocketAddr;
/// let ip: SocketAddr = "[::1]:53".parse().unwrap();
/// assert_eq!(SocketAddr::try_from(SockAddr::from(ip)), Ok(ip));
/// ```
///
/// # References
/// - [ip(7)](https://man7.org/linux/man-pages/man7/ip.7.html)
impl TryFrom<SockAddr> for SocketAddr {
    type Error = DecodeError;

    #[inline]
    fn try_from(addr: SockAddr) -> Result<Self, DecodeError> {
        Self::try_from(&addr)
    }
}
