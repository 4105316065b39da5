//! Helpers shared by the integration tests: counting open fds, checking
//! `FD_CLOEXEC`, bounded waiting, network namespaces that delete
//! themselves, and (in the submodules) generators, sockets, message and
//! layout helpers and glibc references.
//!
//! Each test binary uses only some of these, hence `dead_code` is allowed.

#![allow(dead_code)]

pub mod echo;
pub mod emulation;
pub mod glibc;
pub mod layout;
pub mod msg;
pub mod proc_lines;
pub mod rng;
pub mod sock;

use std::fs;
use std::os::fd::{AsRawFd, RawFd};
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

/// Prints a visible skip line: written to fd 2 directly, so the test
/// harness's output capture does not hide it.
pub fn skip(why: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "SKIPPED: {why}");
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
        ns.ip(&["link", "set", "lo", "up"]);
        Ok(ns)
    }

    /// The namespace's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Runs `ip -n <name> args…`.
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
/// `10.<net>.0.2/24`, both up.
pub fn veth_between(a: &NetNs, b: &NetNs, net: u8) -> (String, String) {
    let seq = NS_SEQ.fetch_add(1, Ordering::Relaxed);
    let (va, vb) = (format!("zsa{seq}"), format!("zsb{seq}"));
    a.ip(&[
        "link",
        "add",
        &va,
        "type",
        "veth",
        "peer",
        "name",
        &vb,
        "netns",
        b.name(),
    ]);
    a.ip(&["addr", "add", &format!("10.{net}.0.1/24"), "dev", &va]);
    b.ip(&["addr", "add", &format!("10.{net}.0.2/24"), "dev", &vb]);
    a.ip(&["link", "set", &va, "up"]);
    b.ip(&["link", "set", &vb, "up"]);
    (va, vb)
}
