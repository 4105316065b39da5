//! getrandom(2), for the resolver's query IDs and source ports.

use super::raw::{Result, rx};

/// Fills `buf` with random bytes from the kernel's pool (no flags: it
/// blocks only until the pool is first seeded). Returns how many bytes
/// were written, which may be fewer than asked if a signal interrupts.
pub(crate) fn getrandom(buf: &mut [u8]) -> Result<usize> {
    rx(rustix::rand::getrandom(
        buf,
        rustix::rand::GetRandomFlags::empty(),
    ))
}
