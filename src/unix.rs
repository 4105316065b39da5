//! Unix-domain sockets shaped like `std::os::unix::net`'s, plus
//! `SOCK_SEQPACKET`.

use crate::tcp::typed_socket;

typed_socket!(
    /// A Unix-domain stream socket listening for connections.
    ///
    /// # References
    /// - [unix(7)](https://man7.org/linux/man-pages/man7/unix.7.html)
    UnixListener, std: std::os::unix::net::UnixListener
);

typed_socket!(
    /// A connected Unix-domain stream socket.
    ///
    /// # References
    /// - [unix(7)](https://man7.org/linux/man-pages/man7/unix.7.html)
    UnixStream, std: std::os::unix::net::UnixStream
);

typed_socket!(
    /// A Unix-domain datagram socket.
    ///
    /// # References
    /// - [unix(7)](https://man7.org/linux/man-pages/man7/unix.7.html)
    UnixDatagram, std: std::os::unix::net::UnixDatagram
);

typed_socket!(
    /// A Unix-domain `SOCK_SEQPACKET` socket listening for connections.
    ///
    /// # References
    /// - [unix(7)](https://man7.org/linux/man-pages/man7/unix.7.html)
    UnixSeqpacketListener
);

typed_socket!(
    /// A connected Unix-domain `SOCK_SEQPACKET` socket: reliable, ordered,
    /// with message boundaries.
    ///
    /// # References
    /// - [unix(7)](https://man7.org/linux/man-pages/man7/unix.7.html)
    UnixSeqpacket
);
