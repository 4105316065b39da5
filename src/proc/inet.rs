//! The IP socket tables, `/proc/net/{tcp,tcp6,udp,udp6,udplite,udplite6,raw,raw6}`:
//! one line per socket with hex addresses, the state, queues, timer, uid and
//! inode, decoded into [`InetEntry`].

use core::net::{Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

use rustix::fd::OwnedFd;

use super::reader::{
    Fields, Lines, Malformed, Process, dec, dec_i32, dec32, hex, hex32, split2, table_entries,
};
use crate::error::Errno;
use crate::flags::Protocol;
use crate::opt::TcpState;

impl TcpState {
    /// The name ss(8) prints for the state: `ESTAB`, `LISTEN`, `TIME-WAIT`,
    /// `UNCONN` for [`Close`](Self::Close) (an unconnected UDP or raw
    /// socket is in `Close` too), …
    ///
    /// ```
    /// use zerosock::opt::TcpState;
    /// assert_eq!(TcpState::TimeWait.ss_name(), "TIME-WAIT");
    /// assert_eq!(TcpState::Close.ss_name(), "UNCONN");
    /// ```
    ///
    /// # References
    /// - [ss(8)](https://man7.org/linux/man-pages/man8/ss.8.html)
    #[must_use]
    pub const fn ss_name(self) -> &'static str {
        match self {
            Self::Established => "ESTAB",
            Self::SynSent => "SYN-SENT",
            Self::SynRecv | Self::NewSynRecv => "SYN-RECV",
            Self::FinWait1 => "FIN-WAIT-1",
            Self::FinWait2 => "FIN-WAIT-2",
            Self::TimeWait => "TIME-WAIT",
            Self::Close => "UNCONN",
            Self::CloseWait => "CLOSE-WAIT",
            Self::LastAck => "LAST-ACK",
            Self::Listen => "LISTEN",
            Self::Closing => "CLOSING",
            Self::BoundInactive => "BOUND-INACTIVE",
        }
    }
}

/// Which timer is pending on a socket: the `tr` column.
///
/// ```
/// use zerosock::proc::Timer;
/// assert_eq!(Timer::KEEPALIVE.raw(), 2);
/// assert_eq!(Timer::KEEPALIVE.ss_name(), "keepalive");
/// ```
///
/// # References
/// - [proc_pid_net(5)](https://man7.org/linux/man-pages/man5/proc_pid_net.5.html)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(transparent)]
pub struct Timer(u8);

impl Timer {
    /// No timer (0).
    pub const NONE: Self = Self(0);
    /// Retransmission, reordering or tail-loss-probe timer (1); also the
    /// SYN-ACK timer of a request socket.
    pub const RETRANSMIT: Self = Self(1);
    /// Keep-alive (or delayed-FIN) timer (2).
    pub const KEEPALIVE: Self = Self(2);
    /// A TIME-WAIT socket's timer (3).
    pub const TIME_WAIT: Self = Self(3);
    /// Zero-window probe timer (4).
    pub const ZERO_WINDOW_PROBE: Self = Self(4);

    /// Wraps a raw timer number.
    #[inline]
    #[must_use]
    pub const fn from_raw(raw: u8) -> Self {
        Self(raw)
    }

    /// The number in the `tr` column.
    #[inline]
    #[must_use]
    pub const fn raw(self) -> u8 {
        self.0
    }

    /// The name `ss -o` prints: `off`, `on`, `keepalive`, `timewait`,
    /// `persist`, or `unknown`.
    #[must_use]
    pub const fn ss_name(self) -> &'static str {
        match self.0 {
            0 => "off",
            1 => "on",
            2 => "keepalive",
            3 => "timewait",
            4 => "persist",
            _ => "unknown",
        }
    }
}

/// Which IP socket table to read: the file under `/proc/<pid>/net/`.
///
/// ```
/// use zerosock::proc::InetTable;
/// assert_eq!(InetTable::Tcp6.file_name(), "tcp6");
/// assert!(InetTable::Tcp6.is_ipv6());
/// ```
///
/// # References
/// - [proc_pid_net(5)](https://man7.org/linux/man-pages/man5/proc_pid_net.5.html)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum InetTable {
    /// `tcp`: IPv4 TCP sockets.
    Tcp,
    /// `tcp6`: IPv6 TCP sockets (IPv4 peers as `::ffff:a.b.c.d`).
    Tcp6,
    /// `udp`: IPv4 UDP sockets.
    Udp,
    /// `udp6`: IPv6 UDP sockets.
    Udp6,
    /// `udplite`: IPv4 UDP-Lite sockets.
    UdpLite,
    /// `udplite6`: IPv6 UDP-Lite sockets.
    UdpLite6,
    /// `raw`: IPv4 raw sockets (the "port" is the protocol number).
    Raw,
    /// `raw6`: IPv6 raw sockets.
    Raw6,
}

impl InetTable {
    /// Every table, IPv4 before IPv6 for each protocol.
    pub const ALL: [Self; 8] = [
        Self::Tcp,
        Self::Tcp6,
        Self::Udp,
        Self::Udp6,
        Self::UdpLite,
        Self::UdpLite6,
        Self::Raw,
        Self::Raw6,
    ];

    /// The file's name under `/proc/<pid>/net/`.
    #[must_use]
    pub const fn file_name(self) -> &'static str {
        match self {
            Self::Tcp => "tcp",
            Self::Tcp6 => "tcp6",
            Self::Udp => "udp",
            Self::Udp6 => "udp6",
            Self::UdpLite => "udplite",
            Self::UdpLite6 => "udplite6",
            Self::Raw => "raw",
            Self::Raw6 => "raw6",
        }
    }

    /// The path under `/proc/<pid>/`.
    const fn tail(self) -> &'static str {
        match self {
            Self::Tcp => "net/tcp",
            Self::Tcp6 => "net/tcp6",
            Self::Udp => "net/udp",
            Self::Udp6 => "net/udp6",
            Self::UdpLite => "net/udplite",
            Self::UdpLite6 => "net/udplite6",
            Self::Raw => "net/raw",
            Self::Raw6 => "net/raw6",
        }
    }

    /// Whether the table lists `AF_INET6` sockets.
    #[must_use]
    pub const fn is_ipv6(self) -> bool {
        matches!(self, Self::Tcp6 | Self::Udp6 | Self::UdpLite6 | Self::Raw6)
    }

    /// The protocol of the table's sockets ([`Protocol::RAW`] stands for
    /// all raw sockets, whatever their protocol).
    #[must_use]
    pub const fn protocol(self) -> Protocol {
        match self {
            Self::Tcp | Self::Tcp6 => Protocol::TCP,
            Self::Udp | Self::Udp6 => Protocol::UDP,
            Self::UdpLite | Self::UdpLite6 => Protocol::UDPLITE,
            Self::Raw | Self::Raw6 => Protocol::RAW,
        }
    }

    /// The short name ss(8) prints in its `Netid` column: `tcp`, `udp`,
    /// `udpl` or `raw` (one name for both families, as ss does).
    #[must_use]
    pub const fn netid(self) -> &'static str {
        match self {
            Self::Tcp | Self::Tcp6 => "tcp",
            Self::Udp | Self::Udp6 => "udp",
            Self::UdpLite | Self::UdpLite6 => "udpl",
            Self::Raw | Self::Raw6 => "raw",
        }
    }
}

/// One line of an IP socket table, decoded.
///
/// Addresses are `core::net` values: the kernel prints each address as the
/// `%08X` of its network-order 32-bit words *as the CPU reads them* (so
/// `127.0.0.1` is `0100007F` on x86), and each port in host order as
/// `%04X`. For raw sockets the local "port" is the protocol number. IPv6
/// flow label and scope id are not in the file and are 0.
///
/// Sockets in `TIME_WAIT` (and those in `FIN_WAIT2` after close) belong to
/// no file any more: their `inode` and `uid` are 0. Find them by address.
///
/// ```
/// use zerosock::opt::TcpState;
/// use zerosock::proc::InetEntry;
/// use core::net::SocketAddr;
///
/// let line = b"   0: 0100007F:1F90 00000000:0000 0A 00000000:00000002 00:00000000 00000000  1000        0 4242 1 0000000000000000 100 0 0 10 0";
/// let entry = InetEntry::parse(line)?;
/// assert_eq!(entry.local, "127.0.0.1:8080".parse::<SocketAddr>().unwrap());
/// assert_eq!(entry.remote, "0.0.0.0:0".parse::<SocketAddr>().unwrap());
/// assert_eq!(entry.state(), Some(TcpState::Listen));
/// assert_eq!((entry.rx_queue, entry.uid, entry.inode), (2, 1000, 4242));
/// # Ok::<(), zerosock::proc::Malformed>(())
/// ```
///
/// # References
/// - [proc_pid_net(5)](https://man7.org/linux/man-pages/man5/proc_pid_net.5.html)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct InetEntry {
    /// `local_address`: the bound address and port.
    pub local: SocketAddr,
    /// `rem_address`: the peer's address and port (all zeros if none).
    pub remote: SocketAddr,
    /// `st`: the state's number; [`state`](Self::state) names it. UDP and
    /// raw sockets use the TCP numbers: `TCP_CLOSE` (7) unconnected,
    /// `TCP_ESTABLISHED` (1) connected.
    pub st: u8,
    /// `tx_queue`: TCP: bytes sent and not yet acknowledged; UDP and raw:
    /// bytes allocated to the send queue.
    pub tx_queue: u32,
    /// `rx_queue`: TCP: bytes received and not yet read, or for a listener
    /// the connections waiting for accept(2); UDP and raw: bytes queued.
    pub rx_queue: u32,
    /// `tr`: which timer is pending.
    pub timer: Timer,
    /// `tm->when`: clock ticks (`sysconf(_SC_CLK_TCK)`, 100 on Linux) until
    /// the timer fires.
    pub timer_when: u64,
    /// `retrnsmt`: unrecovered retransmission timeouts (TCP).
    pub retransmits: u32,
    /// `uid`: the owner's effective user id when the socket was made.
    pub uid: u32,
    /// `timeout`: TCP: unanswered zero-window or keep-alive probes.
    pub timeout: i32,
    /// `inode`: the socket's inode, as [`Socket::inode`](crate::Socket::inode)
    /// returns and `/proc/<pid>/fd/<n>` shows (`socket:[inode]`).
    pub inode: u64,
}

impl InetEntry {
    /// The `st` column as a [`TcpState`], `None` for a number zerosock does
    /// not know (a newer kernel's).
    #[must_use]
    pub const fn state(&self) -> Option<TcpState> {
        TcpState::from_raw(self.st)
    }

    /// The state's name as ss(8) prints it (`UNKNOWN` for a number zerosock
    /// does not know).
    #[must_use]
    pub const fn ss_state(&self) -> &'static str {
        match self.state() {
            Some(state) => state.ss_name(),
            None => "UNKNOWN",
        }
    }

    /// Decodes one line (without its newline) of any of the IP tables. The
    /// columns after `inode` differ per protocol and are ignored. An address
    /// of 8 hex digits is IPv4, of 32 is IPv6.
    ///
    /// # Errors
    /// [`Malformed`] naming the first column that is missing or wrong;
    /// never a panic, whatever the bytes.
    pub fn parse(line: &[u8]) -> Result<Self, Malformed> {
        let mut fields = Fields::new(line);
        let sl = fields.next("sl")?;
        match sl.split_last() {
            Some((b':', digits)) => dec(digits, "sl")?,
            _ => return Err(Malformed { field: "sl" }),
        };
        let local = socket_addr(fields.next("local_address")?, "local_address")?;
        let remote = socket_addr(fields.next("rem_address")?, "rem_address")?;
        if local.is_ipv4() != remote.is_ipv4() {
            return Err(Malformed { field: "rem_address" });
        }
        let st = fields.next("st")?;
        let st = hex32(st, "st").and_then(|v| u8::try_from(v).map_err(|_| Malformed { field: "st" }))?;
        let (tx, rx) = split2(fields.next("tx_queue")?, b':', "tx_queue")?;
        let (tr, when) = split2(fields.next("tr")?, b':', "tr")?;
        let timer = hex32(tr, "tr").and_then(|v| u8::try_from(v).map_err(|_| Malformed { field: "tr" }))?;
        Ok(Self {
            local,
            remote,
            st,
            tx_queue: hex32(tx, "tx_queue")?,
            rx_queue: hex32(rx, "rx_queue")?,
            timer: Timer(timer),
            timer_when: hex(when, "tm->when")?,
            retransmits: hex32(fields.next("retrnsmt")?, "retrnsmt")?,
            uid: dec32(fields.next("uid")?, "uid")?,
            timeout: dec_i32(fields.next("timeout")?, "timeout")?,
            inode: dec(fields.next("inode")?, "inode")?,
        })
    }
}

/// Decodes `ADDR:PORT`: 8 or 32 hex digits of address words, 4 of port.
fn socket_addr(token: &[u8], field: &'static str) -> Result<SocketAddr, Malformed> {
    let bad = Malformed { field };
    let (addr, port) = split2(token, b':', field)?;
    if port.len() != 4 {
        return Err(bad);
    }
    let port = hex32(port, field)? as u16;
    // Each 32-bit word is printed as the CPU reads the network-order bytes
    // from memory; `to_ne_bytes` gives those bytes back.
    let word = |i: usize| hex32(&addr[i * 8..i * 8 + 8], field).map(u32::to_ne_bytes);
    match addr.len() {
        8 => Ok(SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::from(word(0)?), port))),
        32 => {
            let mut octets = [0u8; 16];
            for (i, chunk) in octets.chunks_exact_mut(4).enumerate() {
                chunk.copy_from_slice(&word(i)?);
            }
            Ok(SocketAddr::V6(SocketAddrV6::new(
                Ipv6Addr::from(octets),
                port,
                0,
                0,
            )))
        }
        _ => Err(bad),
    }
}

/// The entries of one IP socket table, read through a borrowed buffer.
///
/// Each item is one socket or the error for one line; a line longer than
/// the buffer or not in the table's format is an error for that line and the
/// iteration goes on, a failed read ends it. The header line is skipped.
/// A buffer of 256 bytes holds any line the kernel writes today (`tcp`
/// lines are padded to 150 bytes, `udp6` lines reach 163); a larger one
/// means fewer reads.
///
/// The kernel builds the text a few lines at a time, so a table that changes
/// while it is read may show a socket twice or miss one — read it again
/// for a consistent view, or use netlink (`ss`) for atomic snapshots.
///
/// ```
/// use zerosock::opt::TcpState;
/// use zerosock::proc::{InetEntries, InetTable, Process};
/// use zerosock::{Domain, Protocol, Socket, Type};
/// use core::net::{Ipv4Addr, SocketAddrV4};
///
/// let listener = Socket::new(Domain::INET, Type::STREAM, Protocol::TCP)?;
/// listener.bind(&SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0))?;
/// listener.listen(8)?;
/// let inode = listener.inode()?;
///
/// let mut buf = [0u8; 1024];
/// let mut found = None;
/// for entry in InetEntries::open(Process::Current, InetTable::Tcp, &mut buf)? {
///     if let Ok(entry) = entry {
///         if entry.inode == inode {
///             found = entry.state();
///         }
///     }
/// }
/// assert_eq!(found, Some(TcpState::Listen));
/// # Ok::<(), zerosock::Errno>(())
/// ```
///
/// # References
/// - [proc_pid_net(5)](https://man7.org/linux/man-pages/man5/proc_pid_net.5.html)
pub struct InetEntries<'b> {
    lines: Lines<'b>,
}

impl<'b> InetEntries<'b> {
    /// Opens `/proc/<self|pid>/net/<table>` to read through `buf`.
    ///
    /// # Errors
    /// open(2)'s error: `ENOENT` if the process or table does not exist
    /// (e.g. `tcp6` without IPv6), `EACCES` if it is not yours to read;
    /// `EINVAL` for an empty `buf`, before anything is opened.
    pub fn open(process: Process, table: InetTable, buf: &'b mut [u8]) -> Result<Self, Errno> {
        Ok(Self {
            lines: Lines::open(process, table.tail(), buf)?,
        })
    }

    /// Reads an IP socket table from an open file: a saved copy, a pipe, or
    /// a `/proc` file opened some other way. An empty `buf` makes the
    /// first item [`ProcError::EmptyBuffer`](super::ProcError::EmptyBuffer),
    /// and the last.
    #[must_use]
    pub fn from_fd(fd: OwnedFd, buf: &'b mut [u8]) -> Self {
        Self {
            lines: Lines::new(fd, buf),
        }
    }
}

table_entries!(InetEntries, InetEntry);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_lines() {
        // The lines shown in the seed document (x86, little-endian).
        let e = InetEntry::parse(b"2: 0100007F:251D 0100007F:DA50 01 00000000:00000000 00:00000000 00000000     0        0 20444 1 0000000000000000 20 0 0 10 -1").unwrap();
        assert_eq!(e.local, SocketAddr::from(([127, 0, 0, 1], 9501)));
        assert_eq!(e.remote, SocketAddr::from(([127, 0, 0, 1], 55888)));
        assert_eq!(e.state(), Some(TcpState::Established));
        assert_eq!(e.inode, 20444);
        let e = InetEntry::parse(b"1: 020011AC:C8D0 9D3A78CA:0050 06 00000000:00000000 03:00000E1B 00000000     0        0 0 3 0000000000000000").unwrap();
        assert_eq!(e.local, SocketAddr::from(([172, 17, 0, 2], 0xC8D0)));
        assert_eq!(e.remote, SocketAddr::from(([202, 120, 58, 157], 80)));
        assert_eq!(e.state(), Some(TcpState::TimeWait));
        assert_eq!(e.timer, Timer::TIME_WAIT);
        assert_eq!(e.timer_when, 0xE1B);
        assert_eq!(e.inode, 0);
    }

    #[test]
    fn ipv6_words() {
        // ::1 is s6_addr32 = {0, 0, 0, htonl(1)}; the last word prints as 01000000.
        let e = InetEntry::parse(b"  0: 00000000000000000000000001000000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 77 1 0000000000000000 100 0 0 10 0").unwrap();
        assert_eq!(e.local, SocketAddr::from((Ipv6Addr::LOCALHOST, 22)));
        // ::ffff:127.0.0.1
        let e = InetEntry::parse(b"  1: 0000000000000000FFFF00000100007F:0016 0000000000000000FFFF00000100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 78 1").unwrap();
        assert_eq!(
            e.local,
            SocketAddr::from((Ipv4Addr::LOCALHOST.to_ipv6_mapped(), 22))
        );
        assert_eq!(e.remote.port(), 0x9C40);
    }

    #[test]
    fn malformed() {
        let good =
            b"0: 0100007F:251D 0100007F:DA50 01 00000000:00000000 00:00000000 00000000     0        0 20444";
        assert!(InetEntry::parse(good).is_ok());
        let inode_at = good.len() - 5;
        for cut in 0..inode_at {
            // Every prefix without the inode is an error, never a wrong entry.
            if let Ok(e) = InetEntry::parse(&good[..cut]) {
                panic!("prefix {cut} parsed as {e:?}");
            }
        }
        let field = |line: &[u8]| InetEntry::parse(line).unwrap_err().field;
        assert_eq!(field(b"0: 0100007F:251D 0100007F:DA50 1FF 0:0 0:0 0 0 0 1"), "st");
        assert_eq!(
            field(b"0: 0100007F:251D 00000000000000000000000000000000:0000 01 0:0 0:0 0 0 0 1"),
            "rem_address"
        );
        assert_eq!(
            field(b"0: 0100007:251D 0100007F:DA50 01 0:0 0:0 0 0 0 1"),
            "local_address"
        );
        assert_eq!(
            field(b"0: 0100007F:251D 0100007F:DA50 01 0:0 0:0 0 0 0 -1"),
            "inode"
        );
        assert_eq!(
            field(b"0: 0100007F:251D 0100007F:DA50 01 0:0:0 0:0 0 0 0 1"),
            "tx_queue"
        );
    }
}
