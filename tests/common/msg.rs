//! Pipes, credentials and a plain `recvmsg` for the message tests.

use std::os::fd::{FromRawFd, OwnedFd};

use zerosock::addr::SockAddr;
use zerosock::msg::{FdVecView, RecvMsg, UCred};
use zerosock::{IoSliceMut, MsgFlags, Socket};

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

/// One `recv_msg` into `data` and `control`, fds into `fds` if given, no
/// source address; panics if the call fails.
#[track_caller]
pub fn recv_into(
    socket: &Socket,
    data: &mut [u8],
    control: &mut [u8],
    fds: Option<&mut FdVecView>,
    flags: MsgFlags,
) -> RecvMsg {
    socket
        .recv_msg(&mut [IoSliceMut::new(data)], control, None, fds, flags)
        .unwrap()
}

/// One `recv_msg` into `data` and `control` that also fills in the source
/// address `from`; no fds, no flags; panics if the call fails.
#[track_caller]
pub fn recv_from_into(socket: &Socket, data: &mut [u8], control: &mut [u8], from: &mut SockAddr) -> RecvMsg {
    socket
        .recv_msg(
            &mut [IoSliceMut::new(data)],
            control,
            Some(from),
            None,
            MsgFlags::NONE,
        )
        .unwrap()
}
