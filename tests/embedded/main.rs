//! The embedded ecosystem's traits on zerosock (`src/embedded/`, features
//! `embedded-io`, `embedded-nal`, `embedded-async`): each trait method on
//! real loopback sockets, each error mapping provoked for real (refused,
//! reset, would-block, timed out, end of stream), and no heap use on the
//! way (the counting allocator is this binary's global one).

#[path = "../common/mod.rs"]
mod common;

mod asynch;
pub(crate) mod broker;
mod io;
mod mqtt;
pub(crate) mod mqtt_flows;
mod nal;

#[global_allocator]
static GLOBAL: common::alloc::Counting = common::alloc::Counting;

use std::time::{Duration, Instant};

/// The bound of every wait and loop here.
pub(crate) const BOUND: Duration = Duration::from_secs(10);

/// A deadline `BOUND` from now.
pub(crate) fn deadline() -> Instant {
    Instant::now() + BOUND
}
