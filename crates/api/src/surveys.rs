//! Surveys after a service, and feedback at any time.
//!
//! A service event (a parcel delivered, a return completed, a support ticket solved) may bring
//! the customer an invitation: a link `/s/TOKEN` that opens the survey without signing in. The
//! token alone is the caller's right to answer, so the same API serves the portal and a partner's
//! widget, neither of which needs the portal's cookie. Each answer is saved as it is given; a
//! client-made [`ResponseId`] makes every retry land on the same response.

use crate::{Localized, OrderNumber, UtcTime};
use serde::{Deserialize, Serialize};

/// Which service a survey follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Touchpoint {
    /// An order's parcel was delivered.
    Delivery,
    /// A return was refunded or exchanged.
    Return,
    /// A support ticket was solved.
    Support,
}

impl Touchpoint {
    pub const ALL: [Touchpoint; 3] = [Self::Delivery, Self::Return, Self::Support];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Delivery => "delivery",
            Self::Return => "return",
            Self::Support => "support",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == value)
    }
}

/// How a question is answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum QuestionKind {
    /// Customer satisfaction: 1 (very unsatisfied) to 5 (very satisfied).
    Csat,
    /// Net promoter score: how likely to recommend us, 0 (not at all) to 10 (extremely).
    Nps,
    /// Customer effort: how easy it was to get this resolved, 1 (very hard) to 7 (very easy).
    Ces,
    /// Exactly one of `options`.
    Single { options: Vec<Choice> },
    /// Any number of `options` (at least one).
    Multiple { options: Vec<Choice> },
    /// Free text of at most `max_chars` characters.
    Text { max_chars: u32 },
}

impl QuestionKind {
    /// The lowest and highest score of a scale question.
    pub fn scale(&self) -> Option<(u8, u8)> {
        match self {
            Self::Csat => Some((1, 5)),
            Self::Nps => Some((0, 10)),
            Self::Ces => Some((1, 7)),
            _ => None,
        }
    }
}

/// One option of a choice question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Choice {
    pub id: String,
    pub label: Localized,
}

/// Shows a question only for some answers to an earlier one: when that question's score lies in
/// `min..=max` (either bound may be absent), or when any of `any_of` was chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShowIf {
    pub question: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u8>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub any_of: Vec<String>,
}

impl ShowIf {
    /// Whether `answers` call for the question this condition guards.
    pub fn holds(&self, answers: &[Answer]) -> bool {
        match answers.iter().find(|a| a.question == self.question) {
            Some(Answer {
                value: AnswerValue::Score(score),
                ..
            }) => {
                self.any_of.is_empty()
                    && self.min.is_none_or(|min| *score >= min)
                    && self.max.is_none_or(|max| *score <= max)
            }
            Some(Answer {
                value: AnswerValue::Choices(chosen),
                ..
            }) => chosen.iter().any(|c| self.any_of.contains(c)),
            _ => false,
        }
    }
}

/// One question of a survey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Question {
    /// Stable within its survey: answers name it.
    pub id: String,
    pub prompt: Localized,
    pub answer: QuestionKind,
    /// A finished response must answer it (when it is shown).
    pub required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_if: Option<ShowIf>,
}

impl Question {
    /// Whether the question is asked, given the answers so far.
    pub fn shown(&self, answers: &[Answer]) -> bool {
        self.show_if.as_ref().is_none_or(|rule| rule.holds(answers))
    }
}

/// A survey: its questions in the order they are asked. The first is what a one-tap link
/// (`/s/TOKEN?score=N`) answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Survey {
    pub id: String,
    pub touchpoint: Touchpoint,
    pub questions: Vec<Question>,
}

/// Why a set of answers does not fit its survey.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerError {
    /// An answer names a question the survey does not have, or one question twice.
    UnknownQuestion(String),
    /// The value does not fit its question (kind, range, options, length or an empty text).
    Invalid(String),
    /// A finished response misses a required question that is shown.
    Missing(String),
}

impl Survey {
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    /// Checks `answers` against the questions; with `finished`, also that every required question
    /// that is shown has an answer. Answers to questions hidden by their condition are allowed
    /// (the customer may have changed an earlier answer); they are not counted as asked.
    pub fn check(&self, answers: &[Answer], finished: bool) -> Result<(), AnswerError> {
        for (index, answer) in answers.iter().enumerate() {
            let question = self
                .question(&answer.question)
                .filter(|_| {
                    !answers[..index]
                        .iter()
                        .any(|a| a.question == answer.question)
                })
                .ok_or_else(|| AnswerError::UnknownQuestion(answer.question.clone()))?;
            if !answer.value.fits(&question.answer) {
                return Err(AnswerError::Invalid(question.id.clone()));
            }
        }
        if finished {
            if let Some(missing) = self.questions.iter().find(|q| {
                q.required && q.shown(answers) && !answers.iter().any(|a| a.question == q.id)
            }) {
                return Err(AnswerError::Missing(missing.id.clone()));
            }
        }
        Ok(())
    }
}

/// An answer's value: `{"score": 4}`, `{"choices": ["late"]}` or `{"text": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AnswerValue {
    Score(#[serde(deserialize_with = "crate::values::whole")] u8),
    Choices(Vec<String>),
    Text(String),
}

impl AnswerValue {
    /// Whether the value answers a question of this kind: a score on its scale, known options
    /// (one for a single choice, one or more without repeats for a multiple one), a text that is
    /// not blank and within its length.
    pub fn fits(&self, kind: &QuestionKind) -> bool {
        match (self, kind) {
            (Self::Score(score), kind) if kind.scale().is_some() => {
                let (low, high) = kind.scale().unwrap_or_default();
                (low..=high).contains(score)
            }
            (Self::Choices(chosen), QuestionKind::Single { options }) => {
                chosen.len() == 1 && options.iter().any(|o| o.id == chosen[0])
            }
            (Self::Choices(chosen), QuestionKind::Multiple { options }) => {
                !chosen.is_empty()
                    && chosen.len() <= options.len()
                    && chosen.iter().enumerate().all(|(i, c)| {
                        options.iter().any(|o| &o.id == c) && !chosen[..i].contains(c)
                    })
            }
            (Self::Text(text), QuestionKind::Text { max_chars }) => {
                !text.trim().is_empty()
                    && text.chars().count() <= *max_chars as usize
                    && crate::typed_text(text)
            }
            _ => false,
        }
    }
}

/// The answer to one question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Answer {
    pub question: String,
    pub value: AnswerValue,
}

/// An id the client makes for what it sends (a survey response, a feedback message) before
/// sending it: every retry carries the same id, so the service counts it once. 16 to 64 of
/// `A-Z a-z 0-9 - _` (a UUID fits).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, pattern = "^[A-Za-z0-9_-]{16,64}$", example = "3f1c9a52-8d7e-4b7a-9c1e-52a1d0e4f8b2"))]
#[serde(try_from = "String", into = "String")]
pub struct ResponseId(String);

impl ResponseId {
    pub fn from_wire(input: &str) -> Option<Self> {
        ((16..=64).contains(&input.len())
            && input
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
        .then(|| Self(input.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ResponseId {
    type Error = &'static str;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::from_wire(&value).ok_or("a response id is 16 to 64 of A-Z a-z 0-9 - _")
    }
}

impl From<ResponseId> for String {
    fn from(value: ResponseId) -> Self {
        value.0
    }
}

/// What a survey is about, so the customer knows which service they are rating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveySubject {
    pub touchpoint: Touchpoint,
    /// The order number (delivery), the return number (return) or the ticket number (support).
    pub reference: String,
    /// The names of the items concerned, each in both languages (empty for a ticket).
    pub items: Vec<Localized>,
    /// When the service happened.
    pub at: UtcTime,
}

/// A response as stored: the answers so far, whether and when it was finished.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveyResponse {
    pub response_id: ResponseId,
    pub answers: Vec<Answer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<UtcTime>,
    /// Until when a finished response may still be changed (24 hours after it was finished).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub editable_until: Option<UtcTime>,
    /// The answers call for someone to contact the customer (a detractor): they are told it
    /// happens within 48 hours, and a follow-up case is open for staff.
    pub follow_up: bool,
}

/// What a survey link opens (`GET /api/surveys/{token}`): the survey, what it is about, and the
/// response so far. A response finished more than 24 hours ago can be read, no longer changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveyInvitation {
    pub survey: Survey,
    pub about: SurveySubject,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<SurveyResponse>,
    /// When the link stops working.
    pub expires_at: UtcTime,
}

/// `PUT /api/surveys/{token}/response`: the answers given so far (each replaces an earlier
/// answer to its question); `finished` when the customer is done. The first save fixes the
/// response's id: a save with another id is refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveyAnswers {
    pub response_id: ResponseId,
    pub answers: Vec<Answer>,
    pub finished: bool,
}

/// What the feedback button is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FeedbackCategory {
    Problem,
    Idea,
    Praise,
    Other,
}

impl FeedbackCategory {
    pub const ALL: [FeedbackCategory; 4] = [Self::Problem, Self::Idea, Self::Praise, Self::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Problem => "problem",
            Self::Idea => "idea",
            Self::Praise => "praise",
            Self::Other => "other",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == value)
    }
}

/// The longest feedback message, in characters.
pub const FEEDBACK_MAX_CHARS: usize = 2000;

/// `POST /api/feedback`: a message from the feedback button, from a guest or a signed-in
/// customer. Sent again with the same `id` and body, it is the same message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeedbackRequest {
    pub id: ResponseId,
    pub category: FeedbackCategory,
    /// 1 to [`FEEDBACK_MAX_CHARS`] characters, not blank, no control character but line breaks
    /// and tabs.
    pub text: String,
    /// The order it is about: one of the signed-in customer's (others are refused as 404).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<OrderNumber>,
    /// How it went, 1 (bad) to 5 (very good), when the sender gave one (the widget asks).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::values::whole"
    )]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5))]
    pub rating: Option<u8>,
}

/// Where a piece of feedback is with the team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FeedbackStatus {
    Received,
    Reviewed,
    ActionTaken,
}

impl FeedbackStatus {
    pub const ALL: [FeedbackStatus; 3] = [Self::Received, Self::Reviewed, Self::ActionTaken];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::Reviewed => "reviewed",
            Self::ActionTaken => "action_taken",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }
}

/// The answer to a feedback message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeedbackReceipt {
    pub id: ResponseId,
    pub received_at: UtcTime,
}

/// What a piece of the customer's feedback was: a survey they answered or a message they sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FeedbackSource {
    Survey {
        touchpoint: Touchpoint,
        reference: String,
        /// The first (scale) question's answer, with its kind.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        score: Option<u8>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        scale: Option<QuestionKind>,
    },
    Message {
        category: FeedbackCategory,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        order: Option<OrderNumber>,
    },
}

/// One entry of "My feedback" (`GET /api/feedback`), newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeedbackItem {
    pub id: ResponseId,
    pub source: FeedbackSource,
    /// The message, or the survey's comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    pub status: FeedbackStatus,
    pub received_at: UtcTime,
    /// What the team did, in their words, once there is something to say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(zh: &str) -> Localized {
        Localized {
            zh_cn: zh.into(),
            en: zh.into(),
        }
    }

    fn survey() -> Survey {
        let options = vec![
            Choice {
                id: "late".into(),
                label: text("late"),
            },
            Choice {
                id: "damaged".into(),
                label: text("damaged"),
            },
        ];
        Survey {
            id: "delivery".into(),
            touchpoint: Touchpoint::Delivery,
            questions: vec![
                Question {
                    id: "score".into(),
                    prompt: text("?"),
                    answer: QuestionKind::Csat,
                    required: true,
                    show_if: None,
                },
                Question {
                    id: "reasons".into(),
                    prompt: text("?"),
                    answer: QuestionKind::Multiple { options },
                    required: true,
                    show_if: Some(ShowIf {
                        question: "score".into(),
                        min: None,
                        max: Some(3),
                        any_of: vec![],
                    }),
                },
                Question {
                    id: "comment".into(),
                    prompt: text("?"),
                    answer: QuestionKind::Text { max_chars: 10 },
                    required: false,
                    show_if: None,
                },
            ],
        }
    }

    fn answer(question: &str, value: AnswerValue) -> Answer {
        Answer {
            question: question.into(),
            value,
        }
    }

    #[test]
    fn a_score_is_a_whole_number_however_json_writes_it() {
        let read = |json: &str| serde_json::from_str::<AnswerValue>(json);
        assert_eq!(read(r#"{"score":3}"#).unwrap(), AnswerValue::Score(3));
        assert_eq!(read(r#"{"score":3.0}"#).unwrap(), AnswerValue::Score(3));
        assert!(read(r#"{"score":3.5}"#).is_err());
        assert!(read(r#"{"score":256.0}"#).is_err());
    }

    #[test]
    fn reasons_are_asked_only_for_low_scores() {
        let survey = survey();
        let low = [answer("score", AnswerValue::Score(2))];
        let high = [answer("score", AnswerValue::Score(5))];
        assert!(survey.questions[1].shown(&low));
        assert!(!survey.questions[1].shown(&high));
        assert!(!survey.questions[1].shown(&[]));
        assert_eq!(
            survey.check(&low, true),
            Err(AnswerError::Missing("reasons".into()))
        );
        assert_eq!(survey.check(&low, false), Ok(()));
        assert_eq!(survey.check(&high, true), Ok(()));
        assert_eq!(
            survey.check(&[], true),
            Err(AnswerError::Missing("score".into()))
        );
    }

    #[test]
    fn values_must_fit_their_question() {
        let survey = survey();
        let bad = [
            answer("score", AnswerValue::Score(0)),
            answer("score", AnswerValue::Score(6)),
            answer("score", AnswerValue::Text("5".into())),
            answer("reasons", AnswerValue::Choices(vec![])),
            answer("reasons", AnswerValue::Choices(vec!["lost".into()])),
            answer(
                "reasons",
                AnswerValue::Choices(vec!["late".into(), "late".into()]),
            ),
            answer("comment", AnswerValue::Text("   ".into())),
            answer("comment", AnswerValue::Text("x".repeat(11))),
        ];
        for one in bad {
            assert!(
                matches!(
                    survey.check(std::slice::from_ref(&one), false),
                    Err(AnswerError::Invalid(_))
                ),
                "{one:?}"
            );
        }
        let twice = [
            answer("score", AnswerValue::Score(4)),
            answer("score", AnswerValue::Score(5)),
        ];
        assert_eq!(
            survey.check(&twice, false),
            Err(AnswerError::UnknownQuestion("score".into()))
        );
        let good = [
            answer("score", AnswerValue::Score(1)),
            answer(
                "reasons",
                AnswerValue::Choices(vec!["damaged".into(), "late".into()]),
            ),
            answer("comment", AnswerValue::Text("十个字以内的话".into())),
        ];
        assert_eq!(survey.check(&good, true), Ok(()));
    }

    #[test]
    fn answers_travel_as_small_tagged_objects() {
        let json = serde_json::to_string(&answer("score", AnswerValue::Score(5))).unwrap();
        assert_eq!(json, r#"{"question":"score","value":{"score":5}}"#);
        assert!(ResponseId::from_wire("3f1c9a52-8d7e-4b7a-9c1e-52a1d0e4f8b2").is_some());
        assert!(ResponseId::from_wire("short").is_none());
        assert!(ResponseId::from_wire("has space in it 1234").is_none());
    }
}
