//! The portal's services, from the runtime configuration: where each is and that the session
//! cookie goes along. Pages ask for an endpoint (`services.orders(paths::ORDERS)`) and hand it to
//! `portico_client`, the only code that performs HTTP.

use portico_api::RuntimeConfig;
use portico_client::{Credentials, Endpoint, Service};

/// Base URLs of the services this deployment talks to ("" is the portal's own origin). Read once
/// when the portal starts and kept for the life of the page, so handlers can copy them freely.
#[derive(Debug, Clone, Copy)]
pub struct Services {
    auth: Service,
    orders: Service,
    loyalty: Service,
    surveys: Service,
}

impl From<&RuntimeConfig> for Services {
    fn from(config: &RuntimeConfig) -> Self {
        Self {
            auth: Service::new(&config.services.auth, Credentials::Include),
            orders: Service::new(&config.services.orders, Credentials::Include),
            loyalty: Service::new(&config.services.loyalty, Credentials::Include),
            surveys: Service::new(&config.services.surveys, Credentials::Include),
        }
    }
}

impl Services {
    pub fn auth(&self, path: &str) -> Endpoint {
        self.auth.endpoint(path)
    }

    pub fn orders(&self, path: &str) -> Endpoint {
        self.orders.endpoint(path)
    }

    pub fn loyalty(&self, path: &str) -> Endpoint {
        self.loyalty.endpoint(path)
    }

    /// Surveys and feedback. The cookie goes along so a signed-in customer's feedback is theirs;
    /// a survey link needs none.
    pub fn surveys(&self, path: &str) -> Endpoint {
        self.surveys.endpoint(path)
    }

    /// The services in the current reactive owner's context.
    pub fn current() -> Self {
        leptos::prelude::expect_context::<Services>()
    }
}
