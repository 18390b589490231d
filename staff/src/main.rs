//! The staff app's wasm entry.

fn main() {
    portico_staff::start();
}
