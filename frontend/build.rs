//! Keeps the linker's relocations in the browser bundle: `wasm-split` (run by the `x` script's
//! `build_front`) needs them to move lazily loaded pages into their own chunks. Set here rather than
//! in RUSTFLAGS so that only this crate's final link changes and no dependency is rebuilt.
fn main() {
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg=--emit-relocs");
    }
}
