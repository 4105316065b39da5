//! The option values the kernel reads and writes as C structs, written out by
//! hand: `linger`, `timeval`, `ip_mreqn`, `ip_mreq`, `ipv6_mreq` and `ucred`.
//! Each is checked against libc's definition in tests/opt_layout.rs.

use core::net::{Ipv4Addr, Ipv6Addr};
use core::time::Duration;

use crate::addr::{In6Addr, InAddr};

/// `struct linger`: the value of `SO_LINGER`. [`Socket::linger`] and
/// [`Socket::set_linger`] speak `Option<Duration>`; this is the raw form.
///
/// ```
/// use zerosock::opt::Linger;
/// let abort = Linger { l_onoff: 1, l_linger: 0 };
/// assert_eq!(core::mem::size_of::<Linger>(), 8);
/// assert_eq!(abort, Linger::from_duration(Some(core::time::Duration::ZERO)).unwrap());
/// ```
///
/// # References
/// - [socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html)
///
/// [`Socket::linger`]: crate::Socket::linger
/// [`Socket::set_linger`]: crate::Socket::set_linger
#[doc(alias = "linger")]
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Linger {
    /// `l_onoff`: nonzero to linger on close.
    pub l_onoff: i32,
    /// `l_linger`: how many seconds to linger.
    pub l_linger: i32,
}

impl Linger {
    /// The layout of a linger time: `None` is off; `Some(d)` lingers for `d`
    /// in whole seconds, **rounded up** (so 300 ms lingers 1 s rather than
    /// turning into the abortive `Some(ZERO)`). `None` if `d` exceeds
    /// `i32::MAX` seconds.
    #[must_use]
    pub const fn from_duration(linger: Option<Duration>) -> Option<Self> {
        match linger {
            None => Some(Self {
                l_onoff: 0,
                l_linger: 0,
            }),
            Some(d) => match secs_ceil(d) {
                Some(secs) if secs <= i32::MAX as u64 => Some(Self {
                    l_onoff: 1,
                    l_linger: secs as i32,
                }),
                _ => None,
            },
        }
    }

    /// The linger time: `None` if off.
    #[must_use]
    pub const fn duration(self) -> Option<Duration> {
        if self.l_onoff == 0 {
            None
        } else if self.l_linger < 0 {
            Some(Duration::ZERO)
        } else {
            Some(Duration::from_secs(self.l_linger as u64))
        }
    }
}

/// `struct timeval` with a 64-bit `time_t` (the kernel's
/// `__kernel_sock_timeval`, the same 16 bytes on every target): the value of
/// `SO_RCVTIMEO` and `SO_SNDTIMEO`, and of the `SCM_TIMESTAMP` control
/// message. On 32-bit targets zerosock's [`SO_RCVTIMEO`](super::SO_RCVTIMEO)
/// and its kin are the `_NEW` options, which take this layout.
///
/// ```
/// use zerosock::opt::TimeVal;
/// use core::time::Duration;
/// let tv = TimeVal::from_duration_ceil(Duration::from_nanos(1_500)).unwrap();
/// assert_eq!((tv.tv_sec, tv.tv_usec), (0, 2)); // rounded up, never down to zero
/// assert_eq!(tv.duration(), Some(Duration::from_micros(2)));
/// ```
///
/// # References
/// - [timeval(3type)](https://man7.org/linux/man-pages/man3/timeval.3type.html)
/// - [socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html)
#[doc(alias = "timeval")]
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct TimeVal {
    /// `tv_sec`: seconds.
    pub tv_sec: i64,
    /// `tv_usec`: microseconds, `0..1_000_000`.
    pub tv_usec: i64,
}

impl TimeVal {
    /// `d` in microseconds, rounded **up** (1 ns becomes 1 µs, never 0).
    /// `None` if the seconds do not fit a 64-bit `time_t`.
    #[must_use]
    pub const fn from_duration_ceil(d: Duration) -> Option<Self> {
        let mut sec = d.as_secs();
        let mut usec = d.subsec_nanos().div_ceil(1000) as i64;
        if usec == 1_000_000 {
            usec = 0;
            sec = match sec.checked_add(1) {
                Some(sec) => sec,
                None => return None,
            };
        }
        if sec > i64::MAX as u64 {
            return None;
        }
        Some(Self {
            tv_sec: sec as i64,
            tv_usec: usec,
        })
    }

    /// The time as a `Duration`; `None` if negative or out of range.
    #[must_use]
    pub const fn duration(self) -> Option<Duration> {
        if self.tv_sec < 0 || self.tv_usec < 0 || self.tv_usec >= 1_000_000 {
            return None;
        }
        Some(Duration::new(self.tv_sec as u64, self.tv_usec as u32 * 1000))
    }
}

/// `struct ip_mreqn`: an IPv4 multicast group and the interface to use, by
/// index (`imr_ifindex`, preferred) or by local address. The value of
/// `IP_ADD_MEMBERSHIP`, `IP_DROP_MEMBERSHIP` and `IP_MULTICAST_IF`.
///
/// ```
/// use zerosock::opt::IpMreqn;
/// use core::net::Ipv4Addr;
/// let on_lo = IpMreqn::with_index(Ipv4Addr::new(239, 1, 2, 3), 1);
/// assert_eq!(on_lo.imr_multiaddr.ip(), Ipv4Addr::new(239, 1, 2, 3));
/// assert_eq!(on_lo.imr_ifindex, 1);
/// ```
///
/// # References
/// - [ip(7)](https://man7.org/linux/man-pages/man7/ip.7.html)
#[doc(alias = "ip_mreqn")]
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct IpMreqn {
    /// `imr_multiaddr`: the group.
    pub imr_multiaddr: InAddr,
    /// `imr_address`: a local address of the interface, or `INADDR_ANY`.
    pub imr_address: InAddr,
    /// `imr_ifindex`: the interface index, or 0 for "any".
    pub imr_ifindex: i32,
}

impl IpMreqn {
    /// `group` on the interface with local address `interface`
    /// (`0.0.0.0`: the kernel picks one by route).
    #[must_use]
    pub const fn with_address(group: Ipv4Addr, interface: Ipv4Addr) -> Self {
        Self {
            imr_multiaddr: InAddr::new(group),
            imr_address: InAddr::new(interface),
            imr_ifindex: 0,
        }
    }

    /// `group` on the interface with index `ifindex` (0: any).
    #[must_use]
    pub const fn with_index(group: Ipv4Addr, ifindex: u32) -> Self {
        Self {
            imr_multiaddr: InAddr::new(group),
            imr_address: InAddr::ANY,
            imr_ifindex: ifindex as i32,
        }
    }
}

/// `struct ip_mreq`: the older form of [`IpMreqn`], with the interface only
/// by local address. The kernel accepts either; zerosock sends `ip_mreqn`.
///
/// ```
/// use zerosock::opt::IpMreq;
/// assert_eq!(core::mem::size_of::<IpMreq>(), 8);
/// ```
///
/// # References
/// - [ip(7)](https://man7.org/linux/man-pages/man7/ip.7.html)
#[doc(alias = "ip_mreq")]
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct IpMreq {
    /// `imr_multiaddr`: the group.
    pub imr_multiaddr: InAddr,
    /// `imr_interface`: a local address of the interface, or `INADDR_ANY`.
    pub imr_interface: InAddr,
}

/// `struct ipv6_mreq`: an IPv6 multicast group and an interface index, the
/// value of `IPV6_JOIN_GROUP` and `IPV6_LEAVE_GROUP`.
///
/// ```
/// use zerosock::opt::Ipv6Mreq;
/// use core::net::Ipv6Addr;
/// let group = Ipv6Mreq::new("ff02::1:3".parse().unwrap(), 1);
/// assert_eq!(group.ipv6mr_multiaddr.ip(), "ff02::1:3".parse::<Ipv6Addr>().unwrap());
/// ```
///
/// # References
/// - [ipv6(7)](https://man7.org/linux/man-pages/man7/ipv6.7.html)
#[doc(alias = "ipv6_mreq")]
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Ipv6Mreq {
    /// `ipv6mr_multiaddr`: the group.
    pub ipv6mr_multiaddr: In6Addr,
    /// `ipv6mr_interface`: the interface index, or 0 for "any".
    pub ipv6mr_interface: u32,
}

impl Ipv6Mreq {
    /// `group` on the interface with index `ifindex` (0: any).
    #[must_use]
    pub const fn new(group: Ipv6Addr, ifindex: u32) -> Self {
        Self {
            ipv6mr_multiaddr: In6Addr::new(group),
            ipv6mr_interface: ifindex,
        }
    }
}

/// `struct ucred`: a process's credentials, as `SO_PEERCRED` reports the
/// peer of a Unix socket (at `connect`/`socketpair` time) and as the
/// `SCM_CREDENTIALS` control message carries them.
///
/// ```
/// use zerosock::{Domain, Protocol, Socket, Type};
/// let (a, _b) = Socket::pair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT)?;
/// let cred = a.peer_cred()?;
/// assert_eq!(cred.pid, std::process::id() as i32);
/// # Ok::<(), zerosock::Errno>(())
/// ```
///
/// # References
/// - [unix(7)](https://man7.org/linux/man-pages/man7/unix.7.html)
#[doc(alias = "ucred")]
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct UCred {
    /// `pid`: process id.
    pub pid: i32,
    /// `uid`: user id.
    pub uid: u32,
    /// `gid`: group id.
    pub gid: u32,
}

/// Whole seconds of `d`, rounded up; `None` on overflow.
pub(crate) const fn secs_ceil(d: Duration) -> Option<u64> {
    if d.subsec_nanos() == 0 {
        Some(d.as_secs())
    } else {
        d.as_secs().checked_add(1)
    }
}
