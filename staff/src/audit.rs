//! The audit log (admins and publishers): who did what and when, newest first, a page at a time.

use crate::locales::i18n::*;
use crate::{words, Api, Signed};
use leptos::prelude::*;
use portico_api::{paths, AuditEntry, AuditPage};

fn action(l: Locale, action: &str) -> String {
    match action {
        "sign_in" => td_string!(l, audit.sign_in),
        "sign_in_failed" => td_string!(l, audit.sign_in_failed),
        "sign_out" => td_string!(l, audit.sign_out),
        "sign_out_everywhere" => td_string!(l, audit.sign_out_everywhere),
        "staff_added" => td_string!(l, audit.staff_added),
        "staff_changed" => td_string!(l, audit.staff_changed),
        "page_created" => td_string!(l, audit.page_created),
        "page_edited" => td_string!(l, audit.page_edited),
        "page_submitted" => td_string!(l, audit.page_submitted),
        "page_sent_back" => td_string!(l, audit.page_sent_back),
        "page_published" => td_string!(l, audit.page_published),
        "page_scheduled" => td_string!(l, audit.page_scheduled),
        "page_unpublished" => td_string!(l, audit.page_unpublished),
        "page_restored" => td_string!(l, audit.page_restored),
        "password_set" => td_string!(l, audit.password_set),
        "return.approve" => td_string!(l, audit.return_approve),
        "return.reject" => td_string!(l, audit.return_reject),
        "partner_added" => td_string!(l, audit.partner_added),
        "partner_changed" => td_string!(l, audit.partner_changed),
        "partner_secret_rotated" => td_string!(l, audit.partner_secret_rotated),
        "message_retried" => td_string!(l, audit.message_retried),
        // An action this app does not know yet is shown by its name.
        other => return other.to_string(),
    }
    .to_string()
}

#[component]
pub fn Audit(
    locale: RwSignal<Locale>,
    api: Api,
    signed: Signed,
    /// Changes made in this app: each reads the newest page again.
    changes: RwSignal<u32>,
) -> impl IntoView {
    let before = RwSignal::new(None::<i64>);
    Effect::new(move |_| {
        changes.track();
        before.set(None);
    });
    let page = signed.remote::<AuditPage>(move || {
        changes.track();
        api.read(&match before.get() {
            Some(id) => format!("{}?before={id}", paths::STAFF_AUDIT),
            None => paths::STAFF_AUDIT.to_string(),
        })
    });
    view! {
        <section class="card" aria-labelledby="audit-title">
            <h2 id="audit-title">{move || td_string!(locale.get(), audit.title)}</h2>
            {move || {
                let l = locale.get();
                match page.get() {
                    None => view! { <p class="loading" role="status">{td_string!(l, app.loading)}</p> }.into_any(),
                    Some(Err(error)) => view! { <p class="error" role="alert">{words::error(l, &error)}</p> }.into_any(),
                    Some(Ok(found)) => {
                        let next = found.next_before;
                        view! {
                            <table class="table">
                                <thead><tr>
                                    <th scope="col">{td_string!(l, audit.when)}</th>
                                    <th scope="col">{td_string!(l, audit.who)}</th>
                                    <th scope="col">{td_string!(l, audit.what)}</th>
                                    <th scope="col">{td_string!(l, audit.about)}</th>
                                </tr></thead>
                                <tbody>
                                    {found.entries.into_iter().map(|entry| entry_row(l, entry)).collect_view()}
                                </tbody>
                            </table>
                            {next.map(|id| view! {
                                <button type="button" class="button secondary" on:click=move |_| before.set(Some(id))>
                                    {td_string!(l, audit.older)}
                                </button>
                            })}
                        }.into_any()
                    }
                }
            }}
        </section>
    }
}

fn entry_row(l: Locale, entry: AuditEntry) -> impl IntoView {
    let about = [entry.target, entry.detail]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
    view! {
        <tr data-testid="audit-entry">
            <td>{words::when(l, &entry.at.0)}</td>
            <td class="mono">{entry.actor}</td>
            <td>{action(l, &entry.action)}</td>
            <td>{about}</td>
        </tr>
    }
}
