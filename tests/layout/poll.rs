//! `pollfd` and the `POLL*` bits against libc.

use crate::common::layout::same_layout;
use zerosock::poll::{Interest, PollFd, Ready};

#[test]
fn pollfd_matches_libc_layout() {
    // The fields are private: size and alignment here, offsets in
    // src/poll.rs's compile-time checks.
    same_layout!(PollFd<'static>, libc::pollfd,);
    assert_eq!(Interest::IN.raw(), libc::POLLIN as u16);
    assert_eq!(Interest::PRI.raw(), libc::POLLPRI as u16);
    assert_eq!(Interest::OUT.raw(), libc::POLLOUT as u16);
    assert_eq!(Interest::RDHUP.raw(), libc::POLLRDHUP as u16);
    assert_eq!(Ready::ERR.raw(), libc::POLLERR as u16);
    assert_eq!(Ready::HUP.raw(), libc::POLLHUP as u16);
    assert_eq!(Ready::NVAL.raw(), libc::POLLNVAL as u16);
    assert_eq!(Ready::WRBAND.raw(), libc::POLLWRBAND as u16);
}
