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

pub mod batch;
pub mod floor;
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
pub fn fail(what: &dyn Debug) -> ! {
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

/// Fails on a wrong length, passed by value (so that checking a field
/// never forces its struct into memory).
#[cold]
#[inline(never)]
pub fn fail_len(len: usize) -> ! {
    panic!("unexpected length: {len}")
}

/// Checks a count: `Ok(want)`.
#[inline(always)]
pub fn expect_n<E: Debug>(r: Result<usize, E>, want: usize) {
    match r {
        Ok(n) if n == want => {}
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

/// The floor (see [`floor`]): zerosock's `send` and `recv` system calls as
/// bare `syscall` instructions.
pub struct FloorConnected {
    a: OwnedFd,
    b: OwnedFd,
    out: [u8; PAYLOAD],
    buf: [u8; PAYLOAD],
}

impl Pair for FloorConnected {
    #[inline]
    fn pair(&mut self) {
        floor::expect_raw(floor::send(self.a.as_raw_fd(), &self.out), PAYLOAD);
        floor::expect_raw(floor::recv(self.b.as_raw_fd(), &mut self.buf), PAYLOAD);
    }
}

const OUT: [u8; PAYLOAD] = [0x5a; PAYLOAD];

fn connected_group<S, Z, V>(v: &mut V, pair: fn() -> (S, S))
where
    S: Dgram + Into<OwnedFd>,
    Z: Dgram + From<zerosock::Socket>,
    V: Visit,
{
    v.visit("floor", || {
        let (a, b) = pair();
        FloorConnected {
            a: a.into(),
            b: b.into(),
            out: OUT,
            buf: [0; PAYLOAD],
        }
    });
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
// Group 2a, `udp-unconnected-typed`: unconnected UDP, `send_to` a
// `core::net::SocketAddr` + `recv_from` with the sender decoded into one,
// for every implementation (each encodes the destination on every call, as
// a typed API must, and decodes the sender).

/// zerosock: `UdpSocket::send_to` + `UdpSocket::recv_from`.
pub struct ZsTyped {
    a: zerosock::UdpSocket,
    b: zerosock::UdpSocket,
    to: SocketAddr,
    out: [u8; PAYLOAD],
    buf: [u8; PAYLOAD],
}

impl Pair for ZsTyped {
    #[inline]
    fn pair(&mut self) {
        expect(self.a.send_to(&self.out, self.to));
        expect(self.b.recv_from(&mut self.buf).map(|(n, from)| {
            black_box(from);
            n
        }));
    }
}

/// libc, as a C programmer holding a `SocketAddr` would write it: encode a
/// `sockaddr_in`/`sockaddr_in6` on the stack, `sendto`; `recvfrom` into an
/// uninitialised `sockaddr_storage`, decode the sender into a `SocketAddr`.
pub struct LibcTyped {
    a: OwnedFd,
    b: OwnedFd,
    to: SocketAddr,
    out: [u8; PAYLOAD],
    buf: [u8; PAYLOAD],
}

/// Encodes `addr` and hands the C layout and its length to `f`.
#[inline(always)]
fn libc_with_sockaddr<R>(addr: SocketAddr, f: impl FnOnce(*const libc::sockaddr, libc::socklen_t) -> R) -> R {
    match addr {
        SocketAddr::V4(v4) => {
            let sin = libc::sockaddr_in {
                sin_family: libc::AF_INET as libc::sa_family_t,
                sin_port: v4.port().to_be(),
                sin_addr: libc::in_addr {
                    s_addr: u32::from(*v4.ip()).to_be(),
                },
                sin_zero: [0; 8],
            };
            f(
                (&raw const sin).cast(),
                size_of::<libc::sockaddr_in>() as libc::socklen_t,
            )
        }
        SocketAddr::V6(v6) => {
            let sin6 = libc::sockaddr_in6 {
                sin6_family: libc::AF_INET6 as libc::sa_family_t,
                sin6_port: v6.port().to_be(),
                sin6_flowinfo: v6.flowinfo().to_be(),
                sin6_addr: libc::in6_addr {
                    s6_addr: v6.ip().octets(),
                },
                sin6_scope_id: v6.scope_id(),
            };
            f(
                (&raw const sin6).cast(),
                size_of::<libc::sockaddr_in6>() as libc::socklen_t,
            )
        }
    }
}

/// Decodes the IP address the kernel wrote (`len` bytes of it).
#[inline(always)]
pub fn libc_decode(
    storage: &MaybeUninit<libc::sockaddr_storage>,
    len: libc::socklen_t,
) -> Option<SocketAddr> {
    let p = storage.as_ptr();
    // SAFETY: the kernel wrote `len` bytes; each branch reads only a layout
    // that `len` covers.
    unsafe {
        if len as usize >= size_of::<libc::sockaddr_in>()
            && (*p).ss_family == libc::AF_INET as libc::sa_family_t
        {
            let sin = &*p.cast::<libc::sockaddr_in>();
            Some(SocketAddr::V4(SocketAddrV4::new(
                Ipv4Addr::from(u32::from_be(sin.sin_addr.s_addr)),
                u16::from_be(sin.sin_port),
            )))
        } else if len as usize >= size_of::<libc::sockaddr_in6>()
            && (*p).ss_family == libc::AF_INET6 as libc::sa_family_t
        {
            let sin6 = &*p.cast::<libc::sockaddr_in6>();
            Some(SocketAddr::V6(std::net::SocketAddrV6::new(
                sin6.sin6_addr.s6_addr.into(),
                u16::from_be(sin6.sin6_port),
                u32::from_be(sin6.sin6_flowinfo),
                sin6.sin6_scope_id,
            )))
        } else {
            None
        }
    }
}

impl Pair for LibcTyped {
    #[inline]
    fn pair(&mut self) {
        let mut from = MaybeUninit::<libc::sockaddr_storage>::uninit();
        let mut len = size_of::<libc::sockaddr_storage>() as libc::socklen_t;
        // SAFETY: valid fds, buffers and address storage of the lengths given.
        unsafe {
            expect_c(libc_with_sockaddr(self.to, |to, to_len| {
                libc::sendto(
                    self.a.as_raw_fd(),
                    self.out.as_ptr().cast(),
                    PAYLOAD,
                    0,
                    to,
                    to_len,
                )
            }));
            expect_c(libc::recvfrom(
                self.b.as_raw_fd(),
                self.buf.as_mut_ptr().cast(),
                PAYLOAD,
                0,
                from.as_mut_ptr().cast(),
                &mut len,
            ));
        }
        black_box(libc_decode(&from, len).unwrap_or_else(|| fail(&"no address")));
    }
}

/// std: `UdpSocket::send_to` a `SocketAddr`, `recv_from` gives a `SocketAddr`.
pub struct StdTyped {
    a: UdpSocket,
    b: UdpSocket,
    to: SocketAddr,
    out: [u8; PAYLOAD],
    buf: [u8; PAYLOAD],
}

impl Pair for StdTyped {
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
pub struct RustixTyped {
    a: rustix::fd::OwnedFd,
    b: rustix::fd::OwnedFd,
    to: SocketAddr,
    out: [u8; PAYLOAD],
    buf: [u8; PAYLOAD],
}

impl Pair for RustixTyped {
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

/// socket2: `SockAddr::from(SocketAddr)` and `send_to` it, `recv_from`
/// gives a `SockAddr`, decoded with `as_socket`.
pub struct Socket2Typed {
    a: socket2::Socket,
    b: socket2::Socket,
    to: SocketAddr,
    out: [u8; PAYLOAD],
    buf: [MaybeUninit<u8>; PAYLOAD],
}

impl Pair for Socket2Typed {
    #[inline]
    fn pair(&mut self) {
        expect(self.a.send_to(&self.out, &socket2::SockAddr::from(self.to)));
        expect(self.b.recv_from(&mut self.buf).map(|(n, from)| {
            black_box(from.as_socket().unwrap_or_else(|| fail(&"no address")));
            n
        }));
    }
}

/// nix: `SockaddrStorage::from(SocketAddr)` and `sendto` it,
/// `recvfrom::<SockaddrStorage>`, decoded into a `SocketAddr`.
pub struct NixTyped {
    a: OwnedFd,
    b: OwnedFd,
    to: SocketAddr,
    out: [u8; PAYLOAD],
    buf: [u8; PAYLOAD],
}

impl Pair for NixTyped {
    #[inline]
    fn pair(&mut self) {
        use nix::sys::socket::{MsgFlags, SockaddrStorage};
        expect(nix::sys::socket::sendto(
            self.a.as_raw_fd(),
            &self.out,
            &SockaddrStorage::from(self.to),
            MsgFlags::empty(),
        ));
        let got = nix::sys::socket::recvfrom::<SockaddrStorage>(self.b.as_raw_fd(), &mut self.buf);
        expect(got.map(|(n, from)| {
            let from = from.and_then(|a| {
                if let Some(v4) = a.as_sockaddr_in() {
                    Some(SocketAddr::V4(SocketAddrV4::from(*v4)))
                } else {
                    a.as_sockaddr_in6()
                        .map(|v6| SocketAddr::V6(std::net::SocketAddrV6::from(*v6)))
                }
            });
            black_box(from.unwrap_or_else(|| fail(&"no address")));
            n
        }));
    }
}

/// Group 2a: unconnected UDP, typed addresses in and out for everyone.
pub fn udp_unconnected_typed(v: &mut impl Visit) {
    fn to_of(b: &UdpSocket) -> SocketAddr {
        b.local_addr().unwrap()
    }
    v.visit("zerosock", || {
        let (a, b) = udp_unconnected_pair();
        let to = to_of(&b);
        ZsTyped {
            a: zs(a).into(),
            b: zs(b).into(),
            to,
            out: OUT,
            buf: [0; PAYLOAD],
        }
    });
    v.visit("libc", || {
        let (a, b) = udp_unconnected_pair();
        let to = to_of(&b);
        LibcTyped {
            a: a.into(),
            b: b.into(),
            to,
            out: OUT,
            buf: [0; PAYLOAD],
        }
    });
    v.visit("std", || {
        let (a, b) = udp_unconnected_pair();
        let to = to_of(&b);
        StdTyped {
            a,
            b,
            to,
            out: OUT,
            buf: [0; PAYLOAD],
        }
    });
    v.visit("rustix", || {
        let (a, b) = udp_unconnected_pair();
        let to = to_of(&b);
        RustixTyped {
            a: rx(a),
            b: rx(b),
            to,
            out: OUT,
            buf: [0; PAYLOAD],
        }
    });
    v.visit("socket2", || {
        let (a, b) = udp_unconnected_pair();
        let to = to_of(&b);
        Socket2Typed {
            a: socket2::Socket::from(OwnedFd::from(a)),
            b: socket2::Socket::from(OwnedFd::from(b)),
            to,
            out: OUT,
            buf: [MaybeUninit::uninit(); PAYLOAD],
        }
    });
    v.visit("nix", || {
        let (a, b) = udp_unconnected_pair();
        let to = to_of(&b);
        NixTyped {
            a: a.into(),
            b: b.into(),
            to,
            out: OUT,
            buf: [0; PAYLOAD],
        }
    });
}

// ---------------------------------------------------------------------------
// Group 2b, `udp-unconnected-raw`: the C habit — the destination's
// `sockaddr_in` built once, the sender written into storage kept across
// calls (its in/out length reset before each), left as bytes.

/// The floor: `sendto` and `recvfrom` as bare `syscall` instructions.
pub struct FloorRaw {
    a: OwnedFd,
    b: OwnedFd,
    to: libc::sockaddr_in,
    from: libc::sockaddr_storage,
    len: libc::socklen_t,
    out: [u8; PAYLOAD],
    buf: [u8; PAYLOAD],
}

impl Pair for FloorRaw {
    #[inline]
    fn pair(&mut self) {
        use floor::{NOSIGNAL, RECVFROM, SENDTO, syscall6};
        self.len = size_of::<libc::sockaddr_storage>() as libc::socklen_t;
        // SAFETY: valid buffers and addresses of the lengths given.
        unsafe {
            floor::expect_raw(
                syscall6(
                    SENDTO,
                    self.a.as_raw_fd() as usize,
                    self.out.as_ptr() as usize,
                    PAYLOAD,
                    NOSIGNAL,
                    (&raw const self.to) as usize,
                    size_of::<libc::sockaddr_in>(),
                ),
                PAYLOAD,
            );
            floor::expect_raw(
                syscall6(
                    RECVFROM,
                    self.b.as_raw_fd() as usize,
                    self.buf.as_mut_ptr() as usize,
                    PAYLOAD,
                    0,
                    (&raw mut self.from) as usize,
                    (&raw mut self.len) as usize,
                ),
                PAYLOAD,
            );
        }
        black_box((&self.from, self.len));
    }
}

/// libc: `sendto` the prebuilt `sockaddr_in`, `recvfrom` into the kept
/// `sockaddr_storage`.
pub struct LibcRaw {
    a: OwnedFd,
    b: OwnedFd,
    to: libc::sockaddr_in,
    from: libc::sockaddr_storage,
    len: libc::socklen_t,
    out: [u8; PAYLOAD],
    buf: [u8; PAYLOAD],
}

impl Pair for LibcRaw {
    #[inline]
    fn pair(&mut self) {
        self.len = size_of::<libc::sockaddr_storage>() as libc::socklen_t;
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
                (&raw mut self.from).cast(),
                &mut self.len,
            ));
        }
        black_box((&self.from, self.len));
    }
}

/// zerosock: `Socket::send_to` a prebuilt `SockAddrIn`,
/// `Socket::recv_from_into` a kept `SockAddr`.
pub struct ZsRaw {
    a: zerosock::Socket,
    b: zerosock::Socket,
    to: zerosock::addr::SockAddrIn,
    from: zerosock::addr::SockAddr,
    out: [u8; PAYLOAD],
    buf: [u8; PAYLOAD],
}

impl Pair for ZsRaw {
    #[inline]
    fn pair(&mut self) {
        expect(self.a.send_to(&self.out, &self.to));
        expect(
            self.b
                .recv_from_into(&mut self.buf, zerosock::MsgFlags::NONE, &mut self.from),
        );
        black_box(&self.from);
    }
}

/// zerosock's `Socket::recv_from`, which returns a fresh `SockAddr` by
/// value (zeroed, then written by the kernel in place).
pub struct ZsRawByValue {
    a: zerosock::Socket,
    b: zerosock::Socket,
    to: zerosock::addr::SockAddrIn,
    out: [u8; PAYLOAD],
    buf: [u8; PAYLOAD],
}

impl Pair for ZsRawByValue {
    #[inline]
    fn pair(&mut self) {
        expect(self.a.send_to(&self.out, &self.to));
        // The address is looked at where the call returned it, not moved
        // out (a move would be the harness's copy, not the API's).
        match &self.b.recv_from(&mut self.buf) {
            Ok((n, from)) => {
                black_box(from);
                if *n != PAYLOAD {
                    fail_len(*n);
                }
            }
            Err(e) => fail(e),
        }
    }
}

/// `sockaddr_in` of `addr` for libc.
fn libc_sockaddr_in(addr: SocketAddrV4) -> libc::sockaddr_in {
    libc::sockaddr_in {
        sin_family: libc::AF_INET as libc::sa_family_t,
        sin_port: addr.port().to_be(),
        sin_addr: libc::in_addr {
            s_addr: u32::from(*addr.ip()).to_be(),
        },
        sin_zero: [0; 8],
    }
}

/// Group 2b: unconnected UDP, prebuilt destination, reused sender storage.
pub fn udp_unconnected_raw(v: &mut impl Visit) {
    // SAFETY: all-zero is a valid `sockaddr_storage`.
    let zeroed_storage = || unsafe { std::mem::zeroed::<libc::sockaddr_storage>() };
    v.visit("floor", || {
        let (a, b) = udp_unconnected_pair();
        let to = libc_sockaddr_in(v4(b.local_addr().unwrap()));
        FloorRaw {
            a: a.into(),
            b: b.into(),
            to,
            from: zeroed_storage(),
            len: 0,
            out: OUT,
            buf: [0; PAYLOAD],
        }
    });
    v.visit("zerosock", || {
        let (a, b) = udp_unconnected_pair();
        let to = zerosock::addr::SockAddrIn::new(v4(b.local_addr().unwrap()));
        ZsRaw {
            a: zs(a),
            b: zs(b),
            to,
            from: zerosock::addr::SockAddr::EMPTY,
            out: OUT,
            buf: [0; PAYLOAD],
        }
    });
    v.visit("libc", || {
        let (a, b) = udp_unconnected_pair();
        let to = libc_sockaddr_in(v4(b.local_addr().unwrap()));
        LibcRaw {
            a: a.into(),
            b: b.into(),
            to,
            from: zeroed_storage(),
            len: 0,
            out: OUT,
            buf: [0; PAYLOAD],
        }
    });
    v.visit("zerosock-by-value", || {
        let (a, b) = udp_unconnected_pair();
        let to = zerosock::addr::SockAddrIn::new(v4(b.local_addr().unwrap()));
        ZsRawByValue {
            a: zs(a),
            b: zs(b),
            to,
            out: OUT,
            buf: [0; PAYLOAD],
        }
    });
}

// ---------------------------------------------------------------------------
// Group 4, `tcp`: both ends of a loopback TCP connection (`TCP_NODELAY`) in
// one thread: write 64 B on one, read them on the other. Loopback delivers
// during the write, so every read finds the 64 bytes.

/// Each implementation's `write` and `read` on a TCP stream.
pub trait TcpWr: 'static {
    fn new(s: std::net::TcpStream) -> Self;
    fn write(&self, buf: &[u8]) -> Option<usize>;
    fn read(&self, buf: &mut [u8]) -> Option<usize>;
}

pub struct TcpFloor(OwnedFd);
impl TcpWr for TcpFloor {
    fn new(s: std::net::TcpStream) -> Self {
        Self(s.into())
    }
    #[inline(always)]
    fn write(&self, buf: &[u8]) -> Option<usize> {
        floor::checked(floor::send(self.0.as_raw_fd(), buf))
    }
    #[inline(always)]
    fn read(&self, buf: &mut [u8]) -> Option<usize> {
        floor::checked(floor::read(self.0.as_raw_fd(), buf))
    }
}

pub struct TcpZs(zerosock::TcpStream);
impl TcpWr for TcpZs {
    fn new(s: std::net::TcpStream) -> Self {
        Self(zs(s).into())
    }
    #[inline(always)]
    fn write(&self, buf: &[u8]) -> Option<usize> {
        self.0.write(buf).ok()
    }
    #[inline(always)]
    fn read(&self, buf: &mut [u8]) -> Option<usize> {
        self.0.read(buf).ok()
    }
}

pub struct TcpLibc(OwnedFd);
impl TcpWr for TcpLibc {
    fn new(s: std::net::TcpStream) -> Self {
        Self(s.into())
    }
    #[inline(always)]
    fn write(&self, buf: &[u8]) -> Option<usize> {
        // SAFETY: a valid fd and buffer.
        usize::try_from(unsafe { libc::write(self.0.as_raw_fd(), buf.as_ptr().cast(), buf.len()) }).ok()
    }
    #[inline(always)]
    fn read(&self, buf: &mut [u8]) -> Option<usize> {
        // SAFETY: a valid fd and buffer.
        usize::try_from(unsafe { libc::read(self.0.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) }).ok()
    }
}

pub struct TcpStd(std::net::TcpStream);
impl TcpWr for TcpStd {
    fn new(s: std::net::TcpStream) -> Self {
        Self(s)
    }
    #[inline(always)]
    fn write(&self, buf: &[u8]) -> Option<usize> {
        std::io::Write::write(&mut &self.0, buf).ok()
    }
    #[inline(always)]
    fn read(&self, buf: &mut [u8]) -> Option<usize> {
        std::io::Read::read(&mut &self.0, buf).ok()
    }
}

pub struct TcpRustix(rustix::fd::OwnedFd);
impl TcpWr for TcpRustix {
    fn new(s: std::net::TcpStream) -> Self {
        Self(rx(s))
    }
    #[inline(always)]
    fn write(&self, buf: &[u8]) -> Option<usize> {
        rustix::io::write(&self.0, buf).ok()
    }
    #[inline(always)]
    fn read(&self, buf: &mut [u8]) -> Option<usize> {
        rustix::io::read(&self.0, buf).ok()
    }
}

pub struct TcpSocket2(socket2::Socket);
impl TcpWr for TcpSocket2 {
    fn new(s: std::net::TcpStream) -> Self {
        Self(socket2::Socket::from(OwnedFd::from(s)))
    }
    #[inline(always)]
    fn write(&self, buf: &[u8]) -> Option<usize> {
        std::io::Write::write(&mut &self.0, buf).ok()
    }
    #[inline(always)]
    fn read(&self, buf: &mut [u8]) -> Option<usize> {
        std::io::Read::read(&mut &self.0, buf).ok()
    }
}

pub struct TcpNix(OwnedFd);
impl TcpWr for TcpNix {
    fn new(s: std::net::TcpStream) -> Self {
        Self(s.into())
    }
    #[inline(always)]
    fn write(&self, buf: &[u8]) -> Option<usize> {
        nix::unistd::write(&self.0, buf).ok()
    }
    #[inline(always)]
    fn read(&self, buf: &mut [u8]) -> Option<usize> {
        nix::unistd::read(&self.0, buf).ok()
    }
}

/// Both ends of one connection.
pub struct TcpPair<S> {
    a: S,
    b: S,
    out: [u8; PAYLOAD],
    buf: [u8; PAYLOAD],
}

impl<S: TcpWr> TcpPair<S> {
    fn new() -> Self {
        let listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let a = std::net::TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (b, _) = listener.accept().unwrap();
        a.set_nodelay(true).unwrap();
        Self {
            a: S::new(a),
            b: S::new(b),
            out: OUT,
            buf: [0; PAYLOAD],
        }
    }
}

impl<S: TcpWr> Pair for TcpPair<S> {
    #[inline]
    fn pair(&mut self) {
        expect(self.a.write(&self.out).ok_or(()));
        expect(self.b.read(&mut self.buf).ok_or(()));
    }
}

/// Group 4: TCP write + read, one thread.
pub fn tcp_write_read(v: &mut impl Visit) {
    v.visit("floor", TcpPair::<TcpFloor>::new);
    v.visit("zerosock", TcpPair::<TcpZs>::new);
    v.visit("libc", TcpPair::<TcpLibc>::new);
    v.visit("std", TcpPair::<TcpStd>::new);
    v.visit("rustix", TcpPair::<TcpRustix>::new);
    v.visit("socket2", TcpPair::<TcpSocket2>::new);
    v.visit("nix", TcpPair::<TcpNix>::new);
}

/// The groups of the instruction harness, by name: one pair per iteration
/// (the batch groups: one batch of [`batch::BATCH`] datagrams).
pub const INSTR_GROUPS: [&str; 7] = [
    "udp-connected",
    "unix-dgram",
    "tcp",
    "udp-unconnected-typed",
    "udp-unconnected-raw",
    "batch-recv",
    "batch-send",
];

/// The datagram groups by name, as the instruction harness and the tables
/// name them.
pub const DGRAM_GROUPS: [&str; 4] = [
    "udp-connected",
    "udp-unconnected-typed",
    "udp-unconnected-raw",
    "unix-dgram",
];

/// Every group the criterion benches and the interleaved ratios run, by name.
pub const GROUPS: [&str; 6] = [
    "udp-connected",
    "udp-unconnected-typed",
    "udp-unconnected-raw",
    "unix-dgram",
    "tcp-rr",
    "tcp-bulk",
];

/// Runs `group`'s implementations through `v`; false if there is no such group.
pub fn group(group: &str, v: &mut impl Visit) -> bool {
    match group {
        "udp-connected" => udp_connected(v),
        "udp-unconnected-typed" => udp_unconnected_typed(v),
        "udp-unconnected-raw" => udp_unconnected_raw(v),
        "unix-dgram" => unix_dgram(v),
        "tcp" => tcp_write_read(v),
        "batch-recv" => batch::batch_recv(v),
        "batch-send" => batch::batch_send(v),
        "tcp-rr" => tcp::tcp_rr(v),
        "tcp-bulk" => tcp::tcp_bulk(v),
        _ => return false,
    }
    true
}
