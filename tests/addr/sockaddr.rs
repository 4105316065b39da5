//! Address conversions round-trip, Unix addresses follow unix(7)'s length
//! rules, and decoding arbitrary kernel bytes never panics.

use core::net::{Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

use proptest::prelude::*;
use zerosock::addr::{
    Addr, DecodeError, In6Addr, InAddr, SockAddr, SockAddrIn, SockAddrIn6, SockAddrStorage, UnixAddr,
    UnixAddrError, UnixAddrKind,
};
use zerosock::endian::{Be16, Be32, htonl, htons, ntohl, ntohs};

proptest! {
    #[test]
    fn byte_order_functions_match_libc(x16: u16, x32: u32) {
        prop_assert_eq!(htons(x16), x16.to_be());
        prop_assert_eq!(htonl(x32), x32.to_be());
        prop_assert_eq!(ntohs(htons(x16)), x16);
        prop_assert_eq!(ntohl(htonl(x32)), x32);
        prop_assert_eq!(Be16::from_host(x16).to_bytes(), x16.to_be_bytes());
        prop_assert_eq!(Be32::from_host(x32).to_bytes(), x32.to_be_bytes());
        prop_assert_eq!(Be32::from_bytes(x32.to_be_bytes()).to_host(), x32);
    }

    #[test]
    fn v4_round_trips(ip: [u8; 4], port: u16) {
        let addr = SocketAddrV4::new(Ipv4Addr::from(ip), port);
        prop_assert_eq!(SockAddrIn::from(addr).socket_addr(), addr);
        prop_assert_eq!(SocketAddrV4::from(SockAddrIn::from(addr)), addr);
        prop_assert_eq!(InAddr::from(*addr.ip()).ip(), *addr.ip());
        prop_assert_eq!(SockAddr::from(addr).socket_addr(), Some(SocketAddr::V4(addr)));
        let any = SockAddr::from(addr);
        prop_assert_eq!(any.decode(), Ok(Addr::Inet(SocketAddr::V4(addr))));
    }

    #[test]
    fn v6_round_trips(ip: [u8; 16], port: u16, flowinfo: u32, scope: u32) {
        let addr = SocketAddrV6::new(Ipv6Addr::from(ip), port, flowinfo, scope);
        prop_assert_eq!(SockAddrIn6::from(addr).socket_addr(), addr);
        prop_assert_eq!(In6Addr::from(*addr.ip()).ip(), *addr.ip());
        prop_assert_eq!(SockAddr::from(addr).socket_addr(), Some(SocketAddr::V6(addr)));
        let any = SockAddr::from(addr);
        prop_assert_eq!(any.decode(), Ok(Addr::Inet(SocketAddr::V6(addr))));
    }

    #[test]
    fn unix_pathname_round_trips(path in proptest::collection::vec(1u8..=255, 1..=107)) {
        let addr = UnixAddr::new(&path).unwrap();
        prop_assert_eq!(addr.kind(), UnixAddrKind::Pathname(&path));
        prop_assert_eq!(addr.len() as usize, 2 + path.len() + 1);
        let any = SockAddr::from(addr);
        prop_assert_eq!(any.decode(), Ok(Addr::Unix(UnixAddrKind::Pathname(&path))));
        prop_assert_eq!(any.unix_addr(), Ok(addr));
    }

    #[test]
    fn unix_abstract_round_trips(name in proptest::collection::vec(any::<u8>(), 0..=107)) {
        let addr = UnixAddr::new_abstract(&name).unwrap();
        prop_assert_eq!(addr.kind(), UnixAddrKind::Abstract(&name));
        prop_assert_eq!(addr.len() as usize, 2 + 1 + name.len());
        prop_assert_eq!(SockAddr::from(addr).unix_addr(), Ok(addr));
    }

    /// Whatever bytes and length the kernel (or an attacker) hands over,
    /// decoding returns a value or a typed error and never reads past `len`.
    #[test]
    fn decoding_arbitrary_storage_never_panics(bytes in proptest::collection::vec(any::<u8>(), 128), len in 0u32..400, family in prop_oneof![Just(0u16), Just(1), Just(2), Just(10), any::<u16>()]) {
        let mut storage = SockAddrStorage::ZEROED;
        storage.as_bytes_mut().copy_from_slice(&bytes);
        storage.ss_family = family;
        let addr = SockAddr::from_raw(storage, len);
        let decoded = addr.decode();
        match decoded {
            Err(DecodeError::Truncated { .. }) => prop_assert!(len > 128),
            Err(DecodeError::TooShort { .. }) => prop_assert!(family == 2 || family == 10),
            Ok(Addr::Unix(UnixAddrKind::Pathname(p))) => prop_assert!(p.len() <= 108 && !p.contains(&0)),
            Ok(Addr::Other { data, .. }) => prop_assert_eq!(data.len() as u32, len - 2),
            _ => {}
        }
        let _ = addr.socket_addr();
        let _ = addr.unix_addr();
        let _ = format!("{addr:?}");
    }
}

#[test]
fn unix_unnamed_has_family_length() {
    assert_eq!(UnixAddr::UNNAMED.len(), 2);
    assert_eq!(UnixAddr::UNNAMED.kind(), UnixAddrKind::Unnamed);
    assert!(UnixAddr::UNNAMED.is_unnamed());
}

#[test]
fn bad_unix_paths_are_typed_errors() {
    assert_eq!(UnixAddr::new(""), Err(UnixAddrError::EmptyPath));
    assert_eq!(
        UnixAddr::new([b'a'; 108]),
        Err(UnixAddrError::TooLong { len: 108, max: 107 })
    );
    assert!(UnixAddr::new([b'a'; 107]).is_ok());
    assert_eq!(
        UnixAddr::new("/tmp/a\0b"),
        Err(UnixAddrError::InteriorNul { at: 6 })
    );
    assert_eq!(
        UnixAddr::new_abstract(&[0; 108]),
        Err(UnixAddrError::TooLong { len: 108, max: 107 })
    );
    assert!(UnixAddr::new_abstract(&[0; 107]).is_ok());
}

#[test]
fn too_short_inet_lengths_are_errors() {
    let v4 = SockAddr::from(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 1));
    let short = SockAddr::from_raw(*v4.storage(), 15);
    assert_eq!(short.decode(), Err(DecodeError::TooShort { family: 2, len: 15 }));
    assert_eq!(short.socket_addr(), None);
    let v6 = SockAddr::from(SocketAddrV6::new(Ipv6Addr::LOCALHOST, 1, 0, 0));
    let short = SockAddr::from_raw(*v6.storage(), 27);
    assert_eq!(short.decode(), Err(DecodeError::TooShort { family: 10, len: 27 }));
}

#[test]
fn unknown_family_is_returned_not_dropped() {
    let mut storage = SockAddrStorage::ZEROED;
    storage.ss_family = 16; // AF_NETLINK
    storage.ss_data[..4].copy_from_slice(&[1, 2, 3, 4]);
    let addr = SockAddr::from_raw(storage, 6);
    assert_eq!(
        addr.decode(),
        Ok(Addr::Other {
            family: 16,
            data: &[1, 2, 3, 4]
        })
    );
}

/// A pathname that fills all 108 bytes of `sun_path` with no NUL is what the
/// kernel reports when such a path is bound (with a length one past
/// `sockaddr_un`); the decoder bounds it to `sun_path`.
#[test]
fn unterminated_full_length_path_decodes_within_bounds() {
    let mut storage = SockAddrStorage::ZEROED;
    storage.ss_family = 1;
    storage.ss_data[..108].fill(b'p');
    storage.ss_data[108] = 0;
    let addr = SockAddr::from_raw(storage, 111);
    assert_eq!(
        addr.decode(),
        Ok(Addr::Unix(UnixAddrKind::Pathname(&[b'p'; 108])))
    );
    let unix = addr.unix_addr().unwrap();
    assert_eq!(unix.as_pathname(), Some(&[b'p'; 108][..]));
    assert_eq!(unix.len(), 110);
}

#[test]
fn debug_output_names_things() {
    assert_eq!(format!("{:?}", Be16::from_host(80)), "Be16(0x50 host)");
    assert_eq!(
        format!("{:?}", UnixAddr::new_abstract(b"x\n").unwrap()),
        "UnixAddr(@x\\n)"
    );
    assert_eq!(format!("{:?}", zerosock::Domain::INET), "AF_INET");
    assert_eq!(format!("{:?}", zerosock::Type::STREAM), "SOCK_STREAM");
    assert_eq!(
        format!(
            "{:?}",
            zerosock::MsgFlags::PEEK | zerosock::MsgFlags::from_raw(0x8000_0000)
        ),
        "MSG_PEEK | 0x80000000"
    );
}
