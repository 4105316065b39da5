//! Batches: sendmmsg(2) and recvmmsg(2) over fixed arrays whose size is a
//! const generic, each message with its own buffer, address and control
//! space. The headers are rebuilt before every call, so the kernel's in/out
//! fields (`msg_namelen`, `msg_controllen`, `msg_flags`, `msg_len`) never
//! carry a previous call's values, and a batch can be moved between calls.

#![allow(unsafe_code)]

use core::ffi::c_void;
use core::fmt;
use core::mem::size_of;
use core::net::SocketAddr;
use core::ptr;

use rustix::fd::AsFd;
use rustix::io::IoSlice;

use super::io::received_flags;
use super::{CmsgIter, Control};
use crate::abi::msg::{MMsgHdr, MsgHdr};
use crate::addr::{SockAddr, SockAddrStorage, SockLen};
use crate::error::Errno;
use crate::flags::MsgFlags;
use crate::sys::msg::own_received_fds;
use crate::{Socket, sys};

const STORAGE_LEN: SockLen = size_of::<SockAddrStorage>() as SockLen;

/// `struct iovec`, filled from a receive buffer before each call.
#[repr(C)]
#[derive(Clone, Copy)]
struct IoVec {
    iov_base: *mut c_void,
    iov_len: usize,
}

impl IoVec {
    const EMPTY: Self = Self {
        iov_base: ptr::null_mut(),
        iov_len: 0,
    };
}

/// The batch has no room for another message.
///
/// ```
/// use zerosock::msg::{BatchFull, Control, SendBatch};
/// let mut batch = SendBatch::<1>::new();
/// batch.push(b"one", None, Control::NONE)?;
/// assert_eq!(batch.push(b"two", None, Control::NONE), Err(BatchFull));
/// # Ok::<(), BatchFull>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BatchFull;

impl fmt::Display for BatchFull {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the message batch is full")
    }
}

impl core::error::Error for BatchFull {}

/// Where one message's data lives.
#[derive(Clone, Copy)]
enum Data<'a> {
    /// One buffer, kept in `SendBatch::iovs` at the same index.
    One,
    /// The caller's own iovecs.
    Vectored(&'a [IoSlice<'a>]),
}

/// Up to `N` messages for one sendmmsg(2): each with its data, an optional
/// destination and control messages, all borrowed for `'a`.
///
/// ```
/// use zerosock::addr::SockAddr;
/// use zerosock::msg::{Control, SendBatch};
/// use zerosock::{Domain, MsgFlags, Protocol, Socket, Type};
/// use core::net::{Ipv4Addr, SocketAddrV4};
///
/// let rx = Socket::new(Domain::INET, Type::DGRAM, Protocol::UDP)?;
/// rx.bind(&SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0))?;
/// let to: SockAddr = rx.local_addr()?;
/// let tx = Socket::new(Domain::INET, Type::DGRAM, Protocol::UDP)?;
///
/// let mut batch = SendBatch::<4>::new();
/// for msg in [&b"one"[..], b"two", b"three"] {
///     batch.push(msg, Some(&to), Control::NONE).unwrap();
/// }
/// assert_eq!(tx.send_mmsg(&mut batch, MsgFlags::NONE)?, 3);
/// assert_eq!(batch.sent_len(2), Some(5));
/// # Ok::<(), zerosock::Errno>(())
/// ```
///
/// # References
/// - [sendmmsg(2)](https://man7.org/linux/man-pages/man2/sendmmsg.2.html)
pub struct SendBatch<'a, const N: usize> {
    hdrs: [MMsgHdr; N],
    iovs: [IoSlice<'a>; N],
    data: [Data<'a>; N],
    to: [Option<&'a SockAddr>; N],
    control: [Control<'a>; N],
    len: usize,
    sent: usize,
}

// SAFETY: the raw pointers in `hdrs` are written by `send_mmsg` just before
// the system call and never read by Rust code; everything they point to is
// borrowed for `'a` by shared references to `Sync` data.
unsafe impl<const N: usize> Send for SendBatch<'_, N> {}
// SAFETY: as above; `&SendBatch` reads only lengths.
unsafe impl<const N: usize> Sync for SendBatch<'_, N> {}

impl<'a, const N: usize> SendBatch<'a, N> {
    /// An empty batch.
    #[must_use]
    pub fn new() -> Self {
        Self {
            hdrs: [MMsgHdr::EMPTY; N],
            iovs: core::array::from_fn(|_| IoSlice::new(&[])),
            data: [Data::One; N],
            to: [None; N],
            control: [Control::NONE; N],
            len: 0,
            sent: 0,
        }
    }

    /// Adds a message: `data`, sent to `to` (or the connected peer if
    /// `None`), with `control`.
    ///
    /// # Errors
    /// [`BatchFull`] when it already holds `N` messages.
    pub fn push(
        &mut self,
        data: &'a [u8],
        to: Option<&'a SockAddr>,
        control: Control<'a>,
    ) -> Result<(), BatchFull> {
        let i = self.slot()?;
        self.iovs[i] = IoSlice::new(data);
        self.data[i] = Data::One;
        self.to[i] = to;
        self.control[i] = control;
        Ok(())
    }

    /// Adds a message gathered from several buffers.
    ///
    /// # Errors
    /// [`BatchFull`] when it already holds `N` messages.
    pub fn push_vectored(
        &mut self,
        bufs: &'a [IoSlice<'a>],
        to: Option<&'a SockAddr>,
        control: Control<'a>,
    ) -> Result<(), BatchFull> {
        let i = self.slot()?;
        self.data[i] = Data::Vectored(bufs);
        self.to[i] = to;
        self.control[i] = control;
        Ok(())
    }

    fn slot(&mut self) -> Result<usize, BatchFull> {
        if self.len == N {
            return Err(BatchFull);
        }
        self.len += 1;
        self.sent = 0;
        Ok(self.len - 1)
    }

    /// How many messages it holds.
    #[must_use]
    pub const fn len(&self) -> usize {
        self.len
    }

    /// Whether it holds none.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Removes every message.
    pub fn clear(&mut self) {
        self.len = 0;
        self.sent = 0;
    }

    /// Bytes of message `i` the last [`Socket::send_mmsg`] sent (`msg_len`),
    /// if it sent that message.
    #[must_use]
    pub fn sent_len(&self, i: usize) -> Option<usize> {
        (i < self.sent).then(|| self.hdrs[i].msg_len as usize)
    }

    /// Points every header at its message's buffers, address and control
    /// bytes, with every in/out field reset.
    fn prepare(&mut self) -> &mut [MMsgHdr] {
        let iovs = self.iovs.as_ptr();
        for i in 0..self.len {
            let (iov, iovlen) = match self.data[i] {
                Data::One => (iovs.wrapping_add(i), 1),
                Data::Vectored(bufs) => (bufs.as_ptr(), bufs.len()),
            };
            let control = self.control[i].as_bytes();
            let (name, namelen) = match self.to[i] {
                Some(addr) => (
                    ptr::from_ref(addr.storage()) as *mut c_void,
                    addr.len().min(STORAGE_LEN),
                ),
                None => (ptr::null_mut(), 0),
            };
            self.hdrs[i] = MMsgHdr {
                msg_hdr: MsgHdr {
                    msg_name: name,
                    msg_namelen: namelen,
                    msg_iov: iov as *mut c_void,
                    msg_iovlen: iovlen,
                    msg_control: if control.is_empty() {
                        ptr::null_mut()
                    } else {
                        control.as_ptr() as *mut c_void
                    },
                    msg_controllen: control.len(),
                    msg_flags: 0,
                },
                msg_len: 0,
            };
        }
        &mut self.hdrs[..self.len]
    }
}

impl<const N: usize> Default for SendBatch<'_, N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> fmt::Debug for SendBatch<'_, N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SendBatch")
            .field("capacity", &N)
            .field("len", &self.len)
            .field("sent", &self.sent)
            .finish()
    }
}

/// `N` receive slots for one recvmmsg(2): each a data buffer, an address
/// and optional control space, all borrowed for `'a`. After
/// [`Socket::recv_mmsg`], [`get`](Self::get) and [`iter`](Self::iter) show
/// what arrived.
///
/// fds passed with `SCM_RIGHTS` to a batch are closed at once and counted
/// in [`fds_closed`](Self::fds_closed); receive them with
/// [`Socket::recv_msg`] to keep them.
///
/// ```
/// use zerosock::msg::RecvBatch;
/// use zerosock::{Domain, MsgFlags, Protocol, Socket, Type};
/// use core::net::{Ipv4Addr, SocketAddrV4};
///
/// let rx = Socket::new(Domain::INET, Type::DGRAM, Protocol::UDP)?;
/// rx.bind(&SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0))?;
/// let tx = Socket::new(Domain::INET, Type::DGRAM, Protocol::UDP)?;
/// tx.bind(&SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0))?;
/// tx.send_to(b"a", &rx.local_addr()?)?;
/// tx.send_to(b"bc", &rx.local_addr()?)?;
///
/// let mut space = [[0u8; 1500]; 8];
/// let mut batch = RecvBatch::new(space.each_mut().map(|b| &mut b[..]));
/// let n = rx.recv_mmsg(&mut batch, MsgFlags::WAITFORONE)?;
/// assert!(n >= 1);
/// let first = batch.get(0).unwrap();
/// assert_eq!(first.data, b"a");
/// assert_eq!(first.source(), Some(tx.local_addr()?.socket_addr().unwrap()));
/// # Ok::<(), zerosock::Errno>(())
/// ```
///
/// # References
/// - [recvmmsg(2)](https://man7.org/linux/man-pages/man2/recvmmsg.2.html)
pub struct RecvBatch<'a, const N: usize> {
    hdrs: [MMsgHdr; N],
    iovs: [IoVec; N],
    bufs: [&'a mut [u8]; N],
    addrs: [SockAddr; N],
    control: [&'a mut [u8]; N],
    received: usize,
    fds_closed: usize,
}

// SAFETY: the raw pointers in `hdrs` are written by `recv_mmsg` just before
// the system call and never read by Rust code; the memory they point to is
// borrowed mutably for `'a` by the batch itself.
unsafe impl<const N: usize> Send for RecvBatch<'_, N> {}
// SAFETY: as above; `&RecvBatch` only reads.
unsafe impl<const N: usize> Sync for RecvBatch<'_, N> {}

impl<'a, const N: usize> RecvBatch<'a, N> {
    /// A batch receiving message `i` into `bufs[i]`, without control space.
    #[must_use]
    pub fn new(bufs: [&'a mut [u8]; N]) -> Self {
        Self {
            hdrs: [MMsgHdr::EMPTY; N],
            iovs: [IoVec::EMPTY; N],
            bufs,
            addrs: [SockAddr::EMPTY; N],
            control: core::array::from_fn(|_| <&mut [u8]>::default()),
            received: 0,
            fds_closed: 0,
        }
    }

    /// Gives message `i` the control space `control[i]` (size it with
    /// [`cmsg_space`](super::cmsg_space)).
    #[must_use]
    pub fn with_control(mut self, control: [&'a mut [u8]; N]) -> Self {
        self.control = control;
        self
    }

    /// How many messages the last [`Socket::recv_mmsg`] received.
    #[must_use]
    pub const fn len(&self) -> usize {
        self.received
    }

    /// Whether the last call received nothing (or there was none yet).
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.received == 0
    }

    /// fds that arrived with the last call's messages and were closed.
    #[must_use]
    pub const fn fds_closed(&self) -> usize {
        self.fds_closed
    }

    /// Message `i` of the last call, if it received that many.
    #[must_use]
    pub fn get(&self, i: usize) -> Option<Received<'_>> {
        if i >= self.received {
            return None;
        }
        let hdr = &self.hdrs[i];
        let buf: &[u8] = self.bufs[i];
        let len = hdr.msg_len as usize;
        let control: &[u8] = self.control[i];
        Some(Received {
            data: &buf[..len.min(buf.len())],
            len,
            flags: received_flags(hdr.msg_hdr.msg_flags),
            addr: &self.addrs[i],
            control: &control[..hdr.msg_hdr.msg_controllen.min(control.len())],
        })
    }

    /// The messages of the last call, in order.
    pub fn iter(&self) -> impl Iterator<Item = Received<'_>> {
        (0..self.received).filter_map(|i| self.get(i))
    }
}

impl<const N: usize> fmt::Debug for RecvBatch<'_, N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecvBatch")
            .field("capacity", &N)
            .field("received", &self.received)
            .finish()
    }
}

/// One message of a [`RecvBatch`].
///
/// ```
/// # use zerosock::msg::RecvBatch;
/// # use zerosock::{Domain, MsgFlags, Protocol, Socket, Type};
/// # let rx = Socket::new(Domain::INET, Type::DGRAM, Protocol::UDP)?;
/// # rx.bind(&"127.0.0.1:0".parse::<core::net::SocketAddr>().unwrap())?;
/// # rx.send_to(b"self", &rx.local_addr()?)?;
/// let mut space = [[0u8; 64]; 2];
/// let mut batch = RecvBatch::new(space.each_mut().map(|b| &mut b[..]));
/// rx.recv_mmsg(&mut batch, MsgFlags::WAITFORONE)?;
/// for msg in batch.iter() {
///     assert_eq!((msg.data, msg.len, msg.is_truncated()), (&b"self"[..], 4, false));
/// }
/// # Ok::<(), zerosock::Errno>(())
/// ```
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct Received<'b> {
    /// The data received into the message's buffer.
    pub data: &'b [u8],
    /// `msg_len`: bytes received (with `MSG_TRUNC` passed, the datagram's
    /// full length, which may exceed `data`).
    pub len: usize,
    /// `msg_flags`: `MSG_TRUNC`, `MSG_CTRUNC`, …
    pub flags: MsgFlags,
    /// The sender's address as the kernel wrote it.
    pub addr: &'b SockAddr,
    /// The control bytes the kernel wrote.
    pub control: &'b [u8],
}

impl<'b> Received<'b> {
    /// The sender's IP socket address, if it is one.
    #[must_use]
    pub fn source(&self) -> Option<SocketAddr> {
        self.addr.socket_addr()
    }

    /// `MSG_TRUNC`: the datagram was longer than the buffer.
    #[must_use]
    pub const fn is_truncated(&self) -> bool {
        self.flags.contains(MsgFlags::TRUNC)
    }

    /// The control messages, decoded.
    #[must_use]
    pub fn cmsgs(&self) -> CmsgIter<'b> {
        CmsgIter::new(self.control)
    }
}

impl Socket {
    /// Sends every message of `batch` in one sendmmsg(2) (`MSG_NOSIGNAL` is
    /// always added). Returns how many were sent, which may be fewer; their
    /// byte counts are in [`SendBatch::sent_len`]. An error means none was
    /// sent.
    ///
    /// ```
    /// use zerosock::msg::{Control, SendBatch};
    /// use zerosock::{Domain, MsgFlags, Protocol, Socket, Type};
    /// let (a, b) = Socket::pair(Domain::UNIX, Type::DGRAM, Protocol::DEFAULT)?;
    /// let mut batch = SendBatch::<2>::new();
    /// batch.push(b"x", None, Control::NONE).unwrap();
    /// batch.push(b"yz", None, Control::NONE).unwrap();
    /// assert_eq!(a.send_mmsg(&mut batch, MsgFlags::NONE)?, 2);
    /// # Ok::<(), zerosock::Errno>(())
    /// ```
    ///
    /// # References
    /// - [sendmmsg(2)](https://man7.org/linux/man-pages/man2/sendmmsg.2.html)
    #[doc(alias = "sendmmsg")]
    pub fn send_mmsg<const N: usize>(
        &self,
        batch: &mut SendBatch<'_, N>,
        flags: MsgFlags,
    ) -> Result<usize, Errno> {
        batch.sent = 0;
        let hdrs = batch.prepare();
        // SAFETY: `prepare` pointed every header at memory the batch borrows
        // for `'a` (buffers, iovecs, addresses, control bytes) or owns
        // (`iovs`), with their sizes; none of it moves during the call.
        let sent = unsafe { sys::sendmmsg(self.as_fd(), hdrs, flags | MsgFlags::NOSIGNAL) }?;
        batch.sent = sent;
        Ok(sent)
    }

    /// Receives up to `N` messages into `batch` in one recvmmsg(2) (always
    /// with `MSG_CMSG_CLOEXEC`, and no timeout: the kernel's is checked only
    /// between messages). Returns how many arrived; `MSG_WAITFORONE` makes it
    /// wait only for the first. fds passed with them are closed (see
    /// [`RecvBatch`]).
    ///
    /// ```
    /// use zerosock::msg::RecvBatch;
    /// use zerosock::{Domain, MsgFlags, Protocol, Socket, Type};
    /// let (a, b) = Socket::pair(Domain::UNIX, Type::DGRAM, Protocol::DEFAULT)?;
    /// a.send(b"1")?;
    /// a.send(b"22")?;
    /// let mut space = [[0u8; 16]; 4];
    /// let mut batch = RecvBatch::new(space.each_mut().map(|b| &mut b[..]));
    /// assert_eq!(b.recv_mmsg(&mut batch, MsgFlags::DONTWAIT)?, 2);
    /// assert_eq!(batch.get(1).unwrap().data, b"22");
    /// # Ok::<(), zerosock::Errno>(())
    /// ```
    ///
    /// # References
    /// - [recvmmsg(2)](https://man7.org/linux/man-pages/man2/recvmmsg.2.html)
    #[doc(alias = "recvmmsg")]
    pub fn recv_mmsg<const N: usize>(
        &self,
        batch: &mut RecvBatch<'_, N>,
        flags: MsgFlags,
    ) -> Result<usize, Errno> {
        batch.received = 0;
        batch.fds_closed = 0;
        for (iov, buf) in batch.iovs.iter_mut().zip(batch.bufs.iter_mut()) {
            *iov = IoVec {
                iov_base: buf.as_mut_ptr().cast(),
                iov_len: buf.len(),
            };
        }
        let iovs = batch.iovs.as_mut_ptr();
        for i in 0..N {
            let (name, _) = batch.addrs[i].kernel_out();
            let control = &mut *batch.control[i];
            batch.hdrs[i] = MMsgHdr {
                msg_hdr: MsgHdr {
                    msg_name: name.cast(),
                    msg_namelen: STORAGE_LEN,
                    msg_iov: iovs.wrapping_add(i).cast(),
                    msg_iovlen: 1,
                    msg_control: if control.is_empty() {
                        ptr::null_mut()
                    } else {
                        control.as_mut_ptr().cast()
                    },
                    msg_controllen: control.len(),
                    msg_flags: 0,
                },
                msg_len: 0,
            };
        }
        // SAFETY: every header points at memory the batch holds for the call
        // with the sizes given: its address storage, its iovec `i` (pointing
        // at buffer `i`, which it borrows mutably) and its control space `i`.
        let received =
            unsafe { sys::recvmmsg(self.as_fd(), &mut batch.hdrs, flags | MsgFlags::CMSG_CLOEXEC) }?;
        for i in 0..received {
            let hdr = &batch.hdrs[i].msg_hdr;
            let (_, len) = batch.addrs[i].kernel_out();
            // SAFETY: `len` points at this address's length, borrowed here.
            unsafe { *len = hdr.msg_namelen };
            let control: &[u8] = batch.control[i];
            let control = &control[..hdr.msg_controllen.min(control.len())];
            // SAFETY: the kernel has just written these control bytes.
            batch.fds_closed += unsafe { own_received_fds(control, Some) };
        }
        batch.received = received;
        Ok(received)
    }
}
