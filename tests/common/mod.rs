//! Helpers shared by the reliability tests: counting open fds, checking
//! `FD_CLOEXEC`, waiting for readiness with a bound, reading a socket's TCP
//! state, and network namespaces that delete themselves.
//!
//! Each test binary uses only some of these, hence `dead_code` is allowed.

#![allow(dead_code)]

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

/// Options zerosock's typed setters will cover; set here through libc until
/// they land.
pub mod opts {
    use std::os::fd::AsRawFd;
    use std::time::Duration;

    fn set<T>(fd: &impl AsRawFd, level: i32, name: i32, value: &T) {
        // SAFETY: `value` is readable for size_of::<T>() bytes.
        let rc = unsafe {
            libc::setsockopt(
                fd.as_raw_fd(),
                level,
                name,
                (value as *const T).cast(),
                size_of::<T>() as libc::socklen_t,
            )
        };
        assert_eq!(
            rc,
            0,
            "setsockopt({level}, {name}): {}",
            std::io::Error::last_os_error()
        );
    }

    pub fn set_linger_zero(fd: &impl AsRawFd) {
        set(
            fd,
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            &libc::linger {
                l_onoff: 1,
                l_linger: 0,
            },
        );
    }

    pub fn set_reuse_address(fd: &impl AsRawFd) {
        set(fd, libc::SOL_SOCKET, libc::SO_REUSEADDR, &1i32);
    }

    fn timeval(d: Duration) -> libc::timeval {
        libc::timeval {
            tv_sec: d.as_secs() as libc::time_t,
            tv_usec: d.subsec_micros() as libc::suseconds_t,
        }
    }

    pub fn set_recv_timeout(fd: &impl AsRawFd, d: Duration) {
        set(fd, libc::SOL_SOCKET, libc::SO_RCVTIMEO, &timeval(d));
    }

    pub fn set_send_timeout(fd: &impl AsRawFd, d: Duration) {
        set(fd, libc::SOL_SOCKET, libc::SO_SNDTIMEO, &timeval(d));
    }

    pub fn set_send_buffer(fd: &impl AsRawFd, bytes: i32) {
        set(fd, libc::SOL_SOCKET, libc::SO_SNDBUF, &bytes);
    }

    pub fn set_recv_buffer(fd: &impl AsRawFd, bytes: i32) {
        set(fd, libc::SOL_SOCKET, libc::SO_RCVBUF, &bytes);
    }

    /// `SO_ERROR`: the pending error, cleared by reading it.
    pub fn take_error(fd: &impl AsRawFd) -> i32 {
        let mut err = 0i32;
        let mut len = size_of::<i32>() as libc::socklen_t;
        // SAFETY: `err` is writable for `len` bytes.
        let rc = unsafe {
            libc::getsockopt(
                fd.as_raw_fd(),
                libc::SOL_SOCKET,
                libc::SO_ERROR,
                (&mut err as *mut i32).cast(),
                &mut len,
            )
        };
        assert_eq!(rc, 0);
        err
    }

    pub fn set_int(fd: &impl AsRawFd, level: i32, name: i32, value: i32) {
        set(fd, level, name, &value);
    }
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

/// Waits until `fd` reports one of `events` (poll(2)), at most `timeout`.
/// Returns the events seen, or 0 on timeout. Retries `EINTR`.
pub fn wait_for(fd: &impl AsRawFd, events: i16, timeout: Duration) -> i16 {
    let deadline = Instant::now() + timeout;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let mut pfd = libc::pollfd {
            fd: fd.as_raw_fd(),
            events,
            revents: 0,
        };
        // SAFETY: one valid pollfd for the duration of the call.
        let n = unsafe { libc::poll(&mut pfd, 1, left.as_millis() as i32) };
        if n < 0 && std::io::Error::last_os_error().raw_os_error() == Some(libc::EINTR) {
            continue;
        }
        assert!(n >= 0, "poll: {}", std::io::Error::last_os_error());
        return pfd.revents;
    }
}

/// `tcpi_state` of a TCP socket (getsockopt `TCP_INFO`): 1 = ESTABLISHED,
/// 2 = SYN_SENT, 6 = TIME_WAIT, 7 = CLOSE, 8 = CLOSE_WAIT, 10 = LISTEN.
pub fn tcp_state(fd: &impl AsRawFd) -> u8 {
    let mut info = [0u8; 232];
    let mut len = info.len() as libc::socklen_t;
    // SAFETY: `info` is writable for `len` bytes.
    let rc = unsafe {
        libc::getsockopt(
            fd.as_raw_fd(),
            libc::IPPROTO_TCP,
            libc::TCP_INFO,
            info.as_mut_ptr().cast(),
            &mut len,
        )
    };
    assert_eq!(rc, 0, "getsockopt(TCP_INFO): {}", std::io::Error::last_os_error());
    info[0]
}

/// The TCP states of the sockets in `/proc/net/tcp` (and `tcp6`) whose
/// local port is `port`, as the hex state numbers the table shows.
pub fn proc_tcp_states_on_port(port: u16) -> Vec<u8> {
    let mut states = Vec::new();
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let Ok(text) = fs::read_to_string(table) else {
            continue;
        };
        for line in text.lines().skip(1) {
            let mut cols = line.split_whitespace();
            let (Some(_sl), Some(local), Some(_remote), Some(st)) =
                (cols.next(), cols.next(), cols.next(), cols.next())
            else {
                continue;
            };
            let Some((_, p)) = local.rsplit_once(':') else {
                continue;
            };
            if u16::from_str_radix(p, 16) == Ok(port) {
                states.push(u8::from_str_radix(st, 16).expect("state"));
            }
        }
    }
    states
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
