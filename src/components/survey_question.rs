//! The portal's words for a survey question; the question itself is drawn by
//! `portico_ui::survey` (the widget draws the same).

use crate::locale::i18n::*;
use crate::locale::use_locale;
use leptos::prelude::*;
use portico_api::{Answer, Question};
pub use portico_ui::survey::{QuestionWords, Report};

/// The words around a question in `locale`.
pub fn words(locale: Locale) -> QuestionWords {
    QuestionWords {
        english: locale == Locale::en,
        csat: (
            td_string!(locale, survey.csat_low),
            td_string!(locale, survey.csat_high),
        ),
        nps: (
            td_string!(locale, survey.nps_low),
            td_string!(locale, survey.nps_high),
        ),
        ces: (
            td_string!(locale, survey.ces_low),
            td_string!(locale, survey.ces_high),
        ),
        optional: td_string!(locale, survey.optional),
        required: td_string!(locale, survey.required),
        chars_left: td_string!(locale, survey.chars_left),
    }
}

/// [`portico_ui::survey::question`] in the portal's current language.
pub fn question(
    question: Question,
    answers: RwSignal<Vec<Answer>>,
    missing: RwSignal<Option<String>>,
    answer: Report,
    typing: Report,
) -> AnyView {
    let i18n = use_locale();
    portico_ui::survey::question(
        question,
        answers,
        missing,
        answer,
        typing,
        Signal::derive(move || words(i18n.get())),
    )
}
