//! Property tests of the `/proc` line parsers and the line reader:
//! - no bytes make `InetEntry::parse` or `UnixEntry::parse` panic;
//! - a line printed the kernel's way (its `seq_printf` formats, written out
//!   here independently) parses back to exactly the values printed;
//! - the reader over any bytes and any buffer size ends, never panics, and
//!   yields exactly one item per line after the header.
//!
//! `PROC_FUZZ_CASES` sets the number of cases per property (default 256).

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::os::fd::OwnedFd;
use std::os::unix::net::UnixStream;

use crate::common::proc_lines::{kernel_inet_line, kernel_unix_line};
use proptest::prelude::*;
use proptest::test_runner::Config;
use zerosock::Type;
use zerosock::addr::UnixAddrKind;
use zerosock::proc::{InetEntries, InetEntry, Timer, UnixEntries, UnixEntry};

fn config() -> Config {
    let cases = std::env::var("PROC_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256);
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

fn ip() -> impl Strategy<Value = IpAddr> {
    prop_oneof![
        any::<[u8; 4]>().prop_map(|o| IpAddr::V4(Ipv4Addr::from(o))),
        any::<[u8; 16]>().prop_map(|o| IpAddr::V6(Ipv6Addr::from(o))),
    ]
}

/// A valid line with the values in it, v4 or v6.
fn inet_line() -> impl Strategy<
    Value = (
        String,
        SocketAddr,
        SocketAddr,
        u8,
        u32,
        u32,
        u8,
        u64,
        u32,
        u32,
        i32,
        u64,
    ),
> {
    (
        ip(),
        any::<u16>(),
        any::<u16>(),
        any::<[u8; 16]>(),
        any::<u8>(),
        any::<(u32, u32, u8, u64, u32, u32, i32, u64)>(),
        any::<u32>(),
    )
        .prop_map(|(local_ip, lport, rport, remote_bytes, st, rest, sl)| {
            let remote_ip = match local_ip {
                IpAddr::V4(_) => IpAddr::V4(Ipv4Addr::new(
                    remote_bytes[0],
                    remote_bytes[1],
                    remote_bytes[2],
                    remote_bytes[3],
                )),
                IpAddr::V6(_) => IpAddr::V6(Ipv6Addr::from(remote_bytes)),
            };
            let (tx, rx, tr, when, retr, uid, timeout, inode) = rest;
            let local = SocketAddr::new(local_ip, lport);
            let remote = SocketAddr::new(remote_ip, rport);
            let e = InetEntry {
                local,
                remote,
                st,
                tx_queue: tx,
                rx_queue: rx,
                timer: Timer::from_raw(tr),
                timer_when: when,
                retransmits: retr,
                uid,
                timeout,
                inode,
            };
            let line = kernel_inet_line(sl % 1_000_000, &e);
            (
                line, local, remote, st, tx, rx, tr, when, retr, uid, timeout, inode,
            )
        })
}

/// A valid line with a random valid field replaced, a byte inserted or
/// removed: the mutations most likely to reach deep into the parser.
fn mutated(line: Vec<u8>, at: usize, byte: u8, how: u8) -> Vec<u8> {
    let mut line = line;
    let at = at % (line.len() + 1);
    match how % 3 {
        0 if at < line.len() => line[at] = byte,
        1 => line.insert(at, byte),
        _ if at < line.len() => {
            line.remove(at);
        }
        _ => {}
    }
    line
}

/// Reads `bytes` as a table through a buffer of `cap` bytes; returns the
/// number of items.
fn read_all(bytes: &[u8], cap: usize, unix: bool) -> usize {
    let (mut w, r) = UnixStream::pair().unwrap();
    w.write_all(bytes).unwrap();
    drop(w);
    let fd = OwnedFd::from(r);
    let mut buf = vec![0u8; cap];
    // Bounded: a correct reader yields at most one item per line.
    let limit = bytes.len() + 2;
    let n = if unix {
        UnixEntries::from_fd(fd, &mut buf).take(limit).count()
    } else {
        InetEntries::from_fd(fd, &mut buf).take(limit).count()
    };
    assert!(n < limit, "reader did not end");
    n
}

/// The lines in `bytes` as the reader counts them: split at `\n`, a last
/// line without `\n` counts, an empty tail after the last `\n` does not.
fn line_count(bytes: &[u8]) -> usize {
    let newlines = bytes.iter().filter(|&&b| b == b'\n').count();
    newlines + usize::from(!bytes.is_empty() && bytes.last() != Some(&b'\n'))
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn parsers_never_panic_on_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = InetEntry::parse(&bytes);
        let _ = UnixEntry::parse(&bytes);
    }

    #[test]
    fn parsers_never_panic_on_mutated_lines(
        (line, ..) in inet_line(),
        at in any::<usize>(),
        byte in prop_oneof![Just(b' '), Just(b':'), Just(b'0'), Just(b'F'), Just(b'-'), any::<u8>()],
        how in any::<u8>(),
        rounds in 1usize..4,
    ) {
        let mut line = line.into_bytes();
        for i in 0..rounds {
            line = mutated(line, at.wrapping_mul(i + 1), byte, how.wrapping_add(i as u8));
        }
        let _ = InetEntry::parse(&line);
        let _ = UnixEntry::parse(&line);
    }

    #[test]
    fn inet_line_round_trips(
        (line, local, remote, st, tx, rx, tr, when, retr, uid, timeout, inode) in inet_line()
    ) {
        let e = InetEntry::parse(line.as_bytes()).unwrap();
        prop_assert_eq!(e.local, local);
        prop_assert_eq!(e.remote, remote);
        prop_assert_eq!(e.st, st);
        prop_assert_eq!((e.tx_queue, e.rx_queue), (tx, rx));
        prop_assert_eq!((e.timer.raw(), e.timer_when), (tr, when));
        prop_assert_eq!((e.retransmits, e.uid, e.timeout, e.inode), (retr, uid, timeout, inode));
    }

    #[test]
    fn unix_line_round_trips(
        ptr in any::<u64>(),
        refcount in any::<u32>(),
        flags in prop_oneof![Just(0u32), Just(1 << 16), any::<u32>()],
        ty in any::<u16>(),
        st in any::<u8>(),
        inode in any::<u64>(),
        kind in 0u8..3,
        name in proptest::collection::vec(any::<u8>().prop_filter("no newline", |&b| b != b'\n'), 1..=107),
    ) {
        let path: Vec<u8> = match kind {
            0 => Vec::new(),
            1 => [&b"@"[..], &name].concat(),
            _ => name.iter().map(|&b| if b == b'@' { b'/' } else { b }).collect(),
        };
        let mut line = format!(
            "{ptr:016X}: {refcount:08X} {:08X} {flags:08X} {ty:04X} {st:02X} {inode:5}",
            0
        ).into_bytes();
        if !path.is_empty() {
            line.push(b' ');
            line.extend_from_slice(&path);
        }
        let e = UnixEntry::parse(&line).unwrap();
        prop_assert_eq!(kernel_unix_line(ptr, &e), line.clone());
        prop_assert_eq!((e.refcount, e.flags, e.inode), (refcount, flags, inode));
        prop_assert_eq!(e.socket_type, Type::from_raw(u32::from(ty)));
        prop_assert_eq!(e.state.raw(), st);
        prop_assert_eq!(e.is_listening(), flags & (1 << 16) != 0);
        let want = match kind {
            0 => UnixAddrKind::Unnamed,
            1 => UnixAddrKind::Abstract(&path[1..]),
            _ => UnixAddrKind::Pathname(&path),
        };
        prop_assert_eq!(e.path(), want);
    }

    #[test]
    fn reader_yields_one_item_per_line_whatever_the_bytes(
        bytes in proptest::collection::vec(
            prop_oneof![4 => any::<u8>(), 1 => Just(b'\n'), 2 => Just(b' ')], 0..600),
        cap in 1usize..96,
        unix in any::<bool>(),
    ) {
        let n = read_all(&bytes, cap, unix);
        prop_assert_eq!(n, line_count(&bytes).saturating_sub(1));
    }

    #[test]
    fn reader_over_valid_lines_is_independent_of_buffer_size(
        lines in proptest::collection::vec(inet_line(), 0..12),
        cap in 1usize..400,
    ) {
        let mut text = String::from("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n");
        for (line, ..) in &lines {
            text.push_str(line);
            text.push('\n');
        }
        let (mut w, r) = UnixStream::pair().unwrap();
        w.write_all(text.as_bytes()).unwrap();
        drop(w);
        let mut buf = vec![0u8; cap];
        let got: Vec<_> = InetEntries::from_fd(OwnedFd::from(r), &mut buf).take(lines.len() + 1).collect();
        prop_assert_eq!(got.len(), lines.len());
        for (item, (line, local, ..)) in got.iter().zip(&lines) {
            if line.len() < cap {
                prop_assert_eq!(item.as_ref().map(|e| e.local).ok(), Some(*local));
            } else {
                let too_long = matches!(item, Err(zerosock::proc::ProcError::LineTooLong { .. }));
                prop_assert!(too_long, "{:?}", item);
            }
        }
    }
}
