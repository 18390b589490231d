//! Going live from nothing, with the real binary: no demo, a real SMTP server, and every step as
//! the retailer and its customer take it. `staff add` makes an admin, who sets a password with
//! the link and signs in, makes an integration key, and the order system sends a customer and an
//! order through the signed ingest API; a checkpoint comes in through the Kuaidi100-format push;
//! the customer signs in with the code that arrived at the SMTP server, and sees the order and
//! the checkpoint.

use crate::delivery::{code_in, read, Sink};
use crate::go_live::command;
use crate::helpers::fresh_database;
use crate::ingest::{customer, hmac_hex, kuaidi100_param, md5_sign, order};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use std::io::BufRead;
use std::process::{Child, Command, Stdio};

const SALT: &str = "journey-salt";
const PUBLIC: &str = "http://127.0.0.1";

/// The server process, stopped when dropped.
struct Server {
    child: Child,
    base: String,
    _data: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `portico-server` as a retailer starts it: no demo, a public URL, mail through `sink`, the
/// Kuaidi100 salt; on `database`.
fn start(database: &str, sink: &Sink, data: tempfile::TempDir) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_portico-server"))
        .env_clear()
        .env("PORTICO_ADDR", "127.0.0.1:0")
        .env("PORTICO_DATABASE_URL", database)
        .env("PORTICO_DATA_DIR", data.path())
        .env("PORTICO_PUBLIC_URL", PUBLIC)
        .env(
            "PORTICO_SMTP_URL",
            format!("smtp://portico:s3cret@127.0.0.1:{}", sink.port),
        )
        .env("PORTICO_MAIL_FROM", "Shop <no-reply@shop.example>")
        .env("PORTICO_KUAIDI100_SALT", SALT)
        .env("RUST_LOG", "error")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the server binary runs");
    // It prints where it listens ("App: http://127.0.0.1:PORT/").
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let base = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|line| {
            line.trim()
                .strip_prefix("App:")
                .map(|url| url.trim().trim_end_matches('/').to_string())
        })
        .expect("the server says where it listens");
    // Keep reading what it prints, so it never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    Server {
        child,
        base,
        _data: data,
    }
}

/// What `request` answers, as JSON.
async fn json_of(request: reqwest::RequestBuilder) -> Value {
    request.send().await.unwrap().json().await.unwrap()
}

/// POSTs `body` to `path` signed with the key, as the order system would.
async fn signed(base: &str, (key, secret): (&str, &str), path: &str, body: Value) -> Value {
    let body = body.to_string();
    let timestamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        .to_string();
    let answer = Client::new()
        .post(format!("{base}{path}"))
        .header("content-type", "application/json")
        .header("x-portico-key", key)
        .header("x-portico-timestamp", &timestamp)
        .header(
            "x-portico-signature",
            hmac_hex(secret, path, &timestamp, &body),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    answer.json().await.unwrap()
}

#[tokio::test]
async fn a_retailer_goes_live_from_nothing_and_its_customer_signs_in_to_a_real_order() {
    let sink = Sink::start("portico", "s3cret");
    let data = tempfile::tempdir().unwrap();
    let database = fresh_database()
        .await
        .unwrap_or_else(|| format!("sqlite://{}", data.path().join("portico.db").display()));
    let server = start(&database, &sink, data);
    let base = server.base.as_str();
    let browser = || Client::builder().cookie_store(true).build().unwrap();

    // 1. The first admin, from the command line.
    let made = command(
        &database,
        &[
            "staff",
            "add",
            "--email",
            "owner@shop.example",
            "--role",
            "admin",
        ],
        "",
    );
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let printed = String::from_utf8_lossy(&made.stdout).into_owned();
    let token = printed
        .split_once("#set-password=")
        .map(|(_, token)| token.trim().to_string())
        .expect("a password link");

    // 2. The password, then a staff session.
    let admin = browser();
    let set = admin
        .post(format!("{base}/api/staff/password-link"))
        .json(&json!({ "token": token, "password": "correct horse battery" }))
        .send()
        .await
        .unwrap();
    assert_eq!(set.status(), StatusCode::OK);
    let session: Value = json_of(
        admin
            .post(format!("{base}/api/staff/sign-in"))
            .json(&json!({ "email": "owner@shop.example", "password": "correct horse battery" })),
    )
    .await;
    let csrf = session["csrf_token"]
        .as_str()
        .expect("signed in")
        .to_string();

    // 3. An integration key for the order system.
    let made: Value = json_of(
        admin
            .post(format!("{base}/api/staff/integrations"))
            .header("x-csrf-token", &csrf)
            .json(&json!({ "name": "Order system" })),
    )
    .await;
    let key = (
        made["key"]["key_id"].as_str().unwrap().to_string(),
        made["secret"].as_str().unwrap().to_string(),
    );
    let key = (key.0.as_str(), key.1.as_str());

    // 4. A customer and her order, signed.
    let email = "zhao.min@example.com";
    let report = signed(
        base,
        key,
        "/api/ingest/customers",
        json!({ "records": [customer("C-1", email, "13500001111", "2026-12-01T00:00:00Z")] }),
    )
    .await;
    assert_eq!(report["records"][0]["outcome"], "added", "{report}");
    let report = signed(
        base,
        key,
        "/api/ingest/orders",
        json!({ "records": [order("R-1001", "PT30000001", "C-1", "2026-12-01T02:00:00Z")] }),
    )
    .await;
    assert_eq!(report["records"][0]["outcome"], "added", "{report}");

    // 5. Its parcel's checkpoints, pushed by Kuaidi100.
    let param = kuaidi100_param("kuaidi100_in_transit.json", "SF30000001");
    let pushed: Value = Client::new()
        .post(format!("{base}/api/ingest/kuaidi100"))
        .form(&[("param", param.as_str()), ("sign", &md5_sign(&param, SALT))])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(pushed["result"], true, "{pushed}");

    // 6. The customer signs in with the code that came by mail, and sees both.
    let customer = browser();
    let asked = customer
        .post(format!("{base}/api/auth/code"))
        .json(&json!({ "contact": email }))
        .send()
        .await
        .unwrap();
    assert!(asked.status().is_success(), "{}", asked.status());
    let mail = read(&sink.expect(1).await[0]);
    assert!(mail.raw.contains(email), "{}", mail.raw);
    let code = code_in(&mail.text);
    let verified = customer
        .post(format!("{base}/api/auth/verify"))
        .json(&json!({ "contact": email, "code": code }))
        .send()
        .await
        .unwrap();
    assert_eq!(verified.status(), StatusCode::OK);
    let detail: Value = json_of(customer.get(format!("{base}/api/orders/PT30000001"))).await;
    let newest = &detail["shipments"][0]["checkpoints"][0];
    assert_eq!(detail["shipments"][0]["status"], "in_transit", "{detail}");
    assert!(
        newest["location"]
            .as_str()
            .is_some_and(|l| l.contains("南京")),
        "{detail}"
    );
    // Exactly one message went out: the code.
    assert_eq!(sink.messages().len(), 1);
}
