//! Byte order: the C conversions (`htons`, `htonl`, `ntohs`, `ntohl`) and
//! network-order value types that make a host/network mix-up a type error.
//!
//! A port or an IPv4 address inside a socket address is stored in network
//! (big-endian) order. In C both orders are plain integers, so forgetting a
//! `htons` compiles and silently talks to the wrong port. Here the fields of
//! the address layouts are [`Be16`] and [`Be32`]: the only ways in are
//! [`Be16::from_host`] (a visible conversion) and [`Be16::from_network`] (a
//! value you already hold in network order).

/// Converts a 16-bit value from host to network byte order.
///
/// `const`, so it can size or fill statics.
///
/// ```
/// assert_eq!(zerosock::endian::htons(0x1234).to_ne_bytes(), [0x12, 0x34]);
/// ```
///
/// # References
/// - [byteorder(3)](https://man7.org/linux/man-pages/man3/byteorder.3.html)
#[inline]
#[must_use]
pub const fn htons(host: u16) -> u16 {
    host.to_be()
}

/// Converts a 32-bit value from host to network byte order.
///
/// ```
/// assert_eq!(zerosock::endian::htonl(0x7f00_0001).to_ne_bytes(), [127, 0, 0, 1]);
/// ```
///
/// # References
/// - [byteorder(3)](https://man7.org/linux/man-pages/man3/byteorder.3.html)
#[inline]
#[must_use]
pub const fn htonl(host: u32) -> u32 {
    host.to_be()
}

/// Converts a 16-bit value from network to host byte order.
///
/// ```
/// use zerosock::endian::{htons, ntohs};
/// assert_eq!(ntohs(htons(7878)), 7878);
/// ```
///
/// # References
/// - [byteorder(3)](https://man7.org/linux/man-pages/man3/byteorder.3.html)
#[inline]
#[must_use]
pub const fn ntohs(network: u16) -> u16 {
    u16::from_be(network)
}

/// Converts a 32-bit value from network to host byte order.
///
/// ```
/// use zerosock::endian::{htonl, ntohl};
/// assert_eq!(ntohl(htonl(0xc0a8_0001)), 0xc0a8_0001);
/// ```
///
/// # References
/// - [byteorder(3)](https://man7.org/linux/man-pages/man3/byteorder.3.html)
#[inline]
#[must_use]
pub const fn ntohl(network: u32) -> u32 {
    u32::from_be(network)
}

macro_rules! network_order {
    ($(#[$doc:meta])* $name:ident, $int:ty, $alias:literal) => {
        $(#[$doc])*
        #[doc(alias = $alias)]
        #[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
        #[repr(transparent)]
        pub struct $name($int);

        impl $name {
            /// Converts a host-order value to network order (`hton*`).
            #[inline]
            #[must_use]
            pub const fn from_host(host: $int) -> Self {
                Self(host.to_be())
            }

            /// Wraps a value that is already in network order, as read from
            /// the wire or from a kernel structure.
            #[inline]
            #[must_use]
            pub const fn from_network(network: $int) -> Self {
                Self(network)
            }

            /// Converts back to host order (`ntoh*`).
            #[inline]
            #[must_use]
            pub const fn to_host(self) -> $int {
                <$int>::from_be(self.0)
            }

            /// The raw network-order value, as the kernel stores it.
            #[inline]
            #[must_use]
            pub const fn to_network(self) -> $int {
                self.0
            }

            /// The value's bytes as they appear on the wire (big-endian).
            #[inline]
            #[must_use]
            pub const fn to_bytes(self) -> [u8; core::mem::size_of::<$int>()] {
                self.0.to_ne_bytes()
            }

            /// The value whose wire bytes (big-endian) are `bytes`.
            #[inline]
            #[must_use]
            pub const fn from_bytes(bytes: [u8; core::mem::size_of::<$int>()]) -> Self {
                Self(<$int>::from_ne_bytes(bytes))
            }
        }

        impl core::fmt::Debug for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                // Show the value a human means, and say which order it is stored in.
                write!(f, concat!(stringify!($name), "({:#x} host)"), self.to_host())
            }
        }
    };
}

network_order!(
    /// A 16-bit value stored in network byte order, such as `sin_port`.
    ///
    /// There is deliberately no `From<u16>`: a host-order port must pass
    /// through [`Be16::from_host`] to get in.
    ///
    /// ```
    /// use zerosock::endian::Be16;
    /// let port = Be16::from_host(80);
    /// assert_eq!(port.to_bytes(), [0, 80]);
    /// assert_eq!(port.to_host(), 80);
    /// ```
    ///
    /// # References
    /// - [byteorder(3)](https://man7.org/linux/man-pages/man3/byteorder.3.html)
    Be16, u16, "in_port_t"
);

network_order!(
    /// A 32-bit value stored in network byte order, such as `in_addr.s_addr`.
    ///
    /// ```
    /// use zerosock::endian::Be32;
    /// let loopback = Be32::from_host(0x7f00_0001);
    /// assert_eq!(loopback.to_bytes(), [127, 0, 0, 1]);
    /// ```
    ///
    /// # References
    /// - [byteorder(3)](https://man7.org/linux/man-pages/man3/byteorder.3.html)
    Be32, u32, "in_addr_t"
);
