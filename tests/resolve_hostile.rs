//! A hostile DNS server written here, on 127.0.0.1 (a free port; the
//! resolver is given it explicitly, so nothing else is ever asked): replies
//! with the wrong ID, the wrong question, not a response, from another
//! port or address, truncated, malformed (compression loops, pointers past
//! the end, counts that lie, trailing bytes), and over TCP a 64 KiB answer
//! of garbage, a 64 KiB answer of records, and a stream cut short. Each bad
//! reply carries 6.6.6.6; it must be ignored (the query waits on and takes
//! the good reply that follows, 192.0.2.77) or refused — never believed,
//! never a panic.

mod common;

use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener, UdpSocket};
use std::thread::JoinHandle;
use std::time::Duration;

use common::dns::{id, qtype, question, reply};
use zerosock::resolve::{GaiError, Query, QueryKind, ResolvConf};

const BAD: [u8; 4] = [6, 6, 6, 6];
const GOOD: [u8; 4] = [192, 0, 2, 77];

/// Binds UDP and TCP on the same free loopback port.
fn bind_pair() -> (UdpSocket, TcpListener) {
    for _ in 0..50 {
        let udp = UdpSocket::bind("127.0.0.1:0").unwrap();
        let port = udp.local_addr().unwrap().port();
        if let Ok(tcp) = TcpListener::bind(("127.0.0.1", port)) {
            return (udp, tcp);
        }
    }
    panic!("no free port for UDP and TCP together");
}

/// Runs `serve` on the server sockets in a thread; returns the resolver
/// configuration that points at them (timeout 1 s, one attempt).
fn server(serve: impl FnOnce(UdpSocket, TcpListener) + Send + 'static) -> (ResolvConf, JoinHandle<()>) {
    let (udp, tcp) = bind_pair();
    udp.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let addr = udp.local_addr().unwrap();
    let handle = std::thread::spawn(move || serve(udp, tcp));
    let conf = ResolvConf::with_nameservers(&[addr]).set_options("timeout:1 attempts:1");
    (conf, handle)
}

fn ask(conf: &ResolvConf) -> Result<Vec<IpAddr>, GaiError> {
    let mut buf = vec![0u8; 65535];
    Query::new(
        conf,
        "host.test.",
        QueryKind::Host { v4: true, v6: false },
        &mut buf,
    )?
    .wait()
    .map(|a| a.addrs().collect())
}

/// One bad reply made from the query, then the good one.
fn bad_then_good(bad: impl FnOnce(&[u8]) -> Vec<u8> + Send + 'static) -> Result<Vec<IpAddr>, GaiError> {
    let (conf, h) = server(move |udp, _tcp| {
        let mut q = [0u8; 512];
        let (n, from) = udp.recv_from(&mut q).unwrap();
        let q = &q[..n];
        udp.send_to(&bad(q), from).unwrap();
        std::thread::sleep(Duration::from_millis(20));
        udp.send_to(&reply(q, 0, false, &[GOOD]), from).unwrap();
    });
    let r = ask(&conf);
    h.join().unwrap();
    r
}

fn good() -> Result<Vec<IpAddr>, GaiError> {
    Ok(vec![IpAddr::V4(Ipv4Addr::from(GOOD))])
}

#[test]
fn wrong_id_is_ignored() {
    let r = bad_then_good(|q| {
        let mut m = reply(q, 0, false, &[BAD]);
        m[0] ^= 0x5a;
        m
    });
    assert_eq!(r, good());
}

#[test]
fn wrong_question_is_ignored() {
    let r = bad_then_good(|q| {
        let mut m = reply(q, 0, false, &[BAD]);
        // "host" -> "hosu" in the question.
        m[16] ^= 1;
        m
    });
    assert_eq!(r, good());
    let r = bad_then_good(|q| {
        let mut m = reply(q, 0, false, &[BAD]);
        // The question's type: AAAA instead of A.
        let at = 12 + question(q).len() - 3;
        m[at] = 28;
        m
    });
    assert_eq!(r, good());
}

#[test]
fn a_query_is_not_an_answer() {
    let r = bad_then_good(|q| {
        let mut m = reply(q, 0, false, &[BAD]);
        m[2] &= 0x7f; // QR clear
        m
    });
    assert_eq!(r, good());
}

#[test]
fn malformed_replies_are_ignored() {
    type Mangle = fn(&[u8]) -> Vec<u8>;
    let cases: [(&str, Mangle); 7] = [
        ("cut in the record", |q| {
            let m = reply(q, 0, false, &[BAD]);
            m[..m.len() - 3].to_vec()
        }),
        ("header only", |q| reply(q, 0, false, &[BAD])[..12].to_vec()),
        ("compression loop", |q| {
            let mut m = reply(q, 0, false, &[BAD]);
            // The record's owner points at itself.
            let at = 12 + question(q).len();
            m[at + 1] = at as u8;
            m
        }),
        ("pointer past the end", |q| {
            let mut m = reply(q, 0, false, &[BAD]);
            let at = 12 + question(q).len();
            m[at] = 0xc3;
            m[at + 1] = 0xff;
            m
        }),
        ("counts that lie", |q| {
            let mut m = reply(q, 0, false, &[BAD]);
            m[7] = 5;
            m
        }),
        ("trailing bytes", |q| {
            let mut m = reply(q, 0, false, &[BAD]);
            m.extend_from_slice(&[0xde, 0xad]);
            m
        }),
        ("reserved label type", |q| {
            let mut m = reply(q, 0, false, &[BAD]);
            let at = 12 + question(q).len();
            m[at] = 0x40;
            m
        }),
    ];
    for (what, mangle) in cases {
        assert_eq!(bad_then_good(mangle), good(), "{what}");
    }
}

#[test]
fn replies_from_elsewhere_are_ignored() {
    let (conf, h) = server(|udp, _tcp| {
        let mut q = [0u8; 512];
        let (n, from) = udp.recv_from(&mut q).unwrap();
        let q = &q[..n];
        // Another port on the server's address, and another address.
        let other_port = UdpSocket::bind("127.0.0.1:0").unwrap();
        other_port.send_to(&reply(q, 0, false, &[BAD]), from).unwrap();
        let other_addr = UdpSocket::bind("127.0.0.2:0").unwrap();
        let _ = other_addr.send_to(&reply(q, 0, false, &[BAD]), from);
        std::thread::sleep(Duration::from_millis(20));
        udp.send_to(&reply(q, 0, false, &[GOOD]), from).unwrap();
    });
    assert_eq!(ask(&conf), good());
    h.join().unwrap();
}

#[test]
fn only_bad_replies_time_out() {
    let (conf, h) = server(|udp, _tcp| {
        let mut q = [0u8; 512];
        let (n, from) = udp.recv_from(&mut q).unwrap();
        let mut m = reply(&q[..n], 0, false, &[BAD]);
        m[1] ^= 1;
        udp.send_to(&m, from).unwrap();
    });
    assert_eq!(ask(&conf), Err(GaiError::Again));
    h.join().unwrap();
}

/// Answers TC over UDP, then runs `tcp` on the accepted stream.
fn truncated_then(
    tcp_serve: impl FnOnce(std::net::TcpStream, &[u8]) + Send + 'static,
) -> Result<Vec<IpAddr>, GaiError> {
    let (conf, h) = server(move |udp, tcp| {
        let mut q = [0u8; 512];
        let (n, from) = udp.recv_from(&mut q).unwrap();
        udp.send_to(&reply(&q[..n], 0, true, &[]), from).unwrap();
        let (mut s, _) = tcp.accept().unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut len = [0u8; 2];
        use std::io::Read;
        s.read_exact(&mut len).unwrap();
        let mut q = vec![0u8; u16::from_be_bytes(len) as usize];
        s.read_exact(&mut q).unwrap();
        tcp_serve(s, &q);
    });
    let r = ask(&conf);
    h.join().unwrap();
    r
}

#[test]
fn tcp_garbage_64k_is_refused() {
    use std::io::Write;
    let r = truncated_then(|mut s, q| {
        let mut m = vec![0xffu8; 65535];
        m[..2].copy_from_slice(&q[..2]);
        let _ = s.write_all(&65535u16.to_be_bytes());
        let _ = s.write_all(&m);
    });
    assert_eq!(r, Err(GaiError::Again));
}

#[test]
fn tcp_answer_of_64k_is_read() {
    use std::io::Write;
    let r = truncated_then(|mut s, q| {
        // As many A records as fit in 65535 bytes: the first the resolver
        // keeps (MAX_ADDRS) are 10.0.x.y in order.
        let n = (65535 - 12 - question(q).len()) / 16;
        let addrs: Vec<[u8; 4]> = (0..n).map(|i| [10, 0, (i >> 8) as u8, i as u8]).collect();
        let m = reply(q, 0, false, &addrs);
        assert!(m.len() > 65000 && m.len() <= 65535);
        let _ = s.write_all(&(m.len() as u16).to_be_bytes());
        let _ = s.write_all(&m);
    });
    let r = r.unwrap();
    assert_eq!(r.len(), zerosock::resolve::MAX_ADDRS);
    assert_eq!(r[3], IpAddr::V4(Ipv4Addr::new(10, 0, 0, 3)));
}

#[test]
fn tcp_cut_short_is_refused() {
    use std::io::Write;
    let r = truncated_then(|mut s, q| {
        let m = reply(q, 0, false, &[BAD]);
        let _ = s.write_all(&(m.len() as u16 + 100).to_be_bytes());
        let _ = s.write_all(&m);
        // and close
    });
    assert_eq!(r, Err(GaiError::Again));
}

#[test]
fn ids_and_ports_are_random() {
    let (conf, h) = server(|udp, _tcp| {
        let mut seen = Vec::new();
        for _ in 0..8 {
            let mut q = [0u8; 512];
            let (n, from) = udp.recv_from(&mut q).unwrap();
            assert_eq!(qtype(&q[..n]), 1);
            seen.push((id(&q[..n]), from.port()));
            udp.send_to(&reply(&q[..n], 0, false, &[GOOD]), from).unwrap();
        }
        let ids: std::collections::BTreeSet<_> = seen.iter().map(|s| s.0).collect();
        let ports: std::collections::BTreeSet<_> = seen.iter().map(|s| s.1).collect();
        assert!(ids.len() > 4, "query IDs repeat: {seen:?}");
        assert!(ports.len() > 4, "source ports repeat: {seen:?}");
    });
    for _ in 0..8 {
        assert_eq!(ask(&conf), good());
    }
    h.join().unwrap();
}

#[test]
fn servfail_then_next_server() {
    // First server: SERVFAIL; second: the answer.
    let (conf1, h1) = server(|udp, _| {
        let mut q = [0u8; 512];
        let (n, from) = udp.recv_from(&mut q).unwrap();
        udp.send_to(&reply(&q[..n], 2, false, &[]), from).unwrap();
    });
    let (conf2, h2) = server(|udp, _| {
        let mut q = [0u8; 512];
        let (n, from) = udp.recv_from(&mut q).unwrap();
        udp.send_to(&reply(&q[..n], 0, false, &[GOOD]), from).unwrap();
    });
    let servers: Vec<SocketAddr> = conf1
        .nameservers()
        .iter()
        .chain(conf2.nameservers())
        .copied()
        .collect();
    let conf = ResolvConf::with_nameservers(&servers).set_options("timeout:1 attempts:1");
    assert_eq!(ask(&conf), good());
    h1.join().unwrap();
    h2.join().unwrap();
}
