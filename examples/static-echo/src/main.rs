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

/// The port when none is given.
const DEFAULT_PORT: u16 = 7878;

/// The process entry: the kernel starts us here with `argc` at the stack
/// pointer and `argv` right above it. We pass that address to
/// [`start`] and never return.
#[unsafe(naked)]
#[unsafe(no_mangle)]
unsafe extern "C" fn _start() -> ! {
    core::arch::naked_asm!(
        "mov rdi, rsp", // the address of argc
        "and rsp, -16", // the ABI's call alignment
        "call {start}",
        "ud2",
        start = sym start,
    )
}

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

/// exit_group(2). zerosock has no process calls, so this is the program's
/// one piece of inline assembly besides `_start`.
fn exit(code: u8) -> ! {
    // SAFETY: exit_group takes one integer and does not return.
    unsafe {
        core::arch::asm!(
            "syscall",
            in("rax") 231, // __NR_exit_group
            in("rdi") code as usize,
            options(noreturn, nostack),
        )
    }
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    exit(101)
}

/// memset, which the compiler may call for large zeroing (it does at
/// opt-level "s"; at "z" it inlines `rep stos` and this is dropped by the
/// linker). No libc, so the program supplies it.
#[unsafe(no_mangle)]
unsafe extern "C" fn memset(dest: *mut u8, byte: i32, len: usize) -> *mut u8 {
    // SAFETY: the caller's contract: `dest` is writable for `len` bytes.
    unsafe {
        core::arch::asm!(
            "rep stosb",
            inout("rdi") dest => _,
            inout("rcx") len => _,
            in("al") byte as u8,
            options(nostack, preserves_flags),
        );
    }
    dest
}

/// memcpy, for the same reason as [`memset`].
#[unsafe(no_mangle)]
unsafe extern "C" fn memcpy(dest: *mut u8, src: *const u8, len: usize) -> *mut u8 {
    // SAFETY: the caller's contract: the ranges are valid and do not overlap.
    unsafe {
        core::arch::asm!(
            "rep movsb",
            inout("rdi") dest => _,
            inout("rsi") src => _,
            inout("rcx") len => _,
            options(nostack, preserves_flags),
        );
    }
    dest
}
