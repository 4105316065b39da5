//! The option layouts against the C ABI: size, alignment and every field's
//! offset, checked against libc's definitions (glibc's headers) and, for
//! `tcp_info`, against linux-raw-sys (generated from the kernel's uapi
//! headers).

use std::mem::offset_of;

use crate::common::layout::same_layout;

use zerosock::opt::{IpMreq, IpMreqn, Ipv6Mreq, Linger, TcpInfo, TimeVal, UCred};

#[test]
fn linger_matches_libc() {
    same_layout!(Linger, libc::linger, { l_onoff, l_linger });
}

#[test]
fn timeval_matches_libc() {
    // On 32-bit targets the libc crate's `timeval` has a 32-bit `time_t`;
    // zerosock's is the 64-bit one the `_NEW` options take, checked below.
    #[cfg(target_pointer_width = "64")]
    same_layout!(TimeVal, libc::timeval, { tv_sec, tv_usec });
    same_layout!(TimeVal, linux_raw_sys::general::__kernel_sock_timeval, { tv_sec, tv_usec });
}

#[test]
fn ip_mreqn_and_ip_mreq_match_libc() {
    same_layout!(IpMreqn, libc::ip_mreqn, { imr_multiaddr, imr_address, imr_ifindex });
    same_layout!(IpMreq, libc::ip_mreq, { imr_multiaddr, imr_interface });
}

#[test]
fn ipv6_mreq_matches_libc() {
    same_layout!(Ipv6Mreq, libc::ipv6_mreq, { ipv6mr_multiaddr, ipv6mr_interface });
}

#[test]
fn ucred_matches_libc() {
    same_layout!(UCred, libc::ucred, { pid, uid, gid });
}

/// The fields both definitions share, by their common names.
macro_rules! tcp_info_fields {
    ($check:ident) => {
        $check!(
            tcpi_state,
            tcpi_ca_state,
            tcpi_retransmits,
            tcpi_probes,
            tcpi_backoff,
            tcpi_options,
            tcpi_rto,
            tcpi_ato,
            tcpi_snd_mss,
            tcpi_rcv_mss,
            tcpi_unacked,
            tcpi_sacked,
            tcpi_lost,
            tcpi_retrans,
            tcpi_fackets,
            tcpi_last_data_sent,
            tcpi_last_ack_sent,
            tcpi_last_data_recv,
            tcpi_last_ack_recv,
            tcpi_pmtu,
            tcpi_rcv_ssthresh,
            tcpi_rtt,
            tcpi_rttvar,
            tcpi_snd_ssthresh,
            tcpi_snd_cwnd,
            tcpi_advmss,
            tcpi_reordering,
            tcpi_rcv_rtt,
            tcpi_rcv_space,
            tcpi_total_retrans,
            tcpi_pacing_rate,
            tcpi_max_pacing_rate,
            tcpi_bytes_acked,
            tcpi_bytes_received,
            tcpi_segs_out,
            tcpi_segs_in,
            tcpi_notsent_bytes,
            tcpi_min_rtt,
            tcpi_data_segs_in,
            tcpi_data_segs_out,
            tcpi_delivery_rate,
            tcpi_busy_time,
            tcpi_rwnd_limited,
            tcpi_sndbuf_limited,
            tcpi_delivered,
            tcpi_delivered_ce,
            tcpi_bytes_sent,
            tcpi_bytes_retrans,
            tcpi_dsack_dups,
            tcpi_reord_seen,
            tcpi_rcv_ooopack,
            tcpi_snd_wnd,
            tcpi_rcv_wnd,
            tcpi_rehash,
            tcpi_total_rto,
            tcpi_total_rto_recoveries,
            tcpi_total_rto_time,
        )
    };
}

#[test]
fn tcp_info_matches_the_kernel_uapi_header() {
    use linux_raw_sys::net::tcp_info;
    // linux-raw-sys stops at tcpi_total_rto_time, as zerosock does.
    macro_rules! check {
        ($($field:ident),* $(,)?) => {
            same_layout!(TcpInfo, tcp_info, { $($field),* })
        };
    }
    tcp_info_fields!(check);
    // The two bitfield bytes.
    assert_eq!(
        offset_of!(TcpInfo, tcpi_wscale),
        offset_of!(tcp_info, _bitfield_1)
    );
    assert_eq!(
        offset_of!(TcpInfo, tcpi_flags),
        offset_of!(tcp_info, _bitfield_1) + 1
    );
}

#[test]
fn tcp_info_matches_libc_where_libc_defines_it() {
    use libc::tcp_info;
    // libc's struct goes on past tcpi_total_rto_time (the AccECN counters of
    // Linux 6.18); every field zerosock has sits at the same offset.
    macro_rules! check {
        ($($field:ident),* $(,)?) => {
            same_layout!(prefix TcpInfo, tcp_info, { $($field),* })
        };
    }
    tcp_info_fields!(check);
    assert_eq!(
        offset_of!(TcpInfo, tcpi_wscale),
        offset_of!(tcp_info, tcpi_snd_rcv_wscale)
    );
}

#[test]
fn tcp_info_bitfields_decode_as_the_kernel_packs_them() {
    // linux/tcp.h: `__u8 tcpi_snd_wscale : 4, tcpi_rcv_wscale : 4;` —
    // little-endian bitfields fill from the low bit.
    let mut raw = zeroed_tcp_info();
    raw._bitfield_1.set(0, 4, 9); // tcpi_snd_wscale
    raw._bitfield_1.set(4, 4, 7); // tcpi_rcv_wscale
    raw._bitfield_1.set(8, 1, 1); // tcpi_delivery_rate_app_limited
    raw._bitfield_1.set(9, 2, 2); // tcpi_fastopen_client_fail
    let bytes = raw._bitfield_1;
    let ours = TcpInfo {
        tcpi_wscale: bytes.get(0, 8) as u8,
        tcpi_flags: bytes.get(8, 8) as u8,
        ..TcpInfo::default()
    };
    assert_eq!((ours.snd_wscale(), ours.rcv_wscale()), (9, 7));
    assert!(ours.delivery_rate_app_limited());
    assert_eq!(ours.fastopen_client_fail(), 2);
}

fn zeroed_tcp_info() -> linux_raw_sys::net::tcp_info {
    // SAFETY: tcp_info is plain integers; all-zero is a valid value.
    unsafe { std::mem::zeroed() }
}
