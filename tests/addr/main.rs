//! Addresses and their text forms: the C address layouts' conversions to and
//! from `core::net`, Unix address rules, and the `inet_*` functions against glibc.

#[path = "../common/mod.rs"]
mod common;

mod sockaddr;
mod text_forms;
