//! The one counting global allocator. It is registered only by the
//! `no_alloc` binary (`#[global_allocator]` in `tests/no_alloc/main.rs`);
//! elsewhere these items are unused.
//!
//! Counting is armed per thread, between two markers ([`Armed`]), so tests
//! running in parallel (or a test that panics while armed) cannot disturb
//! one another's count, and the harness's own allocations are not counted.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

/// Forwards every call to [`System`] unchanged; counts allocations,
/// reallocations and frees on threads where it is armed.
pub struct Counting;

thread_local! {
    /// Armed between the markers, on this thread only. `const` thread
    /// locals of `Cell`s need no lazy initialisation and no destructor, so
    /// touching them never allocates.
    static ARMED: Cell<bool> = const { Cell::new(false) };
    /// Heap operations on this thread while armed.
    static COUNT: Cell<usize> = const { Cell::new(0) };
}

fn count() {
    if ARMED.try_with(Cell::get).unwrap_or(false) {
        let _ = COUNT.try_with(|c| c.set(c.get() + 1));
    }
}

// SAFETY: forwards every call to `System` unchanged; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: the caller's contract, passed on.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: the caller's contract, passed on.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        // SAFETY: the caller's contract, passed on.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        count();
        // SAFETY: the caller's contract, passed on.
        unsafe { System.dealloc(ptr, layout) }
    }
}

/// Arms the counter on this thread (from zero); disarms when dropped, also
/// when the code under test panics.
pub struct Armed;

impl Armed {
    /// Resets this thread's count and arms the counter.
    pub fn new() -> Self {
        COUNT.with(|c| c.set(0));
        ARMED.with(|a| a.set(true));
        Self
    }

    /// The heap operations counted on this thread since [`Armed::new`].
    pub fn count() -> usize {
        COUNT.with(Cell::get)
    }
}

impl Drop for Armed {
    fn drop(&mut self) {
        ARMED.with(|a| a.set(false));
    }
}

/// Runs `f` with the counter armed on this thread; returns its result and
/// the number of heap operations (allocations, reallocations, frees).
pub fn heap_ops_in<R>(f: impl FnOnce() -> R) -> (R, usize) {
    let armed = Armed::new();
    let r = f();
    drop(armed);
    (r, Armed::count())
}

/// Runs `f` with the counter armed on this thread and asserts that it
/// neither allocated nor freed.
#[track_caller]
pub fn no_alloc<R>(what: &str, f: impl FnOnce() -> R) -> R {
    let (r, n) = heap_ops_in(f);
    assert_eq!(n, 0, "{what}: {n} heap operations");
    r
}
