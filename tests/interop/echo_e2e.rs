//! The echo example end to end: it is started with `cargo run --example
//! echo` on a free loopback port, and driven by 64 concurrent clients with
//! random payloads alongside clients that reset, stall and disconnect
//! mid-message; then a small-capacity instance refuses the extra clients.
//!
//! The clients are std's, so the server is checked against an independent
//! implementation. Each server is started with `--max-seconds`, so it stops
//! by itself even if this test dies, and is killed when the test ends.

use crate::common::echo::EchoServer;
use crate::common::retry_eintr;
use crate::common::rng::Rng;
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::process::Command;
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

/// How long the server may live; the test kills it sooner.
const SERVER_SECONDS: &str = "120";
/// The longest the first build of the example may take.
const START_TIMEOUT: Duration = Duration::from_secs(300);
/// Socket read/write timeout for every client: a hang becomes an error.
const IO_TIMEOUT: Duration = Duration::from_secs(30);
const CLIENTS: usize = 64;
const MAX_PAYLOAD: usize = 64 * 1024;
const MAX_CHUNK: usize = 8192;

/// Starts the echo example with `cargo run` (building it the first time).
fn start_server(extra: &[&str]) -> EchoServer {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
    let mut cmd = Command::new(cargo);
    cmd.args([
        "run",
        "--quiet",
        "--manifest-path",
        manifest,
        "--example",
        "echo",
        "--",
    ]);
    EchoServer::start(cmd, SERVER_SECONDS, extra, START_TIMEOUT)
}

fn connect(addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect_timeout(&addr, IO_TIMEOUT).expect("connect");
    stream.set_read_timeout(Some(IO_TIMEOUT)).unwrap();
    stream.set_write_timeout(Some(IO_TIMEOUT)).unwrap();
    stream
}

/// Sends a random payload in random chunks from one thread while reading
/// the echo on another, then half-closes and expects exactly the payload
/// back followed by end of stream.
fn echo_client(addr: SocketAddr, seed: u64, start: &Barrier) -> Result<usize, String> {
    let mut rng = Rng(seed);
    let len = rng.upto(MAX_PAYLOAD);
    let payload = rng.bytes(len);
    let mut chunks = Vec::new();
    let mut left = payload.len();
    while left > 0 {
        let n = rng.upto(MAX_CHUNK).min(left);
        chunks.push(n);
        left -= n;
    }

    start.wait();
    let stream = connect(addr);
    let mut writer = stream.try_clone().map_err(|e| e.to_string())?;
    let mut echoed = Vec::with_capacity(payload.len());
    thread::scope(|s| {
        let payload = &payload;
        let sent = s.spawn(move || -> std::io::Result<()> {
            let mut at = 0;
            for n in chunks {
                writer.write_all(&payload[at..at + n])?;
                at += n;
            }
            writer.shutdown(Shutdown::Write)
        });
        let read = (&stream).read_to_end(&mut echoed);
        let sent = sent.join().unwrap();
        sent.map_err(|e| format!("client {seed}: send: {e}"))?;
        read.map_err(|e| format!("client {seed}: recv after {} bytes: {e}", echoed.len()))
    })?;
    if echoed != payload {
        let first = echoed.iter().zip(&payload).position(|(a, b)| a != b);
        return Err(format!(
            "client {seed}: sent {} bytes, got {} back, first difference at {first:?}",
            payload.len(),
            echoed.len()
        ));
    }
    Ok(payload.len())
}

/// One line there and back.
fn ping(addr: SocketAddr, text: &[u8]) {
    let mut stream = connect(addr);
    stream.write_all(text).unwrap();
    let mut back = vec![0; text.len()];
    stream.read_exact(&mut back).unwrap();
    assert_eq!(back, text);
}

/// Closes with `SO_LINGER` 0, so the server gets a reset rather than a FIN.
fn reset(stream: TcpStream) {
    socket2::SockRef::from(&stream)
        .set_linger(Some(Duration::ZERO))
        .unwrap();
    drop(stream);
}

#[test]
fn echo_example_serves_64_clients_and_survives_bad_ones() {
    let started = Instant::now();
    let mut server = start_server(&[]);
    let addr = server.addr;
    ping(addr, b"hello\n");

    // Difficult clients, opened before the crowd and kept through it.
    // 1. One that sends and never reads: the server's echo fills this
    //    client's receive buffer and the server's send buffer, and then
    //    the server must stop reading from it while serving the others.
    let stalled_reader = connect(addr);
    stalled_reader.set_nonblocking(true).unwrap();
    let chunk = vec![0x5a; 64 * 1024];
    let mut stuffed = 0usize;
    for _ in 0..10_000 {
        match (&stalled_reader).write(&chunk) {
            Ok(n) => stuffed += n,
            Err(e) if e.kind() == ErrorKind::WouldBlock => {
                // Give the server time to fill its side, then try once more.
                thread::sleep(Duration::from_millis(20));
                match (&stalled_reader).write(&chunk) {
                    Ok(n) => stuffed += n,
                    Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                    Err(e) => panic!("stalled client: {e}"),
                }
            }
            Err(e) => panic!("stalled client: {e}"),
        }
    }
    assert!(stuffed > 0, "the stalled client could send nothing");
    // 2. One that connects and sends nothing.
    let idle = connect(addr);
    // 3. One that sends half a message and vanishes with a reset, with
    //    an echo pending for it.
    let mut resetter = connect(addr);
    resetter.write_all(&[1; 30_000]).unwrap();
    thread::sleep(Duration::from_millis(20));
    reset(resetter);
    // 4. One that sends part of a message and closes normally, unread echo
    //    and all.
    let mut leaver = connect(addr);
    leaver.write_all(b"half a mess").unwrap();
    drop(leaver);
    // 5. One that connects and resets at once.
    reset(connect(addr));

    // The crowd.
    let start = Arc::new(Barrier::new(CLIENTS));
    let results: Vec<Result<usize, String>> = thread::scope(|s| {
        let handles: Vec<_> = (0..CLIENTS as u64)
            .map(|i| {
                let start = start.clone();
                s.spawn(move || echo_client(addr, 0x5eed_0000 + i, &start))
            })
            .collect();
        // Some more resets while the crowd is being served.
        for _ in 0..8 {
            let mut c = connect(addr);
            let _ = c.write_all(&[7; 10_000]);
            reset(c);
        }
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let failures: Vec<&String> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(
        failures.is_empty(),
        "{} of {CLIENTS} clients failed: {failures:#?}",
        failures.len()
    );
    let total: usize = results.iter().map(|r| *r.as_ref().unwrap()).sum();
    eprintln!(
        "{CLIENTS} clients echoed {total} bytes in {:?}",
        started.elapsed()
    );

    // The server is still up and serving, with the stalled ones still open.
    server.assert_running();
    ping(addr, b"still here\n");
    // The idle client is still served.
    let mut idle = idle;
    idle.write_all(b"awake\n").unwrap();
    let mut back = [0; 6];
    idle.read_exact(&mut back).unwrap();
    assert_eq!(&back, b"awake\n");
    // The stalled reader, when it finally reads, gets its echo so far.
    stalled_reader.set_nonblocking(false).unwrap();
    let mut first = [0; 1024];
    (&stalled_reader).read_exact(&mut first).unwrap();
    assert!(first.iter().all(|&b| b == 0x5a));
    reset(stalled_reader);
    ping(addr, b"after the stall\n");
    server.assert_running();
}

#[test]
fn echo_example_refuses_connections_beyond_capacity() {
    let mut server = start_server(&["--capacity", "2"]);
    let addr = server.addr;

    let mut a = connect(addr);
    let mut b = connect(addr);
    for (stream, text) in [(&mut a, b"a\n"), (&mut b, b"b\n")] {
        stream.write_all(text).unwrap();
        let mut back = [0; 2];
        stream.read_exact(&mut back).unwrap();
        assert_eq!(&back, text);
    }

    // A third is accepted and closed at once: end of stream, no data.
    let mut c = connect(addr);
    let _ = c.write_all(b"c\n");
    let mut back = [0; 2];
    match retry_eintr(IO_TIMEOUT, || c.read(&mut back)) {
        Ok(0) => {}
        Err(e) if e.kind() == ErrorKind::ConnectionReset => {}
        other => panic!("a client beyond capacity got {other:?}"),
    }

    // Freeing a slot lets the next client in (once the server has seen
    // the close: retried, bounded).
    drop(a);
    let mut served = false;
    for _ in 0..100 {
        let mut d = connect(addr);
        if d.write_all(b"d\n").is_ok() && matches!(d.read(&mut back), Ok(2)) {
            assert_eq!(&back, b"d\n");
            served = true;
            break;
        }
        thread::sleep(Duration::from_millis(50));
    }
    assert!(served, "no client was served after a slot was freed");

    // The one still connected was never disturbed.
    b.write_all(b"B\n").unwrap();
    b.read_exact(&mut back).unwrap();
    assert_eq!(&back, b"B\n");
    server.assert_running();
}
