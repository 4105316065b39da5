//! 32-bit ARM (EABI): the process entry, exit_group(2), and
//! `memset`/`memcpy` as byte loops.

/// The process entry: the kernel starts us here with `argc` at the stack
/// pointer and `argv` right above it. We pass that address to
/// [`crate::start`] and never return.
#[unsafe(naked)]
#[unsafe(no_mangle)]
unsafe extern "C" fn _start() -> ! {
    core::arch::naked_asm!(
        "mov r0, sp",     // the address of argc
        "bic sp, sp, #7", // the ABI's call alignment (8)
        "bl {start}",
        "udf #0",
        start = sym crate::start,
    )
}

/// exit_group(2): `svc 0` with the number in r7. r7 is set inside the
/// assembly (in Thumb code it is the frame pointer and cannot be an
/// operand); nothing runs after it, so nothing needs it back.
pub(crate) fn exit(code: u8) -> ! {
    // SAFETY: exit_group takes one integer and does not return.
    unsafe {
        core::arch::asm!(
            "mov r7, #248", // __NR_exit_group
            "svc 0",
            in("r0") code as usize,
            options(noreturn, nostack),
        )
    }
}

/// memset, which the compiler may call for large zeroing (directly or
/// through the EABI's `__aeabi_memset`). No libc, so the program supplies
/// it; a loop in assembly, which the compiler cannot turn back into a call
/// to itself.
#[unsafe(no_mangle)]
unsafe extern "C" fn memset(dest: *mut u8, byte: i32, len: usize) -> *mut u8 {
    // SAFETY: the caller's contract: `dest` is writable for `len` bytes.
    unsafe {
        core::arch::asm!(
            "cmp {len}, #0",
            "beq 2f",
            "1:",
            "strb {byte}, [{dest}], #1",
            "subs {len}, {len}, #1",
            "bne 1b",
            "2:",
            dest = inout(reg) dest => _,
            len = inout(reg) len => _,
            byte = in(reg) byte,
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
            "cmp {len}, #0",
            "beq 2f",
            "1:",
            "ldrb {tmp}, [{src}], #1",
            "strb {tmp}, [{dest}], #1",
            "subs {len}, {len}, #1",
            "bne 1b",
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

/// The ARM EHABI personality routines that `core`'s unwind tables name.
/// discard.ld drops those tables (`.ARM.exidx`) and nothing unwinds
/// (`panic = "abort"`), so these are never called; defining them leaves no
/// undefined symbol behind.
#[unsafe(no_mangle)]
extern "C" fn __aeabi_unwind_cpp_pr0() -> ! {
    exit(134)
}

/// As [`__aeabi_unwind_cpp_pr0`].
#[unsafe(no_mangle)]
extern "C" fn __aeabi_unwind_cpp_pr1() -> ! {
    exit(134)
}
