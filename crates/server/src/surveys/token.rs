//! A survey link's token: `ID.EXPIRY.TAG`, the invitation's row id, the unix second the link
//! stops working, and the HMAC-SHA256 (lower-case hex) of `survey:{ID}:{EXPIRY}` under the
//! server's `survey` key (see `db::server_key`). It cannot be made without the key, moved to
//! another invitation or outlived; it is at most 97 characters, all URL-safe.

use crate::signing;

/// How long a survey link works.
pub const LINK_TTL_SECS: i64 = 14 * 24 * 3600;
/// Longer than any token this server makes (19 + 1 + 12 + 1 + 64); longer is refused unread.
const MAX_TOKEN_LEN: usize = 100;

fn message(invitation: i64, expires_at: i64) -> String {
    format!("survey:{invitation}:{expires_at}")
}

/// The token of invitation `invitation`, working until `expires_at`.
pub fn token(key: &str, invitation: i64, expires_at: i64) -> String {
    let tag = signing::hex_tag(
        key.as_bytes(),
        &[message(invitation, expires_at).as_bytes()],
    );
    format!("{invitation}.{expires_at}.{tag}")
}

/// What a token says, once its signature holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signed {
    pub invitation: i64,
    pub expires_at: i64,
}

impl Signed {
    pub fn expired(&self, now: i64) -> bool {
        now >= self.expires_at
    }
}

/// A decimal number as this server writes it: digits only, no sign, no leading zero.
fn number(text: &str, max_len: usize) -> Option<i64> {
    let canonical = !text.is_empty()
        && text.len() <= max_len
        && text.bytes().all(|b| b.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'));
    canonical.then(|| text.parse().ok()).flatten()
}

/// The invitation and expiry of `token` if this server signed it (whether or not it has expired:
/// the caller tells an expired link from a wrong one). The tag is compared in constant time, and
/// only the one spelling this server writes is taken.
pub fn verify(key: &str, token: &str) -> Option<Signed> {
    if token.len() > MAX_TOKEN_LEN {
        return None;
    }
    let mut parts = token.split('.');
    let (id, expiry, tag) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || tag.bytes().any(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let invitation = number(id, 19)?;
    let expires_at = number(expiry, 12)?;
    let tag = hex::decode(tag).ok()?;
    let message = message(invitation, expires_at);
    signing::verify(key.as_bytes(), &[message.as_bytes()], &tag).then_some(Signed {
        invitation,
        expires_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Links already sent keep working: the bytes as before `signing.rs` (HMAC-SHA256 of
    /// `survey:42:1000` under `key`, worked out apart from this code).
    #[test]
    fn a_token_is_spelt_as_links_already_sent_spell_it() {
        let sent = "42.1000.a6a74fde9ef0269519a3c72cd9d77798ed70f238e3552a233fb4a305773a98b9";
        assert_eq!(token("key", 42, 1_000), sent);
        assert!(verify("key", sent).is_some());
    }

    #[test]
    fn a_token_names_its_invitation_until_it_expires_and_only_as_made() {
        let made = token("key", 42, 1_000);
        assert!(
            made.starts_with("42.1000.") && made.len() == 8 + 64,
            "{made}"
        );
        assert!(made.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.'));
        let signed = verify("key", &made).unwrap();
        assert_eq!(
            signed,
            Signed {
                invitation: 42,
                expires_at: 1_000
            }
        );
        assert!(!signed.expired(999) && signed.expired(1_000));
        assert_eq!(verify("other", &made), None, "another key");
        for moved in [
            made.replacen("42.", "43.", 1),
            made.replacen(".1000.", ".2000.", 1),
            made.replacen("42.", "042.", 1),
            made.to_uppercase(),
            format!("{made}.0"),
        ] {
            assert_eq!(verify("key", &moved), None, "{moved}");
        }
        let mut flipped = made.clone();
        let last = if made.ends_with('0') { "1" } else { "0" };
        flipped.replace_range(made.len() - 1.., last);
        assert_eq!(verify("key", &flipped), None, "tag altered");
        let longest = token("key", i64::MAX, 999_999_999_999);
        assert!(longest.len() <= MAX_TOKEN_LEN && verify("key", &longest).is_some());
        for junk in [
            "",
            "..",
            "1.2",
            "1.2.",
            "x.1.ab",
            "-1.1.ab",
            &"9".repeat(200),
        ] {
            assert_eq!(verify("key", junk), None, "{junk}");
        }
    }
}
