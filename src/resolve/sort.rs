//! Destination address selection as glibc applies RFC 3484/6724 with no
//! `/etc/gai.conf`: its built-in label, precedence and IPv4 scope tables,
//! the source address each destination would use (a UDP `connect` and
//! `getsockname`, no packet sent), and rules 1 (usable), 2 (matching
//! scope), 3 (deprecated source), 4 (home address), 5 (matching label),
//! 6 (precedence), 8 (smaller scope), 9 (longest matching prefix, IPv4 only
//! within the source's subnet) and 10 (order found). Rule 7 (native
//! transport) needs interface types from netlink and is not applied: two
//! destinations whose sources are on different interfaces are not told
//! apart by it. A `gai.conf` with other tables is not read.

use core::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use super::ifaddr::{DEPRECATED, HOME, IfAddrs};
use crate::flags::{Domain, Protocol, Type};
use crate::socket::Socket;

/// What the sort knows of one destination.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Dest {
    pub(crate) addr: SocketAddr,
    pub(crate) source: Option<SocketAddr>,
    pub(crate) flags: u32,
    pub(crate) prefixlen: u8,
    pub(crate) index: u32,
}

impl Dest {
    /// Finds the source address `addr` would be sent from.
    pub(crate) fn new(addr: SocketAddr, ifs: Option<&IfAddrs>) -> Self {
        let mut d = Self {
            addr,
            source: None,
            flags: 0,
            prefixlen: 0,
            index: u32::MAX,
        };
        let Ok(s) = Socket::new(Domain::for_addr(&addr), Type::DGRAM, Protocol::DEFAULT) else {
            return d;
        };
        if s.connect(&addr).is_err() {
            return d;
        }
        d.source = s.local_addr().ok().and_then(|a| a.socket_addr());
        if let (Some(src), Some(ifs)) = (d.source, ifs) {
            if let Some(found) = ifs.find(&mapped(src.ip())) {
                d.flags = found.flags;
                d.prefixlen = found.prefixlen;
                d.index = found.index;
            }
        }
        d
    }
}

fn mapped(ip: IpAddr) -> Ipv6Addr {
    match ip {
        IpAddr::V4(a) => a.to_ipv6_mapped(),
        IpAddr::V6(a) => a,
    }
}

/// glibc's `get_scope`.
fn scope(ip: IpAddr) -> u8 {
    match ip {
        IpAddr::V6(a) => {
            let s = a.segments();
            if a.is_multicast() {
                a.octets()[1] & 0xf
            } else if s[0] & 0xffc0 == 0xfe80 || a == Ipv6Addr::LOCALHOST {
                2
            } else if s[0] & 0xffc0 == 0xfec0 {
                5
            } else {
                14
            }
        }
        IpAddr::V4(a) => {
            let o = a.octets();
            match o {
                [169, 254, ..] | [127, ..] => 2,
                [10, ..] | [192, 168, ..] => 5,
                [172, b, ..] if b & 0xf0 == 16 => 5,
                _ => 14,
            }
        }
    }
}

/// glibc's `match_prefix` over a table: the first entry that matches.
fn lookup(ip: IpAddr, table: &[([u8; 16], u8, u8)]) -> u8 {
    let a = mapped(ip).octets();
    for &(prefix, bits, val) in table {
        let full = usize::from(bits / 8);
        let rest = bits % 8;
        if a[..full] != prefix[..full] {
            continue;
        }
        if rest == 0 || (a[full] ^ prefix[full]) & (0xff00u16 >> rest) as u8 == 0 {
            return val;
        }
    }
    0
}

const fn p(segs: [u16; 8]) -> [u8; 16] {
    let mut o = [0u8; 16];
    let mut i = 0;
    while i < 8 {
        o[2 * i] = (segs[i] >> 8) as u8;
        o[2 * i + 1] = segs[i] as u8;
        i += 1;
    }
    o
}

const LABELS: [([u8; 16], u8, u8); 8] = [
    (p([0, 0, 0, 0, 0, 0, 0, 1]), 128, 0),
    (p([0x2002, 0, 0, 0, 0, 0, 0, 0]), 16, 2),
    (p([0; 8]), 96, 3),
    (p([0, 0, 0, 0, 0, 0xffff, 0, 0]), 96, 4),
    (p([0xfec0, 0, 0, 0, 0, 0, 0, 0]), 10, 5),
    (p([0xfc00, 0, 0, 0, 0, 0, 0, 0]), 7, 6),
    (p([0x2001, 0, 0, 0, 0, 0, 0, 0]), 32, 7),
    (p([0; 8]), 0, 1),
];

const PRECEDENCE: [([u8; 16], u8, u8); 5] = [
    (p([0, 0, 0, 0, 0, 0, 0, 1]), 128, 50),
    (p([0x2002, 0, 0, 0, 0, 0, 0, 0]), 16, 30),
    (p([0; 8]), 96, 20),
    (p([0, 0, 0, 0, 0, 0xffff, 0, 0]), 96, 10),
    (p([0; 8]), 0, 40),
];

/// Leading equal bits of a 32-bit xor (glibc's `fls`, which counts from the
/// top).
fn fls(x: u32) -> u32 {
    x.leading_zeros()
}

/// glibc's `rfc3484_sort` comparator; `i`, `j` are the positions found.
pub(crate) fn compare(a1: &Dest, a2: &Dest, i: usize, j: usize) -> core::cmp::Ordering {
    use core::cmp::Ordering::{Greater, Less};
    // Rule 1.
    match (a1.source, a2.source) {
        (Some(_), None) => return Less,
        (None, Some(_)) => return Greater,
        _ => {}
    }
    let (d1, d2) = (a1.addr.ip(), a2.addr.ip());
    let (ds1, ds2) = (scope(d1), scope(d2));
    if let (Some(s1), Some(s2)) = (a1.source, a2.source) {
        // Rule 2.
        let (ss1, ss2) = (scope(s1.ip()), scope(s2.ip()));
        if ds1 == ss1 && ds2 != ss2 {
            return Less;
        }
        if ds1 != ss1 && ds2 == ss2 {
            return Greater;
        }
        // Rule 3.
        let (dep1, dep2) = (a1.flags & DEPRECATED != 0, a2.flags & DEPRECATED != 0);
        if !dep1 && dep2 {
            return Less;
        }
        if dep1 && !dep2 {
            return Greater;
        }
        // Rule 4.
        let (h1, h2) = (a1.flags & HOME != 0, a2.flags & HOME != 0);
        if !h1 && h2 {
            return Greater;
        }
        if h1 && !h2 {
            return Less;
        }
        // Rule 5.
        let (l1, ls1) = (lookup(d1, &LABELS), lookup(s1.ip(), &LABELS));
        let (l2, ls2) = (lookup(d2, &LABELS), lookup(s2.ip(), &LABELS));
        if l1 == ls1 && l2 != ls2 {
            return Less;
        }
        if l1 != ls1 && l2 == ls2 {
            return Greater;
        }
    }
    // Rule 6.
    let (p1, p2) = (lookup(d1, &PRECEDENCE), lookup(d2, &PRECEDENCE));
    if p1 != p2 {
        return p2.cmp(&p1);
    }
    // Rule 8.
    if ds1 != ds2 {
        return ds1.cmp(&ds2);
    }
    // Rule 9.
    if let (Some(s1), Some(s2)) = (a1.source, a2.source) {
        let (bit1, bit2) = match (d1, s1.ip(), d2, s2.ip()) {
            (IpAddr::V4(d1), IpAddr::V4(s1), IpAddr::V4(d2), IpAddr::V4(s2)) => {
                (v4_bits(d1, s1, a1.prefixlen), v4_bits(d2, s2, a2.prefixlen))
            }
            (IpAddr::V6(d1), IpAddr::V6(s1), IpAddr::V6(d2), IpAddr::V6(s2)) => {
                let w = |a: Ipv6Addr, k: usize| {
                    let o = a.octets();
                    u32::from_be_bytes([o[4 * k], o[4 * k + 1], o[4 * k + 2], o[4 * k + 3]])
                };
                match (0..4).find(|&k| w(d1, k) != w(s1, k) || w(d2, k) != w(s2, k)) {
                    Some(k) => (fls(w(d1, k) ^ w(s1, k)), fls(w(d2, k) ^ w(s2, k))),
                    None => (0, 0),
                }
            }
            _ => (0, 0),
        };
        if bit1 != bit2 {
            return bit2.cmp(&bit1);
        }
    }
    // Rule 10.
    i.cmp(&j)
}

fn v4_bits(dst: Ipv4Addr, src: Ipv4Addr, prefixlen: u8) -> u32 {
    let (d, s) = (u32::from(dst), u32::from(src));
    // glibc shifts 0xffffffff by 32 - prefixlen; x86 masks the count, so a
    // prefix length of 0 (not found) gives an all-ones mask.
    let mask = 0xffff_ffffu32.wrapping_shl(32 - u32::from(prefixlen.min(32)));
    if s & mask == d & mask { fls(d ^ s) } else { 0 }
}

/// Sorts `order` (indices into `dests`) with glibc's comparator: a stable
/// insertion sort, as the comparator is a total order.
pub(crate) fn sort(dests: &[Dest], order: &mut [usize]) {
    for k in 1..order.len() {
        let mut m = k;
        while m > 0 {
            let (a, b) = (order[m - 1], order[m]);
            if compare(&dests[b], &dests[a], b, a) == core::cmp::Ordering::Less {
                order.swap(m - 1, m);
                m -= 1;
            } else {
                break;
            }
        }
    }
}
