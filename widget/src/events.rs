//! What the partner page hears: DOM events on the widget's host element that bubble out of the
//! shadow tree (`portico:close`, `portico:feedback-sent`; the loader sends `portico:open`).

use wasm_bindgen::JsValue;
use web_sys::{CustomEvent, CustomEventInit, HtmlElement};

pub fn dispatch(host: &HtmlElement, name: &str, detail: Option<&str>) {
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    if let Some(detail) = detail {
        init.set_detail(&JsValue::from_str(detail));
    }
    if let Ok(event) = CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = host.dispatch_event(&event);
    }
}
