//! Link arguments for a static executable with no libc: the static
//! examples' recipe (../static-common/link.rs), plus `-Wl,-n`.
#[path = "../static-common/link.rs"]
mod link;

fn main() {
    // No page-alignment padding between segments: this program has code
    // only (the larger ones go without it: see their Cargo.toml).
    link::static_no_libc(&["-Wl,-n"]);
}
