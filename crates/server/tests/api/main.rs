//! The reference service's integration tests, one binary: each module starts the real service on
//! a random port with a fresh database (see `helpers`) and speaks HTTP to it.

mod delivery;
mod editor;
mod exchange;
mod feedback;
mod go_live;
mod helpers;
mod ingest;
mod instances;
mod journey;
mod lockouts;
mod loyalty;
mod openapi;
mod orders;
mod pages;
mod partners;
mod passes;
mod pickup;
mod return_links;
mod return_reviews;
mod returns;
mod schema;
mod sign_in;
mod staff;
mod surveys;
mod web;
mod widget;
