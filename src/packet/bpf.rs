//! Classic BPF: typed instructions ([`SockFilter`] with a constructor per
//! instruction class), a [`Program`] checked the way the kernel checks it
//! (known opcodes, jumps inside the program, a return at the end, no
//! division by zero, scratch slots in range) before the kernel sees it, and
//! the socket options that attach it: `SO_ATTACH_FILTER`,
//! `SO_DETACH_FILTER`, `SO_LOCK_FILTER`, `SO_ATTACH_REUSEPORT_CBPF`.
//!
//! ```
//! use zerosock::packet::bpf::{self, Program, SockFilter as I};
//! use zerosock::{Domain, Protocol, Socket, Type};
//! // Accept only datagrams whose first payload byte is b'!'.
//! let insns = [
//!     I::ld_abs(bpf::BPF_B, 8),       // UDP: skip the 8-byte header
//!     I::jeq(u32::from(b'!'), 0, 1),
//!     I::ret(u32::MAX),
//!     I::ret(0),
//! ];
//! let program = Program::new(&insns)?;
//! let udp = Socket::new(Domain::INET, Type::DGRAM, Protocol::UDP)?;
//! bpf::attach_filter(&udp, &program)?;
//! # Ok::<(), zerosock::Error>(())
//! ```
//!
//! # References
//! - [Linux socket filtering](https://www.kernel.org/doc/html/latest/networking/filter.html)
//! - [socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html)

use rustix::fd::AsFd;

pub use crate::abi::packet::SockFilter;

use crate::error::{Errno, Error};
use crate::sys;

/// Instruction class `BPF_LD`.
pub const BPF_LD: u16 = 0x00;
/// Instruction class `BPF_LDX`.
pub const BPF_LDX: u16 = 0x01;
/// Instruction class `BPF_ST`.
pub const BPF_ST: u16 = 0x02;
/// Instruction class `BPF_STX`.
pub const BPF_STX: u16 = 0x03;
/// Instruction class `BPF_ALU`.
pub const BPF_ALU: u16 = 0x04;
/// Instruction class `BPF_JMP`.
pub const BPF_JMP: u16 = 0x05;
/// Instruction class `BPF_RET`.
pub const BPF_RET: u16 = 0x06;
/// Instruction class `BPF_MISC`.
pub const BPF_MISC: u16 = 0x07;
/// Size `BPF_W`: 32 bits.
pub const BPF_W: u16 = 0x00;
/// Size `BPF_H`: 16 bits.
pub const BPF_H: u16 = 0x08;
/// Size `BPF_B`: 8 bits.
pub const BPF_B: u16 = 0x10;
/// Mode `BPF_IMM`.
pub const BPF_IMM: u16 = 0x00;
/// Mode `BPF_ABS`.
pub const BPF_ABS: u16 = 0x20;
/// Mode `BPF_IND`.
pub const BPF_IND: u16 = 0x40;
/// Mode `BPF_MEM`.
pub const BPF_MEM: u16 = 0x60;
/// Mode `BPF_LEN`.
pub const BPF_LEN: u16 = 0x80;
/// Mode `BPF_MSH`.
pub const BPF_MSH: u16 = 0xa0;
/// ALU `BPF_ADD`.
pub const BPF_ADD: u16 = 0x00;
/// ALU `BPF_SUB`.
pub const BPF_SUB: u16 = 0x10;
/// ALU `BPF_MUL`.
pub const BPF_MUL: u16 = 0x20;
/// ALU `BPF_DIV`.
pub const BPF_DIV: u16 = 0x30;
/// ALU `BPF_OR`.
pub const BPF_OR: u16 = 0x40;
/// ALU `BPF_AND`.
pub const BPF_AND: u16 = 0x50;
/// ALU `BPF_LSH`.
pub const BPF_LSH: u16 = 0x60;
/// ALU `BPF_RSH`.
pub const BPF_RSH: u16 = 0x70;
/// ALU `BPF_NEG`.
pub const BPF_NEG: u16 = 0x80;
/// ALU `BPF_MOD`.
pub const BPF_MOD: u16 = 0x90;
/// ALU `BPF_XOR`.
pub const BPF_XOR: u16 = 0xa0;
/// Jump `BPF_JA`.
pub const BPF_JA: u16 = 0x00;
/// Jump `BPF_JEQ`.
pub const BPF_JEQ: u16 = 0x10;
/// Jump `BPF_JGT`.
pub const BPF_JGT: u16 = 0x20;
/// Jump `BPF_JGE`.
pub const BPF_JGE: u16 = 0x30;
/// Jump `BPF_JSET`.
pub const BPF_JSET: u16 = 0x40;
/// Source `BPF_K`: the constant.
pub const BPF_K: u16 = 0x00;
/// Source `BPF_X`: the index register.
pub const BPF_X: u16 = 0x08;
/// Return source `BPF_A`: the accumulator.
pub const BPF_A: u16 = 0x10;
/// Misc `BPF_TAX`.
pub const BPF_TAX: u16 = 0x00;
/// Misc `BPF_TXA`.
pub const BPF_TXA: u16 = 0x80;
/// `BPF_MAXINSNS`: the longest program the kernel takes.
pub const BPF_MAXINSNS: usize = linux_raw_sys::if_tun::BPF_MAXINSNS as usize;
/// `BPF_MEMWORDS`: the number of scratch memory slots.
pub const BPF_MEMWORDS: u32 = 16;

impl SockFilter {
    /// `BPF_STMT(code, k)`: any non-jump instruction.
    #[must_use]
    pub const fn stmt(code: u16, k: u32) -> Self {
        Self {
            code,
            jt: 0,
            jf: 0,
            k,
        }
    }

    /// `BPF_JUMP(code, k, jt, jf)`: any jump.
    #[must_use]
    pub const fn jump(code: u16, k: u32, jt: u8, jf: u8) -> Self {
        Self { code, jt, jf, k }
    }

    /// `ld [k]` (`size` [`BPF_W`]/[`BPF_H`]/[`BPF_B`]): A = the packet's
    /// bytes at offset `k`, network order.
    #[must_use]
    pub const fn ld_abs(size: u16, k: u32) -> Self {
        Self::stmt(BPF_LD | size | BPF_ABS, k)
    }

    /// `ld [x + k]`: A = the packet's bytes at X + `k`.
    #[must_use]
    pub const fn ld_ind(size: u16, k: u32) -> Self {
        Self::stmt(BPF_LD | size | BPF_IND, k)
    }

    /// `ld #len`: A = the packet's length.
    #[must_use]
    pub const fn ld_len() -> Self {
        Self::stmt(BPF_LD | BPF_W | BPF_LEN, 0)
    }

    /// `ld #k`: A = `k`.
    #[must_use]
    pub const fn ld_imm(k: u32) -> Self {
        Self::stmt(BPF_LD | BPF_IMM, k)
    }

    /// `ld M[k]`: A = scratch slot `k`.
    #[must_use]
    pub const fn ld_mem(k: u32) -> Self {
        Self::stmt(BPF_LD | BPF_MEM, k)
    }

    /// `ldx #k`: X = `k`.
    #[must_use]
    pub const fn ldx_imm(k: u32) -> Self {
        Self::stmt(BPF_LDX | BPF_IMM, k)
    }

    /// `ldx 4*([k]&0xf)`: X = the IPv4 header length of the header at `k`.
    #[must_use]
    pub const fn ldx_msh(k: u32) -> Self {
        Self::stmt(BPF_LDX | BPF_B | BPF_MSH, k)
    }

    /// `st M[k]`: scratch slot `k` = A.
    #[must_use]
    pub const fn st(k: u32) -> Self {
        Self::stmt(BPF_ST, k)
    }

    /// `stx M[k]`: scratch slot `k` = X.
    #[must_use]
    pub const fn stx(k: u32) -> Self {
        Self::stmt(BPF_STX, k)
    }

    /// `op #k`: A = A `op` `k` ([`BPF_ADD`], [`BPF_AND`], …).
    #[must_use]
    pub const fn alu(op: u16, k: u32) -> Self {
        Self::stmt(BPF_ALU | op | BPF_K, k)
    }

    /// `op x`: A = A `op` X.
    #[must_use]
    pub const fn alu_x(op: u16) -> Self {
        Self::stmt(BPF_ALU | op | BPF_X, 0)
    }

    /// `tax`: X = A.
    #[must_use]
    pub const fn tax() -> Self {
        Self::stmt(BPF_MISC | BPF_TAX, 0)
    }

    /// `txa`: A = X.
    #[must_use]
    pub const fn txa() -> Self {
        Self::stmt(BPF_MISC | BPF_TXA, 0)
    }

    /// `ja +k`: jump `k` instructions forward.
    #[must_use]
    pub const fn ja(k: u32) -> Self {
        Self::jump(BPF_JMP | BPF_JA, k, 0, 0)
    }

    /// `jeq #k, jt, jf`.
    #[must_use]
    pub const fn jeq(k: u32, jt: u8, jf: u8) -> Self {
        Self::jump(BPF_JMP | BPF_JEQ | BPF_K, k, jt, jf)
    }

    /// `jgt #k, jt, jf`.
    #[must_use]
    pub const fn jgt(k: u32, jt: u8, jf: u8) -> Self {
        Self::jump(BPF_JMP | BPF_JGT | BPF_K, k, jt, jf)
    }

    /// `jge #k, jt, jf`.
    #[must_use]
    pub const fn jge(k: u32, jt: u8, jf: u8) -> Self {
        Self::jump(BPF_JMP | BPF_JGE | BPF_K, k, jt, jf)
    }

    /// `jset #k, jt, jf`: jump `jt` if A & `k` is nonzero.
    #[must_use]
    pub const fn jset(k: u32, jt: u8, jf: u8) -> Self {
        Self::jump(BPF_JMP | BPF_JSET | BPF_K, k, jt, jf)
    }

    /// `ret #k`: accept `k` bytes of the packet (0: drop it).
    #[must_use]
    pub const fn ret(k: u32) -> Self {
        Self::stmt(BPF_RET | BPF_K, k)
    }

    /// `ret a`: accept A bytes.
    #[must_use]
    pub const fn ret_a() -> Self {
        Self::stmt(BPF_RET | BPF_A, 0)
    }
}

/// Whether `code` is an instruction the kernel's classic BPF knows.
const fn known(code: u16) -> bool {
    matches!(
        code,
        // ALU with K and X, and NEG.
        0x04 | 0x0c | 0x14 | 0x1c | 0x24 | 0x2c | 0x34 | 0x3c | 0x44 | 0x4c | 0x54 | 0x5c
            | 0x64 | 0x6c | 0x74 | 0x7c | 0x84 | 0x94 | 0x9c | 0xa4 | 0xac
            // LD: W/H/B ABS, W/H/B IND, W LEN, IMM, MEM.
            | 0x20 | 0x28 | 0x30 | 0x40 | 0x48 | 0x50 | 0x80 | 0x00 | 0x60
            // LDX: W LEN, B MSH, IMM, MEM.
            | 0x81 | 0xb1 | 0x01 | 0x61
            // ST, STX, TAX, TXA, RET K, RET A.
            | 0x02 | 0x03 | 0x07 | 0x87 | 0x06 | 0x16
            // JA, JEQ/JGT/JGE/JSET with K and X.
            | 0x05 | 0x15 | 0x1d | 0x25 | 0x2d | 0x35 | 0x3d | 0x45 | 0x4d
    )
}

/// `SKF_AD_OFF`: loads at and above this offset are ancillary data.
const SKF_AD_OFF: u32 = 0xffff_f000;

/// Whether `k` names an ancillary load the kernel knows (`SKF_AD_PROTOCOL`
/// … `SKF_AD_VLAN_TPID`, every 4 bytes from `SKF_AD_OFF`).
const fn ancillary(k: u32) -> bool {
    let n = k.wrapping_sub(SKF_AD_OFF);
    n < 64 && n.is_multiple_of(4)
}

/// The kernel's `check_load_and_stores`: no scratch slot may be read on a
/// path where it was not written first. One mask of valid slots per
/// instruction, on the stack (8 KiB at most).
fn check_scratch(insns: &[SockFilter]) -> Result<(), Error> {
    let mut masks = [u16::MAX; BPF_MAXINSNS];
    let mut valid: u16 = 0;
    for (pc, insn) in insns.iter().enumerate() {
        valid &= masks[pc];
        match insn.code {
            0x02 | 0x03 => valid |= 1 << insn.k,
            0x60 | 0x61 if valid & (1 << insn.k) == 0 => {
                return Err(Error::InvalidInput(
                    "BPF program: scratch slot read before written",
                ));
            }
            0x05 => {
                masks[pc + 1 + insn.k as usize] &= valid;
                valid = u16::MAX;
            }
            0x15 | 0x1d | 0x25 | 0x2d | 0x35 | 0x3d | 0x45 | 0x4d => {
                masks[pc + 1 + insn.jt as usize] &= valid;
                masks[pc + 1 + insn.jf as usize] &= valid;
                valid = u16::MAX;
            }
            _ => {}
        }
    }
    Ok(())
}

/// A classic BPF program the kernel will accept, as far as can be known
/// before asking it: checked once by [`Program::new`].
///
/// ```
/// use zerosock::packet::bpf::{Program, SockFilter as I};
/// // A jump past the end is refused here, before any system call.
/// assert!(Program::new(&[I::jeq(1, 5, 0), I::ret(0)]).is_err());
/// assert!(Program::new(&[I::ret(0)]).is_ok());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Program<'a> {
    insns: &'a [SockFilter],
}

impl<'a> Program<'a> {
    /// Checks `insns` as the kernel's `bpf_check_classic` would: 1 to
    /// [`BPF_MAXINSNS`] instructions, every opcode known, every jump landing
    /// inside the program, the last instruction a `ret`, no division or
    /// modulo by a zero constant, no shift by 32 or more, scratch slots
    /// below [`BPF_MEMWORDS`] and never read before written on any path,
    /// ancillary loads (`SKF_AD_*`) the kernel knows.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] saying what is wrong.
    pub fn new(insns: &'a [SockFilter]) -> Result<Self, Error> {
        if insns.is_empty() {
            return Err(Error::InvalidInput("BPF program: empty"));
        }
        if insns.len() > BPF_MAXINSNS {
            return Err(Error::InvalidInput(
                "BPF program: longer than BPF_MAXINSNS (4096)",
            ));
        }
        let len = insns.len();
        for (pc, insn) in insns.iter().enumerate() {
            let code = insn.code;
            if !known(code) {
                return Err(Error::InvalidInput("BPF program: unknown opcode"));
            }
            let class = code & 0x07;
            let op = code & 0xf0;
            if class == BPF_ALU && code & BPF_X == 0 {
                if (op == BPF_DIV || op == BPF_MOD) && insn.k == 0 {
                    return Err(Error::InvalidInput("BPF program: division by a zero constant"));
                }
                if (op == BPF_LSH || op == BPF_RSH) && insn.k >= 32 {
                    return Err(Error::InvalidInput("BPF program: shift by 32 or more"));
                }
            }
            let mem = matches!(code, 0x60 | 0x61 | 0x02 | 0x03);
            if mem && insn.k >= BPF_MEMWORDS {
                return Err(Error::InvalidInput("BPF program: scratch memory slot beyond 15"));
            }
            if (code & !0x18) == (BPF_LD | BPF_ABS) && insn.k >= SKF_AD_OFF && !ancillary(insn.k) {
                return Err(Error::InvalidInput("BPF program: unknown ancillary load"));
            }
            if class == BPF_JMP {
                let rest = (len - pc - 1) as u64;
                let bad = if op == BPF_JA {
                    u64::from(insn.k) >= rest
                } else {
                    u64::from(insn.jt) >= rest || u64::from(insn.jf) >= rest
                };
                if bad {
                    return Err(Error::InvalidInput("BPF program: jump beyond the end"));
                }
            }
        }
        if insns[len - 1].code & 0x07 != BPF_RET {
            return Err(Error::InvalidInput("BPF program: does not end with ret"));
        }
        check_scratch(insns)?;
        Ok(Self { insns })
    }

    /// The instructions.
    #[must_use]
    pub const fn instructions(&self) -> &'a [SockFilter] {
        self.insns
    }
}

/// Attaches `program` as the socket filter of any socket
/// (`SO_ATTACH_FILTER`): packets it returns 0 for are dropped before they
/// are queued; the kernel keeps its own copy.
///
/// # References
/// - [socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html)
#[doc(alias = "SO_ATTACH_FILTER")]
pub fn attach_filter(socket: &impl AsFd, program: &Program<'_>) -> Result<(), Errno> {
    sys::filter::set_program(
        socket.as_fd(),
        linux_raw_sys::net::SOL_SOCKET,
        linux_raw_sys::net::SO_ATTACH_FILTER,
        program.insns,
    )
}

/// Removes the socket's filter (`SO_DETACH_FILTER`); `ENOENT` if it has
/// none, `EPERM` if it is locked.
///
/// # References
/// - [socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html)
#[doc(alias = "SO_DETACH_FILTER")]
pub fn detach_filter(socket: &impl AsFd) -> Result<(), Errno> {
    sys::setsockopt(
        socket.as_fd(),
        linux_raw_sys::net::SOL_SOCKET,
        linux_raw_sys::net::SO_DETACH_FILTER,
        &0i32.to_ne_bytes(),
    )
}

/// Locks the socket's filter (`SO_LOCK_FILTER`): it can no longer be
/// changed or removed, for the socket's whole life.
///
/// # References
/// - [socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html)
#[doc(alias = "SO_LOCK_FILTER")]
pub fn lock_filter(socket: &impl AsFd) -> Result<(), Errno> {
    sys::setsockopt(
        socket.as_fd(),
        linux_raw_sys::net::SOL_SOCKET,
        linux_raw_sys::net::SO_LOCK_FILTER,
        &1i32.to_ne_bytes(),
    )
}

/// Attaches `program` as the `SO_REUSEPORT` group's selector
/// (`SO_ATTACH_REUSEPORT_CBPF`): its return value is the index of the
/// socket in the group that gets each packet or connection.
///
/// # References
/// - [socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html)
#[doc(alias = "SO_ATTACH_REUSEPORT_CBPF")]
pub fn attach_reuseport_cbpf(socket: &impl AsFd, program: &Program<'_>) -> Result<(), Errno> {
    sys::filter::set_program(
        socket.as_fd(),
        linux_raw_sys::net::SOL_SOCKET,
        linux_raw_sys::net::SO_ATTACH_REUSEPORT_CBPF,
        program.insns,
    )
}
