//! Device cookies, after OWASP's "Slow Down Online Guessing Attacks with Device Cookies": a
//! browser that signed in gets a cookie naming the account it signed in to, and from then on its
//! attempts at that account count against its own budget rather than the budget all other
//! clients share. Strangers who fill the shared budget lock out only untrusted clients; the
//! owner's browser keeps signing in.
//!
//! The cookie is `NONCE.EXPIRY.TAG`: 16 random bytes (hex, the device's name in its rate-limit
//! window), the unix second it stops working, and the HMAC-SHA256 (hex) of
//! `device:{door}:{NONCE}:{EXPIRY}:{account}` under the server's `device` key (see
//! `db::server_key`). The account is not in the cookie: the cookie is valid only for the account
//! the request names, so it is no use at any other. HttpOnly, `SameSite=Strict`, sent only to
//! the door's sign-in requests; `Secure` with the `__Secure-` prefix over https.

use crate::signing;
use crate::state::AppState;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use rand::Rng;

/// How long a device stays trusted after its last sign-in.
pub const DEVICE_SECS: i64 = 180 * 24 * 3600;

/// Where an account signs in: each has cookies of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Door {
    /// Staff with a password (`/api/staff/sign-in`); the account is the email, lower-case.
    Staff,
    /// Customers with a one-time code (`/api/auth/...`); the account is the contact's exact form.
    Customer,
}

impl Door {
    fn name(self) -> &'static str {
        match self {
            Door::Staff => "staff",
            Door::Customer => "customer",
        }
    }

    /// The cookie's name: `__Secure-` (Secure, and a path of its own) over https.
    pub fn cookie(self, https: bool) -> &'static str {
        match (self, https) {
            (Door::Staff, true) => "__Secure-portico_staff_device",
            (Door::Staff, false) => "portico_staff_device",
            (Door::Customer, true) => "__Secure-portico_device",
            (Door::Customer, false) => "portico_device",
        }
    }

    /// The only requests the cookie goes with: signing in.
    fn path(self) -> &'static str {
        match self {
            Door::Staff => "/api/staff/sign-in",
            Door::Customer => "/api/auth",
        }
    }
}

/// What a device cookie's tag signs.
fn message(door: Door, nonce: &str, expires_at: i64, account: &str) -> String {
    format!("device:{}:{nonce}:{expires_at}:{account}", door.name())
}

/// A new device cookie for `account` at `door`, made on a successful sign-in (a new device name
/// each time, so its budget starts afresh).
pub fn issue(state: &AppState, door: Door, account: &str) -> Cookie<'static> {
    let nonce = hex::encode(rand::thread_rng().gen::<[u8; 16]>());
    let expires_at = state.clock.now() + DEVICE_SECS;
    let message = message(door, &nonce, expires_at, account);
    let tag = signing::hex_tag(state.device_key.as_bytes(), &[message.as_bytes()]);
    Cookie::build((
        door.cookie(state.config.https()),
        format!("{nonce}.{expires_at}.{tag}"),
    ))
    .http_only(true)
    .same_site(SameSite::Strict)
    .path(door.path())
    .secure(state.config.https())
    .max_age(time::Duration::seconds(DEVICE_SECS))
    .build()
}

/// The name of the device this browser is for `account` at `door`, when it holds a valid device
/// cookie for that account (signed by this server, unexpired, in the one spelling the server
/// writes); `None` for every other browser: an untrusted client.
pub fn trusted(state: &AppState, jar: &CookieJar, door: Door, account: &str) -> Option<String> {
    let value = jar.get(door.cookie(state.config.https()))?.value();
    let mut parts = value.split('.');
    let (nonce, expiry, tag) = (parts.next()?, parts.next()?, parts.next()?);
    let lower_hex = |s: &str| s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    if parts.next().is_some()
        || nonce.len() != 32
        || !lower_hex(nonce)
        || tag.len() != 64
        || !lower_hex(tag)
        || expiry.is_empty()
        || expiry.len() > 12
        || expiry.starts_with('0')
        || !expiry.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let expires_at: i64 = expiry.parse().ok()?;
    let tag = hex::decode(tag).ok()?;
    let valid = expires_at > state.clock.now()
        && signing::verify(
            state.device_key.as_bytes(),
            &[message(door, nonce, expires_at, account).as_bytes()],
            &tag,
        );
    valid.then(|| nonce.to_string())
}
