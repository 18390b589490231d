//! Starts the real service on a random port with a fresh database, and a cookie-keeping client.
//! Helpers that act return the response; the few that assert say so (`expect_*`).

use portico_server::{app, build_state, config::Config, serve::serve, AppState};
use reqwest::{Client, Response, StatusCode};
use serde_json::{json, Value};
use std::time::Duration;

pub struct TestApp {
    pub base: String,
    pub state: AppState,
    data: std::sync::Arc<tempfile::TempDir>,
}

pub async fn spawn() -> TestApp {
    spawn_with(|_| {}).await
}

pub async fn spawn_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    let data = tempfile::tempdir().expect("a temp dir");
    let mut config = Config::for_tests(data.path().to_path_buf());
    config.database_url = fresh_database().await;
    adjust(&mut config);
    start(config, std::sync::Arc::new(data)).await
}

async fn start(config: Config, data: std::sync::Arc<tempfile::TempDir>) -> TestApp {
    // The service's errors, printed with a failing test's output (captured otherwise).
    let _ = tracing_subscriber::fmt()
        .with_env_filter("portico_server=error")
        .with_test_writer()
        .try_init();
    let state = build_state(config).await.expect("the service starts");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = app(state.clone());
    let header_timeout = Duration::from_secs(state.config.header_timeout_secs);
    tokio::spawn(serve(
        listener,
        router,
        header_timeout,
        std::future::pending(),
    ));
    TestApp {
        base: format!("http://{addr}"),
        state,
        data,
    }
}

/// With `PORTICO_TEST_DATABASE_URL` (a PostgreSQL server, `scripts/postgres.sh with ...`): a new
/// empty database there for one test's service. Without it the service makes its SQLite file in
/// the test's temp folder.
pub async fn fresh_database() -> Option<String> {
    let server = std::env::var("PORTICO_TEST_DATABASE_URL").ok()?;
    sqlx::any::install_default_drivers();
    let name = format!("portico_test_{:016x}", rand::random::<u64>());
    let mut admin = <sqlx::AnyConnection as sqlx::Connection>::connect(&server)
        .await
        .expect("the test database server answers");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .expect("a test database");
    let (base, _) = server
        .rsplit_once('/')
        .expect("a database URL names a database");
    Some(format!("{base}/{name}"))
}

/// The one number `sql` (a `SELECT COUNT(*) ...`) reads from the service's database.
pub async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

/// Returns once another writer waits for a write lock the caller holds (`db::write_for`): on
/// PostgreSQL an advisory lock not yet granted; SQLite's busy wait cannot be seen from outside,
/// so there a second (its busy wait lasts 5 s).
pub async fn until_a_writer_waits(app: &TestApp) {
    if portico_server::db::Backend::of(&app.state.db) == portico_server::db::Backend::Sqlite {
        tokio::time::sleep(Duration::from_secs(1)).await;
        return;
    }
    for _ in 0..200 {
        let waiting = count(
            app,
            "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
        )
        .await;
        if waiting > 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("no writer came to wait for the write lock in 5 s");
}

pub fn client() -> Client {
    Client::builder().cookie_store(true).build().unwrap()
}

/// A browser at another client address: the service trusts `X-Forwarded-For` when the test
/// spawns it with `trust_proxy` (as behind a load balancer).
pub fn client_at(ip: &str) -> Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-forwarded-for", ip.parse().unwrap());
    Client::builder()
        .cookie_store(true)
        .default_headers(headers)
        .build()
        .unwrap()
}

impl TestApp {
    /// Another process of the service on the same database, as after a restart (its clock
    /// starts at the real time again).
    pub async fn restart(&self) -> TestApp {
        start((*self.state.config).clone(), self.data.clone()).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn post(&self, client: &Client, path: &str, body: Value) -> Response {
        client
            .post(self.url(path))
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    pub async fn put(&self, client: &Client, path: &str, body: Value) -> Response {
        client.put(self.url(path)).json(&body).send().await.unwrap()
    }

    /// A POST with any body and content type, for requests a well-behaved client would not send.
    pub async fn post_raw(
        &self,
        client: &Client,
        path: &str,
        content_type: &str,
        body: String,
    ) -> Response {
        client
            .post(self.url(path))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn get(&self, client: &Client, path: &str) -> Response {
        client.get(self.url(path)).send().await.unwrap()
    }

    /// A GET whose answer is expected to be JSON.
    pub async fn get_json<T: serde::de::DeserializeOwned>(&self, client: &Client, path: &str) -> T {
        self.get(client, path).await.json().await.unwrap()
    }

    /// The demo outbox, newest first.
    pub async fn outbox(&self) -> Vec<Value> {
        self.get_json(&client(), "/api/dev/outbox").await
    }

    /// The id of the newest message in the demo outbox (0 when empty).
    pub async fn newest_message(&self) -> i64 {
        self.outbox()
            .await
            .first()
            .map_or(0, |m| m["id"].as_i64().unwrap())
    }

    /// The code in the first message with a code to `contact` newer than message `after`,
    /// waiting up to 5 s for it (codes are delivered off the request path; another message to
    /// the contact, such as a return's step queued earlier, may arrive first). Panics when none
    /// comes.
    pub async fn expect_code_for(&self, contact: &str, after: i64) -> String {
        for _ in 0..100 {
            let messages = self.outbox().await;
            let code = messages
                .iter()
                .filter(|m| m["to"] == contact && m["id"].as_i64().unwrap() > after)
                .find_map(|m| {
                    m["body"]
                        .as_str()
                        .unwrap()
                        .split(|c: char| !c.is_ascii_digit())
                        .find(|w| w.len() == 6)
                        .map(str::to_string)
                });
            if let Some(code) = code {
                return code;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("no message with a code for {contact} in the outbox");
    }

    pub async fn request_code(&self, client: &Client, contact: &str) -> Response {
        self.post(client, "/api/auth/code", json!({ "contact": contact }))
            .await
    }

    /// Asks for a code for `contact` and reads it from the demo outbox; panics unless it is sent.
    pub async fn expect_code(&self, client: &Client, contact: &str) -> String {
        let after = self.newest_message().await;
        let sent = self.request_code(client, contact).await;
        assert_eq!(sent.status(), StatusCode::ACCEPTED);
        self.expect_code_for(contact, after).await
    }

    pub async fn verify(&self, client: &Client, contact: &str, code: &str) -> Response {
        self.post(
            client,
            "/api/auth/verify",
            json!({ "contact": contact, "code": code }),
        )
        .await
    }

    /// Signs `client` in through the code in the outbox; panics unless it works.
    pub async fn sign_in(&self, client: &Client, email: &str) {
        let code = self.expect_code(client, email).await;
        assert_eq!(
            self.verify(client, email, &code).await.status(),
            StatusCode::OK
        );
    }

    /// Every order number of the signed-in customer, newest first.
    pub async fn order_numbers(&self, client: &Client) -> Vec<String> {
        let page: Value = self
            .get(client, "/api/orders?per_page=50")
            .await
            .json()
            .await
            .unwrap();
        page["orders"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["number"].as_str().unwrap().to_string())
            .collect()
    }
}

/// The whole `Set-Cookie` header an answer sets cookie `name` with (an answer may set several).
pub fn set_cookie(response: &Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|value| value.starts_with(&format!("{name}=")))
        .map(str::to_string)
}

/// Status and body, for comparing answers byte for byte.
pub async fn answer(response: Response) -> (StatusCode, String) {
    let status = response.status();
    (status, response.text().await.unwrap())
}

/// Status and `code` of a problem document; panics unless the answer is `application/problem+json`.
pub async fn problem_code(response: Response) -> (StatusCode, String) {
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    assert_eq!(content_type, "application/problem+json");
    let body: Value = response.json().await.unwrap();
    (status, body["code"].as_str().unwrap().to_string())
}
