//! The host's interface addresses, from an rtnetlink `RTM_GETADDR` dump
//! (what glibc's `__check_pf` reads): which families have an address other
//! than the loopback one (`AI_ADDRCONFIG`), and each source address's
//! prefix length, flags and interface (RFC 6724 sorting).

use core::net::{Ipv4Addr, Ipv6Addr};
use core::time::Duration;

use heapless::Vec;

use crate::error::Errno;
use crate::flags::{Domain, MsgFlags, Protocol, Type};
use crate::poll::Interest;
use crate::socket::Socket;

/// The most addresses remembered.
const MAX_IFADDRS: usize = 64;

const RTM_GETADDR: u16 = 22;
const RTM_NEWADDR: u16 = 20;
const NLMSG_ERROR: u16 = 2;
const NLMSG_DONE: u16 = 3;
const IFA_ADDRESS: u16 = 1;
const IFA_LOCAL: u16 = 2;
const IFA_FLAGS: u16 = 8;
/// `IFA_F_DEPRECATED | IFA_F_OPTIMISTIC`, glibc's "deprecated".
pub(crate) const DEPRECATED: u32 = 0x20 | 0x04;
/// `IFA_F_HOMEADDRESS`.
pub(crate) const HOME: u32 = 0x10;

/// One interface address; IPv4 addresses are stored v4-mapped, as glibc
/// stores them.
#[derive(Clone, Copy, Debug)]
pub(crate) struct IfAddr {
    pub(crate) addr: Ipv6Addr,
    pub(crate) prefixlen: u8,
    pub(crate) flags: u32,
    pub(crate) index: u32,
}

/// The addresses, and whether a non-loopback one of each family exists.
#[derive(Clone, Debug, Default)]
pub(crate) struct IfAddrs {
    pub(crate) addrs: Vec<IfAddr, MAX_IFADDRS>,
    pub(crate) seen_v4: bool,
    pub(crate) seen_v6: bool,
}

impl IfAddrs {
    pub(crate) fn find(&self, addr: &Ipv6Addr) -> Option<&IfAddr> {
        self.addrs.iter().find(|a| a.addr == *addr)
    }
}

/// Dumps the addresses (bounded: at most 256 reads, 1 s of waiting each).
pub(crate) fn read() -> Result<IfAddrs, Errno> {
    let socket = Socket::new(Domain::NETLINK, Type::RAW, Protocol::from_raw(0))?;
    let mut req = [0u8; 24];
    req[..4].copy_from_slice(&24u32.to_ne_bytes());
    req[4..6].copy_from_slice(&RTM_GETADDR.to_ne_bytes());
    // NLM_F_REQUEST | NLM_F_DUMP
    req[6..8].copy_from_slice(&(0x1u16 | 0x300).to_ne_bytes());
    req[8..12].copy_from_slice(&1u32.to_ne_bytes());
    socket.send(&req)?;
    let mut out = IfAddrs::default();
    let mut buf = [0u8; 8192];
    for _ in 0..256 {
        match socket.wait(Interest::IN, Some(Duration::from_secs(1))) {
            Ok(r) if r.is_empty() => return Err(Errno::TIMEDOUT),
            Ok(_) | Err(Errno::INTR) => {}
            Err(e) => return Err(e),
        }
        let n = match socket.recv_with_flags(&mut buf, MsgFlags::DONTWAIT) {
            Ok(n) => n,
            Err(Errno::INTR | Errno::AGAIN) => continue,
            Err(e) => return Err(e),
        };
        let mut pos = 0;
        while pos + 16 <= n {
            let len = u32::from_ne_bytes([buf[pos], buf[pos + 1], buf[pos + 2], buf[pos + 3]]) as usize;
            let ty = u16::from_ne_bytes([buf[pos + 4], buf[pos + 5]]);
            if len < 16 || pos + len > n {
                return Err(Errno::INVAL);
            }
            match ty {
                NLMSG_DONE => return Ok(out),
                NLMSG_ERROR => return Err(Errno::INVAL),
                RTM_NEWADDR => parse_addr(&buf[pos + 16..pos + len], &mut out),
                _ => {}
            }
            pos += (len + 3) & !3;
        }
    }
    Ok(out)
}

fn parse_addr(m: &[u8], out: &mut IfAddrs) {
    if m.len() < 8 {
        return;
    }
    let (family, prefixlen, mut flags) = (m[0], m[1], u32::from(m[2]));
    let index = u32::from_ne_bytes([m[4], m[5], m[6], m[7]]);
    let (mut address, mut local) = (None, None);
    let mut pos = 8;
    while pos + 4 <= m.len() {
        let len = usize::from(u16::from_ne_bytes([m[pos], m[pos + 1]]));
        let ty = u16::from_ne_bytes([m[pos + 2], m[pos + 3]]);
        if len < 4 || pos + len > m.len() {
            break;
        }
        let data = &m[pos + 4..pos + len];
        match ty {
            IFA_ADDRESS => address = Some(data),
            IFA_LOCAL => local = Some(data),
            IFA_FLAGS if data.len() == 4 => flags = u32::from_ne_bytes([data[0], data[1], data[2], data[3]]),
            _ => {}
        }
        pos += (len + 3) & !3;
    }
    let addr = match (family, local.or(address)) {
        (2, Some(a)) if a.len() == 4 => {
            let v4 = Ipv4Addr::new(a[0], a[1], a[2], a[3]);
            if v4 != Ipv4Addr::LOCALHOST {
                out.seen_v4 = true;
            }
            v4.to_ipv6_mapped()
        }
        (10, _) => {
            let Some(a) = address.or(local).filter(|a| a.len() == 16) else {
                return;
            };
            let mut b = [0u8; 16];
            b.copy_from_slice(a);
            let v6 = Ipv6Addr::from(b);
            if v6 != Ipv6Addr::LOCALHOST {
                out.seen_v6 = true;
            }
            v6
        }
        _ => return,
    };
    out.addrs
        .push(IfAddr {
            addr,
            prefixlen,
            flags,
            index,
        })
        .ok();
}
