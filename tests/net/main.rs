//! Typed sockets and connecting: TCP, UDP and Unix sockets shaped like
//! `std::net`, `connect_timeout` and `connect_retry`, readiness (`poll`),
//! and the `std` conversions.

#[path = "../common/mod.rs"]
mod common;

mod connect;
mod poll;
mod std_interop;
mod tcp;
mod udp;
mod unix;
