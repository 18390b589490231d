//! Who is using the portal: the session the server knows from its cookie, shared by every page.

use crate::api::{Remote, Services};
use leptos::prelude::*;
use portico_api::{paths, SessionInfo};

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
