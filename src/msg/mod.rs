//! Messages: `sendmsg`/`recvmsg` with control messages, and batches
//! (`sendmmsg`/`recvmmsg`), all in caller-provided memory.
//!
//! - [`CmsgEncoder`] writes control messages into a caller's buffer
//!   ([`CmsgBuffer`] sizes one at compile time with [`cmsg_space`]);
//!   [`CmsgIter`] decodes received ones into [`Cmsg`], every length checked.
//! - [`Socket::send_msg`](crate::Socket::send_msg),
//!   [`send_msg_to`](crate::Socket::send_msg_to) and
//!   [`recv_msg`](crate::Socket::recv_msg) are sendmsg(2) and recvmsg(2);
//!   received fds become [`OwnedFd`](crate::fd::OwnedFd)s in a caller's
//!   [`FdVec`] at once, and none can leak.
//! - [`SendBatch`] and [`RecvBatch`] are sendmmsg(2)/recvmmsg(2) over
//!   fixed arrays of a const-generic size.
//! - The typed sockets add the usual shortcuts: fd passing on Unix sockets,
//!   batches, GSO and GRO on UDP.

mod buffer;
mod decode;
mod encode;
mod io;
mod mmsg;

pub use crate::abi::msg::cmsg_consts::SCM_MAX_FD;
pub use crate::abi::msg::{In6PktInfo, InPktInfo, TimeSpec, cmsg_align, cmsg_len, cmsg_space};
pub use crate::net::{GroRecv, UdpDatagram, UdpRecvBatch, UdpSendBatch};
/// The ECN bits, also used by the IP options: see [`crate::opt::Ecn`].
pub use crate::opt::Ecn;
/// The `ucred` and `timeval` layouts, shared with the socket options.
pub use crate::opt::{TimeVal, UCred};
pub use buffer::{CmsgBuffer, Control};
pub use decode::{Cmsg, CmsgDecodeError, CmsgIter, FdNumbers};
pub use encode::{CmsgEncodeError, CmsgEncoder};
pub use io::{FdVec, FdVecView, RecvMsg};
pub(crate) use mmsg::batch_debug;
pub use mmsg::{BatchFull, Received, RecvBatch, SendBatch};
