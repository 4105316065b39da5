//! `IPPROTO_TCP` options: every typed option set and read back, the input
//! checks, and `TCP_INFO` on a live connection.

use std::net::SocketAddr;
use std::time::Duration;

use crate::common::sock::{flag_round_trip, invalid, tcp};
use zerosock::opt::{SOL_TCP, TCP_INFO, TcpInfo, TcpState};
use zerosock::{Errno, Error, Socket};

/// A connected pair on 127.0.0.1: (client, accepted, listener).
fn connected() -> (Socket, Socket, Socket) {
    let listener = tcp();
    listener.bind(&SocketAddr::from(([127, 0, 0, 1], 0))).unwrap();
    listener.listen(1).unwrap();
    let client = tcp();
    client.connect(&listener.local_addr().unwrap()).unwrap();
    let (server, _) = listener.accept().unwrap();
    (client, server, listener)
}

#[test]
fn flags_round_trip() {
    let s = tcp();
    assert!(!s.nodelay().unwrap());
    flag_round_trip(&s, Socket::nodelay, Socket::set_nodelay);
    assert!(!s.cork().unwrap());
    flag_round_trip(&s, Socket::cork, Socket::set_cork);
    // Quick-ACK mode is a current state, not a sticky setting, but on an
    // idle socket it reads back as set.
    flag_round_trip(&s, Socket::quickack, Socket::set_quickack);
}

#[test]
fn keepalive_timing_round_trips_and_is_range_checked() {
    let s = tcp();
    s.set_keepalive_time(Duration::from_secs(60)).unwrap();
    assert_eq!(s.keepalive_time().unwrap(), Duration::from_secs(60));
    s.set_keepalive_time(Duration::from_millis(1200)).unwrap();
    assert_eq!(s.keepalive_time().unwrap(), Duration::from_secs(2), "rounded up");
    s.set_keepalive_time(Duration::from_secs(32767)).unwrap();
    assert_eq!(s.keepalive_time().unwrap(), Duration::from_secs(32767));

    s.set_keepalive_interval(Duration::from_secs(10)).unwrap();
    assert_eq!(s.keepalive_interval().unwrap(), Duration::from_secs(10));
    s.set_keepalive_interval(Duration::from_nanos(1)).unwrap();
    assert_eq!(
        s.keepalive_interval().unwrap(),
        Duration::from_secs(1),
        "never rounded to zero"
    );

    s.set_keepalive_retries(5).unwrap();
    assert_eq!(s.keepalive_retries().unwrap(), 5);
    s.set_keepalive_retries(127).unwrap();
    assert_eq!(s.keepalive_retries().unwrap(), 127);

    for bad in [Duration::ZERO, Duration::from_secs(32768), Duration::MAX] {
        invalid(s.set_keepalive_time(bad));
        invalid(s.set_keepalive_interval(bad));
    }
    invalid(s.set_keepalive_retries(0));
    invalid(s.set_keepalive_retries(128));
    assert_eq!(s.keepalive_time().unwrap(), Duration::from_secs(32767));
    assert_eq!(s.keepalive_interval().unwrap(), Duration::from_secs(1));
    assert_eq!(s.keepalive_retries().unwrap(), 127);

    s.set_syn_retries(2).unwrap();
    assert_eq!(s.syn_retries().unwrap(), 2);
    invalid(s.set_syn_retries(0));
    invalid(s.set_syn_retries(128));
    assert_eq!(s.syn_retries().unwrap(), 2);
}

#[test]
fn user_timeout_round_trips_in_milliseconds() {
    let s = tcp();
    assert_eq!(s.tcp_user_timeout().unwrap(), None);
    s.set_tcp_user_timeout(Some(Duration::from_millis(1500))).unwrap();
    assert_eq!(s.tcp_user_timeout().unwrap(), Some(Duration::from_millis(1500)));
    s.set_tcp_user_timeout(Some(Duration::from_nanos(1))).unwrap();
    assert_eq!(s.tcp_user_timeout().unwrap(), Some(Duration::from_millis(1)));
    s.set_tcp_user_timeout(None).unwrap();
    assert_eq!(s.tcp_user_timeout().unwrap(), None);
    invalid(s.set_tcp_user_timeout(Some(Duration::ZERO)));
    invalid(s.set_tcp_user_timeout(Some(Duration::from_secs(u64::from(u32::MAX)))));
}

#[test]
fn defer_accept_reads_back_the_covering_retransmission_time() {
    let s = tcp();
    assert_eq!(s.tcp_defer_accept().unwrap(), None);
    // 7 s is exactly 3 SYN-ACK retransmissions (1 + 2 + 4 s).
    s.set_tcp_defer_accept(Some(Duration::from_secs(7))).unwrap();
    assert_eq!(s.tcp_defer_accept().unwrap(), Some(Duration::from_secs(7)));
    // 5 s needs the same 3 retransmissions, so it reads back as 7 s.
    s.set_tcp_defer_accept(Some(Duration::from_secs(5))).unwrap();
    assert_eq!(s.tcp_defer_accept().unwrap(), Some(Duration::from_secs(7)));
    s.set_tcp_defer_accept(None).unwrap();
    assert_eq!(s.tcp_defer_accept().unwrap(), None);
    invalid(s.set_tcp_defer_accept(Some(Duration::ZERO)));
}

#[test]
fn fastopen_and_mss_round_trip() {
    let s = tcp();
    assert_eq!(s.tcp_fastopen().unwrap(), 0);
    s.set_tcp_fastopen(16).unwrap();
    assert_eq!(s.tcp_fastopen().unwrap(), 16);
    invalid(s.set_tcp_fastopen(u32::MAX));

    let m = tcp();
    assert_eq!(m.mss().unwrap(), 536, "TCP_MSS_DEFAULT before connecting");
    m.set_mss(1000).unwrap();
    assert_eq!(m.mss().unwrap(), 1000);
    assert_eq!(
        m.set_mss(50),
        Err(Errno::INVAL),
        "below TCP_MIN_MSS: the kernel's own check"
    );
}

#[test]
fn congestion_control_by_name() {
    let s = tcp();
    let default = std::fs::read_to_string("/proc/sys/net/ipv4/tcp_congestion_control").unwrap();
    assert_eq!(s.tcp_congestion().unwrap().as_str(), default.trim());
    // reno is built into every kernel and always allowed.
    s.set_tcp_congestion("reno").unwrap();
    assert_eq!(s.tcp_congestion().unwrap().as_str(), "reno");
    assert_eq!(
        s.set_tcp_congestion("zs-no-such-cc"),
        Err(Error::Os(Errno::NOENT))
    );
    invalid(s.set_tcp_congestion(""));
    invalid(s.set_tcp_congestion("sixteen-bytes-ab"));
    invalid(s.set_tcp_congestion("re\0no"));
    assert_eq!(s.tcp_congestion().unwrap().as_str(), "reno");
}

#[test]
fn tcp_info_reports_each_side_s_state() {
    if crate::common::emulation::gap("TCP_INFO") {
        return;
    }
    let fresh = tcp();
    assert_eq!(fresh.tcp_info().unwrap().state(), Some(TcpState::Close));

    let (client, server, listener) = connected();
    assert_eq!(listener.tcp_info().unwrap().state(), Some(TcpState::Listen));
    for s in [&client, &server] {
        let info = s.tcp_info().unwrap();
        assert_eq!(info.state(), Some(TcpState::Established));
        assert!(info.tcpi_snd_mss > 0 && info.tcpi_rcv_mss > 0, "{info:?}");
    }
    client.send_all(b"hello").unwrap();
    let mut buf = [0; 5];
    server.recv_exact(&mut buf).unwrap();
    let info = client.tcp_info().unwrap();
    assert!(info.tcpi_bytes_acked >= 5 || info.tcpi_unacked > 0, "{info:?}");
    assert_eq!(server.tcp_info().unwrap().tcpi_bytes_received, 5);

    // After the client's FIN, the server sits in CLOSE_WAIT.
    client.shutdown(zerosock::Shutdown::Write).unwrap();
    assert_eq!(server.recv(&mut buf).unwrap(), 0);
    assert_eq!(server.tcp_info().unwrap().state(), Some(TcpState::CloseWait));
}

#[test]
fn tcp_info_is_filled_as_far_as_the_kernel_knows() {
    let (client, _server, _listener) = connected();
    let (info, len): (TcpInfo, _) = client.get_option_with_len(SOL_TCP, TCP_INFO).unwrap();
    let len = len.written;
    assert_eq!(info.state(), Some(TcpState::Established));
    // The kernel copies min(its size, ours): 248 on Linux 6.7 and later.
    assert!(len <= size_of::<TcpInfo>());
    let kernel = kernel_tcp_info_len(&client);
    assert_eq!(
        len,
        kernel.min(size_of::<TcpInfo>()),
        "kernel's struct is {kernel} bytes"
    );
}

/// How many bytes of `tcp_info` this kernel has, asked with a large buffer.
fn kernel_tcp_info_len(s: &Socket) -> usize {
    let mut big = [0u8; 1024];
    s.get_option_raw(SOL_TCP, TCP_INFO, &mut big).unwrap().written
}
