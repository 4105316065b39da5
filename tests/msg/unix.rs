//! sendmsg/recvmsg over Unix sockets: fds (`SCM_RIGHTS`, `SCM_PIDFD`),
//! credentials (`SCM_CREDENTIALS`), the typed `send_fds`/`recv_fds`, and the
//! encoder's refusals.

use crate::common::skip;
use std::os::fd::{AsFd, AsRawFd, RawFd};
use std::time::Duration;

use crate::common::msg::{me, pipe, recv_into};
use zerosock::addr::{Addr, SockAddr, UnixAddr, UnixAddrKind};
use zerosock::msg::{
    Cmsg, CmsgBuffer, CmsgEncodeError, CmsgEncoder, CmsgIter, Control, FdVec, SCM_MAX_FD, UCred, cmsg_space,
};
use zerosock::{
    Domain, Error, IoSlice, IoSliceMut, MsgFlags, Protocol, Socket, Type, UnixDatagram, UnixSeqpacket,
    UnixStream,
};

const TIMEOUT: Option<Duration> = Some(Duration::from_secs(10));

fn write_fd(fd: RawFd, data: &[u8]) {
    // SAFETY: `data` is readable for its length.
    assert_eq!(
        unsafe { libc::write(fd, data.as_ptr().cast(), data.len()) },
        data.len() as isize
    );
}

fn read_fd(fd: RawFd, buf: &mut [u8]) -> usize {
    // SAFETY: `buf` is writable for its length.
    let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
    assert!(n >= 0);
    n as usize
}

fn stream_pair() -> (Socket, Socket) {
    let (a, b) = Socket::pair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap();
    b.set_read_timeout(TIMEOUT).unwrap();
    a.set_read_timeout(TIMEOUT).unwrap();
    (a, b)
}

/// The write end of a pipe crosses a socketpair; the receiver writes into
/// it and the original read end reads what it wrote.
#[test]
fn pass_a_pipe_fd_and_use_it_on_the_other_side() {
    let (a, b) = stream_pair();
    let (read_end, write_end) = pipe();

    {
        let mut out = CmsgBuffer::<{ cmsg_space(4) }>::new();
        let mut cmsg = CmsgEncoder::new(&mut out);
        cmsg.rights(&[write_end.as_fd()]).unwrap();
        assert_eq!(
            a.send_msg(&[IoSlice::new(b"take this")], cmsg.control(), MsgFlags::NONE)
                .unwrap(),
            9
        );
    }
    drop(write_end); // only the received copy remains

    let mut data = [0u8; 16];
    let mut control = CmsgBuffer::<{ cmsg_space(4) }>::new();
    let mut fds = FdVec::<2>::new();
    let msg = recv_into(&b, &mut data, &mut control, Some(&mut fds), MsgFlags::NONE);
    assert_eq!(&data[..msg.bytes], b"take this");
    assert!(!msg.is_control_truncated());
    assert_eq!((fds.len(), msg.fds_closed), (1, 0));
    let got = fds.pop().unwrap();
    assert!(
        crate::common::has_cloexec(&got),
        "received fds must have FD_CLOEXEC"
    );
    let decoded: Vec<_> = msg.cmsgs(&control).collect();
    match decoded.as_slice() {
        [Ok(Cmsg::Rights(numbers))] => assert_eq!(numbers.iter().collect::<Vec<_>>(), [got.as_raw_fd()]),
        other => panic!("unexpected control messages {other:?}"),
    }

    write_fd(got.as_raw_fd(), b"through the passed fd");
    drop(got);
    let mut buf = [0u8; 64];
    let n = read_fd(read_end.as_raw_fd(), &mut buf);
    assert_eq!(&buf[..n], b"through the passed fd");
    assert_eq!(
        read_fd(read_end.as_raw_fd(), &mut buf),
        0,
        "every write end is closed"
    );
}

/// `SO_PASSCRED`: explicit credentials and the kernel's own both equal the
/// sender's pid, uid and gid.
#[test]
fn credentials_equal_the_senders() {
    let (a, b) = Socket::pair(Domain::UNIX, Type::DGRAM, Protocol::DEFAULT).unwrap();
    b.set_read_timeout(TIMEOUT).unwrap();
    b.set_passcred(true).unwrap();

    let mut out = CmsgBuffer::<{ cmsg_space(12) }>::new();
    let mut cmsg = CmsgEncoder::new(&mut out);
    cmsg.credentials(me()).unwrap();
    a.send_msg(&[IoSlice::new(b"explicit")], cmsg.control(), MsgFlags::NONE)
        .unwrap();
    a.send_msg(&[IoSlice::new(b"implicit")], Control::NONE, MsgFlags::NONE)
        .unwrap();

    for expected in [&b"explicit"[..], b"implicit"] {
        let mut data = [0u8; 16];
        let mut control = CmsgBuffer::<64>::new();
        let msg = recv_into(&b, &mut data, &mut control, None, MsgFlags::NONE);
        assert_eq!(&data[..msg.bytes], expected);
        let creds: Vec<_> = msg
            .cmsgs(&control)
            .map(Result::unwrap)
            .filter_map(|c| match c {
                Cmsg::Credentials(cred) => Some(cred),
                _ => None,
            })
            .collect();
        assert_eq!(creds, [me()]);
    }
}

/// Credentials that are not ours are refused by the kernel (unprivileged),
/// and the error comes back unchanged.
#[test]
fn forged_credentials_are_refused_by_the_kernel() {
    // SAFETY: geteuid cannot fail.
    if unsafe { libc::geteuid() } == 0 {
        skip("running as root, which may send any credentials");
        return;
    }
    let (a, _b) = Socket::pair(Domain::UNIX, Type::DGRAM, Protocol::DEFAULT).unwrap();
    let mut out = CmsgBuffer::<{ cmsg_space(12) }>::new();
    let mut cmsg = CmsgEncoder::new(&mut out);
    cmsg.credentials(UCred { pid: 1, ..me() }).unwrap();
    assert_eq!(
        a.send_msg(&[IoSlice::new(b"x")], cmsg.control(), MsgFlags::NONE),
        Err(zerosock::Errno::PERM)
    );
}

/// The typed shortcuts on all three Unix socket types.
#[test]
fn typed_send_fds_and_recv_fds() {
    let (r1, w1) = pipe();
    let (r2, w2) = pipe();

    let (a, b) = UnixStream::pair().unwrap();
    b.as_socket().set_read_timeout(TIMEOUT).unwrap();
    assert_eq!(a.send_fds(b"2", &[w1.as_fd(), w2.as_fd()]).unwrap(), 1);
    let mut fds = FdVec::<4>::new();
    let mut buf = [0u8; 4];
    let msg = b.recv_fds(&mut buf, &mut fds).unwrap();
    assert_eq!((msg.bytes, fds.len(), msg.fds_closed), (1, 2, 0));
    write_fd(fds[0].as_raw_fd(), b"one");
    write_fd(fds[1].as_raw_fd(), b"two");
    assert_eq!(read_fd(r1.as_raw_fd(), &mut buf), 3);
    assert_eq!(&buf[..3], b"one");
    assert_eq!(read_fd(r2.as_raw_fd(), &mut buf), 3);
    assert_eq!(&buf[..3], b"two");

    let (a, b) = UnixDatagram::pair().unwrap();
    b.as_socket().set_read_timeout(TIMEOUT).unwrap();
    // A datagram may carry fds and no data at all.
    assert_eq!(a.send_fds(b"", &[w1.as_fd()]).unwrap(), 0);
    let mut fds = FdVec::<1>::new();
    let msg = b.recv_fds(&mut buf, &mut fds).unwrap();
    assert_eq!((msg.bytes, fds.len()), (0, 1));

    let (a, b) = UnixSeqpacket::pair().unwrap();
    b.as_socket().set_read_timeout(TIMEOUT).unwrap();
    a.send_fds(b"seq", &[w2.as_fd(), w1.as_fd(), w2.as_fd()]).unwrap();
    // Room for one: the other two are closed and counted, never leaked.
    let mut fds = FdVec::<1>::new();
    let msg = b.recv_fds(&mut buf, &mut fds).unwrap();
    assert_eq!((msg.bytes, fds.len(), msg.fds_closed), (3, 1, 2));
}

/// Input the kernel would reject or silently drop is refused before the call.
#[test]
fn refusals_before_any_call() {
    let (a, _b) = UnixStream::pair().unwrap();
    assert!(matches!(
        a.send_fds(b"", &[a.as_fd()]),
        Err(Error::InvalidInput(_))
    ));
    let too_many = vec![a.as_fd(); SCM_MAX_FD + 1];
    assert!(matches!(a.send_fds(b"x", &too_many), Err(Error::InvalidInput(_))));
    // SCM_MAX_FD itself is accepted by the kernel.
    let (r, w) = pipe();
    let max = vec![w.as_fd(); SCM_MAX_FD];
    let (c, d) = UnixDatagram::pair().unwrap();
    d.as_socket().set_read_timeout(TIMEOUT).unwrap();
    assert_eq!(c.send_fds(b"max", &max).unwrap(), 3);
    let mut fds = FdVec::<{ SCM_MAX_FD }>::new();
    let msg = d.recv_fds(&mut [0u8; 4], &mut fds).unwrap();
    assert_eq!(
        (fds.len(), msg.fds_closed, msg.is_control_truncated()),
        (SCM_MAX_FD, 0, false)
    );
    drop((r, fds));

    // One byte short of UDP_SEGMENT's and SCM_CREDENTIALS' room (40 on
    // 64-bit targets, 28 on 32-bit ones).
    const ROOM: usize = cmsg_space(2) + cmsg_space(12) - 1;
    let mut space = CmsgBuffer::<ROOM>::new();
    let mut enc = CmsgEncoder::new(&mut space);
    enc.udp_segment(1000).unwrap();
    // 24 + 32 > 40: refused whole, the first message intact.
    assert_eq!(
        enc.credentials(me()).err(),
        Some(CmsgEncodeError::NoSpace {
            needed: cmsg_space(2) + cmsg_space(12),
            available: ROOM
        })
    );
    assert_eq!(enc.len(), cmsg_space(2));
    assert_eq!(enc.raw(1, 1, &[0; 4]).err(), Some(CmsgEncodeError::RawFds));
    assert_eq!(enc.raw(1, 4, &[0; 4]).err(), Some(CmsgEncodeError::RawFds));
    let decoded: Vec<_> = CmsgIter::new(enc.as_bytes()).collect();
    assert_eq!(decoded, [Ok(Cmsg::UdpSegment(1000))]);
}

/// `SO_PASSPIDFD`: the kernel sends a pidfd as `SCM_PIDFD`; recv_msg owns it
/// like an `SCM_RIGHTS` fd.
#[test]
fn pidfd_is_owned_like_rights() {
    const SO_PASSPIDFD: u32 = 76;
    let (a, b) = Socket::pair(Domain::UNIX, Type::DGRAM, Protocol::DEFAULT).unwrap();
    b.set_read_timeout(TIMEOUT).unwrap();
    if let Err(err) = b.set_option(libc::SOL_SOCKET as u32, SO_PASSPIDFD, &1i32) {
        skip(&format!("SO_PASSPIDFD not supported by this kernel ({err})"));
        return;
    }
    a.send(b"pid").unwrap();
    let mut control = CmsgBuffer::<64>::new();
    let mut fds = FdVec::<1>::new();
    let msg = recv_into(&b, &mut [0u8; 4], &mut control, Some(&mut fds), MsgFlags::NONE);
    let pidfds: Vec<_> = msg
        .cmsgs(&control)
        .map(Result::unwrap)
        .filter_map(|c| match c {
            Cmsg::PidFd(fd) => Some(fd),
            _ => None,
        })
        .collect();
    assert_eq!(pidfds.len(), 1, "{:?}", msg.cmsgs(&control).collect::<Vec<_>>());
    assert_eq!(fds.len(), 1);
    assert_eq!(fds[0].as_raw_fd(), pidfds[0]);
    assert!(crate::common::has_cloexec(&fds[0]));
    // It is a pidfd of this very process: /proc/self/fdinfo says "Pid: <our pid>".
    let info = std::fs::read_to_string(format!("/proc/self/fdinfo/{}", pidfds[0])).unwrap();
    assert!(
        info.lines()
            .any(|l| l.split_whitespace().eq(["Pid:", &std::process::id().to_string()])),
        "{info}"
    );
}

/// send_msg_to an abstract address from an unbound socket; recv_msg writes
/// the sender's address straight into a SockAddr.
#[test]
fn addresses_in_and_out() {
    let name = format!("zerosock-msg-{}", std::process::id());
    let rx_addr = UnixAddr::new_abstract(name.as_bytes()).unwrap();
    let rx = UnixDatagram::bind(&rx_addr).unwrap();
    rx.as_socket().set_read_timeout(TIMEOUT).unwrap();
    let tx_addr = UnixAddr::new_abstract(format!("{name}-tx").as_bytes()).unwrap();
    let tx = UnixDatagram::bind(&tx_addr).unwrap();

    let parts = [IoSlice::new(b"he"), IoSlice::new(b"llo")];
    assert_eq!(
        tx.as_socket()
            .send_msg_to(&parts, Control::NONE, &rx_addr, MsgFlags::NONE)
            .unwrap(),
        5
    );
    let (mut x, mut y) = ([0u8; 2], [0u8; 8]);
    let mut from = SockAddr::EMPTY;
    let msg = rx
        .as_socket()
        .recv_msg(
            &mut [IoSliceMut::new(&mut x), IoSliceMut::new(&mut y)],
            &mut [],
            Some(&mut from),
            None,
            MsgFlags::NONE,
        )
        .unwrap();
    assert_eq!((msg.bytes, &x, &y[..3]), (5, b"he", &b"llo"[..]));
    let expected = format!("{name}-tx");
    assert_eq!(
        from.decode(),
        Ok(Addr::Unix(UnixAddrKind::Abstract(expected.as_bytes())))
    );

    // A datagram longer than the buffers: MSG_TRUNC.
    tx.as_socket()
        .send_msg_to(&[IoSlice::new(&[1; 32])], Control::NONE, &rx_addr, MsgFlags::NONE)
        .unwrap();
    let msg = rx
        .as_socket()
        .recv_msg(
            &mut [IoSliceMut::new(&mut y)],
            &mut [],
            None,
            None,
            MsgFlags::NONE,
        )
        .unwrap();
    assert!(msg.is_truncated());
    assert_eq!(msg.bytes, 8);
}
