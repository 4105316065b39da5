//! Connecting well: `connect_timeout` returns the kernel's real error or
//! `ETIMEDOUT` within its bound, and `connect_retry` tries fresh sockets with
//! back-off until a listener appears or its tries run out.
//!
//! Loopback, plus network namespaces each test makes for itself with
//! unshare(2) on a thread of its own (the namespace goes away with the
//! thread and its sockets; nothing to clean up). Inside, zerosock's own
//! rtnetlink builds a black hole: a veth link where 192.0.2.2 (TEST-NET-1,
//! RFC 5737) has a neighbour entry whose MAC nobody owns, so SYNs to it
//! vanish. Without root those tests print `SKIPPED: …` and return.

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::common::rtnl::Setup;
use crate::common::sock::tcp;
use crate::common::{retry_eintr, skip};
use zerosock::netlink::route::RouteType;
use zerosock::opt::TcpState;
use zerosock::{Backoff, Domain, Errno, Error, Protocol, Socket, TcpStream, Type, connect_retry};

/// A generous bound for anything that should take a moment.
const BOUND: Duration = Duration::from_secs(5);
const BLACK_HOLE: SocketAddr = SocketAddr::new(std::net::IpAddr::V4(Ipv4Addr::new(192, 0, 2, 2)), 80);
const NO_ARP: SocketAddr = SocketAddr::new(std::net::IpAddr::V4(Ipv4Addr::new(192, 0, 2, 3)), 80);

/// An address on 127.0.0.1 where nothing listens: the port stays reserved
/// by a bound socket that never calls listen, so connects are refused.
fn refused_port() -> (Socket, SocketAddr) {
    let holder = tcp();
    holder.bind(&SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).unwrap();
    let addr = holder.local_addr().unwrap().socket_addr().unwrap();
    (holder, addr)
}

fn listener() -> (Socket, SocketAddr) {
    let (l, addr) = refused_port();
    l.listen(8).unwrap();
    (l, addr)
}

/// Runs `f` on a thread in a new network namespace, after `lo` is brought
/// up and `setup` has run there, both through zerosock's rtnetlink. `None`
/// (after a visible skip line) if namespaces are not available.
fn in_new_netns<T: Send + 'static>(
    setup: fn(&mut Setup),
    f: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    std::thread::spawn(move || {
        // SAFETY: unshare(2) with CLONE_NEWNET affects only this thread.
        if unsafe { libc::unshare(libc::CLONE_NEWNET) } != 0 {
            skip(&format!(
                "cannot make a network namespace: {}",
                std::io::Error::last_os_error()
            ));
            return None;
        }
        // Sockets made now belong to this thread's new namespace.
        let mut links = Setup::open();
        links.up("lo");
        setup(&mut links);
        Some(f())
    })
    .join()
    .unwrap_or_else(|e| std::panic::resume_unwind(e))
}

/// A veth pair whose far end swallows what is sent to 192.0.2.2 (its
/// neighbour entry names a MAC no interface has); 192.0.2.3 has no entry,
/// so ARP for it goes unanswered; 198.51.100.0/24 is unreachable.
fn silent_link(links: &mut Setup) {
    links
        .veth("zsa", "zsb")
        .addr("zsa", "192.0.2.1/24")
        .up("zsa")
        .up("zsb")
        .neighbour("zsa", "192.0.2.2", [2, 0, 0, 0, 0, 0x99])
        .route(RouteType::UNREACHABLE, "198.51.100.0/24");
}

#[test]
fn connect_timeout_to_a_closed_port_is_refused() {
    let (_holder, addr) = refused_port();
    let start = Instant::now();
    let s = tcp();
    assert_eq!(
        s.connect_timeout(&addr, BOUND),
        Err(Error::Os(Errno::CONNREFUSED))
    );
    assert!(
        !s.is_nonblocking().unwrap(),
        "blocking mode restored after a failure"
    );
    assert_eq!(
        TcpStream::connect_timeout(&addr, BOUND).map(drop),
        Err(Error::Os(Errno::CONNREFUSED))
    );
    assert!(start.elapsed() < BOUND, "refusal took {:?}", start.elapsed());
}

#[test]
fn connect_timeout_connects_and_restores_the_blocking_mode() {
    let (l, addr) = listener();
    let s = tcp();
    s.connect_timeout(&addr, BOUND).unwrap();
    assert!(!s.is_nonblocking().unwrap());
    assert_eq!(s.peer_addr().unwrap().socket_addr(), Some(addr));
    let (accepted, _) = l.accept().unwrap();
    s.send_all(b"ping").unwrap();
    let mut buf = [0; 4];
    accepted.recv_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"ping");

    // A socket that was non-blocking stays so.
    let n = Socket::new_nonblocking(Domain::INET, Type::STREAM, Protocol::TCP).unwrap();
    n.connect_timeout(&addr, BOUND).unwrap();
    assert!(n.is_nonblocking().unwrap());

    let stream = TcpStream::connect_timeout(&addr, BOUND).unwrap();
    assert!(!stream.as_socket().is_nonblocking().unwrap());
    assert_eq!(stream.peer_addr().unwrap(), addr);

    // IPv6 too.
    let l6 = Socket::new(Domain::INET6, Type::STREAM, Protocol::TCP).unwrap();
    l6.bind(&SocketAddr::from((Ipv6Addr::LOCALHOST, 0))).unwrap();
    l6.listen(1).unwrap();
    let addr6 = l6.local_addr().unwrap().socket_addr().unwrap();
    TcpStream::connect_timeout(&addr6, BOUND).unwrap();
}

#[test]
fn zero_timeouts_and_zero_tries_are_refused_before_any_call() {
    let (_l, addr) = listener();
    let s = tcp();
    assert!(matches!(
        s.connect_timeout(&addr, Duration::ZERO),
        Err(Error::InvalidInput(_))
    ));
    assert!(!s.is_nonblocking().unwrap());
    assert_eq!(
        s.peer_addr().map(drop),
        Err(Errno::NOTCONN),
        "no connect was made"
    );
    assert!(matches!(
        TcpStream::connect_timeout(&addr, Duration::ZERO),
        Err(Error::InvalidInput(_))
    ));

    let mut calls = 0;
    let mut count = |_| {
        calls += 1;
        Ok(tcp())
    };
    let none = Backoff {
        max_tries: 0,
        ..quick()
    };
    assert!(matches!(
        connect_retry(&addr, &none, &mut count),
        Err(Error::InvalidInput(_))
    ));
    let zero = Backoff {
        try_timeout: Some(Duration::ZERO),
        ..quick()
    };
    assert!(matches!(
        connect_retry(&addr, &zero, &mut count),
        Err(Error::InvalidInput(_))
    ));
    assert_eq!(calls, 0);
}

#[test]
fn connect_timeout_to_a_black_hole_times_out_within_its_bound() {
    let Some((socket_result, stream_result, state, elapsed)) = in_new_netns(silent_link, || {
        let start = Instant::now();
        let s = tcp();
        let socket_result = s.connect_timeout(&BLACK_HOLE, Duration::from_millis(200));
        // The handshake is still under way in the kernel.
        let state = s.tcp_info().unwrap().state();
        let stream_result = TcpStream::connect_timeout(&BLACK_HOLE, Duration::from_millis(200)).map(drop);
        (socket_result, stream_result, state, start.elapsed())
    }) else {
        return;
    };
    assert_eq!(socket_result, Err(Error::Os(Errno::TIMEDOUT)));
    assert_eq!(stream_result, Err(Error::Os(Errno::TIMEDOUT)));
    assert_eq!(state, Some(TcpState::SynSent));
    assert!(elapsed < BOUND, "two 200 ms timeouts took {elapsed:?}");
}

#[test]
fn connect_timeout_returns_the_kernel_s_own_error() {
    let Some(results) = in_new_netns(silent_link, || {
        let attempt = |addr: SocketAddr| {
            let start = Instant::now();
            let result = tcp().connect_timeout(&addr, Duration::from_secs(30));
            (result, start.elapsed())
        };
        [
            // No route at all: connect itself fails.
            attempt(SocketAddr::from(([203, 0, 113, 1], 80))),
            // An `unreachable` route.
            attempt(SocketAddr::from(([198, 51, 100, 1], 80))),
            // On-link, but ARP is never answered: the handshake starts
            // (EINPROGRESS) and the error arrives later through SO_ERROR.
            attempt(NO_ARP),
        ]
    }) else {
        return;
    };
    let [no_route, unreachable, no_arp] = results;
    assert_eq!(no_route.0, Err(Error::Os(Errno::NETUNREACH)));
    assert_eq!(unreachable.0, Err(Error::Os(Errno::HOSTUNREACH)));
    assert_eq!(no_arp.0, Err(Error::Os(Errno::HOSTUNREACH)));
    assert!(
        no_arp.1 < Duration::from_secs(30),
        "the neighbour probes fail in about 3 s"
    );
}

/// A fast schedule for tests: 20, 40, 80, 80, … ms.
fn quick() -> Backoff {
    Backoff {
        first: Duration::from_millis(20),
        max_delay: Duration::from_millis(80),
        max_tries: 6,
        try_timeout: None,
    }
}

#[test]
fn retry_gives_up_after_max_tries_with_the_last_error() {
    let (_holder, addr) = refused_port();
    let start = Instant::now();
    let mut tries = Vec::new();
    let result = connect_retry(&addr, &quick(), |n| {
        tries.push(n);
        Ok(tcp())
    });
    assert_eq!(result.map(drop), Err(Error::Os(Errno::CONNREFUSED)));
    assert_eq!(
        tries,
        [1, 2, 3, 4, 5, 6],
        "one fresh socket per try, exactly max_tries"
    );
    assert!(start.elapsed() < BOUND);
}

#[test]
fn retry_reaches_a_listener_that_appears_after_the_first_tries() {
    // Deterministic: the port's socket starts listening while the third
    // socket is being made, so tries 1 and 2 are refused and 3 connects.
    let (holder, addr) = refused_port();
    let mut tries = 0;
    let socket = connect_retry(&addr, &quick(), |n| {
        tries = n;
        if n == 3 {
            holder.listen(1).unwrap();
        }
        Ok(tcp())
    })
    .unwrap();
    assert_eq!(tries, 3);
    let (accepted, _) = holder.accept().unwrap();
    assert_eq!(
        accepted.peer_addr().unwrap().socket_addr(),
        socket.local_addr().unwrap().socket_addr()
    );
}

#[test]
fn retry_reaches_a_listener_started_by_another_thread() {
    let (holder, addr) = refused_port();
    holder.set_read_timeout(Some(BOUND)).unwrap();
    let (second_try, go) = mpsc::channel();
    // The server thread starts listening only after the second try began,
    // a little into the back-off that follows it, and accepts one client.
    let server = std::thread::spawn(move || {
        go.recv_timeout(BOUND).expect("a second try");
        std::thread::sleep(Duration::from_millis(30));
        holder.listen(1).unwrap();
        retry_eintr(BOUND, || holder.accept()).map(|(s, _)| s.peer_addr().unwrap().socket_addr())
    });
    let backoff = Backoff {
        max_tries: 20,
        ..quick()
    };
    let mut tries = 0;
    let client = connect_retry(&addr, &backoff, |n| {
        tries = n;
        if n == 2 {
            second_try.send(()).unwrap();
        }
        Ok(tcp())
    })
    .unwrap();
    let peer = server.join().unwrap().unwrap();
    assert_eq!(peer, client.local_addr().unwrap().socket_addr());
    assert!((2..=20).contains(&tries), "{tries} tries");
}

#[test]
fn retry_stops_at_once_on_an_error_that_will_not_go_away() {
    let (_l, addr) = listener();
    let v6 = SocketAddr::from((Ipv6Addr::LOCALHOST, addr.port()));
    let mut tries = 0;
    // An IPv4 socket cannot reach an IPv6 address: no point retrying.
    let result = connect_retry(&v6, &quick(), |n| {
        tries = n;
        Ok(tcp())
    });
    assert_eq!(result.map(drop), Err(Error::Os(Errno::AFNOSUPPORT)));
    assert_eq!(tries, 1);

    // An error making the socket ends it too, unchanged.
    let result = connect_retry(&addr, &quick(), |_| Err(Errno::MFILE));
    assert_eq!(result.map(drop), Err(Error::Os(Errno::MFILE)));
}

#[test]
fn retry_waits_for_a_unix_socket_file_to_appear() {
    let path = std::env::temp_dir().join(format!("zs-connect-retry-{}", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let addr = zerosock::addr::UnixAddr::new(path.as_os_str().as_encoded_bytes()).unwrap();
    let mut listener = None;
    let mut errors = Vec::new();
    let client = connect_retry(&addr, &quick(), |n| {
        errors.push(n);
        if n == 2 {
            listener = Some(zerosock::UnixListener::bind(&addr).unwrap());
        }
        Socket::new(Domain::UNIX, Type::STREAM, Protocol::DEFAULT)
    })
    .unwrap();
    let _ = std::fs::remove_file(&path);
    assert_eq!(errors, [1, 2], "ENOENT on the first try, connected on the second");
    let (server, _) = listener.unwrap().accept().unwrap();
    assert_eq!(
        server.as_socket().peer_cred().unwrap().pid,
        std::process::id() as i32
    );
    drop(client);
}

#[test]
fn retry_bounds_each_try_against_a_black_hole() {
    let Some((result, tries, elapsed)) = in_new_netns(silent_link, || {
        let start = Instant::now();
        let backoff = Backoff {
            first: Duration::from_millis(20),
            max_delay: Duration::from_millis(20),
            max_tries: 3,
            try_timeout: Some(Duration::from_millis(100)),
        };
        let mut tries = 0;
        let result = connect_retry(&BLACK_HOLE, &backoff, |n| {
            tries = n;
            Socket::new(Domain::INET, Type::STREAM, Protocol::TCP)
        })
        .map(drop);
        (result, tries, start.elapsed())
    }) else {
        return;
    };
    assert_eq!(result, Err(Error::Os(Errno::TIMEDOUT)));
    assert_eq!(tries, 3);
    assert!(elapsed < BOUND, "3 tries of 100 ms took {elapsed:?}");
}

#[test]
fn tcp_stream_connect_retry_uses_the_address_family() {
    let l6 = Socket::new(Domain::INET6, Type::STREAM, Protocol::TCP).unwrap();
    l6.bind(&SocketAddr::from((Ipv6Addr::LOCALHOST, 0))).unwrap();
    l6.listen(1).unwrap();
    let addr6 = l6.local_addr().unwrap().socket_addr().unwrap();
    let stream = TcpStream::connect_retry(addr6, &quick()).unwrap();
    assert_eq!(stream.peer_addr().unwrap(), addr6);
}
