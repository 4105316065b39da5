//! Independent peers: Python's `socket` module, `strace`'s view of the
//! system calls, and the echo example driven end to end and soaked.

#[path = "../common/mod.rs"]
mod common;

mod echo_e2e;
mod example;
mod python;
mod soak;
mod sockstat_cli;
mod strace;
