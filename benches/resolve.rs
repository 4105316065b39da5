//! Name lookups, zerosock beside glibc, for `ci/resolve-bench.sh`:
//!
//! ```text
//! resolve <zerosock|glibc> <literal|files|dns> <lookups>   # N lookups, nothing else
//! resolve ratios <literal|files|dns> <rounds>              # interleaved wall-clock ratios
//! resolve                                                  # smoke: literal and localhost
//! ```
//!
//! Each lookup is `getaddrinfo(name, NULL, {SOCK_STREAM})`: `literal` is
//! `127.0.0.1`, `files` is `bench-files` (in the hosts file), `dns` is
//! `bench.test.` (A and AAAA from the DNS server). zerosock's is the free
//! function, which reads `/etc/resolv.conf` and `/etc/nsswitch.conf` at
//! each call as glibc checks them at each call. The `files` and `dns` cases
//! need the script's namespace (its hosts file and name server); the smoke
//! run asks for nothing but a literal and `localhost`.

use std::ffi::CString;
use std::time::Instant;

use zerosock::Type;
use zerosock::resolve::{AddrInfoList, Hints, getaddrinfo};

fn name_of(case: &str) -> &'static str {
    match case {
        "literal" => "127.0.0.1",
        "files" => "bench-files",
        "dns" => "bench.test.",
        "localhost" => "localhost",
        other => panic!("unknown case {other}"),
    }
}

#[inline(never)]
fn zerosock_lookup(name: &str) -> usize {
    let hints = Hints {
        socktype: Type::STREAM,
        ..Hints::default()
    };
    let list: AddrInfoList<8> = getaddrinfo(Some(name), None, &hints).expect("zerosock lookup");
    list.len()
}

#[inline(never)]
fn glibc_lookup(name: &CString) -> usize {
    // SAFETY: zeroed addrinfo is "no hints"; the list is freed below.
    unsafe {
        let mut hints: libc::addrinfo = std::mem::zeroed();
        hints.ai_socktype = libc::SOCK_STREAM;
        let mut res = std::ptr::null_mut();
        assert_eq!(
            libc::getaddrinfo(name.as_ptr(), std::ptr::null(), &hints, &mut res),
            0,
            "glibc lookup"
        );
        let mut n = 0;
        let mut p = res;
        while !p.is_null() {
            n += 1;
            p = (*p).ai_next;
        }
        libc::freeaddrinfo(res);
        n
    }
}

fn run(imp: &str, case: &str, n: u64) -> usize {
    let name = name_of(case);
    let c = CString::new(name).unwrap();
    let mut total = 0;
    for _ in 0..n {
        total += match imp {
            "zerosock" => zerosock_lookup(name),
            "glibc" => glibc_lookup(&c),
            other => panic!("unknown implementation {other}"),
        };
    }
    total
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    match args.as_slice() {
        [imp, case, n] if imp != "ratios" => {
            let total = run(imp, case, n.parse().unwrap());
            eprintln!("{imp} {case}: {total} results");
        }
        [ratios, case, rounds] if ratios == "ratios" => {
            let rounds: usize = rounds.parse().unwrap();
            let mut r = Vec::new();
            let (mut zs, mut gl) = (Vec::new(), Vec::new());
            for i in 0..rounds {
                let time = |imp| {
                    let t = Instant::now();
                    std::hint::black_box(run(imp, case, 50));
                    t.elapsed().as_secs_f64() / 50.0
                };
                let (z, g) = if i % 2 == 0 {
                    let z = time("zerosock");
                    (z, time("glibc"))
                } else {
                    let g = time("glibc");
                    (time("zerosock"), g)
                };
                zs.push(z);
                gl.push(g);
                r.push(z / g);
            }
            let med = |v: &mut Vec<f64>| {
                v.sort_by(|a, b| a.partial_cmp(b).unwrap());
                v[v.len() / 2]
            };
            println!(
                "{case}: zerosock {:.1} us, glibc {:.1} us per lookup; median ratio zerosock/glibc {:.2} over {rounds} rounds",
                med(&mut zs) * 1e6,
                med(&mut gl) * 1e6,
                med(&mut r)
            );
        }
        _ => {
            // Smoke: nothing that could leave the machine.
            for case in ["literal", "localhost"] {
                assert!(run("zerosock", case, 2) > 0);
                assert!(run("glibc", case, 2) > 0);
            }
        }
    }
}
