//! x86_64: the process entry, exit_group(2), and `memset`/`memcpy` with
//! `rep stosb`/`rep movsb`.

/// The process entry: the kernel starts us here with `argc` at the stack
/// pointer and `argv` right above it. We pass that address to
/// [`crate::start`] and never return.
#[unsafe(naked)]
#[unsafe(no_mangle)]
unsafe extern "C" fn _start() -> ! {
    core::arch::naked_asm!(
        "mov rdi, rsp", // the address of argc
        "and rsp, -16", // the ABI's call alignment
        "call {start}",
        "ud2",
        start = sym crate::start,
    )
}

/// exit_group(2). zerosock has no process calls, so this is the program's
/// one piece of inline assembly besides `_start`.
pub(crate) fn exit(code: u8) -> ! {
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
