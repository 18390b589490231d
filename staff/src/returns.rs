//! Returns to review (publishers and admins): every return over 500 CNY that waits for a person,
//! as a panel with what goes back, the money, the customer and their returns so far; approved
//! with one press, or rejected with a reason the customer reads. A decided return leaves the list
//! and the status line says so, also when someone else had decided it first. What was typed
//! stays until the decision went through.

use crate::locales::i18n::*;
use crate::{words, Api, Signed};
use leptos::prelude::*;
use portico_api::{
    paths, ErrorCode, ReturnDecision, ReturnDetail, ReturnHistory, ReturnToReview, ReviewDecision,
    ReviewQueue, DECISION_REASON_MAX_CHARS,
};
use portico_client::Submit;

/// How a decision sent from here ended, for the status line.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Approved,
    Rejected,
    /// Another reviewer decided it first (409 `already_decided`).
    DecidedElsewhere,
    /// It no longer waits for review: its customer cancelled it (409 `return_locked`).
    NoLongerWaiting,
}

/// What the panels share: the one request a decision is, which return it is about, and the
/// returns that have left the list.
#[derive(Clone, Copy)]
struct Desk {
    locale: RwSignal<Locale>,
    api: Api,
    signed: Signed,
    decide: Submit<ReturnDetail>,
    asked: RwSignal<Option<String>>,
    gone: RwSignal<Vec<String>>,
}

#[component]
pub fn Reviews(
    locale: RwSignal<Locale>,
    api: Api,
    signed: Signed,
    /// Bumped after every decision that went through (the audit log reads it again).
    changes: RwSignal<u32>,
) -> impl IntoView {
    let queue = signed.remote::<ReviewQueue>(move || api.read(paths::STAFF_RETURNS));
    let desk = Desk {
        locale,
        api,
        signed,
        decide: signed.submit(),
        asked: RwSignal::new(None),
        gone: RwSignal::new(Vec::new()),
    };
    let told = RwSignal::new(None::<(String, Outcome)>);
    Effect::new(move |_| {
        let Some(answer) = desk.decide.value() else {
            return;
        };
        let Some(number) = desk.asked.get_untracked() else {
            return;
        };
        let outcome = match answer {
            Ok(detail) if detail.status == portico_api::ReturnStatus::Rejected => Outcome::Rejected,
            Ok(_) => Outcome::Approved,
            Err(error) => match error.code() {
                Some(ErrorCode::AlreadyDecided) => Outcome::DecidedElsewhere,
                Some(ErrorCode::ReturnLocked) => Outcome::NoLongerWaiting,
                // Said at the return's panel.
                _ => return,
            },
        };
        if matches!(outcome, Outcome::Approved | Outcome::Rejected) {
            changes.update(|n| *n += 1);
        }
        desk.gone.update(|gone| gone.push(number.clone()));
        told.set(Some((number, outcome)));
    });
    let status = move || {
        let l = locale.get();
        told.get().map(|(number, outcome)| {
            let text = match outcome {
                Outcome::Approved => td_string!(l, reviews.approved),
                Outcome::Rejected => td_string!(l, reviews.rejected),
                Outcome::DecidedElsewhere => td_string!(l, reviews.decided_elsewhere),
                Outcome::NoLongerWaiting => td_string!(l, reviews.no_longer_waiting),
            };
            words::fill(text, &number)
        })
    };
    view! {
        <section class="card" aria-labelledby="reviews-title">
            <h2 id="reviews-title">{move || td_string!(locale.get(), reviews.title)}</h2>
            <p class="notice" role="status">{status}</p>
            // The language is read inside each piece, never here: switching it redraws no
            // panel, so nothing typed is lost.
            {move || {
                match queue.get() {
                    None => view! { <p class="loading">{move || td_string!(locale.get(), app.loading)}</p> }.into_any(),
                    Some(Err(error)) => view! {
                        <p class="error" role="alert">{move || words::error(locale.get(), &error)}</p>
                    }.into_any(),
                    Some(Ok(found)) => {
                        let numbers: Vec<String> = found.returns.iter().map(|r| r.number.clone()).collect();
                        let empty = move || {
                            desk.gone.with(|gone| numbers.iter().all(|n| gone.contains(n)))
                                .then(|| view! { <p>{td_string!(locale.get(), reviews.empty)}</p> })
                        };
                        view! {
                            {empty}
                            {found.returns.into_iter().map(|waiting| view! { <Panel desk waiting/> }).collect_view()}
                        }.into_any()
                    }
                }
            }}
        </section>
    }
}

/// One return waiting for review, drawn once (again only when the language changes); what
/// changes while it is on screen (busy, a refusal) is redrawn alone, so the field being typed in
/// elsewhere keeps its focus. Its reason lives as long as the panel.
#[component]
fn Panel(desk: Desk, waiting: ReturnToReview) -> impl IntoView {
    let number = StoredValue::new(waiting.number.clone());
    let waiting = StoredValue::new(waiting);
    let reason = RwSignal::new(String::new());
    // A rejection asked for without a reason (said before anything is sent).
    let missing = RwSignal::new(false);
    let here = Memo::new(move |_| !number.with_value(|n| desk.gone.with(|gone| gone.contains(n))));
    let busy = move || desk.decide.pending();
    // The service's refusal of this return's last decision, once it has answered.
    let refused = Signal::derive(move || {
        let ours = number.with_value(|n| desk.asked.with(|asked| asked.as_ref() == Some(n)));
        (ours && !busy())
            .then(|| desk.decide.value().and_then(Result::err))
            .flatten()
    });
    // A refusal of the reason itself (too long, a control character) goes with the field, like
    // a missing reason; any other under the buttons.
    let at_field = move || {
        refused.with(|r| {
            r.as_ref()
                .is_some_and(|error| error.code() == Some(ErrorCode::BadRequest))
        })
    };
    let field_error = move || {
        let l = desk.locale.get();
        if missing.get() {
            Some(td_string!(l, reviews.need_reason))
        } else if at_field() {
            Some(td_string!(l, reviews.reason_refused))
        } else {
            None
        }
    };
    let send = move |decision: ReviewDecision| {
        let typed = reason.get_untracked();
        let blank = typed.trim().is_empty();
        missing.set(decision == ReviewDecision::Reject && blank);
        if missing.get_untracked() {
            return;
        }
        let number = number.get_value();
        desk.asked.set(Some(number.clone()));
        desk.decide.post(
            desk.signed
                .write(desk.api, &paths::return_decision(&number)),
            &ReturnDecision {
                decision,
                reason: (!blank).then_some(typed),
            },
        );
    };
    move || {
        if !here.get() {
            return None;
        }
        let l = desk.locale.get();
        let id = number.with_value(|n| format!("reason-{n}"));
        let (error_id, hint_id) = (format!("{id}-error"), format!("{id}-hint"));
        let (heading, labelled, field) = (format!("{id}-title"), format!("{id}-title"), id.clone());
        let described = {
            let (error_id, hint_id) = (error_id.clone(), hint_id.clone());
            move || match field_error() {
                Some(_) => format!("{error_id} {hint_id}"),
                None => hint_id.clone(),
            }
        };
        Some(waiting.with_value(|w| view! {
            <article class="review" data-testid="review" aria-labelledby=labelled>
                <h3 id=heading>{words::fill(td_string!(l, reviews.return_title), &w.number)}</h3>
                <p class="hint">
                    {words::fill(td_string!(l, reviews.order), w.order.as_str())}
                    " · "
                    {words::fill(td_string!(l, reviews.started), &words::when(l, &w.created_at.0))}
                </p>
                <ul class="review-lines">
                    {w.lines.iter().map(|line| view! {
                        <li>
                            {format!("{} · {} × {}", words::localized(l, &line.name), words::localized(l, &line.variant), line.quantity)}
                            " · "
                            {words::fill(td_string!(l, reviews.each), &words::money(line.unit_price))}
                            {line.exchange_for.as_ref().map(|other| format!(" · {}", words::fill(td_string!(l, reviews.exchange_for), words::localized(l, &other.variant))))}
                        </li>
                    }).collect_view()}
                </ul>
                <dl class="facts">
                    <div>
                        <dt>{words::resolution(l, w.resolution)}</dt>
                        <dd data-testid="review-refund">{words::money(w.refund)}</dd>
                    </div>
                    <div><dt>{td_string!(l, reviews.reason)}</dt><dd>{words::reason(l, w.reason)}</dd></div>
                    <div><dt>{td_string!(l, reviews.handover)}</dt><dd>{words::handover(l, w.handover)}</dd></div>
                    <div>
                        <dt>{td_string!(l, reviews.customer)}</dt>
                        <dd>{format!("{} · {}", w.customer.name, words::localized(l, &w.customer.tier_name))}</dd>
                    </div>
                    <div><dt>{td_string!(l, reviews.history)}</dt><dd>{history(l, &w.customer.history)}</dd></div>
                </dl>
                <div class="form">
                    <label for=field>{td_string!(l, reviews.note)}</label>
                    <input id=id type="text" maxlength=DECISION_REASON_MAX_CHARS.to_string() bind:value=reason
                        aria-invalid=move || field_error().is_some().to_string() aria-describedby=described/>
                    <p id=hint_id class="hint">{td_string!(l, reviews.note_hint)}</p>
                    {move || field_error().map(|text| view! { <p id=error_id.clone() class="field-error" role="alert">{text}</p> })}
                </div>
                <div class="actions">
                    <button type="button" class="button" disabled=busy on:click=move |_| send(ReviewDecision::Approve)>
                        {td_string!(l, reviews.approve)}
                    </button>
                    <button type="button" class="button danger" disabled=busy on:click=move |_| send(ReviewDecision::Reject)>
                        {td_string!(l, reviews.reject)}
                    </button>
                </div>
                {move || refused.get().filter(|_| !at_field()).map(|error| view! {
                    <p class="error" role="alert">{words::error(desk.locale.get_untracked(), &error)}</p>
                })}
            </article>
        }))
    }
}

/// The customer's returns before this one, in words.
fn history(l: Locale, history: &ReturnHistory) -> String {
    if history.earlier_returns == 0 {
        return td_string!(l, reviews.first_return).to_string();
    }
    [
        words::fill(
            td_string!(l, reviews.earlier),
            &history.earlier_returns.to_string(),
        ),
        words::fill(
            td_string!(l, reviews.declined),
            &history.rejected.to_string(),
        ),
        words::fill(
            td_string!(l, reviews.refunded),
            &words::money(history.refunded),
        ),
    ]
    .join(" · ")
}
