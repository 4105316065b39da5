//! AF_NETLINK: rtnetlink and sock_diag against iproute2, in network
//! namespaces these tests create (`ip netns add zs-<pid>-<n>`), and the
//! message reader under generated input.
//!
//! Every change is made through zerosock's rtnetlink and then checked
//! against `ip -json` field by field; kernel errors are checked against the
//! errno and extended-ACK text `ip` reports for the same request; sock_diag
//! is checked against `ss` for sockets the test opens in a fresh namespace.
//! Needs root and iproute2; otherwise each namespace test prints
//! `SKIPPED: …`. The reader fuzz runs everywhere: `ZEROSOCK_NETLINK_FUZZ=N`
//! sets its count (default 20,000; the opt-in run uses 10,000,000).

mod common;

use std::collections::BTreeSet;
use std::fs::File;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::os::fd::AsRawFd;
use std::process::Command;
use std::time::{Duration, Instant};

use common::rng::Rng;
use common::rtnl::Setup;
use common::{NetNs, skip};
use serde_json::Value;
use zerosock::netlink::diag::{InetQuery, SockDiag, UnixQuery, state_bit};
use zerosock::netlink::route::consts::*;
use zerosock::netlink::route::{Event, Link, LinkChange, RouteSpec, RouteType, Rtnetlink};
use zerosock::netlink::{
    Attrs, MsgBuilder, NETLINK_ROUTE, NLM_F_DUMP, NLM_F_REQUEST, Netlink, NlError, NlMsg, decode_error,
};
use zerosock::opt::TcpState;
use zerosock::{Domain, Errno, MsgFlags, Protocol};

const BUF: usize = 32 * 1024;

fn netns() -> Option<NetNs> {
    match NetNs::new() {
        Ok(ns) => Some(ns),
        Err(why) => {
            skip(&why);
            None
        }
    }
}

/// An rtnetlink socket in `ns`, with a receive timeout so no test hangs.
fn rtnl_in(ns: &NetNs) -> Rtnetlink {
    let rtnl = ns.run(|| Rtnetlink::open().expect("open rtnetlink"));
    rtnl.netlink()
        .socket()
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    rtnl
}

/// `ip -n NS -json ARGS…`, parsed.
fn ip_json(ns: &NetNs, args: &[&str]) -> Value {
    let out = Command::new("ip")
        .args(["-n", ns.name(), "-json"])
        .args(args)
        .output()
        .expect("run ip");
    assert!(
        out.status.success(),
        "ip {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or(Value::Array(vec![]))
}

/// The message `ip` prints for a request the kernel refuses: the
/// extended-ACK text (`Error: TEXT.`) or the errno's (`RTNETLINK answers: …`).
fn ip_error(ns: &NetNs, args: &[&str]) -> String {
    let out = Command::new("ip")
        .args(["-n", ns.name()])
        .args(args)
        .output()
        .expect("run ip");
    assert!(!out.status.success(), "ip {args:?} unexpectedly succeeded");
    String::from_utf8_lossy(&out.stderr).trim().to_string()
}

/// Checks our error against `ip`'s for the same request: the same errno,
/// and the same extended-ACK text when the kernel gave one.
fn same_error(ours: NlError, ip_says: &str, errno: Errno) {
    let NlError::Kernel(err) = ours else {
        panic!("expected a kernel error, got {ours:?}");
    };
    eprintln!("ours: {err}; ip: {ip_says}");
    assert_eq!(err.errno(), errno);
    match ip_says.strip_prefix("Error: ") {
        Some(text) => assert_eq!(err.message(), Some(text.trim_end_matches('.')), "ext-ack text"),
        None => assert_eq!(err.message(), None, "ip showed no ext-ack text: {ip_says}"),
    }
}

fn mac(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

fn operstate_name(state: u8) -> &'static str {
    [
        "UNKNOWN",
        "NOTPRESENT",
        "DOWN",
        "LOWERLAYERDOWN",
        "TESTING",
        "DORMANT",
        "UP",
    ]
    .get(state as usize)
    .copied()
    .unwrap_or("?")
}

const FLAG_NAMES: [(u32, &str); 8] = [
    (IFF_UP, "UP"),
    (IFF_BROADCAST, "BROADCAST"),
    (IFF_LOOPBACK, "LOOPBACK"),
    (IFF_POINTOPOINT, "POINTOPOINT"),
    (IFF_NOARP, "NOARP"),
    (IFF_PROMISC, "PROMISC"),
    (IFF_MULTICAST, "MULTICAST"),
    (IFF_LOWER_UP, "LOWER_UP"),
];

/// One link as a comparable row: index, name, mtu, hardware address,
/// operstate, the flags `ip` names, peer index, qdisc, txqlen.
type LinkRow = (
    u64,
    String,
    u64,
    String,
    String,
    BTreeSet<String>,
    Option<u64>,
    String,
    u64,
);

fn our_links(rtnl: &Rtnetlink) -> Vec<LinkRow> {
    let mut buf = vec![0u8; BUF];
    let mut rows = Vec::new();
    rtnl.links(&mut buf, |l: &Link<'_>| {
        let flags = FLAG_NAMES
            .iter()
            .filter(|(bit, _)| l.flags() & bit != 0)
            .map(|(_, n)| n.to_string())
            .collect();
        rows.push((
            l.index() as u64,
            l.name().unwrap().to_string(),
            l.mtu().unwrap() as u64,
            mac(l.address().unwrap_or(&[])),
            operstate_name(l.operstate().unwrap()).to_string(),
            flags,
            l.link().filter(|&i| i != l.index()).map(u64::from),
            l.qdisc().unwrap_or("").to_string(),
            l.txqlen().unwrap_or(0) as u64,
        ));
    })
    .unwrap();
    rows.sort();
    rows
}

fn ip_links(ns: &NetNs) -> Vec<LinkRow> {
    let all = ip_json(ns, &["link", "show"]);
    let all = all.as_array().unwrap();
    // A peer in the same namespace is named ("link"), in another one
    // numbered ("link_index").
    let index_of = |name: &str| {
        all.iter()
            .find(|l| l["ifname"] == name)
            .and_then(|l| l["ifindex"].as_u64())
    };
    let mut rows: Vec<LinkRow> = all
        .iter()
        .map(|l| {
            let flags = l["flags"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f.as_str().unwrap().to_string())
                .filter(|f| FLAG_NAMES.iter().any(|(_, n)| n == f))
                .collect();
            (
                l["ifindex"].as_u64().unwrap(),
                l["ifname"].as_str().unwrap().to_string(),
                l["mtu"].as_u64().unwrap(),
                l["address"].as_str().unwrap_or("").to_string(),
                l["operstate"].as_str().unwrap().to_string(),
                flags,
                l["link_index"]
                    .as_u64()
                    .or_else(|| l["link"].as_str().and_then(index_of)),
                l["qdisc"].as_str().unwrap_or("").to_string(),
                l["txqlen"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    rows.sort();
    rows
}

/// Compares the link tables; operstate settles asynchronously after a
/// change, so both are read again (bounded) until two reads agree.
fn links_agree(rtnl: &Rtnetlink, ns: &NetNs) -> Vec<LinkRow> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (ours, theirs) = (our_links(rtnl), ip_links(ns));
        if ours == theirs || Instant::now() > deadline {
            assert_eq!(ours, theirs, "links: zerosock vs ip -json");
            return ours;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn scope_name(scope: u8) -> String {
    match scope {
        0 => "global".into(),
        200 => "site".into(),
        253 => "link".into(),
        254 => "host".into(),
        n => n.to_string(),
    }
}

/// (ifindex, family, local, prefixlen, scope, label).
type AddrRow = (u64, String, String, u64, String, String);

fn addrs_agree(rtnl: &Rtnetlink, ns: &NetNs) -> Vec<AddrRow> {
    let mut buf = vec![0u8; BUF];
    let mut ours = Vec::new();
    rtnl.addresses(Domain::UNSPEC, &mut buf, |a| {
        let family = if a.family() == Domain::INET {
            "inet"
        } else {
            "inet6"
        };
        ours.push((
            a.index() as u64,
            family.to_string(),
            a.ip().unwrap().to_string(),
            a.prefix_len() as u64,
            scope_name(a.scope()),
            a.label().unwrap_or("").to_string(),
        ));
    })
    .unwrap();
    ours.sort();
    let mut theirs = Vec::new();
    for link in ip_json(ns, &["addr", "show"]).as_array().unwrap() {
        for a in link["addr_info"].as_array().unwrap() {
            theirs.push((
                link["ifindex"].as_u64().unwrap(),
                a["family"].as_str().unwrap().to_string(),
                a["local"].as_str().unwrap().to_string(),
                a["prefixlen"].as_u64().unwrap(),
                a["scope"].as_str().unwrap().to_string(),
                a["label"].as_str().unwrap_or("").to_string(),
            ));
        }
    }
    theirs.sort();
    assert_eq!(ours, theirs, "addresses: zerosock vs ip -json");
    ours
}

/// (dst, gateway, dev index, type, protocol, scope, metric).
type RouteRow = (String, String, u64, String, String, String, Option<u64>);

fn proto_name(p: u8) -> String {
    match p {
        2 => "kernel".into(),
        3 => "boot".into(),
        4 => "static".into(),
        n => n.to_string(),
    }
}

fn routes_agree(rtnl: &Rtnetlink, ns: &NetNs, family: Domain) -> Vec<RouteRow> {
    let mut buf = vec![0u8; BUF];
    let mut ours = Vec::new();
    let host_len = if family == Domain::INET { 32 } else { 128 };
    rtnl.routes(family, &mut buf, |r| {
        if r.table() != RT_TABLE_MAIN as u32 {
            return;
        }
        let dst = match (r.dst(), r.dst_len()) {
            (None, 0) => "default".to_string(),
            (Some(ip), n) if n == host_len => ip.to_string(),
            (Some(ip), n) => format!("{ip}/{n}"),
            (None, n) => format!("?/{n}"),
        };
        let kind = if r.kind() == RouteType::UNICAST {
            ""
        } else {
            r.kind().name().unwrap_or("?")
        };
        ours.push((
            dst,
            r.gateway().map(|g| g.to_string()).unwrap_or_default(),
            r.oif().unwrap_or(0) as u64,
            kind.to_string(),
            proto_name(r.protocol()),
            scope_name(r.scope()),
            r.priority().map(u64::from),
        ));
    })
    .unwrap();
    ours.sort();
    let links = ip_json(ns, &["link", "show"]);
    let index_of = |dev: &str| {
        links
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["ifname"] == dev)
            .map_or(0, |l| l["ifindex"].as_u64().unwrap())
    };
    let fam = if family == Domain::INET { "-4" } else { "-6" };
    let mut theirs: Vec<RouteRow> = ip_json(ns, &[fam, "route", "show"])
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["dst"].as_str().unwrap().to_string(),
                r["gateway"].as_str().unwrap_or("").to_string(),
                r["dev"].as_str().map_or(0, index_of),
                r["type"].as_str().unwrap_or("").to_string(),
                // ip leaves out `proto boot`, the default.
                r["protocol"].as_str().unwrap_or("boot").to_string(),
                r["scope"].as_str().unwrap_or("global").to_string(),
                r["metric"].as_u64(),
            )
        })
        .collect();
    theirs.sort();
    // ip shows "unicast" routes without a type; a missing protocol is 0.
    assert_eq!(ours, theirs, "routes ({family:?}): zerosock vs ip -json");
    ours
}

fn netns_fd(ns: &NetNs) -> File {
    File::open(format!("/var/run/netns/{}", ns.name())).expect("open netns file")
}

fn borrowed(file: &File) -> zerosock::fd::BorrowedFd<'_> {
    // SAFETY: the file is open for the borrow's lifetime.
    unsafe { zerosock::fd::BorrowedFd::borrow_raw(file.as_raw_fd()) }
}

#[test]
fn veth_links_addresses_and_routes_match_ip_json() {
    let (Some(a), Some(b)) = (netns(), netns()) else {
        return;
    };
    let (ra, rb) = (rtnl_in(&a), rtnl_in(&b));
    let mut buf = vec![0u8; BUF];

    // A veth pair, made by zerosock, seen by ip.
    ra.add_veth("zn0", "zn1", &mut buf).unwrap();
    let links = links_agree(&ra, &a);
    assert!(links.iter().any(|l| l.1 == "zn0") && links.iter().any(|l| l.1 == "zn1"));
    let mut kind = None;
    ra.link_by_name("zn0", &mut buf, |l| kind = l.kind().map(str::to_string))
        .unwrap();
    assert_eq!(kind.as_deref(), Some("veth"));
    let detail = ip_json(&a, &["-d", "link", "show", "zn0"]);
    assert_eq!(detail[0]["linkinfo"]["info_kind"], "veth");

    // One end moved to the other namespace.
    let zn1 = ra.link_index("zn1", &mut buf).unwrap();
    let b_file = netns_fd(&b);
    ra.set_link(
        zn1,
        &LinkChange {
            netns: Some(borrowed(&b_file)),
            ..LinkChange::default()
        },
        &mut buf,
    )
    .unwrap();
    assert!(!links_agree(&ra, &a).iter().any(|l| l.1 == "zn1"));
    assert!(links_agree(&rb, &b).iter().any(|l| l.1 == "zn1"));

    // Up, an MTU, a rename while down, then up again.
    let zn0 = ra.link_index("zn0", &mut buf).unwrap();
    let zn1 = rb.link_index("zn1", &mut buf).unwrap();
    ra.set_link(
        zn0,
        &LinkChange {
            mtu: Some(1400),
            name: Some("zs-left"),
            ..LinkChange::default()
        },
        &mut buf,
    )
    .unwrap();
    ra.set_link(
        zn0,
        &LinkChange {
            up: Some(true),
            ..LinkChange::default()
        },
        &mut buf,
    )
    .unwrap();
    rb.set_link(
        zn1,
        &LinkChange {
            up: Some(true),
            mtu: Some(1400),
            ..LinkChange::default()
        },
        &mut buf,
    )
    .unwrap();
    let left = links_agree(&ra, &a)
        .into_iter()
        .find(|l| l.0 == zn0 as u64)
        .unwrap();
    assert_eq!((left.1.as_str(), left.2), ("zs-left", 1400));
    assert!(left.5.contains("UP"));
    links_agree(&rb, &b);

    // Addresses, IPv4 and IPv6.
    let v4 = |s: &str| IpAddr::V4(s.parse::<Ipv4Addr>().unwrap());
    let v6 = |s: &str| IpAddr::V6(s.parse::<Ipv6Addr>().unwrap());
    ra.add_address(zn0, v4("10.61.0.1"), 24, &mut buf).unwrap();
    ra.add_address(zn0, v6("fd00:61::1"), 64, &mut buf).unwrap();
    rb.add_address(zn1, v4("10.61.0.2"), 24, &mut buf).unwrap();
    rb.add_address(zn1, v6("fd00:61::2"), 64, &mut buf).unwrap();
    let addrs = addrs_agree(&ra, &a);
    assert!(
        addrs
            .iter()
            .any(|r| r.2 == "10.61.0.1" && r.3 == 24 && r.0 == zn0 as u64)
    );
    assert!(addrs.iter().any(|r| r.2 == "fd00:61::1" && r.3 == 64));
    addrs_agree(&rb, &b);

    // Routes: a gateway route with a metric, the three refusing types, a
    // default route, and IPv6.
    let mut via = RouteSpec::new(v4("10.62.0.0"), 16);
    via.gateway = Some(v4("10.61.0.1"));
    via.metric = Some(50);
    rb.add_route(&via, &mut buf).unwrap();
    for (dst, kind) in [
        ("192.0.2.0", RouteType::BLACKHOLE),
        ("198.51.100.0", RouteType::UNREACHABLE),
        ("203.0.113.0", RouteType::PROHIBIT),
    ] {
        rb.add_route(
            &RouteSpec {
                kind,
                ..RouteSpec::new(v4(dst), 24)
            },
            &mut buf,
        )
        .unwrap();
    }
    rb.add_route(&RouteSpec::new(v4("192.0.2.77"), 32).with_blackhole(), &mut buf)
        .unwrap();
    rb.add_route(&RouteSpec::default_via(v4("10.61.0.1")), &mut buf)
        .unwrap();
    let mut dev_route = RouteSpec::new(v4("10.63.0.0"), 24);
    dev_route.oif = Some(zn1);
    rb.add_route(&dev_route, &mut buf).unwrap();
    rb.add_route(
        &RouteSpec {
            kind: RouteType::BLACKHOLE,
            ..RouteSpec::new(v6("2001:db8::"), 32)
        },
        &mut buf,
    )
    .unwrap();
    rb.add_route(&RouteSpec::default_via(v6("fd00:61::1")), &mut buf)
        .unwrap();
    let routes = routes_agree(&rb, &b, Domain::INET);
    for want in [
        "default",
        "10.62.0.0/16",
        "192.0.2.0/24",
        "198.51.100.0/24",
        "203.0.113.0/24",
        "192.0.2.77",
        "10.63.0.0/24",
    ] {
        assert!(
            routes.iter().any(|r| r.0 == want),
            "{want} missing from {routes:?}"
        );
    }
    let routes6 = routes_agree(&rb, &b, Domain::INET6);
    assert!(
        routes6
            .iter()
            .any(|r| r.0 == "2001:db8::/32" && r.3 == "blackhole")
    );
    assert!(routes6.iter().any(|r| r.0 == "default" && r.1 == "fd00:61::1"));

    // Deleting routes, then the default route.
    rb.delete_route(
        &RouteSpec {
            kind: RouteType::BLACKHOLE,
            ..RouteSpec::new(v4("192.0.2.0"), 24)
        },
        &mut buf,
    )
    .unwrap();
    rb.delete_route(&RouteSpec::default_via(v4("10.61.0.1")), &mut buf)
        .unwrap();
    let routes = routes_agree(&rb, &b, Domain::INET);
    assert!(!routes.iter().any(|r| r.0 == "192.0.2.0/24" || r.0 == "default"));

    // An address deleted.
    rb.delete_address(zn1, v6("fd00:61::2"), 64, &mut buf).unwrap();
    assert!(!addrs_agree(&rb, &b).iter().any(|r| r.2 == "fd00:61::2"));

    // Neighbours: a permanent entry, listed as ip lists it.
    if common::emulation::gap("RTM_NEWNEIGH") {
        return;
    }
    rb.add_neighbour(zn1, v4("10.61.0.9"), &[2, 0, 0, 0, 0, 9], &mut buf)
        .unwrap();
    let mut neigh = Vec::new();
    rb.neighbours(Domain::INET, &mut buf, |n| {
        neigh.push((
            n.ip().unwrap().to_string(),
            mac(n.lladdr().unwrap_or(&[])),
            n.index(),
            n.state(),
        ))
    })
    .unwrap();
    let theirs = ip_json(&b, &["-4", "neigh", "show"]);
    let theirs: Vec<(String, String)> = theirs
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["dst"].as_str().unwrap().to_string(),
                n["lladdr"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let ours: Vec<(String, String)> = neigh.iter().map(|n| (n.0.clone(), n.1.clone())).collect();
    assert_eq!(ours, theirs, "neighbours");
    assert!(
        neigh
            .iter()
            .any(|n| n.0 == "10.61.0.9" && n.1 == "02:00:00:00:00:09" && n.3 == NUD_PERMANENT)
    );

    // Deleting one end of the pair takes the other along, across namespaces.
    ra.delete_link(zn0, &mut buf).unwrap();
    assert!(!links_agree(&ra, &a).iter().any(|l| l.0 == zn0 as u64));
    assert!(common::eventually(Duration::from_secs(5), || !ip_links(&b)
        .iter()
        .any(|l| l.1 == "zn1")));
    links_agree(&rb, &b);
}

trait Blackhole {
    fn with_blackhole(self) -> Self;
}

impl Blackhole for RouteSpec {
    fn with_blackhole(self) -> Self {
        RouteSpec {
            kind: RouteType::BLACKHOLE,
            ..self
        }
    }
}

#[test]
fn kernel_errors_carry_errno_and_extended_ack_text() {
    let Some(ns) = netns() else { return };
    let rtnl = rtnl_in(&ns);
    let mut buf = vec![0u8; BUF];
    rtnl.add_veth("ze0", "ze1", &mut buf).unwrap();
    let ze0 = rtnl.link_index("ze0", &mut buf).unwrap();
    let ip4: IpAddr = "10.71.0.1".parse().unwrap();
    rtnl.add_address(ze0, ip4, 24, &mut buf).unwrap();

    // The same address twice.
    let err = rtnl.add_address(ze0, ip4, 24, &mut buf).unwrap_err();
    same_error(
        err,
        &ip_error(&ns, &["addr", "add", "10.71.0.1/24", "dev", "ze0"]),
        Errno::EXIST,
    );

    // A route that does not exist.
    let missing = RouteSpec {
        kind: RouteType::BLACKHOLE,
        ..RouteSpec::new("192.0.2.0".parse().unwrap(), 24)
    };
    let err = rtnl.delete_route(&missing, &mut buf).unwrap_err();
    same_error(
        err,
        &ip_error(&ns, &["route", "del", "blackhole", "192.0.2.0/24"]),
        Errno::SRCH,
    );

    // A prefix length no address can have (ip refuses it itself, so the
    // kernel's answer is checked on its own: EINVAL with its text).
    for (ip, len) in [("10.71.0.9", 33u8), ("fd00:71::9", 129)] {
        let err = rtnl
            .add_address(ze0, ip.parse().unwrap(), len, &mut buf)
            .unwrap_err();
        let NlError::Kernel(k) = err else {
            panic!("{err:?}")
        };
        eprintln!("{ip}/{len}: {k}");
        assert_eq!(k.errno(), Errno::INVAL);
        assert!(
            k.message()
                .is_some_and(|m| m.to_ascii_lowercase().contains("prefix")),
            "{k}"
        );
    }

    // A link that does not exist.
    let err = rtnl.link_index("zs-none", &mut buf).unwrap_err();
    assert_eq!(err.errno(), Some(Errno::NODEV), "{err:?}");
}

#[test]
fn link_down_and_address_notifications_arrive() {
    let Some(ns) = netns() else { return };
    let mut setup = ns.run(Setup::open);
    let zm0 = setup.veth("zm0", "zm1").up("zm0").index("zm0");
    let rtnl = setup.rtnl();
    let mut buf = vec![0u8; BUF];

    let watcher = ns.run(|| Netlink::open(NETLINK_ROUTE).unwrap());
    watcher.join_group(RTNLGRP_LINK).unwrap();
    watcher.join_group(RTNLGRP_IPV4_IFADDR).unwrap();
    watcher
        .socket()
        .set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();

    rtnl.set_link(
        zm0,
        &LinkChange {
            up: Some(false),
            ..LinkChange::default()
        },
        &mut buf,
    )
    .unwrap();
    rtnl.add_address(zm0, "10.72.0.1".parse().unwrap(), 24, &mut buf)
        .unwrap();

    let (mut saw_down, mut saw_addr) = (false, false);
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut rx = vec![0u8; BUF];
    while !(saw_down && saw_addr) && Instant::now() < deadline {
        let (messages, from) = match watcher.recv(&mut rx, MsgFlags::NONE) {
            Err(NlError::Os(Errno::AGAIN | Errno::INTR)) => continue,
            other => other.unwrap(),
        };
        assert_eq!(from, 0, "notifications come from the kernel");
        for msg in messages {
            match Event::parse(&msg.unwrap()).unwrap() {
                Event::Link(l) if l.index() == zm0 && !l.is_up() => saw_down = true,
                Event::Address(a) if a.index() == zm0 && a.ip() == Some("10.72.0.1".parse().unwrap()) => {
                    saw_addr = !a.is_deleted()
                }
                _ => {}
            }
        }
    }
    assert!(saw_down, "no RTM_NEWLINK without IFF_UP for zm0");
    assert!(saw_addr, "no RTM_NEWADDR for 10.72.0.1");
}

#[test]
fn a_dump_larger_than_the_buffer_is_reported_and_not_lost() {
    let Some(ns) = netns() else { return };
    let rtnl = rtnl_in(&ns);
    let mut buf = vec![0u8; BUF];
    for i in 0..4 {
        rtnl.add_veth(&format!("zt{i}a"), &format!("zt{i}b"), &mut buf)
            .unwrap();
    }
    let expected = ip_links(&ns).len();
    assert_eq!(expected, 9);

    let nl = ns.run(|| Netlink::open(NETLINK_ROUTE).unwrap());
    nl.socket()
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let seq = nl.next_seq();
    let mut tx = [0u8; 64];
    let mut b = MsgBuilder::new(&mut tx, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, seq).unwrap();
    b.fixed(&zerosock::netlink::route::IfInfoMsg::default()).unwrap();
    let request = b.finish().to_vec();

    let mut small = [0u8; 64];
    let mut count = 0;
    let err = nl.request(&request, &mut small, |_| {
        count += 1;
        Ok(())
    });
    let Err(NlError::Truncated { needed }) = err else {
        panic!("expected Truncated, got {err:?}")
    };
    assert!(needed > 64, "{needed}");
    assert_eq!(count, 0);

    // The datagram stayed queued: a large enough buffer reads it all.
    let mut big = vec![0u8; needed.max(BUF)];
    let mut names = Vec::new();
    nl.replies(seq, true, &mut big, |msg| {
        names.push(Link::parse(msg)?.name().unwrap().to_string());
        Ok(())
    })
    .unwrap();
    assert_eq!(names.len(), expected, "{names:?}");
}

// ---------------------------------------------------------------------------
// sock_diag against ss

/// `ip netns exec NS ss ARGS`, its lines split in columns.
fn ss_rows(ns: &NetNs, args: &str) -> Vec<Vec<String>> {
    let out = Command::new("ip")
        .args(["netns", "exec", ns.name(), "ss"])
        .args(args.split(' '))
        .output()
        .expect("run ss");
    assert!(
        out.status.success(),
        "ss {args}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.split_whitespace().map(str::to_string).collect())
        .filter(|r: &Vec<String>| !r.is_empty())
        .collect()
}

fn ss_state(state: u8) -> &'static str {
    match state {
        1 => "ESTAB",
        2 => "SYN-SENT",
        3 => "SYN-RECV",
        4 => "FIN-WAIT-1",
        5 => "FIN-WAIT-2",
        6 => "TIME-WAIT",
        7 => "UNCONN",
        8 => "CLOSE-WAIT",
        9 => "LAST-ACK",
        10 => "LISTEN",
        11 => "CLOSING",
        _ => "?",
    }
}

fn ss_addr(addr: SocketAddr) -> String {
    let port = if addr.port() == 0 {
        "*".to_string()
    } else {
        addr.port().to_string()
    };
    match addr {
        SocketAddr::V4(a) if a.ip().is_unspecified() => format!("0.0.0.0:{port}"),
        SocketAddr::V4(a) => format!("{}:{port}", a.ip()),
        SocketAddr::V6(a) if a.ip().is_unspecified() => format!("[::]:{port}"),
        SocketAddr::V6(a) => format!("[{}]:{port}", a.ip()),
    }
}

#[test]
fn sock_diag_agrees_with_ss() {
    if common::emulation::gap("NETLINK_SOCK_DIAG") {
        return;
    }
    let Some(ns) = netns() else { return };
    if !common::have_tool("ss") {
        skip("ss (iproute2) is not installed");
        return;
    }
    // Sockets opened inside the namespace, so ss sees only these.
    let held = ns.run(|| {
        use zerosock::addr::UnixAddr;
        use zerosock::{TcpListener, TcpStream, UdpSocket, UnixListener, UnixStream};
        let l4 = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let c4 = TcpStream::connect(l4.local_addr().unwrap()).unwrap();
        let (s4, _) = l4.accept().unwrap();
        c4.send_all(b"hello").unwrap();
        let pending = TcpStream::connect(l4.local_addr().unwrap()).unwrap();
        let l6 = TcpListener::bind((Ipv6Addr::LOCALHOST, 0)).unwrap();
        let c6 = TcpStream::connect(l6.local_addr().unwrap()).unwrap();
        let u4 = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let u6 = UdpSocket::bind((Ipv6Addr::LOCALHOST, 0)).unwrap();
        u4.connect(u4.local_addr().unwrap()).unwrap();
        let ul = UnixListener::bind(&UnixAddr::new_abstract(b"zs-diag").unwrap()).unwrap();
        let uc = UnixStream::connect(&UnixAddr::new_abstract(b"zs-diag").unwrap()).unwrap();
        let (x, y) = UnixStream::pair().unwrap();
        x.send_all(b"xyz").unwrap();
        let path = format!("/tmp/zs-diag-{}.sock", std::process::id());
        let _ = std::fs::remove_file(&path);
        let up = UnixListener::bind(&UnixAddr::new(path.as_str()).unwrap()).unwrap();
        (l4, c4, s4, pending, l6, c6, u4, u6, ul, uc, x, y, up, path)
    });
    let path = held.13.clone();
    let _cleanup = RemoveOnDrop(path.clone());
    let diag = ns.run(|| SockDiag::open().unwrap());
    diag.netlink()
        .socket()
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut buf = vec![0u8; BUF];

    for (proto, flag) in [(Protocol::TCP, "-t"), (Protocol::UDP, "-u")] {
        let mut ours = Vec::new();
        for family in [Domain::INET, Domain::INET6] {
            let query = InetQuery {
                tcp_info: proto == Protocol::TCP,
                ..InetQuery::new(family, proto)
            };
            diag.inet(&query, &mut buf, |s| {
                if proto == Protocol::TCP {
                    let info = s.tcp_info().expect("tcp_info");
                    assert_eq!(info.state().map(|st| st as u8), Some(s.state()));
                    assert!(s.congestion().is_some());
                }
                ours.push(vec![
                    ss_state(s.state()).to_string(),
                    s.recv_queue().to_string(),
                    s.send_queue().to_string(),
                    ss_addr(s.local()),
                    ss_addr(s.remote()),
                    format!("ino:{}", s.inode()),
                ]);
            })
            .unwrap();
        }
        let mut theirs: Vec<Vec<String>> = ss_rows(&ns, &format!("-H {flag}ane"))
            .into_iter()
            .map(|r| {
                let ino = r
                    .iter()
                    .find(|c| c.starts_with("ino:"))
                    .cloned()
                    .unwrap_or_else(|| "ino:0".into());
                let mut row = r[..5].to_vec();
                row.push(ino);
                row
            })
            .collect();
        ours.sort();
        theirs.sort();
        eprintln!("{flag}: {ours:?}");
        assert_eq!(ours, theirs, "{flag}: sock_diag vs ss");
        assert!(ours.len() >= if proto == Protocol::TCP { 6 } else { 2 });
    }

    // Unix: name, inode, peer inode, queues.
    let mut ours = Vec::new();
    diag.unix(&UnixQuery::default(), &mut buf, |s| {
        let name = match s.name() {
            None => "*".to_string(),
            Some([0, rest @ ..]) => format!("@{}", String::from_utf8_lossy(rest)),
            Some(path) => String::from_utf8_lossy(path).into_owned(),
        };
        let (rq, wq) = s.queues().unwrap();
        let st = if s.state() == 10 {
            "LISTEN"
        } else if s.state() == 1 {
            "ESTAB"
        } else {
            "UNCONN"
        };
        ours.push(vec![
            st.to_string(),
            rq.to_string(),
            wq.to_string(),
            name,
            s.inode().to_string(),
            "*".to_string(),
            s.peer().unwrap_or(0).to_string(),
        ]);
    })
    .unwrap();
    let mut theirs: Vec<Vec<String>> = ss_rows(&ns, "-H -xa")
        .into_iter()
        .map(|r| r[1..8].to_vec())
        .collect();
    ours.sort();
    theirs.sort();
    eprintln!("unix: {ours:?}");
    assert_eq!(ours, theirs, "unix: sock_diag vs ss");
    // The pair's two ends name each other as peers. The connected client's
    // peer is its server end, waiting in accept with no inode yet: the
    // kernel reports peer 0, and the listener's read queue counts it.
    let peers: Vec<_> = ours.iter().filter(|r| r[6] != "0").collect();
    let mutual = peers
        .iter()
        .filter(|r| ours.iter().any(|o| o[4] == r[6] && o[6] == r[4]))
        .count();
    assert_eq!((peers.len(), mutual), (2, 2), "{peers:?}");
    assert!(
        ours.iter()
            .any(|r| r[0] == "LISTEN" && r[1] == "1" && r[3] == "@zs-diag")
    );
    // A pathname socket's file: vfs inode and device as stat(2) gives them.
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(&path).unwrap();
    let mut vfs = None;
    diag.unix(&UnixQuery::default(), &mut buf, |s| {
        if s.name() == Some(path.as_bytes()) {
            vfs = s.vfs();
        }
    })
    .unwrap();
    let (ino, dev) = vfs.expect("UNIX_DIAG_VFS for the pathname listener");
    assert_eq!(u64::from(ino), meta.ino());
    // The device in the kernel's internal dev_t (major << 20 | minor).
    let (major, minor) = (libc::major(meta.dev()), libc::minor(meta.dev()));
    assert_eq!(dev, (major << 20) | minor);

    // A state filter: listeners only, as `ss -l` shows them.
    let mut listeners = Vec::new();
    let query = InetQuery {
        states: state_bit(TcpState::Listen),
        ..InetQuery::new(Domain::INET, Protocol::TCP)
    };
    diag.inet(&query, &mut buf, |s| listeners.push((s.tcp_state(), s.local())))
        .unwrap();
    assert_eq!(
        listeners,
        vec![(Some(TcpState::Listen), held.0.local_addr().unwrap())]
    );
    drop(held);
}

/// Removes a file when dropped.
struct RemoveOnDrop(String);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

// ---------------------------------------------------------------------------
// The reader under generated input

/// Runs every reader over `bytes`; none may panic, and every view stays
/// inside the bytes it was given.
fn read_everything(bytes: &[u8]) -> usize {
    let mut seen = 0;
    for msg in zerosock::netlink::Messages::new(bytes) {
        let Ok(msg) = msg else { break };
        seen += msg.payload().len();
        let _ = decode_error(&msg);
        if let Ok(ev) = Event::parse(&msg) {
            if let Event::Link(l) = ev {
                let _ = (l.name(), l.mtu(), l.address(), l.kind(), l.operstate(), l.link());
            }
            if let Event::Address(a) = ev {
                let _ = (a.ip(), a.label(), a.flags(), a.broadcast());
            }
            if let Event::Route(r) = ev {
                let _ = (r.dst(), r.gateway(), r.table(), r.oif(), r.priority());
            }
        }
        if let Ok(s) = zerosock::netlink::diag::InetSocket::parse(&msg) {
            let _ = (s.local(), s.remote(), s.tcp_info(), s.congestion());
        }
        if let Ok(s) = zerosock::netlink::diag::UnixSocket::parse(&msg) {
            let _ = (
                s.name(),
                s.peer(),
                s.queues(),
                s.vfs(),
                s.pending().count(),
                s.uid(),
            );
        }
        for attr in Attrs::new(msg.payload()).take(64) {
            let Ok(attr) = attr else { break };
            let _ = (attr.u32(), attr.str(), attr.ip());
            for inner in attr.nested().take(64) {
                let Ok(inner) = inner else { break };
                seen += inner.payload().len();
            }
        }
    }
    seen
}

/// A valid message of a random rtnetlink or sock_diag type, with random
/// attributes, some nested.
fn valid_message(rng: &mut Rng, out: &mut [u8]) -> usize {
    let ty = rng.pick(&[RTM_NEWLINK, RTM_NEWADDR, RTM_NEWROUTE, RTM_NEWNEIGH, 20, 2, 3]);
    let Ok(mut b) = MsgBuilder::new(out, ty, rng.next() as u16, rng.next() as u32) else {
        return 0;
    };
    // A family header of one of the sizes the readers expect, or none.
    let mut fixed = [0u8; 72];
    rng.fill(&mut fixed);
    let _ = match rng.below(5) {
        0 => b.fixed(&<[u8; 16]>::try_from(&fixed[..16]).unwrap()),
        1 => b.fixed(&<[u8; 8]>::try_from(&fixed[..8]).unwrap()),
        2 => b.fixed(&<[u8; 12]>::try_from(&fixed[..12]).unwrap()),
        3 => b.fixed(&fixed),
        _ => Ok(()),
    };
    for _ in 0..rng.below(8) {
        let mut payload = vec![0u8; rng.below(40)];
        rng.fill(&mut payload);
        let kind = rng.below(40) as u16;
        if rng.one_in(4) {
            let _ = b.nest(kind, |b| b.attr(rng.below(8) as u16, &payload));
        } else {
            let _ = b.attr(kind, &payload);
        }
    }
    b.finish().len()
}

#[test]
fn reader_survives_generated_input() {
    let count: u64 = std::env::var("ZEROSOCK_NETLINK_FUZZ")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let mut rng = Rng(0x6e65_746c_696e_6b21);
    let mut buf = vec![0u8; 4096];
    let mut total = 0usize;
    for i in 0..count {
        let seed = rng.0;
        let len = match i % 3 {
            // Random bytes.
            0 => {
                let len = rng.below(256);
                rng.fill(&mut buf[..len]);
                len
            }
            // Valid messages back to back, then mutated.
            _ => {
                let mut len = 0;
                for _ in 0..rng.upto(3) {
                    len += zerosock::netlink::align(valid_message(&mut rng, &mut buf[len..1024 + len]));
                }
                if i % 3 == 2 {
                    for _ in 0..rng.upto(4) {
                        let at = rng.below(len.max(1));
                        buf[at] = rng.next() as u8;
                    }
                    len = len.saturating_sub(rng.below(8));
                }
                len
            }
        };
        let bytes = &buf[..len];
        let result = std::panic::catch_unwind(|| read_everything(bytes));
        match result {
            Ok(n) => total += n,
            Err(_) => panic!("reader panicked on case {i} (rng seed {seed:#x}): {bytes:?}"),
        }
    }
    eprintln!("{count} generated datagrams read, {total} payload bytes seen");
}

#[test]
fn builder_writes_nothing_that_does_not_fit() {
    let mut buf = [0u8; 36];
    let mut b = MsgBuilder::new(&mut buf, RTM_NEWLINK, 0, 1).unwrap();
    b.attr_str(IFLA_IFNAME, "a").unwrap(); // 4 + 2 -> 8
    let before = b.len();
    assert_eq!(b.attr(IFLA_ADDRESS, &[0; 13]), Err(NlError::NoSpace));
    assert_eq!(b.len(), before);
    // A nest whose content does not fit is taken back whole.
    assert_eq!(
        b.nest(IFLA_LINKINFO, |b| b.attr(1, &[0; 9])),
        Err(NlError::NoSpace)
    );
    assert_eq!(b.len(), before);
    b.nest(IFLA_LINKINFO, |b| b.attr_u8(1, 7)).unwrap();
    let bytes = b.finish();
    let (msg, rest) = NlMsg::parse(bytes).unwrap();
    assert!(rest.is_empty());
    let attrs: Vec<_> = Attrs::new(msg.payload()).map(Result::unwrap).collect();
    assert_eq!(attrs.len(), 2);
    assert_eq!(attrs[0].str(), Ok("a"));
    assert_eq!(attrs[1].kind(), IFLA_LINKINFO);
    assert_eq!(attrs[1].nested().find(1).unwrap().u8(), Ok(7));
    // A header that cannot fit at all.
    assert!(matches!(
        MsgBuilder::new(&mut [0u8; 15], 0, 0, 0),
        Err(NlError::NoSpace)
    ));
}

// ---------------------------------------------------------------------------
// examples/ipaddr against `ip -brief address show`

/// The example's binary, built if this test run did not build it.
fn ipaddr_binary() -> Option<std::path::PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let dir = exe.parent()?.parent()?; // target/debug
    let bin = dir.join("examples").join("ipaddr");
    if !bin.exists() {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(cargo)
            .args(["build", "--example", "ipaddr"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .ok()?;
        if !status.success() {
            return None;
        }
    }
    bin.exists().then_some(bin)
}

/// Runs `ours` and `ip -brief address show` (both prefixed by `prefix`,
/// e.g. `ip netns exec NS`) until two runs agree (state settles
/// asynchronously), at most 5 s; returns the last pair.
fn brief_outputs(prefix: &[&str], ours: &std::path::Path) -> (String, String) {
    let run = |args: Vec<&str>| {
        let out = Command::new(args[0]).args(&args[1..]).output().expect("run");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let mut a = prefix.to_vec();
        a.push(ours.to_str().unwrap());
        let mut b = prefix.to_vec();
        b.extend(["ip", "-brief", "address", "show"]);
        let (x, y) = (run(a), run(b));
        if x == y || Instant::now() > deadline {
            return (x, y);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn ipaddr_prints_what_ip_brief_prints() {
    if !common::have_tool("ip") {
        skip("the `ip` tool (iproute2) is not installed");
        return;
    }
    let Some(bin) = ipaddr_binary() else {
        skip("could not build examples/ipaddr");
        return;
    };
    // The host's own links (read only).
    let (ours, theirs) = brief_outputs(&[], &bin);
    assert_eq!(ours, theirs, "host: ipaddr vs ip -brief address show");
    assert!(
        ours.lines()
            .any(|l| l.starts_with("lo ") && l.contains("127.0.0.1/8"))
    );

    // A namespace with a peer in the same namespace, one in another (shown
    // as @ifN), a long name, a down link and addresses of both families.
    let (Some(a), Some(b)) = (netns(), netns()) else {
        return;
    };
    let (ra, rb) = (rtnl_in(&a), rtnl_in(&b));
    let mut buf = vec![0u8; BUF];
    ra.add_veth("zb-same-0", "zb-same-1", &mut buf).unwrap();
    ra.add_veth("zb-fifteen-char", "zb-far", &mut buf).unwrap();
    let far = ra.link_index("zb-far", &mut buf).unwrap();
    let b_file = netns_fd(&b);
    ra.set_link(
        far,
        &LinkChange {
            netns: Some(borrowed(&b_file)),
            ..LinkChange::default()
        },
        &mut buf,
    )
    .unwrap();
    for name in ["zb-same-0", "zb-same-1", "zb-fifteen-char"] {
        let i = ra.link_index(name, &mut buf).unwrap();
        ra.set_link(
            i,
            &LinkChange {
                up: Some(true),
                ..LinkChange::default()
            },
            &mut buf,
        )
        .unwrap();
    }
    let i = ra.link_index("zb-same-0", &mut buf).unwrap();
    ra.add_address(i, "10.81.0.1".parse().unwrap(), 24, &mut buf)
        .unwrap();
    ra.add_address(i, "10.81.1.1".parse().unwrap(), 16, &mut buf)
        .unwrap();
    ra.add_address(i, "fd00:81::1".parse().unwrap(), 64, &mut buf)
        .unwrap();
    let far = rb.link_index("zb-far", &mut buf).unwrap();
    rb.add_address(far, "10.82.0.2".parse().unwrap(), 24, &mut buf)
        .unwrap();
    for ns in [&a, &b] {
        let (ours, theirs) = brief_outputs(&["ip", "netns", "exec", ns.name()], &bin);
        eprint!("{ours}");
        assert_eq!(ours, theirs, "namespace: ipaddr vs ip -brief address show");
    }
}
