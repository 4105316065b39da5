//! A name lookup and a TCP connect in a fully static executable with no
//! libc at all: `static-resolve NAME PORT` resolves NAME with zerosock's
//! resolver (`/etc/hosts`, `/etc/nsswitch.conf`, `/etc/resolv.conf`, DNS),
//! connects to the addresses in glibc's order until one accepts, prints
//! `connected to ADDRESS PORT` and exits 0.
//!
//! Exit codes: 2 for bad arguments, 3 if the name does not resolve (the
//! `EAI_*` code is printed), 4 if no address accepts the connection.
//!
//! ```text
//! cd examples/static-resolve && cargo build --release
//! ./target/release/static-resolve localhost 7878
//! ```

#![no_std]
#![no_main]

// The entry, exit and memset/memcpy are the static echo's (x86_64);
// memmove, memcmp, bcmp and strlen the static examples'.
#[path = "../../static-echo/src/arch/x86_64.rs"]
mod arch;
#[path = "../../static-common/compare.rs"]
mod compare;
#[path = "../../static-common/memmove_x86_64.rs"]
mod memmove;

use zerosock::TcpStream;
use zerosock::addr::inet_ntop;
use zerosock::resolve::{SocketAddrs, resolve_host_port};

use arch::exit;

/// A C string from the initial stack as bytes.
///
/// # Safety
/// `p` points to a NUL-terminated string that lives for the whole program.
unsafe fn c_arg(p: *const u8) -> &'static [u8] {
    let mut n = 0;
    // SAFETY: up to the NUL the caller guarantees.
    unsafe {
        while *p.add(n) != 0 {
            n += 1;
        }
        core::slice::from_raw_parts(p, n)
    }
}

unsafe extern "C" fn start(stack: *const usize) -> ! {
    // SAFETY: the kernel's initial stack: argc, argv pointers, a null.
    let (name, port) = unsafe {
        if *stack != 3 {
            exit(2)
        }
        (c_arg(*stack.add(2) as *const u8), c_arg(*stack.add(3) as *const u8))
    };
    let (Ok(name), Some(port)) = (core::str::from_utf8(name), parse_port(port)) else { exit(2) };
    let addrs: SocketAddrs<16> = match resolve_host_port(name, port, None) {
        Ok(a) => a,
        Err(e) => {
            print(b"resolve: EAI ");
            print_num(u64::from(e.code().unsigned_abs()), true);
            print(b"\n");
            exit(3)
        }
    };
    for addr in addrs.iter() {
        if TcpStream::connect(addr).is_ok() {
            print(b"connected to ");
            print(inet_ntop(addr.ip()).as_bytes());
            print(b" ");
            print_num(u64::from(addr.port()), false);
            print(b"\n");
            exit(0)
        }
    }
    exit(4)
}

fn parse_port(s: &[u8]) -> Option<u16> {
    if s.is_empty() {
        return None;
    }
    let mut port: u16 = 0;
    for &b in s {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        port = port.checked_mul(10)?.checked_add(u16::from(d))?;
    }
    Some(port)
}

fn print_num(mut n: u64, negative: bool) {
    let mut buf = [0u8; 21];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if negative {
        i -= 1;
        buf[i] = b'-';
    }
    print(&buf[i..]);
}

/// write(2) to fd 1, all of it (short writes retried; errors ignored).
fn print(mut bytes: &[u8]) {
    while !bytes.is_empty() {
        let n: isize;
        // SAFETY: write(1, bytes, len) reads `len` bytes of `bytes`.
        unsafe {
            core::arch::asm!(
                "syscall",
                inlateout("rax") 1isize => n,
                in("rdi") 1usize,
                in("rsi") bytes.as_ptr(),
                in("rdx") bytes.len(),
                lateout("rcx") _,
                lateout("r11") _,
                options(nostack),
            );
        }
        if n <= 0 {
            return;
        }
        bytes = &bytes[n as usize..];
    }
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    exit(101)
}
