//! The kernel's message headers written out by hand — `msghdr`, `cmsghdr`,
//! `mmsghdr` — and the `CMSG_*` size arithmetic as `const fn`s, so a control
//! buffer can be sized at compile time — and the payloads of the control
//! messages (`in_pktinfo`, `in6_pktinfo`, `timespec`; `ucred` and `timeval`
//! are [`crate::opt`]'s), read from and written to bytes field by field, so
//! no alignment is assumed.

use core::ffi::c_void;
use core::mem::size_of;
use core::net::{Ipv4Addr, Ipv6Addr};
use core::ptr;
use core::time::Duration;

use crate::addr::{In6Addr, InAddr};
use crate::opt::{TimeVal, UCred};

/// `struct msghdr`: the argument of sendmsg(2) and recvmsg(2).
///
/// ```
/// use zerosock::msg::MsgHdr;
/// // 56 bytes on 64-bit targets, 28 on 32-bit ones
/// assert_eq!(core::mem::size_of::<MsgHdr>(), 7 * core::mem::size_of::<usize>());
/// let empty = MsgHdr::EMPTY;
/// assert_eq!(empty.msg_iovlen, 0);
/// ```
///
/// # References
/// - [recvmsg(2)](https://man7.org/linux/man-pages/man2/recvmsg.2.html)
/// - [sendmsg(2)](https://man7.org/linux/man-pages/man2/sendmsg.2.html)
#[doc(alias = "msghdr")]
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct MsgHdr {
    /// `msg_name`: the peer address (optional).
    pub msg_name: *mut c_void,
    /// `msg_namelen`: its size; in/out for recvmsg.
    pub msg_namelen: u32,
    /// `msg_iov`: the data buffers (`struct iovec`).
    pub msg_iov: *mut c_void,
    /// `msg_iovlen`: how many buffers.
    pub msg_iovlen: usize,
    /// `msg_control`: the control-message buffer.
    pub msg_control: *mut c_void,
    /// `msg_controllen`: its size; in/out for recvmsg.
    pub msg_controllen: usize,
    /// `msg_flags`: flags on the received message (`MSG_TRUNC`, `MSG_CTRUNC`, …).
    pub msg_flags: u32,
}

impl MsgHdr {
    /// A header with no name, no data and no control buffer.
    pub const EMPTY: Self = Self {
        msg_name: ptr::null_mut(),
        msg_namelen: 0,
        msg_iov: ptr::null_mut(),
        msg_iovlen: 0,
        msg_control: ptr::null_mut(),
        msg_controllen: 0,
        msg_flags: 0,
    };
}

/// `struct cmsghdr`: the header of one control message.
///
/// ```
/// use zerosock::msg::CmsgHdr;
/// // 16 bytes on 64-bit targets, 12 on 32-bit ones (`cmsg_len` is a `size_t`)
/// assert_eq!(core::mem::size_of::<CmsgHdr>(), core::mem::size_of::<usize>() + 8);
/// ```
///
/// # References
/// - [cmsg(3)](https://man7.org/linux/man-pages/man3/cmsg.3.html)
#[doc(alias = "cmsghdr")]
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CmsgHdr {
    /// `cmsg_len`: header plus data, without trailing padding (`CMSG_LEN`).
    pub cmsg_len: usize,
    /// `cmsg_level`: the originating protocol (`SOL_SOCKET`, `IPPROTO_IP`, …).
    pub cmsg_level: i32,
    /// `cmsg_type`: the protocol-specific type (`SCM_RIGHTS`, …).
    pub cmsg_type: i32,
}

/// `struct mmsghdr`: one message of sendmmsg(2)/recvmmsg(2).
///
/// ```
/// use zerosock::msg::MMsgHdr;
/// // 64 bytes on 64-bit targets, 32 on 32-bit ones
/// assert_eq!(core::mem::size_of::<MMsgHdr>(), 8 * core::mem::size_of::<usize>());
/// ```
///
/// # References
/// - [recvmmsg(2)](https://man7.org/linux/man-pages/man2/recvmmsg.2.html)
/// - [sendmmsg(2)](https://man7.org/linux/man-pages/man2/sendmmsg.2.html)
#[doc(alias = "mmsghdr")]
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct MMsgHdr {
    /// `msg_hdr`: the message.
    pub msg_hdr: MsgHdr,
    /// `msg_len`: bytes sent or received for this message.
    pub msg_len: u32,
}

impl MMsgHdr {
    /// An empty message.
    pub const EMPTY: Self = Self {
        msg_hdr: MsgHdr::EMPTY,
        msg_len: 0,
    };
}

/// `CMSG_ALIGN`: rounds `len` up to the alignment of control messages
/// (the kernel's `long`: 8 bytes on 64-bit targets, 4 on 32-bit ones).
///
/// ```
/// assert_eq!(zerosock::msg::cmsg_align(5), 8);
/// ```
///
/// # References
/// - [cmsg(3)](https://man7.org/linux/man-pages/man3/cmsg.3.html)
#[doc(alias = "CMSG_ALIGN")]
#[must_use]
pub const fn cmsg_align(len: usize) -> usize {
    (len + size_of::<usize>() - 1) & !(size_of::<usize>() - 1)
}

/// `CMSG_LEN`: the `cmsg_len` of a message carrying `data_len` bytes.
///
/// ```
/// // 20 on 64-bit targets (a 16-byte header), 16 on 32-bit ones (12)
/// let header = core::mem::size_of::<zerosock::msg::CmsgHdr>();
/// assert_eq!(zerosock::msg::cmsg_len(4), header + 4);
/// ```
///
/// # References
/// - [cmsg(3)](https://man7.org/linux/man-pages/man3/cmsg.3.html)
#[doc(alias = "CMSG_LEN")]
#[must_use]
pub const fn cmsg_len(data_len: usize) -> usize {
    cmsg_align(size_of::<CmsgHdr>()) + data_len
}

/// `CMSG_SPACE`: the buffer space one message carrying `data_len` bytes
/// takes, padding included. Sum these to size a control buffer.
///
/// ```
/// use zerosock::msg::cmsg_space;
/// // room for three fds: 32 bytes on 64-bit targets, 24 on 32-bit ones
/// let buf = [0u8; cmsg_space(3 * 4)];
/// assert_eq!(buf.len(), if cfg!(target_pointer_width = "64") { 32 } else { 24 });
/// ```
///
/// # References
/// - [cmsg(3)](https://man7.org/linux/man-pages/man3/cmsg.3.html)
#[doc(alias = "CMSG_SPACE")]
#[must_use]
pub const fn cmsg_space(data_len: usize) -> usize {
    cmsg_align(size_of::<CmsgHdr>()) + cmsg_align(data_len)
}

/// `struct ucred` as bytes (the payload of `SCM_CREDENTIALS`).
pub(crate) const UCRED_SIZE: usize = size_of::<UCred>();

pub(crate) fn ucred_to_bytes(cred: UCred) -> [u8; UCRED_SIZE] {
    let mut out = [0; UCRED_SIZE];
    out[0..4].copy_from_slice(&cred.pid.to_ne_bytes());
    out[4..8].copy_from_slice(&cred.uid.to_ne_bytes());
    out[8..12].copy_from_slice(&cred.gid.to_ne_bytes());
    out
}

pub(crate) fn ucred_from_bytes(b: &[u8; UCRED_SIZE]) -> UCred {
    UCred {
        pid: i32::from_ne_bytes(word(b, 0)),
        uid: u32::from_ne_bytes(word(b, 4)),
        gid: u32::from_ne_bytes(word(b, 8)),
    }
}

/// `struct in_pktinfo`: with `IP_PKTINFO`, the interface and addresses of a
/// received IPv4 datagram; on send, the source address and interface to use.
///
/// ```
/// use zerosock::msg::InPktInfo;
/// use core::net::Ipv4Addr;
/// // send from 127.0.0.1, any interface
/// let info = InPktInfo::source(Ipv4Addr::LOCALHOST, 0);
/// assert_eq!(info.ipi_spec_dst.ip(), Ipv4Addr::LOCALHOST);
/// ```
///
/// # References
/// - [ip(7)](https://man7.org/linux/man-pages/man7/ip.7.html)
#[doc(alias = "in_pktinfo")]
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct InPktInfo {
    /// `ipi_ifindex`: the interface the datagram arrived on (or leaves by;
    /// 0 lets the routing table choose).
    pub ipi_ifindex: i32,
    /// `ipi_spec_dst`: on receive, the local address the routing table
    /// picked; on send, the source address to use.
    pub ipi_spec_dst: InAddr,
    /// `ipi_addr`: on receive, the destination address in the IP header.
    pub ipi_addr: InAddr,
}

impl InPktInfo {
    pub(crate) const SIZE: usize = size_of::<Self>();

    /// The `in_pktinfo` that makes a send leave from `ip` by interface
    /// `ifindex` (0: any).
    #[must_use]
    pub const fn source(ip: Ipv4Addr, ifindex: i32) -> Self {
        Self {
            ipi_ifindex: ifindex,
            ipi_spec_dst: InAddr::new(ip),
            ipi_addr: InAddr::ANY,
        }
    }

    pub(crate) fn to_bytes(self) -> [u8; Self::SIZE] {
        let mut out = [0; Self::SIZE];
        out[0..4].copy_from_slice(&self.ipi_ifindex.to_ne_bytes());
        out[4..8].copy_from_slice(&self.ipi_spec_dst.s_addr.to_bytes());
        out[8..12].copy_from_slice(&self.ipi_addr.s_addr.to_bytes());
        out
    }

    pub(crate) fn from_bytes(b: &[u8; Self::SIZE]) -> Self {
        Self {
            ipi_ifindex: i32::from_ne_bytes(word(b, 0)),
            ipi_spec_dst: InAddr::new(Ipv4Addr::from(word(b, 4))),
            ipi_addr: InAddr::new(Ipv4Addr::from(word(b, 8))),
        }
    }
}

/// `struct in6_pktinfo`: with `IPV6_RECVPKTINFO`, the destination address
/// and interface of a received IPv6 datagram; on send (`IPV6_PKTINFO`), the
/// source address and interface to use.
///
/// ```
/// use zerosock::msg::In6PktInfo;
/// use core::net::Ipv6Addr;
/// let info = In6PktInfo::new(Ipv6Addr::LOCALHOST, 0);
/// assert_eq!(info.ipi6_addr.ip(), Ipv6Addr::LOCALHOST);
/// ```
///
/// # References
/// - [ipv6(7)](https://man7.org/linux/man-pages/man7/ipv6.7.html)
#[doc(alias = "in6_pktinfo")]
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct In6PktInfo {
    /// `ipi6_addr`: the destination (receive) or source (send) address.
    pub ipi6_addr: In6Addr,
    /// `ipi6_ifindex`: the interface (0: any).
    pub ipi6_ifindex: u32,
}

impl In6PktInfo {
    pub(crate) const SIZE: usize = size_of::<Self>();

    /// The `in6_pktinfo` for address `ip` on interface `ifindex` (0: any).
    #[must_use]
    pub const fn new(ip: Ipv6Addr, ifindex: u32) -> Self {
        Self {
            ipi6_addr: In6Addr::new(ip),
            ipi6_ifindex: ifindex,
        }
    }

    pub(crate) fn to_bytes(self) -> [u8; Self::SIZE] {
        let mut out = [0; Self::SIZE];
        out[0..16].copy_from_slice(&self.ipi6_addr.s6_addr);
        out[16..20].copy_from_slice(&self.ipi6_ifindex.to_ne_bytes());
        out
    }

    pub(crate) fn from_bytes(b: &[u8; Self::SIZE]) -> Self {
        let mut addr = [0; 16];
        addr.copy_from_slice(&b[0..16]);
        Self {
            ipi6_addr: In6Addr { s6_addr: addr },
            ipi6_ifindex: u32::from_ne_bytes(word(b, 16)),
        }
    }
}

/// `struct timeval` as bytes (the payload of `SCM_TIMESTAMP`).
pub(crate) const TIMEVAL_SIZE: usize = size_of::<TimeVal>();

pub(crate) fn timeval_to_bytes(t: TimeVal) -> [u8; TIMEVAL_SIZE] {
    two_i64(t.tv_sec, t.tv_usec)
}

pub(crate) fn timeval_from_bytes(b: &[u8; TIMEVAL_SIZE]) -> TimeVal {
    TimeVal {
        tv_sec: i64::from_ne_bytes(dword(b, 0)),
        tv_usec: i64::from_ne_bytes(dword(b, 8)),
    }
}

/// `struct timespec`: seconds and nanoseconds, as `SO_TIMESTAMPNS` and
/// `SO_TIMESTAMPING` report times.
///
/// ```
/// use zerosock::msg::TimeSpec;
/// let t = TimeSpec { tv_sec: 2, tv_nsec: 5 };
/// assert_eq!(t.duration(), Some(core::time::Duration::new(2, 5)));
/// ```
///
/// # References
/// - [socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html)
#[doc(alias = "timespec")]
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct TimeSpec {
    /// `tv_sec`: seconds.
    pub tv_sec: i64,
    /// `tv_nsec`: nanoseconds, `0..1_000_000_000`.
    pub tv_nsec: i64,
}

impl TimeSpec {
    pub(crate) const SIZE: usize = size_of::<Self>();

    /// The time as a duration, if it is non-negative and well-formed.
    #[must_use]
    pub const fn duration(self) -> Option<Duration> {
        if self.tv_sec < 0 || self.tv_nsec < 0 || self.tv_nsec >= 1_000_000_000 {
            return None;
        }
        Some(Duration::new(self.tv_sec as u64, self.tv_nsec as u32))
    }

    pub(crate) fn to_bytes(self) -> [u8; Self::SIZE] {
        two_i64(self.tv_sec, self.tv_nsec)
    }

    pub(crate) fn from_bytes(b: &[u8; Self::SIZE]) -> Self {
        Self {
            tv_sec: i64::from_ne_bytes(dword(b, 0)),
            tv_nsec: i64::from_ne_bytes(dword(b, 8)),
        }
    }
}

/// Four bytes at `at` (in bounds by the callers' fixed sizes).
fn word(b: &[u8], at: usize) -> [u8; 4] {
    [b[at], b[at + 1], b[at + 2], b[at + 3]]
}

/// Eight bytes at `at`.
fn dword(b: &[u8], at: usize) -> [u8; 8] {
    let mut out = [0; 8];
    out.copy_from_slice(&b[at..at + 8]);
    out
}

fn two_i64(a: i64, b: i64) -> [u8; 16] {
    let mut out = [0; 16];
    out[0..8].copy_from_slice(&a.to_ne_bytes());
    out[8..16].copy_from_slice(&b.to_ne_bytes());
    out
}
