//! Groups 6 and 7: many datagrams per system call.
//!
//! 6. `udp-batch`: 32 datagrams of 64 B over connected UDP on 127.0.0.1,
//!    by `sendmmsg` + `recvmmsg` against 32 single `send` + `recv` pairs.
//! 7. `udp-gso`: 32 segments of 1400 B, by one `sendmsg` with
//!    `UDP_SEGMENT` (GSO) received with `UDP_GRO` on, against 32 single
//!    sends and receives; and quinn-udp's GSO path on the same sockets.

mod common;
mod crit;

use std::hint::black_box;
use std::io::IoSliceMut;
use std::mem::{size_of, zeroed};
use std::net::{SocketAddr, UdpSocket};
use std::os::fd::{AsRawFd, OwnedFd};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

use common::{Dgram, Pair, Visit};
use crit::Bench;

const BATCH: usize = 32;

/// Runs each implementation's single pair `BATCH` times, as `<name>-single`.
struct Times<'v, V>(&'v mut V);

struct Repeat<P>(P);

impl<P: Pair> Pair for Repeat<P> {
    #[inline]
    fn pair(&mut self) {
        for _ in 0..BATCH {
            self.0.pair();
        }
    }
}

impl<V: Visit> Visit for Times<'_, V> {
    fn visit<P: Pair>(&mut self, name: &str, make: impl FnOnce() -> P) {
        self.0.visit(&format!("{name}-single"), || Repeat(make()));
    }
}

// ---------------------------------------------------------------------------
// Group 6: sendmmsg/recvmmsg.

/// libc: `sendmmsg` of 32 headers built once, `recvmmsg` of 32 (looping
/// until all 32 are in, though loopback delivers them before `sendmmsg`
/// returns).
struct LibcMmsg {
    a: OwnedFd,
    b: OwnedFd,
    // Boxed so that the headers' pointers into the buffers stay valid.
    state: Box<MmsgState>,
}

struct MmsgState {
    out: [[u8; common::PAYLOAD]; BATCH],
    buf: [[u8; common::PAYLOAD]; BATCH],
    out_iov: [libc::iovec; BATCH],
    buf_iov: [libc::iovec; BATCH],
    send: [libc::mmsghdr; BATCH],
    recv: [libc::mmsghdr; BATCH],
}

impl LibcMmsg {
    fn new() -> Self {
        let (a, b) = common::udp_connected_pair();
        // SAFETY: plain C structs, for which all-zero is a valid value.
        let mut state: Box<MmsgState> = Box::new(unsafe { zeroed() });
        state.out = [[0x5a; common::PAYLOAD]; BATCH];
        for i in 0..BATCH {
            state.out_iov[i] = libc::iovec {
                iov_base: state.out[i].as_mut_ptr().cast(),
                iov_len: common::PAYLOAD,
            };
            state.buf_iov[i] = libc::iovec {
                iov_base: state.buf[i].as_mut_ptr().cast(),
                iov_len: common::PAYLOAD,
            };
            state.send[i].msg_hdr.msg_iov = &raw mut state.out_iov[i];
            state.send[i].msg_hdr.msg_iovlen = 1;
            state.recv[i].msg_hdr.msg_iov = &raw mut state.buf_iov[i];
            state.recv[i].msg_hdr.msg_iovlen = 1;
        }
        Self {
            a: a.into(),
            b: b.into(),
            state,
        }
    }
}

impl Pair for LibcMmsg {
    #[inline]
    fn pair(&mut self) {
        let s = &mut *self.state;
        // SAFETY: the headers point into `s`, which lives for the calls.
        let sent = unsafe { libc::sendmmsg(self.a.as_raw_fd(), s.send.as_mut_ptr(), BATCH as u32, 0) };
        assert_eq!(
            sent,
            BATCH as i32,
            "sendmmsg: {}",
            std::io::Error::last_os_error()
        );
        let mut got = 0;
        while got < BATCH {
            // SAFETY: as above.
            let n = unsafe {
                libc::recvmmsg(
                    self.b.as_raw_fd(),
                    s.recv[got..].as_mut_ptr(),
                    (BATCH - got) as u32,
                    libc::MSG_WAITFORONE,
                    std::ptr::null_mut(),
                )
            };
            assert!(n > 0, "recvmmsg: {}", std::io::Error::last_os_error());
            got += n as usize;
        }
        assert!(s.recv.iter().all(|m| m.msg_len == common::PAYLOAD as u32));
    }
}

/// nix: `sendmmsg` + `recvmmsg` with `MultiHeaders` preallocated once.
struct NixMmsg {
    a: OwnedFd,
    b: OwnedFd,
    out: [[u8; common::PAYLOAD]; BATCH],
    buf: [[u8; common::PAYLOAD]; BATCH],
    send: nix::sys::socket::MultiHeaders<nix::sys::socket::SockaddrIn>,
    recv: nix::sys::socket::MultiHeaders<nix::sys::socket::SockaddrIn>,
    to: [Option<nix::sys::socket::SockaddrIn>; BATCH],
}

impl NixMmsg {
    fn new() -> Self {
        use nix::sys::socket::MultiHeaders;
        let (a, b) = common::udp_connected_pair();
        Self {
            a: a.into(),
            b: b.into(),
            out: [[0x5a; common::PAYLOAD]; BATCH],
            buf: [[0; common::PAYLOAD]; BATCH],
            send: MultiHeaders::preallocate(BATCH, None),
            recv: MultiHeaders::preallocate(BATCH, None),
            to: [None; BATCH],
        }
    }
}

impl Pair for NixMmsg {
    #[inline]
    fn pair(&mut self) {
        use nix::sys::socket::{MsgFlags, recvmmsg, sendmmsg};
        use std::io::IoSlice;
        let iovs: [[IoSlice<'_>; 1]; BATCH] = std::array::from_fn(|i| [IoSlice::new(&self.out[i])]);
        let sent = sendmmsg(
            self.a.as_raw_fd(),
            &mut self.send,
            &iovs,
            self.to,
            [],
            MsgFlags::empty(),
        )
        .expect("sendmmsg")
        .count();
        assert_eq!(sent, BATCH);
        let mut bufs = self
            .buf
            .iter_mut()
            .map(|b| [IoSliceMut::new(b)])
            .collect::<Vec<_>>();
        let got = recvmmsg(
            self.b.as_raw_fd(),
            &mut self.recv,
            &mut bufs,
            MsgFlags::empty(),
            None,
        )
        .expect("recvmmsg")
        .map(|m| m.bytes)
        .sum::<usize>();
        assert_eq!(got, BATCH * common::PAYLOAD);
    }
}

/// zerosock's typed API: a `UdpSendBatch` refilled with each message and
/// its destination (as a typed-socket user writes it) and sent by
/// `UdpSocket::send_to_batch`; a `UdpRecvBatch` received into by
/// `UdpSocket::recv_from_batch` (each sender decoded). Both batches are
/// made once and kept, as their docs advise.
struct ZsBatch {
    a: zerosock::UdpSocket,
    b: zerosock::UdpSocket,
    msgs: [(&'static [u8], SocketAddr); BATCH],
    send: zerosock::msg::UdpSendBatch<'static, BATCH>,
    recv: zerosock::msg::UdpRecvBatch<'static, BATCH>,
}

impl ZsBatch {
    fn new() -> Self {
        let (a, b) = common::udp_connected_pair();
        let to = b.local_addr().unwrap();
        let out: &'static [[u8; common::PAYLOAD]; BATCH] =
            Box::leak(Box::new([[0x5a; common::PAYLOAD]; BATCH]));
        let buf: &'static mut [[u8; common::PAYLOAD]; BATCH] =
            Box::leak(Box::new([[0; common::PAYLOAD]; BATCH]));
        Self {
            a: common::zs(a).into(),
            b: common::zs(b).into(),
            msgs: std::array::from_fn(|i| (&out[i][..], to)),
            send: zerosock::msg::UdpSendBatch::new(),
            recv: zerosock::msg::UdpRecvBatch::new(buf.each_mut().map(|b| &mut b[..])),
        }
    }
}

impl Pair for ZsBatch {
    #[inline]
    fn pair(&mut self) {
        self.send.clear();
        assert_eq!(self.send.extend_from_slice(&self.msgs), BATCH);
        assert_eq!(
            self.a.send_to_batch(&mut self.send).expect("send_to_batch"),
            BATCH
        );
        let mut got = 0;
        while got < BATCH {
            let n = self.b.recv_from_batch(&mut self.recv).expect("recv_from_batch");
            assert!(n > 0);
            assert!(
                self.recv
                    .iter()
                    .all(|m| m.len == common::PAYLOAD && m.from.is_some())
            );
            got += n;
        }
    }
}

/// zerosock's `Socket::send_mmsg` with a `SendBatch` (no addresses, as
/// libc's row) and `Socket::recv_mmsg` with a `RecvBatch`.
struct ZsSocketMmsg {
    a: zerosock::Socket,
    b: zerosock::Socket,
    out: [[u8; common::PAYLOAD]; BATCH],
    buf: [[u8; common::PAYLOAD]; BATCH],
}

impl ZsSocketMmsg {
    fn new() -> Self {
        let (a, b) = common::udp_connected_pair();
        Self {
            a: common::zs(a),
            b: common::zs(b),
            out: [[0x5a; common::PAYLOAD]; BATCH],
            buf: [[0; common::PAYLOAD]; BATCH],
        }
    }
}

impl Pair for ZsSocketMmsg {
    #[inline]
    fn pair(&mut self) {
        use zerosock::MsgFlags;
        use zerosock::msg::{Control, RecvBatch, SendBatch};
        let mut send = SendBatch::<BATCH>::new();
        for out in &self.out {
            send.push(out, None, Control::NONE).expect("batch room");
        }
        assert_eq!(
            self.a.send_mmsg(&mut send, MsgFlags::NONE).expect("send_mmsg"),
            BATCH
        );
        let mut recv = RecvBatch::new(self.buf.each_mut().map(|b| &mut b[..]));
        // All 32 are queued before send_mmsg returns (loopback), so one call
        // that waits for all of them takes them.
        assert_eq!(
            self.b.recv_mmsg(&mut recv, MsgFlags::NONE).expect("recv_mmsg"),
            BATCH
        );
        assert!(recv.iter().all(|m| m.data.len() == common::PAYLOAD));
    }
}

fn batching(c: &mut Criterion) {
    let mut g = c.benchmark_group("udp-batch");
    g.throughput(Throughput::Elements(BATCH as u64));
    let mut bench = Bench(&mut g);
    bench.visit("zerosock-mmsg", ZsBatch::new);
    bench.visit("zerosock-socket-mmsg", ZsSocketMmsg::new);
    bench.visit("libc-mmsg", LibcMmsg::new);
    bench.visit("nix-mmsg", NixMmsg::new);
    common::udp_connected(&mut Times(&mut bench));
    g.finish();
}

// ---------------------------------------------------------------------------
// Group 7: GSO/GRO.

const SEGMENT: usize = 1400;
const GSO_BYTES: usize = SEGMENT * BATCH;

/// Room for the receive buffer: GRO may hand over up to 64 KiB at once.
const GRO_BUF: usize = 1 << 16;

fn set_int(fd: &OwnedFd, level: i32, name: i32, value: i32) {
    // SAFETY: a valid fd and an `int` option value.
    let r = unsafe {
        libc::setsockopt(
            fd.as_raw_fd(),
            level,
            name,
            (&raw const value).cast(),
            size_of::<i32>() as libc::socklen_t,
        )
    };
    assert_eq!(
        r,
        0,
        "setsockopt({level}, {name}): {}",
        std::io::Error::last_os_error()
    );
}

/// Per-datagram: 32 sends of 1400 B, each received at once.
struct Single<S> {
    a: S,
    b: S,
    out: Vec<u8>,
    buf: Vec<u8>,
}

impl<S: Dgram> Pair for Single<S> {
    #[inline]
    fn pair(&mut self) {
        for _ in 0..BATCH {
            assert_eq!(self.a.send(&self.out).expect("send"), SEGMENT);
            assert_eq!(self.b.recv(&mut self.buf).expect("recv"), SEGMENT);
        }
    }
}

/// The same for raw libc.
struct LibcSingle {
    a: OwnedFd,
    b: OwnedFd,
    out: Vec<u8>,
    buf: Vec<u8>,
}

impl Pair for LibcSingle {
    #[inline]
    fn pair(&mut self) {
        for _ in 0..BATCH {
            // SAFETY: valid fds and buffers of the lengths given.
            unsafe {
                let n = libc::send(self.a.as_raw_fd(), self.out.as_ptr().cast(), SEGMENT, 0);
                assert_eq!(n, SEGMENT as isize);
                let n = libc::recv(
                    self.b.as_raw_fd(),
                    self.buf.as_mut_ptr().cast(),
                    self.buf.len(),
                    0,
                );
                assert_eq!(n, SEGMENT as isize);
            }
        }
    }
}

/// libc: one `sendmsg` of 44,800 B with a `UDP_SEGMENT` control message of
/// 1400; `recvmsg` with `UDP_GRO` on until all bytes are in (loopback hands
/// the whole GSO packet over at once).
struct LibcGso {
    a: OwnedFd,
    b: OwnedFd,
    out: Vec<u8>,
    buf: Vec<u8>,
}

/// A control buffer aligned for `cmsghdr`.
#[repr(C, align(8))]
struct Cmsg([u8; 64]);

impl LibcGso {
    fn new() -> Self {
        let (a, b) = common::udp_connected_pair();
        let (a, b): (OwnedFd, OwnedFd) = (a.into(), b.into());
        set_int(&b, libc::SOL_UDP, libc::UDP_GRO, 1);
        Self {
            a,
            b,
            out: vec![0x5a; GSO_BYTES],
            buf: vec![0; GRO_BUF],
        }
    }
}

impl Pair for LibcGso {
    #[inline]
    fn pair(&mut self) {
        let mut ctrl = Cmsg([0; 64]);
        // SAFETY: the header points at `iov` and `ctrl`, both live for the
        // calls; CMSG_* stay inside `ctrl` (its length is set first).
        unsafe {
            let mut iov = libc::iovec {
                iov_base: self.out.as_mut_ptr().cast(),
                iov_len: GSO_BYTES,
            };
            let mut msg: libc::msghdr = zeroed();
            msg.msg_iov = &raw mut iov;
            msg.msg_iovlen = 1;
            msg.msg_control = ctrl.0.as_mut_ptr().cast();
            msg.msg_controllen = libc::CMSG_SPACE(size_of::<u16>() as u32) as usize;
            let cmsg = libc::CMSG_FIRSTHDR(&msg);
            (*cmsg).cmsg_level = libc::SOL_UDP;
            (*cmsg).cmsg_type = libc::UDP_SEGMENT;
            (*cmsg).cmsg_len = libc::CMSG_LEN(size_of::<u16>() as u32) as usize;
            libc::CMSG_DATA(cmsg)
                .cast::<u16>()
                .write_unaligned(SEGMENT as u16);
            let n = libc::sendmsg(self.a.as_raw_fd(), &msg, 0);
            assert_eq!(
                n,
                GSO_BYTES as isize,
                "sendmsg: {}",
                std::io::Error::last_os_error()
            );

            let mut got = 0;
            while got < GSO_BYTES {
                let mut iov = libc::iovec {
                    iov_base: self.buf.as_mut_ptr().cast(),
                    iov_len: GRO_BUF,
                };
                let mut msg: libc::msghdr = zeroed();
                msg.msg_iov = &raw mut iov;
                msg.msg_iovlen = 1;
                msg.msg_control = ctrl.0.as_mut_ptr().cast();
                msg.msg_controllen = ctrl.0.len();
                let n = libc::recvmsg(self.b.as_raw_fd(), &mut msg, 0);
                assert!(n > 0, "recvmsg: {}", std::io::Error::last_os_error());
                got += n as usize;
            }
            assert_eq!(got, GSO_BYTES);
        }
    }
}

/// zerosock: `UdpSocket::send_gso` and `UdpSocket::recv_gro`.
struct ZsGso {
    a: zerosock::UdpSocket,
    b: zerosock::UdpSocket,
    out: Vec<u8>,
    buf: Vec<u8>,
}

impl ZsGso {
    fn new() -> Self {
        let (a, b) = common::udp_connected_pair();
        let (a, b): (zerosock::UdpSocket, zerosock::UdpSocket) = (common::zs(a).into(), common::zs(b).into());
        b.as_socket()
            .set_option(libc::SOL_UDP as u32, libc::UDP_GRO as u32, &1i32)
            .expect("UDP_GRO");
        Self {
            a,
            b,
            out: vec![0x5a; GSO_BYTES],
            buf: vec![0; GRO_BUF],
        }
    }
}

impl Pair for ZsGso {
    #[inline]
    fn pair(&mut self) {
        assert_eq!(
            self.a.send_gso(&self.out, SEGMENT as u16).expect("send_gso"),
            GSO_BYTES
        );
        let mut got = 0;
        while got < GSO_BYTES {
            got += self.b.recv_gro(&mut self.buf).expect("recv_gro").len;
        }
        assert_eq!(got, GSO_BYTES);
    }
}

/// quinn-udp: one `Transmit` with `segment_size` 1400, received with
/// `UdpSocketState::recv` (GRO, which quinn-udp turns on). quinn-udp makes
/// its sockets non-blocking; loopback has delivered before `send` returns,
/// so `WouldBlock` is an error here.
struct QuinnGso {
    a: UdpSocket,
    b: UdpSocket,
    a_state: quinn_udp::UdpSocketState,
    b_state: quinn_udp::UdpSocketState,
    to: SocketAddr,
    out: Vec<u8>,
    buf: Vec<u8>,
}

impl QuinnGso {
    fn new() -> Self {
        let (a, b) = common::udp_connected_pair();
        let a_state = quinn_udp::UdpSocketState::new((&a).into()).expect("quinn-udp state");
        let b_state = quinn_udp::UdpSocketState::new((&b).into()).expect("quinn-udp state");
        assert!(
            a_state.max_gso_segments() >= BATCH,
            "no GSO here: {}",
            a_state.max_gso_segments()
        );
        let to = b.local_addr().unwrap();
        Self {
            a,
            b,
            a_state,
            b_state,
            to,
            out: vec![0x5a; GSO_BYTES],
            buf: vec![0; GRO_BUF],
        }
    }
}

impl Pair for QuinnGso {
    #[inline]
    fn pair(&mut self) {
        let transmit = quinn_udp::Transmit {
            destination: self.to,
            ecn: None,
            contents: &self.out,
            segment_size: Some(SEGMENT),
            src_ip: None,
        };
        self.a_state
            .send((&self.a).into(), &transmit)
            .expect("quinn-udp send");
        let mut got = 0;
        while got < GSO_BYTES {
            let mut meta = [quinn_udp::RecvMeta::default()];
            let mut bufs = [IoSliceMut::new(&mut self.buf)];
            let n = self
                .b_state
                .recv((&self.b).into(), &mut bufs, &mut meta)
                .expect("quinn-udp recv");
            got += meta[..n].iter().map(|m| m.len).sum::<usize>();
        }
        assert_eq!(got, GSO_BYTES);
        black_box(&self.buf);
    }
}

fn gso(c: &mut Criterion) {
    let mut g = c.benchmark_group("udp-gso");
    g.throughput(Throughput::Bytes(GSO_BYTES as u64));
    let mut bench = Bench(&mut g);
    bench.visit("libc-single", || {
        let (a, b) = common::udp_connected_pair();
        LibcSingle {
            a: a.into(),
            b: b.into(),
            out: vec![0x5a; SEGMENT],
            buf: vec![0; GRO_BUF],
        }
    });
    bench.visit("zerosock-single", || {
        let (a, b) = common::udp_connected_pair();
        let (a, b): (zerosock::UdpSocket, zerosock::UdpSocket) = (common::zs(a).into(), common::zs(b).into());
        Single {
            a,
            b,
            out: vec![0x5a; SEGMENT],
            buf: vec![0; GRO_BUF],
        }
    });
    bench.visit("zerosock-gso", ZsGso::new);
    bench.visit("libc-gso", LibcGso::new);
    bench.visit("quinn-udp-gso", QuinnGso::new);
    g.finish();
}

criterion_group! {
    name = benches;
    config = crit::config();
    targets = batching, gso
}
criterion_main!(benches);
