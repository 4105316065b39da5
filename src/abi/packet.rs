//! The packet-socket and classic BPF layouts: `sockaddr_ll`,
//! `packet_mreq`, `tpacket_stats`, `sock_filter`, and the `sock_fprog`
//! that points at a program (built only inside [`crate::sys`]).

use core::mem::size_of;

use rustix::net::addr::{SocketAddrArg, SocketAddrLen, SocketAddrOpaque};

use super::addr::SockAddr;
use super::pod::Pod;
use crate::endian::Be16;
use crate::flags::Domain;

/// `struct sockaddr_ll`: a link-layer address — the interface, the
/// protocol (an EtherType, network order) and the hardware address.
///
/// ```
/// use zerosock::packet::SockAddrLl;
/// let on_if2 = SockAddrLl::new(2, 0x0800);
/// assert_eq!(on_if2.sll_protocol.to_host(), 0x0800);
/// ```
///
/// # References
/// - [packet(7)](https://man7.org/linux/man-pages/man7/packet.7.html)
#[doc(alias = "sockaddr_ll")]
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SockAddrLl {
    /// `sll_family`: always `AF_PACKET`.
    pub sll_family: u16,
    /// `sll_protocol`: the EtherType, network order.
    pub sll_protocol: Be16,
    /// `sll_ifindex`: the interface index (0: any, in bind).
    pub sll_ifindex: i32,
    /// `sll_hatype`: `ARPHRD_*` (received only).
    pub sll_hatype: u16,
    /// `sll_pkttype`: `PACKET_HOST`, `PACKET_BROADCAST`, … (received only).
    pub sll_pkttype: u8,
    /// `sll_halen`: the length of `sll_addr` in use.
    pub sll_halen: u8,
    /// `sll_addr`: the hardware address.
    pub sll_addr: [u8; 8],
}

impl SockAddrLl {
    /// The address of interface `ifindex` for EtherType `protocol` (host
    /// order), with no hardware address.
    #[must_use]
    pub const fn new(ifindex: i32, protocol: u16) -> Self {
        Self {
            sll_family: Domain::PACKET.raw(),
            sll_protocol: Be16::from_host(protocol),
            sll_ifindex: ifindex,
            sll_hatype: 0,
            sll_pkttype: 0,
            sll_halen: 0,
            sll_addr: [0; 8],
        }
    }

    /// As [`new`](Self::new), with a destination hardware address (at most
    /// 8 bytes are kept).
    #[must_use]
    pub fn with_hw_addr(ifindex: i32, protocol: u16, hw: &[u8]) -> Self {
        let mut addr = Self::new(ifindex, protocol);
        let n = hw.len().min(8);
        addr.sll_addr[..n].copy_from_slice(&hw[..n]);
        addr.sll_halen = n as u8;
        addr
    }

    /// The link-layer address in `addr`, if it is one.
    #[must_use]
    pub fn from_sock_addr(addr: &SockAddr) -> Option<Self> {
        // The kernel may report a shorter length (the hardware address
        // trimmed), but never shorter than the fixed part.
        if addr.family() != Domain::PACKET || (addr.len() as usize) < 12 {
            return None;
        }
        Some(super::netlink::storage_read(addr.storage()))
    }
}

// SAFETY: `SockAddrLl` is the kernel's `sockaddr_ll`; pointer and size are
// those of `self`, valid for the call.
unsafe impl SocketAddrArg for SockAddrLl {
    #[inline(always)]
    unsafe fn with_sockaddr<R>(&self, f: impl FnOnce(*const SocketAddrOpaque, SocketAddrLen) -> R) -> R {
        f((self as *const Self).cast(), size_of::<Self>() as SocketAddrLen)
    }
}

/// `struct packet_mreq`: a membership (`PACKET_MR_PROMISC`,
/// `PACKET_MR_MULTICAST`, …) for `PACKET_ADD_MEMBERSHIP`.
///
/// ```
/// use zerosock::packet::{PacketMreq, PACKET_MR_PROMISC};
/// let promisc = PacketMreq { mr_ifindex: 2, mr_type: PACKET_MR_PROMISC, ..PacketMreq::default() };
/// assert_eq!(promisc.mr_alen, 0);
/// ```
///
/// # References
/// - [packet(7)](https://man7.org/linux/man-pages/man7/packet.7.html)
#[doc(alias = "packet_mreq")]
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PacketMreq {
    /// `mr_ifindex`.
    pub mr_ifindex: i32,
    /// `mr_type`: `PACKET_MR_*`.
    pub mr_type: u16,
    /// `mr_alen`: the length of `mr_address` in use.
    pub mr_alen: u16,
    /// `mr_address`.
    pub mr_address: [u8; 8],
}

/// `struct tpacket_stats`: `PACKET_STATISTICS`, the counts since the last
/// read (reading resets them).
///
/// ```
/// let none = zerosock::packet::TpacketStats::default();
/// assert_eq!((none.tp_packets, none.tp_drops), (0, 0));
/// ```
///
/// # References
/// - [packet(7)](https://man7.org/linux/man-pages/man7/packet.7.html)
#[doc(alias = "tpacket_stats")]
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TpacketStats {
    /// `tp_packets`: packets that passed the filter (drops included).
    pub tp_packets: u32,
    /// `tp_drops`: packets dropped for want of buffer space.
    pub tp_drops: u32,
}

/// `struct tpacket_auxdata`: the `PACKET_AUXDATA` control message — the
/// frame's real length, its status (`TP_STATUS_VLAN_VALID`, …) and the VLAN
/// tag the kernel took off it.
///
/// ```
/// let aux = zerosock::packet::TpacketAuxdata::default();
/// assert_eq!(aux.vlan(), None);
/// ```
///
/// # References
/// - [packet(7)](https://man7.org/linux/man-pages/man7/packet.7.html)
#[doc(alias = "tpacket_auxdata")]
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TpacketAuxdata {
    /// `tp_status`: `TP_STATUS_*`.
    pub tp_status: u32,
    /// `tp_len`: the frame's length on the wire.
    pub tp_len: u32,
    /// `tp_snaplen`: how much of it was captured.
    pub tp_snaplen: u32,
    /// `tp_mac`: the offset of the link-layer header.
    pub tp_mac: u16,
    /// `tp_net`: the offset of the network header.
    pub tp_net: u16,
    /// `tp_vlan_tci`: the VLAN tag control information.
    pub tp_vlan_tci: u16,
    /// `tp_vlan_tpid`: the VLAN tag protocol (0x8100, 0x88a8).
    pub tp_vlan_tpid: u16,
}

impl TpacketAuxdata {
    /// `TP_STATUS_VLAN_VALID`: `tp_vlan_tci` holds a tag.
    pub const TP_STATUS_VLAN_VALID: u32 = 1 << 4;
    /// `TP_STATUS_VLAN_TPID_VALID`: `tp_vlan_tpid` holds the tag's protocol.
    pub const TP_STATUS_VLAN_TPID_VALID: u32 = 1 << 6;

    /// The VLAN tag (TCI) the frame carried, if any: priority in the top 3
    /// bits, VLAN id in the low 12.
    #[must_use]
    pub const fn vlan(&self) -> Option<u16> {
        if self.tp_status & Self::TP_STATUS_VLAN_VALID != 0 {
            Some(self.tp_vlan_tci)
        } else {
            None
        }
    }
}

/// `struct sock_filter`: one classic BPF instruction.
///
/// ```
/// use zerosock::packet::SockFilter;
/// // `ret #0xffff`, as tcpdump -dd writes it: { 0x06, 0, 0, 0x0000ffff }.
/// assert_eq!(SockFilter::ret(0xffff), SockFilter { code: 0x06, jt: 0, jf: 0, k: 0xffff });
/// ```
///
/// # References
/// - [Linux socket filtering](https://www.kernel.org/doc/html/latest/networking/filter.html)
#[doc(alias = "sock_filter")]
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct SockFilter {
    /// `code`: class, size, mode, operation and source bits.
    pub code: u16,
    /// `jt`: jump offset if true.
    pub jt: u8,
    /// `jf`: jump offset if false.
    pub jf: u8,
    /// `k`: the generic operand.
    pub k: u32,
}

/// The padding between `sock_fprog`'s `u16` and its pointer: 6 bytes on
/// 64-bit targets, 2 on 32-bit ones.
pub(crate) const FPROG_PAD: usize = core::mem::align_of::<*const SockFilter>() - 2;

/// `struct sock_fprog`: a program's length and a pointer to it. Built only
/// for the duration of one setsockopt(2).
#[repr(C)]
pub(crate) struct SockFprog {
    pub(crate) len: u16,
    /// The C struct's implicit padding, made explicit so every byte the
    /// kernel reads is initialised.
    pub(crate) pad: [u8; FPROG_PAD],
    pub(crate) filter: *const SockFilter,
}

macro_rules! pod {
    ($($t:ty),*) => {$(
        // SAFETY: repr(C), integers only, no padding (checked against the
        // kernel's layout in src/abi/mod.rs); every bit pattern valid.
        unsafe impl Pod for $t {}
    )*};
}
pod!(SockAddrLl, PacketMreq, TpacketStats, TpacketAuxdata, SockFilter);
