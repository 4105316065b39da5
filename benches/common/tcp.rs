//! TCP for groups 4 and 5: one stream type per implementation, driving
//! both ends of a connection on 127.0.0.1 — the client in the measuring
//! thread, the server on a thread of its own that stops at end of stream,
//! on an error, or after 10 s of silence.
//!
//! - `tcp-rr`: the client sends 64 B and reads the 64 B echo.
//! - `tcp-bulk`: the client writes 1 MiB in 64 KiB sends; the server reads
//!   it in 64 KiB recvs and acknowledges each MiB with one byte.

use std::hint::black_box;
use std::io::{Read, Write};
use std::mem::MaybeUninit;
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::os::fd::{AsRawFd, OwnedFd};
use std::thread::JoinHandle;
use std::time::Duration;

use super::{Pair, Visit};

/// One end of a TCP connection as each implementation drives it. `None` is
/// any error; 0 is end of stream.
pub trait Stream: Send + 'static {
    fn new(s: TcpStream) -> Self;
    fn send(&self, buf: &[u8]) -> Option<usize>;
    fn recv(&self, buf: &mut [u8]) -> Option<usize>;
}

/// Sends all of `buf`; false on error.
#[inline]
fn send_all<S: Stream>(s: &S, mut buf: &[u8]) -> bool {
    while !buf.is_empty() {
        match s.send(buf) {
            Some(0) | None => return false,
            Some(n) => buf = &buf[n..],
        }
    }
    true
}

/// Fills `buf`, one recv of at most `chunk` bytes at a time; false on error
/// or end of stream.
#[inline]
fn recv_exact<S: Stream>(s: &S, mut buf: &mut [u8], chunk: usize) -> bool {
    while !buf.is_empty() {
        let want = buf.len().min(chunk);
        match s.recv(&mut buf[..want]) {
            Some(0) | None => return false,
            Some(n) => buf = &mut buf[n..],
        }
    }
    true
}

pub struct Zs(zerosock::TcpStream);
impl Stream for Zs {
    fn new(s: TcpStream) -> Self {
        Self(super::zs(s).into())
    }
    #[inline]
    fn send(&self, buf: &[u8]) -> Option<usize> {
        self.0.send(buf).ok()
    }
    #[inline]
    fn recv(&self, buf: &mut [u8]) -> Option<usize> {
        self.0.recv(buf).ok()
    }
}

pub struct Libc(OwnedFd);
impl Stream for Libc {
    fn new(s: TcpStream) -> Self {
        Self(s.into())
    }
    #[inline]
    fn send(&self, buf: &[u8]) -> Option<usize> {
        // SAFETY: a valid fd and buffer.
        let n = unsafe {
            libc::send(
                self.0.as_raw_fd(),
                buf.as_ptr().cast(),
                buf.len(),
                libc::MSG_NOSIGNAL,
            )
        };
        usize::try_from(n).ok()
    }
    #[inline]
    fn recv(&self, buf: &mut [u8]) -> Option<usize> {
        // SAFETY: a valid fd and buffer.
        let n = unsafe { libc::recv(self.0.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len(), 0) };
        usize::try_from(n).ok()
    }
}

pub struct Std(TcpStream);
impl Stream for Std {
    fn new(s: TcpStream) -> Self {
        Self(s)
    }
    #[inline]
    fn send(&self, buf: &[u8]) -> Option<usize> {
        (&self.0).write(buf).ok()
    }
    #[inline]
    fn recv(&self, buf: &mut [u8]) -> Option<usize> {
        (&self.0).read(buf).ok()
    }
}

pub struct Rustix(rustix::fd::OwnedFd);
impl Stream for Rustix {
    fn new(s: TcpStream) -> Self {
        Self(super::rx(s))
    }
    #[inline]
    fn send(&self, buf: &[u8]) -> Option<usize> {
        rustix::net::send(&self.0, buf, rustix::net::SendFlags::NOSIGNAL).ok()
    }
    #[inline]
    fn recv(&self, buf: &mut [u8]) -> Option<usize> {
        rustix::net::recv(&self.0, buf, rustix::net::RecvFlags::empty())
            .ok()
            .map(|(_, n)| n)
    }
}

pub struct Socket2(socket2::Socket);
impl Stream for Socket2 {
    fn new(s: TcpStream) -> Self {
        Self(socket2::Socket::from(OwnedFd::from(s)))
    }
    #[inline]
    fn send(&self, buf: &[u8]) -> Option<usize> {
        self.0.send(buf).ok()
    }
    #[inline]
    fn recv(&self, buf: &mut [u8]) -> Option<usize> {
        // SAFETY: `MaybeUninit<u8>` has `u8`'s layout, and socket2 only
        // writes initialised bytes into it.
        let buf = unsafe { &mut *(buf as *mut [u8] as *mut [MaybeUninit<u8>]) };
        self.0.recv(buf).ok()
    }
}

pub struct Nix(OwnedFd);
impl Stream for Nix {
    fn new(s: TcpStream) -> Self {
        Self(s.into())
    }
    #[inline]
    fn send(&self, buf: &[u8]) -> Option<usize> {
        nix::sys::socket::send(self.0.as_raw_fd(), buf, nix::sys::socket::MsgFlags::MSG_NOSIGNAL).ok()
    }
    #[inline]
    fn recv(&self, buf: &mut [u8]) -> Option<usize> {
        nix::sys::socket::recv(self.0.as_raw_fd(), buf, nix::sys::socket::MsgFlags::empty()).ok()
    }
}

/// A connected pair on 127.0.0.1 with `TCP_NODELAY` and 10 s timeouts, so
/// that a server whose client vanished stops by itself.
fn tcp_pair() -> (TcpStream, TcpStream) {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (server, _) = listener.accept().unwrap();
    for s in [&client, &server] {
        s.set_nodelay(true).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        s.set_write_timeout(Some(Duration::from_secs(10))).unwrap();
    }
    (client, server)
}

/// Joins the server thread when dropped (after the client, declared before
/// it, has closed its end, which ends the server's loop).
struct Joiner(Option<JoinHandle<()>>);
impl Drop for Joiner {
    fn drop(&mut self) {
        if let Some(h) = self.0.take() {
            h.join().expect("server thread panicked");
        }
    }
}

const RR: usize = 64;

/// The client end of group 4; the server echoes 64 B messages until end of
/// stream, an error, or a 10 s silence.
pub struct TcpRr<S: Stream> {
    client: S,
    _server: Joiner,
    out: [u8; RR],
    buf: [u8; RR],
}

impl<S: Stream> TcpRr<S> {
    pub fn new() -> Self {
        let (client, server) = tcp_pair();
        let server = S::new(server);
        let handle = std::thread::spawn(move || {
            let mut buf = [0; RR];
            while recv_exact(&server, &mut buf, RR) && send_all(&server, &buf) {}
        });
        Self {
            client: S::new(client),
            _server: Joiner(Some(handle)),
            out: [0x5a; RR],
            buf: [0; RR],
        }
    }
}

impl<S: Stream> Pair for TcpRr<S> {
    #[inline]
    fn pair(&mut self) {
        assert!(send_all(&self.client, &self.out), "tcp-rr send");
        assert!(recv_exact(&self.client, &mut self.buf, RR), "tcp-rr recv");
    }
}

pub const BULK: usize = 1 << 20;
const CHUNK: usize = 64 << 10;

/// The writer of group 5: 1 MiB in 64 KiB sends, then waits for the
/// reader's one-byte acknowledgement. The reader reads 64 KiB at a time.
pub struct TcpBulk<S: Stream> {
    client: S,
    _server: Joiner,
    out: Vec<u8>,
}

impl<S: Stream> TcpBulk<S> {
    pub fn new() -> Self {
        let (client, server) = tcp_pair();
        let server = S::new(server);
        let handle = std::thread::spawn(move || {
            let mut buf = vec![0; BULK];
            while recv_exact(&server, &mut buf, CHUNK) && send_all(&server, b"k") {}
        });
        Self {
            client: S::new(client),
            _server: Joiner(Some(handle)),
            out: vec![0x5a; BULK],
        }
    }
}

impl<S: Stream> Pair for TcpBulk<S> {
    #[inline]
    fn pair(&mut self) {
        for chunk in self.out.chunks(CHUNK) {
            assert!(send_all(&self.client, chunk), "tcp-bulk send");
        }
        let mut ack = [0; 1];
        assert!(recv_exact(&self.client, &mut ack, 1), "tcp-bulk ack");
        black_box(ack);
    }
}

/// Lists the implementations of a TCP group whose client is `$ty<S>`.
macro_rules! tcp_group {
    ($v:expr, $ty:ident) => {{
        $v.visit("zerosock", $ty::<Zs>::new);
        $v.visit("libc", $ty::<Libc>::new);
        $v.visit("std", $ty::<Std>::new);
        $v.visit("rustix", $ty::<Rustix>::new);
        $v.visit("socket2", $ty::<Socket2>::new);
        $v.visit("nix", $ty::<Nix>::new);
    }};
}

/// Group 4: TCP request/response, 64 B each way.
pub fn tcp_rr(v: &mut impl Visit) {
    tcp_group!(v, TcpRr);
}

/// Group 5: TCP bulk, 1 MiB in 64 KiB calls.
pub fn tcp_bulk(v: &mut impl Visit) {
    tcp_group!(v, TcpBulk);
}
