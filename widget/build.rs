//! The widget's wasm is linked with its relocations kept, like the portal's: scripts/split.py
//! cuts it into chunks at its `#[lazy]` functions (what is served has none).
fn main() {
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-bins=--emit-relocs");
    }
}
