//! Dataverse service protection limits (contract §4.5), per user per organisation: concurrent
//! requests (an in-flight counter) and requests per sliding window (by the emulator clock, so a
//! test can move past the window). A refused request is not counted.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use chrono::{DateTime, Duration, Utc};

use crate::secrets::lock;
use crate::state::AppState;

use super::error::DvError;

type Key = (String, String);

#[derive(Default)]
pub struct Protection {
    buckets: Mutex<HashMap<Key, Bucket>>,
}

#[derive(Default)]
struct Bucket {
    in_flight: u32,
    recent: VecDeque<DateTime<Utc>>,
}

impl Protection {
    pub fn clear(&self) {
        lock(&self.buckets).clear();
    }
}

/// Held for the life of one request; frees the concurrency slot when dropped.
pub struct Slot {
    state: Arc<AppState>,
    key: Key,
}

impl Drop for Slot {
    fn drop(&mut self) {
        if let Some(b) = lock(&self.state.platform.protection.buckets).get_mut(&self.key) {
            b.in_flight = b.in_flight.saturating_sub(1);
        }
    }
}

pub fn enter(state: &Arc<AppState>, org: &str, user: &str) -> Result<Slot, DvError> {
    let settings = state.settings();
    let now = state.clock.now();
    let key = (org.to_ascii_lowercase(), user.to_ascii_lowercase());
    let mut buckets = lock(&state.platform.protection.buckets);
    let b = buckets.entry(key.clone()).or_default();
    let concurrency = settings.dataverse_concurrency_limit;
    if b.in_flight >= concurrency {
        let mut e = DvError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "0x80072326",
            format!("Number of concurrent requests exceeded the limit of {concurrency}."),
        );
        e.retry_after = Some(1);
        return Err(e);
    }
    let window = Duration::seconds(settings.dataverse_request_window_seconds.max(1));
    while b.recent.front().is_some_and(|t| *t <= now - window) {
        b.recent.pop_front();
    }
    let limit = settings.dataverse_request_limit;
    if b.recent.len() >= limit as usize {
        let free_at = b.recent.front().map_or(now, |t| *t + window);
        let wait = (free_at - now).num_milliseconds().max(0);
        let mut e = DvError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "0x80072322",
            format!(
                "Number of requests exceeded the limit of {limit} over time window of {} seconds.",
                window.num_seconds()
            ),
        );
        e.retry_after = Some(((wait + 999) / 1000).max(1) as u64);
        return Err(e);
    }
    b.recent.push_back(now);
    b.in_flight += 1;
    drop(buckets);
    Ok(Slot {
        state: state.clone(),
        key,
    })
}
