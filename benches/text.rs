//! Group 8: the text forms. zerosock's `inet_ntop_v4/v6` and
//! `inet_pton_v4/v6` beside glibc's `inet_ntop`/`inet_pton` and `core::net`'s
//! `Display` (into a fixed buffer, no allocation) and `FromStr`.

mod common;
mod crit;

use std::ffi::CStr;
use std::fmt::{self, Write};
use std::hint::black_box;
use std::net::{Ipv4Addr, Ipv6Addr};

use criterion::{Criterion, criterion_group, criterion_main};

const V4: &str = "192.168.100.200";
const V4_C: &CStr = c"192.168.100.200";
const V6: &str = "2001:db8:85a3::8a2e:370:7334";
const V6_C: &CStr = c"2001:db8:85a3::8a2e:370:7334";

/// A fixed buffer for `Display`, like the one `inet_ntop` writes into.
struct Buf {
    bytes: [u8; 46],
    len: usize,
}

impl Write for Buf {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len + s.len();
        self.bytes
            .get_mut(self.len..end)
            .ok_or(fmt::Error)?
            .copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

fn display(addr: &impl fmt::Display) -> Buf {
    let mut buf = Buf {
        bytes: [0; 46],
        len: 0,
    };
    write!(buf, "{addr}").unwrap();
    buf
}

// glibc's own functions (the `libc` crate does not declare them).
unsafe extern "C" {
    fn inet_ntop(
        af: libc::c_int,
        src: *const libc::c_void,
        dst: *mut libc::c_char,
        size: libc::socklen_t,
    ) -> *const libc::c_char;
    fn inet_pton(af: libc::c_int, src: *const libc::c_char, dst: *mut libc::c_void) -> libc::c_int;
}

fn glibc_ntop(family: i32, src: *const libc::c_void) -> [libc::c_char; 46] {
    let mut buf = [0; 46];
    // SAFETY: `src` is an `in_addr`/`in6_addr` of `family`; `buf` has room
    // for INET6_ADDRSTRLEN.
    let r = unsafe { inet_ntop(family, src, buf.as_mut_ptr(), buf.len() as libc::socklen_t) };
    assert!(!r.is_null());
    buf
}

fn glibc_pton<T>(family: i32, text: &CStr) -> T {
    let mut out = std::mem::MaybeUninit::<T>::uninit();
    // SAFETY: a NUL-terminated string, and room for the family's address.
    let r = unsafe { inet_pton(family, text.as_ptr(), out.as_mut_ptr().cast()) };
    assert_eq!(r, 1);
    // SAFETY: inet_pton returned 1: it wrote the address.
    unsafe { out.assume_init() }
}

fn text(c: &mut Criterion) {
    let v4: Ipv4Addr = V4.parse().unwrap();
    let v6: Ipv6Addr = V6.parse().unwrap();
    // The same answers first, so each row does the same work.
    assert_eq!(zerosock::addr::inet_ntop_v4(v4).as_str(), V4);
    assert_eq!(zerosock::addr::inet_ntop_v6(v6).as_str(), V6);
    assert_eq!(v6.to_string(), V6);
    let in4 = libc::in_addr {
        s_addr: u32::from(v4).to_be(),
    };
    let in6 = libc::in6_addr { s6_addr: v6.octets() };

    let mut g = c.benchmark_group("text-ntop-v4");
    g.bench_function("zerosock", |b| {
        b.iter(|| zerosock::addr::inet_ntop_v4(black_box(v4)))
    });
    g.bench_function("glibc", |b| {
        b.iter(|| glibc_ntop(libc::AF_INET, (&raw const in4).cast()))
    });
    g.bench_function("core", |b| b.iter(|| display(black_box(&v4)).len));
    g.finish();

    let mut g = c.benchmark_group("text-ntop-v6");
    g.bench_function("zerosock", |b| {
        b.iter(|| zerosock::addr::inet_ntop_v6(black_box(v6)))
    });
    g.bench_function("glibc", |b| {
        b.iter(|| glibc_ntop(libc::AF_INET6, (&raw const in6).cast()))
    });
    g.bench_function("core", |b| b.iter(|| display(black_box(&v6)).len));
    g.finish();

    let mut g = c.benchmark_group("text-pton-v4");
    g.bench_function("zerosock", |b| {
        b.iter(|| zerosock::addr::inet_pton_v4(black_box(V4)).unwrap())
    });
    g.bench_function("glibc", |b| {
        b.iter(|| glibc_pton::<libc::in_addr>(libc::AF_INET, black_box(V4_C)).s_addr)
    });
    g.bench_function("core", |b| b.iter(|| black_box(V4).parse::<Ipv4Addr>().unwrap()));
    g.finish();

    let mut g = c.benchmark_group("text-pton-v6");
    g.bench_function("zerosock", |b| {
        b.iter(|| zerosock::addr::inet_pton_v6(black_box(V6)).unwrap())
    });
    g.bench_function("glibc", |b| {
        b.iter(|| glibc_pton::<libc::in6_addr>(libc::AF_INET6, black_box(V6_C)).s6_addr)
    });
    g.bench_function("core", |b| b.iter(|| black_box(V6).parse::<Ipv6Addr>().unwrap()));
    g.finish();
}

criterion_group! {
    name = benches;
    config = crit::config();
    targets = text
}
criterion_main!(benches);
