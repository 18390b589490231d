//! Demo benefit pages, written once into a database that has none: one page per tier for its
//! members, and one for everyone, each in Chinese and English, using every kind of block. Saved
//! through `save_version`, so the demo content passes the same checks an editor's would.

use super::{
    create_page, save_version, NewVersion, PageCopy, SaveError, StoredBlock, StoredFaqItem,
};
use portico_api::{BenefitCard, PageLocale};
use sqlx::AnyPool;

/// (slug, the tier it is for: `None` for everyone)
pub const DEMO_PAGES: [(&str, Option<&str>); 5] = [
    ("regular-benefits", Some("regular")),
    ("silver-benefits", Some("silver")),
    ("gold-benefits", Some("gold")),
    ("diamond-benefits", Some("diamond")),
    ("member-week", None),
];

fn hero(title: &str, subtitle: &str) -> StoredBlock {
    StoredBlock::Hero {
        title: title.into(),
        subtitle: Some(subtitle.into()),
    }
}

fn text(markdown: &str) -> StoredBlock {
    StoredBlock::RichText {
        markdown: markdown.into(),
    }
}

fn grid(items: &[(&str, &str)]) -> StoredBlock {
    StoredBlock::BenefitGrid {
        items: items
            .iter()
            .map(|(title, text)| BenefitCard {
                title: (*title).into(),
                text: (*text).into(),
            })
            .collect(),
    }
}

fn faq(items: &[(&str, &str)]) -> StoredBlock {
    StoredBlock::Faq {
        items: items
            .iter()
            .map(|(question, answer)| StoredFaqItem {
                question: (*question).into(),
                answer: (*answer).into(),
            })
            .collect(),
    }
}

fn action(label: &str, href: &str) -> StoredBlock {
    StoredBlock::CallToAction {
        label: label.into(),
        href: href.into(),
    }
}

fn copy(locale: PageLocale, title: &str, blocks: Vec<StoredBlock>) -> PageCopy {
    PageCopy {
        locale,
        title: title.into(),
        blocks,
    }
}

/// The demo pages in both languages, in the order of [`DEMO_PAGES`].
pub fn demo_copies() -> Vec<[PageCopy; 2]> {
    use PageLocale::{En, ZhCn};
    vec![
        [
            copy(
                ZhCn,
                "普通会员权益",
                vec![
                    hero(
                        "欢迎加入 Portico 会员",
                        "从第一笔订单起，每一份权益都为您准备好了",
                    ),
                    text(
                        "注册即是会员，**无需任何费用**。您在这里买到的每一件商品都享有：\n\n\
                         - 送达后 *30 天* 内可申请退货\n\
                         - 订单与包裹状态随时可查\n\
                         - 退款原路返回，或选择多 5% 的店铺余额\n\n\
                         想了解退货怎么办？请看[我的退货](/returns)。",
                    ),
                    grid(&[
                        ("安心退货", "送达后 30 天内，在订单页即可发起退货。"),
                        ("实时追踪", "每个包裹的每一站，都在订单页为您更新。"),
                        ("店铺余额加赠", "退款选择店铺余额，额外多得 5%。"),
                    ]),
                    faq(&[
                        (
                            "怎样成为银卡会员？",
                            "过去 12 个月的有效消费达到银卡门槛即可，**自动升级**，无需申请。",
                        ),
                        (
                            "有效消费怎么计算？",
                            "已过退货期的订单金额计入，扣除已退款的部分。",
                        ),
                    ]),
                    action("查看我的订单", "/orders"),
                ],
            ),
            copy(
                En,
                "Member benefits",
                vec![
                    hero(
                        "Welcome to Portico membership",
                        "From your first order on, your benefits are ready",
                    ),
                    text(
                        "Joining is automatic and **free**. Everything you buy here comes with:\n\n\
                         - *30 days* from delivery to start a return\n\
                         - your orders and parcels, tracked at every step\n\
                         - refunds to your original payment, or 5% more as store credit\n\n\
                         Want to know how returns work? See [my returns](/returns).",
                    ),
                    grid(&[
                        (
                            "Easy returns",
                            "Start a return from the order page within 30 days of delivery.",
                        ),
                        (
                            "Live tracking",
                            "Every stop of every parcel, updated on your order page.",
                        ),
                        (
                            "Store credit bonus",
                            "Choose store credit for a refund and get 5% more.",
                        ),
                    ]),
                    faq(&[
                        (
                            "How do I reach Silver?",
                            "Reach Silver's qualifying spend over the last 12 months and you \
                             move up **automatically**; there is nothing to apply for.",
                        ),
                        (
                            "What counts as qualifying spend?",
                            "Orders past their return window count, less anything refunded.",
                        ),
                    ]),
                    action("See my orders", "/orders"),
                ],
            ),
        ],
        [
            copy(
                ZhCn,
                "银卡会员权益",
                vec![
                    hero("银卡会员，您好", "感谢您一路以来的信任"),
                    grid(&[
                        ("安心退货", "送达后 30 天内，在订单页即可发起退货。"),
                        ("店铺余额加赠", "退款选择店铺余额，额外多得 5%。"),
                        ("更近一步", "再多一些消费，即可解锁金卡的免费上门取件。"),
                    ]),
                    StoredBlock::TierComparison {},
                    action("查看我的订单", "/orders"),
                ],
            ),
            copy(
                En,
                "Silver benefits",
                vec![
                    hero("Hello, Silver member", "Thank you for shopping with us"),
                    grid(&[
                        (
                            "Easy returns",
                            "Start a return from the order page within 30 days of delivery.",
                        ),
                        (
                            "Store credit bonus",
                            "Choose store credit for a refund and get 5% more.",
                        ),
                        (
                            "One step closer",
                            "A little more spend unlocks Gold's free doorstep pickup.",
                        ),
                    ]),
                    StoredBlock::TierComparison {},
                    action("See my orders", "/orders"),
                ],
            ),
        ],
        [
            copy(
                ZhCn,
                "金卡会员权益",
                vec![
                    hero("金卡会员专属", "更长的退货期，免费上门取件"),
                    text(
                        "# 为您多做一点\n\n\
                         作为金卡会员，退货期更长，上门取件**免费**。\
                         预约取件时选一个方便的时段，快递员会上门收件。",
                    ),
                    grid(&[
                        ("更长退货期", "送达后有更充裕的时间决定是否退货。"),
                        ("免费上门取件", "预约时段，快递员上门，取件费全免。"),
                        ("店铺余额加赠", "退款选择店铺余额，额外多得 5%。"),
                    ]),
                    StoredBlock::TierComparison {},
                    faq(&[
                        (
                            "上门取件怎么预约？",
                            "1. 在订单页点击**申请退货**\n2. 选择*上门取件*\n3. 挑一个时段",
                        ),
                        (
                            "金卡会保留多久？",
                            "每次评估时，过去 12 个月的有效消费达到保级金额即可保留金卡。",
                        ),
                    ]),
                    action("发起一次退货", "/orders"),
                ],
            ),
            copy(
                En,
                "Gold benefits",
                vec![
                    hero(
                        "Just for Gold members",
                        "A longer return window and free doorstep pickup",
                    ),
                    text(
                        "# A little more, for you\n\n\
                         As a Gold member you have longer to return, and doorstep pickup is \
                         **free**. Pick a time that suits you and the courier comes to you.",
                    ),
                    grid(&[
                        (
                            "Longer return window",
                            "More time after delivery to decide what to keep.",
                        ),
                        (
                            "Free doorstep pickup",
                            "Book a time, the courier comes, and the pickup costs nothing.",
                        ),
                        (
                            "Store credit bonus",
                            "Choose store credit for a refund and get 5% more.",
                        ),
                    ]),
                    StoredBlock::TierComparison {},
                    faq(&[
                        (
                            "How do I book a pickup?",
                            "1. Choose **Start a return** on the order page\n\
                             2. Pick *doorstep pickup*\n3. Choose a time",
                        ),
                        (
                            "How long do I keep Gold?",
                            "At each evaluation, qualifying spend over the last 12 months that \
                             reaches Gold's keep amount keeps your tier.",
                        ),
                    ]),
                    action("Start a return", "/orders"),
                ],
            ),
        ],
        [
            copy(
                ZhCn,
                "钻石会员权益",
                vec![
                    hero("钻石会员，尊享全部权益", "我们最长的退货期与专属服务"),
                    text(
                        "感谢您成为我们**最信赖的顾客**之一。钻石会员享有：\n\n\
                         1. 我们最长的退货期\n\
                         2. 免费上门取件\n\
                         3. 专属服务线，熟悉您的需求\n\n\
                         您的订单与退货，都在[我的订单](/orders)。",
                    ),
                    grid(&[
                        ("最长退货期", "送达后最充裕的退货时间。"),
                        ("免费上门取件", "预约时段，快递员上门，取件费全免。"),
                        ("专属服务", "一条属于钻石会员的服务线。"),
                    ]),
                    faq(&[(
                        "专属服务线怎么联系？",
                        "登录后在订单页联系客服，您的消息会直接到达*钻石会员服务团队*。",
                    )]),
                    action("查看我的订单", "/orders"),
                ],
            ),
            copy(
                En,
                "Diamond benefits",
                vec![
                    hero(
                        "Diamond: every benefit we offer",
                        "Our longest return window and a service line of your own",
                    ),
                    text(
                        "Thank you for being one of our **most loyal customers**. As a Diamond \
                         member you have:\n\n\
                         1. our longest return window\n\
                         2. free doorstep pickup\n\
                         3. a service line of your own, by people who know you\n\n\
                         Your orders and returns are all in [my orders](/orders).",
                    ),
                    grid(&[
                        (
                            "Longest return window",
                            "The most time after delivery to decide what to keep.",
                        ),
                        (
                            "Free doorstep pickup",
                            "Book a time, the courier comes, and the pickup costs nothing.",
                        ),
                        (
                            "Your own service line",
                            "A team set aside for Diamond members.",
                        ),
                    ]),
                    faq(&[(
                        "How do I reach my service line?",
                        "Sign in and contact us from an order page: your message goes straight \
                         to the *Diamond service team*.",
                    )]),
                    action("See my orders", "/orders"),
                ],
            ),
        ],
        [
            copy(
                ZhCn,
                "会员周",
                vec![
                    hero("会员周", "认识每一个会员等级，找到属于您的权益"),
                    text(
                        "# 人人都是会员\n\n\
                         注册即是会员。消费越多，权益越多：\n\n\
                         - 更长的退货期\n\
                         - 免费上门取件\n\
                         - 专属服务线\n\n\
                         ## 等级怎么计算\n\n\
                         我们看过去 **12 个月** 的有效消费，已过退货期的订单才计入。\
                         详情请看[常见问题](https://example.com/help/tiers)。",
                    ),
                    StoredBlock::TierComparison {},
                    faq(&[(
                        "等级会自动调整吗？",
                        "会。达到门槛即*自动升级*；每次评估时按保级金额确认等级。",
                    )]),
                    action("登录查看我的等级", "/sign-in"),
                ],
            ),
            copy(
                En,
                "Member Week",
                vec![
                    hero(
                        "Member Week",
                        "Meet every tier and find the benefits that are yours",
                    ),
                    text(
                        "# Everyone is a member\n\n\
                         You are a member from your first order. The more you shop, the more \
                         you get:\n\n\
                         - a longer return window\n\
                         - free doorstep pickup\n\
                         - a service line of your own\n\n\
                         ## How tiers are reached\n\n\
                         We look at your qualifying spend over the last **12 months**; orders \
                         count once their return window has closed. Read more in our \
                         [help pages](https://example.com/help/tiers).",
                    ),
                    StoredBlock::TierComparison {},
                    faq(&[(
                        "Does my tier change by itself?",
                        "Yes. Reach a tier's spend and you move up *automatically*; at each \
                         evaluation the keep amount confirms your tier.",
                    )]),
                    action("Sign in to see your tier", "/sign-in"),
                ],
            ),
        ],
    ]
}

/// Writes the demo pages, published from `now`, unless the database has pages already.
pub async fn seed_pages_if_empty(db: &AnyPool, now: i64) -> Result<(), SaveError> {
    let pages: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM pages")
        .fetch_one(db)
        .await?;
    if pages > 0 {
        return Ok(());
    }
    for ((slug, audience), copies) in DEMO_PAGES.into_iter().zip(demo_copies()) {
        let page = create_page(db, slug, now).await?;
        save_version(db, page, NewVersion::at(audience, &copies, now), now).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::check;
    use std::collections::HashSet;

    #[test]
    fn the_demo_pages_pass_and_use_every_block() {
        let copies = demo_copies();
        assert_eq!(copies.len(), DEMO_PAGES.len());
        let mut kinds = HashSet::new();
        for [zh, en] in &copies {
            assert_eq!((zh.locale, en.locale), (PageLocale::ZhCn, PageLocale::En));
            // Both languages tell the same page: the same blocks in the same order.
            let shape = |copy: &PageCopy| copy.blocks.iter().map(|b| b.kind()).collect::<Vec<_>>();
            assert_eq!(shape(zh), shape(en), "{}", en.title);
            for copy in [zh, en] {
                check(copy).unwrap_or_else(|e| panic!("{}: {e}", copy.title));
                kinds.extend(copy.blocks.iter().map(StoredBlock::kind));
            }
        }
        assert_eq!(kinds.len(), 6, "{kinds:?}");
    }
}
