//! The emulator's clock: real time plus an offset tests can move forward, so expiry
//! (codes, tokens, refresh-token inactivity) can be tested without waiting.

use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Duration, Utc};

#[derive(Debug, Default)]
pub struct Clock {
    offset_ms: AtomicI64,
}

impl Clock {
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + Duration::milliseconds(self.offset_ms.load(Ordering::SeqCst))
    }

    /// Moves the clock by `seconds` (negative moves it back) and returns the new time.
    /// Saturates instead of overflowing so a silly request cannot crash the server.
    pub fn advance(&self, seconds: i64) -> DateTime<Utc> {
        let delta = seconds.saturating_mul(1000);
        let _ = self
            .offset_ms
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |o| {
                Some(o.saturating_add(delta))
            });
        self.now()
    }

    pub fn reset(&self) {
        self.offset_ms.store(0, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advance_moves_now_forward() {
        let clock = Clock::default();
        let before = clock.now();
        let after = clock.advance(3600);
        assert!(after - before >= Duration::seconds(3600));
        clock.reset();
        assert!(clock.now() - before < Duration::seconds(60));
    }
}
