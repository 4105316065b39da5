//! A mosquitto broker of the test's own: 127.0.0.1, a free port, its own
//! config file in its own directory, killed and removed on drop.

use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A running broker.
pub struct Mosquitto {
    child: Child,
    dir: PathBuf,
    /// Where it listens.
    pub addr: SocketAddr,
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
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .and_then(|l| l.local_addr())
            .map_err(|e| e.to_string())?
            .port();
        if !given.contains(&port) {
            given.push(port);
            return Ok(port);
        }
    }
    Err("no fresh loopback port in 100 tries".into())
}

impl Mosquitto {
    /// Starts a broker, or says why not (`Err`): the caller skips.
    pub fn start(tag: &str) -> Result<Self, String> {
        let bin = binary().ok_or("mosquitto is not installed (ci/setup.sh installs it)")?;
        let mut last = String::new();
        // A free port can be taken between our probe and the broker's bind:
        // a few tries, each on a new port.
        for attempt in 0..3 {
            let port = fresh_port()?;
            let dir = std::env::temp_dir().join(format!(
                "zerosock-mosquitto-{tag}-{}-{attempt}",
                std::process::id()
            ));
            std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
            let conf = dir.join("mosquitto.conf");
            std::fs::write(
                &conf,
                format!(
                    "listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 100000\nlog_dest file {}\n",
                    dir.join("log").display()
                ),
            )
            .map_err(|e| e.to_string())?;
            let child = Command::new(&bin)
                .arg("-c")
                .arg(&conf)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .map_err(|e| format!("{}: {e}", bin.display()))?;
            let mut broker = Self {
                child,
                dir,
                addr: SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
            };
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                // A probe whose ephemeral port is the broker's own port
                // connects to itself (TCP simultaneous open) while nothing
                // listens: not a sign of the broker.
                // And ours must still be alive after the probe (ports are
                // never shared between this process's brokers: `fresh_port`).
                if let Ok(probe) = TcpStream::connect(broker.addr) {
                    if probe.local_addr().ok() != Some(broker.addr)
                        && matches!(broker.child.try_wait(), Ok(None))
                    {
                        return Ok(broker);
                    }
                }
                if let Ok(Some(status)) = broker.child.try_wait() {
                    last = format!("mosquitto exited ({status}): {}", broker.log());
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            if last.is_empty() {
                last = format!("mosquitto did not listen within 10 s: {}", broker.log());
            }
        }
        Err(last)
    }

    /// The broker's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("log")).unwrap_or_default()
    }
}

impl Drop for Mosquitto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
