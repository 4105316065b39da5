//! Socket options: every typed option set and read back, the input checks,
//! and what the options do, observed on loopback.

#[path = "../common/mod.rs"]
mod common;

mod effects;
mod ip;
mod len;
mod socket;
mod tcp;
mod typed;
