//! The widget's own words (`widget/locales/`), never the portal's: zh-CN and en.

#[allow(deprecated)]
mod locales {
    leptos_i18n::load_locales!();
}
pub use locales::i18n;

use i18n::Locale;

/// `en...` is English, `zh...` Chinese; anything else is no answer (the partner's default then).
pub fn from_tag(tag: &str) -> Option<Locale> {
    let tag = tag.to_ascii_lowercase();
    if tag.starts_with("en") {
        Some(Locale::en)
    } else if tag.starts_with("zh") {
        Some(Locale::zh_CN)
    } else {
        None
    }
}

/// The BCP 47 tag, for `lang` attributes and `Intl`.
pub fn tag(locale: Locale) -> &'static str {
    match locale {
        Locale::en => "en",
        Locale::zh_CN => "zh-CN",
    }
}

/// The language to speak: the page's `data-locale`, else the browser's first language we speak,
/// else the partner's default.
pub fn choose(asked: Option<Locale>, partner_default: &str) -> Locale {
    asked
        .or_else(|| {
            let languages = leptos::prelude::window().navigator().languages();
            languages
                .iter()
                .filter_map(|l| l.as_string())
                .find_map(|l| from_tag(&l))
        })
        .or_else(|| from_tag(partner_default))
        .unwrap_or(Locale::zh_CN)
}

/// The text of `text` in `locale`, or in the other language where it has none in this one.
pub fn pick(locale: Locale, text: &portico_api::Localized) -> &str {
    text.get(match locale {
        Locale::zh_CN => portico_api::PageLocale::ZhCn,
        Locale::en => portico_api::PageLocale::En,
    })
}

/// `text` with its one `[name]` placeholder filled (shared with the staff app).
pub use portico_ui::text::fill;
