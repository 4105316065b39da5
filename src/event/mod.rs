//! Readiness and event notification: waiting until sockets (or any fds)
//! can be read or written without blocking.
//!
//! - [`poll`]: ppoll(2) over a caller's fixed array, and
//!   [`Socket::wait`](crate::Socket::wait) for one socket.
//! - [`Epoll`](epoll::Epoll): the interest list every Linux event loop is
//!   built on.
//! - [`EventFd`](eventfd::EventFd): a counter one thread writes to wake
//!   another's wait.

pub mod epoll;
pub mod eventfd;
pub mod poll;
