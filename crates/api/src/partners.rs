//! Partners as admins manage them in the staff app: who embeds the widget, from which page
//! origins, what their widget offers and how it looks. A partner's identity secret (what its
//! backend signs identity tokens with) crosses the wire only when it is made: when the partner
//! is added and when the secret is rotated, never in a listing.

use crate::{PageLocale, Touchpoint, WidgetFeature};
use serde::{Deserialize, Serialize};

/// The most characters a partner's name has.
pub const PARTNER_NAME_MAX_CHARS: usize = 100;
/// The most page origins a partner has.
pub const PARTNER_MAX_ORIGINS: usize = 20;

/// A partner as admins see it (never its identity secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerAccount {
    pub id: i64,
    /// The public key the script tag carries in `data-partner`.
    pub key: String,
    /// As visitors know it; plain text.
    pub name: String,
    /// The page origins allowed to call the widget's API, `scheme://host[:port]` in lower case.
    pub origins: Vec<String>,
    /// In the order the panel shows them.
    pub features: Vec<WidgetFeature>,
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^#[0-9a-f]{6}$", example = "#1f6f4a")
    )]
    pub accent: String,
    pub default_locale: PageLocale,
    /// The survey the partner runs for every visitor, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_survey: Option<Touchpoint>,
    /// A disabled partner's key answers 404 on every widget request.
    pub enabled: bool,
}

/// `GET /api/staff/partners` (admins): every partner, by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerList {
    pub partners: Vec<PartnerAccount>,
}

/// `POST /api/staff/partners` (admins): a new partner, enabled at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewPartner {
    /// 1 to 100 characters once trimmed, no control characters.
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 100,
            pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$"
        )
    )]
    pub name: String,
    /// Each exactly as a browser sends `Origin`: `http://` or `https://`, a host, an optional
    /// port, nothing else (no path, query or user); upper case is taken as lower case, a default
    /// port is dropped, repeats count once. Anything else is `invalid_origin` (422).
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 20))]
    pub origins: Vec<String>,
    /// At least one, each once, in the order the panel shows them.
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 4))]
    pub features: Vec<WidgetFeature>,
    /// `#rrggbb`; upper-case digits are kept in lower case.
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^#[0-9A-Fa-f]{6}$", example = "#1f6f4a")
    )]
    pub accent: String,
    pub default_locale: PageLocale,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_survey: Option<Touchpoint>,
}

/// `PATCH /api/staff/partners/{id}` (admins): what changes; anything absent stays as it is.
/// `origins` replaces the whole set. `active_survey` names a new survey; `clear_survey: true`
/// ends the one it runs (sending both is `bad_request`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerChange {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 100,
            pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$"
        )
    )]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 20))]
    pub origins: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 4))]
    pub features: Option<Vec<WidgetFeature>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(pattern = "^#[0-9A-Fa-f]{6}$"))]
    pub accent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_locale: Option<PageLocale>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_survey: Option<Touchpoint>,
    /// The partner runs no survey of its own from now on.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub clear_survey: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

/// A partner's identity secret, told once: when the partner is added or the secret rotated.
/// Give it to the partner's developers privately; their backend signs identity tokens with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerSecret {
    /// 64 hex digits.
    pub identity_secret: String,
}

/// `POST /api/staff/partners` answers the partner and, this once, its identity secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerAdded {
    pub partner: PartnerAccount,
    /// 64 hex digits.
    pub identity_secret: String,
}
