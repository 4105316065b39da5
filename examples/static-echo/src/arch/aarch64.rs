//! aarch64: the process entry, exit_group(2), and `memset`/`memcpy` as
//! byte loops.

/// The process entry: the kernel starts us here with `argc` at the stack
/// pointer (16-byte aligned, as the ABI wants) and `argv` right above it.
/// We pass that address to [`crate::start`] and never return.
#[unsafe(naked)]
#[unsafe(no_mangle)]
unsafe extern "C" fn _start() -> ! {
    core::arch::naked_asm!(
        "mov x0, sp", // the address of argc
        "bl {start}",
        "udf #0",
        start = sym crate::start,
    )
}

/// exit_group(2): `svc 0` with the number in x8.
pub(crate) fn exit(code: u8) -> ! {
    // SAFETY: exit_group takes one integer and does not return.
    unsafe {
        core::arch::asm!(
            "svc 0",
            in("x8") 94, // __NR_exit_group
            in("x0") code as usize,
            options(noreturn, nostack),
        )
    }
}

/// memset, which the compiler may call for large zeroing. No libc, so the
/// program supplies it; a loop in assembly, which the compiler cannot turn
/// back into a call to itself.
#[unsafe(no_mangle)]
unsafe extern "C" fn memset(dest: *mut u8, byte: i32, len: usize) -> *mut u8 {
    // SAFETY: the caller's contract: `dest` is writable for `len` bytes.
    unsafe {
        core::arch::asm!(
            "cbz {len}, 2f",
            "1:",
            "strb {byte:w}, [{dest}], #1",
            "subs {len}, {len}, #1",
            "b.ne 1b",
            "2:",
            dest = inout(reg) dest => _,
            len = inout(reg) len => _,
            byte = in(reg) byte as u32,
            options(nostack),
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
            "cbz {len}, 2f",
            "1:",
            "ldrb {tmp:w}, [{src}], #1",
            "strb {tmp:w}, [{dest}], #1",
            "subs {len}, {len}, #1",
            "b.ne 1b",
            "2:",
            dest = inout(reg) dest => _,
            src = inout(reg) src => _,
            len = inout(reg) len => _,
            tmp = out(reg) _,
            options(nostack),
        );
    }
    dest
}
