//! The `/proc` readers allocate nothing: a counting global allocator watches
//! this thread while every table is read, every fd is listed and inodes are
//! looked up, all through buffers on the stack.

use std::net::Ipv4Addr;

use crate::common::alloc::no_alloc;
use zerosock::proc::{InetEntries, InetTable, Process, SocketFds, UnixEntries, find_fd, inode};
use zerosock::{TcpListener, TcpStream, UdpSocket, UnixStream};

#[test]
fn reading_tables_and_fds_allocates_nothing() {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (_server, _) = listener.accept().unwrap();
    let _udp = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let (pair, _) = UnixStream::pair().unwrap();

    let mut seen = (0usize, 0usize, 0usize, false);
    no_alloc("the /proc readers", || {
        let mut buf = [0u8; 512];
        for table in InetTable::ALL {
            if let Ok(entries) = InetEntries::open(Process::Current, table, &mut buf) {
                seen.0 += entries.filter(Result::is_ok).count();
            }
        }
        seen.1 = UnixEntries::open(Process::Current, &mut buf)
            .unwrap()
            .filter(Result::is_ok)
            .count();
        seen.2 = SocketFds::open(Process::Current, &mut buf)
            .unwrap()
            .filter(Result::is_ok)
            .count();
        let wanted = client.inode().unwrap();
        seen.3 = find_fd(Process::Current, wanted, &mut buf).unwrap().is_some();
        let _ = inode(&pair).unwrap() + pair.inode().unwrap() + listener.as_socket().inode().unwrap();
    });
    // And they did read something: our 4 inet and 2 Unix sockets at least.
    assert!(seen.0 >= 4 && seen.1 >= 2 && seen.2 >= 5 && seen.3, "{seen:?}");
}
