//! The echo example (examples/echo.rs) run as a child process.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// A running echo example, killed on drop.
pub struct EchoServer {
    pub child: Child,
    pub addr: SocketAddr,
}

impl EchoServer {
    /// Starts `cmd` (the echo example or `cargo run` of it) on 127.0.0.1:0
    /// with `--max-seconds max_seconds` and `extra`, and reads the address
    /// from its first line, `listening on ADDR`, within `timeout`.
    pub fn start(mut cmd: Command, max_seconds: &str, extra: &[&str], timeout: Duration) -> Self {
        let mut child = cmd
            .args(["127.0.0.1:0", "--max-seconds", max_seconds])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the echo example");

        // The first stdout line, read on a thread so the wait is bounded.
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = match rx.recv_timeout(timeout) {
            Ok(line) => line,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("the echo example printed nothing within {timeout:?}");
            }
        };
        let addr = line
            .strip_prefix("listening on ")
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|addr| addr.parse().ok());
        let Some(addr) = addr else {
            let _ = child.kill();
            let _ = child.wait();
            panic!("unexpected first line from the echo example: {line:?}");
        };
        Self { child, addr }
    }

    /// The server's `/proc/<pid>/fd` directory.
    pub fn fd_dir(&self) -> String {
        format!("/proc/{}/fd", self.child.id())
    }

    /// Whether the server process has not exited.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Panics if the server process has exited.
    pub fn assert_running(&mut self) {
        let status = self.child.try_wait().expect("try_wait");
        assert!(status.is_none(), "the echo server exited: {status:?}");
    }
}

impl Drop for EchoServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
