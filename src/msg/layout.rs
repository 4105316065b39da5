//! The kernel's message headers written out by hand — `msghdr`, `cmsghdr`,
//! `mmsghdr` — and the `CMSG_*` size arithmetic as `const fn`s, so a control
//! buffer can be sized at compile time.

use core::ffi::c_void;
use core::mem::size_of;
use core::ptr;

/// `struct msghdr`: the argument of sendmsg(2) and recvmsg(2).
///
/// ```
/// use zerosock::msg::MsgHdr;
/// assert_eq!(core::mem::size_of::<MsgHdr>(), 56);
/// let empty = MsgHdr::EMPTY;
/// assert_eq!(empty.msg_iovlen, 0);
/// ```
///
/// # References
/// - [recvmsg(2)](https://man7.org/linux/man-pages/man2/recvmsg.2.html)
/// - [sendmsg(2)](https://man7.org/linux/man-pages/man2/sendmsg.2.html)
#[doc(alias = "msghdr")]
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct MsgHdr {
    /// `msg_name`: the peer address (optional).
    pub msg_name: *mut c_void,
    /// `msg_namelen`: its size; in/out for recvmsg.
    pub msg_namelen: u32,
    /// `msg_iov`: the data buffers (`struct iovec`).
    pub msg_iov: *mut c_void,
    /// `msg_iovlen`: how many buffers.
    pub msg_iovlen: usize,
    /// `msg_control`: the control-message buffer.
    pub msg_control: *mut c_void,
    /// `msg_controllen`: its size; in/out for recvmsg.
    pub msg_controllen: usize,
    /// `msg_flags`: flags on the received message (`MSG_TRUNC`, `MSG_CTRUNC`, …).
    pub msg_flags: u32,
}

impl MsgHdr {
    /// A header with no name, no data and no control buffer.
    pub const EMPTY: Self = Self {
        msg_name: ptr::null_mut(),
        msg_namelen: 0,
        msg_iov: ptr::null_mut(),
        msg_iovlen: 0,
        msg_control: ptr::null_mut(),
        msg_controllen: 0,
        msg_flags: 0,
    };
}

/// `struct cmsghdr`: the header of one control message.
///
/// ```
/// use zerosock::msg::CmsgHdr;
/// assert_eq!(core::mem::size_of::<CmsgHdr>(), 16);
/// ```
///
/// # References
/// - [cmsg(3)](https://man7.org/linux/man-pages/man3/cmsg.3.html)
#[doc(alias = "cmsghdr")]
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CmsgHdr {
    /// `cmsg_len`: header plus data, without trailing padding (`CMSG_LEN`).
    pub cmsg_len: usize,
    /// `cmsg_level`: the originating protocol (`SOL_SOCKET`, `IPPROTO_IP`, …).
    pub cmsg_level: i32,
    /// `cmsg_type`: the protocol-specific type (`SCM_RIGHTS`, …).
    pub cmsg_type: i32,
}

/// `struct mmsghdr`: one message of sendmmsg(2)/recvmmsg(2).
///
/// ```
/// use zerosock::msg::MMsgHdr;
/// assert_eq!(core::mem::size_of::<MMsgHdr>(), 64);
/// ```
///
/// # References
/// - [recvmmsg(2)](https://man7.org/linux/man-pages/man2/recvmmsg.2.html)
/// - [sendmmsg(2)](https://man7.org/linux/man-pages/man2/sendmmsg.2.html)
#[doc(alias = "mmsghdr")]
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct MMsgHdr {
    /// `msg_hdr`: the message.
    pub msg_hdr: MsgHdr,
    /// `msg_len`: bytes sent or received for this message.
    pub msg_len: u32,
}

impl MMsgHdr {
    /// An empty message.
    pub const EMPTY: Self = Self {
        msg_hdr: MsgHdr::EMPTY,
        msg_len: 0,
    };
}

/// `CMSG_ALIGN`: rounds `len` up to the alignment of control messages
/// (`size_t`).
///
/// ```
/// assert_eq!(zerosock::msg::cmsg_align(5), 8);
/// ```
///
/// # References
/// - [cmsg(3)](https://man7.org/linux/man-pages/man3/cmsg.3.html)
#[doc(alias = "CMSG_ALIGN")]
#[must_use]
pub const fn cmsg_align(len: usize) -> usize {
    (len + size_of::<usize>() - 1) & !(size_of::<usize>() - 1)
}

/// `CMSG_LEN`: the `cmsg_len` of a message carrying `data_len` bytes.
///
/// ```
/// assert_eq!(zerosock::msg::cmsg_len(4), 20);
/// ```
///
/// # References
/// - [cmsg(3)](https://man7.org/linux/man-pages/man3/cmsg.3.html)
#[doc(alias = "CMSG_LEN")]
#[must_use]
pub const fn cmsg_len(data_len: usize) -> usize {
    cmsg_align(size_of::<CmsgHdr>()) + data_len
}

/// `CMSG_SPACE`: the buffer space one message carrying `data_len` bytes
/// takes, padding included. Sum these to size a control buffer.
///
/// ```
/// use zerosock::msg::cmsg_space;
/// // room for three fds
/// let buf = [0u8; cmsg_space(3 * 4)];
/// assert_eq!(buf.len(), 32);
/// ```
///
/// # References
/// - [cmsg(3)](https://man7.org/linux/man-pages/man3/cmsg.3.html)
#[doc(alias = "CMSG_SPACE")]
#[must_use]
pub const fn cmsg_space(data_len: usize) -> usize {
    cmsg_align(size_of::<CmsgHdr>()) + cmsg_align(data_len)
}
