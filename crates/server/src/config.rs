//! The server's configuration: command-line flags, each also an environment variable.

use clap::Parser;
use portico_api::{ReturnReason, StaffRole};
use std::net::SocketAddr;
use std::path::PathBuf;

/// Portico's reference server: the customer portal's services, on an embedded SQLite database
/// (the default) or on PostgreSQL.
#[derive(Debug, Clone, Parser)]
#[command(
    name = "portico-server",
    version,
    about,
    after_help = "Every option is also read from the environment variable named beside it. \
RUST_LOG chooses what is logged (default: info; e.g. RUST_LOG=portico_server=debug). \
Outside demo mode the database starts empty: add the first admin with `portico-server staff add`, \
and bring orders in through the ingest API (see the README's \"Going live\")."
)]
pub struct Config {
    /// Address to listen on.
    #[arg(
        help_heading = "Service",
        long,
        env = "PORTICO_ADDR",
        default_value = "127.0.0.1:8080"
    )]
    pub addr: SocketAddr,
    /// The built app (Trunk's dist folder), served with an index.html fallback.
    #[arg(
        help_heading = "Service",
        long,
        env = "PORTICO_STATIC_DIR",
        default_value = "./dist"
    )]
    pub static_dir: PathBuf,
    /// Seconds between the app's refreshes of a page with a moving parcel.
    #[arg(
        help_heading = "Service",
        long,
        env = "PORTICO_TRACKING_REFRESH_SECS",
        default_value_t = 30
    )]
    pub tracking_refresh_secs: u32,
    /// Multiplies every rate limit (tests that sign in many times from one address raise it).
    #[arg(
        help_heading = "Service",
        long,
        env = "PORTICO_RATE_LIMIT_FACTOR",
        default_value_t = 1
    )]
    pub rate_limit_factor: u32,
    /// Take the client address from the first X-Forwarded-For hop (behind a trusted proxy).
    #[arg(help_heading = "Service", long, env = "PORTICO_TRUST_PROXY", default_value_t = false, value_parser = clap::builder::BoolishValueParser::new(), action = clap::ArgAction::Set, num_args = 0..=1, default_missing_value = "true")]
    pub trust_proxy: bool,
    /// The address customers reach Portico at (`https://portal.example.com`). When it is https,
    /// the session cookie is `Secure` with the `__Host-` prefix and browsers are told to stay on
    /// https; state-changing requests must come from this origin. Unset: plain http on `--addr`.
    #[arg(help_heading = "Service", long, env = "PORTICO_PUBLIC_URL", value_parser = PublicUrl::parse)]
    pub public_url: Option<PublicUrl>,
    /// Seconds a connection may take to send a request's headers, and may stay idle between
    /// requests, before it is closed.
    #[arg(
        help_heading = "Service",
        long,
        env = "PORTICO_HEADER_TIMEOUT_SECS",
        default_value_t = 10
    )]
    pub header_timeout_secs: u64,
    /// Seconds one request may take, body included, before it is answered 503.
    #[arg(
        help_heading = "Service",
        long,
        env = "PORTICO_REQUEST_TIMEOUT_SECS",
        default_value_t = 30
    )]
    pub request_timeout_secs: u64,
    /// Doorstep pickups one 2-hour slot can take (bookings of returns not cancelled or rejected).
    #[arg(
        help_heading = "Service",
        long,
        env = "PORTICO_PICKUP_SLOT_CAPACITY",
        default_value_t = 4
    )]
    pub pickup_slot_capacity: u32,
    /// The return reasons customers choose from, in order, comma-separated (changed_mind,
    /// wrong_size, damaged, not_as_described, arrived_late, other).
    #[arg(help_heading = "Service", long, env = "PORTICO_RETURN_REASONS", value_parser = ReturnReasons::parse,
        default_value = "changed_mind,wrong_size,damaged,not_as_described,arrived_late,other")]
    pub return_reasons: ReturnReasons,
    /// Days after a survey invitation before the same customer is invited again, whatever
    /// service comes in between.
    #[arg(
        help_heading = "Service",
        long,
        env = "PORTICO_SURVEY_THROTTLE_DAYS",
        default_value_t = 30
    )]
    pub survey_throttle_days: u32,
    /// Log one JSON object per line (for a log collector), each line about a request carrying
    /// its `request_id`; plain text otherwise.
    #[arg(help_heading = "Service", long, env = "PORTICO_LOG_JSON", default_value_t = false, value_parser = clap::builder::BoolishValueParser::new(), action = clap::ArgAction::Set, num_args = 0..=1, default_missing_value = "true")]
    pub log_json: bool,
    /// Folder for the SQLite database (created, migrated and seeded on first start) when
    /// `PORTICO_DATABASE_URL` names none.
    #[arg(
        help_heading = "Database",
        long,
        env = "PORTICO_DATA_DIR",
        default_value = "./data"
    )]
    pub data_dir: PathBuf,
    /// The database: `sqlite:PATH` or `postgres://USER@HOST:PORT/NAME` (migrated and seeded on
    /// first start; several instances may share a PostgreSQL database). Default: `portico.db`
    /// in the data folder.
    #[arg(help_heading = "Database", long, env = "PORTICO_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Email: the mail server, as `smtps://USER:PASSWORD@HOST:465` (TLS),
    /// `smtp://USER:PASSWORD@HOST:587?tls=required` (STARTTLS) or `smtp://HOST:25` (plain: only
    /// for a relay on the same machine). Sign-in codes to email addresses, return updates and
    /// survey invitations go through it.
    #[arg(
        long,
        env = "PORTICO_SMTP_URL",
        help_heading = "Delivery",
        hide_env_values = true
    )]
    pub smtp_url: Option<String>,
    /// Email: a file holding the SMTP password (instead of one in PORTICO_SMTP_URL, which then
    /// names the user).
    #[arg(long, env = "PORTICO_SMTP_PASSWORD_FILE", help_heading = "Delivery")]
    pub smtp_password_file: Option<PathBuf>,
    /// Email: the sender, e.g. `Portico <no-reply@shop.example.com>`.
    #[arg(long, env = "PORTICO_MAIL_FROM", help_heading = "Delivery")]
    pub mail_from: Option<String>,
    /// SMS: the provider's send endpoint (https://...), taking Portico's signed JSON request
    /// (see notify/sms.rs). Sign-in codes to phone numbers go through it.
    #[arg(long, env = "PORTICO_SMS_URL", help_heading = "Delivery")]
    pub sms_url: Option<String>,
    /// SMS: the key requests to the provider are signed with (HMAC-SHA256).
    #[arg(
        long,
        env = "PORTICO_SMS_KEY",
        help_heading = "Delivery",
        hide_env_values = true
    )]
    pub sms_key: Option<String>,
    /// SMS: a file holding that key (instead of PORTICO_SMS_KEY).
    #[arg(long, env = "PORTICO_SMS_KEY_FILE", help_heading = "Delivery")]
    pub sms_key_file: Option<PathBuf>,
    /// SMS: the provider's shape: `generic` (Portico's signed JSON request) or `tencent`
    /// (Tencent Cloud SMS `SendSms`, TC3-HMAC-SHA256 signed: PORTICO_SMS_KEY is the SecretKey,
    /// PORTICO_SMS_URL defaults to https://sms.tencentcloudapi.com/).
    #[arg(
        long,
        env = "PORTICO_SMS_PROVIDER",
        help_heading = "Delivery",
        default_value = "generic"
    )]
    pub sms_provider: SmsProvider,
    /// Tencent Cloud SMS: the SecretId of the API key.
    #[arg(long, env = "PORTICO_TENCENT_SECRET_ID", help_heading = "Delivery")]
    pub tencent_secret_id: Option<String>,
    /// Tencent Cloud SMS: the SmsSdkAppId.
    #[arg(long, env = "PORTICO_TENCENT_SMS_APP_ID", help_heading = "Delivery")]
    pub tencent_sms_app_id: Option<String>,
    /// Tencent Cloud SMS: the approved signature (SignName).
    #[arg(long, env = "PORTICO_TENCENT_SMS_SIGN", help_heading = "Delivery")]
    pub tencent_sms_sign: Option<String>,
    /// Tencent Cloud SMS: the approved template id of each kind of message, e.g.
    /// `sign_in_code=1234567,return_update=1234568,survey_invitation=1234569` (parameters in
    /// order: the code; the return's number; the reference and the link); `sign_in_code.en=…`
    /// sets the template of a message in that language alone.
    #[arg(long, env = "PORTICO_TENCENT_SMS_TEMPLATES", help_heading = "Delivery")]
    pub tencent_sms_templates: Option<String>,
    /// Tencent Cloud SMS: the region (X-TC-Region).
    #[arg(
        long,
        env = "PORTICO_TENCENT_REGION",
        help_heading = "Delivery",
        default_value = "ap-guangzhou"
    )]
    pub tencent_region: String,
    /// Seconds a message that could not be delivered is tried again for (with growing pauses)
    /// before it is given up and listed for admins; a sign-in code only while it is valid.
    #[arg(
        long,
        env = "PORTICO_DELIVERY_RETRY_SECS",
        help_heading = "Delivery",
        default_value_t = 86_400
    )]
    pub delivery_retry_secs: u64,
    /// Seconds a signed ingest request's `X-Portico-Timestamp` may be from the server's clock
    /// (either way); a signature is taken once within it.
    #[arg(
        long,
        env = "PORTICO_INGEST_WINDOW_SECS",
        default_value_t = 300,
        help_heading = "Integrations"
    )]
    pub ingest_window_secs: u32,
    /// The salt of Kuaidi100's subscription push (快递100 订阅推送, the `salt` given when
    /// subscribing): pushes to /api/ingest/kuaidi100 must carry sign = MD5(param + salt) in
    /// upper-case hex. Unset: the push is not taken (404).
    #[arg(long, env = "PORTICO_KUAIDI100_SALT", help_heading = "Integrations")]
    pub kuaidi100_salt: Option<String>,
    /// Demo mode: keeps "sent" messages in an outbox readable at /api/dev/outbox, and moves
    /// parcels along by itself. Never for a real deployment.
    #[arg(help_heading = "Demo", long, env = "PORTICO_DEMO", default_value_t = false, value_parser = clap::builder::BoolishValueParser::new(), action = clap::ArgAction::Set, num_args = 0..=1, default_missing_value = "true")]
    pub demo: bool,
    /// In demo mode, seconds between steps of the moving parcels (0: only on request).
    #[arg(
        help_heading = "Demo",
        long,
        env = "PORTICO_DEMO_ADVANCE_SECS",
        default_value_t = 45
    )]
    pub demo_advance_secs: u64,
    /// In demo mode, also serve the demo partner's page (the widget embedded as a partner would,
    /// on another origin) on this address, e.g. 127.0.0.1:8081.
    #[arg(help_heading = "Demo", long, env = "PORTICO_PARTNER_DEMO_ADDR")]
    pub partner_demo_addr: Option<SocketAddr>,
    /// Print the OpenAPI document and exit.
    #[arg(long)]
    pub print_openapi: bool,
    /// Without a command: serve.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// What `portico-server` does instead of serving (run by `cli.rs`).
#[derive(Debug, Clone, clap::Subcommand)]
pub enum Command {
    /// Staff accounts: the first admin, or a new password link for a lost password.
    #[command(subcommand)]
    Staff(StaffCommand),
    /// Backfills records from a file, one JSON record per line (JSON Lines), through the same
    /// code as the ingest API (`POST /api/ingest/...`): customers before their orders, orders
    /// before their checkpoints. Prints a summary of records added, updated, unchanged and
    /// refused with reasons; exits non-zero when any was refused.
    Import {
        /// The file (`-` for standard input).
        file: PathBuf,
        /// What the file holds; by default read from its name (customers*.jsonl,
        /// orders*.jsonl, checkpoints*.jsonl).
        #[arg(long, value_enum)]
        kind: Option<ImportKind>,
        /// Records per transaction (1 to 500).
        #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u16).range(1..=500))]
        batch: u16,
    },
}

#[derive(Debug, Clone, clap::Subcommand)]
pub enum StaffCommand {
    /// Adds a staff account and prints a one-time link to set its password (it works once, for
    /// 24 hours); or sets the password now with --ask-password or --password-stdin.
    Add {
        /// The account's email (what its owner signs in with).
        #[arg(long)]
        email: String,
        /// editor (writes benefit pages), publisher (publishes them; reviews returns), analyst
        /// (reads survey numbers) or admin (manages staff, partners and integrations).
        #[arg(long, value_parser = role)]
        role: StaffRole,
        /// The name shown in the staff app and the audit log (default: the email before the @).
        #[arg(long)]
        name: Option<String>,
        /// Ask for the password on this terminal (twice) instead of printing a link.
        #[arg(long, conflicts_with = "password_stdin")]
        ask_password: bool,
        /// Read the password from the first line of standard input instead of printing a link.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Prints a new one-time link to set an existing account's password (24 hours, once).
    Link {
        /// The account's email.
        #[arg(long)]
        email: String,
    },
}

fn role(input: &str) -> Result<StaffRole, String> {
    StaffRole::parse(input).ok_or_else(|| {
        let known: Vec<&str> = StaffRole::ALL.iter().map(|r| r.as_str()).collect();
        format!("not a role: {input:?} (one of {})", known.join(", "))
    })
}

/// What an import file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportKind {
    Customers,
    Orders,
    Checkpoints,
}

/// The return reasons a deployment offers: at least one, each once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnReasons(pub Vec<ReturnReason>);

impl ReturnReasons {
    pub fn parse(input: &str) -> Result<Self, String> {
        let mut reasons = Vec::new();
        for name in input.split(',').map(str::trim) {
            let reason = ReturnReason::parse(name).ok_or_else(|| {
                let known: Vec<&str> = ReturnReason::ALL.iter().map(|r| r.as_str()).collect();
                format!(
                    "not a return reason: {name:?} (one of {})",
                    known.join(", ")
                )
            })?;
            if reasons.contains(&reason) {
                return Err(format!("{name} is listed twice"));
            }
            reasons.push(reason);
        }
        Ok(ReturnReasons(reasons))
    }
}

/// The origin customers use, as `scheme://host[:port]` (no path).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl {
    pub origin: String,
    pub https: bool,
}

impl PublicUrl {
    pub fn parse(input: &str) -> Result<Self, String> {
        let uri: axum::http::Uri = input
            .parse()
            .map_err(|e| format!("not a URL ({e}): {input}"))?;
        let https = match uri.scheme_str() {
            Some("https") => true,
            Some("http") => false,
            _ => {
                return Err(format!(
                    "the public URL must start with http:// or https://: {input}"
                ))
            }
        };
        let authority = uri
            .authority()
            .ok_or_else(|| format!("the public URL needs a host: {input}"))?;
        let scheme = if https { "https" } else { "http" };
        Ok(PublicUrl {
            origin: format!("{scheme}://{}", authority.as_str().to_ascii_lowercase()),
            https,
        })
    }
}

/// The shape of the SMS provider's API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SmsProvider {
    /// Portico's own signed JSON request (notify/sms.rs).
    Generic,
    /// Tencent Cloud SMS `SendSms` (2021-01-11), template sends (notify/tencent.rs).
    Tencent,
}

impl Config {
    /// The database URL: `PORTICO_DATABASE_URL`, else `portico.db` in the data folder.
    pub fn database(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| crate::db::default_url(&self.data_dir))
    }

    /// Why this configuration cannot serve customers for real (outside demo mode): one line
    /// naming the missing setting.
    pub fn missing_for_live(&self) -> Option<String> {
        if self.demo {
            return None;
        }
        if self.public_url.is_none() {
            return Some(
                "PORTICO_PUBLIC_URL is not set: outside demo mode Portico needs the address customers reach it at, for the links in its messages (e.g. --public-url https://portal.example.com; --demo to try it with demo data)".into(),
            );
        }
        None
    }

    /// Whether customers reach this server over https (cookies `Secure`, HSTS).
    pub fn https(&self) -> bool {
        self.public_url.as_ref().is_some_and(|url| url.https)
    }

    /// Defaults for tests: demo on, nothing moving by itself.
    pub fn for_tests(data_dir: PathBuf) -> Self {
        Config {
            addr: "127.0.0.1:0".parse().expect("a valid address"),
            data_dir,
            database_url: None,
            static_dir: PathBuf::from("./dist"),
            demo: true,
            demo_advance_secs: 0,
            tracking_refresh_secs: 30,
            rate_limit_factor: 1,
            trust_proxy: false,
            public_url: None,
            header_timeout_secs: 10,
            request_timeout_secs: 30,
            pickup_slot_capacity: 4,
            return_reasons: ReturnReasons(ReturnReason::ALL.to_vec()),
            survey_throttle_days: 30,
            partner_demo_addr: None,
            log_json: false,
            ingest_window_secs: 300,
            kuaidi100_salt: None,
            smtp_url: None,
            smtp_password_file: None,
            mail_from: None,
            sms_url: None,
            sms_key: None,
            sms_key_file: None,
            sms_provider: SmsProvider::Generic,
            tencent_secret_id: None,
            tencent_sms_app_id: None,
            tencent_sms_sign: None,
            tencent_sms_templates: None,
            tencent_region: "ap-guangzhou".into(),
            delivery_retry_secs: 86_400,
            print_openapi: false,
            command: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn return_reasons_are_read_in_order_and_each_once() {
        let read = ReturnReasons::parse("damaged, other").unwrap();
        assert_eq!(read.0, vec![ReturnReason::Damaged, ReturnReason::Other]);
        assert!(ReturnReasons::parse("damaged,damaged").is_err());
        assert!(ReturnReasons::parse("broken").is_err());
        assert!(ReturnReasons::parse("").is_err());
        let default = Config::try_parse_from(["portico-server"]).unwrap();
        assert_eq!(default.return_reasons.0, ReturnReason::ALL.to_vec());
    }
}
