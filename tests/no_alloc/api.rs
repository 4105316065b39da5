//! Zero allocation, proven at run time: a counting global allocator, armed
//! only on the current thread between two markers, drives every public
//! function family — sockets of every type, options, messages with control
//! data, batches, readiness, text forms, addresses, `/proc` tables, connect
//! with timeout and retry, and the echo example's serving loop — and asserts
//! that not one allocation (or reallocation, or free) happened in between.
//!
//! Set-up that needs the heap (spawning a peer thread, building a `Vec` of
//! inputs) happens outside the markers; the test harness's own allocations
//! happen on other threads or outside them and are not counted.

use std::fmt::Write as _;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
use std::os::fd::AsFd;
use std::time::Duration;

use crate::common::alloc::{heap_ops_in, no_alloc};
use crate::common::msg::recv_into;
use crate::common::retry_eintr;
use zerosock::addr::{
    self, Addr, SockAddr, SockAddrIn, SockAddrIn6, SockAddrStorage, UnixAddr, inet_addr, inet_aton,
    inet_ntoa, inet_ntop, inet_ntop_v4, inet_ntop_v6, inet_pton, inet_pton_v4, inet_pton_v6, write_inet_ntop,
};
use zerosock::endian::{Be16, Be32, htonl, htons, ntohl, ntohs};
use zerosock::msg::{
    Cmsg, CmsgBuffer, CmsgEncoder, CmsgIter, Control, Ecn, FdVec, InPktInfo, RecvBatch, SendBatch, UCred,
    UdpRecvBatch, UdpSendBatch, cmsg_space,
};
use zerosock::opt;
use zerosock::poll::{Interest, PollFd, poll};
use zerosock::proc::{
    InetEntries, InetEntry, InetTable, Process, SocketFds, UnixEntries, UnixEntry, find_fd,
};
use zerosock::{
    Backoff, Domain, Errno, Error, IoSlice, IoSliceMut, MsgFlags, Protocol, Shutdown, Socket, TcpListener,
    TcpStream, Type, UdpSocket, UnixDatagram, UnixListener, UnixSeqpacket, UnixSeqpacketListener, UnixStream,
    connect_retry,
};

#[test]
fn the_counter_counts() {
    // The harness must be able to fail: a Vec allocates and frees.
    let ((), n) = heap_ops_in(|| drop(std::hint::black_box(vec![1u8; 10])));
    assert_eq!(n, 2);
}

const LOCALHOST: SocketAddrV4 = SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0);
const LOCALHOST6: SocketAddrV6 = SocketAddrV6::new(Ipv6Addr::LOCALHOST, 0, 0, 0);
const SHORT: Option<Duration> = Some(Duration::from_secs(10));

fn abstract_addr(tag: &str) -> UnixAddr {
    UnixAddr::new_abstract(format!("zerosock-zero-alloc-{}-{tag}", std::process::id()).as_bytes()).unwrap()
}

// ---------------------------------------------------------------------------
// Socket: the whole call family

#[test]
fn socket_calls_do_not_allocate() {
    // TCP over v4 and v6, every call of the family.
    for (domain, local) in [
        (Domain::INET, SockAddr::from(LOCALHOST)),
        (Domain::INET6, SockAddr::from(LOCALHOST6)),
    ] {
        no_alloc("Socket TCP family", || {
            let l = Socket::new(domain, Type::STREAM, Protocol::TCP).unwrap();
            l.bind(&local).unwrap();
            l.listen(8).unwrap();
            let addr = l.local_addr().unwrap();
            let c = Socket::new(domain, Type::STREAM, Protocol::TCP).unwrap();
            c.connect(&addr).unwrap();
            let (s, peer) = l.accept().unwrap();
            assert_eq!(peer, c.local_addr().unwrap());
            assert_eq!(c.peer_addr().unwrap(), addr);
            let mut out = SockAddr::EMPTY;
            let c2 = Socket::new_nonblocking(domain, Type::STREAM, Protocol::TCP).unwrap();
            assert_eq!(c2.connect(&addr), Err(Errno::INPROGRESS));
            assert!(!c2.wait(Interest::OUT, SHORT).unwrap().is_empty());
            let s2 = l.accept_into(Some(&mut out), true).unwrap();
            assert!(s2.is_nonblocking().unwrap());
            s2.set_nonblocking(false).unwrap();
            let dup = s.try_clone().unwrap();

            let mut buf = [0u8; 64];
            assert_eq!(c.write(b"write"), Ok(5));
            assert_eq!(c.send(b"send"), Ok(4));
            assert_eq!(c.send_with_flags(b"flags", MsgFlags::DONTWAIT), Ok(5));
            assert_eq!(
                c.write_vectored(&[IoSlice::new(b"vec"), IoSlice::new(b"tor")]),
                Ok(6)
            );
            c.send_all(b"all").unwrap();
            s.recv_exact(&mut buf[..23]).unwrap();
            assert_eq!(&buf[..23], b"writesendflagsvectorall");
            c.send_all(b"0123456789").unwrap();
            assert_eq!(dup.recv_with_flags(&mut buf[..2], MsgFlags::PEEK), Ok(2));
            assert_eq!(s.read(&mut buf[..2]), Ok(2));
            assert_eq!(s.recv(&mut buf[..2]), Ok(2));
            let (a, b) = buf.split_at_mut(3);
            assert_eq!(
                s.read_vectored(&mut [IoSliceMut::new(a), IoSliceMut::new(&mut b[..3])]),
                Ok(6)
            );
            let mut from = SockAddr::EMPTY;
            assert_eq!(
                s.recv_from_into(&mut buf, MsgFlags::DONTWAIT, &mut from),
                Err(Errno::AGAIN)
            );
            assert_eq!(
                s.wait(Interest::IN, Some(Duration::ZERO)).map(|r| r.is_empty()),
                Ok(true)
            );
            c.shutdown(Shutdown::Write).unwrap();
            assert_eq!(s.recv(&mut buf), Ok(0));
            assert_eq!(s.recv_exact(&mut buf), Err(Error::UnexpectedEof));
            s.shutdown(Shutdown::Both).unwrap();
            drop(dup);
            s.close().unwrap();
            drop((c2, s2));
            // Errors are values too.
            assert_eq!(
                Socket::new(domain, Type::STREAM, Protocol::UDP).err(),
                Some(Errno::PROTONOSUPPORT)
            );
            let refused = Socket::new(domain, Type::STREAM, Protocol::TCP).unwrap();
            drop(l);
            assert_eq!(refused.connect(&addr), Err(Errno::CONNREFUSED));
        });
    }

    // UDP v4 and v6: send_to/recv_from, connect and disconnect.
    for local in [SockAddr::from(LOCALHOST), SockAddr::from(LOCALHOST6)] {
        no_alloc("Socket UDP family", || {
            let domain = local.family();
            let a = Socket::new(domain, Type::DGRAM, Protocol::UDP).unwrap();
            a.bind(&local).unwrap();
            let b = Socket::new(domain, Type::DGRAM, Protocol::UDP).unwrap();
            b.bind(&local).unwrap();
            let (aa, ba) = (a.local_addr().unwrap(), b.local_addr().unwrap());
            assert_eq!(a.send_to(b"one", &ba), Ok(3));
            assert_eq!(a.send_to_with_flags(b"two", MsgFlags::DONTWAIT, &ba), Ok(3));
            let mut buf = [0u8; 8];
            let (n, from) = b.recv_from(&mut buf).unwrap();
            assert_eq!((n, from), (3, aa));
            assert_eq!(from.decode().map(|a| matches!(a, Addr::Inet(_))), Ok(true));
            let mut from = SockAddr::EMPTY;
            assert_eq!(b.recv_from_into(&mut buf, MsgFlags::TRUNC, &mut from), Ok(3));
            a.connect(&ba).unwrap();
            a.send(b"c").unwrap();
            assert_eq!(b.recv(&mut buf), Ok(1));
            a.disconnect().unwrap();
            assert_eq!(a.send(b"x"), Err(Errno::DESTADDRREQ));
        });
    }

    // Unix: every type and kind of address, and pairs.
    no_alloc("Socket Unix family", || {
        for ty in [Type::STREAM, Type::DGRAM, Type::SEQPACKET] {
            let (a, b) = Socket::pair(Domain::UNIX, ty, Protocol::DEFAULT).unwrap();
            a.send(b"pair").unwrap();
            let mut buf = [0u8; 4];
            b.recv_exact(&mut buf).unwrap();
            assert!(b.local_addr().unwrap().decode().is_ok());
        }
        match Socket::new(Domain::INET, Type::RAW, Protocol::ICMP) {
            Ok(_) | Err(Errno::PERM | Errno::ACCESS) => {}
            Err(e) => panic!("raw socket: {e}"),
        }
    });
    let name = abstract_addr("socket");
    no_alloc("Socket Unix listener", || {
        let l = Socket::new(Domain::UNIX, Type::SEQPACKET, Protocol::DEFAULT).unwrap();
        l.bind(&name).unwrap();
        l.listen(4).unwrap();
        let c = Socket::new(Domain::UNIX, Type::SEQPACKET, Protocol::DEFAULT).unwrap();
        c.connect(&name).unwrap();
        let (s, _) = l.accept().unwrap();
        c.send(b"record").unwrap();
        let mut buf = [0u8; 16];
        assert_eq!(s.recv(&mut buf), Ok(6));
        assert_eq!(l.local_addr().unwrap().unix_addr(), Ok(name));
    });
}

#[test]
fn poll_does_not_allocate() {
    let (a, b) = Socket::pair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap();
    let (c, _d) = Socket::pair(Domain::UNIX, Type::DGRAM, Protocol::DEFAULT).unwrap();
    no_alloc("poll", || {
        a.send(b"x").unwrap();
        let mut fds = [
            PollFd::new(&a, Interest::IN),
            PollFd::new(&b, Interest::IN | Interest::OUT),
            PollFd::UNUSED,
            PollFd::new(&c, Interest::IN),
        ];
        assert_eq!(poll(&mut fds, Some(Duration::from_millis(1))), Ok(1));
        assert!(fds[0].ready().is_empty());
        fds[2].set_fd(&c);
        fds[2].set_interest(Interest::OUT);
        assert_eq!(poll(&mut fds, Some(Duration::ZERO)), Ok(2));
        let mut text = heapless::String::<128>::new();
        write!(text, "{:?} {:?}", fds[1].ready(), fds[1].interest()).unwrap();
    });
}

// ---------------------------------------------------------------------------
// Typed sockets

#[test]
fn typed_sockets_do_not_allocate() {
    no_alloc("TcpListener/TcpStream", || {
        for local in [SocketAddr::V4(LOCALHOST), SocketAddr::V6(LOCALHOST6)] {
            let l = TcpListener::bind(local).unwrap();
            let addr = l.local_addr().unwrap();
            let c = TcpStream::connect(addr).unwrap();
            let (s, peer) = l.accept().unwrap();
            assert_eq!(peer, c.local_addr().unwrap());
            assert_eq!(c.peer_addr().unwrap(), addr);
            c.send_all(b"hello").unwrap();
            let mut buf = [0u8; 5];
            assert_eq!(s.peek(&mut buf[..1]), Ok(1));
            s.recv_exact(&mut buf).unwrap();
            assert_eq!(c.write(b"ab"), Ok(2));
            assert_eq!(s.read(&mut buf), Ok(2));
            assert_eq!(c.send(b"cd"), Ok(2));
            assert_eq!(s.recv(&mut buf), Ok(2));
            assert_eq!(c.write_vectored(&[IoSlice::new(b"e")]), Ok(1));
            assert_eq!(s.read_vectored(&mut [IoSliceMut::new(&mut buf)]), Ok(1));
            let c2 = c.try_clone().unwrap();
            c2.shutdown(Shutdown::Write).unwrap();
            assert_eq!(s.read(&mut buf), Ok(0));
            c.set_nonblocking(true).unwrap();
            assert_eq!(c.read(&mut buf), Err(Errno::AGAIN));
            s.close().unwrap();
            let refused = TcpStream::connect(addr);
            drop(l);
            drop(refused);
            assert_eq!(TcpStream::connect(addr).err(), Some(Errno::CONNREFUSED.into()));
        }
    });
    no_alloc("UdpSocket", || {
        let a = UdpSocket::bind(SocketAddr::V4(LOCALHOST)).unwrap();
        let b = UdpSocket::bind(SocketAddr::V4(LOCALHOST)).unwrap();
        let (aa, ba) = (a.local_addr().unwrap(), b.local_addr().unwrap());
        a.send_to(b"to", ba).unwrap();
        let mut buf = [0u8; 8];
        assert_eq!(b.peek_from(&mut buf), Ok((2, aa)));
        assert_eq!(b.recv_from(&mut buf), Ok((2, aa)));
        a.connect(ba).unwrap();
        assert_eq!(a.peer_addr(), Ok(ba));
        a.send(b"c").unwrap();
        assert_eq!(b.peek(&mut buf), Ok(1));
        assert_eq!(b.recv(&mut buf), Ok(1));
        let _ = a.try_clone().unwrap();
    });
    let stream_name = abstract_addr("typed-stream");
    let seq_name = abstract_addr("typed-seq");
    let dgram_name = abstract_addr("typed-dgram");
    no_alloc("Unix typed sockets", || {
        let l = UnixListener::bind(&stream_name).unwrap();
        let c = UnixStream::connect(&stream_name).unwrap();
        let (s, _) = l.accept().unwrap();
        assert_eq!(c.peer_addr(), Ok(stream_name));
        assert_eq!(l.local_addr(), Ok(stream_name));
        c.send_all(b"unix").unwrap();
        let mut buf = [0u8; 4];
        s.recv_exact(&mut buf).unwrap();
        let (p, q) = UnixStream::pair().unwrap();
        p.send_all(b"pair").unwrap();
        q.recv_exact(&mut buf).unwrap();
        let _ = s.local_addr().unwrap();

        let l = UnixSeqpacketListener::bind(&seq_name).unwrap();
        let c = UnixSeqpacket::connect(&seq_name).unwrap();
        let (s, _) = l.accept().unwrap();
        c.send(b"rec").unwrap();
        assert_eq!(s.recv(&mut buf), Ok(3));
        let (p, q) = UnixSeqpacket::pair().unwrap();
        p.send(b"x").unwrap();
        assert_eq!(q.recv(&mut buf), Ok(1));

        let d = UnixDatagram::bind(&dgram_name).unwrap();
        let u = UnixDatagram::unbound().unwrap();
        u.send_to(b"dg", &dgram_name).unwrap();
        let (n, from) = d.recv_from(&mut buf).unwrap();
        assert_eq!((n, from.is_unnamed()), (2, true));
        u.connect(&dgram_name).unwrap();
        u.send(b"c").unwrap();
        assert_eq!(d.peek(&mut buf), Ok(1));
        assert_eq!(d.peek_from(&mut buf).map(|(n, _)| n), Ok(1));
        assert_eq!(d.recv(&mut buf), Ok(1));
        let (p, q) = UnixDatagram::pair().unwrap();
        p.send(b"p").unwrap();
        assert_eq!(q.recv(&mut buf), Ok(1));
        p.shutdown(Shutdown::Both).unwrap();
    });
}

#[cfg(feature = "std")]
#[test]
fn std_io_traits_do_not_allocate() {
    use std::io::{Read, Write};
    let l = TcpListener::bind(SocketAddr::V4(LOCALHOST)).unwrap();
    let mut c = TcpStream::connect(l.local_addr().unwrap()).unwrap();
    let (mut s, _) = l.accept().unwrap();
    no_alloc("std::io::Read/Write", || {
        Write::write_all(&mut c, b"std io").unwrap();
        Write::flush(&mut c).unwrap();
        let mut buf = [0u8; 6];
        Read::read_exact(&mut s, &mut buf).unwrap();
        assert_eq!(&buf, b"std io");
        c.set_nonblocking(true).unwrap();
        // An errno becomes an io::Error without a box.
        let err = Read::read(&mut c, &mut buf).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::WouldBlock);
        for e in [Error::Os(Errno::PIPE), Error::UnexpectedEof, Error::WriteZero] {
            let _ = std::io::Error::from(e);
        }
    });
}

// ---------------------------------------------------------------------------
// Options

#[test]
fn options_do_not_allocate() {
    let tcp = Socket::new(Domain::INET, Type::STREAM, Protocol::TCP).unwrap();
    let tcp6 = Socket::new(Domain::INET6, Type::STREAM, Protocol::TCP).unwrap();
    let udp = Socket::new(Domain::INET, Type::DGRAM, Protocol::UDP).unwrap();
    let udp6 = Socket::new(Domain::INET6, Type::DGRAM, Protocol::UDP).unwrap();
    let (ua, _ub) = Socket::pair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap();
    let cookie = !crate::common::emulation::gap("SO_COOKIE");
    no_alloc("socket-level options", || {
        let s = &tcp;
        s.set_linger(Some(Duration::from_secs(1))).unwrap();
        assert_eq!(s.linger(), Ok(Some(Duration::from_secs(1))));
        s.set_recv_buffer_size(65536).unwrap();
        let _ = s.recv_buffer_size().unwrap();
        s.set_send_buffer_size(65536).unwrap();
        let _ = s.send_buffer_size().unwrap();
        let _ = s.set_recv_buffer_size_force(65536);
        let _ = s.set_send_buffer_size_force(65536);
        s.set_read_timeout(Some(Duration::from_millis(1500))).unwrap();
        assert_eq!(s.read_timeout(), Ok(Some(Duration::from_millis(1500))));
        s.set_write_timeout(None).unwrap();
        assert_eq!(s.write_timeout(), Ok(None));
        assert_eq!(s.take_error(), Ok(None));
        assert_eq!(s.socket_type(), Ok(Type::STREAM));
        assert_eq!(s.domain(), Ok(Domain::INET));
        assert_eq!(s.protocol(), Ok(Protocol::TCP));
        assert_eq!(s.is_listener(), Ok(false));
        let _ = ua.peer_cred().unwrap();
        s.set_recv_lowat(1).unwrap();
        let _ = s.recv_lowat().unwrap();
        let _ = s.set_mark(0);
        let _ = s.mark();
        let _ = s.device();
        let _ = s.bind_device(None);
        s.set_priority(0).unwrap();
        let _ = s.priority().unwrap();
        if cookie {
            let _ = s.cookie().unwrap();
        }
        let _ = s.incoming_cpu();
        let _ = s.set_incoming_cpu(0);
        let _ = s.busy_poll();
        let _ = s.set_busy_poll(None);
        for on in [true, false] {
            s.set_reuse_address(on).unwrap();
            assert_eq!(s.reuse_address(), Ok(on));
            s.set_reuse_port(on).unwrap();
            let _ = s.reuse_port();
            s.set_keepalive(on).unwrap();
            let _ = s.keepalive();
            udp.set_broadcast(on).unwrap();
            let _ = udp.broadcast();
            ua.set_passcred(on).unwrap();
            let _ = ua.passcred();
            s.set_out_of_band_inline(on).unwrap();
            let _ = s.out_of_band_inline();
            let _ = s.set_zerocopy(on);
            let _ = s.zerocopy();
        }
        // Rejected before any call: a typed error, no allocation either.
        assert!(matches!(
            s.set_linger(Some(Duration::from_secs(u64::MAX))),
            Err(Error::InvalidInput(_))
        ));
    });
    no_alloc("TCP options", || {
        let s = &tcp;
        for on in [true, false] {
            s.set_nodelay(on).unwrap();
            let _ = s.nodelay();
            s.set_cork(on).unwrap();
            let _ = s.cork();
            s.set_quickack(on).unwrap();
            let _ = s.quickack();
        }
        s.set_keepalive_time(Duration::from_secs(30)).unwrap();
        let _ = s.keepalive_time().unwrap();
        s.set_keepalive_interval(Duration::from_secs(5)).unwrap();
        let _ = s.keepalive_interval().unwrap();
        s.set_keepalive_retries(3).unwrap();
        let _ = s.keepalive_retries().unwrap();
        s.set_tcp_user_timeout(Some(Duration::from_secs(2))).unwrap();
        let _ = s.tcp_user_timeout().unwrap();
        s.set_tcp_defer_accept(Some(Duration::from_secs(1))).unwrap();
        let _ = s.tcp_defer_accept().unwrap();
        let _ = s.set_tcp_fastopen(5);
        let _ = s.tcp_fastopen();
        let _ = s.set_mss(1200);
        let _ = s.mss();
        let cc = s.tcp_congestion().unwrap();
        let _ = s.set_tcp_congestion(cc.as_str());
        let info = s.tcp_info().unwrap();
        let _ = info.state();
        let mut text = heapless::String::<64>::new();
        if let Some(state) = info.state() {
            write!(text, "{state}").unwrap();
        }
    });
    no_alloc("IP and IPv6 options", || {
        udp.set_ttl(33).unwrap();
        assert_eq!(udp.ttl(), Ok(33));
        udp.set_tos(0x10).unwrap();
        let _ = udp.tos();
        udp.set_multicast_ttl_v4(2).unwrap();
        let _ = udp.multicast_ttl_v4();
        let _ = udp.multicast_if_v4();
        let _ = udp.set_multicast_if_v4(Ipv4Addr::LOCALHOST);
        let _ = udp.set_multicast_if_index_v4(1);
        let group = Ipv4Addr::new(239, 1, 2, 3);
        let _ = udp.join_multicast_v4(group, Ipv4Addr::UNSPECIFIED);
        let _ = udp.leave_multicast_v4(group, Ipv4Addr::UNSPECIFIED);
        let _ = udp.join_multicast_v4_index(group, 1);
        let _ = udp.leave_multicast_v4_index(group, 1);
        let _ = udp.mtu_discover().map(|m| udp.set_mtu_discover(m));
        let _ = udp.mtu();
        for on in [true, false] {
            udp.set_multicast_loop_v4(on).unwrap();
            let _ = udp.multicast_loop_v4();
            udp.set_recv_pktinfo_v4(on).unwrap();
            let _ = udp.recv_pktinfo_v4();
            udp.set_recv_tos(on).unwrap();
            let _ = udp.recv_tos();
            let _ = udp.set_freebind(on);
            let _ = udp.freebind();
            let _ = udp.set_transparent(on);
            let _ = udp.transparent();
            let _ = udp.header_included();
            let _ = udp.set_udp_gro(on);
            let _ = udp.udp_gro();
            let _ = udp6.set_only_v6(on);
            let _ = udp6.only_v6();
            udp6.set_multicast_loop_v6(on).unwrap();
            let _ = udp6.multicast_loop_v6();
            udp6.set_recv_pktinfo_v6(on).unwrap();
            let _ = udp6.recv_pktinfo_v6();
            udp6.set_recv_tclass_v6(on).unwrap();
            let _ = udp6.recv_tclass_v6();
        }
        let _ = udp.set_udp_segment(1200);
        let _ = udp.udp_segment();
        udp6.set_unicast_hops_v6(9).unwrap();
        let _ = udp6.unicast_hops_v6();
        udp6.set_multicast_hops_v6(2).unwrap();
        let _ = udp6.multicast_hops_v6();
        let _ = udp6.multicast_if_v6();
        let _ = udp6.set_multicast_if_v6(0);
        let g6 = Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 0x123);
        let _ = udp6.join_multicast_v6(g6, 1);
        let _ = udp6.leave_multicast_v6(g6, 1);
        udp6.set_tclass_v6(0x20).unwrap();
        let _ = udp6.tclass_v6();
        let _ = tcp6.tcp_info();
    });
    no_alloc("receive-side switches", || {
        for on in [true, false] {
            let _ = udp.set_recv_ttl(on);
            let _ = udp.recv_ttl();
            let _ = udp6.set_recv_hoplimit_v6(on);
            let _ = udp6.recv_hoplimit_v6();
            let _ = udp.set_timestamp(on);
            let _ = udp.timestamp();
            let _ = udp.set_timestamp_ns(on);
            let _ = udp.timestamp_ns();
            let _ = udp.set_rxq_overflow(on);
            let _ = udp.rxq_overflow();
            let _ = ua.set_passpidfd(on);
            let _ = ua.passpidfd();
        }
    });
    let ts_listener = TcpListener::bind(SocketAddr::V4(LOCALHOST)).unwrap();
    let ts = TcpStream::connect(ts_listener.local_addr().unwrap()).unwrap();
    let us = UdpSocket::bind(SocketAddr::V4(LOCALHOST)).unwrap();
    let (unix_a, _unix_b) = UnixStream::pair().unwrap();
    no_alloc("typed sockets' std-named options", || {
        let _ = ts.take_error().unwrap();
        let _ = ts_listener.take_error().unwrap();
        ts.set_read_timeout(Some(Duration::from_secs(3))).unwrap();
        let _ = ts.read_timeout().unwrap();
        ts.set_write_timeout(None).unwrap();
        let _ = ts.write_timeout().unwrap();
        ts.set_ttl(60).unwrap();
        let _ = ts.ttl().unwrap();
        let _ = ts_listener.ttl().unwrap();
        ts.set_nodelay(true).unwrap();
        let _ = ts.nodelay().unwrap();
        ts.set_linger(None).unwrap();
        let _ = ts.linger().unwrap();
        us.set_broadcast(true).unwrap();
        let _ = us.broadcast().unwrap();
        us.set_multicast_loop_v4(true).unwrap();
        let _ = us.multicast_loop_v4().unwrap();
        us.set_multicast_ttl_v4(1).unwrap();
        let _ = us.multicast_ttl_v4().unwrap();
        let _ = us.set_multicast_loop_v6(true);
        let _ = us.multicast_loop_v6();
        let group = Ipv4Addr::new(239, 9, 9, 9);
        let _ = us.join_multicast_v4(&group, &Ipv4Addr::UNSPECIFIED);
        let _ = us.leave_multicast_v4(&group, &Ipv4Addr::UNSPECIFIED);
        let g6 = Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 0x99);
        let _ = us.join_multicast_v6(&g6, 0);
        let _ = us.leave_multicast_v6(&g6, 0);
        let _ = unix_a.peer_cred().unwrap();
        let _ = unix_a.take_error().unwrap();
    });
    no_alloc("raw option paths", || {
        let mut value = [0u8; 4];
        assert_eq!(
            tcp.get_option_raw(opt::SOL_SOCKET, opt::SO_TYPE, &mut value),
            Ok(opt::OptionLen {
                written: 4,
                reported: 4
            })
        );
        tcp.set_option_raw(opt::SOL_SOCKET, opt::SO_KEEPALIVE, &1i32.to_ne_bytes())
            .unwrap();
        let v: i32 = tcp.get_option(opt::SOL_SOCKET, opt::SO_KEEPALIVE).unwrap();
        assert_eq!(v, 1);
        let (_, len): (i32, _) = tcp.get_option_with_len(opt::SOL_SOCKET, opt::SO_RCVBUF).unwrap();
        assert_eq!(len.written, 4);
        tcp.set_option(opt::SOL_TCP, opt::TCP_NODELAY, &1i32).unwrap();
        // An unknown level: the kernel's error (EOPNOTSUPP for TCP).
        assert!(tcp.get_option_raw(0xffff, 0xffff, &mut value).is_err());
    });
}

// ---------------------------------------------------------------------------
// Messages, control data, batches

#[test]
fn messages_and_control_data_do_not_allocate() {
    let (a, b) = Socket::pair(Domain::UNIX, Type::DGRAM, Protocol::DEFAULT).unwrap();
    let (spare, _) = Socket::pair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap();
    b.set_passcred(true).unwrap();
    let rx = Socket::new(Domain::INET, Type::DGRAM, Protocol::UDP).unwrap();
    rx.bind(&LOCALHOST).unwrap();
    rx.set_recv_pktinfo_v4(true).unwrap();
    rx.set_recv_tos(true).unwrap();
    let to = rx.local_addr().unwrap();
    let tx = Socket::new(Domain::INET, Type::DGRAM, Protocol::UDP).unwrap();
    no_alloc("send_msg/recv_msg with SCM_RIGHTS and credentials", || {
        let mut out = CmsgBuffer::<{ cmsg_space(8) + cmsg_space(12) }>::new();
        let mut enc = CmsgEncoder::new(&mut out);
        enc.rights(&[spare.as_fd(), spare.as_fd()]).unwrap();
        let me = UCred {
            pid: std::process::id() as i32,
            uid: unsafe { libc::getuid() },
            gid: unsafe { libc::getgid() },
        };
        enc.credentials(me).unwrap();
        assert_eq!(
            a.send_msg(
                &[IoSlice::new(b"fds"), IoSlice::new(b"!")],
                enc.control(),
                MsgFlags::NONE
            ),
            Ok(4)
        );
        let mut buf = [0u8; 8];
        let mut control = CmsgBuffer::<256>::new();
        let mut fds = FdVec::<1>::new();
        let mut from = SockAddr::EMPTY;
        let msg = b
            .recv_msg(
                &mut [IoSliceMut::new(&mut buf)],
                &mut control,
                Some(&mut from),
                Some(&mut fds),
                MsgFlags::NONE,
            )
            .unwrap();
        assert_eq!((msg.bytes, fds.len(), msg.fds_closed), (4, 1, 1));
        let mut kinds = 0;
        for cmsg in msg.cmsgs(&control) {
            match cmsg.unwrap() {
                Cmsg::Rights(numbers) => kinds += numbers.iter().count(),
                Cmsg::Credentials(cred) => kinds += usize::from(cred.pid == me.pid),
                _ => {}
            }
        }
        assert_eq!(kinds, 3);
        let mut text = heapless::String::<512>::new();
        write!(text, "{:?} {:?}", msg, CmsgIter::new(&control[..msg.control_len])).unwrap();
    });
    no_alloc("send_msg_to with IP control data", || {
        let mut out = CmsgBuffer::<128>::new();
        let mut enc = CmsgEncoder::new(&mut out);
        enc.ipv4_tos(Ecn::Ect0.with_dscp(10)).unwrap();
        enc.ipv4_ttl(9).unwrap();
        enc.ipv4_pktinfo(InPktInfo::default()).unwrap();
        assert_eq!(
            tx.send_msg_to(&[IoSlice::new(b"ip")], enc.control(), &to, MsgFlags::NONE),
            Ok(2)
        );
        let mut buf = [0u8; 8];
        let mut control = CmsgBuffer::<256>::new();
        let msg = recv_into(&rx, &mut buf, &mut control, None, MsgFlags::NONE);
        let mut seen = 0;
        for cmsg in msg.cmsgs(&control) {
            match cmsg.unwrap() {
                Cmsg::Ipv4PktInfo(_) | Cmsg::Ipv4Tos(_) => seen += 1,
                _ => {}
            }
        }
        assert_eq!(seen, 2);
        // Every other encoder entry point, and re-encoding decoded messages.
        let mut space = CmsgBuffer::<512>::new();
        let mut enc = CmsgEncoder::new(&mut space);
        enc.ipv6_tclass(1)
            .unwrap()
            .ipv6_hoplimit(2)
            .unwrap()
            .udp_segment(1400)
            .unwrap()
            .raw(6, 99, b"opaque")
            .unwrap()
            .ipv6_pktinfo(Default::default())
            .unwrap();
        let mut again = CmsgBuffer::<512>::new();
        let mut enc2 = CmsgEncoder::new(&mut again);
        for cmsg in CmsgIter::new(enc.as_bytes()) {
            enc2.push(&cmsg.unwrap()).unwrap();
        }
        assert_eq!(enc.as_bytes(), enc2.as_bytes());
        assert!(enc2.raw(1, 1, &[0; 1024]).is_err());
        enc2.clear();
        assert!(enc2.is_empty());
        let _ = Control::NONE.as_bytes();
    });

    // Unix typed fd passing.
    let (p, q) = UnixStream::pair().unwrap();
    let (dp, dq) = UnixDatagram::pair().unwrap();
    no_alloc("send_fds/recv_fds", || {
        p.send_fds(b"f", &[spare.as_fd()]).unwrap();
        let mut fds = FdVec::<2>::new();
        let mut buf = [0u8; 1];
        let msg = q.recv_fds(&mut buf, &mut fds).unwrap();
        assert_eq!((msg.bytes, fds.len()), (1, 1));
        assert!(matches!(
            p.send_fds(b"", &[spare.as_fd()]),
            Err(Error::InvalidInput(_))
        ));
        dp.send_fds(b"", &[spare.as_fd()]).unwrap();
        let msg = dq.recv_fds(&mut buf, &mut fds).unwrap();
        assert_eq!((msg.bytes, fds.len()), (0, 2));
    });
}

#[test]
fn batches_do_not_allocate() {
    let (a, b) = Socket::pair(Domain::UNIX, Type::DGRAM, Protocol::DEFAULT).unwrap();
    let rx = UdpSocket::bind(SocketAddr::V4(LOCALHOST)).unwrap();
    let tx = UdpSocket::bind(SocketAddr::V4(LOCALHOST)).unwrap();
    let to = rx.local_addr().unwrap();
    let to_any = SockAddr::from(to);
    let udp_rx = rx.try_clone().unwrap();
    no_alloc("send_mmsg/recv_mmsg", || {
        let mut batch = SendBatch::<4>::new();
        batch.push(b"1", None, Control::NONE).unwrap();
        let parts = [IoSlice::new(b"2"), IoSlice::new(b"2")];
        batch.push_vectored(&parts, None, Control::NONE).unwrap();
        batch.push(b"333", None, Control::NONE).unwrap();
        assert_eq!(a.send_mmsg(&mut batch, MsgFlags::NONE), Ok(3));
        assert_eq!(batch.sent_len(1), Some(2));
        let mut space = [[0u8; 8]; 4];
        let mut control = [[0u8; 64]; 4];
        let mut recv = RecvBatch::new(space.each_mut().map(|b| &mut b[..]))
            .with_control(control.each_mut().map(|c| &mut c[..]));
        assert_eq!(b.recv_mmsg(&mut recv, MsgFlags::DONTWAIT), Ok(3));
        assert_eq!(recv.get(2).map(|r| r.data), Some(&b"333"[..]));
        let total: usize = recv.iter().map(|r| r.len + r.cmsgs().count()).sum();
        assert_eq!(total, 6);
        batch.clear();

        let mut batch = SendBatch::<2>::new();
        batch.push(b"udp", Some(&to_any), Control::NONE).unwrap();
        batch.push(b"udp2", Some(&to_any), Control::NONE).unwrap();
        assert!(batch.push(b"full", None, Control::NONE).is_err());
        assert_eq!(tx.as_socket().send_mmsg(&mut batch, MsgFlags::NONE), Ok(2));
        let mut space = [[0u8; 8]; 2];
        let mut recv = RecvBatch::new(space.each_mut().map(|b| &mut b[..]));
        assert_eq!(
            udp_rx.as_socket().recv_mmsg(&mut recv, MsgFlags::WAITFORONE),
            Ok(2)
        );
        assert_eq!(
            recv.get(0).and_then(|r| r.source()),
            Some(tx.local_addr().unwrap())
        );

        let mut sbatch = UdpSendBatch::<4>::new();
        assert_eq!(sbatch.extend_from_slice(&[(&b"x"[..], to), (&b"yy"[..], to)]), 2);
        assert_eq!(tx.send_to_batch(&mut sbatch), Ok(2));
        let mut space = [[0u8; 8]; 4];
        let mut ubatch = UdpRecvBatch::new(space.each_mut().map(|b| &mut b[..]));
        assert_eq!(rx.recv_from_batch(&mut ubatch), Ok(2));
        assert_eq!(ubatch.get(1).map(|d| d.len), Some(2));
        let _ = tx.send_to_gso(&[0u8; 64], 16, to);
        let mut big = [0u8; 256];
        if let Ok(gro) = rx.recv_gro(&mut big) {
            let _ = gro.segments(&big).count();
        }
    });
}

// ---------------------------------------------------------------------------
// Addresses, text forms, byte order

#[test]
fn addresses_and_text_forms_do_not_allocate() {
    let texts: [&[u8]; 10] = [
        b"127.0.0.1",
        b"0x7f.1",
        b"017.0.0.1 trailing",
        b"256.1.1.1",
        b"",
        b"::1",
        b"::ffff:1.2.3.4",
        b"1:2:3:4:5:6:7:8",
        b"1::2::3",
        b"fe80::1%eth0",
    ];
    no_alloc("inet_* text forms", || {
        for t in texts {
            let _ = inet_aton(t);
            let _ = inet_addr(t);
            let _ = inet_pton_v4(t);
            let _ = inet_pton_v6(t);
            let _ = inet_pton(Domain::INET, t);
            let _ = inet_pton(Domain::INET6, t);
            assert!(inet_pton(Domain::UNIX, t).is_err());
        }
        let v4 = Ipv4Addr::new(192, 0, 2, 1);
        let v6 = Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1);
        assert_eq!(inet_ntoa(v4).as_str(), "192.0.2.1");
        assert_eq!(inet_ntop_v4(v4).as_str(), "192.0.2.1");
        assert_eq!(inet_ntop_v6(v6).as_str(), "2001:db8::1");
        assert_eq!(inet_ntop(v6.into()).as_str(), "2001:db8::1");
        let mut out = heapless::String::<64>::new();
        write_inet_ntop(v4.into(), &mut out).unwrap();
        let err = inet_pton_v4("1.2.3").unwrap_err();
        write!(out, "{err}").unwrap();
    });
    no_alloc("addresses", || {
        let v4 = SocketAddrV4::new(Ipv4Addr::new(10, 1, 2, 3), 80);
        let v6 = SocketAddrV6::new(Ipv6Addr::LOCALHOST, 443, 7, 2);
        assert_eq!(SockAddrIn::from(v4).socket_addr(), v4);
        assert_eq!(SockAddrIn6::from(v6).socket_addr(), v6);
        let any = SockAddr::from(SocketAddr::V6(v6));
        assert_eq!(any.socket_addr(), Some(SocketAddr::V6(v6)));
        assert!(any.decode().is_ok());
        let path = UnixAddr::new("/tmp/x.sock").unwrap();
        let abs = UnixAddr::new_abstract(b"\0name").unwrap();
        assert!(UnixAddr::new([b'x'; 200]).is_err());
        assert!(UnixAddr::new("a\0b").is_err());
        assert_eq!(SockAddr::from(path).unix_addr(), Ok(path));
        assert_eq!(UnixAddr::from_raw(abs.as_raw(), abs.len()), Ok(abs));
        let _ = (
            path.kind(),
            abs.as_abstract(),
            path.as_pathname(),
            UnixAddr::UNNAMED.is_unnamed(),
        );
        let mut storage = SockAddrStorage::ZEROED;
        storage.as_bytes_mut()[..2].copy_from_slice(&2u16.to_ne_bytes());
        assert!(SockAddr::from_raw(storage, 3).decode().is_err());
        let mut text = heapless::String::<512>::new();
        write!(
            text,
            "{any:?} {path:?} {abs:?} {:?} {:?} {:?}",
            SockAddr::from_raw(storage, 3),
            Domain::INET6,
            MsgFlags::PEEK | MsgFlags::from_raw(1 << 30)
        )
        .unwrap();
        let _ = addr::UNIX_NAME_MAX;
    });
    no_alloc("byte order", || {
        assert_eq!(ntohs(htons(0x1234)), 0x1234);
        assert_eq!(ntohl(htonl(0x1234_5678)), 0x1234_5678);
        assert_eq!(Be16::from_host(1).to_host(), 1);
        assert_eq!(Be32::from_bytes([1, 2, 3, 4]).to_bytes(), [1, 2, 3, 4]);
    });
}

// ---------------------------------------------------------------------------
// /proc tables

#[test]
fn proc_tables_do_not_allocate() {
    let l = TcpListener::bind(SocketAddr::V4(LOCALHOST)).unwrap();
    let u = UnixListener::bind(&abstract_addr("proc")).unwrap();
    no_alloc("/proc readers", || {
        let inode = l.inode().unwrap();
        let mut buf = [0u8; 1024];
        let mut found = false;
        for table in InetTable::ALL {
            if let Ok(entries) = InetEntries::open(Process::Current, table, &mut buf) {
                for entry in entries.flatten() {
                    found |= entry.inode == inode;
                    let _ = entry.ss_state();
                }
            }
        }
        assert!(found);
        let unix_inode = u.inode().unwrap();
        let mut found = false;
        for entry in UnixEntries::open(Process::Current, &mut buf).unwrap().flatten() {
            found |= entry.inode == unix_inode;
            let _ = entry.path();
        }
        assert!(found);
        let mut count = 0;
        for fd in SocketFds::open(Process::Current, &mut buf).unwrap().flatten() {
            count += usize::from(fd.inode == inode);
        }
        assert_eq!(count, 1);
        assert!(find_fd(Process::Current, inode, &mut buf).unwrap().is_some());
        let _ = zerosock::proc::inode(&l);
        let line = b"  0: 0100007F:1F90 00000000:0000 0A 00000000:00000002 00:00000000 00000000  1000        0 4242 1";
        let e = InetEntry::parse(line).unwrap();
        let mut text = heapless::String::<256>::new();
        write!(text, "{e:?}").unwrap();
        let _ = UnixEntry::parse(b"0000000000000000: 00000002 00000000 00010000 0001 01 20931 /run/app.sock")
            .unwrap();
        let err = InetEntry::parse(b"garbage").unwrap_err();
        write!(text, "{err}").unwrap();
    });
}

#[test]
fn netlink_and_packet_do_not_allocate() {
    use zerosock::netlink::diag::{InetQuery, SockDiag, UnixQuery};
    use zerosock::netlink::route::Rtnetlink;
    use zerosock::packet::bpf::{self, Program, SockFilter as I};
    // Read-only requests in the test's own namespace; a listener to find.
    let l = TcpListener::bind(SocketAddr::V4(LOCALHOST)).unwrap();
    let u = UnixListener::bind(&abstract_addr("diag")).unwrap();
    let (inode, unix_inode) = (l.inode().unwrap() as u32, u.inode().unwrap() as u32);
    let neighbours_gap = crate::common::emulation::gap("RTM_NEWNEIGH");
    let diag_gap = crate::common::emulation::gap("NETLINK_SOCK_DIAG");
    no_alloc("rtnetlink and sock_diag", || {
        let mut buf = [0u8; 32 * 1024];
        let rtnl = Rtnetlink::open().unwrap();
        let mut n = 0;
        rtnl.links(&mut buf, |link| n += usize::from(link.name().is_some()))
            .unwrap();
        rtnl.addresses(Domain::UNSPEC, &mut buf, |a| n += usize::from(a.ip().is_some()))
            .unwrap();
        rtnl.routes(Domain::INET, &mut buf, |r| n += r.table() as usize & 1)
            .unwrap();
        if !neighbours_gap {
            rtnl.neighbours(Domain::UNSPEC, &mut buf, |_| n += 1).unwrap();
        }
        assert!(n > 0);
        assert_eq!(rtnl.link_index("lo", &mut buf).unwrap(), 1);
        // The error path decodes the extended ACK in place. (Printing it
        // is not checked here: an errno's text comes from rustix, which
        // asks std for it when std is linked.)
        let err = rtnl.link_index("zs-no-such-link", &mut buf).unwrap_err();
        assert_eq!(err.errno(), Some(Errno::NODEV));
        if diag_gap {
            return;
        }
        let diag = SockDiag::open().unwrap();
        let mut found = false;
        diag.inet(
            &InetQuery {
                tcp_info: true,
                ..InetQuery::new(Domain::INET, Protocol::TCP)
            },
            &mut buf,
            |s| {
                found |= s.inode() == inode && s.tcp_info().is_some();
            },
        )
        .unwrap();
        assert!(found);
        let mut found = false;
        diag.unix(&UnixQuery::default(), &mut buf, |s| {
            found |= s.inode() == unix_inode && s.name().is_some()
        })
        .unwrap();
        assert!(found);
    });
    let detach = !crate::common::emulation::gap("SO_DETACH_FILTER");
    no_alloc("classic BPF", || {
        let program = [I::ld_len(), I::jgt(100, 0, 1), I::ret(0), I::ret(u32::MAX)];
        let program = Program::new(&program).unwrap();
        let udp = Socket::new(Domain::INET, Type::DGRAM, Protocol::UDP).unwrap();
        bpf::attach_filter(&udp, &program).unwrap();
        if detach {
            bpf::detach_filter(&udp).unwrap();
        }
        assert!(Program::new(&[I::ja(5)]).is_err());
    });
}

// ---------------------------------------------------------------------------
// Connecting with a timeout and with retries

#[test]
fn connect_timeout_and_retry_do_not_allocate() {
    if crate::common::emulation::gap("PR_GET_AUXV") {
        return;
    }
    let l = TcpListener::bind(SocketAddr::V4(LOCALHOST)).unwrap();
    let addr = l.local_addr().unwrap();
    let holder = Socket::new(Domain::INET, Type::STREAM, Protocol::TCP).unwrap();
    holder.bind(&LOCALHOST).unwrap();
    let refused = holder.local_addr().unwrap();
    let refused_ip = refused.socket_addr().unwrap();
    no_alloc("connect_timeout/connect_retry", || {
        let s = Socket::new(Domain::INET, Type::STREAM, Protocol::TCP).unwrap();
        s.connect_timeout(&SockAddr::from(addr), Duration::from_secs(5))
            .unwrap();
        let _ = TcpStream::connect_timeout(&addr, Duration::from_secs(5)).unwrap();
        let s = Socket::new(Domain::INET, Type::STREAM, Protocol::TCP).unwrap();
        assert_eq!(
            s.connect_timeout(&refused, Duration::from_secs(5)),
            Err(Error::Os(Errno::CONNREFUSED))
        );
        assert!(matches!(
            s.connect_timeout(&refused, Duration::ZERO),
            Err(Error::InvalidInput(_))
        ));
        let quick = Backoff {
            first: Duration::from_millis(1),
            max_delay: Duration::from_millis(2),
            max_tries: 3,
            try_timeout: Some(Duration::from_secs(1)),
        };
        let r = connect_retry(&refused, &quick, |_| {
            Socket::new(Domain::INET, Type::STREAM, Protocol::TCP)
        });
        assert_eq!(r.err(), Some(Error::Os(Errno::CONNREFUSED)));
        assert_eq!(
            TcpStream::connect_retry(refused_ip, &quick).err(),
            Some(Error::Os(Errno::CONNREFUSED))
        );
        let _ = TcpStream::connect_retry(addr, &quick).unwrap();
        let _ = (
            quick.delay_after(2),
            quick.total_delay(),
            Backoff::APUE.total_delay(),
        );
    });
}

// ---------------------------------------------------------------------------
// The echo example's serving loop

/// examples/echo.rs, included as a module so its `Server` loop can run here.
#[path = "../../examples/echo.rs"]
#[allow(dead_code)]
mod echo;

#[test]
fn the_echo_loop_does_not_allocate() {
    let listener = TcpListener::bind(SocketAddr::V4(LOCALHOST)).unwrap();
    let addr = listener.local_addr().unwrap();
    // A second handle on the listener, to stop the loop from outside:
    // shutting a listening socket down makes it a closed one, poll reports
    // POLLHUP, and accept fails with EINVAL, which ends `run`.
    let stopper = listener.try_clone().unwrap();
    // The server thread counts its own heap operations from the moment the
    // loop starts until it returns. Its table is about 1 MiB: a big stack.
    let server = std::thread::Builder::new()
        .stack_size(16 << 20)
        .spawn(move || {
            let mut server = echo::Server::new(listener, 8).unwrap();
            let deadline = std::time::Instant::now() + Duration::from_secs(60);
            heap_ops_in(|| server.run(Some(deadline)))
        })
        .unwrap();

    // Clients: several at once, more than the capacity of 8, messages of
    // every size up to twice the server's buffer, some leaving mid-message.
    let mut clients = Vec::new();
    for _ in 0..8 {
        let c = TcpStream::connect(addr).unwrap();
        c.as_socket()
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        clients.push(c);
    }
    let message: Vec<u8> = (0..8192u32).map(|i| (i * 31 % 251) as u8).collect();
    let mut echo = vec![0u8; message.len()];
    for round in 0..20 {
        for (i, c) in clients.iter().enumerate() {
            let len = 1 + (round * 409 + i * 97) % message.len();
            c.send_all(&message[..len]).unwrap();
            c.recv_exact(&mut echo[..len]).unwrap();
            assert_eq!(echo[..len], message[..len]);
        }
    }
    // A ninth client beyond capacity is accepted and closed at once.
    let extra = TcpStream::connect(addr).unwrap();
    extra
        .as_socket()
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    assert_eq!(
        retry_eintr(Duration::from_secs(20), || extra.read(&mut echo)),
        Ok(0)
    );
    // A client that resets mid-message.
    clients[0].as_socket().set_linger(Some(Duration::ZERO)).unwrap();
    clients[0].send_all(&message[..100]).unwrap();
    drop(clients.remove(0));
    // The others still work.
    clients[0].send_all(b"still there").unwrap();
    clients[0].recv_exact(&mut echo[..11]).unwrap();
    assert_eq!(&echo[..11], b"still there");
    drop(clients);

    stopper.as_socket().shutdown(Shutdown::Read).unwrap();
    let (result, heap_ops) = server.join().unwrap();
    assert_eq!(
        result,
        Err(Errno::INVAL),
        "the loop ends when its listener is shut down"
    );
    assert_eq!(
        heap_ops, 0,
        "the echo loop made {heap_ops} heap operations while serving"
    );
}
