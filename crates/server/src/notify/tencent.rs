//! Text messages through Tencent Cloud SMS (`SendSms`, API version 2021-01-11): a template send,
//! signed with TC3-HMAC-SHA256 as Tencent Cloud's API documentation describes.
//!
//! ```text
//! POST {PORTICO_SMS_URL, default https://sms.tencentcloudapi.com/}
//! Content-Type: application/json; charset=utf-8
//! X-TC-Action: SendSms
//! X-TC-Version: 2021-01-11
//! X-TC-Region: ap-guangzhou
//! X-TC-Timestamp: {unix seconds}
//! Authorization: TC3-HMAC-SHA256 Credential={SecretId}/{date}/sms/tc3_request,
//!     SignedHeaders=content-type;host;x-tc-action, Signature={hex}
//!
//! {"PhoneNumberSet":["+8613812345678"],"SmsSdkAppId":"1400000000","SignName":"…",
//!  "TemplateId":"1234567","TemplateParamSet":["123456"],"SessionContext":"notice-{id}"}
//! ```
//!
//! The template of each kind of message is set by its id (`PORTICO_TENCENT_SMS_TEMPLATES`), and
//! may be set per language (`sign_in_code.en=…`, for a message in that language alone); its
//! parameters are the message's, in order. `SessionContext` carries the notice's stable id (Tencent
//! hands it back with the delivery receipt; the API has no idempotency field). Tencent answers 200
//! with `Response.Error` or a per-number `SendStatusSet[].Code`: `Ok` is sent; a throttled or
//! internal error is tried again later; any other code is final.

use super::channel::{Channel, Envelope, SendError, Sending};
use crate::signing;
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

pub const DEFAULT_URL: &str = "https://sms.tencentcloudapi.com/";
const SERVICE: &str = "sms";
const VERSION: &str = "2021-01-11";
const CONTENT_TYPE: &str = "application/json; charset=utf-8";

/// Tencent Cloud SMS as a [`Channel`].
pub struct Tencent {
    client: reqwest::Client,
    url: reqwest::Url,
    /// The `Host` header, as signed.
    host: String,
    secret_id: String,
    secret_key: String,
    app_id: String,
    sign_name: String,
    region: String,
    /// The template id of each kind of message (`sign_in_code`, …).
    templates: BTreeMap<String, String>,
}

/// What Tencent's settings are.
pub struct Settings<'a> {
    pub url: Option<&'a str>,
    pub secret_id: String,
    pub secret_key: String,
    pub app_id: String,
    pub sign_name: String,
    pub region: String,
    /// `kind=id,kind=id`.
    pub templates: &'a str,
}

/// The request's JSON body.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct SendSms<'a> {
    phone_number_set: [String; 1],
    sms_sdk_app_id: &'a str,
    sign_name: &'a str,
    template_id: &'a str,
    template_param_set: Vec<&'a str>,
    session_context: String,
}

/// The `Authorization` header of a `SendSms` request with `body` to `host` at `timestamp`
/// (TC3-HMAC-SHA256: canonical request, string to sign, the key derived from the date and the
/// service, the signature).
pub fn authorization(
    secret_id: &str,
    secret_key: &str,
    host: &str,
    timestamp: i64,
    body: &[u8],
) -> String {
    let date = time::OffsetDateTime::from_unix_timestamp(timestamp)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .date();
    let date = format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    );
    let signed_headers = "content-type;host;x-tc-action";
    let canonical = format!(
        "POST\n/\n\ncontent-type:{CONTENT_TYPE}\nhost:{host}\nx-tc-action:sendsms\n\n{signed_headers}\n{}",
        hex::encode(Sha256::digest(body))
    );
    let scope = format!("{date}/{SERVICE}/tc3_request");
    let to_sign = format!(
        "TC3-HMAC-SHA256\n{timestamp}\n{scope}\n{}",
        hex::encode(Sha256::digest(canonical.as_bytes()))
    );
    let key = signing::tag(format!("TC3{secret_key}").as_bytes(), &[date.as_bytes()]);
    let key = signing::tag(&key, &[SERVICE.as_bytes()]);
    let key = signing::tag(&key, &[b"tc3_request"]);
    let signature = signing::hex_tag(&key, &[to_sign.as_bytes()]);
    format!(
        "TC3-HMAC-SHA256 Credential={secret_id}/{scope}, SignedHeaders={signed_headers}, Signature={signature}"
    )
}

impl Tencent {
    pub fn new(settings: Settings) -> Result<Self, String> {
        let (client, url) = super::sms::client_for(settings.url.unwrap_or(DEFAULT_URL))?;
        let host = match (url.host_str(), url.port()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            (Some(host), None) => host.to_string(),
            (None, _) => return Err("PORTICO_SMS_URL has no host".into()),
        };
        let mut templates = BTreeMap::new();
        for pair in settings
            .templates
            .split(',')
            .filter(|p| !p.trim().is_empty())
        {
            let Some((kind, id)) = pair.split_once('=') else {
                return Err(format!(
                    "PORTICO_TENCENT_SMS_TEMPLATES: `{pair}` is not kind=template id"
                ));
            };
            templates.insert(kind.trim().to_string(), id.trim().to_string());
        }
        if !templates.contains_key("sign_in_code") {
            return Err(
                "PORTICO_TENCENT_SMS_TEMPLATES has no sign_in_code=<template id>: sign-in codes need one"
                    .into(),
            );
        }
        Ok(Tencent {
            client,
            url,
            host,
            secret_id: settings.secret_id,
            secret_key: settings.secret_key,
            app_id: settings.app_id,
            sign_name: settings.sign_name,
            region: settings.region,
            templates,
        })
    }
}

/// Whether Tencent's error `code` is worth trying again later.
fn transient(code: &str) -> bool {
    code.starts_with("InternalError")
        || code.starts_with("RequestLimitExceeded")
        || code.starts_with("LimitExceeded")
        || code == "FailedOperation.InsufficientBalanceInSmsPackage"
}

impl Channel for Tencent {
    fn name(&self) -> &'static str {
        "sms (Tencent Cloud)"
    }

    fn send<'a>(&'a self, envelope: &'a Envelope<'a>) -> Sending<'a> {
        Box::pin(async move {
            let message = envelope.message;
            // The template in the message's language (`kind.en`), else the kind's.
            let in_language = message.language().and_then(|l| {
                self.templates
                    .get(&format!("{}.{}", message.template, l.as_str()))
            });
            let Some(template_id) = in_language.or_else(|| self.templates.get(message.template))
            else {
                return Err(SendError::Permanent(format!(
                    "PORTICO_TENCENT_SMS_TEMPLATES has no template for {}",
                    message.template
                )));
            };
            let request = SendSms {
                phone_number_set: [format!("+86{}", envelope.to.as_str())],
                sms_sdk_app_id: &self.app_id,
                sign_name: &self.sign_name,
                template_id,
                template_param_set: message.params.iter().map(|(_, v)| v.as_str()).collect(),
                session_context: format!("notice-{}", envelope.id),
            };
            let body = serde_json::to_vec(&request).expect("a SendSms request serializes");
            let timestamp = super::sms::unix_now();
            let authorization = authorization(
                &self.secret_id,
                &self.secret_key,
                &self.host,
                timestamp,
                &body,
            );
            let answer = self
                .client
                .post(self.url.clone())
                .header("content-type", CONTENT_TYPE)
                .header("host", &self.host)
                .header("x-tc-action", "SendSms")
                .header("x-tc-version", VERSION)
                .header("x-tc-region", &self.region)
                .header("x-tc-timestamp", timestamp)
                .header("authorization", authorization)
                .body(body)
                .send()
                .await
                .map_err(|error| SendError::Transient(format!("Tencent Cloud SMS: {error}")))?;
            let status = answer.status();
            let said: Value = answer.json().await.unwrap_or(Value::Null);
            let response = &said["Response"];
            let failed = |code: &str, why: &str| {
                let why = format!("Tencent Cloud SMS answered {code}: {why}");
                if transient(code) {
                    SendError::Transient(why)
                } else {
                    SendError::Permanent(why)
                }
            };
            if let Some(error) = response.get("Error") {
                let code = error["Code"].as_str().unwrap_or("unknown");
                return Err(failed(code, error["Message"].as_str().unwrap_or_default()));
            }
            if !status.is_success() {
                let why = format!("Tencent Cloud SMS answered {status}");
                return Err(if status.is_server_error() || status.as_u16() == 429 {
                    SendError::Transient(why)
                } else {
                    SendError::Permanent(why)
                });
            }
            match response["SendStatusSet"].get(0) {
                Some(sent) if sent["Code"] == "Ok" => Ok(()),
                Some(sent) => {
                    let code = sent["Code"].as_str().unwrap_or("unknown");
                    Err(failed(code, sent["Message"].as_str().unwrap_or_default()))
                }
                None => Err(SendError::Transient(
                    "Tencent Cloud SMS answered without a send status".into(),
                )),
            }
        })
    }
}
