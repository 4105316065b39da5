//! rtnetlink's numbers, from linux/rtnetlink.h, linux/if_link.h,
//! linux/if_addr.h, linux/neighbour.h and linux/if.h.

// Message types.
/// `RTM_NEWLINK`.
pub const RTM_NEWLINK: u16 = 16;
/// `RTM_DELLINK`.
pub const RTM_DELLINK: u16 = 17;
/// `RTM_GETLINK`.
pub const RTM_GETLINK: u16 = 18;
/// `RTM_SETLINK`.
pub const RTM_SETLINK: u16 = 19;
/// `RTM_NEWADDR`.
pub const RTM_NEWADDR: u16 = 20;
/// `RTM_DELADDR`.
pub const RTM_DELADDR: u16 = 21;
/// `RTM_GETADDR`.
pub const RTM_GETADDR: u16 = 22;
/// `RTM_NEWROUTE`.
pub const RTM_NEWROUTE: u16 = 24;
/// `RTM_DELROUTE`.
pub const RTM_DELROUTE: u16 = 25;
/// `RTM_GETROUTE`.
pub const RTM_GETROUTE: u16 = 26;
/// `RTM_NEWNEIGH`.
pub const RTM_NEWNEIGH: u16 = 28;
/// `RTM_DELNEIGH`.
pub const RTM_DELNEIGH: u16 = 29;
/// `RTM_GETNEIGH`.
pub const RTM_GETNEIGH: u16 = 30;

// Multicast groups (NETLINK_ADD_MEMBERSHIP numbers).
/// `RTNLGRP_LINK`.
pub const RTNLGRP_LINK: u32 = 1;
/// `RTNLGRP_NEIGH`.
pub const RTNLGRP_NEIGH: u32 = 3;
/// `RTNLGRP_IPV4_IFADDR`.
pub const RTNLGRP_IPV4_IFADDR: u32 = 5;
/// `RTNLGRP_IPV4_ROUTE`.
pub const RTNLGRP_IPV4_ROUTE: u32 = 7;
/// `RTNLGRP_IPV6_IFADDR`.
pub const RTNLGRP_IPV6_IFADDR: u32 = 9;
/// `RTNLGRP_IPV6_ROUTE`.
pub const RTNLGRP_IPV6_ROUTE: u32 = 11;

// Link attributes.
/// `IFLA_ADDRESS`.
pub const IFLA_ADDRESS: u16 = 1;
/// `IFLA_BROADCAST`.
pub const IFLA_BROADCAST: u16 = 2;
/// `IFLA_IFNAME`.
pub const IFLA_IFNAME: u16 = 3;
/// `IFLA_MTU`.
pub const IFLA_MTU: u16 = 4;
/// `IFLA_LINK`.
pub const IFLA_LINK: u16 = 5;
/// `IFLA_QDISC`.
pub const IFLA_QDISC: u16 = 6;
/// `IFLA_MASTER`.
pub const IFLA_MASTER: u16 = 10;
/// `IFLA_TXQLEN`.
pub const IFLA_TXQLEN: u16 = 13;
/// `IFLA_OPERSTATE`.
pub const IFLA_OPERSTATE: u16 = 16;
/// `IFLA_LINKINFO`.
pub const IFLA_LINKINFO: u16 = 18;
/// `IFLA_NET_NS_PID`.
pub const IFLA_NET_NS_PID: u16 = 19;
/// `IFLA_NET_NS_FD`.
pub const IFLA_NET_NS_FD: u16 = 28;
/// `IFLA_PROMISCUITY`.
pub const IFLA_PROMISCUITY: u16 = 30;
/// `IFLA_LINK_NETNSID`.
pub const IFLA_LINK_NETNSID: u16 = 37;
/// `IFLA_INFO_KIND`.
pub const IFLA_INFO_KIND: u16 = 1;
/// `IFLA_INFO_DATA`.
pub const IFLA_INFO_DATA: u16 = 2;
/// `VETH_INFO_PEER`.
pub const VETH_INFO_PEER: u16 = 1;

// Link flags (linux/if.h) and operational states.
/// `IFF_UP`.
pub const IFF_UP: u32 = 0x1;
/// `IFF_BROADCAST`.
pub const IFF_BROADCAST: u32 = 0x2;
/// `IFF_LOOPBACK`.
pub const IFF_LOOPBACK: u32 = 0x8;
/// `IFF_POINTOPOINT`.
pub const IFF_POINTOPOINT: u32 = 0x10;
/// `IFF_RUNNING`.
pub const IFF_RUNNING: u32 = 0x40;
/// `IFF_NOARP`.
pub const IFF_NOARP: u32 = 0x80;
/// `IFF_PROMISC`.
pub const IFF_PROMISC: u32 = 0x100;
/// `IFF_MULTICAST`.
pub const IFF_MULTICAST: u32 = 0x1000;
/// `IFF_LOWER_UP`.
pub const IFF_LOWER_UP: u32 = 0x10000;
/// `IFF_DORMANT`.
pub const IFF_DORMANT: u32 = 0x20000;
/// `IF_OPER_UNKNOWN`.
pub const IF_OPER_UNKNOWN: u8 = 0;
/// `IF_OPER_NOTPRESENT`.
pub const IF_OPER_NOTPRESENT: u8 = 1;
/// `IF_OPER_DOWN`.
pub const IF_OPER_DOWN: u8 = 2;
/// `IF_OPER_LOWERLAYERDOWN`.
pub const IF_OPER_LOWERLAYERDOWN: u8 = 3;
/// `IF_OPER_TESTING`.
pub const IF_OPER_TESTING: u8 = 4;
/// `IF_OPER_DORMANT`.
pub const IF_OPER_DORMANT: u8 = 5;
/// `IF_OPER_UP`.
pub const IF_OPER_UP: u8 = 6;

// Address attributes and flags.
/// `IFA_ADDRESS`.
pub const IFA_ADDRESS: u16 = 1;
/// `IFA_LOCAL`.
pub const IFA_LOCAL: u16 = 2;
/// `IFA_LABEL`.
pub const IFA_LABEL: u16 = 3;
/// `IFA_BROADCAST`.
pub const IFA_BROADCAST: u16 = 4;
/// `IFA_CACHEINFO`.
pub const IFA_CACHEINFO: u16 = 6;
/// `IFA_FLAGS`.
pub const IFA_FLAGS: u16 = 8;
/// `IFA_F_SECONDARY`.
pub const IFA_F_SECONDARY: u32 = 0x01;
/// `IFA_F_NODAD`.
pub const IFA_F_NODAD: u32 = 0x02;
/// `IFA_F_DADFAILED`.
pub const IFA_F_DADFAILED: u32 = 0x08;
/// `IFA_F_DEPRECATED`.
pub const IFA_F_DEPRECATED: u32 = 0x20;
/// `IFA_F_TENTATIVE`.
pub const IFA_F_TENTATIVE: u32 = 0x40;
/// `IFA_F_PERMANENT`.
pub const IFA_F_PERMANENT: u32 = 0x80;

// Route attributes, tables, protocols, scopes.
/// `RTA_DST`.
pub const RTA_DST: u16 = 1;
/// `RTA_SRC`.
pub const RTA_SRC: u16 = 2;
/// `RTA_IIF`.
pub const RTA_IIF: u16 = 3;
/// `RTA_OIF`.
pub const RTA_OIF: u16 = 4;
/// `RTA_GATEWAY`.
pub const RTA_GATEWAY: u16 = 5;
/// `RTA_PRIORITY`.
pub const RTA_PRIORITY: u16 = 6;
/// `RTA_PREFSRC`.
pub const RTA_PREFSRC: u16 = 7;
/// `RTA_TABLE`.
pub const RTA_TABLE: u16 = 15;
/// `RT_TABLE_UNSPEC`.
pub const RT_TABLE_UNSPEC: u8 = 0;
/// `RT_TABLE_MAIN`.
pub const RT_TABLE_MAIN: u8 = 254;
/// `RT_TABLE_LOCAL`.
pub const RT_TABLE_LOCAL: u8 = 255;
/// `RTPROT_KERNEL`.
pub const RTPROT_KERNEL: u8 = 2;
/// `RTPROT_BOOT`.
pub const RTPROT_BOOT: u8 = 3;
/// `RTPROT_STATIC`.
pub const RTPROT_STATIC: u8 = 4;
/// `RT_SCOPE_UNIVERSE`.
pub const RT_SCOPE_UNIVERSE: u8 = 0;
/// `RT_SCOPE_SITE`.
pub const RT_SCOPE_SITE: u8 = 200;
/// `RT_SCOPE_LINK`.
pub const RT_SCOPE_LINK: u8 = 253;
/// `RT_SCOPE_HOST`.
pub const RT_SCOPE_HOST: u8 = 254;
/// `RT_SCOPE_NOWHERE`.
pub const RT_SCOPE_NOWHERE: u8 = 255;

// Neighbour attributes and states.
/// `NDA_DST`.
pub const NDA_DST: u16 = 1;
/// `NDA_LLADDR`.
pub const NDA_LLADDR: u16 = 2;
/// `NUD_INCOMPLETE`.
pub const NUD_INCOMPLETE: u16 = 0x01;
/// `NUD_REACHABLE`.
pub const NUD_REACHABLE: u16 = 0x02;
/// `NUD_STALE`.
pub const NUD_STALE: u16 = 0x04;
/// `NUD_DELAY`.
pub const NUD_DELAY: u16 = 0x08;
/// `NUD_PROBE`.
pub const NUD_PROBE: u16 = 0x10;
/// `NUD_FAILED`.
pub const NUD_FAILED: u16 = 0x20;
/// `NUD_NOARP`.
pub const NUD_NOARP: u16 = 0x40;
/// `NUD_PERMANENT`.
pub const NUD_PERMANENT: u16 = 0x80;
