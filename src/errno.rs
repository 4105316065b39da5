//! [`Errno`]: the kernel's error number, as every system call in zerosock
//! returns it, with its C name and message built in so that an error
//! explains itself without allocating.
//!
//! The numbers are the kernel's (`asm-generic/errno.h`, read from
//! linux-raw-sys: the same on x86_64, aarch64, arm and riscv64); the
//! messages are glibc's `strerror` texts, checked one by one against glibc
//! in `tests/errno.rs`. Formatting reads a static table, identically with and
//! without the `std` feature.

use core::fmt;

/// The kernel's error number (`errno`): what a failed system call returns,
/// unchanged.
///
/// Every Linux error has an associated constant named after its C name
/// without the `E` ([`Errno::CONNREFUSED`] is `ECONNREFUSED`; [`Errno::ACCESS`]
/// is `EACCES` and [`Errno::TOOBIG`] is `E2BIG`), so errors are matched as
/// values. Aliases C has are here too and compare equal:
/// [`Errno::WOULDBLOCK`] is [`Errno::AGAIN`], [`Errno::DEADLOCK`] is
/// [`Errno::DEADLK`], [`Errno::NOTSUP`] is [`Errno::OPNOTSUPP`].
///
/// `Display` and `Debug` both print the C name and glibc's message, from a
/// static table, allocating nothing, with or without `std`:
/// `ECONNREFUSED: Connection refused`. A number Linux does not use prints
/// as `errno 4000: Unknown error 4000` (the message is again glibc's).
///
/// ```
/// use zerosock::{Errno, TcpListener, TcpStream};
/// use core::net::Ipv4Addr;
///
/// // A port nobody listens on: bind one, note it, close it.
/// let addr = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?.local_addr()?;
/// match TcpStream::connect(addr) {
///     Err(zerosock::Error::Os(Errno::CONNREFUSED)) => {} // what loopback answers
///     other => panic!("expected ECONNREFUSED, got {other:?}"),
/// }
///
/// let err = Errno::CONNREFUSED;
/// assert_eq!(err.raw_os_error(), 111);
/// assert_eq!(err.name(), Some("ECONNREFUSED"));
/// assert_eq!(err.message(), Some("Connection refused"));
/// let mut text = heapless::String::<64>::new(); // no allocation needed
/// core::fmt::write(&mut text, format_args!("{err}")).unwrap();
/// assert_eq!(text, "ECONNREFUSED: Connection refused");
/// assert_eq!(Errno::WOULDBLOCK, Errno::AGAIN);
/// # Ok::<(), Errno>(())
/// ```
///
/// With the `std` feature, an `Errno` converts into a `std::io::Error`
/// (`?` works in functions returning `io::Result`), without allocating.
///
/// # References
/// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
/// - [strerror(3)](https://man7.org/linux/man-pages/man3/strerror.3.html)
#[doc(alias = "errno")]
#[repr(transparent)]
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Errno(u16);

impl Errno {
    /// The `Errno` for a raw error number, as C's `errno` holds it
    /// (positive). Linux's numbers are `1..=4095`; any number in
    /// `0..=65535` is kept as it is, and one outside it (which no Linux
    /// call gives) becomes 65535, `Unknown error 65535`. The value is 16
    /// bits wide, as the kernel's range needs, which keeps a `Result` of
    /// it small on the hot path.
    ///
    /// ```
    /// use zerosock::Errno;
    /// assert_eq!(Errno::from_raw_os_error(32), Errno::PIPE);
    /// assert_eq!(Errno::from_raw_os_error(-1).raw_os_error(), 65535);
    /// ```
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[inline]
    #[must_use]
    pub const fn from_raw_os_error(raw: i32) -> Self {
        if raw >= 0 && raw <= u16::MAX as i32 {
            Self(raw as u16)
        } else {
            Self(u16::MAX)
        }
    }

    /// The kernel's error number as a system call returns it negated:
    /// `-4095..=-1` as a `usize`, already checked by the caller.
    #[inline(always)]
    pub(crate) const fn from_negated_return(ret: usize) -> Self {
        Self(ret.wrapping_neg() as u16)
    }

    /// The raw error number, as C's `errno` would hold it.
    ///
    /// ```
    /// use zerosock::Errno;
    /// assert_eq!(Errno::INTR.raw_os_error(), 4);
    /// ```
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[inline]
    #[must_use]
    pub const fn raw_os_error(self) -> i32 {
        self.0 as i32
    }

    /// The C name (`"EAGAIN"`), or `None` for a number Linux does not use.
    /// Of two names for one number, the one glibc's `<errno.h>` defines
    /// first: `EAGAIN` (not `EWOULDBLOCK`), `EDEADLK`, `EOPNOTSUPP`.
    ///
    /// ```
    /// use zerosock::Errno;
    /// assert_eq!(Errno::WOULDBLOCK.name(), Some("EAGAIN"));
    /// assert_eq!(Errno::from_raw_os_error(4000).name(), None);
    /// ```
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[must_use]
    pub const fn name(self) -> Option<&'static str> {
        match self.entry() {
            Some((name, _)) if !name.is_empty() => Some(name),
            _ => None,
        }
    }

    /// glibc's `strerror` text for this number (`"Broken pipe"`), or `None`
    /// for a number Linux does not use (glibc says `Unknown error N`).
    ///
    /// ```
    /// use zerosock::Errno;
    /// assert_eq!(Errno::PIPE.message(), Some("Broken pipe"));
    /// ```
    ///
    /// # References
    /// - [strerror(3)](https://man7.org/linux/man-pages/man3/strerror.3.html)
    #[doc(alias = "strerror")]
    #[must_use]
    pub const fn message(self) -> Option<&'static str> {
        match self.entry() {
            Some((name, message)) if !name.is_empty() => Some(message),
            _ => None,
        }
    }

    /// The table's row for this number, if the table has one.
    const fn entry(self) -> Option<(&'static str, &'static str)> {
        if (self.0 as usize) < TABLE.len() {
            Some(TABLE[self.0 as usize])
        } else {
            None
        }
    }

    /// The `Errno` a `std::io::Error` carries, if it carries an OS error
    /// number in Linux's range (`1..=4095`).
    ///
    /// ```
    /// use zerosock::Errno;
    /// let io = std::io::Error::from_raw_os_error(104);
    /// assert_eq!(Errno::from_io_error(&io), Some(Errno::CONNRESET));
    /// assert_eq!(Errno::from_io_error(&std::io::ErrorKind::Other.into()), None);
    /// ```
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[cfg(feature = "std")]
    #[must_use]
    pub fn from_io_error(err: &std::io::Error) -> Option<Self> {
        match err.raw_os_error() {
            Some(raw @ 1..=4095) => Some(Self(raw as u16)),
            _ => None,
        }
    }

    /// The [`std::io::ErrorKind`] std gives this number
    /// (`Errno::CONNREFUSED.kind()` is `ConnectionRefused`).
    ///
    /// ```
    /// use zerosock::Errno;
    /// assert_eq!(Errno::PIPE.kind(), std::io::ErrorKind::BrokenPipe);
    /// ```
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[cfg(feature = "std")]
    #[must_use]
    pub fn kind(self) -> std::io::ErrorKind {
        std::io::Error::from(self).kind()
    }

    /// rustix's `Errno` as ours: the same number (rustix's are always
    /// `1..=4095`, so it fits 16 bits and needs no check).
    #[inline]
    pub(crate) fn from_rustix(errno: rustix::io::Errno) -> Self {
        Self(errno.raw_os_error() as u16)
    }

    /// Ours as rustix's, if rustix can hold it (`1..=4095`; rustix panics
    /// on anything else).
    #[allow(dead_code)] // for sys calls that hand an error back to rustix
    pub(crate) fn to_rustix(self) -> Option<rustix::io::Errno> {
        match self.0 {
            1..=4095 => Some(rustix::io::Errno::from_raw_os_error(self.0 as i32)),
            _ => None,
        }
    }
}

impl fmt::Display for Errno {
    /// `ECONNREFUSED: Connection refused`; `errno 4000: Unknown error 4000`
    /// for a number Linux does not use.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.name(), self.message()) {
            (Some(name), Some(message)) => {
                f.write_str(name)?;
                f.write_str(": ")?;
                f.write_str(message)
            }
            _ if self.0 == 0 => f.write_str("errno 0: Success"),
            _ => write!(f, "errno {0}: Unknown error {0}", self.0),
        }
    }
}

impl fmt::Debug for Errno {
    /// The same as `Display`: `ECONNREFUSED: Connection refused`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// `std::error::Error` too: std re-exports this trait.
impl core::error::Error for Errno {}

/// Without allocating: `io::Error::from_raw_os_error` keeps the number.
#[cfg(feature = "std")]
impl From<Errno> for std::io::Error {
    #[inline]
    fn from(errno: Errno) -> Self {
        Self::from_raw_os_error(errno.raw_os_error())
    }
}

// Generated from linux-raw-sys's errno module and glibc's strerror
// texts; see the module docs.

impl Errno {
    /// `EACCES` (13): Permission denied.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EACCES")]
    #[doc(alias = "ACCES")]
    pub const ACCESS: Self = Self(linux_raw_sys::errno::EACCES as u16);
    /// `EADDRINUSE` (98): Address already in use.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EADDRINUSE")]
    pub const ADDRINUSE: Self = Self(linux_raw_sys::errno::EADDRINUSE as u16);
    /// `EADDRNOTAVAIL` (99): Cannot assign requested address.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EADDRNOTAVAIL")]
    pub const ADDRNOTAVAIL: Self = Self(linux_raw_sys::errno::EADDRNOTAVAIL as u16);
    /// `EADV` (68): Advertise error.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EADV")]
    pub const ADV: Self = Self(linux_raw_sys::errno::EADV as u16);
    /// `EAFNOSUPPORT` (97): Address family not supported by protocol.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EAFNOSUPPORT")]
    pub const AFNOSUPPORT: Self = Self(linux_raw_sys::errno::EAFNOSUPPORT as u16);
    /// `EAGAIN` (11): Resource temporarily unavailable.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EAGAIN")]
    pub const AGAIN: Self = Self(linux_raw_sys::errno::EAGAIN as u16);
    /// `EALREADY` (114): Operation already in progress.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EALREADY")]
    pub const ALREADY: Self = Self(linux_raw_sys::errno::EALREADY as u16);
    /// `EBADE` (52): Invalid exchange.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EBADE")]
    pub const BADE: Self = Self(linux_raw_sys::errno::EBADE as u16);
    /// `EBADF` (9): Bad file descriptor.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EBADF")]
    pub const BADF: Self = Self(linux_raw_sys::errno::EBADF as u16);
    /// `EBADFD` (77): File descriptor in bad state.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EBADFD")]
    pub const BADFD: Self = Self(linux_raw_sys::errno::EBADFD as u16);
    /// `EBADMSG` (74): Bad message.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EBADMSG")]
    pub const BADMSG: Self = Self(linux_raw_sys::errno::EBADMSG as u16);
    /// `EBADR` (53): Invalid request descriptor.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EBADR")]
    pub const BADR: Self = Self(linux_raw_sys::errno::EBADR as u16);
    /// `EBADRQC` (56): Invalid request code.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EBADRQC")]
    pub const BADRQC: Self = Self(linux_raw_sys::errno::EBADRQC as u16);
    /// `EBADSLT` (57): Invalid slot.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EBADSLT")]
    pub const BADSLT: Self = Self(linux_raw_sys::errno::EBADSLT as u16);
    /// `EBFONT` (59): Bad font file format.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EBFONT")]
    pub const BFONT: Self = Self(linux_raw_sys::errno::EBFONT as u16);
    /// `EBUSY` (16): Device or resource busy.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EBUSY")]
    pub const BUSY: Self = Self(linux_raw_sys::errno::EBUSY as u16);
    /// `ECANCELED` (125): Operation canceled.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ECANCELED")]
    pub const CANCELED: Self = Self(linux_raw_sys::errno::ECANCELED as u16);
    /// `ECHILD` (10): No child processes.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ECHILD")]
    pub const CHILD: Self = Self(linux_raw_sys::errno::ECHILD as u16);
    /// `ECHRNG` (44): Channel number out of range.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ECHRNG")]
    pub const CHRNG: Self = Self(linux_raw_sys::errno::ECHRNG as u16);
    /// `ECOMM` (70): Communication error on send.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ECOMM")]
    pub const COMM: Self = Self(linux_raw_sys::errno::ECOMM as u16);
    /// `ECONNABORTED` (103): Software caused connection abort.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ECONNABORTED")]
    pub const CONNABORTED: Self = Self(linux_raw_sys::errno::ECONNABORTED as u16);
    /// `ECONNREFUSED` (111): Connection refused.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ECONNREFUSED")]
    pub const CONNREFUSED: Self = Self(linux_raw_sys::errno::ECONNREFUSED as u16);
    /// `ECONNRESET` (104): Connection reset by peer.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ECONNRESET")]
    pub const CONNRESET: Self = Self(linux_raw_sys::errno::ECONNRESET as u16);
    /// `EDEADLK` (35): Resource deadlock avoided.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EDEADLK")]
    pub const DEADLK: Self = Self(linux_raw_sys::errno::EDEADLK as u16);
    /// `EDEADLOCK` (35): Resource deadlock avoided.
    /// The same number as `EDEADLK`.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EDEADLOCK")]
    pub const DEADLOCK: Self = Self(linux_raw_sys::errno::EDEADLOCK as u16);
    /// `EDESTADDRREQ` (89): Destination address required.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EDESTADDRREQ")]
    pub const DESTADDRREQ: Self = Self(linux_raw_sys::errno::EDESTADDRREQ as u16);
    /// `EDOM` (33): Numerical argument out of domain.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EDOM")]
    pub const DOM: Self = Self(linux_raw_sys::errno::EDOM as u16);
    /// `EDOTDOT` (73): RFS specific error.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EDOTDOT")]
    pub const DOTDOT: Self = Self(linux_raw_sys::errno::EDOTDOT as u16);
    /// `EDQUOT` (122): Disk quota exceeded.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EDQUOT")]
    pub const DQUOT: Self = Self(linux_raw_sys::errno::EDQUOT as u16);
    /// `EEXIST` (17): File exists.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EEXIST")]
    pub const EXIST: Self = Self(linux_raw_sys::errno::EEXIST as u16);
    /// `EFAULT` (14): Bad address.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EFAULT")]
    pub const FAULT: Self = Self(linux_raw_sys::errno::EFAULT as u16);
    /// `EFBIG` (27): File too large.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EFBIG")]
    pub const FBIG: Self = Self(linux_raw_sys::errno::EFBIG as u16);
    /// `EHOSTDOWN` (112): Host is down.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EHOSTDOWN")]
    pub const HOSTDOWN: Self = Self(linux_raw_sys::errno::EHOSTDOWN as u16);
    /// `EHOSTUNREACH` (113): No route to host.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EHOSTUNREACH")]
    pub const HOSTUNREACH: Self = Self(linux_raw_sys::errno::EHOSTUNREACH as u16);
    /// `EHWPOISON` (133): Memory page has hardware error.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EHWPOISON")]
    pub const HWPOISON: Self = Self(linux_raw_sys::errno::EHWPOISON as u16);
    /// `EIDRM` (43): Identifier removed.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EIDRM")]
    pub const IDRM: Self = Self(linux_raw_sys::errno::EIDRM as u16);
    /// `EILSEQ` (84): Invalid or incomplete multibyte or wide character.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EILSEQ")]
    pub const ILSEQ: Self = Self(linux_raw_sys::errno::EILSEQ as u16);
    /// `EINPROGRESS` (115): Operation now in progress.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EINPROGRESS")]
    pub const INPROGRESS: Self = Self(linux_raw_sys::errno::EINPROGRESS as u16);
    /// `EINTR` (4): Interrupted system call.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EINTR")]
    pub const INTR: Self = Self(linux_raw_sys::errno::EINTR as u16);
    /// `EINVAL` (22): Invalid argument.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EINVAL")]
    pub const INVAL: Self = Self(linux_raw_sys::errno::EINVAL as u16);
    /// `EIO` (5): Input/output error.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EIO")]
    pub const IO: Self = Self(linux_raw_sys::errno::EIO as u16);
    /// `EISCONN` (106): Transport endpoint is already connected.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EISCONN")]
    pub const ISCONN: Self = Self(linux_raw_sys::errno::EISCONN as u16);
    /// `EISDIR` (21): Is a directory.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EISDIR")]
    pub const ISDIR: Self = Self(linux_raw_sys::errno::EISDIR as u16);
    /// `EISNAM` (120): Is a named type file.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EISNAM")]
    pub const ISNAM: Self = Self(linux_raw_sys::errno::EISNAM as u16);
    /// `EKEYEXPIRED` (127): Key has expired.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EKEYEXPIRED")]
    pub const KEYEXPIRED: Self = Self(linux_raw_sys::errno::EKEYEXPIRED as u16);
    /// `EKEYREJECTED` (129): Key was rejected by service.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EKEYREJECTED")]
    pub const KEYREJECTED: Self = Self(linux_raw_sys::errno::EKEYREJECTED as u16);
    /// `EKEYREVOKED` (128): Key has been revoked.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EKEYREVOKED")]
    pub const KEYREVOKED: Self = Self(linux_raw_sys::errno::EKEYREVOKED as u16);
    /// `EL2HLT` (51): Level 2 halted.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EL2HLT")]
    pub const L2HLT: Self = Self(linux_raw_sys::errno::EL2HLT as u16);
    /// `EL2NSYNC` (45): Level 2 not synchronized.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EL2NSYNC")]
    pub const L2NSYNC: Self = Self(linux_raw_sys::errno::EL2NSYNC as u16);
    /// `EL3HLT` (46): Level 3 halted.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EL3HLT")]
    pub const L3HLT: Self = Self(linux_raw_sys::errno::EL3HLT as u16);
    /// `EL3RST` (47): Level 3 reset.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EL3RST")]
    pub const L3RST: Self = Self(linux_raw_sys::errno::EL3RST as u16);
    /// `ELIBACC` (79): Can not access a needed shared library.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ELIBACC")]
    pub const LIBACC: Self = Self(linux_raw_sys::errno::ELIBACC as u16);
    /// `ELIBBAD` (80): Accessing a corrupted shared library.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ELIBBAD")]
    pub const LIBBAD: Self = Self(linux_raw_sys::errno::ELIBBAD as u16);
    /// `ELIBEXEC` (83): Cannot exec a shared library directly.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ELIBEXEC")]
    pub const LIBEXEC: Self = Self(linux_raw_sys::errno::ELIBEXEC as u16);
    /// `ELIBMAX` (82): Attempting to link in too many shared libraries.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ELIBMAX")]
    pub const LIBMAX: Self = Self(linux_raw_sys::errno::ELIBMAX as u16);
    /// `ELIBSCN` (81): .lib section in a.out corrupted.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ELIBSCN")]
    pub const LIBSCN: Self = Self(linux_raw_sys::errno::ELIBSCN as u16);
    /// `ELNRNG` (48): Link number out of range.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ELNRNG")]
    pub const LNRNG: Self = Self(linux_raw_sys::errno::ELNRNG as u16);
    /// `ELOOP` (40): Too many levels of symbolic links.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ELOOP")]
    pub const LOOP: Self = Self(linux_raw_sys::errno::ELOOP as u16);
    /// `EMEDIUMTYPE` (124): Wrong medium type.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EMEDIUMTYPE")]
    pub const MEDIUMTYPE: Self = Self(linux_raw_sys::errno::EMEDIUMTYPE as u16);
    /// `EMFILE` (24): Too many open files.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EMFILE")]
    pub const MFILE: Self = Self(linux_raw_sys::errno::EMFILE as u16);
    /// `EMLINK` (31): Too many links.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EMLINK")]
    pub const MLINK: Self = Self(linux_raw_sys::errno::EMLINK as u16);
    /// `EMSGSIZE` (90): Message too long.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EMSGSIZE")]
    pub const MSGSIZE: Self = Self(linux_raw_sys::errno::EMSGSIZE as u16);
    /// `EMULTIHOP` (72): Multihop attempted.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EMULTIHOP")]
    pub const MULTIHOP: Self = Self(linux_raw_sys::errno::EMULTIHOP as u16);
    /// `ENAMETOOLONG` (36): File name too long.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ENAMETOOLONG")]
    pub const NAMETOOLONG: Self = Self(linux_raw_sys::errno::ENAMETOOLONG as u16);
    /// `ENAVAIL` (119): No XENIX semaphores available.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ENAVAIL")]
    pub const NAVAIL: Self = Self(linux_raw_sys::errno::ENAVAIL as u16);
    /// `ENETDOWN` (100): Network is down.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ENETDOWN")]
    pub const NETDOWN: Self = Self(linux_raw_sys::errno::ENETDOWN as u16);
    /// `ENETRESET` (102): Network dropped connection on reset.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ENETRESET")]
    pub const NETRESET: Self = Self(linux_raw_sys::errno::ENETRESET as u16);
    /// `ENETUNREACH` (101): Network is unreachable.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ENETUNREACH")]
    pub const NETUNREACH: Self = Self(linux_raw_sys::errno::ENETUNREACH as u16);
    /// `ENFILE` (23): Too many open files in system.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ENFILE")]
    pub const NFILE: Self = Self(linux_raw_sys::errno::ENFILE as u16);
    /// `ENOANO` (55): No anode.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ENOANO")]
    pub const NOANO: Self = Self(linux_raw_sys::errno::ENOANO as u16);
    /// `ENOBUFS` (105): No buffer space available.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ENOBUFS")]
    pub const NOBUFS: Self = Self(linux_raw_sys::errno::ENOBUFS as u16);
    /// `ENOCSI` (50): No CSI structure available.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ENOCSI")]
    pub const NOCSI: Self = Self(linux_raw_sys::errno::ENOCSI as u16);
    /// `ENODATA` (61): No data available.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ENODATA")]
    #[doc(alias = "NOATTR")]
    pub const NODATA: Self = Self(linux_raw_sys::errno::ENODATA as u16);
    /// `ENODEV` (19): No such device.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ENODEV")]
    pub const NODEV: Self = Self(linux_raw_sys::errno::ENODEV as u16);
    /// `ENOENT` (2): No such file or directory.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ENOENT")]
    pub const NOENT: Self = Self(linux_raw_sys::errno::ENOENT as u16);
    /// `ENOEXEC` (8): Exec format error.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ENOEXEC")]
    pub const NOEXEC: Self = Self(linux_raw_sys::errno::ENOEXEC as u16);
    /// `ENOKEY` (126): Required key not available.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ENOKEY")]
    pub const NOKEY: Self = Self(linux_raw_sys::errno::ENOKEY as u16);
    /// `ENOLCK` (37): No locks available.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ENOLCK")]
    pub const NOLCK: Self = Self(linux_raw_sys::errno::ENOLCK as u16);
    /// `ENOLINK` (67): Link has been severed.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ENOLINK")]
    pub const NOLINK: Self = Self(linux_raw_sys::errno::ENOLINK as u16);
    /// `ENOMEDIUM` (123): No medium found.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ENOMEDIUM")]
    pub const NOMEDIUM: Self = Self(linux_raw_sys::errno::ENOMEDIUM as u16);
    /// `ENOMEM` (12): Cannot allocate memory.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ENOMEM")]
    pub const NOMEM: Self = Self(linux_raw_sys::errno::ENOMEM as u16);
    /// `ENOMSG` (42): No message of desired type.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ENOMSG")]
    pub const NOMSG: Self = Self(linux_raw_sys::errno::ENOMSG as u16);
    /// `ENONET` (64): Machine is not on the network.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ENONET")]
    pub const NONET: Self = Self(linux_raw_sys::errno::ENONET as u16);
    /// `ENOPKG` (65): Package not installed.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ENOPKG")]
    pub const NOPKG: Self = Self(linux_raw_sys::errno::ENOPKG as u16);
    /// `ENOPROTOOPT` (92): Protocol not available.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ENOPROTOOPT")]
    pub const NOPROTOOPT: Self = Self(linux_raw_sys::errno::ENOPROTOOPT as u16);
    /// `ENOSPC` (28): No space left on device.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ENOSPC")]
    pub const NOSPC: Self = Self(linux_raw_sys::errno::ENOSPC as u16);
    /// `ENOSR` (63): Out of streams resources.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ENOSR")]
    pub const NOSR: Self = Self(linux_raw_sys::errno::ENOSR as u16);
    /// `ENOSTR` (60): Device not a stream.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ENOSTR")]
    pub const NOSTR: Self = Self(linux_raw_sys::errno::ENOSTR as u16);
    /// `ENOSYS` (38): Function not implemented.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ENOSYS")]
    pub const NOSYS: Self = Self(linux_raw_sys::errno::ENOSYS as u16);
    /// `ENOTBLK` (15): Block device required.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ENOTBLK")]
    pub const NOTBLK: Self = Self(linux_raw_sys::errno::ENOTBLK as u16);
    /// `ENOTCONN` (107): Transport endpoint is not connected.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ENOTCONN")]
    pub const NOTCONN: Self = Self(linux_raw_sys::errno::ENOTCONN as u16);
    /// `ENOTDIR` (20): Not a directory.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ENOTDIR")]
    pub const NOTDIR: Self = Self(linux_raw_sys::errno::ENOTDIR as u16);
    /// `ENOTEMPTY` (39): Directory not empty.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ENOTEMPTY")]
    pub const NOTEMPTY: Self = Self(linux_raw_sys::errno::ENOTEMPTY as u16);
    /// `ENOTNAM` (118): Not a XENIX named type file.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ENOTNAM")]
    pub const NOTNAM: Self = Self(linux_raw_sys::errno::ENOTNAM as u16);
    /// `ENOTRECOVERABLE` (131): State not recoverable.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ENOTRECOVERABLE")]
    pub const NOTRECOVERABLE: Self = Self(linux_raw_sys::errno::ENOTRECOVERABLE as u16);
    /// `ENOTSOCK` (88): Socket operation on non-socket.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ENOTSOCK")]
    pub const NOTSOCK: Self = Self(linux_raw_sys::errno::ENOTSOCK as u16);
    /// `EOPNOTSUPP` (95): Operation not supported.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ENOTSUP")]
    pub const NOTSUP: Self = Self(linux_raw_sys::errno::EOPNOTSUPP as u16);
    /// `ENOTTY` (25): Inappropriate ioctl for device.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ENOTTY")]
    pub const NOTTY: Self = Self(linux_raw_sys::errno::ENOTTY as u16);
    /// `ENOTUNIQ` (76): Name not unique on network.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ENOTUNIQ")]
    pub const NOTUNIQ: Self = Self(linux_raw_sys::errno::ENOTUNIQ as u16);
    /// `ENXIO` (6): No such device or address.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ENXIO")]
    pub const NXIO: Self = Self(linux_raw_sys::errno::ENXIO as u16);
    /// `EOPNOTSUPP` (95): Operation not supported.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EOPNOTSUPP")]
    pub const OPNOTSUPP: Self = Self(linux_raw_sys::errno::EOPNOTSUPP as u16);
    /// `EOVERFLOW` (75): Value too large for defined data type.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EOVERFLOW")]
    pub const OVERFLOW: Self = Self(linux_raw_sys::errno::EOVERFLOW as u16);
    /// `EOWNERDEAD` (130): Owner died.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EOWNERDEAD")]
    pub const OWNERDEAD: Self = Self(linux_raw_sys::errno::EOWNERDEAD as u16);
    /// `EPERM` (1): Operation not permitted.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EPERM")]
    pub const PERM: Self = Self(linux_raw_sys::errno::EPERM as u16);
    /// `EPFNOSUPPORT` (96): Protocol family not supported.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EPFNOSUPPORT")]
    pub const PFNOSUPPORT: Self = Self(linux_raw_sys::errno::EPFNOSUPPORT as u16);
    /// `EPIPE` (32): Broken pipe.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EPIPE")]
    pub const PIPE: Self = Self(linux_raw_sys::errno::EPIPE as u16);
    /// `EPROTO` (71): Protocol error.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EPROTO")]
    pub const PROTO: Self = Self(linux_raw_sys::errno::EPROTO as u16);
    /// `EPROTONOSUPPORT` (93): Protocol not supported.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EPROTONOSUPPORT")]
    pub const PROTONOSUPPORT: Self = Self(linux_raw_sys::errno::EPROTONOSUPPORT as u16);
    /// `EPROTOTYPE` (91): Protocol wrong type for socket.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EPROTOTYPE")]
    pub const PROTOTYPE: Self = Self(linux_raw_sys::errno::EPROTOTYPE as u16);
    /// `ERANGE` (34): Numerical result out of range.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ERANGE")]
    pub const RANGE: Self = Self(linux_raw_sys::errno::ERANGE as u16);
    /// `EREMCHG` (78): Remote address changed.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EREMCHG")]
    pub const REMCHG: Self = Self(linux_raw_sys::errno::EREMCHG as u16);
    /// `EREMOTE` (66): Object is remote.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EREMOTE")]
    pub const REMOTE: Self = Self(linux_raw_sys::errno::EREMOTE as u16);
    /// `EREMOTEIO` (121): Remote I/O error.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EREMOTEIO")]
    pub const REMOTEIO: Self = Self(linux_raw_sys::errno::EREMOTEIO as u16);
    /// `ERESTART` (85): Interrupted system call should be restarted.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ERESTART")]
    pub const RESTART: Self = Self(linux_raw_sys::errno::ERESTART as u16);
    /// `ERFKILL` (132): Operation not possible due to RF-kill.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ERFKILL")]
    pub const RFKILL: Self = Self(linux_raw_sys::errno::ERFKILL as u16);
    /// `EROFS` (30): Read-only file system.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EROFS")]
    pub const ROFS: Self = Self(linux_raw_sys::errno::EROFS as u16);
    /// `ESHUTDOWN` (108): Cannot send after transport endpoint shutdown.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ESHUTDOWN")]
    pub const SHUTDOWN: Self = Self(linux_raw_sys::errno::ESHUTDOWN as u16);
    /// `ESOCKTNOSUPPORT` (94): Socket type not supported.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ESOCKTNOSUPPORT")]
    pub const SOCKTNOSUPPORT: Self = Self(linux_raw_sys::errno::ESOCKTNOSUPPORT as u16);
    /// `ESPIPE` (29): Illegal seek.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ESPIPE")]
    pub const SPIPE: Self = Self(linux_raw_sys::errno::ESPIPE as u16);
    /// `ESRCH` (3): No such process.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ESRCH")]
    pub const SRCH: Self = Self(linux_raw_sys::errno::ESRCH as u16);
    /// `ESRMNT` (69): Srmount error.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ESRMNT")]
    pub const SRMNT: Self = Self(linux_raw_sys::errno::ESRMNT as u16);
    /// `ESTALE` (116): Stale file handle.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ESTALE")]
    pub const STALE: Self = Self(linux_raw_sys::errno::ESTALE as u16);
    /// `ESTRPIPE` (86): Streams pipe error.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ESTRPIPE")]
    pub const STRPIPE: Self = Self(linux_raw_sys::errno::ESTRPIPE as u16);
    /// `ETIME` (62): Timer expired.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ETIME")]
    pub const TIME: Self = Self(linux_raw_sys::errno::ETIME as u16);
    /// `ETIMEDOUT` (110): Connection timed out.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ETIMEDOUT")]
    pub const TIMEDOUT: Self = Self(linux_raw_sys::errno::ETIMEDOUT as u16);
    /// `E2BIG` (7): Argument list too long.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "E2BIG")]
    #[doc(alias = "2BIG")]
    pub const TOOBIG: Self = Self(linux_raw_sys::errno::E2BIG as u16);
    /// `ETOOMANYREFS` (109): Too many references: cannot splice.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ETOOMANYREFS")]
    pub const TOOMANYREFS: Self = Self(linux_raw_sys::errno::ETOOMANYREFS as u16);
    /// `ETXTBSY` (26): Text file busy.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "ETXTBSY")]
    pub const TXTBSY: Self = Self(linux_raw_sys::errno::ETXTBSY as u16);
    /// `EUCLEAN` (117): Structure needs cleaning.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EUCLEAN")]
    pub const UCLEAN: Self = Self(linux_raw_sys::errno::EUCLEAN as u16);
    /// `EUNATCH` (49): Protocol driver not attached.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EUNATCH")]
    pub const UNATCH: Self = Self(linux_raw_sys::errno::EUNATCH as u16);
    /// `EUSERS` (87): Too many users.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EUSERS")]
    pub const USERS: Self = Self(linux_raw_sys::errno::EUSERS as u16);
    /// `EWOULDBLOCK` (11): Resource temporarily unavailable.
    /// The same number as `EAGAIN`.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EWOULDBLOCK")]
    pub const WOULDBLOCK: Self = Self(linux_raw_sys::errno::EWOULDBLOCK as u16);
    /// `EXDEV` (18): Invalid cross-device link.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EXDEV")]
    pub const XDEV: Self = Self(linux_raw_sys::errno::EXDEV as u16);
    /// `EXFULL` (54): Exchange full.
    ///
    /// # References
    /// - [errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
    #[doc(alias = "EXFULL")]
    pub const XFULL: Self = Self(linux_raw_sys::errno::EXFULL as u16);
}

/// Each number's name and glibc's `strerror` text, indexed by the number;
/// `("", "")` for the numbers Linux leaves unused.
static TABLE: [(&str, &str); 134] = [
    ("", "Success"),
    ("EPERM", "Operation not permitted"),
    ("ENOENT", "No such file or directory"),
    ("ESRCH", "No such process"),
    ("EINTR", "Interrupted system call"),
    ("EIO", "Input/output error"),
    ("ENXIO", "No such device or address"),
    ("E2BIG", "Argument list too long"),
    ("ENOEXEC", "Exec format error"),
    ("EBADF", "Bad file descriptor"),
    ("ECHILD", "No child processes"),
    ("EAGAIN", "Resource temporarily unavailable"),
    ("ENOMEM", "Cannot allocate memory"),
    ("EACCES", "Permission denied"),
    ("EFAULT", "Bad address"),
    ("ENOTBLK", "Block device required"),
    ("EBUSY", "Device or resource busy"),
    ("EEXIST", "File exists"),
    ("EXDEV", "Invalid cross-device link"),
    ("ENODEV", "No such device"),
    ("ENOTDIR", "Not a directory"),
    ("EISDIR", "Is a directory"),
    ("EINVAL", "Invalid argument"),
    ("ENFILE", "Too many open files in system"),
    ("EMFILE", "Too many open files"),
    ("ENOTTY", "Inappropriate ioctl for device"),
    ("ETXTBSY", "Text file busy"),
    ("EFBIG", "File too large"),
    ("ENOSPC", "No space left on device"),
    ("ESPIPE", "Illegal seek"),
    ("EROFS", "Read-only file system"),
    ("EMLINK", "Too many links"),
    ("EPIPE", "Broken pipe"),
    ("EDOM", "Numerical argument out of domain"),
    ("ERANGE", "Numerical result out of range"),
    ("EDEADLK", "Resource deadlock avoided"),
    ("ENAMETOOLONG", "File name too long"),
    ("ENOLCK", "No locks available"),
    ("ENOSYS", "Function not implemented"),
    ("ENOTEMPTY", "Directory not empty"),
    ("ELOOP", "Too many levels of symbolic links"),
    ("", ""),
    ("ENOMSG", "No message of desired type"),
    ("EIDRM", "Identifier removed"),
    ("ECHRNG", "Channel number out of range"),
    ("EL2NSYNC", "Level 2 not synchronized"),
    ("EL3HLT", "Level 3 halted"),
    ("EL3RST", "Level 3 reset"),
    ("ELNRNG", "Link number out of range"),
    ("EUNATCH", "Protocol driver not attached"),
    ("ENOCSI", "No CSI structure available"),
    ("EL2HLT", "Level 2 halted"),
    ("EBADE", "Invalid exchange"),
    ("EBADR", "Invalid request descriptor"),
    ("EXFULL", "Exchange full"),
    ("ENOANO", "No anode"),
    ("EBADRQC", "Invalid request code"),
    ("EBADSLT", "Invalid slot"),
    ("", ""),
    ("EBFONT", "Bad font file format"),
    ("ENOSTR", "Device not a stream"),
    ("ENODATA", "No data available"),
    ("ETIME", "Timer expired"),
    ("ENOSR", "Out of streams resources"),
    ("ENONET", "Machine is not on the network"),
    ("ENOPKG", "Package not installed"),
    ("EREMOTE", "Object is remote"),
    ("ENOLINK", "Link has been severed"),
    ("EADV", "Advertise error"),
    ("ESRMNT", "Srmount error"),
    ("ECOMM", "Communication error on send"),
    ("EPROTO", "Protocol error"),
    ("EMULTIHOP", "Multihop attempted"),
    ("EDOTDOT", "RFS specific error"),
    ("EBADMSG", "Bad message"),
    ("EOVERFLOW", "Value too large for defined data type"),
    ("ENOTUNIQ", "Name not unique on network"),
    ("EBADFD", "File descriptor in bad state"),
    ("EREMCHG", "Remote address changed"),
    ("ELIBACC", "Can not access a needed shared library"),
    ("ELIBBAD", "Accessing a corrupted shared library"),
    ("ELIBSCN", ".lib section in a.out corrupted"),
    ("ELIBMAX", "Attempting to link in too many shared libraries"),
    ("ELIBEXEC", "Cannot exec a shared library directly"),
    ("EILSEQ", "Invalid or incomplete multibyte or wide character"),
    ("ERESTART", "Interrupted system call should be restarted"),
    ("ESTRPIPE", "Streams pipe error"),
    ("EUSERS", "Too many users"),
    ("ENOTSOCK", "Socket operation on non-socket"),
    ("EDESTADDRREQ", "Destination address required"),
    ("EMSGSIZE", "Message too long"),
    ("EPROTOTYPE", "Protocol wrong type for socket"),
    ("ENOPROTOOPT", "Protocol not available"),
    ("EPROTONOSUPPORT", "Protocol not supported"),
    ("ESOCKTNOSUPPORT", "Socket type not supported"),
    ("EOPNOTSUPP", "Operation not supported"),
    ("EPFNOSUPPORT", "Protocol family not supported"),
    ("EAFNOSUPPORT", "Address family not supported by protocol"),
    ("EADDRINUSE", "Address already in use"),
    ("EADDRNOTAVAIL", "Cannot assign requested address"),
    ("ENETDOWN", "Network is down"),
    ("ENETUNREACH", "Network is unreachable"),
    ("ENETRESET", "Network dropped connection on reset"),
    ("ECONNABORTED", "Software caused connection abort"),
    ("ECONNRESET", "Connection reset by peer"),
    ("ENOBUFS", "No buffer space available"),
    ("EISCONN", "Transport endpoint is already connected"),
    ("ENOTCONN", "Transport endpoint is not connected"),
    ("ESHUTDOWN", "Cannot send after transport endpoint shutdown"),
    ("ETOOMANYREFS", "Too many references: cannot splice"),
    ("ETIMEDOUT", "Connection timed out"),
    ("ECONNREFUSED", "Connection refused"),
    ("EHOSTDOWN", "Host is down"),
    ("EHOSTUNREACH", "No route to host"),
    ("EALREADY", "Operation already in progress"),
    ("EINPROGRESS", "Operation now in progress"),
    ("ESTALE", "Stale file handle"),
    ("EUCLEAN", "Structure needs cleaning"),
    ("ENOTNAM", "Not a XENIX named type file"),
    ("ENAVAIL", "No XENIX semaphores available"),
    ("EISNAM", "Is a named type file"),
    ("EREMOTEIO", "Remote I/O error"),
    ("EDQUOT", "Disk quota exceeded"),
    ("ENOMEDIUM", "No medium found"),
    ("EMEDIUMTYPE", "Wrong medium type"),
    ("ECANCELED", "Operation canceled"),
    ("ENOKEY", "Required key not available"),
    ("EKEYEXPIRED", "Key has expired"),
    ("EKEYREVOKED", "Key has been revoked"),
    ("EKEYREJECTED", "Key was rejected by service"),
    ("EOWNERDEAD", "Owner died"),
    ("ENOTRECOVERABLE", "State not recoverable"),
    ("ERFKILL", "Operation not possible due to RF-kill"),
    ("EHWPOISON", "Memory page has hardware error"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rustix_round_trip() {
        for raw in 1..=4095 {
            let theirs = rustix::io::Errno::from_raw_os_error(raw);
            let ours = Errno::from_rustix(theirs);
            assert_eq!(ours.raw_os_error(), raw);
            assert_eq!(ours.to_rustix(), Some(theirs));
        }
        assert_eq!(
            Errno::from_rustix(rustix::io::Errno::CONNREFUSED),
            Errno::CONNREFUSED
        );
        assert_eq!(Errno::from_raw_os_error(0).to_rustix(), None);
        assert_eq!(Errno::from_raw_os_error(4096).to_rustix(), None);
        assert_eq!(Errno::from_raw_os_error(-1).to_rustix(), None);
        assert_eq!(Errno::from_negated_return(-111isize as usize), Errno::CONNREFUSED);
        assert_eq!(
            Errno::from_negated_return(-4095isize as usize).raw_os_error(),
            4095
        );
    }
}
