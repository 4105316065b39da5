//! The `/proc` socket tables against sockets the test makes on loopback:
//! states through a connection's life, addresses, queues, Unix names and
//! types, inodes and the fds that hold them; and the line reader's handling
//! of too-long, malformed and unterminated lines through every buffer size.
//!
//! Tests in this binary run in parallel, so each finds its own sockets by
//! inode or by port and ignores every other line.

use crate::common::skip;
use std::fs;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::os::fd::{AsRawFd, OwnedFd};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::sleep;
use std::time::{Duration, Instant};

use zerosock::addr::{UnixAddr, UnixAddrKind};
use zerosock::opt::TcpState;
use zerosock::proc::{
    InetEntries, InetEntry, InetTable, ProcError, Process, SocketFds, SocketState, UnixEntries, UnixEntry,
    find_fd,
};
use zerosock::{
    Errno, TcpListener, TcpStream, Type, UdpSocket, UnixDatagram, UnixListener, UnixSeqpacket, UnixStream,
};

/// Every entry of `table`; every line of the real file must parse.
fn inet(table: InetTable) -> Vec<InetEntry> {
    let mut buf = [0u8; 4096];
    InetEntries::open(Process::Current, table, &mut buf)
        .expect("open table")
        .map(|e| e.unwrap_or_else(|err| panic!("{table:?}: {err}")))
        .collect()
}

fn unix() -> Vec<UnixEntry> {
    let mut buf = [0u8; 4096];
    UnixEntries::open(Process::Current, &mut buf)
        .expect("open /proc/self/net/unix")
        .map(|e| e.unwrap_or_else(|err| panic!("unix: {err}")))
        .collect()
}

/// Polls `find` until it returns `Some`, for at most 5 s; the kernel
/// finishes a loopback handshake or close a moment after the call returns.
fn wait_for<T>(what: &str, mut find: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        if let Some(found) = find() {
            return found;
        }
        assert!(Instant::now() < deadline, "gave up waiting for {what}");
        sleep(Duration::from_millis(5));
    }
}

fn by_inode(table: InetTable, inode: u64) -> Option<InetEntry> {
    inet(table).into_iter().find(|e| e.inode == inode)
}

fn uid() -> u32 {
    // SAFETY: getuid has no preconditions.
    unsafe { libc::getuid() }
}

fn inode_of(fd: &impl AsRawFd) -> u64 {
    fs::metadata(format!("/proc/self/fd/{}", fd.as_raw_fd()))
        .map(|m| std::os::unix::fs::MetadataExt::ino(&m))
        .expect("stat the fd's link target")
}

#[test]
fn inode_is_fstat_ino_for_every_socket_type() {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let udp = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let (a, b) = UnixStream::pair().unwrap();
    let (d, _) = UnixDatagram::pair().unwrap();
    let (s, _) = UnixSeqpacket::pair().unwrap();
    // std's stat of /proc/self/fd/N follows the link to the socket's inode.
    assert_eq!(listener.inode().unwrap(), inode_of(&listener));
    assert_eq!(listener.as_socket().inode().unwrap(), inode_of(&listener));
    assert_eq!(udp.inode().unwrap(), inode_of(&udp));
    assert_eq!(a.inode().unwrap(), inode_of(&a));
    assert_eq!(d.inode().unwrap(), inode_of(&d));
    assert_eq!(s.inode().unwrap(), inode_of(&s));
    assert_ne!(a.inode().unwrap(), b.inode().unwrap());
    // A dup shares the socket, so the inode.
    assert_eq!(a.try_clone().unwrap().inode().unwrap(), a.inode().unwrap());
}

#[test]
fn listener_is_listen_with_its_inode_and_counts_its_queue() {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let addr = listener.local_addr().unwrap();
    let inode = listener.inode().unwrap();
    let e = by_inode(InetTable::Tcp, inode).expect("listener in /proc/self/net/tcp");
    assert_eq!(e.state(), Some(TcpState::Listen));
    assert_eq!(e.ss_state(), "LISTEN");
    assert_eq!(e.local, addr);
    assert_eq!(e.remote, SocketAddr::from((Ipv4Addr::UNSPECIFIED, 0)));
    assert_eq!((e.rx_queue, e.tx_queue), (0, 0));
    assert_eq!(e.uid, uid());
    // Not in the IPv6 table.
    assert!(by_inode(InetTable::Tcp6, inode).is_none());

    // Two connections not yet accepted: a listener's rx_queue is its accept queue.
    let _c1 = TcpStream::connect(addr).unwrap();
    let _c2 = TcpStream::connect(addr).unwrap();
    wait_for("two connections in the accept queue", || {
        by_inode(InetTable::Tcp, inode).filter(|e| e.rx_queue == 2)
    });
}

#[test]
fn ipv6_listener_is_in_tcp6() {
    let Ok(listener) = TcpListener::bind((Ipv6Addr::LOCALHOST, 0)) else {
        skip("no IPv6 loopback");
        return;
    };
    let e = by_inode(InetTable::Tcp6, listener.inode().unwrap()).expect("listener in tcp6");
    assert_eq!(e.state(), Some(TcpState::Listen));
    assert_eq!(e.local, listener.local_addr().unwrap());
    assert_eq!(e.remote, SocketAddr::from((Ipv6Addr::UNSPECIFIED, 0)));
}

#[test]
fn accepted_connection_is_established_on_both_ends_with_queues() {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (server, _) = listener.accept().unwrap();
    let (ci, si) = (client.inode().unwrap(), server.inode().unwrap());

    let c = by_inode(InetTable::Tcp, ci).expect("client listed");
    let s = by_inode(InetTable::Tcp, si).expect("server listed");
    assert_eq!(c.state(), Some(TcpState::Established));
    assert_eq!(s.state(), Some(TcpState::Established));
    assert_eq!(c.local, client.local_addr().unwrap());
    assert_eq!(c.remote, server.local_addr().unwrap());
    assert_eq!(s.local, c.remote);
    assert_eq!(s.remote, c.local);

    // Bytes sent and not read wait in the server's receive queue.
    client.send_all(b"twelve bytes").unwrap();
    let s = wait_for("12 bytes in the receive queue", || {
        by_inode(InetTable::Tcp, si).filter(|e| e.rx_queue == 12)
    });
    assert_eq!(s.tx_queue, 0);
    let mut buf = [0u8; 12];
    server.recv_exact(&mut buf).unwrap();
    wait_for("an empty receive queue", || {
        by_inode(InetTable::Tcp, si).filter(|e| e.rx_queue == 0)
    });
}

#[test]
fn active_close_leaves_time_wait_or_fin_wait2_and_close_wait() {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (server, _) = listener.accept().unwrap();
    let (client_addr, server_addr) = (client.local_addr().unwrap(), server.local_addr().unwrap());
    let si = server.inode().unwrap();

    client.close().unwrap();
    // The server end still has its fd: CLOSE_WAIT under its inode.
    wait_for("CLOSE_WAIT on the passive side", || {
        by_inode(InetTable::Tcp, si).filter(|e| e.state() == Some(TcpState::CloseWait))
    });
    // The closed end belongs to no fd any more: find it by its ports. Once
    // its FIN is acknowledged (FIN_WAIT1 until then) it waits in FIN_WAIT2
    // for the server's FIN.
    let closer = wait_for("the active closer in FIN_WAIT2", || {
        inet(InetTable::Tcp).into_iter().find(|e| {
            e.local == client_addr
                && e.remote == server_addr
                && matches!(e.state(), Some(TcpState::FinWait2 | TcpState::TimeWait))
        })
    });
    assert_eq!(closer.inode, 0, "an orphaned socket has no inode");

    // Once the server closes too, the closer is in TIME_WAIT.
    server.close().unwrap();
    let closer = wait_for("TIME_WAIT on the active side", || {
        inet(InetTable::Tcp).into_iter().find(|e| {
            e.local == client_addr && e.remote == server_addr && e.state() == Some(TcpState::TimeWait)
        })
    });
    assert_eq!(closer.ss_state(), "TIME-WAIT");
    assert_eq!(closer.timer, zerosock::proc::Timer::TIME_WAIT);
}

#[test]
fn udp_sockets_unconnected_connected_and_queued() {
    let a = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let b = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let (ai, bi) = (a.inode().unwrap(), b.inode().unwrap());
    let e = by_inode(InetTable::Udp, ai).expect("udp socket listed");
    assert_eq!(e.state(), Some(TcpState::Close));
    assert_eq!(e.ss_state(), "UNCONN");
    assert_eq!(e.local, a.local_addr().unwrap());
    assert_eq!(e.remote, SocketAddr::from((Ipv4Addr::UNSPECIFIED, 0)));
    assert_eq!(e.rx_queue, 0);

    b.connect(a.local_addr().unwrap()).unwrap();
    let e = by_inode(InetTable::Udp, bi).expect("connected udp socket listed");
    assert_eq!(e.state(), Some(TcpState::Established));
    assert_eq!(e.remote, a.local_addr().unwrap());

    // An unread datagram occupies the receive queue (counted in allocated
    // bytes, more than the payload).
    b.send(b"datagram").unwrap();
    let e = wait_for("a queued datagram", || {
        by_inode(InetTable::Udp, ai).filter(|e| e.rx_queue > 0)
    });
    assert!(e.rx_queue >= 8, "rx_queue {}", e.rx_queue);
}

#[test]
fn udp6_socket_is_in_udp6() {
    let Ok(socket) = UdpSocket::bind((Ipv6Addr::LOCALHOST, 0)) else {
        skip("no IPv6 loopback");
        return;
    };
    let e = by_inode(InetTable::Udp6, socket.inode().unwrap()).expect("listed in udp6");
    assert_eq!(e.local, socket.local_addr().unwrap());
    assert_eq!(e.state(), Some(TcpState::Close));
}

static UNIQUE: AtomicUsize = AtomicUsize::new(0);

/// A socket path of this test run, removed on drop.
struct TempPath(PathBuf);

impl TempPath {
    fn new(tag: &str) -> Self {
        let n = UNIQUE.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("zs-proc-{}-{tag}-{n}.sock", std::process::id()));
        let _ = fs::remove_file(&path);
        Self(path)
    }
    fn addr(&self) -> UnixAddr {
        UnixAddr::new(self.0.as_os_str().as_encoded_bytes()).unwrap()
    }
}

impl Drop for TempPath {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
    }
}

fn unix_by_inode(inode: u64) -> Option<UnixEntry> {
    unix().into_iter().find(|e| e.inode == inode)
}

#[test]
fn unix_sockets_with_pathname_abstract_and_no_name() {
    let path = TempPath::new("listen");
    let listener = UnixListener::bind(&path.addr()).unwrap();
    let e = unix_by_inode(listener.inode().unwrap()).expect("listener listed");
    assert!(e.is_listening());
    assert_eq!(e.flags, UnixEntry::ACCEPTCON);
    assert_eq!(e.socket_type, Type::STREAM);
    assert_eq!(e.state, SocketState::UNCONNECTED);
    assert_eq!(e.tcp_state(), TcpState::Listen);
    assert_eq!(
        e.path(),
        UnixAddrKind::Pathname(path.0.as_os_str().as_encoded_bytes())
    );

    // A connection not yet accepted is SS_CONNECTING on the server side;
    // the client is SS_CONNECTED.
    let client = UnixStream::connect(&path.addr()).unwrap();
    let c = unix_by_inode(client.inode().unwrap()).expect("client listed");
    assert_eq!(c.state, SocketState::CONNECTED);
    assert_eq!(c.path(), UnixAddrKind::Unnamed);
    let (server, _) = listener.accept().unwrap();
    let s = unix_by_inode(server.inode().unwrap()).expect("accepted socket listed");
    assert_eq!(s.state, SocketState::CONNECTED);
    assert_eq!(s.tcp_state(), TcpState::Established);
    // The accepted socket shares the listener's name.
    assert_eq!(s.path(), e.path());

    let name = format!("zs-proc-{}-abstract", std::process::id());
    let dgram = UnixDatagram::bind(&UnixAddr::new_abstract(name.as_bytes()).unwrap()).unwrap();
    let d = unix_by_inode(dgram.inode().unwrap()).expect("datagram socket listed");
    assert_eq!(d.socket_type, Type::DGRAM);
    assert_eq!(d.path(), UnixAddrKind::Abstract(name.as_bytes()));
    assert_eq!(d.path_bytes()[0], b'@');
    assert_eq!(d.tcp_state(), TcpState::Close);
    assert!(!d.is_listening());

    let (p, q) = UnixSeqpacket::pair().unwrap();
    for socket in [&p, &q] {
        let e = unix_by_inode(socket.inode().unwrap()).expect("seqpacket listed");
        assert_eq!(e.socket_type, Type::SEQPACKET);
        assert_eq!(e.state, SocketState::CONNECTED);
        assert_eq!(e.path(), UnixAddrKind::Unnamed);
    }
}

#[test]
fn inode_to_fd_finds_the_right_fd() {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let udp = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let (a, _b) = UnixStream::pair().unwrap();
    let dup = a.try_clone().unwrap();
    let mut buf = [0u8; 1024];
    for (fd, inode) in [
        (listener.as_raw_fd(), listener.inode().unwrap()),
        (udp.as_raw_fd(), udp.inode().unwrap()),
    ] {
        assert_eq!(find_fd(Process::Current, inode, &mut buf), Ok(Some(fd)));
        let pid = Process::Pid(std::process::id());
        assert_eq!(find_fd(pid, inode, &mut buf), Ok(Some(fd)));
    }
    // Both fds of a dup'd socket are listed with the same inode.
    let holders: Vec<_> = SocketFds::open(Process::Current, &mut buf)
        .unwrap()
        .map(Result::unwrap)
        .filter(|s| s.inode == a.inode().unwrap())
        .map(|s| s.fd)
        .collect();
    assert!(
        holders.contains(&a.as_raw_fd()) && holders.contains(&dup.as_raw_fd()),
        "{holders:?}"
    );
    // An inode no socket has.
    assert_eq!(find_fd(Process::Current, u64::MAX, &mut buf), Ok(None));
    // Non-socket fds are passed over.
    let file = fs::File::open("/proc/self/stat").unwrap();
    let file_inode = inode_of(&file);
    assert_eq!(find_fd(Process::Current, file_inode, &mut buf), Ok(None));
    // The smallest buffers still list every socket: one record per call.
    let mut small = [0u8; 32];
    assert_eq!(
        find_fd(Process::Current, listener.inode().unwrap(), &mut small),
        Ok(Some(listener.as_raw_fd()))
    );
    // A buffer too small for one record is the kernel's EINVAL.
    let mut tiny = [0u8; 8];
    assert_eq!(find_fd(Process::Current, 1, &mut tiny), Err(Errno::INVAL));
    // No such process.
    assert_eq!(find_fd(Process::Pid(u32::MAX), 1, &mut buf), Err(Errno::NOENT));
}

#[test]
fn every_real_table_parses() {
    for table in InetTable::ALL {
        let mut buf = [0u8; 256];
        match InetEntries::open(Process::Current, table, &mut buf) {
            Ok(entries) => {
                for e in entries {
                    e.unwrap_or_else(|err| panic!("{table:?}: {err}"));
                }
            }
            // udplite is gone from recent kernels; tcp6 without IPv6.
            Err(Errno::NOENT) => eprintln!("note: /proc/self/net/{} absent", table.file_name()),
            Err(err) => panic!("{table:?}: {err}"),
        }
    }
    let mut buf = [0u8; 256];
    for e in UnixEntries::open(Process::Current, &mut buf).unwrap() {
        e.unwrap();
    }
}

// ---- the line reader, on files whose bytes the test chooses ----

fn file_with(bytes: &[u8]) -> (OwnedFd, TempPath) {
    let path = TempPath::new("table");
    fs::write(&path.0, bytes).unwrap();
    (fs::File::open(&path.0).unwrap().into(), path)
}

const HEADER: &str =
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode";

fn line(sl: u32, port: u16, inode: u64) -> String {
    format!(
        "{sl:4}: 0100007F:{port:04X} 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 {inode} 1 0000000000000000 100 0 0 10 0"
    )
}

/// What iterating the file should give, for a buffer of `cap` bytes: a line
/// of `n` bytes fits if `n + 1 <= cap`.
#[derive(Debug, PartialEq)]
enum Want {
    Entry(u64),
    TooLong(usize),
    Malformed(usize),
}

fn results(fd: OwnedFd, cap: usize) -> Vec<Want> {
    let mut buf = vec![0u8; cap];
    InetEntries::from_fd(fd, &mut buf)
        .take(100)
        .map(|r| match r {
            Ok(e) => Want::Entry(e.inode),
            Err(ProcError::LineTooLong { line, capacity }) => {
                assert_eq!(capacity, cap);
                Want::TooLong(line)
            }
            Err(ProcError::Malformed { line, .. }) => Want::Malformed(line),
            Err(err) => panic!("{err}"),
        })
        .collect()
}

#[test]
fn too_long_and_malformed_lines_are_errors_for_that_line_only() {
    let long = format!("{} {}", line(2, 80, 300), "x".repeat(200));
    let lines = [
        HEADER.to_string(),
        line(0, 1, 100),
        "   1: not a socket line".to_string(),
        long.clone(),
        line(3, 2, 400),
        String::new(),
        line(4, 3, 500), // no newline at the end
    ];
    let text = lines.join("\n");
    for cap in 1..=long.len() + 2 {
        let (fd, _path) = file_with(text.as_bytes());
        let mut want = Vec::new();
        for (i, l) in lines.iter().enumerate().skip(1) {
            let number = i + 1;
            want.push(if l.len() + 1 > cap {
                Want::TooLong(number)
            } else if l.len() > 200 || l.is_empty() || l.contains("not a socket") {
                Want::Malformed(number)
            } else {
                Want::Entry([0, 100, 0, 0, 400, 0, 500][i])
            });
        }
        // The long line parses (extra columns are ignored) once it fits.
        if long.len() < cap {
            want[2] = Want::Entry(300);
        }
        assert_eq!(results(fd, cap), want, "buffer of {cap} bytes");
    }
}

#[test]
fn a_failed_read_is_reported_once_and_ends_the_iteration() {
    let dir: OwnedFd = fs::File::open("/proc/self").unwrap().into();
    let mut buf = [0u8; 64];
    let got: Vec<_> = InetEntries::from_fd(dir, &mut buf).take(10).collect();
    assert_eq!(got, vec![Err(ProcError::Os(Errno::ISDIR))]);
}

#[test]
fn no_such_process_is_enoent() {
    let mut buf = [0u8; 64];
    assert_eq!(
        InetEntries::open(Process::Pid(u32::MAX), InetTable::Tcp, &mut buf).err(),
        Some(Errno::NOENT)
    );
    assert_eq!(
        UnixEntries::open(Process::Pid(u32::MAX), &mut buf).err(),
        Some(Errno::NOENT)
    );
}
