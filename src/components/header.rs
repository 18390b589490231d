//! The top of every page: brand, navigation, language and sign-in state.

use crate::config::demo_outbox_href;
use crate::locale::i18n::*;
use crate::locale::{text, use_locale};
use crate::services::Services;
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use portico_api::{paths, RuntimeConfig};
use portico_client::Submit;

#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_locale();
    let config = expect_context::<RuntimeConfig>();
    let session = use_session();
    let services = Services::current();
    let navigate = use_navigate();
    let sign_out = Submit::<()>::new();
    Effect::new(move |_| {
        if sign_out.value().is_some() {
            session.reload();
            navigate("/", Default::default());
        }
    });
    let demo = config.demo;
    // On a narrow screen the destinations are a list the menu button opens (a disclosure:
    // aria-expanded, Escape closes it and gives the button its focus back, choosing one closes
    // it); wide enough, the list is a row and the button is not drawn (style/main.css).
    let open = RwSignal::new(false);
    let menu = NodeRef::<leptos::html::Button>::new();
    let close_on_escape = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" && open.get_untracked() {
            open.set(false);
            if let Some(button) = menu.get_untracked() {
                let _ = button.focus();
            }
        }
    };
    view! {
        <header class="site-header" on:keydown=close_on_escape>
            <a href="/" class="brand">{config.brand.name.clone()}</a>
            <button type="button" class="menu-button" node_ref=menu aria-controls="site-nav"
                aria-expanded=move || open.get().to_string() on:click=move |_| open.update(|o| *o = !*o)>
                <span class="menu-icon" aria-hidden="true"></span>
                {text(|l| td_string!(l, nav.menu))}
            </button>
            <nav id="site-nav" aria-label=text(|l| td_string!(l, nav.main)) class="site-nav"
                class:open=move || open.get() on:click=move |_| open.set(false)>
                <ul>
                    {move || session.customer_name().is_some().then(|| view! {
                        <li><A href="/orders">{text(|l| td_string!(l, nav.orders))}</A></li>
                        <li><A href="/returns">{text(|l| td_string!(l, nav.returns))}</A></li>
                        <li><A href="/member">{text(|l| td_string!(l, nav.member))}</A></li>
                        <li><A href="/feedback">{text(|l| td_string!(l, nav.feedback))}</A></li>
                    })}
                    <li><A href="/track">{text(|l| td_string!(l, nav.track))}</A></li>
                    <li><A href="/benefits">{text(|l| td_string!(l, nav.benefits))}</A></li>
                    // The demo outbox is a page the server draws (not part of this bundle): a full load.
                    {demo.then(|| view! {
                        <li>
                            <a href=move || demo_outbox_href(i18n.get()) rel="external">
                                {text(|l| td_string!(l, nav.outbox))}
                            </a>
                        </li>
                    })}
                </ul>
            </nav>
            <div class="header-tools">
                <LanguageSwitch/>
                {move || match session.customer_name() {
                    Some(name) => view! {
                        <span class="hello">{move || td!(i18n.get(), nav.hello, name = name.clone())}</span>
                        <button type="button" class="button button-link" on:click=move |_| { sign_out.post_empty(services.auth(paths::SIGN_OUT)); }>
                            {text(|l| td_string!(l, nav.sign_out))}
                        </button>
                    }.into_any(),
                    None => view! {
                        <a href="/sign-in" class="button button-small">{text(|l| td_string!(l, nav.sign_in))}</a>
                    }.into_any(),
                }}
            </div>
        </header>
    }
}

/// Two buttons, each in its own language, so a reader of either can find theirs.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let i18n = use_locale();
    let choice = move |locale: Locale, label: &'static str, tag: &'static str| {
        view! {
            <button
                type="button"
                class="lang-option"
                lang=tag
                aria-pressed=move || (i18n.get() == locale).to_string()
                on:click=move |_| i18n.set(locale)
            >
                {label}
            </button>
        }
    };
    view! {
        <div class="lang-switch" role="group" aria-label=text(|l| td_string!(l, nav.language))>
            {choice(Locale::zh_CN, td_string!(Locale::zh_CN, nav.lang_zh), "zh-CN")}
            {choice(Locale::en, td_string!(Locale::en, nav.lang_en), "en")}
        </div>
    }
}
