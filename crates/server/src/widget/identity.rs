//! A visitor's identity token, made by a partner's backend for the widget's tier badge:
//! `v1.PAYLOAD.SIGNATURE`, PAYLOAD the unpadded base64url of `{"sub":"...","exp":N}` (the
//! customer's email or phone in its exact wire form; the unix second it stops working), and
//! SIGNATURE the unpadded base64url of HMAC-SHA256 over `v1.PAYLOAD` under the partner's secret.
//! A token may live at most 24 hours: one whose `exp` is further away is refused, so a leaked
//! token is worth a day at most.

use crate::signing;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};

/// The longest a token may live, and so the furthest its `exp` may be.
pub const MAX_LIFETIME_SECS: i64 = 24 * 3600;
/// Longer than any honest token (a 254-character email, base64 and a signature); refused unread.
pub const MAX_TOKEN_LEN: usize = 512;
const VERSION: &str = "v1";

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Payload {
    sub: String,
    exp: i64,
}

/// A token for `sub` working until `exp`, as a partner's backend makes it (the demo partner's
/// page does, and tests).
pub fn sign(secret: &str, sub: &str, exp: i64) -> String {
    let payload = serde_json::to_vec(&Payload {
        sub: sub.to_string(),
        exp,
    })
    .expect("a payload serializes");
    let signed = format!("{VERSION}.{}", URL_SAFE_NO_PAD.encode(payload));
    let signature = URL_SAFE_NO_PAD.encode(signing::tag(secret.as_bytes(), &[signed.as_bytes()]));
    format!("{signed}.{signature}")
}

/// Why a token is refused; each is the same `invalid_identity` to the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    Malformed,
    Forged,
    Expired,
    TooLong,
}

/// Who the token names, if `secret` signed it, it has not expired and lives at most 24 hours
/// from `now`. The signature is checked (in constant time) before anything else is read.
pub fn verify(secret: &str, token: &str, now: i64) -> Result<String, Refused> {
    if token.len() > MAX_TOKEN_LEN {
        return Err(Refused::Malformed);
    }
    let (signed, signature) = token.rsplit_once('.').ok_or(Refused::Malformed)?;
    let (version, payload) = signed.split_once('.').ok_or(Refused::Malformed)?;
    if version != VERSION {
        return Err(Refused::Malformed);
    }
    let signature = URL_SAFE_NO_PAD
        .decode(signature)
        .map_err(|_| Refused::Malformed)?;
    if !signing::verify(secret.as_bytes(), &[signed.as_bytes()], &signature) {
        return Err(Refused::Forged);
    }
    let payload = URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|_| Refused::Malformed)?;
    let Payload { sub, exp } = serde_json::from_slice(&payload).map_err(|_| Refused::Malformed)?;
    if now >= exp {
        return Err(Refused::Expired);
    }
    if exp - now > MAX_LIFETIME_SECS {
        return Err(Refused::TooLong);
    }
    Ok(sub)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Partners' backends keep working: the bytes as before `signing.rs` (worked out apart from
    /// this code: base64url of the JSON, HMAC-SHA256 of `v1.PAYLOAD` under `secret`).
    #[test]
    fn a_token_is_spelt_as_partners_spell_it() {
        let made = "v1.eyJzdWIiOiJsaUBleGFtcGxlLmNvbSIsImV4cCI6MTAwMH0.9ioNbBqhBW9E2E0K6DMr8hOpBA9yhphJQJdf1GiQXnM";
        assert_eq!(sign("secret", "li@example.com", 1_000), made);
        assert_eq!(verify("secret", made, 999).as_deref(), Ok("li@example.com"));
    }

    #[test]
    fn a_token_names_its_visitor_only_as_signed_and_only_for_a_day() {
        let token = sign("secret", "li.na@example.com", 1_000);
        assert_eq!(
            verify("secret", &token, 999).as_deref(),
            Ok("li.na@example.com")
        );
        assert_eq!(verify("other", &token, 999), Err(Refused::Forged));
        assert_eq!(verify("secret", &token, 1_000), Err(Refused::Expired));
        assert_eq!(
            verify("secret", &token, 1_000 - MAX_LIFETIME_SECS - 1),
            Err(Refused::TooLong)
        );
        // Another visitor's name under the same signature is forged.
        let (_, signature) = token.rsplit_once('.').unwrap();
        let other = sign("secret", "wang.wei@example.com", 1_000);
        let (signed, _) = other.rsplit_once('.').unwrap();
        assert_eq!(
            verify("secret", &format!("{signed}.{signature}"), 999),
            Err(Refused::Forged)
        );
        for broken in [
            "",
            "v1",
            "v1.x",
            "v2.e30.AAAA",
            "v1.e30.!!",
            &"a".repeat(600),
        ] {
            assert!(verify("secret", broken, 0).is_err(), "{broken}");
        }
        // Signed, but not the payload's shape.
        let signed = format!("v1.{}", URL_SAFE_NO_PAD.encode(b"{\"sub\":1}"));
        let signature = URL_SAFE_NO_PAD.encode(signing::tag(b"secret", &[signed.as_bytes()]));
        assert_eq!(
            verify("secret", &format!("{signed}.{signature}"), 0),
            Err(Refused::Malformed)
        );
    }
}
