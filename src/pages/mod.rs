//! One file per route. Pages load data and compose components; they hold no shared logic.

pub mod benefits;
pub mod guest_lookup;
pub mod home;
pub mod member;
pub mod my_feedback;
pub mod my_returns;
pub mod not_found;
pub mod order_detail;
pub mod orders;
pub mod return_detail;
pub mod sign_in;
pub mod start_return;
pub mod survey;
