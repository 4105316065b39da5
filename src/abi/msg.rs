//! The kernel's message headers written out by hand — `msghdr`, `cmsghdr`,
//! `mmsghdr` — and the `CMSG_*` size arithmetic as `const fn`s, so a control
//! buffer can be sized at compile time — and the payloads of the control
//! messages (`in_pktinfo`, `in6_pktinfo`, `timespec`; `ucred` and `timeval`
//! are [`crate::opt`]'s), read from and written to bytes field by field, so
//! no alignment is assumed.

use core::ffi::c_void;
use core::fmt;
use core::mem::size_of;
use core::net::{Ipv4Addr, Ipv6Addr};
use core::ptr;
use core::time::Duration;

use super::addr::{In6Addr, InAddr};
use super::opt::{TimeVal, UCred};

/// `struct msghdr`: the argument of sendmsg(2) and recvmsg(2).
///
/// # References
/// - [recvmsg(2)](https://man7.org/linux/man-pages/man2/recvmsg.2.html)
/// - [sendmsg(2)](https://man7.org/linux/man-pages/man2/sendmsg.2.html)
#[doc(alias = "msghdr")]
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub(crate) struct MsgHdr {
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
/// # References
/// - [cmsg(3)](https://man7.org/linux/man-pages/man3/cmsg.3.html)
#[doc(alias = "cmsghdr")]
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct CmsgHdr {
    /// `cmsg_len`: header plus data, without trailing padding (`CMSG_LEN`).
    pub cmsg_len: usize,
    /// `cmsg_level`: the originating protocol (`SOL_SOCKET`, `IPPROTO_IP`, …).
    pub cmsg_level: i32,
    /// `cmsg_type`: the protocol-specific type (`SCM_RIGHTS`, …).
    pub cmsg_type: i32,
}

/// `struct mmsghdr`: one message of sendmmsg(2)/recvmmsg(2).
///
/// # References
/// - [recvmmsg(2)](https://man7.org/linux/man-pages/man2/recvmmsg.2.html)
/// - [sendmmsg(2)](https://man7.org/linux/man-pages/man2/sendmmsg.2.html)
#[doc(alias = "mmsghdr")]
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub(crate) struct MMsgHdr {
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
/// (`size_t`).
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
/// // The header (16 bytes on 64-bit targets, 12 on 32-bit ones), then the data.
/// let header = if cfg!(target_pointer_width = "64") { 16 } else { 12 };
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
/// // room for three fds: the header, 12 bytes, padding to the target's `long`
/// let buf = [0u8; cmsg_space(3 * 4)];
/// assert_eq!(buf.len(), if cfg!(target_pointer_width = "64") { 16 + 16 } else { 12 + 12 });
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

/// The `cmsg_level`/`cmsg_type` numbers, from the kernel's uapi headers via
/// linux-raw-sys, as the `int`s `struct cmsghdr` carries them, and the
/// header's size and field offsets.
#[allow(missing_docs)]
pub(crate) mod cmsg_consts {
    use core::mem::{offset_of, size_of};

    use rustix::fd::RawFd;

    use super::CmsgHdr;

    use linux_raw_sys::net as c;

    pub(crate) const SOL_SOCKET: i32 = c::SOL_SOCKET as i32;
    pub(crate) const SOL_IP: i32 = c::SOL_IP as i32;
    pub(crate) const SOL_IPV6: i32 = c::SOL_IPV6 as i32;
    pub(crate) const SOL_UDP: i32 = c::SOL_UDP as i32;
    pub(crate) const SCM_RIGHTS: i32 = c::SCM_RIGHTS as i32;
    pub(crate) const SCM_CREDENTIALS: i32 = c::SCM_CREDENTIALS as i32;
    /// `SCM_PIDFD`: include/linux/socket.h (not in uapi), `0x04`.
    pub(crate) const SCM_PIDFD: i32 = 0x04;
    pub(crate) const SO_TIMESTAMP_OLD: i32 = c::SO_TIMESTAMP_OLD as i32;
    pub(crate) const SO_TIMESTAMP_NEW: i32 = c::SO_TIMESTAMP_NEW as i32;
    pub(crate) const SO_TIMESTAMPNS_OLD: i32 = c::SO_TIMESTAMPNS_OLD as i32;
    pub(crate) const SO_TIMESTAMPNS_NEW: i32 = c::SO_TIMESTAMPNS_NEW as i32;
    pub(crate) const SO_TIMESTAMPING_OLD: i32 = c::SO_TIMESTAMPING_OLD as i32;
    pub(crate) const SO_TIMESTAMPING_NEW: i32 = c::SO_TIMESTAMPING_NEW as i32;
    /// Whether the `_OLD` timestamp types carry 64-bit times. On 64-bit
    /// targets they do, and are what the kernel sends; on 32-bit ones they
    /// carry a 32-bit `time_t`, which zerosock neither decodes (such a
    /// message stays `Cmsg::Other`) nor encodes: its options ask for the
    /// `_NEW` types there.
    pub(crate) const OLD_IS_TIME64: bool = cfg!(target_pointer_width = "64");
    /// The timestamp types the encoder writes: the ones the kernel sends on
    /// this target for zerosock's `SO_TIMESTAMP*` options.
    pub(crate) const SCM_TIMESTAMP: i32 = if OLD_IS_TIME64 {
        SO_TIMESTAMP_OLD
    } else {
        SO_TIMESTAMP_NEW
    };
    pub(crate) const SCM_TIMESTAMPNS: i32 = if OLD_IS_TIME64 {
        SO_TIMESTAMPNS_OLD
    } else {
        SO_TIMESTAMPNS_NEW
    };
    pub(crate) const SCM_TIMESTAMPING: i32 = if OLD_IS_TIME64 {
        SO_TIMESTAMPING_OLD
    } else {
        SO_TIMESTAMPING_NEW
    };
    pub(crate) const SO_RXQ_OVFL: i32 = c::SO_RXQ_OVFL as i32;
    pub(crate) const IP_TOS: i32 = c::IP_TOS as i32;
    pub(crate) const IP_TTL: i32 = c::IP_TTL as i32;
    pub(crate) const IP_PKTINFO: i32 = c::IP_PKTINFO as i32;
    pub(crate) const IPV6_PKTINFO: i32 = c::IPV6_PKTINFO as i32;
    pub(crate) const IPV6_TCLASS: i32 = c::IPV6_TCLASS as i32;
    pub(crate) const IPV6_HOPLIMIT: i32 = c::IPV6_HOPLIMIT as i32;
    /// `UDP_SEGMENT`: include/uapi/linux/udp.h, 103.
    pub(crate) const UDP_SEGMENT: i32 = 103;
    /// `UDP_GRO`: include/uapi/linux/udp.h, 104.
    pub(crate) const UDP_GRO: i32 = 104;

    /// `SCM_MAX_FD`: the most fds one `SCM_RIGHTS` message may carry
    /// (include/net/scm.h); the kernel refuses more with `EINVAL`.
    pub const SCM_MAX_FD: usize = 253;

    /// The size of `struct cmsghdr`, already a multiple of the alignment.
    pub(crate) const HDR: usize = size_of::<CmsgHdr>();
    pub(crate) const LEN_AT: usize = offset_of!(CmsgHdr, cmsg_len);
    pub(crate) const LEVEL_AT: usize = offset_of!(CmsgHdr, cmsg_level);
    pub(crate) const TYPE_AT: usize = offset_of!(CmsgHdr, cmsg_type);
    pub(crate) const FD: usize = size_of::<RawFd>();
}

/// Why received control bytes could not be decoded. Decoding stops at the
/// first error.
///
/// ```
/// use zerosock::msg::{CmsgDecodeError, CmsgIter};
/// let short = [0u8; 7];
/// let first = CmsgIter::new(&short).next();
/// assert_eq!(first, Some(Err(CmsgDecodeError::TruncatedHeader { offset: 0, remaining: 7 })));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CmsgDecodeError {
    /// Bytes remain at `offset` but fewer than a `cmsghdr`.
    TruncatedHeader {
        /// Offset of the partial header.
        offset: usize,
        /// Bytes left from there.
        remaining: usize,
    },
    /// A `cmsg_len` smaller than the header itself.
    BadLength {
        /// Offset of the header.
        offset: usize,
        /// Its `cmsg_len`.
        len: usize,
    },
    /// A `cmsg_len` running past the end of the bytes: the message was cut.
    Truncated {
        /// Offset of the header.
        offset: usize,
        /// Its `cmsg_len`.
        len: usize,
        /// Bytes left from the header on.
        remaining: usize,
    },
    /// A message this crate knows with a payload of the wrong size or an
    /// impossible value (a cut-off `timeval`, a TOS above 255, …).
    BadPayload {
        /// `cmsg_level`.
        level: i32,
        /// `cmsg_type`.
        ty: i32,
        /// The payload's length.
        len: usize,
    },
}

impl fmt::Display for CmsgDecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TruncatedHeader { offset, remaining } => {
                write!(
                    f,
                    "control message header at {offset} cut off after {remaining} bytes"
                )
            }
            Self::BadLength { offset, len } => {
                write!(
                    f,
                    "control message at {offset} has cmsg_len {len}, shorter than its header"
                )
            }
            Self::Truncated {
                offset,
                len,
                remaining,
            } => write!(
                f,
                "control message at {offset} has cmsg_len {len} but only {remaining} bytes remain"
            ),
            Self::BadPayload { level, ty, len } => {
                write!(
                    f,
                    "control message (level {level}, type {ty}) has a malformed {len}-byte payload"
                )
            }
        }
    }
}

impl core::error::Error for CmsgDecodeError {}

/// The header-level walk: `(level, type, payload)` of each message, every
/// length checked, stopping for good at the first error.
#[derive(Clone, Debug)]
pub(crate) struct RawCmsgs<'a> {
    bytes: &'a [u8],
    offset: usize,
}

impl<'a> RawCmsgs<'a> {
    pub(crate) const fn new(bytes: &'a [u8]) -> Self {
        Self { bytes, offset: 0 }
    }

    pub(crate) fn stop(&mut self) {
        self.offset = self.bytes.len();
    }
}

impl<'a> Iterator for RawCmsgs<'a> {
    type Item = Result<(i32, i32, &'a [u8]), CmsgDecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        use cmsg_consts::{HDR, LEN_AT, LEVEL_AT, TYPE_AT};
        let offset = self.offset;
        let rest = self.bytes.get(offset..).filter(|rest| !rest.is_empty())?;
        let Some(header) = rest.first_chunk::<HDR>() else {
            self.stop();
            return Some(Err(CmsgDecodeError::TruncatedHeader {
                offset,
                remaining: rest.len(),
            }));
        };
        let field = |at: usize| [header[at], header[at + 1], header[at + 2], header[at + 3]];
        let mut len = [0; size_of::<usize>()];
        len.copy_from_slice(&header[LEN_AT..LEN_AT + size_of::<usize>()]);
        let len = usize::from_ne_bytes(len);
        if len < HDR {
            self.stop();
            return Some(Err(CmsgDecodeError::BadLength { offset, len }));
        }
        if len > rest.len() {
            self.stop();
            return Some(Err(CmsgDecodeError::Truncated {
                offset,
                len,
                remaining: rest.len(),
            }));
        }
        // `len <= rest.len() <= isize::MAX`, so aligning cannot overflow; the
        // last message's padding may be missing, so clamp to the end.
        self.offset = offset + cmsg_align(len).min(rest.len());
        let level = i32::from_ne_bytes(field(LEVEL_AT));
        let ty = i32::from_ne_bytes(field(TYPE_AT));
        Some(Ok((level, ty, &rest[HDR..len])))
    }
}
