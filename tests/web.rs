//! The app's pieces in a real browser (wasm-bindgen-test in headless Chromium).

use leptos::prelude::*;
use portico::components::labels;
use portico::components::shipment::ShipmentCard;
use portico::format;
use portico::locale::i18n::Locale;
use portico::locale::provide_locale;
use portico_api::{
    CalendarDate, Carrier, Checkpoint, CheckpointEvent, Localized, Money, Shipment, ShipmentStatus,
    UtcTime,
};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn money_is_shown_in_yuan_from_fen() {
    assert_eq!(format::money(Money::fen(129_900)), "¥1,299.00");
    assert_eq!(format::money(Money::fen(-2_050)), "-¥20.50");
}

#[wasm_bindgen_test]
fn dates_follow_the_language() {
    let at = UtcTime("2026-03-05T04:00:00Z".into());
    let zh = format::date(Locale::zh_CN, &at);
    let en = format::date(Locale::en, &at);
    assert!(zh.contains("2026年3月"), "{zh}");
    assert!(en.contains("Mar") && en.contains("2026"), "{en}");
    // Noon UTC is 5 March in every time zone from UTC-11 to UTC+11 (the test machines run in UTC).
    let noon = UtcTime("2026-03-05T12:00:00Z".into());
    assert_eq!(format::date(Locale::zh_CN, &noon), "2026年3月5日");
    assert_eq!(format::date(Locale::en, &noon), "5 Mar 2026");
    let with_time = format::date_time(Locale::en, &noon);
    assert!(
        with_time.starts_with("5 Mar 2026, ") && with_time.ends_with(":00"),
        "{with_time}"
    );
    // What `Date` cannot read is shown as it came.
    let odd = UtcTime("soon".into());
    assert_eq!(format::date_time(Locale::zh_CN, &odd), "soon");
}

#[wasm_bindgen_test]
fn a_calendar_date_is_never_shifted_by_the_time_zone() {
    // 27 November 2026 is a Friday wherever the browser is; the raw "2026-11-27" has no weekday.
    let day = CalendarDate("2026-11-27".into());
    let en = format::calendar_date(Locale::en, &day);
    let zh = format::calendar_date(Locale::zh_CN, &day);
    assert!(
        en.contains("Fri") && en.contains("27") && !en.contains('-'),
        "{en}"
    );
    assert!(
        zh.contains("周五") && zh.contains("27") && !zh.contains('-'),
        "{zh}"
    );
    assert_eq!((en.as_str(), zh.as_str()), ("Fri, 27 Nov", "11月27日 周五"));
}

fn shipment(checkpoints: usize, status: ShipmentStatus) -> Shipment {
    Shipment {
        id: 7,
        carrier: Carrier::SfExpress,
        tracking_number: "SF1234567890123".into(),
        status,
        estimated_delivery: Some(CalendarDate("2026-11-27".into())),
        delayed: false,
        delivered_at: None,
        checkpoints: (0..checkpoints)
            .map(|i| Checkpoint {
                at: UtcTime(format!("2026-11-2{}T08:00:00Z", 4 - i.min(4))),
                event: CheckpointEvent::ArrivedFacility,
                location: format!("上海市 转运中心 {i}"),
            })
            .collect(),
        items: vec![
            Localized {
                zh_cn: "保温杯".into(),
                en: "Vacuum flask".into(),
            },
            // Named in Chinese only: every reader gets the Chinese name.
            Localized {
                zh_cn: "龙井".into(),
                en: String::new(),
            },
        ],
    }
}

#[wasm_bindgen_test]
fn items_are_named_in_the_readers_language_else_in_the_other() {
    let items = shipment(1, ShipmentStatus::InTransit).items;
    assert_eq!(
        portico::locale::pick_all(Locale::en, &items),
        "Vacuum flask, 龙井"
    );
    assert_eq!(
        portico::locale::pick_all(Locale::zh_CN, &items),
        "保温杯、龙井"
    );
}

/// Draws a parcel card the way the order page does: redrawn whenever `shipment` changes.
fn mount_live(shipment: RwSignal<Shipment>) -> web_sys::HtmlElement {
    let document = document();
    let host = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    let host: web_sys::HtmlElement = host.unchecked_into();
    let handle = leptos::mount::mount_to(host.clone(), move || {
        provide_locale(Locale::zh_CN);
        let expanded = RwSignal::new(Vec::new());
        move || view! { <ShipmentCard shipment=shipment.get() position=1 count=1 expanded/> }
    });
    handle.forget();
    host
}

fn mount(shipment: Shipment) -> web_sys::HtmlElement {
    mount_live(RwSignal::new(shipment))
}

fn show_more_button(host: &web_sys::HtmlElement) -> web_sys::HtmlElement {
    host.query_selector("button[aria-expanded]")
        .unwrap()
        .expect("a show-more button")
        .unchecked_into()
}

#[wasm_bindgen_test]
async fn the_timeline_shows_three_checkpoints_then_all_on_request() {
    let host = mount(shipment(5, ShipmentStatus::InTransit));
    let rows = || host.query_selector_all(".timeline li").unwrap().length();
    assert_eq!(rows(), 3);
    let more = show_more_button(&host);
    assert_eq!(
        more.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    more.click();
    gloo_timers::future::TimeoutFuture::new(0).await;
    assert_eq!(rows(), 5);
    assert_eq!(more.get_attribute("aria-expanded").as_deref(), Some("true"));
}

#[wasm_bindgen_test]
fn a_parcel_in_trouble_says_what_to_do_next() {
    let host = mount(shipment(2, ShipmentStatus::Exception));
    let note = host
        .query_selector(".notice-warn")
        .unwrap()
        .expect("a next-action notice");
    let expected = labels::next_action(Locale::zh_CN, ShipmentStatus::Exception)
        .expect("an exception has a next action");
    assert!(
        note.text_content().unwrap_or_default().contains(&expected),
        "{:?} should say {expected}",
        note.text_content()
    );
    assert!(host
        .query_selector("button[aria-expanded]")
        .unwrap()
        .is_none());

    let calm = mount(shipment(2, ShipmentStatus::InTransit));
    assert!(calm.query_selector(".notice-warn").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn an_opened_timeline_stays_open_when_the_parcel_is_redrawn() {
    let parcel = RwSignal::new(shipment(5, ShipmentStatus::InTransit));
    let host = mount_live(parcel);
    let rows = || host.query_selector_all(".timeline li").unwrap().length();
    show_more_button(&host).click();
    gloo_timers::future::TimeoutFuture::new(0).await;
    assert_eq!(rows(), 5);

    // A refresh brings a new checkpoint: the card is redrawn and stays open.
    parcel.set(shipment(6, ShipmentStatus::InTransit));
    gloo_timers::future::TimeoutFuture::new(0).await;
    assert_eq!(rows(), 6);
    assert_eq!(
        show_more_button(&host)
            .get_attribute("aria-expanded")
            .as_deref(),
        Some("true")
    );
}

#[wasm_bindgen_test]
fn signing_in_leads_back_to_a_page_of_this_site_only() {
    use portico::session::{after_sign_in, sign_in_href};
    assert_eq!(
        after_sign_in(Some("/orders/PT20261032")),
        "/orders/PT20261032"
    );
    assert_eq!(after_sign_in(Some("/orders?page=2")), "/orders?page=2");
    for elsewhere in [
        "//evil.example",
        "/\\evil.example",
        "https://evil.example",
        "javascript:alert(1)",
        "/sign-in?next=/orders",
        "",
    ] {
        assert_eq!(after_sign_in(Some(elsewhere)), "/orders", "{elsewhere}");
    }
    assert_eq!(after_sign_in(None), "/orders");
    assert_eq!(
        sign_in_href("/orders?page=2"),
        "/sign-in?next=%2Forders%3Fpage%3D2"
    );
}

#[wasm_bindgen_test]
fn a_pickup_window_is_one_day_and_two_times() {
    // Two hours from 11:00 UTC: the same day in every time zone from UTC-11 to UTC+10.
    let starts = UtcTime("2026-11-28T11:00:00Z".into());
    let ends = UtcTime("2026-11-28T13:00:00Z".into());
    let en = format::window(Locale::en, &starts, &ends);
    let zh = format::window(Locale::zh_CN, &starts, &ends);
    let minutes = |text: &str| text.matches(":00").count();
    assert!(
        en.starts_with("Sat, 28 Nov ") && en.contains('–') && minutes(&en) == 2,
        "{en}"
    );
    assert!(
        zh.starts_with("11月28日 周六 ") && zh.contains('–') && minutes(&zh) == 2,
        "{zh}"
    );
    // Unreadable times are shown as they came.
    let odd = UtcTime("soon".into());
    assert_eq!(
        format::window(Locale::en, &odd, &ends),
        format!("soon–{}", ends.0)
    );
}

/// What editors might type to run script, each put in every text of a page's blocks.
const PAYLOADS: [&str; 8] = [
    "<script>window.pwned = 1</script>",
    "<img src=x onerror=\"window.pwned = 1\">",
    "<svg onload=\"window.pwned = 1\"><script>1</script></svg>",
    "<math><mi xlink:href=\"javascript:window.pwned=1\">x</mi></math>",
    "&lt;script&gt;window.pwned = 1&lt;/script&gt;",
    "<a href=\"javascript:window.pwned = 1\">click</a>",
    "\"><iframe srcdoc=\"<script>parent.pwned=1</script>\">",
    "**<b onmouseover=\"window.pwned = 1\">bold</b>**",
];

#[wasm_bindgen_test]
fn whatever_an_editor_types_is_drawn_as_text_never_as_markup() {
    use portico::components::blocks::blocks;
    use portico_api::{BenefitCard, Block, FaqItem, Inline, RichBlock};
    let text = |s: &str| Inline::Text { text: s.into() };
    for payload in PAYLOADS {
        let page = vec![
            Block::Hero {
                title: payload.into(),
                subtitle: Some(payload.into()),
            },
            Block::RichText {
                body: vec![
                    RichBlock::Heading {
                        level: 2,
                        inlines: vec![text(payload)],
                    },
                    RichBlock::Paragraph {
                        inlines: vec![
                            Inline::Emphasis {
                                children: vec![text(payload)],
                            },
                            Inline::Link {
                                href: "/orders".into(),
                                children: vec![text(payload)],
                            },
                        ],
                    },
                    RichBlock::List {
                        ordered: false,
                        items: vec![vec![text(payload)]],
                    },
                ],
            },
            Block::BenefitGrid {
                items: vec![BenefitCard {
                    title: payload.into(),
                    text: payload.into(),
                }],
            },
            Block::Faq {
                items: vec![FaqItem {
                    question: payload.into(),
                    answer: vec![RichBlock::Paragraph {
                        inlines: vec![text(payload)],
                    }],
                }],
            },
            Block::CallToAction {
                label: payload.into(),
                href: "/benefits".into(),
            },
        ];
        let document = document();
        let host: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
        document.body().unwrap().append_child(&host).unwrap();
        let drawn = page.clone();
        leptos::mount::mount_to(host.clone(), move || {
            provide_locale(Locale::en);
            blocks(Locale::en, &drawn, None)
        })
        .forget();

        for tag in ["script", "img", "svg", "math", "iframe", "b"] {
            assert!(
                host.query_selector(tag).unwrap().is_none(),
                "{tag} from {payload}"
            );
        }
        let every = host.query_selector_all("*").unwrap();
        for i in 0..every.length() {
            let element: web_sys::Element = every.item(i).unwrap().unchecked_into();
            let names = element.get_attribute_names();
            for n in 0..names.length() {
                let name = names.get(n).as_string().unwrap();
                assert!(
                    !name.starts_with("on"),
                    "{name} on <{}> from {payload}",
                    element.tag_name()
                );
            }
            if let Some(href) = element.get_attribute("href") {
                assert!(
                    href == "/orders" || href == "/benefits",
                    "{href} from {payload}"
                );
            }
        }
        // Every one of the 11 texts is there, as the editor typed it.
        let shown = host.text_content().unwrap_or_default();
        assert_eq!(shown.matches(payload).count(), 11, "{payload} in {shown}");
        let pwned = js_sys::Reflect::get(&window(), &"pwned".into()).unwrap();
        assert!(pwned.is_undefined(), "{payload} ran");
        host.remove();
    }
}

#[wasm_bindgen_test]
fn a_survey_question_draws_its_options_as_text_and_reports_the_choice() {
    use portico::components::survey_question::question;
    use portico_api::{Answer, AnswerValue, Choice, Localized, Question, QuestionKind};
    let payload = PAYLOADS[0];
    let words = |s: &str| Localized {
        zh_cn: s.into(),
        en: s.into(),
    };
    let multiple = Question {
        id: "reasons".into(),
        prompt: words(payload),
        answer: QuestionKind::Multiple {
            options: vec![
                Choice {
                    id: "late".into(),
                    label: words(payload),
                },
                Choice {
                    id: "damaged".into(),
                    label: words("damaged"),
                },
            ],
        },
        required: true,
        show_if: None,
    };
    let nps = Question {
        id: "score".into(),
        prompt: words("How likely?"),
        answer: QuestionKind::Nps,
        required: true,
        show_if: None,
    };
    let document = document();
    let host: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    let answers = RwSignal::new(Vec::<Answer>::new());
    let reported = RwSignal::new(Vec::<(String, Option<AnswerValue>)>::new());
    leptos::mount::mount_to(host.clone(), move || {
        provide_locale(Locale::en);
        let report = Callback::new(move |answer| reported.update(|all| all.push(answer)));
        let missing = RwSignal::new(None);
        view! {
            {question(multiple.clone(), answers, missing, report, report)}
            {question(nps.clone(), answers, missing, report, report)}
        }
    })
    .forget();

    for tag in ["script", "img", "b"] {
        assert!(host.query_selector(tag).unwrap().is_none(), "{tag}");
    }
    assert!(host.text_content().unwrap().contains(payload));
    let boxes = host.query_selector_all("input[type=checkbox]").unwrap();
    assert_eq!(boxes.length(), 2);
    let radios = host.query_selector_all("input[type=radio]").unwrap();
    assert_eq!(radios.length(), 11, "NPS runs 0 to 10");

    let second: web_sys::HtmlElement = boxes.item(1).unwrap().unchecked_into();
    second.click();
    let ten: web_sys::HtmlElement = radios.item(10).unwrap().unchecked_into();
    ten.click();
    assert_eq!(
        reported.get_untracked(),
        vec![
            (
                "reasons".to_string(),
                Some(AnswerValue::Choices(vec!["damaged".into()]))
            ),
            ("score".to_string(), Some(AnswerValue::Score(10))),
        ]
    );
}
