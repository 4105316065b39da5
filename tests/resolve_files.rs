//! The resolver's file readers: `/etc/hosts`, `/etc/services`,
//! `/etc/protocols`, `nsswitch.conf` and `resolv.conf` — malformed lines
//! reported without losing the good ones, lines longer than the caller's
//! buffer skipped, glibc's caps and defaults — and `getservbyname`,
//! `getservbyport`, `getprotobyname` and `getprotobynumber` against glibc's
//! on the system's own files (no network is involved).

mod common;

use std::ffi::{CStr, CString};

use zerosock::Domain;
use zerosock::resolve::{
    BadLine, GaiError, HostSources, HostsFile, Paths, ProtocolsFile, ResolvConf, Resolver, ServicesFile,
    Source,
};

fn temp_file(name: &str, text: &str) -> (std::path::PathBuf, CString) {
    let dir = std::env::temp_dir().join(format!("zs-resolve-files-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    let c = CString::new(p.to_str().unwrap()).unwrap();
    (p, c)
}

#[test]
fn hosts_bad_and_long_lines_are_reported_and_skipped() {
    let long = format!("10.0.0.9 {}\n", "x".repeat(100));
    let text = format!(
        "# comment\n\n127.0.0.1 localhost lh\nnot-an-address name\n{long}::1 six six-alias\t# tail\n10.0.0.1\n127.1 old-form\n10.0.0.2 last"
    );
    let (_p, c) = temp_file("hosts", &text);
    // A 48-byte buffer: the long line does not fit.
    let mut buf = [0u8; 48];
    let mut f = HostsFile::open(&c, &mut buf).unwrap();
    let mut got = Vec::new();
    while let Some(e) = f.next_entry() {
        got.push(match e {
            Ok(e) => format!("{} {} {:?}", e.addr, e.name, e.aliases().collect::<Vec<_>>()),
            Err(BadLine { line, why }) => format!("bad {line}: {why}"),
        });
    }
    assert_eq!(
        got,
        [
            "127.0.0.1 localhost [\"lh\"]",
            "bad 4: not an address",
            "bad 5: line longer than the buffer",
            "::1 six [\"six-alias\"]",
            "10.0.0.1  []",
            "bad 8: not an address",
            "10.0.0.2 last []",
        ]
    );
    // From bytes (no buffer limit), the long line is read.
    let mut f = HostsFile::from_bytes(text.as_bytes());
    let mut n = 0;
    while let Some(e) = f.next_entry() {
        n += usize::from(e.is_ok());
    }
    assert_eq!(n, 5);
}

#[test]
fn services_and_protocols_lines() {
    let mut f =
        ServicesFile::from_bytes(b"http 80/tcp www\nbad 99999/tcp\nnoproto 80\nslash 80/\nssh\t22/tcp\n");
    let mut got = Vec::new();
    while let Some(e) = f.next_entry() {
        got.push(
            e.map(|e| (e.name.to_string(), e.port, e.protocol.to_string()))
                .map_err(|b| b.why),
        );
    }
    assert_eq!(
        got,
        [
            Ok(("http".into(), 80, "tcp".into())),
            Err("bad port"),
            Err("no '/' between port and protocol"),
            Err("no protocol"),
            Ok(("ssh".into(), 22, "tcp".into())),
        ]
    );
    let mut f = ProtocolsFile::from_bytes(b"ip 0 IP\nbad 300 X\nnonum\nudp 17 UDP\n");
    let mut ok = Vec::new();
    let mut bad = 0;
    while let Some(e) = f.next_entry() {
        match e {
            Ok(e) => ok.push((e.name.to_string(), e.number)),
            Err(_) => bad += 1,
        }
    }
    assert_eq!(ok, [("ip".to_string(), 0), ("udp".to_string(), 17)]);
    assert_eq!(bad, 2);
}

#[test]
fn resolv_conf_caps_and_defaults() {
    let c = ResolvConf::parse(b"");
    assert_eq!(c.nameservers(), ["127.0.0.1:53".parse().unwrap()]);
    assert_eq!((c.ndots(), c.timeout().as_secs(), c.attempts()), (1, 5, 2));
    let c = ResolvConf::parse(
        b"; comment\n# comment\nnameserver 10.0.0.1\nnameserver ::1\nnameserver 10.0.0.3\nnameserver 10.0.0.4\n\
          nameserver not-an-address\nsearch a.test b.test\ndomain only.test\n\
          options ndots:99 timeout:100 attempts:9 rotate edns0 single-request no-aaaa use-vc\n\
          options single-request-reopen\nnameserverx 1.1.1.1\n",
    );
    assert_eq!(c.nameservers().len(), 3);
    assert_eq!(c.nameservers()[1], "[::1]:53".parse().unwrap());
    assert_eq!(
        c.search().collect::<Vec<_>>(),
        ["only.test"],
        "the last of domain/search wins"
    );
    assert_eq!((c.ndots(), c.timeout().as_secs(), c.attempts()), (15, 30, 5));
    assert!(c.rotate() && c.edns0() && c.single_request() && c.no_aaaa() && c.use_vc());
    assert!(c.single_request_reopen());
    let c = ResolvConf::parse(b"domain x.test\nsearch  a.test\tb.test c.test d.test e.test f.test g.test\n");
    assert_eq!(c.search().count(), 6, "glibc keeps 6 search domains");
    let c = ResolvConf::parse(b"nameserver fe80::1%2\noptions timeout:0 attempts:0\n");
    assert_eq!(c.nameservers()[0], "[fe80::1%2]:53".parse().unwrap());
    assert_eq!((c.timeout().as_secs(), c.attempts()), (1, 1));
}

#[test]
fn nsswitch_hosts_line() {
    assert_eq!(HostSources::parse(b"passwd: files\n"), HostSources::DEFAULT);
    assert_eq!(HostSources::parse(b"hosts: dns\n").sources(), [Source::Dns]);
    assert_eq!(
        HostSources::parse(
            b"hosts:\tfiles [NOTFOUND=return] mdns4_minimal [ ! UNAVAIL=return ] dns myhostname\n"
        )
        .sources(),
        [Source::Files, Source::Dns]
    );
    assert_eq!(
        HostSources::parse(b"  hosts :  files # dns\n").sources(),
        [Source::Files]
    );
    let mut buf = [0u8; 64];
    assert_eq!(
        HostSources::read(c"/nonexistent/nsswitch.conf", &mut buf),
        Ok(HostSources::DEFAULT)
    );
}

/// `host_by_name` on a hosts file of the test's own (and no name server)
/// against what glibc 2.36's `gethostbyname2` printed for the same file
/// and names (bind-mounted over /etc/hosts in a mount namespace, with
/// `hosts: files`): every matching line in file order, nothing sorted, the
/// aliases glibc collects, and its numeric-name rules.
#[test]
fn host_by_name_is_glibcs_gethostbyname2() {
    let (path, c_path) = temp_file(
        "hosts-gethostbyname",
        "127.0.0.42 dual.test d1\n127.0.0.42 dual.test d2\n::1 dual.test d3\n\
         127.0.0.43 other.test dual.test alias.test\n10.0.0.1 alias.test\n\
         ::ffff:127.0.0.44 mapped.test\nfe80::1%lo six.test\n::2 six.test Six.Test\n\
         127.0.0.5 six.test\n127.0.0.50 DUAL.TEST x\n127.0.0.6 0x7f.1 1.2.3.4. fe80::1 1.2.3.4.5\n",
    );
    let c_path: &'static CStr = Box::leak(c_path.into_boxed_c_str());
    let r = Resolver::new(
        ResolvConf::with_nameservers(&[]),
        HostSources::parse(b"hosts: files\n"),
        Paths {
            hosts: c_path,
            ..Paths::SYSTEM
        },
    );
    let show = |name: &str, family: Domain| -> String {
        match r.host_by_name::<8>(name, family) {
            Ok(h) => format!(
                "name={} aliases=[{}] addrs=[{}]",
                h.name,
                h.aliases().collect::<Vec<_>>().join(","),
                h.addrs()
                    .iter()
                    .map(|a| a.to_string())
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            Err(e) => format!("error {e:?}"),
        }
    };
    let (v4, v6) = (Domain::INET, Domain::INET6);
    let cases = [
        (
            v4,
            "dual.test",
            "name=dual.test aliases=[d1,d2,d3,dual.test,alias.test,other.test,x,DUAL.TEST] \
             addrs=[127.0.0.42,127.0.0.42,127.0.0.1,127.0.0.43,127.0.0.50]",
        ),
        (v6, "dual.test", "name=dual.test aliases=[d3] addrs=[::1]"),
        (
            v4,
            "alias.test",
            "name=other.test aliases=[dual.test,alias.test,alias.test] addrs=[127.0.0.43,10.0.0.1]",
        ),
        (v4, "D3", "name=dual.test aliases=[d3] addrs=[127.0.0.1]"),
        (v4, "x", "name=DUAL.TEST aliases=[x] addrs=[127.0.0.50]"),
        (
            v4,
            "mapped.test",
            "name=mapped.test aliases=[] addrs=[127.0.0.44]",
        ),
        (
            v6,
            "mapped.test",
            "name=mapped.test aliases=[] addrs=[::ffff:127.0.0.44]",
        ),
        (v6, "six.test", "name=six.test aliases=[Six.Test] addrs=[::2]"),
        (v4, "SIX.TEST", "name=six.test aliases=[] addrs=[127.0.0.5]"),
        (
            v4,
            "0x7f.1",
            "name=0x7f.1 aliases=[1.2.3.4.,fe80::1,1.2.3.4.5] addrs=[127.0.0.6]",
        ),
        (
            v4,
            "1.2.3.4.",
            "name=0x7f.1 aliases=[1.2.3.4.,fe80::1,1.2.3.4.5] addrs=[127.0.0.6]",
        ),
        (v4, "1.2.3.4.5", "error NoName"),
        (v4, "::ffff:1.2.3.4", "error NoName"),
        (v6, "fe80::1%lo", "error NoName"),
        (v6, "fe80::1", "name=fe80::1 aliases=[] addrs=[fe80::1]"),
        (v4, "12345678901", "error NoName"),
        (
            v4,
            "4294967295",
            "name=4294967295 aliases=[] addrs=[255.255.255.255]",
        ),
        (v4, "010.1", "name=010.1 aliases=[] addrs=[8.0.0.1]"),
        (v6, "1.2.3.4", "error NoName"),
        (v4, "::5", "error NoName"),
        (v6, "::5", "name=::5 aliases=[] addrs=[::5]"),
        (v4, "missing.test", "error NoName"),
    ];
    for (family, name, want) in cases {
        assert_eq!(show(name, family), want, "{name} {family:?}");
    }
    // More addresses than the caller's room, or aliases past
    // MAX_ALIASES_TEXT: Memory, never a silent cut.
    assert_eq!(
        r.host_by_name::<2>("dual.test", v4).unwrap_err(),
        GaiError::Memory
    );
    assert_eq!(
        r.host_by_name::<8>("dual.test", Domain::UNIX).unwrap_err(),
        GaiError::Family
    );
    let _ = std::fs::remove_file(path);
}

// glibc's own getservbyname & co. on the system's files.
unsafe extern "C" {
    fn getservbyname(name: *const libc::c_char, proto: *const libc::c_char) -> *mut libc::servent;
    fn getservbyport(port: libc::c_int, proto: *const libc::c_char) -> *mut libc::servent;
}

fn glibc_service(name: Option<&str>, port: u16, proto: Option<&str>) -> Option<(String, u16, String)> {
    let n = name.map(|n| CString::new(n).unwrap());
    let p = proto.map(|p| CString::new(p).unwrap());
    let pp = p.as_ref().map_or(std::ptr::null(), |p| p.as_ptr());
    // SAFETY: NUL-terminated strings or null; glibc returns a static entry
    // or null, read at once on this thread.
    unsafe {
        let s = match &n {
            Some(n) => getservbyname(n.as_ptr(), pp),
            None => getservbyport(i32::from(port.to_be()), pp),
        };
        if s.is_null() {
            return None;
        }
        let s = &*s;
        Some((
            CStr::from_ptr(s.s_name).to_string_lossy().into_owned(),
            u16::from_be(s.s_port as u16),
            CStr::from_ptr(s.s_proto).to_string_lossy().into_owned(),
        ))
    }
}

#[test]
fn services_and_protocols_match_glibc() {
    if !std::path::Path::new("/etc/services").exists() || !std::path::Path::new("/etc/protocols").exists() {
        return common::skip("/etc/services or /etc/protocols is missing");
    }
    let text = std::fs::read_to_string("/etc/services").unwrap();
    let r = Resolver::new(ResolvConf::default(), HostSources::FILES_DNS, Paths::SYSTEM);
    let mut checked = 0;
    let mut f = ServicesFile::from_bytes(text.as_bytes());
    let mut names = Vec::new();
    while let Some(e) = f.next_entry() {
        if let Ok(e) = e {
            names.push((e.name.to_string(), e.port));
            names.extend(e.aliases().map(|a| (a.to_string(), e.port)));
        }
    }
    for (name, port) in names.iter().take(400) {
        for proto in [None, Some("tcp"), Some("udp")] {
            let z = r
                .service_by_name(name, proto)
                .ok()
                .map(|s| (s.name.to_string(), s.port, s.protocol.to_string()));
            assert_eq!(
                z,
                glibc_service(Some(name), 0, proto),
                "getservbyname({name}, {proto:?})"
            );
            let z = r
                .service_by_port(*port, proto)
                .ok()
                .map(|s| (s.name.to_string(), s.port, s.protocol.to_string()));
            assert_eq!(
                z,
                glibc_service(None, *port, proto),
                "getservbyport({port}, {proto:?})"
            );
            checked += 2;
        }
    }
    for name in ["no-such-service", "HTTP", ""] {
        assert_eq!(
            r.service_by_name(name, None).ok().map(|s| s.port),
            glibc_service(Some(name), 0, None).map(|s| s.1)
        );
    }
    for number in 0..=255u8 {
        // SAFETY: glibc returns a static entry or null.
        let g = unsafe {
            let p = libc::getprotobynumber(i32::from(number));
            (!p.is_null()).then(|| CStr::from_ptr((*p).p_name).to_string_lossy().into_owned())
        };
        let z = r.protocol_by_number(number).ok().map(|p| p.name.to_string());
        assert_eq!(z, g, "getprotobynumber({number})");
        if let Some(name) = g {
            let c = CString::new(name.clone()).unwrap();
            // SAFETY: as above.
            let gn = unsafe {
                let p = libc::getprotobyname(c.as_ptr());
                (!p.is_null()).then(|| (*p).p_proto as u8)
            };
            assert_eq!(
                r.protocol_by_name(&name).ok().map(|p| p.number),
                gn,
                "getprotobyname({name})"
            );
        }
        checked += 1;
    }
    println!("{checked} service and protocol lookups, same as glibc");
}
