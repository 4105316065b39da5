//! Readiness: waiting until sockets (or any fds) can be read or written
//! without blocking.
//!
//! - [`poll`]: ppoll(2) over a caller's fixed array, and
//!   [`Socket::wait`](crate::Socket::wait) for one socket.

pub mod poll;
