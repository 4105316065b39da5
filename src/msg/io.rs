//! `sendmsg`/`recvmsg` on [`Socket`]: data in the caller's buffers, control
//! messages in the caller's buffer, the sender's address written by the
//! kernel straight into a [`SockAddr`], received fds owned at once.

use rustix::fd::{AsFd, OwnedFd};
use rustix::io::{IoSlice, IoSliceMut};

use super::buffer::Control;
use super::decode::CmsgIter;
use crate::addr::{SockAddr, SocketAddrArg};
use crate::error::Errno;
use crate::flags::MsgFlags;
use crate::{Socket, sys};

/// A fixed-capacity container for received fds: a [`heapless::Vec`] of
/// [`OwnedFd`]. Pass it to [`Socket::recv_msg`] as `Some(&mut fds)`.
///
/// ```
/// use zerosock::msg::FdVec;
/// let fds = FdVec::<4>::new();
/// assert_eq!(fds.capacity(), 4);
/// ```
pub type FdVec<const N: usize> = heapless::Vec<OwnedFd, N>;

/// Any [`FdVec`], its capacity erased: what [`Socket::recv_msg`] takes.
/// `&mut FdVec<N>` turns into `&mut FdVecView` by itself.
///
/// ```
/// use zerosock::msg::{FdVec, FdVecView};
/// let mut fds = FdVec::<2>::new();
/// let view: &mut FdVecView = &mut fds;
/// assert!(view.is_empty());
/// ```
pub type FdVecView = heapless::VecView<OwnedFd>;

/// What one recvmsg(2) returned.
///
/// ```
/// use zerosock::msg::CmsgBuffer;
/// use zerosock::{Domain, IoSliceMut, MsgFlags, Protocol, Socket, Type};
/// let (a, b) = Socket::pair(Domain::UNIX, Type::DGRAM, Protocol::DEFAULT)?;
/// a.send(b"hi")?;
/// let mut buf = [0u8; 8];
/// let mut control = CmsgBuffer::<64>::new();
/// let msg = b.recv_msg(&mut [IoSliceMut::new(&mut buf)], &mut control, None, None, MsgFlags::NONE)?;
/// assert_eq!((msg.bytes, msg.control_len, msg.fds_closed), (2, 0, 0));
/// assert!(!msg.is_truncated() && !msg.is_control_truncated());
/// # Ok::<(), zerosock::Errno>(())
/// ```
///
/// # References
/// - [recvmsg(2)](https://man7.org/linux/man-pages/man2/recvmsg.2.html)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecvMsg {
    /// Bytes received (recvmsg(2)'s return value; with `MSG_TRUNC` in the
    /// flags passed, a datagram's full length).
    pub bytes: usize,
    /// `msg_flags`: `MSG_TRUNC`, `MSG_CTRUNC`, `MSG_EOR`, `MSG_OOB`,
    /// `MSG_ERRQUEUE` (without the `MSG_CMSG_CLOEXEC` the kernel echoes
    /// back, which zerosock always passes).
    pub flags: MsgFlags,
    /// `msg_controllen`: how many bytes of the control buffer the kernel
    /// filled.
    pub control_len: usize,
    /// fds the kernel delivered (`SCM_RIGHTS`, `SCM_PIDFD`) that were closed
    /// because no container was given or it was full.
    pub fds_closed: usize,
}

impl RecvMsg {
    /// `MSG_TRUNC`: the datagram was longer than the buffers; the rest is
    /// lost.
    #[must_use]
    pub const fn is_truncated(&self) -> bool {
        self.flags.contains(MsgFlags::TRUNC)
    }

    /// `MSG_CTRUNC`: control messages did not fit in the control buffer.
    /// fds that did not fit were never installed; those that were are in
    /// the container or counted in [`fds_closed`](Self::fds_closed).
    #[must_use]
    pub const fn is_control_truncated(&self) -> bool {
        self.flags.contains(MsgFlags::CTRUNC)
    }

    /// The control messages, decoded from the control buffer passed to the
    /// call. `SCM_RIGHTS` messages show fd numbers only: the fds themselves
    /// are already in the container, or closed.
    #[must_use]
    pub fn cmsgs<'c>(&self, control: &'c [u8]) -> CmsgIter<'c> {
        CmsgIter::new(&control[..self.control_len.min(control.len())])
    }
}

impl Socket {
    /// Sends the data in `bufs` with the control messages `control`, on a
    /// connected socket (sendmsg(2) with no address; `MSG_NOSIGNAL` is
    /// always added to `flags`).
    ///
    /// ```
    /// use zerosock::msg::{CmsgBuffer, CmsgEncoder, Ecn};
    /// use zerosock::{Domain, IoSlice, MsgFlags, Protocol, Socket, Type};
    /// use core::net::{Ipv4Addr, SocketAddrV4};
    /// let rx = Socket::new(Domain::INET, Type::DGRAM, Protocol::UDP)?;
    /// rx.bind(&SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0))?;
    /// let tx = Socket::new(Domain::INET, Type::DGRAM, Protocol::UDP)?;
    /// tx.connect(&rx.local_addr()?)?;
    /// let mut space = CmsgBuffer::<24>::new();
    /// let mut cmsg = CmsgEncoder::new(&mut space);
    /// cmsg.ipv4_tos(Ecn::Ect0.with_dscp(0)).unwrap();
    /// assert_eq!(tx.send_msg(&[IoSlice::new(b"a"), IoSlice::new(b"bc")], cmsg.control(), MsgFlags::NONE)?, 3);
    /// # Ok::<(), zerosock::Errno>(())
    /// ```
    ///
    /// # References
    /// - [sendmsg(2)](https://man7.org/linux/man-pages/man2/sendmsg.2.html)
    /// - [cmsg(3)](https://man7.org/linux/man-pages/man3/cmsg.3.html)
    #[doc(alias = "sendmsg")]
    pub fn send_msg(
        &self,
        bufs: &[IoSlice<'_>],
        control: Control<'_>,
        flags: MsgFlags,
    ) -> Result<usize, Errno> {
        sys::msg::sendmsg(self.as_fd(), bufs, control.as_bytes(), flags | MsgFlags::NOSIGNAL)
    }

    /// Sends the data in `bufs` with the control messages `control` to
    /// `addr` (sendmsg(2) with `msg_name`, passed by pointer as it is;
    /// `MSG_NOSIGNAL` is always added).
    ///
    /// ```
    /// use zerosock::msg::{CmsgBuffer, CmsgEncoder};
    /// use zerosock::{Domain, IoSlice, MsgFlags, Protocol, Socket, Type};
    /// use core::net::{Ipv4Addr, SocketAddrV4};
    /// let rx = Socket::new(Domain::INET, Type::DGRAM, Protocol::UDP)?;
    /// rx.bind(&SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0))?;
    /// let tx = Socket::new(Domain::INET, Type::DGRAM, Protocol::UDP)?;
    /// let mut space = CmsgBuffer::<24>::new();
    /// let mut cmsg = CmsgEncoder::new(&mut space);
    /// cmsg.ipv4_ttl(9).unwrap();
    /// tx.send_msg_to(&[IoSlice::new(b"ttl 9")], cmsg.control(), &rx.local_addr()?, MsgFlags::NONE)?;
    /// # Ok::<(), zerosock::Errno>(())
    /// ```
    ///
    /// # References
    /// - [sendmsg(2)](https://man7.org/linux/man-pages/man2/sendmsg.2.html)
    #[doc(alias = "sendmsg")]
    pub fn send_msg_to(
        &self,
        bufs: &[IoSlice<'_>],
        control: Control<'_>,
        addr: &impl SocketAddrArg,
        flags: MsgFlags,
    ) -> Result<usize, Errno> {
        sys::msg::sendmsg_to(
            self.as_fd(),
            bufs,
            control.as_bytes(),
            addr,
            flags | MsgFlags::NOSIGNAL,
        )
    }

    /// Receives a message (recvmsg(2), always with `MSG_CMSG_CLOEXEC`, but
    /// on the sockets that refuse it and carry no fds, such as packet
    /// sockets):
    /// data into `bufs` in order, control messages into `control`, the
    /// sender's address (if `from` is given) straight into that
    /// [`SockAddr`].
    ///
    /// fds that arrive (`SCM_RIGHTS`, `SCM_PIDFD`) are owned at once: pushed
    /// into `fds`, and those that do not fit — or all of them when `fds` is
    /// `None` — are closed and counted in [`RecvMsg::fds_closed`]. None can
    /// leak, including when the control buffer was too small
    /// ([`RecvMsg::is_control_truncated`]). Size `control` with
    /// [`cmsg_space`](super::cmsg_space).
    ///
    /// ```
    /// use zerosock::msg::{CmsgBuffer, CmsgEncoder, FdVec, cmsg_space};
    /// use zerosock::{Domain, IoSlice, IoSliceMut, MsgFlags, Protocol, Socket, Type};
    /// use zerosock::fd::AsFd;
    /// let (a, b) = Socket::pair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT)?;
    /// let (spare, _) = Socket::pair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT)?;
    ///
    /// let mut out = CmsgBuffer::<{ cmsg_space(4) }>::new();
    /// let mut cmsg = CmsgEncoder::new(&mut out);
    /// cmsg.rights(&[spare.as_fd()]).unwrap();
    /// a.send_msg(&[IoSlice::new(b"fd")], cmsg.control(), MsgFlags::NONE)?;
    ///
    /// let mut buf = [0u8; 2];
    /// let mut control = CmsgBuffer::<{ cmsg_space(4) }>::new();
    /// let mut fds = FdVec::<1>::new();
    /// let msg = b.recv_msg(&mut [IoSliceMut::new(&mut buf)], &mut control, None, Some(&mut fds), MsgFlags::NONE)?;
    /// assert_eq!((msg.bytes, fds.len(), msg.fds_closed), (2, 1, 0));
    /// # Ok::<(), zerosock::Errno>(())
    /// ```
    ///
    /// # References
    /// - [recvmsg(2)](https://man7.org/linux/man-pages/man2/recvmsg.2.html)
    /// - [unix(7)](https://man7.org/linux/man-pages/man7/unix.7.html)
    #[doc(alias = "recvmsg")]
    pub fn recv_msg(
        &self,
        bufs: &mut [IoSliceMut<'_>],
        control: &mut [u8],
        from: Option<&mut SockAddr>,
        mut fds: Option<&mut FdVecView>,
        flags: MsgFlags,
    ) -> Result<RecvMsg, Errno> {
        let mut from = from;
        let mut keep = |fd| match fds.as_deref_mut() {
            Some(sink) => sink.push(fd).err(),
            None => Some(fd),
        };
        let cloexec = flags | MsgFlags::CMSG_CLOEXEC;
        let received = match sys::msg::recvmsg(
            self.as_fd(),
            bufs,
            control,
            from.as_deref_mut(),
            cloexec,
            &mut keep,
        ) {
            // Packet sockets refuse the flag before taking anything, and
            // carry no fds: the same call without it.
            Err(Errno::INVAL) if !flags.contains(MsgFlags::CMSG_CLOEXEC) => {
                sys::msg::recvmsg(self.as_fd(), bufs, control, from, flags, keep)
            }
            other => other,
        }?;
        Ok(RecvMsg {
            bytes: received.bytes,
            flags: received_flags(received.flags),
            control_len: received.control_len,
            fds_closed: received.fds_closed,
        })
    }
}

/// `msg_flags` as the caller should see them: the kernel echoes the
/// `MSG_CMSG_CLOEXEC` that zerosock always passes, which is noise to callers.
pub(crate) const fn received_flags(raw: u32) -> MsgFlags {
    MsgFlags::from_raw(raw).difference(MsgFlags::CMSG_CLOEXEC)
}
