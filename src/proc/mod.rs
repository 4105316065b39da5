//! Socket tables from `/proc`: what the kernel says about a process's
//! sockets, the view `ss -tanp` gives, read without allocating.
//!
//! - [`InetEntries`] streams `/proc/<pid>/net/{tcp,tcp6,udp,udp6,…}` through
//!   a buffer you lend, yielding an [`InetEntry`] per socket: `core::net`
//!   addresses decoded from the kernel's hex, the
//!   [`TcpState`](crate::opt::TcpState), queues,
//!   timer, retransmits, uid and inode.
//! - [`UnixEntries`] does the same for `/proc/<pid>/net/unix`
//!   ([`UnixEntry`]: name, type, [`SocketState`], flags, inode).
//! - [`Socket::inode`](crate::Socket::inode) (and `inode` on every typed
//!   socket, or [`inode`] on any fd) gives the number that ties a socket to
//!   its line; [`SocketFds`] and [`find_fd`] go the other way, from inodes
//!   to the fds of a process that hold them (`/proc/<pid>/fd/<n> ->
//!   socket:[inode]`).
//!
//! A line longer than the buffer or not in the expected format is an error
//! for that line ([`ProcError::LineTooLong`], [`ProcError::Malformed`]) and
//! the iteration goes on; no bytes make the parsers panic.
//!
//! ```
//! use zerosock::opt::TcpState;
//! use zerosock::proc::{find_fd, InetEntries, InetTable, Process};
//! use zerosock::{Domain, Protocol, Socket, Type};
//! use zerosock::fd::AsRawFd;
//! use core::net::{Ipv4Addr, SocketAddrV4};
//!
//! let listener = Socket::new(Domain::INET, Type::STREAM, Protocol::TCP)?;
//! listener.bind(&SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0))?;
//! listener.listen(1)?;
//!
//! let mut buf = [0u8; 4096];
//! let entry = InetEntries::open(Process::Current, InetTable::Tcp, &mut buf)?
//!     .filter_map(Result::ok)
//!     .find(|e| e.inode == listener.inode().unwrap())
//!     .expect("the listener is in /proc/self/net/tcp");
//! assert_eq!(entry.state(), Some(TcpState::Listen));
//! assert_eq!(entry.ss_state(), "LISTEN");
//!
//! let fd = find_fd(Process::Current, entry.inode, &mut buf)?;
//! assert_eq!(fd, Some(listener.as_raw_fd()));
//! # Ok::<(), zerosock::Errno>(())
//! ```
//!
//! # References
//! - [proc_pid_net(5)](https://man7.org/linux/man-pages/man5/proc_pid_net.5.html)
//! - [proc_pid_fd(5)](https://man7.org/linux/man-pages/man5/proc_pid_fd.5.html)
//! - [ss(8)](https://man7.org/linux/man-pages/man8/ss.8.html)

mod fd;
mod inet;
mod reader;
mod unix;

pub use fd::{SocketFd, SocketFds, find_fd, inode};
pub use inet::{InetEntries, InetEntry, InetTable, Timer};
pub use reader::{Malformed, ProcError, Process};
pub use unix::{SocketState, UnixEntries, UnixEntry};
