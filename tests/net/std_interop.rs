//! With the `std` feature: `std::io::Read`/`Write` on the stream types (and
//! on `&` them), and conversions to and from `std::net` and
//! `std::os::unix::net` that move the same fd and keep it working.

#![cfg(feature = "std")]

use core::net::Ipv4Addr;
use std::io::{BufRead, BufReader, ErrorKind, IoSlice, IoSliceMut, Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::net as std_unix;

use zerosock::addr::UnixAddr;
use zerosock::{Shutdown, TcpListener, TcpStream, UdpSocket, UnixDatagram, UnixListener, UnixStream};

#[test]
fn read_write_traits_on_tcp() {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let mut client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (server, _) = listener.accept().unwrap();

    // Write on the owned value, generic code over `impl Write`.
    fn send(mut w: impl Write) -> std::io::Result<()> {
        writeln!(w, "line one")?;
        w.write_all(b"line two\n")?;
        let n = w.write_vectored(&[IoSlice::new(b"line "), IoSlice::new(b"three\n")])?;
        assert_eq!(n, 11);
        w.flush()
    }
    send(&mut client).unwrap();
    client.shutdown(Shutdown::Write).unwrap();

    // Read on `&TcpStream` through BufReader, to end of stream.
    let lines: Vec<String> = BufReader::new(&server).lines().map(Result::unwrap).collect();
    assert_eq!(lines, ["line one", "line two", "line three"]);

    // Read on the owned value, vectored, and read_to_end.
    // Through the trait on `&TcpStream` (the inherent write_all would win
    // method resolution).
    Write::write_all(&mut &server, b"abcdefgh").unwrap();
    drop(server);
    let (mut x, mut y) = ([0u8; 3], [0u8; 2]);
    let n = Read::read_vectored(
        &mut client,
        &mut [IoSliceMut::new(&mut x), IoSliceMut::new(&mut y)],
    )
    .unwrap();
    assert!(n >= 1);
    let mut rest = Vec::new();
    client.read_to_end(&mut rest).unwrap();
    let mut all = [&x[..], &y[..]].concat()[..n].to_vec();
    all.extend_from_slice(&rest);
    assert_eq!(all, b"abcdefgh");
}

#[test]
fn errno_maps_to_io_error_kinds() {
    let (a, b) = UnixStream::pair().unwrap();
    a.set_nonblocking(true).unwrap();
    let mut buf = [0u8; 4];
    assert_eq!(
        Read::read(&mut &a, &mut buf).unwrap_err().kind(),
        ErrorKind::WouldBlock
    );
    drop(b);
    assert_eq!(
        Write::write(&mut &a, b"x").unwrap_err().kind(),
        ErrorKind::BrokenPipe
    );
    // The loops' error converts too.
    let err: std::io::Error = a.send_all(b"x").unwrap_err().into();
    assert_eq!(err.kind(), ErrorKind::BrokenPipe);
}

#[test]
fn tcp_round_trips_through_std() {
    // std listener → zerosock listener: same fd, accepts a std client.
    let std_listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let fd = std_listener.as_raw_fd();
    let listener = TcpListener::from(std_listener);
    assert_eq!(listener.as_raw_fd(), fd);
    let addr = listener.local_addr().unwrap();
    let mut std_client = std::net::TcpStream::connect(addr).unwrap();
    let (server, peer) = listener.accept().unwrap();
    assert_eq!(peer, std_client.local_addr().unwrap());

    // zerosock stream → std stream: same fd, std's Read works on it.
    let server_fd = server.as_raw_fd();
    let mut std_server = std::net::TcpStream::from(server);
    assert_eq!(std_server.as_raw_fd(), server_fd);
    std_client.write_all(b"from std").unwrap();
    let mut buf = [0u8; 8];
    std_server.read_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"from std");

    // And back again, still the same connection.
    let server = TcpStream::from(std_server);
    assert_eq!(server.as_raw_fd(), server_fd);
    server.send_all(b"back").unwrap();
    let mut back = [0u8; 4];
    std_client.read_exact(&mut back).unwrap();
    assert_eq!(&back, b"back");

    // zerosock listener → std listener.
    let std_listener = std::net::TcpListener::from(listener);
    assert_eq!(std_listener.local_addr().unwrap(), addr);
}

#[test]
fn udp_round_trips_through_std() {
    let std_socket = std::net::UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let ours = UdpSocket::from(std_socket);
    let peer = std::net::UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    peer.send_to(b"dgram", ours.local_addr().unwrap()).unwrap();
    let mut buf = [0u8; 8];
    let (n, from) = ours.recv_from(&mut buf).unwrap();
    assert_eq!((&buf[..n], from), (&b"dgram"[..], peer.local_addr().unwrap()));

    let std_socket = std::net::UdpSocket::from(ours);
    std_socket.send_to(b"reply", from).unwrap();
    let (n, _) = peer.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"reply");
}

#[test]
fn unix_round_trips_through_std() {
    let name = format!("zerosock-std-interop-{}", std::process::id());
    let addr = UnixAddr::new_abstract(name.as_bytes()).unwrap();

    // zerosock listener → std listener, accepting a zerosock client.
    let std_listener = std_unix::UnixListener::from(UnixListener::bind(&addr).unwrap());
    let client = UnixStream::connect(&addr).unwrap();
    let (std_server, _) = std_listener.accept().unwrap();
    // Back to zerosock for the listener, the other way for the stream.
    let listener = UnixListener::from(std_listener);
    assert_eq!(listener.local_addr().unwrap(), addr);
    let server = UnixStream::from(std_server);
    client.send_all(b"ping").unwrap();
    let mut buf = [0u8; 4];
    server.recv_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"ping");
    let mut std_client = std_unix::UnixStream::from(client);
    Write::write_all(&mut &server, b"pong").unwrap();
    std_client.read_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"pong");

    // Datagrams.
    let (a, b) = std_unix::UnixDatagram::pair().unwrap();
    let a = UnixDatagram::from(a);
    a.send(b"x").unwrap();
    let b = std_unix::UnixDatagram::from(UnixDatagram::from(b));
    assert_eq!(b.recv(&mut buf).unwrap(), 1);
}
