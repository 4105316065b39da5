//! embedded-io 0.7 on `TcpStream` and `UnixStream`: the contract (EOF is
//! `Ok(0)`, `write_all` never panics) and each error kind from a real
//! kernel error.

use std::net::Ipv4Addr;
use std::time::Duration;

use embedded_io::{Error as _, ErrorKind, Read, ReadReady, Write, WriteReady};
use zerosock::embedded::error_kind;
use zerosock::{Errno, Error, Shutdown, TcpListener, TcpStream, UnixStream};

use crate::common::alloc::no_alloc;
use crate::common::procs;

/// A connected TCP pair on loopback: (client, server side).
fn tcp_pair() -> (TcpStream, TcpStream) {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (server, _) = listener.accept().unwrap();
    (client, server)
}

/// Generic code, as a third-party client would write it: only the traits.
fn echo_once<S: Read + Write>(s: &mut S, buf: &mut [u8]) -> Result<usize, S::Error> {
    let n = s.read(buf)?;
    s.write_all(&buf[..n])?;
    s.flush()?;
    Ok(n)
}

#[test]
fn read_write_through_the_traits_without_allocating() {
    let (mut a, mut b) = UnixStream::pair().unwrap();
    let mut buf = [0u8; 64];
    no_alloc("embedded-io read/write", || {
        a.write_all(b"ping").unwrap();
        assert_eq!(echo_once(&mut b, &mut buf).unwrap(), 4);
        let mut back = [0u8; 4];
        a.read_exact(&mut back).unwrap();
        assert_eq!(&back, b"ping");
    });
    // `&TcpStream` too: a shared stream read and written from one value.
    let (client, server) = tcp_pair();
    (&client).write_all(b"over tcp").unwrap();
    let mut got = [0u8; 8];
    (&server).read_exact(&mut got).unwrap();
    assert_eq!(&got, b"over tcp");
}

#[test]
fn eof_is_ok_zero() {
    let (client, mut server) = tcp_pair();
    client.shutdown(Shutdown::Write).unwrap();
    let mut buf = [0u8; 8];
    assert_eq!(Read::read(&mut server, &mut buf).unwrap(), 0);
    // An empty buffer is Ok(0) without a call, even on a live stream.
    let (mut a, _b) = UnixStream::pair().unwrap();
    assert_eq!(Read::read(&mut a, &mut []).unwrap(), 0);
    // read_exact at EOF: embedded-io's UnexpectedEof.
    let (mut a, b) = UnixStream::pair().unwrap();
    b.write(b"ab").unwrap();
    drop(b);
    let mut four = [0u8; 4];
    assert!(matches!(
        a.read_exact(&mut four),
        Err(embedded_io::ReadExactError::UnexpectedEof)
    ));
}

#[test]
fn ready_reports_would_block_without_blocking() {
    let (mut a, mut b) = UnixStream::pair().unwrap();
    a.set_nonblocking(true).unwrap();
    assert!(!a.read_ready().unwrap(), "nothing sent yet");
    assert!(a.write_ready().unwrap());
    // On a non-blocking socket a read that would block is the kernel's
    // EAGAIN, unchanged.
    let mut buf = [0u8; 4];
    assert_eq!(Read::read(&mut a, &mut buf), Err(Error::Os(Errno::AGAIN)));
    b.write_all(b"x").unwrap();
    assert!(a.read_ready().unwrap());
    assert_eq!(Read::read(&mut a, &mut buf).unwrap(), 1);
    // Fill a's send buffer: write_ready turns false.
    let chunk = [0u8; 65536];
    let mut n = 0;
    while a.write_ready().unwrap() {
        match Write::write(&mut a, &chunk) {
            Ok(_) => {}
            Err(Error::Os(Errno::AGAIN)) => break,
            Err(e) => panic!("{e:?}"),
        }
        n += 1;
        assert!(n < 10_000, "the send buffer never filled");
    }
    assert!(!a.write_ready().unwrap());
    // The peer's end of stream makes b readable.
    drop(a);
    assert!(b.read_ready().unwrap());
}

#[test]
fn refused() {
    let gone = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let addr = gone.local_addr().unwrap();
    // Closed everywhere: also in a child another test thread (a broker's
    // start) forked while it was open (`common::procs`).
    let inode = procs::inode(&gone);
    drop(gone);
    procs::await_release(inode, crate::BOUND);
    let err = TcpStream::connect(addr).unwrap_err();
    assert_eq!(err, Error::Os(Errno::CONNREFUSED));
    assert_eq!(err.kind(), ErrorKind::ConnectionRefused);
}

/// A reset: the server closes with `SO_LINGER` 0 (an RST, not a FIN).
fn reset_pair() -> TcpStream {
    let (client, server) = tcp_pair();
    server.as_socket().set_linger(Some(Duration::ZERO)).unwrap();
    drop(server);
    client
        .as_socket()
        .wait(zerosock::poll::Interest::IN, Some(crate::BOUND))
        .unwrap();
    client
}

#[test]
fn reset_on_read_then_broken_pipe_on_write() {
    let mut client = reset_pair();
    let mut buf = [0u8; 4];
    let err = Read::read(&mut client, &mut buf).unwrap_err();
    assert_eq!(err, Error::Os(Errno::CONNRESET));
    assert_eq!(err.kind(), ErrorKind::ConnectionReset);
    // After the reset is reported, a write is EPIPE (no SIGPIPE).
    let err = client.write_all(b"late").unwrap_err();
    assert_eq!(err, Error::Os(Errno::PIPE));
    assert_eq!(err.kind(), ErrorKind::BrokenPipe);
}

#[test]
fn reset_on_write() {
    let mut client = reset_pair();
    let err = Write::write(&mut client, b"x").unwrap_err();
    assert_eq!(err, Error::Os(Errno::CONNRESET));
    assert_eq!(err.kind(), ErrorKind::ConnectionReset);
}

#[test]
fn timed_out() {
    let (mut client, _server) = tcp_pair();
    client
        .as_socket()
        .set_read_timeout(Some(Duration::from_millis(20)))
        .unwrap();
    let mut buf = [0u8; 4];
    let err = Read::read(&mut client, &mut buf).unwrap_err();
    // SO_RCVTIMEO passing is EAGAIN on a blocking socket.
    assert_eq!(err, Error::Os(Errno::AGAIN));
    assert_eq!(err.kind(), ErrorKind::TimedOut);
    assert_eq!(embedded_io::Error::kind(&Errno::TIMEDOUT), ErrorKind::TimedOut);
}

#[test]
fn not_connected() {
    let socket = zerosock::Socket::new(
        zerosock::Domain::INET,
        zerosock::Type::STREAM,
        zerosock::Protocol::TCP,
    )
    .unwrap();
    let mut stream = TcpStream::from(socket);
    let err = Write::write(&mut stream, b"x").unwrap_err();
    assert_eq!(
        err,
        Error::Os(Errno::PIPE),
        "Linux says EPIPE for send on an unconnected TCP socket"
    );
    let mut buf = [0u8; 1];
    let err = Read::read(&mut stream, &mut buf).unwrap_err();
    assert_eq!(err, Error::Os(Errno::NOTCONN));
    assert_eq!(err.kind(), ErrorKind::NotConnected);
}

#[test]
fn addr_in_use() {
    let a = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let err = TcpListener::bind(a.local_addr().unwrap()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AddrInUse);
}

#[test]
fn every_mapping() {
    let table = [
        (Errno::CONNREFUSED, ErrorKind::ConnectionRefused),
        (Errno::CONNRESET, ErrorKind::ConnectionReset),
        (Errno::CONNABORTED, ErrorKind::ConnectionAborted),
        (Errno::NOTCONN, ErrorKind::NotConnected),
        (Errno::ADDRINUSE, ErrorKind::AddrInUse),
        (Errno::ADDRNOTAVAIL, ErrorKind::AddrNotAvailable),
        (Errno::PIPE, ErrorKind::BrokenPipe),
        (Errno::EXIST, ErrorKind::AlreadyExists),
        (Errno::INVAL, ErrorKind::InvalidInput),
        (Errno::BADMSG, ErrorKind::InvalidData),
        (Errno::TIMEDOUT, ErrorKind::TimedOut),
        (Errno::AGAIN, ErrorKind::TimedOut),
        (Errno::INTR, ErrorKind::Interrupted),
        (Errno::NOMEM, ErrorKind::OutOfMemory),
        (Errno::NOBUFS, ErrorKind::OutOfMemory),
        (Errno::ACCESS, ErrorKind::PermissionDenied),
        (Errno::PERM, ErrorKind::PermissionDenied),
        (Errno::NOENT, ErrorKind::NotFound),
        (Errno::OPNOTSUPP, ErrorKind::Unsupported),
        (Errno::AFNOSUPPORT, ErrorKind::Unsupported),
        (Errno::NETUNREACH, ErrorKind::Other),
        (Errno::HOSTUNREACH, ErrorKind::Other),
    ];
    for (errno, kind) in table {
        assert_eq!(error_kind(errno), kind, "{errno}");
        assert_eq!(embedded_io::Error::kind(&errno), kind, "{errno}");
        assert_eq!(Error::Os(errno).kind(), kind, "{errno}");
    }
    assert_eq!(Error::WriteZero.kind(), ErrorKind::WriteZero);
    assert_eq!(Error::UnexpectedEof.kind(), ErrorKind::InvalidData);
    assert_eq!(Error::InvalidInput("x").kind(), ErrorKind::InvalidInput);
    assert_eq!(
        Error::Name(zerosock::resolve::GaiError::NoName).kind(),
        ErrorKind::NotFound
    );
    // Every errno Linux has maps to something, without panicking; the std
    // conversion and ours agree (by name) on the socket kinds both have.
    for raw in 1..=133 {
        let errno = Errno::from_raw_os_error(raw);
        let ours = format!("{:?}", error_kind(errno));
        let std_kind = std::io::Error::from_raw_os_error(raw).kind();
        if matches!(
            std_kind,
            std::io::ErrorKind::ConnectionRefused
                | std::io::ErrorKind::ConnectionReset
                | std::io::ErrorKind::BrokenPipe
                | std::io::ErrorKind::AddrInUse
                | std::io::ErrorKind::TimedOut
                | std::io::ErrorKind::Interrupted
                | std::io::ErrorKind::NotConnected
        ) {
            assert_eq!(ours, format!("{std_kind:?}"), "{errno}");
        }
    }
}
