//! Event notification beyond [`poll`](crate::poll): [`Epoll`](epoll::Epoll),
//! the interest list every Linux event loop is built on, and
//! [`EventFd`](eventfd::EventFd), a counter one thread writes to wake
//! another's wait.

pub mod epoll;
pub mod eventfd;
