//! TCP over loopback, IPv4 and IPv6: addresses on both ends, end of stream,
//! half-close in each direction, the send/recv loops, peek and try_clone.
//!
//! Every blocking call here has its counterpart already queued or running in
//! a scoped thread that ends by itself, so no test can hang on a missing
//! peer; waits that could stall are turned into non-blocking calls.

use crate::common::skip;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::thread;

use zerosock::{Errno, Error, Shutdown, TcpListener, TcpStream};

/// A listener on `ip` port 0, or `None` (with a visible SKIPPED line) when
/// the host has no such loopback (IPv6 disabled).
fn listener(ip: IpAddr) -> Option<TcpListener> {
    match TcpListener::bind((ip, 0)) {
        Ok(listener) => Some(listener),
        Err(zerosock::Error::Os(err @ (Errno::ADDRNOTAVAIL | Errno::AFNOSUPPORT))) if ip.is_ipv6() => {
            skip(&format!("no IPv6 loopback on this host ({err})"));
            None
        }
        Err(err) => panic!("bind {ip}: {err}"),
    }
}

/// A connected (client, server) pair over `ip`'s loopback, and the peer
/// address accept returned.
fn connected(ip: IpAddr) -> Option<(TcpStream, TcpStream, SocketAddr)> {
    let listener = listener(ip)?;
    let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (server, peer) = listener.accept().unwrap();
    Some((client, server, peer))
}

const V4: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);
const V6: IpAddr = IpAddr::V6(Ipv6Addr::LOCALHOST);

fn check_addresses(ip: IpAddr) {
    let Some(listener) = listener(ip) else { return };
    let bound = listener.local_addr().unwrap();
    assert_eq!(bound.ip(), ip);
    assert_ne!(bound.port(), 0, "the kernel picks a port for port 0");

    let client = TcpStream::connect(bound).unwrap();
    let (server, peer) = listener.accept().unwrap();

    // accept's peer is the client's own address, decoded from the kernel's bytes.
    assert_eq!(peer, client.local_addr().unwrap());
    assert_eq!(peer, server.peer_addr().unwrap());
    assert_eq!(peer.ip(), ip);
    // And the other way round.
    assert_eq!(client.peer_addr().unwrap(), bound);
    assert_eq!(server.local_addr().unwrap(), bound);
    // The right family on every address.
    assert_eq!(peer.is_ipv6(), ip.is_ipv6());
}

#[test]
fn accept_peer_is_client_local_addr_v4() {
    check_addresses(V4);
}

#[test]
fn accept_peer_is_client_local_addr_v6() {
    check_addresses(V6);
}

fn check_eof_after_close(ip: IpAddr) {
    let Some((client, server, _)) = connected(ip) else {
        return;
    };
    client.write(b"last words").unwrap();
    drop(client); // close(2): FIN after the data

    let mut buf = [0u8; 64];
    let mut got = Vec::new();
    // Bounded: 10 bytes then EOF; allow the bytes to come in pieces.
    for _ in 0..16 {
        let n = server.read(&mut buf).unwrap();
        if n == 0 {
            assert_eq!(got, b"last words");
            // EOF is sticky: reading again still gives 0.
            assert_eq!(server.read(&mut buf).unwrap(), 0);
            assert_eq!(server.recv(&mut buf).unwrap(), 0);
            return;
        }
        got.extend_from_slice(&buf[..n]);
    }
    panic!("no end of stream after the peer closed; got {got:?}");
}

#[test]
fn read_returns_zero_after_peer_closes_v4() {
    check_eof_after_close(V4);
}

#[test]
fn read_returns_zero_after_peer_closes_v6() {
    check_eof_after_close(V6);
}

fn check_half_close(ip: IpAddr) {
    let Some((client, server, _)) = connected(ip) else {
        return;
    };
    client.send_all(b"request").unwrap();
    client.shutdown(Shutdown::Write).unwrap();

    // The server reads the request, then end of stream…
    let mut req = [0u8; 7];
    server.recv_exact(&mut req).unwrap();
    assert_eq!(&req, b"request");
    let mut buf = [0u8; 8];
    assert_eq!(server.read(&mut buf).unwrap(), 0);

    // …yet its own direction still works, both ways of writing.
    server.send_all(b"response").unwrap();
    let mut resp = [0u8; 8];
    client.recv_exact(&mut resp).unwrap();
    assert_eq!(&resp, b"response");

    // The client can no longer send.
    assert_eq!(client.write(b"more"), Err(Errno::PIPE));

    // When the server closes too, the client sees end of stream.
    drop(server);
    assert_eq!(client.read(&mut buf).unwrap(), 0);
}

#[test]
fn shut_wr_half_close_keeps_other_direction_v4() {
    check_half_close(V4);
}

#[test]
fn shut_wr_half_close_keeps_other_direction_v6() {
    check_half_close(V6);
}

fn check_shut_rd(ip: IpAddr) {
    let Some((client, server, _)) = connected(ip) else {
        return;
    };
    client.shutdown(Shutdown::Read).unwrap();
    // Non-blocking, so a broken SHUT_RD shows up as EAGAIN instead of a hang.
    client.set_nonblocking(true).unwrap();
    let mut buf = [0u8; 8];
    assert_eq!(client.read(&mut buf), Ok(0));
    assert_eq!(client.recv(&mut buf), Ok(0));
    // Sending still works after SHUT_RD.
    client.send_all(b"still here").unwrap();
    let mut got = [0u8; 10];
    server.recv_exact(&mut got).unwrap();
    assert_eq!(&got, b"still here");
}

#[test]
fn shut_rd_then_read_gives_zero_v4() {
    check_shut_rd(V4);
}

#[test]
fn shut_rd_then_read_gives_zero_v6() {
    check_shut_rd(V6);
}

#[test]
fn write_all_read_exact_move_a_large_buffer() {
    let Some((client, server, _)) = connected(V4) else {
        return;
    };
    // 4 MiB: more than the socket buffers hold, so write_all must loop.
    let data: Vec<u8> = (0..4u32 << 20).map(|i| (i % 251) as u8).collect();
    let mut got = vec![0u8; data.len()];
    thread::scope(|s| {
        s.spawn(|| client.send_all(&data).unwrap());
        server.recv_exact(&mut got).unwrap();
    });
    assert!(got == data, "bytes differ");
}

#[test]
fn read_exact_reports_early_eof() {
    let Some((client, server, _)) = connected(V4) else {
        return;
    };
    client.send_all(b"abc").unwrap();
    drop(client);
    let mut buf = [0u8; 8];
    assert_eq!(server.recv_exact(&mut buf), Err(Error::UnexpectedEof));
    assert_eq!(&buf[..3], b"abc");
}

#[test]
fn peek_leaves_bytes_queued() {
    let Some((client, server, _)) = connected(V4) else {
        return;
    };
    client.send_all(b"peekaboo").unwrap();
    let mut whole = [0u8; 8];
    // Peek until all 8 bytes are queued (loopback delivers at once; bounded).
    let mut n = 0;
    for _ in 0..100 {
        n = server.peek(&mut whole).unwrap();
        if n == 8 {
            break;
        }
        thread::sleep(std::time::Duration::from_millis(1));
    }
    assert_eq!(n, 8);
    assert_eq!(&whole, b"peekaboo");
    let mut again = [0u8; 8];
    server.recv_exact(&mut again).unwrap();
    assert_eq!(&again, b"peekaboo");
}

#[test]
fn try_clone_shares_the_connection() {
    let Some((client, server, _)) = connected(V4) else {
        return;
    };
    let clone = client.try_clone().unwrap();
    assert_ne!(
        zerosock::fd::AsRawFd::as_raw_fd(&clone),
        zerosock::fd::AsRawFd::as_raw_fd(&client)
    );
    clone.send_all(b"via clone").unwrap();
    drop(clone); // the original keeps the connection open
    client.send_all(b"+orig").unwrap();
    let mut buf = [0u8; 14];
    server.recv_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"via clone+orig");
    client.close().unwrap();
    assert_eq!(server.read(&mut buf).unwrap(), 0);
}

#[test]
fn socket_round_trip_keeps_the_fd() {
    let Some((client, server, _)) = connected(V4) else {
        return;
    };
    let fd = zerosock::fd::AsRawFd::as_raw_fd(&client);
    let socket = client.into_socket();
    let owned: zerosock::fd::OwnedFd = socket.into();
    let client = TcpStream::from(owned);
    assert_eq!(zerosock::fd::AsRawFd::as_raw_fd(&client), fd);
    assert_eq!(
        client.as_socket().local_addr().unwrap().socket_addr(),
        Some(client.local_addr().unwrap())
    );
    client.send_all(b"x").unwrap();
    let mut b = [0u8; 1];
    server.recv_exact(&mut b).unwrap();
    assert_eq!(&b, b"x");
}

#[test]
fn listener_accepts_several_clients_in_order() {
    let Some(listener) = listener(V4) else { return };
    let addr = listener.local_addr().unwrap();
    let clients: Vec<TcpStream> = (0..5).map(|_| TcpStream::connect(addr).unwrap()).collect();
    for (i, client) in clients.iter().enumerate() {
        client.send_all(&[i as u8]).unwrap();
    }
    for _ in 0..clients.len() {
        let (server, peer) = listener.accept().unwrap();
        let mut b = [0u8; 1];
        server.recv_exact(&mut b).unwrap();
        assert_eq!(peer, clients[b[0] as usize].local_addr().unwrap());
    }
}
