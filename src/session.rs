//! Who is using the portal: the session the server knows from its cookie, shared by every page.

use crate::services::Services;
use leptos::prelude::*;
use portico_api::{paths, SessionInfo};
use portico_client::Remote;

/// The current session, loaded once and reloaded after signing in or out.
#[derive(Clone, Copy)]
pub struct Session {
    remote: Remote<SessionInfo>,
}

impl Session {
    /// `None` while loading (or when the service cannot be reached).
    pub fn info(&self) -> Option<SessionInfo> {
        self.remote.get().and_then(Result::ok)
    }

    pub fn customer_name(&self) -> Option<String> {
        self.info()?.customer.map(|customer| customer.name)
    }

    pub fn reload(&self) {
        self.remote.refetch();
    }
}

pub fn provide_session() {
    let services = Services::current();
    let remote = Remote::new(move || services.auth(paths::SESSION));
    provide_context(Session { remote });
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

/// Where signing in should lead: back to the page that asked for it (`/sign-in?next=...`), or to
/// the order list. Only a path on this site is followed, never another origin (`//host`, `/\host`,
/// `https:...`).
pub fn after_sign_in(next: Option<&str>) -> &str {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.starts_with("/\\")
                && !path.starts_with("/sign-in") =>
        {
            path
        }
        _ => "/orders",
    }
}

/// The sign-in link for a page that needs a customer: it comes back here afterwards.
pub fn sign_in_href(here: &str) -> String {
    format!(
        "/sign-in?next={}",
        String::from(js_sys::encode_uri_component(here))
    )
}
