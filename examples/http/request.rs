//! Parsing one HTTP/1.1 request head (RFC 9112) straight from the
//! connection's buffer, and turning its target into a path under the served
//! directory. Nothing is copied but the decoded path, into a fixed buffer.

use core::ffi::CStr;

/// The statuses the server answers with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Status {
    Ok,
    BadRequest,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    UriTooLong,
    HeaderTooLarge,
    InternalError,
    NotImplemented,
    Unavailable,
    VersionNotSupported,
}

impl Status {
    /// The status line's code and reason phrase, as one string.
    pub(crate) fn line(self) -> &'static str {
        match self {
            Self::Ok => "200 OK",
            Self::BadRequest => "400 Bad Request",
            Self::Forbidden => "403 Forbidden",
            Self::NotFound => "404 Not Found",
            Self::MethodNotAllowed => "405 Method Not Allowed",
            Self::UriTooLong => "414 URI Too Long",
            Self::HeaderTooLarge => "431 Request Header Fields Too Large",
            Self::InternalError => "500 Internal Server Error",
            Self::NotImplemented => "501 Not Implemented",
            Self::Unavailable => "503 Service Unavailable",
            Self::VersionNotSupported => "505 HTTP Version Not Supported",
        }
    }
}

/// GET or HEAD: the only methods served.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Method {
    Get,
    Head,
}

/// A well-formed GET or HEAD request head.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Request<'a> {
    pub method: Method,
    /// The target's path, percent-encoded as received, starting with `/`,
    /// without its query.
    pub path: &'a [u8],
    /// The `x` of `HTTP/1.x`.
    pub minor: u8,
    /// Whether the connection stays open after the response.
    pub keep_alive: bool,
    /// The body's length (`Content-Length`), which is read and discarded.
    pub body_len: u64,
}

/// What one parse of the buffer found.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Parsed<'a> {
    /// No complete head yet.
    Incomplete,
    /// A request whose head is the first `len` bytes.
    Request { len: usize, request: Request<'a> },
    /// A request the server refuses with `status`; `head_only` says the
    /// method was HEAD (no body in the answer). The connection is closed
    /// after the answer, since its framing cannot be trusted.
    Refused { status: Status, head_only: bool },
}

/// The end of the head: the index just past the first empty line.
fn head_end(buf: &[u8]) -> Option<usize> {
    buf.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 4)
}

/// RFC 9110 `tchar`.
fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

fn is_token(s: &[u8]) -> bool {
    !s.is_empty() && s.iter().all(|&b| is_tchar(b))
}

/// Optional whitespace trimmed from both ends.
fn trim_ows(mut s: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = s {
        s = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = s {
        s = rest;
    }
    s
}

/// Methods that exist but are not allowed here (405); any other token is
/// unknown (501).
const KNOWN_METHODS: [&[u8]; 7] = [
    b"POST", b"PUT", b"DELETE", b"CONNECT", b"OPTIONS", b"TRACE", b"PATCH",
];

/// Parses the request at the start of `buf` (leading empty lines skipped,
/// as RFC 9112 section 2.2 allows; they count in `len`).
pub(crate) fn parse(buf: &[u8]) -> Parsed<'_> {
    let mut skip = 0;
    while buf[skip..].starts_with(b"\r\n") {
        skip += 2;
    }
    let Some(end) = head_end(&buf[skip..]) else {
        return Parsed::Incomplete;
    };
    let head = &buf[skip..skip + end - 2]; // keeps the last line's CRLF
    let refuse = |status, head_only| Parsed::Refused { status, head_only };

    // The request line: method SP request-target SP HTTP-version.
    let line_end = head.windows(2).position(|w| w == b"\r\n").unwrap_or(head.len());
    let line = &head[..line_end];
    let mut parts = line.split(|&b| b == b' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return refuse(Status::BadRequest, false);
    };
    if !is_token(method) || target.is_empty() || !target.iter().all(|&b| (0x21..0x7f).contains(&b)) {
        return refuse(Status::BadRequest, false);
    }
    let head_only = method == b"HEAD";
    let minor = match version {
        [b'H', b'T', b'T', b'P', b'/', major, b'.', minor]
            if major.is_ascii_digit() && minor.is_ascii_digit() =>
        {
            if *major != b'1' {
                return refuse(Status::VersionNotSupported, head_only);
            }
            minor - b'0'
        }
        _ => return refuse(Status::BadRequest, head_only),
    };

    // The header fields.
    let mut hosts = 0;
    let mut content_length: Option<u64> = None;
    let mut chunked_or_coded = false;
    let (mut close, mut keep) = (false, false);
    for field in head[line_end + 2..].split(|&b| b == b'\n') {
        let Some(field) = field.strip_suffix(b"\r") else {
            if field.is_empty() {
                continue; // after the last CRLF
            }
            return refuse(Status::BadRequest, head_only); // a bare LF
        };
        // Obsolete line folding, or whitespace before the colon: 400
        // (RFC 9112 sections 5.1 and 5.2).
        let Some(colon) = field.iter().position(|&b| b == b':') else {
            return refuse(Status::BadRequest, head_only);
        };
        let (name, value) = (&field[..colon], trim_ows(&field[colon + 1..]));
        if !is_token(name) || value.iter().any(|&b| b == b'\r' || b == 0 || b == b'\n') {
            return refuse(Status::BadRequest, head_only);
        }
        if name.eq_ignore_ascii_case(b"host") {
            hosts += 1;
        } else if name.eq_ignore_ascii_case(b"content-length") {
            let Some(n) = parse_length(value) else {
                return refuse(Status::BadRequest, head_only);
            };
            if content_length.is_some_and(|m| m != n) {
                return refuse(Status::BadRequest, head_only);
            }
            content_length = Some(n);
        } else if name.eq_ignore_ascii_case(b"transfer-encoding") {
            chunked_or_coded = true;
        } else if name.eq_ignore_ascii_case(b"connection") {
            for option in value.split(|&b| b == b',') {
                let option = trim_ows(option);
                close |= option.eq_ignore_ascii_case(b"close");
                keep |= option.eq_ignore_ascii_case(b"keep-alive");
            }
        }
    }
    // RFC 9112 section 3.2: exactly one Host in HTTP/1.1, at most one before.
    if hosts > 1 || (minor >= 1 && hosts == 0) {
        return refuse(Status::BadRequest, head_only);
    }
    // RFC 9112 section 6.3: both framings is an error; a transfer coding
    // this server does not decode is 501 (section 6.1).
    if chunked_or_coded {
        let status = if content_length.is_some() {
            Status::BadRequest
        } else {
            Status::NotImplemented
        };
        return refuse(status, head_only);
    }
    let method = match method {
        b"GET" => Method::Get,
        b"HEAD" => Method::Head,
        m if KNOWN_METHODS.contains(&m) => return refuse(Status::MethodNotAllowed, false),
        _ => return refuse(Status::NotImplemented, false),
    };
    let Some(path) = origin_path(target) else {
        return refuse(Status::BadRequest, head_only);
    };
    let keep_alive = !close && (minor >= 1 || keep);
    Parsed::Request {
        len: skip + end,
        request: Request {
            method,
            path,
            minor,
            keep_alive,
            body_len: content_length.unwrap_or(0),
        },
    }
}

/// A `Content-Length` value: 1 to 19 digits.
fn parse_length(value: &[u8]) -> Option<u64> {
    if value.is_empty() || value.len() > 19 || !value.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(value.iter().fold(0, |n, &d| n * 10 + u64::from(d - b'0')))
}

/// The path of an origin-form (`/a/b?q`) or absolute-form
/// (`http://host/a/b?q`) target, without the query.
fn origin_path(target: &[u8]) -> Option<&[u8]> {
    let path = if target.starts_with(b"/") {
        target
    } else {
        let scheme_len = if target.len() >= 7 && target[..7].eq_ignore_ascii_case(b"http://") {
            7
        } else if target.len() >= 8 && target[..8].eq_ignore_ascii_case(b"https://") {
            8
        } else {
            return None; // asterisk-form, authority-form or garbage
        };
        let rest = &target[scheme_len..];
        match rest.iter().position(|&b| b == b'/' || b == b'?') {
            Some(i) if rest[i] == b'/' => &rest[i..],
            _ => b"/",
        }
    };
    Some(path.split(|&b| b == b'?').next().unwrap_or(path))
}

/// The file name (relative to the served directory) for a target path, in
/// `out`, NUL-terminated: percent-decoded, `index.html` for a directory.
///
/// Refused: a bad `%` escape or a decoded NUL (400); an absolute path after
/// the leading `/` (such as `//etc/passwd`) or any `..` segment (403); a
/// name longer than `out` (414). The open itself also stays beneath the
/// directory (`RESOLVE_BENEATH`), so a symbolic link cannot lead out.
pub(crate) fn file_name<'o>(path: &[u8], out: &'o mut [u8]) -> Result<&'o CStr, Status> {
    let mut len = 0;
    let mut push = |b: u8| -> Result<(), Status> {
        // Keep room for "index.html" and the NUL.
        if len + 1 + b"index.html".len() >= out.len() {
            return Err(Status::UriTooLong);
        }
        out[len] = b;
        len += 1;
        Ok(())
    };
    let mut i = 1; // past the leading '/'
    while i < path.len() {
        let b = match path[i] {
            b'%' => {
                let hex = |c: u8| (c as char).to_digit(16);
                let (Some(h), Some(l)) = (
                    path.get(i + 1).copied().and_then(hex),
                    path.get(i + 2).copied().and_then(hex),
                ) else {
                    return Err(Status::BadRequest);
                };
                i += 2;
                (h * 16 + l) as u8
            }
            b => b,
        };
        if b == 0 {
            return Err(Status::BadRequest);
        }
        push(b)?;
        i += 1;
    }
    let name = &out[..len];
    if name.starts_with(b"/") || name.split(|&b| b == b'/').any(|seg| seg == b"..") {
        return Err(Status::Forbidden);
    }
    if len == 0 || name.ends_with(b"/") {
        out[len..len + 10].copy_from_slice(b"index.html");
        len += 10;
    }
    out[len] = 0;
    Ok(CStr::from_bytes_with_nul(&out[..=len]).expect("one NUL, at the end"))
}

/// The `Content-Type` for a file name, by its extension.
pub(crate) fn content_type(name: &[u8]) -> &'static str {
    let base = name.rsplit(|&b| b == b'/').next().unwrap_or(name);
    let Some(dot) = base.iter().rposition(|&b| b == b'.') else {
        return "application/octet-stream";
    };
    let ext = &base[dot + 1..];
    const TYPES: [(&str, &str); 16] = [
        ("html", "text/html; charset=utf-8"),
        ("htm", "text/html; charset=utf-8"),
        ("txt", "text/plain; charset=utf-8"),
        ("css", "text/css"),
        ("js", "text/javascript"),
        ("json", "application/json"),
        ("xml", "application/xml"),
        ("png", "image/png"),
        ("jpg", "image/jpeg"),
        ("jpeg", "image/jpeg"),
        ("gif", "image/gif"),
        ("svg", "image/svg+xml"),
        ("ico", "image/x-icon"),
        ("wasm", "application/wasm"),
        ("pdf", "application/pdf"),
        ("webp", "image/webp"),
    ];
    TYPES
        .iter()
        .find(|(e, _)| e.as_bytes().eq_ignore_ascii_case(ext))
        .map_or("application/octet-stream", |(_, t)| t)
}
