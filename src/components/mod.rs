//! Pieces that several pages use. Each component takes typed props and owns its markup; the
//! styling lives in `style/` under the component's class name.

pub mod blocks;
pub mod feedback;
pub mod header;
pub mod labels;
pub mod page_state;
pub mod returns;
pub mod shipment;
pub mod survey_question;
pub mod tiers;

/// The form pieces live in `portico_ui`, shared with the widget.
pub use portico_ui::form;
