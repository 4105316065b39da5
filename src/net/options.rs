//! The options std offers on its typed sockets, on zerosock's typed sockets
//! with std's names and shapes: each forwards to the [`Socket`] method of
//! the same name (every other option is one
//! [`as_socket`](crate::TcpStream::as_socket) away).

use core::net::{Ipv4Addr, Ipv6Addr};
use core::time::Duration;

use super::{
    TcpListener, TcpStream, UdpSocket, UnixDatagram, UnixListener, UnixSeqpacket, UnixSeqpacketListener,
    UnixStream,
};
use crate::error::{Errno, Error};
use crate::opt::UCred;
use crate::socket::Socket;

/// Defines methods on typed sockets that forward to `Socket`'s.
macro_rules! forward {
    ($($ty:ident),+ => $methods:tt) => {
        $( forward!(@one $ty $methods); )+
    };
    (@one $ty:ident {
        $( fn $name:ident(&self $(, $arg:ident: $argty:ty)*) -> $ret:ty = $cname:literal, $page:literal; )*
    }) => {
        impl $ty {
            $(
                #[doc = concat!("`", $cname, "`: see [`Socket::", stringify!($name), "`].")]
                ///
                /// # References
                #[doc = concat!("- [", $page, "(7)](https://man7.org/linux/man-pages/man7/", $page, ".7.html)")]
                #[doc(alias = $cname)]
                #[inline]
                pub fn $name(&self $(, $arg: $argty)*) -> $ret {
                    self.as_socket().$name($($arg),*)
                }
            )*
        }
    };
}

// What every typed socket has in std: its pending error.
forward!(TcpStream, TcpListener, UdpSocket, UnixStream, UnixListener, UnixDatagram, UnixSeqpacket, UnixSeqpacketListener => {
    fn take_error(&self) -> Result<Option<Errno>, Errno> = "SO_ERROR", "socket";
});

// Timeouts, on the sockets that send and receive.
forward!(TcpStream, UdpSocket, UnixStream, UnixDatagram, UnixSeqpacket => {
    fn read_timeout(&self) -> Result<Option<Duration>, Errno> = "SO_RCVTIMEO", "socket";
    fn set_read_timeout(&self, timeout: Option<Duration>) -> Result<(), Error> = "SO_RCVTIMEO", "socket";
    fn write_timeout(&self) -> Result<Option<Duration>, Errno> = "SO_SNDTIMEO", "socket";
    fn set_write_timeout(&self, timeout: Option<Duration>) -> Result<(), Error> = "SO_SNDTIMEO", "socket";
});

// The IP time-to-live.
forward!(TcpStream, TcpListener, UdpSocket => {
    fn ttl(&self) -> Result<u32, Errno> = "IP_TTL", "ip";
    fn set_ttl(&self, ttl: u32) -> Result<(), Error> = "IP_TTL", "ip";
});

forward!(TcpStream => {
    fn nodelay(&self) -> Result<bool, Errno> = "TCP_NODELAY", "tcp";
    fn set_nodelay(&self, on: bool) -> Result<(), Errno> = "TCP_NODELAY", "tcp";
    fn linger(&self) -> Result<Option<Duration>, Errno> = "SO_LINGER", "socket";
    fn set_linger(&self, linger: Option<Duration>) -> Result<(), Error> = "SO_LINGER", "socket";
});

forward!(UdpSocket => {
    fn broadcast(&self) -> Result<bool, Errno> = "SO_BROADCAST", "socket";
    fn set_broadcast(&self, on: bool) -> Result<(), Errno> = "SO_BROADCAST", "socket";
    fn multicast_loop_v4(&self) -> Result<bool, Errno> = "IP_MULTICAST_LOOP", "ip";
    fn set_multicast_loop_v4(&self, on: bool) -> Result<(), Errno> = "IP_MULTICAST_LOOP", "ip";
    fn multicast_ttl_v4(&self) -> Result<u32, Errno> = "IP_MULTICAST_TTL", "ip";
    fn set_multicast_ttl_v4(&self, ttl: u32) -> Result<(), Error> = "IP_MULTICAST_TTL", "ip";
    fn multicast_loop_v6(&self) -> Result<bool, Errno> = "IPV6_MULTICAST_LOOP", "ipv6";
    fn set_multicast_loop_v6(&self, on: bool) -> Result<(), Errno> = "IPV6_MULTICAST_LOOP", "ipv6";
});

forward!(UnixStream, UnixSeqpacket => {
    fn peer_cred(&self) -> Result<UCred, Errno> = "SO_PEERCRED", "unix";
});

impl UdpSocket {
    /// Joins multicast group `multiaddr` on the interface with local address
    /// `interface` (`IP_ADD_MEMBERSHIP`), as std's: see
    /// [`Socket::join_multicast_v4`] (and
    /// [`Socket::join_multicast_v4_index`] to name the interface by index).
    ///
    /// # References
    /// - [ip(7)](https://man7.org/linux/man-pages/man7/ip.7.html)
    #[doc(alias = "IP_ADD_MEMBERSHIP")]
    pub fn join_multicast_v4(&self, multiaddr: &Ipv4Addr, interface: &Ipv4Addr) -> Result<(), Errno> {
        Socket::join_multicast_v4(self.as_socket(), *multiaddr, *interface)
    }

    /// Leaves multicast group `multiaddr` on `interface`
    /// (`IP_DROP_MEMBERSHIP`), as std's.
    ///
    /// # References
    /// - [ip(7)](https://man7.org/linux/man-pages/man7/ip.7.html)
    #[doc(alias = "IP_DROP_MEMBERSHIP")]
    pub fn leave_multicast_v4(&self, multiaddr: &Ipv4Addr, interface: &Ipv4Addr) -> Result<(), Errno> {
        Socket::leave_multicast_v4(self.as_socket(), *multiaddr, *interface)
    }

    /// Joins IPv6 multicast group `multiaddr` on the interface with index
    /// `interface` (`IPV6_JOIN_GROUP`; 0: by route), as std's.
    ///
    /// # References
    /// - [ipv6(7)](https://man7.org/linux/man-pages/man7/ipv6.7.html)
    #[doc(alias = "IPV6_JOIN_GROUP")]
    pub fn join_multicast_v6(&self, multiaddr: &Ipv6Addr, interface: u32) -> Result<(), Errno> {
        Socket::join_multicast_v6(self.as_socket(), *multiaddr, interface)
    }

    /// Leaves IPv6 multicast group `multiaddr` on interface index
    /// `interface` (`IPV6_LEAVE_GROUP`), as std's.
    ///
    /// # References
    /// - [ipv6(7)](https://man7.org/linux/man-pages/man7/ipv6.7.html)
    #[doc(alias = "IPV6_LEAVE_GROUP")]
    pub fn leave_multicast_v6(&self, multiaddr: &Ipv6Addr, interface: u32) -> Result<(), Errno> {
        Socket::leave_multicast_v6(self.as_socket(), *multiaddr, interface)
    }
}
