//! `AF_PACKET`: raw link-layer frames on an interface — what DHCP clients,
//! LLDP agents and `tcpdump` use — and [`bpf`], classic BPF filters that
//! the kernel runs on every packet before it is queued, on this or any
//! socket.
//!
//! ```no_run
//! use zerosock::packet::{ETH_P_ALL, PacketSocket};
//! use zerosock::Type;
//! let sniffer = PacketSocket::new(Type::RAW, ETH_P_ALL)?;
//! sniffer.bind(2)?; // interface index 2 only
//! let mut frame = [0u8; 1514];
//! let (n, from) = sniffer.recv_from(&mut frame)?;
//! println!("{n} bytes on interface {}", from.sll_ifindex);
//! # Ok::<(), zerosock::Errno>(())
//! ```
//!
//! # References
//! - [packet(7)](https://man7.org/linux/man-pages/man7/packet.7.html)

pub mod bpf;

use rustix::fd::{AsFd, BorrowedFd};

pub use crate::abi::packet::{PacketMreq, SockAddrLl, SockFilter, TpacketAuxdata, TpacketStats};

use crate::IoSliceMut;
use crate::abi::netlink::read_pod;
use crate::addr::SockAddr;
use crate::error::Errno;
use crate::flags::{Domain, MsgFlags, Protocol, Type};
use crate::msg::{Cmsg, CmsgBuffer, CmsgIter, cmsg_space};
use crate::socket::Socket;
use crate::sys;

/// `SOL_PACKET`: the option level of packet sockets.
pub const SOL_PACKET: u32 = linux_raw_sys::net::SOL_PACKET;
/// `ETH_P_ALL`: every protocol.
pub const ETH_P_ALL: u16 = linux_raw_sys::if_tun::ETH_P_ALL as u16;
/// `ETH_P_IP`: IPv4.
pub const ETH_P_IP: u16 = 0x0800;
/// `ETH_P_ARP`.
pub const ETH_P_ARP: u16 = 0x0806;
/// `ETH_P_IPV6`.
pub const ETH_P_IPV6: u16 = 0x86dd;
/// `PACKET_ADD_MEMBERSHIP`.
pub const PACKET_ADD_MEMBERSHIP: u32 = linux_raw_sys::if_packet::PACKET_ADD_MEMBERSHIP;
/// `PACKET_DROP_MEMBERSHIP`.
pub const PACKET_DROP_MEMBERSHIP: u32 = linux_raw_sys::if_packet::PACKET_DROP_MEMBERSHIP;
/// `PACKET_AUXDATA`.
pub const PACKET_AUXDATA: u32 = linux_raw_sys::if_packet::PACKET_AUXDATA;
/// `PACKET_STATISTICS`.
pub const PACKET_STATISTICS: u32 = linux_raw_sys::if_packet::PACKET_STATISTICS;
/// `PACKET_MR_MULTICAST`.
pub const PACKET_MR_MULTICAST: u16 = 0;
/// `PACKET_MR_PROMISC`.
pub const PACKET_MR_PROMISC: u16 = 1;
/// `PACKET_MR_ALLMULTI`.
pub const PACKET_MR_ALLMULTI: u16 = 2;
/// `PACKET_HOST`: a received frame addressed to this host.
pub const PACKET_HOST: u8 = 0;
/// `PACKET_OUTGOING`: a frame this host sent, looped back to a sniffer.
pub const PACKET_OUTGOING: u8 = 4;

/// A packet socket: `SOCK_RAW` (frames with their link-layer header) or
/// `SOCK_DGRAM` (the header removed, the address in [`SockAddrLl`]).
///
/// ```no_run
/// use zerosock::packet::{PacketSocket, SockAddrLl};
/// use zerosock::Type;
/// // An LLDP frame's payload to the nearest-bridge group address on ifindex 2.
/// let lldp = PacketSocket::new(Type::DGRAM, 0x88cc)?;
/// let to = SockAddrLl::with_hw_addr(2, 0x88cc, &[0x01, 0x80, 0xc2, 0, 0, 0x0e]);
/// lldp.send_to(&[0u8; 46], &to)?;
/// # Ok::<(), zerosock::Errno>(())
/// ```
///
/// # References
/// - [packet(7)](https://man7.org/linux/man-pages/man7/packet.7.html)
#[doc(alias = "AF_PACKET")]
#[derive(Debug)]
pub struct PacketSocket {
    socket: Socket,
    protocol: u16,
}

impl PacketSocket {
    /// Opens a packet socket of `ty` for EtherType `protocol` (host order;
    /// [`ETH_P_ALL`] for every frame, 0 for none until bound). Needs
    /// `CAP_NET_RAW`.
    ///
    /// # References
    /// - [packet(7)](https://man7.org/linux/man-pages/man7/packet.7.html)
    pub fn new(ty: Type, protocol: u16) -> Result<Self, Errno> {
        let socket = Socket::new(Domain::PACKET, ty, Protocol::from_raw(protocol.to_be() as u32))?;
        Ok(Self { socket, protocol })
    }

    /// The socket, for the generic calls and options.
    #[must_use]
    pub const fn socket(&self) -> &Socket {
        &self.socket
    }

    /// Receives only from interface `ifindex` (bind(2) with a
    /// [`SockAddrLl`] of the socket's protocol).
    ///
    /// # References
    /// - [packet(7)](https://man7.org/linux/man-pages/man7/packet.7.html)
    pub fn bind(&self, ifindex: i32) -> Result<(), Errno> {
        self.socket.bind(&SockAddrLl::new(ifindex, self.protocol))
    }

    /// Sends `frame` on a bound socket (on `SOCK_RAW`, the whole frame,
    /// link-layer header included).
    ///
    /// # References
    /// - [packet(7)](https://man7.org/linux/man-pages/man7/packet.7.html)
    pub fn send(&self, frame: &[u8]) -> Result<usize, Errno> {
        self.socket.send(frame)
    }

    /// Sends `frame` out of the interface and (on `SOCK_DGRAM`) to the
    /// hardware address in `to`.
    ///
    /// # References
    /// - [packet(7)](https://man7.org/linux/man-pages/man7/packet.7.html)
    pub fn send_to(&self, frame: &[u8], to: &SockAddrLl) -> Result<usize, Errno> {
        self.socket.send_to(frame, to)
    }

    /// Receives one frame (recv(2)).
    ///
    /// # References
    /// - [packet(7)](https://man7.org/linux/man-pages/man7/packet.7.html)
    pub fn recv(&self, buf: &mut [u8]) -> Result<usize, Errno> {
        self.socket.recv(buf)
    }

    /// Receives one frame and where it came from: interface, protocol,
    /// packet type ([`PACKET_HOST`], [`PACKET_OUTGOING`], …) and sender's
    /// hardware address.
    ///
    /// # References
    /// - [packet(7)](https://man7.org/linux/man-pages/man7/packet.7.html)
    pub fn recv_from(&self, buf: &mut [u8]) -> Result<(usize, SockAddrLl), Errno> {
        self.recv_from_with_flags(buf, MsgFlags::NONE)
    }

    /// [`recv_from`](Self::recv_from) with `flags` (`MSG_DONTWAIT`,
    /// `MSG_TRUNC` for the frame's real length, …).
    ///
    /// # References
    /// - [recvfrom(2)](https://man7.org/linux/man-pages/man2/recvfrom.2.html)
    pub fn recv_from_with_flags(
        &self,
        buf: &mut [u8],
        flags: MsgFlags,
    ) -> Result<(usize, SockAddrLl), Errno> {
        let mut from = SockAddr::EMPTY;
        let n = self.socket.recv_from_into(buf, flags, &mut from)?;
        let from = SockAddrLl::from_sock_addr(&from).unwrap_or(SockAddrLl::new(0, 0));
        Ok((n, from))
    }

    /// Turns `PACKET_AUXDATA` on or off: with it on,
    /// [`recv_with_auxdata`](Self::recv_with_auxdata) returns each frame's
    /// [`TpacketAuxdata`] (its VLAN tag among others).
    ///
    /// # References
    /// - [packet(7)](https://man7.org/linux/man-pages/man7/packet.7.html)
    #[doc(alias = "PACKET_AUXDATA")]
    pub fn set_auxdata(&self, on: bool) -> Result<(), Errno> {
        self.socket.set_option(SOL_PACKET, PACKET_AUXDATA, &i32::from(on))
    }

    /// Receives one frame (recvmsg(2)) with where it came from and its
    /// `PACKET_AUXDATA` control message, if [`set_auxdata`](Self::set_auxdata)
    /// turned it on. A VLAN tag the kernel took off the frame is only here.
    ///
    /// # References
    /// - [packet(7)](https://man7.org/linux/man-pages/man7/packet.7.html)
    /// - [recvmsg(2)](https://man7.org/linux/man-pages/man2/recvmsg.2.html)
    pub fn recv_with_auxdata(
        &self,
        buf: &mut [u8],
        flags: MsgFlags,
    ) -> Result<(usize, SockAddrLl, Option<TpacketAuxdata>), Errno> {
        let mut control = CmsgBuffer::<{ cmsg_space(core::mem::size_of::<TpacketAuxdata>()) }>::new();
        let mut from = SockAddr::EMPTY;
        // Straight to recvmsg(2), not Socket::recv_msg: packet sockets
        // refuse the MSG_CMSG_CLOEXEC that one always adds (EINVAL), and
        // they never carry fds.
        let got = sys::msg::recvmsg(
            self.socket.as_fd(),
            &mut [IoSliceMut::new(buf)],
            &mut control,
            Some(&mut from),
            flags,
            Some,
        )?;
        let aux = CmsgIter::new(&control[..got.control_len]).find_map(|cmsg| match cmsg {
            Ok(Cmsg::Other { level, ty, data })
                if level as u32 == SOL_PACKET && ty as u32 == PACKET_AUXDATA =>
            {
                read_pod::<TpacketAuxdata>(data)
            }
            _ => None,
        });
        let from = SockAddrLl::from_sock_addr(&from).unwrap_or(SockAddrLl::new(0, 0));
        Ok((got.bytes, from, aux))
    }

    /// `PACKET_STATISTICS`: frames that passed the filter and frames
    /// dropped since the last read (reading resets the counts).
    ///
    /// # References
    /// - [packet(7)](https://man7.org/linux/man-pages/man7/packet.7.html)
    #[doc(alias = "PACKET_STATISTICS")]
    pub fn statistics(&self) -> Result<TpacketStats, Errno> {
        self.socket.get_option(SOL_PACKET, PACKET_STATISTICS)
    }

    /// `PACKET_ADD_MEMBERSHIP`: promiscuous mode ([`PACKET_MR_PROMISC`]),
    /// all multicast ([`PACKET_MR_ALLMULTI`]) or one multicast hardware
    /// address ([`PACKET_MR_MULTICAST`] with `address`) on `ifindex`, for as
    /// long as the socket lives.
    ///
    /// # References
    /// - [packet(7)](https://man7.org/linux/man-pages/man7/packet.7.html)
    #[doc(alias = "PACKET_ADD_MEMBERSHIP")]
    pub fn add_membership(&self, ifindex: i32, kind: u16, address: &[u8]) -> Result<(), Errno> {
        self.socket
            .set_option(SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mreq(ifindex, kind, address))
    }

    /// `PACKET_DROP_MEMBERSHIP`: undoes [`add_membership`](Self::add_membership).
    ///
    /// # References
    /// - [packet(7)](https://man7.org/linux/man-pages/man7/packet.7.html)
    #[doc(alias = "PACKET_DROP_MEMBERSHIP")]
    pub fn drop_membership(&self, ifindex: i32, kind: u16, address: &[u8]) -> Result<(), Errno> {
        self.socket
            .set_option(SOL_PACKET, PACKET_DROP_MEMBERSHIP, &mreq(ifindex, kind, address))
    }
}

fn mreq(ifindex: i32, kind: u16, address: &[u8]) -> PacketMreq {
    let n = address.len().min(8);
    let mut mr_address = [0; 8];
    mr_address[..n].copy_from_slice(&address[..n]);
    PacketMreq {
        mr_ifindex: ifindex,
        mr_type: kind,
        mr_alen: n as u16,
        mr_address,
    }
}

impl AsFd for PacketSocket {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.socket.as_fd()
    }
}

impl From<PacketSocket> for Socket {
    fn from(packet: PacketSocket) -> Self {
        packet.socket
    }
}
