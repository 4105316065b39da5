//! The message calls where users of the typed sockets expect them: fd
//! passing on Unix sockets; GSO send and GRO receive on UDP (the UDP
//! batches are in `batch`).

use core::mem::size_of;
use core::net::SocketAddr;

use rustix::fd::BorrowedFd;
use rustix::io::{IoSlice, IoSliceMut};

use crate::abi::msg::cmsg_space;
use crate::addr::{SockAddr, SockAddrIn, SockAddrIn6};
use crate::error::{Errno, Error};
use crate::flags::MsgFlags;
use crate::msg::{Cmsg, CmsgBuffer, CmsgEncoder, Control, FdVecView, RecvMsg, SCM_MAX_FD};
use crate::{UdpSocket, UnixDatagram, UnixSeqpacket, UnixStream};

/// Control space for the most fds one message can carry.
const SEND_FDS_SPACE: usize = cmsg_space(SCM_MAX_FD * size_of::<i32>());
/// Control space for receiving: the most fds, plus the credentials and pidfd
/// the kernel adds first when `SO_PASSCRED`/`SO_PASSPIDFD` are on.
const RECV_FDS_SPACE: usize = SEND_FDS_SPACE + cmsg_space(12) + cmsg_space(4);

/// Adds `send_fds`/`recv_fds` to a Unix socket type; `stream` refuses fds
/// without data, which a stream would silently drop.
macro_rules! fd_passing {
    ($name:ident, stream: $stream:literal, $errors:literal) => {
        impl $name {
            /// Sends `data` with `fds` attached (`SCM_RIGHTS`, one sendmsg(2)
            /// with `MSG_NOSIGNAL`): the receiver gets its own fds for the
            /// same open files. Returns the data bytes sent.
            ///
            /// ```
            #[doc = concat!("use zerosock::", stringify!($name), ";")]
            /// use zerosock::fd::AsFd;
            /// use zerosock::msg::FdVec;
            ///
            #[doc = concat!("let (a, b) = ", stringify!($name), "::pair()?;")]
            /// // Any fd will do: here, one end of another pair.
            #[doc = concat!("let (spare, _keep) = ", stringify!($name), "::pair()?;")]
            /// a.send_fds(b"fd", &[spare.as_fd()])?;
            ///
            /// let mut buf = [0u8; 2];
            /// let mut fds = FdVec::<4>::new();
            /// let msg = b.recv_fds(&mut buf, &mut fds)?;
            /// assert_eq!((msg.bytes, &buf, fds.len(), msg.fds_closed), (2, b"fd", 1, 0));
            /// // `fds[0]` is a new fd, owned: it closes when dropped.
            /// # Ok::<(), zerosock::Error>(())
            /// ```
            ///
            /// # Errors
            #[doc = $errors]
            ///
            /// # References
            /// - [unix(7)](https://man7.org/linux/man-pages/man7/unix.7.html)
            /// - [sendmsg(2)](https://man7.org/linux/man-pages/man2/sendmsg.2.html)
            #[doc(alias = "SCM_RIGHTS")]
            pub fn send_fds(&self, data: &[u8], fds: &[BorrowedFd<'_>]) -> Result<usize, Error> {
                if $stream && data.is_empty() {
                    return Err(Error::InvalidInput(
                        "a stream passes fds only with at least one byte of data",
                    ));
                }
                let mut space = CmsgBuffer::<SEND_FDS_SPACE>::new();
                let mut cmsg = CmsgEncoder::new(&mut space);
                cmsg.rights(fds)?;
                Ok(self
                    .as_socket()
                    .send_msg(&[IoSlice::new(data)], cmsg.control(), MsgFlags::NONE)?)
            }

            /// Receives data into `buf` and the fds sent with it into `fds`
            /// (one recvmsg(2) with `MSG_CMSG_CLOEXEC`). fds beyond `fds`'s
            /// capacity are closed and counted in [`RecvMsg::fds_closed`];
            /// [`RecvMsg::is_control_truncated`] says the kernel had to drop
            /// some. Other control messages are not returned (use
            /// [`Socket::recv_msg`](crate::Socket::recv_msg) for them). See
            /// [`send_fds`](Self::send_fds) for an example of both.
            ///
            /// # References
            /// - [unix(7)](https://man7.org/linux/man-pages/man7/unix.7.html)
            /// - [recvmsg(2)](https://man7.org/linux/man-pages/man2/recvmsg.2.html)
            #[doc(alias = "SCM_RIGHTS")]
            pub fn recv_fds(&self, buf: &mut [u8], fds: &mut FdVecView) -> Result<RecvMsg, Errno> {
                let mut control = CmsgBuffer::<RECV_FDS_SPACE>::new();
                self.as_socket().recv_msg(
                    &mut [IoSliceMut::new(buf)],
                    &mut control,
                    None,
                    Some(fds),
                    MsgFlags::NONE,
                )
            }
        }
    };
}

fd_passing!(
    UnixStream,
    stream: true,
    "[`Error::InvalidInput`] before any call for more than [`SCM_MAX_FD`] fds or for empty `data` \
     (a stream carries fds only with at least one byte); otherwise the kernel's error."
);
fd_passing!(
    UnixDatagram,
    stream: false,
    "[`Error::InvalidInput`] before any call for more than [`SCM_MAX_FD`] fds; otherwise the kernel's error."
);
fd_passing!(
    UnixSeqpacket,
    stream: false,
    "[`Error::InvalidInput`] before any call for more than [`SCM_MAX_FD`] fds; otherwise the kernel's error."
);

/// What [`UdpSocket::recv_gro`] received: one datagram, or several of the
/// same size coalesced by GRO.
///
/// ```
/// # use zerosock::msg::GroRecv;
/// fn show(buf: &[u8], got: &GroRecv) {
///     for datagram in got.segments(buf) {
///         println!("{} bytes from {:?}", datagram.len(), got.from);
///     }
/// }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct GroRecv {
    /// Bytes received.
    pub len: usize,
    /// The sender.
    pub from: Option<SocketAddr>,
    /// The `UDP_GRO` segment size when the buffer holds coalesced
    /// datagrams; `None` for a single datagram.
    pub segment_size: Option<u16>,
    /// `msg_flags`.
    pub flags: MsgFlags,
}

impl GroRecv {
    /// The datagrams in the first [`len`](Self::len) bytes of `buf` (the
    /// buffer passed to the call): cut at the segment size, the last one
    /// possibly shorter.
    pub fn segments<'b>(&self, buf: &'b [u8]) -> core::slice::Chunks<'b, u8> {
        let data = &buf[..self.len.min(buf.len())];
        let size = self.segment_size.map_or(data.len(), usize::from).max(1);
        data.chunks(size)
    }
}

impl UdpSocket {
    /// Sends `buf` to the connected peer as datagrams of `segment_size`
    /// bytes (the last may be shorter), cut by the kernel or the NIC
    /// (generic segmentation offload: one sendmsg(2) with a `UDP_SEGMENT`
    /// control message). The kernel takes at most 64 segments and 64 KiB
    /// per call (`EINVAL` beyond).
    ///
    /// ```
    /// use zerosock::UdpSocket;
    /// use core::net::Ipv4Addr;
    /// let rx = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0))?;
    /// let tx = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0))?;
    /// tx.connect(rx.local_addr()?)?;
    /// assert_eq!(tx.send_gso(&[7u8; 3000], 1000)?, 3000); // three datagrams
    /// # Ok::<(), zerosock::Errno>(())
    /// ```
    ///
    /// # References
    /// - [udp(7)](https://man7.org/linux/man-pages/man7/udp.7.html)
    #[doc(alias = "UDP_SEGMENT")]
    pub fn send_gso(&self, buf: &[u8], segment_size: u16) -> Result<usize, Errno> {
        let mut space = CmsgBuffer::<{ cmsg_space(2) }>::new();
        let control = gso_control(&mut space, segment_size)?;
        self.as_socket()
            .send_msg(&[IoSlice::new(buf)], control, MsgFlags::NONE)
    }

    /// [`send_gso`](Self::send_gso) to `addr`.
    ///
    /// # References
    /// - [udp(7)](https://man7.org/linux/man-pages/man7/udp.7.html)
    #[doc(alias = "UDP_SEGMENT")]
    pub fn send_to_gso(
        &self,
        buf: &[u8],
        segment_size: u16,
        addr: impl Into<SocketAddr>,
    ) -> Result<usize, Errno> {
        let mut space = CmsgBuffer::<{ cmsg_space(2) }>::new();
        let control = gso_control(&mut space, segment_size)?;
        let bufs = [IoSlice::new(buf)];
        match addr.into() {
            SocketAddr::V4(v4) => {
                self.as_socket()
                    .send_msg_to(&bufs, control, &SockAddrIn::new(v4), MsgFlags::NONE)
            }
            SocketAddr::V6(v6) => {
                self.as_socket()
                    .send_msg_to(&bufs, control, &SockAddrIn6::new(v6), MsgFlags::NONE)
            }
        }
    }

    /// Receives into `buf` one datagram — or, on a socket with `UDP_GRO`
    /// enabled, several that GRO coalesced, each of
    /// [`GroRecv::segment_size`] bytes but the last
    /// ([`GroRecv::segments`] cuts them apart). Size `buf` for 64 KiB to
    /// take a whole coalesced batch. Enable GRO with
    /// [`Socket::set_udp_gro`](crate::Socket::set_udp_gro).
    ///
    /// ```
    /// use zerosock::UdpSocket;
    /// use core::net::Ipv4Addr;
    /// let rx = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0))?;
    /// rx.as_socket().set_udp_gro(true)?;
    /// let tx = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0))?;
    /// tx.send_to_gso(&[1u8; 300], 100, rx.local_addr()?)?;
    ///
    /// let mut buf = [0u8; 65536];
    /// let got = rx.recv_gro(&mut buf)?;
    /// let total: usize = got.segments(&buf).map(<[u8]>::len).sum();
    /// assert!(total == 100 || total == 300); // coalesced, or the first alone
    /// # Ok::<(), zerosock::Errno>(())
    /// ```
    ///
    /// # References
    /// - [udp(7)](https://man7.org/linux/man-pages/man7/udp.7.html)
    #[doc(alias = "UDP_GRO")]
    pub fn recv_gro(&self, buf: &mut [u8]) -> Result<GroRecv, Errno> {
        let mut control = CmsgBuffer::<128>::new();
        let mut from = SockAddr::EMPTY;
        let msg = self.as_socket().recv_msg(
            &mut [IoSliceMut::new(buf)],
            &mut control,
            Some(&mut from),
            None,
            MsgFlags::NONE,
        )?;
        let segment_size = msg.cmsgs(&control).find_map(|cmsg| match cmsg {
            Ok(Cmsg::UdpGro(size)) => Some(size),
            _ => None,
        });
        Ok(GroRecv {
            len: msg.bytes,
            from: from.socket_addr(),
            segment_size,
            flags: msg.flags,
        })
    }
}

/// One `UDP_SEGMENT` message in `space` (sized for exactly that, so the
/// encoder cannot fail; if it somehow did, the send fails with `EINVAL`
/// rather than going out without segmentation).
fn gso_control<const N: usize>(space: &mut CmsgBuffer<N>, segment_size: u16) -> Result<Control<'_>, Errno> {
    let mut cmsg = CmsgEncoder::new(space);
    cmsg.udp_segment(segment_size).map_err(|_| Errno::INVAL)?;
    Ok(cmsg.into_control())
}
