//! Socket options: getsockopt(2) and setsockopt(2), typed and raw.
//!
//! Every option has a typed getter and setter on [`Socket`] (and, where std
//! has one, on the typed sockets) that speaks in the caller's terms:
//! `bool` for flags, [`Duration`] for times, addresses
//! as `core::net` types. Input the kernel would reject, or silently
//! misread, is refused with [`Error::InvalidInput`]
//! before any system call; the kernel's own errors come back unchanged.
//!
//! All of them go through one path: [`Socket::get_option`] /
//! [`Socket::set_option`] for any plain-old-data value ([`Pod`]), which is
//! also the escape hatch for an option zerosock has no method for, beside
//! [`Socket::get_option_raw`] / [`Socket::set_option_raw`] on bytes.
//!
//! | level | file | options |
//! |---|---|---|
//! | `SOL_SOCKET` | socket.rs | `SO_REUSEADDR` `SO_REUSEPORT` `SO_KEEPALIVE` `SO_LINGER` `SO_RCVBUF` `SO_SNDBUF` (+`FORCE`) `SO_RCVTIMEO` `SO_SNDTIMEO` `SO_ERROR` `SO_TYPE` `SO_DOMAIN` `SO_PROTOCOL` `SO_ACCEPTCONN` `SO_BROADCAST` `SO_PASSCRED` `SO_PEERCRED` `SO_OOBINLINE` `SO_RCVLOWAT` `SO_MARK` `SO_BINDTODEVICE` `SO_PRIORITY` `SO_COOKIE` `SO_INCOMING_CPU` `SO_BUSY_POLL` `SO_ZEROCOPY` |
//! | `IPPROTO_TCP` | tcp.rs | `TCP_NODELAY` `TCP_CORK` `TCP_KEEPIDLE` `TCP_KEEPINTVL` `TCP_KEEPCNT` `TCP_SYNCNT` `TCP_USER_TIMEOUT` `TCP_QUICKACK` `TCP_DEFER_ACCEPT` `TCP_FASTOPEN` `TCP_MAXSEG` `TCP_CONGESTION` `TCP_INFO` |
//! | `IPPROTO_IP` | ip.rs | `IP_TTL` `IP_TOS` `IP_MULTICAST_TTL` `IP_MULTICAST_LOOP` `IP_MULTICAST_IF` `IP_ADD_MEMBERSHIP` `IP_DROP_MEMBERSHIP` `IP_PKTINFO` `IP_RECVTOS` `IP_FREEBIND` `IP_TRANSPARENT` `IP_HDRINCL` `IP_MTU_DISCOVER` `IP_MTU` |
//! | `IPPROTO_IPV6` | ipv6.rs | `IPV6_V6ONLY` `IPV6_UNICAST_HOPS` `IPV6_MULTICAST_HOPS` `IPV6_MULTICAST_LOOP` `IPV6_MULTICAST_IF` `IPV6_JOIN_GROUP` `IPV6_LEAVE_GROUP` `IPV6_RECVPKTINFO` `IPV6_TCLASS` `IPV6_RECVTCLASS` |
//! | `IPPROTO_UDP` | udp.rs | `UDP_SEGMENT` `UDP_GRO` |
//!
//! ```
//! use zerosock::{Domain, Protocol, Socket, Type};
//! use core::time::Duration;
//!
//! let socket = Socket::new(Domain::INET, Type::STREAM, Protocol::TCP)?;
//! socket.set_reuse_address(true)?;
//! socket.set_nodelay(true)?;
//! socket.set_read_timeout(Some(Duration::from_millis(1500)))?;
//! assert!(socket.reuse_address()?);
//! assert_eq!(socket.read_timeout()?, Some(Duration::from_millis(1500)));
//! // A zero timeout is not "no timeout": that is `None`.
//! assert!(socket.set_read_timeout(Some(Duration::ZERO)).is_err());
//! # Ok::<(), zerosock::Error>(())
//! ```

use core::time::Duration;

use rustix::fd::AsFd;

use crate::error::{Errno, Error};
use crate::socket::Socket;
use crate::sys;

/// Defines the getter and setter of a flag option (an `int`, nonzero is on)
/// on `Socket`, documented with its C name and man page (section 7).
macro_rules! flag_option {
    ($(
        $(#[$doc:meta])*
        $get:ident, $set:ident: $level:ident, $name:ident = $cname:literal, $page:literal;
    )*) => {
        impl crate::Socket {
            $(
                $(#[$doc])*
                ///
                #[doc = concat!("Reads `", $cname, "` (getsockopt(2)); set it with [`", stringify!($set), "`](Self::", stringify!($set), ").")]
                ///
                /// # References
                #[doc = concat!("- [", $page, "(7)](https://man7.org/linux/man-pages/man7/", $page, ".7.html)")]
                #[doc(alias = $cname)]
                pub fn $get(&self) -> Result<bool, crate::Errno> {
                    self.get_flag(crate::opt::$level, crate::opt::$name)
                }

                #[doc = concat!("Turns `", $cname, "` on or off (setsockopt(2)); see [`", stringify!($get), "`](Self::", stringify!($get), ").")]
                ///
                /// # References
                #[doc = concat!("- [", $page, "(7)](https://man7.org/linux/man-pages/man7/", $page, ".7.html)")]
                #[doc(alias = $cname)]
                pub fn $set(&self, on: bool) -> Result<(), crate::Errno> {
                    self.set_flag(crate::opt::$level, crate::opt::$name, on)
                }
            )*
        }
    };
}

mod ip;
mod ipv6;
mod len;
mod socket;
mod tcp;
mod time_names;
mod udp;

pub use crate::abi::Pod;
pub use crate::abi::opt::{IpMreq, IpMreqn, Ipv6Mreq, Linger, TimeVal, UCred};
pub use crate::abi::tcp_info::{TcpInfo, TcpState};
pub use ip::{Ecn, PmtuDiscover};
pub use len::OptionLen;
pub use tcp::TCP_CA_NAME_MAX;
pub use time_names::{SO_RCVTIMEO, SO_SNDTIMEO, SO_TIMESTAMP, SO_TIMESTAMPNS};

/// Re-exports the kernel's constants (from linux_raw_sys, generated from the
/// uapi headers) with a doc line each.
macro_rules! consts {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {
        $(
            $(#[$doc])*
            #[doc = concat!("`", stringify!($name), "`.")]
            pub const $name: u32 = linux_raw_sys::net::$name;
        )*
    };
}

consts!(
    /// Option level: the socket itself.
    SOL_SOCKET,
    /// Option level: IPv4 (`IPPROTO_IP`).
    SOL_IP,
    /// Option level: IPv6 (`IPPROTO_IPV6`).
    SOL_IPV6,
    /// Option level: TCP (`IPPROTO_TCP`).
    SOL_TCP,
    /// Option level: UDP (`IPPROTO_UDP`).
    SOL_UDP,
    SO_ACCEPTCONN,
    SO_BINDTODEVICE,
    SO_BROADCAST,
    SO_BUSY_POLL,
    SO_COOKIE,
    SO_DOMAIN,
    SO_ERROR,
    SO_INCOMING_CPU,
    SO_KEEPALIVE,
    SO_LINGER,
    SO_MARK,
    SO_OOBINLINE,
    SO_PASSCRED,
    SO_PASSPIDFD,
    SO_PEERCRED,
    SO_PRIORITY,
    SO_PROTOCOL,
    SO_RCVBUF,
    SO_RCVBUFFORCE,
    SO_RCVLOWAT,
    SO_REUSEADDR,
    SO_REUSEPORT,
    SO_RXQ_OVFL,
    SO_SNDBUF,
    SO_SNDBUFFORCE,
    SO_TYPE,
    SO_ZEROCOPY,
    TCP_CONGESTION,
    TCP_CORK,
    TCP_DEFER_ACCEPT,
    TCP_FASTOPEN,
    TCP_INFO,
    TCP_KEEPCNT,
    TCP_KEEPIDLE,
    TCP_KEEPINTVL,
    TCP_MAXSEG,
    TCP_NODELAY,
    TCP_QUICKACK,
    TCP_REPAIR_WINDOW,
    TCP_SYNCNT,
    TCP_USER_TIMEOUT,
    IP_ADD_MEMBERSHIP,
    IP_DROP_MEMBERSHIP,
    IP_FREEBIND,
    IP_HDRINCL,
    IP_MTU,
    IP_MTU_DISCOVER,
    IP_MULTICAST_IF,
    IP_MULTICAST_LOOP,
    IP_MULTICAST_TTL,
    IP_PKTINFO,
    IP_RECVTOS,
    IP_RECVTTL,
    IP_TOS,
    IP_TRANSPARENT,
    IP_TTL,
    IPV6_MULTICAST_HOPS,
    IPV6_MULTICAST_IF,
    IPV6_MULTICAST_LOOP,
    IPV6_RECVHOPLIMIT,
    IPV6_RECVPKTINFO,
    IPV6_RECVTCLASS,
    IPV6_TCLASS,
    IPV6_UNICAST_HOPS,
    IPV6_V6ONLY,
);

/// `IPV6_JOIN_GROUP`: join an IPv6 multicast group (linux/in6.h names it
/// `IPV6_ADD_MEMBERSHIP`; glibc's netinet/in.h gives it this RFC 3493 name).
pub const IPV6_JOIN_GROUP: u32 = linux_raw_sys::net::IPV6_ADD_MEMBERSHIP;
/// `IPV6_LEAVE_GROUP`: leave an IPv6 multicast group (linux/in6.h:
/// `IPV6_DROP_MEMBERSHIP`).
pub const IPV6_LEAVE_GROUP: u32 = linux_raw_sys::net::IPV6_DROP_MEMBERSHIP;
/// `UDP_SEGMENT`: UDP generic segmentation offload size (linux/udp.h).
pub const UDP_SEGMENT: u32 = 103;
/// `UDP_GRO`: UDP generic receive offload (linux/udp.h).
pub const UDP_GRO: u32 = 104;

impl Socket {
    /// getsockopt(2) with a byte buffer: the escape hatch for any option.
    /// Returns an [`OptionLen`]: `written`, how many bytes of `value` hold
    /// the option (never more than `value.len()`), and `reported`, the
    /// length the kernel put in `optlen`, which some options set to the
    /// size they need when the buffer is too small.
    ///
    /// ```
    /// use zerosock::{Domain, Protocol, Socket, Type};
    /// use zerosock::opt::{SOL_SOCKET, SO_TYPE};
    /// let socket = Socket::new(Domain::INET, Type::DGRAM, Protocol::UDP)?;
    /// let mut value = [0u8; 4];
    /// assert_eq!(socket.get_option_raw(SOL_SOCKET, SO_TYPE, &mut value)?.written, 4);
    /// assert_eq!(i32::from_ne_bytes(value), 2); // SOCK_DGRAM
    /// # Ok::<(), zerosock::Errno>(())
    /// ```
    ///
    /// # References
    /// - [getsockopt(2)](https://man7.org/linux/man-pages/man2/getsockopt.2.html)
    #[doc(alias = "getsockopt")]
    pub fn get_option_raw(&self, level: u32, name: u32, value: &mut [u8]) -> Result<OptionLen, Errno> {
        let capacity = value.len();
        sys::getsockopt(self.as_fd(), level, name, value).map(|reported| OptionLen::new(capacity, reported))
    }

    /// setsockopt(2) with a byte buffer: the escape hatch for any option.
    ///
    /// # References
    /// - [setsockopt(2)](https://man7.org/linux/man-pages/man2/setsockopt.2.html)
    #[doc(alias = "setsockopt")]
    pub fn set_option_raw(&self, level: u32, name: u32, value: &[u8]) -> Result<(), Errno> {
        sys::setsockopt(self.as_fd(), level, name, value)
    }

    /// getsockopt(2) straight into a plain-old-data value: `i32` for the
    /// integer and flag options, or a layout like [`Linger`] or
    /// [`TcpInfo`].
    ///
    /// The kernel writes at most `size_of::<T>()` bytes and may write fewer
    /// (an older kernel for a struct that has grown, like `TCP_INFO`); the
    /// bytes it does not write stay **zero**. Use
    /// [`get_option_with_len`](Self::get_option_with_len) to know how many
    /// it wrote.
    ///
    /// ```
    /// use zerosock::{Domain, Protocol, Socket, Type};
    /// use zerosock::opt::{Linger, SOL_SOCKET, SO_LINGER};
    /// let socket = Socket::new(Domain::INET, Type::STREAM, Protocol::TCP)?;
    /// let linger: Linger = socket.get_option(SOL_SOCKET, SO_LINGER)?;
    /// assert_eq!(linger.l_onoff, 0);
    /// # Ok::<(), zerosock::Errno>(())
    /// ```
    ///
    /// # References
    /// - [getsockopt(2)](https://man7.org/linux/man-pages/man2/getsockopt.2.html)
    #[doc(alias = "getsockopt")]
    #[inline]
    pub fn get_option<T: Pod>(&self, level: u32, name: u32) -> Result<T, Errno> {
        self.get_option_with_len(level, name).map(|(value, _)| value)
    }

    /// As [`get_option`](Self::get_option), also returning the
    /// [`OptionLen`]: how many bytes the kernel wrote (at most
    /// `size_of::<T>()`; the rest of the value is zero) and the length it
    /// reported.
    ///
    /// # References
    /// - [getsockopt(2)](https://man7.org/linux/man-pages/man2/getsockopt.2.html)
    #[doc(alias = "getsockopt")]
    #[inline]
    pub fn get_option_with_len<T: Pod>(&self, level: u32, name: u32) -> Result<(T, OptionLen), Errno> {
        sys::opt::get(self.as_fd(), level, name)
            .map(|(value, reported)| (value, OptionLen::new(size_of::<T>(), reported)))
    }

    /// setsockopt(2) with the bytes of a plain-old-data value, passed by
    /// pointer as it is.
    ///
    /// ```
    /// use zerosock::{Domain, Protocol, Socket, Type};
    /// use zerosock::opt::{SOL_SOCKET, SO_KEEPALIVE};
    /// let socket = Socket::new(Domain::INET, Type::STREAM, Protocol::TCP)?;
    /// socket.set_option(SOL_SOCKET, SO_KEEPALIVE, &1i32)?;
    /// assert!(socket.keepalive()?);
    /// # Ok::<(), zerosock::Errno>(())
    /// ```
    ///
    /// # References
    /// - [setsockopt(2)](https://man7.org/linux/man-pages/man2/setsockopt.2.html)
    #[doc(alias = "setsockopt")]
    #[inline]
    pub fn set_option<T: Pod>(&self, level: u32, name: u32, value: &T) -> Result<(), Errno> {
        sys::opt::set(self.as_fd(), level, name, value)
    }

    /// An `int` option.
    #[inline]
    pub(crate) fn get_int(&self, level: u32, name: u32) -> Result<i32, Errno> {
        self.get_option::<i32>(level, name)
    }

    /// Sets an `int` option.
    #[inline]
    pub(crate) fn set_int(&self, level: u32, name: u32, value: i32) -> Result<(), Errno> {
        self.set_option(level, name, &value)
    }

    /// A flag option (`int`, nonzero is on).
    #[inline]
    pub(crate) fn get_flag(&self, level: u32, name: u32) -> Result<bool, Errno> {
        self.get_int(level, name).map(|v| v != 0)
    }

    /// Sets a flag option to 1 or 0.
    #[inline]
    pub(crate) fn set_flag(&self, level: u32, name: u32, on: bool) -> Result<(), Errno> {
        self.set_int(level, name, i32::from(on))
    }
}

/// `value` as a C `int` if it is in `range`, else `InvalidInput(why)`.
#[inline]
pub(crate) fn checked_int<T: TryInto<i64>>(
    value: T,
    range: core::ops::RangeInclusive<i32>,
    why: &'static str,
) -> Result<i32, Error> {
    match value.try_into() {
        Ok(v) if v >= i64::from(*range.start()) && v <= i64::from(*range.end()) => Ok(v as i32),
        _ => Err(Error::InvalidInput(why)),
    }
}

/// `d` counted in units of `unit_nanos`, rounded **up** (so a nonzero
/// duration never becomes 0), as a C `int` in `1..=max`; zero or more than
/// `max` units is `InvalidInput(why)`.
pub(crate) fn duration_units(
    d: Duration,
    unit_nanos: u32,
    max: i32,
    why: &'static str,
) -> Result<i32, Error> {
    let units = d.as_nanos().div_ceil(u128::from(unit_nanos));
    checked_int(i64::try_from(units).unwrap_or(i64::MAX), 1..=max, why)
}

/// As [`duration_units`], with `None` as 0 (the kernel's "off"/"default").
pub(crate) fn optional_duration_units(
    d: Option<Duration>,
    unit_nanos: u32,
    max: i32,
    why: &'static str,
) -> Result<i32, Error> {
    match d {
        None => Ok(0),
        Some(d) => duration_units(d, unit_nanos, max, why),
    }
}

/// Nanoseconds in a second, a millisecond and a microsecond.
pub(crate) const SEC: u32 = 1_000_000_000;
pub(crate) const MILLI: u32 = 1_000_000;
pub(crate) const MICRO: u32 = 1_000;
