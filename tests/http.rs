//! The HTTP example (examples/http.rs): each protocol case with its exact
//! response, pipelining and keep-alive, refusals, paths that try to leave
//! the directory, clients that reset, stall or dribble (slowloris), more
//! clients than the table holds, the open-fd count after load, zero
//! allocations while serving, and 10,000 idle connections held while
//! others are served.
//!
//! Most tests run the server in this process, on a thread of its own whose
//! heap use is counted (it must be 0 from `run` to its return); the 10,000
//! connection test runs the example as a child process, so the two ends'
//! fds are in different tables. Every server stops by itself (a deadline,
//! and a stop eventfd on drop).

mod common;

#[path = "../examples/http.rs"]
mod http;

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use http::request::{self, Method, Parsed, Request, Status};
use http::response::imf_fixdate;
use http::server::{Config, Server, Stats};
use zerosock::TcpListener;
use zerosock::event::eventfd::EventFd;

/// Every client socket's read/write timeout: a hang becomes a failure.
const IO_TIMEOUT: Duration = Duration::from_secs(20);
/// The longest any in-process server lives.
const SERVER_LIFE: Duration = Duration::from_secs(120);

// ---------------------------------------------------------------------------
// The one counting allocator of the tests (`common::alloc`), armed on the
// server thread only.

#[global_allocator]
static GLOBAL: common::alloc::Counting = common::alloc::Counting;

// ---------------------------------------------------------------------------
// The served directory

static SEQ: AtomicUsize = AtomicUsize::new(0);

/// `<tmp>/zs-http-<pid>-<n>/` with `secret.txt` beside `www/`, the served
/// directory; removed on drop.
struct Site {
    base: PathBuf,
}

/// The 1 MiB file's bytes.
fn big() -> Vec<u8> {
    (0..1 << 20)
        .map(|i: u32| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect()
}

impl Site {
    fn new() -> Self {
        let base = std::env::temp_dir().join(format!(
            "zs-http-{}-{}",
            std::process::id(),
            SEQ.fetch_add(1, Ordering::Relaxed)
        ));
        let www = base.join("www");
        std::fs::create_dir_all(www.join("sub")).unwrap();
        std::fs::create_dir_all(www.join("emptydir")).unwrap();
        std::fs::write(base.join("secret.txt"), "secret\n").unwrap();
        std::fs::write(www.join("index.html"), "<h1>home</h1>\n").unwrap();
        std::fs::write(www.join("hello.txt"), "hello, world\n").unwrap();
        std::fs::write(www.join("style.css"), "p{}\n").unwrap();
        std::fs::write(www.join("data"), [0u8, 1, 2]).unwrap();
        std::fs::write(www.join("empty.txt"), "").unwrap();
        std::fs::write(www.join("big.bin"), big()).unwrap();
        std::fs::write(www.join("sub/index.html"), "<p>sub</p>\n").unwrap();
        std::fs::write(www.join("sub/x.json"), "{}\n").unwrap();
        std::os::unix::fs::symlink(base.join("secret.txt"), www.join("out")).unwrap();
        std::os::unix::fs::symlink("../secret.txt", www.join("up")).unwrap();
        std::os::unix::fs::symlink("hello.txt", www.join("in.txt")).unwrap();
        let fifo = std::ffi::CString::new(www.join("fifo").as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: mkfifo with a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
        Self { base }
    }

    fn www(&self) -> PathBuf {
        self.base.join("www")
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.base);
    }
}

// ---------------------------------------------------------------------------
// The server on a thread

struct TestServer {
    addr: SocketAddr,
    stop: Arc<EventFd>,
    thread: Option<JoinHandle<(Stats, usize)>>,
    _site: Site,
}

impl TestServer {
    fn start(capacity: usize, timeout: Duration) -> Self {
        let site = Site::new();
        let root = http::open_root(site.www().to_str().unwrap()).unwrap();
        let listener = TcpListener::bind_with_backlog((std::net::Ipv4Addr::LOCALHOST, 0), 1024).unwrap();
        let addr = listener.local_addr().unwrap();
        let mut server = Server::new(listener, root, Config { capacity, timeout }).unwrap();
        let stop = server.stopper();
        let thread = std::thread::spawn(move || {
            let (result, heap_ops) = common::alloc::heap_ops_in(|| server.run(Some(SERVER_LIFE)));
            result.unwrap();
            (server.stats(), heap_ops)
        });
        Self {
            addr,
            stop,
            thread: Some(thread),
            _site: site,
        }
    }

    fn default() -> Self {
        Self::start(64, Duration::from_secs(30))
    }

    /// Stops the server, checks it allocated nothing while serving, and
    /// returns its counters.
    fn finish(mut self) -> Stats {
        self.stop.write(1).unwrap();
        let (stats, allocations) = self.thread.take().unwrap().join().unwrap();
        assert_eq!(allocations, 0, "heap operations while serving");
        stats
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(thread) = self.thread.take() {
            let _ = self.stop.write(1);
            let _ = thread.join();
        }
    }
}

fn connect(addr: SocketAddr) -> TcpStream {
    let s = TcpStream::connect_timeout(&addr, IO_TIMEOUT).expect("connect");
    s.set_read_timeout(Some(IO_TIMEOUT)).unwrap();
    s.set_write_timeout(Some(IO_TIMEOUT)).unwrap();
    s
}

/// Everything the server sends until it closes, as text with the date
/// replaced by `D` (after checking its form).
fn read_to_end(s: &mut TcpStream) -> String {
    let mut out = Vec::new();
    match s.read_to_end(&mut out) {
        Ok(_) => {}
        Err(e) if e.kind() == ErrorKind::ConnectionReset => {}
        Err(e) => panic!("read: {e} after {:?}", String::from_utf8_lossy(&out)),
    }
    undate(&out)
}

/// Replaces each `Date: <IMF-fixdate>` value by `D`, checking its form.
fn undate(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes).into_owned();
    let mut out = String::new();
    let mut rest = text.as_str();
    while let Some(i) = rest.find("\r\nDate: ") {
        out.push_str(&rest[..i + 8]);
        let date = &rest[i + 8..i + 8 + 29];
        assert!(
            date.ends_with(" GMT") && date.as_bytes()[3] == b',' && date.as_bytes()[19] == b':',
            "bad date {date:?}"
        );
        out.push('D');
        rest = &rest[i + 8 + 29..];
    }
    out.push_str(rest);
    out
}

/// Sends `request`, half-closes, and returns all the server answered.
fn exchange(addr: SocketAddr, request: &[u8]) -> String {
    let mut s = connect(addr);
    // Either may fail if the server refused and reset the connection; the
    // answer (none) then tells.
    let _ = s.write_all(request);
    let _ = s.shutdown(Shutdown::Write);
    read_to_end(&mut s)
}

/// Reads one response head from a kept-alive connection (date as `D`).
fn read_head(s: &mut TcpStream) -> String {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        assert_eq!(
            s.read(&mut byte).unwrap(),
            1,
            "EOF inside a head: {:?}",
            String::from_utf8_lossy(&buf)
        );
        buf.push(byte[0]);
        assert!(buf.len() < 8192);
    }
    undate(&buf)
}

/// Reads one response to a GET (head and `Content-Length` body) from a
/// kept-alive connection.
fn read_response(s: &mut TcpStream) -> (String, Vec<u8>) {
    let head = read_head(s);
    let len: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("Content-Length: "))
        .map_or(0, |v| v.trim().parse().unwrap());
    let mut body = vec![0; len];
    s.read_exact(&mut body).unwrap();
    (head, body)
}

/// The exact response head for a 200.
fn ok_head(ty: &str, len: usize, connection: &str) -> String {
    format!(
        "HTTP/1.1 200 OK\r\nServer: zerosock\r\nDate: D\r\nContent-Type: {ty}\r\nContent-Length: {len}\r\n{connection}\r\n"
    )
}

/// The exact response for an error, closing the connection.
fn error_response(status: &str, head_only: bool) -> String {
    let allow = if status.starts_with("405") {
        "Allow: GET, HEAD\r\n"
    } else {
        ""
    };
    let body = if head_only {
        String::new()
    } else {
        format!("{status}\n")
    };
    format!(
        "HTTP/1.1 {status}\r\nServer: zerosock\r\nDate: D\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n{allow}\r\n{body}",
        status.len() + 1
    )
}

/// An error response on a connection that stays open.
fn error_kept(status: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\nServer: zerosock\r\nDate: D\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\n\r\n{status}\n",
        status.len() + 1
    )
}

const TXT: &str = "text/plain; charset=utf-8";
const HTML: &str = "text/html; charset=utf-8";

// ---------------------------------------------------------------------------
// The parser and the date, directly

#[test]
fn parser_cases() {
    let get = |path: &'static [u8], keep_alive, minor, body_len| Request {
        method: Method::Get,
        path,
        minor,
        keep_alive,
        body_len,
    };
    assert_eq!(request::parse(b"GET / HTTP/1.1\r\nHost: a"), Parsed::Incomplete);
    assert_eq!(
        request::parse(b"\r\nGET /a?b HTTP/1.1\r\nHost: a\r\n\r\nrest"),
        Parsed::Request {
            len: 32,
            request: get(b"/a", true, 1, 0)
        }
    );
    assert_eq!(
        request::parse(
            b"GET http://h:1/x/y?q HTTP/1.0\r\nConnection: Keep-Alive\r\nContent-Length: 12\r\n\r\n"
        ),
        Parsed::Request {
            len: 77,
            request: get(b"/x/y", true, 0, 12)
        }
    );
    let refused = |req: &[u8], status, head_only| {
        assert_eq!(
            request::parse(req),
            Parsed::Refused { status, head_only },
            "{:?}",
            String::from_utf8_lossy(req)
        );
    };
    refused(b"GET  / HTTP/1.1\r\nHost: a\r\n\r\n", Status::BadRequest, false);
    refused(b"GET / HTTP/1.1 \r\nHost: a\r\n\r\n", Status::BadRequest, false);
    refused(
        b"GET / HTTP/2.0\r\nHost: a\r\n\r\n",
        Status::VersionNotSupported,
        false,
    );
    refused(b"HEAD / HTTP/3.0\r\n\r\n", Status::VersionNotSupported, true);
    refused(b"GET / HTTX/1.1\r\nHost: a\r\n\r\n", Status::BadRequest, false);
    refused(b"GET / HTTP/1.1\r\n\r\n", Status::BadRequest, false);
    refused(
        b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
        Status::BadRequest,
        false,
    );
    refused(b"GET / HTTP/1.1\r\nHost : a\r\n\r\n", Status::BadRequest, false);
    refused(
        b"GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n",
        Status::BadRequest,
        false,
    );
    refused(
        b"GET / HTTP/1.1\r\nHost: a\nX: y\r\n\r\n",
        Status::BadRequest,
        false,
    );
    refused(
        b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n",
        Status::BadRequest,
        false,
    );
    refused(
        b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        Status::BadRequest,
        false,
    );
    refused(
        b"GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n",
        Status::NotImplemented,
        false,
    );
    refused(
        b"GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n",
        Status::BadRequest,
        false,
    );
    refused(
        b"POST / HTTP/1.1\r\nHost: a\r\n\r\n",
        Status::MethodNotAllowed,
        false,
    );
    refused(
        b"BREW / HTTP/1.1\r\nHost: a\r\n\r\n",
        Status::NotImplemented,
        false,
    );
    refused(
        b"get / HTTP/1.1\r\nHost: a\r\n\r\n",
        Status::NotImplemented,
        false,
    );
    refused(b"GET * HTTP/1.1\r\nHost: a\r\n\r\n", Status::BadRequest, false);
    refused(
        b"GET a.txt HTTP/1.1\r\nHost: a\r\n\r\n",
        Status::BadRequest,
        false,
    );
}

#[test]
fn file_names_stay_beneath_the_directory() {
    let mut buf = [0u8; 64];
    let name = |p: &[u8], buf: &mut [u8; 64]| request::file_name(p, buf).map(|c| c.to_bytes().to_vec());
    assert_eq!(name(b"/", &mut buf).unwrap(), b"index.html");
    assert_eq!(name(b"/a/b.txt", &mut buf).unwrap(), b"a/b.txt");
    assert_eq!(name(b"/a/", &mut buf).unwrap(), b"a/index.html");
    assert_eq!(name(b"/a%20b%2Fc", &mut buf).unwrap(), b"a b/c");
    assert_eq!(name(b"/a..b", &mut buf).unwrap(), b"a..b");
    assert_eq!(name(b"/../x", &mut buf), Err(Status::Forbidden));
    assert_eq!(name(b"/a/../../x", &mut buf), Err(Status::Forbidden));
    assert_eq!(name(b"/a/..", &mut buf), Err(Status::Forbidden));
    assert_eq!(name(b"/%2e%2E/x", &mut buf), Err(Status::Forbidden));
    assert_eq!(name(b"//etc/passwd", &mut buf), Err(Status::Forbidden));
    assert_eq!(name(b"/%2fetc/passwd", &mut buf), Err(Status::Forbidden));
    assert_eq!(name(b"/a%00b", &mut buf), Err(Status::BadRequest));
    assert_eq!(name(b"/a%zz", &mut buf), Err(Status::BadRequest));
    assert_eq!(name(b"/a%2", &mut buf), Err(Status::BadRequest));
    assert_eq!(name(&[b'/'; 10], &mut buf), Err(Status::Forbidden));
    assert_eq!(name(&[b'/'; 100], &mut buf), Err(Status::UriTooLong));
    assert_eq!(name(&[b'a'; 100], &mut buf), Err(Status::UriTooLong));
}

#[test]
fn content_types_by_extension() {
    assert_eq!(request::content_type(b"a/b.HTML"), HTML);
    assert_eq!(request::content_type(b"x.css"), "text/css");
    assert_eq!(request::content_type(b"x.json"), "application/json");
    assert_eq!(request::content_type(b"x.tar.gz"), "application/octet-stream");
    assert_eq!(request::content_type(b"dir.d/noext"), "application/octet-stream");
}

#[test]
fn dates_are_imf_fixdate() {
    assert_eq!(&imf_fixdate(0), b"Thu, 01 Jan 1970 00:00:00 GMT");
    assert_eq!(&imf_fixdate(784_111_777), b"Sun, 06 Nov 1994 08:49:37 GMT");
    assert_eq!(&imf_fixdate(951_782_400), b"Tue, 29 Feb 2000 00:00:00 GMT");
    assert_eq!(&imf_fixdate(4_102_444_799), b"Thu, 31 Dec 2099 23:59:59 GMT");
    // Against glibc's strftime for a spread of times.
    for secs in (0..4_000_000_000i64).step_by(123_456_789) {
        // glibc's time_t is 32 bits on armv7: it ends in 2038.
        #[allow(clippy::unnecessary_cast)] // i64 on 64-bit targets
        let max = libc::time_t::MAX as i64;
        if secs > max {
            continue;
        }
        let t = secs as libc::time_t;
        let mut tm: libc::tm = unsafe { std::mem::zeroed() };
        let mut out = [0u8; 64];
        // SAFETY: valid pointers; the format is NUL-terminated; C locale names.
        let n = unsafe {
            libc::gmtime_r(&t, &mut tm);
            libc::strftime(
                out.as_mut_ptr().cast(),
                out.len(),
                c"%a, %d %b %Y %H:%M:%S GMT".as_ptr(),
                &tm,
            )
        };
        assert_eq!(&imf_fixdate(secs as u64)[..], &out[..n], "{secs}");
    }
}

// ---------------------------------------------------------------------------
// Protocol cases, each with its exact response

#[test]
fn get_head_and_keep_alive() {
    let server = TestServer::default();
    let mut s = connect(server.addr);
    s.write_all(b"GET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n")
        .unwrap();
    let (head, body) = read_response(&mut s);
    assert_eq!(head, ok_head(TXT, 13, ""));
    assert_eq!(body, b"hello, world\n");
    // The same connection, still open: HEAD gives the same head, no body.
    s.write_all(b"HEAD /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n")
        .unwrap();
    assert_eq!(read_head(&mut s), ok_head(TXT, 13, ""));
    // And the directory's index, with HTML's type.
    s.write_all(b"GET / HTTP/1.1\r\nHost: t\r\n\r\n").unwrap();
    let (head, body) = read_response(&mut s);
    assert_eq!(head, ok_head(HTML, 14, ""));
    assert_eq!(body, b"<h1>home</h1>\n");
    s.write_all(b"GET /sub/ HTTP/1.1\r\nHost: t\r\n\r\n").unwrap();
    assert_eq!(
        read_response(&mut s),
        (ok_head(HTML, 11, ""), b"<p>sub</p>\n".to_vec())
    );
    // Half-closing ends it: no more bytes, then EOF.
    s.shutdown(Shutdown::Write).unwrap();
    assert_eq!(read_to_end(&mut s), "");
    let stats = server.finish();
    assert_eq!(stats.responses, 4);
}

#[test]
fn content_type_and_length_of_each_file() {
    let server = TestServer::default();
    let cases: [(&str, &str, &[u8]); 6] = [
        ("/style.css", "text/css", b"p{}\n"),
        ("/data", "application/octet-stream", &[0, 1, 2]),
        ("/sub/x.json", "application/json", b"{}\n"),
        ("/empty.txt", TXT, b""),
        ("/in.txt", TXT, b"hello, world\n"), // a link inside the directory
        ("/hello.txt?x=../../secret.txt", TXT, b"hello, world\n"),
    ];
    for (path, ty, body) in cases {
        let got = exchange(
            server.addr,
            format!("GET {path} HTTP/1.1\r\nHost: t\r\n\r\n").as_bytes(),
        );
        let want = ok_head(ty, body.len(), "") + &String::from_utf8_lossy(body);
        assert_eq!(got, want, "{path}");
    }
    let got = exchange(server.addr, b"GET /big.bin HTTP/1.1\r\nHost: t\r\n\r\n");
    let (head, body) = got.split_at(got.find("\r\n\r\n").unwrap() + 4);
    assert_eq!(head, ok_head("application/octet-stream", 1 << 20, ""));
    assert!(!body.is_empty());
    // Binary bytes do not survive `from_utf8_lossy`: compare raw.
    let mut s = connect(server.addr);
    s.write_all(b"GET /big.bin HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    assert_eq!(raw[raw.len() - (1 << 20)..], big()[..]);
    server.finish();
}

#[test]
fn pipelined_requests_are_answered_in_order() {
    let server = TestServer::default();
    let got = exchange(
        server.addr,
        b"GET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\nHEAD /style.css HTTP/1.1\r\nHost: t\r\n\r\nGET /missing HTTP/1.1\r\nHost: t\r\n\r\nGET /sub/x.json HTTP/1.1\r\nHost: t\r\n\r\n",
    );
    let want = ok_head(TXT, 13, "")
        + "hello, world\n"
        + &ok_head("text/css", 4, "")
        + &error_kept("404 Not Found")
        + &ok_head("application/json", 3, "")
        + "{}\n";
    assert_eq!(got, want);
    // A hundred pipelined in one write, split across many reads.
    let many: Vec<u8> = b"GET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n".repeat(100);
    let got = exchange(server.addr, &many);
    assert_eq!(got, (ok_head(TXT, 13, "") + "hello, world\n").repeat(100));
    server.finish();
}

#[test]
fn connection_close_and_http_1_0() {
    let server = TestServer::default();
    // Connection: close: answered with it, then closed by the server (no
    // half-close from the client here).
    let mut s = connect(server.addr);
    s.write_all(b"GET /hello.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\nGET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n")
        .unwrap();
    assert_eq!(
        read_to_end(&mut s),
        ok_head(TXT, 13, "Connection: close\r\n") + "hello, world\n"
    );
    // HTTP/1.0: closed unless asked to keep alive.
    let mut s = connect(server.addr);
    s.write_all(b"GET /hello.txt HTTP/1.0\r\n\r\n").unwrap();
    assert_eq!(
        read_to_end(&mut s),
        ok_head(TXT, 13, "Connection: close\r\n") + "hello, world\n"
    );
    let mut s = connect(server.addr);
    s.write_all(b"GET /hello.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        .unwrap();
    assert_eq!(
        read_response(&mut s),
        (
            ok_head(TXT, 13, "Connection: keep-alive\r\n"),
            b"hello, world\n".to_vec()
        )
    );
    s.write_all(b"HEAD /hello.txt HTTP/1.0\r\n\r\n").unwrap();
    assert_eq!(read_to_end(&mut s), ok_head(TXT, 13, "Connection: close\r\n"));
    server.finish();
}

#[test]
fn refusals_with_their_status() {
    let server = TestServer::default();
    let cases: [(&[u8], &str, bool); 12] = [
        (b"GARBAGE\r\n\r\n", "400 Bad Request", false),
        (b"GET /\r\n\r\n", "400 Bad Request", false),
        (b"GET / HTTP/1.1\r\n\r\n", "400 Bad Request", false),
        (
            b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
            "400 Bad Request",
            false,
        ),
        (b"GET / HTTP/1.1\r\nHost : a\r\n\r\n", "400 Bad Request", false),
        (
            b"GET / HTTP/2.0\r\nHost: a\r\n\r\n",
            "505 HTTP Version Not Supported",
            false,
        ),
        (
            b"HEAD / HTTP/2.0\r\nHost: a\r\n\r\n",
            "505 HTTP Version Not Supported",
            true,
        ),
        (
            b"POST /hello.txt HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc",
            "405 Method Not Allowed",
            false,
        ),
        (
            b"DELETE /hello.txt HTTP/1.1\r\nHost: a\r\n\r\n",
            "405 Method Not Allowed",
            false,
        ),
        (
            b"BREW /pot HTTP/1.1\r\nHost: a\r\n\r\n",
            "501 Not Implemented",
            false,
        ),
        (
            b"GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            "501 Not Implemented",
            false,
        ),
        (
            b"GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n",
            "400 Bad Request",
            false,
        ),
    ];
    for (req, status, head_only) in cases {
        // Not half-closed: the server closes by itself after an error.
        let mut s = connect(server.addr);
        s.write_all(req).unwrap();
        assert_eq!(
            read_to_end(&mut s),
            error_response(status, head_only),
            "{:?}",
            String::from_utf8_lossy(req)
        );
    }
    server.finish();
}

#[test]
fn a_head_section_too_large_is_431() {
    let server = TestServer::default();
    let mut req = b"GET /hello.txt HTTP/1.1\r\nHost: t\r\n".to_vec();
    while req.len() < 5000 {
        req.extend_from_slice(b"X-Filler: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n");
    }
    let mut s = connect(server.addr);
    s.write_all(&req).unwrap();
    assert_eq!(
        read_to_end(&mut s),
        error_response("431 Request Header Fields Too Large", false)
    );
    // Just under the limit is fine.
    let mut req = b"GET /hello.txt HTTP/1.1\r\nHost: t\r\nX-Filler: ".to_vec();
    req.resize(http::server::IN_CAP - 4, b'a');
    req.extend_from_slice(b"\r\n\r\n");
    assert_eq!(
        exchange(server.addr, &req),
        ok_head(TXT, 13, "") + "hello, world\n"
    );
    server.finish();
}

#[test]
fn a_body_on_get_is_read_and_dropped() {
    let server = TestServer::default();
    // RFC 9112 section 6.3: Content-Length frames the body; the next
    // request begins after it.
    let body = "GET /secret HTTP/1.1\r\n\r\n"; // looks like a request: must not be one
    let req = format!(
        "GET /hello.txt HTTP/1.1\r\nHost: t\r\nContent-Length: {}\r\n\r\n{body}GET /style.css HTTP/1.1\r\nHost: t\r\n\r\n",
        body.len()
    );
    assert_eq!(
        exchange(server.addr, req.as_bytes()),
        ok_head(TXT, 13, "") + "hello, world\n" + &ok_head("text/css", 4, "") + "p{}\n"
    );
    // A large body, sent in pieces after the head.
    let mut s = connect(server.addr);
    s.write_all(b"GET /hello.txt HTTP/1.1\r\nHost: t\r\nContent-Length: 100000\r\n\r\n")
        .unwrap();
    assert_eq!(read_response(&mut s).1, b"hello, world\n");
    for _ in 0..10 {
        s.write_all(&[b'x'; 10_000]).unwrap();
    }
    s.write_all(b"HEAD /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n")
        .unwrap();
    assert_eq!(read_head(&mut s), ok_head(TXT, 13, ""));
    server.finish();
}

#[test]
fn paths_never_leave_the_directory() {
    let server = TestServer::default();
    let cases: [(&str, &str); 13] = [
        ("/../secret.txt", "403 Forbidden"),
        ("/sub/../../secret.txt", "403 Forbidden"),
        ("/%2e%2e/secret.txt", "403 Forbidden"),
        ("/sub/%2E%2E/%2e%2e/secret.txt", "403 Forbidden"),
        ("//etc/passwd", "403 Forbidden"),
        ("/%2Fetc/passwd", "403 Forbidden"),
        ("/out", "403 Forbidden"), // an absolute symbolic link
        ("/up", "403 Forbidden"),  // a relative one that climbs out
        ("/fifo", "403 Forbidden"),
        ("/emptydir", "403 Forbidden"),
        ("/missing.txt", "404 Not Found"),
        ("/hello.txt/x", "404 Not Found"),
        ("/a%00b", "400 Bad Request"),
    ];
    for (path, status) in cases {
        let got = exchange(
            server.addr,
            format!("GET {path} HTTP/1.1\r\nHost: t\r\n\r\n").as_bytes(),
        );
        assert_eq!(got, error_kept(status), "{path}");
        assert!(!got.contains("secret") && !got.contains("root:"), "{path}");
    }
    // HEAD of a refused path: the head alone.
    let got = exchange(server.addr, b"HEAD /../secret.txt HTTP/1.1\r\nHost: t\r\n\r\n");
    assert_eq!(
        got,
        error_kept("403 Forbidden").trim_end_matches("403 Forbidden\n")
    );
    // Absolute-form targets are served from the directory too.
    let got = exchange(
        server.addr,
        b"GET http://example.invalid/hello.txt HTTP/1.1\r\nHost: t\r\n\r\n",
    );
    assert_eq!(got, ok_head(TXT, 13, "") + "hello, world\n");
    server.finish();
}

// ---------------------------------------------------------------------------
// Difficult clients

#[test]
fn a_client_that_resets_ends_only_itself() {
    let server = TestServer::default();
    for _ in 0..20 {
        let mut s = connect(server.addr);
        s.write_all(b"GET /big.bin HTTP/1.1\r\nHost: t\r\n\r\nGET /big.bin HTTP/1.1\r\nHost: t\r\n\r\n")
            .unwrap();
        let mut some = [0u8; 100];
        let _ = s.read(&mut some);
        reset(s);
    }
    // Others are served as usual.
    for _ in 0..5 {
        assert_eq!(
            exchange(server.addr, b"GET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n"),
            ok_head(TXT, 13, "") + "hello, world\n"
        );
    }
    server.finish();
}

/// Whether the server's socket for `client` is closed: absent from
/// /proc/net/tcp, or orphaned (inode 0, as in FIN_WAIT1 with data unsent).
fn server_side_closed(server: SocketAddr, client: SocketAddr) -> bool {
    use zerosock::proc::{InetEntries, InetTable, Process};
    let mut buf = [0u8; 4096];
    let entries = InetEntries::open(Process::Current, InetTable::Tcp, &mut buf).unwrap();
    let mut found = false;
    for e in entries {
        let e = e.unwrap();
        if e.local == server && e.remote == client && e.inode != 0 {
            found = true;
        }
    }
    !found
}

/// Closes with `SO_LINGER` 0: the peer gets a reset, not a FIN.
fn reset(s: TcpStream) {
    let sock = zerosock::Socket::from(std::os::fd::OwnedFd::from(s));
    sock.set_linger(Some(Duration::ZERO)).unwrap();
    drop(sock);
}

#[test]
fn slowloris_clients_are_closed_and_others_served() {
    let timeout = Duration::from_secs(1);
    let server = TestServer::start(64, timeout);
    let start = Instant::now();
    let mut slow: Vec<TcpStream> = (0..20).map(|_| connect(server.addr)).collect();
    let head = b"GET /hello.txt HTTP/1.1\r\nHost: t\r\nX-Slow: ";
    // Dribble a byte every 20 ms, far past the timeout, until the server
    // closes each (a write or read fails), serving a normal client between.
    let mut closed = vec![false; slow.len()];
    let mut served = 0;
    let mut i = 0;
    while closed.iter().any(|c| !c) && start.elapsed() < Duration::from_secs(30) {
        for (n, s) in slow.iter_mut().enumerate() {
            if closed[n] {
                continue;
            }
            let byte = if i < head.len() { head[i] } else { b'a' };
            if s.write_all(&[byte]).is_err() {
                closed[n] = true;
            }
        }
        i += 1;
        std::thread::sleep(Duration::from_millis(20));
        if i % 5 == 0 {
            assert_eq!(
                exchange(server.addr, b"GET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n"),
                ok_head(TXT, 13, "") + "hello, world\n"
            );
            served += 1;
        }
    }
    assert!(
        closed.iter().all(|c| *c),
        "some slowloris clients are still open after 30 s"
    );
    // Each got nothing but end of stream or a reset: no response at all.
    for s in &mut slow {
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut buf = [0u8; 64];
        match s.read(&mut buf) {
            Ok(0) => {}
            Err(e) if e.kind() == ErrorKind::ConnectionReset => {}
            other => panic!("slowloris client read {other:?}"),
        }
    }
    assert!(served >= 1);
    let stats = server.finish();
    assert!(stats.timed_out >= 20, "{stats:?}");
}

#[test]
fn a_client_that_never_reads_is_closed_after_the_timeout() {
    let server = TestServer::start(64, Duration::from_secs(1));
    let mut s = connect(server.addr);
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    // Ask for far more than the socket buffers hold, and do not read.
    let req = b"GET /big.bin HTTP/1.1\r\nHost: t\r\n\r\n".repeat(50);
    s.write_all(&req).unwrap();
    // The server gives up on it; a normal client is served meanwhile.
    assert_eq!(
        exchange(server.addr, b"GET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n"),
        ok_head(TXT, 13, "") + "hello, world\n"
    );
    // Wait (bounded) until the server has closed its end: its socket for
    // this client is orphaned (inode 0) or gone from /proc/net/tcp.
    let (server_addr, client_addr) = (server.addr, s.local_addr().unwrap());
    let closed = common::eventually(Duration::from_secs(15), || {
        server_side_closed(server_addr, client_addr)
    });
    assert!(closed, "the stalled client was never closed");
    // Now read: the stream ends (FIN or reset) well before 50 MiB.
    let mut total = 0usize;
    let mut buf = vec![0u8; 1 << 16];
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => total += n,
            Err(e) if e.kind() == ErrorKind::ConnectionReset => break,
            Err(e) => panic!("read: {e}"),
        }
        assert!(Instant::now() < deadline, "the stalled client was never closed");
    }
    assert!(total < 50 << 20, "the stalled client got everything: {total}");
    let stats = server.finish();
    assert!(stats.timed_out >= 1, "{stats:?}");
}

#[test]
fn clients_beyond_capacity_get_503_at_once() {
    let server = TestServer::start(2, Duration::from_secs(30));
    let mut held: Vec<TcpStream> = (0..2).map(|_| connect(server.addr)).collect();
    // Make sure both are in the table: each is served once.
    for s in &mut held {
        s.write_all(b"HEAD /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n")
            .unwrap();
        assert_eq!(read_head(s), ok_head(TXT, 13, ""));
    }
    for _ in 0..3 {
        let mut extra = connect(server.addr);
        assert_eq!(
            read_to_end(&mut extra),
            "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        );
    }
    // One leaves: a new client gets its slot.
    held.pop().unwrap().shutdown(Shutdown::Both).unwrap();
    let ok = common::eventually(Duration::from_secs(10), || {
        exchange(server.addr, b"GET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n")
            == ok_head(TXT, 13, "") + "hello, world\n"
    });
    assert!(ok, "no slot freed after a client left");
    let stats = server.finish();
    assert!(stats.refused >= 3, "{stats:?}");
}

#[test]
fn load_then_the_fd_count_is_back_to_the_start() {
    // The example as a child process: its /proc/<pid>/fd is its own.
    let site = Site::new();
    let server = start_example(&site.www(), &["--capacity", "256", "--timeout-ms", "30000"]);
    let fd_dir = server.fd_dir();
    let before = common::fd_count_of(&fd_dir);
    let addr = server.addr;
    let threads: Vec<_> = (0..16)
        .map(|t| {
            std::thread::spawn(move || {
                let mut s = connect(addr);
                for i in 0..50 {
                    let path = if (t + i) % 7 == 0 {
                        "/missing"
                    } else {
                        "/hello.txt"
                    };
                    s.write_all(format!("GET {path} HTTP/1.1\r\nHost: t\r\n\r\n").as_bytes())
                        .unwrap();
                    let (head, _) = read_response(&mut s);
                    assert!(
                        head.starts_with("HTTP/1.1 200") || head.starts_with("HTTP/1.1 404"),
                        "{head}"
                    );
                }
                // Short connections too, some reset mid-response.
                for i in 0..20 {
                    let mut s = connect(addr);
                    s.write_all(b"GET /big.bin HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
                        .unwrap();
                    if i % 2 == 0 {
                        reset(s);
                    } else {
                        let _ = read_to_end(&mut s);
                    }
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    // The server closes its ends as it sees the FINs and resets.
    let back = common::eventually(Duration::from_secs(20), || common::fd_count_of(&fd_dir) == before);
    assert!(
        back,
        "server fds: {} before the load, {} after",
        before,
        common::fd_count_of(&fd_dir)
    );
}

#[test]
fn nothing_is_allocated_while_serving_every_kind_of_request() {
    // Every TestServer checks this in `finish`; this one sends a mix of all
    // the paths in one run, including the 431 and 503 ones.
    let server = TestServer::start(4, Duration::from_secs(3));
    let reqs: [&[u8]; 8] = [
        b"GET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\nHEAD / HTTP/1.1\r\nHost: t\r\n\r\n",
        b"GET /big.bin HTTP/1.1\r\nHost: t\r\n\r\n",
        b"GET /../x HTTP/1.1\r\nHost: t\r\n\r\nGET /missing HTTP/1.1\r\nHost: t\r\n\r\n",
        b"GARBAGE\r\n\r\n",
        b"BREW / HTTP/1.1\r\nHost: t\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabcGET / HTTP/1.0\r\n\r\n",
        b"GET /fifo HTTP/1.1\r\nHost: t\r\n\r\n",
        &[b'X'; 5000],
    ];
    for req in reqs {
        // One at a time: the next starts once the server has closed this
        // one, so the small table never refuses these.
        let mut s = connect(server.addr);
        s.write_all(req).unwrap();
        s.shutdown(Shutdown::Write).unwrap();
        let got = read_to_end(&mut s);
        assert!(
            got.starts_with("HTTP/1.1 ") && !got.starts_with("HTTP/1.1 503"),
            "{got:?}"
        );
        let client = s.local_addr().unwrap();
        assert!(common::eventually(
            Duration::from_secs(10),
            || server_side_closed(server.addr, client)
        ));
    }
    // Fill the table until a client is refused (earlier connections may
    // still be closing), then let the timeout clear it.
    let mut held = Vec::new();
    let mut refused = false;
    for _ in 0..20 {
        let mut s = connect(server.addr);
        s.set_read_timeout(Some(Duration::from_millis(100))).unwrap();
        let mut buf = [0u8; 128];
        match s.read(&mut buf) {
            Ok(n) if buf[..n].starts_with(b"HTTP/1.1 503") => {
                refused = true;
                break;
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => held.push(s),
            other => panic!("unexpected: {other:?}"),
        }
    }
    assert!(refused && held.len() <= 4, "{} held", held.len());
    let ok = common::eventually(Duration::from_secs(10), || {
        exchange(server.addr, b"GET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n").starts_with("HTTP/1.1 200")
    });
    assert!(ok);
    drop(held);
    let stats = server.finish(); // asserts 0 heap operations
    assert!(stats.timed_out >= 1 && stats.refused >= 1, "{stats:?}");
}

// ---------------------------------------------------------------------------
// 10,000 idle connections, the example as a child process

const IDLE: usize = 10_000;

/// Raises this process's soft `RLIMIT_NOFILE` to `want` (the child
/// inherits it); false if the hard limit is lower.
fn raise_nofile(want: libc::rlim_t) -> bool {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit/setrlimit with a valid struct.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) != 0 {
            return false;
        }
        if lim.rlim_cur >= want {
            return true;
        }
        let raised = libc::rlimit {
            rlim_cur: want.max(lim.rlim_cur).min(lim.rlim_max.max(want)),
            rlim_max: lim.rlim_max.max(want),
        };
        if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
            return true;
        }
        // Not allowed to raise the hard limit: the soft one up to it.
        let soft = libc::rlimit {
            rlim_cur: lim.rlim_max,
            rlim_max: lim.rlim_max,
        };
        libc::setrlimit(libc::RLIMIT_NOFILE, &soft) == 0 && lim.rlim_max >= want
    }
}

fn start_example(dir: &Path, extra: &[&str]) -> common::echo::EchoServer {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
    let mut cmd = std::process::Command::new(cargo);
    cmd.args([
        "run",
        "--quiet",
        "--manifest-path",
        manifest,
        "--example",
        "http",
        "--",
    ]);
    let mut args = vec![dir.to_str().unwrap()];
    args.extend_from_slice(extra);
    common::echo::EchoServer::start(cmd, "300", &args, Duration::from_secs(300))
}

#[test]
fn ten_thousand_idle_connections_while_others_are_served() {
    // The client ends here and the server's in the child: IDLE fds each,
    // plus a margin.
    if !raise_nofile(IDLE as libc::rlim_t + 1000) {
        common::skip("RLIMIT_NOFILE cannot be raised to 11,000 here");
        return;
    }
    let site = Site::new();
    let mut server = start_example(&site.www(), &["--capacity", "10200", "--timeout-ms", "300000"]);
    let addr = server.addr;
    let fd_dir = server.fd_dir();
    let server_fds_before = common::fd_count_of(&fd_dir);

    let start = Instant::now();
    let mut idle = Vec::with_capacity(IDLE);
    for i in 0..IDLE {
        match TcpStream::connect_timeout(&addr, IO_TIMEOUT) {
            Ok(s) => idle.push(s),
            Err(e) => panic!("idle connection {i}: {e}"),
        }
    }
    // All accepted and held by the server.
    let held = common::eventually(Duration::from_secs(60), || {
        common::fd_count_of(&fd_dir) >= server_fds_before + IDLE
    });
    assert!(
        held,
        "server holds {} fds, want {}",
        common::fd_count_of(&fd_dir),
        server_fds_before + IDLE
    );
    server.assert_running();
    eprintln!("{IDLE} idle connections open after {:?}", start.elapsed());

    // Others are served while they wait.
    for _ in 0..50 {
        assert_eq!(
            exchange(addr, b"GET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n"),
            ok_head(TXT, 13, "") + "hello, world\n"
        );
    }
    // The idle ones were held, not dropped: a sample of them is served now.
    for s in idle.iter_mut().step_by(IDLE / 100) {
        s.set_read_timeout(Some(IO_TIMEOUT)).unwrap();
        s.write_all(b"GET /hello.txt HTTP/1.1\r\nHost: t\r\n\r\n")
            .unwrap();
        assert_eq!(
            read_response(s),
            (ok_head(TXT, 13, ""), b"hello, world\n".to_vec())
        );
    }
    // All leave: the server's fd count is back where it started.
    drop(idle);
    let back = common::eventually(Duration::from_secs(60), || {
        common::fd_count_of(&fd_dir) == server_fds_before
    });
    assert!(
        back,
        "server fds {} after, {} before",
        common::fd_count_of(&fd_dir),
        server_fds_before
    );
    server.assert_running();
}
