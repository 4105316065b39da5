//! The DNS message format (RFC 1035 §4), split as smoltcp's `wire`: a
//! checked view over bytes ([`Message::new_checked`] walks every name,
//! compression pointer and record length once, so nothing read afterwards
//! can run past the end or loop), validated representations of its parts
//! ([`Header`], [`Question`], [`Record`], [`RData`]), and a query builder
//! that writes into the caller's buffer and writes nothing when the buffer
//! is too small.
//!
//! Names are kept as they are on the wire: a [`Name`] is a position in a
//! checked message, read label by label through compression pointers that
//! must point strictly backwards (so no chain of pointers can loop).

use core::fmt;
use core::net::{Ipv4Addr, Ipv6Addr};

/// The longest name on the wire, in bytes, root label included (RFC 1035
/// §3.1).
pub const MAX_NAME: usize = 255;
/// The longest label (RFC 1035 §2.3.4).
pub const MAX_LABEL: usize = 63;
/// The fixed header's length.
pub const HEADER_LEN: usize = 12;

/// Record type `A` (an IPv4 address).
pub const TYPE_A: u16 = 1;
/// Record type `CNAME` (the canonical name of an alias).
pub const TYPE_CNAME: u16 = 5;
/// Record type `PTR` (a name for a reverse lookup).
pub const TYPE_PTR: u16 = 12;
/// Record type `AAAA` (an IPv6 address).
pub const TYPE_AAAA: u16 = 28;
/// Record type `OPT` (EDNS(0), RFC 6891).
pub const TYPE_OPT: u16 = 41;
/// Class `IN`.
pub const CLASS_IN: u16 = 1;

/// Response code `NOERROR`.
pub const RCODE_NOERROR: u8 = 0;
/// Response code `FORMERR`.
pub const RCODE_FORMERR: u8 = 1;
/// Response code `SERVFAIL`.
pub const RCODE_SERVFAIL: u8 = 2;
/// Response code `NXDOMAIN`.
pub const RCODE_NXDOMAIN: u8 = 3;
/// Response code `NOTIMP`.
pub const RCODE_NOTIMP: u8 = 4;
/// Response code `REFUSED`.
pub const RCODE_REFUSED: u8 = 5;

/// Why bytes are not a DNS message, or a name or query cannot be written.
///
/// # References
/// - [RFC 1035 §4](https://www.rfc-editor.org/rfc/rfc1035#section-4)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum WireError {
    /// The bytes end before the header, a name, a field or a record's data.
    Truncated,
    /// A label of a reserved type (`0x40`, `0x80`), or a longer name than
    /// 255 bytes once expanded.
    BadName,
    /// A compression pointer that does not point strictly backwards (a
    /// loop, or past the end).
    BadPointer,
    /// A count in the header promises more than the message holds, or bytes
    /// follow the last record.
    BadCount,
    /// The caller's buffer is too small; nothing was written.
    BufferTooSmall,
    /// A text name with an empty or too long label, or too long in all.
    BadText,
}

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Truncated => "DNS message truncated",
            Self::BadName => "bad name in DNS message",
            Self::BadPointer => "bad compression pointer in DNS message",
            Self::BadCount => "DNS message counts do not match its contents",
            Self::BufferTooSmall => "buffer too small for the DNS message",
            Self::BadText => "not a valid domain name",
        })
    }
}

impl core::error::Error for WireError {}

fn be16(buf: &[u8], at: usize) -> Result<u16, WireError> {
    match buf.get(at..at + 2) {
        Some(b) => Ok(u16::from_be_bytes([b[0], b[1]])),
        None => Err(WireError::Truncated),
    }
}

fn be32(buf: &[u8], at: usize) -> Result<u32, WireError> {
    match buf.get(at..at + 4) {
        Some(b) => Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]])),
        None => Err(WireError::Truncated),
    }
}

/// Walks the name at `at`: checks every label and pointer, and returns the
/// position just past the name where it is written (after its first
/// pointer, if any) and its expanded wire length.
fn walk_name(buf: &[u8], at: usize) -> Result<(usize, usize), WireError> {
    let mut pos = at;
    let mut end = None;
    let mut len = 0usize;
    // Every pointer points strictly before the label that holds it, so
    // positions decrease at each jump: at most buf.len() jumps. The length
    // bound stops the walk much earlier.
    let mut floor = at;
    loop {
        let b = *buf.get(pos).ok_or(WireError::Truncated)?;
        match b & 0xc0 {
            0x00 => {
                let n = usize::from(b);
                len += n + 1;
                if len > MAX_NAME {
                    return Err(WireError::BadName);
                }
                if n == 0 {
                    return Ok((end.unwrap_or(pos + 1), len));
                }
                if pos + 1 + n > buf.len() {
                    return Err(WireError::Truncated);
                }
                pos += 1 + n;
            }
            0xc0 => {
                let target = usize::from(be16(buf, pos)? & 0x3fff);
                if target >= floor {
                    return Err(WireError::BadPointer);
                }
                if end.is_none() {
                    end = Some(pos + 2);
                }
                floor = target;
                pos = target;
            }
            _ => return Err(WireError::BadName),
        }
    }
}

/// A checked DNS message: a view over bytes whose header, questions and
/// records have all been bounded by [`new_checked`](Message::new_checked).
///
/// ```
/// use zerosock::resolve::wire::{Message, TYPE_A, build_query, encode_name};
/// let mut name = [0u8; 255];
/// let n = encode_name("example.com", &mut name)?;
/// let mut buf = [0u8; 512];
/// let len = build_query(&mut buf, 0x1234, &name[..n], TYPE_A, None)?;
/// let msg = Message::new_checked(&buf[..len])?;
/// assert_eq!(msg.header().id, 0x1234);
/// let q = msg.questions().next().unwrap()?;
/// assert_eq!(q.qtype, TYPE_A);
/// assert!(q.name.eq_wire(&name[..n]));
/// # Ok::<(), zerosock::resolve::wire::WireError>(())
/// ```
///
/// # References
/// - [RFC 1035 §4.1](https://www.rfc-editor.org/rfc/rfc1035#section-4.1)
#[derive(Clone, Copy)]
#[doc(alias = "ns_msg")]
#[doc(alias = "ns_initparse")]
pub struct Message<T: AsRef<[u8]>> {
    buf: T,
    /// Where the answer section starts.
    answers_at: usize,
}

/// The fixed header, decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    /// The query ID.
    pub id: u16,
    /// The `QR` bit: a response.
    pub response: bool,
    /// The opcode (0: a standard query).
    pub opcode: u8,
    /// The `AA` bit.
    pub authoritative: bool,
    /// The `TC` bit: the message was truncated to fit.
    pub truncated: bool,
    /// The `RD` bit.
    pub recursion_desired: bool,
    /// The `RA` bit.
    pub recursion_available: bool,
    /// The response code (`RCODE_*`).
    pub rcode: u8,
    /// Questions.
    pub qdcount: u16,
    /// Answer records.
    pub ancount: u16,
    /// Authority records.
    pub nscount: u16,
    /// Additional records.
    pub arcount: u16,
}

/// A question: name, type, class.
#[derive(Clone, Copy, Debug)]
pub struct Question<'a> {
    /// The name asked for.
    pub name: Name<'a>,
    /// The type asked for (`TYPE_*`).
    pub qtype: u16,
    /// The class (`CLASS_IN`).
    pub qclass: u16,
}

/// The section a record is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    /// The answer section.
    Answer,
    /// The authority section.
    Authority,
    /// The additional section.
    Additional,
}

/// A resource record.
#[derive(Clone, Copy, Debug)]
pub struct Record<'a> {
    /// Its section.
    pub section: Section,
    /// Its owner name.
    pub name: Name<'a>,
    /// Its type (`TYPE_*`).
    pub rtype: u16,
    /// Its class.
    pub class: u16,
    /// Its time to live, in seconds.
    pub ttl: u32,
    /// Its data, decoded for the types a resolver reads.
    pub data: RData<'a>,
}

/// A record's data.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum RData<'a> {
    /// `A`.
    A(Ipv4Addr),
    /// `AAAA`.
    Aaaa(Ipv6Addr),
    /// `CNAME`: the canonical name.
    Cname(Name<'a>),
    /// `PTR`: the name an address maps to.
    Ptr(Name<'a>),
    /// Any other type, or an `A`/`AAAA` of the wrong length: the raw bytes.
    Other(&'a [u8]),
}

/// A name inside a checked message, read through its compression pointers.
#[derive(Clone, Copy)]
pub struct Name<'a> {
    msg: &'a [u8],
    at: usize,
}

impl<'a> Name<'a> {
    /// The labels, first to last (the root's empty label is not yielded).
    pub fn labels(&self) -> Labels<'a> {
        Labels {
            msg: self.msg,
            pos: self.at,
            floor: self.at,
            steps: 0,
        }
    }

    /// Whether this name equals `wire` (uncompressed wire form, as
    /// [`encode_name`] writes), ignoring ASCII case.
    pub fn eq_wire(&self, wire: &[u8]) -> bool {
        let mut pos = 0;
        for label in self.labels() {
            let Some(&n) = wire.get(pos) else { return false };
            let n = usize::from(n);
            if n != label.len() || n == 0 {
                return false;
            }
            let Some(other) = wire.get(pos + 1..pos + 1 + n) else {
                return false;
            };
            if !other.eq_ignore_ascii_case(label) {
                return false;
            }
            pos += 1 + n;
        }
        wire.get(pos) == Some(&0) && wire.len() == pos + 1
    }

    /// Whether two names are equal, ignoring ASCII case.
    pub fn eq_name(&self, other: &Name<'_>) -> bool {
        let mut a = self.labels();
        let mut b = other.labels();
        loop {
            match (a.next(), b.next()) {
                (None, None) => return true,
                (Some(x), Some(y)) if x.eq_ignore_ascii_case(y) => {}
                _ => return false,
            }
        }
    }

    /// Writes the name in its uncompressed wire form into `out`; returns
    /// the length.
    pub fn to_wire(&self, out: &mut [u8; MAX_NAME]) -> usize {
        let mut pos = 0;
        for label in self.labels() {
            // A checked name expands to at most 255 bytes.
            if pos + 1 + label.len() >= MAX_NAME {
                break;
            }
            out[pos] = label.len() as u8;
            out[pos + 1..pos + 1 + label.len()].copy_from_slice(label);
            pos += 1 + label.len();
        }
        out[pos] = 0;
        pos + 1
    }
}

impl fmt::Display for Name<'_> {
    /// The text form with dots between labels and no trailing dot (the root
    /// is `.`); bytes outside printable ASCII and `.`/`\` in labels are
    /// escaped as `\DDD` and `\.`, as glibc's `ns_name_ntop` does.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for label in self.labels() {
            if !first {
                f.write_str(".")?;
            }
            first = false;
            for &b in label {
                match b {
                    b'.' | b'\\' | b'"' | b';' | b'(' | b')' | b'@' | b'$' => write!(f, "\\{}", b as char)?,
                    0x21..=0x7e => write!(f, "{}", b as char)?,
                    _ => write!(f, "\\{b:03}")?,
                }
            }
        }
        if first {
            f.write_str(".")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Name<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Name({self})")
    }
}

/// The labels of a [`Name`].
pub struct Labels<'a> {
    msg: &'a [u8],
    pos: usize,
    floor: usize,
    steps: usize,
}

impl<'a> Iterator for Labels<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        // The message was checked; these bounds only keep a wrong view from
        // panicking or looping.
        loop {
            self.steps += 1;
            if self.steps > MAX_NAME {
                return None;
            }
            let b = *self.msg.get(self.pos)?;
            match b & 0xc0 {
                0x00 => {
                    let n = usize::from(b);
                    if n == 0 {
                        return None;
                    }
                    let label = self.msg.get(self.pos + 1..self.pos + 1 + n)?;
                    self.pos += 1 + n;
                    return Some(label);
                }
                0xc0 => {
                    let target = usize::from(be16(self.msg, self.pos).ok()? & 0x3fff);
                    if target >= self.floor {
                        return None;
                    }
                    self.floor = target;
                    self.pos = target;
                }
                _ => return None,
            }
        }
    }
}

impl<T: AsRef<[u8]>> Message<T> {
    /// Checks `buf` as a whole DNS message: the header is there, every
    /// question and record is complete, every name is well formed (labels of
    /// at most 63 bytes, at most 255 bytes expanded, compression pointers
    /// strictly backwards), and the counts match the bytes exactly.
    ///
    /// # References
    /// - [RFC 1035 §4.1](https://www.rfc-editor.org/rfc/rfc1035#section-4.1)
    pub fn new_checked(buf: T) -> Result<Self, WireError> {
        let b = buf.as_ref();
        if b.len() < HEADER_LEN {
            return Err(WireError::Truncated);
        }
        let qd = be16(b, 4)?;
        let total = u32::from(be16(b, 6)?) + u32::from(be16(b, 8)?) + u32::from(be16(b, 10)?);
        let mut pos = HEADER_LEN;
        for _ in 0..qd {
            pos = walk_name(b, pos).map_err(count_err)?.0;
            if pos + 4 > b.len() {
                return Err(WireError::BadCount);
            }
            pos += 4;
        }
        let answers_at = pos;
        for _ in 0..total {
            pos = walk_name(b, pos).map_err(count_err)?.0;
            let rdlen = usize::from(be16(b, pos + 8).map_err(|_| WireError::BadCount)?);
            pos += 10;
            if pos + rdlen > b.len() {
                return Err(WireError::Truncated);
            }
            // Names inside the data of the types we read are checked too.
            let rtype = be16(b, pos - 10)?;
            if matches!(rtype, TYPE_CNAME | TYPE_PTR) {
                let (end, _) = walk_name(b, pos)?;
                if end != pos + rdlen {
                    return Err(WireError::BadName);
                }
            }
            pos += rdlen;
        }
        if pos != b.len() {
            return Err(WireError::BadCount);
        }
        Ok(Self { buf, answers_at })
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        self.buf.as_ref()
    }

    /// The header.
    pub fn header(&self) -> Header {
        let b = self.buf.as_ref();
        let flags = u16::from_be_bytes([b[2], b[3]]);
        Header {
            id: u16::from_be_bytes([b[0], b[1]]),
            response: flags & 0x8000 != 0,
            opcode: ((flags >> 11) & 0xf) as u8,
            authoritative: flags & 0x0400 != 0,
            truncated: flags & 0x0200 != 0,
            recursion_desired: flags & 0x0100 != 0,
            recursion_available: flags & 0x0080 != 0,
            rcode: (flags & 0xf) as u8,
            qdcount: u16::from_be_bytes([b[4], b[5]]),
            ancount: u16::from_be_bytes([b[6], b[7]]),
            nscount: u16::from_be_bytes([b[8], b[9]]),
            arcount: u16::from_be_bytes([b[10], b[11]]),
        }
    }

    /// The questions. Items are `Err` only if the view was not checked.
    pub fn questions(&self) -> Questions<'_> {
        let b = self.buf.as_ref();
        Questions {
            msg: b,
            pos: HEADER_LEN,
            left: u16::from_be_bytes([b[4], b[5]]),
        }
    }

    /// Every record, answer section first.
    pub fn records(&self) -> Records<'_> {
        let h = self.header();
        Records {
            msg: self.buf.as_ref(),
            pos: self.answers_at,
            counts: [h.ancount, h.nscount, h.arcount],
            section: 0,
        }
    }
}

fn count_err(e: WireError) -> WireError {
    match e {
        WireError::Truncated => WireError::BadCount,
        e => e,
    }
}

/// The questions of a [`Message`].
pub struct Questions<'a> {
    msg: &'a [u8],
    pos: usize,
    left: u16,
}

impl<'a> Iterator for Questions<'a> {
    type Item = Result<Question<'a>, WireError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let at = self.pos;
        let r = (|| {
            let (end, _) = walk_name(self.msg, at)?;
            let q = Question {
                name: Name { msg: self.msg, at },
                qtype: be16(self.msg, end)?,
                qclass: be16(self.msg, end + 2)?,
            };
            self.pos = end + 4;
            Ok(q)
        })();
        if r.is_err() {
            self.left = 0;
        }
        Some(r)
    }
}

/// The records of a [`Message`].
pub struct Records<'a> {
    msg: &'a [u8],
    pos: usize,
    counts: [u16; 3],
    section: usize,
}

impl<'a> Iterator for Records<'a> {
    type Item = Result<Record<'a>, WireError>;

    fn next(&mut self) -> Option<Self::Item> {
        while self.section < 3 && self.counts[self.section] == 0 {
            self.section += 1;
        }
        if self.section >= 3 {
            return None;
        }
        self.counts[self.section] -= 1;
        let section = [Section::Answer, Section::Authority, Section::Additional][self.section];
        let at = self.pos;
        let r = (|| {
            let (end, _) = walk_name(self.msg, at)?;
            let rtype = be16(self.msg, end)?;
            let class = be16(self.msg, end + 2)?;
            let ttl = be32(self.msg, end + 4)?;
            let rdlen = usize::from(be16(self.msg, end + 8)?);
            let start = end + 10;
            let data = self.msg.get(start..start + rdlen).ok_or(WireError::Truncated)?;
            let data = match (rtype, rdlen) {
                (TYPE_A, 4) => RData::A(Ipv4Addr::new(data[0], data[1], data[2], data[3])),
                (TYPE_AAAA, 16) => {
                    let mut a = [0u8; 16];
                    a.copy_from_slice(data);
                    RData::Aaaa(Ipv6Addr::from(a))
                }
                (TYPE_CNAME | TYPE_PTR, _) => {
                    walk_name(self.msg, start)?;
                    let name = Name {
                        msg: self.msg,
                        at: start,
                    };
                    if rtype == TYPE_CNAME {
                        RData::Cname(name)
                    } else {
                        RData::Ptr(name)
                    }
                }
                _ => RData::Other(data),
            };
            self.pos = start + rdlen;
            Ok(Record {
                section,
                name: Name { msg: self.msg, at },
                rtype,
                class,
                ttl,
                data,
            })
        })();
        if r.is_err() {
            self.section = 3;
        }
        Some(r)
    }
}

/// Encodes a text name (`www.example.com`, with or without a trailing dot)
/// into uncompressed wire form in `out`; returns the length. Labels must be
/// 1 to 63 bytes, the whole at most 255 bytes; `.` alone is the root.
/// Backslash escapes are not interpreted (a backslash is an error).
///
/// ```
/// use zerosock::resolve::wire::encode_name;
/// let mut out = [0u8; 255];
/// let n = encode_name("a.bc.", &mut out)?;
/// assert_eq!(&out[..n], b"\x01a\x02bc\x00");
/// # Ok::<(), zerosock::resolve::wire::WireError>(())
/// ```
///
/// # References
/// - [RFC 1035 §3.1](https://www.rfc-editor.org/rfc/rfc1035#section-3.1)
#[doc(alias = "ns_name_pton")]
pub fn encode_name(text: &str, out: &mut [u8; MAX_NAME]) -> Result<usize, WireError> {
    let t = text.as_bytes();
    if t == b"." {
        out[0] = 0;
        return Ok(1);
    }
    let t = t.strip_suffix(b".").unwrap_or(t);
    if t.is_empty() || t.contains(&b'\\') {
        return Err(WireError::BadText);
    }
    let mut pos = 0;
    for label in t.split(|&c| c == b'.') {
        if label.is_empty() || label.len() > MAX_LABEL || pos + 1 + label.len() + 1 > MAX_NAME {
            return Err(WireError::BadText);
        }
        out[pos] = label.len() as u8;
        out[pos + 1..pos + 1 + label.len()].copy_from_slice(label);
        pos += 1 + label.len();
    }
    out[pos] = 0;
    Ok(pos + 1)
}

/// The length of a query for the wire name `qname`, with an EDNS(0) `OPT`
/// record when `edns_payload` is given.
pub fn query_len(qname: &[u8], edns_payload: Option<u16>) -> usize {
    HEADER_LEN + qname.len() + 4 + if edns_payload.is_some() { 11 } else { 0 }
}

/// Writes a standard recursive query (`RD` set, one question of class `IN`)
/// for the wire name `qname` into `buf`, with an EDNS(0) `OPT` record
/// advertising `edns_payload` bytes if given; returns its length. When
/// `buf` is too small nothing is written.
///
/// # References
/// - [RFC 1035 §4.1](https://www.rfc-editor.org/rfc/rfc1035#section-4.1)
/// - [RFC 6891 §6](https://www.rfc-editor.org/rfc/rfc6891#section-6)
#[doc(alias = "res_mkquery")]
pub fn build_query(
    buf: &mut [u8],
    id: u16,
    qname: &[u8],
    qtype: u16,
    edns_payload: Option<u16>,
) -> Result<usize, WireError> {
    walk_name(qname, 0)
        .ok()
        .filter(|&(end, _)| end == qname.len())
        .ok_or(WireError::BadText)?;
    let len = query_len(qname, edns_payload);
    let out = buf.get_mut(..len).ok_or(WireError::BufferTooSmall)?;
    out[..2].copy_from_slice(&id.to_be_bytes());
    out[2..4].copy_from_slice(&0x0100u16.to_be_bytes());
    out[4..6].copy_from_slice(&1u16.to_be_bytes());
    out[6..10].fill(0);
    out[10..12].copy_from_slice(&u16::from(edns_payload.is_some()).to_be_bytes());
    let mut pos = HEADER_LEN;
    out[pos..pos + qname.len()].copy_from_slice(qname);
    pos += qname.len();
    out[pos..pos + 2].copy_from_slice(&qtype.to_be_bytes());
    out[pos + 2..pos + 4].copy_from_slice(&CLASS_IN.to_be_bytes());
    pos += 4;
    if let Some(payload) = edns_payload {
        // Root name, type OPT, class = payload size, TTL 0, no data.
        out[pos] = 0;
        out[pos + 1..pos + 3].copy_from_slice(&TYPE_OPT.to_be_bytes());
        out[pos + 3..pos + 5].copy_from_slice(&payload.to_be_bytes());
        out[pos + 5..pos + 11].fill(0);
    }
    Ok(len)
}
