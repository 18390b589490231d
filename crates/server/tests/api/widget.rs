//! The widget's API: only the partner's page origins get in (CORS for them alone, preflights
//! refused for others, the refusal readable by any page), nothing sets a cookie, identity tokens are taken only as the partner
//! signed them and for a day at most, and the limits hold per visitor. The widget's files, and
//! the demo partner's page.

use crate::helpers::{client, problem_code, spawn, spawn_with, TestApp};
use crate::surveys::invited;
use portico_server::widget::{self, identity, DEMO_PARTNER_KEY};
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};

const PAGE: &str = "http://127.0.0.1:8081";
const LI: &str = "li.na@example.com";

pub(crate) fn path(rest: &str) -> String {
    format!("/api/widget/{DEMO_PARTNER_KEY}{rest}")
}

async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    origin: Option<&str>,
    body: Option<Value>,
) -> Response {
    let mut request = client().request(method, app.url(path));
    if let Some(origin) = origin {
        request = request.header("origin", origin);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.unwrap()
}

pub(crate) async fn from_page(
    app: &TestApp,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> Response {
    call(app, method, path, Some(PAGE), body).await
}

async fn demo_order(app: &TestApp) -> (String, String) {
    sqlx::query_as("SELECT number, contact_email FROM orders ORDER BY id LIMIT 1")
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

async fn secret(app: &TestApp) -> String {
    widget::find(&app.state.db, DEMO_PARTNER_KEY)
        .await
        .unwrap()
        .unwrap()
        .secret
}

/// Every operation of the widget's API, with a body it would take.
async fn every_operation(app: &TestApp) -> Vec<(Method, String, Option<Value>)> {
    let (number, email) = demo_order(app).await;
    let token = invited(app, LI, "delivery").await;
    vec![
        (Method::GET, path(""), None),
        (
            Method::POST,
            path("/lookup"),
            Some(json!({ "order_number": number, "contact": email })),
        ),
        (
            Method::POST,
            path("/feedback"),
            Some(json!({ "id": "widget-origin-000001", "category": "idea", "text": "hi" })),
        ),
        (
            Method::POST,
            path("/identity"),
            Some(
                json!({ "token": identity::sign(&secret(app).await, LI, app.state.clock.now() + 60) }),
            ),
        ),
        (Method::GET, path(&format!("/surveys/{token}")), None),
        (
            Method::PUT,
            path(&format!("/surveys/{token}/response")),
            Some(
                json!({ "response_id": "widget-origin-000002", "answers": [], "finished": false }),
            ),
        ),
        (
            Method::GET,
            path("/survey?response=widget-origin-000003"),
            None,
        ),
        (
            Method::PUT,
            path("/survey/response"),
            Some(
                json!({ "response_id": "widget-origin-000003", "answers": [], "finished": false }),
            ),
        ),
    ]
}

#[tokio::test]
async fn an_origin_not_on_the_allowlist_is_refused_on_every_widget_endpoint() {
    let app = spawn().await;
    for (method, path, body) in every_operation(&app).await {
        for origin in [
            Some("https://evil.example"),
            Some("http://127.0.0.1:8082"),
            Some("null"),
            None,
        ] {
            let refused = call(&app, method.clone(), &path, origin, body.clone()).await;
            // The page can read the refusal (the widget says "not available on this site", not
            // "no connection"), and nothing more: no credentials, no cookie.
            let headers = refused.headers();
            assert_eq!(
                headers["access-control-allow-origin"], "*",
                "{method} {path} from {origin:?}"
            );
            assert!(headers.get("access-control-allow-credentials").is_none());
            assert!(headers.get("set-cookie").is_none());
            assert_eq!(headers["cache-control"], "no-store");
            assert_eq!(
                problem_code(refused).await,
                (StatusCode::FORBIDDEN, "forbidden".into()),
                "{method} {path} from {origin:?}"
            );
            // The preflight a browser would send first is refused too.
            let preflight = client()
                .request(Method::OPTIONS, app.url(&path))
                .header("origin", origin.unwrap_or("https://evil.example"))
                .header("access-control-request-method", method.as_str())
                .send()
                .await
                .unwrap();
            assert_eq!(preflight.status(), StatusCode::FORBIDDEN, "OPTIONS {path}");
            assert!(preflight
                .headers()
                .get("access-control-allow-methods")
                .is_none());
        }
    }
    // Nothing of it was written.
    let kept: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM feedback_messages WHERE partner_id IS NOT NULL")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(kept, 0);
}

#[tokio::test]
async fn the_partners_page_reads_every_endpoint_with_cors_for_its_origin_alone_and_no_cookie() {
    let app = spawn().await;
    for (method, path, body) in every_operation(&app).await {
        let preflight = client()
            .request(Method::OPTIONS, app.url(&path))
            .header("origin", PAGE)
            .header("access-control-request-method", method.as_str())
            .header("access-control-request-headers", "content-type")
            .send()
            .await
            .unwrap();
        assert_eq!(preflight.status(), StatusCode::NO_CONTENT, "OPTIONS {path}");
        let allowed = |name: &str| {
            preflight.headers()[name]
                .to_str()
                .unwrap()
                .to_ascii_lowercase()
        };
        assert!(allowed("access-control-allow-methods")
            .contains(method.as_str().to_ascii_lowercase().as_str()));
        assert!(allowed("access-control-allow-headers").contains("content-type"));
        assert_eq!(allowed("access-control-allow-origin"), PAGE);

        let answer = from_page(&app, method.clone(), &path, body).await;
        assert!(
            answer.status().is_success(),
            "{method} {path}: {}",
            answer.status()
        );
        let headers = answer.headers();
        assert_eq!(headers["access-control-allow-origin"], PAGE, "{path}");
        assert!(headers.get("access-control-allow-credentials").is_none());
        assert!(headers.get("set-cookie").is_none(), "{path} set a cookie");
        assert!(headers
            .get_all("vary")
            .iter()
            .any(|v| v.to_str().unwrap().contains("origin")));
        assert_eq!(headers["cache-control"], "no-store");
    }
    // An unknown key is nobody's widget.
    let unknown = from_page(&app, Method::GET, "/api/widget/pk_nobody", None).await;
    assert_eq!(unknown.headers()["access-control-allow-origin"], "*");
    assert_eq!(
        problem_code(unknown).await,
        (StatusCode::NOT_FOUND, "not_found".into())
    );
}

#[tokio::test]
async fn the_settings_say_what_the_partner_offers() {
    let app = spawn().await;
    let settings: Value = from_page(&app, Method::GET, &path(""), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(settings["partner"], widget::demo::PARTNER_NAME);
    assert_eq!(
        settings["features"],
        json!(["lookup", "feedback", "survey", "tier_badge"])
    );
    assert_eq!(settings["default_locale"], "zh-CN");
    assert!(settings["accent"].as_str().unwrap().starts_with('#'));
    assert_eq!(settings["active_survey"], true);

    // A feature the partner did not switch on is `disabled`, whatever the request.
    sqlx::query("UPDATE partners SET features = 'feedback' WHERE public_key = $1")
        .bind(DEMO_PARTNER_KEY)
        .execute(&app.state.db)
        .await
        .unwrap();
    let (number, email) = demo_order(&app).await;
    let off = from_page(
        &app,
        Method::POST,
        &path("/lookup"),
        Some(json!({ "order_number": number, "contact": email })),
    )
    .await;
    assert_eq!(
        problem_code(off).await,
        (StatusCode::NOT_FOUND, "disabled".into())
    );
    // A partner switched off is nobody's widget.
    sqlx::query("UPDATE partners SET enabled = FALSE")
        .execute(&app.state.db)
        .await
        .unwrap();
    let gone = from_page(&app, Method::GET, &path(""), None).await;
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_lookup_shows_the_masked_order_and_wrong_details_are_one_answer() {
    let app = spawn().await;
    let (number, email) = demo_order(&app).await;
    let found = from_page(
        &app,
        Method::POST,
        &path("/lookup"),
        Some(json!({ "order_number": number, "contact": email })),
    )
    .await;
    assert_eq!(found.status(), StatusCode::OK);
    assert!(found.headers().get("set-cookie").is_none());
    let order: Value = found.json().await.unwrap();
    assert_eq!(order["number"], number);
    assert_eq!(order["masked"], true);
    let body = order.to_string();
    assert!(!body.contains(&email), "the masked view holds no contact");

    let wrong = from_page(
        &app,
        Method::POST,
        &path("/lookup"),
        Some(json!({ "order_number": number, "contact": "nobody@example.com" })),
    )
    .await;
    assert_eq!(
        problem_code(wrong).await,
        (StatusCode::NOT_FOUND, "order_not_found".into())
    );
    let malformed = from_page(
        &app,
        Method::POST,
        &path("/lookup"),
        Some(json!({ "order_number": "PT12", "contact": email })),
    )
    .await;
    assert_eq!(
        problem_code(malformed).await,
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_order_number".into()
        )
    );
}

#[tokio::test]
async fn feedback_from_a_widget_is_kept_once_with_its_partner_and_rating() {
    let app = spawn().await;
    let body = json!({ "id": "widget-feedback-0001", "category": "praise", "text": " 很好 ", "rating": 5 });
    let first = from_page(&app, Method::POST, &path("/feedback"), Some(body.clone())).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let again = from_page(&app, Method::POST, &path("/feedback"), Some(body)).await;
    assert_eq!(again.status(), StatusCode::OK);
    let stored: (String, Option<i64>, Option<i64>, Option<i64>) = sqlx::query_as(
        "SELECT f.text, f.rating, f.customer_id, p.id FROM feedback_messages f \
         LEFT JOIN partners p ON p.id = f.partner_id WHERE f.client_id = 'widget-feedback-0001'",
    )
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!(stored.0, "很好");
    assert_eq!(stored.1, Some(5));
    assert_eq!(stored.2, None);
    assert!(stored.3.is_some());

    let out_of_range =
        json!({ "id": "widget-feedback-0002", "category": "idea", "text": "x", "rating": 6 });
    let refused = from_page(&app, Method::POST, &path("/feedback"), Some(out_of_range)).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // A widget proves no order: naming one is the 404 of an order the sender may not name.
    let (number, _) = demo_order(&app).await;
    let with_order =
        json!({ "id": "widget-feedback-0003", "category": "idea", "text": "x", "order": number });
    let refused = from_page(&app, Method::POST, &path("/feedback"), Some(with_order)).await;
    assert_eq!(
        problem_code(refused).await,
        (StatusCode::NOT_FOUND, "not_found".into())
    );
}

#[tokio::test]
async fn the_tier_badge_takes_only_a_token_the_partner_signed_for_a_day_at_most() {
    let app = spawn().await;
    let now = app.state.clock.now();
    let secret = secret(&app).await;
    let badge = |token: String| {
        let app = &app;
        async move {
            from_page(
                app,
                Method::POST,
                &path("/identity"),
                Some(json!({ "token": token })),
            )
            .await
        }
    };
    let valid = badge(identity::sign(&secret, LI, now + 3600)).await;
    assert_eq!(valid.status(), StatusCode::OK);
    let shown: Value = valid.json().await.unwrap();
    assert_eq!(shown["tier"], "gold");
    assert_eq!(shown["name"]["en"], "Gold");
    // Nothing else of the customer crosses to the partner's page.
    assert_eq!(
        shown.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["name", "tier"]
    );

    let refused = [
        ("forged", identity::sign("another secret", LI, now + 3600)),
        ("expired", identity::sign(&secret, LI, now - 1)),
        (
            "lives too long",
            identity::sign(&secret, LI, now + 25 * 3600),
        ),
        (
            "names nobody",
            identity::sign(&secret, "nobody@example.com", now + 60),
        ),
        ("not a contact", identity::sign(&secret, "Li Na", now + 60)),
        ("not a token", "v1.abc".to_string()),
    ];
    for (why, token) in refused {
        assert_eq!(
            problem_code(badge(token).await).await,
            (StatusCode::UNAUTHORIZED, "invalid_identity".into()),
            "{why}"
        );
    }
}

#[tokio::test]
async fn a_survey_is_answered_through_the_widget_as_through_its_link() {
    let app = spawn().await;
    let token = invited(&app, LI, "support").await;
    let opened: Value = from_page(&app, Method::GET, &path(&format!("/surveys/{token}")), None)
        .await
        .json()
        .await
        .unwrap();
    let first = opened["survey"]["questions"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let saved = from_page(
        &app,
        Method::PUT,
        &path(&format!("/surveys/{token}/response")),
        Some(json!({ "response_id": "widget-survey-000001", "answers": [{ "question": first, "value": { "score": 9 } }], "finished": true })),
    )
    .await;
    assert_eq!(saved.status(), StatusCode::OK);
    let stored: Value = app
        .get_json(&client(), &format!("/api/surveys/{token}"))
        .await;
    assert!(stored["response"]["finished_at"].is_string());
    assert_eq!(
        stored["response"]["answers"][0]["value"],
        json!({ "score": 9 })
    );
    let wrong = from_page(&app, Method::GET, &path("/surveys/1.2.abc"), None).await;
    assert_eq!(wrong.status(), StatusCode::NOT_FOUND);
}

async fn save_partner_survey(app: &TestApp, id: &str, answers: Value, finished: bool) -> Response {
    from_page(
        app,
        Method::PUT,
        &path("/survey/response"),
        Some(json!({ "response_id": id, "answers": answers, "finished": finished })),
    )
    .await
}

#[tokio::test]
async fn a_visitor_answers_the_partners_own_survey_once_and_continues_it_later() {
    let app = spawn().await;
    let opened: Value = from_page(&app, Method::GET, &path("/survey"), None)
        .await
        .json()
        .await
        .unwrap();
    // The demo partner asks the NPS question, and nobody has answered it yet.
    assert_eq!(opened["survey"]["questions"][0]["answer"]["kind"], "nps");
    assert!(opened.get("response").is_none());

    let id = "partner-visitor-0001";
    let score = json!([{ "question": "score", "value": { "score": 4 } }]);
    // Twenty identical first saves at once (a retrying browser) are one response.
    let saves = (0..20).map(|_| save_partner_survey(&app, id, score.clone(), false));
    for saved in futures_util::future::join_all(saves).await {
        assert_eq!(saved.status(), StatusCode::OK);
    }
    // Whose it is: the partner's, and no invitation's or customer's.
    type Owners = (Option<i64>, Option<i64>, Option<i64>, String);
    let stored: Vec<Owners> = sqlx::query_as(
        "SELECT partner_id, invitation_id, customer_id, touchpoint FROM survey_responses WHERE response_id = $1",
    )
    .bind(id)
    .fetch_all(&app.state.db)
    .await
    .unwrap();
    let partner = widget::find(&app.state.db, DEMO_PARTNER_KEY)
        .await
        .unwrap()
        .unwrap()
        .id;
    assert_eq!(
        stored,
        vec![(Some(partner), None, None, "support".to_string())]
    );

    // Coming back with the id its browser kept, the visitor continues where they were.
    let again: Value = from_page(
        &app,
        Method::GET,
        &path(&format!("/survey?response={id}")),
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(again["response"]["answers"], score);
    assert!(again["response"].get("finished_at").is_none());
    let why = json!([{ "question": "why", "value": { "text": "slow replies" } }]);
    let finished: Value = save_partner_survey(&app, id, why, true)
        .await
        .json()
        .await
        .unwrap();
    assert!(finished["finished_at"].is_string());
    assert_eq!(finished["answers"].as_array().unwrap().len(), 2);
    // A detractor's response after a survey link opens a follow-up (a call back); nobody can
    // be called back here.
    assert_eq!(finished["follow_up"], false);
    let cases: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM follow_ups f JOIN survey_responses r ON r.id = f.response_id \
         WHERE r.response_id = $1",
    )
    .bind(id)
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!(cases, 0);

    // An answer the survey does not take is pointed at, and nothing is stored of it.
    let wrong = save_partner_survey(
        &app,
        "partner-visitor-0002",
        json!([{ "question": "score", "value": { "score": 11 } }]),
        false,
    )
    .await;
    assert_eq!(
        problem_code(wrong).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_answer".into())
    );
    // An id another response has (here a survey link's) is nobody else's to write or read.
    let token = invited(&app, LI, "delivery").await;
    let linked = from_page(
        &app,
        Method::PUT,
        &path(&format!("/surveys/{token}/response")),
        Some(json!({ "response_id": "linked-response-0001", "answers": [], "finished": false })),
    )
    .await;
    assert_eq!(linked.status(), StatusCode::OK);
    let taken = save_partner_survey(&app, "linked-response-0001", json!([]), false).await;
    assert_eq!(
        problem_code(taken).await,
        (StatusCode::CONFLICT, "response_id_reused".into())
    );
    let other: Value = from_page(
        &app,
        Method::GET,
        &path("/survey?response=linked-response-0001"),
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    assert!(other.get("response").is_none());
    // A malformed id is the client's mistake.
    let malformed = from_page(&app, Method::GET, &path("/survey?response=x"), None).await;
    assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);

    // A partner that runs no survey of its own says so, and its settings too.
    sqlx::query("UPDATE partners SET active_survey = NULL")
        .execute(&app.state.db)
        .await
        .unwrap();
    let none = from_page(&app, Method::GET, &path("/survey"), None).await;
    assert_eq!(
        problem_code(none).await,
        (StatusCode::NOT_FOUND, "disabled".into())
    );
    let settings: Value = from_page(&app, Method::GET, &path(""), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(settings["active_survey"], false);
}

#[tokio::test]
async fn a_visitor_is_limited_per_partner_and_told_when_to_come_back() {
    let app = spawn().await;
    let limit = portico_server::rate_limit::WIDGET_PER_VISITOR.limit;
    for _ in 0..limit {
        let ok = from_page(&app, Method::GET, &path(""), None).await;
        assert_eq!(ok.status(), StatusCode::OK);
    }
    let limited = from_page(&app, Method::GET, &path(""), None).await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    // The page can read the refusal, and when to retry.
    assert_eq!(limited.headers()["access-control-allow-origin"], PAGE);
    assert!(limited.headers().get("retry-after").is_some());
    // The portal's own API is not counted against the widget's visitor.
    let portal = app.get(&client(), "/api/loyalty/tiers").await;
    assert_eq!(portal.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_loader_and_the_widgets_files_are_readable_from_partners_pages() {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(
        dist.path().join("index.html"),
        "<!doctype html><title>app</title>",
    )
    .unwrap();
    std::fs::write(dist.path().join("widget.js"), "/* loader */").unwrap();
    std::fs::create_dir(dist.path().join("widget")).unwrap();
    std::fs::write(
        dist.path()
            .join("widget/portico-widget-0123456789abcdef.js"),
        "export default 1;",
    )
    .unwrap();
    let static_dir = dist.path().to_path_buf();
    let app = spawn_with(|c| c.static_dir = static_dir).await;

    let loader = app.get(&client(), "/widget.js").await;
    assert_eq!(loader.status(), StatusCode::OK);
    assert_eq!(loader.headers()["access-control-allow-origin"], "*");
    assert_eq!(
        loader.headers()["cross-origin-resource-policy"],
        "cross-origin"
    );
    assert_eq!(loader.headers()["cache-control"], "public, max-age=300");

    let file = app
        .get(&client(), "/widget/portico-widget-0123456789abcdef.js")
        .await;
    assert_eq!(file.status(), StatusCode::OK);
    assert_eq!(file.headers()["access-control-allow-origin"], "*");
    assert_eq!(
        file.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    for missing in ["/widget/nothing.js", "/widget/", "/widget/nothing/"] {
        let answer = app.get(&client(), missing).await;
        assert_eq!(answer.status(), StatusCode::NOT_FOUND, "{missing}");
    }
    // The portal's own pages are not for other origins.
    let page = app.get(&client(), "/track").await;
    assert!(page.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn the_demo_partners_page_embeds_the_widget_under_a_strict_policy() {
    let app = spawn().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let site = format!("http://{}", listener.local_addr().unwrap());
    let router = widget::demo::router(app.state.clone(), app.base.clone());
    tokio::spawn(async move { axum::serve(listener, router).await });

    let page = client().get(format!("{site}/")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        csp.contains(&format!(
            "script-src 'self' {} 'wasm-unsafe-eval'",
            app.base
        )),
        "{csp}"
    );
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    let html = page.text().await.unwrap();
    assert!(html.contains(&format!(
        r#"<script src="{}/widget.js" data-partner="{DEMO_PARTNER_KEY}" async></script>"#,
        app.base
    )));
    assert!(!html.contains("<script>"), "no inline script");
    assert!(!html.contains("style="), "no inline style");

    let secret = secret(&app).await;
    let now = app.state.clock.now();
    let token = |forged: bool| {
        let url = format!(
            "{site}/identity?sub={LI}{}",
            if forged { "&forged=1" } else { "" }
        );
        async move {
            let body: Value = client()
                .get(url)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            body["token"].as_str().unwrap().to_string()
        }
    };
    assert_eq!(
        identity::verify(&secret, &token(false).await, now).as_deref(),
        Ok(LI)
    );
    assert_eq!(
        identity::verify(&secret, &token(true).await, now),
        Err(identity::Refused::Forged)
    );
}
