//! The time the delivery engine schedules by. Production reads the system clock; tests use
//! tokio's clock, so a whole retry schedule (days of backoff) runs under paused time.

/// Where "now" comes from.
#[derive(Clone, Debug, Default)]
pub enum Clock {
    /// The system clock (`now_ms`).
    #[default]
    System,
    /// `base_ms` plus the time tokio's clock has moved since `start`: follows
    /// `tokio::time::pause`/`advance` in tests.
    Tokio {
        base_ms: i64,
        start: tokio::time::Instant,
    },
}

impl Clock {
    /// A clock that starts at the system time now and then follows tokio's clock.
    pub fn tokio() -> Clock {
        Clock::Tokio {
            base_ms: crate::now_ms(),
            start: tokio::time::Instant::now(),
        }
    }

    /// Milliseconds since the Unix epoch.
    pub fn now_ms(&self) -> i64 {
        match self {
            Clock::System => crate::now_ms(),
            Clock::Tokio { base_ms, start } => {
                let elapsed = i64::try_from(start.elapsed().as_millis()).unwrap_or(i64::MAX);
                base_ms.saturating_add(elapsed)
            }
        }
    }
}
