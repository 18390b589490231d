//! The lockouts strangers used to be able to cause, each tried against the real limits (no
//! factor) from several client addresses: the owner still signs in or looks up, the admin still
//! signs in from a browser that signed in before, and the strangers are still slowed.

use crate::helpers::{client_at, problem_code, set_cookie, spawn_with, TestApp};
use crate::staff::sign_in as staff_sign_in;
use portico_server::rate_limit;
use portico_server::staff::DEMO_STAFF;
use reqwest::{Client, Response, StatusCode};
use serde_json::json;

const WANG: &str = "wang.wei@example.com";
const OWNER_IP: &str = "203.0.113.7";

/// The service behind a trusted proxy, so each test client can be at an address of its own.
async fn behind_proxy() -> TestApp {
    spawn_with(|config| config.trust_proxy = true).await
}

/// The i-th stranger's address.
fn stranger(i: usize) -> String {
    format!("198.51.100.{}", 10 + i)
}

/// A code none of this test's codes is (the demo outbox shows them; the few sent later are
/// random, one chance in a million each of being this one).
fn wrong_code(codes: &[&str]) -> &'static str {
    ["000000", "111111", "222222"]
        .into_iter()
        .find(|wrong| !codes.contains(wrong))
        .unwrap()
}

/// Asks `ask` until it is refused (at most `most` times); how many were let through, and the
/// refusal.
async fn until_refused<F, Fut>(most: usize, mut ask: F) -> (usize, Option<(StatusCode, String)>)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Response>,
{
    for through in 0..most {
        let answer = ask().await;
        if answer.status() == StatusCode::TOO_MANY_REQUESTS {
            return (through, Some(problem_code(answer).await));
        }
    }
    (most, None)
}

/// The code in the newest message to `contact`, once `count` messages went to it (they are
/// delivered off the request path: waits up to 5 s).
async fn newest_code(app: &TestApp, contact: &str, count: usize) -> String {
    for _ in 0..100 {
        let outbox = app.outbox().await;
        let to: Vec<_> = outbox.iter().filter(|m| m["to"] == contact).collect();
        if to.len() >= count {
            let body = to[0]["body"].as_str().unwrap();
            return body
                .split(|c: char| !c.is_ascii_digit())
                .find(|w| w.len() == 6)
                .expect("a 6-digit code")
                .to_string();
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("fewer than {count} messages to {contact}");
}

fn rate_limited() -> Option<(StatusCode, String)> {
    Some((StatusCode::TOO_MANY_REQUESTS, "rate_limited".into()))
}

/// Signs `browser` in with a code it asks for, then out again: it keeps only its device cookie.
async fn signed_in_before(app: &TestApp, browser: &Client, contact: &str) {
    app.sign_in(browser, contact).await;
    let out = app.post(browser, "/api/auth/sign-out", json!({})).await;
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn wrong_codes_from_one_address_leave_the_owner_a_code_to_sign_in_with() {
    let app = behind_proxy().await;
    let owner = client_at(OWNER_IP);
    let first = app.expect_code(&owner, WANG).await;
    let wrong = wrong_code(&[&first]);

    // A stranger guesses until refused: two codes' worth of tries, then a pause for him alone.
    let guesser = client_at(&stranger(0));
    let (judged, refused) = until_refused(30, || app.verify(&guesser, WANG, wrong)).await;
    assert_eq!(refused, rate_limited());
    assert_eq!(judged, rate_limit::VERIFY_PER_REQUESTER.limit as usize);

    // The owner's code was retired after its fifth wrong try, and a fresh one sent in its place
    // (and that one's after its fifth): the owner hears so, and signs in with the newest.
    let retired = app.verify(&owner, WANG, &first).await;
    assert_eq!(
        problem_code(retired).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "too_many_attempts".into())
    );
    // Three messages: the code he asked for, and one in place of each retired code.
    let fresh = newest_code(&app, WANG, 3).await;
    assert_ne!(fresh, first);
    let signed = app.verify(&owner, WANG, &fresh).await;
    assert_eq!(signed.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_code_asked_for_from_a_trusted_browser_cannot_be_guessed_by_strangers() {
    let app = behind_proxy().await;
    let owner = client_at(OWNER_IP);
    signed_in_before(&app, &owner, WANG).await;
    let code = app.expect_code(&owner, WANG).await;
    let wrong = wrong_code(&[&code]);

    // Strangers at three addresses guess until each is refused.
    for i in 0..3 {
        let guesser = client_at(&stranger(i));
        let (_, refused) = until_refused(30, || app.verify(&guesser, WANG, wrong)).await;
        assert_eq!(refused, rate_limited(), "stranger {i}");
    }
    // Their guesses never reached the owner's code: it still signs him in.
    let signed = app.verify(&owner, WANG, &code).await;
    assert_eq!(signed.status(), StatusCode::OK);
}

#[tokio::test]
async fn code_requests_from_three_addresses_do_not_stop_the_owner_asking() {
    let app = behind_proxy().await;
    let owner = client_at(OWNER_IP);
    signed_in_before(&app, &owner, WANG).await;

    // Three strangers ask for Wang's codes until each is refused: the contact's budget for
    // untrusted clients is full.
    let mut sent = 0;
    for i in 0..3 {
        let asker = client_at(&stranger(i));
        let (through, refused) = until_refused(10, || app.request_code(&asker, WANG)).await;
        assert_eq!(refused, rate_limited(), "stranger {i}");
        sent += through;
    }
    // (The owner's first code, asked before his browser was trusted, counted there too.)
    assert_eq!(sent + 1, rate_limit::CODE_PER_CONTACT.limit as usize);
    // Strangers are still slowed: a fourth address is refused at once.
    let fourth = app.request_code(&client_at(&stranger(3)), WANG).await;
    assert_eq!(problem_code(fourth).await.0, StatusCode::TOO_MANY_REQUESTS);

    // A browser that never signed in waits for the window like the strangers; yet even there
    // the owner is not locked out: the codes the strangers asked for went to his inbox, none
    // voided, and the newest signs him in.
    let new_phone = client_at("192.0.2.44");
    let waits = app.request_code(&new_phone, WANG).await;
    assert_eq!(waits.status(), StatusCode::TOO_MANY_REQUESTS);
    let from_strangers = newest_code(&app, WANG, 1 + sent).await;
    let signed = app.verify(&new_phone, WANG, &from_strangers).await;
    assert_eq!(signed.status(), StatusCode::OK);

    // The owner's browser that signed in before asks on its own budget, and signs in.
    app.sign_in(&owner, WANG).await;
}

#[tokio::test]
async fn wrong_lookups_from_ten_addresses_leave_the_order_open_to_its_contact() {
    let app = behind_proxy().await;
    let number = "PT20261001";
    let (contact,): (String,) =
        sqlx::query_as("SELECT contact_email FROM orders WHERE number = 'PT20261001'")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    let lookup = |client: Client, contact: String| {
        let app = &app;
        async move {
            app.post(
                &client,
                "/api/guest/lookup",
                json!({ "order_number": number, "contact": contact }),
            )
            .await
        }
    };

    // Ten strangers guess the order's contact until each is refused: 100 wrong lookups.
    let mut wrong = 0;
    for i in 0..10 {
        let guesser = client_at(&stranger(i));
        let (through, refused) = until_refused(20, || {
            lookup(guesser.clone(), format!("guess{i}@example.com"))
        })
        .await;
        assert_eq!(refused, rate_limited(), "stranger {i}");
        wrong += through;
    }
    assert_eq!(wrong, rate_limit::LOOKUP_PER_ORDER.limit as usize);

    // Past the order's ceiling a wrong lookup is refused, from any address.
    let eleventh = lookup(client_at(&stranger(10)), "guess@example.com".into()).await;
    assert_eq!(problem_code(eleventh).await, rate_limited().unwrap());
    // The right contact is never refused by it.
    let owner = lookup(client_at(OWNER_IP), contact).await;
    assert_eq!(owner.status(), StatusCode::OK);
}

/// A browser at `ip` holding the cookies `cookies` (`name=value; ...`) and none of its own.
fn browser_with(ip: &str, cookies: &str) -> Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-forwarded-for", ip.parse().unwrap());
    headers.insert("cookie", cookies.parse().unwrap());
    Client::builder().default_headers(headers).build().unwrap()
}

/// The `name=value` of the cookie `name` an answer sets.
fn cookie_value(answer: &Response, name: &str) -> Option<String> {
    set_cookie(answer, name).map(|header| header.split(';').next().unwrap_or("").to_string())
}

#[tokio::test]
async fn wrong_passwords_from_three_addresses_leave_the_admin_signing_in_from_a_known_browser() {
    let app = behind_proxy().await;
    let (email, _, _, password) = DEMO_STAFF[3];
    let admin = client_at("192.0.2.10");
    let first = staff_sign_in(&app, &admin, email, password).await;
    assert_eq!(first.status(), StatusCode::OK);
    let device = cookie_value(&first, "portico_staff_device").expect("a device cookie");
    let raw = set_cookie(&first, "portico_staff_device").unwrap();
    for part in ["HttpOnly", "SameSite=Strict", "Path=/api/staff/sign-in"] {
        assert!(raw.contains(part), "{raw}");
    }

    // Three strangers try passwords until each is refused: the account's budget for untrusted
    // clients is full, every wrong try one answer.
    let mut tried = 0;
    for i in 0..3 {
        let guesser = client_at(&stranger(i));
        for _ in 0..20 {
            let answer = staff_sign_in(&app, &guesser, email, "wrong-password-guess").await;
            if answer.status() == StatusCode::TOO_MANY_REQUESTS {
                break;
            }
            assert_eq!(
                problem_code(answer).await,
                (StatusCode::UNAUTHORIZED, "invalid_credentials".into())
            );
            tried += 1;
        }
    }
    assert_eq!(tried, rate_limit::STAFF_SIGN_IN_PER_EMAIL.limit as usize);
    // Untrusted clients now wait, even with the right password: strangers are still slowed.
    let elsewhere = staff_sign_in(&app, &client_at(&stranger(3)), email, password).await;
    assert_eq!(elsewhere.status(), StatusCode::TOO_MANY_REQUESTS);

    // The admin's browser, which signed in before, signs in on its own budget.
    let again = staff_sign_in(&app, &admin, email, password).await;
    assert_eq!(again.status(), StatusCode::OK);

    // A device cookie is for its account only: with another's email it is an untrusted client.
    let (editor, _, _, editor_password) = DEMO_STAFF[0];
    let device = cookie_value(&again, "portico_staff_device").unwrap_or(device);
    let other = staff_sign_in(
        &app,
        &browser_with("192.0.2.11", &device),
        editor,
        "wrong-guess",
    )
    .await;
    assert_eq!(other.status(), StatusCode::UNAUTHORIZED);
    let editor_ok = staff_sign_in(
        &app,
        &browser_with("192.0.2.12", &device),
        editor,
        editor_password,
    )
    .await;
    assert_eq!(editor_ok.status(), StatusCode::OK);

    // A device cookie that keeps failing (copied to other machines, say) is locked out itself,
    // whatever the password.
    let budget = rate_limit::STAFF_SIGN_IN_PER_DEVICE.limit as usize;
    for i in 0..budget {
        let thief = browser_with(&format!("192.0.2.{}", 100 + i), &device);
        let wrong = staff_sign_in(&app, &thief, email, "wrong-password-guess").await;
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    }
    let locked = staff_sign_in(&app, &browser_with("192.0.2.200", &device), email, password).await;
    assert_eq!(locked.status(), StatusCode::TOO_MANY_REQUESTS);
}
