//! `EPIPE` without `SIGPIPE`, the one place for both. Rust's runtime sets
//! `SIGPIPE` to `SIG_IGN` before `main`, which would hide a missing
//! `MSG_NOSIGNAL`; so each check runs in a re-run of this test binary that
//! first restores `SIG_DFL` (a raised `SIGPIPE` kills it, and the parent
//! sees the signal). A control re-run does the same with a plain write(2)
//! and must die by `SIGPIPE`, proving the setup catches the failure.

use std::os::unix::process::ExitStatusExt;
use std::process::Output;

use crate::common::{is_rerun, rerun_self};
use crate::{BOUND, state, tcp_pair};
use zerosock::addr::SockAddr;
use zerosock::fd::{AsFd, AsRawFd};
use zerosock::msg::{Control, SendBatch};
use zerosock::opt::TcpState;
use zerosock::poll::{Interest, Ready};
use zerosock::{
    Domain, Errno, Error, IoSlice, MsgFlags, Protocol, Shutdown, Socket, TcpStream, Type, UnixSeqpacket,
    UnixStream,
};

/// The env var under which the test binary re-runs itself as the child of
/// a test here.
const SIGPIPE_CHILD: &str = "ZEROSOCK_SIGPIPE_CHILD";

/// Restores `SIGPIPE`'s default action (terminate) in this process.
fn default_sigpipe() {
    // SAFETY: restoring the default disposition of SIGPIPE in this process.
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_DFL) };
}

/// Re-runs the calling test with [`SIGPIPE_CHILD`] set and returns what it
/// printed and how it ended.
fn rerun() -> Output {
    rerun_self(SIGPIPE_CHILD, &[])
        .output()
        .expect("re-run the test binary")
}

/// Runs in a child process with `SIGPIPE` restored to `SIG_DFL` (Rust's
/// runtime ignores it), so a send path missing `MSG_NOSIGNAL` kills the
/// child and the parent sees the signal.
fn sigpipe_scenarios() {
    default_sigpipe();

    // Every send path zerosock has, on a stream socket.
    type Send = fn(&Socket) -> Result<usize, Errno>;
    fn errno(e: Error) -> Errno {
        e.errno().unwrap()
    }
    let common: [(&str, Send); 7] = [
        ("send", |s| s.send(b"x")),
        ("write", |s| s.write(b"x")),
        ("send_with_flags", |s| s.send_with_flags(b"x", MsgFlags::DONTWAIT)),
        ("write_vectored", |s| s.write_vectored(&[IoSlice::new(b"x")])),
        ("send_all", |s| s.send_all(b"x").map(|()| 1).map_err(errno)),
        ("send_msg", |s| {
            s.send_msg(&[IoSlice::new(b"x")], Control::NONE, MsgFlags::NONE)
        }),
        ("send_mmsg", |s| {
            let mut batch = SendBatch::<1>::new();
            batch.push(b"x", None, Control::NONE).unwrap();
            s.send_mmsg(&mut batch, MsgFlags::NONE)
                .map(|_| batch.sent_len(0).unwrap())
        }),
    ];
    let tcp_typed: [(&str, Send); 4] = [
        ("TcpStream::write", |s| {
            TcpStream::from(s.try_clone().unwrap()).write(b"x")
        }),
        ("TcpStream::send", |s| {
            TcpStream::from(s.try_clone().unwrap()).send(b"x")
        }),
        ("TcpStream::write_all", |s| {
            TcpStream::from(s.try_clone().unwrap())
                .send_all(b"x")
                .map(|()| 1)
                .map_err(errno)
        }),
        ("TcpStream::write_vectored", |s| {
            TcpStream::from(s.try_clone().unwrap()).write_vectored(&[IoSlice::new(b"x")])
        }),
    ];
    // With `std`, the io::Write impls are send paths too.
    #[cfg(feature = "std")]
    let tcp_typed: Vec<(&str, Send)> = tcp_typed
        .into_iter()
        .chain([(
            "io::Write for TcpStream",
            (|s| {
                let mut t = TcpStream::from(s.try_clone().unwrap());
                std::io::Write::write(&mut t, b"x").map_err(|e| {
                    let errno = Errno::from_io_error(&e).unwrap();
                    if errno == Errno::PIPE {
                        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe);
                    }
                    errno
                })
            }) as Send,
        )])
        .collect();
    let unix_typed: [(&str, Send); 4] = [
        ("UnixStream::write", |s| {
            UnixStream::from(s.try_clone().unwrap()).write(b"x")
        }),
        ("UnixStream::write_vectored", |s| {
            UnixStream::from(s.try_clone().unwrap()).write_vectored(&[IoSlice::new(b"x")])
        }),
        ("UnixStream::write_all", |s| {
            UnixStream::from(s.try_clone().unwrap())
                .send_all(b"x")
                .map(|()| 1)
                .map_err(errno)
        }),
        ("UnixStream::send_fds", |s| {
            let t = UnixStream::from(s.try_clone().unwrap());
            t.send_fds(b"x", &[t.as_fd()]).map_err(errno)
        }),
    ];
    #[cfg(feature = "std")]
    let unix_typed: Vec<(&str, Send)> = unix_typed
        .into_iter()
        .chain([(
            "io::Write for UnixStream",
            (|s| {
                let mut t = UnixStream::from(s.try_clone().unwrap());
                std::io::Write::write(&mut t, b"x").map_err(|e| Errno::from_io_error(&e).unwrap())
            }) as Send,
        )])
        .collect();

    // TCP: the peer closed; the first write succeeds (the data reaches a
    // socket that no longer exists, which answers with RST), every write
    // after the RST fails with EPIPE.
    for (name, send) in common.iter().chain(&tcp_typed) {
        let (client, server, _l) = tcp_pair();
        drop(server);
        let mut buf = [0u8; 1];
        assert_eq!(client.recv(&mut buf), Ok(0), "{name}: FIN first");
        assert_eq!(state(&client), TcpState::CloseWait);
        assert_eq!(
            send(&client),
            Ok(1),
            "{name}: the first write after the peer closed succeeds"
        );
        // Wait for the RST that write provoked (POLLHUP/POLLERR), bounded.
        let ready = client.wait(Interest::OUT, Some(BOUND)).unwrap();
        assert!(
            ready.intersects(Ready::HUP | Ready::ERR),
            "{name}: no RST seen: {ready:?}"
        );
        assert_eq!(send(&client), Err(Errno::PIPE), "{name}: the second write");
        assert_eq!(send(&client), Err(Errno::PIPE), "{name}: and every later one");
        eprintln!("{name}: Ok(1) then EPIPE, EPIPE; still alive");
    }

    // A Unix stream whose peer is gone: EPIPE at once.
    for (name, send) in common.iter().chain(&unix_typed) {
        let (a, b) = Socket::pair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap();
        drop(b);
        assert_eq!(send(&a), Err(Errno::PIPE), "unix {name}");
    }
    // SOCK_SEQPACKET raises SIGPIPE too (it is connection-oriented).
    let seqpacket: [(&str, Send); 3] = [
        ("UnixSeqpacket::send", |s| {
            UnixSeqpacket::from(s.try_clone().unwrap()).send(b"x")
        }),
        ("UnixSeqpacket::send_fds", |s| {
            let t = UnixSeqpacket::from(s.try_clone().unwrap());
            t.send_fds(b"x", &[t.as_fd()]).map_err(errno)
        }),
        ("send_to", |s| {
            s.send_to(b"x", &s.peer_addr().unwrap_or(SockAddr::EMPTY))
        }),
    ];
    for (name, send) in common.iter().chain(&seqpacket) {
        let (a, b) = Socket::pair(Domain::UNIX, Type::SEQPACKET, Protocol::DEFAULT).unwrap();
        drop(b);
        assert_eq!(send(&a), Err(Errno::PIPE), "seqpacket {name}");
    }
    // A stream socket shut for writing by its own side.
    let (a, _b) = Socket::pair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap();
    a.shutdown(Shutdown::Write).unwrap();
    assert_eq!(a.send(b"x"), Err(Errno::PIPE));
    println!("SIGPIPE-CHILD-SURVIVED");
}

#[test]
fn write_after_peer_close_gives_epipe_and_no_sigpipe() {
    if is_rerun(SIGPIPE_CHILD) {
        sigpipe_scenarios();
        return;
    }
    let out = rerun();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_ne!(
        out.status.signal(),
        Some(libc::SIGPIPE),
        "a send raised SIGPIPE (MSG_NOSIGNAL missing); child stderr:\n{stderr}"
    );
    assert!(
        out.status.success(),
        "child failed: {:?}\n{stdout}\n{stderr}",
        out.status
    );
    assert!(
        stdout.contains("SIGPIPE-CHILD-SURVIVED"),
        "child output:\n{stdout}\n{stderr}"
    );
}

#[test]
fn control_plain_write_is_killed_by_sigpipe() {
    if is_rerun(SIGPIPE_CHILD) {
        default_sigpipe();
        let (a, b) = UnixStream::pair().unwrap();
        drop(b);
        // SAFETY: a valid fd and a one-byte buffer.
        unsafe { libc::write(a.as_raw_fd(), b"x".as_ptr().cast(), 1) };
        println!("SIGPIPE-CONTROL-SURVIVED");
        return;
    }
    let out = rerun();
    assert_eq!(
        out.status.signal(),
        Some(libc::SIGPIPE),
        "a plain write(2) to a broken stream must raise SIGPIPE here: {:?}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout)
    );
}
