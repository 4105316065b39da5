//! `struct tcp_info` (the value of `TCP_INFO`) written out by hand, and the
//! TCP state it reports.

use core::fmt;

/// `struct tcp_info` from linux/tcp.h: what the kernel knows about one TCP
/// connection, the value of `TCP_INFO` ([`Socket::tcp_info`]).
///
/// The layout holds every field through `tcpi_total_rto_time` (Linux 6.7,
/// 248 bytes). The kernel copies `min(its size, ours)` bytes, so:
/// an older kernel fills fewer fields and the rest read **zero** (e.g.
/// `tcpi_rcv_wnd`, `tcpi_rehash` and the `tcpi_total_rto*` fields before 6.7;
/// [`Socket::get_option_with_len`] tells how many bytes were written), and a
/// newer kernel's extra tail (the AccECN counters of Linux 6.18, whose
/// layout was still changing between releases) is not read — use
/// [`Socket::get_option_raw`] with a larger buffer for it.
///
/// The two C bitfields are kept as bytes, with accessors:
/// `tcpi_snd_wscale:4, tcpi_rcv_wscale:4` is [`tcpi_wscale`](Self::tcpi_wscale),
/// and `tcpi_delivery_rate_app_limited:1, tcpi_fastopen_client_fail:2` is
/// [`tcpi_flags`](Self::tcpi_flags).
///
/// ```
/// use zerosock::opt::{TcpInfo, TcpState};
/// let info = TcpInfo { tcpi_state: 1, tcpi_wscale: 0x7a, ..TcpInfo::default() };
/// assert_eq!(info.state(), Some(TcpState::Established));
/// assert_eq!((info.snd_wscale(), info.rcv_wscale()), (10, 7));
/// assert_eq!(core::mem::size_of::<TcpInfo>(), 248);
/// ```
///
/// # References
/// - [tcp(7)](https://man7.org/linux/man-pages/man7/tcp.7.html)
///
/// [`Socket::tcp_info`]: crate::Socket::tcp_info
/// [`Socket::get_option_with_len`]: crate::Socket::get_option_with_len
/// [`Socket::get_option_raw`]: crate::Socket::get_option_raw
#[doc(alias = "tcp_info")]
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct TcpInfo {
    /// The connection's state: see [`state`](Self::state).
    pub tcpi_state: u8,
    /// Congestion-avoidance state (`TCP_CA_Open`, …).
    pub tcpi_ca_state: u8,
    /// Unrecovered retransmission timeouts so far (`icsk_retransmits`).
    pub tcpi_retransmits: u8,
    /// Unanswered zero-window or keep-alive probes.
    pub tcpi_probes: u8,
    /// Exponential backoff of the retransmission timer.
    pub tcpi_backoff: u8,
    /// `TCPI_OPT_*` bits: timestamps, SACK, window scaling, ECN, …
    pub tcpi_options: u8,
    /// `tcpi_snd_wscale:4` (low nibble), `tcpi_rcv_wscale:4` (high nibble).
    pub tcpi_wscale: u8,
    /// `tcpi_delivery_rate_app_limited:1` (bit 0),
    /// `tcpi_fastopen_client_fail:2` (bits 1–2).
    pub tcpi_flags: u8,

    /// Retransmission timeout, µs.
    pub tcpi_rto: u32,
    /// Delayed-ACK timeout, µs.
    pub tcpi_ato: u32,
    /// Current sending maximum segment size, bytes.
    pub tcpi_snd_mss: u32,
    /// Estimated maximum segment size of the peer, bytes.
    pub tcpi_rcv_mss: u32,

    /// Segments sent and not yet acknowledged; on a listener, the
    /// connections waiting to be accepted.
    pub tcpi_unacked: u32,
    /// Segments selectively acknowledged (SACK); on a listener, its backlog
    /// limit.
    pub tcpi_sacked: u32,
    /// Segments considered lost.
    pub tcpi_lost: u32,
    /// Segments retransmitted and not yet acknowledged.
    pub tcpi_retrans: u32,
    /// Forward-acknowledged segments (unused since Linux 4.15; 0).
    pub tcpi_fackets: u32,

    /// Time since data was last sent, ms.
    pub tcpi_last_data_sent: u32,
    /// Time since the last ACK was sent, ms (not tracked: 0).
    pub tcpi_last_ack_sent: u32,
    /// Time since data was last received, ms.
    pub tcpi_last_data_recv: u32,
    /// Time since an ACK was last received, ms.
    pub tcpi_last_ack_recv: u32,

    /// Path MTU, bytes.
    pub tcpi_pmtu: u32,
    /// Receive-window slow-start threshold (the window clamp), bytes.
    pub tcpi_rcv_ssthresh: u32,
    /// Smoothed round-trip time, µs.
    pub tcpi_rtt: u32,
    /// Round-trip time variance, µs.
    pub tcpi_rttvar: u32,
    /// Slow-start threshold, segments.
    pub tcpi_snd_ssthresh: u32,
    /// Congestion window, segments.
    pub tcpi_snd_cwnd: u32,
    /// Maximum segment size advertised to the peer, bytes.
    pub tcpi_advmss: u32,
    /// Reordering metric: how far out of order segments may arrive.
    pub tcpi_reordering: u32,

    /// Round-trip time as the receiver estimates it, µs.
    pub tcpi_rcv_rtt: u32,
    /// Receive-buffer autotuning's space estimate, bytes.
    pub tcpi_rcv_space: u32,

    /// Segments retransmitted over the connection's life.
    pub tcpi_total_retrans: u32,

    /// Current pacing rate, bytes per second.
    pub tcpi_pacing_rate: u64,
    /// Pacing-rate cap (`SO_MAX_PACING_RATE`), bytes per second.
    pub tcpi_max_pacing_rate: u64,
    /// Bytes acknowledged by the peer (RFC 4898 `tcpEStatsAppHCThruOctetsAcked`).
    pub tcpi_bytes_acked: u64,
    /// Bytes received in order (RFC 4898 `tcpEStatsAppHCThruOctetsReceived`).
    pub tcpi_bytes_received: u64,
    /// Segments sent, retransmissions included (RFC 4898 `tcpEStatsPerfSegsOut`).
    pub tcpi_segs_out: u32,
    /// Segments received (RFC 4898 `tcpEStatsPerfSegsIn`).
    pub tcpi_segs_in: u32,

    /// Bytes written and not yet sent.
    pub tcpi_notsent_bytes: u32,
    /// Minimum round-trip time seen, µs.
    pub tcpi_min_rtt: u32,
    /// Segments received that carried data (RFC 4898 `tcpEStatsDataSegsIn`).
    pub tcpi_data_segs_in: u32,
    /// Segments sent that carried data (RFC 4898 `tcpEStatsDataSegsOut`).
    pub tcpi_data_segs_out: u32,

    /// Most recent delivery rate, bytes per second.
    pub tcpi_delivery_rate: u64,

    /// Time spent sending (not idle), µs.
    pub tcpi_busy_time: u64,
    /// Time limited by the peer's receive window, µs.
    pub tcpi_rwnd_limited: u64,
    /// Time limited by the send buffer, µs.
    pub tcpi_sndbuf_limited: u64,

    /// Segments delivered to the peer, retransmissions included.
    pub tcpi_delivered: u32,
    /// Delivered segments the peer saw marked with ECN CE.
    pub tcpi_delivered_ce: u32,

    /// Bytes sent, retransmissions included (RFC 4898 `tcpEStatsPerfHCDataOctetsOut`).
    pub tcpi_bytes_sent: u64,
    /// Bytes retransmitted (RFC 4898 `tcpEStatsPerfOctetsRetrans`).
    pub tcpi_bytes_retrans: u64,
    /// Duplicate segments reported by D-SACK (RFC 4898 `tcpEStatsStackDSACKDups`).
    pub tcpi_dsack_dups: u32,
    /// Reordering events seen.
    pub tcpi_reord_seen: u32,

    /// Out-of-order segments received.
    pub tcpi_rcv_ooopack: u32,

    /// The peer's advertised receive window, bytes.
    pub tcpi_snd_wnd: u32,
    /// The local receive window, bytes (Linux 6.2).
    pub tcpi_rcv_wnd: u32,

    /// PLB or timeout-triggered rehashes (Linux 6.2).
    pub tcpi_rehash: u32,

    /// Retransmission timeouts over the connection's life (Linux 6.7).
    pub tcpi_total_rto: u16,
    /// Recoveries from retransmission timeouts (Linux 6.7).
    pub tcpi_total_rto_recoveries: u16,
    /// Time spent recovering from retransmission timeouts, ms, the current one included (Linux 6.7).
    pub tcpi_total_rto_time: u32,
}

// No padding anywhere: the size is the sum of the fields (8 bytes, 24 × u32,
// then the rest as laid out). `Pod` (src/sys/opt.rs) relies on it.
const _: () = assert!(size_of::<TcpInfo>() == 248 && align_of::<TcpInfo>() == 8);

impl TcpInfo {
    /// The connection's state, if the kernel reported one zerosock knows.
    #[must_use]
    pub const fn state(&self) -> Option<TcpState> {
        TcpState::from_raw(self.tcpi_state)
    }

    /// The send window scale (`tcpi_snd_wscale`).
    #[must_use]
    pub const fn snd_wscale(&self) -> u8 {
        self.tcpi_wscale & 0x0f
    }

    /// The receive window scale (`tcpi_rcv_wscale`).
    #[must_use]
    pub const fn rcv_wscale(&self) -> u8 {
        self.tcpi_wscale >> 4
    }

    /// `tcpi_delivery_rate_app_limited`.
    #[must_use]
    pub const fn delivery_rate_app_limited(&self) -> bool {
        self.tcpi_flags & 1 != 0
    }

    /// `tcpi_fastopen_client_fail` (0–3).
    #[must_use]
    pub const fn fastopen_client_fail(&self) -> u8 {
        (self.tcpi_flags >> 1) & 0b11
    }
}

/// A TCP connection state, as `tcpi_state` and `/proc/net/tcp` report it
/// (the kernel's `TCP_ESTABLISHED` … from include/net/tcp_states.h).
///
/// ```
/// use zerosock::opt::TcpState;
/// assert_eq!(TcpState::from_raw(10), Some(TcpState::Listen));
/// assert_eq!(format!("{}", TcpState::TimeWait), "TIME_WAIT");
/// assert_eq!(TcpState::from_raw(0), None);
/// ```
///
/// # References
/// - [tcp(7)](https://man7.org/linux/man-pages/man7/tcp.7.html)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum TcpState {
    /// `TCP_ESTABLISHED`.
    #[doc(alias = "TCP_ESTABLISHED")]
    Established = 1,
    /// `TCP_SYN_SENT`.
    #[doc(alias = "TCP_SYN_SENT")]
    SynSent = 2,
    /// `TCP_SYN_RECV`.
    #[doc(alias = "TCP_SYN_RECV")]
    SynRecv = 3,
    /// `TCP_FIN_WAIT1`.
    #[doc(alias = "TCP_FIN_WAIT1")]
    FinWait1 = 4,
    /// `TCP_FIN_WAIT2`.
    #[doc(alias = "TCP_FIN_WAIT2")]
    FinWait2 = 5,
    /// `TCP_TIME_WAIT`.
    #[doc(alias = "TCP_TIME_WAIT")]
    TimeWait = 6,
    /// `TCP_CLOSE`: closed, or not yet connected.
    #[doc(alias = "TCP_CLOSE")]
    Close = 7,
    /// `TCP_CLOSE_WAIT`.
    #[doc(alias = "TCP_CLOSE_WAIT")]
    CloseWait = 8,
    /// `TCP_LAST_ACK`.
    #[doc(alias = "TCP_LAST_ACK")]
    LastAck = 9,
    /// `TCP_LISTEN`.
    #[doc(alias = "TCP_LISTEN")]
    Listen = 10,
    /// `TCP_CLOSING`.
    #[doc(alias = "TCP_CLOSING")]
    Closing = 11,
    /// `TCP_NEW_SYN_RECV`: a request socket (a connection not yet accepted).
    #[doc(alias = "TCP_NEW_SYN_RECV")]
    NewSynRecv = 12,
    /// `TCP_BOUND_INACTIVE`: bound, neither connected nor listening (Linux 6.6).
    #[doc(alias = "TCP_BOUND_INACTIVE")]
    BoundInactive = 13,
}

impl TcpState {
    /// The state with kernel number `raw`, if there is one.
    #[must_use]
    pub const fn from_raw(raw: u8) -> Option<Self> {
        Some(match raw {
            1 => Self::Established,
            2 => Self::SynSent,
            3 => Self::SynRecv,
            4 => Self::FinWait1,
            5 => Self::FinWait2,
            6 => Self::TimeWait,
            7 => Self::Close,
            8 => Self::CloseWait,
            9 => Self::LastAck,
            10 => Self::Listen,
            11 => Self::Closing,
            12 => Self::NewSynRecv,
            13 => Self::BoundInactive,
            _ => return None,
        })
    }

    /// The kernel's number for this state.
    #[must_use]
    pub const fn raw(self) -> u8 {
        self as u8
    }

    /// The kernel's name for the state, without the `TCP_` prefix (`ESTABLISHED`);
    /// [`ss_name`](Self::ss_name) gives the shorter names `ss` prints.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Established => "ESTABLISHED",
            Self::SynSent => "SYN_SENT",
            Self::SynRecv => "SYN_RECV",
            Self::FinWait1 => "FIN_WAIT1",
            Self::FinWait2 => "FIN_WAIT2",
            Self::TimeWait => "TIME_WAIT",
            Self::Close => "CLOSE",
            Self::CloseWait => "CLOSE_WAIT",
            Self::LastAck => "LAST_ACK",
            Self::Listen => "LISTEN",
            Self::Closing => "CLOSING",
            Self::NewSynRecv => "NEW_SYN_RECV",
            Self::BoundInactive => "BOUND_INACTIVE",
        }
    }
}

impl fmt::Display for TcpState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
