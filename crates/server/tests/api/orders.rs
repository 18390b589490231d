//! Orders: the owner sees everything; anyone else, by any endpoint, sees what a missing order looks
//! like; a guest sees one order, masked.

use crate::helpers::{answer, client, client_at, problem_code, spawn, spawn_with};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::collections::HashSet;

const WANG: &str = "wang.wei@example.com";
const LI: &str = "li.na@example.com";

#[tokio::test]
async fn the_list_is_newest_first_paged_and_only_mine() {
    let app = spawn().await;
    let li = client();
    app.sign_in(&li, LI).await;
    let page: Value = app.get_json(&li, "/api/orders?page=1&per_page=5").await;
    assert_eq!(page["orders"].as_array().unwrap().len(), 5);
    assert_eq!(page["per_page"], 5);
    let total = page["total"].as_u64().unwrap();
    assert!(total >= 10, "li.na has {total} orders");
    let all: Value = app.get_json(&li, "/api/orders?per_page=50").await;
    let placed: Vec<&str> = all["orders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["placed_at"].as_str().unwrap())
        .collect();
    let mut sorted = placed.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(placed, sorted, "newest first");
    assert_eq!(placed.len() as u64, total);
    let second: Value = app.get_json(&li, "/api/orders?page=2&per_page=5").await;
    assert_eq!(second["orders"][0]["number"], all["orders"][5]["number"]);

    let wang = client();
    app.sign_in(&wang, WANG).await;
    let mine: HashSet<String> = app.order_numbers(&wang).await.into_iter().collect();
    let hers: HashSet<String> = app.order_numbers(&li).await.into_iter().collect();
    assert!(mine.is_disjoint(&hers));
}

/// The list is read separately from the detail; every line of it must say what the order says.
#[tokio::test]
async fn each_line_of_the_list_agrees_with_its_order() {
    let app = spawn().await;
    let chen = client();
    app.sign_in(&chen, "chen.jie@example.com").await;
    let list: Value = app.get_json(&chen, "/api/orders?per_page=50").await;
    let lines = list["orders"].as_array().unwrap();
    assert!(lines.len() >= 10);
    let mut two_parcels = 0;
    for line in lines {
        let number = line["number"].as_str().unwrap();
        let detail: Value = app.get_json(&chen, &format!("/api/orders/{number}")).await;
        let items = detail["items"].as_array().unwrap();
        let quantity: u64 = items.iter().map(|i| i["quantity"].as_u64().unwrap()).sum();
        assert_eq!(line["item_count"].as_u64(), Some(quantity), "{number}");
        assert_eq!(line["headline"], items[0]["name"], "{number}");
        assert_eq!(line["total"], detail["amounts"]["total"], "{number}");
        assert_eq!(line["placed_at"], detail["placed_at"], "{number}");
        let shipments = detail["shipments"].as_array().unwrap();
        assert_eq!(
            line["shipment_count"].as_u64(),
            Some(shipments.len() as u64),
            "{number}"
        );
        let statuses: Vec<&Value> = shipments.iter().map(|s| &s["status"]).collect();
        if statuses.is_empty() {
            assert!(line["status"].is_null(), "{number}");
        } else {
            assert!(statuses.contains(&&line["status"]), "{number}");
        }
        if shipments.len() > 1 {
            two_parcels += 1;
        }
    }
    assert!(
        two_parcels > 0,
        "the check covers an order with two parcels"
    );
}

#[tokio::test]
async fn another_customers_order_looks_exactly_like_a_missing_one() {
    let app = spawn().await;
    let (wang, li) = (client(), client());
    app.sign_in(&wang, WANG).await;
    app.sign_in(&li, LI).await;
    let hers = app.order_numbers(&li).await;
    let mine = app.order_numbers(&wang).await;

    let missing = answer(app.get(&wang, "/api/orders/PT99999999").await).await;
    assert_eq!(missing.0, StatusCode::NOT_FOUND);
    for number in &hers {
        let theirs = answer(app.get(&wang, &format!("/api/orders/{number}")).await).await;
        assert_eq!(theirs, missing, "{number}");
    }
    let malformed = answer(app.get(&wang, "/api/orders/not-a-number").await).await;
    assert_eq!(malformed, missing);
    let own = app.get(&wang, &format!("/api/orders/{}", mine[0])).await;
    assert_eq!(own.status(), StatusCode::OK);
    let detail: Value = own.json().await.unwrap();
    assert_eq!(detail["masked"], false);
    assert_eq!(detail["address"]["phone"], "13812341234");
    assert!(detail["address"]["street"].is_string());

    // Nobody signed in: no order, by list or by number.
    assert_eq!(
        app.get(&client(), "/api/orders").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let anonymous = app
        .get(&client(), &format!("/api/orders/{}", mine[0]))
        .await;
    assert_eq!(
        problem_code(anonymous).await,
        (StatusCode::UNAUTHORIZED, "unauthorized".into())
    );
}

#[tokio::test]
async fn a_guest_sees_one_order_masked_and_nothing_else() {
    let app = spawn().await;
    let wang = client();
    app.sign_in(&wang, WANG).await;
    let numbers = app.order_numbers(&wang).await;
    let li = client();
    app.sign_in(&li, LI).await;
    let hers = app.order_numbers(&li).await;

    let guest = client();
    let found = app
        .post(
            &guest,
            "/api/guest/lookup",
            json!({ "order_number": numbers[0], "contact": WANG }),
        )
        .await;
    assert_eq!(found.status(), StatusCode::OK);
    let detail: Value = found.json().await.unwrap();
    assert_eq!(detail["masked"], true);
    assert_eq!(detail["address"]["phone"], "138****1234");
    assert_eq!(detail["address"]["recipient"], "王*");
    assert!(detail["address"]["street"].is_null());
    let text = detail.to_string();
    assert!(
        !text.contains("13812341234") && !text.contains("张江路"),
        "{text}"
    );

    // The guest pass opens that order (still masked) and nothing else.
    let again: Value = app
        .get_json(&guest, &format!("/api/orders/{}", numbers[0]))
        .await;
    assert_eq!(again["masked"], true);
    assert_eq!(again["address"]["phone"], "138****1234");
    let missing = answer(app.get(&guest, "/api/orders/PT99999999").await).await;
    assert_eq!(
        answer(
            app.get(&guest, &format!("/api/orders/{}", numbers[1]))
                .await
        )
        .await,
        missing
    );
    assert_eq!(
        answer(app.get(&guest, &format!("/api/orders/{}", hers[0])).await).await,
        missing
    );
    assert_eq!(
        app.get(&guest, "/api/orders").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let session: Value = app.get_json(&guest, "/api/auth/session").await;
    assert_eq!(session, json!({ "customer": null }));

    // By phone too.
    let by_phone = app
        .post(
            &client(),
            "/api/guest/lookup",
            json!({ "order_number": numbers[0], "contact": "13812341234" }),
        )
        .await;
    assert_eq!(by_phone.status(), StatusCode::OK);
    // The wire takes exact forms; the app normalizes what people type.
    let lower = app
        .post(
            &client(),
            "/api/guest/lookup",
            json!({ "order_number": numbers[0].to_lowercase(), "contact": WANG }),
        )
        .await;
    assert_eq!(
        problem_code(lower).await,
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_order_number".into()
        )
    );
}

#[tokio::test]
async fn a_gift_opens_with_the_buyers_email_or_phone_and_the_recipients_phone() {
    let app = spawn().await;
    let (number, buyer_email, buyer_phone, recipient_phone): (String, String, String, String) =
        sqlx::query_as(
            "SELECT o.number, o.contact_email, c.phone, o.recipient_phone FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.recipient_phone <> c.phone ORDER BY o.id LIMIT 1",
        )
        .fetch_one(&app.state.db)
        .await
        .expect("the demo data has a gift");
    for contact in [&buyer_email, &buyer_phone, &recipient_phone] {
        let found = app
            .post(
                &client(),
                "/api/guest/lookup",
                json!({ "order_number": number, "contact": contact }),
            )
            .await;
        assert_eq!(found.status(), StatusCode::OK, "{contact}");
        let detail: Value = found.json().await.unwrap();
        assert_eq!(detail["masked"], true);
    }
    let someone_else = app
        .post(
            &client(),
            "/api/guest/lookup",
            json!({ "order_number": number, "contact": "13700000000" }),
        )
        .await;
    assert_eq!(someone_else.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_strangers_wrong_lookups_do_not_lock_the_owner_out() {
    let app = spawn_with(|config| config.trust_proxy = true).await;
    let stranger = client_at("198.51.100.9");
    let mut refused = None;
    for _ in 0..12 {
        let tried = app
            .post(
                &stranger,
                "/api/guest/lookup",
                json!({ "order_number": "PT20261001", "contact": "guess@example.com" }),
            )
            .await;
        if tried.status() != StatusCode::NOT_FOUND {
            refused = Some(problem_code(tried).await);
            break;
        }
    }
    assert_eq!(
        refused,
        Some((StatusCode::TOO_MANY_REQUESTS, "rate_limited".into()))
    );
    let (contact,): (String,) =
        sqlx::query_as("SELECT contact_email FROM orders WHERE number = 'PT20261001'")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    let owner = app
        .post(
            &client_at("203.0.113.7"),
            "/api/guest/lookup",
            json!({ "order_number": "PT20261001", "contact": contact }),
        )
        .await;
    assert_eq!(owner.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_wrong_contact_and_a_missing_order_get_the_same_answer() {
    let app = spawn().await;
    let wang = client();
    app.sign_in(&wang, WANG).await;
    let number = app.order_numbers(&wang).await.remove(0);
    let wrong_contact = answer(
        app.post(
            &client(),
            "/api/guest/lookup",
            json!({ "order_number": number, "contact": LI }),
        )
        .await,
    )
    .await;
    let no_order = answer(
        app.post(
            &client(),
            "/api/guest/lookup",
            json!({ "order_number": "PT99999998", "contact": WANG }),
        )
        .await,
    )
    .await;
    assert_eq!(wrong_contact.0, StatusCode::NOT_FOUND);
    assert_eq!(wrong_contact, no_order);
    assert!(wrong_contact.1.contains("order_not_found"));

    let malformed = app
        .post(
            &client(),
            "/api/guest/lookup",
            json!({ "order_number": "12", "contact": WANG }),
        )
        .await;
    assert_eq!(
        problem_code(malformed).await,
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_order_number".into()
        )
    );
    let bad_contact = app
        .post(
            &client(),
            "/api/guest/lookup",
            json!({ "order_number": number, "contact": "nobody" }),
        )
        .await;
    assert_eq!(
        problem_code(bad_contact).await,
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_contact".into())
    );
}

#[tokio::test]
async fn lookups_are_limited_per_requester_and_per_address() {
    let app = spawn().await;
    for _ in 0..10 {
        let tried = app
            .post(
                &client(),
                "/api/guest/lookup",
                json!({ "order_number": "PT20261001", "contact": "guess@example.com" }),
            )
            .await;
        assert_eq!(tried.status(), StatusCode::NOT_FOUND);
    }
    let limited = app
        .post(
            &client(),
            "/api/guest/lookup",
            json!({ "order_number": "PT20261001", "contact": "guess@example.com" }),
        )
        .await;
    assert_eq!(
        problem_code(limited).await,
        (StatusCode::TOO_MANY_REQUESTS, "rate_limited".into())
    );

    for i in 0..10 {
        app.post(
            &client(),
            "/api/guest/lookup",
            json!({ "order_number": format!("PT3000{:04}", i), "contact": "guess@example.com" }),
        )
        .await;
    }
    let by_address = app
        .post(
            &client(),
            "/api/guest/lookup",
            json!({ "order_number": "PT40000000", "contact": "guess@example.com" }),
        )
        .await;
    assert_eq!(
        problem_code(by_address).await,
        (StatusCode::TOO_MANY_REQUESTS, "rate_limited".into())
    );
}

#[tokio::test]
async fn the_demo_data_covers_every_parcel_state() {
    let app = spawn().await;
    let mut statuses = HashSet::new();
    let mut orders = 0;
    let mut two_parcels = false;
    let mut long_ago = false;
    // Demo dates are relative to the first start: "long ago" is judged by the service's clock.
    let half_a_year_ago = portico_server::clock::rfc3339(app.state.clock.now() - 180 * 24 * 3600).0;
    let mut final_sale = false;
    let mut carriers = HashSet::new();
    for email in [WANG, LI, "chen.jie@example.com"] {
        let browser = client();
        app.sign_in(&browser, email).await;
        for number in app.order_numbers(&browser).await {
            orders += 1;
            let detail: Value = app
                .get_json(&browser, &format!("/api/orders/{number}"))
                .await;
            let shipments = detail["shipments"].as_array().unwrap();
            two_parcels |= shipments.len() == 2;
            long_ago |= detail["placed_at"].as_str().unwrap() < half_a_year_ago.as_str();
            final_sale |= detail["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|i| i["final_sale"] == true);
            for shipment in shipments {
                statuses.insert(shipment["status"].as_str().unwrap().to_string());
                carriers.insert(shipment["carrier"].as_str().unwrap().to_string());
                let times: Vec<&str> = shipment["checkpoints"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c["at"].as_str().unwrap())
                    .collect();
                let mut newest_first = times.clone();
                newest_first.sort_by(|a, b| b.cmp(a));
                assert_eq!(times, newest_first, "{number}: checkpoints newest first");
            }
        }
    }
    assert!(orders >= 40, "{orders} orders");
    for status in portico_api::ShipmentStatus::ALL {
        assert!(
            statuses.contains(status.as_str()),
            "no {} parcel",
            status.as_str()
        );
    }
    assert!(two_parcels && long_ago && final_sale);
    assert_eq!(carriers.len(), 4, "{carriers:?}");
}

#[tokio::test]
async fn the_demo_clock_moves_a_parcel_forward() {
    let app = spawn().await;
    let wang = client();
    app.sign_in(&wang, WANG).await;
    let page: Value = app.get_json(&wang, "/api/orders?per_page=50").await;
    let moving = page["orders"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["status"] == "in_transit")
        .expect("wang.wei has a parcel in transit")["number"]
        .as_str()
        .unwrap()
        .to_string();
    let count = |detail: &Value| {
        detail["shipments"][0]["checkpoints"]
            .as_array()
            .unwrap()
            .len()
    };
    let before: Value = app.get_json(&wang, &format!("/api/orders/{moving}")).await;
    let advanced: Value = app
        .post(&client(), "/api/dev/advance-shipments", json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert!(advanced["advanced"].as_u64().unwrap() > 0);
    let after: Value = app.get_json(&wang, &format!("/api/orders/{moving}")).await;
    assert_eq!(count(&after), count(&before) + 1);
    assert_ne!(
        after["shipments"][0]["checkpoints"][0],
        before["shipments"][0]["checkpoints"][0]
    );
}

#[tokio::test]
async fn the_app_is_served_with_a_fallback_and_a_cache_policy() {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(dist.path().join("index.html"), "<html>app</html>").unwrap();
    std::fs::write(dist.path().join("portico-0123456789abcdef.js"), "js").unwrap();
    std::fs::write(dist.path().join("main-998b001133fcd40.css"), "css").unwrap();
    let static_dir = dist.path().to_path_buf();
    let app = spawn_with(move |config| config.static_dir = static_dir).await;
    let route = app.get(&client(), "/orders/PT20261001").await;
    assert_eq!(route.status(), StatusCode::OK);
    assert_eq!(route.headers()["cache-control"], "no-cache");
    assert_eq!(route.text().await.unwrap(), "<html>app</html>");
    let asset = app.get(&client(), "/portico-0123456789abcdef.js").await;
    assert_eq!(
        asset.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    // Trunk's hashes drop leading zeros: 15 digits are as hashed as 16.
    let css = app.get(&client(), "/main-998b001133fcd40.css").await;
    assert_eq!(
        css.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let config: Value = app.get_json(&client(), "/portico.config.json").await;
    assert_eq!(config["default_locale"], "zh-CN");
    assert_eq!(config["demo"], true);
}

#[tokio::test]
async fn a_signed_in_customer_can_look_up_someone_elses_order_as_a_guest() {
    let app = spawn().await;
    let li = client();
    app.sign_in(&li, LI).await;
    let hers = app.order_numbers(&li).await.remove(0);

    let wang = client();
    app.sign_in(&wang, WANG).await;
    let before = answer(app.get(&wang, &format!("/api/orders/{hers}")).await).await;
    assert_eq!(before.0, StatusCode::NOT_FOUND);
    let found = app
        .post(
            &wang,
            "/api/guest/lookup",
            json!({ "order_number": hers, "contact": LI }),
        )
        .await;
    assert_eq!(found.status(), StatusCode::OK);
    let detail: Value = app.get_json(&wang, &format!("/api/orders/{hers}")).await;
    assert_eq!(detail["masked"], true);
    assert_eq!(detail["address"]["phone"], "139****4321");
    // Still signed in as himself, with his own orders in full.
    let session: Value = app.get_json(&wang, "/api/auth/session").await;
    assert_eq!(session["customer"]["name"], "王伟");
    let mine = app.order_numbers(&wang).await;
    assert!(!mine.contains(&hers));
    let own: Value = app
        .get_json(&wang, &format!("/api/orders/{}", mine[0]))
        .await;
    assert_eq!(own["masked"], false);
}

#[tokio::test]
async fn a_stored_value_the_service_cannot_read_is_a_500_never_a_plausible_default() {
    let app = spawn().await;
    let wang = client();
    app.sign_in(&wang, WANG).await;
    let numbers = app.order_numbers(&wang).await;
    let (first, second) = (&numbers[0], &numbers[1]);
    sqlx::query("UPDATE shipments SET status = 'teleported' WHERE order_id = (SELECT id FROM orders WHERE number = $1)")
        .bind(first)
        .execute(&app.state.db)
        .await
        .unwrap();
    sqlx::query("UPDATE orders SET payment_state = 'maybe' WHERE number = $1")
        .bind(second)
        .execute(&app.state.db)
        .await
        .unwrap();
    for path in [
        format!("/api/orders/{first}"),
        format!("/api/orders/{second}"),
        "/api/orders?per_page=50".to_string(),
    ] {
        let answer = app.get(&wang, &path).await;
        assert_eq!(
            problem_code(answer).await,
            (StatusCode::INTERNAL_SERVER_ERROR, "internal".into()),
            "{path}"
        );
    }
}

#[tokio::test]
async fn the_app_goes_out_exactly_as_the_build_compressed_it() {
    let dist = tempfile::tempdir().unwrap();
    let file = "portico-0123456789abcdef_bg.wasm";
    std::fs::write(dist.path().join("index.html"), "<html>app</html>").unwrap();
    std::fs::write(dist.path().join(file), "raw wasm bytes").unwrap();
    std::fs::write(
        dist.path().join(format!("{file}.br")),
        b"brotli bytes\x00\x01",
    )
    .unwrap();
    std::fs::write(
        dist.path().join(format!("{file}.gz")),
        b"gzip bytes\x1f\x8b",
    )
    .unwrap();
    let static_dir = dist.path().to_path_buf();
    let app = spawn_with(move |config| config.static_dir = static_dir).await;
    for (accept, encoding, body) in [
        ("br, gzip", Some("br"), b"brotli bytes\x00\x01".to_vec()),
        ("gzip", Some("gzip"), b"gzip bytes\x1f\x8b".to_vec()),
        ("identity", None, b"raw wasm bytes".to_vec()),
    ] {
        let answer = client()
            .get(app.url(&format!("/{file}")))
            .header("accept-encoding", accept)
            .send()
            .await
            .unwrap();
        assert_eq!(
            answer
                .headers()
                .get("content-encoding")
                .map(|v| v.to_str().unwrap()),
            encoding,
            "{accept}"
        );
        assert_eq!(answer.bytes().await.unwrap().to_vec(), body, "{accept}");
    }
}

/// An item's name and variant come in both languages wherever an order is read (its page, its
/// parcels, the list's headline, what can be returned); an item the shop named in Chinese only
/// (`name_en`, `variant_en` NULL, as for every item before they had languages) comes with empty
/// English texts, which a reader takes the Chinese ones for.
#[tokio::test]
async fn an_item_is_named_in_both_languages_and_one_without_english_falls_back() {
    use portico_api::{Localized, OrderDetail, OrderPage, PageLocale, ReturnEligibility};
    let app = spawn().await;
    let li = client();
    app.sign_in(&li, LI).await;
    let number = app.order_numbers(&li).await.remove(0);
    let path = format!("/api/orders/{number}");
    let returnable = format!("/api/orders/{number}/returnable");
    // Each item's (name, variant), as the order reads; every other place an item is read says the same.
    let read = || async {
        let detail: OrderDetail = app.get_json(&li, &path).await;
        let list: OrderPage = app.get_json(&li, "/api/orders?per_page=50").await;
        let offer: ReturnEligibility = app.get_json(&li, &returnable).await;
        let items: Vec<(Localized, Localized)> = detail
            .items
            .iter()
            .map(|i| (i.name.clone(), i.variant.clone()))
            .collect();
        let line = list
            .orders
            .iter()
            .find(|o| o.number == detail.number)
            .unwrap();
        assert_eq!(line.headline, items[0].0);
        for shipment in &detail.shipments {
            assert!(shipment
                .items
                .iter()
                .all(|n| items.iter().any(|i| i.0 == *n)));
        }
        let offered: Vec<(Localized, Localized)> = offer
            .items
            .iter()
            .map(|i| (i.name.clone(), i.variant.clone()))
            .collect();
        assert_eq!(offered, items);
        items
    };
    let both = read().await;
    for (name, variant) in &both {
        assert!(!name.zh_cn.is_ascii(), "{name:?}");
        assert!(name.en.is_ascii() && !name.en.is_empty(), "{name:?}");
        assert_eq!(name.get(PageLocale::En), name.en);
        assert!(
            variant.en.is_ascii() && !variant.en.is_empty(),
            "{variant:?}"
        );
    }

    sqlx::query(
        "UPDATE order_items SET name_en = NULL, variant_en = NULL \
         WHERE order_id = (SELECT id FROM orders WHERE number = $1)",
    )
    .bind(&number)
    .execute(&app.state.db)
    .await
    .unwrap();
    let chinese = read().await;
    for ((name, variant), (name_before, variant_before)) in chinese.iter().zip(&both) {
        assert_eq!((&name.zh_cn, name.en.as_str()), (&name_before.zh_cn, ""));
        assert_eq!(
            (&variant.zh_cn, variant.en.as_str()),
            (&variant_before.zh_cn, "")
        );
        assert_eq!(name.get(PageLocale::En), name_before.zh_cn);
        assert_eq!(variant.get(PageLocale::En), variant_before.zh_cn);
    }
}
