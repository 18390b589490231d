//! Guest lookup: an order number plus the email or phone given with the order opens that one
//! order, masked. "No such order" and "wrong contact" are the same answer, by the same path.
//! The buyer's email or phone opens it, and so does the recipient's phone: a gift's recipient
//! may track the parcel coming to them, and only that (the pass is [`PassScope::Tracking`]:
//! nothing of the buyer's returns, no new return).

use crate::auth::{
    grant_guest_pass, start_session, Caller, GuestPass, PassScope, Sight, GUEST_SESSION_SECS,
};
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::orders::{find_order, load_detail};
use crate::rate_limit::{self, limit, ClientIp};
use crate::signing;
use crate::state::AppState;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::Json;
use axum_extra::extract::cookie::CookieJar;
use portico_api::{Contact, ErrorCode, GuestLookupRequest, OrderDetail, OrderNumber};

/// Opens one order, masked, for whoever proves it: its number and the buyer's email or phone,
/// or the recipient's phone. The browser's session gets a pass for that order (a new guest
/// session, or the signed-in customer's own): the buyer's opens the order's returns too, the
/// recipient's is for tracking only and shows none of them.
#[utoipa::path(post, path = portico_api::paths::GUEST_LOOKUP, request_body = GuestLookupRequest, tag = "orders",
    security((), ("session" = [])),
    responses((status = 200, description = "The order, masked.", body = OrderDetail,
            headers(("set-cookie" = String, description = "A guest session for this order, unless the browser is signed in."))),
        (status = 400), (status = 403), (status = 413), (status = 415), (status = 422), (status = 404), (status = 429)))]
pub async fn lookup(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: Caller,
    jar: CookieJar,
    ApiJson(body): ApiJson<GuestLookupRequest>,
) -> ApiResult<impl IntoResponse> {
    let (pass, detail) = prove(&state, &ip, &body).await?;
    let jar = open_order(&state, &caller, jar, pass).await?;
    Ok((jar, Json(detail)))
}

/// The order `body` proves, masked as the pass it proves shows it, and that pass: the lookup's
/// rules and limits, for the portal's lookup (which then opens a session) and the widget's
/// (which never does).
pub(crate) async fn prove(
    state: &AppState,
    ip: &str,
    body: &GuestLookupRequest,
) -> ApiResult<(GuestPass, OrderDetail)> {
    let number = OrderNumber::from_wire(&body.order_number)
        .map_err(|_| ApiError::from(ErrorCode::InvalidOrderNumber))?;
    let contact =
        Contact::from_wire(&body.contact).map_err(|_| ApiError::from(ErrorCode::InvalidContact))?;
    limit(state, rate_limit::LOOKUP_PER_IP, ip).await?;
    limit(
        state,
        rate_limit::LOOKUP_PER_REQUESTER,
        &rate_limit::requester(ip, number.as_str()),
    )
    .await?;

    let candidate = find_order(&state.db, &number).await?;
    // A missing order is compared against a stand-in, so both failures cost the same. The
    // buyer proves the order with their email or phone; a gift's recipient with their phone.
    let (email, buyer_phone, recipient_phone) = match &candidate {
        Some(order) => (
            order.contact_email.as_str(),
            order.buyer_phone.as_str(),
            order.recipient_phone.as_str(),
        ),
        None => ("\u{0}", "\u{0}", "\u{0}"),
    };
    // Both compared whichever matches; the buyer's contact decides when it is also the
    // recipient's (a parcel the buyer sent to themselves).
    let (buyer, recipient) = match &contact {
        Contact::Email(e) => (signing::same(e.as_bytes(), email.as_bytes()), false),
        Contact::Phone(p) => (
            signing::same(p.as_bytes(), buyer_phone.as_bytes()),
            signing::same(p.as_bytes(), recipient_phone.as_bytes()),
        ),
    };
    let (scope, order) = match (buyer, recipient, candidate) {
        (true, _, Some(order)) => (PassScope::Order, order),
        (false, true, Some(order)) => (PassScope::Tracking, order),
        _ => {
            // Only a wrong lookup counts against the order, and only a wrong one is refused by
            // its ceiling: strangers guessing from many addresses never lock out the right contact.
            limit(state, rate_limit::LOOKUP_PER_ORDER, number.as_str()).await?;
            return Err(ErrorCode::OrderNotFound.into());
        }
    };
    let pass = GuestPass {
        order: order.id,
        scope,
    };
    let detail = load_detail(&state.db, order, Sight::Pass(scope), state.clock.now()).await?;
    Ok((pass, detail))
}

/// Gives this browser `pass` (proved by the caller: a lookup, or a return's link). A signed-in
/// customer keeps their session and it carries the pass too; anyone else gets a guest session
/// with this one pass. A pass already held that opens as much (the buyer's, for the same order)
/// is kept: a return's link does not narrow it.
pub(crate) async fn open_order(
    state: &AppState,
    caller: &Caller,
    jar: CookieJar,
    pass: GuestPass,
) -> ApiResult<CookieJar> {
    if caller.holds(&pass) {
        return Ok(jar);
    }
    match (caller.customer, &caller.session_token_hash) {
        (Some(_), Some(session)) => {
            grant_guest_pass(state, session, pass).await?;
            Ok(jar)
        }
        _ => start_session(state, jar, None, Some(pass), GUEST_SESSION_SECS).await,
    }
}

/// A guest's lookup.
pub fn router() -> utoipa_axum::router::OpenApiRouter<AppState> {
    use utoipa_axum::{router::OpenApiRouter, routes};
    OpenApiRouter::default().routes(routes!(lookup))
}
