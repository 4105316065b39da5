//! Typed UDP batches: sendmmsg(2) and recvmmsg(2) with `core::net`
//! addresses, over headers that persist across calls.
//!
//! A [`UdpSendBatch`] encodes each destination into a `sockaddr_in(6)` of
//! its own as the datagram is added, and is sent by
//! [`UdpSocket::send_to_batch`]; a [`UdpRecvBatch`] is filled by
//! [`UdpSocket::recv_from_batch`] and decodes each sender straight from the
//! bytes the kernel wrote. Both are made once and used for any number of
//! calls: a call touches only the slots it uses. For control messages or
//! addresses of other families, use [`SendBatch`](crate::msg::SendBatch) and
//! [`RecvBatch`](crate::msg::RecvBatch).

use core::net::SocketAddr;

use crate::UdpSocket;
use crate::error::Errno;
use crate::flags::MsgFlags;
use crate::msg::{BatchFull, batch_debug};
use crate::sys::mmsg::{IpSendTable, IpSlot, RecvTable};

/// Up to `N` datagrams, each with its destination, for one
/// [`UdpSocket::send_to_batch`] (sendmmsg(2)). The data is borrowed for
/// `'a`; each destination is encoded into the batch's own `sockaddr_in` or
/// `sockaddr_in6` when the datagram is [`push`](Self::push)ed. Make it once,
/// then [`clear`](Self::clear) and refill it for each send: its headers are
/// built when it is made and never rebuilt.
///
/// ```
/// use zerosock::UdpSocket;
/// use zerosock::msg::UdpSendBatch;
/// use core::net::Ipv4Addr;
/// let rx = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0))?;
/// let tx = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0))?;
/// let to = rx.local_addr()?;
///
/// let mut batch = UdpSendBatch::<8>::new();
/// batch.push(b"one", to).unwrap();
/// batch.push(b"two", to).unwrap();
/// assert_eq!(tx.send_to_batch(&mut batch)?, 2);
/// assert_eq!(batch.sent_len(1), Some(3));
/// # Ok::<(), zerosock::Errno>(())
/// ```
///
/// # References
/// - [sendmmsg(2)](https://man7.org/linux/man-pages/man2/sendmmsg.2.html)
pub struct UdpSendBatch<'a, const N: usize> {
    table: IpSendTable<'a, N>,
}

impl<'a, const N: usize> UdpSendBatch<'a, N> {
    /// An empty batch, its headers built.
    #[must_use]
    pub fn new() -> Self {
        Self {
            table: IpSendTable::new(),
        }
    }

    /// Adds `data`, to be sent to `to`.
    ///
    /// # Errors
    /// [`BatchFull`] when it already holds `N` datagrams.
    #[inline]
    pub fn push(&mut self, data: &'a [u8], to: SocketAddr) -> Result<(), BatchFull> {
        if self.table.push(data, to) {
            Ok(())
        } else {
            Err(BatchFull)
        }
    }

    /// Adds the first datagrams of `msgs` (`(data, destination)`, the
    /// shape the std-style one-call batch took), as many as there is room
    /// for; returns how many it took. Cheaper per datagram than
    /// [`push`](Self::push) in a loop: the room is checked once.
    ///
    /// ```
    /// use zerosock::UdpSocket;
    /// use zerosock::msg::UdpSendBatch;
    /// let rx = UdpSocket::bind("127.0.0.1:0")?;
    /// let tx = UdpSocket::bind("127.0.0.1:0")?;
    /// let to = rx.local_addr()?;
    /// let msgs = [(&b"a"[..], to), (&b"b"[..], to), (&b"c"[..], to)];
    ///
    /// let mut batch = UdpSendBatch::<2>::new();
    /// let mut sent = 0;
    /// while sent < msgs.len() {
    ///     batch.clear();
    ///     batch.extend_from_slice(&msgs[sent..]);
    ///     sent += tx.send_to_batch(&mut batch)?;
    /// }
    /// # Ok::<(), zerosock::Error>(())
    /// ```
    #[inline]
    pub fn extend_from_slice(&mut self, msgs: &[(&'a [u8], SocketAddr)]) -> usize {
        self.table.extend(msgs)
    }

    /// How many datagrams it holds.
    #[must_use]
    pub const fn len(&self) -> usize {
        self.table.len()
    }

    /// Whether it holds none.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.table.len() == 0
    }

    /// Removes every datagram (a store of two counters: nothing is zeroed).
    #[inline]
    pub fn clear(&mut self) {
        self.table.clear();
    }

    /// Bytes of datagram `i` the last [`UdpSocket::send_to_batch`] sent, if
    /// it sent that datagram.
    #[must_use]
    pub fn sent_len(&self, i: usize) -> Option<usize> {
        self.table.sent_len(i)
    }
}

impl<const N: usize> Default for UdpSendBatch<'_, N> {
    fn default() -> Self {
        Self::new()
    }
}

batch_debug!(UdpSendBatch, "len");

/// `N` receive buffers, borrowed for `'a`, for one
/// [`UdpSocket::recv_from_batch`] (recvmmsg(2)); then
/// [`iter`](Self::iter) and [`get`](Self::get) give each datagram with its
/// sender as a `core::net::SocketAddr`. Make it once and receive into it
/// again and again: its headers are built when it is made, and a call
/// resets only the lengths the last one overwrote.
///
/// ```
/// use zerosock::UdpSocket;
/// use zerosock::msg::UdpRecvBatch;
/// use core::net::Ipv4Addr;
/// let rx = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0))?;
/// let tx = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0))?;
/// tx.send_to(b"hello", rx.local_addr()?)?;
///
/// let mut space = [[0u8; 1500]; 4];
/// let mut batch = UdpRecvBatch::new(space.each_mut().map(|b| &mut b[..]));
/// assert_eq!(rx.recv_from_batch(&mut batch)?, 1);
/// for datagram in batch.iter() {
///     assert_eq!(datagram.data, b"hello");
///     assert_eq!(datagram.from, Some(tx.local_addr()?));
/// }
/// # Ok::<(), zerosock::Errno>(())
/// ```
///
/// # References
/// - [recvmmsg(2)](https://man7.org/linux/man-pages/man2/recvmmsg.2.html)
pub struct UdpRecvBatch<'a, const N: usize> {
    table: RecvTable<'a, N>,
}

impl<'a, const N: usize> UdpRecvBatch<'a, N> {
    /// A batch receiving datagram `i` into `bufs[i]`. Its headers are
    /// written here, once.
    #[must_use]
    pub fn new(bufs: [&'a mut [u8]; N]) -> Self {
        Self {
            table: RecvTable::new(bufs),
        }
    }

    /// How many datagrams the last [`UdpSocket::recv_from_batch`] received.
    #[must_use]
    pub const fn len(&self) -> usize {
        self.table.len()
    }

    /// Whether the last call received nothing (or there was none yet).
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.table.len() == 0
    }

    /// Datagram `i` of the last call, if it received that many.
    #[inline]
    #[must_use]
    pub fn get(&self, i: usize) -> Option<UdpDatagram<'_>> {
        self.iter().nth(i)
    }

    /// The datagrams of the last call, in order, each sender decoded.
    #[inline]
    pub fn iter(&self) -> impl Iterator<Item = UdpDatagram<'_>> {
        self.table.ip_slots().map(UdpDatagram::from_slot)
    }
}

batch_debug!(UdpRecvBatch, "received");

/// One datagram of a [`UdpRecvBatch`].
///
/// ```
/// # use zerosock::UdpSocket;
/// # use zerosock::msg::UdpRecvBatch;
/// # let rx = UdpSocket::bind("127.0.0.1:0")?;
/// # rx.send_to(b"too long", rx.local_addr()?)?;
/// let mut space = [[0u8; 3]; 2];
/// let mut batch = UdpRecvBatch::new(space.each_mut().map(|b| &mut b[..]));
/// rx.recv_from_batch(&mut batch)?;
/// let datagram = batch.get(0).unwrap();
/// assert_eq!((datagram.data, datagram.is_truncated()), (&b"too"[..], true));
/// # Ok::<(), zerosock::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct UdpDatagram<'b> {
    /// The data received into the datagram's buffer.
    pub data: &'b [u8],
    /// `msg_len`: bytes received.
    pub len: usize,
    /// The sender (`None` only if the kernel wrote no IP address).
    pub from: Option<SocketAddr>,
    /// `msg_flags` (`MSG_TRUNC` if the datagram was longer than its buffer).
    pub flags: MsgFlags,
}

impl<'b> UdpDatagram<'b> {
    #[inline(always)]
    fn from_slot(slot: IpSlot<'b>) -> Self {
        Self {
            data: slot.data,
            len: slot.len,
            from: slot.from,
            flags: MsgFlags::from_raw(slot.flags),
        }
    }

    /// `MSG_TRUNC`: the datagram was longer than its buffer, and cut.
    #[must_use]
    pub const fn is_truncated(&self) -> bool {
        self.flags.contains(MsgFlags::TRUNC)
    }
}

impl UdpSocket {
    /// Sends every datagram of `batch` to its destination in one
    /// sendmmsg(2) (`MSG_NOSIGNAL`). Returns how many were sent, which may
    /// be fewer (their byte counts are in [`UdpSendBatch::sent_len`]); send
    /// the rest with another batch. An error means none was sent. See
    /// [`UdpSendBatch`] for an example.
    ///
    /// # References
    /// - [sendmmsg(2)](https://man7.org/linux/man-pages/man2/sendmmsg.2.html)
    #[doc(alias = "sendmmsg")]
    #[inline]
    pub fn send_to_batch<const N: usize>(&self, batch: &mut UdpSendBatch<'_, N>) -> Result<usize, Errno> {
        batch.table.send(self.as_socket().sys_fd(), MsgFlags::NOSIGNAL)
    }

    /// Receives up to `N` datagrams into `batch` in one recvmmsg(2),
    /// waiting for the first only (`MSG_WAITFORONE`; on a non-blocking
    /// socket, `EAGAIN` if there is none). Returns how many arrived; read
    /// them with [`UdpRecvBatch::iter`]. See [`UdpRecvBatch`] for an
    /// example.
    ///
    /// # References
    /// - [recvmmsg(2)](https://man7.org/linux/man-pages/man2/recvmmsg.2.html)
    #[doc(alias = "recvmmsg")]
    #[inline]
    pub fn recv_from_batch<const N: usize>(&self, batch: &mut UdpRecvBatch<'_, N>) -> Result<usize, Errno> {
        batch.table.recv(self.as_socket().sys_fd(), MsgFlags::WAITFORONE)
    }
}
