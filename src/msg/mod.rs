//! Messages: `sendmsg`/`recvmsg` with control messages, and batches
//! (`sendmmsg`/`recvmmsg`), all in caller-provided memory.

mod layout;

pub use layout::{CmsgHdr, MMsgHdr, MsgHdr, cmsg_align, cmsg_len, cmsg_space};
