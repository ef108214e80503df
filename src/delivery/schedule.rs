//! When to try a delivery again, after Mastodon: up to 16 attempts, waiting about
//! `n⁴ + 15 s` (plus jitter) after the n-th failure, which gives up after about two days.
//! `Retry-After` can only lengthen a wait, up to a day.

use std::time::{Duration, SystemTime};

use rand::Rng;

/// Attempts in all, the first included.
pub const MAX_ATTEMPTS: i64 = 16;

/// The longest wait a `Retry-After` can ask for.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(24 * 3600);

/// What an attempt's answer means for the delivery and its host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// 2xx.
    Sent,
    /// Try again later: 5xx, a network error, or 401/408/429.
    Retry {
        /// The server asked for this wait (`Retry-After`).
        retry_after: Option<Duration>,
        /// Whether this counts against the host's availability (no answer, or 5xx).
        host_down: bool,
    },
    /// Never try again: any other 4xx.
    GiveUp {
        /// 410 Gone: the inbox's owner no longer exists.
        gone: bool,
    },
}

/// Classifies an HTTP status (with its `Retry-After`, already parsed).
pub fn classify(status: u16, retry_after: Option<Duration>) -> Verdict {
    match status {
        200..=299 => Verdict::Sent,
        401 | 408 | 429 => Verdict::Retry {
            retry_after,
            host_down: false,
        },
        400..=499 => Verdict::GiveUp {
            gone: status == 410,
        },
        _ => Verdict::Retry {
            retry_after,
            host_down: status >= 500,
        },
    }
}

/// The wait after the `failed`-th failed attempt (1 for the first): `failed⁴ + 15 s` plus
/// `jitter × (failed + 1)` seconds, `jitter` in 0..10, as Mastodon's Sidekiq retries do.
pub fn backoff(failed: i64, jitter: u64) -> Duration {
    let n = failed.clamp(1, MAX_ATTEMPTS) as u64;
    Duration::from_secs(n.pow(4) + 15 + jitter.min(9) * (n + 1))
}

/// A random jitter for [`backoff`].
pub fn jitter() -> u64 {
    rand::rng().random_range(0..10)
}

/// When to try again after the `failed`-th failed attempt, or None to give up.
pub fn next_attempt_at(
    now_ms: i64,
    failed: i64,
    retry_after: Option<Duration>,
    jitter: u64,
) -> Option<i64> {
    if failed >= MAX_ATTEMPTS {
        return None;
    }
    let wait = backoff(failed, jitter).max(retry_after.unwrap_or_default().min(MAX_RETRY_AFTER));
    Some(now_ms.saturating_add(i64::try_from(wait.as_millis()).unwrap_or(i64::MAX)))
}

/// Parses `Retry-After`: delay seconds, or an HTTP date (the wait from `now`).
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_mastodon_and_gives_up_after_about_two_days() {
        assert_eq!(backoff(1, 0), Duration::from_secs(16));
        assert_eq!(backoff(2, 0), Duration::from_secs(31));
        assert_eq!(backoff(5, 9), Duration::from_secs(625 + 15 + 54));
        let (mut least, mut most) = (0u64, 0u64);
        for failed in 1..MAX_ATTEMPTS {
            least += backoff(failed, 0).as_secs();
            most += backoff(failed, 9).as_secs();
        }
        // 15 waits between 16 attempts: 2.07 to 2.08 days, jitter included.
        assert!((178_000..=180_000).contains(&least), "{least}");
        assert!(most - least <= 9 * 135, "{most}");
        assert_eq!(next_attempt_at(0, MAX_ATTEMPTS, None, 0), None);
        assert_eq!(
            next_attempt_at(0, MAX_ATTEMPTS - 1, None, 0),
            Some(50_640_000)
        );
    }

    #[test]
    fn retry_after_lengthens_but_never_shortens_and_is_capped() {
        let at = |s| next_attempt_at(0, 1, Some(Duration::from_secs(s)), 0);
        assert_eq!(at(5), Some(16_000));
        assert_eq!(at(120), Some(120_000));
        assert_eq!(at(10_000_000), Some(86_400_000));
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        let later = httpdate::fmt_http_date(now + Duration::from_secs(300));
        assert_eq!(
            parse_retry_after(&later, now),
            Some(Duration::from_secs(300))
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn classifies_statuses_as_the_issue_says() {
        assert_eq!(classify(202, None), Verdict::Sent);
        for s in [401, 408, 429] {
            assert!(matches!(
                classify(s, None),
                Verdict::Retry {
                    host_down: false,
                    ..
                }
            ));
        }
        assert_eq!(classify(404, None), Verdict::GiveUp { gone: false });
        assert_eq!(classify(410, None), Verdict::GiveUp { gone: true });
        assert!(matches!(
            classify(503, None),
            Verdict::Retry {
                host_down: true,
                ..
            }
        ));
    }
}
