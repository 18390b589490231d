//! The committed OpenAPI document must be what the code generates (`make openapi` rewrites it).

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
    let app = crate::helpers::spawn().await;
    let served: serde_json::Value = app
        .get_json(&crate::helpers::client(), "/api/openapi.json")
        .await;
    let generated: serde_json::Value =
        serde_json::from_str(&portico_server::openapi::json()).unwrap();
    assert_eq!(served, generated);
    assert!(served["paths"]["/api/orders/{number}"]["get"].is_object());
}

/// A pattern the document states for a request field, as a regular expression.
fn pattern(doc: &serde_json::Value, schema: &str, field: &str) -> regex::Regex {
    let pattern = doc["components"]["schemas"][schema]["properties"][field]["pattern"]
        .as_str()
        .unwrap_or_else(|| panic!("{schema}.{field} has a pattern"));
    regex::Regex::new(pattern).unwrap()
}

#[test]
fn the_documented_forms_are_exactly_what_the_service_takes() {
    use portico_api::{Contact, OrderNumber, SignInCode};
    let doc: serde_json::Value = serde_json::from_str(&portico_server::openapi::json()).unwrap();
    let contact_samples = [
        "13812345678",
        "19912345678",
        "12812345678",
        "1381234567",
        "138123456789",
        "+8613812345678",
        "138 1234 5678",
        "li.na@example.com",
        "Li.Na@Example.COM",
        "a+b_c%d-e@sub-domain.example.cn",
        "a@b",
        "a@b.",
        "a@.b",
        "a@b..c",
        "@b.c",
        "a b@c.d",
        "王@example.com",
        "a@例子.cn",
        " li.na@example.com",
        "li.na@example.com\n",
        "a@b_c.d",
        "",
    ];
    for (schema, field) in [
        ("CodeRequest", "contact"),
        ("VerifyRequest", "contact"),
        ("GuestLookupRequest", "contact"),
    ] {
        let documented = pattern(&doc, schema, field);
        for sample in contact_samples {
            assert_eq!(
                documented.is_match(sample),
                Contact::from_wire(sample).is_ok(),
                "{schema}.{field}: {sample:?}"
            );
        }
    }
    let numbers = pattern(&doc, "GuestLookupRequest", "order_number");
    for sample in [
        "PT20261001",
        "pt20261001",
        "PT2026100",
        "PT202610011",
        "PT2026-1001",
        "XX20261001",
        "",
    ] {
        assert_eq!(
            numbers.is_match(sample),
            OrderNumber::from_wire(sample).is_ok(),
            "{sample:?}"
        );
    }
    let codes = pattern(&doc, "VerifyRequest", "code");
    for sample in [
        "123456",
        "12345",
        "1234567",
        "12 456",
        "abcdef",
        "١٢٣٤٥٦",
        "",
    ] {
        assert_eq!(
            codes.is_match(sample),
            SignInCode::from_wire(sample).is_ok(),
            "{sample:?}"
        );
    }
}

#[test]
fn every_operation_has_its_own_id() {
    let doc: serde_json::Value = serde_json::from_str(&portico_server::openapi::json()).unwrap();
    let mut ids: Vec<&str> = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
        .filter_map(|operation| operation["operationId"].as_str())
        .collect();
    let count = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), count, "operation ids repeat: {ids:?}");
}

#[test]
fn a_feedback_text_is_documented_as_the_service_takes_it() {
    let doc: serde_json::Value = serde_json::from_str(&portico_server::openapi::json()).unwrap();
    let text = &doc["components"]["schemas"]["FeedbackRequest"]["properties"]["text"];
    assert_eq!(text["minLength"], 1);
    assert_eq!(text["maxLength"], portico_api::FEEDBACK_MAX_CHARS);
    let not_blank = pattern(&doc, "FeedbackRequest", "text");
    for sample in [
        "",
        " ",
        "\t\n",
        "\u{85}",
        "\u{a0}",
        "\u{3000}",
        "\u{2028}",
        "\u{feff}",
        "\u{200b}",
        "a",
        " a ",
        "好",
        "\u{3000}好",
    ] {
        assert_eq!(
            not_blank.is_match(sample),
            !sample.trim().is_empty(),
            "{sample:?}"
        );
    }
    let score = &doc["components"]["schemas"]["AnswerValue"]["oneOf"][0];
    assert_eq!(score["properties"]["score"]["maximum"], 255);
    assert_eq!(score["additionalProperties"], false);
}

#[test]
fn a_review_reason_is_documented_as_the_service_takes_it() {
    use portico_api::{decision_reason, DECISION_REASON_MAX_CHARS};
    let doc: serde_json::Value = serde_json::from_str(&portico_server::openapi::json()).unwrap();
    let reason = &doc["components"]["schemas"]["ReturnDecision"]["properties"]["reason"];
    assert_eq!(reason["maxLength"], DECISION_REASON_MAX_CHARS);
    let documented = pattern(&doc, "ReturnDecision", "reason");
    for sample in [
        "",
        "The seal is broken.",
        "耳机已拆封使用",
        "<script>alert(1)</script>",
        " \u{3000} ",
        "\u{a0}",
        "a\nb",
        "a\r\nb",
        "\t",
        "\u{0}",
        "\u{1f}",
        "\u{7f}",
        "\u{85}",
        "\u{9f}",
    ] {
        assert_eq!(
            documented.is_match(sample),
            decision_reason(Some(sample)).is_ok(),
            "{sample:?}"
        );
    }
}
