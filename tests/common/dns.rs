//! A few DNS message helpers for the resolver tests: reading a query's ID
//! and question, and writing replies by hand (well-formed or not).

/// The ID of a query.
pub fn id(query: &[u8]) -> u16 {
    u16::from_be_bytes([query[0], query[1]])
}

/// The question section of a query (name, type, class), as bytes.
pub fn question(query: &[u8]) -> &[u8] {
    let mut pos = 12;
    while query[pos] != 0 {
        pos += 1 + query[pos] as usize;
    }
    &query[12..pos + 5]
}

/// The type asked for.
pub fn qtype(query: &[u8]) -> u16 {
    let q = question(query);
    u16::from_be_bytes([q[q.len() - 4], q[q.len() - 3]])
}

/// A reply to `query` with `rcode`, the TC bit if `tc`, and one A record
/// (owner: a pointer to the question's name) per address.
pub fn reply(query: &[u8], rcode: u8, tc: bool, addrs: &[[u8; 4]]) -> Vec<u8> {
    let mut m = Vec::new();
    m.extend_from_slice(&query[..2]);
    let flags: u16 = 0x8180 | if tc { 0x0200 } else { 0 } | u16::from(rcode);
    m.extend_from_slice(&flags.to_be_bytes());
    m.extend_from_slice(&1u16.to_be_bytes());
    m.extend_from_slice(&(addrs.len() as u16).to_be_bytes());
    m.extend_from_slice(&[0, 0, 0, 0]);
    m.extend_from_slice(question(query));
    for a in addrs {
        m.extend_from_slice(&[0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4]);
        m.extend_from_slice(a);
    }
    m
}
