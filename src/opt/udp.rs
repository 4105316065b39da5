//! `IPPROTO_UDP` options (udp(7)): segmentation and receive offload.

use crate::error::Errno;
use crate::opt::{SOL_UDP, UDP_SEGMENT};
use crate::socket::Socket;

flag_option! {
    /// Whether the kernel may coalesce received datagrams of one flow into
    /// one large buffer (`UDP_GRO`), reporting the segment size in a
    /// `UDP_GRO` control message.
    udp_gro, set_udp_gro: SOL_UDP, UDP_GRO = "UDP_GRO", "udp";
}

impl Socket {
    /// The segment size of UDP generic segmentation offload (`UDP_SEGMENT`);
    /// 0 if off.
    ///
    /// # References
    /// - [udp(7)](https://man7.org/linux/man-pages/man7/udp.7.html)
    #[doc(alias = "UDP_SEGMENT")]
    pub fn udp_segment(&self) -> Result<u16, Errno> {
        self.get_int(SOL_UDP, UDP_SEGMENT).map(|n| n as u16)
    }

    /// Sets `UDP_SEGMENT`: each send of a larger buffer is cut into
    /// datagrams of `size` bytes by the kernel (or the NIC); 0 turns it off.
    ///
    /// # References
    /// - [udp(7)](https://man7.org/linux/man-pages/man7/udp.7.html)
    #[doc(alias = "UDP_SEGMENT")]
    pub fn set_udp_segment(&self, size: u16) -> Result<(), Errno> {
        self.set_int(SOL_UDP, UDP_SEGMENT, i32::from(size))
    }
}
