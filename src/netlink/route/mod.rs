//! rtnetlink (`NETLINK_ROUTE`): list and change links, addresses, routes
//! and neighbours, and watch them change through multicast groups — what
//! `ip link`, `ip addr`, `ip route`, `ip neigh` and `ip monitor` do.
//!
//! Replies are read into the caller's buffer and handed to a closure as
//! checked views ([`Link`], [`Address`], [`Route`], [`Neighbour`]); the
//! requests are built on the stack. A 32 KiB buffer holds any datagram the
//! kernel sends for a dump.
//!
//! ```no_run
//! use zerosock::netlink::route::{LinkChange, Rtnetlink};
//! let rtnl = Rtnetlink::open()?;
//! let mut buf = [0u8; 32 * 1024];
//! let lo = rtnl.link_index("lo", &mut buf)?;
//! rtnl.set_link(lo, &LinkChange { up: Some(true), ..LinkChange::default() }, &mut buf)?;
//! rtnl.add_address(lo, "127.0.0.2".parse().unwrap(), 8, &mut buf)?;
//! # Ok::<(), zerosock::netlink::NlError>(())
//! ```
//!
//! # References
//! - [rtnetlink(7)](https://man7.org/linux/man-pages/man7/rtnetlink.7.html)

pub mod consts;
mod views;

use core::net::IpAddr;

use rustix::fd::{AsRawFd, BorrowedFd};

pub use crate::abi::netlink::{IfAddrMsg, IfInfoMsg, NdMsg, RtMsg};
pub use views::{Address, Link, Neighbour, Route, RouteType};

use crate::error::Errno;
use crate::flags::Domain;
use crate::netlink::{
    MsgBuilder, NETLINK_ROUTE, NLM_F_ACK, NLM_F_CREATE, NLM_F_DUMP, NLM_F_EXCL, NLM_F_REQUEST, Netlink,
    NlError, NlMsg,
};
use consts::*;

/// The size of the stack buffer requests are built in.
const REQUEST_MAX: usize = 512;

/// Changes to make to a link with [`Rtnetlink::set_link`]; `None` leaves a
/// property as it is.
///
/// ```
/// use zerosock::netlink::route::LinkChange;
/// let up_with_jumbo_frames = LinkChange { up: Some(true), mtu: Some(9000), ..LinkChange::default() };
/// assert!(up_with_jumbo_frames.name.is_none());
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct LinkChange<'a> {
    /// Set (`true`) or clear `IFF_UP`.
    pub up: Option<bool>,
    /// `IFLA_MTU`.
    pub mtu: Option<u32>,
    /// `IFLA_IFNAME`: rename (the link must be down).
    pub name: Option<&'a str>,
    /// `IFLA_NET_NS_FD`: move the link to the network namespace of this fd
    /// (an open `/var/run/netns/<name>` or `/proc/<pid>/ns/net`).
    pub netns: Option<BorrowedFd<'a>>,
}

/// A route to add or delete with [`Rtnetlink::add_route`] /
/// [`Rtnetlink::delete_route`].
///
/// ```
/// use zerosock::netlink::route::{RouteSpec, RouteType};
/// let default = RouteSpec::default_via("10.0.0.1".parse().unwrap());
/// assert_eq!(default.prefix_len, 0);
/// let hole = RouteSpec { kind: RouteType::BLACKHOLE, ..RouteSpec::new("192.0.2.0".parse().unwrap(), 24) };
/// assert_eq!(hole.table, 254);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RouteSpec {
    /// The destination network (its family is the route's).
    pub dst: IpAddr,
    /// The destination prefix length; 0 with an unspecified `dst` is the
    /// default route.
    pub prefix_len: u8,
    /// `RTN_UNICAST`, `RTN_BLACKHOLE`, `RTN_UNREACHABLE`, `RTN_PROHIBIT`, …
    pub kind: RouteType,
    /// `RTA_GATEWAY`.
    pub gateway: Option<IpAddr>,
    /// `RTA_OIF`: the output interface.
    pub oif: Option<u32>,
    /// `RTA_PRIORITY`: the metric.
    pub metric: Option<u32>,
    /// The table (`RT_TABLE_MAIN`, 254, by default).
    pub table: u32,
}

impl RouteSpec {
    /// A unicast route to `dst/prefix_len` in the main table.
    #[must_use]
    pub const fn new(dst: IpAddr, prefix_len: u8) -> Self {
        Self {
            dst,
            prefix_len,
            kind: RouteType::UNICAST,
            gateway: None,
            oif: None,
            metric: None,
            table: RT_TABLE_MAIN as u32,
        }
    }

    /// The default route of `gateway`'s family, via `gateway`.
    #[must_use]
    pub const fn default_via(gateway: IpAddr) -> Self {
        let dst = match gateway {
            IpAddr::V4(_) => IpAddr::V4(core::net::Ipv4Addr::UNSPECIFIED),
            IpAddr::V6(_) => IpAddr::V6(core::net::Ipv6Addr::UNSPECIFIED),
        };
        let mut spec = Self::new(dst, 0);
        spec.gateway = Some(gateway);
        spec
    }
}

/// Any rtnetlink message a multicast group delivers, decoded.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum Event<'a> {
    /// `RTM_NEWLINK` / `RTM_DELLINK`.
    Link(Link<'a>),
    /// `RTM_NEWADDR` / `RTM_DELADDR`.
    Address(Address<'a>),
    /// `RTM_NEWROUTE` / `RTM_DELROUTE` (see [`Route::parse`] for which).
    Route(Route<'a>),
    /// `RTM_NEWNEIGH` / `RTM_DELNEIGH`.
    Neighbour(Neighbour<'a>),
    /// Anything else, as it came.
    Other(NlMsg<'a>),
}

impl<'a> Event<'a> {
    /// Decodes `msg`.
    ///
    /// # Errors
    /// [`NlError::Malformed`] if a message of a known type is malformed.
    pub fn parse(msg: &NlMsg<'a>) -> Result<Self, NlError> {
        Ok(match msg.ty() {
            RTM_NEWLINK | RTM_DELLINK => Self::Link(Link::parse(msg)?),
            RTM_NEWADDR | RTM_DELADDR => Self::Address(Address::parse(msg)?),
            RTM_NEWROUTE | RTM_DELROUTE => Self::Route(Route::parse(msg)?),
            RTM_NEWNEIGH | RTM_DELNEIGH => Self::Neighbour(Neighbour::parse(msg)?),
            _ => Self::Other(*msg),
        })
    }
}

/// An rtnetlink socket.
///
/// ```no_run
/// use zerosock::netlink::route::Rtnetlink;
/// use zerosock::Domain;
/// let rtnl = Rtnetlink::open()?;
/// let mut buf = [0u8; 32 * 1024];
/// rtnl.addresses(Domain::INET6, &mut buf, |a| println!("{:?}/{}", a.ip(), a.prefix_len()))?;
/// # Ok::<(), zerosock::netlink::NlError>(())
/// ```
///
/// # References
/// - [rtnetlink(7)](https://man7.org/linux/man-pages/man7/rtnetlink.7.html)
#[doc(alias = "NETLINK_ROUTE")]
#[derive(Debug)]
pub struct Rtnetlink {
    nl: Netlink,
}

fn family_byte(family: Domain) -> u8 {
    family.raw() as u8
}

fn ip_family(ip: IpAddr) -> u8 {
    match ip {
        IpAddr::V4(_) => Domain::INET.raw() as u8,
        IpAddr::V6(_) => Domain::INET6.raw() as u8,
    }
}

impl Rtnetlink {
    /// Opens an rtnetlink socket in the calling thread's network namespace.
    ///
    /// # References
    /// - [rtnetlink(7)](https://man7.org/linux/man-pages/man7/rtnetlink.7.html)
    pub fn open() -> Result<Self, Errno> {
        Netlink::open(NETLINK_ROUTE).map(|nl| Self { nl })
    }

    /// The netlink socket underneath, for groups and raw requests.
    #[must_use]
    pub const fn netlink(&self) -> &Netlink {
        &self.nl
    }

    /// Sends a request built by `build` (given a builder already holding
    /// the header) and hands each reply message to `reply`.
    fn call(
        &self,
        ty: u16,
        flags: u16,
        buf: &mut [u8],
        build: impl FnOnce(&mut MsgBuilder<'_>) -> Result<(), NlError>,
        reply: impl FnMut(&NlMsg<'_>) -> Result<(), NlError>,
    ) -> Result<(), NlError> {
        let mut tx = [0u8; REQUEST_MAX];
        let mut b = MsgBuilder::new(&mut tx, ty, NLM_F_REQUEST | flags, self.nl.next_seq())?;
        build(&mut b)?;
        self.nl.request(b.finish(), buf, reply)
    }

    /// A change that only needs the ACK.
    fn change(
        &self,
        ty: u16,
        flags: u16,
        buf: &mut [u8],
        build: impl FnOnce(&mut MsgBuilder<'_>) -> Result<(), NlError>,
    ) -> Result<(), NlError> {
        self.call(ty, flags | NLM_F_ACK, buf, build, |_| Ok(()))
    }

    /// Lists every link (`RTM_GETLINK` dump).
    ///
    /// # Errors
    /// As [`Netlink::request`].
    ///
    /// # References
    /// - [rtnetlink(7)](https://man7.org/linux/man-pages/man7/rtnetlink.7.html)
    #[doc(alias = "RTM_GETLINK")]
    pub fn links(&self, buf: &mut [u8], mut f: impl FnMut(&Link<'_>)) -> Result<(), NlError> {
        self.call(
            RTM_GETLINK,
            NLM_F_DUMP,
            buf,
            |b| b.fixed(&IfInfoMsg::default()),
            |msg| {
                f(&Link::parse(msg)?);
                Ok(())
            },
        )
    }

    /// The link named `name` (`RTM_GETLINK` with `IFLA_IFNAME`), handed to
    /// `f`.
    ///
    /// # Errors
    /// [`NlError::Kernel`] with `ENODEV` if there is none; as
    /// [`Netlink::request`].
    pub fn link_by_name(
        &self,
        name: &str,
        buf: &mut [u8],
        mut f: impl FnMut(&Link<'_>),
    ) -> Result<(), NlError> {
        self.call(
            RTM_GETLINK,
            NLM_F_ACK,
            buf,
            |b| {
                b.fixed(&IfInfoMsg::default())?;
                b.attr_str(IFLA_IFNAME, name)
            },
            |msg| {
                f(&Link::parse(msg)?);
                Ok(())
            },
        )
    }

    /// The index of the link named `name` (`if_nametoindex(3)`).
    ///
    /// # Errors
    /// As [`link_by_name`](Self::link_by_name).
    #[doc(alias = "if_nametoindex")]
    pub fn link_index(&self, name: &str, buf: &mut [u8]) -> Result<u32, NlError> {
        let mut index = 0;
        self.link_by_name(name, buf, |link| index = link.index())?;
        if index == 0 {
            return Err(NlError::Malformed("no link in the reply"));
        }
        Ok(index)
    }

    /// Changes link `index` (`RTM_NEWLINK` on an existing link): up/down,
    /// MTU, name, namespace.
    ///
    /// # Errors
    /// As [`Netlink::request`].
    ///
    /// # References
    /// - [rtnetlink(7)](https://man7.org/linux/man-pages/man7/rtnetlink.7.html)
    #[doc(alias = "RTM_SETLINK")]
    pub fn set_link(&self, index: u32, change: &LinkChange<'_>, buf: &mut [u8]) -> Result<(), NlError> {
        let index = i32::try_from(index).map_err(|_| NlError::InvalidInput("interface index beyond i32"))?;
        self.change(RTM_NEWLINK, 0, buf, |b| {
            let mut header = IfInfoMsg {
                ifi_index: index,
                ..IfInfoMsg::default()
            };
            if let Some(up) = change.up {
                header.ifi_change = IFF_UP;
                header.ifi_flags = if up { IFF_UP } else { 0 };
            }
            b.fixed(&header)?;
            if let Some(mtu) = change.mtu {
                b.attr_u32(IFLA_MTU, mtu)?;
            }
            if let Some(name) = change.name {
                b.attr_str(IFLA_IFNAME, name)?;
            }
            if let Some(fd) = change.netns {
                b.attr_u32(IFLA_NET_NS_FD, fd.as_raw_fd() as u32)?;
            }
            Ok(())
        })
    }

    /// Creates a veth pair `name` ↔ `peer` (`ip link add NAME type veth
    /// peer name PEER`).
    ///
    /// # Errors
    /// As [`Netlink::request`] (`EEXIST` if a name is taken).
    ///
    /// # References
    /// - [veth(4)](https://man7.org/linux/man-pages/man4/veth.4.html)
    #[doc(alias = "veth")]
    pub fn add_veth(&self, name: &str, peer: &str, buf: &mut [u8]) -> Result<(), NlError> {
        self.change(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, buf, |b| {
            b.fixed(&IfInfoMsg::default())?;
            b.attr_str(IFLA_IFNAME, name)?;
            b.nest(IFLA_LINKINFO, |b| {
                b.attr_str(IFLA_INFO_KIND, "veth")?;
                b.nest(IFLA_INFO_DATA, |b| {
                    b.nest(VETH_INFO_PEER, |b| {
                        b.fixed(&IfInfoMsg::default())?;
                        b.attr_str(IFLA_IFNAME, peer)
                    })
                })
            })
        })
    }

    /// Deletes link `index` (`RTM_DELLINK`; a veth takes its peer along).
    ///
    /// # Errors
    /// As [`Netlink::request`].
    #[doc(alias = "RTM_DELLINK")]
    pub fn delete_link(&self, index: u32, buf: &mut [u8]) -> Result<(), NlError> {
        let index = i32::try_from(index).map_err(|_| NlError::InvalidInput("interface index beyond i32"))?;
        self.change(RTM_DELLINK, 0, buf, |b| {
            b.fixed(&IfInfoMsg {
                ifi_index: index,
                ..IfInfoMsg::default()
            })
        })
    }

    /// Lists the addresses of `family` (`AF_UNSPEC` for all) (`RTM_GETADDR`
    /// dump).
    ///
    /// # Errors
    /// As [`Netlink::request`].
    #[doc(alias = "RTM_GETADDR")]
    pub fn addresses(
        &self,
        family: Domain,
        buf: &mut [u8],
        mut f: impl FnMut(&Address<'_>),
    ) -> Result<(), NlError> {
        self.call(
            RTM_GETADDR,
            NLM_F_DUMP,
            buf,
            |b| {
                b.fixed(&IfAddrMsg {
                    ifa_family: family_byte(family),
                    ..IfAddrMsg::default()
                })
            },
            |msg| {
                f(&Address::parse(msg)?);
                Ok(())
            },
        )
    }

    fn addr_request(
        &self,
        ty: u16,
        flags: u16,
        index: u32,
        ip: IpAddr,
        prefix_len: u8,
        buf: &mut [u8],
    ) -> Result<(), NlError> {
        self.change(ty, flags, buf, |b| {
            b.fixed(&IfAddrMsg {
                ifa_family: ip_family(ip),
                ifa_prefixlen: prefix_len,
                ifa_flags: 0,
                ifa_scope: 0,
                ifa_index: index,
            })?;
            b.attr_ip(IFA_LOCAL, ip)?;
            b.attr_ip(IFA_ADDRESS, ip)
        })
    }

    /// Adds `ip/prefix_len` to link `index` (`RTM_NEWADDR`, as `ip addr
    /// add`; for IPv4 the broadcast address is not set). The kernel checks
    /// the prefix length.
    ///
    /// # Errors
    /// As [`Netlink::request`] (`EEXIST` if present).
    #[doc(alias = "RTM_NEWADDR")]
    pub fn add_address(&self, index: u32, ip: IpAddr, prefix_len: u8, buf: &mut [u8]) -> Result<(), NlError> {
        self.addr_request(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, index, ip, prefix_len, buf)
    }

    /// Deletes `ip/prefix_len` from link `index` (`RTM_DELADDR`).
    ///
    /// # Errors
    /// As [`Netlink::request`] (`EADDRNOTAVAIL` if absent).
    #[doc(alias = "RTM_DELADDR")]
    pub fn delete_address(
        &self,
        index: u32,
        ip: IpAddr,
        prefix_len: u8,
        buf: &mut [u8],
    ) -> Result<(), NlError> {
        self.addr_request(RTM_DELADDR, 0, index, ip, prefix_len, buf)
    }

    /// Lists the routes of `family` in every table (`RTM_GETROUTE` dump).
    ///
    /// # Errors
    /// As [`Netlink::request`].
    #[doc(alias = "RTM_GETROUTE")]
    pub fn routes(
        &self,
        family: Domain,
        buf: &mut [u8],
        mut f: impl FnMut(&Route<'_>),
    ) -> Result<(), NlError> {
        self.call(
            RTM_GETROUTE,
            NLM_F_DUMP,
            buf,
            |b| {
                b.fixed(&RtMsg {
                    rtm_family: family_byte(family),
                    ..RtMsg::default()
                })
            },
            |msg| {
                f(&Route::parse(msg)?);
                Ok(())
            },
        )
    }

    fn route_request(&self, ty: u16, flags: u16, spec: &RouteSpec, buf: &mut [u8]) -> Result<(), NlError> {
        let deleting = ty == RTM_DELROUTE;
        let scope = if deleting {
            RT_SCOPE_NOWHERE
        } else if spec.kind == RouteType::UNICAST && spec.gateway.is_none() && spec.oif.is_some() {
            RT_SCOPE_LINK
        } else {
            RT_SCOPE_UNIVERSE
        };
        self.change(ty, flags, buf, |b| {
            b.fixed(&RtMsg {
                rtm_family: ip_family(spec.dst),
                rtm_dst_len: spec.prefix_len,
                rtm_src_len: 0,
                rtm_tos: 0,
                rtm_table: if spec.table < 256 {
                    spec.table as u8
                } else {
                    RT_TABLE_UNSPEC
                },
                rtm_protocol: if deleting { 0 } else { RTPROT_BOOT },
                rtm_scope: scope,
                rtm_type: spec.kind.0,
                rtm_flags: 0,
            })?;
            if spec.table >= 256 {
                b.attr_u32(RTA_TABLE, spec.table)?;
            }
            if spec.prefix_len != 0 || !spec.dst.is_unspecified() {
                b.attr_ip(RTA_DST, spec.dst)?;
            }
            if let Some(gateway) = spec.gateway {
                b.attr_ip(RTA_GATEWAY, gateway)?;
            }
            if let Some(oif) = spec.oif {
                b.attr_u32(RTA_OIF, oif)?;
            }
            if let Some(metric) = spec.metric {
                b.attr_u32(RTA_PRIORITY, metric)?;
            }
            Ok(())
        })
    }

    /// Adds a route (`RTM_NEWROUTE`, as `ip route add`: protocol `boot`,
    /// scope `link` for a device route without gateway, else `global`).
    ///
    /// # Errors
    /// As [`Netlink::request`] (`EEXIST` if present).
    #[doc(alias = "RTM_NEWROUTE")]
    pub fn add_route(&self, spec: &RouteSpec, buf: &mut [u8]) -> Result<(), NlError> {
        self.route_request(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, spec, buf)
    }

    /// Deletes a route (`RTM_DELROUTE`, as `ip route del`).
    ///
    /// # Errors
    /// As [`Netlink::request`] (`ESRCH` if there is no such route).
    #[doc(alias = "RTM_DELROUTE")]
    pub fn delete_route(&self, spec: &RouteSpec, buf: &mut [u8]) -> Result<(), NlError> {
        self.route_request(RTM_DELROUTE, 0, spec, buf)
    }

    /// Lists the neighbours of `family` (`RTM_GETNEIGH` dump).
    ///
    /// # Errors
    /// As [`Netlink::request`].
    #[doc(alias = "RTM_GETNEIGH")]
    pub fn neighbours(
        &self,
        family: Domain,
        buf: &mut [u8],
        mut f: impl FnMut(&Neighbour<'_>),
    ) -> Result<(), NlError> {
        self.call(
            RTM_GETNEIGH,
            NLM_F_DUMP,
            buf,
            |b| {
                b.fixed(&NdMsg {
                    ndm_family: family_byte(family),
                    ..NdMsg::default()
                })
            },
            |msg| {
                f(&Neighbour::parse(msg)?);
                Ok(())
            },
        )
    }

    /// Adds a permanent neighbour entry `ip` → `lladdr` on link `index`
    /// (`RTM_NEWNEIGH`, as `ip neigh add … lladdr … nud permanent`).
    ///
    /// # Errors
    /// As [`Netlink::request`].
    #[doc(alias = "RTM_NEWNEIGH")]
    pub fn add_neighbour(
        &self,
        index: u32,
        ip: IpAddr,
        lladdr: &[u8],
        buf: &mut [u8],
    ) -> Result<(), NlError> {
        let index = i32::try_from(index).map_err(|_| NlError::InvalidInput("interface index beyond i32"))?;
        self.change(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_EXCL, buf, |b| {
            b.fixed(&NdMsg {
                ndm_family: ip_family(ip),
                ndm_ifindex: index,
                ndm_state: NUD_PERMANENT,
                ..NdMsg::default()
            })?;
            b.attr_ip(NDA_DST, ip)?;
            b.attr(NDA_LLADDR, lladdr)
        })
    }
}
