//! Batches whose headers persist across calls (`SendBatch`, `RecvBatch`):
//! reused many times and moved between calls, they must behave exactly as
//! freshly built ones — every in/out field the kernel overwrote is reset
//! before the next call, and the pointers into the batch follow it when it
//! moves.

use std::os::fd::AsFd;
use std::time::Duration;

use zerosock::addr::{SockAddr, UnixAddr};
use zerosock::msg::{CmsgBuffer, CmsgEncoder, Control, RecvBatch, SendBatch, cmsg_space};
use zerosock::{Domain, IoSlice, MsgFlags, Protocol, Socket, Type};

fn unix_dgram() -> Socket {
    let s = Socket::new(Domain::UNIX, Type::DGRAM, Protocol::DEFAULT).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s
}

/// A datagram socket bound to an abstract name of `len` bytes, unique to
/// this process and `tag`.
fn bound(tag: &str, len: usize) -> (Socket, SockAddr) {
    let mut name = format!("zsbr-{}-{tag}-", std::process::id()).into_bytes();
    assert!(name.len() <= len, "{len} bytes leave no room for the tag");
    name.resize(len, b'x');
    let s = unix_dgram();
    s.bind(&UnixAddr::new_abstract(&name).unwrap()).unwrap();
    let addr = s.local_addr().unwrap();
    (s, addr)
}

fn same(a: &SockAddr, b: &SockAddr) -> bool {
    a.len() == b.len()
        && a.storage().as_bytes()[..a.len() as usize] == b.storage().as_bytes()[..b.len() as usize]
}

/// A sender with a short name, then one with a long name, then the short
/// one again, into the same batch: if `msg_namelen` kept the short length
/// the kernel wrote, the long name would come back cut.
#[test]
fn recv_batch_resets_name_lengths_between_calls() {
    let (rx, to) = bound("rx", 40);
    let (short, short_addr) = bound("s", 30);
    let (long, long_addr) = bound("l", 100);
    assert!(short_addr.len() < long_addr.len());

    let mut space = [[0u8; 16]; 4];
    let mut batch = RecvBatch::new(space.each_mut().map(|b| &mut b[..]));
    for (round, (tx, from)) in [(&short, &short_addr), (&long, &long_addr), (&short, &short_addr)]
        .into_iter()
        .enumerate()
    {
        for i in 0..2u8 {
            tx.send_to(&[round as u8, i], &to).unwrap();
        }
        let mut got = 0;
        while got < 2 {
            got += rx.recv_mmsg(&mut batch, MsgFlags::DONTWAIT).unwrap();
            for (j, msg) in batch.iter().enumerate() {
                assert_eq!(msg.data, [round as u8, (got - batch.len() + j) as u8]);
                assert!(
                    same(&msg.addr(), from),
                    "round {round}: {:?} != {:?}",
                    msg.addr().len(),
                    from.len()
                );
                assert!(!msg.is_truncated());
            }
        }
    }
}

/// A batch moved between calls (here: into a box, then back onto the
/// stack) still points at its own name storage and iovecs.
#[test]
fn recv_batch_survives_moves() {
    let (rx, to) = bound("mv-rx", 30);
    let (tx, from) = bound("mv-tx", 30);
    let mut space = [[0u8; 8]; 2];
    let batch = RecvBatch::new(space.each_mut().map(|b| &mut b[..]));
    let mut boxed = Box::new(batch);
    for round in 0..3u8 {
        tx.send_to(&[round], &to).unwrap();
        assert_eq!(rx.recv_mmsg(&mut boxed, MsgFlags::DONTWAIT).unwrap(), 1);
        let msg = boxed.get(0).unwrap();
        assert_eq!(msg.data, [round]);
        assert!(same(&msg.addr(), &from));
        // Move it out and back in: a new address each time.
        // A new allocation on purpose: the batch must move.
        #[allow(clippy::replace_box)]
        {
            let moved = *boxed;
            boxed = Box::new(moved);
        }
    }
    let mut on_stack = *boxed;
    tx.send_to(b"last", &to).unwrap();
    assert_eq!(rx.recv_mmsg(&mut on_stack, MsgFlags::DONTWAIT).unwrap(), 1);
    assert_eq!(on_stack.get(0).unwrap().data, b"last");
}

/// One fd, then three: the control length the kernel wrote for the first
/// call must not cap the second (which would truncate it and drop fds).
#[test]
fn recv_batch_resets_control_lengths_between_calls() {
    let (tx, rx) = Socket::pair(Domain::UNIX, Type::DGRAM, Protocol::DEFAULT).unwrap();
    let (spare, _other) = Socket::pair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap();
    let mut data = [[0u8; 8]; 1];
    let mut control = [[0u8; cmsg_space(4 * 4)]; 1];
    let mut batch = RecvBatch::new(data.each_mut().map(|b| &mut b[..]))
        .with_control(control.each_mut().map(|c| &mut c[..]));
    for count in [1, 3, 1, 4] {
        let fds = vec![spare.as_fd(); count];
        let mut space = CmsgBuffer::<{ cmsg_space(4 * 4) }>::new();
        let mut cmsg = CmsgEncoder::new(&mut space);
        cmsg.rights(&fds).unwrap();
        tx.send_msg(&[IoSlice::new(b"fds")], cmsg.control(), MsgFlags::NONE)
            .unwrap();
        assert_eq!(rx.recv_mmsg(&mut batch, MsgFlags::DONTWAIT).unwrap(), 1);
        let msg = batch.get(0).unwrap();
        assert!(
            !msg.flags.contains(MsgFlags::CTRUNC),
            "{count} fds: {:?}",
            msg.flags
        );
        assert_eq!(batch.fds_closed(), count);
    }
}

/// The same `SendBatch` sent several times, moved between sends, sends the
/// same messages each time. The moves are swaps with another batch, so a
/// header still pointing where its batch used to be would send the other
/// batch's data.
#[test]
fn send_batch_is_sent_again_and_again() {
    let (rx, to) = bound("snd-rx", 30);
    let tx = unix_dgram();
    let gathered = [IoSlice::new(b"ga"), IoSlice::new(b"th")];
    let mut batch = SendBatch::<4>::new();
    for m in [&b"one"[..], b"two", b"three"] {
        batch.push(m, Some(&to), Control::NONE).unwrap();
    }
    batch.push_vectored(&gathered, Some(&to), Control::NONE).unwrap();
    let mut other = SendBatch::<4>::new();
    for m in [&b"uno"[..], b"dos", b"tres", b"cuatro"] {
        other.push(m, Some(&to), Control::NONE).unwrap();
    }
    let mut buf = [0u8; 8];
    let first: [&[u8]; 4] = [b"one", b"two", b"three", b"gath"];
    let second: [&[u8]; 4] = [b"uno", b"dos", b"tres", b"cuatro"];
    for round in 0..5 {
        // Each swap moves both batches, each to where the other was.
        let want = if round % 2 == 0 { first } else { second };
        assert_eq!(
            tx.send_mmsg(&mut batch, MsgFlags::NONE).unwrap(),
            4,
            "round {round}"
        );
        assert_eq!(batch.sent_len(2), Some(want[2].len()));
        for want in want {
            let n = rx.recv(&mut buf).unwrap();
            assert_eq!(&buf[..n], want, "round {round}");
        }
        core::mem::swap(&mut batch, &mut other);
    }
}
