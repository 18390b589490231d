//! The rules of returning, as pure functions of the facts: no database, no clock.

use portico_api::{Benefit, Handover, Money, NotReturnable, Resolution, ReturnStatus};

const DAY: i64 = 24 * 60 * 60;
const HOUR: i64 = 60 * 60;
/// The shop's time zone (China, UTC+8), which pickup days and windows are counted in.
const SHOP_UTC_OFFSET: i64 = 8 * HOUR;

/// Pickup windows start at these hours, shop time, and last [`PICKUP_WINDOW_SECS`].
pub const PICKUP_WINDOW_HOURS: [i64; 5] = [9, 11, 13, 15, 17];
pub const PICKUP_WINDOW_SECS: i64 = 2 * HOUR;
/// Pickup can be booked on this many days, starting tomorrow (shop time).
pub const PICKUP_DAYS: i64 = 7;
/// What a pickup costs a customer whose tier does not include it (the demo's ¥8.00).
pub const PICKUP_FEE_FEN: i64 = 800;

/// Refunds up to this (500 CNY) are approved at once; above it they wait for a reviewer
/// (`review.rs`).
pub const AUTO_APPROVE_UP_TO: i64 = 50_000;
/// Store credit's bonus on top of the goods' value, in percent (the demo's 5%).
pub const STORE_CREDIT_BONUS_PERCENT: u32 = 5;

/// Days goods take from hand-over (the courier's pickup, the drop-off counter) to the shop.
pub const TRANSIT_DAYS: i64 = 2;

/// Days from the goods reaching the shop until what comes back is on its way: a refund to the
/// original payment is paid within 3, store credit added and an exchange's variant sent within 1.
pub fn settle_days(resolution: Resolution) -> u32 {
    match resolution {
        Resolution::Refund => 3,
        Resolution::StoreCredit | Resolution::Exchange => 1,
    }
}

/// The moment what comes back is expected by, when it can be told: counted from the last move
/// (`moved_at`) once the goods are handed over or received, or from the end of a booked pickup
/// window before that. `None` before a drop-off or a parcel the customer sends (nobody knows when
/// they will), and once the return has ended.
pub fn settles_by(
    status: ReturnStatus,
    resolution: Resolution,
    pickup_ends_at: Option<i64>,
    moved_at: i64,
) -> Option<i64> {
    use ReturnStatus::*;
    let settle = i64::from(settle_days(resolution)) * DAY;
    match status {
        Received => Some(moved_at + settle),
        PickedUp => Some(moved_at + TRANSIT_DAYS * DAY + settle),
        Requested | Approved | PendingReview | PickupScheduled => {
            pickup_ends_at.map(|end| end + TRANSIT_DAYS * DAY + settle)
        }
        Refunded | Exchanged | Rejected | Cancelled => None,
    }
}

/// What the customer gets for goods worth `goods_fen`: the same as a refund, or with the bonus
/// (rounded down to the fen) as store credit, or nothing for an exchange (the variant that comes
/// back costs what the returned one did: a product's variants sell at one price).
pub fn refund_for(goods_fen: i64, resolution: Resolution) -> i64 {
    match resolution {
        Resolution::Exchange => 0,
        Resolution::Refund => goods_fen,
        Resolution::StoreCredit => {
            goods_fen + goods_fen * i64::from(STORE_CREDIT_BONUS_PERCENT) / 100
        }
    }
}

/// Whether a return that ends in `status` gives back the stock its exchange reserved (it was
/// cancelled or rejected before anything was sent).
pub fn releases_stock(status: ReturnStatus) -> bool {
    matches!(status, ReturnStatus::Cancelled | ReturnStatus::Rejected)
}

/// Whether a return may move from `from` to `to`. Hand-over (`picked_up`) is the courier's
/// pickup or the drop-off counter's scan; a booked pickup may be booked again (rescheduled). A
/// reviewer's approval of a pickup goes straight to `pickup_scheduled` (see [`approved`]).
pub fn may_move(from: ReturnStatus, to: ReturnStatus) -> bool {
    use ReturnStatus::*;
    matches!(
        (from, to),
        (Requested, Approved | PendingReview | Rejected | Cancelled)
            | (
                PendingReview,
                Approved | PickupScheduled | Rejected | Cancelled
            )
            | (Approved, PickupScheduled | PickedUp | Cancelled)
            | (PickupScheduled, PickupScheduled | PickedUp | Cancelled)
            | (PickedUp, Received)
            | (Received, Refunded | Exchanged)
    )
}

/// Whether a return in `status` still waits for its goods to be collected, so that a pickup it
/// booked may move to another slot: booked (`pickup_scheduled`), or approved or waiting for
/// review with its booking. Never once the goods were handed over or the return ended.
pub fn pickup_may_move(status: ReturnStatus) -> bool {
    use ReturnStatus::*;
    matches!(status, PickupScheduled | PendingReview | Approved)
}

/// Where the demo moves a return on its next step, as the courier and warehouse would: a pickup
/// booked (when the goods go by pickup), goods handed over, received, then refunded or credited
/// — or, for an exchange, the new variant sent (`exchanged`). `None` for a return that has
/// ended, and for one waiting for review: a reviewer decides that (`review.rs`), never the demo.
pub fn demo_next(
    status: ReturnStatus,
    handover: Handover,
    resolution: Resolution,
) -> Option<ReturnStatus> {
    use ReturnStatus::*;
    let next = match status {
        Requested => Approved,
        Approved if handover == Handover::Pickup => PickupScheduled,
        Approved | PickupScheduled => PickedUp,
        PickedUp => Received,
        Received if resolution == Resolution::Exchange => Exchanged,
        Received => Refunded,
        PendingReview | Refunded | Exchanged | Rejected | Cancelled => return None,
    };
    debug_assert!(may_move(status, next));
    Some(next)
}

/// Where an approved return stands, approved at once or by a reviewer: with a pickup, the slot
/// it booked is its pickup (`pickup_scheduled`); other goods can be handed over (`approved`).
pub fn approved(handover: Handover) -> ReturnStatus {
    if handover == Handover::Pickup {
        ReturnStatus::PickupScheduled
    } else {
        ReturnStatus::Approved
    }
}

/// The status a new return starts in: up to the threshold it is approved at once, above it it
/// waits for review.
pub fn first_status(goods_fen: i64, handover: Handover) -> ReturnStatus {
    if goods_fen > AUTO_APPROVE_UP_TO {
        ReturnStatus::PendingReview
    } else {
        approved(handover)
    }
}

/// The starts (unix seconds) of every pickup slot offered at `now`: each window of each of the
/// next [`PICKUP_DAYS`] days from tomorrow, shop time, earliest first.
pub fn pickup_slots(now: i64) -> Vec<i64> {
    let today = (now + SHOP_UTC_OFFSET).div_euclid(DAY);
    (1..=PICKUP_DAYS)
        .flat_map(|day| {
            PICKUP_WINDOW_HOURS
                .iter()
                .map(move |hour| (today + day) * DAY + hour * HOUR - SHOP_UTC_OFFSET)
        })
        .collect()
}

/// What a pickup costs a customer whose tier brings `benefits`: nothing with free pickup (the
/// demo's Gold and Diamond), [`PICKUP_FEE_FEN`] otherwise.
pub fn pickup_fee(benefits: &[Benefit]) -> Money {
    if benefits.contains(&Benefit::FreePickup) {
        Money::fen(0)
    } else {
        Money::fen(PICKUP_FEE_FEN)
    }
}

/// A fee taken off a refund: `(refund left, fee charged)`. The fee charged is never more than
/// the refund, so neither is ever negative.
pub fn take_fee(refund_fen: i64, fee_fen: i64) -> (i64, i64) {
    let charged = fee_fen.clamp(0, refund_fen.max(0));
    (refund_fen - charged, charged)
}

/// Days from delivery to start a return when a tier names none.
pub const DEFAULT_WINDOW_DAYS: u32 = 30;

/// Days from delivery a customer whose tier brings `benefits` has to start a return (the demo's:
/// 30, Gold 45, Diamond 60); the longest if a tier names several, [`DEFAULT_WINDOW_DAYS`] if none.
pub fn window_days(benefits: &[Benefit]) -> u32 {
    benefits
        .iter()
        .filter_map(|benefit| match benefit {
            Benefit::ReturnWindow { days } => Some(*days),
            _ => None,
        })
        .max()
        .unwrap_or(DEFAULT_WINDOW_DAYS)
}

/// What is known about one order line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineFacts {
    pub quantity: u32,
    pub final_sale: bool,
    /// When its parcel was delivered (unix seconds); `None` while it is not.
    pub delivered_at: Option<i64>,
    /// Units in returns whose goods are back.
    pub returned: u32,
    /// Units in returns still under way.
    pub in_progress: u32,
}

/// What can be returned of a line now (the default: nothing, and nothing said why).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Verdict {
    pub returnable: u32,
    /// The last second a return can be started; set once delivered.
    pub return_by: Option<i64>,
    /// Why nothing (more) can be returned; `None` when `returnable > 0`.
    pub not_returnable: Option<NotReturnable>,
}

/// The line's verdict at `now` with a window of `window_days`. The window is open up to and
/// including the second `delivered_at + window_days` days. The reasons, first that applies:
/// final sale, not delivered, window closed, nothing left (in a return under way, or back).
pub fn judge(line: LineFacts, window_days: u32, now: i64) -> Verdict {
    let return_by = line
        .delivered_at
        .map(|at| at.saturating_add(i64::from(window_days) * DAY));
    let left = line
        .quantity
        .saturating_sub(line.returned)
        .saturating_sub(line.in_progress);
    let reason = if line.final_sale {
        Some(NotReturnable::FinalSale)
    } else if return_by.is_none() {
        Some(NotReturnable::NotDelivered)
    } else if return_by.is_some_and(|by| now > by) {
        Some(NotReturnable::WindowClosed)
    } else if left == 0 && line.in_progress > 0 {
        Some(NotReturnable::ReturnInProgress)
    } else if left == 0 {
        Some(NotReturnable::AlreadyReturned)
    } else {
        None
    };
    Verdict {
        returnable: if reason.is_none() { left } else { 0 },
        return_by,
        not_returnable: reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DELIVERED: i64 = 1_790_000_000;

    fn line() -> LineFacts {
        LineFacts {
            quantity: 3,
            final_sale: false,
            delivered_at: Some(DELIVERED),
            returned: 0,
            in_progress: 0,
        }
    }

    #[test]
    fn every_legal_move_and_nothing_else() {
        use ReturnStatus::*;
        let legal = [
            (Requested, Approved),
            (Requested, PendingReview),
            (Requested, Rejected),
            (Requested, Cancelled),
            (PendingReview, Approved),
            (PendingReview, PickupScheduled),
            (PendingReview, Rejected),
            (PendingReview, Cancelled),
            (Approved, PickupScheduled),
            (Approved, PickedUp),
            (Approved, Cancelled),
            (PickupScheduled, PickupScheduled),
            (PickupScheduled, PickedUp),
            (PickupScheduled, Cancelled),
            (PickedUp, Received),
            (Received, Refunded),
            (Received, Exchanged),
        ];
        for from in ReturnStatus::ALL {
            for to in ReturnStatus::ALL {
                assert_eq!(
                    may_move(from, to),
                    legal.contains(&(from, to)),
                    "{from:?} -> {to:?}"
                );
            }
        }
        // Once the goods are handed over, or it has ended, a return cannot be cancelled.
        for status in [PickedUp, Received, Refunded, Exchanged, Rejected, Cancelled] {
            assert!(!may_move(status, Cancelled), "{status:?}");
        }
    }

    #[test]
    fn the_demo_only_makes_legal_moves_and_stops_at_the_end() {
        use ReturnStatus::*;
        for resolution in Resolution::ALL {
            for handover in Handover::ALL {
                for status in ReturnStatus::ALL {
                    if let Some(next) = demo_next(status, handover, resolution) {
                        assert!(may_move(status, next), "{status:?} -> {next:?}");
                    }
                }
            }
        }
        let walk = |mut status: ReturnStatus, handover: Handover, resolution: Resolution| {
            let mut seen = vec![status];
            while let Some(next) = demo_next(status, handover, resolution) {
                status = next;
                seen.push(status);
            }
            seen
        };
        assert_eq!(
            walk(Approved, Handover::DropOff, Resolution::Refund),
            [Approved, PickedUp, Received, Refunded]
        );
        assert_eq!(
            walk(PickupScheduled, Handover::Pickup, Resolution::StoreCredit),
            [PickupScheduled, PickedUp, Received, Refunded]
        );
        assert_eq!(
            walk(Requested, Handover::Pickup, Resolution::Refund),
            [
                Requested,
                Approved,
                PickupScheduled,
                PickedUp,
                Received,
                Refunded
            ]
        );
        // A return waiting for review waits for a person: the demo never decides it.
        for resolution in Resolution::ALL {
            for handover in Handover::ALL {
                assert_eq!(demo_next(PendingReview, handover, resolution), None);
            }
        }
    }

    #[test]
    fn a_reviewers_approval_leaves_a_return_where_an_approval_at_once_does() {
        for handover in Handover::ALL {
            let at_once = first_status(AUTO_APPROVE_UP_TO, handover);
            assert_eq!(approved(handover), at_once, "{handover:?}");
            assert!(
                may_move(ReturnStatus::PendingReview, at_once),
                "{handover:?}"
            );
        }
        assert_eq!(approved(Handover::Pickup), ReturnStatus::PickupScheduled);
        assert_eq!(approved(Handover::DropOff), ReturnStatus::Approved);
        assert_eq!(approved(Handover::SelfShip), ReturnStatus::Approved);
    }

    #[test]
    fn an_exchange_follows_the_refunds_path_and_ends_exchanged() {
        use ReturnStatus::*;
        let walk = |mut status: ReturnStatus, handover: Handover| {
            let mut seen = vec![status];
            while let Some(next) = demo_next(status, handover, Resolution::Exchange) {
                status = next;
                seen.push(status);
            }
            seen
        };
        assert_eq!(
            walk(Approved, Handover::DropOff),
            [Approved, PickedUp, Received, Exchanged]
        );
        assert_eq!(
            walk(approved(Handover::Pickup), Handover::Pickup),
            [PickupScheduled, PickedUp, Received, Exchanged]
        );
        // Nothing moves on from an ended exchange, nor does a refund end as an exchange.
        assert_eq!(
            demo_next(Exchanged, Handover::SelfShip, Resolution::Exchange),
            None
        );
        assert_eq!(
            demo_next(Received, Handover::SelfShip, Resolution::Refund),
            Some(Refunded)
        );
    }

    #[test]
    fn an_exchange_refunds_nothing_and_only_an_early_end_gives_its_stock_back() {
        assert_eq!(refund_for(39_900, Resolution::Exchange), 0);
        assert_eq!(
            take_fee(refund_for(39_900, Resolution::Exchange), 800),
            (0, 0)
        );
        for status in ReturnStatus::ALL {
            assert_eq!(
                releases_stock(status),
                matches!(status, ReturnStatus::Cancelled | ReturnStatus::Rejected),
                "{status:?}"
            );
        }
        // Only a return that can still be cancelled or rejected can give stock back: once the
        // goods are back, the exchange is a sale.
        for from in ReturnStatus::ALL {
            for to in ReturnStatus::ALL {
                if may_move(from, to) && releases_stock(to) {
                    assert!(from.under_way(), "{from:?} -> {to:?}");
                }
            }
        }
    }

    #[test]
    fn up_to_500_yuan_is_approved_at_once_and_more_waits_for_review() {
        for handover in [Handover::DropOff, Handover::SelfShip] {
            assert_eq!(first_status(1, handover), ReturnStatus::Approved);
            assert_eq!(first_status(50_000, handover), ReturnStatus::Approved);
            assert_eq!(first_status(50_001, handover), ReturnStatus::PendingReview);
        }
        // Approved at once with a pickup: the pickup is booked. Review stays review.
        assert_eq!(
            first_status(50_000, Handover::Pickup),
            ReturnStatus::PickupScheduled
        );
        assert_eq!(
            first_status(50_001, Handover::Pickup),
            ReturnStatus::PendingReview
        );
    }

    #[test]
    fn pickup_slots_are_five_windows_a_day_for_seven_days_from_tomorrow_shop_time() {
        // 2026-11-27 23:30 in China (15:30 UTC): tomorrow is the 28th there.
        let now = 1_795_793_400;
        let slots = pickup_slots(now);
        assert_eq!(slots.len(), 35);
        // The 28th to the 4th of December: seven days, the last window ending at 19:00 there.
        // 2026-11-28 09:00 China time is 01:00 UTC.
        assert_eq!(slots[0], 1_795_827_600);
        assert_eq!(crate::clock::rfc3339(slots[0]).0, "2026-11-28T01:00:00Z");
        assert_eq!(
            crate::clock::rfc3339(slots[34] + PICKUP_WINDOW_SECS).0,
            "2026-12-04T11:00:00Z"
        );
        assert!(slots.windows(2).all(|pair| pair[0] < pair[1]));
        // Half an hour later it is the 28th in China: the first day offered is the 29th.
        assert_eq!(pickup_slots(now + 1800)[0], slots[0] + DAY);
        // Nothing offered is today or in the past.
        assert!(pickup_slots(now).iter().all(|&start| start > now));
    }

    #[test]
    fn pickup_is_free_with_the_benefit_and_costs_the_fee_otherwise() {
        assert_eq!(pickup_fee(&[]), Money::fen(800));
        assert_eq!(
            pickup_fee(&[window(30), Benefit::PriorityLine]),
            Money::fen(800)
        );
        assert_eq!(
            pickup_fee(&[window(45), Benefit::FreePickup]),
            Money::fen(0)
        );
    }

    fn window(days: u32) -> Benefit {
        Benefit::ReturnWindow { days }
    }

    #[test]
    fn a_fee_is_taken_off_the_refund_but_never_below_zero() {
        assert_eq!(take_fee(12_000, 800), (11_200, 800));
        assert_eq!(take_fee(12_000, 0), (12_000, 0));
        assert_eq!(take_fee(800, 800), (0, 800));
        assert_eq!(take_fee(500, 800), (0, 500));
        assert_eq!(take_fee(0, 800), (0, 0));
        assert_eq!(take_fee(-5, 800), (-5, 0));
    }

    #[test]
    fn store_credit_adds_its_bonus_rounded_down_to_the_fen() {
        assert_eq!(refund_for(39_900, Resolution::Refund), 39_900);
        assert_eq!(refund_for(39_900, Resolution::StoreCredit), 41_895);
        assert_eq!(refund_for(99, Resolution::StoreCredit), 103);
    }

    #[test]
    fn the_window_is_the_tiers_benefit_or_thirty_days() {
        assert_eq!(window_days(&[window(45), Benefit::FreePickup]), 45);
        assert_eq!(window_days(&[window(60), window(30)]), 60);
        assert_eq!(window_days(&[Benefit::FreePickup]), DEFAULT_WINDOW_DAYS);
    }

    #[test]
    fn the_window_is_open_to_its_last_second_and_closed_after_for_every_window() {
        for days in [30, 45, 60] {
            let tier = format!("{days} days");
            let last = DELIVERED + i64::from(days) * DAY;
            let open = judge(line(), days, last);
            assert_eq!(
                (open.returnable, open.not_returnable),
                (3, None),
                "{tier:?}"
            );
            assert_eq!(open.return_by, Some(last));
            let closed = judge(line(), days, last + 1);
            assert_eq!(
                (closed.returnable, closed.not_returnable),
                (0, Some(NotReturnable::WindowClosed)),
                "{tier:?}"
            );
            // The day of delivery itself is inside.
            assert_eq!(judge(line(), days, DELIVERED).returnable, 3);
        }
        // A Gold customer still can on day 40; a regular one cannot.
        let day_40 = DELIVERED + 40 * DAY;
        assert_eq!(judge(line(), 45, day_40).returnable, 3);
        assert_eq!(
            judge(line(), 30, day_40).not_returnable,
            Some(NotReturnable::WindowClosed)
        );
    }

    #[test]
    fn not_delivered_has_no_deadline_yet() {
        let waiting = LineFacts {
            delivered_at: None,
            ..line()
        };
        let verdict = judge(waiting, 30, DELIVERED);
        assert_eq!(verdict.not_returnable, Some(NotReturnable::NotDelivered));
        assert_eq!((verdict.returnable, verdict.return_by), (0, None));
    }

    #[test]
    fn final_sale_is_never_returnable_and_says_so_first() {
        let sale = LineFacts {
            final_sale: true,
            delivered_at: None,
            ..line()
        };
        assert_eq!(
            judge(sale, 30, DELIVERED).not_returnable,
            Some(NotReturnable::FinalSale)
        );
        let delivered_sale = LineFacts {
            final_sale: true,
            ..line()
        };
        assert_eq!(judge(delivered_sale, 30, DELIVERED).returnable, 0);
    }

    #[test]
    fn partial_quantities_leave_the_rest_returnable() {
        let one_back = LineFacts {
            returned: 1,
            ..line()
        };
        assert_eq!(judge(one_back, 30, DELIVERED).returnable, 2);
        let one_each = LineFacts {
            returned: 1,
            in_progress: 1,
            ..line()
        };
        let verdict = judge(one_each, 30, DELIVERED);
        assert_eq!((verdict.returnable, verdict.not_returnable), (1, None));
    }

    #[test]
    fn nothing_left_says_whether_it_is_still_under_way() {
        let under_way = LineFacts {
            returned: 1,
            in_progress: 2,
            ..line()
        };
        assert_eq!(
            judge(under_way, 30, DELIVERED).not_returnable,
            Some(NotReturnable::ReturnInProgress)
        );
        let all_back = LineFacts {
            returned: 3,
            ..line()
        };
        assert_eq!(
            judge(all_back, 30, DELIVERED).not_returnable,
            Some(NotReturnable::AlreadyReturned)
        );
        // More counted than bought (never stored, but never a panic either).
        let odd = LineFacts {
            returned: 5,
            in_progress: 2,
            ..line()
        };
        assert_eq!(judge(odd, 30, DELIVERED).returnable, 0);
    }

    #[test]
    fn a_closed_window_is_the_reason_even_when_units_are_left() {
        let late = LineFacts {
            returned: 1,
            ..line()
        };
        let verdict = judge(late, 30, DELIVERED + 31 * DAY);
        assert_eq!(
            (verdict.returnable, verdict.not_returnable),
            (0, Some(NotReturnable::WindowClosed))
        );
    }

    #[test]
    fn the_settling_day_is_told_once_the_goods_are_on_their_way_or_a_pickup_is_booked() {
        use ReturnStatus::*;
        let (end, moved) = (1_000 * DAY, 990 * DAY);
        let refund = Resolution::Refund;
        // Refund: 2 days in transit, then 3 to pay.
        assert_eq!(
            settles_by(PickupScheduled, refund, Some(end), moved),
            Some(end + 5 * DAY)
        );
        assert_eq!(
            settles_by(PendingReview, refund, Some(end), moved),
            Some(end + 5 * DAY)
        );
        assert_eq!(settles_by(Approved, refund, None, moved), None);
        assert_eq!(settles_by(Requested, refund, None, moved), None);
        assert_eq!(
            settles_by(PickedUp, refund, None, moved),
            Some(moved + 5 * DAY)
        );
        assert_eq!(
            settles_by(Received, refund, Some(end), moved),
            Some(moved + 3 * DAY)
        );
        // Store credit and exchanges settle a day after arrival.
        assert_eq!(
            settles_by(Received, Resolution::StoreCredit, None, moved),
            Some(moved + DAY)
        );
        assert_eq!(
            settles_by(PickedUp, Resolution::Exchange, None, moved),
            Some(moved + 3 * DAY)
        );
        for ended in [Refunded, Exchanged, Rejected, Cancelled] {
            assert_eq!(settles_by(ended, refund, Some(end), moved), None);
        }
    }
}
