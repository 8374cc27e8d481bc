//! The time use cases act at, and the pauses they make. In production the system's; in tests
//! a clock that stands still until a pause moves it, so a test of a 4-second slow-down takes
//! no time and can say exactly how long the pause was.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};

#[derive(Debug, Clone, Default)]
pub enum Clock {
    #[default]
    System,
    /// Moves only by [`Clock::pause`] and [`Clock::advance`].
    Manual(Arc<Mutex<DateTime<Utc>>>),
}

impl Clock {
    /// A clock that stands at `start`.
    pub fn manual(start: DateTime<Utc>) -> Self {
        Clock::Manual(Arc::new(Mutex::new(start)))
    }

    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Manual(at) => *at.lock().unwrap_or_else(PoisonError::into_inner),
        }
    }

    /// Waits `duration`: really, or on a manual clock by moving it on at once.
    pub async fn pause(&self, duration: Duration) {
        match self {
            Clock::System => tokio::time::sleep(duration).await,
            Clock::Manual(_) => self.advance(duration),
        }
    }

    /// Moves a manual clock on; the system's moves by itself.
    pub fn advance(&self, duration: Duration) {
        if let Clock::Manual(at) = self {
            let mut at = at.lock().unwrap_or_else(PoisonError::into_inner);
            *at += chrono::Duration::from_std(duration).unwrap_or(chrono::Duration::MAX);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_manual_clock_moves_only_when_told() {
        let start = Utc::now();
        let clock = Clock::manual(start);
        assert_eq!(clock.now(), start);
        let started = std::time::Instant::now();
        clock.pause(Duration::from_secs(4)).await;
        assert!(started.elapsed() < Duration::from_secs(1), "no real wait");
        clock.advance(Duration::from_secs(1));
        assert_eq!(clock.now() - start, chrono::Duration::seconds(5));
    }
}
