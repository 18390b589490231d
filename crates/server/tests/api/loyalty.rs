//! Loyalty: the tiers as defined, each demo customer's story, and the tier kept up to date as
//! spend comes and goes — and the returns that follow the tier's benefits.

use crate::helpers::{client, problem_code, spawn, TestApp};
use crate::returns::{eligibility, shipped_order};
use portico_server::clock::parse_rfc3339;
use reqwest::StatusCode;
use serde_json::{json, Value};

const WANG: &str = "wang.wei@example.com"; // regular
const LI: &str = "li.na@example.com"; // gold
const CHEN: &str = "chen.jie@example.com"; // diamond
const DAY: i64 = 24 * 60 * 60;
const YEAR: i64 = 365 * DAY;

async fn status_of(app: &TestApp, email: &str) -> (reqwest::Client, Value) {
    let browser = client();
    app.sign_in(&browser, email).await;
    let status = app.get_json(&browser, "/api/loyalty/me").await;
    (browser, status)
}

fn at(value: &Value) -> i64 {
    parse_rfc3339(value.as_str().unwrap()).unwrap()
}

async fn customer_id(app: &TestApp, email: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM customers WHERE email = $1")
        .bind(email)
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_tiers_are_listed_lowest_first_with_thresholds_names_and_benefits() {
    let app = spawn().await;
    let tiers: Value = app.get_json(&client(), "/api/loyalty/tiers").await;
    let codes: Vec<&str> = tiers
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["regular", "silver", "gold", "diamond"]);
    assert_eq!(tiers[0]["reach"], 0);
    assert_eq!(
        tiers[2]["name"],
        json!({ "zh-CN": "金卡会员", "en": "Gold" })
    );
    assert_eq!(
        (tiers[2]["reach"].clone(), tiers[2]["keep"].clone()),
        (json!(800_000), json!(600_000))
    );
    assert_eq!(
        tiers[2]["benefits"],
        json!([
            { "kind": "return_window", "days": 45 },
            { "kind": "free_pickup" },
            { "kind": "birthday_gift", "value": 5000 },
            { "kind": "priority_line" },
        ])
    );
    // Reaching a tier always takes more than keeping it, and more than the tier below.
    for pair in tiers.as_array().unwrap().windows(2) {
        assert!(pair[1]["reach"].as_i64() > pair[0]["reach"].as_i64());
        assert!(pair[1]["keep"].as_i64() <= pair[1]["reach"].as_i64());
    }
}

#[tokio::test]
async fn each_demo_customer_has_a_story_of_their_own() {
    let app = spawn().await;
    let now = app.state.clock.now();

    // Wang: a few hundred yuan from Silver, with more on its way (pending, not counted).
    let (_, wang) = status_of(&app, WANG).await;
    assert_eq!(wang["tier"], "regular");
    assert_eq!(wang["next"]["tier"], "silver");
    let needed = wang["next"]["needed"].as_i64().unwrap();
    assert!((1..100_000).contains(&needed), "{wang}");
    assert!(wang["pending_spend"].as_i64().unwrap() > 0);
    assert!(wang.get("keep").is_none());
    assert_eq!(wang["history"].as_array().unwrap().len(), 1);

    // Li: her Gold year ends within 30 days, and she is told what keeps it.
    let (_, li) = status_of(&app, LI).await;
    assert_eq!(li["tier"], "gold");
    let by = at(&li["keep"]["by"]);
    assert!(by > now && by - now <= 30 * DAY, "{li}");
    assert_eq!(li["keep"]["by"], li["next_evaluation"]);
    // What keeps Gold: its threshold, what counts now, what pending counts by then, and the
    // rest; her recent orders' windows close after it (they count towards the next year).
    let fen = |field: &str| li["keep"][field].as_i64().unwrap();
    assert_eq!(fen("threshold"), 600_000, "{li}");
    assert!(fen("needed") > 0, "{li}");
    assert_eq!(
        fen("counted") + fen("pending_in_time") + fen("needed"),
        600_000,
        "{li}"
    );
    assert!(fen("counted") <= li["qualifying_spend"].as_i64().unwrap());
    assert!(fen("pending_after") > 0, "{li}");
    assert_eq!(
        fen("pending_in_time") + fen("pending_after"),
        li["pending_spend"].as_i64().unwrap(),
        "{li}"
    );
    assert_eq!(li["next"]["tier"], "diamond");

    // Chen: Diamond, at the top, after four years of climbing.
    let (_, chen) = status_of(&app, CHEN).await;
    assert_eq!(chen["tier"], "diamond");
    assert!(chen.get("next").is_none() && chen.get("keep").is_none());
    let steps: Vec<(&str, &str)> = chen["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["tier"].as_str().unwrap(), s["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(
        steps,
        [
            ("diamond", "upgraded"),
            ("gold", "upgraded"),
            ("silver", "upgraded"),
            ("regular", "joined")
        ]
    );
    assert_eq!(chen["tiers"].as_array().unwrap().len(), 4);

    let anonymous = client();
    assert_eq!(
        problem_code(app.get(&anonymous, "/api/loyalty/me").await).await,
        (StatusCode::UNAUTHORIZED, "unauthorized".into())
    );
}

#[tokio::test]
async fn spend_that_reaches_higher_moves_up_at_once_and_the_returns_follow_the_new_benefits() {
    let app = spawn().await;
    let (wang, before) = status_of(&app, WANG).await;
    let order = shipped_order(&app, WANG).await;
    assert_eq!(eligibility(&app, &wang, &order).await["window_days"], 30);
    assert_eq!(eligibility(&app, &wang, &order).await["pickup"]["fee"], 800);

    // Every order of his delivered long enough ago that its window has closed, even the longer
    // one Gold brings (a window that reopens would make the spend pending again): all of it counts.
    let id = customer_id(&app, WANG).await;
    let long_ago = app.state.clock.now() - 70 * DAY;
    sqlx::query(
        "UPDATE shipments SET status = 'delivered', delivered_at = $1 WHERE order_id IN \
         (SELECT id FROM orders WHERE customer_id = $2)",
    )
    .bind(long_ago)
    .bind(id)
    .execute(&app.state.db)
    .await
    .unwrap();
    sqlx::query("UPDATE orders SET total_fen = 900000 WHERE id = (SELECT MAX(id) FROM orders WHERE customer_id = $1 AND payment_state = 'paid')")
        .bind(id)
        .execute(&app.state.db)
        .await
        .unwrap();
    let now = app.state.clock.now();
    let after: Value = app.get_json(&wang, "/api/loyalty/me").await;
    assert_eq!(after["tier"], "gold", "{after}");
    assert!(after["qualifying_spend"].as_i64() > before["qualifying_spend"].as_i64());
    assert_eq!(after["history"][0]["kind"], "upgraded");
    assert!(at(&after["history"][0]["at"]) >= now);
    // A new tier year: evaluated a year from the upgrade.
    assert_eq!(
        at(&after["next_evaluation"]),
        at(&after["history"][0]["at"]) + YEAR
    );
    // Gold's benefits now apply to his returns: 45 days, free pickup.
    let offer = eligibility(&app, &wang, &order).await;
    assert_eq!(
        (offer["window_days"].clone(), offer["pickup"]["fee"].clone()),
        (json!(45), json!(0))
    );
}

#[tokio::test]
async fn when_the_tier_year_is_up_the_spend_then_decides_and_many_readers_change_it_once() {
    let app = spawn().await;
    let id = customer_id(&app, LI).await;
    // Her Gold year ended yesterday, with less spent than keeps Gold (but enough for Silver).
    let ended = app.state.clock.now() - DAY;
    sqlx::query("UPDATE customers SET tier_evaluated_at = $1 WHERE id = $2")
        .bind(ended - YEAR)
        .bind(id)
        .execute(&app.state.db)
        .await
        .unwrap();
    let li = client();
    app.sign_in(&li, LI).await;
    let reads = (0..10).map(|_| app.get_json::<Value>(&li, "/api/loyalty/me"));
    let answers = futures_util::future::join_all(reads).await;
    for answer in &answers {
        assert_eq!(answer["tier"], "silver", "{answer}");
    }
    let status = &answers[0];
    assert_eq!(status["history"][0]["kind"], "downgraded");
    assert_eq!(at(&status["history"][0]["at"]), ended);
    let downgrades: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM tier_history WHERE customer_id = $1 AND kind = 'downgraded'",
    )
    .bind(id)
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!(downgrades, 1, "ten readers, one change");
    assert_eq!(at(&status["next_evaluation"]), ended + YEAR);
}

#[tokio::test]
async fn goods_returned_for_money_stop_counting_and_an_exchange_keeps_its_spend() {
    let app = spawn().await;
    let (li, before) = status_of(&app, LI).await;
    // A counted order of hers (its window long closed), its first line returned and refunded.
    let (order_id, line_id, price): (i64, i64, i64) = sqlx::query_as(
        "SELECT o.id, i.id, i.unit_price_fen * i.quantity FROM orders o JOIN order_items i ON i.order_id = o.id \
         JOIN customers c ON c.id = o.customer_id WHERE c.email = $1 AND o.payment_state = 'paid' \
         AND o.placed_at < $2 AND o.placed_at > $3 ORDER BY o.placed_at DESC, i.position LIMIT 1",
    )
    .bind(LI)
    .bind(app.state.clock.now() - 100 * DAY)
    .bind(app.state.clock.now() - 300 * DAY)
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    let returned = |resolution: &'static str| {
        let db = app.state.db.clone();
        async move {
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO returns (number, order_id, status, reason, resolution, handover, refund_fen, created_at, updated_at) \
                 VALUES ('R29999999', $1, 'refunded', 'damaged', $2, 'drop_off', 0, 0, 0) RETURNING id",
            )
            .bind(order_id)
            .bind(resolution)
            .fetch_one(&db)
            .await
            .unwrap();
            sqlx::query("INSERT INTO return_items (return_id, order_item_id, quantity) SELECT $1, id, quantity FROM order_items WHERE id = $2")
                .bind(id)
                .bind(line_id)
                .execute(&db)
                .await
                .unwrap();
            id
        }
    };
    let id = returned("exchange").await;
    let exchanged: Value = app.get_json(&li, "/api/loyalty/me").await;
    assert_eq!(exchanged["qualifying_spend"], before["qualifying_spend"]);
    sqlx::query("UPDATE returns SET resolution = 'refund' WHERE id = $1")
        .bind(id)
        .execute(&app.state.db)
        .await
        .unwrap();
    let refunded: Value = app.get_json(&li, "/api/loyalty/me").await;
    assert_eq!(
        refunded["qualifying_spend"].as_i64().unwrap(),
        before["qualifying_spend"].as_i64().unwrap() - price
    );
    assert_eq!(refunded["tier"], "gold", "a refund never raises a tier");
}

#[tokio::test]
async fn the_return_window_is_whatever_the_tiers_benefit_says() {
    let app = spawn().await;
    sqlx::query(
        "UPDATE tier_benefits SET amount = 40 WHERE tier = 'regular' AND kind = 'return_window'",
    )
    .execute(&app.state.db)
    .await
    .unwrap();
    let wang = client();
    app.sign_in(&wang, WANG).await;
    let order = shipped_order(&app, WANG).await;
    assert_eq!(eligibility(&app, &wang, &order).await["window_days"], 40);
}
