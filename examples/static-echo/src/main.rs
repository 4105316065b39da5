//! A TCP echo server that is a fully static executable with no libc at all:
//! zerosock's typed API over direct system calls, its own `_start`, and a
//! panic handler. `static-echo [PORT]` listens on 127.0.0.1 (port 7878 by
//! default) and echoes each client until the client closes, then serves the
//! next, one at a time.
//!
//! Exit codes: 2 for a bad port argument; otherwise the errno of the call
//! that failed (98, `EADDRINUSE`, if the port is taken). A client that
//! resets or vanishes only ends its own connection.
//!
//! Build and run (see the README, "Static binaries without libc"):
//! ```text
//! cd examples/static-echo && cargo build --release
//! ./target/release/static-echo 7878
//! ```

#![no_std]
#![no_main]

use core::net::{Ipv4Addr, SocketAddrV4};

use zerosock::{Errno, TcpListener};

// The architecture's own pieces: `_start`, `exit`, and `memset`/`memcpy`.
#[cfg_attr(target_arch = "x86_64", path = "arch/x86_64.rs")]
#[cfg_attr(target_arch = "aarch64", path = "arch/aarch64.rs")]
#[cfg_attr(target_arch = "riscv64", path = "arch/riscv64.rs")]
#[cfg_attr(target_arch = "arm", path = "arch/arm.rs")]
mod arch;

use arch::exit;

/// The port when none is given.
const DEFAULT_PORT: u16 = 7878;

/// Reads the port from `argv[1]`, serves, and exits with the result.
unsafe extern "C" fn start(stack: *const usize) -> ! {
    // SAFETY: the kernel's initial stack: argc, then argc argv pointers to
    // NUL-terminated strings, then a null.
    let port = unsafe {
        let argc = *stack;
        if argc > 1 {
            parse_port(*stack.add(2) as *const u8)
        } else {
            Some(DEFAULT_PORT)
        }
    };
    let code = match port {
        Some(port) => match serve(port) {
            Ok(never) => match never {},
            Err(errno) => errno.raw_os_error() as u8,
        },
        None => 2,
    };
    exit(code)
}

/// A decimal port from a C string; `None` if it is not one.
///
/// # Safety
/// `arg` points to a NUL-terminated string.
unsafe fn parse_port(mut arg: *const u8) -> Option<u16> {
    let mut port: u16 = 0;
    let mut digits = 0;
    loop {
        // SAFETY: we stop at the NUL, which the caller guarantees.
        let byte = unsafe { *arg };
        if byte == 0 {
            break;
        }
        let digit = byte.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        port = port.checked_mul(10)?.checked_add(u16::from(digit))?;
        digits += 1;
        // SAFETY: not past the NUL.
        arg = unsafe { arg.add(1) };
    }
    if digits == 0 { None } else { Some(port) }
}

/// Listens on 127.0.0.1:`port` and echoes each client in turn, forever.
/// Returns only the error that stops the server.
fn serve(port: u16) -> Result<core::convert::Infallible, Errno> {
    let listener = TcpListener::bind(SocketAddrV4::new(Ipv4Addr::LOCALHOST, port))?;
    let mut buf = [0u8; 4096];
    // `incoming` accepts with a null address: nothing is decoded that the
    // server would not use.
    for client in listener.incoming() {
        let client = match client {
            Ok(client) => client,
            // accept(2): these concern the connection being accepted (or a
            // signal), not the listener; take the next one.
            Err(
                Errno::CONNABORTED
                | Errno::INTR
                | Errno::PROTO
                | Errno::PERM
                | Errno::NETDOWN
                | Errno::NOPROTOOPT
                | Errno::HOSTDOWN
                | Errno::NONET
                | Errno::HOSTUNREACH
                | Errno::OPNOTSUPP
                | Errno::NETUNREACH
                | Errno::TIMEDOUT,
            ) => continue,
            Err(errno) => return Err(errno),
        };
        // Until the client closes (0), resets or otherwise fails: any error
        // ends this client only. send_all retries partial writes and EINTR.
        while let Ok(n @ 1..) = client.recv(&mut buf) {
            if client.send_all(&buf[..n]).is_err() {
                break;
            }
        }
    }
    unreachable!("incoming() never ends")
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    exit(101)
}
