//! No received fd can leak: the process's open-fd count (`/proc/self/fd`)
//! is back where it was after every way a receive can go short — control
//! buffer too small (`MSG_CTRUNC`), no control buffer, no container, a
//! container too small, `MSG_PEEK`, credentials crowding the fds out, and
//! batches.
//!
//! It takes the binary's one lock ([`crate::serial`]), so no other test
//! creates or closes fds while it counts.

use std::os::fd::{AsFd, AsRawFd, BorrowedFd};
use std::time::Duration;

use crate::common::open_fd_count;
use zerosock::msg::{CmsgBuffer, CmsgEncoder, FdVec, RecvBatch, RecvMsg, cmsg_space};
use zerosock::{Domain, IoSlice, IoSliceMut, MsgFlags, Protocol, Socket, Type};

const SENT: usize = 8;

fn send_fds(tx: &Socket, fds: &[BorrowedFd<'_>]) {
    let mut space = CmsgBuffer::<{ cmsg_space(SENT * 4) }>::new();
    let mut cmsg = CmsgEncoder::new(&mut space);
    cmsg.rights(fds).unwrap();
    assert_eq!(
        tx.send_msg(&[IoSlice::new(b"fds")], cmsg.control(), MsgFlags::NONE)
            .unwrap(),
        3
    );
}

fn recv(
    rx: &Socket,
    control: &mut [u8],
    fds: Option<&mut zerosock::msg::FdVecView>,
    flags: MsgFlags,
) -> RecvMsg {
    let mut data = [0u8; 8];
    let msg = rx
        .recv_msg(&mut [IoSliceMut::new(&mut data)], control, None, fds, flags)
        .unwrap();
    assert_eq!(&data[..msg.bytes], b"fds");
    msg
}

#[test]
fn no_received_fd_ever_leaks() {
    let _serial = crate::serial();
    let (tx, rx) = Socket::pair(Domain::UNIX, Type::DGRAM, Protocol::DEFAULT).unwrap();
    if crate::common::emulation::gap("SCM_RIGHTS fds beyond the buffer") {
        return;
    }
    rx.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let (spare, _other) = Socket::pair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap();
    let eight = [spare.as_fd(); SENT];
    let baseline = open_fd_count();

    // 1. Control room for two fds of eight: the kernel installs two, sets
    //    MSG_CTRUNC and drops the rest itself; the two are ours.
    send_fds(&tx, &eight);
    let mut small = CmsgBuffer::<{ cmsg_space(2 * 4) }>::new();
    let mut fds = FdVec::<SENT>::new();
    let msg = recv(&rx, &mut small, Some(&mut fds), MsgFlags::NONE);
    let ctrunc = !crate::common::emulation::gap("MSG_CTRUNC");
    assert!(!ctrunc || msg.is_control_truncated(), "{msg:?}");
    assert_eq!((fds.len(), msg.fds_closed), (2, 0));
    assert_eq!(
        open_fd_count(),
        baseline + 2,
        "the delivered fds are open, held by the container"
    );
    assert!(fds.iter().all(|fd| fd.as_raw_fd() != spare.as_raw_fd()));
    fds.clear();
    assert_eq!(open_fd_count(), baseline, "truncated receive");

    // 2. Same, with no container: the two delivered are closed at once.
    send_fds(&tx, &eight);
    let msg = recv(&rx, &mut small, None, MsgFlags::NONE);
    assert!(msg.is_control_truncated());
    assert_eq!(msg.fds_closed, 2);
    assert_eq!(open_fd_count(), baseline, "truncated receive, no container");

    // 3. No control buffer at all: MSG_CTRUNC, nothing installed.
    send_fds(&tx, &eight);
    let msg = recv(&rx, &mut [], None, MsgFlags::NONE);
    assert!(msg.is_control_truncated());
    assert_eq!((msg.control_len, msg.fds_closed), (0, 0));
    assert_eq!(open_fd_count(), baseline, "no control buffer");

    // 4. Room for all eight, container for three: five closed and counted.
    send_fds(&tx, &eight);
    let mut roomy = CmsgBuffer::<{ cmsg_space(SENT * 4) }>::new();
    let mut three = FdVec::<3>::new();
    let msg = recv(&rx, &mut roomy, Some(&mut three), MsgFlags::NONE);
    assert!(!msg.is_control_truncated());
    assert_eq!((three.len(), msg.fds_closed), (3, 5));
    assert_eq!(open_fd_count(), baseline + 3);
    drop(three);
    assert_eq!(open_fd_count(), baseline, "container too small");

    // 5. MSG_PEEK installs copies too; both the peeked and the real ones are
    //    owned.
    send_fds(&tx, &eight);
    let msg = recv(&rx, &mut roomy, None, MsgFlags::PEEK);
    assert_eq!(msg.fds_closed, SENT);
    let mut all = FdVec::<SENT>::new();
    let msg = recv(&rx, &mut roomy, Some(&mut all), MsgFlags::NONE);
    assert_eq!((all.len(), msg.fds_closed), (SENT, 0));
    drop(all);
    assert_eq!(open_fd_count(), baseline, "peek");

    // 6. SO_PASSCRED: the credentials come first and fill the small buffer;
    //    the kernel then installs no fd at all.
    rx.set_passcred(true).unwrap();
    send_fds(&tx, &eight);
    let mut creds_only = CmsgBuffer::<{ cmsg_space(12) }>::new();
    let mut fds = FdVec::<SENT>::new();
    let msg = recv(&rx, &mut creds_only, Some(&mut fds), MsgFlags::NONE);
    assert!(msg.is_control_truncated());
    assert_eq!(fds.len(), 0);
    assert_eq!(open_fd_count(), baseline, "credentials crowd out the fds");
    rx.set_passcred(false).unwrap();

    // 7. A batch: every message's fds closed and counted.
    send_fds(&tx, &eight);
    send_fds(&tx, &eight[..3]);
    let mut data = [[0u8; 8]; 4];
    let mut control = [[0u8; cmsg_space(SENT * 4)]; 4];
    let mut batch = RecvBatch::new(data.each_mut().map(|b| &mut b[..]))
        .with_control(control.each_mut().map(|c| &mut c[..]));
    assert_eq!(rx.recv_mmsg(&mut batch, MsgFlags::DONTWAIT).unwrap(), 2);
    assert_eq!(batch.fds_closed(), SENT + 3);
    assert_eq!(open_fd_count(), baseline, "batch");
}
