//! Partners managed by admins: only admins, never a secret in a listing, a new partner's widget
//! working at once from its origins, origins kept as browsers send them, a disabled partner's
//! key answering 404, origins replaced, the identity secret rotated, the audit log, and a name
//! kept as the text it is.

use crate::helpers::{client, problem_code, spawn, TestApp};
use crate::staff::{desk, send, staff_browser, Desk};
use portico_server::widget::{identity, DEMO_PARTNER_KEY};
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};

const ADMIN: usize = 3;
const LI: &str = "li.na@example.com";

/// Adds a partner as this admin; its answer (the partner and its secret).
async fn add(desk: &Desk, app: &TestApp, name: &str, origins: &[&str]) -> Value {
    let answer = desk
        .call(
            app,
            Method::POST,
            "/api/staff/partners",
            Some(new_partner(name, origins)),
        )
        .await;
    assert_eq!(answer.status(), StatusCode::CREATED);
    answer.json().await.unwrap()
}

fn new_partner(name: &str, origins: &[&str]) -> Value {
    json!({
        "name": name,
        "origins": origins,
        "features": ["lookup", "tier_badge"],
        "accent": "#B4232A",
        "default_locale": "en",
    })
}

/// The widget's settings for `key` asked from a page at `origin`.
async fn widget_from(app: &TestApp, key: &str, origin: &str) -> Response {
    client()
        .get(app.url(&format!("/api/widget/{key}")))
        .header("origin", origin)
        .send()
        .await
        .unwrap()
}

async fn audit(app: &TestApp, key: &str) -> Vec<(String, Option<String>)> {
    sqlx::query_as("SELECT action, detail FROM audit_log WHERE target = $1 ORDER BY id")
        .bind(key)
        .fetch_all(&app.state.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn only_admins_manage_partners() {
    let app = spawn().await;
    let customer = client();
    app.sign_in(&customer, LI).await;
    let operations = [
        (Method::GET, "/api/staff/partners", None),
        (
            Method::POST,
            "/api/staff/partners",
            Some(new_partner("Roles", &["https://roles.example"])),
        ),
        (
            Method::PATCH,
            "/api/staff/partners/1",
            Some(json!({ "enabled": true })),
        ),
        (Method::POST, "/api/staff/partners/1/secret", None),
    ];
    for (method, path, body) in &operations {
        for browser in [&client(), &customer] {
            let refused = send(&app, browser, method.clone(), path, Some("x"), body.clone()).await;
            assert_eq!(
                problem_code(refused).await,
                (StatusCode::UNAUTHORIZED, "unauthorized".into()),
                "{method} {path}"
            );
        }
        for who in 0..ADMIN {
            let (browser, csrf) = staff_browser(&app, who).await;
            let refused = send(
                &app,
                &browser,
                method.clone(),
                path,
                Some(&csrf),
                body.clone(),
            )
            .await;
            assert_eq!(
                problem_code(refused).await,
                (StatusCode::FORBIDDEN, "forbidden".into()),
                "{who} {method} {path}"
            );
        }
        let admin = desk(&app, ADMIN).await;
        if *method != Method::GET {
            let refused = send(
                &app,
                &admin.browser,
                method.clone(),
                path,
                None,
                body.clone(),
            )
            .await;
            assert_eq!(
                problem_code(refused).await,
                (StatusCode::FORBIDDEN, "forbidden".into()),
                "no CSRF: {method} {path}"
            );
        }
        admin.ok(&app, method.clone(), path, body.clone()).await;
    }
}

#[tokio::test]
async fn the_list_shows_the_demo_partner_without_its_secret() {
    let app = spawn().await;
    let admin = desk(&app, ADMIN).await;
    let answer = admin
        .call(&app, Method::GET, "/api/staff/partners", None)
        .await;
    let text = answer.text().await.unwrap();
    let secret: String =
        sqlx::query_scalar("SELECT identity_secret FROM partners WHERE public_key = $1")
            .bind(DEMO_PARTNER_KEY)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert!(!text.contains(&secret));
    assert!(!text.contains("secret"));
    let list: Value = serde_json::from_str(&text).unwrap();
    let demo = &list["partners"][0];
    assert_eq!(demo["key"], DEMO_PARTNER_KEY);
    assert_eq!(
        demo["features"],
        json!(["lookup", "feedback", "survey", "tier_badge"])
    );
    assert_eq!(demo["accent"], "#1f6f4a");
    assert_eq!(demo["default_locale"], "zh-CN");
    assert_eq!(demo["active_survey"], "support");
    assert_eq!(demo["enabled"], true);
    assert!(demo["origins"]
        .as_array()
        .unwrap()
        .contains(&json!("http://127.0.0.1:8081")));
}

#[tokio::test]
async fn a_new_partners_widget_works_at_once_from_its_origins_only() {
    let app = spawn().await;
    let admin = desk(&app, ADMIN).await;
    let added = add(
        &admin,
        &app,
        "Blue Shop",
        &["https://Blue.Example", "http://localhost:3000"],
    )
    .await;
    let partner = &added["partner"];
    let key = partner["key"].as_str().unwrap();
    assert!(key.starts_with("pk_") && key.len() == 27, "{key}");
    assert_eq!(
        partner["origins"],
        json!(["http://localhost:3000", "https://blue.example"])
    );
    assert_eq!(partner["accent"], "#b4232a");
    assert_eq!(partner["enabled"], true);
    assert!(partner.get("active_survey").is_none());
    let secret = added["identity_secret"].as_str().unwrap();
    assert_eq!(secret.len(), 64);

    let settings = widget_from(&app, key, "https://blue.example").await;
    assert_eq!(settings.status(), StatusCode::OK);
    let settings: Value = settings.json().await.unwrap();
    assert_eq!(settings["partner"], "Blue Shop");
    assert_eq!(settings["features"], json!(["lookup", "tier_badge"]));
    assert_eq!(
        problem_code(widget_from(&app, key, "https://other.example").await).await,
        (StatusCode::FORBIDDEN, "forbidden".into())
    );
    // Its secret signs its visitors' identity tokens.
    let badge = client()
        .post(app.url(&format!("/api/widget/{key}/identity")))
        .header("origin", "http://localhost:3000")
        .json(&json!({ "token": identity::sign(secret, LI, app.state.clock.now() + 60) }))
        .send()
        .await
        .unwrap();
    assert_eq!(badge.status(), StatusCode::OK);
    assert_eq!(
        audit(&app, key).await,
        vec![(
            "partner_added".into(),
            Some("name: Blue Shop; origins: http://localhost:3000 https://blue.example".into())
        )]
    );
}

#[tokio::test]
async fn origins_are_kept_exactly_as_browsers_send_them() {
    let app = spawn().await;
    let admin = desk(&app, ADMIN).await;
    for wrong in [
        "https://a.example/path",
        "javascript:x",
        "https://a.example?x=1",
        "https://user@a.example",
        "a.example",
        "null",
    ] {
        let refused = admin
            .call(
                &app,
                Method::POST,
                "/api/staff/partners",
                Some(new_partner("Wrong", &["https://fine.example", wrong])),
            )
            .await;
        assert_eq!(
            problem_code(refused).await,
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid_origin".into()),
            "{wrong}"
        );
    }
    let added = add(
        &admin,
        &app,
        "Case",
        &[
            "http://A.example",
            "http://a.example",
            "https://a.example:443",
        ],
    )
    .await;
    assert_eq!(
        added["partner"]["origins"],
        json!(["http://a.example", "https://a.example"])
    );
    // Other refusals are bad requests.
    for body in [
        json!({ "name": " ", "origins": ["https://a.example"], "features": ["lookup"], "accent": "#000000", "default_locale": "en" }),
        json!({ "name": "x", "origins": [], "features": ["lookup"], "accent": "#000000", "default_locale": "en" }),
        json!({ "name": "x", "origins": ["https://a.example"], "features": [], "accent": "#000000", "default_locale": "en" }),
        json!({ "name": "x", "origins": ["https://a.example"], "features": ["lookup", "lookup"], "accent": "#000000", "default_locale": "en" }),
        json!({ "name": "x", "origins": ["https://a.example"], "features": ["lookup"], "accent": "red", "default_locale": "en" }),
        json!({ "name": "x".repeat(101), "origins": ["https://a.example"], "features": ["lookup"], "accent": "#000000", "default_locale": "en" }),
        json!({ "name": "a\u{7}b", "origins": ["https://a.example"], "features": ["lookup"], "accent": "#000000", "default_locale": "en" }),
    ] {
        let refused = admin
            .call(
                &app,
                Method::POST,
                "/api/staff/partners",
                Some(body.clone()),
            )
            .await;
        assert_eq!(
            problem_code(refused).await,
            (StatusCode::BAD_REQUEST, "bad_request".into()),
            "{body}"
        );
    }
    let made: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM partners")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(made, 2, "the demo partner and Case");
}

#[tokio::test]
async fn changes_apply_at_the_next_widget_request() {
    let app = spawn().await;
    let admin = desk(&app, ADMIN).await;
    let added = add(&admin, &app, "Green", &["https://old.example"]).await;
    let id = added["partner"]["id"].as_i64().unwrap();
    let key = added["partner"]["key"].as_str().unwrap().to_string();
    let path = format!("/api/staff/partners/{id}");

    let changed = admin
        .ok(
            &app,
            Method::PATCH,
            &path,
            Some(json!({ "origins": ["https://new.example"], "active_survey": "delivery", "features": ["survey", "lookup"] })),
        )
        .await;
    assert_eq!(changed["origins"], json!(["https://new.example"]));
    assert_eq!(changed["active_survey"], "delivery");
    assert_eq!(changed["name"], "Green");
    assert_eq!(
        problem_code(widget_from(&app, &key, "https://old.example").await).await,
        (StatusCode::FORBIDDEN, "forbidden".into())
    );
    let settings: Value = widget_from(&app, &key, "https://new.example")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(settings["features"], json!(["survey", "lookup"]));
    assert_eq!(settings["active_survey"], true);

    let cleared = admin
        .ok(
            &app,
            Method::PATCH,
            &path,
            Some(json!({ "clear_survey": true })),
        )
        .await;
    assert!(cleared.get("active_survey").is_none());
    let both = admin
        .call(
            &app,
            Method::PATCH,
            &path,
            Some(json!({ "clear_survey": true, "active_survey": "return" })),
        )
        .await;
    assert_eq!(
        problem_code(both).await,
        (StatusCode::BAD_REQUEST, "bad_request".into())
    );
    let bad_origin = admin
        .call(
            &app,
            Method::PATCH,
            &path,
            Some(json!({ "origins": ["https://new.example/"] })),
        )
        .await;
    assert_eq!(
        problem_code(bad_origin).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_origin".into())
    );

    let disabled = admin
        .ok(
            &app,
            Method::PATCH,
            &path,
            Some(json!({ "enabled": false })),
        )
        .await;
    assert_eq!(disabled["enabled"], false);
    assert_eq!(
        problem_code(widget_from(&app, &key, "https://new.example").await).await,
        (StatusCode::NOT_FOUND, "not_found".into())
    );
    let listed: Value = admin
        .ok(&app, Method::GET, "/api/staff/partners", None)
        .await;
    assert!(listed["partners"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["key"] == key.as_str() && p["enabled"] == false));

    let missing = admin
        .call(
            &app,
            Method::PATCH,
            "/api/staff/partners/999999",
            Some(json!({ "enabled": true })),
        )
        .await;
    assert_eq!(
        problem_code(missing).await,
        (StatusCode::NOT_FOUND, "not_found".into())
    );
    let entries = audit(&app, &key).await;
    let details: Vec<&str> = entries
        .iter()
        .filter(|(action, _)| action == "partner_changed")
        .filter_map(|(_, detail)| detail.as_deref())
        .collect();
    assert_eq!(
        details,
        vec![
            "origins: +https://new.example -https://old.example; features: lookup,tier_badge -> survey,lookup; active_survey: none -> delivery",
            "active_survey: delivery -> none",
            "enabled: false",
        ]
    );
}

#[tokio::test]
async fn a_rotated_secret_ends_the_old_ones_tokens() {
    let app = spawn().await;
    let admin = desk(&app, ADMIN).await;
    let added = add(&admin, &app, "Rotating", &["https://rotate.example"]).await;
    let id = added["partner"]["id"].as_i64().unwrap();
    let key = added["partner"]["key"].as_str().unwrap().to_string();
    let old = added["identity_secret"].as_str().unwrap().to_string();
    let rotated = admin
        .ok(
            &app,
            Method::POST,
            &format!("/api/staff/partners/{id}/secret"),
            None,
        )
        .await;
    let new = rotated["identity_secret"].as_str().unwrap();
    assert_ne!(new, old);
    assert_eq!(new.len(), 64);
    let badge = |secret: String| {
        let app = &app;
        let key = &key;
        async move {
            client()
                .post(app.url(&format!("/api/widget/{key}/identity")))
                .header("origin", "https://rotate.example")
                .json(&json!({ "token": identity::sign(&secret, LI, app.state.clock.now() + 60) }))
                .send()
                .await
                .unwrap()
        }
    };
    assert_eq!(
        problem_code(badge(old).await).await,
        (StatusCode::UNAUTHORIZED, "invalid_identity".into())
    );
    assert_eq!(badge(new.to_string()).await.status(), StatusCode::OK);
    let missing = admin
        .call(
            &app,
            Method::POST,
            "/api/staff/partners/999999/secret",
            None,
        )
        .await;
    assert_eq!(
        problem_code(missing).await,
        (StatusCode::NOT_FOUND, "not_found".into())
    );
    let actions: Vec<String> = audit(&app, &key)
        .await
        .into_iter()
        .map(|(a, _)| a)
        .collect();
    assert_eq!(actions, ["partner_added", "partner_secret_rotated"]);
    // The secret is told once: never in the log.
    let logged: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE detail LIKE $1")
        .bind(format!("%{new}%"))
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(logged, 0);
}

#[tokio::test]
async fn a_name_with_markup_is_kept_as_text() {
    let app = spawn().await;
    let admin = desk(&app, ADMIN).await;
    let name = "<script>alert(1)</script> & \"Co\"";
    let added = add(&admin, &app, name, &["https://markup.example"]).await;
    assert_eq!(added["partner"]["name"], name);
    let key = added["partner"]["key"].as_str().unwrap();
    let settings: Value = widget_from(&app, key, "https://markup.example")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(settings["partner"], name);
}
