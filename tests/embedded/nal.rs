//! embedded-nal 0.9 on `zerosock::embedded::Stack`: every method of the
//! four stacks and `Dns`, the `nb` contract (`WouldBlock` for `EAGAIN` and a
//! connect in progress), and the error each real failure gives.

use std::ffi::CString;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use embedded_nal::{
    AddrType, Dns, TcpClientStack, TcpError, TcpErrorKind, TcpFullStack, UdpClientStack, UdpFullStack,
};
use zerosock::embedded::{Stack, TcpSocket};
use zerosock::poll::Interest;
use zerosock::resolve::{GaiError, HostSources, Paths, ResolvConf, Resolver};
use zerosock::{Errno, Error};

use crate::common::alloc::no_alloc;
use crate::common::procs;
use crate::{BOUND, deadline};

/// Retries an `nb` call, waiting on the socket with poll(2) between tries
/// (never spinning), within [`BOUND`].
fn block<T>(
    socket: Option<&zerosock::Socket>,
    interest: Interest,
    mut f: impl FnMut() -> nb::Result<T, Error>,
) -> Result<T, Error> {
    let end = deadline();
    loop {
        match f() {
            Ok(v) => return Ok(v),
            Err(nb::Error::Other(e)) => return Err(e),
            Err(nb::Error::WouldBlock) => {
                assert!(std::time::Instant::now() < end, "no progress within {BOUND:?}");
                if let Some(s) = socket {
                    let _ = s.wait(interest, Some(std::time::Duration::from_millis(100)));
                }
            }
        }
    }
}

fn dup(s: Option<&zerosock::Socket>) -> Option<zerosock::Socket> {
    s.map(|s| s.try_clone().unwrap())
}

/// A listener of `stack` on a port the kernel chose, and that port.
fn listener(stack: &mut Stack<'_>) -> (TcpSocket, u16) {
    let mut server = TcpClientStack::socket(stack).unwrap();
    TcpFullStack::bind(stack, &mut server, 0).unwrap();
    TcpFullStack::listen(stack, &mut server).unwrap();
    let port = server.local_addr().unwrap().port();
    (server, port)
}

fn connect(mut stack: &mut Stack<'_>, remote: SocketAddr) -> Result<TcpSocket, Error> {
    let mut client = TcpClientStack::socket(&mut stack).unwrap();
    let end = deadline();
    loop {
        match TcpClientStack::connect(&mut stack, &mut client, remote) {
            Ok(()) => return Ok(client),
            Err(nb::Error::Other(e)) => return Err(e),
            Err(nb::Error::WouldBlock) => {
                assert!(std::time::Instant::now() < end, "no connect within {BOUND:?}");
                let s = client
                    .as_socket()
                    .expect("a connecting socket has a kernel socket");
                s.wait(Interest::OUT, Some(std::time::Duration::from_millis(100)))
                    .unwrap();
            }
        }
    }
}

#[test]
fn tcp_connect_accept_send_receive_close() {
    let mut stack = Stack::new();
    let (mut server, port) = listener(&mut stack);
    // Nobody connecting yet: accept would block.
    assert!(matches!(
        TcpFullStack::accept(&mut stack, &mut server),
        Err(nb::Error::WouldBlock)
    ));

    let mut client = connect(&mut stack, (Ipv4Addr::LOCALHOST, port).into()).unwrap();
    assert!(client.is_connected());
    // connect again to the same peer: already done, Ok.
    assert_eq!(
        TcpClientStack::connect(&mut stack, &mut client, (Ipv4Addr::LOCALHOST, port).into()),
        Ok(())
    );

    let listener_fd = dup(server.as_socket());
    let (mut conn, peer) = block(listener_fd.as_ref(), Interest::IN, || {
        TcpFullStack::accept(&mut stack, &mut server)
    })
    .unwrap();
    // The dual-stack listener reports an IPv4 peer as IPv4.
    assert_eq!(peer, client.local_addr().unwrap());
    assert_eq!(peer.ip(), IpAddr::V4(Ipv4Addr::LOCALHOST));

    let mut buf = [0u8; 16];
    // Nothing sent yet: receive would block.
    assert!(matches!(
        TcpClientStack::receive(&mut stack, &mut conn, &mut buf),
        Err(nb::Error::WouldBlock)
    ));
    no_alloc("embedded-nal tcp send/receive", || {
        assert_eq!(
            TcpClientStack::send(&mut stack, &mut client, b"hello").unwrap(),
            5
        );
        let conn_fd = dup(conn.as_socket());
        let n = block(conn_fd.as_ref(), Interest::IN, || {
            TcpClientStack::receive(&mut stack, &mut conn, &mut buf)
        })
        .unwrap();
        assert_eq!(&buf[..n], b"hello");
    });

    // End of stream: Ok(0).
    TcpClientStack::close(&mut stack, client).unwrap();
    let conn_fd = dup(conn.as_socket());
    let n = block(conn_fd.as_ref(), Interest::IN, || {
        TcpClientStack::receive(&mut stack, &mut conn, &mut buf)
    })
    .unwrap();
    assert_eq!(n, 0);
    TcpClientStack::close(&mut stack, conn).unwrap();
    TcpClientStack::close(&mut stack, server).unwrap();
}

#[test]
fn tcp_over_ipv6() {
    let mut stack = Stack::new();
    let (mut server, port) = listener(&mut stack);
    let Ok(client) = connect(&mut stack, (Ipv6Addr::LOCALHOST, port).into()) else {
        crate::common::skip("no IPv6 loopback");
        return;
    };
    let fd = dup(server.as_socket());
    let (_conn, peer) = block(fd.as_ref(), Interest::IN, || {
        TcpFullStack::accept(&mut stack, &mut server)
    })
    .unwrap();
    assert_eq!(peer, client.local_addr().unwrap());
    assert!(peer.is_ipv6());
}

#[test]
fn tcp_refused() {
    let mut stack = Stack::new();
    let (server, port) = listener(&mut stack);
    // Closed everywhere: also in a child another test thread (a broker's
    // start) forked while it was open (`common::procs`).
    let inode = procs::inode(server.as_socket().unwrap());
    TcpClientStack::close(&mut stack, server).unwrap();
    procs::await_release(inode, BOUND);
    let err = connect(&mut stack, (Ipv4Addr::LOCALHOST, port).into()).unwrap_err();
    assert_eq!(err, Error::Os(Errno::CONNREFUSED));
    assert_eq!(
        embedded_io::Error::kind(&err),
        embedded_io::ErrorKind::ConnectionRefused
    );
    assert_eq!(TcpError::kind(&err), TcpErrorKind::Other);
}

#[test]
fn tcp_failed_connect_leaves_the_socket_fresh() {
    let mut stack = Stack::new();
    let (server, port) = listener(&mut stack);
    let addr: SocketAddr = (Ipv4Addr::LOCALHOST, port).into();
    TcpClientStack::close(&mut stack, server).unwrap();
    let mut client = TcpClientStack::socket(&mut stack).unwrap();
    let err = block(None, Interest::OUT, || {
        TcpClientStack::connect(&mut stack, &mut client, addr)
    });
    // Whether the refusal came at once or through SO_ERROR, it is reported…
    if err.is_ok() {
        // (cannot be: nothing listens)
        panic!("connected to a closed port");
    }
    assert!(client.as_socket().is_none(), "…and the socket is fresh again");
    // …so the same TcpSocket connects once a server is there.
    let (mut server, port) = listener(&mut stack);
    let addr: SocketAddr = (Ipv4Addr::LOCALHOST, port).into();
    let end = deadline();
    loop {
        match TcpClientStack::connect(&mut stack, &mut client, addr) {
            Ok(()) => break,
            Err(nb::Error::WouldBlock) => {
                assert!(std::time::Instant::now() < end);
                client
                    .as_socket()
                    .unwrap()
                    .wait(Interest::OUT, Some(BOUND))
                    .unwrap();
            }
            Err(nb::Error::Other(e)) => panic!("{e:?}"),
        }
    }
    let fd = dup(server.as_socket());
    block(fd.as_ref(), Interest::IN, || {
        TcpFullStack::accept(&mut stack, &mut server)
    })
    .unwrap();
}

#[test]
fn tcp_reset_is_pipe_closed() {
    let mut stack = Stack::new();
    let (mut server, port) = listener(&mut stack);
    let mut client = connect(&mut stack, (Ipv4Addr::LOCALHOST, port).into()).unwrap();
    let fd = dup(server.as_socket());
    let (conn, _) = block(fd.as_ref(), Interest::IN, || {
        TcpFullStack::accept(&mut stack, &mut server)
    })
    .unwrap();
    conn.as_socket()
        .unwrap()
        .set_linger(Some(std::time::Duration::ZERO))
        .unwrap();
    TcpClientStack::close(&mut stack, conn).unwrap(); // RST
    client
        .as_socket()
        .unwrap()
        .wait(Interest::IN, Some(BOUND))
        .unwrap();
    let mut buf = [0u8; 4];
    let err = match TcpClientStack::receive(&mut stack, &mut client, &mut buf) {
        Err(nb::Error::Other(e)) => e,
        other => panic!("{other:?}"),
    };
    assert_eq!(err, Error::Os(Errno::CONNRESET));
    assert_eq!(TcpError::kind(&err), TcpErrorKind::PipeClosed);
    let err = match TcpClientStack::send(&mut stack, &mut client, b"x") {
        Err(nb::Error::Other(e)) => e,
        other => panic!("{other:?}"),
    };
    assert_eq!(err, Error::Os(Errno::PIPE));
    assert_eq!(TcpError::kind(&err), TcpErrorKind::PipeClosed);
}

#[test]
fn tcp_calls_out_of_order() {
    let mut stack = Stack::new();
    let mut fresh = TcpClientStack::socket(&mut stack).unwrap();
    let mut buf = [0u8; 4];
    assert_eq!(
        TcpClientStack::send(&mut stack, &mut fresh, b"x"),
        Err(nb::Error::Other(Error::Os(Errno::NOTCONN)))
    );
    assert_eq!(
        TcpClientStack::receive(&mut stack, &mut fresh, &mut buf),
        Err(nb::Error::Other(Error::Os(Errno::NOTCONN)))
    );
    assert!(matches!(
        TcpFullStack::accept(&mut stack, &mut fresh),
        Err(nb::Error::Other(Error::Os(Errno::INVAL)))
    ));
    assert_eq!(fresh.local_addr(), Err(Errno::NOTCONN));
    TcpClientStack::close(&mut stack, fresh).unwrap();
}

#[test]
fn udp_bind_send_to_receive_connect_send() {
    let mut stack = Stack::new();
    let mut server = UdpClientStack::socket(&mut stack).unwrap();
    UdpFullStack::bind(&mut stack, &mut server, 0).unwrap();
    let port = server.local_addr().unwrap().port();
    let mut buf = [0u8; 16];
    assert!(matches!(
        UdpClientStack::receive(&mut stack, &mut server, &mut buf),
        Err(nb::Error::WouldBlock)
    ));

    let mut client = UdpClientStack::socket(&mut stack).unwrap();
    let to: SocketAddr = (Ipv4Addr::LOCALHOST, port).into();
    no_alloc("embedded-nal udp", || {
        stack.send_to(&mut client, to, b"one").unwrap();
        let fd = dup(server.as_socket());
        let (n, from) = block(fd.as_ref(), Interest::IN, || {
            UdpClientStack::receive(&mut stack, &mut server, &mut buf)
        })
        .unwrap();
        assert_eq!(&buf[..n], b"one");
        // (the client's socket is unbound: its address is 0.0.0.0:port)
        assert_eq!(
            from,
            SocketAddr::from((Ipv4Addr::LOCALHOST, client.local_addr().unwrap().port()))
        );
        // The reply goes back to the IPv4 sender through the dual-stack socket.
        stack.send_to(&mut server, from, b"two").unwrap();
        let fd = dup(client.as_socket());
        let (n, from) = block(fd.as_ref(), Interest::IN, || {
            UdpClientStack::receive(&mut stack, &mut client, &mut buf)
        })
        .unwrap();
        assert_eq!(&buf[..n], b"two");
        assert_eq!(from, to);
    });

    let mut connected = UdpClientStack::socket(&mut stack).unwrap();
    UdpClientStack::connect(&mut stack, &mut connected, to).unwrap();
    UdpClientStack::send(&mut stack, &mut connected, b"three").unwrap();
    let fd = dup(server.as_socket());
    let (n, _) = block(fd.as_ref(), Interest::IN, || {
        UdpClientStack::receive(&mut stack, &mut server, &mut buf)
    })
    .unwrap();
    assert_eq!(&buf[..n], b"three");
    UdpClientStack::close(&mut stack, connected).unwrap();
    UdpClientStack::close(&mut stack, client).unwrap();
    UdpClientStack::close(&mut stack, server).unwrap();
}

#[test]
fn udp_refused_and_out_of_order() {
    let mut stack = Stack::new();
    let mut fresh = UdpClientStack::socket(&mut stack).unwrap();
    assert_eq!(
        UdpClientStack::send(&mut stack, &mut fresh, b"x"),
        Err(nb::Error::Other(Error::Os(Errno::DESTADDRREQ)))
    );
    // A connected UDP socket learns of the closed port from the ICMP
    // port-unreachable: ECONNREFUSED on the next receive.
    let mut gone = UdpClientStack::socket(&mut stack).unwrap();
    UdpFullStack::bind(&mut stack, &mut gone, 0).unwrap();
    let port = gone.local_addr().unwrap().port();
    // A copy in a child forked meanwhile would take the datagram: no ICMP.
    let inode = procs::inode(gone.as_socket().unwrap());
    UdpClientStack::close(&mut stack, gone).unwrap();
    procs::await_release(inode, BOUND);
    UdpClientStack::connect(&mut stack, &mut fresh, (Ipv4Addr::LOCALHOST, port).into()).unwrap();
    UdpClientStack::send(&mut stack, &mut fresh, b"anyone?").unwrap();
    let mut buf = [0u8; 8];
    let fd = dup(fresh.as_socket());
    let err = block(fd.as_ref(), Interest::IN, || {
        UdpClientStack::receive(&mut stack, &mut fresh, &mut buf)
    })
    .unwrap_err();
    assert_eq!(err, Error::Os(Errno::CONNREFUSED));
    assert_eq!(
        embedded_io::Error::kind(&err),
        embedded_io::ErrorKind::ConnectionRefused
    );
    // Binding twice is EINVAL.
    let mut bound = UdpClientStack::socket(&mut stack).unwrap();
    UdpFullStack::bind(&mut stack, &mut bound, 0).unwrap();
    assert_eq!(
        UdpFullStack::bind(&mut stack, &mut bound, 0),
        Err(Error::Os(Errno::INVAL))
    );
}

/// A resolver that reads only a hosts file of the test's own (never a
/// name server).
pub(crate) fn files_resolver(dir: &std::path::Path) -> Resolver<'static> {
    let hosts = dir.join("hosts");
    std::fs::write(
        &hosts,
        "127.0.0.42 zerosock-nal.test nal-alias
::1 zerosock-nal6.test
127.0.0.43 a-very-long-name-for-the-small-buffer.test\n",
    )
    .unwrap();
    let hosts: &'static std::ffi::CStr =
        Box::leak(CString::new(hosts.to_str().unwrap()).unwrap().into_boxed_c_str());
    let paths = Paths {
        hosts,
        ..Paths::SYSTEM
    };
    Resolver::new(
        ResolvConf::with_nameservers(&[]),
        HostSources::parse(b"hosts: files\n"),
        paths,
    )
}

#[test]
fn dns_on_the_resolver() {
    let dir = std::env::temp_dir().join(format!("zerosock-nal-dns-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut stack = Stack::with_resolver(files_resolver(&dir));
    assert_eq!(
        stack.get_host_by_name("zerosock-nal.test", AddrType::IPv4),
        Ok(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 42)))
    );
    assert_eq!(
        stack.get_host_by_name("zerosock-nal6.test", AddrType::IPv6),
        Ok(IpAddr::V6(Ipv6Addr::LOCALHOST))
    );
    let either = stack
        .get_host_by_name("zerosock-nal.test", AddrType::Either)
        .unwrap();
    assert_eq!(either, IpAddr::V4(Ipv4Addr::new(127, 0, 0, 42)));
    // No IPv6 address for it: an error.
    assert!(matches!(
        stack.get_host_by_name("zerosock-nal.test", AddrType::IPv6),
        Err(nb::Error::Other(Error::Name(_)))
    ));
    // A literal address resolves to itself.
    assert_eq!(
        stack.get_host_by_name("127.0.0.7", AddrType::IPv4),
        Ok(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 7)))
    );
    // Not there: an error (never WouldBlock), NotFound.
    match stack.get_host_by_name("missing.test", AddrType::IPv4) {
        Err(nb::Error::Other(e)) => assert_eq!(
            embedded_io::Error::kind(&e),
            embedded_io::ErrorKind::NotFound,
            "{e:?}"
        ),
        other => panic!("{other:?}"),
    }

    let mut name = [0u8; 64];
    let n = stack
        .get_host_by_address(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 42)), &mut name)
        .unwrap();
    assert_eq!(&name[..n], b"zerosock-nal.test");
    let mut small = [0u8; 8];
    assert_eq!(
        stack.get_host_by_address(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 43)), &mut small),
        Err(nb::Error::Other(Error::Name(GaiError::Overflow)))
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
