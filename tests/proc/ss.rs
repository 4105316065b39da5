//! Differential test: zerosock's reading of `/proc/self/net/*` against
//! iproute2's `ss`, which asks the kernel over netlink (`sock_diag`), for
//! the sockets this test makes on loopback: the same states, addresses and
//! queues (for TCP and UDP) and the same states, types and names (for Unix
//! sockets, whose `/proc` table has no queues).
//!
//! Needs `ss` (iproute2); says SKIPPED (`common::skip`) without it.

use crate::common::skip;
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::process::Command;
use std::thread::sleep;
use std::time::Duration;

use zerosock::addr::UnixAddr;
use zerosock::proc::{InetEntries, InetEntry, InetTable, Process, UnixEntries, UnixEntry};
use zerosock::{
    Shutdown, TcpListener, TcpStream, Type, UdpSocket, UnixDatagram, UnixListener, UnixSeqpacket, UnixStream,
};

fn ss(args: &str) -> Option<String> {
    let out = Command::new("ss").arg(args).output().ok()?;
    assert!(
        out.status.success(),
        "ss {args}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8(out.stdout).expect("ss prints UTF-8"))
}

/// One socket as ss prints it.
#[derive(Debug, Clone, PartialEq)]
struct SsRow {
    state: String,
    recv_q: u64,
    send_q: u64,
    local: String,
    peer: String,
}

/// `ss -tanHe` / `ss -uanHe` rows by inode (`ino:N`).
fn ss_inet(args: &str) -> Option<HashMap<u64, SsRow>> {
    let text = ss(args)?;
    let mut rows = HashMap::new();
    for line in text.lines() {
        let t: Vec<&str> = line.split_whitespace().collect();
        let Some(ino) = t.iter().find_map(|t| t.strip_prefix("ino:")) else {
            continue;
        };
        let row = SsRow {
            state: t[0].into(),
            recv_q: t[1].parse().unwrap(),
            send_q: t[2].parse().unwrap(),
            local: t[3].into(),
            peer: t[4].into(),
        };
        rows.insert(ino.parse().unwrap(), row);
    }
    Some(rows)
}

/// `ss -xanH` rows by inode (the local "port" column), with the netid in
/// `peer`'s place: Netid State Recv-Q Send-Q Local Inode Peer PeerInode.
fn ss_unix() -> Option<HashMap<u64, (String, SsRow)>> {
    let text = ss("-xanH")?;
    let mut rows = HashMap::new();
    for line in text.lines() {
        let t: Vec<&str> = line.split_whitespace().collect();
        if t.len() < 8 {
            continue; // a name with spaces; not one of ours
        }
        let row = SsRow {
            state: t[1].into(),
            recv_q: t[2].parse().unwrap(),
            send_q: t[3].parse().unwrap(),
            local: t[4].into(),
            peer: t[6].into(),
        };
        if let Ok(inode) = t[5].parse() {
            rows.insert(inode, (t[0].to_string(), row));
        }
    }
    Some(rows)
}

/// Parses ss's `addr:port`: `127.0.0.1:80`, `[::1]:80`, `0.0.0.0:*`,
/// `*:80`. `None` for the address means ss's `*` (any).
fn parse_ss_addr(text: &str) -> (Option<IpAddr>, u16) {
    let (host, port) = text.rsplit_once(':').expect("addr:port");
    let port = if port == "*" { 0 } else { port.parse().unwrap() };
    let host = match host {
        "*" => None,
        h if h.starts_with('[') => {
            let inner = h.trim_start_matches('[').trim_end_matches(']');
            let inner = inner.split('%').next().unwrap();
            Some(IpAddr::V6(inner.parse().unwrap()))
        }
        h => Some(IpAddr::V4(h.parse().unwrap())),
    };
    (host, port)
}

fn same_addr(ss_text: &str, ours: SocketAddr) -> bool {
    let (host, port) = parse_ss_addr(ss_text);
    port == ours.port()
        && host.is_none_or(|h| h == ours.ip())
        && (host.is_some() || ours.ip().is_unspecified())
}

/// Differences between ss's row and ours, as text (empty if none).
fn diff_inet(name: &str, ss: &SsRow, e: &InetEntry, listen_backlog: Option<u64>) -> Vec<String> {
    let mut out = Vec::new();
    if ss.state != e.ss_state() {
        out.push(format!("{name}: state ss {} /proc {}", ss.state, e.ss_state()));
    }
    if !same_addr(&ss.local, e.local) {
        out.push(format!("{name}: local ss {} /proc {}", ss.local, e.local));
    }
    if !same_addr(&ss.peer, e.remote) {
        out.push(format!("{name}: peer ss {} /proc {}", ss.peer, e.remote));
    }
    if ss.recv_q != u64::from(e.rx_queue) {
        out.push(format!("{name}: Recv-Q ss {} /proc {}", ss.recv_q, e.rx_queue));
    }
    // For a listener ss's Send-Q is the backlog, which /proc does not show.
    let want_send_q = listen_backlog.unwrap_or(u64::from(e.tx_queue));
    if ss.send_q != want_send_q {
        out.push(format!("{name}: Send-Q ss {} want {want_send_q}", ss.send_q));
    }
    out
}

fn diff_unix(name: &str, netid: &str, ss: &SsRow, e: &UnixEntry) -> Vec<String> {
    let mut out = Vec::new();
    let want_netid = match e.socket_type {
        Type::STREAM => "u_str",
        Type::DGRAM => "u_dgr",
        Type::SEQPACKET => "u_seq",
        other => panic!("{name}: unexpected type {other:?}"),
    };
    if netid != want_netid {
        out.push(format!("{name}: netid ss {netid} /proc {want_netid}"));
    }
    if ss.state != e.tcp_state().ss_name() {
        out.push(format!(
            "{name}: state ss {} /proc {}",
            ss.state,
            e.tcp_state().ss_name()
        ));
    }
    let ours = match e.path_bytes() {
        [] => "*".to_string(),
        bytes => String::from_utf8_lossy(bytes).into_owned(),
    };
    if ss.local != ours {
        out.push(format!("{name}: name ss {} /proc {ours}", ss.local));
    }
    out
}

fn ours_by_inode(table: InetTable) -> HashMap<u64, InetEntry> {
    let mut buf = [0u8; 4096];
    InetEntries::open(Process::Current, table, &mut buf)
        .unwrap()
        .map(Result::unwrap)
        .filter(|e| e.inode != 0)
        .map(|e| (e.inode, e))
        .collect()
}

fn unix_by_inode() -> HashMap<u64, UnixEntry> {
    let mut buf = [0u8; 4096];
    UnixEntries::open(Process::Current, &mut buf)
        .unwrap()
        .map(Result::unwrap)
        .map(|e| (e.inode, e))
        .collect()
}

#[test]
fn proc_tables_agree_with_ss() {
    if Command::new("ss").arg("-V").output().is_err() {
        skip("ss (iproute2) is not installed");
        return;
    }

    // TCP over IPv4: a listener with one connection waiting to be accepted,
    // an accepted pair with 5 bytes unread, and a half-closed pair
    // (FIN_WAIT2 / CLOSE_WAIT).
    let listener = TcpListener::bind_with_backlog((Ipv4Addr::LOCALHOST, 0), 7).unwrap();
    let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (server, _) = listener.accept().unwrap();
    client.send_all(b"12345").unwrap();
    let half = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (half_server, _) = listener.accept().unwrap();
    half.shutdown(Shutdown::Write).unwrap();
    let _waiting = TcpStream::connect(listener.local_addr().unwrap()).unwrap();

    let mut tcp: Vec<(&str, u64, InetTable, Option<u64>)> = vec![
        ("tcp listener", listener.inode().unwrap(), InetTable::Tcp, Some(7)),
        ("tcp client", client.inode().unwrap(), InetTable::Tcp, None),
        ("tcp server", server.inode().unwrap(), InetTable::Tcp, None),
        ("tcp half-closed", half.inode().unwrap(), InetTable::Tcp, None),
        (
            "tcp close-wait",
            half_server.inode().unwrap(),
            InetTable::Tcp,
            None,
        ),
    ];

    // TCP over IPv6, if there is ::1.
    let v6 = TcpListener::bind_with_backlog((Ipv6Addr::LOCALHOST, 0), 3).ok();
    let v6_pair = v6.as_ref().map(|l| {
        let c = TcpStream::connect(l.local_addr().unwrap()).unwrap();
        let (s, _) = l.accept().unwrap();
        c.send_all(b"seven!!").unwrap();
        (c, s)
    });
    if let (Some(l), Some((c, s))) = (&v6, &v6_pair) {
        tcp.push(("tcp6 listener", l.inode().unwrap(), InetTable::Tcp6, Some(3)));
        tcp.push(("tcp6 client", c.inode().unwrap(), InetTable::Tcp6, None));
        tcp.push(("tcp6 server", s.inode().unwrap(), InetTable::Tcp6, None));
    } else {
        eprintln!("note: no IPv6 loopback; IPv6 sockets not compared");
    }

    // UDP: an unconnected socket holding an unread datagram, and the
    // connected sender.
    let udp = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let sender = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    sender.connect(udp.local_addr().unwrap()).unwrap();
    sender.send(b"abc").unwrap();
    let mut udp_rows = vec![
        ("udp unconnected", udp.inode().unwrap(), InetTable::Udp),
        ("udp connected", sender.inode().unwrap(), InetTable::Udp),
    ];
    let udp6 = UdpSocket::bind((Ipv6Addr::LOCALHOST, 0)).ok();
    if let Some(u) = &udp6 {
        udp_rows.push(("udp6", u.inode().unwrap(), InetTable::Udp6));
    }

    // Unix: a pathname listener and its accepted socket, an abstract
    // datagram socket, an unnamed stream pair and a seqpacket pair.
    let path = std::env::temp_dir().join(format!("zs-proc-ss-{}.sock", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let unix_listener =
        UnixListener::bind(&UnixAddr::new(path.as_os_str().as_encoded_bytes()).unwrap()).unwrap();
    let unix_client =
        UnixStream::connect(&UnixAddr::new(path.as_os_str().as_encoded_bytes()).unwrap()).unwrap();
    let (unix_server, _) = unix_listener.accept().unwrap();
    let abstract_name = format!("zs-proc-ss-{}", std::process::id());
    let dgram = UnixDatagram::bind(&UnixAddr::new_abstract(abstract_name.as_bytes()).unwrap()).unwrap();
    let (pa, pb) = UnixStream::pair().unwrap();
    let (qa, _qb) = UnixSeqpacket::pair().unwrap();
    let unix_rows = [
        ("unix listener", unix_listener.inode().unwrap()),
        ("unix client", unix_client.inode().unwrap()),
        ("unix server", unix_server.inode().unwrap()),
        ("unix abstract dgram", dgram.inode().unwrap()),
        ("unix pair a", pa.inode().unwrap()),
        ("unix pair b", pb.inode().unwrap()),
        ("unix seqpacket", qa.inode().unwrap()),
    ];

    // The kernel finishes handshakes, ACKs and FINs a moment after the calls
    // return; compare until both views agree, at most 100 times.
    let mut last = Vec::new();
    for _ in 0..100 {
        let before = (ours_by_inode(InetTable::Tcp), ours_by_inode(InetTable::Tcp6));
        let ss_tcp = ss_inet("-tanHe").unwrap();
        let ss_udp = ss_inet("-uanHe").unwrap();
        let ss_x = ss_unix().unwrap();
        let udp4 = ours_by_inode(InetTable::Udp);
        let udp6_ours = ours_by_inode(InetTable::Udp6);
        let ux = unix_by_inode();
        let after = (ours_by_inode(InetTable::Tcp), ours_by_inode(InetTable::Tcp6));
        let mut diffs = Vec::new();
        // Only our sockets: other processes' come and go.
        for &(name, inode, ..) in &tcp {
            let pick = |m: &(HashMap<u64, InetEntry>, HashMap<u64, InetEntry>)| {
                m.0.get(&inode).or(m.1.get(&inode)).copied()
            };
            if pick(&before) != pick(&after) {
                diffs.push(format!("{name}: /proc changed while ss ran"));
            }
        }
        for &(name, inode, table, backlog) in &tcp {
            let ours = if table == InetTable::Tcp {
                &after.0
            } else {
                &after.1
            };
            match (ss_tcp.get(&inode), ours.get(&inode)) {
                (Some(ss), Some(e)) => diffs.extend(diff_inet(name, ss, e, backlog)),
                (s, o) => diffs.push(format!("{name}: ss {s:?} /proc {o:?}")),
            }
        }
        for &(name, inode, table) in &udp_rows {
            let ours = if table == InetTable::Udp {
                &udp4
            } else {
                &udp6_ours
            };
            match (ss_udp.get(&inode), ours.get(&inode)) {
                (Some(ss), Some(e)) => diffs.extend(diff_inet(name, ss, e, None)),
                (s, o) => diffs.push(format!("{name}: ss {s:?} /proc {o:?}")),
            }
        }
        for &(name, inode) in &unix_rows {
            match (ss_x.get(&inode), ux.get(&inode)) {
                (Some((netid, ss)), Some(e)) => diffs.extend(diff_unix(name, netid, ss, e)),
                (s, o) => diffs.push(format!("{name}: ss {s:?} /proc {o:?}")),
            }
        }
        // The states the test set up, so agreement is not agreement on nothing.
        let state = |inode: u64| after.0.get(&inode).map(InetEntry::ss_state);
        let expected = [
            (listener.inode().unwrap(), "LISTEN"),
            (server.inode().unwrap(), "ESTAB"),
            (half.inode().unwrap(), "FIN-WAIT-2"),
            (half_server.inode().unwrap(), "CLOSE-WAIT"),
        ];
        for (inode, want) in expected {
            if state(inode) != Some(want) {
                diffs.push(format!("inode {inode}: /proc {:?}, want {want}", state(inode)));
            }
        }
        if after.0.get(&server.inode().unwrap()).map(|e| e.rx_queue) != Some(5) {
            diffs.push("server's 5 unread bytes not queued yet".into());
        }
        if diffs.is_empty() {
            eprintln!(
                "compared {} TCP, {} UDP and {} Unix sockets with ss: all agree",
                tcp.len(),
                udp_rows.len(),
                unix_rows.len()
            );
            let _ = std::fs::remove_file(&path);
            return;
        }
        last = diffs;
        sleep(Duration::from_millis(20));
    }
    let _ = std::fs::remove_file(&path);
    panic!("/proc and ss disagree:\n{}", last.join("\n"));
}
