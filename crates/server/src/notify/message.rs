//! What a message says, as typed templates: each kind of message is made from its facts into a
//! [`Message`] of sections (one per language), each a list of lines of text, codes and links. The
//! text part and the HTML part are both drawn from that one structure; the HTML with maud, so
//! whatever a line holds (a customer's name, a reviewer's words) is escaped, never markup.

use maud::{html, DOCTYPE};
use portico_api::PageLocale;

/// A piece of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Span {
    Text(String),
    /// What the reader types in (a sign-in code): set apart in the HTML part.
    Code(String),
    /// A link, shown as its address.
    Link(String),
}

/// One line of a message (a paragraph in the HTML part).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line(pub Vec<Span>);

impl Line {
    pub fn text(text: impl Into<String>) -> Self {
        Line(vec![Span::Text(text.into())])
    }

    /// `label` followed by the link `url`.
    pub fn link(label: impl Into<String>, url: impl Into<String>) -> Self {
        Line(vec![Span::Text(label.into()), Span::Link(url.into())])
    }
}

/// What a message says in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub lang: PageLocale,
    pub subject: String,
    pub lines: Vec<Line>,
    /// A shorter text message (SMS) than the whole text, when it has one.
    pub sms: Option<String>,
}

impl Section {
    fn text(&self) -> String {
        self.lines
            .iter()
            .map(|line| {
                line.0
                    .iter()
                    .map(|span| match span {
                        Span::Text(text) | Span::Code(text) | Span::Link(text) => text.as_str(),
                    })
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// A message to a customer, in every language it is written in (Chinese first), or in the
/// customer's only ([`Message::in_language`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The sections' subjects, ` / ` apart.
    pub subject: String,
    pub sections: Vec<Section>,
    /// What a text message (SMS) carries: each section's short text (or whole text).
    pub sms: String,
    /// The template name and its parameters, for SMS providers that send by template.
    pub template: &'static str,
    pub params: Vec<(&'static str, String)>,
    /// Where a one-click opt-out is POSTed (RFC 8058), for mail that is not transactional.
    pub unsubscribe: Option<String>,
}

impl Message {
    /// A message of `sections` (its subject and text message drawn from them).
    fn new(
        sections: Vec<Section>,
        template: &'static str,
        params: Vec<(&'static str, String)>,
        unsubscribe: Option<String>,
    ) -> Self {
        let mut message = Message {
            subject: String::new(),
            sections,
            sms: String::new(),
            template,
            params,
            unsubscribe,
        };
        message.settle();
        message
    }

    /// The subject and text message, from the sections.
    fn settle(&mut self) {
        let each = |part: &dyn Fn(&Section) -> String, between| {
            self.sections
                .iter()
                .map(part)
                .collect::<Vec<_>>()
                .join(between)
        };
        self.subject = each(&|s| s.subject.clone(), " / ");
        self.sms = each(&|s| s.sms.clone().unwrap_or_else(|| s.text()), "\n\n");
    }

    /// The message in `language` only (subject, text and HTML parts, text message); in every
    /// language when the customer's is not known (`None`).
    pub fn in_language(mut self, language: Option<PageLocale>) -> Self {
        if let Some(language) = language {
            if self.sections.iter().any(|s| s.lang == language) {
                self.sections.retain(|s| s.lang == language);
                self.settle();
            }
        }
        self
    }

    /// Its language, when it is written in one alone.
    pub fn language(&self) -> Option<PageLocale> {
        match self.sections.as_slice() {
            [only] => Some(only.lang),
            _ => None,
        }
    }

    /// The plain-text part: each language's lines, the languages a blank line apart.
    pub fn text(&self) -> String {
        self.sections
            .iter()
            .map(Section::text)
            .collect::<Vec<_>>()
            .join("\n\n")
    }

    /// The HTML part: a paragraph per line, each language in an element naming it.
    pub fn html(&self) -> String {
        html! {
            (DOCTYPE)
            html lang=(self.sections.first().map_or("zh-CN", |s| s.lang.as_str())) {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width";
                    title { (self.subject) }
                }
                body style="font-family: sans-serif; line-height: 1.5; max-width: 36em" {
                    @for (n, section) in self.sections.iter().enumerate() {
                        @if n > 0 { hr; }
                        div lang=(section.lang.as_str()) {
                            @for line in &section.lines {
                                p {
                                    @for span in &line.0 {
                                        @match span {
                                            Span::Text(text) => (text),
                                            Span::Code(code) => strong style="font-size: 1.4em; letter-spacing: 0.1em" { (code) },
                                            Span::Link(url) => a href=(url) { (url) },
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        .into_string()
    }
}

fn section(lang: PageLocale, subject: String, lines: Vec<Line>) -> Section {
    Section {
        lang,
        subject,
        lines,
        sms: None,
    }
}

/// A one-time sign-in code for `name`.
pub fn sign_in_code(name: &str, code: &str) -> Message {
    let coded = |before: &str, after: &str| {
        Line(vec![
            Span::Text(before.into()),
            Span::Code(code.into()),
            Span::Text(after.into()),
        ])
    };
    let zh = Section {
        sms: Some(format!(
            "【Portico】您的登录验证码是 {code}，10 分钟内有效。"
        )),
        ..section(
            PageLocale::ZhCn,
            "Portico 登录验证码".into(),
            vec![
                Line::text(format!("{name}，您好：")),
                coded(
                    "您的登录验证码是 ",
                    "，10 分钟内有效。如非本人操作，请忽略本消息。",
                ),
            ],
        )
    };
    let en = Section {
        sms: Some(format!(
            "Your Portico sign-in code is {code} (valid 10 min)."
        )),
        ..section(
            PageLocale::En,
            "Your Portico sign-in code".into(),
            vec![
                Line::text(format!("Hello {name},")),
                coded(
                    "your sign-in code is ",
                    ". It is valid for 10 minutes. If you did not ask for it, ignore this message.",
                ),
            ],
        )
    };
    Message::new(
        vec![zh, en],
        "sign_in_code",
        vec![("code", code.into())],
        None,
    )
}

/// A text in both languages.
pub type Both = (String, String);

/// A booked pickup's window and fee, as its buyer reads them.
pub struct Pickup {
    /// `YYYY-MM-DD HH:MM` China time.
    pub from: String,
    /// `HH:MM` China time.
    pub until: String,
    /// The fee taken off the refund (`12.00`), if any.
    pub fee: Option<String>,
}

/// What a message about a return is made of.
pub struct ReturnUpdate {
    pub name: String,
    pub number: String,
    /// What happened to it (`已批准…`, `is approved…`).
    pub what: (&'static str, &'static str),
    /// What comes back (the refund or the exchange), or nothing.
    pub outcome: Both,
    /// The reviewer's words, in the message telling their decision.
    pub reason: Option<String>,
    pub pickup: Option<Pickup>,
    pub drop_off_code: Option<String>,
    /// The return's own link (signed), when the service knows its public address.
    pub link: Option<String>,
}

/// A return started or moved on.
pub fn return_update(facts: ReturnUpdate) -> Message {
    let ReturnUpdate {
        name,
        number,
        what: (what_zh, what_en),
        outcome: (outcome_zh, outcome_en),
        reason,
        pickup,
        drop_off_code,
        link,
    } = facts;
    let mut zh = vec![
        Line::text(format!("{name}，您好：")),
        Line::text(format!("您的退货 {number}{what_zh}。{outcome_zh}")),
    ];
    let mut en = vec![
        Line::text(format!("Hello {name},")),
        Line::text(format!("your return {number} {what_en}. {outcome_en}")),
    ];
    if let Some(reason) = reason {
        zh.push(Line::text(format!("原因：{reason}")));
        en.push(Line::text(format!("Reason: {reason}")));
    }
    if let Some(Pickup { from, until, fee }) = pickup {
        let (mut line_zh, mut line_en) = (
            format!("上门取件时间：{from}–{until}（北京时间）。"),
            format!("Pickup: {from}–{until} (China time)."),
        );
        if let Some(fee) = fee {
            line_zh.push_str(&format!("取件费 ¥{fee} 已从退款中扣除。"));
            line_en.push_str(&format!(
                " The pickup fee of ¥{fee} is taken off the refund."
            ));
        }
        zh.push(Line::text(line_zh));
        en.push(Line::text(line_en));
    }
    if let Some(code) = drop_off_code {
        zh.push(Line(vec![
            Span::Text("到店交回时请出示退货码 ".into()),
            Span::Code(code.clone()),
            Span::Text("。".into()),
        ]));
        en.push(Line(vec![
            Span::Text("Show the return code ".into()),
            Span::Code(code),
            Span::Text(" at the drop-off point.".into()),
        ]));
    }
    if let Some(link) = link {
        zh.push(Line::link("查看退货进度：", link.clone()));
        en.push(Line::link("Follow your return: ", link));
    }
    Message::new(
        vec![
            section(PageLocale::ZhCn, format!("Portico 退货 {number}"), zh),
            section(PageLocale::En, format!("Your return {number}"), en),
        ],
        "return_update",
        vec![("number", number)],
        None,
    )
}

/// What a survey invitation is made of.
pub struct SurveyInvitation {
    pub name: String,
    /// The order, return or ticket it is about.
    pub reference: String,
    /// What happened (`您的订单 … 已送达`, `your order … was delivered`).
    pub what: Both,
    /// The items, ready to follow `what` (`（…）`, ` (…)`), or empty.
    pub items: Both,
    /// The survey's page.
    pub link: String,
    /// The first question, answered with one tap on a score from `low` to `high`.
    pub prompt: Both,
    pub low: u8,
    pub high: u8,
    /// Where a one-click opt-out is POSTed.
    pub unsubscribe: Option<String>,
}

/// An invitation to a survey: the link, and one link per score of its first question.
pub fn survey_invitation(facts: SurveyInvitation) -> Message {
    let SurveyInvitation {
        name,
        reference,
        what: (what_zh, what_en),
        items: (items_zh, items_en),
        link,
        prompt: (prompt_zh, prompt_en),
        low,
        high,
        unsubscribe,
    } = facts;
    let taps = || {
        (low..=high).map(|score| Line::link(format!("{score}: "), format!("{link}?score={score}")))
    };
    let mut zh = vec![
        Line::text(format!("{name}，您好：")),
        Line::text(format!(
            "{what_zh}{items_zh}。花一分钟告诉我们您的感受好吗？"
        )),
        Line::link("参与评价：", link.clone()),
        Line::text(format!("{prompt_zh}（{low} 到 {high} 分，点一下分数即可）")),
    ];
    zh.extend(taps());
    zh.push(Line::text(
        "链接 14 天内有效。不想再收到评价邀请？打开链接即可退订。",
    ));
    let mut en = vec![
        Line::text(format!("Hello {name},")),
        Line::text(format!(
            "{what_en}{items_en}. Could you spare a minute to tell us how it went?"
        )),
        Line::link("Take the survey: ", link.clone()),
        Line::text(format!(
            "{prompt_en} ({low} to {high}: one tap on a score answers)"
        )),
    ];
    en.extend(taps());
    en.push(Line::text(
        "The link works for 14 days. No more surveys? The link lets you opt out.",
    ));
    Message::new(
        vec![
            section(
                PageLocale::ZhCn,
                format!("Portico 服务评价 {reference}"),
                zh,
            ),
            section(PageLocale::En, format!("How did we do? {reference}"), en),
        ],
        "survey_invitation",
        vec![("reference", reference), ("link", link)],
        unsubscribe,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_html_part_escapes_what_people_typed_and_the_text_part_keeps_it() {
        let message = return_update(ReturnUpdate {
            name: "<b>王</b> & co".into(),
            number: "R1".into(),
            what: ("未获批准", "was not approved"),
            outcome: (String::new(), String::new()),
            reason: Some("<script>alert(1)</script>".into()),
            pickup: None,
            drop_off_code: None,
            link: Some("https://p.example/returns/R1?t=a&b=c".into()),
        });
        let html = message.html();
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("&lt;b&gt;王&lt;/b&gt; &amp; co"));
        assert!(html.contains(r#"<a href="https://p.example/returns/R1?t=a&amp;b=c">"#));
        assert!(html.contains(r#"<div lang="zh-CN">"#) && html.contains(r#"<div lang="en">"#));
        let text = message.text();
        assert!(text.starts_with("<b>王</b> & co，您好：\n您的退货 R1未获批准。\n原因：<script>"));
        assert!(text.contains("\n\nHello <b>王</b> & co,\nyour return R1 was not approved. \n"));
    }

    #[test]
    fn a_message_in_one_language_has_only_its_subject_text_html_and_sms() {
        let both = sign_in_code("Wang", "123456");
        assert_eq!(both.clone().in_language(None), both);
        assert_eq!(both.language(), None);
        let en = both.clone().in_language(Some(PageLocale::En));
        assert_eq!(en.language(), Some(PageLocale::En));
        assert_eq!(en.subject, "Your Portico sign-in code");
        assert_eq!(
            en.text(),
            "Hello Wang,\nyour sign-in code is 123456. It is valid for 10 minutes. If you did not ask for it, ignore this message."
        );
        assert_eq!(
            en.sms,
            "Your Portico sign-in code is 123456 (valid 10 min)."
        );
        assert!(en.html().starts_with("<!DOCTYPE html><html lang=\"en\">"));
        let zh = both.in_language(Some(PageLocale::ZhCn));
        assert_eq!(zh.subject, "Portico 登录验证码");
        assert!(!zh.text().contains("Hello") && !zh.html().contains("Hello"));
        assert_eq!(
            zh.sms,
            "【Portico】您的登录验证码是 123456，10 分钟内有效。"
        );
    }

    #[test]
    fn a_code_reads_the_same_in_both_parts() {
        let message = sign_in_code("Wang", "123456");
        assert_eq!(
            message.text(),
            "Wang，您好：\n您的登录验证码是 123456，10 分钟内有效。如非本人操作，请忽略本消息。\n\n\
             Hello Wang,\nyour sign-in code is 123456. It is valid for 10 minutes. If you did not ask for it, ignore this message."
        );
        assert!(message.html().contains("123456</strong>"));
        assert!(message.sms.contains("123456"));
    }
}
