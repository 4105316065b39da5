//! Under strace, one `send` and one `recv` (and one `send_to`/`recv_from`) are
//! exactly one system call each, with the arguments glibc passes for the same
//! C call.
//!
//! The test re-runs itself under `strace` (`common::rerun_self`); the re-run
//! performs each operation once through zerosock and once through libc
//! between marker calls (`close(-100)`, `close(-101)`, …) that strace shows
//! and nothing else makes.

use std::os::fd::AsRawFd;
use std::process::Command;

use crate::common::{is_rerun, rerun_self, skip};
use zerosock::{Domain, Protocol, Socket, Type};

const CHILD_ENV: &str = "ZEROSOCK_STRACE_CHILD";

fn marker(n: i32) {
    // SAFETY: closing a negative fd only returns EBADF; it marks the trace.
    unsafe { libc::close(-n) };
}

/// The traced part, run in the re-run under strace.
fn traced() {
    let (a, b) = Socket::pair(Domain::UNIX, Type::DGRAM, Protocol::DEFAULT).unwrap();
    let mut buf = [0u8; 64];

    marker(100);
    a.send(b"ping").unwrap();
    marker(101);
    b.recv(&mut buf).unwrap();
    marker(102);
    // SAFETY: valid fds and buffers, as glibc's callers pass them.
    unsafe { libc::send(a.as_raw_fd(), b"ping".as_ptr().cast(), 4, libc::MSG_NOSIGNAL) };
    marker(103);
    // SAFETY: as above.
    unsafe { libc::recv(b.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len(), 0) };
    marker(104);

    let udp = Socket::new(Domain::INET, Type::DGRAM, Protocol::UDP).unwrap();
    udp.bind(&std::net::SocketAddrV4::new(std::net::Ipv4Addr::LOCALHOST, 0))
        .unwrap();
    let to = udp.local_addr().unwrap();
    marker(110);
    udp.send_to(b"pong", &to).unwrap();
    marker(111);
    udp.recv_from(&mut buf).unwrap();
    marker(112);
}

/// `lines` with the argument after a null address masked as `_`: strace
/// prints `sendto`/`recvfrom`'s sixth argument (the address length) even
/// when the address is null and the kernel never reads it. glibc zeroes that
/// register; zerosock leaves it as it is (issue 18: no dead argument
/// set-up), so only the arguments the kernel reads are compared.
fn ignored_len(lines: Vec<String>) -> Vec<String> {
    lines
        .into_iter()
        .map(|line| {
            let Some(at) = line.find("NULL, ") else {
                return line;
            };
            let rest = &line[at + "NULL, ".len()..];
            match rest.find(')') {
                Some(close) => format!("{}NULL, _{}", &line[..at], &rest[close..]),
                None => line,
            }
        })
        .collect()
}

/// The lines strace printed between marker `from` and marker `to`.
fn between(trace: &str, from: i32, to: i32) -> Vec<String> {
    let start = format!("close(-{from})");
    let end = format!("close(-{to})");
    let mut inside = false;
    let mut lines = Vec::new();
    for line in trace.lines() {
        if line.starts_with(&start) {
            inside = true;
        } else if line.starts_with(&end) {
            break;
        } else if inside {
            lines.push(line.to_string());
        }
    }
    lines
}

#[test]
fn one_syscall_per_send_and_recv_with_libcs_arguments() {
    if is_rerun(CHILD_ENV) {
        traced();
        return;
    }
    if crate::common::emulation::gap("strace") {
        return;
    }
    if Command::new("strace").arg("-V").output().is_err() {
        skip("strace is not installed (ci/setup.sh installs it)");
        return;
    }
    let out = std::env::temp_dir().join(format!("zerosock-strace-{}.txt", std::process::id()));
    let out_arg = out.to_str().unwrap();
    let status = rerun_self(CHILD_ENV, &["strace", "-f", "-qq", "-s", "16", "-o", out_arg])
        .stdout(std::process::Stdio::null())
        .status()
        .expect("run strace");
    assert!(status.success(), "traced child failed");
    let trace = std::fs::read_to_string(&out).unwrap();
    let _ = std::fs::remove_file(&out);
    // strace -f prefixes lines with a pid; drop it.
    let trace: String = trace
        .lines()
        .map(|l| l.trim_start_matches(|c: char| c.is_ascii_digit()).trim_start())
        .collect::<Vec<_>>()
        .join("\n");

    let send = ignored_len(between(&trace, 100, 101));
    let recv = ignored_len(between(&trace, 101, 102));
    let libc_send = ignored_len(between(&trace, 102, 103));
    let libc_recv = ignored_len(between(&trace, 103, 104));
    assert_eq!(send.len(), 1, "send made {send:?}");
    assert_eq!(recv.len(), 1, "recv made {recv:?}");
    assert_eq!(send, libc_send, "send differs from libc's send(MSG_NOSIGNAL)");
    assert_eq!(recv, libc_recv, "recv differs from libc's recv");
    assert!(send[0].starts_with("sendto("), "{send:?}");
    assert!(send[0].contains("MSG_NOSIGNAL, NULL, _) = 4"), "{send:?}");
    assert!(recv[0].starts_with("recvfrom("), "{recv:?}");

    let send_to = between(&trace, 110, 111);
    let recv_from = between(&trace, 111, 112);
    assert_eq!(send_to.len(), 1, "send_to made {send_to:?}");
    assert_eq!(recv_from.len(), 1, "recv_from made {recv_from:?}");
    assert!(
        send_to[0].contains("sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 4"),
        "{send_to:?}"
    );
    // The kernel is told the whole storage (128 bytes) and writes back 16.
    assert!(recv_from[0].contains("[128 => 16]) = 4"), "{recv_from:?}");
}
