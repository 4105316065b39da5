//! Helpers shared by the integration tests: counting open fds, checking
//! `FD_CLOEXEC`, bounded waiting, network namespaces that delete
//! themselves, and (in the submodules) generators, sockets, message and
//! layout helpers and glibc references.
//!
//! Each test binary uses only some of these, hence `dead_code` is allowed.

#![allow(dead_code)]

pub mod alloc;
pub mod dns;
pub mod echo;
pub mod emulation;
pub mod glibc;
pub mod layout;
pub mod msg;
pub mod proc_lines;
pub mod procs;
pub mod rng;
pub mod rtnl;
pub mod sock;

use std::fs;
use std::os::fd::{AsFd, AsRawFd, RawFd};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The number of entries in `/proc/self/fd` (the fd used to read the
/// directory is not counted).
pub fn open_fd_count() -> usize {
    fd_count_of("/proc/self/fd")
}

/// The number of entries in `dir` (`/proc/<pid>/fd`), minus the directory
/// fd itself when reading our own.
pub fn fd_count_of(dir: &str) -> usize {
    let n = fs::read_dir(dir).expect("read fd dir").count();
    // read_dir holds one fd of its own while listing /proc/self/fd.
    if dir == "/proc/self/fd" { n - 1 } else { n }
}

/// Whether `fd` has `FD_CLOEXEC` (fcntl(2) `F_GETFD`).
pub fn has_cloexec(fd: &impl AsRawFd) -> bool {
    has_cloexec_raw(fd.as_raw_fd())
}

/// [`has_cloexec`] for a raw fd.
pub fn has_cloexec_raw(fd: RawFd) -> bool {
    // SAFETY: F_GETFD on any int is safe; a bad fd gives -1.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFD) };
    assert!(flags >= 0, "fcntl(F_GETFD) on fd {fd} failed");
    flags & libc::FD_CLOEXEC != 0
}

/// Whether a command is on `PATH` and runs.
pub fn have_tool(tool: &str) -> bool {
    Command::new(tool)
        .arg("-V")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
        || Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false)
}

/// Polls `cond` every few milliseconds until it holds or `timeout` passes.
pub fn eventually(timeout: Duration, mut cond: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        if cond() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// The name of the running test, as the harness names each test's thread
/// (`module::test_name`); `"<unnamed thread>"` on a thread of the test's own.
pub fn current_test() -> String {
    std::thread::current()
        .name()
        .unwrap_or("<unnamed thread>")
        .to_owned()
}

/// Says that the running test cannot run here, and why: the one way a test
/// skips. Writes `SKIPPED <test name>: <reason>` to fd 2 directly (past the
/// harness's output capture, so it shows in a normal `cargo test` run) and,
/// when `ZEROSOCK_SKIP_LOG` names a file, appends the same line to it
/// (`ci/test.sh` lists them at the end of a run). The caller then returns.
pub fn skip(why: &str) {
    use std::io::Write;
    let line = format!("SKIPPED {}: {why}\n", current_test());
    // One write(2) each, so lines of tests running in parallel never mix.
    let _ = std::io::stderr().write_all(line.as_bytes());
    if let Some(log) = std::env::var_os(SKIP_LOG) {
        let file = fs::OpenOptions::new().create(true).append(true).open(&log);
        if let Ok(mut file) = file {
            let _ = file.write_all(line.as_bytes());
        }
    }
}

/// The environment variable naming the file [`skip`] appends its lines to.
pub const SKIP_LOG: &str = "ZEROSOCK_SKIP_LOG";

// ---------------------------------------------------------------------------
// Re-running the test binary

/// Whether this process is a re-run made by [`rerun_self`] with `env` set.
pub fn is_rerun(env: &str) -> bool {
    std::env::var_os(env).is_some()
}

/// A command that re-runs this test binary for exactly the running test
/// (one thread, output not captured) with `env=1`, under `wrapper` (e.g.
/// `strace …`) when it is not empty. The re-run sees [`is_rerun`]`(env)`;
/// its skips go to the same log.
pub fn rerun_self(env: &str, wrapper: &[&str]) -> Command {
    let exe = std::env::current_exe().expect("the test binary's path");
    let mut command = match wrapper.split_first() {
        Some((program, args)) => {
            let mut c = Command::new(program);
            c.args(args).arg(exe);
            c
        }
        None => Command::new(exe),
    };
    command
        .args([
            current_test().as_str(),
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(env, "1");
    command
}

// ---------------------------------------------------------------------------
// EINTR

/// An error that may be `EINTR`.
pub trait MaybeEintr {
    /// Whether this is `EINTR`.
    fn is_eintr(&self) -> bool;
}

impl MaybeEintr for zerosock::Errno {
    fn is_eintr(&self) -> bool {
        *self == zerosock::Errno::INTR
    }
}

impl MaybeEintr for zerosock::Error {
    fn is_eintr(&self) -> bool {
        *self == zerosock::Error::Os(zerosock::Errno::INTR)
    }
}

impl MaybeEintr for std::io::Error {
    fn is_eintr(&self) -> bool {
        self.kind() == std::io::ErrorKind::Interrupted
    }
}

/// Runs a blocking call, calling it again while it fails with `EINTR`, for
/// at most `within` in all; then the last result stands (an `EINTR` past
/// the deadline fails the caller's assertion, as it should).
///
/// Linux ends blocking socket calls that have a timeout (`SO_RCVTIMEO`,
/// `SO_SNDTIMEO`: recv, send, accept, connect) with `EINTR` after any
/// stop/continue of the process (SIGSTOP/SIGCONT, a debugger, a frozen
/// container), even with no signal handler. Tests of such calls go through
/// this helper so a CI machine that pauses the process does not fail them.
#[track_caller]
pub fn retry_eintr<T, E: MaybeEintr>(
    within: Duration,
    mut call: impl FnMut() -> Result<T, E>,
) -> Result<T, E> {
    let deadline = Instant::now() + within;
    loop {
        match call() {
            Err(e) if e.is_eintr() && Instant::now() < deadline => {
                eprintln!("{}: EINTR, retrying", current_test());
            }
            other => return other,
        }
    }
}

/// Which of a socket's timeouts ends a call: `SO_RCVTIMEO` or `SO_SNDTIMEO`.
#[derive(Clone, Copy, Debug)]
pub enum SocketTimeout {
    /// `SO_RCVTIMEO`: receives and accept.
    Read,
    /// `SO_SNDTIMEO`: sends and connect.
    Write,
}

/// Runs a call that ends by the socket's own timeout, set here to
/// `timeout`. After an `EINTR` it calls again with the timeout set to what
/// is left of it (at least 1 ms), so a stop/continue of the process neither
/// ends the call early nor makes it wait longer: the result is the one an
/// uninterrupted call gives (`EAGAIN` once the time is up).
#[track_caller]
pub fn retry_eintr_timed<T>(
    socket: &zerosock::Socket,
    which: SocketTimeout,
    timeout: Duration,
    mut call: impl FnMut() -> Result<T, zerosock::Errno>,
) -> Result<T, zerosock::Errno> {
    let set = |t: Duration| match which {
        SocketTimeout::Read => socket.set_read_timeout(Some(t)),
        SocketTimeout::Write => socket.set_write_timeout(Some(t)),
    };
    let deadline = Instant::now() + timeout;
    set(timeout).unwrap();
    loop {
        match call() {
            Err(zerosock::Errno::INTR) => {
                eprintln!("{}: EINTR, retrying for the time left", current_test());
                let left = deadline.saturating_duration_since(Instant::now());
                set(left.max(Duration::from_millis(1))).unwrap();
            }
            other => return other,
        }
    }
}

/// A blocking connect(2) that carries on after `EINTR` as the kernel does:
/// the handshake goes on (POSIX), so this waits for its outcome on the same
/// socket (`SO_ERROR`), within what is left of `SO_SNDTIMEO` if set, then
/// `EINPROGRESS` as an uninterrupted connect would give. (A second
/// connect(2) would only say `EALREADY`, and a fresh socket would start the
/// handshake, and its timers, again.)
pub fn connect_through_eintr(
    socket: &zerosock::Socket,
    addr: &impl zerosock::addr::SocketAddrArg,
) -> Result<(), zerosock::Errno> {
    use zerosock::Errno;
    use zerosock::poll::Interest;
    let start = Instant::now();
    match socket.connect(addr) {
        Err(Errno::INTR) => eprintln!("{}: EINTR from connect, waiting on", current_test()),
        other => return other,
    }
    let deadline = socket.write_timeout()?.map(|t| start + t);
    loop {
        let left = match deadline {
            Some(deadline) if Instant::now() >= deadline => return Err(Errno::INPROGRESS),
            Some(deadline) => Some(deadline.saturating_duration_since(Instant::now())),
            None => None,
        };
        match socket.wait(Interest::OUT, left) {
            Ok(ready) if ready.is_empty() => {}
            Ok(_) => break,
            Err(Errno::INTR) => {}
            Err(errno) => return Err(errno),
        }
    }
    match socket.take_error()? {
        None => Ok(()),
        Some(errno) => Err(errno),
    }
}

// ---------------------------------------------------------------------------
// Network namespaces

static NS_SEQ: AtomicUsize = AtomicUsize::new(0);

/// Runs `ip` with `args`; panics with its stderr on failure.
pub fn ip(args: &[&str]) {
    let out = Command::new("ip").args(args).output().expect("run ip");
    assert!(
        out.status.success(),
        "ip {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A network namespace made by this test (`ip netns add zs-<pid>-<n>`) with
/// `lo` up, deleted when dropped — on success, failure or panic.
pub struct NetNs {
    name: String,
}

impl NetNs {
    /// Creates a namespace, or says why it cannot (not root, no `ip`, no
    /// namespace support) so the caller can skip.
    pub fn new() -> Result<Self, String> {
        if !have_tool("ip") {
            return Err("the `ip` tool (iproute2) is not installed".into());
        }
        let name = format!(
            "zs-{}-{}",
            std::process::id(),
            NS_SEQ.fetch_add(1, Ordering::Relaxed)
        );
        let out = Command::new("ip")
            .args(["netns", "add", &name])
            .output()
            .map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(format!(
                "cannot create a network namespace (`ip netns add`): {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        let ns = Self { name };
        ns.setup().up("lo");
        Ok(ns)
    }

    /// The namespace's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Zerosock's rtnetlink in this namespace, for its set-up.
    pub fn setup(&self) -> rtnl::Setup {
        self.run(rtnl::Setup::open)
    }

    /// The namespace's file (`/var/run/netns/<name>`), for `setns` or for
    /// moving a link here.
    pub fn file(&self) -> fs::File {
        fs::File::open(format!("/var/run/netns/{}", self.name)).expect("open netns file")
    }

    /// Runs `ip -n <name> args…` (for set-up, prefer [`setup`](Self::setup):
    /// the tests set namespaces up with zerosock's own rtnetlink).
    pub fn ip(&self, args: &[&str]) {
        let mut all = vec!["-n", &self.name];
        all.extend_from_slice(args);
        ip(&all);
    }

    /// Runs `f` on a fresh thread that has entered this namespace
    /// (setns(2) changes the network namespace of the calling thread only).
    /// Sockets `f` creates belong to the namespace for their whole life, so
    /// they may be returned and used from any thread.
    pub fn run<T: Send + 'static>(&self, f: impl FnOnce() -> T + Send + 'static) -> T {
        let path = format!("/var/run/netns/{}", self.name);
        std::thread::spawn(move || {
            let file = fs::File::open(&path).expect("open netns file");
            // SAFETY: setns on a namespace fd; affects this thread only.
            let rc = unsafe { libc::setns(file.as_raw_fd(), libc::CLONE_NEWNET) };
            assert_eq!(rc, 0, "setns: {}", std::io::Error::last_os_error());
            f()
        })
        .join()
        .unwrap_or_else(|e| std::panic::resume_unwind(e))
    }
}

impl Drop for NetNs {
    fn drop(&mut self) {
        let _ = Command::new("ip").args(["netns", "del", &self.name]).status();
    }
}

/// Deletes `zs-<pid>-<n>` namespaces left by test processes that no longer
/// run (killed before their guards dropped). Once per process.
fn sweep_stale_namespaces() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let Ok(dir) = fs::read_dir("/var/run/netns") else {
            return;
        };
        for entry in dir.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(pid) = name
                .strip_prefix("zs-")
                .and_then(|r| r.split_once('-'))
                .map(|(p, _)| p.to_owned())
            else {
                continue;
            };
            if pid.parse::<u32>().is_ok() && !std::path::Path::new(&format!("/proc/{pid}")).exists() {
                let _ = Command::new("ip").args(["netns", "del", &name]).status();
            }
        }
    });
}

/// A veth pair between two namespaces: `a` has `10.<net>.0.1/24`, `b` has
/// `10.<net>.0.2/24`, both up (made with zerosock's rtnetlink).
pub fn veth_between(a: &NetNs, b: &NetNs, net: u8) -> (String, String) {
    let seq = NS_SEQ.fetch_add(1, Ordering::Relaxed);
    let (va, vb) = (format!("zsa{seq}"), format!("zsb{seq}"));
    let b_file = b.file();
    a.setup()
        .veth(&va, &vb)
        .move_to(&vb, b_file.as_fd())
        .addr(&va, &format!("10.{net}.0.1/24"))
        .up(&va);
    b.setup().addr(&vb, &format!("10.{net}.0.2/24")).up(&vb);
    (va, vb)
}
