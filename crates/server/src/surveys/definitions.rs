//! The built-in surveys, one per touchpoint, in Chinese and English. The first question of each
//! is its scale question: what a one-tap link answers and what the numbers are computed from.

use portico_api::{Choice, Localized, Question, QuestionKind, ShowIf, Survey, Touchpoint};

/// The longest comment a survey takes, in characters.
pub const COMMENT_MAX_CHARS: u32 = 1000;

fn words(zh: &str, en: &str) -> Localized {
    Localized {
        zh_cn: zh.into(),
        en: en.into(),
    }
}

fn choices(options: &[(&str, &str, &str)]) -> Vec<Choice> {
    options
        .iter()
        .map(|(id, zh, en)| Choice {
            id: (*id).into(),
            label: words(zh, en),
        })
        .collect()
}

fn question(id: &str, prompt: Localized, answer: QuestionKind, required: bool) -> Question {
    Question {
        id: id.into(),
        prompt,
        answer,
        required,
        show_if: None,
    }
}

fn comment(id: &str, prompt: Localized) -> Question {
    question(
        id,
        prompt,
        QuestionKind::Text {
            max_chars: COMMENT_MAX_CHARS,
        },
        false,
    )
}

/// The survey sent after `touchpoint`.
pub fn survey_for(touchpoint: Touchpoint) -> Survey {
    let questions = match touchpoint {
        Touchpoint::Delivery => vec![
            question(
                "score",
                words(
                    "您对这次配送满意吗？",
                    "How satisfied are you with this delivery?",
                ),
                QuestionKind::Csat,
                true,
            ),
            Question {
                show_if: Some(ShowIf {
                    question: "score".into(),
                    min: None,
                    max: Some(3),
                    any_of: vec![],
                }),
                ..question(
                    "reasons",
                    words(
                        "哪里让您不满意？（可多选）",
                        "What went wrong? (choose any)",
                    ),
                    QuestionKind::Multiple {
                        options: choices(&[
                            ("late", "送达太晚", "It arrived late"),
                            ("damaged", "商品有损坏", "Something was damaged"),
                            ("wrong_item", "发错了商品", "I got the wrong item"),
                            ("courier", "快递员的态度", "The courier's manner"),
                            ("packaging", "包装不好", "Poor packaging"),
                            ("other", "其他原因", "Something else"),
                        ]),
                    },
                    true,
                )
            },
            comment(
                "comment",
                words(
                    "还有什么想告诉我们的吗？",
                    "Anything else you would like to tell us?",
                ),
            ),
        ],
        Touchpoint::Return => vec![
            question(
                "score",
                words(
                    "这次的问题解决起来方便吗？",
                    "How easy was it to get this resolved?",
                ),
                QuestionKind::Ces,
                true,
            ),
            question(
                "handover",
                words("交回商品顺利吗？", "How did handing the goods over go?"),
                QuestionKind::Single {
                    options: choices(&[
                        ("smooth", "很顺利", "Smoothly"),
                        ("some_trouble", "有点小麻烦", "With some trouble"),
                        ("hard", "很费劲", "It was hard"),
                    ]),
                },
                false,
            ),
            comment(
                "comment",
                words(
                    "还有什么想告诉我们的吗？",
                    "Anything else you would like to tell us?",
                ),
            ),
        ],
        Touchpoint::Support => vec![
            question(
                "score",
                words(
                    "您有多大可能把我们推荐给朋友或同事？",
                    "How likely are you to recommend us to a friend or colleague?",
                ),
                QuestionKind::Nps,
                true,
            ),
            comment(
                "why",
                words(
                    "打这个分数的主要原因是什么？",
                    "What is the main reason for your score?",
                ),
            ),
        ],
    };
    Survey {
        id: touchpoint.as_str().into(),
        touchpoint,
        questions,
    }
}

/// The survey stored as `id` (the built-in surveys' ids are their touchpoints').
pub fn survey_named(id: &str) -> Option<Survey> {
    Touchpoint::parse(id).map(survey_for)
}

/// The scale question's kind: what the first question asks.
pub fn scale_of(survey: &Survey) -> Option<&QuestionKind> {
    survey
        .questions
        .first()
        .map(|q| &q.answer)
        .filter(|kind| kind.scale().is_some())
}

/// Whether a finished response with this scale score is a detractor's: CSAT 1-2, NPS 0-6 (effort
/// has none).
pub fn detractor(kind: &QuestionKind, score: u8) -> bool {
    match kind {
        QuestionKind::Csat => score <= 2,
        QuestionKind::Nps => score <= 6,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use portico_api::{Answer, AnswerValue};

    #[test]
    fn every_survey_starts_with_its_scale_and_its_ids_are_its_own() {
        for touchpoint in Touchpoint::ALL {
            let survey = survey_for(touchpoint);
            assert!(scale_of(&survey).is_some(), "{touchpoint:?}");
            assert_eq!(survey.questions[0].id, "score");
            assert!(survey.questions[0].required && survey.questions[0].show_if.is_none());
            assert_eq!(survey_named(&survey.id), Some(survey.clone()));
            for (i, q) in survey.questions.iter().enumerate() {
                assert!(!survey.questions[..i].iter().any(|e| e.id == q.id));
                assert!(!q.prompt.zh_cn.is_empty() && !q.prompt.en.is_empty());
            }
        }
        assert_eq!(survey_named("staff"), None);
    }

    #[test]
    fn a_low_delivery_score_asks_for_reasons() {
        let survey = survey_for(Touchpoint::Delivery);
        let low = [Answer {
            question: "score".into(),
            value: AnswerValue::Score(3),
        }];
        assert!(survey.check(&low, true).is_err());
        let high = [Answer {
            question: "score".into(),
            value: AnswerValue::Score(4),
        }];
        assert!(survey.check(&high, true).is_ok());
    }

    #[test]
    fn detractors_are_csat_1_2_and_nps_0_6() {
        assert!(detractor(&QuestionKind::Csat, 2) && !detractor(&QuestionKind::Csat, 3));
        assert!(detractor(&QuestionKind::Nps, 6) && !detractor(&QuestionKind::Nps, 7));
        assert!(!detractor(&QuestionKind::Ces, 1));
    }
}
