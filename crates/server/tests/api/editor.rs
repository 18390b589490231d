//! The benefit-page editor: who may do what, drafts saved under optimistic locking, review,
//! publishing now and at a time (also across a restart), versions restored and the page taken
//! down, the preview as a tier's reader, the audit log, and typed markup that never reaches a
//! customer.

use crate::helpers::{client, problem_code, spawn, TestApp};
use crate::staff::{desk, send, Desk};
use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};

const EDITOR: usize = 0;
const PUBLISHER: usize = 1;
const ANALYST: usize = 2;
const ADMIN: usize = 3;
const LI: &str = "li.na@example.com"; // gold
const WANG: &str = "wang.wei@example.com"; // regular

fn copy(locale: &str, title: &str, markdown: &str) -> Value {
    json!({ "locale": locale, "title": title, "blocks": [
        { "kind": "hero", "title": title, "subtitle": "Only this week" },
        { "kind": "rich_text", "markdown": markdown },
        { "kind": "tier_comparison" },
        { "kind": "call_to_action", "label": "Shop now", "href": "/orders" },
    ]})
}

fn both(title: &str) -> Vec<Value> {
    vec![
        copy("zh-CN", &format!("{title}（中文）"), "**双倍**积分"),
        copy("en", title, "**Double** points"),
    ]
}

async fn create(app: &TestApp, desk: &Desk, slug: &str, audience: Value) -> Value {
    desk.ok(
        app,
        Method::POST,
        "/api/staff/pages",
        Some(json!({ "slug": slug, "audience": audience })),
    )
    .await
}

async fn save(app: &TestApp, desk: &Desk, slug: &str, revision: u64, copies: Vec<Value>) -> Value {
    let draft = desk
        .ok(app, Method::GET, &format!("/api/staff/pages/{slug}"), None)
        .await;
    desk.ok(
        app,
        Method::PUT,
        &format!("/api/staff/pages/{slug}/draft"),
        Some(json!({ "revision": revision, "audience": draft["audience"], "copies": copies })),
    )
    .await
}

async fn publish(
    app: &TestApp,
    desk: &Desk,
    slug: &str,
    revision: u64,
    at: Option<String>,
) -> Value {
    desk.ok(
        app,
        Method::POST,
        &format!("/api/staff/pages/{slug}/publish"),
        Some(json!({ "revision": revision, "at": at })),
    )
    .await
}

/// What a customer's browser gets for the page in `locale`: its status and hero title.
async fn customer_sees(
    app: &TestApp,
    who: &Client,
    slug: &str,
    locale: &str,
) -> (StatusCode, String) {
    let answer = who
        .get(app.url(&format!("/api/pages/{slug}?locale={locale}")))
        .send()
        .await
        .unwrap();
    let status = answer.status();
    let body: Value = answer.json().await.unwrap();
    let title = body["blocks"][0]["title"]
        .as_str()
        .unwrap_or("")
        .to_string();
    (status, title)
}

fn revision(draft: &Value) -> u64 {
    draft["revision"].as_u64().unwrap()
}

async fn audit_actions(app: &TestApp, target: &str) -> Vec<(String, String)> {
    sqlx::query_as("SELECT actor, action FROM audit_log WHERE target = $1 ORDER BY id")
        .bind(target)
        .fetch_all(&app.state.db)
        .await
        .unwrap()
}

/// Every editor operation on page `slug` (made beforehand), with a body, and who may use it.
fn operations(slug: &str) -> Vec<(Method, String, Option<Value>, &'static [usize])> {
    let page = format!("/api/staff/pages/{slug}");
    let writers: &'static [usize] = &[EDITOR, PUBLISHER];
    let readers: &'static [usize] = &[EDITOR, PUBLISHER, ADMIN];
    let publishers: &'static [usize] = &[PUBLISHER];
    vec![
        (Method::GET, "/api/staff/pages".into(), None, readers),
        (Method::GET, page.clone(), None, readers),
        (Method::GET, format!("{page}/versions"), None, readers),
        (Method::GET, format!("{page}/diff"), None, readers),
        (
            Method::GET,
            format!("/api/pages/{slug}?locale=en&preview=gold"),
            None,
            readers,
        ),
        (
            Method::POST,
            "/api/staff/pages".into(),
            Some(json!({ "slug": format!("{slug}-new"), "audience": { "kind": "everyone" } })),
            writers,
        ),
        (
            Method::PUT,
            format!("{page}/draft"),
            Some(
                json!({ "revision": 1, "audience": { "kind": "tier", "tier": "gold" }, "copies": both("Gold week") }),
            ),
            writers,
        ),
        (
            Method::POST,
            format!("{page}/submit"),
            Some(json!({ "revision": 2 })),
            writers,
        ),
        (
            Method::POST,
            format!("{page}/send-back"),
            Some(json!({ "revision": 2, "comment": "Say until when." })),
            publishers,
        ),
        (
            Method::POST,
            format!("{page}/publish"),
            Some(json!({ "revision": 2 })),
            publishers,
        ),
        (Method::POST, format!("{page}/unpublish"), None, publishers),
        (
            Method::POST,
            format!("{page}/versions/1/restore"),
            None,
            publishers,
        ),
    ]
}

#[tokio::test]
async fn editor_endpoints_refuse_no_session_a_customers_and_a_missing_csrf_token() {
    let app = spawn().await;
    let customer = client();
    app.sign_in(&customer, LI).await;
    let editor = desk(&app, EDITOR).await;
    create(&app, &editor, "gold-week", json!({ "kind": "everyone" })).await;
    for (method, path, body, _) in operations("gold-week") {
        for browser in [&client(), &customer] {
            let refused = send(
                &app,
                browser,
                method.clone(),
                &path,
                Some("x"),
                body.clone(),
            )
            .await;
            assert_eq!(
                problem_code(refused).await,
                (StatusCode::UNAUTHORIZED, "unauthorized".into()),
                "{method} {path}"
            );
        }
        if method != Method::GET {
            let refused = send(&app, &editor.browser, method.clone(), &path, None, body).await;
            assert_eq!(
                problem_code(refused).await,
                (StatusCode::FORBIDDEN, "forbidden".into()),
                "{method} {path} without the CSRF token"
            );
        }
    }
}

#[tokio::test]
async fn each_role_reaches_only_what_it_may_in_the_editor() {
    for who in [EDITOR, PUBLISHER, ANALYST, ADMIN] {
        // Each role on a fresh service, so every operation finds the page as it expects.
        let app = spawn().await;
        let maker = desk(&app, PUBLISHER).await;
        create(&app, &maker, "role-page", json!({ "kind": "everyone" })).await;
        let staff = desk(&app, who).await;
        for (method, path, body, roles) in operations("role-page") {
            let answer = staff.call(&app, method.clone(), &path, body).await;
            let status = answer.status();
            if roles.contains(&who) {
                // Let in: whatever the page's state then says (a preview of a page with no
                // text yet is refused as such), never a refusal of the caller.
                assert!(
                    ![StatusCode::UNAUTHORIZED, StatusCode::FORBIDDEN].contains(&status)
                        && !status.is_server_error(),
                    "{who} {method} {path}: {status} {}",
                    answer.text().await.unwrap()
                );
            } else {
                assert_eq!(
                    problem_code(answer).await,
                    (StatusCode::FORBIDDEN, "forbidden".into()),
                    "{who} {method} {path}"
                );
            }
        }
        if who == PUBLISHER {
            // Every step went through: made, saved, submitted, sent back, published, taken
            // down, restored.
            let draft = staff
                .ok(&app, Method::GET, "/api/staff/pages/role-page", None)
                .await;
            assert_eq!(draft["state"], "published");
            assert_eq!(draft["live_version"], 3);
        }
    }
}

#[tokio::test]
async fn a_save_from_an_older_revision_is_refused_and_the_newer_text_stays() {
    let app = spawn().await;
    let (first, second) = (desk(&app, EDITOR).await, desk(&app, PUBLISHER).await);
    let made = create(&app, &first, "spring", json!({ "kind": "everyone" })).await;
    assert_eq!(revision(&made), 1);
    // Both opened revision 1; the first saves, then the second.
    let saved = save(&app, &first, "spring", 1, both("First editor")).await;
    assert_eq!(revision(&saved), 2);
    let body = json!({ "revision": 1, "audience": { "kind": "everyone" }, "copies": both("Second editor") });
    let refused = second
        .refused(
            &app,
            Method::PUT,
            "/api/staff/pages/spring/draft",
            Some(body),
        )
        .await;
    assert_eq!(refused, (StatusCode::CONFLICT, "edit_conflict".into()));
    let draft = second
        .ok(&app, Method::GET, "/api/staff/pages/spring", None)
        .await;
    assert_eq!(revision(&draft), 2);
    assert_eq!(draft["copies"][1]["title"], "First editor");
    assert_eq!(draft["updated_by"], "editor@portico.test");
    // From the revision now read, the second editor's save goes through.
    let saved = save(&app, &second, "spring", 2, both("Second editor")).await;
    assert_eq!(revision(&saved), 3);

    // Racing saves from one revision: exactly one wins.
    let body = |title: &str| json!({ "revision": 3, "audience": { "kind": "everyone" }, "copies": both(title) });
    let (a, b) = tokio::join!(
        first.call(
            &app,
            Method::PUT,
            "/api/staff/pages/spring/draft",
            Some(body("A"))
        ),
        second.call(
            &app,
            Method::PUT,
            "/api/staff/pages/spring/draft",
            Some(body("B"))
        ),
    );
    let mut statuses = [a.status(), b.status()];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT]);
}

/// The save's UPDATE is guarded by the revision it read; when it changes no row (here a trigger
/// skips it, as a writer getting there between the read and the write would), the save is
/// refused, never answered as saved.
#[tokio::test]
async fn a_save_whose_guarded_update_changed_nothing_is_a_conflict() {
    let app = spawn().await;
    let editor = desk(&app, EDITOR).await;
    create(&app, &editor, "held", json!({ "kind": "everyone" })).await;
    let saved = save(&app, &editor, "held", 1, both("Stored")).await;
    assert_eq!(revision(&saved), 2);
    let skipping = match portico_server::db::Backend::of(&app.state.db) {
        portico_server::db::Backend::Sqlite => vec![
            "CREATE TRIGGER held_drafts BEFORE UPDATE ON page_drafts BEGIN SELECT RAISE(IGNORE); END",
        ],
        portico_server::db::Backend::Postgres => vec![
            "CREATE FUNCTION held_drafts() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NULL; END'",
            "CREATE TRIGGER held_drafts BEFORE UPDATE ON page_drafts FOR EACH ROW EXECUTE FUNCTION held_drafts()",
        ],
    };
    for sql in skipping {
        sqlx::query(sql).execute(&app.state.db).await.unwrap();
    }
    let body = json!({ "revision": 2, "audience": { "kind": "everyone" }, "copies": both("Lost") });
    let refused = editor
        .refused(&app, Method::PUT, "/api/staff/pages/held/draft", Some(body))
        .await;
    assert_eq!(refused, (StatusCode::CONFLICT, "edit_conflict".into()));
    let draft = editor
        .ok(&app, Method::GET, "/api/staff/pages/held", None)
        .await;
    assert_eq!(revision(&draft), 2);
    assert_eq!(draft["copies"][1]["title"], "Stored");
}

#[tokio::test]
async fn a_page_is_drafted_reviewed_scheduled_and_goes_live_at_its_time_also_after_a_restart() {
    let app = spawn().await;
    let (editor, publisher) = (desk(&app, EDITOR).await, desk(&app, PUBLISHER).await);
    let (gold, regular, guest) = (client(), client(), client());
    app.sign_in(&gold, LI).await;
    app.sign_in(&regular, WANG).await;
    create(
        &app,
        &editor,
        "gold-week",
        json!({ "kind": "tier", "tier": "gold" }),
    )
    .await;
    let draft = save(&app, &editor, "gold-week", 1, both("Gold week")).await;
    assert_eq!(draft["state"], "draft");
    assert_eq!(draft["problems"], json!([]));
    // Nobody sees a draft.
    for who in [&gold, &regular, &guest] {
        assert_eq!(
            customer_sees(&app, who, "gold-week", "en").await.0,
            StatusCode::NOT_FOUND
        );
    }

    let submitted = editor
        .ok(
            &app,
            Method::POST,
            "/api/staff/pages/gold-week/submit",
            Some(json!({ "revision": 2 })),
        )
        .await;
    assert_eq!(submitted["review"], "submitted");
    let returned = publisher
        .ok(
            &app,
            Method::POST,
            "/api/staff/pages/gold-week/send-back",
            Some(json!({ "revision": 2, "comment": "Say until when it runs." })),
        )
        .await;
    assert_eq!(
        (returned["review"].clone(), returned["comment"].clone()),
        (json!("returned"), json!("Say until when it runs."))
    );
    save(
        &app,
        &editor,
        "gold-week",
        2,
        both("Gold week, until Sunday"),
    )
    .await;
    editor
        .ok(
            &app,
            Method::POST,
            "/api/staff/pages/gold-week/submit",
            Some(json!({ "revision": 3 })),
        )
        .await;

    // The publisher reads the change against what is live (nothing yet), then schedules it.
    let diff = publisher
        .ok(&app, Method::GET, "/api/staff/pages/gold-week/diff", None)
        .await;
    assert_eq!(diff["changed"], true);
    let en = &diff["locales"][1];
    assert_eq!(en["locale"], "en");
    assert!(en["lines"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["change"] == "added" && l["text"] == "[hero] Gold week, until Sunday"));

    let now = app.state.clock.now();
    let at = time::OffsetDateTime::from_unix_timestamp(now + 3600)
        .unwrap()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let scheduled = publish(&app, &publisher, "gold-week", 3, Some(at)).await;
    assert_eq!(scheduled["state"], "scheduled");
    assert_eq!(scheduled["review"], "editing");
    assert_eq!(
        customer_sees(&app, &gold, "gold-week", "en").await.0,
        StatusCode::NOT_FOUND
    );

    // An hour later the Gold member reads it, the Regular one and a guest still do not.
    app.state.clock.advance(3600);
    assert_eq!(
        customer_sees(&app, &gold, "gold-week", "en").await,
        (StatusCode::OK, "Gold week, until Sunday".into())
    );
    for who in [&regular, &guest] {
        assert_eq!(
            customer_sees(&app, who, "gold-week", "en").await.0,
            StatusCode::NOT_FOUND
        );
    }

    // Scheduled again, then the service restarts before the time and comes back after it.
    save(&app, &editor, "gold-week", 3, both("Gold week, extended")).await;
    let at = time::OffsetDateTime::from_unix_timestamp(app.state.clock.now() + 7200)
        .unwrap()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    publish(&app, &publisher, "gold-week", 4, Some(at)).await;
    let later = app.restart().await;
    later.state.clock.set(app.state.clock.now() + 7200);
    let member = client();
    later.sign_in(&member, LI).await;
    assert_eq!(
        customer_sees(&later, &member, "gold-week", "en").await,
        (StatusCode::OK, "Gold week, extended".into())
    );

    let actions = audit_actions(&app, "gold-week").await;
    let expected = [
        ("editor@portico.test", "page_created"),
        ("editor@portico.test", "page_edited"),
        ("editor@portico.test", "page_submitted"),
        ("publisher@portico.test", "page_sent_back"),
        ("editor@portico.test", "page_edited"),
        ("editor@portico.test", "page_submitted"),
        ("publisher@portico.test", "page_scheduled"),
        ("editor@portico.test", "page_edited"),
        ("publisher@portico.test", "page_scheduled"),
    ];
    assert_eq!(
        actions,
        expected
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .to_vec()
    );
}

#[tokio::test]
async fn versions_are_restored_as_newer_ones_and_a_page_can_be_taken_down() {
    let app = spawn().await;
    let publisher = desk(&app, PUBLISHER).await;
    let guest = client();
    create(
        &app,
        &publisher,
        "member-sale",
        json!({ "kind": "everyone" }),
    )
    .await;
    save(&app, &publisher, "member-sale", 1, both("First")).await;
    publish(&app, &publisher, "member-sale", 2, None).await;
    save(&app, &publisher, "member-sale", 2, both("Second")).await;
    let changed = publisher
        .ok(&app, Method::GET, "/api/staff/pages/member-sale", None)
        .await;
    assert_eq!(changed["state"], "changed");
    publish(&app, &publisher, "member-sale", 3, None).await;
    assert_eq!(
        customer_sees(&app, &guest, "member-sale", "en").await.1,
        "Second"
    );

    // Compare the two versions, then roll back to the first.
    let diff = publisher
        .ok(
            &app,
            Method::GET,
            "/api/staff/pages/member-sale/diff?from=1&to=2",
            None,
        )
        .await;
    let en: Vec<(String, String)> = diff["locales"][1]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["change"] != "same")
        .map(|l| {
            (
                l["change"].as_str().unwrap().into(),
                l["text"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert!(
        en.contains(&("removed".into(), "[hero] First".into())),
        "{en:?}"
    );
    assert!(
        en.contains(&("added".into(), "[hero] Second".into())),
        "{en:?}"
    );

    let restored = publisher
        .ok(
            &app,
            Method::POST,
            "/api/staff/pages/member-sale/versions/1/restore",
            None,
        )
        .await;
    assert_eq!(
        (restored["state"].clone(), restored["live_version"].clone()),
        (json!("published"), json!(3))
    );
    assert_eq!(restored["copies"][1]["title"], "First");
    assert_eq!(
        customer_sees(&app, &guest, "member-sale", "en").await.1,
        "First"
    );

    let unpublished = publisher
        .ok(
            &app,
            Method::POST,
            "/api/staff/pages/member-sale/unpublish",
            None,
        )
        .await;
    assert_eq!(unpublished["state"], "unpublished");
    assert_eq!(
        customer_sees(&app, &guest, "member-sale", "en").await.0,
        StatusCode::NOT_FOUND
    );
    assert!(!app
        .get_json::<Value>(&guest, "/api/pages?locale=en")
        .await
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["slug"] == "member-sale"));
    assert_eq!(
        publisher
            .refused(
                &app,
                Method::POST,
                "/api/staff/pages/member-sale/unpublish",
                None
            )
            .await,
        (StatusCode::CONFLICT, "not_published".into())
    );
    assert_eq!(
        publisher
            .refused(
                &app,
                Method::POST,
                "/api/staff/pages/member-sale/versions/4/restore",
                None
            )
            .await,
        (StatusCode::CONFLICT, "not_published".into())
    );
    let versions = publisher
        .ok(
            &app,
            Method::GET,
            "/api/staff/pages/member-sale/versions",
            None,
        )
        .await;
    let summary: Vec<(u64, String, usize, Option<u64>)> = versions
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["version"].as_u64().unwrap(),
                v["state"].as_str().unwrap().into(),
                v["locales"].as_array().unwrap().len(),
                v["restored_from"].as_u64(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (4, "live".into(), 0, None),
            (3, "superseded".into(), 2, Some(1)),
            (2, "superseded".into(), 2, None),
            (1, "superseded".into(), 2, None),
        ]
    );
    assert_eq!(versions[0]["published_by"], "publisher@portico.test");
    // Restoring brings it back.
    publisher
        .ok(
            &app,
            Method::POST,
            "/api/staff/pages/member-sale/versions/2/restore",
            None,
        )
        .await;
    assert_eq!(
        customer_sees(&app, &guest, "member-sale", "en").await.1,
        "Second"
    );
    let actions: Vec<String> = audit_actions(&app, "member-sale")
        .await
        .into_iter()
        .map(|(_, a)| a)
        .collect();
    for action in ["page_published", "page_restored", "page_unpublished"] {
        assert!(actions.iter().any(|a| a == action), "{action}: {actions:?}");
    }
}

#[tokio::test]
async fn a_missing_language_is_published_only_when_asked_and_the_preview_reads_as_a_tier() {
    let app = spawn().await;
    let publisher = desk(&app, PUBLISHER).await;
    create(
        &app,
        &publisher,
        "gold-only",
        json!({ "kind": "tier", "tier": "gold" }),
    )
    .await;
    save(
        &app,
        &publisher,
        "gold-only",
        1,
        vec![copy("en", "Gold only", "Just English")],
    )
    .await;
    let draft = publisher
        .ok(&app, Method::GET, "/api/staff/pages/gold-only", None)
        .await;
    assert_eq!(draft["missing"], json!(["zh-CN"]));

    // The preview: as a Gold member in English, with the tiers filled in; a Regular member
    // would see no page, and neither would a reader in the language not written.
    let preview = publisher
        .ok(
            &app,
            Method::GET,
            "/api/pages/gold-only?locale=en&preview=gold",
            None,
        )
        .await;
    assert_eq!(preview["title"], "Gold only");
    assert_eq!(preview["blocks"][2]["kind"], "tier_comparison");
    assert_eq!(preview["blocks"][2]["tiers"].as_array().unwrap().len(), 4);
    for query in [
        "locale=en&preview=regular",
        "locale=en&preview=guest",
        "locale=zh-CN&preview=gold",
    ] {
        assert_eq!(
            publisher
                .refused(
                    &app,
                    Method::GET,
                    &format!("/api/pages/gold-only?{query}"),
                    None
                )
                .await,
            (StatusCode::NOT_FOUND, "not_found".into()),
            "{query}"
        );
    }
    // A customer asking for a preview gets no draft.
    let gold = client();
    app.sign_in(&gold, LI).await;
    let answer = gold
        .get(app.url("/api/pages/gold-only?locale=en&preview=gold"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        problem_code(answer).await,
        (StatusCode::UNAUTHORIZED, "unauthorized".into())
    );

    let refused = publisher
        .refused(
            &app,
            Method::POST,
            "/api/staff/pages/gold-only/publish",
            Some(json!({ "revision": 2 })),
        )
        .await;
    assert_eq!(
        refused,
        (StatusCode::UNPROCESSABLE_ENTITY, "missing_language".into())
    );
    publisher
        .ok(
            &app,
            Method::POST,
            "/api/staff/pages/gold-only/publish",
            Some(json!({ "revision": 2, "allow_missing": true })),
        )
        .await;
    assert_eq!(
        customer_sees(&app, &gold, "gold-only", "en").await.0,
        StatusCode::OK
    );
    assert_eq!(
        customer_sees(&app, &gold, "gold-only", "zh-CN").await.0,
        StatusCode::NOT_FOUND
    );
}

/// What an attacker might type into an editor field.
const HOSTILE: [&str; 6] = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "<a href=\"javascript:alert(1)\">x</a>",
    "[data](data:text/html,<script>alert(1)</script>)",
    "<svg onload=alert(1)>",
];

#[tokio::test]
async fn typed_markup_is_kept_as_text_listed_as_a_problem_and_never_published() {
    let app = spawn().await;
    let publisher = desk(&app, PUBLISHER).await;
    create(&app, &publisher, "hostile", json!({ "kind": "everyone" })).await;
    for (index, payload) in HOSTILE.iter().enumerate() {
        let revision = index as u64 + 1;
        // In the Markdown, in a plain-text field and in a button's address.
        let fields = [
            json!({ "kind": "rich_text", "markdown": payload }),
            json!({ "kind": "hero", "title": payload }),
            json!({ "kind": "call_to_action", "label": "Go", "href": payload }),
            json!({ "kind": "faq", "items": [{ "question": payload, "answer": payload }] }),
        ];
        let copies: Vec<Value> = ["zh-CN", "en"]
            .iter()
            .map(|locale| json!({ "locale": locale, "title": payload, "blocks": fields }))
            .collect();
        let saved = publisher
            .ok(
                &app,
                Method::PUT,
                "/api/staff/pages/hostile/draft",
                Some(json!({ "revision": revision, "audience": { "kind": "everyone" }, "copies": copies })),
            )
            .await;
        // Kept exactly as typed: nothing lost, nothing rewritten.
        assert_eq!(saved["copies"][1]["blocks"][0]["markdown"], *payload);
        let problems = saved["problems"].as_array().unwrap();
        // In both languages: the Markdown, the button's address and the answer. The page
        // title, the hero's and the question are plain text, markup and all: only text.
        let blocks: Vec<Value> = problems.iter().map(|p| p["block"].clone()).collect();
        let expected = vec![json!(1), json!(3), json!(4)];
        assert_eq!(
            blocks,
            [expected.clone(), expected].concat(),
            "{payload}: {problems:?}"
        );
        for problem in problems {
            assert!(
                ["raw_html", "link", "unsupported"].contains(&problem["kind"].as_str().unwrap()),
                "{payload}: {problem}"
            );
        }
        let next = revision + 1;
        for (path, body) in [
            ("submit", json!({ "revision": next })),
            (
                "publish",
                json!({ "revision": next, "allow_missing": true }),
            ),
        ] {
            assert_eq!(
                publisher
                    .refused(
                        &app,
                        Method::POST,
                        &format!("/api/staff/pages/hostile/{path}"),
                        Some(body)
                    )
                    .await,
                (StatusCode::UNPROCESSABLE_ENTITY, "page_invalid".into()),
                "{payload} {path}"
            );
        }
        assert_eq!(
            publisher
                .refused(
                    &app,
                    Method::GET,
                    "/api/pages/hostile?locale=en&preview=guest",
                    None
                )
                .await,
            (StatusCode::UNPROCESSABLE_ENTITY, "page_invalid".into()),
        );
    }
    let versions: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM page_versions v JOIN pages p ON p.id = v.page_id WHERE p.slug = 'hostile'",
    )
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!(versions, 0);
}

#[tokio::test]
async fn the_list_tells_each_pages_state_and_bad_input_is_refused_not_failed() {
    let app = spawn().await;
    let publisher = desk(&app, PUBLISHER).await;
    // The demo's pages are listed as published, each from its newest version.
    let list = publisher
        .ok(&app, Method::GET, "/api/staff/pages", None)
        .await;
    let demo = list.as_array().unwrap();
    assert_eq!(demo.len(), 5);
    assert!(demo.iter().all(|p| p["state"] == "published"), "{demo:?}");
    let gold = publisher
        .ok(&app, Method::GET, "/api/staff/pages/gold-benefits", None)
        .await;
    assert_eq!(
        (gold["revision"].clone(), gold["live_version"].clone()),
        (json!(0), json!(1))
    );
    assert_eq!(gold["audience"], json!({ "kind": "tier", "tier": "gold" }));
    // Editing a demo page starts its draft from revision 0.
    let edited = save(&app, &publisher, "gold-benefits", 0, both("Gold, edited")).await;
    assert_eq!(
        (edited["revision"].clone(), edited["state"].clone()),
        (json!(1), json!("changed"))
    );

    create(&app, &publisher, "new-page", json!({ "kind": "everyone" })).await;
    let list = publisher
        .ok(&app, Method::GET, "/api/staff/pages", None)
        .await;
    let state_of = |slug: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|p| p["slug"] == slug)
            .unwrap()["state"]
            .clone()
    };
    assert_eq!(state_of("new-page"), "draft");
    assert_eq!(state_of("gold-benefits"), "changed");
    // The list (read for all pages at once) says of each page what its own draft says.
    for listed in list.as_array().unwrap() {
        let slug = listed["slug"].as_str().unwrap();
        let draft = publisher
            .ok(&app, Method::GET, &format!("/api/staff/pages/{slug}"), None)
            .await;
        for field in ["audience", "state", "review", "updated_at", "updated_by"] {
            assert_eq!(listed.get(field), draft.get(field), "{field} of {slug}");
        }
        let titles: Vec<&Value> = draft["copies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|copy| &copy["title"])
            .collect();
        assert!(
            titles.contains(&&listed["title"]) || (titles.is_empty() && listed["title"] == slug),
            "{listed} / {titles:?}"
        );
    }

    for (body, code) in [
        (
            json!({ "slug": "new-page", "audience": { "kind": "everyone" } }),
            (StatusCode::CONFLICT, "page_exists"),
        ),
        (
            json!({ "slug": "Bad Slug", "audience": { "kind": "everyone" } }),
            (StatusCode::BAD_REQUEST, "bad_request"),
        ),
        (
            json!({ "slug": "x", "audience": { "kind": "tier", "tier": "platinum" } }),
            (StatusCode::BAD_REQUEST, "bad_request"),
        ),
    ] {
        assert_eq!(
            publisher
                .refused(&app, Method::POST, "/api/staff/pages", Some(body.clone()))
                .await,
            (code.0, code.1.into()),
            "{body}"
        );
    }
    let long = "x".repeat(201);
    for copies in [
        json!([{ "locale": "en", "title": long, "blocks": [] }]),
        json!([{ "locale": "en", "title": "a", "blocks": [] }, { "locale": "en", "title": "b", "blocks": [] }]),
    ] {
        let body = json!({ "revision": 1, "audience": { "kind": "everyone" }, "copies": copies });
        assert_eq!(
            publisher
                .refused(
                    &app,
                    Method::PUT,
                    "/api/staff/pages/new-page/draft",
                    Some(body)
                )
                .await
                .0,
            StatusCode::BAD_REQUEST
        );
    }
    assert_eq!(
        publisher
            .refused(&app, Method::GET, "/api/staff/pages/no-such-page", None)
            .await,
        (StatusCode::NOT_FOUND, "not_found".into())
    );
    assert_eq!(
        publisher
            .refused(
                &app,
                Method::POST,
                "/api/staff/pages/new-page/publish",
                Some(json!({ "revision": 1, "at": "tomorrow" }))
            )
            .await,
        (StatusCode::BAD_REQUEST, "bad_request".into())
    );
    // An empty draft has nothing to publish.
    assert_eq!(
        publisher
            .refused(
                &app,
                Method::POST,
                "/api/staff/pages/new-page/publish",
                Some(json!({ "revision": 1, "allow_missing": true }))
            )
            .await,
        (StatusCode::UNPROCESSABLE_ENTITY, "missing_language".into())
    );
}

#[tokio::test]
async fn a_restore_leaves_the_draft_as_the_restored_version_so_the_next_publish_keeps_it() {
    let app = spawn().await;
    let publisher = desk(&app, PUBLISHER).await;
    let guest = client();
    create(&app, &publisher, "spring", json!({ "kind": "everyone" })).await;
    save(&app, &publisher, "spring", 1, both("First")).await;
    publish(&app, &publisher, "spring", 2, None).await;
    save(&app, &publisher, "spring", 2, both("Second")).await;
    let before = publish(&app, &publisher, "spring", 3, None).await;
    assert_eq!(
        customer_sees(&app, &guest, "spring", "en").await.1,
        "Second"
    );

    publisher
        .ok(
            &app,
            Method::POST,
            "/api/staff/pages/spring/versions/1/restore",
            None,
        )
        .await;
    // The draft read afresh is the restored text, at a newer revision: whoever had the page
    // open saves from an older one and is asked which to keep.
    let draft = publisher
        .ok(&app, Method::GET, "/api/staff/pages/spring", None)
        .await;
    assert_eq!(draft["copies"], json!(both("First")));
    assert_eq!(draft["state"], "published");
    assert!(revision(&draft) > revision(&before), "{draft}");
    let stale = json!({ "revision": revision(&before), "audience": { "kind": "everyone" }, "copies": both("Second") });
    assert_eq!(
        publisher
            .refused(
                &app,
                Method::PUT,
                "/api/staff/pages/spring/draft",
                Some(stale)
            )
            .await,
        (StatusCode::CONFLICT, "edit_conflict".into())
    );
    // Submitted and published again: still the restored text.
    let submitted = publisher
        .ok(
            &app,
            Method::POST,
            "/api/staff/pages/spring/submit",
            Some(json!({ "revision": revision(&draft) })),
        )
        .await;
    publish(&app, &publisher, "spring", revision(&submitted), None).await;
    assert_eq!(customer_sees(&app, &guest, "spring", "en").await.1, "First");
    assert_eq!(
        customer_sees(&app, &guest, "spring", "zh-CN").await.1,
        "First（中文）"
    );
}

#[tokio::test]
async fn markup_in_a_plain_text_field_is_kept_and_published_as_the_characters_typed() {
    let app = spawn().await;
    let publisher = desk(&app, PUBLISHER).await;
    let guest = client();
    create(&app, &publisher, "sale", json!({ "kind": "everyone" })).await;
    let typed = "<b>Sale</b> & more";
    let blocks = json!([
        { "kind": "hero", "title": typed, "subtitle": "<i>only</i> this week" },
        { "kind": "benefit_grid", "items": [{ "title": "<u>Pickup</u>", "text": "a < b & c > d" }] },
        { "kind": "faq", "items": [{ "question": "<script>alert(1)</script>?", "answer": "Yes." }] },
        { "kind": "call_to_action", "label": "<em>Shop</em> &amp; save", "href": "/orders" },
    ]);
    let copies = vec![
        json!({ "locale": "zh-CN", "title": typed, "blocks": blocks }),
        json!({ "locale": "en", "title": typed, "blocks": blocks }),
    ];
    let saved = save(&app, &publisher, "sale", 1, copies.clone()).await;
    assert_eq!(saved["problems"], json!([]), "{saved}");
    let draft = publisher
        .ok(&app, Method::GET, "/api/staff/pages/sale", None)
        .await;
    assert_eq!(draft["copies"], json!(copies));
    publish(&app, &publisher, "sale", revision(&draft), None).await;
    // Customers get every plain field exactly as typed (the app draws them as text).
    let page: Value = app.get_json(&guest, "/api/pages/sale?locale=en").await;
    assert_eq!(page["title"], typed);
    assert_eq!(
        page["blocks"][0],
        json!({ "kind": "hero", "title": typed, "subtitle": "<i>only</i> this week" })
    );
    assert_eq!(
        page["blocks"][1]["items"][0],
        json!({ "title": "<u>Pickup</u>", "text": "a < b & c > d" })
    );
    assert_eq!(
        page["blocks"][2]["items"][0]["question"],
        "<script>alert(1)</script>?"
    );
    assert_eq!(page["blocks"][3]["label"], "<em>Shop</em> &amp; save");
    let listed = app.get_json::<Value>(&guest, "/api/pages?locale=en").await;
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["slug"] == "sale" && p["title"] == typed),
        "{listed}"
    );
    // Only control characters are refused in a plain field (a line break or a tab is typed text).
    let bell = vec![json!({ "locale": "en", "title": "Sale\u{7}", "blocks": [] })];
    let saved = save(&app, &publisher, "sale", revision(&draft), bell).await;
    assert_eq!(saved["problems"][0]["kind"], "control_character", "{saved}");
}

/// The send-back comment is taken exactly where the document's schema says (it allowed control
/// characters the service refuses): 1 to 1000 characters of typed text, not blank.
#[tokio::test]
async fn a_send_back_comment_is_taken_exactly_as_the_document_says() {
    let app = spawn().await;
    let editor = desk(&app, EDITOR).await;
    let publisher = desk(&app, PUBLISHER).await;
    let draft = create(&app, &editor, "comments", json!({ "kind": "everyone" })).await;
    let doc: Value = serde_json::from_str(&portico_server::openapi::json()).unwrap();
    let schema = &doc["components"]["schemas"]["SendBack"]["properties"]["comment"];
    let pattern = regex::Regex::new(schema["pattern"].as_str().expect("a pattern")).unwrap();
    let (min, max) = (
        schema["minLength"].as_u64().unwrap() as usize,
        schema["maxLength"].as_u64().unwrap() as usize,
    );
    for sample in [
        "Say until when it runs.".to_string(),
        "第一行\n第二行\r\n\tthird".into(),
        " padded ".into(),
        "".into(),
        " \t\n".into(),
        "\u{3000}".into(),
        "\u{0}".into(),
        "bell\u{7}".into(),
        "\u{1b}[31mred".into(),
        "a\u{b}b".into(),
        "\u{7f}".into(),
        "x\u{85}".into(),
        "x\u{9f}".into(),
        "x".repeat(1000),
        "x".repeat(1001),
    ] {
        let length = sample.chars().count();
        let documented = (min..=max).contains(&length) && pattern.is_match(&sample);
        let answer = publisher
            .call(
                &app,
                Method::POST,
                "/api/staff/pages/comments/send-back",
                Some(json!({ "revision": revision(&draft), "comment": sample })),
            )
            .await;
        let status = answer.status();
        let taken = status == StatusCode::OK;
        // Refused as a parameter out of its bounds (the service's 400) or as the wrong shape.
        assert!(
            taken || [StatusCode::BAD_REQUEST, StatusCode::UNPROCESSABLE_ENTITY].contains(&status),
            "{sample:?}: {status} {}",
            answer.text().await.unwrap()
        );
        assert_eq!(taken, documented, "{sample:?}");
    }
}

/// A draft's block takes only its kind's fields, and the document says so for every kind (it
/// allowed any; a tier comparison took them too).
#[tokio::test]
async fn a_draft_block_takes_no_field_its_kind_does_not_have() {
    let app = spawn().await;
    let editor = desk(&app, EDITOR).await;
    let draft = create(&app, &editor, "closed", json!({ "kind": "everyone" })).await;
    let doc: Value = serde_json::from_str(&portico_server::openapi::json()).unwrap();
    let kinds = doc["components"]["schemas"]["DraftBlock"]["oneOf"]
        .as_array()
        .unwrap();
    assert_eq!(kinds.len(), 6);
    let mut revision = revision(&draft);
    for kind in kinds {
        let name = kind["properties"]["kind"]["enum"][0].as_str().unwrap();
        assert_eq!(kind["additionalProperties"], false, "{name}");
        let block = match name {
            "hero" => json!({ "kind": name, "title": "Gold week" }),
            "rich_text" => json!({ "kind": name, "markdown": "**Double** points" }),
            "benefit_grid" | "faq" => json!({ "kind": name, "items": [] }),
            "tier_comparison" => json!({ "kind": name }),
            "call_to_action" => json!({ "kind": name, "label": "Shop", "href": "/orders" }),
            other => panic!("a kind this test does not know: {other}"),
        };
        let mut extra = block.clone();
        extra["colour"] = json!("red");
        let body = |block: &Value| {
            json!({ "revision": revision, "audience": { "kind": "everyone" }, "copies": [
                { "locale": "en", "title": "Closed", "blocks": [block] },
            ]})
        };
        let path = "/api/staff/pages/closed/draft";
        assert_eq!(
            editor
                .refused(&app, Method::PUT, path, Some(body(&extra)))
                .await,
            (StatusCode::UNPROCESSABLE_ENTITY, "bad_request".into()),
            "{name}"
        );
        let saved = editor.ok(&app, Method::PUT, path, Some(body(&block))).await;
        revision = saved["revision"].as_u64().unwrap();
    }
}
