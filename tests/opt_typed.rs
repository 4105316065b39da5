//! The options std offers on its typed sockets, on zerosock's: same names,
//! same shapes, forwarded to `Socket`.

mod common;

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use zerosock::addr::UnixAddr;
use zerosock::{
    Error, TcpListener, TcpStream, UdpSocket, UnixDatagram, UnixListener, UnixSeqpacket,
    UnixSeqpacketListener, UnixStream,
};

const T: Duration = Duration::from_millis(1500);

#[test]
fn tcp_stream_and_listener() {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let stream = TcpStream::connect(listener.local_addr().unwrap()).unwrap();

    assert!(!stream.nodelay().unwrap());
    stream.set_nodelay(true).unwrap();
    assert!(stream.nodelay().unwrap());
    stream.set_ttl(33).unwrap();
    assert_eq!(stream.ttl().unwrap(), 33);
    assert!(matches!(stream.set_ttl(256), Err(Error::InvalidInput(_))));
    stream.set_read_timeout(Some(T)).unwrap();
    stream.set_write_timeout(Some(T)).unwrap();
    if !common::emulation::gap("SO_RCVTIMEO_OLD") {
        assert_eq!(
            (stream.read_timeout().unwrap(), stream.write_timeout().unwrap()),
            (Some(T), Some(T))
        );
    }
    assert!(matches!(
        stream.set_read_timeout(Some(Duration::ZERO)),
        Err(Error::InvalidInput(_))
    ));
    stream.set_linger(Some(Duration::from_secs(2))).unwrap();
    assert_eq!(stream.linger().unwrap(), Some(Duration::from_secs(2)));
    assert_eq!(stream.take_error().unwrap(), None);

    listener.set_ttl(44).unwrap();
    assert_eq!(listener.ttl().unwrap(), 44);
    assert_eq!(listener.take_error().unwrap(), None);
}

#[test]
fn udp_socket() {
    let s = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0)).unwrap();
    s.set_broadcast(true).unwrap();
    assert!(s.broadcast().unwrap());
    s.set_ttl(9).unwrap();
    assert_eq!(s.ttl().unwrap(), 9);
    s.set_multicast_ttl_v4(0).unwrap();
    assert_eq!(s.multicast_ttl_v4().unwrap(), 0);
    s.set_multicast_loop_v4(false).unwrap();
    assert!(!s.multicast_loop_v4().unwrap());
    s.set_read_timeout(Some(T)).unwrap();
    if !common::emulation::gap("SO_RCVTIMEO_OLD") {
        assert_eq!(s.read_timeout().unwrap(), Some(T));
    }
    assert_eq!(s.take_error().unwrap(), None);

    // std's multicast shapes: by reference, IPv4 interface by address.
    let group = Ipv4Addr::new(239, 255, 77, 4);
    s.join_multicast_v4(&group, &Ipv4Addr::LOCALHOST).unwrap();
    s.leave_multicast_v4(&group, &Ipv4Addr::LOCALHOST).unwrap();

    let s6 = UdpSocket::bind(SocketAddr::from((Ipv6Addr::UNSPECIFIED, 0))).unwrap();
    s6.set_multicast_loop_v6(false).unwrap();
    assert!(!s6.multicast_loop_v6().unwrap());
    let group6: Ipv6Addr = "ff02::7a5:4".parse().unwrap();
    s6.join_multicast_v6(&group6, 1).unwrap();
    s6.leave_multicast_v6(&group6, 1).unwrap();
}

#[test]
fn unix_sockets() {
    let (a, _b) = UnixStream::pair().unwrap();
    a.set_read_timeout(Some(T)).unwrap();
    a.set_write_timeout(Some(T)).unwrap();
    if !common::emulation::gap("SO_RCVTIMEO_OLD") {
        assert_eq!(
            (a.read_timeout().unwrap(), a.write_timeout().unwrap()),
            (Some(T), Some(T))
        );
    }
    assert_eq!(a.take_error().unwrap(), None);
    assert_eq!(a.peer_cred().unwrap().pid, std::process::id() as i32);

    let (d, _e) = UnixDatagram::pair().unwrap();
    d.set_write_timeout(Some(T)).unwrap();
    if !common::emulation::gap("SO_RCVTIMEO_OLD") {
        assert_eq!(d.write_timeout().unwrap(), Some(T));
    }
    assert_eq!(d.take_error().unwrap(), None);

    let (p, _q) = UnixSeqpacket::pair().unwrap();
    p.set_read_timeout(None).unwrap();
    assert_eq!(p.read_timeout().unwrap(), None);
    assert_eq!(p.peer_cred().unwrap().pid, std::process::id() as i32);

    let name = format!("zs-opt-typed-{}", std::process::id());
    let l = UnixListener::bind(&UnixAddr::new_abstract(name.as_bytes()).unwrap()).unwrap();
    assert_eq!(l.take_error().unwrap(), None);
    let name = format!("zs-opt-typed-seq-{}", std::process::id());
    let sl = UnixSeqpacketListener::bind(&UnixAddr::new_abstract(name.as_bytes()).unwrap()).unwrap();
    assert_eq!(sl.take_error().unwrap(), None);
}
