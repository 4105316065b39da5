//! The message layouts against the C definitions in the `libc` crate: size,
//! alignment and each field's offset and size; the `CMSG_*` arithmetic
//! against libc's macros; and the encoder's bytes against what C code
//! writing through `CMSG_FIRSTHDR`/`CMSG_DATA` produces.

use crate::common::layout::same_layout;
use zerosock::msg::{
    CmsgBuffer, CmsgEncoder, In6PktInfo, InPktInfo, TimeSpec, TimeVal, UCred, cmsg_align, cmsg_len,
    cmsg_space,
};

// `msghdr`, `cmsghdr` and `mmsghdr` are private to the crate (no public
// function takes them): they are checked field by field against the
// kernel's own definitions at compile time, for every target built
// (`same_layout!` in src/abi/mod.rs, against linux-raw-sys).

#[test]
fn control_message_payloads() {
    same_layout!(UCred, libc::ucred, pid => pid, uid => uid, gid => gid);
    same_layout!(
        InPktInfo, libc::in_pktinfo,
        ipi_ifindex => ipi_ifindex, ipi_spec_dst => ipi_spec_dst, ipi_addr => ipi_addr,
    );
    same_layout!(In6PktInfo, libc::in6_pktinfo, ipi6_addr => ipi6_addr, ipi6_ifindex => ipi6_ifindex);
    // glibc's 64-bit-time layouts; on 32-bit targets the libc crate's are
    // the 32-bit `time_t` ones, which zerosock does not use.
    #[cfg(target_pointer_width = "64")]
    {
        same_layout!(TimeVal, libc::timeval, tv_sec => tv_sec, tv_usec => tv_usec);
        same_layout!(TimeSpec, libc::timespec, tv_sec => tv_sec, tv_nsec => tv_nsec);
    }
    // Every target: the kernel's 64-bit layouts, which the `_NEW` timestamp
    // messages carry.
    same_layout!(TimeVal, linux_raw_sys::general::__kernel_sock_timeval, tv_sec => tv_sec, tv_usec => tv_usec);
    same_layout!(TimeSpec, linux_raw_sys::general::__kernel_timespec, tv_sec => tv_sec, tv_nsec => tv_nsec);
}

#[test]
fn cmsg_arithmetic_matches_libc() {
    for len in 0..=600u32 {
        // SAFETY: the CMSG_LEN/CMSG_SPACE functions only compute.
        let (c_len, c_space) = unsafe { (libc::CMSG_LEN(len), libc::CMSG_SPACE(len)) };
        assert_eq!(cmsg_len(len as usize), c_len as usize, "CMSG_LEN({len})");
        assert_eq!(cmsg_space(len as usize), c_space as usize, "CMSG_SPACE({len})");
        // CMSG_ALIGN(len) is CMSG_SPACE(len) - CMSG_SPACE(0).
        // SAFETY: as above.
        let c_align = unsafe { libc::CMSG_SPACE(len) - libc::CMSG_SPACE(0) };
        assert_eq!(cmsg_align(len as usize), c_align as usize, "CMSG_ALIGN({len})");
    }
}

/// Two messages written by our encoder and by C's macros are the same bytes.
#[test]
fn encoder_bytes_match_c_macros() {
    let cred = UCred {
        pid: 4242,
        uid: 1000,
        gid: 100,
    };
    let mut ours = CmsgBuffer::<128>::new();
    let mut enc = CmsgEncoder::new(&mut ours);
    enc.credentials(cred).unwrap().udp_segment(1200).unwrap();
    let ours = enc.as_bytes().to_vec();

    let mut theirs = CmsgBuffer::<128>::new();
    // SAFETY: a msghdr over our 8-aligned buffer, walked with libc's macros
    // exactly as C code would; every write stays inside the buffer (checked
    // by CMSG_NXTHDR, and the total asserted below).
    let total = unsafe {
        let mut msg: libc::msghdr = core::mem::zeroed();
        msg.msg_control = theirs.as_mut_ptr().cast();
        msg.msg_controllen = theirs.len();
        let first = libc::CMSG_FIRSTHDR(&msg);
        (*first).cmsg_len = libc::CMSG_LEN(12) as usize;
        (*first).cmsg_level = libc::SOL_SOCKET;
        (*first).cmsg_type = libc::SCM_CREDENTIALS;
        let c = libc::ucred {
            pid: 4242,
            uid: 1000,
            gid: 100,
        };
        libc::CMSG_DATA(first).cast::<libc::ucred>().write_unaligned(c);
        let second = libc::CMSG_NXTHDR(&msg, first);
        assert!(!second.is_null());
        (*second).cmsg_len = libc::CMSG_LEN(2) as usize;
        (*second).cmsg_level = libc::SOL_UDP;
        (*second).cmsg_type = 103; // UDP_SEGMENT
        libc::CMSG_DATA(second).cast::<u16>().write_unaligned(1200);
        (libc::CMSG_SPACE(12) + libc::CMSG_SPACE(2)) as usize
    };
    assert_eq!(ours.len(), total);
    assert_eq!(ours, theirs[..total]);
}
