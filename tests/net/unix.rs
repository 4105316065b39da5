//! Unix-domain sockets of every type (stream, datagram, seqpacket) and
//! every address kind (pathname, abstract, unnamed): what getsockname and
//! getpeername report, datagram and seqpacket boundaries, socketpairs, and
//! the length rule of `sun_path`.
//!
//! Pathnames live in a fresh directory under /tmp made per test and removed
//! when it ends; abstract names carry the pid and a counter, so parallel
//! runs never collide.

use std::fs;
use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use zerosock::addr::{UNIX_NAME_MAX, UnixAddr, UnixAddrError, UnixAddrKind};
use zerosock::{
    Errno, Shutdown, UnixDatagram, UnixListener, UnixSeqpacket, UnixSeqpacketListener, UnixStream,
};

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn unique() -> String {
    format!(
        "{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// A directory under /tmp, removed with everything in it when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        let dir = PathBuf::from(format!("/tmp/zerosock-unix-{}", unique()));
        fs::create_dir(&dir).unwrap();
        Self(dir)
    }

    fn addr(&self, name: &str) -> (PathBuf, UnixAddr) {
        let path = self.0.join(name);
        let addr = UnixAddr::new(path.to_str().unwrap()).unwrap();
        (path, addr)
    }

    fn entries(&self) -> usize {
        fs::read_dir(&self.0).unwrap().count()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn abstract_addr(what: &str) -> UnixAddr {
    UnixAddr::new_abstract(format!("zerosock-test-{what}-{}", unique()).as_bytes()).unwrap()
}

fn is_socket_file(path: &Path) -> bool {
    fs::symlink_metadata(path)
        .map(|m| m.file_type().is_socket())
        .unwrap_or(false)
}

// ---- stream -------------------------------------------------------------

fn check_stream(addr: &UnixAddr) {
    let listener = UnixListener::bind(addr).unwrap();
    assert_eq!(listener.local_addr().unwrap(), *addr);

    let client = UnixStream::connect(addr).unwrap();
    let (server, peer) = listener.accept().unwrap();

    // The client never bound: unnamed everywhere it shows.
    assert!(peer.is_unnamed());
    assert_eq!(peer.kind(), UnixAddrKind::Unnamed);
    assert!(client.local_addr().unwrap().is_unnamed());
    assert!(server.peer_addr().unwrap().is_unnamed());
    // The server's end carries the listener's name.
    assert_eq!(server.local_addr().unwrap(), *addr);
    assert_eq!(client.peer_addr().unwrap(), *addr);

    client.send_all(b"over the stream").unwrap();
    client.shutdown(Shutdown::Write).unwrap();
    let mut buf = [0u8; 15];
    server.recv_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"over the stream");
    assert_eq!(server.read(&mut buf).unwrap(), 0);
    server.send_all(b"back").unwrap();
    let mut back = [0u8; 4];
    client.recv_exact(&mut back).unwrap();
    assert_eq!(&back, b"back");
}

#[test]
fn stream_pathname() {
    let dir = TempDir::new();
    let (path, addr) = dir.addr("stream.sock");
    assert_eq!(
        addr.kind(),
        UnixAddrKind::Pathname(path.to_str().unwrap().as_bytes())
    );
    check_stream(&addr);
    assert!(is_socket_file(&path), "bind made no socket file");
    // The file outlives the listener; binding again fails until removed.
    assert_eq!(UnixListener::bind(&addr).err(), Some(Errno::ADDRINUSE.into()));
    fs::remove_file(&path).unwrap();
    drop(UnixListener::bind(&addr).unwrap());
}

#[test]
fn stream_abstract() {
    let addr = abstract_addr("stream");
    assert!(addr.as_abstract().is_some());
    check_stream(&addr);
}

#[test]
fn stream_abstract_name_is_released_on_close() {
    let addr = abstract_addr("release");
    let listener = UnixListener::bind(&addr).unwrap();
    assert_eq!(UnixListener::bind(&addr).err(), Some(Errno::ADDRINUSE.into()));
    listener.close().unwrap();
    // No file to remove: the name is free again at once.
    UnixListener::bind(&addr).unwrap();
}

#[test]
fn stream_connect_to_missing_names() {
    let dir = TempDir::new();
    let (_, addr) = dir.addr("nobody.sock");
    assert_eq!(UnixStream::connect(&addr).err(), Some(Errno::NOENT.into()));
    assert_eq!(
        UnixStream::connect(&abstract_addr("nobody")).err(),
        Some(Errno::CONNREFUSED.into())
    );
}

#[test]
fn stream_pair_is_unnamed_both_ways() {
    let (a, b) = UnixStream::pair().unwrap();
    for s in [&a, &b] {
        assert!(s.local_addr().unwrap().is_unnamed());
        assert!(s.peer_addr().unwrap().is_unnamed());
    }
    a.send_all(b"ab").unwrap();
    b.send_all(b"ba").unwrap();
    let mut buf = [0u8; 2];
    b.recv_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"ab");
    a.recv_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"ba");
    drop(a);
    assert_eq!(b.read(&mut buf).unwrap(), 0);
}

// ---- datagram ------------------------------------------------------------

fn check_datagram(server_addr: &UnixAddr, client_addr: &UnixAddr) {
    let server = UnixDatagram::bind(server_addr).unwrap();
    let client = UnixDatagram::bind(client_addr).unwrap();
    assert_eq!(server.local_addr().unwrap(), *server_addr);
    assert_eq!(client.local_addr().unwrap(), *client_addr);

    client.send_to(b"one", server_addr).unwrap();
    client.send_to(b"twotwo", server_addr).unwrap();
    let mut buf = [0u8; 32];
    let (n, from) = server.peek_from(&mut buf).unwrap();
    assert_eq!((&buf[..n], from), (&b"one"[..], *client_addr));
    let (n, from) = server.recv_from(&mut buf).unwrap();
    assert_eq!((&buf[..n], from), (&b"one"[..], *client_addr));
    let (n, from) = server.recv_from(&mut buf).unwrap();
    assert_eq!((&buf[..n], from), (&b"twotwo"[..], *client_addr));

    // Reply to the decoded sender.
    server.send_to(b"reply", &from).unwrap();
    let (n, from) = client.recv_from(&mut buf).unwrap();
    assert_eq!((&buf[..n], from), (&b"reply"[..], *server_addr));

    // Connected: send/recv, and peer_addr names the peer.
    client.connect(server_addr).unwrap();
    assert_eq!(client.peer_addr().unwrap(), *server_addr);
    client.send(b"connected").unwrap();
    assert_eq!(server.recv(&mut buf).unwrap(), 9);
    assert_eq!(&buf[..9], b"connected");

    // An unbound sender is reported as unnamed (the kernel writes length 0).
    let anonymous = UnixDatagram::unbound().unwrap();
    anonymous.send_to(b"anon", server_addr).unwrap();
    let (n, from) = server.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"anon");
    assert_eq!(from, UnixAddr::UNNAMED);
    // Having sent, the kernel did not autobind it to a name either.
    assert!(anonymous.local_addr().unwrap().is_unnamed());
    assert_eq!(anonymous.peer_addr().err(), Some(Errno::NOTCONN));

    server.set_nonblocking(true).unwrap();
    assert_eq!(server.recv_from(&mut buf).err(), Some(Errno::AGAIN));
}

#[test]
fn datagram_pathname() {
    let dir = TempDir::new();
    let (server_path, server) = dir.addr("server.sock");
    let (client_path, client) = dir.addr("client.sock");
    check_datagram(&server, &client);
    assert!(is_socket_file(&server_path) && is_socket_file(&client_path));
}

#[test]
fn datagram_abstract() {
    check_datagram(&abstract_addr("dgram-server"), &abstract_addr("dgram-client"));
}

#[test]
fn datagram_pair_keeps_boundaries() {
    let (a, b) = UnixDatagram::pair().unwrap();
    assert!(a.local_addr().unwrap().is_unnamed());
    assert!(a.peer_addr().unwrap().is_unnamed());
    a.send(b"x").unwrap();
    a.send(b"yy").unwrap();
    a.send(b"").unwrap();
    let mut buf = [0u8; 8];
    assert_eq!(b.recv(&mut buf).unwrap(), 1);
    assert_eq!(b.peek(&mut buf).unwrap(), 2);
    assert_eq!(b.recv(&mut buf).unwrap(), 2);
    assert_eq!(&buf[..2], b"yy");
    assert_eq!(b.recv(&mut buf).unwrap(), 0, "an empty datagram");
    b.send(b"back").unwrap();
    let (n, from) = a.recv_from(&mut buf).unwrap();
    assert_eq!((n, from), (4, UnixAddr::UNNAMED));
}

// ---- seqpacket -----------------------------------------------------------

fn check_seqpacket(addr: &UnixAddr) {
    let listener = UnixSeqpacketListener::bind(addr).unwrap();
    assert_eq!(listener.local_addr().unwrap(), *addr);
    let client = UnixSeqpacket::connect(addr).unwrap();
    let (server, peer) = listener.accept().unwrap();
    assert!(peer.is_unnamed());
    assert_eq!(client.peer_addr().unwrap(), *addr);
    assert_eq!(server.local_addr().unwrap(), *addr);
    assert!(server.peer_addr().unwrap().is_unnamed());

    check_seqpacket_boundaries(&client, &server);
}

/// Three messages arrive as three receives, a short buffer cuts one
/// message without spilling into the next, and close gives 0.
fn check_seqpacket_boundaries(a: &UnixSeqpacket, b: &UnixSeqpacket) {
    a.send(b"first").unwrap();
    a.send(b"the second one").unwrap();
    a.send(b"3").unwrap();
    let mut buf = [0u8; 64];
    assert_eq!(b.recv(&mut buf).unwrap(), 5);
    assert_eq!(&buf[..5], b"first");
    let mut short = [0u8; 3];
    assert_eq!(b.peek(&mut short).unwrap(), 3);
    assert_eq!(b.recv(&mut short).unwrap(), 3);
    assert_eq!(&short, b"the");
    assert_eq!(b.recv(&mut buf).unwrap(), 1, "the cut message's tail leaked");
    assert_eq!(&buf[..1], b"3");
    b.send(b"ack").unwrap();
    assert_eq!(a.recv(&mut buf).unwrap(), 3);
    a.shutdown(Shutdown::Write).unwrap();
    assert_eq!(b.recv(&mut buf).unwrap(), 0);
}

#[test]
fn seqpacket_pathname() {
    let dir = TempDir::new();
    let (path, addr) = dir.addr("seqpacket.sock");
    check_seqpacket(&addr);
    assert!(is_socket_file(&path));
}

#[test]
fn seqpacket_abstract() {
    check_seqpacket(&abstract_addr("seqpacket"));
}

#[test]
fn seqpacket_pair_keeps_boundaries() {
    let (a, b) = UnixSeqpacket::pair().unwrap();
    assert!(a.local_addr().unwrap().is_unnamed());
    assert!(b.peer_addr().unwrap().is_unnamed());
    check_seqpacket_boundaries(&a, &b);
}

// ---- the sun_path length rule ---------------------------------------------

#[test]
fn path_of_108_bytes_is_a_typed_error_and_creates_nothing() {
    let dir = TempDir::new();
    let prefix = format!("{}/", dir.0.to_str().unwrap());
    let name = |len: usize| format!("{prefix}{}", "s".repeat(len - prefix.len()));

    // 108 bytes: no room for the NUL. Rejected before any system call.
    let too_long = name(UNIX_NAME_MAX + 1);
    assert_eq!(too_long.len(), 108);
    assert_eq!(
        UnixAddr::new(&too_long),
        Err(UnixAddrError::TooLong { len: 108, max: 107 })
    );
    assert_eq!(
        UnixAddr::new_abstract(&[b'a'; 108]).err(),
        Some(UnixAddrError::TooLong { len: 108, max: 107 })
    );
    assert_eq!(dir.entries(), 0, "something was created for a rejected path");

    // 107 bytes is the longest that works, and round-trips through the kernel.
    let longest = name(UNIX_NAME_MAX);
    let addr = UnixAddr::new(&longest).unwrap();
    let listener = UnixListener::bind(&addr).unwrap();
    assert_eq!(
        listener.local_addr().unwrap().as_pathname(),
        Some(longest.as_bytes())
    );
    assert!(is_socket_file(Path::new(&longest)));
    assert_eq!(dir.entries(), 1);
    let client = UnixStream::connect(&addr).unwrap();
    assert_eq!(client.peer_addr().unwrap(), addr);
}

#[test]
fn abstract_names_may_hold_any_byte() {
    let name = format!("zero\0sock-{}", unique());
    let addr = UnixAddr::new_abstract(name.as_bytes()).unwrap();
    let server = UnixDatagram::bind(&addr).unwrap();
    assert_eq!(server.local_addr().unwrap().as_abstract(), Some(name.as_bytes()));
    // The prefix before the NUL is a different name.
    let prefix = UnixAddr::new_abstract(b"zero").unwrap();
    assert_ne!(prefix, addr);
    let client = UnixDatagram::unbound().unwrap();
    client.send_to(b"hi", &addr).unwrap();
    let mut buf = [0u8; 2];
    assert_eq!(server.recv(&mut buf).unwrap(), 2);
}
