//! MQTT through a real broker, zerosock beside the std baselines, in one
//! run: the flows of `tests/embedded` (minimq 0.13 on embedded-io-async /
//! embedded-nal-async; minimq 0.10 on the blocking embedded-nal), each on
//! zerosock's stacks and on std-embedded-nal(-async), against one mosquitto
//! broker on 127.0.0.1 started here. Prints messages per second (lock
//! step: publish one QoS 0 message, receive it back through the broker),
//! the ratio zerosock/std, and the heap operations on the flow's thread
//! while the messages went round (zerosock: 0).
//!
//! ```text
//! cargo bench --features embedded-async --bench embedded_mqtt   # 5 rounds of 2000 messages
//! cargo test --features embedded-async --bench embedded_mqtt    # smoke: 1 round of 50
//! ```
//!
//! Wall-clock figures from a shared machine: compare the ratio within one
//! run, not across runs. The blocking flows poll (minimq 0.10's `poll` is
//! non-blocking by design) with a 100 µs sleep between idle polls, the same
//! for both stacks.

mod common {
    #[path = "../../tests/common/alloc.rs"]
    #[allow(dead_code)]
    pub mod alloc;
    #[path = "../../tests/common/procs.rs"]
    #[allow(dead_code)]
    pub mod procs;
}

#[path = "../tests/embedded/broker.rs"]
mod broker;
#[path = "../tests/embedded/mqtt_flows.rs"]
mod mqtt_flows;

use std::time::Duration;

use mqtt_flows::{Figures, minimq_async, minimq_blocking};
use zerosock::embedded::{AsyncStack, Reactor, Stack, block_on};

#[global_allocator]
static GLOBAL: common::alloc::Counting = common::alloc::Counting;

fn report(name: &str, runs: &[Figures]) -> f64 {
    let mut rates: Vec<f64> = runs.iter().map(Figures::per_second).collect();
    rates.sort_by(f64::total_cmp);
    let median = rates[rates.len() / 2];
    let heap: Vec<usize> = runs.iter().map(|f| f.heap_ops).collect();
    println!(
        "{name:<40} {median:>10.0} msg/s (median of {}; {} messages each), heap ops per run {heap:?}",
        runs.len(),
        runs[0].messages
    );
    median
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let (rounds, n) = if full { (5, 2000) } else { (1, 50) };
    let broker = match broker::Mosquitto::start("bench") {
        Ok(b) => b,
        Err(why) => {
            eprintln!("SKIPPED embedded_mqtt bench: {why}");
            return;
        }
    };
    let bound = Duration::from_secs(120);
    let (mut zs_async, mut std_async, mut zs_nal, mut std_nal) = (vec![], vec![], vec![], vec![]);
    for round in 0..rounds {
        let reactor = Reactor::<4>::new().unwrap();
        let stack = AsyncStack::new(&reactor);
        zs_async.push(
            block_on(
                &reactor,
                minimq_async(&stack, broker.addr, n, &format!("zs-a{round}")),
            )
            .unwrap(),
        );
        let stack = std_embedded_nal_async::Stack::default();
        std_async.push(async_io::block_on(minimq_async(
            &stack,
            broker.addr,
            n,
            &format!("std-a{round}"),
        )));
        zs_nal.push(minimq_blocking(
            Stack::new(),
            broker.addr,
            n,
            &format!("zs-n{round}"),
            bound,
        ));
        std_nal.push(minimq_blocking(
            std_embedded_nal::Stack,
            broker.addr,
            n,
            &format!("std-n{round}"),
            bound,
        ));
    }
    println!("MQTT 5 through mosquitto on 127.0.0.1, lock step, QoS 0, 32-byte payloads");
    let a = report("minimq 0.13 on zerosock (async)", &zs_async);
    let b = report("minimq 0.13 on std-embedded-nal-async", &std_async);
    let c = report("minimq 0.10 on zerosock (embedded-nal)", &zs_nal);
    let d = report("minimq 0.10 on std-embedded-nal", &std_nal);
    println!("ratio zerosock/std, async:    {:.2}", a / b);
    println!("ratio zerosock/std, blocking: {:.2}", c / d);
    assert!(
        zs_async.iter().chain(&zs_nal).all(|f| f.heap_ops == 0),
        "zerosock allocated"
    );
}
