//! Batches: sendmmsg(2) and recvmmsg(2) over fixed arrays whose size is a
//! const generic, each message with its own buffer, address and control
//! space.
//!
//! The headers persist: a [`SendBatch`]'s are written as its messages are
//! added and sent unchanged as often as the batch is sent; a
//! [`RecvBatch`]'s are written when it is made, and before each call only
//! the in/out fields the last call overwrote are reset (`msg_namelen`, and
//! `msg_controllen` when there is control space), for the messages it
//! received. A batch can be moved between calls: the pointers into itself
//! are re-pointed when it has moved. The headers, and the code that
//! points them, live in `sys::mmsg`.

use core::fmt;
use core::net::SocketAddr;

use rustix::io::IoSlice;

use super::io::received_flags;
use super::{CmsgIter, Control};
use crate::Socket;
use crate::addr::{SockAddr, SockAddrStorage, SockLen};
use crate::error::Errno;
use crate::flags::MsgFlags;
use crate::sys::mmsg::{RecvSlot, RecvTable, SendTable};

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

/// `Debug` for a batch type: its name, its capacity, and how many messages
/// it holds under `$count` (`len` for a send batch, `received` for a
/// receive batch).
macro_rules! batch_debug {
    ($name:ident, $count:literal) => {
        impl<const N: usize> core::fmt::Debug for $name<'_, N> {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("capacity", &N)
                    .field($count, &self.len())
                    .finish_non_exhaustive()
            }
        }
    };
}
pub(crate) use batch_debug;

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
    table: SendTable<'a, N>,
}

impl<'a, const N: usize> SendBatch<'a, N> {
    /// An empty batch.
    #[must_use]
    pub fn new() -> Self {
        Self {
            table: SendTable::new(),
        }
    }

    /// Adds a message: `data`, sent to `to` (or the connected peer if
    /// `None`), with `control`. Its header is written here, once.
    ///
    /// # Errors
    /// [`BatchFull`] when it already holds `N` messages.
    pub fn push(
        &mut self,
        data: &'a [u8],
        to: Option<&'a SockAddr>,
        control: Control<'a>,
    ) -> Result<(), BatchFull> {
        if self.table.push(data, to, control.as_bytes()) {
            Ok(())
        } else {
            Err(BatchFull)
        }
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
        if self.table.push_vectored(bufs, to, control.as_bytes()) {
            Ok(())
        } else {
            Err(BatchFull)
        }
    }

    /// How many messages it holds.
    #[must_use]
    pub const fn len(&self) -> usize {
        self.table.len()
    }

    /// Whether it holds none.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.table.len() == 0
    }

    /// Removes every message.
    pub fn clear(&mut self) {
        self.table.clear();
    }

    /// Bytes of message `i` the last [`Socket::send_mmsg`] sent (`msg_len`),
    /// if it sent that message.
    #[must_use]
    pub fn sent_len(&self, i: usize) -> Option<usize> {
        self.table.sent_len(i)
    }
}

impl<const N: usize> Default for SendBatch<'_, N> {
    fn default() -> Self {
        Self::new()
    }
}

batch_debug!(SendBatch, "len");

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
    table: RecvTable<'a, N>,
}

impl<'a, const N: usize> RecvBatch<'a, N> {
    /// A batch receiving message `i` into `bufs[i]`, without control space.
    /// Its headers are written here, once.
    #[must_use]
    pub fn new(bufs: [&'a mut [u8]; N]) -> Self {
        Self {
            table: RecvTable::new(bufs),
        }
    }

    /// Gives message `i` the control space `control[i]` (size it with
    /// [`cmsg_space`](super::cmsg_space)).
    #[must_use]
    pub fn with_control(mut self, control: [&'a mut [u8]; N]) -> Self {
        self.table.set_control(control);
        self
    }

    /// How many messages the last [`Socket::recv_mmsg`] received.
    #[must_use]
    pub const fn len(&self) -> usize {
        self.table.len()
    }

    /// Whether the last call received nothing (or there was none yet).
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.table.len() == 0
    }

    /// fds that arrived with the last call's messages and were closed.
    #[must_use]
    pub const fn fds_closed(&self) -> usize {
        self.table.fds_closed()
    }

    /// Message `i` of the last call, if it received that many.
    #[inline]
    #[must_use]
    pub fn get(&self, i: usize) -> Option<Received<'_>> {
        self.table.get(i).map(Received::from_slot)
    }

    /// The messages of the last call, in order.
    #[inline]
    pub fn iter(&self) -> impl Iterator<Item = Received<'_>> {
        self.table.slots().map(Received::from_slot)
    }
}

batch_debug!(RecvBatch, "received");

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
    /// The control bytes the kernel wrote.
    pub control: &'b [u8],
    name: &'b SockAddrStorage,
    name_len: SockLen,
}

impl<'b> Received<'b> {
    #[inline(always)]
    fn from_slot(slot: RecvSlot<'b>) -> Self {
        Self {
            data: slot.data,
            len: slot.len,
            flags: received_flags(slot.flags),
            name: slot.name,
            name_len: slot.name_len,
            control: slot.control,
        }
    }

    /// The sender's IP socket address, if it is one, decoded from the bytes
    /// the kernel wrote.
    #[must_use]
    pub fn source(&self) -> Option<SocketAddr> {
        crate::abi::addr::decode_ip_init(self.name, self.name_len)
    }

    /// The sender's address as the kernel wrote it (of any family), copied
    /// out of the batch.
    #[must_use]
    pub fn addr(&self) -> SockAddr {
        SockAddr::from_raw(*self.name, self.name_len)
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
        batch.table.send(self.sys_fd(), flags | MsgFlags::NOSIGNAL)
    }

    /// Receives up to `N` messages into `batch` in one recvmmsg(2) (always
    /// with `MSG_CMSG_CLOEXEC` but on sockets that refuse it and carry no
    /// fds, such as packet sockets; and no timeout: the kernel's is checked only
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
        match batch.table.recv(self.sys_fd(), flags | MsgFlags::CMSG_CLOEXEC) {
            // As in `recv_msg`: packet sockets refuse the flag, and carry no fds.
            Err(Errno::INVAL) if !flags.contains(MsgFlags::CMSG_CLOEXEC) => {
                batch.table.recv(self.sys_fd(), flags)
            }
            other => other,
        }
    }
}
