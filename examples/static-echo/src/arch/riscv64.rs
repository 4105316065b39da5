//! riscv64: the process entry, exit_group(2), and `memset`/`memcpy` as
//! byte loops.

/// The process entry: the kernel starts us here with `argc` at the stack
/// pointer and `argv` right above it. We load the global pointer (as the C
/// start files do, for the linker's gp-relative relaxations), pass the
/// address of `argc` to [`crate::start`] and never return.
#[unsafe(naked)]
#[unsafe(no_mangle)]
unsafe extern "C" fn _start() -> ! {
    core::arch::naked_asm!(
        ".option push",
        ".option norelax",
        "lla gp, __global_pointer$",
        ".option pop",
        "mv a0, sp",         // the address of argc
        "andi sp, sp, -16",  // the ABI's call alignment
        "call {start}",
        "unimp",
        start = sym crate::start,
    )
}

/// exit_group(2): `ecall` with the number in a7.
pub(crate) fn exit(code: u8) -> ! {
    // SAFETY: exit_group takes one integer and does not return.
    unsafe {
        core::arch::asm!(
            "ecall",
            in("a7") 94, // __NR_exit_group
            in("a0") code as usize,
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
            "beqz {len}, 2f",
            "1:",
            "sb {byte}, 0({dest})",
            "addi {dest}, {dest}, 1",
            "addi {len}, {len}, -1",
            "bnez {len}, 1b",
            "2:",
            dest = inout(reg) dest => _,
            len = inout(reg) len => _,
            byte = in(reg) byte,
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
            "beqz {len}, 2f",
            "1:",
            "lb {tmp}, 0({src})",
            "sb {tmp}, 0({dest})",
            "addi {src}, {src}, 1",
            "addi {dest}, {dest}, 1",
            "addi {len}, {len}, -1",
            "bnez {len}, 1b",
            "2:",
            dest = inout(reg) dest => _,
            src = inout(reg) src => _,
            len = inout(reg) len => _,
            tmp = out(reg) _,
            options(nostack, preserves_flags),
        );
    }
    dest
}
