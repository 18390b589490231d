//! Email over SMTP (lettre, on tokio with rustls): TLS (`smtps://`), STARTTLS
//! (`smtp://…?tls=required`) or plain for a local relay (`smtp://host:25`), with authentication
//! when the URL names a user. A message is a text part and an HTML part; its `Message-ID` is
//! the notice's, so a message sent again is recognisably the same one; mail that is not
//! transactional carries RFC 8058's one-click unsubscribe headers.

use super::channel::{read_secret, Channel, Envelope, SendError, Sending};
use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::time::Duration;

/// How long one send may take (connecting included): well inside a claim's lease.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(30);

pub struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The part of `Message-ID` after `@`: the sender's domain.
    domain: String,
}

impl Smtp {
    /// `url` as `PORTICO_SMTP_URL` takes it; the password in `password_file` when given.
    pub fn new(
        url: &str,
        password_file: Option<&std::path::Path>,
        from: &str,
    ) -> Result<Self, String> {
        let mut parsed = reqwest::Url::parse(url)
            .map_err(|error| format!("PORTICO_SMTP_URL is not a URL ({error})"))?;
        if !matches!(parsed.scheme(), "smtp" | "smtps") {
            return Err("PORTICO_SMTP_URL must start with smtp:// or smtps://".into());
        }
        if let Some(file) = password_file {
            if parsed.username().is_empty() {
                return Err(
                    "PORTICO_SMTP_URL names no user for the password in PORTICO_SMTP_PASSWORD_FILE"
                        .into(),
                );
            }
            let password = read_secret(file, "PORTICO_SMTP_PASSWORD_FILE")?;
            parsed
                .set_password(Some(&password))
                .map_err(|()| "PORTICO_SMTP_URL cannot take a password")?;
        }
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(parsed.as_str())
            .map_err(|error| format!("PORTICO_SMTP_URL: {error}"))?
            .timeout(Some(SEND_TIMEOUT))
            .build();
        let from: Mailbox = from
            .parse()
            .map_err(|error| format!("PORTICO_MAIL_FROM is not an email address ({error})"))?;
        let domain = from.email.domain().to_string();
        Ok(Smtp {
            transport,
            from,
            domain,
        })
    }

    /// The email for `envelope`, as it goes on the wire.
    pub fn mail(&self, envelope: &Envelope<'_>) -> Result<lettre::Message, SendError> {
        let message = envelope.message;
        let to: Mailbox = envelope
            .to
            .as_str()
            .parse()
            .map_err(|error| SendError::Permanent(format!("not an email address: {error}")))?;
        let mut builder = lettre::Message::builder()
            .message_id(Some(format!("<notice-{}@{}>", envelope.id, self.domain)))
            .from(self.from.clone())
            .to(to)
            .subject(message.subject.clone());
        if let Some(url) = &message.unsubscribe {
            builder = builder
                .header(ListUnsubscribe(format!("<{url}>")))
                .header(ListUnsubscribePost);
        }
        builder
            .multipart(MultiPart::alternative_plain_html(
                message.text(),
                message.html(),
            ))
            .map_err(|error| SendError::Permanent(format!("cannot build the email: {error}")))
    }
}

impl Channel for Smtp {
    fn name(&self) -> &'static str {
        "email"
    }

    fn send<'a>(&'a self, envelope: &'a Envelope<'a>) -> Sending<'a> {
        Box::pin(async move {
            let mail = self.mail(envelope)?;
            match self.transport.send(mail).await {
                Ok(_) => Ok(()),
                // A 5xx answer: the server will never take it.
                Err(error) if error.is_permanent() => Err(SendError::Permanent(format!(
                    "the mail server refused it: {error}"
                ))),
                // A 4xx answer, a timeout, no connection: later.
                Err(error) => Err(SendError::Transient(format!("SMTP: {error}"))),
            }
        })
    }
}

/// `List-Unsubscribe: <URL>` (RFC 2369).
#[derive(Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribe(s.to_string()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058): the link opts out with one
/// POST, without a page to confirm on.
#[derive(Clone)]
struct ListUnsubscribePost;

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribePost)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".into())
    }
}
