//! The fork race of tests that close a socket and then rely on its being
//! gone (`refused`, `addr_in_use`, and the embedded tests' refusals): a
//! child that another test thread is starting holds a copy of each of our
//! fds from its fork to its exec, `FD_CLOEXEC` ones included, so a socket
//! closed in that window lives on there. Natively the window is the
//! microseconds of posix_spawn's vfork; under qemu-user, which forks for
//! real, it is longer.
//!
//! Here a child is held in that window on purpose (its `pre_exec` hook
//! waits on a pipe), so the race happens on every run: the checks those
//! tests made right after a close (connect refused, the port free for a
//! new listener or UDP socket) fail against it, and
//! [`procs::await_release`], which they now call first, waits exactly
//! until the copy is gone.

use std::io::Write;
use std::net::Ipv4Addr;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Command, ExitStatus, Stdio};
use std::thread::JoinHandle;

use crate::BOUND;
use crate::common::msg::pipe;
use crate::common::procs;
use zerosock::{Errno, TcpListener, TcpStream, UdpSocket};

/// `true`, started from a thread of its own and held between its fork and
/// its exec until [`HeldChild::release`] (or for at most [`BOUND`]).
struct HeldChild {
    /// The child's pid, which its `pre_exec` hook reported.
    pid: u32,
    go: std::fs::File,
    thread: Option<JoinHandle<std::io::Result<ExitStatus>>>,
    _wait_end: OwnedFd,
}

/// Waits until `fd` is readable, at most `ms` milliseconds.
fn readable(fd: i32, ms: i32) -> bool {
    let mut p = libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd.
    unsafe { libc::poll(&mut p, 1, ms) > 0 }
}

impl HeldChild {
    fn start() -> Self {
        let (wait_end, go) = pipe();
        let (forked, report) = pipe();
        let (wait_fd, report_fd) = (wait_end.as_raw_fd(), report.as_raw_fd());
        let mut cmd = Command::new("true");
        cmd.stdin(Stdio::null()).stdout(Stdio::null());
        // SAFETY: between fork and exec only async-signal-safe calls
        // (getpid, write, poll) on pipes this process owns (their copies in
        // the child).
        unsafe {
            cmd.pre_exec(move || {
                let pid = libc::getpid().to_ne_bytes();
                libc::write(report_fd, pid.as_ptr().cast(), pid.len());
                // Bounded: BOUND in all, even through signals (EINTR).
                for _ in 0..10 {
                    if readable(wait_fd, 1_000) {
                        break;
                    }
                }
                Ok(())
            });
        }
        // The spawn returns after the exec: on another thread, as when
        // another test starts a child.
        let thread = std::thread::spawn(move || cmd.status());
        // `report` stays open until the pid is read: the child's copy of
        // it is made at the fork, whenever that is.
        assert!(
            readable(forked.as_raw_fd(), BOUND.as_millis() as i32),
            "the held child never forked"
        );
        let mut pid = [0u8; 4];
        std::io::Read::read_exact(&mut std::fs::File::from(forked), &mut pid).unwrap();
        drop(report);
        Self {
            pid: i32::from_ne_bytes(pid) as u32,
            go: std::fs::File::from(go),
            thread: Some(thread),
            _wait_end: wait_end,
        }
    }

    /// Lets the child exec (and exit), and returns its status.
    fn release(mut self) -> ExitStatus {
        self.go.write_all(b"go").unwrap();
        self.thread.take().unwrap().join().unwrap().expect("run true")
    }
}

impl Drop for HeldChild {
    fn drop(&mut self) {
        if let Some(thread) = self.thread.take() {
            let _ = self.go.write_all(b"go");
            let _ = thread.join();
        }
    }
}

#[test]
fn a_socket_closed_while_a_child_is_between_fork_and_exec_lives_on_there() {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let addr = listener.local_addr().unwrap();
    let udp = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let udp_addr = udp.local_addr().unwrap();
    let (tcp_inode, udp_inode) = (procs::inode(&listener), procs::inode(&udp));

    let child = HeldChild::start();
    assert!(
        procs::holds(child.pid, &[tcp_inode]) && procs::holds(child.pid, &[udp_inode]),
        "the held child {} has copies of both sockets",
        child.pid
    );
    let pid = child.pid;
    drop(listener);
    drop(udp);

    // What the old tests checked at once after their close: each is wrong
    // while the copy lives. The copy still completes handshakes...
    let copy = TcpStream::connect(addr);
    assert!(
        copy.is_ok(),
        "a connect to the closed listener's copy: {:?}",
        copy.as_ref().err()
    );
    // ...and both ports are still taken.
    assert_eq!(TcpListener::bind(addr).err(), Some(Errno::ADDRINUSE.into()));
    assert_eq!(UdpSocket::bind(udp_addr).err(), Some(Errno::ADDRINUSE.into()));
    assert!(procs::children_holding(tcp_inode).contains(&pid));
    assert!(procs::in_socket_tables(tcp_inode) && procs::in_socket_tables(udp_inode));

    // Once the child execs, the sockets are closed everywhere: what the
    // tests now wait for before their checks.
    assert!(child.release().success());
    procs::await_release(tcp_inode, BOUND);
    procs::await_release(udp_inode, BOUND);
    drop(copy);
    assert_eq!(TcpStream::connect(addr).err(), Some(Errno::CONNREFUSED.into()));
    TcpListener::bind(addr).unwrap();
    UdpSocket::bind(udp_addr).unwrap();
}

#[test]
fn a_closed_socket_is_held_by_nobody_once_await_release_returns() {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let inode = procs::inode(&listener);
    assert!(
        procs::holds(std::process::id(), &[inode]),
        "we hold our own socket"
    );
    assert!(procs::in_socket_tables(inode), "a listener is in /proc/net/tcp");
    drop(listener);
    // A child of another test may have forked while it was open and hold
    // it still: the wait ends at that child's exec. No child forked after
    // the close can have it, so what holds after the wait holds for good.
    procs::await_release(inode, BOUND);
    assert!(procs::children_holding(inode).is_empty());
    assert!(!procs::holds(std::process::id(), &[inode]));
    assert!(!procs::in_socket_tables(inode), "released by the kernel");
}
