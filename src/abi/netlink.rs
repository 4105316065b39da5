//! The netlink layouts: `sockaddr_nl`, `nlmsghdr`, `nlattr`, the rtnetlink
//! family headers (`ifinfomsg`, `ifaddrmsg`, `rtmsg`, `ndmsg`) and the
//! sock_diag requests and replies (`inet_diag_req_v2`, `inet_diag_msg`,
//! `unix_diag_req`, `unix_diag_msg`), plus the reading of any [`Pod`]
//! value from unaligned bytes.
//!
//! Checked against linux-raw-sys at compile time where it has them
//! (`src/abi/mod.rs`); the sock_diag layouts, which it lacks, are checked
//! by size and offset here against linux/inet_diag.h and linux/unix_diag.h.

use core::mem::{offset_of, size_of};

use rustix::net::addr::{SocketAddrArg, SocketAddrLen, SocketAddrOpaque};

use super::addr::{SockAddr, SockAddrStorage};
use super::pod::Pod;
use crate::flags::Domain;

/// Reads a `T` from the first `size_of::<T>()` bytes of `bytes`, which need
/// not be aligned; `None` if there are fewer.
#[inline]
pub(crate) fn read_pod<T: Pod>(bytes: &[u8]) -> Option<T> {
    if bytes.len() < size_of::<T>() {
        return None;
    }
    // SAFETY: `bytes` holds at least `size_of::<T>()` initialised bytes;
    // `read_unaligned` needs no alignment; `T: Pod` accepts any bytes.
    Some(unsafe { bytes.as_ptr().cast::<T>().read_unaligned() })
}

/// Reads a `T` from up to `size_of::<T>()` bytes of `bytes`; missing bytes
/// (a kernel whose struct is shorter) stay zero.
#[inline]
pub(crate) fn read_pod_prefix<T: Pod + Default>(bytes: &[u8]) -> T {
    let mut value = T::default();
    let n = bytes.len().min(size_of::<T>());
    // SAFETY: `value` is a live `T` of `size_of::<T>()` bytes and `n` is at
    // most that; `T: Pod` accepts any bytes; the ranges cannot overlap.
    unsafe {
        core::ptr::copy_nonoverlapping(bytes.as_ptr(), (&mut value as *mut T).cast::<u8>(), n);
    }
    value
}

/// `struct sockaddr_nl`: a netlink address — a port id (0 is the kernel)
/// and a bit mask of legacy multicast groups.
///
/// ```
/// use zerosock::netlink::SockAddrNl;
/// let kernel = SockAddrNl::new(0, 0);
/// assert_eq!(kernel.nl_pid, 0);
/// ```
///
/// # References
/// - [netlink(7)](https://man7.org/linux/man-pages/man7/netlink.7.html)
#[doc(alias = "sockaddr_nl")]
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SockAddrNl {
    /// `nl_family`: always `AF_NETLINK`.
    pub nl_family: u16,
    /// `nl_pad`: zero.
    pub nl_pad: u16,
    /// `nl_pid`: the port id; 0 for the kernel, or in `bind` to let the
    /// kernel choose one.
    pub nl_pid: u32,
    /// `nl_groups`: legacy multicast group mask (`RTMGRP_*`).
    pub nl_groups: u32,
}

impl SockAddrNl {
    /// The address of port `pid` with multicast `groups`.
    #[must_use]
    pub const fn new(pid: u32, groups: u32) -> Self {
        Self {
            nl_family: Domain::NETLINK.raw(),
            nl_pad: 0,
            nl_pid: pid,
            nl_groups: groups,
        }
    }

    /// The netlink address in `addr`, if it is one.
    #[must_use]
    pub fn from_sock_addr(addr: &SockAddr) -> Option<Self> {
        if addr.family() != Domain::NETLINK || (addr.len() as usize) < size_of::<Self>() {
            return None;
        }
        Some(storage_read(addr.storage()))
    }
}

/// Copies the first bytes of `storage` out as `T`.
pub(crate) fn storage_read<T: Pod>(storage: &SockAddrStorage) -> T {
    const { assert!(size_of::<T>() <= size_of::<SockAddrStorage>()) };
    // SAFETY: `T` fits in the 128 initialised bytes of the storage, which is
    // aligned for every address layout; `T: Pod` accepts any bytes.
    unsafe { (storage as *const SockAddrStorage).cast::<T>().read() }
}

// SAFETY: `SockAddrNl` is the kernel's `sockaddr_nl`; pointer and size are
// those of `self`, valid for the call.
unsafe impl SocketAddrArg for SockAddrNl {
    #[inline(always)]
    unsafe fn with_sockaddr<R>(&self, f: impl FnOnce(*const SocketAddrOpaque, SocketAddrLen) -> R) -> R {
        f((self as *const Self).cast(), size_of::<Self>() as SocketAddrLen)
    }
}

/// `struct nlmsghdr`: the header of every netlink message.
///
/// # References
/// - [netlink(7)](https://man7.org/linux/man-pages/man7/netlink.7.html)
#[doc(alias = "nlmsghdr")]
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NlMsgHdr {
    /// `nlmsg_len`: the length of the message, header included.
    pub nlmsg_len: u32,
    /// `nlmsg_type`: `NLMSG_*` or the family's message type.
    pub nlmsg_type: u16,
    /// `nlmsg_flags`: `NLM_F_*`.
    pub nlmsg_flags: u16,
    /// `nlmsg_seq`: the sequence number.
    pub nlmsg_seq: u32,
    /// `nlmsg_pid`: the sender's port id.
    pub nlmsg_pid: u32,
}

/// `struct nlattr` (also `struct rtattr`): an attribute's header.
///
/// # References
/// - [netlink(7)](https://man7.org/linux/man-pages/man7/netlink.7.html)
#[doc(alias = "nlattr")]
#[doc(alias = "rtattr")]
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NlAttr {
    /// `nla_len`: the attribute's length, header included, unpadded.
    pub nla_len: u16,
    /// `nla_type`: the type, with `NLA_F_NESTED`/`NLA_F_NET_BYTEORDER`.
    pub nla_type: u16,
}

/// `struct ifinfomsg`: the header of rtnetlink link messages.
///
/// # References
/// - [rtnetlink(7)](https://man7.org/linux/man-pages/man7/rtnetlink.7.html)
#[doc(alias = "ifinfomsg")]
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct IfInfoMsg {
    /// `ifi_family`: `AF_UNSPEC`.
    pub ifi_family: u8,
    /// `__ifi_pad`.
    pub ifi_pad: u8,
    /// `ifi_type`: the device type (`ARPHRD_*`).
    pub ifi_type: u16,
    /// `ifi_index`: the interface index.
    pub ifi_index: i32,
    /// `ifi_flags`: `IFF_*`.
    pub ifi_flags: u32,
    /// `ifi_change`: which flags a request changes.
    pub ifi_change: u32,
}

/// `struct ifaddrmsg`: the header of rtnetlink address messages.
///
/// # References
/// - [rtnetlink(7)](https://man7.org/linux/man-pages/man7/rtnetlink.7.html)
#[doc(alias = "ifaddrmsg")]
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct IfAddrMsg {
    /// `ifa_family`: `AF_INET` or `AF_INET6`.
    pub ifa_family: u8,
    /// `ifa_prefixlen`: the prefix length.
    pub ifa_prefixlen: u8,
    /// `ifa_flags`: `IFA_F_*` (low 8 bits; `IFA_FLAGS` has all).
    pub ifa_flags: u8,
    /// `ifa_scope`: `RT_SCOPE_*`.
    pub ifa_scope: u8,
    /// `ifa_index`: the interface index.
    pub ifa_index: u32,
}

/// `struct rtmsg`: the header of rtnetlink route messages.
///
/// # References
/// - [rtnetlink(7)](https://man7.org/linux/man-pages/man7/rtnetlink.7.html)
#[doc(alias = "rtmsg")]
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RtMsg {
    /// `rtm_family`.
    pub rtm_family: u8,
    /// `rtm_dst_len`: the destination prefix length.
    pub rtm_dst_len: u8,
    /// `rtm_src_len`: the source prefix length.
    pub rtm_src_len: u8,
    /// `rtm_tos`.
    pub rtm_tos: u8,
    /// `rtm_table`: `RT_TABLE_*` (`RTA_TABLE` has all 32 bits).
    pub rtm_table: u8,
    /// `rtm_protocol`: `RTPROT_*`.
    pub rtm_protocol: u8,
    /// `rtm_scope`: `RT_SCOPE_*`.
    pub rtm_scope: u8,
    /// `rtm_type`: `RTN_*`.
    pub rtm_type: u8,
    /// `rtm_flags`: `RTM_F_*`.
    pub rtm_flags: u32,
}

/// `struct ndmsg`: the header of rtnetlink neighbour messages.
///
/// # References
/// - [rtnetlink(7)](https://man7.org/linux/man-pages/man7/rtnetlink.7.html)
#[doc(alias = "ndmsg")]
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NdMsg {
    /// `ndm_family`.
    pub ndm_family: u8,
    /// `ndm_pad1`.
    pub ndm_pad1: u8,
    /// `ndm_pad2`.
    pub ndm_pad2: u16,
    /// `ndm_ifindex`.
    pub ndm_ifindex: i32,
    /// `ndm_state`: `NUD_*`.
    pub ndm_state: u16,
    /// `ndm_flags`: `NTF_*`.
    pub ndm_flags: u8,
    /// `ndm_type`.
    pub ndm_type: u8,
}

/// `struct inet_diag_sockid`: a socket's identity in sock_diag. Ports and
/// addresses are in network byte order, as bytes.
///
/// # References
/// - [sock_diag(7)](https://man7.org/linux/man-pages/man7/sock_diag.7.html)
#[doc(alias = "inet_diag_sockid")]
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InetDiagSockId {
    /// `idiag_sport`: the source port, network order.
    pub idiag_sport: [u8; 2],
    /// `idiag_dport`: the destination port, network order.
    pub idiag_dport: [u8; 2],
    /// `idiag_src`: the source address (IPv4 in the first 4 bytes).
    pub idiag_src: [u8; 16],
    /// `idiag_dst`: the destination address.
    pub idiag_dst: [u8; 16],
    /// `idiag_if`: the interface index the socket is bound to.
    pub idiag_if: u32,
    /// `idiag_cookie`: the socket cookie, two halves.
    pub idiag_cookie: [u32; 2],
}

/// `struct inet_diag_req_v2`: a sock_diag request for IPv4/IPv6 sockets.
///
/// # References
/// - [sock_diag(7)](https://man7.org/linux/man-pages/man7/sock_diag.7.html)
#[doc(alias = "inet_diag_req_v2")]
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InetDiagReqV2 {
    /// `sdiag_family`: `AF_INET` or `AF_INET6`.
    pub sdiag_family: u8,
    /// `sdiag_protocol`: `IPPROTO_TCP`, `IPPROTO_UDP`, …
    pub sdiag_protocol: u8,
    /// `idiag_ext`: the extensions wanted, `1 << (INET_DIAG_* - 1)`.
    pub idiag_ext: u8,
    /// `pad`.
    pub pad: u8,
    /// `idiag_states`: a bit mask of `1 << TCP_*` states.
    pub idiag_states: u32,
    /// `id`: the socket to look up (ignored by dumps).
    pub id: InetDiagSockId,
}

/// `struct inet_diag_msg`: one IPv4/IPv6 socket in a sock_diag reply.
///
/// # References
/// - [sock_diag(7)](https://man7.org/linux/man-pages/man7/sock_diag.7.html)
#[doc(alias = "inet_diag_msg")]
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InetDiagMsg {
    /// `idiag_family`.
    pub idiag_family: u8,
    /// `idiag_state`: `TCP_*`.
    pub idiag_state: u8,
    /// `idiag_timer`.
    pub idiag_timer: u8,
    /// `idiag_retrans`.
    pub idiag_retrans: u8,
    /// `id`.
    pub id: InetDiagSockId,
    /// `idiag_expires`: milliseconds until the timer fires.
    pub idiag_expires: u32,
    /// `idiag_rqueue`: bytes queued to read (a listener's accept queue).
    pub idiag_rqueue: u32,
    /// `idiag_wqueue`: bytes queued to send (a listener's backlog).
    pub idiag_wqueue: u32,
    /// `idiag_uid`: the owner's uid.
    pub idiag_uid: u32,
    /// `idiag_inode`: the socket's inode.
    pub idiag_inode: u32,
}

/// `struct unix_diag_req`: a sock_diag request for Unix sockets.
///
/// # References
/// - [sock_diag(7)](https://man7.org/linux/man-pages/man7/sock_diag.7.html)
#[doc(alias = "unix_diag_req")]
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct UnixDiagReq {
    /// `sdiag_family`: `AF_UNIX`.
    pub sdiag_family: u8,
    /// `sdiag_protocol`: 0.
    pub sdiag_protocol: u8,
    /// `pad`.
    pub pad: u16,
    /// `udiag_states`: a bit mask of `1 << TCP_*` states.
    pub udiag_states: u32,
    /// `udiag_ino`: the inode to look up (ignored by dumps).
    pub udiag_ino: u32,
    /// `udiag_show`: `UDIAG_SHOW_*` attributes wanted.
    pub udiag_show: u32,
    /// `udiag_cookie`.
    pub udiag_cookie: [u32; 2],
}

/// `struct unix_diag_msg`: one Unix socket in a sock_diag reply.
///
/// # References
/// - [sock_diag(7)](https://man7.org/linux/man-pages/man7/sock_diag.7.html)
#[doc(alias = "unix_diag_msg")]
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct UnixDiagMsg {
    /// `udiag_family`: `AF_UNIX`.
    pub udiag_family: u8,
    /// `udiag_type`: `SOCK_STREAM`, `SOCK_DGRAM` or `SOCK_SEQPACKET`.
    pub udiag_type: u8,
    /// `udiag_state`: `TCP_LISTEN`, `TCP_ESTABLISHED` or `TCP_CLOSE`.
    pub udiag_state: u8,
    /// `pad`.
    pub pad: u8,
    /// `udiag_ino`: the socket's inode.
    pub udiag_ino: u32,
    /// `udiag_cookie`.
    pub udiag_cookie: [u32; 2],
}

macro_rules! pod {
    ($($t:ty),*) => {$(
        // SAFETY: repr(C), integers and integer arrays only, with no padding
        // (the offsets checked below leave no gap); every bit pattern valid.
        unsafe impl Pod for $t {}
    )*};
}
pod!(
    SockAddrNl,
    NlMsgHdr,
    NlAttr,
    IfInfoMsg,
    IfAddrMsg,
    RtMsg,
    NdMsg,
    InetDiagSockId,
    InetDiagReqV2,
    InetDiagMsg,
    UnixDiagReq,
    UnixDiagMsg
);

// linux/inet_diag.h and linux/unix_diag.h, which linux-raw-sys lacks: sizes
// and offsets written out from the headers (no padding anywhere).
const _: () = {
    assert!(size_of::<InetDiagSockId>() == 48);
    assert!(offset_of!(InetDiagSockId, idiag_src) == 4);
    assert!(offset_of!(InetDiagSockId, idiag_dst) == 20);
    assert!(offset_of!(InetDiagSockId, idiag_if) == 36);
    assert!(offset_of!(InetDiagSockId, idiag_cookie) == 40);
    assert!(size_of::<InetDiagReqV2>() == 56);
    assert!(offset_of!(InetDiagReqV2, idiag_states) == 4);
    assert!(offset_of!(InetDiagReqV2, id) == 8);
    assert!(size_of::<InetDiagMsg>() == 72);
    assert!(offset_of!(InetDiagMsg, id) == 4);
    assert!(offset_of!(InetDiagMsg, idiag_expires) == 52);
    assert!(offset_of!(InetDiagMsg, idiag_inode) == 68);
    assert!(size_of::<UnixDiagReq>() == 24);
    assert!(offset_of!(UnixDiagReq, udiag_show) == 12);
    assert!(offset_of!(UnixDiagReq, udiag_cookie) == 16);
    assert!(size_of::<UnixDiagMsg>() == 16);
    assert!(offset_of!(UnixDiagMsg, udiag_ino) == 4);
};
