//! The kernel's errors arrive unchanged as `Errno`: `EAGAIN` from
//! non-blocking calls with nothing to do, `EISCONN`, `ENOTCONN`,
//! `EDESTADDRREQ`, and a failed call leaves no stale address behind.
//! (`ECONNREFUSED`, `EADDRINUSE` and `EPIPE` have modules of their own.)

use core::net::{IpAddr, Ipv4Addr};

use zerosock::addr::UnixAddr;
use zerosock::{
    Domain, Errno, Protocol, Shutdown, Socket, TcpListener, TcpStream, Type, UdpSocket, UnixDatagram,
    UnixListener, UnixSeqpacket, UnixSeqpacketListener, UnixStream,
};

const V4: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

fn abstract_addr(what: &str) -> UnixAddr {
    UnixAddr::new_abstract(format!("zerosock-errors-{what}-{}", std::process::id()).as_bytes()).unwrap()
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
