//! The few file system calls the `/proc` readers make: open a file or a
//! directory read-only, `fstat` for an fd's inode, `readlinkat` into a fixed
//! buffer (rustix, allocating nothing), and `getdents64` into a byte buffer
//! the caller parses (issued directly: rustix's `RawDir` wants
//! `MaybeUninit` bytes and keeps the directory fd to itself).

use core::ffi::CStr;

use rustix::fd::{AsRawFd, BorrowedFd, OwnedFd};
use rustix::fs::{Mode, OFlags};

use linux_raw_sys::general as nr;

use super::raw::{Result, check, rx, syscall4};

/// open(2) with `O_RDONLY | O_CLOEXEC`.
pub(crate) fn open_read(path: &CStr) -> Result<OwnedFd> {
    rx(rustix::fs::open(
        path,
        OFlags::RDONLY | OFlags::CLOEXEC,
        Mode::empty(),
    ))
}

/// open(2) of a directory: `O_RDONLY | O_DIRECTORY | O_CLOEXEC`.
pub(crate) fn open_dir(path: &CStr) -> Result<OwnedFd> {
    rx(rustix::fs::open(
        path,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    ))
}

/// fstat(2), returning `st_ino`.
pub(crate) fn fstat_ino(fd: BorrowedFd<'_>) -> Result<u64> {
    rx(rustix::fs::fstat(fd)).map(|stat| stat.st_ino)
}

/// readlinkat(2) into `buf`; returns the length written, which equals
/// `buf.len()` when the target may have been truncated.
pub(crate) fn readlinkat(dir: BorrowedFd<'_>, name: &CStr, buf: &mut [u8]) -> Result<usize> {
    rx(rustix::fs::readlinkat_raw(dir, name, buf))
}

/// getdents64(2): fills `buf` with whole `linux_dirent64` records and
/// returns their total length, 0 at the end of the directory (`EINVAL` if
/// not even one record fits).
pub(crate) fn getdents64(dir: BorrowedFd<'_>, buf: &mut [u8]) -> Result<usize> {
    // SAFETY: `buf` is writable for `buf.len()` bytes for the duration of the
    // call, and the kernel writes at most that many.
    check(unsafe {
        syscall4(
            nr::__NR_getdents64,
            dir.as_raw_fd() as usize,
            buf.as_mut_ptr() as usize,
            buf.len(),
            0,
        )
    })
}
