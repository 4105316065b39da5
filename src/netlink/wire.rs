//! The netlink message format, in smoltcp's `wire` style: checked views
//! over received bytes ([`NlMsg`], [`Messages`], [`Attr`], [`Attrs`]) that
//! bound every length once and never panic, and a builder ([`MsgBuilder`])
//! that writes a message into the caller's buffer and leaves nothing
//! half-written when the buffer is too small.

use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::abi::Pod;
use crate::abi::bytes_of;
use crate::abi::netlink::{NlAttr, NlMsgHdr, read_pod};

use super::NlError;

/// `NLMSG_HDRLEN`: the size of [`NlMsgHdr`].
pub const NLMSG_HDRLEN: usize = 16;
/// `NLA_HDRLEN`: the size of [`NlAttr`].
pub const NLA_HDRLEN: usize = 4;
/// `NLA_F_NESTED`: the attribute holds attributes.
pub const NLA_F_NESTED: u16 = 1 << 15;
/// `NLA_F_NET_BYTEORDER`: the attribute's payload is in network order.
pub const NLA_F_NET_BYTEORDER: u16 = 1 << 14;
/// `NLA_TYPE_MASK`: the type without the two flags above.
pub const NLA_TYPE_MASK: u16 = !(NLA_F_NESTED | NLA_F_NET_BYTEORDER);

/// `NLMSG_ALIGN` / `NLA_ALIGN`: rounds up to a multiple of 4.
#[must_use]
pub const fn align(len: usize) -> usize {
    (len + 3) & !3
}

/// One netlink message: its header and payload, checked.
///
/// ```
/// use zerosock::netlink::{MsgBuilder, NlMsg};
/// let mut buf = [0u8; 64];
/// let mut b = MsgBuilder::new(&mut buf, 18, 0x301, 7)?;
/// b.attr_u32(1, 42)?;
/// let bytes = b.finish();
/// let (msg, rest) = NlMsg::parse(bytes)?;
/// assert_eq!((msg.ty(), msg.seq(), rest.len()), (18, 7, 0));
/// # Ok::<(), zerosock::netlink::NlError>(())
/// ```
///
/// # References
/// - [netlink(7)](https://man7.org/linux/man-pages/man7/netlink.7.html)
#[derive(Clone, Copy, Debug)]
pub struct NlMsg<'a> {
    header: NlMsgHdr,
    payload: &'a [u8],
}

impl<'a> NlMsg<'a> {
    /// Parses the message at the start of `bytes`, returning it and the
    /// bytes after it (past its alignment padding).
    ///
    /// # Errors
    /// [`NlError::Malformed`] if the header does not fit or its length is
    /// shorter than the header or longer than `bytes`.
    pub fn parse(bytes: &'a [u8]) -> Result<(Self, &'a [u8]), NlError> {
        let header: NlMsgHdr = read_pod(bytes).ok_or(NlError::Malformed("message header truncated"))?;
        let len = header.nlmsg_len as usize;
        if len < NLMSG_HDRLEN {
            return Err(NlError::Malformed("message length shorter than its header"));
        }
        if len > bytes.len() {
            return Err(NlError::Malformed("message length beyond the datagram"));
        }
        let rest = bytes.get(align(len)..).unwrap_or(&[]);
        Ok((
            Self {
                header,
                payload: &bytes[NLMSG_HDRLEN..len],
            },
            rest,
        ))
    }

    /// The header.
    #[must_use]
    pub const fn header(&self) -> NlMsgHdr {
        self.header
    }

    /// `nlmsg_type`.
    #[must_use]
    pub const fn ty(&self) -> u16 {
        self.header.nlmsg_type
    }

    /// `nlmsg_flags`.
    #[must_use]
    pub const fn flags(&self) -> u16 {
        self.header.nlmsg_flags
    }

    /// `nlmsg_seq`.
    #[must_use]
    pub const fn seq(&self) -> u32 {
        self.header.nlmsg_seq
    }

    /// `nlmsg_pid`: the port id the message is addressed to or from.
    #[must_use]
    pub const fn pid(&self) -> u32 {
        self.header.nlmsg_pid
    }

    /// The bytes after the header.
    #[must_use]
    pub const fn payload(&self) -> &'a [u8] {
        self.payload
    }

    /// The family header `T` at the start of the payload and the attributes
    /// after it (from `NLMSG_ALIGN(sizeof(T))`), every attribute checked.
    ///
    /// # Errors
    /// [`NlError::Malformed`] if `T` does not fit or an attribute is
    /// malformed.
    pub fn split<T: Pod>(&self) -> Result<(T, Attrs<'a>), NlError> {
        let fixed: T = read_pod(self.payload).ok_or(NlError::Malformed("family header truncated"))?;
        let attrs = Attrs::new(self.payload.get(align(size_of::<T>())..).unwrap_or(&[]));
        attrs.check()?;
        Ok((fixed, attrs))
    }
}

use core::mem::size_of;

/// The messages of one received datagram, in order. Yields an error once,
/// at the first malformed message, and nothing after it.
#[derive(Clone, Debug)]
pub struct Messages<'a> {
    rest: &'a [u8],
}

impl<'a> Messages<'a> {
    /// The messages in `datagram`.
    #[must_use]
    pub const fn new(datagram: &'a [u8]) -> Self {
        Self { rest: datagram }
    }
}

impl<'a> Iterator for Messages<'a> {
    type Item = Result<NlMsg<'a>, NlError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        match NlMsg::parse(self.rest) {
            Ok((msg, rest)) => {
                self.rest = rest;
                Some(Ok(msg))
            }
            Err(e) => {
                self.rest = &[];
                Some(Err(e))
            }
        }
    }
}

/// One attribute: its type and payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Attr<'a> {
    ty: u16,
    payload: &'a [u8],
}

impl<'a> Attr<'a> {
    /// The type, without `NLA_F_NESTED` and `NLA_F_NET_BYTEORDER`.
    #[must_use]
    pub const fn kind(&self) -> u16 {
        self.ty & NLA_TYPE_MASK
    }

    /// The type as sent, flags included.
    #[must_use]
    pub const fn raw_type(&self) -> u16 {
        self.ty
    }

    /// The payload.
    #[must_use]
    pub const fn payload(&self) -> &'a [u8] {
        self.payload
    }

    fn exact<const N: usize>(&self) -> Result<[u8; N], NlError> {
        self.payload
            .try_into()
            .map_err(|_| NlError::Malformed("attribute has the wrong length"))
    }

    /// The payload as a `u8`.
    ///
    /// # Errors
    /// [`NlError::Malformed`] unless the payload is exactly 1 byte.
    pub fn u8(&self) -> Result<u8, NlError> {
        self.exact::<1>().map(|b| b[0])
    }

    /// The payload as a host-order `u16`.
    ///
    /// # Errors
    /// [`NlError::Malformed`] unless the payload is exactly 2 bytes.
    pub fn u16(&self) -> Result<u16, NlError> {
        self.exact().map(u16::from_ne_bytes)
    }

    /// The payload as a host-order `u32`.
    ///
    /// # Errors
    /// [`NlError::Malformed`] unless the payload is exactly 4 bytes.
    pub fn u32(&self) -> Result<u32, NlError> {
        self.exact().map(u32::from_ne_bytes)
    }

    /// The payload as a host-order `i32`.
    ///
    /// # Errors
    /// [`NlError::Malformed`] unless the payload is exactly 4 bytes.
    pub fn i32(&self) -> Result<i32, NlError> {
        self.exact().map(i32::from_ne_bytes)
    }

    /// The payload as a host-order `u64`.
    ///
    /// # Errors
    /// [`NlError::Malformed`] unless the payload is exactly 8 bytes.
    pub fn u64(&self) -> Result<u64, NlError> {
        self.exact().map(u64::from_ne_bytes)
    }

    /// The payload as a string: up to its first NUL, UTF-8.
    ///
    /// # Errors
    /// [`NlError::Malformed`] if it is not UTF-8.
    pub fn str(&self) -> Result<&'a str, NlError> {
        let end = self
            .payload
            .iter()
            .position(|&b| b == 0)
            .unwrap_or(self.payload.len());
        core::str::from_utf8(&self.payload[..end]).map_err(|_| NlError::Malformed("attribute is not UTF-8"))
    }

    /// The payload as an IP address: 4 bytes IPv4, 16 bytes IPv6.
    ///
    /// # Errors
    /// [`NlError::Malformed`] for any other length.
    pub fn ip(&self) -> Result<IpAddr, NlError> {
        match self.payload.len() {
            4 => Ok(IpAddr::V4(Ipv4Addr::from(self.exact::<4>()?))),
            16 => Ok(IpAddr::V6(Ipv6Addr::from(self.exact::<16>()?))),
            _ => Err(NlError::Malformed("address attribute of neither 4 nor 16 bytes")),
        }
    }

    /// The attributes nested in this one's payload.
    #[must_use]
    pub const fn nested(&self) -> Attrs<'a> {
        Attrs::new(self.payload)
    }
}

/// A run of attributes. Yields an error once, at the first malformed
/// attribute, and nothing after it; unknown types are passed through.
#[derive(Clone, Copy, Debug)]
pub struct Attrs<'a> {
    rest: &'a [u8],
}

impl<'a> Attrs<'a> {
    /// The attributes in `bytes`.
    #[must_use]
    pub const fn new(bytes: &'a [u8]) -> Self {
        Self { rest: bytes }
    }

    /// Checks every attribute's length (not nested ones).
    ///
    /// # Errors
    /// [`NlError::Malformed`] at the first bad attribute.
    pub fn check(&self) -> Result<(), NlError> {
        for attr in *self {
            attr?;
        }
        Ok(())
    }

    /// The first well-formed attribute of type `kind` (flags masked off).
    #[must_use]
    pub fn find(&self, kind: u16) -> Option<Attr<'a>> {
        self.map_while(Result::ok).find(|a| a.kind() == kind)
    }
}

impl<'a> Iterator for Attrs<'a> {
    type Item = Result<Attr<'a>, NlError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        let Some(header) = read_pod::<NlAttr>(self.rest) else {
            self.rest = &[];
            return Some(Err(NlError::Malformed("attribute header truncated")));
        };
        let len = header.nla_len as usize;
        if len < NLA_HDRLEN || len > self.rest.len() {
            self.rest = &[];
            return Some(Err(NlError::Malformed("attribute length out of bounds")));
        }
        let attr = Attr {
            ty: header.nla_type,
            payload: &self.rest[NLA_HDRLEN..len],
        };
        self.rest = self.rest.get(align(len)..).unwrap_or(&[]);
        Some(Ok(attr))
    }
}

/// Writes one netlink message into the caller's buffer: the header, an
/// optional family header, then attributes (nested too). Each step that
/// does not fit fails with [`NlError::NoSpace`] and writes nothing, so what
/// [`finish`](Self::finish) returns is always a whole, valid message.
///
/// ```
/// use zerosock::netlink::{MsgBuilder, NlMsg};
/// let mut buf = [0u8; 40];
/// let mut b = MsgBuilder::new(&mut buf, 16, 0x5, 1)?;
/// b.attr_str(3, "veth0")?;
/// assert!(b.attr(4, &[0; 64]).is_err()); // does not fit: nothing written
/// let (msg, _) = NlMsg::parse(b.finish())?;
/// assert_eq!(msg.payload().len(), 12);
/// # Ok::<(), zerosock::netlink::NlError>(())
/// ```
#[derive(Debug)]
pub struct MsgBuilder<'b> {
    buf: &'b mut [u8],
    len: usize,
}

impl<'b> MsgBuilder<'b> {
    /// Starts a message of type `ty` with `flags` and sequence number `seq`
    /// (port id 0: the kernel fills in the sender's).
    ///
    /// # Errors
    /// [`NlError::NoSpace`] if `buf` cannot hold the header.
    pub fn new(buf: &'b mut [u8], ty: u16, flags: u16, seq: u32) -> Result<Self, NlError> {
        let mut b = Self { buf, len: 0 };
        b.put(bytes_of(&NlMsgHdr {
            nlmsg_len: NLMSG_HDRLEN as u32,
            nlmsg_type: ty,
            nlmsg_flags: flags,
            nlmsg_seq: seq,
            nlmsg_pid: 0,
        }))?;
        Ok(b)
    }

    /// Appends `bytes` and padding to 4, or nothing if they do not fit.
    fn put(&mut self, bytes: &[u8]) -> Result<(), NlError> {
        let end = self.len + align(bytes.len());
        let dst = self.buf.get_mut(self.len..end).ok_or(NlError::NoSpace)?;
        dst[..bytes.len()].copy_from_slice(bytes);
        dst[bytes.len()..].fill(0);
        self.len = end;
        Ok(())
    }

    /// Appends a family header (`ifinfomsg`, `rtmsg`, …), padded to 4.
    ///
    /// # Errors
    /// [`NlError::NoSpace`] if it does not fit.
    pub fn fixed<T: Pod>(&mut self, value: &T) -> Result<(), NlError> {
        self.put(bytes_of(value))
    }

    /// Appends an attribute of type `ty` with `payload`.
    ///
    /// # Errors
    /// [`NlError::NoSpace`] if it does not fit (nothing is written);
    /// [`NlError::InvalidInput`] if the payload is longer than an attribute
    /// can say.
    pub fn attr(&mut self, ty: u16, payload: &[u8]) -> Result<(), NlError> {
        let len = NLA_HDRLEN + payload.len();
        let nla_len =
            u16::try_from(len).map_err(|_| NlError::InvalidInput("attribute longer than 65535 bytes"))?;
        let end = self.len + align(len);
        let dst = self.buf.get_mut(self.len..end).ok_or(NlError::NoSpace)?;
        dst[..NLA_HDRLEN].copy_from_slice(bytes_of(&NlAttr {
            nla_len,
            nla_type: ty,
        }));
        dst[NLA_HDRLEN..len].copy_from_slice(payload);
        dst[len..].fill(0);
        self.len = end;
        Ok(())
    }

    /// Appends a `u8` attribute.
    ///
    /// # Errors
    /// As [`attr`](Self::attr).
    pub fn attr_u8(&mut self, ty: u16, value: u8) -> Result<(), NlError> {
        self.attr(ty, &[value])
    }

    /// Appends a host-order `u32` attribute.
    ///
    /// # Errors
    /// As [`attr`](Self::attr).
    pub fn attr_u32(&mut self, ty: u16, value: u32) -> Result<(), NlError> {
        self.attr(ty, &value.to_ne_bytes())
    }

    /// Appends a NUL-terminated string attribute.
    ///
    /// # Errors
    /// As [`attr`](Self::attr); [`NlError::InvalidInput`] if `value`
    /// contains a NUL.
    pub fn attr_str(&mut self, ty: u16, value: &str) -> Result<(), NlError> {
        if value.as_bytes().contains(&0) {
            return Err(NlError::InvalidInput("string attribute contains a NUL"));
        }
        let len = NLA_HDRLEN + value.len() + 1;
        let nla_len =
            u16::try_from(len).map_err(|_| NlError::InvalidInput("attribute longer than 65535 bytes"))?;
        let end = self.len + align(len);
        let dst = self.buf.get_mut(self.len..end).ok_or(NlError::NoSpace)?;
        dst[..NLA_HDRLEN].copy_from_slice(bytes_of(&NlAttr {
            nla_len,
            nla_type: ty,
        }));
        dst[NLA_HDRLEN..len - 1].copy_from_slice(value.as_bytes());
        dst[len - 1..].fill(0);
        self.len = end;
        Ok(())
    }

    /// Appends an IP address attribute (4 or 16 bytes, network order).
    ///
    /// # Errors
    /// As [`attr`](Self::attr).
    pub fn attr_ip(&mut self, ty: u16, ip: IpAddr) -> Result<(), NlError> {
        match ip {
            IpAddr::V4(v4) => self.attr(ty, &v4.octets()),
            IpAddr::V6(v6) => self.attr(ty, &v6.octets()),
        }
    }

    /// Appends a nested attribute (`NLA_F_NESTED` set) whose content `fill`
    /// writes. If `fill` fails, the whole nest is taken back.
    ///
    /// # Errors
    /// [`NlError::NoSpace`] if the nest or its content does not fit, or
    /// `fill`'s error.
    pub fn nest(
        &mut self,
        ty: u16,
        fill: impl FnOnce(&mut Self) -> Result<(), NlError>,
    ) -> Result<(), NlError> {
        let start = self.len;
        self.put(bytes_of(&NlAttr {
            nla_len: 0,
            nla_type: ty | NLA_F_NESTED,
        }))?;
        let result = fill(self).and_then(|()| {
            u16::try_from(self.len - start)
                .map_err(|_| NlError::InvalidInput("nested attribute longer than 65535 bytes"))
        });
        match result {
            Ok(len) => {
                self.buf[start..start + 2].copy_from_slice(&len.to_ne_bytes());
                Ok(())
            }
            Err(e) => {
                self.len = start;
                Err(e)
            }
        }
    }

    /// The length written so far.
    #[must_use]
    pub const fn len(&self) -> usize {
        self.len
    }

    /// Always false: a message has at least its header.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        false
    }

    /// Writes the final `nlmsg_len` and returns the whole message.
    #[must_use]
    pub fn finish(self) -> &'b [u8] {
        let len = self.len as u32;
        self.buf[..4].copy_from_slice(&len.to_ne_bytes());
        &self.buf[..self.len]
    }
}
