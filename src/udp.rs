//! UDP sockets shaped like `std::net::UdpSocket`.

use crate::tcp::typed_socket;

typed_socket!(
    /// A UDP socket, like `std::net::UdpSocket`.
    ///
    /// # References
    /// - [udp(7)](https://man7.org/linux/man-pages/man7/udp.7.html)
    UdpSocket, std: std::net::UdpSocket
);
