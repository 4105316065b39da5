//! Generated input for the DNS message parser and builder and the file
//! readers: well-formed messages (names compressed with pointers, every
//! record type the resolver reads), then mutated (bytes flipped, cut,
//! pointers aimed anywhere, counts changed) or replaced by noise. The
//! parser must never panic, and a message it accepts must read back whole:
//! every question and record as the counts say, every name through its
//! pointers.
//!
//! `ZS_RESOLVE_FUZZ=N` sets the number of messages (default 20,000; the
//! opt-in run uses 10,000,000: `ZS_RESOLVE_FUZZ=10000000 cargo test
//! --release --test resolve_fuzz`). A failure prints the seed.

mod common;

use common::rng::Rng;
use zerosock::resolve::wire::{Message, RData, WireError, build_query, encode_name, query_len};
use zerosock::resolve::{HostSources, HostsFile, ProtocolsFile, ResolvConf, ServicesFile};

fn count() -> u64 {
    std::env::var("ZS_RESOLVE_FUZZ")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000)
}

/// A random well-formed message: a question, then records whose owners
/// and CNAME/PTR targets are pointers to earlier names or new names.
fn message(rng: &mut Rng) -> Vec<u8> {
    let mut m = vec![0u8; 12];
    rng.fill(&mut m[..4]);
    let mut names: Vec<usize> = Vec::new();
    let name = |m: &mut Vec<u8>, rng: &mut Rng, names: &mut Vec<usize>| {
        if !names.is_empty() && rng.percent(50) {
            let at = names[rng.below(names.len())];
            m.extend_from_slice(&[0xc0 | (at >> 8) as u8, at as u8]);
            return;
        }
        names.push(m.len());
        for _ in 0..rng.below(4) {
            let len = rng.upto(10);
            m.push(len as u8);
            for _ in 0..len {
                m.push(b'a' + rng.below(26) as u8);
            }
        }
        if !names.is_empty() && names.len() > 1 && rng.percent(30) {
            let at = names[rng.below(names.len() - 1)];
            m.extend_from_slice(&[0xc0 | (at >> 8) as u8, at as u8]);
        } else {
            m.push(0);
        }
    };
    let qd = rng.below(2) as u16;
    for _ in 0..qd {
        name(&mut m, rng, &mut names);
        m.extend_from_slice(&[0, rng.pick(&[1u8, 28, 12, 5]), 0, 1]);
    }
    let records = rng.below(6) as u16;
    for _ in 0..records {
        name(&mut m, rng, &mut names);
        let ty = rng.pick(&[1u16, 28, 5, 12, 16, 41]);
        m.extend_from_slice(&ty.to_be_bytes());
        m.extend_from_slice(&[0, 1, 0, 0, 1, 0]);
        let len_at = m.len();
        m.extend_from_slice(&[0, 0]);
        match ty {
            1 => m.extend_from_slice(&[192, 0, 2, rng.next() as u8]),
            28 => {
                let mut a = [0u8; 16];
                rng.fill(&mut a);
                m.extend_from_slice(&a);
            }
            5 | 12 => name(&mut m, rng, &mut names),
            _ => {
                let n = rng.below(20);
                let start = m.len();
                m.resize(start + n, 0);
                rng.fill(&mut m[start..]);
            }
        }
        let len = (m.len() - len_at - 2) as u16;
        m[len_at..len_at + 2].copy_from_slice(&len.to_be_bytes());
    }
    m[4..6].copy_from_slice(&qd.to_be_bytes());
    // All records in the answer, authority or additional section.
    let split = rng.below(usize::from(records) + 1) as u16;
    m[6..8].copy_from_slice(&split.to_be_bytes());
    m[8..10].copy_from_slice(&(records - split).to_be_bytes());
    m
}

fn mutate(rng: &mut Rng, m: &mut Vec<u8>) {
    for _ in 0..rng.upto(3) {
        match rng.below(6) {
            0 if !m.is_empty() => {
                let i = rng.below(m.len());
                m[i] ^= 1 << rng.below(8);
            }
            1 if !m.is_empty() => {
                let n = rng.below(m.len());
                m.truncate(n);
            }
            2 if m.len() > 2 => {
                // A pointer anywhere, at any place.
                let i = rng.below(m.len() - 1);
                m[i] = 0xc0 | rng.below(64) as u8;
                m[i + 1] = rng.next() as u8;
            }
            3 if m.len() >= 12 => {
                let i = 4 + 2 * rng.below(4);
                m[i + 1] = rng.below(8) as u8;
            }
            4 => {
                let n = rng.below(8);
                for _ in 0..n {
                    m.push(rng.next() as u8);
                }
            }
            _ => {
                let len = rng.below(600);
                *m = rng.bytes(len);
            }
        }
    }
}

/// Reads everything a checked message holds; the counts must match.
fn read_all(bytes: &[u8]) {
    let Ok(msg) = Message::new_checked(bytes) else {
        return;
    };
    let h = msg.header();
    let mut s = String::new();
    let qs = msg
        .questions()
        .map(|q| q.expect("a checked question"))
        .collect::<Vec<_>>();
    assert_eq!(qs.len(), usize::from(h.qdcount));
    for q in &qs {
        use std::fmt::Write;
        write!(s, "{}", q.name).unwrap();
        let mut wire = [0u8; 255];
        let n = q.name.to_wire(&mut wire);
        assert!(q.name.eq_wire(&wire[..n]));
    }
    let mut n = 0;
    for r in msg.records() {
        let r = r.expect("a checked record");
        n += 1;
        use std::fmt::Write;
        write!(s, "{}", r.name).unwrap();
        if let RData::Cname(t) | RData::Ptr(t) = r.data {
            write!(s, "{t}").unwrap();
        }
    }
    assert_eq!(
        n,
        usize::from(h.ancount) + usize::from(h.nscount) + usize::from(h.arcount)
    );
}

#[test]
fn generated_messages_never_panic() {
    let total = count();
    let mut rng = Rng(0xd15_ea5e);
    let mut accepted = 0u64;
    for i in 0..total {
        let seed = rng.next();
        let mut r = Rng(seed);
        let mut m = message(&mut r);
        let whole = i % 4 == 0;
        if !whole {
            mutate(&mut r, &mut m);
        }
        let res = std::panic::catch_unwind(|| read_all(&m));
        assert!(res.is_ok(), "panic on message {i} (seed {seed:#x}): {m:02x?}");
        if whole {
            // Unmutated messages are well formed.
            assert!(Message::new_checked(&m[..]).is_ok(), "seed {seed:#x}: {m:02x?}");
        }
        accepted += u64::from(Message::new_checked(&m[..]).is_ok());
    }
    println!("{total} messages, {accepted} accepted");
}

#[test]
fn builder_writes_all_or_nothing() {
    let mut rng = Rng(0xb01d);
    let mut name = [0u8; 255];
    let texts = [
        "a",
        "example.com",
        "x.y.z.",
        "a-very-long-label-that-is-fine.example.test",
    ];
    for i in 0..2000 {
        let t = texts[i % texts.len()];
        let n = encode_name(t, &mut name).unwrap();
        let edns = rng.percent(50).then_some(1200);
        let want = query_len(&name[..n], edns);
        let size = rng.below(want + 8);
        let mut buf = vec![0xa5u8; size];
        match build_query(&mut buf, 7, &name[..n], 1, edns) {
            Ok(len) => {
                assert_eq!(len, want);
                let msg = Message::new_checked(&buf[..len]).unwrap();
                assert!(msg.questions().next().unwrap().unwrap().name.eq_wire(&name[..n]));
                assert!(buf[len..].iter().all(|&b| b == 0xa5));
            }
            Err(e) => {
                assert_eq!(e, WireError::BufferTooSmall);
                assert!(size < want);
                assert!(buf.iter().all(|&b| b == 0xa5), "written though too small");
            }
        }
    }
    // Names that cannot be encoded.
    for bad in [
        "",
        "..",
        "a..b",
        &"x".repeat(64),
        &["abcdefghi"; 30].join("."),
        "a\\.b",
    ] {
        assert!(encode_name(bad, &mut name).is_err(), "{bad:?}");
    }
}

#[test]
fn file_readers_never_panic() {
    let mut rng = Rng(0xf11e);
    let pieces: &[&[u8]] = &[
        b"127.0.0.1",
        b"::1",
        b"host",
        b"alias",
        b"#",
        b" ",
        b"\t",
        b"\n",
        b"80/tcp",
        b"/",
        b"6",
        b"nameserver",
        b"search",
        b"domain",
        b"options",
        b"ndots:3",
        b"timeout:99",
        b"hosts:",
        b"files",
        b"dns",
        b"[NOTFOUND=return]",
        b"\xff",
        b"\0",
        b"300.1.1.1",
        b"fe80::1%lo",
    ];
    for _ in 0..(count() / 10).max(1000) {
        let mut text = Vec::new();
        for _ in 0..rng.below(40) {
            text.extend_from_slice(rng.pick(pieces));
        }
        let mut h = HostsFile::from_bytes(&text);
        while h.next_entry().is_some() {}
        let mut s = ServicesFile::from_bytes(&text);
        while s.next_entry().is_some() {}
        let mut p = ProtocolsFile::from_bytes(&text);
        while p.next_entry().is_some() {}
        let c = ResolvConf::parse(&text);
        assert!(!c.nameservers().is_empty() && c.nameservers().len() <= 3);
        assert!(c.ndots() <= 15 && c.timeout().as_secs() <= 30 && c.attempts() <= 5);
        let _ = HostSources::parse(&text);
    }
}
