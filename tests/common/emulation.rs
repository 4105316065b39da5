//! Running under qemu-user, and the qemu-user gaps that make a test
//! meaningless there: the ONE place that lists them (issue 14).
//!
//! A test that meets a gap calls [`gap`] with the gap's name first thing:
//!
//! ```ignore
//! if common::emulation::gap("SO_MARK") { return; }
//! ```
//!
//! Natively `gap` returns `false` and the test runs. Under emulation it
//! prints `SKIPPED: qemu-user: <what qemu does>` through [`super::skip`] and
//! returns `true`. Only the names in [`GAPS`] exist; any other name panics,
//! so nothing else can be skipped this way.
//!
//! How emulation is detected: qemu-user answers `uname` with the guest's
//! machine and fakes a few `/proc/self` files, but passes
//! `/proc/sys/kernel/arch` (Linux 6.1+) through from the real kernel. So
//! the test binary's architecture differing from the kernel's means
//! emulation, whoever started the process (the cargo runner, binfmt_misc
//! for a re-executed test binary or a child). Kernels before 6.1 lack the
//! file: there `ZEROSOCK_EMULATED=1`, which ci/cross.sh sets, says so.

use std::sync::OnceLock;

/// The known qemu-user gaps, by name, with what qemu does instead of the
/// kernel: issue 14's list (seen with qemu 7.2 and 10.0), then those found
/// with qemu 10.0 (Debian bookworm-backports) while porting.
pub const GAPS: &[(&str, &str)] = &[
    (
        "SO_TIMESTAMPNS",
        "setsockopt(SO_TIMESTAMPNS) fails with ENOPROTOOPT",
    ),
    ("SO_RXQ_OVFL", "setsockopt(SO_RXQ_OVFL) fails with ENOPROTOOPT"),
    ("SO_MARK", "setsockopt(SO_MARK) fails with ENOPROTOOPT"),
    ("SO_BUSY_POLL", "setsockopt(SO_BUSY_POLL) fails with ENOPROTOOPT"),
    (
        "SO_INCOMING_CPU",
        "setsockopt(SO_INCOMING_CPU) fails with ENOPROTOOPT",
    ),
    ("SO_ZEROCOPY", "setsockopt(SO_ZEROCOPY) fails with ENOPROTOOPT"),
    (
        "IP_TRANSPARENT",
        "setsockopt(IP_TRANSPARENT) fails with ENOPROTOOPT",
    ),
    (
        "IP_BIND_ADDRESS_NO_PORT",
        "getsockopt/setsockopt(IP_BIND_ADDRESS_NO_PORT) fail",
    ),
    (
        "IPV6_MULTICAST_IF",
        "getsockopt/setsockopt(IPV6_MULTICAST_IF) fail",
    ),
    (
        "IP_MTU",
        "getsockopt(IP_MTU) gives ENOPROTOOPT where the kernel gives ENOTCONN",
    ),
    ("SO_COOKIE", "getsockopt(SO_COOKIE) fails with EINVAL"),
    ("TCP_INFO", "getsockopt(TCP_INFO) is truncated to 4 bytes"),
    (
        "SCM_TIMESTAMPNS",
        "no SCM_TIMESTAMPNS control message ever arrives",
    ),
    (
        "MSG_CTRUNC",
        "a truncated SCM_RIGHTS receive does not set MSG_CTRUNC",
    ),
    (
        "strace",
        "strace traces the host's system calls (qemu's), not the guest's",
    ),
    // Found while porting (issue 14), beyond the issue's list; each fails the
    // same way for the x86_64 test binary under qemu-x86_64, and its cause
    // shows in QEMU_STRACE=1 output.
    (
        "IP_MULTICAST_IF",
        "getsockopt(IP_MULTICAST_IF) fails with ENOPROTOOPT",
    ),
    (
        "SO_BINDTODEVICE",
        "getsockopt(SO_BINDTODEVICE) fails with EINVAL once a device is bound",
    ),
    (
        "ip_mreqn",
        "IP_ADD_MEMBERSHIP with a 12-byte ip_mreqn: qemu's target_ip_mreqn has a long index (16 bytes on 64-bit guests), so the index the kernel gets is whatever was on qemu's stack",
    ),
    ("IP_RECVTTL", "getsockopt(IP_RECVTTL) fails with ENOPROTOOPT"),
    (
        "SCM_RIGHTS fds beyond the buffer",
        "a truncated SCM_RIGHTS receive leaves open the fds that did not fit",
    ),
    (
        "PR_GET_AUXV",
        "prctl(PR_GET_AUXV) fails, so rustix reads /proc/self/auxv into a heap buffer at the first clock_gettime",
    ),
    // Found re-porting onto the restructured tree (issue 14, branch arch2).
    (
        "epoll_pwait2",
        "epoll_pwait2 fails with ENOSYS, so epoll waits fall back to epoll_pwait",
    ),
    (
        "/proc/PID/syscall",
        "/proc/<pid>/task/<tid>/syscall shows qemu's host system call and numbers, not the guest's",
    ),
    (
        "NETLINK_SOCK_DIAG",
        "socket(AF_NETLINK) fails with EPROTONOSUPPORT for any protocol but NETLINK_ROUTE, NETLINK_KOBJECT_UEVENT and NETLINK_AUDIT",
    ),
    (
        "RTM_NEWNEIGH",
        "rtnetlink messages other than links, addresses and routes (neighbours) fail with EOPNOTSUPP in qemu's netlink translation",
    ),
    (
        "SOL_PACKET",
        "getsockopt/setsockopt at SOL_PACKET (PACKET_STATISTICS, PACKET_AUXDATA) fail with EOPNOTSUPP/ENOPROTOOPT",
    ),
    (
        "SO_ATTACH_REUSEPORT_CBPF",
        "setsockopt(SO_ATTACH_REUSEPORT_CBPF) fails with ENOPROTOOPT",
    ),
    (
        "SO_DETACH_FILTER",
        "setsockopt(SO_DETACH_FILTER) fails with ENOPROTOOPT",
    ),
    // 32-bit guests only (see THIRTY_TWO_BIT_ONLY); "ip_mreqn" above is
    // 64-bit guests' only (SIXTY_FOUR_BIT_ONLY).
    (
        "SO_TIMESTAMP_NEW",
        "setsockopt(SO_TIMESTAMP_NEW), the time64 option of 32-bit targets, fails with ENOPROTOOPT",
    ),
];

/// The gaps that only a 32-bit guest meets; on 64-bit ones [`gap`] is
/// `false` for them.
const THIRTY_TWO_BIT_ONLY: &[&str] = &["SO_TIMESTAMP_NEW"];

/// The gaps that only a 64-bit guest meets (qemu's `target_ip_mreqn` is 12
/// bytes on a 32-bit guest, as the kernel's is); on 32-bit ones [`gap`] is
/// `false` for them.
const SIXTY_FOUR_BIT_ONLY: &[&str] = &["ip_mreqn"];

/// Whether this process runs under emulation (qemu-user).
pub fn emulated() -> bool {
    static EMULATED: OnceLock<bool> = OnceLock::new();
    *EMULATED.get_or_init(|| match std::fs::read_to_string("/proc/sys/kernel/arch") {
        Ok(kernel) => !native(std::env::consts::ARCH, kernel.trim()),
        Err(_) => std::env::var_os("ZEROSOCK_EMULATED").is_some_and(|v| v == "1"),
    })
}

/// How many times longer a hang bound should be here: 10 under qemu-user,
/// which translates every instruction (and in CI runs two targets' suites
/// on a shared machine), 1 natively. For bounds that catch hangs only;
/// timings are never asserted.
pub fn slowdown() -> u32 {
    if emulated() { 10 } else { 1 }
}

/// Whether a binary for `ours` (`std::env::consts::ARCH`) runs natively on a
/// kernel whose `/proc/sys/kernel/arch` is `kernel`. A 64-bit ARM kernel
/// runs 32-bit ARM binaries itself.
fn native(ours: &str, kernel: &str) -> bool {
    match ours {
        "arm" => kernel.starts_with("arm") || kernel == "aarch64",
        _ => ours == kernel,
    }
}

/// `true`, after a visible `SKIPPED` line naming the gap, if this process
/// runs under qemu-user, which has gap `name`; `false` natively. Panics if
/// `name` is not a listed gap.
pub fn gap(name: &str) -> bool {
    let Some((_, what)) = GAPS.iter().find(|(n, _)| *n == name) else {
        panic!("{name:?} is not a known qemu-user gap (tests/common/emulation.rs)");
    };
    let thirty_two = cfg!(target_pointer_width = "32");
    let meets = if thirty_two {
        !SIXTY_FOUR_BIT_ONLY.contains(&name)
    } else {
        !THIRTY_TWO_BIT_ONLY.contains(&name)
    };
    if emulated() && meets {
        super::skip(&format!("qemu-user: {what}"));
        true
    } else {
        false
    }
}
