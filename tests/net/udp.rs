//! UDP over loopback, connected and unconnected, IPv4 and IPv6: datagram
//! boundaries, the sender's address, `MSG_TRUNC`'s real length, `MSG_PEEK`,
//! and a connected socket's filter.
//!
//! Loopback UDP delivers synchronously (the datagram is queued before
//! sendto returns), so a non-blocking receive right after a send is exact,
//! and every receive that could wait is made non-blocking or follows a send.

use crate::common::skip;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use zerosock::{Errno, MsgFlags, UdpSocket};

const V4: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);
const V6: IpAddr = IpAddr::V6(Ipv6Addr::LOCALHOST);

/// A socket on `ip` port 0, or `None` with a visible SKIPPED line when the
/// host has no IPv6 loopback.
fn bound(ip: IpAddr) -> Option<UdpSocket> {
    match UdpSocket::bind((ip, 0)) {
        Ok(socket) => Some(socket),
        Err(zerosock::Error::Os(err @ (Errno::ADDRNOTAVAIL | Errno::AFNOSUPPORT))) if ip.is_ipv6() => {
            skip(&format!("no IPv6 loopback on this host ({err})"));
            None
        }
        Err(err) => panic!("bind {ip}: {err}"),
    }
}

fn check_unconnected(ip: IpAddr) {
    let (Some(server), Some(client)) = (bound(ip), bound(ip)) else {
        return;
    };
    let to = server.local_addr().unwrap();
    assert_eq!(to.ip(), ip);
    assert_ne!(to.port(), 0);

    // Two datagrams, two receives: boundaries are kept.
    assert_eq!(client.send_to(b"one", to).unwrap(), 3);
    assert_eq!(client.send_to(b"second!", to).unwrap(), 7);
    let mut buf = [0u8; 64];
    let (n, from) = server.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"one");
    assert_eq!(from, client.local_addr().unwrap());
    let (n, from) = server.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"second!");
    assert_eq!(from, client.local_addr().unwrap());

    // Reply to the decoded address.
    server.send_to(b"reply", from).unwrap();
    let (n, from) = client.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"reply");
    assert_eq!(from, to);

    // Nothing else queued.
    server.set_nonblocking(true).unwrap();
    assert_eq!(server.recv_from(&mut buf), Err(Errno::AGAIN));
    // Not connected: no peer.
    assert_eq!(server.peer_addr(), Err(Errno::NOTCONN));
}

#[test]
fn unconnected_v4_keeps_boundaries_and_sender() {
    check_unconnected(V4);
}

#[test]
fn unconnected_v6_keeps_boundaries_and_sender() {
    check_unconnected(V6);
}

fn check_connected(ip: IpAddr) {
    let (Some(a), Some(b), Some(stranger)) = (bound(ip), bound(ip), bound(ip)) else {
        return;
    };
    let (a_addr, b_addr) = (a.local_addr().unwrap(), b.local_addr().unwrap());
    a.connect(b_addr).unwrap();
    b.connect(a_addr).unwrap();
    assert_eq!(a.peer_addr().unwrap(), b_addr);
    assert_eq!(b.peer_addr().unwrap(), a_addr);

    // A connected socket drops datagrams from anyone but its peer.
    stranger.send_to(b"intruder", b_addr).unwrap();
    a.send(b"alpha").unwrap();
    a.send(b"beta").unwrap();
    let mut buf = [0u8; 64];
    assert_eq!(b.recv(&mut buf).unwrap(), 5);
    assert_eq!(&buf[..5], b"alpha");
    let (n, from) = b.recv_from(&mut buf).unwrap();
    assert_eq!((&buf[..n], from), (&b"beta"[..], a_addr));
    b.set_nonblocking(true).unwrap();
    assert_eq!(
        b.recv(&mut buf),
        Err(Errno::AGAIN),
        "the stranger's datagram got through"
    );

    // And the other way.
    b.send(b"gamma").unwrap();
    assert_eq!(a.recv(&mut buf).unwrap(), 5);
    assert_eq!(&buf[..5], b"gamma");
}

#[test]
fn connected_v4_send_recv_and_filter() {
    check_connected(V4);
}

#[test]
fn connected_v6_send_recv_and_filter() {
    check_connected(V6);
}

fn check_trunc(ip: IpAddr) {
    let (Some(server), Some(client)) = (bound(ip), bound(ip)) else {
        return;
    };
    let to = server.local_addr().unwrap();
    let data: Vec<u8> = (0..100u8).collect();
    client.send_to(&data, to).unwrap();
    client.send_to(&data[..20], to).unwrap();

    // MSG_TRUNC: the real length, larger than the buffer; the buffer holds
    // the start; the rest of that datagram is gone.
    let mut small = [0u8; 10];
    let n = server
        .as_socket()
        .recv_with_flags(&mut small, MsgFlags::TRUNC)
        .unwrap();
    assert_eq!(n, 100);
    assert_eq!(&small, &data[..10]);
    // Without MSG_TRUNC a short buffer gets only what fits.
    assert_eq!(server.recv(&mut small).unwrap(), 10);
    assert_eq!(&small, &data[..10]);
}

#[test]
fn msg_trunc_reports_real_length_v4() {
    check_trunc(V4);
}

#[test]
fn msg_trunc_reports_real_length_v6() {
    check_trunc(V6);
}

fn check_peek(ip: IpAddr) {
    let (Some(server), Some(client)) = (bound(ip), bound(ip)) else {
        return;
    };
    let to = server.local_addr().unwrap();
    client.send_to(b"first", to).unwrap();
    client.send_to(b"second", to).unwrap();

    let mut buf = [0u8; 16];
    // Peeking twice sees the same datagram.
    assert_eq!(server.peek(&mut buf).unwrap(), 5);
    assert_eq!(&buf[..5], b"first");
    let (n, from) = server.peek_from(&mut buf).unwrap();
    assert_eq!((&buf[..n], from), (&b"first"[..], client.local_addr().unwrap()));
    // A receive then takes it, and the next is the second.
    assert_eq!(server.recv(&mut buf).unwrap(), 5);
    assert_eq!(&buf[..5], b"first");
    assert_eq!(server.peek(&mut buf).unwrap(), 6);
    assert_eq!(server.recv(&mut buf).unwrap(), 6);
    assert_eq!(&buf[..6], b"second");
    server.set_nonblocking(true).unwrap();
    assert_eq!(server.peek(&mut buf), Err(Errno::AGAIN));
}

#[test]
fn msg_peek_leaves_datagram_queued_v4() {
    check_peek(V4);
}

#[test]
fn msg_peek_leaves_datagram_queued_v6() {
    check_peek(V6);
}

#[test]
fn empty_datagram_is_a_datagram() {
    let (Some(server), Some(client)) = (bound(V4), bound(V4)) else {
        return;
    };
    client.send_to(b"", server.local_addr().unwrap()).unwrap();
    let mut buf = [0u8; 4];
    let (n, from) = server.recv_from(&mut buf).unwrap();
    assert_eq!((n, from), (0, client.local_addr().unwrap()));
}

#[test]
fn send_to_takes_every_address_shape() {
    let (Some(server), Some(client)) = (bound(V4), bound(V4)) else {
        return;
    };
    let SocketAddr::V4(to) = server.local_addr().unwrap() else {
        panic!("not v4")
    };
    client.send_to(b"a", to).unwrap();
    client.send_to(b"b", SocketAddr::V4(to)).unwrap();
    client.send_to(b"c", (Ipv4Addr::LOCALHOST, to.port())).unwrap();
    let mut buf = [0u8; 1];
    for expect in [b'a', b'b', b'c'] {
        server.recv(&mut buf).unwrap();
        assert_eq!(buf[0], expect);
    }
}

#[test]
fn v6_socket_sees_v4_mapped_sender() {
    // A dual-stack [::] socket receives IPv4 datagrams from ::ffff:127.0.0.1.
    match std::fs::read_to_string("/proc/sys/net/ipv6/bindv6only") {
        Ok(v) if v.trim() == "0" => {}
        other => {
            skip(&format!(
                "[::] sockets are not dual-stack here (bindv6only: {other:?})"
            ));
            return;
        }
    }
    let Some(server) = bound(IpAddr::V6(Ipv6Addr::UNSPECIFIED)) else {
        return;
    };
    let port = server.local_addr().unwrap().port();
    let client = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    client.send_to(b"mapped", (Ipv4Addr::LOCALHOST, port)).unwrap();
    let mut buf = [0u8; 8];
    match server.recv_from(&mut buf).unwrap() {
        (n, SocketAddr::V6(from)) => {
            assert_eq!(&buf[..n], b"mapped");
            assert_eq!(from.ip().to_ipv4_mapped(), Some(Ipv4Addr::LOCALHOST));
            assert_eq!(from.port(), client.local_addr().unwrap().port());
        }
        (_, from) => panic!("a v6 socket decoded a v4 address {from}"),
    }
}
