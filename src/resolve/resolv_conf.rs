//! `/etc/resolv.conf`, read with glibc's rules and caps: up to 3
//! `nameserver`s (127.0.0.1 when none), `search` (up to 6 domains) or
//! `domain` (the last of the two wins; without either, the part of the
//! host name after its first dot), and `options` `ndots:` (default 1,
//! at most 15), `timeout:` (default 5 s, at most 30), `attempts:` (default 2,
//! at most 5), `rotate`, `single-request`, `single-request-reopen`, `edns0`,
//! `no-aaaa`, `use-vc`, `no-tld-query`. Unknown keywords and options are
//! ignored, as glibc ignores them; `sortlist` and the `LOCALDOMAIN` and
//! `RES_OPTIONS` environment variables are not read.

use core::ffi::CStr;
use core::net::{IpAddr, Ipv4Addr, SocketAddr, SocketAddrV6};
use core::time::Duration;

use heapless::{String, Vec};

use super::lines::{Line, Lines, fields, is_space};
use crate::addr::{inet_aton, inet_pton_v6};
use crate::error::Errno;

/// glibc's `MAXNS`.
pub const MAX_NAMESERVERS: usize = 3;
/// glibc's `MAXDNSRCH`.
pub const MAX_SEARCH: usize = 6;
/// The longest domain name in text form.
pub const MAX_DOMAIN: usize = 253;

/// A resolver configuration: what `resolv.conf` says, parsed.
///
/// ```
/// use zerosock::resolve::ResolvConf;
/// let c = ResolvConf::parse(b"nameserver 192.0.2.1\nsearch a.test b.test\noptions ndots:2 rotate timeout:99\n");
/// assert_eq!(c.nameservers()[0].to_string(), "192.0.2.1:53");
/// assert_eq!(c.search().collect::<Vec<_>>(), ["a.test", "b.test"]);
/// assert_eq!((c.ndots(), c.rotate(), c.timeout().as_secs()), (2, true, 30));
/// ```
///
/// # References
/// - [resolv.conf(5)](https://man7.org/linux/man-pages/man5/resolv.conf.5.html)
#[derive(Clone, Debug)]
#[doc(alias = "res_state")]
#[doc(alias = "res_init")]
pub struct ResolvConf {
    nameservers: Vec<SocketAddr, MAX_NAMESERVERS>,
    search: Vec<String<MAX_DOMAIN>, MAX_SEARCH>,
    has_search: bool,
    ndots: u8,
    timeout: u8,
    attempts: u8,
    rotate: bool,
    single_request: bool,
    single_request_reopen: bool,
    edns0: bool,
    no_aaaa: bool,
    use_vc: bool,
    no_tld_query: bool,
}

impl Default for ResolvConf {
    /// glibc's defaults with no file: the name server on 127.0.0.1, no
    /// search list, `ndots:1 timeout:5 attempts:2`.
    fn default() -> Self {
        let mut c = Self::empty();
        c.nameservers
            .push(SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 53))
            .ok();
        c
    }
}

impl ResolvConf {
    fn empty() -> Self {
        Self {
            nameservers: Vec::new(),
            search: Vec::new(),
            has_search: false,
            ndots: 1,
            timeout: 5,
            attempts: 2,
            rotate: false,
            single_request: false,
            single_request_reopen: false,
            edns0: false,
            no_aaaa: false,
            use_vc: false,
            no_tld_query: false,
        }
    }

    /// Parses a whole file's bytes.
    pub fn parse(bytes: &[u8]) -> Self {
        Self::from_lines(Lines::from_bytes(bytes))
    }

    /// Reads `path` through `buf`; a missing file gives the
    /// [defaults](ResolvConf::default). Without a `search` or `domain`
    /// line, the search list is the host name's domain (the text after its
    /// first dot, from `/proc/sys/kernel/hostname`), as in glibc.
    ///
    /// # References
    /// - [open(2)](https://man7.org/linux/man-pages/man2/open.2.html)
    pub fn read(path: &CStr, buf: &mut [u8]) -> Result<Self, Errno> {
        let mut conf = match Lines::open(path, buf) {
            Ok(lines) => Self::from_lines(lines),
            Err(Errno::NOENT) => Self::default(),
            Err(e) => return Err(e),
        };
        if !conf.has_search {
            let mut name = [0u8; 72];
            if let Ok(mut lines) = Lines::open(c"/proc/sys/kernel/hostname", &mut name) {
                if let Some(Line::Text(host)) = lines.next_line() {
                    if let Some(i) = host.iter().position(|&b| b == b'.') {
                        if let Ok(d) = core::str::from_utf8(&host[i + 1..]) {
                            conf.add_search(d);
                        }
                    }
                }
            }
        }
        Ok(conf)
    }

    fn from_lines(mut lines: Lines<'_>) -> Self {
        let mut c = Self::empty();
        while let Some(line) = lines.next_line() {
            let Line::Text(text) = line else { continue };
            if text.first().is_some_and(|&b| b == b';' || b == b'#') {
                continue;
            }
            let keyword =
                |k: &[u8]| text.starts_with(k) && text.get(k.len()).is_some_and(|&b| b == b' ' || b == b'\t');
            if keyword(b"nameserver") {
                let Some(addr) = fields(&text[10..]).next() else {
                    continue;
                };
                if let Some(addr) = parse_nameserver(addr) {
                    c.nameservers.push(addr).ok();
                }
            } else if keyword(b"domain") {
                let Some(d) = fields(&text[6..]).next() else {
                    continue;
                };
                c.search.clear();
                c.has_search = true;
                if let Ok(d) = core::str::from_utf8(d) {
                    c.add_search(d);
                }
            } else if keyword(b"search") {
                c.search.clear();
                c.has_search = true;
                for d in fields(&text[6..]) {
                    if let Ok(d) = core::str::from_utf8(d) {
                        c.add_search(d);
                    }
                }
            } else if keyword(b"options") {
                for o in fields(&text[7..]) {
                    c.set_option(o);
                }
            }
        }
        if c.nameservers.is_empty() {
            c.nameservers
                .push(SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 53))
                .ok();
        }
        c
    }

    fn add_search(&mut self, d: &str) {
        if let Ok(s) = String::try_from(d) {
            self.search.push(s).ok();
        }
    }

    fn set_option(&mut self, o: &[u8]) {
        let num = |prefix: &[u8], max: u8| -> Option<u8> {
            let v = o.strip_prefix(prefix)?;
            // atoi: leading digits, nothing is 0.
            let digits = v.iter().take_while(|b| b.is_ascii_digit()).count();
            let n = v[..digits]
                .iter()
                .fold(0u32, |n, &d| (n * 10 + u32::from(d - b'0')).min(1000));
            Some(n.min(u32::from(max)) as u8)
        };
        if let Some(n) = num(b"ndots:", 15) {
            self.ndots = n;
        } else if let Some(n) = num(b"timeout:", 30) {
            self.timeout = n;
        } else if let Some(n) = num(b"attempts:", 5) {
            self.attempts = n;
        } else {
            match o {
                b"rotate" => self.rotate = true,
                b"single-request" => self.single_request = true,
                b"single-request-reopen" => self.single_request_reopen = true,
                b"edns0" => self.edns0 = true,
                b"no-aaaa" => self.no_aaaa = true,
                b"use-vc" => self.use_vc = true,
                b"no-tld-query" | b"no_tld_query" => self.no_tld_query = true,
                _ => {}
            }
        }
    }

    /// A configuration with these name servers (any port; at most 3 are
    /// kept) and the defaults otherwise.
    pub fn with_nameservers(servers: &[SocketAddr]) -> Self {
        let mut c = Self::empty();
        for s in servers.iter().take(MAX_NAMESERVERS) {
            c.nameservers.push(*s).ok();
        }
        c
    }

    /// Replaces the search list (domains that do not fit are dropped).
    #[must_use]
    pub fn set_search(mut self, domains: &[&str]) -> Self {
        self.search.clear();
        self.has_search = true;
        for d in domains {
            self.add_search(d);
        }
        self
    }

    /// Applies an `options` line's words (`"ndots:2 rotate"`).
    #[must_use]
    pub fn set_options(mut self, options: &str) -> Self {
        for o in options
            .as_bytes()
            .split(|&b| is_space(b))
            .filter(|o| !o.is_empty())
        {
            self.set_option(o);
        }
        self
    }

    /// The name servers, in order.
    pub fn nameservers(&self) -> &[SocketAddr] {
        &self.nameservers
    }

    /// The search list.
    pub fn search(&self) -> impl Iterator<Item = &str> {
        self.search.iter().map(|s| s.as_str())
    }

    /// `ndots`: names with at least this many dots are tried as they are
    /// before the search list.
    pub fn ndots(&self) -> u8 {
        self.ndots
    }

    /// `timeout`: the first wait for an answer (later tries wait longer, as
    /// in glibc); never zero.
    pub fn timeout(&self) -> Duration {
        Duration::from_secs(u64::from(self.timeout.max(1)))
    }

    /// `attempts`: rounds over all the name servers.
    pub fn attempts(&self) -> u8 {
        self.attempts.max(1)
    }

    /// `rotate`: start at a different server each query.
    pub fn rotate(&self) -> bool {
        self.rotate
    }

    /// `single-request`: send A and AAAA one after the other.
    pub fn single_request(&self) -> bool {
        self.single_request
    }

    /// `single-request-reopen`: a new socket for the second query.
    pub fn single_request_reopen(&self) -> bool {
        self.single_request_reopen
    }

    /// `edns0`: advertise 1,200-byte UDP answers.
    pub fn edns0(&self) -> bool {
        self.edns0
    }

    /// `no-aaaa`: never ask for AAAA records.
    pub fn no_aaaa(&self) -> bool {
        self.no_aaaa
    }

    /// `use-vc`: query over TCP only.
    pub fn use_vc(&self) -> bool {
        self.use_vc
    }

    /// `no-tld-query`: never try a name without dots as it is.
    pub fn no_tld_query(&self) -> bool {
        self.no_tld_query
    }
}

fn parse_nameserver(field: &[u8]) -> Option<SocketAddr> {
    if !field.contains(&b':') {
        return inet_aton(field).ok().map(|a| SocketAddr::new(IpAddr::V4(a), 53));
    }
    let (addr, scope) = match field.iter().position(|&b| b == b'%') {
        Some(i) => (&field[..i], Some(&field[i + 1..])),
        None => (field, None),
    };
    let a = inet_pton_v6(addr).ok()?;
    let scope_id = match scope {
        Some(s) => core::str::from_utf8(s).ok()?.parse().ok()?,
        None => 0,
    };
    Some(SocketAddr::V6(SocketAddrV6::new(a, 53, 0, scope_id)))
}
