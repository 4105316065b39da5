//! Zero allocation, proven at run time: the one counting global allocator
//! (`common::alloc`) watches the whole API, the message paths and the
//! `/proc` readers.

#[path = "../common/mod.rs"]
mod common;

mod api;
mod errno;
mod msg;
mod proc;
mod resolve;

#[global_allocator]
static GLOBAL: common::alloc::Counting = common::alloc::Counting;
