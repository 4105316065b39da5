//! The failure cases and signals, each in one place: end of stream and
//! half close (`stream_end`), `EAGAIN` and state errors (`errors`),
//! `ECONNREFUSED`/`ECONNRESET` (`refused`), `EADDRINUSE` (`addr_in_use`),
//! `EPIPE` without `SIGPIPE` (`sigpipe`), and `EINTR` — from signal
//! handlers (`eintr`) and from a stop/continue of the process
//! (`stop_continue`).

#[path = "../common/mod.rs"]
mod common;

mod addr_in_use;
mod eintr;
mod error_conversions;
mod errors;
mod fork_copies;
mod refused;
mod sigpipe;
mod stop_continue;
mod stream_end;

use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::time::Duration;

use crate::common::sock::tcp;
use zerosock::Socket;
use zerosock::opt::TcpState;
use zerosock::proc::{InetEntries, InetTable, Process};

pub(crate) const LOCALHOST: SocketAddrV4 = SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0);
pub(crate) const BOUND: Duration = Duration::from_secs(10);

/// The TCP state of a socket, as `TCP_INFO` gives it.
pub(crate) fn state(socket: &Socket) -> TcpState {
    socket.tcp_info().unwrap().state().unwrap()
}

/// The TCP states of the sockets on local `port`, as this process's
/// `/proc/<pid>/net/tcp` shows them (TIME_WAIT sockets, owned by no fd,
/// appear only there).
pub(crate) fn states_on_port(port: u16) -> Vec<TcpState> {
    let mut buf = [0u8; 4096];
    InetEntries::open(Process::Current, InetTable::Tcp, &mut buf)
        .unwrap()
        .map(Result::unwrap)
        .filter(|e| e.local.port() == port)
        .map(|e| e.state().unwrap())
        .collect()
}

/// A listener on 127.0.0.1:0 and its address.
pub(crate) fn listener(backlog: i32) -> (Socket, SocketAddr) {
    let l = tcp();
    l.bind(&LOCALHOST).unwrap();
    l.listen(backlog).unwrap();
    let addr = l.local_addr().unwrap().socket_addr().unwrap();
    (l, addr)
}

/// A connected loopback TCP pair: (client, accepted server side, listener).
pub(crate) fn tcp_pair() -> (Socket, Socket, Socket) {
    let (l, addr) = listener(8);
    let client = tcp();
    client.connect(&addr).unwrap();
    let (server, _) = l.accept().unwrap();
    client.set_read_timeout(Some(BOUND)).unwrap();
    server.set_read_timeout(Some(BOUND)).unwrap();
    (client, server, l)
}

/// Whether this host has an IPv6 loopback; when not, the calling test
/// [`skip`](common::skip)s its IPv6 part, saying so.
pub(crate) fn has_v6() -> bool {
    match zerosock::TcpListener::bind((std::net::Ipv6Addr::LOCALHOST, 0)) {
        Ok(_) => true,
        Err(err) => {
            common::skip(&format!(
                "no IPv6 loopback on this host ({err}); IPv6 part not run"
            ));
            false
        }
    }
}
