//! The instruction-count harness: runs one implementation of one datagram
//! group for N send+recv pairs, and nothing else, so that callgrind's
//! whole-program count at N and 2N pairs differs by exactly N pairs.
//! `ci/instructions.sh` drives it.
//!
//! ```text
//! instr <group> <implementation> <pairs>   # e.g. instr udp-connected zerosock 20000
//! instr                                    # smoke test: every pair of every group, a few times
//! ```
//!
//! A group name ending in `-mt` (`udp-connected-mt`) runs the same loop
//! with a second, parked thread alive: glibc's socket calls are
//! cancellation points and cost far more in a multi-threaded process, while
//! zerosock's and rustix's direct system calls do not change.
//!
//! Under `cargo test --benches` (no arguments) and `cargo bench` (`--bench`)
//! it runs the smoke test, which checks every implementation works.

mod common;

use common::{DGRAM_GROUPS, Pair, Visit, dgram_group};

/// Runs the implementation named `name` for `pairs` pairs.
struct One<'a> {
    name: &'a str,
    pairs: u64,
    found: bool,
}

impl Visit for One<'_> {
    fn visit<P: Pair>(&mut self, name: &str, make: impl FnOnce() -> P) {
        if name == self.name {
            self.found = true;
            run(&mut make(), self.pairs);
        }
    }
}

/// The measured loop; not inlined, so it shows as one entry in
/// `callgrind_annotate`.
#[inline(never)]
fn run<P: Pair>(p: &mut P, pairs: u64) {
    for _ in 0..pairs {
        p.pair();
    }
}

/// Runs every implementation a few times.
struct All(usize);

impl Visit for All {
    fn visit<P: Pair>(&mut self, _: &str, make: impl FnOnce() -> P) {
        run(&mut make(), 3);
        self.0 += 1;
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| !a.starts_with("--"))
        .collect();
    match args[..] {
        [] => {
            let mut all = All(0);
            for group in DGRAM_GROUPS {
                dgram_group(group, &mut all);
            }
            println!("instr: smoke test ran {} implementations: ok", all.0);
        }
        [group, name, pairs] => {
            let group = match group.strip_suffix("-mt") {
                Some(base) => {
                    // Parked until the process exits: it never runs again,
                    // but the process is multi-threaded from here on.
                    std::thread::spawn(std::thread::park);
                    base
                }
                None => group,
            };
            let pairs = pairs.parse().expect("pairs: a number");
            let mut one = One {
                name,
                pairs,
                found: false,
            };
            if !dgram_group(group, &mut one) || !one.found {
                eprintln!("instr: no implementation {name:?} in group {group:?} (groups: {DGRAM_GROUPS:?})");
                std::process::exit(2);
            }
        }
        _ => {
            eprintln!("usage: instr [<group> <implementation> <pairs>]");
            std::process::exit(2);
        }
    }
}
