//! One survey question, drawn for its kind: a scale as a row of radio buttons with its two ends in
//! words, a single choice as radio buttons, a multiple choice as checkboxes, a text as a text area
//! with the characters left. Choosing saves at once; typing is kept at every key and saved when
//! the field is left. The words around the question come in translated ([`QuestionWords`]); the
//! question's own texts come with the survey, in both languages.

use leptos::prelude::*;
use portico_api::{Answer, AnswerValue, Localized, PageLocale, Question, QuestionKind};

/// What a question says besides its own texts, in the reader's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuestionWords {
    /// Which of a question's own texts to show (`false`: Chinese).
    pub english: bool,
    /// The two ends of each scale, lowest first.
    pub csat: (&'static str, &'static str),
    pub nps: (&'static str, &'static str),
    pub ces: (&'static str, &'static str),
    /// After an optional question's prompt.
    pub optional: &'static str,
    /// A finished survey still needs this question.
    pub required: &'static str,
    /// Under a text: `[count]` is replaced by the characters left.
    pub chars_left: &'static str,
}

impl QuestionWords {
    fn pick(self, text: &Localized) -> String {
        text.get(if self.english {
            PageLocale::En
        } else {
            PageLocale::ZhCn
        })
        .to_string()
    }
}

/// What a question reports: its id and its new value (`None`: no answer any more).
pub type Report = Callback<(String, Option<AnswerValue>)>;

/// The question `question`, its value read from `answers`; `missing` names the question a
/// finished survey still needs. `answer` is told of a choice, `typing` of each key in a text.
pub fn question(
    question: Question,
    answers: RwSignal<Vec<Answer>>,
    missing: RwSignal<Option<String>>,
    answer: Report,
    typing: Report,
    words: Signal<QuestionWords>,
) -> AnyView {
    let id = question.id.clone();
    let field_id = format!("q-{id}");
    let error_id = format!("q-{id}-error");
    let current = {
        let id = id.clone();
        Signal::derive(move || {
            answers.with(|all| {
                all.iter()
                    .find(|a| a.question == id)
                    .map(|a| a.value.clone())
            })
        })
    };
    let is_missing = {
        let id = id.clone();
        Signal::derive(move || missing.get().as_deref() == Some(id.as_str()))
    };
    let prompt = question.prompt.clone();
    let prompt = move || words.get().pick(&prompt);
    let optional = move || {
        (!question.required)
            .then(|| view! { <span class="muted optional">{words.get().optional}</span> })
    };
    let error = {
        let error_id = error_id.clone();
        move || {
            is_missing.get().then(|| {
                view! { <p id=error_id.clone() class="field-error" role="alert">{words.get().required}</p> }
            })
        }
    };
    let described = move || is_missing.get().then(|| error_id.clone());

    if let QuestionKind::Text { max_chars } = question.answer {
        let start = match current.get_untracked() {
            Some(AnswerValue::Text(text)) => text,
            _ => String::new(),
        };
        let count = RwSignal::new(start.chars().count());
        let value_of =
            move |text: String| (!text.trim().is_empty()).then_some(AnswerValue::Text(text));
        let (typed_id, left_id) = (id.clone(), id.clone());
        return view! {
            <div class="survey-question" id=field_id.clone()>
                <label for=format!("{field_id}-text")>{prompt} " " {optional}</label>
                <textarea
                    id=format!("{field_id}-text")
                    rows="4"
                    maxlength=max_chars.to_string()
                    aria-invalid=move || is_missing.get().to_string()
                    aria-describedby=described
                    prop:value=start
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        count.set(text.chars().count());
                        typing.run((typed_id.clone(), value_of(text)));
                    }
                    on:change=move |ev| answer.run((left_id.clone(), value_of(event_target_value(&ev))))
                ></textarea>
                <p class="hint">
                    {move || words.get().chars_left
                        .replace("[count]", &(max_chars as usize).saturating_sub(count.get()).to_string())}
                </p>
                {error}
            </div>
        }
        .into_any();
    }

    // Every other kind is a set of options in a fieldset: (value, label) pairs.
    let multiple = matches!(question.answer, QuestionKind::Multiple { .. });
    let options: Vec<(AnswerValue, String, Option<portico_api::Localized>)> = match &question.answer
    {
        QuestionKind::Single { options } | QuestionKind::Multiple { options } => options
            .iter()
            .map(|o| {
                (
                    AnswerValue::Choices(vec![o.id.clone()]),
                    o.id.clone(),
                    Some(o.label.clone()),
                )
            })
            .collect(),
        kind => {
            let (low, high) = kind.scale().unwrap_or((1, 5));
            (low..=high)
                .map(|n| (AnswerValue::Score(n), n.to_string(), None))
                .collect()
        }
    };
    let scale = question.answer.scale().is_some();
    let (low_end, high_end) = match question.answer.scale() {
        Some((low, high)) => (Some(low), Some(high)),
        None => (None, None),
    };
    let field = field_id.clone();
    let ends = move || {
        let field = field.clone();
        let words = words.get();
        let (low, high) = match question.answer {
            QuestionKind::Csat => words.csat,
            QuestionKind::Nps => words.nps,
            QuestionKind::Ces => words.ces,
            _ => return None,
        };
        Some(view! {
            <div class="scale-ends"><span id=format!("{field}-low")>{low}</span><span id=format!("{field}-high")>{high}</span></div>
        })
    };
    let inputs = options
        .into_iter()
        .map(|(value, code, label)| {
            let (checked_value, chosen_value, chosen_value_for_ends) =
                (value.clone(), value.clone(), value);
            let field_id_for_ends = field_id.clone();
            let id = id.clone();
            let code_for_check = code.clone();
            let checked = move || match (current.get(), &checked_value) {
                (Some(AnswerValue::Choices(chosen)), _) => chosen.contains(&code_for_check),
                (Some(now), value) => &now == value,
                (None, _) => false,
            };
            let on_change = {
                let code = code.clone();
                move |ev: leptos::ev::Event| {
                    if !multiple {
                        answer.run((id.clone(), Some(chosen_value.clone())));
                        return;
                    }
                    let on = event_target_checked(&ev);
                    let mut chosen = match current.get_untracked() {
                        Some(AnswerValue::Choices(chosen)) => chosen,
                        _ => Vec::new(),
                    };
                    chosen.retain(|c| c != &code);
                    if on {
                        chosen.push(code.clone());
                    }
                    answer.run((
                        id.clone(),
                        (!chosen.is_empty()).then_some(AnswerValue::Choices(chosen)),
                    ));
                }
            };
            // A scale's two ends say what they mean (the numbers between speak for themselves).
            let ends_here = match &chosen_value_for_ends {
                AnswerValue::Score(n) if Some(*n) == low_end => {
                    Some(format!("{field_id_for_ends}-low"))
                }
                AnswerValue::Score(n) if Some(*n) == high_end => {
                    Some(format!("{field_id_for_ends}-high"))
                }
                _ => None,
            };
            let text = move || match &label {
                Some(label) => words.get().pick(label),
                None => code.clone(),
            };
            view! {
                <label class="survey-option">
                    <input
                        type=if multiple { "checkbox" } else { "radio" }
                        name=format!("q-{}", question.id)
                        prop:checked=checked
                        on:change=on_change
                        aria-describedby=ends_here
                    />
                    <span>{text}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset class="survey-question" id=field_id aria-describedby=described>
            <legend>{prompt} " " {optional}</legend>
            <div class=if scale { "survey-options scale" } else { "survey-options" }>{inputs}</div>
            {ends}
            {error}
        </fieldset>
    }
    .into_any()
}
