//! Hostile input: every parser and decoder in zerosock, fed generated and
//! mutated bytes. None may panic, none may swallow an error (an `Err` must
//! say something true about the input), and every `Ok` must agree with a
//! reference — glibc for the text forms, an independent decoder written here
//! for addresses, control messages and `/proc` lines — or round-trip.
//!
//! - text forms: `inet_aton`, `inet_addr`, `inet_pton` (v4, v6, by family)
//!   against glibc; `inet_ntoa`/`inet_ntop` against glibc, and back;
//! - Unix addresses: `UnixAddr::new`, `new_abstract`, `from_raw`;
//! - `SockAddr::decode`, `socket_addr` and `unix_addr` over any storage
//!   bytes and any length;
//! - control messages: `CmsgIter` over any bytes at any alignment, against a
//!   reference `CMSG_NXTHDR` walk, and re-encoding with `CmsgEncoder::push`;
//! - `/proc` lines: `InetEntry::parse` and `UnixEntry::parse` over kernel
//!   lines, mutated lines and noise.
//!
//! Each property runs `ZEROSOCK_HOSTILE_CASES` cases (default 20,000, a few
//! seconds in all). The long run:
//! `ZEROSOCK_HOSTILE_CASES=10000000 cargo test --release --all-features --test hostile_input`.

use std::fmt::Write as _;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
use std::time::Instant;

use crate::common::glibc;
use crate::common::proc_lines::{kernel_inet_line, kernel_unix_line};
use crate::common::rng::Rng;
use zerosock::Domain;
use zerosock::addr::{
    Addr, AddrParseError, DecodeError, SockAddr, SockAddrStorage, SockAddrUn, UNIX_NAME_MAX, UnixAddr,
    UnixAddrError, UnixAddrKind, inet_addr, inet_aton, inet_ntoa, inet_ntop, inet_ntop_v4, inet_ntop_v6,
    inet_pton, inet_pton_v4, inet_pton_v6, write_inet_ntop,
};
use zerosock::msg::{Cmsg, CmsgBuffer, CmsgDecodeError, CmsgEncodeError, CmsgEncoder, CmsgIter};
use zerosock::proc::{InetEntry, Timer, UnixEntry};

// ---------------------------------------------------------------------------
// The harness

/// Cases per property.
fn cases() -> u64 {
    match std::env::var("ZEROSOCK_HOSTILE_CASES") {
        Ok(n) => n.trim().parse().expect("ZEROSOCK_HOSTILE_CASES must be a number"),
        Err(_) => 20_000,
    }
}

/// Runs `case` for every case number with a generator seeded from the
/// property's name and the case number, so a failure names its case and
/// `ZEROSOCK_HOSTILE_SEED=<case>` replays it alone.
fn property(name: &str, mut case: impl FnMut(&mut Rng)) {
    let base = name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    let only: Option<u64> = std::env::var("ZEROSOCK_HOSTILE_SEED")
        .ok()
        .and_then(|s| s.parse().ok());
    let n = cases();
    let start = Instant::now();
    for i in 0..n {
        if only.is_some_and(|o| o != i) {
            continue;
        }
        let mut rng = Rng(base ^ i.wrapping_mul(0x2545_f491_4f6c_dd1d));
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| case(&mut rng)));
        if let Err(panic) = result {
            eprintln!("{name}: case {i} failed (replay with ZEROSOCK_HOSTILE_SEED={i})");
            std::panic::resume_unwind(panic);
        }
    }
    eprintln!("{name}: {n} cases in {:.2?}", start.elapsed());
}

/// Bytes shown with escapes, for failure messages.
fn show(bytes: &[u8]) -> String {
    bytes.escape_ascii().to_string()
}

// ---------------------------------------------------------------------------
// Text forms against glibc

/// The longest generated text handed to glibc.
const MAX_TEXT: usize = 127;

/// The text as C sees it: up to the first NUL.
fn c_text(text: &[u8]) -> &[u8] {
    &text[..text.iter().position(|&b| b == 0).unwrap_or(text.len())]
}

/// A dotted-quad-ish text: parts in every base, sizes and separators.
fn gen_v4_text(rng: &mut Rng, out: &mut Vec<u8>) {
    let parts = 1 + rng.below(5);
    for i in 0..parts {
        if i > 0 {
            out.push(b'.');
        }
        match rng.below(8) {
            0 => {}
            1 => write!(Bytes(out), "0x{:x}", rng.next() >> rng.below(64)).unwrap(),
            2 => write!(Bytes(out), "0X{:X}", rng.below(0x1_0000)).unwrap(),
            3 => write!(Bytes(out), "0{:o}", rng.below(0o1000)).unwrap(),
            4 => write!(Bytes(out), "{}", rng.next() >> rng.below(64)).unwrap(),
            5 => write!(Bytes(out), "0{}", rng.below(10)).unwrap(),
            _ => write!(Bytes(out), "{}", rng.below(300)).unwrap(),
        }
    }
    tail(rng, out);
}

/// An IPv6-ish text: groups, `::` anywhere (even twice), a dotted tail.
fn gen_v6_text(rng: &mut Rng, out: &mut Vec<u8>) {
    let groups = rng.below(10);
    let gap = if rng.one_in(2) {
        Some(rng.below(groups + 1))
    } else {
        None
    };
    for i in 0..groups {
        if Some(i) == gap {
            out.extend_from_slice(b"::");
        } else if i > 0 {
            out.push(b':');
        }
        let digits = rng.below(6);
        for _ in 0..digits {
            out.push(rng.pick(b"0123456789abcdefABCDEF0000"));
        }
    }
    if gap == Some(groups) {
        out.extend_from_slice(b"::");
    }
    if rng.one_in(8) {
        out.extend_from_slice(b"::");
    }
    if rng.one_in(4) {
        if !out.is_empty() && out.last() != Some(&b':') {
            out.push(b':');
        }
        gen_v4_text(rng, out);
    }
    tail(rng, out);
}

/// Sometimes trailing whitespace, garbage, a scope, or a NUL and more.
fn tail(rng: &mut Rng, out: &mut Vec<u8>) {
    match rng.below(12) {
        0 => out.push(rng.pick(b" \t\n\x0b\x0c\r")),
        1 => out.extend_from_slice(b" trailing"),
        2 => out.extend_from_slice(b"%eth0"),
        3 => out.extend_from_slice(b"\x001.2.3.4"),
        4 => out.push(rng.pick(b".:x/-+g")),
        _ => {}
    }
}

/// One generated text: random bytes, near-valid v4 or v6, or a mutation of
/// a valid address's text.
fn gen_text(rng: &mut Rng) -> Vec<u8> {
    let mut out = Vec::new();
    match rng.below(6) {
        0 => {
            let len = rng.below(24);
            for _ in 0..len {
                out.push(if rng.one_in(3) {
                    rng.next() as u8
                } else {
                    rng.pick(b"0123456789abcdefxX.:.: \t\0%-+")
                });
            }
        }
        1 | 2 => gen_v4_text(rng, &mut out),
        3 | 4 => gen_v6_text(rng, &mut out),
        _ => {
            out.extend_from_slice(random_ip(rng).to_string().as_bytes());
            for _ in 0..1 + rng.below(3) {
                if out.is_empty() {
                    break;
                }
                let at = rng.below(out.len());
                match rng.below(3) {
                    0 => out[at] = rng.pick(b"0123456789abcdef.:x "),
                    1 => {
                        out.remove(at);
                    }
                    _ => out.insert(at, rng.pick(b"0123456789abcdef.:")),
                }
            }
        }
    }
    out.truncate(MAX_TEXT);
    out
}

/// A `fmt::Write` into a byte vector.
struct Bytes<'a>(&'a mut Vec<u8>);

impl std::fmt::Write for Bytes<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

/// An address with the shapes that matter to text forms: zero runs,
/// v4-mapped and v4-compatible, all ones.
fn random_ip(rng: &mut Rng) -> IpAddr {
    if rng.one_in(3) {
        return IpAddr::V4(Ipv4Addr::from(rng.next() as u32));
    }
    let mut groups = [0u16; 8];
    for g in &mut groups {
        *g = match rng.below(4) {
            0 | 1 => 0,
            2 => rng.next() as u16,
            _ => rng.below(16) as u16,
        };
    }
    match rng.below(6) {
        0 => groups[..5].fill(0),
        1 => {
            groups[..5].fill(0);
            groups[5] = 0xffff;
        }
        2 => groups.fill(0xffff),
        _ => {}
    }
    IpAddr::V6(Ipv6Addr::from(groups))
}

/// What an error claims must be true of the text.
fn check_error_claim(err: AddrParseError, c: &[u8], what: &str) {
    let msg = err.to_string();
    assert!(!msg.is_empty());
    match err {
        AddrParseError::Empty => assert!(c.is_empty(), "{what}: Empty for {:?}", show(c)),
        AddrParseError::MultipleDoubleColons => {
            assert!(
                c.windows(2).filter(|w| w == b"::").count() >= 2,
                "{what}: {err:?} for {:?}",
                show(c)
            )
        }
        AddrParseError::LeadingZero => assert!(
            c.windows(2).enumerate().any(|(i, w)| w[0] == b'0'
                && w[1].is_ascii_digit()
                && (i == 0 || matches!(c[i - 1], b'.' | b':'))),
            "{what}: {err:?} for {:?}",
            show(c)
        ),
        AddrParseError::PartOutOfRange => {
            assert!(
                c.iter().any(u8::is_ascii_hexdigit),
                "{what}: {err:?} for {:?}",
                show(c)
            )
        }
        AddrParseError::UnsupportedFamily => panic!("{what}: UnsupportedFamily for an IP parser"),
        _ => assert!(!c.is_empty(), "{what}: {err:?} for empty text"),
    }
}

#[test]
fn text_parsers_agree_with_glibc() {
    property("text parsers", |rng| {
        let text = gen_text(rng);
        let c = c_text(&text);
        let ctx = || show(&text);

        match inet_aton(&text) {
            Ok(ip) => assert_eq!(glibc::aton(c), Some(ip), "inet_aton {:?}", ctx()),
            Err(e) => {
                assert_eq!(glibc::aton(c), None, "inet_aton {:?} rejected ({e:?})", ctx());
                check_error_claim(e, c, "inet_aton");
            }
        }
        match inet_addr(&text) {
            Ok(v) => assert_eq!(
                v.to_bytes(),
                glibc::addr(c).to_ne_bytes(),
                "inet_addr {:?}",
                ctx()
            ),
            Err(e) => {
                assert_eq!(glibc::addr(c), u32::MAX, "inet_addr {:?} rejected ({e:?})", ctx());
                check_error_claim(e, c, "inet_addr");
            }
        }
        let v4 = inet_pton_v4(&text);
        match v4 {
            Ok(ip) => {
                assert_eq!(
                    glibc::pton_ok(libc::AF_INET, c).map(|b| [b[0], b[1], b[2], b[3]]),
                    Some(ip.octets())
                );
                // Ok round-trips through the formatter.
                assert_eq!(inet_pton_v4(inet_ntop_v4(ip).as_bytes()), Ok(ip));
            }
            Err(e) => {
                assert_eq!(
                    glibc::pton_ok(libc::AF_INET, c),
                    None,
                    "inet_pton v4 {:?} rejected ({e:?})",
                    ctx()
                );
                check_error_claim(e, c, "inet_pton v4");
            }
        }
        let v6 = inet_pton_v6(&text);
        match v6 {
            Ok(ip) => {
                assert_eq!(
                    glibc::pton_ok(libc::AF_INET6, c),
                    Some(ip.octets()),
                    "inet_pton v6 {:?}",
                    ctx()
                );
                assert_eq!(inet_pton_v6(inet_ntop_v6(ip).as_bytes()), Ok(ip));
            }
            Err(e) => {
                assert_eq!(
                    glibc::pton_ok(libc::AF_INET6, c),
                    None,
                    "inet_pton v6 {:?} rejected ({e:?})",
                    ctx()
                );
                check_error_claim(e, c, "inet_pton v6");
            }
        }
        // By family: the same answers; any other family is refused whatever
        // the text, as glibc's EAFNOSUPPORT.
        assert_eq!(inet_pton(Domain::INET, &text), v4.map(IpAddr::V4));
        assert_eq!(inet_pton(Domain::INET6, &text), v6.map(IpAddr::V6));
        let family = Domain::from_raw(rng.next() as u16);
        if family != Domain::INET && family != Domain::INET6 {
            assert_eq!(inet_pton(family, &text), Err(AddrParseError::UnsupportedFamily));
        }
    });
}

#[test]
fn text_formatters_agree_with_glibc() {
    property("text formatters", |rng| match random_ip(rng) {
        IpAddr::V4(ip) => {
            let glibc = glibc::ntop_string(libc::AF_INET, &ip.octets());
            assert_eq!(inet_ntop_v4(ip).as_str(), glibc);
            assert_eq!(inet_ntoa(ip).as_str(), glibc::ntoa_string(ip));
            assert_eq!(inet_ntop(IpAddr::V4(ip)).as_str(), glibc);
            assert_eq!(inet_aton(glibc.as_bytes()), Ok(ip));
        }
        IpAddr::V6(ip) => {
            let glibc = glibc::ntop_string(libc::AF_INET6, &ip.octets());
            assert_eq!(inet_ntop_v6(ip).as_str(), glibc, "{ip:?}");
            assert_eq!(inet_pton_v6(glibc.as_bytes()), Ok(ip));
            // Into a writer too small: an error, never a panic or a cut.
            let mut small = heapless::String::<8>::new();
            let r = write_inet_ntop(IpAddr::V6(ip), &mut small);
            assert_eq!(r.is_ok(), glibc.len() <= 8, "{ip}");
        }
    });
}

// ---------------------------------------------------------------------------
// Unix addresses

#[test]
fn unix_address_construction_is_exact() {
    property("unix addresses", |rng| {
        let len = match rng.below(4) {
            0 => rng.below(8),
            1 => 100 + rng.below(16),
            _ => rng.below(130),
        };
        let mut bytes = vec![0u8; len];
        rng.fill(&mut bytes);
        if !rng.one_in(3) {
            for b in &mut bytes {
                *b |= 1; // no NUL, most of the time
            }
        }
        if rng.one_in(4) && len > 0 {
            let at = rng.below(len);
            bytes[at] = 0;
        }

        // A pathname: Ok exactly when none of the errors' claims holds.
        let nul = bytes.iter().position(|&b| b == 0);
        match UnixAddr::new(&bytes) {
            Ok(addr) => {
                assert!(!bytes.is_empty() && len <= UNIX_NAME_MAX && nul.is_none());
                assert_eq!(addr.kind(), UnixAddrKind::Pathname(&bytes));
                assert_eq!(addr.len() as usize, 2 + len + 1);
                assert_eq!(SockAddr::from(addr).unix_addr(), Ok(addr));
                assert_eq!(
                    SockAddr::from(addr).decode(),
                    Ok(Addr::Unix(UnixAddrKind::Pathname(&bytes)))
                );
            }
            Err(UnixAddrError::EmptyPath) => assert!(bytes.is_empty()),
            Err(UnixAddrError::TooLong { len: l, max }) => {
                assert_eq!((l, max), (len, UNIX_NAME_MAX));
                assert!(len > UNIX_NAME_MAX);
            }
            Err(UnixAddrError::InteriorNul { at }) => assert_eq!(Some(at), nul),
            Err(other) => panic!("unexpected {other:?}"),
        }
        // An abstract name: any bytes up to 107.
        match UnixAddr::new_abstract(&bytes) {
            Ok(addr) => {
                assert!(len <= UNIX_NAME_MAX);
                assert_eq!(addr.kind(), UnixAddrKind::Abstract(&bytes));
                assert_eq!(addr.len() as usize, 2 + 1 + len);
                assert_eq!(SockAddr::from(addr).unix_addr(), Ok(addr));
                assert_eq!(UnixAddr::from_raw(addr.as_raw(), addr.len()), Ok(addr));
            }
            Err(UnixAddrError::TooLong { len: l, max }) => {
                assert_eq!((l, max), (len, UNIX_NAME_MAX));
                assert!(len > UNIX_NAME_MAX);
            }
            Err(other) => panic!("unexpected {other:?}"),
        }

        // Decoding what a kernel (or anyone) wrote, with any length.
        let mut raw = SockAddrUn::EMPTY;
        rng.fill(&mut raw.sun_path);
        if rng.one_in(2) {
            raw.sun_path[rng.below(108)] = 0;
        }
        if rng.one_in(4) {
            raw.sun_path[0] = 0;
        }
        raw.sun_family = if rng.one_in(8) { rng.next() as u16 } else { 1 };
        let raw_len = match rng.below(3) {
            0 => rng.below(4) as u32,
            1 => 100 + rng.below(20) as u32,
            _ => rng.next() as u32 >> rng.below(32),
        };
        match UnixAddr::from_raw(&raw, raw_len) {
            Ok(addr) => {
                assert!(raw_len >= 2 && raw.sun_family == 1);
                assert_eq!(addr.kind(), reference_unix_kind(&raw.sun_path, raw_len));
                assert!(addr.len() as usize <= 2 + 108);
                // What it names round-trips through the builders.
                match addr.kind() {
                    UnixAddrKind::Pathname(p) if p.len() <= UNIX_NAME_MAX => {
                        assert_eq!(UnixAddr::new(p), Ok(addr))
                    }
                    UnixAddrKind::Abstract(n) => assert_eq!(UnixAddr::new_abstract(n), Ok(addr)),
                    UnixAddrKind::Unnamed => assert_eq!(addr, UnixAddr::UNNAMED),
                    UnixAddrKind::Pathname(_) => {}
                }
            }
            Err(DecodeError::TooShort { family, len }) => {
                assert!(raw_len < 2);
                assert_eq!((family, len), (raw.sun_family, raw_len));
            }
            Err(DecodeError::FamilyMismatch { family }) => {
                assert!(raw_len >= 2);
                assert_eq!(family, raw.sun_family);
                assert_ne!(family, 1);
            }
            Err(other) => panic!("unexpected {other:?}"),
        }
    });
}

/// unix(7)'s reading of `sun_path` bounded by `len`, written independently.
fn reference_unix_kind(path: &[u8; 108], len: u32) -> UnixAddrKind<'_> {
    let n = (len as usize).saturating_sub(2).min(108);
    let path = &path[..n];
    if path.is_empty() {
        UnixAddrKind::Unnamed
    } else if path[0] == 0 {
        UnixAddrKind::Abstract(&path[1..])
    } else {
        let end = path.iter().position(|&b| b == 0).unwrap_or(n);
        UnixAddrKind::Pathname(&path[..end])
    }
}

// ---------------------------------------------------------------------------
// Any address from any bytes

#[test]
fn sockaddr_decoding_agrees_with_a_reference() {
    property("sockaddr decode", |rng| {
        let mut storage = SockAddrStorage::ZEROED;
        rng.fill(storage.as_bytes_mut());
        let family: u16 = match rng.below(6) {
            0 => 0,
            1 => 1,
            2 | 3 => 2,
            4 => 10,
            _ => rng.next() as u16,
        };
        storage.ss_family = family;
        if family == 1 && rng.one_in(2) {
            storage.as_bytes_mut()[2 + rng.below(108)] = 0;
        }
        let len: u32 = match rng.below(4) {
            0 => rng.below(32) as u32,
            1 => [0, 1, 2, 15, 16, 17, 27, 28, 29, 110, 111, 127, 128, 129, u32::MAX][rng.below(15)],
            2 => rng.next() as u32,
            _ => rng.below(140) as u32,
        };
        let any = SockAddr::from_raw(storage, len);
        let bytes = storage.as_bytes();
        let decoded = any.decode();
        let mut debug = String::new();
        write!(debug, "{any:?}").unwrap();

        if len > 128 {
            assert_eq!(decoded, Err(DecodeError::Truncated { len }));
            assert_eq!(any.socket_addr(), None);
            assert_eq!(any.unix_addr(), Err(DecodeError::Truncated { len }));
            return;
        }
        let n = len as usize;
        let expected_ip = match family {
            2 if n >= 16 => Some(SocketAddr::V4(SocketAddrV4::new(
                Ipv4Addr::new(bytes[4], bytes[5], bytes[6], bytes[7]),
                u16::from_be_bytes([bytes[2], bytes[3]]),
            ))),
            10 if n >= 28 => Some(SocketAddr::V6(SocketAddrV6::new(
                Ipv6Addr::from(<[u8; 16]>::try_from(&bytes[8..24]).unwrap()),
                u16::from_be_bytes([bytes[2], bytes[3]]),
                u32::from_be_bytes(bytes[4..8].try_into().unwrap()),
                u32::from_ne_bytes(bytes[24..28].try_into().unwrap()),
            ))),
            _ => None,
        };
        assert_eq!(
            any.socket_addr(),
            if n >= 2 { expected_ip } else { None },
            "family {family} len {len}"
        );
        match decoded {
            Ok(Addr::Unspecified) => assert!(n < 2 || family == 0),
            Ok(Addr::Inet(ip)) => assert_eq!(Some(ip), expected_ip),
            Ok(Addr::Unix(kind)) => {
                assert_eq!(family, 1);
                let mut path = [0u8; 108];
                path.copy_from_slice(&bytes[2..110]);
                assert_eq!(kind, reference_unix_kind(&path, len));
                assert_eq!(any.unix_addr().map(|u| u.kind() == kind), Ok(true));
            }
            Ok(Addr::Other { family: f, data }) => {
                assert!(n >= 2 && ![0, 1, 2, 10].contains(&family));
                assert_eq!((f, data), (family, &bytes[2..n]));
            }
            Err(DecodeError::TooShort { family: f, len: l }) => {
                assert_eq!((f, l), (family, len));
                assert!((family == 2 && n < 16) || (family == 10 && n < 28));
                assert!(n >= 2);
            }
            Err(other) => panic!("unexpected {other:?}"),
        }
        if family != 1 || n < 2 {
            assert!(any.unix_addr().is_err());
        }
    });
}

// ---------------------------------------------------------------------------
// Control messages

/// The word of `cmsg_len` (`size_t`), which is also the messages' alignment.
const W: usize = std::mem::size_of::<usize>();
const HDR: usize = W + 8;

#[derive(Debug, PartialEq)]
enum RefItem<'a> {
    Msg { level: i32, ty: i32, data: &'a [u8] },
    Err(CmsgDecodeError),
}

/// `CMSG_FIRSTHDR`/`CMSG_NXTHDR` with every length checked, written
/// independently: the messages, then the first malformed one.
fn reference_cmsgs(bytes: &[u8]) -> Vec<RefItem<'_>> {
    let mut items = Vec::new();
    let mut offset = 0;
    while offset < bytes.len() {
        let rest = &bytes[offset..];
        if rest.len() < HDR {
            items.push(RefItem::Err(CmsgDecodeError::TruncatedHeader {
                offset,
                remaining: rest.len(),
            }));
            break;
        }
        let len = usize::from_ne_bytes(rest[..W].try_into().unwrap());
        if len < HDR {
            items.push(RefItem::Err(CmsgDecodeError::BadLength { offset, len }));
            break;
        }
        if len > rest.len() {
            items.push(RefItem::Err(CmsgDecodeError::Truncated {
                offset,
                len,
                remaining: rest.len(),
            }));
            break;
        }
        items.push(RefItem::Msg {
            level: i32::from_ne_bytes(rest[W..W + 4].try_into().unwrap()),
            ty: i32::from_ne_bytes(rest[W + 4..HDR].try_into().unwrap()),
            data: &rest[HDR..len],
        });
        offset += len.div_ceil(W) * W;
    }
    items
}

/// Control bytes: noise, or messages with known and unknown levels and
/// types, payloads of plausible and implausible sizes, lengths perturbed,
/// the end cut anywhere.
fn gen_control(rng: &mut Rng) -> Vec<u8> {
    let mut out = Vec::new();
    if rng.one_in(4) {
        out.resize(rng.below(200), 0);
        rng.fill(&mut out);
        return out;
    }
    for _ in 0..1 + rng.below(4) {
        let wild = rng.next() as i32;
        let level: i32 = rng.pick(&[0, 1, 1, 1, 17, 41, 6, -1, i32::MAX, wild]);
        let wild = rng.next() as i32;
        let ty: i32 = rng.pick(&[1, 2, 4, 8, 29, 35, 37, 40, 50, 63, 64, 65, 103, 104, 7, 67, wild]);
        let any_len = rng.below(80);
        let data_len = rng.pick(&[0, 1, 2, 3, 4, 8, 12, 16, 20, 24, 28, 32, 48, 64, any_len]);
        let mut len = HDR + data_len;
        if rng.one_in(6) {
            len = match rng.below(4) {
                0 => rng.below(HDR),
                1 => len + 1 + rng.below(16),
                2 => usize::MAX - rng.below(16),
                _ => len.saturating_sub(1 + rng.below(8)),
            };
        }
        out.extend_from_slice(&len.to_ne_bytes());
        out.extend_from_slice(&level.to_ne_bytes());
        out.extend_from_slice(&ty.to_ne_bytes());
        let start = out.len();
        out.resize(start + data_len, 0);
        rng.fill(&mut out[start..]);
        if rng.one_in(2) && data_len >= 4 {
            // Small ints: byte-sized values are the interesting ones.
            let v = (rng.below(300) as i32).to_ne_bytes();
            out[start..start + 4].copy_from_slice(&v);
        }
        while out.len() % W != 0 {
            out.push(0);
        }
    }
    if rng.one_in(3) {
        let cut = rng.below(out.len() + 1);
        out.truncate(cut);
    }
    out
}

#[test]
fn control_message_decoding_agrees_with_a_reference() {
    property("control messages", |rng| {
        let control = gen_control(rng);
        // At any alignment: the decoder must not assume an aligned buffer.
        let shift = rng.below(8);
        let mut space = vec![0u8; control.len() + shift];
        space[shift..].copy_from_slice(&control);
        let bytes = &space[shift..];

        let reference = reference_cmsgs(bytes);
        let got: Vec<_> = CmsgIter::new(bytes).take(reference.len() + 2).collect();
        assert!(
            got.len() <= reference.len(),
            "more items than messages: {got:?} vs {reference:?}"
        );
        for (i, (item, want)) in got.iter().zip(&reference).enumerate() {
            let last = i + 1 == got.len();
            match (item, want) {
                (Err(e), RefItem::Err(w)) => {
                    assert_eq!(e, w);
                    assert!(last, "the walk goes on after {e:?}");
                }
                (
                    Err(CmsgDecodeError::BadPayload { level, ty, len }),
                    RefItem::Msg {
                        level: l,
                        ty: t,
                        data,
                    },
                ) => {
                    assert_eq!((*level, *ty, *len), (*l, *t, data.len()));
                    assert!(last, "the walk goes on after a bad payload");
                }
                (Ok(cmsg), RefItem::Msg { level, ty, data }) => check_cmsg(cmsg, *level, *ty, data),
                (item, want) => panic!("message {i}: got {item:?}, reference {want:?}"),
            }
        }
        // Nothing is skipped: the walk ends only at an error or the end.
        if got.len() < reference.len() {
            assert!(
                got.last().is_some_and(Result::is_err),
                "the walk stopped early: {got:?}"
            );
        }
    });
}

/// A decoded message agrees with its raw header and payload, and encodes
/// back into bytes that decode to the same message.
fn check_cmsg(cmsg: &Cmsg<'_>, level: i32, ty: i32, data: &[u8]) {
    match cmsg {
        Cmsg::Rights(fds) => {
            assert_eq!((level, ty), (1, 1));
            assert_eq!(fds.len(), data.len() / 4);
            assert_eq!(data.len() % 4, 0);
            let numbers: Vec<i32> = data
                .chunks_exact(4)
                .map(|c| i32::from_ne_bytes(c.try_into().unwrap()))
                .collect();
            assert_eq!(fds.iter().collect::<Vec<_>>(), numbers);
        }
        Cmsg::PidFd(fd) => {
            assert_eq!((level, ty, data.len()), (1, 4, 4));
            assert_eq!(*fd, i32::from_ne_bytes(data.try_into().unwrap()));
        }
        Cmsg::Other {
            level: l,
            ty: t,
            data: d,
        } => {
            assert_eq!((*l, *t, *d), (level, ty, data));
            roundtrip(cmsg);
        }
        _ => roundtrip(cmsg),
    }
}

fn roundtrip(cmsg: &Cmsg<'_>) {
    let mut space = CmsgBuffer::<256>::new();
    let mut enc = CmsgEncoder::new(&mut space);
    match enc.push(cmsg) {
        Ok(_) => {
            let mut again = CmsgIter::new(enc.as_bytes());
            assert_eq!(again.next(), Some(Ok(*cmsg)), "re-encoded {cmsg:?}");
            assert_eq!(again.next(), None);
        }
        // Refused: only what must be refused.
        Err(CmsgEncodeError::RawFds) => {
            assert!(
                matches!(
                    cmsg,
                    Cmsg::Other {
                        level: 1,
                        ty: 1 | 4,
                        ..
                    }
                ),
                "{cmsg:?}"
            )
        }
        Err(e) => panic!("cannot re-encode {cmsg:?}: {e:?}"),
    }
}

// ---------------------------------------------------------------------------
// /proc lines

fn random_entry(rng: &mut Rng) -> InetEntry {
    let v6 = rng.one_in(2);
    let addr = |rng: &mut Rng| -> SocketAddr {
        let ip = if v6 {
            let mut o = [0u8; 16];
            rng.fill(&mut o);
            IpAddr::V6(Ipv6Addr::from(o))
        } else {
            IpAddr::V4(Ipv4Addr::from(rng.next() as u32))
        };
        SocketAddr::new(ip, rng.next() as u16)
    };
    let line = format!(
        "0: {}:0000 {}:0000 01 00000000:00000000 00:00000000 00000000 0 0 0",
        if v6 { "0".repeat(32) } else { "0".repeat(8) },
        if v6 { "0".repeat(32) } else { "0".repeat(8) },
    );
    let mut e = InetEntry::parse(line.as_bytes()).unwrap();
    e.local = addr(rng);
    e.remote = addr(rng);
    e.st = rng.next() as u8;
    e.tx_queue = rng.next() as u32;
    e.rx_queue = rng.next() as u32 >> rng.below(32);
    e.timer = Timer::from_raw(rng.below(6) as u8);
    e.timer_when = rng.next() >> rng.below(64);
    e.retransmits = rng.next() as u32 >> rng.below(32);
    e.uid = rng.next() as u32 >> rng.below(32);
    e.timeout = rng.next() as i32 >> rng.below(32);
    e.inode = rng.next() >> rng.below(64);
    e
}

/// Mutates a line: flip, insert, delete or cut, a few times.
fn mutate(rng: &mut Rng, line: &mut Vec<u8>) {
    for _ in 0..1 + rng.below(3) {
        if line.is_empty() {
            return;
        }
        let at = rng.below(line.len());
        match rng.below(5) {
            0 => line[at] = rng.pick(b"0123456789ABCDEFabcdef: -\t@/\0\xff"),
            1 => line[at] = rng.next() as u8,
            2 => line.insert(at, rng.pick(b"0: F-")),
            3 => {
                line.remove(at);
            }
            _ => line.truncate(at),
        }
    }
}

#[test]
fn proc_lines_parse_exactly_or_fail_cleanly() {
    property("proc lines", |rng| {
        // A kernel line parses to exactly the values printed.
        let entry = random_entry(rng);
        let line = kernel_inet_line(rng.next() as u32 % 10_000, &entry);
        assert_eq!(InetEntry::parse(line.as_bytes()), Ok(entry), "{line}");

        // Mutated or noise: an error naming a column, or an entry that
        // prints back to a line parsing to itself.
        let mut hostile = line.into_bytes();
        if rng.one_in(8) {
            hostile.resize(rng.below(200), 0);
            rng.fill(&mut hostile);
        } else {
            mutate(rng, &mut hostile);
        }
        match InetEntry::parse(&hostile) {
            Ok(e) => {
                let again = kernel_inet_line(0, &e);
                assert_eq!(InetEntry::parse(again.as_bytes()), Ok(e), "{:?}", show(&hostile));
            }
            Err(m) => assert!(!m.field.is_empty()),
        }

        // Unix lines: the same, names with spaces and any bytes included.
        let name_len = rng.below(109);
        let mut name = vec![0u8; name_len];
        rng.fill(&mut name);
        for b in &mut name {
            if *b == b'\n' || *b == 0 {
                *b = b'@';
            }
        }
        if name_len > 0 && rng.one_in(2) {
            name[0] = if rng.one_in(2) { b'@' } else { b'/' };
        }
        let base = format!(
            "0000000000000000: {:08X} 00000000 {:08X} {:04X} {:02X} {}",
            rng.next() as u32,
            if rng.one_in(2) { 0x10000 } else { 0 },
            rng.pick(&[1u32, 2, 5]),
            rng.below(5),
            rng.next() >> rng.below(64)
        );
        let mut line = base.into_bytes();
        if name_len > 0 {
            line.push(b' ');
            line.extend_from_slice(&name);
        }
        let e = UnixEntry::parse(&line).unwrap_or_else(|m| panic!("{m:?}: {:?}", show(&line)));
        assert_eq!(e.path_bytes(), &name[..]);
        assert_eq!(UnixEntry::parse(&kernel_unix_line(0, &e)), Ok(e));
        mutate(rng, &mut line);
        match UnixEntry::parse(&line) {
            Ok(e) => assert_eq!(
                UnixEntry::parse(&kernel_unix_line(0, &e)),
                Ok(e),
                "{:?}",
                show(&line)
            ),
            Err(m) => assert!(!m.field.is_empty()),
        }
    });
}
