//! `portico.config.json`: what one build of the app needs to know about its deployment.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RuntimeConfig {
    /// Base URL of each service ("" means the app's own origin).
    pub services: ServiceUrls,
    /// `zh-CN` or `en`: used until the customer picks a language.
    pub default_locale: String,
    pub brand: Brand,
    /// Seconds between refreshes of a page with a moving shipment.
    pub tracking_refresh_secs: u32,
    /// Demo deployments show the outbox link so a newcomer can read sign-in codes.
    pub demo: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceUrls {
    pub auth: String,
    /// Orders and their returns.
    pub orders: String,
    /// Tiers, a customer's standing and the benefit pages (absent: the app's own origin).
    #[serde(default)]
    pub loyalty: String,
    /// Survey invitations, their answers and feedback (absent: the app's own origin).
    #[serde(default)]
    pub surveys: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Brand {
    pub name: String,
    /// CSS colours, applied as the `--brand` and `--brand-contrast` custom properties.
    pub primary_color: String,
    pub primary_contrast: String,
}

impl Default for RuntimeConfig {
    fn default() -> Self {
        Self {
            services: ServiceUrls {
                auth: String::new(),
                orders: String::new(),
                loyalty: String::new(),
                surveys: String::new(),
            },
            default_locale: "zh-CN".into(),
            brand: Brand {
                name: "Portico".into(),
                primary_color: "#0b5cad".into(),
                primary_contrast: "#ffffff".into(),
            },
            tracking_refresh_secs: 30,
            demo: false,
        }
    }
}
