//! sendmmsg(2) and recvmmsg(2) over header tables that only this module can
//! point.
//!
//! [`SendTable`] and [`RecvTable`] own their `mmsghdr`s and keep them across
//! calls: a header is written once, when its message is added (or, for a
//! receive table, when the table is made), and between calls only what the
//! kernel overwrote is reset. The table value borrows every buffer,
//! address and control space its headers point at for `'a`, which is what
//! keeps those pointers valid; the pointers into the table itself (its own
//! iovecs and name storage) are re-pointed before a call if the table has
//! moved since they were set.
//!
//! [`IpSendTable`] is the typed IP send batch: the same persistent headers,
//! each pointing at a `sockaddr_in(6)` of the table's own that adding a
//! datagram encodes from a `core::net::SocketAddr`. The typed receive batch
//! is a [`RecvTable`] read through [`RecvTable::ip_slots`], which decodes
//! each sender straight from the kernel's bytes.

use core::ffi::c_void;
use core::marker::PhantomData;
use core::mem::size_of;
use core::net::SocketAddr;
use core::ptr::{self, NonNull};

use rustix::fd::OwnedFd;
use rustix::io::IoSlice;

use super::raw::Result;

use super::msg::own_received_fds;
use super::net::{SysFd, recvmmsg, sendmmsg};
use crate::abi::addr::{STORAGE_LEN, SockAddr};
use crate::abi::msg::{MMsgHdr, MsgHdr};
use crate::abi::{SockAddrIn, SockAddrIn6, SockAddrStorage, SockLen};
use crate::flags::{Domain, MsgFlags};

/// `struct iovec`. The base is never null (a slice's pointer never is),
/// which lets the compiler drop null checks on the data it points at.
#[repr(C)]
#[derive(Clone, Copy)]
struct IoVec {
    iov_base: NonNull<c_void>,
    iov_len: usize,
}

impl IoVec {
    const EMPTY: Self = Self {
        iov_base: NonNull::dangling(),
        iov_len: 0,
    };

    #[inline(always)]
    fn of(data: &[u8]) -> Self {
        Self {
            iov_base: NonNull::from(data).cast(),
            iov_len: data.len(),
        }
    }
}

/// A control buffer's pointer for a header: null when empty.
#[inline(always)]
fn control_ptr(control: &[u8]) -> *mut c_void {
    if control.is_empty() {
        ptr::null_mut()
    } else {
        control.as_ptr() as *mut c_void
    }
}

// ---------------------------------------------------------------------------
// Sending

/// Up to `N` messages for sendmmsg(2), each header written when its message
/// is added. sendmmsg(2) writes only `msg_len`, which no later call reads, so
/// nothing is reset between calls: the same batch can be sent again and
/// again at the cost of the system call alone.
pub(crate) struct SendTable<'a, const N: usize> {
    hdrs: [MMsgHdr; N],
    /// The iovec of each one-buffer message (a vectored message's header
    /// points at the caller's iovecs instead).
    iovs: [IoVec; N],
    /// Where `iovs` was when the headers were pointed at it.
    iovs_at: *const IoVec,
    len: usize,
    sent: usize,
    _borrow: PhantomData<&'a [u8]>,
}

// SAFETY: the raw pointers point at data borrowed for `'a` through shared
// references to `Sync` data (`[u8]`, `SockAddr`, `IoSlice`) or into the table
// itself; no method mutates through them, and the kernel only reads them.
unsafe impl<const N: usize> Send for SendTable<'_, N> {}
// SAFETY: as above; `&SendTable` reads only lengths.
unsafe impl<const N: usize> Sync for SendTable<'_, N> {}

impl<'a, const N: usize> SendTable<'a, N> {
    pub(crate) fn new() -> Self {
        Self {
            hdrs: [MMsgHdr::EMPTY; N],
            iovs: [IoVec::EMPTY; N],
            iovs_at: ptr::null(),
            len: 0,
            sent: 0,
            _borrow: PhantomData,
        }
    }

    pub(crate) const fn len(&self) -> usize {
        self.len
    }

    pub(crate) fn clear(&mut self) {
        self.len = 0;
        self.sent = 0;
    }

    /// `msg_len` of message `i`, if the last call sent it.
    pub(crate) fn sent_len(&self, i: usize) -> Option<usize> {
        (i < self.sent).then(|| self.hdrs[i].msg_len as usize)
    }

    /// Adds one message of one buffer; false when the table is full.
    pub(crate) fn push(&mut self, data: &'a [u8], to: Option<&'a SockAddr>, control: &'a [u8]) -> bool {
        if self.len == N {
            return false;
        }
        self.repoint();
        let i = self.len;
        self.iovs[i] = IoVec::of(data);
        let iov = self.iovs_at.wrapping_add(i);
        self.set(i, iov as *mut c_void, 1, to, control);
        true
    }

    /// Adds one message gathered from `bufs`; false when the table is full.
    pub(crate) fn push_vectored(
        &mut self,
        bufs: &'a [IoSlice<'a>],
        to: Option<&'a SockAddr>,
        control: &'a [u8],
    ) -> bool {
        if self.len == N {
            return false;
        }
        // Repointed first, so that every one-buffer header points at
        // `iovs_at` while `bufs`, borrowed now, cannot be there.
        self.repoint();
        let i = self.len;
        // `IoSlice` is laid out as `struct iovec` (rustix's own, and std's on
        // Linux).
        self.set(i, bufs.as_ptr() as *mut c_void, bufs.len(), to, control);
        true
    }

    #[inline(always)]
    fn set(
        &mut self,
        i: usize,
        iov: *mut c_void,
        iovlen: usize,
        to: Option<&'a SockAddr>,
        control: &'a [u8],
    ) {
        let (name, namelen) = match to {
            Some(addr) => (
                ptr::from_ref(&addr.storage) as *mut c_void,
                addr.len.min(STORAGE_LEN),
            ),
            None => (ptr::null_mut(), 0),
        };
        self.hdrs[i] = MMsgHdr {
            msg_hdr: MsgHdr {
                msg_name: name,
                msg_namelen: namelen,
                msg_iov: iov,
                msg_iovlen: iovlen,
                msg_control: control_ptr(control),
                msg_controllen: control.len(),
                msg_flags: 0,
            },
            msg_len: 0,
        };
        self.len = i + 1;
        self.sent = 0;
    }

    /// Re-points the one-buffer messages' headers at `iovs` if the table has
    /// moved since they were pointed (one comparison when it has not).
    #[inline(always)]
    fn repoint(&mut self) {
        let now = self.iovs.as_ptr();
        if now != self.iovs_at {
            self.repoint_moved(now);
        }
    }

    #[cold]
    fn repoint_moved(&mut self, now: *const IoVec) {
        for (i, hdr) in self.hdrs[..self.len].iter_mut().enumerate() {
            if hdr.msg_hdr.msg_iov.cast_const() == self.iovs_at.wrapping_add(i).cast() {
                hdr.msg_hdr.msg_iov = now.wrapping_add(i) as *mut c_void;
            }
        }
        self.iovs_at = now;
    }

    /// sendmmsg(2) of every message; returns how many were sent.
    #[inline]
    pub(crate) fn send(&mut self, fd: impl SysFd, flags: MsgFlags) -> Result<usize> {
        self.repoint();
        self.sent = 0;
        // SAFETY: every header among the first `len` points at memory the
        // table borrows for `'a` (data, iovecs, addresses with their
        // bounded lengths, control bytes) or at its own iovecs, just
        // re-pointed; none of it moves during the call.
        let sent = unsafe { sendmmsg(fd, &mut self.hdrs[..self.len], flags) }?;
        self.sent = sent;
        Ok(sent)
    }
}

// ---------------------------------------------------------------------------
// Receiving

/// `N` receive slots for recvmmsg(2): each a data buffer and a control space
/// borrowed for `'a`, and a name storage of the table's own. The headers are
/// written when the table is made; before each call only the in/out fields
/// the last call overwrote (`msg_namelen`, and `msg_controllen` when there is
/// control space) are reset, and only for the messages it received.
pub(crate) struct RecvTable<'a, const N: usize> {
    hdrs: [MMsgHdr; N],
    iovs: [IoVec; N],
    names: [SockAddrStorage; N],
    /// Each slot's control space (0: none).
    control_cap: [usize; N],
    has_control: bool,
    /// Where `iovs` and `names` were when the headers were pointed at them.
    at: (*const IoVec, *const SockAddrStorage),
    received: usize,
    fds_closed: usize,
    _borrow: PhantomData<&'a mut [u8]>,
}

// SAFETY: the raw pointers point at buffers the table borrows mutably for
// `'a` (`[u8]`, which is `Send` and `Sync`) or into the table itself; only
// the kernel writes through them, during a call that takes `&mut self`, and
// `&self` methods only read.
unsafe impl<const N: usize> Send for RecvTable<'_, N> {}
// SAFETY: as above.
unsafe impl<const N: usize> Sync for RecvTable<'_, N> {}

/// One received message, as [`RecvTable::get`] reads it.
pub(crate) struct RecvSlot<'b> {
    pub(crate) data: &'b [u8],
    pub(crate) len: usize,
    pub(crate) flags: u32,
    pub(crate) name: &'b SockAddrStorage,
    pub(crate) name_len: SockLen,
    pub(crate) control: &'b [u8],
}

impl<'a, const N: usize> RecvTable<'a, N> {
    pub(crate) fn new(bufs: [&'a mut [u8]; N]) -> Self {
        let mut table = Self {
            hdrs: [MMsgHdr::EMPTY; N],
            iovs: [IoVec::EMPTY; N],
            names: [SockAddrStorage::ZEROED; N],
            control_cap: [0; N],
            has_control: false,
            at: (ptr::null(), ptr::null()),
            received: 0,
            fds_closed: 0,
            _borrow: PhantomData,
        };
        for (i, buf) in bufs.into_iter().enumerate() {
            table.iovs[i] = IoVec::of(buf);
            let hdr = &mut table.hdrs[i].msg_hdr;
            hdr.msg_namelen = STORAGE_LEN;
            hdr.msg_iovlen = 1;
        }
        table
    }

    /// Gives slot `i` the control space `control[i]`.
    pub(crate) fn set_control(&mut self, control: [&'a mut [u8]; N]) {
        for (i, space) in control.into_iter().enumerate() {
            let hdr = &mut self.hdrs[i].msg_hdr;
            hdr.msg_control = control_ptr(space);
            hdr.msg_controllen = space.len();
            self.control_cap[i] = space.len();
            self.has_control |= !space.is_empty();
        }
    }

    pub(crate) const fn len(&self) -> usize {
        self.received
    }

    pub(crate) const fn fds_closed(&self) -> usize {
        self.fds_closed
    }

    /// Message `i` of the last call, if it received that many.
    #[inline]
    pub(crate) fn get(&self, i: usize) -> Option<RecvSlot<'_>> {
        self.slots().nth(i)
    }

    /// The messages of the last call, in order.
    #[inline]
    pub(crate) fn slots(&self) -> impl Iterator<Item = RecvSlot<'_>> {
        let n = self.received.min(N);
        self.hdrs[..n]
            .iter()
            .zip(&self.iovs)
            .zip(&self.names)
            .zip(&self.control_cap)
            .map(|(((hdr, iov), name), &cap)| {
                let len = hdr.msg_len as usize;
                let control_len = hdr.msg_hdr.msg_controllen.min(cap);
                // SAFETY: `iov` is this slot's buffer, borrowed mutably by the
                // table for `'a`; only the kernel writes it, during a `&mut
                // self` call, so it can be read for the lifetime of `&self`.
                // Likewise the control space, when it has a capacity.
                let (data, control) = unsafe {
                    (
                        core::slice::from_raw_parts(iov.iov_base.as_ptr().cast::<u8>(), len.min(iov.iov_len)),
                        if control_len == 0 {
                            &[][..]
                        } else {
                            core::slice::from_raw_parts(hdr.msg_hdr.msg_control.cast::<u8>(), control_len)
                        },
                    )
                };
                RecvSlot {
                    data,
                    len,
                    flags: hdr.msg_hdr.msg_flags,
                    name,
                    name_len: hdr.msg_hdr.msg_namelen.min(STORAGE_LEN),
                    control,
                }
            })
    }

    /// Points the headers at the table's own iovecs and names if it has
    /// moved since they were (one comparison when it has not).
    #[inline(always)]
    fn repoint(&mut self) {
        let now = (self.iovs.as_ptr(), self.names.as_ptr());
        if now != self.at {
            self.repoint_moved(now);
        }
    }

    #[cold]
    fn repoint_moved(&mut self, now: (*const IoVec, *const SockAddrStorage)) {
        for (i, hdr) in self.hdrs.iter_mut().enumerate() {
            hdr.msg_hdr.msg_iov = now.0.wrapping_add(i) as *mut c_void;
            hdr.msg_hdr.msg_name = now.1.wrapping_add(i) as *mut c_void;
        }
        self.at = now;
    }

    /// Resets the in/out fields of the first `n` headers.
    #[inline(always)]
    fn reset(&mut self, n: usize) {
        // A full batch, the busy case, as a loop of constant length: one
        // store per message, no remainder handling.
        if n >= N {
            for hdr in &mut self.hdrs {
                hdr.msg_hdr.msg_namelen = STORAGE_LEN;
            }
        } else {
            for hdr in &mut self.hdrs[..n] {
                hdr.msg_hdr.msg_namelen = STORAGE_LEN;
            }
        }
        if self.has_control {
            for (hdr, cap) in self.hdrs[..n].iter_mut().zip(&self.control_cap) {
                hdr.msg_hdr.msg_controllen = *cap;
            }
        }
    }

    /// recvmmsg(2) into every slot, with no timeout; returns how many
    /// arrived. Every fd they carry is owned at once and closed (counted in
    /// [`fds_closed`](Self::fds_closed)).
    #[inline(always)]
    pub(crate) fn recv(&mut self, fd: impl SysFd, flags: MsgFlags) -> Result<usize> {
        self.repoint();
        self.reset(self.received);
        self.received = 0;
        self.fds_closed = 0;
        // SAFETY: every header points at its buffer (borrowed mutably for
        // `'a`), its control space (likewise, with its capacity) and the
        // table's own iovec and name storage, just re-pointed, with the
        // in/out lengths just reset.
        let ret = unsafe { recvmmsg(fd, &mut self.hdrs, flags) };
        let received = match ret {
            Ok(n) => n,
            Err(e) => {
                // Nothing was received; the first slot may have been
                // written before the failure.
                self.reset(N.min(1));
                return Err(e);
            }
        };
        self.received = received;
        if self.has_control {
            for i in 0..received {
                let hdr = &self.hdrs[i].msg_hdr;
                let len = hdr.msg_controllen.min(self.control_cap[i]);
                if len == 0 {
                    continue;
                }
                // SAFETY: the kernel has just written these `len` control
                // bytes into space `i`, borrowed by the table.
                let control = unsafe { core::slice::from_raw_parts(hdr.msg_control.cast::<u8>(), len) };
                // SAFETY: as above; nothing else has seen these bytes.
                self.fds_closed += unsafe { own_received_fds(control, Some::<OwnedFd>) };
            }
        }
        Ok(received)
    }
}

// ---------------------------------------------------------------------------
// Typed IP batches

/// `sockaddr_in` or `sockaddr_in6`, in the space of the larger.
#[repr(C)]
#[derive(Clone, Copy)]
union IpName {
    v4: SockAddrIn,
    v6: SockAddrIn6,
}

impl IpName {
    /// All zero but the family, `AF_INET`: what every slot of a table holds
    /// until its first `sockaddr_in6`.
    const EMPTY: Self = {
        let mut v6 = SockAddrIn6::new(core::net::SocketAddrV6::new(
            core::net::Ipv6Addr::UNSPECIFIED,
            0,
            0,
            0,
        ));
        v6.sin6_family = Domain::INET.raw();
        Self { v6 }
    };
}

/// The `msg_namelen` of every typed send header: `sizeof(struct
/// sockaddr_in6)`, the size of the name space, for either family. Linux
/// reads the family first and requires *at least* its structure's size
/// (`udp_sendmsg`, `udpv6_sendmsg`: `msg_namelen < sizeof(...)` is `EINVAL`,
/// a longer one is accepted, its excess ignored), so one length serves both
/// families and adding a datagram never touches its header.
const IP_NAME_LEN: SockLen = size_of::<IpName>() as SockLen;
const _: () = assert!(size_of::<IpName>() == size_of::<SockAddrIn6>());

/// Writes `to` into `name` as a `sockaddr_in(6)`, clearing `inet_only`
/// when it writes a `sockaddr_in6`. A `sockaddr_in` is written as its port and address,
/// and its family only if `FAMILY` (the caller passes false only when the
/// name's family is `AF_INET` already): its `sin_zero`, and the bytes of
/// the name space past it, keep what they held (zero, or part of an earlier
/// `sockaddr_in6`), which Linux never reads for an `AF_INET` destination.
#[inline(always)]
fn encode_ip_name<const FAMILY: bool>(name: &mut IpName, to: &SocketAddr, inet_only: &mut bool) {
    match to {
        SocketAddr::V4(v4) => {
            // Writes of `Copy` fields of the union (safe: nothing is read).
            let fields = SockAddrIn::new(*v4);
            if FAMILY {
                name.v4.sin_family = fields.sin_family;
            }
            name.v4.sin_port = fields.sin_port;
            name.v4.sin_addr = fields.sin_addr;
        }
        SocketAddr::V6(v6) => encode_ip6_name(name, v6, inet_only),
    }
}

/// The `sockaddr_in6` half of [`encode_ip_name`], out of line so that the
/// `sockaddr_in` path stays short (the compiler would otherwise merge the
/// two paths' common stores behind a jump).
#[inline(never)]
fn encode_ip6_name(name: &mut IpName, to: &core::net::SocketAddrV6, inet_only: &mut bool) {
    name.v6 = SockAddrIn6::new(*to);
    *inet_only = false;
}

/// One slot of an [`IpSendTable`]: the iovec and the destination its
/// header points at, side by side, so that adding a datagram writes one
/// place (48 bytes apart from the next, the stride of the callers'
/// `(&[u8], SocketAddr)` too: one index walks both).
#[repr(C)]
#[derive(Clone, Copy)]
struct IpSendSlot {
    iov: IoVec,
    name: IpName,
}

impl IpSendSlot {
    const EMPTY: Self = Self {
        iov: IoVec::EMPTY,
        name: IpName::EMPTY,
    };

    /// Writes the slot for `(data, to)`, as [`encode_ip_name`].
    #[inline(always)]
    fn fill<const FAMILY: bool>(&mut self, (data, to): &(&[u8], SocketAddr), inet_only: &mut bool) {
        self.iov = IoVec::of(data);
        encode_ip_name::<FAMILY>(&mut self.name, to, inet_only);
    }
}

/// The slots [`fill_runs`] fills in one straight line: runs of this many
/// the compiler unrolls (a longer run it would leave rolled), four runs
/// per turn of its loop.
const RUN: usize = 8;

/// Fills `slots[i]` from `msgs[i]` (as many as the shorter has), one at a
/// time. Clears `inet_only` if it writes a `sockaddr_in6` (in memory: only
/// that out-of-line path touches it).
#[inline(always)]
fn fill_slots<const FAMILY: bool>(
    slots: &mut [IpSendSlot],
    msgs: &[(&[u8], SocketAddr)],
    inet_only: &mut bool,
) {
    for (slot, msg) in slots.iter_mut().zip(msgs) {
        slot.fill::<FAMILY>(msg, inet_only);
    }
}

/// [`fill_slots`] for `RUN` slots, a loop of constant length.
#[inline(always)]
fn fill_run<const FAMILY: bool>(
    slots: &mut [IpSendSlot],
    msgs: &[(&[u8], SocketAddr)],
    inet_only: &mut bool,
) {
    let slots: &mut [IpSendSlot; RUN] = slots.try_into().unwrap_or_else(|_| unreachable!());
    let msgs: &[_; RUN] = msgs.try_into().unwrap_or_else(|_| unreachable!());
    for (slot, msg) in slots.iter_mut().zip(msgs) {
        slot.fill::<FAMILY>(msg, inet_only);
    }
}

/// [`fill_slots`] for a whole table, `4 * RUN` slots per turn of the loop
/// (for `N = 32`, no loop at all), then the rest one at a time.
#[inline(always)]
fn fill_runs<const FAMILY: bool>(
    slots: &mut [IpSendSlot],
    msgs: &[(&[u8], SocketAddr)],
    inet_only: &mut bool,
) {
    let mut slot_runs = slots.chunks_exact_mut(4 * RUN);
    let mut msg_runs = msgs.chunks_exact(4 * RUN);
    for (slots, msgs) in (&mut slot_runs).zip(&mut msg_runs) {
        // Four runs written out: the compiler would keep a loop over them.
        let (s0, s1) = slots.split_at_mut(2 * RUN);
        let (m0, m1) = msgs.split_at(2 * RUN);
        fill_run::<FAMILY>(&mut s0[..RUN], &m0[..RUN], inet_only);
        fill_run::<FAMILY>(&mut s0[RUN..], &m0[RUN..], inet_only);
        fill_run::<FAMILY>(&mut s1[..RUN], &m1[..RUN], inet_only);
        fill_run::<FAMILY>(&mut s1[RUN..], &m1[RUN..], inet_only);
    }
    fill_slots::<FAMILY>(slot_runs.into_remainder(), msg_runs.remainder(), inet_only);
}

/// Up to `N` datagrams for sendmmsg(2), each to a `core::net::SocketAddr`
/// encoded into the table's own `sockaddr_in(6)` for its slot. The headers
/// are written when the table is made (one buffer, no control, the name
/// length [`IP_NAME_LEN`]) and pointed at their slot's iovec and name
/// before the first send (again only if the table has moved); adding a
/// datagram writes only its slot (iovec and name; the name's family only
/// once the table has held a `sockaddr_in6`), and sending writes nothing
/// per datagram.
pub(crate) struct IpSendTable<'a, const N: usize> {
    hdrs: [MMsgHdr; N],
    slots: [IpSendSlot; N],
    /// Every slot's family is `AF_INET` (no `sockaddr_in6` written yet), so
    /// a `sockaddr_in` is encoded without its family.
    inet_only: bool,
    /// Where `slots` was when the headers were pointed at it.
    at: *const IpSendSlot,
    len: usize,
    sent: usize,
    _borrow: PhantomData<&'a [u8]>,
}

// SAFETY: the raw pointers point at data borrowed for `'a` through shared
// references to `[u8]` (`Sync`) or into the table itself; the kernel only
// reads them, and `&IpSendTable` reads only lengths.
unsafe impl<const N: usize> Send for IpSendTable<'_, N> {}
// SAFETY: as above.
unsafe impl<const N: usize> Sync for IpSendTable<'_, N> {}

impl<'a, const N: usize> IpSendTable<'a, N> {
    pub(crate) fn new() -> Self {
        let mut hdrs = [MMsgHdr::EMPTY; N];
        for hdr in &mut hdrs {
            hdr.msg_hdr.msg_iovlen = 1;
            hdr.msg_hdr.msg_namelen = IP_NAME_LEN;
        }
        Self {
            hdrs,
            slots: [IpSendSlot::EMPTY; N],
            inet_only: true,
            at: ptr::null(),
            len: 0,
            sent: 0,
            _borrow: PhantomData,
        }
    }

    pub(crate) const fn len(&self) -> usize {
        self.len
    }

    pub(crate) fn clear(&mut self) {
        self.len = 0;
        self.sent = 0;
    }

    /// `msg_len` of datagram `i`, if the last call sent it.
    pub(crate) fn sent_len(&self, i: usize) -> Option<usize> {
        (i < self.sent).then(|| self.hdrs[i].msg_len as usize)
    }

    /// Adds `data` for `to`; false when the table is full. Writes the
    /// slot's iovec and its `sockaddr_in(6)` (family, port in network
    /// order, address).
    #[inline(always)]
    pub(crate) fn push(&mut self, data: &'a [u8], to: SocketAddr) -> bool {
        let i = self.len;
        if i >= N {
            return false;
        }
        if self.inet_only {
            self.slots[i].fill::<false>(&(data, to), &mut self.inet_only);
        } else {
            self.slots[i].fill::<true>(&(data, to), &mut self.inet_only);
        }
        self.len = i + 1;
        true
    }

    /// Adds the first messages of `msgs`, as many as there is room for;
    /// returns how many. One bound for the whole run, the count stored
    /// once.
    #[inline(always)]
    pub(crate) fn extend(&mut self, msgs: &[(&'a [u8], SocketAddr)]) -> usize {
        if self.inet_only {
            self.extend_with::<false>(msgs)
        } else {
            self.extend_with::<true>(msgs)
        }
    }

    /// [`extend`](Self::extend), writing each `sockaddr_in`'s family only if
    /// `FAMILY`.
    #[inline(always)]
    fn extend_with<const FAMILY: bool>(&mut self, msgs: &[(&'a [u8], SocketAddr)]) -> usize {
        let start = self.len.min(N);
        if start == 0 && msgs.len() >= N {
            // A whole batch from empty, the busy case: runs of constant
            // length.
            fill_runs::<FAMILY>(&mut self.slots, &msgs[..N], &mut self.inet_only);
            self.len = N;
            return N;
        }
        let count = msgs.len().min(N - start);
        fill_slots::<FAMILY>(
            &mut self.slots[start..start + count],
            &msgs[..count],
            &mut self.inet_only,
        );
        self.len = start + count;
        count
    }

    /// Points every header at its slot's iovec and name if the table has
    /// moved since they were (one comparison when it has not).
    #[inline(always)]
    fn repoint(&mut self) {
        let now = self.slots.as_ptr();
        if now != self.at {
            self.repoint_moved();
        }
    }

    #[cold]
    fn repoint_moved(&mut self) {
        for (hdr, slot) in self.hdrs.iter_mut().zip(&mut self.slots) {
            hdr.msg_hdr.msg_iov = ptr::from_mut(&mut slot.iov).cast();
            hdr.msg_hdr.msg_name = ptr::from_mut(&mut slot.name).cast();
        }
        self.at = self.slots.as_ptr();
    }

    /// sendmmsg(2) of every datagram added; returns how many were sent.
    #[inline]
    pub(crate) fn send(&mut self, fd: impl SysFd, flags: MsgFlags) -> Result<usize> {
        self.repoint();
        // SAFETY: each of the first `len` headers points at its slot's
        // iovec (just re-pointed; its data borrowed for `'a`) and its name,
        // `IP_NAME_LEN` bytes of the slot, all initialised (made whole by
        // `new`, then written by field), the family's structure written in
        // full when the datagram was added.
        let ret = unsafe { sendmmsg(fd, &mut self.hdrs[..self.len], flags) };
        // One store either way: none sent on an error.
        self.sent = *ret.as_ref().unwrap_or(&0);
        ret
    }
}

/// One datagram of a [`RecvTable`], its sender decoded.
pub(crate) struct IpSlot<'b> {
    pub(crate) data: &'b [u8],
    pub(crate) len: usize,
    pub(crate) flags: u32,
    pub(crate) from: Option<SocketAddr>,
}

impl<const N: usize> RecvTable<'_, N> {
    /// The datagrams of the last call, each sender decoded straight from
    /// the bytes the kernel wrote (family, port, address); control space is
    /// not looked at.
    #[inline]
    pub(crate) fn ip_slots(&self) -> impl Iterator<Item = IpSlot<'_>> {
        let n = self.received.min(N);
        self.hdrs[..n]
            .iter()
            .zip(&self.iovs)
            .zip(&self.names)
            .map(|((hdr, iov), name)| {
                let len = hdr.msg_len as usize;
                // SAFETY: as in `slots`: the slot's buffer, borrowed by the
                // table, written only by the kernel during a `&mut` call.
                let data = unsafe {
                    core::slice::from_raw_parts(iov.iov_base.as_ptr().cast::<u8>(), len.min(iov.iov_len))
                };
                IpSlot {
                    data,
                    len,
                    flags: hdr.msg_hdr.msg_flags,
                    from: crate::abi::addr::decode_ip_init(name, hdr.msg_hdr.msg_namelen),
                }
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::net::{Ipv4Addr, Ipv6Addr, SocketAddrV6};

    /// The encoder writes a whole `sockaddr_in6`, and over it a
    /// `sockaddr_in` whose family, port and address are what the kernel
    /// reads.
    #[test]
    fn encode_ip_name_switches_family() {
        let mut name = IpName::EMPTY;
        // SAFETY: every bit pattern is a valid `sockaddr_in`.
        assert_eq!(unsafe { name.v4 }.sin_family, Domain::INET.raw());
        let mut inet_only = true;
        let v6 = SocketAddr::V6(SocketAddrV6::new(Ipv6Addr::LOCALHOST, 443, 7, 3));
        encode_ip_name::<false>(&mut name, &v6, &mut inet_only);
        assert!(!inet_only);
        // SAFETY: every bit pattern is a valid `sockaddr_in(6)`.
        let (n6, n4) = unsafe { (name.v6, name.v4) };
        assert_eq!(SocketAddr::V6(n6.socket_addr()), v6);
        assert_eq!(n4.sin_family, Domain::INET6.raw());
        let v4 = SocketAddr::from((Ipv4Addr::new(192, 0, 2, 7), 5353));
        encode_ip_name::<true>(&mut name, &v4, &mut inet_only);
        // SAFETY: as above.
        let n4 = unsafe { name.v4 };
        assert_eq!(n4.sin_family, Domain::INET.raw());
        assert_eq!(SocketAddr::V4(n4.socket_addr()), v4);
        assert_eq!(IP_NAME_LEN as usize, size_of::<SockAddrIn6>());
    }
}
