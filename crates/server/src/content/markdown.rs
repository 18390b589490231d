//! The Markdown an editor may write on a benefit page, and the rules for every text a page holds.
//!
//! The subset: paragraphs, headings (`#` to `###`, drawn as levels 2 to 4 under the page's own
//! title), bullet and numbered lists (one level, each item one run of text), emphasis, strong
//! emphasis and links. Everything else is refused with what was found, so an editor learns at once
//! that it will not show: raw HTML (block or inline), images, code, quotes, rules, tables. A link
//! goes to `http://…`, `https://…` or a path on this site (`/…`); anything else (`javascript:`,
//! `data:`, `//host`, a target with spaces or control characters in it) is refused. What passes
//! is a typed tree whose text nodes the app draws as text, so no input can become markup.

use portico_api::{Inline, RichBlock};
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Why a text was refused, in words an editor can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContentError {
    #[error("raw HTML is not allowed (found {found:?}); write plain text or Markdown")]
    RawHtml { found: String },
    #[error("{0} is not allowed; use paragraphs, headings (# to ###), lists, emphasis and links")]
    Unsupported(String),
    #[error(
        "the link {href:?} is refused: a link goes to an http:// or https:// address, or to a \
         path on this site starting with a single /"
    )]
    Link { href: String },
    #[error("a link needs text to show")]
    EmptyLink,
    #[error("control characters are not allowed")]
    ControlCharacter,
    #[error("this text is empty")]
    Empty,
    /// Where on the page the refused text is (block and field), around what was wrong.
    #[error("{place}: {error}")]
    At {
        place: String,
        error: Box<ContentError>,
    },
}

impl ContentError {
    /// The same refusal, saying where it was found.
    pub fn at(self, place: impl Into<String>) -> Self {
        ContentError::At {
            place: place.into(),
            error: Box::new(self),
        }
    }
}

/// The start of what was found, to name it in a message.
fn excerpt(found: &str) -> String {
    const MAX: usize = 40;
    let found = found.trim();
    match found.char_indices().nth(MAX) {
        Some((end, _)) => format!("{}…", &found[..end]),
        None => found.to_string(),
    }
}

/// Rich text from the Markdown subset.
pub fn parse(text: &str) -> Result<Vec<RichBlock>, ContentError> {
    if !portico_api::typed_text(text) {
        return Err(ContentError::ControlCharacter);
    }
    // Tables are recognized only to be refused by name (left off, they would pass as text).
    let mut events = Parser::new_ext(text, Options::ENABLE_TABLES);
    let mut blocks = Vec::new();
    while let Some(event) = events.next() {
        let block = match event {
            Event::Start(Tag::Paragraph) => RichBlock::Paragraph {
                inlines: inlines_until(&mut events, TagEnd::Paragraph)?,
            },
            Event::Start(Tag::Heading { level, .. }) => {
                let shown = match level {
                    HeadingLevel::H1 => 2,
                    HeadingLevel::H2 => 3,
                    HeadingLevel::H3 => 4,
                    deeper => {
                        return Err(ContentError::Unsupported(format!(
                            "a heading of level {} (use #, ## or ###)",
                            deeper as u8
                        )))
                    }
                };
                RichBlock::Heading {
                    level: shown,
                    inlines: inlines_until(&mut events, TagEnd::Heading(level))?,
                }
            }
            Event::Start(Tag::List(first_number)) => RichBlock::List {
                ordered: first_number.is_some(),
                items: list_items(&mut events)?,
            },
            other => return Err(refusal(other, &mut events)),
        };
        blocks.push(block);
    }
    Ok(blocks)
}

/// The items of a list whose start was just read, up to its end.
fn list_items<'a>(
    events: &mut impl Iterator<Item = Event<'a>>,
) -> Result<Vec<Vec<Inline>>, ContentError> {
    let mut items = Vec::new();
    loop {
        match events.next() {
            Some(Event::Start(Tag::Item)) => items.push(item(events)?),
            Some(Event::End(TagEnd::List(_))) => return Ok(items),
            Some(other) => return Err(refusal(other, events)),
            None => return Err(unterminated()),
        }
    }
}

/// One list item as one run of text: a loose list wraps its items in paragraphs, and an item of
/// several paragraphs reads as one, a space between them.
fn item<'a>(events: &mut impl Iterator<Item = Event<'a>>) -> Result<Vec<Inline>, ContentError> {
    let mut out = Vec::new();
    loop {
        match events.next() {
            Some(Event::End(TagEnd::Item)) => return Ok(out),
            Some(Event::Start(Tag::Paragraph)) => {
                if !out.is_empty() {
                    push_text(&mut out, " ");
                }
            }
            Some(Event::End(TagEnd::Paragraph)) => {}
            Some(Event::Start(Tag::List(_))) => {
                return Err(ContentError::Unsupported("a list inside a list".into()))
            }
            Some(other) => inline(other, events, &mut out)?,
            None => return Err(unterminated()),
        }
    }
}

/// Inline content up to `end`.
fn inlines_until<'a>(
    events: &mut impl Iterator<Item = Event<'a>>,
    end: TagEnd,
) -> Result<Vec<Inline>, ContentError> {
    let mut out = Vec::new();
    loop {
        match events.next() {
            Some(Event::End(found)) if found == end => return Ok(out),
            Some(other) => inline(other, events, &mut out)?,
            None => return Err(unterminated()),
        }
    }
}

/// Adds one inline event (and, for emphasis, strong and links, everything up to its end).
fn inline<'a>(
    event: Event<'a>,
    events: &mut impl Iterator<Item = Event<'a>>,
    out: &mut Vec<Inline>,
) -> Result<(), ContentError> {
    match event {
        Event::Text(text) => push_text(out, &text),
        // A line break inside a paragraph is a space: paragraphs flow in the app's layout.
        Event::SoftBreak | Event::HardBreak => push_text(out, " "),
        Event::Start(Tag::Emphasis) => out.push(Inline::Emphasis {
            children: inlines_until(events, TagEnd::Emphasis)?,
        }),
        Event::Start(Tag::Strong) => out.push(Inline::Strong {
            children: inlines_until(events, TagEnd::Strong)?,
        }),
        Event::Start(Tag::Link { dest_url, .. }) => {
            let href = link_target(&dest_url)?;
            let children = inlines_until(events, TagEnd::Link)?;
            if children.is_empty() {
                return Err(ContentError::EmptyLink);
            }
            out.push(Inline::Link { href, children });
        }
        other => return Err(refusal(other, events)),
    }
    Ok(())
}

/// Text joins the text before it: the parser splits runs at entities and escapes.
fn push_text(out: &mut Vec<Inline>, text: &str) {
    if let Some(Inline::Text { text: last }) = out.last_mut() {
        last.push_str(text);
    } else {
        out.push(Inline::Text {
            text: text.to_string(),
        });
    }
}

/// What an event outside the subset is, named for the editor.
fn refusal<'a>(event: Event<'a>, events: &mut impl Iterator<Item = Event<'a>>) -> ContentError {
    let what = match event {
        Event::Html(html) | Event::InlineHtml(html) => {
            return ContentError::RawHtml {
                found: excerpt(&html),
            }
        }
        Event::Start(Tag::HtmlBlock) => {
            let found = match events.next() {
                Some(Event::Html(html)) => excerpt(&html),
                _ => String::new(),
            };
            return ContentError::RawHtml { found };
        }
        Event::Start(Tag::Image { .. }) => "an image",
        Event::Code(_) => "inline code",
        Event::Start(Tag::CodeBlock(_)) => "a code block",
        Event::Start(Tag::BlockQuote(_)) => "a block quote",
        Event::Start(Tag::Table(_)) => "a table",
        Event::Start(Tag::List(_)) => "a list inside a list",
        Event::Start(Tag::Heading { .. }) => "a heading here",
        Event::Rule => "a horizontal rule",
        Event::FootnoteReference(_) | Event::Start(Tag::FootnoteDefinition(_)) => "a footnote",
        Event::TaskListMarker(_) => "a task list",
        Event::InlineMath(_) | Event::DisplayMath(_) => "math",
        _ => "this Markdown",
    };
    ContentError::Unsupported(what.into())
}

/// The parser ends every block it starts; reaching the end inside one would be its bug.
fn unterminated() -> ContentError {
    ContentError::Unsupported("unfinished Markdown".into())
}

/// A link's target as it will be drawn, if it is one a customer may be sent to: `http://` or
/// `https://` with something after it, or a path on this site (`/` but not `//`, which a browser
/// reads as another host). Judged on the trimmed text, case-insensitively; any whitespace,
/// control character or backslash inside refuses it (browsers drop some and read `\` as `/`, the
/// tricks that smuggle `java\tscript:` or `/\host` past a check).
pub fn link_target(href: &str) -> Result<String, ContentError> {
    let refused = || ContentError::Link {
        href: excerpt(href),
    };
    let target = href.trim();
    if target
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '\\')
    {
        return Err(refused());
    }
    let lower = target.to_ascii_lowercase();
    let web = ["https://", "http://"]
        .iter()
        .any(|scheme| lower.starts_with(scheme) && lower.len() > scheme.len());
    let local = lower.starts_with('/') && !lower.starts_with("//");
    if web || local {
        Ok(target.to_string())
    } else {
        Err(refused())
    }
}

/// A plain text field (a title, a label, a question): not empty, and only what a person types
/// ([`portico_api::typed_text`]: no control character but line breaks and tabs). Anything else
/// goes, `<b>` and `&` included: the app draws these fields as text, never as markup, so they
/// show exactly as typed.
pub fn plain_text(text: &str) -> Result<(), ContentError> {
    if text.trim().is_empty() {
        return Err(ContentError::Empty);
    }
    if !portico_api::typed_text(text) {
        return Err(ContentError::ControlCharacter);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(text: &str) -> Inline {
        Inline::Text { text: text.into() }
    }

    fn paragraph(inlines: Vec<Inline>) -> RichBlock {
        RichBlock::Paragraph { inlines }
    }

    #[test]
    fn paragraphs_flow_and_keep_their_text() {
        assert_eq!(
            parse("Points count twice\nall week.\n\nSecond one.").unwrap(),
            vec![
                paragraph(vec![text("Points count twice all week.")]),
                paragraph(vec![text("Second one.")]),
            ]
        );
        assert_eq!(parse("").unwrap(), vec![]);
        assert_eq!(
            parse("中文段落，满 100 元减 10 元。").unwrap(),
            vec![paragraph(vec![text("中文段落，满 100 元减 10 元。")])]
        );
    }

    #[test]
    fn headings_sit_under_the_page_title() {
        let levels: Vec<u8> = parse("# One\n\n## Two\n\n### Three\n\nSetext\n===")
            .unwrap()
            .into_iter()
            .map(|block| match block {
                RichBlock::Heading { level, inlines } => {
                    assert!(!inlines.is_empty());
                    level
                }
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(levels, vec![2, 3, 4, 2]);
        assert_eq!(
            parse("#### Four").unwrap_err(),
            ContentError::Unsupported("a heading of level 4 (use #, ## or ###)".into())
        );
        assert!(parse("###### Six").is_err());
    }

    #[test]
    fn emphasis_nests() {
        assert_eq!(
            parse("*soft **and strong** inside* and **bold _with italic_**").unwrap(),
            vec![paragraph(vec![
                Inline::Emphasis {
                    children: vec![
                        text("soft "),
                        Inline::Strong {
                            children: vec![text("and strong")]
                        },
                        text(" inside"),
                    ]
                },
                text(" and "),
                Inline::Strong {
                    children: vec![
                        text("bold "),
                        Inline::Emphasis {
                            children: vec![text("with italic")]
                        },
                    ]
                },
            ])]
        );
    }

    #[test]
    fn lists_are_one_level_of_inline_items() {
        assert_eq!(
            parse("- free **pickup**\n- a [gift](/gifts)\n\n1. first\n2. second").unwrap(),
            vec![
                RichBlock::List {
                    ordered: false,
                    items: vec![
                        vec![
                            text("free "),
                            Inline::Strong {
                                children: vec![text("pickup")]
                            }
                        ],
                        vec![
                            text("a "),
                            Inline::Link {
                                href: "/gifts".into(),
                                children: vec![text("gift")]
                            }
                        ],
                    ]
                },
                RichBlock::List {
                    ordered: true,
                    items: vec![vec![text("first")], vec![text("second")]]
                },
            ]
        );
        // A loose list (blank lines between items) reads the same; an item's paragraphs join.
        assert_eq!(
            parse("* one\n\n* two\n\n  more").unwrap(),
            vec![RichBlock::List {
                ordered: false,
                items: vec![vec![text("one")], vec![text("two more")]]
            }]
        );
        assert_eq!(
            parse("- outer\n  - inner").unwrap_err(),
            ContentError::Unsupported("a list inside a list".into())
        );
    }

    #[test]
    fn links_keep_web_and_site_targets() {
        for href in [
            "https://example.com/a?b=c#d",
            "http://example.com",
            "HTTPS://EXAMPLE.COM",
            "/orders",
            "/pages/gold-benefits?locale=en",
        ] {
            let parsed = parse(&format!("[go]({href})")).unwrap();
            assert_eq!(
                parsed,
                vec![paragraph(vec![Inline::Link {
                    href: href.into(),
                    children: vec![text("go")]
                }])],
                "{href}"
            );
        }
        // Reference-style links are resolved by the parser and judged the same way.
        assert_eq!(
            parse("See [the terms][t].\n\n[t]: /terms").unwrap(),
            vec![paragraph(vec![
                text("See "),
                Inline::Link {
                    href: "/terms".into(),
                    children: vec![text("the terms")]
                },
                text("."),
            ])]
        );
        assert_eq!(
            parse("<https://example.com>").unwrap(),
            vec![paragraph(vec![Inline::Link {
                href: "https://example.com".into(),
                children: vec![text("https://example.com")]
            }])]
        );
    }

    #[test]
    fn links_elsewhere_are_refused() {
        for href in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "  javascript:alert(1)",
            "data:text/html,<b>x</b>",
            "vbscript:msgbox(1)",
            "//evil.example",
            "/\\evil.example",
            "mailto:a@example.com",
            "ftp://example.com",
            "https://",
            "relative/path",
            "#top",
            "",
        ] {
            assert!(link_target(href).is_err(), "{href:?}");
        }
        for tricky in [
            "java\tscript:x",
            "https://a.example/\u{0}",
            "/a b",
            "/\u{85}x",
        ] {
            assert!(link_target(tricky).is_err(), "{tricky:?}");
        }
        assert!(matches!(
            parse("[x](javascript:alert(1))"),
            Err(ContentError::Link { .. })
        ));
        assert_eq!(parse("[](/empty)").unwrap_err(), ContentError::EmptyLink);
        assert_eq!(
            parse("[x](\u{0}javascript:alert(1))").unwrap_err(),
            ContentError::ControlCharacter
        );
        assert_eq!(
            parse("tabs\tand\r\nlines").unwrap(),
            vec![paragraph(vec![text("tabs\tand lines")])]
        );
    }

    #[test]
    fn everything_outside_the_subset_is_named() {
        let cases = [
            ("<div>hi</div>", "raw HTML"),
            ("text <b>bold</b>", "raw HTML"),
            ("![cat](https://example.com/cat.png)", "an image"),
            ("`code`", "inline code"),
            ("```\ncode\n```", "a code block"),
            ("    indented code", "a code block"),
            ("> quoted", "a block quote"),
            ("---", "a horizontal rule"),
            ("| a | b |\n|---|---|\n| 1 | 2 |", "a table"),
        ];
        for (markdown, named) in cases {
            let message = parse(markdown).unwrap_err().to_string();
            assert!(message.contains(named), "{markdown:?}: {message}");
        }
    }

    #[test]
    fn plain_text_takes_any_typed_characters_and_refuses_control_characters() {
        for fine in [
            "Gold members",
            "1 < 2",
            "a <3 b",
            "<< more",
            "金卡会员 <尊享>",
            "<b>Sale</b> & more",
            "click </a>",
            "<!-- x -->",
            "<script>alert(1)</script>",
            "&lt;b&gt;",
            "line\nbreak\tand tab",
        ] {
            assert_eq!(plain_text(fine), Ok(()), "{fine:?}");
        }
        for (refused, error) in [
            ("bell\u{7}", "control"),
            ("nul\u{0}", "control"),
            ("   ", "empty"),
        ] {
            let message = plain_text(refused).unwrap_err().to_string();
            assert!(message.contains(error), "{refused:?}: {message}");
        }
    }
}
