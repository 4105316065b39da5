//! A mosquitto broker of the test's own: 127.0.0.1, a free port, its own
//! config file in its own directory, killed and removed on drop.

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::common::procs::{self, listens, runs};

/// A running broker.
pub struct Mosquitto {
    child: Child,
    dir: PathBuf,
    /// Where it listens.
    pub addr: SocketAddr,
    /// How readiness was seen (for a failed test's post-mortem).
    ready: String,
}

/// Now, as seconds.millis since the epoch (mosquitto's log says seconds).
fn now() -> String {
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    format!("{}.{:03}", t.as_secs(), t.subsec_millis())
}

/// The `/proc/net/tcp` lines of sockets with `port` at either end.
fn tcp_lines(port: u16) -> String {
    let port = format!(":{port:04X} ");
    std::fs::read_to_string("/proc/net/tcp")
        .unwrap_or_default()
        .lines()
        .filter(|l| l.contains(&port))
        .map(|l| format!("  {}\n", l.trim()))
        .collect()
}

/// The mosquitto binary, if installed (ci/setup.sh installs it).
fn binary() -> Option<PathBuf> {
    [
        "/usr/sbin/mosquitto",
        "/usr/bin/mosquitto",
        "/usr/local/sbin/mosquitto",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.exists())
}

/// A free port never handed out before in this process: brokers of tests
/// running side by side must not be given the same one.
fn fresh_port() -> Result<u16, String> {
    static GIVEN: Mutex<Vec<u16>> = Mutex::new(Vec::new());
    let mut given = GIVEN.lock().unwrap_or_else(|e| e.into_inner());
    for _ in 0..100 {
        let probe = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).map_err(|e| e.to_string())?;
        let port = probe.local_addr().map_err(|e| e.to_string())?.port();
        let inode = procs::inode(&probe);
        drop(probe);
        if !given.contains(&port) {
            // Closed everywhere before mosquitto binds the port: a child
            // another test thread forked while `probe` was open holds a
            // copy of it until it execs (`common::procs`), and mosquitto
            // would exit with EADDRINUSE.
            procs::await_release(inode, Duration::from_secs(10));
            given.push(port);
            return Ok(port);
        }
    }
    Err("no fresh loopback port in 100 tries".into())
}

impl Mosquitto {
    /// Starts a broker, or says why not (`Err`): the caller skips.
    pub fn start(tag: &str) -> Result<Self, String> {
        let mut last = String::new();
        // The free port can still be taken before the broker binds it, by
        // a socket of another test that the kernel gave the same port
        // (mosquitto then exits with EADDRINUSE): a few tries, each on a
        // new port.
        for attempt in 0..3 {
            match Self::start_on(tag, fresh_port()?, attempt) {
                Ok(broker) => return Ok(broker),
                Err(why) => last = why,
            }
        }
        Err(last)
    }

    /// Starts a broker on 127.0.0.1:`port` and waits until it listens
    /// there, or says why not.
    ///
    /// Ready means mosquitto's own socket listens on the port: the child
    /// runs mosquitto (it has exec'd) and its fds hold the inode of that
    /// LISTEN line of `/proc/net/tcp`. A TCP probe
    /// cannot tell: until mosquitto binds, another socket may listen on the
    /// port. `fresh_port`'s listener is one: closed at once, but a child
    /// that another test thread forks at that moment holds a copy of it
    /// until the child execs, and under qemu-user (which runs the vfork of
    /// `posix_spawn` as a full fork) that can outlast our own spawn. A probe
    /// then connected to that copy, the copy closed at the exec, and the
    /// client, connecting before mosquitto had bound, got ECONNREFUSED
    /// (riscv64, about once in 300 runs).
    pub fn start_on(tag: &str, port: u16, attempt: u32) -> Result<Self, String> {
        let bin = binary().ok_or("mosquitto is not installed (ci/setup.sh installs it)")?;
        let dir = std::env::temp_dir().join(format!(
            "zerosock-mosquitto-{tag}-{}-{attempt}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        let conf = dir.join("mosquitto.conf");
        std::fs::write(
            &conf,
            format!(
                "listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 100000\nlog_dest stderr\nlog_type all\n"
            ),
        )
        .map_err(|e| e.to_string())?;
        // The log goes to stderr, into a file we open: mosquitto started as
        // root drops to its own user before it opens a log file, and could
        // not write one in our directory.
        let log = std::fs::File::create(dir.join("log")).map_err(|e| e.to_string())?;
        let child = Command::new(&bin)
            .arg("-c")
            .arg(&conf)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .map_err(|e| format!("{}: {e}", bin.display()))?;
        let mut broker = Self {
            child,
            dir,
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
            ready: format!("spawned at {}\n", now()),
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if runs(broker.child.id(), &bin) && listens(broker.child.id(), Ipv4Addr::LOCALHOST, port) {
                broker.ready += &format!("listening at {}; /proc/net/tcp then:\n{}", now(), tcp_lines(port));
                return Ok(broker);
            }
            if let Ok(Some(status)) = broker.child.try_wait() {
                return Err(format!("mosquitto exited ({status}): {}", broker.log()));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Err(format!("mosquitto did not listen within 10 s: {}", broker.log()))
    }

    /// The broker's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("log")).unwrap_or_default()
    }
}

impl Mosquitto {
    /// What a failed test needs to see: whether the broker still runs, its
    /// log, and every TCP socket on its port (`/proc/net/tcp`).
    fn post_mortem(&mut self) -> String {
        let status = match self.child.try_wait() {
            Ok(None) => "running".to_string(),
            Ok(Some(s)) => format!("exited ({s})"),
            Err(e) => format!("unknown ({e})"),
        };
        format!(
            "mosquitto {} on {}: {status} at {}\n{}its log:\n{}/proc/net/tcp lines with port {}:\n{}",
            self.child.id(),
            self.addr,
            now(),
            self.ready,
            self.log(),
            self.addr.port(),
            tcp_lines(self.addr.port())
        )
    }
}

impl Drop for Mosquitto {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("{}", self.post_mortem());
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
