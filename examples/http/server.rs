//! The serving loop: one edge-triggered epoll over a fixed table of
//! connections, each with a fixed input buffer and a fixed buffer for the
//! response head; files go out with sendfile(2). All memory is taken when
//! the server is made; serving allocates nothing.
//!
//! Each connection is registered once, for `EPOLLIN | EPOLLOUT | EPOLLRDHUP`
//! edge-triggered, and [`Conn::serve`] runs it until the kernel says
//! `EAGAIN` on the one thing it is waiting for: sending the pending
//! response, or reading more of the next request. Pipelined requests are
//! answered one after the other from the buffer, each after the previous
//! response is fully sent.
//!
//! Time limits: the connections form a list ordered by deadline (every
//! deadline is "last progress + timeout", so moving a connection to the
//! back keeps the list sorted). Progress is a response fully sent or bytes
//! of it written; bytes *received* are not, so a client that sends its
//! head one byte at a time (slowloris) is closed when its time is up, as is
//! one that stops reading its response.
//!
//! Nothing here needs `std` or a heap: the table is storage the caller
//! gives ([`Server::with_storage`]), free slots are chained through the
//! table itself, and time is read from `CLOCK_MONOTONIC` directly, so the
//! same file is the static, libc-free server of `examples/static-http`.
//! (`examples/http.rs` adds [`Server::new`] with a boxed table.)

use core::borrow::Borrow;
use core::ops::{Add, DerefMut};
use core::time::Duration;

use rustix::fd::{AsFd, BorrowedFd, OwnedFd};
use rustix::fs::{FileType, Mode, OFlags, ResolveFlags, fstat, openat2};
use rustix::time::{ClockId, clock_gettime};
use zerosock::event::epoll::{Epoll, Event, Interest};
use zerosock::event::eventfd::{EventFd, EventFdFlags};
use zerosock::{Errno, MsgFlags, Shutdown, Socket, TcpListener};

use super::request::{self, Method, Parsed, Status};
use super::response::{Date, Head, Out, error_body};

/// Each connection's input buffer: the largest request head (beyond it,
/// 431).
pub(crate) const IN_CAP: usize = 4096;
/// Each connection's buffer for a response head (and an error body).
const HEAD_CAP: usize = 512;
/// The longest decoded file name.
const NAME_CAP: usize = 1024;
/// Events taken per wait.
const EVENTS: usize = 256;
/// The end of the deadline list.
const NIL: u32 = u32::MAX;
/// Tokens: the listener, the stop eventfd; connections are
/// `generation << 32 | (index + 2)`.
const LISTENER: u64 = 0;
const STOP: u64 = 1;
/// The most bytes one sendfile call is asked for.
const SENDFILE_CHUNK: u64 = 1 << 30;

/// A point on `CLOCK_MONOTONIC` (std's `Instant`, without std).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Instant(Duration);

impl Instant {
    pub(crate) fn now() -> Self {
        let now = clock_gettime(ClockId::Monotonic);
        Self(Duration::new(now.tv_sec as u64, now.tv_nsec as u32))
    }

    fn saturating_duration_since(self, earlier: Self) -> Duration {
        self.0.saturating_sub(earlier.0)
    }
}

impl Add<Duration> for Instant {
    type Output = Self;
    fn add(self, rhs: Duration) -> Self {
        Self(self.0 + rhs)
    }
}

/// The server's limits.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Config {
    /// The most connections served at once; more are answered 503 and
    /// closed at once. ([`Server::new`] makes a table this long; with
    /// [`Server::with_storage`], the table's length is the capacity.)
    pub capacity: usize,
    /// How long a connection may go without progress.
    pub timeout: Duration,
}

/// Counters, for tests and the exit line.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Stats {
    pub accepted: u64,
    pub refused: u64,
    pub responses: u64,
    pub timed_out: u64,
}

/// One slot of the table.
pub(crate) struct Conn {
    sock: Option<Socket>,
    /// Bumped when the slot is freed, so a stale event cannot reach the
    /// slot's next connection.
    generation: u32,
    input: [u8; IN_CAP],
    in_start: usize,
    in_end: usize,
    head: [u8; HEAD_CAP],
    head_pos: usize,
    head_len: usize,
    file: Option<OwnedFd>,
    file_pos: u64,
    file_end: u64,
    /// Request body bytes still to read and drop.
    discard: u64,
    /// Close once the pending response is sent.
    close_after: bool,
    /// Response sent, write side shut: reading and dropping until the peer
    /// closes (so unread input cannot turn our close into a reset that
    /// destroys the response), or the deadline.
    draining: bool,
    deadline: Instant,
    prev: u32,
    /// The next slot in the deadline list, or, for a free slot, in the
    /// free list.
    next: u32,
}

/// What [`Conn::serve`] left the connection in.
struct Served {
    keep: bool,
    progress: bool,
}

impl Conn {
    /// A free slot, for making a table.
    pub(crate) const EMPTY: Self = Self {
        sock: None,
        generation: 0,
        input: [0; IN_CAP],
        in_start: 0,
        in_end: 0,
        head: [0; HEAD_CAP],
        head_pos: 0,
        head_len: 0,
        file: None,
        file_pos: 0,
        file_end: 0,
        discard: 0,
        close_after: false,
        draining: false,
        deadline: Instant(Duration::ZERO),
        prev: NIL,
        next: NIL,
    };

    fn open(&mut self, sock: Socket) {
        self.sock = Some(sock);
        self.in_start = 0;
        self.in_end = 0;
        self.head_pos = 0;
        self.head_len = 0;
        self.file = None;
        self.file_pos = 0;
        self.file_end = 0;
        self.discard = 0;
        self.close_after = false;
        self.draining = false;
    }

    fn sending(&self) -> bool {
        self.head_pos < self.head_len || self.file_pos < self.file_end
    }

    /// Runs the connection until it waits on the kernel or must close.
    fn serve(&mut self, root: BorrowedFd<'_>, date: &Date, stats: &mut Stats) -> Served {
        let mut progress = false;
        let keep = loop {
            if self.draining {
                break self.drain();
            }
            if self.sending() {
                match self.send_pending(&mut progress) {
                    Ok(true) => {}
                    Ok(false) => break true,
                    Err(_) => break false,
                }
                // The response is out.
                self.file = None;
                stats.responses += 1;
                progress = true;
                if self.close_after {
                    let Some(sock) = &self.sock else { break false };
                    if sock.shutdown(Shutdown::Write).is_err() {
                        break false;
                    }
                    self.draining = true;
                    continue;
                }
            }
            if self.discard > 0 {
                let n = self.discard.min((self.in_end - self.in_start) as u64);
                self.in_start += n as usize;
                self.discard -= n;
                if self.discard > 0 {
                    self.in_start = 0;
                    self.in_end = 0;
                    match self.fill() {
                        Some(true) => continue,
                        Some(false) => break true,
                        None => break false,
                    }
                }
            }
            if !self.next_request(root, date) {
                // No complete head: read more, unless the buffer is full.
                if self.in_start > 0 {
                    self.input.copy_within(self.in_start..self.in_end, 0);
                    self.in_end -= self.in_start;
                    self.in_start = 0;
                }
                if self.in_end == IN_CAP {
                    self.error(Status::HeaderTooLarge, false, date);
                    continue;
                }
                match self.fill() {
                    Some(true) => continue,
                    Some(false) => break true,
                    None => break false,
                }
            }
        };
        Served { keep, progress }
    }

    /// Reads into the free end of the input buffer: `Some(true)` if bytes
    /// came, `Some(false)` on `EAGAIN`, `None` at end of stream or on an
    /// error.
    fn fill(&mut self) -> Option<bool> {
        let sock = self.sock.as_ref()?;
        loop {
            match sock.recv(&mut self.input[self.in_end..]) {
                Ok(0) => return None,
                Ok(n) => {
                    self.in_end += n;
                    return Some(true);
                }
                Err(Errno::AGAIN) => return Some(false),
                Err(Errno::INTR) => {}
                Err(_) => return None,
            }
        }
    }

    /// Reads and drops input until `EAGAIN` (keep) or end of stream (close).
    fn drain(&mut self) -> bool {
        loop {
            self.in_start = 0;
            self.in_end = 0;
            match self.fill() {
                Some(true) => {}
                Some(false) => return true,
                None => return false,
            }
        }
    }

    /// Sends the head, then the file: `Ok(true)` when all is sent,
    /// `Ok(false)` on `EAGAIN`.
    fn send_pending(&mut self, progress: &mut bool) -> Result<bool, Errno> {
        let sock = self.sock.as_ref().ok_or(Errno::BADF)?;
        while self.head_pos < self.head_len {
            // More is coming if a file follows: one segment for both.
            let flags = if self.file_pos < self.file_end {
                MsgFlags::MORE
            } else {
                MsgFlags::NONE
            };
            match sock.send_with_flags(&self.head[self.head_pos..self.head_len], flags) {
                Ok(n) => {
                    self.head_pos += n;
                    *progress = true;
                }
                Err(Errno::AGAIN) => return Ok(false),
                Err(Errno::INTR) => {}
                Err(e) => return Err(e),
            }
        }
        while self.file_pos < self.file_end {
            let file = self.file.as_ref().ok_or(Errno::BADF)?;
            let count = (self.file_end - self.file_pos).min(SENDFILE_CHUNK) as usize;
            match sock.sendfile(file, Some(&mut self.file_pos), count) {
                // The file shrank under us: the promised length cannot be
                // kept, so the connection must end.
                Ok(0) => return Err(Errno::IO),
                Ok(_) => *progress = true,
                Err(Errno::AGAIN) => return Ok(false),
                Err(Errno::INTR) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(true)
    }

    /// Parses the next request in the buffer and prepares its response;
    /// false if no complete head is there yet.
    fn next_request(&mut self, root: BorrowedFd<'_>, date: &Date) -> bool {
        let mut name_buf = [0u8; NAME_CAP];
        let (len, method, minor, keep_alive, body_len, name) =
            match request::parse(&self.input[self.in_start..self.in_end]) {
                Parsed::Incomplete => return false,
                Parsed::Refused { status, head_only } => {
                    self.error(status, head_only, date);
                    return true;
                }
                Parsed::Request { len, request } => (
                    len,
                    request.method,
                    request.minor,
                    request.keep_alive,
                    request.body_len,
                    request::file_name(request.path, &mut name_buf),
                ),
            };
        self.in_start += len;
        self.discard = body_len;
        self.close_after = !keep_alive;
        let head_only = method == Method::Head;
        let connection = if !keep_alive {
            Some(false)
        } else if minor == 0 {
            Some(true)
        } else {
            None
        };
        let name = match name {
            Ok(name) => name,
            Err(status) => {
                self.answer_error(status, head_only, connection, date);
                return true;
            }
        };
        let flags = OFlags::RDONLY | OFlags::CLOEXEC | OFlags::NONBLOCK | OFlags::NOCTTY;
        let resolve = ResolveFlags::BENEATH | ResolveFlags::NO_MAGICLINKS;
        let opened = openat2(root, name, flags, Mode::empty(), resolve).and_then(|fd| {
            let stat = fstat(&fd)?;
            Ok((fd, stat))
        });
        let (file, size) = match opened {
            Ok((fd, stat)) if FileType::from_raw_mode(stat.st_mode) == FileType::RegularFile => {
                (fd, stat.st_size as u64)
            }
            Ok(_) => return self.answer_error(Status::Forbidden, head_only, connection, date),
            Err(e) => {
                // rustix's errno, as zerosock's (the same numbers).
                let e = Errno::from_raw_os_error(e.raw_os_error());
                let status = match e {
                    Errno::NOENT | Errno::NOTDIR | Errno::NAMETOOLONG => Status::NotFound,
                    // Out of the directory (a link), a loop, or no permission.
                    Errno::XDEV | Errno::LOOP | Errno::ACCESS | Errno::PERM => Status::Forbidden,
                    Errno::MFILE | Errno::NFILE | Errno::NOMEM => Status::Unavailable,
                    _ => Status::InternalError,
                };
                return self.answer_error(status, head_only, connection, date);
            }
        };
        let head = Head {
            status: Status::Ok,
            content_type: request::content_type(name.to_bytes()),
            content_length: size,
            connection,
        };
        self.head_pos = 0;
        self.head_len = head
            .write(date.text(), &mut Out::new(&mut self.head))
            .unwrap_or(0);
        if method == Method::Get && size > 0 {
            self.file = Some(file);
            self.file_pos = 0;
            self.file_end = size;
        }
        true
    }

    /// A refused request: the error response, then close.
    fn error(&mut self, status: Status, head_only: bool, date: &Date) {
        self.discard = 0;
        self.close_after = true;
        self.answer_error(status, head_only, Some(false), date);
    }

    /// An error response (text body unless HEAD), keeping `close_after`.
    fn answer_error(
        &mut self,
        status: Status,
        head_only: bool,
        connection: Option<bool>,
        date: &Date,
    ) -> bool {
        let body = error_body(status);
        let head = Head {
            status,
            content_type: "text/plain; charset=utf-8",
            content_length: body.len(),
            connection,
        };
        let mut out = Out::new(&mut self.head);
        head.write(date.text(), &mut out);
        let len = if head_only {
            out.finish()
        } else {
            body.write(&mut out)
        };
        self.head_pos = 0;
        // HEAD_CAP holds the longest head and body by far.
        self.head_len = len.unwrap_or(0);
        self.file = None;
        self.file_pos = 0;
        self.file_end = 0;
        true
    }
}

/// The server: the listener, the epoll, the table (`T`: a boxed slice
/// or a `&'static mut` one), the stop eventfd (`S`: an `EventFd`, or an
/// `Arc` of one that another thread writes to).
pub(crate) struct Server<T, S> {
    listener: TcpListener,
    epoll: Epoll,
    stop: S,
    root: OwnedFd,
    conns: T,
    /// The first free slot; the others follow through `next`.
    free: u32,
    first: u32,
    last: u32,
    timeout: Duration,
    date: Date,
    events: [Event; EVENTS],
    /// accept(2) ran out of fds: try again soon (the edge is spent).
    accept_again: bool,
    stats: Stats,
}

/// The answer to a client beyond capacity, sent without waiting.
const UNAVAILABLE: &[u8] =
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

/// A new nonblocking eventfd for [`Server::with_storage`]'s `stop`.
pub(crate) fn stop_eventfd() -> Result<EventFd, Errno> {
    EventFd::new(0, EventFdFlags::NONBLOCK)
}

impl<T: DerefMut<Target = [Conn]>, S: Borrow<EventFd>> Server<T, S> {
    /// Serves with the table `conns` (its slots free: [`Conn::EMPTY`];
    /// its length is the capacity, at most `u32::MAX / 2`) and the
    /// eventfd `stop` (see [`stop_eventfd`]): registers the listener and
    /// `stop`. Takes no memory besides what it is given.
    pub(crate) fn with_storage(
        listener: TcpListener,
        root: OwnedFd,
        timeout: Duration,
        mut conns: T,
        stop: S,
    ) -> Result<Self, Errno> {
        if conns.is_empty() || conns.len() > (u32::MAX / 2) as usize {
            return Err(Errno::INVAL);
        }
        listener.set_nonblocking(true)?;
        let epoll = Epoll::new()?;
        epoll.add(&listener, Interest::IN | Interest::ET, LISTENER)?;
        epoll.add(stop.borrow(), Interest::IN, STOP)?;
        // All slots free, chained in order (only the links are written:
        // the buffers of a table in .bss stay untouched until used).
        let len = conns.len() as u32;
        for (i, conn) in conns.iter_mut().enumerate() {
            conn.prev = NIL;
            conn.next = if i as u32 + 1 == len { NIL } else { i as u32 + 1 };
        }
        Ok(Self {
            listener,
            epoll,
            stop,
            root,
            conns,
            free: 0,
            first: NIL,
            last: NIL,
            timeout,
            date: Date::new(),
            events: [Event::EMPTY; EVENTS],
            accept_again: false,
            stats: Stats::default(),
        })
    }

    /// Writing 1 to this makes [`run`](Self::run) return.
    pub(crate) fn stopper(&self) -> S
    where
        S: Clone,
    {
        self.stop.clone()
    }

    pub(crate) fn stats(&self) -> Stats {
        self.stats
    }

    /// Serves until stopped or for `limit` at most. Returns only the
    /// errors that make serving impossible (of the epoll itself).
    pub(crate) fn run(&mut self, limit: Option<Duration>) -> Result<(), Errno> {
        let until = limit.map(|limit| Instant::now() + limit);
        loop {
            let now = Instant::now();
            if until.is_some_and(|u| now >= u) {
                return Ok(());
            }
            self.expire(now);
            if self.accept_again {
                self.accept_all(now);
            }
            let mut wait = Duration::from_secs(1);
            if self.first != NIL {
                wait = wait.min(
                    self.conns[self.first as usize]
                        .deadline
                        .saturating_duration_since(now),
                );
            }
            if let Some(until) = until {
                wait = wait.min(until.saturating_duration_since(now));
            }
            if self.accept_again {
                wait = wait.min(Duration::from_millis(10));
            }
            let n = match self.epoll.wait(&mut self.events, Some(wait)) {
                Ok(n) => n,
                Err(Errno::INTR) => 0,
                Err(e) => return Err(e),
            };
            let now = Instant::now();
            self.date.update();
            for i in 0..n {
                match self.events[i].token() {
                    LISTENER => self.accept_all(now),
                    STOP => {
                        let _ = self.stop.borrow().read();
                        return Ok(());
                    }
                    token => {
                        let index = (token as u32 - 2) as usize;
                        let generation = (token >> 32) as u32;
                        let conn = &self.conns[index];
                        if conn.generation == generation && conn.sock.is_some() {
                            self.drive(index, now);
                        }
                    }
                }
            }
        }
    }

    fn drive(&mut self, index: usize, now: Instant) {
        let served = self.conns[index].serve(self.root.as_fd(), &self.date, &mut self.stats);
        if !served.keep {
            self.close(index);
        } else if served.progress {
            self.touch(index, now);
        }
    }

    /// Accepts until `EAGAIN`; beyond capacity, answers 503 and closes.
    fn accept_all(&mut self, now: Instant) {
        self.accept_again = false;
        loop {
            let sock = match self.listener.as_socket().accept_into(None, true) {
                Ok(sock) => sock,
                Err(Errno::AGAIN) => return,
                // The client gave up before we accepted, or a signal.
                Err(Errno::CONNABORTED | Errno::INTR | Errno::PROTO) => continue,
                // Out of fds or memory: retry soon.
                _ => {
                    self.accept_again = true;
                    return;
                }
            };
            if self.free == NIL {
                let _ = sock.send_with_flags(UNAVAILABLE, MsgFlags::DONTWAIT);
                self.stats.refused += 1;
                continue; // dropped: closed
            }
            let index = self.free;
            self.free = self.conns[index as usize].next;
            let generation = self.conns[index as usize].generation;
            let token = (u64::from(generation) << 32) | u64::from(index + 2);
            let _ = sock.set_nodelay(true);
            if self
                .epoll
                .add(
                    &sock,
                    Interest::IN | Interest::OUT | Interest::RDHUP | Interest::ET,
                    token,
                )
                .is_err()
            {
                self.conns[index as usize].next = self.free;
                self.free = index;
                self.stats.refused += 1;
                continue;
            }
            self.conns[index as usize].open(sock);
            self.stats.accepted += 1;
            self.link_last(index, now);
        }
    }

    /// Closes every connection whose deadline has passed.
    fn expire(&mut self, now: Instant) {
        while self.first != NIL && self.conns[self.first as usize].deadline <= now {
            self.stats.timed_out += 1;
            self.close(self.first as usize);
        }
    }

    fn close(&mut self, index: usize) {
        self.unlink(index as u32);
        let conn = &mut self.conns[index];
        // Closing removes it from the epoll: the fd is never duplicated.
        conn.sock = None;
        conn.file = None;
        conn.generation = conn.generation.wrapping_add(1);
        conn.next = self.free;
        self.free = index as u32;
    }

    fn touch(&mut self, index: usize, now: Instant) {
        self.unlink(index as u32);
        self.link_last(index as u32, now);
    }

    fn link_last(&mut self, index: u32, now: Instant) {
        let conn = &mut self.conns[index as usize];
        conn.deadline = now + self.timeout;
        conn.prev = self.last;
        conn.next = NIL;
        if self.last == NIL {
            self.first = index;
        } else {
            self.conns[self.last as usize].next = index;
        }
        self.last = index;
    }

    fn unlink(&mut self, index: u32) {
        let (prev, next) = {
            let conn = &self.conns[index as usize];
            (conn.prev, conn.next)
        };
        if prev == NIL {
            self.first = next;
        } else {
            self.conns[prev as usize].next = next;
        }
        if next == NIL {
            self.last = prev;
        } else {
            self.conns[next as usize].prev = prev;
        }
    }
}
