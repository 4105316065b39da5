//! `?` between the crate's error types in the directions users need:
//! `Error` into `Errno` (each variant's mapping), and a kernel-written
//! `SockAddr` into `core::net::SocketAddr` with `DecodeError` saying why not.

use core::net::{Ipv4Addr, Ipv6Addr, SocketAddr};

use zerosock::addr::{DecodeError, SockAddr, SockAddrStorage, UnixAddr};
use zerosock::{Errno, Error, TcpListener, TcpStream, UdpSocket, UnixStream};

#[test]
fn error_into_errno_maps_every_variant() {
    assert_eq!(Errno::from(Error::Os(Errno::CONNRESET)), Errno::CONNRESET);
    assert_eq!(Errno::from(Error::UnexpectedEof), Errno::NODATA);
    assert_eq!(Errno::from(Error::WriteZero), Errno::IO);
    assert_eq!(Errno::from(Error::InvalidInput("why")), Errno::INVAL);
    // And back: an Os error survives the round trip.
    assert_eq!(
        Error::from(Errno::from(Error::Os(Errno::PIPE))),
        Error::Os(Errno::PIPE)
    );
}

/// The pattern from issue 13: `write_all(..)?` in a function returning
/// `Result<_, Errno>`.
fn send_and_close(stream: UnixStream, data: &[u8]) -> Result<(), Errno> {
    stream.send_all(data)?;
    stream.shutdown(zerosock::Shutdown::Write)?;
    Ok(())
}

fn read_exactly(stream: &UnixStream, buf: &mut [u8]) -> Result<(), Errno> {
    stream.recv_exact(buf)?;
    Ok(())
}

#[test]
fn question_mark_from_error_to_errno() {
    let (a, b) = UnixStream::pair().unwrap();
    send_and_close(a, b"four").unwrap();
    let mut buf = [0u8; 4];
    read_exactly(&b, &mut buf).unwrap();
    assert_eq!(&buf, b"four");
    // EOF before the buffer is full: UnexpectedEof becomes ENODATA.
    assert_eq!(read_exactly(&b, &mut buf), Err(Errno::NODATA));
}

#[test]
fn kernel_addresses_into_socket_addr() {
    let udp = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let listener = TcpListener::bind((Ipv6Addr::LOCALHOST, 0));
    let local = zerosock::Socket::from(udp).local_addr().unwrap();
    let ip: SocketAddr = local.try_into().unwrap();
    assert_eq!(ip.ip(), Ipv4Addr::LOCALHOST);
    assert_ne!(ip.port(), 0);
    assert_eq!(SocketAddr::try_from(&local), Ok(ip));

    match listener {
        Ok(listener) => {
            let addr = listener.local_addr().unwrap();
            let stream = TcpStream::connect(addr).unwrap();
            let peer = zerosock::Socket::from(stream).peer_addr().unwrap();
            assert_eq!(SocketAddr::try_from(peer), Ok(addr));
        }
        Err(err) => crate::common::skip(&format!("the IPv6 half: no ::1 here ({err})")),
    }
}

#[test]
fn non_ip_addresses_say_why() {
    // Empty (length 0) and AF_UNSPEC: family 0.
    assert_eq!(
        SocketAddr::try_from(SockAddr::EMPTY),
        Err(DecodeError::FamilyMismatch { family: 0 })
    );
    // A Unix address, from the kernel.
    let (a, _b) = UnixStream::pair().unwrap();
    let unnamed = zerosock::Socket::from(a).local_addr().unwrap();
    assert_eq!(
        SocketAddr::try_from(unnamed),
        Err(DecodeError::FamilyMismatch { family: 1 })
    );
    let named = SockAddr::from(UnixAddr::new_abstract(b"zerosock-conv").unwrap());
    assert_eq!(
        SocketAddr::try_from(&named),
        Err(DecodeError::FamilyMismatch { family: 1 })
    );
    // AF_INET with 4 bytes: too short for a sockaddr_in (16).
    let mut storage = SockAddrStorage::ZEROED;
    storage.ss_family = 2;
    assert_eq!(
        SocketAddr::try_from(SockAddr::from_raw(storage, 4)),
        Err(DecodeError::TooShort { family: 2, len: 4 })
    );
    // AF_INET6 with a sockaddr_in's 16 bytes: too short for sockaddr_in6 (28).
    storage.ss_family = 10;
    assert_eq!(
        SocketAddr::try_from(SockAddr::from_raw(storage, 16)),
        Err(DecodeError::TooShort { family: 10, len: 16 })
    );
    // A length beyond the 128-byte storage: truncated by the kernel.
    assert_eq!(
        SocketAddr::try_from(SockAddr::from_raw(storage, 200)),
        Err(DecodeError::Truncated { len: 200 })
    );
    // AF_NETLINK (16).
    storage.ss_family = 16;
    assert_eq!(
        SocketAddr::try_from(SockAddr::from_raw(storage, 12)),
        Err(DecodeError::FamilyMismatch { family: 16 })
    );
}

#[test]
fn question_mark_into_box_dyn_error() {
    fn local_ip(socket: &zerosock::Socket) -> Result<SocketAddr, Box<dyn core::error::Error>> {
        Ok(socket.local_addr()?.try_into()?)
    }
    let udp = zerosock::Socket::from(UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).unwrap());
    assert_eq!(local_ip(&udp).unwrap().ip(), Ipv4Addr::LOCALHOST);
    let (a, _b) = UnixStream::pair().unwrap();
    let err = local_ip(&zerosock::Socket::from(a)).unwrap_err();
    assert_eq!(err.to_string(), "unexpected socket address family 1");
}
