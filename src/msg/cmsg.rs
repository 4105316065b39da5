//! Control messages: an encoder that writes them into a caller's buffer and a
//! decoder that walks received bytes, both without allocation or `unsafe`.
//!
//! Both address the buffer by offset from its start and read and write every
//! field byte by byte (`from_ne_bytes`/`to_ne_bytes`), so any `&mut [u8]`
//! works whatever its address: the kernel itself copies control data with
//! `copy_from_user`/`put_user`, which need no alignment, and computes the
//! `CMSG_ALIGN` padding relative to the start of `msg_control`, exactly as
//! we do. [`CmsgBuffer`] is an 8-aligned array for callers who also hand the
//! same bytes to C code that casts pointers (`CMSG_FIRSTHDR`/`CMSG_DATA`).

use core::fmt;
use core::marker::PhantomData;
use core::mem::{offset_of, size_of};
use core::ops::{Deref, DerefMut};

use rustix::fd::{AsRawFd, BorrowedFd, RawFd};

use super::layout::{
    CmsgHdr, In6PktInfo, InPktInfo, TimeSpec, cmsg_align, cmsg_len, cmsg_space, timeval_from_bytes,
    timeval_to_bytes, ucred_from_bytes, ucred_to_bytes,
};
use crate::opt::{TimeVal, UCred};

// Levels and types, from the kernel's uapi headers via linux-raw-sys, as the
// `int`s `struct cmsghdr` carries them.
use linux_raw_sys::net as c;

pub(crate) const SOL_SOCKET: i32 = c::SOL_SOCKET as i32;
const SOL_IP: i32 = c::SOL_IP as i32;
const SOL_IPV6: i32 = c::SOL_IPV6 as i32;
const SOL_UDP: i32 = c::SOL_UDP as i32;
pub(crate) const SCM_RIGHTS: i32 = c::SCM_RIGHTS as i32;
const SCM_CREDENTIALS: i32 = c::SCM_CREDENTIALS as i32;
/// `SCM_PIDFD`: include/linux/socket.h (not in uapi), `0x04`.
pub(crate) const SCM_PIDFD: i32 = 0x04;
const SO_TIMESTAMP_OLD: i32 = c::SO_TIMESTAMP_OLD as i32;
const SO_TIMESTAMP_NEW: i32 = c::SO_TIMESTAMP_NEW as i32;
const SO_TIMESTAMPNS_OLD: i32 = c::SO_TIMESTAMPNS_OLD as i32;
const SO_TIMESTAMPNS_NEW: i32 = c::SO_TIMESTAMPNS_NEW as i32;
const SO_TIMESTAMPING_OLD: i32 = c::SO_TIMESTAMPING_OLD as i32;
const SO_TIMESTAMPING_NEW: i32 = c::SO_TIMESTAMPING_NEW as i32;
/// Whether the `_OLD` timestamp types carry 64-bit times. On 64-bit targets
/// they do, and are what the kernel sends; on 32-bit ones they carry a 32-bit
/// `time_t`, which zerosock neither decodes (such a message stays
/// [`Cmsg::Other`]) nor encodes: its options ask for the `_NEW` types there.
const OLD_IS_TIME64: bool = cfg!(target_pointer_width = "64");
/// The types the encoder writes: the ones the kernel sends on this target.
const SCM_TIMESTAMP: i32 = if OLD_IS_TIME64 {
    SO_TIMESTAMP_OLD
} else {
    SO_TIMESTAMP_NEW
};
const SCM_TIMESTAMPNS: i32 = if OLD_IS_TIME64 {
    SO_TIMESTAMPNS_OLD
} else {
    SO_TIMESTAMPNS_NEW
};
const SCM_TIMESTAMPING: i32 = if OLD_IS_TIME64 {
    SO_TIMESTAMPING_OLD
} else {
    SO_TIMESTAMPING_NEW
};
const SO_RXQ_OVFL: i32 = c::SO_RXQ_OVFL as i32;
const IP_TOS: i32 = c::IP_TOS as i32;
const IP_TTL: i32 = c::IP_TTL as i32;
const IP_PKTINFO: i32 = c::IP_PKTINFO as i32;
const IPV6_PKTINFO: i32 = c::IPV6_PKTINFO as i32;
const IPV6_TCLASS: i32 = c::IPV6_TCLASS as i32;
const IPV6_HOPLIMIT: i32 = c::IPV6_HOPLIMIT as i32;
/// `UDP_SEGMENT`: include/uapi/linux/udp.h, 103.
const UDP_SEGMENT: i32 = 103;
/// `UDP_GRO`: include/uapi/linux/udp.h, 104.
const UDP_GRO: i32 = 104;

/// `SCM_MAX_FD`: the most fds one `SCM_RIGHTS` message may carry
/// (include/net/scm.h); the kernel refuses more with `EINVAL`.
pub const SCM_MAX_FD: usize = 253;

/// The size of `struct cmsghdr`, already a multiple of the alignment.
const HDR: usize = size_of::<CmsgHdr>();
const LEN_AT: usize = offset_of!(CmsgHdr, cmsg_len);
const LEVEL_AT: usize = offset_of!(CmsgHdr, cmsg_level);
const TYPE_AT: usize = offset_of!(CmsgHdr, cmsg_type);
const FD: usize = size_of::<RawFd>();

/// Control-message space aligned like `struct cmsghdr` (8 bytes), sized at
/// compile time with [`cmsg_space`]. It dereferences to `[u8]`, so it goes
/// wherever a control buffer does.
///
/// ```
/// use zerosock::msg::{CmsgBuffer, cmsg_space};
/// // room for two fds and one `ucred`
/// let space = CmsgBuffer::<{ cmsg_space(2 * 4) + cmsg_space(12) }>::new();
/// // 56 bytes on 64-bit targets, 44 on 32-bit ones (a 12-byte header)
/// assert_eq!(space.len(), if cfg!(target_pointer_width = "64") { 56 } else { 44 });
/// assert_eq!(space.as_ptr() as usize % 8, 0);
/// ```
///
/// # References
/// - [cmsg(3)](https://man7.org/linux/man-pages/man3/cmsg.3.html)
#[repr(C, align(8))]
#[derive(Clone, Copy)]
pub struct CmsgBuffer<const N: usize> {
    bytes: [u8; N],
}

impl<const N: usize> CmsgBuffer<N> {
    /// A zeroed buffer.
    #[must_use]
    pub const fn new() -> Self {
        Self { bytes: [0; N] }
    }
}

impl<const N: usize> Default for CmsgBuffer<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> Deref for CmsgBuffer<N> {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.bytes
    }
}

impl<const N: usize> DerefMut for CmsgBuffer<N> {
    fn deref_mut(&mut self) -> &mut [u8] {
        &mut self.bytes
    }
}

impl<const N: usize> fmt::Debug for CmsgBuffer<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CmsgBuffer<{N}>")
    }
}

/// Why a control message could not be encoded. Nothing of the refused
/// message is written; the messages encoded before it stay.
///
/// ```
/// use zerosock::msg::{CmsgEncodeError, CmsgEncoder};
/// let mut small = [0u8; 8];
/// let mut cmsg = CmsgEncoder::new(&mut small);
/// // needs 24 bytes on 64-bit targets, 16 on 32-bit ones
/// let needed = zerosock::msg::cmsg_space(2);
/// assert_eq!(cmsg.udp_segment(1200).err(), Some(CmsgEncodeError::NoSpace { needed, available: 8 }));
/// assert!(cmsg.is_empty());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CmsgEncodeError {
    /// The buffer is too small: `needed` bytes in all (the messages already
    /// encoded plus this one's [`cmsg_space`]), `available` in the buffer.
    NoSpace {
        /// Bytes the buffer would need.
        needed: usize,
        /// Bytes it has.
        available: usize,
    },
    /// More than [`SCM_MAX_FD`] fds in one `SCM_RIGHTS` message.
    TooManyFds {
        /// How many were given.
        count: usize,
    },
    /// fd numbers cannot be encoded from raw bytes or a decoded message:
    /// pass the fds themselves to [`CmsgEncoder::rights`], which borrows them
    /// until the send.
    RawFds,
}

impl fmt::Display for CmsgEncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoSpace { needed, available } => {
                write!(
                    f,
                    "control buffer too small: {needed} bytes needed, {available} available"
                )
            }
            Self::TooManyFds { count } => {
                write!(
                    f,
                    "{count} fds in one SCM_RIGHTS message; the kernel takes at most {SCM_MAX_FD}"
                )
            }
            Self::RawFds => f.write_str("fds must be passed as borrowed fds, not raw numbers"),
        }
    }
}

impl core::error::Error for CmsgEncodeError {}

/// For the shortcuts that return [`Error`](crate::Error): a refusal before
/// any system call.
impl From<CmsgEncodeError> for crate::Error {
    fn from(err: CmsgEncodeError) -> Self {
        Self::InvalidInput(match err {
            CmsgEncodeError::TooManyFds { .. } => "more fds than SCM_MAX_FD (253) in one message",
            CmsgEncodeError::NoSpace { .. } => "control messages do not fit the control buffer",
            CmsgEncodeError::RawFds => "fds must be passed as borrowed fds",
        })
    }
}

/// Writes control messages into a caller's buffer, each at its
/// `CMSG_SPACE`-aligned offset, ready for [`Socket::send_msg`](crate::Socket::send_msg).
///
/// The fds given to [`rights`](Self::rights) stay borrowed (lifetime `'fd`)
/// until the encoder is dropped, so none can be closed, and its number
/// reused, between encoding and sending.
///
/// ```
/// use zerosock::msg::{CmsgBuffer, CmsgEncoder, cmsg_space};
/// use zerosock::{Domain, IoSlice, MsgFlags, Protocol, Socket, Type};
/// use zerosock::fd::AsFd;
///
/// let (a, b) = Socket::pair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT)?;
/// let mut space = CmsgBuffer::<{ cmsg_space(4) }>::new();
/// let mut cmsg = CmsgEncoder::new(&mut space);
/// cmsg.rights(&[b.as_fd()]).unwrap();
/// a.send_msg(&[IoSlice::new(b"x")], cmsg.control(), MsgFlags::NONE)?;
/// # Ok::<(), zerosock::Errno>(())
/// ```
///
/// # References
/// - [cmsg(3)](https://man7.org/linux/man-pages/man3/cmsg.3.html)
/// - [sendmsg(2)](https://man7.org/linux/man-pages/man2/sendmsg.2.html)
pub struct CmsgEncoder<'b, 'fd> {
    buf: &'b mut [u8],
    len: usize,
    fds: PhantomData<BorrowedFd<'fd>>,
}

impl<'b, 'fd> CmsgEncoder<'b, 'fd> {
    /// An encoder writing from the start of `buf`.
    #[must_use]
    pub fn new(buf: &'b mut [u8]) -> Self {
        Self {
            buf,
            len: 0,
            fds: PhantomData,
        }
    }

    /// Bytes encoded so far (the `msg_controllen` to send).
    #[must_use]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether nothing is encoded.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Forgets every message, keeping the buffer.
    pub fn clear(&mut self) {
        self.len = 0;
    }

    /// The encoded bytes.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    /// The encoded messages, ready to send; the fds they name stay borrowed
    /// while it lives.
    #[must_use]
    pub fn control(&self) -> Control<'_> {
        Control {
            bytes: self.as_bytes(),
        }
    }

    /// The encoded messages, keeping the buffer's borrow: for returning
    /// them from the function that encoded them. The fds stay borrowed as
    /// long as the result lives (`'fd` outlives `'b`).
    #[must_use]
    pub fn into_control(self) -> Control<'b>
    where
        'fd: 'b,
    {
        Control {
            bytes: &self.buf[..self.len],
        }
    }

    /// `SOL_SOCKET`/`SCM_RIGHTS`: passes `fds` to the receiving process over
    /// a Unix socket.
    ///
    /// # Errors
    /// [`CmsgEncodeError::TooManyFds`] above [`SCM_MAX_FD`];
    /// [`CmsgEncodeError::NoSpace`].
    ///
    /// # References
    /// - [unix(7)](https://man7.org/linux/man-pages/man7/unix.7.html)
    #[doc(alias = "SCM_RIGHTS")]
    pub fn rights(&mut self, fds: &[BorrowedFd<'fd>]) -> Result<&mut Self, CmsgEncodeError> {
        if fds.len() > SCM_MAX_FD {
            return Err(CmsgEncodeError::TooManyFds { count: fds.len() });
        }
        self.emit_with(SOL_SOCKET, SCM_RIGHTS, fds.len() * FD, |data| {
            for (slot, fd) in data.chunks_exact_mut(FD).zip(fds) {
                slot.copy_from_slice(&fd.as_raw_fd().to_ne_bytes());
            }
        })
    }

    /// `SOL_SOCKET`/`SCM_CREDENTIALS`: the sender's credentials. Unless
    /// privileged, they must be the sender's own pid, uid and gid.
    ///
    /// # Errors
    /// [`CmsgEncodeError::NoSpace`].
    ///
    /// # References
    /// - [unix(7)](https://man7.org/linux/man-pages/man7/unix.7.html)
    #[doc(alias = "SCM_CREDENTIALS")]
    pub fn credentials(&mut self, cred: UCred) -> Result<&mut Self, CmsgEncodeError> {
        self.emit(SOL_SOCKET, SCM_CREDENTIALS, &ucred_to_bytes(cred))
    }

    /// `IPPROTO_IP`/`IP_PKTINFO`: the source address (`ipi_spec_dst`) and
    /// interface of an IPv4 datagram.
    ///
    /// # Errors
    /// [`CmsgEncodeError::NoSpace`].
    ///
    /// # References
    /// - [ip(7)](https://man7.org/linux/man-pages/man7/ip.7.html)
    #[doc(alias = "IP_PKTINFO")]
    pub fn ipv4_pktinfo(&mut self, info: InPktInfo) -> Result<&mut Self, CmsgEncodeError> {
        self.emit(SOL_IP, IP_PKTINFO, &info.to_bytes())
    }

    /// `IPPROTO_IPV6`/`IPV6_PKTINFO`: the source address and interface of an
    /// IPv6 datagram.
    ///
    /// # Errors
    /// [`CmsgEncodeError::NoSpace`].
    ///
    /// # References
    /// - [ipv6(7)](https://man7.org/linux/man-pages/man7/ipv6.7.html)
    #[doc(alias = "IPV6_PKTINFO")]
    pub fn ipv6_pktinfo(&mut self, info: In6PktInfo) -> Result<&mut Self, CmsgEncodeError> {
        self.emit(SOL_IPV6, IPV6_PKTINFO, &info.to_bytes())
    }

    /// `IPPROTO_IP`/`IP_TOS`: the TOS byte (DSCP and [`Ecn`] bits) of this
    /// datagram, sent as an `int`.
    ///
    /// # Errors
    /// [`CmsgEncodeError::NoSpace`].
    ///
    /// # References
    /// - [ip(7)](https://man7.org/linux/man-pages/man7/ip.7.html)
    #[doc(alias = "IP_TOS")]
    pub fn ipv4_tos(&mut self, tos: u8) -> Result<&mut Self, CmsgEncodeError> {
        self.emit(SOL_IP, IP_TOS, &i32::from(tos).to_ne_bytes())
    }

    /// `IPPROTO_IP`/`IP_TTL`: the time-to-live of this datagram (1..=255).
    ///
    /// # Errors
    /// [`CmsgEncodeError::NoSpace`].
    ///
    /// # References
    /// - [ip(7)](https://man7.org/linux/man-pages/man7/ip.7.html)
    #[doc(alias = "IP_TTL")]
    pub fn ipv4_ttl(&mut self, ttl: u8) -> Result<&mut Self, CmsgEncodeError> {
        self.emit(SOL_IP, IP_TTL, &i32::from(ttl).to_ne_bytes())
    }

    /// `IPPROTO_IPV6`/`IPV6_TCLASS`: the traffic class (DSCP and [`Ecn`]
    /// bits) of this datagram.
    ///
    /// # Errors
    /// [`CmsgEncodeError::NoSpace`].
    ///
    /// # References
    /// - [ipv6(7)](https://man7.org/linux/man-pages/man7/ipv6.7.html)
    #[doc(alias = "IPV6_TCLASS")]
    pub fn ipv6_tclass(&mut self, tclass: u8) -> Result<&mut Self, CmsgEncodeError> {
        self.emit(SOL_IPV6, IPV6_TCLASS, &i32::from(tclass).to_ne_bytes())
    }

    /// `IPPROTO_IPV6`/`IPV6_HOPLIMIT`: the hop limit of this datagram.
    ///
    /// # Errors
    /// [`CmsgEncodeError::NoSpace`].
    ///
    /// # References
    /// - [ipv6(7)](https://man7.org/linux/man-pages/man7/ipv6.7.html)
    #[doc(alias = "IPV6_HOPLIMIT")]
    pub fn ipv6_hoplimit(&mut self, hops: u8) -> Result<&mut Self, CmsgEncodeError> {
        self.emit(SOL_IPV6, IPV6_HOPLIMIT, &i32::from(hops).to_ne_bytes())
    }

    /// `SOL_UDP`/`UDP_SEGMENT`: generic segmentation offload — the kernel
    /// (or the NIC) cuts the send into datagrams of `size` payload bytes,
    /// the last one possibly shorter.
    ///
    /// # Errors
    /// [`CmsgEncodeError::NoSpace`].
    ///
    /// # References
    /// - [udp(7)](https://man7.org/linux/man-pages/man7/udp.7.html)
    #[doc(alias = "UDP_SEGMENT")]
    pub fn udp_segment(&mut self, size: u16) -> Result<&mut Self, CmsgEncodeError> {
        self.emit(SOL_UDP, UDP_SEGMENT, &size.to_ne_bytes())
    }

    /// Any control message: `level`, `ty` and the payload as it is. Refuses
    /// `SCM_RIGHTS` and `SCM_PIDFD` (use [`rights`](Self::rights)): fds must
    /// be borrowed, not named by number.
    ///
    /// # Errors
    /// [`CmsgEncodeError::RawFds`]; [`CmsgEncodeError::NoSpace`].
    ///
    /// # References
    /// - [cmsg(3)](https://man7.org/linux/man-pages/man3/cmsg.3.html)
    pub fn raw(&mut self, level: i32, ty: i32, data: &[u8]) -> Result<&mut Self, CmsgEncodeError> {
        if level == SOL_SOCKET && (ty == SCM_RIGHTS || ty == SCM_PIDFD) {
            return Err(CmsgEncodeError::RawFds);
        }
        self.emit(level, ty, data)
    }

    /// Encodes a decoded message back into its bytes, in the form the kernel
    /// accepts on send (`IP_TOS` as an `int`, for one). Round-trips every
    /// [`Cmsg`] but the fd-carrying ones.
    ///
    /// # Errors
    /// [`CmsgEncodeError::RawFds`] for [`Cmsg::Rights`] and [`Cmsg::PidFd`];
    /// [`CmsgEncodeError::NoSpace`].
    pub fn push(&mut self, cmsg: &Cmsg<'_>) -> Result<&mut Self, CmsgEncodeError> {
        let int = |v: i32| v.to_ne_bytes();
        match *cmsg {
            Cmsg::Rights(_) | Cmsg::PidFd(_) => Err(CmsgEncodeError::RawFds),
            Cmsg::Credentials(cred) => self.credentials(cred),
            Cmsg::Timestamp(t) => self.emit(SOL_SOCKET, SCM_TIMESTAMP, &timeval_to_bytes(t)),
            Cmsg::TimestampNs(t) => self.emit(SOL_SOCKET, SCM_TIMESTAMPNS, &t.to_bytes()),
            Cmsg::Timestamping(ts) => self.emit_with(SOL_SOCKET, SCM_TIMESTAMPING, 3 * TimeSpec::SIZE, |d| {
                for (slot, t) in d.chunks_exact_mut(TimeSpec::SIZE).zip(ts) {
                    slot.copy_from_slice(&t.to_bytes());
                }
            }),
            Cmsg::RxqOverflow(drops) => self.emit(SOL_SOCKET, SO_RXQ_OVFL, &drops.to_ne_bytes()),
            Cmsg::Ipv4PktInfo(info) => self.ipv4_pktinfo(info),
            Cmsg::Ipv4Tos(tos) => self.ipv4_tos(tos),
            Cmsg::Ipv4Ttl(ttl) => self.ipv4_ttl(ttl),
            Cmsg::Ipv6PktInfo(info) => self.ipv6_pktinfo(info),
            Cmsg::Ipv6TClass(tclass) => self.ipv6_tclass(tclass),
            Cmsg::Ipv6HopLimit(hops) => self.ipv6_hoplimit(hops),
            Cmsg::UdpSegment(size) => self.udp_segment(size),
            Cmsg::UdpGro(size) => self.emit(SOL_UDP, UDP_GRO, &int(i32::from(size))),
            Cmsg::Other { level, ty, data } => self.raw(level, ty, data),
        }
    }

    fn emit(&mut self, level: i32, ty: i32, data: &[u8]) -> Result<&mut Self, CmsgEncodeError> {
        self.emit_with(level, ty, data.len(), |out| out.copy_from_slice(data))
    }

    /// Writes one message of `data_len` payload bytes, filled by `fill`,
    /// after checking that all of it fits; on error nothing is written.
    fn emit_with(
        &mut self,
        level: i32,
        ty: i32,
        data_len: usize,
        fill: impl FnOnce(&mut [u8]),
    ) -> Result<&mut Self, CmsgEncodeError> {
        // `data_len` is the length of a slice (at most isize::MAX), so the
        // sums below cannot overflow.
        let space = cmsg_space(data_len);
        let available = self.buf.len();
        if space > available - self.len {
            return Err(CmsgEncodeError::NoSpace {
                needed: self.len + space,
                available,
            });
        }
        let msg = &mut self.buf[self.len..self.len + space];
        msg[LEN_AT..LEN_AT + size_of::<usize>()].copy_from_slice(&cmsg_len(data_len).to_ne_bytes());
        msg[LEVEL_AT..LEVEL_AT + 4].copy_from_slice(&level.to_ne_bytes());
        msg[TYPE_AT..TYPE_AT + 4].copy_from_slice(&ty.to_ne_bytes());
        let (data, pad) = msg[HDR..].split_at_mut(data_len);
        fill(data);
        pad.fill(0);
        self.len += space;
        Ok(self)
    }
}

impl fmt::Debug for CmsgEncoder<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(CmsgIter::new(self.as_bytes())).finish()
    }
}

/// Encoded control messages ready for sendmsg(2): bytes written by a
/// [`CmsgEncoder`], with the fds they name borrowed for as long as it lives.
/// [`Control::NONE`] sends none.
///
/// ```
/// use zerosock::msg::Control;
/// assert!(Control::NONE.as_bytes().is_empty());
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct Control<'a> {
    bytes: &'a [u8],
}

impl Control<'static> {
    /// No control messages.
    pub const NONE: Self = Self { bytes: &[] };
}

impl<'a> Control<'a> {
    /// The encoded bytes.
    #[must_use]
    pub const fn as_bytes(self) -> &'a [u8] {
        self.bytes
    }
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
    /// `IPPROTO_IP`/`IP_TOS` (with `IP_RECVTOS`): the TOS byte; see [`Ecn`].
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
    /// class; see [`Ecn`].
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
            (SOL_SOCKET, SCM_RIGHTS) if data.len() % FD == 0 => Self::Rights(FdNumbers { bytes: data }),
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

    fn stop(&mut self) {
        self.offset = self.bytes.len();
    }
}

impl<'a> Iterator for RawCmsgs<'a> {
    type Item = Result<(i32, i32, &'a [u8]), CmsgDecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
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

/// The two explicit-congestion-notification bits of the IPv4 TOS byte or
/// the IPv6 traffic class (RFC 3168).
///
/// ```
/// use zerosock::msg::Ecn;
/// assert_eq!(Ecn::from_tos(0xb8 | 2), Ecn::Ect0);
/// assert_eq!(Ecn::Ect1.with_dscp(46), 0xb9);
/// ```
///
/// # References
/// - [ip(7)](https://man7.org/linux/man-pages/man7/ip.7.html)
/// - [RFC 3168](https://www.rfc-editor.org/rfc/rfc3168)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Ecn {
    /// `00`: not ECN-capable.
    NotEct = 0,
    /// `01`: ECN-capable transport, codepoint 1.
    Ect1 = 1,
    /// `10`: ECN-capable transport, codepoint 0.
    Ect0 = 2,
    /// `11`: congestion experienced.
    Ce = 3,
}

impl Ecn {
    /// The ECN bits of a TOS or traffic-class byte.
    #[must_use]
    pub const fn from_tos(tos: u8) -> Self {
        match tos & 3 {
            0 => Self::NotEct,
            1 => Self::Ect1,
            2 => Self::Ect0,
            _ => Self::Ce,
        }
    }

    /// The TOS / traffic-class byte with DSCP `dscp` (its low six bits) and
    /// these ECN bits.
    #[must_use]
    pub const fn with_dscp(self, dscp: u8) -> u8 {
        (dscp << 2) | self as u8
    }
}
