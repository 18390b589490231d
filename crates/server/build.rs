//! `sqlx::migrate!` reads the migrations when the server compiles: a migration added or changed
//! must rebuild it (sqlx's advice), or the binary keeps the old set.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
