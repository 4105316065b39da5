//! A criterion-free harness over the implementations of `benches/common`
//! (shared with the criterion benches), built as a package of its own (see
//! its `Cargo.toml`: zerosock's no_std build, every peer with LTO), with two
//! jobs:
//!
//! ```text
//! instr <group> <implementation> <pairs>   # one implementation, N pairs, nothing else
//! instr ratios [<group>|all] [<rounds>]    # interleaved wall-clock ratios to libc
//! instr                                    # smoke test: every implementation, a few pairs
//! ```
//!
//! The groups are `common::INSTR_GROUPS`; in `batch-recv` and `batch-send`
//! one "pair" is one batch of `common::batch::BATCH` datagrams.
//!
//! **Instruction counts.** The first form runs one implementation of one
//! group for N pairs and nothing else, so that callgrind's whole-program
//! count at N and 2N pairs differs by exactly N pairs (`ci/instructions.sh`).
//! A group name ending in `-mt` (`udp-connected-mt`) runs the same loop with
//! a second, parked thread alive: glibc's socket calls are cancellation
//! points and cost far more in a multi-threaded process, while zerosock's
//! and rustix's direct system calls do not change.
//!
//! **Interleaved ratios.** On a shared, loaded machine, criterion's
//! benchmarks run one after another and the load drifts between them. The
//! `ratios` form builds every implementation of a group once, then runs
//! `rounds` rounds; in each round every implementation runs for about 20 ms,
//! in an order rotated from round to round, and its time is divided by
//! libc's *from the same round*. It prints each implementation's median
//! ratio with the quartiles and extremes over the rounds, and calls the
//! difference from libc a result only when every round's ratio lies on the
//! same side of 1.0.
//!
//! With no arguments (as `ci/benches.sh` runs it) it runs the smoke test.

#![allow(unsafe_code)]

#[path = "../../common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::{INSTR_GROUPS, Pair, Visit, group};

/// The measured loop; not inlined, so it shows as one entry in
/// `callgrind_annotate`.
#[inline(never)]
fn run<P: Pair>(p: &mut P, pairs: u64) {
    for _ in 0..pairs {
        p.pair();
    }
}

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

/// Runs every implementation a few times.
struct All(usize);

impl Visit for All {
    fn visit<P: Pair>(&mut self, _: &str, make: impl FnOnce() -> P) {
        run(&mut make(), 3);
        self.0 += 1;
    }
}

/// Keeps every implementation of a group, built, behind one call.
type Runner = Box<dyn FnMut(u64)>;

struct Collect(Vec<(String, Runner)>);

impl Visit for Collect {
    fn visit<P: Pair>(&mut self, name: &str, make: impl FnOnce() -> P) {
        let mut p = make();
        self.0.push((name.to_owned(), Box::new(move |n| run(&mut p, n))));
    }
}

/// Time per round and implementation.
const SLICE: Duration = Duration::from_millis(20);

fn quantile(sorted: &[f64], q: f64) -> f64 {
    let i = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (i.floor() as usize, i.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (i - lo as f64)
}

/// The `ratios` form for one group.
fn ratios(name: &str, rounds: usize) {
    let mut impls = Collect(Vec::new());
    group(name, &mut impls);
    let mut impls = impls.0;
    let base = impls
        .iter()
        .position(|(n, _)| n == "libc")
        .expect("every group has libc");

    // Calibrate: pairs per slice, from a short timed run of each.
    let mut pairs = Vec::new();
    for (_, f) in &mut impls {
        f(10);
        let mut n = 10u64;
        loop {
            let start = Instant::now();
            f(n);
            let took = start.elapsed();
            if took >= SLICE / 4 || n >= 1 << 24 {
                let per = took.as_secs_f64() / n as f64;
                pairs.push(((SLICE.as_secs_f64() / per) as u64).max(1));
                break;
            }
            n *= 4;
        }
    }

    // per_round[k][i]: implementation i's time per pair in round k.
    let count = impls.len();
    let per_round: Vec<Vec<f64>> = (0..rounds)
        .map(|round| {
            let mut times = vec![0f64; count];
            for k in 0..count {
                let i = (k + round) % count;
                let start = Instant::now();
                (impls[i].1)(pairs[i]);
                times[i] = start.elapsed().as_secs_f64() / pairs[i] as f64;
            }
            times
        })
        .collect();
    for (i, (impl_name, _)) in impls.iter().enumerate() {
        let mut r: Vec<f64> = per_round.iter().map(|t| t[i] / t[base]).collect();
        r.sort_by(f64::total_cmp);
        let verdict = if i == base {
            "base"
        } else if r[rounds - 1] < 1.0 {
            "faster"
        } else if r[0] > 1.0 {
            "slower"
        } else {
            "no-result"
        };
        println!(
            "{name} {impl_name} median {:.3} quartiles {:.3}-{:.3} range {:.3}-{:.3} rounds {rounds} {verdict}",
            quantile(&r, 0.5),
            quantile(&r, 0.25),
            quantile(&r, 0.75),
            r[0],
            r[rounds - 1],
        );
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
            for name in INSTR_GROUPS {
                group(name, &mut all);
            }
            println!("instr: smoke test ran {} implementations: ok", all.0);
        }
        ["ratios", ref rest @ ..] => {
            let which = rest.first().copied().unwrap_or("all");
            let rounds = rest.get(1).map_or(31, |r| r.parse().expect("rounds: a number"));
            assert!(rounds > 0, "rounds: at least 1");
            for name in INSTR_GROUPS.into_iter().filter(|g| which == "all" || which == *g) {
                ratios(name, rounds);
            }
        }
        [name, implementation, pairs] => {
            let name = match name.strip_suffix("-mt") {
                Some(base) => {
                    // Parked until the process exits: it never runs again,
                    // but the process is multi-threaded from here on.
                    std::thread::spawn(std::thread::park);
                    base
                }
                None => name,
            };
            let pairs = pairs.parse().expect("pairs: a number");
            let mut one = One {
                name: implementation,
                pairs,
                found: false,
            };
            if !INSTR_GROUPS.contains(&name) || !group(name, &mut one) || !one.found {
                eprintln!(
                    "instr: no implementation {implementation:?} in group {name:?} (groups: {INSTR_GROUPS:?})"
                );
                std::process::exit(2);
            }
        }
        _ => {
            eprintln!("usage: instr [<group> <implementation> <pairs> | ratios [<group>|all] [<rounds>]]");
            std::process::exit(2);
        }
    }
}
