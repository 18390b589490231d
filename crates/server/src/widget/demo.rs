//! Demo only: the demo partner's own web page, served on a second address (another origin than
//! the portal's, `--partner-demo-addr`), embedding the widget exactly as a partner would — one
//! script tag, an inline `<portico-widget>` far down the page — under a strict CSP and a hostile
//! stylesheet. Its "backend" (`/identity`) signs visitors' identity tokens with the partner's
//! secret, as a partner's server would after its own sign-in (`&forged=1`: with a wrong key).

use super::{find, identity, DEMO_PARTNER_KEY};
use crate::error::{problem, ApiQuery};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use portico_api::ErrorCode;
use serde::Deserialize;
use serde_json::json;

/// The demo partner's name, as its visitors know it.
pub const PARTNER_NAME: &str = "Tea House 茶舍";

/// The page's site: the portal it embeds the widget from, and the service's state (for the
/// partner's secret).
#[derive(Clone)]
struct Site {
    state: AppState,
    /// `http://127.0.0.1:8080`: where the script tag points.
    portal: String,
}

/// The partner's site: `/` (the page), `/hostile.css`, `/partner.js` and `/identity`.
pub fn router(state: AppState, portal: String) -> Router {
    Router::new()
        .route("/", get(page))
        .route("/hostile.css", get(hostile_css))
        .route("/partner.js", get(partner_js))
        .route("/identity", get(sign))
        .with_state(Site { state, portal })
}

/// What a partner's page must allow for the widget, with nothing inline.
pub fn partner_csp(portal: &str) -> String {
    format!(
        "default-src 'none'; script-src 'self' {portal} 'wasm-unsafe-eval'; style-src 'self'; \
         connect-src 'self' {portal}; img-src 'self'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'"
    )
}

fn with_type(body: String, content_type: &'static str, csp: Option<String>) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if let Some(csp) = csp.and_then(|csp| HeaderValue::from_str(&csp).ok()) {
        headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    response
}

async fn page(State(site): State<Site>) -> Response {
    let portal = &site.portal;
    let teas = [
        ("Longjing 龙井", "¥128"),
        ("Tieguanyin 铁观音", "¥96"),
        ("Pu'er 普洱", "¥158"),
        ("Jasmine 茉莉花茶", "¥68"),
    ];
    let items: String = teas
        .iter()
        .map(|(name, price)| {
            format!(r#"<li class="tea"><span class="tea-name">{name}</span> <span class="tea-price">{price}</span></li>"#)
        })
        .collect();
    let body = format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{PARTNER_NAME} — a Portico demo partner</title>
<link rel="stylesheet" href="/hostile.css">
<script src="/partner.js" defer></script>
<script src="{portal}/widget.js" data-partner="{DEMO_PARTNER_KEY}" async></script>
</head>
<body>
<header class="bar"><p class="brand">{PARTNER_NAME}</p>
<nav class="actions" aria-label="Account">
<button type="button" class="partner-button" id="sign-in">Sign in as Li Na (demo)</button>
<button type="button" class="partner-button" id="help">Help</button>
</nav></header>
<main class="shop">
<h1 class="title">Fresh leaves, every season</h1>
<p class="note">A partner's own page on another origin. Its stylesheet unsets every element and
hides every button; its policy allows no inline script or style. The widget is one script tag.</p>
<p class="note" lang="zh-CN">这是合作伙伴自己的页面：它的样式表会清除所有元素的样式并隐藏所有按钮；挂件只需一个脚本标签。</p>
<ul class="teas">{items}</ul>
<div class="spacer"></div>
<section class="track" aria-labelledby="track-title">
<h2 class="title" id="track-title">Where is my order?</h2>
<portico-widget feature="lookup"></portico-widget>
</section>
</main>
</body>
</html>
"#
    );
    with_type(
        body,
        "text/html; charset=utf-8",
        Some(partner_csp(&site.portal)),
    )
}

/// The partner's stylesheet: hostile to anything embedded (every element unset, buttons hidden,
/// divs and headings red and large), then the partner's own classes.
async fn hostile_css() -> Response {
    let css = r#"* { all: unset; }
button { display: none !important; }
div, h1, h2, h3, p, label, input { color: #a00000; font-size: 30px; font-family: serif; }
head, script, style, title, link, meta { display: none; }
.bar, .shop, .track, .spacer, .teas, .tea, .note, .title, .brand { display: block; }
.bar { padding: 12px 16px; background: #f3efe6; }
.brand { font-size: 22px; font-weight: 700; color: #3b2f1e; }
.actions { display: flex; gap: 8px; flex-wrap: wrap; margin-top: 8px; }
.partner-button.partner-button { display: inline-block !important; padding: 8px 14px; border: 1px solid #3b2f1e;
  border-radius: 6px; background: #fff; color: #3b2f1e; font: 600 15px sans-serif; cursor: pointer; }
.partner-button:focus-visible { outline: 3px solid #1f6f4a; outline-offset: 2px; }
.shop { max-width: 720px; margin: 0 auto; padding: 16px; color: #222; font-family: sans-serif; }
.title { font-size: 28px; margin: 16px 0; color: #3b2f1e; }
.note { font-size: 16px; line-height: 1.5; margin: 8px 0; color: #333; }
.tea { font-size: 18px; padding: 6px 0; color: #222; }
.spacer { height: 2400px; }
.track { padding-bottom: 120px; }
"#;
    with_type(css.to_string(), "text/css; charset=utf-8", None)
}

/// The partner's own script: its sign-in asks its backend for a token and hands it to the
/// widget; its help button opens the widget.
async fn partner_js() -> Response {
    let js = r#"document.getElementById("sign-in").addEventListener("click", async (event) => {
  const answer = await fetch("/identity?sub=" + encodeURIComponent("li.na@example.com"));
  const { token } = await answer.json();
  window.Portico?.identify(token);
  event.target.textContent = "Signed in: Li Na";
});
document.getElementById("help").addEventListener("click", () => window.Portico?.open());
"#;
    with_type(js.to_string(), "text/javascript; charset=utf-8", None)
}

#[derive(Deserialize)]
struct SignAsked {
    sub: String,
    #[serde(default)]
    forged: Option<String>,
}

/// The partner's backend: a token for `sub` working for an hour, signed with the partner's
/// secret (or, with `forged`, with a key that is not it).
async fn sign(State(site): State<Site>, ApiQuery(asked): ApiQuery<SignAsked>) -> Response {
    let partner = match find(&site.state.db, DEMO_PARTNER_KEY).await {
        Ok(Some(partner)) => partner,
        Ok(None) => return problem(ErrorCode::NotFound, None, None),
        Err(error) => return error.into_response(),
    };
    let secret = match asked.forged {
        Some(_) => "not the partner's secret".to_string(),
        None => partner.secret,
    };
    let exp = site.state.clock.now() + 3600;
    let token = identity::sign(&secret, &asked.sub, exp);
    let mut response = Json(json!({ "token": token })).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
