//! Portico's wire contract: every request and response body that crosses between the app (or the
//! widget) and the services, shared by both sides so they cannot drift apart.
//!
//! Rules of the contract:
//! - money is integer fen ([`Money`]), never a float;
//! - times are UTC, RFC 3339 ([`UtcTime`]); dates are ISO `YYYY-MM-DD` ([`CalendarDate`]);
//! - enums travel as `snake_case` strings;
//! - errors are `application/problem+json` ([`Problem`]) with a stable [`ErrorCode`] that the app
//!   turns into a localized message.
//!
//! The `openapi` feature derives the OpenAPI schemas the reference server publishes.

mod auth;
mod config;
mod content;
mod editor;
mod ingest;
mod loyalty;
mod orders;
mod partners;
mod problem;
mod returns;
mod review;
mod staff;
mod surveys;
mod values;
mod widget;

pub use auth::*;
pub use config::*;
pub use content::*;
pub use editor::*;
pub use ingest::*;
pub use loyalty::*;
pub use orders::*;
pub use partners::*;
pub use problem::*;
pub use returns::*;
pub use review::*;
pub use staff::*;
pub use surveys::*;
pub use values::*;
pub use widget::*;

/// Paths of the JSON API, relative to a service's base URL.
pub mod paths {
    pub const SIGN_IN_CODE: &str = "/api/auth/code";

    /// What became of a sign-in code's message (`CodeSent::delivery`).
    pub fn code_delivery(delivery: &str) -> String {
        format!("{SIGN_IN_CODE}/{delivery}")
    }
    pub const SIGN_IN_VERIFY: &str = "/api/auth/verify";
    pub const SIGN_OUT: &str = "/api/auth/sign-out";
    pub const SESSION: &str = "/api/auth/session";
    pub const ORDERS: &str = "/api/orders";
    pub const GUEST_LOOKUP: &str = "/api/guest/lookup";
    pub const RETURNS: &str = "/api/returns";
    pub const LOYALTY: &str = "/api/loyalty/me";
    pub const TIERS: &str = "/api/loyalty/tiers";
    pub const PAGES: &str = "/api/pages";
    pub const SURVEYS: &str = "/api/surveys";
    pub const FEEDBACK: &str = "/api/feedback";
    pub const OUTBOX: &str = "/api/dev/outbox";
    pub const DEMO_ADVANCE: &str = "/api/dev/advance-shipments";
    pub const OPENAPI: &str = "/api/openapi.json";
    /// The widget's API: `/api/widget/{key}/...`, the partner's public key first.
    pub const WIDGET: &str = "/api/widget";
    pub const CONFIG: &str = "/portico.config.json";
    /// Operations: the process is up; the service can serve.
    pub const HEALTHZ: &str = "/healthz";
    pub const READYZ: &str = "/readyz";
    /// The demo outbox as a page (demo mode only; drawn by the server, not the portal).
    pub const OUTBOX_PAGE: &str = "/dev/outbox";

    /// `/api/pages/{slug}`: a benefit page (`?locale=zh-CN|en`).
    pub fn benefit_page(slug: &str) -> String {
        format!("{PAGES}/{slug}")
    }

    /// `/api/surveys/{token}`: what a survey link opens.
    pub fn survey(token: &str) -> String {
        format!("{SURVEYS}/{token}")
    }

    /// `/api/surveys/{token}/response`: saves the answers so far.
    pub fn survey_response(token: &str) -> String {
        format!("{SURVEYS}/{token}/response")
    }

    /// `/api/surveys/{token}/opt-out`: no more survey invitations for this customer.
    pub fn survey_opt_out(token: &str) -> String {
        format!("{SURVEYS}/{token}/opt-out")
    }

    /// `/api/widget/{key}`: the partner's widget settings.
    pub fn widget(key: &str) -> String {
        format!("{WIDGET}/{key}")
    }

    /// `/api/widget/{key}/lookup`: an order by its number and contact, masked (no cookie).
    pub fn widget_lookup(key: &str) -> String {
        format!("{WIDGET}/{key}/lookup")
    }

    /// `/api/widget/{key}/feedback`: a message from the widget, once per client-made id.
    pub fn widget_feedback(key: &str) -> String {
        format!("{WIDGET}/{key}/feedback")
    }

    /// `/api/widget/{key}/identity`: the tier badge for a partner-signed identity token.
    pub fn widget_identity(key: &str) -> String {
        format!("{WIDGET}/{key}/identity")
    }

    /// `/api/widget/{key}/surveys/{token}`: a survey link opened in the widget.
    pub fn widget_survey(key: &str, token: &str) -> String {
        format!("{WIDGET}/{key}/surveys/{token}")
    }

    /// `/api/widget/{key}/surveys/{token}/response`: saves the widget's answers so far.
    pub fn widget_survey_response(key: &str, token: &str) -> String {
        format!("{WIDGET}/{key}/surveys/{token}/response")
    }

    /// The staff API (`crates/server/src/staff/`).
    pub const STAFF_SIGN_IN: &str = "/api/staff/sign-in";
    pub const STAFF_SESSION: &str = "/api/staff/session";
    pub const STAFF_PASSWORD_LINK: &str = "/api/staff/password-link";
    pub const STAFF_SIGN_OUT: &str = "/api/staff/sign-out";
    pub const STAFF_SIGN_OUT_EVERYWHERE: &str = "/api/staff/sign-out-everywhere";
    pub const STAFF_ACCOUNTS: &str = "/api/staff/accounts";
    pub const STAFF_AUDIT: &str = "/api/staff/audit";
    pub const STAFF_MESSAGES: &str = "/api/staff/messages";

    /// Sends a failed message again.
    pub fn staff_message_retry(id: i64) -> String {
        format!("{STAFF_MESSAGES}/{id}/retry")
    }
    /// The benefit-page editor (`crates/server/src/content/editor.rs`).
    pub const STAFF_PAGES: &str = "/api/staff/pages";

    /// `/api/staff/pages/{slug}` and what follows it (`draft`, `submit`, `send-back`, `publish`,
    /// `unpublish`, `versions`, `diff`; `""` for the page itself).
    pub fn staff_page(slug: &str, then: &str) -> String {
        if then.is_empty() {
            format!("{STAFF_PAGES}/{slug}")
        } else {
            format!("{STAFF_PAGES}/{slug}/{then}")
        }
    }

    /// `/api/staff/pages/{slug}/versions/{version}/restore`.
    pub fn staff_page_restore(slug: &str, version: u32) -> String {
        format!("{STAFF_PAGES}/{slug}/versions/{version}/restore")
    }

    /// The returns waiting for review (publishers and admins).
    pub const STAFF_RETURNS: &str = "/api/staff/returns";

    /// `/api/staff/returns/{number}/decision`: a reviewer approves or rejects a return.
    pub fn return_decision(number: &str) -> String {
        format!("{STAFF_RETURNS}/{number}/decision")
    }

    /// Partners who embed the widget (admins; `crates/server/src/widget/partners.rs`).
    pub const STAFF_PARTNERS: &str = "/api/staff/partners";
    /// Integration keys (`crates/server/src/ingest/keys.rs`, admins).
    pub const STAFF_INTEGRATIONS: &str = "/api/staff/integrations";

    /// `/api/staff/integrations/{id}/rotate` or `.../revoke`.
    pub fn staff_integration(id: i64, action: &str) -> String {
        format!("{STAFF_INTEGRATIONS}/{id}/{action}")
    }

    /// The ingest API (`crates/server/src/ingest/`): the retailer's systems, signed requests.
    pub const INGEST_CUSTOMERS: &str = "/api/ingest/customers";
    pub const INGEST_ORDERS: &str = "/api/ingest/orders";
    pub const INGEST_CHECKPOINTS: &str = "/api/ingest/checkpoints";
    /// Kuaidi100's subscription push (a form POST signed with the deployment's salt).
    pub const INGEST_KUAIDI100: &str = "/api/ingest/kuaidi100";

    /// `/api/staff/partners/{id}`: one partner (admins change it).
    pub fn staff_partner(id: i64) -> String {
        format!("{STAFF_PARTNERS}/{id}")
    }

    /// `/api/staff/partners/{id}/secret`: rotates the partner's identity secret.
    pub fn staff_partner_secret(id: i64) -> String {
        format!("{STAFF_PARTNERS}/{id}/secret")
    }

    /// `/api/staff/accounts/{id}`: one staff account (admins change it).
    pub fn staff_account(id: i64) -> String {
        format!("{STAFF_ACCOUNTS}/{id}")
    }

    /// `/api/widget/{key}/survey`: the partner's active survey (`?response=ID`: with the
    /// visitor's response so far).
    pub fn widget_partner_survey(key: &str) -> String {
        format!("{WIDGET}/{key}/survey")
    }

    /// `/api/widget/{key}/survey/response`: saves a visitor's answers to the partner's survey.
    pub fn widget_partner_survey_response(key: &str) -> String {
        format!("{WIDGET}/{key}/survey/response")
    }

    /// `/api/orders/{number}`
    pub fn order(number: &str) -> String {
        format!("{ORDERS}/{number}")
    }

    /// `/api/returns/{number}`
    pub fn return_detail(number: &str) -> String {
        format!("{RETURNS}/{number}")
    }

    /// `/api/returns/{number}/cancel`
    pub fn return_cancel(number: &str) -> String {
        format!("{RETURNS}/{number}/cancel")
    }

    /// `/api/returns/{number}/drop-off.svg`: the drop-off code as a QR code.
    pub fn return_drop_off_qr(number: &str) -> String {
        format!("{RETURNS}/{number}/drop-off.svg")
    }

    /// `/api/returns/{number}/reschedule`
    pub fn reschedule_pickup(number: &str) -> String {
        format!("{RETURNS}/{number}/reschedule")
    }

    /// `/api/returns/{number}/pass`
    pub fn return_pass(number: &str) -> String {
        format!("{RETURNS}/{number}/pass")
    }

    /// `/api/orders/{number}/returnable`
    pub fn returnable(number: &str) -> String {
        format!("{ORDERS}/{number}/returnable")
    }
}
