//! memmove for x86_64, which the copies within one buffer of static-http
//! and static-resolve need and the static echo's arch file (which they
//! share, `../static-echo/src/arch/`) does not supply. In assembly: a Rust loop could be compiled back into a
//! call to itself.

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
