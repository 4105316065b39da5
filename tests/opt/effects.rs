//! What options do, observed on loopback (`SO_REUSEADDR` against
//! `TIME_WAIT` is in `tests/failures/addr_in_use.rs`, with the other
//! `EADDRINUSE` cases): `SO_REUSEPORT` sharing a port, `SO_RCVTIMEO` ending a blocking
//! receive, `SO_LINGER` zero resetting the connection, a multicast group
//! joined on `lo`, `TCP_INFO`'s state and `SO_PEERCRED`'s credentials.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use crate::common::sock::tcp;
use crate::common::{SocketTimeout, retry_eintr_timed};
use zerosock::opt::TcpState;
use zerosock::poll::Interest;
use zerosock::{Domain, Errno, Protocol, Socket, Type, UnixListener, UnixStream};

/// A generous bound for anything that should take milliseconds.
const BOUND: Duration = Duration::from_secs(5);

fn localhost(port: u16) -> SocketAddr {
    SocketAddr::from((Ipv4Addr::LOCALHOST, port))
}

fn port_of(s: &Socket) -> u16 {
    s.local_addr().unwrap().socket_addr().unwrap().port()
}

/// A listener on 127.0.0.1 (with `SO_REUSEADDR`, as servers set it), a
/// client connected to it and the accepted socket.
fn connection() -> (Socket, Socket, Socket) {
    let listener = tcp();
    listener.set_reuse_address(true).unwrap();
    listener.bind(&localhost(0)).unwrap();
    listener.listen(1).unwrap();
    let client = tcp();
    client.connect(&listener.local_addr().unwrap()).unwrap();
    let (accepted, _) = listener.accept().unwrap();
    for s in [&client, &accepted] {
        s.set_read_timeout(Some(BOUND)).unwrap();
    }
    (listener, client, accepted)
}

#[test]
fn reuse_port_lets_two_listeners_share_a_port() {
    let first = tcp();
    first.set_reuse_port(true).unwrap();
    first.bind(&localhost(0)).unwrap();
    first.listen(8).unwrap();
    let port = port_of(&first);

    let without = tcp();
    assert_eq!(without.bind(&localhost(port)), Err(Errno::ADDRINUSE));

    let second = tcp();
    second.set_reuse_port(true).unwrap();
    second.bind(&localhost(port)).unwrap();
    second.listen(8).unwrap();

    // Connections are spread between them: each lands on one of the two.
    let clients: Vec<Socket> = (0..8)
        .map(|_| {
            let c = tcp();
            c.connect(&localhost(port)).unwrap();
            c
        })
        .collect();
    // The last ACK of each handshake may still be in flight: accept until
    // all have arrived, bounded.
    let mut accepted = 0;
    let deadline = Instant::now() + BOUND;
    for l in [&first, &second] {
        l.set_nonblocking(true).unwrap();
    }
    while accepted < clients.len() && Instant::now() < deadline {
        for l in [&first, &second] {
            while l.accept().is_ok() {
                accepted += 1;
            }
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(accepted, clients.len());
}

#[test]
fn read_timeout_ends_a_blocking_recv_with_eagain() {
    let (a, _b) = Socket::pair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap();
    a.set_read_timeout(Some(Duration::from_millis(200))).unwrap();
    assert!(!a.is_nonblocking().unwrap());
    let start = Instant::now();
    let mut buf = [0; 8];
    // (Through a stop/continue, which ends it with EINTR, it goes on for
    // what is left of the 200 ms.)
    let short = Duration::from_millis(200);
    assert_eq!(
        retry_eintr_timed(&a, SocketTimeout::Read, short, || a.recv(&mut buf)),
        Err(Errno::AGAIN)
    );
    assert!(start.elapsed() < BOUND, "took {:?}", start.elapsed());

    // The same on TCP, and for accept on a listener.
    let (listener, client, _accepted) = connection();
    client.set_read_timeout(Some(Duration::from_millis(200))).unwrap();
    assert_eq!(
        retry_eintr_timed(&client, SocketTimeout::Read, short, || client.recv(&mut buf)),
        Err(Errno::AGAIN)
    );
    listener
        .set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    assert_eq!(
        retry_eintr_timed(&listener, SocketTimeout::Read, short, || listener.accept()).map(drop),
        Err(Errno::AGAIN)
    );
    assert!(start.elapsed() < 3 * BOUND);
}

#[test]
fn linger_zero_resets_the_connection() {
    let (_listener, client, accepted) = connection();
    client.set_linger(Some(Duration::ZERO)).unwrap();
    client.close().unwrap();
    // The peer sees the RST: its next receive fails with ECONNRESET.
    let ready = accepted.wait(Interest::IN, Some(BOUND)).unwrap();
    assert!(!ready.is_empty(), "no RST within {BOUND:?}");
    let mut buf = [0; 64];
    assert_eq!(accepted.recv(&mut buf), Err(Errno::CONNRESET));
}

#[test]
fn linger_off_closes_gracefully() {
    // The control: without SO_LINGER the peer gets its data, then EOF.
    let (_listener, client, accepted) = connection();
    client.send_all(b"bye").unwrap();
    client.close().unwrap();
    let mut buf = [0; 3];
    accepted.recv_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"bye");
    assert_eq!(accepted.recv(&mut buf), Ok(0));
}

#[test]
fn multicast_join_on_loopback_receives_a_group_datagram() {
    // Everything stays on `lo`: the group is joined on interface index 1,
    // datagrams leave by 127.0.0.1 with TTL 0 (this host only) and loop back.
    // Linux delivers it even though `lo` lacks IFF_MULTICAST.
    let group = Ipv4Addr::new(239, 255, 77, 3);
    let receiver = Socket::new(Domain::INET, Type::DGRAM, Protocol::UDP).unwrap();
    receiver
        .bind(&SocketAddr::from((Ipv4Addr::UNSPECIFIED, 0)))
        .unwrap();
    let port = port_of(&receiver);
    if crate::common::emulation::gap("ip_mreqn") {
        return;
    }
    receiver.join_multicast_v4_index(group, 1).unwrap();
    receiver.set_read_timeout(Some(BOUND)).unwrap();

    let sender = Socket::new(Domain::INET, Type::DGRAM, Protocol::UDP).unwrap();
    sender.set_multicast_if_v4(Ipv4Addr::LOCALHOST).unwrap();
    sender.set_multicast_ttl_v4(0).unwrap();
    sender.set_multicast_loop_v4(true).unwrap();
    sender
        .send_to(b"to the group", &SocketAddr::from((group, port)))
        .unwrap();

    let mut buf = [0; 32];
    let (n, from) = receiver.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"to the group");
    assert_eq!(from.socket_addr().unwrap(), localhost(port_of(&sender)));

    // After leaving, the group's datagrams no longer arrive. (Turning
    // IP_MULTICAST_LOOP off would not stop them here: on `lo` the
    // transmission itself is the reception, so only the extra looped copy
    // is suppressed.)
    receiver.leave_multicast_v4_index(group, 1).unwrap();
    sender
        .send_to(b"again", &SocketAddr::from((group, port)))
        .unwrap();
    assert!(
        receiver
            .wait(Interest::IN, Some(Duration::from_millis(200)))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn tcp_info_reports_established() {
    let (listener, client, accepted) = connection();
    assert_eq!(client.tcp_info().unwrap().state(), Some(TcpState::Established));
    assert_eq!(accepted.tcp_info().unwrap().state(), Some(TcpState::Established));
    assert_eq!(listener.tcp_info().unwrap().state(), Some(TcpState::Listen));
}

#[test]
fn peer_cred_equals_the_peer_s_pid_uid_gid() {
    let dir = std::env::temp_dir().join(format!("zs-opt-cred-{}", std::process::id()));
    let _ = std::fs::remove_file(&dir);
    let addr = zerosock::addr::UnixAddr::new(dir.as_os_str().as_encoded_bytes()).unwrap();
    let listener = UnixListener::bind(&addr).unwrap();
    let client = UnixStream::connect(&addr).unwrap();
    let (server, _) = listener.accept().unwrap();
    let _ = std::fs::remove_file(&dir);
    // SAFETY: getpid/getuid/getgid cannot fail.
    let (pid, uid, gid) = unsafe { (libc::getpid(), libc::getuid(), libc::getgid()) };
    for s in [client.as_socket(), server.as_socket()] {
        let cred = s.peer_cred().unwrap();
        assert_eq!((cred.pid, cred.uid, cred.gid), (pid, uid, gid));
    }
    // A TCP socket has no peer process: the kernel reports pid 0.
    let (_l, c, _a) = connection();
    assert_eq!(c.peer_cred().unwrap().pid, 0);
}

#[test]
fn keepalive_options_reach_the_kernel_on_a_live_connection() {
    let (_listener, client, _accepted) = connection();
    client.set_keepalive(true).unwrap();
    client.set_keepalive_time(Duration::from_secs(1)).unwrap();
    client.set_keepalive_interval(Duration::from_secs(1)).unwrap();
    client.set_keepalive_retries(2).unwrap();
    assert!(client.keepalive().unwrap());
    // A healthy peer answers the probes: the connection stays up.
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(client.tcp_info().unwrap().state(), Some(TcpState::Established));
    assert_eq!(client.take_error().unwrap(), None);
}
