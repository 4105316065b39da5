//! ipaddr: the lines `ip -brief address show` prints, through zerosock's
//! rtnetlink: each link with its operational state and addresses.
//!
//! ```text
//! cargo run --example ipaddr
//! ```
//!
//! One `RTM_GETLINK` dump and one `RTM_GETADDR` dump, read into a single
//! 32 KiB buffer; the formatting is iproute2's (`%-16s %-14s ` then
//! `addr/len ` for each address, in the kernel's order). A link tied to
//! another (a veth's peer) is shown as `name@peer`, or `name@ifN` when the
//! peer is in another namespace.

use std::process::ExitCode;

use zerosock::Domain;
use zerosock::netlink::route::Rtnetlink;

struct Link {
    index: u32,
    name: String,
    link: Option<u32>,
    other_netns: bool,
    operstate: u8,
}

const OPERSTATES: [&str; 7] = [
    "UNKNOWN",
    "NOTPRESENT",
    "DOWN",
    "LOWERLAYERDOWN",
    "TESTING",
    "DORMANT",
    "UP",
];

fn main() -> ExitCode {
    let rtnl = match Rtnetlink::open() {
        Ok(rtnl) => rtnl,
        Err(err) => {
            eprintln!("ipaddr: netlink: {err}");
            return ExitCode::FAILURE;
        }
    };
    let mut buf = vec![0u8; 32 * 1024];
    let mut links = Vec::new();
    if let Err(err) = rtnl.links(&mut buf, |l| {
        links.push(Link {
            index: l.index(),
            name: l.name().unwrap_or("?").to_string(),
            link: l.link().filter(|&peer| peer != l.index()),
            other_netns: l.link_netnsid().is_some(),
            operstate: l.operstate().unwrap_or(0),
        });
    }) {
        eprintln!("ipaddr: links: {err}");
        return ExitCode::FAILURE;
    }
    let mut addrs = Vec::new();
    if let Err(err) = rtnl.addresses(Domain::UNSPEC, &mut buf, |a| {
        if let Some(ip) = a.ip() {
            addrs.push((a.index(), format!("{ip}/{} ", a.prefix_len())));
        }
    }) {
        eprintln!("ipaddr: addresses: {err}");
        return ExitCode::FAILURE;
    }
    for link in &links {
        let name = match link.link {
            None => link.name.clone(),
            Some(0) => format!("{}@NONE", link.name),
            Some(peer) if link.other_netns => format!("{}@if{peer}", link.name),
            Some(peer) => match links.iter().find(|l| l.index == peer) {
                Some(p) => format!("{}@{}", link.name, p.name),
                None => format!("{}@if{peer}", link.name),
            },
        };
        let state = OPERSTATES
            .get(link.operstate as usize)
            .copied()
            .unwrap_or("UNKNOWN");
        let mut line = format!("{name:<16} {state:<14} ");
        for (_, text) in addrs.iter().filter(|(index, _)| *index == link.index) {
            line.push_str(text);
        }
        println!("{line}");
    }
    ExitCode::SUCCESS
}
