//! The DNS query engine: a non-blocking [`Query`] the caller drives from its
//! own `poll` loop (it exposes its [`fd`](Query::fd),
//! [`interest`](Query::interest) and [`deadline`](Query::deadline)), and
//! [`Query::wait`], the blocking form built on it.
//!
//! What it does, as glibc's stub resolver does:
//! - the search list with `ndots` (a name with enough dots is tried as it
//!   is first; otherwise after the search domains), stopping at the first
//!   name that has addresses;
//! - A and AAAA sent together on one socket (one after the other under
//!   `single-request`, on a new socket for the second under
//!   `single-request-reopen`; AAAA not at all under `no-aaaa`);
//! - per name: `attempts` rounds over the name servers (starting at a
//!   rotating one under `rotate`), each waiting `timeout << server index`
//!   (divided by the server count after the first, at least 1 s); a
//!   `SERVFAIL`, `REFUSED`, `NOTIMP` or `FORMERR` answer or an ICMP refusal
//!   moves to the next server at once;
//! - a truncated UDP answer is asked again over TCP, from the same server;
//! - CNAME chains followed inside the answer (at most 16 links).
//!
//! Before an answer is believed: it comes from the server's address and
//! port (the UDP socket is connected, and the source is checked again), its
//! ID (random, from getrandom(2), as is the source port) is the one sent,
//! it is a response to a standard query, and its one question is the name,
//! type and class asked for. Anything else is dropped and the wait goes on.

use core::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
use core::sync::atomic::{AtomicUsize, Ordering};
use core::time::Duration;

use heapless::{String, Vec};
use rustix::fd::BorrowedFd;

use super::error::GaiError;
use super::resolv_conf::{MAX_DOMAIN, ResolvConf};
use super::wire::{
    self, MAX_NAME, Message, RData, Section, TYPE_A, TYPE_AAAA, TYPE_CNAME, TYPE_PTR, build_query,
    encode_name,
};
use crate::error::Errno;
use crate::flags::{Domain, Protocol, Type};
use crate::poll::{Interest, PollFd, poll};
use crate::socket::Socket;
use crate::sys;

/// The most addresses kept per record type (the rest of a larger answer
/// is ignored).
pub const MAX_ADDRS: usize = 64;
/// The most names kept from a PTR answer.
pub const MAX_PTR_NAMES: usize = 4;
/// The longest CNAME chain followed.
const MAX_CNAME_LINKS: usize = 16;
/// The most names tried: as is, and each search domain.
const MAX_CANDIDATES: usize = 1 + super::resolv_conf::MAX_SEARCH;
/// The UDP payload size advertised under `edns0` (glibc's).
const EDNS_PAYLOAD: u16 = 1200;

/// The first name server of the next query under `rotate`.
static ROTATE: AtomicUsize = AtomicUsize::new(0);

/// What to ask.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryKind {
    /// Addresses: A and/or AAAA.
    Host {
        /// Ask for A records.
        v4: bool,
        /// Ask for AAAA records.
        v6: bool,
    },
    /// The name of an address (PTR); the search list is not used.
    Reverse(IpAddr),
}

/// What a query found: addresses (A answers first, then AAAA) and the
/// canonical name, or for a reverse query the names.
#[derive(Clone, Debug, Default)]
pub struct DnsAnswer {
    v4: Vec<IpAddr, MAX_ADDRS>,
    v6: Vec<IpAddr, MAX_ADDRS>,
    canon: [Option<String<MAX_DOMAIN>>; 2],
    names: Vec<String<MAX_DOMAIN>, MAX_PTR_NAMES>,
}

impl DnsAnswer {
    /// The addresses: those of the A answer, then those of the AAAA answer.
    pub fn addrs(&self) -> impl Iterator<Item = IpAddr> + '_ {
        self.v4.iter().chain(self.v6.iter()).copied()
    }

    /// The canonical name: the owner of the first address record (the end
    /// of the CNAME chain), from the A answer if it had addresses.
    pub fn canonical_name(&self) -> Option<&str> {
        self.canon[0].as_deref().or(self.canon[1].as_deref())
    }

    /// The names of a reverse query, first the one glibc reports as
    /// `h_name`.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(|s| s.as_str())
    }

    fn found(&self) -> bool {
        !self.v4.is_empty() || !self.v6.is_empty() || !self.names.is_empty()
    }
}

/// How one question fared with one server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Got {
    Nothing,
    Records,
    NoData,
    NxDomain,
    /// SERVFAIL and friends: try the next server.
    Failed,
    /// TC set: ask again over TCP.
    Truncated,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Candidate {
    AsIs,
    Search(usize),
}

enum Transport {
    Idle,
    Udp(Socket),
    Tcp {
        socket: Socket,
        connected: bool,
        /// Which question is on the wire, how much of the query is sent.
        q: usize,
        sent: usize,
        /// How much of the answer is read (2 length bytes first).
        got: usize,
        want: usize,
    },
}

/// A DNS query in progress, driven by the caller's poll loop.
///
/// ```no_run
/// use zerosock::resolve::{Query, QueryKind, ResolvConf};
/// use zerosock::poll::{PollFd, poll};
/// let conf = ResolvConf::parse(b"nameserver 127.0.0.1\n");
/// let mut buf = [0u8; 4096];
/// let mut q = Query::new(&conf, "example.test", QueryKind::Host { v4: true, v6: true }, &mut buf)?;
/// let answer = loop {
///     if let Some(fd) = q.fd() {
///         let mut fds = [PollFd::from_borrowed_fd(fd, q.interest())];
///         let _ = poll(&mut fds, Some(q.timeout()));
///     }
///     if let Some(done) = q.advance() {
///         break done?;
///     }
/// };
/// for addr in answer.addrs() {
///     println!("{addr}");
/// }
/// # Ok::<(), zerosock::resolve::GaiError>(())
/// ```
///
/// # References
/// - [resolver(3)](https://man7.org/linux/man-pages/man3/resolver.3.html)
/// - [resolv.conf(5)](https://man7.org/linux/man-pages/man5/resolv.conf.5.html)
/// - [RFC 1035 §4.2](https://www.rfc-editor.org/rfc/rfc1035#section-4.2)
#[doc(alias = "res_nquery")]
#[doc(alias = "res_nsearch")]
#[doc(alias = "res_send")]
pub struct Query<'c, 'b> {
    conf: &'c ResolvConf,
    buf: &'b mut [u8],
    name: String<{ MAX_DOMAIN + 1 }>,
    candidates: Vec<Candidate, MAX_CANDIDATES>,
    cand: usize,
    saved: Option<GaiError>,
    got_nodata: bool,
    got_servfail: bool,
    /// A SERVFAIL for the name being tried.
    cand_servfail: bool,
    last: Option<GaiError>,
    // The name being tried.
    qname: [u8; MAX_NAME],
    qlen: usize,
    qtypes: [u16; 2],
    nq: usize,
    ids: [u16; 2],
    got: [Got; 2],
    sent: [bool; 2],
    first_server: usize,
    try_no: usize,
    deadline: Duration,
    transport: Transport,
    answer: DnsAnswer,
    done: bool,
}

impl<'c, 'b> Query<'c, 'b> {
    /// Starts a query: checks `name`, works out the names to try, and sends
    /// the first question(s); `name` is not used for
    /// [`QueryKind::Reverse`], which asks for the address's PTR name.
    /// `buf` receives answers: 512 bytes are enough
    /// for plain UDP, 1,200 under `edns0`; a TCP answer longer than `buf`
    /// ends the query with [`GaiError::Overflow`] (ask again with a larger
    /// buffer, up to 65,535 bytes).
    ///
    /// # References
    /// - [resolver(3)](https://man7.org/linux/man-pages/man3/resolver.3.html)
    pub fn new(
        conf: &'c ResolvConf,
        name: &str,
        kind: QueryKind,
        buf: &'b mut [u8],
    ) -> Result<Self, GaiError> {
        let mut q = Self {
            conf,
            buf,
            name: String::new(),
            candidates: Vec::new(),
            cand: 0,
            saved: None,
            got_nodata: false,
            got_servfail: false,
            cand_servfail: false,
            last: None,
            qname: [0; MAX_NAME],
            qlen: 0,
            qtypes: [0; 2],
            nq: 0,
            ids: [0; 2],
            got: [Got::Nothing; 2],
            sent: [false; 2],
            first_server: 0,
            try_no: 0,
            deadline: Duration::ZERO,
            transport: Transport::Idle,
            answer: DnsAnswer::default(),
            done: false,
        };
        match kind {
            QueryKind::Host { v4, v6 } => {
                let v6 = v6 && !conf.no_aaaa();
                if !v4 && !v6 {
                    return Err(GaiError::NoName);
                }
                if name.is_empty() || name.len() > MAX_DOMAIN + 1 {
                    return Err(GaiError::NoName);
                }
                q.name.push_str(name).map_err(|_| GaiError::NoName)?;
                if v4 {
                    q.qtypes[q.nq] = TYPE_A;
                    q.nq += 1;
                }
                if v6 {
                    q.qtypes[q.nq] = TYPE_AAAA;
                    q.nq += 1;
                }
                q.plan_candidates();
            }
            QueryKind::Reverse(addr) => {
                reverse_name(addr, &mut q.name);
                q.qtypes[0] = TYPE_PTR;
                q.nq = 1;
                q.candidates.push(Candidate::AsIs).ok();
            }
        }
        q.start_candidate()?;
        Ok(q)
    }

    /// glibc's `res_search` order: as is first when the name has `ndots`
    /// dots or a trailing dot (then nothing else), the search domains, and
    /// as is last if not tried yet.
    fn plan_candidates(&mut self) {
        let dots = self.name.bytes().filter(|&b| b == b'.').count();
        let trailing = self.name.ends_with('.');
        let mut tried_as_is = false;
        if dots >= usize::from(self.conf.ndots()) || trailing {
            self.candidates.push(Candidate::AsIs).ok();
            tried_as_is = true;
            if trailing {
                return;
            }
        }
        let mut searched = false;
        let mut root_on_list = false;
        for (i, d) in self.conf.search().enumerate() {
            searched = true;
            if d.trim_start_matches('.').is_empty() {
                root_on_list = true;
            }
            self.candidates.push(Candidate::Search(i)).ok();
        }
        let tld_allowed = dots > 0 || !searched || !self.conf.no_tld_query();
        if tld_allowed && !tried_as_is && !root_on_list {
            self.candidates.push(Candidate::AsIs).ok();
        }
    }

    /// Encodes the current candidate and sends its first question(s).
    /// Moves past candidates that cannot be encoded (too long).
    fn start_candidate(&mut self) -> Result<(), GaiError> {
        loop {
            let Some(&c) = self.candidates.get(self.cand) else {
                self.finish_failed();
                return Ok(());
            };
            let mut text: String<{ 2 * MAX_DOMAIN + 2 }> = String::new();
            let _ = text.push_str(&self.name);
            if let Candidate::Search(i) = c {
                let d = self.conf.search().nth(i).unwrap_or("");
                let d = d.trim_start_matches('.');
                if !text.ends_with('.') && !d.is_empty() {
                    let _ = text.push('.');
                }
                let _ = text.push_str(d);
            }
            match encode_name(&text, &mut self.qname) {
                Ok(n) => self.qlen = n,
                Err(_) => {
                    // glibc: a name that cannot be made into a query fails
                    // this candidate as "not found".
                    self.last = Some(GaiError::NoName);
                    self.cand += 1;
                    continue;
                }
            }
            self.got = [Got::Nothing; 2];
            self.sent = [false; 2];
            self.try_no = 0;
            self.cand_servfail = false;
            self.first_server = if self.conf.rotate() {
                ROTATE.fetch_add(1, Ordering::Relaxed) % self.conf.nameservers().len().max(1)
            } else {
                0
            };
            return self.start_try();
        }
    }

    fn server(&self) -> SocketAddr {
        let servers = self.conf.nameservers();
        servers[(self.first_server + self.try_no) % servers.len()]
    }

    fn server_index(&self) -> usize {
        self.try_no % self.conf.nameservers().len()
    }

    /// Sends the unanswered questions to the server of this try, over UDP
    /// (TCP under `use-vc`), and sets the deadline.
    fn start_try(&mut self) -> Result<(), GaiError> {
        let servers = self.conf.nameservers().len();
        if servers == 0 || self.try_no >= servers * usize::from(self.conf.attempts()) {
            self.end_candidate();
            return Ok(());
        }
        // glibc's send_dg: timeout << server index, divided by the server
        // count after the first, at least a second.
        let ns = self.server_index();
        let mut secs = u64::from(self.conf.timeout().as_secs() as u32) << ns.min(30);
        if ns > 0 {
            secs /= servers as u64;
        }
        self.deadline = sys::clock::monotonic_now_syscall() + Duration::from_secs(secs.max(1));
        for i in 0..self.nq {
            if self.got[i] != Got::Records {
                self.got[i] = Got::Nothing;
            }
            self.sent[i] = false;
        }
        self.transport = Transport::Idle;
        if self.conf.use_vc() {
            for g in &mut self.got[..self.nq] {
                if *g == Got::Nothing {
                    *g = Got::Truncated;
                }
            }
            return self.start_tcp();
        }
        let server = self.server();
        let socket = match udp_socket(&server) {
            Ok(s) => s,
            Err(e) => return self.fail_server_or(e),
        };
        self.transport = Transport::Udp(socket);
        self.send_udp_questions()
    }

    /// Sends what may be sent now: both questions, or under
    /// `single-request` the next one once the first is answered.
    fn send_udp_questions(&mut self) -> Result<(), GaiError> {
        for i in 0..self.nq {
            if self.sent[i] || self.got[i] == Got::Records {
                continue;
            }
            let single = self.conf.single_request() || self.conf.single_request_reopen();
            if single && i > 0 && (0..i).any(|j| self.sent[j] && self.got[j] == Got::Nothing) {
                break;
            }
            if i > 0 && self.conf.single_request_reopen() && self.sent[..i].iter().any(|&s| s) {
                match udp_socket(&self.server()) {
                    Ok(s) => self.transport = Transport::Udp(s),
                    Err(e) => return self.fail_server_or(e),
                }
            }
            self.ids[i] = random_u16();
            while i > 0 && self.ids[i] == self.ids[0] {
                self.ids[i] = random_u16();
            }
            let edns = self.conf.edns0().then_some(EDNS_PAYLOAD);
            let mut out = [0u8; MAX_NAME + 32];
            let n = build_query(
                &mut out,
                self.ids[i],
                &self.qname[..self.qlen],
                self.qtypes[i],
                edns,
            )
            .map_err(|_| GaiError::Fail)?;
            let Transport::Udp(socket) = &self.transport else {
                return Ok(());
            };
            match socket.send(&out[..n]) {
                Ok(_) => self.sent[i] = true,
                Err(Errno::INTR | Errno::AGAIN) => {}
                Err(_) => return self.next_server(),
            }
        }
        Ok(())
    }

    /// Moves to the next server (or round), or ends this name.
    fn next_server(&mut self) -> Result<(), GaiError> {
        self.try_no += 1;
        self.start_try()
    }

    fn fail_server_or(&mut self, e: Errno) -> Result<(), GaiError> {
        match e {
            Errno::AFNOSUPPORT | Errno::NETUNREACH | Errno::HOSTUNREACH | Errno::CONNREFUSED => {
                self.next_server()
            }
            e => Err(GaiError::System(e)),
        }
    }

    fn start_tcp(&mut self) -> Result<(), GaiError> {
        let Some(q) = (0..self.nq).find(|&i| self.got[i] == Got::Truncated) else {
            self.end_try();
            return Ok(());
        };
        let server = self.server();
        let socket = match Socket::new_nonblocking(Domain::for_addr(&server), Type::STREAM, Protocol::TCP) {
            Ok(s) => s,
            Err(e) => return Err(GaiError::System(e)),
        };
        let connected = match socket.connect(&server) {
            Ok(()) => true,
            Err(Errno::INPROGRESS | Errno::INTR) => false,
            Err(_) => return self.next_server(),
        };
        self.ids[q] = random_u16();
        self.transport = Transport::Tcp {
            socket,
            connected,
            q,
            sent: 0,
            got: 0,
            want: 2,
        };
        Ok(())
    }

    /// The fd to poll; `None` once the query is finished.
    pub fn fd(&self) -> Option<BorrowedFd<'_>> {
        use rustix::fd::AsFd;
        match &self.transport {
            Transport::Udp(s) | Transport::Tcp { socket: s, .. } => Some(s.as_fd()),
            Transport::Idle => None,
        }
    }

    /// What to poll the fd for.
    pub fn interest(&self) -> Interest {
        match &self.transport {
            Transport::Tcp { connected: false, .. } => Interest::OUT,
            Transport::Tcp { q, sent, .. } if *sent < tcp_query_len(self, *q) => Interest::OUT,
            _ => Interest::IN,
        }
    }

    /// When [`advance`](Query::advance) must be called even if the fd is
    /// not ready: a time on the monotonic clock (`CLOCK_MONOTONIC`).
    pub fn deadline(&self) -> Duration {
        if self.done { Duration::ZERO } else { self.deadline }
    }

    /// The time left until the [`deadline`](Query::deadline), for `poll`.
    pub fn timeout(&self) -> Duration {
        self.deadline()
            .saturating_sub(sys::clock::monotonic_now_syscall())
    }

    /// Does what can be done now without blocking: reads answers, sends
    /// questions, moves to the next server when the deadline has passed.
    /// Returns the outcome once there is one (and again on later calls).
    pub fn advance(&mut self) -> Option<Result<&DnsAnswer, GaiError>> {
        if !self.done {
            if let Err(e) = self.step() {
                self.last = Some(e);
                self.saved = Some(e);
                self.done = true;
                self.transport = Transport::Idle;
            }
        }
        if !self.done {
            return None;
        }
        Some(if self.answer.found() {
            Ok(&self.answer)
        } else {
            Err(self.saved.or(self.last).unwrap_or(GaiError::NoName))
        })
    }

    /// Runs the query to its end, waiting in `poll` (EINTR is retried).
    ///
    /// # References
    /// - [poll(2)](https://man7.org/linux/man-pages/man2/poll.2.html)
    pub fn wait(mut self) -> Result<DnsAnswer, GaiError> {
        loop {
            if self.advance().is_some() {
                break;
            }
            let timeout = self.timeout();
            let interest = self.interest();
            let polled = match self.fd() {
                Some(fd) => poll(&mut [PollFd::from_borrowed_fd(fd, interest)], Some(timeout)),
                // Between servers: wait out the deadline.
                None => poll(&mut [], Some(timeout)),
            };
            match polled {
                Ok(_) | Err(Errno::INTR) => {}
                Err(e) => return Err(GaiError::System(e)),
            }
        }
        match self.advance() {
            Some(Ok(_)) => Ok(core::mem::take(&mut self.answer)),
            Some(Err(e)) => Err(e),
            None => Err(GaiError::Fail),
        }
    }

    fn step(&mut self) -> Result<(), GaiError> {
        // Bounded: each pass either reads a datagram, or stops.
        for _ in 0..64 {
            if self.done {
                return Ok(());
            }
            let progressed = match self.transport {
                Transport::Udp(_) => self.read_udp()?,
                Transport::Tcp { .. } => self.drive_tcp()?,
                Transport::Idle => false,
            };
            if self.done {
                return Ok(());
            }
            if !progressed {
                break;
            }
        }
        if !self.done && sys::clock::monotonic_now_syscall() >= self.deadline {
            self.next_server()?;
        }
        Ok(())
    }

    /// Reads one datagram if there is one; true if it did.
    fn read_udp(&mut self) -> Result<bool, GaiError> {
        let Transport::Udp(socket) = &self.transport else {
            return Ok(false);
        };
        let (n, from) = match socket.recv_from(self.buf) {
            Ok(r) => r,
            Err(Errno::AGAIN | Errno::INTR) => return Ok(false),
            // An ICMP refusal, or any other error: this server is gone.
            Err(_) => {
                self.next_server()?;
                return Ok(true);
            }
        };
        if from.socket_addr().map(canonical) != Some(canonical(self.server())) {
            return Ok(true);
        }
        let Some((qi, got)) = self.judge(n, true) else {
            return Ok(true);
        };
        self.got[qi] = got;
        self.after_answer()?;
        Ok(true)
    }

    /// After a believed answer: finish this server when every question is
    /// settled, or send the next one (single-request).
    fn after_answer(&mut self) -> Result<(), GaiError> {
        let got = &self.got[..self.nq];
        if got.contains(&Got::Failed) {
            // Keep what was found, ask the next server for the rest.
            return self.next_server();
        }
        if got.contains(&Got::Nothing) {
            if matches!(self.transport, Transport::Udp(_)) {
                self.send_udp_questions()?;
            }
            return Ok(());
        }
        if got.contains(&Got::Truncated) {
            return self.start_tcp();
        }
        self.end_try();
        Ok(())
    }

    /// Checks the message in `buf[..n]` against what was asked; returns the
    /// question it answers and how, having taken its records.
    fn judge(&mut self, n: usize, udp: bool) -> Option<(usize, Got)> {
        let msg = Message::new_checked(&self.buf[..n]).ok()?;
        let h = msg.header();
        if !h.response || h.opcode != 0 || h.qdcount != 1 {
            return None;
        }
        let qi = (0..self.nq)
            .find(|&i| self.ids[i] == h.id && !(udp && (!self.sent[i] || self.got[i] != Got::Nothing)))?;
        let q = msg.questions().next()?.ok()?;
        if q.qtype != self.qtypes[qi]
            || q.qclass != wire::CLASS_IN
            || !q.name.eq_wire(&self.qname[..self.qlen])
        {
            return None;
        }
        if h.truncated && udp {
            return Some((qi, Got::Truncated));
        }
        let got = match h.rcode {
            wire::RCODE_NOERROR => {
                if take_records(&msg, q.name, self.qtypes[qi], qi, &mut self.answer) {
                    Got::Records
                } else {
                    Got::NoData
                }
            }
            wire::RCODE_NXDOMAIN => Got::NxDomain,
            _ => Got::Failed,
        };
        if got == Got::Failed {
            self.cand_servfail |= h.rcode == wire::RCODE_SERVFAIL;
        }
        Some((qi, got))
    }

    fn drive_tcp(&mut self) -> Result<bool, GaiError> {
        let qlen = self.qlen;
        let edns = self.conf.edns0().then_some(EDNS_PAYLOAD);
        let Transport::Tcp {
            socket,
            connected,
            q,
            sent,
            got,
            want,
        } = &mut self.transport
        else {
            return Ok(false);
        };
        if !*connected {
            match socket.take_error() {
                Ok(None) => {}
                _ => return self.next_server().map(|()| true),
            }
            match socket.wait(Interest::OUT, Some(Duration::ZERO)) {
                Ok(r) if !r.is_empty() => *connected = true,
                _ => return Ok(false),
            }
        }
        let mut out = [0u8; MAX_NAME + 34];
        let n = build_query(
            &mut out[2..],
            self.ids[*q],
            &self.qname[..qlen],
            self.qtypes[*q],
            edns,
        )
        .map_err(|_| GaiError::Fail)?;
        out[..2].copy_from_slice(&(n as u16).to_be_bytes());
        if *sent < n + 2 {
            match socket.send(&out[*sent..n + 2]) {
                Ok(k) => *sent += k,
                Err(Errno::AGAIN | Errno::INTR) => return Ok(false),
                Err(_) => return self.next_server().map(|()| true),
            }
            return Ok(true);
        }
        let mut len = [0u8; 2];
        let r = if *got < 2 {
            let r = socket.recv(&mut len[*got..]);
            if let Ok(k) = r {
                if k > 0 && *got + k == 2 {
                    *want = usize::from(u16::from_be_bytes(len));
                    if *want > self.buf.len() {
                        // Too long for the caller's buffer: the caller may
                        // ask again with a larger one.
                        return Err(GaiError::Overflow);
                    }
                    if *want < wire::HEADER_LEN {
                        return self.next_server().map(|()| true);
                    }
                }
            }
            r
        } else {
            let at = *got - 2;
            let end = *want;
            socket.recv(&mut self.buf[at..end])
        };
        match r {
            Ok(0) => return self.next_server().map(|()| true),
            Ok(k) => *got += k,
            Err(Errno::AGAIN | Errno::INTR) => return Ok(false),
            Err(_) => return self.next_server().map(|()| true),
        }
        if *got >= 2 && *got == *want + 2 {
            let qi = *q;
            let total = *want;
            match self.judge(total, false) {
                Some((i, g)) if i == qi => self.got[qi] = g,
                // A wrong answer on a stream: the server is not believed.
                _ => return self.next_server().map(|()| true),
            }
            if self.got[..self.nq].contains(&Got::Failed) {
                return self.next_server().map(|()| true);
            }
            self.start_tcp()?;
        }
        Ok(true)
    }

    /// Every question of this try is settled (no failure, no truncation).
    fn end_try(&mut self) {
        self.transport = Transport::Idle;
        self.end_candidate();
    }

    /// This name is finished, found or not: glibc's `res_search` decides
    /// whether to go on.
    fn end_candidate(&mut self) {
        self.transport = Transport::Idle;
        if self.answer.found() {
            self.done = true;
            return;
        }
        let got = &self.got[..self.nq];
        let err = if got.contains(&Got::NoData) || (got.contains(&Got::Records)) {
            self.got_nodata = true;
            GaiError::NoData
        } else if got.contains(&Got::NxDomain) {
            GaiError::NoName
        } else {
            // No answer at all: timeouts.
            GaiError::Again
        };
        let servfail = self.cand_servfail;
        self.got_servfail |= servfail;
        self.last = Some(err);
        let first_as_is = self.cand == 0 && self.candidates.first() == Some(&Candidate::AsIs);
        if first_as_is && self.candidates.len() > 1 {
            self.saved = Some(err);
        }
        // A timeout (not a SERVFAIL) ends the search domains; the final
        // as-is try still runs.
        if err == GaiError::Again && !servfail {
            if let Some(i) = self.candidates[self.cand + 1..]
                .iter()
                .position(|&c| c == Candidate::AsIs)
            {
                self.cand += 1 + i;
            } else {
                self.cand = self.candidates.len();
            }
        } else {
            self.cand += 1;
        }
        if self.cand >= self.candidates.len() {
            self.finish_failed();
            return;
        }
        if let Err(e) = self.start_candidate() {
            self.saved = Some(e);
            self.done = true;
        }
    }

    fn finish_failed(&mut self) {
        self.transport = Transport::Idle;
        self.done = true;
        if self.saved.is_none() {
            if self.got_nodata {
                self.saved = Some(GaiError::NoData);
            } else if self.got_servfail {
                self.saved = Some(GaiError::Again);
            }
        }
    }
}

fn tcp_query_len(q: &Query<'_, '_>, _qi: usize) -> usize {
    2 + wire::query_len(&q.qname[..q.qlen], q.conf.edns0().then_some(EDNS_PAYLOAD))
}

/// Takes the records answering `qname`/`qtype` from `msg`, following CNAME
/// links; true if any was found.
fn take_records(
    msg: &Message<&[u8]>,
    qname: wire::Name<'_>,
    qtype: u16,
    qi: usize,
    out: &mut DnsAnswer,
) -> bool {
    let mut cur = qname;
    for _ in 0..MAX_CNAME_LINKS {
        let next = msg.records().filter_map(Result::ok).find_map(|r| match r.data {
            RData::Cname(target)
                if r.section == Section::Answer && r.rtype == TYPE_CNAME && r.name.eq_name(&cur) =>
            {
                Some(target)
            }
            _ => None,
        });
        match next {
            Some(t) => cur = t,
            None => break,
        }
    }
    let mut found = false;
    for r in msg.records().filter_map(Result::ok) {
        if r.section != Section::Answer
            || r.class != wire::CLASS_IN
            || r.rtype != qtype
            || !r.name.eq_name(&cur)
        {
            continue;
        }
        let canon = &mut out.canon[qi.min(1)];
        match r.data {
            RData::A(a) if qtype == TYPE_A => {
                found |= out.v4.push(IpAddr::V4(a)).is_ok() || !out.v4.is_empty();
            }
            RData::Aaaa(a) if qtype == TYPE_AAAA => {
                found |= out.v6.push(IpAddr::V6(a)).is_ok() || !out.v6.is_empty();
            }
            RData::Ptr(name) if qtype == TYPE_PTR => {
                let mut s = String::new();
                if core::fmt::write(&mut s, format_args!("{name}")).is_ok() {
                    found |= out.names.push(s).is_ok() || !out.names.is_empty();
                }
            }
            _ => continue,
        }
        if canon.is_none() && qtype != TYPE_PTR {
            let mut s = String::new();
            if core::fmt::write(&mut s, format_args!("{}", r.name)).is_ok() {
                *canon = Some(s);
            }
        }
    }
    found
}

/// A v4-mapped address as plain IPv4, to compare sources.
fn canonical(a: SocketAddr) -> SocketAddr {
    match a {
        SocketAddr::V6(v6) => match v6.ip().to_ipv4_mapped() {
            Some(v4) => SocketAddr::V4(SocketAddrV4::new(v4, v6.port())),
            None => SocketAddr::V6(SocketAddrV6::new(*v6.ip(), v6.port(), 0, 0)),
        },
        a => a,
    }
}

/// A non-blocking UDP socket bound to a random port (from getrandom; the
/// kernel picks one after a few taken ports) and connected to `server`, so
/// the kernel drops datagrams from anyone else.
fn udp_socket(server: &SocketAddr) -> Result<Socket, Errno> {
    let socket = Socket::new_nonblocking(Domain::for_addr(server), Type::DGRAM, Protocol::UDP)?;
    for _ in 0..8 {
        let port = 1024 + random_u16() % (65535 - 1024 + 1);
        let local = match server {
            SocketAddr::V4(_) => SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, port)),
            SocketAddr::V6(_) => SocketAddr::V6(SocketAddrV6::new(Ipv6Addr::UNSPECIFIED, port, 0, 0)),
        };
        match socket.bind(&local) {
            Ok(()) => break,
            Err(Errno::ADDRINUSE | Errno::ACCESS) => continue,
            Err(e) => return Err(e),
        }
    }
    socket.connect(server)?;
    Ok(socket)
}

/// 16 random bits from getrandom(2).
pub(crate) fn random_u16() -> u16 {
    let mut b = [0u8; 2];
    loop {
        match sys::rand::getrandom(&mut b) {
            Ok(2) => return u16::from_ne_bytes(b),
            Err(Errno::INTR) | Ok(_) => continue,
            // getrandom cannot fail otherwise on Linux >= 3.17; fall back
            // on the clock rather than a fixed value.
            Err(_) => return sys::clock::monotonic_now_syscall().subsec_nanos() as u16,
        }
    }
}

/// The reverse-lookup name of `addr`: `4.3.2.1.in-addr.arpa` or the 32
/// nibbles of `ip6.arpa`.
fn reverse_name(addr: IpAddr, out: &mut String<{ MAX_DOMAIN + 1 }>) {
    use core::fmt::Write;
    match addr {
        IpAddr::V4(a) => {
            let o = a.octets();
            let _ = write!(out, "{}.{}.{}.{}.in-addr.arpa", o[3], o[2], o[1], o[0]);
        }
        IpAddr::V6(a) => {
            for b in a.octets().iter().rev() {
                let _ = write!(out, "{:x}.{:x}.", b & 0xf, b >> 4);
            }
            let _ = out.push_str("ip6.arpa");
        }
    }
}
