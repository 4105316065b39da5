//! `AF_NETLINK`: the kernel's own configuration and inspection interface,
//! as sockets. [`Netlink`] is a netlink socket with checked requests and
//! replies; [`route`] is rtnetlink (links, addresses, routes, neighbours,
//! notifications) and [`diag`] is sock_diag (the kernel's socket tables).
//!
//! Messages are built and read in caller-provided memory ([`MsgBuilder`],
//! [`NlMsg`], [`Attrs`]); nothing allocates. Every reply is matched to its
//! request by sequence number and port id; the kernel's errors come back as
//! its errno with its extended-ACK text ([`KernelError`]); a reply larger
//! than the caller's buffer is reported ([`NlError::Truncated`]) and stays
//! queued, never silently cut.
//!
//! ```no_run
//! use zerosock::netlink::route::Rtnetlink;
//! let rtnl = Rtnetlink::open()?;
//! let mut buf = [0u8; 32 * 1024];
//! rtnl.links(&mut buf, |link| {
//!     println!("{} {:?}", link.index(), link.name());
//! })?;
//! # Ok::<(), zerosock::netlink::NlError>(())
//! ```
//!
//! # References
//! - [netlink(7)](https://man7.org/linux/man-pages/man7/netlink.7.html)

pub mod diag;
pub mod route;
mod wire;

use core::cell::Cell;
use core::fmt;

use rustix::fd::{AsFd, BorrowedFd};

pub use crate::abi::netlink::{NlAttr, NlMsgHdr, SockAddrNl};
pub use wire::{
    Attr, Attrs, Messages, MsgBuilder, NLA_F_NESTED, NLA_F_NET_BYTEORDER, NLA_HDRLEN, NLA_TYPE_MASK,
    NLMSG_HDRLEN, NlMsg, align,
};

use crate::abi::netlink::read_pod;
use crate::addr::SockAddr;
use crate::error::Errno;
use crate::flags::{Domain, MsgFlags, Protocol, Type};
use crate::socket::Socket;

/// Re-exports the kernel's netlink constants with a doc line each.
macro_rules! consts {
    ($ty:ty: $($name:ident),* $(,)?) => {
        $(
            #[doc = concat!("`", stringify!($name), "`.")]
            pub const $name: $ty = linux_raw_sys::netlink::$name as $ty;
        )*
    };
}

consts!(u32: NETLINK_ROUTE, NETLINK_SOCK_DIAG, NETLINK_ADD_MEMBERSHIP, NETLINK_DROP_MEMBERSHIP, NETLINK_EXT_ACK);
consts!(u16: NLM_F_REQUEST, NLM_F_MULTI, NLM_F_ACK, NLM_F_ECHO, NLM_F_DUMP_INTR, NLM_F_ROOT, NLM_F_MATCH,
    NLM_F_DUMP, NLM_F_REPLACE, NLM_F_EXCL, NLM_F_CREATE, NLM_F_APPEND, NLM_F_CAPPED, NLM_F_ACK_TLVS,
    NLMSG_NOOP, NLMSG_ERROR, NLMSG_DONE, NLMSG_OVERRUN);

/// `SOL_NETLINK`: the option level of netlink sockets.
pub const SOL_NETLINK: u32 = linux_raw_sys::net::SOL_NETLINK;
/// `NLMSGERR_ATTR_MSG`: the extended ACK's text.
pub const NLMSGERR_ATTR_MSG: u16 = 1;
/// `NLMSGERR_ATTR_OFFS`: the offset of the offending attribute.
pub const NLMSGERR_ATTR_OFFS: u16 = 2;

/// The longest extended-ACK text kept (the kernel's are shorter).
pub const EXT_ACK_MAX: usize = 96;

/// An error the kernel answered a request with: its errno, and the
/// extended ACK's text and offending offset when it gave them.
///
/// ```
/// use zerosock::Errno;
/// use zerosock::netlink::{decode_error, MsgBuilder, NlError, NlMsg, NLMSG_ERROR, NLM_F_ACK_TLVS, NLM_F_CAPPED, NLMSGERR_ATTR_MSG};
/// // An NLMSG_ERROR as the kernel sends it: -EEXIST, the echoed request
/// // header (capped), then the extended ACK's text.
/// let mut buf = [0u8; 96];
/// let mut b = MsgBuilder::new(&mut buf, NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS, 1)?;
/// b.fixed(&(-17i32))?;
/// b.fixed(&[16u32, 20, 1, 0])?;
/// b.attr_str(NLMSGERR_ATTR_MSG, "ipv4: Address already assigned")?;
/// let (msg, _) = NlMsg::parse(b.finish())?;
/// let Err(NlError::Kernel(err)) = decode_error(&msg) else { panic!() };
/// assert_eq!(err.errno(), Errno::EXIST);
/// assert_eq!(err.message(), Some("ipv4: Address already assigned"));
/// # Ok::<(), NlError>(())
/// ```
///
/// # References
/// - [netlink(7)](https://man7.org/linux/man-pages/man7/netlink.7.html)
#[doc(alias = "nlmsgerr")]
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct KernelError {
    errno: Errno,
    msg: [u8; EXT_ACK_MAX],
    msg_len: u8,
    offset: Option<u32>,
}

impl KernelError {
    /// The kernel's errno.
    #[must_use]
    pub const fn errno(&self) -> Errno {
        self.errno
    }

    /// The extended ACK's text (`NLMSGERR_ATTR_MSG`), if the kernel sent
    /// one (cut at a character boundary beyond [`EXT_ACK_MAX`] bytes).
    #[must_use]
    pub fn message(&self) -> Option<&str> {
        if self.msg_len == 0 {
            return None;
        }
        core::str::from_utf8(&self.msg[..self.msg_len as usize]).ok()
    }

    /// The offset in the request of the attribute the kernel refused
    /// (`NLMSGERR_ATTR_OFFS`), if it said.
    #[must_use]
    pub const fn offset(&self) -> Option<u32> {
        self.offset
    }

    fn new(errno: Errno) -> Self {
        Self {
            errno,
            msg: [0; EXT_ACK_MAX],
            msg_len: 0,
            offset: None,
        }
    }

    fn set_message(&mut self, text: &str) {
        let mut n = text.len().min(EXT_ACK_MAX);
        while !text.is_char_boundary(n) {
            n -= 1;
        }
        self.msg[..n].copy_from_slice(&text.as_bytes()[..n]);
        self.msg_len = n as u8;
    }
}

impl fmt::Debug for KernelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KernelError")
            .field("errno", &self.errno)
            .field("message", &self.message())
            .field("offset", &self.offset)
            .finish()
    }
}

impl fmt::Display for KernelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.message() {
            Some(text) => write!(f, "{} ({text})", self.errno),
            None => write!(f, "{}", self.errno),
        }
    }
}

/// What a netlink call can fail with.
///
/// ```
/// use zerosock::netlink::{NlError, NlMsg};
/// // A header claiming more bytes than there are.
/// let err = NlMsg::parse(&[64, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]).unwrap_err();
/// assert!(matches!(err, NlError::Malformed(_)));
/// assert_eq!(err.errno(), None);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum NlError {
    /// A system call failed; the kernel's errno, unchanged.
    Os(Errno),
    /// The kernel answered the request with an error.
    Kernel(KernelError),
    /// The next datagram is `needed` bytes, more than the buffer given. It
    /// is still queued: call again with a buffer of at least that size.
    Truncated {
        /// The datagram's real length.
        needed: usize,
    },
    /// A dump was interrupted by a change (`NLM_F_DUMP_INTR`): what it
    /// returned may be inconsistent; run it again.
    DumpInterrupted,
    /// Received bytes failed validation; the text says how.
    Malformed(&'static str),
    /// A message did not fit in the buffer it was being built in.
    NoSpace,
    /// The input was rejected before any system call; the text says why.
    InvalidInput(&'static str),
}

impl NlError {
    /// The errno, if the kernel gave one (a failed call or an error reply).
    #[must_use]
    pub const fn errno(&self) -> Option<Errno> {
        match self {
            Self::Os(errno) => Some(*errno),
            Self::Kernel(err) => Some(err.errno),
            _ => None,
        }
    }
}

impl From<Errno> for NlError {
    fn from(errno: Errno) -> Self {
        Self::Os(errno)
    }
}

impl fmt::Display for NlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Os(errno) => write!(f, "{errno}"),
            Self::Kernel(err) => write!(f, "kernel: {err}"),
            Self::Truncated { needed } => write!(f, "the next datagram needs a {needed}-byte buffer"),
            Self::DumpInterrupted => f.write_str("dump interrupted by a concurrent change"),
            Self::Malformed(why) => write!(f, "malformed netlink message: {why}"),
            Self::NoSpace => f.write_str("message does not fit in its buffer"),
            Self::InvalidInput(why) => write!(f, "invalid input: {why}"),
        }
    }
}

impl core::error::Error for NlError {}

#[cfg(feature = "std")]
impl From<NlError> for std::io::Error {
    fn from(err: NlError) -> Self {
        match err.errno() {
            Some(errno) => errno.into(),
            None => std::io::Error::from(std::io::ErrorKind::InvalidData),
        }
    }
}

/// The errno of a negative error code the kernel sent (`-4095..=-1`).
fn errno_of(code: i32) -> Result<Errno, NlError> {
    match code {
        -4095..=-1 => Ok(Errno::from_raw_os_error(-code)),
        _ => Err(NlError::Malformed("error code out of the errno range")),
    }
}

/// Decodes the payload of an `NLMSG_ERROR` message (the whole `nlmsgerr`
/// and, with `NLM_F_ACK_TLVS`, the extended-ACK attributes after the
/// echoed request): `Ok(())` for an ACK, the error otherwise.
///
/// # Errors
/// [`NlError::Kernel`] for an error, [`NlError::Malformed`] if the payload
/// is too short.
pub fn decode_error(msg: &NlMsg<'_>) -> Result<(), NlError> {
    let payload = msg.payload();
    let code: i32 = read_pod(payload).ok_or(NlError::Malformed("error message truncated"))?;
    if code == 0 {
        return Ok(());
    }
    let mut err = KernelError::new(errno_of(code)?);
    if msg.flags() & NLM_F_ACK_TLVS != 0 {
        // The echoed request: its header only if capped, else all of it.
        let echoed: NlMsgHdr =
            read_pod(&payload[4..]).ok_or(NlError::Malformed("error message truncated"))?;
        let echoed_len = if msg.flags() & NLM_F_CAPPED != 0 {
            NLMSG_HDRLEN
        } else {
            echoed.nlmsg_len as usize
        };
        let tlvs = payload.get(4 + align(echoed_len)..).unwrap_or(&[]);
        for attr in Attrs::new(tlvs).map_while(Result::ok) {
            match attr.kind() {
                NLMSGERR_ATTR_MSG => {
                    if let Ok(text) = attr.str() {
                        err.set_message(text);
                    }
                }
                NLMSGERR_ATTR_OFFS => err.offset = attr.u32().ok(),
                _ => {}
            }
        }
    }
    Err(NlError::Kernel(err))
}

/// A netlink socket of one protocol (`NETLINK_ROUTE`, `NETLINK_SOCK_DIAG`,
/// …), bound to a port id the kernel chose, with extended ACKs on.
///
/// [`request`](Self::request) sends a message and hands each reply to a
/// closure, checking sequence numbers and port ids, until the ACK or the
/// end of the dump.
///
/// ```no_run
/// use zerosock::netlink::{MsgBuilder, Netlink, NETLINK_ROUTE, NLM_F_DUMP, NLM_F_REQUEST};
/// use zerosock::netlink::route::{consts::RTM_GETLINK, IfInfoMsg, Link};
/// let nl = Netlink::open(NETLINK_ROUTE)?;
/// let mut tx = [0u8; 64];
/// let mut b = MsgBuilder::new(&mut tx, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, nl.next_seq())?;
/// b.fixed(&IfInfoMsg::default())?;
/// let mut rx = [0u8; 32 * 1024];
/// nl.request(b.finish(), &mut rx, |msg| {
///     println!("{:?}", Link::parse(msg)?.name());
///     Ok(())
/// })?;
/// # Ok::<(), zerosock::netlink::NlError>(())
/// ```
///
/// # References
/// - [netlink(7)](https://man7.org/linux/man-pages/man7/netlink.7.html)
#[derive(Debug)]
pub struct Netlink {
    socket: Socket,
    port: u32,
    seq: Cell<u32>,
}

impl Netlink {
    /// Opens a netlink socket of `protocol` (socket(2) `AF_NETLINK`,
    /// `SOCK_RAW | SOCK_CLOEXEC`), binds it to a kernel-chosen port id and
    /// asks for extended ACKs (`NETLINK_EXT_ACK`, where the kernel has it).
    ///
    /// # References
    /// - [netlink(7)](https://man7.org/linux/man-pages/man7/netlink.7.html)
    #[doc(alias = "AF_NETLINK")]
    pub fn open(protocol: u32) -> Result<Self, Errno> {
        Self::open_with_groups(protocol, 0)
    }

    /// As [`open`](Self::open), bound to the legacy multicast `groups`
    /// mask (`RTMGRP_*`) too.
    ///
    /// # References
    /// - [netlink(7)](https://man7.org/linux/man-pages/man7/netlink.7.html)
    pub fn open_with_groups(protocol: u32, groups: u32) -> Result<Self, Errno> {
        let socket = Socket::new(Domain::NETLINK, Type::RAW, Protocol::from_raw(protocol))?;
        socket.bind(&SockAddrNl::new(0, groups))?;
        let port = SockAddrNl::from_sock_addr(&socket.local_addr()?).map_or(0, |a| a.nl_pid);
        // Older kernels lack extended ACKs; errors then come without text.
        let _ = socket.set_option(SOL_NETLINK, NETLINK_EXT_ACK, &1i32);
        Ok(Self {
            socket,
            port,
            seq: Cell::new(1),
        })
    }

    /// The socket, for options (timeouts, buffer sizes) and polling.
    #[must_use]
    pub const fn socket(&self) -> &Socket {
        &self.socket
    }

    /// The port id the kernel bound this socket to.
    #[must_use]
    pub const fn port_id(&self) -> u32 {
        self.port
    }

    /// A fresh sequence number for the next request.
    pub fn next_seq(&self) -> u32 {
        let seq = self.seq.get();
        self.seq.set(seq.wrapping_add(1).max(1));
        seq
    }

    /// Joins multicast group `group` (`NETLINK_ADD_MEMBERSHIP`; the
    /// `RTNLGRP_*` numbers, not the legacy masks).
    ///
    /// # References
    /// - [netlink(7)](https://man7.org/linux/man-pages/man7/netlink.7.html)
    #[doc(alias = "NETLINK_ADD_MEMBERSHIP")]
    pub fn join_group(&self, group: u32) -> Result<(), Errno> {
        self.socket
            .set_option(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group)
    }

    /// Leaves multicast group `group` (`NETLINK_DROP_MEMBERSHIP`).
    ///
    /// # References
    /// - [netlink(7)](https://man7.org/linux/man-pages/man7/netlink.7.html)
    #[doc(alias = "NETLINK_DROP_MEMBERSHIP")]
    pub fn leave_group(&self, group: u32) -> Result<(), Errno> {
        self.socket
            .set_option(SOL_NETLINK, NETLINK_DROP_MEMBERSHIP, &group)
    }

    /// Sends one message (or several, back to back) to the kernel
    /// (sendto(2) to port 0).
    ///
    /// # References
    /// - [sendto(2)](https://man7.org/linux/man-pages/man2/sendto.2.html)
    pub fn send(&self, msg: &[u8]) -> Result<(), Errno> {
        self.socket.send_to(msg, &SockAddrNl::new(0, 0)).map(drop)
    }

    /// Receives one datagram into `buf` and returns its messages and its
    /// sender's port id (0: the kernel). The datagram's size is learnt
    /// first with `MSG_PEEK | MSG_TRUNC`: if it is larger than `buf`, the
    /// result is [`NlError::Truncated`] and the datagram stays queued. Two
    /// system calls per datagram; `flags` (`MSG_DONTWAIT`) apply to both.
    ///
    /// # References
    /// - [recvfrom(2)](https://man7.org/linux/man-pages/man2/recvfrom.2.html)
    pub fn recv<'b>(&self, buf: &'b mut [u8], flags: MsgFlags) -> Result<(Messages<'b>, u32), NlError> {
        let needed = self
            .socket
            .recv_with_flags(buf, flags | MsgFlags::PEEK | MsgFlags::TRUNC)?;
        if needed > buf.len() {
            return Err(NlError::Truncated { needed });
        }
        let mut from = SockAddr::EMPTY;
        let n = self.socket.recv_from_into(buf, flags, &mut from)?;
        let pid = SockAddrNl::from_sock_addr(&from).map_or(u32::MAX, |a| a.nl_pid);
        Ok((Messages::new(&buf[..n.min(buf.len())]), pid))
    }

    /// Sends `request` (a message built with [`MsgBuilder`] and a sequence
    /// number from [`next_seq`](Self::next_seq)) and hands each reply
    /// message to `reply`, until the end: `NLMSG_DONE` for a dump
    /// (`NLM_F_DUMP`), the ACK or error otherwise (so a non-dump request
    /// must carry `NLM_F_ACK`).
    ///
    /// Loops over datagrams, retrying `EINTR`. Messages of other requests,
    /// other ports or other senders than the kernel are skipped.
    ///
    /// # Errors
    /// [`NlError::Kernel`] for the kernel's error reply; the first error
    /// `reply` returns; [`NlError::Truncated`] if a datagram does not fit in
    /// `buf` (it stays queued: [`replies`](Self::replies) continues).
    pub fn request(
        &self,
        request: &[u8],
        buf: &mut [u8],
        reply: impl FnMut(&NlMsg<'_>) -> Result<(), NlError>,
    ) -> Result<(), NlError> {
        let (msg, _) = NlMsg::parse(request)?;
        let dump = msg.flags() & NLM_F_DUMP == NLM_F_DUMP;
        if !dump && msg.flags() & NLM_F_ACK == 0 {
            return Err(NlError::InvalidInput(
                "a request that is not a dump must ask for an ACK",
            ));
        }
        loop {
            match self.send(request) {
                Err(Errno::INTR) => continue,
                other => other?,
            }
            break;
        }
        self.replies(msg.seq(), dump, buf, reply)
    }

    /// The reply loop of [`request`](Self::request) on its own, for the
    /// replies to request `seq` (a dump if `dump`): to continue after
    /// [`NlError::Truncated`] with a larger buffer.
    ///
    /// # Errors
    /// As [`request`](Self::request).
    pub fn replies(
        &self,
        seq: u32,
        dump: bool,
        buf: &mut [u8],
        mut reply: impl FnMut(&NlMsg<'_>) -> Result<(), NlError>,
    ) -> Result<(), NlError> {
        let mut interrupted = false;
        loop {
            let (messages, from) = match self.recv(buf, MsgFlags::NONE) {
                Err(NlError::Os(Errno::INTR)) => continue,
                other => other?,
            };
            if from != 0 {
                continue;
            }
            for msg in messages {
                let msg = msg?;
                if msg.seq() != seq || msg.pid() != self.port {
                    continue;
                }
                interrupted |= msg.flags() & NLM_F_DUMP_INTR != 0;
                match msg.ty() {
                    NLMSG_ERROR => return decode_error(&msg),
                    // Only a dump ends with NLMSG_DONE.
                    NLMSG_DONE if dump => {
                        // A dump's end carries an int error (0: success)
                        // and, with NLM_F_ACK_TLVS, extended ACK text.
                        if let Some(code) = read_pod::<i32>(msg.payload()) {
                            if code != 0 {
                                let mut err = KernelError::new(Errno::from_raw_os_error(
                                    code.checked_neg().unwrap_or(i32::MAX),
                                ));
                                if let Some(text) = Attrs::new(msg.payload().get(4..).unwrap_or(&[]))
                                    .find(NLMSGERR_ATTR_MSG)
                                    .and_then(|a| a.str().ok())
                                {
                                    err.set_message(text);
                                }
                                return Err(NlError::Kernel(err));
                            }
                        }
                        return if interrupted {
                            Err(NlError::DumpInterrupted)
                        } else {
                            Ok(())
                        };
                    }
                    NLMSG_NOOP => {}
                    NLMSG_OVERRUN => return Err(NlError::Malformed("NLMSG_OVERRUN: data lost")),
                    _ => {
                        // A non-dump request's reply is followed by its ACK.
                        reply(&msg)?;
                    }
                }
            }
        }
    }
}

impl AsFd for Netlink {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.socket.as_fd()
    }
}
