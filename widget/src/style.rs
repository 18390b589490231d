//! The widget's stylesheet, adopted by each shadow root it draws in. A constructed stylesheet
//! needs no `<style>` element, so a partner page with a strict `style-src` (no `unsafe-inline`)
//! needs nothing more, and nothing of it reaches the partner's own page.

use wasm_bindgen::JsValue;
use web_sys::{CssStyleSheet, ShadowRoot};

const CSS: &str = include_str!("../style/widget.css");

pub fn adopt(shadow: &ShadowRoot) {
    let Ok(sheet) = CssStyleSheet::new() else {
        return;
    };
    if sheet.replace_sync(CSS).is_err() {
        return;
    }
    // The loader's own sheet (the launcher's) stays first.
    let sheets = shadow.adopted_style_sheets();
    sheets.push(&JsValue::from(sheet));
    shadow.set_adopted_style_sheets(&sheets);
}
