//! Fresh sockets and the small checks the option tests repeat.

use zerosock::{Domain, Errno, Error, Protocol, Socket, Type};

/// A new IPv4 TCP socket.
pub fn tcp() -> Socket {
    Socket::new(Domain::INET, Type::STREAM, Protocol::TCP).unwrap()
}

/// A new IPv4 UDP socket.
pub fn udp4() -> Socket {
    Socket::new(Domain::INET, Type::DGRAM, Protocol::UDP).unwrap()
}

/// A new IPv6 UDP socket.
pub fn udp6() -> Socket {
    Socket::new(Domain::INET6, Type::DGRAM, Protocol::UDP).unwrap()
}

/// Asserts that `result` is the typed refusal made before any system call.
pub fn invalid<T: std::fmt::Debug>(result: Result<T, Error>) {
    assert!(
        matches!(result, Err(Error::InvalidInput(_))),
        "expected InvalidInput, got {result:?}"
    );
}

/// Sets a flag on and off and reads it back each time.
pub fn flag_round_trip(
    socket: &Socket,
    get: impl Fn(&Socket) -> Result<bool, Errno>,
    set: impl Fn(&Socket, bool) -> Result<(), Errno>,
) {
    for on in [true, false, true] {
        set(socket, on).unwrap();
        assert_eq!(get(socket).unwrap(), on);
    }
}
