//! embedded-io-async and embedded-nal-async on the epoll `Reactor`: data
//! through `block_on`, wake-ups from the reactor, from another thread and
//! with a foreign executor's waker, the fixed table, and the errors
//! (refused, reset, end of stream) as the async traits report them.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use embedded_io::{ReadReady, WriteReady};
use embedded_io_async::{Read, Write};
use embedded_nal_async::{ConnectedUdp, Dns, TcpConnect, UdpStack, UnconnectedUdp};
use zerosock::embedded::{Async, AsyncStack, Reactor, block_on};
use zerosock::{Errno, Error, TcpListener, UnixStream};

use crate::BOUND;
use crate::common::alloc::no_alloc;
use crate::common::procs;

#[test]
fn block_on_carries_data_without_allocating() {
    let reactor = Reactor::<4>::new().unwrap();
    let (a, b) = UnixStream::pair().unwrap();
    let mut a = Async::new(a, &reactor).unwrap();
    let mut b = Async::new(b, &reactor).unwrap();
    assert_eq!(reactor.registered(), 2);
    // A little warm-up outside the count (the first wake slot's eventfd).
    block_on(&reactor, async {}).unwrap();
    no_alloc("async ping-pong under block_on", || {
        block_on(&reactor, async {
            let mut buf = [0u8; 8];
            for i in 0..1000u32 {
                a.write_all(&i.to_ne_bytes()).await.unwrap();
                b.read_exact(&mut buf[..4]).await.unwrap();
                assert_eq!(buf[..4], i.to_ne_bytes());
                b.write_all(&buf[..4]).await.unwrap();
                a.read_exact(&mut buf[4..]).await.unwrap();
            }
        })
        .unwrap();
    });
    drop(a);
    assert_eq!(reactor.registered(), 1);
}

#[test]
fn read_parks_until_another_thread_writes() {
    let reactor = Reactor::<2>::new().unwrap();
    let (a, b) = UnixStream::pair().unwrap();
    let mut a = Async::new(a, &reactor).unwrap();
    let writer = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(50));
        b.send_all(b"late").unwrap();
        b
    });
    let mut buf = [0u8; 4];
    let n = block_on(&reactor, a.read(&mut buf)).unwrap().unwrap();
    assert_eq!(&buf[..n], &b"late"[..n]);
    let b = writer.join().unwrap();
    // End of stream: Ok(0).
    drop(b);
    let mut rest = [0u8; 8];
    let mut total = n;
    loop {
        let n = block_on(&reactor, a.read(&mut rest)).unwrap().unwrap();
        if n == 0 {
            break;
        }
        total += n;
        assert!(total <= 4);
    }
    assert_eq!(total, 4);
}

/// A waker that counts its wakes: any executor's waker, as the reactor
/// sees it.
struct Counter(AtomicUsize);

impl Wake for Counter {
    fn wake(self: Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[test]
fn any_executors_waker_is_woken_by_turn() {
    let reactor = Reactor::<2>::new().unwrap();
    let (a, b) = UnixStream::pair().unwrap();
    let mut a = Async::new(a, &reactor).unwrap();
    let counter = Arc::new(Counter(AtomicUsize::new(0)));
    let waker = Waker::from(counter.clone());
    let mut cx = Context::from_waker(&waker);
    let mut buf = [0u8; 4];
    {
        let mut fut = std::pin::pin!(a.read(&mut buf));
        assert!(fut.as_mut().poll(&mut cx).is_pending());
        // The registration's first edge (writable) wakes no reader.
        reactor.turn(Some(Duration::ZERO)).unwrap();
        assert_eq!(counter.0.load(Ordering::SeqCst), 0);
        b.send_all(b"go").unwrap();
        assert!(reactor.turn(Some(BOUND)).unwrap() >= 1);
        assert_eq!(counter.0.load(Ordering::SeqCst), 1, "turn woke the stored waker");
        match fut.as_mut().poll(&mut cx) {
            Poll::Ready(Ok(2)) => {}
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(&buf[..2], b"go");
    // Nothing waiting any more: a new edge wakes nobody.
    b.send_all(b"x").unwrap();
    reactor.turn(Some(BOUND)).unwrap();
    assert_eq!(counter.0.load(Ordering::SeqCst), 1);
}

#[test]
fn block_on_is_woken_from_another_thread() {
    // A future that waits on a flag another thread sets and wakes: only
    // the eventfd waker can bring block_on back.
    let state: Arc<Mutex<(bool, Option<Waker>)>> = Arc::new(Mutex::new((false, None)));
    let reactor = Reactor::<1>::new().unwrap();
    let theirs = state.clone();
    let t = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(50));
        let mut s = theirs.lock().unwrap();
        s.0 = true;
        if let Some(w) = s.1.take() {
            w.wake();
        }
    });
    let polls = std::cell::Cell::new(0);
    block_on(
        &reactor,
        std::future::poll_fn(|cx| {
            polls.set(polls.get() + 1);
            let mut s = state.lock().unwrap();
            if s.0 {
                Poll::Ready(())
            } else {
                s.1 = Some(cx.waker().clone());
                Poll::Pending
            }
        }),
    )
    .unwrap();
    t.join().unwrap();
    assert!(polls.get() <= 3, "parked, not spinning: {} polls", polls.get());
}

#[test]
fn the_table_is_fixed() {
    let reactor = Reactor::<1>::new().unwrap();
    let (a, b) = UnixStream::pair().unwrap();
    let a = Async::new(a, &reactor).unwrap();
    let b = Async::new(b, &reactor).unwrap_err();
    assert_eq!(b, Errno::NOSPC);
    drop(a);
    let (c, _d) = UnixStream::pair().unwrap();
    let _c = Async::new(c, &reactor).unwrap();
}

#[test]
fn tcp_connect_refused_reset_eof() {
    let reactor = Reactor::<8>::new().unwrap();
    let stack = AsyncStack::new(&reactor);
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let addr = listener.local_addr().unwrap();

    let mut conn = block_on(&reactor, TcpConnect::connect(&stack, addr))
        .unwrap()
        .unwrap();
    assert!(conn.write_ready().unwrap());
    assert!(!conn.read_ready().unwrap());
    let (server, _) = listener.accept().unwrap();
    server.send_all(b"hello").unwrap();
    let mut buf = [0u8; 5];
    block_on(&reactor, conn.read_exact(&mut buf)).unwrap().unwrap();
    assert_eq!(&buf, b"hello");
    // Reset: the server closes with SO_LINGER 0.
    server.as_socket().set_linger(Some(Duration::ZERO)).unwrap();
    drop(server);
    let err = block_on(&reactor, conn.read(&mut buf)).unwrap().unwrap_err();
    assert_eq!(err, Error::Os(Errno::CONNRESET));
    assert_eq!(
        embedded_io::Error::kind(&err),
        embedded_io::ErrorKind::ConnectionReset
    );
    let err = block_on(&reactor, conn.write(b"x")).unwrap().unwrap_err();
    assert_eq!(embedded_io::Error::kind(&err), embedded_io::ErrorKind::BrokenPipe);
    drop(conn);

    // End of stream.
    let mut conn = block_on(&reactor, TcpConnect::connect(&stack, addr))
        .unwrap()
        .unwrap();
    let (server, _) = listener.accept().unwrap();
    drop(server);
    assert_eq!(block_on(&reactor, conn.read(&mut buf)).unwrap(), Ok(0));
    drop(conn);

    // Refused: nothing listens any more (once no child forked by another
    // test thread holds a copy of the listener, see `common::procs`).
    let inode = procs::inode(&listener);
    drop(listener);
    procs::await_release(inode, BOUND);
    let err = block_on(&reactor, TcpConnect::connect(&stack, addr))
        .unwrap()
        .unwrap_err();
    assert_eq!(err, Error::Os(Errno::CONNREFUSED));
    assert_eq!(
        embedded_io::Error::kind(&err),
        embedded_io::ErrorKind::ConnectionRefused
    );
    assert_eq!(reactor.registered(), 0, "every socket left the table");
}

#[test]
fn udp_stack() {
    let reactor = Reactor::<4>::new().unwrap();
    let stack = AsyncStack::new(&reactor);
    block_on(&reactor, async {
        let (server_addr, mut server) = stack
            .bind_single(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
            .await
            .unwrap();
        assert_ne!(server_addr.port(), 0);
        let (client_addr, mut client) = UdpStack::connect(&stack, server_addr).await.unwrap();
        ConnectedUdp::send(&mut client, b"ping").await.unwrap();
        let mut buf = [0u8; 8];
        let (n, local, from) = UnconnectedUdp::receive_into(&mut server, &mut buf).await.unwrap();
        assert_eq!(&buf[..n], b"ping");
        assert_eq!(local, server_addr);
        assert_eq!(from.port(), client_addr.port());
        UnconnectedUdp::send(&mut server, server_addr, from, b"pong")
            .await
            .unwrap();
        let n = ConnectedUdp::receive_into(&mut client, &mut buf).await.unwrap();
        assert_eq!(&buf[..n], b"pong");
        // A wrong local address is refused before any system call.
        let other = SocketAddr::from((Ipv4Addr::new(127, 0, 0, 2), 9));
        assert!(matches!(
            UnconnectedUdp::send(&mut server, other, from, b"x").await,
            Err(Error::InvalidInput(_))
        ));
    })
    .unwrap();
}

#[test]
fn dns_async() {
    let dir = std::env::temp_dir().join(format!("zerosock-nal-async-dns-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let reactor = Reactor::<1>::new().unwrap();
    let stack = AsyncStack::with_resolver(&reactor, crate::nal::files_resolver(&dir));
    block_on(&reactor, async {
        let ip = stack
            .get_host_by_name("zerosock-nal.test", embedded_nal::AddrType::IPv4)
            .await
            .unwrap();
        assert_eq!(ip, std::net::IpAddr::V4(Ipv4Addr::new(127, 0, 0, 42)));
        let mut name = [0u8; 64];
        let n = stack.get_host_by_address(ip, &mut name).await.unwrap();
        assert_eq!(&name[..n], b"zerosock-nal.test");
        assert!(
            stack
                .get_host_by_name("missing.test", embedded_nal::AddrType::Either)
                .await
                .is_err()
        );
    })
    .unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn what_moves_between_threads() {
    // The reactor may move to another thread (it is `Send`) and be driven
    // there; what borrows it stays on the thread that drives it.
    fn send<T: Send>() {}
    send::<Reactor<4>>();
    let reactor = Reactor::<4>::new().unwrap();
    let moved = std::thread::spawn(move || {
        let (a, b) = UnixStream::pair().unwrap();
        let mut a = Async::new(a, &reactor).unwrap();
        b.send_all(b"ok").unwrap();
        let mut buf = [0u8; 2];
        block_on(&reactor, a.read_exact(&mut buf)).unwrap().unwrap();
        buf
    })
    .join()
    .unwrap();
    assert_eq!(&moved, b"ok");
}
