//! zerosock's `Errno`: every constant has the kernel's number (checked
//! against the `libc` crate), prints its C name and glibc's `strerror` text
//! (checked against glibc itself, for every number from 0 to 4200), and
//! formatting any `Errno` — `Display` or `Debug` — allocates nothing, with
//! or without the `std` feature (this binary runs in both builds:
//! `cargo test --test no_alloc` and `--no-default-features`), counted by
//! the one counting allocator, `common::alloc`.

use std::ffi::CStr;
use std::fmt::{self, Write as _};

use zerosock::Errno;

/// Every constant zerosock defines, with the C constant of the same number.
macro_rules! every_errno {
    ($($ours:ident, $c:ident),* $(,)?) => {
        [$((Errno::$ours, libc::$c, stringify!($c))),*]
    };
}

const ALL: [(Errno, i32, &str); 134] = every_errno!(
    ACCESS,
    EACCES,
    ADDRINUSE,
    EADDRINUSE,
    ADDRNOTAVAIL,
    EADDRNOTAVAIL,
    ADV,
    EADV,
    AFNOSUPPORT,
    EAFNOSUPPORT,
    AGAIN,
    EAGAIN,
    ALREADY,
    EALREADY,
    BADE,
    EBADE,
    BADF,
    EBADF,
    BADFD,
    EBADFD,
    BADMSG,
    EBADMSG,
    BADR,
    EBADR,
    BADRQC,
    EBADRQC,
    BADSLT,
    EBADSLT,
    BFONT,
    EBFONT,
    BUSY,
    EBUSY,
    CANCELED,
    ECANCELED,
    CHILD,
    ECHILD,
    CHRNG,
    ECHRNG,
    COMM,
    ECOMM,
    CONNABORTED,
    ECONNABORTED,
    CONNREFUSED,
    ECONNREFUSED,
    CONNRESET,
    ECONNRESET,
    DEADLK,
    EDEADLK,
    DEADLOCK,
    EDEADLOCK,
    DESTADDRREQ,
    EDESTADDRREQ,
    DOM,
    EDOM,
    DOTDOT,
    EDOTDOT,
    DQUOT,
    EDQUOT,
    EXIST,
    EEXIST,
    FAULT,
    EFAULT,
    FBIG,
    EFBIG,
    HOSTDOWN,
    EHOSTDOWN,
    HOSTUNREACH,
    EHOSTUNREACH,
    HWPOISON,
    EHWPOISON,
    IDRM,
    EIDRM,
    ILSEQ,
    EILSEQ,
    INPROGRESS,
    EINPROGRESS,
    INTR,
    EINTR,
    INVAL,
    EINVAL,
    IO,
    EIO,
    ISCONN,
    EISCONN,
    ISDIR,
    EISDIR,
    ISNAM,
    EISNAM,
    KEYEXPIRED,
    EKEYEXPIRED,
    KEYREJECTED,
    EKEYREJECTED,
    KEYREVOKED,
    EKEYREVOKED,
    L2HLT,
    EL2HLT,
    L2NSYNC,
    EL2NSYNC,
    L3HLT,
    EL3HLT,
    L3RST,
    EL3RST,
    LIBACC,
    ELIBACC,
    LIBBAD,
    ELIBBAD,
    LIBEXEC,
    ELIBEXEC,
    LIBMAX,
    ELIBMAX,
    LIBSCN,
    ELIBSCN,
    LNRNG,
    ELNRNG,
    LOOP,
    ELOOP,
    MEDIUMTYPE,
    EMEDIUMTYPE,
    MFILE,
    EMFILE,
    MLINK,
    EMLINK,
    MSGSIZE,
    EMSGSIZE,
    MULTIHOP,
    EMULTIHOP,
    NAMETOOLONG,
    ENAMETOOLONG,
    NAVAIL,
    ENAVAIL,
    NETDOWN,
    ENETDOWN,
    NETRESET,
    ENETRESET,
    NETUNREACH,
    ENETUNREACH,
    NFILE,
    ENFILE,
    NOANO,
    ENOANO,
    NOBUFS,
    ENOBUFS,
    NOCSI,
    ENOCSI,
    NODATA,
    ENODATA,
    NODEV,
    ENODEV,
    NOENT,
    ENOENT,
    NOEXEC,
    ENOEXEC,
    NOKEY,
    ENOKEY,
    NOLCK,
    ENOLCK,
    NOLINK,
    ENOLINK,
    NOMEDIUM,
    ENOMEDIUM,
    NOMEM,
    ENOMEM,
    NOMSG,
    ENOMSG,
    NONET,
    ENONET,
    NOPKG,
    ENOPKG,
    NOPROTOOPT,
    ENOPROTOOPT,
    NOSPC,
    ENOSPC,
    NOSR,
    ENOSR,
    NOSTR,
    ENOSTR,
    NOSYS,
    ENOSYS,
    NOTBLK,
    ENOTBLK,
    NOTCONN,
    ENOTCONN,
    NOTDIR,
    ENOTDIR,
    NOTEMPTY,
    ENOTEMPTY,
    NOTNAM,
    ENOTNAM,
    NOTRECOVERABLE,
    ENOTRECOVERABLE,
    NOTSOCK,
    ENOTSOCK,
    NOTSUP,
    ENOTSUP,
    NOTTY,
    ENOTTY,
    NOTUNIQ,
    ENOTUNIQ,
    NXIO,
    ENXIO,
    OPNOTSUPP,
    EOPNOTSUPP,
    OVERFLOW,
    EOVERFLOW,
    OWNERDEAD,
    EOWNERDEAD,
    PERM,
    EPERM,
    PFNOSUPPORT,
    EPFNOSUPPORT,
    PIPE,
    EPIPE,
    PROTO,
    EPROTO,
    PROTONOSUPPORT,
    EPROTONOSUPPORT,
    PROTOTYPE,
    EPROTOTYPE,
    RANGE,
    ERANGE,
    REMCHG,
    EREMCHG,
    REMOTE,
    EREMOTE,
    REMOTEIO,
    EREMOTEIO,
    RESTART,
    ERESTART,
    RFKILL,
    ERFKILL,
    ROFS,
    EROFS,
    SHUTDOWN,
    ESHUTDOWN,
    SOCKTNOSUPPORT,
    ESOCKTNOSUPPORT,
    SPIPE,
    ESPIPE,
    SRCH,
    ESRCH,
    SRMNT,
    ESRMNT,
    STALE,
    ESTALE,
    STRPIPE,
    ESTRPIPE,
    TIME,
    ETIME,
    TIMEDOUT,
    ETIMEDOUT,
    TOOBIG,
    E2BIG,
    TOOMANYREFS,
    ETOOMANYREFS,
    TXTBSY,
    ETXTBSY,
    UCLEAN,
    EUCLEAN,
    UNATCH,
    EUNATCH,
    USERS,
    EUSERS,
    WOULDBLOCK,
    EWOULDBLOCK,
    XDEV,
    EXDEV,
    XFULL,
    EXFULL,
);

/// glibc's strerror(3) text for `n`.
fn strerror(n: i32) -> String {
    // SAFETY: strerror returns a valid NUL-terminated string, which we copy
    // before any other call could overwrite it (tests in this binary that
    // call it do not share it across threads: glibc's is thread-safe since
    // 2.32 anyway).
    unsafe { CStr::from_ptr(libc::strerror(n)) }
        .to_string_lossy()
        .into_owned()
}

/// The name glibc's <errno.h> gives a number first (of EAGAIN/EWOULDBLOCK,
/// EDEADLK/EDEADLOCK, EOPNOTSUPP/ENOTSUP).
fn canonical(c_name: &str) -> &str {
    match c_name {
        "EWOULDBLOCK" => "EAGAIN",
        "EDEADLOCK" => "EDEADLK",
        "ENOTSUP" => "EOPNOTSUPP",
        other => other,
    }
}

#[test]
fn every_constant_has_the_kernels_number_and_glibcs_text() {
    for (errno, c_value, c_name) in ALL {
        assert_eq!(errno.raw_os_error(), c_value, "{c_name}");
        let name = canonical(c_name);
        let message = strerror(c_value);
        assert_eq!(errno.name(), Some(name), "{c_name}");
        assert_eq!(errno.message(), Some(message.as_str()), "{c_name}");
        assert_eq!(errno.to_string(), format!("{name}: {message}"), "{c_name}");
        assert_eq!(format!("{errno:?}"), format!("{name}: {message}"), "{c_name}");
    }
}

#[test]
fn every_number_prints_glibcs_text() {
    let mut named = 0;
    for n in 0..=4200 {
        let errno = Errno::from_raw_os_error(n);
        assert_eq!(errno.raw_os_error(), n);
        let text = errno.to_string();
        let message = strerror(n);
        let expected = match errno.name() {
            Some(name) => {
                named += 1;
                format!("{name}: {message}")
            }
            None => format!("errno {n}: {message}"),
        };
        assert_eq!(text, expected);
        // A number has a name exactly when it is one of the constants.
        assert_eq!(
            errno.name().is_some(),
            ALL.iter().any(|&(e, ..)| e == errno),
            "{n}"
        );
    }
    // 1..=133 less the two Linux never used (41, 58).
    assert_eq!(named, 131);
    assert_eq!(
        Errno::from_raw_os_error(4000).to_string(),
        "errno 4000: Unknown error 4000"
    );
    assert_eq!(Errno::from_raw_os_error(0).to_string(), "errno 0: Success");
}

#[test]
fn numbers_outside_sixteen_bits_become_65535() {
    for n in [-1, -4095, i32::MIN, 65536, i32::MAX] {
        assert_eq!(Errno::from_raw_os_error(n).raw_os_error(), 65535, "{n}");
    }
    assert_eq!(Errno::from_raw_os_error(65535).raw_os_error(), 65535);
    assert_eq!(
        Errno::from_raw_os_error(-1).to_string(),
        format!("errno 65535: {}", strerror(65535))
    );
}

#[test]
fn aliases_compare_equal_and_print_the_first_name() {
    assert_eq!(Errno::WOULDBLOCK, Errno::AGAIN);
    assert_eq!(Errno::DEADLOCK, Errno::DEADLK);
    assert_eq!(Errno::NOTSUP, Errno::OPNOTSUPP);
    assert_eq!(
        Errno::WOULDBLOCK.to_string(),
        "EAGAIN: Resource temporarily unavailable"
    );
    assert_eq!(Errno::CONNREFUSED.to_string(), "ECONNREFUSED: Connection refused");
}

#[test]
fn errors_from_the_kernel_are_ours() {
    use zerosock::{Domain, Protocol, Socket, Type};
    // socket(2) goes through rustix, recv(2) through zerosock's own door:
    // both hand back zerosock's Errno.
    assert_eq!(
        Socket::new(Domain::from_raw(12345), Type::STREAM, Protocol::DEFAULT).err(),
        Some(Errno::AFNOSUPPORT)
    );
    let (a, _b) = Socket::pair(Domain::UNIX, Type::STREAM, Protocol::DEFAULT).unwrap();
    a.set_nonblocking(true).unwrap();
    let err = a.recv(&mut [0u8; 4]).unwrap_err();
    assert_eq!(err, Errno::AGAIN);
    assert_eq!(err.to_string(), "EAGAIN: Resource temporarily unavailable");
}

#[cfg(feature = "std")]
#[test]
fn std_io_error_round_trip() {
    use std::io::{Error, ErrorKind};
    for (errno, c_value, c_name) in ALL {
        let io = Error::from(errno);
        assert_eq!(io.raw_os_error(), Some(c_value), "{c_name}");
        assert_eq!(Errno::from_io_error(&io), Some(errno), "{c_name}");
        assert_eq!(errno.kind(), io.kind(), "{c_name}");
    }
    assert_eq!(Errno::CONNREFUSED.kind(), ErrorKind::ConnectionRefused);
    assert_eq!(Errno::from_io_error(&Error::from(ErrorKind::Other)), None);
    assert_eq!(Errno::from_io_error(&Error::from_raw_os_error(0)), None);
    let boxed: Box<dyn std::error::Error> = Box::new(Errno::PIPE);
    assert_eq!(boxed.to_string(), "EPIPE: Broken pipe");
}

// ---------------------------------------------------------------------------
// Formatting allocates nothing

/// Heap operations on this thread while `f` runs.
fn allocations(f: impl FnOnce()) -> usize {
    crate::common::alloc::heap_ops_in(f).1
}

/// A fixed buffer to format into, so the writing itself cannot allocate.
struct Buf {
    bytes: [u8; 128],
    len: usize,
}

impl fmt::Write for Buf {
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

#[test]
fn formatting_every_errno_allocates_nothing() {
    // The counter works: a Box counts.
    assert!(allocations(|| drop(std::hint::black_box(Box::new(1u8)))) > 0);

    let mut buf = Buf {
        bytes: [0; 128],
        len: 0,
    };
    let mut written = 0;
    let heap = allocations(|| {
        for n in -5..=4200 {
            let errno = Errno::from_raw_os_error(n);
            for debug in [false, true] {
                buf.len = 0;
                let ok = if debug {
                    write!(buf, "{errno:?}")
                } else {
                    write!(buf, "{errno}")
                };
                assert!(ok.is_ok());
                assert!(buf.len > 0);
                written += buf.len;
            }
        }
    });
    assert_eq!(heap, 0, "formatting an Errno allocated");
    assert!(written > 0);
    // The last one written is the Debug form of 4200, as Display gives it.
    assert_eq!(&buf.bytes[..buf.len], b"errno 4200: Unknown error 4200");
}

#[cfg(feature = "std")]
#[test]
fn converting_to_std_io_error_allocates_nothing() {
    let mut kinds = 0;
    let heap = allocations(|| {
        for (errno, ..) in ALL {
            let io = std::io::Error::from(errno);
            kinds += usize::from(io.kind() == errno.kind());
            drop(std::hint::black_box(io));
        }
    });
    assert_eq!(heap, 0);
    assert_eq!(kinds, ALL.len());
}
