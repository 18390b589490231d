//! Small value types that can only hold valid values ("parse, don't validate"). Both sides parse
//! with the same code, so the app can tell the customer what is wrong before a request is made.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An amount of Chinese yuan in fen (1 CNY = 100 fen). Never a float. On the wire it is a bare
/// integer of fen (`144700` is ¥1,447.00).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Money {
    pub fen: i64,
}

/// The schema says what the wire carries: an integer, not the struct around it.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Money {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
            .description(Some(
                "An amount of Chinese yuan in fen (1 CNY = 100 fen): 144700 is ¥1,447.00.",
            ))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Money {}

impl Money {
    pub const fn fen(fen: i64) -> Self {
        Self { fen }
    }

    pub const fn yuan(yuan: i64) -> Self {
        Self { fen: yuan * 100 }
    }

    /// `1234.50` style decimal, grouped by thousands: `"1,234.50"`. The currency sign is the
    /// caller's (locale) business.
    pub fn decimal(self) -> String {
        let sign = if self.fen < 0 { "-" } else { "" };
        let abs = self.fen.unsigned_abs();
        let (yuan, fen) = (abs / 100, abs % 100);
        let digits = yuan.to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(c);
        }
        format!("{sign}{grouped}.{fen:02}")
    }
}

impl std::ops::Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money::fen(self.fen + rhs.fen)
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::default(), |a, b| a + b)
    }
}

/// A UTC instant, RFC 3339 on the wire (`2026-11-24T08:30:00Z`). The app shows it in the
/// customer's locale and time zone.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, format = DateTime))]
#[serde(transparent)]
pub struct UtcTime(pub String);

/// A calendar date, ISO 8601 (`2026-11-27`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, format = Date))]
#[serde(transparent)]
pub struct CalendarDate(pub String);

/// Why a typed value was refused. The app maps each to a localized message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParseError {
    Empty,
    InvalidContact,
    InvalidOrderNumber,
    InvalidCode,
}

/// An order number as printed on receipts: `PT` followed by eight digits (`PT20261234`).
/// [`OrderNumber::parse`] forgives what people type (case, spaces, dashes); the wire carries only
/// the exact form ([`OrderNumber::from_wire`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, pattern = "^PT[0-9]{8}$", example = "PT20261001"))]
#[serde(try_from = "String", into = "String")]
pub struct OrderNumber(String);

impl OrderNumber {
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let cleaned: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect::<String>()
            .to_ascii_uppercase();
        if cleaned.is_empty() {
            return Err(ParseError::Empty);
        }
        let digits = cleaned
            .strip_prefix("PT")
            .ok_or(ParseError::InvalidOrderNumber)?;
        if digits.len() == 8 && digits.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(cleaned))
        } else {
            Err(ParseError::InvalidOrderNumber)
        }
    }

    /// The exact wire form, nothing forgiven: what a service accepts.
    pub fn from_wire(input: &str) -> Result<Self, ParseError> {
        match input.strip_prefix("PT") {
            Some(digits) if digits.len() == 8 && digits.bytes().all(|b| b.is_ascii_digit()) => {
                Ok(Self(input.to_string()))
            }
            _ => Err(ParseError::InvalidOrderNumber),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for OrderNumber {
    type Error = &'static str;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value).map_err(|_| "an order number is PT followed by 8 digits")
    }
}

impl From<OrderNumber> for String {
    fn from(value: OrderNumber) -> Self {
        value.0
    }
}

impl fmt::Display for OrderNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// How a customer can be reached and identified: an email address or a mainland China mobile
/// number. Normalized: emails lower-cased, phones as 11 digits without `+86`.
///
/// [`Contact::parse`] forgives what people type (spaces, dashes, `+86`, capitals); the wire
/// carries only the exact forms ([`Contact::from_wire`]), which the app sends after parsing. The
/// OpenAPI document states them as a pattern; a server test holds the two together.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Contact {
    Email(String),
    Phone(String),
}

impl Contact {
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(ParseError::Empty);
        }
        if trimmed.contains('@') {
            return Self::from_wire(&trimmed.to_ascii_lowercase());
        }
        let digits: String = trimmed
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '(' | ')'))
            .collect();
        let digits = digits
            .strip_prefix("+86")
            .or_else(|| digits.strip_prefix("0086"))
            .unwrap_or(&digits);
        match Self::from_wire(digits) {
            Ok(phone @ Contact::Phone(_)) => Ok(phone),
            _ => Err(ParseError::InvalidContact),
        }
    }

    /// The exact wire form, nothing forgiven: an 11-digit mainland mobile number
    /// (`1[3-9]` + 9 digits) or an ASCII email address of at most 254 characters.
    pub fn from_wire(input: &str) -> Result<Self, ParseError> {
        let bytes = input.as_bytes();
        if bytes.len() == 11
            && bytes[0] == b'1'
            && (b'3'..=b'9').contains(&bytes[1])
            && bytes.iter().all(u8::is_ascii_digit)
        {
            return Ok(Contact::Phone(input.to_string()));
        }
        let local_char = |b: u8| b.is_ascii_alphanumeric() || b"._%+-".contains(&b);
        let label =
            |l: &str| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        let valid_email = input.len() <= 254
            && match input.split_once('@') {
                Some((local, domain)) => {
                    !local.is_empty()
                        && local.bytes().all(local_char)
                        && domain.split('.').count() >= 2
                        && domain.split('.').all(label)
                }
                None => false,
            };
        if valid_email {
            Ok(Contact::Email(input.to_ascii_lowercase()))
        } else {
            Err(ParseError::InvalidContact)
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Contact::Email(s) | Contact::Phone(s) => s,
        }
    }

    /// What may be shown to someone who has not proved who they are:
    /// `138****1234`, `w***@example.com`.
    pub fn masked(&self) -> String {
        match self {
            Contact::Phone(p) => mask_phone(p),
            Contact::Email(e) => {
                let (local, domain) = e.split_once('@').unwrap_or((e, ""));
                let first: String = local.chars().take(1).collect();
                format!("{first}***@{domain}")
            }
        }
    }
}

/// A text in each language the portal speaks: a tier's name, a survey's words, an item's name.
/// Either may be empty or left out (an item a shop named in one language only): a reader gets the
/// other (`Localized::get`), so there is one fallback rule for every text of this kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Localized {
    #[serde(rename = "zh-CN", default)]
    pub zh_cn: String,
    #[serde(default)]
    pub en: String,
}

impl Localized {
    /// The text in `language`, or in the other language when it has none there.
    pub fn get(&self, language: crate::PageLocale) -> &str {
        let (wanted, other) = match language {
            crate::PageLocale::ZhCn => (&self.zh_cn, &self.en),
            crate::PageLocale::En => (&self.en, &self.zh_cn),
        };
        if wanted.trim().is_empty() {
            other
        } else {
            wanted
        }
    }
}

/// Whether typed text holds only what a person types: no control character but a line break or a
/// tab (a NUL, which PostgreSQL cannot keep, or anything that is invisible or moves the cursor).
pub fn typed_text(text: &str) -> bool {
    !text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

/// `13812341234` becomes `138****1234`; anything shorter keeps only its last two digits.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() >= 11 {
        let head: String = chars[..3].iter().collect();
        let tail: String = chars[chars.len() - 4..].iter().collect();
        format!("{head}****{tail}")
    } else {
        let keep = chars.len().min(2);
        let tail: String = chars[chars.len() - keep..].iter().collect();
        format!("{}{tail}", "*".repeat(chars.len() - keep))
    }
}

/// A person's name shown to a guest: the family name and a star per further character (`王*`).
pub fn mask_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => {
            let rest = chars.count().max(1);
            format!("{first}{}", "*".repeat(rest))
        }
        None => String::new(),
    }
}

/// A six-digit one-time sign-in code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInCode(String);

impl SignInCode {
    pub const LEN: usize = 6;

    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let code: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if code.is_empty() {
            Err(ParseError::Empty)
        } else if code.len() == Self::LEN && code.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(code))
        } else {
            Err(ParseError::InvalidCode)
        }
    }

    /// The exact wire form: six ASCII digits.
    pub fn from_wire(input: &str) -> Result<Self, ParseError> {
        if input.len() == Self::LEN && input.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(input.to_string()))
        } else {
            Err(ParseError::InvalidCode)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A whole number in a request body, as JSON Schema's `integer` (what the contract says) takes
/// it: a JSON integer, or a number without a fraction (`3.0`); negative, fractional, too big for
/// the field, or not a number is refused. An `Option` of one also takes `null` (and, with
/// `#[serde(default)]`, absence). Every integer a request body carries is read with it
/// (`#[serde(deserialize_with = "crate::values::whole")]`): counts, ratings, scores, revisions.
pub(crate) fn whole<'de, D: serde::Deserializer<'de>, T: Whole>(
    deserializer: D,
) -> Result<T, D::Error> {
    T::deserialize_whole(deserializer)
}

/// What [`whole`] can read.
pub(crate) trait Whole: Sized {
    fn deserialize_whole<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error>;
}

struct WholeVisitor<T> {
    max: u64,
    number: std::marker::PhantomData<T>,
}

impl<T: TryFrom<u64>> serde::de::Visitor<'_> for WholeVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "a whole number from 0 to {}", self.max)
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<T, E> {
        T::try_from(v).map_err(|_| E::invalid_value(serde::de::Unexpected::Unsigned(v), &self))
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<T, E> {
        match u64::try_from(v) {
            Ok(v) => self.visit_u64(v),
            Err(_) => Err(E::invalid_value(serde::de::Unexpected::Signed(v), &self)),
        }
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<T, E> {
        // `max as f64` rounds up only past 2^53, far above any field's maximum here.
        if v.fract() == 0.0 && (0.0..=self.max as f64).contains(&v) {
            self.visit_u64(v as u64)
        } else {
            Err(E::invalid_value(serde::de::Unexpected::Float(v), &self))
        }
    }
}

macro_rules! whole_numbers {
    ($($number:ty),*) => {$(
        impl Whole for $number {
            fn deserialize_whole<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_any(WholeVisitor::<$number> {
                    max: u64::from(<$number>::MAX),
                    number: std::marker::PhantomData,
                })
            }
        }
    )*};
}
whole_numbers!(u8, u32);

impl<T: Whole> Whole for Option<T> {
    fn deserialize_whole<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Maybe<T>(std::marker::PhantomData<T>);
        impl<'de, T: Whole> serde::de::Visitor<'de> for Maybe<T> {
            type Value = Option<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("null or a whole number")
            }
            fn visit_none<E: serde::de::Error>(self) -> Result<Option<T>, E> {
                Ok(None)
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Option<T>, E> {
                Ok(None)
            }
            fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
                T::deserialize_whole(d).map(Some)
            }
        }
        d.deserialize_option(Maybe(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rating_is_a_whole_number_or_nothing() {
        #[derive(serde::Deserialize)]
        struct R {
            #[serde(default, deserialize_with = "whole")]
            r: Option<u8>,
        }
        let read = |json: &str| serde_json::from_str::<R>(json).map(|r| r.r);
        assert_eq!(read(r#"{"r":4}"#).unwrap(), Some(4));
        assert_eq!(read(r#"{"r":4.0}"#).unwrap(), Some(4));
        assert_eq!(read(r#"{"r":null}"#).unwrap(), None);
        assert_eq!(read("{}").unwrap(), None);
        for refused in [
            r#"{"r":4.5}"#,
            r#"{"r":-1}"#,
            r#"{"r":256}"#,
            r#"{"r":256.0}"#,
            r#"{"r":"4"}"#,
        ] {
            assert!(read(refused).is_err(), "{refused}");
        }
    }

    #[test]
    fn a_whole_number_is_an_integer_however_json_writes_it() {
        let read = |json: &str| whole::<_, u32>(&mut serde_json::Deserializer::from_str(json));
        assert_eq!(read("3").unwrap(), 3);
        assert_eq!(read("3.0").unwrap(), 3);
        assert_eq!(read("3e0").unwrap(), 3);
        assert_eq!(read("4294967295.0").unwrap(), u32::MAX);
        for refused in [
            "3.5",
            "-1",
            "-1.0",
            "4294967296",
            "1e10",
            "\"3\"",
            "null",
            "true",
        ] {
            let error = read(refused).expect_err(refused).to_string();
            assert!(
                error.contains("a whole number from 0 to 4294967295"),
                "{refused}: {error}"
            );
        }
    }

    #[test]
    fn money_is_grouped_and_keeps_fen() {
        assert_eq!(Money::fen(123_456_789).decimal(), "1,234,567.89");
        assert_eq!(Money::fen(5).decimal(), "0.05");
        assert_eq!(Money::fen(-100_000).decimal(), "-1,000.00");
        assert_eq!(serde_json::to_string(&Money::yuan(12)).unwrap(), "1200");
    }

    #[test]
    fn order_numbers_are_forgiving_but_strict() {
        assert_eq!(
            OrderNumber::parse(" pt2026-1001 ").unwrap().as_str(),
            "PT20261001"
        );
        assert_eq!(OrderNumber::parse(""), Err(ParseError::Empty));
        assert_eq!(
            OrderNumber::parse("PT123"),
            Err(ParseError::InvalidOrderNumber)
        );
        assert_eq!(
            OrderNumber::parse("XX20261001"),
            Err(ParseError::InvalidOrderNumber)
        );
        assert!(serde_json::from_str::<OrderNumber>("\"PT1\"").is_err());
    }

    #[test]
    fn contacts_are_normalized() {
        assert_eq!(
            Contact::parse(" Wang.Wei@Example.com "),
            Ok(Contact::Email("wang.wei@example.com".into()))
        );
        assert_eq!(
            Contact::parse("+86 138-1234-5678"),
            Ok(Contact::Phone("13812345678".into()))
        );
        assert_eq!(Contact::parse("12345"), Err(ParseError::InvalidContact));
        assert_eq!(Contact::parse("a@b"), Err(ParseError::InvalidContact));
        assert_eq!(Contact::parse("  "), Err(ParseError::Empty));
    }

    #[test]
    fn the_wire_takes_only_exact_forms() {
        assert_eq!(
            Contact::from_wire("13812345678"),
            Ok(Contact::Phone("13812345678".into()))
        );
        assert_eq!(
            Contact::from_wire("Wang.Wei@Example.com"),
            Ok(Contact::Email("wang.wei@example.com".into()))
        );
        for refused in [
            "+8613812345678",
            "138 1234 5678",
            " wang@example.com",
            "wang@example",
            "wang@example..com",
            "王@example.com",
            "12812345678",
        ] {
            assert_eq!(
                Contact::from_wire(refused),
                Err(ParseError::InvalidContact),
                "{refused}"
            );
        }
        // Whatever the forgiving parse gives is wire-exact.
        let typed = Contact::parse(" +86 138-1234-5678 ").unwrap();
        assert_eq!(Contact::from_wire(typed.as_str()), Ok(typed));
        assert!(OrderNumber::from_wire("PT20261001").is_ok());
        assert!(OrderNumber::from_wire("pt20261001").is_err());
        assert!(SignInCode::from_wire("123456").is_ok());
        assert!(SignInCode::from_wire("123 456").is_err());
    }

    #[test]
    fn masking_hides_the_middle() {
        assert_eq!(mask_phone("13812341234"), "138****1234");
        assert_eq!(
            Contact::Email("wang.wei@example.com".into()).masked(),
            "w***@example.com"
        );
        assert_eq!(mask_name("王伟"), "王*");
        assert_eq!(mask_name("欧阳娜娜"), "欧***");
    }

    #[test]
    fn codes_are_six_digits() {
        assert!(SignInCode::parse("123 456").is_ok());
        assert_eq!(SignInCode::parse("12345"), Err(ParseError::InvalidCode));
        assert_eq!(SignInCode::parse("abcdef"), Err(ParseError::InvalidCode));
    }

    #[test]
    fn a_localized_text_reads_in_the_language_asked_else_in_the_other() {
        use crate::PageLocale::{En, ZhCn};
        let both = Localized {
            zh_cn: "轻薄羽绒服".into(),
            en: "Light down jacket".into(),
        };
        assert_eq!(both.get(En), "Light down jacket");
        assert_eq!(both.get(ZhCn), "轻薄羽绒服");
        // An item named in one language only: both readers get that name.
        let chinese: Localized = serde_json::from_str(r#"{"zh-CN": "龙井"}"#).unwrap();
        assert_eq!((chinese.get(En), chinese.get(ZhCn)), ("龙井", "龙井"));
        let blank = Localized {
            zh_cn: "龙井".into(),
            en: " ".into(),
        };
        assert_eq!(blank.get(En), "龙井");
        let english: Localized = serde_json::from_str(r#"{"en": "Longjing"}"#).unwrap();
        assert_eq!(english.get(ZhCn), "Longjing");
        assert_eq!(
            serde_json::to_value(&both).unwrap(),
            serde_json::json!({ "zh-CN": "轻薄羽绒服", "en": "Light down jacket" })
        );
    }
}
