//! HMAC-SHA256, the one way the server signs what it hands out and checks what comes back (survey
//! links, return links, drop-off codes, device cookies, partners' identity tokens, signed ingest
//! requests, SMS requests, Tencent Cloud's TC3 keys), and the constant-time comparison of secrets
//! (`subtle`). Each caller keeps its own message and spelling of the tag; the tag is always the
//! HMAC-SHA256 of the message's parts, one after another, under the key's bytes.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// The length of a tag, in bytes.
pub const TAG_LEN: usize = 32;

fn mac(key: &[u8], parts: &[&[u8]]) -> Hmac<Sha256> {
    // HMAC takes a key of any length (a longer one is hashed first): this never fails.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key");
    for part in parts {
        mac.update(part);
    }
    mac
}

/// The HMAC-SHA256 of `parts`, one after another, under `key`.
pub fn tag(key: &[u8], parts: &[&[u8]]) -> [u8; TAG_LEN] {
    mac(key, parts).finalize().into_bytes().into()
}

/// [`tag`] in lower-case hex (64 characters).
pub fn hex_tag(key: &[u8], parts: &[&[u8]]) -> String {
    hex::encode(tag(key, parts))
}

/// Whether `given` is the tag of `parts` under `key`: all of it, compared in constant time.
pub fn verify(key: &[u8], parts: &[&[u8]], given: &[u8]) -> bool {
    mac(key, parts).verify_slice(given).is_ok()
}

/// Whether `a` and `b` are the same bytes, compared without stopping at the first difference
/// (only their lengths may show).
pub fn same(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_rfc_4231_hmac_sha256() {
        // RFC 4231, test cases 2 (a short key) and 6 (a key longer than a block, hashed first).
        assert_eq!(
            hex_tag(b"Jefe", &[b"what do ya want ", b"for nothing?"]),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(
            hex_tag(
                &[0xaa; 131],
                &[b"Test Using Larger Than Block-Size Key - Hash Key First"]
            ),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn parts_are_one_message_and_the_key_matters() {
        assert_eq!(tag(b"k", &[b"ab", b"c"]), tag(b"k", &[b"abc"]));
        assert_eq!(tag(b"k", &[b"abc"]), tag(b"k", &[b"", b"abc", b""]));
        assert_ne!(tag(b"k", &[b"abc"]), tag(b"K", &[b"abc"]));
        assert_ne!(tag(b"k", &[b"abc"]), tag(b"k", &[b"abd"]));
        assert_eq!(hex_tag(b"k", &[b"abc"]).len(), 2 * TAG_LEN);
    }

    #[test]
    fn verify_takes_the_whole_tag_and_only_it() {
        let made = tag(b"key", &[b"message"]);
        assert!(verify(b"key", &[b"mess", b"age"], &made));
        assert!(!verify(b"other", &[b"message"], &made));
        assert!(!verify(b"key", &[b"messages"], &made));
        assert!(!verify(b"key", &[b"message"], &made[..16]), "a prefix");
        assert!(!verify(b"key", &[b"message"], &[]), "nothing");
        let mut flipped = made;
        flipped[TAG_LEN - 1] ^= 1;
        assert!(!verify(b"key", &[b"message"], &flipped));
        let mut longer = made.to_vec();
        longer.push(0);
        assert!(!verify(b"key", &[b"message"], &longer));
    }

    #[test]
    fn same_is_equality() {
        assert!(same(b"", b""));
        assert!(same(b"13812345678", b"13812345678"));
        assert!(!same(b"13812345678", b"13812345679"));
        assert!(!same(b"1381234567", b"13812345678"));
        assert!(!same(b"a", b""));
    }
}
