//! What every answer carries (security headers, cache policy), what the API answers for paths
//! that are not operations, who may write, cookies over https, and the time limits.

use crate::helpers::{client, problem_code, set_cookie, spawn, spawn_with, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const WANG: &str = "wang.wei@example.com";

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(
        dist.path().join("index.html"),
        r#"<html><head><script type="module">start()</script></head></html>"#,
    )
    .unwrap();
    let static_dir = dist.path().to_path_buf();
    let app = spawn_with(move |config| config.static_dir = static_dir).await;
    let browser = client();
    app.sign_in(&browser, WANG).await;
    for (path, cache) in [
        ("/", "no-cache"),
        ("/orders", "no-cache"),
        ("/api/auth/session", "no-store"),
        ("/api/orders", "no-store"),
        ("/api/nope", "no-store"),
        ("/api/openapi.json", "no-store"),
    ] {
        let answer = app.get(&browser, path).await;
        let headers = answer.headers();
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(csp.contains("'wasm-unsafe-eval'"), "{path}: {csp}");
        assert!(
            csp.contains("'sha256-"),
            "{path}: the start-up script's hash: {csp}"
        );
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert!(!csp.contains("'unsafe-eval'"), "{path}: {csp}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(
            headers["referrer-policy"], "strict-origin-when-cross-origin",
            "{path}"
        );
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
        assert_eq!(headers["cache-control"], cache, "{path}");
        assert!(headers.get("strict-transport-security").is_none(), "{path}");
    }
    // The staff editor frames a benefit page's preview from this origin, and nothing else is
    // framed: the same page without `preview` is not, nor any other page with it.
    for (path, ancestors, frame) in [
        (
            "/benefits/gold-benefits?preview=gold&lang=en",
            "'self'",
            "SAMEORIGIN",
        ),
        ("/benefits/gold-benefits?lang=en", "'none'", "DENY"),
        ("/orders?preview=gold", "'none'", "DENY"),
    ] {
        let answer = app.get(&browser, path).await;
        let headers = answer.headers();
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains(&format!("frame-ancestors {ancestors}")),
            "{path}: {csp}"
        );
        assert_eq!(headers["x-frame-options"], frame, "{path}");
    }
}

/// The API's 404s are never stored, however the path is spelled (`/api` and `/API/...` were
/// `no-cache`).
#[tokio::test]
async fn the_apis_404s_are_never_stored() {
    let app = spawn().await;
    for path in ["/api", "/api/", "/API/orders", "/Api", "/api/nope"] {
        let answer = app.get(&client(), path).await;
        assert_eq!(answer.headers()["cache-control"], "no-store", "{path}");
        assert_eq!(
            problem_code(answer).await,
            (StatusCode::NOT_FOUND, "not_found".into()),
            "{path}"
        );
    }
}

/// Only a file named after its content that the build holds is kept a year: a name that only
/// looks hashed (a chunk missing during a rolling deploy) gets the app's page or a 404, and
/// that is revalidated like anything else (it was kept a year, from any origin on the widget's).
#[tokio::test]
async fn only_a_hashed_file_the_build_holds_is_kept_for_a_year() {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(dist.path().join("index.html"), "<html>app</html>").unwrap();
    std::fs::write(dist.path().join("portico-0123456789abcdef_bg.wasm"), "wasm").unwrap();
    let static_dir = dist.path().to_path_buf();
    let app = spawn_with(move |config| config.static_dir = static_dir).await;
    const YEAR: &str = "public, max-age=31536000, immutable";

    // (The widget's own files: widget::the_loader_and_the_widgets_files_are_readable_...)
    let path = "/portico-0123456789abcdef_bg.wasm";
    let file = app.get(&client(), path).await;
    assert_eq!(file.status(), StatusCode::OK);
    assert_eq!(file.headers()["cache-control"], YEAR);
    // Revalidated, it stays so.
    let modified = file.headers()["last-modified"].clone();
    let again = client()
        .get(app.url(path))
        .header("if-modified-since", modified)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(again.headers()["cache-control"], YEAR);

    let fallback = app
        .get(&client(), "/portico-0123456789abcdee_bg.wasm")
        .await;
    assert_eq!(fallback.status(), StatusCode::OK);
    assert_eq!(fallback.headers()["cache-control"], "no-cache");
    assert_eq!(fallback.text().await.unwrap(), "<html>app</html>");
    for missing in [
        "/widget/x-0123456789abcdef.js",
        "/widget/portico-widget-0123456789abcdee_bg.wasm",
    ] {
        let answer = app.get(&client(), missing).await;
        assert_eq!(answer.status(), StatusCode::NOT_FOUND, "{missing}");
        assert_eq!(answer.headers()["cache-control"], "no-cache", "{missing}");
    }
}

#[tokio::test]
async fn the_staff_app_has_its_own_page_under_staff_and_its_start_up_script_is_allowed() {
    let dist = tempfile::tempdir().unwrap();
    std::fs::create_dir(dist.path().join("staff")).unwrap();
    std::fs::write(
        dist.path().join("index.html"),
        r#"<html><script type="module">portal()</script></html>"#,
    )
    .unwrap();
    std::fs::write(
        dist.path().join("staff/index.html"),
        r#"<html><script type="module">staff()</script>the staff app</html>"#,
    )
    .unwrap();
    let static_dir = dist.path().to_path_buf();
    let app = spawn_with(move |config| config.static_dir = static_dir).await;
    for path in ["/staff/", "/staff/accounts", "/staff/pages/spring-campaign"] {
        let answer = app.get(&client(), path).await;
        assert_eq!(answer.status(), StatusCode::OK, "{path}");
        let csp = answer.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string();
        // Both bundles' start-up scripts, by their hashes, and nothing inline else.
        assert_eq!(csp.matches("'sha256-").count(), 2, "{csp}");
        assert!(
            answer.text().await.unwrap().contains("the staff app"),
            "{path}"
        );
    }
    // The customer portal's pages never get the staff app's.
    let portal = app.get(&client(), "/orders").await.text().await.unwrap();
    assert!(!portal.contains("the staff app"));
    let prefix = app.get(&client(), "/staffroom").await.text().await.unwrap();
    assert!(!prefix.contains("the staff app"));
}

#[tokio::test]
async fn paths_under_api_that_are_not_operations_are_problem_404s() {
    let app = spawn().await;
    for path in [
        "/api/nope",
        "/api",
        "/api/",
        "/API/orders",
        "/Api",
        "/api/orders/x/y",
    ] {
        let answer = app.get(&client(), path).await;
        assert_eq!(
            problem_code(answer).await,
            (StatusCode::NOT_FOUND, "not_found".into()),
            "{path}"
        );
    }
    // The app's own routes that merely start with the letters stay the app's.
    let route = app.get(&client(), "/apiary").await;
    assert_ne!(
        route
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap()),
        Some("application/problem+json")
    );
}

#[tokio::test]
async fn a_write_to_a_file_or_an_operation_that_only_reads_is_a_problem_405() {
    let app = spawn().await;
    for path in ["/index.html", "/orders", "/api/orders"] {
        let answer = app.post(&client(), path, json!({})).await;
        let allow = answer.headers().get("allow").cloned();
        assert_eq!(
            problem_code(answer).await,
            (StatusCode::METHOD_NOT_ALLOWED, "bad_request".into()),
            "{path}"
        );
        assert!(
            allow.is_some_and(|a| a.to_str().unwrap().contains("GET")),
            "{path}"
        );
    }
}

#[tokio::test]
async fn writes_from_another_site_are_refused() {
    let app = spawn().await;
    let browser = client();
    app.sign_in(&browser, WANG).await;
    let host = app.base.trim_start_matches("http://").to_string();
    for (path, origin) in [
        ("/api/auth/sign-out", "https://evil.example"),
        ("/api/auth/sign-out", "null"),
        ("/api/dev/advance-shipments", "https://evil.example"),
        (
            "/api/staff/returns/R20000001/decision",
            "https://evil.example",
        ),
        ("/api/auth/code", "http://127.0.0.1:1"),
    ] {
        let refused = browser
            .post(app.url(path))
            .header("origin", origin)
            .json(&json!({ "contact": WANG }))
            .send()
            .await
            .unwrap();
        assert_eq!(
            problem_code(refused).await,
            (StatusCode::FORBIDDEN, "forbidden".into()),
            "{path} from {origin}"
        );
    }
    // A form posted from another site says so in Sec-Fetch-Site even without Origin.
    let cross = browser
        .post(app.url("/api/auth/sign-out"))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(cross.status(), StatusCode::FORBIDDEN);
    // Still signed in; the same request from this site signs out.
    let session: Value = app.get_json(&browser, "/api/auth/session").await;
    assert_eq!(session["customer"]["name"], "王伟");
    let ours = browser
        .post(app.url("/api/auth/sign-out"))
        .header("origin", format!("http://{host}"))
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .unwrap();
    assert_eq!(ours.status(), StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn over_https_the_session_cookie_is_host_bound_and_secure() {
    let app = spawn_with(|config| {
        config.public_url =
            Some(portico_server::config::PublicUrl::parse("https://portal.example.com").unwrap());
    })
    .await;
    let browser = client();
    let code = app.expect_code(&browser, WANG).await;
    let verified = app.verify(&browser, WANG, &code).await;
    assert!(verified
        .headers()
        .get("strict-transport-security")
        .is_some());
    // By its name: signing in sets the browser's device cookie too, in no fixed order.
    let cookie = set_cookie(&verified, "__Host-portico_session").expect("the session's cookie");
    assert!(cookie.starts_with("__Host-portico_session="), "{cookie}");
    assert!(cookie.contains("Secure"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
    assert!(!cookie.contains("Domain"), "{cookie}");
    // The browser sends it back (over https, through the proxy in front): it is the session.
    let pair = cookie.split(';').next().unwrap().to_string();
    let session: Value = reqwest::Client::new()
        .get(app.url("/api/auth/session"))
        .header("cookie", pair)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(session["customer"]["name"], "王伟");
    // Writes must come from the public origin.
    let elsewhere = browser
        .post(app.url("/api/auth/sign-out"))
        .header("origin", app.base.as_str())
        .send()
        .await
        .unwrap();
    assert_eq!(elsewhere.status(), StatusCode::FORBIDDEN);
}

/// A plain TCP connection to the service, to speak to it byte by byte.
async fn connect(app: &TestApp) -> TcpStream {
    TcpStream::connect(app.base.trim_start_matches("http://"))
        .await
        .unwrap()
}

/// Reads until the server closes the connection; how long that took.
async fn time_until_closed(stream: &mut TcpStream, within: Duration) -> Duration {
    let started = Instant::now();
    let mut buffer = [0u8; 4096];
    loop {
        match tokio::time::timeout(within, stream.read(&mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return started.elapsed(),
            Ok(Ok(_)) => continue,
            Err(_) => panic!("the connection was still open after {within:?}"),
        }
    }
}

#[tokio::test]
async fn a_client_that_stops_halfway_through_its_headers_is_disconnected() {
    let app = spawn_with(|config| config.header_timeout_secs = 1).await;
    let mut stream = connect(&app).await;
    stream.write_all(b"GET /api/auth/sess").await.unwrap();
    time_until_closed(&mut stream, Duration::from_secs(10)).await;
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed() {
    let app = spawn_with(|config| config.header_timeout_secs = 1).await;
    let mut stream = connect(&app).await;
    stream
        .write_all(b"GET /api/auth/session HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut first = [0u8; 12];
    stream.read_exact(&mut first).await.unwrap();
    assert_eq!(&first, b"HTTP/1.1 200");
    time_until_closed(&mut stream, Duration::from_secs(10)).await;
}

#[tokio::test]
async fn a_connection_that_says_nothing_is_closed() {
    let app = spawn_with(|config| config.header_timeout_secs = 1).await;
    let mut stream = connect(&app).await;
    time_until_closed(&mut stream, Duration::from_secs(10)).await;
}

/// Cleartext HTTP/2 (prior knowledge: the preface, then an empty SETTINGS frame) and then
/// nothing: it had no bound at all (200 of 200 such connections were still held after 360 s).
#[tokio::test]
async fn a_cleartext_http2_connection_is_not_held() {
    let app = spawn_with(|config| config.header_timeout_secs = 1).await;
    let mut stream = connect(&app).await;
    stream
        .write_all(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00")
        .await
        .unwrap();
    time_until_closed(&mut stream, Duration::from_secs(10)).await;
}

#[tokio::test]
async fn a_request_whose_body_never_comes_is_answered_within_the_time_limit() {
    let app = spawn_with(|config| config.request_timeout_secs = 1).await;
    let mut stream = connect(&app).await;
    stream
        .write_all(
            b"POST /api/auth/code HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{",
        )
        .await
        .unwrap();
    let mut answer = Vec::new();
    let mut buffer = [0u8; 4096];
    while !String::from_utf8_lossy(&answer).contains("\"code\"") {
        let read = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut buffer))
            .await
            .expect("an answer within the time limit")
            .unwrap();
        assert!(read > 0, "closed without an answer");
        answer.extend_from_slice(&buffer[..read]);
    }
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(answer.contains("application/problem+json"), "{answer}");
    assert!(answer.contains("\"unavailable\""), "{answer}");
}

#[tokio::test]
async fn the_demo_outbox_is_a_page_in_the_readers_language_with_every_message_as_text() {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(
        dist.path().join("index.html"),
        "<html><head><link href=/main-0123456789abcdef.css rel=stylesheet></head></html>",
    )
    .unwrap();
    let static_dir = dist.path().to_path_buf();
    let app = spawn_with(move |config| config.static_dir = static_dir).await;
    sqlx::query(
        "INSERT INTO outbox (recipient, subject, body, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind("<b>x</b>@example.com")
    .bind("Your code <script>alert(1)</script>")
    .bind("123456 & more")
    .bind(1_795_000_000_i64)
    .execute(&app.state.db)
    .await
    .unwrap();
    let page = |accept: &'static str, path: &'static str| {
        let url = app.url(path);
        async move {
            let response = client()
                .get(url)
                .header("accept-language", accept)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::OK);
            assert!(response.headers()["content-security-policy"]
                .to_str()
                .unwrap()
                .contains("default-src"));
            response.text().await.unwrap()
        }
    };

    let english = page("en-US,en;q=0.9", "/dev/outbox").await;
    assert!(english.contains(r#"<html lang="en">"#), "{english}");
    assert!(english.contains("<h1>Demo outbox</h1>"));
    assert!(english.contains(r#"href="/main-0123456789abcdef.css""#));
    assert!(english.contains("To &lt;b&gt;x&lt;/b&gt;@example.com"));
    assert!(english.contains("Your code &lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(english.contains("123456 &amp; more"));
    assert!(!english.contains("<script"), "the page runs no script");

    // The first of the browser's languages that the portal speaks; `?lang=` wins over both.
    let chinese = page("fr-FR, zh-TW;q=0.8, en;q=0.5", "/dev/outbox").await;
    assert!(chinese.contains(r#"<html lang="zh-CN">"#));
    assert!(chinese.contains("<h1>演示发件箱</h1>"));
    let asked = page("zh-CN", "/dev/outbox?lang=en").await;
    assert!(asked.contains("<h1>Demo outbox</h1>"));

    // Outside demo mode there is no outbox: the path is just another route of the app.
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(dist.path().join("index.html"), "<html>the app</html>").unwrap();
    let static_dir = dist.path().to_path_buf();
    let live = spawn_with(move |config| {
        config.static_dir = static_dir;
        config.demo = false;
    })
    .await;
    let (status, body) = crate::helpers::answer(live.get(&client(), "/dev/outbox").await).await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::OK, "<html>the app</html>")
    );
}

#[tokio::test]
async fn only_one_benefit_page_asked_for_as_a_preview_may_be_framed() {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(dist.path().join("index.html"), "<html></html>").unwrap();
    let static_dir = dist.path().to_path_buf();
    let app = spawn_with(move |config| config.static_dir = static_dir).await;
    let browser = client();
    for (path, framed) in [
        ("/benefits/gold-week?preview=gold&lang=en", true),
        ("/benefits/gold-week?lang=zh-CN&preview=guest", true),
        // A path the app would draw as another page (not one benefit page), or no reader.
        ("/benefits/gold-week/more?preview=gold", false),
        ("/benefits/?preview=gold", false),
        ("/benefits?preview=gold", false),
        ("/benefits/Gold_Week?preview=gold", false),
        ("/benefits/gold-week?preview=", false),
        ("/benefits/gold-week?xpreview=gold", false),
        ("/orders?preview=gold", false),
    ] {
        let answer = app.get(&browser, path).await;
        let headers = answer.headers();
        let csp = headers["content-security-policy"].to_str().unwrap();
        let (ancestors, frame) = if framed {
            ("'self'", "SAMEORIGIN")
        } else {
            ("'none'", "DENY")
        };
        assert!(
            csp.contains(&format!("frame-ancestors {ancestors}")),
            "{path}: {csp}"
        );
        assert_eq!(headers["x-frame-options"], frame, "{path}");
    }
}
