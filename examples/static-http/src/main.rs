//! The static-file HTTP/1.1 server of `examples/http.rs` as a fully static
//! executable with no libc at all: the very same request, response and
//! serving code (`../http/*.rs`, included by path), its own `_start`, a
//! connection table in `.bss`, and nothing allocated, ever (there is no
//! allocator to call).
//!
//! `static-http ADDR DIR` serves the files under DIR on ADDR (an IPv4 or
//! IPv6 socket address, port 0 for any) with 1,024 connection slots and a
//! 10 s timeout, and prints `listening on ADDR` on stdout first. It serves
//! until killed.
//!
//! Exit codes: 2 for bad arguments or a DIR that does not open; otherwise
//! the errno of the call that stopped the server (98, `EADDRINUSE`, if the
//! address is taken).
//!
//! ```text
//! cd examples/static-http && cargo build --release
//! ./target/release/static-http 127.0.0.1:8080 ./public
//! ```

#![no_std]
#![no_main]
// Some items of the shared files serve only examples/http.rs and its tests.
#![allow(dead_code)]

#[path = "../../http/request.rs"]
mod request;
#[path = "../../http/response.rs"]
mod response;
#[path = "../../http/server.rs"]
mod server;

// The entry, exit and memset/memcpy are the static echo's, one file per
// architecture; memmove, memcmp, bcmp and strlen the static examples'.
#[cfg(target_arch = "x86_64")]
#[path = "../../static-echo/src/arch/x86_64.rs"]
mod arch;
#[path = "../../static-common/compare.rs"]
mod compare;
#[cfg(target_arch = "x86_64")]
#[path = "../../static-common/memmove_x86_64.rs"]
mod memmove;

use core::ffi::CStr;
use core::fmt::{self, Write};
use core::mem::MaybeUninit;
use core::net::SocketAddr;
use core::time::Duration;

use rustix::fd::{BorrowedFd, OwnedFd};
use rustix::fs::{Mode, OFlags};
use zerosock::{Errno, TcpListener};

use arch::exit;
use server::{Conn, Server};

/// Connections served at once (examples/http's default).
const CAPACITY: usize = 1024;
/// A connection without progress for this long is closed.
const TIMEOUT: Duration = Duration::from_secs(10);
/// The listen backlog (examples/http's).
const BACKLOG: i32 = 4096;

/// The connection table: uninitialized, so it is in `.bss` and costs no
/// bytes in the file (a free slot is not all zeros: its fds are -1).
static mut TABLE: [MaybeUninit<Conn>; CAPACITY] = [const { MaybeUninit::uninit() }; CAPACITY];

/// Where [`arch`]'s `_start` lands, with the address of `argc`.
///
/// # Safety
/// `stack` is the kernel's initial stack: argc, then argc pointers to
/// NUL-terminated strings, then a null. Called once.
unsafe extern "C" fn start(stack: *const usize) -> ! {
    // SAFETY: the caller's contract; the strings live as long as the process.
    let (addr, dir) = unsafe {
        if *stack != 3 {
            usage()
        }
        (
            CStr::from_ptr(*stack.add(2) as *const core::ffi::c_char),
            CStr::from_ptr(*stack.add(3) as *const core::ffi::c_char),
        )
    };
    let Some(addr) = addr.to_str().ok().and_then(|a| a.parse::<SocketAddr>().ok()) else {
        usage()
    };
    let root = match rustix::fs::open(
        dir,
        OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    ) {
        Ok(root) => root,
        Err(e) => {
            let _ = writeln!(
                Fd(2),
                "static-http: {}: errno {}",
                dir.to_string_lossy_free(),
                e.raw_os_error()
            );
            exit(2)
        }
    };
    // SAFETY: `start` runs once, on the only thread, so this is the one
    // reference to TABLE there ever is.
    let slots = unsafe { &mut *core::ptr::addr_of_mut!(TABLE) };
    // Slot by slot, in place: a whole table built first would be 4.7 MiB
    // of stack.
    for slot in slots.iter_mut() {
        slot.write(Conn::EMPTY);
    }
    // SAFETY: every slot was just initialized, and MaybeUninit<Conn> has
    // Conn's layout.
    let table = unsafe { &mut *(core::ptr::from_mut(slots) as *mut [Conn; CAPACITY]) };
    match serve(addr, root, table) {
        Ok(()) => exit(0),
        Err(e) => {
            let _ = writeln!(Fd(2), "static-http: errno {}", e.raw_os_error());
            exit(e.raw_os_error() as u8)
        }
    }
}

/// Binds, prints the address, and serves until an error stops it.
fn serve(addr: SocketAddr, root: OwnedFd, table: &'static mut [Conn]) -> Result<(), Errno> {
    let listener = TcpListener::bind_with_backlog(addr, BACKLOG)?;
    let local = listener.local_addr()?;
    let mut server = Server::with_storage(listener, root, TIMEOUT, table, server::stop_eventfd()?)?;
    let _ = writeln!(
        Fd(1),
        "listening on {local} (capacity {CAPACITY}, timeout {TIMEOUT:?})"
    );
    server.run(None)
}

fn usage() -> ! {
    let _ = writeln!(Fd(2), "usage: static-http ADDR DIR");
    exit(2)
}

/// `CStr` as text for a message, without allocating.
trait Lossy {
    fn to_string_lossy_free(&self) -> &str;
}

impl Lossy for CStr {
    fn to_string_lossy_free(&self) -> &str {
        self.to_str().unwrap_or("(not UTF-8)")
    }
}

/// write(2) to a standard fd, for `writeln!`: all of it, short writes
/// retried, errors ignored.
struct Fd(i32);

impl Write for Fd {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        // SAFETY: fds 0-2 are open for the whole process (or writes to them
        // fail with EBADF, which is ignored).
        let fd = unsafe { BorrowedFd::borrow_raw(self.0) };
        let mut bytes = s.as_bytes();
        while !bytes.is_empty() {
            match rustix::io::write(fd, bytes) {
                Ok(0) | Err(_) => return Ok(()),
                Ok(n) => bytes = &bytes[n..],
            }
        }
        Ok(())
    }
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    exit(101)
}
