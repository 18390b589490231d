//! The top of every page: brand, navigation, language and sign-in state.

use crate::api::{self, Services};
use crate::i18n::*;
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use portico_api::{paths, RuntimeConfig};

#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let config = expect_context::<RuntimeConfig>();
    let session = use_session();
    let services = Services::current();
    let navigate = use_navigate();
    let sign_out = Action::new_local(move |_: &()| {
        let url = services.auth(paths::SIGN_OUT);
        async move { api::post_empty(&url).await }
    });
    Effect::new(move |_| {
        if sign_out.value().get().is_some() {
            session.reload();
            navigate("/", Default::default());
        }
    });
    let demo = config.demo;
    view! {
        <header class="site-header">
            <a href="/" class="brand">{config.brand.name.clone()}</a>
            <nav aria-label=move || t_string!(i18n, nav.main) class="site-nav">
                <Show when=move || session.customer_name().is_some()>
                    <A href="/orders">{t!(i18n, nav.orders)}</A>
                </Show>
                <A href="/track">{t!(i18n, nav.track)}</A>
                <Show when=move || demo>
                    <A href="/dev/outbox">{t!(i18n, nav.outbox)}</A>
                </Show>
            </nav>
            <div class="header-tools">
                <LanguageSwitch/>
                {move || match session.customer_name() {
                    Some(name) => view! {
                        <span class="hello">{t!(i18n, nav.hello, name)}</span>
                        <button type="button" class="button button-link" on:click=move |_| { sign_out.dispatch(()); }>
                            {t!(i18n, nav.sign_out)}
                        </button>
                    }.into_any(),
                    None => view! {
                        <a href="/sign-in" class="button button-small">{t!(i18n, nav.sign_in)}</a>
                    }.into_any(),
                }}
            </div>
        </header>
    }
}

/// Two buttons, each in its own language, so a reader of either can find theirs.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let choice = move |locale: Locale, label: &'static str, tag: &'static str| {
        view! {
            <button
                type="button"
                class="lang-option"
                lang=tag
                aria-pressed=move || (i18n.get_locale() == locale).to_string()
                on:click=move |_| i18n.set_locale(locale)
            >
                {label}
            </button>
        }
    };
    view! {
        <div class="lang-switch" role="group" aria-label=move || t_string!(i18n, nav.language)>
            {choice(Locale::zh_CN, td_string!(Locale::zh_CN, nav.lang_zh), "zh-CN")}
            {choice(Locale::en, td_string!(Locale::en, nav.lang_en), "en")}
        </div>
    }
}
