//! Demo data, written once into an empty database: three customers and their orders, covering
//! every parcel state. Deterministic (fixed seed) and relative to the first start's clock, so
//! "in transit" parcels are in transit whenever the demo starts.

use portico_api::{CheckpointEvent, ShipmentStatus, TierChangeKind};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sqlx::AnyPool;
use TierChangeKind::{Joined, Upgraded};

pub struct DemoCustomer {
    pub name: &'static str,
    pub email: &'static str,
    pub phone: &'static str,
    pub tier: &'static str,
    address: (&'static str, &'static str, &'static str, &'static str),
    /// Their tier history, oldest first: (tier, how, days ago). The last step began the current
    /// tier year. Wang is a few hundred yuan from Silver; Li's Gold year ends in 20 days with
    /// less spent than keeps it; Chen climbed to Diamond over four years.
    history: &'static [(&'static str, TierChangeKind, i64)],
}

pub const DEMO_CUSTOMERS: [DemoCustomer; 3] = [
    DemoCustomer {
        name: "王伟",
        email: "wang.wei@example.com",
        phone: "13812341234",
        tier: "regular",
        address: ("上海市", "上海市", "浦东新区", "张江路 88 弄 6 号 1202 室"),
        history: &[("regular", Joined, 340)],
    },
    DemoCustomer {
        name: "李娜",
        email: "li.na@example.com",
        phone: "13987654321",
        tier: "gold",
        address: (
            "浙江省",
            "杭州市",
            "西湖区",
            "文三路 478 号华星时代广场 A 座 1506 室",
        ),
        history: &[
            ("regular", Joined, 1100),
            ("silver", Upgraded, 700),
            ("gold", Upgraded, 345),
        ],
    },
    DemoCustomer {
        name: "陈杰",
        email: "chen.jie@example.com",
        phone: "13700001111",
        tier: "diamond",
        address: (
            "广东省",
            "深圳市",
            "南山区",
            "深南大道 9988 号华润置地大厦 2 栋 3301 室",
        ),
        history: &[
            ("regular", Joined, 1500),
            ("silver", Upgraded, 1180),
            ("gold", Upgraded, 800),
            ("diamond", Upgraded, 200),
        ],
    },
];

/// (name, variant, price in fen, final sale); each text as (Chinese, English).
const PRODUCTS: [(Text, Text, i64, bool); 20] = [
    (
        ("轻薄羽绒服", "Light down jacket"),
        ("藏青色 L", "Navy L"),
        89_900,
        false,
    ),
    (
        ("无线降噪耳机", "Wireless noise-cancelling headphones"),
        ("星光白", "Starlight white"),
        129_900,
        false,
    ),
    (
        ("不锈钢保温杯", "Stainless steel vacuum flask"),
        ("500ml 雾霾蓝", "500 ml haze blue"),
        8_900,
        false,
    ),
    (
        ("纯棉四件套", "Cotton bedding set (4 pieces)"),
        ("1.8 米床 燕麦色", "1.8 m bed, oatmeal"),
        45_900,
        false,
    ),
    (
        ("跑步鞋", "Running shoes"),
        ("42 码 黑白", "Size 42, black and white"),
        59_900,
        false,
    ),
    (("羊毛围巾", "Wool scarf"), ("驼色", "Camel"), 29_900, false),
    (
        ("智能手环", "Fitness band"),
        ("曜石黑", "Obsidian black"),
        24_900,
        false,
    ),
    (
        ("真丝睡衣套装", "Silk pyjama set"),
        ("香槟色 M", "Champagne M"),
        39_900,
        true,
    ),
    (
        ("清仓 T 恤三件装", "Clearance T-shirts (pack of 3)"),
        ("混色 XL", "Mixed colours XL"),
        9_900,
        true,
    ),
    (
        ("电动牙刷", "Electric toothbrush"),
        ("珍珠白", "Pearl white"),
        19_900,
        false,
    ),
    (
        ("空气炸锅", "Air fryer"),
        ("4.5L 奶白", "4.5 L cream white"),
        39_900,
        false,
    ),
    (
        ("机械键盘", "Mechanical keyboard"),
        ("87 键 茶轴", "87 keys, brown switches"),
        49_900,
        false,
    ),
    (
        ("双肩电脑包", "Laptop backpack"),
        ("15.6 英寸 灰色", "15.6 inch, grey"),
        21_900,
        false,
    ),
    (
        ("有机绿茶礼盒", "Organic green tea gift box"),
        ("250g", "250 g"),
        16_800,
        false,
    ),
    (
        ("儿童绘本套装", "Children's picture book set"),
        ("10 册", "10 books"),
        12_800,
        false,
    ),
    (
        ("瑜伽垫", "Yoga mat"),
        ("6mm 薄荷绿", "6 mm mint green"),
        13_900,
        false,
    ),
    (
        ("香薰蜡烛", "Scented candle"),
        ("白茶 200g", "White tea 200 g"),
        8_800,
        true,
    ),
    (
        ("陶瓷餐具套装", "Ceramic tableware set"),
        ("16 件 米白", "16 pieces, off-white"),
        32_900,
        false,
    ),
    (
        ("折叠雨伞", "Folding umbrella"),
        ("深灰", "Dark grey"),
        6_900,
        false,
    ),
    (
        ("蓝牙音箱", "Bluetooth speaker"),
        ("便携款 森林绿", "Portable, forest green"),
        34_900,
        false,
    ),
];

/// A text of the demo catalogue: (Chinese, English).
type Text = (&'static str, &'static str);

/// Each product's other variants (size, colour) with their stock, in the order of [`PRODUCTS`]
/// (whose own variant, the one the demo orders sell, has [`ORDERED_STOCK`]). Every variant of a
/// product sells at the product's price. Some are out of stock (the down jacket's XL, the running
/// shoes' all-black) and the headphones' mist blue has exactly one unit left.
const OTHER_VARIANTS: [&[(Text, i64)]; 20] = [
    &[
        (("藏青色 M", "Navy M"), 5),
        (("藏青色 XL", "Navy XL"), 0),
        (("黑色 L", "Black L"), 3),
    ],
    &[
        (("午夜黑", "Midnight black"), 4),
        (("雾霾蓝", "Haze blue"), 1),
    ],
    &[
        (("500ml 樱花粉", "500 ml blossom pink"), 12),
        (("500ml 燕麦色", "500 ml oatmeal"), 6),
    ],
    &[
        (("1.5 米床 燕麦色", "1.5 m bed, oatmeal"), 4),
        (("1.8 米床 雾灰色", "1.8 m bed, mist grey"), 3),
    ],
    &[
        (("41 码 黑白", "Size 41, black and white"), 2),
        (("43 码 黑白", "Size 43, black and white"), 2),
        (("42 码 全黑", "Size 42, all black"), 0),
    ],
    &[(("燕麦色", "Oatmeal"), 6), (("酒红色", "Burgundy"), 3)],
    &[(("珍珠白", "Pearl white"), 8)],
    &[(("香槟色 L", "Champagne L"), 2)],
    &[],
    &[(("星空蓝", "Starry blue"), 5)],
    &[
        (("4.5L 薄荷绿", "4.5 L mint green"), 3),
        (("4.5L 雾灰", "4.5 L mist grey"), 2),
    ],
    &[
        (("87 键 红轴", "87 keys, red switches"), 4),
        (("87 键 青轴", "87 keys, blue switches"), 2),
    ],
    &[
        (("15.6 英寸 黑色", "15.6 inch, black"), 5),
        (("15.6 英寸 藏青", "15.6 inch, navy"), 3),
    ],
    &[],
    &[],
    &[
        (("6mm 樱花粉", "6 mm blossom pink"), 7),
        (("6mm 午夜蓝", "6 mm midnight blue"), 4),
    ],
    &[(("无花果 200g", "Fig 200 g"), 5)],
    &[(("16 件 雾蓝", "16 pieces, mist blue"), 3)],
    &[
        (("藏青", "Navy"), 9),
        (("墨绿", "Dark green"), 4),
        (("酒红", "Burgundy"), 2),
    ],
    &[
        (("便携款 曜石黑", "Portable, obsidian black"), 6),
        (("便携款 珊瑚橙", "Portable, coral orange"), 3),
    ],
];

/// Units in stock of the variant each demo order sold.
const ORDERED_STOCK: i64 = 10;

/// The product key of `PRODUCTS[index]`.
pub fn product_key(index: usize) -> String {
    format!("P{:02}", index + 1)
}

/// The sku of variant `variant` of `PRODUCTS[index]`: 0 is the one the demo orders sell, then
/// [`OTHER_VARIANTS`] in order.
pub fn variant_sku(index: usize, variant: usize) -> String {
    format!("SKU-{:02}-{}", index + 1, variant)
}

const WAREHOUSES: [&str; 4] = [
    "广州市 白云区 华南仓",
    "上海市 青浦区 华东仓",
    "北京市 大兴区 华北仓",
    "武汉市 东西湖区 华中仓",
];

const HUBS: [&str; 6] = [
    "上海 浦东转运中心",
    "杭州 萧山转运中心",
    "深圳 宝安转运中心",
    "南京 江宁转运中心",
    "长沙 望城转运中心",
    "成都 双流转运中心",
];

const CARRIERS: [&str; 4] = ["sf_express", "jd_logistics", "zto", "ems"];

/// What happened to one parcel.
#[derive(Clone, Copy, PartialEq)]
enum Journey {
    Preparing,
    InfoReceived,
    InTransit,
    WeatherDelay,
    OutForDelivery,
    Delivered,
    DeliveryAttempted,
    Exception,
    ReturnedToSender,
}

/// An order's story: its parcels' journeys and how many days ago it was placed.
struct Scenario {
    journeys: &'static [Journey],
    days_ago: i64,
}

const fn s(journeys: &'static [Journey], days_ago: i64) -> Scenario {
    Scenario { journeys, days_ago }
}

use Journey::*;

/// Wang Wei (Regular) has a few orders in every interesting state.
const WANG: [Scenario; 8] = [
    s(&[InTransit], 1),
    s(&[OutForDelivery], 2),
    s(&[Exception], 4),
    s(&[Delivered, InTransit], 3),
    s(&[InfoReceived], 0),
    s(&[Delivered], 12),
    s(&[DeliveryAttempted], 3),
    s(&[Delivered], 210),
];

const LI: [Scenario; 16] = [
    s(&[InTransit], 1),
    s(&[WeatherDelay], 5),
    s(&[ReturnedToSender], 20),
    s(&[Delivered, Delivered], 9),
    s(&[Delivered], 15),
    s(&[Delivered], 28),
    s(&[Delivered], 35),
    s(&[Delivered], 47),
    s(&[Delivered], 63),
    s(&[Delivered], 90),
    s(&[Delivered], 120),
    s(&[Delivered], 160),
    s(&[Delivered], 200),
    s(&[Delivered], 250),
    s(&[Preparing], 0),
    s(&[OutForDelivery], 2),
];

const CHEN: [Scenario; 20] = [
    s(&[InTransit, InfoReceived], 1),
    s(&[Delivered], 4),
    s(&[DeliveryAttempted], 3),
    s(&[Delivered], 8),
    s(&[Delivered], 11),
    s(&[Delivered, Delivered], 17),
    s(&[Delivered], 22),
    s(&[Delivered], 26),
    s(&[Exception], 6),
    s(&[Delivered], 40),
    s(&[Delivered], 55),
    s(&[Delivered], 70),
    s(&[Delivered], 85),
    s(&[Delivered], 100),
    s(&[Delivered], 130),
    s(&[Delivered], 150),
    s(&[Delivered], 180),
    s(&[Delivered], 240),
    s(&[Delivered], 300),
    s(&[InTransit], 2),
];

const HOUR: i64 = 3600;
const DAY: i64 = 24 * HOUR;

struct Parcel {
    carrier: &'static str,
    tracking: String,
    status: ShipmentStatus,
    estimated: Option<String>,
    first_estimate: Option<String>,
    delivered_at: Option<i64>,
    checkpoints: Vec<(i64, CheckpointEvent, String)>,
    route: Vec<&'static str>,
}

fn tracking_number(rng: &mut StdRng, carrier: &str) -> String {
    let digits = |rng: &mut StdRng, n: usize| -> String {
        (0..n)
            .map(|_| char::from(b'0' + rng.gen_range(0..10u8)))
            .collect()
    };
    match carrier {
        "sf_express" => format!("SF{}", digits(rng, 13)),
        "jd_logistics" => format!("JDX{}", digits(rng, 12)),
        "zto" => format!("7{}", digits(rng, 13)),
        _ => format!("11{}", digits(rng, 11)),
    }
}

/// Builds one parcel's history between `placed` and `now`.
fn parcel(
    rng: &mut StdRng,
    journey: Journey,
    placed: i64,
    now: i64,
    city: &str,
    district: &str,
) -> Parcel {
    let carrier = CARRIERS[rng.gen_range(0..CARRIERS.len())];
    let warehouse = WAREHOUSES[rng.gen_range(0..WAREHOUSES.len())];
    let hub_a = HUBS[rng.gen_range(0..HUBS.len())];
    let hub_b = HUBS[rng.gen_range(0..HUBS.len())];
    let local = format!("{city}{district} 营业部");
    use CheckpointEvent as E;
    let full: Vec<(E, String)> = vec![
        (E::LabelCreated, warehouse.to_string()),
        (E::PickedUp, warehouse.to_string()),
        (E::DepartedFacility, warehouse.to_string()),
        (E::ArrivedFacility, hub_a.to_string()),
        (E::DepartedFacility, hub_a.to_string()),
        (E::ArrivedFacility, hub_b.to_string()),
        (E::OutForDelivery, local.clone()),
        (E::Delivered, local.clone()),
    ];
    let (events, status): (Vec<(E, String)>, ShipmentStatus) = match journey {
        Preparing => (vec![], ShipmentStatus::InfoReceived),
        InfoReceived => (full[..1].to_vec(), ShipmentStatus::InfoReceived),
        InTransit => (full[..4].to_vec(), ShipmentStatus::InTransit),
        WeatherDelay => {
            let mut e = full[..4].to_vec();
            e.push((E::WeatherDelay, hub_a.to_string()));
            (e, ShipmentStatus::InTransit)
        }
        OutForDelivery => (full[..7].to_vec(), ShipmentStatus::OutForDelivery),
        Delivered => (full.clone(), ShipmentStatus::Delivered),
        DeliveryAttempted => {
            let mut e = full[..7].to_vec();
            e.push((E::DeliveryAttempted, local.clone()));
            (e, ShipmentStatus::DeliveryAttempted)
        }
        Exception => {
            let mut e = full[..6].to_vec();
            e.push((E::AddressIssue, hub_b.to_string()));
            (e, ShipmentStatus::Exception)
        }
        ReturnedToSender => {
            let mut e = full[..7].to_vec();
            e.push((E::DeliveryAttempted, local.clone()));
            e.push((E::DeliveryAttempted, local.clone()));
            e.push((E::ReturnedToSender, warehouse.to_string()));
            (e, ShipmentStatus::ReturnedToSender)
        }
    };
    // Spread the checkpoints from two hours after the order to the end of its journey.
    let start = placed + 2 * HOUR;
    let end = match journey {
        Delivered | ReturnedToSender => placed + rng.gen_range(2..5) * DAY,
        _ => now - 20 * 60,
    }
    .min(now - 20 * 60)
    .max(start + HOUR);
    let step = (end - start) / (events.len().max(2) as i64 - 1);
    let checkpoints: Vec<_> = events
        .into_iter()
        .enumerate()
        .map(|(i, (event, location))| {
            (
                start + step * i as i64 + rng.gen_range(0..600),
                event,
                location,
            )
        })
        .collect();
    let first_estimate = crate::clock::china_date(placed + 3 * DAY);
    let (estimated, first) = match journey {
        Delivered | ReturnedToSender => (None, Some(first_estimate)),
        WeatherDelay | Exception => (
            Some(crate::clock::china_date(now + 2 * DAY)),
            Some(first_estimate),
        ),
        _ => (Some(first_estimate.clone()), Some(first_estimate)),
    };
    let delivered_at = (journey == Delivered)
        .then(|| checkpoints.last().map(|c| c.0))
        .flatten();
    // What a moving parcel still has ahead, for the demo's advancing clock.
    let route = match journey {
        InTransit | WeatherDelay => vec![hub_a, hub_b, hub_b],
        _ => vec![hub_a],
    };
    Parcel {
        carrier,
        tracking: tracking_number(rng, carrier),
        status,
        estimated,
        first_estimate: first,
        delivered_at,
        checkpoints,
        route,
    }
}

struct DraftOrder {
    customer: usize,
    placed: i64,
    scenario: &'static Scenario,
}

/// Fills an empty database with the demo customers and their orders.
pub async fn seed_if_empty(db: &AnyPool, now: i64) -> Result<(), sqlx::Error> {
    let customers: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM customers")
        .fetch_one(db)
        .await?;
    if customers > 0 {
        return Ok(());
    }
    let mut rng = StdRng::seed_from_u64(2026);
    let mut tx = db.begin().await?;
    for customer in &DEMO_CUSTOMERS {
        let began = customer
            .history
            .last()
            .map_or(now, |(.., days)| now - days * DAY);
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO customers (email, phone, name, tier, tier_evaluated_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(customer.email)
        .bind(customer.phone)
        .bind(customer.name)
        .bind(customer.tier)
        .bind(began)
        .fetch_one(&mut *tx)
        .await?;
        for (tier, kind, days_ago) in customer.history {
            crate::loyalty::record(&mut tx, id, tier, *kind, now - days_ago * DAY).await?;
        }
    }
    // The catalogue: every product's variants, the one sold first.
    for (index, product) in PRODUCTS.iter().enumerate() {
        let variants = std::iter::once((product.1, ORDERED_STOCK))
            .chain(OTHER_VARIANTS[index].iter().copied());
        for (variant, ((label, label_en), stock)) in variants.enumerate() {
            sqlx::query(
                "INSERT INTO variants (sku, product, variant, variant_en, stock) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(variant_sku(index, variant))
            .bind(product_key(index))
            .bind(label)
            .bind(label_en)
            .bind(stock)
            .execute(&mut *tx)
            .await?;
        }
    }
    let mut drafts: Vec<DraftOrder> = Vec::new();
    for (customer, scenarios) in [&WANG[..], &LI[..], &CHEN[..]].into_iter().enumerate() {
        for scenario in scenarios {
            let placed = now - scenario.days_ago * DAY - rng.gen_range(3 * HOUR..10 * HOUR);
            drafts.push(DraftOrder {
                customer,
                placed,
                scenario,
            });
        }
    }
    // Order numbers grow with time, as a shop's would.
    drafts.sort_by_key(|d| d.placed);
    for (index, draft) in drafts.iter().enumerate() {
        let customer = &DEMO_CUSTOMERS[draft.customer];
        let number = format!("PT2026{:04}", 1001 + index);
        let (province, city, district, street) = customer.address;
        // Now and then a gift goes to a relative in another city.
        let gift = draft.customer == 2 && index % 5 == 0;
        let (recipient, phone, province, city, district, street) = if gift {
            (
                "陈秀英",
                "13600002222",
                "四川省",
                "成都市",
                "武侯区",
                "人民南路四段 27 号 5 栋 2 单元 801",
            )
        } else {
            (
                customer.name,
                customer.phone,
                province,
                city,
                district,
                street,
            )
        };
        let item_count = rng.gen_range(1..=3).max(draft.scenario.journeys.len());
        let mut items = Vec::new();
        for position in 0..item_count {
            let index = rng.gen_range(0..PRODUCTS.len());
            let product = PRODUCTS[index];
            let quantity = if product.2 < 10_000 {
                rng.gen_range(1..=3)
            } else {
                1
            };
            let shipment = (position % draft.scenario.journeys.len()) as i64;
            items.push((position as i64, shipment, index, product, quantity as i64));
        }
        let subtotal: i64 = items.iter().map(|(_, _, _, p, q)| p.2 * q).sum();
        let shipping = if subtotal >= 9_900 { 0 } else { 1_000 };
        let discount = if subtotal > 50_000 { 5_000 } else { 0 };
        let total = subtotal + shipping - discount;
        let journeys = draft.scenario.journeys;
        let payment = if journeys.contains(&ReturnedToSender) {
            "refunded"
        } else if journeys.contains(&Preparing) {
            "pending"
        } else if index == 7 {
            "partially_refunded"
        } else {
            "paid"
        };
        let order_id: i64 = sqlx::query_scalar(
            "INSERT INTO orders (number, customer_id, placed_at, updated_at, payment_state, subtotal_fen, shipping_fen, discount_fen, total_fen, contact_email, recipient, recipient_phone, province, city, district, street) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id",
        )
        .bind(&number)
        .bind(draft.customer as i64 + 1)
        .bind(draft.placed)
        .bind(draft.placed)
        .bind(payment)
        .bind(subtotal)
        .bind(shipping)
        .bind(discount)
        .bind(total)
        .bind(customer.email)
        .bind(recipient)
        .bind(phone)
        .bind(province)
        .bind(city)
        .bind(district)
        .bind(street)
        .fetch_one(&mut *tx)
        .await?;
        for (position, shipment, index, product, quantity) in &items {
            sqlx::query(
                "INSERT INTO order_items (order_id, position, shipment_position, sku, name, name_en, variant, variant_en, quantity, unit_price_fen, final_sale) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            )
            .bind(order_id)
            .bind(position)
            .bind((!journeys.contains(&Preparing)).then_some(*shipment))
            .bind(variant_sku(*index, 0))
            .bind(product.0 .0)
            .bind(product.0 .1)
            .bind(product.1 .0)
            .bind(product.1 .1)
            .bind(quantity)
            .bind(product.2)
            .bind(product.3)
            .execute(&mut *tx)
            .await?;
        }
        let mut last_change = draft.placed;
        for (position, journey) in journeys.iter().enumerate() {
            if *journey == Preparing {
                continue;
            }
            let parcel = parcel(&mut rng, *journey, draft.placed, now, city, district);
            let shipment_id: i64 = sqlx::query_scalar(
                "INSERT INTO shipments (order_id, position, carrier, tracking_number, status, estimated_delivery, first_estimate, delivered_at, route, route_step) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0) RETURNING id",
            )
            .bind(order_id)
            .bind(position as i64)
            .bind(parcel.carrier)
            .bind(&parcel.tracking)
            .bind(parcel.status.as_str())
            .bind(&parcel.estimated)
            .bind(&parcel.first_estimate)
            .bind(parcel.delivered_at)
            .bind(parcel.route.join("|"))
            .fetch_one(&mut *tx)
            .await?;
            for (at, event, location) in &parcel.checkpoints {
                last_change = last_change.max(*at);
                sqlx::query(
                    "INSERT INTO checkpoints (shipment_id, at, event, location) VALUES ($1, $2, $3, $4)",
                )
                .bind(shipment_id)
                .bind(at)
                .bind(event.as_str())
                .bind(location)
                .execute(&mut *tx)
                .await?;
            }
        }
        sqlx::query("UPDATE orders SET updated_at = $1 WHERE id = $2")
            .bind(last_change)
            .bind(order_id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}
