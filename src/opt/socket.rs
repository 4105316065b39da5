//! `SOL_SOCKET` options: the ones every socket has, whatever its protocol
//! (socket(7)).

use core::time::Duration;

use crate::error::{Errno, Error};
use crate::flags::{Domain, Protocol, Type};
use crate::opt::{
    Linger, MICRO, SO_BINDTODEVICE, SO_BUSY_POLL, SO_COOKIE, SO_DOMAIN, SO_ERROR, SO_INCOMING_CPU, SO_LINGER,
    SO_MARK, SO_PEERCRED, SO_PRIORITY, SO_PROTOCOL, SO_RCVBUF, SO_RCVBUFFORCE, SO_RCVLOWAT, SO_RCVTIMEO,
    SO_SNDBUF, SO_SNDBUFFORCE, SO_SNDTIMEO, SO_TYPE, SOL_SOCKET, TimeVal, UCred, checked_int,
    optional_duration_units,
};
use crate::socket::Socket;

/// `IFNAMSIZ` (linux/if.h): an interface name's buffer, NUL included.
const IFNAMSIZ: usize = linux_raw_sys::net::IFNAMSIZ as usize;

flag_option! {
    /// Whether a bind may reuse a local address still held by a connection
    /// in `TIME_WAIT` (and, for listeners, share it with other sockets that
    /// set it too, unless one is listening). Set it on a server before
    /// `bind` so a restart does not fail with `EADDRINUSE` while the previous
    /// run's connections wait out 2×MSL.
    reuse_address, set_reuse_address: SOL_SOCKET, SO_REUSEADDR = "SO_REUSEADDR", "socket";

    /// Whether several sockets of the same user may bind the very same
    /// address and port; the kernel spreads incoming connections (TCP) or
    /// datagrams (UDP) among them. Every one of them must set it before
    /// `bind`.
    reuse_port, set_reuse_port: SOL_SOCKET, SO_REUSEPORT = "SO_REUSEPORT", "socket";

    /// Whether TCP sends keep-alive probes on an idle connection, so a peer
    /// that vanished without a word is eventually noticed (the connection
    /// then fails with `ETIMEDOUT`). The timing is
    /// [`keepalive_time`](Self::keepalive_time),
    /// [`keepalive_interval`](Self::keepalive_interval) and
    /// [`keepalive_retries`](Self::keepalive_retries).
    keepalive, set_keepalive: SOL_SOCKET, SO_KEEPALIVE = "SO_KEEPALIVE", "socket";

    /// Whether a datagram socket may send to a broadcast address.
    broadcast, set_broadcast: SOL_SOCKET, SO_BROADCAST = "SO_BROADCAST", "socket";

    /// Whether a Unix socket receives the sender's credentials as an
    /// `SCM_CREDENTIALS` control message.
    passcred, set_passcred: SOL_SOCKET, SO_PASSCRED = "SO_PASSCRED", "socket";

    /// Whether TCP out-of-band (urgent) data is placed in the normal data
    /// stream instead of being read with `MSG_OOB`.
    out_of_band_inline, set_out_of_band_inline: SOL_SOCKET, SO_OOBINLINE = "SO_OOBINLINE", "socket";

    /// Whether `MSG_ZEROCOPY` sends are allowed (TCP and UDP): the kernel
    /// sends from the caller's pages and reports completion on the error
    /// queue.
    zerocopy, set_zerocopy: SOL_SOCKET, SO_ZEROCOPY = "SO_ZEROCOPY", "socket";

    /// Whether each received message carries its arrival time as an
    /// `SCM_TIMESTAMP` control message (`struct timeval`).
    timestamp, set_timestamp: SOL_SOCKET, SO_TIMESTAMP = "SO_TIMESTAMP", "socket";

    /// Whether each received message carries its arrival time as an
    /// `SCM_TIMESTAMPNS` control message (`struct timespec`).
    timestamp_ns, set_timestamp_ns: SOL_SOCKET, SO_TIMESTAMPNS = "SO_TIMESTAMPNS", "socket";

    /// Whether each received datagram carries, as an `SO_RXQ_OVFL` control
    /// message, how many datagrams the socket has dropped for a full
    /// receive queue.
    rxq_overflow, set_rxq_overflow: SOL_SOCKET, SO_RXQ_OVFL = "SO_RXQ_OVFL", "socket";

    /// Whether a Unix socket receives a pidfd of the sender as an
    /// `SCM_PIDFD` control message (Linux 6.5+); the fd is owned on receipt.
    passpidfd, set_passpidfd: SOL_SOCKET, SO_PASSPIDFD = "SO_PASSPIDFD", "socket";
}

impl Socket {
    /// How `close` behaves with unsent data: `None` (the default) returns at
    /// once and the kernel sends what remains in the background; `Some(t)`
    /// makes `close` (and `shutdown`) wait up to `t` for it to be sent and
    /// acknowledged; `Some(Duration::ZERO)` discards it and resets the
    /// connection (the peer sees `ECONNRESET`), skipping `TIME_WAIT`.
    ///
    /// # References
    /// - [socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html)
    #[doc(alias = "SO_LINGER")]
    pub fn linger(&self) -> Result<Option<Duration>, Errno> {
        Ok(self.get_option::<Linger>(SOL_SOCKET, SO_LINGER)?.duration())
    }

    /// Sets `SO_LINGER`; see [`linger`](Self::linger). The kernel counts
    /// whole seconds: a fractional time is **rounded up** (300 ms lingers
    /// 1 s), so only an exact `Duration::ZERO` means reset.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for more than `i32::MAX` seconds.
    ///
    /// # References
    /// - [socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html)
    #[doc(alias = "SO_LINGER")]
    pub fn set_linger(&self, linger: Option<Duration>) -> Result<(), Error> {
        let value = Linger::from_duration(linger)
            .ok_or(Error::InvalidInput("SO_LINGER: more than i32::MAX seconds"))?;
        Ok(self.set_option(SOL_SOCKET, SO_LINGER, &value)?)
    }

    /// The receive buffer size in bytes (`SO_RCVBUF`), as the kernel
    /// accounts it: **twice** what was set (see
    /// [`set_recv_buffer_size`](Self::set_recv_buffer_size)).
    ///
    /// # References
    /// - [socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html)
    #[doc(alias = "SO_RCVBUF")]
    pub fn recv_buffer_size(&self) -> Result<usize, Errno> {
        self.get_int(SOL_SOCKET, SO_RCVBUF).map(|n| n as usize)
    }

    /// Asks for a receive buffer of `size` bytes (`SO_RCVBUF`).
    ///
    /// The kernel first clamps `size` to `net.core.rmem_max`, then
    /// **doubles** it to leave room for its own bookkeeping, with a floor of
    /// about 2 KiB; [`recv_buffer_size`](Self::recv_buffer_size) returns the
    /// doubled value. So setting 64 KiB reads back 128 KiB (if `rmem_max`
    /// allows). Setting it also turns off TCP's receive-buffer autotuning
    /// for this socket.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] if `size` exceeds `i32::MAX`.
    ///
    /// # References
    /// - [socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html)
    #[doc(alias = "SO_RCVBUF")]
    pub fn set_recv_buffer_size(&self, size: usize) -> Result<(), Error> {
        self.set_buffer(SO_RCVBUF, size)
    }

    /// As [`set_recv_buffer_size`](Self::set_recv_buffer_size) but ignoring
    /// `net.core.rmem_max` (`SO_RCVBUFFORCE`); needs `CAP_NET_ADMIN`
    /// (`EPERM` otherwise). Still doubled.
    ///
    /// # References
    /// - [socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html)
    #[doc(alias = "SO_RCVBUFFORCE")]
    pub fn set_recv_buffer_size_force(&self, size: usize) -> Result<(), Error> {
        self.set_buffer(SO_RCVBUFFORCE, size)
    }

    /// The send buffer size in bytes (`SO_SNDBUF`): **twice** what was set,
    /// as for [`recv_buffer_size`](Self::recv_buffer_size).
    ///
    /// # References
    /// - [socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html)
    #[doc(alias = "SO_SNDBUF")]
    pub fn send_buffer_size(&self) -> Result<usize, Errno> {
        self.get_int(SOL_SOCKET, SO_SNDBUF).map(|n| n as usize)
    }

    /// Asks for a send buffer of `size` bytes (`SO_SNDBUF`): clamped to
    /// `net.core.wmem_max`, then **doubled** (floor about 4.5 KiB), as for
    /// [`set_recv_buffer_size`](Self::set_recv_buffer_size).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] if `size` exceeds `i32::MAX`.
    ///
    /// # References
    /// - [socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html)
    #[doc(alias = "SO_SNDBUF")]
    pub fn set_send_buffer_size(&self, size: usize) -> Result<(), Error> {
        self.set_buffer(SO_SNDBUF, size)
    }

    /// As [`set_send_buffer_size`](Self::set_send_buffer_size) but ignoring
    /// `net.core.wmem_max` (`SO_SNDBUFFORCE`); needs `CAP_NET_ADMIN`.
    ///
    /// # References
    /// - [socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html)
    #[doc(alias = "SO_SNDBUFFORCE")]
    pub fn set_send_buffer_size_force(&self, size: usize) -> Result<(), Error> {
        self.set_buffer(SO_SNDBUFFORCE, size)
    }

    fn set_buffer(&self, name: u32, size: usize) -> Result<(), Error> {
        let size = checked_int(size as u64, 0..=i32::MAX, "buffer size: more than i32::MAX bytes")?;
        Ok(self.set_int(SOL_SOCKET, name, size)?)
    }

    /// How long a blocking receive waits before failing with
    /// [`Errno::AGAIN`] (`SO_RCVTIMEO`); `None`: for ever.
    ///
    /// The kernel keeps the time in scheduler ticks, so the value read back
    /// may be rounded up to a tick (1–10 ms).
    ///
    /// # References
    /// - [socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html)
    #[doc(alias = "SO_RCVTIMEO")]
    pub fn read_timeout(&self) -> Result<Option<Duration>, Errno> {
        self.timeout(SO_RCVTIMEO)
    }

    /// Sets `SO_RCVTIMEO`: a blocking receive (or accept) that waits longer
    /// than `timeout` fails with [`Errno::AGAIN`] (or [`Errno::INPROGRESS`]
    /// for connect); `None` waits for ever. A time below a microsecond is
    /// rounded **up** to 1 µs, never down to "no timeout".
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for `Some(Duration::ZERO)` (as std: use `None`
    /// for no timeout) or a time beyond `timeval`'s range.
    ///
    /// # References
    /// - [socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html)
    #[doc(alias = "SO_RCVTIMEO")]
    pub fn set_read_timeout(&self, timeout: Option<Duration>) -> Result<(), Error> {
        self.set_timeout(SO_RCVTIMEO, timeout)
    }

    /// How long a blocking send waits for buffer space before failing with
    /// [`Errno::AGAIN`] (`SO_SNDTIMEO`); `None`: for ever. Read back rounded
    /// to a tick, as [`read_timeout`](Self::read_timeout).
    ///
    /// # References
    /// - [socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html)
    #[doc(alias = "SO_SNDTIMEO")]
    pub fn write_timeout(&self) -> Result<Option<Duration>, Errno> {
        self.timeout(SO_SNDTIMEO)
    }

    /// Sets `SO_SNDTIMEO`, with the rules of
    /// [`set_read_timeout`](Self::set_read_timeout). It also bounds a
    /// blocking `connect`.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for `Some(Duration::ZERO)` or a time beyond
    /// `timeval`'s range.
    ///
    /// # References
    /// - [socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html)
    #[doc(alias = "SO_SNDTIMEO")]
    pub fn set_write_timeout(&self, timeout: Option<Duration>) -> Result<(), Error> {
        self.set_timeout(SO_SNDTIMEO, timeout)
    }

    fn timeout(&self, name: u32) -> Result<Option<Duration>, Errno> {
        let tv: TimeVal = super::time_names::get_timeval(self, name)?;
        Ok(if tv == TimeVal::default() {
            None
        } else {
            tv.duration()
        })
    }

    fn set_timeout(&self, name: u32, timeout: Option<Duration>) -> Result<(), Error> {
        let tv = match timeout {
            None => TimeVal::default(),
            Some(Duration::ZERO) => {
                return Err(Error::InvalidInput("a zero timeout: use None for no timeout"));
            }
            Some(d) => {
                TimeVal::from_duration_ceil(d).ok_or(Error::InvalidInput("timeout beyond timeval's range"))?
            }
        };
        Ok(super::time_names::set_timeval(self, name, &tv)?)
    }

    /// Takes the socket's pending error (`SO_ERROR`), clearing it: `None` if
    /// there is none. After a non-blocking `connect` becomes writable this is
    /// the connection's outcome.
    ///
    /// ```
    /// use zerosock::{Domain, Protocol, Socket, Type};
    /// let socket = Socket::new(Domain::INET, Type::STREAM, Protocol::TCP)?;
    /// assert_eq!(socket.take_error()?, None);
    /// # Ok::<(), zerosock::Errno>(())
    /// ```
    ///
    /// # References
    /// - [socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html)
    #[doc(alias = "SO_ERROR")]
    pub fn take_error(&self) -> Result<Option<Errno>, Errno> {
        let raw = self.get_int(SOL_SOCKET, SO_ERROR)?;
        Ok((raw != 0).then(|| Errno::from_raw_os_error(raw)))
    }

    /// The socket's type (`SO_TYPE`).
    ///
    /// # References
    /// - [socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html)
    #[doc(alias = "SO_TYPE")]
    pub fn socket_type(&self) -> Result<Type, Errno> {
        self.get_int(SOL_SOCKET, SO_TYPE)
            .map(|t| Type::from_raw(t as u32))
    }

    /// The socket's address family (`SO_DOMAIN`).
    ///
    /// # References
    /// - [socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html)
    #[doc(alias = "SO_DOMAIN")]
    pub fn domain(&self) -> Result<Domain, Errno> {
        self.get_int(SOL_SOCKET, SO_DOMAIN)
            .map(|d| Domain::from_raw(d as u16))
    }

    /// The socket's protocol (`SO_PROTOCOL`), as the kernel resolved it
    /// (`IPPROTO_TCP` for a stream socket created with protocol 0).
    ///
    /// # References
    /// - [socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html)
    #[doc(alias = "SO_PROTOCOL")]
    pub fn protocol(&self) -> Result<Protocol, Errno> {
        self.get_int(SOL_SOCKET, SO_PROTOCOL)
            .map(|p| Protocol::from_raw(p as u32))
    }

    /// Whether the socket is listening (`SO_ACCEPTCONN`).
    ///
    /// # References
    /// - [socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html)
    #[doc(alias = "SO_ACCEPTCONN")]
    pub fn is_listener(&self) -> Result<bool, Errno> {
        self.get_flag(SOL_SOCKET, crate::opt::SO_ACCEPTCONN)
    }

    /// The credentials of the peer of a Unix socket (`SO_PEERCRED`), as they
    /// were when it called `connect` or `socketpair` (or `listen`, seen from
    /// the connecting side).
    ///
    /// # References
    /// - [unix(7)](https://man7.org/linux/man-pages/man7/unix.7.html)
    /// - [socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html)
    #[doc(alias = "SO_PEERCRED")]
    pub fn peer_cred(&self) -> Result<UCred, Errno> {
        self.get_option(SOL_SOCKET, SO_PEERCRED)
    }

    /// The minimum number of bytes a receive waits for (`SO_RCVLOWAT`;
    /// default 1).
    ///
    /// # References
    /// - [socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html)
    #[doc(alias = "SO_RCVLOWAT")]
    pub fn recv_lowat(&self) -> Result<usize, Errno> {
        self.get_int(SOL_SOCKET, SO_RCVLOWAT).map(|n| n as usize)
    }

    /// Sets `SO_RCVLOWAT`: a blocking receive (and `poll` readability) waits
    /// for at least `bytes` bytes (0 counts as 1; TCP caps it at half the
    /// receive buffer).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] if `bytes` exceeds `i32::MAX`.
    ///
    /// # References
    /// - [socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html)
    #[doc(alias = "SO_RCVLOWAT")]
    pub fn set_recv_lowat(&self, bytes: usize) -> Result<(), Error> {
        let bytes = checked_int(
            bytes as u64,
            0..=i32::MAX,
            "SO_RCVLOWAT: more than i32::MAX bytes",
        )?;
        Ok(self.set_int(SOL_SOCKET, SO_RCVLOWAT, bytes)?)
    }

    /// The mark on the socket's packets (`SO_MARK`), for policy routing and
    /// netfilter.
    ///
    /// # References
    /// - [socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html)
    #[doc(alias = "SO_MARK")]
    pub fn mark(&self) -> Result<u32, Errno> {
        self.get_option(SOL_SOCKET, SO_MARK)
    }

    /// Sets `SO_MARK`; needs `CAP_NET_ADMIN` (or `CAP_NET_RAW`).
    ///
    /// # References
    /// - [socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html)
    #[doc(alias = "SO_MARK")]
    pub fn set_mark(&self, mark: u32) -> Result<(), Errno> {
        self.set_option(SOL_SOCKET, SO_MARK, &mark)
    }

    /// The name of the interface the socket is bound to (`SO_BINDTODEVICE`),
    /// empty if none.
    ///
    /// # References
    /// - [socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html)
    #[doc(alias = "SO_BINDTODEVICE")]
    pub fn device(&self) -> Result<heapless::Vec<u8, IFNAMSIZ>, Errno> {
        let (name, len) = self.get_option_with_len::<[u8; IFNAMSIZ]>(SOL_SOCKET, SO_BINDTODEVICE)?;
        // The kernel writes the name with its NUL, or nothing if unbound.
        let name = &name[..len.written];
        let end = name.iter().position(|&b| b == 0).unwrap_or(name.len());
        Ok(heapless::Vec::from_slice(&name[..end]).unwrap_or_default())
    }

    /// Binds the socket to an interface by name (`SO_BINDTODEVICE`), e.g.
    /// `b"lo"`: only packets of that interface are received, and sends leave
    /// by it. `None` (or an empty name) removes the binding. Binding a
    /// socket not yet bound is open to anyone (Linux 5.7); changing or
    /// removing a binding needs `CAP_NET_RAW` (`EPERM`).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] if the name is longer than 15 bytes
    /// (`IFNAMSIZ - 1`) or contains a NUL byte.
    ///
    /// # References
    /// - [socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html)
    #[doc(alias = "SO_BINDTODEVICE")]
    pub fn bind_device(&self, interface: Option<&[u8]>) -> Result<(), Error> {
        let name = interface.unwrap_or(&[]);
        if name.len() >= IFNAMSIZ {
            return Err(Error::InvalidInput(
                "SO_BINDTODEVICE: interface name longer than 15 bytes",
            ));
        }
        if name.contains(&0) {
            return Err(Error::InvalidInput("SO_BINDTODEVICE: NUL byte in interface name"));
        }
        Ok(self.set_option_raw(SOL_SOCKET, SO_BINDTODEVICE, name)?)
    }

    /// The protocol-defined priority of the socket's packets (`SO_PRIORITY`),
    /// used to choose a device queue.
    ///
    /// # References
    /// - [socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html)
    #[doc(alias = "SO_PRIORITY")]
    pub fn priority(&self) -> Result<u32, Errno> {
        self.get_option(SOL_SOCKET, SO_PRIORITY)
    }

    /// Sets `SO_PRIORITY`; values outside 0–6 need `CAP_NET_ADMIN`.
    ///
    /// # References
    /// - [socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html)
    #[doc(alias = "SO_PRIORITY")]
    pub fn set_priority(&self, priority: u32) -> Result<(), Errno> {
        self.set_option(SOL_SOCKET, SO_PRIORITY, &priority)
    }

    /// The socket's cookie (`SO_COOKIE`): a number unique to this socket for
    /// the kernel's uptime, as BPF programs and `ss -e` see it.
    ///
    /// # References
    /// - [socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html)
    #[doc(alias = "SO_COOKIE")]
    pub fn cookie(&self) -> Result<u64, Errno> {
        self.get_option(SOL_SOCKET, SO_COOKIE)
    }

    /// The CPU that handled the socket's last incoming packets
    /// (`SO_INCOMING_CPU`), or `None` if none yet.
    ///
    /// # References
    /// - [socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html)
    #[doc(alias = "SO_INCOMING_CPU")]
    pub fn incoming_cpu(&self) -> Result<Option<u32>, Errno> {
        self.get_int(SOL_SOCKET, SO_INCOMING_CPU)
            .map(|cpu| u32::try_from(cpu).ok())
    }

    /// Sets `SO_INCOMING_CPU` (on a listener with `SO_REUSEPORT`: prefer the
    /// socket whose CPU matches the packet's).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] if `cpu` exceeds `i32::MAX`.
    ///
    /// # References
    /// - [socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html)
    #[doc(alias = "SO_INCOMING_CPU")]
    pub fn set_incoming_cpu(&self, cpu: u32) -> Result<(), Error> {
        let cpu = checked_int(cpu, 0..=i32::MAX, "SO_INCOMING_CPU: more than i32::MAX")?;
        Ok(self.set_int(SOL_SOCKET, SO_INCOMING_CPU, cpu)?)
    }

    /// How long a blocking receive busy-polls the device queue before
    /// sleeping (`SO_BUSY_POLL`); `None`: not at all (the default).
    ///
    /// # References
    /// - [socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html)
    #[doc(alias = "SO_BUSY_POLL")]
    pub fn busy_poll(&self) -> Result<Option<Duration>, Errno> {
        let usec = self.get_int(SOL_SOCKET, SO_BUSY_POLL)?;
        Ok((usec > 0).then(|| Duration::from_micros(usec as u64)))
    }

    /// Sets `SO_BUSY_POLL` in microseconds, rounded up; `None` turns it off.
    /// Raising it needs `CAP_NET_ADMIN`; a kernel without
    /// `CONFIG_NET_RX_BUSY_POLL` answers `ENOPROTOOPT`.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for `Some(Duration::ZERO)` (use `None`) or more
    /// than `i32::MAX` µs.
    ///
    /// # References
    /// - [socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html)
    #[doc(alias = "SO_BUSY_POLL")]
    pub fn set_busy_poll(&self, time: Option<Duration>) -> Result<(), Error> {
        let usec = optional_duration_units(
            time,
            MICRO,
            i32::MAX,
            "SO_BUSY_POLL: zero (use None) or over i32::MAX µs",
        )?;
        Ok(self.set_int(SOL_SOCKET, SO_BUSY_POLL, usec)?)
    }
}
