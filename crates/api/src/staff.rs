//! The staff side of the contract: staff accounts with a password and a role, their sessions
//! (a cookie of their own, never a customer's), and the audit log of what staff did. Every
//! staff write carries the session's CSRF token in `X-CSRF-Token`.

use crate::UtcTime;
use serde::{Deserialize, Serialize};

/// What a staff member may do. Each role is one job; an admin manages staff and partners.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StaffRole {
    /// Writes drafts of benefit pages.
    Editor,
    /// Publishes, unpublishes and rolls back pages; reviews returns; reads the audit log.
    Publisher,
    /// Reads survey numbers.
    Analyst,
    /// Adds, disables and re-roles staff; manages partners; reviews returns; reads the audit log.
    Admin,
}

impl StaffRole {
    pub const ALL: [StaffRole; 4] = [Self::Editor, Self::Publisher, Self::Analyst, Self::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Editor => "editor",
            Self::Publisher => "publisher",
            Self::Analyst => "analyst",
            Self::Admin => "admin",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == value)
    }
}

/// A staff account as staff see it (never its password).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffMember {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: StaffRole,
    /// A disabled account cannot sign in; its sessions ended when it was disabled.
    pub enabled: bool,
}

/// `POST /api/staff/sign-in`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffSignIn {
    #[cfg_attr(feature = "openapi", schema(max_length = 254))]
    pub email: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 128))]
    pub password: String,
}

/// Who is signed in to the staff app on this browser, and the token its writes must carry in
/// `X-CSRF-Token`; both absent when nobody is.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffSession {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff: Option<StaffMember>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csrf_token: Option<String>,
    /// When the session ends (staff sessions are short: 8 hours).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<UtcTime>,
}

/// `POST /api/staff/accounts` (admins): a new account. The password is 12 to 128 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewStaff {
    #[cfg_attr(feature = "openapi", schema(max_length = 254))]
    pub email: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub name: String,
    pub role: StaffRole,
    #[cfg_attr(feature = "openapi", schema(min_length = 12, max_length = 128))]
    pub password: String,
}

/// `PATCH /api/staff/accounts/{id}` (admins): a new role, enabled or disabled, or both.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffChange {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<StaffRole>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

/// `GET /api/staff/accounts`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffList {
    pub staff: Vec<StaffMember>,
}

/// One thing a staff member did (or tried: a failed sign-in is recorded too). Never changed,
/// never deleted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: i64,
    pub at: UtcTime,
    /// The staff member's email (for a failed sign-in: the email that was tried).
    pub actor: String,
    /// `sign_in`, `sign_in_failed`, `sign_out`, `sign_out_everywhere`, `staff_added`,
    /// `staff_changed`, `return.approve` and `return.reject` (a review: the target is the return,
    /// the detail its reason), `partner_added`, `partner_changed` and `partner_secret_rotated`
    /// (the target is the partner's key; never a secret), and the editor's actions as they come.
    pub action: String,
    /// What it was done to (a staff member's email, a page, a partner's key), if anything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// What changed, in words for people (`role: editor -> publisher`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// `GET /api/staff/audit?before=ID` (admins and publishers): newest first, 50 at a time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// Pass as `before` for the next (older) page; absent on the last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_before: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_reads_back_from_its_wire_name() {
        for role in StaffRole::ALL {
            assert_eq!(StaffRole::parse(role.as_str()), Some(role));
            assert_eq!(
                serde_json::to_string(&role).unwrap(),
                format!("\"{}\"", role.as_str())
            );
        }
        assert_eq!(StaffRole::parse("Admin"), None);
    }
}

/// `POST /api/staff/password-link`: sets a staff account's password with the one-time link
/// `portico-server staff add` (or `staff link`) printed. The link works once, for 24 hours; the
/// password is 12 to 128 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordLink {
    /// The token from the link (what follows `#set-password=`): 64 hex digits.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9a-f]{64}$"))]
    pub token: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 12, max_length = 128))]
    pub password: String,
}

/// The account whose password was set: the staff app signs in with this email next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordSet {
    pub email: String,
}

/// A message to a customer that could not be delivered and was given up (`GET
/// /api/staff/messages`, admins): kept until an admin sends it again
/// (`POST /api/staff/messages/{id}/retry`). Never its text (a sign-in code stays secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FailedMessage {
    pub id: i64,
    /// `sign_in_code`, `return_update`, `pickup_rescheduled` or `survey_invitation`.
    pub kind: String,
    /// Where it was to go, when that was known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<String>,
    /// Why it did not go (the mail server's or the provider's words).
    pub error: String,
    /// Tries that failed.
    pub attempts: i64,
    pub queued_at: UtcTime,
    pub failed_at: UtcTime,
}

/// `GET /api/staff/messages`: the failed messages, newest first (at most 200).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FailedMessages {
    pub messages: Vec<FailedMessage>,
}
