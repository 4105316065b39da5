//! sock_diag (`NETLINK_SOCK_DIAG`): the kernel's socket tables — what `ss`
//! reads. [`SockDiag::inet`] lists TCP/UDP sockets of IPv4 or IPv6 with
//! state filters and `tcp_info`; [`SockDiag::unix`] lists Unix sockets with
//! their names, peers, queues and vfs inodes (which `/proc/net/unix` lacks
//! or can be forged into).
//!
//! ```no_run
//! use zerosock::netlink::diag::{InetQuery, SockDiag};
//! use zerosock::{Domain, Protocol};
//! let diag = SockDiag::open()?;
//! let mut buf = [0u8; 32 * 1024];
//! diag.inet(&InetQuery::new(Domain::INET, Protocol::TCP), &mut buf, |s| {
//!     println!("{:?} {} -> {}", s.tcp_state(), s.local(), s.remote());
//! })?;
//! # Ok::<(), zerosock::netlink::NlError>(())
//! ```
//!
//! # References
//! - [sock_diag(7)](https://man7.org/linux/man-pages/man7/sock_diag.7.html)

use core::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV6};

use crate::abi::netlink::read_pod_prefix;
pub use crate::abi::netlink::{InetDiagMsg, InetDiagReqV2, InetDiagSockId, UnixDiagMsg, UnixDiagReq};
use crate::abi::tcp_info::{TcpInfo, TcpState};
use crate::error::Errno;
use crate::flags::{Domain, Protocol, Type};
use crate::netlink::{
    Attrs, MsgBuilder, NETLINK_SOCK_DIAG, NLM_F_DUMP, NLM_F_REQUEST, Netlink, NlError, NlMsg,
};

/// `SOCK_DIAG_BY_FAMILY`: the request and reply message type.
pub const SOCK_DIAG_BY_FAMILY: u16 = 20;
/// Every state: the `states` mask that filters nothing.
pub const ALL_STATES: u32 = u32::MAX;

/// `INET_DIAG_INFO`: the `tcp_info` attribute.
pub const INET_DIAG_INFO: u16 = 2;
/// `INET_DIAG_CONG`: the congestion-control name.
pub const INET_DIAG_CONG: u16 = 4;

/// `UNIX_DIAG_NAME`: the bound name.
pub const UNIX_DIAG_NAME: u16 = 0;
/// `UNIX_DIAG_VFS`: the inode and device of a pathname socket's file.
pub const UNIX_DIAG_VFS: u16 = 1;
/// `UNIX_DIAG_PEER`: the peer's inode.
pub const UNIX_DIAG_PEER: u16 = 2;
/// `UNIX_DIAG_ICONS`: the inodes of connections waiting to be accepted.
pub const UNIX_DIAG_ICONS: u16 = 3;
/// `UNIX_DIAG_RQLEN`: the queue lengths.
pub const UNIX_DIAG_RQLEN: u16 = 4;
/// `UNIX_DIAG_UID`: the owner's uid.
pub const UNIX_DIAG_UID: u16 = 7;

/// `UDIAG_SHOW_NAME`.
pub const UDIAG_SHOW_NAME: u32 = 0x01;
/// `UDIAG_SHOW_VFS`.
pub const UDIAG_SHOW_VFS: u32 = 0x02;
/// `UDIAG_SHOW_PEER`.
pub const UDIAG_SHOW_PEER: u32 = 0x04;
/// `UDIAG_SHOW_ICONS`.
pub const UDIAG_SHOW_ICONS: u32 = 0x08;
/// `UDIAG_SHOW_RQLEN`.
pub const UDIAG_SHOW_RQLEN: u32 = 0x10;
/// `UDIAG_SHOW_UID`.
pub const UDIAG_SHOW_UID: u32 = 0x40;

/// The bit of `state` in a `states` mask (`1 << TCP_*`).
#[must_use]
pub const fn state_bit(state: TcpState) -> u32 {
    1 << (state as u32)
}

/// What [`SockDiag::inet`] asks for.
///
/// ```
/// use zerosock::netlink::diag::{InetQuery, state_bit};
/// use zerosock::opt::TcpState;
/// use zerosock::{Domain, Protocol};
/// let listeners = InetQuery { states: state_bit(TcpState::Listen), ..InetQuery::new(Domain::INET6, Protocol::TCP) };
/// assert_eq!(listeners.states, 1 << 10);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InetQuery {
    /// `AF_INET` or `AF_INET6`.
    pub family: Domain,
    /// `IPPROTO_TCP`, `IPPROTO_UDP`, …
    pub protocol: Protocol,
    /// A mask of [`state_bit`]s; [`ALL_STATES`] by default.
    pub states: u32,
    /// Ask for `tcp_info` and the congestion-control name (TCP).
    pub tcp_info: bool,
}

impl InetQuery {
    /// All sockets of `family` and `protocol`, without `tcp_info`.
    #[must_use]
    pub const fn new(family: Domain, protocol: Protocol) -> Self {
        Self {
            family,
            protocol,
            states: ALL_STATES,
            tcp_info: false,
        }
    }
}

/// One IPv4/IPv6 socket from [`SockDiag::inet`].
///
/// # References
/// - [sock_diag(7)](https://man7.org/linux/man-pages/man7/sock_diag.7.html)
#[doc(alias = "inet_diag_msg")]
#[derive(Clone, Copy, Debug)]
pub struct InetSocket<'a> {
    msg: InetDiagMsg,
    attrs: Attrs<'a>,
}

fn diag_addr(family: u8, bytes: &[u8; 16], port: [u8; 2]) -> SocketAddr {
    let port = u16::from_be_bytes(port);
    if family as u16 == Domain::INET6.raw() {
        SocketAddr::V6(SocketAddrV6::new(Ipv6Addr::from(*bytes), port, 0, 0))
    } else {
        SocketAddr::new(
            IpAddr::V4(Ipv4Addr::new(bytes[0], bytes[1], bytes[2], bytes[3])),
            port,
        )
    }
}

impl<'a> InetSocket<'a> {
    /// The socket in `msg`.
    ///
    /// # Errors
    /// [`NlError::Malformed`] if `msg` is not a sock_diag reply or is
    /// malformed.
    pub fn parse(msg: &NlMsg<'a>) -> Result<Self, NlError> {
        if msg.ty() != SOCK_DIAG_BY_FAMILY {
            return Err(NlError::Malformed("not a sock_diag message"));
        }
        let (msg, attrs) = msg.split::<InetDiagMsg>()?;
        Ok(Self { msg, attrs })
    }

    /// The `inet_diag_msg` itself.
    #[must_use]
    pub const fn raw(&self) -> &InetDiagMsg {
        &self.msg
    }

    /// The kernel's state number (`TCP_*`; UDP uses `TCP_ESTABLISHED` for
    /// connected and `TCP_CLOSE` for unconnected sockets).
    #[must_use]
    pub const fn state(&self) -> u8 {
        self.msg.idiag_state
    }

    /// The state as a [`TcpState`].
    #[must_use]
    pub const fn tcp_state(&self) -> Option<TcpState> {
        TcpState::from_raw(self.msg.idiag_state)
    }

    /// The local address.
    #[must_use]
    pub fn local(&self) -> SocketAddr {
        diag_addr(
            self.msg.idiag_family,
            &self.msg.id.idiag_src,
            self.msg.id.idiag_sport,
        )
    }

    /// The remote address (unspecified, port 0, if none).
    #[must_use]
    pub fn remote(&self) -> SocketAddr {
        diag_addr(
            self.msg.idiag_family,
            &self.msg.id.idiag_dst,
            self.msg.id.idiag_dport,
        )
    }

    /// The interface the socket is bound to (0: none).
    #[must_use]
    pub const fn interface(&self) -> u32 {
        self.msg.id.idiag_if
    }

    /// The socket cookie (`SO_COOKIE`).
    #[must_use]
    pub const fn cookie(&self) -> u64 {
        self.msg.id.idiag_cookie[0] as u64 | (self.msg.id.idiag_cookie[1] as u64) << 32
    }

    /// Bytes queued to read (a listener: connections waiting in accept).
    #[must_use]
    pub const fn recv_queue(&self) -> u32 {
        self.msg.idiag_rqueue
    }

    /// Bytes queued to send (a listener: its backlog).
    #[must_use]
    pub const fn send_queue(&self) -> u32 {
        self.msg.idiag_wqueue
    }

    /// The owner's uid.
    #[must_use]
    pub const fn uid(&self) -> u32 {
        self.msg.idiag_uid
    }

    /// The socket's inode (0 for a socket no process holds).
    #[must_use]
    pub const fn inode(&self) -> u32 {
        self.msg.idiag_inode
    }

    /// `tcp_info`, if asked for ([`InetQuery::tcp_info`]) and sent; fields
    /// a kernel does not have stay zero.
    #[must_use]
    pub fn tcp_info(&self) -> Option<TcpInfo> {
        self.attrs
            .find(INET_DIAG_INFO)
            .map(|a| read_pod_prefix::<TcpInfo>(a.payload()))
    }

    /// The congestion-control algorithm, if asked for and sent.
    #[must_use]
    pub fn congestion(&self) -> Option<&'a str> {
        self.attrs.find(INET_DIAG_CONG).and_then(|a| a.str().ok())
    }

    /// All attributes (already checked).
    #[must_use]
    pub const fn attrs(&self) -> Attrs<'a> {
        self.attrs
    }
}

/// What [`SockDiag::unix`] asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnixQuery {
    /// A mask of [`state_bit`]s; [`ALL_STATES`] by default.
    pub states: u32,
    /// `UDIAG_SHOW_*`; all of name, vfs, peer, icons, queues, uid by default.
    pub show: u32,
}

impl Default for UnixQuery {
    fn default() -> Self {
        Self {
            states: ALL_STATES,
            show: UDIAG_SHOW_NAME
                | UDIAG_SHOW_VFS
                | UDIAG_SHOW_PEER
                | UDIAG_SHOW_ICONS
                | UDIAG_SHOW_RQLEN
                | UDIAG_SHOW_UID,
        }
    }
}

/// One Unix socket from [`SockDiag::unix`].
///
/// # References
/// - [sock_diag(7)](https://man7.org/linux/man-pages/man7/sock_diag.7.html)
#[doc(alias = "unix_diag_msg")]
#[derive(Clone, Copy, Debug)]
pub struct UnixSocket<'a> {
    msg: UnixDiagMsg,
    attrs: Attrs<'a>,
}

impl<'a> UnixSocket<'a> {
    /// The socket in `msg`.
    ///
    /// # Errors
    /// [`NlError::Malformed`] if `msg` is not a sock_diag reply or is
    /// malformed.
    pub fn parse(msg: &NlMsg<'a>) -> Result<Self, NlError> {
        if msg.ty() != SOCK_DIAG_BY_FAMILY {
            return Err(NlError::Malformed("not a sock_diag message"));
        }
        let (msg, attrs) = msg.split::<UnixDiagMsg>()?;
        Ok(Self { msg, attrs })
    }

    /// The socket type.
    #[must_use]
    pub const fn ty(&self) -> Type {
        Type::from_raw(self.msg.udiag_type as u32)
    }

    /// The state: `TCP_LISTEN` (10), `TCP_ESTABLISHED` (1) or `TCP_CLOSE` (7).
    #[must_use]
    pub const fn state(&self) -> u8 {
        self.msg.udiag_state
    }

    /// The socket's inode.
    #[must_use]
    pub const fn inode(&self) -> u32 {
        self.msg.udiag_ino
    }

    /// The socket cookie.
    #[must_use]
    pub const fn cookie(&self) -> u64 {
        self.msg.udiag_cookie[0] as u64 | (self.msg.udiag_cookie[1] as u64) << 32
    }

    /// The bound name: a path (without the NUL the kernel stores after
    /// it), or an abstract name starting with a NUL byte, as it is; `None`
    /// if unnamed (or not asked for).
    #[must_use]
    pub fn name(&self) -> Option<&'a [u8]> {
        let name = self.attrs.find(UNIX_DIAG_NAME)?.payload();
        match name {
            [first, .., 0] if *first != 0 => Some(&name[..name.len() - 1]),
            _ => Some(name),
        }
    }

    /// The peer's inode, if connected.
    #[must_use]
    pub fn peer(&self) -> Option<u32> {
        self.attrs.find(UNIX_DIAG_PEER).and_then(|a| a.u32().ok())
    }

    /// (read queue, write queue): for a listener the pending connections
    /// and the backlog, else bytes queued to read and written unread.
    #[must_use]
    pub fn queues(&self) -> Option<(u32, u32)> {
        let p = self.attrs.find(UNIX_DIAG_RQLEN)?.payload();
        let r = u32::from_ne_bytes(p.get(..4)?.try_into().ok()?);
        let w = u32::from_ne_bytes(p.get(4..8)?.try_into().ok()?);
        Some((r, w))
    }

    /// (inode, device) of a pathname socket's file; the device in the
    /// kernel's internal encoding, `major << 20 | minor`.
    #[must_use]
    pub fn vfs(&self) -> Option<(u32, u32)> {
        let p = self.attrs.find(UNIX_DIAG_VFS)?.payload();
        let ino = u32::from_ne_bytes(p.get(..4)?.try_into().ok()?);
        let dev = u32::from_ne_bytes(p.get(4..8)?.try_into().ok()?);
        Some((ino, dev))
    }

    /// The inodes of connections waiting to be accepted (a listener).
    pub fn pending(&self) -> impl Iterator<Item = u32> + 'a {
        self.attrs
            .find(UNIX_DIAG_ICONS)
            .map_or(&[][..], |a| a.payload())
            .chunks_exact(4)
            .map(|c| u32::from_ne_bytes([c[0], c[1], c[2], c[3]]))
    }

    /// The owner's uid.
    #[must_use]
    pub fn uid(&self) -> Option<u32> {
        self.attrs.find(UNIX_DIAG_UID).and_then(|a| a.u32().ok())
    }
}

/// A sock_diag socket.
///
/// ```no_run
/// use zerosock::netlink::diag::{SockDiag, UnixQuery};
/// let diag = SockDiag::open()?;
/// let mut buf = [0u8; 32 * 1024];
/// diag.unix(&UnixQuery::default(), &mut buf, |s| println!("{} peer {:?}", s.inode(), s.peer()))?;
/// # Ok::<(), zerosock::netlink::NlError>(())
/// ```
///
/// # References
/// - [sock_diag(7)](https://man7.org/linux/man-pages/man7/sock_diag.7.html)
#[doc(alias = "NETLINK_SOCK_DIAG")]
#[derive(Debug)]
pub struct SockDiag {
    nl: Netlink,
}

impl SockDiag {
    /// Opens a sock_diag socket (in the calling thread's network namespace).
    ///
    /// # References
    /// - [sock_diag(7)](https://man7.org/linux/man-pages/man7/sock_diag.7.html)
    pub fn open() -> Result<Self, Errno> {
        Netlink::open(NETLINK_SOCK_DIAG).map(|nl| Self { nl })
    }

    /// The netlink socket underneath.
    #[must_use]
    pub const fn netlink(&self) -> &Netlink {
        &self.nl
    }

    fn dump(
        &self,
        fixed: &impl crate::abi::Pod,
        buf: &mut [u8],
        reply: impl FnMut(&NlMsg<'_>) -> Result<(), NlError>,
    ) -> Result<(), NlError> {
        let mut tx = [0u8; 128];
        let mut b = MsgBuilder::new(
            &mut tx,
            SOCK_DIAG_BY_FAMILY,
            NLM_F_REQUEST | NLM_F_DUMP,
            self.nl.next_seq(),
        )?;
        b.fixed(fixed)?;
        self.nl.request(b.finish(), buf, reply)
    }

    /// Lists the sockets `query` describes (an `inet_diag_req_v2` dump).
    ///
    /// # Errors
    /// As [`Netlink::request`]; [`NlError::InvalidInput`] for a family
    /// other than `AF_INET`/`AF_INET6`.
    ///
    /// # References
    /// - [sock_diag(7)](https://man7.org/linux/man-pages/man7/sock_diag.7.html)
    #[doc(alias = "inet_diag_req_v2")]
    pub fn inet(
        &self,
        query: &InetQuery,
        buf: &mut [u8],
        mut f: impl FnMut(&InetSocket<'_>),
    ) -> Result<(), NlError> {
        if query.family != Domain::INET && query.family != Domain::INET6 {
            return Err(NlError::InvalidInput("inet_diag needs AF_INET or AF_INET6"));
        }
        let req = InetDiagReqV2 {
            sdiag_family: query.family.raw() as u8,
            sdiag_protocol: query.protocol.raw() as u8,
            idiag_ext: if query.tcp_info {
                (1 << (INET_DIAG_INFO - 1)) | (1 << (INET_DIAG_CONG - 1))
            } else {
                0
            },
            pad: 0,
            idiag_states: query.states,
            id: InetDiagSockId::default(),
        };
        self.dump(&req, buf, |msg| {
            f(&InetSocket::parse(msg)?);
            Ok(())
        })
    }

    /// Lists the Unix sockets `query` describes (a `unix_diag_req` dump).
    ///
    /// # Errors
    /// As [`Netlink::request`].
    ///
    /// # References
    /// - [sock_diag(7)](https://man7.org/linux/man-pages/man7/sock_diag.7.html)
    #[doc(alias = "unix_diag_req")]
    pub fn unix(
        &self,
        query: &UnixQuery,
        buf: &mut [u8],
        mut f: impl FnMut(&UnixSocket<'_>),
    ) -> Result<(), NlError> {
        let req = UnixDiagReq {
            sdiag_family: Domain::UNIX.raw() as u8,
            sdiag_protocol: 0,
            pad: 0,
            udiag_states: query.states,
            udiag_ino: 0,
            udiag_show: query.show,
            udiag_cookie: [u32::MAX; 2],
        };
        self.dump(&req, buf, |msg| {
            f(&UnixSocket::parse(msg)?);
            Ok(())
        })
    }
}
