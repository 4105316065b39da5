//! The resolver against a real DNS server (dnsmasq, from Debian's
//! `dnsmasq-base`, installed by `ci/setup.sh`) and against glibc, inside a
//! network and mount namespace each test creates (`unshare --net --mount`):
//! only `lo` exists there, dnsmasq listens on 127.0.0.1:53 with zone data
//! the test writes, and `/etc/hosts`, `/etc/resolv.conf` and
//! `/etc/nsswitch.conf` are bind-mounted over with the test's own files, so
//! glibc and `getent` read the same configuration as zerosock and no query
//! can reach the machine's configured name server.
//!
//! Each `#[test]` here re-runs this test binary inside a fresh namespace
//! with one `inner_*` test selected; the inner tests are `#[ignore]`d and
//! refuse to run unless they see the test's own `/etc/resolv.conf` (marked
//! `# zerosock-test`). Needs root, `unshare` and `dnsmasq`; otherwise each
//! test prints `SKIPPED: …`.

mod common;

use std::collections::BTreeSet;
use std::ffi::{CStr, CString};
use std::fmt::Write as _;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::rtnl::Setup;
use common::{have_tool, skip};
use zerosock::resolve::{
    AddrInfoList, AiFlags, GaiError, Hints, HostSources, Paths, Query, QueryKind, ResolvConf, Resolver,
};
use zerosock::{Domain, Protocol, Type};

const MARK: &str = "# zerosock-test";
const DNSMASQ: &str = "/usr/sbin/dnsmasq";

/// The test's `/etc/hosts`.
const HOSTS: &str = "\
127.0.0.1 localhost
::1 localhost ip6-localhost ip6-loopback
127.0.0.2 files-host fh-alias
127.0.0.3 multi.files
::1 multi.files
127.0.0.4 multi.files
127.1 short-form
10.1.2.3 site-host
2001:db8::5 v6.files
this line is bad
127.0.0.9
   # a comment line
127.0.0.5 CaseHost # trailing comment
192.0.2.50 www.test
";

/// Records dnsmasq serves (hosts-file format: several addresses per name).
const DNS_HOSTS: &str = "\
192.0.2.10 www.test
192.0.2.11 www.test
2001:db8::10 www.test
127.0.0.7 lo.test
::1 lo.test
127.0.0.8 lo.test
192.0.2.20 v4only.test
2001:db8::30 v6only.test
192.0.2.40 sub.www.test
192.0.2.41 two.dots.test
127.0.0.60 upper.test
";

/// The names every differential and `getent` comparison tries.
const NAMES: &[&str] = &[
    // hosts file
    "localhost",
    "files-host",
    "fh-alias",
    "FILES-HOST",
    "multi.files",
    "short-form",
    "site-host",
    "v6.files",
    "casehost",
    "ip6-localhost",
    // DNS
    "www.test",
    "www",
    "www.test.",
    "alias.test",
    "alias2",
    "lo.test",
    "v4only.test",
    "v6only",
    "nodata.test",
    "nx.test",
    "nx",
    "big.test",
    "sub.www",
    "two.dots.test",
    "UPPER.test",
    // literals and odd forms
    "127.0.0.1",
    "::1",
    "127.1",
    "0x7f.1",
    "::ffff:127.0.0.1",
    "192.0.2.1",
    "2001:db8::1",
    "1.2.3.4.5",
    "fe80::1%lo",
    "fe80::1%1",
    "::1%7",
];

fn dir() -> PathBuf {
    PathBuf::from(std::env::var("ZS_RESOLVE_DIR").expect("ZS_RESOLVE_DIR"))
}

/// Writes the configuration into a fresh directory and runs `inner` in a
/// new network and mount namespace with it bind-mounted over `/etc`.
fn in_namespace(inner: &str, resolv_options: &str) {
    in_namespace_with(inner, resolv_options, "");
}

/// [`in_namespace`], with the addresses `lo_addrs` (`ADDRESS/LEN`, space
/// separated) on `lo`: the inner test adds them itself, with zerosock's
/// rtnetlink (see [`inside`]).
fn in_namespace_with(inner: &str, resolv_options: &str, lo_addrs: &str) {
    if !have_tool("unshare") {
        return skip("`unshare` (util-linux) is not installed");
    }
    if !Path::new(DNSMASQ).exists() {
        return skip("dnsmasq is not installed (ci/setup.sh installs dnsmasq-base)");
    }
    let probe = Command::new("unshare")
        .args(["--net", "--mount", "true"])
        .output();
    if !probe.map(|o| o.status.success()).unwrap_or(false) {
        return skip("cannot create network and mount namespaces (needs root)");
    }
    // One directory per call: several outer tests run the same inner test
    // side by side, and must not remove each other's files.
    static CALLS: AtomicUsize = AtomicUsize::new(0);
    let n = CALLS.fetch_add(1, Ordering::Relaxed);
    let d = std::env::temp_dir().join(format!("zs-resolve-{}-{n}-{inner}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(d.join("hosts"), HOSTS).unwrap();
    std::fs::write(d.join("dns-hosts"), DNS_HOSTS).unwrap();
    let mut big = String::new();
    for i in 1..=40 {
        writeln!(big, "198.51.100.{i} big.test").unwrap();
    }
    std::fs::write(d.join("big-hosts"), big).unwrap();
    std::fs::write(
        d.join("resolv.conf"),
        format!("{MARK}\nnameserver 127.0.0.1\nsearch test\noptions {resolv_options}\n"),
    )
    .unwrap();
    std::fs::write(d.join("nsswitch.conf"), "hosts: files dns\n").unwrap();
    let exe = std::env::current_exe().unwrap();
    let script = format!(
        "set -e; \
         for f in hosts resolv.conf nsswitch.conf; do mount --bind {d}/$f /etc/$f; done; \
         exec {exe} --exact {inner} --ignored --nocapture --test-threads=1",
        d = d.display(),
        exe = exe.display(),
    );
    let inner = inner.split(' ').next().unwrap();
    let out = Command::new("unshare")
        .args(["--net", "--mount", "sh", "-c", &script])
        .env("ZS_RESOLVE_DIR", &d)
        .env("ZS_LO_ADDRS", lo_addrs)
        .env("ZS_OUTER_NETNS", netns_of("self"))
        .output()
        .expect("run unshare");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprintln!("{stdout}{stderr}");
    let _ = std::fs::remove_dir_all(&d);
    assert!(out.status.success(), "{inner} failed in its namespace");
    assert!(stdout.contains("1 passed"), "{inner} did not run");
}

/// The network namespace of process `pid` (`self` for this one), as its
/// `/proc/PID/ns/net` link names it (`net:[N]`).
fn netns_of(pid: &str) -> String {
    std::fs::read_link(format!("/proc/{pid}/ns/net"))
        .map(|l| l.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Inside the namespace only: the test's own resolv.conf is in place.
/// Then sets the namespace up, once: `lo` up and the addresses of
/// `ZS_LO_ADDRS` on it, through zerosock's rtnetlink.
fn inside() -> bool {
    let ok = std::env::var("ZS_RESOLVE_DIR").is_ok()
        && std::fs::read_to_string("/etc/resolv.conf").is_ok_and(|s| s.starts_with(MARK));
    if !ok {
        skip("inner test run outside its namespace: not run");
        return false;
    }
    // A namespace of its own, not the outer test's: dnsmasq's port 53 (and
    // every port here) cannot meet a port of the host's, nor a copy of
    // a socket of the outer test process (whose threads start children).
    let outer = std::env::var("ZS_OUTER_NETNS").unwrap_or_default();
    assert!(
        !outer.is_empty() && outer != netns_of("self"),
        "inner test in the outer test's network namespace ({outer})"
    );
    static SET_UP: std::sync::Once = std::sync::Once::new();
    SET_UP.call_once(|| {
        let mut links = Setup::open();
        links.up("lo");
        for cidr in std::env::var("ZS_LO_ADDRS")
            .unwrap_or_default()
            .split_whitespace()
        {
            links.addr("lo", cidr);
        }
    });
    true
}

/// dnsmasq in the foreground, killed (by its pid) when dropped.
struct Dnsmasq(Child);

impl Dnsmasq {
    fn start(extra: &[&str]) -> Self {
        let d = dir();
        let mut args: Vec<String> = [
            "--keep-in-foreground",
            "--conf-file=/dev/null",
            "--no-resolv",
            "--no-hosts",
            "--no-round-robin",
            "--listen-address=127.0.0.1",
            "--bind-interfaces",
            "--port=53",
            "--user=root",
            "--pid-file",
            "--local=/#/",
            "--cname=alias.test,www.test",
            "--cname=alias2.test,alias.test",
            "--txt-record=nodata.test,hello",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        args.push(format!("--addn-hosts={}", d.join("dns-hosts").display()));
        args.push(format!("--addn-hosts={}", d.join("big-hosts").display()));
        args.extend(extra.iter().map(|s| s.to_string()));
        let log = d.join("dnsmasq.log");
        let child = Command::new(DNSMASQ)
            .args(&args)
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).expect("dnsmasq log"))
            .spawn()
            .expect("start dnsmasq");
        let mut me = Self(child);
        // Ready when it answers.
        let conf = ResolvConf::with_nameservers(&["127.0.0.1:53".parse().unwrap()]).set_options("timeout:1");
        let ready = common::eventually(Duration::from_secs(10), || {
            let mut buf = [0u8; 4096];
            Query::new(
                &conf,
                "www.test",
                QueryKind::Host { v4: true, v6: false },
                &mut buf,
            )
            .and_then(Query::wait)
            .is_ok()
        });
        assert!(
            ready,
            "dnsmasq did not start answering (exit status: {:?}); its log:\n{}",
            me.0.try_wait(),
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        // The answer can only be its: it is in this (inner) namespace,
        // where this single-threaded test process starts no other child,
        // and nothing else serves 127.0.0.1:53.
        assert_eq!(netns_of(&me.0.id().to_string()), netns_of("self"));
        me
    }
}

impl Drop for Dnsmasq {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn addrs<const N: usize>(list: &AddrInfoList<N>) -> Vec<String> {
    list.iter().map(|a| a.addr.ip().to_string()).collect()
}

fn system() -> Resolver<'static> {
    Resolver::system().expect("read the test's /etc")
}

fn stream(family: Domain) -> Hints {
    Hints {
        family,
        socktype: Type::STREAM,
        ..Hints::default()
    }
}

// ---------------------------------------------------------------------------
// The real server

#[test]
fn dnsmasq_cases() {
    in_namespace("inner_dnsmasq_cases", "timeout:1 attempts:2");
}

#[test]
#[ignore = "run by dnsmasq_cases inside its namespace"]
fn inner_dnsmasq_cases() {
    if !inside() {
        return;
    }
    let _dns = Dnsmasq::start(&["--server=/fail.test/127.0.0.9"]);
    let sys = system();
    // DNS only, for the DNS cases (the hosts file also has www.test).
    let r = Resolver::new(
        sys.conf().clone(),
        HostSources::parse(b"hosts: dns\n"),
        Paths::SYSTEM,
    );
    let h = stream(Domain::UNSPEC);
    let canon = h.with_flags(AiFlags::CANONNAME);

    // Several A and AAAA, sorted as glibc sorts: none is reachable here
    // (rule 1 ties), IPv6 has the higher precedence (rule 6), and the A
    // records keep their order (rule 10).
    let l: AddrInfoList = r.getaddrinfo(Some("www.test"), None, &canon).unwrap();
    assert_eq!(addrs(&l), ["2001:db8::10", "192.0.2.10", "192.0.2.11"]);
    assert_eq!(l.canonical_name(), Some("www.test"));
    // CNAME chain: the canonical name is the chain's end.
    let l: AddrInfoList = r.getaddrinfo(Some("alias2.test"), None, &canon).unwrap();
    assert_eq!(l.canonical_name(), Some("www.test"));
    assert_eq!(l.len(), 3);
    // NXDOMAIN, NODATA, SERVFAIL.
    assert_eq!(
        r.getaddrinfo::<8>(Some("nx.test"), None, &h).unwrap_err(),
        GaiError::NoName
    );
    assert_eq!(
        r.getaddrinfo::<8>(Some("nodata.test"), None, &h).unwrap_err(),
        GaiError::NoData
    );
    assert_eq!(
        r.getaddrinfo::<8>(Some("v4only.test"), None, &stream(Domain::INET6))
            .unwrap_err(),
        GaiError::NoData
    );
    assert_eq!(
        r.getaddrinfo::<8>(Some("x.fail.test"), None, &h).unwrap_err(),
        GaiError::Again
    );
    // Over 512 bytes: truncated over UDP, then TCP.
    let l: AddrInfoList<64> = r.getaddrinfo(Some("big.test"), None, &h).unwrap();
    assert_eq!(l.len(), 40);
    // Search list and ndots.
    let l: AddrInfoList = r.getaddrinfo(Some("www"), None, &canon).unwrap();
    assert_eq!(l.canonical_name(), Some("www.test"));
    let l: AddrInfoList = r.getaddrinfo(Some("sub.www"), None, &h).unwrap();
    assert_eq!(addrs(&l), ["192.0.2.40"]);
    // A trailing dot: as is only (the hosts file does not know "www.test.").
    let l: AddrInfoList = r.getaddrinfo(Some("www.test."), None, &h).unwrap();
    assert_eq!(addrs(&l)[1], "192.0.2.10");
    // The hosts file first (nsswitch "files dns"): www.test is in both.
    let files_first = Resolver::new(r.conf().clone(), HostSources::FILES_DNS, Paths::SYSTEM);
    let l: AddrInfoList = files_first.getaddrinfo(Some("www.test"), None, &h).unwrap();
    assert_eq!(addrs(&l), ["192.0.2.50"]);
    let dns_first = Resolver::new(r.conf().clone(), HostSources::DEFAULT, Paths::SYSTEM);
    let l: AddrInfoList = dns_first.getaddrinfo(Some("www.test"), None, &h).unwrap();
    assert_eq!(addrs(&l)[1], "192.0.2.10");

    // PTR.
    assert_eq!(
        r.host_by_addr("192.0.2.20".parse().unwrap()).unwrap().as_str(),
        "v4only.test"
    );
    assert_eq!(
        r.host_by_addr("2001:db8::30".parse().unwrap()).unwrap().as_str(),
        "v6only.test"
    );
    assert_eq!(
        sys.host_by_addr("127.0.0.2".parse().unwrap()).unwrap().as_str(),
        "files-host"
    );
    assert!(r.host_by_addr("192.0.2.99".parse().unwrap()).is_err());

    // single-request, single-request-reopen, no-aaaa, use-vc, edns0,
    // rotate: the same answers.
    for opts in [
        "single-request",
        "single-request-reopen",
        "use-vc",
        "edns0",
        "rotate",
    ] {
        let conf = r.conf().clone().set_options(opts);
        let rr = Resolver::new(conf, HostSources::FILES_DNS, Paths::SYSTEM);
        let l: AddrInfoList = rr.getaddrinfo(Some("lo.test"), None, &h).unwrap();
        assert_eq!(l.len(), 3, "{opts}");
        let l: AddrInfoList<64> = rr.getaddrinfo(Some("big.test"), None, &h).unwrap();
        assert_eq!(l.len(), 40, "{opts}");
    }
    let conf = r.conf().clone().set_options("no-aaaa");
    let rr = Resolver::new(conf, HostSources::FILES_DNS, Paths::SYSTEM);
    let l: AddrInfoList = rr.getaddrinfo(Some("www.test."), None, &h).unwrap();
    assert_eq!(addrs(&l), ["192.0.2.10", "192.0.2.11"]);

    // A second server answers when the first is silent: the silent one
    // (a socket that reads and never answers) gets the query first.
    let silent = UdpSocket::bind("127.0.0.3:53").unwrap();
    silent.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let conf =
        ResolvConf::with_nameservers(&["127.0.0.3:53".parse().unwrap(), "127.0.0.1:53".parse().unwrap()])
            .set_options("timeout:1 attempts:1");
    let mut buf = [0u8; 4096];
    let answer = Query::new(
        &conf,
        "v4only.test",
        QueryKind::Host { v4: true, v6: true },
        &mut buf,
    )
    .unwrap()
    .wait()
    .unwrap();
    assert_eq!(
        answer.addrs().collect::<Vec<_>>(),
        [IpAddr::V4(Ipv4Addr::new(192, 0, 2, 20))]
    );
    let mut got = [0u8; 512];
    assert!(
        silent.recv_from(&mut got).is_ok(),
        "the first server was not asked"
    );
    // A server that refuses (nothing listens: ICMP port unreachable) is
    // skipped at once.
    let conf =
        ResolvConf::with_nameservers(&["127.0.0.4:53".parse().unwrap(), "127.0.0.1:53".parse().unwrap()]);
    let mut buf = [0u8; 4096];
    let answer = Query::new(
        &conf,
        "v6only.test",
        QueryKind::Host { v4: true, v6: true },
        &mut buf,
    )
    .unwrap()
    .wait()
    .unwrap();
    assert_eq!(answer.addrs().count(), 1);

    // The poll-driven form, driven by hand.
    let conf = r.conf().clone();
    let mut buf = [0u8; 4096];
    let mut q = Query::new(&conf, "lo", QueryKind::Host { v4: true, v6: true }, &mut buf).unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    let n = loop {
        assert!(Instant::now() < deadline, "the query never finished");
        if let Some(fd) = q.fd() {
            let mut fds = [zerosock::poll::PollFd::from_borrowed_fd(fd, q.interest())];
            let _ = zerosock::poll::poll(&mut fds, Some(q.timeout()));
        }
        if let Some(done) = q.advance() {
            break done.unwrap().addrs().count();
        }
    };
    assert_eq!(n, 3);
}

// ---------------------------------------------------------------------------
// glibc, side by side

/// glibc's answer, or zerosock's, in one comparable form.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Ok(Vec<String>, Option<String>),
    Err(i32),
}

fn glibc_gai(host: Option<&str>, service: Option<&str>, h: &Hints) -> Outcome {
    let host_c = host.map(|s| CString::new(s).unwrap());
    let serv_c = service.map(|s| CString::new(s).unwrap());
    // SAFETY: zeroed addrinfo is a valid "no hints" value; fields set below.
    let mut hints: libc::addrinfo = unsafe { std::mem::zeroed() };
    hints.ai_flags = h.flags.raw() as i32;
    hints.ai_family = i32::from(h.family.raw());
    hints.ai_socktype = h.socktype.raw() as i32;
    hints.ai_protocol = h.protocol.raw() as i32;
    let mut res: *mut libc::addrinfo = std::ptr::null_mut();
    // SAFETY: valid NUL-terminated strings or null, valid hints and out
    // pointer; the list is freed below.
    let rc = unsafe {
        libc::getaddrinfo(
            host_c.as_ref().map_or(std::ptr::null(), |c| c.as_ptr()),
            serv_c.as_ref().map_or(std::ptr::null(), |c| c.as_ptr()),
            &hints,
            &mut res,
        )
    };
    if rc != 0 {
        return Outcome::Err(rc);
    }
    let mut out = Vec::new();
    let mut canon = None;
    let mut p = res;
    while !p.is_null() {
        // SAFETY: glibc's list, walked before freeaddrinfo.
        let ai = unsafe { &*p };
        if canon.is_none() && !ai.ai_canonname.is_null() {
            // SAFETY: NUL-terminated string owned by the list.
            canon = Some(
                unsafe { CStr::from_ptr(ai.ai_canonname) }
                    .to_string_lossy()
                    .into_owned(),
            );
        }
        // SAFETY: ai_addr points at ai_addrlen bytes of a sockaddr_in(6).
        let addr = unsafe { sockaddr_to_std(ai.ai_addr, ai.ai_addrlen) };
        out.push(format!("{addr} {} {}", ai.ai_socktype, ai.ai_protocol));
        p = ai.ai_next;
    }
    // SAFETY: the list getaddrinfo returned.
    unsafe { libc::freeaddrinfo(res) };
    Outcome::Ok(out, canon)
}

/// # Safety
/// `sa` points at `len` readable bytes of a `sockaddr_in` or `sockaddr_in6`.
unsafe fn sockaddr_to_std(sa: *const libc::sockaddr, len: libc::socklen_t) -> SocketAddr {
    // SAFETY: per the contract.
    unsafe {
        match i32::from((*sa).sa_family) {
            libc::AF_INET => {
                let s = &*(sa as *const libc::sockaddr_in);
                SocketAddr::new(
                    IpAddr::V4(Ipv4Addr::from(u32::from_be(s.sin_addr.s_addr))),
                    u16::from_be(s.sin_port),
                )
            }
            libc::AF_INET6 => {
                assert!(len as usize >= std::mem::size_of::<libc::sockaddr_in6>());
                let s = &*(sa as *const libc::sockaddr_in6);
                SocketAddr::V6(std::net::SocketAddrV6::new(
                    s.sin6_addr.s6_addr.into(),
                    u16::from_be(s.sin6_port),
                    0,
                    s.sin6_scope_id,
                ))
            }
            f => panic!("family {f}"),
        }
    }
}

fn ours(r: &Resolver<'_>, host: Option<&str>, service: Option<&str>, h: &Hints) -> Outcome {
    match r.getaddrinfo::<128>(host, service, h) {
        Ok(l) => Outcome::Ok(
            l.iter()
                .map(|a| format!("{} {} {}", a.addr, a.socktype.raw(), a.protocol.raw()))
                .collect(),
            l.canonical_name().map(str::to_string),
        ),
        Err(e) => Outcome::Err(e.code()),
    }
}

#[test]
fn glibc_differential() {
    in_namespace("inner_glibc_differential", "timeout:1 attempts:1");
}

/// The same with a host that has global IPv6 and IPv4 addresses (on `lo`,
/// which needs no kernel module; glibc and zerosock skip only the loopback
/// addresses themselves): AI_ADDRCONFIG sees both, documentation prefixes
/// become reachable, so the sort's rules 1, 2, 5, 6 and 9 all come into play.
#[test]
fn glibc_differential_dual_stack() {
    in_namespace_with(
        "inner_glibc_differential",
        "timeout:1 attempts:1",
        "192.0.2.1/24 2001:db8::1/64 10.1.2.1/8 198.51.100.200/25",
    );
}

/// The same with an IPv6-only host (AI_ADDRCONFIG narrows to AF_INET6).
#[test]
fn glibc_differential_v6_only() {
    in_namespace_with(
        "inner_glibc_differential",
        "timeout:1 attempts:1",
        "2001:db8::1/64",
    );
}

#[test]
#[ignore = "run by glibc_differential inside its namespace"]
fn inner_glibc_differential() {
    if !inside() {
        return;
    }
    let _dns = Dnsmasq::start(&[]);
    let r = system();
    let families = [Domain::UNSPEC, Domain::INET, Domain::INET6];
    let socktypes = [0u32, 1, 2, 3];
    let flag_sets = [
        AiFlags::NONE,
        AiFlags::CANONNAME,
        AiFlags::V4MAPPED,
        AiFlags::V4MAPPED | AiFlags::ALL,
        AiFlags::NUMERICHOST,
        AiFlags::PASSIVE,
        AiFlags::ADDRCONFIG | AiFlags::CANONNAME | AiFlags::V4MAPPED,
        AiFlags::NUMERICSERV,
    ];
    let services = [
        None,
        Some("80"),
        Some("http"),
        Some("domain"),
        Some("no-such-service"),
        Some("-1"),
        Some("65536"),
    ];
    let mut combos = 0;
    let mut mismatches = Vec::new();
    let mut rng = common::rng::Rng(0x5eed_d1ff);
    let mut check = |host: Option<&str>, service: Option<&str>, h: Hints| {
        let g = glibc_gai(host, service, &h);
        let z = ours(&r, host, service, &h);
        combos += 1;
        if g != z {
            let short = |o: &Outcome| {
                let mut t = format!("{o:?}");
                t.truncate(300);
                t
            };
            mismatches.push(format!(
                "{host:?} {service:?} {h:?}:\n  glibc    {}\n  zerosock {}",
                short(&g),
                short(&z)
            ));
        }
    };
    for name in NAMES.iter().map(|n| Some(*n)).chain([None, Some(""), Some("*")]) {
        for family in families {
            for flags in flag_sets {
                // Every name with each family and flag set; the socket type
                // and service vary by a seeded draw, to keep the count sane.
                let socktype = Type::from_raw(socktypes[rng.below(socktypes.len())]);
                let service = services[rng.below(services.len())];
                let h = Hints {
                    family,
                    socktype,
                    flags,
                    ..Hints::default()
                };
                check(name, service, h);
            }
        }
        // All socket types and services with the default hints.
        for socktype in socktypes {
            for service in services {
                check(
                    name,
                    service,
                    Hints {
                        socktype: Type::from_raw(socktype),
                        ..Hints::default()
                    },
                );
            }
        }
    }
    // Protocols, odd families and flags.
    for (socktype, protocol) in [
        (0, 6),
        (0, 17),
        (1, 17),
        (2, 6),
        (3, 99),
        (5, 0),
        (5, 132),
        (6, 0),
        (4, 0),
        (0, 132),
    ] {
        for service in [None, Some("80"), Some("http")] {
            let h = Hints {
                socktype: Type::from_raw(socktype),
                protocol: Protocol::from_raw(protocol),
                ..Hints::default()
            };
            check(Some("localhost"), service, h);
        }
    }
    for family in [1u16, 16, 99] {
        check(
            Some("localhost"),
            None,
            Hints {
                family: Domain::from_raw(family),
                ..Hints::default()
            },
        );
    }
    for bad in [0x80u32, 0x1000, 0x2 | 0x40] {
        check(
            Some("localhost"),
            None,
            Hints::default().with_flags(AiFlags::from_raw(bad)),
        );
    }
    check(None, Some("80"), Hints::default().with_flags(AiFlags::CANONNAME));
    println!(
        "glibc differential: {combos} combinations, {} mismatches",
        mismatches.len()
    );
    for m in mismatches.iter().take(40) {
        println!("{m}");
    }
    assert!(combos >= 200);
    assert!(
        mismatches.is_empty(),
        "{} of {combos} combinations differ from glibc",
        mismatches.len()
    );

    // getnameinfo's host part (NI_NAMEREQD) against gethostbyaddr.
    let mut checked = 0;
    for addr in [
        "127.0.0.2",
        "127.0.0.1",
        "192.0.2.10",
        "192.0.2.20",
        "2001:db8::30",
        "192.0.2.99",
        "10.1.2.3",
    ] {
        let ip: IpAddr = addr.parse().unwrap();
        let g = glibc_nameinfo(ip);
        let z = r.host_by_addr(ip).map(|n| n.to_string()).ok();
        assert_eq!(g, z, "getnameinfo {addr}");
        checked += 1;
    }
    println!("getnameinfo: {checked} addresses, 0 mismatches");
}

fn glibc_nameinfo(ip: IpAddr) -> Option<String> {
    let sa = socket2::SockAddr::from(SocketAddr::new(ip, 0));
    let mut host = [0 as libc::c_char; 1025];
    // SAFETY: a valid sockaddr and an output buffer of the given length.
    let rc = unsafe {
        libc::getnameinfo(
            sa.as_ptr().cast(),
            sa.len(),
            host.as_mut_ptr(),
            host.len() as _,
            std::ptr::null_mut(),
            0,
            libc::NI_NAMEREQD,
        )
    };
    // SAFETY: glibc wrote a NUL-terminated name on success.
    (rc == 0).then(|| {
        unsafe { CStr::from_ptr(host.as_ptr()) }
            .to_string_lossy()
            .into_owned()
    })
}

// ---------------------------------------------------------------------------
// examples/resolve against getent

#[test]
fn example_equals_getent() {
    // The example as of this source (`cargo test --test` alone does not
    // rebuild examples).
    if let Ok(cargo) = std::env::var("CARGO") {
        let ok = Command::new(cargo)
            .args(["build", "--quiet", "--example", "resolve"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "cargo build --example resolve failed");
    }
    in_namespace("inner_example_equals_getent", "timeout:1 attempts:1");
}

#[test]
#[ignore = "run by example_equals_getent inside its namespace"]
fn inner_example_equals_getent() {
    if !inside() {
        return;
    }
    let exe = std::env::current_exe().unwrap();
    let example = exe.parent().unwrap().parent().unwrap().join("examples/resolve");
    if !example.exists() {
        return skip("examples/resolve is not built (cargo test builds it)");
    }
    if !have_tool("getent") {
        return skip("getent is not installed");
    }
    let _dns = Dnsmasq::start(&[]);
    let mut tried = BTreeSet::new();
    let mut run = |names: &[&str]| {
        let g = Command::new("getent").arg("ahosts").args(names).output().unwrap();
        let z = Command::new(&example).args(names).output().unwrap();
        assert_eq!(
            String::from_utf8_lossy(&z.stdout),
            String::from_utf8_lossy(&g.stdout),
            "output for {names:?}"
        );
        assert_eq!(z.status.code(), g.status.code(), "status for {names:?}");
        tried.extend(names.iter().map(|s| s.to_string()));
    };
    for name in NAMES {
        run(&[name]);
    }
    run(&["localhost", "nx.test", "www.test"]);
    println!("examples/resolve == getent ahosts for {} names", tried.len());
}

// ---------------------------------------------------------------------------
// Names in the typed sockets' addresses (`ToSocketAddrs`)

#[test]
fn typed_sockets_resolve_names() {
    in_namespace("inner_typed_sockets_resolve_names", "timeout:1 attempts:1");
}

#[test]
#[ignore = "run by typed_sockets_resolve_names inside its namespace"]
fn inner_typed_sockets_resolve_names() {
    use zerosock::{Error, TcpListener, TcpStream, ToSocketAddrs, UdpSocket};
    if !inside() {
        return;
    }
    let _dns = Dnsmasq::start(&[]);
    // A hosts-file name: the listener binds it, a client connects by name.
    let listener = TcpListener::bind("files-host:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    assert_eq!(listener.local_addr().unwrap().ip().to_string(), "127.0.0.2");
    let client = TcpStream::connect(("files-host", port)).unwrap();
    assert_eq!(client.peer_addr().unwrap(), listener.local_addr().unwrap());
    // The same addresses, in the same order, as the resolver gives.
    let via_trait: Vec<_> = "www.test:443".to_socket_addrs().unwrap().collect();
    let direct: zerosock::resolve::SocketAddrs =
        zerosock::resolve::resolve_host_port("www.test", 443, None).unwrap();
    assert_eq!(via_trait, direct.as_slice());
    assert!(!via_trait.is_empty());
    // A name that does not exist: getaddrinfo's error, not a panic.
    let udp = UdpSocket::bind("127.0.0.1:0").unwrap();
    assert_eq!(
        udp.send_to(b"x", "nx.test:9").unwrap_err(),
        Error::Name(GaiError::NoName)
    );
}
