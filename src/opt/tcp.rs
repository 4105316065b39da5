//! `IPPROTO_TCP` options (tcp(7)).

use core::time::Duration;

use crate::error::{Errno, Error};
use crate::opt::{
    MILLI, SEC, SOL_TCP, TCP_CONGESTION, TCP_DEFER_ACCEPT, TCP_FASTOPEN, TCP_INFO, TCP_KEEPCNT, TCP_KEEPIDLE,
    TCP_KEEPINTVL, TCP_MAXSEG, TCP_SYNCNT, TCP_USER_TIMEOUT, TcpInfo, checked_int, duration_units,
    optional_duration_units,
};
use crate::socket::Socket;

/// `TCP_CA_NAME_MAX` (include/net/tcp.h): the buffer of a congestion-control
/// algorithm's name, NUL included.
pub const TCP_CA_NAME_MAX: usize = 16;

/// The kernel's limits (include/net/tcp.h): `MAX_TCP_KEEPIDLE`,
/// `MAX_TCP_KEEPINTVL` (seconds) and `MAX_TCP_KEEPCNT`.
const MAX_TCP_KEEPIDLE: i32 = 32767;
const MAX_TCP_KEEPINTVL: i32 = 32767;
const MAX_TCP_KEEPCNT: i32 = 127;
/// `MAX_TCP_SYNCNT` (include/net/tcp.h).
const MAX_TCP_SYNCNT: i32 = 127;

flag_option! {
    /// Whether Nagle's algorithm is off (`TCP_NODELAY`): small writes go out
    /// at once instead of waiting to be coalesced while data is unacknowledged.
    nodelay, set_nodelay: SOL_TCP, TCP_NODELAY = "TCP_NODELAY", "tcp";

    /// Whether output is corked (`TCP_CORK`): partial frames are held back
    /// until uncorked (or 200 ms pass), so header and body leave together.
    cork, set_cork: SOL_TCP, TCP_CORK = "TCP_CORK", "tcp";

    /// Whether quick-ACK mode is on (`TCP_QUICKACK`): ACKs are sent at once
    /// rather than delayed. Not permanent: the kernel leaves the mode by
    /// itself as the connection goes on, so set it again after receives
    /// when it matters; reading it shows the current mode.
    quickack, set_quickack: SOL_TCP, TCP_QUICKACK = "TCP_QUICKACK", "tcp";
}

impl Socket {
    /// How long a connection sits idle before the first keep-alive probe
    /// (`TCP_KEEPIDLE`; the system default is `net.ipv4.tcp_keepalive_time`,
    /// usually 2 hours). Probes are only sent with
    /// [`set_keepalive(true)`](Self::set_keepalive).
    ///
    /// # References
    /// - [tcp(7)](https://man7.org/linux/man-pages/man7/tcp.7.html)
    #[doc(alias = "TCP_KEEPIDLE")]
    pub fn keepalive_time(&self) -> Result<Duration, Errno> {
        self.get_int(SOL_TCP, TCP_KEEPIDLE)
            .map(|s| Duration::from_secs(s as u64))
    }

    /// Sets `TCP_KEEPIDLE` in whole seconds, rounded up.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for zero or more than 32767 s (the kernel's
    /// `MAX_TCP_KEEPIDLE`).
    ///
    /// # References
    /// - [tcp(7)](https://man7.org/linux/man-pages/man7/tcp.7.html)
    #[doc(alias = "TCP_KEEPIDLE")]
    pub fn set_keepalive_time(&self, idle: Duration) -> Result<(), Error> {
        let secs = duration_units(
            idle,
            SEC,
            MAX_TCP_KEEPIDLE,
            "TCP_KEEPIDLE: must be 1 to 32767 seconds",
        )?;
        Ok(self.set_int(SOL_TCP, TCP_KEEPIDLE, secs)?)
    }

    /// The time between keep-alive probes (`TCP_KEEPINTVL`; default
    /// `net.ipv4.tcp_keepalive_intvl`, usually 75 s).
    ///
    /// # References
    /// - [tcp(7)](https://man7.org/linux/man-pages/man7/tcp.7.html)
    #[doc(alias = "TCP_KEEPINTVL")]
    pub fn keepalive_interval(&self) -> Result<Duration, Errno> {
        self.get_int(SOL_TCP, TCP_KEEPINTVL)
            .map(|s| Duration::from_secs(s as u64))
    }

    /// Sets `TCP_KEEPINTVL` in whole seconds, rounded up.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for zero or more than 32767 s
    /// (`MAX_TCP_KEEPINTVL`).
    ///
    /// # References
    /// - [tcp(7)](https://man7.org/linux/man-pages/man7/tcp.7.html)
    #[doc(alias = "TCP_KEEPINTVL")]
    pub fn set_keepalive_interval(&self, interval: Duration) -> Result<(), Error> {
        let secs = duration_units(
            interval,
            SEC,
            MAX_TCP_KEEPINTVL,
            "TCP_KEEPINTVL: must be 1 to 32767 seconds",
        )?;
        Ok(self.set_int(SOL_TCP, TCP_KEEPINTVL, secs)?)
    }

    /// How many unanswered keep-alive probes end the connection
    /// (`TCP_KEEPCNT`; default `net.ipv4.tcp_keepalive_probes`, usually 9).
    ///
    /// # References
    /// - [tcp(7)](https://man7.org/linux/man-pages/man7/tcp.7.html)
    #[doc(alias = "TCP_KEEPCNT")]
    pub fn keepalive_retries(&self) -> Result<u32, Errno> {
        self.get_int(SOL_TCP, TCP_KEEPCNT).map(|n| n as u32)
    }

    /// Sets `TCP_KEEPCNT`.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for zero or more than 127 (`MAX_TCP_KEEPCNT`).
    ///
    /// # References
    /// - [tcp(7)](https://man7.org/linux/man-pages/man7/tcp.7.html)
    #[doc(alias = "TCP_KEEPCNT")]
    pub fn set_keepalive_retries(&self, retries: u32) -> Result<(), Error> {
        let n = checked_int(retries, 1..=MAX_TCP_KEEPCNT, "TCP_KEEPCNT: must be 1 to 127")?;
        Ok(self.set_int(SOL_TCP, TCP_KEEPCNT, n)?)
    }

    /// How many times an unanswered SYN is retransmitted before `connect`
    /// gives up with `ETIMEDOUT` (`TCP_SYNCNT`); the default is
    /// `net.ipv4.tcp_syn_retries`.
    ///
    /// # References
    /// - [tcp(7)](https://man7.org/linux/man-pages/man7/tcp.7.html)
    #[doc(alias = "TCP_SYNCNT")]
    pub fn syn_retries(&self) -> Result<u32, Errno> {
        self.get_int(SOL_TCP, TCP_SYNCNT).map(|n| n as u32)
    }

    /// Sets `TCP_SYNCNT`.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for zero or more than 127 (`MAX_TCP_SYNCNT`).
    ///
    /// # References
    /// - [tcp(7)](https://man7.org/linux/man-pages/man7/tcp.7.html)
    #[doc(alias = "TCP_SYNCNT")]
    pub fn set_syn_retries(&self, retries: u32) -> Result<(), Error> {
        let n = checked_int(retries, 1..=MAX_TCP_SYNCNT, "TCP_SYNCNT: must be 1 to 127")?;
        Ok(self.set_int(SOL_TCP, TCP_SYNCNT, n)?)
    }

    /// How long sent data may stay unacknowledged before the kernel gives up
    /// on the connection with `ETIMEDOUT` (`TCP_USER_TIMEOUT`); `None`: the
    /// system's retransmission limits decide.
    ///
    /// # References
    /// - [tcp(7)](https://man7.org/linux/man-pages/man7/tcp.7.html)
    #[doc(alias = "TCP_USER_TIMEOUT")]
    pub fn tcp_user_timeout(&self) -> Result<Option<Duration>, Errno> {
        let ms = self.get_int(SOL_TCP, TCP_USER_TIMEOUT)?;
        Ok((ms > 0).then(|| Duration::from_millis(ms as u64)))
    }

    /// Sets `TCP_USER_TIMEOUT` in milliseconds, rounded up; `None` restores
    /// the default.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for `Some(Duration::ZERO)` (use `None`) or more
    /// than `i32::MAX` ms.
    ///
    /// # References
    /// - [tcp(7)](https://man7.org/linux/man-pages/man7/tcp.7.html)
    #[doc(alias = "TCP_USER_TIMEOUT")]
    pub fn set_tcp_user_timeout(&self, timeout: Option<Duration>) -> Result<(), Error> {
        let ms = optional_duration_units(
            timeout,
            MILLI,
            i32::MAX,
            "TCP_USER_TIMEOUT: zero (use None) or over i32::MAX ms",
        )?;
        Ok(self.set_int(SOL_TCP, TCP_USER_TIMEOUT, ms)?)
    }

    /// How long a listener holds a new connection back from `accept` waiting
    /// for its first data (`TCP_DEFER_ACCEPT`); `None`: not at all.
    ///
    /// The kernel stores this as a number of SYN-ACK retransmissions, so the
    /// time read back is the retransmission schedule's time that covers what
    /// was set (1, 3, 7, 15, 31 … s): setting 5 s reads back 7 s.
    ///
    /// # References
    /// - [tcp(7)](https://man7.org/linux/man-pages/man7/tcp.7.html)
    #[doc(alias = "TCP_DEFER_ACCEPT")]
    pub fn tcp_defer_accept(&self) -> Result<Option<Duration>, Errno> {
        let secs = self.get_int(SOL_TCP, TCP_DEFER_ACCEPT)?;
        Ok((secs > 0).then(|| Duration::from_secs(secs as u64)))
    }

    /// Sets `TCP_DEFER_ACCEPT` in whole seconds, rounded up; `None` turns it
    /// off.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for `Some(Duration::ZERO)` (use `None`) or more
    /// than `i32::MAX` s.
    ///
    /// # References
    /// - [tcp(7)](https://man7.org/linux/man-pages/man7/tcp.7.html)
    #[doc(alias = "TCP_DEFER_ACCEPT")]
    pub fn set_tcp_defer_accept(&self, wait: Option<Duration>) -> Result<(), Error> {
        let secs = optional_duration_units(
            wait,
            SEC,
            i32::MAX,
            "TCP_DEFER_ACCEPT: zero (use None) or over i32::MAX s",
        )?;
        Ok(self.set_int(SOL_TCP, TCP_DEFER_ACCEPT, secs)?)
    }

    /// The TCP Fast Open queue length of a listener (`TCP_FASTOPEN`); 0 if
    /// Fast Open is off.
    ///
    /// # References
    /// - [tcp(7)](https://man7.org/linux/man-pages/man7/tcp.7.html)
    #[doc(alias = "TCP_FASTOPEN")]
    pub fn tcp_fastopen(&self) -> Result<u32, Errno> {
        self.get_int(SOL_TCP, TCP_FASTOPEN).map(|n| n as u32)
    }

    /// Enables TCP Fast Open on a socket about to listen, with at most
    /// `queue_len` pending Fast Open requests (`TCP_FASTOPEN`); the server
    /// side must also be allowed by `net.ipv4.tcp_fastopen`.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] if `queue_len` exceeds `i32::MAX`; the kernel
    /// answers `EINVAL` on a socket that is neither new nor listening.
    ///
    /// # References
    /// - [tcp(7)](https://man7.org/linux/man-pages/man7/tcp.7.html)
    #[doc(alias = "TCP_FASTOPEN")]
    pub fn set_tcp_fastopen(&self, queue_len: u32) -> Result<(), Error> {
        let n = checked_int(
            queue_len,
            0..=i32::MAX,
            "TCP_FASTOPEN: queue length over i32::MAX",
        )?;
        Ok(self.set_int(SOL_TCP, TCP_FASTOPEN, n)?)
    }

    /// The maximum segment size (`TCP_MAXSEG`): before connecting, the value
    /// set (or the default 536); once connected, the MSS in use.
    ///
    /// # References
    /// - [tcp(7)](https://man7.org/linux/man-pages/man7/tcp.7.html)
    #[doc(alias = "TCP_MAXSEG")]
    pub fn mss(&self) -> Result<u32, Errno> {
        self.get_int(SOL_TCP, TCP_MAXSEG).map(|n| n as u32)
    }

    /// Caps the maximum segment size announced and used (`TCP_MAXSEG`), set
    /// before connecting. The kernel accepts 0 (no cap) or 88 to 32767 and
    /// answers `EINVAL` otherwise.
    ///
    /// # References
    /// - [tcp(7)](https://man7.org/linux/man-pages/man7/tcp.7.html)
    #[doc(alias = "TCP_MAXSEG")]
    pub fn set_mss(&self, mss: u32) -> Result<(), Errno> {
        self.set_option(SOL_TCP, TCP_MAXSEG, &mss)
    }

    /// The congestion-control algorithm's name (`TCP_CONGESTION`), e.g.
    /// `"cubic"`.
    ///
    /// # References
    /// - [tcp(7)](https://man7.org/linux/man-pages/man7/tcp.7.html)
    #[doc(alias = "TCP_CONGESTION")]
    pub fn tcp_congestion(&self) -> Result<heapless::String<TCP_CA_NAME_MAX>, Errno> {
        let (name, len) = self.get_option_with_len::<[u8; TCP_CA_NAME_MAX]>(SOL_TCP, TCP_CONGESTION)?;
        let name = &name[..len.written];
        let end = name.iter().position(|&b| b == 0).unwrap_or(name.len());
        let mut out = heapless::String::new();
        // Names the kernel registers are ASCII; anything else reads as empty.
        if let Ok(name) = core::str::from_utf8(&name[..end]) {
            let _ = out.push_str(name);
        }
        Ok(out)
    }

    /// Chooses the congestion-control algorithm by name (`TCP_CONGESTION`),
    /// e.g. `"reno"`, `"cubic"`, `"bbr"`. Algorithms outside
    /// `net.ipv4.tcp_allowed_congestion_control` need `CAP_NET_ADMIN`; an
    /// unknown name is `ENOENT`.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a name longer than 15 bytes, empty, or
    /// containing a NUL.
    ///
    /// # References
    /// - [tcp(7)](https://man7.org/linux/man-pages/man7/tcp.7.html)
    #[doc(alias = "TCP_CONGESTION")]
    pub fn set_tcp_congestion(&self, name: &str) -> Result<(), Error> {
        if name.is_empty() || name.len() >= TCP_CA_NAME_MAX || name.as_bytes().contains(&0) {
            return Err(Error::InvalidInput(
                "TCP_CONGESTION: name must be 1 to 15 bytes, no NUL",
            ));
        }
        Ok(self.set_option_raw(SOL_TCP, TCP_CONGESTION, name.as_bytes())?)
    }

    /// What the kernel knows about the connection (`TCP_INFO`): state,
    /// round-trip time, windows, retransmissions, byte counts. See
    /// [`TcpInfo`] for which fields an older kernel leaves zero.
    ///
    /// ```
    /// use zerosock::{Domain, Protocol, Socket, Type};
    /// use zerosock::opt::TcpState;
    /// let socket = Socket::new(Domain::INET, Type::STREAM, Protocol::TCP)?;
    /// assert_eq!(socket.tcp_info()?.state(), Some(TcpState::Close));
    /// # Ok::<(), zerosock::Errno>(())
    /// ```
    ///
    /// # References
    /// - [tcp(7)](https://man7.org/linux/man-pages/man7/tcp.7.html)
    #[doc(alias = "TCP_INFO")]
    pub fn tcp_info(&self) -> Result<TcpInfo, Errno> {
        self.get_option(SOL_TCP, TCP_INFO)
    }
}
