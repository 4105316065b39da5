//! Link arguments for a static executable with no libc: the static
//! examples' recipe (../static-common/link.rs).
#[path = "../static-common/link.rs"]
mod link;

fn main() {
    link::static_no_libc(&[]);
}
