//! epoll and eventfd: interest kinds (level, edge, one-shot, exclusive,
//! RDHUP), tokens, timeouts, both wait calls, EINTR (returned, and retried
//! within a deadline), cross-thread wake-ups, CLOEXEC, sendfile, and no
//! allocation on any of these paths.

mod common;

use core::time::Duration;
use std::io::Write as _;
use std::os::fd::AsRawFd;
use std::os::unix::thread::JoinHandleExt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use zerosock::event::epoll::{Epoll, Event, Interest, Ready};
use zerosock::event::eventfd::{EventFd, EventFdFlags};
use zerosock::{Domain, Errno, Protocol, Shutdown, Socket, Type};

/// A generous bound for "the call returned rather than hanging".
const BOUND: Duration = Duration::from_secs(10);

fn pair() -> (Socket, Socket) {
    Socket::pair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap()
}

fn check(epoll: &Epoll, events: &mut [Event]) -> usize {
    epoll.wait(events, Some(Duration::ZERO)).unwrap()
}

// ---------------------------------------------------------------------------
// The one counting allocator of the tests (`common::alloc`), armed on one
// thread between two markers.

#[global_allocator]
static GLOBAL: common::alloc::Counting = common::alloc::Counting;

fn allocations_in(f: impl FnOnce()) -> usize {
    common::alloc::heap_ops_in(f).1
}

// ---------------------------------------------------------------------------

#[test]
fn layout_and_constants_match_libc() {
    assert_eq!(size_of::<Event>(), size_of::<libc::epoll_event>());
    assert_eq!(align_of::<Event>(), align_of::<libc::epoll_event>());
    assert_eq!(Interest::IN.raw(), libc::EPOLLIN as u32);
    assert_eq!(Interest::OUT.raw(), libc::EPOLLOUT as u32);
    assert_eq!(Interest::RDHUP.raw(), libc::EPOLLRDHUP as u32);
    assert_eq!(Interest::PRI.raw(), libc::EPOLLPRI as u32);
    assert_eq!(Interest::ET.raw(), libc::EPOLLET as u32);
    assert_eq!(Interest::ONESHOT.raw(), libc::EPOLLONESHOT as u32);
    assert_eq!(Interest::EXCLUSIVE.raw(), libc::EPOLLEXCLUSIVE as u32);
    assert_eq!(Interest::WAKEUP.raw(), libc::EPOLLWAKEUP as u32);
    assert_eq!(Ready::ERR.raw(), libc::EPOLLERR as u32);
    assert_eq!(Ready::HUP.raw(), libc::EPOLLHUP as u32);
    assert_eq!(EventFdFlags::NONBLOCK.raw(), libc::EFD_NONBLOCK as u32);
    assert_eq!(EventFdFlags::SEMAPHORE.raw(), libc::EFD_SEMAPHORE as u32);
    // The kernel's bytes: what libc writes is what `Event` reads.
    let c = libc::epoll_event {
        events: libc::EPOLLIN as u32 | libc::EPOLLHUP as u32,
        u64: 0x0123_4567_89ab_cdef,
    };
    // SAFETY: same size (asserted above), both plain old data.
    let ours: Event = unsafe { std::mem::transmute(c) };
    assert_eq!(ours, Event::new(Ready::IN | Ready::HUP, 0x0123_4567_89ab_cdef));
    assert_eq!(
        format!("{ours:?}"),
        "Event { ready: EPOLLIN | EPOLLHUP, token: 81985529216486895 }"
    );
}

#[test]
fn every_fd_is_cloexec() {
    let epoll = Epoll::new().unwrap();
    assert!(common::has_cloexec(&epoll));
    let efd = EventFd::new(0, EventFdFlags::NONE).unwrap();
    assert!(common::has_cloexec(&efd));
    let efd = EventFd::new(0, EventFdFlags::NONBLOCK | EventFdFlags::SEMAPHORE).unwrap();
    assert!(common::has_cloexec(&efd));
}

#[test]
fn control_errors_are_the_kernels() {
    let epoll = Epoll::new().unwrap();
    let (a, _b) = pair();
    assert_eq!(epoll.modify(&a, Interest::IN, 1), Err(Errno::NOENT));
    assert_eq!(epoll.delete(&a), Err(Errno::NOENT));
    epoll.add(&a, Interest::IN, 1).unwrap();
    assert_eq!(epoll.add(&a, Interest::IN, 1), Err(Errno::EXIST));
    // EPOLLEXCLUSIVE is for EPOLL_CTL_ADD only, and not with ONESHOT.
    assert_eq!(
        epoll.modify(&a, Interest::IN | Interest::EXCLUSIVE, 1),
        Err(Errno::INVAL)
    );
    let (c, _d) = pair();
    assert_eq!(
        epoll.add(&c, Interest::IN | Interest::EXCLUSIVE | Interest::ONESHOT, 1),
        Err(Errno::INVAL)
    );
    // A regular file cannot be watched.
    let file = std::fs::File::open("Cargo.toml").unwrap();
    assert_eq!(epoll.add(&file, Interest::IN, 1), Err(Errno::PERM));
    // An epoll cannot watch itself.
    assert_eq!(epoll.add(&epoll, Interest::IN, 1), Err(Errno::INVAL));
    epoll.delete(&a).unwrap();
    assert_eq!(epoll.delete(&a), Err(Errno::NOENT));
    // An empty event array is EINVAL, from both waits.
    assert_eq!(epoll.wait(&mut [], Some(Duration::ZERO)), Err(Errno::INVAL));
    assert_eq!(epoll.wait_ms(&mut [], 0), Err(Errno::INVAL));
}

#[test]
fn tokens_come_back_whole() {
    let epoll = Epoll::new().unwrap();
    let pairs: Vec<_> = (0..4).map(|_| pair()).collect();
    let tokens = [0, 1, u64::MAX, 0x8000_0000_0000_0001];
    for ((a, b), token) in pairs.iter().zip(tokens) {
        epoll.add(a, Interest::IN, token).unwrap();
        b.send(b"x").unwrap();
    }
    let mut events = [Event::EMPTY; 8];
    assert_eq!(epoll.wait(&mut events, Some(BOUND)).unwrap(), 4);
    let mut got: Vec<u64> = events[..4].iter().map(Event::token).collect();
    got.sort_unstable();
    let mut want = tokens.to_vec();
    want.sort_unstable();
    assert_eq!(got, want);
    // modify changes the token.
    epoll.modify(&pairs[0].0, Interest::IN, 42).unwrap();
    let n = check(&epoll, &mut events);
    assert!(events[..n].iter().any(|e| e.token() == 42));
    assert!(!events[..n].iter().any(|e| e.token() == 0));
}

#[test]
fn level_triggered_reports_until_drained() {
    let epoll = Epoll::new().unwrap();
    let (a, b) = pair();
    epoll.add(&a, Interest::IN, 5).unwrap();
    let mut events = [Event::EMPTY; 4];
    assert_eq!(check(&epoll, &mut events), 0);
    b.send(b"abc").unwrap();
    for _ in 0..3 {
        assert_eq!(epoll.wait(&mut events, Some(BOUND)).unwrap(), 1);
        assert_eq!(events[0].ready(), Ready::IN);
    }
    let mut buf = [0; 8];
    assert_eq!(a.recv(&mut buf).unwrap(), 3);
    assert_eq!(check(&epoll, &mut events), 0);
}

#[test]
fn edge_triggered_reports_each_change_once() {
    let epoll = Epoll::new().unwrap();
    let (a, b) = pair();
    epoll.add(&a, Interest::IN | Interest::ET, 5).unwrap();
    let mut events = [Event::EMPTY; 4];
    b.send(b"abc").unwrap();
    assert_eq!(epoll.wait(&mut events, Some(BOUND)).unwrap(), 1);
    // Still readable, but no new edge: nothing reported.
    assert_eq!(check(&epoll, &mut events), 0);
    let mut one = [0; 1];
    assert_eq!(a.recv(&mut one).unwrap(), 1);
    assert_eq!(check(&epoll, &mut events), 0);
    // More data is a new edge.
    b.send(b"d").unwrap();
    assert_eq!(epoll.wait(&mut events, Some(BOUND)).unwrap(), 1);
    assert_eq!(events[0].token(), 5);
    assert_eq!(check(&epoll, &mut events), 0);
}

#[test]
fn oneshot_disables_until_modified() {
    let epoll = Epoll::new().unwrap();
    let (a, b) = pair();
    epoll.add(&a, Interest::IN | Interest::ONESHOT, 9).unwrap();
    b.send(b"x").unwrap();
    let mut events = [Event::EMPTY; 4];
    assert_eq!(epoll.wait(&mut events, Some(BOUND)).unwrap(), 1);
    assert_eq!(check(&epoll, &mut events), 0);
    b.send(b"y").unwrap();
    assert_eq!(check(&epoll, &mut events), 0);
    epoll.modify(&a, Interest::IN | Interest::ONESHOT, 10).unwrap();
    assert_eq!(epoll.wait(&mut events, Some(BOUND)).unwrap(), 1);
    assert_eq!(events[0].token(), 10);
}

#[test]
fn rdhup_hup_and_out() {
    let epoll = Epoll::new().unwrap();
    let (a, b) = pair();
    epoll
        .add(&a, Interest::IN | Interest::OUT | Interest::RDHUP, 1)
        .unwrap();
    let mut events = [Event::EMPTY; 4];
    assert_eq!(epoll.wait(&mut events, Some(BOUND)).unwrap(), 1);
    assert_eq!(events[0].ready(), Ready::OUT);
    b.shutdown(Shutdown::Write).unwrap();
    assert_eq!(epoll.wait(&mut events, Some(BOUND)).unwrap(), 1);
    assert!(
        events[0].ready().contains(Ready::IN | Ready::RDHUP | Ready::OUT),
        "{:?}",
        events[0]
    );
    assert!(!events[0].ready().contains(Ready::HUP));
    drop(b);
    assert_eq!(epoll.wait(&mut events, Some(BOUND)).unwrap(), 1);
    assert!(events[0].ready().contains(Ready::HUP), "{:?}", events[0]);
}

#[test]
fn pri_reports_out_of_band_data() {
    use zerosock::{MsgFlags, TcpListener, TcpStream};
    let listener = TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, 0)).unwrap();
    let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (server, _) = listener.accept().unwrap();
    let epoll = Epoll::new().unwrap();
    epoll.add(&server, Interest::PRI, 3).unwrap();
    let mut events = [Event::EMPTY; 4];
    assert_eq!(check(&epoll, &mut events), 0);
    client.as_socket().send_with_flags(b"!", MsgFlags::OOB).unwrap();
    assert_eq!(epoll.wait(&mut events, Some(BOUND)).unwrap(), 1);
    assert!(events[0].ready().contains(Ready::PRI), "{:?}", events[0]);
}

#[test]
fn a_short_array_gets_the_rest_next_time() {
    let epoll = Epoll::new().unwrap();
    let pairs: Vec<_> = (0..5).map(|_| pair()).collect();
    for (i, (a, b)) in pairs.iter().enumerate() {
        epoll.add(a, Interest::IN | Interest::ET, i as u64).unwrap();
        b.send(b"x").unwrap();
    }
    let mut events = [Event::EMPTY; 2];
    let mut seen = Vec::new();
    for _ in 0..3 {
        let n = epoll.wait(&mut events, Some(BOUND)).unwrap();
        assert!(n <= 2);
        seen.extend(events[..n].iter().map(Event::token));
    }
    seen.sort_unstable();
    assert_eq!(seen, [0, 1, 2, 3, 4]);
    assert_eq!(epoll.wait(&mut events, Some(Duration::ZERO)).unwrap(), 0);
}

#[test]
fn timeouts_expire_with_nothing_ready() {
    let epoll = Epoll::new().unwrap();
    let (a, _b) = pair();
    epoll.add(&a, Interest::IN, 1).unwrap();
    let mut events = [Event::EMPTY; 4];
    // Nanosecond, millisecond and sub-millisecond timeouts all end, with 0.
    for t in [
        Duration::from_nanos(1),
        Duration::from_micros(300),
        Duration::from_millis(20),
    ] {
        assert_eq!(epoll.wait(&mut events, Some(t)).unwrap(), 0);
    }
    assert_eq!(epoll.wait_ms(&mut events, 0).unwrap(), 0);
    assert_eq!(epoll.wait_ms(&mut events, 20).unwrap(), 0);
    // This kernel (6.x) has epoll_pwait2: no fallback was needed.
    let release = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap();
    let major: u32 = release.split('.').next().unwrap().parse().unwrap();
    if major >= 6 && !common::emulation::gap("epoll_pwait2") {
        assert!(!Epoll::uses_pwait_fallback());
    }
}

#[test]
fn wait_ms_reports_like_wait() {
    let epoll = Epoll::new().unwrap();
    let (a, b) = pair();
    epoll.add(&a, Interest::IN, 77).unwrap();
    b.send(b"x").unwrap();
    let mut events = [Event::EMPTY; 4];
    assert_eq!(epoll.wait_ms(&mut events, -1).unwrap(), 1);
    assert_eq!(events[0], Event::new(Ready::IN, 77));
}

// ---------------------------------------------------------------------------
// EINTR

extern "C" fn on_sigusr1(_: libc::c_int) {}

/// Installs a do-nothing SIGUSR1 handler, without `SA_RESTART` (epoll
/// waits are never restarted anyway).
fn install_handler() {
    // SAFETY: a plain sigaction with a handler that does nothing.
    unsafe {
        let mut sa: libc::sigaction = std::mem::zeroed();
        sa.sa_sigaction = on_sigusr1 as *const () as usize;
        libc::sigemptyset(&mut sa.sa_mask);
        assert_eq!(libc::sigaction(libc::SIGUSR1, &sa, std::ptr::null_mut()), 0);
    }
}

/// Sends SIGUSR1 to `thread` every few ms until `done`, at most for BOUND.
fn pester(thread: libc::pthread_t, done: &AtomicBool) -> usize {
    let start = Instant::now();
    let mut sent = 0;
    while !done.load(Ordering::Acquire) && start.elapsed() < BOUND {
        // SAFETY: the thread is alive until `done` is set (it is joined after).
        unsafe { libc::pthread_kill(thread, libc::SIGUSR1) };
        sent += 1;
        std::thread::sleep(Duration::from_millis(5));
    }
    sent
}

#[test]
fn a_signal_interrupts_the_wait_with_eintr() {
    install_handler();
    let epoll = Arc::new(Epoll::new().unwrap());
    let (a, _b) = pair();
    epoll.add(&a, Interest::IN, 1).unwrap();
    for nanos in [true, false] {
        let done = Arc::new(AtomicBool::new(false));
        let (e, d) = (epoll.clone(), done.clone());
        let waiter = std::thread::spawn(move || {
            let mut events = [Event::EMPTY; 4];
            // Bounded: nothing is ever ready, so only a signal or the
            // timeout ends it; the signal comes long before.
            let r = if nanos {
                e.wait(&mut events, Some(BOUND))
            } else {
                e.wait_ms(&mut events, BOUND.as_millis() as i32)
            };
            d.store(true, Ordering::Release);
            r
        });
        pester(waiter.as_pthread_t(), &done);
        assert_eq!(waiter.join().unwrap(), Err(Errno::INTR));
    }
}

/// The retry loop a caller writes around `wait`: on EINTR, wait again for
/// the time left.
fn wait_retrying(epoll: &Epoll, events: &mut [Event], timeout: Duration) -> (Result<usize, Errno>, usize) {
    let deadline = Instant::now() + timeout;
    let mut interrupted = 0;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match epoll.wait(events, Some(left)) {
            Err(Errno::INTR) if interrupted < 100_000 => interrupted += 1,
            other => return (other, interrupted),
        }
    }
}

#[test]
fn waits_retried_on_eintr_still_see_the_event() {
    install_handler();
    let epoll = Arc::new(Epoll::new().unwrap());
    let wake = Arc::new(EventFd::new(0, EventFdFlags::NONBLOCK).unwrap());
    epoll.add(&*wake, Interest::IN, 123).unwrap();
    let done = Arc::new(AtomicBool::new(false));
    let (e, d) = (epoll.clone(), done.clone());
    let waiter = std::thread::spawn(move || {
        let mut events = [Event::EMPTY; 4];
        let (r, interrupted) = wait_retrying(&e, &mut events, BOUND);
        d.store(true, Ordering::Release);
        (r, events[0], interrupted)
    });
    // Interrupt it a few times, then wake it for real, keep interrupting.
    let tid = waiter.as_pthread_t();
    for _ in 0..5 {
        // SAFETY: the waiter is alive: it ends only after `wake` is written.
        unsafe { libc::pthread_kill(tid, libc::SIGUSR1) };
        std::thread::sleep(Duration::from_millis(5));
    }
    wake.write(1).unwrap();
    pester(tid, &done);
    let (r, event, interrupted) = waiter.join().unwrap();
    assert_eq!(r, Ok(1));
    assert_eq!(event, Event::new(Ready::IN, 123));
    let _ = writeln!(
        std::io::stderr(),
        "epoll wait retried after {interrupted} EINTR(s)"
    );
}

// ---------------------------------------------------------------------------
// eventfd

#[test]
fn eventfd_counts_and_semaphores() {
    let counter = EventFd::new(5, EventFdFlags::NONBLOCK).unwrap();
    counter.write(3).unwrap();
    assert_eq!(counter.read().unwrap(), 8);
    assert_eq!(counter.read(), Err(Errno::AGAIN));
    let sem = EventFd::new(0, EventFdFlags::NONBLOCK | EventFdFlags::SEMAPHORE).unwrap();
    sem.write(2).unwrap();
    assert_eq!(sem.read().unwrap(), 1);
    assert_eq!(sem.read().unwrap(), 1);
    assert_eq!(sem.read(), Err(Errno::AGAIN));
    assert_eq!(sem.write(u64::MAX), Err(Errno::INVAL));
    // The flags are what the kernel holds: fcntl sees O_NONBLOCK.
    // SAFETY: F_GETFL on an open fd.
    let fl = unsafe { libc::fcntl(sem.as_raw_fd(), libc::F_GETFL) };
    assert_ne!(fl & libc::O_NONBLOCK, 0);
    let blocking = EventFd::new(0, EventFdFlags::NONE).unwrap();
    // SAFETY: F_GETFL on an open fd.
    let fl = unsafe { libc::fcntl(blocking.as_raw_fd(), libc::F_GETFL) };
    assert_eq!(fl & libc::O_NONBLOCK, 0);
}

#[test]
fn eventfd_wakes_a_blocked_reader_and_an_epoll_on_another_thread() {
    // A blocking read on one thread, the write on another.
    let efd = Arc::new(EventFd::new(0, EventFdFlags::NONE).unwrap());
    let reader = {
        let efd = efd.clone();
        std::thread::spawn(move || efd.read())
    };
    std::thread::sleep(Duration::from_millis(10));
    efd.write(41).unwrap();
    assert_eq!(reader.join().unwrap(), Ok(41));

    // An epoll wait with no timeout, woken by the eventfd.
    let epoll = Arc::new(Epoll::new().unwrap());
    let wake = Arc::new(EventFd::new(0, EventFdFlags::NONBLOCK).unwrap());
    epoll.add(&*wake, Interest::IN | Interest::ET, 0xfeed).unwrap();
    let waiter = {
        let epoll = epoll.clone();
        std::thread::spawn(move || {
            let mut events = [Event::EMPTY; 2];
            // Bounded: the main thread writes within BOUND, or the wait ends.
            let n = epoll.wait(&mut events, Some(BOUND)).unwrap();
            (n, events[0])
        })
    };
    wake.write(1).unwrap();
    let (n, event) = waiter.join().unwrap();
    assert_eq!((n, event.token()), (1, 0xfeed));
    assert!(event.ready().contains(Ready::IN));
    assert_eq!(wake.read().unwrap(), 1);
}

// ---------------------------------------------------------------------------
// sendfile

#[test]
fn sendfile_with_and_without_an_offset() {
    let (a, b) = pair();
    let file = std::fs::File::open("Cargo.toml").unwrap();
    let whole = std::fs::read("Cargo.toml").unwrap();
    let mut offset = 10u64;
    assert_eq!(a.sendfile(&file, Some(&mut offset), 5).unwrap(), 5);
    assert_eq!(offset, 15);
    let mut buf = [0u8; 64];
    assert_eq!(b.recv(&mut buf).unwrap(), 5);
    assert_eq!(&buf[..5], &whole[10..15]);
    // Without an offset: the file's own offset, still 0, then advanced.
    assert_eq!(a.sendfile(&file, None, 3).unwrap(), 3);
    assert_eq!(a.sendfile(&file, None, 3).unwrap(), 3);
    assert_eq!(b.recv(&mut buf).unwrap(), 6);
    assert_eq!(&buf[..6], &whole[..6]);
    // At the end of the file: 0.
    let mut end = whole.len() as u64;
    assert_eq!(a.sendfile(&file, Some(&mut end), 100).unwrap(), 0);
    // To a closed peer: EPIPE (std ignores SIGPIPE).
    drop(b);
    let mut off = 0;
    assert_eq!(a.sendfile(&file, Some(&mut off), 10), Err(Errno::PIPE));
}

// ---------------------------------------------------------------------------

#[test]
fn no_allocation_on_any_path() {
    let (a, b) = pair();
    let mut events = [Event::EMPTY; 8];
    let file = std::fs::File::open("Cargo.toml").unwrap();
    let n = allocations_in(|| {
        let epoll = Epoll::new().unwrap();
        let efd = EventFd::new(0, EventFdFlags::NONBLOCK | EventFdFlags::SEMAPHORE).unwrap();
        epoll
            .add(&a, Interest::IN | Interest::ET | Interest::RDHUP, 1)
            .unwrap();
        epoll.add(&efd, Interest::IN, 2).unwrap();
        b.send(b"x").unwrap();
        efd.write(1).unwrap();
        assert_eq!(epoll.wait(&mut events, Some(BOUND)).unwrap(), 2);
        assert_eq!(epoll.wait_ms(&mut events, 0).unwrap(), 1);
        epoll.modify(&a, Interest::OUT, 3).unwrap();
        assert_eq!(efd.read().unwrap(), 1);
        let mut off = 0;
        assert_eq!(b.sendfile(&file, Some(&mut off), 4).unwrap(), 4);
        epoll.delete(&a).unwrap();
        assert_eq!(
            epoll.wait(&mut events, Some(Duration::from_micros(10))).unwrap(),
            0
        );
    });
    assert_eq!(n, 0, "heap operations during epoll/eventfd/sendfile calls");
}
