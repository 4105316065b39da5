//! Messages: sendmsg/recvmsg with control messages over UDP and Unix
//! sockets, batches, fd and credential passing, vectored I/O.

#[path = "../common/mod.rs"]
mod common;

mod batch_reuse;
mod iov;
mod udp;
mod udp_batch;
mod unix;
