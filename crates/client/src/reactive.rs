//! Loads and submissions as reactive values a view reads.

use crate::fetch::{decode, send, Answer};
use crate::{ApiError, Endpoint};
use leptos::prelude::*;
use serde::{de::DeserializeOwned, Serialize};
use std::marker::PhantomData;
use std::rc::Rc;

/// Data a view shows, loaded from a service: fetched at once, and again whenever a signal that
/// `endpoint` reads changes, or on [`Remote::refetch`]. A reload that brings the same answer
/// changes nothing on the page (no redraw, nothing the person opened or typed is reset).
pub struct Remote<T> {
    resource: LocalResource<Answer>,
    answer: Memo<Option<Answer>>,
    decoded: PhantomData<fn() -> T>,
}

impl<T> Clone for Remote<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Remote<T> {}

impl<T: DeserializeOwned> Remote<T> {
    pub fn new(endpoint: impl Fn() -> Endpoint + 'static) -> Self {
        let (resource, answer) = load(Rc::new(endpoint));
        Self {
            resource,
            answer,
            decoded: PhantomData,
        }
    }

    /// `None` until the first answer arrives; tracked, so a view reading it follows reloads.
    pub fn get(&self) -> Option<Result<T, ApiError>> {
        self.answer.get().map(|answer| decode(&answer?))
    }

    pub fn refetch(&self) {
        self.resource.refetch();
    }
}

/// Not generic: one resource type for every kind of answer.
fn load(endpoint: Rc<dyn Fn() -> Endpoint>) -> (LocalResource<Answer>, Memo<Option<Answer>>) {
    let resource = LocalResource::new(move || {
        let endpoint = endpoint();
        async move { send("GET", &endpoint, None).await }
    });
    (resource, Memo::new(move |_| resource.get()))
}

/// A request a form sends (POST, or PATCH/PUT, with a JSON body): pending while on its way, then
/// its answer.
pub struct Submit<T> {
    action: Action<(&'static str, Endpoint, Option<String>), Answer>,
    decoded: PhantomData<fn() -> T>,
}

impl<T> Clone for Submit<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Submit<T> {}

impl<T: DeserializeOwned> Submit<T> {
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        Self {
            action: submit(),
            decoded: PhantomData,
        }
    }

    /// Sends `body` as JSON. A body that cannot be serialized is never sent (not even empty):
    /// the answer is [`ApiError::Unexpected`], which the view shows as an error.
    pub fn post(&self, endpoint: Endpoint, body: &impl Serialize) {
        self.send("POST", endpoint, body);
    }

    /// Sends `body` as JSON with `method` (`PATCH`, `PUT`); never sent when it cannot be written.
    pub fn send(&self, method: &'static str, endpoint: Endpoint, body: &impl Serialize) {
        match serde_json::to_string(body) {
            Ok(body) => {
                self.action.dispatch((method, endpoint, Some(body)));
            }
            Err(_) => self.action.value().set(Some(Err(ApiError::Unexpected))),
        }
    }

    /// A POST without a body (signing out).
    pub fn post_empty(&self, endpoint: Endpoint) {
        self.action.dispatch(("POST", endpoint, None));
    }

    /// The latest answer, `None` before the first; tracked.
    pub fn value(&self) -> Option<Result<T, ApiError>> {
        self.action.value().get().map(|answer| decode(&answer?))
    }

    /// Whether a request is on its way; tracked.
    pub fn pending(&self) -> bool {
        self.action.pending().get()
    }
}

/// Not generic: one action type for every kind of answer.
fn submit() -> Action<(&'static str, Endpoint, Option<String>), Answer> {
    Action::new_local(
        |(method, endpoint, body): &(&'static str, Endpoint, Option<String>)| {
            let (method, endpoint, body) = (*method, endpoint.clone(), body.clone());
            async move { send(method, &endpoint, body).await }
        },
    )
}
