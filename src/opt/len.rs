//! [`OptionLen`]: what getsockopt(2)'s in/out length says, split into the
//! bytes the kernel wrote and the length it reported.

/// The length a getsockopt(2) returned, in two parts: how many bytes of the
/// caller's buffer hold the value (`written`, never more than the buffer),
/// and the length the kernel put in `optlen` (`reported`).
///
/// Most options truncate to the buffer and report what they wrote, so the
/// two are equal. A few report the length the whole value needs while
/// writing only what fits — `NETLINK_LIST_MEMBERSHIPS` for one — and then
/// `reported > written` ([`is_truncated`](Self::is_truncated)): ask again
/// with a buffer of `reported` bytes.
///
/// ```
/// use zerosock::{Domain, Protocol, Socket, Type};
/// use zerosock::opt::{OptionLen, SOL_SOCKET, SO_TYPE};
/// let socket = Socket::new(Domain::INET, Type::DGRAM, Protocol::UDP)?;
/// let mut value = [0u8; 4];
/// let len = socket.get_option_raw(SOL_SOCKET, SO_TYPE, &mut value)?;
/// assert_eq!(len, OptionLen { written: 4, reported: 4 });
/// assert!(!len.is_truncated());
/// # Ok::<(), zerosock::Errno>(())
/// ```
///
/// # References
/// - [getsockopt(2)](https://man7.org/linux/man-pages/man2/getsockopt.2.html)
#[doc(alias = "optlen")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct OptionLen {
    /// Bytes of the value in the buffer: `min(reported, buffer length)`.
    pub written: usize,
    /// The length the kernel reported in `optlen`.
    pub reported: usize,
}

impl OptionLen {
    /// The kernel's `optlen` for a buffer of `capacity` bytes.
    #[inline]
    pub(crate) const fn new(capacity: usize, reported: usize) -> Self {
        let written = if reported < capacity { reported } else { capacity };
        Self { written, reported }
    }

    /// Whether the kernel reported more than the buffer held: the value was
    /// cut to fit.
    ///
    /// ```
    /// use zerosock::opt::OptionLen;
    /// assert!(OptionLen { written: 4, reported: 8 }.is_truncated());
    /// ```
    ///
    /// # References
    /// - [getsockopt(2)](https://man7.org/linux/man-pages/man2/getsockopt.2.html)
    #[inline]
    #[must_use]
    pub const fn is_truncated(self) -> bool {
        self.reported > self.written
    }
}
