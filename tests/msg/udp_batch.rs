//! The typed UDP batches (`UdpSendBatch`, `UdpRecvBatch` with
//! `UdpSocket::send_to_batch`/`recv_from_batch`): `core::net` addresses
//! encoded into and decoded from the kernel's bytes, headers kept across
//! calls. Mixed families on a dual-stack socket (a slot switching family
//! between calls), truncation, partial batches, full batches, errors, and a
//! batch moved between calls.

use core::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use crate::common::skip;
use zerosock::msg::{BatchFull, UdpRecvBatch, UdpSendBatch};
use zerosock::{Errno, MsgFlags, UdpSocket};

fn udp(ip: IpAddr) -> Option<UdpSocket> {
    let socket = UdpSocket::bind((ip, 0)).ok()?;
    socket
        .as_socket()
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    Some(socket)
}

fn v4() -> UdpSocket {
    udp(Ipv4Addr::LOCALHOST.into()).unwrap()
}

/// Receives exactly `n` datagrams with `recv_from_batch` (a bounded number
/// of calls, each bounded by the socket's read timeout), as
/// `(data, len, from, truncated)`.
fn recv_n(rx: &UdpSocket, n: usize, buf_len: usize) -> Vec<(Vec<u8>, usize, SocketAddr, bool)> {
    let mut space = vec![vec![0u8; buf_len]; 8];
    let bufs: [&mut [u8]; 8] = space
        .iter_mut()
        .map(Vec::as_mut_slice)
        .collect::<Vec<_>>()
        .try_into()
        .unwrap();
    let mut batch = UdpRecvBatch::new(bufs);
    let mut got = Vec::new();
    for _ in 0..n {
        if got.len() == n {
            break;
        }
        let k =
            crate::common::retry_eintr(Duration::from_secs(10), || rx.recv_from_batch(&mut batch)).unwrap();
        assert_eq!((k, batch.len(), batch.iter().count()), (k, k, k));
        got.extend(batch.iter().map(|d| {
            (
                d.data.to_vec(),
                d.len,
                d.from.expect("an IP sender"),
                d.is_truncated(),
            )
        }));
    }
    assert_eq!(got.len(), n);
    got
}

/// A dual-stack `[::]` socket receives from an IPv4 and an IPv6 sender in
/// one batch (the IPv4 one as `::ffff:127.0.0.1`), and answers both from one
/// send batch holding a `sockaddr_in` and a `sockaddr_in6`; refilled with
/// the families swapped, each slot switches family and length.
#[test]
fn mixed_families_on_a_dual_stack_socket() {
    match std::fs::read_to_string("/proc/sys/net/ipv6/bindv6only") {
        Ok(v) if v.trim() == "0" => {}
        other => {
            skip(&format!(
                "mixed_families: [::] sockets are not dual-stack here (bindv6only: {other:?})"
            ));
            return;
        }
    }
    let (Some(dual), Some(b)) = (udp(Ipv6Addr::UNSPECIFIED.into()), udp(Ipv6Addr::LOCALHOST.into())) else {
        skip("mixed_families: no IPv6 loopback");
        return;
    };
    let a = v4();
    let port = dual.local_addr().unwrap().port();
    a.send_to(b"from a", (Ipv4Addr::LOCALHOST, port)).unwrap();
    b.send_to(b"from b", (Ipv6Addr::LOCALHOST, port)).unwrap();
    a.send_to(b"a again", (Ipv4Addr::LOCALHOST, port)).unwrap();

    let (a_addr, b_addr) = (a.local_addr().unwrap(), b.local_addr().unwrap());
    let a_mapped = SocketAddr::from((Ipv4Addr::LOCALHOST.to_ipv6_mapped(), a_addr.port()));
    let got = recv_n(&dual, 3, 64);
    let mut seen: Vec<(&[u8], SocketAddr)> =
        got.iter().map(|(d, _, from, _)| (d.as_slice(), *from)).collect();
    seen.sort();
    assert_eq!(
        seen,
        [
            (&b"a again"[..], a_mapped),
            (&b"from a"[..], a_mapped),
            (&b"from b"[..], b_addr)
        ]
    );
    assert!(matches!(b_addr, SocketAddr::V6(_)) && matches!(a_addr, SocketAddr::V4(_)));

    // Answer: a plain V4 destination, a V6 one, the mapped form.
    let mut out = UdpSendBatch::<4>::new();
    out.push(b"to a", a_addr).unwrap();
    out.push(b"to b", b_addr).unwrap();
    out.push(b"to a mapped", a_mapped).unwrap();
    assert_eq!(dual.send_to_batch(&mut out), Ok(3));
    assert_eq!(
        (0..4).map(|i| out.sent_len(i)).collect::<Vec<_>>(),
        [Some(4), Some(4), Some(11), None]
    );
    let at_a = recv_n(&a, 2, 64);
    assert_eq!(at_a[0].0, b"to a");
    assert_eq!(at_a[1].0, b"to a mapped");
    assert_eq!(at_a[0].2.port(), port);
    assert_eq!(recv_n(&b, 1, 64)[0].0, b"to b");

    // The same slots, families swapped: slot 0 V4 -> V6, slot 1 V6 -> V4.
    out.clear();
    assert_eq!(out.sent_len(0), None);
    out.push(b"b, slot 0", b_addr).unwrap();
    out.push(b"a, slot 1", a_addr).unwrap();
    assert_eq!(dual.send_to_batch(&mut out), Ok(2));
    assert_eq!(recv_n(&b, 1, 64)[0].0, b"b, slot 0");
    assert_eq!(recv_n(&a, 1, 64)[0].0, b"a, slot 1");
}

/// A datagram longer than its buffer is cut and flagged `MSG_TRUNC`; the
/// next one, which fits, is not flagged.
#[test]
fn truncation_is_flagged_per_datagram() {
    let (rx, tx) = (v4(), v4());
    let to = rx.local_addr().unwrap();
    tx.send_to(b"0123456789", to).unwrap();
    tx.send_to(b"abc", to).unwrap();
    let got = recv_n(&rx, 2, 4);
    assert_eq!((got[0].0.as_slice(), got[0].1, got[0].3), (&b"0123"[..], 4, true));
    assert_eq!((got[1].0.as_slice(), got[1].1, got[1].3), (&b"abc"[..], 3, false));
    assert_eq!(got[0].2, tx.local_addr().unwrap());
}

/// Partial batches: fewer datagrams than slots come back as such, and a
/// later, smaller call shows only its own datagrams, not the last call's.
#[test]
fn partial_batches_show_only_what_arrived() {
    let (rx, tx) = (v4(), v4());
    let to = rx.local_addr().unwrap();
    let mut space = [[0u8; 16]; 4];
    let mut batch = UdpRecvBatch::new(space.each_mut().map(|b| &mut b[..]));
    assert!(batch.is_empty() && batch.get(0).is_none());

    let mut out = UdpSendBatch::<4>::new();
    let four = [
        (&b"1"[..], to),
        (&b"22"[..], to),
        (&b"333"[..], to),
        (&b"4444"[..], to),
    ];
    assert_eq!(out.extend_from_slice(&four), 4);
    assert_eq!(tx.send_to_batch(&mut out), Ok(4));
    let mut got = 0;
    for _ in 0..4 {
        if got == 4 {
            break;
        }
        got += rx.recv_from_batch(&mut batch).unwrap();
    }
    assert_eq!(got, 4);

    tx.send_to(b"x", to).unwrap();
    assert_eq!(rx.recv_from_batch(&mut batch), Ok(1));
    assert_eq!(batch.len(), 1);
    let only: Vec<_> = batch.iter().map(|d| (d.data, d.len, d.flags)).collect();
    assert_eq!(only, [(&b"x"[..], 1, MsgFlags::NONE)]);
    assert!(batch.get(1).is_none());
}

/// A full send batch refuses more: `push` with `BatchFull`, and
/// `extend_from_slice` takes only what fits.
#[test]
fn full_send_batches_take_what_fits() {
    let to = SocketAddr::from((Ipv4Addr::LOCALHOST, 9));
    let mut out = UdpSendBatch::<2>::new();
    assert_eq!(out.extend_from_slice(&[(&b"a"[..], to)]), 1);
    assert_eq!(out.extend_from_slice(&[(&b"b"[..], to), (&b"c"[..], to)]), 1);
    assert_eq!(out.len(), 2);
    assert_eq!(out.push(b"d", to), Err(BatchFull));
    assert_eq!(out.extend_from_slice(&[(&b"e"[..], to)]), 0);
    out.clear();
    assert!(out.is_empty());
    assert_eq!(out.push(b"f", to), Ok(()));
}

/// Errors: an IPv6 destination from an IPv4 socket fails with
/// `EAFNOSUPPORT` — after the datagrams before it were sent (sendmmsg(2)
/// returns the count), or as the error when it is first; an empty
/// non-blocking receive is `EAGAIN`.
#[test]
fn errors_come_back_as_the_kernel_gives_them() {
    let (rx, tx) = (v4(), v4());
    let to = rx.local_addr().unwrap();
    let bad = SocketAddr::from((Ipv6Addr::LOCALHOST, to.port()));
    let mut out = UdpSendBatch::<4>::new();
    out.push(b"ok", to).unwrap();
    out.push(b"bad", bad).unwrap();
    out.push(b"never", to).unwrap();
    assert_eq!(tx.send_to_batch(&mut out), Ok(1));
    assert_eq!((out.sent_len(0), out.sent_len(1)), (Some(2), None));
    out.clear();
    out.push(b"bad", bad).unwrap();
    assert_eq!(tx.send_to_batch(&mut out), Err(Errno::AFNOSUPPORT));
    assert_eq!(out.sent_len(0), None);

    let got = recv_n(&rx, 1, 16);
    assert_eq!(got[0].0, b"ok");
    rx.set_nonblocking(true).unwrap();
    let mut space = [[0u8; 16]; 2];
    let mut batch = UdpRecvBatch::new(space.each_mut().map(|b| &mut b[..]));
    assert_eq!(rx.recv_from_batch(&mut batch), Err(Errno::AGAIN));
    assert!(batch.is_empty());
}

/// Batches moved between calls (into a `Box`, then out of it) keep working:
/// the headers are re-pointed at the moved iovecs and names.
#[test]
fn batches_moved_between_calls() {
    let (rx, tx) = (v4(), v4());
    let to = rx.local_addr().unwrap();
    let mut out = UdpSendBatch::<2>::new();
    out.push(b"before", to).unwrap();
    assert_eq!(tx.send_to_batch(&mut out), Ok(1));
    let mut boxed = Box::new(out);
    boxed.clear();
    boxed.push(b"boxed", to).unwrap();
    assert_eq!(tx.send_to_batch(&mut boxed), Ok(1));
    let mut out = *boxed;
    out.clear();
    out.push(b"after", to).unwrap();
    assert_eq!(tx.send_to_batch(&mut out), Ok(1));

    let mut space = [[0u8; 16]; 1];
    let mut batch = UdpRecvBatch::new(space.each_mut().map(|b| &mut b[..]));
    assert_eq!(rx.recv_from_batch(&mut batch), Ok(1));
    assert_eq!(batch.get(0).unwrap().data, b"before");
    let mut boxed = Box::new(batch);
    assert_eq!(rx.recv_from_batch(&mut boxed), Ok(1));
    assert_eq!(boxed.get(0).unwrap().data, b"boxed");
    let mut batch = *boxed;
    assert_eq!(rx.recv_from_batch(&mut batch), Ok(1));
    let last = batch.get(0).unwrap();
    assert_eq!(
        (last.data, last.from),
        (&b"after"[..], Some(tx.local_addr().unwrap()))
    );
}

/// An IPv6-only socket: every sender is decoded as a `sockaddr_in6` (the
/// out-of-line path of the decoder, scope and flow fields included), and
/// every destination encoded as one, through full batches.
#[test]
fn ipv6_senders_and_destinations_through_full_batches() {
    let (Some(rx), Some(tx)) = (udp(Ipv6Addr::LOCALHOST.into()), udp(Ipv6Addr::LOCALHOST.into())) else {
        skip("ipv6_senders: no IPv6 loopback");
        return;
    };
    let to = rx.local_addr().unwrap();
    let data: Vec<[u8; 3]> = (0..4u8).map(|i| [i; 3]).collect();
    let msgs: Vec<(&[u8], SocketAddr)> = data.iter().map(|d| (&d[..], to)).collect();
    let mut out = UdpSendBatch::<4>::new();
    assert_eq!(out.extend_from_slice(&msgs), 4);
    assert_eq!(out.extend_from_slice(&msgs), 0);
    assert_eq!(tx.send_to_batch(&mut out), Ok(4));
    let got = recv_n(&rx, 4, 8);
    for (i, (d, len, from, truncated)) in got.iter().enumerate() {
        assert_eq!(
            (d.as_slice(), *len, *from, *truncated),
            (&data[i][..], 3, tx.local_addr().unwrap(), false)
        );
        assert!(matches!(from, SocketAddr::V6(v6) if v6.scope_id() == 0 && v6.flowinfo() == 0));
    }
}

/// A slot that held an IPv6 destination takes an IPv4 one: only the
/// `sockaddr_in`'s family, port and address are written over the old
/// `sockaddr_in6`, and the datagram still goes to the right place with the
/// right sender (the kernel reads no more of it).
#[test]
fn a_slot_switches_from_v6_to_v4_on_a_v4_socket() {
    let (rx, tx) = (v4(), v4());
    let to = rx.local_addr().unwrap();
    let v6 = SocketAddr::from((Ipv6Addr::new(0xfe80, 1, 2, 3, 4, 5, 6, 7), to.port()));
    let mut out = UdpSendBatch::<2>::new();
    out.push(b"never", v6).unwrap();
    assert_eq!(tx.send_to_batch(&mut out), Err(Errno::AFNOSUPPORT));
    out.clear();
    out.push(b"v4 now", to).unwrap();
    out.push(b"and again", to).unwrap();
    assert_eq!(tx.send_to_batch(&mut out), Ok(2));
    let got = recv_n(&rx, 2, 16);
    assert_eq!(
        (got[0].0.as_slice(), got[0].2),
        (&b"v4 now"[..], tx.local_addr().unwrap())
    );
    assert_eq!(got[1].0, b"and again");
}

/// An empty send batch sends nothing and is no error (sendmmsg(2) with no
/// messages); a receive batch that received nothing yields nothing.
#[test]
fn empty_batches() {
    let (rx, tx) = (v4(), v4());
    let mut out = UdpSendBatch::<4>::new();
    assert!(out.is_empty());
    assert_eq!(tx.send_to_batch(&mut out), Ok(0));
    assert_eq!(out.sent_len(0), None);
    let mut space = [[0u8; 8]; 2];
    let batch = UdpRecvBatch::new(space.each_mut().map(|b| &mut b[..]));
    assert_eq!((batch.len(), batch.iter().count(), batch.get(0)), (0, 0, None));
    drop(rx);
}

/// Senders whose names are not IP come back as `None` through the
/// out-of-line decoder, even when their names are longer than a
/// `sockaddr_in`: a Unix datagram socket (wrapped as a `UdpSocket`, the
/// caller vouching wrongly) receives from an abstract name of about 30
/// bytes.
#[test]
fn senders_of_another_family_are_none() {
    use std::os::linux::net::SocketAddrExt;
    use std::os::unix::net::{SocketAddr as UnixAddr, UnixDatagram};
    let name = |end: &str| format!("zerosock-udp-batch-{}-{end}", std::process::id());
    let rx_addr = UnixAddr::from_abstract_name(name("rx")).unwrap();
    let rx = UnixDatagram::bind_addr(&rx_addr).unwrap();
    let tx = UnixDatagram::bind_addr(&UnixAddr::from_abstract_name(name("tx")).unwrap()).unwrap();
    tx.send_to_addr(b"unix", &rx_addr).unwrap();
    let rx = UdpSocket::from(std::os::fd::OwnedFd::from(rx));
    let mut space = [[0u8; 8]; 2];
    let mut batch = UdpRecvBatch::new(space.each_mut().map(|b| &mut b[..]));
    assert_eq!(rx.recv_from_batch(&mut batch), Ok(1));
    let got = batch.get(0).unwrap();
    assert_eq!((got.data, got.len, got.from), (&b"unix"[..], 4, None));
}

/// The same through whole batches (`extend_from_slice` filling every
/// slot): a `sockaddr_in6` written in the middle of a run, then every slot
/// refilled with IPv4 destinations, each delivered to its own receiver.
#[test]
fn whole_batches_switch_families_per_slot() {
    let tx = v4();
    let rxs: Vec<UdpSocket> = (0..4).map(|_| v4()).collect();
    let tos: Vec<SocketAddr> = rxs.iter().map(|r| r.local_addr().unwrap()).collect();
    let v6 = SocketAddr::from((Ipv6Addr::LOCALHOST, tos[1].port()));
    let mut out = UdpSendBatch::<4>::new();
    let first = [
        (&b"0"[..], tos[0]),
        (&b"x"[..], v6),
        (&b"2"[..], tos[2]),
        (&b"3"[..], tos[3]),
    ];
    assert_eq!(out.extend_from_slice(&first), 4);
    // sendmmsg(2) stops at the IPv6 destination, which an IPv4 socket
    // refuses, and counts the one before it.
    assert_eq!(tx.send_to_batch(&mut out), Ok(1));
    for _ in 0..2 {
        out.clear();
        let again: Vec<(&[u8], SocketAddr)> = tos.iter().map(|to| (&b"again"[..], *to)).collect();
        assert_eq!(out.extend_from_slice(&again), 4);
        assert_eq!(tx.send_to_batch(&mut out), Ok(4));
    }
    assert_eq!(recv_n(&rxs[0], 3, 8)[0].0, b"0");
    for rx in &rxs[1..] {
        let got = recv_n(rx, 2, 8);
        assert!(
            got.iter()
                .all(|(d, _, from, _)| d == b"again" && *from == tx.local_addr().unwrap())
        );
    }
}
