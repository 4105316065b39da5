//! The batch groups of the instruction harness: [`BATCH`] datagrams of
//! [`PAYLOAD`](super::PAYLOAD) bytes per iteration between two unconnected
//! UDP sockets on 127.0.0.1, each datagram sent with its destination's
//! address and received with its sender's (names on both ways).
//!
//! - `batch-send`: the measured implementation sends the 32; a fixed
//!   receiver (bare `recvmmsg` on prebuilt headers, the same instructions in
//!   every row) takes them.
//! - `batch-recv`: a fixed sender (bare `sendmmsg` on prebuilt headers)
//!   sends the 32; the measured implementation receives them and checks
//!   each one's length.
//!
//! `ci/instructions.sh` divides by [`BATCH`]: its figures are per datagram.
//! The fixed half is the same in every row, so differences between rows are
//! the measured half's, and `row - floor` is what a library adds.

use std::hint::black_box;
use std::mem::zeroed;
use std::net::{SocketAddr, UdpSocket};
use std::os::fd::{AsRawFd, OwnedFd};

use super::floor::{self, CMSG_CLOEXEC, NOSIGNAL, RECVMMSG, SENDMMSG};
use super::{PAYLOAD, Pair, Visit, fail, fail_len, udp_unconnected_pair, zs};

/// Datagrams per iteration.
pub const BATCH: usize = 32;

/// Headers built once, as C code keeps them, for sending `BATCH`
/// datagrams to one address. Boxed, so the pointers into it stay valid.
struct SendState {
    out: [[u8; PAYLOAD]; BATCH],
    iov: [libc::iovec; BATCH],
    to: libc::sockaddr_in,
    hdrs: [libc::mmsghdr; BATCH],
}

fn send_state(to: SocketAddr) -> Box<SendState> {
    let SocketAddr::V4(to) = to else {
        unreachable!("bound to 127.0.0.1")
    };
    // SAFETY: plain C structs, for which all-zero is a valid value.
    let mut s: Box<SendState> = Box::new(unsafe { zeroed() });
    s.out = [[0x5a; PAYLOAD]; BATCH];
    s.to = super::libc_sockaddr_in(to);
    for i in 0..BATCH {
        s.iov[i] = libc::iovec {
            iov_base: s.out[i].as_mut_ptr().cast(),
            iov_len: PAYLOAD,
        };
        s.hdrs[i].msg_hdr.msg_iov = &raw mut s.iov[i];
        s.hdrs[i].msg_hdr.msg_iovlen = 1;
        s.hdrs[i].msg_hdr.msg_name = (&raw mut s.to).cast();
        s.hdrs[i].msg_hdr.msg_namelen = size_of::<libc::sockaddr_in>() as libc::socklen_t;
    }
    s
}

/// Headers built once for receiving `BATCH` datagrams with their senders.
struct RecvState {
    buf: [[u8; PAYLOAD]; BATCH],
    iov: [libc::iovec; BATCH],
    names: [libc::sockaddr_storage; BATCH],
    hdrs: [libc::mmsghdr; BATCH],
}

fn recv_state() -> Box<RecvState> {
    // SAFETY: as in `send_state`.
    let mut s: Box<RecvState> = Box::new(unsafe { zeroed() });
    for i in 0..BATCH {
        s.iov[i] = libc::iovec {
            iov_base: s.buf[i].as_mut_ptr().cast(),
            iov_len: PAYLOAD,
        };
        s.hdrs[i].msg_hdr.msg_iov = &raw mut s.iov[i];
        s.hdrs[i].msg_hdr.msg_iovlen = 1;
        s.hdrs[i].msg_hdr.msg_name = (&raw mut s.names[i]).cast();
        s.hdrs[i].msg_hdr.msg_namelen = size_of::<libc::sockaddr_storage>() as libc::socklen_t;
    }
    s
}

/// The fixed sender of `batch-recv` (and the floor of `batch-send`).
struct RawSend {
    fd: OwnedFd,
    s: Box<SendState>,
}

impl RawSend {
    #[inline(always)]
    fn send(&mut self) {
        // SAFETY: the headers point into `self.s`, live and unmoved.
        let n = unsafe {
            floor::syscall4(
                SENDMMSG,
                self.fd.as_raw_fd() as usize,
                self.s.hdrs.as_mut_ptr() as usize,
                BATCH,
                NOSIGNAL,
            )
        };
        floor::expect_raw(n, BATCH);
    }
}

/// The fixed receiver of `batch-send` (and the floor of `batch-recv`).
struct RawRecv {
    fd: OwnedFd,
    s: Box<RecvState>,
}

impl RawRecv {
    #[inline(always)]
    fn recv(&mut self) {
        // SAFETY: the headers point into `self.s`, live and unmoved; no
        // timeout.
        let n = unsafe {
            floor::syscall5(
                RECVMMSG,
                self.fd.as_raw_fd() as usize,
                self.s.hdrs.as_mut_ptr() as usize,
                BATCH,
                CMSG_CLOEXEC,
                0,
            )
        };
        floor::expect_raw(n, BATCH);
    }

    /// The same `recvmmsg` through glibc's wrapper.
    #[inline(always)]
    fn libc_recv(&mut self) {
        // SAFETY: the headers point into `self.s`, live and unmoved; no
        // timeout.
        let n = unsafe {
            libc::recvmmsg(
                self.fd.as_raw_fd(),
                self.s.hdrs.as_mut_ptr(),
                BATCH as u32,
                libc::MSG_CMSG_CLOEXEC,
                std::ptr::null_mut(),
            )
        };
        if n != BATCH as i32 {
            fail(&(n, std::io::Error::last_os_error()));
        }
    }

    /// Checks every datagram's length, as every `batch-recv` row does.
    #[inline(always)]
    fn check(&self) {
        self.check_each(|_, _| {});
    }

    /// Checks every datagram's length and hands its header and sender's
    /// storage to `f`: the typed rows' loop.
    #[inline(always)]
    fn check_each(&self, mut f: impl FnMut(&libc::mmsghdr, &libc::sockaddr_storage)) {
        for (h, name) in self.s.hdrs.iter().zip(&self.s.names) {
            if h.msg_len != PAYLOAD as u32 {
                fail_len(h.msg_len as usize);
            }
            f(h, name);
        }
    }
}

fn raw_pair() -> (RawSend, RawRecv) {
    let (a, b) = udp_unconnected_pair();
    let s = send_state(b.local_addr().unwrap());
    (
        RawSend { fd: a.into(), s },
        RawRecv {
            fd: b.into(),
            s: recv_state(),
        },
    )
}

fn leak<T>(value: T) -> &'static mut T {
    Box::leak(Box::new(value))
}

// ---------------------------------------------------------------------------
// batch-send

/// Floor: bare `sendmmsg` of the prebuilt headers.
pub struct SendFloor(RawSend, RawRecv);
impl Pair for SendFloor {
    #[inline]
    fn pair(&mut self) {
        self.0.send();
        self.1.recv();
    }
}

/// libc: `sendmmsg` of the prebuilt headers.
pub struct SendLibc(RawSend, RawRecv);
impl Pair for SendLibc {
    #[inline]
    fn pair(&mut self) {
        let tx = &mut self.0;
        // SAFETY: the headers point into `tx.s`, live and unmoved.
        let n = unsafe {
            libc::sendmmsg(
                tx.fd.as_raw_fd(),
                tx.s.hdrs.as_mut_ptr(),
                BATCH as u32,
                libc::MSG_NOSIGNAL,
            )
        };
        if n != BATCH as i32 {
            fail(&(n, std::io::Error::last_os_error()));
        }
        self.1.recv();
    }
}

/// zerosock's low-level batch: a `SendBatch` filled once (each message with
/// `Some(&to)`), sent by `Socket::send_mmsg` on every iteration.
pub struct SendZs {
    tx: zerosock::Socket,
    batch: zerosock::msg::SendBatch<'static, BATCH>,
    rx: RawRecv,
}
impl Pair for SendZs {
    #[inline]
    fn pair(&mut self) {
        super::expect_n(
            self.tx.send_mmsg(&mut self.batch, zerosock::MsgFlags::NONE),
            BATCH,
        );
        self.rx.recv();
    }
}

/// zerosock's typed batch: a `UdpSendBatch` made once; on every iteration
/// it is cleared and refilled with 32 `(&[u8], SocketAddr)` by
/// `UdpSendBatch::extend_from_slice` (each destination encoded into its
/// slot's `sockaddr_in`), then sent by
/// `UdpSocket::send_to_batch`.
pub struct SendZsTyped {
    tx: zerosock::UdpSocket,
    msgs: Box<[(&'static [u8], SocketAddr); BATCH]>,
    batch: zerosock::msg::UdpSendBatch<'static, BATCH>,
    rx: RawRecv,
}
impl Pair for SendZsTyped {
    #[inline]
    fn pair(&mut self) {
        self.batch.clear();
        if self.batch.extend_from_slice(&black_box(&self.msgs)[..]) != BATCH {
            fail(&"batch full");
        }
        super::expect_n(self.tx.send_to_batch(&mut self.batch), BATCH);
        self.rx.recv();
    }
}

/// Group `batch-send`.
pub fn batch_send(v: &mut impl Visit) {
    v.visit("floor", || {
        let (tx, rx) = raw_pair();
        SendFloor(tx, rx)
    });
    v.visit("zerosock", || {
        let (a, b) = udp_unconnected_pair();
        let to: &'static zerosock::addr::SockAddr = leak(b.local_addr().unwrap().into());
        let out: &'static [[u8; PAYLOAD]; BATCH] = leak([[0x5a; PAYLOAD]; BATCH]);
        let mut batch = zerosock::msg::SendBatch::new();
        for data in out {
            batch.push(data, Some(to), zerosock::msg::Control::NONE).unwrap();
        }
        SendZs {
            tx: zs(a),
            batch,
            rx: RawRecv {
                fd: b.into(),
                s: recv_state(),
            },
        }
    });
    v.visit("zerosock-typed", || {
        let (a, b) = udp_unconnected_pair();
        let to = b.local_addr().unwrap();
        let out: &'static [[u8; PAYLOAD]; BATCH] = leak([[0x5a; PAYLOAD]; BATCH]);
        let msgs = Box::new(std::array::from_fn(|i| (&out[i][..], to)));
        SendZsTyped {
            tx: zs(a).into(),
            msgs,
            batch: zerosock::msg::UdpSendBatch::new(),
            rx: RawRecv {
                fd: b.into(),
                s: recv_state(),
            },
        }
    });
    v.visit("libc", || {
        let (tx, rx) = raw_pair();
        SendLibc(tx, rx)
    });
}

// ---------------------------------------------------------------------------
// batch-recv

/// Floor: bare `recvmmsg` into the prebuilt headers.
pub struct RecvFloor(RawSend, RawRecv);
impl Pair for RecvFloor {
    #[inline]
    fn pair(&mut self) {
        self.0.send();
        self.1.recv();
        self.1.check();
    }
}

/// The floor of a typed receive: the floor's `recvmmsg`, then each
/// datagram's length checked and its sender decoded as an IPv4 address
/// with no look at its family or length (wrong for any other sender: a
/// bound, not an implementation) and kept through `black_box` as an
/// `Option<SocketAddr>`, as the typed rows keep theirs.
pub struct RecvFloorTyped(RawSend, RawRecv);
impl Pair for RecvFloorTyped {
    #[inline]
    fn pair(&mut self) {
        self.0.send();
        self.1.recv();
        self.1.check_each(|_, name| {
            // SAFETY: `sockaddr_storage` is larger than and aligned for
            // `sockaddr_in`, and initialised.
            let sin = unsafe { &*std::ptr::from_ref(name).cast::<libc::sockaddr_in>() };
            black_box(Some(SocketAddr::V4(std::net::SocketAddrV4::new(
                u32::from_be(sin.sin_addr.s_addr).into(),
                u16::from_be(sin.sin_port),
            ))));
        });
    }
}

/// libc: `recvmmsg` into the prebuilt headers (`MSG_CMSG_CLOEXEC`, no
/// timeout).
pub struct RecvLibc(RawSend, RawRecv);
impl Pair for RecvLibc {
    #[inline]
    fn pair(&mut self) {
        self.0.send();
        self.1.libc_recv();
        self.1.check();
    }
}

/// libc with a typed result, like for like with `zerosock-typed`: the
/// `libc` row's `recvmmsg`, then each datagram's length checked and its
/// sender decoded into a `SocketAddr` (kept through `black_box`) by the
/// same decoder as the `udp-unconnected-typed` group's libc row. Like the
/// `libc` row, and unlike a table that may move between sockets, it never
/// resets `msg_namelen` (the kernel writes back 16 for every IPv4 sender,
/// enough for the next call on the same socket).
pub struct RecvLibcTyped(RawSend, RawRecv);
impl Pair for RecvLibcTyped {
    #[inline]
    fn pair(&mut self) {
        self.0.send();
        self.1.libc_recv();
        self.1.check_each(|h, name| {
            // SAFETY: `MaybeUninit<T>` has `T`'s layout; `name` is initialised.
            let name =
                unsafe { &*std::ptr::from_ref(name).cast::<std::mem::MaybeUninit<libc::sockaddr_storage>>() };
            black_box(super::libc_decode(name, h.msg_hdr.msg_namelen));
        });
    }
}

/// zerosock's low-level batch: one `RecvBatch`, made once, received into by
/// `Socket::recv_mmsg` on every iteration; each message's length checked
/// through `RecvBatch::iter`.
pub struct RecvZs {
    tx: RawSend,
    rx: zerosock::Socket,
    batch: zerosock::msg::RecvBatch<'static, BATCH>,
}
impl Pair for RecvZs {
    #[inline]
    fn pair(&mut self) {
        self.tx.send();
        super::expect_n(
            self.rx.recv_mmsg(&mut self.batch, zerosock::MsgFlags::NONE),
            BATCH,
        );
        for m in self.batch.iter() {
            if m.len != PAYLOAD {
                fail_len(m.len);
            }
        }
    }
}

/// zerosock's typed batch: one `UdpRecvBatch`, made once, received into by
/// `UdpSocket::recv_from_batch` on every iteration; each datagram's length
/// checked and its sender decoded into a `SocketAddr` (kept through
/// `black_box`) by `UdpRecvBatch::iter`.
pub struct RecvZsTyped {
    tx: RawSend,
    rx: zerosock::UdpSocket,
    batch: zerosock::msg::UdpRecvBatch<'static, BATCH>,
}
impl Pair for RecvZsTyped {
    #[inline]
    fn pair(&mut self) {
        self.tx.send();
        super::expect_n(self.rx.recv_from_batch(&mut self.batch), BATCH);
        for m in self.batch.iter() {
            if m.len != PAYLOAD {
                fail_len(m.len);
            }
            black_box(m.from);
        }
    }
}

/// Group `batch-recv`.
pub fn batch_recv(v: &mut impl Visit) {
    v.visit("floor", || {
        let (tx, rx) = raw_pair();
        RecvFloor(tx, rx)
    });
    v.visit("floor-typed", || {
        let (tx, rx) = raw_pair();
        RecvFloorTyped(tx, rx)
    });
    v.visit("zerosock", || {
        let (a, b): (UdpSocket, UdpSocket) = udp_unconnected_pair();
        let s = send_state(b.local_addr().unwrap());
        let space: &'static mut [[u8; PAYLOAD]; BATCH] = leak([[0; PAYLOAD]; BATCH]);
        let batch = zerosock::msg::RecvBatch::new(space.each_mut().map(|b| &mut b[..]));
        RecvZs {
            tx: RawSend { fd: a.into(), s },
            rx: zs(b),
            batch,
        }
    });
    v.visit("zerosock-typed", || {
        let (a, b) = udp_unconnected_pair();
        let s = send_state(b.local_addr().unwrap());
        let space: &'static mut [[u8; PAYLOAD]; BATCH] = leak([[0; PAYLOAD]; BATCH]);
        RecvZsTyped {
            tx: RawSend { fd: a.into(), s },
            rx: zs(b).into(),
            batch: zerosock::msg::UdpRecvBatch::new(space.each_mut().map(|b| &mut b[..])),
        }
    });
    v.visit("libc", || {
        let (tx, rx) = raw_pair();
        RecvLibc(tx, rx)
    });
    v.visit("libc-typed", || {
        let (tx, rx) = raw_pair();
        RecvLibcTyped(tx, rx)
    });
}
