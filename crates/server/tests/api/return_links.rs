//! A return's link (`/returns/{number}?t=TOKEN`, in every message about it): traded for a guest
//! pass to the return's order by whoever holds it, signed in or not; an altered, expired or
//! another return's token is one 404.

use crate::helpers::{client, problem_code, spawn, spawn_with, TestApp};
use crate::returns::{
    delivered_days_ago, message_about, one_of_line_one, shipped_order, start_return,
};
use reqwest::StatusCode;
use serde_json::{json, Value};

const LI: &str = "li.na@example.com";
const DAY: i64 = 24 * 60 * 60;

/// `email`'s orders that have a parcel, newest first.
async fn shipped_orders(app: &TestApp, email: &str) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT o.number FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.email = $1 \
         AND EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = o.id) ORDER BY o.placed_at DESC",
    )
    .bind(email)
    .fetch_all(&app.state.db)
    .await
    .unwrap()
}

/// Starts a drop-off return of one unit of line 1 of `order` (delivered yesterday) as `browser`;
/// its number.
async fn returned(app: &TestApp, browser: &reqwest::Client, order: &str, key: &str) -> String {
    delivered_days_ago(app, order, 1).await;
    let created = start_return(app, browser, Some(key), &one_of_line_one(order, 1)).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    created.json::<Value>().await.unwrap()["number"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The link in the message to `email` about return `number`: (path, token), checking that both
/// languages carry it.
pub(crate) async fn link_in_message(app: &TestApp, email: &str, number: &str) -> (String, String) {
    let message = message_about(app, email, number, "Follow your return: ").await;
    let body = message["body"].as_str().unwrap();
    let form = regex::Regex::new(&format!(
        r"Follow your return: (\S*/returns/{number}\?t=([0-9]+\.[0-9a-f]{{64}}))"
    ))
    .unwrap();
    let found = form.captures(body).unwrap_or_else(|| panic!("{body}"));
    let (link, token) = (found[1].to_string(), found[2].to_string());
    assert!(body.contains(&format!("查看退货进度：{link}")), "{body}");
    (link, token)
}

pub(crate) async fn trade(
    app: &TestApp,
    browser: &reqwest::Client,
    number: &str,
    token: &str,
) -> reqwest::Response {
    app.post(
        browser,
        &format!("/api/returns/{number}/pass"),
        json!({ "token": token }),
    )
    .await
}

#[tokio::test]
async fn the_link_in_the_message_opens_the_return_and_its_order_for_a_fresh_browser() {
    let app = spawn().await;
    let li = client();
    app.sign_in(&li, LI).await;
    let order = shipped_order(&app, LI).await;
    let number = returned(&app, &li, &order, "k-1").await;
    let (link, token) = link_in_message(&app, LI, &number).await;
    assert!(
        link.starts_with("/returns/"),
        "relative without a public URL: {link}"
    );

    let stranger = client();
    let path = format!("/api/returns/{number}");
    assert_eq!(
        problem_code(app.get(&stranger, &path).await).await,
        (StatusCode::UNAUTHORIZED, "unauthorized".into())
    );
    let traded = trade(&app, &stranger, &number, &token).await;
    assert_eq!(traded.status(), StatusCode::NO_CONTENT);
    let cookie = traded.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.starts_with("portico_session=") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    let seen: Value = app.get_json(&stranger, &path).await;
    assert_eq!(seen, app.get_json::<Value>(&li, &path).await);
    let order_seen = app.get(&stranger, &format!("/api/orders/{order}")).await;
    assert_eq!(order_seen.status(), StatusCode::OK);
    assert_eq!(order_seen.json::<Value>().await.unwrap()["number"], order);
    // The same link works again (a second device, a reload).
    assert_eq!(
        trade(&app, &client(), &number, &token).await.status(),
        StatusCode::NO_CONTENT
    );
}

#[tokio::test]
async fn the_link_names_the_public_url_when_there_is_one() {
    let app = spawn_with(|config| {
        config.public_url =
            Some(portico_server::config::PublicUrl::parse("http://portal.example.com").unwrap())
    })
    .await;
    let li = client();
    app.sign_in(&li, LI).await;
    let order = shipped_order(&app, LI).await;
    let number = returned(&app, &li, &order, "u-1").await;
    let (link, _) = link_in_message(&app, LI, &number).await;
    assert!(
        link.starts_with(&format!("http://portal.example.com/returns/{number}?t=")),
        "{link}"
    );
}

#[tokio::test]
async fn an_altered_or_expired_token_is_a_404() {
    let app = spawn().await;
    let li = client();
    app.sign_in(&li, LI).await;
    let order = shipped_order(&app, LI).await;
    let number = returned(&app, &li, &order, "t-1").await;
    let (_, token) = link_in_message(&app, LI, &number).await;
    let (expiry, tag) = token.split_once('.').unwrap();

    let flipped = format!(
        "{expiry}.{}{}",
        &tag[..63],
        if tag.ends_with('0') { "1" } else { "0" }
    );
    let later = format!("{}.{tag}", expiry.parse::<i64>().unwrap() + DAY);
    // One spelling: zeros in front of the expiry name the same second (the tag signs it), and
    // are refused. Nor does a link live longer than links live, even one the key signed.
    let padded = format!("000{token}");
    let far = portico_server::returns::pass::token(
        &app.state.return_pass_key,
        &number,
        app.state.clock.now() + 365 * DAY,
    );
    for bad in [
        flipped,
        later,
        padded,
        far,
        tag.to_string(),
        String::new(),
        format!("{token}0"),
        token.to_uppercase(),
    ] {
        let browser = client();
        assert_eq!(
            problem_code(trade(&app, &browser, &number, &bad).await).await,
            (StatusCode::NOT_FOUND, "not_found".into()),
            "{bad}"
        );
        assert_eq!(
            app.get(&browser, &format!("/api/returns/{number}"))
                .await
                .status(),
            StatusCode::UNAUTHORIZED
        );
    }

    // 29 days on it still works; past 30 it has expired.
    app.state.clock.advance(29 * DAY);
    assert_eq!(
        trade(&app, &client(), &number, &token).await.status(),
        StatusCode::NO_CONTENT
    );
    app.state.clock.advance(DAY + 1);
    assert_eq!(
        problem_code(trade(&app, &client(), &number, &token).await).await,
        (StatusCode::NOT_FOUND, "not_found".into())
    );
}

#[tokio::test]
async fn a_token_opens_only_its_own_return_and_its_order_not_the_customers_others() {
    let app = spawn().await;
    let li = client();
    app.sign_in(&li, LI).await;
    let orders = shipped_orders(&app, LI).await;
    assert!(orders.len() >= 2, "two shipped orders in the demo data");
    let (one, other) = (&orders[0], &orders[1]);
    let a = returned(&app, &li, one, "a-1").await;
    let b = returned(&app, &li, other, "b-1").await;
    let (_, token_a) = link_in_message(&app, LI, &a).await;

    // A's token on B: 404, and nothing opened.
    let browser = client();
    assert_eq!(
        problem_code(trade(&app, &browser, &b, &token_a).await).await,
        (StatusCode::NOT_FOUND, "not_found".into())
    );
    assert_eq!(
        app.get(&browser, &format!("/api/returns/{b}"))
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    // On A it opens A and its order, and nothing else of hers.
    assert_eq!(
        trade(&app, &browser, &a, &token_a).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.get(&browser, &format!("/api/returns/{a}"))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        app.get(&browser, &format!("/api/orders/{one}"))
            .await
            .status(),
        StatusCode::OK
    );
    for path in [format!("/api/returns/{b}"), format!("/api/orders/{other}")] {
        assert_eq!(
            problem_code(app.get(&browser, &path).await).await,
            (StatusCode::NOT_FOUND, "not_found".into()),
            "{path}"
        );
    }
    let listed: Vec<Value> = app.get_json(&browser, "/api/returns").await;
    assert_eq!(
        listed
            .iter()
            .map(|r| r["number"].clone())
            .collect::<Vec<_>>(),
        [json!(a)]
    );
}

#[tokio::test]
async fn trading_tokens_is_limited_per_address_and_wrong_ones_count() {
    let app = spawn_with(|config| config.trust_proxy = true).await;
    let li = client();
    app.sign_in(&li, LI).await;
    let order = shipped_order(&app, LI).await;
    let number = returned(&app, &li, &order, "r-1").await;
    let (_, token) = link_in_message(&app, LI, &number).await;
    let guesser = crate::helpers::client_at("203.0.113.7");
    for _ in 0..20 {
        assert_eq!(
            trade(&app, &guesser, &number, "1.00").await.status(),
            StatusCode::NOT_FOUND
        );
    }
    assert_eq!(
        problem_code(trade(&app, &guesser, &number, &token).await).await,
        (StatusCode::TOO_MANY_REQUESTS, "rate_limited".into())
    );
    // Another address is not slowed by it.
    let owner = crate::helpers::client_at("198.51.100.2");
    assert_eq!(
        trade(&app, &owner, &number, &token).await.status(),
        StatusCode::NO_CONTENT
    );
}
