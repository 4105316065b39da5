//! Everything x86_64-specific of the static server, in one file so that
//! another architecture is one more file beside it: the process entry, the
//! exit system call, and the memory functions the compiler calls (in
//! assembly: a Rust loop could be compiled back into a call to itself).

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

/// exit_group(2).
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

#[unsafe(no_mangle)]
unsafe extern "C" fn memcpy(dest: *mut u8, src: *const u8, len: usize) -> *mut u8 {
    // SAFETY: the caller's contract: valid, non-overlapping ranges.
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

#[unsafe(no_mangle)]
unsafe extern "C" fn memmove(dest: *mut u8, src: *const u8, len: usize) -> *mut u8 {
    // SAFETY: the caller's contract: valid ranges, which may overlap; copy
    // backwards (direction flag set, then cleared) when `dest` is above.
    unsafe {
        if (dest as usize) <= (src as usize) || (dest as usize) >= (src as usize) + len {
            core::arch::asm!(
                "rep movsb",
                inout("rdi") dest => _,
                inout("rsi") src => _,
                inout("rcx") len => _,
                options(nostack, preserves_flags),
            );
        } else if len > 0 {
            core::arch::asm!(
                "std",
                "rep movsb",
                "cld",
                inout("rdi") dest.add(len - 1) => _,
                inout("rsi") src.add(len - 1) => _,
                inout("rcx") len => _,
                options(nostack),
            );
        }
    }
    dest
}
