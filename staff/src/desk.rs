//! The signed-in app: who is signed in (and signing out), a nav of the screens the role may
//! open, and the routes under `/staff/`, one screen each. `/staff/` sends a role to its first
//! screen; a screen the role may not open says so, with the way to its home. Nobody signed in:
//! `lib.rs` shows the sign-in at the address asked for, so signing in lands there.

use crate::locales::i18n::*;
use crate::{
    accounts, audit, editor, integrations, messages, pages, partners, returns, words, Api, Signed,
};
use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Routes};
use leptos_router::hooks::{use_location, use_navigate, use_params_map};
use leptos_router::{path, NavigateOptions};
use portico_api::{paths, StaffRole, StaffSession, Tier};
use portico_client::Remote;

/// A screen of the app, at a path of its own.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Pages,
    Returns,
    Accounts,
    Partners,
    Integrations,
    Messages,
    Audit,
}

impl Screen {
    /// In the nav's order; a role's home is the first it may open.
    const ALL: [Screen; 7] = [
        Screen::Pages,
        Screen::Returns,
        Screen::Accounts,
        Screen::Partners,
        Screen::Integrations,
        Screen::Messages,
        Screen::Audit,
    ];

    pub fn path(self) -> &'static str {
        match self {
            Screen::Pages => "/staff/pages",
            Screen::Returns => "/staff/returns",
            Screen::Accounts => "/staff/accounts",
            Screen::Partners => "/staff/partners",
            Screen::Integrations => "/staff/integrations",
            Screen::Messages => "/staff/messages",
            Screen::Audit => "/staff/audit",
        }
    }

    /// Whether `role` may open it (the service checks every request again).
    pub fn allows(self, role: StaffRole) -> bool {
        use StaffRole::*;
        match self {
            Screen::Pages => matches!(role, Editor | Publisher | Admin),
            Screen::Returns | Screen::Audit => matches!(role, Publisher | Admin),
            Screen::Accounts | Screen::Partners | Screen::Integrations | Screen::Messages => {
                role == Admin
            }
        }
    }

    /// Its name in the nav: the title its screen shows.
    fn name(self, l: Locale) -> &'static str {
        match self {
            Screen::Pages => td_string!(l, pages.title),
            Screen::Returns => td_string!(l, reviews.title),
            Screen::Accounts => td_string!(l, accounts.title),
            Screen::Partners => td_string!(l, partners.title),
            Screen::Integrations => td_string!(l, integrations.title),
            Screen::Messages => td_string!(l, messages.title),
            Screen::Audit => td_string!(l, audit.title),
        }
    }

    /// The first screen `role` may open, if any (analysts have none yet).
    fn home(role: StaffRole) -> Option<Screen> {
        Screen::ALL.into_iter().find(|s| s.allows(role))
    }
}

/// What every screen is given.
#[derive(Clone, Copy)]
struct Desk {
    locale: RwSignal<Locale>,
    api: Api,
    signed: Signed,
    role: StaffRole,
    /// Bumped by every change made on a screen (lists and the audit log read again).
    changes: RwSignal<u32>,
}

impl Desk {
    /// `screen` for this role, or why there is none.
    fn open(self, screen: Screen) -> AnyView {
        let Desk {
            locale,
            api,
            signed,
            role,
            changes,
        } = self;
        self.gate(screen, move || match screen {
            Screen::Pages => view! { <pages::Pages locale api signed role changes/> }.into_any(),
            Screen::Returns => view! { <returns::Reviews locale api signed changes/> }.into_any(),
            Screen::Accounts => {
                view! { <accounts::Accounts locale api signed changes/> }.into_any()
            }
            Screen::Partners => {
                view! { <partners::Partners locale api signed changes/> }.into_any()
            }
            Screen::Integrations => {
                view! { <integrations::Integrations locale api signed changes/> }.into_any()
            }
            Screen::Messages => {
                view! { <messages::Messages locale api signed changes/> }.into_any()
            }
            Screen::Audit => view! { <audit::Audit locale api signed changes/> }.into_any(),
        })
    }

    /// `view` if this role may open `screen`, else why not.
    fn gate<V: IntoView + 'static>(self, screen: Screen, view: impl FnOnce() -> V) -> AnyView {
        if screen.allows(self.role) {
            view().into_any()
        } else {
            way_home(self.locale, |l| td_string!(l, nav.not_for_role)).into_any()
        }
    }
}

/// Why this address shows no screen, and the way to the role's home.
fn way_home(locale: RwSignal<Locale>, why: fn(Locale) -> &'static str) -> impl IntoView {
    view! {
        <section class="card" role="alert">
            <p>{move || why(locale.get())}</p>
            <p><a href="/staff/">{move || td_string!(locale.get(), nav.to_home)}</a></p>
        </section>
    }
}

#[component]
pub fn SignedIn(
    locale: RwSignal<Locale>,
    api: Api,
    signed: Signed,
    found: StaffSession,
) -> impl IntoView {
    let Some(staff) = found.staff else {
        return ().into_any();
    };
    let desk = Desk {
        locale,
        api,
        signed,
        role: staff.role,
        changes: RwSignal::new(0),
    };
    let out = signed.submit::<()>();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if out.value().is_some() {
            // The next person to sign in here starts at their own home.
            navigate("/staff/", NavigateOptions::default());
            signed.forget();
        }
    });
    let role = staff.role;
    let name = staff.name.clone();
    let here = use_location().pathname;
    let not_found = move || way_home(locale, |l| td_string!(l, nav.not_found));
    view! {
        <section class="who">
            <p>
                {move || words::fill(td_string!(locale.get(), home.signed_in_as), &name)}
                " · "
                <span class="role">{move || words::role(locale.get(), role)}</span>
            </p>
            <div class="actions">
                <button type="button" class="button secondary" disabled=move || out.pending()
                    on:click=move |_| out.post_empty(signed.write(api, paths::STAFF_SIGN_OUT))>
                    {move || td_string!(locale.get(), home.sign_out)}
                </button>
                <button type="button" class="button secondary" disabled=move || out.pending()
                    on:click=move |_| out.post_empty(signed.write(api, paths::STAFF_SIGN_OUT_EVERYWHERE))>
                    {move || td_string!(locale.get(), home.sign_out_everywhere)}
                </button>
            </div>
        </section>
        <nav class="screens" aria-label=move || td_string!(locale.get(), nav.label)>
            <ul>
                {Screen::ALL.into_iter().filter(|s| s.allows(role)).map(|screen| {
                    let at = screen.path();
                    let current = move || here.with(|p| p == at || p.strip_prefix(at).is_some_and(|rest| rest.starts_with('/')));
                    view! {
                        <li><a href=at aria-current=move || current().then_some("page")>
                            {move || screen.name(locale.get())}
                        </a></li>
                    }
                }).collect_view()}
            </ul>
        </nav>
        <Routes fallback=not_found>
            <Route path=path!("/staff") view=move || home(desk)/>
            <Route path=path!("/staff/pages") view=move || desk.open(Screen::Pages)/>
            <Route path=path!("/staff/pages/:slug") view=move || desk.gate(Screen::Pages, move || page_editor(desk))/>
            <Route path=path!("/staff/returns") view=move || desk.open(Screen::Returns)/>
            <Route path=path!("/staff/accounts") view=move || desk.open(Screen::Accounts)/>
            <Route path=path!("/staff/partners") view=move || desk.open(Screen::Partners)/>
            <Route path=path!("/staff/integrations") view=move || desk.open(Screen::Integrations)/>
            <Route path=path!("/staff/messages") view=move || desk.open(Screen::Messages)/>
            <Route path=path!("/staff/audit") view=move || desk.open(Screen::Audit)/>
        </Routes>
    }
    .into_any()
}

/// `/staff/`: the role's first screen (in place of this entry, so Back skips it), or, for a
/// role with none yet, what comes.
fn home(desk: Desk) -> AnyView {
    match Screen::home(desk.role) {
        Some(screen) => view! {
            <Redirect path=screen.path() options=NavigateOptions { replace: true, ..Default::default() }/>
        }
        .into_any(),
        None => {
            let l = desk.locale;
            view! { <p class="notice">{move || td_string!(l.get(), home.nothing_yet)}</p> }
                .into_any()
        }
    }
}

/// `/staff/pages/:slug`: the page in the editor; another slug opens another editor.
fn page_editor(desk: Desk) -> impl IntoView {
    let Desk { locale, api, .. } = desk;
    let (signed, role, changes) = (desk.signed, desk.role, desk.changes);
    let params = use_params_map();
    let slug = Memo::new(move |_| params.with(|p| p.get("slug")).unwrap_or_default());
    let tiers = Remote::<Vec<Tier>>::new(move || api.read(paths::TIERS));
    let tiers = Signal::derive(move || tiers.get().and_then(Result::ok).unwrap_or_default());
    move || {
        let slug = slug.get();
        view! { <editor::Editor locale api signed role slug tiers changes/> }
    }
}
