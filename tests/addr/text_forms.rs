//! The `inet_*` text forms against glibc: hand-written edge cases, then many
//! generated inputs, each answer compared with glibc's own (success or
//! failure, and the value or text).
//!
//! The generated count per function is 100,000 by default; set
//! `ZEROSOCK_TEXT_CASES=N` to change it, e.g.
//! `ZEROSOCK_TEXT_CASES=10000000 cargo test --release --all-features --test text_forms`.
//! The generator is seeded, so a failure names a case that can be re-run.

use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::fmt::Write as _;

use crate::common::glibc;
use crate::common::rng::Rng;
use zerosock::Domain;
use zerosock::addr::{
    AddrParseError, INET_ADDRSTRLEN, INET6_ADDRSTRLEN, inet_addr, inet_aton, inet_ntoa, inet_ntop,
    inet_ntop_v4, inet_ntop_v6, inet_pton, inet_pton_v4, inet_pton_v6, write_inet_ntop,
};

/// The number of generated cases per function.
fn case_count() -> u64 {
    match std::env::var("ZEROSOCK_TEXT_CASES") {
        Ok(n) => n.trim().parse().expect("ZEROSOCK_TEXT_CASES must be a number"),
        Err(_) => 100_000,
    }
}

/// Shows a test input with its control and non-ASCII bytes escaped.
fn show(text: &[u8]) -> String {
    text.escape_ascii().to_string()
}

// ---------------------------------------------------------------------------
// One comparison per function: ours against glibc's on one input.

fn check_aton(text: &[u8]) {
    let ours = inet_aton(text);
    let theirs = glibc::aton(text);
    assert_eq!(
        ours.ok(),
        theirs,
        "inet_aton({:?}): ours {ours:?}, glibc {theirs:?}",
        show(text)
    );
}

fn check_addr(text: &[u8]) {
    let ours = inet_addr(text);
    let theirs = glibc::addr(text);
    let agree = match ours {
        Ok(value) => value.to_network() == theirs,
        // glibc can only say INADDR_NONE; it must also refuse the text.
        Err(_) => theirs == libc::INADDR_NONE && glibc::aton(text).is_none(),
    };
    assert!(
        agree,
        "inet_addr({:?}): ours {ours:?}, glibc {theirs:#010x}",
        show(text)
    );
}

fn check_pton4(text: &[u8]) {
    let ours = inet_pton_v4(text);
    let (ret, dst) = glibc::pton(libc::AF_INET, text);
    let theirs = (ret == 1).then(|| Ipv4Addr::new(dst[0], dst[1], dst[2], dst[3]));
    assert!(ret == 0 || ret == 1, "glibc inet_pton(AF_INET) returned {ret}");
    assert_eq!(
        ours.ok(),
        theirs,
        "inet_pton_v4({:?}): ours {ours:?}, glibc {theirs:?}",
        show(text)
    );
    assert_eq!(
        inet_pton(Domain::INET, text).ok(),
        theirs.map(IpAddr::V4),
        "inet_pton(INET, {:?})",
        show(text)
    );
}

fn check_pton6(text: &[u8]) {
    let ours = inet_pton_v6(text);
    let (ret, dst) = glibc::pton(libc::AF_INET6, text);
    let theirs = (ret == 1).then(|| Ipv6Addr::from(dst));
    assert!(ret == 0 || ret == 1, "glibc inet_pton(AF_INET6) returned {ret}");
    assert_eq!(
        ours.ok(),
        theirs,
        "inet_pton_v6({:?}): ours {ours:?}, glibc {theirs:?}",
        show(text)
    );
    assert_eq!(
        inet_pton(Domain::INET6, text).ok(),
        theirs.map(IpAddr::V6),
        "inet_pton(INET6, {:?})",
        show(text)
    );
}

fn check_ntoa(addr: Ipv4Addr) {
    let (theirs, len) = glibc::ntoa(addr);
    let ours = inet_ntoa(addr);
    assert_eq!(ours.as_bytes(), &theirs[..len], "inet_ntoa({addr:?})");
}

fn check_ntop4(addr: Ipv4Addr) {
    let (theirs, len) = glibc::ntop(libc::AF_INET, &addr.octets());
    let theirs = &theirs[..len];
    assert_eq!(inet_ntop_v4(addr).as_bytes(), theirs, "inet_ntop_v4({addr:?})");
    assert_eq!(
        inet_ntop(IpAddr::V4(addr)).as_bytes(),
        theirs,
        "inet_ntop(V4 {addr:?})"
    );
    assert!(len < INET_ADDRSTRLEN);
}

fn check_ntop6(addr: Ipv6Addr) {
    let (theirs, len) = glibc::ntop(libc::AF_INET6, &addr.octets());
    let theirs = &theirs[..len];
    assert_eq!(inet_ntop_v6(addr).as_bytes(), theirs, "inet_ntop_v6({addr:?})");
    assert_eq!(
        inet_ntop(IpAddr::V6(addr)).as_bytes(),
        theirs,
        "inet_ntop(V6 {addr:?})"
    );
    let mut written = heapless::String::<64>::new();
    write_inet_ntop(IpAddr::V6(addr), &mut written).unwrap();
    assert_eq!(written.as_bytes(), theirs, "write_inet_ntop({addr:?})");
    assert!(len < INET6_ADDRSTRLEN);
}

// ---------------------------------------------------------------------------
// Hand-written edge cases.

/// Inputs that exercise inet_aton's legacy forms and glibc's quirks.
const ATON_CASES: &[&[u8]] = &[
    b"",
    b"0",
    b"1",
    b"1.2",
    b"1.2.3",
    b"1.2.3.4",
    b"1.2.3.4.5",
    b"127.1",
    b"127.0.1",
    b"0x7f.1",
    b"0x7F000001",
    b"0X7f000001",
    b"017700000001",
    b"0177.0.0.01",
    b"0x",
    b"0X",
    b"0x.1",
    b"0x1",
    b"0xg",
    b"0xffffffff",
    b"0x100000000",
    b"0x0000000000000000000001",
    b"00000000000000000000000000000001",
    b"4294967295",
    b"4294967296",
    b"18446744073709551615",
    b"18446744073709551616",
    b"99999999999999999999999999999999999999",
    b"037777777777",
    b"040000000000",
    b"08",
    b"09",
    b"018",
    b"0.8",
    b"00x1",
    b"0b1",
    b"1e3",
    b"255.255.255.255",
    b"256.0.0.0",
    b"1.256.0.0",
    b"1.2.256.0",
    b"1.2.3.256",
    b"1.16777215",
    b"1.16777216",
    b"1.2.65535",
    b"1.2.65536",
    b"255.0xffffff",
    b"0xff.0xff.0xffff",
    b"0377.0377.0377.0377",
    b"0400.0.0.0",
    b"1.",
    b"1.2.",
    b"1.2.3.",
    b"1.2.3.4.",
    b".",
    b"..",
    b".1",
    b"1..2",
    b"...",
    b"1.2.3.4 ",
    b"1.2.3.4 garbage",
    b"1.2.3.4\tx",
    b"1.2.3.4\n",
    b"1.2.3.4\x0b",
    b"1.2.3.4\x0c",
    b"1.2.3.4\r",
    b"1.2.3.4x",
    b"1.2.3.4\xa0",
    b"1.2.3.4\xff",
    b"1 .2",
    b"1. 2",
    b" 1.2.3.4",
    b"\t1",
    b"+1",
    b"-1",
    b"1.+2",
    b"1.-2",
    b"1.2.3.4\0garbage",
    b"1.2\0.3.4",
    b"\0",
    b"\x001.2.3.4",
    b"1.2.3.4:80",
    b"1,2,3,4",
    b"a",
    b"0xa.0xB.0xc.0xD",
    b"1.0x",
    b"1.0x.2",
    b"1.2.3.0x",
    b"0x1.0x2.0x3.0x4",
    b"0x01.0x02.0x03.0x100",
];

/// Inputs for inet_pton(AF_INET6), including a few dotted quads.
const PTON6_CASES: &[&[u8]] = &[
    b"",
    b":",
    b"::",
    b":::",
    b"::::",
    b"::1",
    b"1::",
    b"1:",
    b":1",
    b":1::",
    b"1::2",
    b"1::2::3",
    b"1:2:3:4:5:6:7:8",
    b"1:2:3:4:5:6:7:8:9",
    b"1:2:3:4:5:6:7",
    b"1:2:3:4:5:6:7::",
    b"::2:3:4:5:6:7:8",
    b"1:2:3:4:5:6:7::8",
    b"::1:2:3:4:5:6:7:8",
    b"1:2:3:4::5:6:7:8",
    b"1:2:3:4:5:6:7:8::",
    b"::ffff:1.2.3.4",
    b"::FFFF:1.2.3.4",
    b"::ffff:01.2.3.4",
    b"::ffff:1.2.3",
    b"::ffff:1.2.3.4.5",
    b"::ffff:1.2.3.256",
    b"::ffff:1.2.3.4:5",
    b"::1.2.3.4",
    b"1.2.3.4",
    b"1.2.3.4::",
    b"::1.2.3.4::",
    b"1:2:3:4:5:6:1.2.3.4",
    b"1:2:3:4:5:6:7:1.2.3.4",
    b"1:2:3:4:5:1.2.3.4",
    b"1:2:3:4:5::1.2.3.4",
    b"1:2:3:4:5:6::1.2.3.4",
    b"::1a.2.3.4",
    b"::1234.2.3.4",
    b"::12345.2.3.4",
    b"::.1.2.3",
    b"::1.2.3.",
    b"12345::",
    b"1234::",
    b"01234::",
    b"00000::",
    b"0000::0000",
    b"ABCD:EF01::",
    b"abcd:ef01::",
    b"AbCd::eF01",
    b"g::",
    b"::g",
    b"fe80::1%eth0",
    b"fe80::1 ",
    b" ::1",
    b"::1\0garbage",
    b"::\0:",
    b"\0::",
    b"[::1]",
    b"2001:db8::1",
    b"2001:0db8:0000:0000:0000:0000:0000:0001",
    b"::ffff:0.0.0.0",
    b"::0.0.0.0",
    b"::0:1.2.3.4",
    b"0:0:0:0:0:ffff:1.2.3.4",
    b"1::2:3:4:5:6:7",
    b"1::2:3:4:5:6:7:8",
];

/// Addresses whose glibc text has a special shape.
const NTOP6_CASES: &[[u16; 8]] = &[
    [0; 8],
    [0, 0, 0, 0, 0, 0, 0, 1],
    [0, 0, 0, 0, 0, 0, 0, 2],
    [0, 0, 0, 0, 0, 0, 1, 0],
    [0, 0, 0, 0, 0, 0, 1, 1],
    [0, 0, 0, 0, 0, 0, 0x7f00, 1],
    [0, 0, 0, 0, 0, 0xffff, 0, 0],
    [0, 0, 0, 0, 0, 0xffff, 0x7f00, 1],
    [0, 0, 0, 0, 0, 0xfffe, 0x7f00, 1],
    [0, 0, 0, 0, 0, 1, 0x7f00, 1],
    [0, 0, 0, 0, 0xffff, 0, 0x7f00, 1],
    [0, 0, 0, 0, 0, 0xffff, 0, 1],
    [1, 0, 0, 0, 0, 0xffff, 0x7f00, 1],
    [0, 0, 0, 0, 0, 0, 0xffff, 0xffff],
    [1, 0, 0, 0, 0, 0, 0, 0],
    [1, 0, 0, 0, 0, 0, 0, 1],
    [1, 0, 1, 0, 1, 0, 1, 0],
    [1, 0, 0, 1, 0, 0, 1, 1],
    [1, 0, 0, 1, 0, 0, 0, 1],
    [1, 0, 2, 0, 0, 3, 0, 0],
    [0, 0, 1, 0, 0, 0, 1, 0],
    [0, 1, 0, 0, 0, 0, 0, 0],
    [0x2001, 0xdb8, 0, 0, 1, 0, 0, 1],
    [0x2001, 0xdb8, 0, 0, 0, 0, 0, 1],
    [0xfe80, 0, 0, 0, 0x1234, 0x5678, 0x9abc, 0xdef0],
    [0xffff; 8],
    [0x10, 0x100, 0x1000, 0xf, 0xff, 0xfff, 0xabcd, 0],
];

#[test]
fn aton_and_addr_edge_cases() {
    for &text in ATON_CASES {
        check_aton(text);
        check_addr(text);
        check_pton4(text);
        check_pton6(text);
    }
    // The quirks, stated on their own (glibc agreed above).
    let ip = |a, b, c, d| Ok(Ipv4Addr::new(a, b, c, d));
    assert_eq!(inet_aton("127.1"), ip(127, 0, 0, 1));
    assert_eq!(inet_aton("1.2.65535"), ip(1, 2, 255, 255));
    assert_eq!(inet_aton("0x7f.1"), ip(127, 0, 0, 1));
    assert_eq!(inet_aton("0377.0.0.1"), ip(255, 0, 0, 1));
    assert_eq!(inet_aton("1.2.3.4 anything"), ip(1, 2, 3, 4));
    assert_eq!(inet_aton("1.2.3.4\x0b"), ip(1, 2, 3, 4));
    assert_eq!(inet_aton("1.2.3.4\0x"), ip(1, 2, 3, 4));
    assert_eq!(inet_aton("0.8"), ip(0, 0, 0, 8));
    assert_eq!(inet_aton(""), Err(AddrParseError::Empty));
    assert_eq!(inet_aton("0x"), Err(AddrParseError::InvalidCharacter));
    assert_eq!(inet_aton("08"), Err(AddrParseError::InvalidCharacter));
    assert_eq!(inet_aton("1.2.3.4x"), Err(AddrParseError::InvalidCharacter));
    assert_eq!(inet_aton(" 1"), Err(AddrParseError::InvalidCharacter));
    assert_eq!(inet_aton("1.2.3."), Err(AddrParseError::EmptyPart));
    assert_eq!(inet_aton("1..2"), Err(AddrParseError::EmptyPart));
    assert_eq!(inet_aton("1.2.3.4.5"), Err(AddrParseError::TooManyParts));
    assert_eq!(inet_aton("1.2.65536"), Err(AddrParseError::PartOutOfRange));
    assert_eq!(inet_aton("4294967296"), Err(AddrParseError::PartOutOfRange));
    assert_eq!(inet_addr("255.255.255.255").map(|v| v.to_host()), Ok(u32::MAX));
}

#[test]
fn pton_edge_cases() {
    for &text in PTON6_CASES {
        check_pton6(text);
        check_pton4(text);
        check_aton(text);
    }
    for text in [
        "0.0.0.0",
        "255.255.255.255",
        "01.2.3.4",
        "1.2.3.04",
        "0.0.0.00",
        "1.2.3",
        "256.1.1.1",
        "1.2.3.4 ",
    ] {
        check_pton4(text.as_bytes());
    }
    assert_eq!(inet_pton_v6("::"), Ok(Ipv6Addr::UNSPECIFIED));
    assert_eq!(inet_pton_v6(":::"), Err(AddrParseError::MultipleDoubleColons));
    assert_eq!(inet_pton_v6("1:"), Err(AddrParseError::EmptyPart));
    assert_eq!(inet_pton_v6("12345::"), Err(AddrParseError::PartOutOfRange));
    assert_eq!(
        inet_pton_v6("1:2:3:4:5:6:7::8"),
        Err(AddrParseError::TooManyParts)
    );
    assert_eq!(inet_pton_v6("1:2:3:4:5:6:7"), Err(AddrParseError::TooFewParts));
    assert_eq!(inet_pton_v4("1.2.3.04"), Err(AddrParseError::LeadingZero));
    assert_eq!(inet_pton_v4("1.2.3.4 "), Err(AddrParseError::InvalidCharacter));
    // Families other than AF_INET and AF_INET6: glibc says -1 (EAFNOSUPPORT).
    for family in [
        Domain::UNSPEC,
        Domain::UNIX,
        Domain::NETLINK,
        Domain::PACKET,
        Domain::from_raw(200),
    ] {
        let (ret, _) = glibc::pton(i32::from(family.raw()), b"1.2.3.4");
        assert_eq!(ret, -1);
        assert_eq!(
            inet_pton(family, "1.2.3.4"),
            Err(AddrParseError::UnsupportedFamily)
        );
    }
}

#[test]
fn ntop_edge_cases() {
    for words in NTOP6_CASES {
        let addr = Ipv6Addr::from(*words);
        check_ntop6(addr);
        // Whatever glibc writes, it reads back.
        assert_eq!(inet_pton_v6(inet_ntop_v6(addr).as_bytes()), Ok(addr));
    }
    for v4 in [
        Ipv4Addr::UNSPECIFIED,
        Ipv4Addr::BROADCAST,
        Ipv4Addr::new(9, 10, 99, 100),
        Ipv4Addr::new(1, 0, 255, 0),
    ] {
        check_ntop4(v4);
        check_ntoa(v4);
    }
    assert_eq!(
        inet_ntop_v6(Ipv6Addr::from([0, 0, 0, 0, 0, 0, 1, 0])),
        "::0.1.0.0"
    );
    assert_eq!(
        inet_ntop_v6(Ipv6Addr::from([0, 0, 0, 0, 0, 0xffff, 0, 0])),
        "::ffff:0.0.0.0"
    );
    assert_eq!(
        inet_ntop_v6(Ipv6Addr::from([1, 0, 0, 1, 0, 0, 1, 1])),
        "1::1:0:0:1:1"
    );
    assert_eq!(
        inet_ntop_v6(Ipv6Addr::from([1, 0, 1, 0, 1, 0, 1, 0])),
        "1:0:1:0:1:0:1:0"
    );
    assert_eq!(inet_ntoa(Ipv4Addr::BROADCAST), "255.255.255.255");
}

// ---------------------------------------------------------------------------
// Generated inputs.

/// Generators of test values that only these tests need.
impl Rng {
    /// A number that is often at or next to a boundary.
    fn interesting(&mut self) -> u64 {
        const EDGES: &[u64] = &[
            0,
            1,
            7,
            8,
            9,
            10,
            15,
            16,
            99,
            100,
            127,
            255,
            256,
            0xfff,
            0xffff,
            0x1_0000,
            0xff_ffff,
            0x100_0000,
            0xffff_ffff,
            0x1_0000_0000,
            u64::MAX,
        ];
        match self.below_u64(3) {
            0 => self.pick(EDGES),
            1 => self.below_u64(300),
            _ => self.next() >> self.below_u64(64),
        }
    }
}

/// Bytes the random-text generators draw from, weighted by repetition.
const TEXT_BYTES: &[u8] = b"0000011111123456789...........xxXabcdefABCDEF \t\x0b\n\x0c\r+-:g\0\xff\x80";
const V6_BYTES: &[u8] = b"0000001123456789abcdefABCDEF::::::::::.... g\0";

/// Replaces, inserts or deletes a byte now and then.
fn mutate(rng: &mut Rng, text: &mut Vec<u8>, alphabet: &[u8]) {
    while rng.percent(15) {
        let at = rng.below_u64(text.len() as u64 + 1) as usize;
        let byte = if rng.percent(90) {
            rng.pick(alphabet)
        } else {
            rng.next() as u8
        };
        match rng.below_u64(3) {
            0 if at < text.len() => text[at] = byte,
            1 if at < text.len() => {
                text.remove(at);
            }
            _ => text.insert(at, byte),
        }
    }
    text.truncate(glibc::MAX_TEXT);
}

/// Random bytes from `alphabet`, of random length up to `max_len`.
fn random_text(rng: &mut Rng, text: &mut Vec<u8>, alphabet: &[u8], max_len: u64) {
    let len = rng.below_u64(max_len + 1);
    for _ in 0..len {
        text.push(rng.pick(alphabet));
    }
}

/// One number as C writes it: decimal, octal or hex, perhaps padded.
fn push_number(rng: &mut Rng, text: &mut Vec<u8>, value: u64) {
    match rng.below_u64(8) {
        0 | 1 => {
            text.extend_from_slice(if rng.percent(50) { b"0x" } else { b"0X" });
            for _ in 0..rng.below_u64(3) {
                text.push(b'0');
            }
            if rng.percent(50) {
                write!(DigitSink(text), "{value:x}").unwrap();
            } else {
                write!(DigitSink(text), "{value:X}").unwrap();
            }
        }
        2 => {
            text.push(b'0');
            for _ in 0..rng.below_u64(2) {
                text.push(b'0');
            }
            write!(DigitSink(text), "{value:o}").unwrap();
        }
        3 => text.extend_from_slice(rng.pick(&[&b"0x"[..], b"0X", b"0", b""])),
        _ => write!(DigitSink(text), "{value}").unwrap(),
    }
}

/// Lets `write!` append to a byte vector.
struct DigitSink<'a>(&'a mut Vec<u8>);

impl std::fmt::Write for DigitSink<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

/// A text for inet_aton / inet_addr: mostly legacy-form addresses with
/// boundary values, some trailing text, some random bytes.
fn aton_text(rng: &mut Rng, text: &mut Vec<u8>) {
    text.clear();
    if rng.percent(25) {
        random_text(rng, text, TEXT_BYTES, 24);
        return;
    }
    let parts = 1 + rng.below_u64(5);
    for i in 0..parts {
        if i > 0 {
            text.push(b'.');
        }
        let value = if rng.percent(70) {
            rng.below_u64(256)
        } else {
            rng.interesting()
        };
        push_number(rng, text, value);
    }
    if rng.percent(20) {
        text.push(rng.pick(b" \t\n\x0b\x0c\r.x\0/"));
        random_text(rng, text, TEXT_BYTES, 6);
    }
    mutate(rng, text, TEXT_BYTES);
}

/// A text for inet_pton(AF_INET): dotted decimals near the rules' edges.
fn pton4_text(rng: &mut Rng, text: &mut Vec<u8>) {
    text.clear();
    if rng.percent(30) {
        aton_text(rng, text);
        return;
    }
    let parts = rng.pick(&[4, 4, 4, 4, 3, 5, 1, 2]);
    for i in 0..parts {
        if i > 0 {
            text.push(b'.');
        }
        if rng.percent(5) {
            text.push(b'0');
        }
        let value = if rng.percent(95) {
            rng.below_u64(256)
        } else {
            rng.below_u64(1200)
        };
        write!(DigitSink(text), "{value}").unwrap();
    }
    mutate(rng, text, b"0123456789.. ");
}

/// An IPv6 word, often zero, 0xffff or small.
fn v6_word(rng: &mut Rng) -> u16 {
    match rng.below_u64(10) {
        0..=3 => 0,
        4 => 0xffff,
        5 | 6 => rng.below_u64(20) as u16,
        _ => rng.next() as u16,
    }
}

/// An IPv6 address with many zero runs and IPv4-mapped/compatible shapes.
fn v6_addr(rng: &mut Rng) -> Ipv6Addr {
    let mut words = [0u16; 8];
    for w in &mut words {
        *w = v6_word(rng);
    }
    match rng.below_u64(10) {
        0 => words[..5].fill(0),
        1 => words[..6].fill(0),
        2 => {
            words[..5].fill(0);
            words[5] = 0xffff;
        }
        _ => {}
    }
    Ipv6Addr::from(words)
}

/// A text for inet_pton(AF_INET6): glibc's own output, hand-built forms
/// (padding, case, any zero run compressed, dotted tails), random bytes.
fn pton6_text(rng: &mut Rng, text: &mut Vec<u8>) {
    text.clear();
    match rng.below_u64(10) {
        0 | 1 => {
            let (c_text, len) = glibc::ntop(libc::AF_INET6, &v6_addr(rng).octets());
            text.extend_from_slice(&c_text[..len]);
        }
        2 | 3 => random_text(rng, text, V6_BYTES, 48),
        _ => {
            let words = v6_addr(rng).segments();
            let dotted_tail = rng.percent(20);
            let groups = if dotted_tail { 6 } else { 8 };
            // Compress some run (not always of zeros, not always the longest).
            let (gap_start, gap_len) = if rng.percent(60) {
                (rng.below_u64(groups + 1), rng.below_u64(groups + 1))
            } else {
                (99, 0)
            };
            let mut i = 0;
            while i < groups {
                if i == gap_start {
                    text.extend_from_slice(b"::");
                    i += gap_len.max(1);
                    continue;
                }
                if i > 0 && text.last() != Some(&b':') {
                    text.push(b':');
                }
                for _ in 0..rng.below_u64(2) * rng.below_u64(3) {
                    text.push(b'0');
                }
                let w = words[i as usize];
                if rng.percent(50) {
                    write!(DigitSink(text), "{w:x}").unwrap();
                } else {
                    write!(DigitSink(text), "{w:X}").unwrap();
                }
                i += 1;
            }
            if dotted_tail {
                if text.last() != Some(&b':') {
                    text.push(b':');
                }
                let mut quad = Vec::new();
                pton4_text(rng, &mut quad);
                text.extend_from_slice(&quad);
            } else if gap_start == groups {
                text.extend_from_slice(b"::");
            }
        }
    }
    mutate(rng, text, V6_BYTES);
}

/// An IPv4 address with bytes often at a digit-count edge.
fn v4_addr(rng: &mut Rng) -> Ipv4Addr {
    let mut octets = [0u8; 4];
    for o in &mut octets {
        *o = if rng.percent(50) {
            rng.pick(&[0, 1, 9, 10, 99, 100, 199, 200, 255])
        } else {
            rng.next() as u8
        };
    }
    Ipv4Addr::from(octets)
}

/// Runs `check` on `case_count()` generated inputs from a fixed seed.
fn generated(seed: u64, mut case: impl FnMut(&mut Rng)) {
    let mut rng = Rng(seed);
    for _ in 0..case_count() {
        case(&mut rng);
    }
}

#[test]
fn generated_inet_aton() {
    let mut text = Vec::new();
    let mut accepted = 0u64;
    generated(1, |rng| {
        aton_text(rng, &mut text);
        check_aton(&text);
        accepted += u64::from(inet_aton(&text).is_ok());
    });
    eprintln!("inet_aton: {} cases, {accepted} accepted", case_count());
}

#[test]
fn generated_inet_addr() {
    let mut text = Vec::new();
    generated(2, |rng| {
        aton_text(rng, &mut text);
        check_addr(&text);
    });
}

#[test]
fn generated_inet_pton_v4() {
    let mut text = Vec::new();
    let mut accepted = 0u64;
    generated(3, |rng| {
        pton4_text(rng, &mut text);
        check_pton4(&text);
        accepted += u64::from(inet_pton_v4(&text).is_ok());
    });
    eprintln!("inet_pton_v4: {} cases, {accepted} accepted", case_count());
}

#[test]
fn generated_inet_pton_v6() {
    let mut text = Vec::new();
    let mut accepted = 0u64;
    generated(4, |rng| {
        pton6_text(rng, &mut text);
        check_pton6(&text);
        accepted += u64::from(inet_pton_v6(&text).is_ok());
    });
    eprintln!("inet_pton_v6: {} cases, {accepted} accepted", case_count());
}

#[test]
fn generated_inet_ntoa_and_ntop_v4() {
    generated(5, |rng| {
        let addr = v4_addr(rng);
        check_ntoa(addr);
        check_ntop4(addr);
    });
}

#[test]
fn generated_inet_ntop_v6() {
    generated(6, |rng| check_ntop6(v6_addr(rng)));
}
