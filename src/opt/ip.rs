//! `IPPROTO_IP` options: IPv4 sockets (ip(7)).

use core::fmt;
use core::net::Ipv4Addr;

use crate::addr::InAddr;
use crate::error::{Errno, Error};
use crate::opt::{
    IP_ADD_MEMBERSHIP, IP_DROP_MEMBERSHIP, IP_MTU, IP_MTU_DISCOVER, IP_MULTICAST_IF, IP_MULTICAST_TTL,
    IP_TOS, IP_TTL, IpMreqn, SOL_IP, checked_int,
};
use crate::socket::Socket;

flag_option! {
    /// Whether each received datagram carries its IP TTL as an `IP_TTL`
    /// control message.
    recv_ttl, set_recv_ttl: SOL_IP, IP_RECVTTL = "IP_RECVTTL", "ip";

    /// Whether multicast datagrams this socket sends are looped back to
    /// local listeners (`IP_MULTICAST_LOOP`; on by default).
    multicast_loop_v4, set_multicast_loop_v4: SOL_IP, IP_MULTICAST_LOOP = "IP_MULTICAST_LOOP", "ip";

    /// Whether each received datagram comes with an `IP_PKTINFO` control
    /// message: the interface it arrived on and its destination address
    /// (`IP_PKTINFO`).
    recv_pktinfo_v4, set_recv_pktinfo_v4: SOL_IP, IP_PKTINFO = "IP_PKTINFO", "ip";

    /// Whether each received datagram comes with an `IP_TOS` control message
    /// holding its type-of-service byte (`IP_RECVTOS`).
    recv_tos, set_recv_tos: SOL_IP, IP_RECVTOS = "IP_RECVTOS", "ip";

    /// Whether the socket may bind an address that is not (yet) local
    /// (`IP_FREEBIND`).
    freebind, set_freebind: SOL_IP, IP_FREEBIND = "IP_FREEBIND", "ip";

    /// Whether the socket may bind and send from any address, for
    /// transparent proxying (`IP_TRANSPARENT`); needs `CAP_NET_ADMIN` or
    /// `CAP_NET_RAW`.
    transparent, set_transparent: SOL_IP, IP_TRANSPARENT = "IP_TRANSPARENT", "ip";

    /// Whether the caller writes the IP header itself (`IP_HDRINCL`; raw
    /// sockets only, `ENOPROTOOPT` otherwise).
    header_included, set_header_included: SOL_IP, IP_HDRINCL = "IP_HDRINCL", "ip";
}

impl Socket {
    /// The time-to-live of unicast packets this socket sends (`IP_TTL`).
    ///
    /// # References
    /// - [ip(7)](https://man7.org/linux/man-pages/man7/ip.7.html)
    #[doc(alias = "IP_TTL")]
    pub fn ttl(&self) -> Result<u32, Errno> {
        self.get_int(SOL_IP, IP_TTL).map(|n| n as u32)
    }

    /// Sets `IP_TTL`.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] unless `ttl` is 1 to 255.
    ///
    /// # References
    /// - [ip(7)](https://man7.org/linux/man-pages/man7/ip.7.html)
    #[doc(alias = "IP_TTL")]
    pub fn set_ttl(&self, ttl: u32) -> Result<(), Error> {
        let ttl = checked_int(ttl, 1..=255, "IP_TTL: must be 1 to 255")?;
        Ok(self.set_int(SOL_IP, IP_TTL, ttl)?)
    }

    /// The type-of-service byte of packets this socket sends (`IP_TOS`):
    /// DSCP in the top six bits, ECN in the bottom two.
    ///
    /// # References
    /// - [ip(7)](https://man7.org/linux/man-pages/man7/ip.7.html)
    #[doc(alias = "IP_TOS")]
    pub fn tos(&self) -> Result<u32, Errno> {
        self.get_int(SOL_IP, IP_TOS).map(|n| n as u32)
    }

    /// Sets `IP_TOS`. On a TCP socket the kernel keeps the ECN bits its own.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] if `tos` exceeds 255.
    ///
    /// # References
    /// - [ip(7)](https://man7.org/linux/man-pages/man7/ip.7.html)
    #[doc(alias = "IP_TOS")]
    pub fn set_tos(&self, tos: u32) -> Result<(), Error> {
        let tos = checked_int(tos, 0..=255, "IP_TOS: more than 255")?;
        Ok(self.set_int(SOL_IP, IP_TOS, tos)?)
    }

    /// The time-to-live of multicast datagrams this socket sends
    /// (`IP_MULTICAST_TTL`; default 1, the local network).
    ///
    /// # References
    /// - [ip(7)](https://man7.org/linux/man-pages/man7/ip.7.html)
    #[doc(alias = "IP_MULTICAST_TTL")]
    pub fn multicast_ttl_v4(&self) -> Result<u32, Errno> {
        self.get_int(SOL_IP, IP_MULTICAST_TTL).map(|n| n as u32)
    }

    /// Sets `IP_MULTICAST_TTL` (0 keeps datagrams on this host).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] if `ttl` exceeds 255.
    ///
    /// # References
    /// - [ip(7)](https://man7.org/linux/man-pages/man7/ip.7.html)
    #[doc(alias = "IP_MULTICAST_TTL")]
    pub fn set_multicast_ttl_v4(&self, ttl: u32) -> Result<(), Error> {
        let ttl = checked_int(ttl, 0..=255, "IP_MULTICAST_TTL: more than 255")?;
        Ok(self.set_int(SOL_IP, IP_MULTICAST_TTL, ttl)?)
    }

    /// The local address of the interface multicast datagrams leave by
    /// (`IP_MULTICAST_IF`); `0.0.0.0` if the kernel chooses by route, or if
    /// the interface was set by index.
    ///
    /// # References
    /// - [ip(7)](https://man7.org/linux/man-pages/man7/ip.7.html)
    #[doc(alias = "IP_MULTICAST_IF")]
    pub fn multicast_if_v4(&self) -> Result<Ipv4Addr, Errno> {
        self.get_option::<InAddr>(SOL_IP, IP_MULTICAST_IF).map(InAddr::ip)
    }

    /// Sends multicast datagrams by the interface with local address
    /// `interface` (`IP_MULTICAST_IF` with an `in_addr`); `0.0.0.0` lets the
    /// kernel choose by route.
    ///
    /// # References
    /// - [ip(7)](https://man7.org/linux/man-pages/man7/ip.7.html)
    #[doc(alias = "IP_MULTICAST_IF")]
    pub fn set_multicast_if_v4(&self, interface: Ipv4Addr) -> Result<(), Errno> {
        self.set_option(SOL_IP, IP_MULTICAST_IF, &InAddr::new(interface))
    }

    /// Sends multicast datagrams by the interface with index `ifindex`
    /// (`IP_MULTICAST_IF` with an `ip_mreqn`; 0: by route). The loopback
    /// interface is usually index 1.
    ///
    /// # References
    /// - [ip(7)](https://man7.org/linux/man-pages/man7/ip.7.html)
    #[doc(alias = "IP_MULTICAST_IF")]
    pub fn set_multicast_if_index_v4(&self, ifindex: u32) -> Result<(), Errno> {
        self.set_option(
            SOL_IP,
            IP_MULTICAST_IF,
            &IpMreqn::with_index(Ipv4Addr::UNSPECIFIED, ifindex),
        )
    }

    /// Joins multicast `group` on the interface with local address
    /// `interface` (`IP_ADD_MEMBERSHIP`; `0.0.0.0`: by route).
    ///
    /// # References
    /// - [ip(7)](https://man7.org/linux/man-pages/man7/ip.7.html)
    #[doc(alias = "IP_ADD_MEMBERSHIP")]
    pub fn join_multicast_v4(&self, group: Ipv4Addr, interface: Ipv4Addr) -> Result<(), Errno> {
        self.set_option(
            SOL_IP,
            IP_ADD_MEMBERSHIP,
            &IpMreqn::with_address(group, interface),
        )
    }

    /// Joins multicast `group` on the interface with index `ifindex`
    /// (`IP_ADD_MEMBERSHIP` with `imr_ifindex`).
    ///
    /// # References
    /// - [ip(7)](https://man7.org/linux/man-pages/man7/ip.7.html)
    #[doc(alias = "IP_ADD_MEMBERSHIP")]
    pub fn join_multicast_v4_index(&self, group: Ipv4Addr, ifindex: u32) -> Result<(), Errno> {
        self.set_option(SOL_IP, IP_ADD_MEMBERSHIP, &IpMreqn::with_index(group, ifindex))
    }

    /// Leaves multicast `group` joined on the interface with local address
    /// `interface` (`IP_DROP_MEMBERSHIP`).
    ///
    /// # References
    /// - [ip(7)](https://man7.org/linux/man-pages/man7/ip.7.html)
    #[doc(alias = "IP_DROP_MEMBERSHIP")]
    pub fn leave_multicast_v4(&self, group: Ipv4Addr, interface: Ipv4Addr) -> Result<(), Errno> {
        self.set_option(
            SOL_IP,
            IP_DROP_MEMBERSHIP,
            &IpMreqn::with_address(group, interface),
        )
    }

    /// Leaves multicast `group` joined on the interface with index `ifindex`
    /// (`IP_DROP_MEMBERSHIP`).
    ///
    /// # References
    /// - [ip(7)](https://man7.org/linux/man-pages/man7/ip.7.html)
    #[doc(alias = "IP_DROP_MEMBERSHIP")]
    pub fn leave_multicast_v4_index(&self, group: Ipv4Addr, ifindex: u32) -> Result<(), Errno> {
        self.set_option(SOL_IP, IP_DROP_MEMBERSHIP, &IpMreqn::with_index(group, ifindex))
    }

    /// The path-MTU discovery mode (`IP_MTU_DISCOVER`).
    ///
    /// # References
    /// - [ip(7)](https://man7.org/linux/man-pages/man7/ip.7.html)
    #[doc(alias = "IP_MTU_DISCOVER")]
    pub fn mtu_discover(&self) -> Result<PmtuDiscover, Errno> {
        self.get_int(SOL_IP, IP_MTU_DISCOVER).map(PmtuDiscover::from_raw)
    }

    /// Sets the path-MTU discovery mode (`IP_MTU_DISCOVER`).
    ///
    /// # References
    /// - [ip(7)](https://man7.org/linux/man-pages/man7/ip.7.html)
    #[doc(alias = "IP_MTU_DISCOVER")]
    pub fn set_mtu_discover(&self, mode: PmtuDiscover) -> Result<(), Errno> {
        self.set_int(SOL_IP, IP_MTU_DISCOVER, mode.raw())
    }

    /// The path MTU the kernel currently knows for a **connected** socket
    /// (`IP_MTU`); `ENOTCONN` otherwise.
    ///
    /// # References
    /// - [ip(7)](https://man7.org/linux/man-pages/man7/ip.7.html)
    #[doc(alias = "IP_MTU")]
    pub fn mtu(&self) -> Result<u32, Errno> {
        self.get_int(SOL_IP, IP_MTU).map(|n| n as u32)
    }
}

/// A path-MTU discovery mode: the value of `IP_MTU_DISCOVER`.
///
/// ```
/// use zerosock::opt::PmtuDiscover;
/// assert_eq!(PmtuDiscover::DO.raw(), 2);
/// assert_eq!(format!("{:?}", PmtuDiscover::PROBE), "IP_PMTUDISC_PROBE");
/// ```
///
/// # References
/// - [ip(7)](https://man7.org/linux/man-pages/man7/ip.7.html)
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PmtuDiscover(i32);

impl PmtuDiscover {
    /// `IP_PMTUDISC_DONT`: never set Don't-Fragment.
    #[doc(alias = "IP_PMTUDISC_DONT")]
    pub const DONT: Self = Self(linux_raw_sys::net::IP_PMTUDISC_DONT as i32);
    /// `IP_PMTUDISC_WANT`: per-route discovery (the default).
    #[doc(alias = "IP_PMTUDISC_WANT")]
    pub const WANT: Self = Self(linux_raw_sys::net::IP_PMTUDISC_WANT as i32);
    /// `IP_PMTUDISC_DO`: always set Don't-Fragment; too-large sends fail with
    /// `EMSGSIZE`.
    #[doc(alias = "IP_PMTUDISC_DO")]
    pub const DO: Self = Self(linux_raw_sys::net::IP_PMTUDISC_DO as i32);
    /// `IP_PMTUDISC_PROBE`: set Don't-Fragment but ignore the path MTU.
    #[doc(alias = "IP_PMTUDISC_PROBE")]
    pub const PROBE: Self = Self(linux_raw_sys::net::IP_PMTUDISC_PROBE as i32);
    /// `IP_PMTUDISC_INTERFACE`: use the interface MTU, ignore the path MTU.
    #[doc(alias = "IP_PMTUDISC_INTERFACE")]
    pub const INTERFACE: Self = Self(linux_raw_sys::net::IP_PMTUDISC_INTERFACE as i32);
    /// `IP_PMTUDISC_OMIT`: as `INTERFACE`, and fragment if needed.
    #[doc(alias = "IP_PMTUDISC_OMIT")]
    pub const OMIT: Self = Self(linux_raw_sys::net::IP_PMTUDISC_OMIT as i32);

    /// Wraps a raw value, named or not.
    #[must_use]
    pub const fn from_raw(raw: i32) -> Self {
        Self(raw)
    }

    /// The raw value passed to the kernel.
    #[must_use]
    pub const fn raw(self) -> i32 {
        self.0
    }

    /// The C name, if the value has one.
    #[must_use]
    pub const fn name(self) -> Option<&'static str> {
        Some(match self.0 {
            0 => "IP_PMTUDISC_DONT",
            1 => "IP_PMTUDISC_WANT",
            2 => "IP_PMTUDISC_DO",
            3 => "IP_PMTUDISC_PROBE",
            4 => "IP_PMTUDISC_INTERFACE",
            5 => "IP_PMTUDISC_OMIT",
            _ => return None,
        })
    }
}

impl fmt::Debug for PmtuDiscover {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => f.write_str(name),
            None => write!(f, "PmtuDiscover({})", self.0),
        }
    }
}

/// The two explicit-congestion-notification bits of the IPv4 TOS byte or
/// the IPv6 traffic class (RFC 3168).
///
/// ```
/// use zerosock::msg::Ecn;
/// assert_eq!(Ecn::from_tos(0xb8 | 2), Ecn::Ect0);
/// assert_eq!(Ecn::Ect1.with_dscp(46), 0xb9);
/// ```
///
/// # References
/// - [ip(7)](https://man7.org/linux/man-pages/man7/ip.7.html)
/// - [RFC 3168](https://www.rfc-editor.org/rfc/rfc3168)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Ecn {
    /// `00`: not ECN-capable.
    NotEct = 0,
    /// `01`: ECN-capable transport, codepoint 1.
    Ect1 = 1,
    /// `10`: ECN-capable transport, codepoint 0.
    Ect0 = 2,
    /// `11`: congestion experienced.
    Ce = 3,
}

impl Ecn {
    /// The ECN bits of a TOS or traffic-class byte.
    #[must_use]
    pub const fn from_tos(tos: u8) -> Self {
        match tos & 3 {
            0 => Self::NotEct,
            1 => Self::Ect1,
            2 => Self::Ect0,
            _ => Self::Ce,
        }
    }

    /// The TOS / traffic-class byte with DSCP `dscp` (its low six bits) and
    /// these ECN bits.
    #[must_use]
    pub const fn with_dscp(self, dscp: u8) -> u8 {
        (dscp << 2) | self as u8
    }
}
