//! The hand-written C layouts against the `libc` crate's (and the kernel
//! uapi's) definitions, all through the one `same_layout!` macro.

#[path = "../common/mod.rs"]
mod common;

mod addr;
mod msg;
mod opt;
mod poll;
