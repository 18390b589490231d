//! What a guest pass opens is what proved it: the buyer's email or phone opens the order and
//! its returns; a gift recipient's phone only tracks the order; a return's link opens that
//! return alone (and its order, masked). Every refusal is the answer someone else's gets.

use crate::helpers::{client, problem_code, spawn, TestApp};
use crate::pickup::reschedule;
use crate::return_links::{link_in_message, trade};
use crate::returns::{delivered_days_ago, eligibility, one_of_line_one, start_return, started};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

/// A gift with a parcel, delivered yesterday (three units of each line): its number, the order's
/// email, the buyer's account email, the buyer's phone and the recipient's (another) phone.
struct Gift {
    number: String,
    contact_email: String,
    buyer_email: String,
    buyer_phone: String,
    recipient_phone: String,
}

async fn gift(app: &TestApp) -> Gift {
    let (number, contact_email, buyer_email, buyer_phone, recipient_phone) =
        sqlx::query_as::<_, (String, String, String, String, String)>(
            "SELECT o.number, o.contact_email, c.email, c.phone, o.recipient_phone FROM orders o \
         JOIN customers c ON c.id = o.customer_id WHERE o.recipient_phone <> c.phone \
         AND EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = o.id) ORDER BY o.id LIMIT 1",
        )
        .fetch_one(&app.state.db)
        .await
        .expect("the demo data has a gift with a parcel");
    delivered_days_ago(app, &number, 1).await;
    Gift {
        number,
        contact_email,
        buyer_email,
        buyer_phone,
        recipient_phone,
    }
}

/// A fresh browser holding the pass `contact` proves for `number`, and the order it was shown.
async fn looked_up(app: &TestApp, number: &str, contact: &str) -> (Client, Value) {
    let browser = client();
    let found = app
        .post(
            &browser,
            "/api/guest/lookup",
            json!({ "order_number": number, "contact": contact }),
        )
        .await;
    assert_eq!(found.status(), StatusCode::OK, "{contact}");
    let detail = found.json().await.unwrap();
    (browser, detail)
}

/// The buyer, signed in, starts two returns of one unit of line 1: a drop-off and a pickup
/// (in the first slot offered). Their numbers, and the slot a pickup may move to.
async fn two_returns(app: &TestApp, gift: &Gift) -> (String, String, String) {
    let buyer = client();
    app.sign_in(&buyer, &gift.buyer_email).await;
    let dropped = started(app, &buyer, Some("p-1"), &one_of_line_one(&gift.number, 1)).await;
    let slots = eligibility(app, &buyer, &gift.number).await["pickup"]["slots"].clone();
    let mut pickup = one_of_line_one(&gift.number, 1);
    pickup["handover"] = json!("pickup");
    pickup["pickup_slot"] = slots[0]["starts_at"].clone();
    let picked = started(app, &buyer, Some("p-2"), &pickup).await;
    assert!(dropped["drop_off_code"].is_string());
    assert!(picked["pickup"].is_object());
    (
        dropped["number"].as_str().unwrap().to_string(),
        picked["number"].as_str().unwrap().to_string(),
        slots[1]["starts_at"].as_str().unwrap().to_string(),
    )
}

fn numbers(returns: &Value) -> Vec<String> {
    let mut numbers: Vec<String> = returns
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["number"].as_str().unwrap().to_string())
        .collect();
    numbers.sort();
    numbers
}

async fn cancel(app: &TestApp, browser: &Client, number: &str) -> reqwest::Response {
    app.post(browser, &format!("/api/returns/{number}/cancel"), json!({}))
        .await
}

fn not_found() -> (StatusCode, String) {
    (StatusCode::NOT_FOUND, "not_found".into())
}

/// Reading, fetching the QR code of, cancelling and moving each of `returns` as `browser`: all
/// refused as someone else's.
async fn none_of(app: &TestApp, browser: &Client, returns: &[&str], slot: &str) {
    for number in returns {
        for path in [
            format!("/api/returns/{number}"),
            format!("/api/returns/{number}/drop-off.svg"),
        ] {
            assert_eq!(
                problem_code(app.get(browser, &path).await).await,
                not_found(),
                "{path}"
            );
        }
        assert_eq!(
            problem_code(cancel(app, browser, number).await).await,
            not_found(),
            "{number}"
        );
        assert_eq!(
            problem_code(reschedule(app, browser, number, slot).await).await,
            not_found(),
            "{number}"
        );
    }
}

/// Starting a return of line 1 of `number` as `browser` is refused as for someone else's order.
async fn may_not_start(app: &TestApp, browser: &Client, number: &str) {
    let refused = start_return(app, browser, Some("p-9"), &one_of_line_one(number, 1)).await;
    assert_eq!(problem_code(refused).await, not_found());
}

/// An order page that offers no return and says nothing of why not: its reader may not start
/// one (nor learn that a return is under way).
fn no_return_offered(order: &Value) {
    for item in order["items"].as_array().unwrap() {
        assert_eq!(item["returnable_quantity"], 0, "{item}");
        assert!(item["not_returnable"].is_null(), "{item}");
        assert!(item["return_by"].is_null(), "{item}");
    }
}

#[tokio::test]
async fn a_recipients_pass_tracks_the_order_and_reaches_none_of_the_buyers_returns() {
    let app = spawn().await;
    let gift = gift(&app).await;
    let (dropped, picked, later) = two_returns(&app, &gift).await;

    let (recipient, shown) = looked_up(&app, &gift.number, &gift.recipient_phone).await;
    assert_eq!(shown["masked"], true);
    assert_eq!(
        shown["returns"],
        json!([]),
        "the buyer's returns are not told"
    );
    // Tracking works as before: the order, masked, with its parcels.
    let order: Value = app
        .get_json(&recipient, &format!("/api/orders/{}", gift.number))
        .await;
    assert_eq!(order["number"], gift.number.as_str());
    assert_eq!(order["masked"], true);
    assert!(!order["shipments"].as_array().unwrap().is_empty());
    assert_eq!(order["returns"], json!([]));
    no_return_offered(&order);

    // Nothing of the returns: no list (as for nobody), no return, no QR code, no cancel, no
    // move, no form and no new return (as for someone else's).
    assert_eq!(
        problem_code(app.get(&recipient, "/api/returns").await).await,
        (StatusCode::UNAUTHORIZED, "unauthorized".into())
    );
    none_of(&app, &recipient, &[&dropped, &picked], &later).await;
    let form = app
        .get(
            &recipient,
            &format!("/api/orders/{}/returnable", gift.number),
        )
        .await;
    assert_eq!(problem_code(form).await, not_found());
    may_not_start(&app, &recipient, &gift.number).await;

    // The buyer's returns are as they were.
    let buyer = client();
    app.sign_in(&buyer, &gift.buyer_email).await;
    let mine: Value = app.get_json(&buyer, "/api/returns").await;
    let mut expected = vec![dropped.clone(), picked.clone()];
    expected.sort();
    assert_eq!(numbers(&mine), expected);
    assert!(mine
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["status"] != "cancelled"));
    let booked: Value = app
        .get_json(&buyer, &format!("/api/returns/{picked}"))
        .await;
    assert_ne!(booked["pickup"]["starts_at"], later.as_str());
}

#[tokio::test]
async fn the_buyers_pass_keeps_the_whole_order_by_email_or_phone() {
    let app = spawn().await;
    let gift = gift(&app).await;
    let (dropped, picked, later) = two_returns(&app, &gift).await;
    let mut both = vec![dropped.clone(), picked.clone()];
    both.sort();

    let (by_phone, shown) = looked_up(&app, &gift.number, &gift.buyer_phone).await;
    assert_eq!(numbers(&shown["returns"]), both);
    assert!(
        shown["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|item| item["returnable_quantity"].as_u64() > Some(0)),
        "the buyer is offered a return: {shown}"
    );
    let (by_email, _) = looked_up(&app, &gift.number, &gift.contact_email).await;
    for guest in [&by_phone, &by_email] {
        assert_eq!(numbers(&app.get_json(guest, "/api/returns").await), both);
        let read: Value = app
            .get_json(guest, &format!("/api/returns/{dropped}"))
            .await;
        assert!(read["drop_off_code"].is_string());
        let qr = app
            .get(guest, &format!("/api/returns/{dropped}/drop-off.svg"))
            .await;
        assert_eq!(qr.status(), StatusCode::OK);
        eligibility(&app, guest, &gift.number).await;
    }
    assert_eq!(
        reschedule(&app, &by_phone, &picked, &later).await.status(),
        StatusCode::OK
    );
    started(
        &app,
        &by_email,
        Some("p-3"),
        &one_of_line_one(&gift.number, 1),
    )
    .await;
    assert_eq!(
        cancel(&app, &by_phone, &dropped).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_return_links_pass_reaches_that_return_alone() {
    let app = spawn().await;
    let gift = gift(&app).await;
    let (dropped, picked, later) = two_returns(&app, &gift).await;
    let (_, token) = link_in_message(&app, &gift.buyer_email, &picked).await;

    let holder = client();
    assert_eq!(
        trade(&app, &holder, &picked, &token).await.status(),
        StatusCode::NO_CONTENT
    );
    // That return: read, listed, moved (from the slots the form offers), cancelled.
    let read: Value = app
        .get_json(&holder, &format!("/api/returns/{picked}"))
        .await;
    assert_eq!(read["number"], picked.as_str());
    assert_eq!(
        numbers(&app.get_json(&holder, "/api/returns").await),
        [picked.as_str()]
    );
    // The form's slots (the return page's picker), though the order page offers no new return.
    let offered: Value = app
        .get_json(&holder, &format!("/api/orders/{}/returnable", gift.number))
        .await;
    assert!(offered["pickup"]["slots"]
        .as_array()
        .unwrap()
        .iter()
        .any(|slot| slot["starts_at"] == later.as_str()));
    // Its order, masked, listing that return alone (the return page links to it).
    let order: Value = app
        .get_json(&holder, &format!("/api/orders/{}", gift.number))
        .await;
    assert_eq!(order["masked"], true);
    assert_eq!(numbers(&order["returns"]), [picked.as_str()]);
    no_return_offered(&order);
    // Not the order's other return, and no new one.
    none_of(&app, &holder, &[&dropped], &later).await;
    may_not_start(&app, &holder, &gift.number).await;
    assert_eq!(
        reschedule(&app, &holder, &picked, &later).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        cancel(&app, &holder, &picked).await.status(),
        StatusCode::OK
    );

    // A drop-off return's link opens its QR code, and still not the other return.
    let (_, token) = link_in_message(&app, &gift.buyer_email, &dropped).await;
    let other = client();
    assert_eq!(
        trade(&app, &other, &dropped, &token).await.status(),
        StatusCode::NO_CONTENT
    );
    let qr = app
        .get(&other, &format!("/api/returns/{dropped}/drop-off.svg"))
        .await;
    assert_eq!(qr.status(), StatusCode::OK);
    assert_eq!(
        problem_code(app.get(&other, &format!("/api/returns/{picked}")).await).await,
        not_found()
    );

    // The buyer's pass following the link keeps the whole order.
    let (buyer, _) = looked_up(&app, &gift.number, &gift.contact_email).await;
    assert_eq!(
        trade(&app, &buyer, &dropped, &token).await.status(),
        StatusCode::NO_CONTENT
    );
    let mut both = vec![dropped.clone(), picked.clone()];
    both.sort();
    assert_eq!(numbers(&app.get_json(&buyer, "/api/returns").await), both);
}

#[tokio::test]
async fn a_signed_in_customers_pass_is_scoped_too() {
    let app = spawn().await;
    let gift = gift(&app).await;
    let (dropped, picked, later) = two_returns(&app, &gift).await;
    // Someone else, signed in, looks the gift up with the recipient's phone: tracking only.
    let other: String = sqlx::query_scalar(
        "SELECT c.email FROM customers c WHERE c.email <> $1 ORDER BY c.id LIMIT 1",
    )
    .bind(&gift.buyer_email)
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    let browser = client();
    app.sign_in(&browser, &other).await;
    let found = app
        .post(
            &browser,
            "/api/guest/lookup",
            json!({ "order_number": gift.number, "contact": gift.recipient_phone }),
        )
        .await;
    assert_eq!(found.status(), StatusCode::OK);
    let order = app
        .get(&browser, &format!("/api/orders/{}", gift.number))
        .await;
    assert_eq!(order.status(), StatusCode::OK);
    none_of(&app, &browser, &[&dropped, &picked], &later).await;
    may_not_start(&app, &browser, &gift.number).await;
    // Their own returns list is theirs, with none of the buyer's.
    let listed: Value = app.get_json(&browser, "/api/returns").await;
    assert!(!numbers(&listed).contains(&dropped) && !numbers(&listed).contains(&picked));
}

#[tokio::test]
async fn the_widgets_lookup_gains_nothing_and_tells_a_recipient_no_returns() {
    use crate::widget::{from_page, path};
    let app = spawn().await;
    let gift = gift(&app).await;
    let (dropped, picked, _) = two_returns(&app, &gift).await;
    let look_up = |contact: String| {
        let app = &app;
        let number = gift.number.clone();
        async move {
            let found = from_page(
                app,
                reqwest::Method::POST,
                &path("/lookup"),
                Some(json!({ "order_number": number, "contact": contact })),
            )
            .await;
            assert_eq!(found.status(), StatusCode::OK);
            assert!(found.headers().get("set-cookie").is_none(), "no pass");
            found.json::<Value>().await.unwrap()
        }
    };
    let mut both = vec![dropped, picked];
    both.sort();
    assert_eq!(
        numbers(&look_up(gift.contact_email.clone()).await["returns"]),
        both
    );
    assert_eq!(
        look_up(gift.recipient_phone.clone()).await["returns"],
        json!([])
    );
}
