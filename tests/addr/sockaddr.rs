//! Address conversions round-trip, Unix addresses follow unix(7)'s length
//! rules, and decoding arbitrary kernel bytes never panics.

use core::net::{Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

use crate::common::rng::{Rng, check_cases};
use zerosock::addr::{
    Addr, DecodeError, In6Addr, InAddr, SockAddr, SockAddrIn, SockAddrIn6, SockAddrStorage, UnixAddr,
    UnixAddrError, UnixAddrKind,
};
use zerosock::endian::{Be16, Be32, htonl, htons, ntohl, ntohs};

/// Cases per property: `ZEROSOCK_ADDR_CASES` (default 256).
const CASES: (&str, usize) = ("ZEROSOCK_ADDR_CASES", 256);

/// A `u16` that is often a boundary value.
fn u16_edgy(rng: &mut Rng) -> u16 {
    if rng.one_in(4) {
        rng.pick(&[0, 1, 0x00ff, 0x0100, 0x7fff, 0x8000, 0xfffe, 0xffff])
    } else {
        rng.next() as u16
    }
}

/// A `u32` that is often a boundary value.
fn u32_edgy(rng: &mut Rng) -> u32 {
    if rng.one_in(4) {
        rng.pick(&[
            0,
            1,
            0xff,
            0x100,
            0xffff,
            0x1_0000,
            0x7fff_ffff,
            0x8000_0000,
            u32::MAX,
        ])
    } else {
        rng.next() as u32
    }
}

#[test]
fn byte_order_functions_match_libc() {
    check_cases(CASES.0, CASES.1, |rng| {
        let (x16, x32) = (u16_edgy(rng), u32_edgy(rng));
        assert_eq!(htons(x16), x16.to_be());
        assert_eq!(htonl(x32), x32.to_be());
        assert_eq!(ntohs(htons(x16)), x16);
        assert_eq!(ntohl(htonl(x32)), x32);
        assert_eq!(Be16::from_host(x16).to_bytes(), x16.to_be_bytes());
        assert_eq!(Be32::from_host(x32).to_bytes(), x32.to_be_bytes());
        assert_eq!(Be32::from_bytes(x32.to_be_bytes()).to_host(), x32);
    });
}

#[test]
fn v4_round_trips() {
    check_cases(CASES.0, CASES.1, |rng| {
        let ip = u32_edgy(rng).to_be_bytes();
        let addr = SocketAddrV4::new(Ipv4Addr::from(ip), u16_edgy(rng));
        assert_eq!(SockAddrIn::from(addr).socket_addr(), addr);
        assert_eq!(SocketAddrV4::from(SockAddrIn::from(addr)), addr);
        assert_eq!(InAddr::from(*addr.ip()).ip(), *addr.ip());
        assert_eq!(SockAddr::from(addr).socket_addr(), Some(SocketAddr::V4(addr)));
        let any = SockAddr::from(addr);
        assert_eq!(any.decode(), Ok(Addr::Inet(SocketAddr::V4(addr))));
    });
}

#[test]
fn v6_round_trips() {
    check_cases(CASES.0, CASES.1, |rng| {
        let mut ip = [0u8; 16];
        rng.fill(&mut ip);
        let addr = SocketAddrV6::new(Ipv6Addr::from(ip), u16_edgy(rng), u32_edgy(rng), u32_edgy(rng));
        assert_eq!(SockAddrIn6::from(addr).socket_addr(), addr);
        assert_eq!(In6Addr::from(*addr.ip()).ip(), *addr.ip());
        assert_eq!(SockAddr::from(addr).socket_addr(), Some(SocketAddr::V6(addr)));
        let any = SockAddr::from(addr);
        assert_eq!(any.decode(), Ok(Addr::Inet(SocketAddr::V6(addr))));
    });
}

#[test]
fn unix_pathname_round_trips() {
    check_cases(CASES.0, CASES.1, |rng| {
        // 1..=107 bytes, none of them NUL.
        let path: Vec<u8> = (0..rng.upto(107)).map(|_| 1 + rng.below(255) as u8).collect();
        let addr = UnixAddr::new(&path).unwrap();
        assert_eq!(addr.kind(), UnixAddrKind::Pathname(&path));
        assert_eq!(addr.len() as usize, 2 + path.len() + 1);
        let any = SockAddr::from(addr);
        assert_eq!(any.decode(), Ok(Addr::Unix(UnixAddrKind::Pathname(&path))));
        assert_eq!(any.unix_addr(), Ok(addr));
    });
}

#[test]
fn unix_abstract_round_trips() {
    check_cases(CASES.0, CASES.1, |rng| {
        let len = rng.below(108);
        let name = rng.bytes(len);
        let addr = UnixAddr::new_abstract(&name).unwrap();
        assert_eq!(addr.kind(), UnixAddrKind::Abstract(&name));
        assert_eq!(addr.len() as usize, 2 + 1 + name.len());
        assert_eq!(SockAddr::from(addr).unix_addr(), Ok(addr));
    });
}

/// Whatever bytes and length the kernel (or an attacker) hands over,
/// decoding returns a value or a typed error and never reads past `len`.
#[test]
fn decoding_arbitrary_storage_never_panics() {
    check_cases(CASES.0, CASES.1, |rng| {
        let bytes = rng.bytes(128);
        let len = rng.below(400) as u32;
        let family = if rng.one_in(5) {
            rng.next() as u16
        } else {
            rng.pick(&[0u16, 1, 2, 10])
        };
        let mut storage = SockAddrStorage::ZEROED;
        storage.as_bytes_mut().copy_from_slice(&bytes);
        storage.ss_family = family;
        let addr = SockAddr::from_raw(storage, len);
        let decoded = addr.decode();
        match decoded {
            Err(DecodeError::Truncated { .. }) => assert!(len > 128),
            Err(DecodeError::TooShort { .. }) => assert!(family == 2 || family == 10),
            Ok(Addr::Unix(UnixAddrKind::Pathname(p))) => assert!(p.len() <= 108 && !p.contains(&0)),
            Ok(Addr::Other { data, .. }) => assert_eq!(data.len() as u32, len - 2),
            _ => {}
        }
        let _ = addr.socket_addr();
        let _ = addr.unix_addr();
        let _ = format!("{addr:?}");
    });
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
