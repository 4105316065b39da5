//! Writing a response head into a connection's fixed buffer, and the
//! `Date` header (IMF-fixdate, RFC 9110 section 5.6.7), reformatted once a
//! second.

use super::request::Status;

/// A fixed-capacity writer over a byte buffer; `ok` turns false (and stays)
/// if something did not fit.
pub(crate) struct Out<'b> {
    buf: &'b mut [u8],
    len: usize,
    ok: bool,
}

impl<'b> Out<'b> {
    pub(crate) fn new(buf: &'b mut [u8]) -> Self {
        Self {
            buf,
            len: 0,
            ok: true,
        }
    }

    pub(crate) fn bytes(&mut self, b: &[u8]) -> &mut Self {
        match self.buf.get_mut(self.len..self.len + b.len()) {
            Some(dst) if self.ok => {
                dst.copy_from_slice(b);
                self.len += b.len();
            }
            _ => self.ok = false,
        }
        self
    }

    pub(crate) fn str(&mut self, s: &str) -> &mut Self {
        self.bytes(s.as_bytes())
    }

    pub(crate) fn num(&mut self, mut n: u64) -> &mut Self {
        let mut digits = [0u8; 20];
        let mut i = digits.len();
        loop {
            i -= 1;
            digits[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        self.bytes(&digits[i..])
    }

    /// The length written, or `None` if something did not fit.
    pub(crate) fn finish(&self) -> Option<usize> {
        self.ok.then_some(self.len)
    }
}

/// The head of a response: status line, `Server`, `Date`, `Content-Type`,
/// `Content-Length`, `Connection` when it is not the version's default,
/// and `Allow` with 405.
pub(crate) struct Head<'a> {
    pub status: Status,
    pub content_type: &'a str,
    pub content_length: u64,
    /// `Some(true)`: say `keep-alive` (an HTTP/1.0 client that asked);
    /// `Some(false)`: say `close`; `None`: say nothing.
    pub connection: Option<bool>,
}

impl Head<'_> {
    /// Writes the head into `out`; its length, or `None` if it did not fit.
    pub(crate) fn write(&self, date: &[u8], out: &mut Out<'_>) -> Option<usize> {
        out.str("HTTP/1.1 ")
            .str(self.status.line())
            .str("\r\nServer: zerosock\r\nDate: ")
            .bytes(date)
            .str("\r\nContent-Type: ")
            .str(self.content_type)
            .str("\r\nContent-Length: ")
            .num(self.content_length)
            .str("\r\n");
        match self.connection {
            Some(true) => out.str("Connection: keep-alive\r\n"),
            Some(false) => out.str("Connection: close\r\n"),
            None => out,
        };
        if self.status == Status::MethodNotAllowed {
            out.str("Allow: GET, HEAD\r\n");
        }
        out.str("\r\n").finish()
    }
}

/// The body of an error response: its status line and a newline.
pub(crate) fn error_body(status: Status) -> ErrorBody {
    ErrorBody(status)
}

/// See [`error_body`].
pub(crate) struct ErrorBody(Status);

impl ErrorBody {
    pub(crate) fn len(&self) -> u64 {
        self.0.line().len() as u64 + 1
    }
    pub(crate) fn write(&self, out: &mut Out<'_>) -> Option<usize> {
        out.str(self.0.line()).str("\n").finish()
    }
}

/// The current `Date` value, reformatted when the second changes.
pub(crate) struct Date {
    secs: u64,
    text: [u8; 29],
}

impl Date {
    pub(crate) fn new() -> Self {
        let mut date = Self {
            secs: u64::MAX,
            text: [0; 29],
        };
        date.update();
        date
    }

    /// Reads the wall clock; reformats if the second changed.
    pub(crate) fn update(&mut self) {
        // CLOCK_REALTIME, not std's SystemTime: this file is no_std too.
        let now = rustix::time::clock_gettime(rustix::time::ClockId::Realtime);
        let secs = u64::try_from(now.tv_sec).unwrap_or(0);
        if secs != self.secs {
            self.secs = secs;
            self.text = imf_fixdate(secs);
        }
    }

    pub(crate) fn text(&self) -> &[u8] {
        &self.text
    }
}

/// `Sun, 06 Nov 1994 08:49:37 GMT` for seconds since 1970.
pub(crate) fn imf_fixdate(secs: u64) -> [u8; 29] {
    const DAYS: [&[u8; 3]; 7] = [b"Thu", b"Fri", b"Sat", b"Sun", b"Mon", b"Tue", b"Wed"];
    const MONTHS: [&[u8; 3]; 12] = [
        b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
    ];
    let days = secs / 86_400;
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days as i64);
    let mut out = *b"Thu, 01 Jan 1970 00:00:00 GMT";
    out[..3].copy_from_slice(DAYS[(days % 7) as usize]);
    let two = |out: &mut [u8; 29], at: usize, v: u64| {
        out[at] = b'0' + (v / 10) as u8;
        out[at + 1] = b'0' + (v % 10) as u8;
    };
    two(&mut out, 5, d);
    out[8..11].copy_from_slice(MONTHS[m as usize - 1]);
    let y = y as u64 % 10_000;
    two(&mut out, 12, y / 100);
    two(&mut out, 14, y % 100);
    two(&mut out, 17, rem / 3600);
    two(&mut out, 20, rem / 60 % 60);
    two(&mut out, 23, rem % 60);
    out
}

/// Howard Hinnant's days-to-civil algorithm: (year, month 1-12, day 1-31).
fn civil_from_days(z: i64) -> (i64, u64, u64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u64;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u64;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}
