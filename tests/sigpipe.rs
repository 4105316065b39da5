//! A write to a broken connection returns `EPIPE` and does not kill the
//! process with `SIGPIPE`.
//!
//! Rust's runtime sets `SIGPIPE` to `SIG_IGN` before `main`, which would hide
//! a missing `MSG_NOSIGNAL`. So each check runs in a forked child that first
//! restores `SIG_DFL`: there a raised `SIGPIPE` kills the child, and the
//! parent sees it. A control child does the same with a plain write(2) and
//! must die by `SIGPIPE`, proving the setup can catch the failure.
//!
//! The children only make system calls (no allocation, no panics: each
//! failed step is an exit code), so forking from the test harness's threads
//! is sound.

use core::net::Ipv4Addr;
use std::time::Duration;

use zerosock::fd::AsRawFd;
use zerosock::{Errno, IoSlice, Shutdown, TcpListener, TcpStream, UnixSeqpacket, UnixStream};

#[derive(Debug, PartialEq)]
enum Outcome {
    Exited(i32),
    Signaled(i32),
}

/// Runs `f` in a child with `SIGPIPE` at its default action; its return
/// value is the exit code.
fn in_child(f: fn() -> i32) -> Outcome {
    // SAFETY: the child only calls `signal`, `f` (system calls only, no
    // allocation or locks) and `_exit`.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        // SAFETY: async-signal-safe calls in the child.
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
            libc::_exit(f());
        }
    }
    let mut status = 0;
    // SAFETY: waits for the child we forked; `status` is a valid out-pointer.
    let waited = unsafe { libc::waitpid(pid, &mut status, 0) };
    assert_eq!(waited, pid, "waitpid failed");
    if libc::WIFSIGNALED(status) {
        Outcome::Signaled(libc::WTERMSIG(status))
    } else {
        Outcome::Exited(libc::WEXITSTATUS(status))
    }
}

/// Writes with `write` until it fails (bounded: 2000 tries, ~2 s), and
/// returns the error that ended it.
fn write_until_error(write: impl Fn() -> Result<usize, Errno>) -> Option<Errno> {
    for _ in 0..2000 {
        match write() {
            Ok(_) => std::thread::sleep(Duration::from_millis(1)),
            // The peer's RST may be reported once before EPIPE.
            Err(Errno::CONNRESET) => {}
            Err(err) => return Some(err),
        }
    }
    None
}

fn zerosock_writes() -> i32 {
    // Unix stream: the peer is gone.
    let Ok((a, b)) = UnixStream::pair() else { return 10 };
    drop(b);
    if a.write(b"x") != Err(Errno::PIPE) {
        return 11;
    }
    if a.write_vectored(&[IoSlice::new(b"x")]) != Err(Errno::PIPE) {
        return 12;
    }
    if a.send_all(b"x").map_err(|e| e.errno()) != Err(Some(Errno::PIPE)) {
        return 13;
    }

    // Seqpacket after our own SHUT_WR.
    let Ok((s, _t)) = UnixSeqpacket::pair() else {
        return 20;
    };
    if s.shutdown(Shutdown::Write).is_err() || s.send(b"x") != Err(Errno::PIPE) {
        return 21;
    }

    // TCP: the peer closes; the first writes may still succeed, then RST, then EPIPE.
    let Ok(listener) = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)) else {
        return 30;
    };
    let Ok(addr) = listener.local_addr() else {
        return 31;
    };
    let Ok(client) = TcpStream::connect(addr) else {
        return 32;
    };
    let Ok((server, _)) = listener.accept() else {
        return 33;
    };
    drop(server);
    if write_until_error(|| client.write(b"data")) != Some(Errno::PIPE) {
        return 34;
    }
    if client.send(b"x") != Err(Errno::PIPE) {
        return 35;
    }

    #[cfg(feature = "std")]
    {
        use std::io::Write;
        let err = Write::write(&mut &client, b"x").unwrap_err();
        if err.kind() != std::io::ErrorKind::BrokenPipe {
            return 40;
        }
    }
    0
}

fn raw_write_to_broken_stream() -> i32 {
    let Ok((a, b)) = UnixStream::pair() else { return 10 };
    drop(b);
    // SAFETY: a valid fd and a one-byte buffer.
    unsafe { libc::write(a.as_raw_fd(), b"x".as_ptr().cast(), 1) };
    // Only reached if no SIGPIPE was raised.
    1
}

#[test]
fn control_plain_write_is_killed_by_sigpipe() {
    assert_eq!(
        in_child(raw_write_to_broken_stream),
        Outcome::Signaled(libc::SIGPIPE)
    );
}

#[test]
fn zerosock_writes_return_epipe_without_sigpipe() {
    assert_eq!(in_child(zerosock_writes), Outcome::Exited(0));
}
