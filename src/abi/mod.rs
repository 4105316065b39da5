//! The bottom layer: every `#[repr(C)]` structure the kernel reads or
//! writes, written out by hand, with compile-time checks of its size,
//! alignment and field offsets, and the [`Pod`] marker for values the kernel
//! may fill byte by byte.
//!
//! Nothing here makes a system call, and nothing here imports from a layer
//! above: only the small value types ([`crate::endian`], [`crate::flags`])
//! are used. The `unsafe` that reinterprets bytes as these structures lives
//! here and in [`crate::sys`], nowhere else. Users reach the public layouts
//! through [`crate::addr`], [`crate::msg`], [`crate::opt`] and
//! [`crate::poll`].

#![allow(unsafe_code)]

pub(crate) mod addr;
pub(crate) mod event;
pub(crate) mod msg;
pub(crate) mod netlink;
pub(crate) mod opt;
pub(crate) mod packet;
pub(crate) mod pod;
pub(crate) mod poll;
pub(crate) mod tcp_info;

pub use addr::{
    In6Addr, InAddr, SUN_PATH_LEN, SaFamily, SockAddrHeader, SockAddrIn, SockAddrIn6, SockAddrStorage,
    SockAddrUn, SockLen,
};
pub use pod::Pod;
pub(crate) use pod::bytes_of;
pub use poll::{Interest, PollFd, Ready};

/// Asserts at compile time that `$ours` has the size and alignment of the
/// kernel's `$theirs` (from linux-raw-sys, for the target being built) and
/// each listed field the same offset, so a layout that drifts from the
/// kernel's on any architecture does not build.
macro_rules! same_layout {
    ($ours:ty, $theirs:ty $(, $field:ident => $cfield:ident)* $(,)?) => {
        const _: () = {
            assert!(core::mem::size_of::<$ours>() == core::mem::size_of::<$theirs>());
            assert!(core::mem::align_of::<$ours>() == core::mem::align_of::<$theirs>());
            $(assert!(core::mem::offset_of!($ours, $field) == core::mem::offset_of!($theirs, $cfield));)*
        };
    };
}

mod checks {
    //! The layouts against the kernel's own definitions.
    use linux_raw_sys::general as g;
    use linux_raw_sys::net as n;

    use super::addr::*;
    use super::msg::*;
    use super::opt::*;

    same_layout!(InAddr, n::in_addr, s_addr => s_addr);
    same_layout!(In6Addr, n::in6_addr);
    same_layout!(SockAddrIn, n::sockaddr_in, sin_family => sin_family, sin_port => sin_port, sin_addr => sin_addr, sin_zero => __pad);
    same_layout!(
        SockAddrIn6,
        n::sockaddr_in6,
        sin6_family => sin6_family,
        sin6_port => sin6_port,
        sin6_flowinfo => sin6_flowinfo,
        sin6_addr => sin6_addr,
        sin6_scope_id => sin6_scope_id,
    );
    same_layout!(SockAddrUn, n::sockaddr_un, sun_family => sun_family, sun_path => sun_path);
    same_layout!(SockAddrStorage, n::__kernel_sockaddr_storage);
    same_layout!(
        MsgHdr,
        n::msghdr,
        msg_name => msg_name,
        msg_namelen => msg_namelen,
        msg_iov => msg_iov,
        msg_iovlen => msg_iovlen,
        msg_control => msg_control,
        msg_controllen => msg_controllen,
        msg_flags => msg_flags,
    );
    same_layout!(MMsgHdr, n::mmsghdr, msg_hdr => msg_hdr, msg_len => msg_len);
    same_layout!(CmsgHdr, n::cmsghdr, cmsg_len => cmsg_len, cmsg_level => cmsg_level, cmsg_type => cmsg_type);
    same_layout!(InPktInfo, n::in_pktinfo, ipi_ifindex => ipi_ifindex, ipi_spec_dst => ipi_spec_dst, ipi_addr => ipi_addr);
    same_layout!(In6PktInfo, n::in6_pktinfo, ipi6_addr => ipi6_addr, ipi6_ifindex => ipi6_ifindex);
    same_layout!(Linger, n::linger, l_onoff => l_onoff, l_linger => l_linger);
    same_layout!(IpMreqn, n::ip_mreqn, imr_multiaddr => imr_multiaddr, imr_address => imr_address, imr_ifindex => imr_ifindex);
    same_layout!(IpMreq, n::ip_mreq, imr_multiaddr => imr_multiaddr, imr_interface => imr_interface);
    same_layout!(Ipv6Mreq, n::ipv6_mreq, ipv6mr_multiaddr => ipv6mr_multiaddr, ipv6mr_interface => ipv6mr_ifindex);
    same_layout!(UCred, n::ucred, pid => pid, uid => uid, gid => gid);
    same_layout!(super::tcp_info::TcpInfo, n::tcp_info);
    same_layout!(super::poll::PollFd<'static>, g::pollfd);
    same_layout!(TimeSpec, g::__kernel_timespec, tv_sec => tv_sec, tv_nsec => tv_nsec);

    mod linux_families {
        //! The netlink and packet layouts against linux-raw-sys's (the sock_diag
        //! ones, which it lacks, are checked in `netlink.rs`).
        use crate::abi::netlink::*;
        use crate::abi::packet::*;
        use linux_raw_sys::if_packet as p;
        use linux_raw_sys::if_tun as t;
        use linux_raw_sys::netlink as l;
        same_layout!(SockAddrNl, l::sockaddr_nl, nl_family => nl_family, nl_pad => nl_pad, nl_pid => nl_pid, nl_groups => nl_groups);
        same_layout!(NlMsgHdr, l::nlmsghdr, nlmsg_len => nlmsg_len, nlmsg_type => nlmsg_type, nlmsg_flags => nlmsg_flags, nlmsg_seq => nlmsg_seq, nlmsg_pid => nlmsg_pid);
        same_layout!(NlAttr, l::nlattr, nla_len => nla_len, nla_type => nla_type);
        same_layout!(IfInfoMsg, l::ifinfomsg, ifi_family => ifi_family, ifi_pad => __ifi_pad, ifi_type => ifi_type, ifi_index => ifi_index, ifi_flags => ifi_flags, ifi_change => ifi_change);
        same_layout!(IfAddrMsg, l::ifaddrmsg, ifa_family => ifa_family, ifa_prefixlen => ifa_prefixlen, ifa_flags => ifa_flags, ifa_scope => ifa_scope, ifa_index => ifa_index);
        same_layout!(RtMsg, l::rtmsg, rtm_family => rtm_family, rtm_dst_len => rtm_dst_len, rtm_src_len => rtm_src_len, rtm_tos => rtm_tos, rtm_table => rtm_table, rtm_protocol => rtm_protocol, rtm_scope => rtm_scope, rtm_type => rtm_type, rtm_flags => rtm_flags);
        same_layout!(NdMsg, l::ndmsg, ndm_family => ndm_family, ndm_ifindex => ndm_ifindex, ndm_state => ndm_state, ndm_flags => ndm_flags, ndm_type => ndm_type);
        same_layout!(SockAddrLl, p::sockaddr_ll, sll_family => sll_family, sll_protocol => sll_protocol, sll_ifindex => sll_ifindex, sll_hatype => sll_hatype, sll_pkttype => sll_pkttype, sll_halen => sll_halen, sll_addr => sll_addr);
        same_layout!(PacketMreq, p::packet_mreq, mr_ifindex => mr_ifindex, mr_type => mr_type, mr_alen => mr_alen, mr_address => mr_address);
        same_layout!(TpacketAuxdata, p::tpacket_auxdata, tp_status => tp_status, tp_len => tp_len, tp_snaplen => tp_snaplen, tp_mac => tp_mac, tp_net => tp_net, tp_vlan_tci => tp_vlan_tci, tp_vlan_tpid => tp_vlan_tpid);
        same_layout!(TpacketStats, p::tpacket_stats, tp_packets => tp_packets, tp_drops => tp_drops);
        same_layout!(SockFilter, t::sock_filter, code => code, jt => jt, jf => jf, k => k);
        same_layout!(SockFprog, t::sock_fprog, len => len, filter => filter);
    }
}
