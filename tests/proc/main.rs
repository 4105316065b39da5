//! The `/proc` socket tables against sockets the tests make, and against
//! iproute2's `ss`.

#[path = "../common/mod.rs"]
mod common;

mod empty_buffer;
mod ss;
mod tables;
