//! `/s/:token`: a survey opened from the message that follows a service — no sign-in, the link is
//! the right to answer. It says what it is about, saves each answer as it is given, keeps answers
//! on the device while the network is gone (sent when it is back, also after the tab was closed),
//! and a link with `?score=N` records that first answer as the page opens. A finished survey can
//! be changed for 24 hours; a detractor hears that someone will contact them within 48 hours.

use crate::components::page_state::{ErrorNotice, Skeleton};
use crate::components::{labels, survey_question};
use crate::format;
use crate::locale::i18n::*;
use crate::locale::use_locale;
use crate::pending;
use crate::services::Services;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::{lazy_route, LazyRoute, NavigateOptions};
use portico_api::{
    paths, Answer, AnswerError, AnswerValue, ErrorCode, SurveyAnswers, SurveyInvitation,
    SurveyResponse, Touchpoint, UtcTime,
};
use portico_client::{decode, ApiError, Remote, Submit};

/// The route: a wasm chunk of its own, fetched at the same time as the invitation.
pub struct SurveyRoute {
    token: String,
    invitation: Remote<SurveyInvitation>,
}

#[lazy_route]
impl LazyRoute for SurveyRoute {
    fn data() -> Self {
        let services = Services::current();
        let token = use_params_map()
            .read_untracked()
            .get("token")
            .unwrap_or_default();
        let path = paths::survey(&token);
        Self {
            token,
            invitation: Remote::new(move || services.surveys(&path)),
        }
    }

    fn view(this: Self) -> AnyView {
        let (token, invitation) = (this.token, this.invitation);
        // What this device kept for the survey, read as the page opens (while the invitation is
        // on its way, before anything kept is sent again), so the newest answers are drawn.
        let kept = pending::waiting(&pending::key("PUT", &paths::survey_response(&token), ""));
        let i18n = use_locale();
        view! {
            <section class="page narrow survey">
                {move || match invitation.get() {
                    None => view! { <Skeleton blocks=4/> }.into_any(),
                    Some(Ok(found)) => view! { <SurveyForm token=token.clone() found kept=kept.clone()/> }.into_any(),
                    Some(Err(error)) => match error.code() {
                        Some(ErrorCode::NotFound) => link_notice(
                            td_string!(i18n.get(), survey.invalid_title),
                            td_string!(i18n.get(), survey.invalid_body),
                        ),
                        Some(ErrorCode::LinkExpired) => link_notice(
                            td_string!(i18n.get(), survey.expired_title),
                            td_string!(i18n.get(), survey.expired_body),
                        ),
                        _ => view! {
                            <ErrorNotice error retry=Callback::new(move |_| invitation.refetch())/>
                        }
                        .into_any(),
                    },
                }}
            </section>
        }
        .into_any()
    }
}

/// A link that cannot open a survey, said plainly: never an error, always a way on.
fn link_notice(title: &'static str, body: &'static str) -> AnyView {
    view! {
        <div class="empty-state">
            <h1>{title}</h1>
            <p>{body}</p>
            <p>{move || td_string!(use_locale().get(), survey.instead)}</p>
            <a href="/" class="button">{move || td_string!(use_locale().get(), survey.home)}</a>
        </div>
    }
    .into_any()
}

/// Where the latest save stands.
#[derive(Debug, Clone, PartialEq)]
enum Saving {
    Idle,
    Busy,
    Saved,
    /// Kept on this device until the network is back.
    Kept,
    Failed(ApiError),
}

/// Whether an RFC 3339 time has passed on this device's clock.
fn passed(at: &UtcTime) -> bool {
    js_sys::Date::parse(&at.0) <= js_sys::Date::now()
}

#[component]
fn SurveyForm(token: String, found: SurveyInvitation, kept: Option<String>) -> impl IntoView {
    let i18n = use_locale();
    let services = Services::current();
    let SurveyInvitation {
        survey,
        about,
        response,
        ..
    } = found;
    let path = paths::survey_response(&token);
    let key = pending::key("PUT", &path, "");
    // What this device held for the survey wins over what the service has: it is newer.
    let kept: Option<SurveyAnswers> = kept.and_then(|body| decode(&body).ok());
    let closed = response
        .as_ref()
        .and_then(|r| r.editable_until.as_ref())
        .is_some_and(passed);
    let response_id = kept
        .as_ref()
        .map(|k| k.response_id.clone())
        .or_else(|| response.as_ref().map(|r| r.response_id.clone()))
        .unwrap_or_else(pending::new_id);
    let response_id = StoredValue::new(response_id);
    let answers = RwSignal::new(match (&kept, &response) {
        (Some(kept), _) => kept.answers.clone(),
        (None, Some(stored)) => stored.answers.clone(),
        (None, None) => Vec::new(),
    });
    let finished = RwSignal::new(
        kept.as_ref().is_some_and(|k| k.finished)
            || response.as_ref().is_some_and(|r| r.finished_at.is_some()),
    );
    let stored = RwSignal::new(response);
    let saving = RwSignal::new(if pending::waiting(&key).is_some() {
        Saving::Kept
    } else {
        Saving::Idle
    });
    let missing = RwSignal::new(None::<String>);
    let survey = StoredValue::new(survey);
    let resave = StoredValue::new(None::<Callback<()>>);

    // Each save sends every answer so far; `pending` sends one request per survey at a time and the
    // newest answers last, so a quick change never lands before an older one.
    let save_now = {
        let (key, token) = (key.clone(), token.clone());
        move || {
            let body = SurveyAnswers {
                response_id: response_id.get_value(),
                answers: answers.get_untracked(),
                finished: finished.get_untracked(),
            };
            let Ok(body) = serde_json::to_string(&body) else {
                saving.set(Saving::Failed(ApiError::Unexpected));
                return;
            };
            saving.set(Saving::Busy);
            let (key, token) = (key.clone(), token.clone());
            leptos::task::spawn_local(async move {
                let answer = pending::send(services, key, body).await;
                // The page may have been left meanwhile: nothing below may assume it is still there.
                let state = match answer.and_then(|text| decode::<SurveyResponse>(&text)) {
                    Ok(saved) => {
                        stored.try_set(Some(saved));
                        Saving::Saved
                    }
                    Err(ApiError::Network) => Saving::Kept,
                    Err(error) if error.code() == Some(ErrorCode::ResponseIdReused) => {
                        // Answered in another tab or on another device first: carry on with that
                        // response (answers merge per question).
                        let endpoint = services.surveys(&paths::survey(&token));
                        match portico_client::get::<SurveyInvitation>(&endpoint).await {
                            Ok(SurveyInvitation {
                                response: Some(theirs),
                                ..
                            }) => {
                                response_id.try_set_value(theirs.response_id);
                                if let Some(again) = resave.try_get_value().flatten() {
                                    again.run(());
                                }
                                return;
                            }
                            _ => Saving::Failed(error),
                        }
                    }
                    Err(error) => Saving::Failed(error),
                };
                saving.try_set(state);
            });
        }
    };
    let set_answer = move |question: String, value: Option<AnswerValue>| {
        answers.update(|all| {
            all.retain(|a| a.question != question);
            if let Some(value) = value {
                all.push(Answer { question, value });
            }
        });
        missing.set(None);
    };
    let save_now = Callback::new(move |()| save_now());
    resave.set_value(Some(save_now));
    // What this device kept (before a reload, or while offline) is sent from here too, as the
    // page opens and when the browser is online again, so the page hears the service's answer and
    // stops saying it is kept; `pending` sends one request per survey at a time (one the portal
    // already sent is waited for, and its answer taken).
    let resend = move || {
        if saving.get_untracked() == Saving::Kept {
            save_now.run(());
        }
    };
    resend();
    let online = window_event_listener(leptos::ev::online, move |_| resend());
    on_cleanup(move || online.remove());
    let answer_now = Callback::new(move |(question, value): (String, Option<AnswerValue>)| {
        set_answer(question, value);
        save_now.run(());
    });
    // Typing is kept on the device at every key; it is sent when the field is left.
    let keep_typing = {
        let key = key.clone();
        Callback::new(move |(question, value): (String, Option<AnswerValue>)| {
            set_answer(question, value);
            let body = SurveyAnswers {
                response_id: response_id.get_value(),
                answers: answers.get_untracked(),
                finished: finished.get_untracked(),
            };
            if let Ok(body) = serde_json::to_string(&body) {
                pending::keep(&key, &body);
            }
        })
    };

    let editing = RwSignal::new(!finished.get_untracked());
    // `?score=N`: the one tap in the message is the first answer. On a survey already sent, a
    // different score reopens it with that score chosen, to be sent once the rest still fits.
    let query = use_query_map();
    if let Some(score) = query
        .read_untracked()
        .get("score")
        .and_then(|s| s.parse::<u8>().ok())
    {
        let first = survey.with_value(|s| s.questions.first().cloned());
        if let Some(first) = first.filter(|_| !closed) {
            let value = AnswerValue::Score(score);
            let same = answers.with_untracked(|all| {
                all.iter()
                    .any(|a| a.question == first.id && a.value == value)
            });
            if value.fits(&first.answer) && !same {
                if finished.get_untracked() {
                    set_answer(first.id, Some(value));
                    editing.set(true);
                } else {
                    answer_now.run((first.id, Some(value)));
                }
            }
        }
        // The address no longer carries the score, so reloading never undoes a later change.
        use_navigate()(
            &format!("/s/{token}"),
            NavigateOptions {
                replace: true,
                ..Default::default()
            },
        );
    }

    let finish = move || {
        let verdict = survey.with_value(|s| s.check(&answers.get_untracked(), true));
        match verdict {
            Err(AnswerError::Missing(question)) => {
                missing.set(Some(question.clone()));
                if let Some(field) = document().get_element_by_id(&format!("q-{question}")) {
                    field.scroll_into_view();
                }
            }
            _ => {
                finished.set(true);
                editing.set(false);
                save_now.run(());
            }
        }
    };

    let title = move || match about.touchpoint {
        Touchpoint::Delivery => td_string!(i18n.get(), survey.title_delivery),
        Touchpoint::Return => td_string!(i18n.get(), survey.title_return),
        Touchpoint::Support => td_string!(i18n.get(), survey.title_support),
    };
    let subject = {
        let about = about.clone();
        move || {
            let locale = i18n.get();
            let pattern = match about.touchpoint {
                Touchpoint::Delivery => td_string!(locale, survey.about_delivery),
                Touchpoint::Return => td_string!(locale, survey.about_return),
                Touchpoint::Support => td_string!(locale, survey.about_support),
            };
            pattern
                .replace("[ref]", &about.reference)
                .replace("[date]", &format::date(locale, &about.at))
        }
    };
    let items = crate::locale::pick_all(i18n.get(), &about.items);

    view! {
        <h1>{title}</h1>
        <p class="lead">{subject}</p>
        {(!items.is_empty()).then(|| view! { <p class="muted survey-items">{items}</p> })}
        {move || if closed {
            closed_view(stored.get()).into_any()
        } else if editing.get() {
            view! {
                <form class="survey-form" novalidate on:submit=move |ev| { ev.prevent_default(); finish(); }>
                    // Every question is drawn once; a condition only hides or shows it, so what is
                    // being typed is never redrawn.
                    {survey.with_value(|s| s.questions.clone()).into_iter().map(|q| {
                        let rule = q.clone();
                        view! {
                            <div hidden=move || !answers.with(|given| rule.shown(given))>
                                {survey_question::question(q, answers, missing, answer_now, keep_typing)}
                            </div>
                        }
                    }).collect_view()}
                    <button type="submit" class="button" disabled=move || saving.get() == Saving::Busy && finished.get()>
                        {move || td_string!(i18n.get(), survey.finish)}
                    </button>
                    // Under the button, so a line that grows never moves it.
                    <SaveState saving/>
                </form>
            }
            .into_any()
        } else {
            view! { <Thanks stored saving edit=Callback::new(move |_| editing.set(true))/> }.into_any()
        }}
        <OptOut token=token.clone()/>
    }
}

/// What the latest save did, said where screen readers hear it. A save that starts keeps what the
/// one before said until it is answered: leaving the last field saves it as the button is pressed,
/// and a line that shrank and grew back during the press would move the button from under it.
#[component]
fn SaveState(saving: RwSignal<Saving>) -> impl IntoView {
    let i18n = use_locale();
    let said = Memo::new(move |before: Option<&Saving>| match saving.get() {
        Saving::Busy => before
            .filter(|said| **said != Saving::Idle)
            .cloned()
            .unwrap_or(Saving::Busy),
        now => now,
    });
    view! {
        <p class="save-state" role="status" aria-live="polite">
            {move || match said.get() {
                Saving::Idle => String::new(),
                Saving::Busy => td_string!(i18n.get(), survey.saving).to_string(),
                Saving::Saved => td_string!(i18n.get(), survey.saved).to_string(),
                Saving::Kept => td_string!(i18n.get(), survey.kept_offline).to_string(),
                Saving::Failed(error) => labels::api_error(i18n.get(), &error),
            }}
        </p>
    }
}

/// After the last answer: thanks, a promise of contact for a detractor, and until when the answers
/// can still change.
#[component]
fn Thanks(
    stored: RwSignal<Option<SurveyResponse>>,
    saving: RwSignal<Saving>,
    edit: Callback<()>,
) -> impl IntoView {
    let i18n = use_locale();
    // The button that was pressed is gone: the thanks take the focus, so a keyboard or a screen
    // reader carries on from here.
    let heading = NodeRef::<leptos::html::H2>::new();
    Effect::new(move |_| {
        if let Some(heading) = heading.get() {
            let _ = heading.focus();
        }
    });
    view! {
        <div class="notice notice-success survey-thanks">
            <h2 node_ref=heading tabindex="-1">{move || td_string!(i18n.get(), survey.thanks_title)}</h2>
            <div role="status">
            <p>{move || td_string!(i18n.get(), survey.thanks_body)}</p>
            {move || match saving.get() {
                Saving::Kept => Some(view! { <p>{td_string!(i18n.get(), survey.kept_offline)}</p> }.into_any()),
                Saving::Failed(error) => Some(view! { <p class="field-error">{labels::api_error(i18n.get(), &error)}</p> }.into_any()),
                _ => None,
            }}
            {move || stored.get().filter(|r| r.follow_up).map(|_| view! {
                <p class="survey-follow-up">{td_string!(i18n.get(), survey.follow_up)}</p>
            })}
            {move || stored.get().and_then(|r| r.editable_until).map(|until| view! {
                <p class="muted">
                    {td_string!(i18n.get(), survey.edit_until).replace("[date]", &format::date_time(i18n.get(), &until))}
                </p>
            })}
            </div>
            <button type="button" class="button button-secondary" on:click=move |_| edit.run(())>
                {move || td_string!(i18n.get(), survey.edit)}
            </button>
        </div>
    }
}

/// A response finished more than a day ago: read, not changed.
fn closed_view(stored: Option<SurveyResponse>) -> impl IntoView {
    let i18n = use_locale();
    let when = stored.and_then(|r| r.finished_at);
    view! {
        <div class="notice notice-info" role="status">
            <p>{move || match &when {
                Some(at) => td_string!(i18n.get(), survey.closed).replace("[date]", &format::date(i18n.get(), at)),
                None => td_string!(i18n.get(), survey.thanks_body).to_string(),
            }}</p>
        </div>
    }
}

/// "No more surveys": the customer's choice, taken at once.
#[component]
fn OptOut(token: String) -> impl IntoView {
    let i18n = use_locale();
    let services = Services::current();
    let stop = Submit::<()>::new();
    let endpoint = services.surveys(&paths::survey_opt_out(&token));
    view! {
        <div class="survey-opt-out">
            {move || match stop.value() {
                Some(Ok(())) => view! { <p role="status">{td_string!(i18n.get(), survey.opted_out)}</p> }.into_any(),
                answer => {
                    let endpoint = endpoint.clone();
                    view! {
                        <button type="button" class="button button-link" disabled=move || stop.pending()
                            on:click=move |_| stop.post_empty(endpoint.clone())>
                            {td_string!(i18n.get(), survey.opt_out)}
                        </button>
                        {answer.and_then(Result::err).map(|error| view! {
                            <p class="field-error" role="alert">{labels::api_error(i18n.get(), &error)}</p>
                        })}
                    }
                    .into_any()
                }
            }}
        </div>
    }
}
