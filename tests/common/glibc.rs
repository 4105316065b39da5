//! glibc's own `inet_*` functions, called with NUL-terminated stack buffers:
//! the reference the text-form tests compare against.

use core::ffi::{c_char, c_int, c_void};
use core::net::Ipv4Addr;

// The `libc` crate does not declare these for Linux; glibc has them.
unsafe extern "C" {
    fn inet_aton(cp: *const c_char, inp: *mut libc::in_addr) -> c_int;
    fn inet_addr(cp: *const c_char) -> libc::in_addr_t;
    fn inet_ntoa(addr: libc::in_addr) -> *mut c_char;
    fn inet_pton(af: c_int, src: *const c_char, dst: *mut c_void) -> c_int;
    fn inet_ntop(af: c_int, src: *const c_void, dst: *mut c_char, size: libc::socklen_t) -> *const c_char;
}

/// The longest text the tests hand to glibc.
pub const MAX_TEXT: usize = 255;

/// `text` followed by a NUL, on the stack.
fn c_buf(text: &[u8]) -> [u8; MAX_TEXT + 1] {
    assert!(text.len() <= MAX_TEXT, "test text too long: {}", text.len());
    let mut buf = [0u8; MAX_TEXT + 1];
    buf[..text.len()].copy_from_slice(text);
    buf
}

/// The bytes of a NUL-terminated string glibc returned.
fn c_str_bytes(ptr: *const c_char) -> ([u8; 64], usize) {
    assert!(!ptr.is_null());
    let mut out = [0u8; 64];
    let mut len = 0;
    // SAFETY: glibc returned a NUL-terminated string shorter than 64 bytes
    // (at most INET6_ADDRSTRLEN).
    unsafe {
        while *ptr.add(len) != 0 {
            out[len] = *ptr.add(len) as u8;
            len += 1;
            assert!(len < 64);
        }
    }
    (out, len)
}

/// `inet_aton`: the address, or `None` where glibc refuses the text.
pub fn aton(text: &[u8]) -> Option<Ipv4Addr> {
    let buf = c_buf(text);
    let mut addr = libc::in_addr { s_addr: 0 };
    // SAFETY: `buf` is NUL-terminated; `addr` is a valid out pointer.
    let ok = unsafe { inet_aton(buf.as_ptr().cast(), &mut addr) };
    (ok != 0).then(|| Ipv4Addr::from(addr.s_addr.to_ne_bytes()))
}

/// The raw `in_addr_t` (network order), `INADDR_NONE` on failure.
pub fn addr(text: &[u8]) -> u32 {
    let buf = c_buf(text);
    // SAFETY: `buf` is NUL-terminated.
    unsafe { inet_addr(buf.as_ptr().cast()) }
}

/// `inet_ntoa`'s text, as bytes and a length.
pub fn ntoa(addr: Ipv4Addr) -> ([u8; 64], usize) {
    let raw = libc::in_addr {
        s_addr: u32::from_ne_bytes(addr.octets()),
    };
    // SAFETY: glibc's inet_ntoa returns its thread-local buffer, which we
    // copy before the next call on this thread.
    c_str_bytes(unsafe { inet_ntoa(raw) })
}

/// `inet_pton`'s return value and the 16-byte destination it filled.
pub fn pton(af: c_int, text: &[u8]) -> (c_int, [u8; 16]) {
    let buf = c_buf(text);
    let mut dst = [0u8; 16];
    // SAFETY: `buf` is NUL-terminated; `dst` has room for an in6_addr.
    let ret = unsafe { inet_pton(af, buf.as_ptr().cast(), dst.as_mut_ptr().cast()) };
    (ret, dst)
}

/// `inet_ntop`'s text for an address of family `af`, as bytes and a length.
pub fn ntop(af: c_int, src: &[u8]) -> ([u8; 64], usize) {
    let mut dst = [0u8; 64];
    // SAFETY: `src` holds an in_addr or in6_addr as `af` says; `dst` has
    // room for 64 bytes.
    let ret = unsafe { inet_ntop(af, src.as_ptr().cast(), dst.as_mut_ptr().cast(), 64) };
    c_str_bytes(ret)
}

/// `inet_pton`'s destination when it returned 1 (the text parsed), else
/// `None`.
pub fn pton_ok(af: c_int, text: &[u8]) -> Option<[u8; 16]> {
    let (ret, dst) = pton(af, text);
    (ret == 1).then_some(dst)
}

/// [`ntoa`]'s text as a `String`.
pub fn ntoa_string(addr: Ipv4Addr) -> String {
    let (text, len) = ntoa(addr);
    String::from_utf8(text[..len].to_vec()).unwrap()
}

/// [`ntop`]'s text as a `String`.
pub fn ntop_string(af: c_int, src: &[u8]) -> String {
    let (text, len) = ntop(af, src);
    String::from_utf8(text[..len].to_vec()).unwrap()
}
