//! Interoperability with an independent implementation: Python's `socket`
//! module (`send_fds`/`recv_fds`, `sendmsg`/`recvmsg` with
//! `SCM_CREDENTIALS`) exchanges fds and credentials with zerosock in both
//! directions over a Unix datagram socketpair, whose other end the child
//! inherits as fd 3 (tests/python_interop.py).
//!
//! Skipped, with a visible line, where python3 is absent. Bounded: both
//! sides time out their receives, and the child is killed if it outlives
//! the deadline.

use crate::common::skip;
use std::os::fd::{AsFd, AsRawFd, RawFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::msg::{me, pipe, recv_into};
use zerosock::msg::{Cmsg, CmsgBuffer, CmsgEncoder, FdVec, UCred, cmsg_space};
use zerosock::{Domain, IoSlice, MsgFlags, Protocol, Socket, Type};

const DEADLINE: Duration = Duration::from_secs(30);

fn python3_present() -> bool {
    Command::new("python3")
        .args(["-c", "import socket; socket.send_fds"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn read_all(fd: RawFd) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = [0u8; 256];
    for _ in 0..64 {
        // SAFETY: `buf` is writable for its length.
        let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
        assert!(n >= 0, "read: {}", std::io::Error::last_os_error());
        if n == 0 {
            return out;
        }
        out.extend_from_slice(&buf[..n as usize]);
    }
    panic!("no end of file after 64 reads");
}

/// Starts the Python side with `theirs` as its fd 3.
fn spawn(theirs: &Socket, forged: bool) -> Child {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/interop/python_interop.py");
    let fd = theirs.as_raw_fd();
    let mut cmd = Command::new("python3");
    cmd.arg(script).stdin(Stdio::null());
    if forged {
        cmd.arg("forged");
    }
    // SAFETY: between fork and exec only async-signal-safe calls (dup2,
    // fcntl) on fds this process owns.
    unsafe {
        cmd.pre_exec(move || {
            if fd == 3 {
                // dup2 onto itself keeps FD_CLOEXEC: clear it instead.
                if libc::fcntl(3, libc::F_SETFD, 0) == -1 {
                    return Err(std::io::Error::last_os_error());
                }
            } else if libc::dup2(fd, 3) == -1 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    cmd.spawn().expect("spawn python3")
}

/// Waits for the child until the deadline, then kills it.
fn wait(mut child: Child, start: Instant) {
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "python side failed: {status}");
            return;
        }
        if start.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("python side did not finish within {DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Receives one datagram's data (with whatever control messages come).
fn recv_text(ours: &Socket) -> Vec<u8> {
    let mut data = [0u8; 128];
    let mut control = CmsgBuffer::<64>::new();
    let msg = recv_into(ours, &mut data, &mut control, None, MsgFlags::NONE);
    data[..msg.bytes].to_vec()
}

fn creds_reply(text: &[u8]) -> UCred {
    let text = std::str::from_utf8(text).unwrap();
    let parts: Vec<&str> = text.split_whitespace().collect();
    assert_eq!(parts.len(), 4, "{text}");
    assert_eq!(parts[0], "creds");
    UCred {
        pid: parts[1].parse().unwrap(),
        uid: parts[2].parse().unwrap(),
        gid: parts[3].parse().unwrap(),
    }
}

#[test]
fn fds_and_credentials_both_ways_with_python() {
    if !python3_present() {
        skip("python3 (3.9+, with socket.send_fds) is not installed");
        return;
    }
    let start = Instant::now();
    let (ours, theirs) = Socket::pair(Domain::UNIX, Type::DGRAM, Protocol::DEFAULT).unwrap();
    ours.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    ours.set_passcred(true).unwrap();
    // SAFETY: geteuid cannot fail.
    let root = unsafe { libc::geteuid() } == 0;
    let child = spawn(&theirs, root);
    let child_pid = child.id() as i32;
    drop(theirs);

    assert_eq!(recv_text(&ours), b"ready");

    // 1. zerosock -> Python: two pipes' write ends.
    let (r0, w0) = pipe();
    let (r1, w1) = pipe();
    {
        let mut space = CmsgBuffer::<{ cmsg_space(8) }>::new();
        let mut cmsg = CmsgEncoder::new(&mut space);
        cmsg.rights(&[w0.as_fd(), w1.as_fd()]).unwrap();
        ours.send_msg(
            &[IoSlice::new(b"fds from zerosock")],
            cmsg.control(),
            MsgFlags::NONE,
        )
        .unwrap();
    }
    drop((w0, w1));
    assert_eq!(recv_text(&ours), b"wrote");
    assert_eq!(read_all(r0.as_raw_fd()), b"python wrote into fd 0");
    assert_eq!(read_all(r1.as_raw_fd()), b"python wrote into fd 1");

    // 2. Python -> zerosock: a pipe's read end (and its write end).
    let mut data = [0u8; 64];
    let mut control = CmsgBuffer::<128>::new();
    let mut fds = FdVec::<2>::new();
    let msg = recv_into(&ours, &mut data, &mut control, Some(&mut fds), MsgFlags::NONE);
    assert_eq!(&data[..msg.bytes], b"fds from python");
    assert_eq!(
        (fds.len(), msg.fds_closed, msg.is_control_truncated()),
        (2, 0, false)
    );
    assert!(fds.iter().all(crate::common::has_cloexec));
    // Python's datagram also carries its credentials (our SO_PASSCRED).
    let creds: Vec<UCred> = msg
        .cmsgs(&control)
        .filter_map(|c| match c.unwrap() {
            Cmsg::Credentials(cred) => Some(cred),
            _ => None,
        })
        .collect();
    assert_eq!(
        creds,
        [UCred {
            pid: child_pid,
            ..me()
        }]
    );
    let write_end = fds.pop().unwrap();
    let read_end = fds.pop().unwrap();
    drop(write_end);
    assert_eq!(read_all(read_end.as_raw_fd()), b"from python through a pipe");

    // 3. zerosock -> Python: our credentials, explicitly; root also sends
    //    another existing process's pid, which only an explicit message
    //    can carry (the kernel's default is the sender's own).
    let send_creds = |text: &[u8], cred: UCred| {
        let mut space = CmsgBuffer::<{ cmsg_space(12) }>::new();
        let mut cmsg = CmsgEncoder::new(&mut space);
        cmsg.credentials(cred).unwrap();
        ours.send_msg(&[IoSlice::new(text)], cmsg.control(), MsgFlags::NONE)
            .unwrap();
    };
    send_creds(b"creds from zerosock", me());
    assert_eq!(creds_reply(&recv_text(&ours)), me());
    if root {
        let parent = UCred {
            pid: std::os::unix::process::parent_id() as i32,
            ..me()
        };
        send_creds(b"forged creds from zerosock", parent);
        assert_eq!(creds_reply(&recv_text(&ours)), parent);
    } else {
        eprintln!("note: not root, so the explicit-credentials check uses our own pid only");
    }

    // 4. Python -> zerosock: Python's explicit credentials.
    let mut data = [0u8; 64];
    let mut control = CmsgBuffer::<64>::new();
    let msg = recv_into(&ours, &mut data, &mut control, None, MsgFlags::NONE);
    assert_eq!(&data[..msg.bytes], b"creds from python");
    let decoded: Vec<_> = msg.cmsgs(&control).map(Result::unwrap).collect();
    assert_eq!(
        decoded,
        [Cmsg::Credentials(UCred {
            pid: child_pid,
            ..me()
        })]
    );

    ours.send(b"bye").unwrap();
    wait(child, start);
}
