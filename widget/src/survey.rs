//! A survey on the partner's page: the partner passes the token of the visitor's invitation
//! (`Portico.survey(token)`), and the widget draws its questions — the same question pieces as
//! the portal's survey page (`portico_ui::survey`) — saving each answer as it is given. The link
//! is the right to answer: no sign-in, no cookie.

use crate::call::Call;
use crate::locale::fill;
use crate::locale::i18n::*;
use crate::settings::Embed;
use leptos::prelude::*;
use portico_api::{
    paths, Answer, AnswerError, AnswerValue, ErrorCode, ResponseId, SurveyAnswers,
    SurveyInvitation, SurveyResponse, Touchpoint,
};
use portico_client::idempotency_key;
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

/// The survey, a chunk of its own (`#[lazy]`): fetched when a partner page passes one.
#[cfg(not(test))]
#[leptos::lazy]
pub fn survey_view(embed: Embed, locale: Locale, token: String) -> AnyView {
    view! { <SurveySection embed locale token/> }.into_any()
}

/// Unit tests run the wasm as linked, never split: no chunk to fetch, the survey is right here.
#[cfg(test)]
pub async fn survey_view(embed: Embed, locale: Locale, token: String) -> AnyView {
    view! { <SurveySection embed locale token/> }.into_any()
}

#[component]
pub fn SurveySection(embed: Embed, locale: Locale, token: String) -> impl IntoView {
    let invitation = Call::<SurveyInvitation>::load(
        embed.endpoint(&paths::widget_survey(embed.partner, &token)),
    );
    move || match invitation.get() {
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
        Some(Ok(found)) => view! {
            <SurveyForm embed=embed.clone() locale token=token.clone() found/>
        }
        .into_any(),
    }
}

#[component]
fn SurveyForm(
    embed: Embed,
    locale: Locale,
    token: String,
    found: SurveyInvitation,
) -> impl IntoView {
    let SurveyInvitation {
        survey,
        about,
        response,
        ..
    } = found;
    let done_before = response.as_ref().is_some_and(|r| r.finished_at.is_some());
    let answers = RwSignal::new(
        response
            .as_ref()
            .map(|r| r.answers.clone())
            .unwrap_or_default(),
    );
    // The response's id is made here, once, unless the service already has one.
    let response_id = StoredValue::new(response.map(|r| r.response_id).unwrap_or_else(|| {
        ResponseId::from_wire(&idempotency_key()).expect("32 hex digits are a response id")
    }));
    let missing = RwSignal::new(None::<String>);
    let saved = Call::<SurveyResponse>::new();
    let endpoint = embed.endpoint(&paths::widget_survey_response(embed.partner, &token));
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
    let finish = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match survey.with_value(|s| s.check(&answers.get_untracked(), true)) {
            Err(AnswerError::Missing(id)) => missing.set(Some(id)),
            _ => save(true),
        }
    };
    let title = match about.touchpoint {
        Touchpoint::Delivery => td_string!(locale, survey.title_delivery),
        Touchpoint::Return => td_string!(locale, survey.title_return),
        Touchpoint::Support => td_string!(locale, survey.title_support),
    };
    let reference = about.reference.clone();
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
            {move || saved.get().and_then(Result::err).map(|error| view! {
                <p class="error" role="alert">{crate::feedback::error_text(locale, &error, |l| td_string!(l, survey.invalid))}</p>
            })}
            <button type="submit" class="button" disabled=move || saved.pending()>
                {move || if saved.pending() { td_string!(locale, survey.saving) } else { td_string!(locale, survey.finish) }}
            </button>
        </form>
    };
    let finished =
        move || done_before || matches!(saved.get(), Some(Ok(ref r)) if r.finished_at.is_some());
    let follow_up = move || matches!(saved.get(), Some(Ok(ref r)) if r.follow_up);
    view! {
        <section class="survey-section" aria-labelledby="portico-survey-title">
            <h3 id="portico-survey-title">{title}</h3>
            <p class="hint">{fill(td_string!(locale, survey.about), &reference)}</p>
            <div hidden=finished>{form}</div>
            {move || finished().then(|| view! {
                <div class="thanks" role="status">
                    <p>{td_string!(locale, survey.thanks)}</p>
                    {follow_up().then(|| view! { <p>{td_string!(locale, survey.follow_up)}</p> })}
                </div>
            })}
        </section>
    }
}
