//! The widget's pieces in a real browser (`make wasm-test`: wasm-bindgen-test in headless Chromium).

use crate::feedback::{settled, FeedbackForm};
use crate::locale::i18n::Locale;
use crate::lookup::LookupForm;
use crate::settings::Embed;
use crate::{format, mount_in, style};
use leptos::prelude::*;
use portico_api::{CalendarDate, ErrorCode, Problem};
use portico_client::ApiError;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement, ShadowRoot, ShadowRootInit, ShadowRootMode};

wasm_bindgen_test_configure!(run_in_browser);

/// A host element on the page with an open shadow root, as the loader makes them; the service
/// is an address nothing answers at.
fn embed() -> Embed {
    let host: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&host).unwrap();
    let shadow: ShadowRoot = host
        .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
        .unwrap();
    Embed::new(
        host,
        shadow,
        "http://127.0.0.1:9",
        "pk_test_partner_0001",
        Some("en"),
    )
}

fn problem(status: u16, code: ErrorCode) -> Result<std::sync::Arc<str>, ApiError> {
    Err(ApiError::Problem(Problem {
        kind: "about:blank".into(),
        title: String::new(),
        status,
        code,
        detail: None,
        retry_after_secs: None,
    }))
}

#[wasm_bindgen_test]
fn a_kept_message_is_forgotten_only_once_the_service_settled_it() {
    assert!(settled(&Ok("{}".into())));
    assert!(settled(&problem(422, ErrorCode::BadRequest)));
    assert!(settled(&problem(409, ErrorCode::ResponseIdReused)));
    assert!(!settled(&problem(429, ErrorCode::RateLimited)));
    assert!(!settled(&problem(408, ErrorCode::Unavailable)));
    assert!(!settled(&problem(503, ErrorCode::Unavailable)));
    assert!(!settled(&Err(ApiError::Network)));
    assert!(!settled(&Err(ApiError::Unexpected)));
}

#[wasm_bindgen_test]
fn the_lookup_reads_what_it_shows_from_a_whole_order_detail() {
    use crate::lookup::TrackedOrder;
    use portico_api::*;
    let checkpoint = Checkpoint {
        at: UtcTime("2026-11-26T06:30:00Z".into()),
        event: CheckpointEvent::ArrivedFacility,
        location: "上海 浦东转运中心".into(),
    };
    let detail = OrderDetail {
        number: OrderNumber::from_wire("PT20261001").unwrap(),
        placed_at: UtcTime("2026-11-20T02:00:00Z".into()),
        payment_state: PaymentState::Paid,
        amounts: Amounts {
            subtotal: Money::fen(12_900),
            shipping: Money::fen(0),
            discount: Money::fen(0),
            total: Money::fen(12_900),
        },
        items: vec![OrderItem {
            sku: "TEA-1".into(),
            name: Localized {
                zh_cn: "龙井".into(),
                en: "Longjing tea".into(),
            },
            variant: Localized {
                zh_cn: "250 克".into(),
                en: "250 g".into(),
            },
            quantity: 2,
            unit_price: Money::fen(6_450),
            final_sale: false,
            returnable_quantity: 0,
            return_by: None,
            not_returnable: Some(NotReturnable::NotDelivered),
        }],
        shipments: vec![Shipment {
            id: 7,
            carrier: Carrier::SfExpress,
            tracking_number: "SF123".into(),
            status: ShipmentStatus::InTransit,
            estimated_delivery: Some(CalendarDate("2026-11-28".into())),
            delayed: true,
            delivered_at: None,
            checkpoints: vec![checkpoint.clone()],
            items: vec![Localized {
                zh_cn: "龙井".into(),
                en: String::new(),
            }],
        }],
        address: DeliveryAddress {
            recipient: "王*".into(),
            phone: "138****1234".into(),
            province: "上海".into(),
            city: "上海".into(),
            district: "浦东".into(),
            street: None,
        },
        masked: true,
        updated_at: UtcTime("2026-11-26T06:30:00Z".into()),
        returns: vec![],
    };
    let json = serde_json::to_string(&detail).unwrap();
    let tracked: TrackedOrder = serde_json::from_str(&json).unwrap();
    assert_eq!(tracked.number, detail.number);
    assert_eq!(
        (
            crate::locale::pick(Locale::en, &tracked.items[0].name),
            crate::locale::pick(Locale::en, &tracked.items[0].variant),
            tracked.items[0].quantity
        ),
        ("Longjing tea", "250 g", 2)
    );
    let parcel = &tracked.shipments[0];
    assert_eq!(parcel.status, ShipmentStatus::InTransit);
    assert_eq!(
        parcel.estimated_delivery,
        Some(CalendarDate("2026-11-28".into()))
    );
    assert!(parcel.delayed && tracked.masked);
    assert_eq!(
        (
            parcel.checkpoints[0].at.clone(),
            parcel.checkpoints[0].location.as_str()
        ),
        (checkpoint.at, "上海 浦东转运中心")
    );
}

#[wasm_bindgen_test]
fn a_calendar_day_is_shown_in_words_and_never_shifted() {
    let day = CalendarDate("2026-11-27".into());
    let en = format::calendar_date(Locale::en, &day);
    assert!(
        en.contains("Fri") && en.contains("27") && !en.contains('-'),
        "{en}"
    );
    let zh = format::calendar_date(Locale::zh_CN, &day);
    assert!(zh.contains("11月27日") && zh.contains('五'), "{zh}");
}

#[wasm_bindgen_test]
async fn the_feedback_form_draws_in_its_shadow_root_and_adds_nothing_to_the_page() {
    let head_before = document().head().unwrap().child_element_count();
    let embed = embed();
    let shadow = embed.shadow.clone();
    style::adopt(&shadow);
    mount_in(
        &shadow,
        move || view! { <FeedbackForm embed locale=Locale::en/> },
    );
    leptos::task::tick().await;
    assert_eq!(shadow.adopted_style_sheets().length(), 1);
    let legend = shadow.query_selector("legend").unwrap().unwrap();
    assert_eq!(legend.text_content().unwrap(), "What is it about?");
    assert_eq!(
        shadow
            .query_selector_all("input[type=radio]")
            .unwrap()
            .length(),
        4 + 5
    );
    assert_eq!(
        document().head().unwrap().child_element_count(),
        head_before
    );
}

#[wasm_bindgen_test]
async fn the_lookup_form_says_what_is_wrong_and_keeps_what_was_typed() {
    let embed = embed();
    let shadow = embed.shadow.clone();
    mount_in(
        &shadow,
        move || view! { <LookupForm embed locale=Locale::en/> },
    );
    leptos::task::tick().await;
    let number: HtmlInputElement = shadow
        .query_selector("#portico-order-number")
        .unwrap()
        .unwrap()
        .unchecked_into();
    number.set_value("PT12");
    number
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    let button: HtmlElement = shadow
        .query_selector("button[type=submit]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    button.click();
    leptos::task::tick().await;
    let error = shadow
        .query_selector("#portico-order-number-error")
        .unwrap()
        .expect("the number's error is shown");
    assert_eq!(
        error.text_content().unwrap(),
        "An order number is PT followed by 8 digits, e.g. PT20261001."
    );
    let number: HtmlInputElement = shadow
        .query_selector("#portico-order-number")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert_eq!(number.value(), "PT12");
    assert_eq!(
        number.get_attribute("aria-invalid").as_deref(),
        Some("true")
    );
}

#[wasm_bindgen_test]
fn the_page_wide_tokens_outlive_the_view_that_first_read_them() {
    use crate::settings::{identity, survey_token};
    // A view reads the tokens first (as the panel does when the page passed none), then is
    // redrawn: its owner is cleaned up. The tokens must still be there for the next view.
    let owner = Owner::new();
    owner.with(|| {
        let _ = identity().get_untracked();
        let _ = survey_token().get_untracked();
    });
    owner.cleanup();
    drop(owner);
    identity().set(Some("v1.a.b".into()));
    survey_token().set(Some("1.2.c".into()));
    assert_eq!(identity().get_untracked().as_deref(), Some("v1.a.b"));
    assert_eq!(survey_token().get_untracked().as_deref(), Some("1.2.c"));
    identity().set(None);
    survey_token().set(None);
}
