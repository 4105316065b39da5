//! Readiness: `poll` over an array and `Socket::wait`, on socketpairs and
//! loopback TCP.

use core::time::Duration;
use std::time::Instant;

use zerosock::poll::{Interest, PollFd, Ready, poll};
use zerosock::{Domain, Errno, Protocol, Shutdown, Socket, Type};

fn pair() -> (Socket, Socket) {
    Socket::pair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap()
}

/// A generous bound for "the call returned rather than hanging".
const BOUND: Duration = Duration::from_secs(10);

#[test]
fn flags_print_c_names() {
    assert_eq!(format!("{:?}", Interest::IN | Interest::OUT), "POLLIN | POLLOUT");
    assert_eq!(format!("{:?}", Ready::NONE), "0");
    assert_eq!(format!("{:?}", Ready::ERR | Ready::NVAL), "POLLERR | POLLNVAL");
    assert_eq!(format!("{:?}", Ready::from_raw(0x8000)), "0x8000");
    let (a, _b) = pair();
    let entry = PollFd::new(&a, Interest::RDHUP);
    let shown = format!("{entry:?}");
    assert!(shown.contains("events: POLLRDHUP"), "{shown}");
}

#[test]
fn not_readable_until_data_is_sent() {
    let (a, b) = pair();
    assert_eq!(a.wait(Interest::IN, Some(Duration::ZERO)).unwrap(), Ready::NONE);
    b.send(b"hello").unwrap();
    let ready = a.wait(Interest::IN, Some(BOUND)).unwrap();
    assert!(ready.contains(Ready::IN), "{ready:?}");
    assert!(!ready.intersects(Ready::HUP | Ready::ERR), "{ready:?}");
    // Reading the data makes it unreadable again.
    let mut buf = [0; 8];
    assert_eq!(a.recv(&mut buf).unwrap(), 5);
    assert!(a.wait(Interest::IN, Some(Duration::ZERO)).unwrap().is_empty());
}

#[test]
fn writable_with_room_in_the_buffer() {
    let (a, _b) = pair();
    let ready = a.wait(Interest::OUT, Some(BOUND)).unwrap();
    assert!(ready.contains(Ready::OUT), "{ready:?}");
    assert!(!ready.contains(Ready::IN), "{ready:?}");
}

#[test]
fn not_writable_when_the_buffer_is_full() {
    let (a, _b) = pair();
    a.set_nonblocking(true).unwrap();
    let chunk = [0u8; 4096];
    let mut filled = false;
    for _ in 0..100_000 {
        match a.send(&chunk) {
            Ok(_) => {}
            Err(Errno::AGAIN) => {
                filled = true;
                break;
            }
            Err(e) => panic!("send: {e:?}"),
        }
    }
    assert!(filled, "the send buffer never filled");
    assert!(
        !a.wait(Interest::OUT, Some(Duration::ZERO))
            .unwrap()
            .contains(Ready::OUT)
    );
}

#[test]
fn hangup_after_peer_closes() {
    let (a, b) = pair();
    drop(b);
    let ready = a.wait(Interest::IN | Interest::RDHUP, Some(BOUND)).unwrap();
    assert!(ready.contains(Ready::HUP), "{ready:?}");
    assert!(ready.contains(Ready::RDHUP), "{ready:?}");
    assert!(ready.contains(Ready::IN), "{ready:?}");
    // HUP is reported even when not asked for.
    let ready = a.wait(Interest::NONE, Some(BOUND)).unwrap();
    assert!(ready.contains(Ready::HUP), "{ready:?}");
    assert!(!ready.contains(Ready::RDHUP), "{ready:?}");
}

#[test]
fn rdhup_after_peer_shuts_down_writing() {
    let (a, b) = pair();
    b.shutdown(Shutdown::Write).unwrap();
    let ready = a.wait(Interest::IN | Interest::RDHUP, Some(BOUND)).unwrap();
    assert!(ready.contains(Ready::RDHUP), "{ready:?}");
    assert!(!ready.contains(Ready::HUP), "{ready:?}");
    // The other direction still works.
    assert!(b.wait(Interest::OUT, Some(BOUND)).unwrap().contains(Ready::OUT));
}

#[test]
fn tcp_listener_readable_on_pending_connection_and_hup_on_close() {
    use core::net::{Ipv4Addr, SocketAddrV4};
    let listener = Socket::new(Domain::INET, Type::STREAM, Protocol::TCP).unwrap();
    listener.bind(&SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0)).unwrap();
    listener.listen(8).unwrap();
    let addr = listener.local_addr().unwrap();
    assert!(
        listener
            .wait(Interest::IN, Some(Duration::ZERO))
            .unwrap()
            .is_empty()
    );

    let client = Socket::new(Domain::INET, Type::STREAM, Protocol::TCP).unwrap();
    client.connect(&addr).unwrap();
    assert!(
        listener
            .wait(Interest::IN, Some(BOUND))
            .unwrap()
            .contains(Ready::IN)
    );
    let (server, _) = listener.accept().unwrap();

    drop(client);
    let ready = server.wait(Interest::IN | Interest::RDHUP, Some(BOUND)).unwrap();
    assert!(ready.contains(Ready::RDHUP), "{ready:?}");
    let mut buf = [0; 4];
    assert_eq!(server.recv(&mut buf).unwrap(), 0);
}

#[test]
fn timeout_returns_empty_readiness() {
    let (a, _b) = pair();
    let start = Instant::now();
    let ready = a.wait(Interest::IN, Some(Duration::from_millis(20))).unwrap();
    assert!(ready.is_empty(), "{ready:?}");
    assert!(start.elapsed() < BOUND);

    // A sub-millisecond timeout is still a wait, never a busy zero; it
    // returns empty.
    let ready = a.wait(Interest::IN, Some(Duration::from_nanos(1))).unwrap();
    assert!(ready.is_empty(), "{ready:?}");

    // A huge timeout is accepted (it saturates rather than being rejected)
    // and returns at once when the socket is ready.
    let ready = a.wait(Interest::OUT, Some(Duration::MAX)).unwrap();
    assert!(ready.contains(Ready::OUT), "{ready:?}");
}

#[test]
fn poll_counts_ready_entries_and_skips_unused_ones() {
    let (a, b) = pair();
    let (c, d) = pair();
    b.send(b"1").unwrap();
    d.send(b"2").unwrap();
    let mut fds = [
        PollFd::new(&a, Interest::IN),
        PollFd::UNUSED,
        PollFd::new(&c, Interest::IN),
        PollFd::new(&b, Interest::IN),
    ];
    assert_eq!(poll(&mut fds, Some(BOUND)).unwrap(), 2);
    assert!(fds[0].ready().contains(Ready::IN));
    assert!(fds[1].ready().is_empty());
    assert_eq!(fds[1].raw_fd(), -1);
    assert!(fds[2].ready().contains(Ready::IN));
    assert!(fds[3].ready().is_empty());

    // Changing the interest changes what is reported; old readiness is
    // overwritten.
    fds[3].set_interest(Interest::OUT);
    fds[0].set_interest(Interest::NONE);
    assert_eq!(fds[3].interest(), Interest::OUT);
    assert_eq!(poll(&mut fds, Some(BOUND)).unwrap(), 2);
    assert!(fds[0].ready().is_empty());
    assert!(fds[3].ready().contains(Ready::OUT));

    // set_fd moves the entry to another socket.
    fds[3].set_fd(&d);
    fds[3].set_interest(Interest::IN);
    let mut buf = [0; 1];
    c.recv(&mut buf).unwrap();
    assert_eq!(poll(&mut fds, Some(Duration::ZERO)).unwrap(), 0);
}

#[test]
fn empty_array_times_out() {
    let mut fds: [PollFd<'_>; 0] = [];
    assert_eq!(poll(&mut fds, Some(Duration::from_millis(1))).unwrap(), 0);
}

#[test]
fn closed_fd_reports_nval() {
    use std::os::fd::{AsFd, AsRawFd, BorrowedFd};
    let (a, _b) = pair();
    let raw = a.as_fd().as_raw_fd();
    // An fd number far above anything this process has open.
    let bogus = raw + 10_000;
    // SAFETY: poll only reads the number; it is never used as a live fd.
    let fd = unsafe { BorrowedFd::borrow_raw(bogus) };
    let mut fds = [PollFd::from_borrowed_fd(fd, Interest::IN)];
    assert_eq!(poll(&mut fds, Some(BOUND)).unwrap(), 1);
    assert_eq!(fds[0].ready(), Ready::NVAL);
}

#[test]
fn eintr_is_returned_unchanged() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    extern "C" fn on_signal(_: libc::c_int) {}

    // A handler without SA_RESTART (poll is never restarted anyway).
    // SAFETY: installs a handler that does nothing, for SIGUSR1 only.
    unsafe {
        let mut action: libc::sigaction = core::mem::zeroed();
        action.sa_sigaction = on_signal as *const () as usize;
        libc::sigemptyset(&mut action.sa_mask);
        assert_eq!(libc::sigaction(libc::SIGUSR1, &action, core::ptr::null_mut()), 0);
    }

    let (a, _b) = pair();
    let done = Arc::new(AtomicBool::new(false));
    // SAFETY: pthread_self has no preconditions.
    let target = unsafe { libc::pthread_self() };
    let signaller = {
        let done = done.clone();
        std::thread::spawn(move || {
            // Bounded: signal until the waiter reports back, at most ~10 s.
            for _ in 0..1000 {
                if done.load(Ordering::SeqCst) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(10));
                // SAFETY: the target thread is alive until `done` is set.
                unsafe { libc::pthread_kill(target, libc::SIGUSR1) };
            }
        })
    };
    let result = a.wait(Interest::IN, Some(BOUND));
    done.store(true, Ordering::SeqCst);
    signaller.join().unwrap();
    assert_eq!(result, Err(Errno::INTR));
}
