//! `EADDRINUSE`: a port held by a listener or a bound socket, and a port in
//! `TIME_WAIT` with and without its cure `SO_REUSEADDR`.

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};

use crate::common::sock::tcp;
use crate::common::{eventually, procs};
use zerosock::opt::TcpState;
use zerosock::{Domain, Errno, Protocol, Socket, TcpListener, Type, UdpSocket};

use crate::common::retry_eintr;
use crate::{BOUND, LOCALHOST, has_v6, state, states_on_port};

/// Puts the listening side's port into TIME_WAIT: the server accepts, then
/// closes first (active close), and the listener is closed too. The
/// listener (and so the accepted socket, which inherits it) has
/// `SO_REUSEADDR` if `reuse` is set.
fn port_in_time_wait(reuse: bool) -> SocketAddr {
    let l = tcp();
    if reuse {
        l.set_reuse_address(true).unwrap();
    }
    l.bind(&LOCALHOST).unwrap();
    l.listen(8).unwrap();
    let addr = l.local_addr().unwrap().socket_addr().unwrap();
    let client = tcp();
    client.connect(&addr).unwrap();
    let (server, _) = l.accept().unwrap();
    drop(l);
    drop(server); // FIN from the server side: it will be the one in TIME_WAIT
    let mut buf = [0u8; 1];
    client.set_read_timeout(Some(BOUND)).unwrap();
    assert_eq!(retry_eintr(BOUND, || client.read(&mut buf)), Ok(0));
    drop(client); // the client's FIN completes the server side's close
    assert!(
        eventually(BOUND, || states_on_port(addr.port()) == [TcpState::TimeWait]),
        "port {} not in TIME_WAIT alone: {:?}",
        addr.port(),
        states_on_port(addr.port())
    );
    addr
}

/// Binds a new socket to `addr`, with `SO_REUSEADDR` if `reuse`.
fn bind_again(addr: SocketAddr, reuse: bool) -> (Socket, Result<(), Errno>) {
    let s = tcp();
    if reuse {
        s.set_reuse_address(true).unwrap();
    }
    let r = s.bind(&addr);
    (s, r)
}

#[test]
fn bind_during_time_wait_gives_eaddrinuse_unless_so_reuseaddr() {
    // Linux lets a bind share the port with a TIME_WAIT socket only if both
    // have SO_REUSEADDR: the new socket, and the old one (inherited from
    // its listener). That is why servers set it on every listener.
    for (old, new, expected) in [
        (false, false, Err(Errno::ADDRINUSE)),
        (false, true, Err(Errno::ADDRINUSE)),
        (true, false, Err(Errno::ADDRINUSE)),
        (true, true, Ok(())),
    ] {
        let addr = port_in_time_wait(old);
        let (s, r) = bind_again(addr, new);
        assert_eq!(
            r, expected,
            "old listener SO_REUSEADDR {old}, new socket SO_REUSEADDR {new}"
        );
        if r.is_ok() {
            s.listen(1).unwrap();
            // The port still shows its TIME_WAIT entry next to the new
            // listener (10 = LISTEN).
            let states = states_on_port(addr.port());
            assert!(
                states.contains(&TcpState::TimeWait) && states.contains(&TcpState::Listen),
                "{states:?}"
            );
            // And the reborn listener works.
            let c = tcp();
            c.connect(&addr).unwrap();
            let (accepted, _) = s.accept().unwrap();
            assert_eq!(state(&accepted), TcpState::Established);
        }
    }

    // TcpListener::bind sets SO_REUSEADDR, as std does: a restarted
    // server binds over the TIME_WAIT its previous run left.
    let addr = port_in_time_wait(true);
    let reborn = TcpListener::bind(addr).unwrap();
    assert_eq!(reborn.local_addr(), Ok(addr));
}

#[test]
fn second_listener_on_same_port_is_eaddrinuse() {
    let first = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let addr = first.local_addr().unwrap();
    // Both set SO_REUSEADDR, neither SO_REUSEPORT: a listening port is taken.
    assert_eq!(TcpListener::bind(addr).err(), Some(Errno::ADDRINUSE.into()));

    // The same with a plain socket and no options at all.
    let plain = Socket::new(Domain::INET, Type::STREAM, Protocol::TCP).unwrap();
    assert_eq!(plain.bind(&addr), Err(Errno::ADDRINUSE));

    // UDP too.
    let udp = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    assert_eq!(
        UdpSocket::bind(udp.local_addr().unwrap()).err(),
        Some(Errno::ADDRINUSE.into())
    );

    if has_v6() {
        let first6 = TcpListener::bind((Ipv6Addr::LOCALHOST, 0)).unwrap();
        assert_eq!(
            TcpListener::bind(first6.local_addr().unwrap()).err(),
            Some(Errno::ADDRINUSE.into())
        );
    }

    // Once the first is closed, the port is free again (no TIME_WAIT: it
    // never had a connection): once closed everywhere, that is, also in a
    // child another test thread forked while it was open.
    let inode = procs::inode(&first);
    first.close().unwrap();
    procs::await_release(inode, BOUND);
    TcpListener::bind(addr).unwrap();
}
