//! Saving as it is typed: the draft as typed (`Work`), kept on this device until the service
//! saved it, and where saving stands (`Saving`) with its moves as pure functions: a key typed,
//! a save answered, and what the save line says meanwhile.

use leptos::prelude::window;
use portico_api::{Audience, DraftCopy, ErrorCode, PageLocale};
use portico_client::ApiError;
use std::time::Duration;

/// How long after the last key a save goes.
pub const TYPING_PAUSE: Duration = Duration::from_millis(1000);
/// How soon what was typed while a save was on its way (or resumed from this device) goes.
pub const SOON: Duration = Duration::from_millis(300);
/// How long after a network failure a save is tried again.
pub const OFFLINE_RETRY: Duration = Duration::from_secs(5);

/// What is being edited: the draft as typed, and the revision it was read (or last saved) at.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Work {
    pub revision: u32,
    pub audience: Audience,
    pub copies: Vec<DraftCopy>,
}

impl Work {
    /// The copy in `locale`, made (empty) if there is none; the Chinese copy stays first.
    pub fn copy_mut(&mut self, locale: PageLocale) -> &mut DraftCopy {
        if let Some(at) = self.copies.iter().position(|c| c.locale == locale) {
            return &mut self.copies[at];
        }
        self.copies.push(DraftCopy {
            locale,
            title: String::new(),
            blocks: Vec::new(),
        });
        self.copies.sort_by_key(|c| c.locale != PageLocale::ZhCn);
        let at = self
            .copies
            .iter()
            .position(|c| c.locale == locale)
            .unwrap_or(0);
        &mut self.copies[at]
    }

    pub fn copy(&self, locale: PageLocale) -> Option<&DraftCopy> {
        self.copies.iter().find(|c| c.locale == locale)
    }
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

fn kept_key(slug: &str) -> String {
    format!("portico-staff:draft:{slug}")
}

/// What this device kept of a draft not yet saved.
pub fn kept(slug: &str) -> Option<Work> {
    let text = storage()?.get_item(&kept_key(slug)).ok().flatten()?;
    serde_json::from_str(&text).ok()
}

pub fn keep(slug: &str, work: &Work) {
    if let (Some(storage), Ok(text)) = (storage(), serde_json::to_string(work)) {
        let _ = storage.set_item(&kept_key(slug), &text);
    }
}

pub fn forget(slug: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(&kept_key(slug));
    }
}

/// Where saving stands.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Saving {
    Saved,
    Waiting,
    Sending,
    /// The network failed: kept here, tried again.
    Offline,
    /// Someone else saved since.
    Conflict,
    Failed,
}

/// A key typed while saving stood at `now`: waiting, sent after a pause; nothing while someone
/// else's save waits for "keep mine / take theirs".
pub fn typed(now: Saving) -> Option<(Saving, Duration)> {
    (now != Saving::Conflict).then_some((Saving::Waiting, TYPING_PAUSE))
}

/// A save answered: where saving stands then, and when to send again. `all_sent`: nothing was
/// typed while it was on its way.
pub fn answered<T>(answer: &Result<T, ApiError>, all_sent: bool) -> (Saving, Option<Duration>) {
    match answer {
        Ok(_) if all_sent => (Saving::Saved, None),
        // Typed while it was on its way: that goes next, from the new revision.
        Ok(_) => (Saving::Waiting, Some(SOON)),
        Err(error) if error.code() == Some(ErrorCode::EditConflict) => (Saving::Conflict, None),
        Err(ApiError::Network) => (Saving::Offline, Some(OFFLINE_RETRY)),
        Err(_) => (Saving::Failed, None),
    }
}

/// What the save line says, given what it said `before`: while offline or failing, typing and
/// trying again keep saying so until a save is answered, so the line (two on a phone) does not
/// shrink and grow under the editor's fields at every key.
pub fn said(now: Saving, before: Option<Saving>) -> Saving {
    match (now, before) {
        (Saving::Waiting | Saving::Sending, Some(trouble @ (Saving::Offline | Saving::Failed))) => {
            trouble
        }
        (now, _) => now,
    }
}
