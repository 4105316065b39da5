//! Soak: the echo example (examples/echo.rs, run as its own process) under
//! 256 concurrent clients × 1,000 messages each, every echo compared byte
//! for byte and every client's stream checksummed both ways; nothing may be
//! lost, and afterwards the server's open-fd count (`/proc/<pid>/fd`) must
//! be back to what it was before the first client came.
//!
//! Bounded: the server runs with `--max-seconds`, is killed when the test
//! ends, every client socket has read and write timeouts, and the whole
//! soak must finish within [`SOAK_BOUND`].

use std::net::SocketAddr;
use std::process::Command;
use std::sync::{Arc, Barrier, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use crate::common::echo::EchoServer;
use crate::common::rng::Rng;
use crate::common::{eventually, fd_count_of, retry_eintr};
use crate::example::build_example;
use zerosock::TcpStream;

const CLIENTS: usize = 256;
const MESSAGES: usize = 1_000;
const MAX_MESSAGE: usize = 8192;
/// The whole soak, connect to last echo.
const SOAK_BOUND: Duration = Duration::from_secs(120);
/// Any single read or write: a hang becomes an error.
const IO_TIMEOUT: Duration = Duration::from_secs(60);
/// How long the server may live in any case.
const SERVER_SECONDS: &str = "300";

/// FNV-1a over a stream, fed piece by piece.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Fnv(u64);

impl Fnv {
    const NEW: Self = Self(0xcbf2_9ce4_8422_2325);
    fn feed(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// What one client sent and got back.
struct Tally {
    messages: usize,
    bytes: usize,
    sent: Fnv,
    received: Fnv,
}

/// One client: connect and get one echo (so the server has accepted it),
/// wait until every other client has too and the main thread has counted
/// the server's fds, then `MESSAGES` round trips of random sizes, each echo
/// compared with what was sent.
fn client(id: usize, addr: SocketAddr, served: &Barrier, go: &Barrier) -> Result<Tally, String> {
    let connected = TcpStream::connect(addr).map_err(|e| format!("client {id}: connect: {e}"));
    let first = connected.and_then(|stream| {
        let socket = stream.as_socket();
        socket.set_read_timeout(Some(IO_TIMEOUT)).unwrap();
        socket.set_write_timeout(Some(IO_TIMEOUT)).unwrap();
        let mut hello = [0u8; 2];
        stream
            .send_all(b"hi")
            .map_err(|e| format!("client {id}: hello: {e}"))?;
        stream
            .recv_exact(&mut hello)
            .map_err(|e| format!("client {id}: hello: {e}"))?;
        Ok(stream)
    });
    // Every client is being served before any goes on: 256 at once. (The
    // barriers are passed even on failure, so the others are not stuck.)
    served.wait();
    go.wait();
    let stream = first?;
    let mut rng = Rng(0x5eed ^ id as u64);
    let mut out = vec![0u8; MAX_MESSAGE];
    let mut back = vec![0u8; MAX_MESSAGE];
    let mut tally = Tally {
        messages: 0,
        bytes: 0,
        sent: Fnv::NEW,
        received: Fnv::NEW,
    };
    for seq in 0..MESSAGES {
        let len = 1 + (rng.next() as usize % MAX_MESSAGE);
        for chunk in out[..len].chunks_mut(8) {
            let word = rng.next().to_le_bytes();
            chunk.copy_from_slice(&word[..chunk.len()]);
        }
        stream
            .send_all(&out[..len])
            .map_err(|e| format!("client {id} message {seq}: write: {e}"))?;
        tally.sent.feed(&out[..len]);
        stream
            .recv_exact(&mut back[..len])
            .map_err(|e| format!("client {id} message {seq} ({len} bytes): read: {e}"))?;
        tally.received.feed(&back[..len]);
        if back[..len] != out[..len] {
            return Err(format!("client {id} message {seq}: the echo differs"));
        }
        tally.messages += 1;
        tally.bytes += len;
    }
    // The server must not send anything more: shut down, read the end.
    stream.shutdown(zerosock::Shutdown::Write).unwrap();
    let mut extra = [0u8; 1];
    match retry_eintr(IO_TIMEOUT, || stream.read(&mut extra)) {
        Ok(0) => Ok(tally),
        other => Err(format!("client {id}: after the last echo: {other:?}")),
    }
}

#[test]
fn echo_serves_256_clients_times_1000_messages_and_returns_its_fds() {
    let exe = build_example("echo");
    let server_seconds =
        (SERVER_SECONDS.parse::<u32>().unwrap() * crate::common::emulation::slowdown()).to_string();
    let mut echo = EchoServer::start(Command::new(&exe), &server_seconds, &[], Duration::from_secs(30));
    let fd_dir = echo.fd_dir();
    let fds_at_start = fd_count_of(&fd_dir);

    // Under qemu-user every instruction of the server and the clients is
    // translated: a hang bound, not a timing, so it is scaled.
    let bound = SOAK_BOUND * crate::common::emulation::slowdown();
    let start = Instant::now();
    let served = Arc::new(Barrier::new(CLIENTS + 1));
    let go = Arc::new(Barrier::new(CLIENTS + 1));
    let (tx, rx) = mpsc::channel();
    let mut handles = Vec::with_capacity(CLIENTS);
    for id in 0..CLIENTS {
        let (served, go, tx, addr) = (Arc::clone(&served), Arc::clone(&go), tx.clone(), echo.addr);
        let handle = thread::Builder::new()
            .stack_size(256 << 10)
            .spawn(move || {
                let result = client(id, addr, &served, &go);
                let _ = tx.send((id, result));
            })
            .unwrap();
        handles.push(handle);
    }
    drop(tx);
    served.wait();
    let connected_at = start.elapsed();
    // Every client has had an echo and none has closed: the server holds
    // exactly one more fd per client.
    let fds_under_load = fd_count_of(&fd_dir);
    go.wait();

    let mut totals = (0usize, 0usize);
    let mut failures = Vec::new();
    for _ in 0..CLIENTS {
        let left = bound.saturating_sub(start.elapsed());
        match rx.recv_timeout(left) {
            Ok((_, Ok(tally))) => {
                assert_eq!(tally.sent, tally.received);
                totals.0 += tally.messages;
                totals.1 += tally.bytes;
            }
            Ok((id, Err(why))) => failures.push(format!("{id}: {why}")),
            Err(_) => {
                drop(echo); // kill it so blocked clients see the end
                panic!("the soak did not finish within {bound:?}");
            }
        }
    }
    for handle in handles {
        handle.join().unwrap();
    }
    let took = start.elapsed();
    assert!(
        failures.is_empty(),
        "{} clients failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(totals.0, CLIENTS * MESSAGES, "messages echoed");
    assert!(echo.is_running(), "the echo server died");

    // Every client has closed: the server closes its side as it reads each
    // end of stream, and is back to its starting fds.
    let settled = eventually(Duration::from_secs(30), || fd_count_of(&fd_dir) == fds_at_start);
    let fds_after = fd_count_of(&fd_dir);
    eprintln!(
        "soak: {CLIENTS} clients x {MESSAGES} messages = {} echoes, {} bytes each way, in {took:.2?} \
         (all connected after {connected_at:.2?}); server fds {fds_at_start} at start, \
         {fds_under_load} under load, {fds_after} after",
        totals.0, totals.1
    );
    assert_eq!(
        fds_under_load,
        fds_at_start + CLIENTS,
        "one fd per client being served at once"
    );
    assert!(
        settled,
        "the server holds {fds_after} fds, {fds_at_start} at start"
    );
}
