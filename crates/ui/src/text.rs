//! Filling translated sentences: a bundle's words mark the one spot a value goes with
//! `[name]`, and this puts it there (one closure-free string: the i18n macro's interpolation
//! would draw a view type per sentence).

/// `text` with its one `[name]` placeholder filled by `value`.
pub fn fill(text: &str, value: &str) -> String {
    match (text.find('['), text.find(']')) {
        (Some(start), Some(end)) if start < end => {
            format!("{}{value}{}", &text[..start], &text[end + 1..])
        }
        _ => text.to_string(),
    }
}
