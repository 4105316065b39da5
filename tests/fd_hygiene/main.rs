//! Fd hygiene: every fd zerosock creates is `CLOEXEC`, and no sequence of
//! calls changes the process's open-fd count. The tests count
//! `/proc/self/fd`, so each takes [`serial`]'s lock and nothing else in this
//! binary opens fds.

#[path = "../common/mod.rs"]
mod common;

mod cloexec_and_counts;
mod received_fds;

use std::sync::{Mutex, MutexGuard};

/// The lock every test of this binary holds while it counts fds.
fn serial() -> MutexGuard<'static, ()> {
    static SERIAL: Mutex<()> = Mutex::new(());
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}
