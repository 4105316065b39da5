//! The link arguments of the static examples (static-echo, static-http,
//! static-resolve): a static executable with no libc and no C start files
//! (the program brings its own `_start`), trimmed for size. Each one's
//! build.rs calls [`static_no_libc`]: given there rather than in
//! .cargo/config.toml so they apply however cargo is invoked.

/// Prints the link arguments for the package's binaries (not its build
/// script): the common recipe, then `extra`, then discard.ld, the
/// linker-script fragment beside this file.
pub fn static_no_libc(extra: &[&str]) {
    let common = [
        "-nostartfiles",         // our own _start: no crt1.o, crti.o, crtn.o
        "-nostdlib",             // no libc, no libgcc
        "-static",               // no dynamic loader: no PT_INTERP, no .dynamic
        "-no-pie",               // a fixed-address executable, nothing to relocate
        "-Wl,--build-id=none",   // no .note.gnu.build-id
        "-Wl,--no-eh-frame-hdr", // no .eh_frame_hdr (nothing unwinds)
    ];
    for arg in common.iter().chain(extra) {
        println!("cargo:rustc-link-arg-bins={arg}");
    }
    // Drops .eh_frame (core's code keeps unwind tables even with
    // panic = "abort") and the linker's .comment notes.
    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap();
    println!("cargo:rustc-link-arg-bins=-Wl,-T,{dir}/../static-common/discard.ld");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=../static-common/link.rs");
    println!("cargo:rerun-if-changed=../static-common/discard.ld");
}
