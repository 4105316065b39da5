//! `getent ahosts NAME…`, on zerosock's resolver: for each name, each
//! address with its socket type, the canonical name on the first line,
//! exactly as glibc's `getent` prints them; exit status 2 if any name was
//! not found (the other names are still printed), as `getent`.
//!
//! ```text
//! cargo run --example resolve -- localhost example.com
//! ```

use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;

use zerosock::Type;
use zerosock::addr::inet_ntop;
use zerosock::resolve::{AddrInfoList, AiFlags, Hints, Resolver};

fn main() -> ExitCode {
    let names: Vec<String> = std::env::args().skip(1).collect();
    if names.is_empty() {
        eprintln!("usage: resolve NAME...");
        return ExitCode::from(1);
    }
    let resolver = match Resolver::system() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("resolve: {e}");
            return ExitCode::from(2);
        }
    };
    // getent's hints for ahosts.
    let hints = Hints::default().with_flags(AiFlags::V4MAPPED | AiFlags::ADDRCONFIG | AiFlags::CANONNAME);
    let mut status = 0;
    let mut out = std::io::stdout().lock();
    for name in &names {
        let list: AddrInfoList<384> = match resolver.getaddrinfo(Some(name), None, &hints) {
            Ok(list) => list,
            Err(_) => {
                status = 2;
                continue;
            }
        };
        for (i, ai) in list.iter().enumerate() {
            let sock = match ai.socktype {
                Type::STREAM => "STREAM".to_string(),
                Type::DGRAM => "DGRAM".to_string(),
                Type::RAW => "RAW".to_string(),
                Type::SEQPACKET => "SEQPACKET".to_string(),
                Type::RDM => "RDM".to_string(),
                other if other.raw() == 6 => "DCCP".to_string(),
                other if other.raw() == 10 => "PACKET".to_string(),
                other => other.raw().to_string(),
            };
            let canon = if i == 0 {
                list.canonical_name().unwrap_or("")
            } else {
                ""
            };
            // getent: the scope after the address, the two padded to 15
            // together ("%s%-*s").
            let scope = match ai.addr {
                SocketAddr::V6(a) if a.scope_id() != 0 => format!("%{}", a.scope_id()),
                _ => String::new(),
            };
            let addr = inet_ntop(ai.addr.ip());
            let pad = 15usize.saturating_sub(addr.len() + scope.len());
            let _ = writeln!(out, "{}{scope:<pad$} {sock:<6} {canon}", addr.as_str());
        }
    }
    let _ = out.flush();
    ExitCode::from(status)
}
