//! sendfile(2): file to socket inside the kernel, through rustix (which
//! issues `sendfile` with a 64-bit offset on every target).

use super::raw::{Result, rx};
use rustix::fd::BorrowedFd;

/// sendfile(2): up to `count` bytes from `in_fd` (a file) to `out_fd`,
/// reading from `*offset` and advancing it if given, else from (and
/// advancing) `in_fd`'s file offset.
#[inline]
pub(crate) fn sendfile(
    out_fd: BorrowedFd<'_>,
    in_fd: BorrowedFd<'_>,
    offset: Option<&mut u64>,
    count: usize,
) -> Result<usize> {
    rx(rustix::fs::sendfile(out_fd, in_fd, offset, count))
}
