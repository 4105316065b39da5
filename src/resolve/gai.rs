//! `getaddrinfo` and the `get*by*` lookups, with glibc's rules: hints and
//! flags, services by name or number, `files` and `dns` in nsswitch order,
//! and glibc's result order (RFC 3484/6724 as glibc applies it).

use core::ffi::CStr;
use core::fmt;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
use core::ops::Deref;

use heapless::{String, Vec};

use super::error::GaiError;
use super::hosts::{HostsEntry, HostsFile};
use super::ifaddr::{self, IfAddrs};
use super::nsswitch::{HostSources, Source};
use super::protocols::ProtocolsFile;
use super::query::{DnsAnswer, MAX_ADDRS, Query, QueryKind};
use super::resolv_conf::ResolvConf;
use super::services::ServicesFile;
use super::sort::{self, Dest};
use crate::addr::{inet_aton, inet_pton_v6};
use crate::flags::{Domain, Protocol, Type, c_flags};

/// The longest name kept (a DNS name is at most 253 characters; a longer
/// hosts-file name is [`GaiError::Memory`]).
pub const MAX_NAME_TEXT: usize = 255;
/// Bytes of the stack buffer the files are read through (longer lines are
/// skipped as malformed).
const LINE_BUF: usize = 1024;
/// The receive buffer of the blocking lookups; an answer over TCP that
/// does not fit is asked again with room for the largest (65,535 bytes).
const ANSWER_BUF: usize = 4096;

/// A blocking DNS query: with a small buffer first (zeroing 64 KiB for every
/// lookup would cost more than the rest of the lookup), and again with the
/// largest one if a TCP answer did not fit.
fn dns_query(conf: &ResolvConf, name: &str, kind: QueryKind) -> Result<DnsAnswer, GaiError> {
    let mut buf = [0u8; ANSWER_BUF];
    match Query::new(conf, name, kind, &mut buf).and_then(Query::wait) {
        Err(GaiError::Overflow) => dns_query_large(conf, name, kind),
        r => r,
    }
}

#[inline(never)]
fn dns_query_large(conf: &ResolvConf, name: &str, kind: QueryKind) -> Result<DnsAnswer, GaiError> {
    let mut buf = [0u8; 65535];
    Query::new(conf, name, kind, &mut buf).and_then(Query::wait)
}

c_flags!(
    /// `getaddrinfo`'s `ai_flags`.
    ///
    /// ```
    /// use zerosock::resolve::AiFlags;
    /// assert_eq!(format!("{:?}", AiFlags::CANONNAME | AiFlags::V4MAPPED), "AI_CANONNAME | AI_V4MAPPED");
    /// ```
    ///
    /// # References
    /// - [getaddrinfo(3)](https://man7.org/linux/man-pages/man3/getaddrinfo.3.html)
    AiFlags(u32) {
        /// Addresses to bind to: the wildcard when there is no name.
        PASSIVE = 0x1, "AI_PASSIVE";
        /// Report the canonical name.
        CANONNAME = 0x2, "AI_CANONNAME";
        /// The name must be a numeric address; no lookup.
        NUMERICHOST = 0x4, "AI_NUMERICHOST";
        /// IPv4 addresses as v4-mapped IPv6 when no IPv6 address is found.
        V4MAPPED = 0x8, "AI_V4MAPPED";
        /// With `V4MAPPED`: IPv6 and v4-mapped addresses both.
        ALL = 0x10, "AI_ALL";
        /// Only families the host has a non-loopback address of.
        ADDRCONFIG = 0x20, "AI_ADDRCONFIG";
        /// Convert the name with IDNA. Accepted as glibc accepts it; names
        /// are taken as ASCII (no conversion is done).
        IDN = 0x40, "AI_IDN";
        /// Convert the canonical name back from IDNA. Accepted, no effect.
        CANONIDN = 0x80, "AI_CANONIDN";
        /// The service must be a port number.
        NUMERICSERV = 0x400, "AI_NUMERICSERV";
    }
);

/// `getaddrinfo`'s hints.
///
/// ```
/// use zerosock::resolve::{AiFlags, Hints};
/// use zerosock::{Domain, Type};
/// let hints = Hints { family: Domain::INET6, socktype: Type::STREAM, ..Hints::default() }
///     .with_flags(AiFlags::V4MAPPED);
/// assert_eq!(hints.flags, AiFlags::V4MAPPED);
/// ```
///
/// # References
/// - [getaddrinfo(3)](https://man7.org/linux/man-pages/man3/getaddrinfo.3.html)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[doc(alias = "addrinfo")]
pub struct Hints {
    /// `ai_flags`.
    pub flags: AiFlags,
    /// `ai_family`: `AF_UNSPEC`, `AF_INET` or `AF_INET6`.
    pub family: Domain,
    /// `ai_socktype`, 0 (`Type::from_raw(0)`) for any.
    pub socktype: Type,
    /// `ai_protocol`, `Protocol::DEFAULT` for any.
    pub protocol: Protocol,
}

impl Default for Hints {
    /// No flags, any family, type and protocol (glibc's hints when none are
    /// given, but for `AI_V4MAPPED | AI_ADDRCONFIG`, which glibc adds then).
    fn default() -> Self {
        Self {
            flags: AiFlags::NONE,
            family: Domain::UNSPEC,
            socktype: Type::from_raw(0),
            protocol: Protocol::DEFAULT,
        }
    }
}

impl Hints {
    /// These hints with `flags`.
    #[must_use]
    pub fn with_flags(mut self, flags: AiFlags) -> Self {
        self.flags = flags;
        self
    }
}

/// One result of `getaddrinfo`.
///
/// # References
/// - [getaddrinfo(3)](https://man7.org/linux/man-pages/man3/getaddrinfo.3.html)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[doc(alias = "addrinfo")]
pub struct AddrInfo {
    /// The address and port (`ai_addr`; its family is `ai_family`).
    pub addr: SocketAddr,
    /// `ai_socktype`.
    pub socktype: Type,
    /// `ai_protocol`.
    pub protocol: Protocol,
}

/// A short string kept inline: a host, service or protocol name.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct NameBuf(String<MAX_NAME_TEXT>);

impl NameBuf {
    fn from_str(s: &str) -> Result<Self, GaiError> {
        String::try_from(s).map(Self).map_err(|_| GaiError::Memory)
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for NameBuf {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for NameBuf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for NameBuf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.0.as_str(), f)
    }
}

/// The results of `getaddrinfo`, in glibc's order, at most `N` of them
/// (more is [`GaiError::Memory`]), with the canonical name when asked for.
///
/// ```no_run
/// use zerosock::resolve::{AddrInfoList, Hints, getaddrinfo};
/// let list: AddrInfoList = getaddrinfo(Some("localhost"), Some("80"), &Hints::default())?;
/// for ai in &list {
///     println!("{} {:?}", ai.addr, ai.socktype);
/// }
/// # Ok::<(), zerosock::resolve::GaiError>(())
/// ```
///
/// # References
/// - [getaddrinfo(3)](https://man7.org/linux/man-pages/man3/getaddrinfo.3.html)
#[derive(Clone, Debug, Default)]
#[doc(alias = "addrinfo")]
#[doc(alias = "freeaddrinfo")]
pub struct AddrInfoList<const N: usize = 32> {
    entries: Vec<AddrInfo, N>,
    canon: Option<NameBuf>,
}

impl<const N: usize> AddrInfoList<N> {
    /// The results.
    pub fn as_slice(&self) -> &[AddrInfo] {
        &self.entries
    }

    /// An iterator over the results.
    pub fn iter(&self) -> core::slice::Iter<'_, AddrInfo> {
        self.entries.iter()
    }

    /// The number of results.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are none (never, for a successful lookup).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The canonical name (`ai_canonname` of the first result), with
    /// `AI_CANONNAME`.
    pub fn canonical_name(&self) -> Option<&str> {
        self.canon.as_deref()
    }
}

impl<'a, const N: usize> IntoIterator for &'a AddrInfoList<N> {
    type Item = &'a AddrInfo;
    type IntoIter = core::slice::Iter<'a, AddrInfo>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter()
    }
}

/// The most bytes of aliases a [`HostEnt`] keeps (each alias and one
/// separator byte); more is [`GaiError::Memory`].
pub const MAX_ALIASES_TEXT: usize = 512;

/// A host's name, aliases and addresses, as `gethostbyname2` gives them.
///
/// # References
/// - [gethostbyname(3)](https://man7.org/linux/man-pages/man3/gethostbyname.3.html)
#[derive(Clone, Debug, Default)]
#[doc(alias = "hostent")]
pub struct HostEnt<const N: usize = 16> {
    /// `h_name`.
    pub name: NameBuf,
    /// The aliases, each followed by a NUL (hosts-file names never hold one).
    aliases: String<MAX_ALIASES_TEXT>,
    addrs: Vec<IpAddr, N>,
}

impl<const N: usize> HostEnt<N> {
    /// `h_addr_list`, in the source's order (never sorted: that is
    /// `getaddrinfo`'s).
    pub fn addrs(&self) -> &[IpAddr] {
        &self.addrs
    }

    /// `h_aliases`. From the hosts file, glibc's list: every matching line
    /// adds its aliases, and then its own first name if that differs
    /// (byte for byte) from [`name`](Self::name). From DNS, none: the names
    /// of a CNAME chain are not kept.
    #[doc(alias = "h_aliases")]
    pub fn aliases(&self) -> impl Iterator<Item = &str> {
        self.aliases.split_terminator('\0')
    }

    fn push_alias(&mut self, alias: &str) -> Result<(), GaiError> {
        self.aliases
            .push_str(alias)
            .and_then(|()| self.aliases.push('\0'))
            .map_err(|_| GaiError::Memory)
    }
}

/// A service, as `getservbyname` gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[doc(alias = "servent")]
pub struct Service {
    /// `s_name`: the official name.
    pub name: NameBuf,
    /// `s_port`, in host order.
    pub port: u16,
    /// `s_proto`.
    pub protocol: NameBuf,
}

/// A protocol, as `getprotobyname` gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[doc(alias = "protoent")]
pub struct ProtocolInfo {
    /// `p_name`: the official name.
    pub name: NameBuf,
    /// `p_proto`.
    pub number: u8,
}

/// The files a [`Resolver`] reads.
#[derive(Clone, Copy, Debug)]
pub struct Paths<'p> {
    /// The hosts file (`/etc/hosts`).
    pub hosts: &'p CStr,
    /// The services file (`/etc/services`).
    pub services: &'p CStr,
    /// The protocols file (`/etc/protocols`).
    pub protocols: &'p CStr,
}

impl Paths<'static> {
    /// The system's files under `/etc`.
    pub const SYSTEM: Self = Self {
        hosts: c"/etc/hosts",
        services: c"/etc/services",
        protocols: c"/etc/protocols",
    };
}

/// A resolver: a `resolv.conf` configuration, the `hosts:` sources and the
/// files to read. [`Resolver::system`] reads `/etc`; [`Resolver::new`]
/// takes them from the caller (a program, or a test, with its own).
///
/// ```
/// use zerosock::resolve::{HostSources, Paths, ResolvConf, Resolver, Hints, AddrInfoList};
/// use zerosock::{Type, Protocol};
/// let r = Resolver::new(ResolvConf::default(), HostSources::FILES_DNS, Paths::SYSTEM);
/// let list: AddrInfoList = r.getaddrinfo(Some("127.0.0.1"), Some("53"), &Hints::default())?;
/// assert_eq!(list.iter().map(|a| a.socktype).collect::<Vec<_>>(), [Type::STREAM, Type::DGRAM, Type::RAW]);
/// # Ok::<(), zerosock::resolve::GaiError>(())
/// ```
///
/// # References
/// - [getaddrinfo(3)](https://man7.org/linux/man-pages/man3/getaddrinfo.3.html)
/// - [nsswitch.conf(5)](https://man7.org/linux/man-pages/man5/nsswitch.conf.5.html)
#[derive(Clone, Debug)]
pub struct Resolver<'p> {
    conf: ResolvConf,
    sources: HostSources,
    paths: Paths<'p>,
}

impl Resolver<'static> {
    /// The system's resolver: `/etc/resolv.conf`, `/etc/nsswitch.conf` and
    /// the files under `/etc`, read now.
    ///
    /// # References
    /// - [resolv.conf(5)](https://man7.org/linux/man-pages/man5/resolv.conf.5.html)
    pub fn system() -> Result<Self, GaiError> {
        let mut buf = [0u8; LINE_BUF];
        let conf = ResolvConf::read(c"/etc/resolv.conf", &mut buf)?;
        let sources = HostSources::read(c"/etc/nsswitch.conf", &mut buf)?;
        Ok(Self {
            conf,
            sources,
            paths: Paths::SYSTEM,
        })
    }
}

/// One typeproto of glibc's `gaih_inet_typeproto` table.
struct TypeProto {
    socktype: u32,
    protocol: u32,
    any_protocol: bool,
    no_service: bool,
    default: bool,
    name: &'static str,
}

const fn tp(socktype: u32, protocol: u32, name: &'static str, default: bool) -> TypeProto {
    TypeProto {
        socktype,
        protocol,
        any_protocol: false,
        no_service: false,
        default,
        name,
    }
}

const TYPEPROTO: [TypeProto; 7] = [
    tp(1, 6, "tcp", true),
    tp(2, 17, "udp", true),
    tp(6, 33, "dccp", false),
    tp(2, 136, "udplite", false),
    tp(1, 132, "sctp", false),
    tp(5, 132, "sctp", false),
    TypeProto {
        socktype: 3,
        protocol: 0,
        any_protocol: true,
        no_service: true,
        default: true,
        name: "raw",
    },
];

/// At most this many (socket type, protocol, port) triples per address.
type ServTuples = Vec<(u32, u32, u16), 8>;

/// Which families a source is asked for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Want {
    V4,
    V6,
    Both,
}

impl Want {
    /// `addr` as a source's answer for this family, or `None` if it is not
    /// one: for `V4`, as glibc's hosts reader, a v4-mapped address counts
    /// as its IPv4 address and `::1` as 127.0.0.1.
    fn accept(self, addr: IpAddr) -> Option<IpAddr> {
        match (self, addr) {
            (Want::Both, a) | (Want::V4, a @ IpAddr::V4(_)) | (Want::V6, a @ IpAddr::V6(_)) => Some(a),
            (Want::V4, IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
                Some(v4) => Some(IpAddr::V4(v4)),
                None if v6 == Ipv6Addr::LOCALHOST => Some(IpAddr::V4(Ipv4Addr::LOCALHOST)),
                None => None,
            },
            (Want::V6, IpAddr::V4(_)) => None,
        }
    }
}

/// `gethostbyname2`'s numeric names (glibc's `__nss_hostname_digits_dots`):
/// `None` if `name` is not of a numeric shape and is looked up;
/// `Some(None)` if it is, but no address of the family asked for (not
/// found); `Some(Some(addr))` for the address. Digits and dots, not ending
/// in a dot, are IPv4 in `inet_aton`'s forms; hex digits, colons and dots
/// with a colon are IPv6 (`inet_pton`).
fn host_literal(name: &str, want: Want) -> Option<Option<IpAddr>> {
    let b = name.as_bytes();
    let first = *b.first()?;
    if first.is_ascii_digit() && b.iter().all(|&c| c.is_ascii_digit() || c == b'.') && !name.ends_with('.') {
        return Some(match want {
            Want::V4 => inet_aton(name).ok().map(IpAddr::V4),
            _ => None,
        });
    }
    let v6_shape = (first.is_ascii_hexdigit() && name.contains(':')) || first == b':';
    if v6_shape && b.iter().all(|&c| c.is_ascii_hexdigit() || c == b':' || c == b'.') {
        return Some(match want {
            Want::V6 => inet_pton_v6(name).ok().map(IpAddr::V6),
            _ => None,
        });
    }
    None
}

/// How a source ended, as glibc's `no_data`.
#[derive(Clone, Copy, PartialEq, Eq)]
#[allow(clippy::enum_variant_names)]
enum NoData {
    None,
    NoData,
    Again,
}

impl<'p> Resolver<'p> {
    /// A resolver with this configuration.
    pub fn new(conf: ResolvConf, sources: HostSources, paths: Paths<'p>) -> Self {
        Self { conf, sources, paths }
    }

    /// The `resolv.conf` configuration.
    pub fn conf(&self) -> &ResolvConf {
        &self.conf
    }

    /// The `hosts:` sources.
    pub fn sources(&self) -> HostSources {
        self.sources
    }

    /// `getaddrinfo`: the addresses of `host` (or the wildcard or loopback
    /// address without one) for `service`, filtered by `hints`, in glibc's
    /// order. Blocking; see [`Query`] for the poll-driven DNS part.
    ///
    /// # References
    /// - [getaddrinfo(3)](https://man7.org/linux/man-pages/man3/getaddrinfo.3.html)
    pub fn getaddrinfo<const N: usize>(
        &self,
        host: Option<&str>,
        service: Option<&str>,
        hints: &Hints,
    ) -> Result<AddrInfoList<N>, GaiError> {
        let host = host.filter(|h| *h != "*");
        let service = service.filter(|s| *s != "*");
        if host.is_none() && service.is_none() {
            return Err(GaiError::NoName);
        }
        let flags = hints.flags;
        if flags.raw() & !0x7ff != 0 || (flags.contains(AiFlags::CANONNAME) && host.is_none()) {
            return Err(GaiError::BadFlags);
        }
        let mut family = hints.family;
        let mut ifs: Option<IfAddrs> = None;
        if flags.contains(AiFlags::ADDRCONFIG) {
            let i = ifaddr::read().unwrap_or_default();
            if family == Domain::UNSPEC && (i.seen_v4 || i.seen_v6) {
                if i.seen_v4 != i.seen_v6 {
                    family = if i.seen_v4 { Domain::INET } else { Domain::INET6 };
                }
            } else if (family == Domain::INET && !i.seen_v4) || (family == Domain::INET6 && !i.seen_v6) {
                return Err(GaiError::NoName);
            }
            ifs = Some(i);
        }
        let service = service.filter(|s| !s.is_empty());
        let port_num = match service {
            Some(s) => match strtoul_int(s) {
                Some(n) => Some(n),
                None if flags.contains(AiFlags::NUMERICSERV) => return Err(GaiError::NoName),
                None => None,
            },
            None => None,
        };
        if ![Domain::UNSPEC, Domain::INET, Domain::INET6].contains(&family) {
            return Err(GaiError::Family);
        }
        let hints = Hints { family, ..*hints };
        let st = self.serv_tuples(service, port_num, &hints)?;

        // The addresses.
        let mut at: Vec<(IpAddr, u32), MAX_ADDRS2> = Vec::new();
        let mut canon: Option<NameBuf> = None;
        let mut got_v6 = false;
        match host {
            None => {
                let passive = flags.contains(AiFlags::PASSIVE);
                if family != Domain::INET {
                    let a = if passive {
                        Ipv6Addr::UNSPECIFIED
                    } else {
                        Ipv6Addr::LOCALHOST
                    };
                    at.push((IpAddr::V6(a), 0)).ok();
                }
                if family != Domain::INET6 {
                    let a = if passive {
                        Ipv4Addr::UNSPECIFIED
                    } else {
                        Ipv4Addr::LOCALHOST
                    };
                    at.push((IpAddr::V4(a), 0)).ok();
                }
            }
            Some(name) => {
                if let Some(lit) = self.literal(name, &hints)? {
                    at.push(lit).ok();
                    if flags.contains(AiFlags::CANONNAME) {
                        canon = Some(NameBuf::from_str(name)?);
                    }
                } else if flags.contains(AiFlags::NUMERICHOST) {
                    return Err(GaiError::NoName);
                } else {
                    let (c, v6) = self.lookup_host(name, &hints, &mut at)?;
                    got_v6 = v6;
                    if flags.contains(AiFlags::CANONNAME) {
                        canon = Some(match c {
                            Some(c) => c,
                            None => NameBuf::from_str(name)?,
                        });
                    }
                }
            }
        }

        // addrinfo entries: each address with each (type, protocol, port).
        let mut out = AddrInfoList::<N> {
            entries: Vec::new(),
            canon,
        };
        let mut dests: Vec<Dest, MAX_ADDRS2> = Vec::new();
        let mut owner: Vec<usize, N> = Vec::new();
        for &(ip, scope) in &at {
            if let IpAddr::V6(v6) = ip {
                let only_mapped = flags.contains(AiFlags::V4MAPPED) && !flags.contains(AiFlags::ALL);
                if got_v6 && only_mapped && v6.to_ipv4_mapped().is_some() {
                    continue;
                }
            }
            for &(socktype, protocol, port) in &st {
                let addr = match ip {
                    IpAddr::V4(a) => SocketAddr::V4(SocketAddrV4::new(a, port)),
                    IpAddr::V6(a) => SocketAddr::V6(SocketAddrV6::new(a, port, 0, scope)),
                };
                out.entries
                    .push(AddrInfo {
                        addr,
                        socktype: Type::from_raw(socktype),
                        protocol: Protocol::from_raw(protocol),
                    })
                    .map_err(|_| GaiError::Memory)?;
                owner.push(dests.len()).map_err(|_| GaiError::Memory)?;
            }
            dests
                .push(Dest {
                    addr: SocketAddr::new(ip, 0),
                    source: None,
                    flags: 0,
                    prefixlen: 0,
                    index: 0,
                })
                .ok();
        }
        if dests.len() > 1 {
            if ifs.is_none() {
                ifs = ifaddr::read().ok();
            }
            for d in dests.iter_mut() {
                let a = match d.addr {
                    SocketAddr::V6(v6) => SocketAddr::V6(SocketAddrV6::new(*v6.ip(), 0, 0, v6.scope_id())),
                    a => a,
                };
                *d = Dest::new(a, ifs.as_ref());
            }
            // glibc sorts the entries, comparing their addresses.
            let mut per_entry: Vec<Dest, N> = Vec::new();
            for &o in &owner {
                per_entry.push(dests[o]).ok();
            }
            let mut order: Vec<usize, N> = (0..out.entries.len()).collect();
            sort::sort(&per_entry, &mut order);
            let old = out.entries.clone();
            for (k, &o) in order.iter().enumerate() {
                out.entries[k] = old[o];
            }
        }
        if out.entries.is_empty() {
            return Err(GaiError::NoName);
        }
        Ok(out)
    }

    /// The (socket type, protocol, port) triples for `service`: glibc's
    /// `gaih_inet` service step.
    fn serv_tuples(
        &self,
        service: Option<&str>,
        num: Option<i32>,
        hints: &Hints,
    ) -> Result<ServTuples, GaiError> {
        let (socktype, protocol) = (hints.socktype.raw(), hints.protocol.raw());
        let chosen = if socktype != 0 || protocol != 0 {
            let found = TYPEPROTO.iter().find(|t| {
                (socktype == 0 || socktype == t.socktype)
                    && (protocol == 0 || t.any_protocol || protocol == t.protocol)
            });
            match found {
                Some(t) => Some(t),
                None if socktype != 0 => return Err(GaiError::SockType),
                None => return Err(GaiError::Service),
            }
        } else {
            None
        };
        let proto_of = |t: &TypeProto| if t.any_protocol { protocol } else { t.protocol };
        let mut st = ServTuples::new();
        let port = match (service, num) {
            (Some(_), _) if chosen.is_some_and(|t| t.no_service) => return Err(GaiError::Service),
            (Some(name), None) | (Some(name), Some(..0)) => {
                if let Some(t) = chosen {
                    let s = self
                        .service_by_name(name, Some(t.name))
                        .map_err(|_| GaiError::Service)?;
                    st.push((t.socktype, proto_of(t), s.port)).ok();
                } else {
                    for t in TYPEPROTO.iter().filter(|t| !t.no_service) {
                        if let Ok(s) = self.service_by_name(name, Some(t.name)) {
                            st.push((t.socktype, t.protocol, s.port)).ok();
                        }
                    }
                    if st.is_empty() {
                        return Err(GaiError::Service);
                    }
                }
                return Ok(st);
            }
            (Some(_), Some(n)) => n as u16,
            (None, _) => 0,
        };
        match chosen {
            Some(t) => {
                st.push((t.socktype, proto_of(t), port)).ok();
            }
            None => {
                for t in TYPEPROTO.iter().filter(|t| t.default) {
                    st.push((t.socktype, t.protocol, port)).ok();
                }
            }
        }
        Ok(st)
    }

    /// A numeric host: `inet_aton`'s forms (the whole text), or IPv6 with an
    /// optional `%scope`.
    fn literal(&self, name: &str, hints: &Hints) -> Result<Option<(IpAddr, u32)>, GaiError> {
        let family = hints.family;
        let mapped = hints.flags.contains(AiFlags::V4MAPPED);
        if !name.bytes().any(|b| b.is_ascii_whitespace() || b == 0) {
            if let Ok(v4) = inet_aton(name) {
                return if family == Domain::UNSPEC || family == Domain::INET {
                    Ok(Some((IpAddr::V4(v4), 0)))
                } else if mapped {
                    Ok(Some((IpAddr::V6(v4.to_ipv6_mapped()), 0)))
                } else {
                    Err(GaiError::AddrFamily)
                };
            }
        }
        let (addr, scope) = match name.split_once('%') {
            Some((a, s)) => (a, Some(s)),
            None => (name, None),
        };
        let Ok(v6) = inet_pton_v6(addr) else {
            return Ok(None);
        };
        let ip = if family == Domain::UNSPEC || family == Domain::INET6 {
            IpAddr::V6(v6)
        } else if let Some(v4) = v6.to_ipv4_mapped().filter(|_| family == Domain::INET) {
            IpAddr::V4(v4)
        } else {
            return Err(GaiError::AddrFamily);
        };
        let scope_id = match scope {
            None => 0,
            Some(s) => {
                let link = v6.segments()[0] & 0xffc0 == 0xfe80 || v6.segments()[0] & 0xff0f == 0xff02;
                match (link, if_index(s)) {
                    (true, Some(i)) => i,
                    _ => match s.parse::<u32>() {
                        Ok(n) if s.bytes().all(|b| b.is_ascii_digit()) => n,
                        _ => return Err(GaiError::NoName),
                    },
                }
            }
        };
        Ok(Some((ip, scope_id)))
    }

    /// The nsswitch loop, as glibc's `gaih_inet` runs it: for `AF_UNSPEC`
    /// each source's `gethostbyname4` (both families at once); otherwise
    /// `gethostbyname3` for `AF_INET6` and then, with `AI_V4MAPPED` (and
    /// `AI_ALL` or no IPv6 found), for `AF_INET`, mapped. Stops at the
    /// first source that finds an address. Returns the canonical name and
    /// whether IPv6 addresses were found (which drops the mapped ones
    /// without `AI_ALL`).
    fn lookup_host(
        &self,
        name: &str,
        hints: &Hints,
        at: &mut Vec<(IpAddr, u32), MAX_ADDRS2>,
    ) -> Result<(Option<NameBuf>, bool), GaiError> {
        let family = hints.family;
        let mapped = hints.flags.contains(AiFlags::V4MAPPED);
        let all = hints.flags.contains(AiFlags::ALL);
        let (mut no_data, mut no_inet6_data) = (NoData::None, NoData::None);
        for &source in self.sources.sources() {
            let mut canon = None;
            let mut got_v6 = false;
            let mut any = false;
            if family == Domain::UNSPEC {
                match self.source_lookup(source, name, Want::Both, at)? {
                    Ok(c) => {
                        canon = c;
                        any = true;
                    }
                    Err(nd) => {
                        no_data = nd;
                        no_inet6_data = nd;
                    }
                }
            } else {
                if family == Domain::INET6 {
                    match self.source_lookup(source, name, Want::V6, at)? {
                        Ok(c) => {
                            canon = c;
                            any = true;
                            got_v6 = true;
                            no_data = NoData::None;
                        }
                        Err(nd) => no_data = nd,
                    }
                    no_inet6_data = no_data;
                }
                if family == Domain::INET || (mapped && (all || !got_v6)) {
                    let start = at.len();
                    match self.source_lookup(source, name, Want::V4, at)? {
                        Ok(c) => {
                            if canon.is_none() {
                                canon = c;
                            }
                            any = true;
                            no_data = NoData::None;
                            if family == Domain::INET6 {
                                for (ip, _) in &mut at[start..] {
                                    if let IpAddr::V4(v4) = *ip {
                                        *ip = IpAddr::V6(v4.to_ipv6_mapped());
                                    }
                                }
                            }
                        }
                        Err(nd) => no_data = nd,
                    }
                    if family == Domain::INET {
                        no_inet6_data = no_data;
                    }
                }
            }
            if any {
                return Ok((canon, got_v6));
            }
        }
        Err(if no_data != NoData::None && no_inet6_data != NoData::None {
            if no_data == NoData::Again && no_inet6_data == NoData::Again {
                GaiError::Again
            } else {
                GaiError::NoData
            }
        } else {
            GaiError::NoName
        })
    }

    /// One source's answer for `name`: appends the addresses to `at` and
    /// returns the canonical name, or how it found nothing.
    fn source_lookup(
        &self,
        source: Source,
        name: &str,
        want: Want,
        at: &mut Vec<(IpAddr, u32), MAX_ADDRS2>,
    ) -> Result<Result<Option<NameBuf>, NoData>, GaiError> {
        match source {
            Source::Files => {
                let start = at.len();
                let canon = self.hosts_by_name(name, want, at)?;
                Ok(if at.len() > start {
                    Ok(canon)
                } else {
                    Err(NoData::None)
                })
            }
            Source::Dns => {
                let kind = QueryKind::Host {
                    v4: want != Want::V6,
                    v6: want != Want::V4,
                };
                match dns_query(&self.conf, name, kind) {
                    Ok(answer) => {
                        for a in answer.addrs() {
                            at.push((a, 0)).map_err(|_| GaiError::Memory)?;
                        }
                        Ok(Ok(answer_canon(&answer)))
                    }
                    Err(GaiError::NoData) => Ok(Err(NoData::NoData)),
                    Err(GaiError::Again) => Ok(Err(NoData::Again)),
                    Err(GaiError::NoName) => Ok(Err(NoData::None)),
                    Err(e) => Err(e),
                }
            }
        }
    }

    /// The hosts file's addresses for `name`, in file order, from every
    /// line naming it (glibc's `multi on`); the canonical name is the first
    /// such line's. For `AF_INET` (`Want::V4`), v4-mapped lines count as
    /// IPv4 and `::1` as 127.0.0.1, as in glibc; for `AF_INET6` IPv4 lines
    /// do not count.
    fn hosts_by_name(
        &self,
        name: &str,
        want: Want,
        out: &mut Vec<(IpAddr, u32), MAX_ADDRS2>,
    ) -> Result<Option<NameBuf>, GaiError> {
        let mut canon = None;
        self.each_hosts_match(name, want, |e, addr| {
            if canon.is_none() {
                canon = Some(NameBuf::from_str(e.name)?);
            }
            out.push((addr, 0)).map_err(|_| GaiError::Memory)
        })?;
        Ok(canon)
    }

    /// `gethostbyname2`: the name, aliases and addresses of `name` in
    /// `family` (`AF_INET` or `AF_INET6`), from the sources in order, as
    /// glibc gives them: a numeric address of that family is itself (IPv4
    /// in `inet_aton`'s forms when the text is only digits and dots; text
    /// of that shape that is no address, or an address of the other
    /// family, is not found); the hosts file's matching lines in file
    /// order (for `AF_INET`, a v4-mapped line counts as its IPv4 address
    /// and `::1` as 127.0.0.1); DNS answers in the order received. Unlike
    /// [`getaddrinfo`](Self::getaddrinfo), nothing is sorted.
    ///
    /// # References
    /// - [gethostbyname(3)](https://man7.org/linux/man-pages/man3/gethostbyname.3.html)
    #[doc(alias = "gethostbyname")]
    #[doc(alias = "gethostbyname2")]
    pub fn host_by_name<const N: usize>(&self, name: &str, family: Domain) -> Result<HostEnt<N>, GaiError> {
        let want = match family {
            Domain::INET => Want::V4,
            Domain::INET6 => Want::V6,
            _ => return Err(GaiError::Family),
        };
        if let Some(literal) = host_literal(name, want) {
            let addr = literal.ok_or(GaiError::NoName)?;
            let mut h = HostEnt {
                name: NameBuf::from_str(name)?,
                ..HostEnt::default()
            };
            h.addrs.push(addr).map_err(|_| GaiError::Memory)?;
            return Ok(h);
        }
        let mut err = GaiError::NoName;
        for &source in self.sources.sources() {
            match source {
                Source::Files => match self.hosts_ent(name, want)? {
                    Some(h) => return Ok(h),
                    None => err = GaiError::NoName,
                },
                Source::Dns => {
                    let kind = QueryKind::Host {
                        v4: want == Want::V4,
                        v6: want == Want::V6,
                    };
                    match dns_query(&self.conf, name, kind) {
                        Ok(answer) => {
                            let mut h = HostEnt {
                                name: answer_canon(&answer).map_or_else(|| NameBuf::from_str(name), Ok)?,
                                ..HostEnt::default()
                            };
                            for a in answer.addrs().filter_map(|a| want.accept(a)) {
                                h.addrs.push(a).map_err(|_| GaiError::Memory)?;
                            }
                            if !h.addrs.is_empty() {
                                return Ok(h);
                            }
                            err = GaiError::NoData;
                        }
                        Err(e @ (GaiError::NoData | GaiError::Again | GaiError::NoName)) => err = e,
                        Err(e) => return Err(e),
                    }
                }
            }
        }
        Err(err)
    }

    /// The hosts file's entry for `name` as glibc's `gethostbyname2`
    /// builds it (`multi on`): the first matching line's name, the
    /// addresses of every matching line, and the aliases described at
    /// [`HostEnt::aliases`].
    fn hosts_ent<const N: usize>(&self, name: &str, want: Want) -> Result<Option<HostEnt<N>>, GaiError> {
        let mut found: Option<HostEnt<N>> = None;
        self.each_hosts_match(name, want, |e, addr| {
            let h = match &mut found {
                Some(h) => h,
                None => found.insert(HostEnt {
                    name: NameBuf::from_str(e.name)?,
                    ..HostEnt::default()
                }),
            };
            for alias in e.aliases() {
                h.push_alias(alias)?;
            }
            if h.name.as_str() != e.name {
                h.push_alias(e.name)?;
            }
            h.addrs.push(addr).map_err(|_| GaiError::Memory)
        })?;
        Ok(found)
    }

    /// Calls `each` with every line of the hosts file that names `name`
    /// (ignoring ASCII case) and has an address for `want`, in file order,
    /// with that address as [`Want::accept`] gives it. An unreadable file
    /// has no lines; a malformed line is skipped.
    fn each_hosts_match(
        &self,
        name: &str,
        want: Want,
        mut each: impl FnMut(&HostsEntry<'_>, IpAddr) -> Result<(), GaiError>,
    ) -> Result<(), GaiError> {
        let mut buf = [0u8; LINE_BUF];
        let Ok(mut file) = HostsFile::open(self.paths.hosts, &mut buf) else {
            return Ok(());
        };
        while let Some(entry) = file.next_entry() {
            let Ok(e) = entry else { continue };
            if let Some(addr) = want.accept(e.addr).filter(|_| e.matches(name)) {
                each(&e, addr)?;
            }
        }
        Ok(())
    }

    /// `gethostbyaddr`: the name of `addr`, from the hosts file (the first
    /// line with this address) or a DNS PTR query, in source order.
    ///
    /// # References
    /// - [gethostbyaddr(3)](https://man7.org/linux/man-pages/man3/gethostbyaddr.3.html)
    #[doc(alias = "gethostbyaddr")]
    pub fn host_by_addr(&self, addr: IpAddr) -> Result<NameBuf, GaiError> {
        let mut err = GaiError::NoName;
        for &source in self.sources.sources() {
            match source {
                Source::Files => {
                    let mut buf = [0u8; LINE_BUF];
                    let Ok(mut file) = HostsFile::open(self.paths.hosts, &mut buf) else {
                        continue;
                    };
                    while let Some(entry) = file.next_entry() {
                        if let Ok(e) = entry {
                            if e.addr == addr {
                                return NameBuf::from_str(e.name);
                            }
                        }
                    }
                    err = GaiError::NoName;
                }
                Source::Dns => match dns_query(&self.conf, "", QueryKind::Reverse(addr)) {
                    Ok(answer) => {
                        if let Some(n) = answer.names().next() {
                            return NameBuf::from_str(n);
                        }
                    }
                    Err(e) => err = e,
                },
            }
        }
        Err(err)
    }

    /// `getservbyname`: the service called `name` (or with that alias) for
    /// `protocol` (any protocol when `None`: the first line).
    ///
    /// # References
    /// - [getservbyname(3)](https://man7.org/linux/man-pages/man3/getservbyname.3.html)
    #[doc(alias = "getservbyname")]
    pub fn service_by_name(&self, name: &str, protocol: Option<&str>) -> Result<Service, GaiError> {
        self.find_service(|e| e.matches(name) && protocol.is_none_or(|p| e.protocol == p))
    }

    /// `getservbyport`: the service on `port` (host order) for `protocol`.
    ///
    /// # References
    /// - [getservbyport(3)](https://man7.org/linux/man-pages/man3/getservbyport.3.html)
    #[doc(alias = "getservbyport")]
    pub fn service_by_port(&self, port: u16, protocol: Option<&str>) -> Result<Service, GaiError> {
        self.find_service(|e| e.port == port && protocol.is_none_or(|p| e.protocol == p))
    }

    fn find_service(
        &self,
        mut want: impl FnMut(&super::services::ServiceEntry<'_>) -> bool,
    ) -> Result<Service, GaiError> {
        let mut buf = [0u8; LINE_BUF];
        let mut file = ServicesFile::open(self.paths.services, &mut buf).map_err(|_| GaiError::Service)?;
        while let Some(entry) = file.next_entry() {
            let Ok(e) = entry else { continue };
            if want(&e) {
                return Ok(Service {
                    name: NameBuf::from_str(e.name)?,
                    port: e.port,
                    protocol: NameBuf::from_str(e.protocol)?,
                });
            }
        }
        Err(GaiError::Service)
    }

    /// `getprotobyname`: the protocol called `name` (or with that alias).
    ///
    /// # References
    /// - [getprotobyname(3)](https://man7.org/linux/man-pages/man3/getprotobyname.3.html)
    #[doc(alias = "getprotobyname")]
    pub fn protocol_by_name(&self, name: &str) -> Result<ProtocolInfo, GaiError> {
        self.find_protocol(|e| e.matches(name))
    }

    /// `getprotobynumber`: the protocol numbered `number`.
    ///
    /// # References
    /// - [getprotobyname(3)](https://man7.org/linux/man-pages/man3/getprotobyname.3.html)
    #[doc(alias = "getprotobynumber")]
    pub fn protocol_by_number(&self, number: u8) -> Result<ProtocolInfo, GaiError> {
        self.find_protocol(|e| e.number == number)
    }

    fn find_protocol(
        &self,
        mut want: impl FnMut(&super::protocols::ProtocolEntry<'_>) -> bool,
    ) -> Result<ProtocolInfo, GaiError> {
        let mut buf = [0u8; LINE_BUF];
        let mut file = ProtocolsFile::open(self.paths.protocols, &mut buf).map_err(|_| GaiError::NoName)?;
        while let Some(entry) = file.next_entry() {
            let Ok(e) = entry else { continue };
            if want(&e) {
                return Ok(ProtocolInfo {
                    name: NameBuf::from_str(e.name)?,
                    number: e.number,
                });
            }
        }
        Err(GaiError::NoName)
    }

    /// The addresses of `name` with `port`, for connecting: what a
    /// `ToSocketAddrs`-like conversion needs (`getaddrinfo` with
    /// `SOCK_STREAM`, any family, `AI_ADDRCONFIG`), in glibc's order.
    ///
    /// # References
    /// - [getaddrinfo(3)](https://man7.org/linux/man-pages/man3/getaddrinfo.3.html)
    pub fn resolve_host_port<const N: usize>(
        &self,
        name: &str,
        port: u16,
    ) -> Result<SocketAddrs<N>, GaiError> {
        let mut digits: String<5> = String::new();
        let _ = fmt::write(&mut digits, format_args!("{port}"));
        let hints = Hints {
            socktype: Type::STREAM,
            ..Hints::default()
        }
        .with_flags(AiFlags::ADDRCONFIG);
        let list: AddrInfoList<N> = self.getaddrinfo(Some(name), Some(&digits), &hints)?;
        let mut out = SocketAddrs {
            addrs: Vec::new(),
            next: 0,
        };
        for ai in &list {
            out.addrs.push(ai.addr).ok();
        }
        Ok(out)
    }
}

/// Addresses to connect to, in order, at most `N`: what
/// [`resolve_host_port`](super::resolve_host_port) returns and what the
/// typed sockets' [`ToSocketAddrs`](crate::ToSocketAddrs) conversions of text
/// yield. It is an iterator over the addresses not yet taken.
#[derive(Clone, Default)]
pub struct SocketAddrs<const N: usize = 16> {
    addrs: Vec<SocketAddr, N>,
    next: usize,
}

impl<const N: usize> SocketAddrs<N> {
    /// One address.
    #[must_use]
    pub fn one(addr: SocketAddr) -> Self {
        let mut addrs = Vec::new();
        // `N` is at least 1 wherever one address is made (a const assert).
        const { assert!(N > 0) };
        let _ = addrs.push(addr);
        Self { addrs, next: 0 }
    }

    /// The addresses not yet taken.
    #[must_use]
    pub fn as_slice(&self) -> &[SocketAddr] {
        &self.addrs[self.next..]
    }

    /// An iterator over the addresses not yet taken, leaving them in place.
    pub fn iter(&self) -> core::iter::Copied<core::slice::Iter<'_, SocketAddr>> {
        self.as_slice().iter().copied()
    }
}

impl<const N: usize> Iterator for SocketAddrs<N> {
    type Item = SocketAddr;

    fn next(&mut self) -> Option<SocketAddr> {
        let addr = self.addrs.get(self.next).copied()?;
        self.next += 1;
        Some(addr)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.addrs.len() - self.next;
        (n, Some(n))
    }
}

impl<const N: usize> ExactSizeIterator for SocketAddrs<N> {}
impl<const N: usize> core::iter::FusedIterator for SocketAddrs<N> {}

impl<const N: usize> fmt::Debug for SocketAddrs<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.as_slice()).finish()
    }
}

/// The most addresses one lookup gathers before they are multiplied by the
/// socket types.
const MAX_ADDRS2: usize = 2 * MAX_ADDRS;

fn answer_canon(a: &DnsAnswer) -> Option<NameBuf> {
    a.canonical_name().and_then(|c| NameBuf::from_str(c).ok())
}

/// glibc's `strtoul(s, &end, 10)` then `*end == '\0'` and the `int`
/// conversion: `Some` for a number (which may be negative, meaning a name
/// to look up), `None` when text follows.
fn strtoul_int(s: &str) -> Option<i32> {
    let b = s.as_bytes();
    let mut i = b
        .iter()
        .take_while(|&&c| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0b' | b'\x0c'))
        .count();
    let neg = match b.get(i) {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    let digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 || i + digits != b.len() {
        return None;
    }
    let mut v: u64 = 0;
    let mut overflow = false;
    for &d in &b[i..] {
        match v.checked_mul(10).and_then(|x| x.checked_add(u64::from(d - b'0'))) {
            Some(x) => v = x,
            None => overflow = true,
        }
    }
    if overflow {
        v = u64::MAX;
    } else if neg {
        v = v.wrapping_neg();
    }
    Some(v as u32 as i32)
}

/// `if_nametoindex` through `/sys/class/net/NAME/ifindex`.
fn if_index(name: &str) -> Option<u32> {
    if name.is_empty() || name.len() > 15 || name.contains('/') || name.contains('\0') {
        return None;
    }
    let mut path: String<48> = String::new();
    fmt::write(&mut path, format_args!("/sys/class/net/{name}/ifindex\0")).ok()?;
    let path = CStr::from_bytes_with_nul(path.as_bytes()).ok()?;
    let mut buf = [0u8; 32];
    let mut lines = super::lines::Lines::open(path, &mut buf).ok()?;
    match lines.next_line()? {
        super::lines::Line::Text(t) => core::str::from_utf8(t).ok()?.trim().parse().ok(),
        super::lines::Line::TooLong => None,
    }
}
