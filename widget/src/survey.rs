//! A survey on the partner's page: the partner passes the token of the visitor's invitation
//! (`Portico.survey(token)`), or else the partner's own survey for every visitor is shown
//! (nobody known; the visitor's browser keeps its response's id), and the widget draws its questions — the same question pieces as
//! the portal's survey page (`portico_ui::survey`) — saving each answer as it is given. The link
//! is the right to answer: no sign-in, no cookie.

use crate::call::Call;
use crate::locale::fill;
use crate::locale::i18n::*;
use crate::settings::Embed;
use leptos::prelude::*;
use portico_api::{
    paths, Answer, AnswerError, AnswerValue, ErrorCode, PartnerSurvey, ResponseId, Survey,
    SurveyAnswers, SurveyInvitation, SurveyResponse, Touchpoint,
};
use portico_client::{idempotency_key, Endpoint};
use portico_ui::survey::{question, QuestionWords};

fn words(locale: Locale) -> QuestionWords {
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

/// Which survey the section draws.
#[derive(Clone)]
pub enum SurveySource {
    /// The visitor's invitation, by its link's token (`Portico.survey(token)`).
    Invitation(String),
    /// The partner's own survey for every visitor (named by the partner's name): nobody is
    /// known; the visitor's browser keeps its response's id, to continue it on a later visit.
    Partner(String),
}

/// The survey, a chunk of its own (`#[lazy]`): fetched when the section is first shown.
#[cfg(not(test))]
#[leptos::lazy]
pub fn survey_view(embed: Embed, locale: Locale, source: SurveySource) -> AnyView {
    view! { <SurveySection embed locale source/> }.into_any()
}

/// Unit tests run the wasm as linked, never split: no chunk to fetch, the survey is right here.
#[cfg(test)]
pub async fn survey_view(embed: Embed, locale: Locale, source: SurveySource) -> AnyView {
    view! { <SurveySection embed locale source/> }.into_any()
}

/// Where the id of a visitor's response to the partner's survey is kept.
fn kept_id_key(partner: &str) -> String {
    format!("portico-widget:survey:{partner}")
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// What the form needs, whichever survey it is.
struct Opened {
    survey: Survey,
    title: String,
    about: String,
    response: Option<SurveyResponse>,
    save_to: Endpoint,
    /// Where to keep a new response's id (the partner's survey), if anywhere.
    keep_id: Option<String>,
}

#[component]
pub fn SurveySection(embed: Embed, locale: Locale, source: SurveySource) -> impl IntoView {
    match source {
        SurveySource::Invitation(token) => {
            let invitation = Call::<SurveyInvitation>::load(
                embed.endpoint(&paths::widget_survey(embed.partner, &token)),
            );
            let save_to = embed.endpoint(&paths::widget_survey_response(embed.partner, &token));
            let open = move |found: SurveyInvitation| {
                let title = match found.about.touchpoint {
                    Touchpoint::Delivery => td_string!(locale, survey.title_delivery),
                    Touchpoint::Return => td_string!(locale, survey.title_return),
                    Touchpoint::Support => td_string!(locale, survey.title_support),
                };
                Opened {
                    survey: found.survey,
                    title: title.to_string(),
                    about: fill(td_string!(locale, survey.about), &found.about.reference),
                    response: found.response,
                    save_to: save_to.clone(),
                    keep_id: None,
                }
            };
            opened_view(locale, invitation, open).into_any()
        }
        SurveySource::Partner(name) => {
            let key = kept_id_key(embed.partner);
            let kept = storage()
                .and_then(|s| s.get_item(&key).ok().flatten())
                .filter(|id| ResponseId::from_wire(id).is_some());
            let mut path = paths::widget_partner_survey(embed.partner);
            if let Some(id) = &kept {
                path = format!("{path}?response={id}");
            }
            let found = Call::<PartnerSurvey>::load(embed.endpoint(&path));
            let save_to = embed.endpoint(&paths::widget_partner_survey_response(embed.partner));
            let open = move |found: PartnerSurvey| Opened {
                survey: found.survey,
                title: fill(td_string!(locale, survey.title_partner), &name),
                about: td_string!(locale, survey.about_partner).to_string(),
                response: found.response,
                save_to: save_to.clone(),
                keep_id: Some(key.clone()),
            };
            opened_view(locale, found, open).into_any()
        }
    }
}

/// The survey once read (`open` says what of it the form shows), or why it cannot be answered.
fn opened_view<T: serde::de::DeserializeOwned + Clone + Send + Sync + 'static>(
    locale: Locale,
    call: Call<T>,
    open: impl Fn(T) -> Opened + Send + Sync + 'static,
) -> impl IntoView {
    move || match call.get() {
        None => view! { <p class="loading" role="status">{td_string!(locale, panel.loading)}</p> }
            .into_any(),
        Some(Err(error)) => {
            let message = match error.code() {
                Some(ErrorCode::NotFound) => td_string!(locale, survey.invalid),
                Some(ErrorCode::LinkExpired) => td_string!(locale, survey.expired),
                _ => crate::feedback::error_text(locale, &error, |l| td_string!(l, survey.invalid)),
            };
            view! { <p class="error" role="alert">{message}</p> }.into_any()
        }
        Some(Ok(found)) => view! { <SurveyForm locale opened=open(found)/> }.into_any(),
    }
}

#[component]
fn SurveyForm(locale: Locale, opened: Opened) -> impl IntoView {
    let Opened {
        survey,
        title,
        about,
        response,
        save_to: endpoint,
        keep_id,
    } = opened;
    let done_before = response.as_ref().is_some_and(|r| r.finished_at.is_some());
    let answers = RwSignal::new(
        response
            .as_ref()
            .map(|r| r.answers.clone())
            .unwrap_or_default(),
    );
    // The response's id is made here, once, unless the service already has one; for the
    // partner's survey it is kept, so that a later visit continues this response.
    let response_id = StoredValue::new(response.map(|r| r.response_id).unwrap_or_else(|| {
        let id =
            ResponseId::from_wire(&idempotency_key()).expect("32 hex digits are a response id");
        if let (Some(key), Some(storage)) = (&keep_id, storage()) {
            let _ = storage.set_item(key, id.as_str());
        }
        id
    }));
    let missing = RwSignal::new(None::<String>);
    let saved = Call::<SurveyResponse>::new();
    let save = {
        let endpoint = endpoint.clone();
        move |finished: bool| {
            saved.send(
                "PUT",
                endpoint.clone(),
                serde_json::to_string(&SurveyAnswers {
                    response_id: response_id.get_value(),
                    answers: answers.get_untracked(),
                    finished,
                })
                .ok(),
            );
        }
    };
    let set = move |(id, value): (String, Option<AnswerValue>)| {
        answers.update(|all| {
            all.retain(|a| a.question != id);
            if let Some(value) = value {
                all.push(Answer {
                    question: id,
                    value,
                });
            }
        });
    };
    let answer_now = {
        let save = save.clone();
        Callback::new(move |given: (String, Option<AnswerValue>)| {
            missing.set(None);
            set(given);
            save(false);
        })
    };
    let keep_typing = Callback::new(set);
    let survey = StoredValue::new(survey);
    // Leaving the last field saves it as the button is pressed: only the finishing save holds the
    // button, or the press that left the field would land on a button that just went inert.
    let finishing = RwSignal::new(false);
    let holding = move || finishing.get() && saved.pending();
    let finish = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match survey.with_value(|s| s.check(&answers.get_untracked(), true)) {
            Err(AnswerError::Missing(id)) => missing.set(Some(id)),
            _ => {
                finishing.set(true);
                save(true);
            }
        }
    };
    let words = Signal::stored(words(locale));
    let questions = survey.with_value(|s| s.questions.clone());
    let form = view! {
        <form class="form survey" on:submit=finish novalidate>
            {questions.into_iter().map(|q| {
                let rule = q.clone();
                view! {
                    <div class="question" hidden=move || !answers.with(|all| rule.shown(all))>
                        {question(q, answers, missing, answer_now, keep_typing, words)}
                    </div>
                }
            }).collect_view()}
            <button type="submit" class="button" disabled=holding>
                {move || if holding() { td_string!(locale, survey.saving) } else { td_string!(locale, survey.finish) }}
            </button>
            // Under the button, so a failed save said during a press never moves it.
            {move || saved.get().and_then(Result::err).map(|error| view! {
                <p class="error" role="alert">{crate::feedback::error_text(locale, &error, |l| td_string!(l, survey.invalid))}</p>
            })}
        </form>
    };
    // Once finished, finished: an earlier save answered after the finishing one never reopens it.
    let finished = Memo::new(move |before: Option<&bool>| {
        before.copied().unwrap_or(done_before)
            || matches!(saved.get(), Some(Ok(ref r)) if r.finished_at.is_some())
    });
    let follow_up = move || matches!(saved.get(), Some(Ok(ref r)) if r.follow_up);
    view! {
        <section class="survey-section" aria-labelledby="portico-survey-title">
            <h3 id="portico-survey-title">{title}</h3>
            <p class="hint">{about}</p>
            <div hidden=finished>{form}</div>
            {move || finished.get().then(|| view! {
                <div class="thanks" role="status">
                    <p>{td_string!(locale, survey.thanks)}</p>
                    {follow_up().then(|| view! { <p>{td_string!(locale, survey.follow_up)}</p> })}
                </div>
            })}
        </section>
    }
}
