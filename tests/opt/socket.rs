//! `SOL_SOCKET` options: every typed option set and read back, the kernel's
//! doubling of buffer sizes, and the input checks that refuse bad values
//! before any system call.

use std::time::Duration;

use crate::common::skip;
use crate::common::sock::{flag_round_trip, invalid, tcp, udp4};
use zerosock::opt::{Linger, SO_LINGER, SO_TYPE, SOL_SOCKET};
use zerosock::{Domain, Errno, Error, Protocol, Socket, Type};

fn sysctl(path: &str) -> usize {
    std::fs::read_to_string(path).unwrap().trim().parse().unwrap()
}

#[test]
fn flags_round_trip() {
    let s = tcp();
    assert!(!s.reuse_address().unwrap());
    flag_round_trip(&s, Socket::reuse_address, Socket::set_reuse_address);
    assert!(!s.reuse_port().unwrap());
    flag_round_trip(&s, Socket::reuse_port, Socket::set_reuse_port);
    assert!(!s.keepalive().unwrap());
    flag_round_trip(&s, Socket::keepalive, Socket::set_keepalive);
    flag_round_trip(&s, Socket::out_of_band_inline, Socket::set_out_of_band_inline);
    if !crate::common::emulation::gap("SO_ZEROCOPY") {
        flag_round_trip(&s, Socket::zerocopy, Socket::set_zerocopy);
    }

    let u = udp4();
    assert!(!u.broadcast().unwrap());
    flag_round_trip(&u, Socket::broadcast, Socket::set_broadcast);
    if !crate::common::emulation::gap("SO_ZEROCOPY") {
        flag_round_trip(&u, Socket::zerocopy, Socket::set_zerocopy);
    }

    let (a, _b) = Socket::pair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap();
    assert!(!a.passcred().unwrap());
    flag_round_trip(&a, Socket::passcred, Socket::set_passcred);
}

/// The switches that make the kernel attach control messages on receive.
#[test]
fn receive_control_switches_round_trip() {
    let u = udp4();
    for (get, set) in [
        (
            Socket::timestamp as fn(&Socket) -> _,
            Socket::set_timestamp as fn(&Socket, bool) -> _,
        ),
        (Socket::timestamp_ns, Socket::set_timestamp_ns),
        (Socket::rxq_overflow, Socket::set_rxq_overflow),
        (Socket::recv_ttl, Socket::set_recv_ttl),
        (Socket::udp_gro, Socket::set_udp_gro),
    ] {
        let gaps = [
            (
                Socket::set_timestamp_ns as fn(&Socket, bool) -> _,
                "SO_TIMESTAMPNS",
            ),
            (Socket::set_rxq_overflow, "SO_RXQ_OVFL"),
            (Socket::set_timestamp, "SO_TIMESTAMP_NEW"),
            (Socket::set_recv_ttl, "IP_RECVTTL"),
        ];
        if gaps
            .iter()
            .any(|&(f, gap)| std::ptr::fn_addr_eq(f, set) && crate::common::emulation::gap(gap))
        {
            continue;
        }
        assert!(!get(&u).unwrap());
        flag_round_trip(&u, get, set);
    }
    let u6 = Socket::new(Domain::INET6, Type::DGRAM, Protocol::UDP).unwrap();
    assert!(!u6.recv_hoplimit_v6().unwrap());
    flag_round_trip(&u6, Socket::recv_hoplimit_v6, Socket::set_recv_hoplimit_v6);

    let (a, _b) = Socket::pair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap();
    match a.set_passpidfd(true) {
        // SO_PASSPIDFD arrived in Linux 6.5.
        Err(Errno::NOPROTOOPT) => skip("SO_PASSPIDFD needs Linux 6.5"),
        other => {
            other.unwrap();
            flag_round_trip(&a, Socket::passpidfd, Socket::set_passpidfd);
        }
    }
}

#[test]
fn linger_round_trips_in_whole_seconds_rounded_up() {
    let s = tcp();
    assert_eq!(s.linger().unwrap(), None);
    s.set_linger(Some(Duration::from_secs(5))).unwrap();
    assert_eq!(s.linger().unwrap(), Some(Duration::from_secs(5)));
    // The raw layout agrees with the typed view.
    let raw: Linger = s.get_option(SOL_SOCKET, SO_LINGER).unwrap();
    assert_eq!(
        raw,
        Linger {
            l_onoff: 1,
            l_linger: 5
        }
    );
    s.set_linger(Some(Duration::ZERO)).unwrap();
    assert_eq!(s.linger().unwrap(), Some(Duration::ZERO));
    // A fraction rounds up, so a short linger never turns into a reset.
    s.set_linger(Some(Duration::from_millis(300))).unwrap();
    assert_eq!(s.linger().unwrap(), Some(Duration::from_secs(1)));
    s.set_linger(Some(Duration::from_millis(1500))).unwrap();
    assert_eq!(s.linger().unwrap(), Some(Duration::from_secs(2)));
    s.set_linger(None).unwrap();
    assert_eq!(s.linger().unwrap(), None);
    invalid(s.set_linger(Some(Duration::from_secs(i32::MAX as u64 + 1))));
    assert_eq!(
        s.linger().unwrap(),
        None,
        "a refused value must not reach the kernel"
    );
}

#[test]
fn buffer_sizes_are_doubled_and_clamped() {
    let rmem_max = sysctl("/proc/sys/net/core/rmem_max");
    let wmem_max = sysctl("/proc/sys/net/core/wmem_max");
    let s = tcp();
    // Below the cap: set n, read 2n.
    let n = 48 * 1024;
    assert!(
        n <= rmem_max && n <= wmem_max,
        "this test needs rmem_max/wmem_max ≥ {n}"
    );
    s.set_recv_buffer_size(n).unwrap();
    assert_eq!(s.recv_buffer_size().unwrap(), 2 * n);
    s.set_send_buffer_size(n).unwrap();
    assert_eq!(s.send_buffer_size().unwrap(), 2 * n);

    // Above the cap: clamped to the sysctl, then doubled.
    s.set_recv_buffer_size(rmem_max + 4096).unwrap();
    assert_eq!(s.recv_buffer_size().unwrap(), 2 * rmem_max);
    s.set_send_buffer_size(wmem_max + 4096).unwrap();
    assert_eq!(s.send_buffer_size().unwrap(), 2 * wmem_max);

    // A tiny value meets the kernel's floor, still far above 2 × 1.
    s.set_recv_buffer_size(1).unwrap();
    assert!(s.recv_buffer_size().unwrap() > 2);

    // *_FORCE ignores the cap (needs CAP_NET_ADMIN).
    let big = rmem_max.max(wmem_max) + 64 * 1024;
    match s.set_recv_buffer_size_force(big) {
        Ok(()) => {
            assert_eq!(s.recv_buffer_size().unwrap(), 2 * big);
            s.set_send_buffer_size_force(big).unwrap();
            assert_eq!(s.send_buffer_size().unwrap(), 2 * big);
        }
        Err(Error::Os(Errno::PERM)) => skip("SO_RCVBUFFORCE needs CAP_NET_ADMIN"),
        Err(e) => panic!("SO_RCVBUFFORCE: {e}"),
    }

    invalid(s.set_recv_buffer_size(i32::MAX as usize + 1));
    invalid(s.set_send_buffer_size(usize::MAX));
}

#[test]
fn timeouts_round_trip_and_refuse_zero() {
    let s = tcp();
    for (get, set) in [
        (
            Socket::read_timeout as fn(&Socket) -> _,
            Socket::set_read_timeout as fn(&Socket, _) -> _,
        ),
        (Socket::write_timeout, Socket::set_write_timeout),
    ] {
        assert_eq!(get(&s).unwrap(), None);
        // 1.5 s is a whole number of ticks at every HZ, so it reads back exactly.
        set(&s, Some(Duration::from_millis(1500))).unwrap();
        assert_eq!(get(&s).unwrap(), Some(Duration::from_millis(1500)));
        set(&s, Some(Duration::from_secs(3))).unwrap();
        assert_eq!(get(&s).unwrap(), Some(Duration::from_secs(3)));
        // One nanosecond rounds up to a microsecond, then to a tick: never "no timeout".
        set(&s, Some(Duration::from_nanos(1))).unwrap();
        let tick = get(&s).unwrap().expect("1 ns must not become 'no timeout'");
        assert!(
            tick > Duration::ZERO && tick <= Duration::from_millis(10),
            "{tick:?}"
        );
        set(&s, None).unwrap();
        assert_eq!(get(&s).unwrap(), None);

        set(&s, Some(Duration::from_secs(7))).unwrap();
        invalid(set(&s, Some(Duration::ZERO)));
        invalid(set(&s, Some(Duration::MAX)));
        invalid(set(&s, Some(Duration::from_secs(i64::MAX as u64 + 1))));
        assert_eq!(
            get(&s).unwrap(),
            Some(Duration::from_secs(7)),
            "refused values must not reach the kernel"
        );
    }
}

#[test]
fn identity_options_report_what_the_socket_is() {
    let s = tcp();
    assert_eq!(s.socket_type().unwrap(), Type::STREAM);
    assert_eq!(s.domain().unwrap(), Domain::INET);
    assert_eq!(s.protocol().unwrap(), Protocol::TCP);

    // Protocol 0 is resolved by the kernel.
    let u = Socket::new(Domain::INET6, Type::DGRAM, Protocol::DEFAULT).unwrap();
    assert_eq!(u.socket_type().unwrap(), Type::DGRAM);
    assert_eq!(u.domain().unwrap(), Domain::INET6);
    assert_eq!(u.protocol().unwrap(), Protocol::UDP);

    let (p, _q) = Socket::pair(Domain::UNIX, Type::SEQPACKET, Protocol::DEFAULT).unwrap();
    assert_eq!(p.socket_type().unwrap(), Type::SEQPACKET);
    assert_eq!(p.domain().unwrap(), Domain::UNIX);
    assert_eq!(p.protocol().unwrap(), Protocol::DEFAULT);

    // The raw escape hatch reads the same value.
    let mut raw = [0u8; 4];
    assert_eq!(
        u.get_option_raw(SOL_SOCKET, SO_TYPE, &mut raw).unwrap().written,
        4
    );
    assert_eq!(i32::from_ne_bytes(raw) as u32, Type::DGRAM.raw());

    assert_eq!(s.take_error().unwrap(), None);
    assert!(!s.is_listener().unwrap());
    s.bind(&std::net::SocketAddr::from(([127, 0, 0, 1], 0))).unwrap();
    s.listen(1).unwrap();
    assert!(s.is_listener().unwrap());
}

#[test]
fn take_error_returns_and_clears_the_pending_error() {
    // A UDP socket connected to a closed port gets ECONNREFUSED from the
    // ICMP port-unreachable; SO_ERROR hands it over once.
    let closed = udp4();
    closed
        .bind(&std::net::SocketAddr::from(([127, 0, 0, 1], 0)))
        .unwrap();
    let to = closed.local_addr().unwrap();
    drop(closed);
    let u = udp4();
    u.connect(&to).unwrap();
    u.send(b"x").unwrap();
    // The ICMP error arrives asynchronously; wait for it, bounded.
    let ready = u
        .wait(zerosock::poll::Interest::IN, Some(Duration::from_secs(5)))
        .unwrap();
    assert!(ready.contains(zerosock::poll::Ready::ERR), "{ready:?}");
    assert_eq!(u.take_error().unwrap(), Some(Errno::CONNREFUSED));
    assert_eq!(u.take_error().unwrap(), None);
}

#[test]
fn peer_cred_of_a_socketpair_is_this_process() {
    let (a, b) = Socket::pair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap();
    for s in [&a, &b] {
        let cred = s.peer_cred().unwrap();
        assert_eq!(cred.pid, std::process::id() as i32);
        // SAFETY: getuid/getgid cannot fail.
        assert_eq!(cred.uid, unsafe { libc::getuid() });
        assert_eq!(cred.gid, unsafe { libc::getgid() });
    }
}

#[test]
fn integer_options_round_trip() {
    let s = tcp();
    assert_eq!(s.recv_lowat().unwrap(), 1);
    s.set_recv_lowat(100).unwrap();
    assert_eq!(s.recv_lowat().unwrap(), 100);
    invalid(s.set_recv_lowat(i32::MAX as usize + 1));

    s.set_priority(3).unwrap();
    assert_eq!(s.priority().unwrap(), 3);

    if !crate::common::emulation::gap("SO_INCOMING_CPU") {
        assert_eq!(s.incoming_cpu().unwrap(), None);
        s.set_incoming_cpu(0).unwrap();
        assert_eq!(s.incoming_cpu().unwrap(), Some(0));
        invalid(s.set_incoming_cpu(u32::MAX));
    }

    match s.set_mark(42) {
        _ if crate::common::emulation::gap("SO_MARK") => {}
        Ok(()) => assert_eq!(s.mark().unwrap(), 42),
        Err(Errno::PERM) => skip("SO_MARK needs CAP_NET_ADMIN"),
        Err(e) => panic!("SO_MARK: {e}"),
    }
}

#[test]
fn cookie_is_stable_and_unique() {
    if crate::common::emulation::gap("SO_COOKIE") {
        return;
    }
    let (a, b) = (tcp(), tcp());
    let ca = a.cookie().unwrap();
    assert_ne!(ca, 0);
    assert_eq!(a.cookie().unwrap(), ca);
    assert_ne!(b.cookie().unwrap(), ca);
}

#[test]
fn busy_poll_round_trips_in_microseconds() {
    let s = udp4();
    assert_eq!(s.busy_poll().unwrap(), None);
    match s.set_busy_poll(Some(Duration::from_micros(50))) {
        Ok(()) => {}
        Err(Error::Os(Errno::NOPROTOOPT)) => return skip("kernel without CONFIG_NET_RX_BUSY_POLL"),
        Err(Error::Os(Errno::PERM)) => return skip("raising SO_BUSY_POLL needs CAP_NET_ADMIN"),
        Err(e) => panic!("SO_BUSY_POLL: {e}"),
    }
    assert_eq!(s.busy_poll().unwrap(), Some(Duration::from_micros(50)));
    s.set_busy_poll(Some(Duration::from_nanos(1))).unwrap();
    assert_eq!(s.busy_poll().unwrap(), Some(Duration::from_micros(1)));
    s.set_busy_poll(None).unwrap();
    assert_eq!(s.busy_poll().unwrap(), None);
    invalid(s.set_busy_poll(Some(Duration::ZERO)));
    invalid(s.set_busy_poll(Some(Duration::from_secs(3600))));
}

#[test]
fn bind_device_by_name() {
    if crate::common::emulation::gap("SO_BINDTODEVICE") {
        return;
    }
    let s = udp4();
    assert_eq!(s.device().unwrap().as_slice(), b"");
    match s.bind_device(Some(b"lo")) {
        Ok(()) => {}
        Err(Error::Os(Errno::PERM)) => return skip("SO_BINDTODEVICE needs CAP_NET_RAW"),
        Err(e) => panic!("SO_BINDTODEVICE: {e}"),
    }
    assert_eq!(s.device().unwrap().as_slice(), b"lo");
    match s.bind_device(None) {
        Ok(()) => assert_eq!(s.device().unwrap().as_slice(), b""),
        Err(Error::Os(Errno::PERM)) => return skip("changing SO_BINDTODEVICE needs CAP_NET_RAW"),
        Err(e) => panic!("SO_BINDTODEVICE: {e}"),
    }
    assert_eq!(
        s.bind_device(Some(b"zs-no-such-if")),
        Err(Error::Os(Errno::NODEV))
    );

    invalid(s.bind_device(Some(b"sixteen-bytes-ab")));
    invalid(s.bind_device(Some(b"l\0o")));
    s.bind_device(Some(b"fifteen-bytes-a")).unwrap_err(); // valid length: the kernel answers (ENODEV)
}
