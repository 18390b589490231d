//! Content safety: every known way of getting script into a page, typed into every field an
//! editor fills, is either refused or comes back as inert text. Judged on the typed tree the app
//! draws: every link target is `http(s)://…` or a path on this site, Markdown never lets raw HTML
//! through, and a plain field (a title, a label, a question) comes back exactly as typed, markup
//! and all: the app draws it as a text node, which is inert (the e2e journeys check the portal
//! shows such a title as its characters, with no element made of it).

use super::{check, render, PageCopy, StoredBlock, StoredFaqItem};
use portico_api::{BenefitCard, Block, Inline, PageLocale, RichBlock};

const PAYLOADS: &[&str] = &[
    // Tags and event handlers.
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "text then <img src=x onerror=alert(1)> inline",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    "<!-- <script>alert(1)</script> -->",
    "<?xml version=\"1.0\"?>",
    "<![CDATA[<script>alert(1)</script>]]>",
    "</p><script>alert(1)</script>",
    // SVG and MathML.
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<math href=\"javascript:alert(1)\">x</math>",
    // Link targets, inline.
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](<java\tscript:alert(1)>)",
    "[x](java&#9;script:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;avascript:alert(1))",
    "[x](javascript&colon;alert(1))",
    "[x](%6Aavascript:alert(1))",
    "[x]( javascript:alert(1) )",
    "[x](<  javascript:alert(1)>)",
    "[x](\u{0}javascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](data:text/html,<script>alert(1)</script>)",
    "[x](vbscript:msgbox(1))",
    "[x](//evil.example)",
    "[x](/\\evil.example)",
    "[x](\\\\evil.example)",
    "[x](https://example.com\" onclick=\"alert(1))",
    "[x](https://example.com 'title\" onmouseover=alert(1)')",
    // Link targets, reference-style and autolinks.
    "[x][r]\n\n[r]: javascript:alert(1)",
    "[x]\n\n[x]: JAVASCRIPT:alert(1)",
    "[x][]\n\n[x]: <data:text/html,x>",
    "<javascript:alert(1)>",
    "<JaVaScRiPt:alert(1)>",
    "<data:text/html,alert(1)>",
    "<vbscript:msgbox(1)>",
    "<evil@example.com>",
    // Images.
    "![x](javascript:alert(1))",
    "![x](https://example.com/a.png)",
    "[![x](https://example.com/a.png)](https://example.com)",
    // Entities and escapes: stay text.
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "\\<script>alert(1)\\</script>",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "`<script>alert(1)</script>`",
    // Nested Markdown.
    "- *[x](javascript:alert(1))*",
    "- **_[y](data:text/html,x)_**",
    "1. ok\n2. **[z](JaVaScRiPt:alert(1))**",
    "*a [b **c [d](javascript:x)** e](https://ok.example) f*",
    "# [h](javascript:alert(1))",
    "> [q](javascript:alert(1))",
    // Bare words that only look dangerous.
    "javascript:alert(1)",
    "onerror=alert(1)",
    "https://example.com/?q=<script>",
];

/// A link target a customer may be sent to, judged independently of the code under test.
fn safe_href(href: &str) -> bool {
    let lower = href.to_ascii_lowercase();
    !href
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '\\')
        && (lower.starts_with("https://")
            || lower.starts_with("http://")
            || (lower.starts_with('/') && !lower.starts_with("//")))
}

/// Something a browser would start a tag, comment or declaration with.
fn tag_like(text: &str) -> bool {
    text.as_bytes()
        .windows(2)
        .any(|p| p[0] == b'<' && (p[1].is_ascii_alphabetic() || b"/!?".contains(&p[1])))
}

fn assert_inert_inlines(inlines: &[Inline], payload: &str) {
    for inline in inlines {
        match inline {
            Inline::Text { .. } => {}
            Inline::Emphasis { children } | Inline::Strong { children } => {
                assert_inert_inlines(children, payload)
            }
            Inline::Link { href, children } => {
                assert!(safe_href(href), "{payload:?} gave the link {href:?}");
                assert_inert_inlines(children, payload);
            }
        }
    }
}

fn assert_inert_rich(blocks: &[RichBlock], payload: &str) {
    for block in blocks {
        match block {
            RichBlock::Paragraph { inlines } | RichBlock::Heading { inlines, .. } => {
                assert_inert_inlines(inlines, payload)
            }
            RichBlock::List { items, .. } => {
                for item in items {
                    assert_inert_inlines(item, payload);
                }
            }
        }
    }
}

/// Every link is safe; returns the plain fields' texts (drawn as text nodes).
fn assert_inert<'a>(blocks: &'a [Block], payload: &str) -> Vec<&'a str> {
    let mut plain = Vec::new();
    for block in blocks {
        match block {
            Block::Hero { title, subtitle } => {
                plain.push(title.as_str());
                plain.extend(subtitle.as_deref());
            }
            Block::RichText { body } => assert_inert_rich(body, payload),
            Block::BenefitGrid { items } => {
                for item in items {
                    plain.extend([item.title.as_str(), item.text.as_str()]);
                }
            }
            Block::TierComparison { .. } => {}
            Block::Faq { items } => {
                for item in items {
                    plain.push(&item.question);
                    assert_inert_rich(&item.answer, payload);
                }
            }
            Block::CallToAction { label, href } => {
                plain.push(label);
                assert!(safe_href(href), "{payload:?} gave the action {href:?}");
            }
        }
    }
    plain
}

/// The fields an editor fills; `page(field, payload)` puts the payload in one of them.
/// The Markdown fields and the button's address read what is typed; the others are plain text.
const READ: [&str; 3] = ["rich text", "faq answer", "action href"];
const FIELDS: [&str; 10] = [
    "page title",
    "hero title",
    "hero subtitle",
    "rich text",
    "grid title",
    "grid text",
    "faq question",
    "faq answer",
    "action label",
    "action href",
];

fn page(field: &str, payload: &str) -> PageCopy {
    let pick = |name: &str, fine: &str| {
        if name == field {
            payload.to_string()
        } else {
            fine.to_string()
        }
    };
    PageCopy {
        locale: PageLocale::En,
        title: pick("page title", "Gold"),
        blocks: vec![
            StoredBlock::Hero {
                title: pick("hero title", "Hello"),
                subtitle: Some(pick("hero subtitle", "More")),
            },
            StoredBlock::RichText {
                markdown: pick("rich text", "Some *text*."),
            },
            StoredBlock::BenefitGrid {
                items: vec![BenefitCard {
                    title: pick("grid title", "Pickup"),
                    text: pick("grid text", "Free"),
                }],
            },
            StoredBlock::Faq {
                items: vec![StoredFaqItem {
                    question: pick("faq question", "Why?"),
                    answer: pick("faq answer", "[Because](/orders)."),
                }],
            },
            StoredBlock::TierComparison {},
            StoredBlock::CallToAction {
                label: pick("action label", "Go"),
                href: pick("action href", "/orders"),
            },
        ],
    }
}

#[test]
fn every_payload_in_every_field_is_refused_or_inert() {
    let mut refused = 0;
    for payload in PAYLOADS {
        for field in FIELDS {
            let copy = page(field, payload);
            let checked = check(&copy);
            match render(&copy.blocks, &[]) {
                Ok(blocks) => {
                    // What is shown is exactly what the check lets through.
                    assert!(
                        checked.is_ok() || field == "page title",
                        "{field}: {payload:?}"
                    );
                    let plain = assert_inert(&blocks, payload);
                    // A plain field is kept exactly as typed, to be drawn as text.
                    if !READ.contains(&field) && field != "page title" {
                        assert!(plain.contains(payload), "{field}: {payload:?} in {plain:?}");
                    }
                    if field == "page title" {
                        assert_eq!(checked.is_ok(), !payload.contains('\0'), "{payload:?}");
                    }
                }
                Err(error) => {
                    assert!(checked.is_err(), "{field}: {payload:?}");
                    // A plain field refuses only what no one types (the NUL).
                    assert!(
                        READ.contains(&field) || payload.contains('\0'),
                        "{field}: {payload:?}: {error}"
                    );
                    refused += 1;
                    assert!(!error.to_string().is_empty());
                }
            }
        }
    }
    // Nearly every payload is refused in the three fields that read Markdown or an address.
    assert!(refused > PAYLOADS.len() * 2, "only {refused} refusals");
}

#[test]
fn markup_in_markdown_is_refused_by_name() {
    for payload in PAYLOADS
        .iter()
        .filter(|p| p.starts_with('<') && tag_like(p))
    {
        for field in ["rich text", "faq answer"] {
            let copy = page(field, payload);
            let message = check(&copy).unwrap_err().to_string();
            // An autolink is a link, refused as a link; everything else as raw HTML.
            assert!(
                message.contains("raw HTML") || message.contains("link"),
                "{field}: {payload:?}: {message}"
            );
        }
    }
    let message = check(&page("rich text", "<img src=x onerror=alert(1)>"))
        .unwrap_err()
        .to_string();
    assert!(message.contains("raw HTML"), "{message}");
    assert!(
        message.starts_with("en: block 2 (rich_text): "),
        "{message}"
    );
    // A plain field takes markup as the characters typed.
    for field in FIELDS.iter().filter(|f| !READ.contains(f)) {
        assert_eq!(check(&page(field, "<b>Sale</b> & more")), Ok(()), "{field}");
    }
}

#[test]
fn entities_stay_text_and_decoded_schemes_are_refused() {
    let copy = page("rich text", "&lt;script&gt;alert(1)&lt;/script&gt;");
    let blocks = render(&copy.blocks, &[]).unwrap();
    assert_eq!(
        blocks[1],
        Block::RichText {
            body: vec![RichBlock::Paragraph {
                inlines: vec![Inline::Text {
                    text: "<script>alert(1)</script>".into()
                }]
            }]
        }
    );
    for payload in [
        "[x](&#106;avascript:alert(1))",
        "[x](java&#9;script:alert(1))",
        "[x](<java\tscript:alert(1)>)",
        "[x][r]\n\n[r]: javascript:alert(1)",
        "<javascript:alert(1)>",
        "- *[x](javascript:alert(1))*",
    ] {
        let message = check(&page("rich text", payload)).unwrap_err().to_string();
        assert!(message.contains("link"), "{payload:?}: {message}");
    }
    // A plain field keeps entities as typed: drawn as text, they show as typed.
    let copy = page("hero title", "&lt;script&gt;");
    assert!(check(&copy).is_ok());
    for href in [
        "javascript:alert(1)",
        " JAVASCRIPT:alert(1)",
        "//evil.example",
    ] {
        assert!(check(&page("action href", href)).is_err(), "{href:?}");
    }
}
