//! Surveys through their links: what a link opens, saving answers as they come (merged, once per
//! response id, changeable for 24 hours), detractors' follow-ups, invitations from service events
//! (throttled, never after an opt-out), and the numbers over the seeded responses.

use crate::helpers::{client, count, problem_code, spawn, spawn_with, TestApp};
use portico_api::Touchpoint;
use portico_server::surveys::{self, metrics, token, Service};
use reqwest::{Response, StatusCode};
use serde_json::{json, Value};

const WANG: &str = "wang.wei@example.com";
const LI: &str = "li.na@example.com";
const CHEN: &str = "chen.jie@example.com";
const HOUR: i64 = 3600;
const DAY: i64 = 24 * HOUR;

/// Sends `email` a survey about their latest `touchpoint` through the demo endpoint; its token.
pub async fn invited(app: &TestApp, email: &str, touchpoint: &str) -> String {
    let made = app
        .post(
            &client(),
            "/api/dev/survey-invitations",
            json!({ "email": email, "touchpoint": touchpoint }),
        )
        .await;
    assert_eq!(made.status(), StatusCode::CREATED);
    let body: Value = made.json().await.unwrap();
    let token = body["token"].as_str().unwrap().to_string();
    assert_eq!(body["link"], format!("/s/{token}"));
    token
}

async fn open(app: &TestApp, token: &str) -> Response {
    app.get(&client(), &format!("/api/surveys/{token}")).await
}

async fn save(app: &TestApp, token: &str, id: &str, answers: Value, finished: bool) -> Response {
    app.put(
        &client(),
        &format!("/api/surveys/{token}/response"),
        json!({ "response_id": id, "answers": answers, "finished": finished }),
    )
    .await
}

fn score(n: u8) -> Value {
    json!({ "question": "score", "value": { "score": n } })
}

fn text(question: &str, words: &str) -> Value {
    json!({ "question": question, "value": { "text": words } })
}

fn reasons(ids: &[&str]) -> Value {
    json!({ "question": "reasons", "value": { "choices": ids } })
}

/// The answer as JSON, with its status asserted.
async fn ok(response: Response) -> Value {
    let status = response.status();
    let body = response.text().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{body}");
    serde_json::from_str(&body).unwrap()
}

async fn detail(response: Response) -> (StatusCode, String, String) {
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    (
        status,
        body["code"].as_str().unwrap_or_default().into(),
        body["detail"].as_str().unwrap_or_default().into(),
    )
}

#[tokio::test]
async fn a_link_opens_its_survey_and_what_it_is_about_and_the_message_carries_one_tap_scores() {
    let app = spawn().await;
    let token = invited(&app, WANG, "delivery").await;
    let opened = ok(open(&app, &token).await).await;
    assert_eq!(opened["survey"]["id"], "delivery");
    assert_eq!(opened["survey"]["questions"][0]["answer"]["kind"], "csat");
    assert_eq!(opened["survey"]["questions"][1]["show_if"]["max"], 3);
    assert_eq!(opened["about"]["touchpoint"], "delivery");
    let reference = opened["about"]["reference"].as_str().unwrap();
    assert!(reference.starts_with("PT"), "{opened}");
    assert!(!opened["about"]["items"].as_array().unwrap().is_empty());
    assert!(opened.get("response").is_none());
    let expires = portico_server::clock::parse_rfc3339(opened["expires_at"].as_str().unwrap());
    let now = app.state.clock.now();
    assert!((expires.unwrap() - now - 14 * DAY).abs() < 60);

    let mut body = String::new();
    for _ in 0..100 {
        let outbox = app.outbox().await;
        if let Some(m) = outbox.iter().find(|m| m["to"] == WANG) {
            body = m["body"].as_str().unwrap().to_string();
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let link = format!("/s/{token}");
    assert!(body.contains(&format!("参与评价：{link}\n")), "{body}");
    assert!(
        body.contains(&format!("Take the survey: {link}\n")),
        "{body}"
    );
    for n in 1..=5 {
        assert!(body.contains(&format!("{n}: {link}?score={n}")), "{body}");
    }
    assert!(!body.contains("?score=6") && !body.contains("?score=0"));
    assert!(body.contains(reference));

    let support = ok(open(&app, &invited(&app, LI, "support").await).await).await;
    assert_eq!(support["survey"]["questions"][0]["answer"]["kind"], "nps");
    assert!(support["about"]["reference"]
        .as_str()
        .unwrap()
        .starts_with('T'));
    assert_eq!(support["about"]["items"], json!([]));
}

#[tokio::test]
async fn an_altered_or_unknown_token_is_404_and_an_expired_one_410() {
    let app = spawn().await;
    let token = invited(&app, WANG, "delivery").await;
    let mut altered = token.clone();
    let last = if token.ends_with('0') { "1" } else { "0" };
    altered.replace_range(token.len() - 1.., last);
    let (id, expiry) = {
        let signed = token::verify(&app.state.survey_key, &token).unwrap();
        (signed.invitation, signed.expires_at)
    };
    let unknown = token::token(&app.state.survey_key, id + 1000, expiry);
    let foreign = token::token("another key", id, expiry);
    let moved = token::token(&app.state.survey_key, id, expiry + DAY);
    for wrong in [
        altered,
        unknown,
        foreign,
        moved,
        "x".repeat(300),
        "1.2.3".into(),
    ] {
        assert_eq!(
            problem_code(open(&app, &wrong).await).await,
            (StatusCode::NOT_FOUND, "not_found".into()),
            "{wrong}"
        );
        let saved = save(&app, &wrong, "abcdefghijklmnop", json!([score(5)]), false).await;
        assert_eq!(saved.status(), StatusCode::NOT_FOUND);
    }
    app.state.clock.advance(14 * DAY - 60);
    assert_eq!(open(&app, &token).await.status(), StatusCode::OK);
    app.state.clock.advance(60);
    assert_eq!(
        problem_code(open(&app, &token).await).await,
        (StatusCode::GONE, "link_expired".into())
    );
    let saved = save(&app, &token, "abcdefghijklmnop", json!([score(5)]), false).await;
    assert_eq!(
        problem_code(saved).await,
        (StatusCode::GONE, "link_expired".into())
    );
}

#[tokio::test]
async fn a_one_tap_score_is_a_saved_partial_response_and_later_saves_merge() {
    let app = spawn().await;
    let token = invited(&app, WANG, "delivery").await;
    let id = "3f1c9a52-8d7e-4b7a-9c1e-52a1d0e4f8b2";
    let tapped = ok(save(&app, &token, id, json!([score(2)]), false).await).await;
    assert_eq!(tapped["response_id"], id);
    assert_eq!(tapped["answers"], json!([score(2)]));
    assert!(tapped.get("finished_at").is_none() && tapped["follow_up"] == false);
    let opened = ok(open(&app, &token).await).await;
    assert_eq!(opened["response"], tapped);

    // Finishing a low score without its reasons names the missing question; nothing is kept.
    let early = save(
        &app,
        &token,
        id,
        json!([text("comment", "盒子压坏了")]),
        true,
    )
    .await;
    assert_eq!(
        detail(early).await,
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_answer".into(),
            "reasons".into()
        )
    );
    let comment = ok(save(
        &app,
        &token,
        id,
        json!([text("comment", "盒子压坏了")]),
        false,
    )
    .await)
    .await;
    assert_eq!(comment["answers"].as_array().unwrap().len(), 2);
    // A new answer to a question replaces the old one; the answers keep the survey's order.
    let merged = ok(save(
        &app,
        &token,
        id,
        json!([reasons(&["damaged", "late"]), score(1)]),
        false,
    )
    .await)
    .await;
    assert_eq!(
        merged["answers"],
        json!([
            score(1),
            reasons(&["damaged", "late"]),
            text("comment", "盒子压坏了")
        ])
    );
    let done = ok(save(&app, &token, id, json!([]), true).await).await;
    assert!(done["finished_at"].is_string());
    assert_eq!(done["answers"], merged["answers"]);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM survey_answers a JOIN survey_responses r ON r.id = a.response_id WHERE r.response_id = '3f1c9a52-8d7e-4b7a-9c1e-52a1d0e4f8b2'").await,
        3
    );
}

#[tokio::test]
async fn answers_that_do_not_fit_are_422_with_the_question() {
    let app = spawn().await;
    let token = invited(&app, CHEN, "delivery").await;
    let id = "abcdefghijklmnop-1";
    let cases = [
        (json!([score(6)]), "score"),
        (json!([score(0)]), "score"),
        (
            json!([{ "question": "nope", "value": { "score": 3 } }]),
            "nope",
        ),
        (json!([score(3), score(4)]), "score"),
        (json!([reasons(&["lost"])]), "reasons"),
        (json!([reasons(&[])]), "reasons"),
        (json!([text("comment", "   ")]), "comment"),
        (json!([text("comment", &"好".repeat(1001))]), "comment"),
        // PostgreSQL keeps no NUL (SQLite would): refused alike on both.
        (json!([text("comment", "盒子\u{0}压坏了")]), "comment"),
        (
            json!([{ "question": "score", "value": { "text": "5" } }]),
            "score",
        ),
    ];
    for (answers, question) in cases {
        assert_eq!(
            detail(save(&app, &token, id, answers.clone(), false).await).await,
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_answer".into(),
                question.into()
            ),
            "{answers}"
        );
    }
    assert_eq!(
        detail(save(&app, &token, id, json!([]), true).await)
            .await
            .2,
        "score"
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM survey_responses WHERE invitation_id IS NOT NULL AND started_at > 0 AND response_id = 'abcdefghijklmnop-1'").await, 0);
    // The longest comment is taken; a bad id is the body's shape (422 bad_request).
    ok(save(
        &app,
        &token,
        id,
        json!([text("comment", &"好".repeat(1000))]),
        false,
    )
    .await)
    .await;
    let (status, code) = problem_code(save(&app, &token, "short", json!([]), false).await).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "bad_request")
    );
}

#[tokio::test]
async fn a_finished_response_can_change_for_24_hours_and_then_only_be_read() {
    let app = spawn().await;
    let token = invited(&app, LI, "support").await;
    let id = "li-support-response-1";
    let done = ok(save(&app, &token, id, json!([score(6)]), true).await).await;
    let finished_at = done["finished_at"].clone();
    let until = portico_server::clock::parse_rfc3339(done["editable_until"].as_str().unwrap());
    assert_eq!(
        until,
        portico_server::clock::parse_rfc3339(finished_at.as_str().unwrap()).map(|f| f + DAY)
    );
    app.state.clock.advance(23 * HOUR);
    // Saved again, even as unfinished: it stays finished when it first was.
    let changed = ok(save(
        &app,
        &token,
        id,
        json!([score(7), text("why", "很顺利")]),
        false,
    )
    .await)
    .await;
    assert_eq!(changed["finished_at"], finished_at);
    assert_eq!(changed["answers"][0], score(7));
    app.state.clock.advance(HOUR);
    assert_eq!(
        problem_code(save(&app, &token, id, json!([score(1)]), true).await).await,
        (StatusCode::CONFLICT, "survey_closed".into())
    );
    let read = ok(open(&app, &token).await).await;
    assert_eq!(read["response"]["answers"][0], score(7));
    assert_eq!(read["response"]["finished_at"], finished_at);
}

#[tokio::test]
async fn twenty_identical_saves_at_once_make_one_response() {
    let app = spawn().await;
    let token = invited(&app, WANG, "support").await;
    let id = "same-response-0000001";
    let answers = json!([score(10), text("why", "很快")]);
    let saves = futures_util::future::join_all(
        (0..20).map(|_| save(&app, &token, id, answers.clone(), true)),
    )
    .await;
    let mut bodies = Vec::new();
    for response in saves {
        bodies.push(ok(response).await);
    }
    bodies.dedup();
    assert_eq!(bodies.len(), 1, "{bodies:?}");
    let sql = "SELECT COUNT(*) FROM survey_responses WHERE response_id = 'same-response-0000001'";
    assert_eq!(count(&app, sql).await, 1);
    let sql =
        "SELECT COUNT(*) FROM survey_answers a JOIN survey_responses r ON r.id = a.response_id \
               WHERE r.response_id = 'same-response-0000001'";
    assert_eq!(count(&app, sql).await, 2);
}

#[tokio::test]
async fn a_response_id_belongs_to_one_link_and_a_link_to_one_response_id() {
    let app = spawn().await;
    let first = invited(&app, WANG, "delivery").await;
    let second = invited(&app, WANG, "delivery").await;
    assert_ne!(first, second);
    ok(save(
        &app,
        &first,
        "first-response-id-01",
        json!([score(4)]),
        false,
    )
    .await)
    .await;
    // Another id for this link, this link's id for another, a seeded response's id.
    for (token, id) in [
        (&first, "other-response-id-01"),
        (&second, "first-response-id-01"),
        (&second, "seed000000000001"),
    ] {
        assert_eq!(
            problem_code(save(&app, token, id, json!([score(4)]), false).await).await,
            (StatusCode::CONFLICT, "response_id_reused".into()),
            "{id}"
        );
    }
    let read = ok(open(&app, &first).await).await;
    assert_eq!(read["response"]["response_id"], "first-response-id-01");
}

#[tokio::test]
async fn a_detractor_is_followed_up_once_and_others_are_not() {
    let app = spawn().await;
    let low = invited(&app, LI, "support").await;
    let partial =
        ok(save(&app, &low, "detractor-response-1", json!([score(3)]), false).await).await;
    assert_eq!(
        partial["follow_up"], false,
        "only a finished response is followed up"
    );
    let done = ok(save(&app, &low, "detractor-response-1", json!([]), true).await).await;
    assert_eq!(done["follow_up"], true);
    // Saved again (even with a better score) it stays one case.
    let again = ok(save(&app, &low, "detractor-response-1", json!([score(9)]), true).await).await;
    assert_eq!(again["follow_up"], true);
    let sql = "SELECT COUNT(*) FROM follow_ups f JOIN survey_responses r ON r.id = f.response_id \
               WHERE r.response_id = 'detractor-response-1'";
    assert_eq!(count(&app, sql).await, 1);
    let (opened, due): (i64, i64) = sqlx::query_as(
        "SELECT f.opened_at, f.due_at FROM follow_ups f JOIN survey_responses r ON r.id = f.response_id \
         WHERE r.response_id = 'detractor-response-1'",
    )
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!(due - opened, 48 * HOUR);

    for (touchpoint, score_given, expected) in [
        ("delivery", 2, true),
        ("delivery", 3, false),
        ("support", 7, false),
    ] {
        let token = invited(&app, CHEN, touchpoint).await;
        let mut answers = vec![score(score_given)];
        if touchpoint == "delivery" && score_given <= 3 {
            answers.push(reasons(&["late"]));
        }
        let id = format!("{touchpoint}-scored-{score_given}-xxxxxx");
        let done = ok(save(&app, &token, &id, json!(answers), true).await).await;
        assert_eq!(done["follow_up"], expected, "{touchpoint} {score_given}");
    }
}

#[tokio::test]
async fn invitations_are_throttled_per_customer_and_stop_after_an_opt_out() {
    let app = spawn_with(|c| c.survey_throttle_days = 30).await;
    let li: i64 = sqlx::query_scalar("SELECT id FROM customers WHERE email = $1")
        .bind(LI)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    let service = |reference: &str| Service {
        customer: li,
        touchpoint: Touchpoint::Support,
        reference: reference.into(),
        served_at: app.state.clock.now(),
    };
    let first = surveys::invite(&app.state, &service("T20260003"))
        .await
        .unwrap();
    assert!(
        first.is_some(),
        "Li's seeded invitation is older than the throttle"
    );
    assert_eq!(
        surveys::invite(&app.state, &service("T20260004"))
            .await
            .unwrap(),
        None
    );
    app.state.clock.advance(29 * DAY);
    assert_eq!(
        surveys::invite(&app.state, &service("T20260004"))
            .await
            .unwrap(),
        None
    );
    app.state.clock.advance(DAY + 1);
    let later = surveys::invite(&app.state, &service("T20260004"))
        .await
        .unwrap();
    let later = later.expect("a month later, one more");

    let opted = app
        .post(
            &client(),
            &format!("/api/surveys/{later}/opt-out"),
            json!({}),
        )
        .await;
    assert_eq!(opted.status(), StatusCode::NO_CONTENT);
    app.state.clock.advance(60 * DAY);
    assert_eq!(
        surveys::invite(&app.state, &service("T20260004"))
            .await
            .unwrap(),
        None
    );
    // The link still opens (it had expired: a fresh one does) and others are not touched.
    let wang: i64 = sqlx::query_scalar("SELECT id FROM customers WHERE email = $1")
        .bind(WANG)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    let for_wang = Service {
        customer: wang,
        ..service("T20260001")
    };
    assert!(surveys::invite(&app.state, &for_wang)
        .await
        .unwrap()
        .is_some());
    // An opt-out link that was never signed is a 404.
    let bad = app
        .post(&client(), "/api/surveys/1.2.abc/opt-out", json!({}))
        .await;
    assert_eq!(bad.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn delivered_parcels_bring_their_buyers_one_invitation_a_month() {
    let app = spawn().await;
    let start = app.state.clock.now();
    let invited_since = |email: &'static str| {
        let db = app.state.db.clone();
        async move {
            let rows: Vec<(String, String)> = sqlx::query_as(
                "SELECT i.touchpoint, i.reference FROM survey_invitations i JOIN customers c ON c.id = i.customer_id \
                 WHERE c.email = $1 AND i.created_at >= $2",
            )
            .bind(email)
            .bind(start)
            .fetch_all(&db)
            .await
            .unwrap();
            rows
        }
    };
    // Wang's parcel out for delivery is delivered in one step.
    let moved = app
        .post(&client(), "/api/dev/advance-shipments", json!({}))
        .await;
    assert_eq!(moved.status(), StatusCode::OK);
    let wang = invited_since(WANG).await;
    assert_eq!(wang.len(), 1, "{wang:?}");
    assert_eq!(wang[0].0, "delivery");
    let delivered: String = sqlx::query_scalar(
        "SELECT s.status FROM shipments s JOIN orders o ON o.id = s.order_id WHERE o.number = $1",
    )
    .bind(&wang[0].1)
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!(delivered, "delivered");
    // More of their parcels delivered within the month bring no more.
    for _ in 0..8 {
        app.post(&client(), "/api/dev/advance-shipments", json!({}))
            .await;
    }
    for email in [WANG, LI, CHEN] {
        assert!(invited_since(email).await.len() <= 1, "{email}");
    }
    assert_eq!(
        invited_since(CHEN).await.len(),
        1,
        "Chen's parcels arrive too"
    );
}

#[tokio::test]
async fn survey_links_are_rate_limited_per_address() {
    let app = spawn().await;
    let token = invited(&app, WANG, "delivery").await;
    for _ in 0..120 {
        assert_eq!(open(&app, &token).await.status(), StatusCode::OK);
    }
    let limited = open(&app, &token).await;
    assert!(limited.headers().get("retry-after").is_some());
    assert_eq!(
        problem_code(limited).await,
        (StatusCode::TOO_MANY_REQUESTS, "rate_limited".into())
    );
}

#[tokio::test]
async fn the_demo_endpoint_is_demo_only_and_names_a_customer() {
    let app = spawn_with(|c| c.demo = false).await;
    let made = app
        .post(
            &client(),
            "/api/dev/survey-invitations",
            json!({ "email": WANG, "touchpoint": "delivery" }),
        )
        .await;
    assert_eq!(
        problem_code(made).await,
        (StatusCode::NOT_FOUND, "disabled".into())
    );
    let app = spawn().await;
    let stranger = app
        .post(
            &client(),
            "/api/dev/survey-invitations",
            json!({ "email": "nobody@example.com", "touchpoint": "delivery" }),
        )
        .await;
    assert_eq!(stranger.status(), StatusCode::NOT_FOUND);
    // Wang has no return yet: there is nothing to ask about.
    let no_return = app
        .post(
            &client(),
            "/api/dev/survey-invitations",
            json!({ "email": WANG, "touchpoint": "return" }),
        )
        .await;
    assert_eq!(no_return.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_numbers_over_the_seeded_responses_are_plausible_and_match_a_recount() {
    let app = spawn().await;
    let now = app.state.clock.now();
    let finished = count(
        &app,
        "SELECT COUNT(*) FROM survey_responses WHERE finished_at IS NOT NULL",
    )
    .await;
    assert!(finished >= 500, "{finished}");
    let scores = metrics::read_scores(&app.state.db, now - 91 * DAY, now + 1)
        .await
        .unwrap();
    assert!(scores.len() as i64 >= 500);
    let by = metrics::by_touchpoint(&scores);
    let csat = by[0].1.csat.percent_tenths().unwrap();
    let nps = by[2].1.nps.score_tenths().unwrap();
    let ces = by[1].1.ces.mean_tenths().unwrap();
    assert!((600..=900).contains(&csat), "CSAT {csat}");
    assert!((0..=600).contains(&nps), "NPS {nps}");
    assert!((40..=65).contains(&ces), "CES {ces}");
    // Recounted in SQL: the CSAT share is the same.
    let (satisfied, all): (i64, i64) = sqlx::query_as(
        "SELECT CAST(SUM(CASE WHEN a.value IN ('{\"score\":4}', '{\"score\":5}') THEN 1 ELSE 0 END) AS BIGINT), COUNT(*) FROM survey_answers a \
         JOIN survey_responses r ON r.id = a.response_id WHERE r.survey = 'delivery' AND a.question = 'score' \
         AND r.finished_at >= $1",
    )
    .bind(now - 91 * DAY)
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!(
        (
            i64::from(by[0].1.csat.satisfied),
            i64::from(by[0].1.csat.answers)
        ),
        (satisfied, all)
    );
    let weeks = metrics::over_time(
        &scores,
        None,
        now - 91 * DAY,
        now + 1,
        metrics::Period::Week,
    );
    assert_eq!(weeks.len(), 14);
    let counted: u32 = weeks
        .iter()
        .map(|w| w.figures.csat.answers + w.figures.nps.answers() + w.figures.ces.answers)
        .sum();
    assert_eq!(counted as usize, scores.len());
}

#[tokio::test]
async fn a_completed_return_brings_a_survey_about_its_items() {
    let app = spawn_with(|c| c.survey_throttle_days = 0).await;
    let li = client();
    app.sign_in(&li, LI).await;
    let order = crate::returns::shipped_order(&app, LI).await;
    crate::returns::delivered_days_ago(&app, &order, 1).await;
    let body = crate::returns::one_of_line_one(&order, 1);
    let started = crate::returns::start_return(&app, &li, Some("survey-1"), &body).await;
    assert_eq!(started.status(), StatusCode::CREATED);
    let number = started.json::<Value>().await.unwrap()["number"]
        .as_str()
        .unwrap()
        .to_string();
    let about_it = format!(
        "SELECT COUNT(*) FROM survey_invitations WHERE touchpoint = 'return' AND reference = '{number}'"
    );
    for _ in 0..8 {
        let status: String = sqlx::query_scalar("SELECT status FROM returns WHERE number = $1")
            .bind(&number)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
        if status == "refunded" {
            break;
        }
        assert_eq!(count(&app, &about_it).await, 0, "only once it is complete");
        app.post(&client(), "/api/dev/advance-shipments", json!({}))
            .await;
    }
    assert_eq!(count(&app, &about_it).await, 1);
    // The demo endpoint now finds it too, and the link names its items.
    let opened = ok(open(&app, &invited(&app, LI, "return").await).await).await;
    assert_eq!(opened["about"]["reference"], number);
    assert_eq!(opened["survey"]["questions"][0]["answer"]["kind"], "ces");
    assert_eq!(opened["about"]["items"].as_array().unwrap().len(), 1);
}

/// A score written `3.0` is the integer 3 to JSON Schema, which the document's `integer` means:
/// it is taken (it was refused with "invalid type: floating point"); a fraction, a negative or
/// too big a number is not.
#[tokio::test]
async fn a_score_written_as_a_whole_float_is_the_same_score() {
    let app = spawn().await;
    let token = invited(&app, WANG, "delivery").await;
    let id = "3f1c9a52-8d7e-4b7a-9c1e-52a1d0e4f8b3";
    let as_float = json!([{ "question": "score", "value": { "score": 3.0 } }]);
    let saved = ok(save(&app, &token, id, as_float, false).await).await;
    assert_eq!(saved["answers"], json!([score(3)]));
    for refused in [json!(3.5), json!(-1.0), json!(-1), json!(256.0), json!("3")] {
        let answers = json!([{ "question": "score", "value": { "score": refused } }]);
        assert_eq!(
            problem_code(save(&app, &token, id, answers, false).await).await,
            (StatusCode::UNPROCESSABLE_ENTITY, "bad_request".into()),
            "{refused}"
        );
    }
}
