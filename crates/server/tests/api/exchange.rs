//! Exchanges: another variant of the same product in place of the one returned, its stock
//! reserved when the return starts and given back (once) when it is cancelled.

use crate::helpers::{client, problem_code, spawn, TestApp};
use crate::returns::{
    delivered_days_ago, eligibility, message_about, shipped_order, start_return, started,
};
use reqwest::StatusCode;
use serde_json::{json, Value};

const WANG: &str = "wang.wei@example.com";
const LI: &str = "li.na@example.com";

/// The seeded down jacket (藏青色 L), whose 藏青色 XL (`-2`) is out of stock.
const JACKET: &str = "SKU-01-0";
const JACKET_XL: &str = "SKU-01-2";
/// The seeded headphones (星光白): 午夜黑 (`-1`) has 4 in stock, 雾霾蓝 (`-2`) exactly 1.
pub(crate) const HEADPHONES: &str = "SKU-02-0";
pub(crate) const HEADPHONES_BLACK: &str = "SKU-02-1";
const HEADPHONES_BLUE: &str = "SKU-02-2";
/// Another product's variant (the flask's).
const FLASK_PINK: &str = "SKU-03-1";

/// Makes line 1 of order `number` a unit of `sku` (named and labelled as the catalogue does, in
/// both languages), `units` bought.
async fn line_one_is(app: &TestApp, number: &str, sku: &str, units: i64) {
    let (name, name_en) = match &sku[..6] {
        "SKU-01" => ("轻薄羽绒服", "Light down jacket"),
        "SKU-02" => ("无线降噪耳机", "Wireless noise-cancelling headphones"),
        _ => ("某商品", "A product"),
    };
    sqlx::query(
        "UPDATE order_items SET sku = $1, name = $2, name_en = $3, variant = COALESCE((SELECT variant FROM variants WHERE sku = $4), '?'), \
         variant_en = (SELECT variant_en FROM variants WHERE sku = $4), \
         quantity = $5 WHERE position = 0 AND order_id = (SELECT id FROM orders WHERE number = $6)",
    )
    .bind(sku)
    .bind(name)
    .bind(name_en)
    .bind(sku)
    .bind(units)
    .bind(number)
    .execute(&app.state.db)
    .await
    .unwrap();
}

/// Units of `sku` in stock, read from the database.
pub(crate) async fn stock(app: &TestApp, sku: &str) -> i64 {
    sqlx::query_scalar("SELECT stock FROM variants WHERE sku = $1")
        .bind(sku)
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

async fn returns_made(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM returns")
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

pub(crate) fn exchange_of_line_one(number: &str, quantity: u32, sku: &str) -> Value {
    json!({
        "order": number,
        "lines": [{ "line": 1, "quantity": quantity, "exchange_for": sku }],
        "reason": "wrong_size",
        "resolution": "exchange",
        "handover": "drop_off",
    })
}

/// `email` signed in, their newest shipped order delivered two days ago with line 1 being
/// `units` of `sku`.
pub(crate) async fn ready(
    app: &TestApp,
    email: &str,
    sku: &str,
    units: i64,
) -> (reqwest::Client, String) {
    let browser = client();
    app.sign_in(&browser, email).await;
    let number = shipped_order(app, email).await;
    delivered_days_ago(app, &number, 2).await;
    line_one_is(app, &number, sku, units).await;
    (browser, number)
}

/// Whether `sku` is offered in stock for line 1 of `number`.
async fn offered_in_stock(
    app: &TestApp,
    browser: &reqwest::Client,
    number: &str,
    sku: &str,
) -> bool {
    let offer = eligibility(app, browser, number).await;
    let options = offer["items"][0]["exchange_options"].as_array().unwrap();
    options
        .iter()
        .find(|option| option["sku"] == sku)
        .unwrap_or_else(|| panic!("{sku} is offered"))["in_stock"]
        .as_bool()
        .unwrap()
}

#[tokio::test]
async fn eligibility_lists_the_other_variants_and_whether_they_are_in_stock() {
    let app = spawn().await;
    let (li, number) = ready(&app, LI, JACKET, 1).await;
    let offer = eligibility(&app, &li, &number).await;
    assert_eq!(offer["items"][0]["sku"], JACKET);
    assert_eq!(
        offer["items"][0]["exchange_options"],
        json!([
            { "sku": "SKU-01-1", "variant": { "zh-CN": "藏青色 M", "en": "Navy M" }, "in_stock": true },
            { "sku": JACKET_XL, "variant": { "zh-CN": "藏青色 XL", "en": "Navy XL" }, "in_stock": false },
            { "sku": "SKU-01-3", "variant": { "zh-CN": "黑色 L", "en": "Black L" }, "in_stock": true },
        ])
    );

    // The demo data: most delivered items can be exchanged for something in stock.
    let (delivered, exchangeable): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), SUM(CASE WHEN EXISTS (SELECT 1 FROM variants sold JOIN variants v \
         ON v.product = sold.product AND v.sku <> sold.sku AND v.stock > 0 WHERE sold.sku = i.sku) \
         THEN 1 ELSE 0 END) FROM order_items i JOIN shipments s \
         ON s.order_id = i.order_id AND s.position = i.shipment_position WHERE s.status = 'delivered'",
    )
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert!(
        exchangeable * 2 > delivered,
        "{exchangeable} of {delivered} delivered items"
    );
    let (out, last_one): (i64, i64) = sqlx::query_as(
        "SELECT CAST(SUM(CASE WHEN stock = 0 THEN 1 ELSE 0 END) AS BIGINT), CAST(SUM(CASE WHEN stock = 1 THEN 1 ELSE 0 END) AS BIGINT) FROM variants",
    )
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert!(
        out >= 1 && last_one >= 1,
        "{out} out of stock, {last_one} with one left"
    );
}

#[tokio::test]
async fn an_exchange_reserves_its_stock_and_cancelling_gives_it_back_once() {
    let app = spawn().await;
    let (li, number) = ready(&app, LI, HEADPHONES, 3).await;
    assert_eq!(stock(&app, HEADPHONES_BLACK).await, 4);
    let body = exchange_of_line_one(&number, 2, HEADPHONES_BLACK);
    let created = start_return(&app, &li, Some("x-1"), &body).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Value = created.json().await.unwrap();
    assert_eq!(created["resolution"], "exchange");
    assert_eq!(created["refund"], 0);
    assert_eq!(created["pickup_fee"], 0);
    assert_eq!(created["status"], "approved");
    assert_eq!(
        created["lines"][0]["exchange_for"],
        json!({ "sku": HEADPHONES_BLACK, "variant": { "zh-CN": "午夜黑", "en": "Midnight black" } })
    );
    assert_eq!(stock(&app, HEADPHONES_BLACK).await, 2);

    // A replay is the same return and reserves nothing more.
    let again = start_return(&app, &li, Some("x-1"), &body).await;
    assert_eq!(again.status(), StatusCode::CREATED);
    assert_eq!(again.json::<Value>().await.unwrap(), created);
    assert_eq!(stock(&app, HEADPHONES_BLACK).await, 2);

    // The last unit of the blue, taken by the third unit: no longer offered in stock.
    assert!(offered_in_stock(&app, &li, &number, HEADPHONES_BLUE).await);
    let blue: Value = started(
        &app,
        &li,
        Some("x-2"),
        &exchange_of_line_one(&number, 1, HEADPHONES_BLUE),
    )
    .await;
    assert_eq!(stock(&app, HEADPHONES_BLUE).await, 0);
    assert!(!offered_in_stock(&app, &li, &number, HEADPHONES_BLUE).await);

    // Cancelling gives the units back, and cancelling again gives nothing more.
    for _ in 0..2 {
        let path = format!(
            "/api/returns/{}/cancel",
            created["number"].as_str().unwrap()
        );
        let cancelled = app.post(&li, &path, json!({})).await;
        assert_eq!(cancelled.status(), StatusCode::OK);
        assert_eq!(stock(&app, HEADPHONES_BLACK).await, 4);
    }
    let cancel_blue = format!("/api/returns/{}/cancel", blue["number"].as_str().unwrap());
    let twice =
        futures_util::future::join_all((0..5).map(|_| app.post(&li, &cancel_blue, json!({}))))
            .await;
    assert!(twice.iter().all(|r| r.status() == StatusCode::OK));
    assert_eq!(stock(&app, HEADPHONES_BLUE).await, 1);
    assert!(offered_in_stock(&app, &li, &number, HEADPHONES_BLUE).await);
    // The other variants were never touched.
    assert_eq!(stock(&app, HEADPHONES).await, 10);
}

#[tokio::test]
async fn out_of_stock_is_a_409_and_nothing_is_created_or_taken() {
    let app = spawn().await;
    let (li, number) = ready(&app, LI, JACKET, 3).await;
    let none_left = start_return(
        &app,
        &li,
        Some("o-1"),
        &exchange_of_line_one(&number, 1, JACKET_XL),
    )
    .await;
    assert_eq!(
        problem_code(none_left).await,
        (StatusCode::CONFLICT, "out_of_stock".into())
    );
    assert_eq!(returns_made(&app).await, 0);
    assert_eq!(stock(&app, JACKET_XL).await, 0);
    assert_eq!(
        eligibility(&app, &li, &number).await["items"][0]["returnable_quantity"],
        3
    );

    // Two of a variant with one left: refused whole, the one unit stays.
    line_one_is(&app, &number, HEADPHONES, 3).await;
    let too_many = start_return(
        &app,
        &li,
        Some("o-2"),
        &exchange_of_line_one(&number, 2, HEADPHONES_BLUE),
    )
    .await;
    assert_eq!(
        problem_code(too_many).await,
        (StatusCode::CONFLICT, "out_of_stock".into())
    );
    assert_eq!(returns_made(&app).await, 0);
    assert_eq!(stock(&app, HEADPHONES_BLUE).await, 1);
    // The key was not spent on the refusal: once it can be served, it is.
    let one = start_return(
        &app,
        &li,
        Some("o-3"),
        &exchange_of_line_one(&number, 1, HEADPHONES_BLUE),
    )
    .await;
    assert_eq!(one.status(), StatusCode::CREATED);
    assert_eq!(stock(&app, HEADPHONES_BLUE).await, 0);
}

#[tokio::test]
async fn only_another_variant_of_the_same_product_with_resolution_exchange_is_taken() {
    let app = spawn().await;
    let (li, number) = ready(&app, LI, HEADPHONES, 3).await;
    let refused = |body: Value| {
        let (app, li) = (&app, &li);
        async move {
            let answer = start_return(app, li, Some("bad"), &body).await;
            assert_eq!(
                problem_code(answer).await,
                (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "exchange_not_offered".into()
                ),
                "{body}"
            );
        }
    };
    // Another product's variant, the same variant, a sku nobody sells.
    for sku in [FLASK_PINK, HEADPHONES, "SKU-99-9"] {
        refused(exchange_of_line_one(&number, 1, sku)).await;
    }
    // An exchange without saying for what; exchange_for with a refund or store credit.
    let mut without = exchange_of_line_one(&number, 1, HEADPHONES_BLACK);
    without["lines"][0]
        .as_object_mut()
        .unwrap()
        .remove("exchange_for");
    refused(without).await;
    for resolution in ["refund", "store_credit"] {
        let mut body = exchange_of_line_one(&number, 1, HEADPHONES_BLACK);
        body["resolution"] = json!(resolution);
        refused(body).await;
    }
    assert_eq!(returns_made(&app).await, 0);
    assert_eq!(stock(&app, HEADPHONES_BLACK).await, 4);
    assert_eq!(stock(&app, FLASK_PINK).await, 12);
    // A line of an item outside the catalogue has nothing to exchange for.
    line_one_is(&app, &number, "SKU-LEGACY", 3).await;
    assert_eq!(
        eligibility(&app, &li, &number).await["items"][0]["exchange_options"],
        json!([])
    );
    refused(exchange_of_line_one(&number, 1, HEADPHONES_BLACK)).await;
}

#[tokio::test]
async fn twenty_exchanges_racing_for_the_last_unit_make_exactly_one() {
    let app = spawn().await;
    let (li, number) = ready(&app, LI, HEADPHONES, 20).await;
    assert_eq!(stock(&app, HEADPHONES_BLUE).await, 1);
    let body = exchange_of_line_one(&number, 1, HEADPHONES_BLUE);
    let keys: Vec<String> = (0..20).map(|i| format!("race-{i}")).collect();
    let answers = futures_util::future::join_all(
        keys.iter()
            .map(|key| start_return(&app, &li, Some(key), &body)),
    )
    .await;
    let (mut created, mut sold_out) = (0, 0);
    for response in answers {
        match response.status() {
            StatusCode::CREATED => created += 1,
            _ => {
                assert_eq!(
                    problem_code(response).await,
                    (StatusCode::CONFLICT, "out_of_stock".into())
                );
                sold_out += 1;
            }
        }
    }
    assert_eq!((created, sold_out), (1, 19));
    assert_eq!(stock(&app, HEADPHONES_BLUE).await, 0);
    assert_eq!(returns_made(&app).await, 1);
    // The other 19 units of the line are still returnable.
    assert_eq!(
        eligibility(&app, &li, &number).await["items"][0]["returnable_quantity"],
        19
    );
}

#[tokio::test]
async fn the_demo_takes_an_exchange_to_exchanged_and_the_stock_stays_sold() {
    let app = spawn().await;
    let (li, number) = ready(&app, LI, HEADPHONES, 1).await;
    let created: Value = started(
        &app,
        &li,
        Some("d-1"),
        &exchange_of_line_one(&number, 1, HEADPHONES_BLACK),
    )
    .await;
    let return_number = created["number"].as_str().unwrap().to_string();
    // The message speaks both languages, each naming the item in its own.
    let message = message_about(
        &app,
        LI,
        &return_number,
        "Exchange for: Wireless noise-cancelling headphones (Midnight black).",
    )
    .await;
    assert!(message["body"]
        .as_str()
        .unwrap()
        .contains("换货：无线降噪耳机（午夜黑）。"));
    let path = format!("/api/returns/{return_number}");
    let mut statuses = Vec::new();
    for _ in 0..4 {
        app.post(&client(), "/api/dev/advance-shipments", json!({}))
            .await;
        let now: Value = app.get_json(&li, &path).await;
        statuses.push(now["status"].as_str().unwrap().to_string());
    }
    assert_eq!(
        statuses,
        ["picked_up", "received", "exchanged", "exchanged"]
    );
    let told = message_about(&app, LI, &return_number, "the new item is on its way").await;
    let body = told["body"].as_str().unwrap();
    assert!(
        body.contains("换货已发出") && body.contains("换货：无线降噪耳机（午夜黑）"),
        "{body}"
    );
    assert!(!body.contains("Refund"), "{body}");
    // The reservation became a sale: an ended exchange cannot be cancelled, nothing comes back.
    assert_eq!(stock(&app, HEADPHONES_BLACK).await, 3);
    let cancel = app.post(&li, &format!("{path}/cancel"), json!({})).await;
    assert_eq!(
        problem_code(cancel).await,
        (StatusCode::CONFLICT, "return_locked".into())
    );
    assert_eq!(stock(&app, HEADPHONES_BLACK).await, 3);
}

#[tokio::test]
async fn nobody_reaches_another_customers_exchange_or_its_stock() {
    let app = spawn().await;
    let (li, number) = ready(&app, LI, HEADPHONES, 3).await;
    let created: Value = started(
        &app,
        &li,
        Some("n-1"),
        &exchange_of_line_one(&number, 1, HEADPHONES_BLACK),
    )
    .await;
    assert_eq!(stock(&app, HEADPHONES_BLACK).await, 3);
    let path = format!("/api/returns/{}", created["number"].as_str().unwrap());

    let wang = client();
    app.sign_in(&wang, WANG).await;
    assert_eq!(
        problem_code(app.get(&wang, &path).await).await,
        (StatusCode::NOT_FOUND, "not_found".into())
    );
    let his_cancel = app.post(&wang, &format!("{path}/cancel"), json!({})).await;
    assert_eq!(
        problem_code(his_cancel).await,
        (StatusCode::NOT_FOUND, "not_found".into())
    );
    let his_try = start_return(
        &app,
        &wang,
        Some("n-1"),
        &exchange_of_line_one(&number, 1, HEADPHONES_BLACK),
    )
    .await;
    assert_eq!(
        problem_code(his_try).await,
        (StatusCode::NOT_FOUND, "not_found".into())
    );
    let nobody = start_return(
        &app,
        &client(),
        Some("n-2"),
        &exchange_of_line_one(&number, 1, HEADPHONES_BLACK),
    )
    .await;
    assert_eq!(
        problem_code(nobody).await,
        (StatusCode::UNAUTHORIZED, "unauthorized".into())
    );
    // Her reservation stands, and only she sees it.
    assert_eq!(stock(&app, HEADPHONES_BLACK).await, 3);
    let read: Value = app.get_json(&li, &path).await;
    assert_eq!(read, created);
}
