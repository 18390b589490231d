//! Where messages go: a [`Channel`] per way of reaching a customer (email over SMTP, SMS through a
//! provider's HTTP API, the demo's outbox), and [`Channels`], which picks one for a contact.

use super::message::Message;
use crate::config::Config;
use portico_api::Contact;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// A message on its way: `id` is the notice's, stable across attempts (the email's `Message-ID`,
/// the SMS provider's idempotency key), so a message sent twice can be told to be one.
pub struct Envelope<'a> {
    pub id: i64,
    pub to: &'a Contact,
    pub message: &'a Message,
}

/// Why a message did not go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendError {
    /// Worth trying again later (a 4xx from the mail server, a timeout, the provider busy).
    Transient(String),
    /// Never going to work (a 5xx refusal, a malformed address, a refused request).
    Permanent(String),
}

impl std::fmt::Display for SendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SendError::Transient(why) | SendError::Permanent(why) => f.write_str(why),
        }
    }
}

pub type Sending<'a> = Pin<Box<dyn Future<Output = Result<(), SendError>> + Send + 'a>>;

/// A way to deliver messages. `send` returns once the message was handed over (accepted by the
/// mail server or the provider), or failed to be.
pub trait Channel: Send + Sync {
    /// Its name, as admins read it with a failed message.
    fn name(&self) -> &'static str;
    fn send<'a>(&'a self, envelope: &'a Envelope<'a>) -> Sending<'a>;
}

/// The channels this deployment delivers through.
#[derive(Clone, Default)]
pub struct Channels {
    pub email: Option<Arc<dyn Channel>>,
    pub sms: Option<Arc<dyn Channel>>,
    /// Demo mode: what no real channel takes goes to the outbox.
    pub outbox: Option<Arc<dyn Channel>>,
}

impl Channels {
    /// The channel for `contact`: email for an address, SMS for a phone, else the outbox.
    pub fn for_contact(&self, contact: &Contact) -> Option<&dyn Channel> {
        let real = match contact {
            Contact::Email(_) => &self.email,
            Contact::Phone(_) => &self.sms,
        };
        real.as_ref().or(self.outbox.as_ref()).map(|c| c.as_ref())
    }

    /// Builds the channels `config` sets (without the outbox, which needs the database): `Err`
    /// is one line naming the setting that is wrong or missing.
    pub fn configured(config: &Config) -> Result<Self, String> {
        let email =
            match (&config.smtp_url, &config.mail_from) {
                (Some(url), Some(from)) => Some(Arc::new(super::smtp::Smtp::new(
                    url,
                    config.smtp_password_file.as_deref(),
                    from,
                )?) as Arc<dyn Channel>),
                (Some(_), None) => return Err(
                    "PORTICO_MAIL_FROM is not set: emails need a sender (PORTICO_SMTP_URL is set)"
                        .into(),
                ),
                (None, Some(_)) => {
                    return Err(
                        "PORTICO_SMTP_URL is not set: PORTICO_MAIL_FROM needs a mail server".into(),
                    )
                }
                (None, None) => None,
            };
        let key = match (&config.sms_key, &config.sms_key_file) {
            (Some(_), Some(_)) => {
                return Err("set PORTICO_SMS_KEY or PORTICO_SMS_KEY_FILE, not both".into())
            }
            (Some(key), None) => Some(key.clone()),
            (None, Some(file)) => Some(read_secret(file, "PORTICO_SMS_KEY_FILE")?),
            (None, None) => None,
        };
        if config.sms_provider == crate::config::SmsProvider::Tencent {
            let missing =
                |setting: &str| format!("{setting} is not set: Tencent Cloud SMS needs it");
            let tencent = super::tencent::Tencent::new(super::tencent::Settings {
                url: config.sms_url.as_deref(),
                secret_key: key.ok_or_else(|| missing("PORTICO_SMS_KEY (the SecretKey)"))?,
                secret_id: config
                    .tencent_secret_id
                    .clone()
                    .ok_or_else(|| missing("PORTICO_TENCENT_SECRET_ID"))?,
                app_id: config
                    .tencent_sms_app_id
                    .clone()
                    .ok_or_else(|| missing("PORTICO_TENCENT_SMS_APP_ID"))?,
                sign_name: config
                    .tencent_sms_sign
                    .clone()
                    .ok_or_else(|| missing("PORTICO_TENCENT_SMS_SIGN"))?,
                region: config.tencent_region.clone(),
                templates: config
                    .tencent_sms_templates
                    .as_deref()
                    .ok_or_else(|| missing("PORTICO_TENCENT_SMS_TEMPLATES"))?,
            })?;
            return Ok(Channels {
                email,
                sms: Some(Arc::new(tencent)),
                outbox: None,
            });
        }
        let sms = match (&config.sms_url, key) {
            (Some(url), Some(key)) => Some(Arc::new(super::sms::Sms::new(url, key)?) as Arc<dyn Channel>),
            (Some(_), None) => {
                return Err(
                    "PORTICO_SMS_KEY (or PORTICO_SMS_KEY_FILE) is not set: SMS requests are signed with it"
                        .into(),
                )
            }
            (None, Some(_)) => {
                return Err("PORTICO_SMS_URL is not set: the SMS key needs a provider".into())
            }
            (None, None) => None,
        };
        Ok(Channels {
            email,
            sms,
            outbox: None,
        })
    }
}

/// The channels `config` sets, checked as at start: outside demo mode at least one must be able
/// to deliver sign-in codes. `Err` is one line naming the missing or wrong setting.
pub fn channels(config: &Config) -> Result<Channels, String> {
    let channels = Channels::configured(config)?;
    if !config.demo && channels.email.is_none() && channels.sms.is_none() {
        return Err("no delivery channel for sign-in codes: set PORTICO_SMTP_URL and PORTICO_MAIL_FROM (email), or PORTICO_SMS_URL and PORTICO_SMS_KEY (SMS)".into());
    }
    Ok(channels)
}

/// A secret kept in a file (its first line, without surrounding whitespace).
pub fn read_secret(path: &std::path::Path, setting: &str) -> Result<String, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| format!("{setting}: cannot read {}: {error}", path.display()))?;
    let secret = text.lines().next().unwrap_or_default().trim().to_string();
    if secret.is_empty() {
        return Err(format!("{setting}: {} is empty", path.display()));
    }
    Ok(secret)
}
