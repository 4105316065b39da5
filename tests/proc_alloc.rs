//! The `/proc` readers allocate nothing: a counting global allocator watches
//! this thread while every table is read, every fd is listed and inodes are
//! looked up, all through buffers on the stack.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::net::Ipv4Addr;
use std::sync::atomic::{AtomicUsize, Ordering};

use zerosock::proc::{InetEntries, InetTable, Process, SocketFds, UnixEntries, find_fd, inode};
use zerosock::{TcpListener, TcpStream, UdpSocket, UnixStream};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static WATCHED: Cell<bool> = const { Cell::new(false) };
}

fn note() {
    if WATCHED.with(Cell::get) {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
    }
}

// SAFETY: forwards every call to the system allocator unchanged.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note();
        // SAFETY: the caller's contract, passed on.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract, passed on.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note();
        // SAFETY: the caller's contract, passed on.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Runs `f` with this thread's allocations counted; returns the count.
fn allocations_in(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    WATCHED.with(|w| w.set(true));
    f();
    WATCHED.with(|w| w.set(false));
    ALLOCATIONS.load(Ordering::Relaxed) - before
}

#[test]
fn reading_tables_and_fds_allocates_nothing() {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (_server, _) = listener.accept().unwrap();
    let _udp = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let (pair, _) = UnixStream::pair().unwrap();

    // The counter counts: a Vec inside the window is seen.
    assert_eq!(allocations_in(|| drop(std::hint::black_box(vec![1u8; 16]))), 1);

    let mut seen = (0usize, 0usize, 0usize, false);
    let n = allocations_in(|| {
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
    assert_eq!(n, 0, "the /proc readers allocated {n} times");
    // And they did read something: our 4 inet and 2 Unix sockets at least.
    assert!(seen.0 >= 4 && seen.1 >= 2 && seen.2 >= 5 && seen.3, "{seen:?}");
}
