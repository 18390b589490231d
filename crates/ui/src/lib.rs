//! View pieces the portal, the staff app and the widget all draw. Labels come in as text the
//! bundle already translated.
//!
//! **Invariant:** no router, no i18n, nothing document-wide, so a router-less bundle mounted in a
//! partner page's Shadow DOM can use every piece here.

pub mod form;
pub mod survey;
pub mod text;
