//! The returns review queue: who may read it and decide, what a reviewer sees (the goods, the
//! money, the customer and their returns so far), approving as an approval at once would,
//! rejecting with a reason the customer reads (exchange stock given back), each return decided
//! once under concurrency, kept in the audit log; the demo no longer decides.

use crate::exchange::{exchange_of_line_one, ready, stock, HEADPHONES, HEADPHONES_BLACK};
use crate::helpers::{client, problem_code, spawn, TestApp};
use crate::returns::{
    delivered_days_ago, eligibility, message_about, one_of_line_one, price_line_one, shipped_order,
    started,
};
use crate::staff::{send, staff_browser};
use reqwest::{Client, Method, Response, StatusCode};
use serde_json::{json, Value};

const WANG: &str = "wang.wei@example.com"; // regular
const LI: &str = "li.na@example.com"; // gold
/// Indices into `DEMO_STAFF`.
const EDITOR: usize = 0;
const PUBLISHER: usize = 1;
const ANALYST: usize = 2;
const ADMIN: usize = 3;

/// A reviewer's browser and its CSRF token.
type Reviewer = (Client, String);

/// `email` signed in, their newest shipped order delivered two days ago with line 1 priced at
/// `fen` (3 units of it).
async fn customer_with_order(app: &TestApp, email: &str, fen: i64) -> (Client, String) {
    let browser = client();
    app.sign_in(&browser, email).await;
    let order = shipped_order(app, email).await;
    delivered_days_ago(app, &order, 2).await;
    price_line_one(app, &order, fen).await;
    (browser, order)
}

/// One unit of line 1 returned by drop-off for a refund: at 600 CNY it waits for review.
async fn big_return(app: &TestApp, browser: &Client, order: &str, key: &str) -> Value {
    let created = started(app, browser, Some(key), &one_of_line_one(order, 1)).await;
    assert_eq!(created["status"], "pending_review", "{created}");
    created
}

fn number(made: &Value) -> String {
    made["number"].as_str().unwrap().to_string()
}

/// Sends a decision on return `number` as `reviewer`.
pub(crate) async fn decide(
    app: &TestApp,
    reviewer: &Reviewer,
    number: &str,
    body: Value,
) -> Response {
    send(
        app,
        &reviewer.0,
        Method::POST,
        &format!("/api/staff/returns/{number}/decision"),
        Some(&reviewer.1),
        Some(body),
    )
    .await
}

/// A demo publisher approves return `number` (no reason); panics unless it goes through. What
/// the automatic approval did before reviews were a person's.
pub(crate) async fn approved_by_a_reviewer(app: &TestApp, number: &str) -> Value {
    let publisher = staff_browser(app, PUBLISHER).await;
    let answer = decide(app, &publisher, number, json!({ "decision": "approve" })).await;
    assert_eq!(answer.status(), StatusCode::OK);
    answer.json().await.unwrap()
}

async fn queue(app: &TestApp, reviewer: &Reviewer) -> Vec<Value> {
    let answer = app.get(&reviewer.0, "/api/staff/returns").await;
    assert_eq!(answer.status(), StatusCode::OK);
    answer.json::<Value>().await.unwrap()["returns"]
        .as_array()
        .unwrap()
        .clone()
}

fn numbers(queue: &[Value]) -> Vec<String> {
    queue.iter().map(number).collect()
}

async fn status_of(app: &TestApp, number: &str) -> String {
    sqlx::query_scalar("SELECT status FROM returns WHERE number = $1")
        .bind(number)
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

/// The audit log's entries about `target`: (actor, action, detail), newest first.
async fn audited(app: &TestApp, target: &str) -> Vec<(String, String, Option<String>)> {
    sqlx::query_as("SELECT actor, action, detail FROM audit_log WHERE target = $1 ORDER BY id DESC")
        .bind(target)
        .fetch_all(&app.state.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn only_publishers_and_admins_read_the_queue_and_decide() {
    let app = spawn().await;
    let (li, order) = customer_with_order(&app, LI, 60_000).await;
    let made = number(&big_return(&app, &li, &order, "r-1").await);
    let decision = format!("/api/staff/returns/{made}/decision");
    let approve = json!({ "decision": "approve" });

    // Nobody, and a customer's session (never a staff one): 401.
    for browser in [&client(), &li] {
        for (method, path, body) in [
            (Method::GET, "/api/staff/returns", None),
            (Method::POST, decision.as_str(), Some(approve.clone())),
        ] {
            let refused = send(&app, browser, method.clone(), path, Some("x"), body).await;
            assert_eq!(
                problem_code(refused).await,
                (StatusCode::UNAUTHORIZED, "unauthorized".into()),
                "{method} {path}"
            );
        }
    }
    // Editors and analysts: 403.
    for who in [EDITOR, ANALYST] {
        let staff = staff_browser(&app, who).await;
        let read = app.get(&staff.0, "/api/staff/returns").await;
        assert_eq!(
            problem_code(read).await,
            (StatusCode::FORBIDDEN, "forbidden".into())
        );
        let write = decide(&app, &staff, &made, approve.clone()).await;
        assert_eq!(
            problem_code(write).await,
            (StatusCode::FORBIDDEN, "forbidden".into())
        );
    }
    // A publisher's decision without the session's CSRF token (or another's): 403.
    let publisher = staff_browser(&app, PUBLISHER).await;
    let admin = staff_browser(&app, ADMIN).await;
    for token in [None, Some(admin.1.as_str())] {
        let refused = send(
            &app,
            &publisher.0,
            Method::POST,
            &decision,
            token,
            Some(approve.clone()),
        )
        .await;
        assert_eq!(
            problem_code(refused).await,
            (StatusCode::FORBIDDEN, "forbidden".into()),
            "{token:?}"
        );
    }
    assert_eq!(status_of(&app, &made).await, "pending_review");
    // Publishers and admins read it; either may decide.
    assert_eq!(numbers(&queue(&app, &publisher).await), [made.as_str()]);
    assert_eq!(numbers(&queue(&app, &admin).await), [made.as_str()]);
    let decided = decide(&app, &admin, &made, approve).await;
    assert_eq!(decided.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_queue_shows_a_big_return_with_its_facts_and_its_customers_history_oldest_first() {
    let app = spawn().await;
    let publisher = staff_browser(&app, PUBLISHER).await;
    let (li, hers) = customer_with_order(&app, LI, 60_000).await;
    // Her history: one refunded return, one declined, one cancelled; a small one approved at
    // once never waits for review.
    let refunded = big_return(&app, &li, &hers, "h-1").await;
    sqlx::query("UPDATE returns SET status = 'refunded', refund_fen = 12000 WHERE number = $1")
        .bind(number(&refunded))
        .execute(&app.state.db)
        .await
        .unwrap();
    let declined = big_return(&app, &li, &hers, "h-2").await;
    let rejected = decide(
        &app,
        &publisher,
        &number(&declined),
        json!({ "decision": "reject", "reason": "The seal is broken." }),
    )
    .await;
    assert_eq!(rejected.status(), StatusCode::OK);
    let cancelled = big_return(&app, &li, &hers, "h-3").await;
    app.post(
        &li,
        &format!("/api/returns/{}/cancel", number(&cancelled)),
        json!({}),
    )
    .await;
    price_line_one(&app, &hers, 12_000).await;
    let small = started(&app, &li, Some("h-4"), &one_of_line_one(&hers, 1)).await;
    assert_eq!(small["status"], "approved");
    price_line_one(&app, &hers, 60_000).await;
    let waiting = big_return(&app, &li, &hers, "h-5").await;
    // Wang's, later: after hers in the queue, and with no history.
    let (wang, his) = customer_with_order(&app, WANG, 80_000).await;
    let his_return = big_return(&app, &wang, &his, "w-1").await;

    let listed = queue(&app, &publisher).await;
    assert_eq!(numbers(&listed), [number(&waiting), number(&his_return)]);
    let first = &listed[0];
    let (name, name_en, variant, variant_en): (String, String, String, String) = sqlx::query_as(
        "SELECT name, name_en, variant, variant_en FROM order_items WHERE position = 0 \
         AND order_id = (SELECT id FROM orders WHERE number = $1)",
    )
    .bind(&hers)
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    // The item's name and variant in both languages, as the reviewer's app picks one.
    let name = json!({ "zh-CN": name, "en": name_en });
    let variant = json!({ "zh-CN": variant, "en": variant_en });
    let line =
        json!({ "line": 1, "name": name, "variant": variant, "quantity": 1, "unit_price": 60_000 });
    assert_eq!(
        *first,
        json!({
            "number": number(&waiting),
            "order": hers,
            "created_at": waiting["created_at"],
            "lines": [line],
            "refund": 60_000,
            "reason": "wrong_size",
            "resolution": "refund",
            "handover": "drop_off",
            "customer": {
                "name": "李娜",
                "tier": "gold",
                "tier_name": { "zh-CN": "金卡会员", "en": "Gold" },
                "history": { "earlier_returns": 4, "rejected": 1, "refunded": 12_000 },
            },
        })
    );
    assert_eq!(
        listed[1]["customer"],
        json!({
            "name": "王伟",
            "tier": "regular",
            "tier_name": { "zh-CN": "普通会员", "en": "Member" },
            "history": { "earlier_returns": 0, "rejected": 0, "refunded": 0 },
        })
    );
    assert_eq!(listed[1]["refund"], 80_000);
}

#[tokio::test]
async fn approving_leaves_a_return_where_an_approval_at_once_would() {
    let app = spawn().await;
    let (li, order) = customer_with_order(&app, LI, 60_000).await;
    let publisher = staff_browser(&app, PUBLISHER).await;

    // Drop-off: approved, its code to show; the customer reads that a reviewer decided.
    let dropped = number(&big_return(&app, &li, &order, "a-1").await);
    let answer = decide(&app, &publisher, &dropped, json!({ "decision": "approve" })).await;
    assert_eq!(answer.status(), StatusCode::OK);
    let decided: Value = answer.json().await.unwrap();
    assert_eq!(decided["status"], "approved");
    assert!(decided["decided_at"].as_str().unwrap().ends_with('Z'));
    assert!(decided.get("decision_reason").is_none());
    let read: Value = app.get_json(&li, &format!("/api/returns/{dropped}")).await;
    assert_eq!(read, decided);
    assert!(read["drop_off_code"]
        .as_str()
        .unwrap()
        .starts_with(&dropped));
    message_about(&app, LI, &dropped, "is approved").await;

    // Pickup: its booked slot becomes the pickup, as when a small one is approved at once.
    let slot = eligibility(&app, &li, &order).await["pickup"]["slots"][0]["starts_at"].clone();
    let mut by_pickup = one_of_line_one(&order, 1);
    by_pickup["handover"] = json!("pickup");
    by_pickup["pickup_slot"] = slot.clone();
    let waiting = started(&app, &li, Some("a-2"), &by_pickup).await;
    assert_eq!(waiting["status"], "pending_review");
    let answer = decide(
        &app,
        &publisher,
        &number(&waiting),
        json!({ "decision": "approve", "reason": "  Checked with the courier.  " }),
    )
    .await;
    let decided: Value = answer.json().await.unwrap();
    price_line_one(&app, &order, 12_000).await;
    let at_once = started(&app, &li, Some("a-3"), &by_pickup).await;
    assert_eq!(decided["status"], "pickup_scheduled");
    assert_eq!(decided["status"], at_once["status"]);
    assert_eq!(decided["pickup"]["starts_at"], slot);
    assert!(decided["settles_by"].is_string() && at_once["settles_by"].is_string());
    assert_eq!(decided["decision_reason"], "Checked with the courier.");
    assert!(at_once.get("decided_at").is_none());
    let told = message_about(&app, LI, &number(&waiting), "has a pickup booked").await;
    let body = told["body"].as_str().unwrap();
    assert!(
        body.contains("Reason: Checked with the courier.") && body.contains("原因："),
        "{body}"
    );

    // Both left the queue, and the audit log says who approved which.
    assert!(queue(&app, &publisher).await.is_empty());
    let publisher_email = portico_server::staff::DEMO_STAFF[PUBLISHER].0.to_string();
    assert_eq!(
        audited(&app, &dropped).await,
        [(publisher_email.clone(), "return.approve".into(), None)]
    );
    assert_eq!(
        audited(&app, &number(&waiting)).await,
        [(
            publisher_email,
            "return.approve".into(),
            Some("Checked with the courier.".into())
        )]
    );
}

#[tokio::test]
async fn rejecting_takes_a_reason_the_customer_reads_as_text_and_gives_exchange_stock_back() {
    let app = spawn().await;
    let (li, order) = ready(&app, LI, HEADPHONES, 1).await;
    price_line_one(&app, &order, 60_000).await;
    let made = started(
        &app,
        &li,
        Some("x-1"),
        &exchange_of_line_one(&order, 1, HEADPHONES_BLACK),
    )
    .await;
    assert_eq!(made["status"], "pending_review");
    let made = number(&made);
    assert_eq!(stock(&app, HEADPHONES_BLACK).await, 3);
    let admin = staff_browser(&app, ADMIN).await;

    // No reason, a blank one, a long one, one with a control character: refused, nothing moves.
    let too_long = "好".repeat(501);
    for body in [
        json!({ "decision": "reject" }),
        json!({ "decision": "reject", "reason": " \u{3000} " }),
        json!({ "decision": "reject", "reason": too_long }),
        json!({ "decision": "reject", "reason": "line one\nline two" }),
        json!({ "decision": "approve", "reason": "tab\there" }),
    ] {
        let refused = decide(&app, &admin, &made, body.clone()).await;
        assert_eq!(
            problem_code(refused).await,
            (StatusCode::UNPROCESSABLE_ENTITY, "bad_request".into()),
            "{body}"
        );
    }
    let odd = decide(&app, &admin, &made, json!({ "decision": "maybe" })).await;
    assert_eq!(odd.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(status_of(&app, &made).await, "pending_review");
    assert_eq!(stock(&app, HEADPHONES_BLACK).await, 3);

    // With a reason: rejected, the unit reserved for the exchange back in stock, the line
    // returnable again; markup in the reason is only text on the wire.
    let reason = "<script>alert('x')</script> 耳机已拆封使用";
    let answer = decide(
        &app,
        &admin,
        &made,
        json!({ "decision": "reject", "reason": reason }),
    )
    .await;
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(answer.headers()["content-type"], "application/json");
    let rejected: Value = answer.json().await.unwrap();
    assert_eq!(rejected["status"], "rejected");
    assert_eq!(rejected["decision_reason"], reason);
    assert_eq!(stock(&app, HEADPHONES_BLACK).await, 4);
    assert_eq!(
        eligibility(&app, &li, &order).await["items"][0]["returnable_quantity"],
        1
    );
    let read: Value = app.get_json(&li, &format!("/api/returns/{made}")).await;
    assert_eq!(
        (read["status"].clone(), read["decision_reason"].clone()),
        (json!("rejected"), json!(reason))
    );
    // It is over: she cannot cancel it, nor can it be decided again.
    let cancel = app
        .post(&li, &format!("/api/returns/{made}/cancel"), json!({}))
        .await;
    assert_eq!(
        problem_code(cancel).await,
        (StatusCode::CONFLICT, "return_locked".into())
    );
    let again = decide(&app, &admin, &made, json!({ "decision": "approve" })).await;
    assert_eq!(
        problem_code(again).await,
        (StatusCode::CONFLICT, "already_decided".into())
    );
    assert_eq!(stock(&app, HEADPHONES_BLACK).await, 4);

    // The message says why, in both languages, and promises no refund.
    let told = message_about(&app, LI, &made, "was not approved").await;
    let body = told["body"].as_str().unwrap();
    assert!(body.contains(&format!("原因：{reason}")), "{body}");
    assert!(body.contains(&format!("Reason: {reason}")), "{body}");
    assert!(
        !body.contains("Exchange for") && !body.contains("退款"),
        "{body}"
    );
    let admin_email = portico_server::staff::DEMO_STAFF[ADMIN].0.to_string();
    assert_eq!(
        audited(&app, &made).await,
        [(admin_email, "return.reject".into(), Some(reason.into()))]
    );
    let (who, decision, kept): (String, String, String) = sqlx::query_as(
        "SELECT s.email, v.decision, v.reason FROM return_reviews v JOIN staff s ON s.id = v.staff_id \
         JOIN returns r ON r.id = v.return_id WHERE r.number = $1",
    )
    .bind(&made)
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!(
        (who.as_str(), decision.as_str(), kept.as_str()),
        ("admin@portico.test", "reject", reason)
    );
}

#[tokio::test]
async fn reviewers_deciding_one_return_at_once_make_exactly_one_decision() {
    let app = spawn().await;
    let (li, order) = customer_with_order(&app, LI, 60_000).await;
    let made = number(&big_return(&app, &li, &order, "c-1").await);
    let publisher = staff_browser(&app, PUBLISHER).await;
    let admin = staff_browser(&app, ADMIN).await;
    let attempts = (0..10).map(|i| {
        let reviewer = if i % 2 == 0 { &publisher } else { &admin };
        let body = if i % 3 == 0 {
            json!({ "decision": "reject", "reason": format!("try {i}") })
        } else {
            json!({ "decision": "approve" })
        };
        decide(&app, reviewer, &made, body)
    });
    let answers = futures_util::future::join_all(attempts).await;
    let mut won = Vec::new();
    for answer in answers {
        if answer.status() == StatusCode::OK {
            won.push(answer.json::<Value>().await.unwrap()["status"].clone());
        } else {
            assert_eq!(
                problem_code(answer).await,
                (StatusCode::CONFLICT, "already_decided".into())
            );
        }
    }
    assert_eq!(won.len(), 1, "one decision wins");
    assert_eq!(status_of(&app, &made).await, won[0].as_str().unwrap());
    let reviews: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM return_reviews")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(reviews, 1);
    assert_eq!(audited(&app, &made).await.len(), 1);
}

#[tokio::test]
async fn unknown_returns_and_returns_no_longer_waiting_are_refused_clearly() {
    let app = spawn().await;
    let (li, order) = customer_with_order(&app, LI, 60_000).await;
    let publisher = staff_browser(&app, PUBLISHER).await;
    let approve = json!({ "decision": "approve" });
    let unknown = decide(&app, &publisher, "R99999999", approve.clone()).await;
    assert_eq!(
        problem_code(unknown).await,
        (StatusCode::NOT_FOUND, "not_found".into())
    );
    // Cancelled by its customer while it waited: it leaves the queue, and is not decided.
    let cancelled = number(&big_return(&app, &li, &order, "u-1").await);
    app.post(&li, &format!("/api/returns/{cancelled}/cancel"), json!({}))
        .await;
    assert!(queue(&app, &publisher).await.is_empty());
    let late = decide(&app, &publisher, &cancelled, approve.clone()).await;
    assert_eq!(
        problem_code(late).await,
        (StatusCode::CONFLICT, "return_locked".into())
    );
    // Approved at once, it never waited.
    price_line_one(&app, &order, 12_000).await;
    let small = number(&started(&app, &li, Some("u-2"), &one_of_line_one(&order, 1)).await);
    let never = decide(&app, &publisher, &small, approve).await;
    assert_eq!(
        problem_code(never).await,
        (StatusCode::CONFLICT, "return_locked".into())
    );
    assert!(audited(&app, &cancelled).await.is_empty());
}

#[tokio::test]
async fn the_demo_leaves_a_return_in_review_to_a_reviewer() {
    let app = spawn().await;
    let (li, order) = customer_with_order(&app, LI, 60_000).await;
    let made = number(&big_return(&app, &li, &order, "d-1").await);
    for _ in 0..3 {
        let moved: Value = app
            .post(&client(), "/api/dev/advance-shipments", json!({}))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(moved["returns_advanced"], 0);
    }
    assert_eq!(status_of(&app, &made).await, "pending_review");
    approved_by_a_reviewer(&app, &made).await;
    app.post(&client(), "/api/dev/advance-shipments", json!({}))
        .await;
    assert_eq!(status_of(&app, &made).await, "picked_up");
}
