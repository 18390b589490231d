//! The language the portal speaks right now. Pages read it and draw themselves in it; the
//! header's switch changes it. Translations come from `locales/` through the generated `i18n`
//! module (`td!` / `td_string!` with this locale).

// The `i18n` module is generated from `locales/*.json` at compile time (unknown keys fail the build).
#[allow(deprecated)]
mod locales {
    leptos_i18n::load_locales!();
}
pub use locales::i18n;

use i18n::Locale;
use leptos::prelude::*;

/// The current language, shared by every page (a copyable handle on one signal).
#[derive(Clone, Copy)]
pub struct CurrentLocale(RwSignal<Locale>);

impl CurrentLocale {
    /// The language now; inside a reactive scope, redraws it when the language changes.
    pub fn get(self) -> Locale {
        self.0.get()
    }

    /// The language now, outside any reactive scope (what an event handler sends).
    pub fn get_untracked(self) -> Locale {
        self.0.get_untracked()
    }

    pub fn set(self, locale: Locale) {
        self.0.set(locale);
    }
}

/// Makes `initial` the current language for everything below the current owner.
pub fn provide_locale(initial: Locale) -> CurrentLocale {
    let current = CurrentLocale(RwSignal::new(initial));
    provide_context(current);
    current
}

pub fn use_locale() -> CurrentLocale {
    expect_context::<CurrentLocale>()
}

/// `en...` is English; anything else the default, Chinese.
pub fn locale_from_tag(tag: &str) -> Locale {
    if tag.to_ascii_lowercase().starts_with("en") {
        Locale::en
    } else {
        Locale::zh_CN
    }
}

/// The BCP 47 tag of a language (`<html lang>`, `Intl`).
pub fn locale_tag(locale: Locale) -> &'static str {
    match locale {
        Locale::en => "en",
        Locale::zh_CN => "zh-CN",
    }
}

/// A translated string that follows the language: `{text(|l| td_string!(l, home.title))}`.
/// Every such string shares this one closure type, so the app carries its reactive code once.
pub fn text(key: fn(Locale) -> &'static str) -> impl Fn() -> &'static str + Copy + Send + Sync {
    let current = use_locale();
    move || key(current.get())
}

/// The contract's name for a language the portal speaks.
pub fn language(locale: Locale) -> portico_api::PageLocale {
    match locale {
        Locale::zh_CN => portico_api::PageLocale::ZhCn,
        Locale::en => portico_api::PageLocale::En,
    }
}

/// The text of `text` in `locale`, or in the other language when it has none in this one (an
/// item the shop named in one language only).
pub fn pick(locale: Locale, text: &portico_api::Localized) -> &str {
    text.get(language(locale))
}

/// Names (a parcel's items, a survey's) in `locale`, each as [`pick`] reads it, in one line.
pub fn pick_all(locale: Locale, names: &[portico_api::Localized]) -> String {
    names
        .iter()
        .map(|name| pick(locale, name))
        .collect::<Vec<_>>()
        .join(i18n::td_string!(locale, common.list_separator))
}
