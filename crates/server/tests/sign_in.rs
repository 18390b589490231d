//! The sign-in rules: six digits, ten minutes, single use, five tries, same answer for strangers.

mod common;

use common::{client, problem_code, spawn};
use reqwest::StatusCode;
use serde_json::{json, Value};

const WANG: &str = "wang.wei@example.com";

#[tokio::test]
async fn a_code_signs_in_once_and_sign_out_ends_the_session() {
    let app = spawn().await;
    let browser = client();
    app.sign_in(&browser, WANG).await;
    let session: Value = app.get_json(&browser, "/api/auth/session").await;
    assert_eq!(session["customer"]["name"], "王伟");

    // The same code again: used.
    let code = app.code_for(WANG).await;
    let again = app.verify(&client(), WANG, &code).await;
    assert_eq!(
        problem_code(again).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "code_expired".into())
    );

    let out = app.post(&browser, "/api/auth/sign-out", json!({})).await;
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    let session: Value = app.get_json(&browser, "/api/auth/session").await;
    assert_eq!(session, json!({ "customer": null }));
    assert_eq!(
        app.get(&browser, "/api/orders").await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_session_cookie_is_http_only_and_lax() {
    let app = spawn().await;
    let browser = client();
    let code = app.request_code(&browser, WANG).await;
    let verified = app.verify(&browser, WANG, &code).await;
    let cookie = verified.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie.starts_with("portico_session="), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
}

#[tokio::test]
async fn a_phone_number_works_like_the_email() {
    let app = spawn().await;
    let browser = client();
    let sent: Value = app
        .post(
            &browser,
            "/api/auth/code",
            json!({ "contact": "+86 138 1234 1234" }),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(sent["sent_to"], "138****1234");
    let code = app.code_for("13812341234").await;
    let verified = app.verify(&browser, "13812341234", &code).await;
    assert_eq!(verified.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_wrong_code_is_refused_and_five_wrong_tries_kill_the_code() {
    let app = spawn().await;
    let browser = client();
    let code = app.request_code(&browser, WANG).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for attempt in 1..=5 {
        let refused = app.verify(&browser, WANG, wrong).await;
        let expected = if attempt < 5 {
            "invalid_code"
        } else {
            "too_many_attempts"
        };
        assert_eq!(
            problem_code(refused).await,
            (StatusCode::UNPROCESSABLE_ENTITY, expected.into())
        );
    }
    let right_but_dead = app.verify(&browser, WANG, &code).await;
    assert_eq!(
        problem_code(right_but_dead).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "too_many_attempts".into())
    );

    // A new code starts over.
    let fresh = app.request_code(&browser, WANG).await;
    let verified = app.verify(&browser, WANG, &fresh).await;
    assert_eq!(verified.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_code_expires_after_ten_minutes() {
    let app = spawn().await;
    let browser = client();
    let code = app.request_code(&browser, WANG).await;
    app.state.clock.advance(10 * 60 + 1);
    let late = app.verify(&browser, WANG, &code).await;
    assert_eq!(
        problem_code(late).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "code_expired".into())
    );
}

#[tokio::test]
async fn strangers_get_the_same_answer_and_no_message() {
    let app = spawn().await;
    let known = app
        .post(
            &client(),
            "/api/auth/code",
            json!({ "contact": "wang.wei@example.com" }),
        )
        .await;
    let stranger = app
        .post(
            &client(),
            "/api/auth/code",
            json!({ "contact": "wxyz@example.com" }),
        )
        .await;
    assert_eq!(known.status(), stranger.status());
    let known: Value = known.json().await.unwrap();
    let stranger: Value = stranger.json().await.unwrap();
    assert_eq!(known["sent_to"], "w***@example.com");
    assert_eq!(stranger["sent_to"], "w***@example.com");
    assert_eq!(known["expires_in_secs"], stranger["expires_in_secs"]);
    let outbox: Vec<Value> = app.get_json(&client(), "/api/dev/outbox").await;
    assert!(outbox.iter().all(|m| m["to"] != "wxyz@example.com"));
    let verify = app.verify(&client(), "wxyz@example.com", "123456").await;
    assert_eq!(
        problem_code(verify).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_code".into())
    );
}

#[tokio::test]
async fn bad_input_gets_a_problem_document_not_a_500() {
    let app = spawn().await;
    let browser = client();
    let invalid = app
        .post(
            &browser,
            "/api/auth/code",
            json!({ "contact": "not a contact" }),
        )
        .await;
    assert_eq!(
        problem_code(invalid).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_contact".into())
    );
    // Bodies axum cannot read keep the status it chose, in our problem shape.
    for (content_type, body, status) in [
        (
            "application/json",
            "{not json".to_string(),
            StatusCode::BAD_REQUEST,
        ),
        (
            "text/plain",
            "{}".to_string(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            "application/json",
            format!("{{\"contact\":\"{}\"}}", "a".repeat(3 << 20)),
            StatusCode::PAYLOAD_TOO_LARGE,
        ),
    ] {
        let answer = app
            .post_raw(&browser, "/api/auth/code", content_type, body)
            .await;
        assert_eq!(
            problem_code(answer).await,
            (status, "bad_request".into()),
            "{status}"
        );
    }
    let missing_field = app
        .post(&browser, "/api/auth/verify", json!({ "contact": WANG }))
        .await;
    assert!(missing_field.status().is_client_error());
    let short_code = app.verify(&browser, WANG, "12").await;
    assert_eq!(
        problem_code(short_code).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_code".into())
    );
    let unknown = app.get(&browser, "/api/nothing-here").await;
    assert_eq!(
        problem_code(unknown).await,
        (StatusCode::NOT_FOUND, "not_found".into())
    );
    let bad_page = {
        app.sign_in(&browser, WANG).await;
        app.get(&browser, "/api/orders?page=0").await
    };
    assert_eq!(
        problem_code(bad_page).await,
        (StatusCode::BAD_REQUEST, "bad_request".into())
    );
    let not_a_number = app.get(&browser, "/api/orders?page=abc").await;
    assert_eq!(
        problem_code(not_a_number).await,
        (StatusCode::BAD_REQUEST, "bad_request".into())
    );
}

#[tokio::test]
async fn code_requests_are_limited_per_contact() {
    let app = spawn().await;
    for _ in 0..5 {
        let sent = app
            .post(&client(), "/api/auth/code", json!({ "contact": WANG }))
            .await;
        assert_eq!(sent.status(), StatusCode::ACCEPTED);
    }
    let limited = app
        .post(&client(), "/api/auth/code", json!({ "contact": WANG }))
        .await;
    let retry_after = limited.headers().get("retry-after").cloned();
    let body: Value = limited.json().await.unwrap();
    assert_eq!(body["code"], "rate_limited");
    assert_eq!(body["status"], 429);
    assert!(body["retry_after_secs"].as_u64().unwrap() > 0);
    assert!(retry_after.is_some());
    // Another contact from the same address is still fine.
    let other = app
        .post(
            &client(),
            "/api/auth/code",
            json!({ "contact": "li.na@example.com" }),
        )
        .await;
    assert_eq!(other.status(), StatusCode::ACCEPTED);
}

#[tokio::test]
async fn code_requests_are_limited_per_address() {
    let app = spawn().await;
    for i in 0..20 {
        let sent = app
            .post(
                &client(),
                "/api/auth/code",
                json!({ "contact": format!("someone{i}@example.com") }),
            )
            .await;
        assert_eq!(sent.status(), StatusCode::ACCEPTED);
    }
    let limited = app
        .post(
            &client(),
            "/api/auth/code",
            json!({ "contact": "x@example.com" }),
        )
        .await;
    assert_eq!(
        problem_code(limited).await,
        (StatusCode::TOO_MANY_REQUESTS, "rate_limited".into())
    );
}

#[tokio::test]
async fn the_outbox_is_off_unless_demo_mode_is_on() {
    let app = common::spawn_with(|config| config.demo = false).await;
    let outbox = app.get(&client(), "/api/dev/outbox").await;
    assert_eq!(
        problem_code(outbox).await,
        (StatusCode::NOT_FOUND, "disabled".into())
    );
    let advance = app
        .post(&client(), "/api/dev/advance-shipments", json!({}))
        .await;
    assert_eq!(
        problem_code(advance).await,
        (StatusCode::NOT_FOUND, "disabled".into())
    );
}
