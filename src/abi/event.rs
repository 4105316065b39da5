//! `struct epoll_event` as the kernel reads and writes it.

use core::mem::{align_of, size_of};

use linux_raw_sys::general as c;

/// One entry of the array [`Epoll::wait`](crate::event::epoll::Epoll::wait) fills: `struct epoll_event`, as
/// the kernel writes it (packed on x86_64, as the kernel declares it there):
/// what is [ready](Self::ready) and the [token](Self::token) the fd was
/// added with.
///
/// ```
/// use zerosock::event::epoll::{Event, Ready};
/// let events = [Event::EMPTY; 64];
/// assert!(events[0].ready().is_empty());
/// assert_eq!(events[0].token(), 0);
/// // packed on x86_64 (as the kernel's), 8-aligned on other 64-bit targets
/// let size = if cfg!(target_arch = "x86_64") { 12 } else { 16 };
/// assert_eq!(size_of::<Event>(), size);
/// ```
///
/// # References
/// - [epoll_wait(2)](https://man7.org/linux/man-pages/man2/epoll_wait.2.html)
#[doc(alias = "epoll_event")]
#[derive(Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(target_arch = "x86_64", repr(C, packed))]
#[cfg_attr(not(target_arch = "x86_64"), repr(C))]
pub struct Event {
    pub(crate) events: u32,
    pub(crate) data: u64,
}

// `struct epoll_event { __poll_t events; __u64 data; }`, packed on x86_64.
const _: () = {
    assert!(size_of::<Event>() == size_of::<c::epoll_event>());
    assert!(align_of::<Event>() == align_of::<c::epoll_event>());
    assert!(core::mem::offset_of!(Event, events) == core::mem::offset_of!(c::epoll_event, events));
    assert!(core::mem::offset_of!(Event, data) == core::mem::offset_of!(c::epoll_event, data));
};
