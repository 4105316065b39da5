//! A small static-file HTTP/1.1 server on zerosock: one thread, one
//! edge-triggered epoll, a fixed table of connections with fixed buffers,
//! files sent with sendfile(2), nothing allocated while serving.
//!
//! ```text
//! cargo run --release --example http -- ADDR DIR [--capacity N] [--timeout-ms T] [--max-seconds S]
//! cargo run --release --example http -- 127.0.0.1:8080 ./public
//! curl -i http://127.0.0.1:8080/index.html
//! ```
//!
//! The first line on stdout is `listening on ADDR` (the port the kernel
//! chose for port 0). Options:
//! - `--capacity N`: connections served at once (default 1024); beyond it
//!   a client gets `503` and is closed at once.
//! - `--timeout-ms T`: a connection that makes no progress for `T` ms (no
//!   complete request answered, no response bytes accepted) is closed
//!   (default 10000). Bytes received are not progress: a client dribbling
//!   its head (slowloris) is closed in time.
//! - `--max-seconds S`: stop by itself after `S` seconds (tests use it).
//!
//! What it speaks: GET and HEAD; keep-alive (HTTP/1.1's default, 1.0's on
//! request) and pipelining; `Content-Length` and a `Content-Type` by
//! extension; `Connection: close`. Refused: a malformed request line or
//! header 400; HTTP/1.1 without exactly one `Host` 400; another major
//! version 505; a known method other than GET/HEAD 405 (with `Allow`), an
//! unknown one 501; a head over 4 KiB 431; a request body with
//! `Transfer-Encoding` 501 (with `Content-Length` too, 400); a body with
//! `Content-Length` is read and dropped (RFC 9112 section 6.3), so the
//! next pipelined request is found. Paths: percent-decoded; `..` segments
//! and absolute paths 403; the file is opened with `openat2` and
//! `RESOLVE_BENEATH` under DIR, so not even a symbolic link leads out;
//! a missing file 404; anything but a regular file 403; a directory path
//! (`/` or `/a/`) serves its `index.html`.
//!
//! The same server as a static executable with no libc:
//! `examples/static-http` (it includes `http/*.rs`, which need no `std`).

#![allow(dead_code)] // some items are used only by the tests that include this file

#[path = "http/request.rs"]
pub(crate) mod request;
#[path = "http/response.rs"]
pub(crate) mod response;
#[path = "http/server.rs"]
pub(crate) mod server;

use core::net::SocketAddr;
use core::time::Duration;
use std::process::ExitCode;
use std::sync::Arc;

use rustix::fd::OwnedFd;
use rustix::fs::{Mode, OFlags};
use zerosock::event::eventfd::EventFd;
use zerosock::{Errno, TcpListener};

use server::{Config, Conn, Server};

impl Server<Box<[Conn]>, Arc<EventFd>> {
    /// Takes all the memory the server will use: a table of
    /// `config.capacity` slots (at least 1), and a stop eventfd that
    /// [`stopper`](Self::stopper) shares with other threads.
    pub(crate) fn new(listener: TcpListener, root: OwnedFd, config: Config) -> Result<Self, Errno> {
        let capacity = config.capacity.clamp(1, (u32::MAX / 2) as usize);
        let conns = (0..capacity).map(|_| Conn::EMPTY).collect();
        let stop = Arc::new(server::stop_eventfd()?);
        Self::with_storage(listener, root, config.timeout, conns, stop)
    }
}

/// The listen backlog: enough for a burst of thousands of connections.
const BACKLOG: i32 = 4096;

struct Args {
    addr: SocketAddr,
    dir: String,
    config: Config,
    max_seconds: Option<u64>,
}

fn parse_args() -> Result<Args, String> {
    let mut positional = Vec::new();
    let mut config = Config {
        capacity: 1024,
        timeout: Duration::from_secs(10),
    };
    let mut max_seconds = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| -> Result<u64, String> {
            args.next()
                .and_then(|v| v.parse().ok())
                .ok_or_else(|| format!("{name} needs a number"))
        };
        match arg.as_str() {
            "--capacity" => config.capacity = value("--capacity")? as usize,
            "--timeout-ms" => config.timeout = Duration::from_millis(value("--timeout-ms")?),
            "--max-seconds" => max_seconds = Some(value("--max-seconds")?),
            _ if arg.starts_with("--") => return Err(format!("unknown option {arg}")),
            _ => positional.push(arg),
        }
    }
    let [addr, dir] =
        <[String; 2]>::try_from(positional).map_err(|_| "usage: http ADDR DIR [options]".to_string())?;
    let addr = addr.parse().map_err(|e| format!("bad address {addr}: {e}"))?;
    Ok(Args {
        addr,
        dir,
        config,
        max_seconds,
    })
}

/// Opens `dir` for `openat2` (`O_PATH | O_DIRECTORY`).
pub(crate) fn open_root(dir: &str) -> Result<OwnedFd, Errno> {
    rustix::fs::open(
        dir,
        OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(|e| Errno::from_raw_os_error(e.raw_os_error()))
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(e) => {
            eprintln!("http: {e}");
            return ExitCode::from(2);
        }
    };
    let root = match open_root(&args.dir) {
        Ok(root) => root,
        Err(e) => {
            eprintln!("http: {}: {e}", args.dir);
            return ExitCode::from(2);
        }
    };
    let listener = match TcpListener::bind_with_backlog(args.addr, BACKLOG) {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("http: bind {}: {e}", args.addr);
            return ExitCode::FAILURE;
        }
    };
    let local = listener.local_addr().expect("local address");
    let mut server = match Server::new(listener, root, args.config) {
        Ok(server) => server,
        Err(e) => {
            eprintln!("http: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "listening on {local} (capacity {}, timeout {:?})",
        args.config.capacity, args.config.timeout
    );
    let result = server.run(args.max_seconds.map(Duration::from_secs));
    let stats = server.stats();
    eprintln!(
        "http: {} accepted, {} refused, {} responses, {} timed out",
        stats.accepted, stats.refused, stats.responses, stats.timed_out
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("http: {e}");
            ExitCode::FAILURE
        }
    }
}
