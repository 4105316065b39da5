//! The text forms of IP addresses: `inet_aton`, `inet_addr`, `inet_ntoa`,
//! `inet_pton` and `inet_ntop`, giving byte for byte the answers glibc gives.
//!
//! Each parser reads its input as C does: the text ends at the end of the
//! slice or at the first NUL byte, whichever comes first, so both `"1.2.3.4"`
//! and a NUL-terminated C buffer can be passed as they are. The parsers
//! follow glibc's `resolv/inet_addr.c` and `resolv/inet_pton.c` step by step,
//! quirks included; the formatters follow `resolv/inet_ntop.c` (which differs
//! from `core::net`'s `Display` for some IPv6 addresses, e.g. `::0.1.0.0`).
//! Nothing here allocates or goes through `core::fmt` to parse or to format.

use core::fmt;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::endian::Be32;
use crate::flags::Domain;

/// `INET_ADDRSTRLEN`: room for the longest IPv4 text form and its NUL
/// (`"255.255.255.255"`, 15 bytes, plus one).
///
/// ```
/// use zerosock::addr::{inet_ntop_v4, INET_ADDRSTRLEN};
/// use core::net::Ipv4Addr;
/// assert_eq!(inet_ntop_v4(Ipv4Addr::BROADCAST).len(), INET_ADDRSTRLEN - 1);
/// ```
///
/// # References
/// - [inet_ntop(3)](https://man7.org/linux/man-pages/man3/inet_ntop.3.html)
pub const INET_ADDRSTRLEN: usize = 16;

/// `INET6_ADDRSTRLEN`: room for the longest IPv6 text form and its NUL
/// (`"ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255"` would be 45 bytes).
///
/// ```
/// use zerosock::addr::{inet_ntop_v6, INET6_ADDRSTRLEN};
/// use core::net::Ipv6Addr;
/// let max = Ipv6Addr::new(0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff);
/// assert!(inet_ntop_v6(max).len() < INET6_ADDRSTRLEN);
/// ```
///
/// # References
/// - [inet_ntop(3)](https://man7.org/linux/man-pages/man3/inet_ntop.3.html)
pub const INET6_ADDRSTRLEN: usize = 46;

/// Why a text form of an address was rejected.
///
/// glibc only says "no" (0, or `INADDR_NONE`); these variants say what was
/// wrong. Which texts are accepted is exactly glibc's choice; the variant is
/// this crate's description of the first problem the parser met.
///
/// ```
/// use zerosock::addr::{inet_aton, inet_pton_v4, AddrParseError};
/// assert_eq!(inet_aton("1.2.3.256"), Err(AddrParseError::PartOutOfRange));
/// assert_eq!(inet_pton_v4("01.2.3.4"), Err(AddrParseError::LeadingZero));
/// assert_eq!(inet_pton_v4(""), Err(AddrParseError::Empty));
/// ```
///
/// # References
/// - [inet(3)](https://man7.org/linux/man-pages/man3/inet.3.html)
/// - [inet_pton(3)](https://man7.org/linux/man-pages/man3/inet_pton.3.html)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AddrParseError {
    /// The text is empty (or starts with a NUL byte).
    Empty,
    /// A byte that cannot appear where it does, such as a letter in a
    /// decimal part, an `8` in an octal part, or trailing garbage.
    InvalidCharacter,
    /// A part is missing: a leading or trailing separator, or two `.` in a
    /// row; in IPv6, a single leading or trailing `:`.
    EmptyPart,
    /// A decimal part of a dotted quad has a leading zero (`inet_pton`
    /// accepts `0` but not `01`).
    LeadingZero,
    /// A number does not fit its part (more than 255 in a dotted part, more
    /// than the bits left for the last `inet_aton` part, more than four hex
    /// digits in an IPv6 group).
    PartOutOfRange,
    /// More parts than the address holds (a fifth dotted part, a ninth IPv6
    /// group, or a `::` that would stand for no group at all).
    TooManyParts,
    /// Fewer parts than the address needs (`inet_pton` wants exactly four
    /// dotted parts, and eight IPv6 groups unless `::` is used).
    TooFewParts,
    /// More than one `::` in an IPv6 address.
    MultipleDoubleColons,
    /// `inet_pton` was asked for a family other than `AF_INET` and
    /// `AF_INET6` (glibc's `EAFNOSUPPORT`).
    UnsupportedFamily,
}

impl fmt::Display for AddrParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Empty => "empty address text",
            Self::InvalidCharacter => "invalid character in address text",
            Self::EmptyPart => "missing part in address text",
            Self::LeadingZero => "leading zero in a dotted-decimal part",
            Self::PartOutOfRange => "address part out of range",
            Self::TooManyParts => "too many parts in address text",
            Self::TooFewParts => "too few parts in address text",
            Self::MultipleDoubleColons => "more than one '::' in IPv6 address text",
            Self::UnsupportedFamily => "address family not supported (EAFNOSUPPORT)",
        })
    }
}

impl core::error::Error for AddrParseError {}

use AddrParseError as E;

/// The text as C sees it: up to the first NUL byte.
#[inline]
fn c_text(text: &[u8]) -> &[u8] {
    match text.iter().position(|&b| b == 0) {
        Some(nul) => &text[..nul],
        None => text,
    }
}

/// `isspace` in the C locale: space, `\t`, `\n`, `\v`, `\f`, `\r`.
#[inline]
fn is_c_space(b: u8) -> bool {
    b == b' ' || (b'\t'..=b'\r').contains(&b)
}

/// The value of a hex digit, or `None`.
#[inline]
fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// `strtoul(text + at, &end, 0)` for a `text[at]` that is a digit: decimal,
/// octal after a leading `0`, hex after `0x`/`0X` when a hex digit follows
/// (else just the `0`, leaving `end` at the `x`). Returns the value, or
/// `None` if it exceeds 32 bits, and the index of the first byte not used.
#[inline]
fn strtoul_any_base(text: &[u8], at: usize) -> (Option<u32>, usize) {
    let mut i = at;
    let mut radix = 10u64;
    if text[at] == b'0' {
        radix = 8;
        i += 1;
        if matches!(text.get(i), Some(b'x' | b'X')) && text.get(i + 1).and_then(|&b| hex_value(b)).is_some() {
            radix = 16;
            i += 1;
        }
    }
    // Accumulate in 64 bits and stick at "too big" once past 32 bits, while
    // still consuming every digit as strtoul does.
    let mut value = 0u64;
    while let Some(&b) = text.get(i) {
        let digit = match hex_value(b) {
            Some(d) if u64::from(d) < radix => u64::from(d),
            _ => break,
        };
        value = (value * radix + digit).min(1 << 32);
        i += 1;
    }
    (u32::try_from(value).ok(), i)
}

/// glibc's `inet_aton_end`: the address in host byte order.
fn parse_aton(text: &[u8]) -> Result<u32, AddrParseError> {
    // The largest value the last part may take, by the number of parts before it.
    const LAST_MAX: [u32; 4] = [0xffff_ffff, 0x00ff_ffff, 0xffff, 0xff];
    let text = c_text(text);
    if text.is_empty() {
        return Err(E::Empty);
    }
    let mut high = 0u32; // the dotted parts so far, in their bytes
    let mut dotted = 0usize;
    let mut i = 0usize;
    let last = loop {
        // Each part starts with a decimal digit (strtoul's own leading
        // whitespace and sign are never reached).
        match text.get(i) {
            Some(b'0'..=b'9') => {}
            None | Some(b'.') => return Err(E::EmptyPart),
            Some(_) => return Err(E::InvalidCharacter),
        }
        let (value, end) = strtoul_any_base(text, i);
        let value = value.ok_or(E::PartOutOfRange)?;
        i = end;
        if text.get(i) != Some(&b'.') {
            break value;
        }
        if dotted == 3 {
            return Err(E::TooManyParts);
        }
        if value > 0xff {
            return Err(E::PartOutOfRange);
        }
        high |= value << (24 - 8 * dotted);
        dotted += 1;
        i += 1;
    };
    // After the address: the end, or whitespace and then anything at all.
    if let Some(&b) = text.get(i) {
        if !is_c_space(b) {
            return Err(E::InvalidCharacter);
        }
    }
    if last > LAST_MAX[dotted] {
        return Err(E::PartOutOfRange);
    }
    Ok(high | last)
}

/// Parses every IPv4 form glibc's `inet_aton` accepts: `a.b.c.d`, `a.b.c`
/// (c is 16 bits), `a.b` (b is 24 bits) and `a` (32 bits), each part
/// decimal, octal (leading `0`) or hex (`0x`/`0X`).
///
/// After the address, a whitespace byte (C locale: space, `\t`, `\n`, `\v`,
/// `\f`, `\r`) ends the text and anything may follow it, as in glibc; any
/// other trailing byte is an error. The text also ends at a NUL byte. For
/// the strict dotted-decimal form only, use [`inet_pton_v4`].
///
/// ```
/// use zerosock::addr::inet_aton;
/// use core::net::Ipv4Addr;
/// assert_eq!(inet_aton("127.1"), Ok(Ipv4Addr::new(127, 0, 0, 1)));
/// assert_eq!(inet_aton("0x7f.1.0377"), Ok(Ipv4Addr::new(127, 1, 0, 255)));
/// assert_eq!(inet_aton("3232235777"), Ok(Ipv4Addr::new(192, 168, 1, 1)));
/// assert_eq!(inet_aton("10.0.0.1 trailing words"), Ok(Ipv4Addr::new(10, 0, 0, 1)));
/// assert!(inet_aton("10.0.0.1x").is_err());
/// assert!(inet_aton("08").is_err()); // octal
/// ```
///
/// # References
/// - [inet(3)](https://man7.org/linux/man-pages/man3/inet.3.html)
#[inline]
pub fn inet_aton(text: impl AsRef<[u8]>) -> Result<Ipv4Addr, AddrParseError> {
    parse_aton(text.as_ref()).map(Ipv4Addr::from_bits)
}

/// Parses the forms [`inet_aton`] accepts into an `in_addr_t` in network
/// byte order.
///
/// Unlike C's `inet_addr`, an error is an error: `"255.255.255.255"` is
/// `Ok`, not the ambiguous `INADDR_NONE`.
///
/// ```
/// use zerosock::addr::inet_addr;
/// use zerosock::endian::Be32;
/// assert_eq!(inet_addr("127.0.0.1"), Ok(Be32::from_bytes([127, 0, 0, 1])));
/// assert_eq!(inet_addr("255.255.255.255"), Ok(Be32::from_host(u32::MAX)));
/// assert!(inet_addr("256.0.0.1").is_err());
/// ```
///
/// # References
/// - [inet(3)](https://man7.org/linux/man-pages/man3/inet.3.html)
#[inline]
pub fn inet_addr(text: impl AsRef<[u8]>) -> Result<Be32, AddrParseError> {
    parse_aton(text.as_ref()).map(Be32::from_host)
}

/// Formats an IPv4 address in dotted-decimal form, as `inet_ntoa` does
/// (the same text as [`inet_ntop_v4`]), without a shared static buffer.
///
/// ```
/// use zerosock::addr::inet_ntoa;
/// use core::net::Ipv4Addr;
/// assert_eq!(inet_ntoa(Ipv4Addr::new(10, 0, 0, 255)), "10.0.0.255");
/// ```
///
/// # References
/// - [inet(3)](https://man7.org/linux/man-pages/man3/inet.3.html)
#[inline]
#[must_use]
pub fn inet_ntoa(addr: Ipv4Addr) -> heapless::String<INET_ADDRSTRLEN> {
    inet_ntop_v4(addr)
}

/// glibc's `inet_pton4`: exactly four decimal parts, each 0..=255 without a
/// leading zero, nothing else.
///
/// The text ends at its first NUL, checked in the same pass (no separate
/// scan for the end, as in [`c_text`]).
fn parse_pton4(text: &[u8]) -> Result<[u8; 4], AddrParseError> {
    if text.first().is_none_or(|&b| b == 0) {
        return Err(E::Empty);
    }
    let mut octets = [0u8; 4];
    let mut index = 0usize; // the part being read
    let mut part = 0u32; // its value so far, kept in a register
    let mut digits = 0u32;
    for &b in text {
        match b {
            b'0'..=b'9' => {
                if digits > 0 && part == 0 {
                    return Err(E::LeadingZero);
                }
                part = part * 10 + u32::from(b - b'0');
                if part > 255 {
                    return Err(E::PartOutOfRange);
                }
                digits += 1;
            }
            b'.' if digits > 0 => {
                if index == 3 {
                    return Err(E::TooManyParts);
                }
                octets[index] = part as u8;
                index += 1;
                part = 0;
                digits = 0;
            }
            b'.' => return Err(E::EmptyPart),
            0 => break,
            _ => return Err(E::InvalidCharacter),
        }
    }
    if digits == 0 {
        return Err(E::EmptyPart);
    }
    if index != 3 {
        return Err(E::TooFewParts);
    }
    octets[3] = part as u8;
    Ok(octets)
}

/// glibc's `inet_pton6`. The text ends at its first NUL, checked as it is
/// read (no separate scan for the end).
fn parse_pton6(text: &[u8]) -> Result<[u8; 16], AddrParseError> {
    let mut bytes = [0u8; 16];
    let mut filled = 0usize; // bytes written so far
    let mut gap: Option<usize> = None; // where "::" stands
    let at_end = |i: usize| text.get(i).is_none_or(|&b| b == 0);
    if at_end(0) {
        return Err(E::Empty);
    }
    let mut i = 0usize;
    // A leading ':' must be the first half of "::"; the second half then
    // goes through the loop as an empty group.
    if text[0] == b':' {
        if text.get(1) != Some(&b':') {
            return Err(E::EmptyPart);
        }
        i = 1;
    }
    let mut token = i; // where the current group starts
    let mut digits = 0usize;
    let mut value = 0u16;
    while !at_end(i) {
        let b = text[i];
        i += 1;
        if let Some(d) = hex_value(b) {
            if digits == 4 {
                return Err(E::PartOutOfRange);
            }
            value = (value << 4) | u16::from(d);
            digits += 1;
            continue;
        }
        match b {
            b':' => {
                token = i;
                if digits == 0 {
                    if gap.is_some() {
                        return Err(E::MultipleDoubleColons);
                    }
                    gap = Some(filled);
                    continue;
                }
                if at_end(i) {
                    return Err(E::EmptyPart);
                }
                if filled + 2 > 16 {
                    return Err(E::TooManyParts);
                }
                bytes[filled..filled + 2].copy_from_slice(&value.to_be_bytes());
                filled += 2;
                digits = 0;
                value = 0;
            }
            // The rest of the text, from the start of this group, must be a
            // dotted quad in the last 32 bits (or before a "::").
            b'.' => {
                if filled + 4 > 16 {
                    return Err(E::TooManyParts);
                }
                let quad = parse_pton4(&text[token..])?;
                bytes[filled..filled + 4].copy_from_slice(&quad);
                filled += 4;
                digits = 0;
                break;
            }
            _ => return Err(E::InvalidCharacter),
        }
    }
    if digits > 0 {
        if filled + 2 > 16 {
            return Err(E::TooManyParts);
        }
        bytes[filled..filled + 2].copy_from_slice(&value.to_be_bytes());
        filled += 2;
    }
    if let Some(gap) = gap {
        if filled == 16 {
            // "::" would stand for no group at all.
            return Err(E::TooManyParts);
        }
        // Move the groups after "::" to the end; zeros fill the middle.
        let tail = filled - gap;
        bytes.copy_within(gap..filled, 16 - tail);
        bytes[gap..16 - tail].fill(0);
        filled = 16;
    }
    if filled != 16 {
        return Err(E::TooFewParts);
    }
    Ok(bytes)
}

/// Parses an IPv4 address in strict dotted-decimal form, as
/// `inet_pton(AF_INET, ...)` does: exactly four decimal parts, each 0 to 255
/// without leading zeros, and nothing else. The text ends at a NUL byte.
///
/// ```
/// use zerosock::addr::inet_pton_v4;
/// use core::net::Ipv4Addr;
/// assert_eq!(inet_pton_v4("192.168.0.1"), Ok(Ipv4Addr::new(192, 168, 0, 1)));
/// assert!(inet_pton_v4("192.168.1").is_err());
/// assert!(inet_pton_v4("192.168.0.01").is_err());
/// ```
///
/// # References
/// - [inet_pton(3)](https://man7.org/linux/man-pages/man3/inet_pton.3.html)
#[doc(alias = "inet_pton")]
#[inline]
pub fn inet_pton_v4(text: impl AsRef<[u8]>) -> Result<Ipv4Addr, AddrParseError> {
    parse_pton4(text.as_ref()).map(Ipv4Addr::from)
}

/// Parses an IPv6 address as `inet_pton(AF_INET6, ...)` does: up to eight
/// groups of one to four hex digits (either case), one `::` for a run of
/// zero groups, and optionally a dotted quad as the last 32 bits. The text
/// ends at a NUL byte; scope suffixes (`%eth0`) are not part of this form.
///
/// ```
/// use zerosock::addr::inet_pton_v6;
/// use core::net::{Ipv4Addr, Ipv6Addr};
/// assert_eq!(inet_pton_v6("::1"), Ok(Ipv6Addr::LOCALHOST));
/// assert_eq!(inet_pton_v6("::FFFF:10.0.0.1"), Ok(Ipv4Addr::new(10, 0, 0, 1).to_ipv6_mapped()));
/// assert!(inet_pton_v6("1::2::3").is_err());
/// assert!(inet_pton_v6("12345::").is_err());
/// ```
///
/// # References
/// - [inet_pton(3)](https://man7.org/linux/man-pages/man3/inet_pton.3.html)
#[doc(alias = "inet_pton")]
#[inline]
pub fn inet_pton_v6(text: impl AsRef<[u8]>) -> Result<Ipv6Addr, AddrParseError> {
    parse_pton6(text.as_ref()).map(Ipv6Addr::from)
}

/// Parses an address of the given family, as `inet_pton` does: `AF_INET`
/// like [`inet_pton_v4`], `AF_INET6` like [`inet_pton_v6`], any other family
/// [`AddrParseError::UnsupportedFamily`] (glibc's `EAFNOSUPPORT`).
///
/// ```
/// use zerosock::Domain;
/// use zerosock::addr::{inet_pton, AddrParseError};
/// use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};
/// assert_eq!(inet_pton(Domain::INET, "127.0.0.1"), Ok(IpAddr::V4(Ipv4Addr::LOCALHOST)));
/// assert_eq!(inet_pton(Domain::INET6, "::1"), Ok(IpAddr::V6(Ipv6Addr::LOCALHOST)));
/// assert_eq!(inet_pton(Domain::UNIX, "::1"), Err(AddrParseError::UnsupportedFamily));
/// ```
///
/// # References
/// - [inet_pton(3)](https://man7.org/linux/man-pages/man3/inet_pton.3.html)
pub fn inet_pton(family: Domain, text: impl AsRef<[u8]>) -> Result<IpAddr, AddrParseError> {
    if family == Domain::INET {
        inet_pton_v4(text).map(IpAddr::V4)
    } else if family == Domain::INET6 {
        inet_pton_v6(text).map(IpAddr::V6)
    } else {
        Err(E::UnsupportedFamily)
    }
}

/// A text form being built on the stack: the longest is 45 bytes.
struct TextBuf {
    bytes: [u8; INET6_ADDRSTRLEN],
    len: usize,
}

impl TextBuf {
    #[inline]
    fn new() -> Self {
        Self {
            bytes: [0; INET6_ADDRSTRLEN],
            len: 0,
        }
    }

    #[inline]
    fn push(&mut self, b: u8) {
        self.bytes[self.len] = b;
        self.len += 1;
    }

    /// glibc's `put_uint8`: decimal, no leading zeros.
    #[inline]
    fn put_u8(&mut self, v: u8) {
        if v >= 100 {
            self.push(b'0' + v / 100);
        }
        if v >= 10 {
            self.push(b'0' + v / 10 % 10);
        }
        self.push(b'0' + v % 10);
    }

    /// glibc's `put_uint16`: lowercase hex, no leading zeros.
    #[inline]
    fn put_u16_hex(&mut self, v: u16) {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        for shift in [12u32, 8, 4] {
            if v >> shift != 0 {
                self.push(DIGITS[usize::from((v >> shift) & 0xf)]);
            }
        }
        self.push(DIGITS[usize::from(v & 0xf)]);
    }

    #[inline]
    fn put_quad(&mut self, [a, b, c, d]: [u8; 4]) {
        self.put_u8(a);
        self.push(b'.');
        self.put_u8(b);
        self.push(b'.');
        self.put_u8(c);
        self.push(b'.');
        self.put_u8(d);
    }

    /// glibc's `inet_ntop6`.
    fn put_v6(&mut self, addr: Ipv6Addr) {
        let words = addr.segments();
        // The longest run of zero words; the first one on a tie.
        let (mut best_base, mut best_len) = (0usize, 0usize);
        let mut run_len = 0usize;
        for (i, &w) in words.iter().enumerate() {
            if w == 0 {
                run_len += 1;
                if run_len > best_len {
                    best_base = i + 1 - run_len;
                    best_len = run_len;
                }
            } else {
                run_len = 0;
            }
        }
        // A single zero word is written out, not shortened to "::".
        let gap = if best_len >= 2 {
            best_base..best_base + best_len
        } else {
            0..0
        };
        let mut i = 0;
        while i < 8 {
            if gap.contains(&i) {
                if i == gap.start {
                    self.push(b':');
                }
                i += 1;
                continue;
            }
            if i != 0 {
                self.push(b':');
            }
            // IPv4-compatible (::a.b.c.d, words 0-5 exactly the zero run)
            // and IPv4-mapped (::ffff:a.b.c.d, words 0-4 the run, word 5
            // 0xffff) addresses end in a dotted quad.
            if i == 6 && gap.start == 0 && (gap.end == 6 || (gap.end == 5 && words[5] == 0xffff)) {
                let o = addr.octets();
                self.put_quad([o[12], o[13], o[14], o[15]]);
                return;
            }
            self.put_u16_hex(words[i]);
            i += 1;
        }
        if gap.end == 8 {
            self.push(b':');
        }
    }

    #[inline]
    fn as_str(&self) -> Result<&str, fmt::Error> {
        core::str::from_utf8(&self.bytes[..self.len]).map_err(|_| fmt::Error)
    }
}

/// Writes the text form of `addr` to `out`, as glibc's `inet_ntop` writes
/// it: dotted decimal for IPv4; for IPv6, lowercase hex groups without
/// leading zeros, the longest run of two or more zero groups (the first on a
/// tie) as `::`, and a dotted quad at the end of IPv4-mapped
/// (`::ffff:a.b.c.d`) and IPv4-compatible (`::a.b.c.d`) addresses.
///
/// The text is built on the stack and handed to `out` in one `write_str`.
///
/// ```
/// use zerosock::addr::write_inet_ntop;
/// use core::net::{IpAddr, Ipv6Addr};
/// let mut text = heapless::String::<64>::new();
/// write_inet_ntop(IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 1, 0, 0, 1)), &mut text).unwrap();
/// assert_eq!(text, "2001:db8::1:0:0:1");
/// ```
///
/// # References
/// - [inet_ntop(3)](https://man7.org/linux/man-pages/man3/inet_ntop.3.html)
#[doc(alias = "inet_ntop")]
pub fn write_inet_ntop(addr: IpAddr, out: &mut impl fmt::Write) -> fmt::Result {
    let mut text = TextBuf::new();
    match addr {
        IpAddr::V4(v4) => text.put_quad(v4.octets()),
        IpAddr::V6(v6) => text.put_v6(v6),
    }
    out.write_str(text.as_str()?)
}

/// Formats an IPv4 address in dotted-decimal form, as
/// `inet_ntop(AF_INET, ...)` does.
///
/// ```
/// use zerosock::addr::inet_ntop_v4;
/// use core::net::Ipv4Addr;
/// assert_eq!(inet_ntop_v4(Ipv4Addr::new(192, 0, 2, 33)), "192.0.2.33");
/// ```
///
/// # References
/// - [inet_ntop(3)](https://man7.org/linux/man-pages/man3/inet_ntop.3.html)
#[doc(alias = "inet_ntop")]
#[must_use]
pub fn inet_ntop_v4(addr: Ipv4Addr) -> heapless::String<INET_ADDRSTRLEN> {
    let mut text = heapless::String::new();
    // Cannot fail: the longest IPv4 text is 15 bytes.
    let _ = write_inet_ntop(IpAddr::V4(addr), &mut text);
    text
}

/// Formats an IPv6 address as `inet_ntop(AF_INET6, ...)` does (see
/// [`write_inet_ntop`] for the rules), which is not always what
/// `core::net`'s `Display` writes.
///
/// ```
/// use zerosock::addr::inet_ntop_v6;
/// use core::net::Ipv6Addr;
/// assert_eq!(inet_ntop_v6(Ipv6Addr::new(0, 0, 0, 0, 0, 0xffff, 0x7f00, 1)), "::ffff:127.0.0.1");
/// assert_eq!(inet_ntop_v6(Ipv6Addr::new(0, 0, 0, 0, 0, 0, 1, 0)), "::0.1.0.0");
/// assert_eq!(inet_ntop_v6(Ipv6Addr::new(1, 0, 2, 0, 0, 3, 0, 0)), "1:0:2::3:0:0");
/// ```
///
/// # References
/// - [inet_ntop(3)](https://man7.org/linux/man-pages/man3/inet_ntop.3.html)
#[doc(alias = "inet_ntop")]
#[must_use]
pub fn inet_ntop_v6(addr: Ipv6Addr) -> heapless::String<INET6_ADDRSTRLEN> {
    inet_ntop(IpAddr::V6(addr))
}

/// Formats an IPv4 or IPv6 address as `inet_ntop` does (see
/// [`write_inet_ntop`]).
///
/// ```
/// use zerosock::addr::inet_ntop;
/// use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};
/// assert_eq!(inet_ntop(IpAddr::V4(Ipv4Addr::LOCALHOST)), "127.0.0.1");
/// assert_eq!(inet_ntop(IpAddr::V6(Ipv6Addr::UNSPECIFIED)), "::");
/// ```
///
/// # References
/// - [inet_ntop(3)](https://man7.org/linux/man-pages/man3/inet_ntop.3.html)
#[must_use]
pub fn inet_ntop(addr: IpAddr) -> heapless::String<INET6_ADDRSTRLEN> {
    let mut text = heapless::String::new();
    // Cannot fail: the longest text is 45 bytes.
    let _ = write_inet_ntop(addr, &mut text);
    text
}
