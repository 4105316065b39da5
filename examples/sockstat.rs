//! sockstat: a process's sockets, as `ss -tuxanp` would show them, read
//! through sock_diag (the kernel's socket tables over netlink, as `ss` reads
//! them), or from `/proc` with zerosock's allocation-free table readers when
//! sock_diag is not available or the process is in another network
//! namespace.
//!
//! ```text
//! cargo run --example sockstat -- [PID]
//! ```
//!
//! With a PID, lists that process's sockets (you need the right to read its
//! `/proc/<pid>/fd`: the same user, or root). Without one, lists its own —
//! and to have something to show it first opens a few: a TCP listener on
//! 127.0.0.1 with one accepted connection holding 5 unread bytes, a TCP
//! listener on [::1] (if IPv6 is up), a UDP socket on 127.0.0.1 holding an
//! unread datagram, an abstract Unix listener and a Unix stream pair.
//!
//! How: the links `/proc/<pid>/fd/<n> -> socket:[inode]` give the process's
//! sockets by inode ([`SocketFds`]); the tables `/proc/<pid>/net/{tcp,tcp6,
//! udp,udp6,raw,raw6,unix}` give every socket of its network namespace by
//! inode ([`InetEntries`], [`UnixEntries`]); the rows whose inode the
//! process holds are its sockets. As in the document this follows, the
//! tables show queues (for a listener, Recv-Q is the accept queue; `ss`
//! shows its backlog as Send-Q, which `/proc` does not have) but not a Unix
//! socket's peer. sock_diag gives the same rows by inode, with Unix queues
//! and peers (the peer column shows the peer's inode, as `ss` does).

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::process::ExitCode;

use zerosock::Errno;
use zerosock::addr::{UnixAddr, UnixAddrKind};
use zerosock::proc::{InetEntries, InetTable, Process, SocketFds, UnixEntries};
use zerosock::{TcpListener, TcpStream, UdpSocket, UnixListener, UnixStream};

/// The sockets the example opens to show itself.
struct Demo {
    _sockets: (
        TcpListener,
        TcpStream,
        TcpStream,
        Option<TcpListener>,
        UdpSocket,
        UdpSocket,
    ),
    _unix: (UnixListener, UnixStream, UnixStream),
}

fn open_demo_sockets() -> Result<Demo, Errno> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    let client = TcpStream::connect(listener.local_addr()?)?;
    let (server, _) = listener.accept()?;
    client
        .send_all(b"hello")
        .map_err(|e| e.errno().unwrap_or(Errno::IO))?;
    let v6 = TcpListener::bind((Ipv6Addr::LOCALHOST, 0)).ok();
    let udp = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0))?;
    let sender = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0))?;
    sender.send_to(b"datagram", udp.local_addr()?)?;
    let name = format!("zerosock-sockstat-{}", std::process::id());
    let unix = UnixListener::bind(&UnixAddr::new_abstract(name.as_bytes()).expect("short name"))?;
    let (a, b) = UnixStream::pair()?;
    Ok(Demo {
        _sockets: (listener, client, server, v6, udp, sender),
        _unix: (unix, a, b),
    })
}

/// `ip:port` as ss prints it: IPv6 in brackets, port 0 as `*`.
fn ss_addr(addr: SocketAddr) -> String {
    let port = match addr.port() {
        0 => "*".to_string(),
        p => p.to_string(),
    };
    match addr {
        SocketAddr::V4(a) => format!("{}:{port}", a.ip()),
        SocketAddr::V6(a) => format!("[{}]:{port}", a.ip()),
    }
}

fn fds_text(fds: &[i32]) -> String {
    fds.iter().map(i32::to_string).collect::<Vec<_>>().join(",")
}

/// The rows of the held sockets from sock_diag, if it can answer for the
/// process: `None` if sock_diag is unavailable or the process is in
/// another network namespace (sock_diag sees only our own).
fn print_from_sock_diag(process: Process, fds_by_inode: &BTreeMap<u64, Vec<i32>>) -> Option<usize> {
    use zerosock::netlink::diag::{InetQuery, SockDiag, UnixQuery};
    use zerosock::{Domain, Protocol, Type};
    if let Process::Pid(pid) = process {
        let ns = |p: &str| std::fs::read_link(format!("/proc/{p}/ns/net")).ok();
        if ns("self").is_none() || ns("self") != ns(&pid.to_string()) {
            return None;
        }
    }
    let diag = SockDiag::open().ok()?;
    let mut buf = vec![0u8; 32 * 1024];
    let mut shown = 0;
    let mut row = |netid: &str, state: &str, rq: u32, wq: u32, local: String, peer: String, inode: u32| {
        if let Some(fds) = fds_by_inode.get(&u64::from(inode)) {
            println!(
                "{netid:<6} {state:<11} {rq:>6} {wq:>6} {local:<40} {peer:<40} {}",
                fds_text(fds)
            );
            shown += 1;
        }
    };
    for (netid, protocol) in [("tcp", Protocol::TCP), ("udp", Protocol::UDP)] {
        for family in [Domain::INET, Domain::INET6] {
            diag.inet(&InetQuery::new(family, protocol), &mut buf, |s| {
                let state = s.tcp_state().map_or("?", |st| st.ss_name());
                row(
                    netid,
                    state,
                    s.recv_queue(),
                    s.send_queue(),
                    ss_addr(s.local()),
                    ss_addr(s.remote()),
                    s.inode(),
                );
            })
            .ok()?;
        }
    }
    diag.unix(&UnixQuery::default(), &mut buf, |s| {
        let netid = match s.ty() {
            Type::STREAM => "u_str",
            Type::DGRAM => "u_dgr",
            Type::SEQPACKET => "u_seq",
            _ => "u_???",
        };
        let state = match s.state() {
            10 => "LISTEN",
            1 => "ESTAB",
            _ => "UNCONN",
        };
        let name = match s.name() {
            None => "*".to_string(),
            Some([0, rest @ ..]) => format!("@{}", String::from_utf8_lossy(rest)),
            Some(path) => String::from_utf8_lossy(path).into_owned(),
        };
        let (rq, wq) = s.queues().unwrap_or((0, 0));
        let peer = format!("* {}", s.peer().unwrap_or(0));
        row(
            netid,
            state,
            rq,
            wq,
            format!("{name} {}", s.inode()),
            peer,
            s.inode(),
        );
    })
    .ok()?;
    Some(shown)
}

const USAGE: &str = "usage: sockstat [PID]\n\n\
    Lists a process's sockets (by default its own, with a few it opens) as\n\
    `ss -tuxanp` would, read from /proc.";

/// What the command line asks for: a process, or the usage text.
enum Args {
    Show(Process),
    Help,
}

/// Parses `[PID]`; the error says which argument was wrong and why.
fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let first = args.next();
    if let Some(extra) = args.next() {
        return Err(format!("unexpected argument '{extra}'"));
    }
    match first.as_deref() {
        None => Ok(Args::Show(Process::Current)),
        Some("-h" | "--help") => Ok(Args::Help),
        Some(arg) => match arg.parse() {
            Ok(pid) => Ok(Args::Show(Process::Pid(pid))),
            Err(err) => Err(format!("'{arg}' is not a process id ({err})")),
        },
    }
}

fn main() -> ExitCode {
    let process = match parse_args(std::env::args().skip(1)) {
        Ok(Args::Show(process)) => process,
        Ok(Args::Help) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(why) => {
            eprintln!("sockstat: {why}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let _demo = match process {
        Process::Current => match open_demo_sockets() {
            Ok(demo) => Some(demo),
            Err(err) => {
                eprintln!("sockstat: opening the demo sockets: {err}");
                return ExitCode::FAILURE;
            }
        },
        Process::Pid(_) => None,
    };

    // Which inodes the process holds, and in which fds.
    let mut buf = [0u8; 4096];
    let mut fds_by_inode: BTreeMap<u64, Vec<i32>> = BTreeMap::new();
    match SocketFds::open(process, &mut buf) {
        Ok(fds) => {
            for socket in fds {
                match socket {
                    Ok(s) => fds_by_inode.entry(s.inode).or_default().push(s.fd),
                    Err(err) => eprintln!("sockstat: reading fds: {err}"),
                }
            }
        }
        Err(err) => {
            eprintln!("sockstat: /proc/{process}/fd: {err}");
            return ExitCode::FAILURE;
        }
    }

    println!(
        "{:<6} {:<11} {:>6} {:>6} {:<40} {:<40} Fd",
        "Netid", "State", "Recv-Q", "Send-Q", "Local Address:Port", "Peer Address:Port"
    );
    // sock_diag first; the /proc tables when it cannot answer.
    let diag = print_from_sock_diag(process, &fds_by_inode);
    let mut shown = diag.unwrap_or(0);
    for table in InetTable::ALL.into_iter().filter(|_| diag.is_none()) {
        let entries = match InetEntries::open(process, table, &mut buf) {
            Ok(entries) => entries,
            Err(Errno::NOENT) => continue, // e.g. no udplite, or no IPv6
            Err(err) => {
                eprintln!("sockstat: {}: {err}", table.file_name());
                continue;
            }
        };
        for entry in entries {
            let e = match entry {
                Ok(e) => e,
                Err(err) => {
                    eprintln!("sockstat: {}: {err}", table.file_name());
                    continue;
                }
            };
            let Some(fds) = fds_by_inode.get(&e.inode) else {
                continue;
            };
            println!(
                "{:<6} {:<11} {:>6} {:>6} {:<40} {:<40} {}",
                table.netid(),
                e.ss_state(),
                e.rx_queue,
                e.tx_queue,
                ss_addr(e.local),
                ss_addr(e.remote),
                fds_text(fds)
            );
            shown += 1;
        }
    }
    match diag.map_or_else(|| UnixEntries::open(process, &mut buf).map(Some), |_| Ok(None)) {
        Ok(None) => {}
        Ok(Some(entries)) => {
            for entry in entries {
                let e = match entry {
                    Ok(e) => e,
                    Err(err) => {
                        eprintln!("sockstat: unix: {err}");
                        continue;
                    }
                };
                let Some(fds) = fds_by_inode.get(&e.inode) else {
                    continue;
                };
                let netid = match e.socket_type {
                    zerosock::Type::STREAM => "u_str",
                    zerosock::Type::DGRAM => "u_dgr",
                    zerosock::Type::SEQPACKET => "u_seq",
                    _ => "u_???",
                };
                let name = match e.path() {
                    UnixAddrKind::Unnamed => "*".to_string(),
                    _ => String::from_utf8_lossy(e.path_bytes()).into_owned(),
                };
                // ss shows a Unix socket's inode as its "port"; /proc has no
                // queues or peer for it.
                println!(
                    "{:<6} {:<11} {:>6} {:>6} {:<40} {:<40} {}",
                    netid,
                    e.tcp_state().ss_name(),
                    "-",
                    "-",
                    format!("{name} {}", e.inode),
                    "*",
                    fds_text(fds)
                );
                shown += 1;
            }
        }
        Err(err) => eprintln!("sockstat: unix: {err}"),
    }
    // Sockets held but found in no table: another namespace's, netlink, …
    let listed = shown;
    let held = fds_by_inode.len();
    if listed < held {
        eprintln!("({} socket(s) of other families not shown)", held - listed);
    }
    ExitCode::SUCCESS
}
