//! Scatter-gather I/O (readv/writev) over socketpairs: bytes leave the
//! slices in order and arrive across the receiving slices in order; on a
//! seqpacket pair one gather write is one message.

use zerosock::{Domain, IoSlice, IoSliceMut, Protocol, Socket, Type, UnixSeqpacket, UnixStream};

#[test]
fn writev_readv_in_order_across_slices() {
    let (a, b) = UnixStream::pair().unwrap();
    let parts: [&[u8]; 4] = [b"Hello", b", ", b"", b"scattered world!"];
    let iov = parts.map(IoSlice::new);
    let total: usize = parts.iter().map(|p| p.len()).sum();
    assert_eq!(a.write_vectored(&iov).unwrap(), total);

    // Receive into slices of other sizes than were sent.
    let (mut x, mut y, mut z) = ([0u8; 3], [0u8; 10], [0u8; 32]);
    let mut bufs = [
        IoSliceMut::new(&mut x),
        IoSliceMut::new(&mut y),
        IoSliceMut::new(&mut z),
    ];
    let n = b.read_vectored(&mut bufs).unwrap();
    assert_eq!(n, total);
    assert_eq!(&x, b"Hel");
    assert_eq!(&y, b"lo, scatte");
    assert_eq!(&z[..n - 13], b"red world!");
    assert!(
        z[n - 13..].iter().all(|&b| b == 0),
        "bytes past the message were written"
    );
}

#[test]
fn writev_of_many_slices_arrives_whole() {
    let (a, b) = Socket::pair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap();
    // 64 one-byte-to-64-byte slices with distinct contents.
    let chunks: Vec<Vec<u8>> = (1..=64u8).map(|i| vec![i; i as usize]).collect();
    let iov: Vec<IoSlice<'_>> = chunks.iter().map(|c| IoSlice::new(c)).collect();
    let expected: Vec<u8> = chunks.concat();
    assert_eq!(a.write_vectored(&iov).unwrap(), expected.len());

    let mut got = vec![0u8; expected.len()];
    let mut filled = 0;
    // Bounded: at most one read per byte, and each read returns at least one.
    while filled < got.len() {
        let rest = &mut got[filled..];
        let (head, tail) = rest.split_at_mut(7.min(rest.len()));
        let mut bufs = [IoSliceMut::new(head), IoSliceMut::new(tail)];
        let n = b.read_vectored(&mut bufs).unwrap();
        assert!(n > 0, "unexpected end of stream");
        filled += n;
    }
    assert!(got == expected, "bytes out of order");
}

#[test]
fn writev_on_seqpacket_is_one_message() {
    let (a, b) = UnixSeqpacket::pair().unwrap();
    a.write_vectored(&[IoSlice::new(b"one "), IoSlice::new(b"message")])
        .unwrap();
    a.write_vectored(&[IoSlice::new(b"next")]).unwrap();
    let mut buf = [0u8; 64];
    assert_eq!(b.recv(&mut buf).unwrap(), 11);
    assert_eq!(&buf[..11], b"one message");
    let (mut p, mut q) = ([0u8; 2], [0u8; 8]);
    let n = b
        .read_vectored(&mut [IoSliceMut::new(&mut p), IoSliceMut::new(&mut q)])
        .unwrap();
    assert_eq!(n, 4);
    assert_eq!((&p, &q[..2]), (b"ne", &b"xt"[..]));
}

#[test]
fn writev_to_closed_peer_is_epipe() {
    let (a, b) = UnixStream::pair().unwrap();
    drop(b);
    assert_eq!(
        a.write_vectored(&[IoSlice::new(b"lost")]),
        Err(zerosock::Errno::PIPE)
    );
}
