//! The rules of the tiers, as pure functions of the facts: no database, no clock.
//!
//! Spend qualifies over a rolling 12 months. An order counts once its return window has closed
//! (before that it is *pending*: shown, not counted), for its total less what was returned for
//! money; a refunded order counts nothing. Reaching a tier's threshold moves the customer up at
//! once and starts a new tier year; when a tier year is up, the spend then decides: the tier is
//! kept if it reaches the tier's keep threshold, else the customer goes to the highest tier whose
//! keep threshold it reaches.

const DAY: i64 = 24 * 60 * 60;
/// The rolling window spend qualifies over, and the length of a tier year.
pub const YEAR: i64 = 365 * DAY;
/// How long before an evaluation a customer below the keep threshold is told what keeps the tier.
pub const KEEP_WARNING: i64 = 30 * DAY;

/// One order, as far as tiers go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spend {
    pub placed_at: i64,
    /// What counts of it: its total less what came back for money (never below 0).
    pub amount_fen: i64,
    /// When its return window closes (it counts from then); `None` while a parcel is still on its
    /// way (its window has not even started).
    pub counts_from: Option<i64>,
}

/// A tier's thresholds, lowest tier first (index = rank).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Thresholds {
    pub reach_fen: i64,
    pub keep_fen: i64,
}

/// Whether `order` is inside the 12 months that end at `at`.
fn in_window(order: &Spend, at: i64) -> bool {
    order.placed_at > at - YEAR && order.placed_at <= at
}

/// Spend that qualifies at `at`: orders of the 12 months before it whose return window has closed.
pub fn qualifying(orders: &[Spend], at: i64) -> i64 {
    orders
        .iter()
        .filter(|o| in_window(o, at) && o.counts_from.is_some_and(|from| from <= at))
        .map(|o| o.amount_fen.max(0))
        .sum()
}

/// Spend of the 12 months before `at` still inside its return window (or not yet delivered).
pub fn pending(orders: &[Spend], at: i64) -> i64 {
    orders
        .iter()
        .filter(|o| in_window(o, at) && o.counts_from.is_none_or(|from| from > at))
        .map(|o| o.amount_fen.max(0))
        .sum()
}

/// What of the spend qualifying at `now` still qualifies at a later `then`: orders that fall out
/// of the 12 months by then no longer count, and nothing pending now is assumed to count.
pub fn still_qualifying(orders: &[Spend], now: i64, then: i64) -> i64 {
    orders
        .iter()
        .filter(|o| in_window(o, now) && o.counts_from.is_some_and(|from| from <= now))
        .filter(|o| in_window(o, then))
        .map(|o| o.amount_fen.max(0))
        .sum()
}

/// The highest tier `spend` reaches.
pub fn reached(tiers: &[Thresholds], spend: i64) -> usize {
    tiers
        .iter()
        .rposition(|t| spend >= t.reach_fen)
        .unwrap_or(0)
}

/// The tier after an evaluation of `current` with `spend`: kept if the spend keeps it, else the
/// highest lower tier it keeps — and never lower than what the spend reaches.
pub fn evaluated(tiers: &[Thresholds], current: usize, spend: i64) -> usize {
    let kept = tiers[..=current.min(tiers.len().saturating_sub(1))]
        .iter()
        .rposition(|t| spend >= t.keep_fen)
        .unwrap_or(0);
    kept.max(reached(tiers, spend))
}

/// The latest end of a tier year that began at `since`, at or before `now` (`None` while the
/// first year is still running).
pub fn last_evaluation(since: i64, now: i64) -> Option<i64> {
    let years = (now - since).div_euclid(YEAR);
    (years >= 1).then(|| since + years * YEAR)
}

/// The next end of a tier year that began at `since`, after `now`.
pub fn next_evaluation(since: i64, now: i64) -> i64 {
    last_evaluation(since, now).unwrap_or(since) + YEAR
}

/// What a customer of tier `current` (its year began at `since`) should be at `now`, and when
/// that began: an evaluation that came due since (the spend then decides), then an upgrade if
/// the spend now reaches higher. `None` when nothing changes.
pub fn due_change(
    tiers: &[Thresholds],
    current: usize,
    since: i64,
    orders: &[Spend],
    now: i64,
) -> Option<(usize, i64)> {
    let (mut tier, mut start) = (current, since);
    if let Some(at) = last_evaluation(since, now) {
        tier = evaluated(tiers, current, qualifying(orders, at));
        start = at;
    }
    let up = reached(tiers, qualifying(orders, now));
    if up > tier {
        tier = up;
        start = now;
    }
    (tier != current || start != since).then_some((tier, start))
}

/// Towards the next tier: `(its index, spend still needed, by when)`. By the next evaluation,
/// counting only what qualifies now and will still be inside the 12 months then. `None` at the top.
pub fn towards_next(
    tiers: &[Thresholds],
    current: usize,
    since: i64,
    orders: &[Spend],
    now: i64,
) -> Option<(usize, i64, i64)> {
    let next = current + 1;
    let goal = tiers.get(next)?;
    let by = next_evaluation(since, now);
    let have = still_qualifying(orders, now, by);
    Some((next, (goal.reach_fen - have).max(0), by))
}

/// Spend pending at `now`, split by the evaluation at `by`: `(counts by then, counts only
/// after)`. The first is what closes its return window by `by` and is still inside the 12 months
/// then (it counts at the evaluation unless it comes back); the second is what closes its window
/// later, or whose parcel is still on its way.
pub fn pending_split(orders: &[Spend], now: i64, by: i64) -> (i64, i64) {
    let pending = orders
        .iter()
        .filter(|o| in_window(o, now) && o.counts_from.is_none_or(|from| from > now));
    let (mut in_time, mut after) = (0, 0);
    for order in pending {
        let amount = order.amount_fen.max(0);
        match order.counts_from {
            Some(from) if from <= by => {
                if in_window(order, by) {
                    in_time += amount;
                }
            }
            _ => after += amount,
        }
    }
    (in_time, after)
}

/// What keeping a tier at its next evaluation comes to, as the member page says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeepOutlook {
    /// The evaluation.
    pub by: i64,
    /// The tier's keep threshold.
    pub keep_fen: i64,
    /// Counted now, and still inside the 12 months at `by`.
    pub counted_fen: i64,
    /// Pending now, counted by `by` (see [`pending_split`]).
    pub in_time_fen: i64,
    /// Pending now, counted only after `by`: too late for this evaluation.
    pub after_fen: i64,
    /// What still has to count by `by`: the threshold less the two above (never below 0).
    pub needed_fen: i64,
}

/// What keeps `current` at the next evaluation, told when that is [`KEEP_WARNING`] away or less
/// and what will count by then (counted now, and pending that counts in time, if none of it comes
/// back) falls short of the keep threshold.
pub fn keep_outlook(
    tiers: &[Thresholds],
    current: usize,
    since: i64,
    orders: &[Spend],
    now: i64,
) -> Option<KeepOutlook> {
    let by = next_evaluation(since, now);
    let keep_fen = tiers.get(current)?.keep_fen;
    let counted_fen = still_qualifying(orders, now, by);
    let (in_time_fen, after_fen) = pending_split(orders, now, by);
    let needed_fen = (keep_fen - counted_fen - in_time_fen).max(0);
    (by - now <= KEEP_WARNING && needed_fen > 0).then_some(KeepOutlook {
        by,
        keep_fen,
        counted_fen,
        in_time_fen,
        after_fen,
        needed_fen,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Thresholds to test with (yuan): 3,000/2,000, 8,000/6,000, 20,000/15,000.
    const TIERS: [Thresholds; 4] = [
        Thresholds {
            reach_fen: 0,
            keep_fen: 0,
        },
        Thresholds {
            reach_fen: 300_000,
            keep_fen: 200_000,
        },
        Thresholds {
            reach_fen: 800_000,
            keep_fen: 600_000,
        },
        Thresholds {
            reach_fen: 2_000_000,
            keep_fen: 1_500_000,
        },
    ];
    const NOW: i64 = 2_000 * DAY;

    fn counted(days_ago: i64, yuan: i64) -> Spend {
        Spend {
            placed_at: NOW - days_ago * DAY,
            amount_fen: yuan * 100,
            counts_from: Some(NOW - days_ago * DAY + 35 * DAY),
        }
    }

    #[test]
    fn each_threshold_is_reached_exactly_at_its_amount() {
        for (rank, tier) in TIERS.iter().enumerate() {
            assert_eq!(reached(&TIERS, tier.reach_fen), rank);
            if rank > 0 {
                assert_eq!(reached(&TIERS, tier.reach_fen - 1), rank - 1);
            }
        }
        assert_eq!(reached(&TIERS, i64::MAX), 3);
    }

    #[test]
    fn spend_counts_inside_twelve_months_once_its_window_closed() {
        let on_edge = Spend {
            placed_at: NOW - YEAR,
            amount_fen: 100,
            counts_from: Some(NOW - YEAR + DAY),
        };
        let just_inside = Spend {
            placed_at: NOW - YEAR + 1,
            ..on_edge
        };
        assert_eq!(
            qualifying(&[on_edge], NOW),
            0,
            "12 months ago to the second is out"
        );
        assert_eq!(qualifying(&[just_inside], NOW), 100);
        let closing = Spend {
            placed_at: NOW - 10 * DAY,
            amount_fen: 500,
            counts_from: Some(NOW),
        };
        assert_eq!(qualifying(&[closing], NOW), 500, "its window closes now");
        assert_eq!(qualifying(&[closing], NOW - 1), 0);
        assert_eq!(pending(&[closing], NOW - 1), 500);
        let on_its_way = Spend {
            counts_from: None,
            ..closing
        };
        assert_eq!(
            (qualifying(&[on_its_way], NOW), pending(&[on_its_way], NOW)),
            (0, 500)
        );
    }

    #[test]
    fn a_tier_year_is_evaluated_at_its_end_and_kept_or_lowered_by_the_spend_then() {
        let since = NOW - YEAR - 10 * DAY;
        // Gold, with 7,000 spent in the year: Gold is kept (6,000 keeps it).
        let kept = [counted(100, 7_000)];
        assert_eq!(
            due_change(&TIERS, 2, since, &kept, NOW),
            Some((2, since + YEAR))
        );
        // With 2,500: Silver keeps with 2,000.
        let less = [counted(100, 2_500)];
        assert_eq!(
            due_change(&TIERS, 2, since, &less, NOW),
            Some((1, since + YEAR))
        );
        // Nothing changes inside the first year.
        assert_eq!(due_change(&TIERS, 2, NOW - 100 * DAY, &less, NOW), None);
        // Reaching higher moves up at once, and starts a new year.
        let more = [counted(100, 8_000)];
        assert_eq!(
            due_change(&TIERS, 1, NOW - 100 * DAY, &more, NOW),
            Some((2, NOW))
        );
    }

    #[test]
    fn the_next_tier_counts_what_will_still_be_inside_twelve_months_by_the_evaluation() {
        let since = NOW - 200 * DAY; // evaluated in 165 days
        let orders = [counted(300, 1_000), counted(100, 1_500)];
        let (next, needed, by) = towards_next(&TIERS, 0, since, &orders, NOW).unwrap();
        assert_eq!(by, since + YEAR);
        // The 1,000 of 300 days ago is out of the window by then: 3,000 - 1,500.
        assert_eq!((next, needed), (1, 150_000));
        assert_eq!(towards_next(&TIERS, 3, since, &orders, NOW), None);
    }

    /// What keeping Gold (6,000) evaluated in 20 days comes to: counted, in time, after, needed.
    fn gold_in_20_days([counted_fen, in_time_fen, after_fen, needed_fen]: [i64; 4]) -> KeepOutlook {
        KeepOutlook {
            by: NOW + 20 * DAY,
            keep_fen: 600_000,
            counted_fen,
            in_time_fen,
            after_fen,
            needed_fen,
        }
    }

    #[test]
    fn the_keep_warning_comes_thirty_days_before_and_only_when_short() {
        let orders = [counted(100, 5_000)];
        let in_20_days = NOW - YEAR + 20 * DAY;
        assert_eq!(
            keep_outlook(&TIERS, 2, in_20_days, &orders, NOW),
            Some(gold_in_20_days([500_000, 0, 0, 100_000]))
        );
        let in_40_days = NOW - YEAR + 40 * DAY;
        assert_eq!(keep_outlook(&TIERS, 2, in_40_days, &orders, NOW), None);
        assert_eq!(
            keep_outlook(&TIERS, 1, in_20_days, &orders, NOW),
            None,
            "Silver is kept"
        );
        assert_eq!(keep_outlook(&TIERS, 0, in_20_days, &[], NOW), None);
    }

    /// Pending spend whose window closes `closes_in` days from now (`None`: still on its way).
    fn pending_for(yuan: i64, closes_in: Option<i64>) -> Spend {
        Spend {
            placed_at: NOW - 20 * DAY,
            amount_fen: yuan * 100,
            counts_from: closes_in.map(|days| NOW + days * DAY),
        }
    }

    #[test]
    fn pending_spend_counts_for_keeping_a_tier_only_if_its_window_closes_by_the_evaluation() {
        let in_20_days = NOW - YEAR + 20 * DAY;
        // Gold (6,000 keeps it): 4,000 counted; 1,000 closes in 10 days, 8,000 in 25 days and
        // 500 is still on its way.
        let orders = [
            counted(100, 4_000),
            pending_for(1_000, Some(10)),
            pending_for(8_000, Some(25)),
            pending_for(500, None),
        ];
        assert_eq!(
            keep_outlook(&TIERS, 2, in_20_days, &orders, NOW),
            Some(gold_in_20_days([400_000, 100_000, 850_000, 100_000]))
        );
        // A window closing on the evaluation's second is in time.
        assert_eq!(
            pending_split(&[pending_for(2_000, Some(20))], NOW, NOW + 20 * DAY),
            (200_000, 0)
        );
        // With 2,000 more closing in time, Gold is kept: nothing to warn of.
        let mut enough = orders.to_vec();
        enough.push(pending_for(1_000, Some(19)));
        assert_eq!(keep_outlook(&TIERS, 2, in_20_days, &enough, NOW), None);
    }

    fn spend() -> impl Strategy<Value = Spend> {
        (0..800i64, 0..5_000_000i64, proptest::option::of(0..800i64)).prop_map(
            |(days_ago, amount_fen, counts_after)| Spend {
                placed_at: NOW - days_ago * DAY,
                amount_fen,
                counts_from: counts_after.map(|days| NOW - days_ago * DAY + days * DAY),
            },
        )
    }

    proptest! {
        #[test]
        fn more_qualifying_spend_never_gives_a_lower_tier(
            orders in proptest::collection::vec(spend(), 0..12),
            extra in spend(),
            current in 0usize..4,
            since_days in 0..900i64,
        ) {
            let since = NOW - since_days * DAY;
            let before = due_change(&TIERS, current, since, &orders, NOW).map_or(current, |c| c.0);
            let mut more = orders.clone();
            more.push(extra);
            let after = due_change(&TIERS, current, since, &more, NOW).map_or(current, |c| c.0);
            prop_assert!(after >= before);
            let (low, high) = (qualifying(&orders, NOW), qualifying(&more, NOW));
            prop_assert!(reached(&TIERS, high) >= reached(&TIERS, low));
            prop_assert!(evaluated(&TIERS, current, high) >= evaluated(&TIERS, current, low));
        }

        #[test]
        fn a_refund_never_raises_a_tier(
            orders in proptest::collection::vec(spend(), 1..12),
            which in any::<proptest::sample::Index>(),
            refunded in 0..5_000_000i64,
            current in 0usize..4,
            since_days in 0..900i64,
        ) {
            let since = NOW - since_days * DAY;
            let before = due_change(&TIERS, current, since, &orders, NOW).map_or(current, |c| c.0);
            let mut after_refund = orders.clone();
            let order = &mut after_refund[which.index(orders.len())];
            order.amount_fen = (order.amount_fen - refunded).max(0);
            let after = due_change(&TIERS, current, since, &after_refund, NOW).map_or(current, |c| c.0);
            prop_assert!(after <= before);
        }

        #[test]
        fn pending_spend_never_counts(
            orders in proptest::collection::vec(spend(), 0..12),
            amount_fen in 0..5_000_000i64,
            placed_days_ago in 0..365i64,
            current in 0usize..4,
            since_days in 0..900i64,
        ) {
            let since = NOW - since_days * DAY;
            let mut with_pending = orders.clone();
            // Still on its way, or its window still open.
            with_pending.push(Spend { placed_at: NOW - placed_days_ago * DAY, amount_fen, counts_from: None });
            with_pending.push(Spend { placed_at: NOW - placed_days_ago * DAY, amount_fen, counts_from: Some(NOW + 1) });
            prop_assert_eq!(qualifying(&with_pending, NOW), qualifying(&orders, NOW));
            prop_assert_eq!(
                due_change(&TIERS, current, since, &with_pending, NOW),
                due_change(&TIERS, current, since, &orders, NOW)
            );
            prop_assert_eq!(pending(&with_pending, NOW), pending(&orders, NOW) + 2 * amount_fen);
        }

        #[test]
        fn what_keeps_a_tier_adds_up_to_what_the_evaluation_will_count(
            orders in proptest::collection::vec(spend(), 0..12),
            current in 0usize..4,
            days_left in 1..=30i64,
        ) {
            let since = NOW - YEAR + days_left * DAY;
            let by = next_evaluation(since, NOW);
            let (in_time, after) = pending_split(&orders, NOW, by);
            // Pending now is split in two, but for what falls out of the 12 months by then.
            let falls_out: i64 = orders
                .iter()
                .filter(|o| in_window(o, NOW) && !in_window(o, by))
                .filter(|o| o.counts_from.is_some_and(|from| from > NOW && from <= by))
                .map(|o| o.amount_fen)
                .sum();
            prop_assert_eq!(in_time + after + falls_out, pending(&orders, NOW));
            // If nothing more is bought or returned, the evaluation counts exactly what is
            // counted now and the pending that counts in time; and decides as the outlook says.
            let counted = still_qualifying(&orders, NOW, by);
            prop_assert_eq!(qualifying(&orders, by), counted + in_time);
            let keep = TIERS[current].keep_fen;
            match keep_outlook(&TIERS, current, since, &orders, NOW) {
                Some(outlook) => {
                    prop_assert_eq!(outlook.needed_fen, keep - counted - in_time);
                    prop_assert!(outlook.needed_fen > 0);
                    prop_assert!(evaluated(&TIERS, current, qualifying(&orders, by)) < current);
                }
                None => prop_assert!(evaluated(&TIERS, current, qualifying(&orders, by)) >= current),
            }
        }
    }
}
