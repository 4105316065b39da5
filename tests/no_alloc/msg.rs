//! The message API allocates nothing: a counting global allocator watches
//! this thread while encoding, sending and receiving with control messages,
//! decoding, passing fds, batches, GSO and GRO.

use std::net::Ipv4Addr;
use std::os::fd::AsFd;

use crate::common::alloc::no_alloc;
use crate::common::msg::recv_from_into;
use zerosock::addr::SockAddr;
use zerosock::msg::{
    Cmsg, CmsgBuffer, CmsgEncoder, CmsgIter, Control, FdVec, InPktInfo, RecvBatch, SendBatch, UCred,
    UdpRecvBatch, UdpSendBatch, cmsg_space,
};
use zerosock::{Domain, IoSlice, MsgFlags, Protocol, Socket, Type, UdpSocket, UnixStream};

#[test]
fn the_message_api_allocates_nothing() {
    let rx = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let tx = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    rx.as_socket().set_recv_pktinfo_v4(true).unwrap();
    let to = SockAddr::from(rx.local_addr().unwrap());
    let (ua, ub) = UnixStream::pair().unwrap();
    let (spare, _) = Socket::pair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap();
    let mut big = [0u8; 65536];

    no_alloc("the message API", || {
        // sendmsg with control, recvmsg with control and address, decode.
        let mut space = CmsgBuffer::<{ cmsg_space(12) + cmsg_space(4) }>::new();
        let mut cmsg = CmsgEncoder::new(&mut space);
        cmsg.ipv4_pktinfo(InPktInfo::source(Ipv4Addr::LOCALHOST, 0))
            .unwrap()
            .ipv4_tos(2)
            .unwrap();
        let parts = [IoSlice::new(b"zero "), IoSlice::new(b"alloc")];
        tx.as_socket()
            .send_msg_to(&parts, cmsg.control(), &to, MsgFlags::NONE)
            .unwrap();
        let mut data = [0u8; 32];
        let mut control = CmsgBuffer::<64>::new();
        let mut from = SockAddr::EMPTY;
        let msg = recv_from_into(rx.as_socket(), &mut data, &mut control, &mut from);
        assert_eq!(msg.bytes, 10);
        let mut pktinfo = 0;
        for c in msg.cmsgs(&control) {
            if let Ok(Cmsg::Ipv4PktInfo(_)) = c {
                pktinfo += 1;
            }
        }
        assert_eq!(pktinfo, 1);
        assert_eq!(CmsgIter::new(&control[..msg.control_len]).count(), 1);

        // fds and credentials.
        let mut space = CmsgBuffer::<{ cmsg_space(4) + cmsg_space(12) }>::new();
        let mut cmsg = CmsgEncoder::new(&mut space);
        cmsg.rights(&[spare.as_fd()]).unwrap();
        cmsg.credentials(UCred {
            pid: std::process::id() as i32,
            uid: 0,
            gid: 0,
        })
        .ok();
        ua.send_fds(b"f", &[spare.as_fd()]).unwrap();
        let mut fds = FdVec::<2>::new();
        let got = ub.recv_fds(&mut data, &mut fds).unwrap();
        assert_eq!((got.bytes, fds.len()), (1, 1));

        // Batches.
        let mut batch = SendBatch::<4>::new();
        batch.push(b"one", Some(&to), Control::NONE).unwrap();
        batch.push(b"two", Some(&to), cmsg.control()).ok();
        batch.clear();
        batch.push(b"one", Some(&to), Control::NONE).unwrap();
        batch.push(b"two", Some(&to), Control::NONE).unwrap();
        assert_eq!(tx.as_socket().send_mmsg(&mut batch, MsgFlags::NONE).unwrap(), 2);
        let mut space = [[0u8; 16]; 4];
        let mut ctl = [[0u8; 64]; 4];
        let mut rbatch = RecvBatch::new(space.each_mut().map(|b| &mut b[..]))
            .with_control(ctl.each_mut().map(|c| &mut c[..]));
        let n = rx
            .as_socket()
            .recv_mmsg(&mut rbatch, MsgFlags::WAITFORONE)
            .unwrap();
        assert!(n >= 1);
        for msg in rbatch.iter() {
            assert!(msg.source().is_some());
            assert_eq!(msg.cmsgs().count(), 1);
        }
        let remaining = 2 - n;
        let peer = tx.local_addr().unwrap();
        let to = rx.local_addr().unwrap();
        let mut sbatch = UdpSendBatch::<4>::new();
        sbatch.push(b"x", to).unwrap();
        assert_eq!(sbatch.extend_from_slice(&[(&b"y"[..], to)]), 1);
        assert_eq!(tx.send_to_batch(&mut sbatch).unwrap(), 2);
        let mut bufs_space = [[0u8; 16]; 4];
        let mut ubatch = UdpRecvBatch::new(bufs_space.each_mut().map(|b| &mut b[..]));
        let mut got = 0;
        while got < 2 + remaining {
            got += rx.recv_from_batch(&mut ubatch).unwrap();
            assert!(ubatch.iter().all(|m| m.from == Some(peer)));
        }

        // GSO and GRO.
        tx.send_to_gso(&[1u8; 3000], 1000, rx.local_addr().unwrap())
            .unwrap();
        for _ in 0..3 {
            let g = rx.recv_gro(&mut big).unwrap();
            assert_eq!(g.segments(&big).count(), 1);
        }
    });
}
