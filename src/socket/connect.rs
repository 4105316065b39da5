//! Connecting well: [`Socket::connect_timeout`] (a non-blocking connect,
//! a bounded wait, then the real outcome from `SO_ERROR`) and
//! [`connect_retry`] (fresh sockets, tried with exponential back-off, as
//! *Advanced Programming in the UNIX Environment*'s `connect_retry` does).

use core::time::Duration;

use crate::addr::SocketAddrArg;
use crate::error::{Errno, Error};

use crate::poll::Interest;
use crate::socket::Socket;
use crate::sys::time::{monotonic_now, sleep};

pub(crate) const ZERO_TIMEOUT: Error = Error::InvalidInput("a zero connect timeout");

impl Socket {
    /// Connects to `addr`, giving up after `timeout` with
    /// [`Errno::TIMEDOUT`].
    ///
    /// The socket is put in non-blocking mode, `connect` starts the
    /// handshake (`EINPROGRESS`), [`wait`](Socket::wait) waits until it is
    /// writable (retrying `EINTR` with the time left), and `SO_ERROR` gives
    /// the outcome: the kernel's real error (`ECONNREFUSED`, `ENETUNREACH`,
    /// `EHOSTUNREACH`, …) is returned as it is. The socket's blocking mode is
    /// then restored.
    ///
    /// After a timeout the handshake may still be under way in the kernel:
    /// the socket is no good for another `connect`; close it (or see
    /// [`connect_retry`], which uses a fresh socket for every try).
    ///
    /// ```
    /// use zerosock::{Domain, Errno, Error, Protocol, Socket, Type};
    /// use core::net::{Ipv4Addr, SocketAddrV4};
    /// use core::time::Duration;
    ///
    /// let listener = Socket::new(Domain::INET, Type::STREAM, Protocol::TCP)?;
    /// listener.bind(&SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0))?;
    /// listener.listen(1)?;
    /// let addr = listener.local_addr()?;
    ///
    /// let client = Socket::new(Domain::INET, Type::STREAM, Protocol::TCP)?;
    /// client.connect_timeout(&addr, Duration::from_secs(5))?;
    /// assert!(!client.is_nonblocking()?);
    ///
    /// drop(listener); // nothing listens there any more
    /// let refused = Socket::new(Domain::INET, Type::STREAM, Protocol::TCP)?;
    /// let err = refused.connect_timeout(&addr, Duration::from_secs(5)).unwrap_err();
    /// assert_eq!(err, Error::Os(Errno::CONNREFUSED));
    /// # Ok::<(), zerosock::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a zero `timeout`; [`Errno::TIMEDOUT`] when
    /// it passes; otherwise the kernel's error from `connect`, `poll` or
    /// `SO_ERROR`.
    ///
    /// # References
    /// - [connect(2)](https://man7.org/linux/man-pages/man2/connect.2.html)
    /// - [poll(2)](https://man7.org/linux/man-pages/man2/poll.2.html)
    /// - [socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html) (`SO_ERROR`)
    #[doc(alias = "EINPROGRESS")]
    pub fn connect_timeout(&self, addr: &impl SocketAddrArg, timeout: Duration) -> Result<(), Error> {
        if timeout.is_zero() {
            return Err(ZERO_TIMEOUT);
        }
        let was_nonblocking = self.is_nonblocking()?;
        if !was_nonblocking {
            self.set_nonblocking(true)?;
        }
        let result = connect_within(self, addr, timeout);
        if !was_nonblocking {
            let restored = self.set_nonblocking(false);
            // The connect's own error matters more than this one.
            if result.is_ok() {
                restored?;
            }
        }
        result
    }
}

/// connect(2) on a non-blocking `socket`, then waits for the outcome until
/// `timeout` has passed.
pub(crate) fn connect_within(
    socket: &Socket,
    addr: &impl SocketAddrArg,
    timeout: Duration,
) -> Result<(), Error> {
    let deadline = monotonic_now().saturating_add(timeout);
    match socket.connect(addr) {
        Ok(()) => return Ok(()),
        // A signal does not stop a connect already started: wait for it.
        Err(Errno::INPROGRESS | Errno::INTR) => {}
        Err(errno) => return Err(errno.into()),
    }
    wait_for_connect(socket, Some(deadline), Errno::TIMEDOUT)
}

/// Waits until the connect under way on `socket` ends, then returns its
/// outcome (`SO_ERROR`); after `deadline` (monotonic), `on_deadline`.
/// `EINTR` does not end the wait: it goes on for the time left.
fn wait_for_connect(socket: &Socket, deadline: Option<Duration>, on_deadline: Errno) -> Result<(), Error> {
    loop {
        let left = match deadline {
            Some(deadline) => {
                let now = monotonic_now();
                if now >= deadline {
                    return Err(on_deadline.into());
                }
                Some(deadline - now)
            }
            None => None,
        };
        match socket.wait(Interest::OUT, left) {
            // Empty: the wait timed out; the loop's head decides.
            Ok(ready) if ready.is_empty() => {}
            Ok(_) => break,
            Err(Errno::INTR) => {}
            Err(errno) => return Err(errno.into()),
        }
    }
    match socket.take_error()? {
        None => Ok(()),
        Some(errno) => Err(errno.into()),
    }
}

/// A blocking connect(2) that carries on after `EINTR`. The kernel goes on
/// with the handshake after an interrupted connect (POSIX), so this waits
/// for its outcome (`SO_ERROR`) instead, within what is left of the
/// socket's `SO_SNDTIMEO` if it has one, ending as the kernel would when
/// that passes (`EINPROGRESS`). Linux returns `EINTR` from a connect with
/// `SO_SNDTIMEO` after any stop/continue of the process, even with no
/// signal handler.
fn connect_blocking(socket: &Socket, addr: &impl SocketAddrArg) -> Result<(), Error> {
    let start = monotonic_now();
    match socket.connect(addr) {
        Err(Errno::INTR) => {}
        other => return other.map_err(Error::from),
    }
    let deadline = socket.write_timeout()?.map(|t| start.saturating_add(t));
    wait_for_connect(socket, deadline, Errno::INPROGRESS)
}

/// How [`connect_retry`] spaces and bounds its tries: at most `max_tries`
/// connects; after the first failure it sleeps `first`, and each later sleep
/// doubles, up to `max_delay`. It never sleeps after the last try.
///
/// ```
/// use zerosock::Backoff;
/// use core::time::Duration;
/// // APUE's connect_retry: 8 tries, sleeping 1, 2, 4, … 64 s between them.
/// let apue = Backoff::APUE;
/// assert_eq!(apue.delay_after(1), Duration::from_secs(1));
/// assert_eq!(apue.delay_after(7), Duration::from_secs(64));
/// assert_eq!(apue.total_delay(), Duration::from_secs(127));
///
/// let quick = Backoff { first: Duration::from_millis(10), max_delay: Duration::from_millis(40), max_tries: 5, try_timeout: None };
/// assert_eq!(quick.delay_after(4), Duration::from_millis(40)); // 10, 20, 40, 40
/// ```
///
/// # References
/// - [connect(2)](https://man7.org/linux/man-pages/man2/connect.2.html)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Backoff {
    /// The sleep after the first failed try.
    pub first: Duration,
    /// The longest sleep between two tries.
    pub max_delay: Duration,
    /// How many connects to try in all (at least 1).
    pub max_tries: u32,
    /// A bound on each try ([`Socket::connect_timeout`]); `None`: each
    /// connect blocks as long as the kernel lets it (for an unanswered SYN,
    /// about two minutes with the default `net.ipv4.tcp_syn_retries`).
    pub try_timeout: Option<Duration>,
}

impl Backoff {
    /// The schedule of APUE's `connect_retry` (`MAXSLEEP` 128): 8 tries,
    /// sleeping 1, 2, 4, 8, 16, 32 and 64 seconds between them.
    pub const APUE: Self = Self {
        first: Duration::from_secs(1),
        max_delay: Duration::from_secs(64),
        max_tries: 8,
        try_timeout: None,
    };

    /// The sleep after failed try number `try_number` (1 for the first):
    /// `first × 2^(try_number − 1)`, at most `max_delay`; zero after the
    /// last try.
    #[must_use]
    pub fn delay_after(&self, try_number: u32) -> Duration {
        if try_number == 0 || try_number >= self.max_tries {
            return Duration::ZERO;
        }
        let factor = 1u32.checked_shl(try_number - 1).unwrap_or(u32::MAX);
        self.first.saturating_mul(factor).min(self.max_delay)
    }

    /// The sum of every sleep if every try fails (not counting the tries).
    #[must_use]
    pub fn total_delay(&self) -> Duration {
        (1..self.max_tries).fold(Duration::ZERO, |sum, n| sum.saturating_add(self.delay_after(n)))
    }
}

/// Whether a connect failure may go away by itself: nothing listening yet,
/// no route yet, a full backlog, a lost handshake. Anything else (a bad
/// address, a permission) ends [`connect_retry`] at once.
fn is_transient(errno: Errno) -> bool {
    matches!(
        errno,
        Errno::CONNREFUSED
            | Errno::TIMEDOUT
            | Errno::NETUNREACH
            | Errno::HOSTUNREACH
            | Errno::NETDOWN
            | Errno::HOSTDOWN
            | Errno::CONNRESET
            | Errno::CONNABORTED
            | Errno::AGAIN
            | Errno::INTR
            | Errno::NOENT
            | Errno::ADDRNOTAVAIL
    )
}

/// Connects to `addr`, retrying with exponential back-off (`backoff`), and
/// returns the connected socket or the **last** error.
///
/// Every try uses a **fresh socket** from `new_socket` (called with the try's
/// number, 1 for the first; set options there): after a failed `connect` the
/// state of a socket is unspecified (POSIX), a second `connect` on it fails
/// on BSD-derived systems, and on Linux a timed-out handshake may still be
/// pending on it — APUE's portable `connect_retry` makes a new socket each
/// time for this reason. The failed socket is closed before the sleep.
///
/// Only failures that can go away by themselves are retried:
/// `ECONNREFUSED` (nothing listening yet), `ENOENT` (no Unix socket file
/// yet), `EAGAIN` (a Unix listener's backlog is full), `ETIMEDOUT`,
/// `ENETUNREACH`, `EHOSTUNREACH`, `ENETDOWN`, `EHOSTDOWN`, `ECONNRESET`,
/// `ECONNABORTED`, `EADDRNOTAVAIL` and `EINTR`. A blocking try (no
/// `try_timeout`) interrupted by a signal is not a failure: it waits on for
/// the handshake's outcome, within what is left of the socket's
/// `SO_SNDTIMEO`, as [`Socket::connect_timeout`] waits for what is left of
/// its timeout. Any other error — or an
/// error from `new_socket` — is returned at once. This loops and sleeps
/// (clock_nanosleep(2) on `CLOCK_MONOTONIC`), for at most
/// [`Backoff::total_delay`] plus the tries themselves.
///
/// ```
/// use zerosock::{Backoff, Domain, Errno, Error, Protocol, Socket, Type, connect_retry};
/// use core::net::{Ipv4Addr, SocketAddrV4};
/// use core::time::Duration;
///
/// // A port nothing listens on: every try is refused, the last error returned.
/// let probe = Socket::new(Domain::INET, Type::STREAM, Protocol::TCP)?;
/// probe.bind(&SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0))?;
/// let addr = probe.local_addr()?;
///
/// let backoff = Backoff { first: Duration::from_millis(1), max_delay: Duration::from_millis(4), max_tries: 3, try_timeout: None };
/// let mut tries = 0;
/// let result = connect_retry(&addr, &backoff, |n| {
///     tries = n;
///     Socket::new(Domain::INET, Type::STREAM, Protocol::TCP)
/// });
/// assert_eq!(result.unwrap_err(), Error::Os(Errno::CONNREFUSED));
/// assert_eq!(tries, 3);
/// # Ok::<(), zerosock::Errno>(())
/// ```
///
/// # Errors
/// [`Error::InvalidInput`] if `max_tries` is 0 or `try_timeout` is
/// `Some(ZERO)` (before any system call); otherwise the last try's error.
///
/// # References
/// - [connect(2)](https://man7.org/linux/man-pages/man2/connect.2.html)
/// - [clock_nanosleep(2)](https://man7.org/linux/man-pages/man2/clock_nanosleep.2.html)
pub fn connect_retry(
    addr: &impl SocketAddrArg,
    backoff: &Backoff,
    mut new_socket: impl FnMut(u32) -> Result<Socket, Errno>,
) -> Result<Socket, Error> {
    if backoff.max_tries == 0 {
        return Err(Error::InvalidInput("connect_retry: max_tries is 0"));
    }
    if backoff.try_timeout == Some(Duration::ZERO) {
        return Err(ZERO_TIMEOUT);
    }
    let mut try_number = 1;
    loop {
        let socket = new_socket(try_number)?;
        let result = match backoff.try_timeout {
            Some(timeout) => socket.connect_timeout(addr, timeout),
            None => connect_blocking(&socket, addr),
        };
        let errno = match result {
            Ok(()) => return Ok(socket),
            Err(Error::Os(errno)) if is_transient(errno) => errno,
            Err(err) => return Err(err),
        };
        drop(socket);
        if try_number >= backoff.max_tries {
            return Err(errno.into());
        }
        sleep(backoff.delay_after(try_number));
        try_number += 1;
    }
}
