//! The source documents' failure cases, each reproduced on loopback with the
//! exact result the kernel gives and zerosock passes on unchanged: EOF after
//! FIN, half close, EPIPE without SIGPIPE, ECONNRESET after an abortive
//! close, ECONNREFUSED, EADDRINUSE from TIME_WAIT and its cure
//! SO_REUSEADDR, EINTR without SA_RESTART (and the looping helpers carrying
//! on), SHUT_RD, and a full listen backlog.

mod common;

use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use common::eventually;
use common::sock::tcp;
use zerosock::addr::SockAddr;
use zerosock::fd::AsFd;
use zerosock::msg::{Control, SendBatch};
use zerosock::opt::TcpState;
use zerosock::poll::{Interest, Ready};
use zerosock::proc::{InetEntries, InetTable, Process};
use zerosock::{
    Backoff, Domain, Errno, Error, IoSlice, IoSliceMut, MsgFlags, Protocol, Shutdown, Socket, TcpListener,
    TcpStream, Type, UnixSeqpacket, UnixStream, connect_retry,
};

const LOCALHOST: SocketAddrV4 = SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0);
const BOUND: Duration = Duration::from_secs(10);

/// The TCP state of a socket, as `TCP_INFO` gives it.
fn state(socket: &Socket) -> TcpState {
    socket.tcp_info().unwrap().state().unwrap()
}

/// The TCP states of the sockets on local `port`, as this process's
/// `/proc/<pid>/net/tcp` shows them (TIME_WAIT sockets, owned by no fd,
/// appear only there).
fn states_on_port(port: u16) -> Vec<TcpState> {
    let mut buf = [0u8; 4096];
    InetEntries::open(Process::Current, InetTable::Tcp, &mut buf)
        .unwrap()
        .map(Result::unwrap)
        .filter(|e| e.local.port() == port)
        .map(|e| e.state().unwrap())
        .collect()
}

/// A listener on 127.0.0.1:0 and its address.
fn listener(backlog: i32) -> (Socket, SocketAddr) {
    let l = tcp();
    l.bind(&LOCALHOST).unwrap();
    l.listen(backlog).unwrap();
    let addr = l.local_addr().unwrap().socket_addr().unwrap();
    (l, addr)
}

/// A connected loopback TCP pair: (client, accepted server side, listener).
fn tcp_pair() -> (Socket, Socket, Socket) {
    let (l, addr) = listener(8);
    let client = tcp();
    client.connect(&addr).unwrap();
    let (server, _) = l.accept().unwrap();
    client.set_read_timeout(Some(BOUND)).unwrap();
    server.set_read_timeout(Some(BOUND)).unwrap();
    (client, server, l)
}

#[test]
fn read_returns_zero_after_the_peers_fin() {
    let (client, server, _l) = tcp_pair();
    server.send_all(b"last words").unwrap();
    drop(server); // close: FIN after the queued data
    let mut buf = [0u8; 32];
    let mut got = Vec::new();
    loop {
        let n = client.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        got.extend_from_slice(&buf[..n]);
        assert!(got.len() <= 10, "more bytes than were sent");
    }
    assert_eq!(got, b"last words");
    // End of stream is sticky: every later read returns 0 again, recv too.
    assert_eq!(client.read(&mut buf), Ok(0));
    assert_eq!(client.recv(&mut buf), Ok(0));
    // recv_exact reports the early end as a typed error.
    assert_eq!(client.recv_exact(&mut buf), Err(Error::UnexpectedEof));
}

#[test]
fn half_close_with_shut_wr_leaves_the_other_direction_open() {
    let (client, server, _l) = tcp_pair();
    client.send_all(b"request").unwrap();
    client.shutdown(Shutdown::Write).unwrap();

    let mut buf = [0u8; 7];
    server.recv_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"request");
    assert_eq!(server.recv(&mut buf), Ok(0), "the server reads EOF after SHUT_WR");
    assert_eq!(state(&server), TcpState::CloseWait);

    // The server can still answer, and the half-closed client still reads.
    server.send_all(b"response").unwrap();
    drop(server);
    let mut answer = [0u8; 8];
    client.recv_exact(&mut answer).unwrap();
    assert_eq!(&answer, b"response");
    assert_eq!(client.recv(&mut answer), Ok(0));
    // And the client can no longer send: EPIPE.
    assert_eq!(client.send(b"x"), Err(Errno::PIPE));
}

#[test]
fn half_close_on_a_unix_stream_pair() {
    let (a, b) = Socket::pair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap();
    a.shutdown(Shutdown::Write).unwrap();
    let mut buf = [0u8; 4];
    assert_eq!(b.recv(&mut buf), Ok(0));
    b.send_all(b"back").unwrap();
    a.recv_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"back");
    assert_eq!(a.send(b"x"), Err(Errno::PIPE));
}

/// The env var under which the test binary re-runs itself as the child of
/// [`write_after_peer_close_gives_epipe_and_no_sigpipe`].
const SIGPIPE_CHILD: &str = "ZEROSOCK_SIGPIPE_CHILD";

/// Runs in a child process with `SIGPIPE` restored to `SIG_DFL` (Rust's
/// runtime ignores it), so a send path missing `MSG_NOSIGNAL` kills the
/// child and the parent sees the signal.
fn sigpipe_scenarios() {
    // SAFETY: restoring the default disposition of SIGPIPE in this process.
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_DFL) };

    // Every send path zerosock has, on a stream socket.
    type Send = fn(&Socket) -> Result<usize, Errno>;
    fn errno(e: Error) -> Errno {
        e.errno().unwrap()
    }
    let common: [(&str, Send); 7] = [
        ("send", |s| s.send(b"x")),
        ("write", |s| s.write(b"x")),
        ("send_with_flags", |s| s.send_with_flags(b"x", MsgFlags::DONTWAIT)),
        ("write_vectored", |s| s.write_vectored(&[IoSlice::new(b"x")])),
        ("send_all", |s| s.send_all(b"x").map(|()| 1).map_err(errno)),
        ("send_msg", |s| {
            s.send_msg(&[IoSlice::new(b"x")], Control::NONE, MsgFlags::NONE)
        }),
        ("send_mmsg", |s| {
            let mut batch = SendBatch::<1>::new();
            batch.push(b"x", None, Control::NONE).unwrap();
            s.send_mmsg(&mut batch, MsgFlags::NONE)
                .map(|_| batch.sent_len(0).unwrap())
        }),
    ];
    let tcp_typed: [(&str, Send); 4] = [
        ("TcpStream::write", |s| {
            TcpStream::from(s.try_clone().unwrap()).write(b"x")
        }),
        ("TcpStream::send", |s| {
            TcpStream::from(s.try_clone().unwrap()).send(b"x")
        }),
        ("TcpStream::write_all", |s| {
            TcpStream::from(s.try_clone().unwrap())
                .send_all(b"x")
                .map(|()| 1)
                .map_err(errno)
        }),
        ("TcpStream::write_vectored", |s| {
            TcpStream::from(s.try_clone().unwrap()).write_vectored(&[IoSlice::new(b"x")])
        }),
    ];
    // With `std`, the io::Write impls are send paths too.
    #[cfg(feature = "std")]
    let tcp_typed: Vec<(&str, Send)> = tcp_typed
        .into_iter()
        .chain([(
            "io::Write for TcpStream",
            (|s| {
                let mut t = TcpStream::from(s.try_clone().unwrap());
                std::io::Write::write(&mut t, b"x").map_err(|e| Errno::from_io_error(&e).unwrap())
            }) as Send,
        )])
        .collect();
    let unix_typed: [(&str, Send); 3] = [
        ("UnixStream::write", |s| {
            UnixStream::from(s.try_clone().unwrap()).write(b"x")
        }),
        ("UnixStream::write_all", |s| {
            UnixStream::from(s.try_clone().unwrap())
                .send_all(b"x")
                .map(|()| 1)
                .map_err(errno)
        }),
        ("UnixStream::send_fds", |s| {
            let t = UnixStream::from(s.try_clone().unwrap());
            t.send_fds(b"x", &[t.as_fd()]).map_err(errno)
        }),
    ];
    #[cfg(feature = "std")]
    let unix_typed: Vec<(&str, Send)> = unix_typed
        .into_iter()
        .chain([(
            "io::Write for UnixStream",
            (|s| {
                let mut t = UnixStream::from(s.try_clone().unwrap());
                std::io::Write::write(&mut t, b"x").map_err(|e| Errno::from_io_error(&e).unwrap())
            }) as Send,
        )])
        .collect();

    // TCP: the peer closed; the first write succeeds (the data reaches a
    // socket that no longer exists, which answers with RST), every write
    // after the RST fails with EPIPE.
    for (name, send) in common.iter().chain(&tcp_typed) {
        let (client, server, _l) = tcp_pair();
        drop(server);
        let mut buf = [0u8; 1];
        assert_eq!(client.recv(&mut buf), Ok(0), "{name}: FIN first");
        assert_eq!(state(&client), TcpState::CloseWait);
        assert_eq!(
            send(&client),
            Ok(1),
            "{name}: the first write after the peer closed succeeds"
        );
        // Wait for the RST that write provoked (POLLHUP/POLLERR), bounded.
        let ready = client.wait(Interest::OUT, Some(BOUND)).unwrap();
        assert!(
            ready.intersects(Ready::HUP | Ready::ERR),
            "{name}: no RST seen: {ready:?}"
        );
        assert_eq!(send(&client), Err(Errno::PIPE), "{name}: the second write");
        assert_eq!(send(&client), Err(Errno::PIPE), "{name}: and every later one");
        eprintln!("{name}: Ok(1) then EPIPE, EPIPE; still alive");
    }

    // A Unix stream whose peer is gone: EPIPE at once.
    for (name, send) in common.iter().chain(&unix_typed) {
        let (a, b) = Socket::pair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap();
        drop(b);
        assert_eq!(send(&a), Err(Errno::PIPE), "unix {name}");
    }
    // SOCK_SEQPACKET raises SIGPIPE too (it is connection-oriented).
    let seqpacket: [(&str, Send); 3] = [
        ("UnixSeqpacket::send", |s| {
            UnixSeqpacket::from(s.try_clone().unwrap()).send(b"x")
        }),
        ("UnixSeqpacket::send_fds", |s| {
            let t = UnixSeqpacket::from(s.try_clone().unwrap());
            t.send_fds(b"x", &[t.as_fd()]).map_err(errno)
        }),
        ("send_to", |s| {
            s.send_to(b"x", &s.peer_addr().unwrap_or(SockAddr::EMPTY))
        }),
    ];
    for (name, send) in common.iter().chain(&seqpacket) {
        let (a, b) = Socket::pair(Domain::UNIX, Type::SEQPACKET, Protocol::DEFAULT).unwrap();
        drop(b);
        assert_eq!(send(&a), Err(Errno::PIPE), "seqpacket {name}");
    }
    // A stream socket shut for writing by its own side.
    let (a, _b) = Socket::pair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap();
    a.shutdown(Shutdown::Write).unwrap();
    assert_eq!(a.send(b"x"), Err(Errno::PIPE));
    println!("SIGPIPE-CHILD-SURVIVED");
}

#[test]
fn write_after_peer_close_gives_epipe_and_no_sigpipe() {
    if std::env::var_os(SIGPIPE_CHILD).is_some() {
        sigpipe_scenarios();
        return;
    }
    use std::os::unix::process::ExitStatusExt;
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "write_after_peer_close_gives_epipe_and_no_sigpipe",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(SIGPIPE_CHILD, "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_ne!(
        out.status.signal(),
        Some(libc::SIGPIPE),
        "a send raised SIGPIPE (MSG_NOSIGNAL missing); child stderr:\n{stderr}"
    );
    assert!(
        out.status.success(),
        "child failed: {:?}\n{stdout}\n{stderr}",
        out.status
    );
    assert!(
        stdout.contains("SIGPIPE-CHILD-SURVIVED"),
        "child output:\n{stdout}\n{stderr}"
    );
}

#[test]
fn abortive_close_with_linger_zero_gives_econnreset() {
    let (client, server, _l) = tcp_pair();
    server.set_linger(Some(Duration::ZERO)).unwrap();
    drop(server); // SO_LINGER {1, 0}: close sends RST, not FIN
    let mut buf = [0u8; 8];
    assert_eq!(client.read(&mut buf), Err(Errno::CONNRESET));
    // The error is reported once; then the stream reads as ended.
    assert_eq!(client.read(&mut buf), Ok(0));
    assert_eq!(client.send(b"x"), Err(Errno::PIPE));
}

#[test]
fn abortive_close_with_unread_data_gives_econnreset() {
    // close(2) with unread data in the receive queue also sends RST
    // (RFC 2525), without any option.
    let (client, server, _l) = tcp_pair();
    client.send_all(b"never read").unwrap();
    assert!(eventually(BOUND, || {
        let mut b = [0u8; 1];
        server.recv_with_flags(&mut b, MsgFlags::PEEK | MsgFlags::DONTWAIT) == Ok(1)
    }));
    drop(server);
    let mut buf = [0u8; 8];
    assert_eq!(client.read(&mut buf), Err(Errno::CONNRESET));
}

#[test]
fn connect_to_a_port_nobody_listens_on_gives_econnrefused() {
    // A bound socket that never listens holds the port, so nothing else can
    // take it, and answers SYNs with RST.
    let holder = tcp();
    holder.bind(&LOCALHOST).unwrap();
    let addr = holder.local_addr().unwrap();

    assert_eq!(tcp().connect(&addr), Err(Errno::CONNREFUSED));
    let ip = addr.socket_addr().unwrap();
    assert_eq!(TcpStream::connect(ip).err(), Some(Errno::CONNREFUSED.into()));
    // The conveniences report the kernel's error as it is.
    assert_eq!(
        tcp().connect_timeout(&addr, BOUND),
        Err(Error::Os(Errno::CONNREFUSED))
    );
    assert_eq!(
        TcpStream::connect_timeout(&ip, BOUND).err(),
        Some(Error::Os(Errno::CONNREFUSED))
    );
    // connect_retry: every try refused, on a fresh socket each time; the
    // last error comes back.
    let quick = Backoff {
        first: Duration::from_millis(1),
        max_delay: Duration::from_millis(4),
        max_tries: 3,
        try_timeout: Some(BOUND),
    };
    let mut fresh = Vec::new();
    let result = connect_retry(&addr, &quick, |n| {
        let s = tcp();
        fresh.push((n, s.inode().unwrap()));
        Ok(s)
    });
    assert_eq!(result.err(), Some(Error::Os(Errno::CONNREFUSED)));
    assert_eq!(fresh.iter().map(|&(n, _)| n).collect::<Vec<_>>(), [1, 2, 3]);
    assert!(
        fresh[0].1 != fresh[1].1 && fresh[1].1 != fresh[2].1,
        "a fresh socket per try"
    );

    // Non-blocking: EINPROGRESS, then the error arrives in SO_ERROR.
    let s = Socket::new_nonblocking(Domain::INET, Type::STREAM, Protocol::TCP).unwrap();
    match s.connect(&addr) {
        Err(Errno::INPROGRESS) => {
            let ready = s.wait(Interest::OUT, Some(BOUND)).unwrap();
            assert!(ready.contains(Ready::OUT), "{ready:?}");
            assert_eq!(s.take_error(), Ok(Some(Errno::CONNREFUSED)));
            assert_eq!(s.take_error(), Ok(None), "SO_ERROR is cleared by reading it");
        }
        other => assert_eq!(other, Err(Errno::CONNREFUSED)),
    }

    // Connected UDP: the ICMP port-unreachable comes back as ECONNREFUSED
    // on the next call. The port is held by a UDP socket connected
    // elsewhere, which takes no datagram from us, so the kernel answers
    // with port-unreachable and no other process can take the port.
    let udp_holder = Socket::new(Domain::INET, Type::DGRAM, Protocol::UDP).unwrap();
    udp_holder.bind(&LOCALHOST).unwrap();
    udp_holder
        .connect(&SocketAddrV4::new(Ipv4Addr::LOCALHOST, 9))
        .unwrap();
    let udp_addr = udp_holder.local_addr().unwrap();
    let u = Socket::new(Domain::INET, Type::DGRAM, Protocol::UDP).unwrap();
    u.connect(&udp_addr).unwrap();
    u.set_read_timeout(Some(BOUND)).unwrap();
    assert_eq!(u.send(b"anyone?"), Ok(7));
    let mut buf = [0u8; 8];
    assert_eq!(u.recv(&mut buf), Err(Errno::CONNREFUSED));
    // Reported once: the next send goes out again.
    assert_eq!(u.send(b"anyone?"), Ok(7));
}

#[test]
fn connect_to_a_unix_path_nobody_listens_on_gives_econnrefused() {
    let dir = std::env::temp_dir().join(format!("zs-refused-{}", std::process::id()));
    let _ = std::fs::create_dir(&dir);
    let path = dir.join("sock");
    let _ = std::fs::remove_file(&path);
    let addr = zerosock::addr::UnixAddr::new(path.as_os_str().as_encoded_bytes()).unwrap();
    let bound = Socket::new(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap();
    bound.bind(&addr).unwrap(); // bound, never listening
    let c = Socket::new(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap();
    assert_eq!(c.connect(&addr), Err(Errno::CONNREFUSED));
    drop(bound);
    // The file outlives the socket: still refused, not ENOENT.
    assert_eq!(c.connect(&addr), Err(Errno::CONNREFUSED));
    std::fs::remove_file(&path).unwrap();
    let c = Socket::new(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap();
    assert_eq!(c.connect(&addr), Err(Errno::NOENT));
    let _ = std::fs::remove_dir(&dir);
    // Abstract names vanish with their socket: refused.
    let name = format!("zs-refused-{}", std::process::id());
    let abs = zerosock::addr::UnixAddr::new_abstract(name.as_bytes()).unwrap();
    assert_eq!(c.connect(&abs), Err(Errno::CONNREFUSED));
}

/// Puts the listening side's port into TIME_WAIT: the server accepts, then
/// closes first (active close), and the listener is closed too. The
/// listener (and so the accepted socket, which inherits it) has
/// `SO_REUSEADDR` if `reuse` is set.
fn port_in_time_wait(reuse: bool) -> SocketAddr {
    let l = tcp();
    if reuse {
        l.set_reuse_address(true).unwrap();
    }
    l.bind(&LOCALHOST).unwrap();
    l.listen(8).unwrap();
    let addr = l.local_addr().unwrap().socket_addr().unwrap();
    let client = tcp();
    client.connect(&addr).unwrap();
    let (server, _) = l.accept().unwrap();
    drop(l);
    drop(server); // FIN from the server side: it will be the one in TIME_WAIT
    let mut buf = [0u8; 1];
    client.set_read_timeout(Some(BOUND)).unwrap();
    assert_eq!(client.read(&mut buf), Ok(0));
    drop(client); // the client's FIN completes the server side's close
    assert!(
        eventually(BOUND, || states_on_port(addr.port()) == [TcpState::TimeWait]),
        "port {} not in TIME_WAIT alone: {:?}",
        addr.port(),
        states_on_port(addr.port())
    );
    addr
}

/// Binds a new socket to `addr`, with `SO_REUSEADDR` if `reuse`.
fn bind_again(addr: SocketAddr, reuse: bool) -> (Socket, Result<(), Errno>) {
    let s = tcp();
    if reuse {
        s.set_reuse_address(true).unwrap();
    }
    let r = s.bind(&addr);
    (s, r)
}

#[test]
fn bind_during_time_wait_gives_eaddrinuse_unless_so_reuseaddr() {
    // Linux lets a bind share the port with a TIME_WAIT socket only if both
    // have SO_REUSEADDR: the new socket, and the old one (inherited from
    // its listener). That is why servers set it on every listener.
    for (old, new, expected) in [
        (false, false, Err(Errno::ADDRINUSE)),
        (false, true, Err(Errno::ADDRINUSE)),
        (true, false, Err(Errno::ADDRINUSE)),
        (true, true, Ok(())),
    ] {
        let addr = port_in_time_wait(old);
        let (s, r) = bind_again(addr, new);
        assert_eq!(
            r, expected,
            "old listener SO_REUSEADDR {old}, new socket SO_REUSEADDR {new}"
        );
        if r.is_ok() {
            s.listen(1).unwrap();
            // The port still shows its TIME_WAIT entry next to the new
            // listener (10 = LISTEN).
            let states = states_on_port(addr.port());
            assert!(
                states.contains(&TcpState::TimeWait) && states.contains(&TcpState::Listen),
                "{states:?}"
            );
            // And the reborn listener works.
            let c = tcp();
            c.connect(&addr).unwrap();
            let (accepted, _) = s.accept().unwrap();
            assert_eq!(state(&accepted), TcpState::Established);
        }
    }

    // TcpListener::bind sets SO_REUSEADDR, as std does: a restarted
    // server binds over the TIME_WAIT its previous run left.
    let addr = port_in_time_wait(true);
    let reborn = TcpListener::bind(addr).unwrap();
    assert_eq!(reborn.local_addr(), Ok(addr));
}

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

#[test]
fn read_after_shut_rd_gives_zero() {
    // TCP: SHUT_RD with nothing queued, then read: 0 at once (a blocking
    // read that blocked would end in EAGAIN after SO_RCVTIMEO instead).
    let (client, server, _l) = tcp_pair();
    client.shutdown(Shutdown::Read).unwrap();
    let mut buf = [0u8; 8];
    assert_eq!(client.read(&mut buf), Ok(0));
    assert_eq!(client.recv(&mut buf), Ok(0));
    // The other direction still works.
    client.send_all(b"still").unwrap();
    let mut five = [0u8; 5];
    server.recv_exact(&mut five).unwrap();
    assert_eq!(&five, b"still");

    // Unix stream: the same.
    let (a, b) = Socket::pair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap();
    a.set_read_timeout(Some(BOUND)).unwrap();
    a.shutdown(Shutdown::Read).unwrap();
    assert_eq!(a.read(&mut buf), Ok(0));
    a.send_all(b"out").unwrap();
    let mut three = [0u8; 3];
    b.recv_exact(&mut three).unwrap();
    assert_eq!(&three, b"out");
}

#[test]
fn full_backlog_leaves_further_connects_pending() {
    // Linux: listen(n) keeps up to n + 1 completed connections waiting for
    // accept (the queue is full when more than n wait). Past that, the
    // listener drops incoming SYNs (ListenOverflows), so a connect neither
    // succeeds nor fails: it stays in SYN_SENT and retransmits its SYN.
    let (l, addr) = listener(1);

    let mut completed = Vec::new();
    let pending = loop {
        assert!(completed.len() <= 8, "the backlog never filled");
        let c = Socket::new_nonblocking(Domain::INET, Type::STREAM, Protocol::TCP).unwrap();
        assert_eq!(c.connect(&addr), Err(Errno::INPROGRESS));
        // A completed loopback handshake is immediate; allow 300 ms.
        if c.wait(Interest::OUT, Some(Duration::from_millis(300)))
            .unwrap()
            .is_empty()
        {
            break c;
        }
        assert_eq!(c.take_error(), Ok(None));
        assert_eq!(state(&c), TcpState::Established);
        completed.push(c);
    };
    assert_eq!(
        completed.len(),
        2,
        "listen(1) completes backlog + 1 = 2 connections"
    );
    assert_eq!(state(&pending), TcpState::SynSent);
    assert_eq!(pending.take_error(), Ok(None), "pending, not refused");

    // A blocking connect with SO_SNDTIMEO gives up with EINPROGRESS.
    let blocking = tcp();
    blocking
        .set_write_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    assert_eq!(blocking.connect(&addr), Err(Errno::INPROGRESS));
    assert_eq!(state(&blocking), TcpState::SynSent);
    drop(blocking);

    // Accepting one makes room: the pending connect completes on its next
    // SYN retransmission (1 s, then 2 s, 4 s … later).
    let (first, _) = l.accept().unwrap();
    drop(first);
    let ready = pending
        .wait(Interest::OUT, Some(Duration::from_secs(20)))
        .unwrap();
    assert!(ready.contains(Ready::OUT), "the pending connect never completed");
    assert_eq!(pending.take_error(), Ok(None));
    assert_eq!(state(&pending), TcpState::Established);
}
