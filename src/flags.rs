//! The small integers of the socket API as newtypes with named constants:
//! address families, socket types, protocols and message flags. Each prints
//! its C name (`AF_INET`, `SOCK_STREAM`, `MSG_PEEK | MSG_DONTWAIT`), and any
//! value the kernel knows can still be made with `from_raw`.

use core::fmt;

// Constants from the kernel's uapi headers; the few MSG_* flags that live only
// in include/linux/socket.h (not uapi) are written as numbers below.
use linux_raw_sys::net as c;

/// Defines a newtype over a C integer with named constants, printed by name.
macro_rules! c_enum {
    ($(#[$doc:meta])* $name:ident($int:ty) { $($(#[$cdoc:meta])* $konst:ident = $value:expr, $cname:literal;)* }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(transparent)]
        pub struct $name($int);

        impl $name {
            $(
                $(#[$cdoc])*
                #[doc = concat!("`", $cname, "`.")]
                #[doc(alias = $cname)]
                pub const $konst: Self = Self($value as $int);
            )*

            /// Wraps a raw value, named or not.
            #[inline]
            #[must_use]
            pub const fn from_raw(raw: $int) -> Self {
                Self(raw)
            }

            /// The raw value passed to the kernel.
            #[inline]
            #[must_use]
            pub const fn raw(self) -> $int {
                self.0
            }

            /// The C name of this value, if it has one.
            #[must_use]
            pub const fn name(self) -> Option<&'static str> {
                $(if self.0 == Self::$konst.0 { return Some($cname); })*
                None
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self.name() {
                    Some(name) => f.write_str(name),
                    None => write!(f, concat!(stringify!($name), "({})"), self.0),
                }
            }
        }
    };
}

c_enum!(
    /// An address family / protocol family: the `domain` of socket(2) and the
    /// `sa_family` of every address.
    ///
    /// ```
    /// use zerosock::Domain;
    /// assert_eq!(format!("{:?}", Domain::INET6), "AF_INET6");
    /// assert_eq!(format!("{:?}", Domain::from_raw(200)), "Domain(200)");
    /// ```
    ///
    /// # References
    /// - [socket(2)](https://man7.org/linux/man-pages/man2/socket.2.html)
    /// - [address_families(7)](https://man7.org/linux/man-pages/man7/address_families.7.html)
    Domain(u16) {
        /// Unspecified.
        UNSPEC = c::AF_UNSPEC, "AF_UNSPEC";
        /// Unix-domain (local) sockets; `AF_LOCAL` is the same.
        UNIX = c::AF_UNIX, "AF_UNIX";
        /// IPv4.
        INET = c::AF_INET, "AF_INET";
        /// IPv6.
        INET6 = c::AF_INET6, "AF_INET6";
        /// Netlink.
        NETLINK = c::AF_NETLINK, "AF_NETLINK";
        /// Packet sockets.
        PACKET = c::AF_PACKET, "AF_PACKET";
        /// VSOCK (virtual machine sockets).
        VSOCK = c::AF_VSOCK, "AF_VSOCK";
    }
);

impl Domain {
    /// `AF_LOCAL`, the POSIX name of [`Domain::UNIX`].
    #[doc(alias = "AF_LOCAL")]
    pub const LOCAL: Self = Self::UNIX;

    /// The family of an IP socket address.
    #[must_use]
    pub const fn for_addr(addr: &core::net::SocketAddr) -> Self {
        match addr {
            core::net::SocketAddr::V4(_) => Self::INET,
            core::net::SocketAddr::V6(_) => Self::INET6,
        }
    }
}

c_enum!(
    /// A socket type: the `type` of socket(2), without flags.
    ///
    /// `SOCK_CLOEXEC` is not here because zerosock always sets it;
    /// non-blocking creation is [`Socket::new_nonblocking`](crate::Socket::new_nonblocking).
    ///
    /// ```
    /// use zerosock::Type;
    /// assert_eq!(format!("{:?}", Type::SEQPACKET), "SOCK_SEQPACKET");
    /// ```
    ///
    /// # References
    /// - [socket(2)](https://man7.org/linux/man-pages/man2/socket.2.html)
    Type(u32) {
        /// Reliable byte stream (TCP, Unix stream).
        STREAM = c::SOCK_STREAM, "SOCK_STREAM";
        /// Datagrams (UDP, Unix datagram).
        DGRAM = c::SOCK_DGRAM, "SOCK_DGRAM";
        /// Raw network protocol access.
        RAW = c::SOCK_RAW, "SOCK_RAW";
        /// Reliable datagrams, unordered.
        RDM = c::SOCK_RDM, "SOCK_RDM";
        /// Reliable, ordered datagrams with boundaries.
        SEQPACKET = c::SOCK_SEQPACKET, "SOCK_SEQPACKET";
    }
);

c_enum!(
    /// A protocol number: the `protocol` of socket(2). `Protocol::DEFAULT`
    /// (0) lets the kernel pick the family's usual protocol; any IANA number
    /// can be made with `from_raw`.
    ///
    /// ```
    /// use zerosock::Protocol;
    /// assert_eq!(format!("{:?}", Protocol::TCP), "IPPROTO_TCP");
    /// ```
    ///
    /// # References
    /// - [socket(2)](https://man7.org/linux/man-pages/man2/socket.2.html)
    /// - [protocols(5)](https://man7.org/linux/man-pages/man5/protocols.5.html)
    Protocol(u32) {
        /// The family's default protocol (0).
        DEFAULT = 0u32, "0";
        /// ICMP.
        ICMP = c::IPPROTO_ICMP, "IPPROTO_ICMP";
        /// TCP.
        TCP = c::IPPROTO_TCP, "IPPROTO_TCP";
        /// UDP.
        UDP = c::IPPROTO_UDP, "IPPROTO_UDP";
        /// ICMPv6.
        ICMPV6 = c::IPPROTO_ICMPV6, "IPPROTO_ICMPV6";
        /// UDP-Lite.
        UDPLITE = c::IPPROTO_UDPLITE, "IPPROTO_UDPLITE";
        /// SCTP.
        SCTP = c::IPPROTO_SCTP, "IPPROTO_SCTP";
        /// Raw IP packets.
        RAW = c::IPPROTO_RAW, "IPPROTO_RAW";
    }
);

/// Defines a bit-flag newtype whose `Debug` lists the C names of its bits.
macro_rules! c_flags {
    ($(#[$doc:meta])* $name:ident($int:ty) { $($(#[$cdoc:meta])* $konst:ident = $value:expr, $cname:literal;)* }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
        #[repr(transparent)]
        pub struct $name($int);

        impl $name {
            /// No flags.
            pub const NONE: Self = Self(0);
            $(
                $(#[$cdoc])*
                #[doc = concat!("`", $cname, "`.")]
                #[doc(alias = $cname)]
                pub const $konst: Self = Self($value as $int);
            )*

            /// Wraps raw bits, named or not.
            #[inline]
            #[must_use]
            pub const fn from_raw(raw: $int) -> Self {
                Self(raw)
            }

            /// The raw bits passed to the kernel.
            #[inline]
            #[must_use]
            pub const fn raw(self) -> $int {
                self.0
            }

            /// Whether every bit of `other` is set.
            #[inline]
            #[must_use]
            pub const fn contains(self, other: Self) -> bool {
                self.0 & other.0 == other.0
            }

            /// Whether no bit is set.
            #[inline]
            #[must_use]
            pub const fn is_empty(self) -> bool {
                self.0 == 0
            }

            /// Both sets of bits.
            #[inline]
            #[must_use]
            pub const fn union(self, other: Self) -> Self {
                Self(self.0 | other.0)
            }

            /// `self` without the bits of `other`.
            #[inline]
            #[must_use]
            pub const fn difference(self, other: Self) -> Self {
                Self(self.0 & !other.0)
            }
        }

        impl core::ops::BitOr for $name {
            type Output = Self;
            #[inline]
            fn bitor(self, rhs: Self) -> Self {
                self.union(rhs)
            }
        }

        impl core::ops::BitOrAssign for $name {
            #[inline]
            fn bitor_assign(&mut self, rhs: Self) {
                self.0 |= rhs.0;
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                if self.0 == 0 {
                    return f.write_str("0");
                }
                let mut rest = self.0;
                let mut first = true;
                let mut sep = |f: &mut fmt::Formatter<'_>| {
                    let s = if first { "" } else { " | " };
                    first = false;
                    f.write_str(s)
                };
                $(
                    if Self::$konst.0 != 0 && rest & Self::$konst.0 == Self::$konst.0 {
                        sep(f)?;
                        f.write_str($cname)?;
                        rest &= !Self::$konst.0;
                    }
                )*
                if rest != 0 {
                    sep(f)?;
                    write!(f, "{:#x}", rest)?;
                }
                Ok(())
            }
        }
    };
}

// Shared with the other flag sets (poll's events).
pub(crate) use c_flags;

c_flags!(
    /// The `flags` of send(2) and recv(2) and the `msg_flags` recvmsg(2)
    /// returns.
    ///
    /// ```
    /// use zerosock::MsgFlags;
    /// let flags = MsgFlags::PEEK | MsgFlags::DONTWAIT;
    /// assert_eq!(format!("{flags:?}"), "MSG_PEEK | MSG_DONTWAIT");
    /// ```
    ///
    /// # References
    /// - [send(2)](https://man7.org/linux/man-pages/man2/send.2.html)
    /// - [recv(2)](https://man7.org/linux/man-pages/man2/recv.2.html)
    MsgFlags(u32) {
        /// Out-of-band data.
        OOB = c::MSG_OOB, "MSG_OOB";
        /// Look at the data without taking it off the queue.
        PEEK = c::MSG_PEEK, "MSG_PEEK";
        /// Send without routing (directly connected hosts only).
        DONTROUTE = c::MSG_DONTROUTE, "MSG_DONTROUTE";
        /// recvmsg: the control data was truncated for lack of room.
        CTRUNC = c::MSG_CTRUNC, "MSG_CTRUNC";
        /// recv: return the real length of the datagram even if longer than the
        /// buffer; recvmsg: the datagram was truncated.
        TRUNC = c::MSG_TRUNC, "MSG_TRUNC";
        /// Non-blocking for this call only.
        DONTWAIT = c::MSG_DONTWAIT, "MSG_DONTWAIT";
        /// recvmsg: end of record (SOCK_SEQPACKET).
        EOR = c::MSG_EOR, "MSG_EOR";
        /// Wait until the whole buffer is filled (streams).
        WAITALL = c::MSG_WAITALL, "MSG_WAITALL";
        /// Confirm the path is alive (datagram, ARP).
        CONFIRM = c::MSG_CONFIRM, "MSG_CONFIRM";
        /// Receive a queued error (`IP_RECVERR`).
        ERRQUEUE = c::MSG_ERRQUEUE, "MSG_ERRQUEUE";
        /// Do not raise SIGPIPE on a broken stream; return `EPIPE`.
        NOSIGNAL = c::MSG_NOSIGNAL, "MSG_NOSIGNAL";
        /// More data follows: cork until a send without it.
        MORE = c::MSG_MORE, "MSG_MORE";
        /// recvmmsg: after the first message, do not block.
        WAITFORONE = 0x1_0000u32, "MSG_WAITFORONE";
        /// Zero-copy send (`SO_ZEROCOPY`).
        ZEROCOPY = 0x400_0000u32, "MSG_ZEROCOPY";
        /// TCP Fast Open: send data with the SYN.
        FASTOPEN = 0x2000_0000u32, "MSG_FASTOPEN";
        /// recvmsg: set `FD_CLOEXEC` on fds received with `SCM_RIGHTS`.
        CMSG_CLOEXEC = c::MSG_CMSG_CLOEXEC, "MSG_CMSG_CLOEXEC";
    }
);

/// Which directions [`shutdown`](crate::Socket::shutdown) closes.
///
/// ```
/// assert_eq!(zerosock::Shutdown::Write as u32, 1);
/// ```
///
/// # References
/// - [shutdown(2)](https://man7.org/linux/man-pages/man2/shutdown.2.html)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum Shutdown {
    /// `SHUT_RD`: no more receptions.
    #[doc(alias = "SHUT_RD")]
    Read = 0,
    /// `SHUT_WR`: no more transmissions; the peer reads EOF.
    #[doc(alias = "SHUT_WR")]
    Write = 1,
    /// `SHUT_RDWR`: both.
    #[doc(alias = "SHUT_RDWR")]
    Both = 2,
}

#[cfg(feature = "std")]
impl From<std::net::Shutdown> for Shutdown {
    fn from(how: std::net::Shutdown) -> Self {
        match how {
            std::net::Shutdown::Read => Self::Read,
            std::net::Shutdown::Write => Self::Write,
            std::net::Shutdown::Both => Self::Both,
        }
    }
}
