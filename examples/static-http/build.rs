//! Link arguments for a static executable with no libc and no C start
//! files (the program brings its own `_start`), trimmed for size. Given
//! here rather than in .cargo/config.toml so they apply however cargo is
//! invoked.
fn main() {
    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap();
    for arg in [
        "-nostartfiles",         // our own _start: no crt1.o, crti.o, crtn.o
        "-nostdlib",             // no libc, no libgcc
        "-static",               // no dynamic loader: no PT_INTERP, no .dynamic
        "-no-pie",               // a fixed-address executable, nothing to relocate
        "-Wl,--build-id=none",   // no .note.gnu.build-id
        "-Wl,--no-eh-frame-hdr", // no .eh_frame_hdr (nothing unwinds)
    ] {
        println!("cargo:rustc-link-arg-bins={arg}");
    }
    // Drops .eh_frame (core's code keeps unwind tables even with
    // panic = "abort") and the linker's .comment notes.
    println!("cargo:rustc-link-arg-bins=-Wl,-T,{dir}/discard.ld");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=discard.ld");
}
