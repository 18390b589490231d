//! The portal's wasm is linked with its relocations kept: scripts/split.py needs them to cut it
//! into chunks at its lazy routes (what is served has none). Only the portal's binary: the
//! widget's wasm goes through wasm-opt as linked, and binaryen cannot read a wasm with them.
fn main() {
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-bins=--emit-relocs");
    }
}
