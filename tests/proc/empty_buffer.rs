//! A `/proc` table reader given a buffer that cannot hold a byte reports
//! it, instead of yielding an empty table (read(2) into an empty slice
//! returns 0, which looked like the end of the file): `open` fails with
//! `EINVAL` before opening anything, `from_fd` yields
//! `ProcError::EmptyBuffer` once and ends. One byte is enough to read.

use std::io::Write;
use std::os::fd::OwnedFd;
use std::os::unix::net::UnixStream;

use zerosock::Errno;
use zerosock::proc::{InetEntries, InetTable, ProcError, Process, UnixEntries};

/// A file-like fd holding `text`, closed for writing.
fn fd_with(text: &[u8]) -> OwnedFd {
    let (mut w, r) = UnixStream::pair().unwrap();
    w.write_all(text).unwrap();
    drop(w);
    OwnedFd::from(r)
}

const TCP: &[u8] = b"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 12345 1 0000000000000000 100 0 0 10 0\n";
const UNIX: &[u8] = b"Num       RefCount Protocol Flags    Type St Inode Path\n0000000000000000: 00000002 00000000 00010000 0001 01 23456 /run/x.sock\n";

#[test]
fn open_with_an_empty_buffer_is_einval() {
    assert_eq!(
        InetEntries::open(Process::Current, InetTable::Tcp, &mut []).err(),
        Some(Errno::INVAL)
    );
    assert_eq!(
        UnixEntries::open(Process::Current, &mut []).err(),
        Some(Errno::INVAL)
    );
    // The same calls with a buffer open the tables.
    assert!(InetEntries::open(Process::Current, InetTable::Tcp, &mut [0; 256]).is_ok());
    assert!(UnixEntries::open(Process::Current, &mut [0; 256]).is_ok());
}

#[test]
fn from_fd_with_an_empty_buffer_reports_it_once() {
    let got: Vec<_> = InetEntries::from_fd(fd_with(TCP), &mut []).take(5).collect();
    assert_eq!(got, vec![Err(ProcError::EmptyBuffer)]);
    let got: Vec<_> = UnixEntries::from_fd(fd_with(UNIX), &mut []).take(5).collect();
    assert_eq!(got, vec![Err(ProcError::EmptyBuffer)]);
    // Even for an empty file: the buffer is the error, not the file.
    let got: Vec<_> = UnixEntries::from_fd(fd_with(b""), &mut []).take(5).collect();
    assert_eq!(got, vec![Err(ProcError::EmptyBuffer)]);
    assert_eq!(
        ProcError::EmptyBuffer.to_string(),
        "the buffer cannot hold a byte"
    );
    assert_eq!(ProcError::EmptyBuffer.errno(), None);
}

#[test]
fn the_same_tables_read_through_a_real_buffer() {
    let entries: Vec<_> = InetEntries::from_fd(fd_with(TCP), &mut [0; 256]).collect();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].as_ref().unwrap().inode, 12345);
    let entries: Vec<_> = UnixEntries::from_fd(fd_with(UNIX), &mut [0; 256]).collect();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].as_ref().unwrap().inode, 23456);
    // One byte holds no line, but is no error of the buffer's own: each
    // line is reported too long, never an empty table.
    let entries: Vec<_> = UnixEntries::from_fd(fd_with(UNIX), &mut [0; 1]).take(5).collect();
    assert_eq!(
        entries,
        vec![Err(ProcError::LineTooLong { line: 2, capacity: 1 })]
    );
}
