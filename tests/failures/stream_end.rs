//! End of stream, half close, `SHUT_RD`, `ECONNRESET` after an abortive
//! close, and a full listen backlog.

use std::time::Duration;

use crate::common::eventually;
use crate::common::sock::tcp;
use zerosock::opt::TcpState;
use zerosock::poll::{Interest, Ready};
use zerosock::{Domain, Errno, Error, MsgFlags, Protocol, Shutdown, Socket, Type};

use crate::common::{connect_through_eintr, retry_eintr};
use crate::{BOUND, listener, state, tcp_pair};

#[test]
fn read_returns_zero_after_the_peers_fin() {
    let (client, server, _l) = tcp_pair();
    server.send_all(b"last words").unwrap();
    drop(server); // close: FIN after the queued data
    let mut buf = [0u8; 32];
    let mut got = Vec::new();
    loop {
        let n = retry_eintr(BOUND, || client.read(&mut buf)).unwrap();
        if n == 0 {
            break;
        }
        got.extend_from_slice(&buf[..n]);
        assert!(got.len() <= 10, "more bytes than were sent");
    }
    assert_eq!(got, b"last words");
    // End of stream is sticky: every later read returns 0 again, recv too.
    assert_eq!(client.read(&mut buf), Ok(0));
    assert_eq!(client.recv(&mut buf), Ok(0));
    // recv_exact reports the early end as a typed error.
    assert_eq!(client.recv_exact(&mut buf), Err(Error::UnexpectedEof));
}

#[test]
fn half_close_with_shut_wr_leaves_the_other_direction_open() {
    let (client, server, _l) = tcp_pair();
    client.send_all(b"request").unwrap();
    client.shutdown(Shutdown::Write).unwrap();

    let mut buf = [0u8; 7];
    server.recv_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"request");
    assert_eq!(server.recv(&mut buf), Ok(0), "the server reads EOF after SHUT_WR");
    assert_eq!(state(&server), TcpState::CloseWait);

    // The server can still answer, and the half-closed client still reads.
    server.send_all(b"response").unwrap();
    drop(server);
    let mut answer = [0u8; 8];
    client.recv_exact(&mut answer).unwrap();
    assert_eq!(&answer, b"response");
    assert_eq!(client.recv(&mut answer), Ok(0));
    // And the client can no longer send: EPIPE.
    assert_eq!(client.send(b"x"), Err(Errno::PIPE));
}

#[test]
fn half_close_on_a_unix_stream_pair() {
    let (a, b) = Socket::pair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap();
    a.shutdown(Shutdown::Write).unwrap();
    let mut buf = [0u8; 4];
    assert_eq!(b.recv(&mut buf), Ok(0));
    b.send_all(b"back").unwrap();
    a.recv_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"back");
    assert_eq!(a.send(b"x"), Err(Errno::PIPE));
}

#[test]
fn abortive_close_with_linger_zero_gives_econnreset() {
    let (client, server, _l) = tcp_pair();
    server.set_linger(Some(Duration::ZERO)).unwrap();
    drop(server); // SO_LINGER {1, 0}: close sends RST, not FIN
    let mut buf = [0u8; 8];
    assert_eq!(
        retry_eintr(BOUND, || client.read(&mut buf)),
        Err(Errno::CONNRESET)
    );
    // The error is reported once; then the stream reads as ended.
    assert_eq!(client.read(&mut buf), Ok(0));
    assert_eq!(client.send(b"x"), Err(Errno::PIPE));
}

#[test]
fn abortive_close_with_unread_data_gives_econnreset() {
    // close(2) with unread data in the receive queue also sends RST
    // (RFC 2525), without any option.
    let (client, server, _l) = tcp_pair();
    client.send_all(b"never read").unwrap();
    assert!(eventually(BOUND, || {
        let mut b = [0u8; 1];
        server.recv_with_flags(&mut b, MsgFlags::PEEK | MsgFlags::DONTWAIT) == Ok(1)
    }));
    drop(server);
    let mut buf = [0u8; 8];
    assert_eq!(
        retry_eintr(BOUND, || client.read(&mut buf)),
        Err(Errno::CONNRESET)
    );
}

#[test]
fn read_after_shut_rd_gives_zero() {
    // TCP: SHUT_RD with nothing queued, then read: 0 at once (a blocking
    // read that blocked would end in EAGAIN after SO_RCVTIMEO instead).
    let (client, server, _l) = tcp_pair();
    client.shutdown(Shutdown::Read).unwrap();
    let mut buf = [0u8; 8];
    assert_eq!(client.read(&mut buf), Ok(0));
    assert_eq!(client.recv(&mut buf), Ok(0));
    // The other direction still works.
    client.send_all(b"still").unwrap();
    let mut five = [0u8; 5];
    server.recv_exact(&mut five).unwrap();
    assert_eq!(&five, b"still");

    // Unix stream: the same.
    let (a, b) = Socket::pair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap();
    a.set_read_timeout(Some(BOUND)).unwrap();
    a.shutdown(Shutdown::Read).unwrap();
    assert_eq!(a.read(&mut buf), Ok(0));
    a.send_all(b"out").unwrap();
    let mut three = [0u8; 3];
    b.recv_exact(&mut three).unwrap();
    assert_eq!(&three, b"out");
}

#[test]
fn full_backlog_leaves_further_connects_pending() {
    // Linux: listen(n) keeps up to n + 1 completed connections waiting for
    // accept (the queue is full when more than n wait). Past that, the
    // listener drops incoming SYNs (ListenOverflows), so a connect neither
    // succeeds nor fails: it stays in SYN_SENT and retransmits its SYN.
    let (l, addr) = listener(1);

    let mut completed = Vec::new();
    let pending = loop {
        assert!(completed.len() <= 8, "the backlog never filled");
        let c = Socket::new_nonblocking(Domain::INET, Type::STREAM, Protocol::TCP).unwrap();
        assert_eq!(c.connect(&addr), Err(Errno::INPROGRESS));
        // A completed loopback handshake is immediate; allow 300 ms.
        if c.wait(Interest::OUT, Some(Duration::from_millis(300)))
            .unwrap()
            .is_empty()
        {
            break c;
        }
        assert_eq!(c.take_error(), Ok(None));
        assert_eq!(state(&c), TcpState::Established);
        completed.push(c);
    };
    assert_eq!(
        completed.len(),
        2,
        "listen(1) completes backlog + 1 = 2 connections"
    );
    assert_eq!(state(&pending), TcpState::SynSent);
    assert_eq!(pending.take_error(), Ok(None), "pending, not refused");

    // A blocking connect with SO_SNDTIMEO gives up with EINPROGRESS.
    // (Through a stop/continue of the process, which ends it with EINTR,
    // connect_through_eintr waits on for what is left of the 200 ms.)
    let blocking = tcp();
    blocking
        .set_write_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    assert_eq!(connect_through_eintr(&blocking, &addr), Err(Errno::INPROGRESS));
    assert_eq!(state(&blocking), TcpState::SynSent);
    drop(blocking);

    // Accepting one makes room: the pending connect completes on its next
    // SYN retransmission (1 s, then 2 s, 4 s … later).
    let (first, _) = l.accept().unwrap();
    drop(first);
    let ready = pending
        .wait(Interest::OUT, Some(Duration::from_secs(20)))
        .unwrap();
    assert!(ready.contains(Ready::OUT), "the pending connect never completed");
    assert_eq!(pending.take_error(), Ok(None));
    assert_eq!(state(&pending), TcpState::Established);
}
