//! The control-message encoder: writes messages into a caller's buffer,
//! each at its `CMSG_SPACE`-aligned offset, byte by byte.
//!
//! Both address the buffer by offset from its start and read and write every
//! field byte by byte (`from_ne_bytes`/`to_ne_bytes`), so any `&mut [u8]`
//! works whatever its address: the kernel itself copies control data with
//! `copy_from_user`/`put_user`, which need no alignment, and computes the
//! `CMSG_ALIGN` padding relative to the start of `msg_control`, exactly as
//! we do. [`CmsgBuffer`](crate::msg::CmsgBuffer) is an 8-aligned array for callers who also hand the
//! same bytes to C code that casts pointers (`CMSG_FIRSTHDR`/`CMSG_DATA`).

use core::fmt;
use core::marker::PhantomData;

use rustix::fd::{AsRawFd, BorrowedFd};

use super::buffer::Control;
use super::decode::{Cmsg, CmsgIter};
use crate::abi::msg::cmsg_consts::*;
use crate::abi::msg::{
    In6PktInfo, InPktInfo, TimeSpec, cmsg_len, cmsg_space, timeval_to_bytes, ucred_to_bytes,
};
use crate::opt::UCred;

/// Why a control message could not be encoded. Nothing of the refused
/// message is written; the messages encoded before it stay.
///
/// ```
/// use zerosock::msg::{CmsgEncodeError, CmsgEncoder};
/// let mut small = [0u8; 8];
/// let mut cmsg = CmsgEncoder::new(&mut small);
/// // CMSG_SPACE(2): 24 bytes on 64-bit targets, 16 on 32-bit ones
/// let needed = if cfg!(target_pointer_width = "64") { 24 } else { 16 };
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

    /// `IPPROTO_IP`/`IP_TOS`: the TOS byte (DSCP and [`Ecn`](crate::opt::Ecn) bits) of this
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

    /// `IPPROTO_IPV6`/`IPV6_TCLASS`: the traffic class (DSCP and [`Ecn`](crate::opt::Ecn)
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
