//! A mosquitto broker of the test's own: 127.0.0.1, a free port, its own
//! config file in its own directory, killed and removed on drop.

use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
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

impl Mosquitto {
    /// Starts a broker, or says why not (`Err`): the caller skips.
    pub fn start(tag: &str) -> Result<Self, String> {
        let bin = binary().ok_or("mosquitto is not installed (ci/setup.sh installs it)")?;
        let mut last = String::new();
        // A free port can be taken between our probe and the broker's bind:
        // a few tries, each on a new port.
        for attempt in 0..3 {
            let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
                .and_then(|l| l.local_addr())
                .map_err(|e| e.to_string())?
                .port();
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
                if let Ok(probe) = TcpStream::connect(broker.addr) {
                    if probe.local_addr().ok() != Some(broker.addr) {
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
