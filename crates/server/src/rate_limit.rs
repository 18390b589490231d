//! Fixed-window rate limits per requester (client address + target), per client address and per
//! target (a contact, an order number), counted in the database: every instance of the service
//! on one database counts into the same windows, so a limit holds however requests are spread.

use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{Extensions, HeaderMap};
use std::net::SocketAddr;

/// What is limited, how often, per how long.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub name: &'static str,
    pub limit: u32,
    pub window_secs: i64,
}

// Which key each limit counts by, and why (docs/decisions/0001-rate-limits-and-lockouts.md
// repeats this):
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
/// Codes sent to one contact by untrusted clients (any browser without the contact's device
/// cookie, see `device.rs`), asked for or sent again after a code's last wrong try: what keeps an
/// inbox from being flooded. A browser that signed in as the contact asks on its own budget.
pub const CODE_PER_CONTACT: Rule = Rule {
    name: "code-contact",
    limit: 15,
    window_secs: 15 * 60,
};
/// Codes sent to one contact for one trusted browser (its device cookie), asked for or sent
/// again: as many as a requester may ask for.
pub const CODE_PER_DEVICE: Rule = Rule {
    name: "code-device",
    limit: 5,
    window_secs: 15 * 60,
};
/// Codes tried by one client address, for any contacts.
pub const VERIFY_PER_IP: Rule = Rule {
    name: "verify-ip",
    limit: 60,
    window_secs: 15 * 60,
};
/// Codes tried for one contact by one client address: two codes' worth of tries (a code takes
/// five wrong ones, then a new one is sent), then a pause for that requester only.
pub const VERIFY_PER_REQUESTER: Rule = Rule {
    name: "verify-requester",
    limit: 10,
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
/// Wrong lookups of one order from anywhere: past it a wrong lookup is refused; a right one never
/// counts here and is never refused by it.
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
/// Staff sign-ins tried for one email by untrusted clients (any browser without that account's
/// device cookie), wherever they are: what keeps a password from being guessed from many
/// machines. When strangers fill it, only untrusted clients wait; a browser that signed in to
/// the account before signs in on its own budget.
pub const STAFF_SIGN_IN_PER_EMAIL: Rule = Rule {
    name: "staff-sign-in-email",
    limit: 30,
    window_secs: 15 * 60,
};
/// Staff sign-ins tried for one account by one trusted browser (its device cookie): a device
/// cookie that keeps failing is locked out itself, and nobody else with it.
pub const STAFF_SIGN_IN_PER_DEVICE: Rule = Rule {
    name: "staff-sign-in-device",
    limit: 10,
    window_secs: 15 * 60,
};

/// Counts one hit of `rule` for `key`; a full window is a 429 saying when to come back.
pub async fn limit(state: &AppState, rule: Rule, key: &str) -> ApiResult<()> {
    state
        .limits
        .hit(&state.db, rule, key, state.clock.now())
        .await?
        .map_err(ApiError::RateLimited)
}

/// Gives back one hit of `rule` for `key` (a sign-in that succeeded: only failures count), if
/// its window is still open.
pub async fn give_back(state: &AppState, rule: Rule, key: &str) -> ApiResult<()> {
    state
        .limits
        .give_back(&state.db, rule, key, state.clock.now())
        .await?;
    Ok(())
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

/// The limits' multiplier (`PORTICO_RATE_LIMIT_FACTOR`, for load tests) over windows kept in
/// the `rate_windows` table.
pub struct RateLimiter {
    factor: u32,
}

impl RateLimiter {
    pub fn new(factor: u32) -> Self {
        Self {
            factor: factor.max(1),
        }
    }

    /// Counts one hit; `Ok(Err(seconds))` says when the window reopens. One statement, so hits
    /// from any number of instances at once are each counted once: a window older than the
    /// rule's starts again at `now` with this hit.
    pub async fn hit(
        &self,
        db: &Db,
        rule: Rule,
        key: &str,
        now: i64,
    ) -> Result<Result<(), u64>, sqlx::Error> {
        let (started_at, hits): (i64, i64) = sqlx::query_as(
            "INSERT INTO rate_windows (rule, subject, started_at, hits) VALUES ($1, $2, $3, 1) \
             ON CONFLICT (rule, subject) DO UPDATE SET \
             hits = CASE WHEN rate_windows.started_at <= $4 THEN 1 ELSE rate_windows.hits + 1 END, \
             started_at = CASE WHEN rate_windows.started_at <= $5 THEN $6 ELSE rate_windows.started_at END \
             RETURNING started_at, hits",
        )
        .bind(rule.name)
        .bind(key)
        .bind(now)
        .bind(now - rule.window_secs)
        .bind(now - rule.window_secs)
        .bind(now)
        .fetch_one(db)
        .await?;
        if hits > i64::from(rule.limit.saturating_mul(self.factor)) {
            return Ok(Err((started_at + rule.window_secs - now).max(1) as u64));
        }
        Ok(Ok(()))
    }

    /// Takes one hit back from the open window of `rule` for `key`, if there is one.
    pub async fn give_back(
        &self,
        db: &Db,
        rule: Rule,
        key: &str,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE rate_windows SET hits = hits - 1 \
             WHERE rule = $1 AND subject = $2 AND started_at > $3 AND hits > 0",
        )
        .bind(rule.name)
        .bind(key)
        .bind(now - rule.window_secs)
        .execute(db)
        .await?;
        Ok(())
    }
}

/// Forgets windows that ended long ago (the longest rule's is an hour).
pub async fn forget_old_windows(
    db: impl sqlx::AnyExecutor<'_>,
    now: i64,
) -> Result<u64, sqlx::Error> {
    let gone = sqlx::query("DELETE FROM rate_windows WHERE started_at < $1")
        .bind(now - 24 * 60 * 60)
        .execute(db)
        .await?;
    Ok(gone.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_window_fills_and_reopens() {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::db::connect(&crate::db::default_url(dir.path()))
            .await
            .unwrap();
        let limiter = RateLimiter::new(1);
        let rule = Rule {
            name: "t",
            limit: 2,
            window_secs: 60,
        };
        let hit = |key: &'static str, now: i64| {
            let (limiter, db) = (&limiter, &db);
            async move { limiter.hit(db, rule, key, now).await.unwrap() }
        };
        assert!(hit("a", 0).await.is_ok());
        assert!(hit("a", 1).await.is_ok());
        assert_eq!(hit("a", 10).await, Err(50));
        assert!(hit("b", 10).await.is_ok());
        assert!(hit("a", 60).await.is_ok());
        assert!(hit("a", 61).await.is_ok());
        assert_eq!(hit("a", 62).await, Err(58));
        assert_eq!(forget_old_windows(&db, 60 + 24 * 60 * 60).await.unwrap(), 1);
    }
}
