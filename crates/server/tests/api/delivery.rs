//! Real delivery: messages go to a real SMTP server (tests/smtp/sink.py, aiosmtpd, from the
//! contract tests' venv) and to a stand-in SMS provider, and are read back as they arrived.

use crate::helpers::{client, count, spawn_with, TestApp};
use mail_parser::MessageParser;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const WANG: &str = "wang.wei@example.com";
const WANG_PHONE: &str = "13812341234";
const FROM: &str = "Portico <no-reply@shop.example>";

/// A real SMTP server keeping what it accepts as files; killed when dropped.
pub struct Sink {
    pub port: u16,
    dir: tempfile::TempDir,
    child: Child,
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The venv's Python (`scripts/setup.sh test` makes it), or `PORTICO_TEST_PYTHON`.
fn python() -> PathBuf {
    std::env::var_os("PORTICO_TEST_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/python"))
}

impl Sink {
    /// Starts one asking for `user` and `password`.
    pub fn start(user: &str, password: &str) -> Sink {
        use std::io::BufRead;
        let dir = tempfile::tempdir().unwrap();
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/smtp/sink.py");
        let mut child = Command::new(python())
            .arg(script)
            .arg("--dir")
            .arg(dir.path())
            .args(["--user", user, "--password", password])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the SMTP sink starts (scripts/setup.sh test installs aiosmtpd into .venv)");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("the sink says its port: {line:?}"));
        Sink { port, dir, child }
    }

    /// Refuses the next `n` messages with 451.
    pub fn refuse(&self, n: u32) {
        std::fs::write(self.dir.path().join("refuse"), n.to_string()).unwrap();
    }

    /// Every message it accepted, as received, in order.
    pub fn messages(&self) -> Vec<Vec<u8>> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "eml"))
            .collect();
        names.sort();
        names
            .iter()
            .map(|path| std::fs::read(path).unwrap())
            .collect()
    }

    /// Waits up to 10 s until it holds `n` messages; the messages.
    pub async fn expect(&self, n: usize) -> Vec<Vec<u8>> {
        for _ in 0..200 {
            let messages = self.messages();
            if messages.len() >= n {
                return messages;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "the SMTP server got {} messages, not {n}",
            self.messages().len()
        );
    }
}

/// A service in demo mode (for its customers) sending email through `sink`.
async fn with_smtp(
    sink: &Sink,
    adjust: impl FnOnce(&mut portico_server::config::Config),
) -> TestApp {
    let url = format!("smtp://portico:s3cret@127.0.0.1:{}", sink.port);
    spawn_with(|config| {
        config.smtp_url = Some(url);
        config.mail_from = Some(FROM.into());
        config.public_url =
            Some(portico_server::config::PublicUrl::parse("http://portal.test").unwrap());
        adjust(config);
    })
    .await
}

/// One email as a reader sees it.
pub(crate) struct Mail {
    pub(crate) raw: String,
    pub(crate) subject: String,
    pub(crate) message_id: String,
    pub(crate) text: String,
    pub(crate) html: String,
}

pub(crate) fn read(raw: &[u8]) -> Mail {
    let parsed = MessageParser::default().parse(raw).expect("a MIME message");
    Mail {
        raw: String::from_utf8_lossy(raw).into_owned(),
        subject: parsed.subject().unwrap_or_default().to_string(),
        message_id: parsed.message_id().unwrap_or_default().to_string(),
        text: parsed
            .body_text(0)
            .expect("a text part")
            .replace("\r\n", "\n"),
        html: parsed.body_html(0).expect("an HTML part").into_owned(),
    }
}

fn header(raw: &[u8], name: &str) -> Option<String> {
    let parsed = MessageParser::default().parse(raw)?;
    parsed
        .header_raw(name)
        .map(|value| value.trim().to_string())
}

/// The 6-digit code in a text.
pub(crate) fn code_in(text: &str) -> String {
    text.split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .expect("a 6-digit code")
        .to_string()
}

async fn notice_ids(app: &TestApp) -> Vec<i64> {
    sqlx::query_scalar("SELECT id FROM notices ORDER BY id")
        .fetch_all(&app.state.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_code_arrives_by_smtp_in_both_languages_as_text_and_html_and_signs_in() {
    let sink = Sink::start("portico", "s3cret");
    let app = with_smtp(&sink, |_| {}).await;
    let outbox_before = count(&app, "SELECT COUNT(*) FROM outbox").await;
    let browser = client();
    let asked = app.request_code(&browser, WANG).await;
    assert_eq!(asked.status(), StatusCode::ACCEPTED);
    let raw = sink.expect(1).await.remove(0);
    let mail = read(&raw);
    assert_eq!(
        mail.subject,
        "Portico 登录验证码 / Your Portico sign-in code"
    );
    let id = *notice_ids(&app).await.last().unwrap();
    assert_eq!(mail.message_id, format!("notice-{id}@shop.example"));
    assert!(
        mail.raw.contains("To: wang.wei@example.com"),
        "{}",
        mail.raw
    );
    assert!(mail.raw.contains("multipart/alternative"));
    let code = code_in(&mail.text);
    assert!(
        mail.text.contains(&format!(
            "王伟，您好：\n您的登录验证码是 {code}，10 分钟内有效。"
        )),
        "{}",
        mail.text
    );
    assert!(mail.text.contains(&format!(
        "Hello 王伟,\nyour sign-in code is {code}. It is valid for 10 minutes."
    )));
    assert!(
        mail.html.contains(r#"<div lang="zh-CN">"#) && mail.html.contains(r#"<div lang="en">"#)
    );
    assert!(
        mail.html.contains(&format!("{code}</strong>")),
        "{}",
        mail.html
    );
    // A transactional message: no unsubscribing from sign-in codes.
    assert_eq!(header(&raw, "List-Unsubscribe"), None);
    // The real channel took it: nothing in the demo's outbox.
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM outbox").await,
        outbox_before
    );
    assert_eq!(
        app.verify(&browser, WANG, &code).await.status(),
        StatusCode::OK
    );
    let sent = count(
        &app,
        "SELECT COUNT(*) FROM notices WHERE status = 'sent' AND recipient = 'wang.wei@example.com'",
    )
    .await;
    assert_eq!(sent, 1);
}

#[tokio::test]
async fn a_stranger_gets_no_mail_and_a_wrong_password_is_not_delivered() {
    let sink = Sink::start("portico", "other");
    let app = with_smtp(&sink, |config| config.delivery_retry_secs = 60).await;
    app.request_code(&client(), "nobody@example.com").await;
    app.request_code(&client(), WANG).await;
    // The stranger's notice is settled as sent (nothing to send); Wang's fails to authenticate.
    for _ in 0..200 {
        if count(
            &app,
            "SELECT COUNT(*) FROM notices WHERE last_error IS NOT NULL",
        )
        .await
            > 0
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let rows: Vec<(String, Option<String>, Option<String>)> =
        sqlx::query_as("SELECT status, recipient, last_error FROM notices")
            .fetch_all(&app.state.db)
            .await
            .unwrap();
    let error: String = sqlx::query_scalar("SELECT last_error FROM notices WHERE recipient = $1")
        .bind(WANG)
        .fetch_one(&app.state.db)
        .await
        .unwrap_or_else(|e| panic!("{e}: {rows:?}"));
    assert!(
        error.contains("535") || error.to_lowercase().contains("auth"),
        "{error}"
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM notices WHERE status = 'sent' AND recipient IS NULL"
        )
        .await,
        1
    );
    assert!(sink.messages().is_empty());
}

#[tokio::test]
async fn a_refused_message_is_tried_again_and_arrives_once() {
    let sink = Sink::start("portico", "s3cret");
    let app = with_smtp(&sink, |_| {}).await;
    sink.refuse(2);
    app.request_code(&client(), WANG).await;
    // Each refusal puts the next try a pause ahead (5 s, then 10 s): the test's clock jumps it.
    let mut seen = 0;
    for _ in 0..400 {
        let failures = count(&app, "SELECT COALESCE(MAX(attempts), 0) FROM notices").await;
        if failures > seen {
            seen = failures;
            app.state.clock.advance(30);
        }
        if !sink.messages().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(seen, 2, "two refusals were counted");
    sink.expect(1).await;
    // However long we wait, and however far the clock moves, it came once.
    app.state.clock.advance(3600);
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(sink.messages().len(), 1);
    let (status, attempts, error): (String, i64, Option<String>) =
        sqlx::query_as("SELECT status, attempts, last_error FROM notices")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!((status.as_str(), attempts, error), ("sent", 2, None));
}

#[tokio::test]
async fn a_message_that_keeps_being_refused_is_given_up_and_kept() {
    let sink = Sink::start("portico", "s3cret");
    let app = with_smtp(&sink, |config| config.delivery_retry_secs = 60).await;
    sink.refuse(1000);
    let body = json!({ "kind": "sign_in_code", "contact": WANG, "code": "135790" });
    let id = queue(&app, &body.to_string(), None).await;
    for _ in 0..400 {
        if count(&app, "SELECT COUNT(*) FROM notices WHERE status = 'failed'").await == 1 {
            break;
        }
        app.state.clock.advance(5);
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let (status, error): (String, String) =
        sqlx::query_as("SELECT status, last_error FROM notices WHERE id = $1")
            .bind(id)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(status, "failed");
    assert!(error.contains("451"), "{error}");
    assert!(sink.messages().is_empty());
}

/// Queues `body` as an instance would, claimed until `claimed_until` (an instance holding it).
async fn queue(app: &TestApp, body: &str, claimed_until: Option<i64>) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO notices (body, created_at, attempts, claimed_until) VALUES ($1, $2, 0, $3) RETURNING id",
    )
    .bind(body)
    .bind(app.state.clock.now())
    .bind(claimed_until.unwrap_or(0))
    .fetch_one(&app.state.db)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_message_claimed_by_an_instance_that_died_arrives_once_when_its_lease_ends() {
    let sink = Sink::start("portico", "s3cret");
    let app = with_smtp(&sink, |_| {}).await;
    let other = app.restart().await;
    // An instance claimed this code's notice and died before sending it: its lease still runs.
    let now = app.state.clock.now();
    let body = json!({ "kind": "sign_in_code", "contact": WANG, "code": "424242" });
    queue(
        &app,
        &body.to_string(),
        Some(now + portico_server::notify::LEASE_SECS),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert!(
        sink.messages().is_empty(),
        "nobody sends what another instance holds"
    );
    // The lease ends: one of the two instances up claims it and sends it, once.
    app.state
        .clock
        .advance(portico_server::notify::LEASE_SECS + 1);
    other
        .state
        .clock
        .advance(portico_server::notify::LEASE_SECS + 1);
    let mail = read(&sink.expect(1).await[0]);
    assert!(mail.text.contains("424242"));
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(sink.messages().len(), 1);
}

#[tokio::test]
async fn two_instances_deliver_each_message_once() {
    let sink = Sink::start("portico", "s3cret");
    let app = with_smtp(&sink, |_| {}).await;
    let other = app.restart().await;
    for n in 0..20 {
        let body = json!({ "kind": "sign_in_code", "contact": WANG, "code": format!("{:06}", 700_000 + n) });
        queue(&app, &body.to_string(), None).await;
    }
    app.state.notifier.wake();
    other.state.notifier.wake();
    let mut codes: Vec<String> = sink
        .expect(20)
        .await
        .iter()
        .map(|raw| code_in(&read(raw).text))
        .collect();
    tokio::time::sleep(Duration::from_millis(2000)).await;
    assert_eq!(sink.messages().len(), 20);
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), 20);
}

/// A stand-in SMS provider: checks each request's signature with `key` and keeps the good ones;
/// answers 503 to the first `busy` requests.
struct Provider {
    url: String,
    seen: std::sync::Arc<std::sync::Mutex<Vec<(axum::http::HeaderMap, Value)>>>,
    refused: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl Provider {
    /// Waits (the clock jumping over retry pauses) for the one request it kept; that request,
    /// once every request it saw was signed right.
    async fn one_sent(&self, app: &TestApp) -> (axum::http::HeaderMap, Value) {
        for _ in 0..400 {
            if !self.seen.lock().unwrap().is_empty() {
                break;
            }
            app.state.clock.advance(10);
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        let seen = self.seen.lock().unwrap().clone();
        assert_eq!(seen.len(), 1);
        assert_eq!(
            self.refused.load(std::sync::atomic::Ordering::SeqCst),
            0,
            "every request was signed right"
        );
        seen.into_iter().next().unwrap()
    }
}

async fn provider(key: &'static str, busy: usize) -> Provider {
    use axum::http::HeaderMap;
    use hmac::{Hmac, Mac};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};
    let seen: Arc<Mutex<Vec<(HeaderMap, Value)>>> = Arc::default();
    let refused = Arc::new(AtomicUsize::new(0));
    let calls = Arc::new(AtomicUsize::new(0));
    let (kept, bad) = (seen.clone(), refused.clone());
    let send = move |headers: HeaderMap, body: axum::body::Bytes| async move {
        let timestamp = headers["x-portico-timestamp"].to_str().unwrap().to_string();
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key.as_bytes()).unwrap();
        mac.update(format!("{timestamp}.").as_bytes());
        mac.update(&body);
        let expected = format!("v1={}", hex::encode(mac.finalize().into_bytes()));
        if headers["x-portico-signature"] != expected.as_str() {
            bad.fetch_add(1, Ordering::SeqCst);
            return StatusCode::UNAUTHORIZED;
        }
        if calls.fetch_add(1, Ordering::SeqCst) < busy {
            return StatusCode::SERVICE_UNAVAILABLE;
        }
        kept.lock()
            .unwrap()
            .push((headers, serde_json::from_slice(&body).unwrap()));
        StatusCode::OK
    };
    let router = axum::Router::new().route("/send", axum::routing::post(send));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/send", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await });
    Provider { url, seen, refused }
}

#[tokio::test]
async fn a_code_to_a_phone_goes_by_sms_signed_and_once_with_its_idempotency_key() {
    let sms = provider("provider-key", 1).await;
    let url = sms.url.clone();
    let app = spawn_with(|config| {
        config.sms_url = Some(url);
        config.sms_key = Some("provider-key".into());
    })
    .await;
    let outbox_before = count(&app, "SELECT COUNT(*) FROM outbox").await;
    let browser = client();
    app.request_code(&browser, WANG_PHONE).await;
    // Refused once (503), sent on the next try.
    let (headers, body) = &sms.one_sent(&app).await;
    let id = *notice_ids(&app).await.last().unwrap();
    assert_eq!(body["id"], format!("notice-{id}"));
    assert_eq!(headers["idempotency-key"], format!("notice-{id}").as_str());
    assert_eq!(body["to"], WANG_PHONE);
    assert_eq!(body["template"], "sign_in_code");
    let code = body["params"]["code"].as_str().unwrap().to_string();
    assert!(body["text"].as_str().unwrap().contains(&code));
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM outbox").await,
        outbox_before
    );
    assert_eq!(
        app.verify(&browser, WANG_PHONE, &code).await.status(),
        StatusCode::OK
    );
}

/// Waits up to 5 s for the one notice to be given up; its error.
async fn given_up(app: &TestApp) -> String {
    for _ in 0..200 {
        if count(app, "SELECT COUNT(*) FROM notices WHERE status = 'failed'").await == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    sqlx::query_scalar("SELECT last_error FROM notices WHERE status = 'failed'")
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_wrong_key_is_refused_by_the_provider_and_the_message_fails() {
    let sms = provider("provider-key", 0).await;
    let url = sms.url.clone();
    let app = spawn_with(|config| {
        config.sms_url = Some(url);
        config.sms_key = Some("not-the-key".into());
    })
    .await;
    app.request_code(&client(), WANG_PHONE).await;
    let error = given_up(&app).await;
    assert!(error.contains("401"), "{error}");
    assert_eq!(sms.refused.load(std::sync::atomic::Ordering::SeqCst), 1);
    assert!(sms.seen.lock().unwrap().is_empty());
}

#[tokio::test]
async fn outside_demo_mode_a_start_without_a_channel_names_the_setting() {
    let data = tempfile::tempdir().unwrap();
    let mut config = portico_server::config::Config::for_tests(data.path().to_path_buf());
    config.demo = false;
    let error = portico_server::notify::channels(&config).err().unwrap();
    assert!(
        error.contains("PORTICO_SMTP_URL") && error.contains("PORTICO_SMS_URL"),
        "{error}"
    );
    assert!(!error.contains('\n'));
    config.smtp_url = Some("smtp://127.0.0.1:25".into());
    let error = portico_server::notify::channels(&config).err().unwrap();
    assert!(error.starts_with("PORTICO_MAIL_FROM"), "{error}");
    config.mail_from = Some(FROM.into());
    assert!(portico_server::notify::channels(&config).is_ok());
    config.sms_url = Some("https://sms.example/send".into());
    let error = portico_server::notify::channels(&config).err().unwrap();
    assert!(error.starts_with("PORTICO_SMS_KEY"), "{error}");
}

/// Makes a survey invitation for Wang's delivered order (the demo's endpoint); its token.
async fn invite(app: &TestApp) -> String {
    let made = app
        .post(
            &client(),
            "/api/dev/survey-invitations",
            json!({ "email": WANG, "touchpoint": "delivery" }),
        )
        .await;
    assert_eq!(made.status(), StatusCode::CREATED);
    made.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn a_survey_mail_offers_one_click_unsubscribe_and_the_opt_out_is_respected() {
    let sink = Sink::start("portico", "s3cret");
    let app = with_smtp(&sink, |_| {}).await;
    let token = invite(&app).await;
    let raw = sink.expect(1).await.remove(0);
    let mail = read(&raw);
    assert!(
        mail.subject.starts_with("Portico 服务评价"),
        "{}",
        mail.subject
    );
    assert!(mail
        .text
        .contains(&format!("http://portal.test/s/{token}?score=5")));
    assert!(mail.html.contains(&format!(
        r#"<a href="http://portal.test/s/{token}?score=5">"#
    )));
    let url = format!("http://portal.test/api/surveys/{token}/opt-out");
    assert_eq!(header(&raw, "List-Unsubscribe"), Some(format!("<{url}>")));
    assert_eq!(
        header(&raw, "List-Unsubscribe-Post").as_deref(),
        Some("List-Unsubscribe=One-Click")
    );
    // The mail client POSTs it as RFC 8058 says, from wherever it runs, without cookies.
    let path = url.strip_prefix("http://portal.test").unwrap();
    let clicked = reqwest::Client::new()
        .post(app.url(path))
        .header("origin", "https://mail.example")
        .header("sec-fetch-site", "cross-site")
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(clicked.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM customers WHERE email = 'wang.wei@example.com' AND surveys_opt_out").await,
        1
    );
    // An invitation made anyway (the demo's endpoint ignores the opt-out) is not mailed.
    invite(&app).await;
    for _ in 0..200 {
        if count(
            &app,
            "SELECT COUNT(*) FROM notices WHERE status = 'waiting'",
        )
        .await
            == 0
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM notices WHERE status = 'waiting'"
        )
        .await,
        0
    );
    assert_eq!(sink.messages().len(), 1);
}

/// Asks for a code for `contact`; what its delivery comes to (waiting up to 10 s while pending).
async fn code_delivery(app: &TestApp, contact: &str) -> String {
    let asked = app.request_code(&client(), contact).await;
    assert_eq!(asked.status(), StatusCode::ACCEPTED);
    let delivery = asked.json::<Value>().await.unwrap()["delivery"]
        .as_str()
        .unwrap()
        .to_string();
    for _ in 0..400 {
        let answer: Value = app
            .get_json(&client(), &format!("/api/auth/code/{delivery}"))
            .await;
        if answer["status"] != "pending" {
            return answer["status"].as_str().unwrap().to_string();
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    "pending".into()
}

#[tokio::test]
async fn a_code_that_could_not_be_sent_is_told_and_a_strangers_looks_sent() {
    let sink = Sink::start("portico", "s3cret");
    let app = with_smtp(&sink, |_| {}).await;
    assert_eq!(code_delivery(&app, WANG).await, "sent");
    assert_eq!(code_delivery(&app, "nobody@example.com").await, "sent");
    // The mail server refuses: the customer hears the code could not be sent (it is tried
    // again meanwhile); a stranger's request still reads as a customer's that went out.
    sink.refuse(1000);
    assert_eq!(code_delivery(&app, WANG).await, "failed");
    assert_eq!(code_delivery(&app, "nobody@example.com").await, "sent");
    let unknown = app.get(&client(), "/api/auth/code/0123456789abcdef").await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_code_to_a_kind_of_contact_nothing_reaches_fails_for_customers_and_strangers_alike() {
    let sink = Sink::start("portico", "s3cret");
    // No demo outbox and no SMS provider: phones cannot be reached.
    let app = with_smtp(&sink, |config| config.demo = false).await;
    assert_eq!(code_delivery(&app, WANG_PHONE).await, "failed");
    assert_eq!(code_delivery(&app, "13900000000").await, "failed");
    let error: String = sqlx::query_scalar("SELECT last_error FROM notices LIMIT 1")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert!(error.contains("PORTICO_SMS_URL"), "{error}");
}

#[tokio::test]
async fn admins_see_failed_messages_and_send_one_again_which_then_arrives_once() {
    use crate::staff::desk;
    use reqwest::Method;
    let sink = Sink::start("portico", "s3cret");
    let app = with_smtp(&sink, |config| config.delivery_retry_secs = 60).await;
    sink.refuse(1000);
    app.request_code(&client(), WANG).await;
    // Time moves on only once the worker tried: twice before it may run freely, so the message has
    // been tried at least twice when it fails, however slowly the worker comes round.
    let mut tried = 0;
    for _ in 0..800 {
        if count(&app, "SELECT COUNT(*) FROM notices WHERE status = 'failed'").await == 1 {
            break;
        }
        let attempts = count(&app, "SELECT COALESCE(MAX(attempts), 0) FROM notices").await;
        if attempts >= 2 || attempts > tried {
            app.state.clock.advance(10);
        }
        tried = attempts;
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let admin = desk(&app, 3).await;
    let listed = admin
        .ok(&app, Method::GET, "/api/staff/messages", None)
        .await;
    let messages = listed["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 1, "{listed}");
    let failed = &messages[0];
    assert_eq!(failed["kind"], "sign_in_code");
    assert_eq!(failed["recipient"], WANG);
    assert!(failed["error"].as_str().unwrap().contains("451"));
    assert!(failed["attempts"].as_i64().unwrap() >= 2);
    // Never the code itself.
    let body: String = sqlx::query_scalar("SELECT body FROM notices")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    let code = body
        .split('"')
        .find(|w| w.len() == 6 && w.chars().all(|c| c.is_ascii_digit()))
        .unwrap();
    assert!(!listed.to_string().contains(code));
    // Other roles do not see them.
    let publisher = desk(&app, 1).await;
    let refused = publisher
        .refused(&app, Method::GET, "/api/staff/messages", None)
        .await;
    assert_eq!(refused.0, StatusCode::FORBIDDEN);
    // The mail server is back; the admin sends it again: it arrives, once.
    sink.refuse(0);
    let id = failed["id"].as_i64().unwrap();
    let path = format!("/api/staff/messages/{id}/retry");
    let retried = admin.call(&app, Method::POST, &path, None).await;
    assert_eq!(retried.status(), StatusCode::NO_CONTENT);
    let mail = read(&sink.expect(1).await[0]);
    assert!(mail.text.contains(code));
    let listed = admin
        .ok(&app, Method::GET, "/api/staff/messages", None)
        .await;
    assert_eq!(listed["messages"], json!([]));
    let again = admin.refused(&app, Method::POST, &path, None).await;
    assert_eq!(again, (StatusCode::NOT_FOUND, "not_found".into()));
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'message_retried'"
        )
        .await,
        1
    );
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(sink.messages().len(), 1);
}

#[tokio::test]
async fn a_returns_messages_arrive_in_the_order_they_were_queued_also_across_a_retry() {
    use crate::returns::{delivered_days_ago, one_of_line_one, shipped_order, started};
    let sink = Sink::start("portico", "s3cret");
    let app = with_smtp(&sink, |_| {}).await;
    let other = app.restart().await;
    // Wang signs in with the code that came by mail and starts a return (its first message).
    let browser = client();
    app.request_code(&browser, WANG).await;
    let code = code_in(&read(&sink.expect(1).await[0]).text);
    assert_eq!(
        app.verify(&browser, WANG, &code).await.status(),
        StatusCode::OK
    );
    let number = shipped_order(&app, WANG).await;
    delivered_days_ago(&app, &number, 1).await;
    let made = started(
        &app,
        &browser,
        Some("delivery-order"),
        &one_of_line_one(&number, 1),
    )
    .await;
    sink.expect(2).await;
    let return_id: i64 = sqlx::query_scalar("SELECT id FROM returns WHERE number = $1")
        .bind(made["number"].as_str().unwrap())
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    // Two more moves told; the first is refused once, so it waits 5 s: the second, queued
    // after it, waits behind it (on both instances), then they come in their order.
    sink.refuse(1);
    use portico_server::notify::Notice;
    let now = app.state.clock.now();
    for notice in [
        Notice::ReturnUpdate {
            return_id,
            status: "cancelled".into(),
        },
        Notice::PickupRescheduled { return_id },
    ] {
        app.state
            .notifier
            .send(&app.state.db, notice, now)
            .await
            .unwrap();
    }
    other.state.notifier.wake();
    tokio::time::sleep(Duration::from_millis(2000)).await;
    assert_eq!(
        sink.messages().len(),
        2,
        "the second waits behind the first"
    );
    app.state.clock.advance(30);
    other.state.clock.advance(30);
    let messages = sink.expect(4).await;
    let third = read(&messages[2]).text;
    let fourth = read(&messages[3]).text;
    assert!(third.contains("已取消"), "{third}");
    assert!(fourth.contains("上门取件已改期"), "{fourth}");
}

#[tokio::test]
async fn the_demo_outbox_takes_a_message_once_however_often_it_is_handed_over() {
    use portico_server::notify::{message, outbox::Outbox, Channel, Envelope};
    let app = crate::helpers::spawn().await;
    let body = json!({ "kind": "sign_in_code", "contact": WANG, "code": "246810" });
    // Claimed by this test, not by the service's worker.
    let id = queue(&app, &body.to_string(), Some(app.state.clock.now() + 3600)).await;
    let before = count(&app, "SELECT COUNT(*) FROM outbox").await;
    let outbox = Outbox {
        db: app.state.db.clone(),
        clock: app.state.clock.clone(),
    };
    let to = portico_api::Contact::from_wire(WANG).unwrap();
    let message = message::sign_in_code("王伟", "246810");
    let envelope = Envelope {
        id,
        to: &to,
        message: &message,
    };
    // As when an instance handed it over and died before marking it sent, and it was claimed
    // again: the outbox row and the notice's `sent` are one transaction, so it is there once.
    outbox.send(&envelope).await.unwrap();
    outbox.send(&envelope).await.unwrap();
    assert_eq!(count(&app, "SELECT COUNT(*) FROM outbox").await, before + 1);
}

/// Asks for a code for `contact` as the portal does in `locale` (the asker's language).
async fn request_code_in(
    app: &TestApp,
    browser: &reqwest::Client,
    contact: &str,
    locale: &str,
) -> reqwest::Response {
    app.post(
        browser,
        "/api/auth/code",
        json!({ "contact": contact, "locale": locale }),
    )
    .await
}

/// Signs in with `code` as the portal does in `locale`; panics unless it works.
async fn verify_in(
    app: &TestApp,
    browser: &reqwest::Client,
    contact: &str,
    code: &str,
    locale: &str,
) {
    let body = json!({ "contact": contact, "code": code, "locale": locale });
    let signed_in = app.post(browser, "/api/auth/verify", body).await;
    assert_eq!(signed_in.status(), StatusCode::OK);
}

/// The mail is in English alone: subject, text part and HTML part.
fn english_only(mail: &Mail) {
    assert!(mail.subject.is_ascii(), "{}", mail.subject);
    assert!(mail.text.contains("Hello "), "{}", mail.text);
    assert!(!mail.text.contains("您好"), "{}", mail.text);
    assert!(mail.html.contains(r#"<html lang="en">"#), "{}", mail.html);
    assert!(mail.html.contains(r#"<div lang="en">"#) && !mail.html.contains(r#"lang="zh-CN""#));
    assert!(!mail.html.contains("您好") && !mail.html.contains("<hr>"));
}

/// The mail is in Chinese alone: subject, text part and HTML part.
fn chinese_only(mail: &Mail) {
    assert!(!mail.subject.contains(" / "), "{}", mail.subject);
    assert!(mail.text.contains("您好"), "{}", mail.text);
    assert!(!mail.text.contains("Hello"), "{}", mail.text);
    assert!(mail.html.contains(r#"<div lang="zh-CN">"#) && !mail.html.contains(r#"lang="en""#));
    assert!(!mail.html.contains("Hello") && !mail.html.contains("<hr>"));
}

#[tokio::test]
async fn a_customer_who_asked_in_english_reads_english_only_also_in_later_messages() {
    let sink = Sink::start("portico", "s3cret");
    let app = with_smtp(&sink, |_| {}).await;
    let browser = client();
    // A stranger's request in English is answered exactly as Wang's.
    let stranger = request_code_in(&app, &client(), "nobody@example.com", "en").await;
    let (stranger_status, stranger) = (stranger.status(), stranger.json::<Value>().await.unwrap());
    let asked = request_code_in(&app, &browser, WANG, "en").await;
    assert_eq!(asked.status(), stranger_status);
    let asked: Value = asked.json().await.unwrap();
    for field in ["expires_in_secs", "length"] {
        assert_eq!(asked[field], stranger[field]);
    }
    let mail = read(&sink.expect(1).await[0]);
    assert_eq!(mail.subject, "Your Portico sign-in code");
    english_only(&mail);
    let code = code_in(&mail.text);
    assert!(mail.text.contains(&format!("your sign-in code is {code}.")));
    // Nothing is kept of a request's language (a stranger may ask for Wang's contact).
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM customers WHERE locale IS NOT NULL"
        )
        .await,
        0
    );
    verify_in(&app, &browser, WANG, &code, "en").await;
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM customers WHERE email = 'wang.wei@example.com' AND locale = 'en'"
        )
        .await,
        1
    );
    // The survey invitation after a delivery: English alone.
    invite(&app).await;
    let mail = read(&sink.expect(2).await[1]);
    assert!(
        mail.subject.starts_with("How did we do?"),
        "{}",
        mail.subject
    );
    english_only(&mail);
    assert!(mail.text.contains("?score=5"));
}

#[tokio::test]
async fn a_customer_who_asked_in_chinese_reads_chinese_only() {
    let sink = Sink::start("portico", "s3cret");
    let app = with_smtp(&sink, |_| {}).await;
    let browser = client();
    request_code_in(&app, &browser, WANG, "zh-CN").await;
    let mail = read(&sink.expect(1).await[0]);
    assert_eq!(mail.subject, "Portico 登录验证码");
    chinese_only(&mail);
    let code = code_in(&mail.text);
    verify_in(&app, &browser, WANG, &code, "zh-CN").await;
    // A later code asked without a language: the customer's, Chinese.
    app.request_code(&client(), WANG).await;
    let mail = read(&sink.expect(2).await[1]);
    assert_eq!(mail.subject, "Portico 登录验证码");
    chinese_only(&mail);
    // A language the portal does not speak is the asker's mistake, told as such.
    let refused = request_code_in(&app, &client(), WANG, "fr").await;
    assert!(refused.status().is_client_error(), "{}", refused.status());
}

#[tokio::test]
async fn an_ingested_customers_language_writes_her_return_updates() {
    use crate::ingest::{customer, ingest, key, order};
    use crate::returns::{delivered_days_ago, one_of_line_one, started};
    const ZHAO: &str = "zhao.min@example.com";
    let sink = Sink::start("portico", "s3cret");
    let app = with_smtp(&sink, |_| {}).await;
    let key = key(&app, "Order system").await;
    let mut zhao = customer("C-1", ZHAO, "13500001111", "2026-12-01T00:00:00Z");
    zhao["locale"] = json!("en");
    let (status, _) = ingest(&app, &key, "customers", json!([zhao])).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = ingest(
        &app,
        &key,
        "orders",
        json!([order("R-1001", "PT30000001", "C-1", "2026-12-01T02:00:00Z")]),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    // A later record without a language keeps the one known; one the portal does not speak is
    // refused, naming the field.
    let again = customer("C-1", ZHAO, "13500001111", "2026-12-02T00:00:00Z");
    let mut french = customer("C-1", ZHAO, "13500001111", "2026-12-03T00:00:00Z");
    french["locale"] = json!("fr");
    let (status, report) = ingest(&app, &key, "customers", json!([again, french])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        report["records"][1]["problem"]["field"], "locale",
        "{report}"
    );
    // She asks for a code without saying a language, and signs in the same way.
    let browser = client();
    app.request_code(&browser, ZHAO).await;
    let mail = read(&sink.expect(1).await[0]);
    english_only(&mail);
    let code = code_in(&mail.text);
    assert_eq!(
        app.verify(&browser, ZHAO, &code).await.status(),
        StatusCode::OK
    );
    delivered_days_ago(&app, "PT30000001", 1).await;
    let made = started(
        &app,
        &browser,
        Some("locale-return"),
        &one_of_line_one("PT30000001", 1),
    )
    .await;
    let number = made["number"].as_str().unwrap();
    let mail = read(&sink.expect(2).await[1]);
    assert_eq!(mail.subject, format!("Your return {number}"));
    english_only(&mail);
    assert!(
        mail.text.contains(&format!("your return {number} ")),
        "{}",
        mail.text
    );
}

/// Tencent Cloud's TC3-HMAC-SHA256 signature of a request, as its API documentation computes
/// it (written here from the documentation, apart from the service's code).
fn tc3_signature(
    secret_key: &str,
    headers: &axum::http::HeaderMap,
    body: &[u8],
) -> (String, String) {
    use hmac::{Hmac, Mac};
    use sha2::Digest;
    let header = |name: &str| headers[name].to_str().unwrap().trim().to_string();
    let sign = |key: &[u8], data: &str| {
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key).unwrap();
        mac.update(data.as_bytes());
        mac.finalize().into_bytes().to_vec()
    };
    let authorization = header("authorization");
    let signed_headers = authorization
        .split("SignedHeaders=")
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap()
        .to_string();
    let canonical_headers: String = signed_headers
        .split(';')
        .map(|name| format!("{name}:{}\n", header(name).to_lowercase()))
        .collect();
    let canonical = format!(
        "POST\n/\n\n{canonical_headers}\n{signed_headers}\n{}",
        hex::encode(sha2::Sha256::digest(body))
    );
    let timestamp: i64 = header("x-tc-timestamp").parse().unwrap();
    let date = time::OffsetDateTime::from_unix_timestamp(timestamp)
        .unwrap()
        .date()
        .to_string();
    let scope = format!("{date}/sms/tc3_request");
    let to_sign = format!(
        "TC3-HMAC-SHA256\n{timestamp}\n{scope}\n{}",
        hex::encode(sha2::Sha256::digest(canonical.as_bytes()))
    );
    let key = sign(format!("TC3{secret_key}").as_bytes(), &date);
    let key = sign(&key, "sms");
    let key = sign(&key, "tc3_request");
    (scope, hex::encode(sign(&key, &to_sign)))
}

/// A stand-in for Tencent Cloud SMS: checks each `SendSms` request's TC3 signature with
/// `secret_key` and keeps the good ones; the first `busy` answer `RequestLimitExceeded`.
async fn tencent(secret_key: &'static str, busy: usize) -> Provider {
    use axum::http::HeaderMap;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};
    let seen: Arc<Mutex<Vec<(HeaderMap, Value)>>> = Arc::default();
    let refused = Arc::new(AtomicUsize::new(0));
    let calls = Arc::new(AtomicUsize::new(0));
    let (kept, bad) = (seen.clone(), refused.clone());
    let send = move |headers: HeaderMap, body: axum::body::Bytes| async move {
        let error = |code: &str| {
            axum::Json(
                json!({ "Response": { "Error": { "Code": code, "Message": code }, "RequestId": "r" } }),
            )
        };
        let (scope, signature) = tc3_signature(secret_key, &headers, &body);
        let expected = format!(
            "TC3-HMAC-SHA256 Credential=AKIDportico/{scope}, SignedHeaders=content-type;host;x-tc-action, Signature={signature}"
        );
        if headers["authorization"] != expected.as_str()
            || headers["x-tc-action"] != "SendSms"
            || headers["x-tc-version"] != "2021-01-11"
        {
            bad.fetch_add(1, Ordering::SeqCst);
            return error("AuthFailure.SignatureFailure");
        }
        if calls.fetch_add(1, Ordering::SeqCst) < busy {
            return error("RequestLimitExceeded");
        }
        let body: Value = serde_json::from_slice(&body).unwrap();
        let phone = body["PhoneNumberSet"][0].clone();
        kept.lock().unwrap().push((headers, body));
        axum::Json(
            json!({ "Response": { "SendStatusSet": [{ "SerialNo": "1", "PhoneNumber": phone,
            "Fee": 1, "SessionContext": "", "Code": "Ok", "Message": "send success", "IsoCode": "CN" }],
            "RequestId": "r" } }),
        )
    };
    let router = axum::Router::new().route("/", axum::routing::post(send));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await });
    Provider { url, seen, refused }
}

/// A service sending SMS through the Tencent stand-in at `url`, signing with `secret_key`.
async fn with_tencent(url: String, secret_key: &str) -> TestApp {
    let secret_key = secret_key.to_string();
    spawn_with(|config| {
        config.sms_provider = portico_server::config::SmsProvider::Tencent;
        config.sms_url = Some(url);
        config.sms_key = Some(secret_key);
        config.tencent_secret_id = Some("AKIDportico".into());
        config.tencent_sms_app_id = Some("1400000001".into());
        config.tencent_sms_sign = Some("Portico商城".into());
        config.tencent_sms_templates =
            Some("sign_in_code=2000001, sign_in_code.en=2000011, return_update=2000002".into());
    })
    .await
}

#[tokio::test]
async fn a_code_to_a_phone_goes_as_a_tencent_cloud_template_send_signed_with_tc3() {
    let sms = tencent("tencent-secret", 1).await;
    let app = with_tencent(sms.url.clone(), "tencent-secret").await;
    let outbox_before = count(&app, "SELECT COUNT(*) FROM outbox").await;
    let browser = client();
    app.request_code(&browser, WANG_PHONE).await;
    // Throttled once (RequestLimitExceeded), sent on the next try.
    let (headers, body) = &sms.one_sent(&app).await;
    assert_eq!(headers["x-tc-region"], "ap-guangzhou");
    let id = *notice_ids(&app).await.last().unwrap();
    assert_eq!(body["PhoneNumberSet"], json!([format!("+86{WANG_PHONE}")]));
    assert_eq!(body["SmsSdkAppId"], "1400000001");
    assert_eq!(body["SignName"], "Portico商城");
    assert_eq!(body["TemplateId"], "2000001");
    assert_eq!(body["SessionContext"], format!("notice-{id}"));
    let params = body["TemplateParamSet"].as_array().unwrap();
    assert_eq!(params.len(), 1);
    let code = params[0].as_str().unwrap().to_string();
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM outbox").await,
        outbox_before
    );
    assert_eq!(
        app.verify(&browser, WANG_PHONE, &code).await.status(),
        StatusCode::OK
    );
    // Asked in English: the English template.
    request_code_in(&app, &client(), WANG_PHONE, "en").await;
    for _ in 0..200 {
        if sms.seen.lock().unwrap().len() == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(sms.seen.lock().unwrap()[1].1["TemplateId"], "2000011");
}

#[tokio::test]
async fn a_wrong_tencent_secret_is_refused_and_the_message_fails() {
    let sms = tencent("tencent-secret", 0).await;
    let app = with_tencent(sms.url.clone(), "not-the-secret").await;
    app.request_code(&client(), WANG_PHONE).await;
    let error = given_up(&app).await;
    assert!(error.contains("AuthFailure.SignatureFailure"), "{error}");
    assert_eq!(sms.refused.load(std::sync::atomic::Ordering::SeqCst), 1);
    assert!(sms.seen.lock().unwrap().is_empty());
    // Started without a setting Tencent needs: the setting is named.
    let data = tempfile::tempdir().unwrap();
    let mut config = portico_server::config::Config::for_tests(data.path().to_path_buf());
    config.sms_provider = portico_server::config::SmsProvider::Tencent;
    config.sms_key = Some("k".into());
    let error = portico_server::notify::channels(&config).err().unwrap();
    assert!(error.starts_with("PORTICO_TENCENT_SECRET_ID"), "{error}");
}
