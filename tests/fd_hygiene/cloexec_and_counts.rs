//! Fd hygiene: every fd zerosock creates carries `FD_CLOEXEC` (so none leaks
//! into a child across exec), and no sequence of calls — 100,000
//! accept/close cycles, failing calls, truncated `SCM_RIGHTS` messages —
//! changes the process's open-fd count.
//!
//! The tests count `/proc/self/fd`, so they take the binary's one lock
//! ([`crate::serial`]) and never run concurrently with each other.

use std::collections::BTreeSet;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4};
use std::os::fd::{AsFd, AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::time::{Duration, Instant};

use crate::common::msg::recv_into;
use crate::common::{has_cloexec, has_cloexec_raw, open_fd_count};
use crate::serial;
use zerosock::addr::{SockAddr, UnixAddr};
use zerosock::msg::{CmsgBuffer, CmsgEncoder, FdVec, RecvBatch, cmsg_len, cmsg_space};
use zerosock::proc::{InetEntries, InetTable, Process};
use zerosock::{
    Backoff, Domain, Errno, Error, IoSlice, IoSliceMut, MsgFlags, Protocol, Socket, TcpListener, TcpStream,
    Type, UdpSocket, UnixDatagram, UnixListener, UnixSeqpacket, UnixSeqpacketListener, UnixStream,
};

const LOCALHOST: SocketAddrV4 = SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0);

/// The fd numbers open in this process now.
fn open_fds() -> BTreeSet<RawFd> {
    let dir = std::fs::read_dir("/proc/self/fd").unwrap();
    let all: BTreeSet<RawFd> = dir
        .map(|e| e.unwrap().file_name().to_str().unwrap().parse().unwrap())
        .collect();
    // read_dir's own fd is closed again by now: keep only what is still open.
    all.into_iter()
        .filter(|&fd| unsafe { libc::fcntl(fd, libc::F_GETFD) } >= 0)
        .collect()
}

/// A unique abstract Unix address for this process.
fn abstract_addr(tag: &str) -> UnixAddr {
    UnixAddr::new_abstract(format!("zerosock-fd-hygiene-{}-{tag}", std::process::id()).as_bytes()).unwrap()
}

/// An fd without `FD_CLOEXEC`, made outside zerosock, to be passed with
/// `SCM_RIGHTS`: what arrives must have the flag anyway.
fn fd_without_cloexec() -> OwnedFd {
    // SAFETY: plain socket(2) without SOCK_CLOEXEC; the fd is ours.
    let raw = unsafe { libc::socket(libc::AF_UNIX, libc::SOCK_STREAM, 0) };
    assert!(raw >= 0);
    let fd = unsafe { OwnedFd::from_raw_fd(raw) };
    assert!(!has_cloexec(&fd));
    fd
}

/// Sends `fds` over `tx` with one data byte.
fn send_fds(tx: &Socket, fds: &[std::os::fd::BorrowedFd<'_>]) {
    let mut space = CmsgBuffer::<{ cmsg_space(4 * 16) }>::new();
    let mut cmsg = CmsgEncoder::new(&mut space);
    cmsg.rights(fds).unwrap();
    assert_eq!(
        tx.send_msg(&[IoSlice::new(b"F")], cmsg.control(), MsgFlags::NONE),
        Ok(1)
    );
}

#[test]
fn every_fd_the_crate_creates_has_cloexec() {
    let _serial = serial();
    let before = open_fds();
    let mut made: Vec<(String, OwnedFd)> = Vec::new();
    let mut keep = |name: &str, fd: OwnedFd| made.push((name.to_owned(), fd));

    // Socket: every domain and type, blocking or not.
    for domain in [Domain::INET, Domain::INET6, Domain::UNIX] {
        for ty in [Type::STREAM, Type::DGRAM, Type::SEQPACKET] {
            if domain != Domain::UNIX && ty == Type::SEQPACKET {
                continue;
            }
            let s = Socket::new(domain, ty, Protocol::DEFAULT).unwrap();
            keep(&format!("Socket::new({domain:?}, {ty:?})"), s.into());
            let s = Socket::new_nonblocking(domain, ty, Protocol::DEFAULT).unwrap();
            keep(&format!("Socket::new_nonblocking({domain:?}, {ty:?})"), s.into());
        }
    }
    match Socket::new(Domain::INET, Type::RAW, Protocol::ICMP) {
        Ok(s) => keep("Socket::new(INET, RAW)", s.into()),
        Err(e) => crate::common::skip(&format!("raw socket not permitted ({e}); SOCK_RAW not checked")),
    }
    for ty in [Type::STREAM, Type::DGRAM, Type::SEQPACKET] {
        let (a, b) = Socket::pair(Domain::UNIX, ty, Protocol::DEFAULT).unwrap();
        keep(&format!("Socket::pair({ty:?}).0"), a.into());
        keep(&format!("Socket::pair({ty:?}).1"), b.into());
    }

    // accept, in every form, and try_clone.
    let l = Socket::new(Domain::INET, Type::STREAM, Protocol::TCP).unwrap();
    l.bind(&LOCALHOST).unwrap();
    l.listen(8).unwrap();
    let addr = l.local_addr().unwrap();
    let mut clients = Vec::new();
    for _ in 0..3 {
        let c = Socket::new(Domain::INET, Type::STREAM, Protocol::TCP).unwrap();
        c.connect(&addr).unwrap();
        clients.push(c);
    }
    keep("Socket::accept", l.accept().unwrap().0.into());
    keep(
        "Socket::accept_into(None, nonblocking)",
        l.accept_into(None, true).unwrap().into(),
    );
    let mut peer = SockAddr::EMPTY;
    keep(
        "Socket::accept_into(Some, blocking)",
        l.accept_into(Some(&mut peer), false).unwrap().into(),
    );
    keep("Socket::try_clone", l.try_clone().unwrap().into());
    for c in clients {
        keep("connected client", c.into());
    }
    keep("listener", l.into());

    // The typed sockets.
    let tl = TcpListener::bind(SocketAddr::V4(LOCALHOST)).unwrap();
    let taddr = tl.local_addr().unwrap();
    let ts = TcpStream::connect(taddr).unwrap();
    keep("TcpListener::accept", tl.accept().unwrap().0.into());
    keep("TcpStream::try_clone", ts.try_clone().unwrap().into());
    keep("TcpListener::try_clone", tl.try_clone().unwrap().into());
    keep("TcpStream::connect", ts.into());
    keep("TcpListener::bind", tl.into());
    let tl6 = TcpListener::bind(SocketAddr::from((Ipv6Addr::LOCALHOST, 0))).unwrap();
    keep(
        "TcpStream::connect v6",
        TcpStream::connect(tl6.local_addr().unwrap()).unwrap().into(),
    );
    keep("TcpListener::bind v6", tl6.into());
    let u = UdpSocket::bind(SocketAddr::V4(LOCALHOST)).unwrap();
    keep("UdpSocket::try_clone", u.try_clone().unwrap().into());
    keep("UdpSocket::bind", u.into());

    let ul = UnixListener::bind(&abstract_addr("cloexec")).unwrap();
    let us = UnixStream::connect(&abstract_addr("cloexec")).unwrap();
    keep("UnixListener::accept", ul.accept().unwrap().0.into());
    keep("UnixStream::connect", us.into());
    keep("UnixListener::bind", ul.into());
    let (a, b) = UnixStream::pair().unwrap();
    keep("UnixStream::pair.0", a.into());
    keep("UnixStream::pair.1", b.into());
    let sl = UnixSeqpacketListener::bind(&abstract_addr("cloexec-seq")).unwrap();
    let sc = UnixSeqpacket::connect(&abstract_addr("cloexec-seq")).unwrap();
    keep("UnixSeqpacketListener::accept", sl.accept().unwrap().0.into());
    keep("UnixSeqpacket::connect", sc.into());
    keep("UnixSeqpacketListener::bind", sl.into());
    let (a, b) = UnixSeqpacket::pair().unwrap();
    keep("UnixSeqpacket::pair.0", a.into());
    keep("UnixSeqpacket::pair.1", b.into());
    keep(
        "UnixDatagram::bind",
        UnixDatagram::bind(&abstract_addr("cloexec-dgram"))
            .unwrap()
            .into(),
    );
    keep("UnixDatagram::unbound", UnixDatagram::unbound().unwrap().into());
    let (a, b) = UnixDatagram::pair().unwrap();
    keep("UnixDatagram::pair.0", a.into());
    keep("UnixDatagram::pair.1", b.into());

    // fds received with SCM_RIGHTS get FD_CLOEXEC (MSG_CMSG_CLOEXEC),
    // whatever the sender's fd had.
    for ty in [Type::STREAM, Type::DGRAM, Type::SEQPACKET] {
        let (tx, rx) = Socket::pair(Domain::UNIX, ty, Protocol::DEFAULT).unwrap();
        let plain = fd_without_cloexec();
        send_fds(&tx, &[plain.as_fd(), plain.as_fd()]);
        let mut buf = [0u8; 1];
        let mut control = CmsgBuffer::<{ cmsg_space(8) }>::new();
        let mut fds = FdVec::<2>::new();
        let msg = recv_into(&rx, &mut buf, &mut control, Some(&mut fds), MsgFlags::NONE);
        assert_eq!((msg.bytes, fds.len(), msg.fds_closed), (1, 2, 0));
        for (i, fd) in fds.into_iter().enumerate() {
            keep(&format!("recv_msg SCM_RIGHTS ({ty:?}) #{i}"), fd);
        }
    }

    // Sockets made by the connect conveniences.
    let tl = TcpListener::bind(SocketAddr::V4(LOCALHOST)).unwrap();
    let taddr = tl.local_addr().unwrap();
    keep(
        "TcpStream::connect_timeout",
        TcpStream::connect_timeout(&taddr, Duration::from_secs(10))
            .unwrap()
            .into(),
    );
    keep(
        "TcpStream::connect_retry",
        TcpStream::connect_retry(taddr, &ONCE).unwrap().into(),
    );
    let mut tries = 0;
    let retried = zerosock::connect_retry(&taddr, &ONCE, |_| {
        tries += 1;
        Socket::new(Domain::INET, Type::STREAM, Protocol::TCP)
    });
    keep("connect_retry", retried.unwrap().into());
    keep("accepted", tl.accept().unwrap().0.into());

    // fds received by the typed shortcut.
    let (p, q) = UnixStream::pair().unwrap();
    let plain = fd_without_cloexec();
    p.send_fds(b"f", &[plain.as_fd()]).unwrap();
    let mut fds = FdVec::<1>::new();
    q.recv_fds(&mut [0u8; 1], &mut fds).unwrap();
    keep("UnixStream::recv_fds", fds.pop().unwrap());
    drop(plain); // the sender's copy, made without FD_CLOEXEC on purpose

    for (name, fd) in &made {
        assert!(has_cloexec(fd), "{name}: fd {} lacks FD_CLOEXEC", fd.as_raw_fd());
    }

    // The /proc readers open files: those too, while they are open.
    let mut buf = [0u8; 4096];
    let with_reader = open_fds();
    let entries = InetEntries::open(Process::Current, InetTable::Tcp, &mut buf).unwrap();
    let reader_fds: Vec<RawFd> = open_fds().difference(&with_reader).copied().collect();
    assert_eq!(reader_fds.len(), 1, "InetEntries holds one fd");
    assert!(has_cloexec_raw(reader_fds[0]), "InetEntries' fd lacks FD_CLOEXEC");
    drop(entries);

    // Nothing new in the process lacks the flag (a whole-process sweep,
    // which would catch an fd the list above forgot).
    let new: Vec<RawFd> = open_fds().difference(&before).copied().collect();
    assert!(new.len() >= made.len());
    for fd in &new {
        assert!(
            has_cloexec_raw(*fd),
            "fd {fd} (new since the test began) lacks FD_CLOEXEC"
        );
    }

    // And so a child started now inherits none of them.
    let out = std::process::Command::new("ls")
        .args(["-l", "/proc/self/fd"])
        .output();
    match out {
        Ok(out) => {
            let listing = String::from_utf8_lossy(&out.stdout);
            let inherited = listing.lines().filter(|l| l.contains("socket:[")).count();
            let sockets_before = before
                .iter()
                .filter(|fd| {
                    std::fs::read_link(format!("/proc/self/fd/{fd}"))
                        .map(|t| t.to_string_lossy().starts_with("socket:") && !has_cloexec_raw(**fd))
                        .unwrap_or(false)
                })
                .count();
            assert_eq!(
                inherited, sockets_before,
                "a child inherited sockets across exec:\n{listing}"
            );
        }
        Err(e) => crate::common::skip(&format!("cannot run ls ({e}); exec inheritance not checked")),
    }
    eprintln!("{} fds made by zerosock, all FD_CLOEXEC", made.len());
}

/// Runs `cycles` iterations of `cycle`, checking every `every` cycles that
/// the open-fd count is back where it began; returns the time taken.
fn cycles_leave_count_unchanged(
    what: &str,
    cycles: usize,
    every: usize,
    mut cycle: impl FnMut(usize),
) -> Duration {
    let start_count = open_fd_count();
    let start = Instant::now();
    for i in 0..cycles {
        cycle(i);
        if (i + 1) % every == 0 {
            assert_eq!(
                open_fd_count(),
                start_count,
                "{what}: fd count changed after {} cycles",
                i + 1
            );
        }
    }
    let took = start.elapsed();
    assert_eq!(open_fd_count(), start_count, "{what}: fd count changed");
    eprintln!("{what}: {cycles} cycles in {took:.2?}, fd count {start_count} before and after");
    took
}

const CYCLES: usize = 100_000;

#[test]
fn hundred_thousand_unix_accept_close_cycles_leave_the_fd_count_unchanged() {
    let _serial = serial();
    let addr = abstract_addr("cycles");
    let listener = UnixListener::bind(&addr).unwrap();
    cycles_leave_count_unchanged("unix accept/close", CYCLES, 10_000, |i| {
        let client = UnixStream::connect(&addr).unwrap();
        let (server, _) = listener.accept().unwrap();
        if i % 2 == 0 {
            drop(client);
            drop(server);
        } else {
            // close(2) with its result, the other order.
            server.close().unwrap();
            client.close().unwrap();
        }
    });
}

#[test]
fn hundred_thousand_tcp_accept_close_cycles_leave_the_fd_count_unchanged() {
    let _serial = serial();
    let listener = TcpListener::bind(SocketAddr::V4(LOCALHOST)).unwrap();
    let addr = listener.local_addr().unwrap();
    cycles_leave_count_unchanged("tcp accept/close (SO_LINGER 0)", CYCLES, 10_000, |_| {
        let client = TcpStream::connect(addr).unwrap();
        let (server, _) = listener.accept().unwrap();
        // An abortive close (RST) leaves no TIME_WAIT behind, so 100,000
        // connections do not exhaust the ephemeral ports.
        client.as_socket().set_linger(Some(Duration::ZERO)).unwrap();
        drop(client);
        drop(server);
    });
}

#[test]
fn failing_calls_leave_the_fd_count_unchanged() {
    let _serial = serial();
    // A port bound but not listening: connects are refused.
    let holder = Socket::new(Domain::INET, Type::STREAM, Protocol::TCP).unwrap();
    holder.bind(&LOCALHOST).unwrap();
    let refused = holder.local_addr().unwrap().socket_addr().unwrap();
    let busy = TcpListener::bind(SocketAddr::V4(LOCALHOST)).unwrap();
    let busy_addr = busy.local_addr().unwrap();
    let missing = UnixAddr::new(format!("/nonexistent-zerosock-{}/sock", std::process::id())).unwrap();
    let idle = UnixListener::bind(&abstract_addr("idle")).unwrap();
    idle.set_nonblocking(true).unwrap();
    let (rx, tx) = Socket::pair(Domain::UNIX, Type::DGRAM, Protocol::DEFAULT).unwrap();
    rx.set_nonblocking(true).unwrap();
    drop(tx);

    cycles_leave_count_unchanged("failing calls", 10_000, 1_000, |_| {
        assert_eq!(TcpStream::connect(refused).err(), Some(Errno::CONNREFUSED.into()));
        // Another listener on a port in use (SO_REUSEADDR does not allow
        // two listeners).
        assert_eq!(TcpListener::bind(busy_addr).err(), Some(Errno::ADDRINUSE.into()));
        assert_eq!(UnixStream::connect(&missing).err(), Some(Errno::NOENT.into()));
        assert_eq!(
            UnixListener::bind(&abstract_addr("idle")).err(),
            Some(Errno::ADDRINUSE.into())
        );
        assert_eq!(idle.accept().err(), Some(Errno::AGAIN));
        assert_eq!(
            Socket::new(Domain::INET, Type::STREAM, Protocol::UDP).err(),
            Some(Errno::PROTONOSUPPORT)
        );
        let mut buf = [0u8; 4];
        let mut control = [0u8; 64];
        assert_eq!(
            rx.recv_msg(
                &mut [IoSliceMut::new(&mut buf)],
                &mut control,
                None,
                None,
                MsgFlags::NONE
            )
            .err(),
            Some(Errno::AGAIN)
        );
        // The conveniences that make their own sockets close them on failure.
        assert_eq!(
            TcpStream::connect_timeout(&refused, Duration::from_secs(10)).err(),
            Some(Error::Os(Errno::CONNREFUSED))
        );
        let s = Socket::new(Domain::INET, Type::STREAM, Protocol::TCP).unwrap();
        assert_eq!(
            s.connect_timeout(&refused, Duration::from_secs(10)),
            Err(Error::Os(Errno::CONNREFUSED))
        );
        assert_eq!(
            TcpStream::connect_retry(refused, &ONCE).err(),
            Some(Error::Os(Errno::CONNREFUSED))
        );
        // Input refused before any call.
        assert!(matches!(
            UnixStream::pair().unwrap().0.send_fds(b"", &[holder.as_fd()]),
            Err(Error::InvalidInput(_))
        ));
    });
}

/// One try, no sleep.
const ONCE: Backoff = Backoff {
    first: Duration::ZERO,
    max_delay: Duration::ZERO,
    max_tries: 1,
    try_timeout: Some(Duration::from_secs(10)),
};

#[test]
fn truncated_scm_rights_messages_leave_the_fd_count_unchanged() {
    let _serial = serial();
    if crate::common::emulation::gap("SCM_RIGHTS fds beyond the buffer") {
        return;
    }
    // One fd to pass many times over.
    let (passed, _other) = Socket::pair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap();
    let three = [passed.as_fd(), passed.as_fd(), passed.as_fd()];

    for ty in [Type::STREAM, Type::DGRAM, Type::SEQPACKET] {
        let (tx, rx) = Socket::pair(Domain::UNIX, ty, Protocol::DEFAULT).unwrap();
        cycles_leave_count_unchanged(&format!("SCM_RIGHTS truncation ({ty:?})"), 2_000, 200, |_| {
            let mut buf = [0u8; 1];

            // 1. The control buffer holds one fd of three
            //    (`CMSG_LEN(sizeof(int))` bytes): the kernel installs one and
            //    discards two (MSG_CTRUNC); the one is closed because no
            //    container was given.
            send_fds(&tx, &three);
            let mut control = CmsgBuffer::<{ cmsg_space(4) }>::new();
            let msg = recv_into(&rx, &mut buf, &mut control[..cmsg_len(4)], None, MsgFlags::NONE);
            assert!(msg.is_control_truncated());
            assert_eq!(msg.fds_closed, 1);

            // 1b. `CMSG_SPACE(sizeof(int))` has 4 bytes of padding, room
            //     for a second fd: the kernel fills it (fdmax is computed
            //     from the buffer's length), so two arrive.
            send_fds(&tx, &three);
            let msg = recv_into(&rx, &mut buf, &mut control, None, MsgFlags::NONE);
            assert!(msg.is_control_truncated());
            // Two on 64-bit targets; on 32-bit ones CMSG_SPACE has no padding.
            assert_eq!(msg.fds_closed, 1 + (cmsg_space(4) - cmsg_len(4)) / 4);

            // 2. Room for all three in the control buffer, but a container
            //    of one: one kept (then dropped), two closed.
            send_fds(&tx, &three);
            let mut control = CmsgBuffer::<{ cmsg_space(12) }>::new();
            let mut fds = FdVec::<1>::new();
            let msg = recv_into(&rx, &mut buf, &mut control, Some(&mut fds), MsgFlags::NONE);
            assert!(!msg.is_control_truncated());
            assert_eq!((fds.len(), msg.fds_closed), (1, 2));
            drop(fds);

            // 3. A control buffer too small for even the header: nothing
            //    installed at all.
            send_fds(&tx, &three);
            let mut control = [0u8; 8];
            let msg = recv_into(&rx, &mut buf, &mut control, None, MsgFlags::NONE);
            assert!(msg.is_control_truncated());
            assert_eq!(msg.fds_closed, 0);

            // 4. No control buffer (plain recv): the kernel discards them.
            send_fds(&tx, &three);
            assert_eq!(rx.recv(&mut buf), Ok(1));

            // 5. MSG_PEEK installs the fds too (a copy each peek); they are
            //    owned and closed like any others, then the real receive.
            send_fds(&tx, &three);
            let mut control = CmsgBuffer::<{ cmsg_space(12) }>::new();
            for flags in [MsgFlags::PEEK, MsgFlags::PEEK, MsgFlags::NONE] {
                let msg = recv_into(&rx, &mut buf, &mut control, None, flags);
                assert_eq!(msg.fds_closed, 3, "{flags:?}");
            }

            // 6. A batch receive (recvmmsg) closes every fd that comes with
            //    its messages.
            if ty != Type::STREAM {
                send_fds(&tx, &three);
                send_fds(&tx, &three);
                let mut space = [[0u8; 4]; 2];
                let mut control = [[0u8; 64]; 2];
                let mut batch = RecvBatch::new(space.each_mut().map(|b| &mut b[..]))
                    .with_control(control.each_mut().map(|c| &mut c[..]));
                assert_eq!(rx.recv_mmsg(&mut batch, MsgFlags::DONTWAIT), Ok(2));
                assert_eq!(batch.fds_closed(), 6);
            }

            // 7. The typed shortcut with a container too small.
            send_fds(&tx, &three);
            let typed = UnixStream::from(rx.try_clone().unwrap());
            let mut one = FdVec::<1>::new();
            if ty == Type::STREAM {
                let msg = typed.recv_fds(&mut buf, &mut one).unwrap();
                assert_eq!((one.len(), msg.fds_closed), (1, 2));
            } else {
                let mut control = CmsgBuffer::<{ cmsg_space(12) }>::new();
                let msg = recv_into(&rx, &mut buf, &mut control, Some(&mut one), MsgFlags::NONE);
                assert_eq!((one.len(), msg.fds_closed), (1, 2));
            }
            drop(one);
        });
    }
}
