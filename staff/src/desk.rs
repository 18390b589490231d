//! The signed-in app: who is signed in (and signing out), a nav of the screens the role may
//! open, and the screen at each address under `/staff/` (`Place`; leptos_router keeps the
//! address, Back and links). `/staff/` sends a role to its first screen; a screen the role may
//! not open says so, with the way to its home. Nobody signed in: `lib.rs` shows the sign-in at
//! the address asked for, so signing in lands there.

use crate::locales::i18n::*;
use crate::{
    accounts, audit, editor, integrations, messages, pages, partners, returns, words, Api, Signed,
};
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::location::{BrowserUrl, LocationProvider};
use leptos_router::NavigateOptions;
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

/// Where an address under `/staff/` leads.
#[derive(Clone, PartialEq)]
enum Place {
    Home,
    Screen(Screen),
    /// `/staff/pages/SLUG`: the page in the editor.
    Page(String),
    Nowhere,
}

impl Place {
    fn at(path: &str) -> Place {
        let path = path.trim_end_matches('/');
        if matches!(path, "" | "/staff") {
            return Place::Home;
        }
        if let Some(slug) = path.strip_prefix("/staff/pages/") {
            return if slug.is_empty() || slug.contains('/') {
                Place::Nowhere
            } else {
                Place::Page(slug.to_string())
            };
        }
        Screen::ALL
            .into_iter()
            .find(|s| s.path() == path)
            .map_or(Place::Nowhere, Place::Screen)
    }

    /// Whether this is `screen` or a place inside it (a page in the editor is in the pages).
    fn under(&self, screen: Screen) -> bool {
        match self {
            Place::Screen(s) => *s == screen,
            Place::Page(_) => screen == Screen::Pages,
            Place::Home | Place::Nowhere => false,
        }
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
    let to_home = navigate.clone();
    Effect::new(move |_| {
        if out.value().is_some() {
            // The next person to sign in here starts at their own home.
            to_home("/staff/", NavigateOptions::default());
            signed.forget();
        }
    });
    let role = staff.role;
    let name = staff.name.clone();
    let here = use_location().pathname;
    let place = Memo::new(move |_| Place::at(&here.get()));
    // A link followed: the screen is drawn (effects run after), so the address bar may show it
    // (what leptos_router's <Routes> does; the screens here are matched by `Place`).
    let browser = use_context::<BrowserUrl>();
    Effect::new(move |_| {
        here.track();
        if let Some(browser) = &browser {
            browser.ready_to_complete();
        }
    });
    // `/staff/`: the role's first screen, in place of this entry (so Back skips it).
    Effect::new(move |_| {
        if let (Place::Home, Some(screen)) = (place.get(), Screen::home(role)) {
            navigate(
                screen.path(),
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });
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
                    let current = move || place.with(|p| p.under(screen));
                    view! {
                        <li><a href=screen.path() aria-current=move || current().then_some("page")>
                            {move || screen.name(locale.get())}
                        </a></li>
                    }
                }).collect_view()}
            </ul>
        </nav>
        {move || match place.get() {
            // The others are sent to their first screen (above).
            Place::Home if Screen::home(role).is_some() => ().into_any(),
            Place::Home => view! { <p class="notice">{move || td_string!(locale.get(), home.nothing_yet)}</p> }.into_any(),
            Place::Screen(screen) => desk.open(screen),
            Place::Page(slug) => desk.gate(Screen::Pages, move || view! {
                <editor::Editor locale api signed role slug tiers=page_tiers(api) changes=desk.changes/>
            }),
            Place::Nowhere => way_home(locale, |l| td_string!(l, nav.not_found)).into_any(),
        }}
    }
    .into_any()
}

/// The tiers a page can be for (the editor's audience and preview).
fn page_tiers(api: Api) -> Signal<Vec<Tier>> {
    let tiers = Remote::<Vec<Tier>>::new(move || api.read(paths::TIERS));
    Signal::derive(move || tiers.get().and_then(Result::ok).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::{Place, Screen};
    use portico_api::StaffRole;
    use wasm_bindgen_test::*;

    #[wasm_bindgen_test]
    fn an_address_leads_to_its_screen_with_or_without_a_trailing_slash() {
        assert!(Place::at("/staff") == Place::Home);
        assert!(Place::at("/staff/") == Place::Home);
        assert!(Place::at("/staff/returns") == Place::Screen(Screen::Returns));
        assert!(Place::at("/staff/audit/") == Place::Screen(Screen::Audit));
        assert!(Place::at("/staff/pages/gold-week") == Place::Page("gold-week".into()));
        assert!(Place::at("/staff/pages/gold-week/") == Place::Page("gold-week".into()));
        assert!(Place::at("/staff/pages/a/b") == Place::Nowhere);
        assert!(Place::at("/staff/nowhere") == Place::Nowhere);
        assert!(Place::at("/staff/returnsx") == Place::Nowhere);
        // A page in the editor is in the pages, in the nav.
        assert!(Place::at("/staff/pages/gold-week").under(Screen::Pages));
        assert!(!Place::at("/staff/audit").under(Screen::Pages));
    }

    #[wasm_bindgen_test]
    fn each_role_opens_its_own_screens_and_starts_at_the_first() {
        let open = |role| {
            Screen::ALL
                .into_iter()
                .filter(|s| s.allows(role))
                .collect::<Vec<_>>()
        };
        assert!(open(StaffRole::Editor) == [Screen::Pages]);
        assert!(open(StaffRole::Publisher) == [Screen::Pages, Screen::Returns, Screen::Audit]);
        assert!(open(StaffRole::Admin) == Screen::ALL);
        assert!(open(StaffRole::Analyst).is_empty());
        assert!(Screen::home(StaffRole::Analyst).is_none());
        assert!(Screen::home(StaffRole::Admin) == Some(Screen::Pages));
    }
}
