//! The server's configuration: command-line flags, each also an environment variable.

use clap::Parser;
use portico_api::ReturnReason;
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
RUST_LOG chooses what is logged (default: info; e.g. RUST_LOG=portico_server=debug)."
)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "PORTICO_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Folder for the SQLite database (created, migrated and seeded on first start) when
    /// `PORTICO_DATABASE_URL` names none.
    #[arg(long, env = "PORTICO_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// The database: `sqlite:PATH` or `postgres://USER@HOST:PORT/NAME` (migrated and seeded on
    /// first start; several instances may share a PostgreSQL database). Default: `portico.db`
    /// in the data folder.
    #[arg(long, env = "PORTICO_DATABASE_URL")]
    pub database_url: Option<String>,
    /// The built app (Trunk's dist folder), served with an index.html fallback.
    #[arg(long, env = "PORTICO_STATIC_DIR", default_value = "./dist")]
    pub static_dir: PathBuf,
    /// Demo mode: keeps "sent" messages in an outbox readable at /api/dev/outbox, and moves
    /// parcels along by itself. Never for a real deployment.
    #[arg(long, env = "PORTICO_DEMO", default_value_t = false, value_parser = clap::builder::BoolishValueParser::new(), action = clap::ArgAction::Set, num_args = 0..=1, default_missing_value = "true")]
    pub demo: bool,
    /// In demo mode, seconds between steps of the moving parcels (0: only on request).
    #[arg(long, env = "PORTICO_DEMO_ADVANCE_SECS", default_value_t = 45)]
    pub demo_advance_secs: u64,
    /// Seconds between the app's refreshes of a page with a moving parcel.
    #[arg(long, env = "PORTICO_TRACKING_REFRESH_SECS", default_value_t = 30)]
    pub tracking_refresh_secs: u32,
    /// Multiplies every rate limit (tests that sign in many times from one address raise it).
    #[arg(long, env = "PORTICO_RATE_LIMIT_FACTOR", default_value_t = 1)]
    pub rate_limit_factor: u32,
    /// Take the client address from the first X-Forwarded-For hop (behind a trusted proxy).
    #[arg(long, env = "PORTICO_TRUST_PROXY", default_value_t = false, value_parser = clap::builder::BoolishValueParser::new(), action = clap::ArgAction::Set, num_args = 0..=1, default_missing_value = "true")]
    pub trust_proxy: bool,
    /// The address customers reach Portico at (`https://portal.example.com`). When it is https,
    /// the session cookie is `Secure` with the `__Host-` prefix and browsers are told to stay on
    /// https; state-changing requests must come from this origin. Unset: plain http on `--addr`.
    #[arg(long, env = "PORTICO_PUBLIC_URL", value_parser = PublicUrl::parse)]
    pub public_url: Option<PublicUrl>,
    /// Seconds a connection may take to send a request's headers, and may stay idle between
    /// requests, before it is closed.
    #[arg(long, env = "PORTICO_HEADER_TIMEOUT_SECS", default_value_t = 10)]
    pub header_timeout_secs: u64,
    /// Seconds one request may take, body included, before it is answered 503.
    #[arg(long, env = "PORTICO_REQUEST_TIMEOUT_SECS", default_value_t = 30)]
    pub request_timeout_secs: u64,
    /// Doorstep pickups one 2-hour slot can take (bookings of returns not cancelled or rejected).
    #[arg(long, env = "PORTICO_PICKUP_SLOT_CAPACITY", default_value_t = 4)]
    pub pickup_slot_capacity: u32,
    /// The return reasons customers choose from, in order, comma-separated (changed_mind,
    /// wrong_size, damaged, not_as_described, arrived_late, other).
    #[arg(long, env = "PORTICO_RETURN_REASONS", value_parser = ReturnReasons::parse,
        default_value = "changed_mind,wrong_size,damaged,not_as_described,arrived_late,other")]
    pub return_reasons: ReturnReasons,
    /// Days after a survey invitation before the same customer is invited again, whatever
    /// service comes in between.
    #[arg(long, env = "PORTICO_SURVEY_THROTTLE_DAYS", default_value_t = 30)]
    pub survey_throttle_days: u32,
    /// In demo mode, also serve the demo partner's page (the widget embedded as a partner would,
    /// on another origin) on this address, e.g. 127.0.0.1:8081.
    #[arg(long, env = "PORTICO_PARTNER_DEMO_ADDR")]
    pub partner_demo_addr: Option<SocketAddr>,
    /// Log one JSON object per line (for a log collector), each line about a request carrying
    /// its `request_id`; plain text otherwise.
    #[arg(long, env = "PORTICO_LOG_JSON", default_value_t = false, value_parser = clap::builder::BoolishValueParser::new(), action = clap::ArgAction::Set, num_args = 0..=1, default_missing_value = "true")]
    pub log_json: bool,
    /// Print the OpenAPI document and exit.
    #[arg(long)]
    pub print_openapi: bool,
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

impl Config {
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
            print_openapi: false,
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
