//! Starts the real service on a random port with a fresh database, and a cookie-keeping client.

#![allow(dead_code)]

use portico_server::{app, build_state, config::Config, AppState};
use reqwest::{Client, Response, StatusCode};
use serde_json::{json, Value};
use std::net::SocketAddr;

pub struct TestApp {
    pub base: String,
    pub state: AppState,
    _data: tempfile::TempDir,
}

pub async fn spawn() -> TestApp {
    spawn_with(|_| {}).await
}

pub async fn spawn_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    let data = tempfile::tempdir().expect("a temp dir");
    let mut config = Config::for_tests(data.path().to_path_buf());
    adjust(&mut config);
    let state = build_state(config).await.expect("the service starts");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = app(state.clone());
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
    TestApp {
        base: format!("http://{addr}"),
        state,
        _data: data,
    }
}

pub fn client() -> Client {
    Client::builder().cookie_store(true).build().unwrap()
}

impl TestApp {
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

    /// The newest code in the demo outbox for this contact.
    pub async fn code_for(&self, contact: &str) -> String {
        let messages: Vec<Value> = client()
            .get(self.url("/api/dev/outbox"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let message = messages
            .iter()
            .find(|m| m["to"] == contact)
            .expect("a message for this contact");
        let body = message["body"].as_str().unwrap();
        body.split(|c: char| !c.is_ascii_digit())
            .find(|w| w.len() == 6)
            .expect("a 6-digit code")
            .to_string()
    }

    /// Asks for a code for `contact` and reads it from the demo outbox.
    pub async fn request_code(&self, client: &Client, contact: &str) -> String {
        let sent = self
            .post(client, "/api/auth/code", json!({ "contact": contact }))
            .await;
        assert_eq!(sent.status(), StatusCode::ACCEPTED);
        self.code_for(contact).await
    }

    pub async fn verify(&self, client: &Client, contact: &str, code: &str) -> Response {
        self.post(
            client,
            "/api/auth/verify",
            json!({ "contact": contact, "code": code }),
        )
        .await
    }

    pub async fn sign_in(&self, client: &Client, email: &str) {
        let code = self.request_code(client, email).await;
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

/// Status and body, for comparing answers byte for byte.
pub async fn answer(response: Response) -> (StatusCode, String) {
    let status = response.status();
    (status, response.text().await.unwrap())
}

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
