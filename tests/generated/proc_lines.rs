//! Property tests (the seeded generator, `common::rng`) of the `/proc` line parsers and the line reader:
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
use crate::common::rng::{Rng, check_cases};
use zerosock::Type;
use zerosock::addr::UnixAddrKind;
use zerosock::proc::{InetEntries, InetEntry, Timer, UnixEntries, UnixEntry};

/// Cases per property: `PROC_FUZZ_CASES` (default 256).
const CASES: (&str, usize) = ("PROC_FUZZ_CASES", 256);

/// A random IPv4 or IPv6 address.
fn ip(rng: &mut Rng) -> IpAddr {
    if rng.one_in(2) {
        IpAddr::V4(Ipv4Addr::from(rng.next() as u32))
    } else {
        let mut o = [0u8; 16];
        rng.fill(&mut o);
        IpAddr::V6(Ipv6Addr::from(o))
    }
}

/// A valid line printed the kernel's way, and the values in it.
struct InetLine {
    line: String,
    entry: InetEntry,
}

/// A valid line with random values, v4 or v6.
fn inet_line(rng: &mut Rng) -> InetLine {
    let local_ip = ip(rng);
    let remote_ip = match local_ip {
        IpAddr::V4(_) => IpAddr::V4(Ipv4Addr::from(rng.next() as u32)),
        IpAddr::V6(_) => {
            let mut o = [0u8; 16];
            rng.fill(&mut o);
            IpAddr::V6(Ipv6Addr::from(o))
        }
    };
    let entry = InetEntry {
        local: SocketAddr::new(local_ip, rng.next() as u16),
        remote: SocketAddr::new(remote_ip, rng.next() as u16),
        st: rng.next() as u8,
        tx_queue: rng.next() as u32,
        rx_queue: rng.next() as u32,
        timer: Timer::from_raw(rng.next() as u8),
        timer_when: rng.next(),
        retransmits: rng.next() as u32,
        uid: rng.next() as u32,
        timeout: rng.next() as i32,
        inode: rng.next(),
    };
    let sl = (rng.next() as u32) % 1_000_000;
    InetLine {
        line: kernel_inet_line(sl, &entry),
        entry,
    }
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

#[test]
fn parsers_never_panic_on_any_bytes() {
    check_cases(CASES.0, CASES.1, |rng| {
        let len = rng.below(300);
        let bytes = rng.bytes(len);
        let _ = InetEntry::parse(&bytes);
        let _ = UnixEntry::parse(&bytes);
    });
}

#[test]
fn parsers_never_panic_on_mutated_lines() {
    check_cases(CASES.0, CASES.1, |rng| {
        let mut line = inet_line(rng).line.into_bytes();
        let at = rng.next() as usize;
        let byte = if rng.one_in(6) {
            rng.next() as u8
        } else {
            rng.pick(b" :0F-")
        };
        let how = rng.next() as u8;
        for i in 0..rng.upto(3) {
            line = mutated(line, at.wrapping_mul(i + 1), byte, how.wrapping_add(i as u8));
        }
        let _ = InetEntry::parse(&line);
        let _ = UnixEntry::parse(&line);
    });
}

#[test]
fn inet_line_round_trips() {
    check_cases(CASES.0, CASES.1, |rng| {
        let InetLine { line, entry: want } = inet_line(rng);
        let e = InetEntry::parse(line.as_bytes()).unwrap();
        assert_eq!(e.local, want.local);
        assert_eq!(e.remote, want.remote);
        assert_eq!(e.st, want.st);
        assert_eq!((e.tx_queue, e.rx_queue), (want.tx_queue, want.rx_queue));
        assert_eq!((e.timer.raw(), e.timer_when), (want.timer.raw(), want.timer_when));
        assert_eq!(
            (e.retransmits, e.uid, e.timeout, e.inode),
            (want.retransmits, want.uid, want.timeout, want.inode)
        );
    });
}

#[test]
fn unix_line_round_trips() {
    check_cases(CASES.0, CASES.1, |rng| {
        let ptr = rng.next();
        let refcount = rng.next() as u32;
        let flags = match rng.below(3) {
            0 => 0u32,
            1 => 1 << 16,
            _ => rng.next() as u32,
        };
        let ty = rng.next() as u16;
        let st = rng.next() as u8;
        let inode = rng.next();
        let kind = rng.below(3);
        let name: Vec<u8> = (0..rng.upto(107))
            .map(|_| match rng.next() as u8 {
                b'\n' => b'x',
                b => b,
            })
            .collect();
        let path: Vec<u8> = match kind {
            0 => Vec::new(),
            1 => [&b"@"[..], &name].concat(),
            _ => name.iter().map(|&b| if b == b'@' { b'/' } else { b }).collect(),
        };
        let mut line = format!(
            "{ptr:016X}: {refcount:08X} {:08X} {flags:08X} {ty:04X} {st:02X} {inode:5}",
            0
        )
        .into_bytes();
        if !path.is_empty() {
            line.push(b' ');
            line.extend_from_slice(&path);
        }
        let e = UnixEntry::parse(&line).unwrap();
        assert_eq!(kernel_unix_line(ptr, &e), line.clone());
        assert_eq!((e.refcount, e.flags, e.inode), (refcount, flags, inode));
        assert_eq!(e.socket_type, Type::from_raw(u32::from(ty)));
        assert_eq!(e.state.raw(), st);
        assert_eq!(e.is_listening(), flags & (1 << 16) != 0);
        let want = match kind {
            0 => UnixAddrKind::Unnamed,
            1 => UnixAddrKind::Abstract(&path[1..]),
            _ => UnixAddrKind::Pathname(&path),
        };
        assert_eq!(e.path(), want);
    });
}

#[test]
fn reader_yields_one_item_per_line_whatever_the_bytes() {
    check_cases(CASES.0, CASES.1, |rng| {
        // Bytes weighted 4 : 1 : 2 between any byte, newline and space.
        let bytes: Vec<u8> = (0..rng.below(600))
            .map(|_| match rng.below(7) {
                0..=3 => rng.next() as u8,
                4 => b'\n',
                _ => b' ',
            })
            .collect();
        let cap = rng.upto(95);
        let unix = rng.one_in(2);
        let n = read_all(&bytes, cap, unix);
        assert_eq!(n, line_count(&bytes).saturating_sub(1));
    });
}

#[test]
fn reader_over_valid_lines_is_independent_of_buffer_size() {
    check_cases(CASES.0, CASES.1, |rng| {
        let lines: Vec<InetLine> = (0..rng.below(12)).map(|_| inet_line(rng)).collect();
        let cap = rng.upto(399);
        let mut text = String::from(
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n",
        );
        for l in &lines {
            text.push_str(&l.line);
            text.push('\n');
        }
        let (mut w, r) = UnixStream::pair().unwrap();
        w.write_all(text.as_bytes()).unwrap();
        drop(w);
        let mut buf = vec![0u8; cap];
        let got: Vec<_> = InetEntries::from_fd(OwnedFd::from(r), &mut buf)
            .take(lines.len() + 1)
            .collect();
        assert_eq!(got.len(), lines.len());
        for (item, l) in got.iter().zip(&lines) {
            if l.line.len() < cap {
                assert_eq!(item.as_ref().map(|e| e.local).ok(), Some(l.entry.local));
            } else {
                let too_long = matches!(item, Err(zerosock::proc::ProcError::LineTooLong { .. }));
                assert!(too_long, "{item:?}");
            }
        }
    });
}
