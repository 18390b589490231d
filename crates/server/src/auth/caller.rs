//! Who is asking, as every handler sees it ([`Caller`]): the signed-in customer, and the guest
//! pass the session holds with its scope (what proved it decides what it opens).

use super::{session_cookie, sha256_hex};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum_extra::extract::cookie::CookieJar;

/// What a guest pass opens of its order, decided by what proved it. Stored with the session
/// (`guest_scope`, `guest_return_id`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PassScope {
    /// The buyer's: the order number and the buyer's email or phone. The order (masked), its
    /// returns, and starting new ones.
    Order,
    /// A gift recipient's: the order number and the recipient's phone (not also the buyer's).
    /// The order masked, to track its parcels; nothing of its returns.
    Tracking,
    /// A return's link (the return's id): that return (read, cancel, reschedule, its drop-off
    /// QR code) and its order masked, which lists that return alone. No other return of the
    /// order, and no new one.
    Return(i64),
}

/// A guest pass: one order, and what of it the pass opens. What it allows is asked of
/// [`Caller::may`]; a handler never reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GuestPass {
    pub order: i64,
    pub scope: PassScope,
}

impl GuestPass {
    /// The session's columns for `pass`: `guest_order_id`, `guest_scope`, `guest_return_id`.
    pub(super) fn stored(
        pass: Option<GuestPass>,
    ) -> (Option<i64>, Option<&'static str>, Option<i64>) {
        match pass {
            None => (None, None, None),
            Some(GuestPass { order, scope }) => match scope {
                PassScope::Order => (Some(order), Some("order"), None),
                PassScope::Tracking => (Some(order), Some("tracking"), None),
                PassScope::Return(id) => (Some(order), Some("return"), Some(id)),
            },
        }
    }

    /// The pass those columns hold; a scope this server never writes is a corrupt row.
    fn read(
        order: Option<i64>,
        scope: Option<&str>,
        return_id: Option<i64>,
    ) -> ApiResult<Option<GuestPass>> {
        let Some(order) = order else {
            return Ok(None);
        };
        let scope = match (scope, return_id) {
            (Some("order"), None) => PassScope::Order,
            (Some("tracking"), None) => PassScope::Tracking,
            (Some("return"), Some(id)) => PassScope::Return(id),
            _ => return Err(ApiError::Corrupt("a guest pass's scope")),
        };
        Ok(Some(GuestPass { order, scope }))
    }
}

/// What a handler is about to do with an order; [`Caller::may`] says whether the caller may.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    /// Read it (masked through a pass): its buyer and every pass for it.
    Track,
    /// Read what of it can be returned, with the pickup slots offered: its buyer, the buyer's
    /// pass, and a return link's (whose pickup moves to one of those slots).
    ReadReturnable,
    /// Start a return of it: its buyer and the buyer's pass.
    StartReturn,
    /// Read, cancel or reschedule its return with this id, or fetch that return's drop-off QR
    /// code: its buyer, the buyer's pass, and that return's link.
    Return(i64),
}

/// How a caller who may act on an order sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sight {
    /// The signed-in buyer: all of it.
    Owner,
    /// Through a guest pass of this scope: masked.
    Pass(PassScope),
}

impl Sight {
    pub fn masked(self) -> bool {
        matches!(self, Sight::Pass(_))
    }

    /// Whether the caller may start a return on the order, so its page says what of each item
    /// can go back (a recipient tracks, a return's link follows that return: neither is told).
    pub fn starts_returns(self) -> bool {
        matches!(self, Sight::Owner | Sight::Pass(PassScope::Order))
    }

    /// Whether the order's return `id` is shown (in the order's list of returns).
    pub fn shows_return(self, id: i64) -> bool {
        match self {
            Sight::Owner | Sight::Pass(PassScope::Order) => true,
            Sight::Pass(PassScope::Return(own)) => own == id,
            Sight::Pass(PassScope::Tracking) => false,
        }
    }
}

/// Which returns are the caller's (`GET /api/returns`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listed {
    /// Every return of the signed-in customer's orders.
    Customer(i64),
    /// Every return of the order the buyer's pass is for.
    Order(i64),
    /// The one return a link's pass is for.
    One(i64),
}

/// Who is asking: the signed-in customer, if any, and the guest pass their session holds, if
/// any (one order, proved by its number and a contact, or by a return's link). A browser can
/// hold both. The pass is private: what it opens is asked of [`Caller::may`] and
/// [`Caller::returns_listed`], which read its scope.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Caller {
    pub customer: Option<i64>,
    pass: Option<GuestPass>,
    /// The hash of the session token this came from, to add a guest pass to it.
    pub session_token_hash: Option<String>,
}

impl Caller {
    pub fn is_anonymous(&self) -> bool {
        self.customer.is_none() && self.pass.is_none()
    }

    /// How the caller sees order `order` (bought by customer `buyer`) to do `act` on it: as its
    /// buyer, or through a pass for it whose scope allows `act`. `None`: they may not, and are
    /// answered as for someone else's order.
    pub fn may(&self, act: Act, order: i64, buyer: i64) -> Option<Sight> {
        if self.customer == Some(buyer) {
            return Some(Sight::Owner);
        }
        let pass = self.pass.filter(|pass| pass.order == order)?;
        let allowed = match (pass.scope, act) {
            (_, Act::Track) | (PassScope::Order, _) => true,
            (PassScope::Return(_), Act::ReadReturnable) => true,
            (PassScope::Return(own), Act::Return(asked)) => own == asked,
            (PassScope::Return(_), Act::StartReturn) | (PassScope::Tracking, _) => false,
        };
        allowed.then_some(Sight::Pass(pass.scope))
    }

    /// Whose returns the caller may list: the signed-in customer's; else those the pass opens
    /// (a tracking pass opens none: `None`, as for nobody).
    pub fn returns_listed(&self) -> Option<Listed> {
        match (
            self.customer,
            self.pass.map(|pass| (pass.order, pass.scope)),
        ) {
            (Some(customer), _) => Some(Listed::Customer(customer)),
            (None, Some((order, PassScope::Order))) => Some(Listed::Order(order)),
            (None, Some((_, PassScope::Return(id)))) => Some(Listed::One(id)),
            (None, Some((_, PassScope::Tracking)) | None) => None,
        }
    }

    /// Whether the pass held already opens all that `pass` would (the same, or the buyer's for
    /// the same order), so trading for `pass` would only narrow it.
    pub fn holds(&self, pass: &GuestPass) -> bool {
        self.pass.is_some_and(|held| {
            held.order == pass.order && (held.scope == pass.scope || held.scope == PassScope::Order)
        })
    }

    /// The order the pass is for, to tell one guest from another (the feedback's replay check);
    /// never to decide what they may see, which is [`Caller::may`]'s.
    pub fn pass_order(&self) -> Option<i64> {
        self.pass.map(|pass| pass.order)
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let jar = CookieJar::from_headers(&parts.headers);
        let Some(cookie) = jar.get(session_cookie(&state.config)) else {
            return Ok(Caller::default());
        };
        let token_hash = sha256_hex(cookie.value());
        type Row = (Option<i64>, Option<i64>, Option<String>, Option<i64>);
        let row: Option<Row> = sqlx::query_as(
            "SELECT customer_id, guest_order_id, guest_scope, guest_return_id FROM sessions \
             WHERE token_hash = $1 AND expires_at > $2",
        )
        .bind(&token_hash)
        .bind(state.clock.now())
        .fetch_optional(&state.db)
        .await?;
        Ok(match row {
            Some((customer, order, scope, return_id)) => Caller {
                customer,
                pass: GuestPass::read(order, scope.as_deref(), return_id)?,
                session_token_hash: Some(token_hash),
            },
            None => Caller::default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn holding(customer: Option<i64>, order: i64, scope: PassScope) -> Caller {
        Caller {
            customer,
            pass: Some(GuestPass { order, scope }),
            session_token_hash: None,
        }
    }

    #[test]
    fn a_pass_opens_what_its_scope_says_of_its_own_order_only() {
        use Act::{ReadReturnable, StartReturn, Track};
        use PassScope::*;
        // Order 7, bought by customer 1, with returns 70 and 71.
        let acts = [
            Track,
            ReadReturnable,
            StartReturn,
            Act::Return(70),
            Act::Return(71),
        ];
        let may = |caller: &Caller| acts.map(|act| caller.may(act, 7, 1).is_some());
        assert_eq!(may(&holding(None, 7, Order)), [true; 5]);
        assert_eq!(
            may(&holding(None, 7, Tracking)),
            [true, false, false, false, false]
        );
        assert_eq!(
            may(&holding(None, 7, Return(70))),
            [true, true, false, true, false]
        );
        // Another order's pass opens nothing of this one; the buyer needs none.
        assert_eq!(may(&holding(None, 8, Order)), [false; 5]);
        assert_eq!(may(&holding(Some(2), 8, Order)), [false; 5]);
        assert_eq!(may(&holding(Some(1), 8, Tracking)), [true; 5]);
        assert_eq!(
            holding(None, 7, Tracking).may(Track, 7, 1),
            Some(Sight::Pass(Tracking))
        );
        assert_eq!(Caller::default().may(Track, 7, 1), None);
    }

    #[test]
    fn a_pass_shows_and_lists_only_the_returns_it_opens() {
        use PassScope::*;
        assert!(Sight::Owner.shows_return(70) && Sight::Pass(Order).shows_return(70));
        assert!(!Sight::Pass(Tracking).shows_return(70));
        assert!(Sight::Pass(Return(70)).shows_return(70));
        assert!(!Sight::Pass(Return(70)).shows_return(71));
        assert_eq!(
            holding(None, 7, Order).returns_listed(),
            Some(Listed::Order(7))
        );
        assert_eq!(
            holding(None, 7, Return(70)).returns_listed(),
            Some(Listed::One(70))
        );
        assert_eq!(holding(None, 7, Tracking).returns_listed(), None);
        assert_eq!(
            holding(Some(2), 7, Tracking).returns_listed(),
            Some(Listed::Customer(2))
        );
    }

    #[test]
    fn a_pass_is_stored_and_read_back_as_it_was() {
        use PassScope::*;
        for scope in [Order, Tracking, Return(70)] {
            let pass = GuestPass { order: 7, scope };
            let (order, stored, return_id) = GuestPass::stored(Some(pass));
            assert_eq!(
                GuestPass::read(order, stored, return_id).unwrap(),
                Some(pass)
            );
        }
        assert_eq!(GuestPass::read(None, None, None).unwrap(), None);
        assert!(GuestPass::read(Some(7), None, None).is_err());
        assert!(GuestPass::read(Some(7), Some("return"), None).is_err());
        assert!(GuestPass::read(Some(7), Some("order"), Some(70)).is_err());
        // The buyer's pass covers a link's for the same order; a link's does not cover it.
        let order = holding(None, 7, Order);
        assert!(order.holds(&GuestPass {
            order: 7,
            scope: Return(70)
        }));
        assert!(!order.holds(&GuestPass {
            order: 8,
            scope: Return(80)
        }));
        assert!(!holding(None, 7, Return(70)).holds(&GuestPass {
            order: 7,
            scope: Order
        }));
        assert!(!holding(None, 7, Tracking).holds(&GuestPass {
            order: 7,
            scope: Order
        }));
    }
}
