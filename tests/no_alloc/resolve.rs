//! Zero allocation in every resolver path, proven with a counting global
//! allocator armed on the test's thread only: the file readers (from bytes
//! and streamed from files), `resolv.conf` and `nsswitch.conf`, the DNS
//! wire format, a DNS query (poll-driven and blocking, UDP and TCP) against
//! a responder thread on loopback, and `getaddrinfo` with numeric, hosts
//! file and DNS names, `AI_ADDRCONFIG` (netlink) and the RFC 6724 sort,
//! `gethostbyaddr`, services and protocols.
//!
//! The responder runs on its own thread (its allocations are not counted)
//! and the resolver is pointed at it explicitly: nothing else is asked.

use std::ffi::CString;
use std::net::UdpSocket;
use std::time::Duration;

use crate::common::dns::{qtype, reply};
use zerosock::resolve::wire::{Message, build_query, encode_name};
use zerosock::resolve::{
    AddrInfoList, AiFlags, Hints, HostSources, HostsFile, Paths, ProtocolsFile, Query, QueryKind, ResolvConf,
    Resolver, ServicesFile,
};
use zerosock::{Domain, Type};

use crate::common::alloc::no_alloc;

/// A responder on a free loopback port: A queries get 192.0.2.5 (and a
/// truncated reply first for `big`), AAAA queries no data; TCP answers the
/// truncated ones. Stops after `n` UDP queries.
fn responder(n: usize) -> (std::net::SocketAddr, std::thread::JoinHandle<()>) {
    let (udp, tcp) = loop {
        let udp = UdpSocket::bind("127.0.0.1:0").unwrap();
        if let Ok(tcp) = std::net::TcpListener::bind(udp.local_addr().unwrap()) {
            break (udp, tcp);
        }
    };
    udp.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let addr = udp.local_addr().unwrap();
    let h = std::thread::spawn(move || {
        for _ in 0..n {
            let mut q = [0u8; 512];
            let Ok((len, from)) = udp.recv_from(&mut q) else {
                return;
            };
            let q = &q[..len];
            let big = q.windows(4).any(|w| w == b"\x03big");
            if qtype(q) == 1 && big {
                udp.send_to(&reply(q, 0, true, &[]), from).unwrap();
                use std::io::{Read, Write};
                let (mut s, _) = tcp.accept().unwrap();
                let mut l = [0u8; 2];
                s.read_exact(&mut l).unwrap();
                let mut tq = vec![0u8; u16::from_be_bytes(l) as usize];
                s.read_exact(&mut tq).unwrap();
                let m = reply(&tq, 0, false, &[[192, 0, 2, 6]; 40]);
                s.write_all(&(m.len() as u16).to_be_bytes()).unwrap();
                s.write_all(&m).unwrap();
            } else if qtype(q) == 1 {
                udp.send_to(&reply(q, 0, false, &[[192, 0, 2, 5]]), from).unwrap();
            } else if qtype(q) == 12 {
                // A PTR answer: data is a pointer to the question name.
                let mut m = reply(q, 0, false, &[]);
                m[7] = 1;
                m.extend_from_slice(&[0xc0, 0x0c, 0, 12, 0, 1, 0, 0, 0, 60, 0, 2, 0xc0, 0x0c]);
                udp.send_to(&m, from).unwrap();
            } else {
                udp.send_to(&reply(q, 0, false, &[]), from).unwrap();
            }
        }
    });
    (addr, h)
}

#[test]
fn files_and_wire_allocate_nothing() {
    let dir = std::env::temp_dir().join(format!("zs-resolve-alloc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let hosts = dir.join("hosts");
    std::fs::write(
        &hosts,
        "127.0.0.1 localhost\n::1 localhost\nbad\n127.0.0.2 two alias2\n",
    )
    .unwrap();
    let hosts_c = CString::new(hosts.to_str().unwrap()).unwrap();
    let resolv = dir.join("resolv.conf");
    std::fs::write(&resolv, "nameserver 127.0.0.1\nsearch a.test\noptions ndots:2\n").unwrap();
    let resolv_c = CString::new(resolv.to_str().unwrap()).unwrap();

    no_alloc("file readers", || {
        let mut buf = [0u8; 64];
        let mut h = HostsFile::open(&hosts_c, &mut buf).unwrap();
        let mut n = 0;
        while let Some(e) = h.next_entry() {
            n += usize::from(e.is_ok());
        }
        assert_eq!(n, 3);
        let mut h = HostsFile::from_bytes(b"10.0.0.1 a b c\n");
        assert!(h.next_entry().unwrap().unwrap().matches("C"));
        let mut s = ServicesFile::from_bytes(b"http 80/tcp www\n");
        assert_eq!(s.next_entry().unwrap().unwrap().port, 80);
        let mut p = ProtocolsFile::from_bytes(b"tcp 6 TCP\n");
        assert_eq!(p.next_entry().unwrap().unwrap().number, 6);
        let c = ResolvConf::read(&resolv_c, &mut buf).unwrap();
        assert_eq!(c.ndots(), 2);
        let s = HostSources::parse(b"hosts: dns files\n");
        assert_eq!(s.sources().len(), 2);
    });
    no_alloc("wire", || {
        let mut name = [0u8; 255];
        let n = encode_name("www.example.test", &mut name).unwrap();
        let mut buf = [0u8; 512];
        let len = build_query(&mut buf, 9, &name[..n], 28, Some(1200)).unwrap();
        let msg = Message::new_checked(&buf[..len]).unwrap();
        assert_eq!(msg.records().count(), 1);
        assert!(msg.questions().next().unwrap().unwrap().name.eq_wire(&name[..n]));
    });

    let r = Resolver::new(
        ResolvConf::with_nameservers(&["127.0.0.1:9".parse().unwrap()]),
        HostSources::parse(b"hosts: files\n"),
        Paths {
            hosts: &hosts_c,
            ..Paths::SYSTEM
        },
    );
    no_alloc("getaddrinfo: numeric, hosts file, sort, ADDRCONFIG", || {
        let l: AddrInfoList = r
            .getaddrinfo(Some("127.0.0.1"), Some("80"), &Hints::default())
            .unwrap();
        assert_eq!(l.len(), 3);
        let l: AddrInfoList = r
            .getaddrinfo(
                Some("localhost"),
                None,
                &Hints::default().with_flags(AiFlags::CANONNAME | AiFlags::ADDRCONFIG),
            )
            .unwrap();
        assert_eq!(l.len(), 6);
        assert_eq!(l.canonical_name(), Some("localhost"));
        let l: AddrInfoList = r
            .getaddrinfo(
                None,
                Some("443"),
                &Hints {
                    socktype: Type::STREAM,
                    ..Hints::default()
                },
            )
            .unwrap();
        assert_eq!(l.len(), 2);
        assert!(
            r.getaddrinfo::<4>(Some("nowhere"), None, &Hints::default())
                .is_err()
        );
        assert_eq!(
            r.host_by_addr("127.0.0.2".parse().unwrap()).unwrap().as_str(),
            "two"
        );
        let h = r.host_by_name::<4>("alias2", Domain::INET).unwrap();
        assert_eq!(h.name.as_str(), "two");
    });
    no_alloc("services and protocols", || {
        let sys = Resolver::new(ResolvConf::default(), HostSources::FILES_DNS, Paths::SYSTEM);
        if let Ok(s) = sys.service_by_name("domain", Some("udp")) {
            assert_eq!(s.port, 53);
        }
        if let Ok(p) = sys.protocol_by_name("tcp") {
            assert_eq!(p.number, 6);
        }
        let _ = sys.protocol_by_number(17);
        let _ = sys.service_by_port(22, None);
    });
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn dns_queries_allocate_nothing() {
    let (server, h) = responder(8);
    let conf = ResolvConf::with_nameservers(&[server]).set_options("timeout:2 attempts:1");
    no_alloc("poll-driven query", || {
        let mut buf = [0u8; 2048];
        let mut q = Query::new(
            &conf,
            "host.test.",
            QueryKind::Host { v4: true, v6: true },
            &mut buf,
        )
        .unwrap();
        let found = loop {
            if let Some(fd) = q.fd() {
                let mut fds = [zerosock::poll::PollFd::from_borrowed_fd(fd, q.interest())];
                let _ = zerosock::poll::poll(&mut fds, Some(q.timeout()));
            }
            if let Some(done) = q.advance() {
                break done.unwrap().addrs().count();
            }
        };
        assert_eq!(found, 1);
    });
    no_alloc("blocking query over UDP then TCP", || {
        let mut buf = [0u8; 4096];
        let a = Query::new(
            &conf,
            "big.test.",
            QueryKind::Host { v4: true, v6: false },
            &mut buf,
        )
        .unwrap()
        .wait()
        .unwrap();
        assert_eq!(a.addrs().count(), 40);
    });
    let r = Resolver::new(conf.clone(), HostSources::parse(b"hosts: dns\n"), Paths::SYSTEM);
    no_alloc("getaddrinfo and gethostbyaddr over DNS", || {
        let l: AddrInfoList = r
            .getaddrinfo(Some("www.test."), Some("80"), &Hints::default())
            .unwrap();
        assert_eq!(l.len(), 3);
        let name = r.host_by_addr("192.0.2.5".parse().unwrap()).unwrap();
        assert_eq!(name.as_str(), "5.2.0.192.in-addr.arpa");
        let addrs = zerosock::resolve::resolve_host_port::<8>("www.test.", 443, Some(&r)).unwrap();
        assert_eq!(addrs.as_slice().len(), 1);
    });
    h.join().unwrap();
}
