//! Pipes, credentials and a plain `recvmsg` for the message tests.

use std::os::fd::{FromRawFd, OwnedFd};
use std::time::Duration;

use zerosock::addr::SockAddr;
use zerosock::msg::{FdVecView, RecvMsg, UCred};
use zerosock::{IoSliceMut, MsgFlags, Socket};

use super::retry_eintr;

/// A pipe, both ends `O_CLOEXEC`: (read, write).
pub fn pipe() -> (OwnedFd, OwnedFd) {
    let mut fds = [0; 2];
    // SAFETY: pipe2 writes two fds into the array.
    assert_eq!(unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) }, 0);
    // SAFETY: both are new fds that nothing else owns.
    unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) }
}

/// This process's credentials, as `SCM_CREDENTIALS` carries them.
pub fn me() -> UCred {
    // SAFETY: getuid/getgid cannot fail.
    UCred {
        pid: std::process::id() as i32,
        uid: unsafe { libc::getuid() },
        gid: unsafe { libc::getgid() },
    }
}

/// How long the receives here retry `EINTR` (see [`retry_eintr`]).
const WITHIN: Duration = Duration::from_secs(30);

/// One `recv_msg` into `data` and `control`, fds into `fds` if given, no
/// source address (retried on `EINTR`); panics if the call fails.
#[track_caller]
pub fn recv_into(
    socket: &Socket,
    data: &mut [u8],
    control: &mut [u8],
    mut fds: Option<&mut FdVecView>,
    flags: MsgFlags,
) -> RecvMsg {
    retry_eintr(WITHIN, || {
        socket.recv_msg(
            &mut [IoSliceMut::new(data)],
            control,
            None,
            fds.as_deref_mut(),
            flags,
        )
    })
    .unwrap()
}

/// One `recv_msg` into `data` and `control` that also fills in the source
/// address `from`; no fds, no flags (retried on `EINTR`); panics if the
/// call fails.
#[track_caller]
pub fn recv_from_into(socket: &Socket, data: &mut [u8], control: &mut [u8], from: &mut SockAddr) -> RecvMsg {
    retry_eintr(WITHIN, || {
        socket.recv_msg(
            &mut [IoSliceMut::new(data)],
            control,
            Some(from),
            None,
            MsgFlags::NONE,
        )
    })
    .unwrap()
}
