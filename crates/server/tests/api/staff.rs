//! Staff accounts: sign-in with a password (one answer for every wrong one, limited), sessions
//! of their own that a customer's never opens, the CSRF token on every write, what each role may
//! do, the last admin kept, and the audit log that records it all and cannot be rewritten.

use crate::helpers::{client, problem_code, set_cookie, spawn, TestApp};
use portico_server::staff::DEMO_STAFF;
use reqwest::{Client, Method, Response, StatusCode};
use serde_json::{json, Value};

const ADMIN: usize = 3;

/// A staff browser and its CSRF token.
pub(crate) struct Desk {
    pub(crate) browser: Client,
    csrf: String,
}

pub(crate) async fn desk(app: &TestApp, who: usize) -> Desk {
    let (browser, csrf) = staff_browser(app, who).await;
    Desk { browser, csrf }
}

impl Desk {
    pub(crate) async fn call(
        &self,
        app: &TestApp,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Response {
        send(app, &self.browser, method, path, Some(&self.csrf), body).await
    }

    /// The answer's JSON, asserting it succeeded.
    pub(crate) async fn ok(
        &self,
        app: &TestApp,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Value {
        let answer = self.call(app, method.clone(), path, body).await;
        let status = answer.status();
        let text = answer.text().await.unwrap();
        assert!(status.is_success(), "{method} {path}: {status} {text}");
        serde_json::from_str(&text).unwrap()
    }

    pub(crate) async fn refused(
        &self,
        app: &TestApp,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, String) {
        problem_code(self.call(app, method, path, body).await).await
    }
}

/// A browser signed in as demo staff member `who` (an index into `DEMO_STAFF`), and its CSRF
/// token.
pub(crate) async fn staff_browser(app: &TestApp, who: usize) -> (Client, String) {
    let (email, _, _, password) = DEMO_STAFF[who];
    let browser = client();
    let signed: Value = sign_in(app, &browser, email, password)
        .await
        .json()
        .await
        .unwrap();
    let csrf = signed["csrf_token"].as_str().unwrap().to_string();
    (browser, csrf)
}

pub(crate) async fn sign_in(
    app: &TestApp,
    browser: &Client,
    email: &str,
    password: &str,
) -> Response {
    app.post(
        browser,
        "/api/staff/sign-in",
        json!({ "email": email, "password": password }),
    )
    .await
}

pub(crate) async fn send(
    app: &TestApp,
    browser: &Client,
    method: Method,
    path: &str,
    csrf: Option<&str>,
    body: Option<Value>,
) -> Response {
    let mut request = browser.request(method, app.url(path));
    if let Some(csrf) = csrf {
        request = request.header("x-csrf-token", csrf);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.unwrap()
}

/// Every staff operation past sign-in, with a body it would take, and the roles that may use it.
fn operations(app_staff_id: i64) -> Vec<(Method, String, Option<Value>, &'static [&'static str])> {
    vec![
        (Method::GET, "/api/staff/accounts".into(), None, &["admin"]),
        (
            Method::POST,
            "/api/staff/accounts".into(),
            Some(
                json!({ "email": "new.editor@portico.test", "name": "Wu Fang 吴芳", "role": "editor", "password": "a-long-enough-password" }),
            ),
            &["admin"],
        ),
        (
            Method::PATCH,
            format!("/api/staff/accounts/{app_staff_id}"),
            Some(json!({ "role": "analyst" })),
            &["admin"],
        ),
        (
            Method::GET,
            "/api/staff/audit".into(),
            None,
            &["admin", "publisher"],
        ),
        (
            Method::GET,
            "/api/staff/returns".into(),
            None,
            &["admin", "publisher"],
        ),
    ]
}

async fn editor_id(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT id FROM staff WHERE email = $1")
        .bind(DEMO_STAFF[0].0)
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn staff_endpoints_refuse_no_session_and_a_customers_session() {
    let app = spawn().await;
    let customer = client();
    app.sign_in(&customer, "li.na@example.com").await;
    let mut all = operations(editor_id(&app).await);
    all.push((Method::POST, "/api/staff/sign-out".into(), None, &[]));
    all.push((
        Method::POST,
        "/api/staff/sign-out-everywhere".into(),
        None,
        &[],
    ));
    // Deciding a return (per role: return_reviews.rs).
    all.push((
        Method::POST,
        "/api/staff/returns/R20000001/decision".into(),
        Some(json!({ "decision": "approve" })),
        &[],
    ));
    for (method, path, body, _) in all {
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
    }
    // A customer's browser has no staff session to read either.
    let session: Value = app.get_json(&customer, "/api/staff/session").await;
    assert_eq!(session, json!({}));
}

#[tokio::test]
async fn each_role_reaches_only_what_it_may() {
    let app = spawn().await;
    let target = editor_id(&app).await;
    for (who, (_, _, role, _)) in DEMO_STAFF.iter().enumerate() {
        let (browser, csrf) = staff_browser(&app, who).await;
        for (method, path, body, roles) in operations(target) {
            let answer = send(&app, &browser, method.clone(), &path, Some(&csrf), body).await;
            if roles.contains(&role.as_str()) {
                assert!(
                    answer.status().is_success(),
                    "{} {method} {path}: {}",
                    role.as_str(),
                    answer.status()
                );
            } else {
                assert_eq!(
                    problem_code(answer).await,
                    (StatusCode::FORBIDDEN, "forbidden".into()),
                    "{} {method} {path}",
                    role.as_str()
                );
            }
        }
    }
}

#[tokio::test]
async fn a_staff_write_needs_its_sessions_csrf_token() {
    let app = spawn().await;
    let (admin, csrf) = staff_browser(&app, ADMIN).await;
    let (_, someone_elses) = staff_browser(&app, 1).await;
    let body = json!({ "email": "csrf@portico.test", "name": "Lin", "role": "analyst", "password": "a-long-enough-password" });
    for token in [None, Some("0".repeat(64)), Some(someone_elses)] {
        let refused = send(
            &app,
            &admin,
            Method::POST,
            "/api/staff/accounts",
            token.as_deref(),
            Some(body.clone()),
        )
        .await;
        assert_eq!(
            problem_code(refused).await,
            (StatusCode::FORBIDDEN, "forbidden".into()),
            "{token:?}"
        );
    }
    let made: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM staff WHERE email = 'csrf@portico.test'")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(made, 0);
    let signed_out = send(
        &app,
        &admin,
        Method::POST,
        "/api/staff/sign-out",
        None,
        None,
    )
    .await;
    assert_eq!(signed_out.status(), StatusCode::FORBIDDEN);
    // With it, the write goes through; the session read gives the same token back.
    let session: Value = app.get_json(&admin, "/api/staff/session").await;
    assert_eq!(session["csrf_token"], csrf);
    assert_eq!(session["staff"]["role"], "admin");
    let added = send(
        &app,
        &admin,
        Method::POST,
        "/api/staff/accounts",
        Some(&csrf),
        Some(body),
    )
    .await;
    assert_eq!(added.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn a_wrong_password_an_unknown_email_and_a_disabled_account_are_one_answer() {
    let app = spawn().await;
    let (email, _, _, password) = DEMO_STAFF[0];
    let right = sign_in(&app, &client(), &email.to_uppercase(), password).await;
    assert_eq!(right.status(), StatusCode::OK);
    let cookie = set_cookie(&right, "portico_staff").expect("the staff session cookie");
    for part in [
        "portico_staff=",
        "HttpOnly",
        "SameSite=Strict",
        "Path=/",
        "Max-Age=28800",
    ] {
        assert!(cookie.contains(part), "{cookie}");
    }
    let signed: Value = right.json().await.unwrap();
    assert_eq!(signed["staff"]["email"], email);
    assert!(signed["expires_at"].is_string());

    sqlx::query("UPDATE staff SET enabled = FALSE WHERE email = $1")
        .bind(DEMO_STAFF[2].0)
        .execute(&app.state.db)
        .await
        .unwrap();
    let tries = [
        (email, "not-the-password"),
        ("nobody@portico.test", password),
        (DEMO_STAFF[2].0, DEMO_STAFF[2].3),
    ];
    let mut bodies = Vec::new();
    for (email, password) in tries {
        let refused = sign_in(&app, &client(), email, password).await;
        assert_eq!(refused.status(), StatusCode::UNAUTHORIZED, "{email}");
        assert!(refused.headers().get("set-cookie").is_none());
        bodies.push(refused.text().await.unwrap());
    }
    assert!(
        bodies.windows(2).all(|pair| pair[0] == pair[1]),
        "{bodies:?}"
    );
    assert!(bodies[0].contains("invalid_credentials"));
}

#[tokio::test]
async fn guessing_a_staff_password_is_slowed_per_email() {
    let app = spawn().await;
    let browser = client();
    for _ in 0..10 {
        let wrong = sign_in(&app, &browser, DEMO_STAFF[0].0, "wrong-password-guess").await;
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    }
    let limited = sign_in(&app, &browser, DEMO_STAFF[0].0, DEMO_STAFF[0].3).await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.headers().contains_key("retry-after"));
    // Another staff member signing in from the same address is not held up.
    let other = sign_in(&app, &browser, DEMO_STAFF[1].0, DEMO_STAFF[1].3).await;
    assert_eq!(other.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_admin_adds_re_roles_and_disables_staff_and_keeps_one_admin() {
    let app = spawn().await;
    let (admin, csrf) = staff_browser(&app, ADMIN).await;
    let write = |method: Method, path: String, body: Value| {
        let (admin, csrf) = (admin.clone(), csrf.clone());
        let app = &app;
        async move { send(app, &admin, method, &path, Some(&csrf), Some(body)).await }
    };
    let new = json!({ "email": " Wu.Fang@Portico.test ", "name": "Wu Fang 吴芳", "role": "editor", "password": "a-long-enough-password" });
    let added: Value = write(Method::POST, "/api/staff/accounts".into(), new.clone())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(added["email"], "wu.fang@portico.test");
    assert_eq!(added["enabled"], true);
    let again = write(Method::POST, "/api/staff/accounts".into(), new.clone()).await;
    assert_eq!(
        problem_code(again).await,
        (StatusCode::CONFLICT, "staff_exists".into())
    );
    let mut weak = new.clone();
    weak["email"] = json!("weak@portico.test");
    weak["password"] = json!("short");
    let weak = write(Method::POST, "/api/staff/accounts".into(), weak).await;
    assert_eq!(
        problem_code(weak).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "weak_password".into())
    );
    let mut odd = new.clone();
    odd["email"] = json!("not an email");
    let odd = write(Method::POST, "/api/staff/accounts".into(), odd).await;
    assert_eq!(
        problem_code(odd).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_contact".into())
    );

    // The new editor signs in, is made a publisher (their open session takes the new role),
    // then disabled: their session ends at once.
    let wu = client();
    assert_eq!(
        sign_in(&app, &wu, "wu.fang@portico.test", "a-long-enough-password")
            .await
            .status(),
        StatusCode::OK
    );
    let id = added["id"].as_i64().unwrap();
    let promoted: Value = write(
        Method::PATCH,
        format!("/api/staff/accounts/{id}"),
        json!({ "role": "publisher" }),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(promoted["role"], "publisher");
    assert_eq!(
        app.get(&wu, "/api/staff/audit").await.status(),
        StatusCode::OK
    );
    let disabled = write(
        Method::PATCH,
        format!("/api/staff/accounts/{id}"),
        json!({ "enabled": false }),
    )
    .await;
    assert_eq!(disabled.status(), StatusCode::OK);
    assert_eq!(
        app.get(&wu, "/api/staff/audit").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let list: Value = app.get_json(&admin, "/api/staff/accounts").await;
    let listed = list["staff"].as_array().unwrap();
    assert_eq!(listed.len(), 5);
    assert_eq!(listed[0]["role"], "admin");

    // The only admin can neither step down nor be disabled.
    let admin_id = list["staff"][0]["id"].as_i64().unwrap();
    for change in [json!({ "role": "editor" }), json!({ "enabled": false })] {
        let refused = write(
            Method::PATCH,
            format!("/api/staff/accounts/{admin_id}"),
            change,
        )
        .await;
        assert_eq!(
            problem_code(refused).await,
            (StatusCode::CONFLICT, "last_admin".into())
        );
    }
    let nobody = write(
        Method::PATCH,
        "/api/staff/accounts/9999".into(),
        json!({ "role": "editor" }),
    )
    .await;
    assert_eq!(nobody.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn signing_out_everywhere_ends_every_session_of_that_staff_member() {
    let app = spawn().await;
    let (laptop, csrf) = staff_browser(&app, 1).await;
    let (phone, _) = staff_browser(&app, 1).await;
    let (colleague, _) = staff_browser(&app, ADMIN).await;
    let out = send(
        &app,
        &laptop,
        Method::POST,
        "/api/staff/sign-out-everywhere",
        Some(&csrf),
        None,
    )
    .await;
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    for browser in [&laptop, &phone] {
        let session: Value = app.get_json(browser, "/api/staff/session").await;
        assert_eq!(session, json!({}));
    }
    let still: Value = app.get_json(&colleague, "/api/staff/session").await;
    assert_eq!(still["staff"]["role"], "admin");
}

#[tokio::test]
async fn the_audit_log_records_every_staff_action_and_cannot_be_rewritten() {
    let app = spawn().await;
    sign_in(&app, &client(), DEMO_STAFF[0].0, "wrong-password-here").await;
    let (admin, csrf) = staff_browser(&app, ADMIN).await;
    let added: Value = send(&app, &admin, Method::POST, "/api/staff/accounts", Some(&csrf),
        Some(json!({ "email": "audit@portico.test", "name": "Audit", "role": "analyst", "password": "a-long-enough-password" })))
        .await
        .json()
        .await
        .unwrap();
    let id = added["id"].as_i64().unwrap();
    send(
        &app,
        &admin,
        Method::PATCH,
        &format!("/api/staff/accounts/{id}"),
        Some(&csrf),
        Some(json!({ "role": "editor" })),
    )
    .await;
    let log: Value = app.get_json(&admin, "/api/staff/audit").await;
    let seen: Vec<(String, String, Option<String>, Option<String>)> = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["actor"].as_str().unwrap().to_string(),
                e["action"].as_str().unwrap().to_string(),
                e["target"].as_str().map(String::from),
                e["detail"].as_str().map(String::from),
            )
        })
        .collect();
    let admin_email = DEMO_STAFF[ADMIN].0.to_string();
    let audit = Some("audit@portico.test".to_string());
    assert_eq!(
        seen,
        vec![
            (
                admin_email.clone(),
                "staff_changed".into(),
                audit.clone(),
                Some("role: analyst -> editor".into())
            ),
            (
                admin_email.clone(),
                "staff_added".into(),
                audit,
                Some("role: analyst".into())
            ),
            (admin_email, "sign_in".into(), None, None),
            (
                DEMO_STAFF[0].0.to_string(),
                "sign_in_failed".into(),
                None,
                None
            ),
        ]
    );
    // Append-only, by the database itself.
    for statement in [
        "UPDATE audit_log SET actor = 'someone else'",
        "DELETE FROM audit_log",
    ] {
        let refused = sqlx::query(statement).execute(&app.state.db).await;
        assert!(refused.is_err(), "{statement}");
    }
    let kept: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(kept, 4);
}
