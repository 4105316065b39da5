//! `ECONNREFUSED`: TCP (v4 and v6, every connect path), Unix paths and
//! abstract names, and connected UDP after a port-unreachable.

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddrV4};
use std::time::Duration;

use crate::common::procs;
use crate::common::sock::tcp;
use zerosock::poll::{Interest, Ready};
use zerosock::{
    Backoff, Domain, Errno, Error, Protocol, Socket, TcpListener, TcpStream, Type, connect_retry,
};

use crate::{BOUND, LOCALHOST, has_v6};

#[test]
fn connect_to_a_port_nobody_listens_on_gives_econnrefused() {
    // A bound socket that never listens holds the port, so nothing else can
    // take it, and answers SYNs with RST.
    let holder = tcp();
    holder.bind(&LOCALHOST).unwrap();
    let addr = holder.local_addr().unwrap();

    assert_eq!(tcp().connect(&addr), Err(Errno::CONNREFUSED));
    let ip = addr.socket_addr().unwrap();
    assert_eq!(TcpStream::connect(ip).err(), Some(Errno::CONNREFUSED.into()));
    // The conveniences report the kernel's error as it is.
    assert_eq!(
        tcp().connect_timeout(&addr, BOUND),
        Err(Error::Os(Errno::CONNREFUSED))
    );
    assert_eq!(
        TcpStream::connect_timeout(&ip, BOUND).err(),
        Some(Error::Os(Errno::CONNREFUSED))
    );
    // connect_retry: every try refused, on a fresh socket each time; the
    // last error comes back.
    let quick = Backoff {
        first: Duration::from_millis(1),
        max_delay: Duration::from_millis(4),
        max_tries: 3,
        try_timeout: Some(BOUND),
    };
    let mut fresh = Vec::new();
    let result = connect_retry(&addr, &quick, |n| {
        let s = tcp();
        fresh.push((n, s.inode().unwrap()));
        Ok(s)
    });
    assert_eq!(result.err(), Some(Error::Os(Errno::CONNREFUSED)));
    assert_eq!(fresh.iter().map(|&(n, _)| n).collect::<Vec<_>>(), [1, 2, 3]);
    assert!(
        fresh[0].1 != fresh[1].1 && fresh[1].1 != fresh[2].1,
        "a fresh socket per try"
    );

    // IPv6 too: a listener's port, closed a moment ago. A child another
    // test thread was starting when `gone` was open holds a copy of it
    // until it execs, and that copy would accept: wait until none does.
    if has_v6() {
        let gone = TcpListener::bind((Ipv6Addr::LOCALHOST, 0)).unwrap();
        let addr6 = gone.local_addr().unwrap();
        let inode = procs::inode(&gone);
        gone.close().unwrap();
        procs::await_release(inode, BOUND);
        assert_eq!(TcpStream::connect(addr6).err(), Some(Errno::CONNREFUSED.into()));
    }

    // Non-blocking: EINPROGRESS, then the error arrives in SO_ERROR.
    let s = Socket::new_nonblocking(Domain::INET, Type::STREAM, Protocol::TCP).unwrap();
    match s.connect(&addr) {
        Err(Errno::INPROGRESS) => {
            let ready = s.wait(Interest::OUT, Some(BOUND)).unwrap();
            assert!(ready.contains(Ready::OUT), "{ready:?}");
            assert_eq!(s.take_error(), Ok(Some(Errno::CONNREFUSED)));
            assert_eq!(s.take_error(), Ok(None), "SO_ERROR is cleared by reading it");
        }
        other => assert_eq!(other, Err(Errno::CONNREFUSED)),
    }

    // Connected UDP: the ICMP port-unreachable comes back as ECONNREFUSED
    // on the next call. The port is held by a UDP socket connected
    // elsewhere, which takes no datagram from us, so the kernel answers
    // with port-unreachable and no other process can take the port.
    let udp_holder = Socket::new(Domain::INET, Type::DGRAM, Protocol::UDP).unwrap();
    udp_holder.bind(&LOCALHOST).unwrap();
    udp_holder
        .connect(&SocketAddrV4::new(Ipv4Addr::LOCALHOST, 9))
        .unwrap();
    let udp_addr = udp_holder.local_addr().unwrap();
    let u = Socket::new(Domain::INET, Type::DGRAM, Protocol::UDP).unwrap();
    u.connect(&udp_addr).unwrap();
    u.set_read_timeout(Some(BOUND)).unwrap();
    assert_eq!(u.send(b"anyone?"), Ok(7));
    let mut buf = [0u8; 8];
    assert_eq!(u.recv(&mut buf), Err(Errno::CONNREFUSED));
    // Reported once: the next send goes out again.
    assert_eq!(u.send(b"anyone?"), Ok(7));
}

#[test]
fn connect_to_a_unix_path_nobody_listens_on_gives_econnrefused() {
    let dir = std::env::temp_dir().join(format!("zs-refused-{}", std::process::id()));
    let _ = std::fs::create_dir(&dir);
    let path = dir.join("sock");
    let _ = std::fs::remove_file(&path);
    let addr = zerosock::addr::UnixAddr::new(path.as_os_str().as_encoded_bytes()).unwrap();
    let bound = Socket::new(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap();
    bound.bind(&addr).unwrap(); // bound, never listening
    let c = Socket::new(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap();
    assert_eq!(c.connect(&addr), Err(Errno::CONNREFUSED));
    drop(bound);
    // The file outlives the socket: still refused, not ENOENT.
    assert_eq!(c.connect(&addr), Err(Errno::CONNREFUSED));
    std::fs::remove_file(&path).unwrap();
    let c = Socket::new(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap();
    assert_eq!(c.connect(&addr), Err(Errno::NOENT));
    let _ = std::fs::remove_dir(&dir);
    // Abstract names vanish with their socket: refused.
    let name = format!("zs-refused-{}", std::process::id());
    let abs = zerosock::addr::UnixAddr::new_abstract(name.as_bytes()).unwrap();
    assert_eq!(c.connect(&abs), Err(Errno::CONNREFUSED));
}
