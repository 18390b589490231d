//! The sign-in rules: six digits, ten minutes, single use, five tries however many race, the same
//! answers for strangers, and nobody can lock a customer out.

use crate::helpers::{
    answer, client, client_at, count, problem_code, set_cookie, spawn, spawn_with, TestApp,
};
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
    let code = app.expect_code_for(WANG, 0).await;
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
    let code = app.expect_code(&browser, WANG).await;
    let verified = app.verify(&browser, WANG, &code).await;
    let cookie = set_cookie(&verified, "portico_session").expect("the session cookie");
    assert!(cookie.starts_with("portico_session="), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
}

#[tokio::test]
async fn a_phone_number_works_like_the_email_in_its_exact_form() {
    let app = spawn().await;
    let browser = client();
    let after = app.newest_message().await;
    let sent: Value = app
        .request_code(&browser, "13812341234")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(sent["sent_to"], "138****1234");
    let code = app.expect_code_for("13812341234", after).await;
    let verified = app.verify(&browser, "13812341234", &code).await;
    assert_eq!(verified.status(), StatusCode::OK);
    // What people type is the app's to normalize: the wire takes the exact form only.
    let typed = app.request_code(&client(), "+86 138 1234 1234").await;
    assert_eq!(
        problem_code(typed).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_contact".into())
    );
}

#[tokio::test]
async fn a_wrong_code_is_refused_and_five_wrong_tries_kill_the_code() {
    let app = spawn().await;
    let browser = client();
    let code = app.expect_code(&browser, WANG).await;
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
    let fresh = app.expect_code(&browser, WANG).await;
    let verified = app.verify(&browser, WANG, &fresh).await;
    assert_eq!(verified.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_code_expires_after_ten_minutes() {
    let app = spawn().await;
    let browser = client();
    let code = app.expect_code(&browser, WANG).await;
    app.state.clock.advance(10 * 60 + 1);
    let late = app.verify(&browser, WANG, &code).await;
    assert_eq!(
        problem_code(late).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "code_expired".into())
    );
}

/// A code request's answer with its `delivery` (a random ticket, every request its own) set
/// aside: the status, the rest of the body byte for byte, and the ticket.
async fn code_answer(response: reqwest::Response) -> ((StatusCode, String), String) {
    let (status, body) = answer(response).await;
    let mut parsed: Value = serde_json::from_str(&body).unwrap();
    let delivery = parsed["delivery"].as_str().unwrap().to_string();
    assert_eq!(delivery.len(), 32);
    parsed["delivery"] = json!("");
    ((status, parsed.to_string()), delivery)
}

/// What the code request's ticket `delivery` reads, once its message was dealt with.
async fn delivered(app: &TestApp, delivery: &str) -> Value {
    for _ in 0..100 {
        let answer: Value = app
            .get_json(&client(), &format!("/api/auth/code/{delivery}"))
            .await;
        if answer["status"] != "pending" {
            return answer;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the code's message was not dealt with in 5 s");
}

#[tokio::test]
async fn strangers_get_the_same_answer_and_no_message() {
    let app = spawn().await;
    let stranger = app.request_code(&client(), "wxyz@example.com").await;
    let after = app.newest_message().await;
    let known = app.request_code(&client(), WANG).await;
    let (known, known_delivery) = code_answer(known).await;
    let (stranger, stranger_delivery) = code_answer(stranger).await;
    assert_eq!(known, stranger);
    // Messages go out in the order they were asked for: once the customer's is there, the
    // stranger's request has been dealt with too — and left nothing.
    app.expect_code_for(WANG, after).await;
    let outbox = app.outbox().await;
    assert!(outbox.iter().all(|m| m["to"] != "wxyz@example.com"));
    // Asked what became of them, both read as sent.
    assert_eq!(
        delivered(&app, &known_delivery).await,
        delivered(&app, &stranger_delivery).await
    );
    assert_eq!(delivered(&app, &known_delivery).await["status"], "sent");
}

/// The answers to six wrong guesses, one by one.
async fn six_wrong_guesses(app: &TestApp, contact: &str) -> Vec<(StatusCode, String)> {
    let mut answers = Vec::new();
    for _ in 0..6 {
        answers.push(answer(app.verify(&client(), contact, "000000").await).await);
    }
    answers
}

#[tokio::test]
async fn known_and_unknown_addresses_answer_alike_through_the_whole_sequence() {
    let app = spawn().await;
    // (The demo never hands out 000000 to Wang: his code is read back and must differ.)
    let known = "wang.wei@example.com";
    let unknown = "wxyz.wei@example.com";

    // Never asked: wrong.
    let never = (
        answer(app.verify(&client(), known, "000000").await).await,
        answer(app.verify(&client(), unknown, "000000").await).await,
    );
    assert_eq!(never.0, never.1);
    assert!(never.0 .1.contains("invalid_code"));

    // Asked: the same answer byte for byte (the masked address is the same: w***@example.com).
    let asked = (
        code_answer(app.request_code(&client(), known).await)
            .await
            .0,
        code_answer(app.request_code(&client(), unknown).await)
            .await
            .0,
    );
    assert_eq!(asked.0, asked.1);
    assert_eq!(asked.0 .0, StatusCode::ACCEPTED);
    let code = app.expect_code_for(known, 0).await;
    assert_ne!(code, "000000", "the guesses below must be wrong");

    // Wrong, wrong, wrong, wrong, spent (a fresh code is sent in its place), wrong (at the fresh
    // one) — the same for both.
    let guesses = six_wrong_guesses(&app, known).await;
    assert_eq!(guesses, six_wrong_guesses(&app, unknown).await);
    let codes: Vec<&str> = guesses
        .iter()
        .map(|(_, body)| {
            if body.contains("invalid_code") {
                "invalid_code"
            } else if body.contains("too_many_attempts") {
                "too_many_attempts"
            } else {
                "other"
            }
        })
        .collect();
    assert_eq!(
        codes,
        [
            "invalid_code",
            "invalid_code",
            "invalid_code",
            "invalid_code",
            "too_many_attempts",
            "invalid_code"
        ]
    );

    // Once the dead codes have expired: wrong again, for both.
    app.state.clock.advance(10 * 60 + 1);
    assert_eq!(
        answer(app.verify(&client(), known, "000000").await).await,
        answer(app.verify(&client(), unknown, "000000").await).await
    );
    // Only a caller who knows the code hears that it is dead.
    let right_but_dead = app.verify(&client(), known, &code).await;
    assert_eq!(
        problem_code(right_but_dead).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "too_many_attempts".into())
    );
}

#[tokio::test]
async fn a_used_or_expired_code_is_only_called_so_to_whoever_knows_it() {
    let app = spawn().await;
    app.sign_in(&client(), WANG).await;
    let used = app.expect_code_for(WANG, 0).await;
    let wrong = if used == "000000" { "111111" } else { "000000" };
    // A wrong guess after the code was used is "wrong", as for any address.
    let guess = app.verify(&client(), WANG, wrong).await;
    assert_eq!(
        problem_code(guess).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_code".into())
    );
    let again = app.verify(&client(), WANG, &used).await;
    assert_eq!(
        problem_code(again).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "code_expired".into())
    );
}

#[tokio::test]
async fn fifty_concurrent_wrong_guesses_are_judged_at_most_five_times_per_code() {
    let app = spawn_with(|config| config.trust_proxy = true).await;
    let code = app.expect_code(&client(), WANG).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    // From fifty addresses at once, so no requester's limit holds any back.
    let app = &app;
    let guesses = (0..50).map(|i| async move {
        let guesser = client_at(&format!("198.51.100.{}", 10 + i));
        let guess = app.verify(&guesser, WANG, wrong).await;
        problem_code(guess).await
    });
    let answers = futures_util::future::join_all(guesses).await;
    let judged_wrong = answers.iter().filter(|(_, c)| c == "invalid_code").count();
    let spent = answers
        .iter()
        .filter(|(_, c)| c == "too_many_attempts")
        .count();
    assert_eq!(judged_wrong + spent, 50, "{answers:?}");
    // Every code took at most five tries, and each spent one was replaced by a fresh one.
    let (most, codes, tries): (i64, i64, i64) =
        sqlx::query_as("SELECT CAST(MAX(attempts) AS BIGINT), COUNT(*), CAST(SUM(attempts) AS BIGINT) FROM sign_in_codes")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert!(most <= 5, "{most} tries at one code");
    let retired = count(app, "SELECT COUNT(*) FROM sign_in_codes WHERE attempts = 5").await;
    assert_eq!(codes, retired + 1, "{codes} codes, {retired} retired");
    // (A guess racing a replacement finds only the spent code, and hears "too many" too.)
    assert!(spent >= 1, "{answers:?}");
    assert!(tries <= 50, "{tries}");
    // The first code is dead to whoever knows it.
    let right = app.verify(&client(), WANG, &code).await;
    assert_eq!(
        problem_code(right).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "too_many_attempts".into())
    );
}

#[tokio::test]
async fn a_stranger_cannot_lock_the_owner_out_of_signing_in() {
    let app = spawn_with(|config| config.trust_proxy = true).await;
    let owner = client_at("203.0.113.7");
    let code = app.expect_code(&owner, WANG).await;

    // A stranger elsewhere asks for Wang's codes until refused.
    let stranger = client_at("198.51.100.9");
    let mut refused = None;
    for _ in 0..10 {
        let sent = app.request_code(&stranger, WANG).await;
        if sent.status() != StatusCode::ACCEPTED {
            refused = Some(problem_code(sent).await);
            break;
        }
    }
    assert_eq!(
        refused,
        Some((StatusCode::TOO_MANY_REQUESTS, "rate_limited".into()))
    );

    // The owner can still ask, and the code he had is still good.
    let asked = app.request_code(&owner, WANG).await;
    assert_eq!(asked.status(), StatusCode::ACCEPTED);
    let verified = app.verify(&owner, WANG, &code).await;
    assert_eq!(verified.status(), StatusCode::OK);
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
    let app = spawn_with(|config| config.demo = false).await;
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
