//! `/proc/net` lines printed the kernel's way (its `seq_printf` formats,
//! written out here independently of the parsers under test).

use std::net::IpAddr;

use zerosock::proc::{InetEntry, UnixEntry};

/// An IP address as the kernel prints it: each network-order 32-bit word as
/// the CPU reads it, `%08X`.
pub fn kernel_hex(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => format!("{:08X}", u32::from_ne_bytes(v4.octets())),
        IpAddr::V6(v6) => v6
            .octets()
            .chunks_exact(4)
            .map(|w| format!("{:08X}", u32::from_ne_bytes(w.try_into().unwrap())))
            .collect(),
    }
}

/// An entry printed as `tcp4_seq_show`/`tcp6_seq_show` print it.
pub fn kernel_inet_line(sl: u32, e: &InetEntry) -> String {
    format!(
        "{sl:4}: {}:{:04X} {}:{:04X} {:02X} {:08X}:{:08X} {:02X}:{:08X} {:08X} {:5} {:8} {} 1 0000000000000000 20 4 30 10 -1",
        kernel_hex(e.local.ip()),
        e.local.port(),
        kernel_hex(e.remote.ip()),
        e.remote.port(),
        e.st,
        e.tx_queue,
        e.rx_queue,
        e.timer.raw(),
        e.timer_when,
        e.retransmits,
        e.uid,
        e.timeout,
        e.inode
    )
}

/// A `/proc/net/unix` line as `unix_seq_show` prints it.
pub fn kernel_unix_line(ptr: u64, e: &UnixEntry) -> Vec<u8> {
    let mut line = format!(
        "{ptr:016X}: {:08X} {:08X} {:08X} {:04X} {:02X} {:5}",
        e.refcount,
        e.protocol,
        e.flags,
        e.socket_type.raw(),
        e.state.raw(),
        e.inode
    )
    .into_bytes();
    if !e.path_bytes().is_empty() {
        line.push(b' ');
        line.extend_from_slice(e.path_bytes());
    }
    line
}
