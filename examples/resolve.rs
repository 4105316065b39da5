//! `getent ahosts NAME…`, on zerosock's resolver: for each name, each
//! address with its socket type, the canonical name on the first line,
//! exactly as glibc's `getent` prints them; exit status 2 if any name was
//! not found (the other names are still printed), as `getent`.
//!
//! ```text
//! cargo run --example resolve -- localhost example.com
//! ```

use std::io::Write;
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
        let list: AddrInfoList<64> = match resolver.getaddrinfo(Some(name), None, &hints) {
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
                other => other.raw().to_string(),
            };
            let canon = if i == 0 { list.canonical_name().unwrap_or("") } else { "" };
            let _ = writeln!(out, "{:<15} {:<6} {}", inet_ntop(ai.addr.ip()).as_str(), sock, canon);
        }
    }
    let _ = out.flush();
    ExitCode::from(status)
}
