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

use zerosock::TcpStream;
use zerosock::addr::inet_ntop;
use zerosock::resolve::{SocketAddrs, resolve_host_port};

/// The process entry: `argc` at the stack pointer, `argv` above it.
#[unsafe(naked)]
#[unsafe(no_mangle)]
unsafe extern "C" fn _start() -> ! {
    core::arch::naked_asm!(
        "mov rdi, rsp",
        "and rsp, -16",
        "call {start}",
        "ud2",
        start = sym start,
    )
}

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

/// exit_group(2).
fn exit(code: u8) -> ! {
    // SAFETY: exit_group takes one integer and does not return.
    unsafe {
        core::arch::asm!(
            "syscall",
            in("rax") 231,
            in("rdi") code as usize,
            options(noreturn, nostack),
        )
    }
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    exit(101)
}

// No libc: the memory functions the compiler calls, in assembly (a Rust
// loop could be turned back into a call to itself), and comparisons through
// volatile reads for the same reason.

#[unsafe(no_mangle)]
unsafe extern "C" fn memset(dest: *mut u8, byte: i32, len: usize) -> *mut u8 {
    // SAFETY: the caller's contract: `dest` is writable for `len` bytes.
    unsafe {
        core::arch::asm!("rep stosb", inout("rdi") dest => _, inout("rcx") len => _, in("al") byte as u8,
            options(nostack, preserves_flags));
    }
    dest
}

#[unsafe(no_mangle)]
unsafe extern "C" fn memcpy(dest: *mut u8, src: *const u8, len: usize) -> *mut u8 {
    // SAFETY: the caller's contract: valid, non-overlapping ranges.
    unsafe {
        core::arch::asm!("rep movsb", inout("rdi") dest => _, inout("rsi") src => _, inout("rcx") len => _,
            options(nostack, preserves_flags));
    }
    dest
}

#[unsafe(no_mangle)]
unsafe extern "C" fn memmove(dest: *mut u8, src: *const u8, len: usize) -> *mut u8 {
    // SAFETY: the caller's contract: valid ranges, which may overlap; copy
    // backwards (direction flag set, then cleared) when `dest` is above.
    unsafe {
        if (dest as usize) <= (src as usize) || (dest as usize) >= (src as usize) + len {
            core::arch::asm!("rep movsb", inout("rdi") dest => _, inout("rsi") src => _, inout("rcx") len => _,
                options(nostack, preserves_flags));
        } else if len > 0 {
            core::arch::asm!("std", "rep movsb", "cld", inout("rdi") dest.add(len - 1) => _,
                inout("rsi") src.add(len - 1) => _, inout("rcx") len => _, options(nostack));
        }
    }
    dest
}

#[unsafe(no_mangle)]
unsafe extern "C" fn memcmp(a: *const u8, b: *const u8, len: usize) -> i32 {
    for i in 0..len {
        // SAFETY: the caller's contract: both readable for `len` bytes.
        let (x, y) = unsafe { (a.add(i).read_volatile(), b.add(i).read_volatile()) };
        if x != y {
            return i32::from(x) - i32::from(y);
        }
    }
    0
}

#[unsafe(no_mangle)]
unsafe extern "C" fn bcmp(a: *const u8, b: *const u8, len: usize) -> i32 {
    // SAFETY: the same contract as memcmp.
    unsafe { memcmp(a, b, len) }
}

#[unsafe(no_mangle)]
unsafe extern "C" fn strlen(s: *const u8) -> usize {
    let mut n = 0;
    // SAFETY: the caller's contract: a NUL-terminated string.
    while unsafe { s.add(n).read_volatile() } != 0 {
        n += 1;
    }
    n
}
