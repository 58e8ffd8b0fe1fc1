//! Answers from the store, kept until the store changes.
//!
//! Store pages compute a lot from few rows (the 287(g) timeline asks the registry once per
//! snapshot), and the store changes only when someone imports. Each answer is kept under its
//! URL together with SQLite's `data_version` for the serving connection, which changes exactly
//! when another connection commits; a changed version empties the cache.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use axum::body::{Body, Bytes, HttpBody as _};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse as _, Response};

use crate::AppState;

/// How many answers are kept; the cache is emptied when it is full.
const CAPACITY: usize = 512;
/// Answers larger than this are not kept.
const LARGEST: usize = 8 * 1024 * 1024;

#[derive(Debug, Clone)]
struct Entry {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

#[derive(Debug, Default)]
pub struct Cache {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    version: Option<i64>,
    entries: HashMap<String, Arc<Entry>>,
}

impl Cache {
    fn get(&self, version: i64, key: &str) -> Option<Arc<Entry>> {
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if inner.version != Some(version) {
            inner.entries.clear();
            inner.version = Some(version);
            return None;
        }
        inner.entries.get(key).cloned()
    }

    fn put(&self, version: i64, key: String, entry: Entry) {
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if inner.version != Some(version) {
            inner.entries.clear();
            inner.version = Some(version);
        }
        if inner.entries.len() >= CAPACITY {
            inner.entries.clear();
        }
        inner.entries.insert(key, Arc::new(entry));
    }
}

/// The store's data version as the serving connection sees it.
fn version(state: &AppState) -> Option<i64> {
    state
        .with_store(|store| {
            store
                .connection()
                .query_row("PRAGMA data_version", [], |row| row.get::<_, i64>(0))
                .ok()
        })
        .flatten()
}

fn respond(entry: &Entry) -> Response {
    let mut response = Response::new(Body::from(entry.body.clone()));
    *response.status_mut() = entry.status;
    *response.headers_mut() = entry.headers.clone();
    response
}

/// Middleware for the store pages: serves a kept answer, or keeps a successful new one.
pub async fn layer(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.method() != Method::GET {
        return next.run(request).await;
    }
    let Some(before) = version(&state) else {
        return next.run(request).await;
    };
    // The language is part of the key: `/es/rules` is answered at `/rules` in Spanish.
    let key = format!("{} {}", crate::i18n::lang(), request.uri());
    if let Some(entry) = state.cache().get(before, &key) {
        return respond(&entry);
    }
    let response = next.run(request).await;
    if response.status() != StatusCode::OK {
        return response;
    }
    let size = response.body().size_hint().exact();
    if size.is_none_or(|size| size > LARGEST as u64) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(body) = axum::body::to_bytes(body, LARGEST).await else {
        return crate::WebError::internal("a store page could not be read back").into_response();
    };
    let entry = Entry {
        status: parts.status,
        headers: parts.headers,
        body,
    };
    // Keep it only if the store did not change while it was computed.
    if version(&state) == Some(before) {
        state.cache().put(before, key, entry.clone());
    }
    respond(&entry)
}
