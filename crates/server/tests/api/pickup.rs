//! Doorstep pickup (slots with a capacity, the fee by tier) and the drop-off QR code.

use crate::helpers::{client, problem_code, spawn, spawn_with, until_a_writer_waits, TestApp};
use crate::returns::{
    created_else, delivered_days_ago, eligibility, message_about, one_of_line_one, price_line_one,
    shipped_order, start_return, started,
};
use reqwest::StatusCode;
use serde_json::{json, Value};

const WANG: &str = "wang.wei@example.com"; // regular: pickup costs the fee
const LI: &str = "li.na@example.com"; // gold: pickup is free

/// 2027-03-01 10:00 in China (02:00 UTC): the first slot offered is 2027-03-02 09:00 there.
const NOW: i64 = 1_803_866_400;
const FIRST_SLOT: &str = "2027-03-02T01:00:00Z";
const FIRST_SLOT_ENDS: &str = "2027-03-02T03:00:00Z";
const SECOND_SLOT: &str = "2027-03-02T03:00:00Z";

/// The service at [`NOW`], `email` signed in, their newest shipped order delivered yesterday with
/// line 1 priced at `fen` and `units` units of it.
async fn ready(app: &TestApp, email: &str, fen: i64, units: i64) -> (reqwest::Client, String) {
    app.state.clock.set(NOW);
    let browser = client();
    app.sign_in(&browser, email).await;
    let number = shipped_order(app, email).await;
    delivered_days_ago(app, &number, 1).await;
    price_line_one(app, &number, fen).await;
    sqlx::query("UPDATE order_items SET quantity = $1 WHERE position = 0 AND order_id = (SELECT id FROM orders WHERE number = $2)")
        .bind(units)
        .bind(&number)
        .execute(&app.state.db)
        .await
        .unwrap();
    (browser, number)
}

fn pickup_of_line_one(number: &str, slot: &str) -> Value {
    let mut body = one_of_line_one(number, 1);
    body["handover"] = json!("pickup");
    body["pickup_slot"] = json!(slot);
    body
}

/// What the slot starting at `start` can still take, as offered for `number`.
async fn remaining(app: &TestApp, browser: &reqwest::Client, number: &str, start: &str) -> u64 {
    let offer = eligibility(app, browser, number).await;
    offer["pickup"]["slots"]
        .as_array()
        .unwrap()
        .iter()
        .find(|slot| slot["starts_at"] == start)
        .unwrap_or_else(|| panic!("{start} is offered"))["remaining"]
        .as_u64()
        .unwrap()
}

#[tokio::test]
async fn pickup_offers_35_slots_from_tomorrow_and_costs_what_the_tier_says() {
    let app = spawn().await;
    let (li, hers) = ready(&app, LI, 12_000, 3).await;
    let offer = eligibility(&app, &li, &hers).await["pickup"].clone();
    assert_eq!(offer["fee"], 0, "Gold includes pickup");
    let slots = offer["slots"].as_array().unwrap();
    assert_eq!(slots.len(), 35);
    assert_eq!(slots[0]["starts_at"], FIRST_SLOT);
    assert_eq!(slots[0]["ends_at"], FIRST_SLOT_ENDS);
    assert_eq!(slots[1]["starts_at"], SECOND_SLOT);
    // The last: 2027-03-08 17:00-19:00 in China.
    assert_eq!(slots[34]["starts_at"], "2027-03-08T09:00:00Z");
    assert_eq!(slots[34]["ends_at"], "2027-03-08T11:00:00Z");
    assert!(slots.iter().all(|slot| slot["remaining"] == 4));

    let wang = client();
    app.sign_in(&wang, WANG).await;
    let his = shipped_order(&app, WANG).await;
    delivered_days_ago(&app, &his, 1).await;
    assert_eq!(
        eligibility(&app, &wang, &his).await["pickup"]["fee"],
        800,
        "a regular customer pays ¥8.00"
    );
}

#[tokio::test]
async fn a_pickup_books_its_slot_its_fee_comes_off_the_refund_and_cancelling_frees_it() {
    let app = spawn().await;
    let (wang, his) = ready(&app, WANG, 12_000, 3).await;
    let created = start_return(
        &app,
        &wang,
        Some("p-1"),
        &pickup_of_line_one(&his, FIRST_SLOT),
    )
    .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Value = created.json().await.unwrap();
    assert_eq!(created["status"], "pickup_scheduled");
    assert_eq!(created["handover"], "pickup");
    assert_eq!(created["pickup_fee"], 800);
    assert_eq!(created["refund"], 11_200);
    assert_eq!(
        created["pickup"],
        json!({ "starts_at": FIRST_SLOT, "ends_at": FIRST_SLOT_ENDS })
    );
    assert!(created.get("drop_off_code").is_none());
    // Collected by 03-02 11:00, two days to the shop, three to pay: by 03-07 11:00 China time.
    assert_eq!(created["settle_days"], 3);
    assert_eq!(created["settles_by"], "2027-03-07T03:00:00Z");
    assert_eq!(remaining(&app, &wang, &his, FIRST_SLOT).await, 3);
    assert_eq!(remaining(&app, &wang, &his, SECOND_SLOT).await, 4);

    // The buyer is told the window, in both languages, and the fee.
    let number = created["number"].as_str().unwrap();
    let told = message_about(&app, WANG, number, "2027-03-02 09:00–11:00").await;
    let body = told["body"].as_str().unwrap();
    assert!(
        body.contains("上门取件时间：2027-03-02 09:00–11:00（北京时间）"),
        "{body}"
    );
    assert!(
        body.contains("Pickup: 2027-03-02 09:00–11:00 (China time)"),
        "{body}"
    );
    assert!(
        body.contains("has a pickup booked") && body.contains("已预约上门取件"),
        "{body}"
    );
    assert!(body.contains("¥8.00") && body.contains("¥112.00"), "{body}");

    // A replay is the same return and books nothing more.
    let again = start_return(
        &app,
        &wang,
        Some("p-1"),
        &pickup_of_line_one(&his, FIRST_SLOT),
    )
    .await;
    assert_eq!(again.status(), StatusCode::CREATED);
    assert_eq!(again.json::<Value>().await.unwrap(), created);
    assert_eq!(remaining(&app, &wang, &his, FIRST_SLOT).await, 3);

    // Cancelling gives the slot back.
    let cancelled = app
        .post(&wang, &format!("/api/returns/{number}/cancel"), json!({}))
        .await;
    assert_eq!(cancelled.status(), StatusCode::OK);
    assert_eq!(remaining(&app, &wang, &his, FIRST_SLOT).await, 4);
}

#[tokio::test]
async fn pickup_is_free_for_gold_and_a_fee_never_makes_a_refund_negative() {
    let app = spawn().await;
    let (li, hers) = ready(&app, LI, 12_000, 3).await;
    let free: Value = started(
        &app,
        &li,
        Some("g-1"),
        &pickup_of_line_one(&hers, FIRST_SLOT),
    )
    .await;
    assert_eq!(
        (free["refund"].clone(), free["pickup_fee"].clone()),
        (json!(12_000), json!(0))
    );

    // ¥5.00 of goods against the ¥8.00 fee: nothing back, and only ¥5.00 charged.
    let (wang, his) = ready(&app, WANG, 500, 3).await;
    let cheap: Value = started(
        &app,
        &wang,
        Some("c-1"),
        &pickup_of_line_one(&his, FIRST_SLOT),
    )
    .await;
    assert_eq!(cheap["refund"], 0);
    assert_eq!(cheap["pickup_fee"], 500);
    // Without pickup there is no fee.
    let dropped: Value = started(&app, &wang, Some("c-2"), &one_of_line_one(&his, 1)).await;
    assert_eq!(
        (dropped["refund"].clone(), dropped["pickup_fee"].clone()),
        (json!(500), json!(0))
    );
}

#[tokio::test]
async fn a_big_pickup_return_waits_for_review_and_still_holds_its_slot() {
    let app = spawn().await;
    let (li, hers) = ready(&app, LI, 60_000, 3).await;
    let created: Value = started(
        &app,
        &li,
        Some("r-1"),
        &pickup_of_line_one(&hers, FIRST_SLOT),
    )
    .await;
    assert_eq!(created["status"], "pending_review");
    assert_eq!(remaining(&app, &li, &hers, FIRST_SLOT).await, 3);
}

#[tokio::test]
async fn a_pickup_needs_an_offered_slot_and_only_a_pickup_takes_one() {
    let app = spawn().await;
    let (li, hers) = ready(&app, LI, 12_000, 3).await;
    let refused = |body: Value, key: &'static str| {
        let (app, li) = (&app, &li);
        async move { problem_code(start_return(app, li, Some(key), &body).await).await }
    };
    let mut no_slot = pickup_of_line_one(&hers, FIRST_SLOT);
    no_slot.as_object_mut().unwrap().remove("pickup_slot");
    assert_eq!(
        refused(no_slot, "a").await,
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            "pickup_slot_required".into()
        )
    );
    for (slot, key) in [
        ("2027-03-01T05:00:00Z", "b"), // today (shop time): not offered
        ("2027-03-02T02:00:00Z", "c"), // not the start of a window
        ("2027-03-09T01:00:00Z", "d"), // the eighth day
        ("not a time", "e"),
    ] {
        assert_eq!(
            refused(pickup_of_line_one(&hers, slot), key).await,
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                "pickup_slot_unavailable".into()
            ),
            "{slot}"
        );
    }
    // The same instant written with China's offset is the same slot.
    let local = start_return(
        &app,
        &li,
        Some("f"),
        &pickup_of_line_one(&hers, "2027-03-02T09:00:00+08:00"),
    )
    .await;
    assert_eq!(local.status(), StatusCode::CREATED);
    assert_eq!(
        local.json::<Value>().await.unwrap()["pickup"]["starts_at"],
        FIRST_SLOT
    );
    // A slot with any other hand-over.
    let mut dropped = pickup_of_line_one(&hers, FIRST_SLOT);
    dropped["handover"] = json!("drop_off");
    assert_eq!(
        refused(dropped, "g").await,
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            "pickup_slot_unavailable".into()
        )
    );
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM returns")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(count, 1, "only the good request made a return");
}

#[tokio::test]
async fn twenty_concurrent_pickups_for_one_slot_book_exactly_its_capacity() {
    let app = spawn_with(|config| config.pickup_slot_capacity = 4).await;
    let (li, hers) = ready(&app, LI, 1_000, 30).await;
    let body = pickup_of_line_one(&hers, FIRST_SLOT);
    let keys: Vec<String> = (0..20).map(|i| format!("slot-race-{i}")).collect();
    let answers = futures_util::future::join_all(
        keys.iter()
            .map(|key| start_return(&app, &li, Some(key), &body)),
    )
    .await;
    let (mut booked, mut refused_keys) = (0, Vec::new());
    for (key, response) in keys.iter().zip(answers) {
        match response.status() {
            StatusCode::CREATED => booked += 1,
            _ => {
                assert_eq!(
                    problem_code(response).await,
                    (StatusCode::CONFLICT, "pickup_slot_full".into())
                );
                refused_keys.push(key.clone());
            }
        }
    }
    assert_eq!((booked, refused_keys.len()), (4, 16));
    let (stored,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM returns WHERE pickup_starts_at IS NOT NULL")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(stored, 4);
    // The full slot is still listed, at 0; the next one is free, and booking it works.
    assert_eq!(remaining(&app, &li, &hers, FIRST_SLOT).await, 0);
    let next = start_return(
        &app,
        &li,
        Some("next"),
        &pickup_of_line_one(&hers, SECOND_SLOT),
    )
    .await;
    assert_eq!(next.status(), StatusCode::CREATED);

    // Once a booking is cancelled, a refused request sent again (same key) gets the place.
    let hers_now: Vec<Value> = app.get_json(&li, "/api/returns").await;
    let in_first = hers_now
        .iter()
        .find(|r| r["pickup"]["starts_at"] == FIRST_SLOT)
        .unwrap();
    let cancel = format!(
        "/api/returns/{}/cancel",
        in_first["number"].as_str().unwrap()
    );
    assert_eq!(
        app.post(&li, &cancel, json!({})).await.status(),
        StatusCode::OK
    );
    assert_eq!(remaining(&app, &li, &hers, FIRST_SLOT).await, 1);
    let retry = start_return(&app, &li, Some(&refused_keys[0]), &body).await;
    assert_eq!(retry.status(), StatusCode::CREATED);
    assert_eq!(remaining(&app, &li, &hers, FIRST_SLOT).await, 0);
    let late = start_return(&app, &li, Some(&refused_keys[1]), &body).await;
    assert_eq!(
        problem_code(late).await,
        (StatusCode::CONFLICT, "pickup_slot_full".into())
    );
}

#[tokio::test]
async fn the_demo_takes_a_pickup_return_from_its_booking_to_its_refund() {
    let app = spawn().await;
    let (li, hers) = ready(&app, LI, 12_000, 3).await;
    let created: Value = started(
        &app,
        &li,
        Some("d-1"),
        &pickup_of_line_one(&hers, FIRST_SLOT),
    )
    .await;
    let path = format!("/api/returns/{}", created["number"].as_str().unwrap());
    let mut seen = vec![created["status"].as_str().unwrap().to_string()];
    for _ in 0..4 {
        app.post(&client(), "/api/dev/advance-shipments", json!({}))
            .await;
        let now: Value = app.get_json(&li, &path).await;
        seen.push(now["status"].as_str().unwrap().to_string());
    }
    assert_eq!(
        seen,
        [
            "pickup_scheduled",
            "picked_up",
            "received",
            "refunded",
            "refunded"
        ]
    );
    // The window is told while the pickup is to come, not once the goods are on their way.
    let number = created["number"].as_str().unwrap();
    message_about(&app, LI, number, "Pickup: 2027-03-02 09:00–11:00").await;
    let refunded = message_about(&app, LI, number, "is refunded").await;
    assert!(!refunded["body"].as_str().unwrap().contains("Pickup:"));
}

#[tokio::test]
async fn a_drop_off_return_has_a_signed_code_and_its_qr_code_for_its_owner_only() {
    let app = spawn().await;
    let (li, hers) = ready(&app, LI, 12_000, 3).await;
    let created: Value = started(&app, &li, Some("q-1"), &one_of_line_one(&hers, 1)).await;
    let number = created["number"].as_str().unwrap();
    let code = created["drop_off_code"].as_str().unwrap();
    let form = regex::Regex::new(r"^R[0-9]{8}-[0-9A-F]{8}$").unwrap();
    assert!(form.is_match(code), "{code}");
    assert!(code.starts_with(&format!("{number}-")));
    assert!(created.get("pickup").is_none());
    message_about(&app, LI, number, code).await;

    let path = format!("/api/returns/{number}/drop-off.svg");
    let answer = app.get(&li, &path).await;
    assert_eq!(answer.status(), StatusCode::OK);
    let header = |name: &str| answer.headers()[name].to_str().unwrap().to_string();
    assert_eq!(header("content-type"), "image/svg+xml");
    assert_eq!(header("cache-control"), "private, max-age=86400");
    let svg = answer.text().await.unwrap();
    assert!(svg.starts_with("<?xml") && svg.contains("<svg"), "{svg}");
    assert!(svg.contains("viewBox=\"0 0 ") && svg.contains("width=\""));
    // Exactly the code's QR code, drawn as the qrcode crate draws it.
    let expected = |text: &str| {
        qrcode::QrCode::new(text.as_bytes())
            .unwrap()
            .render::<qrcode::render::svg::Color>()
            .min_dimensions(256, 256)
            .build()
    };
    assert_eq!(svg, expected(code));
    assert_ne!(svg, expected(number));

    // A browser with a guest pass for her order may fetch it too, as it may read the return.
    let guest = client();
    let pass = app
        .post(
            &guest,
            "/api/guest/lookup",
            json!({ "order_number": hers, "contact": LI }),
        )
        .await;
    assert_eq!(pass.status(), StatusCode::OK);
    let as_guest = app.get(&guest, &path).await;
    assert_eq!(as_guest.status(), StatusCode::OK);
    assert_eq!(as_guest.text().await.unwrap(), expected(code));

    // Someone else's: 404; nobody signed in: 401.
    let wang = client();
    app.sign_in(&wang, WANG).await;
    assert_eq!(
        problem_code(app.get(&wang, &path).await).await,
        (StatusCode::NOT_FOUND, "not_found".into())
    );
    assert_eq!(
        problem_code(app.get(&client(), &path).await).await,
        (StatusCode::UNAUTHORIZED, "unauthorized".into())
    );
    // A return not handed in at a drop-off point has no code: 404.
    let mut sent = one_of_line_one(&hers, 1);
    sent["handover"] = json!("self_ship");
    let shipped: Value = started(&app, &li, Some("q-2"), &sent).await;
    assert!(shipped.get("drop_off_code").is_none());
    let none = app
        .get(
            &li,
            &format!(
                "/api/returns/{}/drop-off.svg",
                shipped["number"].as_str().unwrap()
            ),
        )
        .await;
    assert_eq!(
        problem_code(none).await,
        (StatusCode::NOT_FOUND, "not_found".into())
    );
}

/// Asks for return `number`'s pickup to move to the slot starting at `slot`.
pub(crate) async fn reschedule(
    app: &TestApp,
    browser: &reqwest::Client,
    number: &str,
    slot: &str,
) -> reqwest::Response {
    app.post(
        browser,
        &format!("/api/returns/{number}/reschedule"),
        json!({ "pickup_slot": slot }),
    )
    .await
}

#[tokio::test]
async fn rescheduling_moves_the_booking_tells_the_buyer_and_is_safe_to_send_again() {
    let app = spawn().await;
    let (wang, his) = ready(&app, WANG, 12_000, 3).await;
    let created: Value = started(
        &app,
        &wang,
        Some("m-1"),
        &pickup_of_line_one(&his, FIRST_SLOT),
    )
    .await;
    let number = created["number"].as_str().unwrap();
    assert_eq!(remaining(&app, &wang, &his, FIRST_SLOT).await, 3);

    let moved = reschedule(&app, &wang, number, SECOND_SLOT).await;
    assert_eq!(moved.status(), StatusCode::OK);
    let moved: Value = moved.json().await.unwrap();
    assert_eq!(
        moved["pickup"],
        json!({ "starts_at": SECOND_SLOT, "ends_at": "2027-03-02T05:00:00Z" })
    );
    // Nothing else about the return changes but the day the money is expected (two hours on).
    let mut expected = created.clone();
    expected["pickup"] = moved["pickup"].clone();
    expected["settles_by"] = json!("2027-03-07T05:00:00Z");
    assert_eq!(moved, expected);
    assert_eq!(
        app.get_json::<Value>(&wang, &format!("/api/returns/{number}"))
            .await,
        moved
    );
    // The old slot is free again, the new one taken.
    assert_eq!(remaining(&app, &wang, &his, FIRST_SLOT).await, 4);
    assert_eq!(remaining(&app, &wang, &his, SECOND_SLOT).await, 3);

    // The buyer hears the new window, in both languages.
    let told = message_about(&app, WANG, number, "has its pickup moved").await;
    let body = told["body"].as_str().unwrap();
    assert!(body.contains("的上门取件已改期"), "{body}");
    assert!(
        body.contains("上门取件时间：2027-03-02 11:00–13:00（北京时间）"),
        "{body}"
    );
    assert!(
        body.contains("Pickup: 2027-03-02 11:00–13:00 (China time)"),
        "{body}"
    );
    let messages = app.outbox().await.len();

    // Sent again (also written with China's offset): the same return, nothing more booked or told.
    for slot in [SECOND_SLOT, "2027-03-02T11:00:00+08:00"] {
        let again = reschedule(&app, &wang, number, slot).await;
        assert_eq!(again.status(), StatusCode::OK);
        assert_eq!(again.json::<Value>().await.unwrap(), moved);
    }
    assert_eq!(remaining(&app, &wang, &his, SECOND_SLOT).await, 3);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(app.outbox().await.len(), messages);

    // A slot that is not offered.
    for slot in ["2027-03-01T05:00:00Z", "2027-03-02T02:00:00Z", "not a time"] {
        assert_eq!(
            problem_code(reschedule(&app, &wang, number, slot).await).await,
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                "pickup_slot_unavailable".into()
            ),
            "{slot}"
        );
    }
    assert_eq!(remaining(&app, &wang, &his, SECOND_SLOT).await, 3);
}

#[tokio::test]
async fn a_full_slot_refuses_a_reschedule_and_changes_nothing() {
    let app = spawn_with(|config| config.pickup_slot_capacity = 1).await;
    let (li, hers) = ready(&app, LI, 1_000, 3).await;
    let first: Value = started(
        &app,
        &li,
        Some("f-1"),
        &pickup_of_line_one(&hers, FIRST_SLOT),
    )
    .await;
    let second: Value = started(
        &app,
        &li,
        Some("f-2"),
        &pickup_of_line_one(&hers, SECOND_SLOT),
    )
    .await;
    let number = second["number"].as_str().unwrap();
    assert_eq!(
        problem_code(reschedule(&app, &li, number, FIRST_SLOT).await).await,
        (StatusCode::CONFLICT, "pickup_slot_full".into())
    );
    let path = format!("/api/returns/{number}");
    assert_eq!(app.get_json::<Value>(&li, &path).await, second);
    assert_eq!(remaining(&app, &li, &hers, FIRST_SLOT).await, 0);
    assert_eq!(remaining(&app, &li, &hers, SECOND_SLOT).await, 0);
    // Its own booking does not count against it: staying put is fine, and once the first is
    // cancelled its slot can be taken.
    assert_eq!(
        reschedule(&app, &li, number, SECOND_SLOT).await.status(),
        StatusCode::OK
    );
    let cancel = format!("/api/returns/{}/cancel", first["number"].as_str().unwrap());
    assert_eq!(
        app.post(&li, &cancel, json!({})).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        reschedule(&app, &li, number, FIRST_SLOT).await.status(),
        StatusCode::OK
    );
    assert_eq!(remaining(&app, &li, &hers, FIRST_SLOT).await, 0);
    assert_eq!(remaining(&app, &li, &hers, SECOND_SLOT).await, 1);
}

/// Pickups raced from two buyers' orders into a slot with room for one: each order has a lock
/// of its own, so what counts the slot's bookings is the slot's lock. One is booked; the rest are
/// told the slot is full.
#[tokio::test]
async fn a_slot_raced_from_two_orders_takes_only_its_capacity() {
    let app = spawn_with(|config| config.pickup_slot_capacity = 1).await;
    let (wang, his) = ready(&app, WANG, 1_000, 10).await;
    let (li, hers) = ready(&app, LI, 1_000, 10).await;
    let asked: Vec<(&reqwest::Client, Value, String)> = (0..20)
        .map(|i| {
            let (browser, number) = if i % 2 == 0 {
                (&wang, &his)
            } else {
                (&li, &hers)
            };
            (
                browser,
                pickup_of_line_one(number, FIRST_SLOT),
                format!("slot-{i}"),
            )
        })
        .collect();
    let answers = futures_util::future::join_all(
        asked
            .iter()
            .map(|(browser, body, key)| start_return(&app, browser, Some(key), body)),
    )
    .await;
    let full = (StatusCode::CONFLICT, "pickup_slot_full");
    assert_eq!(created_else(answers, full).await, 1);
    assert_eq!(remaining(&app, &li, &hers, FIRST_SLOT).await, 0);
}

#[tokio::test]
async fn only_a_pickup_still_to_come_can_be_rescheduled_and_only_by_whoever_may_cancel_it() {
    let app = spawn().await;
    let (li, hers) = ready(&app, LI, 1_000, 3).await;
    // Not a pickup: locked.
    let dropped: Value = started(&app, &li, Some("l-1"), &one_of_line_one(&hers, 1)).await;
    assert_eq!(
        problem_code(reschedule(&app, &li, dropped["number"].as_str().unwrap(), SECOND_SLOT).await)
            .await,
        (StatusCode::CONFLICT, "return_locked".into())
    );
    // Waiting for review with its booking: may move.
    sqlx::query("UPDATE order_items SET unit_price_fen = 60000 WHERE position = 0")
        .execute(&app.state.db)
        .await
        .unwrap();
    let big: Value = started(
        &app,
        &li,
        Some("l-2"),
        &pickup_of_line_one(&hers, FIRST_SLOT),
    )
    .await;
    assert_eq!(big["status"], "pending_review");
    let big_number = big["number"].as_str().unwrap();
    assert_eq!(
        reschedule(&app, &li, big_number, SECOND_SLOT)
            .await
            .status(),
        StatusCode::OK
    );

    // Someone else's: 404; nobody signed in: 401; a guest pass for the order: allowed.
    let wang = client();
    app.sign_in(&wang, WANG).await;
    assert_eq!(
        problem_code(reschedule(&app, &wang, big_number, FIRST_SLOT).await).await,
        (StatusCode::NOT_FOUND, "not_found".into())
    );
    assert_eq!(
        problem_code(reschedule(&app, &client(), big_number, FIRST_SLOT).await).await,
        (StatusCode::UNAUTHORIZED, "unauthorized".into())
    );
    let guest = client();
    let pass = app
        .post(
            &guest,
            "/api/guest/lookup",
            json!({ "order_number": hers, "contact": LI }),
        )
        .await;
    assert_eq!(pass.status(), StatusCode::OK);
    assert_eq!(
        reschedule(&app, &guest, big_number, FIRST_SLOT)
            .await
            .status(),
        StatusCode::OK
    );

    // Approved by a reviewer, its booking is its pickup: still movable. Then picked up: locked
    // from then on, and cancelled too.
    let demo = client();
    let advance = || app.post(&demo, "/api/dev/advance-shipments", json!({}));
    advance().await; // the demo leaves a review to a reviewer
    let path = format!("/api/returns/{big_number}");
    assert_eq!(
        app.get_json::<Value>(&li, &path).await["status"],
        "pending_review"
    );
    let approved = crate::return_reviews::approved_by_a_reviewer(&app, big_number).await;
    assert_eq!(approved["status"], "pickup_scheduled");
    assert_eq!(approved["pickup"]["starts_at"], FIRST_SLOT);
    assert_eq!(
        reschedule(&app, &li, big_number, SECOND_SLOT)
            .await
            .status(),
        StatusCode::OK
    );
    advance().await; // pickup_scheduled -> picked_up
    assert_eq!(
        app.get_json::<Value>(&li, &path).await["status"],
        "picked_up"
    );
    assert_eq!(
        problem_code(reschedule(&app, &li, big_number, FIRST_SLOT).await).await,
        (StatusCode::CONFLICT, "return_locked".into())
    );
    let small: Value = started(
        &app,
        &li,
        Some("l-3"),
        &pickup_of_line_one(&hers, FIRST_SLOT),
    )
    .await;
    let small_number = small["number"].as_str().unwrap();
    let cancel = format!("/api/returns/{small_number}/cancel");
    assert_eq!(
        app.post(&li, &cancel, json!({})).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        problem_code(reschedule(&app, &li, small_number, SECOND_SLOT).await).await,
        (StatusCode::CONFLICT, "return_locked".into())
    );
}

/// A change asked for while the demo's mover holds the write lock with the goods handed over
/// (its step not yet committed): the request waits for the step, then must find the return as
/// the step left it. The answer (`path` with `body`, sent by `browser`) must be `return_locked`,
/// the return still picked up with the slot it had, and its buyer told of the hand-over only.
async fn asked_behind_the_mover(app: &TestApp, browser: &reqwest::Client, path: &str, body: Value) {
    let number = path.split('/').nth(3).unwrap().to_string();
    let before: Value = app
        .get_json(browser, &format!("/api/returns/{number}"))
        .await;
    assert_eq!(before["status"], "pickup_scheduled");
    let mut step =
        portico_server::db::write_for(&app.state.db, portico_server::db::Lock::Everything)
            .await
            .unwrap();
    portico_server::dev::demo_step(&app.state, &mut step)
        .await
        .unwrap();
    let asked = tokio::spawn(browser.post(app.url(path)).json(&body).send());
    until_a_writer_waits(app).await;
    step.commit().await.unwrap();
    let answer = asked.await.unwrap().unwrap();
    assert_eq!(
        problem_code(answer).await,
        (StatusCode::CONFLICT, "return_locked".into()),
        "{path} answered after the goods were handed over"
    );
    let mut after: Value = app
        .get_json(browser, &format!("/api/returns/{number}"))
        .await;
    assert_eq!(after["status"], "picked_up");
    assert_eq!(after["pickup"], before["pickup"]);
    after["status"] = before["status"].clone();
    after["settles_by"] = before["settles_by"].clone();
    assert_eq!(after, before, "nothing but the step changed");
    message_about(app, WANG, &number, "has been handed over").await;
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let told: Vec<String> = app
        .outbox()
        .await
        .into_iter()
        .filter(|m| m["subject"].as_str().unwrap().contains(&number))
        .map(|m| m["body"].as_str().unwrap().to_string())
        .collect();
    assert!(
        told.iter()
            .all(|body| !body.contains("has its pickup moved") && !body.contains("is cancelled")),
        "{told:?}"
    );
}

#[tokio::test]
async fn a_reschedule_or_a_cancel_that_waited_for_the_mover_finds_the_goods_handed_over() {
    let app = spawn().await;
    let (wang, his) = ready(&app, WANG, 12_000, 3).await;
    for (key, asked, body) in [
        ("r-1", "reschedule", json!({ "pickup_slot": SECOND_SLOT })),
        ("c-1", "cancel", json!({})),
    ] {
        let created: Value = started(
            &app,
            &wang,
            Some(key),
            &pickup_of_line_one(&his, FIRST_SLOT),
        )
        .await;
        let number = created["number"].as_str().unwrap();
        let path = format!("/api/returns/{number}/{asked}");
        asked_behind_the_mover(&app, &wang, &path, body).await;
    }
    assert_eq!(remaining(&app, &wang, &his, SECOND_SLOT).await, 4);
}
