//! getsockopt(2)'s length, split: `written` never exceeds the caller's
//! buffer, and `reported` is the kernel's `optlen`. `NETLINK_LIST_MEMBERSHIPS`
//! reports the size the whole group bitmap needs even when the buffer holds
//! less (issue 13: a 4-byte buffer came back as `Ok(8)`).

use zerosock::opt::{OptionLen, SO_RCVBUF, SO_TYPE, SOL_SOCKET};
use zerosock::{Domain, Protocol, Socket, Type};

/// `SOL_NETLINK`, `NETLINK_ADD_MEMBERSHIP`, `NETLINK_LIST_MEMBERSHIPS`
/// (linux/netlink.h), and `RTNLGRP_LINK` (linux/rtnetlink.h).
const SOL_NETLINK: u32 = 270;
const NETLINK_ADD_MEMBERSHIP: u32 = 1;
const NETLINK_LIST_MEMBERSHIPS: u32 = 9;
const RTNLGRP_LINK: u32 = 1;

/// A NETLINK_ROUTE socket that has joined `RTNLGRP_LINK`, or why not.
fn rtnetlink_member() -> Result<Socket, String> {
    let socket = Socket::new(Domain::from_raw(16), Type::RAW, Protocol::from_raw(0))
        .map_err(|e| format!("no AF_NETLINK socket here: {e}"))?;
    socket
        .set_option(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &RTNLGRP_LINK)
        .map_err(|e| format!("cannot join RTNLGRP_LINK: {e}"))?;
    Ok(socket)
}

#[test]
fn a_short_buffer_gets_what_fits_and_the_length_the_kernel_wanted() {
    let socket = match rtnetlink_member() {
        Ok(socket) => socket,
        Err(why) => return crate::common::skip(&why),
    };

    // Large enough: the whole bitmap, both lengths equal.
    let mut big = [0xAAu8; 64];
    let full = socket
        .get_option_raw(SOL_NETLINK, NETLINK_LIST_MEMBERSHIPS, &mut big)
        .unwrap();
    assert!(!full.is_truncated(), "{full:?}");
    assert_eq!(full.written, full.reported);
    assert!(full.reported >= 4 && full.reported % 4 == 0, "{full:?}");
    assert_eq!(
        u32::from_ne_bytes(big[..4].try_into().unwrap()) & 1,
        1,
        "group 1 is bit 0"
    );
    assert!(
        big[full.written..].iter().all(|&b| b == 0xAA),
        "nothing past the bitmap"
    );

    // Nothing fits: the kernel still reports the bitmap's size.
    let len = socket
        .get_option_raw(SOL_NETLINK, NETLINK_LIST_MEMBERSHIPS, &mut [])
        .unwrap();
    assert_eq!(
        len,
        OptionLen {
            written: 0,
            reported: full.reported
        }
    );
    assert!(len.is_truncated());

    // One word of the bitmap: written is the buffer, not the kernel's 8 (or more).
    let mut word = [0u8; 4];
    let len = socket
        .get_option_raw(SOL_NETLINK, NETLINK_LIST_MEMBERSHIPS, &mut word)
        .unwrap();
    assert_eq!(
        len,
        OptionLen {
            written: 4,
            reported: full.reported
        }
    );
    assert_eq!(len.is_truncated(), full.reported > 4);
    assert_eq!(word, big[..4]);

    // The typed path: a u32 holds the first word; the length says if more was there.
    let (first, len) = socket
        .get_option_with_len::<u32>(SOL_NETLINK, NETLINK_LIST_MEMBERSHIPS)
        .unwrap();
    assert_eq!(first.to_ne_bytes(), word);
    assert_eq!(
        len,
        OptionLen {
            written: 4,
            reported: full.reported
        }
    );
}

#[test]
fn most_options_report_what_they_wrote() {
    let socket = Socket::new(Domain::INET, Type::DGRAM, Protocol::UDP).unwrap();
    let mut eight = [0u8; 8];
    // An int option into 8 bytes: the kernel writes and reports 4.
    let len = socket.get_option_raw(SOL_SOCKET, SO_TYPE, &mut eight).unwrap();
    assert_eq!(
        len,
        OptionLen {
            written: 4,
            reported: 4
        }
    );
    // Into 2 bytes: the kernel truncates and reports 2.
    let len = socket
        .get_option_raw(SOL_SOCKET, SO_RCVBUF, &mut eight[..2])
        .unwrap();
    assert_eq!(
        len,
        OptionLen {
            written: 2,
            reported: 2
        }
    );
    let (_, len) = socket.get_option_with_len::<u64>(SOL_SOCKET, SO_RCVBUF).unwrap();
    assert_eq!(
        len,
        OptionLen {
            written: 4,
            reported: 4
        }
    );
}
