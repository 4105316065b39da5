//! AF_PACKET and classic BPF, over a veth pair in a network namespace the
//! test creates (made through zerosock's rtnetlink): frames sent on one end
//! arrive intact on the other; a filter passing only UDP to one port passes
//! exactly those frames, counted against the traffic sent and against
//! `PACKET_STATISTICS`; malformed programs are refused before the system
//! call, and the checker agrees with the kernel on generated programs.
//! `PACKET_ADD_MEMBERSHIP`, seen in what arrives on a macvlan over the
//! pair (a veth filters nothing): a multicast group not joined is refused,
//! joined it arrives, and promiscuous or all-multicast mode lets every
//! group in, with the link's counts in rtnetlink and `ip -d -json link`.
//! The namespace tests need root (`SKIPPED: …` otherwise).

mod common;

use std::collections::BTreeSet;
use std::os::fd::AsRawFd;
use std::time::{Duration, Instant};

use common::rng::Rng;
use common::rtnl::Setup;
use common::{NetNs, skip};
use zerosock::netlink::route::consts::{
    IF_OPER_UP, IFF_PROMISC, IFLA_IFNAME, IFLA_INFO_KIND, IFLA_LINK, IFLA_LINKINFO, RTM_NEWLINK,
};
use zerosock::netlink::route::{IfInfoMsg, LinkChange, Rtnetlink};
use zerosock::netlink::{MsgBuilder, NLM_F_ACK, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REQUEST};
use zerosock::packet::bpf::{self, BPF_B, BPF_H, Program, SockFilter as I};
use zerosock::packet::{
    ETH_P_ALL, ETH_P_IP, PACKET_HOST, PACKET_MR_ALLMULTI, PACKET_MR_MULTICAST, PACKET_MR_PROMISC,
    PacketSocket, SockAddrLl,
};
use zerosock::{Domain, Errno, Error, MsgFlags, Protocol, Socket, Type};

/// A local experimental EtherType (IEEE 802 "local experimental 1").
const ETH_P_TEST: u16 = 0x88b5;

struct Pair {
    ns: NetNs,
    tx: i32,
    rx: i32,
    tx_mac: Vec<u8>,
    rx_mac: Vec<u8>,
}

/// A namespace holding a veth pair `zp0` ↔ `zp1`, both up, IPv6 off (so no
/// router solicitations or DAD frames cross it).
fn pair() -> Option<Pair> {
    let ns = match NetNs::new() {
        Ok(ns) => ns,
        Err(why) => {
            skip(&why);
            return None;
        }
    };
    // The namespace's own sysctls: /proc/sys/net is the opening thread's.
    ns.run(|| {
        for conf in ["all", "default"] {
            std::fs::write(format!("/proc/sys/net/ipv6/conf/{conf}/disable_ipv6"), "1")
                .unwrap_or_else(|e| panic!("disable_ipv6 ({conf}): {e}"));
        }
    });
    let rtnl = ns.run(|| Rtnetlink::open().unwrap());
    let mut buf = vec![0u8; 32 * 1024];
    rtnl.add_veth("zp0", "zp1", &mut buf).unwrap();
    let mut ends = Vec::new();
    for name in ["zp0", "zp1"] {
        let mut found = (0, Vec::new());
        rtnl.link_by_name(name, &mut buf, |l| {
            found = (l.index(), l.address().unwrap().to_vec())
        })
        .unwrap();
        rtnl.set_link(
            found.0,
            &LinkChange {
                up: Some(true),
                ..LinkChange::default()
            },
            &mut buf,
        )
        .unwrap();
        ends.push(found);
    }
    // Frames sent before the kernel's link watcher has seen the carrier go
    // up meet the `noop` qdisc and vanish: wait (bounded) until both ends
    // are operationally up, as rtnetlink reports it.
    let up = common::eventually(Duration::from_secs(10), || {
        let mut n = 0;
        rtnl.links(&mut buf, |l| {
            n += usize::from(
                l.name().is_some_and(|x| x.starts_with("zp")) && l.operstate() == Some(IF_OPER_UP),
            )
        })
        .unwrap();
        n == 2
    });
    assert!(up, "the veth pair did not come up");
    let (rx_mac, tx_mac) = (ends[1].1.clone(), ends[0].1.clone());
    Some(Pair {
        ns,
        tx: ends[0].0 as i32,
        rx: ends[1].0 as i32,
        tx_mac,
        rx_mac,
    })
}

/// Runs `f` in the pair's namespace (packet sockets see the interfaces of
/// the namespace they were made in).
fn open(p: &Pair, ty: Type, protocol: u16) -> PacketSocket {
    let s = p.ns.run(move || PacketSocket::new(ty, protocol).unwrap());
    s.socket().set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s
}

fn ethernet(dst: &[u8], src: &[u8], ethertype: u16, payload: &[u8]) -> Vec<u8> {
    let mut f = Vec::with_capacity(14 + payload.len());
    f.extend_from_slice(dst);
    f.extend_from_slice(src);
    f.extend_from_slice(&ethertype.to_be_bytes());
    f.extend_from_slice(payload);
    f
}

/// An IPv4 packet of `protocol` to `dport` carrying `marker`; `fragment`
/// sets a fragment offset.
fn ipv4(protocol: u8, dport: u16, marker: u32, fragment: bool) -> Vec<u8> {
    let body_len = 8 + 4;
    let total = 20 + body_len;
    let mut p = vec![0x45, 0, (total >> 8) as u8, total as u8, 0, 1];
    p.extend_from_slice(if fragment { &[0x00, 0x10] } else { &[0x40, 0x00] });
    p.extend_from_slice(&[64, protocol, 0, 0, 10, 99, 0, 1, 10, 99, 0, 2]);
    p.extend_from_slice(&40000u16.to_be_bytes());
    p.extend_from_slice(&dport.to_be_bytes());
    p.extend_from_slice(&(body_len as u16).to_be_bytes());
    p.extend_from_slice(&[0, 0]);
    p.extend_from_slice(&marker.to_be_bytes());
    p
}

/// Receives until `want` frames satisfying `ours` arrived or the deadline;
/// then drains what else is queued. Returns (ours, others).
fn receive(s: &PacketSocket, want: usize, ours: impl Fn(&[u8]) -> bool) -> (usize, usize) {
    let (mut mine, mut other) = (0, 0);
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut buf = [0u8; 2048];
    while mine < want && Instant::now() < deadline {
        match s.recv_from_with_flags(&mut buf, MsgFlags::NONE) {
            Ok((n, _)) if ours(&buf[..n]) => mine += 1,
            Ok(_) => other += 1,
            Err(Errno::AGAIN | Errno::INTR) => {}
            Err(e) => panic!("recv: {e:?}"),
        }
    }
    // Anything more already queued (veth delivers synchronously in the
    // sender's context, so every frame sent is queued by now).
    while let Ok((n, _)) = s.recv_from_with_flags(&mut buf, MsgFlags::DONTWAIT) {
        if ours(&buf[..n]) { mine += 1 } else { other += 1 }
    }
    (mine, other)
}

#[test]
fn frames_cross_a_veth_pair_intact() {
    let Some(p) = pair() else { return };
    let tx = open(&p, Type::RAW, 0);
    let rx = open(&p, Type::RAW, ETH_P_TEST);
    rx.bind(p.rx).unwrap();
    let rx_dgram = open(&p, Type::DGRAM, ETH_P_TEST);
    rx_dgram.bind(p.rx).unwrap();

    let mut rng = Rng(0x7061_636b_6574);
    let to = SockAddrLl::new(p.tx, ETH_P_TEST);
    for i in 0..32 {
        let len = [46, 47, 100, 512, 1000, 1500][i % 6];
        let payload = rng.bytes(len);
        let frame = ethernet(&p.rx_mac, &p.tx_mac, ETH_P_TEST, &payload);
        assert_eq!(tx.send_to(&frame, &to).unwrap(), frame.len());

        let mut buf = [0u8; 2048];
        let (n, from) = rx.recv_from(&mut buf).unwrap();
        assert_eq!(&buf[..n], &frame[..], "frame {i} changed on the way");
        assert_eq!(from.sll_ifindex, p.rx);
        assert_eq!(from.sll_protocol.to_host(), ETH_P_TEST);
        assert_eq!(from.sll_pkttype, PACKET_HOST);
        assert_eq!(&from.sll_addr[..from.sll_halen as usize], &p.tx_mac[..]);

        // SOCK_DGRAM: the payload alone; the header is in the address.
        let (n, from) = rx_dgram.recv_from(&mut buf).unwrap();
        assert_eq!(&buf[..n], &payload[..]);
        assert_eq!(&from.sll_addr[..6], &p.tx_mac[..]);
    }
    if common::emulation::gap("SOL_PACKET") {
        return;
    }
    let stats = rx.statistics().unwrap();
    assert_eq!((stats.tp_packets, stats.tp_drops), (32, 0));
    // PACKET_ADD_MEMBERSHIP: the interface is promiscuous while the
    // membership lasts, as rtnetlink's promiscuity count reports.
    let promisc = || {
        let rtnl = p.ns.run(|| Rtnetlink::open().unwrap());
        let mut buf = vec![0u8; 32 * 1024];
        let mut count = None;
        rtnl.link_by_name("zp1", &mut buf, |l| count = l.promiscuity())
            .unwrap();
        count.expect("IFLA_PROMISCUITY") > 0
    };
    assert!(!promisc());
    rx.add_membership(p.rx, PACKET_MR_PROMISC, &[]).unwrap();
    assert!(promisc());
    rx.drop_membership(p.rx, PACKET_MR_PROMISC, &[]).unwrap();
    assert!(!promisc());
    // Reading the statistics resets them.
    assert_eq!(rx.statistics().unwrap().tp_packets, 0);
}

/// Passes IPv4 UDP to `port`, unfragmented; drops everything else.
fn udp_port_filter(port: u16) -> [I; 11] {
    [
        I::ld_abs(BPF_H, 12),          // 0: EtherType
        I::jeq(ETH_P_IP as u32, 0, 8), // 1: not IPv4 -> 10
        I::ld_abs(BPF_B, 23),          // 2: IPv4 protocol
        I::jeq(17, 0, 6),              // 3: not UDP -> 10
        I::ld_abs(BPF_H, 20),          // 4: flags and fragment offset
        I::jset(0x1fff, 4, 0),         // 5: a later fragment -> 10
        I::ldx_msh(14),                // 6: X = IPv4 header length
        I::ld_ind(BPF_H, 16),          // 7: UDP destination port (14 + X + 2)
        I::jeq(port as u32, 0, 1),     // 8: not the port -> 10
        I::ret(u32::MAX),              // 9: accept the whole frame
        I::ret(0),                     // 10: drop
    ]
}

#[test]
fn a_bpf_filter_passes_exactly_udp_to_one_port() {
    let Some(p) = pair() else { return };
    let prog = udp_port_filter(9999);
    let program = Program::new(&prog).expect("a valid program");

    // Filter attached before the socket receives anything: created for no
    // protocol, filtered, then bound to every protocol on the interface.
    let filtered = open(&p, Type::RAW, 0);
    bpf::attach_filter(&filtered, &program).unwrap();
    filtered.socket().bind(&SockAddrLl::new(p.rx, ETH_P_ALL)).unwrap();
    let all = open(&p, Type::RAW, 0);
    all.socket().bind(&SockAddrLl::new(p.rx, ETH_P_ALL)).unwrap();
    if common::emulation::gap("SOL_PACKET") {
        return;
    }
    filtered.statistics().unwrap();

    let tx = open(&p, Type::RAW, 0);
    let to = SockAddrLl::new(p.tx, 0);
    let mut marker = 0xab00_0000u32;
    let mut sent_match = Vec::new();
    let send = |ethertype: u16, payload: Vec<u8>| {
        tx.send_to(&ethernet(&p.rx_mac, &p.tx_mac, ethertype, &payload), &to)
            .unwrap();
    };
    let mut rng = Rng(0xb9f);
    let mut counts = [0usize; 5];
    for _ in 0..120 {
        marker += 1;
        let kind = rng.below(5);
        counts[kind] += 1;
        match kind {
            0 => {
                send(ETH_P_IP, ipv4(17, 9999, marker, false));
                sent_match.push(marker);
            }
            1 => send(ETH_P_IP, ipv4(17, 9998, marker, false)),
            2 => send(ETH_P_IP, ipv4(6, 9999, marker, false)),
            3 => send(ETH_P_IP, ipv4(17, 9999, marker, true)),
            _ => send(ETH_P_TEST, marker.to_be_bytes().repeat(12)),
        }
    }
    eprintln!(
        "sent: {} UDP:9999, {} UDP:9998, {} TCP:9999, {} fragments, {} other EtherType",
        counts[0], counts[1], counts[2], counts[3], counts[4]
    );
    let is_match = |f: &[u8]| {
        f.len() >= 46
            && f[12..14] == ETH_P_IP.to_be_bytes()
            && f[23] == 17
            && f[36..38] == 9999u16.to_be_bytes()
            && f[20] == 0x40
    };
    let (mine, others) = receive(&filtered, counts[0], is_match);
    assert_eq!(
        (mine, others),
        (counts[0], 0),
        "the filter passed exactly the UDP:9999 frames"
    );
    let stats = filtered.statistics().unwrap();
    assert_eq!(
        (stats.tp_packets as usize, stats.tp_drops),
        (counts[0], 0),
        "PACKET_STATISTICS"
    );

    // The unfiltered socket saw every frame the test sent.
    let ours = |f: &[u8]| f.len() >= 14 && f[6..12] == p.tx_mac[..];
    let (seen, _) = receive(&all, 120, ours);
    assert_eq!(seen, 120);

    // Detached, the filter passes everything again; locked, it stays.
    bpf::detach_filter(&filtered).unwrap();
    assert_eq!(bpf::detach_filter(&filtered), Err(Errno::NOENT));
    send(ETH_P_IP, ipv4(17, 9998, 1, false));
    let (n, _) = receive(&filtered, 1, |f| {
        f.len() > 36 && f[36..38] == 9998u16.to_be_bytes()
    });
    assert_eq!(n, 1);
    bpf::attach_filter(&filtered, &program).unwrap();
    bpf::lock_filter(&filtered).unwrap();
    assert_eq!(bpf::detach_filter(&filtered), Err(Errno::PERM));
    assert_eq!(bpf::attach_filter(&filtered, &program), Err(Errno::PERM));
}

#[test]
fn malformed_programs_are_refused_before_the_system_call() {
    let cases: [(&str, &[I]); 9] = [
        ("empty", &[]),
        ("jump past the end", &[I::jeq(1, 0, 1), I::ret(0)]),
        ("ja past the end", &[I::ja(1), I::ret(0)]),
        ("no final ret", &[I::ret(0), I::ld_len()]),
        ("unknown opcode", &[I::stmt(0xff, 0), I::ret(0)]),
        ("division by zero", &[I::alu(bpf::BPF_DIV, 0), I::ret(0)]),
        ("shift by 32", &[I::alu(bpf::BPF_LSH, 32), I::ret(0)]),
        ("slot 16", &[I::st(16), I::ret(0)]),
        ("slot read before written", &[I::ld_mem(3), I::ret_a()]),
    ];
    let udp = Socket::new(Domain::INET, Type::DGRAM, Protocol::UDP).unwrap();
    for (what, insns) in cases {
        let err = Program::new(insns).unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)), "{what}: {err:?}");
        eprintln!("{what}: {err}");
        // The kernel refuses each as well, for the same reason.
        if !insns.is_empty() {
            assert_eq!(kernel_accepts(&udp, insns), Err(libc::EINVAL), "{what}");
        }
    }
    let too_long = vec![I::ret(0); bpf::BPF_MAXINSNS + 1];
    assert!(Program::new(&too_long).is_err());
    assert!(Program::new(&too_long[1..]).is_ok());
}

/// setsockopt(SO_ATTACH_FILTER) through libc, past zerosock's checker.
fn kernel_accepts(socket: &Socket, insns: &[I]) -> Result<(), i32> {
    let prog = libc::sock_fprog {
        len: insns.len() as u16,
        filter: insns.as_ptr() as *mut libc::sock_filter,
    };
    // SAFETY: `prog` points at `insns`, live for the call.
    let rc = unsafe {
        libc::setsockopt(
            socket.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_ATTACH_FILTER,
            (&prog as *const libc::sock_fprog).cast(),
            size_of::<libc::sock_fprog>() as u32,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error().raw_os_error().unwrap())
    }
}

#[test]
fn the_checker_agrees_with_the_kernel_on_generated_programs() {
    let count: usize = std::env::var("ZEROSOCK_BPF_FUZZ")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5_000);
    let udp = Socket::new(Domain::INET, Type::DGRAM, Protocol::UDP).unwrap();
    let mut rng = Rng(0x0062_7066_5f63_686b);
    let codes: &[u16] = &[
        0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x14, 0x15, 0x16, 0x1d, 0x20, 0x25, 0x28, 0x30, 0x34,
        0x35, 0x40, 0x45, 0x48, 0x50, 0x60, 0x61, 0x64, 0x74, 0x80, 0x81, 0x84, 0x87, 0x94, 0xb1, 0x0e, 0x17,
        0x66, 0x99,
    ];
    let (mut accepted, mut refused) = (0, 0);
    for case in 0..count {
        let len = rng.upto(8);
        let insns: Vec<I> = (0..len)
            .map(|i| {
                let code = if i == len - 1 && rng.percent(80) {
                    rng.pick(&[0x06u16, 0x16])
                } else {
                    rng.pick(codes)
                };
                let k = match rng.below(4) {
                    0 => rng.below(4) as u32,
                    1 => rng.below(40) as u32,
                    2 => 0xffff_f000u32.wrapping_add(rng.below(80) as u32),
                    _ => rng.next() as u32,
                };
                I::jump(code, k, rng.below(len) as u8, rng.below(len) as u8)
            })
            .collect();
        let ours = Program::new(&insns).is_ok();
        let theirs = kernel_accepts(&udp, &insns).is_ok();
        assert_eq!(
            ours,
            theirs,
            "case {case}: zerosock {ours}, kernel {theirs}: {insns:?} ({:?})",
            Program::new(&insns)
        );
        if ours { accepted += 1 } else { refused += 1 }
    }
    eprintln!("{count} generated programs: {accepted} accepted, {refused} refused, by both");
    assert!(accepted > count / 20 && refused > count / 20);
}

#[test]
fn a_reuseport_cbpf_program_picks_the_socket() {
    if common::emulation::gap("SO_ATTACH_REUSEPORT_CBPF") {
        return;
    }
    use std::net::{Ipv4Addr, SocketAddrV4};
    let bind = |port: u16| {
        let s = Socket::new(Domain::INET, Type::DGRAM, Protocol::UDP).unwrap();
        s.set_reuse_port(true).unwrap();
        s.bind(&SocketAddrV4::new(Ipv4Addr::LOCALHOST, port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        s
    };
    let first = bind(0);
    let port = first.local_addr().unwrap().socket_addr().unwrap().port();
    let second = bind(port);
    // Always the group's second socket (index 1).
    let program = [I::ret(1)];
    bpf::attach_reuseport_cbpf(&first, &Program::new(&program).unwrap()).unwrap();
    let client = Socket::new(Domain::INET, Type::DGRAM, Protocol::UDP).unwrap();
    for i in 0..20u8 {
        client
            .send_to(&[i], &SocketAddrV4::new(Ipv4Addr::LOCALHOST, port))
            .unwrap();
        let mut b = [0u8; 1];
        assert_eq!(second.recv(&mut b).unwrap(), 1);
        assert_eq!(b[0], i);
    }
    assert_eq!(
        first.recv_with_flags(&mut [0u8; 1], MsgFlags::DONTWAIT),
        Err(Errno::AGAIN)
    );
}

#[test]
fn a_vlan_tag_arrives_in_packet_auxdata() {
    if common::emulation::gap("SOL_PACKET") {
        return;
    }
    let Some(p) = pair() else { return };
    let tx = open(&p, Type::RAW, 0);
    let rx = open(&p, Type::RAW, 0);
    rx.set_auxdata(true).unwrap();
    rx.socket().bind(&SockAddrLl::new(p.rx, ETH_P_ALL)).unwrap();
    // An 802.1Q frame: priority 1, VLAN 100, then our EtherType.
    let tci: u16 = (1 << 13) | 100;
    let inner = ethernet(
        &p.rx_mac,
        &p.tx_mac,
        ETH_P_TEST,
        b"zerosock vlan marker ............................",
    );
    let mut tagged = inner[..12].to_vec();
    tagged.extend_from_slice(&0x8100u16.to_be_bytes());
    tagged.extend_from_slice(&tci.to_be_bytes());
    tagged.extend_from_slice(&inner[12..]);
    tx.send_to(&tagged, &SockAddrLl::new(p.tx, 0)).unwrap();

    let deadline = Instant::now() + Duration::from_secs(10);
    let mut buf = [0u8; 2048];
    loop {
        assert!(Instant::now() < deadline, "the tagged frame never arrived");
        let (n, from, aux) = match rx.recv_with_auxdata(&mut buf, MsgFlags::NONE) {
            Err(Errno::AGAIN | Errno::INTR) => continue,
            other => other.unwrap(),
        };
        if !buf[..n].ends_with(b"marker ............................") {
            continue; // something else on the link
        }
        // The kernel took the tag off the frame and put it in the auxdata.
        assert_eq!(&buf[..n], &inner[..]);
        assert_eq!(from.sll_ifindex, p.rx);
        let aux = aux.expect("PACKET_AUXDATA");
        assert_eq!(aux.vlan(), Some(tci));
        assert_eq!(aux.tp_len as usize, n);
        if aux.tp_status & zerosock::packet::TpacketAuxdata::TP_STATUS_VLAN_TPID_VALID != 0 {
            assert_eq!(aux.tp_vlan_tpid, 0x8100);
        }
        break;
    }
}

// ---------------------------------------------------------------------------
// Multicast membership and promiscuous mode, observed in what arrives.
//
// A veth end filters nothing: it hands every frame it is sent to the stack
// (multicast to any group, even unicast to another MAC, as
// `PACKET_OTHERHOST`), so on a veth `PACKET_MR_MULTICAST` changes the
// device's multicast list and nothing else. A macvlan on it does filter:
// multicast from outside reaches the macvlan only when the destination's
// bucket is set in its 256-bucket hash filter, which holds the addresses on
// its multicast list (the broadcast address and 224.0.0.1's
// 01:00:5e:00:00:01 by default; IPv6 is off in the namespace), or every
// bucket when it is promiscuous or all-multicast. So the tests join, and
// watch, the macvlan.

/// `IFF_ALLMULTI` (linux/if.h).
const IFF_ALLMULTI: u32 = 0x200;
/// `PACKET_MULTICAST` (linux/if_packet.h): the `sll_pkttype` of a frame
/// sent to a multicast address.
const PACKET_MULTICAST: u8 = 2;

/// Eight multicast MACs no protocol uses (group bit set, locally
/// administered).
fn candidates() -> [[u8; 6]; 8] {
    core::array::from_fn(|i| [0x03, 0x7a, 0x73, 0x6d, 0x63, i as u8])
}

/// `ip link add link LOWER name NAME type macvlan` as an `RTM_NEWLINK`
/// made with zerosock's message builder.
fn add_macvlan(rtnl: &Rtnetlink, name: &str, lower: u32) {
    let mut req = [0u8; 256];
    let mut b = MsgBuilder::new(
        &mut req,
        RTM_NEWLINK,
        NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
        rtnl.netlink().next_seq(),
    )
    .unwrap();
    b.fixed(&IfInfoMsg::default()).unwrap();
    b.attr_str(IFLA_IFNAME, name).unwrap();
    b.attr_u32(IFLA_LINK, lower).unwrap();
    b.nest(IFLA_LINKINFO, |b| b.attr_str(IFLA_INFO_KIND, "macvlan"))
        .unwrap();
    let msg = b.finish();
    let mut buf = vec![0u8; 8 * 1024];
    rtnl.netlink()
        .request(msg, &mut buf, |_| Ok(()))
        .unwrap_or_else(|e| panic!("add macvlan {name}: {e}"));
}

/// The multicast addresses on `dev`'s list, from the calling namespace's
/// `/proc/net/dev_mcast` (`/proc/thread-self`: the thread's namespace, not
/// the process's).
fn dev_mcast(dev: &str) -> Vec<String> {
    std::fs::read_to_string("/proc/thread-self/net/dev_mcast")
        .expect("read dev_mcast")
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (f.len() == 5 && f[1] == dev).then(|| f[4].to_string())
        })
        .collect()
}

fn hex(mac: &[u8; 6]) -> String {
    mac.iter().map(|b| format!("{b:02x}")).collect()
}

/// The macvlan test's fixture: the pair, a macvlan `zm0` on its receiving
/// end, a socket on each of the two, and the sender.
struct Multicast {
    p: Pair,
    setup: Setup,
    zm0: i32,
    on_macvlan: PacketSocket,
    on_veth: PacketSocket,
    tx: PacketSocket,
    phase: u8,
}

impl Multicast {
    fn new() -> Option<Self> {
        let p = pair()?;
        let mut setup = p.ns.run(Setup::open);
        add_macvlan(setup.rtnl(), "zm0", p.rx as u32);
        let zm0 = setup.up("zm0").index("zm0");
        let rtnl = setup.rtnl();
        let mut buf = vec![0u8; 32 * 1024];
        let up = common::eventually(Duration::from_secs(10), || {
            let mut state = None;
            rtnl.link_by_name("zm0", &mut buf, |l| state = l.operstate())
                .unwrap();
            state == Some(IF_OPER_UP)
        });
        assert!(up, "the macvlan did not come up");
        let on_macvlan = open(&p, Type::RAW, ETH_P_TEST);
        on_macvlan.bind(zm0 as i32).unwrap();
        let on_veth = open(&p, Type::RAW, ETH_P_TEST);
        on_veth.bind(p.rx).unwrap();
        let tx = open(&p, Type::RAW, 0);
        Some(Self {
            p,
            setup,
            zm0: zm0 as i32,
            on_macvlan,
            on_veth,
            tx,
            phase: 0,
        })
    }

    /// Sends one frame to each candidate, then a broadcast frame that
    /// every link takes; returns which candidates arrived on the macvlan
    /// and on the veth end. A frame the macvlan's filter refuses is dropped
    /// while it is being sent, before the broadcast frame behind it is
    /// even delivered: what has not arrived once the broadcast frame has
    /// never will (frames carry their round, so a stray one is noticed).
    fn round(&mut self) -> (BTreeSet<usize>, BTreeSet<usize>) {
        self.phase += 1;
        let phase = self.phase;
        let to = SockAddrLl::new(self.p.tx, ETH_P_TEST);
        let payload = |i: u8| {
            let mut v = vec![0u8; 46];
            v[..4].copy_from_slice(&[b'z', b's', phase, i]);
            v
        };
        for (i, mac) in candidates().iter().enumerate() {
            let frame = ethernet(mac, &self.p.tx_mac, ETH_P_TEST, &payload(i as u8));
            assert_eq!(self.tx.send_to(&frame, &to).unwrap(), frame.len());
        }
        let frame = ethernet(&[0xff; 6], &self.p.tx_mac, ETH_P_TEST, &payload(0xff));
        self.tx.send_to(&frame, &to).unwrap();
        let mut got = Vec::new();
        for s in [&self.on_macvlan, &self.on_veth] {
            let mut seen = BTreeSet::new();
            let deadline = Instant::now() + Duration::from_secs(10);
            let mut buf = [0u8; 2048];
            let mut barrier = false;
            while !barrier && Instant::now() < deadline {
                let (n, from) = match s.recv_from_with_flags(&mut buf, MsgFlags::NONE) {
                    Ok(r) => r,
                    Err(Errno::AGAIN | Errno::INTR) => continue,
                    Err(e) => panic!("recv: {e:?}"),
                };
                let body = &buf[14..n];
                if body.len() < 4 || body[..2] != *b"zs" {
                    continue;
                }
                assert_eq!(
                    body[2], phase,
                    "a frame of round {} arrived in round {phase}",
                    body[2]
                );
                match body[3] {
                    0xff => barrier = true,
                    i => {
                        assert_eq!(from.sll_pkttype, PACKET_MULTICAST);
                        assert!(seen.insert(usize::from(i)), "candidate {i} twice");
                    }
                }
            }
            assert!(barrier, "the broadcast frame of round {phase} never arrived");
            got.push(seen);
        }
        let on_veth = got.pop().unwrap();
        (got.pop().unwrap(), on_veth)
    }

    /// zm0's flags and promiscuity count, from an `RTM_GETLINK` reply.
    fn link(&self) -> (u32, u32) {
        let mut buf = vec![0u8; 32 * 1024];
        let mut out = None;
        self.setup
            .rtnl()
            .link_by_name("zm0", &mut buf, |l| {
                out = Some((l.flags(), l.promiscuity().unwrap()))
            })
            .unwrap();
        out.unwrap()
    }

    /// zm0's `promiscuity` and `allmulti` counts in `ip -d -json link`, the
    /// independent view (`None` for a field this ip does not print).
    fn ip_counts(&self) -> (Option<u64>, Option<u64>) {
        let out = std::process::Command::new("ip")
            .args(["-n", self.p.ns.name(), "-d", "-json", "link", "show", "zm0"])
            .output()
            .expect("run ip");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        (v[0]["promiscuity"].as_u64(), v[0]["allmulti"].as_u64())
    }

    fn mcast_list(&self) -> Vec<String> {
        self.p.ns.run(|| dev_mcast("zm0"))
    }
}

/// Turns all-multicast on and off on zm0: the macvlan
/// recomputes its filter from its multicast list as it is now.
fn refilter(m: &Multicast) {
    m.on_macvlan
        .add_membership(m.zm0, PACKET_MR_ALLMULTI, &[])
        .unwrap();
    m.on_macvlan
        .drop_membership(m.zm0, PACKET_MR_ALLMULTI, &[])
        .unwrap();
}

#[test]
fn multicast_frames_arrive_only_after_joining() {
    // PACKET_ADD_MEMBERSHIP is a SOL_PACKET option.
    if common::emulation::gap("SOL_PACKET") {
        return;
    }
    let Some(mut m) = Multicast::new() else { return };
    let all: BTreeSet<usize> = (0..8).collect();
    let wanted: Vec<String> = candidates().iter().map(hex).collect();

    // Nothing joined: the veth end takes all eight, the macvlan refuses
    // them, but for a candidate that shares a filter bucket with an
    // address joined by default (two or three of them: each candidate
    // shares one with probability about 1/100; five of eight, 1e-9).
    let (before, on_veth) = m.round();
    assert_eq!(on_veth, all, "the veth end filters nothing");
    assert!(before.len() <= 4, "the macvlan let {before:?} through unjoined");
    assert!(!m.mcast_list().iter().any(|a| wanted.contains(a)));

    // Joined, all eight arrive, and the kernel lists them on zm0.
    for mac in candidates() {
        m.on_macvlan
            .add_membership(m.zm0, PACKET_MR_MULTICAST, &mac)
            .unwrap();
    }
    let list = m.mcast_list();
    for a in &wanted {
        assert!(list.contains(a), "{a} not on zm0's list: {list:?}");
    }
    let (joined, _) = m.round();
    assert_eq!(joined, all, "joined addresses missing");

    // Dropped (0 to 7, in order): off zm0's list at once, but the macvlan
    // computes its filter before it takes the dropped address off its
    // lower link's list, where it still counts; so the group dropped last
    // (7) still gets in until the filter is next recomputed (Linux 6.18).
    for mac in candidates() {
        m.on_macvlan
            .drop_membership(m.zm0, PACKET_MR_MULTICAST, &mac)
            .unwrap();
    }
    assert!(!m.mcast_list().iter().any(|a| wanted.contains(a)));
    let (lagging, _) = m.round();
    assert!(
        lagging.contains(&7) && lagging.is_superset(&before),
        "after dropping: {lagging:?} (before joining: {before:?})"
    );
    refilter(&m);
    let (after, _) = m.round();
    assert_eq!(after, before, "after dropping the memberships and refiltering");

    // A membership lasts as long as its socket: closing it leaves.
    let other = open(&m.p, Type::RAW, ETH_P_TEST);
    other
        .add_membership(m.zm0, PACKET_MR_MULTICAST, &candidates()[0])
        .unwrap();
    assert!(m.mcast_list().contains(&wanted[0]));
    let (member, _) = m.round();
    assert!(member.contains(&0), "joined through another socket: {member:?}");
    // Closed everywhere: also in a child (an `ip` another test thread
    // runs) forked while it was open, which holds a copy, and with it the
    // membership, until it execs (`common::procs`).
    let inode = common::procs::inode(other.socket());
    drop(other);
    common::procs::await_release(inode, Duration::from_secs(10));
    // Released in its namespace too (await_release reads our tables).
    let released = m.p.ns.run(move || {
        common::eventually(Duration::from_secs(10), || {
            !common::procs::in_socket_tables(inode)
        })
    });
    assert!(released, "the member socket was never released");
    assert!(
        !m.mcast_list().contains(&wanted[0]),
        "the membership outlived its socket"
    );
    refilter(&m);
    let (closed, _) = m.round();
    assert_eq!(closed, before, "after the member socket closed");
}

#[test]
fn promiscuous_and_all_multicast_modes_let_every_group_in() {
    // PACKET_ADD_MEMBERSHIP is a SOL_PACKET option.
    if common::emulation::gap("SOL_PACKET") {
        return;
    }
    let Some(mut m) = Multicast::new() else { return };
    let all: BTreeSet<usize> = (0..8).collect();
    let (before, _) = m.round();
    assert!(before.len() <= 4, "the macvlan let {before:?} through unjoined");
    assert_eq!(m.link(), (m.link().0 & !(IFF_PROMISC | IFF_ALLMULTI), 0));
    assert_eq!(m.ip_counts().0, Some(0));

    // A packet socket's PACKET_MR_PROMISC counts in IFLA_PROMISCUITY (and
    // ip's "promiscuity"), not in the IFF_PROMISC of ifi_flags, which
    // shows only what `ip link set promisc on` asked for (dev_get_flags).
    // PACKET_MR_ALLMULTI likewise counts in IFLA_ALLMULTI (ip's
    // "allmulti", printed by iproute2 6.x and later).
    for (kind, name) in [
        (PACKET_MR_PROMISC, "PACKET_MR_PROMISC"),
        (PACKET_MR_ALLMULTI, "PACKET_MR_ALLMULTI"),
    ] {
        m.on_macvlan.add_membership(m.zm0, kind, &[]).unwrap();
        let (flags, count) = m.link();
        assert_eq!(flags & (IFF_PROMISC | IFF_ALLMULTI), 0, "{name}: ifi_flags");
        let (ip_promisc, ip_allmulti) = m.ip_counts();
        if kind == PACKET_MR_PROMISC {
            assert_eq!(count, 1, "{name}: IFLA_PROMISCUITY");
            assert_eq!(ip_promisc, Some(1), "{name}: ip -d -json link's promiscuity");
        } else {
            assert_eq!(count, 0, "{name}: IFLA_PROMISCUITY");
            if let Some(n) = ip_allmulti {
                assert_eq!(n, 1, "{name}: ip -d -json link's allmulti");
            }
        }
        let (open_mode, _) = m.round();
        assert_eq!(open_mode, all, "{name}: every group arrives");

        m.on_macvlan.drop_membership(m.zm0, kind, &[]).unwrap();
        assert_eq!(m.link().1, 0, "{name}: IFLA_PROMISCUITY after dropping it");
        let (ip_promisc, ip_allmulti) = m.ip_counts();
        assert_eq!(ip_promisc, Some(0), "{name}: ip's promiscuity after dropping it");
        assert!(
            ip_allmulti.is_none_or(|n| n == 0),
            "{name}: ip's allmulti after dropping it"
        );
        let (after, _) = m.round();
        assert_eq!(after, before, "{name}: dropped, the filter is back");
    }
}
