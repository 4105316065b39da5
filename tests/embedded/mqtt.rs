//! Unchanged clients from crates.io on zerosock against a real broker
//! (mosquitto on 127.0.0.1, started by the test), and the same flows on the
//! std baselines in the same run.

use std::time::Duration;

use zerosock::embedded::{AsyncStack, Reactor, Stack, block_on};

use crate::broker::Mosquitto;
use crate::common::skip;
use crate::mqtt_flows::{minimq_async, minimq_blocking};

const MESSAGES: usize = 200;

/// A broker is ready when its own socket listens, not when something
/// answers on its port: with another listener there, mosquitto cannot bind
/// it and `start_on` must say so. (With a TCP probe for readiness it
/// reported a broker on the other socket's port ready: the riscv64
/// ECONNREFUSED, see `Mosquitto::start_on`.)
#[test]
fn a_broker_is_not_ready_on_another_sockets_listener() {
    let other = std::net::TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, 0)).unwrap();
    let port = other.local_addr().unwrap().port();
    match Mosquitto::start_on("taken", port, 0) {
        Ok(broker) => panic!(
            "a broker reported ready on a port another socket listens on: {}",
            broker.addr
        ),
        Err(why) if why.contains("not installed") => skip(&why),
        Err(why) => assert!(why.contains("exited"), "{why}"),
    }
}

#[test]
fn minimq_async_on_zerosock_through_mosquitto() {
    let broker = match Mosquitto::start("async") {
        Ok(b) => b,
        Err(why) => return skip(&why),
    };
    let reactor = Reactor::<4>::new().unwrap();
    let stack = AsyncStack::new(&reactor);
    let figures = block_on(&reactor, minimq_async(&stack, broker.addr, MESSAGES, "zs-async")).unwrap();
    assert_eq!(figures.messages, MESSAGES);
    assert_eq!(
        figures.heap_ops, 0,
        "zerosock + minimq allocated while messages flowed"
    );
    assert_eq!(reactor.registered(), 0);
}

#[test]
fn minimq_async_on_std_embedded_nal_async_through_mosquitto() {
    let broker = match Mosquitto::start("std-async") {
        Ok(b) => b,
        Err(why) => return skip(&why),
    };
    let stack = std_embedded_nal_async::Stack::default();
    let figures = async_io::block_on(minimq_async(&stack, broker.addr, MESSAGES, "std-async"));
    assert_eq!(figures.messages, MESSAGES);
    // The baseline's count, to show the counter counts (not asserted).
    eprintln!(
        "std-embedded-nal-async: {} heap operations for {MESSAGES} messages",
        figures.heap_ops
    );
}

#[test]
fn minimq_blocking_on_zerosock_through_mosquitto() {
    let broker = match Mosquitto::start("nal") {
        Ok(b) => b,
        Err(why) => return skip(&why),
    };
    let figures = minimq_blocking(
        Stack::new(),
        broker.addr,
        MESSAGES,
        "zs-nal",
        Duration::from_secs(30),
    );
    assert_eq!(figures.messages, MESSAGES);
    assert_eq!(
        figures.heap_ops, 0,
        "zerosock + minimq 0.10 allocated while messages flowed"
    );
}

#[test]
fn minimq_blocking_on_std_embedded_nal_through_mosquitto() {
    let broker = match Mosquitto::start("std-nal") {
        Ok(b) => b,
        Err(why) => return skip(&why),
    };
    let figures = minimq_blocking(
        std_embedded_nal::Stack,
        broker.addr,
        MESSAGES,
        "std-nal",
        Duration::from_secs(30),
    );
    assert_eq!(figures.messages, MESSAGES);
}
