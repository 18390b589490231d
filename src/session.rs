//! Who is using the portal: the session the server knows from its cookie, shared by every page.

use crate::api::{self, Services};
use leptos::prelude::*;
use portico_api::{paths, SessionInfo};

/// The current session, loaded once and reloaded after signing in or out.
#[derive(Clone, Copy)]
pub struct Session {
    resource: LocalResource<Option<SessionInfo>>,
}

impl Session {
    /// `None` while loading (or when the service cannot be reached).
    pub fn info(&self) -> Option<SessionInfo> {
        self.resource.get().flatten()
    }

    pub fn customer_name(&self) -> Option<String> {
        self.info()?.customer.map(|customer| customer.name)
    }

    pub fn reload(&self) {
        self.resource.refetch();
    }
}

pub fn provide_session() {
    let services = Services::current();
    let resource = LocalResource::new(move || {
        let url = services.auth(paths::SESSION);
        async move { api::get::<SessionInfo>(&url).await.ok() }
    });
    provide_context(Session { resource });
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}
