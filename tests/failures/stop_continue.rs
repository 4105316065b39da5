//! `EINTR` from a stop and continue of the process. Linux ends a blocking
//! socket call that has a timeout (`SO_RCVTIMEO`, `SO_SNDTIMEO`) with `EINTR`
//! after a SIGSTOP/SIGCONT of the process, with no signal handler at all (a
//! CI run once failed that way). Here the process really is stopped and
//! continued, by a child process (`sh -c 'kill -STOP …; kill -CONT …'`),
//! while a test thread is blocked in the call, which must then complete
//! correctly: not `EINTR`, not early.
//!
//! - the low-level `Socket::recv` returns the `EINTR` unchanged (C
//!   semantics), and `common::retry_eintr` carries the test on;
//! - `read_exact` waits on for the rest of its data;
//! - `connect_timeout` waits for all of its timeout;
//! - `connect_retry` without a per-try timeout waits for what is left of
//!   the socket's `SO_SNDTIMEO`, as the kernel would have.
//!
//! Each test runs in a re-run of this binary (`common::rerun_self`), so the
//! stop hits only that process, not the other tests running in parallel.

use std::fs;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::common::{eventually, is_rerun, rerun_self, retry_eintr, skip};
use crate::{BOUND, listener};
use zerosock::{
    Backoff, Domain, Errno, Error, Protocol, Socket, TcpListener, TcpStream, Type, connect_retry,
};

/// The env var under which this binary re-runs itself for a test here.
const CHILD: &str = "ZEROSOCK_STOP_CONTINUE_CHILD";

/// What the re-run prints when its test body finished.
const DONE: &str = "STOP-CONTINUE-CHILD-DONE";

/// A system call number as `/proc/<pid>/task/<tid>/syscall` shows it (a
/// C `long`: 32 bits on armv7).
type Sysno = libc::c_long;

/// The system calls (this target's numbers) the calls under test block in.
const RECEIVING: &[Sysno] = &[libc::SYS_read, libc::SYS_recvfrom, libc::SYS_recvmsg];
#[cfg(target_arch = "x86_64")]
const POLLING: &[Sysno] = &[libc::SYS_poll, libc::SYS_ppoll];
#[cfg(all(target_pointer_width = "64", not(target_arch = "x86_64")))]
const POLLING: &[Sysno] = &[libc::SYS_ppoll];
/// 32-bit targets wait in `ppoll_time64` (414 on every 32-bit Linux; the
/// libc crate does not name it for arm).
#[cfg(target_pointer_width = "32")]
const POLLING: &[Sysno] = &[libc::SYS_ppoll, 414];
const CONNECTING: &[Sysno] = &[libc::SYS_connect];

/// Runs `body` in a re-run of this test binary and asserts that it
/// finished; the re-run's output is passed on to fd 2.
fn in_rerun(body: fn()) {
    if is_rerun(CHILD) {
        body();
        println!("{DONE}");
        return;
    }
    let out = rerun_self(CHILD, &[]).output().expect("re-run the test binary");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // The re-run's skips and diagnostics, visible past the capture.
    use std::io::Write;
    let _ = std::io::stderr().write_all(stderr.as_bytes());
    assert!(
        out.status.success() && stdout.contains(DONE),
        "the re-run failed: {:?}\n{stdout}\n{stderr}",
        out.status
    );
}

/// This thread's id (gettid(2)).
fn tid() -> i32 {
    // SAFETY: gettid has no preconditions.
    unsafe { libc::gettid() }
}

/// The system call thread `tid` of this process is in, from
/// `/proc/self/task/<tid>/syscall` (its first field; `-1` when running in
/// user space), or `None` if the file cannot be read.
fn syscall_of(tid: i32) -> Option<Sysno> {
    let text = fs::read_to_string(format!("/proc/self/task/{tid}/syscall")).ok()?;
    text.split_whitespace().next()?.parse().ok()
}

/// Whether this kernel shows a thread's current system call.
fn syscalls_visible() -> bool {
    if crate::common::emulation::gap("/proc/PID/syscall") {
        return false;
    }
    if syscall_of(tid()).is_some() {
        return true;
    }
    skip("/proc/self/task/<tid>/syscall is not readable here: cannot tell when a call blocks");
    false
}

/// Runs `call` on this thread; once this thread is blocked in one of
/// `syscalls`, a child process stops this whole process and continues it
/// 300 ms later, and then `stopped` is set. Returns the call's result. Fails
/// the test if the call never blocked where expected (within 10 s).
fn across_a_stop<T>(syscalls: &[Sysno], stopped: &AtomicBool, call: impl FnOnce() -> T) -> T {
    let me = tid();
    let pid = std::process::id();
    std::thread::scope(|s| {
        let stopper = s.spawn(move || {
            // Bounded: 10 s of 5 ms looks.
            let blocked = eventually(BOUND, || syscall_of(me).is_some_and(|nr| syscalls.contains(&nr)));
            if !blocked {
                return false;
            }
            // Let the call settle into its sleep, then stop and continue us.
            let script = format!("sleep 0.05; kill -STOP {pid}; sleep 0.3; kill -CONT {pid}");
            let status = std::process::Command::new("sh")
                .args(["-c", &script])
                .status()
                .expect("run sh");
            assert!(status.success(), "sh: {status}");
            stopped.store(true, Ordering::SeqCst);
            true
        });
        let result = call();
        assert!(
            stopper.join().unwrap(),
            "the call never blocked in system calls {syscalls:?}"
        );
        result
    })
}

/// A peer that sends `data` once the stop is over.
fn send_after_the_stop(stopped: &AtomicBool, send: impl FnOnce()) {
    assert!(eventually(BOUND, || stopped.load(Ordering::SeqCst)));
    send();
}

fn recv_with_so_rcvtimeo() {
    if !syscalls_visible() {
        return;
    }
    let (a, b) = Socket::pair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap();
    a.set_read_timeout(Some(BOUND)).unwrap();
    let stopped = AtomicBool::new(false);
    let mut eintrs = 0;
    let mut buf = [0u8; 16];
    let result = std::thread::scope(|s| {
        s.spawn(|| send_after_the_stop(&stopped, || assert_eq!(b.send(b"after"), Ok(5))));
        across_a_stop(RECEIVING, &stopped, || {
            retry_eintr(BOUND, || {
                let r = a.recv(&mut buf);
                eintrs += usize::from(r == Err(Errno::INTR));
                r
            })
        })
    });
    assert_eq!(result, Ok(5));
    assert_eq!(&buf[..5], b"after");
    assert!(
        eintrs >= 1,
        "Socket::recv must return the kernel's EINTR unchanged after a stop/continue"
    );
}

#[test]
fn recv_with_so_rcvtimeo_returns_eintr_and_the_retry_gets_the_data() {
    in_rerun(recv_with_so_rcvtimeo);
}

fn read_exact_across_a_stop() {
    if !syscalls_visible() {
        return;
    }
    let l = TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, 0)).unwrap();
    let c = TcpStream::connect(l.local_addr().unwrap()).unwrap();
    let (s, _) = l.accept().unwrap();
    c.as_socket().set_read_timeout(Some(BOUND)).unwrap();
    // Half the data now, half after the stop: read_exact is mid-way.
    s.send_all(b"la").unwrap();
    let stopped = AtomicBool::new(false);
    let mut four = [0u8; 4];
    let result = std::thread::scope(|scope| {
        scope.spawn(|| send_after_the_stop(&stopped, || s.send_all(b"te").unwrap()));
        across_a_stop(RECEIVING, &stopped, || c.recv_exact(&mut four))
    });
    assert_eq!(result, Ok(()));
    assert_eq!(&four, b"late");
}

#[test]
fn read_exact_carries_on_across_a_stop() {
    in_rerun(read_exact_across_a_stop);
}

/// A listener whose accept queue is full (`listen(0)` and one connection
/// waiting), so the SYNs of further connects are dropped and they hang.
fn full_backlog() -> (Socket, std::net::SocketAddr, Socket) {
    let (backlogged, addr) = listener(0);
    let queued = crate::common::sock::tcp();
    queued.connect(&addr).unwrap();
    (backlogged, addr, queued)
}

fn connect_timeout_across_a_stop() {
    if !syscalls_visible() {
        return;
    }
    let (_l, addr, _queued) = full_backlog();
    let timeout = Duration::from_secs(1);
    let stopped = AtomicBool::new(false);
    let start = Instant::now();
    let result = across_a_stop(POLLING, &stopped, || {
        crate::common::sock::tcp().connect_timeout(&addr, timeout)
    });
    let elapsed = start.elapsed();
    assert!(stopped.load(Ordering::SeqCst));
    assert_eq!(result, Err(Error::Os(Errno::TIMEDOUT)));
    // Not early: the whole timeout passed (monotonic clock; no upper bound).
    assert!(elapsed >= timeout, "gave up after {elapsed:?} of {timeout:?}");
}

#[test]
fn connect_timeout_waits_its_whole_timeout_across_a_stop() {
    in_rerun(connect_timeout_across_a_stop);
}

fn blocking_connect_retry_across_a_stop() {
    if !syscalls_visible() {
        return;
    }
    let (_l, addr, _queued) = full_backlog();
    let sndtimeo = Duration::from_secs(1);
    let once = Backoff {
        first: Duration::from_millis(1),
        max_delay: Duration::from_millis(1),
        max_tries: 1,
        try_timeout: None,
    };
    let stopped = AtomicBool::new(false);
    let start = Instant::now();
    let result = across_a_stop(CONNECTING, &stopped, || {
        connect_retry(&addr, &once, |_| {
            let s = Socket::new(Domain::INET, Type::STREAM, Protocol::TCP)?;
            s.set_write_timeout(Some(sndtimeo)).unwrap();
            Ok(s)
        })
        .map(drop)
    });
    let elapsed = start.elapsed();
    // What the kernel gives a blocking connect whose SO_SNDTIMEO passes.
    assert_eq!(result, Err(Error::Os(Errno::INPROGRESS)));
    assert!(elapsed >= sndtimeo, "gave up after {elapsed:?} of {sndtimeo:?}");
}

#[test]
fn blocking_connect_retry_waits_out_its_send_timeout_across_a_stop() {
    in_rerun(blocking_connect_retry_across_a_stop);
}
