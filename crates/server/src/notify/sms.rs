//! Text messages through an SMS provider's HTTP API, in one documented shape a provider (or a
//! small adapter in front of one) accepts:
//!
//! ```text
//! POST {PORTICO_SMS_URL}
//! Content-Type: application/json
//! Idempotency-Key: notice-{id}
//! X-Portico-Timestamp: {unix seconds}
//! X-Portico-Signature: v1={hex HMAC-SHA256(key, "{timestamp}.{body}")}
//!
//! {"id":"notice-{id}","to":"13812345678","text":"…","template":"sign_in_code","params":{"code":"123456"}}
//! ```
//!
//! `id` (also the `Idempotency-Key`) is the same for every attempt at one message. A 2xx answer is
//! sent; 408, 429 and 5xx (or no answer) are tried again later; any other answer is final.

use super::channel::{Channel, Envelope, SendError, Sending};
use crate::signing;
use serde::Serialize;
use std::collections::BTreeMap;

pub struct Sms {
    client: reqwest::Client,
    url: reqwest::Url,
    key: String,
}

/// The request's JSON body.
#[derive(Serialize)]
pub struct SmsRequest<'a> {
    pub id: String,
    pub to: &'a str,
    pub text: &'a str,
    pub template: &'a str,
    pub params: BTreeMap<&'a str, &'a str>,
}

/// The signature of `body` sent at `timestamp` under `key`: `v1=` and the hex HMAC-SHA256 of
/// `{timestamp}.{body}`.
pub fn signature(key: &str, timestamp: i64, body: &[u8]) -> String {
    let timestamp = timestamp.to_string();
    let tag = signing::hex_tag(key.as_bytes(), &[timestamp.as_bytes(), b".", body]);
    format!("v1={tag}")
}

impl Sms {
    pub fn new(url: &str, key: String) -> Result<Self, String> {
        let (client, url) = client_for(url)?;
        Ok(Sms { client, url, key })
    }
}

/// An HTTP client for an SMS provider at `url` (`PORTICO_SMS_URL`, checked), and the URL.
pub fn client_for(url: &str) -> Result<(reqwest::Client, reqwest::Url), String> {
    let url = reqwest::Url::parse(url)
        .map_err(|error| format!("PORTICO_SMS_URL is not a URL ({error})"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err("PORTICO_SMS_URL must start with https:// (or http://)".into());
    }
    let client = reqwest::Client::builder()
        .timeout(super::smtp::SEND_TIMEOUT)
        .build()
        .map_err(|error| format!("cannot make the SMS client: {error}"))?;
    Ok((client, url))
}

/// Now, in Unix seconds (what a provider's signed timestamp is).
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

impl Channel for Sms {
    fn name(&self) -> &'static str {
        "sms"
    }

    fn send<'a>(&'a self, envelope: &'a Envelope<'a>) -> Sending<'a> {
        Box::pin(async move {
            let message = envelope.message;
            let id = format!("notice-{}", envelope.id);
            let request = SmsRequest {
                id: id.clone(),
                to: envelope.to.as_str(),
                text: &message.sms,
                template: message.template,
                params: message
                    .params
                    .iter()
                    .map(|(name, value)| (*name, value.as_str()))
                    .collect(),
            };
            let body = serde_json::to_vec(&request).expect("an SMS request serializes");
            let timestamp = unix_now();
            let answer = self
                .client
                .post(self.url.clone())
                .header("content-type", "application/json")
                .header("idempotency-key", &id)
                .header("x-portico-timestamp", timestamp)
                .header(
                    "x-portico-signature",
                    signature(&self.key, timestamp, &body),
                )
                .body(body)
                .send()
                .await
                .map_err(|error| SendError::Transient(format!("SMS provider: {error}")))?;
            let status = answer.status();
            if status.is_success() {
                return Ok(());
            }
            let said = answer.text().await.unwrap_or_default();
            let said: String = said.chars().take(200).collect();
            let why = format!("the SMS provider answered {status}: {said}");
            if status.is_server_error() || matches!(status.as_u16(), 408 | 429) {
                Err(SendError::Transient(why))
            } else {
                Err(SendError::Permanent(why))
            }
        })
    }
}
