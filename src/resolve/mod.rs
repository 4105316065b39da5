//! Names without libc: `getaddrinfo`, `gethostbyname`/`gethostbyaddr`,
//! services and protocols, with glibc's answers and order, no libc and no
//! heap.
//!
//! - Files: [`HostsFile`], [`ServicesFile`], [`ProtocolsFile`],
//!   [`HostSources`] (`nsswitch.conf`'s `hosts:` line, `files` and `dns`)
//!   and [`ResolvConf`], each read through a caller's buffer, reporting a
//!   malformed line without losing the good ones.
//! - DNS: [`wire`] (a checked view over messages and a query builder) and
//!   [`Query`], a non-blocking query the caller drives from its own poll
//!   loop — UDP with TCP on truncation, A and AAAA in parallel, the search
//!   list with `ndots`, CNAME chains, timeouts, attempts and `rotate`, and
//!   answers checked before they are believed.
//! - Lookups: [`Resolver`] with an explicit configuration, or the free
//!   functions ([`getaddrinfo`], [`gethostbyname`], [`gethostbyaddr`],
//!   [`getservbyname`], [`getservbyport`], [`getprotobyname`],
//!   [`getprotobynumber`], [`resolve_host_port`]) that read `/etc` at
//!   each call. All block; the DNS part is [`Query::wait`] over [`Query`].
//!
//! Results are fixed-capacity values ([`AddrInfoList<N>`], [`HostEnt<N>`],
//! [`SocketAddrs<N>`]); the blocking DNS lookups keep a 4 KiB answer
//! buffer on the stack (64 KiB when a TCP answer needs it). Errors are [`GaiError`],
//! one variant per `EAI_*` code.
//!
//! Not done here: IDN (`AI_IDN`), `/etc/gai.conf`, `/etc/host.conf`'s
//! options other than glibc's default `multi on`, `HOSTALIASES`,
//! `LOCALDOMAIN` and `RES_OPTIONS`, nscd, DNSSEC, name escapes (`\.`), and
//! rule 7 of RFC 6724 (native transport).
//!
//! ```no_run
//! use zerosock::resolve::{getaddrinfo, AddrInfoList, Hints};
//! let list: AddrInfoList = getaddrinfo(Some("example.com"), Some("https"), &Hints::default())?;
//! for ai in &list {
//!     println!("{}", ai.addr);
//! }
//! # Ok::<(), zerosock::resolve::GaiError>(())
//! ```

mod error;
mod gai;
mod hosts;
mod ifaddr;
mod lines;
mod nsswitch;
mod protocols;
mod query;
mod resolv_conf;
mod services;
mod sort;
pub mod wire;

use core::net::IpAddr;

pub use error::GaiError;
pub use gai::{
    AddrInfo, AddrInfoList, AiFlags, Hints, HostEnt, MAX_ALIASES_TEXT, MAX_NAME_TEXT, NameBuf, Paths,
    ProtocolInfo, Resolver, Service, SocketAddrs,
};
pub use hosts::{HostsEntry, HostsFile};
pub use lines::BadLine;
pub use nsswitch::{HostSources, Source};
pub use protocols::{ProtocolEntry, ProtocolsFile};
pub use query::{DnsAnswer, MAX_ADDRS, MAX_PTR_NAMES, Query, QueryKind};
pub use resolv_conf::{MAX_DOMAIN, MAX_NAMESERVERS, MAX_SEARCH, ResolvConf};
pub use services::{ServiceEntry, ServicesFile};

use crate::flags::Domain;

/// `getaddrinfo` with the system's configuration ([`Resolver::system`]).
///
/// # References
/// - [getaddrinfo(3)](https://man7.org/linux/man-pages/man3/getaddrinfo.3.html)
pub fn getaddrinfo<const N: usize>(
    host: Option<&str>,
    service: Option<&str>,
    hints: &Hints,
) -> Result<AddrInfoList<N>, GaiError> {
    // A numeric host (or none) needs no resolv.conf or nsswitch.conf.
    if host.is_none_or(is_numeric) {
        return files_only().getaddrinfo(host, service, hints);
    }
    Resolver::system()?.getaddrinfo(host, service, hints)
}

/// Whether `host` is an address `getaddrinfo` takes without a lookup.
fn is_numeric(host: &str) -> bool {
    let exact = !host.bytes().any(|b| b.is_ascii_whitespace() || b == 0);
    (exact && crate::addr::inet_aton(host).is_ok())
        || crate::addr::inet_pton_v6(host.split('%').next().unwrap_or("")).is_ok()
}

/// `gethostbyname2` with the system's configuration.
///
/// # References
/// - [gethostbyname(3)](https://man7.org/linux/man-pages/man3/gethostbyname.3.html)
#[doc(alias = "gethostbyname2")]
pub fn gethostbyname<const N: usize>(name: &str, family: Domain) -> Result<HostEnt<N>, GaiError> {
    Resolver::system()?.host_by_name(name, family)
}

/// `gethostbyaddr` with the system's configuration.
///
/// # References
/// - [gethostbyaddr(3)](https://man7.org/linux/man-pages/man3/gethostbyaddr.3.html)
pub fn gethostbyaddr(addr: IpAddr) -> Result<NameBuf, GaiError> {
    Resolver::system()?.host_by_addr(addr)
}

/// `getservbyname` on `/etc/services`.
///
/// # References
/// - [getservbyname(3)](https://man7.org/linux/man-pages/man3/getservbyname.3.html)
pub fn getservbyname(name: &str, protocol: Option<&str>) -> Result<Service, GaiError> {
    files_only().service_by_name(name, protocol)
}

/// `getservbyport` on `/etc/services` (`port` in host order).
///
/// # References
/// - [getservbyport(3)](https://man7.org/linux/man-pages/man3/getservbyport.3.html)
pub fn getservbyport(port: u16, protocol: Option<&str>) -> Result<Service, GaiError> {
    files_only().service_by_port(port, protocol)
}

/// `getprotobyname` on `/etc/protocols`.
///
/// ```
/// assert_eq!(zerosock::resolve::getprotobyname("udp")?.number, 17);
/// # Ok::<(), zerosock::resolve::GaiError>(())
/// ```
///
/// # References
/// - [getprotobyname(3)](https://man7.org/linux/man-pages/man3/getprotobyname.3.html)
pub fn getprotobyname(name: &str) -> Result<ProtocolInfo, GaiError> {
    files_only().protocol_by_name(name)
}

/// `getprotobynumber` on `/etc/protocols`.
///
/// # References
/// - [getprotobyname(3)](https://man7.org/linux/man-pages/man3/getprotobyname.3.html)
pub fn getprotobynumber(number: u8) -> Result<ProtocolInfo, GaiError> {
    files_only().protocol_by_number(number)
}

/// The addresses to connect to for `name` and `port` (see
/// [`Resolver::resolve_host_port`]), with `resolver`'s configuration or the
/// system's. The hook for a `ToSocketAddrs`-like conversion.
///
/// ```no_run
/// use zerosock::resolve::{resolve_host_port, SocketAddrs};
/// let addrs: SocketAddrs = resolve_host_port("localhost", 80, None)?;
/// assert!(addrs.iter().all(|a| a.port() == 80));
/// # Ok::<(), zerosock::resolve::GaiError>(())
/// ```
///
/// # References
/// - [getaddrinfo(3)](https://man7.org/linux/man-pages/man3/getaddrinfo.3.html)
pub fn resolve_host_port<const N: usize>(
    name: &str,
    port: u16,
    resolver: Option<&Resolver<'_>>,
) -> Result<SocketAddrs<N>, GaiError> {
    match resolver {
        Some(r) => r.resolve_host_port(name, port),
        None => Resolver::system()?.resolve_host_port(name, port),
    }
}

/// A resolver for the services and protocols files, which need no
/// `resolv.conf`.
fn files_only() -> Resolver<'static> {
    Resolver::new(ResolvConf::default(), HostSources::FILES_DNS, Paths::SYSTEM)
}
