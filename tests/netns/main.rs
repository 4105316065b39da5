//! Network faults, modelled in network namespaces these tests create and
//! delete (`ip netns add zs-<pid>-<n>`): routes that refuse (unreachable,
//! prohibit, blackhole, throw, none), a neighbour that never answers ARP,
//! a black hole that swallows SYNs, and a peer that vanishes mid-connection,
//! detected by keep-alive or by `TCP_USER_TIMEOUT`.
//!
//! Every address used (10.x, 192.0.2.0/24, 2001:db8::/32) exists only inside
//! the namespaces, which are set up with zerosock's own rtnetlink. Needs
//! root and `ip` (iproute2, for `ip netns add`); otherwise each test prints
//! `SKIPPED: …` and returns.
//!
//! What Linux answers, verified here (connect(2), TCP and UDP, v4 and v6):
//!
//! | route to the destination       | connect fails with     |
//! |--------------------------------|------------------------|
//! | none                           | `ENETUNREACH` at once  |
//! | `unreachable`                  | `EHOSTUNREACH` at once |
//! | `prohibit`                     | `EACCES` at once       |
//! | `blackhole`                    | `EINVAL` at once       |
//! | `throw` (no other table)       | `ENETUNREACH` at once  |
//! | on-link, no ARP answer         | `EHOSTUNREACH` after the neighbour probes (~3 s) |
//! | on-link, frames vanish         | pending (SYN_SENT); `ETIMEDOUT` after `TCP_SYNCNT`/`TCP_USER_TIMEOUT` |

#[path = "../common/mod.rs"]
mod common;

use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
use std::time::Duration;

use crate::common::{
    NetNs, SocketTimeout, connect_through_eintr, retry_eintr, retry_eintr_timed, skip, veth_between,
};
use zerosock::netlink::route::RouteType;
use zerosock::opt::TcpState;
use zerosock::poll::{Interest, Ready};
use zerosock::{Backoff, Domain, Errno, Error, Protocol, Socket, Type, connect_retry};

/// Bounds every blocking call, so a fault that is never detected fails the
/// test (with `EAGAIN`/`EINPROGRESS`) instead of hanging it.
const BOUND: Duration = Duration::from_secs(30);

/// The TCP state of a socket, as `TCP_INFO` gives it.
fn state(socket: &Socket) -> TcpState {
    socket.tcp_info().unwrap().state().unwrap()
}

/// A namespace, or `None` after printing why the test is skipped.
fn netns() -> Option<NetNs> {
    match NetNs::new() {
        Ok(ns) => Some(ns),
        Err(why) => {
            skip(&why);
            None
        }
    }
}

fn domain_of(addr: &SocketAddr) -> Domain {
    Domain::for_addr(addr)
}

/// connect(2) on a fresh blocking socket of `ty`, bounded by SO_SNDTIMEO;
/// through an `EINTR` (a stop/continue of the process) it waits on for the
/// kernel's outcome (`common::connect_through_eintr`).
fn connect_once(addr: SocketAddr, ty: Type) -> Result<(), Errno> {
    connect_fresh(addr, ty, |_| {})
}

/// connect(2) on a fresh blocking socket of `ty` with SO_SNDTIMEO
/// [`BOUND`], set up further by `setup`, carrying on through `EINTR`.
fn connect_fresh(addr: SocketAddr, ty: Type, setup: impl Fn(&Socket)) -> Result<(), Errno> {
    let proto = if ty == Type::STREAM {
        Protocol::TCP
    } else {
        Protocol::UDP
    };
    let s = Socket::new(domain_of(&addr), ty, proto).unwrap();
    s.set_write_timeout(Some(BOUND)).unwrap();
    setup(&s);
    connect_through_eintr(&s, &addr)
}

#[test]
fn route_types_give_their_errnos() {
    let Some(ns) = netns() else { return };
    for (kind, v4, v6) in [
        (RouteType::UNREACHABLE, "192.0.2.1", "2001:db8::1"),
        (RouteType::PROHIBIT, "192.0.2.2", "2001:db8::2"),
        (RouteType::BLACKHOLE, "192.0.2.3", "2001:db8::3"),
        (RouteType::THROW, "192.0.2.4", "2001:db8::4"),
    ] {
        ns.setup()
            .route(kind, &format!("{v4}/32"))
            .route(kind, &format!("{v6}/128"));
    }
    let cases: [(&str, &str, Errno); 5] = [
        ("no route", "10.9.9.9 2001:db8:9::9", Errno::NETUNREACH),
        ("unreachable", "192.0.2.1 2001:db8::1", Errno::HOSTUNREACH),
        ("prohibit", "192.0.2.2 2001:db8::2", Errno::ACCESS),
        ("blackhole", "192.0.2.3 2001:db8::3", Errno::INVAL),
        ("throw", "192.0.2.4 2001:db8::4", Errno::NETUNREACH),
    ];
    let results = ns.run(move || {
        let mut results = Vec::new();
        for (what, addrs, expected) in cases {
            let (v4, v6) = addrs.split_once(' ').unwrap();
            let v4 = SocketAddr::V4(SocketAddrV4::new(v4.parse().unwrap(), 80));
            let v6 = SocketAddr::V6(SocketAddrV6::new(v6.parse().unwrap(), 80, 0, 0));
            for addr in [v4, v6] {
                for ty in [Type::STREAM, Type::DGRAM] {
                    results.push((what, addr, ty, connect_once(addr, ty), expected));
                }
                // Non-blocking TCP fails the same way, at once (the route
                // is looked up before any SYN): no EINPROGRESS.
                let s = Socket::new_nonblocking(domain_of(&addr), Type::STREAM, Protocol::TCP).unwrap();
                results.push((what, addr, Type::STREAM, s.connect(&addr), expected));
                // connect_timeout returns the kernel's error as it is.
                let t = Socket::new(domain_of(&addr), Type::STREAM, Protocol::TCP).unwrap();
                let r = t.connect_timeout(&addr, BOUND).map_err(|e| e.errno().unwrap());
                results.push((what, addr, Type::STREAM, r, expected));
                // UDP send_to on an unconnected socket too.
                let u = Socket::new(domain_of(&addr), Type::DGRAM, Protocol::UDP).unwrap();
                results.push((
                    what,
                    addr,
                    Type::DGRAM,
                    u.send_to(b"x", &addr).map(drop),
                    expected,
                ));
            }
        }
        results
    });
    for (what, addr, ty, got, expected) in results {
        eprintln!("{what:12} {addr:22} {ty:?}: {got:?}");
        assert_eq!(got, Err(expected), "{what}: {ty:?} to {addr}");
    }
}

/// A namespace with a veth pair whose far end has no address, so frames
/// sent to `10.77.0.0/24` arrive nowhere: a neighbour that never answers
/// ARP. With `black_hole`, 10.77.0.2 gets a permanent neighbour entry with
/// a MAC nobody has, so its frames leave but nothing ever answers.
fn silent_link(ns: &NetNs) {
    ns.setup()
        .veth("zsa", "zsb")
        .addr("zsa", "10.77.0.1/24")
        .up("zsa")
        .up("zsb")
        .neighbour("zsa", "10.77.0.2", [2, 0, 0, 0, 0, 0x99]);
}

const BLACK_HOLE: SocketAddr = SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::new(10, 77, 0, 2), 80));
const NO_ARP: SocketAddr = SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::new(10, 77, 0, 3), 80));

#[test]
fn neighbour_that_never_answers_arp_gives_ehostunreach() {
    let Some(ns) = netns() else { return };
    silent_link(&ns);
    let got = ns.run(|| connect_once(NO_ARP, Type::STREAM));
    assert_eq!(got, Err(Errno::HOSTUNREACH));
}

#[test]
fn connect_to_a_black_hole_stays_pending_then_times_out_within_its_bound() {
    let Some(ns) = netns() else { return };
    silent_link(&ns);
    let (pending, state, ready, blocking, syncnt, user_timeout) = ns.run(|| {
        // Non-blocking: EINPROGRESS, and nothing happens within a short wait.
        let s = Socket::new_nonblocking(Domain::INET, Type::STREAM, Protocol::TCP).unwrap();
        let pending = s.connect(&BLACK_HOLE);
        let ready = s.wait(Interest::OUT, Some(Duration::from_millis(300))).unwrap();
        let state = state(&s);

        // Blocking with SO_SNDTIMEO: gives up with EINPROGRESS.
        let black_hole = BLACK_HOLE;
        let blocking = connect_fresh(black_hole, Type::STREAM, |b| {
            b.set_write_timeout(Some(Duration::from_millis(300))).unwrap();
        });

        // The kernel's own bound: one SYN retransmission (1 s + 2 s).
        let syncnt = connect_fresh(black_hole, Type::STREAM, |c| c.set_syn_retries(1).unwrap());

        // TCP_USER_TIMEOUT bounds the handshake too (1 s).
        let user_timeout = connect_fresh(black_hole, Type::STREAM, |u| {
            u.set_tcp_user_timeout(Some(Duration::from_secs(1))).unwrap();
        });
        (pending, state, ready, blocking, syncnt, user_timeout)
    });
    assert_eq!(pending, Err(Errno::INPROGRESS));
    assert!(ready.is_empty(), "a black-holed connect became {ready:?}");
    assert_eq!(state, TcpState::SynSent);
    assert_eq!(
        blocking,
        Err(Errno::INPROGRESS),
        "SO_SNDTIMEO on connect gives EINPROGRESS"
    );
    assert_eq!(syncnt, Err(Errno::TIMEDOUT), "TCP_SYNCNT 1");
    assert_eq!(user_timeout, Err(Errno::TIMEDOUT), "TCP_USER_TIMEOUT 1 s");

    // zerosock's own bound: connect_timeout gives up with ETIMEDOUT, and
    // leaves the socket in blocking mode; connect_retry tries a fresh
    // socket each time and returns the last ETIMEDOUT.
    let (timed_out, still_blocking, retried, tries) = ns.run(|| {
        let s = Socket::new(Domain::INET, Type::STREAM, Protocol::TCP).unwrap();
        let timed_out = s.connect_timeout(&BLACK_HOLE, Duration::from_millis(300));
        let still_blocking = !s.is_nonblocking().unwrap();
        let backoff = Backoff {
            first: Duration::from_millis(10),
            max_delay: Duration::from_millis(20),
            max_tries: 3,
            try_timeout: Some(Duration::from_millis(200)),
        };
        let mut tries = 0;
        let retried = connect_retry(&BLACK_HOLE, &backoff, |n| {
            tries = n;
            Socket::new(Domain::INET, Type::STREAM, Protocol::TCP)
        });
        (timed_out, still_blocking, retried.err(), tries)
    });
    assert_eq!(timed_out, Err(Error::Os(Errno::TIMEDOUT)));
    assert!(still_blocking, "connect_timeout restores blocking mode");
    assert_eq!((retried, tries), (Some(Error::Os(Errno::TIMEDOUT)), 3));
}

/// Two namespaces joined by a veth pair, a TCP connection from `a`
/// (10.<net>.0.1) to a listener in `b` (10.<net>.0.2), established and
/// checked with a round trip. Returns (client, server side, b's link name).
fn connection_across(a: &NetNs, b: &NetNs, net: u8) -> (Socket, Socket, String) {
    let (_va, vb) = veth_between(a, b, net);
    let listener = b.run(move || {
        let l = Socket::new(Domain::INET, Type::STREAM, Protocol::TCP).unwrap();
        l.bind(&SocketAddrV4::new(Ipv4Addr::new(10, net, 0, 2), 7000))
            .unwrap();
        l.listen(1).unwrap();
        l
    });
    let client = a.run(move || {
        let to = SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::new(10, net, 0, 2), 7000));
        let c = Socket::new(Domain::INET, Type::STREAM, Protocol::TCP).unwrap();
        c.set_write_timeout(Some(BOUND)).unwrap();
        connect_through_eintr(&c, &to).unwrap();
        c
    });
    let (server, _) = listener.accept().unwrap();
    client.set_read_timeout(Some(BOUND)).unwrap();
    server.set_read_timeout(Some(BOUND)).unwrap();
    client.send_all(b"ping").unwrap();
    let mut buf = [0u8; 4];
    server.recv_exact(&mut buf).unwrap();
    server.send_all(b"pong").unwrap();
    client.recv_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"pong");
    assert_eq!(state(&client), TcpState::Established);
    (client, server, vb)
}

#[test]
fn vanished_peer_is_detected_by_keepalive_with_etimedout() {
    let (Some(a), Some(b)) = (netns(), netns()) else {
        return;
    };
    let (client, _server, vb) = connection_across(&a, &b, 81);
    client.set_keepalive(true).unwrap();
    client.set_keepalive_time(Duration::from_secs(1)).unwrap();
    client.set_keepalive_interval(Duration::from_secs(1)).unwrap();
    client.set_keepalive_retries(2).unwrap();

    // The peer's host drops off the network: no FIN, no RST, nothing.
    b.setup().down(&vb);

    // A blocking read would wait forever; keep-alive ends it after
    // idle 1 s + 2 unanswered probes 1 s apart (SO_RCVTIMEO of 30 s
    // would turn a miss into EAGAIN).
    let mut buf = [0u8; 8];
    assert_eq!(retry_eintr(BOUND, || client.recv(&mut buf)), Err(Errno::TIMEDOUT));
    // The connection is gone: reads see the end, writes EPIPE.
    assert_eq!(client.recv(&mut buf), Ok(0));
    assert_eq!(client.send(b"x"), Err(Errno::PIPE));
}

#[test]
fn vanished_peer_is_detected_by_tcp_user_timeout_with_etimedout() {
    let (Some(a), Some(b)) = (netns(), netns()) else {
        return;
    };
    let (client, _server, vb) = connection_across(&a, &b, 82);
    client.set_tcp_user_timeout(Some(Duration::from_secs(1))).unwrap();
    b.setup().down(&vb);

    // The write succeeds (it only queues); its retransmissions go
    // unanswered, and after 1 s the connection is dropped.
    assert_eq!(client.send(b"are you there?"), Ok(14));
    let ready = client.wait(Interest::IN, Some(BOUND)).unwrap();
    assert!(ready.contains(Ready::ERR), "{ready:?}");
    let mut buf = [0u8; 8];
    assert_eq!(retry_eintr(BOUND, || client.recv(&mut buf)), Err(Errno::TIMEDOUT));
    assert_eq!(client.send(b"x"), Err(Errno::PIPE));
}

#[test]
fn vanished_peer_without_keepalive_leaves_a_read_blocked() {
    // The documents' warning: with no keep-alive and nothing to send, a
    // read on a connection whose peer vanished never returns. Bounded here
    // by SO_RCVTIMEO, which ends it with EAGAIN, not an error from TCP.
    let (Some(a), Some(b)) = (netns(), netns()) else {
        return;
    };
    let (client, server, vb) = connection_across(&a, &b, 83);
    b.setup().down(&vb);
    let mut buf = [0u8; 8];
    let two_seconds = Duration::from_secs(2);
    assert_eq!(
        retry_eintr_timed(&client, SocketTimeout::Read, two_seconds, || client
            .recv(&mut buf)),
        Err(Errno::AGAIN)
    );
    assert_eq!(state(&client), TcpState::Established);
    // The link comes back: the connection was never broken.
    b.setup().up(&vb);
    server.send_all(b"back").unwrap();
    client.set_read_timeout(Some(BOUND)).unwrap();
    let mut four = [0u8; 4];
    client.recv_exact(&mut four).unwrap();
    assert_eq!(&four, b"back");
}

#[test]
fn namespaces_are_deleted_when_the_guard_drops() {
    let Some(ns) = netns() else { return };
    let name = ns.name().to_owned();
    assert!(std::path::Path::new(&format!("/var/run/netns/{name}")).exists());
    let r = std::panic::catch_unwind(move || {
        let _ns = ns;
        panic!("a failing test body");
    });
    assert!(r.is_err());
    assert!(!std::path::Path::new(&format!("/var/run/netns/{name}")).exists());
}
