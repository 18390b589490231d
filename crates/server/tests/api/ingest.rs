//! The retailer's data in: integration keys (admins only, the secret told once, rotated and
//! revoked), signed requests (a wrong signature, a stale timestamp and a replay each refused
//! with a problem document), customers and orders by the retailer's ids that their customer then
//! sees, writes that are idempotent and tolerate disorder, bad records refused by field while the
//! others are kept, a delivery's consequences (survey, return window, tier spend), Kuaidi100's
//! push, and the command-line import through the same way in.

use crate::helpers::{client, problem_code, spawn, spawn_with, TestApp};
use crate::staff::desk;
use hmac::{Hmac, Mac};
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};

const ADMIN: usize = 3;
const EDITOR: usize = 0;

/// An integration key: its id and secret.
pub(crate) struct Key {
    id: String,
    secret: String,
}

/// Makes an integration key named `name` as the demo admin.
pub(crate) async fn key(app: &TestApp, name: &str) -> Key {
    let admin = desk(app, ADMIN).await;
    let made = admin
        .ok(
            app,
            Method::POST,
            "/api/staff/integrations",
            Some(json!({ "name": name })),
        )
        .await;
    Key {
        id: made["key"]["key_id"].as_str().unwrap().to_string(),
        secret: made["secret"].as_str().unwrap().to_string(),
    }
}

/// Hex HMAC-SHA256 of `METHOD\nPATH\nTIMESTAMP\n` + body, as a retailer's system computes it.
pub(crate) fn hmac_hex(secret: &str, path: &str, timestamp: &str, body: &str) -> String {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("POST\n{path}\n{timestamp}\n{body}").as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// POSTs `body` to `path` with the headers given as (key id, timestamp, signature).
async fn post_signed_as(
    app: &TestApp,
    path: &str,
    body: &str,
    (key_id, timestamp, signature): (&str, &str, &str),
) -> Response {
    client()
        .post(app.url(path))
        .header("content-type", "application/json")
        .header("x-portico-key", key_id)
        .header("x-portico-timestamp", timestamp)
        .header("x-portico-signature", signature)
        .body(body.to_string())
        .send()
        .await
        .unwrap()
}

/// POSTs `body` to `path`, signed now with `key`. (The service's clock moves on a second first:
/// the same body sent twice within a second would be one signature, a replay.)
async fn send(app: &TestApp, key: &Key, path: &str, body: &Value) -> Response {
    app.state.clock.advance(1);
    let body = body.to_string();
    let timestamp = app.state.clock.now().to_string();
    let signature = hmac_hex(&key.secret, path, &timestamp, &body);
    post_signed_as(app, path, &body, (&key.id, &timestamp, &signature)).await
}

/// Sends `records` to `/api/ingest/{what}`; the status and the report (a 422's `report`).
pub(crate) async fn ingest(
    app: &TestApp,
    key: &Key,
    what: &str,
    records: Value,
) -> (StatusCode, Value) {
    let answer = send(
        app,
        key,
        &format!("/api/ingest/{what}"),
        &json!({ "records": records }),
    )
    .await;
    let status = answer.status();
    let body: Value = answer.json().await.unwrap();
    let report = if status == StatusCode::OK {
        body
    } else {
        assert_eq!(body["code"], "invalid_record", "{body}");
        body["report"].clone()
    };
    (status, report)
}

fn outcomes(report: &Value) -> Vec<&str> {
    report["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["outcome"].as_str().unwrap())
        .collect()
}

pub(crate) fn customer(id: &str, email: &str, phone: &str, updated_at: &str) -> Value {
    json!({ "id": id, "updated_at": updated_at, "name": "赵敏", "email": email, "phone": phone })
}

/// An order of `customer` with one parcel `{id}-P1` (no checkpoint yet) holding both its lines.
pub(crate) fn order(id: &str, number: &str, customer: &str, updated_at: &str) -> Value {
    json!({
        "id": id,
        "updated_at": updated_at,
        "number": number,
        "customer": customer,
        "placed_at": "2026-12-01T02:00:00Z",
        "payment_state": "paid",
        "amounts": { "subtotal": 129900, "shipping": 0, "discount": 0, "total": 129900 },
        "address": { "recipient": "赵敏", "phone": "13500001111", "province": "江苏省",
                     "city": "南京市", "district": "鼓楼区", "street": "中山北路 1 号" },
        "items": [
            { "sku": "R-1", "name": { "zh-CN": "羊绒大衣", "en": "Cashmere coat" },
              "variant": { "zh-CN": "驼色 M" }, "quantity": 1, "unit_price": 119900,
              "shipment": format!("{id}-P1") },
            { "sku": "R-2", "name": { "en": "Gift card" }, "quantity": 1, "unit_price": 10000,
              "final_sale": true, "shipment": format!("{id}-P1") }
        ],
        "shipments": [
            { "id": format!("{id}-P1"), "carrier": "sf_express", "tracking_number": format!("SF{}", &number[2..]),
              "estimated_delivery": "2026-12-09" }
        ]
    })
}

fn checkpoint(shipment: &str, at: &str, event: &str, location: &str) -> Value {
    json!({ "shipment": shipment, "at": at, "event": event, "location": location })
}

const ZHAO: &str = "zhao.min@example.com";

/// A key, the customer Zhao and her order `R-1001` (`PT30000001`).
async fn zhao_and_her_order(app: &TestApp) -> Key {
    let key = key(app, "Order system").await;
    let (status, report) = ingest(
        app,
        &key,
        "customers",
        json!([customer("C-1", ZHAO, "13500001111", "2026-12-01T00:00:00Z")]),
    )
    .await;
    assert_eq!((status, outcomes(&report)), (StatusCode::OK, vec!["added"]));
    let (status, report) = ingest(
        app,
        &key,
        "orders",
        json!([order("R-1001", "PT30000001", "C-1", "2026-12-01T02:00:00Z")]),
    )
    .await;
    assert_eq!((status, outcomes(&report)), (StatusCode::OK, vec!["added"]));
    key
}

async fn shipment_status(app: &TestApp, external_id: &str) -> (String, Option<i64>) {
    sqlx::query_as("SELECT status, delivered_at FROM shipments WHERE external_id = $1")
        .bind(external_id)
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn only_admins_make_keys_and_a_secret_is_told_once() {
    let app = spawn().await;
    let editor = desk(&app, EDITOR).await;
    let refused = editor
        .refused(
            &app,
            Method::POST,
            "/api/staff/integrations",
            Some(json!({ "name": "ERP" })),
        )
        .await;
    assert_eq!(refused, (StatusCode::FORBIDDEN, "forbidden".into()));
    let made = key(&app, "ERP").await;
    assert!(made.id.starts_with("ik_") && made.secret.len() == 64);
    let admin = desk(&app, ADMIN).await;
    let listed = admin
        .ok(&app, Method::GET, "/api/staff/integrations", None)
        .await;
    assert_eq!(listed["keys"][0]["key_id"], made.id.as_str());
    assert!(!listed.to_string().contains(&made.secret));
    // One live key per integration.
    let again = admin
        .refused(
            &app,
            Method::POST,
            "/api/staff/integrations",
            Some(json!({ "name": "ERP" })),
        )
        .await;
    assert_eq!(again, (StatusCode::CONFLICT, "integration_exists".into()));
    let blank = admin
        .refused(
            &app,
            Method::POST,
            "/api/staff/integrations",
            Some(json!({ "name": "  " })),
        )
        .await;
    assert_eq!(blank, (StatusCode::BAD_REQUEST, "bad_request".into()));
}

#[tokio::test]
async fn a_rotated_secret_and_a_revoked_key_sign_nothing() {
    let app = spawn().await;
    let old = key(&app, "ERP").await;
    let records = json!([customer(
        "C-9",
        "c9@example.com",
        "13500009999",
        "2026-12-01T00:00:00Z"
    )]);
    let admin = desk(&app, ADMIN).await;
    let id = admin
        .ok(&app, Method::GET, "/api/staff/integrations", None)
        .await["keys"][0]["id"]
        .as_i64()
        .unwrap();
    let rotated = admin
        .ok(
            &app,
            Method::POST,
            &format!("/api/staff/integrations/{id}/rotate"),
            None,
        )
        .await;
    let new = Key {
        id: rotated["key"]["key_id"].as_str().unwrap().to_string(),
        secret: rotated["secret"].as_str().unwrap().to_string(),
    };
    assert_eq!(new.id, old.id);
    assert_ne!(new.secret, old.secret);
    let body = json!({ "records": records });
    let with_old = send(&app, &old, "/api/ingest/customers", &body).await;
    assert_eq!(
        problem_code(with_old).await,
        (StatusCode::UNAUTHORIZED, "invalid_signature".into())
    );
    let with_new = send(&app, &new, "/api/ingest/customers", &body).await;
    assert_eq!(with_new.status(), StatusCode::OK);
    admin
        .ok(
            &app,
            Method::POST,
            &format!("/api/staff/integrations/{id}/revoke"),
            None,
        )
        .await;
    let revoked = send(&app, &new, "/api/ingest/customers", &body).await;
    assert_eq!(
        problem_code(revoked).await,
        (StatusCode::UNAUTHORIZED, "invalid_signature".into())
    );
    let audit: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit_log WHERE action LIKE 'integration_key_%' ORDER BY id",
    )
    .fetch_all(&app.state.db)
    .await
    .unwrap();
    assert_eq!(
        audit,
        [
            "integration_key_added",
            "integration_key_rotated",
            "integration_key_revoked"
        ]
    );
}

#[tokio::test]
async fn a_wrong_signature_a_stale_timestamp_and_a_replay_are_refused() {
    let app = spawn().await;
    let key = key(&app, "ERP").await;
    let path = "/api/ingest/customers";
    let body = json!({ "records": [customer("C-1", ZHAO, "13500001111", "2026-12-01T00:00:00Z")] })
        .to_string();
    let now = app.state.clock.now().to_string();
    let right = hmac_hex(&key.secret, path, &now, &body);
    // Nothing signed, a signature of another body, another path, another key.
    let unsigned = client()
        .post(app.url(path))
        .header("content-type", "application/json")
        .body(body.clone())
        .send()
        .await
        .unwrap();
    let other_body = hmac_hex(&key.secret, path, &now, "{}");
    let other_path = hmac_hex(&key.secret, "/api/ingest/orders", &now, &body);
    let other_key = hmac_hex(&"0".repeat(64), path, &now, &body);
    assert_eq!(
        problem_code(unsigned).await,
        (StatusCode::UNAUTHORIZED, "invalid_signature".into())
    );
    for wrong in [&other_body, &other_path, &other_key, "not hex"] {
        let answer = post_signed_as(&app, path, &body, (&key.id, &now, wrong)).await;
        assert_eq!(
            problem_code(answer).await,
            (StatusCode::UNAUTHORIZED, "invalid_signature".into()),
            "{wrong}"
        );
    }
    let unknown = post_signed_as(&app, path, &body, ("ik_nobody", &now, &right)).await;
    assert_eq!(
        problem_code(unknown).await,
        (StatusCode::UNAUTHORIZED, "invalid_signature".into())
    );
    // Signed right, but six minutes old (or ahead): stale.
    for skew in [-360, 360] {
        let then = (app.state.clock.now() + skew).to_string();
        let signature = hmac_hex(&key.secret, path, &then, &body);
        let stale = post_signed_as(&app, path, &body, (&key.id, &then, &signature)).await;
        assert_eq!(
            problem_code(stale).await,
            (StatusCode::UNAUTHORIZED, "stale_request".into())
        );
    }
    // Within the window: taken once, then the same request again is a replay.
    let first = post_signed_as(&app, path, &body, (&key.id, &now, &right)).await;
    assert_eq!(first.status(), StatusCode::OK);
    let replay = post_signed_as(&app, path, &body, (&key.id, &now, &right)).await;
    assert_eq!(
        problem_code(replay).await,
        (StatusCode::CONFLICT, "replayed_request".into())
    );
    assert_eq!(
        crate::helpers::count(
            &app,
            "SELECT COUNT(*) FROM customers WHERE external_id = 'C-1'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn a_customer_and_her_order_arrive_and_she_sees_them() {
    let app = spawn().await;
    let key = zhao_and_her_order(&app).await;
    let (status, report) = ingest(
        &app,
        &key,
        "checkpoints",
        json!([
            checkpoint(
                "R-1001-P1",
                "2026-12-01T08:00:00Z",
                "picked_up",
                "南京 仓库"
            ),
            checkpoint(
                "R-1001-P1",
                "2026-12-02T08:00:00Z",
                "arrived_facility",
                "南京 转运中心"
            ),
        ]),
    )
    .await;
    assert_eq!(
        (status, outcomes(&report)),
        (StatusCode::OK, vec!["added", "added"])
    );
    let browser = client();
    app.sign_in(&browser, ZHAO).await;
    assert_eq!(app.order_numbers(&browser).await, ["PT30000001"]);
    let detail: Value = app.get_json(&browser, "/api/orders/PT30000001").await;
    assert_eq!(detail["amounts"]["total"], 129900);
    assert_eq!(detail["items"][0]["name"]["en"], "Cashmere coat");
    assert_eq!(detail["items"][1]["final_sale"], true);
    let parcel = &detail["shipments"][0];
    assert_eq!(parcel["carrier"], "sf_express");
    assert_eq!(parcel["status"], "in_transit");
    assert_eq!(parcel["checkpoints"][0]["location"], "南京 转运中心");
    assert_eq!(parcel["checkpoints"].as_array().unwrap().len(), 2);
    assert_eq!(parcel["items"].as_array().unwrap().len(), 2);
    // Her phone proves the order to a guest too.
    let guest = app
        .post(
            &client(),
            "/api/guest/lookup",
            json!({ "order_number": "PT30000001", "contact": "13500001111" }),
        )
        .await;
    assert_eq!(guest.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_same_records_twice_change_nothing_and_older_ones_are_ignored() {
    let app = spawn().await;
    let key = zhao_and_her_order(&app).await;
    // The same order again, and the same customer again: unchanged.
    let same = order("R-1001", "PT30000001", "C-1", "2026-12-01T02:00:00Z");
    let (_, report) = ingest(&app, &key, "orders", json!([same])).await;
    assert_eq!(outcomes(&report), ["unchanged"]);
    let (_, report) = ingest(
        &app,
        &key,
        "customers",
        json!([customer("C-1", ZHAO, "13500001111", "2026-12-01T00:00:00Z")]),
    )
    .await;
    assert_eq!(outcomes(&report), ["unchanged"]);
    // A newer version is taken; an older one after it changes nothing.
    let mut newer = order("R-1001", "PT30000001", "C-1", "2026-12-03T00:00:00Z");
    newer["payment_state"] = json!("partially_refunded");
    let mut older = order("R-1001", "PT30000001", "C-1", "2026-12-02T00:00:00Z");
    older["payment_state"] = json!("refunded");
    let (_, report) = ingest(&app, &key, "orders", json!([newer, older])).await;
    assert_eq!(outcomes(&report), ["updated", "unchanged"]);
    let payment: String =
        sqlx::query_scalar("SELECT payment_state FROM orders WHERE external_id = 'R-1001'")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(payment, "partially_refunded");
    assert_eq!(
        crate::helpers::count(&app, "SELECT COUNT(*) FROM order_items").await
            - crate::helpers::count(
                &app,
                "SELECT COUNT(*) FROM order_items i JOIN orders o ON o.id = i.order_id WHERE o.external_id IS NULL"
            )
            .await,
        2
    );
    // Checkpoints out of order: the newest moves the parcel, an older one arriving later joins
    // the history without moving it back, the same one twice is kept once.
    let out = checkpoint(
        "R-1001-P1",
        "2026-12-03T09:00:00Z",
        "out_for_delivery",
        "鼓楼营业部",
    );
    let earlier = checkpoint(
        "R-1001-P1",
        "2026-12-02T09:00:00Z",
        "arrived_facility",
        "南京",
    );
    let (_, report) = ingest(&app, &key, "checkpoints", json!([out.clone()])).await;
    assert_eq!(outcomes(&report), ["added"]);
    let (_, report) = ingest(&app, &key, "checkpoints", json!([earlier, out])).await;
    assert_eq!(outcomes(&report), ["added", "unchanged"]);
    assert_eq!(
        shipment_status(&app, "R-1001-P1").await,
        ("out_for_delivery".into(), None)
    );
    assert_eq!(
        crate::helpers::count(
            &app,
            "SELECT COUNT(*) FROM checkpoints c JOIN shipments s ON s.id = c.shipment_id WHERE s.external_id = 'R-1001-P1'"
        )
        .await,
        2
    );
}

#[tokio::test]
async fn bad_records_are_refused_by_field_and_the_others_kept() {
    let app = spawn().await;
    let key = key(&app, "ERP").await;
    let mut no_email = customer(
        "C-2",
        "x@example.com",
        "13500002222",
        "2026-12-01T00:00:00Z",
    );
    no_email.as_object_mut().unwrap().remove("email");
    let bad_phone = customer("C-3", "c3@example.com", "12345", "2026-12-01T00:00:00Z");
    let taken_email = customer(
        "C-4",
        "li.na@example.com",
        "13500004444",
        "2026-12-01T00:00:00Z",
    );
    let (status, report) = ingest(
        &app,
        &key,
        "customers",
        json!([
            no_email,
            customer("C-1", ZHAO, "13500001111", "2026-12-01T00:00:00Z"),
            bad_phone,
            taken_email,
            "not a record"
        ]),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        outcomes(&report),
        ["refused", "added", "refused", "refused", "refused"]
    );
    assert_eq!(
        (report["added"].as_u64(), report["refused"].as_u64()),
        (Some(1), Some(4))
    );
    let field = |i: usize| report["records"][i]["problem"]["field"].as_str().unwrap();
    assert_eq!(report["records"][0]["id"], "C-2");
    assert_eq!(field(0), "email");
    assert_eq!(report["records"][0]["problem"]["code"], "invalid_record");
    assert!(report["records"][0]["problem"]["detail"]
        .as_str()
        .unwrap()
        .contains("email"));
    assert_eq!(field(2), "phone");
    assert_eq!(field(3), "email");
    assert_eq!(
        crate::helpers::count(
            &app,
            "SELECT COUNT(*) FROM customers WHERE external_id IS NOT NULL"
        )
        .await,
        1
    );
    // An order naming nobody, one with a line in no parcel of it, next to a good one.
    let nobody = order("R-1", "PT30000011", "C-404", "2026-12-01T00:00:00Z");
    let mut stray = order("R-2", "PT30000012", "C-1", "2026-12-01T00:00:00Z");
    stray["items"][0]["shipment"] = json!("elsewhere");
    let good = order("R-3", "PT30000013", "C-1", "2026-12-01T00:00:00Z");
    let mut no_quantity = order("R-4", "PT30000014", "C-1", "2026-12-01T00:00:00Z");
    no_quantity["items"][1]
        .as_object_mut()
        .unwrap()
        .remove("quantity");
    let (status, report) = ingest(
        &app,
        &key,
        "orders",
        json!([nobody, stray, good, no_quantity]),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        outcomes(&report),
        ["refused", "refused", "added", "refused"]
    );
    assert_eq!(report["records"][0]["problem"]["field"], "customer");
    assert_eq!(report["records"][1]["problem"]["field"], "items/0/shipment");
    assert_eq!(report["records"][3]["problem"]["field"], "items/1/quantity");
    // A refused order left nothing behind.
    assert_eq!(
        crate::helpers::count(
            &app,
            "SELECT COUNT(*) FROM orders WHERE external_id IS NOT NULL"
        )
        .await,
        1
    );
    // Not a batch at all: the request's 422, nothing taken.
    let empty = send(&app, &key, "/api/ingest/orders", &json!({ "records": [] })).await;
    assert_eq!(
        problem_code(empty).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "bad_request".into())
    );
}

#[tokio::test]
async fn a_delivery_invites_opens_the_return_window_and_counts_towards_the_tier() {
    let app = spawn().await;
    let key = zhao_and_her_order(&app).await;
    let browser = client();
    app.sign_in(&browser, ZHAO).await;
    let before: Value = app
        .get_json(&browser, "/api/orders/PT30000001/returnable")
        .await;
    assert_eq!(before["items"][0]["returnable_quantity"], 0, "{before}");
    let now = app.state.clock.now();
    let at = portico_server::clock::rfc3339(now - 3600).0;
    let (_, report) = ingest(
        &app,
        &key,
        "checkpoints",
        json!([checkpoint("R-1001-P1", &at, "delivered", "鼓楼营业部")]),
    )
    .await;
    assert_eq!(outcomes(&report), ["added"]);
    assert_eq!(
        shipment_status(&app, "R-1001-P1").await,
        ("delivered".into(), Some(now - 3600))
    );
    let invited = crate::helpers::count(
        &app,
        "SELECT COUNT(*) FROM survey_invitations WHERE touchpoint = 'delivery' AND reference = 'PT30000001'",
    )
    .await;
    assert_eq!(invited, 1);
    let after: Value = app
        .get_json(&browser, "/api/orders/PT30000001/returnable")
        .await;
    assert_eq!(after["items"][0]["returnable_quantity"], 1, "{after}");
    let loyalty: Value = app.get_json(&browser, "/api/loyalty/me").await;
    assert_eq!(loyalty["pending_spend"], 129900, "{loyalty}");
    // Delivered again (another scan): nothing more.
    let later = portico_server::clock::rfc3339(now - 60).0;
    ingest(
        &app,
        &key,
        "checkpoints",
        json!([checkpoint("R-1001-P1", &later, "delivered", "鼓楼营业部")]),
    )
    .await;
    assert_eq!(shipment_status(&app, "R-1001-P1").await.1, Some(now - 3600));
    assert_eq!(
        crate::helpers::count(
            &app,
            "SELECT COUNT(*) FROM survey_invitations WHERE reference = 'PT30000001'"
        )
        .await,
        1
    );
}

/// A Kuaidi100 push as recorded in `fixtures/`, its `lastResult.nu` made `nu`.
pub(crate) fn kuaidi100_param(fixture: &str, nu: &str) -> String {
    let text = std::fs::read_to_string(format!(
        "{}/tests/api/fixtures/{fixture}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let mut param: Value = serde_json::from_str(&text).unwrap();
    param["lastResult"]["nu"] = json!(nu);
    param.to_string()
}

pub(crate) fn md5_sign(param: &str, salt: &str) -> String {
    use md5::Digest;
    hex::encode_upper(md5::Md5::digest(format!("{param}{salt}").as_bytes()))
}

async fn push(app: &TestApp, param: &str, sign: &str) -> Response {
    client()
        .post(app.url("/api/ingest/kuaidi100"))
        .form(&[("param", param), ("sign", sign)])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn kuaidi100_pushes_move_the_parcel_once() {
    const SALT: &str = "portico-test-salt";
    let app = spawn_with(|config| config.kuaidi100_salt = Some(SALT.into())).await;
    zhao_and_her_order(&app).await;
    // Signed in first: the survey the delivery brings is a message to her too.
    let browser = client();
    app.sign_in(&browser, ZHAO).await;
    let nu = "SF30000001";
    // On its way (state 0), as recorded from Kuaidi100's documentation.
    let param = kuaidi100_param("kuaidi100_in_transit.json", nu);
    let wrong = push(&app, &param, &md5_sign(&param, "another salt")).await;
    assert_eq!(
        problem_code(wrong).await,
        (StatusCode::UNAUTHORIZED, "invalid_signature".into())
    );
    let lower = push(&app, &param, &md5_sign(&param, SALT).to_lowercase()).await;
    assert_eq!(lower.status(), StatusCode::UNAUTHORIZED);
    let taken = push(&app, &param, &md5_sign(&param, SALT)).await;
    assert_eq!(taken.status(), StatusCode::OK);
    let answer: Value = taken.json().await.unwrap();
    assert_eq!(
        (answer["result"].clone(), answer["returnCode"].clone()),
        (json!(true), json!("200"))
    );
    assert_eq!(shipment_status(&app, "R-1001-P1").await.0, "in_transit");
    let checkpoints = "SELECT COUNT(*) FROM checkpoints c JOIN shipments s ON s.id = c.shipment_id WHERE s.external_id = 'R-1001-P1'";
    assert_eq!(crate::helpers::count(&app, checkpoints).await, 3);
    // Pushed again: the same three.
    let again = push(&app, &param, &md5_sign(&param, SALT)).await;
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(crate::helpers::count(&app, checkpoints).await, 3);
    // Signed for (state 3): delivered, with the two new entries; the survey follows.
    let param = kuaidi100_param("kuaidi100_delivered.json", nu);
    let delivered: Value = push(&app, &param, &md5_sign(&param, SALT))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(delivered["result"], true);
    let (status, delivered_at) = shipment_status(&app, "R-1001-P1").await;
    assert_eq!(status, "delivered");
    // 2026-12-04 15:20:05 in China.
    assert_eq!(delivered_at, Some(1_796_368_805));
    assert_eq!(crate::helpers::count(&app, checkpoints).await, 5);
    let detail: Value = app.get_json(&browser, "/api/orders/PT30000001").await;
    let newest = &detail["shipments"][0]["checkpoints"][0];
    assert_eq!(newest["event"], "delivered");
    assert_eq!(newest["location"], "江苏省南京市鼓楼区");
    // A push that only says the subscription ended (no lastResult): taken, nothing to do.
    let ended = r#"{"status":"abort","billstatus":"","message":"3天查询无记录"}"#;
    let answer: Value = push(&app, ended, &md5_sign(ended, SALT))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(answer["result"], true);
    // A parcel nobody sent yet: result false, so Kuaidi100 pushes again later.
    let param = kuaidi100_param("kuaidi100_in_transit.json", "SF99999999");
    let unknown: Value = push(&app, &param, &md5_sign(&param, SALT))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (unknown["result"].clone(), unknown["returnCode"].clone()),
        (json!(false), json!("500"))
    );
}

#[tokio::test]
async fn without_a_salt_kuaidi100_pushes_are_not_taken() {
    let app = spawn().await;
    let param = kuaidi100_param("kuaidi100_in_transit.json", "SF1");
    let answer = push(&app, &param, &md5_sign(&param, "")).await;
    assert_eq!(
        problem_code(answer).await,
        (StatusCode::NOT_FOUND, "disabled".into())
    );
}

#[tokio::test]
async fn an_import_goes_the_same_way_in() {
    use portico_server::ingest::{import, Kind};
    let app = spawn().await;
    let customers = [
        customer("C-1", ZHAO, "13500001111", "2026-12-01T00:00:00Z").to_string(),
        String::new(),
        "{not json".to_string(),
        customer("C-2", "c2@example.com", "1350000", "2026-12-01T00:00:00Z").to_string(),
    ]
    .join("\n");
    let summary = import::import(
        &app.state,
        customers.as_bytes(),
        None,
        Kind::Customers,
        2,
        false,
    )
    .await
    .unwrap();
    assert_eq!((summary.added, summary.refused.len()), (1, 2));
    assert_eq!(summary.refused[0].0, 3);
    assert_eq!(summary.refused[1].0, 4);
    assert!(
        summary.refused[1].2.starts_with("phone: "),
        "{:?}",
        summary.refused
    );
    let orders = (1..=5)
        .map(|n| {
            order(
                &format!("R-{n}"),
                &format!("PT4000000{n}"),
                "C-1",
                "2026-12-01T00:00:00Z",
            )
            .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n");
    let first = import::import(&app.state, orders.as_bytes(), None, Kind::Orders, 2, false)
        .await
        .unwrap();
    assert_eq!((first.added, first.unchanged), (5, 0));
    let again = import::import(&app.state, orders.as_bytes(), None, Kind::Orders, 2, false)
        .await
        .unwrap();
    assert_eq!((again.added, again.unchanged), (0, 5));
    let rendered = again.render();
    assert!(
        rendered.starts_with("added 0, updated 0, unchanged 5, refused 0"),
        "{rendered}"
    );
    assert_eq!(
        import::kind_of(std::path::Path::new("/tmp/customers-2026.jsonl"), None),
        Some(Kind::Customers)
    );
    assert_eq!(
        import::kind_of(std::path::Path::new("data.jsonl"), None),
        None
    );
}
