//! Which process holds which socket, read from `/proc`: a socket's inode
//! (its `socket:[N]` link in `/proc/PID/fd`, the `inode` column of
//! `/proc/net/tcp`), the processes whose fds name it, and the children of
//! this process that still hold copies of its sockets.
//!
//! Why the children matter: a child that any test thread starts
//! (`Command::spawn`: posix_spawn's vfork natively, a full fork under
//! qemu-user) gets a copy of every fd the whole process has open at that
//! moment, `FD_CLOEXEC` ones included, and holds it until it execs. A
//! socket another thread closes in that window stays open there: a closed
//! listener still completes handshakes, a closed port stays bound, a closed
//! UDP port still swallows datagrams. A test that closes a socket and then
//! relies on its being gone (connect refused, the port free again, an ICMP
//! port-unreachable) first calls [`await_release`] with the socket's
//! [`inode`]: it returns once no child holds a copy (no later child can
//! get one) and the kernel has released the socket.
//!
//! Only direct children are looked at: a child forked by `Command` execs
//! without forking again, and after the exec it holds none of our sockets
//! (every socket of the crate and of std is `FD_CLOEXEC`).

use std::net::Ipv4Addr;
use std::os::fd::{AsFd, AsRawFd};
use std::path::Path;
use std::time::{Duration, Instant};

/// The inode of the socket `fd`: the `N` of its `socket:[N]` link.
#[track_caller]
pub fn inode(fd: &impl AsFd) -> u64 {
    let link = std::fs::read_link(format!("/proc/self/fd/{}", fd.as_fd().as_raw_fd()))
        .expect("read the fd's /proc/self/fd link");
    let link = link.to_string_lossy();
    link.strip_prefix("socket:[")
        .and_then(|rest| rest.strip_suffix(']'))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("not a socket: {link}"))
}

/// Whether process `pid` has an fd open on one of the sockets `inodes`.
pub fn holds(pid: u32, inodes: &[u64]) -> bool {
    if inodes.is_empty() {
        return false;
    }
    let links: Vec<String> = inodes.iter().map(|i| format!("socket:[{i}]")).collect();
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .map(|fds| {
            fds.flatten().any(|fd| {
                std::fs::read_link(fd.path()).is_ok_and(|t| links.iter().any(|l| t.as_os_str() == l.as_str()))
            })
        })
        .unwrap_or(false)
}

/// Whether process `pid` runs `bin` (`/proc/<pid>/exe`): not before a child
/// of our fork has exec'd it.
pub fn runs(pid: u32, bin: &Path) -> bool {
    let exe = std::fs::read_link(format!("/proc/{pid}/exe"));
    exe.is_ok_and(|exe| exe == bin || std::fs::canonicalize(bin).is_ok_and(|bin| exe == bin))
}

/// The inodes of the TCP sockets listening on `ip`:`port`, from the
/// `LISTEN` (`0A`) lines of `/proc/net/tcp`.
pub fn tcp_listeners(ip: Ipv4Addr, port: u16) -> Vec<u64> {
    // The address as the kernel prints it: the network-order word as the
    // kernel's CPU reads it, which under qemu-user need not be ours: both
    // byte orders are accepted.
    let word = u32::from_ne_bytes(ip.octets());
    let local = [
        format!("{word:08X}:{port:04X}"),
        format!("{:08X}:{port:04X}", word.swap_bytes()),
    ];
    std::fs::read_to_string("/proc/net/tcp")
        .unwrap_or_default()
        .lines()
        .skip(1)
        .filter_map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            let (addr, state, inode) = (*f.get(1)?, *f.get(3)?, *f.get(9)?);
            (local.iter().any(|l| l == addr) && state == "0A").then(|| inode.parse().ok())?
        })
        .collect()
}

/// Whether process `pid` holds a socket listening on `ip`:`port`: the
/// proof that a server child listens there itself, where a TCP probe
/// could have reached a copy of another socket (see the module's docs).
pub fn listens(pid: u32, ip: Ipv4Addr, port: u16) -> bool {
    holds(pid, &tcp_listeners(ip, port))
}

/// The pids of this process's children: the processes whose parent
/// (field 4 of `/proc/PID/stat`) is this process.
pub fn children() -> Vec<u32> {
    let me = std::process::id();
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|&pid| {
            // `pid (comm) state ppid …`: comm may hold spaces and
            // parentheses, so the fields are counted after the last ')'.
            std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
                stat.rsplit_once(')')
                    .and_then(|(_, rest)| rest.split_whitespace().nth(1)?.parse::<u32>().ok())
                    == Some(me)
            })
        })
        .collect()
}

/// The children of this process that hold a copy of socket `inode`.
pub fn children_holding(inode: u64) -> Vec<u32> {
    children()
        .into_iter()
        .filter(|&pid| holds(pid, &[inode]))
        .collect()
}

/// Whether socket `inode` is still in one of the socket tables of the
/// calling thread's network namespace (`/proc/thread-self/net/tcp`, `udp`,
/// their v6 twins, `raw`, `packet`, `unix`): whether the kernel has not
/// released it yet. A
/// socket whose last fd a child closed at its exec is released only when
/// that child returns from the exec (the kernel defers the final close to
/// it), so a child's fd table can show it gone a moment before its port
/// is free. A socket of another namespace is in none of these tables: ask
/// from a thread in that namespace.
pub fn in_socket_tables(inode: u64) -> bool {
    // Each table and the column of its inode.
    const TABLES: [(&str, usize); 8] = [
        ("tcp", 9),
        ("tcp6", 9),
        ("udp", 9),
        ("udp6", 9),
        ("raw", 9),
        ("raw6", 9),
        ("packet", 8),
        ("unix", 6),
    ];
    let inode = inode.to_string();
    TABLES.iter().any(|(table, column)| {
        std::fs::read_to_string(format!("/proc/thread-self/net/{table}"))
            .unwrap_or_default()
            .lines()
            .skip(1)
            .any(|line| line.split_whitespace().nth(*column) == Some(inode.as_str()))
    })
}

/// Waits until socket `inode`, which this process has closed, is released
/// everywhere: no child of this process holds a copy of it, and the
/// kernel has released it ([`in_socket_tables`]); panics if that takes
/// longer than `within`. Children forked after our close never had it.
#[track_caller]
pub fn await_release(inode: u64, within: Duration) {
    let deadline = Instant::now() + within;
    loop {
        let holders = children_holding(inode);
        if holders.is_empty() && !in_socket_tables(inode) {
            return;
        }
        if Instant::now() >= deadline {
            let exes: Vec<String> = holders
                .iter()
                .map(|pid| {
                    let exe = std::fs::read_link(format!("/proc/{pid}/exe"));
                    format!(
                        "{pid} ({})",
                        exe.map(|p| p.display().to_string()).unwrap_or_default()
                    )
                })
                .collect();
            panic!(
                "socket:[{inode}] is still held by children {exes:?} (in the socket tables: {}) after {within:?}",
                in_socket_tables(inode)
            );
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}
