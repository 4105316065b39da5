//! `EINTR`: blocking calls interrupted by a handler without `SA_RESTART`
//! return it unchanged, and the looping conveniences carry on through it.

use std::net::SocketAddr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use crate::common::eventually;
use crate::common::sock::tcp;
use zerosock::poll::Interest;
use zerosock::{Domain, Errno, Error, IoSliceMut, MsgFlags, Protocol, Socket, TcpListener, TcpStream, Type};

use crate::{BOUND, LOCALHOST, listener, tcp_pair};

// ---------------------------------------------------------------------------
// EINTR

/// Serializes the tests that install a SIGUSR1 handler.
static SIGNALS: Mutex<()> = Mutex::new(());
static HANDLED: AtomicUsize = AtomicUsize::new(0);

extern "C" fn count_signal(_: libc::c_int) {
    HANDLED.fetch_add(1, Ordering::SeqCst);
}

/// Installs a SIGUSR1 handler without `SA_RESTART`, restoring the previous
/// disposition when dropped.
struct NoRestartHandler {
    old: libc::sigaction,
}

impl NoRestartHandler {
    fn install() -> Self {
        // SAFETY: plain sigaction calls with valid structs.
        unsafe {
            let mut new: libc::sigaction = std::mem::zeroed();
            new.sa_sigaction = count_signal as extern "C" fn(libc::c_int) as usize;
            new.sa_flags = 0; // no SA_RESTART
            libc::sigemptyset(&mut new.sa_mask);
            let mut old: libc::sigaction = std::mem::zeroed();
            assert_eq!(libc::sigaction(libc::SIGUSR1, &new, &mut old), 0);
            Self { old }
        }
    }
}

impl Drop for NoRestartHandler {
    fn drop(&mut self) {
        // SAFETY: restores the disposition saved by `install`.
        unsafe { libc::sigaction(libc::SIGUSR1, &self.old, std::ptr::null_mut()) };
    }
}

/// A pthread_t that may be sent to another thread to signal this one.
#[derive(Clone, Copy)]
struct Target(libc::pthread_t);
// SAFETY: pthread_t is an opaque id; pthread_kill may use it from any thread.
unsafe impl Send for Target {}

/// Signals `target` with SIGUSR1 every 20 ms until `stop` is set, at most
/// 500 times; returns how many signals were sent.
fn keep_signalling(target: Target, stop: &AtomicBool) -> usize {
    let mut sent = 0;
    while !stop.load(Ordering::SeqCst) && sent < 500 {
        std::thread::sleep(Duration::from_millis(20));
        // SAFETY: the target thread is alive: it is the test's own thread,
        // which sets `stop` before it could exit, and joins us after.
        let rc = unsafe { libc::pthread_kill(target.0, libc::SIGUSR1) };
        assert_eq!(rc, 0);
        sent += 1;
    }
    sent
}

/// Runs `call` on this thread while another signals it every 20 ms, and
/// returns what the call returned.
fn interrupted<T>(target: Target, call: impl FnOnce() -> T) -> T {
    let stop = AtomicBool::new(false);
    std::thread::scope(|s| {
        let signaller = s.spawn(|| keep_signalling(target, &stop));
        let result = call();
        stop.store(true, Ordering::SeqCst);
        signaller.join().unwrap();
        result
    })
}

#[test]
fn blocking_calls_interrupted_without_sa_restart_give_eintr() {
    let _serial = SIGNALS.lock().unwrap_or_else(|e| e.into_inner());
    let _handler = NoRestartHandler::install();
    let target = Target(unsafe { libc::pthread_self() });

    // Each call blocks with nothing ever coming: only the signal can end it
    // (SO_RCVTIMEO/SO_SNDTIMEO of 10 s bound it if the signal never lands,
    // ending it with EAGAIN or EINPROGRESS instead).
    let (a, _b) = Socket::pair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap();
    a.set_read_timeout(Some(BOUND)).unwrap();
    let (tcp_client, _server, idle_listener) = tcp_pair();
    idle_listener.set_read_timeout(Some(BOUND)).unwrap();
    let udp = Socket::new(Domain::INET, Type::DGRAM, Protocol::UDP).unwrap();
    udp.bind(&LOCALHOST).unwrap();
    udp.set_read_timeout(Some(BOUND)).unwrap();
    let (dgram, _peer) = Socket::pair(Domain::UNIX, Type::DGRAM, Protocol::DEFAULT).unwrap();
    dgram.set_read_timeout(Some(BOUND)).unwrap();
    // A send blocked on a full buffer, nothing of it sent yet.
    let (full, _reader) = Socket::pair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap();
    full.set_write_timeout(Some(BOUND)).unwrap();
    full.set_nonblocking(true).unwrap();
    while full.send(&[0u8; 4096]).is_ok() {}
    full.set_nonblocking(false).unwrap();
    // A connect to a listener whose backlog is full: its SYNs are dropped.
    let (backlogged, full_addr) = listener(0);
    let queued = tcp();
    queued.connect(&full_addr).unwrap();
    let _ = &backlogged;

    type Call<'a> = Box<dyn FnOnce() -> Result<(), Errno> + 'a>;
    let mut buf = [0u8; 8];
    let calls: Vec<(&str, Call<'_>)> = vec![
        ("recv (unix stream)", Box::new(|| a.recv(&mut [0; 8]).map(drop))),
        ("read (tcp)", Box::new(|| tcp_client.read(&mut [0; 8]).map(drop))),
        ("accept", Box::new(|| idle_listener.accept().map(drop))),
        (
            "recv_from (udp)",
            Box::new(|| udp.recv_from(&mut [0; 8]).map(drop)),
        ),
        (
            "recv_msg (unix dgram)",
            Box::new(|| {
                let mut control = [0u8; 64];
                dgram
                    .recv_msg(
                        &mut [IoSliceMut::new(&mut buf)],
                        &mut control,
                        None,
                        None,
                        MsgFlags::NONE,
                    )
                    .map(drop)
            }),
        ),
        (
            "send (full buffer)",
            Box::new(|| full.send(&[0u8; 4096]).map(drop)),
        ),
        (
            "wait (poll)",
            Box::new(|| a.wait(Interest::IN, Some(BOUND)).map(drop)),
        ),
        (
            "connect (full backlog)",
            Box::new(|| {
                let c = tcp();
                c.set_write_timeout(Some(BOUND)).unwrap();
                c.connect(&full_addr)
            }),
        ),
    ];
    for (name, call) in calls {
        let before = HANDLED.load(Ordering::SeqCst);
        let result = interrupted(target, call);
        assert_eq!(result, Err(Errno::INTR), "{name}");
        assert!(HANDLED.load(Ordering::SeqCst) > before);
    }
}

#[test]
fn recv_exact_and_send_all_carry_on_through_eintr() {
    let _serial = SIGNALS.lock().unwrap_or_else(|e| e.into_inner());
    let _handler = NoRestartHandler::install();
    let target = Target(unsafe { libc::pthread_self() });

    // recv_exact: blocked with nothing to read, signalled repeatedly; the
    // data arrives only after several signals were handled.
    let (a, b) = Socket::pair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap();
    a.set_read_timeout(Some(BOUND)).unwrap();
    let stop = AtomicBool::new(false);
    let before = HANDLED.load(Ordering::SeqCst);
    let mut buf = [0u8; 12];
    let result = std::thread::scope(|s| {
        let signaller = s.spawn(|| keep_signalling(target, &stop));
        let sender = s.spawn(|| {
            // Bounded: 10 s worth of 20 ms signals at most.
            assert!(eventually(BOUND, || HANDLED.load(Ordering::SeqCst) >= before + 5));
            b.send_all(b"hello ").unwrap();
            assert!(eventually(BOUND, || HANDLED.load(Ordering::SeqCst) >= before + 10));
            b.send_all(b"world!").unwrap();
        });
        let result = a.recv_exact(&mut buf);
        stop.store(true, Ordering::SeqCst);
        sender.join().unwrap();
        signaller.join().unwrap();
        result
    });
    assert_eq!(result, Ok(()));
    assert_eq!(&buf, b"hello world!");
    assert!(HANDLED.load(Ordering::SeqCst) >= before + 10);

    // send_all: a send blocked on a full socket buffer, signalled; the
    // reader drains only after several signals. Every byte arrives in order.
    let (a, b) = Socket::pair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap();
    a.set_send_buffer_size(4096).unwrap();
    b.set_recv_buffer_size(4096).unwrap();
    a.set_write_timeout(Some(Duration::from_secs(30))).unwrap();
    let data: Vec<u8> = (0..1_000_000u32).map(|i| (i * 7 + i / 251) as u8).collect();
    let stop = AtomicBool::new(false);
    let before = HANDLED.load(Ordering::SeqCst);
    let (result, received) = std::thread::scope(|s| {
        let signaller = s.spawn(|| keep_signalling(target, &stop));
        let reader = s.spawn(|| {
            assert!(eventually(BOUND, || HANDLED.load(Ordering::SeqCst) >= before + 5));
            let mut got = Vec::with_capacity(data.len());
            let mut chunk = [0u8; 65536];
            b.set_read_timeout(Some(BOUND)).unwrap();
            while got.len() < data.len() {
                match b.recv(&mut chunk) {
                    Ok(0) => break,
                    Ok(n) => got.extend_from_slice(&chunk[..n]),
                    Err(e) => panic!("reader: {e}"),
                }
                // Drain slowly at first so the sender keeps blocking and
                // keeps being interrupted.
                if got.len() < 64 * 1024 {
                    std::thread::sleep(Duration::from_millis(5));
                }
            }
            got
        });
        let result = a.send_all(&data);
        stop.store(true, Ordering::SeqCst);
        signaller.join().unwrap();
        (result, reader.join().unwrap())
    });
    assert_eq!(result, Ok(()));
    assert_eq!(received.len(), data.len());
    assert!(received == data, "bytes lost or reordered");

    // The typed loops too: read_exact on a TcpStream, signalled while it
    // waits for data that comes only after several signals.
    let l = TcpListener::bind(SocketAddr::V4(LOCALHOST)).unwrap();
    let c = TcpStream::connect(l.local_addr().unwrap()).unwrap();
    let (s, _) = l.accept().unwrap();
    c.as_socket().set_read_timeout(Some(BOUND)).unwrap();
    let before = HANDLED.load(Ordering::SeqCst);
    let mut four = [0u8; 4];
    let result = std::thread::scope(|scope| {
        scope.spawn(|| {
            assert!(eventually(BOUND, || HANDLED.load(Ordering::SeqCst) >= before + 5));
            s.send_all(b"late").unwrap();
        });
        interrupted(target, || c.recv_exact(&mut four))
    });
    assert_eq!(result, Ok(()));
    assert_eq!(&four, b"late");

    // connect_timeout waits on through EINTR for its whole timeout: a
    // connect to a full backlog ends in ETIMEDOUT, not EINTR.
    let (_backlogged, full_addr) = listener(0);
    let queued = tcp();
    queued.connect(&full_addr).unwrap();
    let before = HANDLED.load(Ordering::SeqCst);
    let result = interrupted(target, || {
        tcp().connect_timeout(&full_addr, Duration::from_millis(300))
    });
    assert_eq!(result, Err(Error::Os(Errno::TIMEDOUT)));
    assert!(
        HANDLED.load(Ordering::SeqCst) > before,
        "no signal landed during the wait"
    );
}
