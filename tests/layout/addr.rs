//! Every hand-written address layout against the C definitions in the `libc`
//! crate: size, alignment and the offset and size of each field.

use core::mem::size_of;

use crate::common::layout::same_layout;
use zerosock::addr::{In6Addr, InAddr, SockAddrHeader, SockAddrIn, SockAddrIn6, SockAddrStorage, SockAddrUn};

#[test]
fn sockaddr() {
    same_layout!(SockAddrHeader, libc::sockaddr, sa_family => sa_family, sa_data => sa_data);
}

#[test]
fn in_addr_and_sockaddr_in() {
    same_layout!(InAddr, libc::in_addr, s_addr => s_addr);
    same_layout!(
        SockAddrIn, libc::sockaddr_in,
        sin_family => sin_family, sin_port => sin_port, sin_addr => sin_addr, sin_zero => sin_zero,
    );
}

#[test]
fn in6_addr_and_sockaddr_in6() {
    same_layout!(In6Addr, libc::in6_addr, s6_addr => s6_addr);
    same_layout!(
        SockAddrIn6, libc::sockaddr_in6,
        sin6_family => sin6_family, sin6_port => sin6_port, sin6_flowinfo => sin6_flowinfo,
        sin6_addr => sin6_addr, sin6_scope_id => sin6_scope_id,
    );
}

#[test]
fn sockaddr_un() {
    same_layout!(SockAddrUn, libc::sockaddr_un, sun_family => sun_family, sun_path => sun_path);
}

#[test]
fn sockaddr_storage() {
    same_layout!(SockAddrStorage, libc::sockaddr_storage, ss_family => ss_family);
}

#[test]
fn socklen_and_family_types() {
    assert_eq!(size_of::<zerosock::addr::SockLen>(), size_of::<libc::socklen_t>());
    assert_eq!(
        size_of::<zerosock::addr::SaFamily>(),
        size_of::<libc::sa_family_t>()
    );
}

/// The bytes of our layouts equal the bytes libc's would hold for the same
/// address: same byte order, same padding.
#[test]
fn bytes_match_libc_for_the_same_address() {
    use core::net::{Ipv4Addr, Ipv6Addr, SocketAddrV4, SocketAddrV6};

    let ours = SockAddrIn::new(SocketAddrV4::new(Ipv4Addr::new(192, 0, 2, 7), 0x1234));
    let theirs = libc::sockaddr_in {
        sin_family: libc::AF_INET as u16,
        sin_port: 0x1234u16.to_be(),
        sin_addr: libc::in_addr {
            s_addr: u32::from_ne_bytes([192, 0, 2, 7]),
        },
        sin_zero: [0; 8],
    };
    assert_eq!(bytes_of(&ours), bytes_of(&theirs));

    let ip = Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0xabcd, 1);
    let ours = SockAddrIn6::new(SocketAddrV6::new(ip, 443, 0x000a_bcde, 3));
    let theirs = libc::sockaddr_in6 {
        sin6_family: libc::AF_INET6 as u16,
        sin6_port: 443u16.to_be(),
        sin6_flowinfo: 0x000a_bcdeu32.to_be(),
        sin6_addr: libc::in6_addr { s6_addr: ip.octets() },
        sin6_scope_id: 3,
    };
    assert_eq!(bytes_of(&ours), bytes_of(&theirs));
}

fn bytes_of<T>(value: &T) -> Vec<u8> {
    // SAFETY: test-only view of a padding-free plain struct's bytes.
    unsafe { core::slice::from_raw_parts((value as *const T).cast::<u8>(), size_of::<T>()) }.to_vec()
}
