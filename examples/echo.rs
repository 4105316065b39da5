//! A minimal echo server: one `poll` loop, a fixed table of connections, no
//! allocation once it is serving.
//!
//! ```text
//! cargo run --example echo                      # serves on 127.0.0.1:7878
//! cargo run --example echo -- '[::1]:9000'      # another address
//! cargo run --example echo -- 127.0.0.1:0 --capacity 8 --max-seconds 60
//! ```
//!
//! The first line on stdout is `listening on ADDR`, with the port the kernel
//! chose for port 0. Talk to it with `nc 127.0.0.1 7878`, or
//! `python3 -c 'import socket; s=socket.create_connection(("127.0.0.1",7878)); s.sendall(b"hi\n"); print(s.recv(9))'`.
//!
//! Options:
//! - `--capacity N`: serve at most `N` clients at once (1 to 256, default 256).
//! - `--max-seconds S`: stop by itself after `S` seconds (default: never);
//!   tests use it so a forgotten server cannot outlive them.
//!
//! How it copes with difficult clients:
//! - Every socket is non-blocking and each connection has one fixed 4 KiB
//!   buffer. A connection whose echo is not yet fully written is polled for
//!   `POLLOUT` only, so it is not read again until its pending bytes are
//!   out: a client that stalls (sends but never reads) holds its own buffer
//!   and nothing else, and the others are served as usual.
//! - A client that resets or disconnects mid-message ends its own connection
//!   (end of stream, `ECONNRESET` or `EPIPE` close it; no `SIGPIPE`, since
//!   zerosock sends with `MSG_NOSIGNAL`).
//! - Beyond capacity, a connection is accepted and closed at once: the client
//!   reads end of stream without any data, instead of waiting in the
//!   listen backlog. (Not polling the listener would leave such clients
//!   hanging until a slot frees up.)

use core::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use core::time::Duration;
use std::process::ExitCode;
use std::time::Instant;

use zerosock::poll::{Interest, PollFd, Ready, poll};
use zerosock::{Errno, TcpListener, TcpStream};

/// The table's size: the most clients served at once.
const MAX_CLIENTS: usize = 256;
/// Each connection's buffer.
const BUF_LEN: usize = 4096;
/// Accepts per wake-up, so a flood of connections cannot starve the others.
const ACCEPTS_PER_ROUND: usize = 64;

/// One client and the bytes read from it but not yet echoed
/// (`buf[start..end]`).
struct Conn {
    stream: TcpStream,
    buf: [u8; BUF_LEN],
    start: usize,
    end: usize,
}

/// What to do with a connection after serving it.
enum Next {
    Keep,
    Close,
}

impl Conn {
    fn new(stream: TcpStream) -> Self {
        Self {
            stream,
            buf: [0; BUF_LEN],
            start: 0,
            end: 0,
        }
    }

    /// Read when nothing is pending, write back while something is.
    fn interest(&self) -> Interest {
        if self.start < self.end {
            Interest::OUT
        } else {
            Interest::IN
        }
    }

    /// Called when poll reported anything (data, room, end, error): one
    /// read if nothing is pending, then as much of the echo as the kernel
    /// takes. Errors surface from the calls themselves.
    fn serve(&mut self) -> Next {
        if self.start == self.end {
            match self.stream.recv(&mut self.buf) {
                Ok(0) => return Next::Close,
                Ok(n) => (self.start, self.end) = (0, n),
                Err(Errno::AGAIN | Errno::INTR) => return Next::Keep,
                Err(_) => return Next::Close,
            }
        }
        while self.start < self.end {
            match self.stream.send(&self.buf[self.start..self.end]) {
                Ok(0) => return Next::Close,
                Ok(n) => self.start += n,
                Err(Errno::AGAIN | Errno::INTR) => return Next::Keep,
                Err(_) => return Next::Close,
            }
        }
        (self.start, self.end) = (0, 0);
        Next::Keep
    }
}

/// The listener and the connection table; [`Server::run`] is the loop.
/// (`pub(crate)`: tests/zero_alloc.rs includes this file as a module and
/// drives the loop under a counting allocator.)
pub(crate) struct Server {
    listener: TcpListener,
    conns: [Option<Conn>; MAX_CLIENTS],
    capacity: usize,
    /// Connections accepted and closed at once for lack of room.
    refused: u64,
}

impl Server {
    pub(crate) fn new(listener: TcpListener, capacity: usize) -> Result<Self, Errno> {
        listener.set_nonblocking(true)?;
        Ok(Self {
            listener,
            conns: [const { None }; MAX_CLIENTS],
            capacity: capacity.clamp(1, MAX_CLIENTS),
            refused: 0,
        })
    }

    /// Serves until `deadline` (forever if `None`). Allocates nothing.
    pub(crate) fn run(&mut self, deadline: Option<Instant>) -> Result<(), Errno> {
        loop {
            let timeout = match deadline {
                None => None,
                Some(deadline) => match deadline.checked_duration_since(Instant::now()) {
                    Some(left) if !left.is_zero() => Some(left),
                    _ => return Ok(()),
                },
            };

            // One entry per table slot (unused slots are skipped by the
            // kernel), the listener last.
            let mut ready = [Ready::NONE; MAX_CLIENTS + 1];
            {
                let mut fds = [PollFd::UNUSED; MAX_CLIENTS + 1];
                for (fd, conn) in fds.iter_mut().zip(&self.conns) {
                    if let Some(conn) = conn {
                        *fd = PollFd::new(&conn.stream, conn.interest());
                    }
                }
                fds[MAX_CLIENTS] = PollFd::new(&self.listener, Interest::IN);
                match poll(&mut fds, timeout) {
                    Ok(_) => {}
                    Err(Errno::INTR) => continue,
                    Err(errno) => return Err(errno),
                }
                for (ready, fd) in ready.iter_mut().zip(&fds) {
                    *ready = fd.ready();
                }
            }

            for (slot, ready) in self.conns.iter_mut().zip(&ready) {
                if let Some(conn) = slot {
                    if !ready.is_empty() && matches!(conn.serve(), Next::Close) {
                        *slot = None;
                    }
                }
            }
            if !ready[MAX_CLIENTS].is_empty() {
                self.accept_some()?;
            }
        }
    }

    /// Accepts what is waiting (up to [`ACCEPTS_PER_ROUND`]), closing at
    /// once what does not fit.
    fn accept_some(&mut self) -> Result<(), Errno> {
        for _ in 0..ACCEPTS_PER_ROUND {
            let stream = match self.listener.accept() {
                Ok((stream, _peer)) => stream,
                Err(Errno::AGAIN) => return Ok(()),
                // The client gave up before we accepted, or a signal.
                Err(Errno::CONNABORTED | Errno::INTR) => continue,
                // Out of fds or memory: try again on the next wake-up.
                Err(Errno::MFILE | Errno::NFILE | Errno::NOBUFS | Errno::NOMEM) => return Ok(()),
                Err(errno) => return Err(errno),
            };
            let in_use = self.conns.iter().filter(|c| c.is_some()).count();
            let free = self.conns.iter_mut().find(|c| c.is_none());
            match free {
                Some(slot) if in_use < self.capacity && stream.set_nonblocking(true).is_ok() => {
                    *slot = Some(Conn::new(stream));
                }
                _ => {
                    // Dropping closes it: the client reads end of stream.
                    drop(stream);
                    self.refused += 1;
                }
            }
        }
        Ok(())
    }
}

/// The command line: `[ADDR] [--capacity N] [--max-seconds S]`.
struct Args {
    addr: SocketAddr,
    capacity: usize,
    max_seconds: Option<u64>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        addr: SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 7878)),
        capacity: MAX_CLIENTS,
        max_seconds: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--capacity" => {
                let n: usize = value("--capacity")?
                    .parse()
                    .map_err(|e| format!("--capacity: {e}"))?;
                if !(1..=MAX_CLIENTS).contains(&n) {
                    return Err(format!("--capacity must be 1 to {MAX_CLIENTS}"));
                }
                args.capacity = n;
            }
            "--max-seconds" => {
                let s = value("--max-seconds")?
                    .parse()
                    .map_err(|e| format!("--max-seconds: {e}"))?;
                args.max_seconds = Some(s);
            }
            addr if !addr.starts_with("--") => {
                args.addr = addr.parse().map_err(|e| format!("{addr}: {e}"))?;
            }
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(args)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(why) => {
            eprintln!("echo: {why}\nusage: echo [ADDR] [--capacity N] [--max-seconds S]");
            return ExitCode::from(2);
        }
    };
    let listener = match TcpListener::bind(args.addr) {
        Ok(listener) => listener,
        Err(errno) => {
            eprintln!("echo: bind {}: {errno}", args.addr);
            return ExitCode::FAILURE;
        }
    };
    let local = listener.local_addr().unwrap_or(args.addr);
    println!("listening on {local} (capacity {})", args.capacity);

    let deadline = args.max_seconds.map(|s| Instant::now() + Duration::from_secs(s));
    let mut server = match Server::new(listener, args.capacity) {
        Ok(server) => server,
        Err(errno) => {
            eprintln!("echo: {errno}");
            return ExitCode::FAILURE;
        }
    };
    match server.run(deadline) {
        Ok(()) => {
            eprintln!("echo: time is up ({} refused for lack of room)", server.refused);
            ExitCode::SUCCESS
        }
        Err(errno) => {
            eprintln!("echo: {errno}");
            ExitCode::FAILURE
        }
    }
}
