//! The browser entry point of the customer portal.

fn main() {
    console_error_panic_hook::set_once();
    portico::start();
}
