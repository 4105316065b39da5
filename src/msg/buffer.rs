//! Control-message memory: [`CmsgBuffer`], aligned space sized at compile
//! time, and [`Control`], encoded bytes ready to send.

use core::fmt;
use core::ops::{Deref, DerefMut};

/// Control-message space aligned at least like `struct cmsghdr` (8 bytes), sized at
/// compile time with [`cmsg_space`](crate::msg::cmsg_space). It dereferences to `[u8]`, so it goes
/// wherever a control buffer does.
///
/// ```
/// use zerosock::msg::{CmsgBuffer, cmsg_space};
/// // room for two fds and one `ucred`
/// let space = CmsgBuffer::<{ cmsg_space(2 * 4) + cmsg_space(12) }>::new();
/// assert_eq!(space.len(), if cfg!(target_pointer_width = "64") { 56 } else { 44 });
/// assert_eq!(space.as_ptr() as usize % 8, 0);
/// ```
///
/// # References
/// - [cmsg(3)](https://man7.org/linux/man-pages/man3/cmsg.3.html)
#[repr(C, align(8))]
#[derive(Clone, Copy)]
pub struct CmsgBuffer<const N: usize> {
    bytes: [u8; N],
}

impl<const N: usize> CmsgBuffer<N> {
    /// A zeroed buffer.
    #[must_use]
    pub const fn new() -> Self {
        Self { bytes: [0; N] }
    }
}

impl<const N: usize> Default for CmsgBuffer<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> Deref for CmsgBuffer<N> {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.bytes
    }
}

impl<const N: usize> DerefMut for CmsgBuffer<N> {
    fn deref_mut(&mut self) -> &mut [u8] {
        &mut self.bytes
    }
}

impl<const N: usize> fmt::Debug for CmsgBuffer<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CmsgBuffer<{N}>")
    }
}

/// Encoded control messages ready for sendmsg(2): bytes written by a
/// [`CmsgEncoder`](crate::msg::CmsgEncoder), with the fds they name borrowed for as long as it lives.
/// [`Control::NONE`] sends none.
///
/// ```
/// use zerosock::msg::Control;
/// assert!(Control::NONE.as_bytes().is_empty());
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct Control<'a> {
    pub(super) bytes: &'a [u8],
}

impl Control<'static> {
    /// No control messages.
    pub const NONE: Self = Self { bytes: &[] };
}

impl<'a> Control<'a> {
    /// The encoded bytes.
    #[must_use]
    pub const fn as_bytes(self) -> &'a [u8] {
        self.bytes
    }
}
