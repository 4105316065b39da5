//! Checked views of rtnetlink messages: [`Link`], [`Address`], [`Route`],
//! [`Neighbour`]. Each is made once from a message (every attribute's
//! length checked) and then read without further failure.

use core::net::IpAddr;

use crate::abi::netlink::{IfAddrMsg, IfInfoMsg, NdMsg, RtMsg};
use crate::flags::Domain;
use crate::netlink::{Attrs, NlError, NlMsg};

use super::consts::*;

/// A link (network interface), from `RTM_NEWLINK`/`RTM_DELLINK`.
///
/// ```
/// use zerosock::netlink::{MsgBuilder, NlMsg};
/// use zerosock::netlink::route::{consts::*, IfInfoMsg, Link};
/// let mut buf = [0u8; 64];
/// let mut b = MsgBuilder::new(&mut buf, RTM_NEWLINK, 0, 0)?;
/// b.fixed(&IfInfoMsg { ifi_index: 3, ifi_flags: IFF_UP, ..IfInfoMsg::default() })?;
/// b.attr_str(IFLA_IFNAME, "eth0")?;
/// b.attr_u32(IFLA_MTU, 1500)?;
/// let (msg, _) = NlMsg::parse(b.finish())?;
/// let link = Link::parse(&msg)?;
/// assert_eq!((link.index(), link.name(), link.mtu(), link.is_up()), (3, Some("eth0"), Some(1500), true));
/// # Ok::<(), zerosock::netlink::NlError>(())
/// ```
///
/// # References
/// - [rtnetlink(7)](https://man7.org/linux/man-pages/man7/rtnetlink.7.html)
#[doc(alias = "ifinfomsg")]
#[derive(Clone, Copy, Debug)]
pub struct Link<'a> {
    header: IfInfoMsg,
    attrs: Attrs<'a>,
    deleted: bool,
}

impl<'a> Link<'a> {
    /// The link in `msg`.
    ///
    /// # Errors
    /// [`NlError::Malformed`] if `msg` is not a link message or is malformed.
    pub fn parse(msg: &NlMsg<'a>) -> Result<Self, NlError> {
        if msg.ty() != RTM_NEWLINK && msg.ty() != RTM_DELLINK {
            return Err(NlError::Malformed("not a link message"));
        }
        let (header, attrs) = msg.split::<IfInfoMsg>()?;
        Ok(Self {
            header,
            attrs,
            deleted: msg.ty() == RTM_DELLINK,
        })
    }

    /// The `ifinfomsg` header.
    #[must_use]
    pub const fn header(&self) -> IfInfoMsg {
        self.header
    }

    /// Whether this is `RTM_DELLINK` (the link went away).
    #[must_use]
    pub const fn is_deleted(&self) -> bool {
        self.deleted
    }

    /// The interface index.
    #[must_use]
    pub const fn index(&self) -> u32 {
        self.header.ifi_index as u32
    }

    /// `IFF_*` flags.
    #[must_use]
    pub const fn flags(&self) -> u32 {
        self.header.ifi_flags
    }

    /// Whether `IFF_UP` is set (administratively up).
    #[must_use]
    pub const fn is_up(&self) -> bool {
        self.header.ifi_flags & IFF_UP != 0
    }

    /// The device type (`ARPHRD_*`: 1 Ethernet, 772 loopback).
    #[must_use]
    pub const fn link_type(&self) -> u16 {
        self.header.ifi_type
    }

    /// All attributes (already checked).
    #[must_use]
    pub const fn attrs(&self) -> Attrs<'a> {
        self.attrs
    }

    /// `IFLA_IFNAME`.
    #[must_use]
    pub fn name(&self) -> Option<&'a str> {
        self.attrs.find(IFLA_IFNAME).and_then(|a| a.str().ok())
    }

    /// `IFLA_MTU`.
    #[must_use]
    pub fn mtu(&self) -> Option<u32> {
        self.attrs.find(IFLA_MTU).and_then(|a| a.u32().ok())
    }

    /// `IFLA_ADDRESS`: the hardware address.
    #[must_use]
    pub fn address(&self) -> Option<&'a [u8]> {
        self.attrs.find(IFLA_ADDRESS).map(|a| a.payload())
    }

    /// `IFLA_BROADCAST`: the hardware broadcast address.
    #[must_use]
    pub fn broadcast(&self) -> Option<&'a [u8]> {
        self.attrs.find(IFLA_BROADCAST).map(|a| a.payload())
    }

    /// `IFLA_OPERSTATE` (`IF_OPER_*`: 2 down, 6 up, 0 unknown).
    #[must_use]
    pub fn operstate(&self) -> Option<u8> {
        self.attrs.find(IFLA_OPERSTATE).and_then(|a| a.u8().ok())
    }

    /// `IFLA_LINK`: the index of the link this one is tied to (a veth's
    /// peer), possibly in another namespace.
    #[must_use]
    pub fn link(&self) -> Option<u32> {
        self.attrs.find(IFLA_LINK).and_then(|a| a.u32().ok())
    }

    /// `IFLA_LINK_NETNSID`: the namespace id of [`link`](Self::link)'s
    /// namespace, when it is another one.
    #[must_use]
    pub fn link_netnsid(&self) -> Option<i32> {
        self.attrs.find(IFLA_LINK_NETNSID).and_then(|a| a.i32().ok())
    }

    /// `IFLA_MASTER`: the index of the bridge or bond this link is in.
    #[must_use]
    pub fn master(&self) -> Option<u32> {
        self.attrs.find(IFLA_MASTER).and_then(|a| a.u32().ok())
    }

    /// `IFLA_TXQLEN`.
    #[must_use]
    pub fn txqlen(&self) -> Option<u32> {
        self.attrs.find(IFLA_TXQLEN).and_then(|a| a.u32().ok())
    }

    /// `IFLA_PROMISCUITY`: how many holders want the link promiscuous
    /// (packet-socket memberships count here; `IFF_PROMISC` in
    /// [`flags`](Self::flags) is only set by an explicit request).
    #[must_use]
    pub fn promiscuity(&self) -> Option<u32> {
        self.attrs.find(IFLA_PROMISCUITY).and_then(|a| a.u32().ok())
    }

    /// `IFLA_QDISC`.
    #[must_use]
    pub fn qdisc(&self) -> Option<&'a str> {
        self.attrs.find(IFLA_QDISC).and_then(|a| a.str().ok())
    }

    /// `IFLA_LINKINFO` / `IFLA_INFO_KIND`: the driver kind (`veth`,
    /// `bridge`, …) of a virtual link.
    #[must_use]
    pub fn kind(&self) -> Option<&'a str> {
        self.attrs
            .find(IFLA_LINKINFO)?
            .nested()
            .find(IFLA_INFO_KIND)
            .and_then(|a| a.str().ok())
    }
}

/// An address, from `RTM_NEWADDR`/`RTM_DELADDR`.
///
/// ```
/// use zerosock::netlink::{MsgBuilder, NlMsg};
/// use zerosock::netlink::route::{consts::*, Address, IfAddrMsg};
/// let mut buf = [0u8; 64];
/// let mut b = MsgBuilder::new(&mut buf, RTM_NEWADDR, 0, 0)?;
/// b.fixed(&IfAddrMsg { ifa_family: 2, ifa_prefixlen: 24, ifa_index: 3, ..IfAddrMsg::default() })?;
/// b.attr_ip(IFA_LOCAL, "10.0.0.1".parse().unwrap())?;
/// let (msg, _) = NlMsg::parse(b.finish())?;
/// let addr = Address::parse(&msg)?;
/// assert_eq!((addr.ip(), addr.prefix_len()), (Some("10.0.0.1".parse().unwrap()), 24));
/// # Ok::<(), zerosock::netlink::NlError>(())
/// ```
///
/// # References
/// - [rtnetlink(7)](https://man7.org/linux/man-pages/man7/rtnetlink.7.html)
#[doc(alias = "ifaddrmsg")]
#[derive(Clone, Copy, Debug)]
pub struct Address<'a> {
    header: IfAddrMsg,
    attrs: Attrs<'a>,
    deleted: bool,
}

impl<'a> Address<'a> {
    /// The address in `msg`.
    ///
    /// # Errors
    /// [`NlError::Malformed`] if `msg` is not an address message or is
    /// malformed.
    pub fn parse(msg: &NlMsg<'a>) -> Result<Self, NlError> {
        if msg.ty() != RTM_NEWADDR && msg.ty() != RTM_DELADDR {
            return Err(NlError::Malformed("not an address message"));
        }
        let (header, attrs) = msg.split::<IfAddrMsg>()?;
        Ok(Self {
            header,
            attrs,
            deleted: msg.ty() == RTM_DELADDR,
        })
    }

    /// The `ifaddrmsg` header.
    #[must_use]
    pub const fn header(&self) -> IfAddrMsg {
        self.header
    }

    /// Whether this is `RTM_DELADDR`.
    #[must_use]
    pub const fn is_deleted(&self) -> bool {
        self.deleted
    }

    /// The family: `AF_INET` or `AF_INET6`.
    #[must_use]
    pub const fn family(&self) -> Domain {
        Domain::from_raw(self.header.ifa_family as u16)
    }

    /// The interface index.
    #[must_use]
    pub const fn index(&self) -> u32 {
        self.header.ifa_index
    }

    /// The prefix length.
    #[must_use]
    pub const fn prefix_len(&self) -> u8 {
        self.header.ifa_prefixlen
    }

    /// `RT_SCOPE_*` (0 global, 253 link, 254 host).
    #[must_use]
    pub const fn scope(&self) -> u8 {
        self.header.ifa_scope
    }

    /// `IFA_F_*` flags: `IFA_FLAGS` (32 bits) if present, else the header's.
    #[must_use]
    pub fn flags(&self) -> u32 {
        self.attrs
            .find(IFA_FLAGS)
            .and_then(|a| a.u32().ok())
            .unwrap_or(self.header.ifa_flags as u32)
    }

    /// All attributes (already checked).
    #[must_use]
    pub const fn attrs(&self) -> Attrs<'a> {
        self.attrs
    }

    /// `IFA_ADDRESS`: the address (the peer's on a point-to-point link).
    #[must_use]
    pub fn address(&self) -> Option<IpAddr> {
        self.attrs.find(IFA_ADDRESS).and_then(|a| a.ip().ok())
    }

    /// `IFA_LOCAL`: the local address (IPv4).
    #[must_use]
    pub fn local(&self) -> Option<IpAddr> {
        self.attrs.find(IFA_LOCAL).and_then(|a| a.ip().ok())
    }

    /// The interface's own address: `IFA_LOCAL` if present, else
    /// `IFA_ADDRESS` (as `ip` shows it).
    #[must_use]
    pub fn ip(&self) -> Option<IpAddr> {
        self.local().or_else(|| self.address())
    }

    /// `IFA_BROADCAST`.
    #[must_use]
    pub fn broadcast(&self) -> Option<IpAddr> {
        self.attrs.find(IFA_BROADCAST).and_then(|a| a.ip().ok())
    }

    /// `IFA_LABEL`.
    #[must_use]
    pub fn label(&self) -> Option<&'a str> {
        self.attrs.find(IFA_LABEL).and_then(|a| a.str().ok())
    }
}

/// A route, from `RTM_NEWROUTE`/`RTM_DELROUTE`.
///
/// ```
/// use zerosock::netlink::{MsgBuilder, NlMsg};
/// use zerosock::netlink::route::{consts::*, Route, RouteType, RtMsg};
/// let mut buf = [0u8; 64];
/// let mut b = MsgBuilder::new(&mut buf, RTM_NEWROUTE, 0, 0)?;
/// b.fixed(&RtMsg { rtm_family: 2, rtm_table: RT_TABLE_MAIN, rtm_type: 6, ..RtMsg::default() })?;
/// let (msg, _) = NlMsg::parse(b.finish())?;
/// let route = Route::parse(&msg)?;
/// assert_eq!((route.kind(), route.dst_len(), route.dst()), (RouteType::BLACKHOLE, 0, None));
/// # Ok::<(), zerosock::netlink::NlError>(())
/// ```
///
/// # References
/// - [rtnetlink(7)](https://man7.org/linux/man-pages/man7/rtnetlink.7.html)
#[doc(alias = "rtmsg")]
#[derive(Clone, Copy, Debug)]
pub struct Route<'a> {
    header: RtMsg,
    attrs: Attrs<'a>,
}

impl<'a> Route<'a> {
    /// The route in `msg`.
    ///
    /// # Errors
    /// [`NlError::Malformed`] if `msg` is not a route message or is
    /// malformed.
    pub fn parse(msg: &NlMsg<'a>) -> Result<Self, NlError> {
        if msg.ty() != RTM_NEWROUTE && msg.ty() != RTM_DELROUTE {
            return Err(NlError::Malformed("not a route message"));
        }
        let (header, attrs) = msg.split::<RtMsg>()?;
        Ok(Self { header, attrs })
    }

    /// The `rtmsg` header.
    #[must_use]
    pub const fn header(&self) -> RtMsg {
        self.header
    }

    /// The family.
    #[must_use]
    pub const fn family(&self) -> Domain {
        Domain::from_raw(self.header.rtm_family as u16)
    }

    /// The destination prefix length (0 for a default route).
    #[must_use]
    pub const fn dst_len(&self) -> u8 {
        self.header.rtm_dst_len
    }

    /// The route type (`RTN_UNICAST`, `RTN_BLACKHOLE`, …).
    #[must_use]
    pub const fn kind(&self) -> RouteType {
        RouteType(self.header.rtm_type)
    }

    /// `RTPROT_*`.
    #[must_use]
    pub const fn protocol(&self) -> u8 {
        self.header.rtm_protocol
    }

    /// `RT_SCOPE_*`.
    #[must_use]
    pub const fn scope(&self) -> u8 {
        self.header.rtm_scope
    }

    /// The table: `RTA_TABLE` if present, else the header's.
    #[must_use]
    pub fn table(&self) -> u32 {
        self.attrs
            .find(RTA_TABLE)
            .and_then(|a| a.u32().ok())
            .unwrap_or(self.header.rtm_table as u32)
    }

    /// All attributes (already checked).
    #[must_use]
    pub const fn attrs(&self) -> Attrs<'a> {
        self.attrs
    }

    /// `RTA_DST` (absent for a default route).
    #[must_use]
    pub fn dst(&self) -> Option<IpAddr> {
        self.attrs.find(RTA_DST).and_then(|a| a.ip().ok())
    }

    /// `RTA_GATEWAY`.
    #[must_use]
    pub fn gateway(&self) -> Option<IpAddr> {
        self.attrs.find(RTA_GATEWAY).and_then(|a| a.ip().ok())
    }

    /// `RTA_OIF`: the output interface index.
    #[must_use]
    pub fn oif(&self) -> Option<u32> {
        self.attrs.find(RTA_OIF).and_then(|a| a.u32().ok())
    }

    /// `RTA_PRIORITY`: the metric.
    #[must_use]
    pub fn priority(&self) -> Option<u32> {
        self.attrs.find(RTA_PRIORITY).and_then(|a| a.u32().ok())
    }

    /// `RTA_PREFSRC`: the preferred source address.
    #[must_use]
    pub fn prefsrc(&self) -> Option<IpAddr> {
        self.attrs.find(RTA_PREFSRC).and_then(|a| a.ip().ok())
    }
}

/// A neighbour (ARP / NDP entry), from `RTM_NEWNEIGH`/`RTM_DELNEIGH`.
///
/// ```
/// use zerosock::netlink::{MsgBuilder, NlMsg};
/// use zerosock::netlink::route::{consts::*, NdMsg, Neighbour};
/// let mut buf = [0u8; 64];
/// let mut b = MsgBuilder::new(&mut buf, RTM_NEWNEIGH, 0, 0)?;
/// b.fixed(&NdMsg { ndm_family: 2, ndm_ifindex: 2, ndm_state: NUD_REACHABLE, ..NdMsg::default() })?;
/// b.attr(NDA_LLADDR, &[2, 0, 0, 0, 0, 1])?;
/// let (msg, _) = NlMsg::parse(b.finish())?;
/// assert_eq!(Neighbour::parse(&msg)?.lladdr(), Some(&[2, 0, 0, 0, 0, 1][..]));
/// # Ok::<(), zerosock::netlink::NlError>(())
/// ```
///
/// # References
/// - [rtnetlink(7)](https://man7.org/linux/man-pages/man7/rtnetlink.7.html)
#[doc(alias = "ndmsg")]
#[derive(Clone, Copy, Debug)]
pub struct Neighbour<'a> {
    header: NdMsg,
    attrs: Attrs<'a>,
}

impl<'a> Neighbour<'a> {
    /// The neighbour in `msg`.
    ///
    /// # Errors
    /// [`NlError::Malformed`] if `msg` is not a neighbour message or is
    /// malformed.
    pub fn parse(msg: &NlMsg<'a>) -> Result<Self, NlError> {
        if msg.ty() != RTM_NEWNEIGH && msg.ty() != RTM_DELNEIGH {
            return Err(NlError::Malformed("not a neighbour message"));
        }
        let (header, attrs) = msg.split::<NdMsg>()?;
        Ok(Self { header, attrs })
    }

    /// The `ndmsg` header.
    #[must_use]
    pub const fn header(&self) -> NdMsg {
        self.header
    }

    /// The family.
    #[must_use]
    pub const fn family(&self) -> Domain {
        Domain::from_raw(self.header.ndm_family as u16)
    }

    /// The interface index.
    #[must_use]
    pub const fn index(&self) -> u32 {
        self.header.ndm_ifindex as u32
    }

    /// `NUD_*` state bits (`NUD_PERMANENT` 0x80, `NUD_REACHABLE` 0x02, …).
    #[must_use]
    pub const fn state(&self) -> u16 {
        self.header.ndm_state
    }

    /// `NDA_DST`: the neighbour's IP address.
    #[must_use]
    pub fn ip(&self) -> Option<IpAddr> {
        self.attrs.find(NDA_DST).and_then(|a| a.ip().ok())
    }

    /// `NDA_LLADDR`: its hardware address.
    #[must_use]
    pub fn lladdr(&self) -> Option<&'a [u8]> {
        self.attrs.find(NDA_LLADDR).map(|a| a.payload())
    }
}

/// A route type (`rtm_type`): `RTN_UNICAST`, `RTN_BLACKHOLE`, …
///
/// # References
/// - [rtnetlink(7)](https://man7.org/linux/man-pages/man7/rtnetlink.7.html)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RouteType(pub u8);

impl RouteType {
    /// `RTN_UNICAST`: a gateway or direct route.
    pub const UNICAST: Self = Self(1);
    /// `RTN_LOCAL`: a local address.
    pub const LOCAL: Self = Self(2);
    /// `RTN_BROADCAST`.
    pub const BROADCAST: Self = Self(3);
    /// `RTN_MULTICAST`.
    pub const MULTICAST: Self = Self(5);
    /// `RTN_BLACKHOLE`: silently drop.
    #[doc(alias = "RTN_BLACKHOLE")]
    pub const BLACKHOLE: Self = Self(6);
    /// `RTN_UNREACHABLE`: `EHOSTUNREACH`.
    #[doc(alias = "RTN_UNREACHABLE")]
    pub const UNREACHABLE: Self = Self(7);
    /// `RTN_PROHIBIT`: `EACCES`.
    #[doc(alias = "RTN_PROHIBIT")]
    pub const PROHIBIT: Self = Self(8);
    /// `RTN_THROW`: continue in another table.
    pub const THROW: Self = Self(9);

    /// The name `ip route` uses (`unicast`, `blackhole`, …).
    #[must_use]
    pub const fn name(self) -> Option<&'static str> {
        Some(match self.0 {
            1 => "unicast",
            2 => "local",
            3 => "broadcast",
            4 => "anycast",
            5 => "multicast",
            6 => "blackhole",
            7 => "unreachable",
            8 => "prohibit",
            9 => "throw",
            10 => "nat",
            _ => return None,
        })
    }
}
