//! A return's link: `/returns/{number}?t=TOKEN`, sent in every message about the return, lets
//! whoever holds it follow that return without an account. The token is `EXPIRY.TAG`: the unix
//! second it stops working, and the HMAC-SHA256 (hex) of `return-pass:{number}:{EXPIRY}` under
//! the server's `return_pass` key (see `db::server_key`). It cannot be made without the key,
//! outlived, or moved to another return. Traded at `POST /api/returns/{number}/pass` for a guest
//! pass to that return alone ([`PassScope::Return`]): its order masked, not the order's other
//! returns, no new return.

use crate::auth::{Caller, GuestPass, PassScope};
use crate::error::{ApiJson, ApiResult};
use crate::guest::open_order;
use crate::rate_limit::{self, limit, ClientIp};
use crate::signing;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum_extra::extract::cookie::CookieJar;
use portico_api::{ErrorCode, ReturnPassRequest};
use std::sync::Arc;

/// How long a link works from the message that carries it.
pub const LINK_TTL_SECS: i64 = 30 * 24 * 3600;
/// How far past [`LINK_TTL_SECS`] from now a token's expiry may lie: the clocks of instances
/// sharing the key may differ by this much. A later expiry was never made here (the key signed
/// it, but no link lives longer), so it is refused.
pub const LINK_CLOCK_SLACK_SECS: i64 = 5 * 60;
/// Longer than any token this server makes (10 + 1 + 64 characters); anything longer is refused
/// unread.
const MAX_TOKEN_LEN: usize = 128;

fn message(number: &str, expires_at: i64) -> String {
    format!("return-pass:{number}:{expires_at}")
}

/// The token for return `number`, working until `expires_at` (unix seconds).
pub fn token(key: &str, number: &str, expires_at: i64) -> String {
    let tag = signing::hex_tag(key.as_bytes(), &[message(number, expires_at).as_bytes()]);
    format!("{expires_at}.{tag}")
}

/// Whether `token` is one this server made for return `number` and still works at `now`: spelt
/// exactly as made (decimal expiry without leading zeros, lower-case hex), expiring after `now`
/// and at most [`LINK_TTL_SECS`] (+ [`LINK_CLOCK_SLACK_SECS`]) after it. The tag is compared in
/// constant time.
pub fn check(key: &str, number: &str, token: &str, now: i64) -> bool {
    if token.len() > MAX_TOKEN_LEN {
        return false;
    }
    let Some((expiry, tag)) = token.split_once('.') else {
        return false;
    };
    if expiry.is_empty() || expiry.len() > 12 || !expiry.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let Ok(expires_at) = expiry.parse::<i64>() else {
        return false;
    };
    // One spelling: `0001000` names the same second as `1000` but is not what was signed.
    if expires_at.to_string() != expiry {
        return false;
    }
    if expires_at > now.saturating_add(LINK_TTL_SECS + LINK_CLOCK_SLACK_SECS) {
        return false;
    }
    // Only the lower-case hex this server writes: one token, one spelling.
    if tag.bytes().any(|b| b.is_ascii_uppercase()) {
        return false;
    }
    let Ok(tag) = hex::decode(tag) else {
        return false;
    };
    expires_at > now
        && signing::verify(
            key.as_bytes(),
            &[message(number, expires_at).as_bytes()],
            &tag,
        )
}

/// What the messages about returns link to: where customers reach Portico (its public URL, or
/// nothing for a relative link) and the key the tokens are signed with.
#[derive(Clone)]
pub struct ReturnLinks {
    pub key: Arc<str>,
    /// `https://portal.example.com`, or empty.
    pub origin: String,
}

impl ReturnLinks {
    /// The link to return `number`, working for [`LINK_TTL_SECS`] from `now`.
    pub fn link(&self, number: &str, now: i64) -> Option<String> {
        let token = token(&self.key, number, now.saturating_add(LINK_TTL_SECS));
        Some(format!("{}/returns/{number}?t={token}", self.origin))
    }
}

/// Trades the token of a return's link for a guest pass to that return (the browser's session
/// gets it, as with the guest lookup): the return can then be read, cancelled and rescheduled,
/// its QR code fetched and its order read masked; nothing else of the order's. A
/// token that is not this return's, altered or expired is one 404, whichever it is. Every try
/// counts against the address's limit.
#[utoipa::path(post, path = "/api/returns/{number}/pass", tag = "returns", operation_id = "return_pass",
    security((), ("session" = [])),
    params(("number" = String, Path, description = "Return number, R + 8 digits")),
    request_body = ReturnPassRequest,
    responses((status = 204, description = "The browser holds a pass for the return.",
            headers(("set-cookie" = String, description = "A guest session for the return's order, unless the browser is signed in."))),
        (status = 400), (status = 403), (status = 404), (status = 413), (status = 415), (status = 422), (status = 429)))]
pub async fn pass(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: Caller,
    jar: CookieJar,
    Path(number): Path<String>,
    ApiJson(body): ApiJson<ReturnPassRequest>,
) -> ApiResult<impl IntoResponse> {
    limit(&state, rate_limit::RETURN_PASS_PER_IP, &ip).await?;
    if !check(
        &state.return_pass_key,
        &number,
        &body.token,
        state.clock.now(),
    ) {
        return Err(ErrorCode::NotFound.into());
    }
    let found: Option<(i64, i64)> =
        sqlx::query_as("SELECT id, order_id FROM returns WHERE number = $1")
            .bind(&number)
            .fetch_optional(&state.db)
            .await?;
    let (id, order) = found.ok_or(ErrorCode::NotFound)?;
    let pass = GuestPass {
        order,
        scope: PassScope::Return(id),
    };
    let jar = open_order(&state, &caller, jar, pass).await?;
    Ok((jar, StatusCode::NO_CONTENT))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Links already sent keep working: the bytes as before `signing.rs` (HMAC-SHA256 of
    /// `return-pass:R20000001:1000` under `key`, worked out apart from this code).
    #[test]
    fn a_token_is_spelt_as_links_already_sent_spell_it() {
        let sent = "1000.316145adc94dfa195b5f2c7ca6332b5b14c52ce98c06eef4e7bdaffa310ef655";
        assert_eq!(token("key", "R20000001", 1_000), sent);
        assert!(check("key", "R20000001", sent, 999));
    }

    #[test]
    fn a_token_works_for_its_return_until_it_expires_and_only_as_made() {
        let made = token("key", "R20000001", 1_000);
        assert!(made.starts_with("1000.") && made.len() == 5 + 64, "{made}");
        assert!(check("key", "R20000001", &made, 999));
        assert!(!check("key", "R20000001", &made, 1_000), "expired");
        assert!(!check("key", "R20000002", &made, 999), "another return");
        assert!(!check("other", "R20000001", &made, 999), "another key");
        let later = made.replacen("1000.", "2000.", 1);
        assert!(!check("key", "R20000001", &later, 999), "expiry moved");
        let mut flipped = made.clone();
        let last = if made.ends_with('0') { "1" } else { "0" };
        flipped.replace_range(made.len() - 1.., last);
        assert!(!check("key", "R20000001", &flipped, 999), "tag altered");
        assert!(!check("key", "R20000001", &made.to_uppercase(), 999));
        for junk in ["", ".", "1000", "1000.", "x.ab", "-1.ab", &"9".repeat(200)] {
            assert!(!check("key", "R20000001", junk, 0), "{junk}");
        }
    }

    #[test]
    fn an_expiry_has_one_spelling() {
        // The tag signs the expiry read as a number: with zeros in front, the same tag.
        let made = token("key", "R20000001", 1_000);
        let (_, tag) = made.split_once('.').unwrap();
        assert!(check("key", "R20000001", &made, 999));
        for padded in ["01000", "0001000", "000000001000"] {
            let other = format!("{padded}.{tag}");
            assert!(!check("key", "R20000001", &other, 999), "{other}");
        }
    }

    #[test]
    fn no_link_outlives_its_lifetime_whatever_the_key_signed() {
        let now = 1_800_000_000;
        let made = |expires_at: i64| token("key", "R20000001", expires_at);
        // As made: a link's whole life, and the clocks' slack on top.
        assert!(check("key", "R20000001", &made(now + LINK_TTL_SECS), now));
        assert!(check(
            "key",
            "R20000001",
            &made(now + LINK_TTL_SECS + LINK_CLOCK_SLACK_SECS),
            now
        ));
        // Signed with the key, but longer than any link lives: refused.
        for too_far in [
            now + LINK_TTL_SECS + LINK_CLOCK_SLACK_SECS + 1,
            now + 10 * LINK_TTL_SECS,
            999_999_999_999,
        ] {
            assert!(!check("key", "R20000001", &made(too_far), now), "{too_far}");
        }
    }
}
