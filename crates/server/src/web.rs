//! The web around the API: the built app with an index.html fallback for client-side routes, the
//! runtime configuration that tells one build where its services are, and what every answer
//! carries — security headers, a cache policy, a time limit — and what every write must show
//! (that it comes from this site).

use crate::error::{problem, problem_with_status};
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use portico_api::{ErrorCode, RuntimeConfig};
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

/// Files from the build; any other path is a client-side route and gets `index.html` (200).
/// Paths that look like the API (`/api`, `/API/...`) are never the app: they get the API's 404,
/// and a write to a file gets a 405, both as problem documents.
pub async fn app_files(State(state): State<AppState>, request: Request) -> Response {
    let path = request.uri().path();
    if api_like(path) {
        return problem(ErrorCode::NotFound, None, None);
    }
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        let mut refused = problem_with_status(
            StatusCode::METHOD_NOT_ALLOWED,
            ErrorCode::BadRequest,
            Some("files can only be read (GET, HEAD)".into()),
            None,
        );
        refused
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return refused;
    }
    // The build holds NAME.br and NAME.gz beside each file (scripts/compress.sh): those exact
    // bytes go out for the encoding asked; nothing is compressed per request.
    let dir = &state.config.static_dir;
    // The widget's files are only ever asked for by name: a missing one is a 404, not the app.
    if let Some(file) = path.strip_prefix("/widget/") {
        let exists = !file.split('/').any(|part| part.is_empty() || part == "..")
            && dir.join("widget").join(file).is_file();
        if !exists {
            return problem(ErrorCode::NotFound, None, None);
        }
    }
    // The staff app has its own index (`dist/staff/`) for every path under `/staff/`; a visit
    // that starts on a lazy route of the portal gets the index that also preloads its chunks.
    let staff = path == "/staff" || path.starts_with("/staff/");
    let page = if staff {
        "staff/index.html"
    } else {
        state.route_pages.page_for(path).unwrap_or("index.html")
    };
    let hashed = is_hashed_asset(path);
    let index = ServeFile::new(dir.join(page))
        .precompressed_br()
        .precompressed_gzip();
    let index = ServiceExt::<Request>::map_response(index, |mut page| {
        page.extensions_mut().insert(AppPage);
        page
    });
    let mut response = match ServeDir::new(dir)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(index)
        .oneshot(request)
        .await
    {
        Ok(response) => response.into_response(),
        Err(never) => match never {},
    };
    // Only the file itself, found and served (or revalidated), is kept for a year: never the
    // app's page for a name that only looks hashed, nor a 404 (a CDN would keep a chunk missing
    // during a rolling deploy for a year).
    let served = matches!(
        response.status(),
        StatusCode::OK | StatusCode::PARTIAL_CONTENT | StatusCode::NOT_MODIFIED
    );
    if hashed && served && response.extensions().get::<AppPage>().is_none() {
        response.extensions_mut().insert(Immutable);
    }
    response
}

/// Marks the app's page served for a path that is no file.
#[derive(Clone, Copy)]
struct AppPage;

/// Marks a file named after its content, found and served: [`security_headers`] lets it be kept
/// a year.
#[derive(Clone, Copy)]
struct Immutable;

/// `/api`, `/api/...` in any case: the API's, never the app's (a 404 there is the API's, and
/// never stored).
fn api_like(path: &str) -> bool {
    path.len() >= 4
        && path[..4].eq_ignore_ascii_case("/api")
        && matches!(path.as_bytes().get(4), None | Some(b'/'))
}

/// The build's copies of index.html per lazy route (`dist/routes.json`, written by
/// scripts/split.py): each also preloads its route's wasm chunks (in one pack), so a first visit
/// to `/sign-in` fetches them beside the main module rather than after it has started.
#[derive(Debug, Default)]
pub struct RoutePages(Vec<(Vec<Option<String>>, String)>);

#[derive(serde::Deserialize)]
struct RoutePage {
    path: String,
    page: String,
}

impl RoutePages {
    /// The table in `static_dir/routes.json`; none (every route gets index.html) when the build
    /// has none or it cannot be read.
    pub fn for_build(static_dir: &Path) -> Self {
        let Ok(json) = std::fs::read_to_string(static_dir.join("routes.json")) else {
            return RoutePages::default();
        };
        let Ok(pages) = serde_json::from_str::<Vec<RoutePage>>(&json) else {
            tracing::warn!("routes.json cannot be read: every route gets index.html");
            return RoutePages::default();
        };
        RoutePages(
            pages
                .into_iter()
                .filter(|p| !p.page.contains("..") && p.page.ends_with(".html"))
                .map(|p| (segments(&p.path), p.page))
                .collect(),
        )
    }

    /// The page for a path the router draws (`:name` matches any one segment).
    pub fn page_for(&self, path: &str) -> Option<&str> {
        let asked: Vec<&str> = path.trim_matches('/').split('/').collect();
        self.0
            .iter()
            .find(|(pattern, _)| {
                pattern.len() == asked.len()
                    && pattern.iter().zip(&asked).all(|(want, got)| match want {
                        Some(literal) => literal == got,
                        None => !got.is_empty(),
                    })
            })
            .map(|(_, page)| page.as_str())
    }
}

/// `/orders/:number/return` -> [Some("orders"), None, Some("return")].
fn segments(path: &str) -> Vec<Option<String>> {
    path.trim_matches('/')
        .split('/')
        .map(|s| (!s.starts_with(':')).then(|| s.to_string()))
        .collect()
}

pub async fn runtime_config(State(state): State<AppState>) -> Json<RuntimeConfig> {
    // Services on this same origin, the default brand, and what this server was started with.
    Json(RuntimeConfig {
        tracking_refresh_secs: state.config.tracking_refresh_secs,
        demo: state.config.demo,
        ..RuntimeConfig::default()
    })
}

/// The headers every answer carries, computed once at start.
pub struct SecurityHeaders {
    csp: HeaderValue,
    /// The same policy for a benefit page in the staff editor's preview, which frames it from
    /// this origin (`frame-ancestors 'self'`); every other page may be framed by nobody.
    preview_csp: HeaderValue,
    https: bool,
}

/// Whether this is one benefit page of the portal asked for as the staff preview
/// (`/benefits/SLUG?preview=READER`): the only URL this origin may frame. Drawn so, the portal
/// shows that page alone, its links opening outside the frame; any other page loaded into the
/// frame (a nested path, the list, an order) is refused framing by the browser.
fn staff_preview(uri: &axum::http::Uri) -> bool {
    uri.path()
        .strip_prefix("/benefits/")
        .is_some_and(crate::content::valid_slug)
        && uri.query().is_some_and(|q| {
            q.split('&')
                .any(|pair| pair.strip_prefix("preview=").is_some_and(|r| !r.is_empty()))
        })
}

impl SecurityHeaders {
    /// The policy allows scripts from this origin plus the start-up scripts Trunk inlines into
    /// the bundles' index pages (by their hashes), compiling WebAssembly, and nothing inline else.
    pub fn for_build(static_dir: &Path, https: bool) -> Self {
        // The portal's start-up script and the staff app's (each bundle's index inlines one).
        let index: String = ["index.html", "staff/index.html"]
            .iter()
            .filter_map(|page| std::fs::read_to_string(static_dir.join(page)).ok())
            .collect();
        let csp = content_security_policy(&index);
        let preview = csp.replace("frame-ancestors 'none'", "frame-ancestors 'self'");
        SecurityHeaders {
            csp: HeaderValue::from_str(&csp).expect("the policy is ASCII"),
            preview_csp: HeaderValue::from_str(&preview).expect("the policy is ASCII"),
            https,
        }
    }
}

pub fn content_security_policy(index_html: &str) -> String {
    use base64::Engine;
    let hashes: String = inline_scripts(index_html)
        .map(|script| {
            let digest = Sha256::digest(script.as_bytes());
            format!(
                " 'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; style-src 'self'; \
         img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// The bodies of `<script>` elements without a `src`, as the browser hashes them.
/// The build's stylesheet (`<link ... rel=stylesheet>` in its index.html), for pages the server
/// draws itself so they look like the app.
pub fn stylesheet(index_html: &str) -> Option<&str> {
    index_html.split("<link").skip(1).find_map(|rest| {
        let (attributes, _) = rest.split_once('>')?;
        if !attributes.contains("stylesheet") {
            return None;
        }
        let href = attributes
            .split_once("href=")?
            .1
            .trim_start_matches(['"', '\'']);
        href.split(['"', '\'', ' ', '>']).next()
    })
}

fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.split("<script").skip(1).filter_map(|rest| {
        let (attributes, rest) = rest.split_once('>')?;
        let (body, _) = rest.split_once("</script>")?;
        (!attributes.contains("src=")).then_some(body)
    })
}

pub async fn security_headers(
    State(headers): State<Arc<SecurityHeaders>>,
    request: Request,
    next: Next,
) -> Response {
    let api = api_like(request.uri().path());
    let loader = request.uri().path() == "/widget.js";
    let widget_file = loader || request.uri().path().starts_with("/widget/");
    let framed = staff_preview(request.uri());
    let mut response = next.run(request).await;
    let hashed = response.extensions().get::<Immutable>().is_some();
    let out = response.headers_mut();
    let csp = if framed {
        &headers.preview_csp
    } else {
        &headers.csp
    };
    out.insert(header::CONTENT_SECURITY_POLICY, csp.clone());
    out.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    out.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    out.insert(
        header::X_FRAME_OPTIONS,
        HeaderValue::from_static(if framed { "SAMEORIGIN" } else { "DENY" }),
    );
    out.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    if headers.https {
        out.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    // API answers hold personal data: never stored, unless the answer itself says it may be
    // kept by this browser alone (`private`, a return's drop-off QR code). Trunk names the wasm,
    // JS and CSS after their content (`portico-<hash>.js`): those never change and, served from
    // the build ([`Immutable`]), are kept a year. Everything else (index.html above all, and
    // 404s) is revalidated.
    let private = out
        .get(header::CACHE_CONTROL)
        .is_some_and(|value| value.as_bytes().starts_with(b"private,"));
    // The widget's files are fetched by partners' pages: readable from any origin (they hold
    // nothing personal). The loader keeps its name across releases, so it is kept five minutes.
    if widget_file {
        out.insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        );
        out.insert(
            "cross-origin-resource-policy",
            HeaderValue::from_static("cross-origin"),
        );
    }
    let cache = if api {
        "no-store"
    } else if loader {
        "public, max-age=300"
    } else if hashed {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    if !(api && private) {
        out.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    }
    response
}

/// `portico-7e9dcdddfbe45e3_bg.wasm`, `portico-widget-7e9dcdddfbe45e3.js`: a name (dashes
/// allowed), a dash, then Trunk's content hash (a 64-bit hash in
/// hex without leading zeros, so usually 15 or 16 digits; 12 is a safe floor for "hashed").
fn is_hashed_asset(path: &str) -> bool {
    path.rsplit_once('/').is_some_and(|(_, file)| {
        file.split('-')
            .skip(1)
            .any(|rest| rest.chars().take_while(char::is_ascii_hexdigit).count() >= 12)
    })
}

/// A write (any method but GET, HEAD, OPTIONS) must come from this site: a browser says where a
/// request comes from in `Origin` (and `Sec-Fetch-Site`), so another site's form or script
/// cannot act with a customer's cookie. Clients that are not browsers send neither and pass.
pub async fn same_origin_writes(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let write = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    let public = state
        .config
        .public_url
        .as_ref()
        .map(|url| url.origin.as_str());
    // The widget's API is called from partners' pages by design, never with cookies: its own
    // guard admits only the partner's origins (`widget::guard`).
    let widget = request.uri().path().starts_with("/api/widget/");
    // A survey mail's one-click opt-out (RFC 8058) is POSTed by the reader's mail client, from
    // wherever it runs; the signed token in its path is all it acts on, never a cookie.
    let path = request.uri().path();
    let one_click = path.starts_with("/api/surveys/") && path.ends_with("/opt-out");
    if write && !widget && !one_click && from_elsewhere(request.headers(), public) {
        return problem(ErrorCode::Forbidden, None, None);
    }
    next.run(request).await
}

fn from_elsewhere(headers: &HeaderMap, public_origin: Option<&str>) -> bool {
    if let Some(origin) = headers.get(header::ORIGIN) {
        let Ok(origin) = origin.to_str() else {
            return true;
        };
        return match public_origin {
            Some(ours) => !origin.eq_ignore_ascii_case(ours),
            None => {
                let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
                let authority = origin
                    .strip_prefix("http://")
                    .or_else(|| origin.strip_prefix("https://"));
                !matches!((authority, host), (Some(a), Some(h)) if a.eq_ignore_ascii_case(h))
            }
        };
    }
    headers
        .get("sec-fetch-site")
        .is_some_and(|site| site == "cross-site")
}

/// Bounds each request's total time (reading its body included): past it, a 503 problem.
pub async fn time_limit(State(limit): State<Duration>, request: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => problem_with_status(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::Unavailable,
            Some("the request took too long".into()),
            None,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_names_each_inline_script_by_its_hash() {
        let html =
            r#"<head><script type="module">init()</script><script src="/a.js"></script></head>"#;
        let policy = content_security_policy(html);
        // sha256("init()"), base64.
        let expected = {
            use base64::Engine;
            base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"init()"))
        };
        assert!(policy.contains(&format!("'sha256-{expected}'")), "{policy}");
        assert_eq!(policy.matches("'sha256-").count(), 1, "{policy}");
        assert!(!policy.contains("unsafe-inline"));
        assert!(!policy.contains("'unsafe-eval'"));
    }

    #[test]
    fn a_lazy_route_gets_its_own_page_and_others_none() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("routes.json"),
            r#"[{"path":"/sign-in","page":"routes/sign-in.html"},
                {"path":"/orders/:number/return","page":"routes/orders-number-return.html"}]"#,
        )
        .unwrap();
        let pages = RoutePages::for_build(dir.path());
        assert_eq!(pages.page_for("/sign-in"), Some("routes/sign-in.html"));
        assert_eq!(
            pages.page_for("/orders/PT00000001/return"),
            Some("routes/orders-number-return.html")
        );
        assert_eq!(pages.page_for("/orders/PT00000001"), None);
        assert_eq!(pages.page_for("/orders//return"), None);
        assert_eq!(pages.page_for("/"), None);
        assert!(RoutePages::for_build(&dir.path().join("none"))
            .page_for("/sign-in")
            .is_none());
    }

    #[test]
    fn the_stylesheet_is_found_in_a_minified_or_a_plain_index() {
        let minified = "<link href=/main-de25e0383584a1f7.css integrity=sha384-x rel=stylesheet><link href=/f.svg rel=icon>";
        assert_eq!(stylesheet(minified), Some("/main-de25e0383584a1f7.css"));
        let plain =
            r#"<link rel="icon" href="/f.svg"><link rel="stylesheet" href="/main-1.css" />"#;
        assert_eq!(stylesheet(plain), Some("/main-1.css"));
        assert_eq!(stylesheet("<link rel=icon href=/f.svg>"), None);
    }

    #[test]
    fn writes_from_another_site_are_told_apart() {
        let headers = |pairs: &[(&'static str, &'static str)]| {
            let mut map = HeaderMap::new();
            for (name, value) in pairs {
                map.insert(*name, HeaderValue::from_static(value));
            }
            map
        };
        let ours = headers(&[
            ("host", "127.0.0.1:8080"),
            ("origin", "http://127.0.0.1:8080"),
        ]);
        assert!(!from_elsewhere(&ours, None));
        let theirs = headers(&[
            ("host", "127.0.0.1:8080"),
            ("origin", "https://evil.example"),
        ]);
        assert!(from_elsewhere(&theirs, None));
        let null = headers(&[("host", "127.0.0.1:8080"), ("origin", "null")]);
        assert!(from_elsewhere(&null, None));
        let no_origin = headers(&[("host", "127.0.0.1:8080")]);
        assert!(!from_elsewhere(&no_origin, None));
        let cross = headers(&[("host", "127.0.0.1:8080"), ("sec-fetch-site", "cross-site")]);
        assert!(from_elsewhere(&cross, None));
        let public = headers(&[
            ("host", "10.0.0.5:8080"),
            ("origin", "https://shop.example"),
        ]);
        assert!(!from_elsewhere(&public, Some("https://shop.example")));
        assert!(from_elsewhere(&ours, Some("https://shop.example")));
    }
}
