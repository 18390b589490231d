//! The browser entry point of the customer portal.

fn main() {
    // Readable panics in development; release builds abort without the formatting machinery.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    portico::start();
}
