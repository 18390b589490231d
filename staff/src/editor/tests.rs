//! Saving as it is typed, its moves alone (`cargo test -p portico-staff --target
//! wasm32-unknown-unknown`, in headless Chromium: `make wasm-test`).

use super::autosave::{self, answered, said, typed, Saving, Work};
use portico_api::{Audience, ErrorCode, PageLocale, Problem};
use portico_client::ApiError;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A refusal as the service words it (problem+json).
fn refused(status: u16, code: &str) -> Result<(), ApiError> {
    let problem =
        serde_json::json!({ "type": "about:blank", "title": "", "status": status, "code": code });
    Err(ApiError::Problem(
        serde_json::from_value::<Problem>(problem).expect("a problem document"),
    ))
}

#[wasm_bindgen_test]
fn a_key_waits_for_a_pause_unless_someone_elses_save_waits_for_an_answer() {
    for now in [
        Saving::Saved,
        Saving::Waiting,
        Saving::Sending,
        Saving::Offline,
        Saving::Failed,
    ] {
        assert_eq!(
            typed(now),
            Some((Saving::Waiting, autosave::TYPING_PAUSE)),
            "{now:?}"
        );
    }
    assert_eq!(typed(Saving::Conflict), None);
}

#[wasm_bindgen_test]
fn a_save_answered_leads_to_where_saving_stands_and_when_it_goes_again() {
    let conflict = refused(409, "edit_conflict");
    assert_eq!(
        conflict.as_ref().err().and_then(ApiError::code),
        Some(ErrorCode::EditConflict)
    );
    assert_eq!(answered(&Ok(()), true), (Saving::Saved, None));
    // Typed while it was on its way: that goes soon, from the new revision.
    assert_eq!(
        answered(&Ok(()), false),
        (Saving::Waiting, Some(autosave::SOON))
    );
    assert_eq!(answered(&conflict, true), (Saving::Conflict, None));
    assert_eq!(
        answered(&Err::<(), _>(ApiError::Network), false),
        (Saving::Offline, Some(autosave::OFFLINE_RETRY))
    );
    assert_eq!(
        answered(&refused(422, "page_invalid"), true),
        (Saving::Failed, None)
    );
    assert_eq!(
        answered(&Err::<(), _>(ApiError::Unexpected), true),
        (Saving::Failed, None)
    );
}

#[wasm_bindgen_test]
fn the_save_line_keeps_saying_trouble_until_a_save_is_answered() {
    for trouble in [Saving::Offline, Saving::Failed] {
        assert_eq!(said(Saving::Waiting, Some(trouble)), trouble);
        assert_eq!(said(Saving::Sending, Some(trouble)), trouble);
        assert_eq!(said(Saving::Saved, Some(trouble)), Saving::Saved);
        assert_eq!(said(Saving::Conflict, Some(trouble)), Saving::Conflict);
    }
    assert_eq!(said(Saving::Offline, Some(Saving::Failed)), Saving::Offline);
    assert_eq!(said(Saving::Waiting, Some(Saving::Saved)), Saving::Waiting);
    assert_eq!(said(Saving::Sending, None), Saving::Sending);
}

#[wasm_bindgen_test]
fn a_copy_written_in_a_new_language_is_made_empty_and_the_chinese_stays_first() {
    let mut work = Work {
        revision: 3,
        audience: Audience::Everyone,
        copies: Vec::new(),
    };
    work.copy_mut(PageLocale::En).title = "Gold week".into();
    work.copy_mut(PageLocale::ZhCn).title = "金卡周".into();
    let order: Vec<_> = work.copies.iter().map(|c| c.locale).collect();
    assert_eq!(order, [PageLocale::ZhCn, PageLocale::En]);
    assert_eq!(
        work.copy(PageLocale::En).map(|c| c.title.as_str()),
        Some("Gold week")
    );
    // Asked again, the same copy: nothing made twice.
    work.copy_mut(PageLocale::En);
    assert_eq!(work.copies.len(), 2);
}

#[wasm_bindgen_test]
fn a_draft_kept_on_this_device_comes_back_as_it_was_typed_until_forgotten() {
    let slug = "kept-in-a-test";
    let mut work = Work {
        revision: 7,
        audience: Audience::Tier {
            tier: "gold".into(),
        },
        copies: Vec::new(),
    };
    work.copy_mut(PageLocale::ZhCn).title = "离线时也在写".into();
    autosave::keep(slug, &work);
    assert_eq!(autosave::kept(slug), Some(work));
    autosave::forget(slug);
    assert_eq!(autosave::kept(slug), None);
}
