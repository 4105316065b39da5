//! The datagram hot path of every implementation, shared by the criterion
//! benches (`benches/sockets.rs`) and the instruction-count harness
//! (`benches/instr.rs`), so both measure exactly the same code.
//!
//! Each group builds the same kind of sockets for every implementation
//! (created once with `std`, then handed over by fd, so setup is identical)
//! and one [`Pair`] per implementation: one send and one receive of a
//! [`PAYLOAD`]-byte datagram, with the result checked the same way.
//!
//! Each group lists its implementations through a [`Visit`]or, which receives
//! a constructor per implementation; the benches run them all, the
//! instruction harness runs only the one named on its command line.

#![allow(dead_code, unsafe_code)]

use std::fmt::Debug;
use std::hint::black_box;
use std::mem::{MaybeUninit, size_of};
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4, UdpSocket};
use std::os::fd::{AsRawFd, IntoRawFd, OwnedFd};
use std::os::unix::net::UnixDatagram;

pub mod tcp;

/// Bytes per datagram in the hot-path groups.
pub const PAYLOAD: usize = 64;

/// The implementations, in the order every table lists them.
pub const IMPLS: [&str; 6] = ["zerosock", "libc", "std", "rustix", "socket2", "nix"];

/// One send and one receive, checked. Each implementation owns its sockets
/// (and, for TCP, its server thread).
pub trait Pair: 'static {
    /// Sends one datagram and receives it.
    fn pair(&mut self);
}

/// Receives each implementation of a group: its name and a constructor.
pub trait Visit {
    /// Called once per implementation, in the order of [`IMPLS`].
    fn visit<P: Pair>(&mut self, name: &str, make: impl FnOnce() -> P);
}

#[cold]
#[inline(never)]
fn fail(what: &dyn Debug) -> ! {
    panic!("unexpected result: {what:?}")
}

/// Checks a result the same way for every implementation: `Ok(PAYLOAD)`.
#[inline(always)]
pub fn expect<E: Debug>(r: Result<usize, E>) {
    match r {
        Ok(PAYLOAD) => {}
        other => fail(&other),
    }
}

/// Checks a C return value: `PAYLOAD`.
#[inline(always)]
pub fn expect_c(n: isize) {
    if n != PAYLOAD as isize {
        fail(&(n, std::io::Error::last_os_error()))
    }
}

/// A zerosock socket from a std fd.
pub fn zs(fd: impl Into<OwnedFd>) -> zerosock::Socket {
    // SAFETY: the fd is open and ours; ownership passes to the new value.
    unsafe {
        zerosock::Socket::from(<zerosock::fd::OwnedFd as zerosock::fd::FromRawFd>::from_raw_fd(
            fd.into().into_raw_fd(),
        ))
    }
}

/// A rustix-owned fd from a std fd (rustix's own fd types when its `std`
/// feature is off).
pub fn rx(fd: impl Into<OwnedFd>) -> rustix::fd::OwnedFd {
    // SAFETY: as in `zs`.
    unsafe { <rustix::fd::OwnedFd as rustix::fd::FromRawFd>::from_raw_fd(fd.into().into_raw_fd()) }
}

/// Two UDP sockets on 127.0.0.1, each connected to the other.
pub fn udp_connected_pair() -> (UdpSocket, UdpSocket) {
    let (a, b) = udp_unconnected_pair();
    a.connect(b.local_addr().unwrap()).unwrap();
    b.connect(a.local_addr().unwrap()).unwrap();
    (a, b)
}

/// Two unconnected UDP sockets on 127.0.0.1.
pub fn udp_unconnected_pair() -> (UdpSocket, UdpSocket) {
    let a = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let b = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    (a, b)
}

fn v4(addr: SocketAddr) -> SocketAddrV4 {
    match addr {
        SocketAddr::V4(v4) => v4,
        SocketAddr::V6(_) => unreachable!("bound to 127.0.0.1"),
    }
}

// ---------------------------------------------------------------------------
// Group 1 and 3: send + recv on connected datagram sockets (UDP or Unix).
// The same structs serve both: only the sockets differ.

/// The typed datagram sockets' `send`/`recv`: zerosock's and std's
/// `UdpSocket` and `UnixDatagram`, all four shaped alike.
pub trait Dgram: 'static {
    /// The error type.
    type Error: Debug;
    /// `send`.
    fn send(&self, buf: &[u8]) -> Result<usize, Self::Error>;
    /// `recv`.
    fn recv(&self, buf: &mut [u8]) -> Result<usize, Self::Error>;
}

macro_rules! dgram {
    ($($ty:ty => $err:ty),*) => {$(
        impl Dgram for $ty {
            type Error = $err;
            #[inline(always)]
            fn send(&self, buf: &[u8]) -> Result<usize, $err> {
                <$ty>::send(self, buf)
            }
            #[inline(always)]
            fn recv(&self, buf: &mut [u8]) -> Result<usize, $err> {
                <$ty>::recv(self, buf)
            }
        }
    )*};
}

dgram!(
    zerosock::UdpSocket => zerosock::Errno,
    zerosock::UnixDatagram => zerosock::Errno,
    UdpSocket => std::io::Error,
    UnixDatagram => std::io::Error
);

/// zerosock and std: the typed socket's `send` + `recv`.
pub struct Typed<S> {
    a: S,
    b: S,
    out: [u8; PAYLOAD],
    buf: [u8; PAYLOAD],
}

impl<S: Dgram> Pair for Typed<S> {
    #[inline]
    fn pair(&mut self) {
        expect(self.a.send(&self.out));
        expect(self.b.recv(&mut self.buf));
    }
}

/// libc: `send` + `recv`.
pub struct LibcConnected {
    a: OwnedFd,
    b: OwnedFd,
    out: [u8; PAYLOAD],
    buf: [u8; PAYLOAD],
}

impl Pair for LibcConnected {
    #[inline]
    fn pair(&mut self) {
        // SAFETY: valid fds and buffers of the lengths given.
        unsafe {
            expect_c(libc::send(
                self.a.as_raw_fd(),
                self.out.as_ptr().cast(),
                PAYLOAD,
                0,
            ));
            expect_c(libc::recv(
                self.b.as_raw_fd(),
                self.buf.as_mut_ptr().cast(),
                PAYLOAD,
                0,
            ));
        }
    }
}

/// rustix: `net::send` + `net::recv`.
pub struct RustixConnected {
    a: rustix::fd::OwnedFd,
    b: rustix::fd::OwnedFd,
    out: [u8; PAYLOAD],
    buf: [u8; PAYLOAD],
}

impl Pair for RustixConnected {
    #[inline]
    fn pair(&mut self) {
        use rustix::net::{RecvFlags, SendFlags};
        expect(rustix::net::send(&self.a, &self.out, SendFlags::empty()));
        expect(rustix::net::recv(&self.b, &mut self.buf, RecvFlags::empty()).map(|(_, n)| n));
    }
}

/// socket2: `Socket::send` + `Socket::recv` (into uninitialised bytes, its
/// only `recv`).
pub struct Socket2Connected {
    a: socket2::Socket,
    b: socket2::Socket,
    out: [u8; PAYLOAD],
    buf: [MaybeUninit<u8>; PAYLOAD],
}

impl Pair for Socket2Connected {
    #[inline]
    fn pair(&mut self) {
        expect(self.a.send(&self.out));
        expect(self.b.recv(&mut self.buf));
    }
}

/// nix: `sys::socket::send` + `recv`.
pub struct NixConnected {
    a: OwnedFd,
    b: OwnedFd,
    out: [u8; PAYLOAD],
    buf: [u8; PAYLOAD],
}

impl Pair for NixConnected {
    #[inline]
    fn pair(&mut self) {
        use nix::sys::socket::MsgFlags;
        expect(nix::sys::socket::send(
            self.a.as_raw_fd(),
            &self.out,
            MsgFlags::empty(),
        ));
        expect(nix::sys::socket::recv(
            self.b.as_raw_fd(),
            &mut self.buf,
            MsgFlags::empty(),
        ));
    }
}

const OUT: [u8; PAYLOAD] = [0x5a; PAYLOAD];

fn connected_group<S, Z, V>(v: &mut V, pair: fn() -> (S, S))
where
    S: Dgram + Into<OwnedFd>,
    Z: Dgram + From<zerosock::Socket>,
    V: Visit,
{
    v.visit("zerosock", || {
        let (a, b) = pair();
        Typed {
            a: Z::from(zs(a)),
            b: Z::from(zs(b)),
            out: OUT,
            buf: [0; PAYLOAD],
        }
    });
    v.visit("libc", || {
        let (a, b) = pair();
        LibcConnected {
            a: a.into(),
            b: b.into(),
            out: OUT,
            buf: [0; PAYLOAD],
        }
    });
    v.visit("std", || {
        let (a, b) = pair();
        Typed {
            a,
            b,
            out: OUT,
            buf: [0; PAYLOAD],
        }
    });
    v.visit("rustix", || {
        let (a, b) = pair();
        RustixConnected {
            a: rx(a),
            b: rx(b),
            out: OUT,
            buf: [0; PAYLOAD],
        }
    });
    v.visit("socket2", || {
        let (a, b) = pair();
        Socket2Connected {
            a: socket2::Socket::from(a.into()),
            b: socket2::Socket::from(b.into()),
            out: OUT,
            buf: [MaybeUninit::uninit(); PAYLOAD],
        }
    });
    v.visit("nix", || {
        let (a, b) = pair();
        NixConnected {
            a: a.into(),
            b: b.into(),
            out: OUT,
            buf: [0; PAYLOAD],
        }
    });
}

/// Group 1: connected UDP on 127.0.0.1, send 64 B + recv.
pub fn udp_connected(v: &mut impl Visit) {
    connected_group::<_, zerosock::UdpSocket, _>(v, udp_connected_pair);
}

/// Group 3: Unix datagram socketpair, send 64 B + recv.
pub fn unix_dgram(v: &mut impl Visit) {
    connected_group::<_, zerosock::UnixDatagram, _>(v, || UnixDatagram::pair().unwrap());
}

// ---------------------------------------------------------------------------
// Group 2: unconnected UDP, send_to + recv_from, the source decoded into each
// library's typed address (libc: the raw `sockaddr_storage` bytes only).

/// zerosock: `UdpSocket::send_to` a `SocketAddr` (its `sockaddr_in` built
/// on the stack on each call, as std and rustix do), `UdpSocket::recv_from`
/// gives a `SocketAddr`.
pub struct ZsUnconnected {
    a: zerosock::UdpSocket,
    b: zerosock::UdpSocket,
    to: SocketAddr,
    out: [u8; PAYLOAD],
    buf: [u8; PAYLOAD],
}

impl Pair for ZsUnconnected {
    #[inline]
    fn pair(&mut self) {
        expect(self.a.send_to(&self.out, self.to));
        expect(self.b.recv_from(&mut self.buf).map(|(n, from)| {
            black_box(from);
            n
        }));
    }
}

/// zerosock's typed `UdpSocket` with the destination's `SockAddrIn` built
/// once, as libc's row does: `as_socket().send_to(&SockAddrIn)`, then
/// `UdpSocket::recv_from` (a `SocketAddr`).
pub struct ZsPrebuiltUnconnected {
    a: zerosock::UdpSocket,
    b: zerosock::UdpSocket,
    to: zerosock::addr::SockAddrIn,
    out: [u8; PAYLOAD],
    buf: [u8; PAYLOAD],
}

impl Pair for ZsPrebuiltUnconnected {
    #[inline]
    fn pair(&mut self) {
        expect(self.a.as_socket().send_to(&self.out, &self.to));
        expect(self.b.recv_from(&mut self.buf).map(|(n, from)| {
            black_box(from);
            n
        }));
    }
}

/// zerosock's untyped `Socket`: `send_to` a `SockAddrIn` built once (the C
/// habit its layouts allow), `recv_from` into a `SockAddr`, decoded with
/// `socket_addr`.
pub struct ZsSocketUnconnected {
    a: zerosock::Socket,
    b: zerosock::Socket,
    to: zerosock::addr::SockAddrIn,
    out: [u8; PAYLOAD],
    buf: [u8; PAYLOAD],
}

impl Pair for ZsSocketUnconnected {
    #[inline]
    fn pair(&mut self) {
        expect(self.a.send_to(&self.out, &self.to));
        let from = self
            .b
            .recv_from(&mut self.buf)
            .map(|(n, from)| (n, from.socket_addr()));
        expect(from.map(|(n, from)| {
            black_box(from.unwrap_or_else(|| fail(&"no address")));
            n
        }));
    }
}

/// libc: `sendto` a `sockaddr_in` built once, `recvfrom` into an
/// uninitialised `sockaddr_storage`; the address is left as bytes.
pub struct LibcUnconnected {
    a: OwnedFd,
    b: OwnedFd,
    to: libc::sockaddr_in,
    out: [u8; PAYLOAD],
    buf: [u8; PAYLOAD],
}

impl Pair for LibcUnconnected {
    #[inline]
    fn pair(&mut self) {
        let mut from = MaybeUninit::<libc::sockaddr_storage>::uninit();
        let mut len = size_of::<libc::sockaddr_storage>() as libc::socklen_t;
        // SAFETY: valid fds, buffers and address storage of the lengths given.
        unsafe {
            expect_c(libc::sendto(
                self.a.as_raw_fd(),
                self.out.as_ptr().cast(),
                PAYLOAD,
                0,
                (&raw const self.to).cast(),
                size_of::<libc::sockaddr_in>() as libc::socklen_t,
            ));
            expect_c(libc::recvfrom(
                self.b.as_raw_fd(),
                self.buf.as_mut_ptr().cast(),
                PAYLOAD,
                0,
                from.as_mut_ptr().cast(),
                &mut len,
            ));
        }
        black_box((&from, len));
    }
}

/// std: `UdpSocket::send_to` a `SocketAddr`, `recv_from` gives a `SocketAddr`.
pub struct StdUnconnected {
    a: UdpSocket,
    b: UdpSocket,
    to: SocketAddr,
    out: [u8; PAYLOAD],
    buf: [u8; PAYLOAD],
}

impl Pair for StdUnconnected {
    #[inline]
    fn pair(&mut self) {
        expect(self.a.send_to(&self.out, self.to));
        expect(self.b.recv_from(&mut self.buf).map(|(n, from)| {
            black_box(from);
            n
        }));
    }
}

/// rustix: `net::sendto` a `SocketAddr`, `net::recvfrom` gives a
/// `SocketAddrAny`, converted to `SocketAddr`.
pub struct RustixUnconnected {
    a: rustix::fd::OwnedFd,
    b: rustix::fd::OwnedFd,
    to: SocketAddr,
    out: [u8; PAYLOAD],
    buf: [u8; PAYLOAD],
}

impl Pair for RustixUnconnected {
    #[inline]
    fn pair(&mut self) {
        use rustix::net::{RecvFlags, SendFlags};
        expect(rustix::net::sendto(
            &self.a,
            &self.out,
            SendFlags::empty(),
            &self.to,
        ));
        let got = rustix::net::recvfrom(&self.b, &mut self.buf, RecvFlags::empty());
        expect(got.map(|(_, n, from)| {
            let from = from.and_then(|a| SocketAddr::try_from(a).ok());
            black_box(from.unwrap_or_else(|| fail(&"no address")));
            n
        }));
    }
}

/// socket2: `send_to` a `SockAddr` built once, `recv_from` gives a
/// `SockAddr`, decoded with `as_socket`.
pub struct Socket2Unconnected {
    a: socket2::Socket,
    b: socket2::Socket,
    to: socket2::SockAddr,
    out: [u8; PAYLOAD],
    buf: [MaybeUninit<u8>; PAYLOAD],
}

impl Pair for Socket2Unconnected {
    #[inline]
    fn pair(&mut self) {
        expect(self.a.send_to(&self.out, &self.to));
        expect(self.b.recv_from(&mut self.buf).map(|(n, from)| {
            black_box(from.as_socket().unwrap_or_else(|| fail(&"no address")));
            n
        }));
    }
}

/// nix: `sendto` a `SockaddrIn` built once, `recvfrom::<SockaddrIn>`,
/// converted to `SocketAddrV4`.
pub struct NixUnconnected {
    a: OwnedFd,
    b: OwnedFd,
    to: nix::sys::socket::SockaddrIn,
    out: [u8; PAYLOAD],
    buf: [u8; PAYLOAD],
}

impl Pair for NixUnconnected {
    #[inline]
    fn pair(&mut self) {
        use nix::sys::socket::{MsgFlags, SockaddrIn};
        expect(nix::sys::socket::sendto(
            self.a.as_raw_fd(),
            &self.out,
            &self.to,
            MsgFlags::empty(),
        ));
        let got = nix::sys::socket::recvfrom::<SockaddrIn>(self.b.as_raw_fd(), &mut self.buf);
        expect(got.map(|(n, from)| {
            black_box(SocketAddrV4::from(from.unwrap_or_else(|| fail(&"no address"))));
            n
        }));
    }
}

/// Group 2: unconnected UDP, `send_to` + `recv_from` with the source decoded.
pub fn udp_unconnected(v: &mut impl Visit) {
    v.visit("zerosock", || {
        let (a, b) = udp_unconnected_pair();
        let to = b.local_addr().unwrap();
        ZsUnconnected {
            a: zs(a).into(),
            b: zs(b).into(),
            to,
            out: OUT,
            buf: [0; PAYLOAD],
        }
    });
    v.visit("libc", || {
        let (a, b) = udp_unconnected_pair();
        let to = v4(b.local_addr().unwrap());
        let to = libc::sockaddr_in {
            sin_family: libc::AF_INET as libc::sa_family_t,
            sin_port: to.port().to_be(),
            sin_addr: libc::in_addr {
                s_addr: u32::from(*to.ip()).to_be(),
            },
            sin_zero: [0; 8],
        };
        LibcUnconnected {
            a: a.into(),
            b: b.into(),
            to,
            out: OUT,
            buf: [0; PAYLOAD],
        }
    });
    v.visit("std", || {
        let (a, b) = udp_unconnected_pair();
        let to = b.local_addr().unwrap();
        StdUnconnected {
            a,
            b,
            to,
            out: OUT,
            buf: [0; PAYLOAD],
        }
    });
    v.visit("rustix", || {
        let (a, b) = udp_unconnected_pair();
        let to = b.local_addr().unwrap();
        RustixUnconnected {
            a: rx(a),
            b: rx(b),
            to,
            out: OUT,
            buf: [0; PAYLOAD],
        }
    });
    v.visit("socket2", || {
        let (a, b) = udp_unconnected_pair();
        let to = socket2::SockAddr::from(b.local_addr().unwrap());
        Socket2Unconnected {
            a: socket2::Socket::from(OwnedFd::from(a)),
            b: socket2::Socket::from(OwnedFd::from(b)),
            to,
            out: OUT,
            buf: [MaybeUninit::uninit(); PAYLOAD],
        }
    });
    v.visit("nix", || {
        let (a, b) = udp_unconnected_pair();
        let to = nix::sys::socket::SockaddrIn::from(v4(b.local_addr().unwrap()));
        NixUnconnected {
            a: a.into(),
            b: b.into(),
            to,
            out: OUT,
            buf: [0; PAYLOAD],
        }
    });
    v.visit("zerosock-prebuilt", || {
        let (a, b) = udp_unconnected_pair();
        let to = zerosock::addr::SockAddrIn::new(v4(b.local_addr().unwrap()));
        ZsPrebuiltUnconnected {
            a: zs(a).into(),
            b: zs(b).into(),
            to,
            out: OUT,
            buf: [0; PAYLOAD],
        }
    });
    v.visit("zerosock-socket", || {
        let (a, b) = udp_unconnected_pair();
        let to = zerosock::addr::SockAddrIn::new(v4(b.local_addr().unwrap()));
        ZsSocketUnconnected {
            a: zs(a),
            b: zs(b),
            to,
            out: OUT,
            buf: [0; PAYLOAD],
        }
    });
}

/// The datagram groups by name, as the instruction harness and the tables
/// name them.
pub const DGRAM_GROUPS: [&str; 3] = ["udp-connected", "udp-unconnected", "unix-dgram"];

/// Every one of groups 1–5, by name.
pub const GROUPS: [&str; 5] = [
    "udp-connected",
    "udp-unconnected",
    "unix-dgram",
    "tcp-rr",
    "tcp-bulk",
];

/// Runs `group`'s implementations through `v`; false if there is no such group.
pub fn group(group: &str, v: &mut impl Visit) -> bool {
    match group {
        "udp-connected" => udp_connected(v),
        "udp-unconnected" => udp_unconnected(v),
        "unix-dgram" => unix_dgram(v),
        "tcp-rr" => tcp::tcp_rr(v),
        "tcp-bulk" => tcp::tcp_bulk(v),
        _ => return false,
    }
    true
}

/// The criterion settings every bench file uses: short warm-up and
/// measurement, so that the whole `cargo bench` stays within about ten
/// minutes on a two-core machine (see BENCHMARKS.md).
pub fn config() -> criterion::Criterion {
    criterion::Criterion::default()
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(4))
        .sample_size(50)
}

/// Runs every implementation of a group as one criterion benchmark each,
/// built once, before its measurement.
pub struct Bench<'a, 'c>(pub &'a mut criterion::BenchmarkGroup<'c, criterion::measurement::WallTime>);

impl Visit for Bench<'_, '_> {
    fn visit<P: Pair>(&mut self, name: &str, make: impl FnOnce() -> P) {
        let mut p = make();
        self.0.bench_function(name, |b| b.iter(|| p.pair()));
    }
}
