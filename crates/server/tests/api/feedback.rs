//! The feedback button (guests and customers, once per client-made id, bounded, rate limited)
//! and "My feedback" (surveys answered and messages sent, with where the team is).

use crate::helpers::{client, problem_code, spawn, spawn_with, TestApp};
use crate::surveys::invited;
use reqwest::{Client, Response, StatusCode};
use serde_json::{json, Value};

const WANG: &str = "wang.wei@example.com";
const LI: &str = "li.na@example.com";

async fn send(app: &TestApp, browser: &Client, body: Value) -> Response {
    app.post(browser, "/api/feedback", body).await
}

fn message(id: &str, text: &str) -> Value {
    json!({ "id": id, "category": "idea", "text": text })
}

async fn messages(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM feedback_messages")
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_guest_sends_feedback_once_per_id() {
    let app = spawn().await;
    let before = messages(&app).await;
    let guest = client();
    let body = message("guest-feedback-00001", "  希望能支持夜间模式。 ");
    let first = send(&app, &guest, body.clone()).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let receipt: Value = first.json().await.unwrap();
    assert_eq!(receipt["id"], "guest-feedback-00001");
    let again = send(&app, &guest, body).await;
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(again.json::<Value>().await.unwrap(), receipt);
    let other = send(&app, &guest, message("guest-feedback-00001", "别的话")).await;
    assert_eq!(
        problem_code(other).await,
        (StatusCode::CONFLICT, "response_id_reused".into())
    );
    assert_eq!(messages(&app).await, before + 1);
    let stored: String = sqlx::query_scalar(
        "SELECT text FROM feedback_messages WHERE client_id = 'guest-feedback-00001'",
    )
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!(stored, "希望能支持夜间模式。");
}

#[tokio::test]
async fn twenty_identical_messages_at_once_are_one() {
    let app = spawn_with(|c| c.rate_limit_factor = 3).await;
    let before = messages(&app).await;
    let guest = client();
    let body = message("same-feedback-000001", "同一条消息");
    let answers =
        futures_util::future::join_all((0..20).map(|_| send(&app, &guest, body.clone()))).await;
    let mut created = 0;
    let mut receipts = Vec::new();
    for answer in answers {
        match answer.status() {
            StatusCode::CREATED => created += 1,
            status => assert_eq!(status, StatusCode::OK),
        }
        receipts.push(answer.json::<Value>().await.unwrap());
    }
    receipts.dedup();
    assert_eq!((created, receipts.len()), (1, 1));
    assert_eq!(messages(&app).await, before + 1);
}

#[tokio::test]
async fn the_text_is_bounded_and_an_order_must_be_the_callers() {
    let app = spawn().await;
    let guest = client();
    for (text, id) in [
        ("   ", "blank-feedback-0001"),
        (&*"字".repeat(2001), "long-feedback-00001"),
    ] {
        let (status, code) = problem_code(send(&app, &guest, message(id, text)).await).await;
        assert_eq!(
            (status, code.as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, "bad_request")
        );
    }
    let longest = send(
        &app,
        &guest,
        message("long-feedback-00002", &"字".repeat(2000)),
    )
    .await;
    assert_eq!(longest.status(), StatusCode::CREATED);

    let li = client();
    app.sign_in(&li, LI).await;
    let own = app.order_numbers(&li).await[0].clone();
    let wang = client();
    app.sign_in(&wang, WANG).await;
    let wangs = app.order_numbers(&wang).await[0].clone();
    let about = |id: &str, order: &str| json!({ "id": id, "category": "problem", "text": "包裹少了一件", "order": order });
    for (browser, order, id) in [
        (&guest, &own, "guest-names-order-01"),
        (&li, &wangs, "li-names-wangs-0001"),
        (&li, &"PT99999999".to_string(), "li-names-nothing-01"),
    ] {
        assert_eq!(
            problem_code(send(&app, browser, about(id, order)).await).await,
            (StatusCode::NOT_FOUND, "not_found".into())
        );
    }
    let fine = send(&app, &li, about("li-names-her-own-01", &own)).await;
    assert_eq!(fine.status(), StatusCode::CREATED);
    // The same id from someone else is not the same message.
    let stolen = send(&app, &wang, about("li-names-her-own-01", &own)).await;
    assert_eq!(stolen.status(), StatusCode::NOT_FOUND);
    let copied = send(
        &app,
        &guest,
        json!({ "id": "li-names-her-own-01", "category": "problem", "text": "包裹少了一件" }),
    )
    .await;
    assert_eq!(
        problem_code(copied).await,
        (StatusCode::CONFLICT, "response_id_reused".into())
    );
}

#[tokio::test]
async fn the_text_is_typed_text_on_either_engine() {
    let app = spawn().await;
    let guest = client();
    let before = messages(&app).await;
    // PostgreSQL keeps no NUL (SQLite would): refused alike on both, as is a bell.
    for (text, id) in [
        ("包裹\u{0}少了一件", "nul-feedback-000001"),
        ("包裹\u{7}少了一件", "bell-feedback-00001"),
    ] {
        assert_eq!(
            problem_code(send(&app, &guest, message(id, text)).await).await,
            (StatusCode::UNPROCESSABLE_ENTITY, "bad_request".into())
        );
    }
    let lines = send(
        &app,
        &guest,
        message("lines-feedback-0001", "第一行\r\n\t第二行"),
    )
    .await;
    assert_eq!(lines.status(), StatusCode::CREATED);
    assert_eq!(messages(&app).await, before + 1);
}

#[tokio::test]
async fn my_feedback_lists_surveys_and_messages_newest_first_with_their_status() {
    let app = spawn().await;
    let guest = client();
    assert_eq!(
        problem_code(app.get(&guest, "/api/feedback").await).await,
        (StatusCode::UNAUTHORIZED, "unauthorized".into())
    );
    let wang = client();
    app.sign_in(&wang, WANG).await;
    let seeded: Vec<Value> = app.get_json(&wang, "/api/feedback").await;
    let survey = seeded
        .iter()
        .find(|i| i["source"]["kind"] == "survey")
        .expect("Wang's seeded delivery survey");
    assert_eq!(survey["source"]["touchpoint"], "delivery");
    assert_eq!(survey["source"]["score"], 3);
    assert_eq!(survey["source"]["scale"]["kind"], "csat");
    assert_eq!(survey["status"], "reviewed");
    assert!(survey["text"].as_str().unwrap().contains("晚到"));
    let fixed = seeded
        .iter()
        .find(|i| i["source"]["kind"] == "message")
        .expect("Wang's seeded message");
    assert_eq!(fixed["source"]["category"], "problem");
    assert_eq!(fixed["status"], "action_taken");
    assert!(fixed["action"].as_str().unwrap().contains("已修复"));

    // A survey answered and a message sent now come first; an unanswered survey is not listed.
    let token = invited(&app, WANG, "delivery").await;
    invited(&app, WANG, "support").await;
    let saved = app
        .put(
            &client(),
            &format!("/api/surveys/{token}/response"),
            json!({ "response_id": "wang-new-survey-0001",
                    "answers": [{ "question": "score", "value": { "score": 5 } }], "finished": false }),
        )
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
    app.state.clock.advance(5);
    let sent = send(&app, &wang, message("wang-new-message-001", "页面很好用")).await;
    assert_eq!(sent.status(), StatusCode::CREATED);
    let now: Vec<Value> = app.get_json(&wang, "/api/feedback").await;
    assert_eq!(now.len(), seeded.len() + 2);
    assert_eq!(now[0]["id"], "wang-new-message-001");
    assert_eq!(now[0]["status"], "received");
    assert_eq!(now[0]["text"], "页面很好用");
    assert_eq!(now[1]["id"], "wang-new-survey-0001");
    assert_eq!(now[1]["source"]["score"], 5);
    assert!(now[1].get("text").is_none());
    let times: Vec<&str> = now
        .iter()
        .map(|i| i["received_at"].as_str().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "{times:?}");
    // Li sees none of Wang's.
    let li = client();
    app.sign_in(&li, LI).await;
    let hers: Vec<Value> = app.get_json(&li, "/api/feedback").await;
    assert!(hers
        .iter()
        .all(|i| !i["id"].as_str().unwrap().contains("wang")));
    assert!(!hers.is_empty());
}

#[tokio::test]
async fn the_feedback_button_is_rate_limited_per_address_and_only_from_this_site() {
    let app = spawn().await;
    let guest = client();
    for n in 0..10 {
        let sent = send(
            &app,
            &guest,
            message(&format!("limited-feedback-{n:03}"), "你好"),
        )
        .await;
        assert_eq!(sent.status(), StatusCode::CREATED);
    }
    let limited = send(&app, &guest, message("limited-feedback-010", "你好")).await;
    assert!(limited.headers().get("retry-after").is_some());
    assert_eq!(
        problem_code(limited).await,
        (StatusCode::TOO_MANY_REQUESTS, "rate_limited".into())
    );
    let elsewhere = guest
        .post(app.url("/api/feedback"))
        .header("origin", "https://evil.example")
        .json(&message("cross-site-feedback1", "你好"))
        .send()
        .await
        .unwrap();
    assert_eq!(elsewhere.status(), StatusCode::FORBIDDEN);
}
