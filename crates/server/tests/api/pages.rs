//! Benefit pages: only the newest published version whose time has come is read, in the language
//! asked; a tier's page is for that tier's signed-in members, and looks missing to anyone else.

use crate::helpers::{client, problem_code, spawn, TestApp};
use portico_api::{Audience, BenefitPage, Block, PageLocale};
use portico_server::content::{create_page, save_version, NewVersion, PageCopy, StoredBlock};
use reqwest::StatusCode;

const WANG: &str = "wang.wei@example.com"; // regular
const LI: &str = "li.na@example.com"; // gold
const CHEN: &str = "chen.jie@example.com"; // diamond

fn path(slug: &str, locale: &str) -> String {
    format!("{}?locale={locale}", portico_api::paths::benefit_page(slug))
}

async fn read(app: &TestApp, who: &reqwest::Client, slug: &str, locale: &str) -> BenefitPage {
    let response = app.get(who, &path(slug, locale)).await;
    assert_eq!(response.status(), StatusCode::OK, "{slug} in {locale}");
    response.json().await.unwrap()
}

async fn status(app: &TestApp, who: &reqwest::Client, slug: &str) -> (StatusCode, String) {
    problem_code(app.get(who, &path(slug, "en")).await).await
}

/// A version in both languages whose only block is a hero titled `title`.
fn copies(title: &str) -> Vec<PageCopy> {
    PageLocale::ALL
        .into_iter()
        .map(|locale| PageCopy {
            locale,
            title: format!("{title} ({})", locale.as_str()),
            blocks: vec![StoredBlock::Hero {
                title: title.into(),
                subtitle: None,
            }],
        })
        .collect()
}

fn hero_title(page: &BenefitPage) -> &str {
    match &page.blocks[0] {
        Block::Hero { title, .. } => title,
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_published_page_reads_in_both_languages() {
    let app = spawn().await;
    let anyone = client();
    let zh = read(&app, &anyone, "member-week", "zh-CN").await;
    let en = read(&app, &anyone, "member-week", "en").await;
    assert_eq!((zh.locale, en.locale), (PageLocale::ZhCn, PageLocale::En));
    assert_eq!(
        (zh.title.as_str(), en.title.as_str()),
        ("会员周", "Member Week")
    );
    for page in [&zh, &en] {
        assert_eq!(page.slug, "member-week");
        assert_eq!(page.audience, Audience::Everyone);
        assert_eq!(page.version, 1);
        assert!(page.published_at.0.ends_with('Z'));
    }
    let kinds = |page: &BenefitPage| {
        serde_json::to_value(&page.blocks)
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|block| block["kind"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(kinds(&zh), kinds(&en));
    assert!(kinds(&en).contains(&"rich_text".to_string()));

    let (code, _) = problem_code(app.get(&anyone, "/api/pages/member-week?locale=fr").await).await;
    assert_eq!(code, StatusCode::BAD_REQUEST);
    let (code, _) = problem_code(app.get(&anyone, "/api/pages/member-week").await).await;
    assert_eq!(code, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_tier_comparison_is_the_tiers_as_they_are() {
    let app = spawn().await;
    let page = read(&app, &client(), "member-week", "en").await;
    let tiers = page
        .blocks
        .iter()
        .find_map(|block| match block {
            Block::TierComparison { tiers } => Some(tiers),
            _ => None,
        })
        .expect("a tier comparison");
    let codes: Vec<String> = sqlx::query_scalar("SELECT code FROM tiers ORDER BY rank")
        .fetch_all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(
        tiers.iter().map(|t| t.code.clone()).collect::<Vec<_>>(),
        codes
    );
    assert!(tiers.iter().any(|t| !t.benefits.is_empty()));

    // A change to the tiers shows at the next read: nothing of them was stored with the page.
    sqlx::query("UPDATE tiers SET name_en = 'Gold Plus' WHERE code = 'gold'")
        .execute(&app.state.db)
        .await
        .unwrap();
    let again = serde_json::to_string(&read(&app, &client(), "member-week", "en").await).unwrap();
    assert!(again.contains("Gold Plus"));
}

#[tokio::test]
async fn unknown_draft_and_scheduled_pages_are_not_found() {
    let app = spawn().await;
    let anyone = client();
    let now = app.state.clock.now();
    for slug in [
        "no-such-page",
        "Member-Week",
        "a_b",
        "x".repeat(65).as_str(),
    ] {
        assert_eq!(
            status(&app, &anyone, slug).await,
            (StatusCode::NOT_FOUND, "not_found".into()),
            "{slug}"
        );
    }

    // A page with nothing published yet (an editor's draft is not a version).
    let _page = create_page(&app.state.db, "draft-only", now).await.unwrap();
    assert_eq!(
        status(&app, &anyone, "draft-only").await,
        (StatusCode::NOT_FOUND, "not_found".into())
    );

    let later = create_page(&app.state.db, "coming-soon", now)
        .await
        .unwrap();
    let version = save_version(
        &app.state.db,
        later,
        NewVersion::at(None, &copies("Soon"), now + 3600),
        now,
    )
    .await
    .unwrap();
    assert_eq!(version, 1);
    assert_eq!(
        status(&app, &anyone, "coming-soon").await,
        (StatusCode::NOT_FOUND, "not_found".into())
    );
    app.state.clock.advance(3600);
    assert_eq!(
        hero_title(&read(&app, &anyone, "coming-soon", "en").await),
        "Soon"
    );
}

#[tokio::test]
async fn a_newer_published_version_replaces_the_older() {
    let app = spawn().await;
    let anyone = client();
    let db = &app.state.db;
    let now = app.state.clock.now();
    let page = create_page(db, "spring-sale", now).await.unwrap();
    save_version(db, page, NewVersion::at(None, &copies("First"), now), now)
        .await
        .unwrap();
    assert_eq!(
        hero_title(&read(&app, &anyone, "spring-sale", "en").await),
        "First"
    );

    // A version scheduled for tomorrow leaves the live one as it is.
    save_version(
        db,
        page,
        NewVersion::at(None, &copies("Tomorrow"), now + 86_400),
        now,
    )
    .await
    .unwrap();
    let live = read(&app, &anyone, "spring-sale", "zh-CN").await;
    assert_eq!((hero_title(&live), live.version), ("First", 1));
    assert_eq!(live.title, "First (zh-CN)");

    let version = save_version(db, page, NewVersion::at(None, &copies("Second"), now), now)
        .await
        .unwrap();
    assert_eq!(version, 3);
    let live = read(&app, &anyone, "spring-sale", "en").await;
    assert_eq!((hero_title(&live), live.version), ("Second", 3));

    app.state.clock.advance(86_400);
    let live = read(&app, &anyone, "spring-sale", "en").await;
    assert_eq!(
        (hero_title(&live), live.version),
        ("Second", 3),
        "the newest version wins"
    );
}

#[tokio::test]
async fn a_tier_page_is_for_its_members_only() {
    let app = spawn().await;
    let (li, wang, chen, nobody) = (client(), client(), client(), client());
    app.sign_in(&li, LI).await;
    app.sign_in(&wang, WANG).await;
    app.sign_in(&chen, CHEN).await;

    let gold = read(&app, &li, "gold-benefits", "zh-CN").await;
    assert_eq!(
        gold.audience,
        Audience::Tier {
            tier: "gold".into()
        }
    );
    assert_eq!(gold.title, "金卡会员权益");
    assert_eq!(
        read(&app, &li, "gold-benefits", "en").await.title,
        "Gold benefits"
    );
    for other in [&wang, &chen, &nobody] {
        assert_eq!(
            status(&app, other, "gold-benefits").await,
            (StatusCode::NOT_FOUND, "not_found".into())
        );
    }
    assert_eq!(
        read(&app, &wang, "regular-benefits", "en").await.slug,
        "regular-benefits"
    );
    assert_eq!(
        read(&app, &chen, "diamond-benefits", "en").await.slug,
        "diamond-benefits"
    );
    assert_eq!(
        status(&app, &li, "diamond-benefits").await,
        (StatusCode::NOT_FOUND, "not_found".into())
    );
    // Everyone's page is everyone's, signed in or not.
    for who in [&li, &wang, &chen, &nobody] {
        read(&app, who, "member-week", "en").await;
    }
}

#[tokio::test]
async fn a_stored_page_that_no_longer_passes_is_never_shown() {
    let app = spawn().await;
    let now = app.state.clock.now();
    let page = create_page(&app.state.db, "broken", now).await.unwrap();
    save_version(
        &app.state.db,
        page,
        NewVersion::at(None, &copies("Fine"), now),
        now,
    )
    .await
    .unwrap();
    // Written past the checks, as an old version or a hand edit might be.
    sqlx::query(
        "UPDATE page_content SET blocks = $1 WHERE version_id = \
         (SELECT id FROM page_versions WHERE page_id = $2) AND locale = 'en'",
    )
    .bind(r#"[{"kind":"rich_text","markdown":"<script>alert(1)</script>"}]"#)
    .bind(page)
    .execute(&app.state.db)
    .await
    .unwrap();
    let response = app.get(&client(), &path("broken", "en")).await;
    let (status, code) = problem_code(response).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::INTERNAL_SERVER_ERROR, "internal")
    );
    let body = app
        .get(&client(), &path("broken", "en"))
        .await
        .text()
        .await
        .unwrap();
    assert!(!body.contains("script"), "{body}");
    // The other language is still fine.
    assert_eq!(
        hero_title(&read(&app, &client(), "broken", "zh-CN").await),
        "Fine"
    );
}

#[tokio::test]
async fn the_list_holds_the_callers_tier_page_first_then_those_for_everyone() {
    let app = spawn().await;
    let slugs = |pages: serde_json::Value| -> Vec<String> {
        pages
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["slug"].as_str().unwrap().to_string())
            .collect()
    };
    let li = client();
    app.sign_in(&li, LI).await;
    let hers: serde_json::Value = app.get_json(&li, "/api/pages?locale=en").await;
    assert_eq!(slugs(hers.clone()), ["gold-benefits", "member-week"]);
    assert_eq!(
        hers[0]["audience"],
        serde_json::json!({ "kind": "tier", "tier": "gold" })
    );
    assert!(!hers[0]["title"].as_str().unwrap().is_empty());
    let chen = client();
    app.sign_in(&chen, CHEN).await;
    let his: serde_json::Value = app.get_json(&chen, "/api/pages?locale=zh-CN").await;
    assert_eq!(slugs(his), ["diamond-benefits", "member-week"]);
    // Nobody signed in: the pages for everyone.
    let anyone: serde_json::Value = app.get_json(&client(), "/api/pages?locale=en").await;
    assert_eq!(slugs(anyone), ["member-week"]);
    // A language the pages are not written in is refused.
    assert_eq!(
        app.get(&client(), "/api/pages?locale=fr").await.status(),
        StatusCode::BAD_REQUEST
    );
}
