//! `IPPROTO_IP`, `IPPROTO_IPV6` and `IPPROTO_UDP` options: every typed option
//! set and read back, and the range checks on TTLs, hop limits and classes.

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};

use crate::common::skip;
use crate::common::sock::{flag_round_trip, invalid, udp4, udp6};
use zerosock::opt::PmtuDiscover;
use zerosock::{Domain, Errno, Protocol, Socket, Type};

/// The loopback interface's index (`lo` is always 1 in a network namespace).
const LO: u32 = 1;

#[test]
fn ipv4_flags_round_trip() {
    let s = udp4();
    assert!(s.multicast_loop_v4().unwrap(), "on by default");
    flag_round_trip(&s, Socket::multicast_loop_v4, Socket::set_multicast_loop_v4);
    assert!(!s.recv_pktinfo_v4().unwrap());
    flag_round_trip(&s, Socket::recv_pktinfo_v4, Socket::set_recv_pktinfo_v4);
    assert!(!s.recv_tos().unwrap());
    flag_round_trip(&s, Socket::recv_tos, Socket::set_recv_tos);
    assert!(!s.freebind().unwrap());
    flag_round_trip(&s, Socket::freebind, Socket::set_freebind);
    match s.set_transparent(true) {
        _ if crate::common::emulation::gap("IP_TRANSPARENT") => {}
        Ok(()) => flag_round_trip(&s, Socket::transparent, Socket::set_transparent),
        Err(Errno::PERM) => skip("IP_TRANSPARENT needs CAP_NET_ADMIN"),
        Err(e) => panic!("IP_TRANSPARENT: {e}"),
    }
    // IP_HDRINCL belongs to raw sockets.
    assert_eq!(s.set_header_included(true), Err(Errno::NOPROTOOPT));
    match Socket::new(Domain::INET, Type::RAW, Protocol::from_raw(253)) {
        Ok(raw) => flag_round_trip(&raw, Socket::header_included, Socket::set_header_included),
        Err(Errno::PERM | Errno::ACCESS) => skip("raw sockets need CAP_NET_RAW"),
        Err(e) => panic!("raw socket: {e}"),
    }
}

#[test]
fn ttl_and_tos_round_trip_and_are_range_checked() {
    let s = udp4();
    s.set_ttl(42).unwrap();
    assert_eq!(s.ttl().unwrap(), 42);
    s.set_ttl(255).unwrap();
    assert_eq!(s.ttl().unwrap(), 255);
    invalid(s.set_ttl(0));
    invalid(s.set_ttl(256));
    assert_eq!(s.ttl().unwrap(), 255);

    s.set_tos(0x10).unwrap();
    assert_eq!(s.tos().unwrap(), 0x10);
    invalid(s.set_tos(256));

    assert_eq!(s.multicast_ttl_v4().unwrap(), 1, "default: the local network");
    s.set_multicast_ttl_v4(0).unwrap();
    assert_eq!(s.multicast_ttl_v4().unwrap(), 0);
    s.set_multicast_ttl_v4(255).unwrap();
    assert_eq!(s.multicast_ttl_v4().unwrap(), 255);
    invalid(s.set_multicast_ttl_v4(256));
}

#[test]
fn multicast_interface_v4_by_address_and_by_index() {
    let s = udp4();
    if crate::common::emulation::gap("IP_MULTICAST_IF") {
        return;
    }
    assert_eq!(s.multicast_if_v4().unwrap(), Ipv4Addr::UNSPECIFIED);
    s.set_multicast_if_v4(Ipv4Addr::LOCALHOST).unwrap();
    assert_eq!(s.multicast_if_v4().unwrap(), Ipv4Addr::LOCALHOST);
    // By index the kernel keeps no address: it reads back as 0.0.0.0.
    s.set_multicast_if_index_v4(LO).unwrap();
    assert_eq!(s.multicast_if_v4().unwrap(), Ipv4Addr::UNSPECIFIED);
    s.set_multicast_if_v4(Ipv4Addr::UNSPECIFIED).unwrap();
}

#[test]
fn multicast_membership_v4_join_and_leave() {
    if crate::common::emulation::gap("ip_mreqn") {
        return;
    }
    let s = udp4();
    let group = Ipv4Addr::new(239, 255, 77, 1);
    s.join_multicast_v4_index(group, LO).unwrap();
    assert_eq!(
        s.join_multicast_v4_index(group, LO),
        Err(Errno::ADDRINUSE),
        "joined twice"
    );
    s.leave_multicast_v4_index(group, LO).unwrap();
    assert_eq!(
        s.leave_multicast_v4_index(group, LO),
        Err(Errno::ADDRNOTAVAIL),
        "left twice"
    );

    s.join_multicast_v4(group, Ipv4Addr::LOCALHOST).unwrap();
    s.leave_multicast_v4(group, Ipv4Addr::LOCALHOST).unwrap();
    assert_eq!(
        s.join_multicast_v4_index(Ipv4Addr::LOCALHOST, LO),
        Err(Errno::INVAL),
        "not a group"
    );
}

#[test]
fn mtu_discovery_and_path_mtu() {
    let s = udp4();
    for mode in [
        PmtuDiscover::DO,
        PmtuDiscover::PROBE,
        PmtuDiscover::DONT,
        PmtuDiscover::WANT,
    ] {
        s.set_mtu_discover(mode).unwrap();
        assert_eq!(s.mtu_discover().unwrap(), mode);
    }
    if crate::common::emulation::gap("IP_MTU") {
        return;
    }
    assert_eq!(s.mtu(), Err(Errno::NOTCONN));
    s.connect(&SocketAddr::from(([127, 0, 0, 1], 9))).unwrap();
    let lo_mtu: u32 = std::fs::read_to_string("/sys/class/net/lo/mtu")
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    // The route's MTU is the device's, capped at IP_MAX_MTU (65535).
    assert_eq!(s.mtu().unwrap(), lo_mtu.min(65535));
}

#[test]
fn ipv6_flags_round_trip() {
    let s = udp6();
    flag_round_trip(&s, Socket::only_v6, Socket::set_only_v6);
    assert!(s.multicast_loop_v6().unwrap(), "on by default");
    flag_round_trip(&s, Socket::multicast_loop_v6, Socket::set_multicast_loop_v6);
    assert!(!s.recv_pktinfo_v6().unwrap());
    flag_round_trip(&s, Socket::recv_pktinfo_v6, Socket::set_recv_pktinfo_v6);
    assert!(!s.recv_tclass_v6().unwrap());
    flag_round_trip(&s, Socket::recv_tclass_v6, Socket::set_recv_tclass_v6);
}

#[test]
fn only_v6_decides_whether_ipv4_gets_in() {
    for only in [false, true] {
        let s = udp6();
        s.set_only_v6(only).unwrap();
        s.bind(&SocketAddr::from((Ipv6Addr::UNSPECIFIED, 0))).unwrap();
        let port = s.local_addr().unwrap().socket_addr().unwrap().port();
        let v4 = udp4();
        v4.send_to(b"hi", &SocketAddr::from(([127, 0, 0, 1], port)))
            .unwrap();
        let ready = s
            .wait(
                zerosock::poll::Interest::IN,
                Some(std::time::Duration::from_millis(200)),
            )
            .unwrap();
        assert_eq!(ready.is_empty(), only, "IPV6_V6ONLY={only}");
    }
}

#[test]
fn hop_limits_and_traffic_class_round_trip_and_are_range_checked() {
    let s = udp6();
    let default = s.unicast_hops_v6().unwrap();
    assert!((1..=255).contains(&default));
    s.set_unicast_hops_v6(42).unwrap();
    assert_eq!(s.unicast_hops_v6().unwrap(), 42);
    s.set_unicast_hops_v6(-1).unwrap();
    assert_eq!(
        s.unicast_hops_v6().unwrap(),
        default,
        "-1 restores the route's default"
    );
    invalid(s.set_unicast_hops_v6(-2));
    invalid(s.set_unicast_hops_v6(256));

    assert_eq!(s.multicast_hops_v6().unwrap(), 1);
    s.set_multicast_hops_v6(5).unwrap();
    assert_eq!(s.multicast_hops_v6().unwrap(), 5);
    s.set_multicast_hops_v6(-1).unwrap();
    assert_eq!(s.multicast_hops_v6().unwrap(), 1);
    invalid(s.set_multicast_hops_v6(-2));
    invalid(s.set_multicast_hops_v6(256));

    assert_eq!(s.tclass_v6().unwrap(), 0);
    s.set_tclass_v6(0x20).unwrap();
    assert_eq!(s.tclass_v6().unwrap(), 0x20);
    s.set_tclass_v6(-1).unwrap();
    assert_eq!(s.tclass_v6().unwrap(), 0);
    invalid(s.set_tclass_v6(256));
    invalid(s.set_tclass_v6(-2));
}

#[test]
fn multicast_v6_interface_and_membership() {
    let s = udp6();
    if crate::common::emulation::gap("IPV6_MULTICAST_IF") {
        return;
    }
    assert_eq!(s.multicast_if_v6().unwrap(), 0);
    s.set_multicast_if_v6(LO).unwrap();
    assert_eq!(s.multicast_if_v6().unwrap(), LO);
    s.set_multicast_if_v6(0).unwrap();
    assert_eq!(s.multicast_if_v6().unwrap(), 0);

    let group: Ipv6Addr = "ff02::7a5:1".parse().unwrap();
    s.join_multicast_v6(group, LO).unwrap();
    assert_eq!(
        s.join_multicast_v6(group, LO),
        Err(Errno::ADDRINUSE),
        "joined twice"
    );
    s.leave_multicast_v6(group, LO).unwrap();
    assert_eq!(
        s.leave_multicast_v6(group, LO),
        Err(Errno::ADDRNOTAVAIL),
        "left twice"
    );
    assert_eq!(
        s.join_multicast_v6(Ipv6Addr::LOCALHOST, LO),
        Err(Errno::INVAL),
        "not a group"
    );
}

#[test]
fn udp_offload_options_round_trip() {
    let s = udp4();
    assert_eq!(s.udp_segment().unwrap(), 0);
    s.set_udp_segment(1200).unwrap();
    assert_eq!(s.udp_segment().unwrap(), 1200);
    s.set_udp_segment(0).unwrap();
    assert_eq!(s.udp_segment().unwrap(), 0);

    assert!(!s.udp_gro().unwrap());
    flag_round_trip(&s, Socket::udp_gro, Socket::set_udp_gro);
}
