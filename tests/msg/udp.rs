//! Control messages and batches on UDP over loopback: `IP_PKTINFO` and
//! `IPV6_PKTINFO`, GSO (`UDP_SEGMENT`) and GRO (`UDP_GRO`), ECN through
//! `IP_TOS`/`IPV6_TCLASS`, `IP_TTL`, timestamps, `SO_RXQ_OVFL`, and
//! sendmmsg/recvmmsg with 32 messages from several senders.

use crate::common::{retry_eintr, skip};
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::common::msg::recv_from_into;
use zerosock::addr::SockAddr;
use zerosock::msg::{
    Cmsg, CmsgBuffer, CmsgEncoder, Control, Ecn, In6PktInfo, InPktInfo, RecvBatch, SendBatch, UdpRecvBatch,
    UdpSendBatch, cmsg_space,
};
use zerosock::poll::Interest;
use zerosock::{Errno, IoSlice, IoSliceMut, MsgFlags, Socket, UdpSocket};

const TIMEOUT: Option<Duration> = Some(Duration::from_secs(10));

fn udp(ip: IpAddr) -> UdpSocket {
    let socket = UdpSocket::bind((ip, 0)).unwrap();
    socket.as_socket().set_read_timeout(TIMEOUT).unwrap();
    socket
}

fn v4() -> UdpSocket {
    udp(Ipv4Addr::LOCALHOST.into())
}

/// A socket on ::1, or `None` (with a SKIPPED line) where IPv6 is off.
fn v6(test: &str) -> Option<UdpSocket> {
    match UdpSocket::bind((Ipv6Addr::LOCALHOST, 0)) {
        Ok(socket) => {
            socket.as_socket().set_read_timeout(TIMEOUT).unwrap();
            Some(socket)
        }
        Err(err) => {
            skip(&format!("{test}: no IPv6 loopback ({err})"));
            None
        }
    }
}

fn lo_index() -> u32 {
    // SAFETY: a NUL-terminated name.
    let index = unsafe { libc::if_nametoindex(c"lo".as_ptr()) };
    assert_ne!(index, 0);
    index
}

/// One datagram with its sender and control bytes.
struct Got {
    data: Vec<u8>,
    from: SocketAddr,
    control: Vec<u8>,
}

impl Got {
    /// Every control message, each of which must decode.
    fn cmsgs(&self) -> Vec<Cmsg<'_>> {
        zerosock::msg::CmsgIter::new(&self.control)
            .map(Result::unwrap)
            .collect()
    }
}

/// Receives one datagram with its control messages.
fn recv_cmsgs(rx: &UdpSocket) -> Got {
    let mut data = vec![0u8; 65536];
    let mut control = CmsgBuffer::<256>::new();
    let mut from = SockAddr::EMPTY;
    let msg = recv_from_into(rx.as_socket(), &mut data, &mut control, &mut from);
    assert!(!msg.is_control_truncated() && !msg.is_truncated(), "{msg:?}");
    data.truncate(msg.bytes);
    Got {
        data,
        from: from.socket_addr().unwrap(),
        control: control[..msg.control_len].to_vec(),
    }
}

#[test]
fn pktinfo_reports_the_destination_v4() {
    let (rx, tx) = (v4(), v4());
    rx.as_socket().set_recv_pktinfo_v4(true).unwrap();
    tx.send_to(b"where to?", rx.local_addr().unwrap()).unwrap();
    let got = recv_cmsgs(&rx);
    assert_eq!(
        (got.data.as_slice(), got.from),
        (&b"where to?"[..], tx.local_addr().unwrap())
    );
    let info = got.cmsgs().into_iter().find_map(|c| match c {
        Cmsg::Ipv4PktInfo(info) => Some(info),
        _ => None,
    });
    let info = info.expect("an IP_PKTINFO message");
    assert_eq!(info.ipi_addr.ip(), Ipv4Addr::LOCALHOST);
    assert_eq!(info.ipi_spec_dst.ip(), Ipv4Addr::LOCALHOST);
    assert_eq!(info.ipi_ifindex as u32, lo_index());
}

#[test]
fn pktinfo_reports_the_destination_v6() {
    let (Some(rx), Some(tx)) = (v6("IPV6_PKTINFO"), v6("IPV6_PKTINFO")) else {
        return;
    };
    rx.as_socket().set_recv_pktinfo_v6(true).unwrap();
    tx.send_to(b"v6", rx.local_addr().unwrap()).unwrap();
    assert_eq!(
        recv_cmsgs(&rx).cmsgs(),
        [Cmsg::Ipv6PktInfo(In6PktInfo::new(
            Ipv6Addr::LOCALHOST,
            lo_index()
        ))]
    );
}

/// `IP_PKTINFO` on send chooses the source: 127.0.0.1 works; an address
/// this host does not have fails the route lookup (`ENETUNREACH`; `EINVAL`
/// on kernels that check the source first), which shows the message was
/// read. Nothing leaves the host either way.
#[test]
fn pktinfo_chooses_the_source() {
    let rx = v4();
    let tx = Socket::new(
        zerosock::Domain::INET,
        zerosock::Type::DGRAM,
        zerosock::Protocol::UDP,
    )
    .unwrap();
    let to = rx.as_socket().local_addr().unwrap();
    let send_from = |source: Ipv4Addr| {
        let mut space = CmsgBuffer::<{ cmsg_space(12) }>::new();
        let mut cmsg = CmsgEncoder::new(&mut space);
        cmsg.ipv4_pktinfo(InPktInfo::source(source, 0)).unwrap();
        tx.send_msg_to(&[IoSlice::new(b"src")], cmsg.control(), &to, MsgFlags::NONE)
    };
    assert_eq!(send_from(Ipv4Addr::LOCALHOST), Ok(3));
    let foreign = send_from(Ipv4Addr::new(192, 0, 2, 1));
    assert!(
        matches!(foreign, Err(Errno::NETUNREACH | Errno::INVAL)),
        "{foreign:?}"
    );
    let mut buf = [0u8; 8];
    let (n, from) = rx.recv_from(&mut buf).unwrap();
    assert_eq!((n, from.ip()), (3, IpAddr::V4(Ipv4Addr::LOCALHOST)));
    rx.set_nonblocking(true).unwrap();
    assert_eq!(
        rx.recv_from(&mut buf).err(),
        Some(Errno::AGAIN),
        "the foreign-source send sent nothing"
    );
}

/// A GSO send of N segments arrives at a socket without GRO as N datagrams,
/// the last one shorter, contents in order.
#[test]
fn gso_send_arrives_as_n_datagrams() {
    let (rx, tx) = (v4(), v4());
    const SEG: usize = 500;
    let payload: Vec<u8> = (0..5 * SEG + 123).map(|i| (i / SEG) as u8).collect();
    assert_eq!(
        tx.send_to_gso(&payload, SEG as u16, rx.local_addr().unwrap())
            .unwrap(),
        payload.len()
    );
    let mut buf = [0u8; 2048];
    for (i, expected) in payload.chunks(SEG).enumerate() {
        let (n, from) = rx.recv_from(&mut buf).unwrap();
        assert_eq!(from, tx.local_addr().unwrap());
        assert_eq!(&buf[..n], expected, "datagram {i}");
    }
    rx.set_nonblocking(true).unwrap();
    assert_eq!(
        rx.recv_from(&mut buf).err(),
        Some(Errno::AGAIN),
        "exactly 6 datagrams"
    );

    // The per-socket option does the same for plain sends.
    tx.connect(rx.local_addr().unwrap()).unwrap();
    tx.as_socket().set_udp_segment(1000).unwrap();
    assert_eq!(tx.send(&[9u8; 2500]).unwrap(), 2500);
    rx.set_nonblocking(false).unwrap();
    let sizes: Vec<_> = (0..3).map(|_| rx.recv_from(&mut buf).unwrap().0).collect();
    assert_eq!(sizes, [1000, 1000, 500]);
}

/// What the kernel does on loopback: a GSO send reaches a `UDP_GRO` socket
/// whole — one receive of every segment's bytes with the segment size in a
/// `UDP_GRO` message — while separate plain datagrams are not coalesced
/// (loopback has no GRO engine; only GSO packets stay whole).
#[test]
fn gro_receives_a_gso_send_coalesced() {
    for rx_tx in [Some((v4(), v4())), v6("UDP_GRO").zip(v6("UDP_GRO"))] {
        let Some((rx, tx)) = rx_tx else { continue };
        rx.as_socket().set_udp_gro(true).unwrap();
        let payload: Vec<u8> = (0..4100u32).map(|i| (i / 1000) as u8).collect();
        tx.send_to_gso(&payload, 1000, rx.local_addr().unwrap()).unwrap();
        let mut buf = vec![0u8; 65536];
        let got = rx.recv_gro(&mut buf).unwrap();
        assert_eq!(
            (got.len, got.segment_size, got.from),
            (4100, Some(1000), Some(tx.local_addr().unwrap()))
        );
        let segments: Vec<&[u8]> = got.segments(&buf).collect();
        assert_eq!(segments, payload.chunks(1000).collect::<Vec<_>>());

        for _ in 0..3 {
            tx.send_to(&[1u8; 300], rx.local_addr().unwrap()).unwrap();
        }
        for _ in 0..3 {
            let got = rx.recv_gro(&mut buf).unwrap();
            assert_eq!((got.len, got.segment_size), (300, None));
            assert_eq!(got.segments(&buf).count(), 1);
        }
    }
}

/// 4 senders × 8 datagrams = 32, received by one 32-message recvmmsg with
/// the right source each; then again with the same batch (different sizes,
/// reversed order) to show that reused headers lose nothing.
#[test]
fn recvmmsg_32_datagrams_from_several_senders() {
    let rx = v4();
    rx.as_socket().set_recv_pktinfo_v4(true).unwrap();
    let to = rx.local_addr().unwrap();
    let senders: Vec<UdpSocket> = (0..4).map(|_| v4()).collect();

    let mut data = [[0u8; 64]; 32];
    let mut control = [[0u8; cmsg_space(12)]; 32];
    let mut batch = RecvBatch::new(data.each_mut().map(|b| &mut b[..]))
        .with_control(control.each_mut().map(|c| &mut c[..]));

    for round in 0..2u8 {
        let order: Vec<usize> = if round == 0 {
            (0..4).collect()
        } else {
            (0..4).rev().collect()
        };
        for seq in 0..8u8 {
            for &s in &order {
                let len = 1 + usize::from(seq) + usize::from(round) * 20;
                let msg = vec![s as u8; len];
                senders[s].send_to(&msg, to).unwrap();
            }
        }
        // Blocking, no MSG_WAITFORONE: the call returns once all 32 are in.
        assert_eq!(rx.as_socket().recv_mmsg(&mut batch, MsgFlags::NONE).unwrap(), 32);
        let mut per_sender = [0usize; 4];
        for (i, msg) in batch.iter().enumerate() {
            let s = usize::from(msg.data[0]);
            assert!(msg.data.iter().all(|&b| usize::from(b) == s), "message {i}");
            assert_eq!(
                msg.source(),
                Some(senders[s].local_addr().unwrap()),
                "message {i}"
            );
            assert_eq!(
                msg.len,
                1 + per_sender[s] + usize::from(round) * 20,
                "message {i}"
            );
            per_sender[s] += 1;
            let cmsgs: Vec<_> = msg.cmsgs().map(Result::unwrap).collect();
            assert!(
                matches!(cmsgs.as_slice(), [Cmsg::Ipv4PktInfo(_)]),
                "round {round} message {i}: {cmsgs:?}"
            );
        }
        assert_eq!(per_sender, [8; 4]);
    }
}

/// sendmmsg with per-message destinations and control; the UdpSocket
/// shortcuts over slices.
#[test]
fn send_batches() {
    let (a, b, tx) = (v4(), v4(), v4());
    a.as_socket().set_recv_tos(true).unwrap();
    let (to_a, to_b) = (
        SockAddr::from(a.local_addr().unwrap()),
        SockAddr::from(b.local_addr().unwrap()),
    );
    let mut space = CmsgBuffer::<{ cmsg_space(4) }>::new();
    let mut tos = CmsgEncoder::new(&mut space);
    tos.ipv4_tos(Ecn::Ect1.with_dscp(10)).unwrap();

    let mut batch = SendBatch::<3>::new();
    batch.push(b"to a", Some(&to_a), tos.control()).unwrap();
    let parts = [IoSlice::new(b"to "), IoSlice::new(b"b")];
    batch.push_vectored(&parts, Some(&to_b), Control::NONE).unwrap();
    batch.push(b"a again", Some(&to_a), Control::NONE).unwrap();
    assert_eq!(tx.as_socket().send_mmsg(&mut batch, MsgFlags::NONE).unwrap(), 3);
    assert_eq!(
        (0..4).map(|i| batch.sent_len(i)).collect::<Vec<_>>(),
        [Some(4), Some(4), Some(7), None]
    );

    let got = recv_cmsgs(&a);
    assert_eq!(
        (got.data.as_slice(), got.cmsgs()),
        (&b"to a"[..], vec![Cmsg::Ipv4Tos((10 << 2) | 1)])
    );
    let got = recv_cmsgs(&a);
    assert_eq!(
        (got.data.as_slice(), got.cmsgs()),
        (&b"a again"[..], vec![Cmsg::Ipv4Tos(0)])
    );
    assert_eq!(recv_cmsgs(&b).data, b"to b");

    // 40 datagrams through the typed batches, 32 at a time: the same
    // batches cleared and refilled, each call touching only the slots used.
    let msgs: Vec<(Vec<u8>, SocketAddr)> = (0..40u8)
        .map(|i| (vec![i; usize::from(i) + 1], b.local_addr().unwrap()))
        .collect();
    let refs: Vec<(&[u8], SocketAddr)> = msgs.iter().map(|(d, to)| (d.as_slice(), *to)).collect();
    let mut out = UdpSendBatch::<32>::new();
    let mut sent = 0;
    for _ in 0..4 {
        if sent == refs.len() {
            break;
        }
        out.clear();
        let taken = out.extend_from_slice(&refs[sent..]);
        assert_eq!(taken, (refs.len() - sent).min(32));
        sent += tx.send_to_batch(&mut out).unwrap();
    }
    assert_eq!(sent, 40);
    let mut space = [[0u8; 64]; 32];
    let mut batch = UdpRecvBatch::new(space.each_mut().map(|b| &mut b[..]));
    let mut got = 0;
    for _ in 0..4 {
        if got == 40 {
            break;
        }
        let n = b.recv_from_batch(&mut batch).unwrap();
        assert!((1..=32).contains(&n));
        assert_eq!(batch.len(), n);
        for (k, m) in batch.iter().enumerate() {
            let i = got + k;
            assert_eq!((m.len, m.from), (i + 1, Some(tx.local_addr().unwrap())));
            assert!(m.data.len() == m.len && m.data.iter().all(|&x| usize::from(x) == i));
        }
        got += n;
    }
    assert_eq!(got, 40);
}

/// ECN bits set per datagram on send come back in `IP_TOS` /
/// `IPV6_TCLASS` on receive.
#[test]
fn ecn_round_trips() {
    let (rx, tx) = (v4(), v4());
    rx.as_socket().set_recv_tos(true).unwrap();
    let to = SockAddr::from(rx.local_addr().unwrap());
    for ecn in [Ecn::NotEct, Ecn::Ect0, Ecn::Ect1, Ecn::Ce] {
        let mut space = CmsgBuffer::<{ cmsg_space(4) }>::new();
        let mut cmsg = CmsgEncoder::new(&mut space);
        cmsg.ipv4_tos(ecn.with_dscp(0)).unwrap();
        tx.as_socket()
            .send_msg_to(&[IoSlice::new(b"ecn")], cmsg.control(), &to, MsgFlags::NONE)
            .unwrap();
        assert_eq!(recv_cmsgs(&rx).cmsgs(), [Cmsg::Ipv4Tos(ecn as u8)]);
        assert_eq!(Ecn::from_tos(ecn as u8), ecn);
    }

    let (Some(rx), Some(tx)) = (v6("IPV6_TCLASS"), v6("IPV6_TCLASS")) else {
        return;
    };
    rx.as_socket().set_recv_tclass_v6(true).unwrap();
    let to = SockAddr::from(rx.local_addr().unwrap());
    for ecn in [Ecn::Ect0, Ecn::Ect1, Ecn::Ce] {
        let mut space = CmsgBuffer::<{ cmsg_space(4) }>::new();
        let mut cmsg = CmsgEncoder::new(&mut space);
        cmsg.ipv6_tclass(ecn.with_dscp(46)).unwrap();
        tx.as_socket()
            .send_msg_to(&[IoSlice::new(b"ecn6")], cmsg.control(), &to, MsgFlags::NONE)
            .unwrap();
        assert_eq!(recv_cmsgs(&rx).cmsgs(), [Cmsg::Ipv6TClass((46 << 2) | ecn as u8)]);
    }
}

/// `IP_TTL` per datagram, seen by the receiver with `IP_RECVTTL`.
#[test]
fn ttl_round_trips() {
    let (rx, tx) = (v4(), v4());
    rx.as_socket().set_recv_ttl(true).unwrap();
    let mut space = CmsgBuffer::<{ cmsg_space(4) }>::new();
    let mut cmsg = CmsgEncoder::new(&mut space);
    cmsg.ipv4_ttl(9).unwrap();
    let to = SockAddr::from(rx.local_addr().unwrap());
    tx.as_socket()
        .send_msg_to(&[IoSlice::new(b"ttl")], cmsg.control(), &to, MsgFlags::NONE)
        .unwrap();
    assert_eq!(recv_cmsgs(&rx).cmsgs(), [Cmsg::Ipv4Ttl(9)]);
}

/// `SO_TIMESTAMP` and `SO_TIMESTAMPNS` come with every datagram and hold a
/// plausible wall-clock time (within a day of now; no timing asserted).
#[test]
fn timestamps_are_present_and_plausible() {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    let day = Duration::from_secs(86_400);
    let plausible = |t: Duration| t > now.saturating_sub(day) && t < now + day;
    for (name, enable) in [
        (
            "SO_TIMESTAMP",
            Socket::set_timestamp as fn(&Socket, bool) -> Result<(), Errno>,
        ),
        ("SO_TIMESTAMPNS", Socket::set_timestamp_ns),
    ] {
        if name == "SO_TIMESTAMPNS" && crate::common::emulation::gap("SO_TIMESTAMPNS") {
            continue;
        }
        if name == "SO_TIMESTAMP" && crate::common::emulation::gap("SO_TIMESTAMP_NEW") {
            continue;
        }
        let (rx, tx) = (v4(), v4());
        enable(rx.as_socket(), true).unwrap();
        tx.send_to(b"when?", rx.local_addr().unwrap()).unwrap();
        let got = recv_cmsgs(&rx);
        match got.cmsgs().as_slice() {
            [Cmsg::Timestamp(tv)] if name == "SO_TIMESTAMP" => {
                assert!(tv.tv_sec > 0 && plausible(tv.duration().unwrap()), "{tv:?}")
            }
            [Cmsg::TimestampNs(ts)] if name == "SO_TIMESTAMPNS" => {
                assert!(ts.tv_sec > 0 && plausible(ts.duration().unwrap()), "{ts:?}")
            }
            other => panic!("{name}: {other:?}"),
        }
    }
}

/// `SO_RXQ_OVFL`: after datagrams are dropped for lack of buffer room, the
/// next one queued carries the drop count.
#[test]
fn rxq_overflow_counter_appears() {
    if crate::common::emulation::gap("SO_RXQ_OVFL") {
        return;
    }
    let (rx, tx) = (v4(), v4());
    rx.as_socket().set_rxq_overflow(true).unwrap();
    rx.as_socket().set_recv_buffer_size(1).unwrap(); // the kernel's minimum
    let to = rx.local_addr().unwrap();
    for _ in 0..200 {
        tx.send_to(&[0u8; 1000], to).unwrap();
    }
    // Drain what fit (bounded: the buffer holds a handful).
    rx.set_nonblocking(true).unwrap();
    let mut buf = [0u8; 2048];
    let mut drained = 0;
    while rx.recv_from(&mut buf).is_ok() {
        drained += 1;
        assert!(drained < 200, "the small buffer cannot hold them all");
    }
    rx.set_nonblocking(false).unwrap();
    tx.send_to(b"after the flood", to).unwrap();
    let got = recv_cmsgs(&rx);
    assert_eq!(got.data, b"after the flood");
    match got.cmsgs().as_slice() {
        [Cmsg::RxqOverflow(drops)] => assert!(*drops as usize >= 200 - drained - 1, "{drops} drops"),
        other => panic!("{other:?}"),
    }
}

/// `Socket::recv_msg` on a packet socket: packet sockets refuse the
/// `MSG_CMSG_CLOEXEC` recv_msg adds (EINVAL), so it must fall back and
/// still deliver the frame (here an IPv4 datagram seen on `lo`).
#[test]
fn recv_msg_works_on_a_packet_socket() {
    use zerosock::packet::{ETH_P_IP, PacketSocket};
    let packet = match PacketSocket::new(zerosock::Type::DGRAM, ETH_P_IP) {
        Ok(p) => p,
        Err(Errno::PERM | Errno::ACCESS) => {
            return skip("recv_msg_works_on_a_packet_socket: no CAP_NET_RAW");
        }
        Err(e) => panic!("packet socket: {e}"),
    };
    // lo is interface 1 in every network namespace.
    packet.bind(1).unwrap();
    packet.socket().set_read_timeout(TIMEOUT).unwrap();
    let (a, b) = (v4(), v4());
    let marker = b"zerosock-packet-recv-msg";
    a.send_to(marker, b.local_addr().unwrap()).unwrap();
    let mut from = SockAddr::EMPTY;
    // Other tests' traffic on lo arrives too: look for ours (bounded).
    for _ in 0..1000 {
        let mut buf = [0u8; 2048];
        let msg = retry_eintr(Duration::from_secs(10), || {
            packet.socket().recv_msg(
                &mut [IoSliceMut::new(&mut buf)],
                &mut [],
                Some(&mut from),
                None,
                MsgFlags::NONE,
            )
        })
        .unwrap();
        if buf[..msg.bytes].windows(marker.len()).any(|w| w == marker) {
            assert!(from.len() > 0, "the sender's sockaddr_ll is filled in");
            return;
        }
    }
    panic!("our datagram never showed on lo");
}

/// The same for `Socket::recv_mmsg` (recvmmsg(2) with `MSG_CMSG_CLOEXEC`).
#[test]
fn recv_mmsg_works_on_a_packet_socket() {
    use zerosock::packet::{ETH_P_IP, PacketSocket};
    let packet = match PacketSocket::new(zerosock::Type::DGRAM, ETH_P_IP) {
        Ok(p) => p,
        Err(Errno::PERM | Errno::ACCESS) => {
            return skip("recv_mmsg_works_on_a_packet_socket: no CAP_NET_RAW");
        }
        Err(e) => panic!("packet socket: {e}"),
    };
    packet.bind(1).unwrap();
    packet.socket().set_read_timeout(TIMEOUT).unwrap();
    let (a, b) = (v4(), v4());
    let marker = b"zerosock-packet-recv-mmsg";
    a.send_to(marker, b.local_addr().unwrap()).unwrap();
    for _ in 0..1000 {
        let mut space = [[0u8; 2048]; 4];
        let mut batch = RecvBatch::new(space.each_mut().map(|b| &mut b[..]));
        // Readiness, then a non-blocking batch: MSG_WAITFORONE would do, but
        // qemu-user hands it on to recvmsg(2), which packet sockets refuse.
        retry_eintr(Duration::from_secs(10), || {
            packet.socket().wait(Interest::IN, TIMEOUT)
        })
        .unwrap();
        let n = packet.socket().recv_mmsg(&mut batch, MsgFlags::DONTWAIT).unwrap();
        if (0..n).any(|i| {
            batch
                .get(i)
                .unwrap()
                .data
                .windows(marker.len())
                .any(|w| w == marker)
        }) {
            return;
        }
    }
    panic!("our datagram never showed on lo");
}
