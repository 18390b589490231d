//! The committed OpenAPI document must be what the code generates (`make openapi` rewrites it).

mod common;

use std::path::Path;

#[test]
fn the_committed_openapi_document_is_current() {
    let generated = portico_server::openapi::json();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi.json");
    if std::env::var("UPDATE_OPENAPI").is_ok_and(|v| v == "1") {
        std::fs::write(&path, format!("{generated}\n")).expect("openapi.json is writable");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        committed.trim_end(),
        generated.trim_end(),
        "crates/server/openapi.json is stale: run `make openapi`"
    );
}

#[tokio::test]
async fn the_server_publishes_the_same_document() {
    let app = common::spawn().await;
    let served: serde_json::Value = app.get_json(&common::client(), "/api/openapi.json").await;
    let generated: serde_json::Value =
        serde_json::from_str(&portico_server::openapi::json()).unwrap();
    assert_eq!(served, generated);
    assert!(served["paths"]["/api/orders/{number}"]["get"].is_object());
}
