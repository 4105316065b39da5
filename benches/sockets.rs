//! Groups 1–5: the hot send/recv path of zerosock beside raw
//! libc, std, rustix, socket2 and nix, on the same sockets and payloads, in
//! one run, so that ratios are taken between neighbours.
//!
//! 1. `udp-connected`: connected UDP on 127.0.0.1, send 64 B + recv.
//! 2. `udp-unconnected-typed`: `send_to` a `SocketAddr` + `recv_from` with
//!    the source decoded, for every implementation; and
//!    `udp-unconnected-raw`: a prebuilt destination and kept source storage.
//! 3. `unix-dgram`: Unix datagram socketpair, send 64 B + recv.
//! 4. `tcp-rr`: TCP request/response, 64 B each way, the server echoing on
//!    a second thread.
//! 5. `tcp-bulk`: 1 MiB written in 64 KiB sends, read in 64 KiB recvs on a
//!    second thread, which acknowledges each MiB with one byte.
//!
//! Groups 1–3 share their code with the instruction-count harness
//! (`benches/instr`, a package of its own) through `benches/common/mod.rs`.

mod common;
mod crit;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

use crit::Bench;

fn datagrams(c: &mut Criterion) {
    for group in common::DGRAM_GROUPS {
        let mut g = c.benchmark_group(group);
        g.throughput(Throughput::Elements(1));
        common::group(group, &mut Bench(&mut g));
        g.finish();
    }
}

fn tcp(c: &mut Criterion) {
    let mut g = c.benchmark_group("tcp-rr");
    g.throughput(Throughput::Elements(1));
    common::tcp::tcp_rr(&mut Bench(&mut g));
    g.finish();

    let mut g = c.benchmark_group("tcp-bulk");
    g.throughput(Throughput::Bytes(common::tcp::BULK as u64));
    common::tcp::tcp_bulk(&mut Bench(&mut g));
    g.finish();
}

criterion_group! {
    name = benches;
    config = crit::config();
    targets = datagrams, tcp
}
criterion_main!(benches);
