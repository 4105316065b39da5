//! Property tests of the control-message decoder and encoder, driven by a
//! seeded generator (deterministic, fast enough for a million cases):
//!
//! - on arbitrary bytes — random, or plausible messages with corrupted
//!   lengths, cut at random points, at every alignment — the decoder never
//!   panics, stops after at most `len / 16 + 1` items, yields nothing after
//!   an error, returns payloads inside the input, and agrees message by
//!   message with an independent reference walk of the `cmsg(3)` rules;
//! - every encodable message list decodes back to itself, and a buffer one
//!   byte short is refused without a partial message.
//!
//! `ZEROSOCK_CMSG_CASES=N` sets the number of cases (default 20 000) and
//! `ZEROSOCK_CMSG_SEED=S` the seed; the run prints both and its time.

use std::time::Instant;

use crate::common::rng::Rng;
use std::mem::size_of;

use zerosock::msg::{
    Cmsg, CmsgDecodeError, CmsgEncodeError, CmsgEncoder, CmsgIter, In6PktInfo, InPktInfo, TimeSpec, TimeVal,
    UCred, cmsg_space,
};

/// The word `cmsg_len` is (`size_t`), and the alignment of messages.
const W: usize = size_of::<usize>();
/// The header: `cmsg_len`, then two `int`s.
const HDR: usize = W + 8;

/// The (level, type) pairs the decoder knows, and their payload sizes.
const KNOWN: &[(i32, i32, usize)] = &[
    (1, 1, 4),    // SCM_RIGHTS (a multiple of 4)
    (1, 2, 12),   // SCM_CREDENTIALS
    (1, 4, 4),    // SCM_PIDFD
    (1, 29, 16),  // SO_TIMESTAMP_OLD
    (1, 63, 16),  // SO_TIMESTAMP_NEW
    (1, 35, 16),  // SO_TIMESTAMPNS_OLD
    (1, 64, 16),  // SO_TIMESTAMPNS_NEW
    (1, 37, 48),  // SO_TIMESTAMPING_OLD
    (1, 65, 48),  // SO_TIMESTAMPING_NEW
    (1, 40, 4),   // SO_RXQ_OVFL
    (0, 8, 12),   // IP_PKTINFO
    (0, 1, 1),    // IP_TOS
    (0, 2, 4),    // IP_TTL
    (41, 50, 20), // IPV6_PKTINFO
    (41, 67, 4),  // IPV6_TCLASS
    (41, 52, 4),  // IPV6_HOPLIMIT
    (17, 103, 2), // UDP_SEGMENT
    (17, 104, 4), // UDP_GRO
];

/// The `_OLD` timestamp types, which carry a 32-bit `time_t` on 32-bit
/// targets: the decoder knows them only where they carry 64-bit times.
const OLD_TIMESTAMPS: [i32; 3] = [29, 35, 37];

fn is_known(level: i32, ty: i32) -> bool {
    if W == 4 && level == 1 && OLD_TIMESTAMPS.contains(&ty) {
        return false;
    }
    KNOWN.iter().any(|&(l, t, _)| (l, t) == (level, ty))
}

/// Appends one plausible message, sometimes with a wrong payload size or a
/// corrupted `cmsg_len`, and padding sometimes left out.
fn plausible(rng: &mut Rng, out: &mut Vec<u8>) {
    let (level, ty, mut size) = if rng.one_in(4) {
        (rng.next() as i32 % 300, rng.next() as i32 % 300, rng.below(40))
    } else {
        KNOWN[rng.below(KNOWN.len())]
    };
    if (level, ty) == (1, 1) {
        size *= rng.below(5);
    }
    if rng.one_in(5) {
        size = (size + rng.below(9)).saturating_sub(4);
    }
    let mut len = (HDR + size) as u64;
    match rng.below(12) {
        0 => len = rng.next(),
        1 => len = rng.below(HDR) as u64,
        2 => len += 1 + rng.below(64) as u64,
        3 => len = u64::MAX - rng.below(16) as u64,
        _ => {}
    }
    out.extend_from_slice(&(len as usize).to_ne_bytes());
    out.extend_from_slice(&level.to_ne_bytes());
    out.extend_from_slice(&ty.to_ne_bytes());
    out.extend(rng.bytes(size));
    if !rng.one_in(6) {
        out.resize(out.len().next_multiple_of(W), 0);
    }
}

/// One arbitrary input.
fn arbitrary(rng: &mut Rng, out: &mut Vec<u8>) {
    out.clear();
    match rng.below(3) {
        0 => {
            let n = rng.below(200);
            out.extend(rng.bytes(n));
        }
        _ => {
            for _ in 0..rng.below(6) {
                plausible(rng, out);
            }
            if rng.one_in(2) && !out.is_empty() {
                let cut = rng.below(out.len() + 1);
                out.truncate(cut);
            }
            for _ in 0..rng.below(3) {
                if !out.is_empty() {
                    let at = rng.below(out.len());
                    out[at] ^= 1 << rng.below(8);
                }
            }
        }
    }
}

/// One step of the reference walk: a message's `(level, type, payload)`,
/// or the error that ends the walk.
type Step<'a> = Result<(i32, i32, &'a [u8]), CmsgDecodeError>;

/// The reference walk, written from cmsg(3) and the kernel's rules
/// independently of the library: `(level, type, payload)` per message, or
/// the error that ends the walk.
fn reference(bytes: &[u8]) -> Vec<Step<'_>> {
    let mut out = Vec::new();
    let mut offset = 0;
    while offset < bytes.len() {
        let remaining = bytes.len() - offset;
        if remaining < HDR {
            out.push(Err(CmsgDecodeError::TruncatedHeader { offset, remaining }));
            break;
        }
        let len = usize::from_ne_bytes(bytes[offset..offset + W].try_into().unwrap());
        let level = i32::from_ne_bytes(bytes[offset + W..offset + W + 4].try_into().unwrap());
        let ty = i32::from_ne_bytes(bytes[offset + W + 4..offset + HDR].try_into().unwrap());
        if len < HDR {
            out.push(Err(CmsgDecodeError::BadLength { offset, len }));
            break;
        }
        if len > remaining {
            out.push(Err(CmsgDecodeError::Truncated {
                offset,
                len,
                remaining,
            }));
            break;
        }
        out.push(Ok((level, ty, &bytes[offset + HDR..offset + len])));
        offset += len.next_multiple_of(W).min(remaining);
    }
    out
}

/// What the decoder yielded over a run: typed messages, `Other`, and each
/// error kind — printed, so a reader sees the generator reach every path.
#[derive(Debug, Default)]
struct Tally {
    typed: usize,
    other: usize,
    bad_payload: usize,
    truncated_header: usize,
    bad_length: usize,
    truncated: usize,
}

/// Decodes `bytes` and checks every property against the reference walk.
fn check_decode(bytes: &[u8], tally: &mut Tally) {
    let expected = reference(bytes);
    let mut iter = CmsgIter::new(bytes);
    let mut items = 0;
    for want in &expected {
        let got = iter
            .next()
            .unwrap_or_else(|| panic!("ended early, expected {want:?}"));
        items += 1;
        assert!(items <= bytes.len() / HDR + 1);
        match (want, &got) {
            (Err(want), Err(got)) => assert_eq!(want, got),
            (Ok((level, ty, data)), Err(CmsgDecodeError::BadPayload { level: l, ty: t, len })) => {
                assert_eq!((level, ty, data.len()), (l, t, *len));
                assert!(is_known(*level, *ty), "BadPayload for unknown ({level}, {ty})");
            }
            (
                Ok((level, ty, data)),
                Ok(Cmsg::Other {
                    level: l,
                    ty: t,
                    data: d,
                }),
            ) => {
                assert_eq!((level, ty, data), (l, t, d));
                assert!(!is_known(*level, *ty), "known ({level}, {ty}) returned as Other");
                assert!(bytes.as_ptr_range().contains(&d.as_ptr()) || d.is_empty());
            }
            (Ok((level, ty, _)), Ok(_typed)) => assert!(is_known(*level, *ty)),
            (want, got) => panic!("expected {want:?}, decoded {got:?}"),
        }
        match got {
            Ok(Cmsg::Other { .. }) => tally.other += 1,
            Ok(_) => tally.typed += 1,
            Err(CmsgDecodeError::BadPayload { .. }) => tally.bad_payload += 1,
            Err(CmsgDecodeError::TruncatedHeader { .. }) => tally.truncated_header += 1,
            Err(CmsgDecodeError::BadLength { .. }) => tally.bad_length += 1,
            Err(CmsgDecodeError::Truncated { .. }) => tally.truncated += 1,
            Err(other) => panic!("{other:?}"),
        }
        if got.is_err() {
            break;
        }
    }
    assert_eq!(iter.next(), None, "nothing after the end or an error");
    assert_eq!(iter.next(), None);
}

/// A random message the encoder can write (everything but fds).
fn encodable<'p>(rng: &mut Rng, pool: &'p [u8]) -> Cmsg<'p> {
    let n = rng.next();
    let ts = |rng: &mut Rng| TimeSpec {
        tv_sec: rng.next() as i64,
        tv_nsec: rng.next() as i64,
    };
    match rng.below(14) {
        0 => Cmsg::Credentials(UCred {
            pid: n as i32,
            uid: (n >> 32) as u32,
            gid: rng.next() as u32,
        }),
        1 => Cmsg::Timestamp(TimeVal {
            tv_sec: n as i64,
            tv_usec: rng.next() as i64,
        }),
        2 => Cmsg::TimestampNs(ts(rng)),
        3 => Cmsg::Timestamping([ts(rng), ts(rng), ts(rng)]),
        4 => Cmsg::RxqOverflow(n as u32),
        5 => Cmsg::Ipv4PktInfo(InPktInfo {
            ipi_ifindex: n as i32,
            ipi_spec_dst: std::net::Ipv4Addr::from((n >> 32) as u32).into(),
            ipi_addr: std::net::Ipv4Addr::from(rng.next() as u32).into(),
        }),
        6 => Cmsg::Ipv4Tos(n as u8),
        7 => Cmsg::Ipv4Ttl(n as u8),
        8 => Cmsg::Ipv6PktInfo(In6PktInfo::new(
            std::net::Ipv6Addr::from(u128::from(n) << 64 | 7),
            rng.next() as u32,
        )),
        9 => Cmsg::Ipv6TClass(n as u8),
        10 => Cmsg::Ipv6HopLimit(n as u8),
        11 => Cmsg::UdpSegment(n as u16),
        12 => Cmsg::UdpGro(n as u16),
        _ => {
            // An unknown (level, type): TCP's level, or a made-up one.
            let level = if rng.one_in(2) {
                6
            } else {
                1000 + rng.below(1000) as i32
            };
            let at = rng.below(pool.len() - 40);
            let data = &pool[at..at + rng.below(40)];
            Cmsg::Other {
                level,
                ty: rng.below(500) as i32,
                data,
            }
        }
    }
}

/// The wire size of a message as the encoder writes it.
fn space_of(cmsg: &Cmsg<'_>) -> usize {
    let mut buf = [0u8; 256];
    let mut enc = CmsgEncoder::new(&mut buf);
    enc.push(cmsg).unwrap();
    enc.len()
}

fn check_round_trip(rng: &mut Rng, buf: &mut Vec<u8>, pool: &[u8]) {
    let msgs: Vec<Cmsg<'_>> = (0..rng.below(5)).map(|_| encodable(rng, pool)).collect();
    let total: usize = msgs.iter().map(space_of).sum();
    // At a random misalignment inside the buffer.
    let skew = rng.below(8);
    buf.clear();
    buf.resize(skew + total, 0xAA);
    let mut enc = CmsgEncoder::new(&mut buf[skew..]);
    for msg in &msgs {
        enc.push(msg).unwrap();
    }
    assert_eq!(enc.len(), total);
    let decoded: Vec<_> = CmsgIter::new(enc.as_bytes()).map(Result::unwrap).collect();
    assert_eq!(decoded, msgs);

    if total > 0 {
        let mut short = vec![0u8; total - 1];
        let mut enc = CmsgEncoder::new(&mut short);
        let mut refused = false;
        let mut written = 0;
        for msg in &msgs {
            match enc.push(msg) {
                Ok(_) => written = enc.len(),
                Err(CmsgEncodeError::NoSpace { needed, available }) => {
                    assert_eq!((available, enc.len()), (total - 1, written), "nothing partial");
                    assert!(needed > available);
                    refused = true;
                    break;
                }
                Err(other) => panic!("{other:?}"),
            }
        }
        assert!(refused);
        let decoded: Vec<_> = CmsgIter::new(enc.as_bytes()).map(Result::unwrap).collect();
        assert_eq!(decoded, msgs[..decoded.len()]);
    }
}

#[test]
fn decoder_never_panics_and_matches_the_reference() {
    let cases: usize = std::env::var("ZEROSOCK_CMSG_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let seed: u64 = std::env::var("ZEROSOCK_CMSG_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed_c0de);
    let mut rng = Rng(seed);
    let start = Instant::now();
    let mut input = Vec::new();
    let mut skewed = vec![0u8; 8 + 1024];
    let mut pool = Vec::new();
    pool.extend(rng.bytes(4096));
    let mut round_trip_buf = Vec::new();
    let mut tally = Tally::default();
    for case in 0..cases {
        arbitrary(&mut rng, &mut input);
        // Every alignment: the same bytes decoded from 8 offsets.
        let skew = case % 8;
        skewed[skew..skew + input.len()].copy_from_slice(&input);
        let bytes = &skewed[skew..skew + input.len()];
        let mut case_tally = Tally::default();
        if let Err(panic) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            check_decode(bytes, &mut case_tally)
        })) {
            eprintln!("case {case} (seed {seed}) failed on {input:02x?}");
            std::panic::resume_unwind(panic);
        }
        tally.typed += case_tally.typed;
        tally.other += case_tally.other;
        tally.bad_payload += case_tally.bad_payload;
        tally.truncated_header += case_tally.truncated_header;
        tally.bad_length += case_tally.bad_length;
        tally.truncated += case_tally.truncated;
        check_round_trip(&mut rng, &mut round_trip_buf, &pool);
    }
    eprintln!(
        "cmsg property test: {cases} cases (seed {seed:#x}) in {:.2?}",
        start.elapsed()
    );
    eprintln!("  decoded: {tally:?}");
    assert!(
        [
            tally.typed,
            tally.other,
            tally.bad_payload,
            tally.truncated_header,
            tally.bad_length,
            tally.truncated
        ]
        .iter()
        .all(|&n| n > 0 || cases < 1000),
        "the generator must reach every outcome: {tally:?}"
    );
}

/// Sizes line up with `CMSG_SPACE` for each known payload.
#[test]
fn known_payload_sizes() {
    for &(level, ty, size) in KNOWN {
        if (level, ty) == (1, 1) || (level, ty) == (1, 4) || !is_known(level, ty) {
            continue;
        }
        let mut buf = vec![0u8; cmsg_space(size)];
        let mut enc = CmsgEncoder::new(&mut buf);
        let data = vec![0u8; size];
        enc.raw(level, ty, &data).unwrap();
        match CmsgIter::new(enc.as_bytes()).next() {
            Some(Ok(Cmsg::Other { .. })) | None => panic!("({level}, {ty}) not decoded as known"),
            Some(Ok(_)) => {}
            Some(Err(err)) => panic!("({level}, {ty}): {err}"),
        }
    }
}
