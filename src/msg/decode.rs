//! The control-message decoder: walks received bytes and yields each message
//! decoded, every length checked, without allocation.

use core::fmt;

use rustix::fd::RawFd;

pub use crate::abi::msg::CmsgDecodeError;
use crate::abi::msg::cmsg_consts::*;
use crate::abi::msg::{In6PktInfo, InPktInfo, RawCmsgs, TimeSpec, timeval_from_bytes, ucred_from_bytes};
use crate::opt::{TimeVal, UCred};

/// The fd numbers of a received `SCM_RIGHTS` message, as integers.
///
/// Decoding bytes never owns an fd: after [`Socket::recv_msg`](crate::Socket::recv_msg)
/// the fds themselves are already in the caller's container (or closed), and
/// these numbers only say which ones arrived.
///
/// ```
/// use zerosock::msg::{Cmsg, CmsgBuffer, CmsgEncoder, CmsgIter, cmsg_space};
/// use zerosock::fd::AsFd;
/// let (a, _b) = zerosock::Socket::pair(zerosock::Domain::UNIX, zerosock::Type::STREAM, zerosock::Protocol::DEFAULT)?;
/// let mut space = CmsgBuffer::<{ cmsg_space(4) }>::new();
/// let mut enc = CmsgEncoder::new(&mut space);
/// enc.rights(&[a.as_fd()]).unwrap();
/// let Some(Ok(Cmsg::Rights(fds))) = CmsgIter::new(enc.as_bytes()).next() else { panic!() };
/// assert_eq!(fds.len(), 1);
/// assert_eq!(fds.iter().next(), Some(zerosock::fd::AsRawFd::as_raw_fd(&a)));
/// # Ok::<(), zerosock::Errno>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct FdNumbers<'a> {
    bytes: &'a [u8],
}

impl<'a> FdNumbers<'a> {
    /// How many fds.
    #[must_use]
    pub const fn len(self) -> usize {
        self.bytes.len() / FD
    }

    /// Whether there are none.
    #[must_use]
    pub const fn is_empty(self) -> bool {
        self.bytes.len() < FD
    }

    /// The numbers, in order.
    pub fn iter(self) -> impl Iterator<Item = RawFd> + 'a {
        self.bytes
            .chunks_exact(FD)
            .map(|b| RawFd::from_ne_bytes([b[0], b[1], b[2], b[3]]))
    }
}

impl fmt::Debug for FdNumbers<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// One decoded control message. Messages this crate does not know are
/// returned as [`Cmsg::Other`], never dropped.
///
/// ```
/// use zerosock::msg::{Cmsg, CmsgBuffer, CmsgEncoder, CmsgIter};
/// let mut space = CmsgBuffer::<64>::new();
/// let mut enc = CmsgEncoder::new(&mut space);
/// enc.udp_segment(1400).unwrap().raw(6, 99, b"opaque").unwrap();
/// let msgs: Vec<_> = CmsgIter::new(enc.as_bytes()).collect();
/// assert_eq!(msgs, [Ok(Cmsg::UdpSegment(1400)), Ok(Cmsg::Other { level: 6, ty: 99, data: b"opaque" })]);
/// ```
///
/// # References
/// - [cmsg(3)](https://man7.org/linux/man-pages/man3/cmsg.3.html)
/// - [socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html),
///   [unix(7)](https://man7.org/linux/man-pages/man7/unix.7.html),
///   [ip(7)](https://man7.org/linux/man-pages/man7/ip.7.html),
///   [ipv6(7)](https://man7.org/linux/man-pages/man7/ipv6.7.html),
///   [udp(7)](https://man7.org/linux/man-pages/man7/udp.7.html)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Cmsg<'a> {
    /// `SOL_SOCKET`/`SCM_RIGHTS`: fds passed by the peer (numbers only).
    #[doc(alias = "SCM_RIGHTS")]
    Rights(FdNumbers<'a>),
    /// `SOL_SOCKET`/`SCM_PIDFD`: a pidfd for the sender (with
    /// `SO_PASSPIDFD`), number only; [`Socket::recv_msg`](crate::Socket::recv_msg)
    /// owns it like an `SCM_RIGHTS` fd.
    #[doc(alias = "SCM_PIDFD")]
    PidFd(RawFd),
    /// `SOL_SOCKET`/`SCM_CREDENTIALS`: the sender's credentials.
    #[doc(alias = "SCM_CREDENTIALS")]
    Credentials(UCred),
    /// `SOL_SOCKET`/`SO_TIMESTAMP` (`SCM_TIMESTAMP`, old or new layout,
    /// the same on 64-bit): arrival time, microseconds.
    #[doc(alias = "SCM_TIMESTAMP")]
    #[doc(alias = "SO_TIMESTAMP")]
    Timestamp(TimeVal),
    /// `SOL_SOCKET`/`SO_TIMESTAMPNS` (`SCM_TIMESTAMPNS`): arrival time,
    /// nanoseconds.
    #[doc(alias = "SCM_TIMESTAMPNS")]
    #[doc(alias = "SO_TIMESTAMPNS")]
    TimestampNs(TimeSpec),
    /// `SOL_SOCKET`/`SO_TIMESTAMPING` (`struct scm_timestamping`): software,
    /// (deprecated) and hardware times.
    #[doc(alias = "SCM_TIMESTAMPING")]
    Timestamping([TimeSpec; 3]),
    /// `SOL_SOCKET`/`SO_RXQ_OVFL`: packets dropped so far for lack of
    /// receive-queue room.
    #[doc(alias = "SO_RXQ_OVFL")]
    RxqOverflow(u32),
    /// `IPPROTO_IP`/`IP_PKTINFO`: interface and addresses of an IPv4 datagram.
    #[doc(alias = "IP_PKTINFO")]
    Ipv4PktInfo(InPktInfo),
    /// `IPPROTO_IP`/`IP_TOS` (with `IP_RECVTOS`): the TOS byte; see [`Ecn`](crate::opt::Ecn).
    #[doc(alias = "IP_TOS")]
    #[doc(alias = "IP_RECVTOS")]
    Ipv4Tos(u8),
    /// `IPPROTO_IP`/`IP_TTL` (with `IP_RECVTTL`): the time-to-live.
    #[doc(alias = "IP_TTL")]
    Ipv4Ttl(u8),
    /// `IPPROTO_IPV6`/`IPV6_PKTINFO` (with `IPV6_RECVPKTINFO`).
    #[doc(alias = "IPV6_PKTINFO")]
    Ipv6PktInfo(In6PktInfo),
    /// `IPPROTO_IPV6`/`IPV6_TCLASS` (with `IPV6_RECVTCLASS`): the traffic
    /// class; see [`Ecn`](crate::opt::Ecn).
    #[doc(alias = "IPV6_TCLASS")]
    Ipv6TClass(u8),
    /// `IPPROTO_IPV6`/`IPV6_HOPLIMIT` (with `IPV6_RECVHOPLIMIT`).
    #[doc(alias = "IPV6_HOPLIMIT")]
    Ipv6HopLimit(u8),
    /// `SOL_UDP`/`UDP_SEGMENT`: a GSO segment size (a send-side message).
    #[doc(alias = "UDP_SEGMENT")]
    UdpSegment(u16),
    /// `SOL_UDP`/`UDP_GRO`: the received buffer holds datagrams coalesced
    /// by GRO, each of this size but the last.
    #[doc(alias = "UDP_GRO")]
    UdpGro(u16),
    /// Any other message, as it came.
    Other {
        /// `cmsg_level`.
        level: i32,
        /// `cmsg_type`.
        ty: i32,
        /// The payload, `cmsg_len - CMSG_LEN(0)` bytes.
        data: &'a [u8],
    },
}

impl<'a> Cmsg<'a> {
    /// Decodes one message's payload by its level and type.
    fn parse(level: i32, ty: i32, data: &'a [u8]) -> Result<Self, CmsgDecodeError> {
        let bad = CmsgDecodeError::BadPayload {
            level,
            ty,
            len: data.len(),
        };
        // An `int` payload whose value must fit a byte (TOS, TTL, class).
        let byte_int = |data: &[u8]| -> Result<u8, CmsgDecodeError> {
            let value = i32::from_ne_bytes(data.try_into().map_err(|_| bad)?);
            u8::try_from(value).map_err(|_| bad)
        };
        Ok(match (level, ty) {
            (SOL_SOCKET, SCM_RIGHTS) if data.len().is_multiple_of(FD) => {
                Self::Rights(FdNumbers { bytes: data })
            }
            (SOL_SOCKET, SCM_PIDFD) => Self::PidFd(RawFd::from_ne_bytes(*exact(data).ok_or(bad)?)),
            (SOL_SOCKET, SCM_CREDENTIALS) => Self::Credentials(ucred_from_bytes(exact(data).ok_or(bad)?)),
            (SOL_SOCKET, SO_TIMESTAMP_OLD | SO_TIMESTAMP_NEW) if OLD_IS_TIME64 || ty == SO_TIMESTAMP_NEW => {
                Self::Timestamp(timeval_from_bytes(exact(data).ok_or(bad)?))
            }
            (SOL_SOCKET, SO_TIMESTAMPNS_OLD | SO_TIMESTAMPNS_NEW)
                if OLD_IS_TIME64 || ty == SO_TIMESTAMPNS_NEW =>
            {
                Self::TimestampNs(TimeSpec::from_bytes(exact(data).ok_or(bad)?))
            }
            (SOL_SOCKET, SO_TIMESTAMPING_OLD | SO_TIMESTAMPING_NEW)
                if OLD_IS_TIME64 || ty == SO_TIMESTAMPING_NEW =>
            {
                let all: &[u8; 3 * TimeSpec::SIZE] = exact(data).ok_or(bad)?;
                let mut ts = [TimeSpec::default(); 3];
                for (t, b) in ts.iter_mut().zip(all.chunks_exact(TimeSpec::SIZE)) {
                    *t = TimeSpec::from_bytes(exact(b).ok_or(bad)?);
                }
                Self::Timestamping(ts)
            }
            (SOL_SOCKET, SO_RXQ_OVFL) => Self::RxqOverflow(u32::from_ne_bytes(*exact(data).ok_or(bad)?)),
            (SOL_IP, IP_PKTINFO) => Self::Ipv4PktInfo(InPktInfo::from_bytes(exact(data).ok_or(bad)?)),
            // The kernel reports the TOS as one byte; a sender may give an int.
            (SOL_IP, IP_TOS) => match data {
                [tos] => Self::Ipv4Tos(*tos),
                _ => Self::Ipv4Tos(byte_int(data)?),
            },
            (SOL_IP, IP_TTL) => Self::Ipv4Ttl(byte_int(data)?),
            (SOL_IPV6, IPV6_PKTINFO) => Self::Ipv6PktInfo(In6PktInfo::from_bytes(exact(data).ok_or(bad)?)),
            (SOL_IPV6, IPV6_TCLASS) => Self::Ipv6TClass(byte_int(data)?),
            (SOL_IPV6, IPV6_HOPLIMIT) => Self::Ipv6HopLimit(byte_int(data)?),
            (SOL_UDP, UDP_SEGMENT) => Self::UdpSegment(u16::from_ne_bytes(*exact(data).ok_or(bad)?)),
            (SOL_UDP, UDP_GRO) => {
                let size = i32::from_ne_bytes(*exact(data).ok_or(bad)?);
                Self::UdpGro(u16::try_from(size).map_err(|_| bad)?)
            }
            (SOL_SOCKET, SCM_RIGHTS) => return Err(bad),
            _ => Self::Other { level, ty, data },
        })
    }
}

/// `data` as an array reference, if it has exactly that length.
fn exact<const N: usize>(data: &[u8]) -> Option<&[u8; N]> {
    data.try_into().ok()
}

/// Walks received control bytes, yielding each message decoded. Every
/// `cmsg_len` is checked against the header size and the bytes left; the
/// first malformed or truncated message yields an error and ends the walk.
/// It never panics and reads nothing outside the slice, whatever the bytes.
///
/// ```
/// use zerosock::msg::{Cmsg, CmsgBuffer, CmsgEncoder, CmsgIter, UCred};
/// let mut space = CmsgBuffer::<64>::new();
/// let mut enc = CmsgEncoder::new(&mut space);
/// enc.credentials(UCred { pid: 7, uid: 1000, gid: 100 }).unwrap();
/// for msg in CmsgIter::new(enc.as_bytes()) {
///     match msg {
///         Ok(Cmsg::Credentials(cred)) => assert_eq!(cred.pid, 7),
///         other => panic!("{other:?}"),
///     }
/// }
/// ```
///
/// # References
/// - [cmsg(3)](https://man7.org/linux/man-pages/man3/cmsg.3.html)
#[doc(alias = "CMSG_FIRSTHDR")]
#[doc(alias = "CMSG_NXTHDR")]
#[derive(Clone, Debug)]
pub struct CmsgIter<'a> {
    raw: RawCmsgs<'a>,
}

impl<'a> CmsgIter<'a> {
    /// A walk over `bytes`, the first `msg_controllen` bytes of a control
    /// buffer.
    #[must_use]
    pub const fn new(bytes: &'a [u8]) -> Self {
        Self {
            raw: RawCmsgs::new(bytes),
        }
    }
}

impl<'a> Iterator for CmsgIter<'a> {
    type Item = Result<Cmsg<'a>, CmsgDecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        let item = match self.raw.next()? {
            Ok((level, ty, data)) => Cmsg::parse(level, ty, data),
            Err(err) => Err(err),
        };
        if item.is_err() {
            self.raw.stop();
        }
        Some(item)
    }
}

impl core::iter::FusedIterator for CmsgIter<'_> {}
