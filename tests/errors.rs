//! The kernel's errors arrive unchanged as `Errno`: `EAGAIN` from
//! non-blocking calls with nothing to do, `ECONNREFUSED`, `EADDRINUSE`,
//! `EPIPE`, `EISCONN`, `ENOTCONN`.
//!
//! (That `EPIPE` comes without `SIGPIPE` is proven in `tests/sigpipe.rs`,
//! which restores the signal's default action; here std's runtime ignores it.)

use core::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use zerosock::addr::UnixAddr;
use zerosock::{
    Domain, Errno, Protocol, Shutdown, Socket, TcpListener, TcpStream, Type, UdpSocket, UnixDatagram,
    UnixListener, UnixSeqpacket, UnixSeqpacketListener, UnixStream,
};

const V4: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);
const V6: IpAddr = IpAddr::V6(Ipv6Addr::LOCALHOST);

fn abstract_addr(what: &str) -> UnixAddr {
    UnixAddr::new_abstract(format!("zerosock-errors-{what}-{}", std::process::id()).as_bytes()).unwrap()
}

fn has_v6() -> bool {
    match TcpListener::bind((V6, 0)) {
        Ok(_) => true,
        Err(err) => {
            eprintln!("SKIPPED: no IPv6 loopback on this host ({err})");
            false
        }
    }
}

#[test]
fn nonblocking_recv_on_empty_socket_is_eagain() {
    let mut buf = [0u8; 8];

    let (a, _b) = UnixStream::pair().unwrap();
    a.set_nonblocking(true).unwrap();
    assert_eq!(a.recv(&mut buf), Err(Errno::AGAIN));
    assert_eq!(a.read(&mut buf), Err(Errno::AGAIN));
    assert_eq!(a.peek(&mut buf), Err(Errno::AGAIN));

    let (d, _e) = UnixDatagram::pair().unwrap();
    d.set_nonblocking(true).unwrap();
    assert_eq!(d.recv(&mut buf), Err(Errno::AGAIN));
    assert_eq!(d.recv_from(&mut buf).err(), Some(Errno::AGAIN));

    let (s, _t) = UnixSeqpacket::pair().unwrap();
    s.set_nonblocking(true).unwrap();
    assert_eq!(s.recv(&mut buf), Err(Errno::AGAIN));

    let udp = UdpSocket::bind((V4, 0)).unwrap();
    udp.set_nonblocking(true).unwrap();
    assert_eq!(udp.recv(&mut buf), Err(Errno::AGAIN));
    assert_eq!(udp.recv_from(&mut buf).err(), Some(Errno::AGAIN));
    assert_eq!(udp.peek_from(&mut buf).err(), Some(Errno::AGAIN));

    let listener = TcpListener::bind((V4, 0)).unwrap();
    let tcp = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    tcp.set_nonblocking(true).unwrap();
    assert_eq!(tcp.recv(&mut buf), Err(Errno::AGAIN));

    // And back to blocking: the flag really toggles.
    assert!(tcp.as_socket().is_nonblocking().unwrap());
    tcp.set_nonblocking(false).unwrap();
    assert!(!tcp.as_socket().is_nonblocking().unwrap());
}

#[test]
fn nonblocking_accept_without_client_is_eagain() {
    let tcp = TcpListener::bind((V4, 0)).unwrap();
    tcp.set_nonblocking(true).unwrap();
    assert_eq!(tcp.accept().err(), Some(Errno::AGAIN));
    // Once a client is queued, accept succeeds, and the new socket is
    // blocking whatever the listener's mode.
    let _client = TcpStream::connect(tcp.local_addr().unwrap()).unwrap();
    let (server, _) = tcp.accept().unwrap();
    assert!(!server.as_socket().is_nonblocking().unwrap());
    assert_eq!(tcp.accept().err(), Some(Errno::AGAIN));

    let unix = UnixListener::bind(&abstract_addr("accept")).unwrap();
    unix.set_nonblocking(true).unwrap();
    assert_eq!(unix.accept().err(), Some(Errno::AGAIN));

    let seq = UnixSeqpacketListener::bind(&abstract_addr("accept-seq")).unwrap();
    seq.set_nonblocking(true).unwrap();
    assert_eq!(seq.accept().err(), Some(Errno::AGAIN));
}

/// A loopback port that was bound a moment ago and is now closed.
fn closed_port(ip: IpAddr) -> SocketAddr {
    let listener = TcpListener::bind((ip, 0)).unwrap();
    let addr = listener.local_addr().unwrap();
    listener.close().unwrap();
    addr
}

#[test]
fn connect_to_closed_port_is_econnrefused() {
    assert_eq!(
        TcpStream::connect(closed_port(V4)).err(),
        Some(Errno::CONNREFUSED.into())
    );
    if has_v6() {
        assert_eq!(
            TcpStream::connect(closed_port(V6)).err(),
            Some(Errno::CONNREFUSED.into())
        );
    }
}

#[test]
fn udp_to_closed_port_reports_econnrefused_on_connected_socket() {
    // The ICMP port-unreachable comes back to a connected UDP socket as
    // ECONNREFUSED on a later call.
    let target = {
        let gone = UdpSocket::bind((V4, 0)).unwrap();
        gone.local_addr().unwrap()
    };
    let udp = UdpSocket::bind((V4, 0)).unwrap();
    udp.connect(target).unwrap();
    udp.set_nonblocking(true).unwrap();
    udp.send(b"anyone?").unwrap();
    let mut buf = [0u8; 8];
    // Bounded: loopback ICMP is immediate, allow up to ~1 s all the same.
    for _ in 0..1000 {
        match udp.recv(&mut buf) {
            Err(Errno::AGAIN) => std::thread::sleep(std::time::Duration::from_millis(1)),
            other => {
                assert_eq!(other, Err(Errno::CONNREFUSED));
                return;
            }
        }
    }
    panic!("no ECONNREFUSED after the port-unreachable");
}

#[test]
fn second_listener_on_same_port_is_eaddrinuse() {
    let first = TcpListener::bind((V4, 0)).unwrap();
    let addr = first.local_addr().unwrap();
    // Both set SO_REUSEADDR, neither SO_REUSEPORT: a listening port is taken.
    assert_eq!(TcpListener::bind(addr).err(), Some(Errno::ADDRINUSE.into()));

    // The same with a plain socket and no options at all.
    let plain = Socket::new(Domain::INET, Type::STREAM, Protocol::TCP).unwrap();
    assert_eq!(plain.bind(&addr), Err(Errno::ADDRINUSE));

    // UDP too.
    let udp = UdpSocket::bind((V4, 0)).unwrap();
    assert_eq!(
        UdpSocket::bind(udp.local_addr().unwrap()).err(),
        Some(Errno::ADDRINUSE.into())
    );

    if has_v6() {
        let first6 = TcpListener::bind((V6, 0)).unwrap();
        assert_eq!(
            TcpListener::bind(first6.local_addr().unwrap()).err(),
            Some(Errno::ADDRINUSE.into())
        );
    }

    // Once the first is closed, the port is free again (no TIME_WAIT: it
    // never had a connection).
    first.close().unwrap();
    TcpListener::bind(addr).unwrap();
}

#[test]
fn write_after_peer_closed_is_epipe() {
    let (a, b) = UnixStream::pair().unwrap();
    drop(b);
    assert_eq!(a.write(b"x"), Err(Errno::PIPE));
    assert_eq!(a.send(b"x"), Err(Errno::PIPE));
    assert_eq!(a.send_all(b"x").unwrap_err().errno(), Some(Errno::PIPE));

    let (c, _d) = UnixSeqpacket::pair().unwrap();
    c.shutdown(Shutdown::Write).unwrap();
    assert_eq!(c.send(b"x"), Err(Errno::PIPE));
}

#[test]
fn connection_state_errors() {
    let listener = TcpListener::bind((V4, 0)).unwrap();
    let addr = listener.local_addr().unwrap();
    let client = TcpStream::connect(addr).unwrap();
    assert_eq!(client.as_socket().connect(&addr), Err(Errno::ISCONN));

    let udp = UdpSocket::bind((V4, 0)).unwrap();
    assert_eq!(udp.peer_addr().err(), Some(Errno::NOTCONN));
    assert_eq!(udp.send(b"nowhere"), Err(Errno::DESTADDRREQ));

    let plain = Socket::new(Domain::INET, Type::STREAM, Protocol::TCP).unwrap();
    let stream = TcpStream::from(plain);
    assert_eq!(stream.peer_addr().err(), Some(Errno::NOTCONN));
    assert_eq!(stream.shutdown(Shutdown::Both), Err(Errno::NOTCONN));
}

/// A failed call that would have written an address leaves the caller's
/// `SockAddr` empty: the previous sender never survives as the answer.
#[test]
fn failed_calls_empty_the_address() {
    use zerosock::addr::{Addr, SockAddr};
    use zerosock::{Domain, MsgFlags, Protocol, Socket, Type};

    let rx = Socket::new(Domain::INET, Type::DGRAM, Protocol::UDP).unwrap();
    rx.bind(&std::net::SocketAddrV4::new(std::net::Ipv4Addr::LOCALHOST, 0))
        .unwrap();
    let tx = Socket::new(Domain::INET, Type::DGRAM, Protocol::UDP).unwrap();
    tx.send_to(b"x", &rx.local_addr().unwrap()).unwrap();

    let mut from = SockAddr::EMPTY;
    let mut buf = [0u8; 8];
    rx.recv_from_into(&mut buf, MsgFlags::NONE, &mut from).unwrap();
    assert!(matches!(from.decode(), Ok(Addr::Inet(_))));
    assert_eq!(
        rx.recv_from_into(&mut buf, MsgFlags::DONTWAIT, &mut from),
        Err(zerosock::Errno::AGAIN)
    );
    assert_eq!(from.decode(), Ok(Addr::Unspecified));

    let listener = Socket::new_nonblocking(Domain::INET, Type::STREAM, Protocol::TCP).unwrap();
    listener
        .bind(&std::net::SocketAddrV4::new(std::net::Ipv4Addr::LOCALHOST, 0))
        .unwrap();
    listener.listen(1).unwrap();
    let mut peer = SockAddr::from(std::net::SocketAddr::from(([127, 0, 0, 1], 9)));
    assert_eq!(
        listener.accept_into(Some(&mut peer), false).unwrap_err(),
        zerosock::Errno::AGAIN
    );
    assert_eq!(peer.decode(), Ok(Addr::Unspecified));
}
