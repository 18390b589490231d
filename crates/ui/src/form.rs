//! Form pieces every form repeats, owning their accessibility wiring: a labelled text field with
//! its hint and its error (announced, and tied to the input with `aria-describedby` /
//! `aria-invalid`), and a submit button that says it is busy and cannot be pressed twice. They
//! use no router and nothing page-wide, so any bundle can draw them.

use leptos::prelude::*;

/// A labelled text input with an optional hint and an error that screen readers hear.
#[component]
pub fn TextField(
    /// The input's id (the error's id is `<id>-error`, the hint's `<id>-hint`).
    id: &'static str,
    /// The input's form name.
    name: &'static str,
    /// The visible label.
    label: &'static str,
    /// What is typed; it stays when the form is refused.
    value: RwSignal<String>,
    /// A line under the field saying what to type.
    #[prop(optional)]
    hint: Option<&'static str>,
    /// What is wrong with what was typed (`None`: nothing); the field is marked invalid while
    /// there is one.
    error: Option<String>,
    /// The keyboard a phone shows (`email`, `numeric`, ...).
    #[prop(optional)]
    inputmode: Option<&'static str>,
    /// The browser's autofill hint.
    #[prop(default = "off")]
    autocomplete: &'static str,
    /// Capitals while typing (`characters` for order numbers).
    #[prop(optional)]
    autocapitalize: Option<&'static str>,
    /// The most characters the field takes.
    #[prop(optional)]
    maxlength: Option<&'static str>,
    /// An extra class for the input.
    #[prop(optional)]
    class: Option<&'static str>,
    /// The input's type (`text` unless said: `password`, `email`).
    #[prop(default = "text")]
    kind: &'static str,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described_by = if error.is_some() {
        Some(error_id.clone())
    } else {
        hint.map(|_| hint_id.clone())
    };
    view! {
        <label for=id>{label}</label>
        <input
            id=id
            name=name
            type=kind
            inputmode=inputmode
            autocomplete=autocomplete
            autocapitalize=autocapitalize
            maxlength=maxlength
            class=class
            bind:value=value
            aria-invalid=error.is_some().to_string()
            aria-describedby=described_by
        />
        {hint.map(|hint| view! { <p id=hint_id class="hint">{hint}</p> })}
        {error.map(|error| view! { <p id=error_id class="field-error" role="alert">{error}</p> })}
    }
}

/// The form's submit button: disabled and saying `busy_label` while the request is on its way.
#[component]
pub fn SubmitButton(
    /// Whether the form's request is on its way.
    pending: Signal<bool>,
    /// What the button says.
    label: &'static str,
    /// What it says while the request is on its way.
    busy_label: &'static str,
) -> impl IntoView {
    view! {
        <button type="submit" class="button" disabled=move || pending.get()>
            {move || if pending.get() { busy_label } else { label }}
        </button>
    }
}
