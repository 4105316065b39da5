//! `IPPROTO_IPV6` options: IPv6 sockets (ipv6(7)).

use core::net::Ipv6Addr;

use crate::error::{Errno, Error};
use crate::opt::{
    IPV6_JOIN_GROUP, IPV6_LEAVE_GROUP, IPV6_MULTICAST_HOPS, IPV6_MULTICAST_IF, IPV6_TCLASS,
    IPV6_UNICAST_HOPS, Ipv6Mreq, SOL_IPV6, checked_int,
};
use crate::socket::Socket;

flag_option! {
    /// Whether each received datagram carries its hop limit as an
    /// `IPV6_HOPLIMIT` control message.
    recv_hoplimit_v6, set_recv_hoplimit_v6: SOL_IPV6, IPV6_RECVHOPLIMIT = "IPV6_RECVHOPLIMIT", "ipv6";

    /// Whether an IPv6 socket is restricted to IPv6 (`IPV6_V6ONLY`); when
    /// off, a socket bound to `::` also accepts IPv4 as `::ffff:a.b.c.d`.
    /// The default is `net.ipv6.bindv6only` (usually off). Set before `bind`.
    only_v6, set_only_v6: SOL_IPV6, IPV6_V6ONLY = "IPV6_V6ONLY", "ipv6";

    /// Whether multicast datagrams this socket sends are looped back to
    /// local listeners (`IPV6_MULTICAST_LOOP`; on by default).
    multicast_loop_v6, set_multicast_loop_v6: SOL_IPV6, IPV6_MULTICAST_LOOP = "IPV6_MULTICAST_LOOP", "ipv6";

    /// Whether each received datagram comes with an `IPV6_PKTINFO` control
    /// message: arrival interface and destination address
    /// (`IPV6_RECVPKTINFO`).
    recv_pktinfo_v6, set_recv_pktinfo_v6: SOL_IPV6, IPV6_RECVPKTINFO = "IPV6_RECVPKTINFO", "ipv6";

    /// Whether each received datagram comes with an `IPV6_TCLASS` control
    /// message holding its traffic class (`IPV6_RECVTCLASS`).
    recv_tclass_v6, set_recv_tclass_v6: SOL_IPV6, IPV6_RECVTCLASS = "IPV6_RECVTCLASS", "ipv6";
}

impl Socket {
    /// The hop limit of unicast packets this socket sends
    /// (`IPV6_UNICAST_HOPS`): the value set, or the route's default (usually
    /// 64) if none was.
    ///
    /// # References
    /// - [ipv6(7)](https://man7.org/linux/man-pages/man7/ipv6.7.html)
    #[doc(alias = "IPV6_UNICAST_HOPS")]
    pub fn unicast_hops_v6(&self) -> Result<i32, Errno> {
        self.get_int(SOL_IPV6, IPV6_UNICAST_HOPS)
    }

    /// Sets `IPV6_UNICAST_HOPS`: 0 to 255, or -1 for the route's default.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] outside -1 to 255.
    ///
    /// # References
    /// - [ipv6(7)](https://man7.org/linux/man-pages/man7/ipv6.7.html)
    #[doc(alias = "IPV6_UNICAST_HOPS")]
    pub fn set_unicast_hops_v6(&self, hops: i32) -> Result<(), Error> {
        let hops = checked_int(hops, -1..=255, "IPV6_UNICAST_HOPS: must be -1 to 255")?;
        Ok(self.set_int(SOL_IPV6, IPV6_UNICAST_HOPS, hops)?)
    }

    /// The hop limit of multicast datagrams this socket sends
    /// (`IPV6_MULTICAST_HOPS`; default 1).
    ///
    /// # References
    /// - [ipv6(7)](https://man7.org/linux/man-pages/man7/ipv6.7.html)
    #[doc(alias = "IPV6_MULTICAST_HOPS")]
    pub fn multicast_hops_v6(&self) -> Result<i32, Errno> {
        self.get_int(SOL_IPV6, IPV6_MULTICAST_HOPS)
    }

    /// Sets `IPV6_MULTICAST_HOPS`: 0 to 255, or -1 for the default (1).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] outside -1 to 255.
    ///
    /// # References
    /// - [ipv6(7)](https://man7.org/linux/man-pages/man7/ipv6.7.html)
    #[doc(alias = "IPV6_MULTICAST_HOPS")]
    pub fn set_multicast_hops_v6(&self, hops: i32) -> Result<(), Error> {
        let hops = checked_int(hops, -1..=255, "IPV6_MULTICAST_HOPS: must be -1 to 255")?;
        Ok(self.set_int(SOL_IPV6, IPV6_MULTICAST_HOPS, hops)?)
    }

    /// The index of the interface multicast datagrams leave by
    /// (`IPV6_MULTICAST_IF`); 0: by route.
    ///
    /// # References
    /// - [ipv6(7)](https://man7.org/linux/man-pages/man7/ipv6.7.html)
    #[doc(alias = "IPV6_MULTICAST_IF")]
    pub fn multicast_if_v6(&self) -> Result<u32, Errno> {
        self.get_option(SOL_IPV6, IPV6_MULTICAST_IF)
    }

    /// Sets `IPV6_MULTICAST_IF` to the interface with index `ifindex` (0: by
    /// route).
    ///
    /// # References
    /// - [ipv6(7)](https://man7.org/linux/man-pages/man7/ipv6.7.html)
    #[doc(alias = "IPV6_MULTICAST_IF")]
    pub fn set_multicast_if_v6(&self, ifindex: u32) -> Result<(), Errno> {
        self.set_option(SOL_IPV6, IPV6_MULTICAST_IF, &ifindex)
    }

    /// Joins multicast `group` on the interface with index `ifindex`
    /// (`IPV6_JOIN_GROUP`; 0: by route).
    ///
    /// # References
    /// - [ipv6(7)](https://man7.org/linux/man-pages/man7/ipv6.7.html)
    #[doc(alias = "IPV6_JOIN_GROUP")]
    #[doc(alias = "IPV6_ADD_MEMBERSHIP")]
    pub fn join_multicast_v6(&self, group: Ipv6Addr, ifindex: u32) -> Result<(), Errno> {
        self.set_option(SOL_IPV6, IPV6_JOIN_GROUP, &Ipv6Mreq::new(group, ifindex))
    }

    /// Leaves multicast `group` on the interface with index `ifindex`
    /// (`IPV6_LEAVE_GROUP`).
    ///
    /// # References
    /// - [ipv6(7)](https://man7.org/linux/man-pages/man7/ipv6.7.html)
    #[doc(alias = "IPV6_LEAVE_GROUP")]
    #[doc(alias = "IPV6_DROP_MEMBERSHIP")]
    pub fn leave_multicast_v6(&self, group: Ipv6Addr, ifindex: u32) -> Result<(), Errno> {
        self.set_option(SOL_IPV6, IPV6_LEAVE_GROUP, &Ipv6Mreq::new(group, ifindex))
    }

    /// The traffic class of packets this socket sends (`IPV6_TCLASS`; default
    /// 0).
    ///
    /// # References
    /// - [ipv6(7)](https://man7.org/linux/man-pages/man7/ipv6.7.html)
    #[doc(alias = "IPV6_TCLASS")]
    pub fn tclass_v6(&self) -> Result<i32, Errno> {
        self.get_int(SOL_IPV6, IPV6_TCLASS)
    }

    /// Sets `IPV6_TCLASS`: 0 to 255, or -1 for the default.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] outside -1 to 255.
    ///
    /// # References
    /// - [ipv6(7)](https://man7.org/linux/man-pages/man7/ipv6.7.html)
    #[doc(alias = "IPV6_TCLASS")]
    pub fn set_tclass_v6(&self, tclass: i32) -> Result<(), Error> {
        let tclass = checked_int(tclass, -1..=255, "IPV6_TCLASS: must be -1 to 255")?;
        Ok(self.set_int(SOL_IPV6, IPV6_TCLASS, tclass)?)
    }
}
