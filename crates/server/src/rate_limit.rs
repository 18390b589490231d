//! Fixed-window rate limits per requester (client address + target), per client address and per
//! target (a contact, an order number), in memory. Behind a load balancer each instance counts for itself; a shared store is a later
//! step when Portico runs on several machines.

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{Extensions, HeaderMap};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Mutex;

/// What is limited, how often, per how long.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub name: &'static str,
    pub limit: u32,
    pub window_secs: i64,
}

// Which key each limit counts by, and why (ARCHITECTURE.md repeats this):
// - a requester is a client address *and* a target, so one requester's mistakes slow only that
//   requester: a stranger guessing at someone's order or asking codes for someone's address does
//   not lock the owner out;
// - per address alone, so one machine cannot spread guesses over many targets;
// - per target alone, a ceiling several times a requester's, so many machines together can
//   neither guess an order's contact nor flood an inbox.

/// Codes asked for one contact by one client address.
pub const CODE_PER_REQUESTER: Rule = Rule {
    name: "code-requester",
    limit: 5,
    window_secs: 15 * 60,
};
/// Codes asked by one client address, for any contacts.
pub const CODE_PER_IP: Rule = Rule {
    name: "code-ip",
    limit: 20,
    window_secs: 15 * 60,
};
/// Codes sent to one contact, from anywhere: what keeps an inbox from being flooded.
pub const CODE_PER_CONTACT: Rule = Rule {
    name: "code-contact",
    limit: 15,
    window_secs: 15 * 60,
};
/// Codes tried by one client address (each code also dies after five wrong tries).
pub const VERIFY_PER_IP: Rule = Rule {
    name: "verify-ip",
    limit: 60,
    window_secs: 15 * 60,
};
/// Lookups of one order by one client address.
pub const LOOKUP_PER_REQUESTER: Rule = Rule {
    name: "lookup-requester",
    limit: 10,
    window_secs: 15 * 60,
};
/// Lookups by one client address, of any orders.
pub const LOOKUP_PER_IP: Rule = Rule {
    name: "lookup-ip",
    limit: 20,
    window_secs: 15 * 60,
};
/// Lookups of one order from anywhere: a ceiling far above what an owner ever needs.
pub const LOOKUP_PER_ORDER: Rule = Rule {
    name: "lookup-order",
    limit: 100,
    window_secs: 15 * 60,
};

/// Return links traded for a pass by one client address, right or wrong (a wrong token is a
/// guess at a signature: as many as the lookups one address may make).
pub const RETURN_PASS_PER_IP: Rule = Rule {
    name: "return-pass-ip",
    limit: 20,
    window_secs: 15 * 60,
};

/// Survey links opened, saved or opted out of by one client address: a customer answering
/// question by question saves often; a wrong token is a guess at a signature.
pub const SURVEY_PER_IP: Rule = Rule {
    name: "survey-ip",
    limit: 120,
    window_secs: 10 * 60,
};

/// Messages from the feedback button sent by one client address (guests may send them).
pub const FEEDBACK_PER_IP: Rule = Rule {
    name: "feedback-ip",
    limit: 10,
    window_secs: 60 * 60,
};

/// Widget requests from one visitor (a client address) to one partner's widget, of any kind.
pub const WIDGET_PER_VISITOR: Rule = Rule {
    name: "widget-visitor",
    limit: 120,
    window_secs: 10 * 60,
};

/// Widget requests to one partner's widget from anywhere: a ceiling that keeps one partner's
/// traffic (or an attack through its key) from taking the service from the others.
pub const WIDGET_PER_PARTNER: Rule = Rule {
    name: "widget-partner",
    limit: 20_000,
    window_secs: 10 * 60,
};

/// Staff sign-ins tried for one email from one client address: a few typos, then a pause.
pub const STAFF_SIGN_IN_PER_REQUESTER: Rule = Rule {
    name: "staff-sign-in-requester",
    limit: 10,
    window_secs: 15 * 60,
};
/// Staff sign-ins tried by one client address, for any emails.
pub const STAFF_SIGN_IN_PER_IP: Rule = Rule {
    name: "staff-sign-in-ip",
    limit: 30,
    window_secs: 15 * 60,
};
/// Staff sign-ins tried for one email from anywhere: what keeps a password from being guessed
/// from many machines (the owner waits at most a window).
pub const STAFF_SIGN_IN_PER_EMAIL: Rule = Rule {
    name: "staff-sign-in-email",
    limit: 30,
    window_secs: 15 * 60,
};

/// Counts one hit of `rule` for `key`; a full window is a 429 saying when to come back.
pub fn limit(state: &AppState, rule: Rule, key: &str) -> ApiResult<()> {
    state
        .limits
        .hit(rule, key, state.clock.now())
        .map_err(ApiError::RateLimited)
}

/// The client's address, for rate limits: the socket peer, or the first X-Forwarded-For hop
/// behind a trusted proxy.
pub struct ClientIp(pub String);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        Ok(ClientIp::of(state, &parts.headers, &parts.extensions))
    }
}

impl ClientIp {
    /// The address of the client that sent a request with these headers and extensions.
    pub fn of(state: &AppState, headers: &HeaderMap, extensions: &Extensions) -> Self {
        if state.config.trust_proxy {
            if let Some(first) = headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(',').next())
            {
                return ClientIp(first.trim().to_string());
            }
        }
        let peer = extensions.get::<ConnectInfo<SocketAddr>>();
        ClientIp(
            peer.map(|ConnectInfo(p)| p.ip().to_string())
                .unwrap_or_else(|| "unknown".into()),
        )
    }
}

/// The key of one requester (a client address) asking about one target.
pub fn requester(ip: &str, target: &str) -> String {
    format!("{ip} {target}")
}

/// (rule, key) -> (window start, hits in it)
type Windows = HashMap<(&'static str, String), (i64, u32)>;

pub struct RateLimiter {
    factor: u32,
    windows: Mutex<Windows>,
}

impl RateLimiter {
    pub fn new(factor: u32) -> Self {
        Self {
            factor: factor.max(1),
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one hit; `Err(seconds)` says when the window reopens.
    pub fn hit(&self, rule: Rule, key: &str, now: i64) -> Result<(), u64> {
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if windows.len() > 100_000 {
            windows.retain(|_, (start, _)| now - *start < rule.window_secs);
        }
        let entry = windows
            .entry((rule.name, key.to_string()))
            .or_insert((now, 0));
        if now - entry.0 >= rule.window_secs {
            *entry = (now, 0);
        }
        if entry.1 >= rule.limit.saturating_mul(self.factor) {
            return Err((entry.0 + rule.window_secs - now).max(1) as u64);
        }
        entry.1 += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_fills_and_reopens() {
        let limiter = RateLimiter::new(1);
        let rule = Rule {
            name: "t",
            limit: 2,
            window_secs: 60,
        };
        assert!(limiter.hit(rule, "a", 0).is_ok());
        assert!(limiter.hit(rule, "a", 1).is_ok());
        assert_eq!(limiter.hit(rule, "a", 10), Err(50));
        assert!(limiter.hit(rule, "b", 10).is_ok());
        assert!(limiter.hit(rule, "a", 60).is_ok());
    }
}
