//! The widget's wasm entry: nothing runs at start. The loader (`loader.js`, served as
//! /widget.js) calls the exports of `portico_widget` once a visitor opens the widget.

fn main() {}

// The exports live in the library; this keeps them in the binary Trunk builds.
pub use portico_widget::*;
