//! Namespace set-up through zerosock's own rtnetlink (issue 19) rather than
//! by spawning `ip`: links up and down, veth pairs, addresses, routes and
//! neighbours, in the network namespace of the thread that opens [`Setup`]
//! (a socket keeps the namespace it was made in, so the value may be used
//! from any thread afterwards). Every call panics with the kernel's answer
//! on failure: set-up that fails is a test failure, not a skip.

use std::net::IpAddr;
use std::os::fd::BorrowedFd;
use std::time::Duration;

use zerosock::netlink::route::{LinkChange, RouteSpec, RouteType, Rtnetlink};

/// An rtnetlink socket and its buffer.
pub struct Setup {
    rtnl: Rtnetlink,
    buf: Vec<u8>,
}

/// `"10.1.0.1/24"` → (address, prefix length).
pub fn cidr(text: &str) -> (IpAddr, u8) {
    let (ip, len) = text
        .split_once('/')
        .unwrap_or_else(|| panic!("{text}: not ADDRESS/LEN"));
    (
        ip.parse().unwrap_or_else(|e| panic!("{text}: {e}")),
        len.parse().unwrap_or_else(|e| panic!("{text}: {e}")),
    )
}

impl Setup {
    /// An rtnetlink socket in the calling thread's network namespace (with
    /// a receive timeout, so no set-up hangs).
    pub fn open() -> Self {
        let rtnl = Rtnetlink::open().expect("open rtnetlink");
        rtnl.netlink()
            .socket()
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        Self {
            rtnl,
            buf: vec![0; 32 * 1024],
        }
    }

    /// The socket, for what this file does not cover.
    pub fn rtnl(&self) -> &Rtnetlink {
        &self.rtnl
    }

    /// The index of link `name`.
    pub fn index(&mut self, name: &str) -> u32 {
        self.rtnl
            .link_index(name, &mut self.buf)
            .unwrap_or_else(|e| panic!("link {name}: {e}"))
    }

    fn change(&mut self, name: &str, what: &str, change: &LinkChange<'_>) -> &mut Self {
        let index = self.index(name);
        self.rtnl
            .set_link(index, change, &mut self.buf)
            .unwrap_or_else(|e| panic!("link {name} {what}: {e}"));
        self
    }

    /// `ip link set NAME up`.
    pub fn up(&mut self, name: &str) -> &mut Self {
        self.change(
            name,
            "up",
            &LinkChange {
                up: Some(true),
                ..LinkChange::default()
            },
        )
    }

    /// `ip link set NAME down`.
    pub fn down(&mut self, name: &str) -> &mut Self {
        self.change(
            name,
            "down",
            &LinkChange {
                up: Some(false),
                ..LinkChange::default()
            },
        )
    }

    /// `ip link set NAME netns NS` (`netns`: the namespace's open file).
    pub fn move_to(&mut self, name: &str, netns: BorrowedFd<'_>) -> &mut Self {
        self.change(
            name,
            "netns",
            &LinkChange {
                netns: Some(netns),
                ..LinkChange::default()
            },
        )
    }

    /// `ip link add NAME type veth peer name PEER`.
    pub fn veth(&mut self, name: &str, peer: &str) -> &mut Self {
        self.rtnl
            .add_veth(name, peer, &mut self.buf)
            .unwrap_or_else(|e| panic!("veth {name} {peer}: {e}"));
        self
    }

    /// `ip addr add CIDR dev NAME` (on `lo`, IPv6 addresses need no
    /// `nodad`: the kernel runs no duplicate address detection there).
    pub fn addr(&mut self, name: &str, cidr_text: &str) -> &mut Self {
        let index = self.index(name);
        let (ip, len) = cidr(cidr_text);
        self.rtnl
            .add_address(index, ip, len, &mut self.buf)
            .unwrap_or_else(|e| panic!("addr {cidr_text} dev {name}: {e}"));
        self
    }

    /// `ip route add KIND CIDR` (unreachable, prohibit, blackhole, throw…).
    pub fn route(&mut self, kind: RouteType, cidr_text: &str) -> &mut Self {
        let (ip, len) = cidr(cidr_text);
        let spec = RouteSpec {
            kind,
            ..RouteSpec::new(ip, len)
        };
        self.rtnl
            .add_route(&spec, &mut self.buf)
            .unwrap_or_else(|e| panic!("route {kind:?} {cidr_text}: {e}"));
        self
    }

    /// `ip neigh add IP lladdr MAC dev NAME nud permanent`.
    pub fn neighbour(&mut self, name: &str, ip: &str, mac: [u8; 6]) -> &mut Self {
        let index = self.index(name);
        self.rtnl
            .add_neighbour(index, ip.parse().unwrap(), &mac, &mut self.buf)
            .unwrap_or_else(|e| panic!("neigh {ip} dev {name}: {e}"));
        self
    }
}
