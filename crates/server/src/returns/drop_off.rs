//! Drop-off codes: what a drop-off point's scanner reads for a return handed in there. The code
//! is the return number and 8 characters of an HMAC-SHA256 of it under the server's `drop_off`
//! key, so a number alone (printed, guessed) is not a code; it is made once, when the return is
//! created, and kept with it.

use super::return_for;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::signing;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use portico_api::ErrorCode;
use sqlx::AnyPool;

/// How long a browser may keep a return's QR code (it never changes; it is the customer's own).
pub const QR_CACHE_CONTROL: &str = "private, max-age=86400";
/// The smallest side of the QR code's SVG, in pixels (a phone screen held under a scanner).
pub const QR_MIN_SIZE: u32 = 256;

/// `R20000001-1A2B3C4D`: the return number, `-`, the first 4 bytes of its HMAC-SHA256 under
/// `key` in upper-case hex (QR's alphanumeric mode holds the whole code).
pub fn code(key: &str, number: &str) -> String {
    let tag = signing::tag(key.as_bytes(), &[number.as_bytes()]);
    format!("{number}-{}", hex::encode_upper(&tag[..4]))
}

/// The QR code of `code` as an SVG document.
pub fn qr_svg(code: &str) -> Option<String> {
    let qr = qrcode::QrCode::new(code.as_bytes()).ok()?;
    Some(
        qr.render::<qrcode::render::svg::Color>()
            .min_dimensions(QR_MIN_SIZE, QR_MIN_SIZE)
            .build(),
    )
}

/// Gives every drop-off return stored without a code (made before codes existed) its code.
pub async fn backfill_codes(db: &AnyPool, key: &str) -> Result<(), sqlx::Error> {
    let missing: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, number FROM returns WHERE handover = 'drop_off' AND drop_off_code IS NULL",
    )
    .fetch_all(db)
    .await?;
    for (id, number) in missing {
        sqlx::query("UPDATE returns SET drop_off_code = $1 WHERE id = $2")
            .bind(code(key, &number))
            .bind(id)
            .execute(db)
            .await?;
    }
    Ok(())
}

/// The QR code a drop-off point scans for a return handed in there (its `drop_off_code`), for
/// whoever may read the return. Other returns have none: 404.
#[utoipa::path(get, path = "/api/returns/{number}/drop-off.svg", tag = "returns", operation_id = "return_drop_off_qr", security(("session" = [])),
    params(("number" = String, Path, description = "Return number, R + 8 digits")),
    responses((status = 200, description = "The return's drop-off code as a QR code (SVG).", content_type = "image/svg+xml", body = String,
            headers(("cache-control" = String, description = "`private, max-age=86400`: the browser may keep it, nothing between may."))),
        (status = 401), (status = 404)))]
pub async fn qr(
    State(state): State<AppState>,
    caller: Caller,
    Path(number): Path<String>,
) -> ApiResult<Response> {
    let (id, _) = return_for(&state, &caller, &number).await?;
    let stored: Option<Option<String>> = sqlx::query_scalar(
        "SELECT drop_off_code FROM returns WHERE id = $1 AND handover = 'drop_off'",
    )
    .bind(id)
    .fetch_optional(&state.db)
    .await?;
    let code = match stored {
        None => return Err(ErrorCode::NotFound.into()),
        Some(None) => return Err(ApiError::Corrupt("a drop-off return without its code")),
        Some(Some(code)) => code,
    };
    let svg = qr_svg(&code).ok_or(ApiError::Corrupt("a drop-off code too long for a QR code"))?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, QR_CACHE_CONTROL),
        ],
        svg,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_the_number_and_eight_characters_that_depend_on_the_key() {
        let one = code("key-one", "R20000001");
        assert_eq!(one.len(), "R20000001-".len() + 8);
        assert!(one.starts_with("R20000001-"));
        assert!(one[10..]
            .bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()));
        assert_eq!(code("key-one", "R20000001"), one);
        assert_ne!(code("key-two", "R20000001"), one);
        assert_ne!(code("key-one", "R20000002")[10..], one[10..]);
        // It is HMAC-SHA256 (the well-known example: f7bc83f4...).
        assert!(code("key", "The quick brown fox jumps over the lazy dog").ends_with("-F7BC83F4"));
        // Codes already printed keep scanning: the bytes as before `signing.rs`.
        assert_eq!(one, "R20000001-8CCDBACC");
    }

    #[test]
    fn the_qr_code_is_an_svg_document() {
        let svg = qr_svg("R20000001-1A2B3C4D").unwrap();
        assert!(svg.starts_with("<?xml"));
        assert!(svg.contains("<svg") && svg.contains("width=\""));
    }
}
